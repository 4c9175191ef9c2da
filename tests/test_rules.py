"""netplan's built-in rules: what each one finds, how severe, and what it suggests."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netplan
import netplan.plugins.rules as rules_plugin
from netplan.core.evaluation import review
from netplan.core.findings import (
    AddAction,
    Finding,
    Rule,
    SetTargetAmount,
    Severity,
    Subject,
    SubjectKind,
)
from netplan.core.rules import (
    BUILTIN_RULES,
    ActionNotDone,
    DormantContacts,
    FollowUpsOverdue,
    SmartGoal,
    TargetAlwaysMet,
    TargetPace,
    UnrealisticTarget,
    UnservedSkill,
)
from netplan.plugins import PluginHost
from netplan.testing import strategies as nst

D = dt.date
UTC = netplan.UTC
START = D(2026, 11, 1)


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def find(rule: Rule, plan: netplan.Plan, log: netplan.ActivityLog, as_of: dt.date) -> list[Finding]:
    """What ``rule`` finds in a full review (so the context is the one users get); it
    must not fail."""
    found = review(plan, log, as_of, rules=[rule]).findings
    assert not [f for f in found if f.subject.kind is SubjectKind.RULE], found
    return [f for f in found if f.rule == rule.name]


def one(rule: Rule, plan: netplan.Plan, log: netplan.ActivityLog, as_of: dt.date) -> Finding:
    (finding,) = find(rule, plan, log, as_of)
    return finding


def severities(findings: Iterable[Finding]) -> list[str]:
    return [f.severity.value for f in findings]


def climate_plan(*targets: netplan.Target, **settings: object) -> netplan.Plan:
    goal = netplan.Goal("Learn about climate tech", targets=targets, id="climate")
    return netplan.Plan("Maya", start=START, goals=[goal], **settings)  # type: ignore[arg-type]


# -- the set of rules ---------------------------------------------------------------------


def test_the_builtin_rules_are_named_described_and_in_order() -> None:
    assert [r.name for r in BUILTIN_RULES] == [
        "target_pace",
        "follow_ups_overdue",
        "dormant_contacts",
        "action_not_done",
        "unserved_skill",
        "smart_goal",
        "unrealistic_target",
        "target_always_met",
    ]
    for rule in BUILTIN_RULES:
        assert isinstance(rule, Rule)
        assert rule.description.endswith(".") and rule.description[0].isupper()


def test_the_rules_plugin_registers_every_builtin_rule_under_its_name() -> None:
    registered: list[tuple[str, object]] = []
    rules_plugin.netplan_register_rules(register=lambda name, rule: registered.append((name, rule)))
    assert registered == [(r.name, r) for r in BUILTIN_RULES]
    host = PluginHost(entry_points=False, builtins=False, plugins=[rules_plugin], environ={})
    assert dict(host.rules) == {r.name: r for r in BUILTIN_RULES}


def test_a_review_runs_the_builtin_rules_by_default(maya: netplan.Plan) -> None:
    result = review(maya, netplan.ActivityLog(), D(2026, 11, 20))
    assert {f.rule for f in result.findings} >= {"target_pace", "action_not_done"}


def test_thresholds_are_checked() -> None:
    with pytest.raises(netplan.ValidationError, match="urgent_days"):
        FollowUpsOverdue(urgent_days=0)
    with pytest.raises(netplan.ValidationError, match="stretch"):
        UnrealisticTarget(stretch=-1.0)


# -- 1. target pace -----------------------------------------------------------------------


@pytest.fixture
def one_event() -> netplan.ActivityLog:
    return netplan.ActivityLog([netplan.Event("Climate Tech Summit", D(2026, 11, 10))])


def test_target_pace_warns_at_risk_and_behind(one_event: netplan.ActivityLog) -> None:
    plan = climate_plan(netplan.Target(2, "events_attended", per="month"))
    # Half-way with 1 of 2 the road is kept: the second event is due on the 30th.
    assert find(TargetPace(), plan, one_event, D(2026, 11, 15)) == []
    risk = one(TargetPace(), plan, one_event, D(2026, 11, 28))  # Saturday; due Monday
    assert risk.severity is Severity.WARNING
    assert risk.subject == Subject.target("climate", "events_attended")
    assert risk.message == (
        'At risk on "Learn about climate tech": 1 of 2 events attended this month; '
        "2 days before falling behind: 1 more event by Monday to stay on track."
    )
    assert risk.adjustment is None
    nothing = netplan.ActivityLog()
    # The first of two is due once the pace completes it, on the 15th.
    assert find(TargetPace(), plan, nothing, D(2026, 11, 14)) != []  # at risk, not behind
    behind = one(TargetPace(), plan, nothing, D(2026, 11, 20))
    assert behind.severity is Severity.WARNING
    assert behind.message == (
        'Behind on "Learn about climate tech": 0 of 2 events attended this month, 1 due by '
        "the end of 2026-11-20: 1 more event today to catch up."
    )
    assert "steady pace reaches 1.33" in behind.explanation


def test_target_pace_is_urgent_when_the_road_ended_short(one_event: netplan.ActivityLog) -> None:
    plan = climate_plan(
        netplan.Target(2, "events_attended", per="month"),
        netplan.Target(3, "events_attended", by=D(2026, 11, 20), id="three_events"),
    )
    findings = find(TargetPace(), plan, one_event, D(2026, 11, 30))
    assert severities(findings) == ["urgent", "urgent"]
    messages = sorted(f.message for f in findings)
    # The month ends today: still possible, missed tomorrow. The deadline has passed.
    assert messages == [
        'Last day on "Learn about climate tech": 1 of 2 events attended this month: 1 more '
        "event today to meet it.",
        'Missed on "Learn about climate tech": 1 of 3 events attended by 2026-11-20.',
    ]


def test_target_pace_is_silent_for_targets_done_or_on_track(one_event: netplan.ActivityLog) -> None:
    plan = climate_plan(netplan.Target(1, "events_attended", per="month"))
    assert find(TargetPace(), plan, one_event, D(2026, 11, 30)) == []
    paused = climate_plan(netplan.Target(5, "events_attended", per="month"))
    paused = paused.replace_goal(
        netplan.Goal("Paused", targets=paused.goals[0].targets, id="climate", status="paused")
    )
    assert find(TargetPace(), paused, one_event, D(2026, 11, 20)) == []


# -- 2. follow-ups overdue ----------------------------------------------------------------


def met_lena(*more: netplan.Interaction, tags: Iterable[str] = ("climate",)) -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tags=set(tags)),
            netplan.Interaction("met", at(D(2026, 11, 10)), contact="lena-berg"),
            *more,
        ]
    )


def test_follow_ups_overdue_after_the_due_day_and_urgent_from_a_week() -> None:
    plan = netplan.Plan("Maya", start=START, follow_up=netplan.FollowUpPolicy(within_days=2))
    log = met_lena()
    assert find(FollowUpsOverdue(), plan, log, D(2026, 11, 12)) == []  # due today: not late yet
    late = one(FollowUpsOverdue(), plan, log, D(2026, 11, 13))
    assert late.severity is Severity.WARNING
    assert late.subject == Subject(SubjectKind.CONTACT, "lena-berg")
    assert late.message == (
        "Follow up with Lena Berg: you met on 2026-11-10, and the follow-up was due on "
        "2026-11-12, 1 day ago."
    )
    assert late.adjustment is None
    assert one(FollowUpsOverdue(), plan, log, D(2026, 11, 18)).severity is Severity.WARNING
    assert one(FollowUpsOverdue(), plan, log, D(2026, 11, 19)).severity is Severity.URGENT
    assert (
        one(FollowUpsOverdue(urgent_days=3), plan, log, D(2026, 11, 15)).severity is Severity.URGENT
    )


def test_follow_ups_answered_unowed_or_outside_the_policy_are_not_findings() -> None:
    policy = netplan.FollowUpPolicy(within_days=2)
    plan = netplan.Plan("Maya", start=START, follow_up=policy)
    answered = met_lena(netplan.Interaction("message", at(D(2026, 11, 11)), contact="lena-berg"))
    assert find(FollowUpsOverdue(), plan, answered, D(2026, 11, 30)) == []
    no_policy = plan.with_follow_up(None)
    assert find(FollowUpsOverdue(), no_policy, met_lena(), D(2026, 11, 30)) == []
    fintech_only = plan.with_follow_up(
        netplan.FollowUpPolicy(within_days=2, segment=netplan.Segment(tag="fintech"))
    )
    assert find(FollowUpsOverdue(), fintech_only, met_lena(), D(2026, 11, 30)) == []
    assert (
        len(find(FollowUpsOverdue(), fintech_only, met_lena(tags={"fintech"}), D(2026, 11, 30)))
        == 1
    )


def test_a_snoozed_follow_up_is_late_from_its_new_day() -> None:
    plan = netplan.Plan("Maya", start=START, follow_up=netplan.FollowUpPolicy(within_days=2))
    log = met_lena()
    (item,) = netplan.agenda(plan, log, D(2026, 11, 13), D(2026, 11, 14)).items
    snoozed = plan.snooze(item, D(2026, 11, 20))
    assert find(FollowUpsOverdue(), snoozed, log, D(2026, 11, 19)) == []
    late = one(FollowUpsOverdue(), snoozed, log, D(2026, 11, 21))
    assert "snoozed to 2026-11-20, 1 day ago" in late.message
    assert find(FollowUpsOverdue(), plan.skip(item), log, D(2026, 11, 30)) == []


# -- 3. dormant contacts ------------------------------------------------------------------

LAST = D(2026, 11, 1)


def keep_in_touch_plan(*rules: netplan.CadenceRule) -> netplan.Plan:
    return netplan.Plan("Maya", start=START, keep_in_touch=rules)


def lena_last_seen(day: dt.date = LAST, **contact: object) -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", **contact),  # type: ignore[arg-type]
            netplan.Interaction("coffee", at(day, 8), contact="lena-berg"),
        ]
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [(21, []), (22, ["warning"]), (42, ["warning"]), (43, ["urgent"])],
    ids=["at-ideal", "past-ideal", "at-max", "past-max"],
)
def test_dormant_contacts_counts_whole_days_strictly_past_the_cadence(
    days: int, expected: list[str]
) -> None:
    plan = keep_in_touch_plan(netplan.CadenceRule.tier("a", ideal_days=21, max_days=42))
    log = lena_last_seen(tier="a")
    findings = find(DormantContacts(), plan, log, LAST + dt.timedelta(days=days))
    assert severities(findings) == expected
    for finding in findings:
        assert finding.subject == Subject(SubjectKind.CONTACT, "lena-berg")
        assert finding.message.startswith(f"Get in touch with Lena Berg: {days} days since")
        assert "tier=a" in finding.explanation and finding.adjustment is None


def test_dormant_contacts_needs_a_cadence_and_a_first_interaction() -> None:
    plan = keep_in_touch_plan(netplan.CadenceRule.tier("a", ideal_days=21))
    late = D(2027, 3, 1)
    assert find(DormantContacts(), plan, lena_last_seen(tier="b"), late) == []
    never = netplan.ActivityLog([netplan.Contact("Lena Berg", tier="a")])
    assert find(DormantContacts(), plan, never, late) == []
    assert (
        find(DormantContacts(), netplan.Plan("Maya", start=START), lena_last_seen(tier="a"), late)
        == []
    )


def test_dormant_contacts_by_tag_and_by_contact() -> None:
    late = LAST + dt.timedelta(days=40)
    by_tag = keep_in_touch_plan(netplan.CadenceRule.tag("mentor", ideal_days=30))
    assert severities(find(DormantContacts(), by_tag, lena_last_seen(tags={"mentor"}), late)) == [
        "warning"
    ]
    by_contact = keep_in_touch_plan(
        netplan.CadenceRule.contact("lena-berg", ideal_days=7, max_days=14),
        netplan.CadenceRule.contact("nobody-in-the-log", ideal_days=7),
    )
    assert severities(find(DormantContacts(), by_contact, lena_last_seen(), late)) == ["urgent"]


def test_a_review_of_a_past_day_ignores_later_interactions() -> None:
    plan = keep_in_touch_plan(netplan.CadenceRule.tier("a", ideal_days=21))
    log = lena_last_seen(tier="a")
    log.add(netplan.Interaction("call", at(D(2027, 1, 5)), contact="lena-berg"))
    finding = one(DormantContacts(), plan, log, D(2026, 12, 1))
    assert finding.severity is Severity.WARNING
    assert "(2026-11-01)" in finding.message


def dormancy(plan: netplan.Plan, log: netplan.ActivityLog, as_of: dt.date, contact: str) -> int:
    """The rank of the contact's dormancy finding; -1 without one."""
    found = [
        f for f in DormantContacts().check(context(plan, log, as_of)) if f.subject.id == contact
    ]
    return found[0].severity.rank if found else -1


