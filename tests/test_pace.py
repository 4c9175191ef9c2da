from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.pace import Road, Status, progress, road_for

D = dt.date
NOVEMBER = Road(D(2026, 11, 1), D(2026, 11, 30), 2)


def test_two_events_a_month_as_maya_lives_it() -> None:
    # Halfway through November with one event: exactly on the road, derails tomorrow.
    mid = progress(NOVEMBER, 1, D(2026, 11, 15))
    assert mid.expected == 1.0
    assert mid.projected == 2.0
    assert mid.buffer_days == 1
    assert mid.status is Status.AT_RISK
    assert mid.score == 0.5
    # Nothing yet on the 20th: behind.
    late = progress(NOVEMBER, 0, D(2026, 11, 20))
    assert (late.buffer_days, late.status) == (0, Status.BEHIND)
    # Two events by the 5th: done.
    done = progress(NOVEMBER, 2, D(2026, 11, 5))
    assert (done.buffer_days, done.status, done.score) == (None, Status.DONE, 1.0)


def test_a_lead_of_a_week_or_more_is_ahead() -> None:
    # 1 of 2 covers 15 days of a 30-day month; on the 5th that is 11 days of safety.
    early = progress(NOVEMBER, 1, D(2026, 11, 5))
    assert early.buffer_days == 11
    assert early.status is Status.AHEAD
    assert progress(NOVEMBER, 1, D(2026, 11, 11)).status is Status.ON_TRACK


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
    assert road.amount == Fraction(2) * 15 / 30
    before = road_for(goal, goal.targets[0], D(2026, 11, 2), plan_start=D(2026, 11, 1))
    assert before.start == D(2026, 11, 16)


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
def test_the_buffer_is_zero_exactly_when_behind(road: Road, actual: float, day: int) -> None:
    as_of = road.start + dt.timedelta(days=day)
    result = progress(road, actual, as_of)
    assert (result.buffer_days == 0) == (result.status is Status.BEHIND)
    if result.status is Status.BEHIND:
        assert Fraction(actual) < road.expected(as_of)
    elif result.status is not Status.DONE:
        assert Fraction(actual) >= road.expected(as_of)
        # Doing nothing for buffer_days more days derails exactly then.
        derail = as_of + dt.timedelta(days=result.buffer_days or 0)
        assert Fraction(actual) < road.expected(derail)
        assert Fraction(actual) >= road.expected(derail - dt.timedelta(days=1))


@given(roads, actuals, st.integers(-5, 400))
def test_expected_follows_a_steady_line_to_the_amount(road: Road, actual: float, day: int) -> None:
    as_of = road.start + dt.timedelta(days=day)
    result = progress(road, actual, as_of)
    assert 0 <= result.expected <= float(road.amount)
    if as_of >= road.end:
        assert result.expected == float(road.amount)
        assert result.final
    assert 0 <= result.score <= 1
