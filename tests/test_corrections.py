"""Mistakes in the activity log can be fixed and undone: contacts merged, a contact or
interactions removed, each a ``LogChange`` whose inverse puts the log back exactly, in
the log itself and through every store."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
from _sqlite import raw_sqlite
from netplan import (
    ActivityLog,
    ConflictError,
    Contact,
    Interaction,
    NotFoundError,
    Organization,
    PluginError,
    ValidationError,
    from_data,
    to_data,
)
from netplan.core.log import LogChange, Placed, Replaced
from netplan.storage import Capability, CorrectableStore, Store, correctable, parse_url, undo_of
from netplan.stores.jsonfile import JsonStore
from netplan.stores.memory import MemoryStore
from netplan.stores.sqlite import SCHEMA_VERSION, SqliteStore
from netplan.testing import strategies as nst

UTC = dt.UTC


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=UTC)


def data(log: ActivityLog) -> str:
    """A log as data: the same log means the same text, order of records and rows too."""
    return json.dumps(to_data(log), sort_keys=True)


def fresh(log: ActivityLog) -> ActivityLog:
    """The same records and rows, in a log built from scratch: what every index of a
    corrected log must agree with."""
    return ActivityLog.from_batch(log.batch(), trusted=True)


def assert_same_answers(log: ActivityLog, other: ActivityLog) -> None:
    assert log == other
    assert data(log) == data(other)
    assert log.interactions() == other.interactions()
    assert log.first_interactions() == other.first_interactions()
    assert log.count_first_seen() == other.count_first_seen()
    for kind in ("met", "coffee", "post"):
        assert log.count(kind=kind) == other.count(kind=kind)
    for contact in log.contacts:
        assert log.interactions(contact=contact.id) == other.interactions(contact=contact.id)
        assert log.last_interaction(contact.id) == other.last_interaction(contact.id)
    ids = [c.id for c in log.contacts]
    assert log.unanswered(None, None, kind="met", answer="coffee") == other.unanswered(
        None, None, kind="met", answer="coffee"
    )
    assert log.not_heard_from(ids, at(20)) == other.not_heard_from(ids, at(20))


def duplicated() -> ActivityLog:
    """Ana Silva twice (from two imports), Omar whom the second Ana introduced."""
    return ActivityLog(
        [
            Organization("Sunrise Power"),
            Organization("Wind Co"),
            Contact(
                "Ana Silva",
                organization="sunrise-power",
                emails=["ana@sunrise.example"],
                phones=["+49 30 1234567"],
                profiles=["https://www.linkedin.com/in/ana-silva/"],
                notes="Met at the summit.",
                birthday="--04-17",
                other_companies=["Old Co"],
                sources={"linkedin_connections:Connections.csv"},
            ),
            Contact("Lena Berg", tier="a"),
            Contact(
                "Ana Silva",
                id="ana-silva-2",
                organization="wind-co",
                emails=["Ana@Sunrise.example", "ana@home.example"],
                phones=["+49 (30) 123 4567", "+49 170 000000"],
                profiles=["https://www.linkedin.com/in/ana-silva", "https://x.example/ana"],
                tags={"climate"},
                notes="Prefers tea.",
                nickname="Nina",
                birthday="1990-04-17",
                role="Engineer",
                industry="energy",
                tier="b",
                met_how="conference",
                introduced_by="lena-berg",
                other_companies=["old co", "Startup GmbH"],
                sources={"vcard:phone.vcf"},
            ),
            Contact("Omar Haddad", introduced_by="ana-silva-2"),
            Interaction("met", at(3, 19), contact="ana-silva"),
            Interaction("coffee", at(10), contact="ana-silva-2", notes="Café ☕"),
            Interaction("post", at(4), notes="Hello"),
            Interaction("met", at(2), contact="ana-silva-2"),  # back-dated
            Interaction("met", at(6), contact="lena-berg"),
        ]
    )


# -- merging -------------------------------------------------------------------------
def test_a_merge_gives_the_kept_contact_what_the_other_had_that_it_lacked() -> None:
    log = duplicated()
    change = log.merge_contacts("ana-silva-2", into="ana-silva")
    ana = log.contact("ana-silva")
    assert ana.name == "Ana Silva" and ana.id == "ana-silva"
    assert ana.emails == ("ana@sunrise.example", "ana@home.example")  # without case twice
    assert ana.phones == ("+49 30 1234567", "+49 170 000000")  # the same digits once
    assert ana.profiles == (
        "https://www.linkedin.com/in/ana-silva/",
        "https://x.example/ana",
    )
    assert ana.tags == {"climate"}
    assert ana.notes == "Met at the summit.\n\nPrefers tea."
    assert (ana.nickname, ana.birthday, ana.role) == ("Nina", "1990-04-17", "Engineer")
    assert (ana.industry, ana.tier, ana.met_how) == ("energy", "b", "conference")
    assert ana.introduced_by == "lena-berg"
    assert ana.organization == "sunrise-power"
    assert ana.other_companies == ("Old Co", "Wind Co", "Startup GmbH")
    assert ana.sources == {"linkedin_connections:Connections.csv", "vcard:phone.vcf"}
    assert log.contact("omar-haddad").introduced_by == "ana-silva"
    assert [c.id for c in log.contacts] == ["ana-silva", "lena-berg", "omar-haddad"]
    assert [i.contact for i in log] == ["ana-silva", "ana-silva", None, "ana-silva", "lena-berg"]
    assert change.description == "merged ana-silva-2 into ana-silva"
    assert str(change) == "merged ana-silva-2 into ana-silva"
    assert [p.position for p in change.removed] == [2, 1, 3]  # the contact, its rows
    assert [p.position for p in change.added] == [1, 3]
    assert {r.before.id for r in change.replaced} == {"ana-silva", "omar-haddad"}


def test_a_merge_keeps_what_the_kept_contact_has() -> None:
    log = ActivityLog(
        [
            Organization("Sunrise Power"),
            Contact(
                "Ana",
                organization="sunrise-power",
                birthday="1990-04-17",
                role="CTO",
                notes="Tea.",
                tier="a",
            ),
            Contact("Ana S", id="ana-2", birthday="--04-18", role="Engineer", notes="Tea."),
        ]
    )
    log.merge_contacts("ana-2", into="ana")
    ana = log.contact("ana")
    assert (ana.birthday, ana.role, ana.notes, ana.tier) == ("1990-04-17", "CTO", "Tea.", "a")
    assert ana.other_companies == ()


def test_a_merged_contact_takes_the_others_organization_when_it_has_none() -> None:
    log = ActivityLog(
        [
            Organization("Wind Co"),
            Contact("Ana"),
            Contact("Ana", id="ana-2", organization="wind-co", other_companies=["Wind Co"]),
        ]
    )
    log.merge_contacts("ana-2", into="ana")
    assert log.contact("ana").organization == "wind-co"
    assert log.contact("ana").other_companies == ()  # its own company is not another


@pytest.mark.parametrize(
    ("kept", "other", "expected"),
    [
        ("ana-2", None, None),  # introduced by the one merged into them: nobody now
        ("ana-2", "lena", "lena"),  # ... who was introduced by Lena
        (None, "ana", None),  # the merged one introduced by the one kept
        ("lena", "omar", "lena"),
    ],
)
def test_nobody_is_introduced_by_themselves_after_a_merge(
    kept: str | None, other: str | None, expected: str | None
) -> None:
    log = ActivityLog(
        [Contact("Lena"), Contact("Omar"), Contact("Ana"), Contact("Ana", id="ana-2")]
    )
    log.update(Contact("Ana", introduced_by=kept))
    log.update(Contact("Ana", id="ana-2", introduced_by=other))
    log.merge_contacts("ana-2", into="ana")
    assert log.contact("ana").introduced_by == expected
    assert data(from_data(to_data(log), ActivityLog)) == data(log)


def test_merging_refuses_a_contact_into_itself_or_one_that_is_missing() -> None:
    log = duplicated()
    before = data(log)
    with pytest.raises(ValidationError, match="another contact"):
        log.merge_contacts("ana-silva", into="ana-silva")
    with pytest.raises(NotFoundError, match="no contact 'nobody'"):
        log.merge_contacts("nobody", into="ana-silva")
    with pytest.raises(NotFoundError, match="no contact 'nobody'"):
        log.merge_contacts("ana-silva", into="nobody")
    assert data(log) == before


def test_a_duplicated_person_is_counted_once_after_the_merge() -> None:
    plan = netplan.Plan(
        "Maya",
        start=dt.date(2026, 11, 1),
        goals=[netplan.Goal("Grow", targets=[netplan.Target(4, "new_contacts", per="month")])],
    )
    log = duplicated()
    as_of = dt.date(2026, 11, 30)

    def new_contacts() -> float:
        return netplan.review(plan, log, as_of).progress[0].actual

    reviewer = netplan.Reviewer()
    assert new_contacts() == 3 == reviewer.review(plan, log, as_of).progress[0].actual
    change = log.merge_contacts("ana-silva-2", into="ana-silva")
    assert new_contacts() == 2  # Ana once, Lena
    # The incremental reviewer sees the change too, as reviewing afresh does.
    assert reviewer.review(plan, log, as_of) == netplan.review(plan, log, as_of)
    assert log.first_interactions()["ana-silva"] == at(2)  # her first, from the duplicate
    log.apply(change.inverse())
    assert new_contacts() == 3
    assert reviewer.review(plan, log, as_of) == netplan.review(plan, log, as_of)


# -- removing ------------------------------------------------------------------------
def test_removing_a_contact_names_what_still_refers_to_it() -> None:
    log = duplicated()
    before = data(log)
    with pytest.raises(ValidationError) as caught:
        log.remove_contact("ana-silva-2")
    message = str(caught.value)
    assert "2 interactions (the latest: the coffee with ana-silva-2 at 2026-11-10" in message
    assert "the introduced_by of 'omar-haddad'" in message
    assert "with_interactions=True" in message and "merge_contacts" in message
    assert data(log) == before
    with pytest.raises(NotFoundError):
        log.remove_contact("nobody")
    change = log.remove_contact("ana-silva-2", with_interactions=True)
    assert change.description == "removed ana-silva-2 and their 2 interactions"
    assert [c.id for c in log.contacts] == ["ana-silva", "lena-berg", "omar-haddad"]
    assert [i.kind.value for i in log] == ["met", "post", "met"]
    assert log.contact("omar-haddad").introduced_by is None
    assert_same_answers(log, fresh(log))
    log.apply(change.inverse())
    assert data(log) == before


def test_a_contact_nothing_refers_to_is_removed_alone() -> None:
    log = duplicated()
    log.add(Contact("Typo Person"))
    change = log.remove_contact("typo-person")
    assert change.description == "removed typo-person"
    assert (change.added, change.replaced) == ((), ())
    assert "typo-person" not in {c.id for c in log.contacts}


def test_interactions_are_removed_by_value_the_last_logged_first() -> None:
    log = duplicated()
    coffee = log.interactions(kind="coffee")[0]
    log.add(coffee)  # logged twice by mistake
    before = data(log)
    change = log.remove_interactions(coffee)
    assert change.removed == (Placed(5, coffee),)
    assert change.description == "removed the coffee with ana-silva-2 at 2026-11-10 12:00 UTC"
    assert len(log.interactions(kind="coffee")) == 1
    log.apply(change.inverse())
    assert data(log) == before
    # Both copies, and a post, in one change.
    post = log.interactions(kind="post")[0]
    change = log.remove_interactions(coffee, post, coffee)
    assert change.description == "removed 3 interactions"
    assert [p.position for p in change.removed] == [1, 2, 5]
    assert log.count(kind="coffee") == 0
    assert_same_answers(log, fresh(log))


def test_removing_an_interaction_the_log_does_not_hold_changes_nothing() -> None:
    log = duplicated()
    before = data(log)
    coffee = log.interactions(kind="coffee")[0]
    with pytest.raises(NotFoundError, match="coffee with ana-silva-2 at 2026-11-10 12:00 UTC"):
        log.remove_interactions(coffee, coffee)  # logged once, removed twice
    with pytest.raises(NotFoundError):
        log.remove_interactions(attrs.evolve(coffee, notes="other"))
    with pytest.raises(ValidationError, match="at least one"):
        log.remove_interactions()
    with pytest.raises(ValidationError, match="must be an Interaction"):
        log.remove_interactions(log.contacts[0])  # type: ignore[arg-type]
    assert data(log) == before


# -- the change value ----------------------------------------------------------------
def test_a_change_that_does_not_fit_the_log_is_refused_whole() -> None:
    log = duplicated()
    change = log.copy().merge_contacts("ana-silva-2", into="ana-silva")
    log.update(attrs.evolve(log.contact("ana-silva"), tier="c"))
    before = data(log)
    with pytest.raises(ConflictError, match="contact 'ana-silva' is not as the change found it"):
        log.apply(change)
    moved = LogChange("moved", removed=[Placed(0, log.contact("lena-berg"))])
    with pytest.raises(ConflictError, match="not in its place"):
        log.apply(moved)
    row = LogChange("a row", removed=[Placed(0, log.interactions(kind="post")[0])])
    with pytest.raises(ConflictError, match="row 0 is not the post"):
        log.apply(row)
    far = LogChange("far", added=[Placed(99, log.interactions(kind="post")[0])])
    with pytest.raises(ConflictError, match="past the end"):
        log.apply(far)
    twice = LogChange("twice", added=[Placed(0, Contact("Lena Berg"))])
    with pytest.raises(ConflictError, match="has a contact 'lena-berg' already"):
        log.apply(twice)
    dangling = LogChange("dangling", added=[Placed(0, Interaction("met", at(1), contact="x"))])
    with pytest.raises(ValidationError, match="must name a contact of the log after"):
        log.apply(dangling)
    with pytest.raises(ValidationError, match="must be a LogChange"):
        log.apply("merge them")  # type: ignore[arg-type]
    assert data(log) == before


def test_a_change_value_is_checked_when_made() -> None:
    lena = Contact("Lena Berg")
    with pytest.raises(ValidationError, match="description"):
        LogChange(" ")
    with pytest.raises(ValidationError, match="position"):
        LogChange("x", removed=[Placed(1, lena), Placed(1, Contact("Omar"))])
    with pytest.raises(ValidationError, match="names a contact twice"):
        LogChange("x", added=[Placed(1, lena), Placed(2, lena)])
    with pytest.raises(ValidationError, match="also adds, removes or replaces"):
        LogChange("x", removed=[Placed(1, lena)], replaced=[Replaced(lena, lena)])
    with pytest.raises(ValidationError, match="Replaced.after"):
        Replaced(lena, Contact("Omar"))
    with pytest.raises(ValidationError, match="Placed.position"):
        Placed(-1, lena)
    with pytest.raises(ValidationError, match="undoes"):
        LogChange("x", undoes=0)


def test_a_change_round_trips_through_json_and_reads_plainly() -> None:
    log = duplicated()
    for change in (
        log.copy().merge_contacts("ana-silva-2", into="ana-silva"),
        log.copy().remove_contact("ana-silva-2", with_interactions=True),
        log.copy().remove_interactions(*log.interactions()),
    ):
        for value in (change, attrs.evolve(change, number=3).inverse()):
            text = json.dumps(to_data(value), sort_keys=True)
            assert from_data(json.loads(text), LogChange) == value
            assert from_data(json.loads(text)) == value
    stored = to_data(
        attrs.evolve(log.copy().remove_contact("lena-berg", with_interactions=True), number=2)
    )
    assert stored["type"] == "LogChange"
    assert stored["data"]["number"] == 2
    assert stored["data"]["removed"][0] == {
        "position": 1,
        "record": {"type": "contact", **to_data(Contact("Lena Berg", tier="a"))["data"]},
    }
    assert stored["data"]["removed"][1]["record"]["type"] == "interaction"


def test_the_inverse_of_the_inverse_makes_the_change_again() -> None:
    log = duplicated()
    change = log.merge_contacts("ana-silva-2", into="ana-silva")
    merged = data(log)
    back = attrs.evolve(change, number=1).inverse()
    assert back.undoes == 1 and back.description.startswith("undid change 1 (merged")
    log.apply(back)
    again = back.inverse()
    assert (again.added, again.removed, again.replaced) == (
        change.added,
        change.removed,
        change.replaced,
    )
    log.apply(again)
    assert data(log) == merged


# -- properties: any corrections, undone, give back the log --------------------------
def correct(log: ActivityLog, draw: st.DrawFn) -> LogChange | None:
    """One correction drawn at random (merge, removal of a contact or of interactions),
    made on ``log``; None when the log refuses it, which must then leave it unchanged."""
    ids = [c.id for c in log.contacts]
    what = draw(st.sampled_from(["merge", "remove_contact", "remove_interactions", "add", "edit"]))
    before = data(log)
    try:
        if what == "add":  # what `netplan log` does: a new contact, an interaction
            newcomer = Contact("New Person", id=draw(st.sampled_from(["new-person", *ids])))
            at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
                hours=draw(st.integers(0, 24 * 60))
            )
            met = Interaction("met", at, contact=draw(st.sampled_from([newcomer.id, *ids])))
            return log.add_change(newcomer, met, description="logged met")
        if what == "edit":  # `netplan contacts edit`
            contact = log.contact(draw(st.sampled_from(ids)))
            edited = attrs.evolve(contact, tier=draw(st.sampled_from([None, "a", "b"])))
            return log.add_change(replace=[edited], description=f"edited {contact.id}")
        if what == "merge":
            merged = draw(st.sampled_from(ids))
            return log.merge_contacts(merged, into=draw(st.sampled_from(ids)))
        if what == "remove_contact":
            who = draw(st.sampled_from(ids))
            return log.remove_contact(who, with_interactions=draw(st.booleans()))
        if not len(log):
            return None
        chosen = draw(st.lists(st.sampled_from(log.interactions()), min_size=1, max_size=3))
        return log.remove_interactions(*chosen)
    except (ValidationError, NotFoundError, ConflictError):
        assert data(log) == before
        return None


@given(
    log=nst.activity_logs(max_contacts=6, max_interactions=30),
    steps=st.integers(1, 6),
    draw=st.data(),
)
def test_any_corrections_then_as_many_undos_give_back_the_log(
    log: ActivityLog, steps: int, draw: st.DataObject
) -> None:
    original = data(log)
    copy = log.copy()
    changes: list[tuple[LogChange, str]] = []
    for _ in range(steps):
        if not log.contacts:
            break
        change = correct(log, draw.draw)
        if change is not None:
            changes.append((change, data(log)))
            # Every index of the corrected log agrees with one built from scratch.
            assert_same_answers(log, fresh(log))
    for change, state in reversed(changes):
        assert data(log) == state
        log.apply(change.inverse())
    assert data(log) == original
    assert log == copy
    assert_same_answers(log, copy)


@given(log=nst.activity_logs(max_contacts=6, max_interactions=30), draw=st.data())
def test_a_change_made_again_on_a_copy_gives_the_same_log(
    log: ActivityLog, draw: st.DataObject
) -> None:
    if not log.contacts:
        return
    before = log.copy()
    change = correct(log, draw.draw)
    if change is None:
        return
    before.apply(from_data(json.loads(json.dumps(to_data(change))), LogChange))
    assert data(before) == data(log)


# -- stores --------------------------------------------------------------------------
_FOLDERS: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _remove_folders() -> Iterator[None]:
    yield
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="netplan-corrections-"))
    _FOLDERS.append(folder)
    return folder


STORES: dict[str, Callable[[], Store]] = {
    "memory": MemoryStore,
    "sqlite": lambda: SqliteStore.open(parse_url(f"sqlite://{_folder()}/p.db"), create=True),
    "json": lambda: JsonStore.open(parse_url(f"json://{_folder()}/p.json"), create=True),
}


@pytest.mark.parametrize("kind", sorted(STORES))
@settings(
    max_examples=max(10, settings().max_examples // 3),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    log=nst.activity_logs(max_contacts=6, max_interactions=25),
    steps=st.integers(1, 5),
    draw=st.data(),
)
def test_a_store_undoes_any_corrections_back_to_the_log(
    kind: str, log: ActivityLog, steps: int, draw: st.DataObject
) -> None:
    with STORES[kind]() as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 1, 1)))
        store.save(netplan.Plan("Ravi", start=dt.date(2026, 1, 1)))
        store.add("maya", *log.organizations, *log.contacts, *log.events())
        for interaction in log:  # one by one, with another plan's rows among them
            store.add("maya", interaction)
            store.add("ravi", Interaction("post", at(1)))
        changing = correctable(store)
        original = data(store.load_log("maya"))
        assert original == data(log)
        made = 0
        for _ in range(steps):
            mine = store.load_log("maya")
            if not mine.contacts:
                break
            change = correct(mine, draw.draw)
            if change is None:
                continue
            made += 1
            assert changing.change("maya", change) == made
            assert data(store.load_log("maya")) == data(mine)
        for number in range(made, 0, -1):
            assert changing.undo("maya").undoes == number
        assert data(store.load_log("maya")) == original
        with pytest.raises(NotFoundError):
            changing.undo("maya")
        assert len(store.load_log("ravi")) == len(log)


def test_a_store_without_changes_says_so_clearly() -> None:
    class OldStore(MemoryStore):
        """A plugin's store written before CorrectableStore."""

        capabilities: frozenset[Capability] = frozenset()
        change = changes = undo = None  # type: ignore[assignment]

    class Undeclared(MemoryStore):
        capabilities: frozenset[Capability] = frozenset()

    old = OldStore("old://")
    assert isinstance(old, Store)  # still a store for everything else
    with pytest.raises(
        PluginError, match=r"old:// \(OldStore\).*no change\(\), changes\(\), undo\(\)"
    ):
        correctable(old)
    with pytest.raises(PluginError, match="does not declare Capability.CHANGES"):
        correctable(Undeclared())
    for store in (MemoryStore(), STORES["sqlite"](), STORES["json"]()):
        assert correctable(store) is store
        assert isinstance(store, CorrectableStore)
        store.close()


