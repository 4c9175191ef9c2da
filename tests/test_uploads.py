"""Imports of uploads: a file's bytes or a binary file object, with its name, read as a
path is read (the same formats, zips member by member, the same bounds), and named in
reports and errors by the name given, never by a path of the server."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import netplan
from netplan.plugins import PluginHost
from netplan.stores.memory import MemoryStore

TODAY = dt.date(2026, 12, 1)
VCARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Berg\r\nN:Berg;Lena;;;\r\n"
    b"EMAIL:lena@example.org\r\nORG:Climate Lab\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Omar Haddad\r\nN:Haddad;Omar;;;\r\n"
    b"EMAIL:omar@example.org\r\nEND:VCARD\r\n"
)
CONNECTIONS = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Ana,Silva,https://www.linkedin.com/in/ana-silva,ana@example.org,Acme,PM,10 Nov 2025\n"
)


def host() -> PluginHost:
    return PluginHost(entry_points=False, environ={})


def fresh() -> MemoryStore:
    store = MemoryStore()
    store.save(netplan.Plan("Sam", start=dt.date(2026, 11, 1), timezone="Europe/Berlin"))
    return store


class Body(io.RawIOBase):
    """An upload as a request body: read once, front to back, never seeked; ``data``, or
    else ``size`` bytes of ``x``. Counts what is read of it."""

    def __init__(self, data: bytes = b"", size: int | None = None) -> None:
        self.data, self.size, self.given = data, len(data) if size is None else size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.size - self.given)
        start = self.given
        chunk = self.data[start : start + count] if self.data else b"x" * count
        buffer[:count] = chunk
        self.given += count
        return count


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_vcard_from_a_path_bytes_or_a_file_object_stores_the_same_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(VCARD)
    sources: list[Any] = [path, str(path), VCARD, bytearray(VCARD), io.BytesIO(VCARD)]
    with path.open("rb") as opened:
        sources.append(opened)
        results = []
        for source in sources:
            store = fresh()
            name = None if isinstance(source, str | Path) else "contacts.vcf"
            done = host().import_files(store, "sam", source, name=name, today=TODAY)
            results.append((done, store.load_log("sam")))
    first, log = results[0]
    assert first.reports[0].file == "contacts.vcf" and len(first.reports[0].added) == 2
    assert len(log.contacts) == 2
    for done, other in results[1:]:
        assert done == first
        assert other == log


def test_the_default_host_imports_an_upload_too() -> None:
    store = fresh()
    done = netplan.import_files(store, "sam", VCARD, name="contacts.vcf", today=TODAY)
    assert done.reports[0].format == "vcard"
    assert {c.name for c in store.load_log("sam").contacts} == {"Lena Berg", "Omar Haddad"}


def test_a_zip_upload_imports_every_member_it_recognises_as_the_zip_path_does(
    tmp_path: Path,
) -> None:
    data = zipped(
        {
            "export/Connections.csv": CONNECTIONS,
            "export/contacts.vcf": VCARD,
            "export/Profile.csv": b"First Name,Last Name,Headline\nSam,Rivera,PM\n",
        }
    )
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    on_disk, uploaded, streamed = fresh(), fresh(), fresh()
    expected = host().import_files(on_disk, "sam", path, today=TODAY)
    assert [r.format for r in expected.reports] == ["linkedin_connections", "vcard"]
    assert expected.skipped == ("export/Profile.csv",)
    assert host().import_files(uploaded, "sam", data, name="export.zip", today=TODAY) == expected
    body = Body(data)
    assert host().import_files(streamed, "sam", body, name="export.zip", today=TODAY) == expected
    log = on_disk.load_log("sam")
    assert len(log.contacts) == 3
    assert uploaded.load_log("sam") == log and streamed.load_log("sam") == log


def test_an_oversize_file_object_is_refused_without_being_read_whole() -> None:
    body = Body(size=50_000_000)
    with pytest.raises(netplan.ValidationError, match=r"import\.contacts\.vcf: .*at most 10000"):
        host().import_files(fresh(), "sam", body, name="contacts.vcf", max_bytes=10_000)
    assert body.given == 10_001  # what tells it is too large, and no more
    with pytest.raises(netplan.ValidationError, match=r"import\.contacts\.vcf: .*at most 100 "):
        host().import_files(fresh(), "sam", VCARD, name="contacts.vcf", max_bytes=100)


def test_an_upload_counts_against_the_total_and_its_zip_members_are_bounded() -> None:
    with pytest.raises(netplan.ValidationError, match=r"import\.contacts\.vcf: .*at most 100 "):
        host().import_files(fresh(), "sam", VCARD, name="contacts.vcf", max_total=100)
    bomb = zipped({"Connections.csv": b"x" * 100_000})
    with pytest.raises(netplan.ValidationError) as raised:
        host().import_files(fresh(), "sam", bomb, name="export.zip", max_bytes=len(bomb) + 1000)
    assert raised.value.field == "import.export.zip:Connections.csv"
    assert "once unpacked" in str(raised.value)


def test_an_upload_needs_its_name() -> None:
    for upload in (VCARD, io.BytesIO(VCARD)):
        with pytest.raises(netplan.ValidationError, match="name=") as raised:
            host().import_files(fresh(), "sam", upload)
        assert raised.value.field == "import.name"
    for bad in ("", "  ", "/", 42):
        with pytest.raises(netplan.ValidationError) as raised:
            host().import_files(fresh(), "sam", VCARD, name=bad)  # type: ignore[arg-type]
        assert raised.value.field == "import.name"


def test_errors_and_reports_name_the_upload_never_a_path_of_the_server(tmp_path: Path) -> None:
    # A browser may send the whole path of the file on the person's computer.
    done = host().import_files(fresh(), "sam", VCARD, name="C:\\Users\\lena\\contacts.vcf")
    assert done.reports[0].file == "contacts.vcf"
    # A host that kept the upload in a temporary file names it by the upload's name.
    kept = tmp_path / "tmp8e3k1q.upload"
    kept.write_bytes(b"nothing netplan reads\n")
    for source in (kept, kept.read_bytes(), tmp_path / "gone"):
        with pytest.raises(netplan.ValidationError) as raised:
            host().import_files(fresh(), "sam", source, name="notes.txt")
        assert str(tmp_path) not in str(raised.value) and "tmp8e3k1q" not in str(raised.value)
        assert "notes.txt" in str(raised.value)
    kept.write_bytes(VCARD)
    assert host().import_files(fresh(), "sam", kept, name="a.vcf").reports[0].file == "a.vcf"


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        (42, "a path (str or pathlib.Path), an upload's bytes, or a binary file object"),
        (["contacts.vcf"], "a path (str or pathlib.Path), an upload's bytes"),
        (io.StringIO("BEGIN:VCARD"), "binary file object: open the file with 'rb'"),
    ],
    ids=["a number", "a list", "a text file"],
)
def test_what_is_not_a_path_bytes_or_a_binary_file_object_is_refused(
    source: object, rule: str
) -> None:
    with pytest.raises(netplan.ValidationError, match=re.escape(rule)) as raised:
        host().import_files(fresh(), "sam", source, name="contacts.vcf")  # type: ignore[arg-type]
    assert raised.value.field == "import.path"


def test_a_file_object_that_reads_text_is_refused() -> None:
    class Texts:
        def read(self, size: int = -1) -> str:
            return "BEGIN:VCARD"

    with pytest.raises(netplan.ValidationError, match="rb") as raised:
        host().import_files(fresh(), "sam", Texts(), name="contacts.vcf")  # type: ignore[arg-type]
    assert raised.value.field == "import.contacts.vcf"
