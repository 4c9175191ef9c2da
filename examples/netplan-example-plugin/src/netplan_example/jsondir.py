"""A custom storage backend: ``jsondir:///path/to/folder``, one JSON file per plan.

netplan's own ``json://`` store keeps every plan in one file. This one keeps a folder:

    plans/
      .netplan-jsondir      {"netplan_jsondir": 1}: marks the folder as a store
      .jsondir.lock         taken by writers (netplan's FileLock); an empty file
      maya.json             Maya's revisions, activity log and reviews
      ravi.json

so a change to one plan rewrites only that plan's file, and two plans can be copied,
backed up or kept in git apart. Each plan file holds::

    {
      "netplan_jsondir": 1,
      "log": {"data": {...}, "schema": 1, "type": "ActivityLog"},
      "reviews": [{...}, ...],
      "revisions": [{"data": {..., "revision": 1}, "schema": 1, "type": "Plan"}, ...]
    }

Once the plan's log is corrected (contacts merged, a contact or interactions removed, a
change undone: the store is a :class:`netplan.storage.CorrectableStore`), its file is
format 2 and gains ``"changes"``, the history, oldest first, each change as
:func:`netplan.to_data` gives a :class:`netplan.LogChange`. A plan nobody corrects keeps
format 1, readable by the plugin's first version, which refuses a file of format 2
rather than drop its history.

Plans, logs and changes go through :func:`netplan.to_data` and :func:`netplan.from_data`,
so each carries netplan's schema version and is migrated (or refused, if newer) on
reading. Nothing is pickled or evaluated: every file is plain JSON.

Guarantees, as for netplan's file stores:

* every change takes the folder's lock, reads the plan's file, changes it with the
  domain's own validation and replaces the file atomically (a temporary file in the same
  folder, fsync, rename, fsync of the folder): a crash leaves the old file or the new one,
  and a call that raises writes nothing. The lock and the atomic write are netplan's own
  (:mod:`netplan.stores.filesystem`), which its JSON store is built on: a backend need
  not write them again;
* every file is created owner-only (0600), and a folder the store creates is 0700;
* reading takes no lock: the rename means a reader sees a whole file, old or new.

POSIX only, like netplan's own file stores.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
from netplan import (
    ActivityLog,
    Capability,
    Contact,
    CorruptStoreError,
    Event,
    LogChange,
    NotFoundError,
    Organization,
    Plan,
    SchemaError,
    StoreError,
    StoreNotFoundError,
    StoreURL,
    ValidationError,
    from_data,
    to_data,
)
from netplan.core.log import Record
from netplan.storage import (
    check_change,
    check_page,
    conflict,
    no_plan,
    page,
    store_error,
    undo_of,
)
from netplan.stores.filesystem import FOLDER_MODE, FileLock, atomic_write, fsync_dir
from netplan.stores.serialize import log_from_data

__all__ = ["FORMAT_VERSION", "JsonDirStore", "open_jsondir"]

FORMAT_VERSION = 1
"""The version of the folder layout this module writes."""

MARKER = ".netplan-jsondir"
LOCK = ".jsondir"
"""What the folder's write lock is named after (the lock file is ``.jsondir.lock``)."""
_KEY = "netplan_jsondir"
_ENTRY_KEYS = frozenset({_KEY, "log", "reviews", "revisions"})
_CORRECTED = 2
"""The format of a plan file whose log was corrected: it holds ``changes`` too."""
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")

# netplan's id form (docs/plugins.md): plan ids never hold "/" nor start with ".", so an
# id is a safe file name and nothing outside the folder can be named by one.
_ID = re.compile(r"[a-z0-9][a-z0-9_.:-]*")

T = TypeVar("T")

_NAME = "the jsondir store"
"""How messages name the store. A host may show an error's message to a person: it names
no path; ``error.detail``, for the operator, does (``netplan.storage.store_error``)."""


