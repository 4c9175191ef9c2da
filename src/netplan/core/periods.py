"""Calendar periods and netplan's time policy.

The time policy, enforced by every domain type:

* an **instant** (when an interaction happened) is a timezone-aware :class:`datetime.datetime`;
  netplan stores it in UTC and gives it back in UTC. A naive datetime is rejected.
* a **calendar day** (a deadline, an assessment, an event's day, a planned occurrence) is a
  :class:`datetime.date`, a local day of the plan's zone (:mod:`netplan.core.zones` maps
  instants to days); a datetime is rejected where a day belongs.
* a **period** is a calendar unit: day, ISO week (Monday to Sunday), month, quarter or year.
* a **date range** is half-open, ``[start, end)``, like :func:`range`: ``start`` is included,
  ``end`` is not.

The core never reads the clock: "today" is always an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from netplan.core._validation import Choice
from netplan.core.errors import ValidationError

__all__ = ["Period", "UTC", "check_range"]

UTC = dt.UTC


class Period(Choice):
    """A calendar unit a target or a quota is counted over."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    def start_of(self, day: dt.date) -> dt.date:
        """First day of the period holding ``day``."""
        if self is Period.DAY:
            return day
        if self is Period.WEEK:
            return day - dt.timedelta(days=day.weekday())
        if self is Period.MONTH:
            return day.replace(day=1)
        if self is Period.QUARTER:
            return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return dt.date(day.year, 1, 1)

    def after(self, start: dt.date) -> dt.date:
        """First day of the period after the one starting on ``start``."""
        if self is Period.DAY:
            return start + dt.timedelta(days=1)
        if self is Period.WEEK:
            return start + dt.timedelta(days=7)
        months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[self]
        index = start.year * 12 + start.month - 1 + months
        return dt.date(index // 12, index % 12 + 1, 1)

    def bounds(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The half-open range ``[first day, first day of the next period)`` holding ``day``."""
        start = self.start_of(day)
        return start, self.after(start)

    def spans(self, start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, dt.date]]:
        """Every period overlapping ``[start, end)``, in order, as half-open ranges."""
        check_range(start, end)
        first = self.start_of(start)
        while first < end:
            following = self.after(first)
            yield first, following
            first = following


def check_range(start: dt.date, end: dt.date, what: str = "range") -> None:
    """Reject a range whose end comes before its start, or that mixes days and instants."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValidationError(f"{what}.{name}", value, "must be a date (datetime.date)")
    if end < start:
        raise ValidationError(f"{what}.end", end, f"must not be before the start {start}")
