"""netplan's own stores, registered through the stores hook exactly as a plugin's are.

Each store is a plugin of its own, named after the module that holds it
(``netplan.stores.sqlite``...), so one can be blocked by name
(``NETPLAN_DISABLE_PLUGINS=netplan.stores.jsonfile``); the stores themselves know
nothing of plugins.
"""

from __future__ import annotations

from netplan.plugins._markers import hookimpl
from netplan.plugins.hookspecs import StoreRegister
from netplan.storage import StoreOpener
from netplan.stores.jsonfile import JsonStore
from netplan.stores.memory import MemoryStore
from netplan.stores.sqlite import SqliteStore


class _Backend:
    """Registers one store for its scheme."""

    def __init__(self, scheme: str, opener: StoreOpener) -> None:
        self.scheme = scheme
        self.opener = opener

    @hookimpl
    def netplan_register_stores(self, register: StoreRegister) -> None:
        register(self.scheme, self.opener)


memory = _Backend("memory", MemoryStore.open)
"""``memory://``: a store that lasts as long as the process."""
sqlite = _Backend("sqlite", SqliteStore.open)
"""``sqlite:///path/plans.db``: the default store."""
jsonfile = _Backend("json", JsonStore.open)
"""``json:///path/plan.json``: one JSON file, readable and diffable."""
