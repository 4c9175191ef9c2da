"""``json:///path/plan.json``: the whole store in one human-readable JSON file.

For people who keep their plan in git: the file is written with sorted keys, two-space
indentation down to the lists of records, each record on a line of its own, UTF-8 text
(not ``\\u`` escapes) and a trailing newline, so the same store always gives the same
bytes and a change shows up as a small diff. Dates and instants are
ISO 8601 text and sets are sorted lists (:func:`netplan.stores.serialize.to_data` does that).

The layout, version 2::

    {
      "netplan_store": 2,
      "plans": {
        "maya": {
          "changes": [
            {"data": {"description": "merged ana-silva-2 into ana-silva", "number": 1,
                      ...}, "schema": 1, "type": "LogChange"}
          ],
          "log": {"data": {...}, "schema": 1, "type": "ActivityLog"},
          "reviews": [{...}, ...],
          "revisions": [
            {"data": {..., "revision": 1}, "schema": 1, "type": "Plan"},
            {"data": {..., "revision": 2}, "schema": 1, "type": "Plan"}
          ]
        }
      }
    }

* ``netplan_store`` is the version of this layout; a file from a newer netplan is refused
  with :class:`~netplan.stores.serialize.SchemaError` rather than misread. It is the oldest
  version that holds the file: 1 (the layout without ``changes``) until a plan's log is
  corrected, so a store nobody corrects stays readable by netplan 0.1.
* ``plans`` is keyed by plan id (so sorted by id); each plan keeps its revisions oldest
  first (revision ``n`` at index ``n - 1``), its activity log, its reviews, oldest first,
  and, once its log has been corrected (merges, removals, undos), its ``changes``, oldest
  first (change ``n`` at index ``n - 1``).
* Plans and the log are kept in :func:`~netplan.stores.serialize.to_data`'s envelope, so each
  carries its own domain schema version and is migrated on reading by
  :func:`~netplan.stores.serialize.from_data`. Nothing is pickled or evaluated.

Writing: every change (``save``, ``add``, ``delete``, ``save_review``, ``change``,
``undo``) takes the lock
file ``plan.json.lock`` beside the store, reads the current file, applies the change with
the domain's own validation, and replaces the file atomically (a temporary file in the
same folder, fsync, rename, fsync of the folder), so a crash leaves the old file or the
new one. A second process that wants to write waits for the lock, up to ``lock_timeout``
seconds (10 by default; ``json:///path/plan.json?lock_timeout=2``), then gets
:class:`~netplan.core.errors.LockTimeoutError`. Reading takes no lock: the rename
guarantees a reader sees a whole file, old or new. Because the file is rewritten whole,
a write costs time in proportion to the store's size, unlike SQLite's appends.

Files beside the store that git should ignore: ``*.lock`` (an empty file; the lock itself
dies with its process) and ``.plan.json.*.tmp`` (a write interrupted by a crash; never
read, removed by the next write).

``?mode=ro`` opens a store in a read-only location for reading; its writes raise
:class:`~netplan.core.errors.ReadOnlyStoreError`.

Every file this store creates is owner-only (0600): the store (through a symbolic link
too: the link is resolved, and its target is what is written), its temporary files and
its lock file; a lock file that is a symbolic link is refused rather than followed. A
damaged or hostile file (not JSON, ``NaN``, numbers of thousands of digits, nesting
thousands deep, a value of the wrong type anywhere) gives
:class:`~netplan.core.errors.CorruptStoreError` naming the file, what is wrong and how to
recover, or, for a hand-edited contact read later, :class:`~netplan.core.errors.ValidationError`
naming the contact and field.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import attrs

from netplan.core.batch import Batch, check_batch
from netplan.core.errors import (
    MISSING,
    CorruptStoreError,
    NotFoundError,
    ReadOnlyStoreError,
    StoreNotFoundError,
    ValidationError,
    store_error,
)
from netplan.core.log import ActivityLog, LogChange, Record, paused_gc
from netplan.core.network import Contact, Event, Organization
from netplan.core.plan import Plan
from netplan.storage import (
    Capability,
    StoreURL,
    check_change,
    check_page,
    check_version,
    conflict,
    no_plan,
    page,
    undo_of,
)
from netplan.stores._files import (
    DAMAGE,
    FileLock,
    atomic_write,
    check_writable_dir,
    is_temporary,
    json_bytes,
    owner_only,
    parse_json,
    resolved,
)
from netplan.stores.serialize import (
    SCHEMA_VERSION,
    SchemaError,
    contact_texts,
    from_data,
    interaction_texts,
    log_from_data,
    to_data,
)

__all__ = ["FORMAT_VERSION", "JsonStore"]

FORMAT_VERSION = 2
"""The newest version of the file layout this module writes (the ``netplan_store`` key);
a store without changes is written as version 1, which older netplans read."""

T = TypeVar("T")
_PLAN_KEYS = frozenset({"log", "reviews", "revisions"})
_NEWEST_PLAUSIBLE = 9999
"""A format version above this is damage, not a file from a newer netplan."""
_INVALID: tuple[type[Exception], ...] = (ValidationError, *DAMAGE)
"""What rebuilding a damaged document's parts raises."""
_CHANGES = "changes"
"""The key of a plan's changes, from format 2 on; absent while a plan has none."""
_NAME = "the JSON store"
"""How messages name the store: its path is in their ``detail`` alone."""
_FILE = "the JSON store's file"
_RECOVER = (
    "restore it from git or a backup, or move it away and open the store with "
    "create=True to start a new one"
)


