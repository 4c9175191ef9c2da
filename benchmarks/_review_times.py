"""Time reviews of the seeded plan with the netplan of one checkout, and print them as JSON.

Run by ``bench_review --against REF`` in a subprocess, once per checkout in turn, so that
the code of this checkout and of an earlier one are timed alternately on the same machine:

    python benchmarks/_review_times.py CHECKOUT SIZE SEED [ZONE]

``CHECKOUT`` is the folder whose ``src/netplan`` and ``benchmarks/generate.py`` are used
(each checkout generates its own data, the same for the same size and seed). Prints the
medians, in seconds, of the full review of an indexed log (``full``), the first review of
a freshly loaded log (``first``), the week's agenda (``agenda``) and a re-review with a
``Reviewer`` after logging one interaction (``again``).
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import json
import statistics
import sys
import time
from typing import Any

REPEATS = 5


def main(checkout: str, size: str, seed: int, zone: str | None) -> dict[str, float]:
    sys.path[:0] = [f"{checkout}/src", checkout]
    import attrs

    import netplan
    from benchmarks.generate import build_log, generate_records

    records = generate_records(size, seed=seed)
    log = build_log(records)
    plan = records.plan if zone is None else attrs.evolve(records.plan, timezone=zone)
    last = max(row[0] for row in log.rows())
    as_of = (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=last)).date()
    week = as_of + dt.timedelta(days=7)

    def loaded() -> netplan.ActivityLog:
        if hasattr(netplan.ActivityLog, "from_batch"):
            return netplan.ActivityLog.from_batch(log.batch(), trusted=True)
        return netplan.ActivityLog.from_rows(  # a checkout before 0.3
            [*log.organizations, *log.contacts, *log.events()], list(log.rows()), trusted=True
        )

    def module(name: str) -> Any:
        # The checkout's module, where that checkout keeps it (netplan/core/ since 0.2).
        try:
            return importlib.import_module(f"netplan.core.{name}")
        except ImportError:
            return importlib.import_module(f"netplan.{name}")

    evaluation, pace, schedule = module("evaluation"), module("pace"), module("schedule")
    review = evaluation.review  # the core's: the metrics and rules it is given, no plugins

    def forget() -> None:
        evaluation._progress.cache_clear()
        pace.road_for.cache_clear()
        schedule.occurrences.cache_clear()

    gc.collect()
    gc.freeze()
    times: dict[str, list[float]] = {"full": [], "first": [], "agenda": []}
    for _ in range(REPEATS):
        fresh = loaded()
        # The first review builds the log's indexes; the second finds them built.
        for name in ("first", "full", "agenda"):
            forget()
            began = time.perf_counter()
            if name == "agenda":
                netplan.agenda(plan, fresh, as_of, week)
            else:
                review(plan, fresh, as_of)
            times[name].append(time.perf_counter() - began)
    # Log one more interaction and review again, with a Reviewer: as bench_review does.
    working = loaded()
    reviewer = netplan.Reviewer()
    now = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=last)
    day = (now + dt.timedelta(seconds=61)).date()
    reviewer.review(plan, working, day)
    times["again"] = []
    for number, contact in enumerate(c.id for c in records.contacts[:20]):
        at = now + dt.timedelta(seconds=number + 1)
        began = time.perf_counter()
        working.add(netplan.Interaction("coffee", at, contact=contact))
        reviewer.review(plan, working, day)
        times["again"].append(time.perf_counter() - began)
    return {name: statistics.median(values) for name, values in times.items()}


if __name__ == "__main__":
    checkout, size, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(main(checkout, size, seed, sys.argv[4] if len(sys.argv) > 4 else None)))
