"""The built-in metrics and contact rules computed from the log's columns and indexes
agree with the plain definitions, one interaction at a time, whatever the order the
interactions arrived in and whether the indexes were built before or after.

The oracles below are the definitions written the slow, obvious way: a Python step per
interaction, reading each contact's history as :class:`~netplan.Interaction` objects.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from netplan import (
    UTC,
    ActivityLog,
    CadenceRule,
    Contact,
    FollowUpPolicy,
    Interaction,
    InteractionKind,
    Membership,
    Organization,
    Plan,
    Segment,
)
from netplan.core.findings import RuleContext, condense
from netplan.core.metrics import (
    FOLLOW_UP_KINDS,
    FollowUpLatency,
    FollowUpRate,
    OrganizationsJoined,
    Relationships,
    Window,
    cadence_groups,
)
from netplan.core.rules import DormantContacts, FollowUpsOverdue

BASE = dt.datetime(2026, 3, 1, tzinfo=UTC)
SPAN_HOURS = 24 * 120
KINDS = (
    InteractionKind.MET,
    InteractionKind.COFFEE,
    InteractionKind.FOLLOW_UP,
    InteractionKind.MESSAGE,
    InteractionKind.POST,
    InteractionKind.REFERRAL,
)
IDS = ("ada", "bo", "cy", "dee", "eli", "fay")
ZONES = ("UTC", "America/New_York", "Pacific/Kiritimati", "Europe/Berlin")


def _contacts(tiers: list[str | None], tags: list[frozenset[str]]) -> list[Contact]:
    return [
        Contact(name.title(), id=name, tier=tier, tags=tag)
        for name, tier, tag in zip(IDS, tiers, tags, strict=False)
    ]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Plan, list[Contact], list[Interaction], int]:
    count = draw(st.integers(1, len(IDS)))
    tiers = draw(st.lists(st.sampled_from(("a", "b", None)), min_size=count, max_size=count))
    tags = draw(
        st.lists(
            st.frozensets(st.sampled_from(("climate", "mentor"))), min_size=count, max_size=count
        )
    )
    people = _contacts(tiers, tags)
    hours = st.integers(0, SPAN_HOURS)
    interactions = draw(
        st.lists(
            st.builds(
                lambda kind, contact, hour: Interaction(
                    kind, BASE + dt.timedelta(hours=hour), contact=contact
                ),
                st.sampled_from(KINDS),
                st.sampled_from([c.id for c in people]),
                hours,
            ),
            max_size=40,
        )
    )
    policy = draw(
        st.none()
        | st.builds(
            FollowUpPolicy,
            within_days=st.integers(1, 10),
            after=st.frozensets(st.sampled_from(KINDS[:3]), min_size=1),
        )
    )
    rules = draw(
        st.lists(
            st.sampled_from(
                (
                    CadenceRule.tier("a", ideal_days=7),
                    CadenceRule.tier("b", ideal_days=20, max_days=45),
                    CadenceRule.tag("mentor", ideal_days=10),
                )
            ),
            unique=True,
            max_size=3,
        )
    )
    plan = Plan(
        "Maya",
        start=BASE.date(),
        follow_up=policy,
        keep_in_touch=tuple(rules),
        timezone=draw(st.sampled_from(ZONES)),
    )
    # Interactions from ``later`` on are appended after the indexes are built.
    later = draw(st.integers(0, len(interactions)))
    return plan, people, interactions, later


def _follow_ups(
    log: ActivityLog, window: Window, segment: Segment | None, after: frozenset[InteractionKind]
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """Each newcomer's first meeting and first answer after it, one interaction at a time."""
    found = []
    for contact_id in log.first_seen(window.starts_at, window.ends_at, segment=segment):
        history = log.interactions(contact=contact_id)
        meeting = next((i.at for i in history if i.kind in after), None)
        if meeting is None:
            continue
        answer = next((i.at for i in history if i.kind in FOLLOW_UP_KINDS and i.at > meeting), None)
        found.append((meeting, answer))
    return found


def rate_oracle(plan: Plan, log: ActivityLog, window: Window, segment: Segment | None) -> float:
    policy = plan.follow_up or FollowUpPolicy(within_days=2)
    zone = window.zone
    counted = followed = 0
    for meeting, answer in _follow_ups(log, window, segment, policy.after):
        due = policy.due(zone.day(meeting))
        if answer is not None and answer < zone.start(due + dt.timedelta(days=1)):
            counted += 1
            followed += 1
        elif due < window.end - dt.timedelta(days=1):
            counted += 1
    return followed / counted if counted else 1.0


