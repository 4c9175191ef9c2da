"""The review benchmark's pandas baseline computes what netplan's review measures.

benchmarks/bench_review.py times a review against pandas computing the same metric values
over the same windows (benchmarks/_pandas_review.py): a fair comparison only while the
numbers agree. Here they are checked, measure by measure, on generated data, for a plan
that targets every built-in metric, plain and in two segments, in UTC and in a zone whose
clocks change, with and without a follow-up policy. netplan is the reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import sys
from pathlib import Path

import attrs
import pytest

pytest.importorskip("pandas")

import netplan
from netplan import Membership, Segment
from netplan.core.metrics import BUILTIN_METRICS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the benchmarks package

from benchmarks._pandas_review import (
    build_frames,
    pandas_measures,
    record_measures,
    with_every_metric,
)
from benchmarks.generate import build_log, generate_records

SEGMENTS = {"climate": Segment(tag="climate"), "energy": Segment(industry="energy")}


@functools.cache
def _generated(seed: int) -> tuple[netplan.Plan, netplan.ActivityLog]:
    """The typical generated log (with memberships, which the generator leaves out, so
    that organizations joined counts something) and its plan with one more goal: every
    built-in metric per month, plain and in each segment."""
    records = generate_records("typical", seed=seed)
    start = records.plan.start
    organizations = tuple(
        attrs.evolve(
            organization,
            memberships=(Membership(start + dt.timedelta(days=17 * i + 3)),) if i % 3 == 0 else (),
        )
        for i, organization in enumerate(records.organizations)
    )
    log = build_log(dataclasses.replace(records, organizations=organizations))
    plan = with_every_metric(records.plan, SEGMENTS)
    return plan, log


def _variant(plan: netplan.Plan, variant: str) -> netplan.Plan:
    if variant == "no follow-up policy":
        return attrs.evolve(plan, timezone="America/New_York", follow_up=None)
    return attrs.evolve(plan, timezone=variant)


@pytest.mark.parametrize("seed", [2026, 7])
@pytest.mark.parametrize("variant", ["UTC", "America/New_York", "no follow-up policy"])
def test_pandas_computes_every_measure_of_the_review(seed: int, variant: str) -> None:
    plan, log = _generated(seed)
    plan = _variant(plan, variant)
    # The local day of the log's last interaction, as the benchmark reviews.
    last = max(row[0] for row in log.rows())
    as_of = plan.zone.day(dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=last))

    measures, expected = record_measures(plan, log, as_of)
    actual = pandas_measures(build_frames(list(log.rows()), log, plan), plan, measures)

    assert {m.metric for m in measures} == {m.name for m in BUILTIN_METRICS}
    assert {m.segment for m in measures} >= {None, *SEGMENTS.values()}
    assert {m.zone for m in measures} == {plan.timezone}
    wrong = [
        f"{m.metric} [{m.start}, {m.end}) {m.segment}: netplan {want}, pandas {got}"
        for m, want, got in zip(measures, expected, actual, strict=True)
        if not math.isclose(want, got, rel_tol=1e-9)
    ]
    assert not wrong, f"{len(wrong)} of {len(measures)} differ:\n" + "\n".join(wrong[:20])
    # Not a vacuous agreement: the counts, rates, latencies and relationships vary.
    by_metric: dict[str, set[float]] = {}
    for measure, value in zip(measures, expected, strict=True):
        by_metric.setdefault(measure.metric, set()).add(value)
    assert all(len(values) > 1 for values in by_metric.values()), by_metric
