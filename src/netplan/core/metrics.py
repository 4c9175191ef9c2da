"""Step 5, evaluate: metrics, the measures targets are counted in.

A metric has a name (what a :class:`~netplan.Target` names) and measures a plan's log over a
window of days, optionally narrowed to a segment. A count that grows over its window (the
default) is judged against a steady pace; a metric that measures a level instead (a share,
a median, a skill level) declares ``cumulative = False`` and is judged by its value alone.
netplan's own metrics are below; a plugin adds more through the ``netplan_register_metrics``
hook, and a metric is a few lines::

    class MentoringHours:
        name = "mentoring_hours"
        description = "Hours of mentoring calls."

        def measure(self, plan, log, window, segment):
            calls = log.interactions(window.starts_at, window.ends_at, kind="call", segment=segment)
            return sum(1 for call in calls if "mentoring" in call.notes) * 1.0

Windows are half-open ``[start, end)`` ranges of the plan's local days: ``starts_at`` and
``ends_at`` are the instants they begin and end in the plan's zone, what the log's
queries take. (A day given to the log instead is read as a UTC day.) A review measures
only what was logged by the end of the day it reviews: the log a metric is given holds
nothing later.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import operator
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core._columns import KIND_CODE
from netplan.core._indexes import LATEST
from netplan.core.actions import FollowUpPolicy, KeepInTouch, Scope
from netplan.core.errors import NotFoundError, ValidationError
from netplan.core.instants import to_micros
from netplan.core.log import ActivityLog
from netplan.core.network import FOLLOW_UP_KINDS, Event, InteractionKind, Organization, Segment
from netplan.core.plan import Plan
from netplan.core.skills import SkillAssessment
from netplan.core.zones import UTC_ZONE, Zone

__all__ = [
    "BUILTIN_METRICS",
    "CountInteractions",
    "EventsAttended",
    "FollowUpLatency",
    "FollowUpRate",
    "Metric",
    "MetricCapabilities",
    "NewContacts",
    "OrganizationsJoined",
    "Relationships",
    "SkillChangeMetric",
    "SkillLevel",
    "Window",
    "cadence_groups",
    "event_in_segment",
    "metric_units",
]

_DAY = dt.timedelta(days=1)
_DEFAULT_FOLLOW_UP = FollowUpPolicy(within_days=2)
_DAY_US = 86_400_000_000
_FOLLOW_UP_CODES = frozenset(KIND_CODE[k] for k in FOLLOW_UP_KINDS)


@frozen
class Window:
    """The local days ``[start, end)`` a metric is measured over, in the plan's ``zone``."""

    start: dt.date = field(validator=v.a_date)
    end: dt.date = field(validator=v.a_date)
    zone: Zone = field(default=UTC_ZONE, validator=v.instance_of(Zone))

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("Window.end", self.end, f"must not be before start={self.start}")

    @property
    def starts_at(self) -> dt.datetime:
        """The instant the window's first day begins in its zone (in UTC)."""
        return self.zone.start(self.start)

    @property
    def ends_at(self) -> dt.datetime:
        """The instant the window ends: when the day after its last begins in its zone."""
        return self.zone.start(self.end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end


cached_window = functools.lru_cache(maxsize=4096)(Window)
"""``Window(start, end, zone)``, each made (and checked) once: a review asks for the same
few windows hundreds of times (each target's periods, each rule's history), and a
re-review after one more interaction asks for them all again."""


@runtime_checkable
class Metric(Protocol):
    """A named measure of a plan's activity over a window of days.

    Besides ``name``, ``description`` and ``measure``, a metric may declare what a review
    may rely on, as class attributes (each optional; :class:`MetricCapabilities` holds
    their defaults and reads them): ``window_local = True`` (a measure depends only on
    what happened before its window's end), ``newcomer_local = True`` (only on the
    contacts first seen in its window), ``additive = True`` (the measure of a window is
    the sum of the measures of its parts) and ``cumulative = False`` (it measures a level,
    a share or a median, not a count that grows over its window).

    A metric may also say what it counts, in words, for reviews, charts and the command
    line: ``units = ("warm intro", "warm intros")`` (one, many), so a target reads "1 warm
    intro a month", "3 warm intros a quarter". Without it, the name after its colon reads
    as the unit (``meetup:warm_intros`` as "warm intros"). :func:`metric_units` reads it.
    """

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
class MetricCapabilities:
    """What a :class:`Metric` declares of how a review may use its measures. Each is a
    class attribute of the metric of the same name, optional, with these defaults:

    * ``window_local`` (False): a measure depends only on the records and interactions
      before its window's end, so a :class:`~netplan.Reviewer` keeps it until an
      interaction lands before that end;
    * ``newcomer_local`` (False): a measure depends only on the contacts first seen in its
      window, and on their interactions whenever they happened (a follow-up rate), so a
      reviewer keeps it until an interaction is logged with one of them (or becomes
      someone's first);
    * ``additive`` (False): the measure of a window is the sum of the measures of its
      parts (a count is; a median or a count of distinct people is not), so a reviewer
      measures again only the days after the last review;
    * ``cumulative`` (True): the measure is a count that grows over its window, judged
      against the pace of its road; False: a level (a share, a median), judged by its
      value alone, with no pace (:func:`netplan.core.pace.progress`).

    A wrong ``window_local`` or ``additive`` gives wrong re-reviews; a missing one only
    costs time.
    """

    window_local: bool = False
    newcomer_local: bool = False
    additive: bool = False
    cumulative: bool = True

    @classmethod
    def of(cls, metric: object) -> MetricCapabilities:
        """What ``metric`` declares (the defaults for what it leaves out): the one place
        they are read, so a review, a reviewer and the plugin host agree.

        Raises:
            ValidationError: a declared value is not True or False (``window_local =
                "yes"`` would otherwise read as a promise nobody made).
        """
        declared = {}
        for attribute in attrs.fields(cls):
            value = getattr(metric, attribute.name, attribute.default)
            if type(value) is not bool:
                name = getattr(metric, "name", type(metric).__name__)
                raise ValidationError(
                    f"{name}.{attribute.name}", value, "must be True or False (see netplan.Metric)"
                )
            declared[attribute.name] = value
        return cls(**declared)


def metric_units(metric: object) -> tuple[str, str] | None:
    """The ``units`` a metric declares (what one and many of its counts are called, see
    :class:`Metric`), or None when it declares none.

    >>> class WarmIntros:
    ...     units = ("warm intro", "warm intros")
    >>> metric_units(WarmIntros()), metric_units(object())
    (('warm intro', 'warm intros'), None)

    Raises:
        ValidationError: ``units`` is not two words of text (``units = "intros"`` would
            otherwise read as "i" and "n").
    """
    units = getattr(metric, "units", None)
    if units is None:
        return None
    if (
        not isinstance(units, tuple | list)
        or len(units) != 2
        or not all(isinstance(u, str) and u.strip() for u in units)
    ):
        name = getattr(metric, "name", type(metric).__name__)
        raise ValidationError(
            f"{name}.units",
            units,
            "must be what one and many of its counts are called, e.g. "
            '("warm intro", "warm intros") (see netplan.Metric)',
        )
    return (units[0].strip(), units[1].strip())


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
        return float(log.count(window.starts_at, window.ends_at, kind=self.kinds, segment=segment))


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
        return float(log.count_first_seen(window.starts_at, window.ends_at, segment=segment))


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
        joined, days = log.derived(("netplan:memberships-by-day",), lambda: _joined(log))
        first = bisect.bisect_left(days, window.start)
        chosen = joined[first : bisect.bisect_left(days, window.end, first)]
        if segment is None:
            return float(len(chosen))
        return float(
            sum(
                1
                for organization in chosen
                if segment.organization in (None, organization.id)
                and segment.industry in (None, organization.industry)
            )
        )


def _joined(log: ActivityLog) -> tuple[tuple[Organization, ...], list[dt.date]]:
    """The organization of each membership, by the day it began; and those days. A
    re-review measures the day reviewed again: a search, not a walk of every membership."""
    began = sorted(
        (
            (membership.since, organization.id, organization)
            for organization in log.organizations
            for membership in organization.memberships
        ),
        key=operator.itemgetter(0, 1),
    )
    return tuple(organization for _, _, organization in began), [day for day, _, _ in began]


@frozen
class FollowUpRate:
    """The share of people first met in the window who were followed up in time.

    "Met" and "in time" come from the plan's follow-up policy (default: met, within 2
    days): a follow-up, message, call or coffee with the same person after the meeting, by
    the end of the local day the policy gives (met on the 3rd, within 2 days: by the end
    of the 5th), whenever the review learns of it. A person counts once followed up, or
    once that day has passed before the window's last day; until then the follow-up is
    not due yet, and not a miss. With nobody counted the rate is 1: nothing was missed.
    """

    name: str = "follow_up_rate"
    description: str = "Share of new people followed up within the follow-up policy's window."

    newcomer_local = True
    cumulative = False  # a level, not a count that grows: no pace (netplan.core.pace)

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        policy = plan.follow_up or _DEFAULT_FOLLOW_UP
        met, answered = _meetings(log, window, segment, policy.after)
        if not met:
            return 1.0
        # Local days as ordinals, in bulk: followed up in time when the answer's day is
        # at most the due day; a miss once the due day is before the window's last day.
        zone, within = window.zone, policy.within_days
        due = list(map(within.__add__, zone.days(met)))
        never = max(met) + (within + 2) * _DAY_US  # after every due day: not followed
        replied = zone.days(list(map(min, answered, itertools.repeat(never))))
        late = list(map(operator.gt, replied, due))
        followed = len(late) - sum(late)
        last_day = (window.end - _DAY).toordinal()
        missed = sum(map(operator.and_, late, map(last_day.__gt__, due)))
        counted = followed + missed
        return followed / counted if counted else 1.0


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

    newcomer_local = True
    cumulative = False  # a level, not a count that grows: no pace (netplan.core.pace)

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        after = plan.follow_up.after if plan.follow_up else frozenset({InteractionKind.MET})
        met, answered = _meetings(log, window, segment, after)
        replied = list(map(LATEST.__ne__, answered))
        delays: list[int] = sorted(
            map(
                operator.sub,
                itertools.compress(answered, replied),
                itertools.compress(met, replied),
            )
        )
        if not delays:
            return 0.0
        return delays[max(0, math.ceil(self.quantile * len(delays)) - 1)] / _DAY_US


@frozen
class Relationships:
    """Contacts with a keep-in-touch cadence, counted by where they stand at the end of the
    window (its last local day).

    ``active``: the last interaction is at most the cadence's ideal interval ago, in local
    days; ``dormant``: more than its maximum interval ago. A contact in between is due, and
    counted by neither. Contacts never interacted with before the window's end have no
    clock and are not counted.
    """

    name: str
    dormant: bool
    description: str

    window_local = True
    cumulative = False  # a level, not a count that grows: no pace (netplan.core.pace)

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        if not plan.keep_in_touch:
            return 0.0
        zone = window.zone
        last_day = window.end - _DAY
        count = 0
        groups = cadence_groups(plan, log)
        log._build_groups((ids for _, ids in groups), segment)
        for cadence, ids in groups:
            # Active: heard from on or after the day ideal days before the last; dormant:
            # not since the day max days before it. Bounds, not a local day per contact.
            days = cadence.max_days if self.dormant else cadence.ideal_days
            bound = zone.start(last_day - dt.timedelta(days=days))
            seen, recent = log.count_in_touch(ids, bound, window.ends_at, segment=segment)
            count += seen - recent if self.dormant else recent
        return float(count)


@frozen
class SkillLevel:
    """The mean self-rated level (1 to 5) in the latest assessment up to the window's last
    day; 0 before the first assessment. Skills, not contacts: the segment is ignored."""

    name: str = "skill_level"
    description: str = "Mean self-rated skill level in the latest assessment."

    window_local = True
    cumulative = False  # a level, not a count that grows: no pace (netplan.core.pace)

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
    cumulative = False  # a level, not a count that grows: no pace (netplan.core.pace)

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


def _meetings(
    log: ActivityLog, window: Window, segment: Segment | None, after: frozenset[InteractionKind]
) -> tuple[list[int], list[int]]:
    """For the contacts first seen in ``window`` and met: when each was first met, and
    first followed up after that (:data:`LATEST`: not yet), in microseconds."""
    _, met, answered = log._first_meetings(
        to_micros(window.starts_at),
        to_micros(window.ends_at),
        frozenset(KIND_CODE[k] for k in after),
        _FOLLOW_UP_CODES,
        segment,
    )
    return met, answered


def follow_ups_unchanged(
    plan: Plan, log: ActivityLog, appended: Iterable[tuple[dt.datetime, str | None]]
) -> bool:
    """Whether every :class:`FollowUpRate` and :class:`FollowUpLatency` of ``plan``
    measures on ``log`` what it measured before ``appended`` (instants and contacts of
    interactions just added to it, as :meth:`~netplan.ActivityLog.appended_since` gives
    them) were added.

    Both read only who was first seen in a window, when each was first met and when
    first followed up after that. An interaction that is neither its contact's first,
    nor their first meeting, nor their first follow-up in ``log`` (by instant: a tie
    counts as changed) leaves all three as they were: taking it out again gives the same
    minimums. One not in ``log`` (after the day ``log`` ends) changes nothing in it.
    O(1) per interaction, from indexes a review of ``log`` has already built."""
    after = (plan.follow_up or _DEFAULT_FOLLOW_UP).after
    index = log._index()
    meetings = index.answered(frozenset(KIND_CODE[k] for k in after), _FOLLOW_UP_CODES)
    codes = log._contacts.index
    for at, contact in appended:
        if contact is None:
            continue
        code = codes.get(contact)
        if code is None:
            return False  # not a contact of this log: nothing to compare with
        micros = to_micros(at)
        if micros in (
            index.first_at.get(code),
            meetings.met.get(code),
            meetings.answer.get(code),
        ):
            return False
    return True


def _latest_assessment(plan: Plan, end: dt.date) -> SkillAssessment | None:
    """The latest assessment on a day before ``end``."""
    return next((a for a in reversed(plan.assessments) if a.on < end), None)


def _mean_level(assessment: SkillAssessment) -> float:
    ratings = assessment.ratings
    return sum(r.level for r in ratings) / len(ratings) if ratings else 0.0


def cadence_groups(plan: Plan, log: ActivityLog) -> tuple[tuple[KeepInTouch, tuple[str, ...]], ...]:
    """The contacts each of the plan's keep-in-touch cadences covers, in the log's order;
    worked out once per plan and kept by the log until a contact changes
    (:meth:`~netplan.ActivityLog.derived`)."""
    return log.derived(
        ("netplan:cadence-groups", plan.keep_in_touch), lambda: _cadence_groups(plan, log)
    )


def _cadence_groups(
    plan: Plan, log: ActivityLog
) -> tuple[tuple[KeepInTouch, tuple[str, ...]], ...]:
    groups: dict[KeepInTouch, list[str]] = {}
    for contact_id, cadence in _cadenced_contacts(plan, log):
        groups.setdefault(cadence, []).append(contact_id)
    return tuple((cadence, tuple(ids)) for cadence, ids in groups.items())


def _cadenced_contacts(plan: Plan, log: ActivityLog) -> Iterator[tuple[str, KeepInTouch]]:
    """The ids of the contacts a keep-in-touch rule applies to, with their cadence.

    A log may hold 100,000 contacts and a plan a handful of rules: matching a contact's
    tier and tags against sets is far cheaper than the cadence cascade, a plan with only
    per-contact rules never looks at anyone else, contacts alike in what the rules look
    at (tier, matching tags) share one cadence, and stored contacts are searched for the
    rules' tiers, tags and ids before any is read (:meth:`ActivityLog.contact_fields`).
    """
    rules = plan.keep_in_touch
    if not rules:
        return
    tiers = frozenset(r.key for r in rules if r.scope is Scope.TIER)
    tags = frozenset(r.key for r in rules if r.scope is Scope.TAG)
    ids = frozenset(r.key for r in rules if r.scope is Scope.CONTACT)
    if tiers or tags:
        fields = log.contact_fields(tiers | tags | ids, ("id", "tier", "tags"))
        found: Iterable[tuple[str, str | None, frozenset[str]]] = zip(
            fields["id"], fields["tier"], fields["tags"], strict=True
        )
    else:
        found = (
            (c.id, c.tier, c.tags) for c in (log.contact(i) for i in sorted(ids) if _in_log(log, i))
        )
    cadences: dict[tuple[str | None, str | None, frozenset[str]], KeepInTouch | None] = {}
    for contact_id, contact_tier, contact_tags in found:
        own = contact_id if contact_id in ids else None
        tier = contact_tier if contact_tier in tiers else None
        matching = tags & contact_tags
        if own is None and tier is None and not matching:
            continue
        key = (own, tier, matching)
        if key not in cadences:
            cadences[key] = plan.cadence_for(log.contact(contact_id))
        cadence = cadences[key]
        if cadence is not None:
            yield contact_id, cadence


def _in_log(log: ActivityLog, contact_id: str) -> bool:
    try:
        log.contact(contact_id)
    except NotFoundError:
        return False  # a rule for someone not (or no longer) in the log
    return True


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
