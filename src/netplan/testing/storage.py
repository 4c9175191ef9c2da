"""The storage contract: tests every store backend must pass, shipped for backend authors.

Subclass :class:`StoreContract` in a test module and give the subclass, as methods, the
fixtures its tests use (the contract's own defaults hide a module's or a conftest's
fixtures of the same names):

``store`` (always)
    A new, empty, open store for each test; close it after the test (``yield`` it).
``reopen`` (when ``store.capabilities`` holds ``Capability.PERSISTENT``)
    A function that closes ``store``, opens the same location again and returns the new
    store object (the test closes it). A store that declares ``PERSISTENT`` without it
    fails the reopening tests, with a message saying to define it or drop the flag; one
    that does not declare ``PERSISTENT`` skips them.
``raw`` (optional)
    A :class:`RawAccess` over the storage medium, bypassing the backend: the contract's
    independent oracle. Without it, its two tests are skipped.

Tests of capabilities the store does not declare in ``store.capabilities`` are skipped
(the corrections of a log, merges, removals and undos, are tested when it declares
``Capability.CHANGES``); the batch test runs when the store has ``add_batch`` and
``log_version`` (a :class:`netplan.storage.BatchStore`)::

    import uuid

    import pytest
    from netplan.storage import parse_url
    from netplan.testing.storage import StoreContract, store_state_machine

    from netplan_shelf import ShelfStore  # the backend under test

    def new_empty_shelf():
        return ShelfStore.open(parse_url(f"shelf://{uuid.uuid4().hex}"), create=True)

    class TestShelfStore(StoreContract):
        @pytest.fixture
        def store(self):
            with new_empty_shelf() as store:
                yield store

        @pytest.fixture
        def reopen(self, store):  # ShelfStore declares Capability.PERSISTENT
            def again():
                store.close()
                return ShelfStore.open(parse_url(store.url), create=False)

            return again

    TestShelfMachine = store_state_machine(new_empty_shelf).TestCase

:func:`store_state_machine` drives your store and the in-memory reference through the
same random sequence of operations (hypothesis' stateful testing) and checks they agree.
netplan's guide to storage ("Writing a backend") defines such a store in full, and lists
every rule these tests check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, Protocol, cast

import attrs
import pytest

try:
    from hypothesis import settings
except ImportError as error:  # pragma: no cover - exercised in a venv without hypothesis
    from netplan.testing import NEEDS_HYPOTHESIS

    raise ImportError(NEEDS_HYPOTHESIS) from error
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from netplan.core.batch import Batch
from netplan.core.errors import ConflictError, NetplanError, NotFoundError, ValidationError
from netplan.core.goals import Goal, Target
from netplan.core.log import ActivityLog, LogChange, Placed, Record
from netplan.core.network import Contact, Event, Interaction, Organization
from netplan.core.periods import UTC
from netplan.core.plan import Plan
from netplan.storage import (
    BatchStore,
    Capability,
    CorrectableStore,
    Store,
    correctable,
    parse_url,
)
from netplan.stores.memory import MemoryStore
from netplan.stores.serialize import to_data
from netplan.testing import strategies as nst

__all__ = ["RawAccess", "StoreContract", "store_state_machine"]


class RawAccess(Protocol):
    """Reads and writes that bypass the backend: the independent oracle of the contract.

    Implement it over your storage medium directly (SQL, files, the server's client), not
    through the backend under test.
    """

    def saved_plans(self, plan_id: str) -> list[dict[str, Any]]:
        """Every stored revision of a plan, as :func:`netplan.to_data` gives it, oldest first."""
        ...

    def write_plan(self, plan: Plan) -> None:
        """Store ``plan`` as its own ``revision`` number and make it the plan's latest."""
        ...


def _plan(person: str = "Maya", notes: str = "") -> Plan:
    return Plan(
        person,
        start=dt.date(2026, 11, 1),
        goals=[
            Goal(
                "Find a job",
                kind="find_job",
                targets=[Target(5, "referrals", by=dt.date(2027, 9, 30))],
            )
        ],
        notes=notes,
    )


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=UTC)


