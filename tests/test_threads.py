"""One store object shared by the threads of a host application: eight threads of mixed
requests on each built-in store, with no error, nothing lost, nothing written twice, and
nothing of one plan in another's. The PostgreSQL store's run needs the server
``NETPLAN_TEST_POSTGRES`` names (``.ci/run`` starts one)."""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import netplan
from _imports import import_concurrently
from netplan import Contact, Interaction, Plan
from netplan.core.batch import Batch, NewContacts
from netplan.core.instants import to_micros
from netplan.storage import AppendingStore, ListingStore, Store, add_batch
from netplan.stores._sql import KeptLogs
from netplan.stores.sqlite import SqliteStore

THREADS = 8
CALLS = 30
PLANS = ("ana", "ben", "chen", "dina")


SERVER = os.environ.get("NETPLAN_TEST_POSTGRES", "")


@pytest.fixture(params=["memory", "sqlite", "sqlite-packed", "json", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    if request.param == "sqlite-packed":
        # Every log read from its rows is packed (netplan packs those of 10,000 or more):
        # threads read packs, and packs written while others append.
        request.getfixturevalue("monkeypatch").setattr(SqliteStore, "PACK_ROWS", 1)
    if request.param == "postgresql" and not SERVER:
        if os.environ.get("NETPLAN_REQUIRE_POSTGRES") == "1":
            pytest.fail("NETPLAN_REQUIRE_POSTGRES=1 but NETPLAN_TEST_POSTGRES names no server")
        pytest.skip("no PostgreSQL server: set NETPLAN_TEST_POSTGRES=postgresql://user@host/db")
    url = {
        "memory": "memory://",
        "sqlite": f"sqlite://{tmp_path / 'plans.db'}",
        "sqlite-packed": f"sqlite://{tmp_path / 'plans.db'}",
        "json": f"json://{tmp_path / 'plans.json'}",
        "postgresql": f"{SERVER}{'&' if '?' in SERVER else '?'}schema={schema}&pool_max=8",
    }[request.param]
    with netplan.open(url, create=True) as store:
        if request.param == "sqlite-packed":
            store._kept = KeptLogs(budget=-1)  # type: ignore[attr-defined]  # every read reads
        yield store
    if request.param == "postgresql":
        import psycopg

        with psycopg.connect(SERVER, autocommit=True) as connection:
            connection.execute(
                psycopg.sql.SQL("DROP SCHEMA {} CASCADE").format(psycopg.sql.Identifier(schema))
            )


def _at(thread: int, call: int) -> dt.datetime:
    return dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=thread * 1000 + call)


def stress(store: Store, threads: int = THREADS, calls: int = CALLS) -> dict[str, list[str]]:
    """Mixed requests from ``threads`` threads; the notes of each interaction added, by
    plan, as the requests that returned saw them. Raises the first unexpected error."""
    for name in PLANS:
        store.save(Plan(name.title(), start=dt.date(2026, 1, 1)))
        store.add(name, Contact("Lena Berg"))
    added: dict[str, list[str]] = {name: [] for name in PLANS}
    errors: list[BaseException] = []
    guard = threading.Lock()
    start = threading.Barrier(threads)

    def work(thread: int) -> None:
        rng = random.Random(thread)
        start.wait()
        try:
            for call in range(calls):
                plan_id = rng.choice(PLANS)
                kind = rng.random()
                if kind < 0.4:
                    note = f"{plan_id}:{thread}:{call}"
                    at = _at(thread, call)
                    if isinstance(store, AppendingStore) and call % 2:
                        # As `netplan log message "lena berg"` does: found by name, and
                        # appended as a change of the log's history.
                        (lena,) = store.find_contacts(plan_id, "LENA  berg")
                        message = Interaction("message", at, contact=lena.id, notes=note)
                        store.add_change(plan_id, message, description=note)
                    else:
                        message = Interaction("message", at, contact="lena-berg", notes=note)
                        store.add(plan_id, message)
                    with guard:
                        added[plan_id].append(note)
                elif kind < 0.55:
                    note = f"{plan_id}:{thread}:{call}:batch"
                    person = Contact(f"Person {thread} {call}")
                    at = _at(thread, call)
                    batch = Batch(
                        contacts=NewContacts.of([person]),
                        interactions=(
                            [to_micros(at)], [person.id], ["met"],
                            ["in_person"], ["mutual"], [None], [note],
                        ),
                    )  # fmt: skip
                    add_batch(store, plan_id, batch)
                    with guard:
                        added[plan_id].append(note)
                elif kind < 0.75:
                    log = store.load_log(plan_id)
                    assert all(i.notes.startswith(f"{plan_id}:") for i in log if i.notes)
                    if isinstance(store, ListingStore):
                        listed, total = store.contact_page(plan_id, limit=5)
                        assert total >= len(listed) >= 1
                        assert all(
                            c.id == "lena-berg" or c.name.startswith("Person ")
                            for c, _, _ in listed
                        )
                elif kind < 0.9:
                    while True:  # a save that lost a race is retried, as a host would
                        plan = store.load(plan_id)
                        try:
                            store.save(plan)
                            break
                        except netplan.ConflictError:
                            continue
                else:
                    store.save_review(plan_id, {"thread": thread, "call": call})
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return added


def test_threads_sharing_a_store_lose_nothing_and_mix_nothing(store: Store) -> None:
    added = stress(store)
    for plan_id in PLANS:
        log = store.load_log(plan_id)
        kept = sorted(i.notes for i in log)
        assert kept == sorted(added[plan_id])  # each once: none lost, none twice
        revisions = store.revisions(plan_id)
        assert revisions == tuple(range(1, len(revisions) + 1))
        reviews = store.reviews(plan_id)
        assert all(isinstance(review["thread"], int) for review in reviews)
        if isinstance(store, AppendingStore):
            changes = store.changes(plan_id)
            assert [c.number for c in changes] == list(range(1, len(changes) + 1))
            assert {c.description for c in changes} <= set(added[plan_id])


def test_a_closed_store_refuses_every_thread(store: Store) -> None:
    store.save(Plan("Ana", start=dt.date(2026, 1, 1)))
    store.close()
    failures: list[BaseException] = []

    def read() -> None:
        try:
            store.load("ana")
        except netplan.NetplanError as error:
            failures.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    assert len(failures) == 1 and "closed" in str(failures[0])


def test_imports_racing_into_one_plan_land_whole_or_conflict(store: Store, tmp_path: Path) -> None:
    """Four requests import into one person's plan at once: each lands whole or raises
    ConflictError having written nothing (never a ValidationError for the person they
    share, never half an import); retried, every contact is there exactly once."""
    store.save(Plan("Maya", start=dt.date(2026, 11, 1)))
    outcomes = import_concurrently(store, tmp_path, threads=4)
    assert sorted(set(outcomes)) in (["ok"], ["ConflictError", "ok"]), outcomes
    assert outcomes.count("ok") == 4
    names = sorted(c.name for c in store.load_log("maya").contacts)
    assert names == sorted(
        ["Shared Person", *(f"Person {t}-{n}" for t in range(4) for n in range(3))]
    )


def test_an_import_planned_on_a_log_changed_since_is_planned_again(tmp_path: Path) -> None:
    """Another request's write lands between the import's read of the log and its
    write: nothing is written, and the files (read once: an upload cannot be read
    twice) are planned again on the new log, up to ``attempts`` times; after the last,
    ConflictError, with nothing written."""
    from _imports import vcard

    class Interrupted(netplan.stores.memory.MemoryStore):
        interruptions = 0

        def load_log(self, plan_id: str) -> netplan.ActivityLog:
            log = super().load_log(plan_id)
            if self.interruptions:
                self.interruptions -= 1
                number = len(log.contacts)
                self.add(plan_id, Contact(f"Other Request {number}"))  # lands in between
            return log

    store = Interrupted()
    store.save(Plan("Maya", start=dt.date(2026, 11, 1)))
    upload = vcard(["Other Request 0", "Omar Haddad"]).encode()

    def names() -> list[str]:
        return [c.name for c in store.load_log("maya").contacts]

    store.interruptions = 1
    with pytest.raises(netplan.ConflictError, match="changed while") as caught:
        netplan.import_files(
            store, "maya", upload, name="p.vcf", today=dt.date(2026, 12, 1), attempts=1
        )
    assert "nothing was written" in str(caught.value)
    assert names() == ["Other Request 0"]

    store.interruptions = 3
    with pytest.raises(netplan.ConflictError):
        netplan.import_files(store, "maya", upload, name="p.vcf", today=dt.date(2026, 12, 1))
    assert names() == ["Other Request 0", "Other Request 1", "Other Request 2", "Other Request 3"]

    store.interruptions = 2  # the third attempt lands, planned on the log as it is then
    imported = netplan.import_files(store, "maya", upload, name="p.vcf", today=dt.date(2026, 12, 1))
    assert imported.reports[0].added == ("omar-haddad",)  # "Other Request 0" was known
    assert names()[-1] == "Omar Haddad" and len(names()) == 7
    with pytest.raises(netplan.ValidationError, match="attempts"):
        netplan.import_files(store, "maya", upload, name="p.vcf", attempts=0)
