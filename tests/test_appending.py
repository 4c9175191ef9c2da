"""The SQLite store finds a contact and logs to a plan's log without reading the whole
log, and gives what reading it gives (tests/_appending.py; the PostgreSQL store runs the
same checks in tests/test_postgres.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
from _appending import (
    check_finding,
    check_listing,
    check_logging,
    check_property,
    check_refusals,
    people,
    steps,
)
from netplan.storage import AppendingStore, ListingStore

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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people,
    st.none() | st.sampled_from(("climate", "mentor")),
    st.none() | st.sampled_from(("a", "b")),
    st.integers(0, 12),
    st.none() | st.integers(1, 5),
)
def test_the_sqlite_store_lists_a_page_of_contacts_as_the_log_would(
    tmp_path: Path,
    contacts: list[netplan.Contact],
    tag: str | None,
    tier: str | None,
    offset: int,
    limit: int | None,
) -> None:
    with _store(tmp_path) as store:
        assert isinstance(store, ListingStore)
        check_listing(store, contacts, tag, tier, offset, limit)
