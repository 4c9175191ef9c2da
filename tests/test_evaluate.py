"""Evaluate and adjust: the metrics added for step 5, consistency, findings, adjustments
with the akrasia horizon, comparing reviews, and the log's review indexes."""

from __future__ import annotations

import datetime as dt
import math
import unittest.mock

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import netplan
import netplan.core._indexes
import netplan.core.evaluation
import netplan.core.rules
from netplan.core.evaluation import Reviewer, review
from netplan.core.metrics import BUILTIN_METRICS, Window
from netplan.core.pace import consistency, progress
from netplan.core.rules import BUILTIN_RULES, DormantContacts, FollowUpsOverdue
from netplan.testing import strategies as nst

D = dt.date
UTC = netplan.UTC
METRICS = {m.name: m for m in BUILTIN_METRICS}


def at(month: int, day: int, hour: int = 19, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


def measure(name: str, plan: netplan.Plan, log: netplan.ActivityLog, start: D, end: D) -> float:
    return METRICS[name].measure(plan, log, Window(start, end), None)


# -- metrics -----------------------------------------------------------------------------


def test_follow_up_latency_is_the_median_and_90th_percentile_of_delays(
    maya: netplan.Plan,
) -> None:
    log = netplan.ActivityLog()
    for i, hours in enumerate([6, 12, 24, 48, 240]):
        name = f"person-{i}"
        log.add(
            netplan.Contact(f"Person {i}", id=name),
            netplan.Interaction("met", at(11, 2 + i), contact=name),
            netplan.Interaction("message", at(11, 2 + i) + dt.timedelta(hours=hours), contact=name),
        )
    log.add(  # met, never followed up: left out of the latency
        netplan.Contact("Silent"), netplan.Interaction("met", at(11, 9), contact="silent")
    )
    november = (D(2026, 11, 1), D(2026, 12, 1))
    assert measure("follow_up_latency_median", maya, log, *november) == 1.0  # 24 h
    assert measure("follow_up_latency_p90", maya, log, *november) == 10.0  # 240 h
    assert measure("follow_up_latency_median", maya, log, D(2027, 1, 1), D(2027, 2, 1)) == 0.0


def test_active_and_dormant_relationships_follow_each_contacts_cadence(
    maya: netplan.Plan,
) -> None:
    # Maya keeps in touch with tier a every 21 days (at most 42), tier b every 60 (90).
    log = netplan.ActivityLog(
        [
            netplan.Contact("Ana", tier="a"),
            netplan.Contact("Ben", tier="a"),
            netplan.Contact("Cleo", tier="b"),
            netplan.Contact("Dev", tier="c"),  # no cadence: never counted
            netplan.Interaction("coffee", at(11, 20), contact="ana"),  # 10 days before Dec 1
            netplan.Interaction("coffee", at(9, 1), contact="ben"),  # 90 days: dormant
            netplan.Interaction("call", at(10, 1), contact="cleo"),  # 60 days: active
            netplan.Interaction("call", at(1, 1), contact="dev"),
        ]
    )
    november = (D(2026, 11, 1), D(2026, 12, 1))
    assert measure("active_relationships", maya, log, *november) == 2  # Ana, Cleo
    assert measure("dormant_relationships", maya, log, *november) == 1  # Ben
    # As of the end of September, Ben was seen 29 days before: due, neither.
    september = (D(2026, 9, 1), D(2026, 10, 1))
    assert measure("dormant_relationships", maya, log, *september) == 0
    assert measure("active_relationships", maya, log, *september) == 0  # Ana not yet met


def test_skill_level_and_change_come_from_the_assessments(maya: netplan.Plan) -> None:
    plan = maya.assess(
        netplan.SkillAssessment(
            D(2026, 11, 1), [netplan.Rating("following_up", 2), netplan.Rating("working_a_room", 3)]
        )
    ).assess(
        netplan.SkillAssessment(
            D(2027, 2, 1), [netplan.Rating("following_up", 4), netplan.Rating("working_a_room", 4)]
        )
    )
    log = netplan.ActivityLog()
    assert measure("skill_level", plan, log, D(2026, 10, 1), D(2026, 11, 1)) == 0  # none yet
    assert measure("skill_level", plan, log, D(2026, 11, 1), D(2026, 12, 1)) == 2.5
    assert measure("skill_change", plan, log, D(2026, 12, 1), D(2027, 3, 1)) == 1.5
    assert measure("skill_change", plan, log, D(2026, 10, 1), D(2027, 3, 1)) == 1.5
    assert measure("skill_change", plan, log, D(2026, 12, 1), D(2027, 1, 1)) == 0
    result = review(plan, log, D(2027, 2, 15))
    assert [(c.skill, c.delta) for c in result.skills] == [
        ("following_up", 2),
        ("working_a_room", 1),
    ]


# -- consistency --------------------------------------------------------------------------


def monthly(scores: list[float]) -> list[netplan.Progress]:
    road = netplan.Road(D(2026, 1, 1), D(2026, 1, 30), 4)
    return [progress(road, 4 * s, road.end) for s in scores]


def test_consistency_counts_streaks_and_a_loop_habit_strength() -> None:
    habit = consistency(monthly([1, 1, 0, 1, 1, 1]))
    assert (habit.periods, habit.met, habit.current_streak, habit.longest_streak) == (6, 5, 3, 3)
    assert habit.share == 5 / 6
    # Loop's score: a 30-day period weighs 1 - 0.5 ** (sqrt(30) / 13) of the strength.
    weight = 1 - 0.5 ** (math.sqrt(30) / 13)
    strength = 0.0
    for value in [1, 1, 0, 1, 1, 1]:
        strength = strength * (1 - weight) + value * weight
    assert habit.strength == pytest.approx(strength)
    assert consistency([]).share == 0


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.integers(0, 29))
def test_a_single_miss_is_forgiven_by_the_strength_but_not_the_streak(
    scores: list[float], where: int
) -> None:
    perfect = consistency(monthly([1.0] * len(scores)))
    where = where % len(scores)
    one_miss = consistency(monthly([0.0 if i == where else 1.0 for i in range(len(scores))]))
    assert 0 <= one_miss.strength <= perfect.strength <= 1
    # One miss costs at most one period's weight (about a quarter for a month).
    assert perfect.strength - one_miss.strength <= 1 - 0.5 ** (math.sqrt(30) / 13) + 1e-9
    assert consistency(monthly(scores)).strength <= perfect.strength + 1e-9