def context(
    plan: netplan.Plan, log: netplan.ActivityLog, as_of: dt.date
) -> netplan.core.findings.RuleContext:
    result = review(plan, log, as_of, rules=[])
    return netplan.core.findings.RuleContext(
        plan,
        log,
        as_of,
        result.progress,
        result.consistency,
        {m.name: m for m in netplan.BUILTIN_METRICS},
    )


@given(
    ideal=st.integers(1, 60),
    extra=st.integers(0, 60),
    days=st.integers(0, 200),
    more=st.integers(0, 100),
)
def test_dormancy_never_eases_as_days_go_by(ideal: int, extra: int, days: int, more: int) -> None:
    plan = keep_in_touch_plan(
        netplan.CadenceRule.tier("a", ideal_days=ideal, max_days=ideal + extra)
    )
    log = lena_last_seen(tier="a")
    earlier = dormancy(plan, log, LAST + dt.timedelta(days=days), "lena-berg")
    later = dormancy(plan, log, LAST + dt.timedelta(days=days + more), "lena-berg")
    assert earlier <= later


@settings(max_examples=40)
@given(data=st.data(), log=nst.activity_logs(max_contacts=4, max_interactions=12))
def test_getting_in_touch_never_makes_dormancy_worse(
    data: st.DataObject, log: netplan.ActivityLog
) -> None:
    ids = [c.id for c in log.contacts]
    rules = data.draw(
        st.lists(
            nst.cadence_rules(contact_ids=ids),
            min_size=1,
            max_size=3,
            unique_by=lambda r: (r.scope, r.key),
        )
    )
    plan = keep_in_touch_plan(*rules)
    as_of = data.draw(nst.dates(min_value=D(2020, 1, 1), max_value=D(2031, 1, 1)))
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
    in_touch = [i for i in ids if log.interactions(end=end, contact=i)]
    if not in_touch:
        return
    contact = data.draw(st.sampled_from(in_touch))
    before = dormancy(plan, log, as_of, contact)
    extra = data.draw(nst.interactions(contact_ids=[contact], max_value=D(2031, 1, 1)))
    if extra.contact is None:
        return
    more = log.copy()
    more.add(extra)
    assert dormancy(plan, more, as_of, contact) <= before


