"""iCalendar files: every real calendar of the shared corpus reads, each quirk is handled,
exports read back, and bad bytes never crash."""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core.importing import (
    CalendarWindow,
    Happening,
    Importer,
    Parsed,
    ProblemLevel,
    Windowed,
    plan_import,
)
from netplan.core.instants import EPOCH
from netplan.core.zones import Zone
from netplan.formats import icalendar as ics
from netplan.formats.exports import Exporter
from netplan.formats.icalendar import CalendarIcs, ICalendar, agenda_ics
from netplan.plugins import PluginHost
from netplan.testing.strategies import ZONES

# Fewer than vCard's 300 in the default run (a calendar read costs more); `nox -s fuzz`
# sets 10,000.
FUZZ_EXAMPLES = int(os.environ.get("NETPLAN_FUZZ_EXAMPLES", "100"))
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "ics"
CORPUS = SHARED / "ics"
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.ics")) if CORPUS.is_dir() else []
FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("*.ics"))
UTC = dt.UTC
_SECOND = dt.timedelta(seconds=1)


def extra() -> None:
    for module in ("icalendar", "recurring_ical_events", "x_wr_timezone"):
        pytest.importorskip(module, reason="the icalendar extra is not installed")


def corpus_file(name: str) -> bytes:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(missing(path))
    return path.read_bytes()


def read(
    data: bytes | str, name: str = "calendar.ics", window: CalendarWindow | None = None
) -> Parsed:
    extra()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    importer = ICalendar() if window is None else ICalendar().within(window)
    return importer.read(name, raw)


def corpus(name: str, window: CalendarWindow | None = None) -> Parsed:
    return read(corpus_file(name), name, window)


def fixture(name: str, window: CalendarWindow | None = None) -> Parsed:
    return read((FIXTURES / name).read_bytes(), name, window)


def warnings_of(parsed: Parsed) -> str:
    return "\n".join(str(p) for p in parsed.problems if p.level is ProblemLevel.WARNING)


def by_uid(parsed: Parsed) -> dict[str, Happening]:
    return {h.uid: h for h in parsed.events}


def calendar(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n"


def test_it_is_a_windowed_importer_and_exporter() -> None:
    window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert isinstance(ICalendar(), Importer) and isinstance(ICalendar(), Windowed)
    assert isinstance(CalendarIcs(), Exporter) and isinstance(CalendarIcs(), Windowed)
    assert ICalendar().within(window) == ICalendar(window=window)
    assert CalendarIcs().within(window).window == window
    assert (ICalendar().name, CalendarIcs().name, CalendarIcs().suffix) == (
        "icalendar",
        "icalendar",
        ".ics",
    )
    host = PluginHost(entry_points=False, environ={})
    assert isinstance(host.importers["icalendar"], ICalendar)
    assert isinstance(host.exporters["icalendar"], CalendarIcs)


def test_sniffing_knows_a_calendar_by_its_first_line_and_an_ics_name() -> None:
    sniff = ICalendar().sniff
    assert sniff("export", b"BEGIN:VCALENDAR\r\nVERSION:2.0") == 0.95
    assert sniff("export", b"\xef\xbb\xbf \r\n begin:vcalendar\n") == 0.95
    assert sniff("export", "BEGIN:VCALENDAR\n".encode("utf-16")) == 0.95
    assert sniff("event.ics", b"BEGIN:VEVENT\nDTSTART:20260101\n") == 0.6
    assert sniff("contacts.vcf", b"BEGIN:VCARD\nVERSION:3.0\n") == 0.0
    assert sniff("notes.txt", b"") == 0.0


# -- the real files ------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS_FILES, reason=missing(CORPUS))
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_calendar_reads_with_and_without_a_window(name: str) -> None:
    for window in (None, CalendarWindow(dt.date(2000, 1, 1), dt.date(2030, 1, 1))):
        parsed = corpus(name, window)
        assert parsed.people == ()
        assert parsed.events or parsed.problems
        for problem in parsed.problems:
            assert problem.source.file == name
            assert problem.source.line or problem.source.record
        for happening in parsed.events:
            assert happening.name == " ".join(happening.name.split())
            assert happening.source.record
            assert (happening.starts_at is None) == (happening.ends_at is None) or (
                happening.ends_at is None
            )


def test_windows_zone_names_and_tab_folding_outlook_2010() -> None:
    (meeting,) = corpus("biweekly_outlook-2010.ics").events
    assert meeting.name == "Team Meeting"
    assert meeting.starts_at == dt.datetime(2013, 6, 10, 16, tzinfo=UTC)  # Eastern, daylight
    assert meeting.ends_at == dt.datetime(2013, 6, 10, 17, tzinfo=UTC)
    assert meeting.uid.endswith("0070D00A2F625AC34BB6542DE0D19E67E1")  # folded with a TAB
    # CN="Doe, John": the name as the person goes by it, to meet LinkedIn's "John Doe".
    assert [(p.name, p.emails) for p in meeting.attendees] == [
        ("Bob Smith", ("bobsmith@example.com",)),
        ("John Doe", ("johndoe@example.com",)),  # the address folded with a TAB
        ("Jane Doe", ("janedoe@example.com",)),
    ]
    assert meeting.location == "Auditorium 16" and not meeting.online


def test_several_calendars_floating_times_in_the_window_zone_with_one_warning() -> None:
    auckland = ZoneInfo("Pacific/Auckland")
    window = CalendarWindow(dt.date(2018, 7, 1), dt.date(2018, 8, 1), auckland)
    parsed = corpus("joyous_testOutlook.ics", window)
    first, second = parsed.events  # one VCALENDAR each
    assert (first.source.record, second.source.record) == (1, 2)
    assert first.starts_at == dt.datetime(2018, 7, 30, 9, 25, tzinfo=auckland)
    assert second.on == dt.date(2018, 7, 31)
    (warning,) = parsed.problems
    assert "2 events have floating times" in warning.message
    assert "Pacific/Auckland" in warning.message
    assert first.uid == "7N7Y7V6J4N2U4I3U7H0N7W5O4V2U0K3H2E4Q4O7A2H0W1A5M6N"
    # Without a window: UTC, and the same uid (a floating time names itself as written).
    assert corpus("joyous_testOutlook.ics").events[0].starts_at == dt.datetime(
        2018, 7, 30, 9, 25, tzinfo=UTC
    )


GOOGLE_NEW_YORK = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
X-WR-TIMEZONE:America/New_York
BEGIN:VEVENT
UID:dinner@test
DTSTART:20261208T193000
DTEND:20261208T213000
SUMMARY:Founders dinner
END:VEVENT
BEGIN:VEVENT
UID:talk@test
DTSTART:20261209T120000
SUMMARY:Lunch talk
END:VEVENT
BEGIN:VEVENT
UID:utc@test
DTSTART:20261210T150000Z
SUMMARY:Call
END:VEVENT
BEGIN:VEVENT
UID:wordpress@test
DTSTART;TZID=UTC+0:20261211T090000
SUMMARY:Fair
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize("zone", [None, "Europe/Berlin"])
def test_floating_times_under_x_wr_timezone_warn_once_naming_the_calendars_zone(
    zone: str | None,
) -> None:
    new_york = ZoneInfo("America/New_York")
    window = None
    if zone is not None:
        window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1), ZoneInfo(zone))
    parsed = read(GOOGLE_NEW_YORK, window=window)
    events = by_uid(parsed)
    assert events["dinner@test"].starts_at == dt.datetime(2026, 12, 8, 19, 30, tzinfo=new_york)
    assert events["dinner@test"].ends_at == dt.datetime(2026, 12, 8, 21, 30, tzinfo=new_york)
    assert events["dinner@test"].on == dt.date(2026, 12, 8)
    assert events["talk@test"].starts_at == dt.datetime(2026, 12, 9, 12, tzinfo=new_york)
    assert events["utc@test"].starts_at == dt.datetime(2026, 12, 10, 15, tzinfo=UTC)
    assert events["wordpress@test"].starts_at == dt.datetime(2026, 12, 11, 9, tzinfo=new_york)
    floating = [p for p in parsed.problems if "have floating times" in p.message]
    assert [(p.message, p.source.record, p.field) for p in floating] == [
        (
            "2 events have floating times (no zone): read in America/New_York "
            "(the calendar's X-WR-TIMEZONE)",
            1,
            "DTSTART",
        )
    ]
    (unknown,) = [p for p in parsed.problems if p.message.startswith("TZID")]
    assert unknown.message == (
        "TZID 'UTC+0' is not a zone icalendar knows (1 event): read as floating times, in "
        "America/New_York (the calendar's X-WR-TIMEZONE)"
    )
    assert len(parsed.problems) == 2


