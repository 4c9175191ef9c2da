"""Step 4, implement: the people, organizations, events and interactions a person logs.

These are the records of the activity log (:class:`netplan.ActivityLog`). Contacts are
people: netplan keeps what the person chose to record about them and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core import display
from netplan.core._validation import Choice
from netplan.core.errors import ValidationError
from netplan.core.periods import UTC

__all__ = [
    "Channel",
    "Contact",
    "Direction",
    "Event",
    "Interaction",
    "InteractionKind",
    "Membership",
    "Organization",
    "Segment",
    "birthday_on",
    "name_key",
    "read_birthday",
]


def _to_utc(value: Any) -> Any:
    # Validators run after converters, so a non-datetime or naive value passes through
    # untouched here and the validator reports it.
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        # fold says which of two equal wall times is meant; in UTC there is one, so a
        # fold left over from a local time would only make equal instants look unequal.
        try:
            return value.astimezone(UTC).replace(fold=0)
        except OverflowError:  # the validator says which years an instant may fall in
            return value
    return value


class InteractionKind(Choice):
    """What happened between the person and a contact."""

    MET = "met"
    FOLLOW_UP = "follow_up"
    MESSAGE = "message"
    CALL = "call"
    COFFEE = "coffee"
    INTRO_GIVEN = "intro_given"
    INTRO_RECEIVED = "intro_received"
    REFERRAL = "referral"
    POST = "post"
    OTHER = "other"


class Channel(Choice):
    """Where an interaction took place."""

    IN_PERSON = "in_person"
    EMAIL = "email"
    PHONE = "phone"
    VIDEO = "video"
    LINKEDIN = "linkedin"
    MESSAGING = "messaging"
    SOCIAL = "social"
    OTHER = "other"


class Direction(Choice):
    """Who reached out: the person (outbound), the contact (inbound), or both at once."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"
    MUTUAL = "mutual"


# The converters of this module's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _interaction_kind(value: InteractionKind | str) -> InteractionKind: ...
    def _channel(value: Channel | str) -> Channel: ...
    def _direction(value: Direction | str) -> Direction: ...
    def _instant(value: dt.datetime) -> dt.datetime: ...
    def _instant_or_none(value: dt.datetime | None) -> dt.datetime | None: ...
    def _memberships(value: Iterable[Membership] | None) -> tuple[Membership, ...]: ...

else:
    _interaction_kind = v.choice(InteractionKind)
    _channel = v.choice(Channel)
    _direction = v.choice(Direction)
    _instant = _instant_or_none = _to_utc
    _memberships = v.to_tuple


FOLLOW_UP_KINDS = frozenset(
    {
        InteractionKind.FOLLOW_UP,
        InteractionKind.MESSAGE,
        InteractionKind.CALL,
        InteractionKind.COFFEE,
    }
)
"""What answers a meeting: the follow-up policy, the follow-up rate and the agenda agree."""

_DEFAULT_CHANNEL = {
    InteractionKind.MET: Channel.IN_PERSON,
    InteractionKind.COFFEE: Channel.IN_PERSON,
    InteractionKind.CALL: Channel.PHONE,
    InteractionKind.FOLLOW_UP: Channel.EMAIL,
    InteractionKind.MESSAGE: Channel.EMAIL,
    InteractionKind.POST: Channel.SOCIAL,
}
_DEFAULT_DIRECTION = {
    InteractionKind.MET: Direction.MUTUAL,
    InteractionKind.COFFEE: Direction.MUTUAL,
    InteractionKind.CALL: Direction.MUTUAL,
    InteractionKind.INTRO_RECEIVED: Direction.INBOUND,
}


_BIRTHDAY = re.compile(r"^(?:(\d{4})|-)-(\d{2})-(\d{2})$")
_BIRTHDAY_FORMS = (
    # vCard 4 and Google without a year (--12-25, --1225), ISO (1990-12-25, 19901225),
    # then the month/day/year Outlook and US address books write (12/25/1990, 12/25/90).
    re.compile(r"^--(?P<m>\d{2})-?(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})(?:T.*)?$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2}|\d{4})$"),
)
NO_YEAR = (1604, 1900)
"""Years address books write for a birthday without one: Apple 1604 (a leap year before
the Gregorian calendar reached England), and 1900 in some exports. Read as no year."""


