"""Maya's plan, six weeks in: a realistic example to try netplan on.

``netplan review --example`` loads it into a temporary store and reviews it; the
tutorial and the notebooks start from it. It is built from fixed values (no clock), so
it reviews the same way on any day: its own day is :attr:`Example.as_of`.

>>> from netplan.testing.example import maya
>>> example = maya()
>>> example.plan.person, example.as_of
('Maya', datetime.date(2026, 12, 15))
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from netplan.core.actions import CadenceRule, FollowUpPolicy, PlannedAction
from netplan.core.goals import Goal, Target
from netplan.core.log import ActivityLog
from netplan.core.network import Contact, Event, Interaction, Organization, Segment
from netplan.core.periods import UTC
from netplan.core.plan import Plan
from netplan.core.schedule import Quota, Recurrence
from netplan.core.skills import Rating, Resources, SkillAssessment

__all__ = ["Example", "maya"]


@frozen
class Example:
    """A plan, its activity log, and the day it is meant to be reviewed on."""

    plan: Plan
    log: ActivityLog
    as_of: dt.date


def _at(day: str, time: str = "19:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=UTC)


def maya() -> Example:
    """Maya, a data engineer moving into climate tech (see the tutorial): two goals, a
    skill assessment, four planned actions, 13 contacts and six weeks of her log, to
    be reviewed on 15 December 2026."""
    start = dt.date(2026, 11, 1)
    climate = Segment(tag="climate")
    plan = Plan("Maya", start=start)
    plan = plan.add_goal(
        Goal(
            "Learn about climate tech",
            kind="learn_industry",
            why="I want to move from data engineering into climate tech",
            until=dt.date(2027, 6, 30),
            targets=[
                Target(2, "events_attended", per="month", segment=climate),
                Target(3, "coffees", per="month", segment=climate),
            ],
        )
    )
    plan = plan.add_goal(
        Goal(
            "Find a job",
            kind="find_job",
            why="A data role at a climate company by autumn",
            targets=[
                Target(5, "referrals", by=dt.date(2027, 9, 30)),
                Target(4, "new_contacts", per="month"),
            ],
        )
    )
    plan = plan.assess(
        SkillAssessment(
            start,
            [
                Rating("starting_conversations", 4),
                Rating("following_up", 2, desired=4, evidence="wrote after 1 of 5 meetings"),
                Rating("online_presence", 1, desired=3),
            ],
            Resources(hours_per_week=4, budget_per_month=60),
        )
    )
    plan = plan.add_action(
        PlannedAction(
            "Climate meetup",
            kind="attend_events",
            schedule=Recurrence.nth_weekday("TU", 2, start=start),
            goals={"learn-about-climate-tech"},
            skills={"working_a_room"},
        )
    )
    plan = plan.add_action(
        PlannedAction(
            "LinkedIn post",
            kind="post_social",
            schedule=Recurrence.weekly("FR", start=start),
            skills={"online_presence"},
        )
    )
    plan = plan.add_action(
        PlannedAction("Any two events", kind="attend_events", schedule=Quota(2, "month"))
    )
    plan = plan.add_action(
        PlannedAction(
            "Ask for a referral",
            kind="reach_out",
            schedule=Quota(1, "month"),
            goals={"find-a-job"},
        )
    )
    plan = plan.with_follow_up(FollowUpPolicy(within_days=2))
    plan = plan.keep_in_touch_with(CadenceRule.tier("a", ideal_days=21))
    plan = plan.keep_in_touch_with(CadenceRule.tier("b", ideal_days=60))
    return Example(plan, _log(), dt.date(2026, 12, 15))


def _log() -> ActivityLog:
    log = ActivityLog()
    log.add(
        Organization("Sunrise Power", id="sunrise-power"),
        Organization("GridWise", id="gridwise"),
        Organization("Acme Fintech", id="acme-fintech"),
        Event("Climate Tech Summit", dt.date(2026, 11, 10), tags={"climate"}),
        Event("Climate meetup", dt.date(2026, 11, 10), tags={"climate"}, id="meetup-nov"),
        Event("Energy data night", dt.date(2026, 11, 19), tags={"climate"}),
        Event("Climate meetup", dt.date(2026, 12, 8), tags={"climate"}, id="meetup-dec"),
        Event("Fintech drinks", dt.date(2026, 12, 3)),
    )
    people = [
        ("Lena Berg", "sunrise-power", "a", {"climate"}, "Climate Tech Summit"),
        ("Tomás Ruiz", "gridwise", "a", {"climate"}, "Climate Tech Summit"),
        ("Priya Rao", "gridwise", "b", {"climate"}, "Energy data night"),
        ("Olu Adeyemi", None, "b", {"climate"}, "Energy data night"),
        ("Mei Wang", "sunrise-power", "b", {"climate"}, "Climate meetup"),
        ("Jonas Vogel", None, "c", {"climate"}, "Climate meetup"),
        ("Sara Lind", "acme-fintech", "a", set(), "former colleague"),
        ("Ben Okafor", "acme-fintech", "b", set(), "former colleague"),
        ("Ines Dubois", None, "c", set(), "Fintech drinks"),
        ("Lars Berg", None, "c", {"climate"}, "Climate meetup"),
        ("Ana Silva", "gridwise", "b", {"climate"}, "introduced by Tomás"),
        ("Eun-ji Chen", None, "c", set(), "Fintech drinks"),
        ("Gonzalo Pérez", "sunrise-power", "c", {"climate"}, "Climate meetup"),
    ]
    log.add(
        *(
            Contact(name, organization=org, tier=tier, tags=tags, met_where=where)
            for name, org, tier, tags, where in people
        )
    )
    summit, nov, night, dec, drinks = (
        "climate-tech-summit-2026-11-10",
        "meetup-nov",
        "energy-data-night-2026-11-19",
        "meetup-dec",
        "fintech-drinks-2026-12-03",
    )
    log.add(
        Interaction("call", _at("2026-11-04", "12:00"), contact="sara-lind"),
        Interaction("met", _at("2026-11-10", "10:30"), contact="lena-berg", event=summit),
        Interaction("met", _at("2026-11-10", "15:00"), contact="tomas-ruiz", event=summit),
        Interaction("met", _at("2026-11-10", "19:30"), contact="mei-wang", event=nov),
        Interaction("met", _at("2026-11-10", "20:00"), contact="jonas-vogel", event=nov),
        Interaction("follow_up", _at("2026-11-11", "09:00"), contact="lena-berg"),
        Interaction("post", _at("2026-11-13", "08:00"), notes="What I learned at the summit"),
        Interaction("coffee", _at("2026-11-17", "08:30"), contact="lena-berg"),
        Interaction("met", _at("2026-11-19", "19:00"), contact="priya-rao", event=night),
        Interaction("met", _at("2026-11-19", "19:40"), contact="olu-adeyemi", event=night),
        Interaction("follow_up", _at("2026-11-24", "18:00"), contact="priya-rao"),
        Interaction("intro_received", _at("2026-11-25", "11:00"), contact="tomas-ruiz"),
        Interaction("coffee", _at("2026-11-26", "08:30"), contact="ana-silva"),
        Interaction("post", _at("2026-11-27", "08:00"), notes="Grid data in one chart"),
        Interaction("met", _at("2026-12-03", "19:00"), contact="ines-dubois", event=drinks),
        Interaction("met", _at("2026-12-03", "19:30"), contact="eun-ji-chen", event=drinks),
        Interaction("coffee", _at("2026-12-04", "08:30"), contact="ben-okafor"),
        Interaction("met", _at("2026-12-08", "19:15"), contact="lars-berg", event=dec),
        Interaction("met", _at("2026-12-08", "19:45"), contact="gonzalo-perez", event=dec),
        Interaction("follow_up", _at("2026-12-09", "09:00"), contact="lars-berg"),
        Interaction("coffee", _at("2026-12-10", "08:30"), contact="tomas-ruiz"),
        Interaction("referral", _at("2026-12-11", "16:00"), contact="tomas-ruiz"),
    )
    return log
