"""Importing people into a log: one person from several sources is one contact, the same
file twice changes nothing, conflicts are reported, and an import is all or nothing."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core.importing import (
    CalendarWindow,
    Changes,
    Happening,
    Parsed,
    Person,
    Problem,
    Source,
    decode_text,
    plan_import,
)
from netplan.formats.linkedin import LinkedInConnections, LinkedInMessages

CORPUS = SHARED / "linkedin"


def read(name: str, importer: object = None) -> Parsed:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(missing(path))
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


def checked(record: object) -> object:
    """``record`` built again through its class's checked constructor."""
    return type(record)(**attrs.asdict(record, recurse=False))  # type: ignore[arg-type]


@given(st.lists(people, max_size=8))
def test_what_an_import_builds_unchecked_passes_the_checks(batch: list[Person]) -> None:
    # Contacts and interactions an import makes skip the constructor's checks for speed:
    # they must be exactly what the checked constructor makes of the same values.
    changes = plan_import(netplan.ActivityLog(), Parsed(tuple(batch)), file="f", format="t")
    for record in changes.add:
        assert checked(record) == record


def test_what_the_linkedin_reader_builds_unchecked_passes_the_checks() -> None:
    parsed = read("linkedin_connections_2025.csv")
    assert parsed.people
    for person in parsed.people:
        assert checked(person) == person


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


def meetup(
    on: dt.date, *attendees: Person, uid: str = "m1@meetup", online: bool = False
) -> Happening:
    at = dt.datetime.combine(on, dt.time(18, 30), tzinfo=netplan.UTC)
    return Happening(
        "Climate Tech Night",
        on,
        Source("cal.ics", record=1),
        starts_at=at,
        ends_at=at + dt.timedelta(hours=2),
        uid=uid,
        location="Impact Hub",
        online=online,
        attendees=attendees,
    )


ANA = Person("Ana Silva", Source("cal.ics", record=1), emails=("ana@example.org",))
BEN = Person("Ben Okoro", Source("cal.ics", record=1), emails=("ben@example.org",))


def test_a_past_event_is_attended_and_its_attendees_are_met_there() -> None:
    log = netplan.ActivityLog()
    parsed = Parsed((), events=(meetup(dt.date(2026, 11, 3), ANA, BEN),))
    report = plan_import(
        log, parsed, file="cal.ics", format="icalendar", today=dt.date(2026, 11, 20)
    ).report
    run(log, parsed, "cal.ics")
    (event,) = log.events()
    assert event.attended and event.uid == "m1@meetup" and event.location == "Impact Hub"
    assert event.starts_at == dt.datetime(2026, 11, 3, 18, 30, tzinfo=netplan.UTC)
    met = log.interactions(kind="met")
    assert sorted(m.contact or "" for m in met) == ["ana-silva", "ben-okoro"]
    assert {m.event for m in met} == {event.id}
    assert {m.channel for m in met} == {netplan.Channel.IN_PERSON}
    assert report.events == (event.id,) and report.interactions == 2
    assert "1 events" in str(report)


def test_a_future_event_is_planned_and_nobody_is_met_yet() -> None:
    log = netplan.ActivityLog()
    parsed = Parsed((), events=(meetup(dt.date(2026, 12, 3), ANA, online=True),))
    changes = plan_import(
        log, parsed, file="cal.ics", format="icalendar", today=dt.date(2026, 12, 3)
    )
    changes.apply(log)
    (event,) = log.events()
    assert not event.attended
    assert log.interactions() == ()
    assert [c.id for c in log.contacts] == ["ana-silva"]


def test_an_online_meeting_is_met_by_video() -> None:
    log = netplan.ActivityLog()
    run(log, Parsed((), events=(meetup(dt.date(2026, 11, 3), ANA, online=True),)), "cal.ics")
    (met,) = log.interactions()
    assert met.channel is netplan.Channel.VIDEO