def latency_oracle(
    plan: Plan, log: ActivityLog, window: Window, segment: Segment | None, quantile: float
) -> float:
    after = plan.follow_up.after if plan.follow_up else frozenset({InteractionKind.MET})
    delays = sorted(
        (answer - meeting) / dt.timedelta(days=1)
        for meeting, answer in _follow_ups(log, window, segment, after)
        if answer is not None
    )
    if not delays:
        return 0.0
    return delays[max(0, math.ceil(quantile * len(delays)) - 1)]


def relationships_oracle(
    plan: Plan, log: ActivityLog, window: Window, segment: Segment | None, dormant: bool
) -> float:
    zone = window.zone
    last_day = window.end - dt.timedelta(days=1)
    count = 0
    for cadence, ids in cadence_groups(plan, log):
        days = cadence.max_days if dormant else cadence.ideal_days
        bound = zone.start(last_day - dt.timedelta(days=days))
        for contact_id in ids:
            if segment is not None and not segment.matches(log.contact(contact_id)):
                continue
            earlier = log.interactions(end=window.ends_at, contact=contact_id)
            if earlier and (earlier[-1].at < bound) == dormant:
                count += 1
    return float(count)


def _built(people: list[Contact], interactions: list[Interaction], later: int) -> ActivityLog:
    """A log of ``interactions``, its indexes built after the first ``later`` of them."""
    log = ActivityLog([*people, *interactions[:later]])
    log.count(BASE, BASE + dt.timedelta(days=1), segment=Segment(tag="climate"))
    log.first_meetings(kind=InteractionKind.MET, answer=FOLLOW_UP_KINDS)
    return log


@settings(max_examples=150, deadline=None)
@given(
    cases(),
    st.integers(0, 130),
    st.integers(1, 40),
    st.sampled_from((None, Segment(tag="climate"), Segment(tag="mentor"))),
)
def test_column_metrics_agree_with_their_definitions(
    case: tuple[Plan, list[Contact], list[Interaction], int],
    offset: int,
    length: int,
    segment: Segment | None,
) -> None:
    plan, people, interactions, later = case
    start = BASE.date() + dt.timedelta(days=offset - 5)
    window = Window(start, start + dt.timedelta(days=length), plan.zone)
    log = _built(people, interactions, later)
    # Measure once with the indexes as they are, so that the appends below must keep
    # them right rather than have them built afresh.
    FollowUpRate().measure(plan, log, window, segment)
    FollowUpLatency("p", 0.5, "").measure(plan, log, window, segment)
    Relationships("r", False, "").measure(plan, log, window, segment)
    for interaction in interactions[later:]:
        log.add(interaction)
    fresh = ActivityLog([*people, *interactions])
    for reading in (log, fresh):
        assert FollowUpRate().measure(plan, reading, window, segment) == rate_oracle(
            plan, fresh, window, segment
        )
        for quantile in (0.5, 0.9):
            metric = FollowUpLatency("latency", quantile, "")
            assert metric.measure(plan, reading, window, segment) == latency_oracle(
                plan, fresh, window, segment, quantile
            )
        for dormant in (False, True):
            metric = Relationships("relationships", dormant, "")
            assert metric.measure(plan, reading, window, segment) == relationships_oracle(
                plan, fresh, window, segment, dormant
            )


@settings(max_examples=200, deadline=None)
@given(
    cases(),
    st.lists(st.tuples(st.integers(-5, 125), st.integers(1, 60)), min_size=1, max_size=4),
    st.sampled_from((None, Segment(tag="climate"), Segment(tag="mentor"))),
    st.integers(1, 3),
)
def test_follow_ups_measured_before_appends_read_the_log_as_made_afresh(
    case: tuple[Plan, list[Contact], list[Interaction], int],
    spans: list[tuple[int, int]],
    segment: Segment | None,
    step: int,
) -> None:
    """A log read by a reviewer (which reads its version, so it remembers what is
    appended) brings the first meetings it worked out along with each append: a coffee
    with someone met before, a back-dated first meeting, a new person's first
    interaction. Each window then reads as a log made afresh from every interaction."""
    plan, people, interactions, later = case
    windows = [
        Window(start, start + dt.timedelta(days=length), plan.zone)
        for offset, length in [(-5, 135), *spans]  # the whole span, and a few windows
        for start in [BASE.date() + dt.timedelta(days=offset)]
    ]
    latency = FollowUpLatency("latency", 0.5, "")

    def measures(log: ActivityLog) -> list[object]:
        return [
            (
                FollowUpRate().measure(plan, log, window, segment),
                latency.measure(plan, log, window, segment),
                log.first_meetings(
                    window.starts_at,
                    window.ends_at,
                    kind=InteractionKind.MET,
                    answer=FOLLOW_UP_KINDS,
                    segment=segment,
                ),
            )
            for window in windows
        ]

    log = _built(people, interactions, later)
    version = log.version  # read, as a reviewer reads it: appends are remembered
    measures(log)
    for done in range(later, len(interactions), step):
        for interaction in interactions[done : done + step]:
            log.add(interaction)
        fresh = ActivityLog([*people, *interactions[: done + step]])
        assert measures(log) == measures(fresh)
    # Every append was remembered: the windows were brought along, not started afresh.
    assert log.appended_since(version) is not None
    assert len(log.appended_since(version) or ()) == len(interactions) - later


