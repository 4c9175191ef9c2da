"""Hypothesis strategies for every public netplan domain type.

Plugin authors use them to test code that takes netplan values::

    from hypothesis import given
    from netplan.testing import strategies as nst

    @given(nst.plans())
    def test_my_metric_accepts_any_plan(plan): ...

Every strategy is a function with keyword-only parameters, checked when called, that
returns values which satisfy netplan's validators: references between values (an action's
goals, an interaction's contact) point at things that exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised in a venv without hypothesis
    from netplan.testing import NEEDS_HYPOTHESIS

    raise ImportError(NEEDS_HYPOTHESIS) from error

from netplan.core.actions import (
    ActionKind,
    CadenceRule,
    Done,
    FollowUpPolicy,
    PlannedAction,
    Scope,
    Snooze,
)
from netplan.core.agenda import Agenda, AgendaItem, ItemKind
from netplan.core.errors import ValidationError
from netplan.core.evaluation import Review, review
from netplan.core.findings import (
    AddAction,
    Adjustment,
    Finding,
    SetTargetAmount,
    Severity,
    Subject,
    SubjectKind,
)
from netplan.core.goals import AmountChange, Goal, GoalKind, GoalStatus, Target
from netplan.core.importing import (
    Conflict,
    Imported,
    ImportReport,
    Problem,
    ProblemLevel,
    Source,
)
from netplan.core.log import ActivityLog, LogChange, Placed, Replaced
from netplan.core.metrics import BUILTIN_METRICS
from netplan.core.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Membership,
    Organization,
    Segment,
)
from netplan.core.periods import Period
from netplan.core.plan import Plan
from netplan.core.schedule import Once, Quota, Recurrence, Schedule
from netplan.core.skills import BUILTIN_SKILLS, NetworkSummary, Rating, Resources, SkillAssessment

__all__ = [
    "activity_logs",
    "adjustments",
    "agenda_items",
    "agendas",
    "amount_changes",
    "conflicts",
    "import_reports",
    "imports",
    "problems",
    "findings",
    "log_changes",
    "assessments",
    "aware_datetimes",
    "by_type",
    "cadence_rules",
    "completions",
    "contacts",
    "dates",
    "events",
    "follow_up_policies",
    "goals",
    "identifiers",
    "interactions",
    "onces",
    "organizations",
    "planned_actions",
    "plans",
    "quotas",
    "ratings",
    "recurrences",
    "resources",
    "reviews",
    "schedules",
    "segments",
    "snoozes",
    "subjects",
    "targets",
    "zones",
    "ZONES",
]

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TAGS = ("climate", "fintech", "alumni", "mentor", "recruiter", "design", "ml")
_INDUSTRIES = ("energy", "finance", "software", "health", "education")
_TIERS = ("a", "b", "c")


def _check_dates(name: str, low: dt.date, high: dt.date) -> None:
    for label, value in (("min_value", low), ("max_value", high)):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValidationError(f"{name}.{label}", value, "must be a date")
    if high < low:
        raise ValidationError(f"{name}.max_value", high, f"must not be before min_value={low}")


def _check_size(name: str, value: int, low: int = 0) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ValidationError(name, value, f"must be a whole number, {low} or more")


def identifiers() -> st.SearchStrategy[str]:
    """Ids as netplan accepts them: lowercase letters, digits and ``. _ : -``."""
    return st.from_regex(r"\A[a-z0-9][a-z0-9_.:-]{0,15}\Z")


def _text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size)


def _names() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=30).filter(lambda s: bool(s.strip()))


def dates(
    *, min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> st.SearchStrategy[dt.date]:
    """Calendar days (never datetimes)."""
    _check_dates("dates", min_value, max_value)
    return st.dates(min_value=min_value, max_value=max_value)


def aware_datetimes(
    *, min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware instants on days in ``[min_value, max_value]``, in fixed-offset zones
    (no tz database needed), to exercise netplan's normalisation to UTC."""
    _check_dates("aware_datetimes", min_value, max_value)
    offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
    return st.builds(
        lambda naive, tz: naive.replace(tzinfo=tz),
        st.datetimes(
            min_value=dt.datetime.combine(min_value, dt.time()) + dt.timedelta(days=1),
            max_value=dt.datetime.combine(max_value, dt.time()) - dt.timedelta(days=1),
        ),
        offsets,
    )