def _valid_birthday(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value == "":
        return
    found = _BIRTHDAY.match(value) if isinstance(value, str) else None
    if found is None or _birthday_parts(found) is None:
        v.fail(instance, attribute, value, "must be a birthday as --MM-DD or YYYY-MM-DD")


def _birthday_parts(found: re.Match[str]) -> tuple[int | None, int, int] | None:
    year = int(found.group(1)) if found.group(1) else None
    month, day = int(found.group(2)), int(found.group(3))
    try:
        dt.date(year or 2000, month, day)  # 2000 was a leap year: 29 February is a day
    except ValueError:
        return None
    return year, month, day


def read_birthday(text: str) -> str:
    """A birthday as address books write it, as netplan keeps it: ``--MM-DD`` without a
    year, ``YYYY-MM-DD`` with one; ``""`` when the file says there is none (empty,
    Outlook's ``0/0/00``, Apple's year 1604 keeps the day and drops the year).

    Raises:
        ValueError: ``text`` is not a birthday netplan can read (free text such as
            "circa 1800"); the message says which forms are read.
    """
    text = text.strip()
    if not text or text.strip("0/-.") == "":
        return ""
    for form in _BIRTHDAY_FORMS:
        found = form.match(text)
        if found is None:
            continue
        parts = found.groupdict()
        year = int(parts["y"]) if parts.get("y") else None
        if year is not None and year < 100:  # 12/25/90: the century a living person has
            year += 1900 if year > 30 else 2000
        if year in NO_YEAR:
            year = None
        kept = f"{year:04d}-" if year else "--"
        kept += f"{int(parts['m']):02d}-{int(parts['d']):02d}"
        if _birthday_parts(cast(re.Match[str], _BIRTHDAY.match(kept))) is None:
            break
        return kept
    raise ValueError(
        f"{text!r} is not a birthday netplan reads: write it as YYYY-MM-DD, --MM-DD "
        "(no year) or MM/DD/YYYY"
    )


def birthday_on(birthday: str, year: int) -> dt.date | None:
    """The day of ``year`` a contact's ``birthday`` falls on (29 February on 28 February
    in other years); None without a birthday."""
    found = _BIRTHDAY.match(birthday)
    if found is None:
        return None
    month, day = int(found.group(2)), int(found.group(3))
    if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        day = 28
    return dt.date(year, month, day)


@frozen(cache_hash=True)  # a key of the caches reviews use
class Segment:
    """A slice of the network a target or action is narrowed to.

    Every criterion given must match (``Segment(tag="climate", industry="energy")`` means
    both). Tags and industries compare case-insensitively.
    """

    tag: str | None = field(
        default=None,
        converter=v.lowered_text_or_none,
        validator=v.optional(v.non_blank),
    )
    industry: str | None = field(
        default=None,
        converter=v.lowered_text_or_none,
        validator=v.optional(v.non_blank),
    )
    organization: str | None = field(default=None, validator=v.optional(v.identifier))

    def __attrs_post_init__(self) -> None:
        if self.tag is None and self.industry is None and self.organization is None:
            raise ValidationError(
                "Segment", self, "name at least one of tag, industry or organization"
            )

    def describe(self) -> str:
        """The segment in words, each criterion given: ``"tagged climate, in energy, at
        acme"``.

        >>> Segment(tag="climate").describe(), Segment(industry="Energy").describe()
        ('tagged climate', 'in energy')
        """
        parts = (
            ("tagged", self.tag),
            ("in", self.industry),
            ("at", self.organization),
        )
        return ", ".join(f"{word} {value}" for word, value in parts if value is not None)

    def matches(self, contact: Contact, organization: Organization | None = None) -> bool:
        """Whether ``contact`` (working at ``organization``, if known) is in this segment."""
        return self.matches_values(
            contact.tags, contact.organization, contact.industry, organization
        )

    def matches_values(
        self,
        tags: frozenset[str],
        organization_id: str | None,
        industry: str | None,
        organization: Organization | None = None,
    ) -> bool:
        """:meth:`matches` given a contact's tags, organization id and industry (as a
        store's columns hold them, with no contact made)."""
        if self.tag is not None and self.tag not in tags:
            return False
        if self.organization is not None and self.organization != organization_id:
            return False
        if self.industry is not None:
            industries = {industry}
            if organization is not None:
                industries.add(organization.industry)
            if self.industry not in industries:
                return False
        return True

    def __str__(self) -> str:
        parts = [f"{k}={getattr(self, k)}" for k in ("tag", "industry", "organization")]
        return ", ".join(p for p in parts if not p.endswith("=None"))


def name_key(name: str) -> str:
    """A name as a person may type it, in any case and spacing (``"lena  BERG"`` and
    ``"Lena Berg"`` give the same key): how contacts are looked up and listed by name."""
    return " ".join(name.split()).casefold()


@frozen
class Contact:
    """A person in the network.

    ``id`` defaults to a slug of the name; the activity log makes it unique when two
    people share a name. ``tier`` ranks how much the relationship matters ("a", "b",
    "c"...) and picks the keep-in-touch cadence.
    """

    name: str = field(validator=v.non_blank)
    emails: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    phones: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    organization: str | None = field(default=None, validator=v.optional(v.identifier))
    role: str = field(default="", validator=v.instance_of(str))
    industry: str | None = field(
        default=None, converter=v.lowered_text_or_none, validator=v.optional(v.non_blank)
    )
    tags: frozenset[str] = field(
        default=frozenset(), converter=v.lowered_text_set, validator=v.identifiers
    )
    tier: str | None = field(
        default=None, converter=v.lowered_text_or_none, validator=v.optional(v.identifier)
    )
    met_how: str = field(default="", validator=v.instance_of(str))
    met_where: str = field(default="", validator=v.instance_of(str))
    introduced_by: str | None = field(default=None, validator=v.optional(v.identifier))
    profiles: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    notes: str = field(default="", validator=v.instance_of(str))
    nickname: str = field(default="", validator=v.instance_of(str))
    birthday: str = field(default="", validator=_valid_birthday)
    """``--MM-DD`` (no year known) or ``YYYY-MM-DD``: see :func:`read_birthday`."""
    other_companies: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    """Companies a file gave for them besides their organization (an earlier employer,
    a second job): kept as written, never dropped by a merge."""
    distinct_from: frozenset[str] = field(
        default=frozenset(), converter=v.text_set, validator=v.items(str, container=frozenset)
    )
    """Ids of contacts the person said are someone else (namesakes, colleagues sharing an
    office's number): never listed with this one by :func:`netplan.possible_duplicates`."""
    sources: frozenset[str] = field(
        default=frozenset(), converter=v.text_set, validator=v.items(str, container=frozenset)
    )
    """Where the contact came from (``linkedin_connections:Connections.csv``): imports
    record every file a person arrived from."""
    id: str = field(validator=v.identifier)

    @id.default
    def _default_id(self) -> str:
        return v.slugify(self.name)

    def facts(self) -> tuple[tuple[str, str], ...]:
        """What a person reads about the contact, field by field, those given only:
        ``(("role", "Engineer"), ("tier", "a"), ("tags", "climate, energy"), ...)``."""
        found = (
            ("role", self.role),
            ("tier", self.tier or ""),
            ("tags", ", ".join(sorted(self.tags))),
            ("emails", ", ".join(self.emails)),
            ("phones", ", ".join(self.phones)),
            ("met", " ".join(x for x in (self.met_how, self.met_where) if x)),
            ("notes", self.notes),
        )
        return tuple((name, value) for name, value in found if value)

    def _repr_html_(self) -> str | None:
        """The contact as HTML, for Jupyter (see :mod:`netplan.notebook.html`);
        :func:`netplan.contact_view` shows their interactions and what is due too."""
        return display.html(self)


@frozen
class Membership:
    """The person's membership of an organization (a professional body, a community)."""

    since: dt.date = field(validator=v.a_date)
    until: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    role: str = field(default="member", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.until < self.since:
            raise ValidationError(
                "Membership.until", self.until, f"must not be before since={self.since}"
            )

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


@frozen
class Organization:
    """A company, a professional body or a community; ``memberships`` are the person's own."""

    name: str = field(validator=v.non_blank)
    industry: str | None = field(
        default=None, converter=v.lowered_text_or_none, validator=v.optional(v.non_blank)
    )
    kind: str = field(default="company", validator=v.non_blank)
    url: str = field(default="", validator=v.instance_of(str))
    memberships: tuple[Membership, ...] = field(
        default=(), converter=_memberships, validator=v.items(Membership)
    )
    id: str = field(validator=v.identifier)

    @id.default
    def _default_id(self) -> str:
        return v.slugify(self.name)

    def member_on(self, day: dt.date) -> bool:
        """Whether the person is a member on ``day``."""
        return any(m.active_on(day) for m in self.memberships)


@frozen
class Event:
    """Something the person could attend: a meetup, a conference, a dinner.

    ``on`` is the (local) day it starts, ``until`` the last day of one that spans several
    (a conference from 15 to 17 April: ``until`` 17 April; None: one day); ``starts_at``
    and ``ends_at`` are optional instants. ``action`` names the planned action the event
    belongs to (the monthly meetup).
    """

    name: str = field(validator=v.non_blank)
    on: dt.date = field(validator=v.a_date)
    attended: bool = field(default=True, validator=v.instance_of(bool))
    starts_at: dt.datetime | None = field(
        default=None, converter=_instant_or_none, validator=v.optional(v.aware)
    )
    ends_at: dt.datetime | None = field(
        default=None, converter=_instant_or_none, validator=v.optional(v.aware)
    )
    until: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    location: str = field(default="", validator=v.instance_of(str))
    organizer: str | None = field(default=None, validator=v.optional(v.identifier))
    tags: frozenset[str] = field(
        default=frozenset(), converter=v.lowered_text_set, validator=v.identifiers
    )
    action: str | None = field(default=None, validator=v.optional(v.identifier))
    url: str = field(default="", validator=v.instance_of(str))
    uid: str = field(default="", validator=v.instance_of(str))
    """What a calendar calls it (iCalendar's UID, with the RECURRENCE-ID of one occurrence
    of a series), so that importing the calendar again finds it."""
    id: str = field(validator=v.identifier)

    @id.default
    def _default_id(self) -> str:
        return f"{v.slugify(self.name)}-{self.on.isoformat()}"

    def __attrs_post_init__(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError(
                "Event.ends_at", self.ends_at, f"must not be before starts_at={self.starts_at}"
            )
        if self.until is not None and self.until < self.on:
            raise ValidationError("Event.until", self.until, f"must not be before on={self.on}")

    @property
    def last_day(self) -> dt.date:
        """The last day the event runs on: ``until``, else ``on``."""
        return self.until or self.on


@frozen
class Interaction:
    """One thing that happened: met someone, followed up, had coffee, got a referral.

    ``at`` must be timezone-aware and is kept in UTC. ``contact`` is None only for
    activities with nobody in particular (a social media post). ``channel`` and
    ``direction`` default from the kind (a meeting is in person and mutual).
    """

    kind: InteractionKind = field(converter=_interaction_kind)
    at: dt.datetime = field(converter=_instant, validator=v.aware)
    contact: str | None = field(default=None, validator=v.optional(v.identifier))
    channel: Channel = field(
        converter=_channel,
        default=attrs.Factory(
            lambda self: _DEFAULT_CHANNEL.get(self.kind, Channel.OTHER), takes_self=True
        ),
    )
    direction: Direction = field(
        converter=_direction,
        default=attrs.Factory(
            lambda self: _DEFAULT_DIRECTION.get(self.kind, Direction.OUTBOUND), takes_self=True
        ),
    )
    event: str | None = field(default=None, validator=v.optional(v.identifier))
    notes: str = field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.contact is None and self.kind is not InteractionKind.POST:
            raise ValidationError(
                "Interaction.contact", None, f"a {self.kind.value} interaction needs a contact"
            )
