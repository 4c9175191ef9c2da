"""Benchmark the SQLite and JSON stores against raw sqlite3 and json measured in the same run.

Usage::

    python benchmarks/bench_store.py [--size typical|stress] [--seed N] [--dir PATH] [--profile]
    python -m benchmarks.bench_store --size stress

Writes the generated plan and activity log of that size into a fresh SQLite store and a
fresh JSON store in a temporary folder (not timed, but reported), then prints each figure
beside its baseline and their ratio (netplan / baseline: below 1 means netplan is faster):

* opening the SQLite store and loading the plan and its log (``SqliteStore.open`` +
  ``load`` + ``load_log``), against a raw ``sqlite3`` connection fetching the same rows
  with ``SELECT ... fetchall()`` (target: at most 2x);
* appending one interaction to that store in its own transaction, as a person logging one
  meeting does: median and 95th percentile of ``store.add``, against a raw single-row
  ``INSERT`` + ``COMMIT`` into the same table with the same pragmas (target: median at
  most 5 ms);
* opening the JSON store and loading the plan and its log, against ``json.load`` of the
  same file (target: at most 2x).

Exits with status 1 when a store gives back a plan or log that differs from what was
written (a wrong result, not a slow one); a missed target is reported as FAIL but does
not change the status. If the JSON store cannot be imported or used, its figures are
replaced by a line saying why and the rest runs. ``--profile`` adds the ten functions
with the most cumulative time in one ``load_log`` of each store.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import itertools
import json
import platform
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file (python benchmarks/bench_store.py), sys.path holds benchmarks/ rather
    # than the repository root; add the root so the import below works both ways.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs

import netplan
from benchmarks._report import Figure, chunks, table
from benchmarks.generate import SIZES, Records, build_log, generate_records
from netplan import ActivityLog, Plan
from netplan.core.batch import Record, interaction_row
from netplan.storage import Store, parse_url
from netplan.stores.sqlite import SqliteStore

LOAD_RATIO_TARGET = 2.0  # open + load + load_log, over the raw read of the same data
APPEND_TARGET = 0.005  # seconds: median of one store.add(plan_id, interaction)
CHUNK = 10_000  # records per add() call when filling the stores


@dataclass(frozen=True)
class Budget:
    """How much to measure for one size: typical runs in under a minute, stress in minutes."""

    load_repeats: int  # SQLite open + load + load_log, and as many raw reads
    appends: int  # single-interaction appends, and as many raw inserts
    json_repeats: int  # JSON open + load + load_log, and as many json.load calls


BUDGETS = {
    "typical": Budget(load_repeats=7, appends=200, json_repeats=5),
    "stress": Budget(load_repeats=5, appends=200, json_repeats=3),
}


@dataclass(frozen=True)
class Outcome:
    """What one part measured, and any wrong result it found."""

    figures: list[Figure]
    problems: list[str]


# -- helpers ----------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _sqlite_url(path: Path) -> str:
    return f"sqlite://{path}"  # an absolute path gives sqlite:///abs/path.db


def _file_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _log_problems(what: str, loaded: ActivityLog, expected: ActivityLog) -> list[str]:
    """How ``loaded`` differs from ``expected``, as lines to print (none: equal).

    Compares what ActivityLog.__eq__ compares, but interactions as rows(): the same
    fields, without building two million Interaction objects at the stress size.
    """
    problems = []
    for name in ("organizations", "contacts"):
        if getattr(loaded, name) != getattr(expected, name):
            problems.append(f"{what}: the loaded log's {name} differ from the generated ones")
    if loaded.events() != expected.events():
        problems.append(f"{what}: the loaded log's events differ from the generated ones")
    if len(loaded) != len(expected):
        problems.append(f"{what}: {len(loaded):,} interactions loaded, {len(expected):,} written")
        return problems
    for number, (a, b) in enumerate(zip(loaded.rows(), expected.rows(), strict=True)):
        if a != b:
            problems.append(f"{what}: interaction {number} reads back as {a!r}, written as {b!r}")
            break
    return problems


# -- SQLite: fill -----------------------------------------------------------------------
def fill_sqlite(path: Path, records: Records) -> tuple[Plan, float]:
    """The plan and log written with the store's own API; returns the saved plan and the
    seconds it took. Records go in large add() calls: one call per record is one
    transaction (one fsync) each, which is what the append figure measures, not this."""
    began = time.perf_counter()
    store = SqliteStore.open(parse_url(_sqlite_url(path)), create=True)
    try:
        saved = store.save(records.plan)
        # Organizations before contacts before events: each may refer to the ones before.
        named: tuple[Record, ...] = (*records.organizations, *records.contacts, *records.events)
        for chunk in chunks(named, CHUNK):
            store.add(saved.id, *chunk)
        for chunk in chunks(records.interactions, CHUNK):
            store.add(saved.id, *chunk)
    finally:
        store.close()  # the last connection closing checkpoints the WAL into the file
    return saved, time.perf_counter() - began


# -- SQLite: open + load ----------------------------------------------------------------
@dataclass(frozen=True)
class Steps:
    """Seconds taken by the three steps of opening a store and reading one plan."""

    open: float
    load: float
    load_log: float

    @property
    def total(self) -> float:
        return self.open + self.load + self.load_log


def _store_read(open_store: Callable[[], Store], plan_id: str) -> tuple[Steps, Plan, ActivityLog]:
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        store = open_store()
        t1 = time.perf_counter()
        plan = store.load(plan_id)
        t2 = time.perf_counter()
        log = store.load_log(plan_id)
        t3 = time.perf_counter()
    finally:
        gc.enable()
    store.close()
    return Steps(t1 - t0, t2 - t1, t3 - t2), plan, log


def _raw_read(path: Path, plan_id: str) -> Steps:
    """The same rows as SqliteStore.load + load_log, fetched and left undecoded."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        db = sqlite3.connect(path, isolation_level=None)
        # One read transaction, as the store's reads run in one: a consistent snapshot.
        db.execute("BEGIN")
        t1 = time.perf_counter()
        db.execute(
            "SELECT r.data FROM plans p JOIN revisions r "
            "ON r.plan_id = p.id AND r.revision = p.head WHERE p.id = ?",
            (plan_id,),
        ).fetchall()
        t2 = time.perf_counter()
        for table in ("organizations", "contacts", "events"):  # fixed names, not input
            db.execute(
                f"SELECT id, data FROM {table} WHERE plan_id = ? ORDER BY rowid", (plan_id,)
            ).fetchall()
        db.execute(
            "SELECT at, contact, kind, channel, direction, event, notes FROM interactions "
            "WHERE plan_id = ? ORDER BY row",
            (plan_id,),
        ).fetchall()
        db.execute("COMMIT")
        t3 = time.perf_counter()
    finally:
        gc.enable()
    db.close()
    return Steps(t1 - t0, t2 - t1, t3 - t2)


