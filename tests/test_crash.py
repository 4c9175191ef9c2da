"""Kill a writer with SIGKILL at random moments; the store must stay readable and keep
every write it promised.

``crash_worker.py`` saves revisions and adds interactions in a loop, printing a line after
each call returns. The test kills it 0 to 50 ms after its first promise of a run, reopens
the store and checks that:

* it opens (no CorruptStoreError);
* its revisions are 1..R with no gap, R at least the last one promised, and each equals
  the plan the worker built for that number (so nothing is torn or lost);
* the log holds exactly interactions 1..k in order, k at least the last one promised
  (an add is all or nothing, never half-written);
* after the next write, no temporary file of an interrupted atomic write remains (they
  may exist between a crash and the next write, and must not stop the store opening).

The same store is reused across the kills of one backend, so later runs also start from a
store that a killed process left behind. Runs per backend: NETPLAN_CRASH_RUNS (default 5;
``nox -s crash`` runs 100). The delays come from NETPLAN_CRASH_SEED (printed on failure).
"""

from __future__ import annotations

import importlib
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crash_worker import BACKENDS, CONTACT, PLAN_ID, interaction, open_store, plan_for
from netplan.core.errors import NotFoundError
from netplan.stores._files import is_temporary

WORKER = Path(__file__).with_name("crash_worker.py")
RUNS = int(os.environ.get("NETPLAN_CRASH_RUNS", "5"))
SEED = int(os.environ.get("NETPLAN_CRASH_SEED", "20261101"))
MAX_DELAY = 0.050
START_TIMEOUT = 30.0
FILE_NAMES = {"json": "plan.json", "sqlite": "plans.db"}


def _backend(scheme: str) -> None:
    stores = importlib.import_module("netplan.plugins.stores")
    assert hasattr(stores, BACKENDS[scheme]), f"no {scheme} backend to crash-test"


class Worker:
    """A crash_worker subprocess and the lines it has promised so far."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,  # raw pipe: select() sees exactly what is unread
        )
        self._pending = b""
        self.lines: list[str] = []

    def _read_available(self, timeout: float) -> bool:
        """Read what the pipe holds, waiting up to ``timeout``; False at end of file."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return True
        chunk = os.read(self.process.stdout.fileno(), 65536)
        if not chunk:
            return False
        *complete, self._pending = (self._pending + chunk).split(b"\n")
        self.lines.extend(line.decode() for line in complete)
        return True

    def wait_for_first_commit(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not any(line.startswith("committed") for line in self.lines):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read_available(remaining):
                self.fail("did not commit a revision")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        # Lines written before the kill are still in the pipe; a partial last line (not
        # possible for writes this small, but cheap to rule out) stays in _pending.
        while self._read_available(0):
            pass
        if self.process.returncode != -signal.SIGKILL:
            self.fail(f"exited by itself with status {self.process.returncode}")

    def last(self, word: str) -> int:
        numbers = [int(line.split()[1]) for line in self.lines if line.startswith(word)]
        return max(numbers, default=0)

    def fail(self, what: str) -> None:
        if self.process.returncode is None:
            self.process.kill()
            self.process.wait()
        assert self.process.stderr is not None
        stderr = self.process.stderr.read().decode(errors="replace")
        pytest.fail(f"crash worker {what} (seed {SEED})\nstdout: {self.lines}\nstderr:\n{stderr}")

    def close(self) -> None:
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def check_store(
    url: str,
    promised_revision: int,
    promised_adds: int,
    context: str,
    *,
    verified: int = 0,
    rng: random.Random | None = None,
) -> tuple[int, int]:
    """Check the store after a kill; return its number of revisions and interactions.

    Revisions after ``verified`` (checked after an earlier kill) are compared with what
    the worker saved, and with ``rng`` a few older ones; without it, all of them. Damage
    to an old revision would persist in the store, so the final full check still finds
    it, while each run's check stays proportional to what the run wrote.
    """
    store = open_store(url, create=False)
    try:
        revisions = store.revisions(PLAN_ID)
        head = len(revisions)
        assert revisions == tuple(range(1, head + 1)), context
        # Saves are numbered in order, so at most one unreported save can have landed.
        assert promised_revision <= head <= promised_revision + 1, f"{context}: {head} saved"
        older = range(1, min(verified, head) + 1)
        sample = set(rng.sample(older, min(3, len(older)))) if rng is not None else set(older)
        for number in sorted(sample | set(range(min(verified, head) + 1, head + 1))):
            assert store.load(PLAN_ID, number) == plan_for(number), f"{context}, rev {number}"
        log = store.load_log(PLAN_ID)
        count = len(log)
        assert promised_adds <= count <= promised_adds + 1, f"{context}: {count} added"
        assert list(log) == [interaction(n) for n in range(1, count + 1)], context
        assert log.contacts == ((CONTACT,) if count else ()), context
        return head, count
    finally:
        store.close()


@pytest.mark.parametrize("scheme", ["json", "sqlite"])
def test_killed_writer_never_corrupts_the_store_nor_loses_a_commit(
    scheme: str, tmp_path: Path
) -> None:
    _backend(scheme)
    url = f"{scheme}://{tmp_path / FILE_NAMES[scheme]}"
    rng = random.Random(f"{SEED}-{scheme}")
    # What the store held when the run's worker started: the worker continues from it, so
    # a save or add that landed unreported before an earlier kill is promised from then on.
    stored_revision = stored_adds = 0
    for run in range(RUNS):
        worker = Worker(url)
        try:
            worker.wait_for_first_commit()
            time.sleep(rng.uniform(0, MAX_DELAY))
            worker.kill()
        finally:
            worker.close()
        context = f"{scheme} run {run} (seed {SEED}), worker said {worker.lines[-3:]}"
        promised_revision = max(stored_revision, worker.last("committed"))
        promised_adds = max(stored_adds, worker.last("added"))
        stored_revision, stored_adds = check_store(
            url, promised_revision, promised_adds, context, verified=stored_revision, rng=rng
        )

    check_store(url, stored_revision, stored_adds, f"{scheme} after {RUNS} runs, full check")
    # Temporary files of interrupted writes may be left until the next write; that write
    # (by a fresh process's store object) removes them, and they never stop an open.
    store = open_store(url, create=False)
    try:
        head = store.revisions(PLAN_ID)[-1]
        store.save(plan_for(head))
    finally:
        store.close()
    target = tmp_path / FILE_NAMES[scheme]
    leftovers = [p.name for p in tmp_path.iterdir() if is_temporary(p, target)]
    assert leftovers == []


def test_a_missing_plan_is_reported_not_a_crash(tmp_path: Path) -> None:
    # The worker relies on NotFoundError to start a new plan in a fresh store.
    store = open_store(f"json://{tmp_path / 'plan.json'}", create=True)
    with pytest.raises(NotFoundError):
        store.revisions(PLAN_ID)
