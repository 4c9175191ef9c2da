"""Faulty plugins cannot hurt the person (issue 14): a plugin that ends the program, returns
what it must not, raises, or is slow to load is named, kept apart, and left out; every
other plugin and every command keeps working. Ctrl-C still stops a command."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import math
import re
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import netplan
import netplan.cli
import netplan.plugins.host as host_module
from _cli import ok, run
from netplan.core.errors import PluginError, StoreNotFoundError
from netplan.core.importing import Parsed, Person, Source
from netplan.plugins import PluginHost, PluginInfo, hookimpl
from netplan.stores.memory import MemoryStore

ENV_VARS = ("NETPLAN_STRICT_PLUGINS", "NETPLAN_PLUGINS", "NETPLAN_DISABLE_PLUGINS", "NETPLAN_STORE")
START = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
SHEET = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Lena,Berg,https://www.linkedin.com/in/lena-berg,,Sunrise Power,CTO,10 Nov 2026\n"
)
"""A LinkedIn connections export: what the built-in importers must still read."""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    netplan.plugins.reset_default_host()
    yield
    netplan.plugins.reset_default_host()


def make_host(*plugins: object, **environ: str) -> PluginHost:
    return PluginHost(entry_points=False, plugins=plugins, environ=environ)


# -- test plugins ------------------------------------------------------------------------


def exit_3(*args: object, **kwargs: object) -> Any:
    sys.exit(3)


def ctrl_c(*args: object, **kwargs: object) -> Any:
    raise KeyboardInterrupt


class Count:
    """A metric counting nothing, healthy."""

    name = "healthy:count"
    description = "Nothing at all."

    def measure(self, *args: object) -> float:
        return 0.0


class Healthy:
    @hookimpl
    def netplan_register_metrics(self, register: Any) -> None:
        register("healthy:count", Count())


class Exits:
    """Registers a metric, then ends the program half way through its hook."""

    @hookimpl
    def netplan_register_metrics(self, register: Any) -> None:
        register("exits:count", Count())
        sys.exit(3)


class Importer:
    """An importer that claims every file and reads with ``read``."""

    name = "hostile:claims"
    description = "Claims every file."

    def __init__(self, read: Callable[[str, bytes], object], sniff: object = 1.0) -> None:
        self._read = read
        self._sniff = sniff

    def sniff(self, name: str, head: bytes) -> object:
        return self._sniff(name, head) if callable(self._sniff) else self._sniff

    def read(self, name: str, data: bytes) -> object:
        return self._read(name, data)


class Exporter:
    name = "hostile:writes"
    description = "Writes what export gives."
    suffix = ".hostile"

    def __init__(self, export: Callable[[object, object], object]) -> None:
        self._export = export

    def export(self, plan: object, log: object) -> object:
        return self._export(plan, log)


class Metric:
    name = "hostile:count"
    description = "Measures with measure."

    def __init__(self, measure: Callable[..., object]) -> None:
        self._measure = measure

    def measure(self, *args: object) -> object:
        return self._measure(*args)


class Rule:
    name = "hostile:rule"
    description = "Checks with check."

    def __init__(self, check: Callable[[object], object]) -> None:
        self._check = check

    def check(self, context: object) -> object:
        return self._check(context)


class Hostile:
    """Registers whatever it is given, under the hook of its kind."""

    def __init__(self, **things: object) -> None:
        self.things = things

    @hookimpl
    def netplan_register_importers(self, register: Any) -> None:
        if "importer" in self.things:
            register("hostile:claims", self.things["importer"])

    @hookimpl
    def netplan_register_exporters(self, register: Any) -> None:
        if "exporter" in self.things:
            register("hostile:writes", self.things["exporter"])

    @hookimpl
    def netplan_register_metrics(self, register: Any) -> None:
        if "metric" in self.things:
            register("hostile:count", self.things["metric"])

    @hookimpl
    def netplan_register_rules(self, register: Any) -> None:
        if "rule" in self.things:
            register("hostile:rule", self.things["rule"])

    @hookimpl
    def netplan_register_stores(self, register: Any) -> None:
        if "opener" in self.things:
            register("hostile", self.things["opener"])


def plan_with_target(metric: str = "hostile:count") -> netplan.Plan:
    return netplan.Plan("Maya", start=START).add_goal(
        netplan.Goal(
            "Find a job",
            kind="find_job",
            targets=[netplan.Target(5, metric, by=dt.date(2027, 9, 30))],
        )
    )


def memory_store(host: PluginHost) -> netplan.Store:
    store = host.open("memory://", create=True)
    store.save(netplan.Plan("Sam", start=START))
    return store


# -- a plugin that ends the program while it loads -----------------------------------------


def test_sys_exit_in_a_registration_hook_is_that_plugins_failure() -> None:
    host = make_host(Exits(), Healthy())
    error = host.report()["Exits"].error or ""
    assert "plugin 'Exits' raised in netplan_register_metrics" in error
    assert "sys.exit(3)" in error and "test_hostile_plugins.py" in error
    assert "exits:count" not in host.metrics  # all or nothing: its registration is left out
    assert "healthy:count" in host.metrics  # the others carry on
    assert host.report().failed == (host.report()["Exits"],)
    assert "Exits: plugin 'Exits' raised in netplan_register_metrics" in str(host.report())


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (SystemExit(), "sys.exit()"),
        (SystemExit("bye"), "sys.exit('bye')"),
        (type("Custom", (BaseException,), {})("mine"), "Custom: mine"),
        (BaseExceptionGroup("many", [SystemExit(2)]), "BaseExceptionGroup"),
    ],
)
def test_whatever_a_registration_hook_raises_but_ctrl_c_is_a_failure(
    raised: BaseException, said: str
) -> None:
    class Raises:
        @hookimpl
        def netplan_register_rules(self, register: Any) -> None:
            raise raised

    assert said in (make_host(Raises()).report()["Raises"].error or "")


def test_sys_exit_is_fatal_under_strict_mode_as_a_plugin_error() -> None:
    with pytest.raises(PluginError, match=r"plugin 'Exits' raised .*sys\.exit\(3\)") as caught:
        make_host(Exits(), NETPLAN_STRICT_PLUGINS="1")
    assert isinstance(caught.value.__cause__, SystemExit)


def test_sys_exit_at_run_time_registration_is_reported_and_strict_leaves_the_host() -> None:
    host = make_host(Healthy())
    info = host.register(Exits())
    assert info.error is not None and "sys.exit(3)" in info.error
    strict = make_host(Healthy(), NETPLAN_STRICT_PLUGINS="1")
    with pytest.raises(PluginError, match=r"sys\.exit\(3\)"):
        strict.register(Exits())
    assert "Exits" not in [p.name for p in strict.report()]
    assert set(strict.metrics) >= {"healthy:count"} and "exits:count" not in strict.metrics


def test_ctrl_c_in_plugin_code_still_stops() -> None:
    class Interrupted:
        @hookimpl
        def netplan_register_metrics(self, register: Any) -> None:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        make_host(Interrupted())
    host = make_host(Healthy())
    with pytest.raises(KeyboardInterrupt):
        host.register(Interrupted())
    # ... and leaves the host as it was, ready for the next registration.
    assert "Interrupted" not in [p.name for p in host.report()]
    assert host.register(Hostile(rule=Rule(lambda context: []))).registers == ("rule:hostile:rule",)


def test_a_plugin_object_whose_attributes_end_the_program_is_refused() -> None:
    class Booby:
        def __getattr__(self, name: str) -> Any:
            sys.exit(5)

    host = make_host(Booby(), Healthy())
    error = host.report()["Booby"].error or ""
    assert "plugin 'Booby' was refused" in error and "sys.exit(5)" in error
    assert "healthy:count" in host.metrics


def test_a_registered_object_whose_properties_end_the_program_is_not_kept() -> None:
    class Nameless(Count):
        @property
        def name(self) -> str:  # type: ignore[override]
            sys.exit(6)

    class Registers:
        @hookimpl
        def netplan_register_metrics(self, register: Any) -> None:
            register("nameless", Nameless())

    host = make_host(Registers())
    assert "sys.exit(6)" in (host.report()["Registers"].error or "")
    assert "nameless" not in host.metrics


# -- what importers return ------------------------------------------------------------------


def raise_value_error(name: str, data: bytes) -> object:
    raise ValueError("cannot read this")


@pytest.mark.parametrize(
    ("read", "said"),
    [
        (
            lambda name, data: None,
            "returned None for 'badges.txt', which is not a netplan.core.importing.Parsed",
        ),
        (lambda name, data: "Ana", "returned 'Ana' for 'badges.txt', which is not"),
        (
            lambda name, data: [Person("Ana", Source(name))],
            "which is not a netplan.core.importing.Parsed",
        ),
        (
            lambda name, data: Parsed(("Ana",)),
            "whose people[0] is 'Ana', not a netplan.core.importing.Person",
        ),
        (
            lambda name, data: Parsed((Person("Ana", Source(name)),), problems=("oops",)),
            "whose problems[0] is 'oops', not a netplan.core.importing.Problem",
        ),
        (
            lambda name, data: Parsed((), touches=None),
            "whose touches is None, not a tuple of Touch",
        ),
        (
            lambda name, data: Parsed((), events=(1,)),
            "whose events[0] is 1, not a netplan.core.importing.Happening",
        ),
        (raise_value_error, "reading 'badges.txt' raised ValueError: cannot read this"),
        (exit_3, "reading 'badges.txt' raised SystemExit: it called sys.exit(3)"),
    ],
    ids=["none", "text", "list", "not-people", "problems", "touches", "events", "raises", "exits"],
)
def test_a_bad_read_is_a_plugin_error_naming_the_plugin_and_what_it_returned(
    tmp_path: Path, read: Callable[[str, bytes], object], said: str
) -> None:
    host = make_host(Hostile(importer=Importer(read)))
    store = memory_store(host)
    (tmp_path / "badges.txt").write_text("Ana Silva\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        host.import_files(store, "sam", tmp_path / "badges.txt")
    message = str(caught.value)
    assert message.startswith("importer 'hostile:claims' of plugin 'Hostile': read()"), message
    assert said in message
    assert len(store.load_log("sam").contacts) == 0  # nothing stored
    # The registry keeps the plugin's own object; the host hands on a checked one.
    assert isinstance(host.importers["hostile:claims"], Importer)


def test_a_good_read_through_the_checks_is_the_plugins_own() -> None:
    people = (Person("Ana Silva", Source("badges.txt", line=1)),)
    host = make_host(Hostile(importer=Importer(lambda name, data: Parsed(people))))
    importer = host._checked["importer"]["hostile:claims"]
    assert importer.read("badges.txt", b"Ana Silva\n") == Parsed(people)  # type: ignore[attr-defined]
    assert importer.name == "hostile:claims"  # type: ignore[attr-defined]
    assert importer.wrapped is host.importers["hostile:claims"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "sniff",
    [None, "high", math.nan, 7.0, True, exit_3, raise_value_error],
    ids=["none", "text", "nan", "above-one", "bool", "exits", "raises"],
)
def test_a_bad_sniff_leaves_that_importer_out_and_the_others_detect(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, sniff: object
) -> None:
    host = make_host(Hostile(importer=Importer(lambda name, data: None, sniff=sniff)))
    store = memory_store(host)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_text(SHEET, encoding="utf-8")
    (folder / "notes.txt").write_text("hello\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="netplan.plugins"):
        done = host.import_files(store, "sam", folder)
    assert [r.format for r in done.reports] == ["linkedin_connections"]
    assert done.skipped == ("notes.txt",)
    assert [c.name for c in store.load_log("sam").contacts] == ["Lena Berg"]
    warnings = [r.getMessage() for r in caplog.records if r.name == "netplan.plugins"]
    assert len(warnings) == 1  # once per importer, not once per file
    assert "importer 'hostile:claims' of plugin 'Hostile': sniff()" in warnings[0]


def test_a_calendar_importer_whose_within_returns_nothing_is_named(tmp_path: Path) -> None:
    class Windowed(Importer):
        def within(self, window: object) -> None:
            return None

    host = make_host(Hostile(importer=Windowed(lambda name, data: Parsed(()))))
    store = memory_store(host)
    (tmp_path / "badges.txt").write_text("Ana Silva\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"within\(\) returned None, which has no read\(\)"):
        host.import_files(store, "sam", tmp_path / "badges.txt")


def test_a_calendar_importer_still_reads_within_its_window(tmp_path: Path) -> None:
    seen: list[object] = []

    class Windowed(Importer):
        def within(self, window: object) -> Windowed:
            seen.append(window)
            return self

    people = (Person("Ana Silva", Source("badges.txt", line=1)),)
    host = make_host(Hostile(importer=Windowed(lambda name, data: Parsed(people))))
    store = memory_store(host)
    (tmp_path / "badges.txt").write_text("Ana Silva\n", encoding="utf-8")
    done = host.import_files(store, "sam", tmp_path / "badges.txt")
    assert len(seen) == 1 and done.reports[0].format == "hostile:claims"
    assert [c.name for c in store.load_log("sam").contacts] == ["Ana Silva"]


# -- what exporters return ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("export", "said"),
    [
        (lambda plan, log: "a,b\n", "returned 'a,b\\n', not the bytes of a file: encode the text"),
        (lambda plan, log: None, "returned None, not the bytes of a file"),
        (exit_3, "raised SystemExit: it called sys.exit(3)"),
        (lambda plan, log: 1 / 0, "raised ZeroDivisionError: division by zero"),
    ],
    ids=["text", "none", "exits", "raises"],
)
def test_a_bad_export_is_a_plugin_error_and_writes_nothing(
    tmp_path: Path, export: Callable[[object, object], object], said: str
) -> None:
    host = make_host(Hostile(exporter=Exporter(export)))
    store = memory_store(host)
    target = tmp_path / "plan.hostile"
    with pytest.raises(PluginError) as caught:
        host.export_file(store, "sam", target)
    assert str(caught.value).startswith("exporter 'hostile:writes' of plugin 'Hostile': export()")
    assert said in str(caught.value)
    assert not target.exists()


def test_an_export_of_a_bytearray_is_written() -> None:
    host = make_host(Hostile(exporter=Exporter(lambda plan, log: bytearray(b"ok"))))
    store = memory_store(host)
    exporter = host._checked["exporter"]["hostile:writes"]
    assert exporter.export(store.load("sam"), store.load_log("sam")) == b"ok"  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", ["", None, 3])
def test_an_exporter_needs_a_suffix(suffix: object) -> None:
    exporter = Exporter(lambda plan, log: b"")
    exporter.suffix = suffix  # type: ignore[assignment]
    host = make_host(Hostile(exporter=exporter))
    assert "is not the suffix of the files it writes" in (host.report()["Hostile"].error or "")
    assert "hostile:writes" not in host.exporters


# -- what metrics and rules return ----------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "said"),
    [
        (lambda *args: None, "returned None, not a finite number"),
        (lambda *args: "3", "returned '3', not a finite number"),
        (lambda *args: True, "returned True, not a finite number"),
        (lambda *args: math.inf, "returned inf, not a finite number"),
        (exit_3, "raised SystemExit: it called sys.exit(3)"),
    ],
    ids=["none", "text", "bool", "inf", "exits"],
)
def test_a_bad_metric_is_a_failure_of_the_review_naming_the_plugin(
    measure: Callable[..., object], said: str
) -> None:
    host = make_host(Hostile(metric=Metric(measure)))
    result = host.review(plan_with_target(), netplan.ActivityLog(), dt.date(2026, 11, 15))
    (failure,) = result.failures
    assert failure.plugin == "Hostile" and failure.metric == "hostile:count"
    assert "metric 'hostile:count' of plugin 'Hostile': measure()" in failure.error
    assert said in failure.error
    assert result.findings  # the review completed


def test_a_metric_raising_an_error_is_reported_as_before() -> None:
    host = make_host(Hostile(metric=Metric(lambda *args: 1 / 0)))
    result = host.review(plan_with_target(), netplan.ActivityLog(), dt.date(2026, 11, 15))
    assert result.failures[0].error == "ZeroDivisionError: division by zero"


def test_a_metric_selected_by_the_caller_is_checked_too() -> None:
    host = make_host(Hostile(metric=Metric(exit_3)))
    result = host.review(
        plan_with_target(),
        netplan.ActivityLog(),
        dt.date(2026, 11, 15),
        metrics={"hostile:count": host.metrics["hostile:count"]},
        rules=[],
    )
    assert "sys.exit(3)" in result.failures[0].error


def test_a_rule_reading_a_bad_metric_fails_alone() -> None:
    def check(context: Any) -> list[object]:
        context.measure("hostile:count", START, dt.date(2026, 11, 15))
        return []

    host = make_host(Hostile(metric=Metric(exit_3), rule=Rule(check)))
    result = host.review(plan_with_target(), netplan.ActivityLog(), dt.date(2026, 11, 15))
    failed = result.finding("hostile:rule")
    assert failed is not None and failed.severity is netplan.Severity.FAILED
    assert "metric 'hostile:count' of plugin 'Hostile'" in failed.message


def exit_while_yielding(context: object) -> Iterator[object]:
    yield from ()
    sys.exit(3)


@pytest.mark.parametrize(
    ("check", "said"),
    [
        (exit_3, "raised SystemExit: it called sys.exit(3)"),
        (exit_while_yielding, "raised SystemExit: it called sys.exit(3)"),
        (lambda context: None, "returned None, not an iterable of netplan.Finding"),
        (lambda context: ["oops"], "gave 'oops' (item 0), which is not a netplan.Finding"),
    ],
    ids=["exits", "exits-in-a-generator", "none", "not-findings"],
)
def test_a_bad_rule_is_a_failed_finding_naming_the_plugin(
    check: Callable[[object], object], said: str
) -> None:
    host = make_host(Hostile(rule=Rule(check)))
    result = host.review(plan_with_target("coffees"), netplan.ActivityLog(), dt.date(2026, 11, 15))
    failed = result.finding("hostile:rule")
    assert failed is not None and failed.severity is netplan.Severity.FAILED
    assert "(from plugin 'Hostile')" in failed.message and said in failed.message
    assert result.progress  # the review completed


def test_ctrl_c_in_a_metric_or_a_rule_still_stops_the_review() -> None:
    for plugin in (Hostile(metric=Metric(ctrl_c)), Hostile(rule=Rule(ctrl_c))):
        host = make_host(plugin)
        with pytest.raises(KeyboardInterrupt):
            host.review(plan_with_target(), netplan.ActivityLog(), dt.date(2026, 11, 15))


# -- what store openers do ------------------------------------------------------------------


def test_an_opener_that_ends_the_program_is_a_plugin_error() -> None:
    host = make_host(Hostile(opener=exit_3))
    with pytest.raises(
        PluginError, match=r"the opener for hostile:// \(plugin 'Hostile'\) raised SystemExit"
    ):
        host.open("hostile://x")


def test_an_opener_that_raises_is_a_plugin_error_naming_it() -> None:
    def opener(url: object, *, create: bool) -> object:
        raise RuntimeError("no driver")

    with pytest.raises(
        PluginError, match=r"\(plugin 'Hostile'\) raised RuntimeError: no driver"
    ) as caught:
        make_host(Hostile(opener=opener)).open("hostile://x")
    assert isinstance(caught.value.__cause__, RuntimeError)


def test_an_opener_may_still_say_there_is_no_store() -> None:
    def opener(url: object, *, create: bool) -> object:
        raise StoreNotFoundError("hostile://x: none; pass create=True")

    with pytest.raises(StoreNotFoundError):
        make_host(Hostile(opener=opener)).open("hostile://x")


def test_an_opener_returning_a_booby_trapped_object_is_a_plugin_error() -> None:
    class Trap:
        def __getattr__(self, name: str) -> Any:
            sys.exit(7)

        def __repr__(self) -> str:
            raise RuntimeError("no repr either")

    # Python 3.12 reads a protocol's members without __getattr__: the trap is then not a
    # Store; before, reading them sprang it. Either way, a PluginError naming the plugin.
    said = r"plugin 'Hostile'.*(sys\.exit\(7\)|which is not a netplan Store)"
    with pytest.raises(PluginError, match=said):
        make_host(Hostile(opener=lambda url, create: Trap())).open("hostile://x")


@pytest.mark.parametrize(
    ("raised", "shown"),
    [
        (RuntimeError("no repr"), "<Unprintable instance at "),
        (SystemExit(8), "<Unprintable object whose repr() raised>"),
    ],
)
def test_an_opener_returning_no_store_shows_what_it_returned_safely(
    raised: BaseException, shown: str
) -> None:
    class Unprintable:
        def __repr__(self) -> str:
            raise raised

    with pytest.raises(PluginError, match=rf"returned {re.escape(shown)}"):
        make_host(Hostile(opener=lambda url, create: Unprintable())).open("hostile://x")


# -- a plugin slow to load ------------------------------------------------------------------


class Clock:
    """Stands in for time.perf_counter: a plugin's hook moves it on."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(host_module, "_clock", fake)
    return fake