def test_floating_times_in_several_calendars_of_one_file_are_one_warning() -> None:
    twice = GOOGLE_NEW_YORK + GOOGLE_NEW_YORK.replace("@test", "@again")
    parsed = read(twice)
    floating = [p.message for p in parsed.problems if "have floating times" in p.message]
    assert floating == [
        "4 events have floating times (no zone): read in America/New_York "
        "(the calendar's X-WR-TIMEZONE)"
    ]


def test_an_x_wr_timezone_that_cannot_be_applied_leaves_floating_times_to_the_window() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    text = GOOGLE_NEW_YORK.replace("America/New_York", "Mars/Olympus")
    parsed = read(text, window=CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1), tokyo))
    dinner = by_uid(parsed)["dinner@test"]
    assert dinner.starts_at == dt.datetime(2026, 12, 8, 19, 30, tzinfo=tokyo)
    messages = [p.message for p in parsed.problems]
    assert any(m.startswith("X-WR-TIMEZONE 'Mars/Olympus' cannot be applied") for m in messages)
    floating = [m for m in messages if "have floating times" in m]
    assert floating == ["2 events have floating times (no zone): read in Asia/Tokyo"]


def test_all_day_events_keep_their_span_and_timed_ones_have_none() -> None:
    parsed = read(
        calendar(
            "UID:summit\nDTSTART;VALUE=DATE:20260415\nDTEND;VALUE=DATE:20260418\nSUMMARY:Summit",
            "UID:day\nDTSTART;VALUE=DATE:20260420\nDTEND;VALUE=DATE:20260421\nSUMMARY:Fair",
            "UID:bare\nDTSTART;VALUE=DATE:20260422\nSUMMARY:No end",
            "UID:weekend\nDTSTART;VALUE=DATE:20260502\nDURATION:P2D\n"
            "RRULE:FREQ=WEEKLY;COUNT=2\nSUMMARY:Retreat",
            "UID:camp\nDTSTART;VALUE=DATE:20260601\nDTEND;VALUE=DATE:20260604\n"
            "RRULE:FREQ=MONTHLY;COUNT=2\nSUMMARY:Camp",
            "UID:late\nDTSTART:20260415T220000Z\nDTEND:20260417T020000Z\nSUMMARY:Long night",
        )
    )
    spans = {h.uid: (h.on, h.until) for h in parsed.events}
    D = dt.date
    assert spans == {
        "summit": (D(2026, 4, 15), D(2026, 4, 17)),
        "day": (D(2026, 4, 20), None),
        "bare": (D(2026, 4, 22), None),
        "weekend@2026-05-02": (D(2026, 5, 2), D(2026, 5, 3)),
        "weekend@2026-05-09": (D(2026, 5, 9), D(2026, 5, 10)),
        "camp@2026-06-01": (D(2026, 6, 1), D(2026, 6, 3)),
        "camp@2026-07-01": (D(2026, 7, 1), D(2026, 7, 3)),
        "late": (D(2026, 4, 15), None),  # timed: its instants say how long
    }
    assert parsed.problems == ()


def test_quoted_printable_text_is_decoded() -> None:
    cafe, baixa = fixture("outlook11_quoted_printable.ics").events
    assert cafe.name == "Café with José"
    assert cafe.location == "Café Central, Rua Augusta 12"
    assert cafe.online  # the Teams link is in the encoded description
    assert baixa.name == "Café na Baixa"  # CHARSET=windows-1252


def test_an_unknown_tzid_is_read_as_floating_and_no_uid_is_named_by_day() -> None:
    toronto = ZoneInfo("America/Toronto")
    parsed = corpus(
        "joyous_testLoadEventMissingUID.ics",
        CalendarWindow(dt.date(2018, 1, 1), dt.date(2019, 1, 1), toronto),
    )
    (fair,) = parsed.events
    assert fair.name == "Mini-Fair & Garage Sale"
    assert fair.starts_at == dt.datetime(2018, 4, 7, 9, 30, tzinfo=toronto)
    assert fair.uid == ""
    assert fair.url == "http://bloorneighbours.ca/event/mini-fair-garage-sale/"
    text = warnings_of(parsed)
    assert "TZID 'UTC+0'" in text and "America/Toronto" in text
    assert "1 event has no UID" in text


def test_an_all_day_event_keeps_its_first_day_and_has_no_instants() -> None:
    parsed = corpus("joyous_testGoogleCalendar.ics")
    (days_off,) = [h for h in parsed.events if h.name == "Three days off"]
    assert days_off.on == dt.date(2018, 7, 13)  # DTEND 07-16 is exclusive: one event
    assert days_off.until == dt.date(2018, 7, 15)  # ... over three days
    assert days_off.starts_at is None and days_off.ends_at is None
    assert days_off.uid == "01likr2u3bchpv66o7vvq23avq@google.com"


def test_google_weekly_series_with_exdate_and_a_moved_override_within_the_window() -> None:
    window = CalendarWindow(dt.date(2018, 7, 1), dt.date(2018, 9, 1))
    parsed = corpus("joyous_testGoogleCalendar.ics", window)
    series = [h for h in parsed.events if h.uid.startswith("113qbmq1j4jf0jbiolheruff6n@")]
    assert [(h.on.isoformat(), h.name) for h in series] == [
        ("2018-07-03", "Tuesday Mornings"),
        ("2018-07-10", "Tuesday Mornings"),
        ("2018-07-17", "Tuesday Mornings"),
        ("2018-07-25", "Tuesday Mornings Postponed"),  # moved from the 24th
        ("2018-07-31", "Tuesday Morning Extra Info"),
        ("2018-08-07", "Tuesday Mornings"),  # the 14th is an EXDATE
        ("2018-08-21", "Tuesday Mornings"),
        ("2018-08-28", "Tuesday Mornings"),
    ]
    moved = series[3]
    # Named by its RECURRENCE-ID: moving it again does not make it a new event.
    assert moved.uid == "113qbmq1j4jf0jbiolheruff6n@google.com@2018-07-23T21:30:00+00:00"
    assert moved.starts_at == dt.datetime(2018, 7, 24, 21, 30, tzinfo=UTC)
    assert len({h.uid for h in series}) == len(series)
    assert series[0].location == "Coast Rd, Barrytown, New Zealand"
    # X-WR-TIMEZONE: a UTC time is read on the calendar's (Auckland's) day.
    (thursday,) = [h for h in parsed.events if h.name == "Big Thursday"]
    assert thursday.on == dt.date(2018, 7, 26)
    assert thursday.uid == "1uas8vo82gvhtn8jpr9nlnrmfk@google.com"  # not a series


def test_an_override_without_its_series_is_read_as_one_occurrence() -> None:
    for window in (None, CalendarWindow(dt.date(2018, 1, 1), dt.date(2019, 1, 1))):
        (only,) = corpus("icalendar_issue_1231_recurrence.ics", window).events
        assert only.uid == "test-uid@2025-04-28T16:05:00+00:00"
        assert only.on == dt.date(2025, 4, 28)


def test_a_bare_vevent_without_uid_expands_its_exdates_without_a_window() -> None:
    name = "icalendar_event_with_recurrence_exdates_on_different_lines.ics"
    assert ICalendar().sniff(name, corpus_file(name)[:100]) == 0.6
    parsed = corpus(name)
    days = [h.on for h in parsed.events]
    assert days[0] == dt.date(2012, 3, 27) and days[-1] == dt.date(2012, 7, 3)
    assert len(days) == 15 - 5  # 15 Tuesdays to UNTIL, 5 EXDATEs
    assert dt.date(2012, 4, 3) not in days
    assert {h.uid for h in parsed.events} == {""}
    assert "1 event has no UID" in warnings_of(parsed)


def test_a_bom_calendar_is_sniffed_and_read() -> None:
    data = (FIXTURES / "bom_event.ics").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert ICalendar().sniff("bom_event.ics", data) == 0.95
    (breakfast,) = fixture("bom_event.ics").events
    assert breakfast.name == "Founders breakfast \u2013 café edition"


