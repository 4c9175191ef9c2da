"""vCard files: every real file of the shared corpus reads, the quirks other tools write
are read (each with a small inline card), what netplan writes reads back the same, and bad
bytes never crash."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core.importing import Importer, Parsed, Problem, ProblemLevel
from netplan.formats.exports import ContactsVcard
from netplan.formats.vcard import MAX_LINE, VERSIONS, VCard, _fold, card_lines, write_vcards

# A few hundred in the default run; `nox -s fuzz` sets 10,000.
FUZZ_EXAMPLES = int(os.environ.get("NETPLAN_FUZZ_EXAMPLES", "300"))
CORPUS = SHARED
VCARDS = CORPUS / "vcard"
CORPUS_FILES = sorted(p.name for p in VCARDS.glob("*.vcf")) if VCARDS.is_dir() else []


def kept_all(parsed: Parsed) -> tuple[Problem, ...]:
    """The problems of ``parsed`` but the note of properties netplan has no place for."""
    return tuple(p for p in parsed.problems if "has no place for" not in p.message)


def corpus_file(name: str) -> bytes:
    path = VCARDS / name
    if not path.exists():
        pytest.skip(missing(path))
    return path.read_bytes()


def corpus(name: str) -> Parsed:
    return VCard().read(name, corpus_file(name))


def read(text: str | bytes, name: str = "contacts.vcf") -> Parsed:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return VCard().read(name, data)


def messages(parsed: Parsed) -> str:
    return "\n".join(str(p) for p in parsed.problems)


def test_it_is_an_importer() -> None:
    assert isinstance(VCard(), Importer)
    assert VCard().name == "vcard"


# -- the real files ------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS_FILES, reason=missing(VCARDS))
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_file_reads_and_is_sniffed(name: str) -> None:
    data = corpus_file(name)
    assert VCard().sniff(name, data[:4096]) == 0.95
    parsed = VCard().read(name, data)
    assert parsed.people
    assert not parsed.errors
    for person in parsed.people:
        assert person.name.strip() == person.name
        assert person.source.file == name
        assert person.source.line and person.source.record
    for problem in parsed.problems:
        assert problem.source.file == name
        assert problem.source.line


def test_rfc6350_example() -> None:
    (simon,) = corpus("ezvcard_rfc6350-example.vcf").people
    assert simon.name == "Simon Perreault"
    assert simon.emails == ("simon.perreault@viagenie.ca",)
    assert simon.phones == ("+1-418-656-9254;ext=102", "+1-418-262-6501")  # tel: dropped
    assert simon.company == "Viagenie"
    assert simon.profiles == ("http://nomis80.org",)


def test_iphone_card_skips_its_46_kb_photo() -> None:
    data = corpus_file("ezvcard_John_Doe_IPHONE.vcf")
    assert len(data) > 40_000
    parsed = VCard().read("iphone.vcf", data)
    (john,) = parsed.people
    assert john.name == "Mr. John Richter James Doe Sr."
    assert john.emails == ("john.doe@ibm.com",)
    assert john.company == "IBM"
    assert john.role == "Money Counter"
    assert john.profiles == ("http://www.ibm.com",)  # Apple's "http\://" unescaped
    assert "905-222-1234" in john.phones  # an item2. group
    assert kept_all(parsed) == ()  # nothing of the photo leaks out as a bad line


def test_outlook_quoted_printable_note_is_decoded() -> None:
    parsed = corpus("ezvcard_outlook-2007.vcf")
    (mike,) = parsed.people
    assert mike.name == "Mr. Michael Angstadt Jr."
    assert mike.notes.startswith("This is the NOTE field\t\nI assume it encodes this text")
    assert "It does not preserve the formatting" in mike.notes
    assert "=0D" not in mike.notes
    assert mike.company == "TheCompany"
    assert mike.role == "TheJobTitle"
    assert mike.emails == ("mike.angstadt@gmail.com",)
    assert kept_all(parsed) == ()  # KEY and PHOTO base64 skipped quietly


def test_android_six_cards_with_and_without_names() -> None:
    parsed = corpus("ezvcard_John_Doe_ANDROID.vcf")
    people = parsed.people
    assert len(people) == 6
    # The first two cards have no N or FN: named after their email, with a warning.
    assert [p.name for p in people[:2]] == ["john.doe@company.com", "jane.doe@company.com"]
    assert "no FN, N, NICKNAME or ORG" in messages(parsed)
    assert people[2].name == "Ñ Ñ Ñ Ñ Ñ"
    assert people[3].name == " ".join(["Ñ"] * 11)  # a QP soft break inside the name
    assert people[5].name == "ÑÑÑÑ"
    assert people[5].company == "Ñ" * 44  # QP lines broken without "="
    # A UTF-8 sequence cut at a soft break: replacement characters and a warning.
    assert any(
        p.field == "ORG" and "not UTF-8" in p.message and p.source.record == 6
        for p in parsed.problems
    )
    assert people[4].emails == ("bob@company.com",)  # the QP "ÑÑÑ" email is no address
    assert [p.source.line for p in people] == [1, 6, 11, 18, 36, 71]
    assert [p.source.record for p in people] == [1, 2, 3, 4, 5, 6]


def test_shift_jis_is_decoded() -> None:
    (person,) = corpus("aosp_v21_japanese_1.vcf").people
    assert person.name == "安藤ロイド"
    assert person.phones == ("0300000000",)


def test_nested_card_is_skipped_and_the_outer_one_goes_on() -> None:
    parsed = corpus("aosp_v21_nest.vcf")
    (parent,) = parsed.people
    assert parent.name == "parent"
    assert parent.phones == ("1",)  # after the nested cards
    assert "nested" in messages(parsed)


def test_quoted_type_parameter_holding_comma_and_colon() -> None:
    parsed = corpus("aosp_v30_comma_separated.vcf")
    (person,) = parsed.people
    assert person.name == "G M F"
    assert person.phones == ("1",)


def test_comment_lines_and_a_soft_break_before_a_hash() -> None:
    (person,) = corpus("aosp_v21_invalid_comment_line.vcf").people
    assert person.name == "Conference Call"
    assert person.notes == (
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )


def test_2_1_backslash_continued_address_is_one_value() -> None:
    parsed = corpus("aosp_v21_adr_multiple_line.vcf")
    (person,) = parsed.people
    assert person.name == "bogus"
    assert kept_all(parsed) == ()


def test_2_1_backslashes_stay_as_written() -> None:
    (person,) = corpus("aosp_v21_backslash.vcf").people
    assert person.name == "A;B\\C\\;D:E\\\\"


def test_malformed_photo_and_indented_email() -> None:
    (photo,) = corpus("aosp_v21_malformed_photo.vcf").people
    assert photo.name == "fullname"
    (omega,) = corpus("aosp_v21_invalid_multiple_line.vcf").people
    assert omega.emails == ("omega@example.com",)


def test_mac_mixed_line_endings_and_escapes() -> None:
    (john,) = corpus("ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf").people
    assert john.name == "Mr. John Richter,James Doe Sr."
    assert '"AS IS"' in john.notes
    assert "WARRANTIES, INCLUDING" in john.notes


# -- constructed cards ---------------------------------------------------------------------


def test_rfc_folding_with_space_and_tab() -> None:
    (person,) = read(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lo\r\n velace\r\nEMAIL:ada@ex\r\n\tample.org\r\n"
        "NOTE:one\\ntwo\\, three\\; four\\\\\r\nEND:VCARD\r\n"
    ).people
    assert person.name == "Ada Lovelace"
    assert person.emails == ("ada@example.org",)
    assert person.notes == "one\ntwo, three; four\\"


def test_quoted_printable_soft_break_cutting_a_multibyte_char() -> None:
    # "Zoë" with the two bytes of "ë" (C3 AB) on either side of a soft break.
    parsed = read(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=\r\n"
        b"=AB Smith\r\nEND:VCARD\r\n"
    )
    (person,) = parsed.people
    assert person.name == "Zoë Smith"
    assert kept_all(parsed) == ()


def test_invalid_utf8_after_quoted_printable_is_replaced_with_a_warning() -> None:
    parsed = read(
        b"BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:Zo=C3\nEND:VCARD\n", "x.vcf"
    )
    (person,) = parsed.people
    assert person.name == "Zo\ufffd"
    (problem,) = parsed.problems
    assert problem.field == "FN"
    assert problem.source.line == 3
    assert problem.source.record == 1
    assert problem.level is ProblemLevel.WARNING


def test_unknown_charset_reads_as_utf8_with_a_warning() -> None:
    parsed = read("BEGIN:VCARD\nFN;CHARSET=klingon:Worf\nN;CHARSET=base64:x\nEND:VCARD\n")
    assert [p.name for p in parsed.people] == ["Worf"]
    assert messages(parsed).count("unknown charset") == 2


def test_latin1_charset() -> None:
    (person,) = read(b"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1:Jos\xe9\nEND:VCARD\n").people
    assert person.name == "José"


def test_crlf_lf_and_cr_mixed_with_a_bom() -> None:
    parsed = read(
        b"\xef\xbb\xbfBEGIN:VCARD\r\nFN:One\nEND:VCARD\rbegin:vcard\r\r\nFN:Two\r\nend:vcard\n"
    )
    assert [p.name for p in parsed.people] == ["One", "Two"]
    assert [p.source.line for p in parsed.people] == [1, 4]
    assert kept_all(parsed) == ()


def test_card_without_end_is_kept_with_a_warning() -> None:
    parsed = read("BEGIN:VCARD\nFN:One\nEND:VCARD\nBEGIN:VCARD\nFN:Two\nTEL:123\n")
    assert [p.name for p in parsed.people] == ["One", "Two"]
    assert parsed.people[1].phones == ("123",)
    (problem,) = parsed.problems
    assert "no END:VCARD" in problem.message
    assert (problem.source.line, problem.source.record) == (4, 2)


def test_card_without_any_name_is_skipped_with_a_warning() -> None:
    parsed = read("BEGIN:VCARD\nFN:One\nEND:VCARD\nBEGIN:VCARD\nTEL:123\nEND:VCARD\n")
    assert [p.name for p in parsed.people] == ["One"]
    (problem,) = parsed.problems
    assert "card 2 has no FN, N, NICKNAME, ORG or EMAIL" in problem.message
    assert (problem.source.line, problem.source.record) == (4, 2)


def test_name_falls_back_to_n_then_org() -> None:
    parsed = read(
        "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;Q,R;Dr.;PhD\nEND:VCARD\n"
        "BEGIN:VCARD\nORG:Acme\\, Inc.;Sales\nTITLE:Boss\nEND:VCARD\n"
    )
    assert [p.name for p in parsed.people] == ["Dr. Jane Q R Doe PhD", "Acme, Inc."]
    assert parsed.people[1].company == "Acme, Inc."
    assert parsed.people[1].role == "Boss"


def test_profiles_and_social_profiles() -> None:
    (person,) = read(
        "BEGIN:VCARD\nFN:P\nURL:https://www.linkedin.com/in/Some-One/\n"
        "X-SOCIALPROFILE;type=twitter:https://twitter.com/p\n"
        'EMAIL:"P" <P@Example.COM>\nEND:VCARD\n'
    ).people
    assert person.profiles == ("linkedin.com/in/some-one", "https://twitter.com/p")
    assert person.emails == ("p@example.com",)


def test_not_a_vcard_is_an_error() -> None:
    parsed = read("hello\nworld\n", "notes.txt")
    assert parsed.people == ()
    assert parsed.errors
    assert VCard().sniff("notes.txt", b"hello") == 0.0
    assert VCard().sniff("Contacts.VCF", b"hello") == 0.3
    assert VCard().sniff("x", b"\xef\xbb\xbf  \r\nbegin:vCard\r\n") == 0.95


def test_overlong_line_is_dropped_with_a_warning() -> None:
    parsed = read("BEGIN:VCARD\nFN:Long\nNOTE:" + "x" * MAX_LINE + "\nNOTE:short\nEND:VCARD\n")
    (person,) = parsed.people
    assert person.notes == "short"
    assert "longer than" in messages(parsed)


def test_overlong_folded_value_is_dropped_with_a_warning() -> None:
    chunk = "y" * 100_000
    folded = "\n ".join([chunk] * 11)
    parsed = read(f"BEGIN:VCARD\nFN:Long\nNOTE:{folded}\nEND:VCARD\n")
    (person,) = parsed.people
    assert person.notes == ""
    assert "longer than" in messages(parsed)


# -- fuzzing -------------------------------------------------------------------------------


def _check(parsed: Parsed, name: str) -> None:
    for problem in parsed.problems:
        assert problem.source.file == name
        assert problem.source.line or problem.source.record
    for person in parsed.people:
        assert person.name.strip()


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _check(VCard().read("fuzz.vcf", data), "fuzz.vcf")
    VCard().sniff("fuzz.vcf", data)


_PIECES = st.sampled_from(
    [
        b"\r\n",
        b"\n",
        b"\r",
        b" ",
        b"=",
        b"\\",
        b";",
        b":",
        b'"',
        b",",
        b"#",
        b"BEGIN:VCARD",
        b"END:VCARD",
        b"=C3",
        b"\xff",
        b";ENCODING=QUOTED-PRINTABLE",
        b";CHARSET=SHIFT_JIS",
        b";CHARSET=bogus",
        b"VERSION:2.1",
        b"PHOTO;ENCODING=BASE64:",
    ]
)


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(
    st.sampled_from(CORPUS_FILES or ["<absent>"]),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), _PIECES | st.binary(max_size=8))),
)
def test_mutated_corpus_cards_never_raise(name: str, edits: list[tuple[float, int, bytes]]) -> None:
    if name == "<absent>":
        pytest.skip(missing(VCARDS))
    data = bytearray(corpus_file(name))
    for where, cut, piece in edits:
        at = int(where * len(data))
        data[at : at + cut] = piece
    _check(VCard().read(name, bytes(data)), name)


# -- what other tools write: nicknames, folded parameters, missing BEGIN ---------------------


def test_a_card_with_only_a_nickname_is_named_by_it() -> None:
    # Monica's third card: empty FN and N, a NICKNAME and an address.
    parsed = read(
        "BEGIN:VCARD\nVERSION:3.0\nFN:\nN:;;;;\nNICKNAME:Johnny\n"
        "ADR:;;17 Shakespeare Ave.;Southampton;;SO17 2HB;United Kingdom\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:James Smith\nNICKNAME:Jim,Jimmie\\, Jr.,Jim\nEND:VCARD\n"
    )
    johnny, james = parsed.people
    assert (johnny.name, johnny.nickname) == ("Johnny", "Johnny")
    assert (james.name, james.nickname) == ("James Smith", "Jim, Jimmie, Jr.")
    assert kept_all(parsed) == ()


def test_parameters_folded_mid_word_and_an_escaped_semicolon_in_an_email() -> None:
    # Evolution's "evil" card: TEL;TYPE=VOICE,M<CRLF><TAB>SG,WORK:..., a space fold before
    # ",PREF", and an EMAIL whose local part holds an escaped ";".
    parsed = read(
        "BEGIN:vCard\r\nVERSION:3.0\r\nFN:Ralf Engels\r\n"
        "TEL;TYPE=VOICE,M\r\n\tSG,WORK:+1-919-676-9515\r\n"
        "TEL;TYPE=\r\n\tFAX,WORK:+1-919-676-9564\r\n"
        "EMAIL;TYPE=INTERNET\r\n ,PREF:Frank_Dawson@Lotus.com\r\n"
        "EMAIL;TYPE=INTERNET:semicolon\\;@points.net\r\nEND:vCard\r\n"
    )
    (ralf,) = parsed.people
    assert ralf.phones == ("+1-919-676-9515", "+1-919-676-9564")
    assert ralf.emails == ("frank_dawson@lotus.com",)
    (problem,) = parsed.problems
    assert (problem.source.line, problem.field) == (10, "EMAIL")
    assert "'semicolon;@points.net' is not an email address" in problem.message


def test_a_card_without_begin_is_read_from_its_version_line() -> None:
    data = (
        "VERSION:3.0\r\nFN:Frank Dawson\r\nORG:Lotus Development Corporation\r\n"
        "EMAIL;TYPE=INTERNET,PREF:Frank_Dawson@Lotus.com\r\nEND:vCard\r\n"
    )
    assert VCard().sniff("card.vcf", data.encode()) == 0.9
    assert VCard().sniff("x", b"VERSION:2.0\r\nPRODID:-//x//EN\r\n") == 0.0  # iCalendar's
    parsed = read(data, "card.vcf")
    (frank,) = parsed.people
    assert (frank.name, frank.company, frank.emails) == (
        "Frank Dawson",
        "Lotus Development Corporation",
        ("frank_dawson@lotus.com",),
    )
    (problem,) = parsed.problems
    assert (problem.source.file, problem.source.line, problem.source.record) == ("card.vcf", 1, 1)
    assert "no BEGIN:VCARD" in problem.message and problem.level is ProblemLevel.WARNING
    # A card after a card that lost its BEGIN starts where its own VERSION line is.
    two = read("FN:One\nEND:VCARD\nVERSION:3.0\nFN:Two\nEND:VCARD\n")
    assert [(p.name, p.source.line) for p in two.people] == [("One", 1), ("Two", 3)]


# -- birthdays and categories --------------------------------------------------------------


@pytest.mark.parametrize(
    ("bday", "birthday"),
    [
        ("1960-05-10", "1960-05-10"),
        ("19781229", "1978-12-29"),
        ("--1225", "--12-25"),
        ("--12-25", "--12-25"),
        ("1985-04-07T00:00:00Z", "1985-04-07"),
        ("1604-03-15", "--03-15"),  # Apple's year for "no year"
        (";X-APPLE-OMIT-YEAR=1604:1604-03-15", "--03-15"),
    ],
)
def test_bday_forms(bday: str, birthday: str) -> None:
    separator = "" if bday.startswith(";") else ":"
    (person,) = read(f"BEGIN:VCARD\nVERSION:3.0\nFN:A\nBDAY{separator}{bday}\nEND:VCARD\n").people
    assert person.birthday == birthday


def test_an_unreadable_birthday_is_a_warning_and_the_card_is_kept() -> None:
    # khard's text birthday.
    parsed = read(
        "BEGIN:VCARD\nVERSION:4.0\nFN:text birthday\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n",
        "khard.vcf",
    )
    (person,) = parsed.people
    assert (person.name, person.birthday) == ("text birthday", "")
    (problem,) = parsed.problems
    assert problem.level is ProblemLevel.WARNING
    assert (problem.source.file, problem.source.line, problem.field) == ("khard.vcf", 4, "BDAY")
    assert "'circa 1800' cannot be read" in problem.message


def test_categories_become_tags() -> None:
    parsed = read(
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\nCATEGORIES:Close Friends,VIP,My Contacts\n"
        "CATEGORIES:climate_tech;Berlin\\,Work\nCATEGORIES:家族\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nFN:B\nCATEGORIES:category1\\, category2\\, category3\n"
        "END:VCARD\n"
    )
    a, b = parsed.people
    assert a.tags == {"close-friends", "vip", "climate_tech", "berlin", "work"}
    assert b.tags == {"category1", "category2", "category3"}  # Thunderbird's escaped commas
    (problem,) = parsed.problems
    assert (problem.source.line, problem.field) == (6, "CATEGORIES")
    assert "'家族' has no letter or digit a tag can hold" in problem.message


# -- writing -------------------------------------------------------------------------------


def _contact(name: str = "Ana Silva", **fields: Any) -> netplan.Contact:
    return netplan.Contact(name, **fields)


def test_card_lines_write_bday_nickname_and_categories_escaped() -> None:
    ana = _contact(
        nickname="Nana, the; best\\",
        birthday="--12-25",
        tags={"climate", "b2b"},
        emails=("ana@example.org",),
        notes="one\ntwo",
    )
    lines = card_lines(ana, uid="urn:x", company="Sunrise; Power")
    assert lines == [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "FN:Ana Silva",
        "NICKNAME:Nana\\, the\\; best\\\\",
        "UID:urn:x",
        "EMAIL:ana@example.org",
        "ORG:Sunrise\\; Power",
        "BDAY:--1225",
        "CATEGORIES:b2b,climate",
        "NOTE:one\\ntwo",
        "END:VCARD",
    ]
    assert "BDAY:19901225" in card_lines(_contact(birthday="1990-12-25"))
    three = card_lines(_contact(birthday="--02-29"), version="3.0")
    assert three[:4] == ["BEGIN:VCARD", "VERSION:3.0", "FN:Ana Silva", "N:;;;;"]
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29" in three
    assert "BDAY:1990-12-25" in card_lines(_contact(birthday="1990-12-25"), version="3.0")
    assert card_lines(_contact(profiles=("a\nb\\c",)))[-2] == "URL:a\\nb\\\\c"
    with pytest.raises(ValueError, match=r"vCard version '2.1': netplan writes 4.0 or 3.0"):
        card_lines(ana, version="2.1")


def _log(*contacts: netplan.Contact) -> netplan.ActivityLog:
    log = netplan.ActivityLog()
    log.add(netplan.Organization("Sunrise Power"), *contacts)
    return log


def test_write_vcards_is_what_contacts_vcard_writes_plus_the_new_fields() -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1))
    plain = _contact(
        emails=("ana@example.org",),
        phones=("+49 30 1234",),
        organization="sunrise-power",
        role="CTO",
        profiles=("linkedin.com/in/ana",),
        tags={"climate"},
        notes="Met at the fair, 2026",
    )
    log = _log(plain, _contact(name="Bo Chen", notes="é" * 60))
    assert write_vcards(plan, log) == ContactsVcard().export(plan, log)
    richer = _log(attrs.evolve(plain, nickname="Nana", birthday="1990-12-25"))
    (ana,) = VCard().read("contacts.vcf", write_vcards(plan, richer)).people
    assert (ana.nickname, ana.birthday, ana.tags, ana.company) == (
        "Nana",
        "1990-12-25",
        frozenset({"climate"}),
        "Sunrise Power",
    )
    assert ana.profiles == ("linkedin.com/in/ana",)


_TEXT = st.text(
    st.sampled_from(list("abcXYZ019 ,;:\\\"'.-_=#éöß日本€\t")), min_size=1, max_size=40
).map(lambda text: " ".join(text.split()))
_TAGS = st.frozensets(
    st.from_regex(r"[a-z0-9][a-z0-9_.:-]{0,12}", fullmatch=True).filter(
        lambda tag: tag != "mycontacts"
    ),
    max_size=4,
)
_BIRTHDAYS = st.one_of(
    st.just(""),
    # Not the years address books write for "no year" (1604, 1900): read back as none.
    st.dates(dt.date(1000, 1, 1), dt.date(2100, 12, 31))
    .filter(lambda day: day.year not in (1604, 1900))
    .map(lambda day: day.isoformat()),
    st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)).map(lambda day: f"--{day:%m-%d}"),
)
_EMAILS = st.lists(
    st.from_regex(r"[a-z0-9._%+-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True),
    max_size=3,
    unique=True,
)


@settings(max_examples=FUZZ_EXAMPLES)
@given(
    name=_TEXT.filter(bool),
    nickname=_TEXT,
    birthday=_BIRTHDAYS,
    tags=_TAGS,
    emails=_EMAILS,
    company=_TEXT,
    role=_TEXT,
    notes=st.lists(_TEXT.filter(bool), max_size=3).map("\n".join),
    version=st.sampled_from(VERSIONS),
)
def test_what_is_written_reads_back_the_same(
    name: str,
    nickname: str,
    birthday: str,
    tags: frozenset[str],
    emails: list[str],
    company: str,
    role: str,
    notes: str,
    version: str,
) -> None:
    contact = netplan.Contact(
        name,
        emails=emails,
        role=role,
        notes=notes,
        nickname=nickname,
        birthday=birthday,
        tags=tags,
    )
    lines = [
        part
        for line in card_lines(contact, company=company, version=version)
        for part in _fold(line)
    ]
    assert all(len(line.encode()) <= 75 for line in lines)
    parsed = read("\r\n".join(lines) + "\r\n")
    assert kept_all(parsed) == ()
    (person,) = parsed.people
    assert (person.name, person.nickname, person.birthday, person.tags) == (
        name,
        nickname,
        birthday,
        tags,
    )
    assert (person.emails, person.company, person.role, person.notes) == (
        tuple(emails),
        company,
        role,
        notes,
    )


def test_what_a_card_says_that_netplan_has_no_place_for_is_named_once() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nREV:2026-01-01T00:00:00Z\r\n"
        "ADR;TYPE=WORK:;;1 Main St;Lyon;;69001;France\r\nPHOTO;VALUE=URI:http://x/a.jpg\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Chen\r\nADR:;;2 Main St;;;;\r\n"
        "END:VCARD\r\n"
    )
    parsed = VCard().read("two.vcf", card.encode())
    (note,) = parsed.problems
    assert (note.source.line, note.level) == (5, ProblemLevel.WARNING)
    assert note.message == (
        "2 properties netplan has no place for (addresses, photos...): ADR, PHOTO; left out"
    )
