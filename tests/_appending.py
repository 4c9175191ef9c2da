"""Checks of an :class:`~netplan.storage.AppendingStore`, shared by the SQLite tests and
the PostgreSQL ones: finding a contact and logging to a plan's log without reading the
whole log give what reading it gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import strategies as st

import netplan
from netplan import Contact, Interaction, Organization, Plan
from netplan.core.batch import Batch, NewContacts
from netplan.storage import AppendingStore
from netplan.stores._sql import stored_key

AT = dt.datetime(2026, 11, 3, 18, 30, tzinfo=dt.UTC)
LENA = Contact("Lena Berg", organization="acme")
OMARS = (Contact("Omar Haddad"), Contact("Omar  HADDAD", id="omar-haddad-2"))


def saved_plan(store: AppendingStore) -> str:
    plan = store.save(Plan("Maya", start=dt.date(2026, 11, 1)))
    store.add(plan.id, Organization("Acme"), LENA, *OMARS)
    store.add(plan.id, Interaction("met", AT, contact=LENA.id))
    return plan.id


def check_finding(store: AppendingStore) -> None:
    plan_id = saved_plan(store)
    assert store.find_contacts(plan_id, "lena-berg") == (LENA,)
    assert store.find_contacts(plan_id, "  LENA   berg ") == (LENA,)
    assert store.find_contacts(plan_id, "omar haddad") == OMARS
    assert store.find_contacts(plan_id, "Lena") == ()
    with pytest.raises(netplan.NotFoundError):
        store.find_contacts("nobody's plan", "lena-berg")
    check_names_after_every_write(store, plan_id)


def check_names_after_every_write(store: AppendingStore, plan_id: str) -> None:
    """Every way a contact is written or rewritten keeps the key it is found and listed
    by: an import's batch, an update, a replacement in a change, a contact taken out and
    put back in its place (undo), a merge."""

    def found(name: str) -> list[str]:
        return [c.id for c in store.find_contacts(plan_id, name)]

    ana = Contact("Ana  Silva", id="ana-silva", industry="Energy")
    odd = Contact("Zoë\x00 \udc80Ng", id="zoe")  # NUL and a lone surrogate: no text holds them
    store.add_batch(plan_id, Batch(contacts=NewContacts.of([ana])))
    store.add(plan_id, odd)
    assert found("ana silva") == ["ana-silva"]
    assert found("ZOË\x00 \udc80NG") == ["zoe"] and found("zoe\x00") == []
    renamed = attrs.evolve(LENA, name="Lena Berg-Ito", tier="a", tags={"climate"})
    store.update(plan_id, renamed)
    assert (found("lena berg"), found("LENA BERG-ITO")) == ([], ["lena-berg"])
    check_searching(store, plan_id)
    store.add_change(plan_id, replace=[LENA], description="her name again")
    assert (found("lena berg"), found("lena berg-ito")) == (["lena-berg"], [])
    log = store.load_log(plan_id)
    store.change(plan_id, log.remove_contact(OMARS[0].id))
    assert found("omar haddad") == [OMARS[1].id]
    store.undo(plan_id)  # put back in its place: the rows after it are written again
    assert found("omar haddad") == [c.id for c in OMARS]
    store.change(plan_id, store.load_log(plan_id).merge_contacts(OMARS[1].id, into=OMARS[0].id))
    assert found("omar haddad") == [OMARS[0].id]
    check_searching(store, plan_id)
    log = store.load_log(plan_id)
    keys = sorted((stored_key(c.name), c.id) for c in log.contacts)
    assert store.name_keys(plan_id) == tuple((i, key) for key, i in keys)
    listed, total = store.contact_page(plan_id)  # type: ignore[attr-defined]
    by_name = sorted(log.contacts, key=lambda c: (" ".join(c.name.split()).casefold(), c.id))
    assert ([c.id for c, _, _ in listed], total) == ([c.id for c in by_name], len(by_name))


def check_searching(store: AppendingStore, plan_id: str) -> None:
    """A log as loaded, nobody read yet, finds every contact holding a tier, tag, industry
    or organization the way the plan's segments and cadences ask (the store searches the
    text it keeps for it), as the contacts themselves say."""
    values = {"a", "climate", "energy", "acme", "ana-silva"}
    names = ("id", "tier", "tags", "industry", "organization")
    found = set(store.load_log(plan_id).contact_fields(values, names)["id"])
    holders = {
        c.id
        for c in store.load_log(plan_id).contacts
        if values & {c.id, c.tier, c.industry, c.organization, *c.tags}
    }
    assert holders and holders <= found


def check_logging(store: AppendingStore) -> None:
    plan_id = saved_plan(store)
    log = store.load_log(plan_id)
    coffee = Interaction("coffee", AT + dt.timedelta(days=1), contact=LENA.id, notes="Zoë's idea")
    ana = Contact("Ana Silva", organization="acme", introduced_by=LENA.id)
    records = (coffee, ana, Interaction("met", AT, contact=ana.id))
    retiered = attrs.evolve(LENA, tier="a", tags={"climate"})
    expected = log.add_change(*records, replace=[retiered], description="logged coffee")
    made = store.add_change(plan_id, *records, replace=[retiered], description="logged coffee")
    assert attrs.evolve(made, number=0) == expected
    assert store.changes(plan_id) == (made,)
    assert store.load_log(plan_id) == log
    # Taken back as any change is.
    store.undo(plan_id)
    assert store.load_log(plan_id) == store_log_before(store, plan_id)


def store_log_before(store: AppendingStore, plan_id: str) -> netplan.ActivityLog:
    log = netplan.ActivityLog([Organization("Acme"), LENA, *OMARS])
    log.add(Interaction("met", AT, contact=LENA.id))
    return log


def check_refusals(store: AppendingStore) -> None:
    """What the log refuses, the store refuses, with the same error, writing nothing."""
    plan_id = saved_plan(store)
    before, changes = store.load_log(plan_id), store.changes(plan_id)
    attempts: list[Callable[[netplan.ActivityLog | AppendingStore], object]] = [
        lambda on: add(on, Interaction("met", AT, contact="nobody")),
        lambda on: add(on, Contact("Lena Berg", organization="acme")),
        lambda on: add(on, Contact("Ana", organization="nowhere")),
        lambda on: add(on, replace=[Contact("Zed")]),
        lambda on: add(on),
    ]

    def add(on: netplan.ActivityLog | AppendingStore, *records: object, **more: object) -> object:
        if isinstance(on, netplan.ActivityLog):
            return on.add_change(*records, description="x", **more)  # type: ignore[arg-type]
        return on.add_change(plan_id, *records, description="x", **more)  # type: ignore[arg-type]

    for attempt in attempts:
        with pytest.raises(netplan.NetplanError) as expected:
            attempt(store.load_log(plan_id))
        with pytest.raises(type(expected.value)) as raised:
            attempt(store)
        assert str(raised.value) == str(expected.value)
        assert store.load_log(plan_id) == before
        assert store.changes(plan_id) == changes


# A few people, and interactions and new contacts naming them (or nobody), for a property:
# any sequence of add_change calls gives the store the log the same calls give a log.
PEOPLE = ("lena-berg", "omar-haddad", "ana", "nobody")
steps = st.lists(
    st.one_of(
        st.builds(
            lambda who, hours: ("interaction", who, hours),
            st.sampled_from(PEOPLE),
            st.integers(-48, 48),
        ),
        st.builds(lambda who: ("contact", who, 0), st.sampled_from(("ana", "lena-berg"))),
        st.builds(lambda tier: ("tier", tier, 0), st.sampled_from(("a", "b"))),
    ),
    min_size=1,
    max_size=6,
)


def check_property(store: AppendingStore, plan_steps: list[tuple[str, str, int]]) -> None:
    plan_id = saved_plan(store)
    log = store.load_log(plan_id)
    for kind, value, hours in plan_steps:
        if kind == "interaction":
            records: tuple[object, ...] = (
                Interaction("call", AT + dt.timedelta(hours=hours), contact=value),
            )
            replace: list[Contact] = []
        elif kind == "contact":
            records, replace = (Contact(value.replace("-", " ").title(), id=value),), []
        else:
            current = log.contact(LENA.id)
            records, replace = (), [attrs.evolve(current, tier=value)]
        try:
            expected = log.add_change(*records, replace=replace, description=kind)  # type: ignore[arg-type]
        except netplan.NetplanError as error:
            with pytest.raises(type(error)):
                store.add_change(plan_id, *records, replace=replace, description=kind)  # type: ignore[arg-type]
        else:
            made = store.add_change(plan_id, *records, replace=replace, description=kind)  # type: ignore[arg-type]
            assert attrs.evolve(made, number=0) == expected
        assert store.load_log(plan_id) == log


# -- listing a page of contacts (a ListingStore) ---------------------------------------------
people = st.lists(
    st.builds(
        lambda name, number, tags, tier: Contact(
            name, id=f"p{number}", tags=tags, tier=tier, organization="acme" if number % 2 else None
        ),
        st.sampled_from(("Zoë", "zoe", "Bo", "ana", "Ana", "Émile", "  Bo  Chen")),
        st.integers(0, 99),
        st.frozensets(st.sampled_from(("climate", "a", "mentor")), max_size=2),
        st.none() | st.sampled_from(("a", "b")),
    ),
    max_size=12,
    unique_by=lambda c: c.id,
)


def check_listing(
    store: netplan.storage.ListingStore,
    contacts: list[Contact],
    tag: str | None,
    tier: str | None,
    offset: int,
    limit: int | None,
) -> None:
    """A page is the slice of every contact with the tag and tier, sorted by name folded
    then id, each with its last interaction and organization, as the log says."""
    plan = store.save(Plan("Maya", start=dt.date(2026, 11, 1)))
    store.add(plan.id, Organization("Acme"), *contacts)
    store.add(
        plan.id,
        *(
            Interaction("call", AT + dt.timedelta(hours=n), contact=c.id)
            for n, c in enumerate(contacts)
            if n % 3
        ),
    )
    log = store.load_log(plan.id)
    wanted = sorted(
        (c for c in log.contacts if (tag is None or tag in c.tags) and (tier in (None, c.tier))),
        key=lambda c: (" ".join(c.name.split()).casefold(), c.id),
    )
    expected = [
        (c, log.last_interaction(c.id), log.organizations_by_id().get(c.organization or ""))
        for c in wanted[offset : None if limit is None else offset + limit]
    ]
    listed, total = store.contact_page(plan.id, tag=tag, tier=tier, offset=offset, limit=limit)
    assert total == len(wanted)
    assert list(listed) == expected
