"""vCards and calendars as other projects' test suites hold them (the shared external
corpus, ``../shared/corpus/peers``): what the vCard and iCalendar readers make of the
quirks those files carry, beyond the MANIFEST's expected values that ``test_peers.py``
checks through ``import_files``.

The corpus lives outside the repository (GPL, AGPL, LGPL, MPL, Apache, BSD and MIT
files: read at test time, never copied here); where it is absent every test is skipped
naming the path. Each behaviour is also tested without it, on a small inline file, in
``test_vcard.py`` and ``test_icalendar.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import netplan
from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.core.importing import CalendarWindow, Parsed, Problem, ProblemLevel
from netplan.formats.icalendar import ICalendar
from netplan.formats.vcard import VCard

PEERS = SHARED / "peers"
pytestmark = pytest.mark.skipif(not (PEERS / "MANIFEST.tsv").is_file(), reason=missing(PEERS))
UTC = dt.UTC


@functools.cache
def manifest() -> dict[str, dict[str, str]]:
    with (PEERS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        return {row["file"]: row for row in csv.DictReader(f, delimiter="\t")}


def kept_all(parsed: Parsed) -> tuple[Problem, ...]:
    """The problems of ``parsed`` but the note of properties netplan has no place for."""
    return tuple(p for p in parsed.problems if "has no place for" not in p.message)


def entries(prefix: str) -> list[str]:
    if not (PEERS / "MANIFEST.tsv").is_file():
        return []
    return [name for name in manifest() if name.startswith(prefix)]


def window(entry: str) -> CalendarWindow:
    start, end = manifest()[entry]["window"].split("..")
    return CalendarWindow(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def expected(entry: str, key: str) -> list[str]:
    """The values the MANIFEST gives ``entry`` for ``key`` (``~`` ones included)."""
    found = []
    for assertion in manifest()[entry]["expected"].split("; "):
        name, _, value = assertion.strip().removeprefix("~").partition("=")
        if name == key:
            found.append(value)
    return found


def read(entry: str) -> Parsed:
    data = (PEERS / entry).read_bytes()
    name = Path(entry).name
    if entry.startswith("vcard/"):
        return VCard().read(name, data)
    pytest.importorskip("recurring_ical_events", reason="the icalendar extra is not installed")
    return ICalendar().within(window(entry)).read(name, data)


def warnings_of(parsed: Parsed) -> str:
    return "\n".join(str(p) for p in parsed.problems if p.level is ProblemLevel.WARNING)


@pytest.mark.parametrize("entry", entries("vcard/") + entries("ics/"))
def test_every_entry_reads_without_error_and_every_problem_names_its_line(entry: str) -> None:
    parsed = read(entry)
    assert parsed.errors == ()
    for problem in parsed.problems:
        assert problem.source.file == Path(entry).name
        assert problem.source.line, str(problem)


@pytest.mark.parametrize("entry", [e for e in entries("vcard/") if expected(e, "bday")])
def test_a_birthday_the_source_states_is_read_or_a_warning(entry: str) -> None:
    (bday,) = expected(entry, "bday")
    parsed = read(entry)
    try:
        birthday = netplan.read_birthday(bday)
    except ValueError:  # khard's "circa 1800"
        assert f"birthday {bday!r} cannot be read" in warnings_of(parsed)
        assert parsed.people  # the card is kept
    else:
        assert birthday in {p.birthday for p in parsed.people}


def test_monica_names_a_card_by_its_nickname() -> None:
    parsed = read("vcard/monica_vcard_stub.vcf")
    assert [(p.name, p.nickname, p.birthday) for p in parsed.people] == [
        ("Bono", "", "1960-05-10"),
        ("John Doe", "", ""),
        ("Johnny", "Johnny", ""),
    ]
    assert kept_all(parsed) == ()


def test_evolutions_evil_card_and_the_card_without_begin() -> None:
    evil = read("vcard/eds_vcard_13.vcf")
    (ralf,) = evil.people
    assert ralf.emails == ("frank_dawson@lotus.com",)
    assert ralf.phones == ("+1-919-676-9515", "+1-919-676-9564")
    (problem,) = kept_all(evil)
    assert (problem.source.line, problem.field) == (13, "EMAIL")
    assert VCard().sniff("eds_vcard_7.vcf", (PEERS / "vcard/eds_vcard_7.vcf").read_bytes()) == 0.9
    headless = read("vcard/eds_vcard_7.vcf")
    (frank,) = headless.people
    assert (frank.name, frank.company) == ("Frank Dawson", "Lotus Development Corporation")
    assert "no BEGIN:VCARD" in warnings_of(headless)


def test_calendar_slips_are_repaired() -> None:
    until = read("ics/sabre_UntilRespectsTimezoneTest.ics")
    assert len(until.events) == 9
    assert until.events[-1].starts_at == dt.datetime(2013, 11, 18, 23, 30, tzinfo=UTC)
    rdates = read("ics/sabre_HandleRDateExpandTest.ics")
    (starts,) = expected("ics/sabre_HandleRDateExpandTest.ics", "starts")
    assert {h.starts_at for h in rdates.events} == {
        dt.datetime.fromisoformat(s.replace("Z", "+00:00")) for s in starts.split(",")
    }
    exchange = read("ics/nodeical_ms_timezones.ics")
    assert dt.datetime(2020, 6, 9, 7, tzinfo=UTC) in {h.starts_at for h in exchange.events}
    assert "TZID swallows its value" in warnings_of(exchange)


def test_a_bad_vtimezone_and_bad_events_leave_the_rest_of_the_file() -> None:
    khal = read("ics/khal_invalid_tzoffset.ics")
    (event,) = khal.events
    assert (event.starts_at, event.ends_at) == (
        dt.datetime(2012, 12, 2, 7, tzinfo=UTC),
        dt.datetime(2012, 12, 2, 8, 30, tzinfo=UTC),
    )
    assert "VTIMEZONE 'Europe/Berlin' cannot be read" in warnings_of(khal)
    libical = read("ics/libical_incoming.ics")
    text = warnings_of(libical)
    assert "libical_incoming.ics, line 17 (DTEND): warning: cannot be read" in text
    assert "7 VEVENTs of iTIP messages" in text
    assert {h.uid for h in libical.events} >= {
        "calsrv.example.com-873970198738776@example.com",  # kept without its bad DTEND
        "calsrv.example.com-1001@example.com",
    }


def test_googles_birthdays_are_a_persons_birthday() -> None:
    parsed = read("ics/icaljs_google_birthday.ics")
    (person,) = parsed.people
    days = {
        dt.date.fromisoformat(d)
        for d in expected("ics/icaljs_google_birthday.ics", "days")[0].split(",")
    }
    assert {e.on for e in parsed.events} == days
    assert not any(e.attendable or e.attendees for e in parsed.events)
    assert {(day.month, day.day) for day in days} == {(12, 10)}
    assert (person.name, person.birthday, person.emails) == ("PErson #2", "--12-10", ())


@pytest.mark.parametrize(
    ("entry", "zone"),
    [
        ("ics/rie_each_week_but_two_deleted.ics", "Europe/Berlin"),
        ("ics/allenporter_office_360_nz_tz.ics", "Pacific/Auckland"),
    ],
)
def test_days_are_the_calendars_own_in_a_plan_that_lives_there(entry: str, zone: str) -> None:
    # check_peers.py keeps its plans in UTC, where these timed events fall on the day
    # before: netplan counts an event on its local day in the plan's zone, on purpose.
    pytest.importorskip("recurring_ical_events", reason="the icalendar extra is not installed")
    span = window(entry)
    with netplan.open("memory://") as store:
        plan = store.save(netplan.Plan("Peers", start=dt.date(2000, 1, 1), timezone=zone))
        netplan.import_files(
            store,
            plan.id,
            PEERS / entry,
            window=CalendarWindow(span.start, span.end, ZoneInfo(zone)),
            today=span.end,
        )
        days = {e.on for e in store.load_log(plan.id).events()}
    for listed in expected(entry, "days"):
        assert days == {dt.date.fromisoformat(d) for d in listed.split(",")}
    for day in expected(entry, "day"):
        assert dt.date.fromisoformat(day) in days