# -- 4. actions not done ------------------------------------------------------------------


def action_plan(action: netplan.PlannedAction, start: dt.date = START) -> netplan.Plan:
    return netplan.Plan("Maya", start=start).add_action(action)


FRIDAY_POSTS = netplan.PlannedAction(
    "LinkedIn post", kind="post_social", schedule=netplan.Recurrence.weekly("FR", start=START)
)


def test_an_action_due_again_and_again_with_nothing_logged_is_a_warning() -> None:
    finding = one(
        ActionNotDone(), action_plan(FRIDAY_POSTS), netplan.ActivityLog(), D(2026, 11, 30)
    )
    assert finding.severity is Severity.WARNING
    assert finding.subject == Subject(SubjectKind.ACTION, "linkedin-post")
    assert finding.message == (
        '"LinkedIn post" is not getting done: due 4 times from 2026-11-02 to 2026-11-30, '
        "and the log shows no posts in that time. Reschedule it, or drop it if it no longer "
        "serves a goal."
    )
    assert finding.adjustment is None


def test_any_evidence_or_a_single_due_instance_is_no_finding() -> None:
    plan = action_plan(FRIDAY_POSTS)
    posted = netplan.ActivityLog([netplan.Interaction("post", at(D(2026, 11, 20)))])
    assert find(ActionNotDone(), plan, posted, D(2026, 11, 30)) == []
    assert find(ActionNotDone(), plan, netplan.ActivityLog(), D(2026, 11, 7)) == []  # one Friday
    volunteering = action_plan(
        netplan.PlannedAction("Hackathon help", kind="volunteer", schedule=FRIDAY_POSTS.schedule)
    )
    assert find(ActionNotDone(), volunteering, netplan.ActivityLog(), D(2026, 11, 30)) == []
    once = action_plan(
        netplan.PlannedAction(
            "Join a body", kind="join_organization", schedule=netplan.Once(D(2026, 11, 5))
        )
    )
    assert find(ActionNotDone(), once, netplan.ActivityLog(), D(2026, 11, 30)) == []


