from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import netplan
from netplan.core.pace import Road, Status, progress, road_for

D = dt.date
NOVEMBER = Road(D(2026, 11, 1), D(2026, 11, 30), 2)


def test_two_events_a_month_as_maya_lives_it() -> None:
    # On the 1st with nothing done: the first event is due on the 15th, when the steady
    # pace completes it. A fresh month starts on track, never red at midnight.
    first = progress(NOVEMBER, 0, D(2026, 11, 1))
    assert (first.status, first.buffer_days) == (Status.ON_TRACK, 14)
    assert (first.needed, first.needed_by) == (1, D(2026, 11, 15))
    # Two days before it: at risk.
    assert progress(NOVEMBER, 0, D(2026, 11, 13)).status is Status.AT_RISK
    # Halfway through with one event: exactly on the road; the second is due at the end.
    mid = progress(NOVEMBER, 1, D(2026, 11, 15))
    assert (mid.expected, mid.projected, mid.score) == (1.0, 2.0, 0.5)
    assert (mid.status, mid.buffer_days) == (Status.ON_TRACK, 15)
    assert (mid.needed, mid.needed_by) == (1, D(2026, 11, 30))
    # Nothing yet on the 20th: one event was due by the 15th, so behind; one more today.
    late = progress(NOVEMBER, 0, D(2026, 11, 20))
    assert (late.buffer_days, late.status) == (0, Status.BEHIND)
    assert (late.needed, late.needed_by) == (1, D(2026, 11, 20))
    # Two events by the 5th: done, nothing more to do.
    done = progress(NOVEMBER, 2, D(2026, 11, 5))
    assert (done.buffer_days, done.status, done.score) == (None, Status.DONE, 1.0)
    assert (done.needed, done.needed_by) == (None, None)


def test_ahead_means_a_week_of_buffer_and_more_than_the_pace() -> None:
    # 1 of 2 on the 5th: the second is due on the 30th, and 1 is more than the 0.33 a
    # steady pace has done.
    early = progress(NOVEMBER, 1, D(2026, 11, 5))
    assert (early.buffer_days, early.status) == (25, Status.AHEAD)
    # On the 16th the pace has passed 1: a long buffer, but no longer ahead of the road.
    assert progress(NOVEMBER, 1, D(2026, 11, 16)).status is Status.ON_TRACK


def test_a_level_has_no_pace() -> None:
    share = Road(D(2026, 11, 1), D(2026, 11, 30), Fraction(4, 5))  # follow-up rate 0.8
    below = progress(share, 0.5, D(2026, 11, 2), cumulative=False)
    assert (below.status, below.buffer_days, below.needed) == (Status.BEHIND, 0, None)
    assert below.projected == 0.5
    met = progress(share, 0.8, D(2026, 11, 2), cumulative=False)
    assert met.status is Status.DONE


def test_the_road_of_a_deadline_runs_from_the_goal_start() -> None:
    goal = netplan.Goal("Find a job", targets=[netplan.Target(5, "referrals", by=D(2027, 9, 30))])
    road = road_for(goal, goal.targets[0], D(2027, 1, 1), plan_start=D(2026, 11, 1))
    assert (road.start, road.end, road.amount) == (D(2026, 11, 1), D(2027, 9, 30), 5)


def test_a_period_target_is_measured_in_the_period_of_the_day() -> None:
    goal = netplan.Goal("Learn", targets=[netplan.Target(4, "coffees", per="month")])
    road = road_for(goal, goal.targets[0], D(2027, 2, 10), plan_start=D(2026, 11, 1))
    assert (road.start, road.end, road.amount) == (D(2027, 2, 1), D(2027, 2, 28), 4)


def test_a_goal_starting_mid_period_gets_a_prorated_first_road() -> None:
    goal = netplan.Goal(
        "Learn", start=D(2026, 11, 16), targets=[netplan.Target(2, "events", per="month")]
    )
    road = road_for(goal, goal.targets[0], D(2026, 11, 20), plan_start=D(2026, 11, 1))
    assert (road.start, road.end) == (D(2026, 11, 16), D(2026, 11, 30))
    assert road.amount == 1  # half of 2, in whole events
    before = road_for(goal, goal.targets[0], D(2026, 11, 2), plan_start=D(2026, 11, 1))
    assert before.start == D(2026, 11, 16)
    # 4 coffees over 16 of 30 days is 2.13: two coffees, a whole number.
    coffees = netplan.Goal(
        "Coffee", start=D(2026, 11, 15), targets=[netplan.Target(4, "coffees", per="month")]
    )
    assert (
        road_for(coffees, coffees.targets[0], D(2026, 11, 20), plan_start=D(2026, 11, 1)).amount
        == 2
    )
    # A fractional amount is prorated exactly.
    half = netplan.Goal(
        "Mentor", start=D(2026, 11, 26), targets=[netplan.Target(0.5, "calls", per="week")]
    )
    assert road_for(
        half, half.targets[0], D(2026, 11, 26), plan_start=D(2026, 11, 1)
    ).amount == Fraction(2, 7)


