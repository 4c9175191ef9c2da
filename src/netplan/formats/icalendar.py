"""iCalendar files (``.ics``): events read into :class:`~netplan.core.importing.Happening`
records, and a plan's events and agenda written back for any calendar app
(:class:`CalendarIcs`), or its agenda alone (:func:`agenda_ics`).

Reading and writing need the ``icalendar`` extra (``pip install 'networking-action-plan[icalendar]'``):
icalendar parses the files (Windows zone names and vendor TZID prefixes included),
recurring-ical-events expands a series with its EXDATE, RDATE and RECURRENCE-ID
overrides, and x-wr-timezone applies Google's calendar zone (``X-WR-TIMEZONE``). They are
imported when a file is read or written, never when this module is: sniffing works
without them, and reading without them gives one error naming the extra.

What :class:`ICalendar` copes with, beyond what icalendar does on its own:

* several VCALENDARs back to back (Outlook 11), a bare VEVENT without VCALENDAR, a
  UTF-8 byte-order mark, TAB folding;
* floating times (no zone) and unknown TZIDs (``TZID=UTC+0``, which icalendar leaves
  without a zone): read in the calendar's X-WR-TIMEZONE when it has one (x-wr-timezone
  applies it), else in the window's zone, with one warning per file naming that zone
  (told from the events as written, before x-wr-timezone gives them its zone);
* all-day events over several days: DTEND is exclusive, so 15 to 18 April is read as
  ``on`` 15 April, ``until`` 17 April (each occurrence of a series over its own span);
* ``ENCODING=QUOTED-PRINTABLE`` text (Outlook 11), which icalendar leaves encoded;
* ``BYDAY=MO, TU`` (spaces in an RRULE, Microsoft CDO) and an empty EXDATE value
  (Google): repaired with a warning;
* a quoted TZID that swallows its value (Exchange's
  ``TZID="W. Europe Standard Time:20200609T090000"``) and days written with a Z
  (Google's ``RDATE:20131210Z``): repaired with a warning; a rule's UNTIL without zone
  against a zoned start: read in the start's zone (Church Community Builder);
* a DTEND before DTSTART: left out with a warning before expanding (recurring-ical-events
  would swap them); an end, duration or RDATE that cannot be read: left out with a
  warning, the event kept;
* a file icalendar refuses as a whole for one bad part outside the events (a VTIMEZONE
  with an impossible offset, a calendar property or an alarm it cannot parse, a stray
  line) or would lose silently (an END missing or mismatched): read part by part
  (:class:`_Salvage`), the bad parts left out, each named by its line when it matters (a
  VTIMEZONE no event uses does not);
* STATUS:CANCELLED occurrences, declined attendees, rooms, resources and groups: left
  out; so are the VEVENTs of iTIP answers, cancellations and counter-proposals
  (``METHOD:REPLY``...), which are not events;
* Google Calendar's birthdays of contacts (``BIRTHDAY_...@google.com``): read as people
  with a birthday (``--MM-DD``), and as days of the calendar nobody attends;
* a VEVENT without UID: read, with uid ``""`` (netplan then knows it by name and day).

Reading never raises for bad content; every problem names the file and the VEVENT's
record number (1-based, counting VEVENTs through the file) and its line (the property's
the problem is about, else its BEGIN's), or the line of the part of the file it is
about. The work is bounded, counted rather than timed: at most :data:`MAX_OCCURRENCES`
occurrences per file; a series denser than :data:`MAX_CANDIDATES` candidate instants from
its start to the end of the window is not expanded; the recurrence library takes at most
:data:`MAX_STEPS` steps (periods of a rule examined) for a file's series, and looks at
most :data:`SEARCH_DAYS` past the end of what is read for a series' next occurrence (a
rule no day can meet would have it look to the year 9999). A series cut short by a bound
has its first occurrence read, with a warning naming its line. A timed event's ``on`` is its
day in the zone the file gives it (its TZID; the calendar's X-WR-TIMEZONE for a UTC or
floating time); its instants are given in UTC.

Writing (:class:`CalendarIcs`) puts timed events in the plan's zone (``TZID``, with the
VTIMEZONE it needs), all-day events over their span, and the agenda's open items as
all-day reminders (:func:`agenda_ics` writes those alone); reading the file back gives
the same instants, days and spans, and leaves the reminders out. Every text is escaped as
netplan writes it (line breaks, a lone CR included: no value can start a property, an
event or a calendar of its own), and a URL a URI cannot hold (a line break, a backslash)
is written escaped too: reading the file back gives the same names, places, URLs and
UIDs.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import quopri
import re
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeGuard

import attrs
from attrs import frozen
from dateutil import tz

from netplan.core import _rrule
from netplan.core.agenda import Agenda, AgendaItem, ItemState, agenda
from netplan.core.errors import NotFoundError, PluginError
from netplan.core.importing import (
    CalendarWindow,
    Happening,
    Parsed,
    Person,
    Problem,
    ProblemLevel,
    Source,
    decode_text,
)
from netplan.core.instants import EPOCH
from netplan.core.log import ActivityLog
from netplan.core.plan import Plan
from netplan.core.zones import UTC_ZONE, Zone

if TYPE_CHECKING:
    from icalendar import Calendar, Component

__all__ = [
    "MAX_CANDIDATES",
    "MAX_OCCURRENCES",
    "MAX_STEPS",
    "SEARCH_DAYS",
    "CalendarIcs",
    "ICalendar",
    "agenda_ics",
]

MAX_OCCURRENCES = 50_000
"""Occurrences read from one file; the rest are left out with a warning."""
MAX_CANDIDATES = 1_000_000
"""Instants a recurrence rule may run through, from its start to the end of what is read
(a rule is expanded from its first occurrence on): a denser series (every minute since
2020) has only its first occurrence read, with a warning."""

MAX_STEPS = 1_000_000
"""Steps the recurrence library may take expanding the recurring series of one file:
each period of a rule it examines (a day, a week, a month; a year counts twelve). A
series that would take more than what is left has only its first occurrence read, with
a warning."""
SEARCH_DAYS = _rrule.SEARCH_DAYS
"""Days (forty years) past the end of what is read that the recurrence library may look
for a series' next occurrence before it stops; a rule repeating within a day looks as
many of its intervals, at least a day. A rule that finds none by then (one no day can
meet: ``BYWEEKNO=1;BYMONTH=6``) has only its first occurrence read, with a warning."""

READ_EXTRA = (
    "reading calendars needs the icalendar extra: pip install 'networking-action-plan[icalendar]'"
)
WRITE_EXTRA = (
    "writing calendars needs the icalendar extra: pip install 'networking-action-plan[icalendar]'"
)
PRODID = "-//netplan//netplan//EN"
AGENDA_MARK = "X-NETPLAN-AGENDA"
"""Marks the agenda items :class:`CalendarIcs` writes: reminders, not events, so reading
the file back leaves them out."""

_RECORD = "X-NETPLAN-RECORD"  # carries a VEVENT's record number through expansion
_UNREADABLE = "X-NETPLAN-UNREADABLE"  # marks a VEVENT no part of which could be read
_SNIFF_BYTES = 4096
_VIDEO_CALL = re.compile(
    r"zoom\.us/|zoomgov\.com/|teams\.microsoft\.com/|teams\.live\.com/|meet\.google\.com/"
    r"|webex\.com/",
    re.IGNORECASE,
)
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply)(?:[+._-].*)?$", re.IGNORECASE)
_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "GROUP"})
_TIMING = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_DATE_PROPERTIES = ("DTSTART", "DTEND", "RDATE", "EXDATE", "RECURRENCE-ID")
_DAYS_WITH_Z = re.compile(r"\d{8}Z(?:,\d{8}Z)*")
_NOT_EVENTS = frozenset({"REPLY", "CANCEL", "COUNTER", "DECLINECOUNTER", "REFRESH"})
"""iTIP methods (RFC 5546) whose VEVENTs answer, cancel or counter an invitation."""
_GOOGLE_BIRTHDAY = re.compile(r"(?:\d{4}_)?BIRTHDAY_([^@\s]+)@google\.com", re.IGNORECASE)
"""The UIDs of Google Calendar's birthdays of contacts: ``BIRTHDAY_<contact>@google.com``,
and ``2014_BIRTHDAY_...`` for one year's."""
_BIRTHDAY_TITLES = (
    re.compile(r"(?P<name>.+?)(?:'s|\u2019s|'|\u2019)\s+birthday", re.IGNORECASE),
    re.compile(
        r"(?:birthday(?:\s+of)?|geburtstag(?:\s+von)?|anniversaire(?:\s+de)?"
        r"|cumpleaños(?:\s+de)?|compleanno(?:\s+di)?|aniversário(?:\s+de)?"
        r"|verjaardag(?:\s+van)?)\s*[:\-\u2013]?\s+(?P<name>.+)",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<name>.+?)\s*[:\-\u2013]\s*birthday", re.IGNORECASE),
)
_PERIODS = {"YEARLY": 366, "MONTHLY": 31, "WEEKLY": 7, "DAILY": 1}
_PER_DAY = {"HOURLY": 24, "MINUTELY": 24 * 60, "SECONDLY": 24 * 60 * 60}
_EARLIEST = dt.date(1000, 1, 1)
_LATEST = dt.date(9000, 1, 1)
_PADDING = dt.timedelta(days=1)  # each zone's day sits within a day of any other's


