"""Benchmark one store shared by the threads of a host serving many users (issue 16).

Usage::

    python -m benchmarks.bench_host [--seconds 60] [--threads 8] [--users 50] [--rounds 3]
        [--store sqlite --store postgresql] [--postgres URL] [--seed N] [--dir PATH]

A host (a coaching platform) opens one store and serves every user's requests from a
pool of threads. This benchmark seeds ``--users`` plans (``user-00``, ``user-01``...),
each with ``--contacts`` contacts and ``--interactions`` interactions from
benchmarks/generate.py (not timed), then, for each store, runs requests for ``--seconds``
seconds from one thread and as long from ``--threads`` threads, in ``--rounds``
alternating slices (1, 8; 8, 1; 1, 8: a change in the machine's load lands on both), on
one store object opened after seeding and shared by every thread. A request is what a
host does for one user, picked at random by a seeded generator per thread:

* ``log`` (50%): append one interaction with one of the user's contacts (``store.add``);
* ``review`` (20%): load the plan and its log, ``netplan.review`` as of a fixed day;
* ``agenda`` (20%): load the plan and its log, ``netplan.agenda`` of the week from that day;
* ``import`` (10%): ``netplan.import_files`` of a small vCard (4 new people) into the plan;
  one refused with ``ConflictError`` (another write to the plan's log landed while it was
  planned: nothing written, "run it again") is run again, as a host would, and counted.

It prints, for each store, the requests per second of both thread counts and their
ratio, the median and 99th percentile of each kind of request, errors and cross-tenant
leaks, with a PASS or FAIL per target of the issue: no error, no leak, the threads'
throughput at least 1x the single thread's on SQLite and 1.5x on PostgreSQL, a review's
p99 at most 10x its median. Every name in a user's data carries the user's number
(``lena-berg-user07``), so a response for ``user-07`` naming another number is a leak.
Responses are checked after each request (outside its timing); at the end every plan's
whole stored log is, and the interactions and contacts stored are compared with the
requests that returned: one that raised must have stored nothing, one that returned
exactly what it added, once.

PostgreSQL runs when ``--postgres URL`` or ``NETPLAN_TEST_POSTGRES`` names a server, in a
schema of its own (``bench_host_<pid>``) dropped afterwards. Exits with status 1 on an
error, a leak or a mismatch between requests and what was stored (a wrong result); a
missed speed target is reported as FAIL but does not change the status.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import datetime as dt
import itertools
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import attrs

import netplan
from benchmarks._report import aligned, fmt, ratio
from benchmarks.generate import Records, Size, build_log, generate_records
from netplan import UTC, ActivityLog, Event, Interaction, Plan
from netplan.storage import Store, add_batch

KINDS = ("log", "review", "agenda", "import")
MIX = (0.5, 0.2, 0.2, 0.1)
"""Shares of the request kinds, in the order of :data:`KINDS`."""
_BELOW = tuple(itertools.accumulate(MIX))  # a draw below the k-th is the k-th kind
USERS, CONTACTS, INTERACTIONS, THREADS, SECONDS = 50, 200, 2_000, 8, 60.0
REVIEW_DAY = dt.date(2026, 12, 6)
"""The day every review is as of and every agenda starts on: never the clock."""
AGENDA_DAYS = 7
LOG_START = dt.datetime(2026, 12, 2, 8, tzinfo=UTC)
"""Logged interactions fall after the seeded ones (which end on 2026-12-01) and before
the review day, as what a person logs the same week."""
IMPORT_PEOPLE = 4
IMPORT_ATTEMPTS = 50
"""An import refused with ConflictError (the plan's log changed while it was planned) is
run again, as its message asks and a host would, up to this many times in all."""
LOG_KINDS = ("message", "follow_up", "coffee", "call")
SPEEDUP_TARGETS = {"sqlite": 1.0, "postgresql": 1.5}
"""The threads' requests per second over the single thread's, at least."""
REVIEW_TAIL_TARGET = 10.0
CONTROL_SECONDS = 1.0
"""How long the control (:func:`control`) runs before each slice of requests."""
"""A review's p99 over its median, at most."""
NOTE_MARK = "bench-log"
IMPORT_MARK = "imp"
TOKEN = re.compile(r"user-?(\d+)", re.IGNORECASE)
"""The user number every name of a user's data carries: ``user07``, ``user-07``."""
FIRST_NAMES = ("Ana", "Ben", "Chloé", "Dev", "Eun-ji", "Farid", "Greta", "Hugo")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# -- the users' data --------------------------------------------------------------------
@dataclass(frozen=True)
class User:
    """One user of the host: their plan's id, their number, their contacts' ids."""

    plan_id: str
    number: str
    contacts: tuple[str, ...]

    @property
    def tag(self) -> str:
        return f"user{self.number}"


def _tagged(records: Records, number: str) -> tuple[Plan, ActivityLog]:
    """The generated records as user ``number``'s: every id, name, email and note of
    theirs carries ``user<number>``, references renamed to match."""
    tag = f"user{number}"
    org_ids = {o.id: f"{o.id}-{tag}" for o in records.organizations}
    event_ids = {e.id: f"{e.id}-{tag}" for e in records.events}
    contact_ids = {c.id: f"{c.id}-{tag}" for c in records.contacts}

    def email(address: str) -> str:
        local, _, domain = address.partition("@")
        return f"{local}.{tag}@{domain}"

    organizations = [
        attrs.evolve(o, id=org_ids[o.id], name=f"{o.name} {tag}") for o in records.organizations
    ]
    contacts = [
        attrs.evolve(
            c,
            id=contact_ids[c.id],
            name=f"{c.name} {tag}",
            emails=tuple(email(e) for e in c.emails),
            organization=None if c.organization is None else org_ids[c.organization],
            introduced_by=None if c.introduced_by is None else contact_ids[c.introduced_by],
            profiles=tuple(f"{p}-{tag}" for p in c.profiles),
        )
        for c in records.contacts
    ]
    events: list[Event] = [
        attrs.evolve(
            e,
            id=event_ids[e.id],
            organizer=None if e.organizer is None else org_ids[e.organizer],
        )
        for e in records.events
    ]
    interactions = [
        Interaction(
            i.kind,
            i.at,
            None if i.contact is None else contact_ids[i.contact],
            i.channel,
            i.direction,
            None if i.event is None else event_ids[i.event],
            f"{i.notes} [{tag}]" if i.notes else "",
        )
        for i in records.interactions
    ]
    actions = tuple(
        a if a.organization is None else attrs.evolve(a, organization=org_ids[a.organization])
        for a in records.plan.actions
    )
    plan = attrs.evolve(records.plan, person=f"User {number}", id=f"user-{number}", actions=actions)
    tagged = dataclasses.replace(
        records,
        plan=plan,
        organizations=tuple(organizations),
        contacts=tuple(contacts),
        events=tuple(events),
        interactions=tuple(interactions),
    )
    return plan, build_log(tagged)


def seed_users(
    store: Store,
    users: int = USERS,
    contacts: int = CONTACTS,
    interactions: int = INTERACTIONS,
    *,
    seed: int = 2026,
) -> list[User]:
    """``users`` plans in ``store``, each with its own generated contacts and
    interactions (a seed per user), written as one batch per plan."""
    size = Size(
        contacts=contacts,
        interactions=interactions,
        organizations=max(1, contacts // 20),
        events=max(1, contacts // 10),
        days=700,  # 2025-01-01 to 2026-12-01, before LOG_START and REVIEW_DAY
    )
    made = []
    for n in range(users):
        number = f"{n:02d}"
        plan, log = _tagged(generate_records(size, seed=seed * 1_000 + n), number)
        store.save(plan)
        add_batch(store, plan.id, log.batch())
        made.append(User(plan.id, number, tuple(c.id for c in log.contacts)))
    return made


# -- leaks ------------------------------------------------------------------------------
def _foreign(user: User, texts: Iterable[str | None]) -> list[str]:
    """The other users' numbers named in ``texts``."""
    found = TOKEN.findall("\n".join(t for t in texts if t))
    return [f"user{n}" for n in found if n != user.number]


def _log_texts(log: ActivityLog) -> Iterator[str | None]:
    """What a loaded log names that a request's check looks at, cheaply (the audit at the
    end reads everything): every contact's id, and the interactions of the runs (those
    logged from :data:`LOG_START` on, where another user's would land)."""
    for contact in log.contacts:
        yield contact.id
    for interaction in log.interactions(LOG_START):
        yield interaction.contact
        yield interaction.notes


def _stored_texts(plan: Plan, log: ActivityLog) -> Iterator[str | None]:
    """Everything a stored plan's data names, for the audit at the end."""
    yield plan.id
    yield plan.person
    for c in log.contacts:
        yield c.id
        yield c.name
        yield from c.emails
        yield c.organization
        yield c.introduced_by
    for o in log.organizations:
        yield o.id
        yield o.name
    for e in log.events():
        yield e.id
        yield e.organizer
    for row in log.rows():
        yield row[1]
        yield row[5]
        yield row[6]


# -- requests ---------------------------------------------------------------------------
@dataclass
class _Worker:
    """One thread's requests: what it measured and what it expects to find stored."""

    store: Store
    users: Sequence[User]
    run: int
    thread: int
    rng: random.Random
    folder: Path
    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: Counter[str] = field(default_factory=Counter)
    tracebacks: dict[str, str] = field(default_factory=dict)
    leaks: list[str] = field(default_factory=list)
    checking: float = 0.0
    logged: dict[str, set[str]] = field(default_factory=dict)
    """Per plan, the notes of the log requests that returned."""
    failed_logs: dict[str, set[str]] = field(default_factory=dict)
    """Per plan, the notes of the log requests that raised."""
    imported: dict[str, set[str]] = field(default_factory=dict)
    """Per plan, the ids of the contacts the imports that returned added."""
    failed_imports: dict[str, set[str]] = field(default_factory=dict)
    """Per plan, the names of the people of the imports that raised."""
    conflicts: int = 0
    """Imports refused with ConflictError and run again."""
    most_attempts: int = 1
    """The most attempts one import took."""
    calls: int = 0
    finished: int = 0
    """Requests that ended before the run's deadline."""

    def request(self) -> None:
        call = self.calls
        self.calls += 1
        user = self.users[self.rng.randrange(len(self.users))]
        draw = self.rng.random()
        kind = KINDS[min(bisect.bisect_right(_BELOW, draw), len(KINDS) - 1)]
        do: Callable[[User, int], Callable[[], list[str]]] = getattr(self, f"_{kind}")
        began = time.perf_counter()
        try:
            check = do(user, call)
        except Exception as error:
            elapsed = time.perf_counter() - began
            self.times[kind].append(elapsed)
            message = str(error).splitlines()[0][:160] if str(error) else ""
            key = f"{kind}: {type(error).__name__}: {message}"
            self.errors[key] += 1
            self.tracebacks.setdefault(key, traceback.format_exc())
            return
        self.times[kind].append(time.perf_counter() - began)
        began = time.perf_counter()
        try:
            self.leaks.extend(f"{kind} of {user.plan_id} named {leak}" for leak in check())
        except Exception as error:  # a response that cannot be checked is wrong
            key = f"{kind} (checking): {type(error).__name__}: {error}"
            self.errors[key] += 1
            self.tracebacks.setdefault(key, traceback.format_exc())
        self.checking += time.perf_counter() - began

    def _log(self, user: User, call: int) -> Callable[[], list[str]]:
        note = f"{NOTE_MARK} {user.tag} r{self.run} t{self.thread} n{call}"
        interaction = Interaction(
            self.rng.choice(LOG_KINDS),
            LOG_START + dt.timedelta(seconds=call, microseconds=self.thread),
            contact=self.rng.choice(user.contacts),
            notes=note,
        )
        try:
            self.store.add(user.plan_id, interaction)
        except BaseException:
            self.failed_logs.setdefault(user.plan_id, set()).add(note)
            raise
        self.logged.setdefault(user.plan_id, set()).add(note)
        # add() returns nothing to check: where the row landed is the audit's to see.
        return list

    def _loaded(self, user: User) -> tuple[Plan, ActivityLog]:
        return self.store.load(user.plan_id), self.store.load_log(user.plan_id)

    def _review(self, user: User, call: int) -> Callable[[], list[str]]:
        plan, log = self._loaded(user)
        review = netplan.review(plan, log, REVIEW_DAY)

        def check() -> list[str]:
            if review.plan != user.plan_id:
                return [f"the review of plan {review.plan}"]
            texts = [text for f in review.findings for text in (f.subject.id, f.message)]
            return _foreign(user, [plan.id, *texts, *_log_texts(log)])

        return check

    def _agenda(self, user: User, call: int) -> Callable[[], list[str]]:
        plan, log = self._loaded(user)
        week = netplan.agenda(plan, log, REVIEW_DAY, REVIEW_DAY + dt.timedelta(AGENDA_DAYS))

        def check() -> list[str]:
            texts = [text for i in week.items for text in (i.contact, i.reason)]
            return _foreign(user, [plan.id, *texts, *_log_texts(log)])

        return check

    def _import(self, user: User, call: int) -> Callable[[], list[str]]:
        people = [
            (self.rng.choice(FIRST_NAMES), f"{IMPORT_MARK}{self.run}t{self.thread}n{call}k{k}")
            for k in range(IMPORT_PEOPLE)
        ]
        cards = "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last} {user.tag};{first};;;\r\n"
            f"FN:{first} {last} {user.tag}\r\nEMAIL:{last}@{user.tag}.example.org\r\n"
            f"TEL:+1-555-0{call % 1000:03d}\r\nTITLE:Engineer\r\nEND:VCARD\r\n"
            for first, last in people
        )
        path = self.folder / "contacts.vcf"
        path.write_text(cards, encoding="utf-8")
        try:
            for attempt in range(1, IMPORT_ATTEMPTS + 1):
                try:
                    imported = netplan.import_files(
                        self.store, user.plan_id, path, today=REVIEW_DAY
                    )
                    break
                except netplan.ConflictError:
                    # Another write to the plan's log landed while the import was being
                    # planned: nothing was written, and the error says to run it again.
                    self.conflicts += 1
                    self.most_attempts = max(self.most_attempts, attempt + 1)
                    if attempt == IMPORT_ATTEMPTS:
                        raise
        except BaseException:
            failed = self.failed_imports.setdefault(user.plan_id, set())
            failed.update(last for _, last in people)
            raise
        added = [contact for report in imported.reports for contact in report.added]
        merged = [contact for report in imported.reports for contact in report.merged]
        if len(added) != IMPORT_PEOPLE or merged:
            raise AssertionError(
                f"the import of {IMPORT_PEOPLE} new people added {added} and merged {merged}"
            )
        self.imported.setdefault(user.plan_id, set()).update(added)
        return lambda: _foreign(user, [*added, str(imported)])


@dataclass
class Outcome:
    """What one run of ``threads`` threads measured, its workers merged."""

    threads: int
    seconds: float
    """How long the requests ran (the sum of the runs' for runs combined)."""
    finished: int
    """Requests that returned or raised within ``seconds``: those the last ones of each
    thread still running at the end are timed but not counted in the rate."""
    rates: list[float]
    """Requests per second of each run combined into this outcome."""
    times: dict[str, list[float]]
    errors: Counter[str]
    tracebacks: dict[str, str]
    leaks: list[str]
    checking: float
    conflicts: int
    most_attempts: int
    logged: dict[str, set[str]]
    failed_logs: dict[str, set[str]]
    imported: dict[str, set[str]]
    failed_imports: dict[str, set[str]]

    @property
    def requests(self) -> int:
        return sum(len(t) for t in self.times.values())

    @property
    def rate(self) -> float:
        return self.finished / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile(self, kind: str, percent: int) -> float:
        return _percentile(self.times[kind], percent)


def _percentile(values: Sequence[float], percent: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1 or percent == 50:
        return statistics.median(values)
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _merge(threads: int, seconds: float, workers: Sequence[_Worker | Outcome]) -> Outcome:
    """The workers of one run as its outcome, or the outcomes of several runs as one."""

    def union(name: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for worker in workers:
            for plan_id, values in getattr(worker, name).items():
                out.setdefault(plan_id, set()).update(values)
        return out

    tracebacks: dict[str, str] = {}
    for worker in workers:
        for key, text in worker.tracebacks.items():
            tracebacks.setdefault(key, text)
    return Outcome(
        threads=threads,
        seconds=seconds,
        finished=sum(w.finished for w in workers),
        rates=[r for w in workers if isinstance(w, Outcome) for r in w.rates],
        times={k: [t for w in workers for t in w.times[k]] for k in KINDS},
        errors=sum((w.errors for w in workers), Counter()),
        tracebacks=tracebacks,
        leaks=[leak for w in workers for leak in w.leaks],
        checking=sum(w.checking for w in workers),
        conflicts=sum(w.conflicts for w in workers),
        most_attempts=max((w.most_attempts for w in workers), default=1),
        logged=union("logged"),
        failed_logs=union("failed_logs"),
        imported=union("imported"),
        failed_imports=union("failed_imports"),
    )


def control(threads: int, seconds: float) -> float:
    """Loops per second of pure Python from ``threads`` threads for ``seconds``: work the
    interpreter lock lets no two threads do at once, so its ratio of ``threads`` threads
    over one is what threads gain from the machine alone (more of its time when other
    processes compete for it), not from running anything at the same time. Measured
    just before each slice of requests, as the same conditions' baseline."""
    counts = [0] * threads
    deadline: list[float] = []
    start = threading.Barrier(
        threads, action=lambda: deadline.append(time.perf_counter() + seconds)
    )

    def work(n: int) -> None:
        start.wait()
        end, done = deadline[0], 0
        while time.perf_counter() < end:
            sum(range(1_000))
            done += 1
        counts[n] = done

    running = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for runner in running:
        runner.start()
    for runner in running:
        runner.join()
    return sum(counts) / seconds


def run_requests(
    store: Store,
    users: Sequence[User],
    *,
    threads: int,
    seconds: float,
    folder: Path,
    seed: int = 2026,
    run: int = 0,
) -> Outcome:
    """Requests from ``threads`` threads sharing ``store`` for ``seconds`` seconds.

    ``run`` numbers the run, so that what it logs and imports is told apart from other
    runs' on the same store (notes and names carry it). Nothing raises: an exception of a
    request is counted among the outcome's errors.
    """
    workers = []
    for thread in range(threads):
        where = folder / f"r{run}-t{thread}"
        where.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed * 1_000_000 + run * 1_000 + thread)
        workers.append(_Worker(store, users, run, thread, rng, where))
    deadline: list[float] = []
    # The deadline is set when every thread is ready: the same for all of them.
    start = threading.Barrier(
        threads, action=lambda: deadline.append(time.perf_counter() + seconds)
    )

    def work(worker: _Worker) -> None:
        start.wait()
        end = deadline[0]
        while time.perf_counter() < end:
            worker.request()
            if time.perf_counter() <= end:
                worker.finished += 1

    running = [
        threading.Thread(target=work, args=(w,), name=f"bench-host-{w.thread}") for w in workers
    ]
    for runner in running:
        runner.start()
    for runner in running:
        runner.join()
    outcome = _merge(threads, seconds, workers)
    outcome.rates.append(outcome.rate)
    return outcome


# -- the audit --------------------------------------------------------------------------
@dataclass
class Audit:
    """Every plan's stored log against the requests that returned, after all runs."""

    plans: int = 0
    logged: int = 0
    """Log requests that returned."""
    stored: int = 0
    """Interactions of log requests found stored."""
    imported: int = 0
    """Contacts the imports that returned added."""
    stored_imports: int = 0
    """Contacts of imports found stored."""
    mismatches: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)


def audit(store: Store, users: Sequence[User], outcomes: Sequence[Outcome]) -> Audit:
    """Each plan's stored log and contacts, against what the requests that returned
    added and the ones that raised tried to add; and every name checked for leaks."""

    def union(name: str, plan_id: str) -> set[str]:
        return {v for outcome in outcomes for v in getattr(outcome, name).get(plan_id, ())}

    result = Audit()
    for user in users:
        plan, log = store.load(user.plan_id), store.load_log(user.plan_id)
        result.plans += 1
        notes = Counter(row[6] for row in log.rows() if row[6].startswith(NOTE_MARK))
        logged, failed = union("logged", user.plan_id), union("failed_logs", user.plan_id)
        result.logged += len(logged)
        result.stored += sum(notes.values())
        if missing := logged - notes.keys():
            result.mismatches.append(
                f"{user.plan_id}: {len(missing)} logged interaction(s) missing"
            )
        if twice := [n for n, count in notes.items() if count > 1]:
            result.mismatches.append(f"{user.plan_id}: {len(twice)} interaction(s) stored twice")
        if stray := notes.keys() - logged:
            raised = len(stray & failed)
            result.mismatches.append(
                f"{user.plan_id}: {len(stray)} interaction(s) stored that no returned request"
                f" logged ({raised} of a request that raised)"
            )
        contacts = {c.id for c in log.contacts if f"-{IMPORT_MARK}" in c.id}
        imported = union("imported", user.plan_id)
        result.imported += len(imported)
        result.stored_imports += len(contacts)
        if contacts != imported:
            failed_names = union("failed_imports", user.plan_id)
            of_failed = sum(1 for c in contacts - imported if any(n in c for n in failed_names))
            result.mismatches.append(
                f"{user.plan_id}: imported contacts stored {len(contacts)}, returned"
                f" {len(imported)} ({len(imported - contacts)} missing, {len(contacts - imported)}"
                f" unexpected, {of_failed} of them from an import that raised)"
            )
        result.leaks.extend(
            f"stored in {user.plan_id}: {leak}" for leak in _foreign(user, _stored_texts(plan, log))
        )
    return result


# -- stores -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Backend:
    """A store to run: its name in the report, its URL, and how to clean it up."""

    kind: str
    label: str
    url: str
    cleanup: Callable[[], None] = lambda: None
    reopen: bool = True
    """Open the store again after seeding and for the audit (a memory store cannot: a
    new one would be empty)."""


def _postgres(server: str, threads: int) -> Backend:
    schema = f"bench_host_{os.getpid()}"
    joiner = "&" if "?" in server else "?"
    url = f"{server}{joiner}schema={schema}&pool_max={max(threads, 4)}"

    def drop() -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            )

    return Backend("postgresql", "PostgreSQL", url, drop)


@contextmanager
def _opened(url: str, *, create: bool = False) -> Iterator[Store]:
    store = netplan.open(url, create=create)
    try:
        yield store
    finally:
        store.close()


def _warm_up(store: Store, user: User, folder: Path) -> None:
    """Build the plugin host and its importers before anything is timed: a host does
    this once when it starts. Stores nothing (the import is a dry run)."""
    plan, log = store.load(user.plan_id), store.load_log(user.plan_id)
    netplan.review(plan, log, REVIEW_DAY)
    netplan.agenda(plan, log, REVIEW_DAY, REVIEW_DAY + dt.timedelta(AGENDA_DAYS))
    path = folder / "warm-up.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Warm Up\r\nEND:VCARD\r\n", encoding="utf-8")
    netplan.import_files(store, user.plan_id, path, today=REVIEW_DAY, dry_run=True)


