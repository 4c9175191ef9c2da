"""The house's rules (docs/architecture.md): the domain core stays pure (no I/O, no clock,
no plugin manager, no optional imports, nothing of netplan outside it), and no module of
netplan imports itself back through others."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import netplan

PACKAGE = Path(netplan.__file__).parent
CORE = PACKAGE / "core"
ALLOWED_IMPORTS = {
    "__future__", "array", "attrs", "bisect", "cattrs", "collections", "contextvars", "dataclasses",
    "contextlib", "copy", "datetime", "dateutil", "decimal", "enum", "functools", "gc", "heapq", "itertools", "math",
    "fractions", "operator", "types", "re", "typing", "unicodedata", "difflib",
    "phonenumbers", "chardet", "warnings", "numpy",
}  # fmt: skip
# The zone database, read-only and cached, is the one thing of the system the core reads
# (docs/architecture.md): only netplan.core.zones may load it.
ZONE_DATABASE = {"zoneinfo", "importlib"}
FORBIDDEN_CALLS = {
    "open",
    "now",
    "today",
    "utcnow",
    "monotonic",
    "perf_counter",
    "input",
    "print",
    "eval",
    "exec",
}


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` names in an import (at any depth, under TYPE_CHECKING too),
    with its line: ``from a.b import c`` names ``a.b.c`` when that is a module, else
    ``a.b``."""
    names: list[tuple[int, str]] = []
    package = (
        module_name(path).rpartition(".")[0] if path.name != "__init__.py" else module_name(path)
    )
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.append((node.lineno, full if is_module(full) else base))
    return names


def is_module(name: str) -> bool:
    if not name.startswith("netplan"):
        return False
    relative = Path(*name.split("."))
    root = PACKAGE.parent
    return (root / relative).with_suffix(".py").is_file() or (
        root / relative / "__init__.py"
    ).is_file()


def test_the_core_imports_only_the_core_and_pure_libraries() -> None:
    for path in core_modules():
        allowed = ALLOWED_IMPORTS | (ZONE_DATABASE if path.name == "zones.py" else set())
        for line, name in imported(path):
            where = f"{path.relative_to(PACKAGE)}:{line} imports {name}"
            if name.split(".")[0] == "netplan":
                assert name == "netplan.core" or name.startswith("netplan.core."), where
            else:
                assert name.split(".")[0] in allowed, where


def test_core_never_reads_the_clock_or_files() -> None:
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}()"


def import_graph() -> dict[str, set[str]]:
    """Each module of netplan and the modules of netplan it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        graph[module_name(path)] = {
            name for _, name in imported(path) if name.split(".")[0] == "netplan"
        }
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in graph:
                continue
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back_through_others() -> None:
    graph = import_graph()
    assert "netplan.core.log" in graph and "netplan.cli" in graph  # the graph is read
    assert circles(graph) == []


LAYERS = (
    ("netplan.core", "netplan._version"),
    ("netplan.storage",),
    ("netplan.formats", "netplan.stores", "netplan.notebook"),
    ("netplan.app",),
    ("netplan.plugins",),
    ("netplan.testing", "netplan.cli", "netplan._moved", "netplan.__main__", "netplan"),
)
"""docs/architecture.md's floors, from the ground up: a module imports its own floor and
those below, never one above."""


def floor(module: str) -> int:
    for number, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(f"{p}.") for p in prefixes if p != "netplan"):
            return number
    assert module == "netplan", f"{module} is on no floor of docs/architecture.md"
    return len(LAYERS) - 1


def test_no_module_imports_one_above_it() -> None:
    upward = [
        f"{module} (floor {floor(module)}) imports {name} (floor {floor(name)})"
        for module, names in import_graph().items()
        for name in sorted(names)
        if floor(name) > floor(module)
    ]
    assert upward == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_importing_netplan_loads_no_plugin_machinery() -> None:
    # Plugins are found when a host asks for them, never as a side effect of an import.
    code = "import sys, netplan; print(sorted(m for m in ('pluggy', 'importlib.metadata') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pluggy" not in out.stdout


def test_numpy_waits_for_the_first_index_build() -> None:
    # Appending and listing never pay numpy's import; the first review's index build does.
    code = (
        "import sys, datetime as dt, netplan\n"
        "log = netplan.ActivityLog([netplan.Contact('Ana', id='ana')])\n"
        "for day in (2, 1):\n"
        "    at = dt.datetime(2026, 1, day, tzinfo=netplan.UTC)\n"
        "    log.add(netplan.Interaction('met', at, 'ana'))\n"
        "print('numpy' in sys.modules)\n"
        # A few local days in a zone whose clocks change are bisected, without numpy.
        "netplan.Zone.named('America/New_York').days(range(0, 255 * 86_400_000_000, 86_400_000_000))\n"
        "print('numpy' in sys.modules)\n"
        "log.count_first_seen()\n"
        "print('numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
_NOT_MODULES = ("tests/", "benchmarks/", "docs/", "examples/", "src/", ".ci/")


def test_the_architecture_names_every_module_and_only_modules_that_exist() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = {
        token
        for token in re.findall(r"`((?:[A-Za-z_]+/)*[A-Za-z_]+\.py)`", text)
        if not token.startswith(_NOT_MODULES) and token not in {"noxfile.py", "conftest.py"}
    }
    existing = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    assert sorted(named - existing) == [], "named in docs/architecture.md, but no such module"
    assert sorted(existing - named) == [], "modules docs/architecture.md does not name"


def test_the_public_names_are_listed_once_in_order_and_all_import() -> None:
    names = netplan.__all__
    assert names == sorted(set(names))
    for name in names:
        assert getattr(netplan, name) is not None, name
