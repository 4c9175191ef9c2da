"""Charts of a plan with matplotlib: the whole review as small multiples, each target
against its pace line (Beeminder's road picture) with its past periods and habit
strength, the network's growth, interactions per month by kind, and skills (their gaps,
and their history across assessments).

matplotlib is an optional extra (``pip install 'networking-action-plan[plots]'``), imported when a chart
is drawn. Every function draws on ``ax`` when given one and on a new figure otherwise,
and returns a :class:`Chart`: the figure, shown as a picture when it is a notebook cell's
last value, which also answers as the axes it drew on (``chart.get_lines()``). A new
figure comes from pyplot, so Jupyter shows it; outside Jupyter, when nothing chose a
backend (no ``MPLBACKEND``, no ``matplotlibrc`` setting, pyplot not yet imported), the
non-interactive Agg backend is picked: save the figure with ``chart.savefig(...)``, or
choose an interactive backend before plotting.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import math
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from netplan.core.errors import NotFoundError, ValidationError
from netplan.core.evaluation import Review, target_history
from netplan.core.goals import Goal, GoalStatus, Target
from netplan.core.log import ActivityLog
from netplan.core.metrics import BUILTIN_METRICS, Metric, MetricCapabilities, Window
from netplan.core.network import InteractionKind
from netplan.core.pace import Progress, Status, consistency, road_for
from netplan.core.plan import Plan
from netplan.core.skills import BUILTIN_SKILLS, Catalog, SkillAssessment
from netplan.core.zones import UTC_ZONE, Zone
from netplan.notebook.html import STATUS_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "Chart",
    "plot_interactions_by_month",
    "plot_network_growth",
    "plot_review",
    "plot_road",
    "plot_skill_gaps",
    "plot_skills",
]

_UNLISTED = "_nolegend_"
"""The label of what a legend names once already (matplotlib leaves out labels starting
with an underscore)."""
MET, MISSED = "#66bb6a", "#ef9a9a"
_SEGMENT_COLOURS = ("#6d4c41", "#00838f", "#ad1457", "#283593")
"""A ``new_contacts`` target's line (and its segment's growth), one colour each."""
"""A completed period's bar: its target met, or missed."""

MISSING_MATPLOTLIB = "netplan's plots need matplotlib: pip install 'networking-action-plan[plots]'"


