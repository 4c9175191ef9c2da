"""The examples in docstrings and in the README run, so they never rot."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

import netplan

ROOT = Path(__file__).resolve().parent.parent


def modules() -> list[ModuleType]:
    names = [m.name for m in pkgutil.walk_packages(netplan.__path__, "netplan.")]
    return [netplan, *(importlib.import_module(n) for n in sorted(names))]


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def python_blocks(path: Path) -> list[str]:
    """The ```python blocks, and the code of the ``.. plot::`` directives whose pictures
    the docs' build draws (in ```{eval-rst} blocks); ```py marks a sketch that is not
    meant to run alone."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for kind, body in re.findall(r"```(python|\{eval-rst\})\n(.*?)```", text, flags=re.S):
        if kind == "python":
            blocks.append(body)
        elif body.startswith(".. plot::"):
            code = re.sub(r"\A\.\. plot::\n(?:   :[a-z-]+:.*\n)*", "", body)
            blocks.append(textwrap.dedent(code))
    return blocks


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "README.md",
        *(p for p in sorted((ROOT / "docs").rglob("*.md")) if "_build" not in p.parts),
    ],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_markdown_python_examples_run(path: Path) -> None:
    namespace: dict[str, object] = {}
    for block in python_blocks(path):
        exec(compile(block, str(path), "exec"), namespace)


def test_every_public_name_is_documented() -> None:
    for name in netplan.__all__:
        obj = getattr(netplan, name)
        if isinstance(obj, type) or inspect.isfunction(obj):
            assert (obj.__doc__ or "").strip(), f"netplan.{name} has no docstring"
