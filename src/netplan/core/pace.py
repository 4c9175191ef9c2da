"""Step 5, evaluate: how a target stands against a steady pace (the "road").

For a target of ``amount`` over a span of local days ``[start, end]`` (one period of a
per-period target, or from the goal's start to a deadline), the road is the steady pace:
by the end of day ``d`` a person on the road has done

    expected(d) = amount * elapsed(d) / length

where ``length = end - start + 1`` days and ``elapsed(d) = d - start + 1``. Things are
done in whole units, so a unit falls **due** at the end of the day the steady pace
completes it, and the whole amount on the road's last day:

    due(d) = floor(expected(d))    (amount on the last day)

Given the ``actual`` value measured through the end of ``as_of``:

* **behind**: ``actual < due(as_of)``: a whole unit the pace asked for is not done;
* **safety buffer** (Beeminder's "days to derail"): the days from ``as_of`` to the first
  day the person is behind if nothing more happens (0: behind today; 1: behind tomorrow);
  a fresh period starts with the days its first unit can wait (4 a month: a week);
* **to stay on track**: ``needed`` more by ``needed_by``, the day the buffer ends (today
  when behind): the one number a person acts on, as Beeminder's "+1 due Friday";
* **projection** at the end of the span, at the pace so far: ``actual * length / elapsed``;
* **status**, ordered and monotone in ``actual``: ``done`` (``actual >= amount``), else
  ``behind`` (buffer 0), ``at_risk`` (buffer <= ``risk_days``, default 2), ``ahead``
  (buffer >= ``ahead_days``, default 7, and more done than the steady pace), otherwise
  ``on_track``;
* **score**, OKR style: ``actual / amount`` kept between 0 and 1, final once the span has
  ended. An actual value below 0 (a skill that declined) is simply behind.

A metric that measures a level rather than a count (a share such as ``follow_up_rate``,
a skill level: ``cumulative = False``) has no pace: it is done at the amount and behind
below it, whatever the day.

A per-period target whose goal starts in the middle of a period has its first road
prorated: it starts on the goal's first day with the amount scaled to the days covered
(rounded to whole units, at least one, for a whole amount); with less than half the
period left, the first road is the next whole period instead. Arithmetic is exact
(fractions), so a boundary never flips with rounding.

**Consistency** of a per-period target looks at its completed periods (the one ending on
the day reviewed included): the share met, the current and longest streaks of met
periods, and a habit strength from 0 to 1 that forgives a single miss. The strength is
Loop Habit Tracker's exponential score: with the target's frequency ``f`` in repetitions
a day (one a period: ``1 / days`` in the period), each day multiplies the score by
``m = 0.5 ** (sqrt(f) / 13)``; a period of ``days`` days therefore gives

    strength = strength * m**days + value * (1 - m**days)

where ``value`` is the period's score (``min(1, actual / amount)``, so a near miss still
counts for most of a hit). A month's weight is about 0.25, a week's 0.13: one missed
month after a good run costs a quarter of the strength, not the whole streak. The history
read is long enough that a habit kept perfectly all along reaches Loop's value (more than
0.99): :func:`history_periods` periods (100 days, 38 weeks, 19 months, 11 quarters, 6
years), or back to the goal's start.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from fractions import Fraction

from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core._validation import Choice
from netplan.core.errors import ValidationError
from netplan.core.goals import Goal, Target

__all__ = [
    "Consistency",
    "Progress",
    "Road",
    "Status",
    "consistency",
    "habit_weight",
    "history_periods",
    "progress",
    "road_for",
]


class Status(Choice):
    """How a target stands, from worst to best."""

    BEHIND = "behind"
    AT_RISK = "at_risk"
    ON_TRACK = "on_track"
    AHEAD = "ahead"
    DONE = "done"

    @property
    def rank(self) -> int:
        """0 for behind up to 4 for done: statuses compare by rank."""
        return _RANK[self]


_RANK = {s: i for i, s in enumerate(Status)}


@frozen(cache_hash=True)  # a key of the caches reviews use
class Road:
    """The steady pace from ``start`` to ``end`` (both days included) towards ``amount``."""

    start: dt.date = field(validator=v.a_date)
    end: dt.date = field(validator=v.a_date)
    amount: Fraction = field(converter=Fraction)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("Road.end", self.end, f"must not be before start={self.start}")
        if self.amount <= 0:
            raise ValidationError("Road.amount", self.amount, "must be greater than 0")

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed(self, day: dt.date) -> int:
        """Days of the road done by the end of ``day`` (0 before it starts)."""
        return min(self.length, max(0, (day - self.start).days + 1))

    def expected(self, day: dt.date) -> Fraction:
        """What a steady pace has reached by the end of ``day``."""
        return self.amount * self.elapsed(day) / self.length

    def due(self, day: dt.date) -> Fraction:
        """What must be done by the end of ``day`` not to be behind: the whole units the
        steady pace has completed, and the whole amount on the road's last day."""
        if self.elapsed(day) >= self.length:
            return self.amount
        return Fraction(math.floor(self.expected(day)))

    def first_behind(self, actual: Fraction, day: dt.date) -> dt.date:
        """The first day from ``day`` on when ``actual`` is behind (``actual < due``);
        the road's last day at the latest when ``actual`` falls short of the amount."""
        elapsed = self.elapsed(day)
        # floor(amount * e / length) > actual from e = (floor(actual) + 1) * length / amount.
        units = math.floor(actual) + 1
        first = max(elapsed, math.ceil(units * self.length / self.amount))
        return self.start + dt.timedelta(days=min(first, self.length) - 1)