def _encode(document: Mapping[str, Any]) -> bytes:
    """The one canonical text of a store: the same data always gives the same bytes.

    Objects are written a key a line, indented by two spaces, down to the lists of
    records (contacts, interactions, revisions, reviews, changes), whose items are
    written one a line, each whole on its line: a change to one record is a change to
    one line, and the records are written by JSON's C encoder (an indented text is
    written by its Python one, ten times slower). Its format is the oldest that holds
    it: 2 once a plan keeps changes, else 1."""
    corrected = any(_CHANGES in entry for entry in document["plans"].values())
    document = {**document, "netplan_store": 2 if corrected else 1}
    out: list[str] = []
    _lay_out(document, "", out)
    out.append("\n")
    return json_bytes("".join(out))


_ONE_LINE = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(", ", ": ")
).encode


class _Encoded(tuple[str, ...]):
    """Records already written, each as :data:`_ONE_LINE` would write it (the contacts
    and interactions an import adds, made from their columns): one item of a log's list
    standing for them all, laid out as they are, not encoded again (and not wrapped one
    by one: a copy of each of 100,000 texts costs more than writing them)."""

    __slots__ = ()


_LAID_OUT_KINDS = frozenset({dict, list, _Encoded})
"""The items that make a list be written an item a line."""


def _lay_out(value: Any, pad: str, out: list[str]) -> None:
    """Append ``value`` to ``out`` as :func:`_encode` lays it out, at indentation ``pad``."""
    if type(value) is dict and value:
        inner = pad + "  "
        out.append("{\n")
        for number, key in enumerate(sorted(value)):
            out.append(f"{inner}{_ONE_LINE(key)}: ")
            _lay_out(value[key], inner, out)
            out.append(",\n" if number < len(value) - 1 else "\n")
        out.append(pad + "}")
    elif type(value) is list and set(map(type, value)) & _LAID_OUT_KINDS:
        inner = pad + "  "
        between = ",\n" + inner
        lines = [
            between.join(item) if type(item) is _Encoded else _ONE_LINE(item) for item in value
        ]
        # Appended in pieces: adding to a text of 50 MB copies it.
        out.extend(("[\n", inner, between.join(lines), "\n", pad, "]"))
    else:
        out.append(_ONE_LINE(value))


_LOG_KEYS = {"contacts": "contact", "organizations": "organization", "events": "event"}


def _appendable(stored: Any) -> dict[str, list[Any]] | None:
    """The lists of a log's data as this netplan writes them (its schema, each record an
    object with a text id), to append a batch to; None when the log is in any other
    shape, which the slow way (decoding it) then reads, or names as damage."""
    if not isinstance(stored, dict) or stored.get("schema") != SCHEMA_VERSION:
        return None
    data = stored.get("data")
    if not isinstance(data, dict) or set(data) != {*_LOG_KEYS, "interactions"}:
        return None
    if not all(type(value) is list for value in data.values()):
        return None
    for key in _LOG_KEYS:
        if not all(type(item) is dict and type(item.get("id")) is str for item in data[key]):
            return None
    return data