def test_undo_walks_back_and_never_undoes_an_undo() -> None:
    one, two, three = (LogChange(f"change {n}", number=n) for n in (1, 2, 3))
    assert undo_of([one, two], "maya").undoes == 2
    undid_two = attrs.evolve(two.inverse(), number=3)
    assert undo_of([one, two, undid_two], "maya").undoes == 1
    later = attrs.evolve(three, number=4)
    assert undo_of([one, two, undid_two, later], "maya").undoes == 4
    with pytest.raises(NotFoundError, match="undone already"):
        undo_of([one, attrs.evolve(one.inverse(), number=2)], "maya")
    with pytest.raises(NotFoundError, match="nothing was merged or removed"):
        undo_of([], "maya")


def test_a_store_refuses_a_hand_made_undo() -> None:
    with MemoryStore() as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 1, 1)))
        with pytest.raises(ValidationError, match="store.undo"):
            store.change("maya", LogChange("undo", undoes=1))


# -- SQLite: the history table and its migration -------------------------------------
def test_the_first_sqlite_schema_gains_the_change_history(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    fixture = Path(__file__).parent / "fixtures" / "sqlite_schema_v1.sql"
    with raw_sqlite(path) as db:
        db.executescript(fixture.read_text(encoding="utf-8"))
    with SqliteStore.open(parse_url(f"sqlite://{path}"), create=False) as store:
        before = data(store.load_log("maya"))
        assert store.changes("maya") == ()
        store.add("maya", Contact("Lena B", id="lena-b"))
        store.change("maya", store.load_log("maya").merge_contacts("lena-b", into="lena-berg"))
        store.change(
            "maya",
            store.load_log("maya").remove_interactions(store.load_log("maya").interactions()[0]),
        )
        store.undo("maya")
        store.undo("maya")
        store.change("maya", store.load_log("maya").remove_contact("lena-b"))
        assert data(store.load_log("maya")) == before
    with raw_sqlite(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION),)
        assert db.execute("SELECT count(*) FROM changes").fetchone() == (5,)
        # Every write to the log counted: an add, three changes and two undos.
        assert db.execute("SELECT log_version FROM plans").fetchone() == (6,)


