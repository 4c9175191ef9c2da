"""Google Contacts, Outlook and mapped CSV files: every quirk reads, bad bytes never crash."""

from __future__ import annotations

import datetime as dt
import os

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core.errors import ValidationError
from netplan.core.importing import Importer, Parsed, Problem, ProblemLevel
from netplan.formats.contacts_csv import GoogleContactsCsv, MappedCsv, OutlookContactsCsv
from netplan.formats.csvfile import MAX_FIELD

# A few hundred in the default run; `nox -s fuzz` sets 10,000.
FUZZ_EXAMPLES = int(os.environ.get("NETPLAN_FUZZ_EXAMPLES", "300"))

CORPUS = SHARED
GOOGLE = GoogleContactsCsv()
OUTLOOK = OutlookContactsCsv()
MAPPED = MappedCsv(
    {
        "name": "Full Name",
        "email": "E-mail",
        "phone": "Tel",
        "profile": "LinkedIn",
        "company": "Org",
        "role": "Role",
        "connected_on": "Met",
        "notes": "Notes",
    }
)
IMPORTERS: tuple[Importer, ...] = (GOOGLE, OUTLOOK, MAPPED)

LEGACY_HEADER = (
    "Name,Given Name,Additional Name,Family Name,Notes,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,"
    "Organization 1 - Title,Website 1 - Type,Website 1 - Value\n"
)
CURRENT_HEADER = (
    "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Website 1 - Label,Website 1 - Value\n"
)
OUTLOOK_HEADER = (
    '"Title","First Name","Middle Name","Last Name","Company","Job Title",'
    '"Business Phone","Mobile Phone","Birthday","E-mail Address","E-mail Type",'
    '"E-mail 2 Address","Notes","Web Page"\n'
)
FRENCH_HEADER = (
    '"Titre","Prénom","Deuxième prénom","Nom","Suffixe","Société ","Service ","Titre",'
    '"Téléphone (bureau)","Tél. mobile","Adresse de messagerie","Type de messagerie",'
    '"Adresse de messagerie 2","Anniversaire","Notes","Page Web"\n'
)
GERMAN_HEADER = (
    '"Anrede","Vorname","Weitere Vornamen","Nachname","Firma","Abteilung","Position",'
    '"Telefon geschäftlich","Mobiltelefon","E-Mail-Adresse","E-Mail 2: Adresse",'
    '"Geburtstag","Notizen","Webseite"\n'
)
MAPPED_HEADER = "Full Name, e-mail ,Tel,LinkedIn,Org,Role,Met,Notes\n"

LEGACY = (
    LEGACY_HEADER
    + "Ana Silva,Ana,,Silva,,* myContacts,Home ::: * Work,ana@home.example ::: Ana@Work.example,"
    + ",,Mobile,+1 555 0100 ::: * +1 555 0199,,Acme,CTO,Profile,"
    + "https://www.linkedin.com/in/Ana-Silva/ ::: https://ana.example\n"
)
OUTLOOK_FILE = (
    OUTLOOK_HEADER
    + ',"Eun-ji",,"Chen","Wayne Analytics","Founder & CEO","+33 4 00 00 00 00",,"0/0/00",'
    + '"eun-ji@example.net","SMTP",,"Met in Lyon\nfollow up",\n'
)
FRENCH = (
    FRENCH_HEADER
    + '"M.","Gérard",,"Dupont",,"Société Générale","Risques","Directeur financier",'
    + '"+33 1 00 00 00 00","+33 6 00 00 00 00","Gerard@SG.example","SMTP",,"0/0/00",'
    + '"Rencontré à Lyon",\n'
)
GERMAN = (
    GERMAN_HEADER
    + '"Herr","Jürgen",,"Müller","Müller & Söhne GmbH","Vertrieb","Vertriebsleiter",'
    + '"+49 30 000000","+49 171 0000000","j.mueller@example.de","J.Mueller@Privat.example",'
    + '"0/0/00","Messe Köln","https://www.linkedin.com/in/juergen-mueller"\n'
)
MAPPED_FILE = (
    MAPPED_HEADER
    + "Ana Silva,ANA@example.com; ana@home.example,+1 555 0100,"
    + "https://linkedin.com/in/ana-silva,Acme,CTO,2024-03-05,Met at PyCon\n"
)


