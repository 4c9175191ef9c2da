"""The storage port: what every store backend provides, and how a URL names a store.

A store holds many plans, each with its revision history, its activity log and its
review history. Backends are plugins: netplan's own (``memory://``, ``sqlite:///...``,
``json:///...``) register through the same hook as a third party's, and the URL's scheme
picks one. This module is pure: it defines the contract, the backends implement it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, cast, runtime_checkable

from attrs import frozen

from netplan.core.batch import Batch
from netplan.core.errors import (
    ConflictError,
    NotFoundError,
    PluginError,
    ValidationError,
    store_error,
)
from netplan.core.log import ActivityLog, LogChange, Record
from netplan.core.network import Contact, Event, Interaction, Organization
from netplan.core.plan import Plan

__all__ = [
    "AppendingStore",
    "BatchStore",
    "Capability",
    "CorrectableStore",
    "ListingStore",
    "Store",
    "StoreOpener",
    "StoreURL",
    "add_batch",
    "check_change",
    "check_page",
    "check_version",
    "conflict",
    "correctable",
    "log_version",
    "no_plan",
    "page",
    "parse_url",
    "stale_log",
    "store_error",
    "undo_of",
]


class Capability(enum.Enum):
    """What a backend can do beyond the contract every store meets.

    The shipped contract tests skip what a backend does not declare.
    """

    PERSISTENT = "persistent"
    """Data outlives the store object (a file or a server)."""
    FILE = "file"
    """The store is one file on the local disk (crash-tested by killing writers)."""
    CONCURRENT_PROCESSES = "concurrent_processes"
    """Several processes may append to one store at once without losing anything."""
    CHANGES = "changes"
    """Corrections of a log are kept and undone: the store is a :class:`CorrectableStore`
    (``change``, ``changes``, ``undo``)."""


@frozen
class StoreURL:
    """A parsed store URL: ``scheme://location?query``.

    >>> parse_url("sqlite:///home/maya/plans.db")
    StoreURL(scheme='sqlite', location='/home/maya/plans.db', query='', text='sqlite:///home/maya/plans.db')
    """

    scheme: str
    location: str
    query: str
    text: str


def parse_url(url: str) -> StoreURL:
    """Split a store URL. The location is everything after ``scheme://`` (so
    ``sqlite:///abs/path.db`` is an absolute path, ``sqlite://rel.db`` a relative one).

    A bare path is accepted too, its backend chosen by suffix: ``.db``, ``.sqlite`` and
    ``.sqlite3`` open SQLite, ``.json`` the JSON store.
    """
    if not isinstance(url, str) or not url.strip():
        raise ValidationError("store URL", url, "must be text such as 'sqlite:///path/plans.db'")
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        lower = text.lower()
        for suffix, name in (
            (".db", "sqlite"),
            (".sqlite", "sqlite"),
            (".sqlite3", "sqlite"),
            (".json", "json"),
        ):
            if lower.endswith(suffix):
                return StoreURL(name, text, "", f"{name}://{text}")
        raise ValidationError(
            "store URL",
            url,
            "must be scheme://location (sqlite:///path/plans.db, json:///path/plan.json, "
            "memory://) or a path ending in .db or .json",
        )
    if not scheme.replace("+", "").replace("-", "").isalnum():
        raise ValidationError("store URL", url, "must start with a scheme of letters and digits")
    location, _, query = rest.partition("?")
    return StoreURL(scheme.lower(), location, query, text)


@runtime_checkable
class Store(Protocol):
    """What every store backend provides. All methods are atomic: they change everything
    they were asked to, or raise and change nothing. Stores that also keep corrections of
    a log (merges, removals, undos) are :class:`CorrectableStore` s."""

    url: str
    """The URL the store was opened with."""
    capabilities: frozenset[Capability]

    def plans(
        self, *, owner: str | None = None, limit: int | None = None, after: str | None = None
    ) -> tuple[str, ...]:
        """Ids of the plans held, sorted; with ``owner``, only the plans whose
        :attr:`~netplan.Plan.owner` it is. A page: at most ``limit`` ids, those after the
        id ``after`` (the last of the previous page). See :func:`page` and
        :func:`check_page`, which every netplan store uses."""
        ...

    def save(self, plan: Plan) -> Plan:
        """Store ``plan`` as the next revision of its id and return it with that number.

        ``plan.revision`` must be the store's latest revision of that id (0 for a new
        plan); otherwise :class:`~netplan.core.errors.ConflictError`, and nothing is written.
        """
        ...

    def load(self, plan_id: str, revision: int | None = None) -> Plan:
        """The latest revision of a plan, or the given one
        (:class:`~netplan.core.errors.NotFoundError` if absent)."""
        ...

    def revisions(self, plan_id: str) -> tuple[int, ...]:
        """The revision numbers stored for a plan, oldest first."""
        ...

    def delete(self, plan_id: str) -> None:
        """Remove a plan with its revisions, log and reviews (and its changes, if the
        store keeps them)."""
        ...

    def add(
        self,
        plan_id: str,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        """Add records to a plan's activity log, then replace the records of
        ``replace`` by id, all or nothing (:meth:`ActivityLog.add
        <netplan.ActivityLog.add>`, then :meth:`~netplan.ActivityLog.update` for each):
        an import adds and merges in one step, or not at all.

        A replacement may refer to a record added in the same call; one naming no record
        of the log, even after the additions, raises
        :class:`~netplan.core.errors.NotFoundError`, and a record referring to one the
        log lacks or reusing its id raises :class:`~netplan.core.errors.ValidationError`;
        either way nothing is written, the additions included.

        Backends that keep the log in a database should append without rewriting the plan
        or the rest of the log (SQLite does: one row per interaction); a one-file backend
        such as JSON rewrites its file.
        """
        ...

    def update(self, plan_id: str, record: Contact | Organization | Event) -> None:
        """Replace a contact, organization or event of the plan's log that has the same id
        (:class:`~netplan.core.errors.NotFoundError` if it has none)."""
        ...

    def load_log(self, plan_id: str) -> ActivityLog:
        """The plan's whole activity log."""
        ...

    def save_review(self, plan_id: str, review: Mapping[str, Any]) -> int:
        """Keep a review (JSON data) in the plan's history; returns its number, 1 for the
        plan's first review.

        Data JSON cannot hold (a date, a set, ``NaN``) raises
        :class:`~netplan.core.errors.ValidationError`, whose message says JSON, and
        nothing is kept."""
        ...

    def reviews(self, plan_id: str) -> tuple[dict[str, Any], ...]:
        """The plan's reviews, oldest first, as JSON reads them back (a tuple as a list)."""
        ...

    def close(self) -> None:
        """Release files and connections; the store cannot be used afterwards: every
        call raises a :class:`~netplan.core.errors.NetplanError` (netplan's own stores a
        ``ValidationError``, "the store is closed; open it again") naming no file or
        server."""
        ...

    def __enter__(self) -> Store:
        """Stores are context managers: ``with netplan.open(url) as store:`` closes it."""
        ...

    def __exit__(self, *exc_info: object) -> None: ...