@dataclass
class Measured:
    """One store's two runs and its audit."""

    backend: Backend
    seeding: float
    single: Outcome
    many: Outcome
    audit: Audit
    control: tuple[float, float]
    """Loops per second of :func:`control` from 1 thread and from the threads."""

    @property
    def errors(self) -> int:
        return self.single.error_count + self.many.error_count + len(self.audit.mismatches)

    @property
    def leaks(self) -> int:
        return len(self.single.leaks) + len(self.many.leaks) + len(self.audit.leaks)


def measure(backend: Backend, args: argparse.Namespace, folder: Path) -> Measured:
    """Seed the store; run one thread and ``args.threads`` threads for ``args.seconds``
    each, in ``args.rounds`` alternating slices (1, N; N, 1; 1, N...), so that a change in
    the machine's load lands on both, all on one store object opened after seeding, as a
    host opens it once; then audit the store with a fresh object."""
    began = time.perf_counter()
    with ExitStack() as opened:
        store = opened.enter_context(_opened(backend.url, create=True))
        users = seed_users(store, args.users, args.contacts, args.interactions, seed=args.seed)
        seeding = time.perf_counter() - began
        _warm_up(store, users[0], folder)
        print(
            f"{backend.label}: {backend.url}: {len(users)} plans of {args.contacts:,} contacts"
            f" and {args.interactions:,} interactions seeded in {seeding:.1f} s"
        )
        order = [
            threads
            for r in range(args.rounds)
            for threads in ((1, args.threads) if r % 2 == 0 else (args.threads, 1))
        ]
        runs: dict[int, list[Outcome]] = {1: [], args.threads: []}
        if backend.reopen:  # the host's own store object, opened once
            opened.close()
            store = opened.enter_context(_opened(backend.url))
        loops: dict[int, list[float]] = {1: [], args.threads: []}
        for run, threads in enumerate(order):
            loops[threads].append(control(threads, min(CONTROL_SECONDS, args.seconds / 10)))
            outcome = run_requests(
                store,
                users,
                threads=threads,
                seconds=args.seconds / args.rounds,
                folder=folder / backend.kind,
                seed=args.seed,
                run=run,
            )
            runs[threads].append(outcome)
        single, many = (
            _merge(n, sum(o.seconds for o in runs[n]), runs[n]) for n in (1, args.threads)
        )
        for outcome in (single, many):
            counts = ", ".join(f"{len(outcome.times[k]):,} {k}" for k in KINDS)
            rates = ", ".join(f"{rate:,.1f}" for rate in outcome.rates)
            print(
                f"  {outcome.threads} thread{'s' if outcome.threads > 1 else ''}:"
                f" {outcome.requests:,} requests in {outcome.seconds:.1f} s ({counts});"
                f" requests/s of each slice {rates}; imports refused with ConflictError and"
                f" run again: {outcome.conflicts:,} times, the most attempts for one import"
                f" {outcome.most_attempts}; checking responses took {outcome.checking:.1f} s"
                " of thread time"
            )
        if backend.reopen:  # what was stored, read by a fresh object
            opened.close()
            store = opened.enter_context(_opened(backend.url))
        audited = audit(store, users, [single, many])
    control_rates = (statistics.mean(loops[1]), statistics.mean(loops[args.threads]))
    return Measured(backend, seeding, single, many, audited, control_rates)


