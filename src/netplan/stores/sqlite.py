"""``sqlite:///path/plans.db``: the embedded default store, on the standard library's sqlite3.

Layout (schema version 5): ``meta`` holds the schema version; ``plans`` the head revision of
each plan, its owner and its log's version (since version 3); ``revisions`` every revision
as netplan JSON data; ``contacts``, ``organizations`` and ``events`` one JSON record each,
in the log's order (by rowid), contacts with their name key and search text (since
version 4); ``interactions`` one row each, in columns (instant in microseconds UTC,
contact id, kind, channel, direction, event id, notes), in the log's order (by ``row``),
so that appending one is one INSERT and never rewrites the plan or the log; ``reviews``
the review history as JSON; ``changes`` (since version 2) the history of the log's
corrections, one :class:`~netplan.core.log.LogChange` each as JSON; ``interaction_packs``
(since version 5) a large log's interactions up to a row as one row of packed columns,
which a read takes with the rows appended after it, dropped by the database itself
whenever one of its rows changes.

A correction (``change``, ``undo``) runs in one transaction: it reads the log, checks the
change against it (:meth:`~netplan.ActivityLog.apply`), and writes only what changes:
rows deleted or updated in place; records or interactions put back in their places (an
undo of a removal) rewrite the rows after the first of them, so that the rowid order
stays the log's order.

Every write runs in one ``BEGIN IMMEDIATE`` transaction (all or nothing; writers from
several processes queue instead of failing), reads run in one transaction each (a
consistent snapshot), the journal is a WAL, and SQL is always parameterised. New database
files are created owner-only (0600) by netplan itself before SQLite opens them (SQLite
would give them the mode the umask allows). A path that is a symbolic link is resolved
first, so a store created through a link is its target, created 0600 like any other.
SQLite gives its WAL and shared-memory files the database file's permissions.

A damaged or hostile file gives :class:`~netplan.core.errors.CorruptStoreError` naming the
file, what is wrong and how to recover, whatever it holds: every value read back (the
schema version, numbers, ids, JSON texts) is checked before it is used, and the schema
is not trusted (``PRAGMA trusted_schema = OFF``; ``cell_size_check`` finds a damaged page
before SQLite reads past it).
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import json
import operator
import sqlite3
import sys
import threading
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs

from netplan.core.batch import Batch, NewContacts, check_batch
from netplan.core.errors import (
    MISSING,
    CorruptStoreError,
    ReadOnlyStoreError,
    StoreError,
    StoreNotFoundError,
    ValidationError,
    store_error,
)
from netplan.core.instants import EARLIEST_MICROS, LATEST_MICROS
from netplan.core.log import (
    ActivityLog,
    Columns,
    LogChange,
    Record,
    check_records,
    interaction_row,
    paused_gc,
)
from netplan.core.network import Contact, Event, Interaction, Organization
from netplan.core.plan import Plan
from netplan.storage import (
    Capability,
    StoreURL,
    check_page,
    conflict,
)
from netplan.stores._files import (
    DAMAGE,
    SURROGATE,
    owner_only,
    private_file,
    resolved,
)
from netplan.stores._sql import (
    _VERSIONED,
    INSERT_RECORD,
    RECORD_COLUMNS,
    TABLE_OF_KIND,
    TABLE_OF_TYPE,
    KeptLogs,
    SqlStore,
    contact_rows,
    encode,
    record_row,
    record_rows,
    shown,
    stored_keys,
)
from netplan.stores.serialize import (
    SchemaError,
)

__all__ = ["SCHEMA_VERSION", "SqliteStore"]

T = TypeVar("T")

SCHEMA_VERSION = 5
"""Version of the database layout this netplan writes."""

SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE plans (id TEXT PRIMARY KEY, head INTEGER NOT NULL);
CREATE TABLE revisions (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (plan_id, revision)
);
CREATE TABLE organizations (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (plan_id, id)
);
CREATE TABLE contacts (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (plan_id, id)
);
CREATE TABLE events (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (plan_id, id)
);
CREATE TABLE interactions (
    row INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    contact TEXT,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    event TEXT,
    notes TEXT NOT NULL
);
CREATE INDEX interactions_by_plan ON interactions (plan_id, row);
CREATE TABLE reviews (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (plan_id, number)
)
"""

SCHEMA_V2_CHANGES = """
CREATE TABLE changes (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (plan_id, number)
)
"""
"""Schema 2 adds the history of each log's corrections."""


def _add_changes(db: sqlite3.Connection) -> None:
    db.execute(SCHEMA_V2_CHANGES)


SCHEMA_V3_PLANS = (
    "ALTER TABLE plans ADD COLUMN log_version INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE plans ADD COLUMN owner TEXT",
    "CREATE INDEX plans_by_owner ON plans (owner, id)",
)
"""Schema 3 keeps each log's version (so an import checks it writes on the log it read)
and each plan's owner (so a host lists one person's plans without reading them all).
Plans from before have no owner: the field did not exist."""


def _add_versions_and_owners(db: sqlite3.Connection) -> None:
    for statement in SCHEMA_V3_PLANS:
        db.execute(statement)


SCHEMA_V4_ORDERS = (
    "ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE contacts ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX contacts_by_name ON contacts (plan_id, name_key, id)",
    *(f"CREATE INDEX {table}_in_order ON {table} (plan_id)" for table in RECORD_COLUMNS),
)
"""Schema 4 keeps each contact's :func:`~netplan.core.network.name_key` in an index (a
person finds a contact, and lists a page of contacts by name, without reading the
others) and its search text (the JSON of the fields segments and cadences pick contacts
by: :func:`~netplan.stores.serialize.contact_search_texts`), and indexes each table of
records by plan: an index on ``plan_id`` alone holds
a plan's rows in ``rowid`` order, the log's, so loading a log reads them in order
without sorting."""


