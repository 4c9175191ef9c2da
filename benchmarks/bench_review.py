"""Benchmark reviews and agendas against baselines measured in the same run.

Usage::

    python -m benchmarks.bench_review [--size typical|stress|10k|100k|3m] [--seed N]
    python -m benchmarks.bench_review --growth
    python -m benchmarks.bench_review --size stress --against REF

The plan is the generated one with one more goal: every built-in metric per month
(:func:`benchmarks._pandas_review.with_every_metric`), so that no metric hides. Prints each
figure beside its baseline and their ratio (netplan / baseline):

* **review + agenda** of the generated plan (a busy person's, 12 targets) on the last day
  of its data, from a log as a store loads it (no index built yet), against a plain
  script that counts every target's window by scanning a list of tuples (target at the
  typical size: at most 50 ms in every repeat's median);
* **full review** of a log whose indexes are built (by an earlier review), against pandas
  computing the same measures (every metric, window and segment the review measures,
  checked equal: :mod:`benchmarks._pandas_review`) from DataFrames built beforehand
  (target at the stress size: no slower than pandas);
* **first review + agenda** of a freshly loaded log, which builds the indexes, against
  pandas building its DataFrames from the same rows (read beforehand, as a fetch gives
  them) and computing the same measures (target at the stress size: no slower);
* the same two on the log **in time order** (no back-dated rows), as a store that keeps
  interactions by time loads it;
* **re-review** after logging one more interaction, with a :class:`netplan.Reviewer`
  (median of several), against the full review (target: at most 1% of it);
* **a plan in a time zone**: the full review of the same plan in America/New_York (its
  days, weeks and months local, across two changes of the clocks a year) against the plan
  in UTC, in the same run: :data:`ZONE_PAIRS` reviews of each at least, alternating (the
  median of three moved from 0.84x to 1.32x between runs of the same code, where the
  zone's own cost is a few per cent).

``--growth`` times the full review (log indexed) at 10k, 100k, 1M and 3M interactions,
each size in its own process, and prints each against the size before it (target: the
review at 3M at most 3.3 times the review at 1M).

``--against REF`` compares this checkout with an earlier commit instead: both are checked
out side by side and timed alternately, five times each, in their own processes (each
generating its own data, the same for the same size and seed), and the medians of the
full review, the first review, the agenda and the re-review of the generated plan are
printed with their ratio (target: the stress review no more than 10% slower than
``REF``).

pandas is the ``bench`` dependency group; without it the pandas figures are skipped with
a note. Exits with status 1 when the reviewer's review differs from a fresh one, or
pandas' measures from netplan's (a wrong result, not a slow one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import math
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import netplan
from benchmarks._report import Figure, table, timed
from benchmarks.generate import SIZES, Records, build_log, generate_records
from netplan import ActivityLog, Interaction, InteractionKind, Plan
from netplan.core.batch import Batch
from netplan.core.evaluation import review

REPEATS = {"typical": 7, "10k": 7, "100k": 5, "stress": 3, "3m": 3}
REREVIEWS = 20
ZONE_PAIRS = 7
GROWTH = ("10k", "100k", "stress", "3m")


def _forget_memos() -> None:
    """Empty the caches of pure functions a review uses, so a repeat starts cold."""
    import netplan.core.evaluation
    import netplan.core.pace
    import netplan.core.schedule

    netplan.core.evaluation._progress.cache_clear()
    netplan.core.pace.road_for.cache_clear()
    netplan.core.schedule.occurrences.cache_clear()


def _loaded(log: ActivityLog) -> ActivityLog:
    """The log as a store loads it: columns and time order, no review index yet."""
    return ActivityLog.from_batch(log.batch(), trusted=True)


def _in_time_order(records: Records) -> ActivityLog:
    """The same records with the interactions added in time order: no back-dated row."""
    interactions = sorted(records.interactions, key=lambda i: i.at)
    batch = Batch.of([*records.organizations, *records.contacts, *records.events, *interactions])
    return ActivityLog.from_batch(batch, trusted=True)


def _scan_review(plan: Plan, rows: list[tuple[Any, ...]], as_of: dt.date) -> list[int]:
    """The baseline script: each target's window counted by a scan of every row."""
    counts = []
    for goal in plan.goals:
        for target in goal.targets:
            road = netplan.road_for(goal, target, as_of, plan_start=plan.start)
            lo = dt.datetime.combine(road.start, dt.time(), netplan.UTC)
            hi = dt.datetime.combine(
                min(as_of, road.end) + dt.timedelta(days=1), dt.time(), netplan.UTC
            )
            counts.append(sum(1 for row in rows if lo <= row[0] < hi and row[2] == target.metric))
    return counts


