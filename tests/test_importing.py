"""Importing people into a log: one person from several sources is one contact, the same
file twice changes nothing, conflicts are reported, and an import is all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.formats.linkedin import LinkedInConnections, LinkedInMessages
from netplan.importing import (
    Changes,
    Parsed,
    Person,
    Problem,
    Source,
    decode_text,
    plan_import,
)

CORPUS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "linkedin").resolve()


def read(name: str, importer: object = None) -> Parsed:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} not found: the shared corpus lives outside the repository")
    reader = importer or LinkedInConnections()
    return reader.read(name, path.read_bytes())  # type: ignore[attr-defined, no-any-return]


def run(log: netplan.ActivityLog, parsed: Parsed, file: str, **options: bool) -> Changes:
    changes = plan_import(log, parsed, file=file, format="test", **options)
    changes.apply(log)
    return changes


def test_a_linkedin_export_becomes_contacts_organizations_and_connections() -> None:
    log = netplan.ActivityLog()
    report = run(log, read("linkedin_connections_2025.csv"), "Connections.csv").report
    assert len(report.added) == 40 and report.merged == () and report.unchanged == 0
    eun_ji = log.contact("eun-ji-chen")
    assert eun_ji.profiles == ("linkedin.com/in/eun-ji-chen-00000",)
    assert log.organization(eun_ji.organization or "").name == "Wayne Analytics"
    assert eun_ji.sources == frozenset({"test:Connections.csv"})
    (connected,) = log.interactions(contact="eun-ji-chen")
    assert connected.at == dt.datetime(2021, 11, 10, tzinfo=netplan.UTC)
    assert connected.channel is netplan.Channel.LINKEDIN
    assert report.interactions == 40
    assert "added 40 contacts and 40 interactions" in str(report)


def test_importing_the_same_file_again_changes_nothing() -> None:
    log = netplan.ActivityLog()
    parsed = read("linkedin_connections_2025.csv")
    run(log, parsed, "Connections.csv")
    before = log.copy()
    again = run(log, parsed, "Connections.csv").report
    assert (again.added, again.merged, again.interactions) == ((), (), 0)
    assert again.unchanged == 40 and again.duplicate_interactions == 40
    assert log == before


def test_one_person_from_two_exports_is_one_contact_with_both_sources() -> None:
    log = netplan.ActivityLog()
    run(log, read("linkedin_connections_2018.csv"), "2018.csv")  # emails, no profiles
    report = run(log, read("linkedin_connections_2025.csv"), "2025.csv").report  # profiles
    assert report.added == () and len(report.merged) == 40
    eun_ji = log.contact("eun-ji-chen")
    assert eun_ji.emails == ("x0@example.com",)
    assert eun_ji.profiles == ("linkedin.com/in/eun-ji-chen-00000",)
    assert eun_ji.sources == frozenset({"test:2018.csv", "test:2025.csv"})
    assert len(log.contacts) == 40


def test_messages_are_logged_with_the_contacts_their_profiles_name() -> None:
    log = netplan.ActivityLog()
    run(log, read("linkedin_connections_2025.csv"), "Connections.csv")
    report = run(log, read("linkedin_messages_2026.csv", LinkedInMessages()), "messages.csv").report
    assert report.interactions == 40
    messages = log.interactions(contact="eun-ji-chen", kind="message")
    assert [m.direction.value for m in messages[:2]] == ["outbound", "inbound"]


def test_a_differing_value_is_a_conflict_and_is_kept() -> None:
    source = Source("a.csv", line=2)
    log = netplan.ActivityLog()
    run(log, Parsed((Person("Ana Silva", source, emails=("ana@x.org",), role="CTO"),)), "a.csv")
    other = Person("Ana  SILVA", Source("b.csv", line=9), emails=("ANA@x.org",), role="CEO")
    report = run(log, Parsed((other,)), "b.csv").report
    (conflict,) = report.conflicts
    assert (conflict.contact, conflict.field, conflict.kept, conflict.offered) == (
        "ana-silva",
        "role",
        "CTO",
        "CEO",
    )
    assert "b.csv, line 9" in str(conflict)
    assert log.contact("ana-silva").role == "CTO"


def test_two_people_with_one_name_at_different_companies_stay_two() -> None:
    log = netplan.ActivityLog()
    people = (
        Person("John Smith", Source("c.csv", line=2), company="Acme"),
        Person("John Smith", Source("c.csv", line=3), company="Globex"),
    )
    report = run(log, Parsed(people), "c.csv").report
    assert report.added == ("john-smith", "john-smith-2")


def test_records_that_cannot_be_read_stop_the_import_unless_skipped() -> None:
    log = netplan.ActivityLog()
    bad = Problem(Source("c.csv", line=5000), "unclosed quote", level="error")
    parsed = Parsed((Person("Ana Silva", Source("c.csv", line=2)),), (bad,))
    with pytest.raises(netplan.ImportAbortedError, match=r"c.csv, line 5000.*skip_bad"):
        plan_import(log, parsed, file="c.csv", format="test")
    assert len(log.contacts) == 0
    report = run(log, parsed, "c.csv", skip_bad=True).report
    assert report.added == ("ana-silva",) and report.problems == (bad,)


def test_a_dry_run_changes_nothing() -> None:
    log = netplan.ActivityLog()
    changes = plan_import(
        log, read("linkedin_connections_2025.csv"), file="c.csv", format="test", dry_run=True
    )
    assert len(changes.report.added) == 40 and changes.report.dry_run
    assert "would add 40 contacts" in str(changes.report)
    assert len(log.contacts) == 0


def test_changes_are_all_or_nothing() -> None:
    log = netplan.ActivityLog([netplan.Contact("Ana Silva")])
    changes = Changes(
        (netplan.Contact("Ben Okafor"),),
        (netplan.Contact("Nobody", id="nobody"),),  # not in the log: the update fails
        plan_import(log, Parsed(()), file="x", format="test").report,
    )
    with pytest.raises(netplan.NotFoundError):
        changes.apply(log)
    assert [c.id for c in log.contacts] == ["ana-silva"]


names = st.sampled_from(["Ana Silva", "Ben Okafor", "Zoë Ngũgĩ", "John Smith", "Lena Berg"])
people = st.builds(
    Person,
    names,
    st.builds(Source, st.just("f.csv"), st.integers(1, 99)),
    emails=st.lists(st.sampled_from(["a@x.org", "b@y.org", "c@z.org"]), max_size=2),
    profiles=st.lists(st.sampled_from(["linkedin.com/in/a", "linkedin.com/in/b"]), max_size=1),
    company=st.sampled_from(["", "Acme", "Globex"]),
    role=st.sampled_from(["", "CTO", "Engineer"]),
    connected_on=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)),
)


@given(st.lists(people, max_size=8))
def test_importing_anything_twice_adds_nothing_the_second_time(batch: list[Person]) -> None:
    log = netplan.ActivityLog()
    run(log, Parsed(tuple(batch)), "f.csv")
    contacts = len(log.contacts)
    again = run(log, Parsed(tuple(batch)), "f.csv").report
    assert again.added == () and again.interactions == 0
    assert len(log.contacts) == contacts


def test_decode_text_sniffs_boms_and_windows_1252() -> None:
    assert decode_text(b"\xff\xfeA\x00") == ("A", "utf-16")
    assert decode_text(b"x\r\ny\rz") == ("x\ny\nz", "utf-8")
    assert decode_text("Zoë".encode("cp1252"))[1] == "cp1252"


def test_an_ambiguous_person_is_left_out_with_a_reason() -> None:
    log = netplan.ActivityLog()
    run(
        log,
        Parsed(
            (
                Person("John Smith", Source("c.csv", line=2), company="Acme"),
                Person("John Smith", Source("c.csv", line=3), company="Globex"),
            )
        ),
        "c.csv",
    )
    report = run(log, Parsed((Person("John Smith", Source("d.csv", line=7)),)), "d.csv").report
    assert report.added == ()
    (problem,) = report.problems
    assert (problem.source.line, problem.field) == (7, "name")
    assert "several contacts are named 'John Smith'" in problem.message


def test_an_email_that_identifies_someone_else_is_not_taken_over() -> None:
    log = netplan.ActivityLog()
    run(log, Parsed((Person("Ben Okafor", Source("a.csv", line=2), emails=("b@y.org",)),)), "a")
    run(log, Parsed((Person("Ana Silva", Source("a.csv", line=3), emails=("a@x.org",)),)), "a")
    both = Person("Ana Silva", Source("b.csv", line=4), emails=("a@x.org", "b@y.org"))
    report = run(log, Parsed((both,)), "b").report
    assert log.contact("ana-silva").emails == ("a@x.org",)
    (conflict,) = report.conflicts
    assert (conflict.field, conflict.kept, conflict.offered) == (
        "emails",
        "belongs to ben-okafor",
        "b@y.org",
    )