@frozen
class Progress:
    """Where one target stands on ``as_of``."""

    goal: str
    target: str
    road: Road
    as_of: dt.date
    actual: float
    expected: float
    projected: float
    buffer_days: int | None
    """Days until derailing if nothing more happens (0: behind today); None when done."""
    status: Status
    score: float
    """``min(1, actual / amount)``; final once ``as_of`` reaches the road's end."""
    needed: float | None = None
    """How much more to do by :attr:`needed_by` to stay on track (None when done)."""
    needed_by: dt.date | None = None
    """The day the safety buffer ends (``as_of`` when behind)."""

    @property
    def final(self) -> bool:
        return self.as_of >= self.road.end


@functools.lru_cache(maxsize=4096)
def road_for(goal: Goal, target: Target, as_of: dt.date, *, plan_start: dt.date) -> Road:
    """The road a target is measured on, on ``as_of``: the period holding ``as_of`` for a
    per-period target (prorated if the goal starts inside it; the next period when less
    than half of it is left, so the road may start after ``as_of``), or from the goal's
    start to the deadline.

    Cached: goals and targets are immutable values, and reviews and rules ask again and
    again."""
    start = goal.start or plan_start
    amount = Fraction(target.amount_on(as_of))
    if target.by is not None:
        return Road(start, target.by, amount)
    assert target.per is not None
    first, following = target.per.bounds(max(as_of, start))
    last = following - dt.timedelta(days=1)
    if start > first:
        covered = (last - start).days + 1
        length = (last - first).days + 1
        if 2 * covered < length:
            # Less than half the period is left: the first road is the next whole one,
            # so a weekly target set on a Sunday is not due that very day.
            first, last = following, target.per.after(following) - dt.timedelta(days=1)
        else:
            amount = amount * covered / length
            if target.amount == int(target.amount):  # whole units: a whole number of them
                amount = Fraction(max(1, math.floor(amount + Fraction(1, 2))))
            first = start
    return Road(first, last, amount)


