"""The pandas baseline of :mod:`benchmarks.bench_review`: netplan's built-in metrics
computed with pandas from DataFrames, over the windows a review measures.

A review is only fairly compared with pandas if pandas computes the same numbers: every
metric of :data:`netplan.core.metrics.BUILTIN_METRICS`, for every window and segment the
review measures, with the same values. :func:`record_measures` runs a review with each
metric wrapped so that it records what it measured and what netplan found;
:func:`build_frames` builds the DataFrames a data scientist would build from the log's
rows and records (what the benchmark times as "pandas builds its DataFrame");
:func:`pandas_measures` then computes each recorded measure from those DataFrames, the
way that data scientist would: per metric and segment, every window at once with
vectorised operations (``searchsorted`` on sorted columns, ``groupby``, ``isin``), with a
Python loop over windows (tens to hundreds) but never over rows.

The frames hold the whole log, so they agree with a review whose day is on or after the
log's last interaction (the review reads the log as it stood at the end of its day;
the benchmark reviews the day of the last interaction). Windows are local days of the
plan's zone: ``[start, end)`` covers the instants from the start of ``start`` to the start
of ``end`` in that zone, as :class:`netplan.core.metrics.Window` says.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import attrs
import numpy as np
import pandas as pd

import netplan
from netplan import Goal, Period, Target
from netplan.core.batch import Row
from netplan.core.evaluation import review
from netplan.core.metrics import (
    BUILTIN_METRICS,
    CountInteractions,
    FollowUpLatency,
    Metric,
    MetricCapabilities,
    Relationships,
    Window,
    cadence_groups,
)
from netplan.core.network import FOLLOW_UP_KINDS, InteractionKind

__all__ = [
    "Frames",
    "Measure",
    "build_frames",
    "pandas_measures",
    "record_measures",
    "with_every_metric",
]

_DAY_US = 86_400_000_000
_KINDS = [kind.value for kind in InteractionKind]
_FOLLOW_UPS = frozenset(kind.value for kind in FOLLOW_UP_KINDS)
_DEFAULT_WITHIN_DAYS = 2  # the follow-up rate's policy when the plan has none
_DEFAULT_AFTER = frozenset({InteractionKind.MET})


# -- what a review measures --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Measure:
    """One measurement a review made: a metric over a window of local days, in a segment."""

    metric: str
    """A built-in metric's name (``"new_contacts"``)."""
    start: dt.date
    """The window's first local day."""
    end: dt.date
    """The local day after the window's last (exclusive)."""
    zone: str
    """The IANA name of the plan's zone (``"UTC"``, ``"America/New_York"``)."""
    segment: netplan.Segment | None


class _Recording:
    """A metric that records each measurement it is asked for, then delegates."""

    def __init__(self, metric: Metric, seen: dict[Measure, float]) -> None:
        declared = MetricCapabilities.of(metric)
        self.metric = metric
        self.seen = seen
        self.name = metric.name
        self.description = metric.description
        for capability, value in attrs.asdict(declared).items():
            setattr(self, capability, value)

    def measure(
        self,
        plan: netplan.Plan,
        log: netplan.ActivityLog,
        window: Window,
        segment: netplan.Segment | None,
    ) -> float:
        key = Measure(self.name, window.start, window.end, window.zone.name, segment)
        value = self.metric.measure(plan, log, window, segment)
        self.seen.setdefault(key, value)
        return value


def with_every_metric(
    plan: netplan.Plan, segments: Mapping[str, netplan.Segment] | None = None
) -> netplan.Plan:
    """``plan`` with one more goal: every built-in metric per month, plain and in each of
    ``segments`` (by name), so that a review measures them all over every month."""
    targets = [Target(1, m.name, per=Period.MONTH, id=f"{m.name}-monthly") for m in BUILTIN_METRICS]
    targets.extend(
        Target(1, m.name, per=Period.MONTH, segment=segment, id=f"{m.name}-{name}")
        for name, segment in (segments or {}).items()
        for m in BUILTIN_METRICS
    )
    return plan.add_goal(Goal("Measure everything", targets=targets, id="everything"))