def segments() -> st.SearchStrategy[Segment]:
    """Segments naming a tag, an industry, an organization, or several of them."""
    optional_tag = st.none() | st.sampled_from(_TAGS)
    optional_industry = st.none() | st.sampled_from(_INDUSTRIES)
    return st.one_of(
        st.builds(Segment, tag=st.sampled_from(_TAGS), industry=optional_industry),
        st.builds(Segment, industry=st.sampled_from(_INDUSTRIES)),
        st.builds(Segment, organization=identifiers(), tag=optional_tag),
    )


def targets(
    *, start: dt.date = MIN_DATE, metrics: Sequence[str] | None = None
) -> st.SearchStrategy[Target]:
    """Targets counted per period, or by a deadline on or after ``start``."""
    _check_dates("targets", start, MAX_DATE)
    metric = st.sampled_from(tuple(metrics)) if metrics else identifiers()
    amount = _amounts()
    pending = st.none() | amount_changes(start=start)
    return st.one_of(
        st.builds(
            Target,
            amount,
            metric,
            per=st.sampled_from(Period),
            segment=st.none() | segments(),
            pending=pending,
        ),
        st.builds(
            Target,
            amount,
            metric,
            by=dates(min_value=start),
            segment=st.none() | segments(),
            pending=pending,
        ),
    )


def _amounts() -> st.SearchStrategy[int | float]:
    return st.integers(1, 500) | st.floats(0.01, 500, allow_nan=False, allow_infinity=False)


def amount_changes(*, start: dt.date = MIN_DATE) -> st.SearchStrategy[AmountChange]:
    """A target's eased amount, effective on a day on or after ``start``."""
    _check_dates("amount_changes", start, MAX_DATE)
    return st.builds(AmountChange, _amounts(), dates(min_value=start))


def subjects() -> st.SearchStrategy[Subject]:
    """What a finding can be about."""
    return st.builds(Subject, st.sampled_from(SubjectKind), identifiers())


def adjustments() -> st.SearchStrategy[Adjustment]:
    """Suggested plan changes: a target's new amount, or an action to add."""
    return st.one_of(
        st.builds(SetTargetAmount, identifiers(), identifiers(), _amounts()),
        st.builds(AddAction, planned_actions()),
    )


def findings() -> st.SearchStrategy[Finding]:
    """Findings of any severity, with or without a suggested adjustment."""
    return st.builds(
        Finding,
        identifiers(),
        st.sampled_from(Severity),
        _names(),
        subjects(),
        _text(),
        st.none() | adjustments(),
    )


def goals(*, start: dt.date = MIN_DATE, max_targets: int = 3) -> st.SearchStrategy[Goal]:
    """Goals whose targets have unique ids and deadlines on or after ``start``."""
    _check_dates("goals", start, MAX_DATE)
    _check_size("goals.max_targets", max_targets)
    return st.builds(
        Goal,
        title=_names(),
        kind=st.sampled_from(GoalKind),
        why=_text(),
        targets=st.lists(targets(start=start), max_size=max_targets, unique_by=lambda t: t.id),
        start=st.none() | st.just(start),
        until=st.none() | dates(min_value=start),
        status=st.sampled_from(GoalStatus),
        id=identifiers(),
    )


def ratings(*, skills: Sequence[str] | None = None) -> st.SearchStrategy[Rating]:
    """Ratings of a skill from ``skills`` (default: the built-in catalog)."""
    ids = tuple(skills) if skills is not None else tuple(s.id for s in BUILTIN_SKILLS)
    if not ids:
        raise ValidationError("ratings.skills", skills, "must name at least one skill")
    return st.builds(
        Rating,
        skill=st.sampled_from(ids),
        level=st.integers(1, 5),
        desired=st.none() | st.integers(1, 5),
        evidence=_text(),
    )