def _append(data: dict[str, list[Any]], batch: Batch) -> None:
    """Append ``batch`` to a log's data, all or nothing, as :func:`to_data` writes the
    log with the batch added: organizations and contacts after the log's, events among
    theirs in order of day and id, interactions as rows after the log's."""
    ids = {kind: {item["id"] for item in data[key]} for key, kind in _LOG_KEYS.items()}
    check_batch(batch, lambda kind, keys: set(keys) & ids[kind])
    organizations = [to_data(r)["data"] for r in batch.records if type(r) is Organization]
    events = [to_data(r)["data"] for r in batch.records if type(r) is Event]
    contacts = contact_texts(batch.contacts.fields(), wrapped=False, spaced=True)
    rows = interaction_texts(batch.interactions)
    # Everything is worked out above, before the first list grows.
    data["organizations"].extend(organizations)
    if contacts:
        data["contacts"].append(_Encoded(contacts))
    if events:
        data["events"].extend(events)
        data["events"].sort(key=lambda event: (event["on"], event["id"]))
    if rows:
        data["interactions"].append(_Encoded(rows))


def _empty_document() -> dict[str, Any]:
    return {"netplan_store": 1, "plans": {}}


def _new_entry() -> dict[str, Any]:
    return {"log": to_data(ActivityLog()), "reviews": [], "revisions": []}