def test_a_review_reports_consistency_of_per_period_targets(maya: netplan.Plan) -> None:
    log = netplan.ActivityLog([netplan.Event("Meetup", D(2026, 11, 10), tags={"climate"})])
    for month in (11, 12):
        for day in (5, 20):
            log.add(netplan.Event(f"Climate {month}-{day}", D(2026, month, day), tags={"climate"}))
    result = review(maya, log, D(2027, 1, 15))
    habit = next(c for c in result.consistency if c.target == "events_attended")
    assert (habit.periods, habit.met, habit.current_streak) == (2, 2, 2)
    assert all(c.target != "referrals" for c in result.consistency)  # a deadline target


# -- findings, failures, adjustments -------------------------------------------------------


class Boom:
    name = "boom"
    description = "Always raises."

    def check(self, context: netplan.RuleContext) -> list[netplan.Finding]:
        raise RuntimeError("bug in my rule")


class TooEasy:
    name = "too_easy"
    description = "Suggests raising or lowering the events target."

    def __init__(self, amount: int) -> None:
        self.amount = amount

    def check(self, context: netplan.RuleContext) -> list[netplan.Finding]:
        return [
            netplan.Finding(
                self.name,
                "info",
                "Change the events target",
                netplan.Subject.target("learn-about-climate-tech", "events_attended"),
                "A test rule.",
                netplan.SetTargetAmount("learn-about-climate-tech", "events_attended", self.amount),
            )
        ]


def test_a_failing_rule_becomes_a_failed_finding_naming_its_plugin(maya: netplan.Plan) -> None:
    result = review(
        maya,
        netplan.ActivityLog(),
        D(2026, 11, 15),
        rules=[Boom()],
        sources={"boom": "netplan-coach"},
    )
    failed = result.finding("boom")
    assert failed is not None and failed.severity is netplan.Severity.FAILED
    assert "Rule 'boom' (from plugin 'netplan-coach') failed: RuntimeError: bug in my rule" in (
        failed.message
    )
    assert result.progress  # the review completed