def resources() -> st.SearchStrategy[Resources]:
    return st.builds(
        Resources,
        hours_per_week=st.floats(0, 80, allow_nan=False, allow_infinity=False),
        budget_per_month=st.decimals(0, 10_000, places=2, allow_nan=False, allow_infinity=False),
        currency=st.sampled_from(("USD", "EUR", "GBP")),
        memberships=st.lists(_names(), max_size=3).map(tuple),
        network=st.builds(
            NetworkSummary,
            contacts=st.integers(0, 5000),
            close_ties=st.integers(0, 100),
            industries=st.frozensets(st.sampled_from(_INDUSTRIES)),
            notes=_text(),
        ),
    )


def assessments(
    *,
    skills: Sequence[str] | None = None,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
) -> st.SearchStrategy[SkillAssessment]:
    """Assessments on a day in range, rating each skill at most once."""
    _check_dates("assessments", min_value, max_value)
    return st.builds(
        SkillAssessment,
        on=dates(min_value=min_value, max_value=max_value),
        ratings=st.lists(ratings(skills=skills), max_size=9, unique_by=lambda r: r.skill),
        resources=resources(),
        notes=_text(),
    )


def recurrences(*, start: dt.date | None = None) -> st.SearchStrategy[Recurrence]:
    """Recurrences from the friendly constructors and from raw RRULE text."""
    start_days = (
        st.just(start)
        if start is not None
        else dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
    )
    weekday = st.sampled_from(_WEEKDAYS)
    return st.one_of(
        st.builds(
            lambda d, s, n: Recurrence.weekly(d, start=s, interval=n),
            weekday,
            start_days,
            st.integers(1, 4),
        ),
        st.builds(
            lambda d, n, s: Recurrence.nth_weekday(d, n, start=s),
            weekday,
            st.sampled_from((1, 2, 3, 4, -1)),
            start_days,
        ),
        st.builds(
            lambda s, d: Recurrence.monthly(start=s, day=d),
            start_days,
            st.none() | st.integers(1, 31),
        ),
        st.builds(lambda s: Recurrence.twice_a_month(start=s), start_days),
        st.builds(lambda s, n: Recurrence.daily(s, interval=n), start_days, st.integers(1, 30)),
        st.builds(
            Recurrence,
            st.builds(
                lambda freq, n, count: (
                    f"FREQ={freq};INTERVAL={n}" + (f";COUNT={count}" if count else "")
                ),
                st.sampled_from(("DAILY", "WEEKLY", "MONTHLY", "YEARLY")),
                st.integers(1, 5),
                st.none() | st.integers(1, 50),
            ),
            start_days,
        ),
    )


def quotas() -> st.SearchStrategy[Quota]:
    return st.builds(Quota, st.integers(1, 20), st.sampled_from(Period))


def onces(
    *, min_value: dt.date = MIN_DATE, max_value: dt.date = MAX_DATE
) -> st.SearchStrategy[Once]:
    return st.builds(Once, dates(min_value=min_value, max_value=max_value))


def schedules() -> st.SearchStrategy[Schedule]:
    return st.one_of(recurrences(), quotas(), onces())


def planned_actions(
    *, goal_ids: Sequence[str] = (), skills: Sequence[str] | None = None
) -> st.SearchStrategy[PlannedAction]:
    """Actions serving some of ``goal_ids`` and some of ``skills`` (default: built-in)."""
    skill_ids = tuple(skills) if skills is not None else tuple(s.id for s in BUILTIN_SKILLS)
    return st.builds(
        PlannedAction,
        title=_names(),
        kind=st.sampled_from(ActionKind),
        schedule=st.none() | schedules(),
        goals=st.frozensets(st.sampled_from(tuple(goal_ids))) if goal_ids else st.just(frozenset()),
        skills=st.frozensets(st.sampled_from(skill_ids)) if skill_ids else st.just(frozenset()),
        segment=st.none() | segments(),
        organization=st.none() | identifiers(),
        notes=_text(),
        id=identifiers(),
    )