class Chart:
    """A figure netplan drew: shown as the picture (PNG) when it is a notebook cell's last
    value, where matplotlib's axes would show as ``<Axes: ...>`` text.

    ``figure`` is the :class:`matplotlib.figure.Figure` and ``axes`` the axes netplan drew
    on, the target's or the skill's first; any other attribute is the first axes' own,
    so ``chart.get_lines()`` or ``chart.set_title(...)`` work on what was drawn.
    ``chart.savefig("road.png")`` saves the figure.
    """

    def __init__(self, figure: Figure, axes: Sequence[Axes]) -> None:
        self.figure = figure
        self.axes: tuple[Axes, ...] = tuple(axes)

    @property
    def ax(self) -> Axes:
        """The first axes drawn on."""
        return self.axes[0]

    def savefig(self, *args: Any, **kwargs: Any) -> None:
        """The figure's :meth:`~matplotlib.figure.Figure.savefig`."""
        self.figure.savefig(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # What Jupyter asks (this chart's own reprs, or none), and this chart's own
        # fields before they are set (a copy being made): never the axes'.
        if name.startswith(("_repr_", "__")) or name in ("axes", "figure"):
            raise AttributeError(name)
        return getattr(self.axes[0], name)

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", bbox_inches="tight")
        # Shown here: Jupyter's inline backend would show a pyplot figure a second time
        # at the end of the cell.
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(self.figure)
        return buffer.getvalue()

    def __repr__(self) -> str:
        titles = "; ".join(t for t in (a.get_title() for a in self.axes) if t)
        return f"<netplan Chart: {titles or 'untitled'}>"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(MISSING_MATPLOTLIB, name="matplotlib") from error
    return matplotlib


def _axes(ax: Axes | None) -> Axes:
    _matplotlib()
    if ax is not None:
        return ax
    made = _pyplot().subplots(figsize=(7.5, 3.6), layout="constrained")
    new: Axes = made[1]
    return new


def _pyplot() -> Any:
    matplotlib = _matplotlib()
    if "matplotlib.pyplot" not in sys.modules:
        # Only when nothing chose a backend (Jupyter sets MPLBACKEND to its inline one):
        # never switch a backend someone picked.
        chosen = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
        if chosen is not None and chosen() is None:
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


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
    periods: int = 12,
    ax: Axes | None = None,
) -> Chart:
    """One target of ``review`` against its road: the pace line from nothing on the road's
    first day to its amount on its last, and the actual value.

    ``target`` is a target's id (``"coffees"``), or ``"goal/target"``; ``goal`` picks
    among goals with a target of that id. Given the ``plan`` and ``log`` reviewed, the
    actual line shows the value at the end of each day of the road up to the review's day
    (measured again with the target's metric from ``metrics``: netplan's own by default,
    ``host.metrics`` for a plugin's), so the gap to the pace line on any day can be traced
    to the interactions behind it; without them, the actual value on the review's day is
    one point. With the plan, the title is the goal's title and the target in words.

    Every point is a day's value at its end (a local day of the plan's zone), as the
    review measures it. Things are done in whole units, so the steps of what is due (the
    whole units the pace has completed, and the amount on the last day) are drawn too:
    the actual line is below them on a day exactly when the target was behind on it. The
    band above them (``"at risk"``) holds the values that are behind within the review's
    two days of safety buffer; a dashed line projects the current pace to the road's end.

    A per-period target drawn with its plan and log also shows up to ``periods``
    completed periods before this one: a bar each, its count against that period's
    target (green when met, red when missed), and the habit strength the review's
    consistency computes after each (``"habit strength"``, 0 to 100%, on the right).

    The lines are labelled ``"actual"``, ``"pace"``, ``"due"``, ``"projection"``, and a
    dotted line marks the review's day.
    """
    found = _find(review, target, goal)
    axes = _axes(ax)
    _draw_road(axes, review, found, plan, log, metrics, periods)
    handles = _legend_entries([axes])
    axes.legend(
        list(handles.values()),
        list(handles),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncols=min(len(handles), 5),
        fontsize="small",
        frameon=False,
    )
    return _chart(axes)


def plot_review(
    review: Review,
    plan: Plan,
    log: ActivityLog | None = None,
    *,
    metrics: Mapping[str, Metric] | Iterable[Metric] = BUILTIN_METRICS,
    periods: int = 6,
    columns: int = 2,
) -> Chart:
    """The whole review as small multiples: :func:`plot_road` of every measured target of
    ``plan`` (its past ``periods`` too, given the ``log``), in the review's order,
    ``columns`` a row, each titled with its goal's title and the target in words and
    coloured by its status, with one legend for all.

    Raises:
        ValidationError: ``columns`` is not a positive whole number.
    """
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValidationError("plot_review.columns", columns, "must be a whole number of 1 or more")
    _matplotlib()
    pyplot = _pyplot()
    shown = list(review.progress)
    count = max(1, len(shown))
    across = min(columns, count)
    rows = math.ceil(count / across)
    figure, grid = pyplot.subplots(
        rows, across, figsize=(6.2 * across, 3.6 * rows), layout="constrained", squeeze=False
    )
    cells = [cell for row in grid for cell in row]
    for cell in cells[len(shown) :]:
        cell.set_axis_off()
    if not shown:
        cells[0].set_title("Nothing measured: no active targets")
        return Chart(figure, cells[:1])
    for progress, cell in zip(shown, cells, strict=False):
        _draw_road(cell, review, progress, plan, log, metrics, periods)
    handles = _legend_entries(cells[: len(shown)])
    figure.legend(
        list(handles.values()),
        list(handles),
        loc="outside lower center",
        ncols=min(len(handles), 7),
        fontsize="small",
        frameon=False,
    )
    figure.suptitle(f"Review of {plan.person}'s plan on {review.as_of}")
    return Chart(figure, cells[: len(shown)])


