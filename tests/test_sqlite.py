"""The SQLite store beyond the shared contract: its file, its schema, its errors, and
several processes writing at once."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import netplan
from _sqlite import raw_sqlite
from netplan.core.errors import (
    CorruptStoreError,
    ReadOnlyStoreError,
    StoreNotFoundError,
)
from netplan.storage import parse_url
from netplan.stores import sqlite as backend
from netplan.stores.serialize import SchemaError
from netplan.stores.sqlite import SqliteStore

FIXTURES = Path(__file__).parent / "fixtures"
UTC = netplan.UTC


def open_store(path: Path, *, create: bool = False) -> SqliteStore:
    return SqliteStore.open(parse_url(f"sqlite://{path}"), create=create)


def first_schema_store(folder: Path) -> Path:
    """A database written by store schema 1, rebuilt from its SQL dump."""
    path = folder / "v1.db"
    with raw_sqlite(path) as db:
        db.executescript((FIXTURES / "sqlite_schema_v1.sql").read_text(encoding="utf-8"))
    return path


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "plans.db"


@pytest.fixture
def store(path: Path) -> Iterator[SqliteStore]:
    with open_store(path, create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
        store.add("maya", netplan.Contact("Lena Berg"))
        yield store


def test_files_holding_personal_data_are_owner_only(store: SqliteStore, path: Path) -> None:
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name.exists():
            assert stat.S_IMODE(os.stat(name).st_mode) == 0o600, name


def test_a_missing_store_is_not_created_unless_asked(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="create=True"):
        open_store(tmp_path / "nope.db")
    with pytest.raises(StoreNotFoundError, match="create the folder"):
        open_store(tmp_path / "no" / "such" / "folder.db", create=True)
    with pytest.raises(StoreNotFoundError, match="folder, not a store"):
        open_store(tmp_path, create=True)
    assert not (tmp_path / "nope.db").exists()


def test_a_file_that_is_not_a_database_is_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(CorruptStoreError, match="backup"):
        open_store(bad)
    assert bad.read_text().startswith("these are my notes")  # untouched


def test_another_sqlite_database_is_not_taken_for_a_store(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with raw_sqlite(other) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(CorruptStoreError, match="not a netplan store"):
        open_store(other)


def test_a_store_from_a_newer_netplan_is_refused(store: SqliteStore, path: Path) -> None:
    store.close()
    with raw_sqlite(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaError, match="newer netplan"):
        open_store(path)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing", "no store at the path given: check the path, or pass create=True"),
        ("no folder", "there is no folder for the SQLite store: create the folder first"),
        ("a folder", "the SQLite store's path is a folder, not a store"),
        ("not sqlite", "the SQLite store's file is not a readable netplan store: restore it"),
        ("other sqlite", "the SQLite store's file is an SQLite database but not a netplan"),
        ("newer", "the SQLite store was written by a newer netplan"),
    ],
)
def test_an_error_names_the_file_in_its_detail_alone(tmp_path: Path, name: str, says: str) -> None:
    """A host shows str(error) to a person: it names the store in words; the path, and what
    SQLite said, are in error.detail for the operator (issue 16)."""
    path = tmp_path / "plans.db"
    create = False
    if name == "no folder":
        path, create = tmp_path / "no" / "plans.db", True
    elif name == "a folder":
        path = tmp_path
    elif name == "not sqlite":
        path.write_text("these are my notes, not a database\n" * 50)
    elif name == "other sqlite":
        with raw_sqlite(path) as db:
            db.execute("CREATE TABLE recipes (name TEXT)")
    elif name == "newer":
        open_store(path, create=True).close()
        with raw_sqlite(path) as db:
            db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises((netplan.StoreError, SchemaError)) as caught:
        open_store(path, create=create)
    message, detail = str(caught.value), caught.value.detail
    assert message.startswith(says), message
    assert str(tmp_path) not in message
    assert str(path) in detail and len(detail) > len(message)
    if name == "not sqlite":
        assert "SQLite: file is not a database" in detail and "not a database" not in message


def test_a_read_only_location_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    # Root (as in CI) ignores folder modes, so the refusal is the operating system's word.
    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        open_store(tmp_path / "plans.db", create=True)


def test_a_read_only_file_can_be_read_and_refuses_writes_clearly(
    store: SqliteStore, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    # Root ignores file modes, so make SQLite itself open the file read-only.
    connect = sqlite3.connect
    monkeypatch.setattr(
        backend.sqlite3, "connect", lambda p, **kw: connect(f"file:{p}?mode=ro", uri=True, **kw)
    )
    with open_store(path) as reader:
        plan = reader.load("maya")
        assert len(reader.load_log("maya").contacts) == 1
        with pytest.raises(ReadOnlyStoreError, match="permissions"):
            reader.save(plan)
        assert reader.revisions("maya") == (1,)


def test_the_first_schema_opens_and_reads(tmp_path: Path) -> None:
    path = first_schema_store(tmp_path)
    with open_store(path) as store:
        plan = store.load("maya")
        assert plan.revision == 2
        assert plan.follow_up == netplan.FollowUpPolicy(within_days=2)
        assert store.load("maya", 1).follow_up is None
        log = store.load_log("maya")
        assert [i.kind.value for i in log.interactions()] == ["met", "follow_up"]
        assert log.interactions()[1].notes == "Thanks ☕"
        assert log.contact("lena-berg").organization == "sunrise-power"
        assert store.reviews("maya") == ({"as_of": "2026-12-01"},)
        store.save(plan)  # and it takes new revisions
        assert store.revisions("maya") == (1, 2, 3)


def test_migrations_run_in_order_inside_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = first_schema_store(tmp_path)

    def add_tags_table(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE tags (name TEXT)")

    monkeypatch.setattr(backend, "SCHEMA_VERSION", 6)
    monkeypatch.setitem(backend.MIGRATIONS, 5, add_tags_table)
    with open_store(path) as store:
        assert len(store.load_log("maya")) == 2
    with raw_sqlite(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("6",)
        assert db.execute("SELECT count(*) FROM changes").fetchone() == (0,)  # 1 -> 2
        assert db.execute("SELECT sum(log_version) FROM plans").fetchone() == (0,)  # 2 -> 3
        assert db.execute("SELECT name_key FROM contacts").fetchall() == [("lena berg",)]  # 3 -> 4
        assert db.execute("SELECT count(*) FROM interaction_packs").fetchone() == (0,)  # 4 -> 5
        assert db.execute("SELECT count(*) FROM tags").fetchone() == (0,)  # 5 -> 6


def test_a_failed_migration_leaves_the_old_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = first_schema_store(tmp_path)

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(backend, "SCHEMA_VERSION", 6)
    monkeypatch.setitem(backend.MIGRATIONS, 5, broken)
    with pytest.raises(RuntimeError, match="migration bug"):
        open_store(path)
    with raw_sqlite(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("1",)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables
        assert "changes" not in tables  # the migrations before it are rolled back too


def test_the_second_schema_keeps_the_history_of_corrections(tmp_path: Path) -> None:
    path = first_schema_store(tmp_path)
    with open_store(path) as store:
        assert store.changes("maya") == ()
        log = store.load_log("maya")
        change = log.remove_interactions(log.interactions(kind="met")[0])
        assert store.change("maya", change) == 1
        assert store.changes("maya") == (attrs.evolve(change, number=1),)
    with raw_sqlite(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (str(backend.SCHEMA_VERSION),)
        ((text,),) = db.execute("SELECT data FROM changes WHERE number = 1").fetchall()
        assert json.loads(text) == netplan.to_data(attrs.evolve(change, number=1))
        db.execute("UPDATE changes SET data = '{not json'")
    with open_store(path) as store, pytest.raises(CorruptStoreError, match="change 1.*backup"):
        store.changes("maya")


def test_the_third_schema_keeps_owners_and_log_versions(tmp_path: Path) -> None:
    path = first_schema_store(tmp_path)
    with open_store(path) as store:
        assert store.log_version("maya") == 0  # what an upgraded plan starts from
        assert store.plans(owner="u-1") == ()  # a plan saved before owners has none
        store.save(attrs.evolve(store.load("maya"), owner="u-1"))
        store.add("maya", netplan.Contact("Ana Ruiz"))
        assert store.log_version("maya") == 1
        assert store.plans(owner="u-1") == ("maya",)
    with raw_sqlite(path) as db:
        assert db.execute("SELECT owner, log_version FROM plans").fetchall() == [("u-1", 1)]


def test_the_fourth_schema_finds_and_lists_contacts_by_their_name_keys(tmp_path: Path) -> None:
    path = first_schema_store(tmp_path)
    with raw_sqlite(path) as db:
        # Rows from before the key: one damaged (read as damage when the contact is).
        db.execute(
            "INSERT INTO contacts (plan_id, id, data) VALUES ('maya', 'zoe', ?)",
            (json.dumps(netplan.to_data(netplan.Contact("ZOË  Ng", id="zoe", tier="a"))),),
        )
        db.execute("INSERT INTO contacts (plan_id, id, data) VALUES ('maya', 'bad', '{not json')")
    with open_store(path) as store:
        assert [c.id for c in store.find_contacts("maya", "zoë ng")] == ["zoe"]
        assert [c.id for c in store.find_contacts("maya", "Lena  Berg")] == ["lena-berg"]
        # A tier-a cadence finds her in the search text the upgrade wrote.
        found = store.load_log("maya").contact_fields({"a"}, ("id", "tier"))
        assert found == {"id": ["lena-berg", "zoe"], "tier": ["a", "a"]}
    with raw_sqlite(path) as db:
        assert db.execute(
            "SELECT id, name_key, search_text FROM contacts ORDER BY rowid"
        ).fetchall() == [
            ("lena-berg", "lena berg", '"lena-berg",null,"sunrise-power",["climate"],"a"'),
            ("zoe", "zoë ng", '"zoe",null,null,[],"a"'),
            ("bad", "", ""),
        ]
        plan = "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE plan_id = ? ORDER BY name_key, id"
        assert "contacts_by_name" in str(db.execute(plan, ("maya",)).fetchall())
        plan = "EXPLAIN QUERY PLAN SELECT id, data FROM contacts WHERE plan_id = ? ORDER BY rowid"
        assert "TEMP B-TREE" not in str(db.execute(plan, ("maya",)).fetchall())  # no sort


def test_a_contact_whose_search_text_is_damaged_is_still_found(tmp_path: Path) -> None:
    # The search text is the store's index of a contact: bytes there (a
    # damaged file) has the contact read, not the review fail or the contact missed.
    path = first_schema_store(tmp_path)
    open_store(path).close()
    with raw_sqlite(path) as db:
        db.execute("UPDATE contacts SET search_text = x'2261' WHERE id = 'lena-berg'")
    with open_store(path) as store:
        found = store.load_log("maya").contact_fields({"a", "climate"}, ("id", "tier"))
        assert found == {"id": ["lena-berg"], "tier": ["a"]}


def test_a_new_store_has_the_schema_an_upgraded_one_has(tmp_path: Path) -> None:
    def schema(path: Path) -> list[tuple[str, str]]:
        with raw_sqlite(path) as db:
            return sorted(db.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))

    upgraded = first_schema_store(tmp_path)
    open_store(upgraded).close()
    new = tmp_path / "new.db"
    open_store(new, create=True).close()
    assert schema(new) == schema(upgraded)


def test_appending_does_not_rewrite_the_plan(store: SqliteStore, path: Path) -> None:
    with raw_sqlite(path) as db:
        before = db.execute("SELECT rowid, data FROM revisions").fetchall()
    store.add(
        "maya",
        netplan.Interaction("met", dt.datetime(2026, 11, 3, tzinfo=UTC), contact="lena-berg"),
    )
    with raw_sqlite(path) as db:
        assert db.execute("SELECT rowid, data FROM revisions").fetchall() == before
        assert db.execute("SELECT count(*) FROM interactions").fetchone() == (1,)


def test_sql_is_parameterised_against_hostile_ids(store: SqliteStore) -> None:
    # Ids are validated first; notes and names, which are free text, reach SQL as values.
    hostile = "x'); DROP TABLE plans; --"
    store.add(
        "maya",
        netplan.Contact(hostile, id="bobby-tables", notes=hostile),
        netplan.Interaction(
            "met", dt.datetime(2026, 11, 3, tzinfo=UTC), contact="bobby-tables", notes=hostile
        ),
    )
    log = store.load_log("maya")
    assert log.contact("bobby-tables").name == hostile
    assert store.plans() == ("maya",)


def _append_many(path: str, who: str, count: int) -> None:
    with open_store(Path(path)) as store:
        for n in range(count):
            store.add(
                "maya",
                netplan.Interaction(
                    "message",
                    dt.datetime(2026, 11, 3, tzinfo=UTC) + dt.timedelta(minutes=n),
                    contact="lena-berg",
                    notes=f"{who}-{n}",
                ),
            )


def test_two_processes_appending_at_once_lose_nothing(store: SqliteStore, path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_append_many, args=(str(path), who, 60)) for who in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    notes = {i.notes for i in store.load_log("maya")}
    assert notes == {f"{who}-{n}" for who in ("a", "b") for n in range(60)}


def test_a_damaged_contact_is_reported_when_read(store: SqliteStore, path: Path) -> None:
    with raw_sqlite(path) as db:
        db.execute("UPDATE contacts SET data = '{not json' WHERE id = 'lena-berg'")
    log = store.load_log("maya")  # contacts are decoded when first read
    with pytest.raises(CorruptStoreError, match="contact 'lena-berg'.*backup"):
        log.contact("lena-berg")


def test_lazily_read_contacts_equal_the_stored_ones(store: SqliteStore) -> None:
    people = [netplan.Contact(f"Person {n}", tags={"climate"}, tier="b") for n in range(50)]
    store.add("maya", *people)
    log = store.load_log("maya")
    assert log.contacts[1:] == tuple(people)
    assert log.copy() == log


def test_the_log_loads_column_by_column_exactly(store: SqliteStore, path: Path) -> None:
    day = dt.datetime(2026, 11, 3, tzinfo=UTC)
    store.add(
        "maya",
        netplan.Event("Climate night", dt.date(2026, 11, 3)),
        netplan.Interaction("met", day, contact="lena-berg", event="climate-night-2026-11-03"),
        netplan.Interaction("post", day, notes='comma, "quote" and é'),
        netplan.Interaction("call", day - dt.timedelta(days=1), contact="lena-berg", notes="x"),
        netplan.Interaction("coffee", day, contact="lena-berg"),
    )
    expected = [
        (row[0], row[1], row[2], row[3], row[4], row[5], row[6])
        for row in store.load_log("maya").rows()
    ]
    with raw_sqlite(path) as db:
        columns = SqliteStore._interaction_columns(db, "maya")
        raw = db.execute(
            "SELECT at, contact, kind, channel, direction, event, notes FROM interactions "
            "WHERE plan_id = 'maya' ORDER BY row"
        ).fetchall()
    assert columns is not None
    assert [tuple(r) for r in zip(*columns, strict=True)] == raw == expected


def test_a_plan_alone_in_its_store_loads_as_one_among_others(
    store: SqliteStore, path: Path
) -> None:
    # Alone, the plan's rows are read by a pass over each table; among others, through
    # the index by plan: the same log, never another plan's rows.
    day = dt.datetime(2026, 11, 3, tzinfo=UTC)
    store.add(
        "maya",
        netplan.Contact("Ana Ruiz", tags=frozenset({"climate"})),
        *(
            netplan.Interaction("call", day - dt.timedelta(days=n), contact="ana-ruiz")
            for n in range(5)
        ),
        netplan.Interaction("post", day, notes="hello"),
    )
    with raw_sqlite(path) as db:
        assert SqliteStore._plan_column(db) == "+plan_id"
    alone = store.load_log("maya")
    other = store.save(netplan.Plan("Kai", start=dt.date(2026, 11, 1), id="kai"))
    store.add(
        other.id, netplan.Contact("Ana Ruiz"), netplan.Interaction("met", day, contact="ana-ruiz")
    )
    with raw_sqlite(path) as db:
        assert SqliteStore._plan_column(db) == "plan_id"
    with open_store(path) as again:
        among, kai = again.load_log("maya"), again.load_log("kai")
    assert among == alone
    assert [i.kind.value for i in among][-6:] == ["call"] * 5 + ["post"]
    assert [i.contact for i in kai] == ["ana-ruiz"]


@pytest.fixture
def packing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logs of 4 interactions or more are packed (netplan's own bar is 10,000)."""
    monkeypatch.setattr(SqliteStore, "PACK_ROWS", 4)


