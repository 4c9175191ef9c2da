"""Importing files into a stored plan: detection, folders and zips, all or nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.plugins import PluginHost

CORPUS = SHARED / "linkedin"
EXPORT = {
    "Connections.csv": "linkedin_connections_2025.csv",
    "messages.csv": "linkedin_messages_2026.csv",
    "Invitations.csv": "linkedin_invitations_2026.csv",
}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A LinkedIn export folder as unpacked, with a file no importer reads."""
    if not CORPUS.exists():
        pytest.skip(missing(CORPUS))
    folder = tmp_path / "Basic_LinkedInDataExport_11-25-2026"
    folder.mkdir()
    for name, original in EXPORT.items():
        shutil.copy(CORPUS / original, folder / name)
    (folder / "Profile.csv").write_text("First Name,Last Name,Headline\nSam,Rivera,PM\n")
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[netplan.Store]:
    with netplan.open(f"sqlite://{tmp_path / 'plans.db'}", create=True) as opened:
        opened.save(netplan.Plan("Sam", start=dt.date(2026, 11, 1)))
        yield opened


def host() -> PluginHost:
    return PluginHost(entry_points=False, environ={})


def test_an_export_folder_imports_people_then_their_messages(
    store: netplan.Store, export: Path
) -> None:
    done = host().import_files(store, "sam", export)
    assert [r.format for r in done.reports] == [
        "linkedin_connections",
        "linkedin_invitations",
        "linkedin_messages",
    ]
    assert done.skipped == ("Profile.csv",)
    log = store.load_log("sam")
    assert len(log.contacts) == 40
    messages = log.interactions(contact="eun-ji-chen", kind="message")
    assert messages and all(m.channel is netplan.Channel.LINKEDIN for m in messages)
    assert "skipped Profile.csv: no importer recognises it" in str(done)


def test_a_zip_of_the_export_imports_the_same_and_again_changes_nothing(
    store: netplan.Store, export: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(export.iterdir()):
            zipped.write(path, f"export/{path.name}")
    host().import_files(store, "sam", archive)
    first = store.load_log("sam")
    again = host().import_files(store, "sam", archive)
    assert all(r.added == () and r.interactions == 0 for r in again.reports)
    assert store.load_log("sam") == first


def test_a_dry_run_stores_nothing(store: netplan.Store, export: Path) -> None:
    done = host().import_files(store, "sam", export, dry_run=True)
    assert done.dry_run and len(done.reports[0].added) == 40
    assert len(store.load_log("sam").contacts) == 0


def test_a_bad_record_leaves_the_plan_as_it_was_unless_skipped(
    store: netplan.Store, tmp_path: Path
) -> None:
    bad = tmp_path / "Connections.csv"
    bad.write_text(
        'First Name,Last Name,Connected On\nAna,Silva,10 Nov 2021\nBen,"Okafor,10 Nov 2021\n'
    )
    with pytest.raises(netplan.ImportAbortedError, match=r"Connections.csv, line 3"):
        host().import_files(store, "sam", bad)
    assert store.load_log("sam").contacts == ()
    done = host().import_files(store, "sam", bad, skip_bad=True)
    assert done.reports[0].added == ("ana-silva",)


def test_a_file_of_unknown_format_is_refused_with_the_importers_tried(
    store: netplan.Store, tmp_path: Path
) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("nothing to see\n")
    with pytest.raises(netplan.ValidationError, match="linkedin_connections.*pass format="):
        host().import_files(store, "sam", odd)
    with pytest.raises(netplan.ValidationError, match="must name an installed importer"):
        host().import_files(store, "sam", odd, format="nope")
    with pytest.raises(netplan.ValidationError, match="existing file or folder"):
        host().import_files(store, "sam", tmp_path / "missing.csv")


def test_files_and_zip_members_are_read_within_a_bound(
    store: netplan.Store, tmp_path: Path
) -> None:
    big = tmp_path / "Connections.csv"
    big.write_text("First Name,Last Name,Connected On\n" + "Ana,Silva,10 Nov 2021\n" * 100)
    with pytest.raises(netplan.ValidationError, match="at most 100 bytes"):
        host().import_files(store, "sam", big, max_bytes=100)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("Connections.csv", "x" * 100_000)
    with pytest.raises(netplan.ValidationError, match="once unpacked"):
        host().import_files(store, "sam", archive, max_bytes=1000)


def test_the_builtin_importers_are_plugins_of_the_host() -> None:
    report = host().report()["netplan.plugins.importers"]
    assert "importer:linkedin_connections" in report.registers