@runtime_checkable
class CorrectableStore(Store, Protocol):
    """A store that keeps the corrections of each plan's log (contacts merged, a contact
    or interactions removed) in a history, and undoes them.

    netplan's own stores are all correctable (they declare :attr:`Capability.CHANGES`);
    a plugin's store may not be, since these methods came after the :class:`Store`
    protocol: ask for them through :func:`correctable`, which says so clearly.
    """

    def change(self, plan_id: str, change: LogChange) -> int:
        """Make ``change`` (from :meth:`~netplan.ActivityLog.merge_contacts`,
        :meth:`~netplan.ActivityLog.remove_contact` or
        :meth:`~netplan.ActivityLog.remove_interactions` on the plan's log) to the plan's
        log and keep it in the plan's history, all or nothing; returns its number (1 for
        the first). See :func:`check_change` and :meth:`~netplan.ActivityLog.apply` for
        what is refused."""
        ...

    def changes(self, plan_id: str) -> tuple[LogChange, ...]:
        """The plan's history of changes, oldest first, each with its ``number``; an
        undo is a change too, whose ``undoes`` names the change it reversed."""
        ...

    def undo(self, plan_id: str) -> LogChange:
        """Undo the latest change that is neither an undo nor undone yet, all or nothing:
        apply its inverse and keep that in the history too; returns it, numbered. Undoing
        again undoes the change before (see :func:`undo_of`).

        Raises :class:`~netplan.core.errors.NotFoundError` when there is nothing to undo, and
        :class:`~netplan.core.errors.ConflictError` when the log has changed in a way the
        undo cannot go back over (a merged contact edited since, say)."""
        ...


