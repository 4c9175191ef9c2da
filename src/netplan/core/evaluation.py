"""Step 5, evaluate and adjust: a review measures every target of a plan on a day, runs
the rules, and can apply the adjustments they suggest.

``review(plan, log, as_of, metrics, rules)`` is pure: the day is an argument and the
metrics and rules are given (the plugin host supplies the installed ones), so the same
inputs give the same review. A target whose metric is missing or raises, and a rule that
raises, become failures that name it (and the plugin it came from, when known); the rest
of the review completes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs
from attrs import frozen

from netplan.core import display
from netplan.core._words import number
from netplan.core.errors import NotFoundError, ValidationError
from netplan.core.findings import (
    Adjustment,
    Applied,
    ContactRule,
    Finding,
    Hit,
    Rule,
    RuleContext,
    Severity,
    Subject,
    SubjectKind,
)
from netplan.core.goals import Goal, GoalStatus, Target
from netplan.core.log import ActivityLog
from netplan.core.metrics import (
    BUILTIN_METRICS,
    FollowUpLatency,
    FollowUpRate,
    Metric,
    MetricCapabilities,
    Window,
    cached_window,
    follow_ups_unchanged,
    metric_units,
)
from netplan.core.network import Segment
from netplan.core.pace import (
    HABIT_REACH,
    Consistency,
    Progress,
    Road,
    consistency,
    habit_weight,
    progress,
    road_for,
)
from netplan.core.plan import Plan
from netplan.core.skills import SkillChange

__all__ = [
    "Adjusted",
    "MetricFailure",
    "Review",
    "ReviewDiff",
    "Reviewer",
    "TargetChange",
    "TargetName",
    "finding_about",
    "review",
    "target_history",
]

T = TypeVar("T")

_DAY = dt.timedelta(days=1)


@frozen
class MetricFailure:
    """A target that could not be measured, and why."""

    goal: str
    target: str
    metric: str
    error: str
    plugin: str = ""
    """The plugin that registered the metric, when known."""


@frozen
class TargetName:
    """How the plan reviewed named one of its targets: its goal's title and the target in
    a person's words (:meth:`Target.describe <netplan.Target.describe>`), so a review
    shown alone (a notebook's table, a host's page) names it as the person did."""

    goal: str
    target: str
    goal_title: str
    words: str
    """``"3 coffees a month (tagged climate)"``, with the amount in force on the day
    reviewed."""


@frozen
class Adjusted:
    """A plan with a review's adjustments applied, and the review recording them."""

    plan: Plan
    review: Review


@frozen
class TargetChange:
    """How one target moved from one review to a later one."""

    goal: str
    target: str
    before: Progress | None
    after: Progress | None

    @property
    def delta(self) -> float | None:
        """The change in the actual value (None when either review lacks the target)."""
        if self.before is None or self.after is None:
            return None
        return self.after.actual - self.before.actual


@frozen
class ReviewDiff:
    """What changed between two reviews of a plan: progress, new and resolved findings."""

    before: dt.date
    after: dt.date
    targets: tuple[TargetChange, ...]
    new: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    still_open: tuple[Finding, ...]

    def __str__(self) -> str:
        lines = [f"From the review of {self.before} to that of {self.after}:"]
        for change in self.targets:
            was = "-" if change.before is None else change.before.status.value
            now = "-" if change.after is None else change.after.status.value
            lines.append(f"  {change.goal}/{change.target}: {was} -> {now}")
        lines.extend(f"  new: {f}" for f in self.new)
        lines.extend(f"  resolved: {f}" for f in self.resolved)
        return "\n".join(lines)


