"""Benchmark reviews and agendas against baselines measured in the same run.

Usage::

    python -m benchmarks.bench_review [--size typical|stress] [--seed N]

Prints each figure beside its baseline and their ratio (netplan / baseline):

* **review + agenda** of the plan on the last day of its data, from a log as a store
  loads it (no index built yet), against a plain script that counts every target's
  window by scanning a list of tuples (target at the typical size: at most 50 ms);
* **full review** against pandas computing only the monthly counts of new contacts and of
  follow-ups (target at the stress size: no slower than pandas), read both ways: the log
  with its indexes built (by an earlier review) against a DataFrame built beforehand; and
  the first review of a freshly loaded log, which builds the indexes, against building
  the DataFrame from the same rows and counting;
* **re-review** after logging one more interaction, with a :class:`netplan.Reviewer`
  (median of several), against the full review (target: at most 1% of it);
* **a plan in a time zone**: the full review of the same plan in America/New_York (its
  days, weeks and months local, across two changes of the clocks a year) against the plan
  in UTC, in the same run.

``--against REF`` compares this checkout with an earlier commit instead: both are checked
out side by side and timed alternately, five times each, in their own processes (each
generating its own data, the same for the same size and seed), and the medians of the
full review, the first review, the agenda and the re-review are printed with their ratio
(target: the stress review no more than 10% slower than ``REF``).

pandas is the ``bench`` dependency group; without it the pandas figure is skipped with a
note. Exits with status 1 when the reviewer's review differs from a fresh one (a wrong
result, not a slow one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import netplan
from benchmarks._report import Figure, table, timed
from benchmarks.generate import SIZES, Records, build_log, generate_records
from netplan import ActivityLog, Interaction, InteractionKind, Plan
from netplan.core.evaluation import review

REPEATS = {"typical": 7, "stress": 3}
REREVIEWS = 20


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


def _pandas_counts(frame: Any) -> tuple[Any, Any]:
    first = frame.groupby("contact", observed=True)["at"].min()
    new_contacts = first.dt.tz_localize(None).dt.to_period("M").value_counts().sort_index()
    follow_ups = frame.loc[frame["kind"] == "follow_up", "at"]
    monthly_follow_ups = follow_ups.dt.tz_localize(None).dt.to_period("M").value_counts()
    return new_contacts, monthly_follow_ups.sort_index()


def _frame(log: ActivityLog) -> tuple[Any | None, float]:
    """A DataFrame of the interactions (instant, contact, kind), and the time it took
    from the log's rows."""
    try:
        import pandas as pd
    except ImportError:
        return None, 0.0
    rows = list(log.rows())

    def build() -> Any:
        at, contact, kind = zip(*((r[0], r[1], r[2]) for r in rows), strict=True)
        return pd.DataFrame(
            {
                "at": pd.to_datetime(at, unit="us", utc=True),
                "contact": pd.Categorical(contact),
                "kind": pd.Categorical(kind),
            }
        )

    seconds, frame = timed(build)
    return frame, seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="typical", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--against", metavar="REF", help="Time this checkout against an earlier git commit."
    )
    args = parser.parse_args(argv)
    if args.against:
        return _against(args.against, args.size, args.seed)
    began = time.perf_counter()
    print(
        f"netplan {netplan.__version__} review benchmark: python {platform.python_version()}"
        f" ({platform.python_implementation()}, {platform.system()} {platform.machine()}),"
        f" size={args.size}, seed={args.seed}"
    )
    records = generate_records(args.size, seed=args.seed)
    log = build_log(records)
    print(
        f"data: {len(records.contacts):,} contacts, {len(log):,} interactions,"
        f" generated in {time.perf_counter() - began:.1f} s"
    )
    gc.collect()
    gc.freeze()
    try:
        return _measure(records, log, args.size)
    finally:
        gc.unfreeze()


def _measure(records: Records, log: ActivityLog, size: str) -> int:
    plan = records.plan
    last = max(row[0] for row in log.rows())
    now = dt.datetime(1970, 1, 1, tzinfo=netplan.UTC) + dt.timedelta(microseconds=last)
    as_of = now.date()
    week = (as_of, as_of + dt.timedelta(days=7))
    repeats = REPEATS[size]
    stress = size == "stress"  # the targets of the full and incremental reviews
    figures: list[Figure] = []
    problems: list[str] = []

    # Review + agenda, from a freshly loaded log each time.
    def review_and_agenda() -> tuple[netplan.Review, netplan.Agenda]:
        fresh = _loaded(log)
        began = time.perf_counter()
        result = review(plan, fresh, as_of), netplan.agenda(plan, fresh, *week)
        timings.append(time.perf_counter() - began)
        return result

    timings: list[float] = []
    for _ in range(repeats):
        _forget_memos()
        timed(review_and_agenda)
    full = statistics.median(timings)
    rows = [(i.at, i.contact, i.kind.value) for i in log] if size == "typical" else []
    if rows:
        scan = statistics.median(
            timed(lambda: _scan_review(plan, rows, as_of))[0] for _ in range(3)
        )
        figures.append(
            Figure(
                "review + agenda (7 days), log as loaded",
                full,
                scan,
                "s",
                f"≤ 50 ms: {'met' if full <= 0.05 else 'MISSED'}",
            )
        )

    # The full review, beside pandas' two monthly counts on a DataFrame built beforehand.
    # Both sides start from their data structure in memory: the DataFrame is built before
    # timing, and so are the log's indexes (its time index and what it derives from its
    # contacts, built by a log's first review and kept up to date by appends). The first
    # review of a freshly loaded log, which builds them, is timed on its own, beside
    # building the DataFrame and counting.
    firsts, timings = [], []
    for _ in range(repeats):
        _forget_memos()
        fresh = _loaded(log)
        firsts.append(timed(lambda fresh=fresh: review(plan, fresh, as_of))[0])
        _forget_memos()  # the pace arithmetic is memoized: a full review does it again
        seconds, reviewed = timed(lambda fresh=fresh: review(plan, fresh, as_of))
        timings.append(seconds)
    review_time = statistics.median(timings)
    frame, frame_time = _frame(log)
    if frame is None:
        print("pandas is not installed (the bench dependency group): its baseline is skipped")
        pandas_time = 0.0
    else:
        pandas_time = statistics.median(
            timed(lambda: _pandas_counts(frame))[0] for _ in range(repeats)
        )
    first = statistics.median(firsts)
    from_rows = frame_time + pandas_time
    verdict = "met" if pandas_time and review_time <= pandas_time else "MISSED"
    figures.append(
        Figure(
            f"full review ({len(reviewed.progress)} targets, {len(reviewed.findings)} findings)",
            review_time,
            pandas_time,
            "s",
            f"≤ pandas' two counts, each side's structure built: {verdict}" if stress else "",
        )
    )
    verdict = "met" if pandas_time and first <= from_rows else "MISSED"
    figures.append(
        Figure(
            "first review of a loaded log / build DataFrame + counts",
            first,
            from_rows,
            "s",
            f"≤ pandas' two counts from the same rows: {verdict}" if stress else "",
        )
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
            review_time,
            "s",
            f"≤ 1% of the full review: {'met' if rereview <= review_time / 100 else 'MISSED'}"
            if stress
            else "",
        )
    )
    # The same plan in a zone whose clocks change twice a year, against UTC.
    zoned = attrs.evolve(plan, timezone="America/New_York")
    in_utc, in_zone = [], []
    for _ in range(repeats):
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