def _encode(document: Mapping[str, Any]) -> bytes:
    """Sorted, indented UTF-8 JSON with a final newline: the same data, the same bytes."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _encode_entry(entry: Mapping[str, Any]) -> bytes:
    """A plan's file: format 1 until its log is corrected, so the plugin's first version
    still reads the plans nobody corrected."""
    document = {key: value for key, value in entry.items() if key != "changes"}
    if entry.get("changes"):
        document["changes"] = entry["changes"]
        document[_KEY] = _CORRECTED
    else:
        document[_KEY] = FORMAT_VERSION
    return _encode(document)


def _json_copy(review: Any) -> dict[str, Any]:
    """A review as it will read back from the file (tuples become lists, keys text)."""
    if not isinstance(review, Mapping):
        raise ValidationError("save_review.review", review, "must be a mapping of JSON data")
    try:
        kept: dict[str, Any] = json.loads(json.dumps(dict(review), allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValidationError(
            "save_review.review", review, f"must be JSON data ({error})"
        ) from None
    return kept


class JsonDirStore:
    """Plans in a folder, one JSON file each (see the module). Open it with :meth:`open`
    or ``netplan.open("jsondir:///path/to/folder", create=True)``."""

    # Data outlives the object, and corrections of a log are kept and undone. Not
    # Capability.FILE: that promises one file on disk, which netplan's crash test kills
    # writers of; this store is a folder of files.
    capabilities: frozenset[Capability] = frozenset({Capability.PERSISTENT, Capability.CHANGES})

    def __init__(self, folder: Path, url: str | None = None) -> None:
        """Use an existing store folder; :meth:`open` checks it and can create one."""
        self.folder = Path(folder)
        self.url = url if url is not None else f"jsondir://{self.folder}"
        self._closed = False
        self._swept = False

    # -- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, url: StoreURL, *, create: bool) -> JsonDirStore:
        """Open the store folder ``url`` names or, with ``create``, make one.

        Raises:
            ValidationError: the URL has no path, or a query (this store takes none).
            StoreNotFoundError: no store folder there and ``create`` is false, the path
                is a file, or its parent folder is missing.
            CorruptStoreError: with ``create``, the folder already holds JSON files that
                are not a store's.
            SchemaError: a newer version of this plugin wrote the store.
        """
        if not url.location:
            raise ValidationError("store URL", url.text, "needs a folder: jsondir:///path/plans")
        if url.query:
            raise ValidationError("store URL", url.text, "takes no options (nothing after '?')")
        folder = Path(url.location).expanduser().resolve()
        marker = folder / MARKER
        if folder.exists() and not folder.is_dir():
            raise store_error(
                StoreNotFoundError,
                "the path given",
                folder,
                "no store at {store}: it is a file, not a folder",
            )
        if not folder.parent.is_dir():
            # Like netplan's json:// store: a typo in a parent folder fails loudly instead
            # of quietly creating a tree of folders somewhere unexpected.
            raise store_error(
                StoreNotFoundError,
                "the path given",
                folder,
                "no store at {store}: its parent folder does not exist; create it first or "
                "check the path",
                more=f"mkdir -p {folder.parent}",
            )
        if not marker.exists():
            if not create:
                raise store_error(
                    StoreNotFoundError,
                    "the path given",
                    folder,
                    "no store at {store}: pass create=True to make a new one there",
                )
            cls._create(folder)
        store = cls(folder, url.text)
        store._check_marker()
        return store

    @staticmethod
    def _create(folder: Path) -> None:
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        strays = sorted(p.name for p in folder.glob("*.json"))
        if strays:
            # Adopting a folder of other JSON files would make them look like plans.
            raise store_error(
                CorruptStoreError,
                "the folder given",
                folder,
                "{store} holds JSON files that are not a store's; choose an empty folder or "
                "a new one",
                more=", ".join(strays[:3]),
            )
        with FileLock(folder / LOCK):
            if not (folder / MARKER).exists():  # another process may have made it meanwhile
                atomic_write(folder / MARKER, _encode({_KEY: FORMAT_VERSION}))

    def _check_marker(self) -> None:
        try:
            document = json.loads((self.folder / MARKER).read_bytes())
        except (OSError, ValueError) as error:
            raise store_error(
                CorruptStoreError,
                _NAME,
                self.folder,
                f"the {MARKER} file of {{store}} is not a jsondir store marker; restore it "
                "from a backup",
                more=str(error),
            ) from error
        version = document.get(_KEY) if isinstance(document, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise store_error(
                CorruptStoreError,
                _NAME,
                self.folder,
                f"the {MARKER} file of {{store}} has no {_KEY} format version",
            )
        if version > FORMAT_VERSION:
            raise store_error(
                SchemaError,
                _NAME,
                self.folder,
                f"{{store}} is a jsondir store of format {version}, written by a newer "
                f"netplan-example-plugin; this one reads up to {FORMAT_VERSION}: upgrade it",
            )

    # -- reading -------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed; open it again")

    def _path(self, plan_id: object) -> Path | None:
        """The file of ``plan_id``, or None if it cannot be a plan id (so is absent)."""
        if not isinstance(plan_id, str) or not _ID.fullmatch(plan_id):
            return None
        return self.folder / f"{plan_id}.json"

    def _missing(self, plan_id: object) -> NotFoundError:
        return no_plan(plan_id)  # names that plan alone, never the store's others

    def _corrupt(self, path: Path, why: str) -> CorruptStoreError:
        return store_error(
            CorruptStoreError,
            "the plan's file",
            path,
            f"{{store}} is not a readable jsondir plan file: {why}; restore it from a backup, "
            "or move it away",
        )

    def _entry(self, plan_id: object) -> dict[str, Any]:
        """The parsed file of a stored plan (NotFoundError if there is none)."""
        self._check_open()
        path = self._path(plan_id)
        if path is None:
            raise self._missing(plan_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise self._missing(plan_id) from None
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise self._corrupt(path, str(error)) from error
        if not isinstance(entry, dict) or set(entry) - {"changes"} != _ENTRY_KEYS:
            raise self._corrupt(path, f"it must hold the keys {sorted(_ENTRY_KEYS)}")
        if entry[_KEY] != (_CORRECTED if "changes" in entry else FORMAT_VERSION):
            raise self._corrupt(path, f"unknown {_KEY} version {entry[_KEY]!r}")
        revisions, reviews = entry["revisions"], entry["reviews"]
        changes = entry.setdefault("changes", [])
        if not isinstance(revisions, list) or not revisions:
            raise self._corrupt(path, "'revisions' must be a non-empty list")
        if not isinstance(reviews, list) or not all(isinstance(r, dict) for r in reviews):
            raise self._corrupt(path, "'reviews' must be a list of objects")
        if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
            raise self._corrupt(path, "'changes' must be a list of objects")
        return entry

    def _decode(self, decode: Callable[[], T], plan_id: str, where: str) -> T:
        try:
            return decode()
        except ValidationError as error:
            # A newer schema (SchemaError) passes through: upgrading fixes it, not a restore.
            raise self._corrupt(self.folder / f"{plan_id}.json", f"{where}: {error}") from error

    def plans(
        self, *, owner: str | None = None, limit: int | None = None, after: str | None = None
    ) -> tuple[str, ...]:
        """Ids of the plans held, sorted; a page of an owner's (see ``Store.plans``)."""
        self._check_open()
        check_page(owner, limit, after)
        ids = (p.name[: -len(".json")] for p in self.folder.glob("*.json"))
        held = [i for i in ids if _ID.fullmatch(i)]
        if owner is not None:
            held = [i for i in held if self.load(i).owner == owner]
        return page(held, limit=limit, after=after)

    def load(self, plan_id: str, revision: int | None = None) -> Plan:
        """The latest revision of a plan, or the given one."""
        history: list[Any] = self._entry(plan_id)["revisions"]
        if revision is None:
            number = len(history)
        elif not isinstance(revision, int) or not 1 <= revision <= len(history):
            raise NotFoundError(
                "revision", revision, f"plan {plan_id!r} has revisions 1 to {len(history)}"
            )
        else:
            number = revision
        where = f"revisions[{number - 1}]"
        plan = self._decode(lambda: from_data(history[number - 1], Plan), plan_id, where)
        if plan.id != plan_id or plan.revision != number:
            raise self._corrupt(
                self.folder / f"{plan_id}.json",
                f"{where} holds plan {plan.id!r} revision {plan.revision}",
            )
        return plan

    def revisions(self, plan_id: str) -> tuple[int, ...]:
        """The revision numbers stored for a plan, oldest first."""
        return tuple(range(1, len(self._entry(plan_id)["revisions"]) + 1))

    def load_log(self, plan_id: str) -> ActivityLog:
        """The plan's whole activity log (a fresh copy: it is read from the file)."""
        entry = self._entry(plan_id)
        return self._decode(lambda: log_from_data(entry["log"]), plan_id, "log")

    def reviews(self, plan_id: str) -> tuple[dict[str, Any], ...]:
        """The plan's reviews, oldest first (fresh copies: they are read from the file)."""
        return tuple(self._entry(plan_id)["reviews"])

    def changes(self, plan_id: str) -> tuple[LogChange, ...]:
        """The plan's history of corrections, oldest first, each with its number."""
        entry = self._entry(plan_id)
        return tuple(self._history(entry, plan_id))

    def _history(self, entry: dict[str, Any], plan_id: str) -> list[LogChange]:
        changes: list[Any] = entry["changes"]
        return self._decode(lambda: [from_data(c, LogChange) for c in changes], plan_id, "changes")

    # -- writing -------------------------------------------------------------------
    def _sweep(self) -> None:
        """Remove temporary files of writers killed mid-write (once per store object).

        Called under the lock only: writers make temporary files while holding it, so any
        found now belong to a dead process.
        """
        if self._swept:
            return
        self._swept = True
        for leftover in self.folder.iterdir():
            if _TEMPORARY.fullmatch(leftover.name):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()

    def _change(self, plan_id: str, change: Callable[[dict[str, Any]], T]) -> T:
        """Apply ``change`` to a stored plan's entry under the lock, then write it.

        ``change`` raising leaves the file as it was: nothing is written.
        """
        self._check_open()
        with FileLock(self.folder / LOCK):
            self._sweep()
            entry = self._entry(plan_id)
            result = change(entry)
            path = self._path(plan_id)
            assert path is not None  # _entry found the file
            atomic_write(path, _encode_entry(entry))
        return result

    def save(self, plan: Plan) -> Plan:
        """Store ``plan`` as the next revision of its id and return it with that number.

        Raises :class:`~netplan.ConflictError` if ``plan.revision`` is not the latest
        stored revision (another writer saved since it was loaded).
        """
        self._check_open()
        if not isinstance(plan, Plan):
            raise ValidationError("save.plan", plan, "must be a Plan")
        path = self._path(plan.id)
        assert path is not None  # a Plan's id is validated as an id
        with FileLock(self.folder / LOCK):
            self._sweep()
            entry: dict[str, Any] = (
                self._entry(plan.id)
                if path.exists()
                else {"log": to_data(ActivityLog()), "reviews": [], "revisions": []}
            )
            head = len(entry["revisions"])
            if plan.revision != head:
                raise conflict(plan.id, head, plan.revision, self.url)
            saved = attrs.evolve(plan, revision=head + 1)
            entry["revisions"].append(to_data(saved))
            atomic_write(path, _encode_entry(entry))
        return saved

    def delete(self, plan_id: str) -> None:
        """Remove a plan with its revisions, log, reviews and changes: its file."""
        self._check_open()
        with FileLock(self.folder / LOCK):
            self._entry(plan_id)  # NotFoundError if absent
            path = self._path(plan_id)
            assert path is not None
            path.unlink()
            fsync_dir(self.folder)

    def add(
        self,
        plan_id: str,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        """Add records to a plan's log and replace those of ``replace`` (by id), all or
        nothing: the file is written only once every record was accepted."""
        replaced = tuple(replace)

        def change(entry: dict[str, Any]) -> None:
            log = self._decode(lambda: log_from_data(entry["log"]), plan_id, "log")
            log.add(*records)  # validates every record before changing anything
            for record in replaced:
                log.update(record)
            entry["log"] = to_data(log)

        self._change(plan_id, change)

    def update(self, plan_id: str, record: Contact | Organization | Event) -> None:
        """Replace a contact, organization or event of the plan's log with the same id."""

        def change(entry: dict[str, Any]) -> None:
            log = self._decode(lambda: log_from_data(entry["log"]), plan_id, "log")
            log.update(record)
            entry["log"] = to_data(log)

        self._change(plan_id, change)

    def save_review(self, plan_id: str, review: Mapping[str, Any]) -> int:
        """Keep a review (JSON data) in the plan's history; returns its number."""

        def change(entry: dict[str, Any]) -> int:
            reviews: list[dict[str, Any]] = entry["reviews"]
            reviews.append(_json_copy(review))
            return len(reviews)

        return self._change(plan_id, change)

    # -- corrections -----------------------------------------------------------------
    def change(self, plan_id: str, change: LogChange) -> int:
        """Make ``change`` (worked out on the plan's log: ``log.merge_contacts``,
        ``log.remove_contact``, ``log.remove_interactions``) and keep it in the plan's
        history, all or nothing; returns its number, 1 for the first.

        Raises:
            ValidationError: not a LogChange, an undo made by hand, or a change after
                which something would still refer to a record it removes.
            ConflictError: the log changed since the change was worked out.
        """
        return self._change(
            plan_id, lambda entry: self._make(entry, plan_id, check_change(change))
        ).number

    def undo(self, plan_id: str) -> LogChange:
        """Undo the latest change that is neither an undo nor undone yet, keeping the
        undo in the history too; returns it, numbered.

        Raises:
            NotFoundError: nothing is left to undo.
            ConflictError: the log changed since in a way the undo cannot go back over.
        """

        def undo(entry: dict[str, Any]) -> LogChange:
            return self._make(entry, plan_id, undo_of(self._history(entry, plan_id), plan_id))

        return self._change(plan_id, undo)

    def _make(self, entry: dict[str, Any], plan_id: str, change: LogChange) -> LogChange:
        log = self._decode(lambda: log_from_data(entry["log"]), plan_id, "log")
        # netplan's own check, which its stores make too: a change the log no longer fits
        # is a ConflictError, one that would leave a reference to a record it removes a
        # ValidationError, and either leaves the log, and so the file, as they were.
        log.apply(change)
        kept = attrs.evolve(change, number=len(entry["changes"]) + 1)
        entry["log"] = to_data(log)
        entry["changes"].append(to_data(kept))
        return kept

    def close(self) -> None:
        """Mark the store closed; it holds no open file between calls."""
        self._closed = True

    def __enter__(self) -> JsonDirStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"JsonDirStore({str(self.folder)!r})"


def open_jsondir(url: StoreURL, *, create: bool) -> JsonDirStore:
    """The opener the plugin registers for ``jsondir://`` (a :class:`netplan.storage.StoreOpener`)."""
    return JsonDirStore.open(url, create=create)
