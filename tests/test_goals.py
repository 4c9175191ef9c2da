from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.testing import strategies as nst


def test_target_reads_as_a_person_would_say_it() -> None:
    assert str(netplan.Target(4, "new_contacts", per="month")) == "4 new_contacts per month"
    deadline = netplan.Target(12, "events_attended", by=dt.date(2027, 12, 31))
    assert repr(deadline) == "Target(12 events_attended by 2027-12-31)"
    narrowed = netplan.Target(3, "coffees", per="month", segment=netplan.Segment(tag="Climate"))
    assert str(narrowed) == "3 coffees in tag=climate per month"


def test_target_needs_exactly_one_of_period_and_deadline() -> None:
    with pytest.raises(netplan.ValidationError, match="exactly one of per"):
        netplan.Target(4, "new_contacts")
    with pytest.raises(netplan.ValidationError, match="exactly one of per"):
        netplan.Target(4, "new_contacts", per="month", by=dt.date(2027, 1, 1))


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"amount": 0, "metric": "m", "per": "month"}, "Target.amount", 0),
        ({"amount": -2.5, "metric": "m", "per": "month"}, "Target.amount", -2.5),
        ({"amount": True, "metric": "m", "per": "month"}, "Target.amount", True),
        ({"amount": 3, "metric": "New Contacts", "per": "month"}, "Target.metric", "New Contacts"),
        ({"amount": 3, "metric": "m", "per": "fortnight"}, "Target.per", "fortnight"),
        (
            {"amount": 3, "metric": "m", "by": dt.datetime(2027, 1, 1)},
            "Target.by",
            dt.datetime(2027, 1, 1),
        ),
    ],
)
def test_bad_targets_name_the_field_and_the_value(
    kwargs: dict[str, object], field: str, value: object
) -> None:
    with pytest.raises(netplan.ValidationError) as caught:
        netplan.Target(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.value == value
    assert field in str(caught.value)
    assert repr(value) in str(caught.value)


def test_goal_ids_come_from_titles_and_target_ids_are_unique() -> None:
    goal = netplan.Goal("Learn about Climate Tech!", kind="learn_industry")
    assert goal.id == "learn-about-climate-tech"
    assert netplan.Goal("Réseau à Genève").id == "reseau-a-geneve"
    with pytest.raises(netplan.ValidationError, match="Goal.targets.id"):
        netplan.Goal(
            "x",
            targets=[
                netplan.Target(1, "coffees", per="week"),
                netplan.Target(2, "coffees", per="month"),
            ],
        )


def test_a_deadline_before_the_goal_start_is_rejected() -> None:
    with pytest.raises(netplan.ValidationError) as caught:
        netplan.Goal(
            "Find a job",
            start=dt.date(2027, 1, 1),
            targets=[netplan.Target(5, "referrals", by=dt.date(2026, 12, 31))],
        )
    assert caught.value.field == "Goal.targets[0].by"
    assert caught.value.value == dt.date(2026, 12, 31)


def test_goal_target_lookup_names_the_known_targets() -> None:
    goal = netplan.Goal("x", targets=[netplan.Target(1, "coffees", per="week")])
    assert goal.target("coffees").amount == 1
    with pytest.raises(netplan.NotFoundError, match="has targets: coffees"):
        goal.target("referrals")


def test_segment_must_name_something_and_matches_contacts() -> None:
    with pytest.raises(netplan.ValidationError, match="at least one"):
        netplan.Segment()
    org = netplan.Organization("Sunrise Power", industry="Energy")
    lena = netplan.Contact("Lena Berg", tags={"Climate"}, organization=org.id)
    assert netplan.Segment(tag="climate").matches(lena)
    assert netplan.Segment(industry="energy").matches(lena, org)
    assert not netplan.Segment(industry="energy").matches(lena)
    assert netplan.Segment(organization="sunrise-power", tag="climate").matches(lena)
    assert not netplan.Segment(tag="climate", industry="finance").matches(lena, org)


@given(nst.goals())
def test_goals_are_frozen_values_changed_only_by_evolve(goal: netplan.Goal) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        goal.title = "changed"  # type: ignore[misc]
    changed = attrs.evolve(goal, why=goal.why + "!")
    assert changed != goal
    assert len({goal, changed}) == 2  # hashable, and told apart
    assert isinstance(goal.targets, tuple)


@given(st.integers(-100, 0) | st.floats(max_value=0, allow_nan=False))
def test_non_positive_amounts_never_pass(amount: float) -> None:
    with pytest.raises(netplan.ValidationError, match="Target.amount"):
        netplan.Target(amount, "coffees", per="week")