def test_facebook_attendees_are_profiles_and_a_no_reply_organizer_has_no_email() -> None:
    (event,) = corpus("joyous_testFacebook.ics").events
    assert event.url == "https://www.facebook.com/events/501511573641525/"
    assert [(p.name, p.emails, p.profiles) for p in event.attendees] == [
        ("Jjjj Bbbbb", (), ()),  # ORGANIZER mailto:noreply@facebookmail.com
        ("Bbbbb Wwwwww", (), ("https://www.facebook.com/bbwwwwww",)),
        ("Jjjj Bbbbb", (), ("https://www.facebook.com/jjjj.bbbbb",)),
        ("Pppp Tttttt", (), ("https://www.facebook.com/pppp.tttttt.123",)),  # tentative
    ]


def test_declined_people_rooms_resources_groups_and_no_address_are_left_out() -> None:
    (workshop,) = fixture("attendees.ics").events
    assert [(p.name, p.emails, p.profiles) for p in workshop.attendees] == [
        ("Ana Silva", ("ana@example.com",), ()),  # organizer and attendee: once
        ("Ben Okafor", ("ben@example.com",), ()),
        ("carla.mendes", ("carla.mendes@example.com",), ()),  # no CN: the local part
        ("dev", ("dev@example.com",), ()),  # the CN is the address
        ("Eve Nakamura", (), ("https://social.example/eve",)),
        ("Event Bot", (), ()),  # a no-reply address reaches nobody
    ]
    assert all(p.source.record == 1 for p in workshop.attendees)


def test_cancelled_occurrences_are_left_out_with_one_warning() -> None:
    parsed = fixture("cancelled.ics")
    assert [h.on.day for h in parsed.events] == [2, 16, 23]
    assert [h.name for h in parsed.events] == ["Project standup"] * 3
    (warning,) = parsed.problems
    assert warning.message == "2 occurrences cancelled (STATUS:CANCELLED): left out"
    assert warning.source.record == 2


def test_video_call_links_make_an_event_online() -> None:
    online = {h.name: h.online for h in fixture("online.ics").events}
    assert online == {
        "Intro call": True,  # zoom.us in the location
        "Quarterly review": True,  # teams.microsoft.com in the description
        "Mentoring": True,  # Google Meet's X-GOOGLE-CONFERENCE
        "Lunch and learn": False,  # "Zoom room B" is a room, not a link
    }
    intro = fixture("online.ics").events[0]
    assert intro.ends_at == dt.datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # DURATION


def test_a_series_without_end_reads_its_first_occurrence_without_a_window() -> None:
    parsed = fixture("meetup_group.ics")
    assert [h.name for h in parsed.events] == ["Climate Tech Meetup", "Video coffee with Priya"]
    (warning,) = parsed.problems
    assert warning.source.record == 1 and warning.field == "RRULE"
    assert "recurring without end: only the first occurrence read" in warning.message
    assert "import_files" in warning.message


def test_a_series_outside_the_window_is_named_in_a_warning() -> None:
    window = CalendarWindow(dt.date(2018, 1, 1), dt.date(2019, 1, 1))
    parsed = corpus("icalendar_parsing_error.ics", window)
    assert parsed.events == ()
    assert "2 recurring series have no occurrence from 2018-01-01 to 2019-01-01" in (
        warnings_of(parsed)
    )


def test_spaces_in_an_rrule_and_an_empty_exdate_are_repaired_with_warnings() -> None:
    standup = corpus("icalendar_issue_165_missing_event.ics")
    assert len(standup.events) == 14  # weekdays from July 3 to July 21, 2015
    assert {h.on.weekday() for h in standup.events} <= {0, 1, 2, 3, 4}
    assert "spaces between RRULE values" in warnings_of(standup)
    google = corpus("icalendar_parsing_error.ics")
    assert not google.errors
    assert "empty EXDATE value: ignored" in warnings_of(google)
    assert len(google.events) == 2 * 20  # March 3 to 23, less the EXDATE of the 11th
    assert {h.name for h in google.events} == {"Untitled event"}
    assert "no title (SUMMARY)" in warnings_of(google)


def test_what_cannot_be_read_is_an_error_naming_the_record_and_property() -> None:
    parsed = read(
        calendar(
            "UID:good\nDTSTART:20260301T100000Z\nSUMMARY:Good",
            "UID:bad-start\nDTSTART:2026XXXX\nSUMMARY:Bad start",
            "UID:bad-rule\nDTSTART:20260301T100000Z\nRRULE:FREQ=SOMETIMES\nSUMMARY:Bad rule",
            "UID:no-start\nSUMMARY:No start",
        )
    )
    assert [h.uid for h in parsed.events] == ["good"]
    assert [(e.source.record, e.field) for e in parsed.errors] == [
        (2, "DTSTART"),
        (3, "RRULE"),
        (4, "DTSTART"),
    ]
    assert all(e.source.file == "calendar.ics" for e in parsed.errors)
    (garbage,) = read(b"\x00\x01 not a calendar at all").problems
    assert garbage.level is ProblemLevel.ERROR and garbage.source.line == 1
    (empty,) = read(b"BEGIN:VCARD\nFN:Ana\nEND:VCARD\n").problems
    assert "no VCALENDAR" in empty.message


def test_the_work_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 500)
    window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    parsed = fixture("dense.ics", window)
    assert len(parsed.events) == 500
    text = warnings_of(parsed)
    assert "the file has more than 500 occurrences" in text
    assert text.count("repeats too often to expand") == 2  # every second, every minute
    every_second, every_minute, *hours = parsed.events
    assert (every_second.name, every_minute.name) == ("Every second", "Every minute since 2000")
    assert hours[1].starts_at == dt.datetime(2026, 1, 1, 1, tzinfo=UTC)


def test_reading_without_the_extra_is_one_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    data = (FIXTURES / "bom_event.ics").read_bytes()
    assert ICalendar().sniff("bom_event.ics", data) == 0.95
    (problem,) = ICalendar().read("bom_event.ics", data).problems
    assert problem.level is ProblemLevel.ERROR
    assert problem.message == (
        "reading calendars needs the icalendar extra: pip install 'networking-action-plan[icalendar]'"
    )
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1))
    with pytest.raises(netplan.PluginError, match=r"writing calendars needs the icalendar extra"):
        CalendarIcs().export(plan, netplan.ActivityLog())


def test_the_module_and_the_plugins_load_without_the_extra() -> None:
    code = (
        "import sys\n"
        "for m in ('icalendar', 'recurring_ical_events', 'x_wr_timezone'): sys.modules[m] = None\n"
        "from netplan.plugins import PluginHost\n"
        "host = PluginHost(entry_points=False, environ={})\n"
        "print(host.importers['icalendar'].sniff('a.ics', b'BEGIN:VCALENDAR'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0.95"


# -- importing into a plan ---------------------------------------------------------------


def test_import_files_adds_events_contacts_and_meetings_once(tmp_path: Path) -> None:
    extra()
    store = netplan.open("memory://")
    store.save(netplan.Plan("Maya", start=dt.date(2026, 1, 1)))
    path = tmp_path / "meetup.ics"
    path.write_bytes((FIXTURES / "meetup_group.ics").read_bytes())
    window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2026, 4, 1), ZoneInfo("Europe/Berlin"))
    today = dt.date(2026, 3, 1)
    done = netplan.import_files(store, "maya", path, window=window, today=today)
    (report,) = done.reports
    assert report.format == "icalendar"
    assert len(report.events) == 12 + 1  # the series in the window, less one EXDATE; coffee
    log = store.load_log("maya")
    assert sorted(c.name for c in log.contacts) == ["Lena Berg", "Omar Haddad", "Priya Raman"]
    events = log.events()
    assert [e.on for e in events if e.name.startswith("Climate")][:4] == [
        dt.date(2026, 1, 6),
        dt.date(2026, 1, 13),
        dt.date(2026, 1, 27),
        dt.date(2026, 2, 4),
    ]
    assert sum(e.attended for e in events) == 7 + 1  # those before today
    met = log.interactions(kind="met")
    assert len(met) == 7 * 2 + 1  # Lena and Omar at each past meetup, Priya on video
    priya = next(c for c in log.contacts if c.name == "Priya Raman")
    (coffee,) = [m for m in met if m.contact == priya.id]
    assert coffee.channel is netplan.Channel.VIDEO
    assert coffee.at == dt.datetime(2026, 2, 12, 10, tzinfo=UTC)
    assert {m.channel for m in met if m.contact != priya.id} == {netplan.Channel.IN_PERSON}
    again = netplan.import_files(store, "maya", path, window=window, today=today)
    (second,) = again.reports
    assert second.events == () and second.known_events == 13
    assert second.added == () and second.interactions == 0
    assert store.load_log("maya") == log


# -- exporting -----------------------------------------------------------------------------


