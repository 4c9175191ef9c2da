"""What a host application shows a person is data too: an agenda, and what an import did,
through ``netplan.to_data`` and back with ``netplan.from_data`` (the round trip of every
such type, drawn by the strategies, is in tests/test_serialize.py); the command's
``--json`` prints them field by field, as it always has."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.cli._output import _jsonable, _plain
from netplan.core.agenda import Agenda, AgendaItem
from netplan.plugins import PluginHost
from netplan.stores.memory import MemoryStore
from netplan.testing import strategies as nst

MET = dt.datetime(2026, 11, 10, 19, tzinfo=netplan.UTC)


def test_an_agenda_is_data_a_host_reads() -> None:
    plan = netplan.Plan(
        "Maya",
        start=dt.date(2026, 11, 1),
        follow_up=netplan.FollowUpPolicy(within_days=2),
        timezone="Europe/Berlin",
    )
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tier="a"),
            netplan.Interaction("met", MET, contact="lena-berg"),
        ]
    )
    due = netplan.agenda(plan, log, dt.date(2026, 11, 11), dt.date(2026, 11, 18))
    data = json.loads(json.dumps(netplan.to_data(due)))
    assert (data["schema"], data["type"]) == (netplan.SCHEMA_VERSION, "Agenda")
    assert data["data"]["start"] == "2026-11-11" and data["data"]["end"] == "2026-11-18"
    item = data["data"]["items"][0]
    assert item["kind"] == "follow_up"
    assert (item["contact"], item["due"], item["done"], item["count"]) == (
        "lena-berg",
        "2026-11-12",
        0,
        1,
    )
    assert netplan.from_data(data, netplan.Agenda) == due
    assert netplan.from_data(netplan.to_data(due.items[0]), netplan.AgendaItem) == due.items[0]


def test_what_an_import_did_is_data_a_host_reads() -> None:
    store = MemoryStore()
    store.save(netplan.Plan("Sam", start=dt.date(2026, 11, 1)))
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Berg\r\nEMAIL:lena@example.org\r\n"
        b"EMAIL:not an address\r\nEND:VCARD\r\n"
    )
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("contacts.vcf", card)
        archive.writestr("photo.bin", b"\x00\x01")
    host = PluginHost(entry_points=False, environ={})
    done = host.import_files(
        store, "sam", upload.getvalue(), name="export.zip", today=dt.date(2026, 12, 1)
    )
    data = json.loads(json.dumps(netplan.to_data(done)))
    assert data["type"] == "Imported"
    report = data["data"]["reports"][0]
    assert (report["file"], report["format"], report["added"]) == (
        "contacts.vcf",
        "vcard",
        ["lena-berg"],
    )
    problem = report["problems"][0]
    assert problem["level"] == "warning" and problem["source"] == {
        "file": "contacts.vcf",
        "line": 5,
        "record": 1,
    }
    assert data["data"]["skipped"] == ["photo.bin"] and data["data"]["dry_run"] is False
    assert netplan.from_data(data) == done
    assert netplan.from_data(netplan.to_data(done.reports[0])) == done.reports[0]


def test_malformed_agenda_data_names_its_path() -> None:
    data = netplan.to_data(
        netplan.Agenda(dt.date(2026, 11, 11), dt.date(2026, 11, 18), dt.date(2026, 11, 11), ())
    )
    data["data"]["items"] = [{**_item_data(), "kind": "nap"}]
    with pytest.raises(netplan.ValidationError) as raised:
        netplan.from_data(data, netplan.Agenda)
    assert raised.value.field == "$.data.items[0].kind"


def _item_data() -> dict[str, Any]:
    item = netplan.AgendaItem(netplan.ItemKind.ACTION, dt.date(2026, 11, 13), "Post", 1.0, 0)
    return netplan.to_data(item)["data"]


@given(
    nst.plans(max_goals=1, max_actions=3),
    nst.activity_logs(max_interactions=20),
    nst.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.integers(1, 30),
)
def test_agendas_made_from_plans_round_trip(
    plan: netplan.Plan, log: netplan.ActivityLog, start: dt.date, days: int
) -> None:
    due = netplan.agenda(plan, log, start, start + dt.timedelta(days=days))
    text = json.dumps(netplan.to_data(due), sort_keys=True)
    assert netplan.from_data(json.loads(text), netplan.Agenda) == due


@given(st.one_of(nst.agendas(), nst.agenda_items(), nst.imports(), nst.import_reports()))
def test_the_command_prints_agendas_and_imports_field_by_field_as_before(value: Any) -> None:
    # `netplan agenda --json`, `netplan import --json`: docs/cli.md's "the rest field by
    # field", the JSON the command printed before to_data took these types.
    before = attrs.asdict(value, value_serializer=_plain)
    # ... and each agenda item's key, which docs/cli.md says the JSON lists.
    if isinstance(value, AgendaItem):
        before["key"] = value.key
    if isinstance(value, Agenda):
        for item, data in zip(value.items, before["items"], strict=True):
            data["key"] = item.key
    assert json.dumps(_jsonable(value)) == json.dumps(before)
    assert json.dumps(_jsonable({"agenda": value})) == json.dumps({"agenda": before})
