"""What the SQLite and PostgreSQL stores share: the same tables, read and written by the
same statements, in their own transactions.

:class:`SqlStore` holds every method whose SQL both databases run alike (plans'
revisions, reviews, the corrections of a log and their history, replacing a record,
decoding what was stored, checked as damage). A store gives it its transactions
(:meth:`SqlStore._read`, :meth:`SqlStore._plan_write`, :meth:`SqlStore._log_write`),
how it reads a log inside one (:meth:`SqlStore._log_in`), and its placeholders: the
statements here are written with ``?``, which :meth:`SqlStore._q` turns into the
driver's (psycopg's ``%s``). Statements are fixed text with values as parameters; the
only names placed in them are the fixed table names below.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

import attrs

from netplan.core._records import KIND, REFERENCES, kind_of
from netplan.core.batch import Batch, NewContacts, Record
from netplan.core.changes import Placed, Replaced
from netplan.core.errors import CorruptStoreError, NetplanError, NotFoundError, ValidationError
from netplan.core.errors import store_error as _store_error
from netplan.core.instants import EARLIEST_MICROS, LATEST_MICROS, from_micros
from netplan.core.log import ActivityLog, LogChange, check_records, paused_gc
from netplan.core.network import Contact, Event, Interaction, Organization, name_key
from netplan.core.plan import Plan
from netplan.storage import check_change, check_version, no_plan, undo_of
from netplan.stores._files import DAMAGE, json_text, json_texts, parse_json
from netplan.stores.serialize import (
    SEARCHED_FIELDS,
    SchemaError,
    contact_search_texts,
    contact_texts,
    from_trusted_data,
    stored_contact_fields,
    stored_contact_search,
    stored_search_text,
    to_data,
)

__all__ = [
    "INSERT_RECORD",
    "RECORD_COLUMNS",
    "TABLE_OF_KIND",
    "TABLE_OF_TYPE",
    "SqlStore",
    "contact_rows",
    "encode",
    "record_row",
    "record_rows",
    "shown",
    "stored_key",
    "stored_name_keys",
    "stored_keys",
]

T = TypeVar("T")

# Fixed names, never user input: safe to place in SQL text.
TABLE_OF_KIND = {"contact": "contacts", "organization": "organizations", "event": "events"}
TABLE_OF_KIND_NAME = {table: kind for kind, table in TABLE_OF_KIND.items()}
TABLE_OF_TYPE: dict[type, str] = {
    Contact: "contacts",
    Organization: "organizations",
    Event: "events",
}
_LARGEST = 2**63 - 1  # a 64-bit column's largest number
_UNREADABLE: tuple[type[Exception], ...] = (NetplanError, *DAMAGE)
"""What decoding a damaged row's data raises (a SchemaError is caught first)."""


def _has_tag(stored: Any, tag: str) -> bool:
    """Whether a contact's stored tags (their JSON text) hold ``tag``."""
    try:
        tags = json.loads(stored) if isinstance(stored, str) else stored
    except ValueError:
        return False  # damage: reported when the contact is read
    return isinstance(tags, list) and tag in tags


RECORD_COLUMNS = {
    "contacts": ("plan_id", "id", "data", "name_key", "search_text"),
    "organizations": ("plan_id", "id", "data"),
    "events": ("plan_id", "id", "data"),
}
"""The columns of a record's row. A contact's also keeps its :func:`name_key` (contacts
are found and listed by name through an index, without reading their JSON) and its
search text (:func:`~netplan.stores.serialize.contact_search_texts`: a plan's segments
and cadences find their contacts in it, not in the whole JSON)."""
INSERT_RECORD = {
    table: f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for table, columns in RECORD_COLUMNS.items()
}


def storable(text: str) -> str:
    """``text`` as a text column holds it, and a query compares it: a lone surrogate
    (which a name read from a file may hold, and UTF-8 cannot) and NUL (which
    PostgreSQL's text refuses) as their ``\\uXXXX`` escapes, as JSON writes them."""
    escaped = json_text(text)
    return escaped.replace("\x00", "\\u0000") if "\x00" in escaped else escaped


def stored_key(name: str) -> str:
    """The :func:`name_key` of ``name`` as a row keeps it (:func:`storable`)."""
    return storable(name_key(name))


def stored_name_keys(names: Iterable[str]) -> list[str]:
    """:func:`stored_key` of each of ``names``, in bulk: the keys checked a few thousand
    at a time (:func:`~netplan.stores._files.json_texts`), not one call each."""
    keys = json_texts(list(map(name_key, names)))
    return list(map(storable, keys)) if "\x00" in "".join(keys) else keys


def record_row(plan_id: str, record: Contact | Organization | Event) -> tuple[str, ...]:
    """The row of :data:`RECORD_COLUMNS` that keeps ``record``."""
    if type(record) is Contact:
        fields = {name: [getattr(record, name)] for name in SEARCHED_FIELDS}
        searched = json_text(contact_search_texts(fields)[0])
        return (plan_id, record.id, encode(record), stored_key(record.name), searched)
    return (plan_id, record.id, encode(record))


