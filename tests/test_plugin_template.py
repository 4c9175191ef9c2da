"""``netplan plugin new``: the package it writes, for every choice of hooks, works.

The generated modules are imported from the folder written (no install), and registered
with a host of their own, so every example is checked through the hooks the way netplan
uses it. Installing a generated package and running its own tests, ruff and mypy
--strict is the ``plugin_template`` nox session's job (a pip install is too slow here).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import netplan
from _cli import ok, run
from netplan import ValidationError
from netplan.plugins import PluginHost
from netplan.plugins.template import HOOKS, PluginNames, new_plugin, plugin_names, render

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "howto" / "write-a-plugin.md"
COMMON = [
    ".gitignore",
    "README.md",
    "pyproject.toml",
    "src/netplan_mentoring/__init__.py",
    "src/netplan_mentoring/py.typed",
    "tests/conftest.py",
    "tests/test_entry_point.py",
]
MODULES = {
    "metric": "metrics",
    "rule": "rules",
    "importer": "importers",
    "exporter": "exporters",
    "store": "store",
    "skills": "skills",
}
SELECTIONS = [HOOKS, *((hook,) for hook in HOOKS), ("store", "metric")]


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, tzinfo=dt.UTC)


# -- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "names"),
    [
        ("netplan-mentoring", ("netplan-mentoring", "netplan_mentoring", "mentoring", "mentoring")),
        ("Netplan_Mentoring.Hours", ("netplan-mentoring-hours", "netplan_mentoring_hours",
                                     "mentoring_hours", "mentoring-hours")),
        ("netplan-example-plugin", ("netplan-example-plugin", "netplan_example_plugin",
                                    "example", "example")),
        ("crm2", ("crm2", "crm2", "crm2", "crm2")),
    ],
)  # fmt: skip
def test_the_names_follow_from_the_package_s(name: str, names: tuple[str, ...]) -> None:
    assert plugin_names(name) == PluginNames(*names)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "a package name is letters, digits"),
        ("netplan mentoring", "a package name is letters, digits"),
        ("-mentoring", "a package name is letters, digits"),
        ("netplan-", "a package name is letters, digits"),
        ("netplan", "that is netplan itself"),
        ("Networking_Action.Plan", "that is netplan itself"),
        ("2fa", "would start with a digit"),
        ("json", "would hide Python's own"),
        ("class", "would be a Python keyword"),
        ("netplan-plugin", "nothing is left"),
        ("netplan-2fa", "the plugin's name '2fa' must start with a letter"),
        ("netplan-" + "x" * 43, "at most 50 characters"),
    ],
)
def test_a_name_that_cannot_be_a_plugin_s_is_refused_with_the_reason(
    name: str, words: str, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=re.escape(words)) as error:
        new_plugin(name, into=tmp_path)
    assert error.value.field == "plugin package name"
    assert list(tmp_path.iterdir()) == []


# -- what is written ----------------------------------------------------------------------


def test_every_hook_has_a_module_and_a_test_module() -> None:
    files = render("netplan-mentoring")
    assert sorted(files) == sorted(
        [
            *COMMON,
            *(f"src/netplan_mentoring/{m}.py" for m in MODULES.values()),
            *(f"tests/test_{m}.py" for m in MODULES.values()),
        ]
    )
    assert set(MODULES) == set(HOOKS)
    assert files["src/netplan_mentoring/py.typed"] == ""
    assert not any("$" in text for path, text in files.items() if path.endswith(".py"))


def test_the_pyproject_declares_the_entry_point_and_the_test_extra() -> None:
    project = tomllib.loads(render("netplan-mentoring")["pyproject.toml"])
    assert project["project"]["name"] == "netplan-mentoring"
    assert project["project"]["entry-points"]["netplan"] == {"mentoring": "netplan_mentoring"}
    assert project["project"]["dependencies"] == [f"networking-action-plan>={netplan.__version__}"]
    assert project["project"]["optional-dependencies"]["test"] == [
        "networking-action-plan[testing]",
        "pytest>=8",
    ]
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == [
        "src/netplan_mentoring"
    ]
    assert project["tool"]["mypy"]["strict"] is True


def test_only_the_hooks_chosen_are_written_and_named() -> None:
    files = render("netplan-mentoring", hooks=["store", "metric"])
    assert sorted(files) == sorted(
        [
            *COMMON,
            "src/netplan_mentoring/metrics.py",
            "src/netplan_mentoring/store.py",
            "tests/test_metrics.py",
            "tests/test_store.py",
        ]
    )
    init = files["src/netplan_mentoring/__init__.py"]
    assert re.findall(r"^def (\w+)", init, flags=re.M) == [
        "netplan_register_metrics",
        "netplan_register_stores",
    ]
    assert "rules" not in init and "SkillCatalogRegister" not in init
    assert "a metric and a store backend" in files["pyproject.toml"]
    assert (
        'REGISTERS = (\n    "store:mentoring",\n    "metric:mentoring:warm_intros",\n)'
        in (files["tests/test_entry_point.py"])
    )
    assert render("netplan-mentoring", hooks="rule,skills") == render(
        "netplan-mentoring", hooks=["skills", "rule"]
    )


@pytest.mark.parametrize("hooks", [["metrics"], [], ["metric", "all"]])
def test_a_hook_with_no_example_is_refused(hooks: list[str], tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="metric, rule, importer, exporter, store, skills"):
        new_plugin("netplan-mentoring", hooks=hooks, into=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_written_over_anything(tmp_path: Path) -> None:
    folder = new_plugin("netplan-mentoring", into=tmp_path)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    (folder / "README.md").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already exists and is not empty"):
        new_plugin("netplan-mentoring", hooks=["rule"], into=tmp_path)
    assert (folder / "README.md").read_text(encoding="utf-8") == "mine"
    assert "netplan-mentoring" in readme

    (tmp_path / "netplan-crm").write_text("a file", encoding="utf-8")
    with pytest.raises(FileExistsError, match="is not a folder"):
        new_plugin("netplan-crm", into=tmp_path)
    (tmp_path / "netplan-link").symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError, match="is not a folder"):
        new_plugin("netplan-link", into=tmp_path)
    with pytest.raises(FileNotFoundError, match="no such folder"):
        new_plugin("netplan-crm", into=tmp_path / "missing")

    (tmp_path / "netplan-empty").mkdir()
    assert new_plugin("netplan-empty", into=tmp_path) == tmp_path / "netplan-empty"
    assert (tmp_path / "netplan-empty" / "pyproject.toml").is_file()


# -- the generated plugin, through the hooks ----------------------------------------------


@pytest.fixture
def generated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ModuleType]:
    """The generated module ``netplan_mentoring``, imported from where it was written,
    with the hooks ``request.param``; forgotten afterwards, so that the next one is
    imported afresh."""
    folder = new_plugin("netplan-mentoring", hooks=request.param, into=tmp_path)
    source = str(folder / "src")
    sys.path.insert(0, source)
    importlib.invalidate_caches()
    try:
        yield importlib.import_module("netplan_mentoring")
    finally:
        sys.path.remove(source)
        for name in [n for n in sys.modules if n.partition(".")[0] == "netplan_mentoring"]:
            del sys.modules[name]


def host_of(module: ModuleType) -> PluginHost:
    return PluginHost(
        entry_points=False,
        builtins=False,
        plugins=[module],
        environ={"NETPLAN_STRICT_PLUGINS": "1"},
    )


@pytest.mark.parametrize("generated", SELECTIONS, indirect=True, ids=lambda hooks: ",".join(hooks))
def test_each_example_registers_and_works_through_a_host(
    generated: ModuleType, tmp_path: Path
) -> None:
    host = host_of(generated)
    hooks = {
        hook
        for hook, module in MODULES.items()
        if (Path(generated.__file__ or "").parent / f"{module}.py").exists()
    }
    registers = host.report()["netplan_mentoring"].registers
    assert all(name.partition(":")[2].startswith("mentoring") for name in registers), (
        "every name is the plugin's"
    )
    assert len(registers) == len(hooks)
    plan = netplan.Plan("Maya", start=dt.date(2026, 9, 1))
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tags={"keep_warm"}),
            netplan.Interaction("intro_received", at(9, 3), contact="lena-berg"),
        ]
    )
    if "metric" in hooks:
        metric = host.metrics["mentoring:warm_intros"]
        assert metric.units == ("warm intro", "warm intros")  # type: ignore[attr-defined]
        september = netplan.Window(dt.date(2026, 9, 1), dt.date(2026, 10, 1))
        assert metric.measure(plan, log, september, None) == 1.0
    if "rule" in hooks:
        review = host.review(plan, log, dt.date(2026, 11, 30))
        (finding,) = review.findings
        assert finding.message == "Get back in touch with Lena Berg: 88 days since you last talked."
    if "importer" in hooks:
        importer = host.importers["mentoring:people_csv"]
        data = b"Name,Email,Met on\nOmar Haddad,omar@example.org,2026-11-05\n"
        assert importer.sniff("people.csv", data) == 0.9
        (person,) = importer.read("people.csv", data).people
        assert (person.name, person.connected_on) == ("Omar Haddad", dt.date(2026, 11, 5))
    if "exporter" in hooks:
        exporter = host.exporters["mentoring:contacts_markdown"]
        assert exporter.suffix == ".md"
        assert exporter.export(plan, log) == b"# Contacts of Maya\n\n- Lena Berg (keep\\_warm)\n"
    if "store" in hooks:
        url = f"mentoring://{tmp_path}/plans.json"
        with pytest.raises(netplan.StoreNotFoundError, match="create=True"):
            host.open(url)
        with host.open(url, create=True) as store:
            store.save(plan)
        with host.open(url) as store:
            assert store.plans() == ("maya",)
        with pytest.raises(ValidationError, match="needs a file path: mentoring:///"):
            host.open("mentoring://")
    if "skills" in hooks:
        skills = host.skill_catalogs["mentoring"]
        assert [skill.id for skill in skills] == [
            "mentoring:asking_for_intros",
            "mentoring:giving_intros",
        ]
        plan.add_skill(skills[0])


@pytest.mark.parametrize("generated", [HOOKS], indirect=True, ids=["all"])
def test_the_generated_test_modules_name_what_the_host_reports(generated: ModuleType) -> None:
    """``tests/test_entry_point.py`` expects what a host reports of the plugin, in order."""
    folder = Path(generated.__file__ or "").parents[2]
    text = (folder / "tests" / "test_entry_point.py").read_text(encoding="utf-8")
    expected = re.search(r"REGISTERS = \((.*?)\)\n", text, flags=re.S)
    assert expected is not None
    names = tuple(re.findall(r'"([^"]+)"', expected.group(1)))
    assert host_of(generated).report()["netplan_mentoring"].registers == names


def _ruff() -> str | None:
    beside = Path(sys.executable).with_name("ruff")
    return str(beside) if beside.exists() else shutil.which("ruff")


@pytest.mark.skipif(
    _ruff() is None, reason="ruff is not installed (nox -s plugin_template runs it)"
)
@pytest.mark.parametrize("hooks", [HOOKS, ("skills",), ("importer", "store")], ids=",".join)
def test_the_generated_code_passes_ruff_as_it_is(hooks: tuple[str, ...], tmp_path: Path) -> None:
    folder = new_plugin("netplan-mentoring", hooks=hooks, into=tmp_path)
    ruff = _ruff()
    assert ruff is not None
    for command in (["check", "--no-cache", "."], ["format", "--no-cache", "--check", "."]):
        done = subprocess.run([ruff, *command], cwd=folder, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


# -- the command --------------------------------------------------------------------------


def test_the_command_writes_the_package_and_says_what_next(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = ok(
        capsys, "plugin", "new", "netplan-mentoring", "--hooks", "metric, rule", "--hooks=store"
    )
    assert out == (
        "Wrote ./netplan-mentoring: the netplan plugin 'mentoring', module netplan_mentoring.\n"
        "Examples: metric, rule, store. Next, in a virtual environment:\n"
        "  python -m pip install -e './netplan-mentoring[test]'\n"
        "  cd ./netplan-mentoring && python -m pytest\n"
    )
    assert sorted(p.name for p in (tmp_path / "netplan-mentoring" / "tests").iterdir()) == [
        "conftest.py",
        "test_entry_point.py",
        "test_metrics.py",
        "test_rules.py",
        "test_store.py",
    ]
    (tmp_path / "sub dir").mkdir()
    data = json.loads(ok(capsys, "--json", "plugin", "new", "netplan-crm", "--into", "sub dir"))
    assert data["folder"] == "sub dir/netplan-crm"
    assert (data["plugin"], data["module"], data["hooks"]) == ("crm", "netplan_crm", list(HOOKS))
    assert "src/netplan_crm/store.py" in data["files"]


def test_the_command_says_what_is_wrong(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "plugin", "new", "netplan-x", "--hooks", "metrics")
    assert (code, err) == (
        2,
        "netplan: Invalid value for --hooks: 'metrics' is not one of metric, rule, importer, "
        "exporter, store, skills; did you mean 'metric'?\n",
    )
    code, _, err = run(capsys, "plugin", "new", "netplan mentoring")
    assert code == 1
    assert err.startswith("netplan: plugin package name: 'netplan mentoring' is not allowed")
    ok(capsys, "plugin", "new", "netplan-x", "--hooks", "skills")
    code, _, err = run(capsys, "plugin", "new", "netplan-x")
    assert code == 1
    assert "netplan-x already exists and is not empty; nothing was written" in err
    code, _, err = run(capsys, "plugin", "new", "netplan-y", "--into", "missing")
    assert (code, err) == (1, "netplan: missing: no such folder to write the plugin into\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["netplan-x"]


def test_the_help_lists_every_hook(capsys: pytest.CaptureFixture[str]) -> None:
    out = " ".join(ok(capsys, "plugin", "new", "--help").split())
    assert ", ".join(HOOKS) in out


# -- the tutorial -------------------------------------------------------------------------


def tutorial_commands() -> list[list[str]]:
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [
        shlex.split(line, comments=True) for line in lines if line.startswith("netplan plugin new ")
    ]


def test_the_tutorial_s_commands_write_what_it_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tutorial runs ``netplan plugin new`` as written here: what it prints is on the
    page, the files it lists are those written, and what it quotes of them is in them."""
    monkeypatch.chdir(tmp_path)
    text = TUTORIAL.read_text(encoding="utf-8")
    commands = tutorial_commands()
    assert commands, "the tutorial runs no `netplan plugin new`"
    for command in commands:
        out = ok(capsys, *command[1:])
        assert out in re.findall(r"```text\n(.*?)```", text, flags=re.S), out
    (folder,) = tmp_path.iterdir()
    written = sorted(p.relative_to(tmp_path).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(tree_files(text, folder.name)) == written
    quoted = re.findall(r"```(?:py|toml)\n# (\S+), as generated\n(.*?)```", text, flags=re.S)
    assert quoted, "the tutorial quotes no generated file"
    for path, excerpt in quoted:
        assert excerpt in (folder / path).read_text(encoding="utf-8"), path


def tree_files(text: str, top: str) -> list[str]:
    """The files of the tree the page draws of the folder ``top`` (a ```text block, one
    name a line, folders ending with ``/``, indented under their folder, a note after two
    spaces)."""
    block = next(
        b for b in re.findall(r"```text\n(.*?)```", text, flags=re.S) if b.startswith(f"{top}/")
    )
    files: list[str] = []
    folders: list[tuple[int, str]] = []
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        name = line.strip().split("  ")[0]
        while folders and folders[-1][0] >= indent:
            folders.pop()
        path = "".join(folder for _, folder in folders) + name
        if name.endswith("/"):
            folders.append((indent, name))
        else:
            files.append(path)
    return files