def _add_name_keys(db: sqlite3.Connection) -> None:
    for statement in SCHEMA_V4_ORDERS:
        db.execute(statement)
    stored = db.execute("SELECT rowid, data FROM contacts").fetchall()
    db.executemany(
        "UPDATE contacts SET name_key = ?, search_text = ? WHERE rowid = ?",
        [(*stored_keys(text), row) for row, text in stored],
    )


SCHEMA_V5_PACKS = (
    """CREATE TABLE interaction_packs (
    plan_id TEXT PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
    through INTEGER NOT NULL,
    count INTEGER NOT NULL,
    at BLOB NOT NULL,
    contact TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    event TEXT NOT NULL,
    notes TEXT NOT NULL
)""",
    """CREATE TRIGGER interaction_packs_dropped_on_update AFTER UPDATE ON interactions
BEGIN DELETE FROM interaction_packs WHERE plan_id IN (OLD.plan_id, NEW.plan_id); END""",
    """CREATE TRIGGER interaction_packs_dropped_on_delete AFTER DELETE ON interactions
BEGIN DELETE FROM interaction_packs WHERE plan_id = OLD.plan_id; END""",
)
"""Schema 5 keeps a plan's interactions, up to a row, as one row of packed columns (the
instants as one blob of 64-bit integers, the rest as texts), written when a large log is
read from its rows: reading a log then reads that row and the rows appended after it
(:meth:`SqliteStore._packed`). Any change to an interaction row, made by netplan or by
hand, drops its plan's pack in the same statement (the triggers), so a pack holds its
rows exactly as they are."""


def _add_packs(db: sqlite3.Connection) -> None:
    for statement in SCHEMA_V5_PACKS:
        db.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _add_changes,
    2: _add_versions_and_owners,
    3: _add_name_keys,
    4: _add_packs,
}
"""``MIGRATIONS[n]`` upgrades a database from schema ``n`` to ``n + 1`` inside the
caller's transaction; each is tested on a fixture written by the older schema. A new
store is made with schema 1, then upgraded by the same migrations, so a new store and an
upgraded one are alike."""

_BUSY_TIMEOUT_S = 30.0
_RESTORE = "restore the file from a backup"
_NAME = "the SQLite store"
"""How messages name the store: its path is in their ``detail`` alone."""
_FILE = "the SQLite store's file"
_DAMAGED = (
    "not a database",
    "malformed",
    "corrupt",
    "no such table",
    "no such column",
    "could not decode",
    "foreign key mismatch",
    "datatype mismatch",
)
"""Words of SQLite's errors about a file that is damaged, or not shaped as netplan's."""
_INVALID: tuple[type[Exception], ...] = (ValidationError, *DAMAGE)
"""What building values from a damaged file's data raises."""
_BELOW = (sqlite3.Error, UnicodeDecodeError)
"""What sqlite3 raises: its errors, and a UnicodeDecodeError for a message of its own
that quotes a damaged file's bytes."""
"""The instants an interaction can have, as the microseconds from 1970 a row keeps."""
_NEWEST_PLAUSIBLE = 9999
"""A schema version above this is damage, not a store from a newer netplan."""


def _stored(interaction: Interaction) -> tuple[Any, ...]:
    """:func:`interaction_row` as SQLite keeps it: notes holding a lone surrogate (which
    the log keeps, and SQLite's text cannot) kept as their bytes, read back by
    :func:`_note`."""
    row = interaction_row(interaction)
    notes = _kept_note(row[6])
    return row if notes is row[6] else (*row[:6], notes)


def _kept_note(notes: str) -> str | bytes:
    """Notes as SQLite keeps them (see :func:`_stored`)."""
    if notes.isascii() or SURROGATE.search(notes) is None:
        return notes
    return notes.encode("utf-8", "surrogatepass")


_BULK = 10_000
"""Rows in a batch beyond which it is written with a larger page cache."""
_BULK_CACHE = -65_536
"""The page cache of a bulk write, in KiB (SQLite's convention for a negative size): an
import of 100,000 people updates three indexes of the contacts in name and id order,
pages all over each; with SQLite's default 2 MB cache they are written out and read back
(10% of the import). The connection goes back to the default after the write."""

_FEW = 500
"""Ids looked up one query at a time (SQLite takes at most 32,766 parameters a query);
more are found among all the plan's."""


def _note(value: Any) -> Any:
    """The notes :func:`_stored` kept."""
    if type(value) is bytes:
        try:
            return value.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return value  # the log names the row
    return value


_COLUMNS_QUERY = (
    "SELECT count(*), group_concat(row), group_concat(at), group_concat(ifnull(contact, '')), "
    "group_concat(kind), group_concat(channel), group_concat(direction), "
    "group_concat(ifnull(event, '')), sum(notes != ''), min(at), max(at), {notes} "
    "FROM interactions WHERE {plan} = ?"
)
"""A plan's interactions as one row of columns (see ``SqliteStore._interaction_columns``),
with ``{notes}`` their notes' JSON array or NULL, and ``{plan}`` the plan's column as
:meth:`SqliteStore._plan_column` gives it."""


