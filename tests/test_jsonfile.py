"""The JSON file store: behaviour, the file's text, permissions, errors and the lock."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

import netplan
from netplan import ActivityLog, Contact, Interaction, Plan, from_data, to_data
from netplan.core.batch import Batch, NewContacts
from netplan.core.errors import (
    ConflictError,
    CorruptStoreError,
    LockTimeoutError,
    NotFoundError,
    ReadOnlyStoreError,
    StoreNotFoundError,
    ValidationError,
)
from netplan.plugins.stores import jsonfile
from netplan.storage import Capability, CorrectableStore, Store, parse_url
from netplan.stores import jsonfile as jsonfile_module
from netplan.stores._files import (
    FileLock,
    atomic_write,
    check_writable_dir,
    is_temporary,
    private_dir,
    private_file,
)
from netplan.stores.jsonfile import JsonStore
from netplan.stores.memory import MemoryStore
from netplan.stores.serialize import SchemaError
from netplan.testing import strategies as nst
from netplan.testing.storage import StoreContract, store_state_machine

AT = dt.datetime(2026, 11, 3, 19, tzinfo=dt.UTC)
ROOT = os.geteuid() == 0
needs_non_root = pytest.mark.skipif(ROOT, reason="root ignores file permissions")


def open_json(path: Path, *, create: bool = True, query: str = "") -> JsonStore:
    return JsonStore.open(parse_url(f"json://{path}{query}"), create=create)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "plan.json"


@pytest.fixture
def store(path: Path) -> Iterator[JsonStore]:
    with open_json(path) as store:
        yield store


def document(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# -- the shipped contract, run as a third party would ---------------------------------
class JsonRaw:
    """Reads and writes the file with the json module, not through JsonStore."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def saved_plans(self, plan_id: str) -> list[dict[str, Any]]:
        return list(document(self.path)["plans"][plan_id]["revisions"])

    def write_plan(self, plan: Plan) -> None:
        data = document(self.path)
        entry = data["plans"].setdefault(
            plan.id, {"log": to_data(ActivityLog()), "reviews": [], "revisions": []}
        )
        entry["revisions"] = [*entry["revisions"][: plan.revision - 1], to_data(plan)]
        # Compact, unsorted text: the store must read any valid JSON, not only its own.
        self.path.write_text(json.dumps(data), encoding="utf-8")


class TestJsonStoreContract(StoreContract):
    @pytest.fixture
    def store(self, path: Path) -> Iterator[Store]:
        with open_json(path) as store:
            yield store

    @pytest.fixture
    def reopen(self, store: Store, path: Path) -> Callable[[], Store]:
        def again() -> Store:
            store.close()
            return open_json(path, create=False)

        return again

    @pytest.fixture
    def raw(self, path: Path) -> JsonRaw:
        return JsonRaw(path)


