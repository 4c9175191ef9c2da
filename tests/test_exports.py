"""Exporting: contacts for a spreadsheet (no formula injection), a plan as JSON, files
written private and whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.formats.exports import ContactsCsv, PlanJson, neutralise
from netplan.plugins import PluginHost


@given(st.text(max_size=30))
def test_no_cell_can_start_a_formula(cell: str) -> None:
    safe = neutralise(cell)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert safe in (cell, "'" + cell)
    assert (safe == cell) == (not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")))


def _log() -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Organization("Sunrise Power"),
            netplan.Contact(
                "Lena Berg",
                emails=("lena@sunrise.example",),
                organization="sunrise-power",
                tags={"climate"},
                notes='=HYPERLINK("http://evil.example","click")',
            ),
            netplan.Contact("Zoë Ngũgĩ", role="+1 formula", phones=("-12",)),
        ]
    )


def test_contacts_csv_opens_in_a_spreadsheet_as_text() -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
    data = ContactsCsv().export(plan, _log())
    assert data.startswith(b"\xef\xbb\xbf")  # spreadsheets read the accents
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    lena, zoe = rows
    assert (lena["Name"], lena["Company"], lena["Tags"]) == (
        "Lena Berg",
        "Sunrise Power",
        "climate",
    )
    assert lena["Notes"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (zoe["Name"], zoe["Role"], zoe["Phones"]) == ("Zoë Ngũgĩ", "'+1 formula", "'-12")


def test_plan_json_reads_back_as_the_plan_and_log() -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
    log = _log()
    document = json.loads(PlanJson().export(plan, log))
    assert netplan.from_data(document["plan"]) == plan
    assert netplan.from_data(document["log"]) == log


def test_export_file_picks_by_suffix_and_writes_a_private_file(tmp_path: Path) -> None:
    store = netplan.open("memory://")
    store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
    store.add("maya", *_log().organizations, *_log().contacts)
    host = PluginHost(entry_points=False, environ={})
    written = host.export_file(store, "maya", tmp_path / "contacts.csv")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert b"Lena Berg" in written.read_bytes()
    host.export_file(store, "maya", tmp_path / "backup.json")
    with pytest.raises(
        netplan.ValidationError, match=r"contacts_csv \(.csv\), plan_json \(.json\)"
    ):
        host.export_file(store, "maya", tmp_path / "contacts.xlsx")
    with pytest.raises(netplan.ValidationError, match="must name an installed exporter"):
        host.export_file(store, "maya", tmp_path / "x.csv", format="nope")