@frozen
class Review:
    """Where every target of a plan's active goals stands on ``as_of``, and what the
    rules found.

    ``applied`` and ``adopted_revision`` record the adjustments taken from this review
    and the plan revision they produced (see :meth:`adjust`).
    """

    plan: str
    revision: int
    as_of: dt.date
    progress: tuple[Progress, ...]
    failures: tuple[MetricFailure, ...]
    consistency: tuple[Consistency, ...] = ()
    findings: tuple[Finding, ...] = ()
    skills: tuple[SkillChange, ...] = ()
    """Each skill's level in the two latest assessments up to ``as_of``."""
    applied: tuple[Applied, ...] = ()
    adopted_revision: int | None = None
    names: tuple[TargetName, ...] = ()
    """How the plan named each target reviewed (measured or not); empty in a review
    recorded before netplan kept them."""

    def goal_title(self, goal: str) -> str:
        """The title of the goal ``goal`` (an id), or the id when the review has no name
        for it."""
        return next((n.goal_title for n in self.names if n.goal == goal), goal)

    def target_words(self, goal: str, target: str) -> str:
        """The target ``goal``/``target`` (ids) in words, or its id when the review has no
        name for it."""
        return next((n.words for n in self.names if (n.goal, n.target) == (goal, target)), target)

    def finding(self, rule: str, subject: str | None = None) -> Finding | None:
        """The first finding of ``rule`` (about ``subject``'s id, if given)."""
        return next(
            (
                f
                for f in self.findings
                if f.rule == rule and (subject is None or f.subject.id == subject)
            ),
            None,
        )

    def adjust(
        self, plan: Plan, *, accept: Iterable[Finding] | None = None, on: dt.date | None = None
    ) -> Adjusted:
        """Apply the suggested adjustments of ``accept`` (default: every finding that has
        one) to ``plan``, on ``on`` (default the review's day).

        Gives the next plan (its ``revision`` unchanged: the store numbers it when it
        saves) and this review with the adjustments recorded. Easing a target waits out
        ``plan.akrasia_days``; each :class:`~netplan.core.findings.Applied` says when it counts.
        """
        if plan.id != self.plan:
            raise ValidationError(
                "Review.adjust.plan", plan.id, f"must be the reviewed plan {self.plan!r}"
            )
        day = self.as_of if on is None else on
        chosen = self.findings if accept is None else tuple(accept)
        applied: list[Applied] = []
        for finding in chosen:
            if finding.adjustment is None:
                continue
            adjustment: Adjustment = finding.adjustment
            plan, effective = adjustment.apply(plan, day)
            applied.append(Applied(finding.key, adjustment, effective))
        return Adjusted(plan, attrs.evolve(self, applied=(*self.applied, *applied)))

    def adopted(self, revision: int) -> Review:
        """This review, recording that its adjustments became plan revision ``revision``."""
        return attrs.evolve(self, adopted_revision=revision)

    def compare(self, later: Review) -> ReviewDiff:
        """What changed from this review to ``later``: each target's progress, and the
        findings that are new, resolved, or still open (matched by rule and subject)."""
        before = {(p.goal, p.target): p for p in self.progress}
        after = {(p.goal, p.target): p for p in later.progress}
        keys = list(before) + [k for k in after if k not in before]
        targets = tuple(TargetChange(g, t, before.get((g, t)), after.get((g, t))) for g, t in keys)
        old = {f.key for f in self.findings}
        new = {f.key for f in later.findings}
        return ReviewDiff(
            self.as_of,
            later.as_of,
            targets,
            new=tuple(f for f in later.findings if f.key not in old),
            resolved=tuple(f for f in self.findings if f.key not in new),
            still_open=tuple(f for f in later.findings if f.key in old),
        )

    def __str__(self) -> str:
        lines = [f"Review of {self.plan!r} (revision {self.revision}) on {self.as_of}"]
        for p in self.progress:
            buffer = "-" if p.buffer_days is None else f"{p.buffer_days} d"
            lines.append(
                f"  {p.goal}/{p.target}: {number(p.actual)} of {number(float(p.road.amount))} "
                f"(pace {p.expected:.1f}, projected {p.projected:.1f}) "
                f"{p.status.value}, buffer {buffer}"
            )
        lines.extend(
            f"  {f.goal}/{f.target}: cannot measure {f.metric}: {f.error}" for f in self.failures
        )
        if self.findings:
            lines.append("Findings:")
            lines.extend(f"  {f}" for f in self.findings)
        lines.extend(
            f"Applied: {a.adjustment.describe()} (from {a.effective})" for a in self.applied
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """The review as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        return display.html(self)

    def to_dataframe(self, plan: Plan | None = None, *, table: str = "targets") -> Any:
        """A pandas DataFrame with one row per measured target (needs pandas: the
        ``pandas`` extra); ``plan``, the plan reviewed, fills in each target's metric and
        period. ``table="findings"`` gives one row per finding, ``table="consistency"``
        one per per-period target's habit. See
        :func:`netplan.notebook.frames.review_frame`."""
        return display.frame(self, plan, table)


def review(
    plan: Plan,
    log: ActivityLog,
    as_of: dt.date,
    metrics: Mapping[str, Metric] | Iterable[Metric] = BUILTIN_METRICS,
    rules: Mapping[str, Rule] | Iterable[Rule] | None = None,
    *,
    sources: Mapping[str, str] | None = None,
    risk_days: int = 2,
    ahead_days: int = 7,
    history: int | None = None,
    _run: Callable[[Rule, RuleContext], Iterable[Finding]] | None = None,
    _habits: dict[tuple[object, ...], tuple[tuple[Progress, ...], Consistency]] | None = None,
) -> Review:
    """Review ``plan`` through the end of ``as_of`` (a local day of the plan's zone):
    every target of its active goals, the consistency of its per-period targets over
    their completed periods, and the findings of ``rules`` (default: netplan's
    :data:`~netplan.core.rules.BUILTIN_RULES`).

    The review knows what was known that day: metrics, rules and the agenda read the log
    as it stood at the end of ``as_of`` (:meth:`~netplan.ActivityLog.before`), so a past
    day's review can be done again, and compared, at any time.

    Consistency reads back until a perfectly kept habit would reach Loop's strength
    (more than 0.99; see :func:`~netplan.core.pace.history_periods`), or ``history`` periods
    if given. ``sources`` maps a metric's or rule's name to the plugin that registered it,
    so a failure can name the plugin (the plugin host passes it).
    """
    if rules is None:
        from netplan.core.rules import BUILTIN_RULES

        rules = BUILTIN_RULES
    by_name = _named(metrics)
    rule_list = list(_named(rules).values())
    log = log.before(plan.zone.start(as_of + _DAY))
    origin = dict(sources or {})
    results: list[Progress] = []
    habits: list[Consistency] = []
    failures: list[MetricFailure] = []
    findings: list[Finding] = []
    names: list[TargetName] = []

    def fail(goal: Goal, target: Target, error: str) -> None:
        plugin = origin.get(target.metric, "")
        failures.append(MetricFailure(goal.id, target.id, target.metric, error, plugin))
        findings.append(
            Finding(
                "netplan:metric-failed",
                Severity.FAILED,
                f"Cannot measure {goal.id}/{target.id} with metric {target.metric!r}"
                f"{_from(plugin)}: {error}",
                Subject.target(goal.id, target.id),
                "The metric raised, or no installed plugin provides it; the rest of the "
                "review is complete.",
            )
        )

    for goal in plan.goals:
        if goal.status is not GoalStatus.ACTIVE:
            continue
        for target in goal.targets:
            metric = by_name.get(target.metric)
            units = metric_units(metric) if metric is not None else None
            names.append(_name(goal.id, goal.title, target, target.amount_on(as_of), units))
            if metric is None:
                installed = ", ".join(sorted(by_name)) or "none"
                fail(goal, target, f"no metric of that name is installed (installed: {installed})")
                continue
            road = road_for(goal, target, as_of, plan_start=plan.start)
            try:
                # A reviewer's remembered metric carries what it declares, read once.
                declared = (
                    metric.declared
                    if type(metric) is _Remembered
                    else MetricCapabilities.of(metric)
                )
                current = _measure(
                    metric, declared, plan, log, goal, target, road, as_of, risk_days, ahead_days
                )
                results.append(current)
                if target.per is not None and (history is None or history > 0):
                    # The periods before the current one: the same until a back-dated
                    # interaction lands in them, so a reviewer keeps them.
                    key = (goal.id, target, road, risk_days, ahead_days, history)
                    kept = None if _habits is None else _habits.get(key)
                    if kept is None:
                        past = _history(
                            metric,
                            declared,
                            plan,
                            log,
                            goal,
                            target,
                            road,
                            history,
                            risk_days,
                            ahead_days,
                        )
                        kept = past, consistency(past, goal=goal.id, target=target.id)
                        if _habits is not None and _remembered(declared):
                            _habits[key] = kept
                    past, habit = kept
                    if road.end <= as_of:
                        # The period ending on the day reviewed counts: its progress on its
                        # last day is final (a review on the 30th of June counts June).
                        if history is None:
                            habit = habit.then(current)
                        else:
                            periods = (*past, current)[-history:]
                            habit = consistency(periods, goal=goal.id, target=target.id)
                    habits.append(habit)
            except Exception as error:  # a plugin's bug must not take the review down
                fail(goal, target, f"{type(error).__name__}: {error}")

    context = RuleContext(plan, log, as_of, tuple(results), tuple(habits), by_name)
    for rule in rule_list:
        name = getattr(rule, "name", type(rule).__name__)
        try:
            found = list(rule.check(context) if _run is None else _run(rule, context))
            for item in found:
                if not isinstance(item, Finding):
                    raise TypeError(f"yielded {item!r}, not a netplan Finding")
            findings.extend(found)
        except Exception as error:  # a plugin's bug must not take the review down
            plugin = origin.get(name, "")
            findings.append(
                Finding(
                    name,
                    Severity.FAILED,
                    f"Rule {name!r}{_from(plugin)} failed: {type(error).__name__}: {error}",
                    Subject(SubjectKind.RULE, name),
                    "The rule raised; its findings are missing from this review, the rest "
                    "is complete. Fix or disable the plugin (NETPLAN_DISABLE_PLUGINS).",
                )
            )
    findings.sort(key=lambda f: (-f.severity.rank, f.rule, f.subject.kind.value, f.subject.id))
    return Review(
        plan.id,
        plan.revision,
        as_of,
        tuple(results),
        tuple(failures),
        consistency=tuple(habits),
        findings=tuple(findings),
        skills=_skill_changes(plan, as_of),
        names=tuple(names),
    )


@functools.lru_cache(maxsize=1024)
def _name(
    goal: str, title: str, target: Target, amount: float, units: tuple[str, str] | None
) -> TargetName:
    # The same few targets at every review: a re-review should not word them again.
    return TargetName(goal, target.id, title, target.describe(amount, units=units))


def _named(items: Mapping[str, T] | Iterable[T]) -> dict[str, T]:
    if isinstance(items, Mapping):
        return dict(items)
    return {getattr(item, "name", type(item).__name__): item for item in items}


def _from(plugin: str) -> str:
    return f" (from plugin {plugin!r})" if plugin else ""


def _measure(
    metric: Metric,
    declared: MetricCapabilities,
    plan: Plan,
    log: ActivityLog,
    goal: Goal,
    target: Target,
    road: Road,
    as_of: dt.date,
    risk_days: int,
    ahead_days: int,
) -> Progress:
    through = max(road.start, min(as_of, road.end) + _DAY)
    actual = metric.measure(
        plan, log, cached_window(road.start, through, plan.zone), target.segment
    )
    return _progress(
        road,
        actual,
        as_of,
        goal=goal.id,
        target=target.id,
        risk_days=risk_days,
        ahead_days=ahead_days,
        cumulative=declared.cumulative,
    )


# Pure functions of hashable values, asked the same questions at every review: a review
# again (a notebook re-running a cell) should not redo their exact fraction arithmetic.
_progress = functools.lru_cache(maxsize=4096)(progress)


_MOVED_AT_MOST = 4096
"""A reviewer moved to a day more than this many interactions away measures afresh: as
many as a log's journal remembers appends for. Working out which measures are stale
cost more than measuring afresh for a month of a million-row log (41,000 interactions:
0.50-0.66 s against 0.42 s for a fresh review); the bound itself is not measured."""


def _history(
    metric: Metric,
    declared: MetricCapabilities,
    plan: Plan,
    log: ActivityLog,
    goal: Goal,
    target: Target,
    current: Road,
    periods: int | None,
    risk_days: int,
    ahead_days: int,
) -> tuple[Progress, ...]:
    """The final progress of each period before ``current``, oldest first, back to the
    goal's start, and as far as a perfect habit's strength needs (or ``periods``)."""
    start = goal.start or plan.start
    past: list[Progress] = []
    day = current.start - _DAY
    left = 1.0  # the weight of the periods not read yet in the strength
    while day >= start and (len(past) < periods if periods is not None else left > HABIT_REACH):
        road = road_for(goal, target, day, plan_start=plan.start)
        if road.end > day:
            break  # a day before the first road (the end of a period the goal began late in)
        past.append(
            _measure(
                metric, declared, plan, log, goal, target, road, road.end, risk_days, ahead_days
            )
        )
        left *= habit_weight(road.length)
        day = road.start - _DAY
    past.reverse()
    return tuple(past)


def finding_about(review: Review, finding: Finding) -> str:
    """What ``finding`` of ``review`` is about, as a heading to group findings by: the
    goal's title for a finding about a goal or one of its targets, else ``"People"``,
    ``"Organizations"``, ``"Actions"``, ``"Skills"``, ``"Rules"`` or ``"The plan"``."""
    subject = finding.subject
    if subject.kind is SubjectKind.TARGET:
        return review.goal_title(subject.id.partition("/")[0])
    if subject.kind is SubjectKind.GOAL:
        return review.goal_title(subject.id)
    return _ABOUT.get(subject.kind, "The plan")


_ABOUT = {
    SubjectKind.CONTACT: "People",
    SubjectKind.ORGANIZATION: "Organizations",
    SubjectKind.ACTION: "Actions",
    SubjectKind.SKILL: "Skills",
    SubjectKind.RULE: "Rules",
}


def target_history(
    plan: Plan,
    log: ActivityLog,
    target: str,
    as_of: dt.date,
    *,
    goal: str | None = None,
    metrics: Mapping[str, Metric] | Iterable[Metric] = BUILTIN_METRICS,
    periods: int | None = None,
    risk_days: int = 2,
    ahead_days: int = 7,
) -> tuple[Progress, ...]:
    """The final progress of each completed period of a per-period target before the one
    it is measured on at the end of ``as_of``, oldest first: the periods the review's
    consistency reads (back to the goal's start, or ``periods`` of them), each measured
    on the log as it stood at the end of ``as_of``, as :func:`review` measures them (the
    period ending on ``as_of`` counts: it is complete at the end of that day).

    ``target`` is a target's id (``"coffees"``) or ``"goal/target"``; ``goal`` picks
    among goals with a target of that id. A target with a deadline has no periods: its
    history is empty.

    Raises:
        NotFoundError: the plan has no such target, or ``metrics`` no metric it names.
        ValidationError: several goals have a target of that id and ``goal`` is not
            given.
    """
    found_goal, found = _target_named(plan, target, goal)
    if found.per is None or (periods is not None and periods < 1):
        return ()
    metric = _named(metrics).get(found.metric)
    if metric is None:
        raise NotFoundError(
            "metric", found.metric, f"installed: {', '.join(sorted(_named(metrics))) or 'none'}"
        )
    read = log.before(plan.zone.start(as_of + _DAY))
    current = road_for(found_goal, found, as_of, plan_start=plan.start)
    declared = MetricCapabilities.of(metric)
    past = _history(
        metric, declared, plan, read, found_goal, found, current, periods, risk_days, ahead_days
    )
    if current.end <= as_of:
        # The period ending on the day reviewed is complete at its end: the review's
        # consistency counts it, so its history does.
        last = _measure(
            metric, declared, plan, read, found_goal, found, current, as_of, risk_days, ahead_days
        )
        past = (*past, last)[-periods:] if periods is not None else (*past, last)
    return past


def _target_named(plan: Plan, target: str, goal: str | None) -> tuple[Goal, Target]:
    if goal is None and "/" in target:
        goal, target = target.split("/", 1)
    found = [
        (g, t) for g in plan.goals for t in g.targets if t.id == target and goal in (None, g.id)
    ]
    if not found:
        named = ", ".join(f"{g.id}/{t.id}" for g in plan.goals for t in g.targets) or "none"
        raise NotFoundError(
            "target", target if goal is None else f"{goal}/{target}", f"the plan has: {named}"
        )
    if len(found) > 1:
        goals = ", ".join(g.id for g, _ in found)
        raise ValidationError(
            "target_history.goal",
            None,
            f"several goals have a target {target!r} ({goals}): name one",
        )
    return found[0]


def _remembered(declared: MetricCapabilities) -> bool:
    """Whether a reviewer can keep a metric's measures until an append touches them."""
    return declared.window_local or declared.newcomer_local


def _skill_changes(plan: Plan, as_of: dt.date) -> tuple[SkillChange, ...]:
    done = [a for a in plan.assessments if a.on <= as_of]
    if len(done) < 2:
        return ()
    return done[-1].changes_since(done[-2])


class Reviewer:
    """Reviews a plan again and again, re-measuring only what changed.

    A notebook or an application that logs an interaction and wants the review again
    keeps one ``Reviewer``. After the log only gained interactions:

    * measures of metrics that declare ``window_local = True`` (what they count happened
      before their window's end, as netplan's counts do) are remembered, and only windows
      ending after the earliest new interaction are measured again; a metric that also
      declares ``additive = True`` (a sum over the days of its window) is remembered up to
      the day reviewed, so only that day is counted again;
    * measures of metrics that declare ``newcomer_local = True`` (what they count is about
      the people first seen in their window, as follow-up rates and latencies are) are
      remembered, and only windows holding the first interaction of someone a new
      interaction was with are measured again;
    * rules that are :class:`~netplan.core.findings.ContactRule` s (dormant contacts, overdue
      follow-ups) keep what they flagged, and are asked again about the people the new
      interactions were with only (for a review of the same day).

    Any other change (the plan, a contact, an organization, an event, another log) starts
    afresh. The reviews are exactly those of :func:`review`.

    >>> import netplan
    >>> reviewer = Reviewer()
    >>> plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
    >>> reviewer.review(plan, netplan.ActivityLog(), dt.date(2026, 11, 15)).as_of
    datetime.date(2026, 11, 15)
    """

    def __init__(
        self,
        metrics: Mapping[str, Metric] | Iterable[Metric] = BUILTIN_METRICS,
        rules: Mapping[str, Rule] | Iterable[Rule] | None = None,
        *,
        sources: Mapping[str, str] | None = None,
        risk_days: int = 2,
        ahead_days: int = 7,
        history: int | None = None,
    ) -> None:
        self._cache: dict[tuple[str, dt.date, dt.date, Segment | None], float] = {}
        self._metrics = {
            name: _Remembered(metric, self._cache, [None], MetricCapabilities.of(metric))
            if _remembered(MetricCapabilities.of(metric))
            else metric
            for name, metric in _named(metrics).items()
        }
        # Each remembered metric itself, by the name that keys its measures.
        self._plain = {
            metric.name: metric.metric
            for metric in self._metrics.values()
            if isinstance(metric, _Remembered)
        }
        # The metrics whose measures depend on the people first seen in their windows.
        # (By the name targets use, and by the metric's own, which keys its measures.)
        self._newcomer_local = frozenset(
            name
            for key, metric in self._metrics.items()
            if isinstance(metric, _Remembered) and metric.newcomer_local
            for name in (key, metric.name)
        )
        # netplan's own follow-up rates and latencies (not a subclass, which may read
        # more): what they read is known, so a new interaction that changes none of it
        # keeps their measures without measuring again (metrics.follow_ups_unchanged).
        self._follow_ups = frozenset(
            name
            for name, metric in self._plain.items()
            if type(metric) in (FollowUpRate, FollowUpLatency)
        )
        self._rules = rules
        self._sources = dict(sources or {})
        self._risk_days, self._ahead_days, self._history = risk_days, ahead_days, history
        self._plan: Plan | None = None
        self._log: ActivityLog | None = None
        self._as_of: dt.date | None = None
        self._version = -1
        self._touched: frozenset[str] | None = None
        self._flagged: dict[str, _Flagged] = {}
        self._contact_rules: dict[int, bool] = {}
        # The periods before the current road (their final progress, and consistency),
        # by target and road.
        self._habits: dict[tuple[object, ...], tuple[tuple[Progress, ...], Consistency]] = {}

    def review(self, plan: Plan, log: ActivityLog, as_of: dt.date) -> Review:
        """The review of ``plan`` on ``as_of``, reusing the measures still valid."""
        self._forget_changed(plan, log, as_of)
        for metric in self._metrics.values():
            if isinstance(metric, _Remembered):
                metric.frontier[0] = as_of
        result = review(
            plan,
            log,
            as_of,
            self._metrics,
            self._rules,
            sources=self._sources,
            risk_days=self._risk_days,
            ahead_days=self._ahead_days,
            history=self._history,
            _run=self._run,
            _habits=self._habits,
        )
        self._version, self._as_of = log.version, as_of
        return result

    def _run(self, rule: Rule, context: RuleContext) -> Iterable[Finding]:
        # A runtime protocol check inspects every member: once per rule is enough.
        kind = self._contact_rules.get(id(rule))
        if kind is None:
            kind = self._contact_rules[id(rule)] = isinstance(rule, ContactRule)
        if not kind:
            return rule.check(context)
        rule = cast(ContactRule, rule)
        flagged = self._flagged.get(rule.name)
        if flagged is not None and flagged.as_of == context.as_of and self._touched is not None:
            flagged.replace(self._touched, rule.hits(context, self._touched))
        else:
            flagged = self._flagged[rule.name] = _Flagged(context.as_of)
            flagged.replace((), rule.hits(context, None))
        return flagged.findings(rule, context)

    def _forget_changed(self, plan: Plan, log: ActivityLog, as_of: dt.date) -> None:
        appended = log.appended_since(self._version) if log is self._log else None
        if appended is not None and plan == self._plan:
            self._touched = frozenset(contact for _, contact in appended if contact is not None)
            if self._as_of is not None and as_of != self._as_of:
                # A review reads the log up to the end of its day: moving the day brings
                # the interactions between the two days into view, or takes them out,
                # as appending them would (a follow-up logged for tomorrow answers a
                # meeting of last year once tomorrow is reviewed).
                appended = (*appended, *self._between(plan, log, self._as_of, as_of))
                if len(appended) > _MOVED_AT_MOST:
                    appended = None
        if appended is None or plan != self._plan:
            self._cache.clear()
            self._flagged.clear()
            self._habits.clear()
            self._touched = None
        elif appended:
            zone = plan.zone
            # An interaction on local day d can change a measure of any window ending
            # after d; of a newcomer-local metric, only one holding the first day of
            # someone it was with (any window ending after d, when it is their first).
            earliest = zone.day(min(at for at, _ in appended))
            firsts: set[dt.date] = set()
            newest = dt.date.max  # the earliest day that is someone's first
            # Each person's first interaction looked up once, however many of their
            # interactions came (a month of a busy log when the day moves on).
            instants: dict[str, set[dt.datetime]] = {}
            for at, contact in appended:
                if contact is not None:
                    instants.setdefault(contact, set()).add(at)
            for contact, theirs in instants.items():
                first = log._first_instant(contact)
                if first is None:
                    continue
                if first in theirs:
                    newest = min(newest, zone.day(first))
                if len(theirs) > (first in theirs):
                    firsts.add(zone.day(first))

            # Read as of the same day as before, the log reviewed is the one measured
            # before plus the new interactions: whether they change what netplan's own
            # follow-up metrics read is then known without measuring.
            kept_follow_ups = (
                bool(self._follow_ups)
                and as_of == self._as_of
                and follow_ups_unchanged(plan, log.before(zone.start(as_of + _DAY)), appended)
            )

            def stale(name: str, start: dt.date, end: dt.date) -> bool:
                if kept_follow_ups and name in self._follow_ups:
                    return False
                if name not in self._newcomer_local:
                    return end > earliest
                return end > newest or any(start <= day < end for day in firsts)

            # A completed window of a newcomer-local metric is measured again at once:
            # when its measure is unchanged (a coffee with someone followed up long ago),
            # the periods read for consistency stay as they are.
            changed: dict[str, dt.date] = {}  # a newcomer-local metric: its earliest change
            read: ActivityLog | None = None
            # A window ending on or before the earliest day anything changed on is kept
            # whatever its metric: most of them, tested without a call.
            settled = min(earliest, min(firsts, default=earliest))
            for key in [k for k in self._cache if k[2] > settled and stale(k[0], k[1], k[2])]:
                name, start, end, segment = key
                kept = self._cache.pop(key)
                metric = self._plain.get(name)
                if name in self._newcomer_local and metric is not None and end <= as_of + _DAY:
                    read = read or log.before(zone.start(as_of + _DAY))
                    try:
                        again = metric.measure(plan, read, cached_window(start, end, zone), segment)
                    except Exception:  # the review reports it
                        again = None
                    if again == kept:
                        self._cache[key] = kept
                        continue
                if name in self._newcomer_local:
                    changed[name] = min(end, changed.get(name, end))

            def moved(key: tuple[object, ...]) -> bool:
                """Whether the periods a kept consistency read (they end where its current
                road starts) may read differently now."""
                target, road = key[1], key[2]
                assert isinstance(target, Target)
                assert isinstance(road, Road)
                if target.metric not in self._newcomer_local:
                    return stale(target.metric, dt.date.min, road.start)
                end = changed.get(target.metric)
                return end is not None and end <= road.start

            for habit in [key for key in self._habits if moved(key)]:
                del self._habits[habit]
        self._plan, self._log = plan, log

    @staticmethod
    def _between(
        plan: Plan, log: ActivityLog, one: dt.date, other: dt.date
    ) -> tuple[tuple[dt.datetime, str | None], ...]:
        """When, and with whom, each interaction after the end of the earlier of two days
        and by the end of the later one happened (local days of the plan's zone)."""
        zone = plan.zone
        lo, hi = sorted((one, other))
        return tuple(log._moments(zone.start(lo + _DAY), zone.start(hi + _DAY)))


@frozen
class _Remembered:
    """A window-local metric whose measures the reviewer remembers."""

    metric: Metric
    cache: dict[tuple[str, dt.date, dt.date, Segment | None], float]
    frontier: list[dt.date | None]
    """The day reviewed, where new interactions are logged: an additive metric's window
    over it is remembered up to it, and only the rest is measured again."""
    declared: MetricCapabilities

    @property
    def window_local(self) -> bool:
        return self.declared.window_local

    @property
    def newcomer_local(self) -> bool:
        return self.declared.newcomer_local

    @property
    def additive(self) -> bool:
        return self.declared.additive

    @property
    def cumulative(self) -> bool:
        return self.declared.cumulative

    @property
    def name(self) -> str:
        return self.metric.name

    @property
    def description(self) -> str:
        return self.metric.description

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        frontier = self.frontier[0]
        if self.declared.additive and frontier is not None and window.start < frontier < window.end:
            # A sum over days: the days before the frontier rarely change, the rest does.
            settled = self.measure(
                plan, log, cached_window(window.start, frontier, window.zone), segment
            )
            rest = cached_window(frontier, window.end, window.zone)
            return settled + self.metric.measure(plan, log, rest, segment)
        key = (self.metric.name, window.start, window.end, segment)
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = self.metric.measure(plan, log, window, segment)
        return value


class _Flagged:
    """What a contact rule flagged, kept in its order so a few contacts can be redone."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._order: list[tuple[int, float, str]] = []
        self._by_contact: dict[str, Hit] = {}
        self._severities: Counter[Severity] = Counter()
        self._described: dict[Hit, Finding] = {}

    def replace(self, contacts: Collection[str], hits: Iterable[Hit]) -> None:
        for contact in contacts:
            hit = self._by_contact.pop(contact, None)
            if hit is not None:
                self._forget(hit)
        for hit in hits:
            old = self._by_contact.get(hit.contact)
            if old is not None:
                self._forget(old)
            self._by_contact[hit.contact] = hit
            bisect.insort(self._order, hit.order)
            self._severities[hit.severity] += 1

    def _forget(self, hit: Hit) -> None:
        del self._order[bisect.bisect_left(self._order, hit.order)]
        self._severities[hit.severity] -= 1
        self._described.pop(hit, None)

    def findings(self, rule: ContactRule, context: RuleContext) -> list[Finding]:
        top = [self._by_contact[key[2]] for key in self._order[: rule.limit]]
        described = self._described
        shown = []
        for hit in top:
            finding = described.get(hit)
            if finding is None:
                finding = described[hit] = rule.describe(context, hit)
            shown.append(finding)
        rest = self._severities - Counter(hit.severity for hit in top)
        if rest:
            shown.append(rule.summarize(context, rest))
        return shown
