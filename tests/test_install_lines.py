"""Every ``pip install`` line a person may copy (README, docs, notebooks, the example plugin,
and netplan's own error messages) installs *this* project.

``netplan`` on the package index is an unrelated network-configuration parser; this
project is published as ``networking-action-plan`` (the import and the command stay
``netplan``). A line naming ``netplan`` from the index, or an extra pyproject.toml does not
declare, installs the wrong thing or fails: this test finds every such line.

A plugin package made by ``netplan plugin new`` is checked too: in its templates
(``src/netplan/plugins/template/files/*.tmpl``) and on a page that makes one, a line
installing it (``./netplan-mentoring[test]``, or the name once published) must name the
extras its pyproject.toml declares.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from netplan.plugins.template import render

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DISTRIBUTION = PYPROJECT["project"]["name"]
EXTRAS = set(PYPROJECT["project"]["optional-dependencies"])

# Tools the docs install beside netplan, and what they are for.
OTHER_TOOLS = {"nox", "build", "twine", "pytest", "hypothesis", "jupyterlab", "mypy", "ruff"}
# The extras of every package `netplan plugin new` writes.
PLUGIN_EXTRAS = set(
    tomllib.loads(render("netplan-any")["pyproject.toml"])["project"]["optional-dependencies"]
)

# What follows "pip install" up to the end of the command as written in prose or code.
INSTALL = re.compile(r"pip install((?:[ \t]+(?:\\\n[ \t]*)?(['\"]?)[^\s'\"`)]+\2)+)")
WORD = re.compile(r"(['\"]?)([^\s'\"`)]+)\1")


def sources() -> list[Path]:
    docs = (p for p in (ROOT / "docs").rglob("*.md") if "_build" not in p.parts)
    return sorted(
        [
            ROOT / "README.md",
            *docs,
            *(ROOT / "examples").rglob("README.md"),
            *(ROOT / "examples").rglob("*.ipynb"),
            *(ROOT / "src" / "netplan").rglob("*.py"),
            *(ROOT / "src" / "netplan").rglob("*.tmpl"),
        ]
    )


def install_lines(path: Path) -> list[tuple[int, list[str]]]:
    # Quotes escaped in Python strings and notebooks' JSON are quotes all the same.
    text = path.read_text(encoding="utf-8").replace('\\"', '"')
    found = []
    for match in INSTALL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        words = [m.group(2) for m in WORD.finditer(match.group(1).replace("\\\n", " "))]
        found.append((line, words))
    return found


def requirements(words: list[str]) -> list[str]:
    """The requirement words of one ``pip install``: its options and their values dropped,
    stopping where the next command of a line begins."""
    kept = []
    for word in words:
        if word in {"&&", ";", "|", "#"}:
            break
        if word.startswith("-"):
            continue
        kept.append(word if set(word) <= {".", "/"} else word.rstrip(".,);:"))
    return kept


def plugins_made(path: Path) -> set[str]:
    """The plugin packages ``path`` makes with ``netplan plugin new NAME``; a template's
    own is ``${distribution}``."""
    text = path.read_text(encoding="utf-8")
    made = set(re.findall(r"netplan plugin new ([\w.-]+)", text))
    return made | {"${distribution}"} if path.name.endswith(".tmpl") else made


def checked(path: Path) -> list[str]:
    """What is wrong with the install lines of ``path``, one message per line."""
    problems = []
    made = plugins_made(path)
    for line, words in install_lines(path):
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        where = f"{shown}:{line}"
        for requirement in requirements(words):
            name, _, extras = requirement.partition("[")
            chosen = {e.strip() for e in extras.rstrip("]").split(",") if e.strip()}
            if name.startswith((".", "/", "~")):
                local = path.parent if name.startswith(".") and "examples" in path.parts else ROOT
                if name.rstrip("/").rpartition("/")[2] in made or (
                    name in {".", "./"} and path.name.endswith(".tmpl")
                ):
                    declared = PLUGIN_EXTRAS
                else:
                    declared = EXTRAS if name in {".", "./"} else _extras_of(local, name)
            elif name == DISTRIBUTION:
                declared = EXTRAS
            elif name in made:
                declared = PLUGIN_EXTRAS
            elif name.lower() in OTHER_TOOLS or name.startswith(("<", "{")):
                continue  # a tool, or a placeholder (`<your-plugin>`, `{folder}` in code)
            else:
                problems.append(f"{where}: installs {name!r}, not {DISTRIBUTION!r}")
                continue
            for extra in sorted(chosen - declared):
                problems.append(f"{where}: {requirement!r}: no extra {extra!r} in pyproject.toml")
    return problems


def _extras_of(base: Path, name: str) -> set[str]:
    for folder in (base / name, ROOT / name):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            return set(data["project"].get("optional-dependencies", {}))
    return set()


def test_the_distribution_is_not_the_index_s_other_netplan() -> None:
    assert DISTRIBUTION == "networking-action-plan"
    assert "netplan" in PYPROJECT["project"]["scripts"]


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_install_line_names_the_distribution_and_real_extras(path: Path) -> None:
    assert checked(path) == []


def test_the_check_sees_a_wrong_name_and_a_missing_extra(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "pip install netplan\n"
        "`pip install 'networking-action-plan[calendars]'`\n"
        "pip install 'networking-action-plan[icalendar,pandas]' nox\n"
        "pip install -U networking-action-plan && netplan --version\n",
        encoding="utf-8",
    )
    assert checked(page) == [
        "page.md:1: installs 'netplan', not 'networking-action-plan'",
        "page.md:2: 'networking-action-plan[calendars]': no extra 'calendars' in pyproject.toml",
    ]
    page.write_text(
        "netplan plugin new netplan-mentoring\n"
        "pip install -e './netplan-mentoring[test]' && pip install netplan-mentoring\n"
        "pip install './netplan-mentoring[docs]' netplan-crm\n",
        encoding="utf-8",
    )
    assert checked(page) == [
        "page.md:3: './netplan-mentoring[docs]': no extra 'docs' in pyproject.toml",
        "page.md:3: installs 'netplan-crm', not 'networking-action-plan'",
    ]


def test_the_docs_and_messages_do_install_lines() -> None:
    """The test reads real lines: the docs tell users to install the distribution, and the
    messages of missing extras name it."""
    seen = {
        (path.name, tuple(requirements(words)))
        for path in sources()
        for _, words in install_lines(path)
    }
    assert ("index.md", (DISTRIBUTION,)) in seen
    assert ("icalendar.py", (f"{DISTRIBUTION}[icalendar]",)) in seen
    assert ("frames.py", (f"{DISTRIBUTION}[pandas]",)) in seen