def snoozes() -> st.SearchStrategy[Snooze]:
    """Agenda items put off until a day, or skipped."""
    return st.builds(Snooze, _names(), st.none() | dates())


def completions() -> st.SearchStrategy[Done]:
    """Agenda items marked done on a day."""
    return st.builds(Done, _names(), dates())


ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Apia",
)
"""IANA zones plans are drawn in: DST in both hemispheres, a half-hour DST shift
(Lord Howe), a +05:45 offset (Kathmandu) and a day skipped at the date line (Apia)."""


def zones() -> st.SearchStrategy[str]:
    """IANA zone names of :data:`ZONES`."""
    return st.sampled_from(ZONES)


def follow_up_policies() -> st.SearchStrategy[FollowUpPolicy]:
    return st.builds(
        FollowUpPolicy,
        within_days=st.integers(1, 30),
        after=st.frozensets(st.sampled_from(InteractionKind), min_size=1),
        segment=st.none() | segments(),
    )


def cadence_rules(*, contact_ids: Sequence[str] = ()) -> st.SearchStrategy[CadenceRule]:
    """Keep-in-touch rules by tier, tag or (when given) one of ``contact_ids``."""
    keys = {
        Scope.TIER: st.sampled_from(_TIERS),
        Scope.TAG: st.sampled_from(_TAGS),
        Scope.CONTACT: st.sampled_from(tuple(contact_ids)) if contact_ids else identifiers(),
    }

    def build(scope: Scope, key: str, ideal: int, extra: int) -> CadenceRule:
        return CadenceRule(scope, key, ideal, ideal + extra)

    return st.sampled_from(Scope).flatmap(
        lambda scope: st.builds(
            build, st.just(scope), keys[scope], st.integers(1, 365), st.integers(0, 365)
        )
    )


def plans(*, max_goals: int = 3, max_actions: int = 4) -> st.SearchStrategy[Plan]:
    """Whole plans whose actions name goals and skills of the plan."""
    _check_size("plans.max_goals", max_goals)
    _check_size("plans.max_actions", max_actions)
    return _plans(max_goals, max_actions)


