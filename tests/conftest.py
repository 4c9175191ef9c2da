"""Hypothesis profiles: ``dev`` (fast, the default) and ``ci`` (more examples).

Pick one with NETPLAN_HYPOTHESIS_PROFILE; CI sets it to ``ci``.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, settings

import netplan

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("NETPLAN_HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def maya() -> netplan.Plan:
    """Maya's plan from the scenarios: two goals, a meetup, a quota, a follow-up policy."""
    plan = netplan.Plan(
        "Maya",
        start=dt.date(2026, 11, 1),
        follow_up=netplan.FollowUpPolicy(within_days=2),
        keep_in_touch=[
            netplan.CadenceRule.tier("a", ideal_days=21),
            netplan.CadenceRule.tier("b", ideal_days=60, max_days=90),
        ],
    )
    plan = plan.add_goal(
        netplan.Goal(
            "Learn about climate tech",
            kind="learn_industry",
            why="I want to move into climate tech",
            until=dt.date(2027, 6, 30),
            targets=[
                netplan.Target(
                    2, "events_attended", per="month", segment=netplan.Segment(tag="climate")
                ),
                netplan.Target(
                    3, "coffees", per="month", segment=netplan.Segment(industry="energy")
                ),
            ],
        )
    )
    plan = plan.add_goal(
        netplan.Goal(
            "Find a job",
            kind="find_job",
            targets=[netplan.Target(5, "referrals", by=dt.date(2027, 9, 30))],
        )
    )
    plan = plan.add_action(
        netplan.PlannedAction(
            "Climate meetup",
            kind="attend_events",
            schedule=netplan.Recurrence.nth_weekday("TU", 2, start=dt.date(2026, 11, 1)),
            goals={"learn-about-climate-tech"},
            skills={"working_a_room", "starting_conversations"},
        )
    )
    plan = plan.add_action(
        netplan.PlannedAction(
            "Any two events",
            kind="attend_events",
            schedule=netplan.Quota(2, "month"),
            goals={"learn-about-climate-tech", "find-a-job"},
        )
    )
    return plan.add_action(
        netplan.PlannedAction(
            "LinkedIn post",
            kind="post_social",
            schedule=netplan.Recurrence.weekly("FR", start=dt.date(2026, 11, 1)),
            skills={"online_presence"},
        )
    )
