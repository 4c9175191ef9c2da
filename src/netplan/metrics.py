"""Step 5, evaluate: metrics, the measures targets are counted in.

A metric has a name (what a :class:`~netplan.Target` names) and measures a plan's log over a
window of days, optionally narrowed to a segment. netplan's own metrics are below; a
plugin adds more through the ``netplan_register_metrics`` hook, and a metric is a few
lines::

    class MentoringHours:
        name = "mentoring_hours"
        description = "Hours of mentoring calls."

        def measure(self, plan, log, window, segment):
            calls = log.interactions(window.start, window.end, kind="call", segment=segment)
            return sum(1 for call in calls if "mentoring" in call.notes) * 1.0

Windows are half-open ``[start, end)`` ranges of days, read as midnight UTC (the log's
convention for dates).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from attrs import field, frozen

from netplan import _validation as v
from netplan.errors import ValidationError
from netplan.log import ActivityLog
from netplan.network import FOLLOW_UP_KINDS, Event, InteractionKind, Segment
from netplan.periods import day_start
from netplan.plan import Plan
from netplan.skills import SkillAssessment

__all__ = [
    "BUILTIN_METRICS",
    "CountInteractions",
    "EventsAttended",
    "FollowUpLatency",
    "FollowUpRate",
    "Metric",
    "NewContacts",
    "OrganizationsJoined",
    "Relationships",
    "SkillChangeMetric",
    "SkillLevel",
    "Window",
    "event_in_segment",
]


@frozen
class Window:
    """The days ``[start, end)`` a metric is measured over."""

    start: dt.date = field(validator=v.a_date)
    end: dt.date = field(validator=v.a_date)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("Window.end", self.end, f"must not be before start={self.start}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end


@runtime_checkable
class Metric(Protocol):
    """A named measure of a plan's activity over a window of days."""

    @property
    def name(self) -> str:
        """What targets call it: ``Target(4, "new_contacts", per="month")``."""
        ...

    @property
    def description(self) -> str:
        """One sentence a person reads in a review."""
        ...

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float: ...


@frozen
class CountInteractions:
    """How many interactions of some kinds happened in the window (with the segment)."""

    name: str
    kinds: frozenset[InteractionKind] | None
    description: str

    window_local = True
    additive = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        return float(
            log.count(
                day_start(window.start), day_start(window.end), kind=self.kinds, segment=segment
            )
        )


@frozen
class NewContacts:
    """Contacts first interacted with in the window (with the segment)."""

    name: str = "new_contacts"
    description: str = "Contacts whose first interaction falls in the window."

    window_local = True
    additive = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        return float(log.count_first_seen(window.start, window.end, segment=segment))


@frozen
class EventsAttended:
    """Events attended on days in the window; a segment matches the event's tags (tag),
    or its organizer (organization, industry)."""

    name: str = "events_attended"
    description: str = "Events attended in the window."

    window_local = True
    additive = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        events = log.events(window.start, window.end, attended=True)
        return float(sum(1 for event in events if event_in_segment(log, event, segment)))


@frozen
class OrganizationsJoined:
    """Memberships that began in the window."""

    name: str = "organizations_joined"
    description: str = "Organizations joined (memberships begun) in the window."

    window_local = True
    additive = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        return float(
            sum(
                1
                for organization in log.organizations
                for membership in organization.memberships
                if membership.since in window
                and (segment is None or segment.organization in (None, organization.id))
                and (segment is None or segment.industry in (None, organization.industry))
            )
        )


@frozen
class FollowUpRate:
    """The share of people first met in the window who were followed up in time.

    "Met" and "in time" come from the plan's follow-up policy (default: met, within 2
    days). A follow-up is a later follow-up, message, call or coffee with the same person.
    With nobody new in the window the rate is 1: there was nothing to miss.
    """

    name: str = "follow_up_rate"
    description: str = "Share of new people followed up within the follow-up policy's window."

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        after = plan.follow_up.after if plan.follow_up else frozenset({InteractionKind.MET})
        days = plan.follow_up.within_days if plan.follow_up else 2
        met = followed = 0
        for contact_id in log.first_seen(window.start, window.end, segment=segment):
            history = log.interactions(contact=contact_id)
            meeting = next((i.at for i in history if i.kind in after), None)
            if meeting is None:
                continue
            met += 1
            due = meeting + dt.timedelta(days=days)
            if any(i.kind in FOLLOW_UP_KINDS and meeting < i.at <= due for i in history):
                followed += 1
        return followed / met if met else 1.0


@frozen
class FollowUpLatency:
    """How long people first met in the window waited for a follow-up, in days.

    For each contact first interacted with in the window (with the segment): the time from
    their first meeting (the plan's follow-up policy says which kinds meet; default
    ``met``) to the first later follow-up, message, call or coffee, whenever it came. The
    value is the ``quantile`` of those delays by the nearest-rank method (0.5: the
    median; 0.9: the 90th percentile). People never followed up are left out (the
    follow-up rate counts them); with nobody followed up the value is 0.
    """

    name: str
    quantile: float
    description: str

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        after = plan.follow_up.after if plan.follow_up else frozenset({InteractionKind.MET})
        delays: list[float] = []
        for contact_id in log.first_seen(window.start, window.end, segment=segment):
            history = log.interactions(contact=contact_id)
            meeting = next((i.at for i in history if i.kind in after), None)
            if meeting is None:
                continue
            answer = next(
                (i.at for i in history if i.kind in FOLLOW_UP_KINDS and i.at > meeting), None
            )
            if answer is not None:
                delays.append((answer - meeting) / dt.timedelta(days=1))
        if not delays:
            return 0.0
        delays.sort()
        return delays[max(0, math.ceil(self.quantile * len(delays)) - 1)]


