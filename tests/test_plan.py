from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.testing import strategies as nst

D = dt.date


def test_maya_scripts_her_plan(maya: netplan.Plan) -> None:
    assert repr(maya) == "Plan('Maya', 2 goals, 3 actions, 0 assessments, revision 0)"
    assert maya.goal("find-a-job").targets[0].by == D(2027, 9, 30)
    assert maya.action("climate-meetup").kind is netplan.ActionKind.ATTEND_EVENTS
    december = maya.occurrences(D(2026, 12, 1), D(2027, 1, 1))
    assert [(o.on, o.action) for o in december] == [
        (D(2026, 12, 1), "any-two-events"),
        (D(2026, 12, 4), "linkedin-post"),
        (D(2026, 12, 8), "climate-meetup"),
        (D(2026, 12, 11), "linkedin-post"),
        (D(2026, 12, 18), "linkedin-post"),
        (D(2026, 12, 25), "linkedin-post"),
    ]
    assert december[0].count == 2 and december[0].until == D(2026, 12, 31)


def test_cadence_comes_from_the_plan(maya: netplan.Plan) -> None:
    assert maya.cadence_for(netplan.Contact("Lena", tier="a")) == netplan.KeepInTouch(21, 42)
    assert maya.cadence_for(netplan.Contact("Omar", tier="b")) == netplan.KeepInTouch(60, 90)
    replaced = maya.keep_in_touch_with(netplan.CadenceRule.tier("a", ideal_days=14))
    assert len(replaced.keep_in_touch) == 2
    assert replaced.cadence_for(netplan.Contact("Lena", tier="a")) == netplan.KeepInTouch(14, 28)


def test_every_change_is_a_new_value_and_the_old_one_stays_comparable(maya: netplan.Plan) -> None:
    assessed = maya.assess(
        netplan.SkillAssessment(D(2026, 11, 2), [netplan.Rating("following_up", 2, desired=4)])
    )
    adjusted = assessed.add_target("find-a-job", netplan.Target(2, "coffees", per="month"))
    adjusted = adjusted.remove_action("linkedin-post")
    adjusted = adjusted.with_follow_up(netplan.FollowUpPolicy(within_days=1))
    assert len(maya.actions) == 3  # untouched
    diff = assessed.diff(adjusted)
    assert sorted(str(c) for c in diff.changes) == [
        "changed goals find-a-job",
        "changed settings follow_up",
        "removed actions linkedin-post",
    ]
    assert [c.kind for c in diff.changes if c.section == "goals"] == ["changed"]
    assert not maya.diff(maya)
    assert str(maya.diff(maya)) == "no changes"
    assert "added assessments 2026-11-02" in str(maya.diff(assessed))


def test_removing_a_goal_unlinks_the_actions_that_served_it(maya: netplan.Plan) -> None:
    smaller = maya.remove_goal("find-a-job")
    assert smaller.action("any-two-events").goals == {"learn-about-climate-tech"}
    with pytest.raises(netplan.NotFoundError, match="this plan has"):
        smaller.goal("find-a-job")


def test_a_failed_change_leaves_the_plan_as_it_was(maya: netplan.Plan) -> None:
    before = netplan.to_data(maya)
    with pytest.raises(netplan.ValidationError) as caught:
        maya.add_action(netplan.PlannedAction("Apply", goals={"find-a-jobb"}))
    assert caught.value.field == "Plan.actions[3].goals"
    assert caught.value.value == "find-a-jobb"
    assert "find-a-job" in caught.value.rule
    with pytest.raises(netplan.ValidationError, match=r"Plan.actions\[3\].skills"):
        maya.add_action(netplan.PlannedAction("Apply", skills={"juggling"}))
    with pytest.raises(netplan.ValidationError, match="Plan.goals.id"):
        maya.add_goal(netplan.Goal("Find a job"))
    with pytest.raises(netplan.ValidationError, match="Plan.actions.id"):
        maya.add_action(netplan.PlannedAction("Climate meetup"))
    with pytest.raises(netplan.NotFoundError):
        maya.replace_action(netplan.PlannedAction("Unknown"))
    assert netplan.to_data(maya) == before


def test_a_goal_deadline_before_the_plan_start_is_rejected(maya: netplan.Plan) -> None:
    with pytest.raises(netplan.ValidationError) as caught:
        maya.add_goal(
            netplan.Goal("Old", targets=[netplan.Target(1, "coffees", by=D(2026, 10, 1))])
        )
    assert caught.value.field == "Plan.goals[2].targets[0].by"


def test_assessments_are_kept_in_date_order_one_per_day(maya: netplan.Plan) -> None:
    later = netplan.SkillAssessment(D(2027, 2, 1), [netplan.Rating("following_up", 3)])
    earlier = netplan.SkillAssessment(D(2026, 11, 2), [netplan.Rating("following_up", 2)])
    plan = maya.assess(later).assess(earlier)
    assert [a.on for a in plan.assessments] == [D(2026, 11, 2), D(2027, 2, 1)]
    assert plan.latest_assessment == later
    with pytest.raises(netplan.ValidationError, match="assessments.on"):
        plan.assess(netplan.SkillAssessment(D(2027, 2, 1)))


def test_plan_fields_are_checked(maya: netplan.Plan) -> None:
    with pytest.raises(netplan.ValidationError, match="Plan.start"):
        netplan.Plan("Maya", start=dt.datetime(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(netplan.ValidationError, match=r"Plan.goals\[0\]"):
        netplan.Plan("Maya", start=D(2026, 1, 1), goals=["Find a job"])  # type: ignore[list-item]
    with pytest.raises(netplan.ValidationError, match="Plan.revision"):
        attrs.evolve(maya, revision=-1)


@given(
    nst.plans(), nst.dates(min_value=D(2019, 1, 1), max_value=D(2032, 1, 1)), st.integers(0, 120)
)
def test_plan_occurrences_are_sorted_and_inside_the_range(
    plan: netplan.Plan, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    found = plan.occurrences(start, end)
    assert list(found) == sorted(found)
    for o in found:
        assert o.on < end and o.until >= start and o.on <= o.until
        assert plan.action(o.action).schedule is not None


@given(nst.plans(), nst.plans())
def test_diff_lists_exactly_the_sections_that_differ(a: netplan.Plan, b: netplan.Plan) -> None:
    diff = a.diff(b)
    assert bool(diff) == (attrs.evolve(a, revision=0) != attrs.evolve(b, revision=0))
    for change in diff.changes:
        assert change.kind in {"added", "removed", "changed"}


def test_a_plan_carries_its_owner_and_labels_for_a_host() -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1), owner="user-42", labels="coached")
    assert plan.labels == frozenset({"coached"})
    moved = attrs.evolve(plan, owner="user-7", labels={"coached", "2026"})
    changes = plan.diff(moved).changes
    assert [str(c) for c in changes] == ["changed settings owner", "changed settings labels"]
    assert (changes[0].before, changes[0].after) == ("user-42", "user-7")
    for bad in ({"owner": " "}, {"owner": 7}, {"labels": {""}}, {"labels": {7}}):
        with pytest.raises(netplan.ValidationError, match=r"Plan\.(owner|labels)"):
            netplan.Plan("Maya", start=dt.date(2026, 11, 1), **bad)
