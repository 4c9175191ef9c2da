"""What docs/plugins.md shows of a plugin listing is what netplan prints: the report as
a table (``print(host.report())``) and the ``netplan plugins`` command."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import netplan
from _cli import run
from netplan.plugins import PluginHost, hookimpl
from netplan.plugins import host as plugin_host
from netplan.plugins.hookspecs import RuleRegister, SkillCatalogRegister

PAGE = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


class MentoringSkills:
    @hookimpl
    def netplan_register_skill_catalogs(self, register: SkillCatalogRegister) -> None:
        register("mentoring", [netplan.Skill("mentoring_others", "Mentoring others")])


class Buggy:
    @hookimpl
    def netplan_register_rules(self, register: RuleRegister) -> None:
        register("flaky", 1 / 0)  # type: ignore[arg-type]


def _host() -> PluginHost:
    logging.getLogger("netplan.plugins").setLevel(logging.ERROR)
    return PluginHost(entry_points=False, plugins=[MentoringSkills(), Buggy()], environ={})


def _block(after: str) -> list[str]:
    """The lines of the first ```text block of the page that follows ``after``."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(re.escape(after) + r".*?```text\n(.*?)```", text, flags=re.S)
    assert found, f"docs/plugins.md has no text block after {after!r}"
    return found.group(1).splitlines()


def _shown_in(expected: list[str], printed: str) -> None:
    """Every line the page shows is printed, in its order ("..." stands for lines left
    out; where a failure happened differs from run to run)."""
    where = re.compile(r"\(at [^)]*\)$")
    lines = [where.sub("(at …)", line.rstrip()) for line in printed.splitlines()]
    place = 0
    for line in expected:
        if line == "..." or line.startswith("$ "):
            continue
        wanted = where.sub("(at …)", line.rstrip())
        assert wanted in lines[place:], f"{wanted!r} is not printed (after line {place})"
        place = lines.index(wanted, place) + 1


def test_the_report_table_is_what_the_page_shows() -> None:
    _shown_in(_block("print it for a table"), str(_host().report()))


def test_the_plugins_command_prints_what_the_page_shows(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    host = _host()
    monkeypatch.setattr(plugin_host, "default_host", lambda: host)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "plugins")
    assert code == 0
    _shown_in(_block("The `netplan plugins` command lists"), out)
