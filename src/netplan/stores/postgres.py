"""``postgresql://user@host:port/database``: plans in a PostgreSQL server, for a host
application that serves many people from one database (the ``postgres`` extra: psycopg 3
and its connection pool).

Layout (schema version 1), in a PostgreSQL schema of its own (``netplan``, or the one
``?schema=`` names), so netplan's tables sit beside the host's without mixing: ``meta``
holds the layout's version; ``plans`` the head revision of each plan; ``revisions`` every
revision as netplan JSON text; ``organizations``, ``contacts`` and ``events`` one JSON
record each, in the log's order (by ``seq``); ``interactions`` one row each, in columns,
in the log's order (by ``row``); ``reviews`` and ``changes`` the plan's history. Every row
is keyed by its plan, and deleting a plan deletes them all.

Every call is one transaction on a connection of the store's pool: a write locks its
plan's row first (``SELECT ... FOR UPDATE``), so writers of one plan queue while other
plans' go on, and a call that raises has changed nothing; a read sees one snapshot
(``REPEATABLE READ``, read only, said in the transaction's ``BEGIN``). A save checks the
revision in the database, in the statement that moves the head (``UPDATE ... WHERE head =
%s``): two writers of one plan never both win.
A batch is written with ``COPY``. SQL is always parameterised; table and schema names
are quoted identifiers.

The store object may be shared by threads: each call takes a connection from the pool
(``?pool_max=`` connections at most, 4 by default) and gives it back.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, cast
from urllib.parse import parse_qsl, urlencode

import attrs

from netplan.core.batch import Batch, check_batch
from netplan.core.errors import (
    MISSING,
    ConflictError,
    CorruptStoreError,
    NetplanError,
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
    check_version,
    conflict,
    no_plan,
)
from netplan.stores._files import DAMAGE, SURROGATE
from netplan.stores._sql import (
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
    stored_keys,
)
from netplan.stores.serialize import (
    SchemaError,
)

try:
    import psycopg
    from psycopg import sql
    from psycopg_pool import ConnectionPool, PoolTimeout

    _SNAPSHOT = psycopg.IsolationLevel.REPEATABLE_READ
except ImportError as missing:  # pragma: no cover - the extra is installed in CI
    _MISSING: ImportError | None = missing
else:
    _MISSING = None

__all__ = ["SCHEMA_VERSION", "PostgresStore"]

T = TypeVar("T")

SCHEMA_VERSION = 3
"""Version of the database layout this netplan writes."""

SCHEMA_V1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE plans (id TEXT PRIMARY KEY, head INTEGER NOT NULL)",
    """CREATE TABLE revisions (
        plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (plan_id, revision))""",
    *(
        f"""CREATE TABLE {table} (
            seq BIGINT GENERATED ALWAYS AS IDENTITY,
            plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (plan_id, id))"""
        for table in ("organizations", "contacts", "events")
    ),
    *(
        f"CREATE INDEX {table}_in_order ON {table} (plan_id, seq)"
        for table in ("organizations", "contacts", "events")
    ),
    """CREATE TABLE interactions (
        row BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        at BIGINT NOT NULL,
        contact TEXT,
        kind TEXT NOT NULL,
        channel TEXT NOT NULL,
        direction TEXT NOT NULL,
        event TEXT,
        notes TEXT NOT NULL,
        notes_bytes BYTEA)""",
    "CREATE INDEX interactions_in_order ON interactions (plan_id, row)",
    *(
        f"""CREATE TABLE {table} (
            plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (plan_id, number))"""
        for table in ("reviews", "changes")
    ),
)
"""The statements that make a new store's tables (then ``meta`` gets the version)."""

SCHEMA_V2_PLANS = (
    "ALTER TABLE plans ADD COLUMN log_version BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE plans ADD COLUMN owner TEXT",
    "CREATE INDEX plans_by_owner ON plans (owner, id)",
)
"""Layout 2 keeps each log's version (an import checks it writes on the log it read) and
each plan's owner (a host lists one person's plans by it), as SQLite's schema 3 does."""


