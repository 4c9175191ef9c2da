"""Charts of a plan with matplotlib: each target against its pace line (Beeminder's road
picture), the network's growth, interactions per month by kind, and skills across
assessments.

matplotlib is an optional extra (``pip install 'netplan[plots]'``), imported when a chart
is drawn. Every function draws on ``ax`` when given one and on a new figure otherwise,
and returns the :class:`matplotlib.axes.Axes` it drew on. A new figure comes from
pyplot, so Jupyter shows it; outside Jupyter, when nothing chose a backend (no
``MPLBACKEND``, no ``matplotlibrc`` setting, pyplot not yet imported), the non-interactive
Agg backend is picked: save the figure with ``ax.figure.savefig(...)``, or choose an
interactive backend before plotting.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from netplan.core.errors import NotFoundError, ValidationError
from netplan.core.evaluation import Review
from netplan.core.log import ActivityLog
from netplan.core.metrics import BUILTIN_METRICS, Metric, Window
from netplan.core.network import InteractionKind
from netplan.core.pace import Progress
from netplan.core.plan import Plan
from netplan.core.skills import BUILTIN_SKILLS, Catalog, SkillAssessment
from netplan.core.zones import UTC_ZONE, Zone

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_interactions_by_month", "plot_network_growth", "plot_road", "plot_skills"]

MISSING_MATPLOTLIB = "netplan's plots need matplotlib: pip install 'netplan[plots]'"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(MISSING_MATPLOTLIB, name="matplotlib") from error
    return matplotlib


def _axes(ax: Axes | None) -> Axes:
    matplotlib = _matplotlib()
    if ax is not None:
        return ax
    if "matplotlib.pyplot" not in sys.modules:
        # Only when nothing chose a backend (Jupyter sets MPLBACKEND to its inline one):
        # never switch a backend someone picked.
        chosen = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
        if chosen is not None and chosen() is None:
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=(7.5, 3.6), layout="constrained")
    return new


def _dates(days: Iterable[dt.date]) -> Any:
    """Days or instants for an axis: matplotlib converts them through its units registry,
    though its type stubs accept numbers only."""
    return list(days)


def _date_axis(ax: Axes) -> None:
    mdates = importlib.import_module("matplotlib.dates")  # untyped
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _whole_numbers(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _legend_outside(ax: Axes) -> None:
    # Right of the axes, where it hides no bar and no line.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)


def _find(review: Review, target: str, goal: str | None) -> Progress:
    if goal is None and "/" in target:
        goal, target = target.split("/", 1)
    found = [p for p in review.progress if p.target == target and goal in (None, p.goal)]
    if not found:
        measured = ", ".join(f"{p.goal}/{p.target}" for p in review.progress) or "none"
        name = target if goal is None else f"{goal}/{target}"
        raise NotFoundError("target", name, f"the review measured: {measured}")
    if len(found) > 1:
        goals = ", ".join(p.goal for p in found)
        raise ValidationError(
            "plot_road.goal", None, f"several goals have a target {target!r} ({goals}): name one"
        )
    return found[0]


def _metric(metrics: Mapping[str, Metric] | Iterable[Metric], name: str) -> Metric:
    named = (
        dict(metrics)
        if isinstance(metrics, Mapping)
        else {getattr(m, "name", type(m).__name__): m for m in metrics}
    )
    if name not in named:
        raise NotFoundError("metric", name, f"installed: {', '.join(sorted(named)) or 'none'}")
    return named[name]


def plot_road(
    review: Review,
    target: str,
    *,
    goal: str | None = None,
    plan: Plan | None = None,
    log: ActivityLog | None = None,
    metrics: Mapping[str, Metric] | Iterable[Metric] = BUILTIN_METRICS,
    ax: Axes | None = None,
) -> Axes:
    """One target of ``review`` against its road: the pace line from nothing on the road's
    first day to its amount on its last, and the actual value.

    ``target`` is a target's id (``"coffees"``), or ``"goal/target"``; ``goal`` picks
    among goals with a target of that id. Given the ``plan`` and ``log`` reviewed, the
    actual line shows the value at the end of each day of the road up to the review's day
    (measured again with the target's metric from ``metrics``: netplan's own by default),
    so the gap to the pace line on any day can be traced to the interactions behind it;
    without them, the actual value on the review's day is one point.

    Every point is a day's value at its end (a local day of the plan's zone), as the
    review measures it. Things are done in whole units, so the steps of what is due (the
    whole units the pace has completed, and the amount on the last day) are drawn too:
    the actual line is below them on a day exactly when the target was behind on it. The
    lines are labelled ``"actual"``, ``"pace"`` and ``"due"``; a dotted line marks the
    review's day.
    """
    found = _find(review, target, goal)
    road = found.road
    axes = _axes(ax)
    amount = float(road.amount)
    axes.plot(
        _dates([road.start, road.end]),
        [float(road.expected(road.start)), amount],
        color="#888888",
        linestyle="--",
        label="pace",
    )
    road_days = [road.start + dt.timedelta(days=n) for n in range(road.length)]
    axes.plot(
        _dates(road_days),
        [float(road.due(day)) for day in road_days],
        drawstyle="steps-post",
        color="#bbbbbb",
        linewidth=1,
        label="due",
    )
    last = min(review.as_of, road.end)
    if plan is not None and log is not None and last >= road.start:
        spec = plan.goal(found.goal).target(found.target)
        metric = _metric(metrics, spec.metric)
        days = [road.start + dt.timedelta(days=n) for n in range((last - road.start).days + 1)]
        values = [
            metric.measure(
                plan, log, Window(road.start, day + dt.timedelta(days=1), plan.zone), spec.segment
            )
            for day in days
        ]
        axes.plot(_dates(days), values, drawstyle="steps-post", color="#1565c0", label="actual")
        axes.set_ylabel(spec.metric.replace("_", " "))
    else:
        axes.plot(_dates([last]), [found.actual], marker="o", color="#1565c0", label="actual")
        axes.set_ylabel(found.target.replace("_", " "))
    axes.axvline(
        _dates([review.as_of])[0], color="#999999", linestyle=":", linewidth=1, label="as of"
    )
    buffer = "" if found.buffer_days is None else f", buffer {found.buffer_days} d"
    axes.set_title(
        f"{found.goal}/{found.target}: {found.actual:g} of {amount:g} "
        f"({found.status.value.replace('_', ' ')}{buffer})"
    )
    axes.set_ylim(bottom=min(0.0, found.actual))
    _date_axis(axes)
    axes.legend(loc="upper left")
    return axes


def plot_network_growth(log: ActivityLog, *, ax: Axes | None = None) -> Axes:
    """How many people the person had interacted with, over time: a step up on the day of
    each contact's first interaction (an imported connection counts from the day it was
    made). The line is labelled ``"contacts"``."""
    axes = _axes(ax)
    firsts = sorted(log.first_interactions().values())
    total = len(log.contacts)
    if firsts:
        axes.plot(
            _dates(firsts),
            range(1, len(firsts) + 1),
            drawstyle="steps-post",
            color="#2e7d32",
            label="contacts",
        )
        _date_axis(axes)
        axes.legend(loc="upper left")
    axes.set_ylim(bottom=0)
    axes.set_ylabel("contacts interacted with")
    _whole_numbers(axes)
    axes.set_title(f"Network: {len(firsts)} of {total} contacts interacted with")
    return axes


def plot_interactions_by_month(
    log: ActivityLog,
    *,
    kinds: Iterable[InteractionKind | str] | None = None,
    zone: Zone | str = UTC_ZONE,
    ax: Axes | None = None,
) -> Axes:
    """Interactions per calendar month of ``zone`` (pass the plan's, ``plan.zone``; UTC by
    default), stacked by kind: one bar container per kind, labelled with it, with a bar
    for every month from the first interaction to the last (months without any included).
    ``kinds`` keeps those kinds only."""
    axes = _axes(ax)
    months, stacks = _monthly(log, kinds, zone if isinstance(zone, Zone) else Zone.named(zone))
    if not months:
        axes.set_title("Interactions per month: none yet")
        return axes
    positions = list(range(len(months)))
    bottom = [0] * len(months)
    for kind, heights in stacks.items():
        axes.bar(positions, heights, bottom=bottom, label=kind.replace("_", " "))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    step = max(1, len(months) // 12)
    axes.set_xticks(positions[::step], [f"{y}-{m:02d}" for y, m in months[::step]])
    if len(months) > 6:
        axes.tick_params(axis="x", labelrotation=45)
    axes.set_ylabel("interactions")
    _whole_numbers(axes)
    axes.set_title(f"Interactions per month ({sum(bottom)} in all)")
    _legend_outside(axes)
    return axes


def _monthly(
    log: ActivityLog, kinds: Iterable[InteractionKind | str] | None, zone: Zone
) -> tuple[list[tuple[int, int]], dict[str, list[int]]]:
    """Every month from the first interaction to the last, and each kind's count in each
    (kinds in their declared order, those without any left out)."""
    wanted = None if kinds is None else {InteractionKind(k).value for k in kinds}
    rows = [row for row in log.rows() if wanted is None or row[2] in wanted]
    days = map(dt.date.fromordinal, zone.days([row[0] for row in rows]))
    counts: Counter[tuple[tuple[int, int], str]] = Counter(
        ((day.year, day.month), row[2]) for day, row in zip(days, rows, strict=True)
    )
    if not counts:
        return [], {}
    first = min(month for month, _ in counts)
    last = max(month for month, _ in counts)
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    present = {kind for _, kind in counts}
    return months, {
        k.value: [counts[(m, k.value)] for m in months]
        for k in InteractionKind
        if k.value in present
    }


def plot_skills(
    assessments: Plan | Iterable[SkillAssessment],
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each skill's self-rated level across assessments (a plan's, or any given): one line
    per skill, labelled with its name (from ``catalog``: the plan's, or the built-in one),
    a point per assessment that rated it."""
    if isinstance(assessments, Plan):
        known = assessments.catalog if catalog is None else catalog
        chosen = tuple(assessments.assessments)
    else:
        known = Catalog(BUILTIN_SKILLS) if catalog is None else catalog
        chosen = tuple(sorted(assessments, key=lambda a: a.on))
    names = {skill_id: known[skill_id].name for skill_id in known}
    axes = _axes(ax)
    levels: dict[str, tuple[list[dt.date], list[int]]] = {}
    for assessment in chosen:
        for rating in assessment.ratings:
            days, values = levels.setdefault(rating.skill, ([], []))
            days.append(assessment.on)
            values.append(rating.level)
    for skill, (days, values) in sorted(levels.items()):
        axes.plot(_dates(days), values, marker="o", label=names.get(skill, skill))
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_ylabel("level (1-5)")
    axes.set_title(
        f"Skills across {len(chosen)} assessments" if chosen else "Skills: no assessments yet"
    )
    if levels:
        _date_axis(axes)
        _legend_outside(axes)
    return axes