def kept_all(parsed: Parsed) -> tuple[Problem, ...]:
    """The problems of ``parsed`` but the note of columns netplan has no place for."""
    return tuple(p for p in parsed.problems if "has no place for" not in p.message)


def corpus_file(relative: str) -> bytes:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(missing(path))
    return path.read_bytes()


def read(importer: Importer, text: str, name: str = "contacts.csv") -> Parsed:
    return importer.read(name, text.encode("utf-8"))


# -- the shared corpus: real exports ------------------------------------------------------


def test_the_2024_google_export_reads_both_people() -> None:
    name = "escalate_google_contacts_2024_format.csv"
    data = corpus_file(f"csv/{name}")
    assert GOOGLE.sniff(name, data[:4096]) == 0.9
    parsed = GOOGLE.read(name, data)
    assert kept_all(parsed) == ()
    assert [p.name for p in parsed.people] == ["John Doe", "Max Amadeus Mustermann"]
    assert [p.source.line for p in parsed.people] == [2, 3]
    # Nothing else: no emails, and the photo URL and birthday are not read.
    assert all(p.emails == p.phones == p.profiles == () for p in parsed.people)


def test_the_legacy_google_export_reads_emails_phones_and_websites() -> None:
    name = "escalate_google_contacts_legacy_format.csv"
    data = corpus_file(f"csv/{name}")
    assert GOOGLE.sniff(name, data[:4096]) == 0.9
    parsed = GOOGLE.read(name, data)
    assert kept_all(parsed) == ()
    john, max_ = parsed.people
    assert (john.name, john.emails) == ("John Doe", ("doe@gmail.com",))
    assert john.phones == ("01701234567", "03012345678")
    assert john.profiles == ("https://www.facebook.com",)
    # John's quoted two-line address moves Max to line 4.
    assert (max_.name, max_.source.line) == ("Max Mustermann", 4)
    assert (max_.emails, max_.phones) == (("mustermann@gmail.com",), ("+49 171 1234567",))


def test_the_cp1252_outlook_export_reads_every_row() -> None:
    name = "outlook_contacts_cp1252.csv"
    data = corpus_file(f"linkedin/{name}")
    assert OUTLOOK.sniff(name, data[:4096]) == 0.9
    parsed = OUTLOOK.read(name, data)
    assert kept_all(parsed) == ()
    assert len(parsed.people) == 12
    # Every row's notes take two lines: the rows start on even lines.
    assert [p.source.line for p in parsed.people] == list(range(2, 26, 2))
    first = parsed.people[0]
    assert (first.name, first.company, first.role) == (
        "Eun-ji Chen",
        "Wayne Analytics",
        "Founder & CEO",
    )
    assert first.emails == ("c0@example.net",)
    assert first.phones == ("+33 4 00 00 00 00",)
    assert first.notes == "Met at the Lyon fintech meetup\nfollow up re: referral"
    by_name = {p.name: p for p in parsed.people}
    assert (by_name["Olu Jensen"].company, by_name["Olu Jensen"].role) == (
        "Globex, Inc.",
        "Head of Product, EMEA",
    )
    assert by_name["Quinn García"].emails == ("c7@example.net",)
    assert "Siobhán Berg" in by_name and "Rafaël Lindqvist" in by_name


def test_no_importer_claims_another_ones_corpus_file() -> None:
    google = corpus_file("csv/escalate_google_contacts_legacy_format.csv")
    outlook = corpus_file("linkedin/outlook_contacts_cp1252.csv")
    linkedin = corpus_file("linkedin/linkedin_connections_2025.csv")
    assert OUTLOOK.sniff("a.csv", google) == GOOGLE.sniff("a.csv", outlook) == 0.1
    assert GOOGLE.sniff("a.csv", linkedin) == OUTLOOK.sniff("a.csv", linkedin) == 0.1
    assert OUTLOOK.sniff("a.txt", google) == MAPPED.sniff("a.csv", google) == 0.0