def test_less_than_half_a_period_left_starts_the_road_with_the_next_period() -> None:
    # A weekly target set on a Sunday is not due that very day: its first road is the
    # next week, and until then it is on track with nothing done.
    goal = netplan.Goal(
        "Post", start=D(2026, 11, 1), targets=[netplan.Target(1, "posts", per="week")]
    )
    road = road_for(goal, goal.targets[0], D(2026, 11, 1), plan_start=D(2026, 11, 1))
    assert (road.start, road.end, road.amount) == (D(2026, 11, 2), D(2026, 11, 8), 1)
    sunday = progress(road, 0, D(2026, 11, 1))
    assert (sunday.status, sunday.expected) == (Status.ON_TRACK, 0)


def test_bad_values_are_refused() -> None:
    declined = progress(NOVEMBER, -1, D(2026, 11, 5))  # a skill that went down
    assert (declined.status, declined.buffer_days, declined.score) == (Status.BEHIND, 0, 0.0)
    with pytest.raises(netplan.ValidationError, match="progress.actual"):
        progress(NOVEMBER, float("nan"), D(2026, 11, 5))
    with pytest.raises(netplan.ValidationError, match="Road.end"):
        Road(D(2026, 11, 30), D(2026, 11, 1), 2)
    with pytest.raises(netplan.ValidationError, match="Road.amount"):
        Road(D(2026, 11, 1), D(2026, 11, 30), 0)


roads = st.builds(
    lambda start, days, amount: Road(start, start + dt.timedelta(days=days), amount),
    st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
    st.integers(0, 400),
    st.integers(1, 50) | st.fractions(min_value=Fraction(1, 10), max_value=50),
)
actuals = st.integers(0, 100) | st.floats(0, 100, allow_nan=False)


@given(roads, actuals, actuals, st.integers(0, 400))
def test_status_and_buffer_never_fall_as_the_actual_value_rises(
    road: Road, a: float, b: float, day: int
) -> None:
    as_of = road.start + dt.timedelta(days=day)
    low, high = progress(road, min(a, b), as_of), progress(road, max(a, b), as_of)
    assert low.status.rank <= high.status.rank
    if high.buffer_days is not None and low.buffer_days is not None:
        assert low.buffer_days <= high.buffer_days
    assert low.score <= high.score


@given(roads, actuals, st.integers(0, 400))
def test_behind_means_a_whole_unit_due_and_not_done(road: Road, actual: float, day: int) -> None:
    as_of = road.start + dt.timedelta(days=day)
    result = progress(road, actual, as_of)
    assert (result.buffer_days == 0) == (result.status is Status.BEHIND)
    due = road.due(as_of)
    assert due == (road.amount if as_of >= road.end else math.floor(road.expected(as_of)))
    if result.status is Status.DONE:
        return
    assert (result.status is Status.BEHIND) == (Fraction(actual) < due)
    # Doing nothing for buffer_days more days derails exactly then.
    derail = as_of + dt.timedelta(days=result.buffer_days or 0)
    assert Fraction(actual) < road.due(derail)
    if derail > as_of:
        assert Fraction(actual) >= road.due(derail - dt.timedelta(days=1))


@given(roads, actuals, st.integers(0, 400))
def test_doing_what_is_needed_by_its_day_keeps_a_target_on_the_road(
    road: Road, actual: float, day: int
) -> None:
    as_of = road.start + dt.timedelta(days=day)
    result = progress(road, actual, as_of)
    if result.status is Status.DONE:
        assert result.needed is None
        return
    assert result.needed is not None and result.needed > 0
    assert result.needed_by is not None and result.needed_by >= as_of
    # Doing what is needed by then keeps it off "behind" on that day...
    kept = progress(road, actual + result.needed, result.needed_by)
    assert kept.status is not Status.BEHIND
    # ...and a whole unit less does not (whole counts take whole units).
    if float(actual).is_integer() and result.needed >= 1:
        short = progress(road, actual + result.needed - 1, result.needed_by)
        assert short.status is Status.BEHIND


@given(roads)
@example(Road(dt.date(2020, 1, 1), dt.date(2020, 1, 2), Fraction(2)))  # one a day: one due
def test_a_fresh_period_starts_on_track(road: Road) -> None:
    # Nothing done on the road's first day is behind only when something is due that
    # very day: a whole unit of the pace (a unit a day or more), or the road ends then.
    first = progress(road, 0, road.start)
    assert (first.status is Status.BEHIND) == (road.due(road.start) > 0)
    if road.length > 1 and road.amount < road.length:
        assert first.status is not Status.BEHIND


@given(roads, actuals, st.integers(-5, 400))
def test_expected_follows_a_steady_line_to_the_amount(road: Road, actual: float, day: int) -> None:
    as_of = road.start + dt.timedelta(days=day)
    result = progress(road, actual, as_of)
    assert 0 <= result.expected <= float(road.amount)
    if as_of >= road.end:
        assert result.expected == float(road.amount)
        assert result.final
    assert 0 <= result.score <= 1