def test_agrees_with_the_memory_store_under_random_operations(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    machine = store_state_machine(lambda: open_json(tmp_path_factory.mktemp("m") / "plan.json"))
    # Every step rewrites and fsyncs the file: a third of the profile's examples (20 in
    # dev, 40 in ci) keeps this test to a few seconds.
    examples = max(10, settings().max_examples // 3)
    run_state_machine_as_test(
        machine, settings=settings(max_examples=examples, stateful_step_count=20)
    )


# -- behaviour -----------------------------------------------------------------------
def test_implements_the_store_protocol_and_declares_a_persistent_file(store: JsonStore) -> None:
    assert isinstance(store, Store)
    assert isinstance(store, CorrectableStore)
    assert store.capabilities == {Capability.PERSISTENT, Capability.FILE, Capability.CHANGES}


def test_registers_the_json_scheme_through_the_hook() -> None:
    registered: dict[str, Any] = {}
    jsonfile.netplan_register_stores(
        register=lambda name, opener: registered.__setitem__(name, opener)
    )
    assert registered == {"json": JsonStore.open}


def test_save_load_and_revisions(store: JsonStore, maya: Plan) -> None:
    first = store.save(maya)
    assert first == attrs.evolve(maya, revision=1)
    second = store.save(attrs.evolve(first, notes="after the meetup"))
    assert second.revision == 2
    assert store.revisions("maya") == (1, 2)
    assert store.load("maya") == second
    assert store.load("maya", 1) == first
    assert store.plans() == ("maya",)


def test_a_stale_save_conflicts_with_the_memory_stores_message(
    store: JsonStore, maya: Plan
) -> None:
    first = store.save(maya)
    store.save(attrs.evolve(first, notes="theirs"))
    memory = MemoryStore(store.url)
    memory.save(attrs.evolve(memory.save(maya), notes="theirs"))
    with pytest.raises(ConflictError) as expected:
        memory.save(first)
    before = store.path.read_bytes()
    with pytest.raises(ConflictError) as got:
        store.save(first)
    assert str(got.value) == str(expected.value)
    assert "at revision 2" in str(got.value)
    assert store.path.read_bytes() == before


def test_missing_plans_and_revisions_have_the_memory_stores_messages(
    store: JsonStore, maya: Plan
) -> None:
    with pytest.raises(NotFoundError, match="no plan"):
        store.load("maya")
    store.save(maya)
    with pytest.raises(NotFoundError, match="no plan 'ravi'; save it first"):
        store.revisions("ravi")
    for bad in (0, 2, "1"):
        with pytest.raises(NotFoundError, match="has revisions 1 to 1"):
            store.load("maya", bad)  # type: ignore[arg-type]


def test_delete_removes_everything_of_one_plan(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    store.save(Plan("Ravi", start=dt.date(2026, 1, 1)))
    store.add("maya", Contact("Lena Berg"))
    store.save_review("maya", {"score": 1})
    store.delete("maya")
    assert store.plans() == ("ravi",)
    assert list(document(store.path)["plans"]) == ["ravi"]
    with pytest.raises(NotFoundError):
        store.delete("maya")


def test_adding_is_all_or_nothing_and_a_refused_add_writes_nothing(
    store: JsonStore, maya: Plan
) -> None:
    store.save(maya)
    store.add("maya", Contact("Lena Berg"), Interaction("met", AT, contact="lena-berg"))
    before = store.path.read_bytes()
    with pytest.raises(ValidationError, match="ghost"):
        store.add(
            "maya",
            Contact("Omar Haddad"),
            Interaction("met", AT, contact="omar-haddad"),
            Interaction("met", AT, contact="ghost"),
        )
    assert store.path.read_bytes() == before
    log = store.load_log("maya")
    assert [c.id for c in log.contacts] == ["lena-berg"]
    assert list(log) == [Interaction("met", AT, contact="lena-berg")]


def test_update_replaces_a_contact(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    store.add("maya", Contact("Lena Berg", tier="b"))
    store.update("maya", Contact("Lena Berg", tier="a"))
    assert store.load_log("maya").contact("lena-berg").tier == "a"
    with pytest.raises(NotFoundError):
        store.update("maya", Contact("Nobody"))


def test_reviews_are_numbered_kept_in_order_and_copied(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    assert store.save_review("maya", {"as_of": "2026-12-01", "score": 0.5}) == 1
    assert store.save_review("maya", {"findings": ("a", "b")}) == 2  # kept as JSON: a list
    reviews = store.reviews("maya")
    assert reviews == ({"as_of": "2026-12-01", "score": 0.5}, {"findings": ["a", "b"]})
    reviews[0]["score"] = 99
    assert store.reviews("maya")[0]["score"] == 0.5
    for bad in ({"when": dt.date(2026, 1, 1)}, {"x": float("nan")}, ["not", "a", "mapping"]):
        with pytest.raises(ValidationError, match="save_review.review"):
            store.save_review("maya", bad)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        store.save_review("ravi", {"when": dt.date(2026, 1, 1)})  # the plan is checked first
    assert len(store.reviews("maya")) == 2


def test_everything_survives_closing_and_reopening(path: Path, maya: Plan) -> None:
    with open_json(path) as store:
        saved = store.save(maya)
        store.add("maya", Contact("Lena Berg"), Interaction("met", AT, contact="lena-berg"))
    with pytest.raises(ValidationError, match="is closed"):
        store.plans()
    with open_json(path, create=False) as again:
        assert again.load("maya") == saved
        assert len(again.load_log("maya")) == 1


def test_two_store_objects_see_each_others_writes(path: Path, maya: Plan) -> None:
    one, two = open_json(path), open_json(path, create=False)
    saved = one.save(maya)
    assert two.load("maya") == saved
    with pytest.raises(ConflictError):
        two.save(maya)


def test_relative_and_bare_paths_open_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, maya: Plan
) -> None:
    monkeypatch.chdir(tmp_path)
    JsonStore.open(parse_url("json://plan.json"), create=True).save(maya)
    assert (tmp_path / "plan.json").is_file()
    bare = JsonStore.open(parse_url("plan.json"), create=False)
    assert bare.plans() == ("maya",)


def test_a_symlinked_store_is_written_through_the_link(tmp_path: Path, maya: Plan) -> None:
    real = tmp_path / "repo" / "plan.json"
    real.parent.mkdir()
    link = tmp_path / "plan.json"
    open_json(real).close()
    link.symlink_to(real)
    open_json(link, create=False).save(maya)
    assert link.is_symlink()
    assert list(document(real)["plans"]) == ["maya"]


# -- the file: JSON, canonical and diff-friendly ---------------------------------------
def test_the_file_is_plain_json_that_round_trips_through_from_data(
    store: JsonStore, maya: Plan
) -> None:
    saved = store.save(maya)
    store.add("maya", Contact("Léa Roux"), Interaction("met", AT, contact="lea-roux"))
    data = document(store.path)  # parses as JSON: nothing pickled
    assert data["netplan_store"] == 1
    entry = data["plans"]["maya"]
    assert sorted(entry) == ["log", "reviews", "revisions"]
    assert from_data(entry["revisions"][0], Plan) == saved
    assert from_data(entry["log"], ActivityLog) == store.load_log("maya")
    assert entry["revisions"][0] == to_data(saved)


def test_corrections_are_kept_in_the_file_which_then_says_format_2(
    store: JsonStore, maya: Plan
) -> None:
    store.save(maya)
    store.save(Plan("Ravi", start=dt.date(2026, 1, 1)))
    store.add(
        "maya",
        Contact("Lena Berg"),
        Contact("Lena B", id="lena-b"),
        Interaction("met", AT, contact="lena-b"),
    )
    plain = store.path.read_bytes()
    assert document(store.path)["netplan_store"] == 1  # readable by netplan 0.1 still
    change = store.load_log("maya").merge_contacts("lena-b", into="lena-berg")
    assert store.change("maya", change) == 1
    data = document(store.path)
    assert data["netplan_store"] == 2
    assert sorted(data["plans"]["maya"]) == ["changes", "log", "reviews", "revisions"]
    assert sorted(data["plans"]["ravi"]) == ["log", "reviews", "revisions"]
    assert data["plans"]["maya"]["changes"] == [to_data(attrs.evolve(change, number=1))]
    assert to_data(store.load_log("maya")) == data["plans"]["maya"]["log"]
    undone = store.undo("maya")
    assert (undone.number, undone.undoes) == (2, 1)
    assert document(store.path)["plans"]["maya"]["log"] == json.loads(plain)["plans"]["maya"]["log"]
    with open_json(store.path, create=False) as again:
        assert again.changes("maya") == (attrs.evolve(change, number=1), undone)
    store.delete("maya")  # the only history: the file can be format 1 again
    assert document(store.path)["netplan_store"] == 1


def test_a_refused_correction_writes_nothing(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    store.add("maya", Contact("Lena Berg"), Interaction("met", AT, contact="lena-berg"))
    stale = store.load_log("maya").remove_interactions(Interaction("met", AT, contact="lena-berg"))
    store.update("maya", Contact("Lena Berg", tier="a"))
    store.add("maya", Interaction("coffee", AT, contact="lena-berg"))
    store.change("maya", stale)  # the row is still the one it removes
    before = os.stat(store.path)
    with pytest.raises(ConflictError):
        store.change("maya", stale)
    with pytest.raises(NotFoundError):
        store.undo("ravi")
    after = os.stat(store.path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ([], "changes must be a non-empty list"),
        ({}, "changes must be a non-empty list"),
        (
            [{"schema": 1, "type": "LogChange", "data": {"description": "x", "number": 2}}],
            "holds change 2, not 1",
        ),
        ([{"schema": 1, "type": "Plan", "data": {}}], r"changes\[0\] is not a valid LogChange"),
    ],
)
def test_a_damaged_history_is_named(
    store: JsonStore, maya: Plan, changes: object, detail: str
) -> None:
    store.save(maya)
    data = document(store.path)
    data["netplan_store"] = 2
    data["plans"]["maya"]["changes"] = changes
    store.path.write_text(json.dumps(data))
    with pytest.raises(CorruptStoreError, match=detail):
        store.changes("maya")


def test_a_format_1_file_refuses_a_history(path: Path, maya: Plan) -> None:
    with open_json(path) as store:
        store.save(maya)
    data = document(path)
    data["plans"]["maya"]["changes"] = []
    path.write_text(json.dumps(data))
    with pytest.raises(CorruptStoreError, match="must have log, reviews and revisions, got"):
        open_json(path, create=False)


def test_the_text_is_sorted_indented_utf8_with_a_final_newline(store: JsonStore) -> None:
    for person in ("Zoé", "Adam", "Maya"):
        store.save(Plan(person, start=dt.date(2026, 1, 1), notes="☕ café"))
    text = store.path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert "☕ café" in text  # written as text, not \\u escapes
    assert '\n  "plans": {\n    "adam": {' in text
    orders: list[list[str]] = []
    json.loads(text, object_pairs_hook=lambda pairs: orders.append([k for k, _ in pairs]))
    assert all(keys == sorted(keys) for keys in orders)
    assert list(json.loads(text)["plans"]) == ["adam", "maya", "zoe"]


def test_the_same_store_always_gives_the_same_bytes(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    store.add("maya", Contact("Lena Berg"), Interaction("met", AT, contact="lena-berg"))
    store.save_review("maya", {"b": 1, "a": [1, 2]})
    text = store.path.read_bytes()
    data = json.loads(text)
    # The data written again gives the same bytes: keys sorted, objects indented, and
    # each record (a contact, an interaction, a revision, a review) whole on its line.
    assert jsonfile_module._encode(data) == text
    lines = text.decode().splitlines()
    (contact,) = [line for line in lines if '"name": "Lena Berg"' in line]
    assert json.loads(contact.strip().rstrip(","))["id"] == "lena-berg"
    assert lines[:3] == ["{", '  "netplan_store": 1,', '  "plans": {']
    # Rebuilding the data from the loaded domain values gives the stored data back.
    entry = data["plans"]["maya"]
    assert to_data(store.load("maya", 1)) == entry["revisions"][0]
    assert to_data(store.load_log("maya")) == entry["log"]
    # A call that changes nothing (adding no records) leaves the file untouched.
    before = os.stat(store.path)
    store.add("maya")
    after = os.stat(store.path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_saving_an_unchanged_plan_only_adds_lines(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    store.save(Plan("Ravi", start=dt.date(2026, 1, 1)))
    before = store.path.read_text(encoding="utf-8").splitlines()
    store.save(store.load("maya"))
    after = store.path.read_text(encoding="utf-8").splitlines()
    diff = list(difflib.unified_diff(before, after, lineterm="", n=0))[2:]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    # At most the revision before the new one changes, gaining the comma that separates
    # them (each revision is one line); everything else is added.
    assert len(removed) <= 1
    assert all(f"{line}," in added for line in removed)
    assert sum('"revision": 2' in line for line in added) == 1


# -- files, permissions and helpers ----------------------------------------------------
def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_created_files_are_owner_only_whatever_the_umask(path: Path, maya: Plan) -> None:
    old = os.umask(0)
    try:
        with open_json(path) as store:
            store.save(maya)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.with_name("plan.json.lock")) == 0o600


def test_a_write_makes_the_file_owner_only_again(store: JsonStore, maya: Plan) -> None:
    os.chmod(store.path, 0o644)
    store.save(maya)
    assert mode(store.path) == 0o600


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json"]


def test_atomic_write_syncs_the_file_and_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[bool] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write(tmp_path / "data.json", b"{}")
    assert synced == [False, True]


def test_a_failed_atomic_write_keeps_the_old_file_and_removes_its_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.json"
    target.write_bytes(b"old")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json"]


def test_private_file_and_folder_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        created = private_file(tmp_path / "plans.db")
        folder = private_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert created.read_bytes() == b""
    assert mode(created) == 0o600
    assert mode(folder) == 0o700
    created.write_bytes(b"kept")
    private_file(created)  # an existing file is left alone
    assert created.read_bytes() == b"kept"


def test_temporary_files_of_killed_writers_do_not_stop_the_store_and_are_swept(
    path: Path, maya: Plan
) -> None:
    open_json(path).close()
    leftover = path.with_name(".plan.json.0123456789ab.tmp")
    leftover.write_text('{"half": ')
    unrelated = path.with_name(".plan.json.notes.tmp")
    unrelated.write_text("mine")
    assert is_temporary(leftover, path)
    assert not is_temporary(unrelated, path)
    with open_json(path, create=False) as store:
        assert store.plans() == ()
        store.save(maya)
    assert not leftover.exists()
    assert unrelated.exists()


# -- errors ------------------------------------------------------------------------------
def test_a_missing_store_says_to_pass_create(path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="no store at the path given: pass create=True"):
        open_json(path, create=False)
    assert not path.exists()
    with pytest.raises(StoreNotFoundError) as error:
        open_json(path, create=False)
    assert str(path) not in str(error.value)
    assert re.search(f"no store at {re.escape(str(path))}: pass create=True", error.value.detail)


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "plan.json"
    with pytest.raises(StoreNotFoundError, match="folder does not exist") as error:
        open_json(missing, create=True)
    assert not missing.parent.exists()
    assert str(tmp_path) not in str(error.value)
    assert re.search("nowhere.* folder does not exist.*mkdir -p .*nowhere", error.value.detail)


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="it is a folder"):
        open_json(tmp_path, create=True)


def test_a_store_deleted_after_opening_is_reported(store: JsonStore) -> None:
    store.path.unlink()
    with pytest.raises(StoreNotFoundError, match="moved or deleted"):
        store.plans()


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('{\n  "netplan_store": 1,\n  "plans": {,}\n}\n', "invalid JSON at line 3, column 13"),
        ("", "invalid JSON at line 1, column 1"),
        (
            '{\n<<<<<<< HEAD\n  "plans": {}\n=======\n>>>>>>> theirs\n}\n',
            "git merge conflict markers",
        ),
        ("[]", "no 'netplan_store'"),
        ('{"plans": {}}', "no 'netplan_store'"),
        ('{"netplan_store": "1", "plans": {}}', "must be a format version"),
        ('{"netplan_store": 1}', "'plans' is missing"),
        ('{"netplan_store": 1, "plans": {}, "extra": 0}', "unknown keys \\['extra'\\]"),
        ('{"netplan_store": 1, "plans": []}', "'plans' must be an object"),
        ('{"netplan_store": 1, "plans": {"maya": {}}}', "a plan must have log.*at plans.maya"),
        (
            '{"netplan_store": 1, "plans": {"maya": {"log": {}, "reviews": [], "revisions": []}}}',
            "a plan's revisions must be a non-empty list.*at plans.maya.revisions",
        ),
    ],
)
def test_a_corrupt_file_names_itself_the_problem_and_the_way_out(
    path: Path, text: str, detail: str
) -> None:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptStoreError) as error:
        open_json(path, create=True)  # create never overwrites a file that exists
    assert re.search(detail, error.value.detail), error.value.detail
    message = str(error.value)
    assert str(path) not in message and message.startswith("the JSON store's file is not")
    # Any plan's damage fails every read: its id, maybe another person's, is the operator's.
    assert "maya" not in message
    assert error.value.detail.startswith(f"{path} is not a readable netplan store: ")
    assert "restore it from git or a backup, or move it away" in message
    assert path.read_text(encoding="utf-8") == text


def test_a_file_that_is_not_utf8_is_corrupt(path: Path) -> None:
    path.write_bytes(b'{"netplan_store": 1, "plans": {"\xff": 1}}')
    with pytest.raises(CorruptStoreError, match="not UTF-8"):
        open_json(path, create=False)


def test_a_bad_plan_inside_the_file_is_corrupt_and_named(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    data = document(store.path)
    data["plans"]["maya"]["revisions"][0]["data"]["start"] = "someday"
    store.path.write_text(json.dumps(data))
    with pytest.raises(CorruptStoreError, match=r"plans\.maya\.revisions\[0\] is not a valid Plan"):
        store.load("maya")


def test_a_revision_stored_under_the_wrong_number_is_corrupt(store: JsonStore, maya: Plan) -> None:
    store.save(attrs.evolve(store.save(maya), notes="two"))
    data = document(store.path)
    revisions = data["plans"]["maya"]["revisions"]
    revisions.reverse()
    store.path.write_text(json.dumps(data))
    with pytest.raises(CorruptStoreError, match="holds plan 'maya' revision 2, not 'maya' rev"):
        store.load("maya", 1)


def test_a_store_from_a_newer_netplan_says_to_upgrade(path: Path, maya: Plan) -> None:
    path.write_text('{"netplan_store": 3, "plans": {}}')
    with pytest.raises(SchemaError, match="format 3, written by a newer netplan.*upgrade netplan"):
        open_json(path, create=False)


def test_a_plan_from_a_newer_schema_says_to_upgrade(store: JsonStore, maya: Plan) -> None:
    store.save(maya)
    data = document(store.path)
    data["plans"]["maya"]["revisions"][0]["schema"] = netplan.SCHEMA_VERSION + 1
    store.path.write_text(json.dumps(data))
    with pytest.raises(SchemaError, match="upgrade netplan"):
        store.load("maya")


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("json://", "needs a file path"),
        ("json:///tmp/x.json?colour=blue", "unknown option 'colour'"),
        ("json:///tmp/x.json?lock_timeout=soon", "lock_timeout must be a number"),
        ("json:///tmp/x.json?lock_timeout=-1", "lock_timeout must be a number"),
        ("json:///tmp/x.json?mode=rw", "mode must be 'ro'"),
    ],
)
def test_bad_urls_are_refused(url: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        JsonStore.open(parse_url(url), create=True)


def test_a_read_only_folder_is_reported_at_open(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, whom permissions do not stop: fake what access() reports.
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    with pytest.raises(ReadOnlyStoreError, match="folder is read-only") as error:
        open_json(path, create=True)
    assert isinstance(error.value, PermissionError)
    assert str(path.parent) not in str(error.value) and "chmod" not in str(error.value)
    assert re.search(f"read-only.*chmod u\\+w {re.escape(str(path.parent))}", error.value.detail)


def test_check_writable_dir_names_what_and_where(tmp_path: Path) -> None:
    check_writable_dir(tmp_path)  # a writable folder passes
    os.chmod(tmp_path, 0o500)
    try:
        if ROOT:
            pytest.skip("root ignores file permissions")
        with pytest.raises(ReadOnlyStoreError, match="the database in its folder") as error:
            check_writable_dir(tmp_path, "database")
        assert f"the database in {tmp_path}" in error.value.detail
    finally:
        os.chmod(tmp_path, 0o700)


@needs_non_root
def test_a_read_only_file_is_reported_at_open(path: Path) -> None:
    open_json(path).close()
    os.chmod(path, 0o400)
    with pytest.raises(ReadOnlyStoreError, match="file is read-only.*mode=ro"):
        open_json(path, create=False)


def test_a_read_only_file_is_reported_at_open_as_any_user(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_json(path).close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m, **kw: Path(p) != path and real_access(p, m, **kw)
    )
    with pytest.raises(ReadOnlyStoreError, match="file is read-only.*mode=ro"):
        open_json(path, create=False)


def test_a_folder_that_turns_read_only_is_reported_at_the_write(
    store: JsonStore, maya: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def refuse(name: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if str(name).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, mode, **kw)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ReadOnlyStoreError, match="folder is read-only \\(Permission denied\\)"):
        store.save(maya)


def test_mode_ro_reads_but_refuses_to_write(path: Path, maya: Plan) -> None:
    with open_json(path) as store:
        store.save(maya)
    with open_json(path, create=False, query="?mode=ro") as reader:
        assert reader.load("maya").revision == 1
        with pytest.raises(ReadOnlyStoreError, match="opened read-only"):
            reader.save(reader.load("maya"))
    with pytest.raises(StoreNotFoundError, match="without mode=ro"):
        open_json(path.with_name("other.json"), create=True, query="?mode=ro")


# -- the lock ----------------------------------------------------------------------------
HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def locked_by_another_process(path: Path) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path) + ".lock"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    try:
        yield holder
    finally:
        holder.kill()
        holder.wait()
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()


def test_a_writer_waits_for_the_lock_then_says_who_to_blame(
    path: Path, maya: Plan, locked_by_another_process: subprocess.Popen[str]
) -> None:
    path.write_text('{"netplan_store": 1, "plans": {}}\n')
    store = open_json(path, create=False, query="?lock_timeout=0.2")
    started = time.monotonic()
    with pytest.raises(LockTimeoutError) as error:
        store.save(maya)
    assert 0.2 <= time.monotonic() - started < 2
    assert str(error.value) == (
        "another process is writing the JSON store; try again, or remove its lock file if "
        "no netplan process is running (waited 0.2 s)"
    )
    assert error.value.detail == (
        f"another process is writing {path}; try again, or remove its lock file if no "
        f"netplan process is running (waited 0.2 s) (the lock file is {path}.lock)"
    )
    assert isinstance(error.value, TimeoutError)
    assert store.plans() == ()  # reading needs no lock
    # The holder dies (as if killed): the kernel drops its lock, the file stays, and a
    # leftover lock file blocks nobody.
    locked_by_another_process.kill()
    locked_by_another_process.wait()
    assert path.with_name("plan.json.lock").exists()
    assert store.save(maya).revision == 1


def test_the_lock_excludes_a_second_holder_in_the_same_process(path: Path) -> None:
    with FileLock(path, timeout=0.05) as lock:
        assert "held" in repr(lock)
        with pytest.raises(LockTimeoutError), FileLock(path, timeout=0):
            pass
    with FileLock(path, timeout=0):
        pass


CONCURRENT_ADDS = """
import datetime as dt, sys
from netplan import Interaction
from netplan.storage import parse_url
from netplan.stores.jsonfile import JsonStore
store = JsonStore.open(parse_url(sys.argv[1]), create=False)
for i in range(15):
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)
    store.add("maya", Interaction("met", at, contact="lena-berg", notes=sys.argv[2]))
"""


def test_concurrent_writers_lose_nothing(path: Path, maya: Plan) -> None:
    with open_json(path) as store:
        store.save(maya)
        store.add("maya", Contact("Lena Berg"))
    writers = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT_ADDS, f"json://{path}", name])
        for name in ("one", "two", "three")
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0, 0]
    with open_json(path, create=False) as store:
        notes = [i.notes for i in store.load_log("maya")]
    assert sorted(notes) == sorted(["one", "two", "three"] * 15)


