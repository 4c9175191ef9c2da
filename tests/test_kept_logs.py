"""A SQL store object keeps the logs it reads again and again (``stores._sql.KeptLogs``),
as a host serving many people does: what it hands out must always be the stored log,
whatever wrote to the database since (this store object, another one standing for another
process, a plan deleted and made again), and each caller's copy its own. The PostgreSQL
runs need the server ``NETPLAN_TEST_POSTGRES`` names (``.ci/run`` starts one)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
from netplan import Contact, Interaction, Plan
from netplan.core.batch import Batch
from netplan.storage import add_batch
from netplan.stores._sql import KeptLogs, SqlStore

SERVER = os.environ.get("NETPLAN_TEST_POSTGRES", "")
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'plans.db'}"
        return
    if not SERVER:
        if os.environ.get("NETPLAN_REQUIRE_POSTGRES") == "1":
            pytest.fail("NETPLAN_REQUIRE_POSTGRES=1 but NETPLAN_TEST_POSTGRES names no server")
        pytest.skip("no PostgreSQL server: set NETPLAN_TEST_POSTGRES=postgresql://user@host/db")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    yield f"{SERVER}{'&' if '?' in SERVER else '?'}schema={schema}&pool_max=8"
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(
            psycopg.sql.SQL("DROP SCHEMA {} CASCADE").format(psycopg.sql.Identifier(schema))
        )


def _sql(store: netplan.Store) -> SqlStore:
    assert isinstance(store, SqlStore)
    return store


def _unkept(url: str) -> netplan.Store:
    """A store object that keeps nothing: the stored log as read from its rows."""
    store = netplan.open(url)
    _sql(store)._kept = KeptLogs(budget=-1)
    return store


def _new_plan(store: netplan.Store, plan_id: str) -> None:
    store.save(Plan("Maya", id=plan_id, start=dt.date(2026, 3, 1)))
    store.add(plan_id, Contact("Lena Berg", tags={"climate"}), Contact("Omar Haddad"))


def _interaction(n: int, contact: str = "lena-berg") -> Interaction:
    return Interaction("coffee", START + dt.timedelta(hours=n), contact=contact, notes=f"n{n}")


def test_a_log_read_again_is_kept_and_each_caller_gets_its_own_copy(url: str) -> None:
    with netplan.open(url, create=True) as host:
        _new_plan(host, "maya")
        first = host.load_log("maya")  # read once: nothing kept yet
        second = host.load_log("maya")  # read again: kept from now on
        kept = _sql(host)._kept
        assert kept.get("maya", host.log_version("maya")) == second
        second.add(_interaction(1))  # the caller's own: the store's is untouched
        third = host.load_log("maya")
        assert len(third) == 0 and third == first
        still = kept.get("maya", host.log_version("maya"))
        assert still is not None and len(still) == 0  # the store's own, untouched


def test_what_another_store_object_writes_is_read_not_served_stale(url: str) -> None:
    with netplan.open(url, create=True) as host, netplan.open(url) as other:
        _new_plan(host, "maya")
        host.load_log("maya")
        host.load_log("maya")  # kept
        other.add("maya", _interaction(1))  # another process, say
        other.update("maya", Contact("Lena Berg", tags={"fintech"}))
        log = host.load_log("maya")
        assert [i.notes for i in log] == ["n1"]
        assert log.contact("lena-berg").tags == frozenset({"fintech"})


def test_a_plan_deleted_and_made_again_never_repeats_a_version(url: str) -> None:
    with netplan.open(url, create=True) as host, netplan.open(url) as other:
        _new_plan(host, "maya")
        host.add("maya", _interaction(1))
        host.load_log("maya")
        old = host.load_log("maya")  # kept at the old plan's version
        version = host.log_version("maya")
        # Another process deletes the plan and makes it again, with as many writes.
        other.delete("maya")
        _new_plan(other, "maya")
        other.add("maya", _interaction(2, "omar-haddad"))
        assert other.log_version("maya") > version
        new = host.load_log("maya")
        assert new != old and [i.notes for i in new] == ["n2"]
        # A batch planned against the deleted plan never lands on the new one.
        while other.log_version("maya") < version:
            other.add("maya", _interaction(3, "omar-haddad"))
        with pytest.raises(netplan.ConflictError):
            add_batch(host, "maya", Batch.of([Contact("Ada Obi")]), expected_version=version)


def test_writes_through_the_store_object_bring_its_kept_log_along(url: str) -> None:
    with netplan.open(url, create=True) as host:
        _new_plan(host, "maya")
        host.load_log("maya")
        host.load_log("maya")  # kept
        host.add(
            "maya", _interaction(1), Contact("Ada Obi"), replace=[Contact("Omar Haddad", tier="a")]
        )
        host.add_change("maya", _interaction(2, "ada-obi"), description="coffee with Ada")
        version = host.log_version("maya")
        kept = _sql(host)._kept.get("maya", version)
        assert kept is not None, "appends through this object keep the log, not drop it"
        with _unkept(url) as fresh:
            assert kept == fresh.load_log("maya")
            assert host.load_log("maya") == fresh.load_log("maya")


def test_a_log_larger_than_the_budget_is_not_kept_and_the_oldest_go_first() -> None:
    def log_of(n: int) -> netplan.ActivityLog:
        return netplan.ActivityLog([Contact("Lena Berg"), *(_interaction(k) for k in range(n))])

    kept = KeptLogs(budget=5)
    for plan in ("a", "b", "c", "big"):
        kept.read(plan, 1, log_of(2))  # read once: remembered, not kept
    assert kept.get("a", 1) is None
    kept.read("a", 1, log_of(2))
    kept.read("b", 1, log_of(2))
    assert kept.get("a", 1) == log_of(2) and kept.get("b", 1) == log_of(2)
    assert kept.get("a", 2) is None  # another version: not this log
    kept.read("c", 1, log_of(2))  # 6 interactions: the least recently read (a) goes
    assert kept.get("a", 1) is None and kept.get("b", 1) is not None
    kept.read("big", 1, log_of(6))
    assert kept.get("big", 1) is None
    kept.read("c", 0, log_of(1))  # an older version than the one kept: kept stays
    assert kept.get("c", 1) == log_of(2)


# -- any sequence of writes, by any store object, then a read ---------------------------
_WRITES = st.lists(
    st.tuples(
        st.sampled_from(["host", "other"]),
        st.sampled_from(["log", "contact", "update", "import", "change", "undo", "remake"]),
    ),
    max_size=8,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_WRITES)
def test_every_read_is_the_stored_log_whatever_wrote_in_between(
    url: str, writes: list[tuple[str, str]]
) -> None:
    plan_id = f"p-{uuid.uuid4().hex[:8]}"
    with netplan.open(url, create=True) as host, netplan.open(url) as other, _unkept(url) as truth:
        stores = {"host": host, "other": other}
        _new_plan(host, plan_id)
        host.load_log(plan_id)
        for n, (who, write) in enumerate(writes):
            store = stores[who]
            if write == "log":
                store.add(plan_id, _interaction(n))
            elif write == "contact":
                store.add(plan_id, Contact(f"New {n}", id=f"new-{n}"), _interaction(n, f"new-{n}"))
            elif write == "update":
                store.update(plan_id, Contact("Lena Berg", tags={f"t{n}"}))
            elif write == "import":
                person = Contact(f"Imp {n}", id=f"imported-{n}")
                batch = netplan.ActivityLog([person, _interaction(n, person.id)]).batch()
                add_batch(store, plan_id, batch)
            elif write == "change":
                store.add_change(plan_id, _interaction(n, "omar-haddad"), description=f"c{n}")
            elif write == "undo":
                # With every change undone already, the undo is refused: nothing changes.
                with contextlib.suppress(netplan.NotFoundError):
                    store.undo(plan_id)
            else:
                store.delete(plan_id)
                _new_plan(store, plan_id)
            expected = truth.load_log(plan_id)
            assert host.load_log(plan_id) == expected
            assert other.load_log(plan_id) == expected
            assert host.load_log(plan_id) == expected  # read again: the kept one


def test_threads_reading_and_writing_one_plan_always_read_the_stored_log(url: str) -> None:
    with netplan.open(url, create=True) as host:
        _new_plan(host, "maya")
        errors: list[BaseException] = []
        done: list[set[str]] = [set() for _ in range(8)]

        def work(thread: int) -> None:
            try:
                for call in range(15):
                    if call % 2:
                        note = f"t{thread}c{call}"
                        host.add(
                            "maya",
                            attrs.evolve(_interaction(thread * 100 + call), notes=note),
                        )
                        done[thread].add(note)
                    else:
                        seen = {i.notes for i in host.load_log("maya")}
                        # What this thread had written before reading is there.
                        assert done[thread] <= seen, done[thread] - seen
            except BaseException as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors[0]
        with _unkept(url) as fresh:
            assert host.load_log("maya") == fresh.load_log("maya")
            assert len(fresh.load_log("maya")) == 8 * 7


def test_a_kept_plan_deleted_elsewhere_is_not_found_not_served(url: str) -> None:
    with netplan.open(url, create=True) as host, netplan.open(url) as other:
        _new_plan(host, "maya")
        host.load_log("maya")
        host.load_log("maya")  # kept
        other.delete("maya")
        with pytest.raises(netplan.NotFoundError, match="maya"):
            host.load_log("maya")
        with pytest.raises(netplan.NotFoundError, match="maya"):
            host.load("maya")
