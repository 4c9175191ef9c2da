"""Hostile or damaged store files cannot hurt the person (issue 14).

Whatever a SQLite or JSON store file holds (damaged pages, values of the wrong type in any
column, JSON that is not JSON, numbers of 5,000 digits, nesting 200,000 deep, NaN), opening
it, reading everything in it and writing to it raise only :class:`~netplan.NetplanError`
subclasses, and an error about the file names the file in its ``detail`` alone (issue 16:
a host shows ``str(error)`` to a person). Everything netplan creates for a store is
owner-only (0600), through symbolic links too.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
from _sqlite import raw_sqlite
from netplan.cli import main
from netplan.core.errors import ConflictError, CorruptStoreError, NetplanError, StoreError
from netplan.storage import AppendingStore, Store, parse_url
from netplan.stores import _files
from netplan.stores.jsonfile import JsonStore
from netplan.stores.serialize import SchemaError, from_trusted_data, to_data
from netplan.stores.sqlite import SCHEMA_VERSION as SQLITE_SCHEMA
from netplan.stores.sqlite import SqliteStore

UTC = dt.UTC
HUGE = "1" * 5000
DEEP = "[" * 200_000 + "]" * 200_000
MARK = "@@hostile@@"
"""Stands for a raw snippet of JSON text while a document is still data."""

# -- a store with something of everything -------------------------------------------


def fill(store: Store) -> None:
    """A plan with two revisions, a log with every kind of record, a review, and a
    merge and its undo in the history of corrections."""
    plan = store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    store.save(plan.add_goal(netplan.Goal("Find a job", kind="find_job")))
    day = dt.datetime(2026, 11, 3, 19, tzinfo=UTC)
    store.add(
        "maya",
        netplan.Organization("Sunrise Energy"),
        netplan.Contact(
            "Lena Berg",
            emails=["lena@example.org"],
            tags={"climate"},
            tier="a",
            organization="sunrise-energy",
        ),
        netplan.Contact("Lena Berg", id="lena-berg-2", phones=["+49 30 1234567"]),
        netplan.Contact("Omar Haddad", introduced_by="lena-berg", birthday="1990-04-01"),
        netplan.Event("Climate night", dt.date(2026, 11, 3), starts_at=day),
        netplan.Interaction("met", day, contact="lena-berg", event="climate-night-2026-11-03"),
        netplan.Interaction("coffee", day + dt.timedelta(days=2), contact="lena-berg-2"),
        netplan.Interaction("post", day, notes='comma, "quote" and é'),
    )
    store.save_review("maya", {"score": 0.5, "findings": [{"rule": "x", "level": 2}]})
    changing: Any = store
    log = store.load_log("maya")
    changing.change("maya", log.merge_contacts("lena-berg-2", into="lena-berg"))
    changing.undo("maya")
    changing.change("maya", store.load_log("maya").merge_contacts("lena-berg-2", into="lena-berg"))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seeds")
    with SqliteStore.open(parse_url(f"sqlite://{folder}/plans.db"), create=True) as store:
        fill(store)
    with JsonStore.open(parse_url(f"json://{folder}/plan.json"), create=True) as store:
        fill(store)
    return {"sqlite": folder / "plans.db", "json": folder / "plan.json"}


def open_sqlite(path: Path) -> SqliteStore:
    return SqliteStore.open(parse_url(f"sqlite://{path}"), create=False)


def open_json(path: Path) -> JsonStore:
    return JsonStore.open(parse_url(f"json://{path}?lock_timeout=5"), create=False)


@contextlib.contextmanager
def copy_of(seed: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / seed.name
        shutil.copyfile(seed, path)
        yield path


# -- everything a person does with a store ------------------------------------------


def names_the_file_for_the_operator_alone(error: BaseException, path: Path) -> None:
    """``error`` names the store's file in its ``detail``, and neither the file nor its
    folder in what a host shows a person (``str(error)``)."""
    message, detail = str(error), getattr(error, "detail", "")
    assert str(path.parent) not in message and path.parent.name not in message, message
    assert path.name not in message, message
    assert str(path) in detail or path.name in detail, detail
    assert detail.startswith(message) or len(detail) > len(message), (message, detail)


def exercise(open_store: Callable[[Path], Store], path: Path) -> list[NetplanError]:
    """Open the store, read everything in it, then write to it. Every step may fail, but
    only with a netplan error, and one about the store names its file in its detail alone.
    The errors raised."""
    raised: list[NetplanError] = []

    def attempt(step: Callable[..., Any], *args: Any) -> Any:
        try:
            return step(*args)
        except NetplanError as error:
            raised.append(error)
            return None

    store = attempt(open_store, path)
    if store is not None:
        with store:
            read_everything(store, attempt)
            day = dt.datetime(2026, 12, 1, tzinfo=UTC)
            attempt(store.add, "maya", netplan.Interaction("post", day, notes="again"))
            attempt(lambda: store.save(store.load("maya")))
            attempt(store.save_review, "maya", {"score": 1})
            attempt(store.undo, "maya")
    for error in raised:
        if isinstance(error, (StoreError, SchemaError)) and not isinstance(error, ConflictError):
            names_the_file_for_the_operator_alone(error, path)
    return raised


def read_everything(store: Any, attempt: Callable[..., Any]) -> None:
    for plan_id in attempt(store.plans) or ():
        for revision in attempt(store.revisions, plan_id) or ():
            attempt(store.load, plan_id, revision)
        attempt(store.load, plan_id)
        attempt(store.reviews, plan_id)
        attempt(store.changes, plan_id)
        log = attempt(store.load_log, plan_id)
        if log is not None:
            attempt(lambda log: log.organizations, log)
            attempt(log.events)
            attempt(list, log)
            for contact_id in list(log._contacts.ids):  # each, decoded when first read
                attempt(log.contact, contact_id)
            attempt(lambda log: log.contacts, log)


# -- hostile values -----------------------------------------------------------------

NEAR_MISSES = st.sampled_from(
    [
        "",
        " ",
        "lena-berg",
        "maya",
        "met",
        "Lena,Berg",
        "2026-11-03",
        "2026-02-30",
        "2026-11-03T19:00:00",
        "2026-11-03T19:00:00+00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "\udc80",
        0,
        -1,
        1,
        2,
        99,
        2**63,
        -(2**70),
        1.5,
        True,
        None,
        [],
        {},
        ["a", 1],
        {"type": "contact"},
        {"schema": 1, "type": "Contact", "data": {}},
        {"schema": 1, "type": "Contact", "data": []},
        {"schema": 99, "type": "Plan", "data": {}},
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
).filter(lambda value: "inf" not in repr(value))
RAW_SNIPPETS = st.sampled_from(
    [HUGE, "-" + HUGE, DEEP, "[" * 900 + "]" * 900, "NaN", "Infinity", "-Infinity", "1e999"]
)


def dump(data: Any, raw: str | None) -> str:
    text = json.dumps(data, allow_nan=False)
    return text if raw is None else text.replace(json.dumps(MARK), raw)


@st.composite
def damaged(
    draw: st.DrawFn, data: Any, roots: tuple[tuple[str, ...], ...] = ((),)
) -> tuple[Any, str | None]:
    """``data`` with one node, at any depth under one of ``roots``, replaced by a hostile
    value or removed; the raw text the node stands for (a 5000-digit number...) if it is
    to be one."""
    data = copy.deepcopy(data)
    parent: Any = None
    key: Any = None
    node = data
    for step in draw(st.sampled_from(roots)):
        parent, key, node = node, step, node[step]
    for _ in range(draw(st.integers(0, 10))):
        if not isinstance(node, (dict, list)) or not node:
            break
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = node[key]
    raw = None
    choice = draw(st.sampled_from(["value", "near", "raw", "remove"]))
    if choice == "remove" and parent is not None:
        del parent[key]
        return data, None
    if choice == "raw":
        value: Any = MARK
        raw = draw(RAW_SNIPPETS)
    elif choice == "near":
        value = draw(NEAR_MISSES)
    else:
        value = draw(JSON_VALUES)
    if parent is None:
        return value, raw
    parent[key] = value
    return data, raw


# -- SQLite ---------------------------------------------------------------------------

LOOSE = {
    # The store's tables without types or constraints, as a hostile file may have them:
    # anything fits anywhere (NULLs, blobs, text in number columns).
    "meta": "key, value",
    "plans": "id, head, log_version, owner",
    "revisions": "plan_id, revision, data",
    "organizations": "plan_id, id, data",
    "contacts": "plan_id, id, data, name_key, search_text",
    "events": "plan_id, id, data",
    "interactions": (
        "row INTEGER PRIMARY KEY, plan_id, at, contact, kind, channel, direction, event, notes"
    ),
    "reviews": "plan_id, number, data",
    "changes": "plan_id, number, data",
}
COLUMNS = [
    (table, column.split()[0])
    for table, columns in LOOSE.items()
    for column in columns.split(", ")
    if column != "row INTEGER PRIMARY KEY"
]
JSON_COLUMNS = {"data"}


def loosen(db: sqlite3.Connection, table: str) -> None:
    db.execute(f"CREATE TABLE loose ({LOOSE[table]})")
    db.execute(f"INSERT INTO loose SELECT * FROM {table} ORDER BY rowid")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE loose RENAME TO {table}")


@st.composite
def sqlite_damage(draw: st.DrawFn, seed: Path) -> tuple[str, str, int, Any]:
    """A table, a column, a row and the value to put there."""
    table, column = draw(st.sampled_from(COLUMNS))
    db = sqlite3.connect(seed)
    try:
        rows = [r for (r,) in db.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
        row = draw(st.sampled_from(rows)) if rows else 0
        current = db.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", (row,)).fetchone()
    finally:
        db.close()
    plain = st.one_of(
        st.sampled_from([0, -1, 1, 2, 3, 99]),
        st.none(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=20),  # SQLite: UTF-8
        st.binary(max_size=20),
        NEAR_MISSES.map(lambda v: v if isinstance(v, (str, float)) and v != "\udc80" else None),
        st.just(HUGE),
        st.just("\udc80"[:0] + "\x00"),
    )
    if column in JSON_COLUMNS and current is not None:
        document = json.loads(current[0])
        value = draw(
            st.one_of(
                damaged(document).map(lambda pair: dump(*pair)),
                JSON_VALUES.map(json.dumps),
                RAW_SNIPPETS,
                plain,
            )
        )
    else:
        value = draw(plain)
    return table, column, row, value


def put(path: Path, table: str, column: str, row: int | None, value: Any) -> None:
    """``value`` in ``column`` of one row of ``table`` (by rowid), or of every row."""
    with raw_sqlite(path) as db:
        loosen(db, table)
        if row is None:
            db.execute(f"UPDATE {table} SET {column} = ?", (value,))
        else:
            db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, row))
    db.close()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_value_in_any_sqlite_column_gives_only_netplan_errors(
    seeds: dict[str, Path], data: st.DataObject
) -> None:
    table, column, row, value = data.draw(sqlite_damage(seeds["sqlite"]))
    with copy_of(seeds["sqlite"]) as path:
        put(path, table, column, row, value)
        exercise(open_sqlite, path)


DAMAGING_SQL = [
    "DELETE FROM meta",
    "DROP TABLE meta",
    "DROP TABLE revisions",
    "DROP TABLE changes",
    "DROP TABLE contacts",
    "DELETE FROM revisions WHERE revision = 2",
    "DELETE FROM revisions",
    "UPDATE plans SET head = 7",
    "UPDATE changes SET number = number + 1",
    "DELETE FROM changes WHERE number = 1",
    "UPDATE contacts SET id = 'someone-else' WHERE id = 'lena-berg'",
    "UPDATE revisions SET data = (SELECT data FROM revisions WHERE revision = 1)",
    "ALTER TABLE interactions RENAME TO talks",
    "ALTER TABLE reviews ADD COLUMN extra",
    "CREATE VIEW v AS SELECT 1",
    "UPDATE meta SET value = '1'",
]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(statements=st.lists(st.sampled_from(DAMAGING_SQL), min_size=1, max_size=3, unique=True))
def test_a_store_whose_tables_were_tampered_with_gives_only_netplan_errors(
    seeds: dict[str, Path], statements: list[str]
) -> None:
    with copy_of(seeds["sqlite"]) as path:
        db = sqlite3.connect(path)
        for statement in statements:
            with contextlib.suppress(sqlite3.Error):
                db.execute(statement)
        db.commit()
        db.close()
        exercise(open_sqlite, path)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(offset=st.integers(0, 2**20), junk=st.binary(min_size=1, max_size=64))
def test_a_store_with_damaged_pages_gives_only_netplan_errors(
    seeds: dict[str, Path], offset: int, junk: bytes
) -> None:
    with copy_of(seeds["sqlite"]) as path:
        raw = bytearray(path.read_bytes())
        at = offset % len(raw)
        raw[at : at + len(junk)] = junk
        path.write_bytes(bytes(raw))
        exercise(open_sqlite, path)


@pytest.mark.parametrize(
    "value",
    ["0", "-1", "1.5", "x", "", "²", "٣", HUGE, None, b"\x00", -3, 0, 2.0],
)
def test_an_unknown_schema_version_is_a_corrupt_store(seeds: dict[str, Path], value: Any) -> None:
    with copy_of(seeds["sqlite"]) as path:
        put(path, "meta", "value", 1, value)
        with pytest.raises(CorruptStoreError, match="schema version") as error:
            open_sqlite(path)
    message = str(error.value)
    assert "backup" in message
    names_the_file_for_the_operator_alone(error.value, path)
    assert len(message) < 300  # a 5000-digit version is not shown whole


def test_a_missing_schema_version_is_a_corrupt_store(seeds: dict[str, Path]) -> None:
    with copy_of(seeds["sqlite"]) as path:
        with raw_sqlite(path) as db:
            db.execute("DELETE FROM meta")
        db.close()
        with pytest.raises(CorruptStoreError, match="no schema version"):
            open_sqlite(path)


def test_a_newer_schema_version_says_to_upgrade(seeds: dict[str, Path]) -> None:
    with copy_of(seeds["sqlite"]) as path:
        put(path, "meta", "value", 1, str(SQLITE_SCHEMA + 1))
        with pytest.raises(SchemaError, match="newer netplan") as error:
            open_sqlite(path)
    names_the_file_for_the_operator_alone(error.value, path)


@pytest.mark.parametrize(
    ("table", "read"),
    [
        ("revisions", lambda store: store.load("maya")),
        ("contacts", lambda store: store.load_log("maya").contacts),
        ("organizations", lambda store: store.load_log("maya")),
        ("events", lambda store: store.load_log("maya")),
        ("reviews", lambda store: store.reviews("maya")),
        ("changes", lambda store: store.changes("maya")),
    ],
)
@pytest.mark.parametrize(
    ("text", "says"),
    [
        (HUGE, "more than 4300 digits"),
        (DEEP, "nests"),
        ("NaN", "NaN"),
        ("1e999", "1e999"),
        ("[]", ""),
        ("{not json", "Expecting"),
    ],
)
def test_json_no_store_writes_in_a_row_is_a_corrupt_store(
    seeds: dict[str, Path], table: str, read: Callable[[Any], Any], text: str, says: str
) -> None:
    with copy_of(seeds["sqlite"]) as path:
        put(path, table, "data", None, text)
        with open_sqlite(path) as store, pytest.raises(CorruptStoreError) as error:
            read(store)
    assert "backup" in str(error.value) and says in str(error.value)
    names_the_file_for_the_operator_alone(error.value, path)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("plans", "head", "two"),
        ("plans", "head", None),
        ("plans", "id", b"maya"),
        ("revisions", "data", b"\xff\xfe"),
        ("revisions", "data", 5),
        ("contacts", "id", 7),
        ("contacts", "data", '{"schema": 1, "type": "Contact", "data": {"name": 5, "id": "x"}}'),
        ("interactions", "kind", None),
        ("interactions", "at", "soon"),
        ("interactions", "notes", 5),
        ("reviews", "number", "first"),
        ("changes", "number", 3),
    ],
)
def test_a_value_of_the_wrong_type_is_a_corrupt_store(
    seeds: dict[str, Path], table: str, column: str, value: Any
) -> None:
    with copy_of(seeds["sqlite"]) as path:
        put(path, table, column, 1, value)
        errors = exercise(open_sqlite, path)
    assert any(isinstance(e, CorruptStoreError) for e in errors), errors


@pytest.mark.parametrize("at", [-62_135_596_800_000_001, 253_402_300_800_000_000, -(2**63)])
def test_an_instant_no_datetime_holds_is_a_corrupt_store(seeds: dict[str, Path], at: int) -> None:
    with copy_of(seeds["sqlite"]) as path:
        put(path, "interactions", "at", 1, at)
        with open_sqlite(path) as store, pytest.raises(CorruptStoreError, match="years 1 to 9999"):
            store.load_log("maya")


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_an_instant_before_year_1_or_after_9999_in_utc_is_a_corrupt_json_store(
    seeds: dict[str, Path], at: str
) -> None:
    document = json.loads(seeds["json"].read_text(encoding="utf-8"))
    document["plans"]["maya"]["log"]["data"]["interactions"][0][0] = at
    with copy_of(seeds["json"]) as path:
        path.write_text(json.dumps(document), encoding="utf-8")
        with open_json(path) as store, pytest.raises(CorruptStoreError, match="years 1 to 9999"):
            store.load_log("maya")


def test_a_contact_of_the_wrong_types_is_refused_even_when_trusted() -> None:
    data = to_data(netplan.Contact("Lena Berg", emails=["lena@example.org"]))
    for field, value in [
        ("name", 5),
        ("emails", "lena@example.org"),
        ("emails", [1]),
        ("tags", "climate"),
        ("tier", ["a"]),
    ]:
        bad = {**data, "data": {**data["data"], field: value}}
        with pytest.raises(netplan.ValidationError, match=rf"\$\.data\.{field}"):
            from_trusted_data(bad, netplan.Contact)
    event = to_data(netplan.Event("Night", dt.date(2026, 11, 3)))
    event["data"]["starts_at"] = "2026-11-03T19:00:00"  # no UTC offset
    with pytest.raises(netplan.ValidationError, match="UTC offset"):
        from_trusted_data(event, netplan.Event)
    with pytest.raises(netplan.ValidationError):
        from_trusted_data([1, 2], netplan.Contact)  # type: ignore[arg-type]


def test_a_plan_from_a_newer_schema_names_the_file(seeds: dict[str, Path]) -> None:
    with copy_of(seeds["sqlite"]) as path:
        with raw_sqlite(path) as db:
            (text,) = db.execute("SELECT data FROM revisions WHERE revision = 2").fetchone()
            data = {**json.loads(text), "schema": netplan.SCHEMA_VERSION + 1}
            db.execute("UPDATE revisions SET data = ? WHERE revision = 2", (json.dumps(data),))
        db.close()
        with open_sqlite(path) as store, pytest.raises(SchemaError, match="upgrade") as error:
            store.load("maya")
    names_the_file_for_the_operator_alone(error.value, path)


# -- JSON -----------------------------------------------------------------------------


JSON_ROOTS = (
    (),
    ("plans", "maya"),
    ("plans", "maya", "log", "data", "contacts"),
    ("plans", "maya", "log", "data", "interactions"),
    ("plans", "maya", "log", "data", "events"),
    ("plans", "maya", "changes"),
    ("plans", "maya", "revisions"),
    ("plans", "maya", "reviews"),
)
"""Where damage starts: anywhere, or deep in the parts a store decodes."""


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_value_anywhere_in_a_json_store_gives_only_netplan_errors(
    seeds: dict[str, Path], data: st.DataObject
) -> None:
    document = json.loads(seeds["json"].read_text(encoding="utf-8"))
    hostile, raw = data.draw(damaged(document, JSON_ROOTS))
    with copy_of(seeds["json"]) as path:
        path.write_text(dump(hostile, raw), encoding="utf-8")
        exercise(open_json, path)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(0, 2**16), junk=st.binary(max_size=16))
def test_a_json_store_cut_short_or_with_junk_gives_only_netplan_errors(
    seeds: dict[str, Path], cut: int, junk: bytes
) -> None:
    with copy_of(seeds["json"]) as path:
        raw = path.read_bytes()
        at = cut % (len(raw) + 1)
        path.write_bytes(raw[:at] + junk + raw[at + len(junk) :])
        exercise(open_json, path)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"netplan_store": 1, "plans": {}, "x": ' + HUGE + "}", "more than 4300 digits"),
        ('{"netplan_store": 1, "plans": ' + DEEP + "}", "nests"),
        ('{"netplan_store": NaN, "plans": {}}', "NaN"),
        ('{"netplan_store": 1e999, "plans": {}}', "1e999"),
        ('{"netplan_store": ' + "9" * 4000 + ', "plans": {}}', "format version"),
        ('{"netplan_store": 0, "plans": {}}', "format version"),
        ('{"netplan_store": "1", "plans": {}}', "format version"),
        ('{"netplan_store": 1.0, "plans": {}}', "format version"),
        ('{"plans": {}}', "netplan_store"),
        ("[1]", "netplan_store"),
    ],
)
def test_a_json_store_no_netplan_writes_is_a_corrupt_store(
    tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(CorruptStoreError) as error:
        open_json(path)
    message = str(error.value)
    assert "backup" in message and says in message
    names_the_file_for_the_operator_alone(error.value, path)
    assert len(message) < 400


def test_a_review_nested_too_deep_to_write_is_a_corrupt_store(seeds: dict[str, Path]) -> None:
    document = json.loads(seeds["json"].read_text(encoding="utf-8"))
    with copy_of(seeds["json"]) as path:
        for depth in (400, 700, 950, 990):
            document["plans"]["maya"]["reviews"] = [{"deep": MARK}]
            path.write_text(dump(document, "[" * depth + "]" * depth), encoding="utf-8")
            exercise(open_json, path)


def test_a_plan_from_a_newer_schema_in_json_names_the_file(seeds: dict[str, Path]) -> None:
    document = json.loads(seeds["json"].read_text(encoding="utf-8"))
    document["plans"]["maya"]["log"]["schema"] = netplan.SCHEMA_VERSION + 1
    with copy_of(seeds["json"]) as path:
        path.write_text(json.dumps(document), encoding="utf-8")
        with open_json(path) as store, pytest.raises(SchemaError, match="upgrade") as error:
            store.load_log("maya")
    names_the_file_for_the_operator_alone(error.value, path)


# -- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_the_command_line_names_a_hostile_store_not_a_bug(
    seeds: dict[str, Path], kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with copy_of(seeds[kind]) as path:
        if kind == "sqlite":
            put(path, "meta", "value", 1, "0")
        else:
            path.write_text('{"netplan_store": 1, "plans": {"maya": ' + DEEP + "}}")
        status = main(["--store", f"{kind}://{path}", "goal", "list"])
    err = capsys.readouterr().err
    assert status != 0
    assert "bug" not in err and path.name in err and "backup" in err


# -- permissions ------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_a_sqlite_store_and_its_side_files_are_owner_only(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "plans.db"
    with SqliteStore.open(parse_url(f"sqlite://{path}"), create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
        side = sorted(tmp_path.iterdir())
        assert {p.name for p in side} >= {"plans.db", "plans.db-wal", "plans.db-shm"}
        assert {p.name: mode(p) for p in side} == {p.name: 0o600 for p in side}


def test_a_sqlite_store_created_through_a_dangling_link_is_owner_only(
    tmp_path: Path, umask: int
) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "plans.db"
    link = tmp_path / "plans.db"
    link.symlink_to(target)
    with SqliteStore.open(parse_url(f"sqlite://{link}"), create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
        assert store.path == target
        files = sorted((tmp_path / "data").iterdir())
        assert {p.name for p in files} >= {"plans.db", "plans.db-wal", "plans.db-shm"}
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert link.is_symlink()  # the link stays, and leads to the store
    with SqliteStore.open(parse_url(f"sqlite://{link}"), create=False) as store:
        assert store.plans() == ("maya",)


def test_a_json_store_created_through_a_dangling_link_is_owner_only(
    tmp_path: Path, umask: int
) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "plan.json"
    link = tmp_path / "plan.json"
    link.symlink_to(target)
    with JsonStore.open(parse_url(f"json://{link}"), create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    assert link.is_symlink() and mode(target) == 0o600
    assert {p.name: mode(p) for p in (tmp_path / "data").iterdir()} == {
        "plan.json": 0o600,
        "plan.json.lock": 0o600,
    }


def test_a_json_stores_temporary_and_lock_files_are_owner_only(
    tmp_path: Path, umask: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.json"
    seen: dict[str, int] = {}
    replace = os.replace

    def watch(source: Any, destination: Any) -> None:
        # The temporary file, written and synced, as it is about to become the store;
        # the lock is held meanwhile.
        seen["temporary"] = mode(Path(source))
        seen["lock"] = mode(path.with_name("plan.json.lock"))
        replace(source, destination)

    monkeypatch.setattr(os, "replace", watch)
    with JsonStore.open(parse_url(f"json://{path}"), create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    assert seen == {"temporary": 0o600, "lock": 0o600}
    assert mode(path) == 0o600


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_a_link_that_leads_back_to_itself_is_no_store(tmp_path: Path, kind: str) -> None:
    loop = tmp_path / "plans"
    loop.symlink_to(loop)
    opener = SqliteStore.open if kind == "sqlite" else JsonStore.open
    with pytest.raises(netplan.StoreNotFoundError, match="leads back to itself"):
        opener(parse_url(f"{kind}://{loop}"), create=True)


def test_a_lock_file_that_is_a_link_is_refused_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    elsewhere = tmp_path / "elsewhere"
    with JsonStore.open(parse_url(f"json://{path}"), create=True) as store:
        lock = tmp_path / "plan.json.lock"
        lock.unlink()
        lock.symlink_to(elsewhere)
        with pytest.raises(StoreError, match="lock file .* is a symbolic link"):
            store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    assert not elsewhere.exists()


def test_private_file_refuses_a_dangling_link(tmp_path: Path) -> None:
    link = tmp_path / "plans.db"
    link.symlink_to(tmp_path / "nowhere.db")
    with pytest.raises(StoreError, match="does not create files through a link"):
        _files.private_file(link)
    assert not (tmp_path / "nowhere.db").exists()


def test_parse_json_says_what_is_wrong_in_words() -> None:
    assert _files.parse_json('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    for text, says in [
        (HUGE, "4300 digits"),
        (DEEP, "nests"),
        ("NaN", "NaN"),
        ("-Infinity", "-Infinity"),
        ("[1e400]", "1e400"),
        (b"\xff", "UTF-8"),
        ("{", "Expecting"),
    ]:
        with pytest.raises(ValueError, match=says):
            _files.parse_json(text)
    with pytest.raises(ValueError, match="int where JSON text belongs"):
        _files.parse_json(5)  # type: ignore[arg-type]


def test_random_bytes_are_never_a_store(tmp_path: Path) -> None:
    generator = random.Random(14)
    for n in range(30):
        raw = generator.randbytes(generator.randrange(0, 4096))
        if n % 3 == 0:
            raw = b"SQLite format 3\x00" + raw
        for opener, name in ((open_sqlite, f"{n}.db"), (open_json, f"{n}.json")):
            (tmp_path / name).write_bytes(raw)
            exercise(opener, tmp_path / name)


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_a_store_others_could_read_is_made_owner_only_when_opened(
    tmp_path: Path, kind: str
) -> None:
    # A store an older netplan made with the umask's mode, or a copy: its side files too.
    path = tmp_path / f"plans.{kind}"
    opener = SqliteStore.open if kind == "sqlite" else JsonStore.open
    with opener(parse_url(f"{kind}://{path}"), create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    files = [p for p in tmp_path.iterdir() if not p.name.endswith(".lock")]
    for file in files:
        file.chmod(0o644)
    with opener(parse_url(f"{kind}://{path}"), create=False) as store:
        assert store.plans() == ("maya",)
    assert {p.name: mode(p) for p in files if p.exists()} == {
        p.name: 0o600 for p in files if p.exists()
    }


@pytest.mark.parametrize("kind", ["sqlite", "json", "memory"])
def test_text_python_holds_and_utf8_cannot_encode_round_trips_in_every_store(
    tmp_path: Path, kind: str
) -> None:
    # A lone surrogate: from a JSON file's "\udc80", or text decoded with surrogateescape.
    odd = "Ana \udc80\ud800 Berg"
    url = "memory://" if kind == "memory" else f"{kind}://{tmp_path / 'plans'}"
    store = netplan.open(url, create=True)
    plan = store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    lena = netplan.Contact(odd, notes=odd)
    met = netplan.Interaction(
        "met", dt.datetime(2026, 11, 3, tzinfo=UTC), contact=lena.id, notes=odd
    )
    store.add(plan.id, lena, met)
    twin = netplan.Contact("Lena", notes=odd)
    store.add(plan.id, twin)
    store.update(plan.id, netplan.Contact(odd, notes=odd + "!", id=lena.id))
    assert store.save_review(plan.id, {"note": odd}) == 1
    if isinstance(store, netplan.CorrectableStore):
        log = store.load_log(plan.id)
        store.change(plan.id, log.merge_contacts(twin.id, into=lena.id))
    if kind != "memory":
        store.close()
        store = netplan.open(url)
    log = store.load_log(plan.id)
    assert [c.notes for c in log.contacts if c.id == lena.id] == [odd + "!"]
    assert [i.notes for i in log.interactions()] == [odd]
    assert store.reviews(plan.id) == ({"note": odd},)
    if isinstance(store, AppendingStore):
        assert [c.id for c in store.find_contacts(plan.id, odd.upper())] == [lena.id]
    store.close()


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-14))),
        dt.datetime(9999, 6, 1, tzinfo=UTC),
    ],
)
def test_an_instant_whose_day_some_zone_lacks_is_refused_where_it_enters(
    at: dt.datetime,
) -> None:
    with pytest.raises(netplan.ValidationError, match="years 2 to 9998"):
        netplan.Interaction("met", at, contact="ana")


@pytest.mark.parametrize(
    ("kind", "field", "value", "says"),
    [
        ("events", "on", 5, r"events\[0\]\.on"),
        ("events", "starts_at", "2026-11-03T19:00:00", r"events\[0\]\.starts_at.*UTC offset"),
        ("events", "attended", "yes", r"events\[0\]\.attended.*true or false"),
        ("events", "name", None, r"events\[0\]\.name"),
        ("organizations", "name", ["x"], r"organizations\[0\]\.name.*text"),
        ("organizations", "memberships", "member", r"organizations\[0\]\.memberships"),
    ],
)
def test_a_stored_log_s_events_and_organizations_of_the_wrong_types_are_refused(
    kind: str, field: str, value: Any, says: str
) -> None:
    # A store's own log is rebuilt without its records' validators (they were checked
    # when written): what is not of the right JSON type still goes the checked way,
    # which names it.
    from netplan.stores.serialize import log_from_data

    log = netplan.ActivityLog()
    log.add(netplan.Organization("Sunrise Power"))
    log.add(netplan.Event("Night", dt.date(2026, 11, 3)))
    data = to_data(log)
    assert log_from_data(data, defer_contacts=True) == log
    data["data"][kind][0][field] = value
    with pytest.raises(netplan.ValidationError, match=says):
        log_from_data(data, defer_contacts=True)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("id", "ana", r"contacts\[1\]\.id.*unique contact id"),
        ("id", 7, r"contacts\[1\]\.id.*unique contact id"),
        ("id", ["bo"], r"contacts\[1\]\.id.*unique contact id"),
        ("organization", "nowhere", r"contacts\[1\]\.organization.*known organization"),
        ("introduced_by", "nobody", r"contacts\[1\]\.introduced_by.*known introduced_by"),
        (None, "not an object", r"contacts\[1\]\.id"),
    ],
)
def test_a_stored_log_s_contacts_that_break_its_rules_are_refused_by_place(
    field: str | None, value: Any, says: str
) -> None:
    # Checked over the whole field at once when the log is read with its contacts
    # deferred; a contact that breaks a rule is named by its place all the same.
    from netplan.stores.serialize import log_from_data

    log = netplan.ActivityLog()
    log.add(netplan.Organization("Sunrise Power"))
    log.add(netplan.Contact("Ana", id="ana", organization="sunrise-power"))
    log.add(netplan.Contact("Bo", id="bo", introduced_by="ana"))
    data = to_data(log)
    assert log_from_data(data, defer_contacts=True) == log
    contacts = data["data"]["contacts"]
    if field is None:
        contacts[1] = value
    else:
        contacts[1][field] = value
    with pytest.raises(netplan.ValidationError, match=says):
        log_from_data(data, defer_contacts=True)
