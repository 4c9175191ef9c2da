"""Whatever a person passes to a domain type, it is accepted or refused with ValidationError.

Never a TypeError or AttributeError from deep inside: those name no field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core._validation import unchecked
from netplan.testing import strategies as nst

JUNK: tuple[Any, ...] = (
    None,
    0,
    -1,
    7,
    2.5,
    float("nan"),
    True,
    "",
    "  ",
    "Bad Id!",
    "month",
    dt.datetime(2026, 1, 1),
    dt.date(1900, 1, 1),
    [],
    ["x"],
    [1, 2],
    {"a": 1},
    object(),
    b"bytes",
)

VALUE_TYPES = sorted((cls for cls in nst.by_type() if attrs.has(cls)), key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", VALUE_TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_a_junk_field_is_accepted_or_refused_with_a_validation_error(
    cls: type[Any], data: st.DataObject
) -> None:
    value = data.draw(nst.by_type()[cls])
    field = data.draw(st.sampled_from([f.name for f in attrs.fields(cls) if f.init]))
    junk = data.draw(st.sampled_from(JUNK))
    refused: netplan.ValidationError | None = None
    try:
        changed = attrs.evolve(value, **{field: junk})
    except netplan.ValidationError as error:
        refused = error
    if refused is not None:
        assert refused.rule
        # The field path starts at a type the person can see (Target.amount, Period...).
        assert refused.field.split(".")[0].split("[")[0] in netplan.__all__
    else:
        # Accepted: then it must survive the round trip like any valid value.
        assert netplan.from_data(netplan.to_data(changed), cls) == changed


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda bad: netplan.Target(3, "coffees", per=bad), "Target.per"),
        (lambda bad: netplan.Goal("Find a job", kind=bad), "Goal.kind"),
        (lambda bad: netplan.Goal("Find a job", status=bad), "Goal.status"),
        (lambda bad: netplan.PlannedAction("Meetup", kind=bad), "PlannedAction.kind"),
        (lambda bad: netplan.Quota(2, bad), "Quota.per"),
        (
            lambda bad: netplan.Interaction(
                bad, dt.datetime(2026, 1, 1, tzinfo=netplan.UTC), contact="a"
            ),
            "Interaction.kind",
        ),
        (
            lambda bad: netplan.Interaction(
                "met", dt.datetime(2026, 1, 1, tzinfo=netplan.UTC), contact="a", channel=bad
            ),
            "Interaction.channel",
        ),
    ],
)
@given(typed=st.text(max_size=12))
def test_a_wrong_choice_names_the_field_and_lists_the_choices(
    make: Callable[[str], object], field: str, typed: str
) -> None:
    bad = f"zz{typed}"  # no choice starts so
    with pytest.raises(netplan.ValidationError) as caught:
        make(bad)
    assert caught.value.field == field and "must be one of" in caught.value.rule


@given(st.one_of(nst.segments(), nst.targets(), nst.goals(), nst.contacts()))
def test_a_value_made_without_checks_equals_and_hashes_as_the_checked_one(value: object) -> None:
    # The one way netplan skips checks of values it checked already: a class that caches
    # its hash (Segment, Target, Goal) hashes too (its cache starts empty).
    fields = {a.name: getattr(value, a.name) for a in attrs.fields(type(value))}
    for made in (unchecked(type(value))(**fields), unchecked(type(value))(*fields.values())):
        assert made == value
        assert hash(made) == hash(value)
