from __future__ import annotations

import datetime as dt
import itertools

import pytest
from dateutil import rrule
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.agenda import _previous
from netplan.core.schedule import occurrences
from netplan.testing import strategies as nst

D = dt.date


def test_second_tuesday_of_the_month() -> None:
    meetup = netplan.Recurrence.nth_weekday("tu", 2, start=D(2026, 11, 1))
    assert meetup.rule == "FREQ=MONTHLY;BYDAY=2TU"
    assert meetup.between(D(2026, 11, 1), D(2027, 3, 1)) == (
        D(2026, 11, 10),
        D(2026, 12, 8),
        D(2027, 1, 12),
        D(2027, 2, 9),
    )


def test_every_other_tuesday_is_fortnightly_from_the_start() -> None:
    days = netplan.Recurrence.every_other("TU", start=D(2026, 11, 3)).between(
        D(2026, 11, 1), D(2026, 12, 16)
    )
    assert days == (D(2026, 11, 3), D(2026, 11, 17), D(2026, 12, 1), D(2026, 12, 15))


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months() -> None:
    days = netplan.Recurrence.monthly(start=D(2027, 1, 31)).between(D(2027, 1, 1), D(2027, 5, 1))
    assert days == (D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30))


def test_twice_a_month_and_weekly() -> None:
    twice = netplan.Recurrence.twice_a_month(start=D(2026, 11, 1), days=(15, 1))
    assert twice.between(D(2026, 11, 1), D(2026, 12, 2)) == (
        D(2026, 11, 1),
        D(2026, 11, 15),
        D(2026, 12, 1),
    )
    fridays = netplan.Recurrence.weekly("FR", start=D(2026, 11, 1))
    assert fridays.between(D(2026, 11, 1), D(2026, 11, 15)) == (D(2026, 11, 6), D(2026, 11, 13))


def test_rrule_text_is_accepted_with_or_without_its_prefix() -> None:
    a = netplan.Recurrence("RRULE:freq=weekly;byday=MO", D(2026, 11, 1))
    assert a == netplan.Recurrence("FREQ=WEEKLY;BYDAY=MO", D(2026, 11, 1))
    assert a.between(D(2026, 11, 1), D(2026, 11, 10)) == (D(2026, 11, 2), D(2026, 11, 9))


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=FORTNIGHTLY", "RFC 5545"),
        ("not a rule", "RFC 5545"),
        ("FREQ=WEEKLY;BYDAY=XX", "RFC 5545"),
        ("FREQ=HOURLY", "on days"),
        ("FREQ=DAILY;BYHOUR=9", "on days"),
        ("DTSTART:20260101\nRRULE:FREQ=DAILY", "DTSTART"),
        ("", "RRULE text"),
    ],
)
def test_a_rule_that_does_not_parse_is_a_validation_error(rule: str, reason: str) -> None:
    with pytest.raises(netplan.ValidationError, match=reason) as caught:
        netplan.Recurrence(rule, D(2026, 1, 1))
    assert caught.value.field == "Recurrence.rule"


@pytest.mark.parametrize(
    "make",
    [
        lambda: netplan.Recurrence.weekly("XY", start=D(2026, 1, 1)),
        lambda: netplan.Recurrence.nth_weekday("TU", 0, start=D(2026, 1, 1)),
        lambda: netplan.Recurrence.nth_weekday("TU", 6, start=D(2026, 1, 1)),
        lambda: netplan.Recurrence.monthly(start=D(2026, 1, 1), day=32),
        lambda: netplan.Recurrence.twice_a_month(start=D(2026, 1, 1), days=(5, 5)),
        lambda: netplan.Recurrence.twice_a_month(start=D(2026, 1, 1), days=(5, 30)),
        lambda: netplan.Recurrence.daily(D(2026, 1, 1), interval=0),
        lambda: netplan.Recurrence("FREQ=DAILY", dt.datetime(2026, 1, 1)),
    ],
)
def test_friendly_constructors_reject_nonsense(make: object) -> None:
    with pytest.raises(netplan.ValidationError):
        make()  # type: ignore[operator]


def test_a_quota_is_due_once_per_period_with_its_count() -> None:
    due = occurrences("events", netplan.Quota(2, "month"), D(2026, 12, 15), D(2027, 1, 2))
    assert [(o.on, o.until, o.count) for o in due] == [
        (D(2026, 12, 1), D(2026, 12, 31), 2),
        (D(2027, 1, 1), D(2027, 1, 31), 2),
    ]


def test_a_one_off_is_due_on_its_day_if_in_range() -> None:
    join = netplan.Once(D(2027, 3, 31))
    assert occurrences("join", join, D(2027, 3, 1), D(2027, 4, 1))[0].on == D(2027, 3, 31)
    assert occurrences("join", join, D(2027, 4, 1), D(2027, 5, 1)) == ()


def test_a_reversed_range_is_rejected() -> None:
    with pytest.raises(netplan.ValidationError, match="range.end"):
        netplan.Recurrence.weekly("MO", start=D(2026, 1, 1)).between(D(2026, 2, 1), D(2026, 1, 1))


