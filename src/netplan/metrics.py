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
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from attrs import field, frozen

from netplan import _validation as v
from netplan.errors import ValidationError
from netplan.log import ActivityLog
from netplan.network import FOLLOW_UP_KINDS, Event, InteractionKind, Segment
from netplan.periods import day_start
from netplan.plan import Plan

__all__ = [
    "BUILTIN_METRICS",
    "CountInteractions",
    "EventsAttended",
    "FollowUpRate",
    "Metric",
    "NewContacts",
    "OrganizationsJoined",
    "Window",
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

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        lo, hi = day_start(window.start), day_start(window.end)
        count = 0
        for contact_id, first in log.first_interactions().items():
            if lo <= first < hi and _in_segment(log, contact_id, segment):
                count += 1
        return float(count)


@frozen
class EventsAttended:
    """Events attended on days in the window; a segment matches the event's tags (tag),
    or its organizer (organization, industry)."""

    name: str = "events_attended"
    description: str = "Events attended in the window."

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        events = log.events(window.start, window.end, attended=True)
        return float(sum(1 for event in events if _event_in_segment(log, event, segment)))


@frozen
class OrganizationsJoined:
    """Memberships that began in the window."""

    name: str = "organizations_joined"
    description: str = "Organizations joined (memberships begun) in the window."

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
        lo, hi = day_start(window.start), day_start(window.end)
        met = followed = 0
        for contact_id, first in log.first_interactions().items():
            if not (lo <= first < hi) or not _in_segment(log, contact_id, segment):
                continue
            history = log.interactions(contact=contact_id)
            meeting = next((i.at for i in history if i.kind in after), None)
            if meeting is None:
                continue
            met += 1
            due = meeting + dt.timedelta(days=days)
            if any(i.kind in FOLLOW_UP_KINDS and meeting < i.at <= due for i in history):
                followed += 1
        return followed / met if met else 1.0


def _in_segment(log: ActivityLog, contact_id: str, segment: Segment | None) -> bool:
    if segment is None:
        return True
    contact = log.contact(contact_id)
    organization = log.organizations_by_id().get(contact.organization or "")
    return segment.matches(contact, organization)


def _event_in_segment(log: ActivityLog, event: Event, segment: Segment | None) -> bool:
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
)
"""netplan's own metrics, registered through the metrics hook like any plugin's."""


def by_name(metrics: Iterable[Metric]) -> dict[str, Metric]:
    """Metrics keyed by name (a later one with the same name wins)."""
    return {metric.name: metric for metric in metrics}
