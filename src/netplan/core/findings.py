"""Step 5, adjust: what a review finds, and the changes to the plan it suggests.

A **rule** looks at a plan, its log and where every target stands, and yields
:class:`Finding` values: a severity, a message a person understands, the subject it is
about, how it was worked out, and, where one fits, a suggested :data:`Adjustment`.
netplan's own rules are in :mod:`netplan.core.rules`; a plugin adds more through the
``netplan_register_rules`` hook, and a rule is a few lines::

    class NoCoffeeOnFridays:
        name = "ravi:no-coffee-fridays"
        description = "Coffees should not pile up on Fridays."

        def check(self, context):
            fridays = [i for i in context.log.interactions(kind="coffee") if i.at.weekday() == 4]
            if len(fridays) > 3:
                yield Finding(self.name, "info", f"{len(fridays)} coffees on Fridays",
                              Subject("plan", context.plan.id), "Counted coffee interactions.")

An adjustment is a value: applying it (:meth:`netplan.Review.adjust`) gives the plan's next
revision and leaves the old one as it was. Lowering a target is *easing* a commitment;
when the plan has an akrasia horizon (``Plan.akrasia_days``, default 7) the lower amount
takes effect only that many days later, so a bad week cannot be wished away on the day.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core._validation import Choice
from netplan.core.actions import PlannedAction
from netplan.core.goals import AmountChange, Target
from netplan.core.log import ActivityLog
from netplan.core.metrics import Metric, cached_window
from netplan.core.network import Segment
from netplan.core.pace import Consistency, Progress
from netplan.core.plan import Plan

__all__ = [
    "ContactRule",
    "Hit",
    "condense",
    "AddAction",
    "Adjustment",
    "Applied",
    "Finding",
    "Rule",
    "RuleContext",
    "SetTargetAmount",
    "Severity",
    "Subject",
    "SubjectKind",
]


class Severity(Choice):
    """How much a finding matters, from least to most; ``failed`` marks a rule that broke."""

    INFO = "info"
    WARNING = "warning"
    URGENT = "urgent"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        """0 for info up to 3 for failed: severities compare by rank."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class SubjectKind(Choice):
    """What a finding is about."""

    PLAN = "plan"
    GOAL = "goal"
    TARGET = "target"
    ACTION = "action"
    CONTACT = "contact"
    ORGANIZATION = "organization"
    """An organization of the log (its id): a company, a community, a meetup group."""
    SKILL = "skill"
    RULE = "rule"


# The converters of this module's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _subject_kind(value: SubjectKind | str) -> SubjectKind: ...
    def _severity(value: Severity | str) -> Severity: ...

else:
    _subject_kind = v.choice(SubjectKind)
    _severity = v.choice(Severity)


@frozen
class Subject:
    """What a finding is about: a kind and an id (a target's id is ``goal/target``)."""

    kind: SubjectKind = field(converter=_subject_kind)
    id: str = field(validator=v.non_blank)

    @classmethod
    def target(cls, goal: str, target: str) -> Subject:
        return cls(SubjectKind.TARGET, f"{goal}/{target}")

    @classmethod
    def organization(cls, organization: str) -> Subject:
        """A finding about an organization of the log (``log.organization(id)``), such
        as "nobody at Sunrise Power in six months", which no single contact is."""
        return cls(SubjectKind.ORGANIZATION, organization)

    def __str__(self) -> str:
        return f"{self.kind.value} {self.id}"


@frozen
class SetTargetAmount:
    """Set a target's amount: raising takes effect at once; lowering (easing) waits out
    the plan's akrasia horizon."""

    goal: str = field(validator=v.identifier)
    target: str = field(validator=v.identifier)
    amount: int | float = field(validator=[v.instance_of(int, float), v.positive])

    def describe(self) -> str:
        return f"set {self.goal}/{self.target} to {self.amount:g}"

    def apply(self, plan: Plan, on: dt.date) -> tuple[Plan, dt.date]:
        """The plan with the new amount, and the day it takes effect."""
        goal = plan.goal(self.goal)
        target = goal.target(self.target)
        if self.amount < target.amount_on(on) and plan.akrasia_days:
            effective = on + dt.timedelta(days=plan.akrasia_days)
            changed = attrs.evolve(target, pending=AmountChange(self.amount, effective))
        else:
            effective = on
            changed = attrs.evolve(target, amount=self.amount, pending=None)
        return _with_target(plan, self.goal, changed), effective


@frozen
class AddAction:
    """Add a planned action (say, one that practises a skill no action serves yet)."""

    action: PlannedAction = field(validator=v.instance_of(PlannedAction))

    def describe(self) -> str:
        return f"add the action {self.action.title!r}"

    def apply(self, plan: Plan, on: dt.date) -> tuple[Plan, dt.date]:
        """The plan with the action added, effective ``on``."""
        return plan.add_action(self.action), on


Adjustment = SetTargetAmount | AddAction
"""A change to a plan a finding suggests."""

ADJUSTMENTS: tuple[type[Any], ...] = (SetTargetAmount, AddAction)


def _with_target(plan: Plan, goal_id: str, target: Target) -> Plan:
    goal = plan.goal(goal_id)
    targets = tuple(target if t.id == target.id else t for t in goal.targets)
    return plan.replace_goal(attrs.evolve(goal, targets=targets))


def _adjustment(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, ADJUSTMENTS):
        v.fail(instance, attribute, value, "must be a SetTargetAmount, an AddAction or None")


