"""Importing a person's network: what an importer reads out of a file.

An importer turns the bytes of one file into :class:`Parsed` records: the people in it
(:class:`Person`, as the file describes them, not yet contacts of a log), and every
:class:`Problem` it met, each naming the file, the line or record and the field. It is
pure: it gets bytes, never a path, so the same bytes give the same records, and the
plugin layer decides how files are found, read and bounded. Merging people into a log
(recognising one person arriving from several sources) is a separate step.

Importers are plugins (``netplan_register_importers``); an importer is a few lines::

    class TeamSheet:
        name = "team_sheet"
        description = "Our team's roster."

        def sniff(self, name, head):
            return 0.9 if head.startswith(b"Member,Email") else 0.0

        def read(self, name, data):
            people = [Person(row[0], emails=(row[1],), source=Source(name, line=n))
                      for n, row in csv_rows(data)]
            return Parsed(tuple(people), ())
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, cast, runtime_checkable

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core import display
from netplan.core._encoding import legacy_encoding
from netplan.core._lazy import Made
from netplan.core._validation import Choice
from netplan.core.batch import Batch, NewContacts
from netplan.core.errors import ImportAbortedError, NotFoundError, ValidationError
from netplan.core.instants import from_micros
from netplan.core.log import ActivityLog, Columns, paused_gc
from netplan.core.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Organization,
    _channel,
    _direction,
    _interaction_kind,
    _valid_birthday,
)
from netplan.core.zones import UTC_ZONE, Zone

__all__ = [
    "CalendarWindow",
    "Changes",
    "Conflict",
    "Happening",
    "ImportReport",
    "Imported",
    "Importer",
    "OneEach",
    "Parsed",
    "People",
    "Person",
    "Problem",
    "ProblemLevel",
    "Source",
    "Touch",
    "UNRECOGNISED",
    "Windowed",
    "decode_text",
    "keyed_profiles",
    "phone_key",
    "plan_import",
    "profile_key",
    "profile_keys",
]

_T = TypeVar("_T")


@frozen
class Source:
    """Where a record came from: the file's name, and its line (1-based, counting every
    line of the file) or record number (1-based, for formats without lines)."""

    file: str
    line: int | None = None
    record: int | None = None

    def __str__(self) -> str:
        where = f", line {self.line}" if self.line else ""
        where += f", record {self.record}" if self.record and not self.line else ""
        return f"{self.file}{where}"


@frozen
class Person:
    """Someone as a file describes them: what netplan may make a contact of, or merge
    into one it has."""

    name: str = field(validator=v.non_blank)
    source: Source = field(validator=v.instance_of(Source))
    emails: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    phones: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    profiles: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    company: str = field(default="", validator=v.instance_of(str))
    role: str = field(default="", validator=v.instance_of(str))
    connected_on: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    """When the file says the person was first connected with (a LinkedIn connection)."""
    notes: str = field(default="", validator=v.instance_of(str))
    nickname: str = field(default="", validator=v.instance_of(str))
    birthday: str = field(default="", validator=_valid_birthday)
    """As :attr:`netplan.Contact.birthday`: :func:`netplan.read_birthday` reads a file's."""
    tags: frozenset[str] = field(
        default=frozenset(), converter=v.lowered_text_set, validator=v.identifiers
    )
    """Labels and categories the file gives (Google's ``Labels``, vCard ``CATEGORIES``),
    without the system labels every contact has (Google's ``* myContacts``)."""


@frozen
class Touch:
    """An interaction a file records with someone it names (a message, an invitation)."""

    name: str = field(validator=v.non_blank)
    at: dt.datetime = field(validator=v.aware)
    kind: InteractionKind = field(converter=_interaction_kind)
    direction: Direction = field(converter=_direction)
    source: Source = field(validator=v.instance_of(Source))
    profile: str = field(default="", validator=v.instance_of(str))
    channel: Channel = field(default=Channel.OTHER, converter=_channel)
    thread: str = field(default="", validator=v.instance_of(str))
    """The conversation it belongs to, when the file says (LinkedIn's CONVERSATION ID)."""
    notes: str = field(default="", validator=v.instance_of(str))


if TYPE_CHECKING:  # Happening.attendees as a caller may give them (see _validation)

    def _persons(value: Iterable[Person] | None) -> tuple[Person, ...]: ...

else:
    _persons = v.to_tuple


@frozen
class Happening:
    """An event as a calendar describes it: one occurrence (a recurring series arrives
    expanded, one :class:`Happening` per occurrence), with the people it lists.

    ``on`` is the calendar day it starts on as the file gives it (an all-day event's own
    day; a timed event's day in its own zone: :func:`plan_import` counts it on its local
    day in the plan's zone), ``until`` the last day of an all-day event spanning several
    days (a conference of 15 to 17 April: ``until`` 17 April); ``starts_at`` and
    ``ends_at`` are instants, absent for all-day events. ``uid`` identifies the occurrence
    across imports (for a series, its UID and the occurrence's start)."""

    name: str = field(validator=v.non_blank)
    on: dt.date = field(validator=v.a_date)
    source: Source = field(validator=v.instance_of(Source))
    starts_at: dt.datetime | None = field(default=None, validator=v.optional(v.aware))
    ends_at: dt.datetime | None = field(default=None, validator=v.optional(v.aware))
    until: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    uid: str = field(default="", validator=v.instance_of(str))
    location: str = field(default="", validator=v.instance_of(str))
    url: str = field(default="", validator=v.instance_of(str))
    online: bool = field(default=False, validator=v.instance_of(bool))
    """Held by video call: a meeting there is a video meeting, not an in-person one."""
    attendees: tuple[Person, ...] = field(default=(), converter=_persons, validator=v.items(Person))
    """The people met there: attendees and organizer, without those who declined and
    without rooms and resources."""
    attendable: bool = field(default=True, validator=v.instance_of(bool))
    """False for what nobody attends (a contact's birthday in Google's birthday
    calendar): kept as an event, never counted as attended, nobody met there."""


@frozen
class CalendarWindow:
    """What reading or writing a calendar needs beyond its bytes: which days to expand
    recurring events over (``[start, end)``: a weekly series without end has no last
    occurrence), and the zone in which a floating time ("9:00", no zone) is read."""

    start: dt.date = field(validator=v.a_date)
    end: dt.date = field(validator=v.a_date)
    zone: dt.tzinfo = field(default=dt.UTC, validator=v.instance_of(dt.tzinfo))

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError(
                "CalendarWindow.end", self.end, f"must be after start={self.start.isoformat()}"
            )


@runtime_checkable
class Windowed(Protocol):
    """An importer or exporter that needs a :class:`CalendarWindow` (calendars do): the plugin
    layer hands it one before it reads or writes."""

    def within(self, window: CalendarWindow) -> Self:
        """A copy that reads or writes within ``window``."""
        ...


class ProblemLevel(Choice):
    """A warning does not stop an import (a field, or a record such as a hidden profile,
    is left out, and the report says so); an error stops it, unless bad records are
    skipped."""

    WARNING = "warning"
    ERROR = "error"


if TYPE_CHECKING:

    def _problem_level(value: ProblemLevel | str) -> ProblemLevel: ...

else:
    _problem_level = v.choice(ProblemLevel)


@frozen
class Problem:
    """Something wrong in a file, precise enough to fix: where, which field, what."""

    source: Source
    message: str
    field: str = ""
    level: ProblemLevel = attrs.field(default=ProblemLevel.WARNING, converter=_problem_level)

    def __str__(self) -> str:
        what = f" ({self.field})" if self.field else ""
        return f"{self.source}{what}: {self.level.value}: {self.message}"


