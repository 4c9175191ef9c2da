"""LinkedIn's data export: Connections.csv, Invitations.csv and messages.csv.

Each file has changed over the years (docs/importing.md has the evidence), so columns are
found by name, never by position, and the header row is searched for past any preamble:

* **Connections.csv**: ``First Name, Last Name, [URL,] Email Address, Company, Position,
  Connected On``, after a ``Notes:`` preamble since 2021 (a naive ``csv.DictReader`` takes
  ``Notes:`` for the header and imports nothing while reporting success). Connected On is
  ``11/10/21, 4:01 AM`` (2018), ``10 Nov 2021`` (2021 on), or ``10-Nov-21`` once a
  spreadsheet re-saved the file.
* **Invitations.csv**: ``From, To, Sent At, Message, Direction`` and, since 2026,
  ``inviterProfileUrl, inviteeProfileUrl``. Sent At carries no time zone: it is read as UTC.
* **messages.csv**: the 2022 and 2026 layouts (``CONVERSATION ID, ..., FROM, SENDER
  PROFILE URL, TO, ..., DATE, SUBJECT, CONTENT, FOLDER``) with ``YYYY-MM-DD HH:MM:SS UTC``
  dates, and the 2018 one (``From, To, Date, Subject, Content, Direction, Folder``).

Who "you" are is not in Connections.csv; in messages and invitations, the person named
most often on either side of every row is taken to be the account's owner, and each
message or invitation becomes a touch with the other person (outbound when the owner sent
it). HTML entities in message content are decoded.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from attrs import define, frozen

from netplan.core._validation import unchecked
from netplan.core.importing import (
    OneEach,
    Parsed,
    People,
    Person,
    Problem,
    ProblemLevel,
    Source,
    Touch,
    decode_text,
    keyed_profiles,
    profile_key,
)
from netplan.core.log import paused_gc
from netplan.core.network import Channel, Direction, InteractionKind
from netplan.core.periods import UTC
from netplan.formats.csvfile import BadCsv, Row, Table, find_header, rows, table

__all__ = [
    "LinkedInConnections",
    "LinkedInInvitations",
    "LinkedInMessages",
    "parse_linkedin_date",
    "profile_key",
]

_SNIFF_BYTES = 4096
_CONNECTIONS = ("First Name", "Last Name", "Connected On")
_INVITATIONS = ("From", "To", "Sent At", "Direction")
_MESSAGES = ("From", "To", "Date", "Content")

_DATE_FORMATS = (
    "%d %b %Y",  # 10 Nov 2021
    "%d-%b-%y",  # 10-Nov-21 (a spreadsheet's re-save)
    "%d-%b-%Y",
    "%Y-%m-%d",
    "%m/%d/%y",
    "%m/%d/%Y",
)
_INSTANT_FORMATS = (
    "%m/%d/%y, %I:%M %p",  # 11/10/21, 4:01 AM
    "%m/%d/%Y, %I:%M %p",
    "%Y-%m-%d %H:%M:%S UTC",  # messages since 2022
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


_FORMS = _INSTANT_FORMATS + _DATE_FORMATS
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})")
_MONTH_NUMBERS = {
    name.casefold(): number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def parse_linkedin_date(text: str, first: list[str] | None = None) -> dt.datetime | None:
    """An instant in any of the forms LinkedIn's exports (and spreadsheets re-saving them)
    write, in UTC (the files carry no zone); a bare day is its midnight. None when the
    text is none of them.

    ``first``, a one-item list, holds the form to try first and is set to the one that
    worked: a file writes one form throughout, and a failed ``strptime`` is the slow part.
    """
    value = " ".join(text.split())
    quick = _DAY_MONTH_YEAR.fullmatch(value)
    month = _MONTH_NUMBERS.get(quick[2].casefold(), 0) if quick else 0
    if quick and month:
        # The form of every export since 2021, read without strptime (most of the cost
        # of reading a large one's thousands of days otherwise), in English whatever the
        # locale, as LinkedIn writes it.
        try:
            parsed = dt.datetime(int(quick[3]), month, int(quick[1]), tzinfo=UTC)
        except ValueError:
            return None  # no such day (31 Feb): no other form reads it either
        if first is not None:
            first[:] = ["%d %b %Y"]
        return parsed
    forms = _FORMS if not first else (first[0], *_FORMS)
    for form in forms:
        try:
            parsed = dt.datetime.strptime(value, form)
        except ValueError:
            continue
        if first is not None:
            first[:] = [form]
        return parsed.replace(tzinfo=UTC)
    return None


def _sniff(head: bytes, columns: Iterable[str]) -> float:
    text, _ = decode_text(head[:_SNIFF_BYTES])
    return 0.95 if find_header(text, tuple(columns)) is not None else 0.0


def _table(
    name: str, data: bytes, columns: tuple[str, ...], what: str
) -> tuple[Iterator[Row] | None, list[Problem]]:
    text, _ = decode_text(data)
    found = find_header(text, columns)
    if found is None:
        return None, [_no_header(name, columns, what)]
    header_line, names = found
    # Cells are looked up by case-insensitive name: the 2020 export upper-cased them.
    return rows(text, header_line, [n.casefold() for n in names]), []


def _cell(cells: dict[str, str], *names: str) -> str:
    """The first non-empty cell of the columns ``names`` (keys are casefolded)."""
    for column in names:
        value = cells.get(column.casefold())
        if value:
            value = value.strip()
            if value:
                return value
    return ""


# The people of a Connections.csv, made of cells the reader has trimmed and checked: the
# checks of People's constructor would be most of the cost of reading a large export.
_people = unchecked(People)


@frozen
class LinkedInConnections:
    """LinkedIn's Connections.csv, all three generations and spreadsheet re-saves."""

    name: str = "linkedin_connections"
    description: str = "LinkedIn data export: Connections.csv (2018, 2021 and 2024 layouts)."

    def sniff(self, name: str, head: bytes) -> float:
        return _sniff(head, _CONNECTIONS)

    def read(self, name: str, data: bytes) -> Parsed:
        text, _ = decode_text(data)
        found = find_header(text, _CONNECTIONS)
        if found is None:
            return Parsed((), (_no_header(name, _CONNECTIONS, "LinkedIn Connections"),))
        header_line, names = found
        # Column by column: an export holds up to 30,000 connections (benchmarked at
        # 100,000), and a Person per row is most of the cost of reading one.
        with paused_gc():
            # The table is gone before the collector comes back, so it is never walked.
            return _connections(name, table(text, header_line, [n.casefold() for n in names]))


