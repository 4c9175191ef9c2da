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

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from operator import attrgetter
from typing import Protocol, Self, runtime_checkable

import attrs
from attrs import field, frozen

from netplan import _validation as v
from netplan._validation import Choice
from netplan.errors import ImportAbortedError, NotFoundError, ValidationError
from netplan.log import ActivityLog
from netplan.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Organization,
)

__all__ = [
    "Changes",
    "Conflict",
    "Happening",
    "ImportReport",
    "Importer",
    "plan_import",
    "profile_key",
    "Parsed",
    "Person",
    "Problem",
    "ProblemLevel",
    "Source",
    "Touch",
    "CalendarWindow",
    "Windowed",
    "decode_text",
]


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

    ``on`` is the calendar day in the calendar's own zone; ``starts_at`` and ``ends_at``
    are instants, absent for all-day events. ``uid`` identifies the occurrence across
    imports (for a series, its UID and the occurrence's start)."""

    name: str = field(validator=v.non_blank)
    on: dt.date = field(validator=v.a_date)
    source: Source = field(validator=v.instance_of(Source))
    starts_at: dt.datetime | None = field(default=None, validator=v.optional(v.aware))
    ends_at: dt.datetime | None = field(default=None, validator=v.optional(v.aware))
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


@frozen
class Parsed:
    """What an importer read out of one file."""

    people: tuple[Person, ...]
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

    add: tuple[Organization | Contact | Event | Interaction, ...]
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

    def fresh_id(self, text: str) -> str:
        base = v.slugify(text)
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
) -> Changes:
    """What importing ``parsed`` (the records of ``file``, in ``format``) into ``log``
    would change, without changing it.

    One person arriving from several sources becomes one contact: a person matches a
    contact with one of their emails, else one of their profile URLs, else the same name
    (without case, accents or punctuation) at the same company. Matched contacts gain what they lack
    (emails, phones, profiles, a role, a company) and the file as a source; a differing
    value they have is a :class:`Conflict`, never overwritten. Importing the same file
    again changes nothing. A LinkedIn connection date becomes an interaction of kind
    ``other`` on that day; messages and invitations become interactions, skipped when
    already logged.

    Calendar events become :class:`~netplan.Event` records, recognised on a later import
    by their calendar UID. An event before ``today`` (every event, when ``today`` is
    None) counts as attended, and each of its attendees as met there (an interaction of
    kind ``met`` linked to it); a later one is added as planned, with nobody met yet.
    ``me`` holds the person's own email addresses: in their own calendar they are an
    attendee of everything, and not a contact of theirs. An event netplan exported
    (``<id>@netplan``) is found by its id.

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
    directory = _Directory(log)
    label = f"{format}:{file}"
    added: list[str] = []
    merged: dict[str, None] = {}
    unchanged = 0
    conflicts: list[Conflict] = []
    new_organizations: list[Organization] = []
    new_contacts: dict[str, Contact] = {}
    updated: dict[str, Contact] = {}
    unsure: list[Problem] = []

    def organization_for(company: str) -> str | None:
        if not company:
            return None
        key = directory.norm(company)
        if key not in directory.organizations:
            organization = Organization(company, id=directory.fresh_id(company))
            new_organizations.append(organization)
            directory.add_organization(company, organization.id)
        return directory.organizations[key]

    # Who each person of the file turned out to be: their connection date is logged with it.
    contact_of: list[str | None] = []
    mine = {address.casefold() for address in me}
    happenings = tuple(
        attrs.evolve(h, attendees=[p for p in h.attendees if not _is_me(p, mine)])
        if mine and any(_is_me(p, mine) for p in h.attendees)
        else h
        for h in parsed.events
    )
    for person in (*parsed.people, *_attendees(happenings)):
        found = directory.find(person)
        contact_of.append(_known(found))
        if found == AMBIGUOUS:
            unsure.append(
                Problem(
                    person.source,
                    f"several contacts are named {person.name!r} and the file gives no "
                    "company, email or profile to tell which: left out (add one, or merge "
                    "the contacts)",
                    "name",
                )
            )
            continue
        if found is None:
            contact = _new_contact(
                name=person.name,
                emails=tuple(dict.fromkeys(e.lower() for e in person.emails)),
                phones=person.phones,
                profiles=person.profiles,
                organization=organization_for(person.company),
                role=person.role,
                notes=person.notes,
                sources=frozenset({label}),
                id=directory.fresh_id(person.name),
            )
            new_contacts[contact.id] = contact
            directory.remember(contact)
            added.append(contact.id)
            contact_of[-1] = contact.id
            continue
        current = directory.contacts[found]
        changed = _merge(current, person, label, directory, organization_for, conflicts)
        if changed == current:
            unchanged += 1
            continue
        directory.forget(current)
        directory.remember(changed)
        if found in new_contacts:
            new_contacts[found] = changed
        else:
            updated[found] = changed
            merged[found] = None

    moved: list[Problem] = []
    events, event_ids, known_events = _events(log, happenings, today, moved)
    meetings = [
        (happening, event_ids[i])
        for i, happening in enumerate(happenings)
        if today is None or happening.on < today
    ]
    interactions, duplicates = _interactions(
        log, parsed, directory, contact_of, new_contacts.keys(), meetings
    )
    report = ImportReport(
        file,
        format,
        tuple(added),
        tuple(merged),
        unchanged,
        len(interactions),
        duplicates,
        tuple(conflicts),
        (*parsed.problems, *unsure, *moved),
        dry_run,
        tuple(e.id for e in events),
        known_events,
    )
    return Changes(
        (*new_organizations, *new_contacts.values(), *events, *interactions),
        tuple(updated.values()),
        report,
    )


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
                at = dt.datetime.combine(person.connected_on, dt.time(), tzinfo=dt.UTC)
                midnights[person.connected_on] = at
            candidates.append(
                _new_interaction(
                    kind=InteractionKind.OTHER,
                    at=at,
                    contact=contact,
                    channel=Channel.LINKEDIN,
                    direction=Direction.OUTBOUND,
                    event=None,
                    notes="Connected on LinkedIn",
                )
            )
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
        at = happening.starts_at or dt.datetime.combine(happening.on, dt.time(), tzinfo=dt.UTC)
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