def _legend_entries(drawn: Sequence[Axes]) -> dict[str, Any]:
    """Each label of ``drawn`` and their twins (the habit strength's axis), once."""
    handles: dict[str, Any] = {}
    for axes in drawn:
        for each in axes.get_shared_x_axes().get_siblings(axes):
            for handle, label in zip(*each.get_legend_handles_labels(), strict=True):
                handles.setdefault(label, handle)
    return handles


def _draw_road(
    axes: Axes,
    review: Review,
    found: Progress,
    plan: Plan | None,
    log: ActivityLog | None,
    metrics: Mapping[str, Metric] | Iterable[Metric],
    periods: int,
) -> None:
    road = found.road
    amount = float(road.amount)
    spec = _target_of(plan, found)
    metric = None if spec is None or log is None else _metric(metrics, spec.metric)
    cumulative = metric is None or MetricCapabilities.of(metric).cumulative
    colour = STATUS_COLOURS[found.status]
    road_days = [road.start + dt.timedelta(days=n) for n in range(road.length)]
    if cumulative:
        axes.plot(
            _dates([road.start, road.end]),
            [float(road.expected(road.start)), amount],
            color="#888888",
            linestyle="--",
            label="pace",
        )
        axes.plot(
            _dates(road_days),
            [float(road.due(day)) for day in road_days],
            drawstyle="steps-post",
            color="#bbbbbb",
            linewidth=1,
            label="due",
        )
        risk = dt.timedelta(days=2)
        axes.fill_between(
            _dates(road_days),
            [float(road.due(day)) for day in road_days],
            [float(road.due(min(day + risk, road.end))) for day in road_days],
            step="post",
            color=STATUS_COLOURS[Status.AT_RISK],
            alpha=0.12,
            linewidth=0,
            label="at risk",
        )
    else:
        axes.hlines(
            amount,
            _dates([road.start])[0],
            _dates([road.end])[0],
            color="#888888",
            linestyles="--",
            label="target",
        )
    last = min(review.as_of, road.end)
    if plan is not None and log is not None and spec is not None and metric is not None:
        if last >= road.start:
            days = [road.start + dt.timedelta(days=n) for n in range((last - road.start).days + 1)]
            values = [
                metric.measure(
                    plan,
                    log,
                    Window(road.start, day + dt.timedelta(days=1), plan.zone),
                    spec.segment,
                )
                for day in days
            ]
            axes.plot(
                _dates(days),
                values,
                drawstyle="steps-post",
                color="#1565c0",
                linewidth=2,
                marker="o",
                markevery=[len(days) - 1],  # the review's day: seen even at nothing
                zorder=5,
                label="actual",
                clip_on=False,
            )
        if spec.per is not None and periods > 0:
            _draw_periods(axes, review, found, plan, log, metrics, periods)
    else:
        axes.plot(_dates([last]), [found.actual], marker="o", color="#1565c0", label="actual")
    if (
        cumulative
        and found.status is not Status.DONE
        and review.as_of < road.end
        and found.projected != found.actual
    ):
        axes.plot(
            _dates([review.as_of, road.end]),
            [found.actual, found.projected],
            color=colour,
            linestyle=":",
            linewidth=1.2,
            label="projection",
        )
    axes.axvline(
        _dates([review.as_of])[0], color="#999999", linestyle=":", linewidth=1, label="as of"
    )
    buffer = "" if found.buffer_days is None else f", {found.buffer_days} d of buffer"
    state = found.status.value.replace("_", " ")
    if spec is not None and plan is not None:
        title = plan.goal(found.goal).title
        what = spec.describe(amount)
        axes.set_title(
            f"{title}: {what}\n{_count(found.actual)} of {_count(amount)}, {state}{buffer}",
            color=colour,
            fontsize="medium",
        )
        axes.set_ylabel(_words(spec.metric))
    else:
        axes.set_title(
            f"{found.goal}/{found.target}: {found.actual:g} of {amount:g} ({state}{buffer})",
            color=colour,
        )
        axes.set_ylabel(found.target.replace("_", " "))
    axes.set_ylim(bottom=min(0.0, found.actual))
    if cumulative and float(road.amount).is_integer():
        _whole_numbers(axes)
    _date_axis(axes)


