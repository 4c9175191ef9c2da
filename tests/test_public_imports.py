"""What the guides tell people to import is public: every ``from netplan... import`` in a
Python block of the docs names a module the API reference documents, and a name it has.

A plugin author copies these lines; a name that moved, or a module that is private
(``netplan.formats._words``), would break their plugin on the next release."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
_BLOCK = re.compile(r"^```(?:python|py)\n(.*?)^```", re.DOTALL | re.MULTILINE)
_MODULE = re.compile(r"\.\. (?:py:module|automodule|currentmodule):: (\S+)")
_QUALIFIED = re.compile(r"\.\. auto(?:class|function|data):: (netplan\.[\w.]+)\.\w+")


def documented_modules() -> set[str]:
    """The modules the docs document (the API reference, and the hooks' page)."""
    found = {"netplan"}
    for page in DOCS.rglob("*.md"):
        if "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        found.update(_MODULE.findall(text))
        # A class documented by its full name documents its module's name for it.
        found.update(_QUALIFIED.findall(text))
    return found


def _programs() -> list[tuple[str, str]]:
    """(where, source) of each guide's Python block and each example plugin's module."""
    programs = []
    for page in sorted(DOCS.rglob("*.md")):
        if "_build" in page.parts or page.parent.name == "api":
            continue
        where = page.relative_to(DOCS).as_posix()
        programs.extend((where, block) for block in _BLOCK.findall(page.read_text("utf-8")))
    for module in sorted(EXAMPLES.glob("*/src/**/*.py")):
        programs.append((module.relative_to(ROOT).as_posix(), module.read_text("utf-8")))
    return programs


def imports_in_guides() -> list[tuple[str, str, str]]:
    """(where, module, name) for each name a guide or an example plugin imports from
    netplan (``netplan_example`` importing itself is not netplan)."""
    found = []
    for where, source in _programs():
        try:
            tree = ast.parse(source)
        except SyntaxError:  # a fragment (an excerpt with "..."), not a program
            continue
        for node in ast.walk(tree):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if module == "netplan" or module.startswith("netplan."):
                found.extend((where, module, alias.name) for alias in node.names)
    return found


def test_the_guides_import_names() -> None:
    assert len(imports_in_guides()) > 20  # the parsing found the guides' imports


@pytest.mark.parametrize(("page", "module", "name"), imports_in_guides())
def test_what_a_guide_imports_is_public_and_there(page: str, module: str, name: str) -> None:
    documented = documented_modules()
    assert module in documented or f"{module}.{name}" in documented, (
        f"{page} imports from {module}, which docs/api documents nowhere: import it from a "
        "documented module, or document the module"
    )
    assert hasattr(importlib.import_module(module), name), f"{page}: {module} has no {name}"