class SqliteStore(SqlStore):
    """Plans, logs and reviews in one SQLite database file."""

    NAME = _NAME
    RESTORE = _RESTORE
    ORDER = "rowid"
    FIELD_OF = "json_extract(data, '$.data.{name}')"
    TEXT_HAS = "instr(data, ?) > 0"
    TAIL = "LIMIT -1 OFFSET ?"
    BY_NAME = "name_key, id"
    NO_LIMIT = -1
    PACK_ROWS = 10_000
    """A log of at least this many interactions read from its rows is packed for the
    next read (:data:`SCHEMA_V5_PACKS`), and packed again once more than this many, or
    an eighth of the pack, were appended after its rows."""

    capabilities = frozenset(
        {
            Capability.PERSISTENT,
            Capability.FILE,
            Capability.CONCURRENT_PROCESSES,
            Capability.CHANGES,
        }
    )

    def __init__(self, path: Path, url: str, connection: sqlite3.Connection) -> None:
        self.path = path
        self.url = url
        # A connection per thread (SQLite's transactions belong to a connection, so
        # threads sharing one would run into each other's), each closed by close().
        self._local = threading.local()
        self._local.db = connection
        self._connections: dict[int, sqlite3.Connection] = {threading.get_ident(): connection}
        self._guard = threading.Lock()
        self._writers = threading.Lock()
        self._closed = False
        self._kept = KeptLogs()

    @property
    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened on its first call."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None and not self._closed:
            return db
        self._check_open()
        db = _connect(self.path)
        try:
            _set_up(db, self.path)
        except BaseException:
            db.close()
            raise
        with self._guard:
            try:
                self._check_open()  # closed by another thread meanwhile
            except ValidationError:
                db.close()
                raise
            # The connections of threads that ended are closed here, not kept open.
            alive = {thread.ident for thread in threading.enumerate()}
            for ident in [ident for ident in self._connections if ident not in alive]:
                self._connections.pop(ident).close()
            self._connections[threading.get_ident()] = db
        self._local.db = db
        return db

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, url: StoreURL, *, create: bool) -> SqliteStore:
        """Open the database at ``url.location``; with ``create``, make it if missing."""
        if not url.location:
            raise store_error(
                StoreNotFoundError,
                "the SQLite store's URL",
                url.text,
                "{store}: give a path, e.g. sqlite:///home/me/plans.db",
            )
        path = resolved(Path(url.location).expanduser())
        if path.is_dir():
            raise store_error(
                StoreNotFoundError,
                "the SQLite store's path",
                path,
                "{store} is a folder, not a store: give a file's path",
            )
        if not path.exists():
            if not create:
                raise store_error(
                    StoreNotFoundError,
                    "the path given",
                    path,
                    "no store at {store}: check the path, or pass create=True to make a new one",
                )
            _create_private_file(path)
        for own in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
            owner_only(own)
        connection = _connect(path)
        store = cls(path, url.text, connection)
        try:
            store._prepare()
        except BaseException:
            connection.close()
            raise
        return store

    def _check_open(self) -> None:
        if self._closed:
            raise ValidationError("store", MISSING, "the store is closed; open it again")

    def _prepare(self) -> None:
        _set_up(self._db, self.path)
        # Most opens find a current schema: check it in a read transaction, so opening
        # neither waits for writers nor commits anything. Creating or upgrading takes
        # the write lock and checks again, since another process may have done it first.
        with self._read():
            if self._schema_version() == SCHEMA_VERSION:
                return
        with self._write():
            version = self._schema_version()
            if version is None:
                for statement in SCHEMA_V1.split(";"):
                    self._db.execute(statement)
                self._db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
                version = 1
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](self._db)
                version += 1
            self._db.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )

    def _schema_version(self) -> int | None:
        """The store's schema version; None for an empty database; refuses a newer one."""
        tables = {
            row[0]
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return None
        row = (
            self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if "meta" in tables
            else None
        )
        if row is None:
            raise store_error(
                CorruptStoreError,
                _FILE,
                self.path,
                "{store} is an SQLite database but not a netplan store (no schema version): "
                "open the right file, or move this one away and create a new store",
            )
        value = row[0]
        if isinstance(value, str) and 0 < len(value) <= 4 and value.isascii() and value.isdigit():
            value = int(value)
        if type(value) is not int or not 1 <= value <= _NEWEST_PLAUSIBLE:
            raise store_error(
                CorruptStoreError,
                _FILE,
                self.path,
                "{store} is not a readable netplan store: its schema version is "
                f"{shown(row[0])}, not one any netplan writes; {_RESTORE}, or move it away "
                "and open again with create=True",
            )
        version = value
        if version > SCHEMA_VERSION:
            raise store_error(
                SchemaError,
                _NAME,
                self.path,
                f"{{store}} was written by a newer netplan (store schema {version}; this one "
                f"reads up to {SCHEMA_VERSION}): upgrade netplan (pip install -U networking-action-plan)",
            )
        return version

    # -- transactions --------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: committed if the block ends, rolled back if it raises.

        The threads of this process take turns at a lock first: queued on SQLite's own
        write lock, they would poll it in growing sleeps and wait far longer than the
        writes ahead of them (a log call's p99 with 8 threads, in
        ``benchmarks/bench_host.py``: about 0.8 s that way, 0.2 s this way). Other
        processes still queue on SQLite's lock."""
        if not self._writers.acquire(timeout=_BUSY_TIMEOUT_S):
            raise store_error(
                StoreError,
                _NAME,
                self.path,
                f"{{store}} is busy: its other writers held it for more than "
                f"{_BUSY_TIMEOUT_S:.0f} s; try again",
            )
        try:
            yield from self._transaction("BEGIN IMMEDIATE")
        finally:
            self._writers.release()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so every query inside sees the same snapshot."""
        yield from self._transaction("BEGIN")

    @property
    def _place(self) -> Path:
        return self.path

    def _read_one(self, statement: str, values: Sequence[Any]) -> Any:
        db = self._db  # this thread's (raises when the store is closed)
        try:
            return db.execute(statement, values).fetchone()
        except _BELOW as error:
            raise _translate(error, self.path) from error

    @contextlib.contextmanager
    def _plan_write(self, plan_id: str) -> Iterator[sqlite3.Connection]:
        with self._write() as db:
            self._require(db, plan_id)
            yield db

    @contextlib.contextmanager
    def _log_append(
        self, plan_id: str, expected: int | None = None
    ) -> Iterator[tuple[sqlite3.Connection, int]]:
        with self._write() as db:
            yield db, self._next_log_version(db, plan_id, expected)

    def _log_in(self, db: sqlite3.Connection, plan_id: str) -> ActivityLog:
        records, contacts, columns, _ = self._fetch_log(db, plan_id)
        return self._build_log(plan_id, records, contacts, columns)

    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        db = self._db  # this thread's (raises when the store is closed)
        try:
            db.execute(begin)
        except _BELOW as error:
            raise _translate(error, self.path) from error
        try:
            yield db
        except BaseException as error:
            with contextlib.suppress(*_BELOW):
                db.execute("ROLLBACK")
            if isinstance(error, _BELOW):
                raise _translate(error, self.path) from error
            raise
        try:
            db.execute("COMMIT")
        except _BELOW as error:
            with contextlib.suppress(*_BELOW):
                db.execute("ROLLBACK")
            raise _translate(error, self.path) from error

    # -- plans ---------------------------------------------------------------------
    def plans(
        self, *, owner: str | None = None, limit: int | None = None, after: str | None = None
    ) -> tuple[str, ...]:
        check_page(owner, limit, after)
        # Fixed clauses, values as parameters.
        where = [("owner = ?", owner), ("id > ?", after)]
        chosen = [(clause, value) for clause, value in where if value is not None]
        query = "SELECT id FROM plans"
        if chosen:
            query += " WHERE " + " AND ".join(clause for clause, _ in chosen)
        query += " ORDER BY id" + (" LIMIT ?" if limit is not None else "")
        values = [value for _, value in chosen] + ([limit] if limit is not None else [])
        with self._read() as db:
            ids = tuple(row[0] for row in db.execute(query, values))
        for key in ids:
            if type(key) is not str:
                raise self._damaged("the list of plans", f"a plan id is {shown(key)}")
        return ids

    def save(self, plan: Plan) -> Plan:
        if not isinstance(plan, Plan):
            raise ValidationError("save.plan", plan, "must be a Plan")
        with self._write() as db:
            row = db.execute("SELECT head FROM plans WHERE id = ?", (plan.id,)).fetchone()
            head = 0 if row is None else self._number(row[0], f"plan {plan.id!r}'s revision")
            if plan.revision != head:
                raise conflict(plan.id, head, plan.revision, self.url)
            saved = attrs.evolve(plan, revision=head + 1)
            if row is None:
                db.execute(
                    "INSERT INTO plans (id, head, owner, log_version) VALUES (?, ?, ?, ?)",
                    (plan.id, 1, plan.owner, self._first_log_version(db, plan.id)),
                )
            else:
                db.execute(
                    "UPDATE plans SET head = ?, owner = ? WHERE id = ?",
                    (head + 1, plan.owner, plan.id),
                )
            db.execute(
                "INSERT INTO revisions (plan_id, revision, data) VALUES (?, ?, ?)",
                (plan.id, head + 1, encode(saved)),
            )
        return saved

    def delete(self, plan_id: str) -> None:
        with self._plan_write(plan_id) as db:
            self._remember_deleted(db, plan_id)
            db.execute("DELETE FROM plans WHERE id = ?", (plan_id,))
        self._kept.forget(plan_id)

    # -- the activity log ----------------------------------------------------------
    def add(
        self,
        plan_id: str,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        replaced = tuple(replace)
        with self._log_append(plan_id) as (db, before):
            check_records(records, self._known(db, plan_id))
            for record in records:
                if isinstance(record, Interaction):
                    db.execute(
                        "INSERT INTO interactions (plan_id, at, contact, kind, channel, "
                        "direction, event, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (plan_id, *_stored(record)),
                    )
                else:
                    db.execute(
                        INSERT_RECORD[TABLE_OF_TYPE[type(record)]], record_row(plan_id, record)
                    )
            # In the same transaction: a replacement may name a record just added, and a
            # failure rolls the additions back too.
            for record in replaced:
                self._replace(db, plan_id, record)
        self._kept.appended(plan_id, before, records, replaced)

    def add_batch(
        self,
        plan_id: str,
        batch: Batch,
        *,
        replace: Iterable[Contact | Organization | Event] = (),
        expected_version: int | None = None,
    ) -> None:
        """:meth:`add` for a :class:`~netplan.core.batch.Batch`, column by column: one
        ``executemany`` per table, the contacts' JSON made from their columns, no object
        per row; checked whole (by sets) before anything is written, and against the
        log's version (``expected_version``) in the same transaction."""
        replaced = tuple(replace)
        bulk = len(batch.contacts) + len(batch.interactions[0]) > _BULK
        with (
            paused_gc(),
            self._page_cache(bulk),
            self._log_append(plan_id, expected_version) as (db, before),
        ):
            check_batch(batch, self._existing(db, plan_id))
            for table in ("organizations", "events"):
                db.executemany(INSERT_RECORD[table], record_rows(plan_id, batch.records, table))
            if batch.contacts:
                db.executemany(INSERT_RECORD["contacts"], contact_rows(plan_id, batch.contacts))
            at, who, kind, channel, direction, event, notes = batch.interactions
            if at:
                who = list(who)  # read once (an import's may be made when read)
                db.executemany(
                    "INSERT INTO interactions (plan_id, at, contact, kind, channel, "
                    "direction, event, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    zip(
                        itertools.repeat(plan_id), at, who, kind, channel, direction, event,
                        map(_kept_note, notes),
                        strict=False,
                    ),
                )  # fmt: skip
            for kept in replaced:
                self._replace(db, plan_id, kept)
        self._kept.appended(plan_id, before, batch, replaced)

    @contextlib.contextmanager
    def _page_cache(self, bulk: bool) -> Iterator[None]:
        """With ``bulk``, this thread's connection writes with :data:`_BULK_CACHE`, and
        gives it back after the commit."""
        if not bulk:
            yield
            return
        db = self._db
        (kept,) = db.execute("PRAGMA cache_size").fetchone()
        db.execute(f"PRAGMA cache_size = {_BULK_CACHE}")
        try:
            yield
        finally:
            with contextlib.suppress(*_BELOW):
                db.execute(f"PRAGMA cache_size = {int(kept)}")

    @staticmethod
    def _existing(
        db: sqlite3.Connection, plan_id: str
    ) -> Callable[[str, Collection[str]], Collection[str]]:
        def existing(kind: str, keys: Collection[str]) -> Collection[str]:
            table = TABLE_OF_KIND[kind]
            if len(keys) <= _FEW:
                marks = ", ".join("?" * len(keys))
                query = f"SELECT id FROM {table} WHERE plan_id = ? AND id IN ({marks})"
                return [key for (key,) in db.execute(query, (plan_id, *keys))]
            query = f"SELECT id FROM {table} WHERE plan_id = ?"
            return {key for (key,) in db.execute(query, (plan_id,))} & set(keys)

        return existing

    def load_log(self, plan_id: str) -> ActivityLog:
        # One pause for the reading and the building: re-enabling the collector in between
        # makes its next pass walk the million row tuples fetched, to untrack them.
        # The fetched rows go when _load_log returns, while the collector still sleeps:
        # by reference count alone.
        with paused_gc():
            return self._load_log(plan_id)

    def _load_log(self, plan_id: str) -> ActivityLog:
        if self._kept.holds(plan_id):
            # The version alone first, in one statement (no transaction to begin and
            # end): a kept log at that version is the log.
            version = self._versioned(self._read_one(_VERSIONED, (plan_id,)), plan_id)
            kept = self._kept.get(plan_id, version)
            if kept is not None:
                return kept
        with self._read() as db:
            version = self._kept_version(db, plan_id)
            kept = self._kept.get(plan_id, version)
            if kept is not None:
                return kept
            records, contacts, columns, through = self._fetch_log(db, plan_id)
        log = self._build_log(plan_id, records, contacts, columns)
        if through is not None and version is not None:
            # Built, so its columns are valid: the next read reads them as one row.
            self._write_pack(plan_id, version, through, columns)
        return self._kept.read(plan_id, version, log)

    def _fetch_log(
        self, db: sqlite3.Connection, plan_id: str
    ) -> tuple[list[Organization | Event], NewContacts, Columns, int | None]:
        """What a log is built of, read in the transaction of ``db``, and the last
        interaction row read when the interactions are worth packing for the next read
        (many, read from their rows or mostly so), else None."""
        records: list[Organization | Event] = [
            *self._records(db, plan_id, "organizations", Organization),
            *self._records(db, plan_id, "events", Event),
        ]
        plan = self._plan_column(db)
        found = db.execute(
            f"SELECT id, data, search_text FROM contacts WHERE {plan} = ? ORDER BY rowid",
            (plan_id,),
        ).fetchall()
        contacts = self._stored_contacts(plan_id, found)
        packed = self._packed(db, plan_id)
        if packed is not None:
            held, through, appended = packed
            worth = appended > max(self.PACK_ROWS, len(held[0]) // 8)
            return records, contacts, held, through if worth else None
        columns = self._interaction_columns(db, plan_id, plan)
        if columns is not None:
            last = None
            if len(columns[0]) >= self.PACK_ROWS:
                (last,) = db.execute(
                    "SELECT max(row) FROM interactions WHERE plan_id = ?", (plan_id,)
                ).fetchone()
            return records, contacts, columns, last
        # Columns that cannot be read so (damage): the rows name what is wrong. Never packed.
        interactions = db.execute(
            "SELECT at, contact, kind, channel, direction, event, notes "
            "FROM interactions WHERE plan_id = ? ORDER BY row",
            (plan_id,),
        ).fetchall()
        interactions = [(*row[:6], _note(row[6])) for row in interactions]
        for number, (at, *_) in enumerate(interactions):
            # The log takes any 64-bit number; a datetime holds years 1 to 9999 only.
            if type(at) is int and not EARLIEST_MICROS <= at <= LATEST_MICROS:
                raise self._damaged(
                    f"interaction {number} of plan {plan_id!r}",
                    f"its instant, {at} µs from 1970, is not in the years 1 to 9999",
                )
        rows = cast(Columns, tuple(map(list, zip(*interactions, strict=True))) or ((),) * 7)
        return records, contacts, rows, None

    def _build_log(
        self,
        plan_id: str,
        records: list[Organization | Event],
        contacts: NewContacts,
        columns: Columns,
    ) -> ActivityLog:
        try:
            return ActivityLog.from_batch(Batch(records, contacts, columns), trusted=True)
        except _INVALID as error:
            raise self._damaged(f"the activity log of plan {plan_id!r}", error) from error

    # -- corrections -----------------------------------------------------------------
    @staticmethod
    def _write_interactions(
        db: sqlite3.Connection, plan_id: str, change: LogChange, end: int | None = None
    ) -> None:
        out = sorted(p.position for p in change.removed if isinstance(p.record, Interaction))
        into = sorted(
            ((p.position, p.record) for p in change.added if isinstance(p.record, Interaction)),
            key=operator.itemgetter(0),
        )
        if not out and not into:
            return
        if end is not None and not out:
            # Appended at the end (checked): new rows, numbered after every other.
            columns = "plan_id, at, contact, kind, channel, direction, event, notes"
            db.executemany(
                f"INSERT INTO interactions ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(plan_id, *_stored(interaction)) for _, interaction in into],
            )
            return
        ids = [
            row
            for (row,) in db.execute(
                "SELECT row FROM interactions WHERE plan_id = ? ORDER BY row", (plan_id,)
            )
        ]
        if out == [place for place, _ in into]:
            # Each row replaced in its place (a merge's re-attributed interactions).
            db.executemany(
                "UPDATE interactions SET at = ?, contact = ?, kind = ?, channel = ?, "
                "direction = ?, event = ?, notes = ? WHERE row = ?",
                [(*_stored(i), ids[place]) for place, i in into],
            )
            return
        if out:
            db.executemany("DELETE FROM interactions WHERE row = ?", [(ids[p],) for p in out])
            gone = set(out)
            ids = [row for place, row in enumerate(ids) if place not in gone]
        if not into:
            return
        # Rows are in the log's order by number: the rows from the first interaction put
        # back on are copied after it (in SQL, run by run), then the old ones deleted.
        first = into[0][0]
        tail = ids[first:]
        (top,) = db.execute("SELECT COALESCE(MAX(row), 0) FROM interactions").fetchone()
        columns = "plan_id, at, contact, kind, channel, direction, event, notes"
        copy = (
            f"INSERT INTO interactions ({columns}) SELECT {columns} FROM interactions "
            "WHERE plan_id = ? AND row BETWEEN ? AND ? ORDER BY row"
        )
        insert = f"INSERT INTO interactions ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        previous = 0
        for k, (place, interaction) in enumerate(into):
            cut = place - k - first  # rows of the tail before this one
            if cut > previous:
                db.execute(copy, (plan_id, tail[previous], tail[cut - 1]))
            db.execute(insert, (plan_id, *_stored(interaction)))
            previous = cut
        if previous < len(tail):
            db.execute(copy, (plan_id, tail[previous], tail[-1]))
        if tail:
            db.execute(
                "DELETE FROM interactions WHERE plan_id = ? AND row BETWEEN ? AND ?",
                (plan_id, tail[0], top),
            )

    @staticmethod
    def _packed(db: sqlite3.Connection, plan_id: str) -> tuple[Columns, int, int] | None:
        """The plan's interactions from its pack and the rows appended after the pack's
        last, with the last row read and how many were appended; None when the plan has
        no pack, or one that does not hold what it says (damage, rows added by hand
        among its own): the rows are then read, and name what is wrong."""
        try:
            found = db.execute(
                "SELECT through, count, at, contact, kind, channel, direction, event, notes "
                "FROM interaction_packs WHERE plan_id = ?",
                (plan_id,),
            ).fetchone()
        except sqlite3.DatabaseError:  # a damaged table of packs: the rows are the log
            return None
        if found is None:
            return None
        try:
            columns, through, count = _unpacked(found)
        except (ValueError, TypeError, OverflowError, AttributeError, RecursionError):
            return None
        # A changed or removed row drops the pack (the triggers); one added among its
        # rows, by hand, changes their count.
        (held,) = db.execute(
            "SELECT count(*) FROM interactions WHERE plan_id = ? AND row <= ?",
            (plan_id, through),
        ).fetchone()
        if held != count:
            return None
        appended = db.execute(
            "SELECT row, at, contact, kind, channel, direction, event, notes "
            "FROM interactions WHERE plan_id = ? AND row > ? ORDER BY row",
            (plan_id, through),
        ).fetchall()
        for _, at, *_ in appended:
            if type(at) is not int or not EARLIEST_MICROS <= at <= LATEST_MICROS:
                return None
        last = through
        if appended:
            last = appended[-1][0]
            added = list(zip(*appended, strict=True))
            columns[0].extend(added[1])  # type: ignore[attr-defined]
            for column, values in zip(columns[1:6], added[2:7], strict=True):
                column.extend(values)  # type: ignore[attr-defined]
            columns[6].extend(map(_note, added[7]))  # type: ignore[attr-defined]
        return columns, last, len(appended)

    def _write_pack(self, plan_id: str, version: int, through: int, columns: Columns) -> None:
        """Pack the log's interactions, read at ``version`` up to row ``through``, for the
        next read: if the log is still at that version, and nobody is writing (a pack is
        a saving, never worth a wait), and the store can be written."""
        packed = _packing(through, columns)
        if packed is None or not self._writers.acquire(blocking=False):
            return
        try:
            db = self._db
            db.execute("PRAGMA busy_timeout = 0")
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    found = db.execute(_VERSIONED, (plan_id,)).fetchone()
                    if found is not None and found[1] == version:
                        db.execute(
                            "INSERT OR REPLACE INTO interaction_packs (plan_id, through, "
                            "count, at, contact, kind, channel, direction, event, notes) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (plan_id, *packed),
                        )
                    db.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(*_BELOW):
                        db.execute("ROLLBACK")
                    raise
            finally:
                db.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
        except (*_BELOW, StoreError, ValidationError):
            pass  # busy, read-only, a full disk, closed meanwhile: the rows are read again
        finally:
            self._writers.release()

    @staticmethod
    def _plan_column(db: sqlite3.Connection) -> str:
        """How a query reading all of one plan's rows names their plan: ``+plan_id``
        when the store holds one plan (as a person's does), which has SQLite read the
        table from end to end, in order, rather than through the index by plan and then
        each row by its number (a tenth less to read 100,000 people); ``plan_id``, the
        index, among several."""
        (plans,) = db.execute("SELECT count(*) FROM plans").fetchone()
        return "+plan_id" if plans == 1 else "plan_id"

    @staticmethod
    def _interaction_columns(
        db: sqlite3.Connection, plan_id: str, plan: str = "plan_id"
    ) -> Columns | None:
        """The plan's interactions column by column, each read as one comma-joined text
        (ids, kinds and instants hold no comma) and the notes as one JSON array, all in
        one pass over the rows: a tuple per row costs more than the rest of the load.
        None when the columns cannot be read so (a text too long for SQLite, an id with
        a comma in a damaged file, rows out of order): the caller reads rows, which also
        names what is wrong."""
        found = None
        # JSON holds no BLOB (notes kept as bytes), and one text holds at most a GB: the
        # notes are then read apart.
        with contextlib.suppress(sqlite3.Error):
            query = _COLUMNS_QUERY.format(notes="json_group_array(notes)", plan=plan)
            found = db.execute(query, (plan_id,))
            found = found.fetchone()
        if found is None:
            try:
                query = _COLUMNS_QUERY.format(notes="NULL", plan=plan)
                found = db.execute(query, (plan_id,)).fetchone()
            except sqlite3.DataError:  # longer than SQLite's longest text
                return None
        count, rows, *texts, noted, earliest, latest, every_note = found
        if not count:
            return ((), (), (), (), (), (), ())
        try:
            row_ids = array("q", map(int, rows.split(",")))
            at = array("q", map(int, texts[0].split(",")))
            if not EARLIEST_MICROS <= earliest <= latest <= LATEST_MICROS:
                return None
            # The query leaves the order to SQLite (it reads the plan's rows through its
            # index, in order; sorting them first costs a third of the load): check it.
            # The aggregates of one pass see the rows in one order, the notes' too.
            if not all(map(operator.lt, row_ids, itertools.islice(row_ids, 1, None))):
                return None
            contact, kind, channel, direction, event = (t.split(",") for t in texts[1:])
        except (ValueError, AttributeError, OverflowError, TypeError):
            # A NULL or a number where text belongs (a damaged file): the rows say which.
            return None
        if any(len(c) != count for c in (row_ids, at, contact, kind, channel, direction, event)):
            return None
        notes = SqliteStore._notes(db, plan_id, row_ids, every_note, noted)
        return _read_ids(at, contact, kind, channel, direction, event, notes)

    @staticmethod
    def _notes(
        db: sqlite3.Connection, plan_id: str, row_ids: array[int], every: Any, noted: int
    ) -> list[Any]:
        """Every row's notes, in order: from ``every``, the JSON array SQLite made of them
        (parsed in C), or read row by row when notes were kept as bytes (which JSON cannot
        hold) or the array does not hold one text a row: only the ``noted`` rows that have
        notes."""
        count = len(row_ids)
        with contextlib.suppress(ValueError, TypeError):
            notes = json.loads(every)
            if type(notes) is list and len(notes) == count and set(map(type, notes)) <= {str}:
                return notes
        out: list[Any] = [""] * count
        if noted:
            for row, text in db.execute(
                "SELECT row, notes FROM interactions WHERE plan_id = ? AND notes != '' "
                "ORDER BY row",
                (plan_id,),
            ):
                place = bisect.bisect_left(row_ids, row)
                if place < count and row_ids[place] == row:
                    out[place] = _note(text)
        return out

    def _records(self, db: sqlite3.Connection, plan_id: str, table: str, cls: type[T]) -> list[T]:
        # One JSON array per table, parsed in one call: a json.loads per record costs
        # more than the parsing itself when there are 100,000 contacts.
        (count, text) = db.execute(
            f"SELECT count(*), '[' || COALESCE(group_concat(data, ','), '') || ']' FROM "
            f"(SELECT data FROM {table} WHERE plan_id = ? ORDER BY rowid)",
            (plan_id,),
        ).fetchone()
        what = f"the {table} of plan {plan_id!r}"
        items = self._parsed(text, what)
        if len(items) != count:
            # A text that is not one JSON value each (or a NULL) shifted the others.
            raise self._damaged(what, f"{count} rows hold {len(items)} values")
        return [self._decode(item, cls, f"{table}[{i}]") for i, item in enumerate(items)]

    # -- reviews -------------------------------------------------------------------
    # -- the rest ------------------------------------------------------------------
    def close(self) -> None:
        """Close every thread's connection; any call after this raises."""
        with self._guard:
            self._closed = True
            connections, self._connections = list(self._connections.values()), {}
        for connection in connections:
            connection.close()

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"


def _packing(through: int, columns: Columns) -> tuple[Any, ...] | None:
    """The values of a pack of ``columns`` read up to row ``through`` (after ``plan_id``,
    in :data:`SCHEMA_V5_PACKS`'s order); None when they cannot be packed (an id holding
    a comma, which a damaged store's may)."""
    at, contact, kind, channel, direction, event, notes = columns
    instants = array("q", at)
    if sys.byteorder == "big":
        instants.byteswap()  # a pack's instants are little-endian, wherever it was made
    texts = []
    for column in (contact, event):
        blank: dict[str | None, str] = {None: ""}
        ids = cast(list[str], list(map(blank.get, column, column)))
        joined = ",".join(ids)
        if joined.count(",") != len(ids) - 1:
            return None
        texts.append(joined)
    try:
        noted = json.dumps(list(notes))
    except (TypeError, ValueError):
        return None
    count = len(instants)
    return (
        through,
        count,
        instants.tobytes(),
        texts[0],
        ",".join(kind),
        ",".join(channel),
        ",".join(direction),
        texts[1],
        noted,
    )


def _unpacked(found: Sequence[Any]) -> tuple[Columns, int, int]:
    """The columns of a pack's row (see :func:`_packing`), its last row and its count.

    Raises:
        ValueError, TypeError: the row is not a pack netplan wrote (damage).
    """
    through, count, blob, contact, kind, channel, direction, event, notes = found
    if type(through) is not int or type(count) is not int or count < 1:
        raise ValueError("not a pack")
    if type(blob) is not bytes or len(blob) != 8 * count:
        raise ValueError("not a pack")
    at = array("q")
    at.frombytes(blob)
    if sys.byteorder == "big":
        at.byteswap()
    if not EARLIEST_MICROS <= min(at) <= max(at) <= LATEST_MICROS:
        raise ValueError("an instant outside the years 1 to 9999")
    split = [text.split(",") for text in (contact, kind, channel, direction, event)]
    kept = json.loads(notes)
    if any(len(column) != count for column in (*split, kept)):
        raise ValueError("columns of different lengths")
    if type(kept) is not list or not set(map(type, kept)) <= {str}:
        raise ValueError("notes that are not texts")
    who, kinds, channels, directions, where = split
    return _read_ids(at, who, kinds, channels, directions, where, kept), through, count


def _read_ids(
    at: array[int],
    contact: list[str],
    kind: list[str],
    channel: list[str],
    direction: list[str],
    event: list[str],
    notes: list[Any],
) -> Columns:
    """Columns read as texts, an empty id read as no contact (no event): None, by a dict
    lookup in C."""
    none = {"": None}.get
    ids = (list(map(none, contact, contact)), list(map(none, event, event)))
    return cast(Columns, (at, ids[0], kind, channel, direction, ids[1], notes))


def _connect(path: Path) -> sqlite3.Connection:
    try:
        # check_same_thread off: close() closes every thread's connection from its own.
        return sqlite3.connect(
            path, isolation_level=None, timeout=_BUSY_TIMEOUT_S, check_same_thread=False
        )
    except _BELOW as error:
        raise _translate(error, path) from error


def _set_up(db: sqlite3.Connection, path: Path) -> None:
    """What every connection of the store runs first."""
    try:
        # The file may come from anywhere: its schema may not call functions with side
        # effects (in views, triggers, defaults), and a damaged page is found before
        # SQLite reads past it.
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA cell_size_check = ON")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before the call returns, so nothing reported as saved
        # is lost, whatever happens to the process afterwards.
        db.execute("PRAGMA synchronous = FULL")
    except _BELOW as error:
        raise _translate(error, path) from error


def _create_private_file(path: Path) -> None:
    if not path.parent.is_dir():
        raise store_error(
            StoreNotFoundError,
            _NAME,
            path,
            "there is no folder for {store}: create the folder first",
            more=f"the folder {path.parent} does not exist",
        )
    # Another process may create it first: then it is theirs to initialise, or ours.
    private_file(path)


def _translate(error: sqlite3.Error | UnicodeDecodeError, path: Path) -> StoreError:
    """A netplan error for what sqlite3 raised: its words (which can quote the path) in
    the detail alone."""
    if isinstance(error, UnicodeDecodeError):
        # SQLite's own message quoted bytes of a damaged schema that are not UTF-8.
        return store_error(
            CorruptStoreError,
            _FILE,
            path,
            "{store} is not a readable netplan store (SQLite reports damage it cannot "
            "name): restore it from a backup, or move it away and open again with create=True",
        )
    text = str(error)
    said = f"SQLite: {text}"
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return store_error(
            ReadOnlyStoreError,
            _NAME,
            path,
            "cannot write {store}: check the permissions of the file and its folder, "
            "or open a writable copy",
            more=said,
        )
    if any(word in lowered for word in _DAMAGED):
        return store_error(
            CorruptStoreError,
            _FILE,
            path,
            "{store} is not a readable netplan store: restore it from a backup, or move it "
            "away and open again with create=True",
            more=said,
        )
    if "locked" in lowered or "busy" in lowered:
        return store_error(
            StoreError,
            _NAME,
            path,
            f"{{store}} is busy: another process held it for more than "
            f"{_BUSY_TIMEOUT_S:.0f} s; try again",
            more=said,
        )
    return store_error(StoreError, _NAME, path, "{store}: SQLite refused the call", more=said)
