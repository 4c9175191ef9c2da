"""The storage port: what every store backend provides, and how a URL names a store.

A store holds many plans, each with its revision history, its activity log and its
review history. Backends are plugins: netplan's own (``memory://``, ``sqlite:///...``,
``json:///...``) register through the same hook as a third party's, and the URL's scheme
picks one. This module is pure: it defines the contract, the backends implement it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

from attrs import frozen

from netplan.errors import ConflictError, ValidationError
from netplan.log import ActivityLog, Record
from netplan.network import Contact, Event, Organization
from netplan.plan import Plan

__all__ = ["Capability", "Store", "StoreOpener", "StoreURL", "conflict", "parse_url"]


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
    they were asked to, or raise and change nothing."""

    url: str
    """The URL the store was opened with."""
    capabilities: frozenset[Capability]

    def plans(self) -> tuple[str, ...]:
        """Ids of the plans held, sorted."""
        ...

    def save(self, plan: Plan) -> Plan:
        """Store ``plan`` as the next revision of its id and return it with that number.

        ``plan.revision`` must be the store's latest revision of that id (0 for a new
        plan); otherwise :class:`~netplan.errors.ConflictError`, and nothing is written.
        """
        ...

    def load(self, plan_id: str, revision: int | None = None) -> Plan:
        """The latest revision of a plan, or the given one
        (:class:`~netplan.errors.NotFoundError` if absent)."""
        ...

    def revisions(self, plan_id: str) -> tuple[int, ...]:
        """The revision numbers stored for a plan, oldest first."""
        ...

    def delete(self, plan_id: str) -> None:
        """Remove a plan with its revisions, log and reviews."""
        ...

    def add(
        self,
        plan_id: str,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        """Add records to a plan's activity log and replace those of ``replace`` (by id),
        all or nothing (see ActivityLog.add and update): an import adds and merges in one
        step, or not at all.

        Backends that keep the log in a database should append without rewriting the plan
        or the rest of the log (SQLite does: one row per interaction); a one-file backend
        such as JSON rewrites its file.
        """
        ...

    def update(self, plan_id: str, record: Contact | Organization | Event) -> None:
        """Replace a contact, organization or event of the plan's log that has the same id."""
        ...

    def load_log(self, plan_id: str) -> ActivityLog:
        """The plan's whole activity log."""
        ...

    def save_review(self, plan_id: str, review: Mapping[str, Any]) -> int:
        """Keep a review (JSON-compatible data) in the plan's history; returns its number."""
        ...

    def reviews(self, plan_id: str) -> tuple[dict[str, Any], ...]:
        """The plan's reviews, oldest first."""
        ...

    def close(self) -> None:
        """Release files and connections; the store cannot be used afterwards."""
        ...

    def __enter__(self) -> Store:
        """Stores are context managers: ``with netplan.open(url) as store:`` closes it."""
        ...

    def __exit__(self, *exc_info: object) -> None: ...


class StoreOpener(Protocol):
    """What a backend registers for its URL scheme: opens (or, with ``create``, makes) a store.

    Without ``create``, a missing store raises :class:`~netplan.errors.StoreNotFoundError`.
    """

    def __call__(self, url: StoreURL, *, create: bool) -> Store: ...


def conflict(plan_id: str, stored: int, revision: int, where: str) -> ConflictError:
    """The error every backend raises when a save would overwrite a newer revision."""
    return ConflictError(
        f"plan {plan_id!r} is at revision {stored} in {where}, but this copy descends from "
        f"revision {revision}: load it again, reapply your change, and save"
    )