def test_a_hand_edited_contact_is_checked_when_read(tmp_path: Path) -> None:
    store = open_json(tmp_path / "plan.json")
    store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    store.add("maya", netplan.Contact("Lena Berg"), netplan.Contact("Omar Haddad"))
    document = json.loads((tmp_path / "plan.json").read_text())
    document["plans"]["maya"]["log"]["data"]["contacts"][0]["tier"] = "Not An Id"
    (tmp_path / "plan.json").write_text(json.dumps(document))
    log = store.load_log("maya")
    assert log.contact("omar-haddad").name == "Omar Haddad"
    with pytest.raises(netplan.ValidationError, match=r"contacts\[0\]\.tier"):
        log.contact("lena-berg")
    document["plans"]["maya"]["log"]["data"]["contacts"][0]["organization"] = "nowhere"
    (tmp_path / "plan.json").write_text(json.dumps(document))
    with pytest.raises(CorruptStoreError, match="organization"):
        store.load_log("maya")


@settings(max_examples=30, deadline=None)
@given(log=nst.activity_logs(max_interactions=20), split=st.integers(0, 3))
def test_a_batch_is_written_as_the_log_with_it_would_be(log: ActivityLog, split: int) -> None:
    """A batch is appended to the file's data without decoding the log; the file must
    hold what ``to_data`` of the whole log holds, laid out canonically."""
    batch = log.batch()
    # Part of the log is in the store already: its first organizations and events.
    before = Batch(batch.records[:split])
    after = Batch(batch.records[split:], batch.contacts, batch.interactions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plans.json"
        store = netplan.open(f"json://{path}", create=True)
        store.save(Plan("Sam", start=dt.date(2026, 1, 1)))
        store.add_batch("sam", before)
        store.add_batch("sam", after)
        raw = path.read_bytes()
        document = json.loads(raw)
        assert document["plans"]["sam"]["log"] == to_data(log)
        assert jsonfile_module._encode(document) == raw  # laid out as any write lays it out
        assert store.load_log("sam") == log
        store.close()


def test_a_batch_naming_what_the_file_lacks_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plans.json"
    store = netplan.open(f"json://{path}", create=True)
    store.save(Plan("Sam", start=dt.date(2026, 1, 1)))
    store.add("sam", Contact("Ana Silva"))
    raw = path.read_bytes()
    ghost = Batch(
        contacts=NewContacts.of([Contact("Ben Okafor", introduced_by="nobody")]),
    )
    with pytest.raises(netplan.ValidationError, match="nobody"):
        store.add_batch("sam", ghost)
    taken = Batch(contacts=NewContacts.of([Contact("Ana Silva")]))
    with pytest.raises(netplan.ValidationError, match="ana-silva.*already names a contact"):
        store.add_batch("sam", taken)
    assert path.read_bytes() == raw
    store.close()


def test_an_import_digests_the_log_once_and_still_sees_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version an import reads is checked under the lock on the same file without
    serializing the whole log again; a file changed in between is digested again."""
    store = JsonStore.open(parse_url(f"json://{tmp_path / 'plans.json'}"), create=True)
    store.save(Plan("Maya", start=dt.date(2026, 1, 1)))
    store.add("maya", Contact("Lena Berg"))
    digests: list[object] = []
    digest = jsonfile_module._digest

    def counted(log: Any) -> int:
        digests.append(log)
        return digest(log)

    monkeypatch.setattr(jsonfile_module, "_digest", counted)
    batch = Batch(contacts=NewContacts.of([Contact("Ana Silva")]))
    version = store.log_version("maya")
    store.add_batch("maya", batch, expected_version=version)
    assert len(digests) == 1
    assert [c.id for c in store.load_log("maya").contacts] == ["lena-berg", "ana-silva"]
    stale = store.log_version("maya")
    other = JsonStore.open(parse_url(f"json://{tmp_path / 'plans.json'}"), create=False)
    other.add("maya", Contact("Omar Haddad"))  # another writer, between read and write
    with pytest.raises(netplan.ConflictError):
        store.add_batch(
            "maya", Batch(contacts=NewContacts.of([Contact("Bo Chen")])), expected_version=stale
        )
    assert len(digests) == 3  # the changed file was digested again