def record_measures(
    plan: netplan.Plan, log: netplan.ActivityLog, as_of: dt.date
) -> tuple[list[Measure], list[float]]:
    """Every distinct measurement the review of ``plan`` on ``as_of`` makes with the
    built-in metrics, in the order first made, and netplan's value for each."""
    seen: dict[Measure, float] = {}
    review(plan, log, as_of, metrics=[_Recording(metric, seen) for metric in BUILTIN_METRICS])
    return list(seen), list(seen.values())


# -- the DataFrames ----------------------------------------------------------------------
@dataclass
class Frames:
    """The log as DataFrames, and the plan's cadences and assessments."""

    interactions: pd.DataFrame
    """One row per interaction, in time order: ``at`` (datetime64[us, UTC]), ``contact``
    (categorical of the contact ids, NaN for a post with nobody) and ``kind``
    (categorical)."""
    contacts: pd.DataFrame
    """By contact id: ``organization``, ``industry`` and ``organization_industry`` (the
    industry of the contact's organization)."""
    contact_tags: pd.Series
    """Each contact's tags, one row per (contact id, tag)."""
    events: pd.DataFrame
    """By event id, by day: ``on`` (datetime64), ``attended``, ``organizer`` and
    ``organizer_industry``."""
    event_tags: pd.Series
    """Each event's tags, one row per (event id, tag)."""
    memberships: pd.DataFrame
    """The person's memberships: ``organization``, ``industry`` (of the organization) and
    ``since`` (datetime64), by day."""
    assessments: pd.Series
    """The mean self-rated level of each assessment (0 without ratings), by its day."""
    cadences: pd.DataFrame
    """The contacts the plan's keep-in-touch cadences cover: ``contact``, ``group`` (one
    per cadence), ``ideal_days`` and ``max_days``."""


def build_frames(rows: Sequence[Row], log: netplan.ActivityLog, plan: netplan.Plan) -> Frames:
    """The DataFrames :func:`pandas_measures` computes from: the interactions from
    ``rows`` (``log.rows()`` read beforehand, as a database fetch gives them), and the
    contacts, organizations, events and the plan's assessments and cadences from their
    records."""
    # The three columns the metrics read, taken from each row as it is read: a DataFrame
    # of the rows' tuples makes an object column of each of their seven fields first.
    at: list[int] = []
    contact: list[str | None] = []
    kind: list[str] = []
    for row in rows:
        at.append(row[0])
        contact.append(row[1])
        kind.append(row[2])
    contacts = log.contacts
    interactions = pd.DataFrame(
        {
            "at": pd.to_datetime(np.array(at, dtype=np.int64), unit="us", utc=True),
            "contact": pd.Categorical(contact, categories=[c.id for c in contacts]),
            "kind": pd.Categorical(kind, categories=_KINDS),
        }
    )
    interactions = interactions.sort_values("at", kind="stable", ignore_index=True)

    organizations = pd.DataFrame(
        {"industry": [o.industry for o in log.organizations]},
        index=pd.Index([o.id for o in log.organizations], name="organization"),
    )
    people = pd.DataFrame(
        {
            "organization": [c.organization for c in contacts],
            "industry": [c.industry for c in contacts],
        },
        index=pd.Index([c.id for c in contacts], name="contact"),
    )
    people["organization_industry"] = people["organization"].map(organizations["industry"])
    contact_tags = _tags({c.id: c.tags for c in contacts if c.tags}, "contact")

    events = log.events()  # by day
    event_frame = pd.DataFrame(
        {
            "on": pd.to_datetime([e.on for e in events]),
            "attended": pd.array([e.attended for e in events], dtype=bool),
            "organizer": [e.organizer for e in events],
        },
        index=pd.Index([e.id for e in events], name="event"),
    )
    event_frame["organizer_industry"] = event_frame["organizer"].map(organizations["industry"])
    event_tags = _tags({e.id: e.tags for e in events if e.tags}, "event")

    memberships = pd.DataFrame(
        [(o.id, o.industry, m.since) for o in log.organizations for m in o.memberships],
        columns=["organization", "industry", "since"],
    )
    memberships["since"] = pd.to_datetime(memberships["since"])
    memberships = memberships.sort_values("since", kind="stable", ignore_index=True)

    ratings = pd.DataFrame(
        [(a.on, r.level) for a in plan.assessments for r in a.ratings], columns=["on", "level"]
    )
    days = pd.to_datetime(pd.Series([a.on for a in plan.assessments], dtype=object))
    levels = ratings.groupby(pd.to_datetime(ratings["on"]))["level"].mean()
    assessments = levels.reindex(pd.DatetimeIndex(days), fill_value=0.0).astype(float)

    groups = cadence_groups(plan, log)
    cadences = pd.DataFrame(
        [
            (contact_id, group, cadence.ideal_days, cadence.max_days)
            for group, (cadence, ids) in enumerate(groups)
            for contact_id in ids
        ],
        columns=["contact", "group", "ideal_days", "max_days"],
    )
    return Frames(
        interactions,
        people,
        contact_tags,
        event_frame,
        event_tags,
        memberships,
        assessments,
        cadences,
    )