def _calls(day: dt.datetime, notes: list[str]) -> list[netplan.Interaction]:
    return [
        netplan.Interaction("call", day + dt.timedelta(hours=n), contact="lena-berg", notes=text)
        for n, text in enumerate(notes)
    ]


def _unpacked_log(path: Path) -> netplan.ActivityLog:
    """The log as its rows give it (a copy of the file without its pack)."""
    copy = path.with_name("unpacked.db")
    for name in (copy, copy.with_name("unpacked.db-wal"), copy.with_name("unpacked.db-shm")):
        name.unlink(missing_ok=True)
    with raw_sqlite(path) as db:
        db.execute("VACUUM INTO ?", (str(copy),))
    with raw_sqlite(copy) as db:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'interaction_packs'").fetchone():
            db.execute("DELETE FROM interaction_packs")
    with open_store(copy) as other:
        return other.load_log("maya")


def _packs(path: Path) -> list[tuple[int, int]]:
    with raw_sqlite(path) as db:
        return db.execute("SELECT through, count FROM interaction_packs").fetchall()


@pytest.mark.usefixtures("packing")
def test_a_large_log_is_packed_and_read_with_the_rows_appended_after(
    store: SqliteStore, path: Path
) -> None:
    day = dt.datetime(2026, 11, 3, tzinfo=UTC)
    store.add(
        "maya",
        netplan.Event("Climate night", dt.date(2026, 11, 3)),
        netplan.Interaction("met", day, contact="lena-berg", event="climate-night-2026-11-03"),
        netplan.Interaction("post", day, notes='comma, "quote" and é'),
        *_calls(day, ["", "x", "Ana \udc80 said hi", "ok"]),
    )
    first = open_store(path)
    read = first.load_log("maya")  # from the rows; packed for the next read
    first.close()
    assert _packs(path) == [(6, 6)]
    with open_store(path) as again:
        assert again.load_log("maya") == read == _unpacked_log(path)
        again.add("maya", *_calls(day + dt.timedelta(days=1), ["a", "b"]))
    with open_store(path) as again:
        appended = again.load_log("maya")  # the pack and the two rows after it
    assert appended == _unpacked_log(path)
    assert [i.notes for i in appended][-3:] == ["ok", "a", "b"]
    assert _packs(path) == [(6, 6)]  # two appended: not worth packing again
    with open_store(path) as again:
        again.add("maya", *_calls(day + dt.timedelta(days=2), list("cdefg")))
        again.load_log("maya")  # seven appended to a pack of six: packed again
    assert _packs(path) == [(13, 13)]
    with open_store(path) as again:
        assert again.load_log("maya") == _unpacked_log(path)


