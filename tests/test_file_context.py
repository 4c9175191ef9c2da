"""Importers and exporters are handed what the host knows (FileContext): the day, the
plan's zone, the window, the installed metrics and rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

import netplan
from netplan.core.context import FileContext, InContext
from netplan.core.errors import PluginError, ValidationError
from netplan.core.importing import CalendarWindow, Parsed, Person, Source, Windowed
from netplan.plugins import PluginHost, hookimpl

TODAY = dt.date(2026, 12, 7)


@attrs.frozen
class Seen:
    """An importer and exporter that keeps the context it was handed."""

    name: str = "probe:seen"
    description: str = "Keeps its context."
    suffix: str = ".seen"
    context: FileContext | None = None
    window: CalendarWindow | None = None
    handed: list[Any] = attrs.field(factory=list, eq=False)

    def in_context(self, context: FileContext) -> Seen:
        self.handed.append(context)
        return attrs.evolve(self, context=context)

    def within(self, window: CalendarWindow) -> Seen:  # never called: in_context wins
        self.handed.append(window)
        return attrs.evolve(self, window=window)

    def sniff(self, name: str, head: bytes) -> float:
        return 1.0

    def read(self, name: str, data: bytes) -> Parsed:
        return Parsed((Person("Lena Berg", Source(name, 1)),))

    def export(self, plan: netplan.Plan, log: netplan.ActivityLog) -> bytes:
        return b"seen"


class Probe:
    def __init__(self, seen: Seen) -> None:
        self.seen = seen

    @hookimpl
    def netplan_register_importers(self, register: Any) -> None:
        register("probe:seen", self.seen)

    @hookimpl
    def netplan_register_exporters(self, register: Any) -> None:
        register("probe:seen", self.seen)


def _setup(seen: Seen) -> tuple[PluginHost, netplan.Store, str]:
    host = PluginHost(entry_points=False, plugins=[Probe(seen)], environ={})
    store = host.open("memory://", create=True)
    plan = store.save(netplan.Plan("Maya", dt.date(2026, 11, 1), timezone="America/New_York"))
    return host, store, plan.id


def test_an_importer_reads_with_today_the_zone_and_the_installed_plugins() -> None:
    seen = Seen()
    host, store, plan_id = _setup(seen)
    host.import_files(store, plan_id, b"x", name="people.seen", format="probe:seen", today=TODAY)
    (context,) = seen.handed  # in_context, not within
    assert isinstance(context, FileContext)
    assert (context.today, context.zone.name) == (TODAY, "America/New_York")
    assert context.window.start == TODAY - dt.timedelta(days=365)
    assert context.window.zone == context.zone.tzinfo
    assert set(context.metrics) == set(host.metrics)
    assert set(context.rules) == set(host.rules)


def test_an_exporter_writes_with_the_day_the_host_says(tmp_path: Path) -> None:
    seen = Seen()
    host, store, plan_id = _setup(seen)
    host.export_file(store, plan_id, tmp_path / "maya.seen", today=TODAY)
    (context,) = seen.handed
    assert context.today == TODAY
    assert (context.window.start, context.window.end) == (TODAY, TODAY + dt.timedelta(days=28))
    assert "new_contacts" in context.metrics and "target_pace" in context.rules


def test_without_a_day_it_is_today_in_the_plan_s_zone(tmp_path: Path) -> None:
    seen = Seen()
    host, store, plan_id = _setup(seen)
    host.export_file(store, plan_id, tmp_path / "maya.seen")
    (context,) = seen.handed
    new_york = netplan.Zone.named("America/New_York")
    assert context.today == new_york.day(dt.datetime.now(dt.UTC))


def test_the_host_hands_on_what_the_object_declares() -> None:
    @attrs.frozen
    class Plain:
        name: str = "probe:plain"
        description: str = ""

        def sniff(self, name: str, head: bytes) -> float:
            return 0.0

        def read(self, name: str, data: bytes) -> Parsed:
            return Parsed(())

    class Both:
        @hookimpl
        def netplan_register_importers(self, register: Any) -> None:
            register("probe:seen", Seen())
            register("probe:plain", Plain())

    host = PluginHost(entry_points=False, plugins=[Both()], environ={})
    checked = host._checked_selection("importer", host.importers)
    assert isinstance(checked["probe:seen"], InContext)
    assert isinstance(checked["probe:seen"], Windowed)
    assert not isinstance(checked["probe:plain"], InContext)
    assert not isinstance(checked["probe:plain"], Windowed)


@pytest.mark.parametrize(
    ("made", "message"),
    [
        (lambda: 1 / 0, "raised ZeroDivisionError"),
        (lambda: "not an importer", r"which has no read\(\) method"),
    ],
)
def test_a_failing_in_context_is_the_plugin_s_failure_and_stores_nothing(
    made: Any, message: str
) -> None:
    @attrs.frozen
    class Broken(Seen):
        def in_context(self, context: FileContext) -> Seen:
            return made()  # type: ignore[no-any-return]

    host, store, plan_id = _setup(Broken())
    with pytest.raises(
        PluginError, match=rf"importer 'probe:seen' of plugin .*in_context\(\).*{message}"
    ):
        host.import_files(store, plan_id, b"x", name="a.seen", format="probe:seen", today=TODAY)
    assert store.load_log(plan_id).contacts == ()


def test_the_longest_suffix_picks_the_exporter(tmp_path: Path) -> None:
    @attrs.frozen
    class ProgressCsv(Seen):
        suffix: str = ".progress.csv"

        def export(self, plan: netplan.Plan, log: netplan.ActivityLog) -> bytes:
            return b"progress"

    class Plugin:
        @hookimpl
        def netplan_register_exporters(self, register: Any) -> None:
            register("probe:progress", ProgressCsv())

    host = PluginHost(entry_points=False, plugins=[Plugin()], environ={})
    store = host.open("memory://", create=True)
    plan = store.save(netplan.Plan("Maya", dt.date(2026, 11, 1)))
    progress = host.export_file(store, plan.id, tmp_path / "maya.progress.csv", today=TODAY)
    assert progress.read_bytes() == b"progress"
    contacts = host.export_file(store, plan.id, tmp_path / "maya.csv", today=TODAY)
    assert contacts.read_bytes().startswith(b"\xef\xbb\xbfName")


def test_a_context_is_a_checked_value() -> None:
    window = CalendarWindow(TODAY, TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="FileContext.zone"):
        FileContext(TODAY, "Europe/Berlin", window)  # type: ignore[arg-type]
    context = FileContext(TODAY, netplan.Zone.named("UTC"), window, {"x": object()})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        context.metrics["y"] = object()  # type: ignore[index]
