"""A writer to be killed: ``python crash_worker.py STORE_URL`` saves revisions forever.

It opens (or creates) the store, continues from the latest revision of the plan
``crash-test`` and loops: save the next revision, print ``committed <revision>``; add the
next interaction, print ``added <count>``. Each line is printed (and flushed) only after
the call returned, so a line on stdout means the store promised that write. Everything it
writes is a function of the revision or interaction number, so the test can rebuild what
must be in the store after the worker is killed.

The backend is found through its ``netplan_register_stores`` hookimpl
(:mod:`netplan.plugins.stores`), called directly: the crash test does not depend on the
plugin host.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from typing import Any

import attrs

import netplan
from netplan.core.errors import NotFoundError
from netplan.storage import Store, StoreOpener, parse_url

PLAN_ID = "crash-test"
BACKENDS = {"json": "jsonfile", "sqlite": "sqlite"}
"""The object of netplan.plugins.stores whose hookimpl registers each URL scheme's backend."""

_START = dt.date(2026, 1, 1)
_FIRST = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
CONTACT = netplan.Contact("Ana Ruiz", id="ana")


def opener(scheme: str) -> StoreOpener:
    """The opener the backend module registers for ``scheme``."""
    backend = getattr(importlib.import_module("netplan.plugins.stores"), BACKENDS[scheme])
    found: dict[str, Any] = {}
    backend.netplan_register_stores(register=lambda name, opener: found.setdefault(name, opener))
    return found[scheme]  # type: ignore[no-any-return]


def open_store(url: str, *, create: bool) -> Store:
    """Open a store by URL with its backend's opener."""
    parsed = parse_url(url)
    return opener(parsed.scheme)(parsed, create=create)


def plan_for(revision: int) -> netplan.Plan:
    """The plan as stored at ``revision``: its size and content vary with the number, so
    a torn write of one revision cannot pass for another."""
    goals = [
        netplan.Goal(f"Goal {i} of revision {revision}", kind="find_job")
        for i in range(revision % 4)
    ]
    return netplan.Plan(
        "Crash test",
        start=_START,
        goals=goals,
        notes=f"revision {revision} " + "é" * (revision % 17),
        id=PLAN_ID,
        revision=revision,
    )


def interaction(number: int) -> netplan.Interaction:
    """The ``number``-th interaction the worker adds (1 for the first)."""
    return netplan.Interaction(
        "met",
        at=_FIRST + dt.timedelta(minutes=number),
        contact=CONTACT.id,
        notes=f"interaction {number} " + "n" * (number % 13),
    )


def main(url: str) -> None:
    store = open_store(url, create=True)
    try:
        revision = store.revisions(PLAN_ID)[-1]
        added = len(store.load_log(PLAN_ID))
    except NotFoundError:
        revision = added = 0
    while True:
        saved = store.save(attrs.evolve(plan_for(revision + 1), revision=revision))
        revision = saved.revision
        print(f"committed {revision}", flush=True)
        # The contact comes with the first interaction, in one all-or-nothing call.
        first = (CONTACT,) if added == 0 else ()
        store.add(PLAN_ID, *first, interaction(added + 1))
        added += 1
        print(f"added {added}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
