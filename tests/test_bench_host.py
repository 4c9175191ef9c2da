"""A second of benchmarks/bench_host.py: two users, two threads sharing a SQLite store,
every request kind run, and no error, no leak and nothing stored that a request did not
return (the benchmark's own checks, which the full run relies on)."""

from __future__ import annotations

import sys
from pathlib import Path

import netplan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the benchmarks package

from benchmarks.bench_host import KINDS, User, _foreign, audit, run_requests, seed_users


def test_the_leak_check_sees_another_users_name() -> None:
    user = User("user-00", "00", ("lena-berg-user00",))
    assert _foreign(user, ["lena-berg-user00", "user-00", None]) == []
    assert _foreign(user, ["lena-berg-user00", "omar-khan-user01"]) == ["user01"]


def test_a_short_run_of_two_threads(tmp_path: Path) -> None:
    with netplan.open(f"sqlite://{tmp_path / 'plans.db'}", create=True) as store:
        users = seed_users(store, users=2, contacts=20, interactions=100, seed=7)
        outcome = run_requests(store, users, threads=2, seconds=1.0, folder=tmp_path, seed=7)
        checked = audit(store, users, [outcome])
    assert outcome.errors == {}, outcome.tracebacks
    assert all(outcome.times[kind] for kind in KINDS), {k: len(outcome.times[k]) for k in KINDS}
    assert outcome.leaks == [] and checked.leaks == []
    assert checked.mismatches == []
    assert checked.plans == 2
    assert checked.stored == checked.logged > 0
    assert checked.stored_imports == checked.imported > 0
