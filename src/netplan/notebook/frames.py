"""pandas DataFrames of reviews, activity logs and agendas, for analysis in a notebook.

pandas is an optional extra (``pip install 'networking-action-plan[pandas]'``): it is imported when a
frame is asked for, never by ``import netplan``. Days and instants become ``datetime64``
columns (instants in UTC), kinds and statuses ordered categoricals, and ids stay strings.

=========  =================================================================================
frame      columns
=========  =================================================================================
review     one row per measured target: ``as_of``, ``goal``, ``target``, ``metric``, ``per``,
           ``by`` (the last three need the plan), ``start``, ``end`` (the road's days),
           ``amount``, ``actual``, ``expected`` (the pace line's value), ``projected``,
           ``score``, ``status``, ``buffer_days``, ``final``
log        one row per interaction, in time order: ``at``, ``contact``, ``contact_name``,
           ``kind``, ``channel``, ``direction``, ``event``, ``notes``
agenda     one row per item, most pressing first: ``due``, ``kind``, ``reason``,
           ``contact``, ``action``, ``goals``, ``overdue_days``, ``priority``,
           ``snoozed_from``
=========  =================================================================================
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from netplan.core.agenda import Agenda, ItemKind, ItemState
from netplan.core.errors import ValidationError
from netplan.core.evaluation import Review, finding_about
from netplan.core.findings import Severity
from netplan.core.log import ActivityLog
from netplan.core.network import Channel, Direction, InteractionKind
from netplan.core.pace import Status
from netplan.core.plan import Plan
from netplan.core.zones import Zone

__all__ = [
    "AGENDA_COLUMNS",
    "CONSISTENCY_COLUMNS",
    "FINDING_COLUMNS",
    "LOG_COLUMNS",
    "REVIEW_COLUMNS",
    "agenda_frame",
    "consistency_frame",
    "findings_frame",
    "log_frame",
    "review_frame",
]

REVIEW_COLUMNS = (
    "as_of",
    "goal",
    "target",
    "metric",
    "per",
    "by",
    "start",
    "end",
    "amount",
    "actual",
    "expected",
    "projected",
    "score",
    "status",
    "buffer_days",
    "final",
)
"""The columns of :func:`review_frame`, in order."""

FINDING_COLUMNS = (
    "severity",
    "rule",
    "about",
    "subject_kind",
    "subject",
    "message",
    "suggestion",
    "explanation",
)
"""The columns of :func:`findings_frame`, in order."""

CONSISTENCY_COLUMNS = (
    "goal",
    "target",
    "goal_title",
    "target_words",
    "periods",
    "met",
    "share",
    "current_streak",
    "longest_streak",
    "strength",
)
"""The columns of :func:`consistency_frame`, in order."""

LOG_COLUMNS = ("at", "contact", "contact_name", "kind", "channel", "direction", "event", "notes")
"""The columns of :func:`log_frame`, in order."""

AGENDA_COLUMNS = (
    "due",
    "kind",
    "reason",
    "state",
    "done",
    "count",
    "contact",
    "action",
    "goals",
    "overdue_days",
    "priority",
    "snoozed_from",
)
"""The columns of :func:`agenda_frame`, in order."""

MISSING_PANDAS = "to_dataframe() needs pandas: pip install 'networking-action-plan[pandas]'"


def _pandas() -> Any:
    try:
        # Through importlib: without pandas-stubs, pandas is untyped to mypy anyway.
        return importlib.import_module("pandas")
    except ImportError as error:
        raise ImportError(MISSING_PANDAS, name="pandas") from error


def _categories(pd: Any, values: list[str], choices: Any) -> Any:
    return pd.Categorical(values, categories=[c.value for c in choices], ordered=True)


def _days(pd: Any, values: list[dt.date | None]) -> Any:
    # Naive datetime64 at midnight: a calendar day has no zone.
    return pd.to_datetime(pd.Series(values, dtype=object))


def review_frame(review: Review, plan: Plan | None = None, table: str = "targets") -> Any:
    """A DataFrame with one row per measured target of ``review``, in the review's order;
    with ``table="findings"`` or ``"consistency"``, :func:`findings_frame` or
    :func:`consistency_frame` of the review.

    ``expected`` is the pace line's value on ``as_of``: what a steady pace has done by
    then. ``buffer_days`` is empty for a target already done. ``metric``, ``per`` and
    ``by`` come from ``plan`` (the plan reviewed) and are empty without it.

    Raises:
        ValidationError: ``table`` is none of the three.
    """
    if table == "findings":
        return findings_frame(review)
    if table == "consistency":
        return consistency_frame(review)
    if table != "targets":
        raise ValidationError(
            "to_dataframe.table", table, "must be 'targets', 'findings' or 'consistency'"
        )
    pd = _pandas()
    targets = {}
    if plan is not None:
        for goal in plan.goals:
            for target in goal.targets:
                targets[(goal.id, target.id)] = target
    rows = review.progress
    found = [targets.get((p.goal, p.target)) for p in rows]
    return pd.DataFrame(
        {
            "as_of": _days(pd, [review.as_of] * len(rows)),
            "goal": pd.Series([p.goal for p in rows], dtype="string"),
            "target": pd.Series([p.target for p in rows], dtype="string"),
            "metric": pd.Series([None if t is None else t.metric for t in found], dtype="string"),
            "per": pd.Series(
                [None if t is None or t.per is None else t.per.value for t in found],
                dtype="string",
            ),
            "by": _days(pd, [None if t is None else t.by for t in found]),
            "start": _days(pd, [p.road.start for p in rows]),
            "end": _days(pd, [p.road.end for p in rows]),
            "amount": pd.Series([float(p.road.amount) for p in rows], dtype="float64"),
            "actual": pd.Series([p.actual for p in rows], dtype="float64"),
            "expected": pd.Series([p.expected for p in rows], dtype="float64"),
            "projected": pd.Series([p.projected for p in rows], dtype="float64"),
            "score": pd.Series([p.score for p in rows], dtype="float64"),
            "status": _categories(pd, [p.status.value for p in rows], Status),
            "buffer_days": pd.Series([p.buffer_days for p in rows], dtype="Int64"),
            "final": pd.Series([p.final for p in rows], dtype="bool"),
        },
        columns=list(REVIEW_COLUMNS),
    )


def findings_frame(review: Review) -> Any:
    """A DataFrame with one row per finding of ``review``, most severe first (the review's
    order): ``severity`` (an ordered categorical, most severe last in its categories'
    order: ``info``, ``warning``, ``urgent``, ``failed``), ``rule``, ``about`` (the goal's
    title for a finding about a goal or a target, else what it is about),
    ``subject_kind`` and ``subject`` (its id), ``message``, ``suggestion`` (the adjustment
    in words, empty when none) and ``explanation`` (how it was worked out)."""
    pd = _pandas()
    found = review.findings
    return pd.DataFrame(
        {
            "severity": _categories(pd, [f.severity.value for f in found], Severity),
            "rule": pd.Series([f.rule for f in found], dtype="string"),
            "about": pd.Series([finding_about(review, f) for f in found], dtype="string"),
            "subject_kind": pd.Series([f.subject.kind.value for f in found], dtype="string"),
            "subject": pd.Series([f.subject.id for f in found], dtype="string"),
            "message": pd.Series([f.message for f in found], dtype="string"),
            "suggestion": pd.Series(
                [None if f.adjustment is None else f.adjustment.describe() for f in found],
                dtype="string",
            ),
            "explanation": pd.Series([f.explanation for f in found], dtype="string"),
        },
        columns=list(FINDING_COLUMNS),
    )


def consistency_frame(review: Review) -> Any:
    """A DataFrame with one row per per-period target of ``review``: how regularly it was
    met over its completed periods. ``goal`` and ``target`` are ids, ``goal_title`` and
    ``target_words`` how the plan names them; ``share`` is ``met / periods`` and
    ``strength`` the habit strength from 0 to 1."""
    pd = _pandas()
    rows = review.consistency
    return pd.DataFrame(
        {
            "goal": pd.Series([c.goal for c in rows], dtype="string"),
            "target": pd.Series([c.target for c in rows], dtype="string"),
            "goal_title": pd.Series([review.goal_title(c.goal) for c in rows], dtype="string"),
            "target_words": pd.Series(
                [review.target_words(c.goal, c.target) for c in rows], dtype="string"
            ),
            "periods": pd.Series([c.periods for c in rows], dtype="int64"),
            "met": pd.Series([c.met for c in rows], dtype="int64"),
            "share": pd.Series([c.share for c in rows], dtype="float64"),
            "current_streak": pd.Series([c.current_streak for c in rows], dtype="int64"),
            "longest_streak": pd.Series([c.longest_streak for c in rows], dtype="int64"),
            "strength": pd.Series([c.strength for c in rows], dtype="float64"),
        },
        columns=list(CONSISTENCY_COLUMNS),
    )


def log_frame(log: ActivityLog, zone: Zone | str | None = None) -> Any:
    """A DataFrame with one row per interaction of ``log``, in time order (interactions at
    the same instant in the order they were logged), indexed from 0.

    ``at`` is a ``datetime64`` in UTC, or in ``zone`` (the plan's: ``plan.zone``) when
    given, so ``frame["at"].dt.tz_localize(None).dt.to_period("M")`` counts the plan's
    months (a Period holds no zone: pandas warns when it drops one itself); ``contact`` and
    ``event`` are ids (empty for a post with nobody in particular, or an interaction at no
    event), ``contact_name`` the contact's name.
    """
    pd = _pandas()
    # The log's own rows, read column by column without building Interaction objects;
    # a stable sort by instant is the log's time order (instant, then position).
    rows = sorted(log.rows(), key=lambda row: row[0])
    at, contact, kind, channel, direction, event, notes = (
        (list(column) for column in zip(*rows, strict=True))
        if rows
        else ([], [], [], [], [], [], [])
    )
    names = {c: log.contact(c).name for c in set(contact) if c is not None}
    return pd.DataFrame(
        {
            "at": _instants(pd, at, zone),
            "contact": pd.Series(contact, dtype="string"),
            "contact_name": pd.Series([names.get(c) for c in contact], dtype="string"),
            "kind": _categories(pd, kind, InteractionKind),
            "channel": _categories(pd, channel, Channel),
            "direction": _categories(pd, direction, Direction),
            "event": pd.Series(event, dtype="string"),
            "notes": pd.Series(notes, dtype="string"),
        },
        columns=list(LOG_COLUMNS),
    )


def _instants(pd: Any, micros: list[int], zone: Zone | str | None) -> Any:
    instants = pd.to_datetime(pd.Series(micros, dtype="int64"), unit="us", utc=True)
    if zone is None:
        return instants
    return instants.dt.tz_convert(str(zone if isinstance(zone, Zone) else Zone.named(zone)))


def agenda_frame(agenda: Agenda) -> Any:
    """A DataFrame with one row per item of ``agenda``, most pressing first.

    ``state`` is open, partly_done, done or skipped (``done`` of ``count`` for a quota);
    ``goals`` lists the goals an action serves, comma-separated; ``snoozed_from`` is the
    day a snoozed item was first due.
    """
    pd = _pandas()
    items = agenda.items
    return pd.DataFrame(
        {
            "due": _days(pd, [i.due for i in items]),
            "kind": _categories(pd, [i.kind.value for i in items], ItemKind),
            "reason": pd.Series([i.reason for i in items], dtype="string"),
            "state": _categories(pd, [i.state.value for i in items], ItemState),
            "done": pd.Series([i.done for i in items], dtype="int64"),
            "count": pd.Series([i.count for i in items], dtype="int64"),
            "contact": pd.Series([i.contact for i in items], dtype="string"),
            "action": pd.Series([i.action for i in items], dtype="string"),
            "goals": pd.Series([", ".join(i.goals) for i in items], dtype="string"),
            "overdue_days": pd.Series([i.overdue_days for i in items], dtype="int64"),
            "priority": pd.Series([i.priority for i in items], dtype="float64"),
            "snoozed_from": _days(pd, [i.snoozed_from for i in items]),
        },
        columns=list(AGENDA_COLUMNS),
    )
