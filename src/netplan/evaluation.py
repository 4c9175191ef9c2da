"""Step 5, evaluate: a review measures every target of a plan on a day.

``review(plan, log, as_of, metrics)`` is pure: the day is an argument and the metrics are
given (the plugin host supplies the installed ones), so the same inputs give the same
review. A target whose metric is missing, or raises, becomes a failure that names it; the
rest of the review completes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from attrs import frozen

from netplan.goals import GoalStatus
from netplan.log import ActivityLog
from netplan.metrics import BUILTIN_METRICS, Metric, Window
from netplan.pace import Progress, progress, road_for
from netplan.plan import Plan

__all__ = ["MetricFailure", "Review", "review"]


@frozen
class MetricFailure:
    """A target that could not be measured, and why."""

    goal: str
    target: str
    metric: str
    error: str


@frozen
class Review:
    """Where every target of a plan's active goals stands on ``as_of``."""

    plan: str
    revision: int
    as_of: dt.date
    progress: tuple[Progress, ...]
    failures: tuple[MetricFailure, ...]

    def __str__(self) -> str:
        lines = [f"Review of {self.plan!r} (revision {self.revision}) on {self.as_of}"]
        for p in self.progress:
            buffer = "-" if p.buffer_days is None else f"{p.buffer_days} d"
            lines.append(
                f"  {p.goal}/{p.target}: {p.actual:g} of {float(p.road.amount):g} "
                f"(expected {p.expected:.1f}, projected {p.projected:.1f}) "
                f"{p.status.value}, buffer {buffer}"
            )
        lines.extend(
            f"  {f.goal}/{f.target}: cannot measure {f.metric}: {f.error}" for f in self.failures
        )
        return "\n".join(lines)


def review(
    plan: Plan,
    log: ActivityLog,
    as_of: dt.date,
    metrics: Mapping[str, Metric] | Iterable[Metric] = BUILTIN_METRICS,
    *,
    risk_days: int = 2,
    ahead_days: int = 7,
) -> Review:
    """Measure every target of the plan's active goals through the end of ``as_of``."""
    by_name = dict(metrics) if isinstance(metrics, Mapping) else {m.name: m for m in metrics}
    results: list[Progress] = []
    failures: list[MetricFailure] = []
    for goal in plan.goals:
        if goal.status is not GoalStatus.ACTIVE:
            continue
        for target in goal.targets:
            road = road_for(goal, target, as_of, plan_start=plan.start)
            metric = by_name.get(target.metric)
            if metric is None:
                installed = ", ".join(sorted(by_name)) or "none"
                failures.append(
                    MetricFailure(
                        goal.id,
                        target.id,
                        target.metric,
                        f"no metric of that name is installed (installed: {installed})",
                    )
                )
                continue
            through = max(road.start, min(as_of, road.end) + dt.timedelta(days=1))
            try:
                actual = metric.measure(plan, log, Window(road.start, through), target.segment)
                results.append(
                    progress(
                        road,
                        actual,
                        as_of,
                        goal=goal.id,
                        target=target.id,
                        risk_days=risk_days,
                        ahead_days=ahead_days,
                    )
                )
            except Exception as error:  # a plugin's bug must not take the review down
                failures.append(
                    MetricFailure(
                        goal.id, target.id, target.metric, f"{type(error).__name__}: {error}"
                    )
                )
    return Review(plan.id, plan.revision, as_of, tuple(results), tuple(failures))
