"""Hostile text cannot hurt the person through an export (issue 14): whatever a file put
into a contact, an event, a plan or an agenda item (line breaks, a lone CR, control
characters, ``: ; , \\``, characters beyond the BMP, a leading ``= + - @``), every
exporter writes it without raising, as one value of one record, and netplan's own
importers (``csv`` for the CSV) read back exactly the records written, as they read any
file (names on one line, emails lowercased...)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import netplan
from netplan.core._validation import ID_PATTERN
from netplan.core.agenda import Agenda, AgendaItem, ItemKind
from netplan.core.importing import CalendarWindow, Parsed, ProblemLevel, profile_key
from netplan.formats import vcard
from netplan.formats.exports import ContactsCsv, ContactsVcard, PlanJson, neutralise
from netplan.formats.icalendar import CalendarIcs, ICalendar, agenda_ics


def extra() -> None:
    for module in ("icalendar", "recurring_ical_events", "x_wr_timezone"):
        pytest.importorskip(module, reason="the icalendar extra is not installed")


# -- hostile text -------------------------------------------------------------------------

_NASTY = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\n",
        "\t",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x7f",
        "\x85",
        "\u2028",
        "\ufeff",
        ":",
        ";",
        ",",
        "\\",
        "\\n",
        "\\N",
        "\\,",
        '"',
        "'",
        "<",
        ">",
        "=",
        "+",
        "-",
        "@",
        " ",
        "\U0001f600",
        "\U00010348",
        "BEGIN:VCARD",
        "END:VCARD",
        "BEGIN:VEVENT",
        "END:VCALENDAR",
        '=HYPERLINK("http://evil.example")',
        "mailto:",
        "tel:",
        "\u00e9",
    ]
)
_CHARS = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))  # not NUL
TEXT = st.lists(_NASTY | st.text(_CHARS, max_size=4), max_size=6).map("".join)
"""Any text without NUL: control characters and line breaks, the separators of vCard,
iCalendar and CSV, escapes already escaped, characters beyond the BMP."""
CELLS = TEXT | st.tuples(st.sampled_from(list("=+-@\t\r\n")), TEXT).map("".join)
"""Text, often starting the way a spreadsheet formula does."""
NAMES = CELLS.filter(str.strip)
"""Text a name can be (not blank)."""
IDS = st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 20)
BIRTHDAYS = st.sampled_from(["", "--12-25", "--02-29", "1990-02-28", "2001-07-04"])


@st.composite
def logs(draw: st.DrawFn) -> netplan.ActivityLog:
    """A log of contacts (some at an organization) and events, every text field hostile."""
    organizations = [
        netplan.Organization(draw(NAMES), id=f"org-{n}") for n in range(draw(st.integers(0, 2)))
    ]
    records: list[Any] = list(organizations)
    for number in range(draw(st.integers(0, 3))):
        company = draw(st.sampled_from([None, *(o.id for o in organizations)]))
        records.append(
            netplan.Contact(
                draw(NAMES),
                emails=draw(st.lists(CELLS, max_size=3)),
                phones=draw(st.lists(CELLS, max_size=2)),
                organization=company,
                role=draw(CELLS),
                tags=draw(st.frozensets(IDS, max_size=3)),
                met_how=draw(CELLS),
                met_where=draw(CELLS),
                profiles=draw(st.lists(CELLS, max_size=2)),
                notes=draw(CELLS),
                nickname=draw(CELLS),
                birthday=draw(BIRTHDAYS),
                other_companies=draw(st.lists(CELLS, max_size=2)),
                tier=draw(st.none() | IDS),
                sources=draw(st.frozensets(CELLS, max_size=2)),
                id=f"c-{number}",
            )
        )
    for number in range(draw(st.integers(0, 3))):
        on = draw(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))
        starts = None
        if draw(st.booleans()):
            starts = dt.datetime.combine(on, dt.time(18, 30), tzinfo=dt.UTC)
        records.append(
            netplan.Event(
                draw(NAMES),
                on,
                starts_at=starts,
                location=draw(CELLS),
                url=draw(CELLS),
                uid=draw(CELLS),
                id=f"e-{number}",
            )
        )
    return netplan.ActivityLog(records)


PLANS = st.builds(
    lambda person, plan_id, zone: netplan.Plan(
        person, start=dt.date(2026, 1, 1), timezone=zone, id=plan_id
    ),
    NAMES,
    IDS,
    st.sampled_from(["UTC", "Europe/Berlin", "America/Los_Angeles"]),
)


# -- what an importer makes of a value (its documented normalisation) -------------------


def _breaks(text: str) -> str:
    """Line breaks as netplan's readers give them: CRLF and a lone CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unique(values: list[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def _phone(value: str) -> str:
    phone = _breaks(value).strip()
    return phone[4:].strip() if phone[:4].lower() == "tel:" else phone