# -- report -----------------------------------------------------------------------------
def report(measured: Measured) -> tuple[str, list[str]]:
    """The store's table, and its targets' PASS/FAIL lines."""
    one, many = measured.single, measured.many
    speedup_target = SPEEDUP_TARGETS.get(measured.backend.kind)
    speedup = many.rate / one.rate if one.rate else 0.0
    rows = [
        [
            "requests/s",
            f"{many.rate:,.1f}",
            f"{one.rate:,.1f}",
            ratio(speedup),
            ""
            if speedup_target is None
            else f">= {speedup_target:.1f}x  {_verdict(speedup >= speedup_target)}",
        ],
        [
            "control: Python loops/s",
            f"{measured.control[1]:,.0f}",
            f"{measured.control[0]:,.0f}",
            ratio(measured.control[1] / measured.control[0]) if measured.control[0] else "-",
            "(no two run at once: the machine's share)",
        ],
    ]
    for kind in KINDS:
        for percent in (50, 99):
            a, b = many.percentile(kind, percent), one.percentile(kind, percent)
            rows.append(
                [f"{kind} p{percent}", fmt(a, "s"), fmt(b, "s"), ratio(a / b) if b else "-", ""]
            )

    def tail(outcome: Outcome) -> float:
        p50 = outcome.percentile("review", 50)
        return outcome.percentile("review", 99) / p50 if p50 else float("inf")

    tails = (tail(many), tail(one))
    tail_ok = all(t <= REVIEW_TAIL_TARGET for t in tails)
    rows.append(
        [
            "review p99 / p50",
            ratio(tails[0]),
            ratio(tails[1]),
            "",
            f"<= {REVIEW_TAIL_TARGET:.0f}x  {_verdict(tail_ok)}",
        ]
    )
    audit_ = measured.audit
    errors = many.error_count, one.error_count
    leaks = len(many.leaks), len(one.leaks)
    rows.append(
        ["errors", f"{errors[0]:,}", f"{errors[1]:,}", "", f"= 0  {_verdict(not any(errors))}"]
    )
    rows.append(
        [
            "leaks (responses)",
            f"{leaks[0]:,}",
            f"{leaks[1]:,}",
            "",
            f"= 0  {_verdict(not any(leaks))}",
        ]
    )
    rows.append(
        [
            "imports run again (ConflictError)",
            f"{many.conflicts:,}",
            f"{one.conflicts:,}",
            "",
            f"retried, as the error asks (at most {IMPORT_ATTEMPTS} attempts)",
        ]
    )
    header = ("figure", f"{many.threads} threads", "1 thread", "ratio", "target")
    lines = [aligned(header, rows)]
    lines.append(
        f"stored, after both runs, in {audit_.plans} plans: {audit_.stored:,} interactions of"
        f" {audit_.logged:,} log requests that returned; {audit_.stored_imports:,} contacts of"
        f" imports that returned {audit_.imported:,}; {len(audit_.mismatches)} plan(s) differ,"
        f" {len(audit_.leaks)} leak(s) in the stored data"
    )
    for line in audit_.mismatches[:5]:
        lines.append(f"  MISMATCH {line}")
    for leak in [*many.leaks, *one.leaks, *audit_.leaks][:5]:
        lines.append(f"  LEAK {leak}")
    errors_all = many.errors + one.errors
    for key, count in errors_all.most_common(3):
        lines.append(f"  ERROR x{count:,} {key}")
        where = many.tracebacks.get(key) or one.tracebacks.get(key, "")
        lines.extend(f"    {line}" for line in where.rstrip().splitlines()[-12:])
    name = measured.backend.label
    verdicts = [
        f"{name}: 0 errors: {_verdict(measured.errors == 0)} ({measured.errors:,})",
        f"{name}: 0 leaks: {_verdict(measured.leaks == 0)} ({measured.leaks:,})",
    ]
    if speedup_target is not None:
        verdicts.append(
            f"{name}: {many.threads} threads >= {speedup_target:g}x 1 thread:"
            f" {_verdict(speedup >= speedup_target)} ({ratio(speedup)})"
        )
    verdicts.append(
        f"{name}: review p99 <= {REVIEW_TAIL_TARGET:g}x p50: {_verdict(tail_ok)}"
        f" ({ratio(tails[0])} with {many.threads} threads, {ratio(tails[1])} with 1)"
    )
    return "\n".join(lines), verdicts