def record_rows(plan_id: str, records: Iterable[Record], table: str) -> list[tuple[str, ...]]:
    """The rows of ``table`` that keep those of ``records`` it holds (a batch's
    organizations or events)."""
    return [
        record_row(plan_id, r)
        for r in records
        if isinstance(r, Contact | Organization | Event) and TABLE_OF_TYPE[type(r)] == table
    ]


def contact_rows(plan_id: str, contacts: NewContacts) -> Iterator[tuple[str, ...]]:
    """The rows of ``contacts`` (of :data:`RECORD_COLUMNS`), made column by column from
    their fields: an import of 100,000 people builds no contact to write them."""
    fields = contacts.fields()
    return zip(
        itertools.repeat(plan_id),
        contacts.ids,
        json_texts(contact_texts(fields)),
        stored_name_keys(fields["name"]),
        json_texts(contact_search_texts(fields)),
        strict=False,  # the plan's id, repeated without end
    )


def stored_keys(text: Any) -> tuple[str, str]:
    """The :func:`name_key` and search text of the contact stored as the JSON ``text``
    (an upgrade fills the columns so); ``""`` for what is damaged (reading the contact
    says what is wrong)."""
    try:
        data = json.loads(text)
        name = data["data"]["name"]
    except (ValueError, TypeError, KeyError):
        return "", ""
    key = stored_key(name) if isinstance(name, str) else ""
    return key, json_text(stored_search_text(data))