def _lines_of(data: bytes) -> list[bytes]:
    """The physical lines of a CRLF file (none of which may be cut by a value)."""
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    return lines


def _no_errors(parsed: Parsed) -> None:
    assert [p for p in parsed.problems if p.level is ProblemLevel.ERROR] == []


# -- contacts -----------------------------------------------------------------------------


@given(PLANS, logs())
def test_the_contacts_csv_is_one_row_per_contact_each_cell_its_value(
    plan: netplan.Plan, log: netplan.ActivityLog
) -> None:
    data = ContactsCsv().export(plan, log)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, *body = rows
    assert len(body) == len(log.contacts)
    organizations = log.organizations_by_id()
    for row, contact in zip(body, log.contacts, strict=True):
        assert len(row) == len(header)
        cells = dict(zip(header, row, strict=True))
        company = organizations.get(contact.organization or "")
        written = {
            "Name": contact.name,
            "Emails": "; ".join(contact.emails),
            "Phones": "; ".join(contact.phones),
            "Company": company.name if company else "",
            "Role": contact.role,
            "Tags": "; ".join(sorted(contact.tags)),
            "Profiles": "; ".join(contact.profiles),
            "Met how": contact.met_how,
            "Met where": contact.met_where,
            "Notes": contact.notes,
            "Nickname": contact.nickname,
            "Birthday": contact.birthday,
            "Other companies": "; ".join(contact.other_companies),
            "Tier": contact.tier or "",
            "Sources": "; ".join(sorted(contact.sources)),
            "Id": contact.id,
        }
        for column, value in written.items():
            # Exactly the value, a leading "'" where a spreadsheet would run a formula.
            assert cells[column] == neutralise(value), column
            assert not cells[column].startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


def _expected_person(contact: netplan.Contact, company: str) -> dict[str, Any]:
    """What :class:`netplan.formats.vcard.VCard` reads of ``contact``'s card."""
    emails = [vcard._email(e) for e in contact.emails]
    return {
        "name": _one_line(contact.name),
        "emails": tuple(_unique([e for e in emails if vcard._is_address(e)])),
        "phones": tuple(_unique([_phone(p) for p in contact.phones])),
        "profiles": tuple(_unique([profile_key(_breaks(p).strip()) for p in contact.profiles])),
        "company": _one_line(company),
        "role": _one_line(contact.role),
        "notes": _breaks(contact.notes).strip(),
        "nickname": _one_line(contact.nickname),
        "birthday": contact.birthday,
        "tags": contact.tags - {"mycontacts"},
    }


@pytest.mark.parametrize("version", vcard.VERSIONS)
@given(plan=PLANS, log=logs())
def test_a_vcard_export_reads_back_as_the_contacts_written(
    version: str, plan: netplan.Plan, log: netplan.ActivityLog
) -> None:
    data = vcard.write_vcards(plan, log, version=version)
    if version == "4.0":
        assert ContactsVcard().export(plan, log) == data
    if log.contacts:
        lines = _lines_of(data)
        # One card per contact: no value starts a line of its own.
        assert lines.count(b"BEGIN:VCARD") == len(log.contacts)
        assert lines.count(b"END:VCARD") == len(log.contacts)
        assert all(len(line) <= 75 for line in lines)
        assert all(line[:1] == b" " or re.match(rb"[A-Z]+[;:]", line) for line in lines)
    else:
        assert data == b""
        return
    parsed = vcard.VCard().read("contacts.vcf", data)
    _no_errors(parsed)
    people = list(parsed.people)
    assert len(people) == len(log.contacts)
    organizations = log.organizations_by_id()
    for person, contact in zip(people, log.contacts, strict=True):
        company = organizations.get(contact.organization or "")
        expected = _expected_person(contact, company.name if company else "")
        read = {key: getattr(person, key) for key in expected}
        assert read == expected


@given(PLANS, logs())
def test_the_plan_json_reads_back_as_the_plan_and_log(
    plan: netplan.Plan, log: netplan.ActivityLog
) -> None:
    import json

    document = json.loads(PlanJson().export(plan, log))
    assert netplan.from_data(document["plan"]) == plan
    assert netplan.from_data(document["log"]) == log


