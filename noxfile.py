"""All you need is nox: ``nox`` runs tests, a generated plugin's tests, lint, typecheck
and docs; ``nox -s bench`` the benchmarks.

Sessions install the package itself (not editable), so what is tested is what ships.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nox

nox.options.sessions = ["tests", "pythons", "plugin_template", "lint", "typecheck", "docs"]
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")


@nox.session
def tests(session: nox.Session) -> None:
    """pytest with hypothesis and coverage (at least 90% of src).

    NETPLAN_HYPOTHESIS_PROFILE=ci runs more examples per property. The PostgreSQL store's
    tests need a server: NETPLAN_TEST_POSTGRES=postgresql://user@host:port/db (.ci/run
    starts one); NETPLAN_REQUIRE_POSTGRES=1 makes its absence an error, not a skip.
    """
    session.install(
        ".[testing,icalendar,pandas,plots,postgres]",
        *nox.project.dependency_groups(PYPROJECT, "test", "notebook"),
    )
    # The example plugin, installed as a user installs it: its tests go through its entry
    # point, and netplan's own tests must pass with a third-party plugin present.
    # --no-deps: its dependencies are the ones just installed (no "netplan" from PyPI).
    session.install("--no-deps", "./examples/netplan-example-plugin")
    session.run(
        "pytest",
        "--cov=netplan",
        "--cov-report=term-missing:skip-covered",
        "--cov-fail-under=90",
        *session.posargs,
    )
    session.run("pytest", "-q", "-p", "no:cacheprovider", "examples/netplan-example-plugin/tests")
    session.run("python", "examples/quickstart.py", silent=True)
    session.run("netplan", "review", "--example", silent=True)


@nox.session(python=["3.12", "3.13"])
def pythons(session: nox.Session) -> None:
    """The suite on the other Pythons pyproject.toml claims (``tests`` runs 3.11, with
    coverage and more examples): what differs between versions (protocol checks, path
    resolution, unclosed-connection warnings) shows here. .ci/run finds them under pyenv."""
    session.install(
        ".[testing,icalendar,pandas,plots,postgres]",
        *nox.project.dependency_groups(PYPROJECT, "test", "notebook"),
    )
    session.install("--no-deps", "./examples/netplan-example-plugin")
    session.run(
        "pytest", "-q", "-p", "no:cacheprovider", *session.posargs,
        env={"NETPLAN_HYPOTHESIS_PROFILE": "dev"},
    )  # fmt: skip


@nox.session
def plugin_template(session: nox.Session) -> None:
    """``netplan plugin new`` as an author runs it: a plugin with every hook, and one with
    a store alone, each installed with its test extra beside this netplan; their tests run
    (through their entry points), and ruff and mypy --strict pass on them as written."""
    session.install(".[testing]", "mypy>=1.11", "ruff>=0.6")
    # Outside the repository: ruff skips what its .gitignore ignores (.nox/ among them).
    with tempfile.TemporaryDirectory(prefix="netplan-plugin-template-") as folder:
        root = Path(folder)
        plugins = {"netplan-template-all": [], "netplan-template-store": ["--hooks", "store"]}
        for name, options in plugins.items():
            session.run("netplan", "plugin", "new", name, *options, "--into", folder)
            # No --no-deps: pip finds the networking-action-plan just installed, and
            # installs what else the package asks for, as it would for its author.
            session.install(f"{root / name}[test]")
        for name in plugins:
            with session.chdir(root / name):
                session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
                session.run("ruff", "check", ".")
                session.run("ruff", "format", "--check", ".")
                session.run("mypy", "--cache-dir", str(root / ".mypy_cache"))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    paths = ["src", "tests", "benchmarks", "examples", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src."""
    session.install(
        ".[testing,icalendar,postgres]", *nox.project.dependency_groups(PYPROJECT, "typecheck")
    )
    session.install("--no-deps", "./examples/netplan-example-plugin")
    session.run("mypy", "--strict", "src/netplan")
    session.run("mypy", "--strict", "examples/netplan-example-plugin/src")


@nox.session
def docs(session: nox.Session) -> None:
    """Sphinx (MyST Markdown, furo, autodoc) into docs/_build/html; a warning fails it.

    A fresh environment and every page written each time: an incremental build would not
    repeat the warnings of pages that did not change.
    """
    session.install(".[testing,postgres]", *nox.project.dependency_groups(PYPROJECT, "docs"))
    session.run(
        "python",
        "-m",
        "sphinx",
        "--fail-on-warning",
        "--keep-going",
        "--fresh-env",
        "--write-all",
        "--builder",
        "html",
        "docs",
        "docs/_build/html",
        *session.posargs,
    )


@nox.session
def crash(session: nox.Session) -> None:
    """Kill a saving process at random moments, 100 times per file-based store backend."""
    session.install(".[testing]", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("pytest", "tests/test_crash.py", "-q", env={"NETPLAN_CRASH_RUNS": "100"})


@nox.session
def fuzz(session: nox.Session) -> None:
    """Every importer fed 10,000 generated and mutated inputs per fuzz test: nothing may
    raise outside netplan's errors, and nothing may hang (inputs are bounded). The hostile
    files of tests/test_hostile_files.py are 25 MB each (a megabyte in the usual run):
    an import's peak memory at most five times what it reads, and a time bound."""
    session.install(".[testing,icalendar]", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run(
        "pytest",
        "-m",
        "fuzz",
        "-q",
        "-p",
        "no:cacheprovider",
        env={
            "NETPLAN_FUZZ_EXAMPLES": "10000",
            "NETPLAN_FUZZ_BYTES": str(25 * 1024 * 1024),
            "NETPLAN_HYPOTHESIS_PROFILE": "ci",
        },
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks, each figure beside a baseline measured in the same run.

    Runs the typical and the stress plan; ``nox -s bench -- --size typical`` runs one.
    Without arguments, also the review's growth (10k to 3M interactions), whole commands
    on a 100,000-contact store, and the import and the host benchmarks (the host one, 50 users
    on a shared store, 60 s for 1 thread and as long for 8, runs on PostgreSQL too when
    ``NETPLAN_TEST_POSTGRES`` names a server). With ``NETPLAN_BENCH_AGAINST=REF`` set,
    the stress review is also timed against the commit ``REF`` (say ``main``), both
    alternately in their own processes.
    """
    postgres = bool(os.environ.get("NETPLAN_TEST_POSTGRES"))
    package = ".[postgres]" if postgres else "."
    session.install(package, *nox.project.dependency_groups(PYPROJECT, "bench"))
    sizes = session.posargs or ["--size", "typical"]
    for bench in ("benchmarks.bench_log", "benchmarks.bench_store", "benchmarks.bench_review"):
        session.run("python", "-m", bench, *sizes)
        if not session.posargs:
            session.run("python", "-m", bench, "--size", "stress")
    if not session.posargs:
        session.run("python", "-m", "benchmarks.bench_review", "--growth")
        session.run("python", "-m", "benchmarks.bench_cli")
        session.run("python", "-m", "benchmarks.bench_import")
        session.run("python", "-m", "benchmarks.bench_host")
    against = os.environ.get("NETPLAN_BENCH_AGAINST")
    if against:
        session.run(
            "python", "-m", "benchmarks.bench_review", "--size", "stress", "--against", against
        )
