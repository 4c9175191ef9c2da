"""Benchmark the ActivityLog against a plain list of tuples measured in the same run.

Usage::

    python benchmarks/bench_log.py [--size typical|stress] [--seed N]
    python -m benchmarks.bench_log --size stress

Prints, for the generated data of that size, each figure beside its baseline and their
ratio (netplan / baseline: below 1 means the log is smaller or faster):

* memory per interaction of the log's interaction storage, beyond the notes text
  (target: at most 150 B), against the same interactions as a list of tuples;
* append time per interaction, in time order and back-dated, against ``list.append``;
* the median time of ``log.count`` and ``log.interactions`` over random one-month
  windows, against a linear scan of the list.

Exits with status 1 when a window query disagrees with the scan (a wrong result, not a
slow one); a missed memory target is reported as FAIL but does not change the status.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gc
import itertools
import math
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TypeVar

if __package__ in (None, ""):
    # Run as a file (python benchmarks/bench_log.py), sys.path holds benchmarks/ rather
    # than the repository root; add the root so the import below works both ways.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs

import netplan
import netplan.core.log
from benchmarks._report import Figure, chunks, fmt, table
from benchmarks.generate import SIZES, START, Records, generate_records
from netplan import ActivityLog, Interaction

T = TypeVar("T")

# The baseline's row: (timestamp, contact id, kind, channel, direction, event id, notes).
Row = tuple[dt.datetime, str | None, str, str, str, str | None, str]

MEMORY_TARGET = 150.0  # bytes per interaction beyond its notes text
_ZERO = dt.timedelta(0)


@dataclass(frozen=True)
class Budget:
    """How much to measure for one size: typical runs in seconds, stress in minutes."""

    repeats: int  # full in-order appends of every interaction
    blocks: int  # back-dated and mixed blocks, one late-run merge each at least
    windows: int  # one-month window queries
    window_repeats: int  # timings per window (the fastest is kept)


BUDGETS = {
    "typical": Budget(repeats=5, blocks=7, windows=101, window_repeats=3),
    "stress": Budget(repeats=3, blocks=3, windows=15, window_repeats=1),
}


# -- helpers ----------------------------------------------------------------------------
def _fresh_log(records: Records) -> ActivityLog:
    log = ActivityLog()
    log.add(*records.organizations, *records.contacts, *records.events)
    return log


def _row(interaction: Interaction) -> Row:
    # A new datetime and a new notes str, as a list loaded from storage would own: the
    # log keeps its own copy of both, so sharing the Interaction's objects would make the
    # baseline look smaller than any real list of tuples. Ids and enum values are shared,
    # as the log shares them (it stores indexes into its contact and event tables).
    notes = interaction.notes
    return (
        interaction.at + _ZERO,
        interaction.contact,
        interaction.kind.value,
        interaction.channel.value,
        interaction.direction.value,
        interaction.event,
        notes.encode().decode() if notes else "",
    )


def _time_paused(run: Callable[[], object]) -> float:
    # Timed with the cyclic collector paused, as timeit does: a collection landing in one
    # repeat and not another is noise, not a cost of the code measured.
    gc.collect()
    gc.disable()
    try:
        began = time.perf_counter()
        run()
        return time.perf_counter() - began
    finally:
        gc.enable()


def _median_time(run: Callable[[], object], repeats: int) -> float:
    return statistics.median(_time_paused(run) for _ in range(repeats))


def _plus_month(at: dt.datetime) -> dt.datetime:
    year, month = (at.year + 1, 1) if at.month == 12 else (at.year, at.month + 1)
    return at.replace(year=year, month=month, day=min(at.day, calendar.monthrange(year, month)[1]))


# -- memory -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Memory:
    per_interaction: float  # traced bytes kept, minus notes UTF-8 bytes, per interaction
    peak: float  # peak traced bytes while appending, per interaction
    in_module: float  # share of the kept bytes allocated by code in the measured module


def _traced(fill: Callable[[], object], module_file: str, notes_bytes: int, n: int) -> Memory:
    """Bytes that ``fill`` allocates and keeps, per interaction, beyond the notes text.

    Method: every input object (Interaction, id, enum) exists before tracing starts, so
    tracemalloc sees only what ``fill`` allocates; a collection before reading drops
    cycles, and what is still traced afterwards is what the container holds: the arrays
    with their growth slack, per-contact row lists, the side run, dict tables. This is
    allocator-requested size, not RSS: pymalloc and malloc overheads are left out, as
    they are for the baseline.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fill()
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    kept = after - before
    # With the default one-frame traceback each block is charged to the line that
    # allocated it: the log's arrays grow in netplan/core/ (its columns' module), the
    # list in this file.
    inside = snapshot.filter_traces([tracemalloc.Filter(True, module_file)])
    in_module = sum(stat.size for stat in inside.statistics("filename"))
    return Memory(
        per_interaction=(kept - notes_bytes) / n,
        peak=(peak - before - notes_bytes) / n,
        in_module=in_module / kept if kept else 0.0,
    )