def test_a_quota_counts_its_whole_periods_since_the_plan_began() -> None:
    events = netplan.PlannedAction(
        "Any two events", kind="attend_events", schedule=netplan.Quota(2, "month")
    )
    nothing = netplan.ActivityLog()
    finding = one(ActionNotDone(), action_plan(events), nothing, D(2026, 12, 5))
    assert "due 2 times from 2026-11-01 to 2026-12-05" in finding.message
    early = netplan.ActivityLog([netplan.Event("Climate Tech Summit", D(2026, 11, 3))])
    assert find(ActionNotDone(), action_plan(events), early, D(2026, 12, 5)) == []
    # November began before a plan starting mid-month: its quota is not held against it.
    assert (
        find(ActionNotDone(), action_plan(events, start=D(2026, 11, 15)), nothing, D(2026, 12, 5))
        == []
    )


def test_reaching_out_counts_people_in_the_actions_segment() -> None:
    recruiters = netplan.PlannedAction(
        "Write to recruiters",
        kind="reach_out",
        schedule=netplan.Recurrence.weekly("MO", start=START),
        segment=netplan.Segment(tag="recruiter"),
    )
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tags={"climate"}),
            netplan.Interaction("message", at(D(2026, 11, 20)), contact="lena-berg"),
        ]
    )
    plan = action_plan(recruiters)
    assert (
        "no meetings, messages, calls, coffees or follow-ups (tag=recruiter)"
        in one(ActionNotDone(), plan, log, D(2026, 11, 30)).message
    )
    log.add(
        netplan.Contact("Ravi Rao", tags={"recruiter"}),
        netplan.Interaction("call", at(D(2026, 11, 25)), contact="ravi-rao"),
    )
    assert find(ActionNotDone(), plan, log, D(2026, 11, 30)) == []