@st.composite
def _plans(draw: st.DrawFn, max_goals: int, max_actions: int) -> Plan:
    start = draw(dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
    plan_goals = draw(st.lists(goals(start=start), max_size=max_goals, unique_by=lambda g: g.id))
    goal_ids = [g.id for g in plan_goals]
    actions = draw(
        st.lists(planned_actions(goal_ids=goal_ids), max_size=max_actions, unique_by=lambda a: a.id)
    )
    return Plan(
        person=draw(_names()),
        start=start,
        goals=plan_goals,
        assessments=draw(st.lists(assessments(), max_size=3, unique_by=lambda a: a.on)),
        actions=actions,
        follow_up=draw(st.none() | follow_up_policies()),
        keep_in_touch=draw(
            st.lists(cadence_rules(), max_size=4, unique_by=lambda r: (r.scope, r.key))
        ),
        timezone=draw(zones()),
        snoozed=draw(
            st.lists(
                st.builds(Snooze, _names(), st.none() | dates()),
                max_size=2,
                unique_by=lambda s: s.item,
            )
        ),
        completed=draw(st.lists(completions(), max_size=2, unique_by=lambda d: d.item)),
        akrasia_days=draw(st.integers(0, 30)),
        notes=draw(_text()),
        id=draw(identifiers()),
        revision=draw(st.integers(0, 1000)),
        owner=draw(st.none() | _names()),
        labels=draw(st.frozensets(_names(), max_size=3)),
    )


def organizations() -> st.SearchStrategy[Organization]:
    return st.builds(
        Organization,
        name=_names(),
        industry=st.none() | st.sampled_from(_INDUSTRIES),
        kind=st.sampled_from(("company", "association", "community")),
        url=_text(),
        memberships=st.lists(
            st.builds(
                lambda since, days, role: Membership(
                    since, since + dt.timedelta(days=days) if days is not None else None, role
                ),
                dates(max_value=dt.date(2090, 1, 1)),
                st.none() | st.integers(0, 3000),
                st.sampled_from(("member", "volunteer", "board")),
            ),
            max_size=2,
        ).map(tuple),
        id=identifiers(),
    )


def contacts(
    *, organization_ids: Sequence[str] = (), contact_ids: Sequence[str] = ()
) -> st.SearchStrategy[Contact]:
    """Contacts working at one of ``organization_ids`` and introduced by one of ``contact_ids``, if any."""
    org = st.none() | st.sampled_from(tuple(organization_ids)) if organization_ids else st.none()
    introducer = st.none() | st.sampled_from(tuple(contact_ids)) if contact_ids else st.none()
    return st.builds(
        Contact,
        name=_names(),
        emails=st.lists(st.emails(), max_size=2).map(tuple),
        phones=st.lists(st.from_regex(r"\A\+?[0-9 ]{6,15}\Z"), max_size=1).map(tuple),
        organization=org,
        role=_text(20),
        industry=st.none() | st.sampled_from(_INDUSTRIES),
        tags=st.frozensets(st.sampled_from(_TAGS), max_size=3),
        tier=st.none() | st.sampled_from(_TIERS),
        met_how=_text(20),
        met_where=_text(20),
        introduced_by=introducer,
        profiles=st.lists(st.just("https://www.linkedin.com/in/someone"), max_size=1).map(tuple),
        notes=_text(),
        id=identifiers(),
    )


def events(
    *,
    organization_ids: Sequence[str] = (),
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
) -> st.SearchStrategy[Event]:
    _check_dates("events", min_value, max_value)
    organizer = (
        st.none() | st.sampled_from(tuple(organization_ids)) if organization_ids else st.none()
    )
    return st.builds(
        Event,
        name=_names(),
        on=dates(min_value=min_value, max_value=max_value),
        attended=st.booleans(),
        starts_at=st.none() | aware_datetimes(min_value=min_value, max_value=max_value),
        location=_text(20),
        organizer=organizer,
        tags=st.frozensets(st.sampled_from(_TAGS), max_size=2),
        url=_text(20),
        id=identifiers(),
    ).flatmap(_spanning)


def _spanning(event: Event) -> st.SearchStrategy[Event]:
    """The event as it is, or running over a few more days (a conference)."""
    if event.on >= dt.date.max - dt.timedelta(days=7):
        return st.just(event)
    longer = st.integers(0, 6).map(
        lambda days: attrs.evolve(event, until=event.on + dt.timedelta(days=days))
    )
    return st.just(event) | longer


def interactions(
    *,
    contact_ids: Sequence[str],
    event_ids: Sequence[str] = (),
    min_value: dt.date = dt.date(2020, 1, 1),
    max_value: dt.date = dt.date(2030, 12, 31),
) -> st.SearchStrategy[Interaction]:
    """Interactions with one of ``contact_ids`` (or, for posts, nobody), at instants in range."""
    _check_dates("interactions", min_value, max_value)
    if not contact_ids:
        raise ValidationError(
            "interactions.contact_ids", contact_ids, "must name at least one contact"
        )
    event = st.none() | st.sampled_from(tuple(event_ids)) if event_ids else st.none()

    def build(kind: InteractionKind, contact: str, **fields: Any) -> Interaction:
        return Interaction(
            kind, contact=None if kind is InteractionKind.POST else contact, **fields
        )

    return st.builds(
        build,
        st.sampled_from(InteractionKind),
        st.sampled_from(tuple(contact_ids)),
        at=aware_datetimes(min_value=min_value, max_value=max_value),
        channel=st.sampled_from(Channel),
        direction=st.sampled_from(Direction),
        event=event,
        notes=st.sampled_from(("", "", "")) | _text(),
    )


def activity_logs(
    *, max_contacts: int = 8, max_interactions: int = 40
) -> st.SearchStrategy[ActivityLog]:
    """Logs whose interactions, in random time order, refer to their own contacts and events."""
    _check_size("activity_logs.max_contacts", max_contacts, 1)
    _check_size("activity_logs.max_interactions", max_interactions)
    return _activity_logs(max_contacts, max_interactions)


@st.composite
def _activity_logs(draw: st.DrawFn, max_contacts: int, max_interactions: int) -> ActivityLog:
    orgs = draw(st.lists(organizations(), max_size=3, unique_by=lambda o: o.id))
    org_ids = [o.id for o in orgs]
    people = draw(
        st.lists(
            contacts(organization_ids=org_ids),
            min_size=1,
            max_size=max_contacts,
            unique_by=lambda c: c.id,
        )
    )
    evs = draw(st.lists(events(organization_ids=org_ids), max_size=3, unique_by=lambda e: e.id))
    acts = draw(
        st.lists(
            interactions(contact_ids=[c.id for c in people], event_ids=[e.id for e in evs]),
            max_size=max_interactions,
        )
    )
    return ActivityLog([*orgs, *people, *evs, *acts])


def reviews(*, max_goals: int = 3) -> st.SearchStrategy[Review]:
    """Reviews of generated plans and logs on a day within a few years of the plan's start.

    The plans' targets name netplan's own metrics, so most targets are measured; a few
    name none, to exercise failures.
    """
    _check_size("reviews.max_goals", max_goals)
    return _reviews(max_goals)


@st.composite
def _reviews(draw: st.DrawFn, max_goals: int) -> Review:
    start = draw(dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)))
    metric_names = [m.name for m in BUILTIN_METRICS] + ["no_such_metric"]
    plan_goals = draw(
        st.lists(
            st.builds(
                Goal,
                title=_names(),
                targets=st.lists(
                    targets(start=start, metrics=metric_names), max_size=3, unique_by=lambda t: t.id
                ),
                id=identifiers(),
            ),
            max_size=max_goals,
            unique_by=lambda g: g.id,
        )
    )
    plan = Plan(
        "Person",
        start=start,
        goals=plan_goals,
        follow_up=draw(st.none() | follow_up_policies()),
        akrasia_days=draw(st.integers(0, 14)),
        timezone=draw(zones()),
    )
    log = draw(activity_logs(max_interactions=30))
    as_of = draw(dates(min_value=start, max_value=start + dt.timedelta(days=800)))
    result = review(plan, log, as_of)
    if draw(st.booleans()):
        # Some reviews carry the adjustments taken from them, as stored reviews do.
        result = result.adjust(plan).review
    return result