def _events_log() -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Event(
                "Climate meetup",
                dt.date(2026, 11, 10),
                starts_at=dt.datetime(2026, 11, 10, 17, 30, tzinfo=UTC),
                ends_at=dt.datetime(2026, 11, 10, 20, tzinfo=UTC),
                location="Impact Hub; Berlin, 2nd floor",
                url="https://meetup.example/climate/",
                uid="abc@meetup.example",
            ),
            netplan.Event("Energy fair", dt.date(2026, 11, 20)),
        ]
    )


def test_export_writes_events_and_the_agenda_of_the_window(maya: netplan.Plan) -> None:
    extra()
    import icalendar

    window = CalendarWindow(dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    data = CalendarIcs().within(window).export(maya, _events_log())
    assert data == CalendarIcs().within(window).export(maya, _events_log())  # no clock
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and data.endswith(b"END:VCALENDAR\r\n")
    assert b"PRODID:-//netplan//netplan//EN" in lines and b"VERSION:2.0" in lines
    assert all(len(line) <= 75 for line in lines)
    parsed = icalendar.Calendar.from_ical(data)
    entries = parsed.walk("VEVENT")
    assert {str(e["DTSTAMP"].to_ical().decode()) for e in entries} == {"20261101T000000Z"}
    meetup = next(e for e in entries if str(e["UID"]) == "abc@meetup.example")
    assert meetup["DTSTART"].to_ical() == b"20261110T173000Z"
    fair = next(e for e in entries if str(e["UID"]) == "energy-fair-2026-11-20@netplan")
    assert fair["DTSTART"].dt == dt.date(2026, 11, 20)
    assert fair["DTEND"].dt == dt.date(2026, 11, 21)
    items = [e for e in entries if str(e["UID"]).startswith(("action:", "follow_up:", "keep_"))]
    assert items, "the agenda of Maya's plan has planned actions in November"
    for item in items:
        assert str(item["UID"]).endswith("@netplan")
        assert isinstance(item["DTSTART"].dt, dt.date)
        assert item["DTSTART"].dt >= window.start  # overdue ones on the first day
    assert any("Goals: Learn about climate tech" in str(i.get("DESCRIPTION")) for i in items)
    # The window's part is agenda_ics's, item for item.
    due = netplan.agenda(maya, _events_log(), window.start, window.end, as_of=window.start)
    alone = icalendar.Calendar.from_ical(agenda_ics(maya, due)).walk("VEVENT")
    assert [i.to_ical() for i in items] == [a.to_ical() for a in alone]
    assert len(items) == sum(i.is_open for i in due.items)
    # A plan in UTC writes UTC times: no zone to name.
    assert b"TZID" not in data and b"VTIMEZONE" not in data and b"X-WR-TIMEZONE" not in data
    # Read back: the events, not the reminders.
    back = read(data, "plan.ics")
    assert {h.uid for h in back.events} == {"abc@meetup.example", "energy-fair-2026-11-20@netplan"}
    assert f"{len(items)} agenda items netplan wrote" in warnings_of(back)
    again = by_uid(back)["abc@meetup.example"]
    assert again.location == "Impact Hub; Berlin, 2nd floor"
    assert again.url == "https://meetup.example/climate/"


def test_export_without_a_window_writes_the_events_only() -> None:
    extra()
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1))
    data = CalendarIcs().export(plan, _events_log())
    assert data.count(b"BEGIN:VEVENT") == 2
    assert b"DTSTAMP:19700101T000000Z" in data


def test_export_file_gives_a_calendar_the_four_weeks_from_today(
    maya: netplan.Plan, tmp_path: Path
) -> None:
    extra()
    store = netplan.open("memory://")
    store.save(maya)
    host = PluginHost(entry_points=False, environ={})
    written = host.export_file(store, "maya", tmp_path / "plan.ics", today=dt.date(2026, 11, 2))
    data = written.read_bytes()
    assert b"DTSTAMP:20261102T000000Z" in data and b"X-NETPLAN-AGENDA" in data
    window = CalendarWindow(dt.date(2026, 12, 1), dt.date(2026, 12, 8))
    later = host.export_file(store, "maya", tmp_path / "december.ics", window=window)
    assert b"DTSTAMP:20261201T000000Z" in later.read_bytes()
    assert b"DTSTART;VALUE=DATE:202611" not in later.read_bytes()


def _exported(plan: netplan.Plan, *events: netplan.Event) -> bytes:
    extra()
    return CalendarIcs().export(plan, netplan.ActivityLog(events))


def test_an_evening_event_is_written_in_the_plans_zone_and_stays_on_its_day() -> None:
    import icalendar

    los_angeles = ZoneInfo("America/Los_Angeles")
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1), timezone="America/Los_Angeles")
    starts = dt.datetime(2026, 12, 9, 3, 30, tzinfo=UTC)  # 19:30 on the 8th in Los Angeles
    assert starts == dt.datetime(2026, 12, 8, 19, 30, tzinfo=los_angeles)
    dinner = netplan.Event(
        "Founders dinner",
        dt.date(2026, 12, 8),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        uid="dinner@example.com",
    )
    data = _exported(plan, dinner)
    assert data == _exported(plan, dinner)
    assert b"DTSTART;TZID=America/Los_Angeles:20261208T193000\r\n" in data
    assert b"DTEND;TZID=America/Los_Angeles:20261208T213000\r\n" in data
    assert b"X-WR-TIMEZONE:America/Los_Angeles\r\n" in data
    written = icalendar.Calendar.from_ical(data)
    (zone,) = written.walk("VTIMEZONE")
    assert zone["TZID"] == "America/Los_Angeles"
    assert written.get_missing_tzids() == set()
    assert {str(z["TZNAME"]) for z in zone.walk("STANDARD")} == {"PST"}
    window = CalendarWindow(dt.date(2026, 12, 1), dt.date(2027, 1, 1), los_angeles)
    for back in (read(data), read(data, window=window)):
        assert back.problems == ()
        (again,) = back.events
        assert (again.starts_at, again.ends_at) == (dinner.starts_at, dinner.ends_at)
        assert again.on == dt.date(2026, 12, 8) and again.until is None


def test_a_plan_in_berlin_writes_local_times_across_the_change_of_the_clocks() -> None:
    import icalendar

    berlin = Zone.named("Europe/Berlin")
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1), timezone="Europe/Berlin")
    evenings = [
        # 19:00 in Berlin, the evening before the clocks go forward (CET) and after (CEST)
        netplan.Event(
            "Before", dt.date(2026, 3, 28), starts_at=dt.datetime(2026, 3, 28, 18, tzinfo=UTC)
        ),
        netplan.Event(
            "After", dt.date(2026, 3, 29), starts_at=dt.datetime(2026, 3, 29, 17, tzinfo=UTC)
        ),
        # 02:30 twice on 25 October: a local time names the first, so the second is in UTC
        netplan.Event(
            "First", dt.date(2026, 10, 25), starts_at=dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        ),
        netplan.Event(
            "Second", dt.date(2026, 10, 25), starts_at=dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        ),
        # from 02:15 the first time to 02:00 the second: 45 minutes, not minus 15
        netplan.Event(
            "Across",
            dt.date(2026, 10, 25),
            starts_at=dt.datetime(2026, 10, 25, 0, 15, tzinfo=UTC),
            ends_at=dt.datetime(2026, 10, 25, 1, tzinfo=UTC),
        ),
    ]
    data = _exported(plan, *evenings)
    lines = data.split(b"\r\n")
    assert b"DTSTART;TZID=Europe/Berlin:20260328T190000" in lines
    assert b"DTSTART;TZID=Europe/Berlin:20260329T190000" in lines
    assert b"DTSTART;TZID=Europe/Berlin:20261025T023000" in lines
    assert b"DTSTART:20261025T013000Z" in lines
    assert b"DTSTART;TZID=Europe/Berlin:20261025T021500" in lines
    assert b"DTEND:20261025T010000Z" in lines
    (zone,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert {str(z["TZNAME"]) for z in zone.subcomponents} == {"CET", "CEST"}
    back = by_uid(read(data))
    for event in evenings:
        again = back[f"{event.id}@netplan"]
        assert (again.starts_at, again.ends_at) == (event.starts_at, event.ends_at)
        assert again.on == event.on == berlin.day(event.starts_at or EPOCH)


def test_an_all_day_span_is_written_with_an_exclusive_end_and_read_back() -> None:
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1), timezone="Asia/Tokyo")
    summit = netplan.Event("Summit", dt.date(2026, 4, 15), until=dt.date(2026, 4, 17))
    fair = netplan.Event("Fair", dt.date(2026, 4, 20))
    data = _exported(plan, summit, fair)
    assert b"DTSTART;VALUE=DATE:20260415\r\nDTEND;VALUE=DATE:20260418\r\n" in data
    assert b"DTSTART;VALUE=DATE:20260420\r\nDTEND;VALUE=DATE:20260421\r\n" in data
    assert b"VTIMEZONE" not in data  # no time to put in a zone
    back = by_uid(read(data))
    assert (back["summit-2026-04-15@netplan"].on, back["summit-2026-04-15@netplan"].until) == (
        dt.date(2026, 4, 15),
        dt.date(2026, 4, 17),
    )
    assert back["fair-2026-04-20@netplan"].until is None