# -- Google Contacts ----------------------------------------------------------------------


def test_multi_values_are_split_and_the_starred_primary_comes_first() -> None:
    parsed = read(GOOGLE, LEGACY)
    assert kept_all(parsed) == ()
    (ana,) = parsed.people
    assert ana.name == "Ana Silva"
    # "Home ::: * Work" labels the two addresses in turn; "* " on the phone value itself.
    assert ana.emails == ("ana@work.example", "ana@home.example")
    assert ana.phones == ("+1 555 0199", "+1 555 0100")
    # LinkedIn URLs are reduced as LinkedIn's own files write them.
    assert ana.profiles == ("linkedin.com/in/ana-silva", "https://ana.example")
    assert (ana.company, ana.role) == ("Acme", "CTO")


def test_one_starred_label_over_several_values_marks_the_first() -> None:
    parsed = read(
        GOOGLE,
        LEGACY_HEADER + "Bo,,,,,,Home,bo@home.example,* Work,bo@work.example ::: bo@old.example\n",
    )
    assert parsed.people[0].emails == ("bo@work.example", "bo@home.example", "bo@old.example")


def test_any_number_of_email_groups_is_read() -> None:
    header = "First Name,Last Name,Labels," + ",".join(
        f"E-mail {n} - Label,E-mail {n} - Value" for n in range(1, 6)
    )
    cells = ",".join(f"{'* Work' if n == 4 else 'Other'},p{n}@example.com" for n in range(1, 6))
    parsed = read(GOOGLE, f"{header}\nAna,Silva,,{cells}\n")
    assert GOOGLE.sniff("x.csv", f"{header}\n".encode()) == 0.9
    assert parsed.people[0].emails == (
        "p4@example.com",
        "p1@example.com",
        "p2@example.com",
        "p3@example.com",
        "p5@example.com",
    )


def test_the_2024_header_reads_organization_notes_and_labels_are_ignored() -> None:
    parsed = read(
        GOOGLE,
        CURRENT_HEADER
        + 'Max,Amadeus,Mustermann,Globex,Head of Data,"Met at PyCon\n  say hi  ",* myContacts,'
        + "Work, MAX@Globex.example ,Mobile,+49 171 1234567,Profile,linkedin.com/in/max-m\n",
    )
    assert kept_all(parsed) == ()
    (max_,) = parsed.people
    assert max_.name == "Max Amadeus Mustermann"
    assert (max_.company, max_.role) == ("Globex", "Head of Data")
    assert max_.notes == "Met at PyCon\n  say hi"
    assert max_.emails == ("max@globex.example",)
    assert max_.phones == ("+49 171 1234567",)
    assert max_.profiles == ("linkedin.com/in/max-m",)


def test_a_row_without_a_name_takes_its_email_and_one_without_either_is_skipped() -> None:
    parsed = read(
        GOOGLE,
        LEGACY_HEADER
        + ",,,,,,,Nameless@Example.com,,,,,,,,,\n"
        + ",,,,,,,,,,Mobile,+1 555 0100,,,,,\n"
        + "  Ana  Silva ,,,,,,,,,,,,,,,,\n",
        name="google.csv",
    )
    assert [p.name for p in parsed.people] == ["nameless@example.com", "Ana Silva"]
    named, skipped = kept_all(parsed)
    assert (named.source.file, named.source.line, named.field) == ("google.csv", 2, "Name")
    assert named.level is ProblemLevel.WARNING and "e-mail" in named.message
    assert (skipped.source.line, skipped.field, skipped.level) == (3, "Name", ProblemLevel.WARNING)
    assert "skipped" in skipped.message


def test_a_preamble_before_the_header_is_skipped() -> None:
    parsed = read(GOOGLE, "Exported from a phone\n\n" + LEGACY)
    assert kept_all(parsed) == ()
    assert parsed.people[0].source.line == 4


