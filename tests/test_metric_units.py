"""A plugin's metric says what it counts (``units``), and every place netplan words a
target reads it: the review's names, its next step, the pace findings, ``netplan
metrics``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from _cli import ok
from netplan.core._words import unit
from netplan.core.metrics import CountInteractions
from netplan.core.rules import next_step
from netplan.plugins import PluginHost, hookimpl
from netplan.plugins import host as plugin_host
from netplan.plugins.hookspecs import MetricRegister

DAY = dt.date(2026, 3, 10)


class WarmIntros(CountInteractions):
    units = ("warm intro", "warm intros")


def warm_intros() -> WarmIntros:
    return WarmIntros(
        "meetup:warm_intros", frozenset({netplan.InteractionKind.INTRO_RECEIVED}), "Warm intros."
    )


class _Meetup:
    @hookimpl
    def netplan_register_metrics(self, register: MetricRegister) -> None:
        register("meetup:warm_intros", warm_intros())


def _plan(amount: float = 3) -> netplan.Plan:
    goal = netplan.Goal(
        "Warm intros",
        netplan.GoalKind.EXPAND_NETWORK,
        targets=[netplan.Target(amount, "meetup:warm_intros", per="month")],
    )
    return netplan.Plan("Maya", dt.date(2026, 1, 1), goals=[goal])


def test_a_review_names_a_plugin_target_in_its_units() -> None:
    host = PluginHost(entry_points=False, plugins=[_Meetup()], environ={})
    review = host.review(_plan(), netplan.ActivityLog(), DAY)
    assert review.target_words("warm-intros", review.progress[0].target) == (
        "3 warm intros a month"
    )
    one = host.review(_plan(1), netplan.ActivityLog(), DAY)
    assert one.target_words("warm-intros", one.progress[0].target) == "1 warm intro a month"
    step = next_step(_plan().goals[0].targets[0], review.progress[0], units=warm_intros().units)
    assert step.startswith("1 more warm intro by ")


def test_a_pace_finding_counts_in_the_metric_s_units() -> None:
    host = PluginHost(entry_points=False, plugins=[_Meetup()], environ={})
    review = host.review(_plan(), netplan.ActivityLog(), dt.date(2026, 3, 25))
    paced = [f for f in review.findings if f.rule == "target_pace"]
    assert paced, review.findings
    assert "0 of 3 warm intros this month" in paced[0].message
    assert "more warm intros" in paced[0].message


def test_without_units_a_plugin_metric_reads_as_its_name() -> None:
    plain = CountInteractions("meetup:warm_intros", None, "Warm intros.")
    assert netplan.metric_units(plain) is None
    assert netplan.Target(1, "meetup:warm_intros", per="month").describe() == (
        "1 warm intros a month"
    )


@pytest.mark.parametrize("units", ["intros", ("intro",), ("intro", ""), ("intro", 2)])
def test_units_that_are_not_two_words_are_refused_when_registered(units: object) -> None:
    class Bad(CountInteractions):
        pass

    Bad.units = units  # type: ignore[attr-defined]

    class Plugin:
        @hookimpl
        def netplan_register_metrics(self, register: MetricRegister) -> None:
            register("meetup:bad", Bad("meetup:bad", None, "Bad."))

    host = PluginHost(entry_points=False, plugins=[Plugin()], environ={})
    assert "meetup:bad" not in host.metrics
    [failed] = [info for info in host.report() if info.error]
    assert "meetup:bad.units" in failed.error
    assert "what one and many of its counts are called" in failed.error


@given(
    amount=st.floats(min_value=0, max_value=1e6, allow_nan=False),
    one=st.text(min_size=1).filter(str.strip),
    many=st.text(min_size=1).filter(str.strip),
)
def test_one_unit_for_exactly_one_and_many_for_every_other_amount(
    amount: float, one: str, many: str
) -> None:
    assert unit("meetup:x", amount, (one, many)) == (one if amount == 1 else many)


def test_the_metrics_command_lists_every_metric_in_words(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    host = PluginHost(entry_points=False, plugins=[_Meetup()], environ={})
    monkeypatch.setattr(plugin_host, "default_host", lambda: host)
    monkeypatch.setenv("NO_COLOR", "1")
    out = ok(capsys, "metrics")
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(lines) == set(host.metrics)
    assert "warm intro, warm intros" in lines["meetup:warm_intros"]
    assert lines["meetup:warm_intros"].split("  ")[-1].strip() == "Warm intros."
    assert "_Meetup" in lines["meetup:warm_intros"]
    assert "coffee, coffees" in lines["coffees"] and "built in" in lines["coffees"]
    assert "follow-up rate" in lines["follow_up_rate"]
    data = json.loads(ok(capsys, "--json", "metrics"))
    assert {d["name"] for d in data} == set(host.metrics)
    assert {
        "name": "meetup:warm_intros",
        "reads_as": "warm intro, warm intros",
        "from": "_Meetup",
        "description": "Warm intros.",
    } in data


def test_the_time_budget_finding_counts_in_the_metric_s_units() -> None:
    host = PluginHost(entry_points=False, plugins=[_Meetup()], environ={})
    plan = _plan(40).assess(netplan.SkillAssessment(DAY, [], netplan.Resources(hours_per_week=0.5)))
    review = host.review(plan, netplan.ActivityLog(), DAY)
    budget = [f for f in review.findings if "hours a week" in f.message]
    assert budget, [f.message for f in review.findings]
    assert "40 warm intros a month" in budget[0].message