# -- reading -------------------------------------------------------------------------------


@frozen
class ICalendar:
    """Reads iCalendar files (``.ics``) from Google Calendar, Outlook, Apple Calendar,
    Thunderbird and event sites (Meetup, Facebook, WordPress): every occurrence of every
    VEVENT a :class:`~netplan.core.importing.Happening`, recurring series expanded within
    ``window``.

    Without a window (reading the bytes directly), a series is expanded as far as its own
    COUNT or UNTIL; a series without end has only its first occurrence read, with a
    warning. :func:`netplan.import_files` always gives one.
    """

    name: str = "icalendar"
    description: str = (
        "iCalendar (.ics) files from calendar apps and event sites: events and attendees."
    )
    window: CalendarWindow | None = None

    def within(self, window: CalendarWindow) -> Self:
        """A copy that expands recurring events over ``window`` and reads floating times
        in its zone (those of a calendar with an X-WR-TIMEZONE are read in that one)."""
        return attrs.evolve(self, window=window)

    def sniff(self, name: str, head: bytes) -> float:
        """0.95 for content starting with ``BEGIN:VCALENDAR`` (after a byte-order mark or
        blank space), 0.6 for another file named ``.ics``, else 0."""
        if _starts_calendar(head[:_SNIFF_BYTES]):
            return 0.95
        return 0.6 if name.lower().endswith(".ics") else 0.0

    def read(self, name: str, data: bytes) -> Parsed:
        """The occurrences of the events of ``data``; never raises for bad content."""
        try:
            import icalendar  # noqa: F401
            import recurring_ical_events  # type: ignore[import-untyped]  # noqa: F401
            import x_wr_timezone  # type: ignore[import-untyped]  # noqa: F401
        except ImportError:
            return Parsed((), (Problem(Source(name, line=1), READ_EXTRA, level="error"),))
        return _Reader(name, self.window).read(data)