def _tags(tags: dict[str, frozenset[str]], name: str) -> pd.Series:
    """Tags by record id, one row per (id, tag)."""
    series = pd.Series(list(tags.values()), index=pd.Index(list(tags), name=name), dtype=object)
    return series.map(sorted).explode().rename("tag")


# -- the measures ------------------------------------------------------------------------
@dataclass
class _Windows:
    """A group's windows: their local days and the instants they span (microseconds)."""

    start: np.ndarray  # datetime64[D]
    end: np.ndarray  # datetime64[D]
    zone: str
    lo: np.ndarray = field(init=False)  # int64 microseconds: the start of ``start``
    hi: np.ndarray = field(init=False)  # ... of ``end``

    def __post_init__(self) -> None:
        self.lo = _day_starts(self.start, self.zone)
        self.hi = _day_starts(self.end, self.zone)

    @property
    def last_day(self) -> np.ndarray:
        return self.end - np.timedelta64(1, "D")


def _day_starts(days: np.ndarray, zone: str) -> np.ndarray:
    """When each local day begins in ``zone``, in microseconds since 1970 UTC: local
    midnight (the first of two, when the clocks pass it twice), or the first instant
    after it when the clocks skip it."""
    midnights = pd.DatetimeIndex(days.astype("datetime64[us]"))
    local = midnights.tz_localize(
        zone, ambiguous=np.ones(len(midnights), dtype=bool), nonexistent="shift_forward"
    )
    return np.asarray(local.tz_convert("UTC").as_unit("us").asi8)


def _local_days(at: pd.Series, zone: str) -> np.ndarray:
    """The local day (datetime64[D]) of each instant of ``at`` in ``zone``."""
    wall = at.dt.tz_convert(zone).dt.tz_localize(None)
    return np.asarray(wall.to_numpy(), dtype="datetime64[D]")


def _micros(at: pd.Series) -> np.ndarray:
    """Instants as int64 microseconds since 1970 UTC."""
    return np.asarray(at.array.as_unit("us").asi8)


