"""``jsondir://`` passes netplan's shipped storage contract, run the way docs/storage.md
tells a third-party backend to: subclass ``StoreContract``, give it fixtures, and run the
state machine against the in-memory reference."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from netplan import Plan, Store, to_data
from netplan.storage import parse_url
from netplan.testing.storage import StoreContract, store_state_machine

from netplan_example.jsondir import JsonDirStore


def open_store(folder: Path, *, create: bool) -> JsonDirStore:
    return JsonDirStore.open(parse_url(f"jsondir://{folder}"), create=create)


class JsonDirRaw:
    """Reads and writes plan files with the json module, not through JsonDirStore: the
    contract's independent oracle."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def saved_plans(self, plan_id: str) -> list[dict[str, Any]]:
        entry = json.loads((self.folder / f"{plan_id}.json").read_text(encoding="utf-8"))
        revisions: list[dict[str, Any]] = entry["revisions"]
        return revisions

    def write_plan(self, plan: Plan) -> None:
        path = self.folder / f"{plan.id}.json"
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["revisions"] = [*entry["revisions"][: plan.revision - 1], to_data(plan)]
        path.write_text(json.dumps(entry), encoding="utf-8")


class TestJsonDirStore(StoreContract):
    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        return tmp_path / "plans"

    @pytest.fixture
    def store(self, folder: Path) -> Iterator[Store]:
        with open_store(folder, create=True) as store:
            yield store

    @pytest.fixture
    def reopen(self, store: Store, folder: Path) -> Callable[[], Store]:
        def again() -> Store:
            store.close()
            return open_store(folder, create=False)

        return again

    @pytest.fixture
    def raw(self, folder: Path) -> JsonDirRaw:
        return JsonDirRaw(folder)


_FOLDERS: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _remove_machine_folders() -> Iterator[None]:
    yield
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def _new_store() -> Store:
    # Hypothesis builds one store per run, outside pytest's fixtures: the folders are
    # collected and removed at the end of the module.
    folder = Path(tempfile.mkdtemp(prefix="jsondir-contract-"))
    _FOLDERS.append(folder)
    return open_store(folder / "plans", create=True)


# Every write fsyncs a file and the folder: fifteen runs of up to 20 steps keep the suite
# fast while still mixing saves, stale saves, adds, reviews and deletes across three plans.
TestJsonDirStateMachine = store_state_machine(_new_store, max_examples=15).TestCase