def test_the_host_reviews_with_installed_plugins_and_names_them() -> None:
    class Coach:
        @netplan.hookimpl
        def netplan_register_rules(self, register: object) -> None:
            register("boom", Boom())  # type: ignore[operator]

    host = netplan.plugins.PluginHost(entry_points=False, plugins=[Coach()], environ={})
    plan = netplan.Plan("Maya", start=D(2026, 11, 1))
    result = host.review(plan, netplan.ActivityLog(), D(2026, 11, 15))
    failed = result.finding("boom")
    assert failed is not None and "(from plugin 'Coach')" in failed.message


def test_raising_a_target_applies_at_once_and_easing_waits_the_akrasia_horizon(
    maya: netplan.Plan,
) -> None:
    log = netplan.ActivityLog()
    day = D(2026, 11, 15)
    raised = review(maya, log, day, rules=[TooEasy(3)]).adjust(maya)
    target = raised.plan.goal("learn-about-climate-tech").target("events_attended")
    assert (target.amount, target.pending) == (3, None)
    assert raised.review.applied[0].effective == day

    eased = review(maya, log, day, rules=[TooEasy(1)]).adjust(maya)
    target = eased.plan.goal("learn-about-climate-tech").target("events_attended")
    assert target.amount == 2 and target.pending == netplan.AmountChange(1, D(2026, 11, 22))
    assert target.amount_on(D(2026, 11, 21)) == 2 and target.amount_on(D(2026, 11, 22)) == 1
    assert eased.review.applied[0].effective == D(2026, 11, 22)
    # The pace follows the amount in force on the day reviewed.
    before = review(eased.plan, log, D(2026, 11, 21), rules=[])
    after = review(eased.plan, log, D(2026, 11, 22), rules=[])
    events = ("learn-about-climate-tech", "events_attended")
    assert {(p.goal, p.target): p for p in before.progress}[events].road.amount == 2
    assert {(p.goal, p.target): p for p in after.progress}[events].road.amount == 1

    impatient = attrs.evolve(maya, akrasia_days=0)
    now = review(impatient, log, day, rules=[TooEasy(1)]).adjust(impatient)
    assert now.plan.goal("learn-about-climate-tech").target("events_attended").amount == 1


def test_adjustments_give_the_next_revision_recorded_in_the_stored_review(
    maya: netplan.Plan,
) -> None:
    store = netplan.open("memory://")
    saved = store.save(maya)
    result = review(saved, netplan.ActivityLog(), D(2026, 11, 15), rules=[TooEasy(3)])
    adjusted = result.adjust(saved)
    assert saved.diff(adjusted.plan)  # the old plan is unchanged, the new one differs
    next_plan = store.save(adjusted.plan)
    record = adjusted.review.adopted(next_plan.revision)
    store.save_review(saved.id, netplan.to_data(record))
    (stored,) = store.reviews(saved.id)
    back = netplan.from_data(stored, netplan.Review)
    assert back == record
    assert back.adopted_revision == next_plan.revision == 2
    assert back.applied[0].adjustment == netplan.SetTargetAmount(
        "learn-about-climate-tech", "events_attended", 3
    )


def test_comparing_reviews_shows_progress_and_new_and_resolved_findings(
    maya: netplan.Plan,
) -> None:
    log = netplan.ActivityLog()
    first = review(maya, log, D(2026, 11, 15), rules=[Boom()])
    log.add(netplan.Event("Climate night", D(2026, 11, 20), tags={"climate"}))
    second = review(maya, log, D(2026, 11, 25), rules=[TooEasy(3)])
    diff = first.compare(second)
    assert [f.rule for f in diff.new] == ["too_easy"]
    assert [f.rule for f in diff.resolved] == ["boom"]
    events = next(c for c in diff.targets if c.target == "events_attended")
    assert events.delta == 1
    assert "resolved: [failed]" in str(diff)


def test_adjusting_another_plan_is_refused(maya: netplan.Plan) -> None:
    result = review(maya, netplan.ActivityLog(), D(2026, 11, 15), rules=[])
    with pytest.raises(netplan.ValidationError, match="must be the reviewed plan"):
        result.adjust(netplan.Plan("Someone else", start=D(2026, 1, 1)))


@given(nst.reviews(max_goals=2))
def test_a_review_is_deterministic_and_round_trips(result: netplan.Review) -> None:
    assert netplan.from_data(netplan.to_data(result), netplan.Review) == result