@settings(max_examples=100, deadline=None)
@given(cases(), st.integers(0, 130), st.integers(1, 3))
def test_contact_rules_pick_the_same_findings_as_sorting_every_hit(
    case: tuple[Plan, list[Contact], list[Interaction], int], offset: int, limit: int
) -> None:
    plan, people, interactions, later = case
    log = _built(people, interactions, later)
    for interaction in interactions[later:]:
        log.add(interaction)
    day = BASE.date() + dt.timedelta(days=offset)
    context = RuleContext(
        plan, log.before(plan.zone.start(day + dt.timedelta(days=1))), day, (), (), {}
    )
    for rule in (DormantContacts(limit=limit), FollowUpsOverdue(limit=limit)):
        assert rule.check(context) == condense(rule, context, rule.hits(context, None))


@settings(max_examples=300)
@given(
    cases(),
    st.integers(0, 130),
    st.integers(1, 40),
    st.frozensets(st.sampled_from(IDS), min_size=1),
)
def test_the_meetings_unanswered_of_a_few_contacts_are_their_definition(
    case: tuple[Plan, list[Contact], list[Interaction], int],
    offset: int,
    length: int,
    chosen: frozenset[str],
) -> None:
    """What a reviewer asks after a few people were logged: each one's latest meeting in
    the window that no later follow-up answers, read from the time index."""
    _plan, people, interactions, later = case
    log = _built(people, interactions, later)
    log.unanswered(None, None, kind="met", answer=FOLLOW_UP_KINDS)  # the index, built
    for interaction in interactions[later:]:
        log.add(interaction)
    start = BASE + dt.timedelta(days=offset - 5)
    end = start + dt.timedelta(days=length)
    kinds = {InteractionKind.MET, InteractionKind.COFFEE}
    present = [c.id for c in people if c.id in chosen]
    expected = []
    for contact_id in present:
        history = log.interactions(contact=contact_id)
        meetings = [i.at for i in history if i.kind in kinds and start <= i.at < end]
        if meetings and not any(i.kind in FOLLOW_UP_KINDS and i.at > meetings[-1] for i in history):
            expected.append((meetings[-1], contact_id))
    found = log.unanswered(start, end, kind=kinds, answer=FOLLOW_UP_KINDS, contacts=present)
    assert [(at, who) for who, at in found] == sorted(
        expected, key=lambda pair: (pair[0], log.contacts.index(log.contact(pair[1])))
    )


_DAYS = st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 20))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["energy", "health", None]),
            st.lists(_DAYS, max_size=3),
        ),
        max_size=6,
    ),
    _DAYS,
    st.integers(0, 10),
    st.sampled_from(
        [None, Segment(industry="energy"), Segment(organization="org-1"), Segment(tag="x")]
    ),
)
def test_organizations_joined_counts_each_membership_begun_in_the_window(
    organizations: list[tuple[str | None, list[dt.date]]],
    start: dt.date,
    days: int,
    segment: Segment | None,
) -> None:
    made = [
        Organization(
            f"Org {number}",
            industry=industry,
            memberships=[Membership(since) for since in began],
            id=f"org-{number}",
        )
        for number, (industry, began) in enumerate(organizations)
    ]
    log = ActivityLog(made)
    window = Window(start, start + dt.timedelta(days=days))
    expected = sum(
        1
        for organization in made
        for membership in organization.memberships
        if start <= membership.since < window.end
        and (segment is None or segment.organization in (None, organization.id))
        and (segment is None or segment.industry in (None, organization.industry))
    )
    joined = OrganizationsJoined()
    assert joined.measure(Plan("P", dt.date(2026, 1, 1)), log, window, segment) == expected
    # Asked again (a re-review), the days kept by the log give the same count.
    assert joined.measure(Plan("P", dt.date(2026, 1, 1)), log, window, segment) == expected
