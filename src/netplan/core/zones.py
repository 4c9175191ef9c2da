"""The plan's time zone: which local day an instant falls on, and when a local day begins.

Instants are kept in UTC everywhere (the log, the stores); a person lives in days. A
:class:`Zone` is the one bridge between them, for an IANA zone name such as
``"Europe/Berlin"``: every calendar question netplan asks (a period's bounds, a metric's
window, a follow-up's deadline, a cadence's due day, the agenda's days, "as of") goes
through the plan's zone (:attr:`netplan.Plan.zone`).

>>> berlin = Zone.named("Europe/Berlin")
>>> late = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)
>>> berlin.day(late)
datetime.date(2026, 7, 1)
>>> berlin.start(dt.date(2026, 7, 1))
datetime.datetime(2026, 6, 30, 22, 0, tzinfo=datetime.timezone.utc)

A local day is ``[start(day), start(day + 1))``. A day a zone skips (Samoa moved across the
date line on 30 December 2011) has no instant: its start is the next day's. A whole column
of instants maps to local days with :meth:`Zone.days`, which looks up the zone's day
boundaries (built once a year and cached) instead of asking the zone database once a row.

The zone database is the only thing of the system the core reads: :mod:`zoneinfo` loads
each zone once (the system's database, else the ``tzdata`` package, a dependency for
platforms that have none).
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import importlib.resources
import itertools
import operator
import zoneinfo
from array import array
from collections.abc import Iterable, Sequence

from netplan.core.errors import ValidationError
from netplan.core.instants import EPOCH, MICROSECOND, from_micros

__all__ = ["UTC_ZONE", "Zone"]

_DAY_US = 86_400_000_000
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class Zone:
    """An IANA time zone, as the plan's days are counted in it.

    Made with :meth:`named` (cached: one object per name). Comparable and hashable by
    name, so it can key caches and sit in frozen values.
    """

    __slots__ = ("name", "tzinfo")

    name: str
    tzinfo: dt.tzinfo

    def __init__(self, name: str, tzinfo: dt.tzinfo) -> None:
        self.name = name
        self.tzinfo = tzinfo

    @staticmethod
    def named(name: str, *, field: str = "timezone") -> Zone:
        """The zone called ``name`` (an IANA name such as ``"America/New_York"``, or
        ``"UTC"``), spelled as the zone database spells it.

        Raises:
            ValidationError: naming ``field``, when no zone has that name; the message
                suggests the closest names.
        """
        if not isinstance(name, str):
            raise ValidationError(
                field, name, "must be an IANA time zone name such as 'Europe/Berlin'"
            )
        return _named(name.strip(), field)

    @property
    def country(self) -> str | None:
        """The ISO 3166 code of the country the zone is in (``"DE"`` for Europe/Berlin),
        as the zone database lists it; None for UTC and zones of no one country. Phone
        numbers written without a country code are read as this country's."""
        return _countries().get(self.name)

    def day(self, instant: dt.datetime) -> dt.date:
        """The local day ``instant`` (timezone-aware) falls on."""
        return instant.astimezone(self.tzinfo).date()

    def start(self, day: dt.date) -> dt.datetime:
        """The instant (in UTC) the local ``day`` begins: local midnight, or the first
        instant after it when the clocks skip midnight (or the whole day)."""
        return from_micros(self.start_micros(day))

    def start_micros(self, day: dt.date) -> int:
        """:meth:`start` as microseconds since 1970-01-01 UTC (how the log keeps instants)."""
        starts, first = _year_starts(self.name, day.year)
        return starts[day.toordinal() - first]

    def local(self, wall: dt.datetime) -> dt.datetime:
        """A wall-clock time without a zone (``2026-12-08 19:30`` as typed) in this zone,
        in UTC. A time the clocks skip (02:30 on the night they go forward) is read as the
        same time after the change (03:30); one they pass twice, as the first of the two."""
        if wall.tzinfo is not None:
            return wall.astimezone(dt.UTC)
        return wall.replace(tzinfo=self.tzinfo, fold=0).astimezone(dt.UTC)

    def days(self, micros: Sequence[int] | Iterable[int]) -> list[int]:
        """The local day of each instant of a column (microseconds since 1970-01-01 UTC),
        as proleptic ordinals (:meth:`datetime.date.toordinal`), in the column's order.

        One pass in C over the column: a zone whose offset does not change over the
        column's span is a shift and a division; otherwise each instant is placed among
        the day boundaries of the years it spans (built once a year and cached).
        """
        values = micros if isinstance(micros, (list, array, tuple)) else list(micros)
        if not values:
            return []
        first = self.day(from_micros(min(values))).year
        last = self.day(from_micros(max(values))).year
        years = range(first, last + 1)
        offsets = {_constant_offset(self.name, year) for year in years}
        if len(offsets) == 1 and (shift := offsets.pop()) is not None:
            # (instant + offset) // day, plus the epoch's ordinal: C-level maps only.
            local = map(shift.__add__, values)
            day = map(operator.floordiv, local, itertools.repeat(_DAY_US))
            return list(map(_EPOCH_ORDINAL.__add__, day))
        starts = [s for year in years for s in _year_starts(self.name, year)[0][:-1]]
        before = _year_starts(self.name, first)[1] - 1
        if len(values) >= _SEARCHED_AT_ONCE:
            from netplan.core import _vectors

            return _vectors.placed(values, starts, before)
        return list(map(before.__add__, map(bisect.bisect_right, itertools.repeat(starts), values)))

    def days_of(self, instants: Iterable[dt.datetime]) -> list[int]:
        """:meth:`days` of timezone-aware datetimes (as the log's queries give them)."""
        since = map(operator.sub, instants, itertools.repeat(EPOCH))
        return self.days(list(map(operator.floordiv, since, itertools.repeat(MICROSECOND))))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Zone) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("netplan.Zone", self.name))

    def __repr__(self) -> str:
        return f"Zone({self.name!r})"

    def __str__(self) -> str:
        return self.name

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return Zone.named, (self.name,)


