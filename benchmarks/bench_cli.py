"""Benchmark whole ``netplan`` commands on a large SQLite store, against ``netplan --version``.

Usage::

    python -m benchmarks.bench_cli [--size stress] [--seed N] [--runs 5]

Fills a SQLite store with the generated plan and log (the stress size: 100,000 contacts and
1,000,000 interactions), then times whole processes, as a person at a terminal waits for
them, interpreter start included: ``netplan --version`` (the baseline: starting Python and
netplan, reading nothing), ``netplan log coffee NAME`` (appending one interaction to a
contact named as a person types it), ``netplan review``, ``netplan agenda`` and
``netplan contacts`` (its first page). Each is run ``--runs`` times, alternating with the
baseline, and the median and range are printed, with the targets: ``log`` at most 3 times
``--version``, ``review`` and ``agenda`` at most 1.0 s, the first page of ``contacts`` at
most 0.5 s.

Exits with status 1 when a command fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._report import Figure, table
from benchmarks.bench_store import fill_sqlite
from benchmarks.generate import SIZES, generate_records


def _run(command: Sequence[str], environ: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:])} failed ({done.returncode}): {done.stderr}")
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="stress", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    records = generate_records(args.size, seed=args.seed)
    last = max(i.at for i in records.interactions)
    day = last.date().isoformat()
    # A contact as a person names one: by name, in their own case.
    who = records.contacts[len(records.contacts) // 2].name
    with tempfile.TemporaryDirectory(prefix="netplan-bench-cli-") as folder:
        path = Path(folder) / "netplan.db"
        _, filled = fill_sqlite(path, records)
        print(
            f"netplan commands on a SQLite store of {len(records.contacts):,} contacts and "
            f"{len(records.interactions):,} interactions (filled in {filled:.0f} s), "
            f"{args.runs} runs each"
        )
        environ = {**os.environ, "NETPLAN_STORE": f"sqlite://{path}", "NO_COLOR": "1"}
        netplan = [sys.executable, "-m", "netplan"]
        commands = {
            "log": [*netplan, "log", "coffee", who, "--at", f"{day} 12:00"],
            "review": [*netplan, "review", "--as-of", day],
            "agenda": [*netplan, "agenda", "--from", day],
            "contacts": [*netplan, "contacts"],
        }
        version = [*netplan, "--version"]
        times: dict[str, list[float]] = {name: [] for name in ("version", *commands)}
        for _ in range(args.runs):
            for name, command in commands.items():
                times["version"].append(_run(version, environ))
                times[name].append(_run(command, environ))
    base = statistics.median(times["version"])
    figures = []
    for name, samples in times.items():
        if name == "version":
            continue
        median = statistics.median(samples)
        spread = f"{min(samples):.2f} to {max(samples):.2f} s"
        if name == "log":
            target = f"≤ 3x --version: {'met' if median <= 3 * base else 'MISSED'} ({spread})"
        else:
            limit = 0.5 if name == "contacts" else 1.0
            target = f"≤ {limit} s: {'met' if median <= limit else 'MISSED'} ({spread})"
        figures.append(Figure(f"netplan {name} / netplan --version", median, base, "s", target))
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