def _median(run: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        _forget_memos()
        samples.append(timed(run)[0])
    return statistics.median(samples)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="typical", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--against", metavar="REF", help="Time this checkout against an earlier git commit."
    )
    parser.add_argument(
        "--growth", action="store_true", help="Time the full review at 10k to 3M interactions."
    )
    parser.add_argument("--full-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.against:
        return _against(args.against, args.size, args.seed)
    if args.growth:
        return _growth(args.seed)
    began = time.perf_counter()
    if not args.full_only:
        print(
            f"netplan {netplan.__version__} review benchmark: python "
            f"{platform.python_version()} ({platform.python_implementation()}, "
            f"{platform.system()} {platform.machine()}), size={args.size}, seed={args.seed}"
        )
    records = generate_records(args.size, seed=args.seed)
    log = build_log(records)
    from benchmarks._pandas_review import with_every_metric

    plan = with_every_metric(records.plan)
    if not args.full_only:
        print(
            f"data: {len(records.contacts):,} contacts, {len(log):,} interactions"
            f" ({records.backdated:,} back-dated), generated in"
            f" {time.perf_counter() - began:.1f} s; plan: {_count_targets(plan)} targets,"
            " every built-in metric"
        )
    gc.collect()
    gc.freeze()
    try:
        if args.full_only:
            print(json.dumps({"full": _full_review(plan, _loaded(log), args.size)}))
            return 0
        return _measure(records, log, plan, args.size)
    finally:
        gc.unfreeze()


def _count_targets(plan: Plan) -> int:
    return sum(len(goal.targets) for goal in plan.goals)


def _as_of(log: ActivityLog) -> tuple[dt.datetime, dt.date]:
    last = max(row[0] for row in log.rows())
    now = dt.datetime(1970, 1, 1, tzinfo=netplan.UTC) + dt.timedelta(microseconds=last)
    return now, now.date()


def _full_review(plan: Plan, log: ActivityLog, size: str) -> float:
    """The median full review of ``log`` with its indexes built."""
    _, as_of = _as_of(log)
    review(plan, log, as_of)  # builds the indexes
    return _median(lambda: review(plan, log, as_of), REPEATS[size])


def _measure(records: Records, log: ActivityLog, plan: Plan, size: str) -> int:
    now, as_of = _as_of(log)
    week = (as_of, as_of + dt.timedelta(days=7))
    repeats = REPEATS[size]
    stress = size == "stress"  # the size the targets are set at
    figures: list[Figure] = []
    problems: list[str] = []

    def review_and_agenda(fresh: ActivityLog) -> tuple[netplan.Review, netplan.Agenda]:
        return review(plan, fresh, as_of), netplan.agenda(plan, fresh, *week)

    def first_and_full(source: ActivityLog) -> tuple[float, float, netplan.Review]:
        """The first review + agenda of freshly loaded logs, and the full review of one
        whose indexes are built (medians)."""
        firsts, fulls = [], []
        for _ in range(repeats):
            fresh = _loaded(source)
            _forget_memos()
            firsts.append(timed(lambda fresh=fresh: review_and_agenda(fresh))[0])
            _forget_memos()  # the pace arithmetic is memoized: a full review does it again
            seconds, reviewed = timed(lambda fresh=fresh: review(plan, fresh, as_of))
            fulls.append(seconds)
        return statistics.median(firsts), statistics.median(fulls), reviewed

    first, full, reviewed = first_and_full(log)
    if size == "typical":
        # The plan as generated (a busy person's: 12 targets, the docs' kind), from a log
        # as loaded, beside a script scanning a list per target.
        generated = records.plan
        typical = []
        for _ in range(repeats):
            fresh = _loaded(log)
            _forget_memos()
            typical.append(
                timed(
                    lambda fresh=fresh: (
                        review(generated, fresh, as_of),
                        netplan.agenda(generated, fresh, *week),
                    )
                )[0]
            )
        rows = [(i.at, i.contact, i.kind.value) for i in log]
        scan = statistics.median(
            timed(lambda: _scan_review(generated, rows, as_of))[0] for _ in range(3)
        )
        median = statistics.median(typical)
        figures.append(
            Figure(
                f"review + agenda (7 days) of the generated plan ({_count_targets(generated)}"
                " targets), log as loaded",
                median,
                scan,
                "s",
                f"≤ 50 ms: {'met' if median <= 0.05 else 'MISSED'} "
                f"({min(typical) * 1e3:.0f} to {max(typical) * 1e3:.0f} ms)",
            )
        )

    # pandas computing the same measures: from DataFrames in memory, and from the rows.
    try:
        from benchmarks._pandas_review import build_frames, pandas_measures, record_measures
    except ImportError:
        print("pandas is not installed (the bench dependency group): its baseline is skipped")
        pandas_time = from_rows = 0.0
    else:
        measures, expected = record_measures(plan, _loaded(log), as_of)
        rows_read = list(log.rows())
        # A median of as many builds as first reviews: one build alone varies by a
        # quarter from run to run (its first is the slowest), which moved the verdict.
        builds = [timed(lambda: build_frames(rows_read, log, plan)) for _ in range(repeats)]
        build_time = statistics.median(seconds for seconds, _ in builds)
        frames = builds[-1][1]
        del builds
        samples = [timed(lambda: pandas_measures(frames, plan, measures)) for _ in range(repeats)]
        pandas_time = statistics.median(seconds for seconds, _ in samples)
        from_rows = build_time + pandas_time
        wrong = sum(
            not math.isclose(want, got, rel_tol=1e-9)
            for want, got in zip(expected, samples[0][1], strict=True)
        )
        if wrong:
            problems.append(f"pandas differs from netplan in {wrong} of {len(measures)} measures")
        print(f"pandas computes the review's {len(measures):,} measures, the same values")

    def verdict(value: float, baseline: float) -> str:
        if not stress:
            return ""
        met = baseline and value <= baseline
        return f"≤ pandas, the same measures: {'met' if met else 'MISSED'}"

    label = f"{len(reviewed.progress)} targets, {len(reviewed.findings)} findings"
    figures.append(
        Figure(
            f"full review ({label}), indexed", full, pandas_time, "s", verdict(full, pandas_time)
        )
    )
    figures.append(
        Figure(
            "first review + agenda / build DataFrames + measures",
            first,
            from_rows,
            "s",
            verdict(first, from_rows),
        )
    )
    in_order = _in_time_order(records)
    first_ordered, full_ordered, _ = first_and_full(in_order)
    figures.append(Figure("full review, log in time order", full_ordered, pandas_time, "s", ""))
    figures.append(
        Figure("first review + agenda, log in time order", first_ordered, from_rows, "s", "")
    )

    # Re-review after logging one more interaction, with a Reviewer.
    working = _loaded(log)
    reviewer = netplan.Reviewer()
    # Logged a few seconds after the log's last interaction, and reviewed that day.
    day = (now + dt.timedelta(seconds=REREVIEWS + 1)).date()
    reviewer.review(plan, working, day)
    contacts = [c.id for c in records.contacts[:REREVIEWS]]
    again: list[float] = []
    for number, contact in enumerate(contacts):
        at = now + dt.timedelta(seconds=number + 1)

        def log_and_review(contact: str = contact, at: dt.datetime = at) -> netplan.Review:
            working.add(Interaction(InteractionKind.COFFEE, at, contact=contact))
            return reviewer.review(plan, working, day)

        seconds, incremental = timed(log_and_review)
        again.append(seconds)
    if incremental != review(plan, working, day):
        problems.append("the reviewer's review differs from a fresh review of the same log")
    rereview = statistics.median(again)
    figures.append(
        Figure(
            "log one interaction + re-review (Reviewer)",
            rereview,
            full,
            "s",
            f"≤ 1% of the full review: {'met' if rereview <= full / 100 else 'MISSED'}"
            if stress
            else "",
        )
    )
    # The same plan in a zone whose clocks change twice a year, against UTC.
    zoned = attrs.evolve(plan, timezone="America/New_York")
    in_utc, in_zone = [], []
    for _ in range(max(repeats, ZONE_PAIRS)):
        for chosen, timings in ((plan, in_utc), (zoned, in_zone)):
            _forget_memos()
            timings.append(timed(lambda chosen=chosen: review(chosen, working, day))[0])
    figures.append(
        Figure(
            "full review, plan in America/New_York / in UTC",
            statistics.median(in_zone),
            statistics.median(in_utc),
            "s",
            "local days cost little: ≤ 1.10x" if stress else "",
        )
    )
    print(table(figures))
    for problem in problems:
        print(f"WRONG: {problem}")
    return 1 if problems else 0


def _growth(seed: int) -> int:
    """The full review at each size of :data:`GROWTH`, each in its own process."""
    print(f"the full review (log indexed, every built-in metric) by size, seed={seed}")
    times = {}
    for size in GROWTH:
        command = ("-m", "benchmarks.bench_review", "--size", size, "--seed", str(seed))
        done = subprocess.run(
            [sys.executable, *command, "--full-only"],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        times[size] = json.loads(done.stdout.splitlines()[-1])["full"]
    figures = []
    for before, size in itertools.pairwise(GROWTH):
        grown = SIZES[size].interactions / SIZES[before].interactions
        target = ""
        if size == "3m":
            met = times[size] <= 3.3 * times[before]
            target = f"≤ 3.3x at {grown:.0f}x the rows: {'met' if met else 'MISSED'}"
        figures.append(
            Figure(
                f"full review at {SIZES[size].interactions:,} / at {SIZES[before].interactions:,}",
                times[size],
                times[before],
                "s",
                target,
            )
        )
    print(table(figures))
    return 0


def _against(ref: str, size: str, seed: int, runs: int = 5) -> int:
    """This checkout against ``ref``, alternately, each in its own process."""
    here = Path(__file__).resolve().parent.parent
    script = here / "benchmarks" / "_review_times.py"
    with tempfile.TemporaryDirectory(prefix="netplan-against-") as folder:
        earlier = Path(folder) / "earlier"
        subprocess.run(
            ["git", "-C", str(here), "worktree", "add", "--detach", str(earlier), ref],
            check=True,
            capture_output=True,
        )
        try:
            label = subprocess.run(
                ["git", "-C", str(earlier), "log", "-1", "--format=%h %s"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            print(f"this checkout against {label[:70]}, size={size}, seed={seed}, {runs} runs each")
            samples: dict[str, dict[str, list[float]]] = {"now": {}, "before": {}}
            for _ in range(runs):
                for side, checkout in (("before", earlier), ("now", here)):
                    done = subprocess.run(
                        [sys.executable, str(script), str(checkout), size, str(seed)],
                        check=True,
                        capture_output=True,
                        text=True,
                    )
                    for name, value in json.loads(done.stdout.splitlines()[-1]).items():
                        samples[side].setdefault(name, []).append(value)
        finally:
            subprocess.run(
                ["git", "-C", str(here), "worktree", "remove", "--force", str(earlier)],
                check=False,
                capture_output=True,
            )
    figures = []
    for name, label in (
        ("full", "full review, log indexed"),
        ("first", "first review of a loaded log"),
        ("agenda", "agenda of a week"),
        ("again", "log one interaction + re-review (Reviewer)"),
    ):
        now = statistics.median(samples["now"][name])
        before = statistics.median(samples["before"][name])
        verdict = "met" if now <= 1.10 * before else "MISSED"
        target = f"≤ 1.10x before: {verdict}" if name in ("full", "first") else ""
        figures.append(Figure(f"{label} (baseline: {ref})", now, before, "s", target))
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