@frozen
class Finding:
    """Something a rule noticed, with the change it suggests (if any).

    Two findings are the same finding across reviews when their :attr:`key` (rule and
    subject) is: that is how :meth:`netplan.Review.compare` tells new from resolved.
    """

    rule: str = field(validator=v.non_blank)
    severity: Severity = field(converter=_severity)
    message: str = field(validator=v.non_blank)
    subject: Subject = field(validator=v.instance_of(Subject))
    explanation: str = field(default="", validator=v.instance_of(str))
    adjustment: Adjustment | None = field(default=None, validator=_adjustment)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.subject.kind.value, self.subject.id)

    def __str__(self) -> str:
        suggestion = f" Suggestion: {self.adjustment.describe()}." if self.adjustment else ""
        return f"[{self.severity.value}] {self.message}{suggestion}"


@frozen
class Applied:
    """An adjustment applied to a plan: which finding suggested it, and when it counts."""

    finding: tuple[str, str, str]
    adjustment: Adjustment
    effective: dt.date


@runtime_checkable
class Rule(Protocol):
    """A check of a plan that yields findings."""

    @property
    def name(self) -> str:
        """Names the rule in findings and in the plugin report (``follow_ups_overdue``)."""
        ...

    @property
    def description(self) -> str:
        """One sentence on what the rule looks for."""
        ...

    def check(self, context: RuleContext) -> Iterable[Finding]: ...


@frozen
class Hit:
    """One contact a :class:`ContactRule` flags: how severe, how pressing (larger is more
    pressing within a severity), and what the rule needs to describe it."""

    contact: str
    severity: Severity
    priority: float
    detail: tuple[Any, ...] = ()

    @property
    def order(self) -> tuple[int, float, str]:
        """Most pressing first: by severity, then priority, then contact id."""
        return (-self.severity.rank, -self.priority, self.contact)


@runtime_checkable
class ContactRule(Rule, Protocol):
    """A rule about contacts one at a time, which a :class:`~netplan.Reviewer` can redo
    for just the contacts an interaction was logged with.

    What it flags about a contact must depend only on the plan, the day, that contact's
    record and that contact's interactions. ``hits`` flags the given contacts (all of
    them when ``contacts`` is None); ``describe`` makes the finding of one hit, and
    ``summarize`` the one finding that counts the hits past ``limit`` (given their number
    by severity). ``check`` is
    :func:`condense` of the hits, so the rule works anywhere a rule does.
    """

    @property
    def limit(self) -> int:
        """How many hits become findings of their own."""
        ...

    def hits(self, context: RuleContext, contacts: Collection[str] | None) -> Iterable[Hit]: ...

    def describe(self, context: RuleContext, hit: Hit) -> Finding: ...

    def summarize(self, context: RuleContext, rest: Mapping[Severity, int]) -> Finding: ...


def condense(rule: ContactRule, context: RuleContext, hits: Iterable[Hit]) -> list[Finding]:
    """The findings of a contact rule: its ``limit`` most pressing hits, each described,
    and one summary of the rest (if any)."""
    ordered = sorted(hits, key=lambda hit: hit.order)
    findings = [rule.describe(context, hit) for hit in ordered[: rule.limit]]
    rest = Counter(hit.severity for hit in ordered[rule.limit :])
    if rest:
        findings.append(rule.summarize(context, rest))
    return findings


def condense_ranked(
    rule: ContactRule,
    context: RuleContext,
    orders: Sequence[tuple[int, float, str, int]],
    hit: Callable[[int], Hit],
) -> list[Finding]:
    """:func:`condense` from each hit's :attr:`Hit.order` alone, followed by a number
    that ``hit`` turns into the hit: only the ``limit`` most pressing are built, so a
    rule flagging 20,000 contacts describes 20 and counts the rest."""
    top = heapq.nsmallest(rule.limit, orders)
    findings = [rule.describe(context, hit(order[3])) for order in top]
    severity = {-s.rank: s for s in Severity}
    rest = Counter(order[0] for order in orders)
    rest.subtract(order[0] for order in top)
    counts = {severity[rank]: n for rank, n in rest.items() if n > 0}
    if counts:
        findings.append(rule.summarize(context, counts))
    return findings


_Targeted = TypeVar("_Targeted", Progress, Consistency)


def _by_target(items: Sequence[_Targeted]) -> dict[tuple[str, str], _Targeted]:
    """Each item by its (goal, target), the first of equal ones kept."""
    return {(item.goal, item.target): item for item in reversed(items)}


@frozen(eq=False)
class RuleContext:
    """What a rule may look at: the plan, its log as it stood at the end of the day
    reviewed, the day (a local day of the plan's zone), every target's progress and
    consistency, and the installed metrics to measure anything else with."""

    plan: Plan
    log: ActivityLog
    as_of: dt.date
    progress: tuple[Progress, ...]
    consistency: tuple[Consistency, ...]
    metrics: Mapping[str, Metric]
    # Each target's first progress and consistency, by (goal, target): rules ask for
    # every target, and a scan each time grows with the square of the targets.
    _progress_by: dict[tuple[str, str], Progress] = field(
        init=False, repr=False, default=attrs.Factory(lambda self: _by_target(self.progress), True)
    )
    _consistency_by: dict[tuple[str, str], Consistency] = field(
        init=False,
        repr=False,
        default=attrs.Factory(lambda self: _by_target(self.consistency), True),
    )

    def progress_of(self, goal: str, target: str) -> Progress | None:
        return self._progress_by.get((goal, target))

    def consistency_of(self, goal: str, target: str) -> Consistency | None:
        return self._consistency_by.get((goal, target))

    def measure(
        self, metric: str, start: dt.date, end: dt.date, segment: Segment | None = None
    ) -> float | None:
        """``metric`` over the local days ``[start, end)``; None when no such metric is
        installed."""
        found = self.metrics.get(metric)
        if found is None:
            return None
        return found.measure(
            self.plan, self.log, cached_window(start, end, self.plan.zone), segment
        )
