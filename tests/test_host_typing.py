"""A host application type-checks its calls into netplan: the plugin host's
``import_files`` and ``review`` (and the module-level ones) spell out the options of the
functions they call, so ``mypy --strict`` on the host catches a wrong kind of value, a
misspelled option, an upload of the wrong type."""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netplan.app import files
from netplan.core import evaluation
from netplan.plugins import host

SNIPPET = """
import datetime as dt
import io
from pathlib import Path

import netplan
from netplan.plugins import PluginHost

DAY = dt.date(2026, 12, 1)


def good(
    store: netplan.Store, host: PluginHost, plan: netplan.Plan, log: netplan.ActivityLog,
    upload: bytes,
) -> None:
    netplan.import_files(store, plan.id, Path("contacts.vcf"), dry_run=True, today=DAY)
    host.import_files(store, plan.id, upload, name="contacts.vcf", max_bytes=1_000_000)
    host.import_files(store, plan.id, io.BytesIO(upload), name="export.zip", me=["me@x.org"])
    netplan.review(plan, log, DAY, risk_days=3, history=4)
    host.review(plan, log, DAY, rules=[], metrics=host.metrics)


def bad(
    store: netplan.Store, host: PluginHost, plan: netplan.Plan, log: netplan.ActivityLog,
    upload: bytes,
) -> None:
    netplan.import_files(store, plan.id, "contacts.vcf", dry_run="yes")  # BAD arg-type
    host.import_files(store, plan.id, upload, name=b"contacts.vcf")  # BAD arg-type
    host.import_files(store, plan.id, upload, dryrun=True)  # BAD call-arg
    host.import_files(store, plan.id, 42, name="contacts.vcf")  # BAD arg-type
    netplan.import_files(store, plan.id, upload, today="2026-12-01")  # BAD arg-type
    netplan.review(plan, log, DAY, risk_days="2")  # BAD arg-type
    host.review(plan, log, DAY, rules="smart_goal")  # BAD arg-type
"""


def _keywords(function: Callable[..., Any], *leave_out: str) -> dict[str, tuple[Any, Any]]:
    """Each keyword-only parameter's default and annotation (as written)."""
    return {
        name: (parameter.default, parameter.annotation)
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name not in leave_out
    }


@pytest.mark.parametrize("imports", [host.PluginHost.import_files, host.import_files])
def test_the_host_imports_with_the_options_of_import_files(imports: Callable[..., Any]) -> None:
    assert _keywords(imports) == _keywords(files.import_files)
    path = inspect.signature(imports).parameters["path"]
    assert path.annotation == inspect.signature(files.import_files).parameters["path"].annotation


@pytest.mark.parametrize("reviews", [host.PluginHost.review, host.review])
def test_the_host_reviews_with_the_options_of_review(reviews: Callable[..., Any]) -> None:
    own = _keywords(evaluation.review, "sources", "_run", "_habits")
    assert {k: v for k, v in _keywords(reviews).items() if k not in {"metrics", "rules"}} == own
    # The metrics and rules are the host's installed ones unless given.
    assert {k: v[0] for k, v in _keywords(reviews).items() if k in {"metrics", "rules"}} == {
        "metrics": None,
        "rules": None,
    }


def test_mypy_strict_catches_a_wrong_option_in_a_host(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "coaching_host.py"
    snippet.write_text(textwrap.dedent(SNIPPET), encoding="utf-8")
    config = tmp_path / "mypy.ini"  # the host's own settings, not this repository's
    config.write_text("[mypy]\n", encoding="utf-8")
    out, err, status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--show-error-codes",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--config-file",
            str(config),
            str(snippet),
        ]
    )
    assert err == ""
    lines = snippet.read_text(encoding="utf-8").splitlines()
    wanted = {
        number: code
        for number, line in enumerate(lines, 1)
        if (code := re.search(r"# BAD (\S+)", line)) is not None
    }
    found: dict[int, set[str]] = {}
    for message in out.splitlines():
        if ": note: " in message:  # where the function is defined, what it takes
            continue
        where = re.match(rf"{re.escape(str(snippet))}:(\d+): error: .*\[([\w-]+)\]$", message)
        assert where is not None, f"not an error of a line marked BAD: {message}"
        found.setdefault(int(where[1]), set()).add(where[2])
    assert status == 1
    assert {number: {code[1]} for number, code in wanted.items()} == found, out