@frozen
class Relationships:
    """Contacts with a keep-in-touch cadence, counted by where they stand at the end of the
    window (its last day).

    ``active``: the last interaction is at most the cadence's ideal interval ago;
    ``dormant``: more than its maximum interval ago. A contact in between is due, and
    counted by neither. Contacts never interacted with before the window's end have no
    clock and are not counted.
    """

    name: str
    dormant: bool
    description: str

    window_local = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        if not plan.keep_in_touch:
            return 0.0
        end = day_start(window.end)
        last_day = window.end - dt.timedelta(days=1)
        count = 0
        organizations = log.organizations_by_id()
        for contact in log.contacts:
            if segment is not None and not segment.matches(
                contact, organizations.get(contact.organization or "")
            ):
                continue
            cadence = plan.cadence_for(contact)
            if cadence is None:
                continue
            last = log.last_interaction(contact.id)
            if last is not None and last >= end:
                earlier = log.interactions(end=end, contact=contact.id)
                last = earlier[-1].at if earlier else None
            if last is None:
                continue
            days = (last_day - last.date()).days
            if (days > cadence.max_days) if self.dormant else (days <= cadence.ideal_days):
                count += 1
        return float(count)


@frozen
class SkillLevel:
    """The mean self-rated level (1 to 5) in the latest assessment up to the window's last
    day; 0 before the first assessment. Skills, not contacts: the segment is ignored."""

    name: str = "skill_level"
    description: str = "Mean self-rated skill level in the latest assessment."

    window_local = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        latest = _latest_assessment(plan, window.end)
        return _mean_level(latest) if latest is not None else 0.0


@frozen
class SkillChangeMetric:
    """How much the mean self-rated level rose over the window: the latest assessment up to
    its last day against the latest one before it starts (or, without one, the first in
    the window). 0 with fewer than two assessments to compare."""

    name: str = "skill_change"
    description: str = "Change of the mean self-rated skill level over the window."

    window_local = True

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        latest = _latest_assessment(plan, window.end)
        before = _latest_assessment(plan, window.start) or next(
            (a for a in plan.assessments if a.on in window), None
        )
        if latest is None or before is None or latest is before:
            return 0.0
        return _mean_level(latest) - _mean_level(before)


def _latest_assessment(plan: Plan, end: dt.date) -> SkillAssessment | None:
    """The latest assessment on a day before ``end``."""
    return next((a for a in reversed(plan.assessments) if a.on < end), None)


def _mean_level(assessment: SkillAssessment) -> float:
    ratings = assessment.ratings
    return sum(r.level for r in ratings) / len(ratings) if ratings else 0.0


def event_in_segment(log: ActivityLog, event: Event, segment: Segment | None) -> bool:
    """Whether ``event`` is in ``segment``: its tags hold the tag, its organizer is the
    organization or works in the industry (any event is in no segment)."""
    if segment is None:
        return True
    if segment.tag is not None and segment.tag not in event.tags:
        return False
    if segment.organization is not None and segment.organization != event.organizer:
        return False
    if segment.industry is not None:
        organizer = log.organizations_by_id().get(event.organizer or "")
        if organizer is None or organizer.industry != segment.industry:
            return False
    return True


def _kinds(*kinds: InteractionKind) -> frozenset[InteractionKind]:
    return frozenset(kinds)


K = InteractionKind
BUILTIN_METRICS: tuple[Metric, ...] = (
    NewContacts(),
    FollowUpRate(),
    EventsAttended(),
    OrganizationsJoined(),
    CountInteractions("interactions", None, "Interactions of any kind."),
    CountInteractions("meetings", _kinds(K.MET), "People met."),
    CountInteractions("follow_ups", _kinds(K.FOLLOW_UP), "Follow-ups sent."),
    CountInteractions("messages", _kinds(K.MESSAGE), "Messages."),
    CountInteractions("calls", _kinds(K.CALL), "Calls."),
    CountInteractions("coffees", _kinds(K.COFFEE), "Coffee chats."),
    CountInteractions("intros_given", _kinds(K.INTRO_GIVEN), "Introductions given."),
    CountInteractions("intros_received", _kinds(K.INTRO_RECEIVED), "Introductions received."),
    CountInteractions("referrals", _kinds(K.REFERRAL), "Referrals."),
    CountInteractions(
        "referrals_and_intros",
        _kinds(K.REFERRAL, K.INTRO_RECEIVED),
        "Referrals and introductions received.",
    ),
    CountInteractions("posts", _kinds(K.POST), "Social media posts."),
    FollowUpLatency(
        "follow_up_latency_median", 0.5, "Median days from meeting someone new to following up."
    ),
    FollowUpLatency(
        "follow_up_latency_p90",
        0.9,
        "Days within which 90% of new people were followed up (90th percentile).",
    ),
    Relationships(
        "active_relationships", False, "Contacts kept in touch with within their cadence."
    ),
    Relationships(
        "dormant_relationships", True, "Contacts not in touch for longer than their cadence allows."
    ),
    SkillLevel(),
    SkillChangeMetric(),
)
"""netplan's own metrics, registered through the metrics hook like any plugin's."""


def by_name(metrics: Iterable[Metric]) -> dict[str, Metric]:
    """Metrics keyed by name (a later one with the same name wins)."""
    return {metric.name: metric for metric in metrics}