@runtime_checkable
class AppendingStore(CorrectableStore, Protocol):
    """A correctable store that finds a contact and logs to a plan's log without reading
    the whole log: what ``netplan log met NAME`` needs on a network of 100,000 people.
    The SQLite and PostgreSQL stores are ones; the command line reads the whole log from
    any other store."""

    def find_contacts(self, plan_id: str, who: str) -> tuple[Contact, ...]:
        """The contact whose id is ``who``; else those whose name is ``who`` in any case
        and spacing, in the log's order (none: nobody of that id or name)."""
        ...

    def name_keys(self, plan_id: str) -> tuple[tuple[str, str], ...]:
        """Every contact's id and name key (:func:`~netplan.core.network.name_key`: its
        name in any case and spacing; a NUL or a lone surrogate, which a database's text
        cannot hold, as its ``\\uXXXX`` escape), by key then id: what a name a person
        typed and nobody has is matched against ("did you mean...?"), and the ids a new
        contact's must differ from, without reading the log."""
        ...

    def add_change(
        self,
        plan_id: str,
        *records: Contact | Organization | Event | Interaction,
        replace: Iterable[Contact | Organization | Event] = (),
        description: str,
    ) -> LogChange:
        """:meth:`~netplan.ActivityLog.add_change` on the plan's log, kept in its
        history as :meth:`~CorrectableStore.change` keeps a change (so ``undo`` takes it
        back), all or nothing; returns the change, numbered. Refuses what
        :meth:`~netplan.ActivityLog.add_change` refuses."""
        ...


@runtime_checkable
class ListingStore(Store, Protocol):
    """A store that lists a page of a plan's contacts, by name, without reading the log:
    what ``netplan contacts`` shows first on a network of 100,000 people. The SQLite and
    PostgreSQL stores are ones; the command line reads the whole log from any other."""

    def contact_page(
        self,
        plan_id: str,
        *,
        tag: str | None = None,
        tier: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[tuple[tuple[Contact, dt.datetime | None, Organization | None], ...], int]:
        """The plan's contacts with ``tag`` and of ``tier`` (when given), by name (case
        folded and spaces collapsed, then id), from the ``offset``-th, at most ``limit``
        of them, each with its last interaction (None: never) and its organization; and
        how many there are in all."""
        ...


@runtime_checkable
class BatchStore(Store, Protocol):
    """A store that writes a :class:`~netplan.core.batch.Batch` its own way (column by
    column), rather than record by record through :meth:`Store.add`, and keeps a version
    of each log, so that a write planned from a log refuses to land on a newer one
    (every netplan store is one)."""

    def log_version(self, plan_id: str) -> int:
        """A number that changes with every write to the plan's log (``add``,
        ``add_batch``, ``update``, ``change``, ``undo``): read it before the log a write
        is planned from, and pass it to :meth:`add_batch` as ``expected_version``.

        Only equality means anything: the database stores count the writes, the JSON
        store takes a digest of the log as written (so its file holds nothing more)."""
        ...

    def add_batch(
        self,
        plan_id: str,
        batch: Batch,
        *,
        replace: Iterable[Contact | Organization | Event] = (),
        expected_version: int | None = None,
    ) -> None:
        """:meth:`Store.add` for a batch: its records, contacts and interactions added
        (and ``replace`` replaced) all or nothing, checked as :meth:`Store.add` checks
        them (:func:`~netplan.core.batch.check_batch`).

        With ``expected_version``, the write is refused with
        :class:`~netplan.core.errors.ConflictError` (see :func:`stale_log`) unless the
        log is still at that :meth:`log_version`, checked in the same transaction as the
        write: an import planned from a log that another writer changed since is not
        written, and can be retried whole."""
        ...


def log_version(store: Store, plan_id: str) -> int | None:
    """The plan's :meth:`BatchStore.log_version`, or None for a plugin's store that
    keeps no version (whose writes are then not checked against one)."""
    read = getattr(store, "log_version", None)
    return read(plan_id) if callable(read) else None


def add_batch(
    store: Store,
    plan_id: str,
    batch: Batch,
    *,
    replace: Iterable[Contact | Organization | Event] = (),
    expected_version: int | None = None,
) -> None:
    """Write ``batch`` (and ``replace``) to the plan's log in ``store``, all or nothing:
    with the store's own ``add_batch`` (:class:`BatchStore`; netplan's stores write it
    column by column, checked against ``expected_version`` when given), else through
    :meth:`Store.add`, record by record, so a plugin's store written before batches
    keeps working."""
    write = getattr(store, "add_batch", None)
    if callable(write):
        if expected_version is None:
            write(plan_id, batch, replace=tuple(replace))
        else:
            write(plan_id, batch, replace=tuple(replace), expected_version=expected_version)
    else:
        store.add(plan_id, *batch, replace=tuple(replace))


def stale_log(plan_id: str) -> ConflictError:
    """The error every backend raises when a batch was planned from another version of
    the plan's log than the one stored (another import or edit landed in between)."""
    return ConflictError(
        f"the activity log of plan {plan_id!r} changed while this was being prepared: "
        "nothing was written; read the log again and retry (an import: run it again)"
    )


def check_version(plan_id: str, stored: int, expected: int | None) -> None:
    """Raise :func:`stale_log` unless ``expected`` is None or the ``stored`` version."""
    if expected is None:
        return
    if not isinstance(expected, int) or isinstance(expected, bool):
        raise ValidationError(
            "add_batch.expected_version",
            expected,
            "must be a log version (store.log_version(plan_id)) or None",
        )
    if stored != expected:
        raise stale_log(plan_id)


def check_page(owner: object, limit: object, after: object) -> None:
    """What every :meth:`Store.plans` refuses: an ``owner`` or ``after`` that is not
    text, a ``limit`` that is not a positive whole number."""
    for name, value in (("owner", owner), ("after", after)):
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"plans.{name}", value, "must be text (a plan's id, an owner)")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValidationError("plans.limit", limit, "must be a whole number of 1 or more")


