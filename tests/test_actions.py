from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.actions import cadence_for
from netplan.testing import strategies as nst

UTC = netplan.UTC


def test_follow_up_policy_defaults_to_after_meeting_someone() -> None:
    policy = netplan.FollowUpPolicy(within_days=2)
    assert policy.after == frozenset({netplan.InteractionKind.MET})
    # Due by the end of the local day two days after the meeting, whatever its hour.
    assert policy.due(dt.date(2026, 11, 3)) == dt.date(2026, 11, 5)
    with pytest.raises(netplan.ValidationError, match=r"FollowUpPolicy.due.*local day"):
        policy.due(dt.datetime(2026, 11, 3, 19, tzinfo=UTC))  # type: ignore[arg-type]
    with pytest.raises(netplan.ValidationError, match="FollowUpPolicy.within_days"):
        netplan.FollowUpPolicy(within_days=0)
    with pytest.raises(netplan.ValidationError, match="at least one"):
        netplan.FollowUpPolicy(within_days=2, after=[])
    assert netplan.FollowUpPolicy(2, after=["coffee", "met"]).after == {
        netplan.InteractionKind.COFFEE,
        netplan.InteractionKind.MET,
    }


def test_cadence_cascades_contact_over_tag_over_tier() -> None:
    rules = [
        netplan.CadenceRule.tier("a", ideal_days=21),
        netplan.CadenceRule.tag("mentor", ideal_days=30, max_days=45),
        netplan.CadenceRule.contact("lena-berg", ideal_days=7),
    ]
    lena = netplan.Contact("Lena Berg", tier="A", tags={"mentor"})
    omar = netplan.Contact("Omar Haddad", tier="a", tags={"mentor"})
    ines = netplan.Contact("Ines Ruiz", tier="a")
    nobody = netplan.Contact("Sam Lee")
    assert cadence_for(lena, rules) == netplan.KeepInTouch(7, 14)
    assert cadence_for(omar, rules) == netplan.KeepInTouch(30, 45)
    assert cadence_for(ines, rules) == netplan.KeepInTouch(21, 42)
    assert cadence_for(nobody, rules) is None
    assert cadence_for(omar, rules).source == "tag=mentor"  # type: ignore[union-attr]


def test_the_most_frequent_of_two_matching_tags_wins() -> None:
    rules = [
        netplan.CadenceRule.tag("alumni", ideal_days=90),
        netplan.CadenceRule.tag("mentor", ideal_days=30),
    ]
    both = netplan.Contact("Kim", tags={"alumni", "mentor"})
    assert cadence_for(both, rules).ideal_days == 30  # type: ignore[union-attr]
    assert cadence_for(both, list(reversed(rules))).ideal_days == 30  # type: ignore[union-attr]


def test_keep_in_touch_is_anchored_on_the_last_interaction() -> None:
    cadence = netplan.KeepInTouch(ideal_days=21, max_days=30)
    last = dt.date(2026, 11, 1)
    assert cadence.due(last) == (dt.date(2026, 11, 22), dt.date(2026, 12, 1))
    with pytest.raises(netplan.ValidationError, match="at least ideal_days"):
        netplan.KeepInTouch(ideal_days=30, max_days=20)
    with pytest.raises(netplan.ValidationError, match="at least ideal_days"):
        netplan.CadenceRule.tier("a", ideal_days=30, max_days=20)


def test_planned_action_refuses_a_schedule_that_is_not_one() -> None:
    with pytest.raises(netplan.ValidationError, match="PlannedAction.schedule"):
        netplan.PlannedAction("x", schedule="every tuesday")  # type: ignore[arg-type]


@given(
    nst.contacts(),
    st.lists(nst.cadence_rules(contact_ids=["lena-berg", "omar"]), max_size=6),
)
def test_cascade_picks_the_narrowest_matching_rule(
    contact: netplan.Contact, rules: list[netplan.CadenceRule]
) -> None:
    chosen = cadence_for(contact, rules)
    matching = [r for r in rules if r.applies_to(contact)]
    if not matching:
        assert chosen is None
        return
    assert chosen is not None
    narrowest = min(
        {netplan.Scope.CONTACT: 0, netplan.Scope.TAG: 1, netplan.Scope.TIER: 2}[r.scope]
        for r in matching
    )
    candidates = [
        r
        for r in matching
        if {netplan.Scope.CONTACT: 0, netplan.Scope.TAG: 1, netplan.Scope.TIER: 2}[r.scope]
        == narrowest
    ]
    assert chosen.ideal_days == min(r.ideal_days for r in candidates)
    assert chosen.ideal_days <= chosen.max_days