def _starts_calendar(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip()[:15].upper() == b"BEGIN:VCALENDAR"


class _Reader:
    """One file being read: its problems, and what it has counted for its warnings."""

    def __init__(self, name: str, window: CalendarWindow | None) -> None:
        self.name = name
        self.window = window
        self.zone: dt.tzinfo = dt.UTC if window is None else window.zone
        self.problems: list[Problem] = []
        self.happenings: list[Happening] = []
        self.records = 0
        self.budget = MAX_OCCURRENCES
        self.cut: int | None = None
        """The record at which the budget ran out."""
        self.floating: dict[str, list[int]] = {}
        """Records with a floating start, by the zone they are read in."""
        self.unknown_zones: dict[tuple[str, str], list[int]] = {}
        """Records with a TZID icalendar does not know, by TZID and the zone read in."""
        self.no_uid: list[int] = []
        self.cancelled: list[int] = []
        self.agenda_items: list[int] = []
        self.outside: list[int] = []
        self.untitled: set[int] = set()
        self.itip: dict[str, list[int]] = {}
        """Records of iTIP replies, cancellations and counter-proposals, by METHOD."""
        self.people: list[Person] = []
        self.unattendable: set[int] = set()
        """The records of events nobody attends (Google's birthdays)."""
        self.birthdays: set[str] = set()
        """Google's ids of the people whose birthday has been read."""
        self.birthday_records: list[int] = []
        self.bad_zones: list[tuple[int, str, str]] = []
        """VTIMEZONEs used but left out: their line, TZID and icalendar's complaint."""
        self.work = _rrule.Work(end=_LATEST, search_days=SEARCH_DAYS, max_steps=MAX_STEPS)
        """The recurrence library's work on the file's series."""

    def source(self, record: int) -> Source:
        return Source(self.name, record=record)

    def warn(self, record: int | None, message: str, field: str = "") -> None:
        where = Source(self.name, line=1) if record is None else self.source(record)
        self.problems.append(Problem(where, message, field))

    def error(self, record: int | None, message: str, field: str = "") -> None:
        where = Source(self.name, line=1) if record is None else self.source(record)
        self.problems.append(Problem(where, message, field, ProblemLevel.ERROR))

    def read(self, data: bytes) -> Parsed:
        text, _ = decode_text(data)
        # catch_warnings is process-wide: calendars read on several threads at once may
        # trade warnings, never lose one.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            components, lines = self.parse(text)
            if components is not None:
                calendars = [c for c in components if c.name in ("VCALENDAR", "VEVENT")]
                if not calendars:
                    self.error(None, "holds no VCALENDAR: not an iCalendar file")
                for component in calendars:
                    if self.cut is not None:
                        break
                    self.calendar(component)
                if calendars and not self.records:
                    self.warn(None, "holds no events (VEVENT)")
        self.report_warnings(caught, text)
        self.summarise()
        self.place(text, lines)
        return Parsed(tuple(self.people), tuple(self.problems), events=tuple(self.happenings))

    def parse(self, text: str) -> tuple[Sequence[Component] | None, list[_Line] | None]:
        """The file's components, and the content lines they were read from (unfolded,
        each with the line it starts on; None for the file's own).

        When icalendar refuses the whole file for one bad part (a property of the
        calendar, a VTIMEZONE, an alarm, a stray line), or would silently lose a calendar
        whose END is missing or mismatched, the parts are read one by one and the bad
        ones left out: a warning names the line of each that matters."""
        import icalendar

        salvage: _Salvage | None = None
        failure: Exception | None = None
        if not _balanced(text):
            salvage = _Salvage(_content_lines(text))
        if salvage is None or not salvage.found:
            try:
                components: Sequence[Component] = icalendar.Calendar.from_ical(text, multiple=True)
            except Exception as error:  # icalendar raises several kinds on bad bytes
                failure = error
            else:
                return components, None
            salvage = salvage or _Salvage(_content_lines(text))
            if not salvage.found:
                self.error(None, f"cannot be read as iCalendar: {_message(failure)}")
                return None, []
        kept = salvage.run()
        try:
            components = icalendar.Calendar.from_ical(
                "\n".join(content for _, content in kept), multiple=True
            )
        except Exception as error:  # a part that fails only with the others: no guess
            self.error(None, f"cannot be read as iCalendar: {_message(failure or error)}")
            return None, []
        self.salvaged(salvage, kept)
        return components, kept

    def salvaged(self, salvage: _Salvage, lines: list[_Line]) -> None:
        """The problems of the parts :class:`_Salvage` left out or closed."""
        if salvage.stray:
            count = _many(len(salvage.stray), "line", "lines")
            self.warn_at(
                salvage.stray[0],
                f"{count} in no component (outside BEGIN ... END, or an END that ends "
                "none): ignored",
            )
        for block in salvage.unclosed:
            if block.name in ("VCALENDAR", "VEVENT"):
                self.warn_at(
                    block.begin[0],
                    f"BEGIN:{block.name} has no END:{block.name}: read as far as it goes",
                    block.name,
                )
        for line, name, error in salvage.dropped:
            self.warn_at(line, f"cannot be read ({error}): left out", name)
        used = "\n".join(content for _, content in lines)
        for line, tzid, error in salvage.zones:
            if tzid and re.search(f';TZID="?{re.escape(tzid)}"?[;:]', used, re.IGNORECASE):
                self.bad_zones.append((line, tzid, error))
            # else: a VTIMEZONE nobody uses does not matter
        for line, name, error in salvage.lost:
            self.problems.append(
                Problem(
                    Source(self.name, line=line),
                    f"{name} cannot be read ({error}): left out",
                    name,
                    ProblemLevel.ERROR,
                )
            )

    def warn_at(self, line: int, message: str, field: str = "") -> None:
        self.problems.append(Problem(Source(self.name, line=line), message, field))

    def place(self, text: str, lines: list[_Line] | None) -> None:
        """Each problem about an event (a record) also names its line: the property's
        it is about when the event has it, else its BEGIN:VEVENT's."""
        if not any(p.source.record and not p.source.line for p in self.problems):
            return
        places = _event_places(_content_lines(text) if lines is None else lines)
        if len(places) < self.records:
            return  # VEVENTs icalendar counts and the lines do not: records only
        for index, problem in enumerate(self.problems):
            record = problem.source.record
            if not record or problem.source.line or record > len(places):
                continue
            place = places[record - 1]
            line = place.get(problem.field.upper())
            if line is None and problem.field.upper() in _CALENDAR_FIELDS:
                continue
            where = Source(self.name, line=line or place[""], record=record)
            self.problems[index] = attrs.evolve(problem, source=where)

    def report_warnings(self, caught: list[warnings.WarningMessage], text: str) -> None:
        """The libraries' warnings about the file (a guessed zone) become problems, at
        the line they are about when it can be told; a warning about code (a deprecation)
        is passed on as it came."""
        seen: set[str] = set()
        for warning in caught:
            if issubclass(warning.category, (DeprecationWarning, FutureWarning)):
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
                continue
            message = str(warning.message)
            if message in seen:
                continue
            seen.add(message)
            self.problems.append(Problem(Source(self.name, line=_line_of(message, text)), message))

    def calendar(self, component: Component) -> None:
        import icalendar
        import x_wr_timezone

        calendar: Component = component
        if component.name == "VEVENT":
            calendar = icalendar.Calendar()
            calendar.add_component(component)
        # x-wr-timezone reads floating times in the calendar's zone, silently: which
        # starts float is told from the events as written, before it does.
        written = calendar.walk("VEVENT")
        calendar_zone = str(calendar.get("X-WR-TIMEZONE", "")).strip()
        try:
            calendar = x_wr_timezone.to_standard(calendar)
        except Exception as error:  # an unknown X-WR-TIMEZONE, mostly
            self.warn(
                self.records + 1 if written else None,
                f"X-WR-TIMEZONE {calendar_zone!r} cannot be applied ({_message(error)}): "
                "times are read as the events give them",
                "X-WR-TIMEZONE",
            )
        events = calendar.walk("VEVENT")
        if len(written) != len(events):  # x-wr-timezone keeps them all, in order
            written = events
        method = str(calendar.get("METHOD", "")).strip().upper()
        groups: dict[tuple[str, int], list[tuple[int, Component]]] = {}
        for event, as_written in zip(events, written, strict=True):
            self.records += 1
            record = self.records
            if method in _NOT_EVENTS:
                # An invitation's answer, cancellation or counter-proposal (iTIP): about
                # an event, not one.
                self.itip.setdefault(method, []).append(record)
                continue
            birthday = _GOOGLE_BIRTHDAY.match(str(event.get("UID", "")).strip())
            if birthday is not None:
                # The person's birthday, and a day of the calendar nobody attends.
                self.birthday(record, event, birthday.group(1))
                self.unattendable.add(record)
            clean = self.clean(record, event)
            if clean is None:
                continue
            self.check_zone(record, as_written, clean, calendar_zone)
            uid = str(clean.get("UID", "")).strip()
            # Events without UID share nothing: each is a group of its own.
            groups.setdefault((uid, 0) if uid else ("", record), []).append((record, clean))
        for (uid, _), members in groups.items():
            if self.cut is not None:
                break
            self.group(uid, members)

    def clean(self, record: int, event: Component) -> Component | None:
        """A copy of ``event`` fit to expand (its own properties, repaired where it is
        safe), or None when it cannot be read (the problem is reported)."""
        import icalendar

        if event.get(AGENDA_MARK) is not None:
            self.agenda_items.append(record)
            return None
        if event.get(_UNREADABLE) is not None:
            return None  # reported with its line when the file was read
        copy = icalendar.Event()
        for key, value in event.items():
            copy[key] = value
        copy[_RECORD] = icalendar.vText(str(record))
        # x-wr-timezone's copies lose ``errors``: the unparsed values themselves tell.
        broken = {
            str(key).upper(): str(getattr(item, "parse_error", "") or "unreadable value")
            for key, value in event.items()
            for item in _listed(value)
            if isinstance(item, icalendar.vBroken)
        }
        for prop, message in broken.items():
            if prop in _DATE_PROPERTIES and self.repair_dates(record, copy, prop):
                continue
            if prop == "RRULE" and self.repair_rule(record, copy):
                continue
            if prop == "EXDATE" and self.repair_exdate(record, copy):
                continue
            if prop in ("DTEND", "DURATION", "RDATE"):
                # What netplan needs is the start: the event is kept without its end, or
                # without the occurrences the bad RDATE adds.
                kept = [i for i in _listed(copy.get(prop)) if not isinstance(i, icalendar.vBroken)]
                del copy[prop]
                if prop == "RDATE" and kept:
                    copy[prop] = kept[0] if len(kept) == 1 else kept
                what = "the dates it adds are" if prop == "RDATE" else "the end is"
                self.warn(record, f"cannot be read: {message}; {what} left out", prop)
                continue
            if prop in _TIMING:
                self.error(record, f"cannot be read: {message}; the event is left out", prop)
                return None
        start = _dt(copy.get("DTSTART"))
        if not isinstance(start, dt.date):  # none, several, or a bare time
            self.error(record, "has no start day (DTSTART): the event is left out", "DTSTART")
            return None
        self.check_end(record, copy, start)
        self.check_until(copy, start)
        if not copy.get("UID"):
            self.no_uid.append(record)
        return copy

    def check_end(self, record: int, event: Component, start: dt.date) -> None:
        """A DTEND before DTSTART is left out (with a warning) before the series is
        expanded: recurring-ical-events would swap the two, moving the start."""
        end = _dt(event.get("DTEND"))
        if not isinstance(end, dt.date) or isinstance(end, dt.datetime) != isinstance(
            start, dt.datetime
        ):
            return
        if isinstance(end, dt.datetime) and isinstance(start, dt.datetime):
            if (end.tzinfo is None) != (start.tzinfo is None):
                return
            if end.tzinfo is not None:
                # In UTC: Python compares two times of one zone by the clock, and the
                # second pass through an hour the clocks repeat would come first.
                end, start = end.astimezone(dt.UTC), start.astimezone(dt.UTC)
            if end >= start:
                return
        elif end >= start:
            return
        del event["DTEND"]
        self.warn(record, "ends before it starts: the end is left out", "DTEND")

    def check_until(self, event: Component, start: dt.date) -> None:
        """A rule's UNTIL without zone against a start with one is read in the start's
        zone (RFC 5545 wants it in UTC; Church Community Builder writes it local), as
        sabre/dav does: otherwise dateutil reads it in UTC and drops the last
        occurrence of an evening series west of Greenwich."""
        import icalendar

        if not isinstance(start, dt.datetime) or start.tzinfo is None:
            return
        rules = _listed(event.get("RRULE"))
        fixed: list[Any] = []
        for rule in rules:
            untils = _listed(rule.get("UNTIL")) if isinstance(rule, dict) else []
            if not any(isinstance(u, dt.datetime) and u.tzinfo is None for u in untils):
                fixed.append(rule)
                continue
            local = icalendar.vRecur(rule)
            # In UTC, as RFC 5545 writes it: the rule is written out again to be expanded,
            # and a zone of its own would be lost on the way.
            local["UNTIL"] = [
                u.replace(tzinfo=start.tzinfo).astimezone(dt.UTC)
                if isinstance(u, dt.datetime) and u.tzinfo is None
                else u
                for u in untils
            ]
            fixed.append(local)
        if fixed and any(a is not b for a, b in zip(fixed, rules, strict=True)):
            event["RRULE"] = fixed[0] if len(fixed) == 1 else fixed

    def repair_dates(self, record: int, event: Component, prop: str) -> bool:
        """A date property whose broken values are one of two known slips, read with a
        warning: a quoted TZID that swallows the value (Exchange's
        ``TZID="W. Europe Standard Time:20200609T090000"``), and days written with a Z
        (Google's birthdays: ``RDATE:20131210Z``)."""
        import icalendar

        listed = _listed(event.get(prop))
        repaired: list[Any] = []
        slips: set[str] = set()
        for item in listed:
            if not isinstance(item, icalendar.vBroken):
                repaired.append(item)
                continue
            raw = str(item).strip()
            tzid = str(item.params.get("TZID", "")) if item.params else ""
            try:
                if not raw and ":" in tzid:
                    tzid, _, raw = tzid.rpartition(":")
                    slips.add(f"its TZID swallows its value (a stray quote): read as TZID={tzid}")
                elif _DAYS_WITH_Z.fullmatch(raw):
                    raw, tzid = raw.replace("Z", ""), ""
                    slips.add("days written with a Z: read as days")
                else:
                    return False
                kind: Any = (
                    icalendar.vDDDLists if prop in ("RDATE", "EXDATE") else icalendar.vDDDTypes
                )
                value = kind(kind.from_ical(raw.strip(), timezone=tzid.strip() or None))
            except Exception:  # not one of the two slips after all
                return False
            repaired.append(value)
        del event[prop]
        event[prop] = repaired[0] if len(repaired) == 1 else repaired
        for slip in sorted(slips):
            self.warn(record, slip, prop)
        return True

    def birthday(self, record: int, event: Component, contact: str) -> None:
        """A VEVENT of Google's birthday calendar: the birthday of a person (named by
        the title, "Ana Silva's birthday"), not an event anyone attended."""
        self.birthday_records.append(record)
        if contact.lower() == "self" or contact in self.birthdays:
            return  # the account's own birthday, or a person already read
        day = _dt(event.get("DTSTART"))
        name = _birthday_name(_text(event.get("SUMMARY")))
        if not isinstance(day, dt.date) or not name:
            self.warn(record, "a birthday without a day or a name: left out", "DTSTART")
            return
        self.birthdays.add(contact)
        self.people.append(
            Person(name, self.source(record), birthday=f"--{day.month:02d}-{day.day:02d}")
        )

    def repair_rule(self, record: int, event: Component) -> bool:
        import icalendar

        rules = event.get("RRULE")
        listed = rules if isinstance(rules, list) else [rules]
        repaired: list[Any] = []
        for rule in listed:
            if isinstance(rule, icalendar.vBroken):
                if not re.search(r"\s", str(rule)):
                    return False
                try:
                    rule = icalendar.vRecur.from_ical(re.sub(r"\s+", "", str(rule)))
                except Exception:  # not a matter of spaces: reported as it is
                    return False
                rule = icalendar.vRecur(rule)
            repaired.append(rule)
        event["RRULE"] = repaired[0] if len(repaired) == 1 else repaired
        self.warn(record, "has spaces between RRULE values: read without them", "RRULE")
        return True

    def repair_exdate(self, record: int, event: Component) -> bool:
        import icalendar

        exdates = event.get("EXDATE")
        listed = exdates if isinstance(exdates, list) else [exdates]
        broken = [e for e in listed if isinstance(e, icalendar.vBroken)]
        if any(str(e).strip() for e in broken):
            return False
        kept = [e for e in listed if not isinstance(e, icalendar.vBroken)]
        del event["EXDATE"]
        if kept:
            event["EXDATE"] = kept[0] if len(kept) == 1 else kept
        self.warn(record, "has an empty EXDATE value: ignored", "EXDATE")
        return True

    def check_zone(
        self, record: int, as_written: Component, clean: Component, calendar_zone: str
    ) -> None:
        """Counts a floating start, or one with a TZID icalendar does not know, as
        ``as_written`` gives it, under the zone it is read in: the calendar's
        X-WR-TIMEZONE when x-wr-timezone gave ``clean`` that zone, else the window's."""
        start = as_written.get("DTSTART")
        value = _dt(start)
        if not isinstance(value, dt.datetime) or value.tzinfo is not None:
            return
        read = _dt(_get(clean, "DTSTART"))
        zone = _zone_name(self.zone, self.window)
        if isinstance(read, dt.datetime) and read.tzinfo is not None and calendar_zone:
            zone = f"{calendar_zone} (the calendar's X-WR-TIMEZONE)"
        tzid = str(start.params.get("TZID", "")).strip()
        if tzid:
            self.unknown_zones.setdefault((tzid, zone), []).append(record)
        else:
            self.floating.setdefault(zone, []).append(record)

    def group(self, uid: str, members: list[tuple[int, Component]]) -> None:
        """Every occurrence of the events sharing ``uid`` (a series, its overrides), or
        of one event."""
        first = members[0][0]
        budget, cut = self.budget, self.cut
        token = _rrule.WORK.set(self.work)
        try:
            try:
                recurring, found = self.occurrences(uid, members)
            except _rrule.Unbounded as bound:
                # Too much work for the recurrence library: the series as written.
                self.budget, self.cut = budget, cut
                self.warn(first, f"{bound}: only the first occurrence read", "RRULE")
                recurring, found = self.occurrences(uid, members, only_first=True)
        except Exception as error:  # icalendar and recurring-ical-events raise many kinds
            self.error(first, f"cannot be read: {_message(error)}", _culprit(error))
            return
        finally:
            _rrule.WORK.reset(token)
        if recurring and not found and self.window is not None and self.cut is None:
            self.outside.append(first)
        found.sort(key=lambda h: (h.on, h.starts_at or EPOCH))
        self.happenings.extend(found)

    def occurrences(
        self, uid: str, members: list[tuple[int, Component]], *, only_first: bool = False
    ) -> tuple[bool, list[Happening]]:
        """Whether ``members`` recur, and their occurrences (the first alone with
        ``only_first``).

        Raises:
            _rrule.Unbounded: the series takes the recurrence library more work than allowed.
        """
        import icalendar
        import recurring_ical_events

        first = members[0][0]
        masters = [e for _, e in members if e.get("RECURRENCE-ID") is None]
        rules = [r for e in masters for r in _listed(e.get("RRULE"))]
        recurring = bool(rules) or any(e.get("RDATE") is not None for e in masters)
        series = recurring or len(masters) < len(members)
        days = [_day(_get(e, "DTSTART").dt) for _, e in members]
        start, end = min(days), max(days) + dt.timedelta(days=1)
        if recurring and not only_first:
            start, end, only_first = self.span(first, masters, rules, start, end)
        occurrences: Iterator[Component]
        if only_first:
            # The series as written: expanding it is what is being avoided.
            occurrences = iter(_as_written(e) for e in masters[:1] if self.take(first))
        else:
            calendar = icalendar.Calendar()
            for _, event in members:
                calendar.add_component(event)
            # The recurrence library looks past what is read for the next occurrence:
            # from the end of what is read (or the series' start) on, for so long.
            self.work.end = _rrule.later(max(end, min(days)), 1)
            bounded = _bounded_series()
            if bounded is None:
                query = recurring_ical_events.of(calendar)
            else:
                selection = recurring_ical_events.ComponentsWithName("VEVENT", series=bounded)
                query = recurring_ical_events.of(calendar, components=[selection])
            occurrences = self.expand(query, first, start, end, _density(rules))
        written = dict(members)
        found: list[Happening] = []
        for occurrence in occurrences:
            happening = self.happening(occurrence, uid, series, written)
            if happening is not None:
                found.append(happening)
        return recurring, found

    def span(
        self,
        record: int,
        masters: list[Component],
        rules: list[Any],
        start: dt.date,
        end: dt.date,
    ) -> tuple[dt.date, dt.date, bool]:
        """The days to expand a series over, and whether to read its first occurrence
        only (a series without end and no window, or one too dense to expand)."""
        first = min(_day(_get(e, "DTSTART").dt) for e in masters) if masters else start
        for rdate in (d for e in masters for d in _dates(e.get("RDATE"))):
            end = max(end, rdate + dt.timedelta(days=1))
        only_first = False
        if self.window is not None:
            start, end = self.window.start, self.window.end
        elif any(_endless(rule) for rule in rules):
            only_first = True
            end = _LATEST
            self.warn(
                record,
                "recurring without end: only the first occurrence read; import through "
                "import_files, which gives a window",
                "RRULE",
            )
        else:
            for rule in rules:
                end = max(end, _last_day(rule, first))
        end = min(end, _LATEST)
        density = _density(rules)
        candidates = max(0, (end - min(first, start)).days) * density
        if candidates > MAX_CANDIDATES and not only_first:
            only_first = True
            self.warn(
                record,
                f"repeats too often to expand ({candidates:,} instants from its start to the "
                f"end of what is read, more than {MAX_CANDIDATES:,}): only the first "
                "occurrence read",
                "RRULE",
            )
        never = [rule for rule in rules if _never(rule)]
        if never and not only_first and len(never) == len(rules):
            # dateutil looks for a match up to the year 9999, period by period: seconds
            # for one daily rule, and nothing to find.
            only_first = True
            self.warn(
                record,
                "repeats on a day no month has (such as the 30th of February): only the "
                "first occurrence read",
                "RRULE",
            )
        return max(start, _EARLIEST), end, only_first

    def take(self, record: int) -> bool:
        """Whether one more occurrence fits in the file's budget (it is counted)."""
        if self.budget <= 0:
            self.cut = record if self.cut is None else self.cut
            return False
        self.budget -= 1
        return True

    def expand(
        self, query: Any, record: int, start: dt.date, end: dt.date, density: int
    ) -> Iterator[Any]:
        """The occurrences starting on days ``[start, end)`` (each in its own zone), in
        spans short enough that none can hold more than what is left of the budget."""
        day = start
        while day < end and self.budget > 0:
            stop = min(end, day + dt.timedelta(days=max(1, self.budget // density)))
            for occurrence in query.between(day - _PADDING, stop + _PADDING):
                if not day <= _day(_get(occurrence, "DTSTART").dt) < stop:
                    continue
                if not self.take(record):
                    return
                yield occurrence
            day = stop
        if day < end and self.cut is None:
            self.cut = record  # the budget ran out on a span's last occurrence

    def happening(
        self, event: Component, uid: str, series: bool, written: dict[int, Component]
    ) -> Happening | None:
        """The occurrence ``event`` of the VEVENTs ``written`` (by record number)."""
        record = int(str(_get(event, _RECORD)))
        if str(event.get("STATUS", "")).strip().upper() == "CANCELLED":
            self.cancelled.append(record)
            return None
        own = written.get(record)
        if own is not None and own.get("RRULE") is None and own.get("RDATE") is None:
            # A VEVENT that does not recur (an event, an occurrence's override) is its
            # own occurrence: its times as written. recurring-ical-events's copies count
            # in wall-clock time, which loses the second pass through an hour the clocks
            # repeat (a UTC time X-WR-TIMEZONE puts there).
            begins = _get(own, "DTSTART").dt
            ends = _end(own, begins)
        else:
            begins = _get(event, "DTSTART").dt
            ends = _get(event, "DTEND").dt if event.get("DTEND") is not None else None
        starts_at: dt.datetime | None = None
        ends_at: dt.datetime | None = None
        if isinstance(begins, dt.datetime):
            starts_at = self.aware(begins)
            if isinstance(ends, dt.datetime):
                ends_at = self.aware(ends)
                if ends_at < starts_at:
                    self.warn(record, "ends before it starts: the end is left out", "DTEND")
                    ends_at = None
                elif ends_at == starts_at:
                    ends_at = None  # no DTEND (recurring-ical-events makes it the start)
        until: dt.date | None = None
        if not isinstance(begins, dt.datetime) and _is_day(ends):
            # An all-day event's DTEND is the day after its last (recurring-ical-events
            # gives each occurrence its own, from DTEND or DURATION).
            last = ends - dt.timedelta(days=1)
            until = last if last > begins else None
        name = " ".join(_text(event.get("SUMMARY")).split())
        if not name:
            name = "Untitled event"
            if record not in self.untitled:
                self.untitled.add(record)
                self.warn(record, "has no title (SUMMARY): named 'Untitled event'", "SUMMARY")
        if uid and series:
            recurrence = event.get("RECURRENCE-ID")
            uid = f"{uid}@{_instant_key(recurrence.dt if recurrence is not None else begins)}"
        location = ", ".join(
            line.strip() for line in _text(event.get("LOCATION")).split("\n") if line.strip()
        )
        url = _text(event.get("URL")).strip() or _text(event.get("X-ORIGINAL-URL")).strip()
        described = " ".join(
            (
                location,
                url,
                _text(event.get("DESCRIPTION")),
                _text(event.get("X-GOOGLE-CONFERENCE")),
            )
        )
        return Happening(
            name,
            _day(begins),
            self.source(record),
            starts_at=starts_at,
            ends_at=ends_at,
            until=until,
            uid=uid,
            location=location,
            url=url,
            online=bool(_VIDEO_CALL.search(described)),
            # The "Contacts" calendar itself is the one attendee of a birthday: nobody.
            attendees=() if record in self.unattendable else _attendees(event, self.source(record)),
            attendable=record not in self.unattendable,
        )

    def aware(self, value: dt.datetime) -> dt.datetime:
        """``value`` as an instant in UTC, a floating time read in the window's zone. In
        UTC, as the log keeps it: Python never finds a local time the clocks pass twice
        equal to a time of another zone, so a zoned instant would not compare."""
        local = value if value.tzinfo is not None else value.replace(tzinfo=self.zone)
        return local.astimezone(dt.UTC)

    def summarise(self) -> None:
        """The warnings counted through the file, each once."""
        for zone, records in self.floating.items():
            events = _many(len(records), "event has", "events have")
            self.warn(records[0], f"{events} floating times (no zone): read in {zone}", "DTSTART")
        unknown = {name for name, _ in self.unknown_zones}
        for line, tzid, error in self.bad_zones:
            then = (
                "a zone icalendar does not know either: its times are read as floating (below)"
                if tzid in unknown
                else "its times are read in the zone of that name"
            )
            self.warn_at(
                line, f"VTIMEZONE {tzid!r} cannot be read ({error}): left out; {then}", "VTIMEZONE"
            )
        for (name, zone), records in self.unknown_zones.items():
            events = _many(len(records), "event", "events")
            self.warn(
                records[0],
                f"TZID {name!r} is not a zone icalendar knows ({events}): read as floating "
                f"times, in {zone}",
                "DTSTART",
            )
        if self.no_uid:
            events = _many(len(self.no_uid), "event has", "events have")
            self.warn(self.no_uid[0], f"{events} no UID: each is known by its name and day", "UID")
        if self.cancelled:
            count = _many(len(self.cancelled), "occurrence", "occurrences")
            self.warn(
                self.cancelled[0], f"{count} cancelled (STATUS:CANCELLED): left out", "STATUS"
            )
        if self.agenda_items:
            items = _many(len(self.agenda_items), "agenda item", "agenda items")
            self.warn(
                self.agenda_items[0],
                f"{items} netplan wrote (reminders, not events): left out",
                AGENDA_MARK,
            )
        if self.outside and self.window is not None:
            series = _many(len(self.outside), "recurring series has", "recurring series have")
            self.warn(
                self.outside[0],
                f"{series} no occurrence from {self.window.start} to {self.window.end}: "
                "widen the window to read them",
                "RRULE",
            )
        if self.itip:
            records = sorted(r for listed in self.itip.values() for r in listed)
            methods = ", ".join(f"METHOD:{m}" for m in sorted(self.itip))
            self.warn(
                records[0],
                f"{_many(len(records), 'VEVENT', 'VEVENTs')} of iTIP messages that answer, "
                f"cancel or counter an invitation ({methods}): not events, left out",
                "METHOD",
            )
        if self.birthday_records:
            events = _many(
                len(self.birthday_records), "event is a birthday", "events are birthdays"
            )
            people = _many(len(self.people), "person", "people")
            self.warn(
                self.birthday_records[0],
                f"{events} of Google's birthday calendar: read as the birthdays of "
                f"{people}, and as days nobody attends",
                "UID",
            )
        if self.cut is not None:
            self.warn(
                self.cut,
                f"the file has more than {MAX_OCCURRENCES:,} occurrences: the rest are left out",
            )


@functools.cache
def _bounded_series() -> type[Any] | None:
    """recurring-ical-events's ``Series``, its rules bounded by :func:`netplan.core._rrule.bounded` (None
    when either library does not offer what this needs)."""
    import recurring_ical_events

    bounded = _rrule.bounded_rule()
    base: Any = getattr(recurring_ical_events, "Series", None)
    rules: Any = getattr(base, "RecurrenceRules", None)
    if bounded is None or rules is None or not callable(getattr(rules, "rrulestr", None)):
        return None
    selection: Any = getattr(recurring_ical_events, "ComponentsWithName", None)
    try:
        takes_series = "series" in inspect.signature(selection).parameters
    except (TypeError, ValueError):  # not a class whose signature can be read
        takes_series = False
    if not takes_series:
        return None

    class Rules(rules):  # type: ignore[misc]
        def rrulestr(self, rule_string: str) -> Any:
            return _rrule.bounded(super().rrulestr(rule_string))

    return type("BoundedSeries", (base,), {"RecurrenceRules": Rules})


# -- reading what icalendar refuses as a whole ---------------------------------------------

_Line = tuple[int, str]
"""A content line, unfolded, and the line of the file it starts on."""

_BEGIN_END = re.compile(r"^(BEGIN|END)(?:;[^:]*)?:(.*)$", re.IGNORECASE)
_MARKERS = re.compile(
    r"^(BEGIN|END)(?:;[^:\n]*)?:[ \t]*([^\n]*?)[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_PROPERTY_NAME = re.compile(r"[A-Z0-9-]{1,60}")
_CALENDAR_FIELDS = frozenset({"X-WR-TIMEZONE"})
"""Fields of the calendar's own, which a problem about its first event may name."""
_SALVAGE_PARSES = 5_000
"""Trial parses :class:`_Salvage` may make of one file's parts."""


def _content_lines(text: str) -> list[_Line]:
    """``text``'s content lines, unfolded as icalendar unfolds them (a line starting
    with a space or a tab continues the one before, blank lines between them ignored),
    each with the line of the file it starts on; blank lines left out."""
    lines: list[_Line] = []
    for number, physical in enumerate(text.split("\n"), 1):
        if physical[:1] in (" ", "\t") and lines:
            start, content = lines[-1]
            lines[-1] = (start, content + physical[1:])
        elif physical:
            lines.append((number, physical))
    return lines


def _balanced(text: str) -> bool:
    """Whether every BEGIN of ``text`` is ended, by an END of its own name, before its
    parent's: what icalendar needs not to close the wrong component."""
    stack: list[str] = []
    for kind, name in _MARKERS.findall(text):
        if kind.upper() == "BEGIN":
            stack.append(name.upper())
        elif stack and stack[-1] == name.upper():
            stack.pop()
        else:
            return False
    return not stack


def _begin_end(content: str) -> tuple[str, str] | None:
    """``("BEGIN", "VEVENT")`` for a BEGIN line (or END), else None."""
    found = _BEGIN_END.match(content)
    if found is None:
        return None
    return found.group(1).upper(), found.group(2).strip().upper()


def _event_places(lines: list[_Line]) -> list[dict[str, int]]:
    """For each VEVENT of a VCALENDAR (or a bare one), in the order icalendar walks
    them: the line of its BEGIN (key ``""``) and of the first of each of its own
    properties."""
    places: list[dict[str, int]] = []
    stack: list[tuple[str, dict[str, int] | None]] = []
    for line, content in lines:
        marker = _begin_end(content)
        if marker is not None and marker[0] == "BEGIN":
            name = marker[1]
            read = not stack or stack[0][0] in ("VCALENDAR", "VEVENT")
            place: dict[str, int] | None = None
            if name == "VEVENT" and read:
                place = {"": line}
                places.append(place)
            stack.append((name, place))
        elif marker is not None:
            while stack and stack.pop()[0] != marker[1]:
                continue
        elif stack:
            own = stack[-1][1]
            if own is not None:
                own.setdefault(re.split(r"[;:]", content, maxsplit=1)[0].strip().upper(), line)
    return places


class _Block:
    """A component as written: its BEGIN line, its properties and components in order,
    its END line (None when the file never ends it)."""

    def __init__(self, name: str, begin: _Line) -> None:
        self.name = name
        self.begin = begin
        self.items: list[_Line | _Block] = []
        self.end: _Line | None = None

    def closing(self) -> _Line:
        if self.end is not None:
            return self.end
        last = self.begin[0]
        for item in self.items:
            last = item.closing()[0] if isinstance(item, _Block) else item[0]
        return (last, f"END:{self.name}")

    def lines(self, items: list[list[_Line]] | None = None) -> list[_Line]:
        """Its lines, or those of ``items`` (each an item's lines) between its BEGIN
        and END."""
        if items is None:
            items = [i.lines() if isinstance(i, _Block) else [i] for i in self.items]
        return [self.begin, *(line for item in items for line in item), self.closing()]

    def tzid(self) -> str:
        for item in self.items:
            if not isinstance(item, _Block) and re.match(r"TZID\s*[;:]", item[1], re.I):
                return item[1].partition(":")[2].strip()
        return ""


class _Salvage:
    """The parts of a file icalendar refuses as a whole, each tried alone: a
    VTIMEZONE, an alarm, a to-do that cannot be read is left out whole; a calendar or
    event keeps what can be read of it, property by property; lines outside any
    component are left out. A VEVENT that cannot be read at all stays as a marked empty
    one, so the records after it keep their numbers."""

    def __init__(self, lines: list[_Line]) -> None:
        self.top: list[_Block] = []
        self.stray: list[int] = []
        self.dropped: list[tuple[int, str, str]] = []
        """Properties left out: their line, name and icalendar's complaint."""
        self.zones: list[tuple[int, str, str]] = []
        """VTIMEZONEs left out: their line, TZID and complaint."""
        self.lost: list[tuple[int, str, str]] = []
        """Calendars and events that cannot be read at all."""
        self.parses = 0
        self.unclosed: list[_Block] = []
        """Components the file never ends (or ends after their parent)."""
        self.stray_ends = 0
        stack: list[_Block] = []
        for line in lines:
            marker = _begin_end(line[1])
            if marker is not None and marker[0] == "BEGIN":
                block = _Block(marker[1], line)
                if stack:
                    stack[-1].items.append(block)
                else:
                    self.top.append(block)
                stack.append(block)
            elif marker is not None:
                if not any(b.name == marker[1] for b in stack):
                    self.stray.append(line[0])
                    self.stray_ends += 1
                    continue
                while stack:  # a component left open is closed with its parent
                    block = stack.pop()
                    if block.name == marker[1]:
                        block.end = line
                        break
                    self.unclosed.append(block)
            elif stack:
                stack[-1].items.append(line)
            else:
                self.stray.append(line[0])
        self.unclosed.extend(reversed(stack))
        self.unclosed.sort(key=lambda b: b.begin[0])

    @property
    def unbalanced(self) -> bool:
        """Whether a component is never ended, or an END ends none: icalendar would
        close the wrong one, and lose a calendar without a word."""
        return bool(self.unclosed or self.stray_ends)

    @property
    def found(self) -> bool:
        """Whether the file has a calendar or an event to read."""
        return any(b.name in ("VCALENDAR", "VEVENT") for b in self.top)

    def run(self) -> list[_Line]:
        """The lines that can be read, in the file's order."""
        kept: list[_Line] = []
        for block in self.top:
            kept.extend(self.block(block, []) or [])
        return kept

    def fails(self, lines: list[_Line], around: list[_Block]) -> str | None:
        """icalendar's complaint about ``lines`` inside the components ``around``, or
        None when it reads them."""
        import icalendar

        self.parses += 1
        if self.parses > _SALVAGE_PARSES:
            return "too many parts that cannot be read"
        text = "\n".join(
            [*(b.begin[1] for b in around), *(c for _, c in lines)]
            + [b.closing()[1] for b in reversed(around)]
        )
        try:
            icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as error:  # icalendar raises several kinds
            return _message(error)
        return None

    def block(self, block: _Block, around: list[_Block]) -> list[_Line] | None:
        """What can be read of ``block`` (inside ``around``), or None."""
        lines = block.lines()
        complaint = self.fails(lines, around)
        if complaint is None:
            return lines
        if block.name == "VTIMEZONE":
            self.zones.append((block.begin[0], block.tzid(), complaint))
            return None
        if block.name not in ("VCALENDAR", "VEVENT"):
            return None  # an alarm, a to-do: not read, so not missed
        own = [item for item in block.items if not isinstance(item, _Block)]
        bad = self.bad(block, own, around)
        items: list[list[_Line]] = []
        for item in block.items:
            if isinstance(item, _Block):
                part = self.block(item, [*around, block])
                if part:
                    items.append(part)
            elif item in bad:
                name = re.split(r"[;:]", item[1], maxsplit=1)[0].strip().upper()
                named = _PROPERTY_NAME.fullmatch(name) is not None
                self.dropped.append((item[0], name if named else "", bad[item]))
            else:
                items.append([item])
        lines = block.lines(items)
        complaint = self.fails(lines, around)
        if complaint is None:
            return lines
        self.lost.append((block.begin[0], block.name, complaint))
        if block.name == "VEVENT":
            return [block.begin, (block.begin[0], f"{_UNREADABLE}:x"), block.closing()]
        return None

    def bad(self, block: _Block, own: list[_Line], around: list[_Block]) -> dict[_Line, str]:
        """The properties of ``own`` icalendar refuses, each with its complaint: halves
        tried until the culprits are alone."""
        found: dict[_Line, str] = {}
        todo = [own]
        while todo:
            group = todo.pop()
            if not group:
                continue
            complaint = self.fails([block.begin, *group, block.closing()], around)
            if complaint is None:
                continue
            if len(group) == 1:
                found[group[0]] = complaint
                continue
            half = len(group) // 2
            todo.extend((group[half:], group[:half]))
        return found


def _dt(value: Any) -> Any:
    """A date property's value, or None: none, several, or one icalendar could not read
    (whose ``dt`` raises in icalendar 7)."""
    try:
        return getattr(value, "dt", None)
    except Exception:  # icalendar's BrokenCalendarProperty, among others
        return None


def _birthday_name(title: str) -> str:
    """The person a birthday's title names: "Ana Silva's birthday", "Birthday of Ana
    Silva", "Geburtstag von Ana Silva"..., else the title itself."""
    title = " ".join(title.split())
    for form in _BIRTHDAY_TITLES:
        found = form.fullmatch(title)
        if found is not None:
            return found.group("name").strip()
    return title


def _many(count: int, one: str, more: str) -> str:
    return f"{count:,} {one if count == 1 else more}"


def _as_written(event: Component) -> Component:
    """``event`` as its own first occurrence: its end from DTEND, else DURATION."""
    import icalendar

    copy = icalendar.Event()
    for key, value in event.items():
        copy[key] = value
    duration = event.get("DURATION")
    if event.get("DTEND") is None and duration is not None:
        copy.add("DTEND", _get(event, "DTSTART").dt + duration.dt)
    return copy


def _message(error: BaseException) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__


def _culprit(error: BaseException) -> str:
    """The property an expansion error is most likely about."""
    kind = type(error).__name__
    text = str(error)
    if kind == "PeriodEndBeforeStart":
        return "DTEND"
    if kind == "BadRuleStringFormat" or re.search(r"rrule|UNTIL|BY[A-Z]+|FREQ", text, re.I):
        return "RRULE"
    return "VEVENT"


def _line_of(message: str, text: str) -> int:
    """The first line of ``text`` holding a value quoted in ``message``, else 1."""
    for quoted in re.findall(r"'([^']{3,})'", message):
        at = text.find(quoted)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def _get(component: Component, key: str) -> Any:
    """A property as icalendar gives it: one of some thirty value types, so what is read
    of it is checked where it is read."""
    return component.get(key)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _dates(value: Any) -> Iterator[dt.date]:
    """The days of an RDATE or EXDATE property (one line or several)."""
    for line in _listed(value):
        for item in getattr(line, "dts", ()):
            when = item.dt
            if isinstance(when, tuple):
                when = when[0]
            if isinstance(when, dt.date):
                yield _day(when)


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _end(event: Component, begins: Any) -> Any:
    """When ``event`` ends as written: its DTEND, else its start and DURATION, else None."""
    end = event.get("DTEND")
    if end is not None:
        return getattr(end, "dt", None)  # None for several DTENDs
    duration = getattr(event.get("DURATION"), "dt", None)
    return begins + duration if isinstance(duration, dt.timedelta) else None


def _is_day(value: object) -> TypeGuard[dt.date]:
    """Whether ``value`` is a day (a date, not a datetime)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _first(rule: Any, key: str) -> Any:
    values = rule.get(key)
    if isinstance(values, list):
        return values[0] if values else None
    return values


def _endless(rule: Any) -> bool:
    return _first(rule, "COUNT") is None and _first(rule, "UNTIL") is None


def _last_day(rule: Any, first: dt.date) -> dt.date:
    """A day after a bounded rule's last occurrence: its UNTIL, or, for a COUNT, four
    times the span its count needs in whole periods (a sparse rule, the 29th of February,
    skips periods)."""
    until = _first(rule, "UNTIL")
    if isinstance(until, dt.date):
        return min(_day(until) + dt.timedelta(days=1), _LATEST)
    count = _first(rule, "COUNT")
    interval = _first(rule, "INTERVAL") or 1
    period = _PERIODS.get(str(_first(rule, "FREQ") or "").upper(), 1)
    try:
        return first + dt.timedelta(days=4 * int(count or 1) * int(interval) * period + 1)
    except (OverflowError, ValueError, TypeError):
        return _LATEST


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February in a leap year


def _never(rule: Any) -> bool:
    """Whether ``rule``'s BYMONTH and BYMONTHDAY name only days no listed month has
    (``BYMONTH=2;BYMONTHDAY=30``): a rule that recurs on no day at all."""
    months = [m for m in _listed(rule.get("BYMONTH")) if isinstance(m, int) and 1 <= m <= 12]
    days = [d for d in _listed(rule.get("BYMONTHDAY")) if isinstance(d, int) and d != 0]
    if not months or not days:
        return False
    longest = max(_MONTH_DAYS[m - 1] for m in months)
    return all(abs(day) > longest for day in days)


def _density(rules: list[Any]) -> int:
    """How many instants a day the rules may give at most."""
    most = 1
    for rule in rules:
        freq = str(_first(rule, "FREQ") or "").upper()
        try:
            interval = max(1, int(_first(rule, "INTERVAL") or 1))
        except (TypeError, ValueError):
            interval = 1
        times = 1
        keys = {"HOURLY": ("BYMINUTE", "BYSECOND"), "MINUTELY": ("BYSECOND",)}.get(
            freq, () if freq == "SECONDLY" else ("BYHOUR", "BYMINUTE", "BYSECOND")
        )
        for key in keys:
            times *= max(1, len(_listed(rule.get(key))))
        per_day = max(1, _PER_DAY.get(freq, 1) // interval)
        most = max(most, per_day * times)
    return most


def _instant_key(value: dt.date) -> str:
    """An occurrence's start as it names the occurrence: UTC for an instant, as written
    for a floating time (so a different window zone names it the same), a day for an
    all-day event."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _zone_name(zone: dt.tzinfo, window: CalendarWindow | None) -> str:
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        return key
    if zone is dt.UTC:
        return "UTC"
    day = window.start if window is not None else dt.date(2000, 1, 1)
    label = zone.tzname(dt.datetime.combine(day, dt.time(12), tzinfo=zone)) or str(zone)
    return f"this computer's zone ({label})" if isinstance(zone, tz.tzlocal) else label


def _text(value: Any) -> str:
    """A text property's value, unescaped, quoted-printable decoded when its ENCODING
    says so (Outlook 11), line breaks as ``\\n``."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return ""
    text = str(value)
    params = getattr(value, "params", None) or {}
    if str(params.get("ENCODING", "")).upper() == "QUOTED-PRINTABLE":
        raw = quopri.decodestring(text.encode("utf-8", errors="replace"))
        charset = str(params.get("CHARSET", "")).strip()
        for encoding in (charset, "utf-8") if charset else ("utf-8",):
            try:
                text = raw.decode(encoding)
                break
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            text = raw.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _attendees(event: Component, source: Source) -> tuple[Person, ...]:
    """The people an event lists (organizer first), each once: not rooms, resources or
    groups, not those who declined, not addresses that reach nobody."""
    people: dict[str, Person] = {}
    for value in (*_listed(event.get("ORGANIZER")), *_listed(event.get("ATTENDEE"))):
        person = _person(value, source)
        if person is None:
            continue
        key = (person.emails or person.profiles or (person.name.casefold(),))[0].casefold()
        people.setdefault(key, person)
    return tuple(people.values())


_LAST_FIRST = re.compile(r"^([^,]+?)\s*,\s*([^,]+)$")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa", "pe"})


def _first_last(name: str) -> str:
    """Outlook and Exchange write ``CN="Doe, John"``: the name as the person goes by it
    ("John Doe"), so it meets the same person from LinkedIn or an address book. A
    suffix after the comma ("John Doe, PhD") is not a first name and stays."""
    found = _LAST_FIRST.match(name)
    if found is None:
        return name
    last, first = found.group(1), found.group(2).strip()
    if first.casefold().replace(".", "") in _SUFFIXES:
        return name
    return f"{first} {last}"


def _person(value: Any, source: Source) -> Person | None:
    params = getattr(value, "params", None) or {}
    if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE:
        return None
    if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
        return None
    address = str(value).strip()
    scheme, _, rest = address.partition(":")
    scheme = scheme.strip().lower()
    emails: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    local = ""
    if scheme == "mailto":
        email = rest.strip()
        local = email.partition("@")[0]
        if "@" in email and not _NO_REPLY.match(local):
            emails = (email,)
    elif scheme in ("http", "https"):
        profiles = (address,)
        local = address.rstrip("/").rpartition("/")[2]
    elif scheme == "invalid":  # Google's invalid:nomail: nobody to reach
        return None
    name = _first_last(" ".join(str(params.get("CN", "")).split()).strip('"').strip())
    if not name or (emails and name.casefold() == emails[0].casefold()):
        name = local.strip()
    if not name:
        return None
    return Person(name, source, emails=emails, profiles=profiles)


# -- writing -------------------------------------------------------------------------------


@frozen
class CalendarIcs:
    """The log's events as an iCalendar file, and, given a window, the agenda of its
    days as :func:`agenda_ics` writes it (the items still to do, as all-day events with
    stable UIDs).

    Timed events are written in the plan's zone (``DTSTART;TZID=Europe/Berlin``, with the
    VTIMEZONE it needs, and the zone as X-WR-TIMEZONE), so that an evening event stays on
    its local day in any calendar app; a plan in UTC writes UTC times (``...Z``), and so
    does any plan for an instant a local time cannot name (the second 02:30 of the night
    the clocks go back: RFC 5545 reads a repeated local time as the first). All-day
    events are written as days over their span (DTEND is the day after
    :attr:`~netplan.Event.last_day`). The output depends on the plan, the log and the
    window only (DTSTAMP is the window's start, or the epoch), so the same inputs give
    the same bytes, and reading them back with :class:`ICalendar` gives the same
    instants, days and spans.
    """

    name: str = "icalendar"
    description: str = "Events, and the agenda of a window, as an iCalendar (.ics) file."
    suffix: str = ".ics"
    window: CalendarWindow | None = None

    def within(self, window: CalendarWindow) -> Self:
        """A copy that also writes the agenda of ``window``'s days."""
        return attrs.evolve(self, window=window)

    def export(self, plan: Plan, log: ActivityLog) -> bytes:
        """The iCalendar bytes (CRLF, folded lines).

        Raises:
            PluginError: the icalendar extra is not installed.
        """
        _need_writer()
        import icalendar

        window = self.window
        stamp = EPOCH if window is None else _midnight(window.start)
        zone = plan.zone
        local = zone != UTC_ZONE
        calendar = _new_calendar(f"netplan: {plan.person}")
        if local:
            calendar.add("X-WR-TIMEZONE", _text_value(zone.name))
        days: list[dt.date] = []
        for event in log.events():
            entry = icalendar.Event()
            entry.add("UID", _text_value(event.uid if event.uid.strip() else f"{event.id}@netplan"))
            entry.add("DTSTAMP", stamp)
            entry.add("SUMMARY", _text_value(event.name))
            if event.starts_at is not None:
                for key, instant in (("DTSTART", event.starts_at), ("DTEND", event.ends_at)):
                    if instant is not None:
                        entry.add(key, _written(instant, zone))
                        days.append(zone.day(instant))
            else:
                entry.add("DTSTART", event.on)
                entry.add("DTEND", event.last_day + _ONE_DAY)
            if event.location:
                entry.add("LOCATION", _text_value(event.location))
            if event.url:
                entry.add("URL", _url_value(event.url))
            calendar.add_component(entry)
        if window is not None:
            due = agenda(plan, log, window.start, window.end, as_of=window.start)
            for item in _agenda_entries(plan, due):
                calendar.add_component(item)
        if local and days:
            # Only the days the file needs: a VTIMEZONE of decades would dwarf it.
            calendar.add_missing_timezones(
                first_date=_shift(min(days), -1), last_date=_shift(max(days), 2)
            )
        return bytes(calendar.to_ical())


def agenda_ics(plan: Plan, agenda: Agenda) -> bytes:
    """``agenda`` as an iCalendar file, and nothing else (no event of the log): each item
    still to do (open or partly done) an all-day event on its due day, or on the
    agenda's first day when it is overdue; done and skipped items are left out.

    Each has the stable UID ``<item key>@netplan``, so that importing a newer file into
    a calendar app updates the items instead of adding copies; it is transparent (the
    day is not busy) and marked :data:`AGENDA_MARK`, so that :class:`ICalendar` leaves
    it out when the file is read back. A partly done item says how far it is ("Any two
    events (1 of 2 done)"). DTSTAMP is the agenda's first day, so the same agenda gives
    the same bytes.

    Raises:
        PluginError: the icalendar extra is not installed.
    """
    _need_writer()
    calendar = _new_calendar(f"netplan agenda: {plan.person}")
    for entry in _agenda_entries(plan, agenda):
        calendar.add_component(entry)
    return bytes(calendar.to_ical())


_ONE_DAY = dt.timedelta(days=1)


def _need_writer() -> None:
    try:
        import icalendar  # noqa: F401
    except ImportError as error:
        raise PluginError(WRITE_EXTRA) from error


def _new_calendar(name: str) -> Calendar:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("X-WR-CALNAME", _text_value(name))
    return calendar


def _escaped(text: str) -> str:
    """``text`` as an RFC 5545 TEXT value: backslash, semicolon and comma escaped, every
    line break (CRLF, LF, a lone CR, which RFC 5545 has no escape for) as ``\\n``, half a
    character (no UTF-8 holds it) as U+FFFD. icalendar's own escaping turns a literal
    ``\\N`` into a line break, and leaves a property it does not know (X-WR-CALNAME) as
    it is: netplan escapes what it writes itself."""
    return (
        _SURROGATE.sub("\ufffd", text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


_URI_UNSAFE = re.compile(r"[\\\x00-\x1f\x7f\x85\u2028\u2029\ufeff\ud800-\udfff]")
"""What a URL netplan writes as it is may not hold: a backslash (a reader unescapes
it), a control character or line break (one would end the property), a byte-order mark
(icalendar drops one a value starts with), half a character (no UTF-8 holds it)."""
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BOM = "\ufeff".encode()


@functools.cache
def _text_type() -> type[Any]:
    """icalendar's TEXT value, written with :func:`_escaped` (created when first
    needed: icalendar is an extra)."""
    import icalendar

    class Text(icalendar.vText):
        def to_ical(self) -> bytes:
            data = _escaped(str(self)).encode("utf-8")
            # icalendar decodes a value as UTF-8-SIG, dropping a byte-order mark it
            # starts with: one more keeps the value's own.
            return _BOM + data if data.startswith(_BOM) else data

    return Text


def _text_value(text: str) -> Any:
    """A TEXT property value that no character of ``text`` can break out of."""
    return _text_type()(text)


def _url_value(url: str) -> Any:
    """A URL as it is when a URI can hold it, else escaped as text (a URL with a line
    break or a backslash came from a file that meant harm, or a typo: it stays one value,
    and reads back the same)."""
    import icalendar

    if _URI_UNSAFE.search(url):
        return _text_value(url)
    return icalendar.vUri(url)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, within the dates Python has."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return day


def _written(instant: dt.datetime, zone: Zone) -> dt.datetime:
    """``instant`` as it is written: a local time of ``zone``, unless the zone is UTC or
    the local time is one the clocks pass twice and this is the second time (RFC 5545
    reads such a time as the first), which stays in UTC."""
    if zone == UTC_ZONE:
        return instant.astimezone(dt.UTC)
    local = instant.astimezone(zone.tzinfo)
    if local.replace(fold=0).astimezone(dt.UTC) != instant:
        return instant.astimezone(dt.UTC)
    return local.replace(fold=0)


def _agenda_entries(plan: Plan, agenda: Agenda) -> Iterator[Component]:
    """The VEVENTs of :func:`agenda_ics`."""
    import icalendar

    stamp = _midnight(agenda.start)
    for item in agenda.items:
        if not item.is_open:
            continue
        day = max(item.due, agenda.start)
        entry = icalendar.Event()
        entry.add("UID", _text_value(f"{item.key}@netplan"))
        entry.add("DTSTAMP", stamp)
        entry.add("SUMMARY", _text_value(_agenda_summary(item)))
        entry.add("DTSTART", day)
        entry.add("DTEND", day + _ONE_DAY)
        entry.add("TRANSP", "TRANSPARENT")
        entry.add(
            "DESCRIPTION",
            _text_value(_agenda_description(plan, item.due, item.overdue_days, item.goals)),
        )
        entry.add(AGENDA_MARK, item.kind.value)
        yield entry


def _agenda_summary(item: AgendaItem) -> str:
    if item.state is ItemState.PARTLY_DONE:
        return f"{item.reason} ({item.done} of {item.count} done)"
    return item.reason


def _agenda_description(plan: Plan, due: dt.date, overdue_days: int, goals: tuple[str, ...]) -> str:
    late = f", {_many(overdue_days, 'day', 'days')} overdue" if overdue_days else ""
    lines = [f"Due {due.isoformat()}{late}"]
    titles = []
    for goal_id in goals:
        try:
            titles.append(plan.goal(goal_id).title)
        except NotFoundError:
            titles.append(goal_id)
    if titles:
        lines.append("Goals: " + "; ".join(titles))
    lines.append("From netplan's agenda.")
    return "\n".join(lines)