def page(ids: Iterable[str], *, limit: int | None, after: str | None) -> tuple[str, ...]:
    """One page of ``ids``: sorted, those after ``after``, at most ``limit`` of them."""
    chosen = sorted(ids if after is None else (i for i in ids if i > after))
    return tuple(chosen if limit is None else chosen[:limit])


def correctable(store: Store) -> CorrectableStore:
    """``store``, as a :class:`CorrectableStore`.

    Raises:
        PluginError: its backend keeps no history of changes (a plugin's store written
            before :class:`CorrectableStore`): the message names the store and says what
            it lacks.
    """
    missing = [m for m in ("change", "changes", "undo") if not callable(getattr(store, m, None))]
    if Capability.CHANGES in store.capabilities and not missing:
        return cast(CorrectableStore, store)
    lacks = (
        f"it has no {', '.join(f'{m}()' for m in missing)}"
        if missing
        else "it does not declare Capability.CHANGES"
    )
    raise PluginError(
        f"the store {store.url} ({type(store).__name__}) cannot merge, remove or undo "
        f"records of a log: {lacks} (netplan.storage.CorrectableStore); upgrade the plugin "
        "that provides it, or copy the plan to a netplan store (sqlite://, json://)"
    )


def check_change(change: object) -> LogChange:
    """What every :meth:`CorrectableStore.change` refuses before looking at the log: a
    value that is not a :class:`~netplan.core.log.LogChange`, and an undo made by hand (its
    ``undoes`` set: record undos with :meth:`CorrectableStore.undo`). A change's own
    ``number`` is ignored: the store numbers it."""
    if not isinstance(change, LogChange):
        raise ValidationError(
            "change.change",
            change,
            "must be a LogChange, such as log.merge_contacts(...) returns",
        )
    if change.undoes is not None:
        raise ValidationError(
            "change.undoes",
            change.undoes,
            "is set by undo(): undo a change with store.undo(plan_id)",
        )
    return change


def undo_of(history: Sequence[LogChange], plan_id: str) -> LogChange:
    """What :meth:`CorrectableStore.undo` applies: the inverse of the latest change of
    ``history`` that is neither an undo nor undone yet (so undoing again and again walks
    back through the changes; an undo is never undone).

    Raises:
        NotFoundError: every change is undone, or there is none.
    """
    undone = {c.undoes for c in history if c.undoes is not None}
    for change in reversed(history):
        if change.undoes is None and change.number not in undone:
            return change.inverse()
    raise NotFoundError(
        "change to undo in plan",
        plan_id,
        "every change of this plan's log is undone already"
        if history
        else "nothing was merged or removed in this plan's log yet",
    )


class StoreOpener(Protocol):
    """What a backend registers for its URL scheme: opens (or, with ``create``, makes) a store.

    Without ``create``, a missing store raises :class:`~netplan.core.errors.StoreNotFoundError`.
    """

    def __call__(self, url: StoreURL, *, create: bool) -> Store: ...


def no_plan(plan_id: object) -> NotFoundError:
    """The error every backend raises for a plan it does not hold. It names that plan
    alone: a host serving many people shows it to one of them, so it lists no other
    plan of the store (``store.plans()`` does, for a caller allowed to see them)."""
    return NotFoundError("plan", plan_id, "save it first, or check its id")


def conflict(plan_id: str, stored: int, revision: int, where: str) -> ConflictError:
    """The error every backend raises when a save would overwrite a newer revision. Its
    message says "in the store"; ``where`` (the store's URL, which may name a file or a
    server) is in its ``detail`` alone."""
    return store_error(
        ConflictError,
        "the store",
        where,
        f"plan {plan_id!r} is at revision {stored} in {{store}}, but this copy descends "
        f"from revision {revision}: load it again, reapply your change, and save",
    )
