"""The plan's time zone decides every day, and a review as of a day knows only that day.

Every calendar question (periods, metric windows, follow-up deadlines, cadences, the
agenda's days) is asked in the plan's local days; instants stay UTC in the log. Counts are
held to a reference computed independently, one instant at a time with zoneinfo.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.agenda import ItemKind, agenda
from netplan.core.metrics import BUILTIN_METRICS, Window
from netplan.core.periods import Period
from netplan.core.zones import Zone
from netplan.testing import strategies as nst

D = dt.date
UTC = dt.UTC
METRICS = {m.name: m for m in BUILTIN_METRICS}


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(zone: str, *args: int) -> dt.datetime:
    """A wall-clock time in ``zone``, as an aware datetime."""
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


# -- the zone ----------------------------------------------------------------------------


def test_a_plan_s_zone_is_an_iana_name() -> None:
    with pytest.raises(netplan.ValidationError, match=r"Plan\.timezone: 'Mars/Olympus'.*IANA"):
        netplan.Plan("Maya", start=D(2026, 1, 1), timezone="Mars/Olympus")
    with pytest.raises(netplan.ValidationError, match="did you mean 'Europe/Berlin'"):
        netplan.Plan("Maya", start=D(2026, 1, 1), timezone="Europe/Berln")
    # Spelled as the zone database spells it, so it loads on every file system.
    plan = netplan.Plan("Maya", start=D(2026, 1, 1), timezone="europe/berlin")
    assert plan.timezone == "Europe/Berlin" and plan.zone == Zone.named("Europe/Berlin")
    assert netplan.Plan("Maya", start=D(2026, 1, 1)).zone.name == "UTC"
    assert netplan.from_data(netplan.to_data(plan)) == plan


@pytest.mark.parametrize(
    ("zone", "instant", "day"),
    [
        # Berlin: clocks go forward at 02:00 on 29 March 2026, back at 03:00 on 25 October.
        ("Europe/Berlin", utc(2026, 3, 28, 22, 59), D(2026, 3, 28)),
        ("Europe/Berlin", utc(2026, 3, 28, 23, 0), D(2026, 3, 29)),
        ("Europe/Berlin", utc(2026, 3, 29, 21, 59), D(2026, 3, 29)),  # 23:59 CEST
        ("Europe/Berlin", utc(2026, 3, 29, 22, 0), D(2026, 3, 30)),
        ("Europe/Berlin", utc(2026, 10, 25, 22, 59), D(2026, 10, 25)),  # 23:59 CET
        # New York: forward on 8 March 2026, back on 1 November.
        ("America/New_York", utc(2026, 3, 8, 4, 59), D(2026, 3, 7)),
        ("America/New_York", utc(2026, 3, 9, 3, 59), D(2026, 3, 8)),
        ("America/New_York", utc(2026, 11, 1, 3, 59), D(2026, 10, 31)),
        ("America/New_York", utc(2026, 11, 2, 4, 59), D(2026, 11, 1)),
        # Lord Howe: half an hour of DST, +10:30 / +11:00.
        ("Australia/Lord_Howe", utc(2026, 7, 1, 13, 29), D(2026, 7, 1)),
        ("Australia/Lord_Howe", utc(2026, 7, 1, 13, 30), D(2026, 7, 2)),
        ("Australia/Lord_Howe", utc(2026, 12, 1, 12, 59), D(2026, 12, 1)),
        ("Australia/Lord_Howe", utc(2026, 12, 1, 13, 0), D(2026, 12, 2)),
        # Kathmandu: +05:45 all year.
        ("Asia/Kathmandu", utc(2026, 6, 30, 18, 14), D(2026, 6, 30)),
        ("Asia/Kathmandu", utc(2026, 6, 30, 18, 15), D(2026, 7, 1)),
        # Samoa skipped 30 December 2011, moving from -10:00 to +14:00 at midnight.
        ("Pacific/Apia", utc(2011, 12, 30, 9, 59), D(2011, 12, 29)),
        ("Pacific/Apia", utc(2011, 12, 30, 10, 0), D(2011, 12, 31)),
    ],
)
def test_an_instant_falls_on_the_local_day_of_the_plan_s_zone(
    zone: str, instant: dt.datetime, day: dt.date
) -> None:
    named = Zone.named(zone)
    assert named.day(instant) == day
    micros = (instant - utc(1970, 1, 1)) // dt.timedelta(microseconds=1)
    assert named.days([micros]) == [day.toordinal()]
    assert named.start(day) <= instant < named.start(day + dt.timedelta(days=1))


def test_local_days_begin_when_the_zone_says() -> None:
    berlin, apia, lord_howe = (
        Zone.named(z) for z in ("Europe/Berlin", "Pacific/Apia", "Australia/Lord_Howe")
    )
    assert berlin.start(D(2026, 3, 29)) == utc(2026, 3, 28, 23)
    assert berlin.start(D(2026, 3, 30)) == utc(2026, 3, 29, 22)  # a day of 23 hours
    assert berlin.start(D(2026, 10, 26)) - berlin.start(D(2026, 10, 25)) == dt.timedelta(hours=25)
    # The day Samoa skipped has no instant: it begins when the next day does.
    assert apia.start(D(2011, 12, 30)) == apia.start(D(2011, 12, 31)) == utc(2011, 12, 30, 10)
    # Lord Howe's days are 23.5 and 24.5 hours long when its clocks change by half an hour.
    assert lord_howe.start(D(2026, 10, 5)) - lord_howe.start(D(2026, 10, 4)) == dt.timedelta(
        hours=23, minutes=30
    )


def test_a_wall_time_the_clocks_skip_is_read_after_the_change() -> None:
    new_york = Zone.named("America/New_York")
    # 02:30 on 8 March 2026 does not exist in New York: read as 03:30 EDT.
    assert new_york.local(dt.datetime(2026, 3, 8, 2, 30)) == utc(2026, 3, 8, 7, 30)
    # 01:30 on 1 November happens twice: the first, still EDT.
    assert new_york.local(dt.datetime(2026, 11, 1, 1, 30)) == utc(2026, 11, 1, 5, 30)
    assert new_york.local(dt.datetime(2026, 12, 8, 19, 30)) == utc(2026, 12, 9, 0, 30)


instants = st.integers(
    (utc(2005, 1, 1) - utc(1970, 1, 1)) // dt.timedelta(microseconds=1),
    (utc(2035, 1, 1) - utc(1970, 1, 1)) // dt.timedelta(microseconds=1),
)


@given(nst.zones(), st.lists(instants, max_size=200))
def test_a_column_of_instants_maps_to_the_days_zoneinfo_gives_one_by_one(
    zone: str, column: list[int]
) -> None:
    info = zoneinfo.ZoneInfo(zone)
    expected = [
        (utc(1970, 1, 1) + dt.timedelta(microseconds=m)).astimezone(info).date().toordinal()
        for m in column
    ]
    assert Zone.named(zone).days(column) == expected


@given(nst.zones(), st.lists(instants, min_size=256, max_size=400))
def test_a_long_column_is_placed_as_its_instants_are_one_by_one(
    zone: str, column: list[int]
) -> None:
    # From 256 instants on, a zone whose clocks change searches its day boundaries with
    # numpy: the same days as a few instants bisected one at a time.
    named = Zone.named(zone)
    # Instants on a day's first microsecond, and the one before, around both changes
    # of the clocks: a boundary belongs to the day it begins.
    for day in (dt.date(2026, 3, 8), dt.date(2026, 3, 9), dt.date(2026, 11, 1)):
        column += [named.start_micros(day), named.start_micros(day) - 1]
    assert named.days(column) == [day for m in column for day in named.days([m])]
    assert named.days(array("q", column)) == named.days(tuple(column))


# -- counts in local periods --------------------------------------------------------------


@given(
    zone=nst.zones(),
    period=st.sampled_from(Period),
    moments=st.lists(
        st.tuples(instants, st.sampled_from(["met", "coffee", "post"]), st.integers(0, 4)),
        max_size=60,
    ),
    start=nst.dates(min_value=D(2008, 1, 1), max_value=D(2033, 1, 1)),
)
def test_period_counts_equal_a_reference_counted_one_instant_at_a_time(
    zone: str,
    period: Period,
    moments: list[tuple[int, str, int]],
    start: dt.date,
) -> None:
    log = netplan.ActivityLog([netplan.Contact(f"P{i}", id=f"p{i}") for i in range(5)])
    for micros, kind, who in moments:
        at = utc(1970, 1, 1) + dt.timedelta(microseconds=micros)
        log.add(netplan.Interaction(kind, at, contact=None if kind == "post" else f"p{who}"))
    plan = netplan.Plan("Maya", start=D(2000, 1, 1), timezone=zone)
    info = zoneinfo.ZoneInfo(zone)
    first, end = period.bounds(start)
    window = Window(first, end, plan.zone)
    days = [(i, i.at.astimezone(info).date()) for i in log]
    in_window = [i for i, day in days if first <= day < end]
    assert METRICS["interactions"].measure(plan, log, window, None) == len(in_window)
    assert METRICS["coffees"].measure(plan, log, window, None) == sum(
        1 for i in in_window if i.kind.value == "coffee"
    )
    first_days = {}
    for i, day in sorted(days, key=lambda pair: pair[0].at):
        if i.contact is not None:
            first_days.setdefault(i.contact, day)
    newcomers = sum(1 for day in first_days.values() if first <= day < end)
    assert METRICS["new_contacts"].measure(plan, log, window, None) == newcomers


def test_a_coffee_at_half_past_eleven_in_los_angeles_on_30_june_counts_for_june() -> None:
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    log.add(
        netplan.Interaction(
            "coffee", local("America/Los_Angeles", 2026, 6, 30, 23, 30), contact="lena-berg"
        )
    )
    goal = netplan.Goal("Coffee", targets=[netplan.Target(4, "coffees", per="month")])
    for zone, june, july in (("America/Los_Angeles", 1, 0), ("UTC", 0, 1)):
        plan = netplan.Plan("Maya", start=D(2026, 1, 1), timezone=zone, goals=[goal])
        assert netplan.review(plan, log, D(2026, 6, 30)).progress[0].actual == june
        assert netplan.review(plan, log, D(2026, 7, 31)).progress[0].actual == july


def test_an_early_meetup_in_tokyo_lands_on_its_own_day() -> None:
    log = netplan.ActivityLog([netplan.Contact("Aiko Sato")])
    # 07:30 in Tokyo is 22:30 UTC the day before.
    log.add(
        netplan.Interaction("met", local("Asia/Tokyo", 2026, 12, 1, 7, 30), contact="aiko-sato")
    )
    tokyo = netplan.Plan("Maya", start=D(2026, 1, 1), timezone="Asia/Tokyo")
    december = Window(D(2026, 12, 1), D(2027, 1, 1), tokyo.zone)
    assert METRICS["meetings"].measure(tokyo, log, december, None) == 1
    assert METRICS["new_contacts"].measure(tokyo, log, december, None) == 1


def test_follow_up_deadlines_and_cadences_are_counted_in_local_days() -> None:
    la = "America/Los_Angeles"
    plan = netplan.Plan(
        "Maya",
        start=D(2026, 11, 1),
        timezone=la,
        follow_up=netplan.FollowUpPolicy(within_days=2),
        keep_in_touch=[netplan.CadenceRule.tier("a", ideal_days=21)],
    )
    log = netplan.ActivityLog([netplan.Contact("Lena Berg", tier="a")])
    # Met at 23:00 on 3 December in Los Angeles (07:00 UTC on the 4th): due on the 5th.
    log.add(netplan.Interaction("met", local(la, 2026, 12, 3, 23), contact="lena-berg"))
    week = agenda(plan, log, D(2026, 12, 4), D(2026, 12, 11))
    follow_up = next(i for i in week.items if i.kind is ItemKind.FOLLOW_UP)
    assert (follow_up.due, follow_up.reason) == (
        D(2026, 12, 5),
        "Follow up with Lena Berg (met 2026-12-03)",
    )
    # Every 21 days from the 3rd, a local day: due on the 24th.
    later = agenda(plan, log, D(2026, 12, 24), D(2026, 12, 25))
    assert [i.due for i in later.items if i.kind is ItemKind.KEEP_IN_TOUCH] == [D(2026, 12, 24)]
    # A follow-up at 23:30 on the 5th (07:30 UTC on the 6th) is in time.
    log.add(netplan.Interaction("follow_up", local(la, 2026, 12, 5, 23, 30), contact="lena-berg"))
    window = Window(D(2026, 12, 1), D(2027, 1, 1), plan.zone)
    assert METRICS["follow_up_rate"].measure(plan, log, window, None) == 1.0
    assert not any(
        i.kind is ItemKind.FOLLOW_UP
        for i in agenda(plan, log, D(2026, 12, 6), D(2026, 12, 7)).items
    )


# -- a review as of a day -------------------------------------------------------------------

PLAN = netplan.Plan(
    "Maya",
    start=D(2026, 9, 1),
    timezone="America/New_York",
    goals=[
        netplan.Goal(
            "Grow",
            targets=[
                netplan.Target(4, "new_contacts", per="month"),
                netplan.Target(2, "coffees", per="week"),
                netplan.Target(0.8, "follow_up_rate", per="month"),
                netplan.Target(10, "interactions", by=D(2027, 3, 31)),
                netplan.Target(3, "active_relationships", per="month"),
            ],
        )
    ],
    follow_up=netplan.FollowUpPolicy(within_days=2),
    keep_in_touch=[
        netplan.CadenceRule.tier("a", ideal_days=14),
        netplan.CadenceRule.tier("b", ideal_days=30, max_days=60),
    ],
    actions=[
        netplan.PlannedAction(
            "Post",
            kind="post_social",
            schedule=netplan.Recurrence.weekly("FR", start=D(2026, 9, 1)),
        ),
        netplan.PlannedAction("Reach out", kind="reach_out", schedule=netplan.Quota(3, "week")),
    ],
)


@given(
    nst.activity_logs(max_interactions=30),
    nst.dates(min_value=D(2026, 9, 1), max_value=D(2027, 6, 1)),
    st.lists(
        st.tuples(st.sampled_from(netplan.InteractionKind), st.integers(0, 200 * 24 * 3600)),
        min_size=1,
        max_size=5,
    ),
)
def test_a_review_as_of_a_day_knows_nothing_logged_after_it(
    log: netplan.ActivityLog, day: dt.date, later: list[tuple[netplan.InteractionKind, int]]
) -> None:
    for contact in log.contacts[:2]:
        log.update(netplan.Contact(contact.name, tier="a", id=contact.id))
    before = netplan.review(PLAN, log, day)
    before_agenda = agenda(PLAN, log, day, day + dt.timedelta(days=7))
    end_of_day = PLAN.zone.start(day + dt.timedelta(days=1))
    for number, (kind, seconds) in enumerate(later):
        contact = (
            None
            if kind is netplan.InteractionKind.POST
            else log.contacts[number % len(log.contacts)].id
        )
        log.add(
            netplan.Interaction(kind, end_of_day + dt.timedelta(seconds=seconds), contact=contact)
        )
    assert netplan.review(PLAN, log, day) == before
    assert agenda(PLAN, log, day, day + dt.timedelta(days=7)) == before_agenda


def test_a_follow_up_logged_the_next_morning_is_still_owed_the_evening_before() -> None:
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    log.add(
        netplan.Interaction("met", local("America/New_York", 2026, 11, 27, 19), contact="lena-berg")
    )
    log.add(
        netplan.Interaction(
            "follow_up", local("America/New_York", 2026, 12, 1, 8, 30), contact="lena-berg"
        )
    )
    past = netplan.review(PLAN, log, D(2026, 11, 30))
    owed = past.finding("follow_ups_overdue", "lena-berg")
    assert owed is not None and "due on 2026-11-29" in owed.message
    now = netplan.review(PLAN, log, D(2026, 12, 1))
    assert now.finding("follow_ups_overdue", "lena-berg") is None
    change = past.compare(now)
    assert owed.key in [f.key for f in change.resolved]


# -- statuses that mean what they say ---------------------------------------------------------


@given(
    nst.activity_logs(max_interactions=30),
    nst.dates(min_value=D(2026, 9, 1), max_value=D(2027, 6, 1)),
    nst.zones(),
)
def test_a_target_is_behind_or_at_risk_exactly_when_a_finding_says_so(
    log: netplan.ActivityLog, day: dt.date, zone: str
) -> None:
    plan = netplan.Plan(
        PLAN.person, start=PLAN.start, goals=PLAN.goals, timezone=zone, follow_up=PLAN.follow_up
    )
    result = netplan.review(plan, log, day)
    flagged = {
        f.subject.id: f.message.split(" on ")[0] for f in result.findings if f.rule == "target_pace"
    }
    for p in result.progress:
        said = flagged.get(f"{p.goal}/{p.target}")
        if p.status is netplan.Status.AT_RISK:
            assert said == "At risk"
        elif p.status is netplan.Status.BEHIND:
            assert said in ("Behind", "Last day", "Missed")
        else:
            assert said is None


@given(nst.reviews())
def test_a_review_never_calls_a_target_missed_and_suggests_raising_it(
    result: netplan.Review,
) -> None:
    urgent = {
        f.subject.id
        for f in result.findings
        if f.rule == "target_pace" and f.severity is netplan.Severity.URGENT
    }
    raise_it = {f.subject.id for f in result.findings if f.rule == "target_always_met"}
    assert not urgent & raise_it


def test_on_the_last_day_of_a_month_missed_is_not_also_always_met() -> None:
    goal = netplan.Goal("Coffee", targets=[netplan.Target(8, "coffees", per="month")])
    plan = netplan.Plan("Maya", start=D(2026, 2, 1), goals=[goal])
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    for month in (2, 3, 4, 5):
        for day in range(1, 9):
            log.add(netplan.Interaction("coffee", utc(2026, month, day, 9), contact="lena-berg"))
    for day in range(1, 6):
        log.add(netplan.Interaction("coffee", utc(2026, 6, day, 9), contact="lena-berg"))
    result = netplan.review(plan, log, D(2026, 6, 30))
    (pace,) = [f for f in result.findings if f.rule == "target_pace"]
    assert pace.message.startswith('Last day on "Coffee": 5 of 8 coffees this month: 3 more')
    assert result.finding("target_always_met") is None
    (habit,) = result.consistency
    assert (habit.periods, habit.met) == (5, 4)  # June, ending on the day reviewed, counts


@pytest.mark.parametrize(
    ("amount", "per", "status"),
    [
        (4, "month", netplan.Status.ON_TRACK),  # the first is due on the 8th
        (1, "week", netplan.Status.ON_TRACK),  # due by Sunday
        (6, "quarter", netplan.Status.ON_TRACK),
        (4, "week", netplan.Status.AT_RISK),  # the first is due on Tuesday: never behind on Monday
    ],
)
def test_a_fresh_period_starts_on_track(amount: int, per: str, status: netplan.Status) -> None:
    goal = netplan.Goal("Grow", targets=[netplan.Target(amount, "new_contacts", per=per)])
    plan = netplan.Plan("Maya", start=D(2026, 1, 1), goals=[goal])
    first = Period(per).start_of(D(2026, 12, 7))
    result = netplan.review(plan, netplan.ActivityLog(), first)
    (progress,) = result.progress
    assert progress.status is status
    findings = [f.message.split(" on ")[0] for f in result.findings if f.rule == "target_pace"]
    assert findings == ([] if status is netplan.Status.ON_TRACK else ["At risk"])


@pytest.mark.parametrize(("per", "days"), [("day", 365), ("week", 52), ("month", 24)])
def test_a_habit_kept_perfectly_reaches_loop_s_strength(per: str, days: int) -> None:
    goal = netplan.Goal("Post", targets=[netplan.Target(1, "posts", per=per)])
    start = D(2025, 1, 1)
    plan = netplan.Plan("Maya", start=start, goals=[goal])
    log = netplan.ActivityLog()
    period = Period(per)
    first = start
    for _ in range(days):
        log.add(netplan.Interaction("post", dt.datetime.combine(first, dt.time(9), UTC)))
        first = period.after(first)
    result = netplan.review(plan, log, period.start_of(first) - dt.timedelta(days=1))
    (habit,) = result.consistency
    assert habit.met == habit.periods
    assert habit.strength > 0.99


def test_the_strength_matches_loop_s_own_test_vectors() -> None:
    # Loop Habit Tracker's ScoreTest: a daily habit from 0, 0.5 and 0.75, checked or not.
    road = netplan.Road(D(2026, 1, 1), D(2026, 1, 1), 1)
    done, missed = netplan.progress(road, 1, road.end), netplan.progress(road, 0, road.end)
    assert netplan.core.pace.consistency([done]).strength == pytest.approx(0.051922, abs=1e-6)
    assert netplan.core.pace.consistency([missed]).strength == 0
    weight = netplan.core.pace.habit_weight(1)
    for before, checked, unchecked in ((0.5, 0.525961, 0.474039), (0.75, 0.762981, 0.711058)):
        assert before * weight + (1 - weight) == pytest.approx(checked, abs=1e-6)
        assert before * weight == pytest.approx(unchecked, abs=1e-6)
    # A habit of once in three days: Loop's daily multiplier, three times over.
    third = netplan.core.pace.habit_weight(3) ** (1 / 3)
    assert 1 - third == pytest.approx(0.030314, abs=1e-6)
    assert 0.5 * third + (1 - third) == pytest.approx(0.515157, abs=1e-6)
    assert 0.75 * third == pytest.approx(0.727263, abs=1e-6)


def test_what_to_do_next_is_said_as_a_person_would() -> None:
    goal = netplan.Goal("Learn", targets=[netplan.Target(3, "coffees", per="week")])
    plan = netplan.Plan("Maya", start=D(2026, 1, 1), goals=[goal])
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    log.add(netplan.Interaction("coffee", utc(2026, 12, 7, 9), contact="lena-berg"))  # Monday
    result = netplan.review(plan, log, D(2026, 12, 9))  # Wednesday: 1 of 3, 1.29 by the pace
    (progress,) = result.progress
    assert (
        netplan.core.rules.next_step(goal.targets[0], progress)
        == "1 more coffee by Friday to stay on track"
    )
    behind = netplan.review(plan, netplan.ActivityLog(), D(2026, 12, 12))
    assert (
        netplan.core.rules.next_step(goal.targets[0], behind.progress[0])
        == "2 more coffees today to catch up"
    )


# -- the agenda reacts to what was done --------------------------------------------------------


def test_an_occurrence_or_a_quota_is_done_partly_done_or_open_as_the_log_shows() -> None:
    log = netplan.ActivityLog([netplan.Contact("Omar Haddad"), netplan.Contact("Ana Silva")])
    ny = "America/New_York"
    log.add(netplan.Interaction("post", local(ny, 2026, 12, 4, 8, 30)))  # Friday morning
    log.add(netplan.Interaction("message", local(ny, 2026, 12, 1, 9), contact="omar-haddad"))
    log.add(netplan.Interaction("message", local(ny, 2026, 12, 2, 22), contact="ana-silva"))
    week = agenda(PLAN, log, D(2026, 11, 30), D(2026, 12, 7), as_of=D(2026, 12, 4))
    post = next(i for i in week.items if i.action == "post")
    assert (post.due, post.state) == (D(2026, 12, 4), netplan.ItemState.DONE)
    quota = next(i for i in week.items if i.action == "reach-out")
    assert (quota.due, quota.done, quota.count, quota.state) == (
        D(2026, 12, 6),
        2,
        3,
        netplan.ItemState.PARTLY_DONE,
    )
    assert "2 of 3 done" in str(week)
    # The agenda as it stood on Thursday did not know of Friday's post.
    thursday = agenda(PLAN, log, D(2026, 11, 30), D(2026, 12, 7), as_of=D(2026, 12, 3))
    assert next(i for i in thursday.items if i.action == "post").state is netplan.ItemState.OPEN
    # A Friday missed and made up on Saturday clears that Friday.
    log.add(netplan.Interaction("post", local(ny, 2026, 12, 12, 10)))
    late = agenda(PLAN, log, D(2026, 12, 7), D(2026, 12, 14), as_of=D(2026, 12, 12))
    assert next(i for i in late.items if i.action == "post").state is netplan.ItemState.DONE


def test_the_agenda_of_a_range_lists_only_what_is_due_in_it() -> None:
    log = netplan.ActivityLog()
    days = agenda(PLAN, log, D(2026, 11, 25), D(2026, 12, 2), as_of=D(2026, 12, 5))
    assert days.items and all(D(2026, 11, 25) <= i.due < D(2026, 12, 2) for i in days.items)
    # The quota of the week of 30 November is due on 6 December: not in this range.
    assert [i.due for i in days.items if i.action == "reach-out"] == [D(2026, 11, 29)]


def test_what_the_log_cannot_show_is_marked_done_in_the_plan() -> None:
    plan = PLAN.add_action(
        netplan.PlannedAction(
            "Volunteer",
            kind="volunteer",
            schedule=netplan.Recurrence.weekly("SA", start=D(2026, 9, 1)),
        )
    )
    week = agenda(plan, netplan.ActivityLog(), D(2026, 12, 5), D(2026, 12, 6))
    (saturday,) = [i for i in week.items if i.action == "volunteer"]
    marked = plan.mark_done(saturday, D(2026, 12, 5))
    again = agenda(marked, netplan.ActivityLog(), D(2026, 12, 5), D(2026, 12, 6))
    assert [i.state for i in again.items if i.action == "volunteer"] == [netplan.ItemState.DONE]
    assert [str(c) for c in plan.diff(marked).changes] == [f"added completed {saturday.key}"]
    assert netplan.from_data(netplan.to_data(marked)) == marked


def test_a_day_without_a_time_is_imported_at_the_start_of_that_local_day(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = netplan.open("memory://")
    store.save(netplan.Plan("Maya", start=D(2026, 1, 1), timezone="America/Los_Angeles"))
    sheet = tmp_path / "Connections.csv"
    sheet.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Lena,Berg,https://www.linkedin.com/in/lena-berg,,Sunrise Power,CTO,30 Jun 2026\n",
        encoding="utf-8",
    )
    netplan.import_files(store, "maya", sheet, today=D(2026, 7, 2))
    (connected,) = store.load_log("maya")
    assert connected.at == local("America/Los_Angeles", 2026, 6, 30)
    assert store.load("maya").zone.day(connected.at) == D(2026, 6, 30)
