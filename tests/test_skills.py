from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.testing import strategies as nst

DAY = dt.date(2026, 11, 1)


def maya_assessment() -> netplan.SkillAssessment:
    return netplan.SkillAssessment(
        DAY,
        [
            netplan.Rating(
                "starting_conversations", 4, evidence="talked to 5 strangers at a meetup"
            ),
            netplan.Rating("following_up", 2, desired=4, evidence="wrote after 1 of 5 meetings"),
            netplan.Rating("online_presence", 1, desired=3),
            netplan.Rating("active_listening", 3, desired=4),
        ],
        netplan.Resources(hours_per_week=4, budget_per_month="60", memberships=["Climatebase"]),
    )


def test_the_builtin_catalog_covers_the_core_networking_skills() -> None:
    ids = set(netplan.Catalog())
    assert {
        "introducing_yourself",
        "starting_conversations",
        "active_listening",
        "following_up",
        "maintaining_relationships",
        "online_presence",
        "giving_value_first",
        "asking_for_introductions",
        "working_a_room",
    } <= ids


def test_strengths_and_improvement_areas_as_maya_sees_them() -> None:
    assessment = maya_assessment()
    assert [r.skill for r in assessment.strengths()] == ["starting_conversations"]
    # Largest gap first; equal gaps put the weaker skill first.
    assert [r.skill for r in assessment.improvement_areas()] == [
        "online_presence",
        "following_up",
        "active_listening",
    ]
    assert [r.gap for r in assessment.improvement_areas()] == [2, 2, 1]


def test_change_between_two_assessments() -> None:
    before = maya_assessment()
    after = netplan.SkillAssessment(
        dt.date(2027, 2, 1),
        [netplan.Rating("following_up", 3, desired=4), netplan.Rating("working_a_room", 2)],
    )
    changes = {c.skill: c for c in after.changes_since(before)}
    assert changes["following_up"].delta == 1
    assert changes["online_presence"].after is None
    assert changes["online_presence"].delta is None
    assert changes["working_a_room"].before is None


@pytest.mark.parametrize("level", [0, 6, 7, -1])
def test_ratings_outside_one_to_five_are_rejected(level: int) -> None:
    with pytest.raises(netplan.ValidationError) as caught:
        netplan.Rating("following_up", level)
    assert caught.value.field == "Rating.level"
    assert str(level) in str(caught.value)


def test_a_skill_rated_twice_in_one_assessment_is_rejected() -> None:
    with pytest.raises(netplan.ValidationError, match="ratings.skill"):
        netplan.SkillAssessment(
            DAY, [netplan.Rating("following_up", 2), netplan.Rating("following_up", 3)]
        )


def test_an_unknown_skill_is_rejected_by_the_plan_naming_the_rating() -> None:
    plan = netplan.Plan("Maya", start=DAY)
    with pytest.raises(netplan.ValidationError) as caught:
        plan.assess(netplan.SkillAssessment(DAY, [netplan.Rating("juggling", 3)]))
    assert caught.value.field == "Plan.assessments[0].ratings[0].skill"
    assert caught.value.value == "juggling"
    own = plan.add_skill(netplan.Skill("juggling", "Juggling business cards"))
    assert own.assess(
        netplan.SkillAssessment(DAY, [netplan.Rating("juggling", 3)])
    ).latest_assessment


def test_resources_hold_money_exactly() -> None:
    res = netplan.Resources(hours_per_week=2.5, budget_per_month=19.99)
    assert res.budget_per_month == Decimal("19.99")
    with pytest.raises(netplan.ValidationError, match="budget_per_month"):
        netplan.Resources(budget_per_month="NaN")
    with pytest.raises(netplan.ValidationError, match="hours_per_week"):
        netplan.Resources(hours_per_week=-1)


def test_catalog_lookups_fail_clearly() -> None:
    catalog = netplan.Catalog()
    assert catalog["following_up"].name == "Following up"
    with pytest.raises(netplan.NotFoundError, match="known skills"):
        catalog["juggling"]
    with pytest.raises(netplan.ValidationError, match="two different skills"):
        netplan.Catalog([netplan.Skill("a", "A"), netplan.Skill("a", "B")])


@given(nst.assessments())
def test_improvement_areas_are_sorted_by_gap_and_only_hold_gaps(a: netplan.SkillAssessment) -> None:
    areas = a.improvement_areas()
    gaps = [r.gap for r in areas]
    assert gaps == sorted(gaps, reverse=True)
    assert all(r.desired is not None and r.desired > r.level for r in areas)
    assert {r.skill for r in areas} == {r.skill for r in a.ratings if r.gap > 0}
    assert all(r.level >= 4 for r in a.strengths())


@given(nst.assessments(), nst.assessments())
def test_changes_cover_every_skill_rated_in_either(
    a: netplan.SkillAssessment, b: netplan.SkillAssessment
) -> None:
    changes = b.changes_since(a)
    assert {c.skill for c in changes} == {r.skill for r in a.ratings} | {r.skill for r in b.ratings}
    for c in changes:
        if c.before is not None and c.after is not None:
            assert c.delta == c.after - c.before


@given(st.integers().filter(lambda n: not 1 <= n <= 5))
def test_no_rating_outside_the_scale_is_ever_accepted(level: int) -> None:
    with pytest.raises(netplan.ValidationError):
        netplan.Rating("following_up", level)