@st.composite
def log_changes(draw: st.DrawFn) -> LogChange:
    """Changes of a log as a store keeps them (see :class:`netplan.core.log.LogChange`): a
    contact and its interactions added or removed in their places, a contact replaced,
    numbered or not, an undo or not. Values, not changes fitted to one log: for
    round trips through data, not for :meth:`~netplan.ActivityLog.apply`."""
    people = draw(st.lists(contacts(), min_size=2, max_size=3, unique_by=lambda c: c.id))
    moved, kept = people[0], people[1]
    rows = draw(st.lists(interactions(contact_ids=[moved.id]), max_size=3))
    places = draw(st.lists(st.integers(0, 50), min_size=len(rows), max_size=len(rows), unique=True))
    placed = [
        Placed(draw(st.integers(0, 20)), moved),
        *(Placed(place, row) for place, row in zip(places, rows, strict=True)),
    ]
    added, removed = (placed, []) if draw(st.booleans()) else ([], placed)
    replaced = []
    if draw(st.booleans()):
        replaced.append(Replaced(kept, attrs.evolve(kept, notes=f"{kept.notes} (edited)")))
    return LogChange(
        draw(st.text(min_size=1, max_size=30).filter(str.strip)),
        added=added,
        removed=removed,
        replaced=replaced,
        number=draw(st.integers(0, 99)),
        undoes=draw(st.none() | st.integers(1, 99)),
    )


