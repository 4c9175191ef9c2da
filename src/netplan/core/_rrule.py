"""dateutil's recurrence rules, walked with bounded work.

dateutil walks a rule period by period (year, month, week, day) from its start, and
stops at the first occurrence past what is asked for, or in the year 9999: a rule no day
can meet (``BYWEEKNO=1;BYMONTH=6``) costs seconds, for nothing. :func:`bounded` gives a
rule a copy of dateutil's own walk that counts each period it examines (one step, a year
twelve: as dear as a dozen months) against the :class:`Work` set in :data:`WORK`, and
stops it with :class:`Unbounded` past the work's steps, or when it has looked
:attr:`Work.search_days` past :attr:`Work.end` without finding an occurrence there.
Counted, not timed, so the bound is the same on any machine. With no work set, a rule
walks as dateutil's does.

The calendar reader (:mod:`netplan.formats.icalendar`) bounds each file's series with it;
:class:`netplan.core.schedule.Recurrence` refuses a rule that meets no day in forty years, and
stops looking past the end of what is asked for.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import types
from collections.abc import Iterator
from typing import Any

import attrs
from dateutil import rrule as module

SEARCH_DAYS = 14_610
"""Forty years of days: how far past :attr:`Work.end` a rule looks for an occurrence by
default."""

_SUB_DAILY = {module.HOURLY: 3600, module.MINUTELY: 60, module.SECONDLY: 1}
"""dateutil's frequencies within a day, and their seconds."""


class Unbounded(Exception):
    """A rule takes more work than allowed (the message says which bound)."""


@attrs.define
class Work:
    """The work allowed to the rules walked while it is set in :data:`WORK`: the steps
    taken and at most ``max_steps`` (None: no limit), and the day past which a walk
    searching for an occurrence gives up after ``search_days`` more."""

    steps: int = 0
    end: dt.date = dt.date(9000, 1, 1)
    search_days: int = SEARCH_DAYS
    max_steps: int | None = None


WORK: contextvars.ContextVar[Work | None] = contextvars.ContextVar("WORK", default=None)
"""The work the rules walked now count against."""


@contextlib.contextmanager
def counted(work: Work) -> Iterator[Work]:
    """Counts the walks of :func:`bounded` rules in this block against ``work``."""
    token = WORK.set(work)
    try:
        yield work
    finally:
        WORK.reset(token)


def later(day: dt.date, days: int) -> dt.date:
    """``day`` and ``days`` more, or the last day Python has."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _search_days(rule: Any, days: int) -> int:
    """How many days past :attr:`Work.end` a rule may look: ``days``, or for a rule
    repeating within a day as many of its intervals (at least one day)."""
    freq = getattr(rule, "_freq", None)
    seconds = _SUB_DAILY.get(freq) if isinstance(freq, int) else None
    if seconds is None:
        return days
    interval = getattr(rule, "_interval", 1)
    interval = interval if isinstance(interval, int) and interval > 0 else 1
    return max(1, days * interval * seconds // 86_400)


class _Walk:
    """One walk of a rule through its periods: the work it counts against (none: not
    counted), and the last day it may reach before it finds an occurrence past
    :attr:`Work.end`; once it has found one, it may go on (callers read a few
    occurrences ahead), as far as the work's steps allow."""

    __slots__ = ("days", "end", "last", "searching", "work")

    def __init__(self, rule: Any) -> None:
        self.work = WORK.get()
        self.days = 0 if self.work is None else _search_days(rule, self.work.search_days)
        self.end = dt.date.max if self.work is None else self.work.end
        last = later(self.end, self.days)
        self.last = (last.year, last.month, last.day)
        self.searching = self.work is not None

    def found(self) -> None:
        """An occurrence past :attr:`Work.end`: the rule meets days."""
        self.searching = False

    def step(self, weight: int, year: int, month: int, day: int) -> None:
        """One period examined, ``weight`` steps, starting on that day.

        Raises:
            Unbounded: past the work's steps, or the last day without an occurrence.
        """
        work = self.work
        if work is None:
            return
        if work.max_steps is not None and work.steps + weight > work.max_steps:
            raise Unbounded(
                f"the file's recurring series take more than {work.max_steps:,} steps to expand"
            )
        work.steps += weight
        if self.searching and (year, month, day) > self.last:
            raise Unbounded(
                f"its rule meets no day in the {self.days:,} days after "
                f"{self.end - dt.timedelta(days=1)} (some meet none at all: "
                "BYWEEKNO=1;BYMONTH=6)"
            )


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@functools.cache
def bounded_rule() -> type[Any] | None:
    """dateutil's ``rrule`` walking as its own does, each period it examines counted
    against the :data:`WORK` set (none: not counted), or None when this dateutil walks
    differently (then nothing is bounded)."""
    info: Any = getattr(module, "_iterinfo", None)
    walk: Any = getattr(module.rrule, "_iter", None)
    if info is None or not isinstance(walk, types.FunctionType):
        return None
    if "_iterinfo" not in walk.__code__.co_names:
        return None

    class Counted(info):  # type: ignore[misc]  # dateutil's private helper
        """dateutil's state of one walk, each period it is asked for counted."""

        def __init__(self, rule: Any) -> None:
            super().__init__(rule)
            walk = getattr(rule, "_netplan_walk", None)
            self.walk = walk if isinstance(walk, _Walk) else _Walk(rule)

        def ydayset(self, year: int, month: int, day: int) -> Any:
            self.walk.step(12, year, month, day)
            return super().ydayset(year, month, day)

        def mdayset(self, year: int, month: int, day: int) -> Any:
            self.walk.step(1, year, month, day)
            return super().mdayset(year, month, day)

        def wdayset(self, year: int, month: int, day: int) -> Any:
            self.walk.step(1, year, month, day)
            return super().wdayset(year, month, day)

        def ddayset(self, year: int, month: int, day: int) -> Any:
            self.walk.step(1, year, month, day)
            return super().ddayset(year, month, day)

    counted_walk = types.FunctionType(
        walk.__code__,
        {**vars(module), "_iterinfo": Counted},
        walk.__name__,
        walk.__defaults__,
        walk.__closure__,
    )

    def bounded_walk(rule: Any) -> Iterator[Any]:
        state = _Walk(rule)
        rule._netplan_walk = state  # for Counted, made when the walk below starts
        for value in counted_walk(rule):
            if state.searching and _day(value) > state.end:
                state.found()
            yield value

    return type("BoundedRule", (module.rrule,), {"_iter": bounded_walk})


def bounded(rule: Any) -> Any:
    """``rule`` (a dateutil ``rrule``) walking as :func:`bounded_rule`'s, when this
    dateutil allows it; anything else as it is."""
    counted_rule = bounded_rule()
    changed: Any = rule
    if counted_rule is not None and type(rule) is module.rrule:
        changed.__class__ = counted_rule
        # A cached rule made its walk when it was made: made again, counted.
        changed._invalidate_cache()
    return changed