@pytest.mark.usefixtures("packing")
@pytest.mark.parametrize(
    "by_hand",
    [
        "UPDATE interactions SET notes = 'fixed by hand' WHERE row = 2",
        "DELETE FROM interactions WHERE row = 3",
        "UPDATE interaction_packs SET at = x'00'",
        "UPDATE interaction_packs SET kind = 'call'",
        "UPDATE interaction_packs SET notes = '[1, 2, 3, 4, 5, 6]'",
        "UPDATE interaction_packs SET through = 'six'",
        "DROP TABLE interaction_packs",
    ],
    ids=[
        "row-changed",
        "row-removed",
        "pack-short",
        "pack-columns",
        "pack-notes",
        "pack-row",
        "no-packs",
    ],
)
def test_a_pack_never_hides_the_rows_as_they_are(
    store: SqliteStore, path: Path, by_hand: str
) -> None:
    # Rows changed behind netplan's back drop the pack (the triggers); a damaged pack is
    # passed over: the log read is the one its rows give.
    store.add("maya", *_calls(dt.datetime(2026, 11, 3, tzinfo=UTC), list("abcdef")))
    with open_store(path) as again:
        again.load_log("maya")
    assert _packs(path) == [(6, 6)]
    with raw_sqlite(path) as db:
        db.execute(by_hand)
    with open_store(path) as again:
        read = again.load_log("maya")
    assert read == _unpacked_log(path)
    expected = list("abcdef")
    if by_hand.startswith("UPDATE interactions"):
        expected[1] = "fixed by hand"
    elif by_hand.startswith("DELETE"):
        del expected[2]
    assert [i.notes for i in read if i.kind.value == "call"] == expected


