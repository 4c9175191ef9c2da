"""Step 5, evaluate: how a target stands against a steady pace (the "road").

For a target of ``amount`` over a span of days ``[start, end]`` (one period of a
per-period target, or from the goal's start to a deadline), the road is the steady pace:
by the end of day ``d`` a person on the road has done

    expected(d) = amount * elapsed(d) / length

where ``length = end - start + 1`` days and ``elapsed(d) = d - start + 1``. Given the
``actual`` value measured through the end of ``as_of``:

* **projection** at the end of the span, at the pace so far: ``actual * length / elapsed``;
* **safety buffer** (Beeminder's "days to derail"): how many days, counting ``as_of``,
  until the road passes ``actual`` if nothing more happens. With
  ``covered = floor(actual * length / amount)`` the number of days the actual value covers,
  ``buffer = max(0, covered - elapsed + 1)``: 0 exactly when the person is behind the road
  today, 1 when exactly on it (tomorrow they derail);
* **status**, ordered and monotone in ``actual``: ``done`` (``actual ≥ amount``), else
  ``behind`` (buffer 0), ``at_risk`` (buffer ≤ ``risk_days``, default 2), ``ahead``
  (buffer ≥ ``ahead_days``, default 7), otherwise ``on_track``;
* **score**, OKR style: ``actual / amount`` kept between 0 and 1, final once the span has
  ended. An actual value below 0 (a skill that declined) is simply behind.

A per-period target whose goal starts in the middle of a period has its first road
prorated: it starts on the goal's first day with the amount scaled to the days covered.
Arithmetic is exact (fractions), so a boundary never flips with rounding.

**Consistency** of a per-period target looks at its completed periods: the share met,
the current and longest streaks of met periods, and a habit strength from 0 to 1 that
forgives a single miss. The strength is Loop Habit Tracker's exponential score: with the
target's frequency ``f`` in repetitions a day (one a period: ``1 / days`` in the period),
each day multiplies the score by ``m = 0.5 ** (sqrt(f) / 13)``; a period of ``days`` days
therefore gives

    strength = strength * m**days + value * (1 - m**days)

where ``value`` is the period's score (``min(1, actual / amount)``, so a near miss still
counts for most of a hit). A month's weight is about 0.25, a week's 0.13: one missed
month after a good run costs a quarter of the strength, not the whole streak.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from fractions import Fraction

from attrs import field, frozen

from netplan import _validation as v
from netplan._validation import Choice
from netplan.errors import ValidationError
from netplan.goals import Goal, Target

__all__ = ["Consistency", "Progress", "Road", "Status", "consistency", "progress", "road_for"]


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

    @property
    def final(self) -> bool:
        return self.as_of >= self.road.end


@functools.lru_cache(maxsize=4096)
def road_for(goal: Goal, target: Target, as_of: dt.date, *, plan_start: dt.date) -> Road:
    """The road a target is measured on, on ``as_of``: the period holding ``as_of`` for a
    per-period target (prorated if the goal starts inside it), or from the goal's start to
    the deadline.

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
        amount = amount * ((last - start).days + 1) / ((last - first).days + 1)
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
) -> Progress:
    """Measure ``actual`` (done through the end of ``as_of``) against ``road``."""
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
    expected = road.expected(as_of)
    projected = done * road.length / elapsed if elapsed else done
    if done >= road.amount:
        buffer: int | None = None
        status = Status.DONE
    else:
        covered = math.floor(done * road.length / road.amount)
        buffer = max(0, covered - elapsed + 1)
        if buffer == 0:
            status = Status.BEHIND
        elif buffer <= risk_days:
            status = Status.AT_RISK
        elif buffer >= ahead_days:
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
    )


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


def consistency(history: Sequence[Progress], *, goal: str = "", target: str = "") -> Consistency:
    """Consistency over ``history``: the final progress of each completed period, oldest
    first."""
    met = current = longest = 0
    strength = 0.0
    for p in history:
        days = p.road.length
        multiplier = (0.5 ** (math.sqrt(1 / days) / 13)) ** days
        strength = strength * multiplier + p.score * (1 - multiplier)
        if p.score >= 1:
            met += 1
            current += 1
            longest = max(longest, current)
        else:
            current = 0
    return Consistency(
        goal=goal,
        target=target,
        periods=len(history),
        met=met,
        current_streak=current,
        longest_streak=longest,
        strength=strength,
        scores=tuple(p.score for p in history),
    )