def test_a_plugin_taking_ten_seconds_to_register_is_named(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    class Sleepy:
        @hookimpl
        def netplan_register_metrics(self, register: Any) -> None:
            clock.now += 10
            register("sleepy:count", Count())

    with caplog.at_level(logging.INFO, logger="netplan.plugins"):
        host = make_host(Sleepy(), Healthy())
    report = host.report()
    sleepy = report["Sleepy"]
    assert sleepy.slow and sleepy.load_seconds == pytest.approx(10.0)
    assert sleepy == PluginInfo("Sleepy", None, ("metric:sleepy:count",), False, None)
    assert report.slow == (sleepy,)
    assert not report["Healthy"].slow and report["Healthy"].load_seconds == 0.0
    text = str(report)
    assert "plugins loaded, 0 failed, 1 slow" in text
    assert "  Sleepy: slow to load: 10.0 s (more than 1 s)" in text
    assert any("plugin 'Sleepy' is slow to load: 10.0 s" in r.getMessage() for r in caplog.records)


def test_a_plugin_slow_to_register_at_run_time_is_named(clock: Clock) -> None:
    class Sleepy:
        @hookimpl
        def netplan_register_rules(self, register: Any) -> None:
            clock.now += 2

    host = make_host()
    assert host.register(Sleepy()).slow
    assert host.report()["Sleepy"].load_seconds == pytest.approx(2.0)


def test_loading_is_timed_by_the_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_module, "SLOW_LOAD_SECONDS", 0.05)

    class Sleepy:
        @hookimpl
        def netplan_register_metrics(self, register: Any) -> None:
            time.sleep(0.1)

    report = make_host(Sleepy(), Healthy()).report()
    assert report["Sleepy"].slow and report["Sleepy"].load_seconds >= 0.1
    assert not report["Healthy"].slow