def test_joining_counts_a_membership_begun() -> None:
    join = netplan.PlannedAction(
        "Join a community", kind="join_organization", schedule=netplan.Quota(1, "week")
    )
    plan = action_plan(join)
    assert len(find(ActionNotDone(), plan, netplan.ActivityLog(), D(2026, 11, 30))) == 1
    joined = netplan.ActivityLog(
        [
            netplan.Organization(
                "Climate Collective", memberships=[netplan.Membership(D(2026, 11, 12))]
            )
        ]
    )
    assert find(ActionNotDone(), plan, joined, D(2026, 11, 30)) == []


# -- 5. unserved skills -------------------------------------------------------------------


def assessed_plan(*actions: netplan.PlannedAction, on: dt.date = START) -> netplan.Plan:
    plan = netplan.Plan("Maya", start=START, actions=actions)
    return plan.assess(
        netplan.SkillAssessment(
            on,
            [
                netplan.Rating("following_up", 2, desired=4),
                netplan.Rating("online_presence", 1, desired=3),
                netplan.Rating("starting_conversations", 4),
            ],
        )
    )


def test_an_improvement_area_no_action_practises_gets_a_practice_action() -> None:
    plan = assessed_plan(netplan.PlannedAction("LinkedIn post", skills={"online_presence"}))
    finding = one(UnservedSkill(), plan, netplan.ActivityLog(), D(2026, 11, 15))
    assert finding.severity is Severity.INFO
    assert finding.subject == Subject(SubjectKind.SKILL, "following_up")
    assert finding.message == (
        "No planned action practises following up, one of your improvement areas "
        "(rated 2, aiming for 4)."
    )
    assert isinstance(finding.adjustment, AddAction)
    action = finding.adjustment.action
    assert (action.title, action.id) == ("Practise following up", "practise-following-up")
    assert action.skills == {"following_up"} and action.goals == frozenset()
    assert action.schedule == netplan.Quota(1, "month")
    adjusted, effective = finding.adjustment.apply(plan, D(2026, 11, 15))
    assert effective == D(2026, 11, 15)
    assert adjusted.action("practise-following-up").skills == {"following_up"}
    assert find(UnservedSkill(), adjusted, netplan.ActivityLog(), D(2026, 11, 15)) == []