@pytest.mark.usefixtures("packing")
def test_a_correction_or_a_plan_made_again_leaves_no_pack_behind(
    store: SqliteStore, path: Path
) -> None:
    day = dt.datetime(2026, 11, 3, tzinfo=UTC)
    store.add("maya", *_calls(day, list("abcdef")))
    with open_store(path) as again:
        log = again.load_log("maya")
        again.change("maya", log.remove_interactions(log.interactions(kind="call")[0]))
    assert _packs(path) == []  # the correction's statements dropped it
    with open_store(path) as again:
        assert [i.notes for i in again.load_log("maya")] == list("bcdef")
    assert _packs(path) == [(6, 5)]  # packed again from the rows as they are
    store.delete("maya")
    assert _packs(path) == []
    store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    store.add("maya", netplan.Contact("Lena Berg"), *_calls(day, ["new"]))
    with open_store(path) as again:
        assert [i.notes for i in again.load_log("maya")] == ["new"]


@pytest.mark.usefixtures("packing")
def test_a_row_added_by_hand_among_a_packs_rows_is_read(store: SqliteStore, path: Path) -> None:
    store.add("maya", *_calls(dt.datetime(2026, 11, 3, tzinfo=UTC), list("abcdef")))
    with raw_sqlite(path) as db:
        db.execute("DELETE FROM interactions WHERE row = 2")
    with open_store(path) as again:
        again.load_log("maya")
    assert _packs(path) == [(6, 5)]
    with raw_sqlite(path) as db:
        db.execute(
            "INSERT INTO interactions (row, plan_id, at, contact, kind, channel, direction, "
            "event, notes) SELECT 2, plan_id, at, contact, kind, channel, direction, event, "
            "'put back' FROM interactions WHERE row = 1"
        )
    with open_store(path) as again:
        read = again.load_log("maya")
    assert [i.notes for i in read] == ["a", "put back", "c", "d", "e", "f"]