# -- the log's review indexes -------------------------------------------------------------


@given(
    nst.activity_logs(max_interactions=25),
    st.lists(
        nst.interactions(contact_ids=["x"], min_value=D(2024, 1, 1), max_value=D(2028, 1, 1)),
        max_size=12,
    ),
    nst.dates(min_value=D(2024, 1, 1), max_value=D(2028, 1, 1)),
    st.integers(0, 900),
    st.none() | nst.segments(),
    st.none() | st.sets(st.sampled_from(netplan.InteractionKind), min_size=1),
)
def test_indexed_counts_agree_with_a_scan_before_and_after_appends(
    log: netplan.ActivityLog,
    more: list[netplan.Interaction],
    start: D,
    days: int,
    segment: netplan.Segment | None,
    kinds: set[netplan.InteractionKind] | None,
) -> None:
    end = start + dt.timedelta(days=days)
    contact = log.contacts[0].id

    def check() -> None:
        chosen = [
            i
            for i in log
            if dt.datetime.combine(start, dt.time(), UTC)
            <= i.at
            < dt.datetime.combine(end, dt.time(), UTC)
        ]
        members = {
            c.id
            for c in log.contacts
            if segment is None
            or segment.matches(c, log.organizations_by_id().get(c.organization or ""))
        }
        expected = [
            i
            for i in chosen
            if (kinds is None or i.kind in kinds) and (segment is None or i.contact in members)
        ]
        assert log.count(start, end, kind=kinds, segment=segment) == len(expected)
        firsts: dict[str, dt.datetime] = {}
        for i in log:
            if i.contact is not None and (i.contact not in firsts or i.at < firsts[i.contact]):
                firsts[i.contact] = i.at
        assert log.first_interactions() == firsts
        # In the order first met; at one instant, in the order of the log's contacts.
        place = {c.id: n for n, c in enumerate(log.contacts)}
        assert list(log.first_interactions()) == sorted(firsts, key=lambda c: (firsts[c], place[c]))
        newcomers = {
            c
            for c, first in firsts.items()
            if c in members
            and dt.datetime.combine(start, dt.time(), UTC)
            <= first
            < dt.datetime.combine(end, dt.time(), UTC)
        }
        assert set(log.first_seen(start, end, segment=segment)) == newcomers
        assert log.count_first_seen(start, end, segment=segment) == len(newcomers)

    check()  # builds the index
    for interaction in more:  # appends in any order keep it up to date
        log.add(
            attrs.evolve(interaction, contact=None if interaction.kind.value == "post" else contact)
        )
    check()
    check_copy = log.copy()
    assert check_copy.count(start, end, kind=kinds, segment=segment) == log.count(
        start, end, kind=kinds, segment=segment
    )


def test_the_segment_cache_forgets_when_a_contact_changes() -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena", tags={"climate"}),
            netplan.Interaction("coffee", at(11, 2), contact="lena"),
        ]
    )
    climate = netplan.Segment(tag="climate")
    assert log.count(kind="coffee", segment=climate) == 1
    log.update(netplan.Contact("Lena", tags={"fintech"}))
    assert log.count(kind="coffee", segment=climate) == 0


def test_record_review_saves_the_adjusted_plan_then_the_review(maya: netplan.Plan) -> None:
    store = netplan.open("memory://")
    plan = store.save(maya)
    log = netplan.ActivityLog()
    first = netplan.record_review(
        store, review(plan, log, D(2026, 11, 15), rules=[TooEasy(3)]).adjust(plan)
    )
    assert first.adopted_revision == 2 and store.revisions(plan.id) == (1, 2)
    unchanged = netplan.record_review(store, review(store.load(plan.id), log, D(2026, 11, 22)))
    assert unchanged.adopted_revision is None and store.revisions(plan.id) == (1, 2)
    history = netplan.review_history(store, plan.id)
    assert history == (first, unchanged)
    assert [f.rule for f in history[0].compare(history[1]).resolved] == ["too_easy"]