_DAY = dt.timedelta(days=1)


def agenda_items(
    *, start: dt.date = MIN_DATE, end: dt.date = MAX_DATE
) -> st.SearchStrategy[AgendaItem]:
    """Agenda items due in ``[start, end)``, or up to three months before ``start``
    (overdue): a person's (a follow-up, keeping in touch, a birthday) or a planned
    action's (with its goals, and a quota's count and first day), open, partly done,
    done, skipped or snoozed."""
    _check_dates("agenda_items", start, end)
    if end <= start:
        raise ValidationError("agenda_items.end", end, f"must be after start={start}")
    return _agenda_items(start, end)


@st.composite
def _agenda_items(draw: st.DrawFn, start: dt.date, end: dt.date) -> AgendaItem:
    kind = draw(st.sampled_from(ItemKind))
    earliest = max(MIN_DATE, start - dt.timedelta(days=90))
    due = draw(dates(min_value=min(earliest, end - _DAY), max_value=end - _DAY))
    action = kind is ItemKind.ACTION
    count = draw(st.integers(1, 5)) if action else 1
    return AgendaItem(
        kind,
        due,
        draw(_names()),
        draw(st.floats(0, 1000, allow_nan=False, allow_infinity=False)),
        draw(st.integers(0, 365)),
        contact=None if action else draw(identifiers()),
        action=draw(identifiers()) if action else None,
        goals=tuple(draw(st.lists(identifiers(), max_size=2, unique=True))) if action else (),
        snoozed_from=draw(st.none() | dates(max_value=due)),
        done=draw(st.integers(0, count)),
        count=count,
        skipped=draw(st.booleans()),
        opens=draw(st.none() | dates(max_value=due)) if action else None,
    )


def agendas(*, max_items: int = 6) -> st.SearchStrategy[Agenda]:
    """Agendas of up to two months of days, as of a day among them, with up to
    ``max_items`` items (:func:`agenda_items`), the open ones first, most pressing
    first."""
    _check_size("agendas.max_items", max_items)
    return _agendas(max_items)


@st.composite
def _agendas(draw: st.DrawFn, max_items: int) -> Agenda:
    start = draw(dates(max_value=MAX_DATE - dt.timedelta(days=60)))
    end = start + dt.timedelta(days=draw(st.integers(1, 60)))
    as_of = draw(dates(min_value=start, max_value=end - _DAY))
    items = draw(st.lists(agenda_items(start=start, end=end), max_size=max_items))
    items.sort(key=lambda item: (not item.is_open, -item.priority))
    return Agenda(start, end, as_of, tuple(items))


def _sources(file: str) -> st.SearchStrategy[Source]:
    line = st.none() | st.integers(1, 10**6)
    return st.builds(Source, st.just(file), line, line)


def problems(*, file: str | None = None) -> st.SearchStrategy[Problem]:
    """Problems an importer met in ``file`` (by default, any name): a line or record,
    a field or none, a warning or an error."""
    files = _names() if file is None else st.just(file)
    return files.flatmap(
        lambda name: st.builds(
            Problem,
            _sources(name),
            _names(),
            field=_text(20),
            level=st.sampled_from(ProblemLevel),
        )
    )


def conflicts(*, file: str | None = None) -> st.SearchStrategy[Conflict]:
    """Values a file (``file``, by default any name) offers for a contact that differ
    from the ones kept."""
    files = _names() if file is None else st.just(file)
    return files.flatmap(
        lambda name: st.builds(
            Conflict,
            identifiers(),
            st.sampled_from(("name", "company", "role", "nickname", "birthday")),
            _names(),
            _names(),
            _sources(name),
        )
    )


