"""The plan: a person's goals, assessments, planned actions and cadences, as one value.

A :class:`Plan` is immutable. Every change (``plan.add_goal(...)``, ``attrs.evolve(plan,
...)``) gives a new plan and leaves the old one as it was, so the two stay comparable with
:meth:`Plan.diff`. A change that breaks a rule raises :class:`~netplan.ValidationError`
and gives nothing: there is no half-changed plan.

``revision`` numbers the stored revision a plan value descends from (0 for a plan never
stored). Stores number the next revision when they save, and refuse to save a plan whose
``revision`` is older than the one they hold, so two writers cannot silently overwrite
each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol, TypeVar

import attrs
from attrs import field, frozen

from netplan import _validation as v
from netplan.actions import (
    CadenceRule,
    Done,
    FollowUpPolicy,
    KeepInTouch,
    PlannedAction,
    Snooze,
    cadence_for,
)
from netplan.errors import NotFoundError, ValidationError
from netplan.goals import Goal, Target
from netplan.network import Contact
from netplan.schedule import Occurrence, occurrences
from netplan.skills import BUILTIN_SKILLS, Catalog, Skill, SkillAssessment
from netplan.zones import Zone

__all__ = ["Change", "Plan", "PlanDiff"]

T = TypeVar("T")


def _zone_name(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> Any:
    """An IANA zone name as the zone database spells it; a wrong one names the field."""
    if isinstance(value, Zone):
        return value.name
    if not isinstance(value, str):
        return value  # the validator says what it must be
    return Zone.named(value, field=v.field_name(instance, attribute)).name


def _sorted_assessments(value: Any) -> Any:
    items = v.to_tuple(value)
    if isinstance(items, tuple) and all(isinstance(a, SkillAssessment) for a in items):
        return tuple(sorted(items, key=lambda a: a.on))
    return items


@frozen
class Plan:
    """A networking action plan.

    >>> plan = Plan("Maya", start=dt.date(2026, 11, 1))
    >>> plan = plan.add_goal(Goal("Find a job", kind="find_job",
    ...                           targets=[Target(5, "referrals", by=dt.date(2027, 9, 30))]))
    >>> plan
    Plan('Maya', 1 goal, 0 actions, 0 assessments, revision 0)
    """

    person: str = field(validator=v.non_blank)
    start: dt.date = field(validator=v.a_date)
    goals: tuple[Goal, ...] = field(default=(), converter=v.to_tuple, validator=v.items(Goal))
    assessments: tuple[SkillAssessment, ...] = field(
        default=(),
        converter=_sorted_assessments,
        validator=v.items(SkillAssessment),
    )
    actions: tuple[PlannedAction, ...] = field(
        default=(), converter=v.to_tuple, validator=v.items(PlannedAction)
    )
    follow_up: FollowUpPolicy | None = field(
        default=None, validator=v.optional(v.instance_of(FollowUpPolicy))
    )
    keep_in_touch: tuple[CadenceRule, ...] = field(
        default=(), converter=v.to_tuple, validator=v.items(CadenceRule)
    )
    skills: tuple[Skill, ...] = field(default=(), converter=v.to_tuple, validator=v.items(Skill))
    snoozed: tuple[Snooze, ...] = field(default=(), converter=v.to_tuple, validator=v.items(Snooze))
    """Agenda items put off or skipped (see :meth:`snooze` and :meth:`skip`)."""
    completed: tuple[Done, ...] = field(default=(), converter=v.to_tuple, validator=v.items(Done))
    """Agenda items marked done that the log cannot show (see :meth:`mark_done`)."""
    timezone: str = field(
        default="UTC",
        converter=attrs.Converter(_zone_name, takes_self=True, takes_field=True),  # type: ignore[misc]  # the attrs mypy plugin cannot read a Converter
        validator=v.instance_of(str),
    )
    """The IANA zone the person lives in (``"Europe/Berlin"``): every day, week, month,
    deadline and "as of" of the plan is a local day of it (see :attr:`zone`)."""
    akrasia_days: int = field(default=7, validator=[v.instance_of(int), v.non_negative])
    """Days before an eased commitment takes effect (Beeminder's akrasia horizon); 0: at once."""
    notes: str = field(default="", validator=v.instance_of(str))
    id: str = field(validator=v.identifier)
    revision: int = field(default=0, validator=[v.instance_of(int), v.non_negative])

    @id.default
    def _default_id(self) -> str:
        return v.slugify(self.person)

    def __attrs_post_init__(self) -> None:
        v.unique(self.goals, lambda g: g.id, "Plan.goals.id")
        v.unique(self.actions, lambda a: a.id, "Plan.actions.id")
        v.unique(self.assessments, lambda a: a.on, "Plan.assessments.on")
        v.unique(self.keep_in_touch, lambda r: (r.scope, r.key), "Plan.keep_in_touch")
        v.unique(self.snoozed, lambda s: s.item, "Plan.snoozed.item")
        v.unique(self.completed, lambda d: d.item, "Plan.completed.item")
        catalog = self.catalog
        goal_ids = {g.id for g in self.goals}
        for i, goal in enumerate(self.goals):
            try:
                goal.check_dates(goal.start or self.start)
            except ValidationError as error:
                raise error.within(f"Plan.goals[{i}]") from None
        for i, assessment in enumerate(self.assessments):
            try:
                assessment.check_skills(catalog)
            except ValidationError as error:
                raise error.within(f"Plan.assessments[{i}]") from None
        for i, action in enumerate(self.actions):
            for goal_id in sorted(action.goals - goal_ids):
                raise ValidationError(
                    f"Plan.actions[{i}].goals",
                    goal_id,
                    f"must name a goal of this plan ({', '.join(sorted(goal_ids)) or 'none yet'})",
                )
            for skill_id in sorted(action.skills):
                catalog.check(skill_id, f"Plan.actions[{i}].skills")

    # -- looking things up -------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        """The skills this plan can rate: the built-in catalog plus the plan's own."""
        return Catalog((*BUILTIN_SKILLS, *self.skills))

    def goal(self, goal_id: str) -> Goal:
        return _find(self.goals, goal_id, "goal")

    def action(self, action_id: str) -> PlannedAction:
        return _find(self.actions, action_id, "action")

    @property
    def zone(self) -> Zone:
        """The plan's :attr:`timezone`, which maps instants to the plan's local days."""
        return Zone.named(self.timezone)

    @property
    def latest_assessment(self) -> SkillAssessment | None:
        return self.assessments[-1] if self.assessments else None

    def cadence_for(self, contact: Contact) -> KeepInTouch | None:
        """The keep-in-touch cadence for ``contact`` (contact rule, else tag, else tier)."""
        return cadence_for(contact, self.keep_in_touch)

    def occurrences(self, start: dt.date, end: dt.date) -> tuple[Occurrence, ...]:
        """Every due instance of every scheduled action in ``[start, end)``, by day then action."""
        found = [
            occurrence
            for action in self.actions
            if action.schedule is not None
            for occurrence in occurrences(action.id, action.schedule, start, end)
        ]
        # By key: attrs' generated ordering builds two tuples per comparison.
        return tuple(sorted(found, key=lambda o: (o.on, o.action, o.until, o.count)))

    # -- changing: each returns a new plan ---------------------------------------
    def add_goal(self, goal: Goal) -> Plan:
        return attrs.evolve(self, goals=(*self.goals, goal))

    def replace_goal(self, goal: Goal) -> Plan:
        """Swap in ``goal`` for the goal with the same id."""
        self.goal(goal.id)
        return attrs.evolve(self, goals=tuple(goal if g.id == goal.id else g for g in self.goals))

    def remove_goal(self, goal_id: str) -> Plan:
        """Drop a goal; actions that served it stop naming it."""
        self.goal(goal_id)
        actions = tuple(attrs.evolve(a, goals=a.goals - {goal_id}) for a in self.actions)
        return attrs.evolve(
            self, goals=tuple(g for g in self.goals if g.id != goal_id), actions=actions
        )

    def add_target(self, goal_id: str, target: Target) -> Plan:
        goal = self.goal(goal_id)
        return self.replace_goal(attrs.evolve(goal, targets=(*goal.targets, target)))

    def assess(self, assessment: SkillAssessment) -> Plan:
        """Record an assessment (kept in date order; one per day)."""
        return attrs.evolve(self, assessments=(*self.assessments, assessment))

    def add_action(self, action: PlannedAction) -> Plan:
        return attrs.evolve(self, actions=(*self.actions, action))

    def replace_action(self, action: PlannedAction) -> Plan:
        self.action(action.id)
        return attrs.evolve(
            self, actions=tuple(action if a.id == action.id else a for a in self.actions)
        )

    def remove_action(self, action_id: str) -> Plan:
        self.action(action_id)
        return attrs.evolve(self, actions=tuple(a for a in self.actions if a.id != action_id))

    def with_follow_up(self, policy: FollowUpPolicy | None) -> Plan:
        """Set (or, with None, drop) the follow-up policy."""
        return attrs.evolve(self, follow_up=policy)

    def keep_in_touch_with(self, rule: CadenceRule) -> Plan:
        """Add a cadence rule, replacing one for the same tier, tag or contact."""
        kept = tuple(r for r in self.keep_in_touch if (r.scope, r.key) != (rule.scope, rule.key))
        return attrs.evolve(self, keep_in_touch=(*kept, rule))

    def snooze(self, item: str | HasKey, until: dt.date) -> Plan:
        """Put an agenda item (or its key) off until ``until``: it shows again that day."""
        return self._put_off(Snooze(_item_key(item), until))

    def skip(self, item: str | HasKey) -> Plan:
        """Drop an agenda item (or its key) from the agenda for good."""
        return self._put_off(Snooze(_item_key(item)))

    def mark_done(self, item: str | HasKey, on: dt.date) -> Plan:
        """Mark an agenda item (or its key) done on ``on``: for what the log cannot show,
        such as a custom action; what it can show (a follow-up) is done by logging it."""
        key = _item_key(item)
        kept = tuple(d for d in self.completed if d.item != key)
        return attrs.evolve(self, completed=(*kept, Done(key, on)))

    def _put_off(self, snooze: Snooze) -> Plan:
        kept = tuple(s for s in self.snoozed if s.item != snooze.item)
        return attrs.evolve(self, snoozed=(*kept, snooze))

    def add_skill(self, skill: Skill) -> Plan:
        """Add a skill of the person's own to rate beside the built-in catalog."""
        return attrs.evolve(self, skills=(*self.skills, skill))

    # -- comparing ---------------------------------------------------------------
    def diff(self, newer: Plan) -> PlanDiff:
        """What changed from this plan to ``newer``."""
        changes: list[Change] = []
        for name in ("person", "start", "follow_up", "timezone", "akrasia_days", "notes", "id"):
            before, after = getattr(self, name), getattr(newer, name)
            if before != after:
                changes.append(Change("settings", name, before, after))
        sections: tuple[tuple[str, Callable[[Any], Any]], ...] = (
            ("goals", lambda g: g.id),
            ("actions", lambda a: a.id),
            ("assessments", lambda a: a.on.isoformat()),
            ("keep_in_touch", lambda r: f"{r.scope.value}={r.key}"),
            ("skills", lambda s: s.id),
            ("snoozed", lambda s: s.item),
            ("completed", lambda d: d.item),
        )
        for section, key in sections:
            changes.extend(_diff(section, getattr(self, section), getattr(newer, section), key))
        return PlanDiff(self.revision, newer.revision, tuple(changes))

    def __repr__(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"Plan({self.person!r}, {n(len(self.goals), 'goal')}, {n(len(self.actions), 'action')}, "
            f"{n(len(self.assessments), 'assessment')}, revision {self.revision})"
        )

    def __str__(self) -> str:
        lines = [f"Plan of {self.person} from {self.start} (revision {self.revision})"]
        lines.append("Goals:" if self.goals else "Goals: none yet")
        for goal in self.goals:
            about = [goal.kind.value]
            if goal.status.value != "active":
                about.append(goal.status.value)
            if goal.until is not None:
                about.append(f"until {goal.until}")
            lines.append(f"  {goal.title} ({', '.join(about)})")
            lines.extend(f"    {target}" for target in goal.targets)
        latest = self.latest_assessment
        if latest is not None:
            areas = ", ".join(
                f"{r.skill} ({r.level} -> {r.desired})" for r in latest.improvement_areas()
            )
            lines.append(f"Latest assessment ({latest.on}): improvement areas {areas or 'none'}")
        lines.append("Actions:" if self.actions else "Actions: none yet")
        lines.extend(
            f"  {a.title}: {'unscheduled' if a.schedule is None else a.schedule}"
            for a in self.actions
        )
        if self.follow_up is not None:
            lines.append(f"Follow up within {self.follow_up.within_days} days")
        lines.extend(
            f"Keep in touch: {r.scope.value} {r.key} every {r.ideal_days} days"
            for r in self.keep_in_touch
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The plan as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        from netplan.notebook.html import plan_html

        return plan_html(self)


class HasKey(Protocol):
    """Anything with an agenda item's key (an :class:`~netplan.AgendaItem`)."""

    @property
    def key(self) -> str: ...


def _item_key(item: str | HasKey) -> str:
    return item if isinstance(item, str) else item.key


def _find(items: Iterable[T], key: str, what: str) -> T:
    for item in items:
        if item.id == key:  # type: ignore[attr-defined]
            return item
    known = ", ".join(i.id for i in items) or "none"  # type: ignore[attr-defined]
    raise NotFoundError(what, key, f"this plan has: {known}")


def _diff(
    section: str, old: Iterable[Any], new: Iterable[Any], key: Callable[[Any], str]
) -> list[Change]:
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    changes = [Change(section, k, before[k], None) for k in before if k not in after]
    for k, item in after.items():
        if k not in before:
            changes.append(Change(section, k, None, item))
        elif before[k] != item:
            changes.append(Change(section, k, before[k], item))
    return changes


@frozen
class Change:
    """One difference between two plans."""

    section: str
    key: str
    before: Any
    after: Any

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    def __str__(self) -> str:
        return f"{self.kind} {self.section} {self.key}"


@frozen
class PlanDiff:
    """The changes from one plan revision to another; falsy when there are none."""

    before_revision: int
    after_revision: int
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __str__(self) -> str:
        if not self.changes:
            return "no changes"
        return "\n".join(str(c) for c in self.changes)
