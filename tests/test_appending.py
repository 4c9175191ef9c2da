"""The SQLite store finds a contact and logs to a plan's log without reading the whole
log, and gives what reading it gives (tests/_appending.py; the PostgreSQL store runs the
same checks in tests/test_postgres.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from tests._appending import check_finding, check_logging, check_property, check_refusals, steps

import netplan
from netplan.storage import AppendingStore

_NUMBERS = itertools.count()


def _store(folder: Path) -> AppendingStore:
    store = netplan.open(f"sqlite://{folder / f'{next(_NUMBERS)}.db'}", create=True)
    assert isinstance(store, AppendingStore)
    return store


def test_the_sqlite_store_finds_contacts_by_id_or_name(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        check_finding(store)


def test_the_sqlite_store_logs_as_the_log_would(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        check_logging(store)


def test_the_sqlite_store_refuses_what_the_log_refuses(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        check_refusals(store)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_any_appends_give_the_store_the_log_they_give_a_log(
    tmp_path: Path, plan_steps: list[tuple[str, str, int]]
) -> None:
    with _store(tmp_path) as store:
        check_property(store, plan_steps)