# -- the agenda as a calendar ---------------------------------------------------------------


def _agenda_log() -> netplan.ActivityLog:
    """Events imported from a calendar, one of them the meetup Maya's plan asks for."""
    return netplan.ActivityLog(
        [
            netplan.Event(
                "Climate meetup",
                dt.date(2026, 11, 10),
                starts_at=dt.datetime(2026, 11, 10, 17, 30, tzinfo=UTC),
                action="climate-meetup",
                uid="abc@meetup.example",
            ),
            netplan.Event("Energy fair", dt.date(2026, 11, 20), uid="fair@events.example"),
        ]
    )


def test_agenda_ics_writes_the_open_items_alone(maya: netplan.Plan) -> None:
    extra()
    import icalendar

    log = _agenda_log()
    due = netplan.agenda(maya, log, dt.date(2026, 11, 16), dt.date(2026, 12, 1))
    states = {i.key: i.state for i in due.items}
    assert states["action:any-two-events:2026-11-30"] is netplan.ItemState.PARTLY_DONE
    data = agenda_ics(maya, due)
    assert data == agenda_ics(maya, due)
    entries = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["UID"]) for e in entries] == [f"{i.key}@netplan" for i in due.items]
    assert b"meetup.example" not in data and b"events.example" not in data  # no log event
    assert b"Climate meetup" not in data and b"Energy fair" not in data
    for entry in entries:
        assert entry["DTSTAMP"].dt == dt.datetime(2026, 11, 16, tzinfo=UTC)
        assert str(entry["TRANSP"]) == "TRANSPARENT" and entry.get(ics.AGENDA_MARK) == "action"
        assert entry["DTEND"].dt - entry["DTSTART"].dt == dt.timedelta(days=1)
    quota = next(e for e in entries if "any-two-events" in str(e["UID"]))
    assert str(quota["SUMMARY"]) == "Any two events (2 by 2026-11-30) (1 of 2 done)"
    assert str(quota["DESCRIPTION"]).startswith("Due 2026-11-30\nGoals: ")
    back = read(data, "agenda.ics")
    assert back.events == ()
    assert f"{len(entries)} agenda items netplan wrote" in warnings_of(back)


def test_agenda_ics_leaves_done_and_skipped_items_out_and_puts_overdue_ones_first(
    maya: netplan.Plan,
) -> None:
    extra()
    import icalendar

    log = _agenda_log()
    start, end = dt.date(2026, 11, 9), dt.date(2026, 12, 1)
    looked = netplan.agenda(maya, log, start, end, as_of=dt.date(2026, 11, 30))
    plan = maya.skip(looked.item("action:linkedin-post:2026-11-13"))
    due = netplan.agenda(plan, log, start, end, as_of=dt.date(2026, 11, 30))
    states = {i.key: i.state for i in due.items}
    assert states["action:climate-meetup:2026-11-10"] is netplan.ItemState.DONE
    assert states["action:any-two-events:2026-11-30"] is netplan.ItemState.DONE
    assert states["action:linkedin-post:2026-11-13"] is netplan.ItemState.SKIPPED
    entries = icalendar.Calendar.from_ical(agenda_ics(plan, due)).walk("VEVENT")
    assert {str(e["UID"]): e["DTSTART"].dt for e in entries} == {
        "action:linkedin-post:2026-11-20@netplan": dt.date(2026, 11, 20),
        "action:linkedin-post:2026-11-27@netplan": dt.date(2026, 11, 27),
    }
    # An item overdue on the agenda's first day is written on that day.
    met = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg"),
            netplan.Interaction(
                "met", dt.datetime(2026, 11, 3, 18, tzinfo=UTC), contact="lena-berg"
            ),
        ]
    )
    early = netplan.agenda(maya, met, dt.date(2026, 11, 8), dt.date(2026, 11, 10))
    (overdue,) = early.items
    assert (overdue.due, overdue.overdue_days) == (dt.date(2026, 11, 5), 3)
    (entry,) = icalendar.Calendar.from_ical(agenda_ics(maya, early)).walk("VEVENT")
    assert str(entry["UID"]) == "follow_up:lena-berg:2026-11-05@netplan"
    assert entry["DTSTART"].dt == dt.date(2026, 11, 8)
    assert str(entry["DESCRIPTION"]) == "Due 2026-11-05, 3 days overdue\nFrom netplan's agenda."
    assert entry.get(ics.AGENDA_MARK) == "follow_up"


def test_agenda_ics_needs_the_extra(monkeypatch: pytest.MonkeyPatch, maya: netplan.Plan) -> None:
    due = netplan.agenda(maya, netplan.ActivityLog(), dt.date(2026, 11, 1), dt.date(2026, 11, 8))
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(netplan.PluginError, match=r"writing calendars needs the icalendar extra"):
        agenda_ics(maya, due)


@functools.cache
def _clock_changes(name: str) -> tuple[dt.datetime, ...]:
    """The instants the zone's clocks change, 1971 to 2037 (to the minute)."""
    zone = ZoneInfo(name)
    changes = []
    day = dt.datetime(1971, 1, 1, tzinfo=UTC)
    offset = day.astimezone(zone).utcoffset()
    while day.year < 2038:
        later = day + dt.timedelta(days=1)
        if later.astimezone(zone).utcoffset() != offset:
            low, high = day, later  # the change is in (low, high]
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            changes.append(high.replace(second=0, microsecond=0))
            offset = later.astimezone(zone).utcoffset()
        day = later
    return tuple(changes)


def _instants_in(name: str) -> st.SearchStrategy[dt.datetime]:
    """Any instant, or one within two hours of a change of the zone's clocks (the hour
    they skip, the one they pass twice)."""
    changes = _clock_changes(name)
    if not changes:
        return _INSTANTS
    near = st.builds(
        lambda change, quarters: change + quarters * dt.timedelta(minutes=15),
        st.sampled_from(changes),
        st.integers(-8, 8),
    )
    return _INSTANTS | near


@st.composite
def _zoned_events(draw: st.DrawFn) -> tuple[str, list[netplan.Event]]:
    """A zone, and events as a plan in it has them: a timed event on its local day
    (often when the clocks change), an all-day one over one to seven days."""
    name = draw(st.sampled_from(ZONES))
    zone = Zone.named(name)
    instants = _instants_in(name)
    events = []
    for number in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            starts = draw(instants)
            lasts = st.integers(1, 3 * 4 * 24).map(dt.timedelta(minutes=15).__mul__)
            ends = draw(st.none() | lasts | st.integers(1, 3 * 86400).map(_SECOND.__mul__))
            event = netplan.Event(
                f"Meeting {number}",
                zone.day(starts),
                starts_at=starts,
                ends_at=None if ends is None else starts + ends,
                id=f"e-{number}",
            )
        else:
            on = draw(st.dates(dt.date(1971, 1, 1), dt.date(2099, 12, 20)))
            days = draw(st.integers(0, 6))
            until = on + dt.timedelta(days=days) if days else None
            event = netplan.Event(f"Day {number}", on, until=until, id=f"e-{number}")
        events.append(event)
    return name, events


@given(_zoned_events(), st.booleans())
def test_events_of_a_plan_in_any_zone_read_back_the_same(
    drawn: tuple[str, list[netplan.Event]], windowed: bool
) -> None:
    zone, events = drawn
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1), timezone=zone)
    data = _exported(plan, *events)
    assert data == _exported(plan, *events)
    # Each zone named has its VTIMEZONE (a time the clocks pass twice is in UTC).
    assert (b"VTIMEZONE" in data) == (f";TZID={zone}:".encode() in data)
    assert zone != "UTC" or b"TZID" not in data
    window = None
    if windowed:  # as import_files reads it: in the plan's zone
        window = CalendarWindow(dt.date(1970, 1, 1), dt.date(2100, 1, 1), plan.zone.tzinfo)
    parsed = read(data, "plan.ics", window)
    assert parsed.problems == ()
    back = by_uid(parsed)
    assert len(back) == len(events)
    for event in events:
        again = back[f"{event.id}@netplan"]
        assert (again.on, again.until) == (event.on, event.until)
        assert (again.starts_at, again.ends_at) == (event.starts_at, event.ends_at)