@pytest.mark.usefixtures("packing")
def test_a_pack_is_never_waited_for(store: SqliteStore, path: Path) -> None:
    # Another process writing (here a connection holding SQLite's write lock): the read
    # returns its log at once and packs nothing; the next read, once it is done, packs.
    store.add("maya", *_calls(dt.datetime(2026, 11, 3, tzinfo=UTC), list("abcdef")))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        done: list[netplan.ActivityLog] = []

        def read() -> None:
            with open_store(path) as reading:
                done.append(reading.load_log("maya"))

        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=20)
        assert done and len(done[0]) == 6  # SQLite's busy timeout is 30 s: not waited
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _packs(path) == []
    with open_store(path) as again:
        again.load_log("maya")
    assert _packs(path) == [(6, 6)]


def test_a_small_log_is_not_packed(store: SqliteStore, path: Path) -> None:
    store.add("maya", *_calls(dt.datetime(2026, 11, 3, tzinfo=UTC), list("abcdef")))
    with open_store(path) as again:
        again.load_log("maya")
    assert _packs(path) == []


def test_a_damaged_id_falls_back_to_rows_and_is_named(store: SqliteStore, path: Path) -> None:
    store.add(
        "maya",
        netplan.Interaction("met", dt.datetime(2026, 11, 3, tzinfo=UTC), contact="lena-berg"),
    )
    with raw_sqlite(path) as db:
        db.execute("UPDATE interactions SET contact = 'lena,berg'")
        assert SqliteStore._interaction_columns(db, "maya") is None
    with pytest.raises(netplan.CorruptStoreError, match="contact"):
        store.load_log("maya")