def _data(log: ActivityLog) -> str:
    """A log as data: what "the same log" means for undo, order of records and rows
    included."""
    return json.dumps(to_data(log), sort_keys=True)


def _people() -> list[Record]:
    """Ana Silva entered twice (ana-silva, ana-silva-2), with what each knows about her,
    someone she introduced, and interactions with both of her and with others."""
    return [
        Organization("Sunrise Power", industry="energy"),
        Organization("Wind Co"),
        Contact("Ana Silva", organization="sunrise-power", emails=["ana@sunrise.example"]),
        Contact("Lena Berg", tier="a"),
        Contact(
            "Ana Silva",
            id="ana-silva-2",
            organization="wind-co",
            emails=["ANA@sunrise.example", "ana@home.example"],
            phones=["+49 30 1234567"],
            tags={"climate"},
            notes="Prefers tea.",
            nickname="Nina",
            birthday="--04-17",
            role="Engineer",
            sources={"vcard:phone.vcf"},
        ),
        Contact("Omar Haddad", introduced_by="ana-silva-2"),
        Interaction("met", _at(3, 19), contact="ana-silva"),
        Interaction("coffee", _at(10), contact="ana-silva-2", notes="Café ☕"),
        Interaction("post", _at(4)),
        Interaction("call", _at(2), contact="ana-silva-2"),  # back-dated
        Interaction("met", _at(6), contact="lena-berg"),
    ]