def encode(value: Any) -> str:
    """A record, plan or change as the JSON text a row keeps: sorted keys, no spaces."""
    return json_text(
        json.dumps(to_data(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    )


def shown(value: Any) -> str:
    """A value read from a damaged row, short enough for a message."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**20:
        return "a number too large to be one netplan writes"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


KEPT_INTERACTIONS = 250_000
"""How many interactions, over all its plans, the logs one store object keeps may hold
(:class:`KeptLogs`): a host's plans of thousands fit by the hundred, a person's log of a
million is never kept twice in memory."""

_FOLLOWED = 1_000
"""The most records of a batch a kept log takes in as they are written (:class:`KeptLogs`)."""

_READ_ONCE = 4_096
"""How many plans a store object remembers having read once (:class:`KeptLogs`)."""

_VERSIONED = "SELECT head, log_version FROM plans WHERE id = ?"
"""A plan's head and its log's version (:meth:`SqlStore._versioned`)."""

DELETED_PLAN = "next_log_version:"
"""The ``meta`` key, before a deleted plan's id, of the version its log would have
reached next: a plan made again with that id counts on from there, so a version names
one state of one plan's log for as long as the store lives."""


class KeptLogs:
    """The activity logs a store object reads again and again, each at the version of the
    log it was read at (:meth:`~netplan.storage.BatchStore.log_version`), so that reading
    a log that did not change since costs one query, not its rows.

    A host serving many people reads each one's log on every request: a plan read a second
    time by the same store object is kept, within :data:`KEPT_INTERACTIONS` in all (the
    least recently read go first); a command that reads a log once keeps nothing. Every
    read checks the version in the transaction that would read the rows, and a write made
    through this store object brings its plan's kept log along (:meth:`appended`), so a
    log written by another process or thread is read again and never served stale. Each
    caller gets a copy: what it adds to its log stays its own. Thread-safe."""

    def __init__(self, budget: int = KEPT_INTERACTIONS) -> None:
        self._lock = threading.Lock()
        self._budget = budget
        self._size = 0
        self._logs: OrderedDict[str, tuple[int, ActivityLog]] = OrderedDict()
        self._read_once: OrderedDict[str, None] = OrderedDict()

    def get(self, plan_id: str, version: int | None) -> ActivityLog | None:
        """A copy of the plan's log kept at ``version``, or None."""
        with self._lock:
            kept = self._logs.get(plan_id)
            if kept is None or version is None or kept[0] != version:
                return None
            self._logs.move_to_end(plan_id)
            return kept[1].copy()

    def read(self, plan_id: str, version: int | None, log: ActivityLog) -> ActivityLog:
        """``log``, just read at ``version``, for the caller: kept when this store object
        read the plan before (then the caller gets a copy)."""
        if version is None:  # a damaged version: nothing to check a kept log against
            return log
        with self._lock:
            if plan_id not in self._read_once:
                self._read_once[plan_id] = None
                if len(self._read_once) > _READ_ONCE:
                    self._read_once.popitem(last=False)
                return log
        if len(log) > self._budget:
            with self._lock:
                self._drop(plan_id)  # an older one is of no use now
            return log
        # Built once, before anyone else sees it (not under the lock, which every read of
        # every plan takes): the index is shared by every copy handed out, and what
        # their reviews build from it (meetings, groups) is too.
        log.indexed()
        with self._lock:
            kept = self._logs.get(plan_id)
            if kept is not None and kept[0] > version:
                return log  # a later version is kept already (read or written meanwhile)
            self._drop(plan_id)
            self._logs[plan_id] = (version, log)
            self._size += len(log)
            while self._size > self._budget:
                oldest = next(iter(self._logs))
                self._drop(oldest)
            return log.copy()

    def appended(
        self,
        plan_id: str,
        before: int,
        records: Iterable[Record] | Batch,
        replaced: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        """``records`` (or a batch) were added to the plan's log at version ``before``
        (and ``replaced`` replaced), committed: the kept log follows, or is dropped. A
        batch of more than :data:`_FOLLOWED` records is dropped: an import of thousands
        is read again rather than held twice."""
        with self._lock:
            kept = self._logs.get(plan_id)
            if kept is None:
                return
            big = isinstance(records, Batch) and len(records) > _FOLLOWED
            if kept[0] != before or big:
                self._drop(plan_id)
                return
            log = kept[1]
            self._size -= len(log)
            try:
                if isinstance(records, Batch):
                    log.add_batch(records)
                else:
                    log.add(*records)
                for record in replaced:
                    log.update(record)
            except Exception:  # the store took them: a log that cannot is not kept
                self._logs.pop(plan_id)
                return
            self._logs[plan_id] = (before + 1, log)
            self._size += len(log)

    def holds(self, plan_id: str) -> bool:
        """Whether a log of the plan is kept (at some version)."""
        return plan_id in self._logs

    def forget(self, plan_id: str) -> None:
        """Keep nothing of the plan (deleted, or made again)."""
        with self._lock:
            self._drop(plan_id)
            self._read_once.pop(plan_id, None)

    def _drop(self, plan_id: str) -> None:
        kept = self._logs.pop(plan_id, None)
        if kept is not None:
            self._size -= len(kept[1])


class SqlStore:
    """The methods the SQL stores share. A subclass sets the class attributes and
    provides the transactions and the reading of a log."""

    _kept: KeptLogs
    """The logs this store object keeps, made by the subclass."""

    NAME: ClassVar[str]
    """The store in a person's words ("the SQLite store"): what its errors say."""
    RESTORE: ClassVar[str]
    """What to do about damage ("restore the file from a backup")."""
    ORDER: ClassVar[str]
    """The column that keeps a table's records in the log's order."""
    FIELD_OF: ClassVar[str]
    """The SQL expression of a stored record's field ``{name}`` (a fixed name), as text."""
    TEXT_HAS: ClassVar[str]
    """The SQL condition: the stored ``data`` text holds the text ``?``."""
    TAIL: ClassVar[str]
    """How a query skips the first ``?`` rows and keeps the rest."""
    BY_NAME: ClassVar[str]
    """The order of contacts by name: their :func:`name_key`, then id, compared by code
    point (as Python compares text), through the index that keeps them so."""
    NO_LIMIT: ClassVar[int | None]
    """What ``LIMIT ?`` takes for no limit."""

    # -- given by each store ---------------------------------------------------------
    @property
    def _place(self) -> Path | str:
        """Where the store is (a path, a URL): its errors' detail, for an operator."""
        raise NotImplementedError

    @staticmethod
    def _q(statement: str) -> str:
        """``statement``, written with ``?`` placeholders, in the driver's style."""
        return statement

    def _read(self) -> contextlib.AbstractContextManager[Any]:
        """A cursor in a read transaction that sees one snapshot."""
        raise NotImplementedError

    def _plan_write(self, plan_id: str) -> contextlib.AbstractContextManager[Any]:
        """A cursor in a write transaction, the plan there (else NotFoundError) and its
        other writers kept out until it ends."""
        raise NotImplementedError

    @contextlib.contextmanager
    def _log_write(self, plan_id: str, expected: int | None = None) -> Iterator[Any]:
        """:meth:`_plan_write` for the plan's log: the log must be at version
        ``expected`` (when given), and its version goes one up with the write."""
        with self._log_append(plan_id, expected) as (db, _):
            yield db

    def _log_append(
        self, plan_id: str, expected: int | None = None
    ) -> contextlib.AbstractContextManager[tuple[Any, int]]:
        """:meth:`_log_write`, with the version the log was at (what :class:`KeptLogs`
        checks a write through this store object against)."""
        raise NotImplementedError

    def _require(self, db: Any, plan_id: str) -> int:
        """The plan's latest revision (NotFoundError when there is no such plan)."""
        row = db.execute(self._q("SELECT head FROM plans WHERE id = ?"), (plan_id,)).fetchone()
        if row is None:
            raise no_plan(plan_id)
        return self._number(row[0], f"the latest revision of plan {plan_id!r}")

    def _log_in(self, db: Any, plan_id: str) -> ActivityLog:
        """The plan's log, read in the transaction of ``db``."""
        raise NotImplementedError

    def _read_one(self, statement: str, values: Sequence[Any]) -> Any:
        """The first row of one query (written with ``?``), or None: one statement sees
        one state of the database, so a store may run it without a transaction of its
        own (SQLite does)."""
        with self._read() as db:
            return db.execute(self._q(statement), values).fetchone()

    def _kept_version(self, db: Any, plan_id: str) -> int | None:
        """:meth:`_require`, and the version of the plan's log to check a kept log against
        (None when it is damaged: the log is then read, not taken from :class:`KeptLogs`)."""
        return self._versioned(db.execute(self._q(_VERSIONED), (plan_id,)).fetchone(), plan_id)

    def _versioned(self, row: Any, plan_id: str) -> int | None:
        """:meth:`_kept_version` of the plan's row ``(head, log_version)`` as read."""
        if row is None:
            raise no_plan(plan_id)
        self._number(row[0], f"the latest revision of plan {plan_id!r}")
        version = row[1]
        return version if type(version) is int and version >= 0 else None

    def _first_log_version(self, db: Any, plan_id: str) -> int:
        """The version a new plan's log starts at: 0, or where a deleted plan of the same
        id stopped (:data:`DELETED_PLAN`), so no version of the old log comes again."""
        row = db.execute(
            self._q("SELECT value FROM meta WHERE key = ?"), (DELETED_PLAN + plan_id,)
        ).fetchone()
        value = None if row is None else row[0]
        if isinstance(value, str) and 0 < len(value) <= 18 and value.isascii() and value.isdigit():
            return int(value)
        return 0  # none, or damaged: only reading that plan's log again is at stake

    def _remember_deleted(self, db: Any, plan_id: str) -> None:
        """Before the plan goes, keep where its log's version would go next."""
        db.execute(
            self._q(
                "INSERT INTO meta (key, value) SELECT ?, CAST(log_version + 1 AS TEXT) "
                "FROM plans WHERE id = ? ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            (DELETED_PLAN + plan_id, plan_id),
        )

    def _write_interactions(
        self, db: Any, plan_id: str, change: LogChange, end: int | None = None
    ) -> None:
        """Write the interactions ``change`` removes and adds, in their places (``end``:
        the log's interaction count, when the change only appends)."""
        raise NotImplementedError

    # -- damage ----------------------------------------------------------------------
    def _damaged(self, what: str, why: object) -> CorruptStoreError:
        return _store_error(
            CorruptStoreError,
            self.NAME,
            self._place,
            f"{{store}}: {what} cannot be read ({why}): {self.RESTORE}",
        )

    def _number(self, value: Any, what: str) -> int:
        """A count or number the store keeps (a revision, a review's number...), checked:
        a damaged store may hold anything in a number's column."""
        if type(value) is not int or value < 0:
            raise self._damaged(what, f"it is {shown(value)}, not a number")
        if value >= _LARGEST:
            # Numbers count up from 1: this one was not written by netplan, and the next
            # (value + 1) would not fit the column.
            raise self._damaged(what, f"it is {shown(value)}, more than netplan ever numbers")
        return value

    def _parsed(self, text: Any, what: str) -> Any:
        """The JSON data of a stored text, or CorruptStoreError naming ``what``."""
        try:
            return parse_json(text)
        except ValueError as error:
            raise self._damaged(what, error) from error

    def _decode(self, data: Any, cls: type[T], what: str) -> T:
        try:
            # The store's own records were validated when written. Trusted decoding
            # still checks each field's type, so damage cannot hand on a number where
            # a name belongs.
            return from_trusted_data(data, cls)
        except SchemaError as error:
            # Upgrading fixes it, not a restore: it stays a SchemaError.
            raise _store_error(
                SchemaError, self.NAME, self._place, f"{{store}}: {what}: {error}"
            ) from error
        except _UNREADABLE as error:
            raise self._damaged(what, error) from error

    def _stored_contacts(self, plan_id: str, found: Sequence[Sequence[Any]]) -> NewContacts:
        """The plan's contacts from their rows ``(id, data, search_text)`` in the log's
        order. They are decoded when first read: a review touches the ones it needs, and
        loading a network of 100,000 people builds nobody up front. Segments and
        cadences find theirs in the search texts (a tenth of the JSON's length), and
        read the fields of those found from their JSON, nobody decoded."""
        ids, texts, searched = (list(map(operator.itemgetter(n), found)) for n in range(3))
        for key in ids:
            if type(key) is not str:
                raise self._damaged(f"the contacts of plan {plan_id!r}", f"an id is {shown(key)}")

        def decode(row: int, key: str) -> Contact:
            return self._decode_contact(texts[row], key)

        fields = stored_contact_fields(texts, lambda row: decode(row, ids[row]))
        return NewContacts(ids, range(len(ids)), decode, fields, stored_contact_search(searched))

    def _decode_contact(self, text: str, key: str) -> Contact:
        what = f"contact {key!r}"
        contact = self._decode(self._parsed(text, what), Contact, what)
        if contact.id != key:
            raise self._damaged(what, f"it holds contact {contact.id!r}")
        return contact

    # -- plans -----------------------------------------------------------------------
    def load(self, plan_id: str, revision: int | None = None) -> Plan:
        # One query, the plan's head and the revision's data together: a host loads a
        # plan on every request.
        found = self._read_one(
            "SELECT p.head, r.data FROM plans AS p LEFT JOIN revisions AS r "
            "ON r.plan_id = p.id AND r.revision = COALESCE(CAST(? AS BIGINT), p.head) "
            "WHERE p.id = ?",
            (revision, plan_id),
        )
        if found is None:
            raise no_plan(plan_id)
        head = self._number(found[0], f"the latest revision of plan {plan_id!r}")
        wanted = head if revision is None else revision
        data = found[1]
        what = f"plan {plan_id!r} revision {wanted}"
        if data is None and revision is None:
            raise self._damaged(what, "its latest revision is missing")
        if data is None:
            raise NotFoundError("revision", revision, f"plan {plan_id!r} has revisions 1 to {head}")
        plan = self._decode(self._parsed(data, what), Plan, what)
        if plan.id != plan_id or plan.revision != wanted:
            raise self._damaged(what, f"it holds plan {plan.id!r} revision {plan.revision} instead")
        return plan

    def revisions(self, plan_id: str) -> tuple[int, ...]:
        with self._read() as db:
            self._require(db, plan_id)
            rows = db.execute(
                self._q("SELECT revision FROM revisions WHERE plan_id = ? ORDER BY revision"),
                (plan_id,),
            ).fetchall()
        return tuple(self._number(r[0], f"plan {plan_id!r}'s revisions") for r in rows)

    # -- reviews ---------------------------------------------------------------------
    def save_review(self, plan_id: str, review: Mapping[str, Any]) -> int:
        if not isinstance(review, Mapping):
            raise ValidationError("save_review.review", review, "must be a mapping of JSON data")
        try:
            text = json_text(
                json.dumps(dict(review), sort_keys=True, allow_nan=False, ensure_ascii=False)
            )
        except (TypeError, ValueError) as error:
            raise ValidationError(
                "save_review.review", review, f"must be JSON data ({error})"
            ) from None
        with self._plan_write(plan_id) as db:
            (last,) = db.execute(
                self._q("SELECT COALESCE(MAX(number), 0) FROM reviews WHERE plan_id = ?"),
                (plan_id,),
            ).fetchone()
            number = self._number(last, f"the reviews of plan {plan_id!r}") + 1
            db.execute(
                self._q("INSERT INTO reviews (plan_id, number, data) VALUES (?, ?, ?)"),
                (plan_id, number, text),
            )
        return number

    def reviews(self, plan_id: str) -> tuple[dict[str, Any], ...]:
        with self._read() as db:
            self._require(db, plan_id)
            rows = db.execute(
                self._q("SELECT number, data FROM reviews WHERE plan_id = ? ORDER BY number"),
                (plan_id,),
            ).fetchall()
        reviews = []
        for number, text in rows:
            what = f"review {shown(number)} of plan {plan_id!r}"
            review = self._parsed(text, what)
            if not isinstance(review, dict):
                raise self._damaged(what, f"it holds {type(review).__name__}, not an object")
            reviews.append(review)
        return tuple(reviews)

    # -- the activity log --------------------------------------------------------------
    def log_version(self, plan_id: str) -> int:
        with self._read() as db:
            row = db.execute(
                self._q("SELECT log_version FROM plans WHERE id = ?"), (plan_id,)
            ).fetchone()
        if row is None:
            raise no_plan(plan_id)
        return self._number(row[0], f"the version of plan {plan_id!r}'s log")

    def _next_log_version(self, db: Any, plan_id: str, expected: int | None) -> int:
        """Check the log is at ``expected`` (when given), in ``db``'s write transaction,
        and count this write (rolled back with it if it fails): the version it was at."""
        row = db.execute(
            self._q("SELECT log_version FROM plans WHERE id = ?"), (plan_id,)
        ).fetchone()
        if row is None:
            raise no_plan(plan_id)
        version = self._number(row[0], f"the version of plan {plan_id!r}'s log")
        check_version(plan_id, version, expected)
        db.execute(self._q("UPDATE plans SET log_version = ? WHERE id = ?"), (version + 1, plan_id))
        return version

    def update(self, plan_id: str, record: Contact | Organization | Event) -> None:
        with self._log_write(plan_id) as db:
            self._replace(db, plan_id, record)

    def _replace(self, db: Any, plan_id: str, record: Contact | Organization | Event) -> None:
        table = TABLE_OF_TYPE.get(type(record))
        if table is None:
            raise ValidationError(
                "update.record", record, "must be a Contact, Organization or Event"
            )
        exists = db.execute(
            self._q(f"SELECT 1 FROM {table} WHERE plan_id = ? AND id = ?"), (plan_id, record.id)
        ).fetchone()
        if exists is None:
            raise NotFoundError(type(record).__name__.lower(), record.id, "use add() for a new one")
        check_records((record,), self._known(db, plan_id), replacing=True)
        self._update_record(db, plan_id, record)

    def _update_record(self, db: Any, plan_id: str, record: Contact | Organization | Event) -> None:
        _, key, *kept = record_row(plan_id, record)
        table = TABLE_OF_TYPE[type(record)]
        columns = ", ".join(f"{name} = ?" for name in RECORD_COLUMNS[table][2:])
        db.execute(
            self._q(f"UPDATE {table} SET {columns} WHERE plan_id = ? AND id = ?"),
            (*kept, plan_id, key),
        )

    def _known(self, db: Any, plan_id: str) -> Callable[[str, str], bool]:
        def known(kind: str, key: str) -> bool:
            query = self._q(f"SELECT 1 FROM {TABLE_OF_KIND[kind]} WHERE plan_id = ? AND id = ?")
            return db.execute(query, (plan_id, key)).fetchone() is not None

        return known

    # -- corrections -------------------------------------------------------------------
    def change(self, plan_id: str, change: LogChange) -> int:
        check_change(change)
        with paused_gc(), self._log_write(plan_id) as db:
            return self._make(db, plan_id, change).number

    def changes(self, plan_id: str) -> tuple[LogChange, ...]:
        with self._read() as db:
            self._require(db, plan_id)
            return self._changes(db, plan_id)

    def undo(self, plan_id: str) -> LogChange:
        with paused_gc(), self._log_write(plan_id) as db:
            return self._make(db, plan_id, undo_of(self._changes(db, plan_id), plan_id))

    def _changes(self, db: Any, plan_id: str) -> tuple[LogChange, ...]:
        rows = db.execute(
            self._q("SELECT number, data FROM changes WHERE plan_id = ? ORDER BY number"),
            (plan_id,),
        ).fetchall()
        history = []
        for place, (number, text) in enumerate(rows, start=1):
            what = f"change {shown(number)} of plan {plan_id!r}"
            if type(number) is not int or number != place:
                raise self._damaged(what, f"change {place} was expected in its place")
            change = self._decode(self._parsed(text, what), LogChange, what)
            if change.number != number:
                raise self._damaged(what, f"it holds change {change.number}")
            history.append(change)
        return tuple(history)

    def add_change(
        self,
        plan_id: str,
        *records: Contact | Organization | Event | Interaction,
        replace: Iterable[Contact | Organization | Event] = (),
        description: str,
    ) -> LogChange:
        """:meth:`ActivityLog.add_change <netplan.ActivityLog.add_change>` done by the
        store on the plan's log, kept in its history as :meth:`change` keeps a change:
        the places are the log's ends, worked out in the write's transaction, and a
        change that only adds and replaces is checked with a few queries, never reading
        the whole log (logging one interaction on a network of 100,000 people)."""
        if not records and not replace:
            raise ValidationError("add_change", (), "give records to add or to replace")
        replace = tuple(replace)
        with paused_gc(), self._log_append(plan_id) as (db, version):
            ends = self._ends(db, plan_id)
            found = dict(ends)  # the log's ends as read: _make checks against them
            placed = []
            for record in records:
                kind = kind_of(record)
                placed.append(Placed(ends[kind], record))
                ends[kind] += 1
            replaced = []
            for record in replace:
                table = TABLE_OF_TYPE.get(type(record))
                if table is None:
                    raise ValidationError(
                        "add_change.replace", record, "must be a Contact, Organization or Event"
                    )
                before = self._record(db, plan_id, table, record.id, type(record))
                if before is None:
                    kind = KIND[type(record)]
                    raise NotFoundError(kind, record.id, f"replace only {kind}s the log has")
                if before != record:
                    replaced.append(Replaced(before, record))
            change = LogChange(description, added=placed, replaced=replaced)
            check_change(change)
            made = self._make(db, plan_id, change, found)
        self._kept.appended(plan_id, version, records, replace)
        return made

    def find_contacts(self, plan_id: str, who: str) -> tuple[Contact, ...]:
        """The contact whose id is ``who``; else those whose name is ``who`` in any case
        and spacing (``"lena  BERG"`` finds Lena Berg), in the log's order: a name looked
        up without reading the log (through the index of the stored names' keys)."""
        with self._read() as db:
            self._require(db, plan_id)
            found = self._record(db, plan_id, "contacts", storable(who), Contact)
            if found is not None:
                return (found,)
            wanted = name_key(who)
            keys = db.execute(
                self._q(
                    "SELECT id FROM contacts WHERE plan_id = ? AND name_key = ? "
                    f"ORDER BY {self.ORDER}"
                ),
                (plan_id, stored_key(who)),
            ).fetchall()
            out = []
            for (key,) in keys:
                contact = self._record(db, plan_id, "contacts", key, Contact)
                if contact is not None and name_key(contact.name) == wanted:
                    out.append(contact)
            return tuple(out)

    def name_keys(self, plan_id: str) -> tuple[tuple[str, str], ...]:
        """Every contact's id and name key, by key then id, read from the index of name
        keys alone (see :class:`~netplan.storage.AppendingStore`)."""
        with self._read() as db:
            self._require(db, plan_id)
            rows = db.execute(
                self._q(
                    f"SELECT id, name_key FROM contacts WHERE plan_id = ? ORDER BY {self.BY_NAME}"
                ),
                (plan_id,),
            ).fetchall()
        what = f"the contacts of plan {plan_id!r}"
        for key, folded in rows:
            if type(key) is not str:
                raise self._damaged(what, f"an id is {shown(key)}")
            if type(folded) is not str:
                raise self._damaged(what, f"the name key of {key!r} is {shown(folded)}")
        return tuple((key, folded) for key, folded in rows)

    def contact_page(
        self,
        plan_id: str,
        *,
        tag: str | None = None,
        tier: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[tuple[tuple[Contact, dt.datetime | None, Organization | None], ...], int]:
        """The plan's contacts with ``tag`` and of ``tier``, by name (case folded, then
        id), ``limit`` of them from the ``offset``-th, each with its last interaction;
        and how many there are. The page is read in the order of an index (a tag or
        tier is checked in SQL), and only the page's contacts are decoded (see
        :class:`~netplan.storage.ListingStore`)."""
        if type(offset) is not int or offset < 0:
            raise ValidationError("contact_page.offset", offset, "must be 0 or more")
        if limit is not None and (type(limit) is not int or limit < 1):
            raise ValidationError("contact_page.limit", limit, "must be 1 or more, or None")
        where, values = ["plan_id = ?"], [plan_id]
        if tier is not None:
            where.append(f"{self.FIELD_OF.format(name='tier')} = ?")
            values.append(tier)
        if tag is not None:
            where.append(self.TEXT_HAS)  # a candidate: its tags are checked below
            values.append(json.dumps(tag, ensure_ascii=False))
        condition = " AND ".join(where)
        with self._read() as db:
            self._require(db, plan_id)
            if tag is None:
                (total,) = db.execute(
                    self._q(f"SELECT count(*) FROM contacts WHERE {condition}"), tuple(values)
                ).fetchone()
                page = db.execute(
                    self._q(
                        f"SELECT id FROM contacts WHERE {condition} ORDER BY {self.BY_NAME} "
                        "LIMIT ? OFFSET ?"
                    ),
                    (*values, self.NO_LIMIT if limit is None else limit, offset),
                ).fetchall()
                keys = [key for (key,) in page]
            else:
                rows = db.execute(
                    self._q(
                        f"SELECT id, {self.FIELD_OF.format(name='tags')} FROM contacts "
                        f"WHERE {condition} ORDER BY {self.BY_NAME}"
                    ),
                    tuple(values),
                ).fetchall()
                chosen = [key for key, tags in rows if _has_tag(tags, tag)]
                total = len(chosen)
                keys = chosen[offset : None if limit is None else offset + limit]
            contacts = [self._record(db, plan_id, "contacts", key, Contact) for key in keys]
            last = self._last_interactions(db, plan_id, keys)
            employers = {
                key: self._record(db, plan_id, "organizations", key, Organization)
                for key in {c.organization for c in contacts if c is not None and c.organization}
            }
        return (
            tuple(
                (c, last.get(c.id), employers.get(c.organization or ""))
                for c in contacts
                if c is not None
            ),
            self._number(total, f"the contacts of plan {plan_id!r}"),
        )

    def _last_interactions(
        self, db: Any, plan_id: str, contact_ids: list[str]
    ) -> dict[str, dt.datetime]:
        if not contact_ids:
            return {}
        marks = ", ".join("?" * len(contact_ids))
        found = db.execute(
            self._q(
                "SELECT contact, MAX(at) FROM interactions WHERE plan_id = ? "
                f"AND contact IN ({marks}) GROUP BY contact"
            ),
            (plan_id, *contact_ids),
        ).fetchall()
        last = {}
        for key, at in found:
            if type(at) is not int or not EARLIEST_MICROS <= at <= LATEST_MICROS:
                raise self._damaged(f"the interactions of {key!r}", f"an instant is {shown(at)}")
            last[key] = from_micros(at)
        return last

    def _record(self, db: Any, plan_id: str, table: str, key: str, cls: type[T]) -> T | None:
        """The stored record ``key`` of ``table``, decoded (None when there is none)."""
        row = db.execute(
            self._q(f"SELECT data FROM {table} WHERE plan_id = ? AND id = ?"), (plan_id, key)
        ).fetchone()
        if row is None:
            return None
        what = f"{TABLE_OF_KIND_NAME[table]} {key!r}"
        found = self._decode(self._parsed(row[0], what), cls, what)
        if getattr(found, "id", key) != key:
            raise self._damaged(what, f"it holds {found.id!r}")  # type: ignore[attr-defined]
        return found

    def _ends(self, db: Any, plan_id: str) -> dict[str, int]:
        """How many records of each kind the plan's log holds: where an append goes."""
        ends = {}
        for kind, table in (*TABLE_OF_KIND.items(), ("interaction", "interactions")):
            (count,) = db.execute(
                self._q(f"SELECT COUNT(*) FROM {table} WHERE plan_id = ?"), (plan_id,)
            ).fetchone()
            ends[kind] = self._number(count, f"the {table} of plan {plan_id!r}")
        return ends

    def _appends(
        self, db: Any, plan_id: str, change: LogChange, ends: dict[str, int] | None = None
    ) -> int | None:
        """The log's interaction count when ``change`` only adds records at the log's
        ends and replaces records as they are stored, with every reference known and
        no id taken (checked with a few queries): it then needs no other check. None
        otherwise (the whole log is read and the change applied to it, which says why).
        ``ends``: the log's ends, when the caller read them in this transaction (a
        ``COUNT`` of a million interactions is not free)."""
        if change.removed or change.undoes is not None:
            return None
        ends = dict(ends) if ends is not None else self._ends(db, plan_id)
        known = self._known(db, plan_id)
        adding: dict[str, set[str]] = {kind: set() for kind in TABLE_OF_KIND}
        for placed in sorted(change.added, key=lambda p: (kind_of(p.record), p.position)):
            kind = kind_of(placed.record)
            if placed.position != ends[kind]:
                return None
            ends[kind] += 1
            if kind != "interaction":
                key = placed.record.id  # type: ignore[union-attr]
                if key in adding[kind] or known(kind, key):
                    return None
                adding[kind].add(key)
        for each in change.replaced:
            table = TABLE_OF_TYPE[type(each.before)]
            if self._record(db, plan_id, table, each.before.id, type(each.before)) != each.before:
                return None
        for record in [p.record for p in change.added] + [r.after for r in change.replaced]:
            for name, kind in REFERENCES[type(record)]:
                ref = getattr(record, name)
                if ref is not None and ref not in adding[kind] and not known(kind, ref):
                    return None
        return ends["interaction"] - sum(isinstance(p.record, Interaction) for p in change.added)

    def _make(
        self, db: Any, plan_id: str, change: LogChange, ends: dict[str, int] | None = None
    ) -> LogChange:
        """Check ``change`` against the log (whose ``ends`` the caller may have read in
        this transaction), write what it changes and keep it in the history, in the
        caller's transaction (which a failure rolls back)."""
        end = self._appends(db, plan_id, change, ends)
        if end is None:
            log = self._log_in(db, plan_id)
            log.apply(change)  # every check, before anything is written
        self._write_records(db, plan_id, change)
        self._write_interactions(db, plan_id, change, end)
        (last,) = db.execute(
            self._q("SELECT COALESCE(MAX(number), 0) FROM changes WHERE plan_id = ?"),
            (plan_id,),
        ).fetchone()
        last = self._number(last, f"the changes of plan {plan_id!r}")
        kept = attrs.evolve(change, number=last + 1)
        db.execute(
            self._q("INSERT INTO changes (plan_id, number, data) VALUES (?, ?, ?)"),
            (plan_id, kept.number, encode(kept)),
        )
        return kept

    def _write_records(self, db: Any, plan_id: str, change: LogChange) -> None:
        for placed in change.removed:
            record = placed.record
            if not isinstance(record, Interaction):
                db.execute(
                    self._q(
                        f"DELETE FROM {TABLE_OF_TYPE[type(record)]} WHERE plan_id = ? AND id = ?"
                    ),
                    (plan_id, record.id),
                )
        for each in change.replaced:
            self._update_record(db, plan_id, each.after)
        added: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
        for placed in change.added:
            record = placed.record
            if not isinstance(record, Interaction):
                added.setdefault(TABLE_OF_TYPE[type(record)], []).append(
                    (placed.position, record_row(plan_id, record))
                )
        for table, places in added.items():
            # The order column gives the log's order: the records from the first place
            # on are written again, after the ones put back among them.
            places.sort(key=operator.itemgetter(0))
            first = places[0][0]
            columns = ", ".join(RECORD_COLUMNS[table])
            tail = db.execute(
                self._q(
                    f"SELECT {columns} FROM {table} WHERE plan_id = ? ORDER BY {self.ORDER} "
                    f"{self.TAIL}"
                ),
                (plan_id, first),
            ).fetchall()
            db.executemany(
                self._q(f"DELETE FROM {table} WHERE plan_id = ? AND id = ?"),
                [(plan_id, row[1]) for row in tail],
            )
            sequence = [tuple(row) for row in tail]
            for place, row in places:
                sequence.insert(place - first, row)
            db.executemany(self._q(INSERT_RECORD[table]), sequence)

    # -- the store as a context manager --------------------------------------------------
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