def _add_versions_and_owners(db: Any) -> None:
    for statement in SCHEMA_V2_PLANS:
        db.execute(statement)


SCHEMA_V3_NAMES = (
    "ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE contacts ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
    'CREATE INDEX contacts_by_name ON contacts (plan_id, name_key COLLATE "C", id COLLATE "C")',
)
"""Layout 3 keeps each contact's :func:`~netplan.core.network.name_key` in an index, and
its search text, as SQLite's schema 4 does: a contact is found, and a page of contacts listed, by name
without reading the others. The index compares by code point (``COLLATE "C"``), as
Python compares text, whatever the database's collation."""


def _add_name_keys(db: Any) -> None:
    for statement in SCHEMA_V3_NAMES:
        db.execute(statement)
    stored = db.execute("SELECT seq, data FROM contacts").fetchall()
    db.executemany(
        "UPDATE contacts SET name_key = %s, search_text = %s WHERE seq = %s",
        [(*stored_keys(text), seq) for seq, text in stored],
    )


MIGRATIONS: dict[int, Callable[[Any], None]] = {
    1: _add_versions_and_owners,
    2: _add_name_keys,
}
"""``MIGRATIONS[n]`` upgrades a store's tables from layout ``n`` to ``n + 1`` inside the
caller's transaction (given its cursor), as the SQLite store's do. A new store is made
with layout 1, then upgraded by the same migrations."""

_COLUMNS = "plan_id, at, contact, kind, channel, direction, event, notes, notes_bytes"
_INSERT_INTERACTION = f"INSERT INTO interactions ({_COLUMNS}) VALUES ({', '.join(['%s'] * 9)})"
_OPTIONS = frozenset({"schema", "pool_min", "pool_max"})
_DEFAULT_SCHEMA = "netplan"
_RESTORE = "restore the database from a backup"
_NAME = "the PostgreSQL store"
"""How messages name the store: its URL (server, port, database) is in their ``detail``."""
_INVALID: tuple[type[Exception], ...] = (ValidationError, *DAMAGE)
_NEWEST_PLAUSIBLE = 9999


def _stored(interaction: Interaction) -> tuple[Any, ...]:
    """:func:`interaction_row` as PostgreSQL keeps it: (at, contact, kind, channel,
    direction, event, notes, notes_bytes), see :func:`_kept_notes`."""
    row = interaction_row(interaction)
    return (*row[:6], *_kept_notes(row[6]))


def _kept_notes(notes: str) -> tuple[str, bytes | None]:
    """Notes as PostgreSQL keeps them: as text, or, when they hold what its text cannot
    (a NUL, a lone surrogate the log keeps), as their bytes beside an empty text."""
    if "\x00" not in notes and (notes.isascii() or SURROGATE.search(notes) is None):
        return notes, None
    return "", notes.encode("utf-8", "surrogatepass")


def _safe_url(url: StoreURL) -> str:
    """The store's URL as it may be shown: without a password."""
    location = url.location
    credentials, at, rest = location.rpartition("@")
    if at and ":" in credentials:
        location = f"{credentials.split(':', 1)[0]}:***@{rest}"
    query = f"?{url.query}" if url.query else ""
    return f"{url.scheme}://{location}{query}"


def _number_option(options: Mapping[str, str], name: str, default: int) -> int:
    text = options.get(name)
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise ValidationError(f"store URL {name}", text, "must be a whole number from 1 to 1000")
    return int(text)