def test_unserved_skills_come_from_the_latest_assessment_made_by_then() -> None:
    later = assessed_plan(on=D(2026, 12, 1))
    assert find(UnservedSkill(), later, netplan.ActivityLog(), D(2026, 11, 15)) == []
    assert [
        f.subject.id for f in find(UnservedSkill(), later, netplan.ActivityLog(), D(2026, 12, 1))
    ] == [
        "following_up",
        "online_presence",
    ]


def test_no_suggested_action_when_its_id_is_taken() -> None:
    taken = netplan.PlannedAction("Practise following up", skills={"active_listening"})
    plan = assessed_plan(taken, netplan.PlannedAction("Post", skills={"online_presence"}))
    finding = one(UnservedSkill(), plan, netplan.ActivityLog(), D(2026, 11, 15))
    assert finding.subject.id == "following_up" and finding.adjustment is None


# -- 6. SMART goals -----------------------------------------------------------------------


def test_a_goal_without_a_target_or_with_an_unknown_metric_is_not_measurable() -> None:
    plan = netplan.Plan(
        "Maya",
        start=START,
        goals=[
            netplan.Goal("Find a job"),
            netplan.Goal("Mentor", targets=[netplan.Target(2, "mentoring_hours", per="month")]),
            netplan.Goal("Someday", status="paused"),
            netplan.Goal("Meet people", targets=[netplan.Target(4, "new_contacts", per="month")]),
        ],
    )
    no_target, unknown = find(SmartGoal(), plan, netplan.ActivityLog(), D(2026, 11, 15))
    assert (no_target.severity, no_target.subject) == (
        Severity.WARNING,
        Subject(SubjectKind.GOAL, "find-a-job"),
    )
    assert no_target.message == (
        '"Find a job" is not measurable: add a target such as 4 new_contacts per month.'
    )
    assert unknown.severity is Severity.WARNING
    assert unknown.subject == Subject.target("mentor", "mentoring_hours")
    assert "'mentoring_hours'" in unknown.message and "new_contacts" in unknown.explanation


# -- 7. unrealistic targets ---------------------------------------------------------------


def coffees(*days: dt.date) -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg"),
            *(netplan.Interaction("coffee", at(day), contact="lena-berg") for day in days),
        ]
    )


# The three months before November: 1, 2 and 0 coffees.
RECORD = (D(2026, 8, 5), D(2026, 9, 3), D(2026, 9, 17))


def test_a_target_far_beyond_the_record_is_eased_to_one_and_a_half_times_the_best() -> None:
    plan = climate_plan(netplan.Target(10, "coffees", per="month"))
    finding = one(UnrealisticTarget(), plan, coffees(*RECORD), D(2026, 11, 15))
    assert finding.severity is Severity.WARNING
    assert finding.subject == Subject.target("climate", "coffees")
    assert finding.message == (
        '"Learn about climate tech": 10 coffees a month is far beyond your recent record, at '
        "most 2 in each of the last 3 months. Ease it to 3 for now, and raise it once that "
        "is met."
    )
    assert "2026-08-01: 1, 2026-09-01: 2, 2026-10-01: 0" in finding.explanation
    assert finding.adjustment == SetTargetAmount("climate", "coffees", 3)
    eased, effective = finding.adjustment.apply(plan, D(2026, 11, 15))
    assert effective == D(2026, 11, 22)  # easing waits out the akrasia horizon
    assert eased.goal("climate").target("coffees").amount_on(effective) == 3


