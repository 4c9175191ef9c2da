"""The domain core stays pure: no I/O, no clock, no plugin manager, no optional imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import netplan

CORE = Path(netplan.__file__).parent
ALLOWED_IMPORTS = {
    "__future__", "array", "attrs", "bisect", "cattrs", "collections", "contextvars", "dataclasses",
    "contextlib", "copy", "datetime", "dateutil", "decimal", "enum", "functools", "gc", "heapq", "itertools", "math",
    "fractions", "netplan", "operator", "types", "re", "typing", "unicodedata", "difflib",
    "phonenumbers", "chardet", "warnings",
}  # fmt: skip
# The zone database, read-only and cached, is the one thing of the system the core reads
# (docs/architecture.md): only netplan.zones may load it.
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
    return list(CORE.glob("*.py"))


def test_core_imports_only_pure_modules() -> None:
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            allowed = ALLOWED_IMPORTS | (ZONE_DATABASE if path.name == "zones.py" else set())
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_core_never_reads_the_clock_or_files() -> None:
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}()"


def test_importing_netplan_loads_no_plugin_machinery() -> None:
    # Plugins are found when a host asks for them, never as a side effect of an import.
    code = "import sys, netplan; print(sorted(m for m in ('pluggy', 'importlib.metadata') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pluggy" not in out.stdout
