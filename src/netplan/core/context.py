"""What an importer or an exporter may know beyond the bytes it reads or the plan it
writes: the day, the plan's zone, the days a calendar spans, and the installed metrics and
rules.

An importer or exporter is pure: no clock, no zone of the computer it runs on. Whatever
it needs of the world it is handed, as a :class:`FileContext`, by declaring
``in_context(context) -> Self`` (:class:`InContext`): netplan calls it before each import
or export with what the host knows (``today`` as the host passes it, in the plan's zone),
and uses the copy it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Protocol, Self, runtime_checkable

from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core.findings import Rule
from netplan.core.importing import CalendarWindow
from netplan.core.metrics import Metric
from netplan.core.zones import Zone

__all__ = ["FileContext", "InContext"]


def _read_only(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@frozen
class FileContext:
    """What an import or an export is done with.

    * ``today``: the local day of the plan's zone the host says it is (an importer counts
      events before it as attended; an exporter writes an agenda from it);
    * ``zone``: the plan's zone, in which local days and floating times are read;
    * ``window``: the days ``[start, end)`` a calendar is read or written for (an import:
      a year back to six months ahead of ``today``; an export: four weeks from it);
    * ``metrics`` and ``rules``: the installed ones, by name, for an exporter that writes a
      review or an importer that checks a target's metric.

    >>> import datetime as dt
    >>> from netplan.core.zones import Zone
    >>> day = dt.date(2026, 12, 7)
    >>> berlin = Zone.named("Europe/Berlin")
    >>> window = CalendarWindow(day, day + dt.timedelta(days=28), berlin.tzinfo)
    >>> context = FileContext(day, berlin, window)
    >>> context.today, context.zone.name, len(context.metrics)
    (datetime.date(2026, 12, 7), 'Europe/Berlin', 0)
    """

    today: dt.date = field(validator=v.a_date)
    zone: Zone = field(validator=v.instance_of(Zone))
    window: CalendarWindow = field(validator=v.instance_of(CalendarWindow))
    metrics: Mapping[str, Metric] = field(factory=dict, converter=_read_only, eq=False)
    rules: Mapping[str, Rule] = field(factory=dict, converter=_read_only, eq=False)


@runtime_checkable
class InContext(Protocol):
    """An importer or exporter that reads or writes with a :class:`FileContext`: netplan
    calls ``in_context`` before each import or export and uses the copy it returns.

    It is the general form of :class:`~netplan.core.importing.Windowed` (``within(window)``,
    which calendars declare): an object declaring both gets ``in_context`` only, whose
    ``window`` is the one ``within`` would get.
    """

    def in_context(self, context: FileContext) -> Self:
        """A copy that reads or writes with ``context``."""
        ...
