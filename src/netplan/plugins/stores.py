"""netplan's own stores, registered through the stores hook exactly as a plugin's are.

Each store is a plugin of its own, named after the module that holds it
(``netplan.stores.sqlite``...), so one can be blocked by name
(``NETPLAN_DISABLE_PLUGINS=netplan.stores.jsonfile``); the stores themselves know
nothing of plugins.
"""

from __future__ import annotations

from netplan.plugins._markers import hookimpl
from netplan.plugins.hookspecs import StoreRegister
from netplan.storage import Store, StoreOpener, StoreURL
from netplan.stores.jsonfile import JsonStore
from netplan.stores.memory import MemoryStore
from netplan.stores.sqlite import SqliteStore


class _Backend:
    """Registers one store for its schemes."""

    def __init__(self, opener: StoreOpener, *schemes: str) -> None:
        self.schemes = schemes
        self.opener = opener

    @hookimpl
    def netplan_register_stores(self, register: StoreRegister) -> None:
        for scheme in self.schemes:
            register(scheme, self.opener)


memory = _Backend(MemoryStore.open, "memory")
"""``memory://``: a store that lasts as long as the process."""
sqlite = _Backend(SqliteStore.open, "sqlite")
"""``sqlite:///path/plans.db``: the default store."""
jsonfile = _Backend(JsonStore.open, "json")
"""``json:///path/plan.json``: one JSON file, readable and diffable."""


def _open_postgres(url: StoreURL, *, create: bool) -> Store:
    # psycopg is imported for a postgresql:// URL only: every command on a SQLite store
    # would otherwise pay for it (a sixth of a second) at start.
    from netplan.stores.postgres import PostgresStore

    return PostgresStore.open(url, create=create)


postgres = _Backend(_open_postgres, "postgresql", "postgres")
"""``postgresql://user@host/db``: a PostgreSQL server (the ``postgres`` extra)."""