def test_sqlite_rewrites_only_what_a_change_needs(tmp_path: Path) -> None:
    with SqliteStore.open(parse_url(f"sqlite://{tmp_path}/p.db"), create=True) as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 1, 1)))
        store.add("maya", *duplicated().organizations, *duplicated().contacts, *duplicated())
        with raw_sqlite(tmp_path / "p.db") as db:
            rows = db.execute("SELECT row, contact FROM interactions ORDER BY row").fetchall()
        store.change("maya", store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva"))
        with raw_sqlite(tmp_path / "p.db") as db:
            after = db.execute("SELECT row, contact FROM interactions ORDER BY row").fetchall()
        # Re-attributed in place: the same row numbers, Ana's now.
        assert [r for r, _ in after] == [r for r, _ in rows]
        assert [c for _, c in after] == ["ana-silva", "ana-silva", None, "ana-silva", "lena-berg"]


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_hand_made_change_mixing_everything_is_made_alike_by_every_store(kind: str) -> None:
    log = duplicated()
    rows = list(log)
    lena, ana = log.contact("lena-berg"), log.contact("ana-silva-2")
    change = LogChange(
        "a bit of everything",
        removed=[Placed(1, lena), Placed(4, rows[4]), Placed(1, rows[1])],
        added=[
            Placed(0, attrs.evolve(lena, id="lena-b")),
            Placed(0, Interaction("call", at(1), contact="lena-b")),
            Placed(3, attrs.evolve(rows[4], contact="lena-b")),
            Placed(5, Interaction("post", at(30), notes="é")),
        ],
        replaced=[
            Replaced(log.contact("omar-haddad"), Contact("Omar Haddad", tier="c")),
            Replaced(ana, attrs.evolve(ana, introduced_by="lena-b")),
        ],
    )
    expected = log.copy()
    expected.apply(change)
    assert [i.contact for i in expected] == [
        "lena-b", "ana-silva", None, "lena-b", "ana-silva-2", None
    ]  # fmt: skip
    assert [c.id for c in expected.contacts] == [
        "lena-b",
        "ana-silva",
        "ana-silva-2",
        "omar-haddad",
    ]
    with STORES[kind]() as store:
        store.save(netplan.Plan("Maya", start=dt.date(2026, 1, 1)))
        store.save(netplan.Plan("Ravi", start=dt.date(2026, 1, 1)))
        for record in (*log.organizations, *log.contacts, *log.events(), *log):
            store.add("maya", record)
            store.add("ravi", Interaction("post", at(1)))
        changing = correctable(store)
        changing.change("maya", change)
        assert data(store.load_log("maya")) == data(expected)
        changing.undo("maya")
        assert data(store.load_log("maya")) == data(log)