# -- calendars ------------------------------------------------------------------------------


def _unescape(value: str) -> str:
    """An RFC 5545 TEXT value, unescaped in one pass (icalendar leaves an X- property's
    value as written)."""
    return re.sub(
        r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value, flags=re.DOTALL
    )


def _calendar_checks(data: bytes, name: str, events: int) -> None:
    """One calendar, named ``name``, of ``events`` VEVENTs: no value starts a line."""
    import icalendar

    lines = _lines_of(data)
    assert lines.count(b"BEGIN:VCALENDAR") == lines.count(b"END:VCALENDAR") == 1
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == events
    (calendar,) = icalendar.Calendar.from_ical(data, multiple=True)
    assert len(calendar.walk("VEVENT")) == events
    raw = calendar["X-WR-CALNAME"]
    assert _unescape(getattr(raw, "ical_value", None) or str(raw)) == _breaks(name)


def _uid(event: netplan.Event) -> str:
    return _breaks(event.uid).strip() if event.uid.strip() else f"{event.id}@netplan"


@given(PLANS, logs())
def test_a_calendar_export_reads_back_as_the_events_written(
    plan: netplan.Plan, log: netplan.ActivityLog
) -> None:
    extra()
    events = log.events()
    uids = [_uid(e) for e in events]
    assume(len(set(uids)) == len(uids))  # one event per UID, as in any calendar
    assume(not any(re.match(r"(?i)(\d{4}_)?birthday_", u) for u in uids))  # Google's
    data = CalendarIcs().export(plan, log)
    _calendar_checks(data, f"netplan: {plan.person}", len(events))
    parsed = ICalendar().read("plan.ics", data)
    assert [p.message for p in parsed.problems] == ([] if events else ["holds no events (VEVENT)"])
    back = {h.uid: h for h in parsed.events}
    assert len(back) == len(events)
    for event, uid in zip(events, uids, strict=True):
        happening = back[uid]
        assert happening.name == _one_line(event.name)
        assert happening.on == event.on
        assert happening.starts_at == event.starts_at
        lines = _breaks(event.location).split("\n")
        assert happening.location == ", ".join(x.strip() for x in lines if x.strip())
        assert happening.url == _breaks(event.url).strip()


@st.composite
def agendas(draw: st.DrawFn) -> Agenda:
    start = dt.date(2026, 11, 2)
    items = []
    for number in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(list(ItemKind)))
        subject = draw(CELLS)
        items.append(
            AgendaItem(
                kind,
                start + dt.timedelta(days=number),
                draw(NAMES),
                1.0,
                0,
                contact=subject if kind is not ItemKind.ACTION else None,
                action=subject if kind is ItemKind.ACTION else None,
                goals=tuple(draw(st.lists(CELLS, max_size=2))),
            )
        )
    keys = [i.key for i in items]
    assume(len(set(map(_breaks, keys))) == len(keys))
    return Agenda(start, start + dt.timedelta(days=28), start, tuple(items))


@given(PLANS, agendas())
def test_an_agenda_export_is_one_reminder_per_item_and_no_event(
    plan: netplan.Plan, due: Agenda
) -> None:
    extra()
    import icalendar

    data = agenda_ics(plan, due)
    _calendar_checks(data, f"netplan agenda: {plan.person}", len(due.items))
    entries = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in entries] == [_breaks(i.reason) for i in due.items]
    assert [str(e["UID"]) for e in entries] == [_breaks(f"{i.key}@netplan") for i in due.items]
    parsed = ICalendar().read("agenda.ics", data)
    assert parsed.events == ()  # reminders, never events
    _no_errors(parsed)
    if due.items:
        assert f"{len(due.items)} agenda item" in parsed.problems[0].message


