"""LinkedIn's data export: every generation of its files reads, and bad bytes never crash."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core.importing import Importer, Parsed, ProblemLevel, plan_import
from netplan.formats.linkedin import (
    LinkedInConnections,
    LinkedInInvitations,
    LinkedInMessages,
    parse_linkedin_date,
    profile_key,
)

# A few hundred in the default run; `nox -s fuzz` sets 10,000.
FUZZ_EXAMPLES = int(os.environ.get("NETPLAN_FUZZ_EXAMPLES", "300"))
CORPUS = SHARED
LINKEDIN = CORPUS / "linkedin"
IMPORTERS: tuple[Importer, ...] = (LinkedInConnections(), LinkedInInvitations(), LinkedInMessages())
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
)


def corpus_file(name: str) -> bytes:
    path = LINKEDIN / name
    if not path.exists():
        pytest.skip(missing(path))
    return path.read_bytes()


def connections(text: str, name: str = "Connections.csv") -> Parsed:
    return LinkedInConnections().read(name, text.encode("utf-8"))


@pytest.mark.parametrize(
    ("name", "email", "profile"),
    [
        ("linkedin_connections_2018.csv", "x0@example.com", ()),
        ("linkedin_connections_2022.csv", None, ()),
        ("linkedin_connections_2025.csv", None, ("linkedin.com/in/eun-ji-chen-00000",)),
        ("linkedin_connections_resaved.csv", None, ("linkedin.com/in/eun-ji-chen-00000",)),
    ],
)
def test_every_generation_of_connections_reads_all_its_rows(
    name: str, email: str | None, profile: tuple[str, ...]
) -> None:
    data = corpus_file(name)
    assert LinkedInConnections().sniff(name, data[:4096]) > 0.9
    parsed = LinkedInConnections().read(name, data)
    assert len(parsed.people) == 40 and parsed.problems == ()
    first = parsed.people[0]
    assert (first.name, first.company, first.role) == (
        "Eun-ji Chen",
        "Wayne Analytics",
        "Founder & CEO",
    )
    assert first.connected_on == dt.date(2021, 11, 10)
    assert first.emails == ((email,) if email else ())
    assert first.profiles == profile


def test_the_notes_preamble_is_skipped_and_quoted_commas_and_emoji_kept() -> None:
    parsed = connections(
        PREAMBLE
        + "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        + 'Ana,"Silva, PhD",https://www.linkedin.com/in/Ana-Silva/,,"Acme, Inc.",CTO,10 Nov 2021\n'
        + "Zoë 🌱,Ngũgĩ,,,,,07 Feb 2022\n"
        + ",,,,,,3 Mar 2023"
    )
    ana, zoe = parsed.people
    assert (ana.name, ana.company) == ("Ana Silva, PhD", "Acme, Inc.")
    assert ana.profiles == ("linkedin.com/in/ana-silva",)
    assert (ana.source.line, zoe.source.line) == (5, 6)
    assert zoe.name == "Zoë 🌱 Ngũgĩ"
    (hidden,) = parsed.problems
    assert (hidden.source.line, hidden.field, hidden.level) == (
        7,
        "First Name",
        ProblemLevel.WARNING,
    )
    assert "hidden or closed profile" in hidden.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11/10/21, 4:01 AM", dt.datetime(2021, 11, 10, 4, 1, tzinfo=netplan.UTC)),
        ("6/21/24, 12:58 PM", dt.datetime(2024, 6, 21, 12, 58, tzinfo=netplan.UTC)),
        ("10 Nov 2021", dt.datetime(2021, 11, 10, tzinfo=netplan.UTC)),
        ("7-Feb-22", dt.datetime(2022, 2, 7, tzinfo=netplan.UTC)),
        ("2021-11-23 04:01:00 UTC", dt.datetime(2021, 11, 23, 4, 1, tzinfo=netplan.UTC)),
        ("2021-11-23", dt.datetime(2021, 11, 23, tzinfo=netplan.UTC)),
        ("yesterday", None),
        ("31 Feb 2021", None),
    ],
)
def test_every_date_form_linkedin_writes(text: str, expected: dt.datetime | None) -> None:
    assert parse_linkedin_date(text) == expected


def test_an_unreadable_date_is_a_warning_and_the_person_stays() -> None:
    parsed = connections("First Name,Last Name,Connected On\nAna,Silva,someday\n")
    (ana,) = parsed.people
    assert ana.connected_on is None
    (problem,) = parsed.problems
    assert (problem.field, problem.source.line) == ("Connected On", 2)


def test_a_file_without_the_header_is_one_error_and_no_people() -> None:
    parsed = connections("Notes:\nsomething else entirely\n")
    assert parsed.people == ()
    (error,) = parsed.errors
    assert "no LinkedIn Connections header" in error.message
    assert "First Name, Last Name, Connected On" in error.message


def test_an_unclosed_quote_keeps_the_rows_before_it() -> None:
    parsed = connections(
        'First Name,Last Name,Connected On\nAna,Silva,10 Nov 2021\nBen,"Okafor,10 Nov 2021\n'
        + "x" * 10
    )
    assert [p.name for p in parsed.people] == ["Ana Silva"]
    (error,) = parsed.errors
    assert error.source.line == 3 and "the rows before it are kept" in error.message


def test_crlf_bom_and_windows_1252_are_read() -> None:
    text = "First Name,Last Name,Company,Connected On\r\nJosé,Núñez,Café,10 Nov 2021\r\n"
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1252")):
        (jose,) = LinkedInConnections().read("c.csv", data).people
        assert (jose.name, jose.company) == ("José Núñez", "Café")


def test_messages_are_touches_with_the_other_person_in_both_directions() -> None:
    parsed = LinkedInMessages().read("messages.csv", corpus_file("linkedin_messages_2026.csv"))
    assert parsed.problems == ()
    first, reply = parsed.touches[:2]
    # Sam Rivera, on every row, is the account's owner: he wrote first.
    assert (first.name, first.direction, first.kind) == (
        "Eun-ji Chen",
        netplan.Direction.OUTBOUND,
        netplan.InteractionKind.MESSAGE,
    )
    assert first.at == dt.datetime(2021, 11, 23, 4, 1, tzinfo=netplan.UTC)
    assert first.thread == reply.thread == "2-1a5356b5d85328b6"
    assert reply.direction is netplan.Direction.INBOUND
    assert reply.notes == "Thanks & talk soon, cheers"  # HTML entities decoded
    assert first.channel is netplan.Channel.LINKEDIN
    assert all(p.name != "Sam Rivera" for p in parsed.people)  # the account's owner


def test_invitations_are_touches_and_their_people_have_profiles() -> None:
    parsed = LinkedInInvitations().read(
        "Invitations.csv", corpus_file("linkedin_invitations_2026.csv")
    )
    assert parsed.problems == ()
    sent = parsed.touches[0]
    assert (sent.name, sent.direction) == ("Eun-ji Chen", netplan.Direction.OUTBOUND)
    assert sent.profile == "linkedin.com/in/eun-ji-chen-00000"
    assert parsed.touches[1].direction is netplan.Direction.INBOUND


def test_2018_messages_without_profiles_still_read() -> None:
    parsed = LinkedInMessages().read(
        "messages.csv",
        (
            b"From,To,Date,Subject,Content,Direction,Folder\n"
            b'Ana Silva,Me Myself,"11/10/21, 4:01 AM",,Hello,INCOMING,INBOX\n'
            b'Me Myself,Ana Silva,"11/11/21, 9:15 AM",,"Hi, Ana",OUTGOING,SENT\n'
            b'Ben Okafor,Me Myself,"11/12/21, 9:15 AM",,Yo,INCOMING,INBOX\n'
        ),
    )
    assert [(t.name, t.direction.value) for t in parsed.touches] == [
        ("Ana Silva", "inbound"),
        ("Ana Silva", "outbound"),
        ("Ben Okafor", "inbound"),
    ]
    assert [p.name for p in parsed.people] == ["Ana Silva", "Ben Okafor"]


def test_profile_keys_ignore_scheme_subdomain_case_and_query() -> None:
    for url in (
        "https://www.linkedin.com/in/Ana-Silva/",
        "http://de.linkedin.com/in/ana-silva?trk=x",
        "linkedin.com/in/ana-silva",
    ):
        assert profile_key(url) == "linkedin.com/in/ana-silva"
    assert profile_key(" https://example.com/ana ") == "https://example.com/ana"


def test_each_importer_claims_its_own_files_only() -> None:
    files = {
        "linkedin_connections_2025.csv": "linkedin_connections",
        "linkedin_messages_2026.csv": "linkedin_messages",
        "linkedin_invitations_2026.csv": "linkedin_invitations",
    }
    for name, owner in files.items():
        head = corpus_file(name)[:4096]
        scores = {imp.name: imp.sniff(name, head) for imp in IMPORTERS}
        assert max(scores, key=scores.__getitem__) == owner


# -- fuzz ---------------------------------------------------------------------------------


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if not out:
            break
        where = position % len(out)
        if value < 256:
            out[where] = value
        elif value < 400:
            del out[where:]
        else:
            out.insert(where, value % 256)
    return bytes(out)


SEEDS = [
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b'Ana,"Silva, PhD",https://linkedin.com/in/a,,"Acme, Inc.",CTO,10 Nov 2021\n',
    # The form every row of an export has: what the reader takes in bulk.
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Ana,Silva,https://www.linkedin.com/in/ana-s,,Acme,CTO,10 Nov 2021\n"
    b"Ana,Silva,https://www.linkedin.com/in/ana-t,a@example.com,,,01 Jan 2020\n"
    b"Bo,Chen,https://www.linkedin.com/in/bo,,Acme,,31 Dec 2019\n",
    b"CONVERSATION ID,FROM,SENDER PROFILE URL,TO,DATE,CONTENT\n"
    b"1,Ana,https://linkedin.com/in/a,Me,2021-11-23 04:01:00 UTC,Hi\n",
    b'From,To,Sent At,Message,Direction\nAna,Me,"11/10/21, 4:01 AM",,INCOMING\n',
]


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(
    st.sampled_from(IMPORTERS),
    st.one_of(
        st.binary(max_size=600),
        st.tuples(
            st.sampled_from(SEEDS),
            st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 600)), max_size=8),
        ).map(lambda seed: _mutate(*seed)),
    ),
)
def test_no_bytes_make_an_importer_raise(importer: Importer, data: bytes) -> None:
    assert 0.0 <= importer.sniff("fuzz.csv", data) <= 1.0
    parsed = importer.read("fuzz.csv", data)
    assert all(problem.source.file == "fuzz.csv" for problem in parsed.problems)
    assert all(person.source.file == "fuzz.csv" for person in parsed.people)
    # What was read imports too (into a log with a namesake), by column or one by one.
    log = netplan.ActivityLog([netplan.Contact("Ana Silva")])
    changes = plan_import(log, parsed, file="fuzz.csv", format=importer.name, skip_bad=True)
    changes.apply(log)
    assert len(log.contacts) == 1 + len(changes.report.added) <= 1 + len(parsed.people)