@pytest.mark.parametrize("many", [False, True], ids=["few-noted", "most-noted"])
def test_notes_kept_as_bytes_load_in_their_rows(store: SqliteStore, path: Path, many: bool) -> None:
    # A lone surrogate cannot be UTF-8: SQLite keeps that note as bytes, which its JSON
    # functions refuse, so the notes are read apart, row by row, and must land in place.
    day = dt.datetime(2026, 11, 3, tzinfo=UTC)
    odd = "Ana \udc80 said hi"
    notes = [odd if n == 3 else (f"note {n}" if many or n == 7 else "") for n in range(12)]
    store.add(
        "maya",
        *(
            netplan.Interaction(
                "call", day + dt.timedelta(hours=n), contact="lena-berg", notes=text
            )
            for n, text in enumerate(notes)
        ),
    )
    with raw_sqlite(path) as db:
        kept = db.execute("SELECT typeof(notes) FROM interactions WHERE notes != ''").fetchall()
        assert ("blob",) in kept
        assert SqliteStore._interaction_columns(db, "maya") is not None
    assert [i.notes for i in store.load_log("maya")][-12:] == notes


def test_a_bulk_write_gives_its_page_cache_back(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bulk import writes with a large page cache; a host's connection must not keep it.
    monkeypatch.setattr(backend, "_BULK", 1)
    default = store._db.execute("PRAGMA cache_size").fetchone()
    sizes: list[int] = []
    checked = backend.check_batch

    def spy(*args: object, **kwargs: object) -> object:
        sizes.append(store._db.execute("PRAGMA cache_size").fetchone()[0])
        return checked(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backend, "check_batch", spy)
    batch = netplan.ActivityLog(
        [netplan.Contact("Ana Silva"), netplan.Contact("Ben Okafor")]
    ).batch()
    store.add_batch("maya", batch)
    assert sizes == [backend._BULK_CACHE]
    assert store._db.execute("PRAGMA cache_size").fetchone() == default
    assert {c.name for c in store.load_log("maya").contacts} >= {"Ana Silva", "Ben Okafor"}