def _draw_periods(
    axes: Axes,
    review: Review,
    found: Progress,
    plan: Plan,
    log: ActivityLog,
    metrics: Mapping[str, Metric] | Iterable[Metric],
    periods: int,
) -> None:
    """Up to ``periods`` completed periods before the road: bars against their targets,
    and the habit strength after each on a second axis."""
    history = target_history(
        plan, log, f"{found.goal}/{found.target}", review.as_of, metrics=metrics
    )
    if not history:
        return
    strengths = []
    habit = consistency((), goal=found.goal, target=found.target)
    for past in history:
        habit = habit.then(past)
        strengths.append(habit.strength)
    shown = history[-periods:]
    for number, past in enumerate(shown):
        start, end = past.road.start, past.road.end + dt.timedelta(days=1)
        met = past.score >= 1
        axes.bar(
            _dates([start])[0],
            past.actual,
            width=(end - start).days,
            align="edge",
            color=MET if met else MISSED,
            edgecolor="white",
            label=("met" if met else "missed") if number == _first(shown, met) else _UNLISTED,
        )
        if not met:  # a red stroke on the axis: a period with nothing done shows too
            axes.hlines(0, _dates([start])[0], _dates([end])[0], color="#c62828", linewidth=3)
        axes.hlines(
            float(past.road.amount),
            _dates([start])[0],
            _dates([end])[0],
            color="#424242",
            linewidth=1.2,
            label="target" if number == 0 else _UNLISTED,
        )
    twin = axes.twinx()
    ends = [p.road.end + dt.timedelta(days=1) for p in shown]
    twin.plot(
        _dates(ends),
        [100 * s for s in strengths[-len(shown) :]],
        marker=".",
        color="#6a1b9a",
        linewidth=1,
        label="habit strength",
    )
    twin.set_ylim(0, 105)
    twin.set_ylabel("habit strength (%)", color="#6a1b9a", fontsize="small")
    twin.tick_params(axis="y", colors="#6a1b9a", labelsize="small")
    axes.set_xlim(left=_dates([shown[0].road.start])[0])


def _first(shown: Sequence[Progress], met: bool) -> int:
    """The first of ``shown`` met (or missed): the bar that names its kind in a legend."""
    return next(n for n, p in enumerate(shown) if (p.score >= 1) == met)


def _target_of(plan: Plan | None, found: Progress) -> Target | None:
    if plan is None:
        return None
    try:
        return plan.goal(found.goal).target(found.target)
    except NotFoundError:
        return None  # a review of another plan: drawn from the review alone


def _count(value: float) -> str:
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def _words(metric: str) -> str:
    return metric.rpartition(":")[2].replace("_", " ")


def _chart(axes: Axes) -> Chart:
    return Chart(axes.figure, [axes])  # type: ignore[arg-type]


def plot_network_growth(
    log: ActivityLog, *, plan: Plan | None = None, ax: Axes | None = None
) -> Chart:
    """How many people the person had interacted with, over time: a step up on the day of
    each contact's first interaction (an imported connection counts from the day it was
    made). The line is labelled ``"contacts"``.

    Given the ``plan``, each active goal's ``new_contacts`` target is drawn against it:
    the growth it asks for from the goal's start (its amount each period, or a straight
    line to the deadline), dashed and labelled with the target in words, and, when the
    target counts a segment only, that segment's own growth beside the whole network's,
    labelled with the segment (``"tagged climate"``)."""
    axes = _axes(ax)
    firsts = log.first_interactions()
    total = len(log.contacts)
    if firsts:
        _growth(axes, sorted(firsts.values()), "contacts", "#2e7d32")
    if plan is not None and firsts:
        zone = plan.zone
        organizations = log.organizations_by_id()
        drawn = 0
        for goal in plan.goals:
            if goal.status is not GoalStatus.ACTIVE:
                continue
            for target in goal.targets:
                if target.metric != "new_contacts":
                    continue
                segment = target.segment
                counted = sorted(
                    at
                    for contact_id, at in firsts.items()
                    if segment is None
                    or segment.matches(
                        log.contact(contact_id),
                        organizations.get(log.contact(contact_id).organization or ""),
                    )
                )
                colour = _SEGMENT_COLOURS[drawn % len(_SEGMENT_COLOURS)]
                drawn += 1
                if segment is not None:  # its growth and its target in one colour
                    _growth(axes, counted, segment.describe(), colour)
                begin = goal.start or plan.start
                base = sum(1 for at in counted if zone.day(at) < begin)
                last = max(zone.day(max(firsts.values())), begin)
                days, wanted = _asked(goal, target, plan.start, last, base)
                axes.plot(
                    _dates(zone.start(day) for day in days),
                    wanted,
                    linestyle="--",
                    color=colour,
                    label=f"{goal.title}: {target.describe()}",
                )
    if firsts:
        _date_axis(axes)
        _legend_outside(axes)
    axes.set_ylim(bottom=0)
    axes.set_ylabel("contacts interacted with")
    _whole_numbers(axes)
    axes.set_title(f"Network: {len(firsts)} of {total} contacts interacted with")
    return _chart(axes)


