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
import difflib
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core import display
from netplan.core.actions import (
    ActionKind,
    CadenceRule,
    Done,
    FollowUpPolicy,
    KeepInTouch,
    PlannedAction,
    Snooze,
    cadence_for,
)
from netplan.core.errors import NotFoundError, ValidationError
from netplan.core.goals import Goal, GoalKind, GoalStatus, Target
from netplan.core.network import Contact, Segment
from netplan.core.schedule import Occurrence, Schedule, occurrences
from netplan.core.skills import BUILTIN_SKILLS, Catalog, Skill, SkillAssessment
from netplan.core.zones import Zone

__all__ = ["Change", "Plan", "PlanDiff"]

T = TypeVar("T")

SkillsGiven = Iterable[Skill] | Mapping[str, Skill]
"""Skills a change may name besides the plan's: :func:`netplan.installed_skills`, a
:class:`~netplan.Catalog`, or any skills."""


class _Unchanged(enum.Enum):
    """The default of :meth:`Plan.edit_goal` and :meth:`Plan.edit_action`'s fields: left as
    they are (None is a value there: ``until=None`` clears a goal's horizon)."""

    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged.UNCHANGED
_Keep = Literal[_Unchanged.UNCHANGED]


class _UnknownId(ValidationError, NotFoundError):
    """A change named a goal, target or action the plan does not have: a
    :class:`~netplan.ValidationError` naming the id and the close ones, and a
    :class:`~netplan.NotFoundError` too, as these changes raised before."""

    def __init__(self, field: str, value: Any, rule: str) -> None:
        # Both parents' __init__ call super(): say the message once, as ValidationError does.
        Exception.__init__(self, str(ValidationError(field, value, rule)))
        self.field = field
        self.value = value
        self.rule = rule
        self.what = field
        self.key = value
        self.hint = rule


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


# The converters of Plan's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _goals(value: Iterable[Goal] | None) -> tuple[Goal, ...]: ...
    def _assessments(value: Iterable[SkillAssessment] | None) -> tuple[SkillAssessment, ...]: ...
    def _actions(value: Iterable[PlannedAction] | None) -> tuple[PlannedAction, ...]: ...
    def _cadences(value: Iterable[CadenceRule] | None) -> tuple[CadenceRule, ...]: ...
    def _skills(value: Iterable[Skill] | None) -> tuple[Skill, ...]: ...
    def _snoozes(value: Iterable[Snooze] | None) -> tuple[Snooze, ...]: ...
    def _dones(value: Iterable[Done] | None) -> tuple[Done, ...]: ...
    def _timezone(value: str | Zone) -> str: ...

else:
    _goals = _actions = _cadences = _skills = _snoozes = _dones = v.to_tuple
    _assessments = _sorted_assessments
    _timezone = attrs.Converter(_zone_name, takes_self=True, takes_field=True)


