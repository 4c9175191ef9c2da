"""A log a SQL store loads answers segment and cadence questions without decoding its
contacts, and the answers are those of the same log held in memory.

The stored contacts are searched in their JSON text for a segment's tag, organization or
industry (and a plan's tiers and tags) before any is read; these tests hold that search
to the plain definition, with industries and names outside ASCII, a tag equal to a tier
and notes holding a tag's word, contacts read or replaced before the question, and a
damaged contact still reported when it is read.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
from netplan import CadenceRule, Contact, Organization, Plan, Segment
from netplan.core.metrics import cadence_groups
from netplan.testing import strategies as nst

TAGS = ("climate", "a", "mentor", "b.c")
INDUSTRIES = ("energy", "énergie", "北京 finance")
ORGANIZATIONS = (
    Organization("Acme", industry="energy"),
    Organization("Énergie SA", industry="énergie"),
    Organization("Bank", industry="北京 finance"),
)


@st.composite
def people(draw: st.DrawFn) -> list[Contact]:
    return draw(
        st.lists(
            st.builds(
                Contact,
                name=st.sampled_from(("Zoë", "Bo", "Ana", "北京 Li")),
                tags=st.frozensets(st.sampled_from(TAGS), max_size=3),
                tier=st.none() | st.sampled_from(("a", "b", "mentor")),
                organization=st.none() | st.sampled_from([o.id for o in ORGANIZATIONS]),
                industry=st.none() | st.sampled_from(INDUSTRIES),
                notes=st.sampled_from(("", "talked about climate", '"a" said so')),
                id=nst.identifiers(),
            ),
            min_size=1,
            max_size=12,
            unique_by=lambda c: c.id,
        )
    )


SEGMENTS = st.one_of(
    st.builds(Segment, tag=st.sampled_from(TAGS)),
    st.builds(Segment, industry=st.sampled_from(INDUSTRIES)),
    st.builds(Segment, organization=st.sampled_from([o.id for o in ORGANIZATIONS])),
    st.builds(Segment, tag=st.sampled_from(TAGS), industry=st.sampled_from(INDUSTRIES)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people(), st.lists(SEGMENTS, min_size=1, max_size=4), st.integers(0, 12))
def test_a_loaded_log_finds_segments_and_cadences_as_one_in_memory(
    tmp_path: Path, contacts: list[Contact], segments: list[Segment], read: int
) -> None:
    at = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    interactions = [netplan.Interaction("met", at, contact=c.id) for c in contacts]
    plan = Plan(
        "Maya",
        start=dt.date(2026, 11, 1),
        keep_in_touch=(
            CadenceRule.tier("a", ideal_days=7),
            CadenceRule.tier("b", ideal_days=9),
            CadenceRule.tag("mentor", ideal_days=5),
            CadenceRule.contact(contacts[0].id, ideal_days=3),
        ),
    )
    memory = netplan.ActivityLog([*ORGANIZATIONS, *contacts, *interactions])
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}.db"
    with netplan.open(f"sqlite://{path}", create=True) as store:
        saved = store.save(plan)
        store.add(saved.id, *ORGANIZATIONS, *contacts, *interactions)
        loaded = store.load_log(saved.id)
        # Some contacts read (made) before the questions, one replaced by a new value.
        for contact in contacts[:read]:
            loaded.contact(contact.id)
        if read % 3 == 1:
            changed = Contact(contacts[-1].name, id=contacts[-1].id, tags={"climate", "mentor"})
            loaded.update(changed)
            memory.update(changed)
    for segment in segments:
        assert loaded.count(segment=segment) == memory.count(segment=segment), segment
    assert cadence_groups(plan, loaded) == cadence_groups(plan, memory)


def test_a_damaged_contact_is_still_reported_when_read(tmp_path: Path) -> None:
    path = tmp_path / "netplan.db"
    contacts = [Contact("Zoë", tags={"climate"}), Contact("Bo", tags={"climate"})]
    with netplan.open(f"sqlite://{path}", create=True) as store:
        saved = store.save(Plan("Maya", start=dt.date(2026, 11, 1)))
        store.add(saved.id, *contacts)
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE contacts SET data = ? WHERE id = 'bo'", ('{"climate": [',))
    db.close()
    with netplan.open(f"sqlite://{path}") as store:
        log = store.load_log(saved.id)
        with pytest.raises(netplan.CorruptStoreError, match="contact 'bo'"):
            log.count(segment=Segment(tag="climate"))


@settings(max_examples=60, deadline=None)
@given(
    people(), st.sets(st.sampled_from((*TAGS, *INDUSTRIES, "acme", "bank", "mentor")), max_size=3)
)
def test_a_log_in_memory_finds_every_holder_of_a_value_with_its_fields(
    contacts: list[Contact], values: set[str]
) -> None:
    """Every contact made holds its fields: those holding a value as id, tier, industry,
    organization or tag are found (C-level passes, no step per contact), each with its
    own fields, and the segments they make count as the plain definition does."""
    values |= {contacts[-1].id}
    at = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    memory = netplan.ActivityLog(
        [
            *ORGANIZATIONS,
            *contacts,
            *(netplan.Interaction("met", at, contact=c.id) for c in contacts),
        ]
    )
    names = ("id", "tags", "tier", "industry", "organization")
    found = memory.contact_fields(values, names)
    holders = {
        c.id for c in contacts if values & {c.id, c.tier, c.industry, c.organization, *c.tags}
    }
    assert holders <= set(found["id"])
    by_id = {c.id: c for c in contacts}
    for fields in zip(*found.values(), strict=True):
        contact = by_id[fields[0]]
        assert fields == tuple(getattr(contact, name) for name in names)
    organizations = {o.id: o for o in ORGANIZATIONS}
    for segment in (Segment(tag=TAGS[0]), Segment(industry="energy"), Segment(organization="acme")):
        plain = sum(segment.matches(c, organizations.get(c.organization or "")) for c in contacts)
        assert memory.count(segment=segment) == plain, segment
