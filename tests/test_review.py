from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.evaluation import review
from netplan.core.metrics import (
    BUILTIN_METRICS,
    CountInteractions,
    EventsAttended,
    NewContacts,
    Window,
)
from netplan.core.pace import Status
from netplan.testing import strategies as nst

D = dt.date
UTC = netplan.UTC


def at(month: int, day: int, hour: int = 19) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def log() -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Organization(
                "Sunrise Power",
                industry="energy",
                memberships=[netplan.Membership(D(2026, 11, 12))],
            ),
            netplan.Contact("Lena Berg", tags={"climate"}, organization="sunrise-power"),
            netplan.Contact("Omar Haddad", tags={"fintech"}),
            netplan.Event("Climate Tech Summit", D(2026, 11, 10), tags={"climate"}),
            netplan.Event("Fintech Night", D(2026, 11, 12), attended=False),
            netplan.Interaction(
                "met", at(11, 10), contact="lena-berg", event="climate-tech-summit-2026-11-10"
            ),
            netplan.Interaction("follow_up", at(11, 11), contact="lena-berg"),
            netplan.Interaction("coffee", at(11, 14), contact="lena-berg"),
            netplan.Interaction("met", at(10, 20), contact="omar-haddad"),
            netplan.Interaction("referral", at(11, 13), contact="omar-haddad"),
        ]
    )


def measure(
    name: str,
    log: netplan.ActivityLog,
    plan: netplan.Plan,
    start: dt.date,
    end: dt.date,
    segment: netplan.Segment | None = None,
) -> float:
    metric = {m.name: m for m in BUILTIN_METRICS}[name]
    return metric.measure(plan, log, Window(start, end), segment)


def test_builtin_metrics_count_what_their_names_say(
    log: netplan.ActivityLog, maya: netplan.Plan
) -> None:
    november = (D(2026, 11, 1), D(2026, 12, 1))
    assert measure("new_contacts", log, maya, *november) == 1  # Omar was met in October
    assert measure("new_contacts", log, maya, D(2026, 10, 1), D(2026, 12, 1)) == 2
    assert measure("events_attended", log, maya, *november) == 1
    assert measure("events_attended", log, maya, *november, netplan.Segment(tag="fintech")) == 0
    assert measure("coffees", log, maya, *november) == 1
    assert measure("follow_ups", log, maya, *november) == 1
    assert measure("referrals_and_intros", log, maya, *november) == 1
    assert measure("interactions", log, maya, *november, netplan.Segment(industry="energy")) == 3
    assert measure("organizations_joined", log, maya, *november) == 1


def test_a_review_measures_every_target_of_the_active_goals(
    log: netplan.ActivityLog, maya: netplan.Plan
) -> None:
    result = review(maya, log, D(2026, 11, 15))
    by_target = {(p.goal, p.target): p for p in result.progress}
    events = by_target[("learn-about-climate-tech", "events_attended")]
    assert (events.actual, events.expected) == (1.0, 1.0)  # 2 a month, half-way, one attended
    # On the road: the second event is due on the month's last day.
    assert (events.status, events.buffer_days) == (Status.ON_TRACK, 15)
    assert (events.needed, events.needed_by) == (1, D(2026, 11, 30))
    coffees = by_target[("learn-about-climate-tech", "coffees")]
    assert coffees.actual == 1.0  # the coffee with Lena, in energy
    assert result.failures == ()
    assert "learn-about-climate-tech/events_attended: 1 of 2" in str(result)


def test_a_missing_or_failing_metric_is_reported_and_the_review_completes(
    log: netplan.ActivityLog, maya: netplan.Plan
) -> None:
    class Broken:
        name = "referrals"
        description = "always fails"

        def measure(self, plan: object, log: object, window: object, segment: object) -> float:
            raise RuntimeError("bug in my plugin")

    metrics = [m for m in BUILTIN_METRICS if m.name not in {"referrals", "coffees"}] + [Broken()]
    result = review(maya, log, D(2026, 11, 15), metrics)
    failures = {(f.goal, f.metric): f.error for f in result.failures}
    assert failures[("find-a-job", "referrals")] == "RuntimeError: bug in my plugin"
    assert "no metric of that name" in failures[("learn-about-climate-tech", "coffees")]
    assert any(p.target == "events_attended" for p in result.progress)


def test_the_builtin_metrics_are_plugins_of_the_host() -> None:
    host = netplan.plugins.PluginHost(entry_points=False)
    assert {"new_contacts", "events_attended", "coffees"} <= set(host.metrics)
    assert "metric:new_contacts" in host.report()["netplan.plugins.metrics"].registers


@given(
    nst.activity_logs(max_interactions=30),
    nst.interactions(contact_ids=["x"], min_value=D(2025, 1, 1), max_value=D(2027, 1, 1)),
    st.sampled_from(
        [
            m
            for m in BUILTIN_METRICS
            if isinstance(m, (CountInteractions, NewContacts, EventsAttended))
        ]
    ),
    st.none() | nst.segments(),
)
def test_adding_an_interaction_never_decreases_a_count(
    log: netplan.ActivityLog,
    extra: netplan.Interaction,
    metric: netplan.core.metrics.Metric,
    segment: netplan.Segment | None,
) -> None:
    plan = netplan.Plan("Maya", start=D(2025, 1, 1))
    contact = log.contacts[0].id
    window = Window(D(2025, 1, 1), D(2027, 1, 1))
    before = metric.measure(plan, log, window, segment)
    log.add(
        netplan.Interaction(
            extra.kind, extra.at, contact=None if extra.kind.value == "post" else contact
        )
    )
    assert metric.measure(plan, log, window, segment) >= before


def test_follow_up_rate_counts_new_people_followed_up_in_time(
    log: netplan.ActivityLog, maya: netplan.Plan
) -> None:
    november = (D(2026, 11, 1), D(2026, 12, 1))
    # Lena: met on the 10th, followed up on the 11th (within Maya's 2 days).
    assert measure("follow_up_rate", log, maya, *november) == 1.0
    log.add(
        netplan.Contact("Ines Ruiz"),
        netplan.Interaction("met", at(11, 20), contact="ines-ruiz"),
        netplan.Interaction("follow_up", at(11, 25), contact="ines-ruiz"),  # 5 days: late
    )
    assert measure("follow_up_rate", log, maya, *november) == 0.5
    assert measure("follow_up_rate", log, maya, D(2027, 1, 1), D(2027, 2, 1)) == 1.0  # nobody new
    relaxed = maya.with_follow_up(netplan.FollowUpPolicy(within_days=7))
    assert measure("follow_up_rate", log, relaxed, *november) == 1.0
