"""Benchmark importing a LinkedIn Connections.csv against a bare csv.DictReader pass.

Usage::

    python -m benchmarks.bench_import [--rows N] [--seed N] [--names realistic|few]

Generates a Connections.csv of the 2024 layout (the ``Notes:`` preamble, seven columns,
about 95% empty emails, quoted commas, non-ASCII names) with ``--rows`` rows (default
100,000), and prints, each beside the same baseline (decoding the bytes and reading every
row with ``csv.DictReader``, measured in the same run):

* reading it (``LinkedInConnections().read``: header search, every row, column by
  column);
* importing it into an empty log (reading, identity resolution, applying); target: at
  most 3x the baseline;
* reading every contact of the log once afterwards: an import makes each contact when it
  is first read, so this is the work it leaves for later, shown rather than hidden;
* ``netplan.import_files`` into a new SQLite store (target: at most 3x the baseline) and
  a new JSON store (at most 4x), as ``netplan import`` does, the JSON one timed once;
* the peak memory of reading and importing (tracemalloc).

Names are realistic by default: mostly distinct, with common surnames repeated, and
companies with a long tail (``--names few`` gives the first generator's 90 names).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import platform
import random
import statistics
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import netplan
from benchmarks._report import Figure, table, timed
from benchmarks.generate import _FIRST, _LAST, _ORG_PREFIX, _ORG_SUFFIX
from netplan.core.importing import plan_import
from netplan.formats.linkedin import LinkedInConnections

TARGET = 3.0
STORE_TARGETS = {"sqlite": 3.0, "json": 4.0}
"""The bars of issue 15: ``netplan import`` of the file into a new store, against the
baseline."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Syllables for made-up surnames and company names: a real network's names are mostly
# distinct, with a few common ones repeated (and per-name work, such as an id, shows).
SYLLABLES = ("ka", "lo", "mi", "ra", "den", "sor", "vel", "tan", "bri", "mon", "esh", "ul",
             "gar", "fen", "zi", "wa", "ro", "lin", "das", "qu")  # fmt: skip
BIG_EMPLOYERS = [
    "Acme Fintech", "Sunrise Power", '"Wayne Analytics, Inc."', "Globex", "Initech",
    *(f"{prefix} {suffix}" for prefix in _ORG_PREFIX for suffix in _ORG_SUFFIX),
]  # fmt: skip
# --names few: the generator of the first figures (90 names, 5 companies in all).
FEW_FIRST = ["Ana", "Ben", "Zoë", "Eun-ji", "Gonzalo", "Priya", "Olu", "Mei", "Lars", "Ines"]
FEW_LAST = ["Silva", "Okafor", "Ngũgĩ", "Chen", "Dubois", "Rao", "Adeyemi", "Wang", "Berg"]


def _made_up(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).title()


def person(rng: random.Random, names: str) -> tuple[str, str, str]:
    """First name, last name and company of one connection."""
    if names == "few":
        return rng.choice(FEW_FIRST), rng.choice(FEW_LAST), rng.choice(BIG_EMPLOYERS[:5])
    # A third of surnames common ones (many "Priya Sharma"s), the rest rarer; half of
    # the companies a few hundred big employers, the rest a long tail.
    last = rng.choice(_LAST) if rng.random() < 0.3 else _made_up(rng, 3)
    company = (
        rng.choice(BIG_EMPLOYERS)
        if rng.random() < 0.5
        else f"{_made_up(rng, 2)} {rng.choice(_ORG_SUFFIX)}"
    )
    return rng.choice(_FIRST), last, company


def connections_csv(rows: int, seed: int, names: str = "realistic") -> bytes:
    rng = random.Random(seed)
    out = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for number in range(rows):
        first, last, company = person(rng, names)
        handle = f"{first}-{last}-{number:06d}".lower()
        email = f"{handle}@example.com" if rng.random() < 0.05 else ""
        day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2015, 2026)}"
        out.append(
            f"{first},{last},https://www.linkedin.com/in/{handle},{email},{company},Engineer,{day}"
        )
    return "\n".join(out).encode("utf-8")