def _labels(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.items(str, container=frozenset)(instance, attribute, value)
    for label in sorted(value):
        if not label.strip():
            v.fail(instance, attribute, label, "must be non-empty texts")


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
    goals: tuple[Goal, ...] = field(default=(), converter=_goals, validator=v.items(Goal))
    assessments: tuple[SkillAssessment, ...] = field(
        default=(),
        converter=_assessments,
        validator=v.items(SkillAssessment),
    )
    actions: tuple[PlannedAction, ...] = field(
        default=(), converter=_actions, validator=v.items(PlannedAction)
    )
    follow_up: FollowUpPolicy | None = field(
        default=None, validator=v.optional(v.instance_of(FollowUpPolicy))
    )
    keep_in_touch: tuple[CadenceRule, ...] = field(
        default=(), converter=_cadences, validator=v.items(CadenceRule)
    )
    skills: tuple[Skill, ...] = field(default=(), converter=_skills, validator=v.items(Skill))
    snoozed: tuple[Snooze, ...] = field(default=(), converter=_snoozes, validator=v.items(Snooze))
    """Agenda items put off or skipped (see :meth:`snooze` and :meth:`skip`)."""
    completed: tuple[Done, ...] = field(default=(), converter=_dones, validator=v.items(Done))
    """Agenda items marked done that the log cannot show (see :meth:`mark_done`)."""
    timezone: str = field(
        default="UTC",
        converter=_timezone,
        validator=v.instance_of(str),
    )
    """The IANA zone the person lives in (``"Europe/Berlin"``): every day, week, month,
    deadline and "as of" of the plan is a local day of it (see :attr:`zone`)."""
    akrasia_days: int = field(default=7, validator=[v.instance_of(int), v.non_negative])
    """Days before an eased commitment takes effect (Beeminder's akrasia horizon); 0: at once."""
    birthday_tiers: frozenset[str] = field(
        default=frozenset(), converter=v.lowered_text_set, validator=v.identifiers
    )
    """The contacts' tiers whose birthdays the agenda offers ("Birthday of Priya Shah on
    12 Dec"); none by default."""
    notes: str = field(default="", validator=v.instance_of(str))
    id: str = field(validator=v.identifier)
    revision: int = field(default=0, validator=[v.instance_of(int), v.non_negative])
    owner: str | None = field(default=None, validator=v.optional(v.non_blank))
    """Who the plan belongs to in an application serving many people (its user id
    there): :meth:`~netplan.storage.Store.plans` lists a person's plans by it. netplan
    reads nothing else into it."""
    labels: frozenset[str] = field(default=frozenset(), converter=v.text_set, validator=_labels)
    """An application's own tags for the plan (``{"cohort-2026", "coached"}``): kept
    with it, never read by netplan."""

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
                    f"must name a goal of this plan{_did_you_mean(goal_id, self.goals)} "
                    f"({', '.join(sorted(goal_ids)) or 'none yet'})",
                )
            for skill_id in sorted(action.skills):
                catalog.check(skill_id, f"Plan.actions[{i}].skills")

    # -- looking things up -------------------------------------------------------
    @property
    def catalog(self) -> Catalog:
        """The skills this plan can rate: the built-in catalog plus the plan's own
        :attr:`skills`, which hold a copy of each installed catalog's skill the plan
        rates or practises (see :meth:`assess`), so it needs no plugin to be read."""
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
    # A change that names a goal, target or action the plan lacks raises a ValidationError
    # (also a NotFoundError) naming the id and the closest ones the plan has.
    def add_goal(self, goal: Goal) -> Plan:
        return attrs.evolve(self, goals=(*self.goals, goal))

    def replace_goal(self, goal: Goal) -> Plan:
        """Swap in ``goal`` for the goal with the same id."""
        self._index(self.goals, goal.id, "goal")
        return attrs.evolve(self, goals=tuple(goal if g.id == goal.id else g for g in self.goals))

    def edit_goal(
        self,
        goal_id: str,
        *,
        title: str | _Keep = UNCHANGED,
        kind: GoalKind | str | _Keep = UNCHANGED,
        why: str | _Keep = UNCHANGED,
        start: dt.date | _Keep | None = UNCHANGED,
        until: dt.date | _Keep | None = UNCHANGED,
        status: GoalStatus | str | _Keep = UNCHANGED,
        id: str | _Keep = UNCHANGED,
    ) -> Plan:
        """Change fields of a goal; those not given stay as they are (``until=None``
        clears the horizon). Its targets are changed with :meth:`add_target` and
        :meth:`remove_target`.

        A new title keeps the goal's id, which actions, reviews and commands name it by;
        ``id`` renames it, and the actions serving it follow.

        >>> plan = Plan("Maya", start=dt.date(2026, 11, 1)).add_goal(Goal("Find a jbo"))
        >>> plan.edit_goal("find-a-jbo", title="Find a job", id="find-a-job").goals[0].id
        'find-a-job'
        >>> try:
        ...     plan.edit_goal("find-a-job", why="rent")
        ... except ValidationError as error:
        ...     print(error)
        Plan.goals: 'find-a-job' is not allowed: must name a goal of this plan; did you mean 'find-a-jbo'? (it has: find-a-jbo)
        """
        i = self._index(self.goals, goal_id, "goal")
        changes = _given(
            title=title, kind=kind, why=why, start=start, until=until, status=status, id=id
        )
        try:
            edited = attrs.evolve(self.goals[i], **changes)
        except ValidationError as error:
            raise error.within(f"Plan.goals[{i}]") from None
        goals = (*self.goals[:i], edited, *self.goals[i + 1 :])
        if edited.id == goal_id:
            return attrs.evolve(self, goals=goals)
        actions = tuple(
            attrs.evolve(a, goals=(a.goals - {goal_id}) | {edited.id}) if goal_id in a.goals else a
            for a in self.actions
        )
        return attrs.evolve(self, goals=goals, actions=actions)

    def remove_goal(self, goal_id: str) -> Plan:
        """Drop a goal with its targets; the actions that served it stay, and stop naming
        it (:meth:`diff` lists them as changed). Reviews already recorded keep what they
        measured.

        >>> plan = Plan("Maya", start=dt.date(2026, 11, 1)).add_goal(Goal("Find a job"))
        >>> plan = plan.add_action(PlannedAction("Meetup", goals={"find-a-job"}))
        >>> plan.remove_goal("find-a-job").action("meetup").goals
        frozenset()
        """
        self._index(self.goals, goal_id, "goal")
        actions = tuple(
            attrs.evolve(a, goals=a.goals - {goal_id}) if goal_id in a.goals else a
            for a in self.actions
        )
        return attrs.evolve(
            self, goals=tuple(g for g in self.goals if g.id != goal_id), actions=actions
        )

    def add_target(self, goal_id: str, target: Target) -> Plan:
        goal = self.goals[self._index(self.goals, goal_id, "goal")]
        return self.replace_goal(attrs.evolve(goal, targets=(*goal.targets, target)))

    def remove_target(self, goal_id: str, target_id: str) -> Plan:
        """Drop a target of a goal (to change one, remove it and add the new one)."""
        i = self._index(self.goals, goal_id, "goal")
        goal = self.goals[i]
        self._index(goal.targets, target_id, "target", f"Plan.goals[{i}].targets")
        kept = tuple(t for t in goal.targets if t.id != target_id)
        return self.replace_goal(attrs.evolve(goal, targets=kept))

    def assess(self, assessment: SkillAssessment, *, catalog: SkillsGiven = ()) -> Plan:
        """Record an assessment (kept in date order; one per day).

        Its ratings name skills of :attr:`catalog`, or of ``catalog``: more skills the
        person may rate, such as the installed catalogs' (:func:`netplan.installed_skills`).
        The plan keeps a copy of each of those it rates and does not know yet, in
        :attr:`skills`, so it stays readable where that catalog is not installed.
        A skill the plan knows is never replaced by one of ``catalog`` with its id.

        >>> from netplan.core.skills import Rating
        >>> mentoring = Skill("mentoring_others", "Mentoring others")
        >>> plan = Plan("Maya", start=dt.date(2026, 11, 1)).assess(
        ...     SkillAssessment(dt.date(2026, 11, 1), [Rating("mentoring_others", 2)]),
        ...     catalog=[mentoring, Skill("giving_feedback", "Giving feedback")])
        >>> [skill.id for skill in plan.skills]
        ['mentoring_others']
        """
        known, offered = self._known_with(catalog)
        skills = self.skills
        if isinstance(assessment, SkillAssessment):  # else the field's validator says so
            place = sum(1 for a in self.assessments if a.on <= assessment.on)
            try:
                assessment.check_skills(known)
            except ValidationError as error:
                raise error.within(f"Plan.assessments[{place}]") from None
            skills = self._with_copies((r.skill for r in assessment.ratings), offered)
        return attrs.evolve(self, assessments=(*self.assessments, assessment), skills=skills)

    def add_action(self, action: PlannedAction, *, catalog: SkillsGiven = ()) -> Plan:
        """Add a planned action. The skills it practises are the plan's (:attr:`catalog`)
        or ``catalog``'s, of which the plan keeps a copy (see :meth:`assess`)."""
        skills = self._practised(action, len(self.actions), catalog)
        return attrs.evolve(self, actions=(*self.actions, action), skills=skills)

    def replace_action(self, action: PlannedAction, *, catalog: SkillsGiven = ()) -> Plan:
        """Swap in ``action`` for the action with the same id (``catalog`` as in
        :meth:`add_action`)."""
        i = self._index(self.actions, action.id, "action")
        skills = self._practised(action, i, catalog)
        return attrs.evolve(
            self,
            actions=tuple(action if a.id == action.id else a for a in self.actions),
            skills=skills,
        )

    def edit_action(
        self,
        action_id: str,
        *,
        title: str | _Keep = UNCHANGED,
        kind: ActionKind | str | _Keep = UNCHANGED,
        schedule: Schedule | _Keep | None = UNCHANGED,
        goals: Iterable[str] | _Keep = UNCHANGED,
        skills: Iterable[str] | _Keep = UNCHANGED,
        segment: Segment | _Keep | None = UNCHANGED,
        organization: str | _Keep | None = UNCHANGED,
        notes: str | _Keep = UNCHANGED,
        catalog: SkillsGiven = (),
    ) -> Plan:
        """Change fields of a planned action; those not given stay as they are
        (``schedule=None`` leaves it unscheduled, ``goals=()`` serving no goal).
        ``skills`` may name skills of ``catalog``, of which the plan keeps a copy (see
        :meth:`assess`).

        The action keeps its id, whatever its new title: the log's events and the
        agenda's snoozes and marks name it by id. To change the id, remove it and add it
        again.

        >>> plan = Plan("Maya", start=dt.date(2026, 11, 1))
        >>> plan = plan.add_action(PlannedAction("Linkedin psot"))
        >>> edited = plan.edit_action("linkedin-psot", title="LinkedIn post").actions[0]
        >>> edited.title, edited.id
        ('LinkedIn post', 'linkedin-psot')
        """
        i = self._index(self.actions, action_id, "action")
        changes = _given(
            title=title,
            kind=kind,
            schedule=schedule,
            goals=goals,
            skills=skills,
            segment=segment,
            organization=organization,
            notes=notes,
        )
        try:
            edited = attrs.evolve(self.actions[i], **changes)
        except ValidationError as error:
            raise error.within(f"Plan.actions[{i}]") from None
        kept = self._practised(edited, i, catalog)
        return attrs.evolve(
            self, actions=(*self.actions[:i], edited, *self.actions[i + 1 :]), skills=kept
        )

    def remove_action(self, action_id: str) -> Plan:
        """Drop a planned action, and with it the agenda's snoozes, skips and marks done
        of its occurrences (they name nothing once it is gone). The log's events that
        name it stay: they happened."""
        self._index(self.actions, action_id, "action")

        def kept(key: str) -> bool:
            return _item_subject(key) != ("action", action_id)

        return attrs.evolve(
            self,
            actions=tuple(a for a in self.actions if a.id != action_id),
            snoozed=tuple(s for s in self.snoozed if kept(s.item)),
            completed=tuple(d for d in self.completed if kept(d.item)),
        )

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

    def _known_with(self, catalog: SkillsGiven) -> tuple[Catalog, dict[str, Skill]]:
        """The skills a change may name: :attr:`catalog` and those of ``catalog`` whose
        ids it lacks (the latter also apart, by id)."""
        own = self.catalog
        offered: dict[str, Skill] = {}
        items = catalog.values() if isinstance(catalog, Mapping) else catalog
        for skill in items:
            if not isinstance(skill, Skill):
                raise ValidationError(
                    "catalog", skill, "must hold netplan.Skill values (netplan.installed_skills())"
                )
            if skill.id in own:
                continue  # what the plan knows stays: its assessments were made with it
            if offered.get(skill.id, skill) != skill:
                raise ValidationError(
                    "catalog", skill.id, "must name one skill; two different skills share it"
                )
            offered[skill.id] = skill
        if not offered:
            return own, offered
        return Catalog((*own.values(), *offered.values())), offered

    def _with_copies(self, used: Iterable[str], offered: Mapping[str, Skill]) -> tuple[Skill, ...]:
        """The plan's skills, and after them a copy of each of ``offered`` named in
        ``used`` (by id: the same copies, whatever the order they are offered or used in)."""
        new = sorted(set(used) & offered.keys())
        return (*self.skills, *(offered[skill_id] for skill_id in new))

    def _practised(self, action: object, i: int, catalog: SkillsGiven) -> tuple[Skill, ...]:
        """The plan's skills once ``action`` (the plan's ``i``-th) is in it: its skills
        checked against the plan's and ``catalog``'s, those of ``catalog`` copied."""
        known, offered = self._known_with(catalog)
        if not isinstance(action, PlannedAction):  # the field's validator says what it must be
            return self.skills
        for skill_id in sorted(action.skills):
            known.check(skill_id, f"Plan.actions[{i}].skills")
        return self._with_copies(action.skills, offered)

    @staticmethod
    def _index(items: Sequence[Any], key: str, what: str, field: str = "") -> int:
        """Where the item with id ``key`` is in ``items``; a :class:`_UnknownId` naming
        the closest ids when none has it."""
        for i, item in enumerate(items):
            if item.id == key:
                return i
        known = ", ".join(item.id for item in items) or "none yet"
        raise _UnknownId(
            field or f"Plan.{what}s",
            key,
            f"must name {'an' if what[0] in 'aeiou' else 'a'} {what} of this "
            f"{'goal' if what == 'target' else 'plan'}{_did_you_mean(key, items)} (it has: {known})",
        )

    # -- comparing ---------------------------------------------------------------
    def diff(self, newer: Plan) -> PlanDiff:
        """What changed from this plan to ``newer``."""
        changes: list[Change] = []
        settings = ("person", "start", "follow_up", "timezone", "akrasia_days", "notes", "id")
        for name in (*settings, "owner", "labels"):
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

    def _repr_html_(self) -> str | None:
        """The plan as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        return display.html(self)


class HasKey(Protocol):
    """Anything with an agenda item's key (an :class:`~netplan.AgendaItem`)."""

    @property
    def key(self) -> str: ...