class StoreContract:
    """What every store does. Subclass it and give the subclass a ``store`` fixture, a
    ``reopen`` fixture if the store declares ``Capability.PERSISTENT``, and a ``raw``
    fixture if it can (see the module)."""

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        """A new, empty, open store for each test, closed after it. Required."""
        raise NotImplementedError("give your StoreContract subclass a `store` fixture")

    @pytest.fixture
    def reopen(self, store: Store) -> Callable[[], Store]:
        """A function that closes ``store``, opens the same location again and returns
        the new store object (the test closes it).

        Required when ``store`` declares ``Capability.PERSISTENT``: this default then
        fails the test that calls it, saying so. A store that does not declare it skips
        the reopening tests.
        """
        name = type(store).__name__
        if Capability.PERSISTENT not in store.capabilities:
            pytest.skip(f"{name} does not declare {Capability.PERSISTENT.value}")

        def missing() -> Store:
            # A skip would hide that persistence is never tested: a store declaring it
            # and passing the contract would promise what nobody checked.
            pytest.fail(
                f"{name} declares Capability.PERSISTENT, but its StoreContract subclass "
                "gives no `reopen` fixture, so persistence cannot be tested: define one "
                "as a method of the subclass (a function that closes `store`, opens the "
                "same location again and returns the new store), or drop "
                "Capability.PERSISTENT from the store's capabilities",
                pytrace=False,
            )

        return missing

    @pytest.fixture
    def raw(self, store: Store) -> RawAccess:
        """Direct access to the storage medium, bypassing the backend (a
        :class:`RawAccess`). Optional: without it, the two tests that use it are
        skipped."""
        pytest.skip(f"{type(store).__name__}: no `raw` fixture given")

    @staticmethod
    def needs(store: Store, capability: Capability) -> None:
        """Skip the test unless ``store`` declares ``capability``."""
        if capability not in store.capabilities:
            pytest.skip(f"{type(store).__name__} does not declare {capability.value}")

    # -- plans and revisions -------------------------------------------------------
    def test_a_new_store_is_empty(self, store: Store) -> None:
        assert store.plans() == ()

    def test_saving_numbers_revisions_from_one(self, store: Store) -> None:
        first = store.save(_plan())
        assert first.revision == 1
        second = store.save(attrs.evolve(first, notes="changed"))
        assert second.revision == 2
        assert store.revisions("maya") == (1, 2)
        assert store.plans() == ("maya",)

    def test_load_gives_back_exactly_what_was_saved(self, store: Store) -> None:
        saved = store.save(_plan(notes="Première note ☕"))
        assert store.load("maya") == saved
        assert store.load("maya", 1) == saved

    def test_old_revisions_stay_comparable(self, store: Store) -> None:
        first = store.save(_plan())
        second = store.save(first.add_goal(Goal("Learn", kind="learn_industry")))
        assert store.load("maya", 1) == first
        assert [str(c) for c in store.load("maya", 1).diff(store.load("maya")).changes] == [
            "added goals learn"
        ]
        assert store.load("maya") == second

    def test_saving_over_a_newer_revision_conflicts_and_writes_nothing(self, store: Store) -> None:
        first = store.save(_plan())
        store.save(attrs.evolve(first, notes="theirs"))
        with pytest.raises(ConflictError, match="revision 2"):
            store.save(attrs.evolve(first, notes="mine"))
        assert store.load("maya").notes == "theirs"
        assert store.revisions("maya") == (1, 2)
        with pytest.raises(ConflictError):
            store.save(_plan())  # a new plan value over a stored one

    def test_missing_plans_and_revisions_are_not_found(self, store: Store) -> None:
        with pytest.raises(NotFoundError, match="no plan 'nobody'"):
            store.load("nobody")
        store.save(_plan())
        with pytest.raises(NotFoundError):
            store.load("maya", 7)
        for call in (store.revisions, store.load_log, store.reviews, store.delete):
            with pytest.raises(NotFoundError):
                call("nobody")

    def test_a_missing_plan_is_named_alone(self, store: Store) -> None:
        """A host shows this error to one person: it names no other person's plan."""
        for name in ("Maya", "Ravi"):
            store.save(_plan(name))
        for call in (store.load, store.revisions, store.load_log, store.reviews):
            with pytest.raises(NotFoundError) as caught:
                call("nobody")
            named = str(caught.value)
            assert "maya" not in named, named
            assert "ravi" not in named, named

    def test_an_error_names_no_file_or_server_of_the_store(self, store: Store) -> None:
        """A host shows ``str(error)`` to one person: a store's errors name the store in
        words, never its file, its server or its URL, which are in ``error.detail`` for
        the operator (a conflict's, a missing plan's, a closed store's)."""
        location = parse_url(store.url).location
        hidden = [text for text in (store.url, location) if location and "/" in text]
        first = store.save(_plan())
        store.save(attrs.evolve(first, notes="theirs"))
        raised: list[NetplanError] = []
        with pytest.raises(ConflictError) as conflicted:
            store.save(attrs.evolve(first, notes="mine"))
        raised.append(conflicted.value)
        assert isinstance(conflicted.value.detail, str)
        assert "revision 2" in conflicted.value.detail
        with pytest.raises(NotFoundError) as missing:
            store.load("nobody")
        raised.append(missing.value)
        store.close()
        with pytest.raises(NetplanError) as closed:
            store.plans()
        raised.append(closed.value)
        for error in raised:
            for text in hidden:
                assert text not in str(error), (text, str(error))

    def test_plans_are_kept_apart(self, store: Store) -> None:
        store.save(_plan("Maya"))
        store.save(_plan("Ravi"))
        store.add("maya", Contact("Lena Berg"))
        assert store.plans() == ("maya", "ravi")
        assert len(store.load_log("ravi").contacts) == 0
        with pytest.raises(ValidationError, match="must name a contact"):
            store.add("ravi", Interaction("met", _at(3), contact="lena-berg"))

    def test_plans_are_listed_by_owner_a_page_at_a_time(self, store: Store) -> None:
        for name, owner in (("Ana", "u-2"), ("Maya", "u-1"), ("Omar", None), ("Ravi", "u-1")):
            store.save(attrs.evolve(_plan(name), owner=owner, labels={"coached"}))
        assert store.load("maya").owner == "u-1"
        assert store.load("maya").labels == frozenset({"coached"})
        assert store.plans() == ("ana", "maya", "omar", "ravi")
        assert store.plans(owner="u-1") == ("maya", "ravi")
        assert store.plans(owner="nobody") == ()
        assert store.plans(limit=2) == ("ana", "maya")
        assert store.plans(limit=2, after="maya") == ("omar", "ravi")
        assert store.plans(owner="u-1", after="maya") == ("ravi",)
        assert store.plans(after="ravi") == ()
        # A plan given to another owner moves with its latest revision.
        store.save(attrs.evolve(store.load("ravi"), owner="u-2"))
        assert store.plans(owner="u-1") == ("maya",)
        assert store.plans(owner="u-2") == ("ana", "ravi")
        for wrong in ({"limit": 0}, {"limit": True}, {"owner": 7}, {"after": ["ana"]}):
            with pytest.raises(ValidationError, match=r"plans\."):
                store.plans(**wrong)

    def test_a_batch_planned_on_an_older_log_is_refused_whole(self, store: Store) -> None:
        if not isinstance(store, BatchStore):
            pytest.skip(f"{type(store).__name__} has no add_batch and log_version")
        store.save(_plan())
        first = store.log_version("maya")
        assert store.log_version("maya") == first  # reading changes nothing
        store.add("maya", Contact("Lena Berg"))
        second = store.log_version("maya")
        assert second != first
        batch = Batch.of(
            [Contact("Omar Haddad"), Interaction("met", _at(3), contact="omar-haddad")]
        )
        with pytest.raises(ConflictError, match="changed while"):
            store.add_batch("maya", batch, expected_version=first)
        assert [c.id for c in store.load_log("maya").contacts] == ["lena-berg"]
        assert store.log_version("maya") == second  # the refused write left no trace
        store.add_batch("maya", batch, expected_version=second)
        assert len(store.load_log("maya")) == 1
        third = store.log_version("maya")
        assert third not in (first, second)
        store.update("maya", Contact("Lena Berg", tier="a"))
        assert store.log_version("maya") != third
        with pytest.raises(NotFoundError):
            store.log_version("nobody")

    def test_delete_removes_the_plan_its_log_and_reviews(self, store: Store) -> None:
        store.save(_plan())
        store.add("maya", Contact("Lena Berg"))
        store.save_review("maya", {"as_of": "2026-12-01"})
        store.delete("maya")
        assert store.plans() == ()
        assert store.save(_plan()).revision == 1
        assert len(store.load_log("maya").contacts) == 0
        assert store.reviews("maya") == ()

    # -- the activity log ------------------------------------------------------------
    def test_the_log_gives_back_what_was_added(self, store: Store) -> None:
        store.save(_plan())
        records: list[Record] = [
            Organization("Sunrise Power", industry="energy"),
            Contact("Lena Berg", organization="sunrise-power", tags={"climate"}, tier="a"),
            Event("Climate Tech Summit", dt.date(2026, 11, 3)),
            Interaction(
                "met", _at(3, 19), contact="lena-berg", event="climate-tech-summit-2026-11-03"
            ),
            Interaction("follow_up", _at(4), contact="lena-berg", notes="Merci ☕"),
            Interaction("post", _at(2)),
        ]
        store.add("maya", *records[:3])
        for record in records[3:]:
            store.add("maya", record)
        assert store.load_log("maya") == ActivityLog(records)

    def test_adding_is_all_or_nothing(self, store: Store) -> None:
        store.save(_plan())
        store.add("maya", Contact("Lena Berg"))
        with pytest.raises(ValidationError, match="ghost"):
            store.add(
                "maya",
                Contact("Omar Haddad"),
                Interaction("met", _at(3), contact="omar-haddad"),
                Interaction("met", _at(3), contact="ghost"),
            )
        log = store.load_log("maya")
        assert [c.id for c in log.contacts] == ["lena-berg"]
        assert len(log) == 0
        with pytest.raises(ValidationError, match="already names a contact"):
            store.add("maya", Contact("Lena Berg"))

    def test_update_replaces_a_record(self, store: Store) -> None:
        store.save(_plan())
        store.add(
            "maya", Contact("Lena Berg", tier="b"), Interaction("met", _at(3), contact="lena-berg")
        )
        store.update("maya", Contact("Lena Berg", tier="a"))
        log = store.load_log("maya")
        assert log.contact("lena-berg").tier == "a"
        assert len(log) == 1
        with pytest.raises(NotFoundError):
            store.update("maya", Contact("Nobody"))

    def test_adding_and_replacing_is_one_change_all_or_nothing(self, store: Store) -> None:
        store.save(_plan())
        store.add("maya", Contact("Lena Berg"))
        # A merge: a new organization, a contact moving to it, a new interaction.
        store.add(
            "maya",
            Organization("Sunrise Power"),
            Interaction("met", _at(3), contact="lena-berg"),
            replace=[Contact("Lena Berg", organization="sunrise-power")],
        )
        log = store.load_log("maya")
        assert log.contact("lena-berg").organization == "sunrise-power"
        assert len(log) == 1
        with pytest.raises(NotFoundError):
            store.add(
                "maya",
                Contact("Omar Haddad"),
                replace=[Contact("Lena Berg", tier="a"), Contact("Nobody")],
            )
        log = store.load_log("maya")
        assert [c.id for c in log.contacts] == ["lena-berg"]
        assert log.contact("lena-berg").tier is None

    # -- reviews -------------------------------------------------------------------
    def test_reviews_are_kept_in_order_as_json_data(self, store: Store) -> None:
        store.save(_plan())
        assert store.save_review("maya", {"as_of": "2026-12-01", "score": 0.5}) == 1
        assert store.save_review("maya", {"as_of": "2027-01-01", "findings": ["a", "b"]}) == 2
        assert store.reviews("maya") == (
            {"as_of": "2026-12-01", "score": 0.5},
            {"as_of": "2027-01-01", "findings": ["a", "b"]},
        )
        with pytest.raises(ValidationError, match="JSON"):
            store.save_review("maya", {"when": dt.date(2026, 1, 1)})
        assert len(store.reviews("maya")) == 2

    # -- capabilities ----------------------------------------------------------------
    def test_everything_survives_reopening(self, store: Store, reopen: Callable[[], Store]) -> None:
        self.needs(store, Capability.PERSISTENT)
        saved = store.save(_plan())
        store.add("maya", Contact("Lena Berg"), Interaction("met", _at(3), contact="lena-berg"))
        store.save_review("maya", {"n": 1})
        again = reopen()
        try:
            assert again.load("maya") == saved
            assert len(again.load_log("maya")) == 1
            assert again.reviews("maya") == ({"n": 1},)
        finally:
            again.close()

    def test_raw_storage_holds_what_the_backend_saved(self, store: Store, raw: RawAccess) -> None:
        first = store.save(_plan())
        second = store.save(attrs.evolve(first, notes="second"))
        assert raw.saved_plans("maya") == [to_data(first), to_data(second)]

    def test_the_backend_reads_what_raw_storage_wrote(self, store: Store, raw: RawAccess) -> None:
        store.save(_plan())
        planted = attrs.evolve(_plan(notes="planted"), revision=2)
        raw.write_plan(planted)
        assert store.load("maya") == planted
        assert store.revisions("maya") == (1, 2)

    # -- corrections of a log (Capability.CHANGES) --------------------------------------
    def corrections(self, store: Store) -> CorrectableStore:
        """``store`` as a correctable store, with Maya's plan and :func:`_people` in its
        log; skips the test if the store keeps no changes."""
        self.needs(store, Capability.CHANGES)
        store.save(_plan())
        store.add("maya", *_people())
        return correctable(store)

    def test_a_merge_keeps_everything_and_moves_the_interactions(self, store: Store) -> None:
        changing = self.corrections(store)
        before = store.load_log("maya")
        change = before.merge_contacts("ana-silva-2", into="ana-silva")
        assert changing.change("maya", change) == 1
        log = store.load_log("maya")
        assert _data(log) == _data(before)  # the same as the change made in memory
        assert [c.id for c in log.contacts] == ["ana-silva", "lena-berg", "omar-haddad"]
        # Every interaction with the duplicate is Ana's now, in its place.
        assert [(i.kind.value, i.contact) for i in log] == [
            ("met", "ana-silva"),
            ("coffee", "ana-silva"),
            ("post", None),
            ("call", "ana-silva"),
            ("met", "lena-berg"),
        ]
        assert log.interactions(contact="ana-silva")[0].kind.value == "call"
        ana = log.contact("ana-silva")
        assert ana.emails == ("ana@sunrise.example", "ana@home.example")
        assert (ana.phones, ana.tags, ana.notes) == (
            ("+49 30 1234567",),
            frozenset({"climate"}),
            "Prefers tea.",
        )
        assert (ana.nickname, ana.birthday, ana.role) == ("Nina", "--04-17", "Engineer")
        assert (ana.organization, ana.other_companies) == ("sunrise-power", ("Wind Co",))
        assert ana.sources == {"vcard:phone.vcf"}
        assert log.contact("omar-haddad").introduced_by == "ana-silva"
        assert log.count_first_seen() == 2  # Ana once, Lena
        assert changing.changes("maya") == (attrs.evolve(change, number=1),)

    def test_removing_a_contact_still_referred_to_is_refused(self, store: Store) -> None:
        changing = self.corrections(store)
        before = _data(store.load_log("maya"))
        with pytest.raises(ValidationError, match=r"2 interactions.*introduced_by of 'omar-h"):
            store.load_log("maya").remove_contact("ana-silva-2")
        # A change made by hand that leaves references behind is refused by the store.
        log = store.load_log("maya")
        alone = LogChange("removed ana-silva-2", removed=[Placed(2, log.contact("ana-silva-2"))])
        with pytest.raises(ValidationError, match=r"ana-silva-2.*still referred to"):
            changing.change("maya", alone)
        assert _data(store.load_log("maya")) == before
        assert changing.changes("maya") == ()
        change = log.remove_contact("ana-silva-2", with_interactions=True)
        changing.change("maya", change)
        log = store.load_log("maya")
        assert [c.id for c in log.contacts] == ["ana-silva", "lena-berg", "omar-haddad"]
        assert [i.contact for i in log] == ["ana-silva", None, "lena-berg"]
        assert log.contact("omar-haddad").introduced_by is None

    def test_removing_interactions_by_value(self, store: Store) -> None:
        changing = self.corrections(store)
        coffee = Interaction("coffee", _at(10), contact="ana-silva-2", notes="Café ☕")
        store.add("maya", coffee)  # logged twice by mistake
        log = store.load_log("maya")
        changing.change("maya", log.remove_interactions(coffee))
        assert len(store.load_log("maya").interactions(kind="coffee")) == 1
        with pytest.raises(NotFoundError, match="coffee with lena-berg"):
            log.remove_interactions(attrs.evolve(coffee, contact="lena-berg"))

    def test_undo_restores_the_exact_log(self, store: Store) -> None:
        changing = self.corrections(store)
        original = _data(store.load_log("maya"))
        changing.change(
            "maya", store.load_log("maya").remove_interactions(cast(Interaction, _people()[8]))
        )
        changing.change(
            "maya", store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva")
        )
        changing.change(
            "maya", store.load_log("maya").remove_contact("lena-berg", with_interactions=True)
        )
        merged = changing.changes("maya")[1]
        undone = [changing.undo("maya") for _ in range(3)]
        assert [(u.number, u.undoes) for u in undone] == [(4, 3), (5, 2), (6, 1)]
        assert undone[1] == attrs.evolve(merged.inverse(), number=5)
        assert _data(store.load_log("maya")) == original
        assert [c.number for c in changing.changes("maya")] == [1, 2, 3, 4, 5, 6]
        with pytest.raises(NotFoundError, match="undone already"):
            changing.undo("maya")
        # Interactions logged after a change stay when it is undone.
        changing.change(
            "maya", store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva")
        )
        store.add("maya", Interaction("message", _at(20), contact="ana-silva"))
        changing.undo("maya")
        log = store.load_log("maya")
        assert len(log.interactions(contact="ana-silva-2")) == 2
        assert log.interactions(contact="ana-silva")[-1].kind.value == "message"

    def test_a_change_that_fails_changes_nothing(self, store: Store) -> None:
        changing = self.corrections(store)
        stale = store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva")
        store.update("maya", Contact("Ana Silva", id="ana-silva-2", tier="b"))  # since
        before = _data(store.load_log("maya"))
        with pytest.raises(ConflictError, match="ana-silva-2"):
            changing.change("maya", stale)
        for wrong in (LogChange("an undo by hand", undoes=1), "merge them"):
            with pytest.raises(ValidationError):
                changing.change("maya", wrong)  # type: ignore[arg-type]
        assert _data(store.load_log("maya")) == before
        assert changing.changes("maya") == ()
        with pytest.raises(NotFoundError, match="nothing was merged or removed"):
            changing.undo("maya")
        # An undo that no longer fits (the merged contact edited since) is refused too.
        changing.change(
            "maya", store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva")
        )
        store.update("maya", attrs.evolve(store.load_log("maya").contact("ana-silva"), tier="a"))
        merged = _data(store.load_log("maya"))
        with pytest.raises(ConflictError, match="ana-silva"):
            changing.undo("maya")
        assert _data(store.load_log("maya")) == merged
        assert len(changing.changes("maya")) == 1
        for call in (changing.changes, changing.undo):
            with pytest.raises(NotFoundError):
                call("nobody")
        with pytest.raises(NotFoundError):
            changing.change("nobody", stale)

    def test_delete_removes_the_changes(self, store: Store) -> None:
        changing = self.corrections(store)
        changing.change(
            "maya", store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva")
        )
        store.delete("maya")
        store.save(_plan())
        assert changing.changes("maya") == ()

    def test_changes_survive_reopening(self, store: Store, reopen: Callable[[], Store]) -> None:
        self.needs(store, Capability.PERSISTENT)
        changing = self.corrections(store)
        original = _data(store.load_log("maya"))
        change = store.load_log("maya").merge_contacts("ana-silva-2", into="ana-silva")
        changing.change("maya", change)
        merged = _data(store.load_log("maya"))
        again = correctable(reopen())
        try:
            assert again.changes("maya") == (attrs.evolve(change, number=1),)
            assert _data(again.load_log("maya")) == merged
            again.undo("maya")
            assert _data(again.load_log("maya")) == original
        finally:
            again.close()

    def test_a_closed_store_refuses_to_work(self, store: Store) -> None:
        store.close()
        with pytest.raises(NetplanError):
            store.plans()


