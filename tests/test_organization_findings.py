"""A finding may be about an organization (a company, a community), not only a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import netplan
from _cli import ok
from netplan.core.evaluation import Review
from netplan.notebook.html import review_html
from netplan.plugins import PluginHost, hookimpl
from netplan.plugins import host as plugin_host
from netplan.plugins.hookspecs import RuleRegister
from netplan.stores.serialize import from_data, to_data

DAY = dt.date(2026, 11, 20)


class QuietCompanies:
    name = "coaching:quiet_companies"
    description = "Organizations nobody has heard from."

    def check(self, context: netplan.RuleContext) -> Iterator[netplan.Finding]:
        for organization in context.log.organizations:
            yield netplan.Finding(
                self.name,
                "info",
                f"Nobody at {organization.name} has heard from you.",
                netplan.Subject.organization(organization.id),
            )


def _log() -> netplan.ActivityLog:
    log = netplan.ActivityLog()
    log.add(netplan.Organization("Sunrise Power"))
    return log


def _review() -> Review:
    plan = netplan.Plan("Maya", dt.date(2026, 11, 1))
    return netplan.review(plan, _log(), DAY, rules=[QuietCompanies()])


def test_a_finding_about_an_organization_names_it_and_is_grouped_as_one() -> None:
    (finding,) = _review().findings
    assert finding.subject.kind is netplan.SubjectKind.ORGANIZATION
    assert finding.subject == netplan.Subject("organization", "sunrise-power")
    assert str(finding.subject) == "organization sunrise-power"
    assert netplan.finding_about(_review(), finding) == "Organizations"


def test_it_survives_the_store_s_data() -> None:
    review = _review()
    assert from_data(to_data(review), Review) == review


def test_the_html_and_the_command_line_show_it_under_organizations(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "<b>Organizations</b> (1)" in review_html(_review())

    class Plugin:
        @hookimpl
        def netplan_register_rules(self, register: RuleRegister) -> None:
            register("coaching:quiet_companies", QuietCompanies())

    host = PluginHost(entry_points=False, plugins=[Plugin()], environ={})
    monkeypatch.setattr(plugin_host, "default_host", lambda: host)
    monkeypatch.setenv("NETPLAN_STORE", f"sqlite://{tmp_path}/p.db")
    monkeypatch.setenv("NO_COLOR", "1")
    ok(capsys, "init", "--name", "Maya", "--timezone", "UTC")
    ok(capsys, "log", "met", "Lena Berg", "--new")
    ok(capsys, "contacts", "edit", "Lena Berg", "--company", "Sunrise Power")
    out = ok(capsys, "review")
    assert "  Organizations\n" in out
    assert "Nobody at Sunrise Power has heard from you." in out