def _growth(axes: Axes, firsts: Sequence[dt.datetime], label: str, colour: str) -> None:
    axes.plot(
        _dates(firsts),
        range(1, len(firsts) + 1),
        drawstyle="steps-post",
        color=colour,
        label=label,
    )


def _asked(
    goal: Goal, target: Target, plan_start: dt.date, last: dt.date, base: int
) -> tuple[list[dt.date], list[float]]:
    """The days and counts of the growth ``target`` asks for from its goal's start (with
    ``base`` people met before it): each road's amount more at its end (a first period
    prorated, as the review does), through the road holding ``last``; or a straight line
    to its deadline."""
    begin = goal.start or plan_start
    if target.per is None:
        road = road_for(goal, target, begin, plan_start=plan_start)
        return [road.start, road.end], [base, base + float(road.amount)]
    days, counts = [begin], [float(base)]
    day = begin
    while day <= last:
        road = road_for(goal, target, day, plan_start=plan_start)
        if road.start > day:  # a first period left out (less than half of it was left)
            days.append(road.start)
            counts.append(counts[-1])
        day = road.end + dt.timedelta(days=1)
        days.append(day)
        counts.append(counts[-1] + float(road.amount))
    return days, counts


def plot_interactions_by_month(
    log: ActivityLog,
    *,
    kinds: Iterable[InteractionKind | str] | None = None,
    zone: Zone | str = UTC_ZONE,
    ax: Axes | None = None,
) -> Chart:
    """Interactions per calendar month of ``zone`` (pass the plan's, ``plan.zone``; UTC by
    default), stacked by kind: one bar container per kind, labelled with it, with a bar
    for every month from the first interaction to the last (months without any included).
    ``kinds`` keeps those kinds only."""
    axes = _axes(ax)
    months, stacks = _monthly(log, kinds, zone if isinstance(zone, Zone) else Zone.named(zone))
    if not months:
        axes.set_title("Interactions per month: none yet")
        return _chart(axes)
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
    return _chart(axes)


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
) -> Chart:
    """Each skill's self-rated level across assessments (a plan's, or any given): one line
    per skill, labelled with its name (from ``catalog``: the plan's, or the built-in one),
    a point per assessment that rated it, ticked on the assessments' days. Skills rated
    alike at every assessment would draw as one line: each is set apart by a hair (a
    tenth of a level at most), so every line shows. :func:`plot_skill_gaps` shows the
    latest levels against the levels aimed at."""
    names, chosen = _skills(assessments, catalog)
    axes = _axes(ax)
    levels: dict[str, tuple[list[dt.date], list[int]]] = {}
    for assessment in chosen:
        for rating in assessment.ratings:
            days, values = levels.setdefault(rating.skill, ([], []))
            days.append(assessment.on)
            values.append(rating.level)
    alike: dict[tuple[tuple[dt.date, ...], tuple[int, ...]], list[str]] = {}
    for skill, (days, values) in sorted(levels.items()):
        alike.setdefault((tuple(days), tuple(values)), []).append(skill)
    for (on, rated), skills in alike.items():
        for place, skill in enumerate(skills):
            shift = (place - (len(skills) - 1) / 2) * min(0.08, 0.2 / len(skills))
            axes.plot(
                _dates(on),
                [value + shift for value in rated],
                marker="o",
                label=names.get(skill, skill),
            )
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_ylabel("level (1-5)")
    axes.set_title(
        f"Skills across {len(chosen)} assessments" if chosen else "Skills: no assessments yet"
    )
    if levels:
        days_rated = sorted({a.on for a in chosen})
        if len(days_rated) <= 8:
            # A tick on each assessment's day, not on days nothing happened.
            axes.set_xticks(_dates(days_rated), [d.isoformat() for d in days_rated])
            if len(days_rated) == 1:
                axes.set_xlim(
                    *_dates(
                        [days_rated[0] - dt.timedelta(days=7), days_rated[0] + dt.timedelta(days=7)]
                    )
                )
        else:
            _date_axis(axes)
        _legend_outside(axes)
    return _chart(axes)


