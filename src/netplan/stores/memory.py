"""``memory://``: a store held in this process, gone when it ends.

It is also the reference the storage contract compares every other backend with, so it
is kept as plain as possible.
"""

from __future__ import annotations

import copy
import functools
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

import attrs

from netplan.core.batch import Batch
from netplan.core.errors import (
    MISSING,
    NotFoundError,
    StoreNotFoundError,
    ValidationError,
    store_error,
)
from netplan.core.log import ActivityLog, LogChange, Record
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

__all__ = ["MemoryStore"]

P = ParamSpec("P")
R = TypeVar("R")


def _atomic(
    method: Callable[Concatenate[MemoryStore, P], R],
) -> Callable[Concatenate[MemoryStore, P], R]:
    """One call at a time: threads sharing the store see each call whole (a log is never
    copied while another thread appends to it, two saves never take one revision)."""

    @functools.wraps(method)
    def atomic(self: MemoryStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)

    return atomic


class MemoryStore:
    """Plans, logs, reviews and the logs' changes in dictionaries. One call at a time:
    threads may share it."""

    capabilities: frozenset[Capability] = frozenset({Capability.CHANGES})

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._revisions: dict[str, list[Plan]] = {}
        self._logs: dict[str, ActivityLog] = {}
        self._reviews: dict[str, list[dict[str, Any]]] = {}
        self._changes: dict[str, list[LogChange]] = {}
        self._versions: dict[str, int] = {}
        self._closed = False
        self._lock = threading.RLock()

    @classmethod
    def open(cls, url: StoreURL, *, create: bool) -> MemoryStore:
        if url.location:
            raise store_error(
                StoreNotFoundError,
                "the memory store's URL",
                url.text,
                "{store}: a memory store has no location; use 'memory://'",
            )
        return cls(url.text)

    def _check_open(self) -> None:
        if self._closed:
            raise ValidationError("store", MISSING, "the store is closed; open it again")

    def _history(self, plan_id: str) -> list[Plan]:
        self._check_open()
        try:
            return self._revisions[plan_id]
        except KeyError:
            raise no_plan(plan_id) from None

    @_atomic
    def plans(
        self, *, owner: str | None = None, limit: int | None = None, after: str | None = None
    ) -> tuple[str, ...]:
        self._check_open()
        check_page(owner, limit, after)
        held = (
            self._revisions
            if owner is None
            else [key for key, history in self._revisions.items() if history[-1].owner == owner]
        )
        return page(held, limit=limit, after=after)

    @_atomic
    def save(self, plan: Plan) -> Plan:
        self._check_open()
        if not isinstance(plan, Plan):
            raise ValidationError("save.plan", plan, "must be a Plan")
        history = self._revisions.get(plan.id, [])
        head = len(history)
        if plan.revision != head:
            raise conflict(plan.id, head, plan.revision, self.url)
        saved = attrs.evolve(plan, revision=head + 1)
        self._revisions.setdefault(plan.id, history).append(saved)
        self._logs.setdefault(plan.id, ActivityLog())
        self._reviews.setdefault(plan.id, [])
        self._changes.setdefault(plan.id, [])
        self._versions.setdefault(plan.id, 0)
        return saved

    @_atomic
    def load(self, plan_id: str, revision: int | None = None) -> Plan:
        history = self._history(plan_id)
        if revision is None:
            return history[-1]
        if not isinstance(revision, int) or not 1 <= revision <= len(history):
            raise NotFoundError(
                "revision", revision, f"plan {plan_id!r} has revisions 1 to {len(history)}"
            )
        return history[revision - 1]

    @_atomic
    def revisions(self, plan_id: str) -> tuple[int, ...]:
        return tuple(range(1, len(self._history(plan_id)) + 1))

    @_atomic
    def delete(self, plan_id: str) -> None:
        self._history(plan_id)
        del self._revisions[plan_id], self._logs[plan_id], self._reviews[plan_id]
        del self._changes[plan_id], self._versions[plan_id]

    @_atomic
    def add(
        self,
        plan_id: str,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
    ) -> None:
        self._history(plan_id)
        replaced = tuple(replace)
        if not replaced:
            self._logs[plan_id].add(*records)
        else:
            # On a copy, swapped in once everything succeeded: all or nothing.
            log = self._logs[plan_id].copy()
            log.add(*records)
            for record in replaced:
                log.update(record)
            self._logs[plan_id] = log
        self._versions[plan_id] += 1

    @_atomic
    def add_batch(
        self,
        plan_id: str,
        batch: Batch,
        *,
        replace: Iterable[Contact | Organization | Event] = (),
        expected_version: int | None = None,
    ) -> None:
        self._history(plan_id)
        check_version(plan_id, self._versions[plan_id], expected_version)
        replaced = tuple(replace)
        if not replaced:
            self._logs[plan_id].add_batch(batch)  # all or nothing by itself: no copy
        else:
            # On a copy, swapped in once everything succeeded, as add() does.
            log = self._logs[plan_id].copy()
            log.add_batch(batch)
            for record in replaced:
                log.update(record)
            self._logs[plan_id] = log
        self._versions[plan_id] += 1

    @_atomic
    def log_version(self, plan_id: str) -> int:
        self._history(plan_id)
        return self._versions[plan_id]

    @_atomic
    def update(self, plan_id: str, record: Contact | Organization | Event) -> None:
        self._history(plan_id)
        self._logs[plan_id].update(record)
        self._versions[plan_id] += 1

    @_atomic
    def load_log(self, plan_id: str) -> ActivityLog:
        self._history(plan_id)
        return self._logs[plan_id].copy()

    @_atomic
    def change(self, plan_id: str, change: LogChange) -> int:
        self._history(plan_id)
        return self._record(plan_id, check_change(change)).number

    @_atomic
    def changes(self, plan_id: str) -> tuple[LogChange, ...]:
        self._history(plan_id)
        return tuple(self._changes[plan_id])

    @_atomic
    def undo(self, plan_id: str) -> LogChange:
        self._history(plan_id)
        return self._record(plan_id, undo_of(self._changes[plan_id], plan_id))

    def _record(self, plan_id: str, change: LogChange) -> LogChange:
        history = self._changes[plan_id]
        kept = attrs.evolve(change, number=len(history) + 1)
        self._logs[plan_id].apply(change)  # all or nothing: checks, then swaps in the new log
        history.append(kept)
        self._versions[plan_id] += 1
        return kept

    @_atomic
    def save_review(self, plan_id: str, review: Mapping[str, Any]) -> int:
        self._history(plan_id)
        if not isinstance(review, Mapping):
            raise ValidationError("save_review.review", review, "must be a mapping of JSON data")
        # Through JSON, as a file or database store would: only JSON data is kept.
        try:
            kept = json.loads(json.dumps(dict(review), allow_nan=False))
        except (TypeError, ValueError) as error:
            raise ValidationError(
                "save_review.review", review, f"must be JSON data ({error})"
            ) from None
        self._reviews[plan_id].append(kept)
        return len(self._reviews[plan_id])

    @_atomic
    def reviews(self, plan_id: str) -> tuple[dict[str, Any], ...]:
        self._history(plan_id)
        return tuple(copy.deepcopy(r) for r in self._reviews[plan_id])

    @_atomic
    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._revisions)} plans)"
