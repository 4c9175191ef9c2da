from __future__ import annotations

import pickle

import pytest

import netplan
from netplan.core.errors import MISSING


def test_every_error_is_in_the_family_and_the_idiomatic_builtin() -> None:
    assert issubclass(netplan.ValidationError, netplan.NetplanError)
    assert issubclass(netplan.ValidationError, ValueError)
    assert issubclass(netplan.NotFoundError, LookupError)
    assert issubclass(netplan.SchemaError, netplan.NetplanError)


def test_validation_errors_carry_field_value_and_rule() -> None:
    error = netplan.ValidationError("Rating.level", 7, "must be between 1 and 5")
    assert str(error) == "Rating.level: 7 is not allowed: must be between 1 and 5"
    assert (error.field, error.value, error.rule) == ("Rating.level", 7, "must be between 1 and 5")
    assert (
        str(netplan.ValidationError("$.person", MISSING, "is required")) == "$.person: is required"
    )
    long = netplan.ValidationError("x", "y" * 500, "too long")
    assert len(str(long)) < 120


def test_errors_survive_pickling_for_multiprocessing_workers() -> None:
    # Batch reviews run in worker processes; their errors must cross back intact.
    for error in (
        netplan.ValidationError("Rating.level", 7, "must be between 1 and 5"),
        netplan.NotFoundError("goal", "x", "this plan has: y"),
    ):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert str(again) == str(error)


def test_within_moves_a_field_under_its_container() -> None:
    error = netplan.ValidationError("Goal.targets[0].by", 1, "rule").within("Plan.goals[2]")
    assert error.field == "Plan.goals[2].targets[0].by"


def test_not_found_names_what_and_suggests() -> None:
    with pytest.raises(netplan.NotFoundError, match="no goal 'x'; this plan has: none"):
        netplan.Plan("Maya", start=__import__("datetime").date(2026, 1, 1)).goal("x")