def measure_memory(
    records: Records,
) -> tuple[Memory, Memory, ActivityLog, list[Row]]:
    interactions = records.interactions
    n = len(interactions)
    notes_bytes = sum(len(i.notes.encode()) for i in interactions)
    # The log's contacts, organizations and events are added before tracing: the target
    # is about interaction storage, and contacts are per contact, not per interaction.
    log = _fresh_log(records)

    def fill_log() -> None:
        # The same appends the generator makes: extend in chunks, with its catch-up
        # sessions of back-dated rows, so the side run and its merges are counted.
        for chunk in chunks(interactions, records.size.chunk):
            log.extend(chunk)

    rows: list[Row] = []

    def fill_rows() -> None:
        append = rows.append
        for interaction in interactions:
            append(_row(interaction))

    core = str(Path(netplan.core.log.__file__).parent / "*")
    log_memory = _traced(fill_log, core, notes_bytes, n)
    list_memory = _traced(fill_rows, __file__, notes_bytes, n)
    return log_memory, list_memory, log, rows


# -- appends ----------------------------------------------------------------------------
def _late_block(n: int) -> int:
    # Rows that overflow the side run exactly once when appended back-dated to a log of
    # n rows: the log merges once the run holds more than max(64, isqrt(rows)).
    block = max(64, math.isqrt(n)) + 1
    while block <= max(64, math.isqrt(n + block)):
        block += 1
    return block