def test_a_file_without_a_google_header_is_one_error() -> None:
    parsed = read(GOOGLE, "Name,Email\nAna,ana@example.com\n", name="other.csv")
    assert parsed.people == ()
    (problem,) = kept_all(parsed)
    assert problem.level is ProblemLevel.ERROR
    assert problem.source.file == "other.csv"
    assert problem.message.startswith("no Google Contacts header found in the first 20 lines")
    assert "Given Name, Family Name" in problem.message


def test_an_address_that_is_not_one_is_left_out_with_a_warning() -> None:
    parsed = read(GOOGLE, LEGACY_HEADER + "Ana,,,,,,,not an address,,,,,,,,,\n")
    assert parsed.people[0].emails == ()
    (problem,) = kept_all(parsed)
    assert (problem.field, problem.level) == ("E-mail 1 - Value", ProblemLevel.WARNING)


def test_nul_bytes_are_removed_with_a_warning() -> None:
    parsed = read(GOOGLE, LEGACY_HEADER + "Ana\x00 Silva,,,,,,,ana@example.com,,,,,,,,,\n")
    assert parsed.people[0].name == "Ana Silva"
    (problem,) = kept_all(parsed)
    assert (problem.field, problem.source.line) == ("Name", 2)
    assert "NUL" in problem.message


def test_a_field_past_the_limit_stops_reading_and_keeps_the_rows_before() -> None:
    huge = "x" * (MAX_FIELD + 10)
    parsed = read(GOOGLE, LEGACY + f'Bo,,,,"{huge}",,,,,,,,,,,,\nCy,,,,,,,,,,,,,,,,\n')
    assert [p.name for p in parsed.people] == ["Ana Silva"]
    (problem,) = kept_all(parsed)
    assert (problem.level, problem.source.line) == (ProblemLevel.ERROR, 3)


# -- Outlook ------------------------------------------------------------------------------