# -- installed plugins, and the command line ---------------------------------------------------

EXITS_IN_HOOK = """
import sys
from netplan.plugins import hookimpl

@hookimpl
def netplan_register_metrics(register):
    sys.exit(3)
"""

EXITS_ON_IMPORT = """
import sys
sys.exit(4)
"""

SLOW_TO_LOAD = """
import time
from netplan.plugins import hookimpl

time.sleep(0.1)

class Calls:
    name = "slowpoke:calls"
    description = "Nothing."

    def measure(self, plan, log, window, segment):
        return 0.0

@hookimpl
def netplan_register_metrics(register):
    time.sleep(0.1)
    register("slowpoke:calls", Calls())
"""


@pytest.fixture
def install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str], None]]:
    """Installs a distribution ``netplan-NAME`` whose entry point ``NAME`` is a module
    with the code given, in a throwaway site directory."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    modules: list[str] = []

    def installed(name: str, code: str) -> None:
        module = f"np_hostile_{name}"
        modules.append(module)
        (site / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
        info = site / f"netplan_{name}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: netplan-{name}\nVersion: 1.0\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[netplan]\n{name} = {module}\n", encoding="utf-8")
        importlib.invalidate_caches()

    yield installed
    for module in modules:
        sys.modules.pop(module, None)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite://{tmp_path / 'plans.db'}"
    monkeypatch.setenv("NETPLAN_STORE", url)
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(netplan.cli, "_now", lambda: NOW)
    return url


def test_an_installed_plugin_exiting_in_its_hook_does_not_end_any_command(
    capsys: pytest.CaptureFixture[str], store: str, install: Callable[[str, str], None]
) -> None:
    install("exits", EXITS_IN_HOOK)
    assert "Started 'maya'" in ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "goal", "list")
    out = ok(capsys, "plugins")
    assert "exits 1.0 (netplan-exits): failed" in out
    assert (
        "plugin 'exits' raised in netplan_register_metrics: SystemExit: it called sys.exit(3)"
        in out
    )
    data = json.loads(ok(capsys, "plugins", "--json"))
    (exits,) = [p for p in data["plugins"] if p["name"] == "exits"]
    assert "sys.exit(3)" in exits["error"]


def test_an_installed_plugin_exiting_on_import_does_not_end_any_command(
    capsys: pytest.CaptureFixture[str], store: str, install: Callable[[str, str], None]
) -> None:
    install("quits", EXITS_ON_IMPORT)
    ok(capsys, "init", "--name", "Maya")
    out = ok(capsys, "plugins")
    assert "plugin 'quits' (from netplan-quits 1.0) failed to import 'np_hostile_quits'" in out
    assert "sys.exit(4)" in out


def test_a_slow_installed_plugin_is_named_by_plugins_and_under_debug(
    capsys: pytest.CaptureFixture[str],
    store: str,
    install: Callable[[str, str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(host_module, "SLOW_LOAD_SECONDS", 0.15)
    install("slowpoke", SLOW_TO_LOAD)
    out = ok(capsys, "plugins")
    assert "slowpoke 1.0 (netplan-slowpoke): ok" in out
    assert re.search(r"\n  slow: \d+\.\d s to load, which every command waits for\n", out)
    data = json.loads(ok(capsys, "plugins", "--json"))
    (slowpoke,) = [p for p in data["plugins"] if p["name"] == "slowpoke"]
    assert slowpoke["load_seconds"] >= 0.2

    # Under --debug, any command names it (and names each installed plugin as it loads).
    netplan.plugins.reset_default_host()
    ok(capsys, "init", "--name", "Maya")
    netplan.plugins.reset_default_host()
    sys.modules.pop("np_hostile_slowpoke")  # a new command is a new process: imported again
    code, _, err = run(capsys, "--debug", "goal", "list")
    assert code == 0
    assert "netplan: loading plugin 'slowpoke' (from netplan-slowpoke 1.0)" in err
    assert re.search(
        r"netplan: plugin 'slowpoke' is slow to load: \d+\.\d s \(more than 0.15 s\)", err
    )
    assert "plugins loaded in" in err
    # ... and only under --debug.
    assert host_module._log.handlers == []
    netplan.plugins.reset_default_host()
    sys.modules.pop("np_hostile_slowpoke")
    code, _, err = run(capsys, "goal", "list")
    assert code == 0 and "slow" not in err and "loading plugin" not in err
    assert netplan.plugin_report()["slowpoke"].slow  # though it was slow again


def register_hostile(**things: object) -> None:
    netplan.plugins.reset_default_host()
    netplan.plugins.register(Hostile(**things))


def test_the_command_names_an_importer_returning_nothing(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    register_hostile(importer=Importer(lambda name, data: None))
    (tmp_path / "badges.txt").write_text("Ana Silva\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(tmp_path / "badges.txt"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "importer 'hostile:claims' of plugin 'Hostile': read() returned None" in err
    assert "unexpected" not in err
    with netplan.open(store) as opened:
        assert opened.load_log("maya").contacts == ()


def test_the_command_still_detects_files_beside_an_importer_sniffing_nonsense(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    register_hostile(importer=Importer(lambda name, data: None, sniff=exit_3))
    sheet = tmp_path / "contacts.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    assert "added 1 contacts" in ok(capsys, "import", str(sheet))


def test_the_command_names_an_exporter_returning_text(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    register_hostile(exporter=Exporter(lambda plan, log: "text"))
    code, _, err = run(capsys, "export", str(tmp_path / "plan.hostile"))
    assert code == 1
    assert "exporter 'hostile:writes' of plugin 'Hostile': export() returned 'text'" in err
    assert not (tmp_path / "plan.hostile").exists()


def test_a_review_with_a_metric_that_exits_completes_and_names_it(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    with netplan.open(store, create=True) as opened:
        opened.save(plan_with_target())
    register_hostile(metric=Metric(exit_3), rule=Rule(exit_3))
    code, out, err = run(capsys, "review")
    assert code == 0, err
    assert "(from plugin 'Hostile')" in out and "sys.exit(3)" in out


def test_ctrl_c_in_a_plugin_stops_the_command(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    with netplan.open(store, create=True) as opened:
        opened.save(plan_with_target())
    register_hostile(metric=Metric(ctrl_c))
    code, _, err = run(capsys, "review")
    assert code == 130 and "stopped." in err


def test_the_command_names_an_opener_that_exits(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    register_hostile(opener=exit_3)
    code, _, err = run(capsys, "--store", "hostile://x", "goal", "list")
    assert code == 1
    assert "the opener for hostile:// (plugin 'Hostile') raised SystemExit" in err


class ExitingStore(MemoryStore):
    """A plugin's store whose log ends the program when read."""

    def load_log(self, plan_id: str) -> netplan.ActivityLog:
        sys.exit(3)


