"""Each part on its own: the metric, the rule, the importer, and what the store promises
beyond the shared contract (private files, plain JSON, clear errors)."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netplan import (
    ActivityLog,
    AddAction,
    Contact,
    CorruptStoreError,
    Interaction,
    LogChange,
    NotFoundError,
    Once,
    Plan,
    PlannedAction,
    RuleContext,
    SchemaError,
    Segment,
    StoreNotFoundError,
    ValidationError,
    Window,
)
from netplan.core.importing import ProblemLevel
from netplan.core.log import Placed
from netplan.storage import parse_url

from netplan_example.importers import meetup_attendees
from netplan_example.jsondir import JsonDirStore
from netplan_example.metrics import people_introduced
from netplan_example.rules import QuietMentors, quiet_mentors

UTC = dt.UTC
PLAN = Plan("Maya", start=dt.date(2026, 11, 1))


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, tzinfo=UTC)


# -- the metric ---------------------------------------------------------------------------


def test_the_metric_counts_people_not_introductions() -> None:
    log = ActivityLog(
        [
            Contact("Omar Haddad", tags={"climate"}),
            Contact("Kim Lee"),
            Interaction("intro_given", at(11, 1), contact="omar-haddad"),
            Interaction("intro_given", at(11, 2), contact="omar-haddad"),
            Interaction("intro_given", at(11, 30), contact="kim-lee"),
            Interaction("intro_received", at(11, 3), contact="kim-lee"),
            Interaction("intro_given", at(12, 1), contact="kim-lee"),  # after the window
        ]
    )
    november = Window(dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert people_introduced.measure(PLAN, log, november, None) == 2.0
    assert people_introduced.measure(PLAN, log, november, Segment(tag="climate")) == 1.0
    first_day = Window(dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert people_introduced.measure(PLAN, log, first_day, None) == 1.0
    assert people_introduced.measure(PLAN, ActivityLog(), november, None) == 0.0


# -- the rule -----------------------------------------------------------------------------


def context(log: ActivityLog, as_of: dt.date, plan: Plan = PLAN) -> RuleContext:
    return RuleContext(plan, log, as_of, (), (), {})


def mentors_log() -> ActivityLog:
    return ActivityLog(
        [
            Contact("Lena Berg", tags={"mentor"}),
            Contact("Ravi Rao", tags={"mentor"}),
            Contact("Ana Silva", tags={"mentor"}),  # never talked to: no clock
            Contact("Omar Haddad"),  # not a mentor
            Interaction("coffee", at(9, 1), contact="lena-berg"),
            Interaction("call", at(8, 1), contact="ravi-rao"),
            Interaction("met", at(7, 1), contact="omar-haddad"),
        ]
    )


def test_quiet_mentors_are_flagged_longest_silent_first() -> None:
    findings = list(quiet_mentors.check(context(mentors_log(), dt.date(2026, 11, 1))))
    assert [(f.subject.id, f.severity.value) for f in findings] == [
        ("ravi-rao", "warning"),
        ("lena-berg", "warning"),
    ]
    assert findings[1].message == (
        "Get back in touch with your mentor Lena Berg: 61 days since you last talked (2026-09-01)."
    )
    assert findings[1].adjustment == AddAction(
        PlannedAction(
            "Catch up with Lena Berg",
            kind="reach_out",
            schedule=Once(dt.date(2026, 11, 15)),
            notes="Suggested by example:quiet_mentors: last talked on 2026-09-01.",
        )
    )


def test_exactly_sixty_days_is_not_yet_quiet() -> None:
    flagged = [
        f.subject.id for f in quiet_mentors.check(context(mentors_log(), dt.date(2026, 10, 31)))
    ]
    assert flagged == ["ravi-rao"]


def test_a_review_of_a_past_day_ignores_later_interactions() -> None:
    log = mentors_log()
    log.add(Interaction("message", at(12, 1), contact="ravi-rao"))
    flagged = [f.subject.id for f in quiet_mentors.check(context(log, dt.date(2026, 11, 1)))]
    assert flagged == ["ravi-rao", "lena-berg"]
    assert [f.subject.id for f in quiet_mentors.check(context(log, dt.date(2026, 12, 2)))] == [
        "lena-berg"
    ]


def test_no_action_is_suggested_twice() -> None:
    plan = PLAN.add_action(PlannedAction("Catch up with Lena Berg"))
    findings = list(quiet_mentors.check(context(mentors_log(), dt.date(2026, 11, 1), plan)))
    assert {f.subject.id: f.adjustment is None for f in findings} == {
        "ravi-rao": False,
        "lena-berg": True,
    }


def test_the_rule_is_configurable_and_says_so() -> None:
    rule = QuietMentors(tag="mentee", quiet_days=30)
    assert rule.description == "Contacts tagged 'mentee' not heard from in over 30 days."
    assert list(rule.check(context(mentors_log(), dt.date(2026, 11, 1)))) == []


# -- the importer -------------------------------------------------------------------------

ATTENDEES = (
    "\ufeffname , RSVP,profile url\n"  # any order, any case, a byte-order mark
    "Lena Berg,Yes,https://meetup.example/members/1042\n"
    '"Omar\nHaddad",No,\n'  # a quoted cell over two lines
    "\n"
    "Kim Lee,maybe,\n"
    "Ana Silva,Yes,ftp://example.org/ana\n"
    ",Yes,\n"
    "Ravi Rao,Yes\n"
    "Mia Wong,waitlist,\n"
    "Jo Park,YES,http://meetup.example/members/7\n"
).encode()


def test_sniff_knows_its_header_and_nothing_else() -> None:
    assert meetup_attendees.sniff("attendees.csv", ATTENDEES[:40]) == 0.9
    assert meetup_attendees.sniff("x.txt", b"Name,Profile URL,RSVP\r\n") == 0.9
    assert meetup_attendees.sniff("attendees.csv", b"Name,Email\n") == 0.0
    assert meetup_attendees.sniff("attendees.csv", b"Name,Profile URL,RSVP,Guests\n") == 0.0
    assert meetup_attendees.sniff("empty.csv", b"") == 0.0


def test_read_keeps_the_yes_rows_and_names_every_problem() -> None:
    parsed = meetup_attendees.read("attendees.csv", ATTENDEES)
    assert [(p.name, p.profiles, p.source.line) for p in parsed.people] == [
        ("Lena Berg", ("https://meetup.example/members/1042",), 2),
        ("Ana Silva", (), 7),
        ("Jo Park", ("http://meetup.example/members/7",), 11),
    ]
    assert [str(p) for p in parsed.problems] == [
        "attendees.csv, line 6 (RSVP): warning: RSVP 'maybe' is not Yes, No or Waitlist; "
        "Kim Lee left out",
        "attendees.csv, line 7 (Profile URL): warning: 'ftp://example.org/ana' is not a web "
        "address; left out",
        "attendees.csv, line 8 (Name): error: no name; left out",
        "attendees.csv, line 9: error: 2 cells where the header has 3; left out",
    ]


def test_a_file_without_the_header_is_one_error() -> None:
    parsed = meetup_attendees.read("people.csv", b"Name,Email\nLena,l@x.org\n")
    assert parsed.people == ()
    assert [(p.level, p.source.line) for p in parsed.errors] == [(ProblemLevel.ERROR, 1)]


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_read_never_raises(tail: bytes) -> None:
    parsed = meetup_attendees.read("attendees.csv", b"Name,Profile URL,RSVP\n" + tail)
    assert all(p.source.file == "attendees.csv" for p in parsed.problems)


# -- the store beyond the contract --------------------------------------------------------


def open_store(folder: Path, *, create: bool = False, query: str = "") -> JsonDirStore:
    return JsonDirStore.open(parse_url(f"jsondir://{folder}{query}"), create=create)


def test_files_are_private_plain_json(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    with open_store(folder, create=True) as store:
        store.save(PLAN)
        store.add("maya", Contact("Lena Berg"))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(p.name for p in folder.iterdir())
    assert files == [".jsondir.lock", ".netplan-jsondir", "maya.json"]
    for name in files:
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    entry = json.loads((folder / "maya.json").read_text(encoding="utf-8"))
    assert sorted(entry) == ["log", "netplan_jsondir", "reviews", "revisions"]
    assert entry["revisions"][0]["type"] == "Plan"


def test_opening_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="pass create=True"):
        open_store(tmp_path / "missing")
    with pytest.raises(StoreNotFoundError, match="does not exist; create it first"):
        open_store(tmp_path / "typo" / "plans", create=True)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreNotFoundError, match="is a file"):
        open_store(tmp_path / "file", create=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "settings.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="not a store's") as error:
        open_store(tmp_path / "other", create=True)
    assert "settings.json" in error.value.detail
    assert str(tmp_path) in error.value.detail
    assert str(tmp_path) not in str(error.value)
    with pytest.raises(ValidationError, match="takes no options"):
        open_store(tmp_path / "plans", create=True, query="?mode=ro")
    with pytest.raises(ValidationError, match="needs a folder"):
        JsonDirStore.open(parse_url("jsondir://"), create=True)
    open_store(tmp_path / "newer", create=True)
    (tmp_path / "newer" / ".netplan-jsondir").write_text('{"netplan_jsondir": 2}')
    with pytest.raises(SchemaError, match="newer"):
        open_store(tmp_path / "newer")


def test_ids_that_are_not_plan_ids_name_nothing(tmp_path: Path) -> None:
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    store = open_store(tmp_path / "plans", create=True)
    for plan_id in ("../secret", "/etc/passwd", ".netplan-jsondir", ""):
        with pytest.raises(NotFoundError):
            store.load(plan_id)


def test_a_corrupt_plan_file_is_reported_not_misread(tmp_path: Path) -> None:
    store = open_store(tmp_path, create=True)
    store.save(PLAN)
    (tmp_path / "maya.json").write_text('{"revisions": [', encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="the plan's file is not a readable") as error:
        store.load("maya")
    assert str(tmp_path) not in str(error.value)
    assert f"{tmp_path / 'maya.json'} is not a readable" in error.value.detail


def test_a_failed_change_writes_nothing_and_leftovers_are_swept(tmp_path: Path) -> None:
    store = open_store(tmp_path, create=True)
    store.save(PLAN)
    before = (tmp_path / "maya.json").read_bytes()
    with pytest.raises(ValidationError, match="ghost"):
        store.add("maya", Contact("Kim Lee"), Interaction("met", at(11, 3), contact="ghost"))
    assert (tmp_path / "maya.json").read_bytes() == before
    leftover = tmp_path / ".maya.json.0123456789ab.tmp"  # a writer killed mid-write
    leftover.write_bytes(b"half")
    # The next store object (another process, a later run) removes it at its first write.
    open_store(tmp_path).save_review("maya", {"n": 1})
    assert not leftover.exists()
    assert open_store(tmp_path).plans() == ("maya",)


def test_a_corrected_plan_keeps_its_history_in_its_file(tmp_path: Path) -> None:
    store = open_store(tmp_path, create=True)
    store.save(PLAN)
    store.add(
        "maya",
        Contact("Ana Silva"),
        Contact("Ana Silva", id="ana-silva-2"),
        Interaction("met", at(11, 3), contact="ana-silva-2"),
    )
    path = tmp_path / "maya.json"
    assert json.loads(path.read_text(encoding="utf-8"))["netplan_jsondir"] == 1
    before = path.read_bytes()
    # Removing a contact by hand and leaving its interaction behind is refused by
    # log.apply, which the store calls: the file is not touched.
    log = store.load_log("maya")
    alone = LogChange("removed ana-silva-2", removed=[Placed(1, log.contact("ana-silva-2"))])
    with pytest.raises(ValidationError, match="still referred to by 1 interaction"):
        store.change("maya", alone)
    assert path.read_bytes() == before
    merge = log.merge_contacts("ana-silva-2", into="ana-silva")
    assert store.change("maya", merge) == 1
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert (entry["netplan_jsondir"], len(entry["changes"])) == (2, 1)
    again = open_store(tmp_path)
    assert again.changes("maya") == (attrs.evolve(merge, number=1),)
    assert again.undo("maya").undoes == 1
    assert [c.id for c in again.load_log("maya").contacts] == ["ana-silva", "ana-silva-2"]
    entry["changes"] = "lost"
    path.write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="'changes' must be a list"):
        again.changes("maya")