def _connections(name: str, found: Table) -> Parsed:
    size = len(found.lines)

    def column(title: str) -> list[str]:
        cells = found.cells.get(title)
        return list(map(str.strip, cells)) if cells is not None else [""] * size

    first, last = column("first name"), column("last name")
    # "First Last", or the one given: the space around a missing part is stripped.
    full = list(map(str.strip, map(" ".join, zip(first, last, strict=True))))
    when = column("connected on")
    form: list[str] = []
    # Days repeat (a few thousand in a large export): each text is parsed once.
    instants = {text: parse_linkedin_date(text, form) for text in set(when) if text}
    days = {text: instant.date() for text, instant in instants.items() if instant}
    problems = _Problems(name)
    unreadable = instants.keys() - days.keys()
    named = list(map(bool, full))
    # The table has no blank rows (a row with nothing in any cell is not a record), so a
    # row without a name is a hidden profile's, or one with cells past the named ones.
    troubled = range(size) if unreadable or not all(named) else ()
    for row in (r for r in troubled if not full[r] or when[r] in unreadable):
        line = found.lines[row]
        if when[row] in unreadable:
            problems.add(
                "date",
                line,
                f"{when[row]!r} is not a date LinkedIn writes; left out",
                "Connected On",
                "with a Connected On that is not a date LinkedIn writes: the dates left out",
            )
        if not full[row]:
            # A hidden or closed profile: LinkedIn leaves only the date.
            problems.add(
                "name",
                line,
                "no name (a hidden or closed profile); skipped",
                "First Name",
                "with no name (hidden or closed profiles): skipped",
            )
    emails = list(map(str.lower, column("email address")))
    urls = column("url")
    profiles, keyed = keyed_profiles(urls)
    if not all(named):
        full, emails, urls, profiles, when = (
            list(itertools.compress(values, named))
            for values in (full, emails, urls, profiles, when)
        )
    companies, roles, lines = column("company"), column("position"), found.lines
    if not all(named):
        companies = list(itertools.compress(companies, named))
        roles = list(itertools.compress(roles, named))
        lines = list(itertools.compress(lines, named))
    people = _people(
        file=name,
        names=full,
        lines=lines,
        emails=OneEach(emails),
        phones=(),
        profiles=OneEach(profiles),
        companies=companies,
        roles=roles,
        connected_on=list(map(days.get, when)),
        notes=(),
        _keyed=keyed,
    )
    listed = problems.done()
    if found.error is not None:
        listed.append(_bad(name, found.error))
    return Parsed(people, tuple(listed))


MAX_LIKE_PROBLEMS = 100
"""The problems of one kind listed per file; one more counts the rest (the lines of the
first and last). A file of a million rows with no name is one list of a hundred, not a
million problems held in memory and printed."""