@pytest.mark.parametrize(
    ("amount", "log"),
    [(6, coffees(*RECORD)), (10, coffees())],
    ids=["within-three-times-the-best", "no-record"],
)
def test_a_target_within_reach_or_without_a_record_is_left_alone(
    amount: int, log: netplan.ActivityLog
) -> None:
    plan = climate_plan(netplan.Target(amount, "coffees", per="month"))
    assert find(UnrealisticTarget(), plan, log, D(2026, 11, 15)) == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=3, max_size=3),
    st.integers(1, 20),
    st.sampled_from([1.5, 2.0, 3.0]),
)
def test_a_target_is_flagged_exactly_when_it_is_far_beyond_its_best_period(
    record: list[int], amount: int, stretch: float
) -> None:
    # August, September and October with these numbers of coffees; November reviewed.
    months = zip((8, 9, 10), record, strict=True)
    days = [D(2026, month, 1 + n) for month, count in months for n in range(count)]
    plan = climate_plan(netplan.Target(amount, "coffees", per="month"))
    found = find(UnrealisticTarget(stretch=stretch), plan, coffees(*days), D(2026, 11, 15))
    best = max(record)
    suggested = max(1, math.ceil(1.5 * best))
    flagged = best > 0 and amount > stretch * best and suggested < amount
    assert [f.adjustment for f in found] == (
        [SetTargetAmount("climate", "coffees", suggested)] if flagged else []
    )


def budget_plan(hours: float) -> netplan.Plan:
    plan = climate_plan(
        netplan.Target(2, "events_attended", per="month"),
        netplan.Target(4, "coffees", per="month"),
        netplan.Target(2, "messages", per="week"),
        netplan.Target(12, "events_attended", by=D(2027, 6, 30), id="twelve_events"),
    )
    return plan.assess(
        netplan.SkillAssessment(START, resources=netplan.Resources(hours_per_week=hours))
    )


def test_targets_needing_more_hours_than_the_person_has_are_a_warning_about_the_plan() -> None:
    finding = one(UnrealisticTarget(), budget_plan(2), netplan.ActivityLog(), D(2026, 11, 15))
    assert finding.severity is Severity.WARNING
    assert finding.subject == Subject(SubjectKind.PLAN, "maya")
    # 2 events x 3 h + 4 coffees x 1 h over November's 30 days, and 2 messages x 0.25 h a week.
    assert finding.message == (
        "Your per-period targets need about 2.8 hours a week, and you have 2: most go to "
        '2 events attended a month for "Learn about climate tech" (1.4 h), 4 coffees a month '
        'for "Learn about climate tech" (0.9 h) and 2 messages a week for "Learn about '
        'climate tech" (0.5 h).'
    )
    assert finding.adjustment is None
    assert find(UnrealisticTarget(), budget_plan(3), netplan.ActivityLog(), D(2026, 11, 15)) == []
    assert find(UnrealisticTarget(), budget_plan(0), netplan.ActivityLog(), D(2026, 11, 15)) == []


# -- 8. targets always met ----------------------------------------------------------------


AUGUST = D(2026, 8, 1)


def always_met_plan(amount: float, start: dt.date = AUGUST) -> netplan.Plan:
    goal = netplan.Goal(
        "Coffee habit", targets=[netplan.Target(amount, "coffees", per="month")], id="habit"
    )
    return netplan.Plan("Maya", start=start, goals=[goal])


TWO_A_MONTH = (
    D(2026, 8, 3),
    D(2026, 8, 20),
    D(2026, 9, 2),
    D(2026, 9, 9),
    D(2026, 10, 1),
    D(2026, 10, 30),
)


def test_a_target_met_every_period_is_raised() -> None:
    plan = always_met_plan(2)
    finding = one(TargetAlwaysMet(), plan, coffees(*TWO_A_MONTH), D(2026, 11, 15))
    assert finding.severity is Severity.INFO
    assert finding.subject == Subject.target("habit", "coffees")
    assert finding.message == (
        '"Coffee habit": 2 coffees a month met every month for 3 months: a goal met is no '
        "longer a goal. Raise it to 3."
    )
    assert finding.adjustment == SetTargetAmount("habit", "coffees", 3)
    raised, effective = finding.adjustment.apply(plan, D(2026, 11, 15))
    assert effective == D(2026, 11, 15)  # raising takes effect at once
    assert raised.goal("habit").target("coffees").amount == 3


