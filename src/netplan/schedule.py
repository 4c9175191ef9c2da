"""When planned actions happen: calendar recurrences, quotas per period, one-off deadlines.

A :class:`Recurrence` is RFC 5545 RRULE text plus the day it starts, expanded by
:mod:`dateutil.rrule` in a pure function. Recurrences are day-granular: a networking
plan says *which days*, so rules that recur within a day (HOURLY, BYHOUR...) are rejected.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from attrs import field, frozen
from dateutil import rrule

from netplan import _validation as v
from netplan.errors import ValidationError
from netplan.periods import Period, check_range

__all__ = ["Occurrence", "Once", "Quota", "Recurrence", "Schedule", "Weekday", "occurrences"]

Weekday = str
"""Two-letter RFC 5545 weekday: ``"MO"``, ``"TU"``, ``"WE"``, ``"TH"``, ``"FR"``, ``"SA"``, ``"SU"``."""

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SUB_DAILY = ("FREQ=HOURLY", "FREQ=MINUTELY", "FREQ=SECONDLY", "BYHOUR", "BYMINUTE", "BYSECOND")
_FORBIDDEN = ("DTSTART", "RDATE", "EXDATE")


def _normalise_rule(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    return text.upper()


def _weekday(day: str) -> str:
    code = day.strip().upper()[:2]
    if code not in _WEEKDAYS:
        raise ValidationError("weekday", day, f"must be one of {', '.join(_WEEKDAYS)}")
    return code


@functools.lru_cache(maxsize=1024)
def _parse(rule: str, start: dt.date) -> rrule.rrule:
    # Cached: plans are immutable values, and the same rule is expanded at every query.
    dtstart = dt.datetime.combine(start, dt.time())
    parsed = rrule.rrulestr(rule, dtstart=dtstart)
    assert isinstance(parsed, rrule.rrule)
    return parsed


@frozen
class Recurrence:
    """A calendar-anchored recurrence: RRULE text and the day it starts.

    >>> r = Recurrence.nth_weekday("TU", 2, start=dt.date(2026, 12, 1))
    >>> r.rule
    'FREQ=MONTHLY;BYDAY=2TU'
    >>> r.between(dt.date(2026, 12, 1), dt.date(2027, 2, 1))
    (datetime.date(2026, 12, 8), datetime.date(2027, 1, 12))
    """

    rule: str = field(converter=_normalise_rule)
    start: dt.date = field(validator=v.a_date)

    @rule.validator
    def _check_rule(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value:
            v.fail(self, attribute, value, "must be RRULE text such as 'FREQ=WEEKLY;BYDAY=TU'")
        for part in _FORBIDDEN:
            if part in value:
                v.fail(self, attribute, value, f"must not hold {part}; give the start separately")
        for part in _SUB_DAILY:
            if part in value:
                v.fail(self, attribute, value, f"must recur on days, not within a day ({part})")

    def __attrs_post_init__(self) -> None:
        try:
            _parse(self.rule, self.start)
        except (ValueError, TypeError, IndexError, KeyError) as error:
            raise ValidationError(
                "Recurrence.rule", self.rule, f"must be valid RFC 5545 RRULE text ({error})"
            ) from None

    # -- friendly constructors -------------------------------------------------
    @classmethod
    def daily(cls, start: dt.date, *, interval: int = 1) -> Recurrence:
        return cls(f"FREQ=DAILY;INTERVAL={_interval(interval)}", start)

    @classmethod
    def weekly(cls, day: Weekday, *, start: dt.date, interval: int = 1) -> Recurrence:
        """Every week (or every ``interval`` weeks) on ``day``: ``weekly("FR", start=...)``."""
        return cls(f"FREQ=WEEKLY;INTERVAL={_interval(interval)};BYDAY={_weekday(day)}", start)

    @classmethod
    def every_other(cls, day: Weekday, *, start: dt.date) -> Recurrence:
        """Every second week on ``day`` (fortnightly), counted from ``start``."""
        return cls.weekly(day, start=start, interval=2)

    @classmethod
    def nth_weekday(cls, day: Weekday, n: int, *, start: dt.date) -> Recurrence:
        """The ``n``-th ``day`` of every month: ``nth_weekday("TU", 2, ...)`` is the 2nd
        Tuesday; ``n=-1`` is the last one."""
        if not isinstance(n, int) or isinstance(n, bool) or n == 0 or not -5 <= n <= 5:
            raise ValidationError("n", n, "must be 1 to 5, or -1 to -5 counting from the end")
        return cls(f"FREQ=MONTHLY;BYDAY={n}{_weekday(day)}", start)

    @classmethod
    def monthly(cls, *, start: dt.date, day: int | None = None) -> Recurrence:
        """Every month on ``day`` (default: the start's day). Days past the 28th fall on
        the month's last day when the month is shorter, instead of skipping the month."""
        day = start.day if day is None else day
        if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 31:
            raise ValidationError("day", day, "must be a day of the month, 1 to 31")
        if day <= 28:
            return cls(f"FREQ=MONTHLY;BYMONTHDAY={day}", start)
        candidates = ",".join(str(d) for d in range(28, day + 1))
        return cls(f"FREQ=MONTHLY;BYMONTHDAY={candidates};BYSETPOS=-1", start)

    @classmethod
    def twice_a_month(cls, *, start: dt.date, days: tuple[int, int] = (1, 15)) -> Recurrence:
        """On two fixed days of every month (default the 1st and the 15th)."""
        first, second = days
        for d in days:
            if not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 28:
                raise ValidationError("days", days, "must be two days of the month, 1 to 28")
        if first == second:
            raise ValidationError("days", days, "must be two different days")
        return cls(f"FREQ=MONTHLY;BYMONTHDAY={min(days)},{max(days)}", start)

    def between(self, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """The days this recurrence falls on in ``[start, end)``, in order."""
        check_range(start, end)
        if end <= start:
            return ()
        parsed = _parse(self.rule, self.start)
        after = dt.datetime.combine(start, dt.time())
        before = dt.datetime.combine(end, dt.time())
        return tuple(d.date() for d in parsed.between(after, before, inc=True) if d < before)

    def __str__(self) -> str:
        return f"{self.rule} from {self.start}"


def _interval(n: int) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValidationError("interval", n, "must be a whole number of 1 or more")
    return n


@frozen
class Quota:
    """``count`` times per period, on any days: ``Quota(2, "month")`` is "2 events a month"."""

    count: int = field(validator=[v.instance_of(int), v.positive])
    per: Period = field(converter=v.choice(Period))  # type: ignore[misc]  # the attrs mypy plugin cannot read a Converter

    def __str__(self) -> str:
        return f"{self.count} per {self.per.value}"


@frozen
class Once:
    """A one-off action due by a day: "join one professional organization by March"."""

    by: dt.date = field(validator=v.a_date)

    def __str__(self) -> str:
        return f"once by {self.by}"


Schedule = Recurrence | Quota | Once
"""How often a planned action is due: a calendar recurrence, a quota or a one-off."""


@frozen(order=True)
class Occurrence:
    """One due instance of a planned action.

    For a recurrence ``on == until`` is the day; for a quota it spans the period
    (``until`` is its last day) and ``count`` says how many are due in it; for a one-off
    both are the deadline.
    """

    on: dt.date
    action: str
    until: dt.date
    count: int = 1


@functools.lru_cache(maxsize=1024)
def occurrences(
    action: str, schedule: Schedule, start: dt.date, end: dt.date
) -> tuple[Occurrence, ...]:
    """Due instances of ``schedule`` overlapping ``[start, end)``, in date order.

    Cached: schedules are immutable values, and reviews ask again and again."""
    check_range(start, end)
    if isinstance(schedule, Recurrence):
        return tuple(Occurrence(day, action, day) for day in schedule.between(start, end))
    if isinstance(schedule, Quota):
        return tuple(
            Occurrence(first, action, following - dt.timedelta(days=1), schedule.count)
            for first, following in schedule.per.spans(start, end)
        )
    if start <= schedule.by < end:
        return (Occurrence(schedule.by, action, schedule.by),)
    return ()