def exiting_store(url: object, *, create: bool) -> ExitingStore:
    return ExitingStore()


def test_a_plugin_store_whose_method_ends_the_program_is_a_plugin_error() -> None:
    store = make_host(Hostile(opener=exiting_store)).open("hostile://x")
    # Still the plugin's store to whoever holds it, and still a context manager.
    assert isinstance(store, ExitingStore) and isinstance(store, netplan.CorrectableStore)
    with store:
        plan = store.save(netplan.Plan("Maya", start=START))
        assert store.plans() == (plan.id,)
        with pytest.raises(
            PluginError,
            match=r"the store's load_log\(\) \(plugin 'Hostile'\) raised SystemExit: "
            r"it called sys.exit\(3\)",
        ):
            store.load_log(plan.id)


def test_the_command_names_a_plugin_store_that_exits(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    class Kept(ExitingStore):
        def close(self) -> None:
            """One store for both commands, as a server would keep it."""

    kept = Kept()
    register_hostile(opener=lambda url, *, create: kept)
    code, _, err = run(capsys, "--store", "hostile://x", "init", "--name", "Maya")
    assert code == 0, err
    code, _, err = run(capsys, "--store", "hostile://x", "review")
    assert code == 1
    assert "the store's load_log() (plugin 'Hostile') raised SystemExit" in err


def test_memory_store_is_untouched_by_the_checks() -> None:
    # The host checks what an opener returns, and hands the store itself on.
    host = make_host()
    assert type(host.open("memory://", create=True)) is MemoryStore


def test_a_metric_declaring_a_capability_that_is_not_a_bool_is_not_kept() -> None:
    class Promising(Count):
        window_local = "yes"  # a promise of nothing: read as True, it would give wrong re-reviews

    host = make_host(Hostile(metric=Promising()))
    error = host.report()["Hostile"].error or ""
    assert "window_local" in error and "must be True or False" in error
    assert "hostile:count" not in host.metrics


def test_a_plugin_metric_keeps_what_it_declares_through_the_host() -> None:
    class Level(Count):
        window_local = True
        cumulative = False

    host = make_host(Hostile(metric=Level()))
    declared = netplan.MetricCapabilities.of(host.metrics["hostile:count"])
    assert declared == netplan.MetricCapabilities(window_local=True, cumulative=False)