_TEXT = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
_INSTANTS = st.datetimes(
    min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2099, 12, 30), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))


@st.composite
def _events(draw: st.DrawFn) -> list[netplan.Event]:
    events = []
    for number in range(draw(st.integers(1, 4))):
        name = " ".join(draw(st.text(_TEXT, min_size=1, max_size=40)).split())
        assume(name)
        location = draw(st.text(_TEXT, max_size=40)).strip()
        url = draw(st.sampled_from(["", "https://meetup.example/e/1", "https://x.example/a?b=c;d"]))
        uid = draw(st.sampled_from(["", f"uid-{number}@example.com", f"{number};odd,uid"]))
        starts: dt.datetime | None = None
        ends: dt.datetime | None = None
        until: dt.date | None = None
        if draw(st.booleans()):
            starts = draw(_INSTANTS)
            ends = starts + dt.timedelta(seconds=draw(st.integers(1, 3 * 86400)))
            on = starts.date()
        else:
            on = draw(st.dates(dt.date(1971, 1, 1), dt.date(2099, 12, 20)))
            more = draw(st.integers(0, 6))  # days after the first
            until = on + dt.timedelta(days=more) if more else None
        events.append(
            netplan.Event(
                name,
                on,
                starts_at=starts,
                ends_at=ends,
                until=until,
                location=location,
                url=url,
                uid=uid,
                id=f"e-{number}",
            )
        )
    return events


@given(_events())
def test_exported_events_read_back_the_same(events: list[netplan.Event]) -> None:
    extra()
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1))
    parsed = read(CalendarIcs().export(plan, netplan.ActivityLog(events)), "plan.ics")
    assert parsed.problems == ()
    back = by_uid(parsed)
    assert len(back) == len(events)
    for event in events:
        happening = back[event.uid or f"{event.id}@netplan"]
        assert happening.name == event.name
        assert (happening.on, happening.until) == (event.on, event.until)
        assert happening.starts_at == event.starts_at
        assert happening.ends_at == event.ends_at
        assert happening.location == event.location
        assert happening.url == event.url


# -- fuzzing -------------------------------------------------------------------------------


def _check(parsed: Parsed, name: str) -> None:
    assert isinstance(parsed, Parsed)
    for problem in parsed.problems:
        assert problem.source.file == name
        assert problem.source.line or problem.source.record
    for happening in parsed.events:
        assert happening.name.strip()


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _check(read(data, "fuzz.ics"), "fuzz.ics")
    ICalendar().sniff("fuzz.ics", data)


_PIECES = st.sampled_from(
    [
        b"\r\n",
        b"\n",
        b"\r\n\t",
        b" ",
        b";",
        b":",
        b'"',
        b",",
        b"\\",
        b"=0D=0A",
        b"\xff",
        b"BEGIN:VEVENT",
        b"END:VEVENT",
        b"END:VCALENDAR",
        b"BEGIN:VCALENDAR",
        b"RRULE:FREQ=DAILY",
        b"RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",
        b";COUNT=99999999",
        b";UNTIL=20991231T000000Z",
        b"EXDATE:",
        b"RDATE;VALUE=PERIOD:20260101T000000Z/PT1H",
        b"RECURRENCE-ID:20260101T000000Z",
        b"DTSTART:20260101T000000",
        b"DTEND;VALUE=DATE:20250101",
        b";TZID=Nowhere/Special",
        b"STATUS:CANCELLED",
        b"ATTENDEE;CUTYPE=ROOM:mailto:",
        b";ENCODING=QUOTED-PRINTABLE;CHARSET=bogus",
        b"X-WR-TIMEZONE:Mars/Olympus",
    ]
)
_SOURCES = [("corpus", n) for n in CORPUS_FILES] + [("fixture", n) for n in FIXTURE_FILES]


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES)
@given(
    st.sampled_from(_SOURCES),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), _PIECES | st.binary(max_size=8))),
    st.booleans(),
)
def test_mutated_calendars_never_raise(
    source: tuple[str, str], edits: list[tuple[float, int, bytes]], windowed: bool
) -> None:
    kind, name = source
    data = bytearray(corpus_file(name) if kind == "corpus" else (FIXTURES / name).read_bytes())
    for where, cut, piece in edits:
        at = int(where * len(data))
        data[at : at + cut] = piece
    window = CalendarWindow(dt.date(2025, 1, 1), dt.date(2027, 1, 1)) if windowed else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ics, "MAX_OCCURRENCES", 1000)  # the bound holds; a smaller one is quicker
        _check(read(bytes(data), name, window), name)


@pytest.mark.parametrize(
    ("cn", "name"),
    [
        ("Doe, John", "John Doe"),
        ("van der Berg, Lena M.", "Lena M. van der Berg"),
        ("John Doe, PhD", "John Doe, PhD"),
        ("John Doe, Jr.", "John Doe, Jr."),
        ("Doe, John, Jr.", "Doe, John, Jr."),
        ("Ana Silva", "Ana Silva"),
    ],
)
def test_a_last_first_name_reads_first_last(cn: str, name: str) -> None:
    assert ics._first_last(cn) == name


@pytest.mark.parametrize("freq", ["YEARLY", "MONTHLY", "DAILY"])
def test_a_rule_on_a_day_no_month_has_is_read_once_at_once(freq: str) -> None:
    # dateutil would look for the 30th of February up to the year 9999 (seconds a rule).
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:never@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Never\r\n"
        f"DTSTART:20260105T080000Z\r\nRRULE:FREQ={freq};BYMONTH=2;BYMONTHDAY=30,31,-31\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    parsed = read(text, window=CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    assert [h.on for h in parsed.events] == [dt.date(2026, 1, 5)]
    assert any("30th of February" in p.message for p in parsed.problems)
    assert ics._never({"BYMONTH": [2], "BYMONTHDAY": [29]}) is False  # leap years have it
    assert ics._never({"BYMONTH": [4], "BYMONTHDAY": [-30]}) is False


# -- what other tools write: slips repaired, bad parts left out ----------------------------


def _new_york_weekly(until: str) -> str:
    return calendar(
        "UID:ccb@test\nSUMMARY:Test\nDTSTART;TZID=America/New_York:20130923T183000\n"
        f"DTEND;TZID=America/New_York:20130923T203000\nRRULE:FREQ=WEEKLY;UNTIL={until}"
    )


def test_a_floating_until_is_read_in_the_zone_of_the_start() -> None:
    # Church Community Builder (sabre/dav's test): 18:30 New York is 23:30 UTC in
    # November, so an UNTIL read in UTC would drop the last of the 9 Mondays.
    parsed = read(_new_york_weekly("20131118T183000"))
    assert len(parsed.events) == 9
    assert parsed.events[-1].starts_at == dt.datetime(2013, 11, 18, 23, 30, tzinfo=UTC)
    assert parsed.problems == ()
    assert len(read(_new_york_weekly("20131118T233000Z")).events) == 9  # as RFC 5545 writes it
    assert len(read(_new_york_weekly("20131118T180000")).events) == 8


def test_a_dtend_before_dtstart_is_left_out_and_every_start_kept() -> None:
    # sabre/dav's HandleRDateExpandTest: DTEND 01:30 before DTSTART 02:00, four RDATEs.
    parsed = read(
        calendar(
            "UID:rdate@test\nSUMMARY:Test\n"
            "DTSTART;VALUE=DATE-TIME;TZID=Europe/Berlin:20151012T020000\n"
            "DTEND;VALUE=DATE-TIME;TZID=Europe/Berlin:20151012T013000\n"
            "RDATE;VALUE=DATE-TIME;TZID=Europe/Berlin:20151015T020000,20151017T020000,20\n"
            " 151018T020000,20151020T020000"
        )
    )
    assert [h.starts_at for h in parsed.events] == [
        dt.datetime(2015, 10, day, tzinfo=UTC) for day in (12, 15, 17, 18, 20)
    ]
    assert {h.ends_at for h in parsed.events} == {None}
    (problem,) = parsed.problems
    assert (problem.source.line, problem.source.record, problem.field) == (8, 1, "DTEND")
    assert problem.message == "ends before it starts: the end is left out"