def _not_blank(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


def _strings(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(item, str) for item in value)


def _day(value: object) -> bool:
    return value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


def _line(value: object) -> bool:
    return type(value) is int and value > 0


# What each column of People must hold, checked item by item (a bad one is named).
_COLUMN_RULES: dict[str, tuple[Callable[[object], bool], str]] = {
    "names": (_not_blank, "must be a name (text, not blank)"),
    "lines": (_line, "must be a line number (an int from 1)"),
    "emails": (_strings, "must be a tuple of text"),
    "phones": (_strings, "must be a tuple of text"),
    "profiles": (_strings, "must be a tuple of text"),
    "companies": (lambda value: isinstance(value, str), "must be text"),
    "roles": (lambda value: isinstance(value, str), "must be text"),
    "connected_on": (_day, "must be a date or None"),
    "notes": (lambda value: isinstance(value, str), "must be text"),
}


def _column(value: Iterable[_T]) -> tuple[_T, ...]:
    return value if isinstance(value, tuple) else tuple(value)


# People's columns as a caller may give them: mypy's attrs plugin reads no generic
# converter (see _validation).
if TYPE_CHECKING:

    def _text_column(value: Iterable[str]) -> tuple[str, ...]: ...
    def _line_column(value: Iterable[int]) -> tuple[int, ...]: ...
    def _texts_column(value: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]: ...
    def _day_column(value: Iterable[dt.date | None]) -> tuple[dt.date | None, ...]: ...

else:
    _text_column = _line_column = _texts_column = _day_column = _column


@frozen(eq=False)
class People(Made[Person]):
    """The people of one file, column by column: a read-only sequence of :class:`Person`
    that makes each one only when it is read.

    What an importer of large files gives as :attr:`Parsed.people` (LinkedIn's
    Connections.csv does): a 100,000-row export is then ten columns, not 100,000
    objects, and :func:`plan_import` works on the columns directly. ``names`` has one
    value per person; every other column is either empty (nobody has one) or has one
    value per person too. ``lines`` gives each person's line in ``file`` (else their
    place in it, from 1, is their record number)::

        People("team.csv", ["Ana Silva", "Bo Chen"], lines=[2, 3],
               emails=[("ana@example.com",), ()])

    It compares equal to a sequence of the same people (a tuple of them, say).
    """

    file: str = field(validator=v.non_blank)
    names: Sequence[str] = field(converter=_text_column)
    lines: Sequence[int] = field(default=(), converter=_line_column)
    emails: Sequence[tuple[str, ...]] = field(default=(), converter=_texts_column)
    phones: Sequence[tuple[str, ...]] = field(default=(), converter=_texts_column)
    profiles: Sequence[tuple[str, ...]] = field(default=(), converter=_texts_column)
    companies: Sequence[str] = field(default=(), converter=_text_column)
    roles: Sequence[str] = field(default=(), converter=_text_column)
    connected_on: Sequence[dt.date | None] = field(default=(), converter=_day_column)
    notes: Sequence[str] = field(default=(), converter=_text_column)
    _keyed: bool = field(default=False, init=False, eq=False, repr=False)
    """Set by netplan's own readers when every profile is already the key
    :func:`plan_import` files it by (LinkedIn's, lowercase): it need not work them out."""

    def __attrs_post_init__(self) -> None:
        size = len(self.names)
        for column, (holds, rule) in _COLUMN_RULES.items():
            values = getattr(self, column)
            if column != "names" and len(values) not in (0, size):
                raise ValidationError(
                    f"People.{column}",
                    f"{len(values)} values",
                    f"must be empty or have one value per name ({size})",
                )
            bad = next((i for i, value in enumerate(values) if not holds(value)), None)
            if bad is not None:
                raise ValidationError(f"People.{column}[{bad}]", values[bad], rule)

    def __len__(self) -> int:
        return len(self.names)

    def _item(self, row: int) -> Person:
        line = self.lines[row] if self.lines else None
        return _new_person(
            name=self.names[row],
            source=Source(self.file, line=line, record=None if line else row + 1),
            emails=self.emails[row] if self.emails else (),
            phones=self.phones[row] if self.phones else (),
            profiles=self.profiles[row] if self.profiles else (),
            company=self.companies[row] if self.companies else "",
            role=self.roles[row] if self.roles else "",
            connected_on=self.connected_on[row] if self.connected_on else None,
            notes=self.notes[row] if self.notes else "",
        )

    def __repr__(self) -> str:
        return f"People({self.file!r}, {len(self)} people)"


_new_person = v.unchecked(Person)


class OneEach(Made[tuple[str, ...]]):
    """A column of :class:`People` with at most one value a person (a file's one email
    column), held as the values themselves (``""`` for none): no tuple to make per row,
    or for the collector to walk. Reads as the tuples it stands for::

        People("team.csv", ["Ana Silva", "Bo Chen"], emails=OneEach(["ana@example.com", ""]))
    """

    __slots__ = ("values",)

    def __init__(self, values: Sequence[str]) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    def _item(self, row: int) -> tuple[str, ...]:
        value = self.values[row]
        return (value,) if value else ()


def _given(values: Sequence[tuple[str, ...]], size: int) -> tuple[list[str], list[bool]]:
    """Every value of a column of People, and whether each person has one."""
    if isinstance(values, OneEach):
        return list(filter(None, values.values)), list(map(bool, values.values))
    if not values:
        return [], [False] * size
    return list(itertools.chain.from_iterable(values)), list(map(bool, values))


def _people(value: Iterable[Person]) -> Sequence[Person]:
    return value if isinstance(value, People) else _column(value)


@frozen
class Parsed:
    """What an importer read out of one file."""

    people: Sequence[Person] = field(converter=_people)
    """Everyone the file names: a tuple of :class:`Person`, or :class:`People` (the same
    column by column, for large files)."""
    problems: tuple[Problem, ...] = ()
    touches: tuple[Touch, ...] = ()
    events: tuple[Happening, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is ProblemLevel.ERROR)


@runtime_checkable
class Importer(Protocol):
    """Reads one kind of file."""

    @property
    def name(self) -> str:
        """Names the format (``linkedin_connections``)."""
        ...

    @property
    def description(self) -> str:
        """One sentence: which files it reads."""
        ...

    def sniff(self, name: str, head: bytes) -> float:
        """How sure it is, from 0 to 1, that a file named ``name`` starting with ``head``
        (its first few kilobytes) is its format."""
        ...

    def read(self, name: str, data: bytes) -> Parsed:
        """The records of the file ``name`` whose whole content is ``data``. Never raises
        for bad content: what cannot be read is a :class:`Problem`."""
        ...


_ENCODINGS = (
    "utf-8",
    # The code pages Windows, Excel and Outlook write in, with their ISO and KOI cousins:
    # Western, Central European, Cyrillic, Greek, Turkish, Hebrew, Arabic, Baltic,
    # Vietnamese, Thai; then Japanese (Shift_JIS, EUC-JP), Chinese (GBK, Big5), Korean.
    # Listed first, first taken when two give the same text.
    "cp1252",
    "iso8859-15",
    "cp1250",
    "iso8859-2",
    "cp1251",
    "koi8-r",
    "koi8-u",
    "iso8859-5",
    "cp1253",
    "iso8859-7",
    "cp1254",
    "iso8859-9",
    "cp1255",
    "iso8859-8",
    "cp1256",
    "iso8859-6",
    "cp1257",
    "iso8859-13",
    "cp1258",
    "cp874",
    "cp932",
    "euc-jp",
    "gb18030",
    "big5",
    "cp949",
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when ``data`` looks like mostly-ASCII text in UTF-16
    without its mark (every other byte NUL, the others not), else None."""
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def decode_text(
    data: bytes, encodings: Iterable[str] = _ENCODINGS, *, strict: bool = False
) -> tuple[str, str]:
    """``data`` as text, and the encoding that read it (a Python codec name). Line endings
    are normalised to ``\\n``.

    1. A byte-order mark decides: UTF-8, UTF-16 or UTF-32.
    2. UTF-16 without one is told by its NUL bytes (the ASCII half of every character).
    3. UTF-8 when it decodes the whole of ``data`` (ASCII does), or all but a last
       character cut short (the head of a larger file), and ``encodings`` holds it.
    4. Else the other ``encodings`` (by default the legacy code pages of
       ``_ENCODINGS``) are told apart by :func:`netplan.core._encoding.legacy_encoding`:
       a reading must be plausible text and beat every other plausible one by a margin.
       A single encoding is simply tried.

    When step 4 cannot tell for sure, or no encoding reads ``data`` as plausible text,
    ``strict`` raises; otherwise the likeliest reading is returned, else UTF-8 with
    replacement characters.

    Raises:
        UnicodeError: ``strict`` and the encoding cannot be told for sure; the message
            names the readings (``Windows-1252 (“Søren”) or Windows-1250 (“Sřren”)``).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _lines(data.decode(encoding, errors="replace")), encoding
    wide = _utf16_without_bom(data)
    if wide is not None:
        try:
            return _lines(data.decode(wide)), wide
        except UnicodeDecodeError:
            pass
    encodings = tuple(encodings)
    legacy = tuple(e for e in encodings if e.replace("_", "-").lower() not in ("utf-8", "utf8"))
    if len(legacy) < len(encodings):
        try:
            return _lines(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and not data[: error.start].isascii():
                return _lines(data.decode("utf-8", errors="replace")), "utf-8"
    if len(legacy) == 1:
        try:
            return _lines(data.decode(legacy[0])), legacy[0]
        except UnicodeDecodeError:
            legacy = ()
    guess = legacy_encoding(data, legacy) if legacy else None
    if guess is not None and (guess.sure or not strict):
        return _lines(data.decode(guess.encoding)), guess.encoding
    if strict:
        if guess is not None:
            raise UnicodeError(f"its encoding cannot be told for sure: it reads as {guess.doubt}")
        raise UnicodeError(
            "it is not UTF-8 and no encoding netplan knows reads it as text "
            "(a binary file, or parts in different encodings)"
        )
    return _lines(data.decode("utf-8", errors="replace")), "utf-8"


def _lines(text: str) -> str:
    if "\r" not in text:
        return text  # one pass over a large file, where replacing takes two
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- merging into a log -------------------------------------------------------------------


@frozen
class Conflict:
    """A value a file offers for a contact that differs from the one kept (never
    overwritten: the person decides)."""

    contact: str
    field: str
    kept: str
    offered: str
    source: Source

    def __str__(self) -> str:
        return (
            f"{self.source}: {self.contact}.{self.field} is {self.kept!r}; the file says "
            f"{self.offered!r} (kept)"
        )


@frozen
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    file: str
    format: str
    added: tuple[str, ...]
    """Ids of the contacts added."""
    merged: tuple[str, ...]
    """Ids of the contacts that gained details (an email, a profile, a source...)."""
    unchanged: int
    """People already known, with nothing new: duplicates, skipped."""
    interactions: int
    duplicate_interactions: int
    conflicts: tuple[Conflict, ...]
    problems: tuple[Problem, ...]
    dry_run: bool = False
    events: tuple[str, ...] = ()
    """Ids of the events added."""
    known_events: int = 0
    """Events the log already has (the same calendar UID): left as they are."""

    def __str__(self) -> str:
        verb = "would add" if self.dry_run else "added"
        events = f", {len(self.events)} events" if self.events or self.known_events else ""
        known = f", {self.known_events} events already known" if self.known_events else ""
        lines = [
            f"{self.file} ({self.format}): {verb} {len(self.added)} contacts{events} and "
            f"{self.interactions} interactions; {len(self.merged)} contacts merged, "
            f"{self.unchanged} already known{known}, {self.duplicate_interactions} "
            f"interactions already logged; {len(self.conflicts)} conflicts, "
            f"{len(self.problems)} problems"
        ]
        lines.extend(f"  {c}" for c in self.conflicts)
        lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """The report as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        return display.html(self)


UNRECOGNISED = "no importer recognises it"
"""Why a file is skipped, unless :attr:`Imported.reasons` says otherwise."""


@frozen
class Imported:
    """What importing a path or an upload did (:func:`netplan.import_files`): one report
    per file read, and the files skipped.

    A value like the reports it holds: :func:`netplan.to_data` gives its data."""

    reports: tuple[ImportReport, ...]
    skipped: tuple[str, ...]
    dry_run: bool
    reasons: tuple[tuple[str, str], ...] = ()
    """``(name, why)`` for each file skipped for another reason than that no importer
    recognises it (a link out of the folder, a pipe)."""

    def reason(self, name: str) -> str:
        """Why the file ``name`` was skipped."""
        return dict(self.reasons).get(name, UNRECOGNISED)

    def __str__(self) -> str:
        lines = [str(report) for report in self.reports]
        lines.extend(f"skipped {name}: {self.reason(name)}" for name in self.skipped)
        return "\n".join(lines)


@frozen
class Changes:
    """What importing a file into a log adds and updates, and its report."""

    add: Sequence[Organization | Contact | Event | Interaction]
    """What the import adds, in the order added: organizations, contacts, events, then
    interactions (a large import makes each record when it is read)."""
    update: tuple[Contact, ...]
    report: ImportReport

    @property
    def batch(self) -> Batch:
        """What the import adds, as one :class:`~netplan.core.batch.Batch` (its records
        column by column): what a store writes (:func:`netplan.storage.add_batch`)."""
        return self.add if isinstance(self.add, Batch) else Batch.of(self.add)

    def apply(self, log: ActivityLog) -> None:
        """Make the changes in ``log``, all or nothing: they are made on a copy, which
        ``log`` becomes once they all succeeded, so a failure leaves ``log`` as it was.

        ``log`` is the log :func:`plan_import` worked them out against: a bulk import's
        batch is not checked against it again (see :meth:`ActivityLog.add_batch`)."""
        trial = log.copy()
        self.apply_unchecked(trial)
        log.take_over(trial)

    def apply_unchecked(self, log: ActivityLog) -> None:
        """Make the changes in ``log`` directly: a failure half way leaves it half
        changed. For a log about to be thrown away, as when planning several files."""
        if isinstance(self.add, Batch):
            log.add_batch(self.add, trusted=True)  # worked out against the log by plan_import
        else:
            log.add(*self.add)
        for contact in self.update:
            log.update(contact)


_PUNCTUATION = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    """Names compared the way a person would: no case, accents, punctuation or extra
    spaces ("Jean-Luc O'Brien" is "jean luc o brien"; "Acme, Inc." is "acme inc")."""
    if not text.isascii():  # most names are: nothing to decompose
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = text.casefold()
    # A name of punctuation alone keeps it, rather than matching every other such name.
    return " ".join(_PUNCTUATION.sub(" ", folded).split()) or " ".join(folded.split())


AMBIGUOUS = "\x00ambiguous"
"""What :meth:`_Directory.find` gives when several contacts could be the person."""


Bucket = tuple[bool, bool]
"""Whether a contact has an email, and whether it has a profile."""


class _Directory:
    """The contacts known so far (the log's and the import's), by what identifies them.

    Contacts sharing a name are kept in buckets by whether they have an email and a
    profile: a person who has one of them can only be a contact that lacks it (had they
    shared one, the email or profile would have matched first), so matching by name
    never walks the hundreds of other "Ana Silva"s a large network holds.
    """

    def __init__(self, log: ActivityLog, region: str | None = None) -> None:
        self.region = region
        self.by_email: dict[str, str] = {}
        self.by_profile: dict[str, str] = {}
        self.by_phone: dict[str, list[str]] = {}  # a switchboard is many people's
        self.by_name_company: dict[tuple[str, str], dict[Bucket, list[str]]] = {}
        self.by_name: dict[str, dict[Bucket, list[str]]] = {}
        self.contacts: dict[str, Contact] = {}
        self.organizations: dict[str, str] = {}  # normalised name -> id
        self.organization_names: dict[str, str] = {}  # id -> normalised name
        self.taken: set[str] = set()  # contact ids
        self.suffixes: dict[str, int] = {}
        self.organization_ids: set[str] = set()  # a namespace of their own, as in the log
        self.organization_suffixes: dict[str, int] = {}
        self.spellings: dict[str, str] = {}  # how a new organization is named, by _norm
        # The slugs of the import's people: kept for them, never a namesake's number, so
        # "Ana Silva 2" is "ana-silva-2" whichever row comes first.
        self.reserved: set[str] = set()
        self._profile_keys: dict[str, str] = {}
        self._norms: dict[str, str] = {}
        self._slugs: dict[str, str] = {}
        for organization in log.organizations:
            self.add_organization(organization.name, organization.id)
        for contact in log.contacts:
            self.remember(contact)

    def norm(self, text: str) -> str:
        """:func:`_norm` of ``text``, worked out once: a name is looked up, then filed."""
        key = self._norms.get(text)
        if key is None:
            key = self._norms[text] = _norm(text)
        return key

    def profile(self, url: str) -> str:
        """``url``'s key in :attr:`by_profile` (each is asked for several times)."""
        key = self._profile_keys.get(url)
        if key is None:
            key = self._profile_keys[url] = _profile(url)
        return key

    def phone(self, number: str) -> str:
        """``number``'s key in :attr:`by_phone` (:func:`phone_key` in the plan's region)."""
        return phone_key(number, self.region)

    def add_organization(self, name: str, organization_id: str) -> None:
        self.organizations.setdefault(self.norm(name), organization_id)
        self.organization_names[organization_id] = self.norm(name)
        self.organization_ids.add(organization_id)

    def company(self, contact: Contact) -> str:
        if contact.organization is None:
            return ""
        return self.organization_names.get(contact.organization, "")

    def _places(self, contact: Contact) -> list[dict[Bucket, list[str]]]:
        name = self.norm(contact.name)
        company = self.company(contact)
        return [
            self.by_name.setdefault(name, {}),
            self.by_name_company.setdefault((name, company), {}),
        ]

    def remember(self, contact: Contact) -> None:
        self.contacts[contact.id] = contact
        self.taken.add(contact.id)
        for email in contact.emails:
            self.by_email.setdefault(email.casefold(), contact.id)
        for profile in contact.profiles:
            self.by_profile.setdefault(self.profile(profile), contact.id)
        for number in contact.phones:
            key = self.phone(number)
            if key:
                holders = self.by_phone.setdefault(key, [])
                if contact.id not in holders:
                    holders.append(contact.id)
        bucket = (bool(contact.emails), bool(contact.profiles))
        for place in self._places(contact):
            place.setdefault(bucket, []).append(contact.id)

    def forget(self, contact: Contact) -> None:
        """Drop what identified ``contact`` before it changed."""
        for index, keys in (
            (self.by_email, [e.casefold() for e in contact.emails]),
            (self.by_profile, [self.profile(p) for p in contact.profiles]),
        ):
            for key in keys:
                if index.get(key) == contact.id:
                    del index[key]
        for number in contact.phones:
            holders = self.by_phone.get(self.phone(number), [])
            if contact.id in holders:
                holders.remove(contact.id)
        bucket = (bool(contact.emails), bool(contact.profiles))
        for place in self._places(contact):
            members = place.get(bucket, [])
            if contact.id in members:
                members.remove(contact.id)

    def find(self, person: Person) -> str | None:
        """The id of the contact ``person`` is, None for nobody yet, or :data:`AMBIGUOUS`.

        The rules (docs/importing.md, "One person, one contact"), in order: one of their
        emails, profiles or phone numbers; else the same name at the same company,
        whatever else differs; else the same name when nobody else has it and a company
        is on one side at most. Several contacts that could be them is :data:`AMBIGUOUS`:
        netplan does not guess between namesakes."""
        for email in person.emails:
            if email.casefold() in self.by_email:
                return self.by_email[email.casefold()]
        for profile in person.profiles:
            key = self.profile(profile)
            if key in self.by_profile:
                return self.by_profile[key]
        for number in person.phones:
            # A number is theirs when the names agree ("Priya" on a phone's card is Priya
            # Shah): an office's switchboard on twelve cards is nobody's key.
            agreeing = [
                holder
                for holder in self.by_phone.get(self.phone(number), ())
                if _names_agree(self.norm(person.name), self.norm(self.contacts[holder].name))
            ]
            if len(agreeing) == 1:
                return agreeing[0]
            if agreeing:
                # Namesakes sharing the number (a file gave it to a second one): the one
                # at the person's company, else nobody is guessed. Never a namesake who
                # lacks the number, or importing the first file again would move it.
                company = self.norm(person.company)
                here = [
                    holder
                    for holder in agreeing
                    if company and self.norm(self.company(self.contacts[holder])) == company
                ]
                return here[0] if len(here) == 1 else AMBIGUOUS
        name, company = self.norm(person.name), self.norm(person.company)
        if company:
            # Another email is no evidence against: people have several. Another profile
            # is: each person has one.
            exact = [
                member
                for (_, has_profile), members in self.by_name_company.get(
                    (name, company), {}
                ).items()
                if not (has_profile and person.profiles)
                for member in members
            ]
            if len(exact) == 1:
                return exact[0]
            if len(exact) > 1:
                return AMBIGUOUS
        same = self._compatible(self.by_name.get(name), person)
        if not same:
            return None
        # A company on one side only: the same person when nobody else has the name.
        # Someone at a company among several namesakes is someone new (found again by
        # name and company), never "the only namesake without a company".
        if len(same) == 1:
            if not company or not self.company(self.contacts[same[0]]):
                return same[0]
            return None
        return None if company else AMBIGUOUS

    @staticmethod
    def _compatible(buckets: dict[Bucket, list[str]] | None, person: Person) -> list[str]:
        """The contacts of ``buckets`` that could be ``person``: none that has an email
        when the person has one, nor a profile when the person has one."""
        if not buckets:
            return []
        found: list[str] = []
        for (has_email, has_profile), members in buckets.items():
            if (has_email and person.emails) or (has_profile and person.profiles):
                continue
            found.extend(members)
        return found

    def slug_many(self, texts: list[str]) -> list[str]:
        """The slugs of ``texts``, worked out at once and remembered for :meth:`fresh_id`."""
        slugs = v.slugify_all(texts)
        self._slugs.update(zip(texts, slugs, strict=True))
        return slugs

    def fresh_id(self, text: str) -> str:
        base = self._slugs.get(text)
        if base is None:
            base = self._slugs[text] = v.slugify(text)
        return self.unused(base)

    def unused(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... whichever contact id is free first and
        not the slug of someone else in the import (:attr:`reserved`); now taken."""
        return _unused(base, self.taken, self.suffixes, self.reserved)

    def fresh_organization_id(self, text: str) -> str:
        base = self._slugs.get(text)
        if base is None:
            base = self._slugs[text] = v.slugify(text)
        return _unused(base, self.organization_ids, self.organization_suffixes)

    def spell(self, companies: Iterable[str]) -> None:
        """Name each organization ``companies`` may make by the first of its spellings in
        sorted order ("ACME" for "Acme" and "ACME"): whichever row comes first."""
        for company in companies:
            if company and not company.isspace():
                key = self.norm(company)
                known = self.spellings.get(key)
                if known is None or company < known:
                    self.spellings[key] = company


def _unused(
    base: str, taken: set[str], suffixes: dict[str, int], reserved: Collection[str] = ()
) -> str:
    if base not in taken:  # the first of its name (no suffix: as if number 1)
        taken.add(base)
        return base
    candidate, number = base, suffixes.get(base, 1)
    while candidate in taken or candidate in reserved:
        number += 1
        candidate = f"{base}-{number}"
    suffixes[base] = number
    taken.add(candidate)
    return candidate


_LINKEDIN_PROFILE = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/in/([^/?#]+)", re.IGNORECASE
)


def profile_key(url: str) -> str:
    """A profile URL reduced to what identifies it. A LinkedIn profile becomes
    ``linkedin.com/in/<id>`` (any scheme, country subdomain, trailing slash or query
    dropped; the id lowercased), whichever file it came from; other URLs are trimmed."""
    found = _LINKEDIN_PROFILE.match(url.strip())
    if found is None:
        return url.strip()
    return f"linkedin.com/in/{found.group(1).lower()}"


def _profile(url: str) -> str:
    return profile_key(url).rstrip("/").casefold()


# Profile URLs as LinkedIn's export writes them, and as profile_key leaves them.
_LINKEDIN_FORMS = ("https://www.linkedin.com/in/", "linkedin.com/in/")
_LINKEDIN_KEY = "linkedin.com/in/"


def _linkedin_keys(urls: Sequence[str]) -> tuple[list[str], str] | None:
    """The :func:`profile_key` of each of ``urls``, and the keys joined by line breaks,
    when every one is ``<form><id>`` for one of :data:`_LINKEDIN_FORMS` (a LinkedIn
    export's column, or keys): a few operations on the whole column instead of a
    regular expression per URL. Else None (:func:`profile_key` reads them one by one)."""
    stripped = list(map(str.strip, urls))
    for form in _LINKEDIN_FORMS:
        if not stripped or not all(map(str.startswith, stripped, itertools.repeat(form))):
            continue
        scheme = len(form) - len(_LINKEDIN_KEY)  # "https://www."
        keys = stripped if not scheme else map(operator.itemgetter(slice(scheme, None)), stripped)
        lowered = list(map(str.lower, keys))
        joined = "\n".join(lowered)
        size = len(lowered)
        # Each id on its own line, not empty, with no "/", "?" or "#" to cut it at.
        if joined.count("\n") != size - 1 or joined.count("/") != 2 * size:
            return None
        if "?" in joined or "#" in joined or f"{joined}\n".count("/in/\n"):
            return None
        return lowered, joined
    return None


def profile_keys(urls: Sequence[str]) -> list[str]:
    """:func:`profile_key` of each of ``urls``; faster for many LinkedIn profiles."""
    return keyed_profiles(urls)[0]


def keyed_profiles(urls: Sequence[str]) -> tuple[list[str], bool]:
    """:func:`profile_keys`, and whether each is also what :func:`plan_import` files a
    profile by: LinkedIn profiles whose ids have no letter that case folding changes
    beyond lowercasing (an "ß"). netplan's LinkedIn reader passes that on to its
    :class:`People`, so the import need not work the keys out again."""
    given = urls if all(urls) else [url for url in urls if url]
    found = _linkedin_keys(given)
    if found is None:
        return list(map(profile_key, urls)), False
    keys, joined = found
    keyed = _folded(joined)
    if given is not urls:  # an empty URL has an empty key
        each = iter(keys)
        keys = [next(each) if url else "" for url in urls]
    return keys, keyed


def _profile_keys(urls: Sequence[str]) -> list[str]:
    """:func:`_profile` of each of ``urls`` (what :class:`_Directory` files them by)."""
    found = _linkedin_keys(urls)
    if found is None:
        return list(map(_profile, urls))
    keys, joined = found
    # A LinkedIn key has no "/" after its id: nothing for _profile to strip.
    return keys if _folded(joined) else joined.casefold().split("\n")


# A UTF-8 byte that only characters from U+0340 on have (the lead byte 0xCD onwards).
_FROM_U0340 = re.compile(rb"[\xcd-\xff]")


def _folded(lowered: str) -> bool:
    """Whether case folding leaves the lowercased ``lowered`` as it is: checked without
    folding it when every character is below U+0340 (accented Latin names), where only
    five lowercase letters fold further."""
    if lowered.isascii():
        return True
    if _FROM_U0340.search(lowered.encode("utf-8", "surrogatepass")) is None:
        return not any(letter in lowered for letter in "µßŉſǰ")
    return lowered == lowered.casefold()


def _names_agree(one: str, other: str) -> bool:
    """Whether two normalised names may be one person's: the words of one are among
    the other's ("priya" and "priya shah"; "shah priya" and "priya r shah")."""
    mine, theirs = set(one.split()), set(other.split())
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)


def phone_key(number: str, region: str | None = None) -> str:
    """A phone number as netplan matches it: E.164 (``+4915123456789``) when it can be
    read, a number without a country code read as ``region``'s (an ISO 3166 code such
    as ``"DE"``: the plan's, from its time zone); else its digits when there are at
    least seven (the same number written twice the same way still matches); else ``""``
    (too short to tell anyone by)."""
    return _phone_key(number, region)


@functools.lru_cache(maxsize=65536)
def _phone_key(number: str, region: str | None) -> str:
    import phonenumbers  # loaded on the first phone number: most imports have none

    digits = "".join(filter(str.isdigit, number))
    if len(digits) < 3:
        return ""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return digits if len(digits) >= 7 else ""


def plan_import(
    log: ActivityLog,
    parsed: Parsed,
    *,
    file: str,
    format: str,
    skip_bad: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
    me: Collection[str] = (),
    zone: Zone = UTC_ZONE,
) -> Changes:
    """What importing ``parsed`` (the records of ``file``, in ``format``) into ``log``
    would change, without changing it.

    One person arriving from several sources becomes one contact: a person matches a
    contact with one of their emails, else one of their profile URLs, else the same name
    (without case, accents or punctuation) at the same company. Matched contacts gain what they lack
    (emails, phones, profiles, a role, a company) and the file as a source; a differing
    value they have is a :class:`Conflict`, never overwritten. Importing the same file
    again changes nothing. A LinkedIn connection date becomes an interaction of kind
    ``other`` at the start of that day in ``zone`` (the plan's); messages and invitations
    become interactions, skipped when already logged.

    Calendar events become :class:`~netplan.Event` records, recognised on a later import
    by their calendar UID. An event before ``today`` (every event, when ``today`` is
    None) counts as attended, and each of its attendees as met there (an interaction of
    kind ``met`` linked to it, at its start, or the start of its day in ``zone`` for an
    all-day event); a later one is added as planned, with nobody met yet.
    ``me`` holds the person's own email addresses: in their own calendar they are an
    attendee of everything, and not a contact of theirs. An event netplan exported
    (``<id>@netplan``) is found by its id.

    People given column by column (:class:`People`) give the same changes, found faster:
    whoever is new for certain is added without being looked up one by one, and is made
    a :class:`~netplan.Contact` only when first read.

    Raises:
        ImportAbortedError: the file has errors and ``skip_bad`` is false; nothing is
            changed, and the error lists them.
    """
    errors = parsed.errors
    if errors and not skip_bad:
        listed = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ImportAbortedError(
            f"{file} was not imported: {len(errors)} "
            f"{'record' if len(errors) == 1 else 'records'} cannot be read: {listed}{more}. "
            "Fix them, or import with skip_bad to leave them out",
            tuple(errors),
        )
    planner = _Planner(log, f"{format}:{file}", zone.country)
    mine = {address.casefold() for address in me}
    people = parsed.people
    if mine and any(_is_me(p, mine) for p in people):
        people = tuple(p for p in people if not _is_me(p, mine))  # the person's own card
    if isinstance(people, People) and not parsed.touches and not parsed.events:
        with paused_gc():
            return _plan_people(planner, log, people, parsed.problems, file, format, dry_run, zone)
    happenings = tuple(
        _in_zone(
            attrs.evolve(h, attendees=[p for p in h.attendees if not _is_me(p, mine)])
            if mine and any(_is_me(p, mine) for p in h.attendees)
            else h,
            zone,
        )
        for h in parsed.events
    )
    # Who each person of the file turned out to be: their connection date is logged with
    # it. Taken in an order of their own values, not the file's: the same rows in any
    # order give the same contacts, ids and merges.
    everyone = (*people, *_attendees(happenings))
    planner.directory.spell(person.company for person in everyone)
    planner.directory.reserved.update(planner.directory.slug_many([p.name for p in everyone]))
    contact_of: list[str | None] = [None] * len(everyone)
    for index in sorted(range(len(everyone)), key=lambda i: _person_order(everyone[i])):
        contact_of[index] = planner.take(everyone[index])
    planner.in_file_order(contact_of)
    moved: list[Problem] = []
    events, event_ids, known_events = _events(log, happenings, today, moved)
    meetings = [
        (happening, event_ids[i])
        for i, happening in enumerate(happenings)
        if happening.attendable and (today is None or happening.on < today)
    ]
    interactions, duplicates = _interactions(
        log,
        people,
        parsed.touches,
        planner.unsure,
        planner.directory,
        contact_of,
        planner.new_contacts.keys(),
        meetings,
        zone,
    )
    report = planner.report(
        file,
        format,
        dry_run,
        len(interactions),
        duplicates,
        parsed.problems,
        moved=tuple(moved),
        events=tuple(e.id for e in events),
        known_events=known_events,
    )
    return Changes(
        (*planner.new_organizations, *planner.new_contacts.values(), *events, *interactions),
        tuple(planner.updated.values()),
        report,
    )


class _Planner:
    """One import's progress: the contacts known so far (:class:`_Directory`), and what
    the import adds and changes."""

    def __init__(self, log: ActivityLog, label: str, region: str | None = None) -> None:
        self.directory = _Directory(log, region)
        self.label = label
        self.added: list[str] = []
        self.merged: dict[str, None] = {}
        self.unchanged = 0
        self.conflicts: list[Conflict] = []
        self.new_organizations: list[Organization] = []
        self.new_contacts: dict[str, Contact] = {}  # in the order added
        self.updated: dict[str, Contact] = {}
        self.unsure: list[Problem] = []

    def organization_for(self, company: str) -> str | None:
        if not company or company.isspace():
            return None
        directory = self.directory
        key = directory.norm(company)
        if key not in directory.organizations:
            # Made of checked values (text not blank, an id fresh_id made): unchecked.
            name = directory.spellings.get(key, company)
            organization = _new_organization(name=name, id=directory.fresh_organization_id(name))
            self.new_organizations.append(organization)
            directory.add_organization(name, organization.id)
        return directory.organizations[key]

    def take(self, person: Person) -> str | None:
        """The id of the contact ``person`` is, once added or merged; None when it cannot
        be told (several contacts could be them: the report says so)."""
        directory = self.directory
        found = directory.find(person)
        if found == AMBIGUOUS:
            # Added only with a key nobody has (an email or profile: else it had been
            # found; a phone number no one holds): a later import then finds them by it.
            fresh_phone = any(not directory.by_phone.get(directory.phone(p)) for p in person.phones)
            if not (person.emails or person.profiles or fresh_phone):
                self.unsure.append(
                    Problem(
                        person.source,
                        f"several contacts are named {person.name!r} and the file gives no "
                        "company, email, phone or profile of theirs alone to tell which: left "
                        "out (add one, or merge the contacts)",
                        "name",
                    )
                )
                return None
            # Someone a later import finds again by their email, phone or profile: added,
            # and listed beside their namesakes for the person to merge or keep apart.
            self.unsure.append(
                Problem(
                    person.source,
                    f"several contacts are named {person.name!r} and none has this "
                    "email, phone or profile: added as a new contact, listed with them "
                    "as a possible duplicate",
                    "name",
                )
            )
            found = None
        if found is None:
            contact = _contact_from(
                person.name,
                person.emails,
                person.phones,
                person.profiles,
                self.organization_for(person.company),
                person.role,
                person.notes,
                frozenset({self.label}),
                directory.fresh_id(person.name),
                person,
                directory.region,
            )
            self.new_contacts[contact.id] = contact
            directory.remember(contact)
            self.added.append(contact.id)
            return contact.id
        current = directory.contacts[found]
        changed = _merge(
            current, person, self.label, directory, self.organization_for, self.conflicts
        )
        if changed == current:
            self.unchanged += 1
            return found
        directory.forget(current)
        directory.remember(changed)
        if found in self.new_contacts:
            self.new_contacts[found] = changed
        else:
            self.updated[found] = changed
            self.merged[found] = None
        return found

    def in_file_order(self, contact_of: Iterable[str | None]) -> None:
        """List the new contacts in the order the file first names them, and the new
        organizations by name: as people given by column are."""
        new = self.new_contacts
        first = dict.fromkeys(c for c in contact_of if c is not None and c in new)
        self.new_contacts = {c: new[c] for c in first}
        self.added = list(first)
        self.new_organizations.sort(key=self.organization_order)

    def organization_order(self, organization: Organization) -> tuple[str, str]:
        return self.directory.norm(organization.name), organization.id

    def report(
        self,
        file: str,
        format: str,
        dry_run: bool,
        interactions: int,
        duplicates: int,
        problems: tuple[Problem, ...],
        *,
        moved: tuple[Problem, ...] = (),
        events: tuple[str, ...] = (),
        known_events: int = 0,
    ) -> ImportReport:
        return ImportReport(
            file,
            format,
            tuple(self.added),
            tuple(self.merged),
            self.unchanged,
            interactions,
            duplicates,
            tuple(self.conflicts),
            (*problems, *self.unsure, *moved),
            dry_run,
            events,
            known_events,
        )


def _contact_from(
    name: str,
    emails: tuple[str, ...],
    phones: tuple[str, ...],
    profiles: tuple[str, ...],
    organization: str | None,
    role: str,
    notes: str,
    sources: frozenset[str],
    contact_id: str,
    person: Person | None = None,
    region: str | None = None,
) -> Contact:
    """A new contact of a person a file names (their values are checked already)."""
    if len(phones) > 1:  # the same number written twice (work and mobile columns) once
        first: dict[str, str] = {}
        for number in phones:
            first.setdefault(phone_key(number, region) or number, number)
        phones = tuple(first.values())
    # What a Person has beyond the columns of People (which never holds them).
    more = (
        {}
        if person is None
        else {"nickname": person.nickname, "birthday": person.birthday, "tags": person.tags}
    )
    return _new_contact(
        name=name,
        emails=tuple(dict.fromkeys(e.lower() for e in emails)),
        phones=phones,
        profiles=profiles,
        organization=organization,
        role=role,
        notes=notes,
        sources=sources,
        id=contact_id,
        **more,
    )


def _plan_people(
    planner: _Planner,
    log: ActivityLog,
    people: People,
    problems: tuple[Problem, ...],
    file: str,
    format: str,
    dry_run: bool,
    zone: Zone,
) -> Changes:
    """:func:`plan_import` of people given column by column, with nothing else in the
    file (no messages, no events). Who is new for certain (:func:`_independent`) is
    given an id and an organization, and made a contact when first read; everyone
    else is looked up and merged as :meth:`_Planner.take` does, in the file's order, so
    ids are given as they would be one by one."""
    directory = planner.directory
    fast = _independent(people, directory)
    everyone = all(fast)
    size = len(people)
    names = people.names
    companies = people.companies or ("",) * size
    # Each company's first row, and its first row new for certain: a new company's
    # organization is made there (or by an earlier row looked up, in _Planner.take).
    first_row = _first_places(companies)
    first_fast: Iterable[str] = first_row
    if not everyone:
        first_fast = dict.fromkeys(itertools.compress(companies, fast))
    directory.spell(first_row)
    # The organizations of the people new for certain first, by name; then everyone else
    # in an order of their own values (as plan_import takes them), not the file's.
    fast_new = sorted(
        {
            directory.norm(company): company
            for company in first_fast
            if company
            and not company.isspace()
            and directory.norm(company) not in directory.organizations
        }.items()
    )
    directory.slug_many([directory.spellings.get(key, company) for key, company in fast_new])
    for _, company in fast_new:
        planner.organization_for(company)
    bases = v.slugify_all(names)
    contact_of: list[str | None] = list(bases)
    directory.reserved.update(bases)
    order = functools.partial(_rows_in_order, people)
    contested = _ids_in_bulk(bases, directory, fast, contact_of, order)
    special = set(itertools.compress(range(size), map(contested.__contains__, bases)))
    if not everyone:
        special.update(itertools.compress(range(size), map(operator.not_, fast)))
    for row in order(special):
        if not fast[row]:
            contact_of[row] = planner.take(people[row])
        elif bases[row] in contested:
            contact_of[row] = directory.unused(bases[row])
    planner.new_organizations.sort(key=planner.organization_order)
    organization = {
        company: directory.organizations.get(directory.norm(company)) if company else None
        for company in first_row
    }
    ids: list[str]
    items: Sequence[Contact | int]
    if everyone:
        ids, items = cast(list[str], contact_of), range(size)
    else:
        in_order = _in_order(contact_of, fast, planner.new_contacts)
        ids, items = list(in_order), list(in_order.values())
    planner.added = ids
    columns, duplicates = _connections(
        log, people, contact_of, fast, planner.new_contacts.keys(), zone
    )
    made = _Made(people, companies, organization, frozenset({planner.label}))
    report = planner.report(file, format, dry_run, len(columns[0]), duplicates, problems)
    contacts = NewContacts(ids, items, made.contact, made.fields)
    return Changes(
        Batch(tuple(planner.new_organizations), contacts, columns),
        tuple(planner.updated.values()),
        report,
    )


def _first_places(values: Sequence[str]) -> dict[str, int]:
    """Each distinct value's first place in ``values``, in the order they first come:
    each found by a search in C from the previous one's place, so the searches cover
    ``values`` once in all."""
    places: dict[str, int] = dict.fromkeys(values, 0)
    place = 0
    for value in places:
        place = places[value] = values.index(value, place)
    return places


def _ids_in_bulk(
    bases: list[str],
    directory: _Directory,
    fast: list[bool],
    ids: list[str | None],
    order: Callable[[Iterable[int]], list[int]],
) -> set[str]:
    """Give the people of :func:`_plan_people` new for certain their ids, as far as it
    can be done in bulk, into ``ids`` (which holds their slugs, ``bases``); the slugs
    left to give one by one, in the ``order`` of the rows, are returned.

    A slug nobody else has (no other person), not taken and not ending like
    "ana-silva-2" (an id a second "Ana Silva" gets) is its person's id. A slug several
    people new for certain share, and nothing else (no one looked up), gives them
    "ana-silva", "ana-silva-2", "ana-silva-3"... in ``order``, as one at a time would,
    unless one of those is taken or is someone's slug. Everything else is given one by
    one."""
    counts = collections.Counter(bases)
    own: set[str] = set()  # slugs someone other than the new for certain may take
    if not all(fast):
        own.update(itertools.compress(bases, map(operator.not_, fast)))
    taken = directory.taken
    # Slugs more than one has, taken ones, and ones ending in a digit (in C, not per slug).
    contested = set(itertools.compress(counts, map((1).__lt__, counts.values())))
    contested.update(counts.keys() & taken)
    contested.update(
        itertools.compress(counts, map(str.isdigit, map(operator.itemgetter(-1), counts)))
    )
    shared = {
        base
        for base in contested
        if base not in own and base not in taken and not base[-1].isdigit()
    }
    if not shared:
        return contested
    given: dict[int, str] = {}
    number: dict[str, int] = {}
    sharing = itertools.compress(range(len(bases)), map(shared.__contains__, bases))
    for row in order(sharing):
        base = bases[row]
        count = number[base] = number.get(base, 0) + 1
        if count > 1:
            given[row] = f"{base}-{count}"
    suffixed = set(given.values())
    if not suffixed.isdisjoint(counts.keys()) or not suffixed.isdisjoint(taken):
        return contested  # an id to give is someone's slug, or taken: one by one
    for row, key in given.items():
        ids[row] = key
    taken.update(shared)
    taken.update(suffixed)
    directory.suffixes.update(number)
    return contested - shared


def _rows_in_order(people: People, rows: Iterable[int]) -> list[int]:
    """``rows`` of ``people`` in :func:`_person_order`: by each value of theirs in turn,
    read from the columns in bulk. A column the file lacks is the same for every row,
    so it is left out of the keys without changing their order."""
    rows = list(rows)
    if len(rows) < 2:
        return rows
    columns: list[Iterable[object]] = []
    given: tuple[Sequence[object], ...] = (
        people.profiles,
        people.emails,
        people.phones,
        people.names,
        people.companies,
        people.roles,
        people.notes,
    )
    for column in given:
        if isinstance(column, OneEach):
            # "" sorts before any value as () before any (value,): no tuple to make.
            columns.append(map(column.values.__getitem__, rows))
        elif column:
            columns.append(map(column.__getitem__, rows))
    if people.connected_on:
        days = map(people.connected_on.__getitem__, rows)
        columns.append([day or dt.date.min for day in days])
    # A stable sort a column at a time, the last first: the same order as sorting by
    # the tuples of each row's values, without making a tuple a row. The columns after
    # one whose values all differ (LinkedIn's profiles) never decide: left out.
    significant: list[list[Any]] = []
    for each in columns:
        values: list[Any] = list(each)
        significant.append(values)
        if len(set(values)) == len(values):
            break
    places: list[int] = list(range(len(rows)))
    for values in reversed(significant):
        places.sort(key=values.__getitem__)
    return list(map(rows.__getitem__, places))


def _in_order(
    contact_of: list[str | None], fast: list[bool], made: dict[str, Contact]
) -> dict[str, Contact | int]:
    """Every new contact of :func:`_plan_people` in the order they were met: the rows
    new for certain (as their row, made when read) among those ``made`` one by one."""
    if not made:
        rows = list(itertools.compress(range(len(fast)), fast))
        return {cast(str, contact_of[row]): row for row in rows}
    ordered: dict[str, Contact | int] = {}
    for row, contact_id in enumerate(contact_of):
        if fast[row]:
            ordered[cast(str, contact_id)] = row
        elif contact_id in made and contact_id not in ordered:
            ordered[contact_id] = made[contact_id]
    return ordered


def _independent(people: People, directory: _Directory) -> list[bool]:
    """Which rows of ``people`` are someone new for certain, so need no lookup: every
    email and profile they give is unknown and given by no other row, and no contact,
    known or another row, of the same name could be them.

    By name (:meth:`_Directory.find`), a person only ever matches a contact that lacks
    an email when the person has one, and lacks a profile when the person has one: so
    someone with a profile is new when nobody of their name lacks a profile, someone
    with an email (no profile) when nobody of their name lacks an email, and someone
    with neither when nobody else has their name. Merging only adds emails and
    profiles, so what holds before the import holds throughout."""
    size = len(people)
    fast = [True] * size
    emails, has_email = _given(people.emails, size)
    profiles, has_profile = _given(people.profiles, size)
    for column, given, known, keys_of in (
        (people.emails, emails, directory.by_email, _email_keys),
        (people.profiles, profiles, directory.by_profile, list if people._keyed else _profile_keys),
    ):
        keys = keys_of(given)
        distinct = set(keys)
        clash = distinct & known.keys()
        if len(distinct) != len(keys):
            counts = collections.Counter(keys)
            clash.update(key for key, count in counts.items() if count > 1)
        if not clash:
            continue
        position = 0
        for row, values in enumerate(column):
            if values:
                if not clash.isdisjoint(keys[position : position + len(values)]):
                    fast[row] = False
                position += len(values)
    if people.phones and any(people.phones):
        # A phone number is a key too: a row whose number anyone else has is looked up.
        keyed = [[directory.phone(p) for p in numbers] for numbers in people.phones]
        seen = collections.Counter(k for keys in keyed for k in set(keys) if k)
        for row, keys in enumerate(keyed):
            if any(k and (seen[k] > 1 or k in directory.by_phone) for k in keys):
                fast[row] = False
    contacts = directory.contacts.values()
    if all(has_profile) and all(contact.profiles for contact in contacts):
        return fast  # nobody lacks a profile: nobody can be matched by name
    norm = directory.norm
    names = list(map(norm, people.names))
    named = collections.Counter(names)
    lacking_email = {name for name, email in zip(names, has_email, strict=True) if not email}
    lacking_profile = {name for name, pro in zip(names, has_profile, strict=True) if not pro}
    for contact in contacts:
        name = norm(contact.name)
        named[name] += 1
        if not contact.emails:
            lacking_email.add(name)
        if not contact.profiles:
            lacking_profile.add(name)
    # The same name at the same company is the same person whatever the emails: a row
    # sharing both with anyone else is looked up.
    if people.companies:
        pairs = [
            (name, norm(company)) if company and not company.isspace() else None
            for name, company in zip(names, people.companies, strict=True)
        ]
        at_company = collections.Counter(pair for pair in pairs if pair is not None)
        for contact in contacts:
            company = directory.company(contact)
            if company:
                at_company[(norm(contact.name), company)] += 1
        for row, pair in enumerate(pairs):
            if pair is not None and at_company[pair] > 1:
                fast[row] = False
    for row, name in enumerate(names):
        if has_profile[row]:
            fast[row] = fast[row] and name not in lacking_profile
        elif has_email[row]:
            fast[row] = fast[row] and name not in lacking_email
        else:
            fast[row] = fast[row] and named[name] == 1
    return fast


def _email_keys(emails: list[str]) -> list[str]:
    return list(map(str.casefold, emails))


def _connections(
    log: ActivityLog,
    people: People,
    contact_of: list[str | None],
    fast: list[bool],
    new: Collection[str],
    zone: Zone,
) -> tuple[Columns, int]:
    """The connection dates of ``people`` as interactions (:func:`_interactions` does the
    same for persons), as the log's columns in time order, and how many were logged
    already. Only rows not new for certain can be: their contact may be known, or found
    twice in the file."""
    days = people.connected_on or (None,) * len(people)
    # The log's columns count microseconds since 1970 (its Row): worked out once a day.
    micros_of: dict[dt.date | None, int] = {
        day: zone.start_micros(day) for day in set(days) if day is not None
    }
    rows: Sequence[int]
    everyone = all(fast)  # then added in the file's order: a row is its contact's place
    if None not in days and (everyone or None not in contact_of):
        rows = range(len(days))  # every row has a day and is someone
    else:
        rows = list(
            itertools.compress(
                range(len(days)), map(operator.and_, map(bool, days), map(bool, contact_of))
            )
        )
    kept = rows
    if not everyone:
        kept = []
        seen: set[tuple[str | None, dt.date | None]] = set()
        for row in rows:
            contact, day = contact_of[row], days[row]
            if not fast[row]:
                if (contact, day) in seen:
                    continue
                seen.add((contact, day))
                at = from_micros(micros_of[day])
                if contact not in new and _logged(log, _connection(at, contact)):
                    continue
            kept.append(row)
    kept_days = days if isinstance(kept, range) else map(days.__getitem__, kept)
    micros = list(map(micros_of.__getitem__, kept_days))
    # By instant, then contact (as plan_import orders them): not the file's order.
    who_kept = contact_of if isinstance(kept, range) else list(map(contact_of.__getitem__, kept))
    by_contact = sorted(range(len(kept)), key=who_kept.__getitem__)  # type: ignore[arg-type]
    order = sorted(by_contact, key=micros.__getitem__)
    who: Sequence[str | None]
    if isinstance(kept, range):
        who = list(map(contact_of.__getitem__, order))
    else:
        who = list(map(contact_of.__getitem__, map(kept.__getitem__, order)))
    count = len(kept)
    columns: Columns = (
        list(map(micros.__getitem__, order)),
        who,
        [InteractionKind.OTHER.value] * count,
        [Channel.LINKEDIN.value] * count,
        [Direction.OUTBOUND.value] * count,
        [None] * count,
        [_CONNECTED] * count,
    )
    return columns, len(rows) - count


_CONNECTED = "Connected on LinkedIn"


def _connection(at: dt.datetime, contact: str | None) -> Interaction:
    return _new_interaction(
        kind=InteractionKind.OTHER,
        at=at,
        contact=contact,
        channel=Channel.LINKEDIN,
        direction=Direction.OUTBOUND,
        event=None,
        notes=_CONNECTED,
    )


@frozen
class _Made:
    """How the contacts of :func:`_plan_people` are made when first read."""

    people: People
    companies: Sequence[str]
    organization: dict[str, str | None]  # a company's
    sources: frozenset[str]

    def contact(self, row: int, contact_id: str) -> Contact:
        people = self.people
        return _contact_from(
            people.names[row],
            people.emails[row] if people.emails else (),
            people.phones[row] if people.phones else (),
            people.profiles[row] if people.profiles else (),
            self.organization[self.companies[row]],
            people.roles[row] if people.roles else "",
            people.notes[row] if people.notes else "",
            self.sources,
            contact_id,
        )

    def fields(self, rows: Sequence[int], names: Collection[str]) -> dict[str, Sequence[Any]]:
        """What :meth:`contact` gives ``rows``, for the fields ``names``, field by field,
        without the contacts (a field it does not set is left out: its default)."""
        people = self.people
        count = len(rows)

        def column(values: Sequence[Any], default: Any) -> Sequence[Any]:
            if not values:
                return [default] * count
            if isinstance(values, OneEach):  # the values themselves, not made one by one
                return [(value,) if value else () for value in map(values.values.__getitem__, rows)]
            return list(map(values.__getitem__, rows))

        def emails() -> Sequence[tuple[str, ...]]:
            found = column(people.emails, ())
            if not any(found):
                return found
            return [tuple(dict.fromkeys(e.lower() for e in row)) if row else () for row in found]

        def phones() -> Sequence[tuple[str, ...]]:
            found = column(people.phones, ())
            if not any(len(row) > 1 for row in found):
                return found
            return [
                _contact_from("-", (), row, (), None, "", "", frozenset(), "x").phones
                for row in found
            ]

        organization, companies = self.organization, self.companies
        made: dict[str, Callable[[], Sequence[Any]]] = {
            "name": lambda: list(map(people.names.__getitem__, rows)),
            "emails": emails,
            "phones": phones,
            "profiles": lambda: column(people.profiles, ()),
            "organization": lambda: list(
                map(organization.__getitem__, map(companies.__getitem__, rows))
            ),
            "role": lambda: column(people.roles, ""),
            "notes": lambda: column(people.notes, ""),
            "sources": lambda: [self.sources] * count,
        }
        return {name: made[name]() for name in names if name in made}


def _merge(
    contact: Contact,
    person: Person,
    label: str,
    directory: _Directory,
    organization_for: Callable[[str], str | None],
    conflicts: list[Conflict],
) -> Contact:
    def more(
        kept: tuple[str, ...], offered: tuple[str, ...], key: Callable[[str], str]
    ) -> tuple[str, ...]:
        seen = {key(x) for x in kept}
        return kept + tuple(x for x in offered if key(x) not in seen)

    def own(
        values: Iterable[str], index: dict[str, str], key: Callable[[str], str], what: str
    ) -> tuple[str, ...]:
        # An email or profile that already identifies someone else is not taken over.
        kept = []
        for value in values:
            holder = index.get(key(value))
            if holder is not None and holder != contact.id:
                conflicts.append(
                    Conflict(contact.id, what, f"belongs to {holder}", value, person.source)
                )
            else:
                kept.append(value)
        return tuple(kept)

    emails = own((e.lower() for e in person.emails), directory.by_email, str.casefold, "emails")
    profiles = own(person.profiles, directory.by_profile, _profile, "profiles")
    phones = person.phones  # a number may be several people's (an office's)
    changes: dict[str, object] = {
        "emails": more(contact.emails, emails, str.casefold),
        "phones": more(contact.phones, phones, lambda p: directory.phone(p) or p),
        "profiles": more(contact.profiles, profiles, _profile),
        "tags": contact.tags | person.tags,
        "sources": contact.sources | {label},
    }
    notes = person.notes.strip()
    if notes and notes not in contact.notes:
        # Each file's notes kept, one paragraph each: a merge never drops what a file says.
        changes["notes"] = f"{contact.notes.rstrip()}\n\n{notes}" if contact.notes else notes
    if person.nickname and not contact.nickname:
        changes["nickname"] = person.nickname
    if person.birthday and person.birthday != contact.birthday:
        if not contact.birthday or (
            contact.birthday.startswith("--") and person.birthday.endswith(contact.birthday[1:])
        ):
            changes["birthday"] = person.birthday  # a year where only the day was known
        elif not (
            person.birthday.startswith("--") and contact.birthday.endswith(person.birthday[1:])
        ):
            conflicts.append(
                Conflict(contact.id, "birthday", contact.birthday, person.birthday, person.source)
            )
    if _norm(person.name) != _norm(contact.name):
        conflicts.append(Conflict(contact.id, "name", contact.name, person.name, person.source))
    if person.role:
        if not contact.role:
            changes["role"] = person.role
        elif _norm(contact.role) != _norm(person.role):
            conflicts.append(Conflict(contact.id, "role", contact.role, person.role, person.source))
    if person.company and not person.company.isspace():
        company = directory.company(contact)
        if not company:
            changes["organization"] = organization_for(person.company)
        elif company != _norm(person.company):
            # Another employer, earlier or besides: kept beside the organization.
            known = {_norm(c) for c in contact.other_companies}
            if _norm(person.company) not in known:
                changes["other_companies"] = (*contact.other_companies, person.company.strip())
            conflicts.append(
                Conflict(contact.id, "company", company, person.company, person.source)
            )
    return attrs.evolve(contact, **changes)  # type: ignore[arg-type]


def _person_order(person: Person) -> tuple[object, ...]:
    """What orders the people of an import: every value but where the file has them
    (:func:`_rows_in_order` orders rows of :class:`People` alike)."""
    # Keys first: each tells one person from another on its own, so the column path
    # seldom has to sort by more than one column.
    return (
        person.profiles,
        person.emails,
        person.phones,
        person.name,
        person.company,
        person.role,
        person.notes,
        person.connected_on or dt.date.min,
        person.nickname,
        person.birthday,
        sorted(person.tags),
    )


def _is_me(person: Person, mine: set[str]) -> bool:
    return any(email.casefold() in mine for email in person.emails)


def _attendees(happenings: Iterable[Happening]) -> Iterator[Person]:
    """Everyone the events list, each once (by email, else profile, else name)."""
    seen: set[str] = set()
    for happening in happenings:
        for person in happening.attendees:
            key = next(
                iter((*(e.casefold() for e in person.emails), *person.profiles)),
                _norm(person.name),
            )
            if key not in seen:
                seen.add(key)
                yield person


def _in_zone(happening: Happening, zone: Zone) -> Happening:
    """A timed event on its local day in the plan's zone (an evening event in New York is
    the next morning in Berlin), as every day of the plan is."""
    if happening.starts_at is None:
        return happening
    day = zone.day(happening.starts_at)
    return happening if day == happening.on else attrs.evolve(happening, on=day)


def _events(
    log: ActivityLog,
    happenings: tuple[Happening, ...],
    today: dt.date | None,
    problems: list[Problem],
) -> tuple[list[Event], list[str], int]:
    """The events to add, the event id of each happening, and how many the log has. A
    known event the file now describes differently (moved, renamed) is kept as it is,
    and the difference goes to ``problems``: like a contact's, never overwritten."""
    existing = log.events()
    stored = {e.id: e for e in existing}
    by_key = {(e.uid or e.id): e.id for e in existing}
    # What netplan exported comes back as "<id>@netplan" (see formats.icalendar).
    by_key.update({f"{e.id}@netplan": e.id for e in existing if not e.uid})
    taken = set(stored)
    added: list[Event] = []
    ids: list[str] = []
    known = 0
    for happening in happenings:
        base = f"{v.slugify(happening.name)}-{happening.on.isoformat()}"
        key = happening.uid or base
        if key in by_key:
            ids.append(by_key[key])
            kept = stored.get(by_key[key])
            if kept is not None:  # else added earlier in this file
                known += 1
                problems.extend(_moved(kept, happening))
            continue
        event_id = v.unused_id(base, taken.__contains__)
        taken.add(event_id)
        by_key[key] = event_id
        added.append(
            Event(
                happening.name,
                happening.on,
                attended=happening.attendable and (today is None or happening.on < today),
                starts_at=happening.starts_at,
                ends_at=happening.ends_at,
                until=happening.until,
                location=happening.location,
                url=happening.url,
                uid=happening.uid,
                id=event_id,
            )
        )
        ids.append(event_id)
    return added, ids, known


def _moved(kept: Event, happening: Happening) -> Iterator[Problem]:
    """What the file says differently of an event the log has (fields it can tell)."""
    differences = [
        ("name", kept.name, happening.name),
        ("day", kept.on, happening.on),
        ("last day", kept.until, happening.until),
        ("start", kept.starts_at, happening.starts_at),
        ("location", kept.location, happening.location),
    ]
    for what, was, now in differences:
        if was != now and now not in (None, ""):
            yield Problem(
                happening.source,
                f"event {kept.id!r} now has the {what} {str(now)!r} in the file; "
                f"{str(was)!r} is kept (update the event to take the new one)",
                what,
            )


def _interactions(
    log: ActivityLog,
    people: Sequence[Person],
    touches: Sequence[Touch],
    left_out: list[Problem],
    directory: _Directory,
    contact_of: list[str | None],
    new: Collection[str],
    meetings: Iterable[tuple[Happening, str]],
    zone: Zone,
) -> tuple[list[Interaction], int]:
    """The interactions a file records, each with the contact it is with; those already
    logged (same contact, instant, kind and direction) are counted, not repeated.
    ``contact_of`` is the contact each person of the file is; ``new`` the contacts the
    import adds, which have nothing logged yet. A touch no contact can be told for is
    left out with a problem in ``left_out``."""
    candidates: list[Interaction] = []
    midnights: dict[dt.date, dt.datetime] = {}
    for person, contact in zip(people, contact_of, strict=False):
        if contact is not None and person.connected_on is not None:
            at = midnights.get(person.connected_on)
            if at is None:
                at = midnights[person.connected_on] = zone.start(person.connected_on)
            candidates.append(_connection(at, contact))
    said = {problem.source for problem in left_out}  # a row's problem is told once
    for touch in touches:
        profiles = (touch.profile,) if touch.profile else ()
        contact = _known(directory.find(Person(touch.name, touch.source, profiles=profiles)))
        if contact is None and touch.source not in said:
            left_out.append(
                Problem(
                    touch.source,
                    f"cannot tell which contact {touch.name!r} is (several have the name and "
                    "the row gives no profile): left out; merge the contacts or add the "
                    "profile, then import the file again",
                    "name",
                )
            )
        elif contact is not None:
            candidates.append(
                Interaction(
                    touch.kind,
                    touch.at,
                    contact=contact,
                    channel=touch.channel,
                    direction=touch.direction,
                    notes=touch.notes,
                )
            )
    for happening, event_id in meetings:
        at = happening.starts_at or zone.start(happening.on)
        channel = Channel.VIDEO if happening.online else Channel.IN_PERSON
        for person in happening.attendees:
            contact = _known(directory.find(person))
            if contact is not None:
                candidates.append(
                    Interaction(
                        InteractionKind.MET,
                        at,
                        contact=contact,
                        channel=channel,
                        direction=Direction.MUTUAL,
                        event=event_id,
                        notes=f"At {happening.name}",
                    )
                )
    # In time order: the log then appends each after the last, with nothing to merge.
    # Ties in an order of their values, not the file's: of two rows at one instant,
    # the same one is kept whatever their order.
    candidates.sort(key=_interaction_order)
    found: list[Interaction] = []
    seen: set[tuple[str | None, dt.datetime, InteractionKind, Direction]] = set()
    for interaction in candidates:
        key = (interaction.contact, interaction.at, interaction.kind, interaction.direction)
        if key not in seen and (interaction.contact in new or not _logged(log, interaction)):
            found.append(interaction)
        seen.add(key)
    return found, len(candidates) - len(found)


_new_contact = v.unchecked(Contact)
_new_interaction = v.unchecked(Interaction)
_new_organization = v.unchecked(Organization)


def _interaction_order(interaction: Interaction) -> tuple[object, ...]:
    return (
        interaction.at,
        interaction.contact or "",
        interaction.kind.value,
        interaction.direction.value,
        interaction.channel.value,
        interaction.notes,
        interaction.event or "",
    )


def _known(found: str | None) -> str | None:
    return None if found == AMBIGUOUS else found


def _logged(log: ActivityLog, interaction: Interaction) -> bool:
    assert interaction.contact is not None
    try:
        log.contact(interaction.contact)
    except NotFoundError:
        return False  # a contact this import adds has nothing logged yet
    same = log.interactions(
        interaction.at,
        interaction.at + dt.timedelta(microseconds=1),
        contact=interaction.contact,
        kind=interaction.kind,
    )
    return any(i.direction is interaction.direction for i in same)
