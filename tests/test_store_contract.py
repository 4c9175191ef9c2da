"""netplan's own backends pass the shipped storage contract, run exactly as a third
party's test module would run it."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from _sqlite import raw_sqlite
from netplan import Plan, to_data
from netplan.storage import Store, parse_url
from netplan.stores._sql import KeptLogs
from netplan.stores.memory import MemoryStore
from netplan.stores.sqlite import SqliteStore
from netplan.testing.storage import StoreContract, store_state_machine


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> Iterator[Store]:
        with MemoryStore() as store:
            yield store


class SqliteRaw:
    """Reads and writes the database with plain sqlite3, not through SqliteStore."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def saved_plans(self, plan_id: str) -> list[dict[str, Any]]:
        with raw_sqlite(self.path) as db:
            rows = db.execute(
                "SELECT data FROM revisions WHERE plan_id = ? ORDER BY revision", (plan_id,)
            ).fetchall()
        return [json.loads(data) for (data,) in rows]

    def write_plan(self, plan: Plan) -> None:
        with raw_sqlite(self.path) as db:
            db.execute(
                "INSERT OR IGNORE INTO plans (id, head) VALUES (?, ?)", (plan.id, plan.revision)
            )
            db.execute("UPDATE plans SET head = ? WHERE id = ?", (plan.revision, plan.id))
            db.execute(
                "INSERT INTO revisions (plan_id, revision, data) VALUES (?, ?, ?)",
                (plan.id, plan.revision, json.dumps(to_data(plan))),
            )


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def path(self, tmp_path: Path) -> Path:
        return tmp_path / "plans.db"

    @pytest.fixture
    def store(self, path: Path) -> Iterator[Store]:
        with SqliteStore.open(parse_url(f"sqlite://{path}"), create=True) as store:
            yield store

    @pytest.fixture
    def reopen(self, store: Store, path: Path) -> Callable[[], Store]:
        def again() -> Store:
            store.close()
            return SqliteStore.open(parse_url(f"sqlite://{path}"), create=False)

        return again

    @pytest.fixture
    def raw(self, path: Path) -> SqliteRaw:
        return SqliteRaw(path)


class _PackingSqlite(SqliteStore):
    """Packs the interactions of every log it reads from its rows, and keeps no log
    read (netplan packs only large logs, and keeps the logs a host reads again): so the
    contract reads packs, and packs with rows appended after them, at every step."""

    PACK_ROWS = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept = KeptLogs(budget=-1)


class TestPackedSqliteStore(TestSqliteStore):
    @pytest.fixture
    def store(self, path: Path) -> Iterator[Store]:
        with _PackingSqlite.open(parse_url(f"sqlite://{path}"), create=True) as store:
            yield store

    @pytest.fixture
    def reopen(self, store: Store, path: Path) -> Callable[[], Store]:
        def again() -> Store:
            store.close()
            return _PackingSqlite.open(parse_url(f"sqlite://{path}"), create=False)

        return again


_FOLDERS: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _remove_machine_folders() -> Iterator[None]:
    yield
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def _new_sqlite() -> Store:
    # Hypothesis builds one store per run, outside pytest's fixtures: folders are
    # collected and removed at the end of the module.
    folder = Path(tempfile.mkdtemp(prefix="netplan-contract-"))
    _FOLDERS.append(folder)
    return SqliteStore.open(parse_url(f"sqlite://{folder}/plans.db"), create=True)


# Every step of the SQLite machine commits to disk (synchronous=FULL): a third of the
# profile's examples keeps it to seconds, as for the JSON store.
TestSqliteStateMachine = store_state_machine(
    _new_sqlite, max_examples=max(10, settings().max_examples // 3)
).TestCase
TestMemoryStateMachine = store_state_machine(MemoryStore).TestCase


def _new_packing_sqlite() -> Store:
    folder = Path(tempfile.mkdtemp(prefix="netplan-contract-"))
    _FOLDERS.append(folder)
    return _PackingSqlite.open(parse_url(f"sqlite://{folder}/plans.db"), create=True)


TestPackedSqliteStateMachine = store_state_machine(
    _new_packing_sqlite, max_examples=max(10, settings().max_examples // 3)
).TestCase