class PostgresStore(SqlStore):
    """Plans, logs and reviews in a PostgreSQL database (see the module docs)."""

    NAME = _NAME
    RESTORE = _RESTORE
    ORDER = "seq"
    FIELD_OF = "(data::json) -> 'data' ->> '{name}'"
    TEXT_HAS = "strpos(data, ?) > 0"
    TAIL = "OFFSET ?"
    BY_NAME = 'name_key COLLATE "C", id COLLATE "C"'
    NO_LIMIT = None

    capabilities = frozenset(
        {Capability.PERSISTENT, Capability.CONCURRENT_PROCESSES, Capability.CHANGES}
    )

    def __init__(self, url: str, pool: Any, schema: str) -> None:
        self.url = url
        self.schema = schema
        self._pool: Any = pool
        self._kept = KeptLogs()

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, url: StoreURL, *, create: bool) -> PostgresStore:
        """Open the store in the database ``url`` names; with ``create``, make its tables
        (and its schema) if the database has none."""
        if _MISSING is not None:
            raise store_error(
                StoreError,
                _NAME,
                url.text,
                "{store} needs psycopg: pip install 'networking-action-plan[postgres]'",
                more=str(_MISSING),
            )
        shown = _safe_url(url)
        options = dict(parse_qsl(url.query, keep_blank_values=True))
        schema = options.get("schema", _DEFAULT_SCHEMA)
        if not schema or len(schema) > 63 or not schema.replace("_", "").isalnum():
            raise ValidationError(
                "store URL schema", schema, "must be a name of letters, digits and _ (at most 63)"
            )
        low = _number_option(options, "pool_min", 1)
        high = _number_option(options, "pool_max", 4)
        if low > high:
            raise ValidationError("store URL pool_min", low, f"must not exceed pool_max ({high})")
        passed = [(key, value) for key, value in parse_qsl(url.query) if key not in _OPTIONS]
        conninfo = f"postgresql://{url.location}" + (f"?{urlencode(passed)}" if passed else "")

        try:
            # One connection first: a server that is not there is said at once, not after
            # the pool has retried for its whole timeout.
            psycopg.connect(conninfo, connect_timeout=10).close()
        except psycopg.Error as error:
            raise store_error(
                StoreNotFoundError,
                "the store",
                shown,
                "cannot reach the PostgreSQL server of {store}: check that it runs and takes "
                "connections at its address, and the user, password and database",
                more=_said(error, url),
            ) from error

        def configure(connection: Any) -> None:
            connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            connection.commit()

        pool = ConnectionPool(
            conninfo,
            min_size=low,
            max_size=high,
            configure=configure,
            open=False,
            name=f"netplan:{schema}",
        )
        try:
            pool.open(wait=True, timeout=30.0)
        except PoolTimeout as error:
            pool.close()
            raise store_error(
                StoreNotFoundError,
                "the store",
                shown,
                "cannot reach the PostgreSQL server of {store}: check that it runs and takes "
                "connections at its address, and the user and database names",
                more=_said(error, url),
            ) from error
        store = cls(shown, pool, schema)
        try:
            store._prepare(create)
        except BaseException:
            pool.close()
            raise
        return store

    def _prepare(self, create: bool) -> None:
        with self._read() as db:
            if self._schema_version(db) == SCHEMA_VERSION:
                return
        if not create and not self._has_tables():
            raise store_error(
                StoreNotFoundError,
                "the PostgreSQL database given",
                self.url,
                f"no netplan store in {{store}} (schema {self.schema!r} holds no netplan "
                "tables): check the URL, or pass create=True to make one",
            )
        with self._connection() as connection:
            db = connection.cursor()
            # One creator at a time, whichever process: the others find it made.
            db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"netplan:{self.schema}",))
            db.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
            )
            version = self._schema_version(db)
            if version is None:
                for statement in SCHEMA_V1:
                    db.execute(statement)
                db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
                version = 1
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](db)
                version += 1
            db.execute(
                "UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )

    def _has_tables(self) -> bool:
        with self._read() as db:
            db.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                (self.schema,),
            )
            return bool(cast(tuple[int], db.fetchone())[0])

    def _schema_version(self, db: Any) -> int | None:
        """The store's layout version; None when the schema holds no tables."""
        db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (self.schema,),
        )
        tables = {row[0] for row in db.fetchall()}
        if not tables:
            return None
        row = None
        if "meta" in tables:
            db.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            row = db.fetchone()
        if row is None:
            raise store_error(
                CorruptStoreError,
                _NAME,
                self.url,
                f"{{store}}: schema {self.schema!r} holds tables but no netplan store (no "
                "layout version): name another schema (?schema=...), or empty this one",
            )
        value = row[0]
        if not (isinstance(value, str) and value.isdigit() and 0 < len(value) <= 4):
            raise store_error(
                CorruptStoreError,
                _NAME,
                self.url,
                f"{{store}}: the store's layout version is {value!r}, not one any netplan "
                f"writes; {_RESTORE}",
            )
        version = int(value)
        if version > SCHEMA_VERSION:
            raise store_error(
                SchemaError,
                _NAME,
                self.url,
                f"{{store}} was written by a newer netplan (store schema {version}; this one "
                f"reads up to {SCHEMA_VERSION}): upgrade netplan (pip install -U networking-action-plan)",
            )
        return version

    # -- transactions --------------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self, *, snapshot: bool = False) -> Iterator[Any]:
        """A connection of the pool, in one transaction: committed when the block ends,
        rolled back if it raises. With ``snapshot``, a read-only one that sees one
        snapshot (repeatable read)."""
        if self._pool is None:
            raise ValidationError("store", MISSING, "the store is closed; open it again")
        try:
            with self._pool.connection() as connection:
                # Said in the transaction's BEGIN, which psycopg sends with the first
                # statement (a SET TRANSACTION after it cost a round trip per read), and
                # set on every use: the pool hands the same connections to writes.
                connection.isolation_level = _SNAPSHOT if snapshot else None
                connection.read_only = True if snapshot else None
                yield connection
        except psycopg.Error as error:
            raise _translate(error, self.url) from error
        except PoolTimeout as error:
            raise store_error(
                StoreError,
                _NAME,
                self.url,
                f"{{store}}: no connection came free in time (all {self._pool.max_size} are "
                "busy): try again, or open the store with a larger ?pool_max=",
                more=_said(error),
            ) from error

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        """A cursor in a read-only transaction that sees one snapshot."""
        with self._connection(snapshot=True) as connection:
            yield connection.cursor()

    @contextlib.contextmanager
    def _write(self, plan_id: str) -> Iterator[Any]:
        """A cursor in a transaction that holds ``plan_id``'s row locked (its writers queue)."""
        with self._connection() as connection:
            cursor = connection.cursor()
            self._require(cursor, plan_id, lock=True)
            yield cursor

    @contextlib.contextmanager
    def _log_append(self, plan_id: str, expected: int | None = None) -> Iterator[tuple[Any, int]]:
        """:meth:`_log_write`, with the version the log was at."""
        with self._connection() as connection:
            db = connection.cursor()
            # One round trip: the plan's row locked (its writers queue), its log counted
            # one write on, and the version it was at read back to check. A write that
            # fails rolls the count back with everything else.
            db.execute(
                "UPDATE plans SET log_version = log_version + 1 WHERE id = %s "
                "RETURNING log_version",
                (plan_id,),
            )
            row = db.fetchone()
            if row is None:
                raise no_plan(plan_id)
            version = self._number(row[0] - 1, f"the version of plan {plan_id!r}'s log")
            check_version(plan_id, version, expected)
            yield db, version

    @property
    def _place(self) -> str:
        return self.url

    @staticmethod
    def _q(statement: str) -> str:
        return statement.replace("?", "%s")

    def _plan_write(self, plan_id: str) -> contextlib.AbstractContextManager[Any]:
        return self._write(plan_id)

    def _require(self, db: Any, plan_id: str, *, lock: bool = False) -> int:
        query = "SELECT head FROM plans WHERE id = %s" + (" FOR UPDATE" if lock else "")
        db.execute(query, (plan_id,))
        row = db.fetchone()
        if row is None:
            raise no_plan(plan_id)
        return self._number(row[0], f"the latest revision of plan {plan_id!r}")

    # -- plans ---------------------------------------------------------------------
    def plans(
        self, *, owner: str | None = None, limit: int | None = None, after: str | None = None
    ) -> tuple[str, ...]:
        check_page(owner, limit, after)
        with self._read() as db:
            # NULL matches every row in each clause left out; LIMIT NULL is no limit.
            db.execute(
                "SELECT id FROM plans WHERE (%(owner)s::text IS NULL OR owner = %(owner)s) "
                "AND (%(after)s::text IS NULL OR id > %(after)s) ORDER BY id "
                "LIMIT %(limit)s",
                {"owner": owner, "after": after, "limit": limit},
            )
            return tuple(row[0] for row in db.fetchall())

    def save(self, plan: Plan) -> Plan:
        if not isinstance(plan, Plan):
            raise ValidationError("save.plan", plan, "must be a Plan")
        saved = attrs.evolve(plan, revision=plan.revision + 1)
        with self._connection() as connection:
            db = connection.cursor()
            # The revision is checked where the head moves: of two writers that loaded
            # the same revision, the second finds no row to move and gets a conflict.
            if plan.revision == 0:
                db.execute(
                    "INSERT INTO plans (id, head, owner, log_version) VALUES (%s, 1, %s, %s) "
                    "ON CONFLICT (id) DO NOTHING",
                    (plan.id, plan.owner, self._first_log_version(db, plan.id)),
                )
            else:
                db.execute(
                    "UPDATE plans SET head = head + 1, owner = %s WHERE id = %s AND head = %s",
                    (plan.owner, plan.id, plan.revision),
                )
            if db.rowcount != 1:
                db.execute("SELECT head FROM plans WHERE id = %s", (plan.id,))
                row = db.fetchone()
                raise conflict(plan.id, 0 if row is None else row[0], plan.revision, self.url)
            db.execute(
                "INSERT INTO revisions (plan_id, revision, data) VALUES (%s, %s, %s)",
                (plan.id, saved.revision, encode(saved)),
            )
        return saved

    def delete(self, plan_id: str) -> None:
        with self._write(plan_id) as db:
            self._remember_deleted(db, plan_id)
            db.execute("DELETE FROM plans WHERE id = %s", (plan_id,))
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
                    db.execute(_INSERT_INTERACTION, (plan_id, *_stored(record)))
                else:
                    db.execute(
                        self._q(INSERT_RECORD[TABLE_OF_TYPE[type(record)]]),
                        record_row(plan_id, record),
                    )
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
        """:meth:`add` for a :class:`~netplan.core.batch.Batch`: checked whole (by sets)
        against the plan's ids and against the log's version (``expected_version``),
        then each table written with one ``COPY``, the contacts' JSON made from their
        columns."""
        replaced = tuple(replace)
        with paused_gc(), self._log_append(plan_id, expected_version) as (db, before):
            check_batch(batch, self._existing(db, plan_id))
            for table in ("organizations", "events"):
                rows = record_rows(plan_id, batch.records, table)
                self._copy(db, table, RECORD_COLUMNS[table], rows)
            if batch.contacts:
                people = contact_rows(plan_id, batch.contacts)
                self._copy(db, "contacts", RECORD_COLUMNS["contacts"], people)
            at, who, kind, channel, direction, event, notes = batch.interactions
            if at:
                kept = [_kept_notes(text) for text in notes]
                self._copy(
                    db,
                    "interactions",
                    tuple(_COLUMNS.split(", ")),
                    zip(
                        itertools.repeat(plan_id), at, who, kind, channel, direction, event,
                        map(operator.itemgetter(0), kept), map(operator.itemgetter(1), kept),
                        strict=False,
                    ),
                )  # fmt: skip
            for record in replaced:
                self._replace(db, plan_id, record)
        self._kept.appended(plan_id, before, batch, replaced)

    @staticmethod
    def _copy(db: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with db.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    @staticmethod
    def _existing(db: Any, plan_id: str) -> Callable[[str, Collection[str]], Collection[str]]:
        def existing(kind: str, keys: Collection[str]) -> Collection[str]:
            db.execute(
                f"SELECT id FROM {TABLE_OF_KIND[kind]} WHERE plan_id = %s AND id = ANY(%s)",
                (plan_id, list(keys)),
            )
            return [row[0] for row in db.fetchall()]

        return existing

    def load_log(self, plan_id: str) -> ActivityLog:
        with paused_gc():
            with self._read() as db:
                version = self._kept_version(db, plan_id)
                kept = self._kept.get(plan_id, version)
                if kept is not None:
                    return kept
                log = self._log_in(db, plan_id)
            return self._kept.read(plan_id, version, log)

    def _log_in(self, db: Any, plan_id: str) -> ActivityLog:
        records: list[Organization | Event] = [
            *self._records(db, plan_id, "organizations", Organization),
            *self._records(db, plan_id, "events", Event),
        ]
        db.execute(
            "SELECT id, data, search_text FROM contacts WHERE plan_id = %s ORDER BY seq",
            (plan_id,),
        )
        contacts = self._stored_contacts(plan_id, db.fetchall())
        try:
            batch = Batch(records, contacts, self._interaction_columns(db, plan_id))
            return ActivityLog.from_batch(batch, trusted=True)
        except _INVALID as error:
            raise self._damaged(f"the activity log of plan {plan_id!r}", error) from error

    def _interaction_columns(self, db: Any, plan_id: str) -> Columns:
        """The plan's interactions column by column: one aggregate per column, in the
        log's order, read as lists (no tuple per row)."""
        db.execute(
            "SELECT count(*), array_agg(at ORDER BY row), array_agg(contact ORDER BY row), "
            "array_agg(kind ORDER BY row), array_agg(channel ORDER BY row), "
            "array_agg(direction ORDER BY row), array_agg(event ORDER BY row), "
            "array_agg(notes ORDER BY row), count(notes_bytes), min(at), max(at) "
            "FROM interactions WHERE plan_id = %s",
            (plan_id,),
        )
        count, at, who, kind, channel, direction, event, notes, raw, earliest, latest = cast(
            tuple[Any, ...], db.fetchone()
        )
        if not count:
            return ((), (), (), (), (), (), ())
        if not EARLIEST_MICROS <= earliest <= latest <= LATEST_MICROS:
            raise self._damaged(
                f"the interactions of plan {plan_id!r}", "an instant is not in the years 1 to 9999"
            )
        if raw:
            db.execute(
                "SELECT array_agg(notes_bytes ORDER BY row) FROM interactions WHERE plan_id = %s",
                (plan_id,),
            )
            for place, kept in enumerate(cast(tuple[Any, ...], db.fetchone())[0]):
                if kept is not None:
                    notes[place] = bytes(kept).decode("utf-8", "surrogatepass")
        return (at, who, kind, channel, direction, event, notes)

    def _records(self, db: Any, plan_id: str, table: str, cls: type[T]) -> list[T]:
        db.execute(f"SELECT data FROM {table} WHERE plan_id = %s ORDER BY seq", (plan_id,))
        what = f"the {table} of plan {plan_id!r}"
        return [
            self._decode(self._parsed(text, what), cls, f"{table}[{i}]")
            for i, (text,) in enumerate(db.fetchall())
        ]

    # -- corrections -----------------------------------------------------------------
    @staticmethod
    def _write_interactions(
        db: Any, plan_id: str, change: LogChange, end: int | None = None
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
            db.executemany(
                _INSERT_INTERACTION, [(plan_id, *_stored(interaction)) for _, interaction in into]
            )
            return
        db.execute("SELECT row FROM interactions WHERE plan_id = %s ORDER BY row", (plan_id,))
        ids = [row for (row,) in db.fetchall()]
        if out == [place for place, _ in into]:
            # Each row replaced in its place (a merge's re-attributed interactions).
            db.executemany(
                "UPDATE interactions SET at = %s, contact = %s, kind = %s, channel = %s, "
                "direction = %s, event = %s, notes = %s, notes_bytes = %s WHERE row = %s",
                [(*_stored(i), ids[place]) for place, i in into],
            )
            return
        if out:
            db.execute("DELETE FROM interactions WHERE row = ANY(%s)", ([ids[p] for p in out],))
            gone = set(out)
            ids = [row for place, row in enumerate(ids) if place not in gone]
        if not into:
            return
        # Rows are in the log's order by number: the rows from the first interaction put
        # back on are copied after it (run by run), then the old ones deleted.
        first = into[0][0]
        tail = ids[first:]
        copy = (
            f"INSERT INTO interactions ({_COLUMNS}) SELECT {_COLUMNS} FROM interactions "
            "WHERE plan_id = %s AND row BETWEEN %s AND %s ORDER BY row"
        )
        previous = 0
        for k, (place, interaction) in enumerate(into):
            cut = place - k - first  # rows of the tail before this one
            if cut > previous:
                db.execute(copy, (plan_id, tail[previous], tail[cut - 1]))
            db.execute(_INSERT_INTERACTION, (plan_id, *_stored(interaction)))
            previous = cut
        if previous < len(tail):
            db.execute(copy, (plan_id, tail[previous], tail[-1]))
        if tail:
            db.execute("DELETE FROM interactions WHERE row = ANY(%s)", (tail,))

    # -- reviews -------------------------------------------------------------------
    # -- the rest ------------------------------------------------------------------
    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __repr__(self) -> str:
        return f"PostgresStore({self.url!r})"


def _said(error: Exception, url: StoreURL | None = None) -> str:
    """What psycopg (or its pool) said, on one line, for an error's ``detail``: never its
    ``str()``, since the server's words can quote the database, the user or the data.
    A password of ``url`` is masked, should the words quote it."""
    text = " ".join(str(error).split())
    credentials, at, _ = url.location.rpartition("@") if url is not None else ("", "", "")
    password = credentials.split(":", 1)[1] if at and ":" in credentials else ""
    if password:
        text = text.replace(password, "***")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _translate(error: Exception, url: str) -> NetplanError:
    """A netplan error for what psycopg raised: no SQL, no password, no server address in
    its message; the URL (without its password) and psycopg's words in its detail."""
    said = _said(error)
    state = getattr(getattr(error, "diag", None), "sqlstate", None) or ""
    if state in ("40001", "40P01"):  # serialization failure, deadlock
        return store_error(
            ConflictError,
            _NAME,
            url,
            "{store}: another writer changed the plan at the same moment: try again",
            more=said,
        )
    if state.startswith("08") or isinstance(error, psycopg.OperationalError):
        return store_error(
            StoreError,
            _NAME,
            url,
            "{store}: the connection to the server failed: try again",
            more=said,
        )
    if state == "22021" or state == "22P05":  # text that is not UTF-8 / a NUL
        refused = ValidationError("store", MISSING, "holds text PostgreSQL cannot keep")
        refused.detail = f"{url}: {refused} ({said})"
        return refused
    if state.startswith("42"):  # a missing table or column: not netplan's layout
        return store_error(
            CorruptStoreError,
            _NAME,
            url,
            f"{{store}}: the store's tables are not as netplan made them: {_RESTORE}",
            more=said,
        )
    return store_error(
        StoreError,
        _NAME,
        url,
        f"{{store}}: the database refused the call ({type(error).__name__})",
        more=said,
    )