def _median_steps(steps: Sequence[Steps]) -> Steps:
    return Steps(
        statistics.median(s.open for s in steps),
        statistics.median(s.load for s in steps),
        statistics.median(s.load_log for s in steps),
    )


def measure_sqlite_load(
    path: Path, saved: Plan, expected: ActivityLog, budget: Budget
) -> tuple[Outcome, ActivityLog]:
    def open_store() -> Store:
        return SqliteStore.open(parse_url(_sqlite_url(path)), create=False)

    ours: list[Steps] = []
    raw: list[Steps] = []
    totals: list[float] = []
    raw_totals: list[float] = []
    plan, log = saved, expected
    # Alternated so that a disturbance of the machine (page cache, another process)
    # lands on both sides rather than on one; the first run of each warms the page cache.
    for _ in range(budget.load_repeats):
        steps, plan, log = _store_read(open_store, saved.id)
        ours.append(steps)
        totals.append(steps.total)
        raw_steps = _raw_read(path, saved.id)
        raw.append(raw_steps)
        raw_totals.append(raw_steps.total)
    total, raw_total = statistics.median(totals), statistics.median(raw_totals)
    med, raw_med = _median_steps(ours), _median_steps(raw)
    ratio = total / raw_total
    problems = _log_problems("SQLite", log, expected)
    if plan != saved:
        problems.append("SQLite: the loaded plan differs from the saved one")
    figures = [
        Figure(
            "SQLite open + load + load_log / connect + SELECT fetchall",
            total,
            raw_total,
            "s",
            f"<= {LOAD_RATIO_TARGET:.1f}x  {_verdict(ratio <= LOAD_RATIO_TARGET)}",
        ),
        Figure("  SqliteStore.open / sqlite3.connect + BEGIN", med.open, raw_med.open, "s"),
        Figure("  load / SELECT the head revision row", med.load, raw_med.load, "s"),
        Figure(
            "  load_log / SELECT records + interaction rows", med.load_log, raw_med.load_log, "s"
        ),
    ]
    return Outcome(figures, problems), log


