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
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Protocol, Self, TypeVar, cast, runtime_checkable

import attrs
from attrs import field, frozen

from netplan import _validation as v
from netplan._lazy import Made
from netplan._validation import Choice
from netplan.errors import ImportAbortedError, NotFoundError, ValidationError
from netplan.log import ActivityLog, Columns, Places, paused_gc
from netplan.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Organization,
    _tags,
    _valid_birthday,
)
from netplan.zones import UTC_ZONE, Zone

__all__ = [
    "Changes",
    "Conflict",
    "Happening",
    "ImportReport",
    "Importer",
    "plan_import",
    "profile_key",
    "profile_keys",
    "Parsed",
    "People",
    "Person",
    "Problem",
    "ProblemLevel",
    "Source",
    "Touch",
    "CalendarWindow",
    "Windowed",
    "decode_text",
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
    emails: tuple[str, ...] = field(default=(), converter=v.to_tuple, validator=v.items(str))
    phones: tuple[str, ...] = field(default=(), converter=v.to_tuple, validator=v.items(str))
    profiles: tuple[str, ...] = field(default=(), converter=v.to_tuple, validator=v.items(str))
    company: str = field(default="", validator=v.instance_of(str))
    role: str = field(default="", validator=v.instance_of(str))
    connected_on: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    """When the file says the person was first connected with (a LinkedIn connection)."""
    notes: str = field(default="", validator=v.instance_of(str))
    nickname: str = field(default="", validator=v.instance_of(str))
    birthday: str = field(default="", validator=_valid_birthday)
    """As :attr:`netplan.Contact.birthday`: :func:`netplan.read_birthday` reads a file's."""
    tags: frozenset[str] = field(default=frozenset(), converter=_tags, validator=v.identifiers)
    """Labels and categories the file gives (Google's ``Labels``, vCard ``CATEGORIES``),
    without the system labels every contact has (Google's ``* myContacts``)."""


@frozen
class Touch:
    """An interaction a file records with someone it names (a message, an invitation)."""

    name: str = field(validator=v.non_blank)
    at: dt.datetime = field(validator=v.aware)
    kind: InteractionKind = field(converter=v.choice(InteractionKind))  # type: ignore[misc]  # the attrs mypy plugin cannot read a Converter
    direction: Direction = field(converter=v.choice(Direction))  # type: ignore[misc]  # the attrs mypy plugin cannot read a Converter
    source: Source = field(validator=v.instance_of(Source))
    profile: str = field(default="", validator=v.instance_of(str))
    channel: Channel = field(default=Channel.OTHER, converter=v.choice(Channel))  # type: ignore[misc]  # the attrs mypy plugin cannot read a Converter
    thread: str = field(default="", validator=v.instance_of(str))
    """The conversation it belongs to, when the file says (LinkedIn's CONVERSATION ID)."""
    notes: str = field(default="", validator=v.instance_of(str))


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
    attendees: tuple[Person, ...] = field(
        default=(), converter=v.to_tuple, validator=v.items(Person)
    )
    """The people met there: attendees and organizer, without those who declined and
    without rooms and resources."""


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


_LEVEL = v.choice(ProblemLevel)


@frozen
class Problem:
    """Something wrong in a file, precise enough to fix: where, which field, what."""

    source: Source
    message: str
    field: str = ""
    level: ProblemLevel = attrs.field(default=ProblemLevel.WARNING, converter=_LEVEL)  # type: ignore[misc]  # the attrs mypy plugin cannot read a Converter

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
    names: Sequence[str] = field(converter=_column)
    lines: Sequence[int] = field(default=(), converter=_column)
    emails: Sequence[tuple[str, ...]] = field(default=(), converter=_column)
    phones: Sequence[tuple[str, ...]] = field(default=(), converter=_column)
    profiles: Sequence[tuple[str, ...]] = field(default=(), converter=_column)
    companies: Sequence[str] = field(default=(), converter=_column)
    roles: Sequence[str] = field(default=(), converter=_column)
    connected_on: Sequence[dt.date | None] = field(default=(), converter=_column)
    notes: Sequence[str] = field(default=(), converter=_column)
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


class _Singles(Made[tuple[str, ...]]):
    """A column of :class:`People` with at most one value a person (a file's one email
    column), held as the values themselves ("" for none): no tuple to make per row, or
    for the collector to walk. Reads as the tuples it stands for."""

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
    if isinstance(values, _Singles):
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


_ENCODINGS = ("utf-8", "cp1252")


def decode_text(data: bytes, encodings: Iterable[str] = _ENCODINGS) -> tuple[str, str]:
    """``data`` as text, and the encoding that read it: a byte-order mark decides, then
    the first of ``encodings`` that decodes the whole of it (UTF-8, then Windows-1252),
    else UTF-8 with replacement characters. Line endings are normalised to ``\\n``."""
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _lines(data.decode(encoding, errors="replace")), encoding
    for encoding in encodings:
        try:
            return _lines(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
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

    def _repr_html_(self) -> str:
        """The report as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        from netplan.notebook.html import import_report_html

        return import_report_html(self)


@frozen
class Changes:
    """What importing a file into a log adds and updates, and its report."""

    add: Sequence[Organization | Contact | Event | Interaction]
    """What the import adds, in the order added: organizations, contacts, events, then
    interactions (a large import makes each record when it is read)."""
    update: tuple[Contact, ...]
    report: ImportReport

    def apply(self, log: ActivityLog) -> None:
        """Make the changes in ``log``, all or nothing: they are made on a copy, which
        ``log`` becomes once they all succeeded, so a failure leaves ``log`` as it was."""
        trial = log.copy()
        self.apply_unchecked(trial)
        log.take_over(trial)

    def apply_unchecked(self, log: ActivityLog) -> None:
        """Make the changes in ``log`` directly: a failure half way leaves it half
        changed. For a log about to be thrown away, as when planning several files."""
        if isinstance(self.add, _Additions):
            self.add.add_to(log)
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

    def __init__(self, log: ActivityLog) -> None:
        self.by_email: dict[str, str] = {}
        self.by_profile: dict[str, str] = {}
        self.by_name_company: dict[tuple[str, str], dict[Bucket, list[str]]] = {}
        self.by_name: dict[str, dict[Bucket, list[str]]] = {}
        self.unplaced: dict[str, dict[Bucket, list[str]]] = {}
        self.contacts: dict[str, Contact] = {}
        self.organizations: dict[str, str] = {}  # normalised name -> id
        self.organization_names: dict[str, str] = {}  # id -> normalised name
        self.taken: set[str] = set()
        self.suffixes: dict[str, int] = {}
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

    def add_organization(self, name: str, organization_id: str) -> None:
        self.organizations.setdefault(self.norm(name), organization_id)
        self.organization_names[organization_id] = self.norm(name)
        self.taken.add(organization_id)

    def company(self, contact: Contact) -> str:
        if contact.organization is None:
            return ""
        return self.organization_names.get(contact.organization, "")

    def _places(self, contact: Contact) -> list[dict[Bucket, list[str]]]:
        name = self.norm(contact.name)
        company = self.company(contact)
        places = [
            self.by_name.setdefault(name, {}),
            self.by_name_company.setdefault((name, company), {}),
        ]
        if not company:
            places.append(self.unplaced.setdefault(name, {}))
        return places

    def remember(self, contact: Contact) -> None:
        self.contacts[contact.id] = contact
        self.taken.add(contact.id)
        for email in contact.emails:
            self.by_email.setdefault(email.casefold(), contact.id)
        for profile in contact.profiles:
            self.by_profile.setdefault(self.profile(profile), contact.id)
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
        bucket = (bool(contact.emails), bool(contact.profiles))
        for place in self._places(contact):
            members = place.get(bucket, [])
            if contact.id in members:
                members.remove(contact.id)

    def find(self, person: Person) -> str | None:
        """The id of the contact ``person`` is, None for nobody yet, or :data:`AMBIGUOUS`."""
        for email in person.emails:
            if email.casefold() in self.by_email:
                return self.by_email[email.casefold()]
        for profile in person.profiles:
            key = self.profile(profile)
            if key in self.by_profile:
                return self.by_profile[key]
        name, company = self.norm(person.name), self.norm(person.company)
        exact = self._compatible(self.by_name_company.get((name, company)), person)
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            return AMBIGUOUS
        # A company on one side only: the same name is the same person when it is
        # unambiguous (among the contacts without a company first: a file that leaves the
        # company out, a contact a later file gave one).
        unplaced = self._compatible(self.unplaced.get(name), person)
        if len(unplaced) == 1:
            return unplaced[0]
        if not company:
            same = self._compatible(self.by_name.get(name), person)
            if len(same) == 1:
                return same[0]
            if len(same) > 1:
                return AMBIGUOUS
        return None

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
        """``base``, or ``base-2``, ``base-3``... whichever is free first; now taken."""
        if base not in self.taken:  # the first of its name (no suffix: as if number 1)
            self.taken.add(base)
            return base
        candidate, number = base, self.suffixes.get(base, 1)
        while candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.suffixes[base] = number
        self.taken.add(candidate)
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
    return _keyed_profiles(urls)[0]


def _keyed_profiles(urls: Sequence[str]) -> tuple[list[str], bool]:
    """:func:`profile_keys`, and whether each is also what :func:`plan_import` files a
    profile by (so :attr:`People._keyed` may say so): LinkedIn profiles whose ids have
    no letter that case folding changes beyond lowercasing (an "ß")."""
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
    planner = _Planner(log, f"{format}:{file}")
    people = parsed.people
    if isinstance(people, People) and not parsed.touches and not parsed.events:
        with paused_gc():
            return _plan_people(planner, log, people, parsed.problems, file, format, dry_run, zone)
    mine = {address.casefold() for address in me}
    happenings = tuple(
        _in_zone(
            attrs.evolve(h, attendees=[p for p in h.attendees if not _is_me(p, mine)])
            if mine and any(_is_me(p, mine) for p in h.attendees)
            else h,
            zone,
        )
        for h in parsed.events
    )
    # Who each person of the file turned out to be: their connection date is logged with it.
    contact_of = [planner.take(person) for person in (*people, *_attendees(happenings))]
    moved: list[Problem] = []
    events, event_ids, known_events = _events(log, happenings, today, moved)
    meetings = [
        (happening, event_ids[i])
        for i, happening in enumerate(happenings)
        if today is None or happening.on < today
    ]
    interactions, duplicates = _interactions(
        log, parsed, planner.directory, contact_of, planner.new_contacts.keys(), meetings, zone
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

    def __init__(self, log: ActivityLog, label: str) -> None:
        self.directory = _Directory(log)
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
            organization = _new_organization(name=company, id=directory.fresh_id(company))
            self.new_organizations.append(organization)
            directory.add_organization(company, organization.id)
        return directory.organizations[key]

    def take(self, person: Person) -> str | None:
        """The id of the contact ``person`` is, once added or merged; None when it cannot
        be told (several contacts could be them: the report says so)."""
        directory = self.directory
        found = directory.find(person)
        if found == AMBIGUOUS:
            self.unsure.append(
                Problem(
                    person.source,
                    f"several contacts are named {person.name!r} and the file gives no "
                    "company, email or profile to tell which: left out (add one, or merge "
                    "the contacts)",
                    "name",
                )
            )
            return None
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
) -> Contact:
    """A new contact of a person a file names (their values are checked already)."""
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
    first_fast = first_row
    if not everyone:
        fast_rows = list(itertools.compress(range(size), fast))
        fast_companies = list(itertools.compress(companies, fast))
        first_fast = {
            company: fast_rows[place] for company, place in _first_places(fast_companies).items()
        }
    new_companies = [
        company
        for company in first_row
        if company
        and not company.isspace()
        and directory.norm(company) not in directory.organizations
    ]
    creating = {first_fast[company] for company in new_companies if company in first_fast}
    bases = v.slugify_all(names)
    contact_of: list[str | None] = list(bases)
    contested = _ids_in_bulk(bases, directory, directory.slug_many(new_companies), fast, contact_of)
    special = set(itertools.compress(range(size), map(contested.__contains__, bases)))
    if not everyone:
        special.update(itertools.compress(range(size), map(operator.not_, fast)))
    # In the file's order: ids then come out as they would one person at a time.
    for row in sorted(special | creating):
        if not fast[row]:
            contact_of[row] = planner.take(people[row])
            continue
        if row in creating:
            planner.organization_for(companies[row])
        if bases[row] in contested:
            contact_of[row] = directory.unused(bases[row])
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
    return Changes(
        _Additions(tuple(planner.new_organizations), ids, items, made, columns),
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
    company_bases: list[str],
    fast: list[bool],
    ids: list[str | None],
) -> set[str]:
    """Give the people of :func:`_plan_people` new for certain their ids, as far as it
    can be done in bulk, into ``ids`` (which holds their slugs, ``bases``); the slugs
    left to give one by one, in the file's order, are returned.

    A slug nobody else has (no other person, no new organization), not taken and not
    ending like "ana-silva-2" (an id a second "Ana Silva" gets) is its person's id. A
    slug several people new for certain share, and nothing else (no organization, no
    one looked up), gives them "ana-silva", "ana-silva-2", "ana-silva-3"... in the
    file's order, as one at a time would, unless one of those is taken or is someone's
    slug. Everything else is given one by one."""
    counts = collections.Counter(bases)
    own = set(company_bases)  # slugs someone other than the new for certain may take
    if not all(fast):
        own.update(itertools.compress(bases, map(operator.not_, fast)))
    counts.update(company_bases)
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
    for row in itertools.compress(range(len(bases)), map(shared.__contains__, bases)):
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
                at = _instant(micros_of[day])
                if contact not in new and _logged(log, _connection(at, contact)):
                    continue
            kept.append(row)
    kept_days = days if isinstance(kept, range) else map(days.__getitem__, kept)
    micros = list(map(micros_of.__getitem__, kept_days))
    order = sorted(range(len(kept)), key=micros.__getitem__)  # stable: file order kept
    who: Sequence[str | None]
    if everyone and isinstance(kept, range):
        who = Places(cast(list[str], contact_of), order)
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


def _instant(micros: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=micros)


_CONNECTED = "Connected on LinkedIn"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


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


Record = Organization | Contact | Event | Interaction


class _Additions(Made[Record]):
    """What :func:`_plan_people` adds, as :attr:`Changes.add` lists it (organizations,
    contacts, interactions), each made when read; :meth:`Changes.apply` adds the
    contacts not made yet as they are, and the interactions as columns."""

    def __init__(
        self,
        organizations: tuple[Organization, ...],
        contact_ids: list[str],
        contacts: Sequence[Contact | int],
        made: _Made,
        columns: Columns,
    ) -> None:
        self._organizations = organizations
        self._contact_ids = contact_ids
        self._contacts = contacts  # each a contact, or the row of People it is made of
        self._made = made
        self._columns = columns

    def __len__(self) -> int:
        return len(self._organizations) + len(self._contacts) + len(self._columns[0])

    def _item(self, index: int) -> Record:
        if index < len(self._organizations):
            return self._organizations[index]
        index -= len(self._organizations)
        if index < len(self._contact_ids):
            item = self._contacts[index]
            if isinstance(item, Contact):
                return item
            return self._made.contact(item, self._contact_ids[index])
        index -= len(self._contact_ids)
        return _connection(_instant(self._columns[0][index]), self._columns[1][index])

    def __repr__(self) -> str:
        return (
            f"<{len(self._organizations)} organizations, {len(self._contacts)} contacts, "
            f"{len(self._columns[0])} interactions>"
        )

    def add_to(self, log: ActivityLog) -> None:
        # Changes.apply works on a copy of the log: all or nothing is kept there.
        contacts = (self._contact_ids, self._contacts, self._made.contact)
        log._add_bulk(self._organizations, contacts, self._columns)


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
    changes: dict[str, object] = {
        "emails": more(contact.emails, emails, str.casefold),
        "phones": more(contact.phones, person.phones, lambda p: "".join(filter(str.isdigit, p))),
        "profiles": more(contact.profiles, profiles, _profile),
        "sources": contact.sources | {label},
    }
    if _norm(person.name) != _norm(contact.name):
        conflicts.append(Conflict(contact.id, "name", contact.name, person.name, person.source))
    if person.role:
        if not contact.role:
            changes["role"] = person.role
        elif _norm(contact.role) != _norm(person.role):
            conflicts.append(Conflict(contact.id, "role", contact.role, person.role, person.source))
    if person.company:
        company = directory.company(contact)
        if not company:
            changes["organization"] = organization_for(person.company)
        elif company != _norm(person.company):
            conflicts.append(
                Conflict(contact.id, "company", company, person.company, person.source)
            )
    return attrs.evolve(contact, **changes)  # type: ignore[arg-type]


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
                attended=today is None or happening.on < today,
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
    parsed: Parsed,
    directory: _Directory,
    contact_of: list[str | None],
    new: Collection[str],
    meetings: Iterable[tuple[Happening, str]],
    zone: Zone,
) -> tuple[list[Interaction], int]:
    """The interactions a file records, each with the contact it is with; those already
    logged (same contact, instant, kind and direction) are counted, not repeated.
    ``contact_of`` is the contact each person of the file is; ``new`` the contacts the
    import adds, which have nothing logged yet."""
    candidates: list[Interaction] = []
    midnights: dict[dt.date, dt.datetime] = {}
    for person, contact in zip(parsed.people, contact_of, strict=False):
        if contact is not None and person.connected_on is not None:
            at = midnights.get(person.connected_on)
            if at is None:
                at = midnights[person.connected_on] = zone.start(person.connected_on)
            candidates.append(_connection(at, contact))
    for touch in parsed.touches:
        profiles = (touch.profile,) if touch.profile else ()
        contact = _known(directory.find(Person(touch.name, touch.source, profiles=profiles)))
        if contact is not None:
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
    candidates.sort(key=attrgetter("at"))
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
