"""The modules netplan 0.2 moved keep their old names for one release (issue 15)."""

from __future__ import annotations

import importlib
import sys

import pytest

from netplan._moved import MOVED

SHADOWED = {"netplan.agenda"}
"""Old names the package's own names hide (``netplan.agenda`` is the function)."""


@pytest.mark.parametrize(
    ("old", "new"), sorted(set(MOVED.items()) - {(o, MOVED[o]) for o in SHADOWED})
)
def test_an_old_module_name_imports_the_module_itself_with_a_warning(old: str, new: str) -> None:
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}: import it from there"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)
    assert module.__spec__ is not None and module.__spec__.name == new


def test_names_import_from_an_old_module_name() -> None:
    sys.modules.pop("netplan.log", None)
    with pytest.warns(DeprecationWarning, match="netplan.log moved to netplan.core.log"):
        from netplan.log import ActivityLog  # type: ignore[import-not-found]
    from netplan.core.log import ActivityLog as moved

    assert ActivityLog is moved


def test_every_old_name_is_gone_from_the_package() -> None:
    # Each moved module has one home: no file is left at the old place.
    for old in MOVED:
        assert importlib.util.find_spec(old.rpartition(".")[0]) is not None
        spec = importlib.machinery.PathFinder.find_spec(
            old, importlib.import_module(old.rpartition(".")[0]).__path__
        )
        assert spec is None, f"{old} still has a file"


def test_an_old_module_name_never_hides_the_package_name_it_shadows() -> None:
    import netplan

    module = importlib.import_module("netplan.agenda")
    assert module is importlib.import_module("netplan.core.agenda")
    assert callable(netplan.agenda) and netplan.agenda is module.agenda
