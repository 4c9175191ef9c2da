"""Benchmark importing a LinkedIn Connections.csv against a bare csv.DictReader pass.

Usage::

    python -m benchmarks.bench_import [--rows N] [--seed N]

Generates a Connections.csv of the 2024 layout (the ``Notes:`` preamble, seven columns,
about 95% empty emails, quoted commas, non-ASCII names) with ``--rows`` rows (default
100,000), and prints, each beside the same baseline (decoding the bytes and reading every
row with ``csv.DictReader``, measured in the same run):

* reading it (``LinkedInConnections().read``: header search, every row to a Person);
* importing it into an empty log (reading, identity resolution, applying); target: at
  most 3x the baseline;
* the peak memory of each (tracemalloc).
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import random
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import netplan
from benchmarks._report import Figure, table, timed
from netplan.formats.linkedin import LinkedInConnections
from netplan.importing import plan_import

TARGET = 3.0
FIRST = ["Ana", "Ben", "Zoë", "Eun-ji", "Gonzalo", "Priya", "Olu", "Mei", "Lars", "Ines"]
LAST = ["Silva", "Okafor", "Ngũgĩ", "Chen", "Dubois", "Rao", "Adeyemi", "Wang", "Berg"]
COMPANIES = ["Acme Fintech", "Sunrise Power", '"Wayne Analytics, Inc."', "Globex", "Initech"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def connections_csv(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for number in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle = f"{first}-{last}-{number:06d}".lower()
        email = f"{handle}@example.com" if rng.random() < 0.05 else ""
        day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2015, 2026)}"
        out.append(
            f"{first},{last},https://www.linkedin.com/in/{handle},{email},"
            f"{rng.choice(COMPANIES)},Engineer,{day}"
        )
    return "\n".join(out).encode("utf-8")


def baseline(data: bytes) -> int:
    """What a script would do: decode, skip the preamble, read every row."""
    text = data.decode("utf-8")
    body = text.split("\n", 3)[3]
    return sum(1 for _ in csv.DictReader(io.StringIO(body)))


def read(data: bytes) -> int:
    return len(LinkedInConnections().read("Connections.csv", data).people)


def import_all(data: bytes) -> int:
    parsed = LinkedInConnections().read("Connections.csv", data)
    log = netplan.ActivityLog()
    changes = plan_import(log, parsed, file="Connections.csv", format="linkedin_connections")
    changes.apply(log)
    return len(log.contacts)


def peak(run: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        run()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    data = connections_csv(args.rows, args.seed)
    print(
        f"netplan {netplan.__version__} import benchmark: python {platform.python_version()},"
        f" Connections.csv of {args.rows:,} rows ({len(data) / 1e6:.1f} MB)"
    )
    base = statistics.median(timed(lambda: baseline(data))[0] for _ in range(args.repeats))
    reading = statistics.median(timed(lambda: read(data))[0] for _ in range(args.repeats))
    importing = statistics.median(timed(lambda: import_all(data))[0] for _ in range(args.repeats))
    problems = []
    if import_all(data) != baseline(data):
        problems.append("the import holds a different number of contacts than rows read")
    base_peak = peak(lambda: baseline(data))
    verdict = "met" if importing <= TARGET * base else "MISSED"
    figures = [
        Figure("read every row to a Person", reading, base, "s"),
        Figure(
            "import into an empty log (read, resolve, apply)",
            importing,
            base,
            "s",
            f"≤ {TARGET:g}x: {verdict}",
        ),
        Figure("  peak memory of reading", peak(lambda: read(data)), base_peak, "B"),
        Figure("  peak memory of importing", peak(lambda: import_all(data)), base_peak, "B"),
    ]
    print(table(figures))
    print("baseline: decode the bytes, skip the preamble, csv.DictReader over every row")
    for problem in problems:
        print(f"WRONG: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