@given(
    nst.recurrences(),
    nst.dates(min_value=D(2019, 1, 1), max_value=D(2032, 1, 1)),
    st.integers(0, 400),
)
def test_occurrences_are_sorted_unique_and_inside_the_range(
    recurrence: netplan.Recurrence, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    found = recurrence.between(start, end)
    assert list(found) == sorted(set(found))
    assert all(start <= d < end and d >= recurrence.start for d in found)


@given(
    nst.recurrences(),
    nst.dates(min_value=D(2019, 1, 1), max_value=D(2032, 1, 1)),
    st.integers(0, 200),
)
def test_occurrences_match_a_brute_force_walk_over_every_day(
    recurrence: netplan.Recurrence, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    rule = rrule.rrulestr(recurrence.rule, dtstart=dt.datetime.combine(recurrence.start, dt.time()))
    every = {
        d.date()
        for d in rule.between(
            dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time()), inc=True
        )
    }
    assert set(recurrence.between(start, end)) == {d for d in every if d < end}


@given(nst.recurrences(), nst.dates(min_value=D(2019, 1, 1), max_value=D(2032, 1, 1)))
def test_the_occurrence_before_a_day_is_the_last_of_the_year_before_it(
    recurrence: netplan.Recurrence, day: dt.date
) -> None:
    # What a recurring action's evidence counts from: the occurrence before, or the day
    # before the schedule starts; one a year or more back counts from a year back.
    since = max(recurrence.start, day - dt.timedelta(days=366))
    year = recurrence.between(since, day) if since < day else ()
    expected = (
        recurrence.start - dt.timedelta(days=1)
        if day <= recurrence.start
        else (year[-1] if year else since - dt.timedelta(days=1))
    )
    assert _previous("action", recurrence, day) == expected


@given(st.sampled_from(netplan.Period), nst.dates(), st.integers(0, 800))
def test_periods_tile_the_range_without_gaps(
    period: netplan.Period, start: dt.date, days: int
) -> None:
    end = min(start + dt.timedelta(days=days), D(9999, 1, 1))
    spans = list(period.spans(start, end))
    for (_, a_end), (b_start, _) in itertools.pairwise(spans):
        assert a_end == b_start
    if spans:
        assert spans[0][0] <= start < spans[0][1] or start == end
        assert spans[-1][1] >= end
    for first, following in spans:
        assert period.start_of(first) == first
        assert period.bounds(first) == (first, following)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6",
        "FREQ=YEARLY;BYYEARDAY=200;BYMONTH=1",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
    ],
)
def test_a_rule_no_day_can_meet_is_refused_without_looking_to_the_year_9999(rule: str) -> None:
    # Unbounded, dateutil takes seconds to find nothing, at every query of the plan.
    with pytest.raises(netplan.ValidationError, match="meets no day in the forty years"):
        netplan.Recurrence(rule, D(2026, 1, 1))


def test_a_rule_meeting_a_day_only_every_few_decades_is_kept() -> None:
    # February 29th on a Monday: 2044, then 2072.
    leap_monday = netplan.Recurrence("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", D(2026, 1, 1))
    assert leap_monday.between(D(2026, 1, 1), D(2080, 1, 1)) == (D(2044, 2, 29), D(2072, 2, 29))
    assert leap_monday.between(D(2026, 1, 1), D(2030, 1, 1)) == ()


_PARTS = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY"])},
    optional={
        "INTERVAL": st.integers(1, 5).map(str),
        "BYMONTH": st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True).map(
            lambda xs: ",".join(map(str, xs))
        ),
        "BYMONTHDAY": st.lists(
            st.integers(-31, 31).filter(bool), min_size=1, max_size=3, unique=True
        ).map(lambda xs: ",".join(map(str, xs))),
        "BYDAY": st.lists(
            st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
            min_size=1,
            max_size=3,
            unique=True,
        ).map(",".join),
        "BYWEEKNO": st.lists(
            st.integers(-53, 53).filter(bool), min_size=1, max_size=2, unique=True
        ).map(lambda xs: ",".join(map(str, xs))),
        "BYYEARDAY": st.lists(
            st.integers(-366, 366).filter(bool), min_size=1, max_size=2, unique=True
        ).map(lambda xs: ",".join(map(str, xs))),
        "BYSETPOS": st.sampled_from(["1", "-1", "2"]),
    },
)


@given(
    _PARTS,
    nst.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
    nst.dates(min_value=D(2020, 1, 1), max_value=D(2040, 1, 1)),
    st.integers(0, 800),
)
def test_any_rule_kept_gives_the_days_dateutil_gives(
    parts: dict[str, str], start: dt.date, first: dt.date, days: int
) -> None:
    # Rare and odd rules too: the walk that stops past the end asked for stops after
    # every day dateutil would give (a year's period starts up to a year before its day).
    text = ";".join(f"{key}={value}" for key, value in parts.items())
    try:
        recurrence = netplan.Recurrence(text, start)
    except netplan.ValidationError:
        return
    end = first + dt.timedelta(days=days)
    rule = rrule.rrulestr(recurrence.rule, dtstart=dt.datetime.combine(start, dt.time()))
    expected = [
        d.date()
        for d in rule.between(
            dt.datetime.combine(first, dt.time()), dt.datetime.combine(end, dt.time()), inc=True
        )
        if d.date() < end
    ]
    assert list(recurrence.between(first, end)) == expected