def measure_appends(records: Records, budget: Budget, seed: int) -> list[Figure]:
    ordered = sorted(records.interactions, key=attrgetter("at"))  # stable: ties keep order
    rows = [_row(i) for i in ordered]
    n = len(ordered)
    chunk = records.size.chunk

    # Each repeat appends to a fresh log built outside the timed section: adding 100k
    # contacts is not an append cost. The last log, every row in time order, is kept
    # for the back-dated measurements.
    add_times, extend_times = [], []
    for _ in range(budget.repeats):
        log = _fresh_log(records)
        extend_times.append(_time_paused(partial(_extend_each, log, ordered, chunk)))
    for _ in range(budget.repeats):
        log = _fresh_log(records)
        add_times.append(_time_paused(partial(_add_each, log, ordered)))
    log_add = statistics.median(add_times) / n
    log_extend = statistics.median(extend_times) / n
    base_append = _median_time(lambda: _append_each(rows), budget.repeats) / n
    base_extend = _median_time(lambda: _extend_rows(rows, chunk), budget.repeats) / n

    # Back-dated rows appended to that log. Each block is just long enough to overflow
    # the side run once, so its time includes exactly one merge: per row, the amortized
    # cost of the path.
    rng = random.Random(seed)
    past = ordered[: n * 9 // 10]  # strictly before the log's last instant
    late_times, late_base = [], []
    for _ in range(budget.blocks):
        block = [past[rng.randrange(len(past))] for _ in range(_late_block(len(log)))]
        block_rows = [_row(i) for i in block]
        late_times.append(_time_paused(partial(_add_each, log, block)) / len(block))
        late_base.append(_time_paused(partial(_append_each, block_rows)) / len(block))
    late = statistics.median(late_times)

    # The generator's share of back-dated rows, scattered one at a time among rows in
    # time order (shifted past the log's last instant) instead of in catch-up sessions.
    every = round(1 / records.size.backdated_share)
    span = (ordered[-1].at - START) + dt.timedelta(days=1)
    mixed_times, mixed_base = [], []
    cursor = 0
    for _ in range(budget.blocks):
        mixed: list[Interaction] = []
        for j in range(5 * _late_block(len(log))):
            if j % every == every - 1:
                mixed.append(past[rng.randrange(len(past))])
            else:
                source = ordered[cursor % n]
                cursor += 1
                shift = (1 + cursor // n) * span  # grows on each pass over `ordered`
                mixed.append(attrs.evolve(source, at=source.at + shift))
        mixed_rows = [_row(i) for i in mixed]
        mixed_times.append(_time_paused(partial(_add_each, log, mixed)) / len(mixed))
        mixed_base.append(_time_paused(partial(_append_each, mixed_rows)) / len(mixed))
    # What the mix would cost if its rows in time order kept to the O(1) path and only
    # the back-dated ones paid the side run (see the report for why they do not).
    expected = (1 - 1 / every) * log_add + late / every

    return [
        Figure("append in time order: log.add(i) / list.append", log_add, base_append, "s"),
        Figure(
            f"  in {chunk:,}-row chunks: log.extend / list.extend", log_extend, base_extend, "s"
        ),
        Figure("append back-dated: log.add(i), amortized", late, statistics.median(late_base), "s"),
        Figure(
            f"  1 in {every} back-dated, one at a time",
            statistics.median(mixed_times),
            statistics.median(mixed_base),
            "s",
            f"expected ~{fmt(expected, 's')}",
        ),
    ]


def _extend_each(log: ActivityLog, interactions: Sequence[Interaction], chunk: int) -> None:
    for part in chunks(interactions, chunk):
        log.extend(part)


def _extend_rows(rows: Sequence[Row], chunk: int) -> None:
    out: list[Row] = []
    for part in chunks(rows, chunk):
        out.extend(part)


def _add_each(log: ActivityLog, interactions: Sequence[Interaction]) -> None:
    add = log.add
    for interaction in interactions:
        add(interaction)


def _append_each(rows: Sequence[Row]) -> None:
    out: list[Row] = []
    append = out.append
    for row in rows:
        append(row)


# -- window queries ---------------------------------------------------------------------
def _scan_count(rows: Sequence[Row], lo: dt.datetime, hi: dt.datetime) -> int:
    return len([row for row in rows if lo <= row[0] < hi])  # the quickest plain count


def _scan(rows: Sequence[Row], lo: dt.datetime, hi: dt.datetime) -> list[Row]:
    # Sorted so it returns what log.interactions does: the window in time order. The
    # list is in append order, so ties keep append order, as the log's do.
    return sorted((row for row in rows if lo <= row[0] < hi), key=itemgetter(0))


def _timed(run: Callable[[], T], repeats: int) -> tuple[float, T]:
    best = math.inf
    result: T
    for _ in range(repeats):
        began = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - began)
    return best, result


@dataclass(frozen=True)
class Windows:
    figures: list[Figure]
    problems: list[str]  # windows where the log and the scan disagree
    returned: float  # median interactions per window
    count_per_row: float  # median count() time per counted interaction
    items_per_row: float  # median interactions() time per returned interaction
    construct_per_row: float  # building the same Interaction objects directly


def measure_windows(
    log: ActivityLog, rows: list[Row], records: Records, budget: Budget, seed: int
) -> Windows:
    rng = random.Random(seed + 1)
    last_start = (records.size.days - 31) * 86_400
    repeats = budget.window_repeats
    times: dict[str, list[float]] = {k: [] for k in ("count", "items", "scan_count", "scan")}
    per_row: dict[str, list[float]] = {k: [] for k in ("count", "items", "construct")}
    problems: list[str] = []
    returned: list[int] = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(budget.windows):
            lo = START + dt.timedelta(seconds=rng.randrange(last_start))
            hi = _plus_month(lo)
            t_count, count = _timed(partial(log.count, lo, hi), repeats)
            t_items, items = _timed(partial(log.interactions, lo, hi), repeats)
            t_scan_count, scan_count = _timed(partial(_scan_count, rows, lo, hi), repeats)
            t_scan, scanned = _timed(partial(_scan, rows, lo, hi), repeats)
            # What interactions() would cost if making each returned object were only the
            # validated attrs construction (the log also decodes its columns).
            t_construct, _ = _timed(partial(_copy_all, items), repeats)
            for key, value in zip(times, (t_count, t_items, t_scan_count, t_scan), strict=True):
                times[key].append(value)
            k = max(1, len(items))
            per_row["count"].append(t_count / k)
            per_row["items"].append(t_items / k)
            per_row["construct"].append(t_construct / k)
            returned.append(count)
            where = f"[{lo.isoformat()}, {hi.isoformat()})"
            if not count == scan_count == len(items):
                problems.append(
                    f"{where}: count()={count}, len(interactions())={len(items)}, scan={scan_count}"
                )
            elif [_row(i) for i in items] != scanned:
                problems.append(f"{where}: interactions() differ from the scan's rows")
    finally:
        gc.enable()
    med = {k: statistics.median(v) for k, v in times.items()}
    label = f"median of {budget.windows} 1-month windows"
    return Windows(
        figures=[
            Figure(f"window count(): log / scan, {label}", med["count"], med["scan_count"], "s"),
            Figure("window interactions(): log / scan + sort", med["items"], med["scan"], "s"),
        ],
        problems=problems,
        returned=statistics.median(returned),
        count_per_row=statistics.median(per_row["count"]),
        items_per_row=statistics.median(per_row["items"]),
        construct_per_row=statistics.median(per_row["construct"]),
    )


def _copy_all(interactions: Sequence[Interaction]) -> list[Interaction]:
    return [
        Interaction(i.kind, i.at, i.contact, i.channel, i.direction, i.event, i.notes)
        for i in interactions
    ]


# -- report -----------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="typical", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    budget = BUDGETS[args.size]
    began = time.perf_counter()

    print(
        f"netplan {netplan.__version__} ActivityLog benchmark: python {platform.python_version()}"
        f" ({platform.python_implementation()}, {platform.system()} {platform.machine()}),"
        f" size={args.size}, seed={args.seed}"
    )
    records = generate_records(args.size, seed=args.seed)
    n = len(records.interactions)
    print(
        f"data: {len(records.contacts):,} contacts, {n:,} interactions"
        f" ({records.backdated:,} appended back-dated, in catch-up sessions),"
        f" generated in {time.perf_counter() - began:.1f} s"
    )

    # The records live to the end and hold no garbage: frozen, the million of them are
    # skipped by every later collection (each gc.collect() before a timing would
    # otherwise walk them all, about a second at the stress size).
    gc.collect()
    gc.freeze()
    try:
        return _measure(records, budget, began)
    finally:
        gc.unfreeze()


def _measure(records: Records, budget: Budget, began: float) -> int:
    n = len(records.interactions)
    phases = [time.perf_counter()]
    log_memory, list_memory, log, rows = measure_memory(records)
    phases.append(time.perf_counter())
    verdict = "PASS" if log_memory.per_interaction <= MEMORY_TARGET else "FAIL"
    figures = [
        Figure(
            "memory per interaction, beyond notes text",
            log_memory.per_interaction,
            list_memory.per_interaction,
            "B",
            f"<= {MEMORY_TARGET:.0f} B  {verdict}",
        ),
        Figure("  peak while appending", log_memory.peak, list_memory.peak, "B"),
    ]
    figures += measure_appends(records, budget, records.seed)
    phases.append(time.perf_counter())
    windows = measure_windows(log, rows, records, budget, records.seed)
    figures += windows.figures
    phases.append(time.perf_counter())

    print()
    print(table(figures))
    print()
    print("ratio = netplan / baseline (below 1: the log is smaller or faster); times are medians")
    print(
        f"memory: tracemalloc, bytes still held after appending all {n:,} interactions, less"
        f" their notes' UTF-8 bytes; {log_memory.in_module:.1%} of the log's were allocated"
        f" in netplan/core/, {list_memory.in_module:.1%} of the baseline's in this file"
    )
    print(
        "baseline: list of (datetime, contact id, kind, channel, direction, event id, notes)"
        " tuples, appended; queries scan it (interactions: scan, then sort by time)"
    )
    print(
        f"windows: {windows.returned:,.0f} interactions per window (median);"
        f" {budget.window_repeats} timing(s) each, fastest kept; count() takes"
        f" {fmt(windows.count_per_row, 's')} per counted interaction, interactions()"
        f" {fmt(windows.items_per_row, 's')} per returned one (constructing the same"
        f" Interaction directly: {fmt(windows.construct_per_row, 's')})"
    )
    memory_s, appends_s, windows_s = (b - a for a, b in itertools.pairwise(phases))
    print(
        f"total time {time.perf_counter() - began:.1f} s (memory {memory_s:.1f} s, appends"
        f" {appends_s:.1f} s, windows {windows_s:.1f} s)"
    )
    if windows.problems:
        print(f"FAILED: {len(windows.problems)} window(s) disagree with the scan:", file=sys.stderr)
        for problem in windows.problems[:10]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("all window results agree with the scan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