def test_a_tzid_that_swallows_its_value_is_read_with_a_warning() -> None:
    # Exchange 2010: DTSTART;TZID="W. Europe Standard Time:20200609T090000".
    parsed = read(
        calendar(
            "UID:jira@test\nSUMMARY:Log time\n"
            'DTSTART;TZID="W. Europe Standard Time:20200609T090000"\n'
            "DTEND;TZID=W. Europe Standard Time:20200609T093000"
        )
    )
    (event,) = parsed.events
    assert (event.starts_at, event.ends_at) == (
        dt.datetime(2020, 6, 9, 7, tzinfo=UTC),
        dt.datetime(2020, 6, 9, 7, 30, tzinfo=UTC),
    )
    (problem,) = parsed.problems
    assert (problem.source.line, problem.field, problem.level) == (
        7,
        "DTSTART",
        ProblemLevel.WARNING,
    )
    assert "TZID swallows its value" in problem.message


def test_days_written_with_a_z_are_read_as_days() -> None:
    parsed = read(
        calendar(
            "UID:days@test\nSUMMARY:Fair\nDTSTART;VALUE=DATE:20141210\nRDATE:20131210Z\n"
            "RDATE:20151210Z"
        )
    )
    assert [h.on for h in parsed.events] == [dt.date(2014, 12, 10), dt.date(2015, 12, 10)]
    assert "days written with a Z: read as days" in warnings_of(parsed)


_BAD_BERLIN = (
    "BEGIN:VTIMEZONE\nTZID:{tzid}\nBEGIN:STANDARD\nDTSTART:18930401T000000\n"
    "TZNAME:CEST\nTZOFFSETFROM:+5328\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n"
)


def test_a_vtimezone_that_cannot_be_read_is_left_out_and_the_events_kept() -> None:
    # khal's test: TZOFFSETFROM:+5328, which icalendar refuses for the whole file.
    text = calendar(
        "UID:khal@test\nSUMMARY:Some event\nDTSTART;TZID=Europe/Berlin:20121202T080000\n"
        "DTEND;TZID=Europe/Berlin:20121202T093000"
    ).replace("BEGIN:VEVENT", _BAD_BERLIN.format(tzid="Europe/Berlin") + "BEGIN:VEVENT", 1)
    parsed = read(text)
    (event,) = parsed.events
    assert (event.starts_at, event.ends_at) == (
        dt.datetime(2012, 12, 2, 7, tzinfo=UTC),
        dt.datetime(2012, 12, 2, 8, 30, tzinfo=UTC),
    )
    (problem,) = parsed.problems
    assert (problem.source.line, problem.field, problem.level) == (
        4,
        "VTIMEZONE",
        ProblemLevel.WARNING,
    )
    assert problem.message.startswith("VTIMEZONE 'Europe/Berlin' cannot be read (Offset must")
    assert "read in the zone of that name" in problem.message
    # One no event uses does not matter at all.
    unused = text.replace("TZID:Europe/Berlin", "TZID:Nobody's Zone")
    quiet = read(unused)
    assert [h.starts_at for h in quiet.events] == [event.starts_at]
    assert quiet.problems == ()


def test_a_bad_line_outside_the_events_is_left_out_naming_its_line() -> None:
    text = (
        "junk before\nBEGIN:VCALENDAR\nVERSION:2.0\nnot a property\nBEGIN:VEVENT\nUID:a@test\n"
        "DTSTART:20260301T100000Z\nSUMMARY:A\nBEGIN:VALARM\nTRIGGER:soon\nEND:VALARM\n"
        "END:VEVENT\nBEGIN:VTODO\nDUE:never\nEND:VTODO\nEND:VCALENDAR\n"
    )
    parsed = read(text)
    (event,) = parsed.events
    assert event.starts_at == dt.datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert [(p.source.line, p.level) for p in parsed.problems] == [
        (1, ProblemLevel.WARNING),  # the stray line
        (4, ProblemLevel.WARNING),  # the calendar's bad line; the alarm and to-do: not read
    ]
    assert "1 line in no component" in parsed.problems[0].message


def test_a_calendar_without_end_is_read_as_far_as_it_goes() -> None:
    # icalendar would lose the calendar without a word; an END:VEVENT missing too.
    parsed = read(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a@test\nDTSTART:20260301T100000Z\n"
        "SUMMARY:A\nBEGIN:VEVENT\nUID:b@test\nDTSTART:20260302T100000Z\nSUMMARY:B\nEND:VEVENT\n"
    )
    assert [h.uid for h in parsed.events] == ["a@test", "b@test"]
    assert [(p.source.line, p.field) for p in parsed.problems] == [
        (1, "VCALENDAR"),
        (3, "VEVENT"),
    ]
    assert all("read as far as it goes" in p.message for p in parsed.problems)


def test_an_end_that_cannot_be_read_keeps_the_event_and_problems_name_lines() -> None:
    # libical's DTEND:19970701T10300Z: the event is kept; a bad start still is an error.
    parsed = read(
        calendar(
            "UID:end@test\nSUMMARY:Kept\nDTSTART:19970701T100000Z\nDTEND:19970701T10300Z",
            "UID:start@test\nSUMMARY:Out\nDTSTART:1997XXXX",
        )
    )
    (kept,) = parsed.events
    assert (kept.uid, kept.ends_at) == ("end@test", None)
    end, start = parsed.problems
    assert (end.level, end.source.line, end.source.record, end.field) == (
        ProblemLevel.WARNING,
        8,
        1,
        "DTEND",
    )
    assert "the end is left out" in end.message
    assert (start.level, start.source.line, start.source.record, start.field) == (
        ProblemLevel.ERROR,
        13,
        2,
        "DTSTART",
    )
    assert str(start.source) == "calendar.ics, line 13"


def test_itip_answers_and_cancellations_are_not_events() -> None:
    def message(method: str, body: str) -> str:
        return calendar(body).replace("VERSION:2.0", f"VERSION:2.0\nMETHOD:{method}")

    parsed = read(
        message("REQUEST", "UID:m@test\nSUMMARY:Meeting\nDTSTART:19970701T190000Z")
        + message("REPLY", "UID:m@test\nATTENDEE;PARTSTAT=ACCEPTED:mailto:b@example.com")
        + message("CANCEL", "UID:m@test\nSTATUS:CANCELLED")
    )
    assert [h.name for h in parsed.events] == ["Meeting"]
    (problem,) = parsed.problems
    assert (problem.level, problem.source.record, problem.field) == (
        ProblemLevel.WARNING,
        2,
        "METHOD",
    )
    assert "2 VEVENTs of iTIP messages" in problem.message
    assert "(METHOD:CANCEL, METHOD:REPLY): not events, left out" in problem.message


def test_google_birthdays_are_birthdays_of_people_not_events() -> None:
    # Google's "Contacts' birthdays and events": a master with COUNT=1 and RDATEs written
    # as days with a Z, and overrides under the UID without the year.
    contact = "79d389868f96182e"
    attendee = "ATTENDEE;CN=Contacts:mailto:4dhmurjkc5hn8@virtual"
    parsed = read(
        calendar(
            f"UID:2014_BIRTHDAY_{contact}@google.com\nSUMMARY:Ana Silva's birthday\n"
            "DTSTART;VALUE=DATE:20141210\nRRULE:FREQ=DAILY;COUNT=1\nRDATE:20131210Z\n" + attendee,
            f"UID:BIRTHDAY_{contact}@google.com\nSUMMARY:Ana Silva's birthday\n"
            f"DTSTART;VALUE=DATE:20131210\nRECURRENCE-ID;VALUE=DATE:20131210\n{attendee}",
            "UID:BIRTHDAY_other@google.com\nSUMMARY:Birthday of Bo Chen\n"
            "DTSTART;VALUE=DATE:20120229",
        ),
        window=CalendarWindow(dt.date(2012, 1, 1), dt.date(2016, 1, 1)),
    )
    # Days of the calendar nobody attends, with nobody met there.
    assert {(e.name, e.on.isoformat(), e.attendable, e.attendees) for e in parsed.events} == {
        ("Ana Silva's birthday", "2013-12-10", False, ()),
        ("Ana Silva's birthday", "2014-12-10", False, ()),
        ("Birthday of Bo Chen", "2012-02-29", False, ()),
    }
    assert [(p.name, p.birthday, p.emails) for p in parsed.people] == [
        ("Ana Silva", "--12-10", ()),
        ("Bo Chen", "--02-29", ()),
    ]
    assert (
        "3 events are birthdays of Google's birthday calendar: read as the birthdays of "
        "2 people, and as days nobody attends"
    ) in [problem.message for problem in parsed.problems]
    log = netplan.ActivityLog()
    plan_import(log, parsed, file="birthdays.ics", format="icalendar").apply(log)
    assert [e.attended for e in log.events()] == [False] * len(parsed.events)
    assert log.interactions() == ()
    assert sorted((c.name, c.birthday) for c in log.contacts) == [
        ("Ana Silva", "--12-10"),
        ("Bo Chen", "--02-29"),
    ]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("PErson #2's birthday", "PErson #2"),
        ("James\u2019 birthday", "James"),
        ("Birthday of Ana Silva", "Ana Silva"),
        ("Geburtstag von Jürgen Weiß", "Jürgen Weiß"),
        ("Anniversaire de Léa", "Léa"),
        ("Ana Silva - Birthday", "Ana Silva"),
        ("Ana Silva", "Ana Silva"),
    ],
)
def test_a_birthday_title_names_its_person(title: str, name: str) -> None:
    assert ics._birthday_name(title) == name