def every_metric_plan(zone: str) -> netplan.Plan:
    """A plan with a target of every built-in metric, segments and cadences: what a
    reviewer's re-reviews are checked against."""
    return netplan.Plan(
        "Maya",
        start=D(2026, 1, 1),
        timezone=zone,
        goals=[
            netplan.Goal(
                "Grow",
                targets=[
                    netplan.Target(4, "new_contacts", per="month"),
                    netplan.Target(
                        3, "coffees", per="week", segment=netplan.Segment(tag="climate")
                    ),
                    netplan.Target(40, "interactions", by=D(2027, 6, 1)),
                ],
            ),
            # Every built-in metric, so that each one's re-review is checked.
            netplan.Goal(
                "Everything",
                targets=[
                    *(netplan.Target(1, m.name, per="month") for m in BUILTIN_METRICS),
                    netplan.Target(
                        1,
                        "follow_up_rate",
                        per="week",
                        segment=netplan.Segment(tag="climate"),
                        id="climate_follow_up_rate",
                    ),
                ],
            ),
        ],
        keep_in_touch=[
            netplan.CadenceRule.tier("a", ideal_days=21),
            netplan.CadenceRule.tier("b", ideal_days=7, max_days=30),
            netplan.CadenceRule.tag("climate", ideal_days=3),
        ],
        follow_up=netplan.FollowUpPolicy(within_days=2, after={"met", "coffee"}),
    )


@given(
    nst.activity_logs(max_interactions=20),
    st.lists(
        nst.interactions(contact_ids=["x"], min_value=D(2026, 1, 1), max_value=D(2027, 6, 1)),
        min_size=1,
        max_size=6,
    ),
    nst.dates(min_value=D(2026, 6, 1), max_value=D(2027, 6, 1)),
    nst.zones(),
)
def test_a_reviewer_gives_the_same_reviews_as_reviewing_afresh(
    log: netplan.ActivityLog, more: list[netplan.Interaction], as_of: D, zone: str
) -> None:
    plan = every_metric_plan(zone)
    # Limits of 1 make the findings shown depend on the order of everyone flagged.
    rules = [
        DormantContacts(limit=1),
        FollowUpsOverdue(limit=1, urgent_days=3),
        *netplan.core.rules.BUILTIN_RULES[3:],
    ]
    reviewer = netplan.Reviewer(rules=rules)
    assert reviewer.review(plan, log, as_of) == review(plan, log, as_of, rules=rules)
    for number, interaction in enumerate(more):
        kind = interaction.kind
        contact = log.contacts[number % len(log.contacts)].id
        log.add(attrs.evolve(interaction, contact=None if kind.value == "post" else contact))
        assert reviewer.review(plan, log, as_of) == review(plan, log, as_of, rules=rules)
    log.update(attrs.evolve(log.contacts[0], tags=frozenset({"climate"})))
    assert reviewer.review(plan, log, as_of) == review(plan, log, as_of, rules=rules)
    later = as_of + dt.timedelta(days=3)
    assert reviewer.review(plan, log, later) == review(plan, log, later, rules=rules)


_ANSWERED = ["met", "coffee", "follow_up", "message", "call"]


@example(  # met last January, followed up tomorrow: counted once tomorrow is reviewed
    log=netplan.ActivityLog([netplan.Contact("X")]),
    steps=[("met", -364), ("follow_up", 1), 3],
    as_of=D(2027, 1, 1),
    zone="UTC",
)
@example(  # and no longer counted when a day before it is reviewed again
    log=netplan.ActivityLog([netplan.Contact("X")]),
    steps=[("met", -368), ("follow_up", -3), -4],
    as_of=D(2027, 1, 5),
    zone="UTC",
)
@given(
    nst.activity_logs(max_interactions=6),
    st.lists(
        # A day moved by, or an interaction logged on a day around the first one reviewed.
        st.integers(-30, 60) | st.tuples(st.sampled_from(_ANSWERED), st.integers(-150, 60)),
        min_size=1,
        max_size=6,
    ),
    nst.dates(min_value=D(2026, 6, 1), max_value=D(2027, 1, 1)),
    nst.zones(),
)
def test_a_reviewer_follows_the_day_reviewed_back_and_forth(
    log: netplan.ActivityLog, steps: list[int | tuple[str, int]], as_of: D, zone: str
) -> None:
    # A person logs what is planned ahead (tomorrow's follow-up) and reviews other days:
    # moving the day brings those interactions into the review, or takes them out, and a
    # reviewer's remembered measures must follow, whatever the metric.
    plan = every_metric_plan(zone)
    reviewer = netplan.Reviewer()
    noon = dt.datetime.combine(as_of, dt.time(12), UTC)
    assert reviewer.review(plan, log, as_of) == review(plan, log, as_of)
    for step in steps:
        if isinstance(step, int):
            as_of += dt.timedelta(days=step)
        else:  # with one person, so that meetings and their follow-ups meet
            kind, days = step
            at = noon + dt.timedelta(days=days)
            log.add(netplan.Interaction(kind, at, contact=log.contacts[0].id))
        assert reviewer.review(plan, log, as_of) == review(plan, log, as_of)