def test_importing_a_calendar_again_finds_its_events_by_uid() -> None:
    log = netplan.ActivityLog()
    first = Parsed((), events=(meetup(dt.date(2026, 11, 3), ANA),))
    run(log, first, "cal.ics")
    renamed = attrs.evolve(first.events[0], name="Climate Tech Night (moved room)")
    again = run(log, Parsed((), events=(renamed,)), "cal.ics").report
    assert again.events == () and again.known_events == 1
    assert again.interactions == 0 and again.duplicate_interactions == 1
    assert len(log.events()) == 1 and "1 events already known" in str(again)
    # The new name is reported, not taken: the person decides.
    (problem,) = again.problems
    assert problem.field == "name" and "(moved room)" in problem.message
    assert log.events()[0].name == "Climate Tech Night"


def test_events_without_uid_are_told_apart_by_name_and_day() -> None:
    log = netplan.ActivityLog()
    days = (dt.date(2026, 11, 3), dt.date(2026, 11, 10), dt.date(2026, 11, 10))
    parsed = Parsed((), events=tuple(meetup(d, uid="") for d in days))
    report = run(log, parsed, "cal.ics").report
    assert [e.id for e in log.events()] == [
        "climate-tech-night-2026-11-03",
        "climate-tech-night-2026-11-10",
    ]
    assert len(report.events) == 2 and report.known_events == 0
    assert run(log, parsed, "cal.ics").report.known_events == 3


def test_two_events_of_one_name_and_day_get_their_own_ids() -> None:
    log = netplan.ActivityLog()
    on = dt.date(2026, 11, 3)
    run(log, Parsed((), events=(meetup(on, uid="a"), meetup(on, uid="b"))), "cal.ics")
    assert [e.id for e in log.events()] == [
        "climate-tech-night-2026-11-03",
        "climate-tech-night-2026-11-03-2",
    ]


def test_an_attendee_of_many_events_is_one_contact_met_at_each() -> None:
    log = netplan.ActivityLog()
    weeks = tuple(
        meetup(dt.date(2026, 10, 6) + dt.timedelta(weeks=n), ANA, uid=f"s@{n}") for n in range(4)
    )
    report = run(log, Parsed((), events=weeks), "cal.ics").report
    assert report.added == ("ana-silva",) and report.unchanged == 0
    assert len(log.interactions(contact="ana-silva", kind="met")) == 4


def test_a_window_needs_its_end_after_its_start() -> None:
    day = dt.date(2026, 11, 1)
    with pytest.raises(netplan.ValidationError, match="CalendarWindow.end"):
        CalendarWindow(day, day)
    assert CalendarWindow(day, day + dt.timedelta(days=1)).zone is netplan.UTC


def test_the_person_is_not_a_contact_of_their_own_calendar() -> None:
    log = netplan.ActivityLog()
    me = Person("Maya Okafor", Source("cal.ics", record=1), emails=("Maya@Example.org",))
    parsed = Parsed((), events=(meetup(dt.date(2026, 11, 3), me, ANA),))
    changes = plan_import(log, parsed, file="cal.ics", format="icalendar", me=["maya@example.org"])
    changes.apply(log)
    assert [c.id for c in log.contacts] == ["ana-silva"]
    assert [i.contact for i in log.interactions()] == ["ana-silva"]


def test_an_event_netplan_exported_is_found_by_its_id() -> None:
    log = netplan.ActivityLog([netplan.Event("Climate Tech Night", dt.date(2026, 11, 3))])
    exported = attrs.evolve(
        meetup(dt.date(2026, 11, 3)), uid="climate-tech-night-2026-11-03@netplan"
    )
    report = run(log, Parsed((), events=(exported,)), "cal.ics").report
    assert report.events == () and report.known_events == 1


def test_a_calendar_invite_and_linkedin_spelling_one_person_differently_are_one_contact() -> None:
    log = netplan.ActivityLog()
    linkedin = Person(
        "Jean-Luc O'Brien",
        Source("Connections.csv", line=5),
        profiles=("linkedin.com/in/jlobrien",),
        company="Wayne Analytics, Inc.",
    )
    run(log, Parsed((linkedin,)), "Connections.csv")
    # No company in an invite; the case, hyphen and apostrophe differ.
    invited = Person("jean luc o'brien", Source("cal.ics", record=1), emails=("jl@wayne.example",))
    report = run(log, Parsed((), events=(meetup(dt.date(2026, 11, 3), invited),)), "cal.ics")
    assert report.report.added == () and report.report.merged == ("jean-luc-o-brien",)
    (contact,) = log.contacts
    assert contact.emails == ("jl@wayne.example",) and contact.profiles
