"""The modules netplan 0.2 moved, still importable by their old names for one release.

``import netplan.log`` gives the module ``netplan.core.log`` itself (the same object, so
what a test patches through the old name is patched), with a :class:`DeprecationWarning`
naming the new place. docs/architecture.md lists the layers the modules moved to.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence

_CORE = [
    "_encoding",
    "_lazy",
    "_rrule",
    "_validation",
    "_words",
    "actions",
    "agenda",
    "duplicates",
    "errors",
    "evaluation",
    "findings",
    "goals",
    "importing",
    "log",
    "metrics",
    "network",
    "pace",
    "periods",
    "plan",
    "rules",
    "schedule",
    "skills",
    "zones",
]

MOVED: dict[str, str] = {
    **{f"netplan.{name}": f"netplan.core.{name}" for name in _CORE},
    "netplan.serialize": "netplan.stores.serialize",
    "netplan.example": "netplan.testing.example",
    "netplan.history": "netplan.app.history",
    "netplan.plugins.files": "netplan.app.files",
}
"""Old module name: new module name."""


class _Alias(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        warnings.warn(
            f"{spec.name} moved to {self.new}: import it from there (the old name goes "
            "in netplan 0.3)",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(self.new)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # The import system gave the module the old name's spec: it keeps its own.
        module.__spec__ = self.spec


class MovedFinder(importlib.abc.MetaPathFinder):
    """Finds the old names of :data:`MOVED`."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


def install() -> None:
    """Lets the old names import (once, however often it is called)."""
    if not any(isinstance(finder, MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(MovedFinder())
    for old, new in MOVED.items():
        parent, _, child = old.rpartition(".")
        held = getattr(sys.modules.get(parent), child, None)
        if held is not None and not isinstance(held, types.ModuleType):
            # An import through the finder would set the package's attribute to the
            # module: netplan.agenda, the function, would become netplan.agenda, the
            # module. Known already, the old name imports without a warning.
            sys.modules.setdefault(old, importlib.import_module(new))