def baseline(data: bytes) -> int:
    """What a script would do: decode, skip the preamble, read every row."""
    text = data.decode("utf-8")
    body = text.split("\n", 3)[3]
    return sum(1 for _ in csv.DictReader(io.StringIO(body)))


def read(data: bytes) -> int:
    return len(LinkedInConnections().read("Connections.csv", data).people)


def import_all(data: bytes) -> netplan.ActivityLog:
    parsed = LinkedInConnections().read("Connections.csv", data)
    log = netplan.ActivityLog()
    changes = plan_import(log, parsed, file="Connections.csv", format="linkedin_connections")
    changes.apply(log)
    return log


def into_store(data: bytes, kind: str) -> float:
    """The seconds ``netplan.import_files`` takes to import the file into a new store of
    ``kind`` (the default host's importers, as ``netplan import`` does): reading,
    resolving, and writing every contact and interaction to the store's file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Connections.csv"
        path.write_bytes(data)
        store = netplan.open(f"{kind}://{Path(folder) / 'plans'}.{kind}", create=True)
        store.save(netplan.Plan("Sam", start=dt.date(2026, 1, 1)))
        seconds, _ = timed(
            lambda: netplan.import_files(store, "sam", path, today=dt.date(2026, 12, 1))
        )
        added = len(store.load_log("sam").contacts)
        store.close()
    if added != baseline(data):
        raise AssertionError(f"the {kind} store holds {added:,} contacts, not one per row")
    return seconds


def first_read(data: bytes) -> tuple[float, Any]:
    """The time to read every contact of a fresh import once: contacts an import adds
    are made when first read, so this is the part of the work the import leaves."""
    log = import_all(data)
    return timed(lambda: log.contacts)


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
    parser.add_argument(
        "--names",
        choices=("realistic", "few"),
        default="realistic",
        help="realistic: mostly distinct names and a long tail of companies (default); "
        "few: 90 names and 5 companies, the generator of the first figures",
    )
    args = parser.parse_args(argv)
    data = connections_csv(args.rows, args.seed, args.names)
    print(
        f"netplan {netplan.__version__} import benchmark: python {platform.python_version()},"
        f" Connections.csv of {args.rows:,} rows ({len(data) / 1e6:.1f} MB, {args.names} names)"
    )
    base = statistics.median(timed(lambda: baseline(data))[0] for _ in range(args.repeats))
    reading = statistics.median(timed(lambda: read(data))[0] for _ in range(args.repeats))
    importing = statistics.median(timed(lambda: import_all(data))[0] for _ in range(args.repeats))
    reading_contacts = statistics.median(first_read(data)[0] for _ in range(args.repeats))
    problems = []
    log = import_all(data)
    if not len(log.contacts) == len(log) == baseline(data):
        problems.append("the import holds a different number of contacts than rows read")
    del log
    base_peak = peak(lambda: baseline(data))
    stored = {
        kind: statistics.median(into_store(data, kind) for _ in range(repeats))
        for kind, repeats in (("sqlite", args.repeats), ("json", 1))
    }
    verdict = "met" if importing <= TARGET * base else "MISSED"
    figures = [
        Figure("read every row (People, by column)", reading, base, "s"),
        Figure(
            "import into an empty log (read, resolve, apply)",
            importing,
            base,
            "s",
            f"≤ {TARGET:g}x: {verdict}",
        ),
        Figure("then read every contact once", reading_contacts, base, "s", "(made when read)"),
        *(
            Figure(
                f"netplan import into a new {kind} store",
                stored[kind],
                base,
                "s",
                f"≤ {target:g}x: {'met' if stored[kind] <= target * base else 'MISSED'}",
            )
            for kind, target in (
                ("sqlite", STORE_TARGETS["sqlite"]),
                ("json", STORE_TARGETS["json"]),
            )
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