def test_a_timed_event_is_on_its_day_where_the_plan_lives(tmp_path: Path) -> None:
    # SabreDAV's "each week but two deleted": 00:30 in Berlin is the evening before in
    # UTC. A plan in Berlin counts the Berlin day, a plan in UTC the UTC day.
    extra()
    path = tmp_path / "weekly.ics"
    path.write_text(
        calendar(
            "UID:w@test\nSUMMARY:Late\nDTSTART;TZID=Europe/Berlin:20190304T003000\n"
            "RRULE:FREQ=WEEKLY;COUNT=3"
        )
    )
    days = {}
    for zone in ("Europe/Berlin", "UTC"):
        with netplan.open("memory://") as store:
            plan = store.save(netplan.Plan("Maya", start=dt.date(2019, 1, 1), timezone=zone))
            window = CalendarWindow(dt.date(2019, 3, 1), dt.date(2019, 4, 1), ZoneInfo(zone))
            netplan.import_files(store, plan.id, path, window=window, today=dt.date(2019, 4, 1))
            days[zone] = [e.on for e in store.load_log(plan.id).events()]
    assert days["Europe/Berlin"] == [dt.date(2019, 3, d) for d in (4, 11, 18)]
    assert days["UTC"] == [dt.date(2019, 3, d) for d in (3, 10, 17)]


# -- the recurrence library's work, counted (issue 14) -------------------------------------

_NEVER_RULES = (
    "FREQ=WEEKLY;BYWEEKNO=1;BYMONTH=6",
    "FREQ=YEARLY;BYYEARDAY=200;BYMONTH=1",
    "FREQ=DAILY;BYWEEKNO=1;BYMONTH=6",
    "FREQ=DAILY;BYYEARDAY=200;BYMONTH=1",
    "FREQ=HOURLY;BYWEEKNO=1;BYMONTH=6",
    "FREQ=MONTHLY;BYYEARDAY=200;BYMONTH=1",
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO",  # from a Monday's DTSTART+1: never a Monday
)


def _series(rules: list[str], start: str = "20260106T080000Z") -> bytes:
    events = [
        f"UID:n{n}@test\nSUMMARY:Never {n}\nDTSTART:{start}\nRRULE:{r}" for n, r in enumerate(rules)
    ]
    return calendar(*events).encode()


def _work(data: bytes, window: CalendarWindow | None) -> tuple[Parsed, int]:
    """``data`` read, and the steps the recurrence library took."""
    extra()
    reader = ics._Reader("never.ics", window)
    return reader.read(data), reader.work.steps


@pytest.mark.parametrize("windowed", [True, False])
def test_rules_no_day_meets_cost_a_bounded_number_of_steps_each(windowed: bool) -> None:
    # 30 such series took 128 s (dateutil looks for a match up to the year 9999): each
    # now stops SEARCH_DAYS after the end of what is read, and is read once, with a
    # warning naming its line.
    rules = [_NEVER_RULES[n % len(_NEVER_RULES)] for n in range(30)]
    if not windowed:
        rules = [f"{rule};COUNT=3" for rule in rules]  # read as far as its own end
    window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1)) if windowed else None
    parsed, steps = _work(_series(rules), window)
    assert [h.name for h in parsed.events] == [f"Never {n}" for n in range(30)]
    assert all(h.on == dt.date(2026, 1, 6) for h in parsed.events)  # its first occurrence
    skipped = [p for p in parsed.problems if "meets no day" in p.message]
    assert len(skipped) == 30 == len(parsed.problems)
    assert [(p.source.line, p.source.record, p.field) for p in skipped] == [
        (8 + 6 * n, n + 1, "RRULE") for n in range(30)
    ]
    assert "only the first occurrence read" in skipped[0].message
    # Each walks from 2026 to the end of what is read and SEARCH_DAYS past it, a day
    # (or week, month) a step, a year twelve: about 15,000 steps, not millions.
    assert 30 * 500 < steps <= 30 * (ics.SEARCH_DAYS + 400)


def test_a_rare_rule_that_meets_a_day_is_still_expanded() -> None:
    # Leap days, a Friday the 13th of February (11 years apart), and a leap day on a
    # Monday (28 years): each within SEARCH_DAYS of the window's end.
    rules = [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=13;BYDAY=FR",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    ]
    window = CalendarWindow(dt.date(2020, 1, 1), dt.date(2027, 1, 1))
    parsed, steps = _work(_series(rules, start="20000101T080000Z"), window)
    (outside,) = parsed.problems
    assert "no occurrence from 2020-01-01 to 2027-01-01" in outside.message
    assert outside.source.record == 4
    days = {}
    for happening in parsed.events:
        days.setdefault(happening.name, []).append(happening.on)
    leap = [dt.date(2020, 2, 29), dt.date(2024, 2, 29)]
    assert days["Never 0"] == days["Never 1"] == leap
    assert days["Never 2"] == [dt.date(2026, 2, 13)]
    assert "Never 3" not in days  # 2016 and 2044, none in the window: nothing is cut
    assert steps < 2 * ics.SEARCH_DAYS


def test_a_file_takes_at_most_max_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # Daily series from 2020: about 2,550 steps each to the end of 2026. With 6,000 for
    # the file, the first two are expanded and each later one is read once, named.
    monkeypatch.setattr(ics, "MAX_STEPS", 6_000)
    rules = ["FREQ=DAILY"] * 5
    window = CalendarWindow(dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    parsed, steps = _work(_series(rules, start="20200101T080000Z"), window)
    counts = {name: sum(h.name == name for h in parsed.events) for name in ("Never 0", "Never 4")}
    assert counts == {"Never 0": 31, "Never 4": 1}
    over = [p for p in parsed.problems if "more than 6,000 steps" in p.message]
    assert [p.source.record for p in over] == [3, 4, 5]
    assert steps <= 6_000


_BY = st.sampled_from(
    [
        *("BYMONTH=2", "BYMONTH=6", "BYWEEKNO=1", "BYWEEKNO=-1", "BYWEEKNO=53"),
        *("BYYEARDAY=200", "BYYEARDAY=-1", "BYMONTHDAY=31", "BYMONTHDAY=-1", "BYMONTHDAY=29"),
        *("BYDAY=MO", "BYDAY=-1FR", "BYDAY=2TU", "BYSETPOS=-1", "BYHOUR=5", "BYMINUTE=7"),
        *("INTERVAL=7", "INTERVAL=400", "BYEASTER=0", "WKST=SU"),
    ]
)
_ENDS = st.sampled_from([[], ["COUNT=2"], ["UNTIL=20990101T000000Z"]])


@pytest.mark.fuzz
@settings(max_examples=FUZZ_EXAMPLES, deadline=dt.timedelta(seconds=30))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY"]),
            st.lists(_BY, min_size=1, max_size=4, unique=True),
            _ENDS,
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_any_rules_take_at_most_max_steps(
    rules: list[tuple[str, list[str]]], windowed: bool
) -> None:
    # Whatever the rules, the file's steps are bounded, and so (the deadline: generous,
    # for slow machines) is the time. A smaller bound is quicker, and holds the same.
    written = [";".join([f"FREQ={freq}", *parts, *end]) for freq, parts, end in rules]
    window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1)) if windowed else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ics, "MAX_STEPS", 40_000)
        patch.setattr(ics, "MAX_OCCURRENCES", 1000)
        parsed, steps = _work(_series(written), window)
    _check(parsed, "never.ics")
    assert steps <= 40_000
