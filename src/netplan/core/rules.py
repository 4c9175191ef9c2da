"""Step 5, adjust: netplan's own rules (see :mod:`netplan.core.findings` for what a rule is).

Each rule is a small frozen value with a ``name``, a one-sentence ``description`` and a
pure ``check(context)``: the day is ``context.as_of``, nothing is read from a clock or a
file, and the same context gives the same findings in the same order. Their thresholds
are fields with defaults (``DormantContacts()`` or ``FollowUpsOverdue(urgent_days=3)``),
and ``docs/rules.md`` explains each one. They are registered through the rules hook
like any plugin's (:mod:`netplan.plugins.rules`).

"Passed" always means strictly after: a contact due on a day is not overdue on that day.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Collection, Iterator, Mapping
from types import MappingProxyType

from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core._words import SHARES, number, unit
from netplan.core.actions import ActionKind, KeepInTouch, PlannedAction
from netplan.core.agenda import REACH_OUT_KINDS, ItemKind, owed_follow_ups
from netplan.core.agenda import item_key as agenda_key
from netplan.core.findings import (
    AddAction,
    Finding,
    Hit,
    Rule,
    RuleContext,
    SetTargetAmount,
    Severity,
    Subject,
    SubjectKind,
    condense_ranked,
)
from netplan.core.goals import Goal, GoalStatus, Target
from netplan.core.log import ActivityLog
from netplan.core.metrics import cadence_groups, event_in_segment, metric_units
from netplan.core.network import InteractionKind
from netplan.core.pace import Progress, Status, road_for
from netplan.core.periods import Period
from netplan.core.plan import Plan
from netplan.core.schedule import Occurrence, Quota, Recurrence
from netplan.core.skills import SkillAssessment
from netplan.core.zones import Zone

__all__ = [
    "BUILTIN_RULES",
    "DEFAULT_HOURS_PER_UNIT",
    "HOURS_PER_UNIT",
    "SHARE_METRICS",
    "ActionNotDone",
    "DormantContacts",
    "FollowUpsOverdue",
    "SmartGoal",
    "TargetAlwaysMet",
    "TargetPace",
    "UnrealisticTarget",
    "UnservedSkill",
    "next_step",
]

_DAY = dt.timedelta(days=1)
_POSITIVE_INT = [v.instance_of(int), v.positive]
# Hit.order's first member for each severity a contact rule flags.
_URGENT, _WARNING = -Severity.URGENT.rank, -Severity.WARNING.rank

SHARE_METRICS = frozenset(SHARES)
"""Metrics that measure a share from 0 to 1 rather than a count of things done: no
amount of effort takes them past 1, and they cost no time of their own."""

HOURS_PER_UNIT: Mapping[str, float] = MappingProxyType(
    {
        "events_attended": 3.0,
        "coffees": 1.0,
        "meetings": 1.0,
        "calls": 0.5,
        "new_contacts": 0.5,
        "referrals": 0.5,
        "follow_up_rate": 0.0,
    }
)
"""Rough hours one unit of a metric takes (an event with the journey there is 3); a metric
not listed takes :data:`DEFAULT_HOURS_PER_UNIT`."""

DEFAULT_HOURS_PER_UNIT = 0.25
"""Hours one unit of a metric :data:`HOURS_PER_UNIT` does not list takes (a message, a post)."""


# -- wording shared by the rules ----------------------------------------------------------


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _what(target: Target, units: tuple[str, str] | None = None) -> str:
    what = units[1] if units else target.metric.replace("_", " ")
    return f"{what} ({target.segment})" if target.segment is not None else what


def _target_text(target: Target, amount: float, units: tuple[str, str] | None = None) -> str:
    """``4 new contacts a month``, ``5 referrals by 2027-09-30``."""
    when = f"a {target.per.value}" if target.per is not None else f"by {target.by}"
    return f"{number(amount)} {_what(target, units)} {when}"


def _units(context: RuleContext, target: Target) -> tuple[str, str] | None:
    """What the target's metric says it counts (a plugin's ``units``), if it says."""
    metric = context.metrics.get(target.metric)
    return None if metric is None else metric_units(metric)


def _more(metric: str, amount: float, units: tuple[str, str] | None = None) -> str:
    """``1 more coffee``, ``2 more coffees``, ``0.5 more mentoring hours``."""
    return f"{number(amount)} more {unit(metric, amount, units)}"


def _by(day: dt.date, today: dt.date) -> str:
    """When, as a person says it on ``today``: today, tomorrow, by Friday, by 2026-12-18."""
    days = (day - today).days
    if days <= 0:
        return "today"
    if days == 1:
        return "by tomorrow"
    if days < 7:
        return f"by {day:%A}"
    return f"by {day.isoformat()}"


def next_step(target: Target, progress: Progress, *, units: tuple[str, str] | None = None) -> str:
    """What to do next, in words, as Beeminder says it: ``1 more coffee by Friday to stay
    on track``, ``2 more coffees today to catch up``; ``""`` for a target done, or a
    level (a share) with no count to add. A plugin's metric counts in the ``units`` it
    declares (:func:`netplan.metric_units`)."""
    if progress.needed is None or progress.needed_by is None:
        return ""
    more = _more(target.metric, progress.needed, units)
    when = _by(progress.needed_by, progress.as_of)
    if progress.as_of == progress.needed_by == progress.road.end:
        return f"{more} today to meet it"
    if progress.status is Status.BEHIND:
        return f"{more} {when} to catch up"
    return f"{more} {when} to stay on track"


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# -- looking things up ----------------------------------------------------------------------


def _goal_target(plan: Plan, goal_id: str, target_id: str) -> tuple[Goal, Target] | None:
    """The goal and target a progress or consistency is about (None if the plan lacks it)."""
    for goal in plan.goals:
        if goal.id == goal_id:
            for target in goal.targets:
                if target.id == target_id:
                    return goal, target
    return None


def _active_goals(plan: Plan) -> Iterator[Goal]:
    return (g for g in plan.goals if g.status is GoalStatus.ACTIVE)


def _assessment_on(plan: Plan, day: dt.date) -> SkillAssessment | None:
    """The latest assessment made on or before ``day`` (assessments are kept in date order)."""
    done = [a for a in plan.assessments if a.on <= day]
    return done[-1] if done else None


def _period_before(period: Period, start: dt.date) -> dt.date:
    """The first day of the period before the one starting on ``start``."""
    return period.start_of(start - _DAY)


# -- 1. target pace -------------------------------------------------------------------------


@frozen
class TargetPace:
    """Targets at risk, behind the road, or missed: a finding for every target the review
    shows ``at_risk`` or ``behind``, and for no other.

    ``at_risk`` and ``behind`` are warnings; a road that has ended short of its amount
    (``progress.final`` and not done) is a missed target, urgent. Behind means a whole
    unit the steady pace asked for is not done (see :mod:`netplan.core.pace`), so a fresh
    period starts on track.
    """

    name: str = "target_pace"
    description: str = "Targets at risk of falling behind, behind the steady pace, or missed."

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for progress in context.progress:
            if progress.status not in (Status.AT_RISK, Status.BEHIND):
                continue
            found = _goal_target(context.plan, progress.goal, progress.target)
            if found is None:
                continue
            goal, target = found
            yield self._finding(goal, target, progress, _units(context, target))

    def _finding(
        self, goal: Goal, target: Target, p: Progress, units: tuple[str, str] | None
    ) -> Finding:
        road = p.road
        amount = number(float(road.amount))
        what = _what(target, units)
        last_day = p.as_of == road.end
        if target.per is None:
            span = f"by {road.end}"
        elif p.final and not last_day:
            span = f"in the {target.per.value} ending {road.end}"
        else:
            span = f"this {target.per.value}"
        done = f"{number(p.actual)} of {amount} {what} {span}"
        step = next_step(target, p, units=units)
        then = f": {step}" if step else ""
        if p.status is Status.AT_RISK:
            severity = Severity.WARNING
            buffer = _days(p.buffer_days or 0)
            message = f'At risk on "{goal.title}": {done}; {buffer} before falling behind{then}.'
        elif last_day and step:
            # The last day: still possible today, missed tomorrow.
            severity = Severity.URGENT
            message = f'Last day on "{goal.title}": {done}: {step}.'
        elif p.final:
            severity = Severity.URGENT
            message = f'Missed on "{goal.title}": {done}.'
        elif p.needed is None:  # a level (a share): below the amount
            severity = Severity.WARNING
            message = f'Behind on "{goal.title}": {done}.'
        else:
            severity = Severity.WARNING
            due = number(float(road.due(p.as_of)))
            message = f'Behind on "{goal.title}": {done}, {due} due by the end of {p.as_of}{then}.'
        if p.needed is None and not p.final:
            explanation = (
                f"{target.metric} measures a level, not a count: the target is met at "
                f"{amount} or more, and behind below it, whatever the day."
            )
        else:
            explanation = (
                f"The road runs from {road.start} to {road.end} ({_days(road.length)}) "
                f"towards {amount}; a steady pace reaches {p.expected:.2f} by the end of "
                f"{p.as_of}, and a unit is due once the pace completes it. Actual "
                f"{number(p.actual)}, projected {p.projected:.1f}, buffer "
                f"{_days(p.buffer_days or 0)}: {p.status.value}. At risk (a buffer of at "
                "most 2 days) and behind (a unit due and not done) are warnings; a road "
                "that ended short of its amount is missed, urgent."
            )
        return Finding(
            self.name, severity, message, Subject.target(goal.id, target.id), explanation
        )


# -- 2. follow-ups overdue ------------------------------------------------------------------


@frozen
class FollowUpsOverdue:
    """People met (per the plan's follow-up policy) whose follow-up is past due.

    The follow-ups owed are the agenda's (:func:`netplan.core.agenda.owed_follow_ups`, so a
    policy narrowed to a segment, and one that has given up, are honoured; a snoozed one
    counts from its new day, a skipped one not at all): a warning once the due day has
    passed, urgent from ``urgent_days`` days overdue. The ``limit`` most overdue are
    findings of their own; the rest are counted in one more finding about the plan.
    A :class:`~netplan.core.findings.ContactRule`: a reviewer redoes it for just the people an
    interaction was logged with.
    """

    name: str = "follow_ups_overdue"
    description: str = "People met whose follow-up, under the plan's policy, is past due."
    urgent_days: int = field(default=7, validator=_POSITIVE_INT)
    limit: int = field(default=20, validator=_POSITIVE_INT)

    def check(self, context: RuleContext) -> list[Finding]:
        plan, day = context.plan, context.as_of
        if plan.follow_up is None:
            return []
        owed = self._owed(context, None)
        today = day.toordinal()
        orders = []
        for place, (contact, due, _, _) in enumerate(owed):
            overdue = today - due.toordinal()
            rank = _URGENT if overdue >= self.urgent_days else _WARNING
            orders.append((rank, -overdue, contact, place))

        def hit(place: int) -> Hit:
            contact, due, met_on, snoozed = owed[place]
            return self._hit(day, contact, due, met_on, snoozed)

        return condense_ranked(self, context, orders, hit)

    def hits(self, context: RuleContext, contacts: Collection[str] | None) -> Iterator[Hit]:
        day = context.as_of
        for contact, due, met_on, snoozed in self._owed(context, contacts):
            yield self._hit(day, contact, due, met_on, snoozed)

    def _hit(
        self, day: dt.date, contact: str, due: dt.date, met_on: dt.date, snoozed: dt.date | None
    ) -> Hit:
        overdue = (day - due).days
        severity = Severity.URGENT if overdue >= self.urgent_days else Severity.WARNING
        return Hit(contact, severity, overdue, (met_on, due, snoozed))

    def _owed(
        self, context: RuleContext, contacts: Collection[str] | None
    ) -> list[tuple[str, dt.date, dt.date, dt.date | None]]:
        """The follow-ups overdue: whom, due (or snoozed to) when, met when, snoozed to."""
        plan, log, day = context.plan, context.log, context.as_of
        if plan.follow_up is None:
            return []
        overdue = []
        put_off = {s.item: s.until for s in plan.snoozed}
        for owed in owed_follow_ups(plan, log, day + _DAY, day, contacts=contacts):
            due, snoozed = owed.due, None
            if put_off:
                key = agenda_key(ItemKind.FOLLOW_UP, owed.contact, due)
                if key in put_off:
                    until = put_off[key]
                    if until is None:
                        continue  # skipped
                    snoozed, due = until, until
            if due < day:
                overdue.append((owed.contact, due, owed.met_on, snoozed))
        return overdue

    def describe(self, context: RuleContext, hit: Hit) -> Finding:
        policy = context.plan.follow_up
        assert policy is not None
        met, due, snoozed = hit.detail
        overdue = int(hit.priority)
        contact = context.log.contact(hit.contact)
        when = f"snoozed to {due}" if snoozed is not None else f"due on {due}"
        after = _listing(sorted(k.value for k in policy.after))
        return Finding(
            self.name,
            hit.severity,
            f"Follow up with {contact.name}: you met on {met}, and the follow-up was "
            f"{when}, {_days(overdue)} ago.",
            Subject(SubjectKind.CONTACT, contact.id),
            f"The follow-up policy asks for a follow-up, message, call or coffee within "
            f"{_days(policy.within_days)} of an interaction of kind {after}; none is "
            f"logged with {contact.name} since {met}. Due {due}: {_days(overdue)} "
            f"overdue on {context.as_of}. A warning once the due day has passed, urgent "
            f"from {_days(self.urgent_days)} overdue.",
        )

    def summarize(self, context: RuleContext, rest: Mapping[Severity, int]) -> Finding:
        urgent = rest.get(Severity.URGENT, 0)
        return Finding(
            self.name,
            Severity.URGENT if urgent else Severity.WARNING,
            f"{sum(rest.values())} more follow-ups are overdue ({urgent} by "
            f"{_days(self.urgent_days)} or more): the agenda lists them all.",
            Subject(SubjectKind.PLAN, context.plan.id),
            f"Only the {self.limit} most overdue follow-ups are findings of their own.",
        )


# -- 3. dormant contacts --------------------------------------------------------------------


@frozen
class DormantContacts:
    """Contacts with a keep-in-touch cadence not heard from for longer than it allows.

    Counted in whole days from the last interaction of any kind on or before ``as_of``
    (the clock restarts at any interaction): a warning once more than ``ideal_days`` have
    passed, urgent once more than ``max_days`` have. Exactly ``ideal_days`` is not yet
    overdue. Someone never interacted with has no clock, and no finding. The ``limit``
    most pressing (urgent first, then the longest silent) are findings of their own; the
    rest are counted in one more finding about the plan.

    Which contacts each cadence covers is worked out once per plan and kept by the log
    until a contact changes (:meth:`~netplan.ActivityLog.derived`); who has gone quiet is
    then one lookup per covered contact. A :class:`~netplan.core.findings.ContactRule`: a
    reviewer redoes it for just the people an interaction was logged with.
    """

    name: str = "dormant_contacts"
    description: str = (
        "Contacts with a keep-in-touch cadence not heard from for longer than it allows."
    )
    limit: int = field(default=20, validator=_POSITIVE_INT)

    def check(self, context: RuleContext) -> list[Finding]:
        plan, log, day = context.plan, context.log, context.as_of
        if not plan.keep_in_touch:
            return []
        zone, today = plan.zone, day.toordinal()
        quiet: list[tuple[str, dt.date, KeepInTouch]] = []
        orders = []
        for cadence, ids in cadence_groups(plan, log):
            ideal = zone.start(day - dt.timedelta(days=cadence.ideal_days))
            for contact_id, last_on in log.quiet_days(ids, ideal, zone):
                since = today - last_on.toordinal()
                rank = _URGENT if since > cadence.max_days else _WARNING
                orders.append((rank, -since, contact_id, len(quiet)))
                quiet.append((contact_id, last_on, cadence))

        def hit(number: int) -> Hit:
            contact_id, last_on, cadence = quiet[number]
            return self._hit(contact_id, (day - last_on).days, last_on, cadence)

        return condense_ranked(self, context, orders, hit)

    def hits(self, context: RuleContext, contacts: Collection[str] | None) -> Iterator[Hit]:
        plan, log, day = context.plan, context.log, context.as_of
        if not plan.keep_in_touch:
            return
        zone = plan.zone
        if contacts is not None:
            for contact_id in sorted(contacts):
                cadence = plan.cadence_for(log.contact(contact_id))
                last = log.last_interaction(contact_id)
                if cadence is None or last is None:
                    continue
                since = (day - zone.day(last)).days
                if since > cadence.ideal_days:
                    yield self._hit(contact_id, since, zone.day(last), cadence)
            return
        for cadence, ids in cadence_groups(plan, log):
            # Silent for more than ideal_days local days: last heard from before the
            # start of the day ideal_days before this one.
            ideal = zone.start(day - dt.timedelta(days=cadence.ideal_days))
            for contact_id, last_on in log.quiet_days(ids, ideal, zone):
                yield self._hit(contact_id, (day - last_on).days, last_on, cadence)

    @staticmethod
    def _hit(contact_id: str, since: int, last_on: dt.date, cadence: KeepInTouch) -> Hit:
        severity = Severity.URGENT if since > cadence.max_days else Severity.WARNING
        return Hit(contact_id, severity, since, (last_on, cadence))

    def describe(self, context: RuleContext, hit: Hit) -> Finding:
        last_on, cadence = hit.detail
        since = int(hit.priority)
        contact = context.log.contact(hit.contact)
        if hit.severity is Severity.URGENT:
            message = (
                f"Get in touch with {contact.name}: {_days(since)} since you last did "
                f"({last_on}), past your maximum of {_days(cadence.max_days)}."
            )
        else:
            message = (
                f"Get in touch with {contact.name}: {_days(since)} since you last did "
                f"({last_on}); you planned every {_days(cadence.ideal_days)}."
            )
        explanation = (
            f"Keep-in-touch cadence {cadence.source}: ideally every "
            f"{_days(cadence.ideal_days)}, at most {_days(cadence.max_days)}; the clock "
            f"restarts at any interaction. Last interaction {last_on}, "
            f"{_days(since)} before {context.as_of}: a warning after {cadence.ideal_days}, "
            f"urgent after {cadence.max_days}."
        )
        return Finding(
            self.name, hit.severity, message, Subject(SubjectKind.CONTACT, contact.id), explanation
        )

    def summarize(self, context: RuleContext, rest: Mapping[Severity, int]) -> Finding:
        urgent = rest.get(Severity.URGENT, 0)
        return Finding(
            self.name,
            Severity.URGENT if urgent else Severity.WARNING,
            f"{sum(rest.values())} more contacts are past their keep-in-touch cadence "
            f"({urgent} past the maximum): the agenda lists them all.",
            Subject(SubjectKind.PLAN, context.plan.id),
            f"Only the {self.limit} most pressing dormant contacts are findings of their "
            "own; urgent ones (past the maximum interval) come first, then the longest "
            "silent.",
        )


# -- 4. actions not done --------------------------------------------------------------------


@frozen
class ActionNotDone:
    """Recurring planned actions due at least ``min_due`` times in the ``days`` days before
    ``as_of`` with nothing in the log to show for them.

    An occurrence counts once it has ended (its ``until`` on or before ``as_of``) and if it
    began on or after the plan's start; a quota occurrence counts its ``count``. Evidence
    is looked for from the start of the earliest of those occurrences (a quota's whole
    period) through ``as_of``: attended events for ``attend_events`` (in the action's
    segment, or linked to the action), meetings, messages, calls, coffees and follow-ups
    for ``reach_out`` (in its segment), posts for ``post_social``, a membership begun for
    ``join_organization`` (of its organization, if it names one). Volunteering and custom
    actions leave nothing the log can check, so they are never flagged. One-off actions
    are not recurring, and are left to the agenda.
    """

    name: str = "action_not_done"
    description: str = (
        "Recurring planned actions due at least twice in the last four weeks with nothing "
        "in the log to show for them."
    )
    days: int = field(default=28, validator=_POSITIVE_INT)
    min_due: int = field(default=2, validator=_POSITIVE_INT)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        plan, log, day = context.plan, context.log, context.as_of
        start = day - dt.timedelta(days=self.days)
        due: dict[str, list[Occurrence]] = {}
        for occurrence in plan.occurrences(start, day + _DAY):
            if occurrence.until <= day and occurrence.on >= plan.start:
                due.setdefault(occurrence.action, []).append(occurrence)
        for action in plan.actions:
            if not isinstance(action.schedule, (Recurrence, Quota)):
                continue
            occurrences = due.get(action.id, [])
            count = sum(o.count for o in occurrences)
            if count < self.min_due:
                continue
            since = min(start, occurrences[0].on)
            evidence = _evidence(log, plan.zone, action, since, day + _DAY)
            if evidence is None:
                continue
            done, looked_for = evidence
            if done:
                continue
            yield Finding(
                self.name,
                Severity.WARNING,
                f'"{action.title}" is not getting done: due {count} times from {since} to '
                f"{day}, and the log shows no {looked_for} in that time. Reschedule it, or "
                "drop it if it no longer serves a goal.",
                Subject(SubjectKind.ACTION, action.id),
                f"Schedule {action.schedule}: {count} due instances ended between {since} "
                f"and {day} (the {_days(self.days)} before the review; a quota counts its "
                f"whole periods). Looked for {looked_for} from {since} through {day}: "
                f"none. Flagged from {self.min_due} due instances with no evidence at all.",
            )


def _evidence(
    log: ActivityLog, zone: Zone, action: PlannedAction, start: dt.date, end: dt.date
) -> tuple[bool, str] | None:
    """Whether the log shows ``action`` in ``[start, end)`` (the first sign found is
    enough), and what was looked for; None for a kind of action the log cannot show."""
    segment = action.segment
    where = f" ({segment})" if segment is not None else ""
    lo, hi = zone.start(start), zone.start(end)
    if action.kind is ActionKind.ATTEND_EVENTS:
        events = log.events(start, end, attended=True)
        attended = any(
            event.action == action.id or event_in_segment(log, event, segment) for event in events
        )
        return attended, f"attended events{where}"
    if action.kind is ActionKind.REACH_OUT:
        reached = log.has(lo, hi, kind=REACH_OUT_KINDS, segment=segment)
        return reached, f"meetings, messages, calls, coffees or follow-ups{where}"
    if action.kind is ActionKind.POST_SOCIAL:
        # Posts have no contact, so a segment cannot narrow them.
        return log.has(lo, hi, kind=InteractionKind.POST), "posts"
    if action.kind is ActionKind.JOIN_ORGANIZATION:
        joined = any(
            start <= membership.since < end
            for organization in log.organizations
            if action.organization in (None, organization.id)
            for membership in organization.memberships
        )
        named = f" of {action.organization}" if action.organization else ""
        return joined, f"memberships{named} begun"
    return None


# -- 5. unserved skills ---------------------------------------------------------------------


@frozen
class UnservedSkill:
    """Improvement areas of the latest assessment (on or before ``as_of``) that no planned
    action lists among its skills.

    Info, suggesting a custom action once a month that practises the skill
    (``Practise following up``), unless its id would clash with an existing action.
    """

    name: str = "unserved_skill"
    description: str = (
        "Improvement areas of the latest assessment that no planned action practises."
    )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        plan = context.plan
        assessment = _assessment_on(plan, context.as_of)
        if assessment is None:
            return
        served = frozenset(skill for action in plan.actions for skill in action.skills)
        taken = {action.id for action in plan.actions}
        catalog = plan.catalog
        for rating in assessment.improvement_areas():
            if rating.skill in served:
                continue
            skill = catalog[rating.skill].name if rating.skill in catalog else rating.skill
            practice = PlannedAction(
                f"Practise {_lower_first(skill)}",
                skills={rating.skill},
                schedule=Quota(1, Period.MONTH),
            )
            adjustment = None
            if practice.id not in taken:
                taken.add(practice.id)
                adjustment = AddAction(practice)
            yield Finding(
                self.name,
                Severity.INFO,
                f"No planned action practises {_lower_first(skill)}, one of your improvement "
                f"areas (rated {rating.level}, aiming for {rating.desired}).",
                Subject(SubjectKind.SKILL, rating.skill),
                f"The assessment of {assessment.on} rates {rating.skill} {rating.level} of 5 "
                f"against a desired {rating.desired} (a gap of {rating.gap}); none of the "
                f"plan's {len(plan.actions)} planned actions lists it among its skills.",
                adjustment,
            )


def _lower_first(name: str) -> str:
    """ "Following up" reads "following up" mid-sentence; "LinkedIn" and "SQL" stay as they are."""
    first, _, rest = name.partition(" ")
    if first[1:].islower() or len(first) == 1:
        first = first.lower()
    return f"{first} {rest}" if rest else first


# -- 6. SMART goals -------------------------------------------------------------------------


@frozen
class SmartGoal:
    """Active goals that cannot be measured: no target at all, or a target whose metric is
    not installed. Both are warnings."""

    name: str = "smart_goal"
    description: str = "Active goals with no target, or with a target no installed metric measures."

    def check(self, context: RuleContext) -> Iterator[Finding]:
        installed = ", ".join(sorted(context.metrics)) or "none"
        for goal in _active_goals(context.plan):
            if not goal.targets:
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f'"{goal.title}" is not measurable: add a target such as 4 new_contacts '
                    "per month.",
                    Subject(SubjectKind.GOAL, goal.id),
                    "An active goal without a target cannot be reviewed: nothing says what "
                    "counts as progress, how much, or by when.",
                )
            for target in goal.targets:
                if target.metric in context.metrics:
                    continue
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f'"{goal.title}": the target {target} is not measurable with the installed '
                    f"metrics: none is called {target.metric!r}.",
                    Subject.target(goal.id, target.id),
                    f"Installed metrics: {installed}. Name one of them, or install the plugin "
                    f"that provides {target.metric!r}.",
                )


# -- 7. unrealistic targets -----------------------------------------------------------------


@frozen
class UnrealisticTarget:
    """Per-period targets far beyond the person's recent record, and per-period targets
    that together need more hours a week than the person has.

    The record is the target's metric measured over the ``periods`` whole periods before
    the current one: for a goal begun this period, the periods before its start; for a
    goal ``periods`` periods old or more, its own last completed periods. A target above ``stretch`` times the best of them is
    a warning, suggesting ``ease_to`` times the best, rounded up (at least 1); a record
    with no activity says nothing, and no finding is made.

    The time budget: with the latest assessment's ``hours_per_week`` above 0, each active
    per-period target needs its amount as a weekly rate (over its current period's days)
    times :data:`HOURS_PER_UNIT`; a total above ``hours_per_week`` is a warning about the
    plan naming the three biggest needs, with no adjustment: which target to lower is the
    person's call.
    """

    name: str = "unrealistic_target"
    description: str = (
        "Targets far beyond the person's recent record, or needing more hours a week than "
        "they have."
    )
    periods: int = field(default=3, validator=_POSITIVE_INT)
    stretch: float = field(default=3.0, validator=[v.instance_of(int, float), v.positive])
    ease_to: float = field(default=1.5, validator=[v.instance_of(int, float), v.positive])

    def check(self, context: RuleContext) -> Iterator[Finding]:
        plan, day = context.plan, context.as_of
        for goal in _active_goals(plan):
            for target in goal.targets:
                if target.per is None or target.metric in SHARE_METRICS:
                    continue
                if context.progress_of(goal.id, target.id) is None:
                    continue  # not measured: the review reports why
                finding = self._stretched(context, goal, target, target.per)
                if finding is not None:
                    yield finding
        budget = self._budget(context, plan, day)
        if budget is not None:
            yield budget

    def _stretched(
        self, context: RuleContext, goal: Goal, target: Target, per: Period
    ) -> Finding | None:
        amount = target.amount_on(context.as_of)
        # The period just before first: a target within `stretch` times its record there
        # is within it of the best (which is at least as high), whatever the others were.
        # A re-review asks this of every target again: one measure each, not three.
        last = _history(context, target, per, 1)
        if not last or (last[0][1] > 0 and amount <= self.stretch * last[0][1]):
            return None
        history = _history(context, target, per, self.periods)
        if not history:
            return None
        best = max(value for _, value in history)
        if best <= 0 or amount <= self.stretch * best:
            return None
        suggested = max(1, math.ceil(self.ease_to * best))
        if suggested >= amount:
            return None
        record = ", ".join(f"{start}: {number(value)}" for start, value in history)
        unit = per.value
        return Finding(
            self.name,
            Severity.WARNING,
            f'"{goal.title}": {_target_text(target, amount, _units(context, target))} is far '
            "beyond your recent "
            f"record, at most {number(best)} in each of the last {self.periods} {unit}s. "
            f"Ease it to {suggested} for now, and raise it once that is met.",
            Subject.target(goal.id, target.id),
            f"{target.metric} measured over the {self.periods} whole {unit}s before this one "
            f"(by first day: {record}); the best is {number(best)}. A target above "
            f"{number(self.stretch)} times the best ({number(self.stretch * best)}) is "
            f"flagged; the suggestion is {number(self.ease_to)} times the best, rounded up "
            f"({suggested}). Easing waits out the plan's akrasia horizon "
            f"({_days(context.plan.akrasia_days)}).",
            SetTargetAmount(goal.id, target.id, suggested),
        )

    def _budget(self, context: RuleContext, plan: Plan, day: dt.date) -> Finding | None:
        assessment = _assessment_on(plan, day)
        if assessment is None or assessment.resources.hours_per_week <= 0:
            return None
        available = assessment.resources.hours_per_week
        needs: list[tuple[float, str, str, Goal, Target]] = []
        for goal in _active_goals(plan):
            if goal.until is not None and goal.until < day:
                continue
            for target in goal.targets:
                if target.per is None:
                    continue
                road = road_for(goal, target, day, plan_start=plan.start)
                weekly = float(road.amount) * 7 / road.length
                hours = weekly * HOURS_PER_UNIT.get(target.metric, DEFAULT_HOURS_PER_UNIT)
                if hours > 0:
                    needs.append((hours, goal.id, target.id, goal, target))
        total = sum(n[0] for n in needs)
        if total <= available:
            return None
        needs.sort(key=lambda n: (-n[0], n[1], n[2]))
        # Worded for the three named only: a review asks this of every target each time.
        biggest = _listing(
            [
                f"{_target_text(target, target.amount_on(day), _units(context, target))} "
                f'for "{goal.title}" ({hours:.1f} h)'
                for hours, _, _, goal, target in needs[:3]
            ]
        )
        return Finding(
            self.name,
            Severity.WARNING,
            f"Your per-period targets need about {total:.1f} hours a week, and you have "
            f"{number(available)}: most go to {biggest}.",
            Subject(SubjectKind.PLAN, plan.id),
            "Each active per-period target's amount as a weekly rate (over its current "
            "period's days) times rough hours per unit: events attended 3, coffees and "
            "meetings 1, calls, new contacts and referrals 0.5, a share such as "
            f"follow_up_rate none, anything else {number(DEFAULT_HOURS_PER_UNIT)}. "
            f"{len(needs)} targets, {total:.1f} hours a week against the "
            f"{number(available)} of the assessment of {assessment.on}. Lower a target, or "
            "set aside more time.",
        )


def _history(
    context: RuleContext, target: Target, per: Period, periods: int
) -> list[tuple[dt.date, float]]:
    """The metric over each of the ``periods`` whole periods before the one holding
    ``as_of``, oldest first (empty when it cannot be measured)."""
    end = per.start_of(context.as_of)
    windows: list[tuple[dt.date, dt.date]] = []
    for _ in range(periods):
        start = _period_before(per, end)
        windows.append((start, end))
        end = start
    windows.reverse()
    history: list[tuple[dt.date, float]] = []
    for start, end in windows:
        try:
            value = context.measure(target.metric, start, end, target.segment)
        except Exception:  # a plugin metric's bug: the review reports it, the rule moves on
            return []
        if value is None:
            return []
        history.append((start, value))
    return history


# -- 8. targets always met ------------------------------------------------------------------


@frozen
class TargetAlwaysMet:
    """Per-period targets met in every completed period, ``min_periods`` or more of them.

    Info, suggesting the larger of amount + 1 and amount times 1.25, rounded up: a whole
    number for a whole-number amount, a multiple of 0.5 for a fractional one, and at most
    1 for a share such as ``follow_up_rate`` (a share of 1 met every period is simply kept).
    """

    name: str = "target_always_met"
    description: str = "Per-period targets met in every completed period: time to raise them."
    min_periods: int = field(default=3, validator=_POSITIVE_INT)

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for habit in context.consistency:
            if habit.periods < self.min_periods or habit.met != habit.periods:
                continue
            found = _goal_target(context.plan, habit.goal, habit.target)
            if found is None:
                continue
            goal, target = found
            if target.per is None:
                continue
            amount = target.amount_on(context.as_of)
            raised = _raised(amount, share=target.metric in SHARE_METRICS)
            if raised is None:
                continue
            yield _always_met(
                self.name,
                goal.id,
                goal.title,
                target,
                (habit.periods, habit.longest_streak, habit.strength),
                amount,
                raised,
                _units(context, target),
            )


@functools.lru_cache(maxsize=1024, typed=True)
def _always_met(
    rule: str,
    goal: str,
    title: str,
    target: Target,
    habit: tuple[int, int, float],
    amount: float,
    raised: float,
    units: tuple[str, str] | None,
) -> Finding:
    # The same few targets at every review: a re-review after one more interaction
    # should not word their findings again. Typed: an amount of 4 is not one of 4.0 (the
    # adjustment keeps the plan's own number), in a host reviewing many people's plans.
    assert target.per is not None
    unit = target.per.value
    periods, longest, strength = habit
    return Finding(
        rule,
        Severity.INFO,
        f'"{title}": {_target_text(target, amount, units)} met every {unit} for '
        f"{periods} {unit}s: a goal met is no longer a goal. Raise it to {number(raised)}.",
        Subject.target(goal, target.id),
        f"Met in all {periods} completed {unit}s reviewed (longest streak {longest}, habit "
        f"strength {strength:.2f}). The suggestion is the larger of {number(amount)} + 1 "
        f"and {number(amount)} times 1.25, rounded up: {number(raised)}.",
        SetTargetAmount(goal, target.id, raised),
    )


def _raised(amount: int | float, *, share: bool = False) -> int | float | None:
    """The next amount for a target met every period: the larger of ``amount + 1`` and
    ``amount * 1.25``, rounded up to a whole number (an int amount) or to 0.5 (a float
    one); a share stops at 1. None when there is no higher amount to suggest.

    >>> _raised(4), _raised(10), _raised(2.5), _raised(0.8, share=True), _raised(1, share=True)
    (5, 13, 3.5, 1.0, None)
    """
    if isinstance(amount, int) and not share:
        return max(amount + 1, math.ceil(amount * 1.25))
    raised = math.ceil(max(amount + 1, amount * 1.25) * 2) / 2
    if share:
        raised = min(1.0, raised)
    return raised if raised > amount else None


BUILTIN_RULES: tuple[Rule, ...] = (
    TargetPace(),
    FollowUpsOverdue(),
    DormantContacts(),
    ActionNotDone(),
    UnservedSkill(),
    SmartGoal(),
    UnrealisticTarget(),
    TargetAlwaysMet(),
)
"""netplan's own rules, registered through the rules hook like any plugin's."""