# -- SQLite: appends --------------------------------------------------------------------
def _percentile(values: Sequence[float], percent: int) -> float:
    # statistics.quantiles with n=100 gives the 99 cut points; the p-th is index p - 1.
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def measure_appends(path: Path, plan_id: str, records: Records, budget: Budget) -> Outcome:
    n = budget.appends
    # New interactions after the log's last instant (the usual case: logging what just
    # happened), with the contacts, events and notes of the last generated ones so their
    # references are valid and their sizes typical.
    last = max(i.at for i in records.interactions)
    sources = records.interactions[-n:]
    ours = [
        attrs.evolve(source, at=last + dt.timedelta(minutes=2 * k + 1))
        for k, source in enumerate(sources)
    ]
    theirs = [
        (plan_id, *interaction_row(attrs.evolve(source, at=last + dt.timedelta(minutes=2 * k + 2))))
        for k, source in enumerate(sources)
    ]
    store = SqliteStore.open(parse_url(_sqlite_url(path)), create=False)
    raw = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    (before,) = raw.execute(
        "SELECT COUNT(*) FROM interactions WHERE plan_id = ?", (plan_id,)
    ).fetchone()
    try:
        # The store's pragmas, so the baseline pays the same fsync per commit.
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = FULL")
        insert = (
            "INSERT INTO interactions (plan_id, at, contact, kind, channel, direction, event, "
            "notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )

        def raw_append(row: tuple[Any, ...]) -> None:
            # BEGIN IMMEDIATE, as the store's writes: the write lock is taken up front.
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(insert, row)
            raw.execute("COMMIT")

        add_times: list[float] = []
        raw_times: list[float] = []
        gc.collect()
        gc.disable()
        try:
            # Alternated, one of each, so WAL checkpoints (every 1,000 pages) and the
            # disk's flush behaviour fall on both sides alike.
            for interaction, row in zip(ours, theirs, strict=True):
                began = time.perf_counter()
                store.add(plan_id, interaction)
                middle = time.perf_counter()
                raw_append(row)
                add_times.append(middle - began)
                raw_times.append(time.perf_counter() - middle)
        finally:
            gc.enable()
        (after,) = raw.execute(
            "SELECT COUNT(*) FROM interactions WHERE plan_id = ?", (plan_id,)
        ).fetchone()
    finally:
        raw.close()
        store.close()
    problems = []
    if after - before != 2 * n:
        problems.append(
            f"SQLite appends: {2 * n} rows appended, the table grew by {after - before}"
        )
    median = statistics.median(add_times)
    label = f"append 1 interaction to {before:,}: store.add / INSERT + COMMIT"
    figures = [
        Figure(
            f"{label}, median of {n}",
            median,
            statistics.median(raw_times),
            "s",
            f"<= {APPEND_TARGET * 1e3:.0f} ms  {_verdict(median <= APPEND_TARGET)}",
        ),
        Figure("  95th percentile", _percentile(add_times, 95), _percentile(raw_times, 95), "s"),
    ]
    return Outcome(figures, problems)


# -- JSON -------------------------------------------------------------------------------
def _json_store_class() -> Any:
    # Imported here, not at the top: the JSON store may be missing or broken (it is
    # being written alongside this benchmark), and that must not stop the SQLite part.
    from netplan.stores.jsonfile import JsonStore

    return JsonStore


def fill_json(path: Path, records: Records) -> tuple[Plan, float]:
    """The plan and log written with the JSON store's API; returns the saved plan and the
    seconds it took. Every add() re-reads, decodes, re-encodes and rewrites the whole
    file, so k calls cost O(k * n): the log goes in one call."""
    json_store = _json_store_class()
    began = time.perf_counter()
    store = json_store.open(parse_url(f"json://{path}"), create=True)
    try:
        saved: Plan = store.save(records.plan)
        store.add(
            saved.id,
            *records.organizations,
            *records.contacts,
            *records.events,
            *records.interactions,
        )
    finally:
        store.close()
    return saved, time.perf_counter() - began


def _json_load(path: Path) -> Steps:
    gc.collect()
    gc.disable()
    try:
        began = time.perf_counter()
        with path.open("rb") as file:
            json.load(file)
        return Steps(0.0, 0.0, time.perf_counter() - began)
    finally:
        gc.enable()


def measure_json_load(
    path: Path, saved: Plan, expected: ActivityLog, budget: Budget
) -> tuple[Outcome, ActivityLog]:
    json_store = _json_store_class()

    def open_store() -> Store:
        store: Store = json_store.open(parse_url(f"json://{path}"), create=False)
        return store

    ours: list[Steps] = []
    base: list[float] = []
    plan, log = saved, expected
    for _ in range(budget.json_repeats):
        steps, plan, log = _store_read(open_store, saved.id)
        ours.append(steps)
        base.append(_json_load(path).total)
    total = statistics.median(s.total for s in ours)
    baseline = statistics.median(base)
    med = _median_steps(ours)
    ratio = total / baseline
    problems = _log_problems("JSON", log, expected)
    if plan != saved:
        problems.append("JSON: the loaded plan differs from the saved one")
    figures = [
        Figure(
            "JSON open + load + load_log / json.load of the file",
            total,
            baseline,
            "s",
            f"<= {LOAD_RATIO_TARGET:.1f}x  {_verdict(ratio <= LOAD_RATIO_TARGET)}",
        ),
        # Each step against one whole json.load: it shows how many parses a step costs.
        Figure("  JsonStore.open / json.load", med.open, baseline, "s"),
        Figure("  load / json.load", med.load, baseline, "s"),
        Figure("  load_log / json.load", med.load_log, baseline, "s"),
    ]
    return Outcome(figures, problems), log


# -- profile ----------------------------------------------------------------------------
def profile_load_log(what: str, open_store: Callable[[], Store], plan_id: str) -> str:
    """The ten functions with the most cumulative time in one load_log, as text."""
    store = open_store()
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        store.load_log(plan_id)
        profiler.disable()
    finally:
        store.close()
    out = io.StringIO()
    out.write(f"\n{what} load_log, cProfile, top 10 by cumulative time:\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(pstats.SortKey.CUMULATIVE).print_stats(10)
    return out.getvalue().rstrip()


# -- report -----------------------------------------------------------------------------
def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="typical", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder for the temporary stores (default: the system's temporary folder); "
        "append times depend on its disk, since every commit is flushed to it",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also profile one load_log of each store"
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()

    print(
        f"netplan {netplan.__version__} store benchmark: python {platform.python_version()}"
        f" ({platform.python_implementation()}, {platform.system()} {platform.machine()}),"
        f" SQLite {sqlite3.sqlite_version}, size={args.size}, seed={args.seed}"
    )
    records = generate_records(args.size, seed=args.seed)
    expected = build_log(records)
    print(
        f"data: {len(records.contacts):,} contacts, {len(records.organizations):,}"
        f" organizations, {len(records.events):,} events, {len(records.interactions):,}"
        f" interactions, generated in {time.perf_counter() - began:.1f} s"
    )
    # The records and the reference log live to the end and hold no garbage: frozen,
    # they are skipped by every later collection (each gc.collect() before a timing
    # would otherwise walk the million of them).
    gc.collect()
    gc.freeze()
    try:
        with tempfile.TemporaryDirectory(prefix="netplan-bench-", dir=args.dir) as folder:
            return _measure(records, expected, BUDGETS[args.size], Path(folder), args, began)
    finally:
        gc.unfreeze()


def _measure(
    records: Records,
    expected: ActivityLog,
    budget: Budget,
    folder: Path,
    args: argparse.Namespace,
    began: float,
) -> int:
    sqlite_path = folder / "plans.db"
    json_path = folder / "plan.json"
    print(f"stores in {folder}")
    saved, seconds = fill_sqlite(sqlite_path, records)
    sqlite_size = _file_size(sqlite_path)  # before the append test adds its rows
    print(
        f"SQLite store written in {seconds:.1f} s: save(plan), then add() in calls of"
        f" {CHUNK:,} records (organizations, contacts, events, then interactions)"
    )
    phases = [time.perf_counter()]
    load, loaded = measure_sqlite_load(sqlite_path, saved, expected, budget)
    phases.append(time.perf_counter())
    appends = measure_appends(sqlite_path, saved.id, records, budget)
    phases.append(time.perf_counter())
    outcomes = [load, appends]
    del loaded  # the check is done; a million-row log need not outlive it

    json_note = ""
    json_size = 0
    try:
        json_saved, seconds = fill_json(json_path, records)
        json_size = _file_size(json_path)
        print(f"JSON store written in {seconds:.1f} s: save(plan), then one add() of every record")
        json_load, _ = measure_json_load(json_path, json_saved, expected, budget)
        outcomes.append(json_load)
    except Exception as error:  # whatever is wrong with it, the SQLite figures still count
        json_note = f"JSON store unavailable: {type(error).__name__}: {error}"
    phases.append(time.perf_counter())

    print()
    print(table([f for outcome in outcomes for f in outcome.figures]))
    if json_note:
        print(json_note)
    print()
    print("ratio = netplan / baseline (below 1: netplan is faster); times are medians,")
    print(
        "each side timed with the cyclic collector paused; load runs alternate with"
        f" their baseline ({budget.load_repeats} SQLite, {budget.json_repeats} JSON);"
        " the first of each warms the page cache"
    )
    print(
        "baselines: raw sqlite3 fetches the same rows undecoded (plan revision; organization,"
        " contact and event JSON; interaction columns); the raw append is BEGIN IMMEDIATE,"
        " INSERT, COMMIT on its own connection with WAL and synchronous=FULL"
    )
    sizes = f"files: SQLite {_mb(sqlite_size)}"
    if json_size:
        sizes += f", JSON {_mb(json_size)}"
    print(f"{sizes} ({len(records.interactions):,} interactions)")
    load_s, append_s, json_s = (b - a for a, b in itertools.pairwise(phases))
    print(
        f"total time {time.perf_counter() - began:.1f} s (SQLite load {load_s:.1f} s,"
        f" appends {append_s:.1f} s, JSON write + load {json_s:.1f} s)"
    )

    if args.profile:
        plan_id = saved.id
        print(
            profile_load_log(
                "SQLite",
                lambda: SqliteStore.open(parse_url(_sqlite_url(sqlite_path)), create=False),
                plan_id,
            )
        )
        if not json_note:
            json_store = _json_store_class()
            print(
                profile_load_log(
                    "JSON",
                    lambda: json_store.open(parse_url(f"json://{json_path}"), create=False),
                    plan_id,
                )
            )

    problems = [p for outcome in outcomes for p in outcome.problems]
    if problems:
        print(f"FAILED: {len(problems)} wrong result(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("every store read back the plan and log that were written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
