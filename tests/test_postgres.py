"""The PostgreSQL store against a real server: the shipped storage contract and state
machine, unchanged, and what a server adds (revisions checked in the database, writers
of one plan queued, many plans and schemas in one database).

The server is the one ``NETPLAN_TEST_POSTGRES`` names (``postgresql://user@host:port/db``);
``.ci/run`` starts one for the suite. Each store gets a schema of its own, dropped after.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
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
from netplan import Contact, Interaction, Plan, to_data
from netplan.core.batch import Batch, NewContacts
from netplan.storage import Store, parse_url
from netplan.testing.storage import StoreContract, store_state_machine

SERVER = os.environ.get("NETPLAN_TEST_POSTGRES", "")
if not SERVER and os.environ.get("NETPLAN_REQUIRE_POSTGRES") == "1":
    # CI starts a server: a run that lost it must fail, not skip these tests.
    raise RuntimeError("NETPLAN_REQUIRE_POSTGRES=1 but NETPLAN_TEST_POSTGRES names no server")
pytestmark = pytest.mark.skipif(
    not SERVER,
    reason="no PostgreSQL server: set NETPLAN_TEST_POSTGRES=postgresql://user@host:port/db "
    "(.ci/run starts one and sets it)",
)
psycopg = pytest.importorskip("psycopg", reason="pip install 'networking-action-plan[postgres]'")

from netplan.stores.postgres import PostgresStore  # noqa: E402 (needs psycopg)

_SCHEMAS: list[str] = []


def _url(schema: str) -> str:
    return f"{SERVER}{'&' if '?' in SERVER else '?'}schema={schema}"


def _new_schema() -> str:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    _SCHEMAS.append(schema)
    return schema


def _open(schema: str, *, create: bool = True) -> PostgresStore:
    return PostgresStore.open(parse_url(_url(schema)), create=create)


@pytest.fixture(scope="module", autouse=True)
def _drop_schemas() -> Iterator[None]:
    yield
    if SERVER and _SCHEMAS:
        with psycopg.connect(SERVER, autocommit=True) as connection:
            for schema in _SCHEMAS:
                connection.execute(
                    psycopg.sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        psycopg.sql.Identifier(schema)
                    )
                )


class PostgresRaw:
    """Reads and writes the store's tables with plain psycopg, not through PostgresStore."""

    def __init__(self, schema: str) -> None:
        self.schema = schema

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        connection = psycopg.connect(SERVER)
        connection.execute(
            psycopg.sql.SQL("SET search_path TO {}").format(psycopg.sql.Identifier(self.schema))
        )
        return connection

    def saved_plans(self, plan_id: str) -> list[dict[str, object]]:
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT data FROM revisions WHERE plan_id = %s ORDER BY revision", (plan_id,)
            ).fetchall()
        return [json.loads(str(data)) for (data,) in rows]

    def write_plan(self, plan: Plan) -> None:
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO plans (id, head) VALUES (%s, %s) "
                "ON CONFLICT (id) DO UPDATE SET head = EXCLUDED.head",
                (plan.id, plan.revision),
            )
            connection.execute(
                "INSERT INTO revisions (plan_id, revision, data) VALUES (%s, %s, %s)",
                (plan.id, plan.revision, json.dumps(to_data(plan))),
            )


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def schema(self) -> str:
        return _new_schema()

    @pytest.fixture
    def store(self, schema: str) -> Iterator[Store]:
        with _open(schema) as store:
            yield store

    @pytest.fixture
    def reopen(self, store: Store, schema: str) -> Callable[[], Store]:
        def again() -> Store:
            store.close()
            return _open(schema, create=False)

        return again

    @pytest.fixture
    def raw(self, schema: str) -> PostgresRaw:
        return PostgresRaw(schema)


def _new_store() -> Store:
    return _open(_new_schema())


