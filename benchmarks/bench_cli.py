"""Benchmark whole ``netplan`` commands on a large SQLite store, against ``netplan --version``.

Usage::

    python -m benchmarks.bench_cli [--store linkedin|stress] [--seed N] [--runs 5]

Fills a SQLite store of 100,000 contacts, then times whole processes, as a person at a
terminal waits for them, interpreter start included. ``--store linkedin`` (the default):
the generated plan (its targets, segments and keep-in-touch rules), and a 100,000-row
LinkedIn Connections.csv imported into it (``benchmarks.bench_import``'s file; one
interaction per connection), as a person who imported their network has it. ``--store
stress``: the stress size's plan and log (1,000,000 interactions). The commands: ``netplan --version`` (the baseline: starting Python and
netplan, reading nothing; netplan's bytecode cached, as an installed netplan has it), ``netplan log coffee NAME`` (appending one interaction to a
contact named as a person types it), ``netplan review``, ``netplan agenda`` and
``netplan contacts`` (its first page). Plugins installed in the environment are left out
(``NETPLAN_PLUGINS=``): netplan's own work is timed. Each is run ``--runs`` times,
alternating with the baseline, and the median and range are printed, with the targets:
``log`` at most 3 times ``--version``, ``review`` and ``agenda`` at most 1.0 s, the first
page of ``contacts`` at most 0.5 s.

Exits with status 1 when a command fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._report import Figure, table
from benchmarks.bench_store import fill_sqlite
from benchmarks.generate import generate_records


def _run(command: Sequence[str], environ: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:])} failed ({done.returncode}): {done.stderr}")
    return seconds


def _imported(path: Path, folder: Path, seed: int) -> tuple[str, list[tuple[str, str]], int]:
    """A store holding the generated plan and a 100,000-row Connections.csv imported into
    it: the review day, the contacts (id, name) and the number of interactions."""
    import netplan
    from benchmarks.bench_import import connections_csv

    csv = folder / "Connections.csv"
    csv.write_bytes(connections_csv(100_000, seed))
    today = dt.date(2026, 12, 1)
    with netplan.open(f"sqlite://{path}", create=True) as store:
        saved = store.save(generate_records("10k", seed=seed).plan)
        netplan.import_files(store, saved.id, csv, today=today)
        log = store.load_log(saved.id)
        contacts = [(c.id, c.name) for c in log.contacts]
        return today.isoformat(), contacts, len(log)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", default="linkedin", choices=("linkedin", "stress"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="netplan-bench-cli-") as folder:
        path = Path(folder) / "netplan.db"
        began = time.perf_counter()
        if args.store == "stress":
            records = generate_records("stress", seed=args.seed)
            fill_sqlite(path, records)
            day = max(i.at for i in records.interactions).date().isoformat()
            contacts = [(c.id, c.name) for c in records.contacts]
            interactions = len(records.interactions)
        else:
            day, contacts, interactions = _imported(path, Path(folder), args.seed)
        # A contact as a person names one: by a name only they have, else (generated
        # names repeat) by the id `netplan contacts` lists.
        names = Counter(name.casefold() for _, name in contacts)
        chosen_id, chosen_name = contacts[len(contacts) // 2]
        who = chosen_name if names[chosen_name.casefold()] == 1 else chosen_id
        print(
            f"netplan commands on a SQLite store of {len(contacts):,} contacts and "
            f"{interactions:,} interactions ({args.store}, filled in "
            f"{time.perf_counter() - began:.0f} s), {args.runs} runs each"
        )
        # As an installed netplan runs: pip writes each module's bytecode when it
        # installs, so no command compiles netplan's sources (an environment that says
        # PYTHONDONTWRITEBYTECODE would have every run compile them, 0.2 s each). The
        # bytecode goes to a folder of the benchmark's own, written by a first,
        # untimed run of each command.
        environ = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(Path(folder) / "bytecode"),
            "NETPLAN_STORE": f"sqlite://{path}",
            "NETPLAN_PLUGINS": "",
            "NO_COLOR": "1",
        }
        netplan = [sys.executable, "-m", "netplan"]
        commands = {
            "log": [*netplan, "log", "coffee", who, "--at", f"{day} 12:00"],
            "review": [*netplan, "review", "--as-of", day],
            "agenda": [*netplan, "agenda", "--from", day],
            "contacts": [*netplan, "contacts"],
        }
        version = [*netplan, "--version"]
        _run(version, environ)
        for name in ("review", "contacts"):  # reads only: the store stays as filled
            _run(commands[name], environ)
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