def test_an_outlook_export_with_a_bom_and_crlf_keeps_its_line_numbers() -> None:
    text = OUTLOOK_FILE + ',"Bo",,"Berg",,,,,,"bo@example.net",,,,\n'
    parsed = OUTLOOK.read("o.csv", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert kept_all(parsed) == ()
    eun_ji, bo = parsed.people
    assert (eun_ji.source.line, bo.source.line) == (2, 4)
    assert eun_ji.notes == "Met in Lyon\nfollow up"
    assert (eun_ji.company, eun_ji.role) == ("Wayne Analytics", "Founder & CEO")
    assert OUTLOOK.sniff("o.csv", b"\xef\xbb\xbf" + OUTLOOK_HEADER.encode()) == 0.9


def test_outlooks_empty_date_is_no_value_anywhere() -> None:
    parsed = read(OUTLOOK, OUTLOOK_HEADER + ',"Ana",,"Silva",,,,,"0/0/00",,,,"0/0/00","0/0/00"\n')
    assert kept_all(parsed) == ()
    (ana,) = parsed.people
    assert (ana.notes, ana.profiles) == ("", ())


def test_french_outlook_in_windows_1252_reads_the_second_titre_as_the_job_title() -> None:
    data = FRENCH.encode("cp1252")
    assert OUTLOOK.sniff("contacts.csv", data) == 0.9
    parsed = OUTLOOK.read("contacts.csv", data)
    assert kept_all(parsed) == ()
    (gerard,) = parsed.people
    assert gerard.name == "Gérard Dupont"
    assert (gerard.company, gerard.role) == ("Société Générale", "Directeur financier")
    assert gerard.emails == ("gerard@sg.example",)
    assert gerard.phones == ("+33 6 00 00 00 00", "+33 1 00 00 00 00")  # mobile first
    assert gerard.notes == "Rencontré à Lyon"


def test_a_lone_titre_is_the_courtesy_title_not_the_job() -> None:
    parsed = read(OUTLOOK, '"Titre","Prénom","Nom","Adresse de messagerie"\n"Mme","Ana","Silva",\n')
    assert (parsed.people[0].name, parsed.people[0].role) == ("Ana Silva", "")


def test_german_outlook_reads_the_localised_columns() -> None:
    parsed = read(OUTLOOK, GERMAN)
    assert kept_all(parsed) == ()
    (juergen,) = parsed.people
    assert juergen.name == "Jürgen Müller"
    assert (juergen.company, juergen.role) == ("Müller & Söhne GmbH", "Vertriebsleiter")
    assert juergen.emails == ("j.mueller@example.de", "j.mueller@privat.example")
    assert juergen.phones == ("+49 171 0000000", "+49 30 000000")
    assert juergen.notes == "Messe Köln"
    assert juergen.profiles == ("linkedin.com/in/juergen-mueller",)


def test_outlook_column_names_are_compared_without_case_or_spaces() -> None:
    parsed = read(OUTLOOK, " first name ,LAST NAME,e-mail address\nAna,Silva,ana@example.com\n")
    assert (parsed.people[0].name, parsed.people[0].emails) == ("Ana Silva", ("ana@example.com",))


def test_an_exchange_address_is_not_an_email() -> None:
    parsed = read(
        OUTLOOK,
        OUTLOOK_HEADER + ',"Ana",,"Silva",,,,,,"/o=ExchangeLabs/ou=Exchange/cn=ana","EX",,,\n',
    )
    assert parsed.people[0].emails == ()
    (problem,) = kept_all(parsed)
    assert (problem.field, problem.source.line) == ("E-mail Address", 2)


@pytest.mark.parametrize(
    "rest",
    [
        ',"Cy",,"Cole",,,,,,"cy@example.net",,,,\n',  # the next quote closes it mid-field
        ",Cy,,Cole,,,,,,cy@example.net,,,,\n",  # no other quote: it runs to the end
    ],
)
def test_an_unclosed_quote_is_an_error_and_keeps_the_rows_before(rest: str) -> None:
    parsed = read(
        OUTLOOK, OUTLOOK_FILE + ',"Bo",,"Berg",,,,,,"bo@example.net",,,"never closed,\n' + rest
    )
    assert [p.name for p in parsed.people] == ["Eun-ji Chen"]
    (problem,) = kept_all(parsed)
    assert (problem.level, problem.source.line) == (ProblemLevel.ERROR, 4)
    assert "never closed" in problem.message


def test_a_quoted_last_field_without_a_final_newline_is_not_unclosed() -> None:
    parsed = read(OUTLOOK, OUTLOOK_HEADER + ',"Bo",,"Berg",,,,,,,,,"a ""quoted""\nword",')
    assert kept_all(parsed) == ()
    assert parsed.people[0].notes == 'a "quoted"\nword'


# -- any CSV, through a mapping -----------------------------------------------------------


def test_a_mapped_csv_reads_every_field() -> None:
    parsed = read(MAPPED, MAPPED_FILE)
    assert kept_all(parsed) == ()
    (ana,) = parsed.people
    assert ana.name == "Ana Silva"
    assert ana.emails == ("ana@example.com", "ana@home.example")
    assert (ana.phones, ana.profiles) == (("+1 555 0100",), ("linkedin.com/in/ana-silva",))
    assert (ana.company, ana.role, ana.notes) == ("Acme", "CTO", "Met at PyCon")
    assert ana.connected_on == dt.date(2024, 3, 5)


@pytest.mark.parametrize("met", ["2024-13-05", "05/03/2024", "2024-03-05T10:00"])
def test_a_connected_on_that_is_not_an_iso_date_is_a_warning(met: str) -> None:
    parsed = read(MAPPED, MAPPED_HEADER + f"Ana,,,,,,{met},\n")
    assert parsed.people[0].connected_on is None
    (problem,) = kept_all(parsed)
    assert (problem.field, problem.level) == ("Met", ProblemLevel.WARNING)


def test_first_and_last_name_make_the_name() -> None:
    importer = MappedCsv({"first_name": "Given", "last_name": "Family"})
    parsed = read(importer, "Given,Family\nAna,Silva\n,Berg\n")
    assert [p.name for p in parsed.people] == ["Ana Silva", "Berg"]


def test_a_mapped_column_missing_from_the_file_is_one_error() -> None:
    parsed = read(MAPPED, "Full Name,E-mail\nAna,ana@example.com\n")
    (problem,) = kept_all(parsed)
    assert problem.level is ProblemLevel.ERROR and parsed.people == ()
    assert "Full Name, E-mail, Tel" in problem.message


@pytest.mark.parametrize(
    ("columns", "named"),
    [
        ({"name": "Name", "emial": "Email"}, "emial"),
        ({"name": ""}, "columns['name']"),
        ({"name": 3}, "columns['name']"),
        ({"company": "Org"}, "name, first_name, last_name or email"),
        (["name"], "MappedCsv.columns"),
    ],
)
def test_a_bad_mapping_is_refused_by_name(columns: object, named: str) -> None:
    with pytest.raises(ValidationError, match="MappedCsv.columns") as raised:
        MappedCsv(columns)
    assert named in str(raised.value)


def test_a_mapped_csv_is_never_sniffed_and_is_a_frozen_hashable_value() -> None:
    assert MAPPED.sniff("people.csv", MAPPED_FILE.encode()) == 0.0
    columns = {"name": "Name"}
    importer = MappedCsv(columns)
    columns["email"] = "Email"  # the importer kept its own copy
    assert dict(importer.columns) == {"name": "Name"}
    assert importer == MappedCsv({"name": "Name"})
    assert hash(importer) == hash(MappedCsv({"name": "Name"}))
    with pytest.raises(TypeError):
        importer.columns["email"] = "Email"  # type: ignore[index]


# -- all three ----------------------------------------------------------------------------


def test_all_three_are_frozen_importers_with_names() -> None:
    assert [i.name for i in IMPORTERS] == ["google_contacts_csv", "outlook_contacts_csv", "csv"]
    for importer in IMPORTERS:
        assert isinstance(importer, Importer)
        assert importer.description.endswith(".")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            importer.name = "other"  # type: ignore[misc]


def _corpus_seeds() -> list[bytes]:
    names = (
        "csv/escalate_google_contacts_2024_format.csv",
        "csv/escalate_google_contacts_legacy_format.csv",
        "linkedin/outlook_contacts_cp1252.csv",
    )
    return [(CORPUS / n).read_bytes() for n in names if (CORPUS / n).exists()]


SEEDS = [
    LEGACY.encode(),
    (CURRENT_HEADER + 'Max,,Muster,Globex,CTO,"a\nb",,* Work,max@x.example,,,,\n').encode(),
    OUTLOOK_FILE.replace("\n", "\r\n").encode("cp1252"),
    FRENCH.encode("cp1252"),
    b"\xef\xbb\xbf" + GERMAN.encode(),
    MAPPED_FILE.encode(),
    *_corpus_seeds(),
]
NASTY = [b'"', b"\x00", b"\r", b"\n", b",", b" ::: ", b"* ", b"\xff\xfe", b"\xef\xbb\xbf", b"\x81"]


def _holds(importer: Importer, name: str, data: bytes) -> None:
    """What any importer owes any bytes: no exception, every problem and person placed."""
    parsed = importer.read(name, data)
    assert isinstance(parsed, Parsed)
    for problem in parsed.problems:
        assert problem.source.file == name
        assert problem.source.line is not None and problem.source.line >= 1
    for person in parsed.people:
        assert person.source.file == name and person.name.strip()
        assert all(email == email.strip().lower() and email for email in person.emails)
    assert 0.0 <= importer.sniff(name, data[:4096]) <= 1.0


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for importer in IMPORTERS:
        _holds(importer, "random.csv", data)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(NASTY), st.binary(max_size=8)))
        else:
            del data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(mutated())
def test_mutated_files_never_raise(data: bytes) -> None:
    for importer in IMPORTERS:
        _holds(importer, "mutated.csv", data)
