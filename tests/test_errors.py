from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import netplan
from netplan.core.errors import MISSING, store_error
from netplan.storage import conflict


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


@pytest.mark.parametrize(
    "kind",
    [
        netplan.StoreError,
        netplan.StoreNotFoundError,
        netplan.CorruptStoreError,
        netplan.ReadOnlyStoreError,
        netplan.LockTimeoutError,
        netplan.ConflictError,
    ],
)
def test_a_store_error_keeps_the_operators_detail_apart(kind: type[netplan.StoreError]) -> None:
    """A host shows str(error) to a person; the path is for the operator (issue 16)."""
    error = kind("the SQLite store is busy: try again", detail="/srv/a.db is busy: try again")
    assert str(error) == "the SQLite store is busy: try again"
    assert error.detail == "/srv/a.db is busy: try again"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is kind
    assert (str(again), again.detail) == (str(error), error.detail)
    plain = kind("nothing more to say")
    assert plain.detail == str(plain) == "nothing more to say"
    assert pickle.loads(pickle.dumps(plain)).detail == "nothing more to say"
    builtin = {
        netplan.StoreNotFoundError: FileNotFoundError,
        netplan.ReadOnlyStoreError: PermissionError,
        netplan.LockTimeoutError: TimeoutError,
    }.get(kind, netplan.NetplanError)
    assert isinstance(again, builtin)


def test_store_error_names_the_store_in_words_and_the_place_in_the_detail() -> None:
    error = store_error(
        netplan.CorruptStoreError,
        "the SQLite store",
        Path("/srv/plans.db"),
        "{store}: plan 'maya' cannot be read: restore the file from a backup",
        more="SQLite: database disk image is malformed",
    )
    assert isinstance(error, netplan.CorruptStoreError)
    assert str(error) == (
        "the SQLite store: plan 'maya' cannot be read: restore the file from a backup"
    )
    assert error.detail == (
        "/srv/plans.db: plan 'maya' cannot be read: restore the file from a backup "
        "(SQLite: database disk image is malformed)"
    )
    # Not a StoreError: made from its message, the detail set after.
    newer = store_error(netplan.SchemaError, "the JSON store", "/srv/plan.json", "{store}: newer")
    assert (str(newer), newer.detail) == ("the JSON store: newer", "/srv/plan.json: newer")
    assert pickle.loads(pickle.dumps(newer)).detail == "/srv/plan.json: newer"
    # Every netplan error has a detail: its message, unless there is more to say.
    assert netplan.NotFoundError("goal", "x").detail == "no goal 'x'"


def test_a_conflict_names_the_store_url_in_its_detail_alone() -> None:
    error = conflict("maya", 3, 2, "sqlite:///srv/plans.db")
    assert str(error) == (
        "plan 'maya' is at revision 3 in the store, but this copy descends from revision 2: "
        "load it again, reapply your change, and save"
    )
    assert "in sqlite:///srv/plans.db, but" in error.detail


def test_within_moves_a_field_under_its_container() -> None:
    error = netplan.ValidationError("Goal.targets[0].by", 1, "rule").within("Plan.goals[2]")
    assert error.field == "Plan.goals[2].targets[0].by"


def test_not_found_names_what_and_suggests() -> None:
    with pytest.raises(netplan.NotFoundError, match="no goal 'x'; this plan has: none"):
        netplan.Plan("Maya", start=__import__("datetime").date(2026, 1, 1)).goal("x")