def progress(
    road: Road,
    actual: float,
    as_of: dt.date,
    *,
    goal: str = "",
    target: str = "",
    risk_days: int = 2,
    ahead_days: int = 7,
    cumulative: bool = True,
) -> Progress:
    """Measure ``actual`` (done through the end of ``as_of``) against ``road``.

    ``cumulative=False`` measures a level (a share, a skill level), which has no pace:
    done at the amount, behind below it."""
    if (
        isinstance(actual, bool)
        or not isinstance(actual, (int, float))
        or not math.isfinite(actual)
    ):
        raise ValidationError("progress.actual", actual, "must be a finite number")
    if not 0 <= risk_days < ahead_days:
        raise ValidationError(
            "progress.risk_days", risk_days, f"must be 0 or more and below ahead_days={ahead_days}"
        )
    done = Fraction(actual)
    elapsed = road.elapsed(as_of)
    expected = road.expected(as_of) if cumulative else road.amount
    projected = (done * road.length / elapsed if elapsed else done) if cumulative else done
    buffer: int | None = None
    needed: Fraction | None = None
    needed_by: dt.date | None = None
    if done >= road.amount:
        status = Status.DONE
    elif not cumulative:
        buffer, status = 0, Status.BEHIND
    else:
        behind_on = road.first_behind(done, as_of)
        buffer = max(0, (behind_on - as_of).days)
        needed_by = max(behind_on, as_of)
        due = road.due(needed_by)
        needed = due - done
        if done.denominator == 1:
            needed = Fraction(math.ceil(needed))  # whole counts: whole units to do
        # In floats, actual + needed must still reach what is due.
        while Fraction(float(actual) + float(needed)) < due:
            needed = Fraction(math.nextafter(float(needed), math.inf))
        if buffer == 0:
            status = Status.BEHIND
        elif buffer <= risk_days:
            status = Status.AT_RISK
        elif buffer >= ahead_days and done > expected:
            status = Status.AHEAD
        else:
            status = Status.ON_TRACK
    return Progress(
        goal=goal,
        target=target,
        road=road,
        as_of=as_of,
        actual=float(actual),
        expected=float(expected),
        projected=float(projected),
        buffer_days=buffer,
        status=status,
        score=float(max(Fraction(0), min(Fraction(1), done / road.amount))),
        needed=None if needed is None else float(needed),
        needed_by=needed_by,
    )


HABIT_REACH = 0.005
"""The weight left to the periods before the history a review reads: a habit kept
perfectly for longer reaches a strength of ``1 - HABIT_REACH`` (Loop shows 99.5%)."""


@functools.lru_cache(maxsize=512)
def habit_weight(days: int) -> float:
    """How much of the strength a period of ``days`` days leaves to the periods before
    it, in Loop's formula: ``m ** days`` with ``m = 0.5 ** (sqrt(1 / days) / 13)``."""
    return float((0.5 ** (math.sqrt(1 / days) / 13)) ** days)


def history_periods(days: int) -> int:
    """How many periods of ``days`` days a review's consistency reads back (when the
    goal is that old): the fewest after which a perfectly kept habit's strength reaches
    ``1 - HABIT_REACH`` (100 days, 38 weeks, 19 months of 30 days, 11 quarters, 6 years).

    >>> [history_periods(d) for d in (1, 7, 30, 91, 365)]
    [100, 38, 19, 11, 6]
    """
    return math.ceil(math.log(HABIT_REACH) / math.log(habit_weight(days)))


@frozen
class Consistency:
    """How regularly a per-period target has been met, over its completed periods."""

    goal: str
    target: str
    periods: int
    met: int
    current_streak: int
    """Met periods in a row, ending with the latest completed period."""
    longest_streak: int
    strength: float
    """Loop Habit Tracker's habit strength from 0 to 1 (see the module docs)."""
    scores: tuple[float, ...]
    """Each completed period's score, oldest first."""

    @property
    def share(self) -> float:
        """The share of completed periods met (0 when none has completed)."""
        return self.met / self.periods if self.periods else 0.0

    def then(self, *later: Progress) -> Consistency:
        """This consistency with more completed periods after it (their final progress,
        oldest first): what :func:`consistency` gives for all of them, without reading the
        earlier ones again."""
        met, current, longest = self.met, self.current_streak, self.longest_streak
        strength = self.strength
        for p in later:
            multiplier = habit_weight(p.road.length)
            strength = strength * multiplier + p.score * (1 - multiplier)
            if p.score >= 1:
                met += 1
                current += 1
                longest = max(longest, current)
            else:
                current = 0
        return Consistency(
            goal=self.goal,
            target=self.target,
            periods=self.periods + len(later),
            met=met,
            current_streak=current,
            longest_streak=longest,
            strength=strength,
            scores=(*self.scores, *(p.score for p in later)),
        )


def consistency(history: Sequence[Progress], *, goal: str = "", target: str = "") -> Consistency:
    """Consistency over ``history``: the final progress of each completed period, oldest
    first."""
    return Consistency(goal, target, 0, 0, 0, 0, 0.0, ()).then(*history)