def import_reports(
    *, file: str | None = None, dry_run: bool | None = None
) -> st.SearchStrategy[ImportReport]:
    """What importing one file did (:class:`~netplan.core.importing.ImportReport`): the
    contacts and events it added, the contacts it merged, counts, conflicts and
    problems, of ``file`` (by default, any name), a dry run or not (by default, either)."""
    if file is not None and not isinstance(file, str):
        raise ValidationError("import_reports.file", file, "must be a file's name")
    if dry_run is not None and not isinstance(dry_run, bool):
        raise ValidationError("import_reports.dry_run", dry_run, "must be True, False or None")
    return _import_reports(file, dry_run)


@st.composite
def _import_reports(draw: st.DrawFn, file: str | None, dry_run: bool | None) -> ImportReport:
    name = draw(_names()) if file is None else file
    ids = draw(st.lists(identifiers(), max_size=8, unique=True))
    cut = draw(st.integers(0, len(ids)))
    counts = st.integers(0, 10_000)
    return ImportReport(
        name,
        draw(identifiers()),
        tuple(ids[:cut]),
        tuple(ids[cut:]),
        draw(counts),
        draw(counts),
        draw(counts),
        tuple(draw(st.lists(conflicts(file=name), max_size=3))),
        tuple(draw(st.lists(problems(file=name), max_size=3))),
        dry_run=draw(st.booleans()) if dry_run is None else dry_run,
        events=tuple(draw(st.lists(identifiers(), max_size=3, unique=True))),
        known_events=draw(counts),
    )


def imports(*, max_files: int = 3) -> st.SearchStrategy[Imported]:
    """What an import of up to ``max_files`` files did
    (:class:`~netplan.core.importing.Imported`): a report per file read, in order of
    name, and the files skipped, some with why."""
    _check_size("imports.max_files", max_files)
    return _imports(max_files)


@st.composite
def _imports(draw: st.DrawFn, max_files: int) -> Imported:
    names = draw(st.lists(_names(), max_size=max_files + 2, unique=True))
    read = sorted(names[: draw(st.integers(0, min(max_files, len(names))))])
    skipped = [name for name in names if name not in read]
    dry_run = draw(st.booleans())
    reports = tuple(draw(import_reports(file=name, dry_run=dry_run)) for name in read)
    why = [(name, draw(_names())) for name in skipped if draw(st.booleans())]
    return Imported(reports, tuple(skipped), dry_run, tuple(why))


def by_type() -> dict[type[Any], st.SearchStrategy[Any]]:
    """The default strategy for each type, as registered for ``st.from_type``."""
    return {
        Segment: segments(),
        Target: targets(),
        Goal: goals(),
        Rating: ratings(),
        Resources: resources(),
        SkillAssessment: assessments(),
        Recurrence: recurrences(),
        Quota: quotas(),
        Once: onces(),
        PlannedAction: planned_actions(),
        FollowUpPolicy: follow_up_policies(),
        CadenceRule: cadence_rules(),
        Plan: plans(),
        Organization: organizations(),
        Contact: contacts(),
        Event: events(),
        ActivityLog: activity_logs(),
        AmountChange: amount_changes(),
        Subject: subjects(),
        SetTargetAmount: adjustments().filter(lambda a: isinstance(a, SetTargetAmount)),
        AddAction: st.builds(AddAction, planned_actions()),
        Finding: findings(),
        Snooze: snoozes(),
        Done: completions(),
        LogChange: log_changes(),
    }


def register() -> None:
    """Make ``st.from_type`` draw netplan's types with :func:`by_type`'s strategies (the
    ``hypothesis`` entry point does it when hypothesis starts)."""
    for cls, strategy in by_type().items():
        st.register_type_strategy(cls, strategy)


# When this module is what first imports hypothesis, hypothesis starts up, and calls the
# entry point, while this module is half-loaded: it registers its strategies now.
register()