def store_state_machine(
    make_store: Callable[[], Store], *, max_examples: int | None = None
) -> type[RuleBasedStateMachine]:
    """A hypothesis state machine running ``make_store()`` beside the in-memory reference.

    Every operation is done on both; results and errors must agree. ``make_store`` is
    called once per run and must return a new, empty store. If the store declares
    ``Capability.CHANGES``, merges, removals and undos are among the operations, each
    worked out by each store from its own log, and the histories must agree too.
    """

    class StoreMachine(RuleBasedStateMachine):
        contacts = Bundle("contacts")

        def __init__(self) -> None:
            super().__init__()
            self.store = make_store()
            self.reference = MemoryStore()
            self.heads: dict[str, Plan] = {}
            self.correctable = Capability.CHANGES in self.store.capabilities

        def both(self, call: Callable[[Store], Any]) -> Any:
            outcomes = []
            for store in (self.reference, self.store):
                try:
                    outcomes.append(("ok", call(store)))
                except NetplanError as error:
                    outcomes.append(("error", type(error).__name__))
            assert outcomes[0] == outcomes[1], f"{type(self.store).__name__} differs: {outcomes}"
            return outcomes[0][1] if outcomes[0][0] == "ok" else None

        @rule(person=st.sampled_from(["Maya", "Ravi", "Ana"]), notes=st.text(max_size=20))
        def save_new_or_edited(self, person: str, notes: str) -> None:
            base = self.heads.get(person.lower(), _plan(person))
            saved = self.both(lambda s: s.save(attrs.evolve(base, notes=notes)))
            if saved is not None:
                self.heads[saved.id] = saved

        @precondition(lambda self: bool(self.heads))
        @rule(data=st.data())
        def save_a_stale_copy(self, data: st.DataObject) -> None:
            plan = self.heads[data.draw(st.sampled_from(sorted(self.heads)))]
            stale = attrs.evolve(
                plan, revision=data.draw(st.integers(0, max(plan.revision - 1, 0)))
            )
            self.both(lambda s: s.save(stale))

        @precondition(lambda self: bool(self.heads))
        @rule(data=st.data())
        def load_a_revision(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            revision = data.draw(st.none() | st.integers(0, self.heads[plan_id].revision + 1))
            self.both(lambda s: s.load(plan_id, revision))

        @precondition(lambda self: bool(self.heads))
        @rule(target=contacts, data=st.data(), contact=nst.contacts())
        def add_a_contact(self, data: st.DataObject, contact: Contact) -> tuple[str, str]:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            self.both(lambda s: s.add(plan_id, contact))
            return plan_id, contact.id

        @rule(
            who=contacts,
            kind=st.sampled_from(["met", "follow_up", "coffee", "message"]),
            when=nst.aware_datetimes(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 1, 1)),
            notes=st.text(max_size=10),
        )
        def add_an_interaction(
            self, who: tuple[str, str], kind: str, when: dt.datetime, notes: str
        ) -> None:
            plan_id, contact = who
            self.both(
                lambda s: s.add(plan_id, Interaction(kind, when, contact=contact, notes=notes))
            )

        @precondition(lambda self: bool(self.heads))
        @rule(data=st.data())
        def add_a_dangling_interaction(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            self.both(lambda s: s.add(plan_id, Interaction("met", _at(5), contact="nobody-at-all")))

        @precondition(lambda self: bool(self.heads))
        @rule(
            data=st.data(),
            payload=st.dictionaries(
                st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3
            ),
        )
        def save_a_review(self, data: st.DataObject, payload: dict[str, Any]) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            self.both(lambda s: s.save_review(plan_id, payload))

        @precondition(lambda self: bool(self.heads))
        @rule(data=st.data())
        def delete_a_plan(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            self.both(lambda s: s.delete(plan_id))
            del self.heads[plan_id]

        @precondition(lambda self: self.correctable and bool(self.heads))
        @rule(data=st.data())
        def merge_two_contacts(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            ids = [c.id for c in self.reference.load_log(plan_id).contacts]
            ids += ["nobody"] * (2 - len(ids))  # refused alike by both
            merged, into = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2))
            if merged == into and len(set(ids)) > 1 and data.draw(st.booleans()):
                into = next(key for key in ids if key != merged)
            self.both(
                lambda s: correctable(s).change(
                    plan_id, s.load_log(plan_id).merge_contacts(merged, into=into)
                )
            )

        @precondition(lambda self: self.correctable and bool(self.heads))
        @rule(data=st.data(), with_interactions=st.booleans())
        def remove_a_contact(self, data: st.DataObject, with_interactions: bool) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            ids = [c.id for c in self.reference.load_log(plan_id).contacts] or ["nobody"]
            who = data.draw(st.sampled_from(ids))
            self.both(
                lambda s: correctable(s).change(
                    plan_id,
                    s.load_log(plan_id).remove_contact(who, with_interactions=with_interactions),
                )
            )

        @precondition(lambda self: self.correctable and bool(self.heads))
        @rule(data=st.data())
        def remove_an_interaction(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            logged = self.reference.load_log(plan_id).interactions()
            if not logged:
                return
            interaction = data.draw(st.sampled_from(logged))
            self.both(
                lambda s: correctable(s).change(
                    plan_id, s.load_log(plan_id).remove_interactions(interaction)
                )
            )

        @precondition(lambda self: self.correctable and bool(self.heads))
        @rule(data=st.data())
        def undo_a_change(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(sorted(self.heads)))
            self.both(lambda s: correctable(s).undo(plan_id))

        @invariant()
        def the_same_plans_logs_and_reviews(self) -> None:
            plans = self.both(lambda s: s.plans())
            for plan_id in plans:

                def contents(store: Store, plan_id: str = plan_id) -> Any:
                    log = json.dumps(to_data(store.load_log(plan_id)), sort_keys=True)
                    return store.revisions(plan_id), log, store.reviews(plan_id)

                self.both(contents)
                if self.correctable:

                    def history(store: Store, plan_id: str = plan_id) -> Any:
                        return correctable(store).changes(plan_id)

                    self.both(history)

        def teardown(self) -> None:
            self.store.close()

    if max_examples is not None:
        StoreMachine.TestCase.settings = settings(
            max_examples=max_examples, stateful_step_count=20, deadline=None
        )
    return StoreMachine
