"""Contact CSVs as other tools really write them: Thunderbird's layout, trimmed Google and
one-``Name`` Outlook headers, semicolons and tabs, UTF-16 and legacy code pages (Shift_JIS
read as Japanese, an encoding that cannot be told an error), and the labels, categories,
birthdays, nicknames and notes each layout holds.

Every behaviour is tested on small files written here; the shared corpus of other
projects' test files (``../shared/corpus/peers``, never copied into the repository: its
licences vary) is read where it is present.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core._encoding import legacy_encoding
from netplan.core.importing import Importer, Parsed, Problem, ProblemLevel, decode_text
from netplan.formats.contacts_csv import (
    GoogleContactsCsv,
    MappedCsv,
    OutlookContactsCsv,
    ThunderbirdCsv,
)
from netplan.formats.csvfile import locate_header, rows
from netplan.plugins.importers import BUILTIN_IMPORTERS

PEERS = SHARED / "peers"
GOOGLE = GoogleContactsCsv()
OUTLOOK = OutlookContactsCsv()
THUNDERBIRD = ThunderbirdCsv()
IMPORTERS: tuple[Importer, ...] = (GOOGLE, OUTLOOK, THUNDERBIRD)

# Thunderbird's export header (mailnews/addrbook), 37 columns.
TB_COLUMNS = [
    "First Name",
    "Last Name",
    "Display Name",
    "Nickname",
    "Primary Email",
    "Secondary Email",
    "Screen Name",
    "Work Phone",
    "Home Phone",
    "Fax Number",
    "Pager Number",
    "Mobile Number",
    "Home Address",
    "Home Address 2",
    "Home City",
    "Home State",
    "Home ZipCode",
    "Home Country",
    "Work Address",
    "Work Address 2",
    "Work City",
    "Work State",
    "Work ZipCode",
    "Work Country",
    "Job Title",
    "Department",
    "Organization",
    "Web Page 1",
    "Web Page 2",
    "Birth Year",
    "Birth Month",
    "Birth Day",
    "Custom 1",
    "Custom 2",
    "Custom 3",
    "Custom 4",
    "Notes",
]


def kept_all(parsed: Parsed) -> tuple[Problem, ...]:
    """The problems of ``parsed`` but the note of columns netplan has no place for."""
    return tuple(p for p in parsed.problems if "has no place for" not in p.message)


def tb_row(**cells: str) -> dict[str, str]:
    return {column: cells.get(column.replace(" ", "_").lower(), "") for column in TB_COLUMNS}


def tb_file(*people: dict[str, str], delimiter: str = ",", newline: str = "\r\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, TB_COLUMNS, delimiter=delimiter, lineterminator=newline)
    writer.writeheader()
    writer.writerows(people)
    return out.getvalue()


ANA = tb_row(
    first_name="Ana",
    last_name="Silva",
    display_name="Ana Silva",
    nickname="Nani",
    primary_email="Ana@Example.org",
    secondary_email="ana@home.example",
    work_phone="+1 555 0100",
    mobile_number="+1 555 0199",
    fax_number="+1 555 0000",
    job_title="CTO",
    department="Research",
    organization="Sunrise Power",
    web_page_1="https://www.linkedin.com/in/ana-silva/",
    web_page_2="https://ana.example",
    birth_year="1990",
    birth_month="12",
    birth_day="25",
    notes="Met at PyCon\nfollow up",
)


def peer(relative: str) -> bytes:
    path = PEERS / relative
    if not path.exists():
        pytest.skip(missing(path))
    return path.read_bytes()


def only(parsed: Parsed) -> netplan.core.importing.Person:
    (person,) = parsed.people
    return person


# -- Thunderbird --------------------------------------------------------------------------


def test_thunderbird_reads_every_field_netplan_models() -> None:
    parsed = THUNDERBIRD.read("tb.csv", tb_file(ANA).encode())
    assert kept_all(parsed) == ()
    ana = only(parsed)
    assert (ana.name, ana.nickname, ana.birthday) == ("Ana Silva", "Nani", "1990-12-25")
    assert ana.emails == ("ana@example.org", "ana@home.example")
    assert ana.phones == ("+1 555 0199", "+1 555 0100")  # mobile first, no fax
    assert (ana.company, ana.role) == ("Sunrise Power", "CTO")
    assert ana.profiles == ("linkedin.com/in/ana-silva", "https://ana.example")
    assert ana.notes == "Met at PyCon\nfollow up"
    assert ana.source.line == 2


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_thunderbird_reads_commas_semicolons_and_tabs(delimiter: str) -> None:
    data = tb_file(ANA, tb_row(display_name="Bo Chen"), delimiter=delimiter).encode()
    assert THUNDERBIRD.sniff("tb.csv", data) == 0.9
    parsed = THUNDERBIRD.read("tb.csv", data)
    assert [p.name for p in parsed.people] == ["Ana Silva", "Bo Chen"]
    assert parsed.people[0].notes == "Met at PyCon\nfollow up"
    assert parsed.people[1].source.line == 4  # Ana's notes take two lines


def test_a_short_semicolon_header_in_any_order_is_thunderbirds() -> None:
    data = b"Display Name;First Name;Last Name;Primary Email\nJohn Doe;John;Doe;john@doe.invalid\n"
    assert THUNDERBIRD.sniff("x.csv", data) == 0.9
    assert GOOGLE.sniff("x.csv", data) == OUTLOOK.sniff("x.csv", data) == 0.1
    assert only(THUNDERBIRD.read("x.csv", data)).emails == ("john@doe.invalid",)


def test_thunderbird_names_a_row_by_display_name_then_names_then_nickname_then_company() -> None:
    parsed = THUNDERBIRD.read(
        "tb.csv",
        tb_file(
            tb_row(first_name="Ana", last_name="Silva"),
            tb_row(nickname="Mom", home_phone="+1 555 0123"),
            tb_row(organization="Acer America", work_phone="(800) 000-0000"),
            tb_row(fax_number="+1 555 0000"),
        ).encode(),
    )
    assert [p.name for p in parsed.people] == ["Ana Silva", "Mom", "Acer America"]
    assert parsed.people[1].nickname == "Mom"
    company, skipped = parsed.problems
    assert (company.source.line, company.field) == (4, "Display Name")
    assert "company" in company.message and company.level is ProblemLevel.WARNING
    assert (skipped.source.line, "skipped" in skipped.message) == (5, True)


@pytest.mark.parametrize(
    ("year", "month", "day", "birthday"),
    [("", "12", "25", "--12-25"), ("1604", "2", "29", "--02-29"), ("", "", "", "")],
)
def test_thunderbird_birthdays(year: str, month: str, day: str, birthday: str) -> None:
    row = tb_row(display_name="Ana", birth_year=year, birth_month=month, birth_day=day)
    parsed = THUNDERBIRD.read("tb.csv", tb_file(row).encode())
    assert kept_all(parsed) == ()
    assert only(parsed).birthday == birthday


@pytest.mark.parametrize(
    ("year", "month", "day"), [("1990", "13", "1"), ("1990", "", ""), ("", "Dec", "25")]
)
def test_a_thunderbird_birthday_it_cannot_read_is_a_warning_and_the_row_is_kept(
    year: str, month: str, day: str
) -> None:
    row = tb_row(display_name="Ana", primary_email="a@x.org", birth_year=year)
    row.update({"Birth Month": month, "Birth Day": day})
    parsed = THUNDERBIRD.read("tb.csv", tb_file(row).encode())
    (problem,) = kept_all(parsed)
    assert (problem.source.file, problem.source.line, problem.field) == ("tb.csv", 2, "Birth Month")
    assert problem.level is ProblemLevel.WARNING and "left out" in problem.message
    assert (only(parsed).birthday, only(parsed).emails) == ("", ("a@x.org",))


# -- encodings ----------------------------------------------------------------------------

JAPANESE = tb_file(
    tb_row(
        first_name="太郎",
        last_name="山田",
        display_name="山田 太郎",
        organization="\uff08株\uff09山田商事",
    ),
    tb_row(first_name="花子", last_name="佐藤", display_name="佐藤 花子", primary_email="h@x.jp"),
)


def test_utf16_with_and_without_its_mark_reads() -> None:
    text = tb_file(ANA)
    for data in (
        text.encode("utf-16"),  # with the mark
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
        b"\xef\xbb\xbf" + text.encode(),
    ):
        parsed = THUNDERBIRD.read("tb.csv", data)
        assert kept_all(parsed) == ()
        assert only(parsed).notes == "Met at PyCon\nfollow up"
        assert THUNDERBIRD.sniff("tb.csv", data[:8192]) == 0.9


def test_shift_jis_reads_as_japanese_not_mojibake() -> None:
    data = JAPANESE.encode("cp932")
    assert decode_text(data, strict=True)[1] == "cp932"
    parsed = THUNDERBIRD.read("jp.csv", data)
    assert kept_all(parsed) == ()
    assert [p.name for p in parsed.people] == ["山田 太郎", "佐藤 花子"]
    assert parsed.people[0].company == "\uff08株\uff09山田商事"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "François,Lefèvre,François Lefèvre,Rencontré à Lyon\n"
            "Jürgen,Müller,Jürgen Müller,Messe Köln\n"
            "Renée,Côté,Renée Côté,Café à Montréal\n",
            "cp1252",
        ),
        ("Анна,Смирнова,Анна Смирнова,Дмитрий Иванов\n", "cp1251"),
        ("张伟,王,张伟,北京科技有限公司\n王芳,王,王芳,上海银行\n", "gb18030"),
        ("김민수,김,김민수,삼성전자\n이영희,이,이영희,서울\n", "cp949"),
        ("Łukasz,Wójcik,Łukasz Wójcik,Małgorzata Kowalska\n", "cp1250"),
        ("Γιώργος,Παπαδόπουλος,Γιώργος Παπαδόπουλος,Μαρία\n", "cp1253"),
    ],
)
def test_legacy_code_pages_are_told_apart(text: str, encoding: str) -> None:
    data = ("First Name,Last Name,Display Name,Notes\n" + text).encode(encoding)
    decoded, found = decode_text(data, strict=True)
    assert decoded == "First Name,Last Name,Display Name,Notes\n" + text
    assert data.decode(found) == data.decode(encoding)


def test_an_encoding_that_cannot_be_told_is_one_error_naming_the_file_and_readings() -> None:
    data = ("Display Name,Primary Email\nAna,ana@x.org\nSøren,s@x.dk\n").encode("cp1252")
    parsed = THUNDERBIRD.read("danish.csv", data)
    assert parsed.people == ()
    (problem,) = kept_all(parsed)
    assert problem.level is ProblemLevel.ERROR
    assert (problem.source.file, problem.source.line) == ("danish.csv", 3)  # the first non-ASCII
    assert "cannot be told for sure" in problem.message
    assert "Windows-1252 (“Søren”)" in problem.message and "Windows-1250" in problem.message
    assert "UTF-8" in problem.message
    # Not strict, the likeliest reading is taken (sniffing needs no more).
    assert decode_text(data) == (data.decode("cp1252"), "cp1252")
    with pytest.raises(UnicodeError, match="Søren"):
        decode_text(data, strict=True)


@pytest.mark.parametrize(
    "data",
    [
        # UTF-8 and Windows-1252 in one file (two exports pasted together).
        "Display Name\nZoë\n".encode() + "José\n".encode("cp1252"),
        b"Display Name,Primary Email\n" + bytes(range(128, 256)) * 4,  # binary
    ],
)
def test_text_no_encoding_reads_plausibly_is_an_error_not_mojibake(data: bytes) -> None:
    parsed = THUNDERBIRD.read("bad.csv", data)
    (problem,) = kept_all(parsed)
    assert problem.level is ProblemLevel.ERROR and problem.source.file == "bad.csv"
    assert parsed.people == ()
    with pytest.raises(UnicodeError):
        decode_text(data, strict=True)


def test_decode_text_keeps_its_simple_cases() -> None:
    assert decode_text(b"\xff\xfe\x00\x00A\x00\x00\x00") == ("A", "utf-32")
    assert decode_text("Zoë".encode("cp1252"))[1] == "cp1252"
    # A head cut in the middle of a character is UTF-8, not another encoding.
    head = "Ngũgĩ,Zoë".encode()[:-1]
    assert decode_text(head, strict=True) == ("Ngũgĩ,Zo\ufffd", "utf-8")
    # One encoding given is taken when it reads the bytes.
    assert decode_text("Søren".encode("cp1252"), ("utf-8", "cp1252"), strict=True)[1] == "cp1252"


def test_readings_giving_the_same_text_are_one_named_by_the_first_listed() -> None:
    data = "Name\nJosé García\nInés Pérez\n".encode("cp1252")
    guess = legacy_encoding(data, ("cp1252", "iso8859-15", "cp1250", "cp1251"))
    assert guess is not None and guess.sure and guess.encoding == "cp1252"


def test_locate_header_finds_the_delimiter_and_rows_follows_it() -> None:
    text = "exported\nName;E-mail\nAna;a@x.org\n"
    header = locate_header(text, ("name", "e-mail"))
    assert header is not None and (header.line, header.delimiter) == (1, ";")
    assert list(rows(text, header.line, header.names, delimiter=";")) == [
        (3, {"Name": "Ana", "E-mail": "a@x.org"})
    ]


# -- Google -------------------------------------------------------------------------------

GOOGLE_2024 = (
    "First Name,Middle Name,Last Name,Nickname,Birthday,Notes,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value\n"
)


def test_a_trimmed_google_header_is_google() -> None:
    data = (
        b"First Name,Middle Name,Last Name,Organization Name,Organization Title,"
        b"Phone 1 - Label,Phone 1 - Value,E-mail 1 - Value,Website 1 - Label,Website 1 - Value\n"
        b"John,,Doe,Acme Corp,CEO,Work,+1-555-0123,john@example.com,Website,https://acme.com"
    )
    assert GOOGLE.sniff("g.csv", data) == 0.9
    assert OUTLOOK.sniff("g.csv", data) == THUNDERBIRD.sniff("g.csv", data) == 0.1
    john = only(GOOGLE.read("g.csv", data))
    assert (john.name, john.emails, john.phones) == (
        "John Doe",
        ("john@example.com",),
        ("+1-555-0123",),
    )
    assert (john.company, john.role) == ("Acme Corp", "CEO")


def test_google_labels_become_tags_without_system_labels() -> None:
    parsed = GOOGLE.read(
        "g.csv",
        (
            GOOGLE_2024
            + 'Ana,,Silva,Nani, --12-25,"Met at PyCon",'
            + "Climate Tech ::: * myContacts ::: * starred ::: friends ::: Família ::: 友人,"
            + "* Work,ana@x.org\n"
        ).encode(),
    )
    ana = only(parsed)
    assert ana.tags == {"climate-tech", "friends", "familia"}
    assert (ana.nickname, ana.birthday, ana.notes) == ("Nani", "--12-25", "Met at PyCon")
    (problem,) = kept_all(parsed)  # the label no tag can hold
    assert (problem.source.line, problem.field, problem.level) == (
        2,
        "Labels",
        ProblemLevel.WARNING,
    )
    assert "友人" in problem.message


def test_legacy_group_membership_becomes_tags() -> None:
    data = (
        b"Name,Given Name,Family Name,Birthday,Group Membership,E-mail 1 - Type,E-mail 1 - Value\n"
        b"Ana Silva,Ana,Silva,1990-12-25,* myContacts ::: Coworkers,* ,ana@x.org\n"
    )
    ana = only(GOOGLE.read("g.csv", data))
    assert (ana.tags, ana.birthday) == (frozenset({"coworkers"}), "1990-12-25")


def test_a_google_birthday_read_birthday_refuses_is_a_warning_and_the_row_is_kept() -> None:
    parsed = GOOGLE.read("g.csv", (GOOGLE_2024 + "Ana,,Silva,,circa 1800,,,,ana@x.org\n").encode())
    (problem,) = kept_all(parsed)
    assert (problem.source.file, problem.source.line, problem.field) == ("g.csv", 2, "Birthday")
    assert "circa 1800" in problem.message and problem.level is ProblemLevel.WARNING
    ana = only(parsed)
    assert (ana.name, ana.birthday, ana.emails) == ("Ana Silva", "", ("ana@x.org",))


def test_a_google_row_without_a_name_is_named_by_its_nickname() -> None:
    parsed = GOOGLE.read("g.csv", (GOOGLE_2024 + ",,,Nani,,,,,nani@x.org\n").encode())
    assert kept_all(parsed) == ()
    assert (only(parsed).name, only(parsed).nickname) == ("Nani", "Nani")


# -- Outlook ------------------------------------------------------------------------------


def test_an_outlook_file_with_one_name_column_and_short_rows_reads() -> None:
    data = (
        b"Action,ID,Name,E-mail Address,Notes,Mobile Phone,Company,Job Title,Home Phone\n"
        b"add,,Adam Glacius,adam@anycom.com,Has 2 kids,+1 555 3227,Acme Inc.,Sales Planner,+1 555 1\n"
        b"delete,241a,Daniel Ireland,daniel@restty.com,,+1 555 3228\n"
    )
    assert OUTLOOK.sniff("o.csv", data) == 0.9
    parsed = OUTLOOK.read("o.csv", data)
    assert kept_all(parsed) == ()
    adam, daniel = parsed.people
    assert (adam.name, adam.company, adam.role) == ("Adam Glacius", "Acme Inc.", "Sales Planner")
    assert (adam.notes, adam.phones) == ("Has 2 kids", ("+1 555 3227", "+1 555 1"))
    assert (daniel.name, daniel.company) == ("Daniel Ireland", "")


@pytest.mark.parametrize(
    ("birthday", "expected"),
    [("12/25/1990", "1990-12-25"), ("0/0/00", ""), ("25.12.1990", "1990-12-25"), ("", "")],
)
def test_outlook_categories_birthday_and_nickname(birthday: str, expected: str) -> None:
    data = (
        '"First Name","Last Name","E-mail Address","Nickname","Birthday","Categories"\n'
        f'"Ana","Silva","ana@x.org","Nani","{birthday}","Friends;Climate Tech; Board"\n'
    ).encode()
    parsed = OUTLOOK.read("o.csv", data)
    assert kept_all(parsed) == ()
    ana = only(parsed)
    assert (ana.nickname, ana.birthday) == ("Nani", expected)
    assert ana.tags == {"friends", "climate-tech", "board"}


def test_german_outlook_birthday_and_categories_in_windows_1252() -> None:
    data = (
        '"Vorname","Nachname","E-Mail-Adresse","Geburtstag","Kategorien","Notizen"\n'
        '"Jürgen","Müller","j@x.de","25.12.1990","Geschäftlich","Messe Köln"\n'
        '"Björn","Größe","b@x.de","1.2.","","Straße"\n'
    ).encode("cp1252")
    parsed = OUTLOOK.read("de.csv", data)
    assert kept_all(parsed) == ()
    juergen, bjoern = parsed.people
    assert (juergen.name, juergen.birthday, juergen.tags) == (
        "Jürgen Müller",
        "1990-12-25",
        frozenset({"geschaftlich"}),
    )
    assert (juergen.notes, bjoern.birthday) == ("Messe Köln", "--02-01")


# -- any CSV, mapped ----------------------------------------------------------------------


def test_a_mapped_csv_reads_nickname_birthday_and_tags() -> None:
    importer = MappedCsv(
        {
            "nickname": "Alias",
            "email": "Mail",
            "birthday": "Born",
            "tags": "Groups",
            "notes": "Note",
        }
    )
    parsed = importer.read(
        "m.csv",
        b"Alias,Mail,Born,Groups,Note\nNani,n@x.org,--12-25,Climate Tech; friends,hi\n"
        b"Bo,b@x.org,someday,,\n",
    )
    nani, bo = parsed.people
    assert (nani.name, nani.nickname, nani.birthday) == ("Nani", "Nani", "--12-25")
    assert (nani.tags, nani.notes) == (frozenset({"climate-tech", "friends"}), "hi")
    (problem,) = kept_all(parsed)
    assert (problem.source.line, problem.field) == (3, "Born")
    assert bo.birthday == ""


# -- import end to end --------------------------------------------------------------------


def test_thunderbird_is_a_built_in_importer_and_its_fields_reach_the_contacts(
    tmp_path: Path,
) -> None:
    assert THUNDERBIRD in BUILTIN_IMPORTERS
    path = tmp_path / "addressbook.csv"
    path.write_bytes(tb_file(ANA, tb_row(display_name="山田 太郎")).encode("cp932"))
    with netplan.open("memory://") as store:
        plan = store.save(netplan.Plan("Maya", start=dt.date(2026, 1, 1)))
        imported = netplan.import_files(store, plan.id, path)
        (report,) = imported.reports
        # Nothing dropped silently: the columns netplan has no place for are named.
        assert [(p.source.line, p.message) for p in report.problems] == [
            (
                1,
                "2 columns netplan has no place for (addresses, web pages other than "
                "profiles...): Fax Number, Department; left out",
            )
        ]
        log = store.load_log(plan.id)
        ana = log.contact("ana-silva")
        assert (ana.nickname, ana.birthday, ana.notes) == ("Nani", "1990-12-25", ANA["Notes"])
        assert sorted(c.name for c in log.contacts) == ["Ana Silva", "山田 太郎"]


# -- the peers corpus ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "importer", "names"),
    [
        ("thunderbird_basic_csv_addressbook.csv", THUNDERBIRD, ["John Doe", "Jane Doe"]),
        ("thunderbird_shiftjis_addressbook.csv", THUNDERBIRD, ["名無しの権兵衛"]),
        ("thunderbird_utf16_addressbook.csv", THUNDERBIRD, ["John Doe"]),
        ("thunderbird_quote.csv", THUNDERBIRD, ["Acer America"]),
        ("thunderbird_csv_semicolon.csv", THUNDERBIRD, ["John Doe", "Jane Doe"]),
        ("thunderbird_export.csv", THUNDERBIRD, ["contact number one", "contact number two"]),
        ("rolomind_google.csv", GOOGLE, ["John Doe", "Jane Smith", "Bob Wilson", "Alice Brown"]),
        ("gpcsolutions_outlook.csv", OUTLOOK, ["Adam Glacius", "Daniel Ireland", "Duncan Amey"]),
    ],
)
def test_the_peers_csv_files_read_as_their_tests_expect(
    file: str, importer: Importer, names: list[str]
) -> None:
    data = peer(f"csv/{file}")
    scores = {i.name: i.sniff(file, data[:8192]) for i in BUILTIN_IMPORTERS}
    assert max(scores, key=lambda n: scores[n]) == importer.name
    parsed = importer.read(file, data)
    assert kept_all(parsed) == ()
    assert [p.name for p in parsed.people] == names


def test_the_peers_shift_jis_email_and_the_thunderbird_export_quirks() -> None:
    japanese = only(THUNDERBIRD.read("sj.csv", peer("csv/thunderbird_shiftjis_addressbook.csv")))
    assert japanese.emails == ("名無しの権兵衛@host.invalid",)
    _, two = THUNDERBIRD.read("export.csv", peer("csv/thunderbird_export.csv")).people
    assert two.role == '"worker"'
    assert two.notes == "here's some unicode text…"


# -- bytes that are not a contacts file ---------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("NETPLAN_FUZZ_EXAMPLES", "300"))
SEEDS = [
    tb_file(ANA).encode(),
    tb_file(ANA, delimiter=";").encode("utf-16"),
    JAPANESE.encode("cp932"),
    ("Display Name,Primary Email,Notes\nFrançois Lefèvre,f@x.fr,à Lyon\n").encode("cp1252"),
    (b"Name,E-mail Address,Categories,Birthday\nAna,a@x.org,A;B,25.12.1990\n"),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()) and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(max_size=8))
    return bytes(data)


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.one_of(st.binary(max_size=2000), mutated()))
def test_any_bytes_never_raise_and_every_problem_is_placed(data: bytes) -> None:
    for importer in IMPORTERS:
        parsed = importer.read("fuzz.csv", data)
        for problem in parsed.problems:
            assert problem.source.file == "fuzz.csv"
            assert problem.source.line is not None and problem.source.line >= 1
        assert all(person.name.strip() for person in parsed.people)
        assert 0.0 <= importer.sniff("fuzz.csv", data[:8192]) <= 1.0
    decode_text(data)  # never raises unless strict