@pytest.mark.parametrize(("amount", "raised"), [(2, 3), (4, 5), (10, 13), (1.5, 2.5), (1.0, 2.0)])
def test_raising_keeps_ints_whole_and_floats_on_halves(amount: float, raised: float) -> None:
    finding = one(
        TargetAlwaysMet(), always_met_plan(amount), coffees(*TWO_A_MONTH * 5), D(2026, 11, 15)
    )
    assert isinstance(finding.adjustment, SetTargetAmount)
    assert finding.adjustment.amount == raised
    assert type(finding.adjustment.amount) is type(amount)


def test_a_miss_or_too_short_a_history_is_no_finding() -> None:
    missed_october = coffees(*TWO_A_MONTH[:4])
    assert find(TargetAlwaysMet(), always_met_plan(2), missed_october, D(2026, 11, 15)) == []
    two_months = always_met_plan(2, start=D(2026, 9, 1))
    assert find(TargetAlwaysMet(), two_months, coffees(*TWO_A_MONTH), D(2026, 11, 15)) == []


# -- every rule ---------------------------------------------------------------------------


@settings(max_examples=30)
@given(
    plan=nst.plans(max_goals=2, max_actions=3),
    log=nst.activity_logs(max_contacts=4, max_interactions=12),
    days=st.integers(0, 900),
)
def test_every_builtin_rule_is_deterministic_and_never_fails(
    plan: netplan.Plan, log: netplan.ActivityLog, days: int
) -> None:
    as_of = plan.start + dt.timedelta(days=days)
    first = review(plan, log, as_of, history=4)
    second = review(plan, log, as_of, history=4)
    assert first.findings == second.findings
    assert not [f for f in first.findings if f.subject.kind is SubjectKind.RULE], first.findings
    for finding in first.findings:
        if finding.adjustment is not None:
            adjusted, effective = finding.adjustment.apply(plan, as_of)
            assert isinstance(adjusted, netplan.Plan) and effective >= as_of


def test_behind_by_less_than_one_is_not_worth_a_finding(one_event: netplan.ActivityLog) -> None:
    plan = climate_plan(netplan.Target(4, "events_attended", per="month"))
    # December 3rd: the steady pace expects 0.4 events, none attended yet.
    assert find(TargetPace(), plan, one_event, D(2026, 12, 3)) == []
    late = one(TargetPace(), plan, one_event, D(2026, 12, 9))  # expects 1.2
    assert late.message.startswith('Behind on "Learn about climate tech": 0 of 4')


def test_only_the_most_pressing_dormant_contacts_are_listed_and_the_rest_counted() -> None:
    people = [netplan.Contact(f"Person {i:02}", tier="a") for i in range(30)]
    log = netplan.ActivityLog(
        [
            *people,
            *(
                netplan.Interaction("call", dt.datetime(2026, 1, 1 + i, tzinfo=UTC), contact=p.id)
                for i, p in enumerate(people)
            ),
        ]
    )
    plan = netplan.Plan(
        "Maya",
        start=D(2026, 1, 1),
        keep_in_touch=[netplan.CadenceRule.tier("a", ideal_days=21, max_days=60)],
    )
    # On March 1st: people called Jan 1-29 are 31 to 59 days silent (warnings), and
    # Jan 30 is 30 days (a warning too): 30 warnings, 5 shown, 25 counted.
    found = find(DormantContacts(limit=5), plan, log, D(2026, 3, 1))
    assert [f.subject.id for f in found[:5]] == [p.id for p in people[:5]]  # longest silent
    summary = found[5]
    assert summary.subject == Subject("plan", plan.id)
    assert summary.message.startswith("25 more contacts are past their keep-in-touch cadence")
    # Everyone is listed when the limit allows, the longest silent first.
    assert len(find(DormantContacts(limit=50), plan, log, D(2026, 3, 1))) == 30


def test_a_raise_keeps_the_kind_of_number_the_plan_has() -> None:
    # Findings are worded once and kept: a plan saying 4 and one saying 4.0 each get
    # their own kind of number back, whichever was reviewed first.
    def raised(amount: float) -> object:
        log = coffees(*TWO_A_MONTH * 5)
        finding = one(TargetAlwaysMet(), always_met_plan(amount), log, D(2026, 11, 15))
        assert isinstance(finding.adjustment, SetTargetAmount)
        return finding.adjustment.amount

    assert type(raised(4)) is int
    assert type(raised(4.0)) is float
    assert type(raised(4)) is int