@settings(max_examples=60)
@given(
    st.lists(
        # A day moved by, or an interaction logged on a day around the first one reviewed.
        st.integers(-30, 60) | st.tuples(st.sampled_from(_ANSWERED), st.integers(-150, 60)),
        min_size=2,
        max_size=8,
    ),
    nst.dates(min_value=D(2026, 6, 1), max_value=D(2027, 1, 1)),
    st.integers(0, 2),
)
def test_a_reviewer_moved_past_many_interactions_measures_afresh(
    steps: list[int | tuple[str, int]], as_of: D, at_most: int
) -> None:
    # Moved to a day more interactions away than it works out staleness for (a month of
    # a busy log), a reviewer measures everything again: lowered here to a few, both
    # ways of a move give the fresh review.
    log = netplan.ActivityLog([netplan.Contact("X")])
    plan = every_metric_plan("Europe/Berlin")
    reviewer = netplan.Reviewer()
    noon = dt.datetime.combine(as_of, dt.time(12), UTC)
    with unittest.mock.patch.object(netplan.core.evaluation, "_MOVED_AT_MOST", at_most):
        assert reviewer.review(plan, log, as_of) == review(plan, log, as_of)
        for step in steps:
            if isinstance(step, int):
                as_of += dt.timedelta(days=step)
            else:
                kind, days = step
                log.add(netplan.Interaction(kind, noon + dt.timedelta(days=days), contact="x"))
            assert reviewer.review(plan, log, as_of) == review(plan, log, as_of)


@given(
    nst.activity_logs(max_interactions=25),
    nst.dates(min_value=D(2024, 1, 1), max_value=D(2028, 1, 1)),
    st.integers(0, 900),
    st.none() | nst.segments(),
    st.none() | st.sets(st.sampled_from(netplan.InteractionKind), min_size=1),
)
def test_has_agrees_with_count(
    log: netplan.ActivityLog,
    start: D,
    days: int,
    segment: netplan.Segment | None,
    kinds: set[netplan.InteractionKind] | None,
) -> None:
    end = start + dt.timedelta(days=days)
    assert log.has(start, end, kind=kinds, segment=segment) == (
        log.count(start, end, kind=kinds, segment=segment) > 0
    )


@given(
    nst.activity_logs(max_interactions=60),
    st.data(),
    st.integers(0, 3),
    st.none() | nst.segments(),
    st.sets(st.sampled_from(netplan.InteractionKind), min_size=1),
    st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata"]),
)
def test_local_days_are_the_days_of_the_interactions_asked_for(
    log: netplan.ActivityLog,
    data: st.DataObject,
    days: int,
    segment: netplan.Segment | None,
    kinds: set[netplan.InteractionKind],
    zone_name: str,
) -> None:
    # A window of the log is picked from its own rows until the kinds' columns are built
    # (a question about the whole log builds them), then read from those: both give the
    # days of the interactions.
    zone = netplan.Zone.named(zone_name)
    instants = sorted(i.at for i in log) or [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    start = data.draw(st.sampled_from(instants)).date()
    end = start + dt.timedelta(days=days)
    with unittest.mock.patch.object(netplan.core._indexes, "_WINDOW_SHARE", 1):
        # Any window smaller than the whole log is picked from its own rows.
        picked = log.local_days(start, end, zone, kind=kinds, segment=segment)
    expected = [zone.day(i.at) for i in log.interactions(start, end, kind=kinds, segment=segment)]
    assert picked == expected
    log.local_days(None, None, zone, kind=kinds)
    assert log.local_days(start, end, zone, kind=kinds, segment=segment) == expected


def test_the_journal_says_what_was_appended_since_a_version() -> None:
    log = netplan.ActivityLog([netplan.Contact("Lena")])
    version = log.version
    met = at(11, 2)
    log.add(netplan.Interaction("met", met, contact="lena"))
    assert log.appended_since(version) == ((met, "lena"),)
    assert log.appended_since(log.version) == ()
    log.add(netplan.Contact("Omar"))
    assert log.appended_since(version) is None  # a record changed: start afresh
    assert log.derived("mine", lambda: 1) == 1
    assert log.derived("mine", lambda: 2) == 1
    log.update(netplan.Contact("Omar", tier="a"))
    assert log.derived("mine", lambda: 3) == 3


def test_who_has_not_been_heard_from() -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Ana"),
            netplan.Contact("Ben"),
            netplan.Contact("Cleo"),
            netplan.Interaction("call", at(9, 1), contact="ana"),
            netplan.Interaction("call", at(10, 1), contact="ben"),
        ]
    )
    since = at(9, 15)
    assert log.not_heard_from(["ana", "ben", "cleo"], at(11, 1)) == (
        ("ana", at(9, 1)),
        ("ben", at(10, 1)),
    )
    assert log.count_not_heard_from(["ana", "ben", "cleo"], since, at(11, 1)) == (1, 2)
    assert log.not_heard_from(["ana", "ben"], at(11, 1), limit=1) == (("ana", at(9, 1)),)
    with pytest.raises(netplan.NotFoundError):
        log.not_heard_from(["nobody"], since)