_SEARCHED_AT_ONCE = 256
"""From this many instants on, a zone whose clocks change places them among its day
boundaries with numpy's ``searchsorted``: 0.73 of the bisections' time at 256 instants,
a third at 1,000 and more (a review's columns), but 2.4 times it at 64, numpy's call
costing about 40 microseconds. Fewer are bisected one by one, and never import numpy."""


@functools.lru_cache(maxsize=256)
def _named(name: str, field: str) -> Zone:
    rule = "must be an IANA time zone name such as 'Europe/Berlin', 'America/New_York' or 'UTC'"
    canonical = _spellings().get(name.casefold(), name)
    try:
        info = zoneinfo.ZoneInfo(canonical)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        close = difflib.get_close_matches(name, sorted(set(_spellings().values())), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise ValidationError(field, name, rule + hint) from None
    return Zone(canonical, info)


@functools.cache
def _spellings() -> dict[str, str]:
    """Every zone name the zone database lists, by its casefolded spelling: a name typed
    in lower case loads on a case-insensitive file system (macOS, Windows) but nowhere
    else, so it is stored as the database spells it."""
    names = {"UTC"}
    try:
        listed = importlib.resources.files("tzdata").joinpath("zones").read_text("utf-8")
    except (ImportError, OSError):  # no tzdata package: the system's database alone
        listed = ""
    names.update(line.strip() for line in listed.splitlines() if line.strip())
    return {n.casefold(): n for n in names}


@functools.cache
def _countries() -> dict[str, str]:
    try:
        listed = importlib.resources.files("tzdata").joinpath("zoneinfo/zone.tab")
        text = listed.read_text("utf-8")
    except (ImportError, OSError):  # no tzdata package: no country for any zone
        return {}
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _, name, *_ = line.split("\t")
            countries[name] = code
    return countries


@functools.lru_cache(maxsize=1024)
def _year_starts(name: str, year: int) -> tuple[array[int], int]:
    """When each local day of ``year`` begins (microseconds since 1970 UTC), and the
    first of January of the next year; with the ordinal of the year's first day."""
    info = zoneinfo.ZoneInfo(name)
    first = dt.date(year, 1, 1)
    days = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    midnight = dt.time()
    starts = array(
        "q",
        (
            (dt.datetime.combine(first + dt.timedelta(days=i), midnight, tzinfo=info) - EPOCH)
            // MICROSECOND
            for i in range(days)
        ),
    )
    # The next year's first day ends this year's last (dt.date stops at 9999).
    if year < dt.MAXYEAR:
        starts.append(
            (dt.datetime.combine(dt.date(year + 1, 1, 1), midnight, tzinfo=info) - EPOCH)
            // MICROSECOND
        )
    else:
        starts.append(starts[-1] + _DAY_US)
    return starts, first.toordinal()


@functools.lru_cache(maxsize=1024)
def _constant_offset(name: str, year: int) -> int | None:
    """The offset (microseconds) of a zone whose days all begin at the same local time
    in ``year`` (no change of the clocks), else None."""
    starts, first = _year_starts(name, year)
    offset = (first - _EPOCH_ORDINAL) * _DAY_US - starts[0]
    for i in range(1, len(starts)):
        if (first + i - _EPOCH_ORDINAL) * _DAY_US - starts[i] != offset:
            return None
    return offset


UTC_ZONE = Zone.named("UTC")
"""Coordinated Universal Time: the zone of a plan that names none."""
