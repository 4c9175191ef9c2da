"""A batch carries an import from the reader to the store, column by column (issue 15):
it adds exactly what its records added one by one would, to a log and to every store,
and is refused whole, before anything is written, when an id is taken or a reference
names nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
from netplan.core.batch import Batch, NewContacts
from netplan.core.importing import plan_import
from netplan.formats.linkedin import LinkedInConnections
from netplan.storage import Store, add_batch
from netplan.stores.serialize import contact_texts, interaction_texts, to_data
from netplan.testing import strategies as nst

UTC = dt.UTC
START = dt.date(2026, 11, 1)
FRESH = itertools.count()
"""A new store for each example."""


def every_record(log: netplan.ActivityLog) -> tuple[object, ...]:
    return (
        tuple(log.contacts),
        tuple(log.organizations),
        tuple(log.events()),
        tuple(log.interactions()),
    )


@st.composite
def records(draw: st.DrawFn) -> list[netplan.core.log.Record]:
    log = draw(nst.activity_logs(max_contacts=5, max_interactions=12))
    return [*log.organizations, *log.events(), *log.contacts, *log.interactions()]


@given(records())
def test_a_batch_of_records_adds_what_they_add_one_by_one(given_records: list) -> None:
    one_by_one = netplan.ActivityLog()
    one_by_one.add(*given_records)
    batched = netplan.ActivityLog()
    batched.add_batch(Batch.of(given_records))
    assert every_record(batched) == every_record(one_by_one)
    assert list(Batch.of(given_records)) == given_records


@given(st.lists(nst.contacts(), max_size=6, unique_by=lambda c: c.id))
def test_contacts_field_by_field_are_the_contacts(contacts: list[netplan.Contact]) -> None:
    fields = NewContacts.of(contacts).fields()
    for name, column in fields.items():
        assert list(column) == [getattr(c, name) for c in contacts]


@given(st.lists(nst.contacts(), max_size=6, unique_by=lambda c: c.id))
def test_contacts_written_column_by_column_are_the_json_of_each(
    contacts: list[netplan.Contact],
) -> None:
    expected = [
        json.dumps(to_data(c), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for c in contacts
    ]
    assert contact_texts(NewContacts.of(contacts).fields()) == expected


@given(nst.activity_logs(max_interactions=30), st.sampled_from([", ", ","]))
def test_interactions_written_column_by_column_are_the_json_of_each_row(
    log: netplan.ActivityLog, comma: str
) -> None:
    rows = to_data(log)["data"]["interactions"]
    expected = [json.dumps(row, ensure_ascii=False, separators=(comma, ": ")) for row in rows]
    assert interaction_texts(log.batch().interactions, comma) == expected


def test_a_percent_sign_in_a_value_is_written_as_it_is() -> None:
    # Rows are made by %-substitution into a template: a value's own "%s" stays text.
    contacts = [netplan.Contact("Ana %s 100%", notes="%(x)s %%"), netplan.Contact("Ben %d")]
    expected = [
        json.dumps(to_data(c), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for c in contacts
    ]
    assert contact_texts(NewContacts.of(contacts).fields()) == expected
    at = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    log = netplan.ActivityLog()
    log.add(*contacts, netplan.Interaction("coffee", at, contact=contacts[0].id, notes="50%s"))
    assert interaction_texts(log.batch().interactions) == [
        f'["{at.isoformat()}", "{contacts[0].id}", "coffee", "in_person", "mutual", null, "50%s"]'
    ]


SHEET = (
    'Notes:\n"When exporting your connection data, you may notice..."\n\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ana,Silva,https://www.linkedin.com/in/ana-silva,ana@acme.org,Acme,CTO,10 Nov 2025\n"
    "Ben,Okafor,https://www.linkedin.com/in/ben-okafor,,Globex,Engineer,11 Nov 2025\n"
    "Zoë,Müller,https://www.linkedin.com/in/zoe-m,,Acme,,12 Nov 2025\n"
    "Chen,Wang,https://www.linkedin.com/in/chen-wang,,,,\n"
).encode()


def test_an_imports_rows_are_the_contacts_they_make_field_by_field() -> None:
    parsed = LinkedInConnections().read("Connections.csv", SHEET)
    changes = plan_import(netplan.ActivityLog(), parsed, file="Connections.csv", format="x")
    batch = changes.batch
    made = list(batch.contacts)
    assert [c.name for c in made] == ["Ana Silva", "Ben Okafor", "Zoë Müller", "Chen Wang"]
    for name, column in batch.contacts.fields().items():
        assert list(column) == [getattr(c, name) for c in made], name
    texts = contact_texts(batch.contacts.fields())
    assert texts == [
        json.dumps(to_data(c), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for c in made
    ]


@pytest.fixture(params=["memory", "sqlite", "json"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    kind = request.param
    return "memory://" if kind == "memory" else f"{kind}://{tmp_path / 'plans'}"


_OPENED: list[Store] = []


@pytest.fixture(autouse=True)
def _close_stores() -> Iterator[None]:
    """Every store a test opens is closed when it ends (no connection left to the collector)."""
    yield
    while _OPENED:
        _OPENED.pop().close()


def opened(url: str) -> Store:
    store = netplan.open(url, create=True)
    _OPENED.append(store)
    return store


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records())
def test_every_store_keeps_a_batch_as_it_keeps_its_records(url: str, given_records: list) -> None:
    batched = opened(url if url == "memory://" else f"{url}-{next(FRESH)}")
    plan = batched.save(netplan.Plan("Maya", start=START))
    add_batch(batched, plan.id, Batch.of(given_records))
    one_by_one = opened("memory://")
    one_by_one.save(netplan.Plan("Maya", start=START))
    one_by_one.add(plan.id, *given_records)
    assert every_record(batched.load_log(plan.id)) == every_record(one_by_one.load_log(plan.id))


def test_a_store_imports_a_file_through_its_batch_as_through_its_records(
    url: str, tmp_path: Path
) -> None:
    store = opened(url)
    store.save(netplan.Plan("Maya", start=START))
    path = tmp_path / "Connections.csv"
    path.write_bytes(SHEET)
    netplan.import_files(store, "maya", path, today=dt.date(2026, 12, 1))
    parsed = LinkedInConnections().read("Connections.csv", SHEET)
    log = netplan.ActivityLog()
    plan_import(log, parsed, file=path.name, format="linkedin_connections").apply(log)
    assert every_record(store.load_log("maya")) == every_record(log)


def test_a_batch_naming_a_taken_id_changes_nothing(url: str) -> None:
    store = opened(url)
    plan = store.save(netplan.Plan("Maya", start=START))
    ana = netplan.Contact("Ana Silva")
    store.add(plan.id, ana)
    acme = netplan.Organization("Acme")
    met = netplan.Interaction("met", dt.datetime(2026, 11, 3, tzinfo=UTC), contact="ben")
    batch = Batch.of([acme, netplan.Contact("Ben Okafor", id="ben"), ana, met])
    with pytest.raises(netplan.ValidationError, match="already names a contact"):
        add_batch(store, plan.id, batch)
    log = store.load_log(plan.id)
    assert [c.id for c in log.contacts] == ["ana-silva"] and not log.organizations
    assert list(log.interactions()) == []


def test_a_batch_naming_nobody_changes_nothing(url: str) -> None:
    store = opened(url)
    plan = store.save(netplan.Plan("Maya", start=START))
    met = netplan.Interaction("met", dt.datetime(2026, 11, 3, tzinfo=UTC), contact="nobody")
    with pytest.raises(netplan.ValidationError, match="must name a contact of the log"):
        add_batch(store, plan.id, Batch.of([netplan.Contact("Ben Okafor"), met]))
    assert list(store.load_log(plan.id).contacts) == []


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        (0, 10**19, "whole microseconds|years 2 to 9998"),
        (2, "hug", "must be one of"),
        (3, "fax", "must be one of"),
        (6, None, "must be text"),
    ],
)
def test_interaction_columns_the_log_cannot_hold_are_refused_before_anything(
    column: int, value: object, said: str
) -> None:
    ana = netplan.Contact("Ana Silva")
    row: list[object] = [1_790_000_000_000_000, ana.id, "met", "in_person", "outbound", None, ""]
    row[column] = value
    batch = Batch((), NewContacts.of([ana]), tuple([x] for x in row))  # type: ignore[arg-type]
    log = netplan.ActivityLog()
    with pytest.raises(netplan.ValidationError, match=said):
        log.add_batch(batch)
    assert list(log.contacts) == []


SECOND = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Ana,Silva,https://www.linkedin.com/in/ana-silva,ana.silva@globex.org,Acme,CTO,10 Nov 2025\n"
    b"Dara,Okoye,https://www.linkedin.com/in/dara-okoye,,Initech,Analyst,13 Nov 2025\n"
)


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_several_files_reach_a_store_as_one_batch_as_their_records_would(
    kind: str, tmp_path: Path
) -> None:
    # The second file updates a contact the first adds (her second email): she is added
    # in her final form, and each file's rows stay columns on the way.
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(SHEET)
    (folder / "More Connections.csv").write_bytes(SECOND)
    stored = opened(f"{kind}://{tmp_path / 'plans'}")
    reference = opened("memory://")  # given the records one by one
    for store in (stored, reference):
        store.save(netplan.Plan("Maya", start=START))
        netplan.import_files(store, "maya", folder, today=dt.date(2026, 12, 1))
    log = stored.load_log("maya")
    assert every_record(log) == every_record(reference.load_log("maya"))
    (ana,) = [c for c in log.contacts if c.name == "Ana Silva"]
    assert ana.emails == ("ana@acme.org", "ana.silva@globex.org")
    assert len(log.contacts) == 5


def test_joined_contacts_are_each_parts_contacts_field_by_field() -> None:
    parts = []
    for data in (SHEET, SECOND):
        parsed = LinkedInConnections().read("Connections.csv", data)
        parts.append(plan_import(netplan.ActivityLog(), parsed, file="c", format="x").batch)
    joined = Batch.joined(parts)
    made = [c for part in parts for c in part.contacts]
    assert list(joined.contacts) == made
    for name, column in joined.contacts.fields().items():
        assert list(column) == [getattr(c, name) for c in made], name
    assert [len(c) for c in joined.interactions] == [sum(len(p.interactions[0]) for p in parts)] * 7