def _count(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """How many of the sorted ``values`` fall in each ``[lo, hi)``."""
    return np.searchsorted(values, hi) - np.searchsorted(values, lo)


class _Derived:
    """What several metrics compute from the frames, computed once per call."""

    def __init__(self, frames: Frames, plan: netplan.Plan) -> None:
        self.frames = frames
        self.plan = plan
        frame = frames.interactions
        self.at = _micros(frame["at"])
        self._members: dict[netplan.Segment, pd.Index] = {}
        self._rows_in: dict[netplan.Segment, np.ndarray] = {}
        self._rows_of: dict[frozenset[str], np.ndarray] = {}
        self._first_at: pd.Series | None = None
        self._meetings: dict[tuple[frozenset[str], str], pd.DataFrame] = {}
        self._cadence: np.ndarray | None = None

    def members(self, segment: netplan.Segment) -> pd.Index:
        """The ids of the contacts in ``segment``."""
        found = self._members.get(segment)
        if found is None:
            people = self.frames.contacts
            keep = pd.Series(True, index=people.index)
            if segment.tag is not None:
                tags = self.frames.contact_tags
                keep &= people.index.isin(tags.index[tags == segment.tag])
            if segment.organization is not None:
                keep &= people["organization"] == segment.organization
            if segment.industry is not None:
                keep &= (people["industry"] == segment.industry) | (
                    people["organization_industry"] == segment.industry
                )
            found = self._members[segment] = people.index[keep.to_numpy()]
        return found

    def rows_in(self, segment: netplan.Segment) -> np.ndarray:
        """Whether each interaction is with a contact in ``segment``."""
        found = self._rows_in.get(segment)
        if found is None:
            contact = self.frames.interactions["contact"]
            found = self._rows_in[segment] = contact.isin(self.members(segment)).to_numpy()
        return found

    def rows_of(self, kinds: frozenset[str]) -> np.ndarray:
        """Whether each interaction is of one of ``kinds``."""
        found = self._rows_of.get(kinds)
        if found is None:
            kind = self.frames.interactions["kind"]
            found = self._rows_of[kinds] = kind.isin(kinds).to_numpy()
        return found

    def cadence(self) -> np.ndarray:
        """The cadence group of each interaction's contact (NaN: none)."""
        if self._cadence is None:
            group = self.frames.cadences.set_index("contact")["group"]
            self._cadence = self.frames.interactions["contact"].map(group).to_numpy()
        return self._cadence

    def first_at(self) -> pd.Series:
        """Each contact's first interaction (any kind), for those with one."""
        if self._first_at is None:
            frame = self.frames.interactions
            self._first_at = frame.groupby("contact", observed=True)["at"].min()
        return self._first_at

    def meetings(self, after: frozenset[str], zone: str) -> pd.DataFrame:
        """Per contact met (their first interaction of ``after`` kinds): when they were
        first seen, met and first followed up after that (NaT: not yet), in microseconds,
        with the local days of the meeting and the follow-up; by first seen."""
        key = (after, zone)
        found = self._meetings.get(key)
        if found is None:
            frame = self.frames.interactions
            met = frame.loc[self.rows_of(after)].groupby("contact", observed=True)["at"].min()
            replies = frame.loc[self.rows_of(_FOLLOW_UPS)].join(
                met.rename("met"), on="contact", how="inner"
            )
            answer = (
                replies.loc[replies["at"] > replies["met"]]
                .groupby("contact", observed=True)["at"]
                .min()
            )
            table = pd.DataFrame({"first": self.first_at(), "met": met, "answer": answer})
            table = table.loc[table["met"].notna()].sort_values("first", kind="stable")
            found = pd.DataFrame(
                {
                    "first": _micros(table["first"]),
                    "met": _micros(table["met"]),
                    "answer": _micros(table["answer"]),
                    "met_day": _local_days(table["met"], zone),
                    "answer_day": _local_days(table["answer"], zone),
                    "answered": table["answer"].notna().to_numpy(),
                },
                index=table.index,
            )
            self._meetings[key] = found
        return found


def _new_contacts(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    first = derived.first_at()
    if segment is not None:
        first = first.loc[first.index.isin(derived.members(segment))]
    return _count(np.sort(_micros(first)), windows.lo, windows.hi)


def _interactions(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    assert isinstance(metric, CountInteractions)
    keep = np.ones(len(derived.at), dtype=bool)
    if metric.kinds is not None:
        keep &= derived.rows_of(frozenset(k.value for k in metric.kinds))
    if segment is not None:
        keep &= derived.rows_in(segment)
    return _count(derived.at[keep], windows.lo, windows.hi)


def _events_attended(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    events = derived.frames.events
    keep = events["attended"].to_numpy(dtype=bool, copy=True)
    if segment is not None:
        if segment.tag is not None:
            tags = derived.frames.event_tags
            keep &= events.index.isin(tags.index[tags == segment.tag])
        if segment.organization is not None:
            keep &= (events["organizer"] == segment.organization).to_numpy()
        if segment.industry is not None:
            keep &= (events["organizer_industry"] == segment.industry).to_numpy()
    days = events["on"].to_numpy().astype("datetime64[D]")[keep]
    return _count(days, windows.start, windows.end)


def _organizations_joined(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    joined = derived.frames.memberships
    keep = np.ones(len(joined), dtype=bool)
    # A tag does not narrow memberships: an organization has none.
    if segment is not None and segment.organization is not None:
        keep &= (joined["organization"] == segment.organization).to_numpy()
    if segment is not None and segment.industry is not None:
        keep &= (joined["industry"] == segment.industry).to_numpy()
    days = joined["since"].to_numpy().astype("datetime64[D]")[keep]
    return _count(days, windows.start, windows.end)


def _met(
    derived: _Derived, after: frozenset[InteractionKind], zone: str, segment: netplan.Segment | None
) -> pd.DataFrame:
    table = derived.meetings(frozenset(k.value for k in after), zone)
    if segment is not None:
        table = table.loc[table.index.isin(derived.members(segment))]
    return table


def _follow_up_rate(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    policy = derived.plan.follow_up
    within = _DEFAULT_WITHIN_DAYS if policy is None else policy.within_days
    after = _DEFAULT_AFTER if policy is None else policy.after
    table = _met(derived, after, windows.zone, segment)
    due = table["met_day"].to_numpy() + np.timedelta64(within, "D")
    followed = table["answered"].to_numpy() & (table["answer_day"].to_numpy() <= due)
    first = table["first"].to_numpy()
    a, b = np.searchsorted(first, windows.lo), np.searchsorted(first, windows.hi)
    # Followed up in time, and (a miss) not followed up though due before the last day.
    done = np.concatenate(([0], np.cumsum(followed)))
    values = np.empty(len(a))
    for i, (lo, hi, last_day) in enumerate(zip(a, b, windows.last_day, strict=True)):
        followed_up = done[hi] - done[lo]
        counted = followed_up + np.count_nonzero(~followed[lo:hi] & (due[lo:hi] < last_day))
        values[i] = followed_up / counted if counted else 1.0
    return values


def _follow_up_latency(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    assert isinstance(metric, FollowUpLatency)
    policy = derived.plan.follow_up
    after = _DEFAULT_AFTER if policy is None else policy.after
    table = _met(derived, after, windows.zone, segment)
    table = table.loc[table["answered"]]
    delays = (table["answer"] - table["met"]).to_numpy() / _DAY_US
    first = table["first"].to_numpy()
    a, b = np.searchsorted(first, windows.lo), np.searchsorted(first, windows.hi)
    values = np.zeros(len(a))
    for i, (lo, hi) in enumerate(zip(a, b, strict=True)):
        if hi > lo:
            # The nearest-rank quantile.
            ranked = np.sort(delays[lo:hi])
            values[i] = ranked[max(0, math.ceil(metric.quantile * len(ranked)) - 1)]
    return values


def _relationships(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    assert isinstance(metric, Relationships)
    values = np.zeros(len(windows.lo))
    if not derived.plan.keep_in_touch:
        return values
    cadences = derived.frames.cadences
    if segment is not None:
        cadences = cadences.loc[cadences["contact"].isin(derived.members(segment))]
    first_at = derived.first_at()
    codes = derived.frames.interactions["contact"].cat.codes.to_numpy()
    for group, members in cadences.groupby("group", sort=True):
        days = int(members["max_days" if metric.dormant else "ideal_days"].iloc[0])
        rows = derived.cadence() == group
        if segment is not None:
            rows &= derived.rows_in(segment)
        at, who = derived.at[rows], codes[rows]
        first = np.sort(_micros(first_at.loc[first_at.index.isin(members["contact"])]))
        # Seen: first interacted with before the window's end; recent: since the bound.
        seen = np.searchsorted(first, windows.hi)
        bound = _day_starts(windows.last_day - np.timedelta64(days, "D"), windows.zone)
        a, b = np.searchsorted(at, bound), np.searchsorted(at, windows.hi)
        recent = np.array([len(pd.unique(who[lo:hi])) for lo, hi in zip(a, b, strict=True)])
        values += seen - recent if metric.dormant else recent
    return values


def _skill_level(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    levels = derived.frames.assessments
    latest = np.searchsorted(levels.index.to_numpy().astype("datetime64[D]"), windows.end) - 1
    return np.where(latest >= 0, levels.to_numpy()[np.maximum(latest, 0)], 0.0)


def _skill_change(
    derived: _Derived, metric: Metric, windows: _Windows, segment: netplan.Segment | None
) -> np.ndarray:
    levels = derived.frames.assessments
    on = levels.index.to_numpy().astype("datetime64[D]")
    level = levels.to_numpy()
    latest = np.searchsorted(on, windows.end) - 1
    # The latest before the window, else the first in it (-1: none).
    first_in = np.searchsorted(on, windows.start)
    in_window = (first_in < len(on)) & (on[np.minimum(first_in, len(on) - 1)] < windows.end)
    before = np.where(first_in > 0, first_in - 1, np.where(in_window, first_in, -1))
    compare = (latest >= 0) & (before >= 0) & (latest != before)
    return np.where(compare, level[np.maximum(latest, 0)] - level[np.maximum(before, 0)], 0.0)


_Compute = Callable[[_Derived, Metric, _Windows, "netplan.Segment | None"], np.ndarray]


def _compute(metric: Metric) -> _Compute:
    if isinstance(metric, CountInteractions):
        return _interactions
    if isinstance(metric, FollowUpLatency):
        return _follow_up_latency
    if isinstance(metric, Relationships):
        return _relationships
    return _BY_NAME[metric.name]


_BY_NAME: dict[str, _Compute] = {
    "new_contacts": _new_contacts,
    "follow_up_rate": _follow_up_rate,
    "events_attended": _events_attended,
    "organizations_joined": _organizations_joined,
    "skill_level": _skill_level,
    "skill_change": _skill_change,
}
_METRICS = {metric.name: metric for metric in BUILTIN_METRICS}


def pandas_measures(frames: Frames, plan: netplan.Plan, measures: Sequence[Measure]) -> list[float]:
    """Each of ``measures`` (of netplan's built-in metrics) computed from ``frames`` with
    pandas, in the order given: the measures are grouped by metric, segment and zone, and
    each group's windows are computed together."""
    derived = _Derived(frames, plan)
    groups: dict[tuple[str, netplan.Segment | None, str], list[int]] = {}
    for i, measure in enumerate(measures):
        groups.setdefault((measure.metric, measure.segment, measure.zone), []).append(i)
    values = np.empty(len(measures))
    for (name, segment, zone), chosen in groups.items():
        metric = _METRICS[name]
        windows = _Windows(
            np.array([measures[i].start for i in chosen], dtype="datetime64[D]"),
            np.array([measures[i].end for i in chosen], dtype="datetime64[D]"),
            zone,
        )
        values[chosen] = _compute(metric)(derived, metric, windows, segment)
    return [float(value) for value in values]
