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
from netplan.formats.exports import ContactsCsv, ContactsVcard, PlanJson, neutralise
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
        netplan.ValidationError,
        match=r"contacts_csv \(.csv\), contacts_vcard \(.vcf\), icalendar \(.ics\), plan_json",
    ):
        host.export_file(store, "maya", tmp_path / "contacts.xlsx")
    with pytest.raises(netplan.ValidationError, match="must name an installed exporter"):
        host.export_file(store, "maya", tmp_path / "x.csv", format="nope")


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _unescape(value: str) -> str:
    out, escaped = [], False
    for char in value:
        if escaped:
            out.append("\n" if char == "n" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


@given(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200).filter(
        lambda s: bool(s.strip())
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
)
def test_vcard_lines_are_folded_within_75_octets_and_values_read_back(
    name: str, notes: str
) -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
    log = netplan.ActivityLog([netplan.Contact(name, notes=notes, id="someone")])
    text = ContactsVcard().export(plan, log).decode("utf-8")
    assert text.endswith("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    lines = _unfold(text)
    (fn,) = [line for line in lines if line.startswith("FN:")]
    assert _unescape(fn[3:]) == name.replace("\r\n", "\n").replace("\r", "\n")
    if notes:
        (note,) = [line for line in lines if line.startswith("NOTE:")]
        assert _unescape(note[5:]) == notes.replace("\r\n", "\n").replace("\r", "\n")


def test_vcard_export_has_every_detail_of_a_contact() -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
    text = ContactsVcard().export(plan, _log()).decode("utf-8")
    lines = _unfold(text)
    assert lines[:4] == [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Lena Berg",
        "UID:urn:netplan:maya:lena-berg",
    ]
    assert "EMAIL:lena@sunrise.example" in lines and "ORG:Sunrise Power" in lines
    assert "CATEGORIES:climate" in lines
    assert lines.count("BEGIN:VCARD") == lines.count("END:VCARD") == 2


def test_contacts_exported_as_vcard_import_back() -> None:
    from netplan.formats.vcard import VCard

    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
    log = _log()
    parsed = VCard().read("contacts.vcf", ContactsVcard().export(plan, log))
    assert parsed.problems == ()
    lena, zoe = parsed.people
    assert (lena.name, lena.emails, lena.company) == (
        "Lena Berg",
        ("lena@sunrise.example",),
        "Sunrise Power",
    )
    assert lena.notes == '=HYPERLINK("http://evil.example","click")'
    assert (zoe.name, zoe.role, zoe.phones) == ("Zoë Ngũgĩ", "+1 formula", ("-12",))