@define
class _Rest:
    """The rows of one kind of problem past those listed."""

    count: int
    first: int
    last: int
    field: str
    says: str


class _Problems:
    """A file's warnings, at most :data:`MAX_LIKE_PROBLEMS` of each kind listed."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.listed: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self.rest: dict[str, _Rest] = {}

    def add(self, kind: str, line: int, message: str, field: str, rest: str) -> None:
        """A warning of ``kind`` at ``line``; ``rest`` says what the rows past the first
        hundred of the kind are ("with no name...")."""
        self.counts[kind] += 1
        if self.counts[kind] <= MAX_LIKE_PROBLEMS:
            self.listed.append(Problem(Source(self.file, line=line), message, field))
        elif kind in self.rest:
            self.rest[kind].count += 1
            self.rest[kind].last = line
        else:
            self.rest[kind] = _Rest(1, line, line, field, rest)

    def done(self) -> list[Problem]:
        """The warnings listed, then one counting the rest of each kind."""
        listed = list(self.listed)
        for rest in self.rest.values():
            listed.append(
                Problem(
                    Source(self.file, line=rest.first),
                    f"{rest.count:,} more rows like these (lines {rest.first} to {rest.last}) "
                    f"{rest.says}",
                    rest.field,
                )
            )
        return listed


def _no_header(name: str, columns: tuple[str, ...], what: str) -> Problem:
    return Problem(
        Source(name, line=1),
        f"no {what} header found in the first 20 lines: expected the columns {', '.join(columns)}",
        level=ProblemLevel.ERROR,
    )


def _bad(name: str, error: BadCsv) -> Problem:
    return Problem(
        Source(name, line=error.line),
        f"cannot read the CSV on from here ({error.reason}); the rows before it are kept",
        level=ProblemLevel.ERROR,
    )


@frozen
class _Exchange:
    line: int
    sender: str
    sender_url: str
    recipient: str
    recipient_url: str
    at: dt.datetime
    thread: str
    text: str
    outgoing: bool | None  # the Direction column, where the file has one


def _owner(exchanges: list[_Exchange]) -> tuple[str, list[str]]:
    """The account's owner: the name on one side of every row, the one sent by the
    outgoing rows when the file has a Direction column. With no Direction and two names
    on every row (a file of one conversation), it cannot be told: ``""`` and the two."""
    counts: Counter[str] = Counter()
    for exchange in exchanges:
        if exchange.outgoing is not None:
            return (exchange.sender if exchange.outgoing else exchange.recipient), []
        counts.update({exchange.sender, exchange.recipient})
    if not counts:
        return "", []
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return "", [ranked[0][0], ranked[1][0]]
    return ranked[0][0], []


def _thread_profiles(exchanges: list[_Exchange]) -> dict[tuple[str, str], str]:
    """Each person's profile URL in each conversation, where a row of it gives one: a row
    without the URL is attributed through the conversation, never by the name alone."""
    found: dict[tuple[str, str], set[str]] = {}
    for exchange in exchanges:
        if not exchange.thread:
            continue
        for who, url in (
            (exchange.sender, exchange.sender_url),
            (exchange.recipient, exchange.recipient_url),
        ):
            if url:
                found.setdefault((exchange.thread, who), set()).add(profile_key(url))
    return {key: next(iter(urls)) for key, urls in found.items() if len(urls) == 1}


def _touches(
    name: str,
    exchanges: list[_Exchange],
    kind: InteractionKind,
    problems: _Problems,
) -> tuple[tuple[Person, ...], tuple[Touch, ...]]:
    owner, tied = _owner(exchanges)
    through_thread = _thread_profiles(exchanges)
    people: dict[str, Person] = {}
    touches: list[Touch] = []
    for exchange in exchanges:
        source = Source(name, line=exchange.line)
        if tied:
            problems.add(
                "tied",
                exchange.line,
                f"cannot tell which of {tied[0]!r} and {tied[1]!r} is the account's "
                "owner (both are on every row and the file has no Direction column); "
                "skipped: import it with the export's other message files",
                "From",
                "whose owner cannot be told: skipped",
            )
            continue
        if exchange.outgoing is not None:
            outbound = exchange.outgoing
        elif exchange.sender == owner:
            outbound = True
        elif exchange.recipient == owner:
            outbound = False
        else:
            problems.add(
                "owner",
                exchange.line,
                f"neither {exchange.sender!r} nor {exchange.recipient!r} is the "
                f"account's owner ({owner!r}, on every other row); skipped",
                "From",
                "without the account's owner: skipped",
            )
            continue
        if outbound:
            other, url, direction = exchange.recipient, exchange.recipient_url, Direction.OUTBOUND
        else:
            other, url, direction = exchange.sender, exchange.sender_url, Direction.INBOUND
        profile = profile_key(url) if url else through_thread.get((exchange.thread, other), "")
        key = profile or other
        if key not in people:
            people[key] = Person(other, source, profiles=(profile,) if profile else ())
        touches.append(
            Touch(
                other,
                exchange.at,
                kind,
                direction,
                source,
                profile=profile,
                channel=Channel.LINKEDIN,
                thread=exchange.thread,
                notes=exchange.text,
            )
        )
    return tuple(people.values()), tuple(touches)


# What follows a name after a comma: a degree or a suffix, not another person.
_SUFFIX = re.compile(r"^(?:[A-Z][A-Za-z.]{0,5}|[IVX]{1,4}|Jr\.?|Sr\.?)$")


def _first_recipient(names: str, urls: str) -> tuple[str, str]:
    """The first recipient and their profile URL. A group conversation lists several,
    comma-separated, with as many URLs; a name may hold a comma itself ("Lena Smith,
    PhD"), so the names are cut only where the URLs say there are several people, and
    never before a degree or suffix."""
    url_list = [u.strip() for u in urls.split(",") if u.strip()]
    if len(url_list) <= 1 or "," not in names:
        return names.strip(), url_list[0] if url_list else ""
    parts = [p.strip() for p in names.split(",")]
    people: list[str] = []
    for part in parts:
        if people and _SUFFIX.match(part):
            people[-1] = f"{people[-1]}, {part}"
        else:
            people.append(part)
    return people[0], url_list[0]


def _exchange(
    name: str,
    line: int,
    cells: dict[str, str],
    date_column: str,
    problems: _Problems,
) -> _Exchange | None:
    sender = _cell(cells, "From")
    recipient = _cell(cells, "To")
    when_text = _cell(cells, date_column)
    at = parse_linkedin_date(when_text)
    if not sender or not recipient:
        problems.add(
            "nobody",
            line,
            "no sender or no recipient; skipped",
            "From",
            "with no sender or no recipient: skipped",
        )
        return None
    if at is None:
        problems.add(
            "date",
            line,
            f"{when_text!r} is not a date LinkedIn writes; skipped",
            date_column,
            f"with a {date_column} that is not a date LinkedIn writes: skipped",
        )
        return None
    direction = _cell(cells, "Direction").strip().upper()
    recipient, recipient_url = _first_recipient(
        recipient, _cell(cells, "RECIPIENT PROFILE URLS", "inviteeProfileUrl")
    )
    return _Exchange(
        line,
        sender,
        _cell(cells, "SENDER PROFILE URL", "inviterProfileUrl"),
        recipient,
        recipient_url,
        at,
        _cell(cells, "CONVERSATION ID"),
        html.unescape(_cell(cells, "CONTENT", "Message")),
        {"OUTGOING": True, "INCOMING": False}.get(direction),
    )


@frozen
class LinkedInInvitations:
    """LinkedIn's Invitations.csv: each invitation a message with the other person."""

    name: str = "linkedin_invitations"
    description: str = "LinkedIn data export: Invitations.csv (2018 to 2026 layouts)."

    def sniff(self, name: str, head: bytes) -> float:
        return _sniff(head, _INVITATIONS)

    def read(self, name: str, data: bytes) -> Parsed:
        return _read_exchanges(name, data, _INVITATIONS, "LinkedIn Invitations", "Sent At")


@frozen
class LinkedInMessages:
    """LinkedIn's messages.csv: every message a touch with the other person, grouped by
    conversation."""

    name: str = "linkedin_messages"
    description: str = "LinkedIn data export: messages.csv (2018, 2022 and 2026 layouts)."

    def sniff(self, name: str, head: bytes) -> float:
        return _sniff(head, _MESSAGES)

    def read(self, name: str, data: bytes) -> Parsed:
        return _read_exchanges(name, data, _MESSAGES, "LinkedIn messages", "Date")


def _read_exchanges(
    name: str, data: bytes, columns: tuple[str, ...], what: str, date_column: str
) -> Parsed:
    """Messages or invitations: each row an exchange between the owner and someone."""
    table, no_header = _table(name, data, columns, what)
    if table is None:
        return Parsed((), tuple(no_header))
    problems = _Problems(name)
    exchanges: list[_Exchange] = []
    try:
        for line, cells in table:
            found = _exchange(name, line, cells, date_column, problems)
            if found is not None:
                exchanges.append(found)
    except BadCsv as error:
        problems.listed.append(_bad(name, error))
    people, touches = _touches(name, exchanges, InteractionKind.MESSAGE, problems)
    return Parsed(people, tuple(problems.done()), touches)