def test_a_reviewer_judges_each_metric_as_it_declares() -> None:
    class Share:
        """A level a plugin measures: window-local, and judged by its value, not a pace."""

        name = "share"
        description = "A share."
        window_local = True
        cumulative = False

        def measure(self, *args: object) -> float:
            return 0.5

    goal = netplan.Goal("Keep a share", targets=[netplan.Target(0.8, "share", per="month")])
    plan = netplan.Plan("Me", goals=[goal], start=dt.date(2026, 10, 1))
    log = netplan.ActivityLog()
    metrics = (*BUILTIN_METRICS, Share())
    day = dt.date(2026, 11, 20)
    full = review(plan, log, day, metrics, BUILTIN_RULES)
    again = Reviewer(metrics, BUILTIN_RULES).review(plan, log, day)
    assert full.progress == again.progress
    # A level has no pace: expected is the whole amount on any day of the period.
    assert [p.expected for p in again.progress] == [0.8]


def test_a_reviewer_measures_follow_ups_again_only_when_a_new_interaction_changes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from netplan.core.metrics import FollowUpLatency, FollowUpRate

    measured: list[str] = []
    for cls in (FollowUpRate, FollowUpLatency):
        plain = cls.measure

        def counted(self: object, *args: object, _plain: object = plain) -> float:
            measured.append(type(self).__name__)
            return _plain(self, *args)  # type: ignore[operator, no-any-return]

        monkeypatch.setattr(cls, "measure", counted)
    plan = netplan.Plan(
        "Maya",
        start=D(2026, 9, 1),
        goals=[
            netplan.Goal(
                "Follow up",
                targets=[
                    netplan.Target(0.8, "follow_up_rate", per="month"),
                    netplan.Target(2, "follow_up_latency", per="month"),
                ],
            )
        ],
    )
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg"),
            netplan.Contact("Omar Haddad"),
            netplan.Interaction("met", at(9, 3), contact="lena-berg"),
            netplan.Interaction("message", at(9, 4), contact="lena-berg"),
            netplan.Interaction("met", at(10, 1), contact="omar-haddad"),
        ]
    )
    day = D(2026, 11, 20)
    reviewer = Reviewer()
    reviewer.review(plan, log, day)
    # A coffee with Lena, met and followed up in September: no rate or latency moves.
    log.add(netplan.Interaction("coffee", at(11, 20, 9), contact="lena-berg"))
    measured.clear()
    kept = reviewer.review(plan, log, day)
    assert measured == [], "nothing they read changed: their measures are kept"
    assert kept == review(plan, log, day)
    # The first follow-up Omar ever got (late): his month's rate and latency change.
    log.add(netplan.Interaction("message", at(11, 20, 10), contact="omar-haddad"))
    measured.clear()
    again = reviewer.review(plan, log, day)
    assert measured, "a new first follow-up is measured again"
    assert again == review(plan, log, day)