def plot_skill_gaps(
    assessments: Plan | Iterable[SkillAssessment],
    *,
    catalog: Catalog | None = None,
    ax: Axes | None = None,
) -> Chart:
    """The latest assessment's skills, one row each, named: the level now (a filled dot),
    the level aimed at (a ring, joined to it by the gap), and the level at the
    assessment before (a grey arrow to now: the change since). Rows are sorted with the
    widest gap first: what to practise."""
    names, chosen = _skills(assessments, catalog)
    axes = _axes(ax)
    if not chosen:
        axes.set_title("Skills: no assessments yet")
        return _chart(axes)
    latest = chosen[-1]
    before: dict[str, int] = {}
    for assessment in chosen[:-1]:
        for rating in assessment.ratings:
            before[rating.skill] = rating.level
    ratings = sorted(
        latest.ratings,
        key=lambda r: (
            -(r.desired - r.level if r.desired is not None else 0),
            names.get(r.skill, r.skill),
        ),
    )
    rows = list(range(len(ratings)))[::-1]  # the first rating on top
    for row, rating in zip(rows, ratings, strict=True):
        if rating.desired is not None:
            axes.plot(
                [rating.level, rating.desired], [row, row], color="#90caf9", linewidth=4, zorder=1
            )
            axes.scatter(
                [rating.desired], [row], s=70, facecolors="white", edgecolors="#1565c0",
                linewidths=1.5, zorder=3, label="aim" if row == rows[0] else _UNLISTED, gid="aim",
            )  # fmt: skip
        earlier = before.get(rating.skill)
        if earlier is not None and earlier != rating.level:
            axes.annotate(
                "",
                xy=(rating.level, row),
                xytext=(earlier, row),
                arrowprops={"arrowstyle": "->", "color": "#757575", "linewidth": 1.2},
                zorder=2,
            )
            axes.scatter(
                [earlier],
                [row],
                s=25,
                color="#9e9e9e",
                zorder=2,
                label="before" if not _said(axes, "before") else _UNLISTED,
                gid="before",
            )
        axes.scatter(
            [rating.level], [row], s=70, color="#1565c0", zorder=4,
            label="now" if row == rows[0] else _UNLISTED, gid="now",
        )  # fmt: skip
    axes.set_yticks(rows, [names.get(r.skill, r.skill) for r in ratings])
    axes.set_xlim(0.5, 5.5)
    axes.set_xticks([1, 2, 3, 4, 5])
    axes.set_xlabel("level (1-5)")
    axes.set_ylim(-0.7, len(ratings) - 0.3)
    previous = f", change since {chosen[-2].on}" if len(chosen) > 1 else ""
    axes.set_title(f"Skills on {latest.on}: now and aimed at{previous}")
    _legend_outside(axes)
    return _chart(axes)


def _said(axes: Axes, label: str) -> bool:
    return label in axes.get_legend_handles_labels()[1]


def _skills(
    assessments: Plan | Iterable[SkillAssessment], catalog: Catalog | None
) -> tuple[dict[str, str], tuple[SkillAssessment, ...]]:
    """Each skill's name, and the assessments oldest first."""
    if isinstance(assessments, Plan):
        known = assessments.catalog if catalog is None else catalog
        chosen = tuple(assessments.assessments)
    else:
        known = Catalog(BUILTIN_SKILLS) if catalog is None else catalog
        chosen = tuple(sorted(assessments, key=lambda a: a.on))
    return {skill_id: known[skill_id].name for skill_id in known}, chosen