@given(PLANS, logs())
def test_a_calendar_with_the_agenda_of_a_window_never_raises(
    plan: netplan.Plan, log: netplan.ActivityLog
) -> None:
    extra()
    # Birthdays put each contact's name into a reminder's title.
    plan = attrs.evolve(plan, birthday_tiers=frozenset({"a"}))
    log = netplan.ActivityLog(
        [
            *log.organizations,
            *(attrs.evolve(c, tier="a", birthday=c.birthday or "--06-01") for c in log.contacts),
            *log.events(),
        ]
    )
    window = CalendarWindow(dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    due = netplan.agenda(plan, log, window.start, window.end, as_of=window.start)
    birthdays = [i for i in due.items if i.kind is ItemKind.BIRTHDAY]
    assert len(birthdays) >= len(log.contacts)
    data = CalendarIcs().within(window).export(plan, log)
    lines = _lines_of(data)
    assert lines.count(b"BEGIN:VCALENDAR") == 1
    assert lines.count(b"BEGIN:VEVENT") == len(log.events()) + sum(i.is_open for i in due.items)
    parsed = ICalendar().read("plan.ics", data)
    _no_errors(parsed)


def test_half_a_character_is_written_as_a_replacement_character() -> None:
    # A JSON file can hold "\ud800" alone, which no UTF-8 can: no export raises for it.
    extra()
    plan = netplan.Plan("Maya \ud800", start=dt.date(2026, 1, 1))
    log = netplan.ActivityLog(
        [
            netplan.Contact("Ana \udfff", notes="\ud800", profiles=("x\ud800",)),
            netplan.Event("Talk \ud800", dt.date(2026, 5, 1), url="https://x.example/\ud800"),
        ]
    )
    (row,) = list(csv.DictReader(io.StringIO(ContactsCsv().export(plan, log).decode("utf-8-sig"))))
    assert (row["Name"], row["Notes"]) == ("Ana \ufffd", "\ufffd")
    (ana,) = vcard.VCard().read("c.vcf", ContactsVcard().export(plan, log)).people
    assert (ana.name, ana.notes, ana.profiles) == ("Ana \ufffd", "\ufffd", ("x\ufffd",))
    (talk,) = ICalendar().read("p.ics", CalendarIcs().export(plan, log)).events
    assert (talk.name, talk.url) == ("Talk \ufffd", "https://x.example/\ufffd")
    import json

    document = json.loads(PlanJson().export(plan, log))  # escaped: read back as it was
    assert netplan.from_data(document["plan"]) == plan
    assert netplan.from_data(document["log"]) == log


# -- what was seen ---------------------------------------------------------------------------

_INJECTED = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:Injected"


@pytest.mark.parametrize("field", ["name", "location", "url", "uid"])
def test_a_hostile_event_field_is_one_value_of_one_event(field: str) -> None:
    # A calendar's URL (or any text) with a line break made every later export fail.
    extra()
    values = {"name": "Meetup", "location": "", "url": "", "uid": ""} | {field: _INJECTED}
    event = netplan.Event(on=dt.date(2026, 12, 1), id="meetup", **values)
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1))
    data = CalendarIcs().export(plan, netplan.ActivityLog([event]))
    assert _lines_of(data).count(b"BEGIN:VEVENT") == 1
    (happening,) = ICalendar().read("plan.ics", data).events
    read = {"name": happening.name, "location": happening.location}
    read.update(url=happening.url, uid=happening.uid)
    lines = _breaks(_INJECTED).split("\n")
    expected = {"name": " ".join(lines), "location": ", ".join(lines)}
    assert read[field] == expected.get(field, "\n".join(lines))


def test_a_persons_name_with_a_line_break_is_one_calendar_even_under_python_o() -> None:
    # icalendar asserts that a line holds no line break: with `python -O` the assert went,
    # and a second VCALENDAR came in.
    extra()
    script = (
        "import datetime as dt, sys, netplan\n"
        "from netplan.formats.icalendar import CalendarIcs, agenda_ics\n"
        "plan = netplan.Plan('Maya\\r\\nEND:VCALENDAR\\r\\nBEGIN:VCALENDAR',"
        " start=dt.date(2026, 1, 1))\n"
        "due = netplan.agenda(plan, netplan.ActivityLog(), dt.date(2026, 1, 1),"
        " dt.date(2026, 2, 1))\n"
        "for data in (CalendarIcs().export(plan, netplan.ActivityLog()), agenda_ics(plan, due)):\n"
        "    sys.stdout.write(str(data.split(b'\\r\\n').count(b'BEGIN:VCALENDAR')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", script], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, "11"), done.stderr


def test_a_vcard_url_with_escaped_line_breaks_stays_one_card() -> None:
    # A card's URL "x\nEND:VCARD\nBEGIN:VCARD..." came back as a card of its own.
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\n"
        "URL:https://x.example/\\nEND:VCARD\\nBEGIN:VCARD\\nFN:Mallory\r\nEND:VCARD\r\n"
    )
    (ana,) = vcard.VCard().read("in.vcf", card.encode()).people
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1))
    log = netplan.ActivityLog([netplan.Contact(ana.name, profiles=ana.profiles)])
    again = vcard.VCard().read("out.vcf", ContactsVcard().export(plan, log)).people
    assert [(p.name, p.profiles) for p in again] == [("Ana", ana.profiles)]
