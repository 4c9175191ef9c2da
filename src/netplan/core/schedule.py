"""When planned actions happen: calendar recurrences, quotas per period, one-off deadlines.

A :class:`Recurrence` is RFC 5545 RRULE text plus the day it starts, expanded by
:mod:`dateutil.rrule` in a pure function. Recurrences are day-granular: a networking
plan says *which days*, so rules that recur within a day (HOURLY, BYHOUR...) are rejected.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Any

from attrs import field, frozen
from dateutil import rrule

from netplan.core import _rrule
from netplan.core import _validation as v
from netplan.core.errors import ValidationError
from netplan.core.periods import Period, check_range

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


# The converters of this module's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _rule(value: str) -> str: ...
    def _period(value: Period | str) -> Period: ...

else:
    _rule = _normalise_rule
    _period = v.choice(Period)


def _weekday(day: str) -> str:
    code = day.strip().upper()[:2]
    if code not in _WEEKDAYS:
        raise ValidationError("weekday", day, f"must be one of {', '.join(_WEEKDAYS)}")
    return code


_PERIOD_DAYS = 366
"""The most days a period dateutil walks (a year) may start before the day it is known
by: a walk past the end of what is asked for by so much can find nothing more in it."""


@functools.lru_cache(maxsize=1024)
def _parse(rule: str, start: dt.date) -> rrule.rrule:
    # Cached: plans are immutable values, and the same rule is expanded at every query.
    dtstart = dt.datetime.combine(start, dt.time())
    parsed = rrule.rrulestr(rule, dtstart=dtstart)
    if not isinstance(parsed, rrule.rrule):
        raise ValueError("one RRULE is expected")
    return parsed


def _walk(rule: str, start: dt.date) -> Any:
    """A walk of the rule whose work :mod:`netplan.core._rrule` bounds; a copy, as the rule
    parsed is shared (between threads too) and a walk marks the rule it walks."""
    return _rrule.bounded(copy.copy(_parse(rule, start)))


@frozen
class Recurrence:
    """A calendar-anchored recurrence: RRULE text and the day it starts.

    A rule that meets no day in the forty years from its start (``BYWEEKNO=1;BYMONTH=6``)
    is refused, and expanding one never looks past the end of what is asked for: no rule
    costs more than the days it is expanded over.

    >>> r = Recurrence.nth_weekday("TU", 2, start=dt.date(2026, 12, 1))
    >>> r.rule
    'FREQ=MONTHLY;BYDAY=2TU'
    >>> r.between(dt.date(2026, 12, 1), dt.date(2027, 2, 1))
    (datetime.date(2026, 12, 8), datetime.date(2027, 1, 12))
    """

    rule: str = field(converter=_rule)
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
        # A rule no day can meet (BYWEEKNO=1;BYMONTH=6) would have every query look
        # to the year 9999: refused, after forty years of looking.
        with _rrule.counted(_rrule.Work(end=self.start)):
            try:
                next(iter(_walk(self.rule, self.start)), None)
            except _rrule.Unbounded:
                raise ValidationError(
                    "Recurrence.rule",
                    self.rule,
                    f"meets no day in the forty years from {self.start}: "
                    "check that its parts can meet (BYWEEKNO=1 with BYMONTH=6 never does)",
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
        after = dt.datetime.combine(start, dt.time())
        before = dt.datetime.combine(end, dt.time())
        days: list[dt.date] = []
        # The walk stops past the end asked for, found or not: a rule that stops
        # meeting days (BYWEEKNO=1;BYMONTH=6 after its start) would look to the year 9999.
        with _rrule.counted(_rrule.Work(end=end, search_days=_PERIOD_DAYS)):
            try:
                for value in _walk(self.rule, self.start):
                    if value >= before:
                        break
                    if value >= after:
                        days.append(value.date())
            except _rrule.Unbounded:
                pass
        return tuple(days)

    def describe(self) -> str:
        """The recurrence as a person says it, for the rules netplan's constructors make
        (and their like); any other rule as its RRULE text.

        >>> D = dt.date(2026, 11, 1)
        >>> Recurrence.nth_weekday("WE", 2, start=D).describe()
        'the 2nd Wednesday of every month'
        >>> Recurrence.weekly("FR", start=D).describe(), Recurrence.every_other("TU", start=D).describe()
        ('every Friday', 'every 2 weeks on Tuesday')
        >>> Recurrence.monthly(start=D, day=1).describe(), Recurrence.daily(D).describe()
        ('the 1st of every month', 'every day')
        >>> Recurrence.twice_a_month(start=D).describe()
        'the 1st and 15th of every month'
        >>> Recurrence.monthly(start=D, day=31).describe()
        'the 31st of every month (or its last day)'
        >>> Recurrence("FREQ=WEEKLY;BYDAY=MO,WE,FR", D).describe()
        'every Monday, Wednesday and Friday'
        >>> Recurrence("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8", D).describe()
        'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8'
        """
        return _rule_words(self.rule) or self.rule

    def __str__(self) -> str:
        return f"{self.rule} from {self.start}"


_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def _ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``23rd``, ``-1`` as ``last``."""
    if n == -1:
        return "last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rule_words(rule: str) -> str | None:
    """``rule`` in words when it is one of the few shapes a person writes (every day,
    week or month, on named days), None otherwise."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        return None
    every = "every" if interval == "1" else f"every {int(interval)}"
    days = parts.pop("BYDAY", None)
    if freq == "DAILY" and not parts and days is None:
        return "every day" if interval == "1" else f"{every} days"
    if freq == "WEEKLY" and not parts and days is not None:
        codes = days.split(",")
        if not all(code in _DAY_NAMES for code in codes):
            return None
        listed = _listing([_DAY_NAMES[code] for code in codes])
        return f"every {listed}" if interval == "1" else f"{every} weeks on {listed}"
    if freq != "MONTHLY":
        return None
    month = "every month" if interval == "1" else f"every {int(interval)} months"
    if days is not None and not parts:
        found = re.fullmatch(r"([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)", days)
        if found is None:
            return None
        return f"the {_ordinal(int(found[1]))} {_DAY_NAMES[found[2]]} of {month}"
    dates = parts.pop("BYMONTHDAY", None)
    last = parts.pop("BYSETPOS", None) == "-1"
    if dates is None or days is not None or parts:
        return None
    numbers = dates.split(",")
    if not all(n.isdigit() for n in numbers):
        return None
    if last:  # Recurrence.monthly past the 28th: that day, or a shorter month's last
        return f"the {_ordinal(int(numbers[-1]))} of {month} (or its last day)"
    return f"the {_listing([_ordinal(int(n)) for n in numbers])} of {month}"


def _listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _interval(n: int) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValidationError("interval", n, "must be a whole number of 1 or more")
    return n


@frozen
class Quota:
    """``count`` times per period, on any days: ``Quota(2, "month")`` is "2 events a month"."""

    count: int = field(validator=[v.instance_of(int), v.positive])
    per: Period = field(converter=_period)

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