def _backends(args: argparse.Namespace, folder: Path) -> tuple[list[Backend], list[str]]:
    backends, notes = [], []
    for kind in args.store or ["sqlite", "postgresql"]:
        if kind == "sqlite":
            backends.append(Backend("sqlite", "SQLite", f"sqlite://{folder / 'plans.db'}"))
        elif kind == "memory":
            backends.append(Backend("memory", "Memory", "memory://", reopen=False))
        elif args.postgres:
            backends.append(_postgres(args.postgres, args.threads))
        else:
            notes.append(
                "PostgreSQL skipped: no server named. Pass --postgres"
                " postgresql://user@host:port/db or set NETPLAN_TEST_POSTGRES to one"
                " (a schema bench_host_<pid> is made in it and dropped afterwards)."
            )
    return backends, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=SECONDS, help="per run (default 60)")
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--contacts", type=int, default=CONTACTS, help="per user")
    parser.add_argument("--interactions", type=int, default=INTERACTIONS, help="per user")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="slices each thread count's time is cut into, alternating (default 3)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--store",
        action="append",
        choices=("sqlite", "postgresql", "memory"),
        help="a store to run (repeat for several; default: sqlite and postgresql)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("NETPLAN_TEST_POSTGRES", ""),
        help="PostgreSQL server URL (default: $NETPLAN_TEST_POSTGRES)",
    )
    parser.add_argument(
        "--dir", type=Path, default=None, help="folder for the SQLite store and vCard files"
    )
    args = parser.parse_args(argv)
    mix = ", ".join(f"{k} {share:.0%}" for k, share in zip(KINDS, MIX, strict=True))
    print(
        f"netplan {netplan.__version__} host benchmark: python {platform.python_version()}"
        f" ({platform.python_implementation()}, {platform.system()} {platform.machine()},"
        f" {os.cpu_count()} CPUs), SQLite {sqlite3.sqlite_version}; {args.users} users of"
        f" {args.contacts:,} contacts and {args.interactions:,} interactions; {mix};"
        f" {args.seconds:g} s per run; seed {args.seed}"
    )
    status = 0
    verdicts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="netplan-bench-host-", dir=args.dir) as name:
        folder = Path(name)
        backends, notes = _backends(args, folder)
        for note in notes:
            print(note)
        for backend in backends:
            try:
                measured = measure(backend, args, folder)
            except Exception as error:  # a store that cannot be opened or seeded
                print(f"{backend.label}: FAILED before the runs: {type(error).__name__}: {error}")
                traceback.print_exc()
                verdicts.append(f"{backend.label}: not measured: FAIL")
                status = 1
                continue
            finally:
                try:
                    backend.cleanup()
                except Exception as error:
                    print(f"{backend.label}: cleaning up failed: {type(error).__name__}: {error}")
            print()
            text, lines = report(measured)
            print(text)
            print()
            verdicts.extend(lines)
            if measured.errors or measured.leaks:
                status = 1
    print(
        "ratio = the threads' figure over the single thread's, on the same store object;"
        f" each ran {args.seconds:g} s in {args.rounds} alternating slices; requests/s"
        " counts the requests ended within each slice; latencies are per request (load +"
        " work, an import's retries included), the collector running, as in a host"
    )
    for line in verdicts:
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