TestPostgresStateMachine = store_state_machine(
    _new_store, max_examples=max(10, settings().max_examples // 3)
).TestCase


@pytest.fixture
def store() -> Iterator[PostgresStore]:
    with _open(_new_schema()) as store:
        yield store


def test_a_store_is_registered_and_opened_by_its_url() -> None:
    schema = _new_schema()
    with netplan.open(_url(schema), create=True) as store:
        assert isinstance(store, PostgresStore)
        store.save(Plan("Sam", start=dt.date(2026, 1, 1)))
    with netplan.open(_url(schema)) as again:
        assert again.plans() == ("sam",)


def test_a_schema_without_a_store_is_not_made_unless_asked() -> None:
    with pytest.raises(netplan.StoreNotFoundError, match="create=True"):
        _open(_new_schema(), create=False)


def test_the_url_shown_has_no_password() -> None:
    from netplan.stores.postgres import _safe_url

    assert _safe_url(parse_url("postgresql://sam:secret@db.example/app")) == (
        "postgresql://sam:***@db.example/app"
    )
    with pytest.raises(netplan.StoreNotFoundError) as caught:
        PostgresStore.open(parse_url("postgresql://sam:secret@127.0.0.1:1/app"), create=True)
    message, detail = str(caught.value), caught.value.detail
    assert "secret" not in message and "secret" not in detail
    # What a host shows a person names no server; its operator reads where, and why.
    assert "127.0.0.1" not in message and "sam" not in message
    assert message.startswith("cannot reach the PostgreSQL server of the store: ")
    assert "postgresql://sam:***@127.0.0.1:1/app" in detail and "OperationalError" in detail


def test_two_writers_of_one_revision_cannot_both_win(store: PostgresStore) -> None:
    saved = store.save(Plan("Sam", start=dt.date(2026, 1, 1)))
    store.save(saved)
    with pytest.raises(netplan.ConflictError, match="revision 2"):
        store.save(saved)
    assert store.revisions("sam") == (1, 2)


def test_a_read_sees_one_snapshot_and_its_connection_then_writes() -> None:
    """A read runs in a read-only repeatable-read transaction, said in its BEGIN; the
    pool's one connection then writes (a read does not leave it read-only)."""
    schema = _new_schema()
    with PostgresStore.open(parse_url(f"{_url(schema)}&pool_max=1"), create=True) as store:
        store.save(Plan("Sam", start=dt.date(2026, 1, 1)))
        with store._read() as db:
            db.execute("SHOW transaction_isolation")
            assert db.fetchone() == ("repeatable read",)
            db.execute("SHOW transaction_read_only")
            assert db.fetchone() == ("on",)
        store.add("sam", Contact("Ana Silva"))
        with store._write("sam") as db:
            db.execute("SHOW transaction_read_only")
            assert db.fetchone() == ("off",)
        assert [c.id for c in store.load_log("sam").contacts] == ["ana-silva"]


def test_threads_sharing_the_store_lose_nothing(store: PostgresStore) -> None:
    """Eight threads append to two plans through one store object: every call succeeds
    and every interaction is kept, in each plan, none in the other's."""
    for name in ("Sam", "Kim"):
        store.save(Plan(name, start=dt.date(2026, 1, 1)))
        store.add(name.lower(), Contact("Ana Silva"))
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        plan_id = ("sam", "kim")[thread % 2]
        try:
            for k in range(20):
                at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=thread * 100 + k)
                store.add(plan_id, Interaction("message", at, contact="ana-silva"))
                store.load_log(plan_id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [len(store.load_log(plan_id)) for plan_id in ("sam", "kim")] == [80, 80]


def test_a_batch_is_written_and_read_back_column_by_column(store: PostgresStore) -> None:
    store.save(Plan("Sam", start=dt.date(2026, 1, 1)))
    people = [Contact(f"Person {n}", emails=[f"p{n}@example.org"]) for n in range(300)]
    at = [1_790_000_000_000_000 + n for n in range(300)]
    notes = ["", "a\x00note", "\ud800 lone", *[""] * 297]
    batch = Batch(
        contacts=NewContacts.of(people),
        interactions=(
            at, [p.id for p in people], ["met"] * 300, ["in_person"] * 300,
            ["mutual"] * 300, [None] * 300, notes,
        ),
    )  # fmt: skip
    store.add_batch("sam", batch)
    log = store.load_log("sam")
    assert log == netplan.ActivityLog.from_batch(batch)
    assert [i.notes for i in log][:3] == notes[:3]
    with pytest.raises(netplan.ValidationError, match="already names a contact"):
        store.add_batch("sam", Batch(contacts=NewContacts.of(people[:1])))
    assert len(store.load_log("sam").contacts) == 300


def test_a_store_of_the_first_layout_is_upgraded_in_place() -> None:
    from netplan.stores import postgres as backend

    schema = _new_schema()
    with psycopg.connect(SERVER) as connection:
        connection.execute(
            psycopg.sql.SQL("CREATE SCHEMA {0}; SET search_path TO {0}").format(
                psycopg.sql.Identifier(schema)
            )
        )
        for statement in backend.SCHEMA_V1:
            connection.execute(statement)
        connection.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        connection.execute("INSERT INTO plans (id, head) VALUES ('maya', 1)")
        plan = Plan("Maya", start=dt.date(2026, 11, 1), revision=1)
        connection.execute(
            "INSERT INTO revisions (plan_id, revision, data) VALUES ('maya', 1, %s)",
            (json.dumps(to_data(plan)),),
        )
        for key, data in [("zoe", to_data(Contact("ZOË  Ng", id="zoe"))), ("bad", "{not json")]:
            connection.execute(
                "INSERT INTO contacts (plan_id, id, data) VALUES ('maya', %s, %s)",
                (key, data if isinstance(data, str) else json.dumps(data)),
            )
    with _open(schema, create=False) as store:
        assert store.load("maya") == plan
        assert [c.id for c in store.find_contacts("maya", "zoë ng")] == ["zoe"]
        assert store.log_version("maya") == 0
        assert store.plans(owner="u-1") == ()
        store.save(Plan("Maya", start=dt.date(2026, 11, 1), owner="u-1", revision=1))
        assert store.plans(owner="u-1") == ("maya",)
    with PostgresRaw(schema)._connect() as connection:
        assert connection.execute("SELECT value FROM meta").fetchone() == (
            str(backend.SCHEMA_VERSION),
        )
        keys = connection.execute(
            "SELECT id, name_key, search_text FROM contacts ORDER BY seq"
        ).fetchall()
        assert keys == [("zoe", "zoë ng", '"zoe",null,null,[],null'), ("bad", "", "")]


def test_the_postgres_store_finds_contacts_and_logs_as_the_log_would(
    store: PostgresStore,
) -> None:
    check_finding(store)


def test_the_postgres_store_logs_and_refuses_as_the_log_does() -> None:
    with _open(_new_schema()) as store:
        check_logging(store)
    with _open(_new_schema()) as store:
        check_refusals(store)


@settings(max_examples=10, deadline=None)
@given(steps)
def test_any_appends_give_the_postgres_store_the_log_they_give_a_log(
    plan_steps: list[tuple[str, str, int]],
) -> None:
    with _open(_new_schema()) as store:
        check_property(store, plan_steps)


@settings(max_examples=10, deadline=None)
@given(people, st.none() | st.sampled_from(("climate", "mentor")), st.integers(0, 6))
def test_the_postgres_store_lists_a_page_of_contacts_as_the_log_would(
    contacts: list[Contact], tag: str | None, offset: int
) -> None:
    with _open(_new_schema()) as store:
        check_listing(store, contacts, tag, None, offset, 3)