def _item_key(item: str | HasKey) -> str:
    return item if isinstance(item, str) else item.key


def _find(items: Sequence[T], key: str, what: str) -> T:
    for item in items:
        if item.id == key:  # type: ignore[attr-defined]
            return item
    known = ", ".join(i.id for i in items) or "none"  # type: ignore[attr-defined]
    close = _did_you_mean(key, items).removeprefix("; ")
    raise NotFoundError(what, key, f"{close + ' ' if close else ''}this plan has: {known}")


def _did_you_mean(wanted: str, items: Iterable[Any]) -> str:
    """``"; did you mean 'find-a-job'?"`` naming the ids of ``items`` closest to
    ``wanted`` (an id typed wrong, or a title typed instead of its id), else ``""``."""
    by_id = {item.id: item for item in items}
    slug = v.slugify(wanted)
    exact = [i for i, item in by_id.items() if slug == i or slug == _slug_of(item)]
    close = difflib.get_close_matches(wanted, list(by_id), n=3, cutoff=0.6)
    found = list(dict.fromkeys([*exact, *close]))[:3]
    if not found:
        return ""
    names = [repr(f) for f in found]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"; did you mean {listed}?"


def _slug_of(item: Any) -> str:
    title = getattr(item, "title", None)
    return v.slugify(title) if isinstance(title, str) else ""


def _given(**fields: Any) -> dict[str, Any]:
    """The fields an edit was given (the others are :data:`UNCHANGED`)."""
    return {name: value for name, value in fields.items() if value is not UNCHANGED}


def _item_subject(key: str) -> tuple[str, str]:
    """An agenda item key's kind and subject: ``action:linkedin-post:2026-12-11`` gives
    ``("action", "linkedin-post")`` (ids may hold colons; the day never does)."""
    kind, _, rest = key.partition(":")
    return kind, rest.rpartition(":")[0]


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