class JsonStore:
    """Plans, their revisions, logs, reviews and the logs' changes in one JSON file (see
    the module docs)."""

    capabilities: frozenset[Capability] = frozenset(
        {Capability.PERSISTENT, Capability.FILE, Capability.CHANGES}
    )

    def __init__(
        self,
        path: Path,
        url: str | None = None,
        *,
        lock_timeout: float = 10.0,
        read_only: bool = False,
    ) -> None:
        """Use an existing store file; :meth:`open` checks it and can create one."""
        self.path = Path(path)
        self.url = url if url is not None else f"json://{self.path}"
        self.lock_timeout = lock_timeout
        self.read_only = read_only
        self._closed = False
        self._swept = False
        # The last parsed document and the file identity it came from: opening, then
        # loading a plan and its log, would otherwise parse the same file three times.
        self._cached: tuple[tuple[int, int, int], dict[str, Any]] | None = None
        # Each plan's log digest, for the file identity it was worked out on: an import
        # reads the version, then checks it under the lock, on the same file; the digest
        # serializes the whole log (a second each for a million interactions).
        self._digests: tuple[tuple[int, int, int], dict[str, int]] | None = None
        self._writing: tuple[int, int, int] | None = None  # the file an _update read

    @classmethod
    def open(cls, url: StoreURL, *, create: bool) -> JsonStore:
        """Open the store file named by ``url`` or, with ``create``, make an empty one.

        Raises :class:`~netplan.core.errors.StoreNotFoundError` if the file (or its folder) is
        missing, :class:`~netplan.core.errors.ReadOnlyStoreError` if its folder cannot be
        written, :class:`~netplan.core.errors.CorruptStoreError` if it is not a netplan store
        and :class:`~netplan.stores.serialize.SchemaError` if a newer netplan wrote it.
        """
        if not url.location:
            raise ValidationError(
                "store URL", url.text, "needs a file path: json:///path/plan.json"
            )
        options = _options(url)
        read_only = options.get("mode") == "ro"
        lock_timeout = _timeout(url, options)
        # Resolve symlinks so the atomic rename replaces the file a link points to, not
        # the link itself, and a new store through a link is created 0600 where it points.
        path = resolved(Path(url.location).expanduser())
        folder = path.parent
        if not folder.is_dir():
            raise store_error(
                StoreNotFoundError,
                "the path given",
                path,
                "no store at {store}: its folder does not exist; create it first or check the path",
                more=f"mkdir -p {folder}",
            )
        if path.is_dir():
            raise store_error(
                StoreNotFoundError,
                "the path given",
                path,
                "no store at {store}: it is a folder; name a file in it, such as plan.json",
                more=f"json://{path / 'plan.json'}",
            )
        exists = path.exists()
        if not exists and (not create or read_only):
            hint = "open it without mode=ro" if read_only else "pass create=True"
            raise store_error(
                StoreNotFoundError,
                "the path given",
                path,
                f"no store at {{store}}: {hint} to make a new one",
            )
        if not read_only:
            check_writable_dir(folder)
            if exists and not os.access(path, os.W_OK):
                raise store_error(
                    ReadOnlyStoreError,
                    _NAME,
                    path,
                    "cannot write {store}: the file is read-only; make it writable or add "
                    "?mode=ro to the URL to only read it",
                    more=f"chmod u+w {path}",
                )
        if exists:
            owner_only(path)
        store = cls(path, url.text, lock_timeout=lock_timeout, read_only=read_only)
        if not exists:
            with store._locked():
                # Another process may have created it while this one waited for the lock.
                if not path.exists():
                    atomic_write(path, _encode(_empty_document()))
        store._read()  # refuse a corrupt or newer file now, not at the first load
        return store

    # -- reading -------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise ValidationError("store", MISSING, "the store is closed; open it again")

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise store_error(
                StoreNotFoundError,
                "the JSON store's path",
                self.path,
                "no store at {store}: it was moved or deleted after it was opened; put it "
                "back, or open the store again with create=True to start a new one",
            ) from None
        except PermissionError as error:
            raise store_error(
                CorruptStoreError,
                _NAME,
                self.path,
                f"cannot read {{store}} ({error.strerror}): make it readable",
                more=f"chmod u+r {self.path}",
            ) from error

    def _read(self) -> dict[str, Any]:
        """The current document, parsed again only if the file changed since last time.

        Every write replaces the file (a new inode) and this object forgets its cache on
        its own writes, so another writer's change is seen at the next read. Callers must
        not change what this returns.
        """
        return self._read_identified()[1]

    def _read_identified(self) -> tuple[tuple[int, int, int] | None, dict[str, Any]]:
        """:meth:`_read`, with the identity of the file read (None if it has none)."""
        self._check_open()
        identity = self._identity()
        if identity is None:
            return None, self._parse(self._read_bytes())  # _read_bytes says what is wrong
        if self._cached is not None and self._cached[0] == identity:
            return identity, self._cached[1]
        document = self._parse(self._read_bytes())
        self._cached = (identity, document)
        return identity, document

    def _identity(self) -> tuple[int, int, int] | None:
        """The file's inode, modification time and size: every write replaces the file,
        so a file with the same identity holds the same bytes."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def _log_digest(
        self, identity: tuple[int, int, int] | None, document: dict[str, Any], plan_id: str
    ) -> int:
        """:func:`_digest` of the plan's log in ``document``, read from the file of
        ``identity``: worked out once per plan and file."""
        known = self._digests
        if identity is not None and known is not None and known[0] == identity:
            found = known[1].get(plan_id)
            if found is not None:
                return found
        digest = _digest(self._entry(document, plan_id)["log"])
        if identity is not None:
            if known is None or known[0] != identity:
                known = self._digests = (identity, {})
            known[1][plan_id] = digest
        return digest

    def _corrupt(self, why: str, *, where: str = "") -> CorruptStoreError:
        """``where``, a part of the file that names a plan (``plans.<id>...``), is for
        the operator: the plan may be another person's than the one asked for."""
        return store_error(
            CorruptStoreError,
            _FILE,
            self.path,
            f"{{store}} is not a readable netplan store: {why}; {_RECOVER}",
            more=f"at {where}" if where else "",
        )

    def _parse(self, raw: bytes) -> dict[str, Any]:
        try:
            document = parse_json(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise self._corrupt(
                f"it is not UTF-8 text (byte {error.start}: {error.reason})"
            ) from error
        except json.JSONDecodeError as error:
            detail = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            if b"\n<<<<<<< " in b"\n" + raw:
                detail += " (it holds git merge conflict markers: resolve them)"
            raise self._corrupt(detail) from error
        except ValueError as error:  # NaN, a number of 5000 digits, nesting too deep...
            raise self._corrupt(str(error)) from error
        self._check_shape(document)
        return document  # type: ignore[no-any-return]

    def _check_shape(self, document: Any) -> None:
        if not isinstance(document, dict) or "netplan_store" not in document:
            raise self._corrupt("it is JSON but has no 'netplan_store' format version")
        version = document["netplan_store"]
        if (
            not isinstance(version, int)
            or isinstance(version, bool)
            or not 1 <= version <= _NEWEST_PLAUSIBLE
        ):
            shown = repr(version) if len(repr(version)) <= 40 else repr(version)[:37] + "..."
            raise self._corrupt(f"'netplan_store' must be a format version, got {shown}")
        if version > FORMAT_VERSION:
            raise store_error(
                SchemaError,
                _FILE,
                self.path,
                f"{{store}} is a netplan store of format {version}, written by a newer "
                f"netplan; this one reads up to format {FORMAT_VERSION}: upgrade netplan "
                f"(pip install -U networking-action-plan)",
            )
        if set(document) != {"netplan_store", "plans"}:
            extra = sorted(set(document) - {"netplan_store", "plans"})
            detail = f"unknown keys {extra}" if extra else "'plans' is missing"
            raise self._corrupt(f"at the top level, {detail}")
        plans = document["plans"]
        if not isinstance(plans, dict):
            raise self._corrupt("'plans' must be an object keyed by plan id")
        for plan_id, entry in plans.items():
            where = f"plans.{plan_id}"
            keys = _PLAN_KEYS | {_CHANGES} if version >= 2 else _PLAN_KEYS
            if not isinstance(entry, dict) or not _PLAN_KEYS <= set(entry) <= keys:
                got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
                also = ", and changes if corrected" if version >= 2 else ""
                raise self._corrupt(
                    f"a plan must have log, reviews and revisions{also}, got {got}", where=where
                )
            changes = entry.get(_CHANGES)
            if _CHANGES in entry and (
                not isinstance(changes, list)
                or not changes
                or not all(isinstance(c, dict) for c in changes)
            ):
                raise self._corrupt(
                    "a plan's changes must be a non-empty list of objects", where=f"{where}.changes"
                )
            revisions, log, reviews = entry["revisions"], entry["log"], entry["reviews"]
            if not isinstance(revisions, list) or not revisions:
                raise self._corrupt(
                    "a plan's revisions must be a non-empty list", where=f"{where}.revisions"
                )
            if not all(isinstance(r, dict) for r in revisions):
                raise self._corrupt(
                    "a plan's revisions must hold plan objects", where=f"{where}.revisions"
                )
            if not isinstance(log, dict):
                raise self._corrupt("a plan's log must be an object", where=f"{where}.log")
            if not isinstance(reviews, list) or not all(isinstance(r, dict) for r in reviews):
                raise self._corrupt(
                    "a plan's reviews must be a list of objects", where=f"{where}.reviews"
                )

    def _entry(self, document: dict[str, Any], plan_id: str) -> dict[str, Any]:
        plans: dict[str, Any] = document["plans"]
        try:
            entry: dict[str, Any] = plans[plan_id]
        except (KeyError, TypeError):
            # TypeError: an unhashable id is absent too, as in the memory store.
            raise no_plan(plan_id) from None
        return entry

    def _decode(self, data: Any, cls: type[T], where: str) -> T:
        try:
            return from_data(data, cls)
        except SchemaError as error:
            # A newer schema stays a SchemaError: upgrading fixes it, not a restore.
            raise self._newer(where, error) from error
        except _INVALID as error:
            raise self._corrupt(f"{where} is not a valid {cls.__name__} ({error})") from error

    def _newer(self, where: str, error: SchemaError) -> SchemaError:
        return store_error(SchemaError, _NAME, self.path, f"{{store}}: {where}: {error}")

    def plans(
        self, *, owner: str | None = None, limit: int | None = None, after: str | None = None
    ) -> tuple[str, ...]:
        """Ids of the plans held, sorted (a page of them; see :meth:`Store.plans`)."""
        check_page(owner, limit, after)
        plans: dict[str, Any] = self._read()["plans"]
        if owner is not None:
            # The latest revision's data, read without building the plan.
            plans = {
                key: entry
                for key, entry in plans.items()
                if _owner(entry["revisions"][-1]) == owner
            }
        return page(plans, limit=limit, after=after)

    def log_version(self, plan_id: str) -> int:
        """A digest of the plan's log as the file holds it (see :meth:`BatchStore.log_version`)."""
        identity, document = self._read_identified()
        return self._log_digest(identity, document, plan_id)

    def load(self, plan_id: str, revision: int | None = None) -> Plan:
        """The latest revision of a plan, or the given one."""
        history: list[Any] = self._entry(self._read(), plan_id)["revisions"]
        if revision is None:
            number = len(history)
        elif not isinstance(revision, int) or not 1 <= revision <= len(history):
            raise NotFoundError(
                "revision", revision, f"plan {plan_id!r} has revisions 1 to {len(history)}"
            )
        else:
            number = revision
        where = f"plans.{plan_id}.revisions[{number - 1}]"
        plan = self._decode(history[number - 1], Plan, where)
        if plan.id != plan_id or plan.revision != number:
            raise self._corrupt(
                f"{where} holds plan {plan.id!r} revision {plan.revision}, "
                f"not {plan_id!r} revision {number}"
            )
        return plan

    def revisions(self, plan_id: str) -> tuple[int, ...]:
        """The revision numbers stored for a plan, oldest first."""
        return tuple(range(1, len(self._entry(self._read(), plan_id)["revisions"]) + 1))

    def load_log(self, plan_id: str) -> ActivityLog:
        """The plan's whole activity log (a fresh copy)."""
        with paused_gc():
            entry = self._entry(self._read(), plan_id)
            where = f"plans.{plan_id}.log"
            try:
                # Contacts are fully rebuilt when first read, as in the SQLite store.
                return log_from_data(entry["log"], defer_contacts=True)
            except SchemaError as error:
                raise self._newer(where, error) from error
            except _INVALID as error:
                raise self._corrupt(f"{where} is not a valid ActivityLog ({error})") from error

    def reviews(self, plan_id: str) -> tuple[dict[str, Any], ...]:
        """The plan's reviews, oldest first (fresh copies)."""
        reviews = self._entry(self._read(), plan_id)["reviews"]
        try:
            # A copy through JSON text: what the file held is JSON, and this copies it
            # at C speed, nested as deep as the file could be read.
            copied: list[dict[str, Any]] = json.loads(json.dumps(reviews))
        except (RecursionError, ValueError) as error:
            raise self._corrupt(f"plans.{plan_id}.reviews cannot be copied ({error})") from error
        return tuple(copied)

    def changes(self, plan_id: str) -> tuple[LogChange, ...]:
        """The corrections of the plan's log, oldest first (see CorrectableStore)."""
        return self._changes(self._entry(self._read(), plan_id), plan_id)

    def _changes(self, entry: dict[str, Any], plan_id: str) -> tuple[LogChange, ...]:
        history = []
        for number, data in enumerate(entry.get(_CHANGES, ()), start=1):
            where = f"plans.{plan_id}.changes[{number - 1}]"
            change = self._decode(data, LogChange, where)
            if change.number != number:
                raise self._corrupt(f"{where} holds change {change.number}, not {number}")
            history.append(change)
        return tuple(history)

    # -- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Any:
        try:
            with FileLock(self.path, timeout=self.lock_timeout, name=_NAME):
                yield
        except OSError as error:
            if isinstance(error, ReadOnlyStoreError) or error.errno not in (
                errno.EACCES,
                errno.EPERM,
                errno.EROFS,
            ):
                raise
            raise store_error(
                ReadOnlyStoreError,
                _NAME,
                self.path,
                f"cannot write {{store}} ({error.strerror}): make its folder writable or open "
                "it with ?mode=ro to only read",
                more=f"chmod u+w {self.path.parent}",
            ) from error

    def _update(self, change: Callable[[dict[str, Any]], T]) -> T:
        """Apply ``change`` to the current document under the lock and write the result.

        If ``change`` raises, nothing is written. A change that leaves the text as it was
        (adding no records) writes nothing either.
        """
        self._check_open()
        if self.read_only:
            raise store_error(
                ReadOnlyStoreError,
                _NAME,
                self.url,
                "{store} was opened read-only (mode=ro): open it without mode=ro to change it",
            )
        self._cached = None
        with self._locked():
            self._sweep()
            # Under the lock no netplan writes the file: what was stat-ed is what is read.
            self._writing = self._identity()
            try:
                raw = self._read_bytes()
                document = self._parse(raw)
                result = change(document)
            finally:
                self._writing = None
            try:
                encoded = _encode(document)
            except RecursionError:  # parsed in C, but written by json's Python encoder
                raise self._corrupt(
                    "it nests lists or objects (in a review) deeper than netplan writes"
                ) from None
            if encoded != raw:
                atomic_write(self.path, encoded)
        return result

    def _sweep(self) -> None:
        """Remove temporary files left by writers that were killed mid-write.

        Only called under the lock: every writer writes its temporary file while holding
        the lock, so any that exist now belong to a dead process. Once per store object.
        """
        if self._swept:
            return
        self._swept = True
        with os.scandir(self.path.parent) as entries:
            leftovers = [Path(e.path) for e in entries if is_temporary(Path(e.path), self.path)]
        for leftover in leftovers:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()

    def save(self, plan: Plan) -> Plan:
        """Store ``plan`` as the next revision of its id and return it with that number.

        Raises :class:`~netplan.core.errors.ConflictError` if ``plan.revision`` is not the
        latest revision in the file (another process saved since it was loaded).
        """
        self._check_open()
        if not isinstance(plan, Plan):
            raise ValidationError("save.plan", plan, "must be a Plan")

        def change(document: dict[str, Any]) -> Plan:
            plans: dict[str, Any] = document["plans"]
            entry = plans.get(plan.id)
            head = len(entry["revisions"]) if entry is not None else 0
            if plan.revision != head:
                raise conflict(plan.id, head, plan.revision, self.url)
            saved = attrs.evolve(plan, revision=head + 1)
            if entry is None:
                entry = plans[plan.id] = _new_entry()
            entry["revisions"].append(to_data(saved))
            return saved

        return self._update(change)

    def delete(self, plan_id: str) -> None:
        """Remove a plan with its revisions, log and reviews."""

        def change(document: dict[str, Any]) -> None:
            self._entry(document, plan_id)
            del document["plans"][plan_id]

        self._update(change)

    def add(
        self,
        plan_id: str,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        """Add records to a plan's activity log and replace those of ``replace``, all or
        nothing (see ActivityLog.add and update).

        The file is rewritten whole: a JSON file cannot be appended to in place.
        """
        replaced = tuple(replace)

        def change(document: dict[str, Any]) -> None:
            entry = self._entry(document, plan_id)
            log = self._decode(entry["log"], ActivityLog, f"plans.{plan_id}.log")
            log.add(*records)  # validates every record before changing anything
            for record in replaced:
                log.update(record)
            # Nothing is written unless every change above succeeded.
            entry["log"] = to_data(log)

        self._update(change)

    def add_batch(
        self,
        plan_id: str,
        batch: Batch,
        *,
        replace: Iterable[Contact | Organization | Event] = (),
        expected_version: int | None = None,
    ) -> None:
        """:meth:`add` for a :class:`~netplan.core.batch.Batch`, in one write: checked
        whole by sets against the ids the plan's log holds, then appended to the log's
        data as :func:`to_data` would write the log with it (contacts made from their
        columns, no object per contact or interaction). With ``expected_version``, the
        log read under the lock must still be at that version."""
        replaced = tuple(replace)

        def change(document: dict[str, Any]) -> None:
            entry = self._entry(document, plan_id)
            if expected_version is not None:
                digest = self._log_digest(self._writing, document, plan_id)
                check_version(plan_id, digest, expected_version)
            data = _appendable(entry["log"])
            if data is not None and not replaced:
                _append(data, batch)
                return
            log = self._decode(entry["log"], ActivityLog, f"plans.{plan_id}.log")
            log.add_batch(batch)  # checks the whole batch before changing anything
            for record in replaced:
                log.update(record)
            entry["log"] = to_data(log)

        self._update(change)

    def update(self, plan_id: str, record: Contact | Organization | Event) -> None:
        """Replace a contact, organization or event of the plan's log that has the same id."""

        def change(document: dict[str, Any]) -> None:
            entry = self._entry(document, plan_id)
            log = self._decode(entry["log"], ActivityLog, f"plans.{plan_id}.log")
            log.update(record)  # checks the record and its references first
            entry["log"] = to_data(log)

        self._update(change)

    def change(self, plan_id: str, change: LogChange) -> int:
        """Make a correction of the plan's log and keep it in its history, all or
        nothing; returns its number (see CorrectableStore). The file is rewritten whole."""
        check_change(change)

        def apply(document: dict[str, Any]) -> int:
            return self._make(self._entry(document, plan_id), plan_id, change).number

        return self._update(apply)

    def undo(self, plan_id: str) -> LogChange:
        """Undo the latest change not undone yet and keep the undo in the history too
        (see CorrectableStore)."""

        def apply(document: dict[str, Any]) -> LogChange:
            entry = self._entry(document, plan_id)
            return self._make(entry, plan_id, undo_of(self._changes(entry, plan_id), plan_id))

        return self._update(apply)

    def _make(self, entry: dict[str, Any], plan_id: str, change: LogChange) -> LogChange:
        log = self._decode(entry["log"], ActivityLog, f"plans.{plan_id}.log")
        log.apply(change)  # checks everything before changing anything
        history: list[dict[str, Any]] = entry.get(_CHANGES, [])
        kept = attrs.evolve(change, number=len(history) + 1)
        # Nothing is written unless every step above succeeded.
        entry["log"] = to_data(log)
        entry[_CHANGES] = [*history, to_data(kept)]
        return kept

    def save_review(self, plan_id: str, review: Mapping[str, Any]) -> int:
        """Keep a review in the plan's history; returns its number (1 for the first).

        The review is kept as JSON, as it will read back (tuples become lists, keys
        text); anything JSON cannot hold (dates, NaN) raises ValidationError.
        """

        def change(document: dict[str, Any]) -> int:
            # The plan is looked up first, as in the memory store, so both raise the same
            # error when the plan is missing and the review is bad too.
            reviews: list[dict[str, Any]] = self._entry(document, plan_id)["reviews"]
            reviews.append(_json_copy(review))
            return len(reviews)

        return self._update(change)

    def close(self) -> None:
        """Mark the store closed; it holds no open file between calls."""
        self._closed = True

    def __enter__(self) -> JsonStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"JsonStore({str(self.path)!r})"


def _digest(log: Any) -> int:
    """A log's version in this store: a digest of its data, the same for the same log
    whatever the layout of the file, different (but for one chance in 2**63) after any
    change to it."""
    text = json.dumps(log, sort_keys=True, separators=(",", ":"))  # ASCII: any note encodes
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest()) >> 1


def _owner(revision: Any) -> object:
    data = revision.get("data") if isinstance(revision, dict) else None
    return data.get("owner") if isinstance(data, dict) else None


def _json_copy(review: Any) -> dict[str, Any]:
    """The review as it will read back from the file."""
    if not isinstance(review, Mapping):
        raise ValidationError("save_review.review", review, "must be a mapping of JSON data")
    try:
        copy: dict[str, Any] = json.loads(json.dumps(dict(review), allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValidationError(
            "save_review.review", review, f"must be JSON data ({error})"
        ) from None
    return copy


def _options(url: StoreURL) -> dict[str, str]:
    try:
        pairs = parse_qsl(url.query, keep_blank_values=True, strict_parsing=bool(url.query))
    except ValueError:
        pairs = [("", url.query)]
    options = dict(pairs)
    unknown = sorted(set(options) - {"lock_timeout", "mode"})
    if unknown:
        raise ValidationError(
            "store URL",
            url.text,
            f"unknown option {unknown[0]!r}; the JSON store takes lock_timeout=SECONDS and mode=ro",
        )
    if options.get("mode", "ro") != "ro":
        raise ValidationError("store URL", url.text, "mode must be 'ro' (read-only) if given")
    return options


def _timeout(url: StoreURL, options: Mapping[str, str]) -> float:
    text = options.get("lock_timeout")
    if text is None:
        return 10.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValidationError(
            "store URL", url.text, "lock_timeout must be a number of seconds, 0 or more"
        )
    return seconds
