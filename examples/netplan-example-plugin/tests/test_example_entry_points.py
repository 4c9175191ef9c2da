"""The plugin as users get it: installed, found through its ``netplan`` entry point by a
default ``PluginHost()``, and used through the host (review, import, open)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from collections.abc import Iterator
from pathlib import Path

import netplan
import pytest
from netplan import (
    AddAction,
    Contact,
    Goal,
    ImportAbortedError,
    Interaction,
    Plan,
    PlannedAction,
    Rating,
    Severity,
    SkillAssessment,
    StoreNotFoundError,
    Target,
)
from netplan.plugins import PluginHost

import netplan_example
from netplan_example.importers import meetup_attendees
from netplan_example.jsondir import JsonDirStore, open_jsondir
from netplan_example.metrics import people_introduced
from netplan_example.rules import quiet_mentors
from netplan_example.skills import CATALOG, hosting_meetups, mentoring_others

REGISTERS = (
    "store:jsondir",
    "importer:example:meetup_attendees",
    "metric:example:people_introduced",
    "rule:example:quiet_mentors",
    "skill_catalog:example",
)
UTC = dt.UTC


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch) -> PluginHost:
    """A default host: entry points and built-ins on, reading ``os.environ``, strict so
    that any plugin failure raises instead of being skipped."""
    if not importlib.metadata.entry_points(group="netplan", name="example"):
        pytest.fail(
            "netplan-example-plugin is not installed, so no host can find it: "
            "pip install ./examples/netplan-example-plugin"
        )
    for var in ("NETPLAN_PLUGINS", "NETPLAN_DISABLE_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NETPLAN_STRICT_PLUGINS", "1")
    return PluginHost()


@pytest.fixture
def default_host(host: PluginHost) -> Iterator[None]:
    """The process-wide host (``netplan.open`` and friends), built afresh for the test."""
    netplan.plugins.reset_default_host()
    yield
    netplan.plugins.reset_default_host()


def test_the_entry_point_registers_one_of_each_kind(host: PluginHost) -> None:
    info = host.report()["example"]
    assert info.registers == REGISTERS
    assert info.error is None
    assert not info.builtin
    assert info.distribution == "netplan-example-plugin"
    assert info.version == "0.1.0"
    assert host.stores["jsondir"] is open_jsondir
    assert host.importers["example:meetup_attendees"] is meetup_attendees
    assert host.metrics["example:people_introduced"] is people_introduced
    assert host.rules["example:quiet_mentors"] is quiet_mentors
    assert host.sources("rule")["example:quiet_mentors"] == "example"
    assert host.skill_catalogs["example"] == CATALOG
    assert host.sources("skill_catalog")["example"] == "example"
    # Beside netplan's own, with no name claimed twice.
    assert host.report().failed == ()
    assert "intros_given" in host.metrics


def test_the_module_registers_the_same_without_entry_points() -> None:
    # The docs' pattern for a plugin's own unit test: the module alone, strict.
    host = PluginHost(
        entry_points=False,
        builtins=False,
        plugins=[netplan_example],
        environ={"NETPLAN_STRICT_PLUGINS": "1"},
    )
    assert host.report()["netplan_example"].registers == REGISTERS


def _plan() -> Plan:
    return Plan(
        "Maya",
        start=dt.date(2026, 11, 1),
        goals=[
            Goal(
                "Give back",
                kind="custom",
                targets=[Target(2, "example:people_introduced", per="month")],
            )
        ],
    )


def _log() -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            Contact("Lena Berg", tags={"mentor"}),
            Contact("Omar Haddad"),
            Contact("Kim Lee"),
            Interaction("coffee", dt.datetime(2026, 8, 1, 9, tzinfo=UTC), contact="lena-berg"),
            Interaction("intro_given", dt.datetime(2026, 11, 3, tzinfo=UTC), contact="omar-haddad"),
            Interaction("intro_given", dt.datetime(2026, 11, 9, tzinfo=UTC), contact="omar-haddad"),
            Interaction("intro_given", dt.datetime(2026, 11, 12, tzinfo=UTC), contact="kim-lee"),
        ]
    )


def test_a_review_with_the_host_measures_the_metric_and_runs_the_rule(host: PluginHost) -> None:
    plan = _plan()
    review = host.review(plan, _log(), dt.date(2026, 11, 20))
    assert review.failures == ()
    (progress,) = review.progress
    assert progress.target == "example:people_introduced"
    assert progress.actual == 2.0  # Omar (twice) and Kim: two people

    finding = review.finding("example:quiet_mentors", "lena-berg")
    assert finding is not None
    assert finding.severity is Severity.WARNING
    assert "111 days" in finding.message
    assert isinstance(finding.adjustment, AddAction)
    adjusted = review.adjust(plan, accept=[finding])
    assert [a.title for a in adjusted.plan.actions] == ["Catch up with Lena Berg"]


def test_import_files_reads_an_attendee_list_with_the_importer(
    host: PluginHost, tmp_path: Path
) -> None:
    store = host.open("memory://")
    plan = store.save(_plan())
    attendees = tmp_path / "attendees.csv"
    attendees.write_text(
        "Name,Profile URL,RSVP\n"
        "Lena Berg,https://meetup.example/members/1042,Yes\n"
        "Omar Haddad,,No\n"
        "Kim Lee,meetup.example/kim,Yes\n",
        encoding="utf-8",
    )
    imported = host.import_files(store, plan.id, attendees)  # the format is sniffed
    (report,) = imported.reports
    assert report.format == "example:meetup_attendees"
    assert report.added == ("lena-berg", "kim-lee")
    assert [str(p) for p in report.problems] == [
        "attendees.csv, line 4 (Profile URL): warning: 'meetup.example/kim' is not a web "
        "address; left out"
    ]
    log = store.load_log(plan.id)
    assert log.contact("lena-berg").profiles == ("https://meetup.example/members/1042",)

    # A bad line is an error: nothing is imported, unless bad records are skipped.
    bad = tmp_path / "more.csv"
    bad.write_text("Name,Profile URL,RSVP\n,,Yes\nAna Silva,,Yes\n", encoding="utf-8")
    with pytest.raises(ImportAbortedError, match="line 2"):
        host.import_files(store, plan.id, bad)
    assert [c.id for c in store.load_log(plan.id).contacts] == ["lena-berg", "kim-lee"]
    host.import_files(store, plan.id, bad, skip_bad=True)
    assert "ana-silva" in [c.id for c in store.load_log(plan.id).contacts]


def test_the_host_opens_jsondir_urls(host: PluginHost, tmp_path: Path) -> None:
    url = f"jsondir://{tmp_path}/plans"
    with pytest.raises(StoreNotFoundError, match="create=True"):
        host.open(url)
    with host.open(url, create=True) as store:
        assert isinstance(store, JsonDirStore)
        saved = store.save(_plan())
    with host.open(url) as again:
        assert again.load("maya") == saved


def test_netplan_open_finds_the_scheme_too(default_host: None, tmp_path: Path) -> None:
    with netplan.open(f"jsondir://{tmp_path}/plans", create=True) as store:
        assert store.plans() == ()
    assert netplan.plugin_report()["example"].registers == REGISTERS


def test_the_skill_catalog_arrives_and_a_plan_keeps_what_it_uses(default_host: None) -> None:
    # The catalog's skills, offered beside the built-in ones through the entry point.
    assert netplan.installed_skills() == (hosting_meetups, mentoring_others)
    assert netplan.plugins.default_host().skill_origins == {
        "example:hosting_meetups": "example",
        "example:mentoring_others": "example",
    }
    rated = SkillAssessment(
        dt.date(2026, 11, 1), [Rating("example:mentoring_others", 2, desired=4)]
    )
    plan = _plan().assess(rated, catalog=netplan.installed_skills())
    plan = plan.add_action(
        PlannedAction("Host the climate meetup", skills={"example:hosting_meetups"}),
        catalog=netplan.installed_skills(),
    )
    assert plan.skills == (mentoring_others, hosting_meetups)
    # What a plugin-less netplan reads back: the copies make it whole.
    again = netplan.from_data(netplan.to_data(plan), Plan)
    assert again.catalog["example:hosting_meetups"].name == "Hosting meetups"
