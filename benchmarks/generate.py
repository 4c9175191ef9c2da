"""Seeded synthetic networking plans and activity logs for benchmarks.

``generate("typical")`` gives a plan and an activity log the size of a busy person's two
years of networking; ``generate("stress")`` gives one fifty times larger. The same size
and seed give the same records on every machine and in every process: only
``random.Random(seed)`` is drawn from (never the global generator or the clock), and no
draw depends on the iteration order of a set.

Run ``python -m benchmarks.generate typical`` (or ``stress``) for a summary.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TypeVar

from netplan import (
    BUILTIN_SKILLS,
    UTC,
    ActionKind,
    ActivityLog,
    CadenceRule,
    Channel,
    Contact,
    Direction,
    Event,
    FollowUpPolicy,
    Goal,
    GoalKind,
    Interaction,
    InteractionKind,
    Membership,
    NetworkSummary,
    Once,
    Organization,
    Period,
    Plan,
    PlannedAction,
    Quota,
    Rating,
    Recurrence,
    Resources,
    Segment,
    Skill,
    SkillAssessment,
    Target,
    to_data,
)

__all__ = [
    "SIZES",
    "START",
    "Records",
    "Size",
    "build_log",
    "fingerprint",
    "generate",
    "generate_records",
    "main",
]

T = TypeVar("T")

START = dt.datetime(2025, 1, 1, tzinfo=UTC)
"""The first instant of every generated log; interactions span ``Size.days`` from here."""

_SECOND = 1_000_000  # microseconds
_HOUR = 3600 * _SECOND
_DAY = 24 * _HOUR


@dataclass(frozen=True, slots=True)
class Size:
    """How big a generated log is, and how its interactions are laid out."""

    contacts: int
    interactions: int
    organizations: int
    events: int
    days: int = 730
    notes_share: float = 0.10
    backdated_share: float = 0.02
    # Back-dated interactions arrive in "catch-up" sessions (every other week the person
    # logs what they forgot), not one by one: _interaction_specs says why that matters.
    backfill_sessions: int = 52
    chunk: int = 10_000


SIZES: dict[str, Size] = {
    "typical": Size(contacts=2_000, interactions=20_000, organizations=40, events=100),
    "stress": Size(contacts=100_000, interactions=1_000_000, organizations=2_000, events=5_000),
    # The review's growth (bench_review --growth): 10k, 100k, the stress size and 3M
    # interactions, ten per contact, over the same two years.
    "10k": Size(contacts=1_000, interactions=10_000, organizations=20, events=50),
    "100k": Size(contacts=10_000, interactions=100_000, organizations=200, events=500),
    "3m": Size(contacts=300_000, interactions=3_000_000, organizations=6_000, events=15_000),
}


@dataclass(frozen=True, slots=True)
class Records:
    """Everything one generation produced, in the order it is added to a log."""

    size: Size
    seed: int
    plan: Plan
    organizations: tuple[Organization, ...]
    contacts: tuple[Contact, ...]
    events: tuple[Event, ...]
    interactions: tuple[Interaction, ...]
    """In append order: time order, except the back-dated rows of each catch-up session."""
    backdated: int
    """How many interactions are appended before one with a later time (out of order)."""


# -- vocabulary ------------------------------------------------------------------------
# Names include non-ASCII letters on purpose: ids are slugs of them, and notes carry
# multi-byte UTF-8 so the log's byte counting is exercised.
_FIRST = (
    "Lena", "Maya", "Omar", "Priya", "Jonas", "Aiko", "Mateo", "Chloé", "Kwame", "Sofia",
    "Noah", "Ingrid", "Ravi", "Amara", "Lucas", "Zoë", "Hiroshi", "Fatima", "Elena", "Tomás",
    "Grace", "Ade", "Mina", "Felix", "Nadia", "Sven", "Leila", "Diego", "Hana", "Samuel",
    "Yara", "Emil", "Chen", "Olga", "Marco", "Inès", "Kofi", "Anya", "Pablo", "Sara",
    "Björn", "Aisha", "Daniel", "Mei", "Jakub", "Lucía", "Tariq", "Freya", "Luca", "Nia",
)  # fmt: skip
_LAST = (
    "Berg", "Okafor", "Haddad", "Sharma", "Weber", "Tanaka", "Garcia", "Dubois", "Mensah",
    "Rossi", "Kim", "Larsen", "Patel", "Nwosu", "Silva", "Müller", "Sato", "Khan", "Popescu",
    "Fernández", "Chen", "Adeyemi", "Park", "Novak", "Ivanova", "Johansson", "Rahman",
    "López", "Nakamura", "Cohen", "Mahmoud", "Nielsen", "Wang", "Kowalski", "Moretti",
    "Costa", "Owusu", "Petrova", "Ruiz", "Lindqvist", "Ali", "Schmidt", "Liu", "Dvořák",
    "Alvarez", "Hassan", "O'Brien", "Bianchi", "Yilmaz", "Svensson",
)  # fmt: skip
_ORG_PREFIX = (
    "North", "Blue", "Green", "Bright", "Open", "Silver", "Clear", "Future", "Summit",
    "Harbor", "River", "Solar", "Quantum", "Atlas", "Cedar", "Nova", "Pioneer", "Vertex",
    "Tidal", "Granite",
)  # fmt: skip
_ORG_ROOT = ("wind", "field", "stone", "leaf", "path", "bridge", "light", "works", "grid", "wave")
_ORG_SUFFIX = (
    "Labs", "Energy", "Capital", "Health", "Systems", "Partners", "Analytics", "Collective",
    "Group", "Studio",
)  # fmt: skip
_SUFFIX_INDUSTRY = {"Energy": "energy", "Capital": "finance", "Health": "healthcare"}
_INDUSTRIES = (
    "software", "energy", "finance", "healthcare", "education", "climate", "manufacturing",
    "media", "nonprofit", "government", "retail", "consulting",
)  # fmt: skip
_BODY_SUFFIX = ("Society", "Association", "Guild", "Network")
_TAGS = ("climate", "fintech", "alumni", "mentor", "recruiter")
_TAG_COUNT_WEIGHTS = (40, 40, 15, 5)  # contacts with 0, 1, 2, 3 tags
_TIERS = ("a", "b", "c", None)
_TIER_WEIGHTS = (8, 25, 57, 10)
# How much more often the person interacts with a contact of each tier.
_TIER_ACTIVITY = {"a": 12.0, "b": 4.0, "c": 1.0, None: 0.5}
_ROLES = (
    "Engineer", "Product Manager", "Founder", "Recruiter", "Analyst", "Designer", "Director",
    "Researcher", "Investor", "Consultant", "Data Scientist", "Head of Talent",
)  # fmt: skip
_MET_HOW = ("at an event", "through a friend", "online", "at work", "at university", "")
_CITIES = (
    "Berlin", "Lisbon", "London", "Nairobi", "Toronto", "Austin", "Singapore", "Copenhagen",
    "São Paulo", "Amsterdam",
)  # fmt: skip
_TOPICS = (
    "Climate Tech", "Fintech", "Product", "Data", "Women in Tech", "Founders", "Alumni",
    "Open Source", "AI", "Design",
)  # fmt: skip
_TOPIC_TAGS = {
    "Climate Tech": ("climate",),
    "Fintech": ("fintech",),
    "Alumni": ("alumni",),
    "Founders": ("founders", "mentor"),
    "AI": ("ai",),
    "Data": ("data",),
}
_FORMATS = (
    "Meetup", "Breakfast", "Conference", "Dinner", "Workshop", "Hackathon", "Panel", "Mixer",
)  # fmt: skip
# Events that belong to a planned action of the generated plan (see _plan).
_EVENT_ACTION = {
    ("Climate Tech", "Meetup"): "climate-meetup",
    ("Fintech", "Breakfast"): "fintech-breakfast",
}
_EVENT_ATTENDED_SHARE = 0.85
_NOTES = (
    "Talked about {topic}; send the article.",
    "Wants an intro to someone in {topic}.",
    "Follow up in two weeks about {topic}.",
    "Great chat over coffee — ask about the {topic} role.",
    "Met through {name}; works on {topic}.",
    "Shared slides from the {topic} panel.",
    "Café near the venue; next time try the rooftop.",
    "Promised feedback on their CV.",
    "Asked for a referral → sent CV.",
)
_POST_NOTES = ("Posted about {topic}.", "Shared a thread on {topic} events.")

# Kind mix: meeting people is the most common entry, then following up.
_KIND_WEIGHTS: tuple[tuple[InteractionKind, int], ...] = (
    (InteractionKind.MET, 30),
    (InteractionKind.FOLLOW_UP, 20),
    (InteractionKind.MESSAGE, 15),
    (InteractionKind.COFFEE, 10),
    (InteractionKind.CALL, 8),
    (InteractionKind.INTRO_GIVEN, 4),
    (InteractionKind.INTRO_RECEIVED, 4),
    (InteractionKind.REFERRAL, 3),
    (InteractionKind.POST, 3),
    (InteractionKind.OTHER, 1),
)
_C, _D = Channel, Direction


def _expand(*pairs: tuple[T, int]) -> tuple[T, ...]:
    # Each item repeated by its weight: drawing an index with rng.random() is several
    # times cheaper than rng.choices(), and the draw loop runs a million times.
    return tuple(item for item, weight in pairs for _ in range(weight))


# Per kind: the channels and directions it takes place on, weighted by repetition.
_KIND_STYLE: dict[InteractionKind, tuple[tuple[Channel, ...], tuple[Direction, ...]]] = {
    InteractionKind.MET: (_expand((_C.IN_PERSON, 9), (_C.VIDEO, 1)), (_D.MUTUAL,)),
    InteractionKind.FOLLOW_UP: (
        _expand((_C.EMAIL, 6), (_C.LINKEDIN, 3), (_C.MESSAGING, 1)),
        _expand((_D.OUTBOUND, 8), (_D.INBOUND, 2)),
    ),
    InteractionKind.MESSAGE: (
        _expand((_C.EMAIL, 4), (_C.LINKEDIN, 3), (_C.MESSAGING, 3)),
        _expand((_D.OUTBOUND, 6), (_D.INBOUND, 4)),
    ),
    InteractionKind.COFFEE: (_expand((_C.IN_PERSON, 8), (_C.VIDEO, 2)), (_D.MUTUAL,)),
    InteractionKind.CALL: (
        _expand((_C.PHONE, 6), (_C.VIDEO, 4)),
        _expand((_D.MUTUAL, 8), (_D.OUTBOUND, 2)),
    ),
    InteractionKind.INTRO_GIVEN: ((_C.EMAIL,), (_D.OUTBOUND,)),
    InteractionKind.INTRO_RECEIVED: (_expand((_C.EMAIL, 7), (_C.LINKEDIN, 3)), (_D.INBOUND,)),
    InteractionKind.REFERRAL: (
        _expand((_C.EMAIL, 8), (_C.OTHER, 2)),
        (_D.OUTBOUND, _D.INBOUND),
    ),
    InteractionKind.POST: ((_C.SOCIAL,), (_D.OUTBOUND,)),
    InteractionKind.OTHER: ((_C.OTHER,), (_D.OUTBOUND, _D.INBOUND)),
}
# Share of in-person meetings logged against an event the person attended.
_MET_AT_EVENT = 0.5
# Hours of the day (UTC) interactions happen at, weighted towards the working day.
_HOURS = tuple(range(7, 23))
_HOUR_WEIGHTS = (2, 5, 8, 9, 9, 7, 8, 9, 9, 8, 6, 6, 7, 6, 3, 2)
_BACKDATE_MIN = _HOUR
_BACKDATE_MAX = 14 * _DAY

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    # Same rule as the ids netplan derives from names, so generated ids look like the
    # ones a person gets without passing id=.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-") or "item"


def _unique(base: str, used: dict[str, int]) -> str:
    # Mirrors ActivityLog's own suggestion for a taken id ("lena-berg-2").
    n = used.get(base, 0) + 1
    used[base] = n
    return base if n == 1 else f"{base}-{n}"


def _day(offset_us: int) -> dt.date:
    return (START + dt.timedelta(microseconds=offset_us)).date()


# -- records -----------------------------------------------------------------------------
def _organizations(rng: random.Random, size: Size) -> tuple[Organization, ...]:
    names = [f"{p}{r} {s}" for p in _ORG_PREFIX for r in _ORG_ROOT for s in _ORG_SUFFIX]
    rng.shuffle(names)
    used: dict[str, int] = {}
    organizations = []
    for i in range(size.organizations):
        name = names[i % len(names)]
        kind = "company"
        memberships: tuple[Membership, ...] = ()
        draw = rng.random()
        if draw < 0.03:
            # A professional body: the person may be a member, from some day of the span.
            kind = "professional_body"
            name = f"{name.split()[0]} {rng.choice(_BODY_SUFFIX)}"
            if rng.random() < 0.5:
                since = _day(rng.randrange(size.days * _DAY))
                memberships = (Membership(since=since, role="member"),)
        elif draw < 0.07:
            kind = "community"
            name = f"{name.split()[0]} {rng.choice(_TOPICS)} Community"
        suffix = name.split()[-1]
        industry = _SUFFIX_INDUSTRY.get(suffix) or rng.choice(_INDUSTRIES)
        oid = _unique(_slug(name), used)
        if oid != _slug(name):
            name = f"{name} {oid.rsplit('-', 1)[1]}"
        organizations.append(
            Organization(
                name=name,
                industry=industry,
                kind=kind,
                url=f"https://{oid}.example.com",
                memberships=memberships,
                id=oid,
            )
        )
    return tuple(organizations)


def _contacts(
    rng: random.Random, size: Size, organizations: Sequence[Organization]
) -> tuple[Contact, ...]:
    used: dict[str, int] = {}
    tag_counts = rng.choices(range(len(_TAG_COUNT_WEIGHTS)), _TAG_COUNT_WEIGHTS, k=size.contacts)
    tiers = rng.choices(_TIERS, _TIER_WEIGHTS, k=size.contacts)
    contacts: list[Contact] = []
    for i in range(size.contacts):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        name = f"{first} {last}"
        cid = _unique(_slug(name), used)
        organization = rng.choice(organizations) if organizations and rng.random() < 0.85 else None
        local = f"{_slug(first)}.{_slug(last)}"
        emails: tuple[str, ...] = ()
        if organization is not None:
            emails = (f"{local}@{organization.id}.example.com",)
        if rng.random() < 0.4:
            emails = (*emails, f"{local}{used[_slug(name)]}@mail.example.com")
        phones = (f"+1-555-01{rng.randrange(100):02d}",) if rng.random() < 0.3 else ()
        tags = rng.sample(_TAGS, tag_counts[i])
        # Some contacts came through an earlier one; they refer back, never forward, so
        # one add() call with every contact in order is valid.
        introduced_by = contacts[rng.randrange(i)].id if i and rng.random() < 0.05 else None
        contacts.append(
            Contact(
                name=name,
                emails=emails,
                phones=phones,
                organization=None if organization is None else organization.id,
                role=rng.choice(_ROLES),
                industry=rng.choice(_INDUSTRIES) if rng.random() < 0.1 else None,
                tags=tags,
                tier=tiers[i],
                met_how="introduced" if introduced_by else rng.choice(_MET_HOW),
                met_where=rng.choice(_CITIES) if rng.random() < 0.5 else "",
                introduced_by=introduced_by,
                profiles=(f"https://linkedin.example.com/in/{cid}",) if rng.random() < 0.6 else (),
                id=cid,
            )
        )
    return tuple(contacts)


def _events(
    rng: random.Random, size: Size, organizations: Sequence[Organization]
) -> tuple[Event, ...]:
    used: dict[str, int] = {}
    events = []
    days = sorted(rng.randrange(size.days) for _ in range(size.events))
    for day_offset in days:
        topic, form = rng.choice(_TOPICS), rng.choice(_FORMATS)
        name = f"{topic} {form}"
        on = (START + dt.timedelta(days=day_offset)).date()
        if form == "Conference":
            starts_at = dt.datetime.combine(on, dt.time(9), tzinfo=UTC)
            ends_at = starts_at + dt.timedelta(hours=8)
        else:
            starts_at = dt.datetime.combine(on, dt.time(17, 30), tzinfo=UTC) + dt.timedelta(
                minutes=30 * rng.randrange(5)
            )
            ends_at = starts_at + dt.timedelta(hours=2 + rng.randrange(2))
        organizer = rng.choice(organizations).id if organizations and rng.random() < 0.6 else None
        events.append(
            Event(
                name=name,
                on=on,
                attended=rng.random() < _EVENT_ATTENDED_SHARE,
                starts_at=starts_at,
                ends_at=ends_at,
                location=rng.choice(_CITIES),
                organizer=organizer,
                tags=_TOPIC_TAGS.get(topic, ()),
                action=_EVENT_ACTION.get((topic, form)),
                id=_unique(f"{_slug(name)}-{on.isoformat()}", used),
            )
        )
    return tuple(events)


# An interaction before it becomes an Interaction: (offset in µs from START, kind,
# contact id, channel, direction, event id, notes). Plain tuples keep the million-row
# shuffle and sort cheap; the attrs objects are made once, in the final order.
_Spec = tuple[int, InteractionKind, str | None, Channel, Direction, str | None, str]


class _Interactions:
    """Draws interaction specs; one instance per generation so all draws share ``rng``."""

    def __init__(
        self,
        rng: random.Random,
        contacts: Sequence[Contact],
        events: Sequence[Event],
        notes_share: float,
    ) -> None:
        self.rng = rng
        self.notes_share = notes_share
        self.contact_ids = [c.id for c in contacts]
        # Cumulative weights let rng.choices draw a million contacts in one call.
        self.contact_cum = list(itertools.accumulate(_TIER_ACTIVITY[c.tier] for c in contacts))
        # Sorted by start instant (events are only sorted by day) so the bisects in draw()
        # find exactly the events of a back-dating window.
        attended = sorted(
            (e for e in events if e.attended and e.starts_at is not None),
            key=attrgetter("starts_at"),
        )
        self.event_ids = [e.id for e in attended]
        self.event_at = [(e.starts_at - START) // dt.timedelta(microseconds=1) for e in attended]  # type: ignore[operator]
        self.kinds = [k for k, _ in _KIND_WEIGHTS]
        self.kind_cum = list(itertools.accumulate(w for _, w in _KIND_WEIGHTS))

    def draw(self, at: Sequence[int], *, window: tuple[int, int] | None = None) -> list[_Spec]:
        """One spec per offset in ``at``. A ``window`` restricts event links to events
        that started in it (a back-dated meeting can only be at a past event)."""
        rng = self.rng
        n = len(at)
        kinds = rng.choices(self.kinds, cum_weights=self.kind_cum, k=n)
        contacts = rng.choices(self.contact_ids, cum_weights=self.contact_cum, k=n)
        lo, hi = 0, len(self.event_ids)
        if window is not None:
            lo = bisect.bisect_left(self.event_at, window[0])
            hi = bisect.bisect_left(self.event_at, window[1])
        random = rng.random
        specs: list[_Spec] = []
        for offset, kind, contact_id in zip(at, kinds, contacts, strict=True):
            channels, directions = _KIND_STYLE[kind]
            channel = channels[int(random() * len(channels))]
            direction = directions[int(random() * len(directions))]
            contact: str | None = contact_id
            event: str | None = None
            if kind is InteractionKind.POST:
                contact = None
            elif kind is InteractionKind.MET and hi > lo and random() < _MET_AT_EVENT:
                e = rng.randrange(lo, hi)
                event, channel = self.event_ids[e], Channel.IN_PERSON
                offset = self.event_at[e] + rng.randrange(3 * 3600) * _SECOND
                if window is not None:
                    # Still before the catch-up session that logs it.
                    offset = min(offset, window[1])
            notes = ""
            if random() < self.notes_share:
                template = rng.choice(_POST_NOTES if contact is None else _NOTES)
                notes = template.format(topic=rng.choice(_TOPICS).lower(), name=rng.choice(_FIRST))
            specs.append((offset, kind, contact, channel, direction, event, notes))
        return specs


def _offsets(rng: random.Random, n: int, days: int) -> list[int]:
    # int(random() * k) rather than randrange(k): three times cheaper, and exact enough
    # for k far below 2**53.
    random = rng.random
    hours = rng.choices(_HOURS, _HOUR_WEIGHTS, k=n)
    return [int(random() * days) * _DAY + h * _HOUR + int(random() * 3600) * _SECOND for h in hours]


def _interaction_specs(
    rng: random.Random, size: Size, contacts: Sequence[Contact], events: Sequence[Event]
) -> tuple[list[_Spec], int]:
    """Specs in append order, and how many of them are appended out of time order.

    Why sessions: ActivityLog sends a back-dated row to a side run, and (netplan 0.1.0)
    every later row too until the run is merged, an O(n) pass, once it exceeds sqrt(n)
    rows. A session therefore costs about one merge whatever its length, whereas 2% of
    rows back-dated one at a time keep the run always open: a merge every ~sqrt(n)
    appends, about 1,000 full passes at the stress size, which takes minutes.
    """
    drawer = _Interactions(rng, contacts, events, size.notes_share)
    late_total = round(size.interactions * size.backdated_share)
    sessions = min(size.backfill_sessions, late_total)
    span = size.days * _DAY
    # Every spec not back-dated is appended in time order.
    in_order = drawer.draw(_offsets(rng, size.interactions - late_total, size.days))
    in_order.sort(key=lambda s: s[0])
    out: list[_Spec] = []
    taken = 0
    for s in range(sessions):
        # Catch-up sessions evenly spread over the span: at instant `when` the person logs
        # what happened in the two weeks before, in whatever order they remember it.
        when = span * (s + 1) // (sessions + 1)
        count = late_total // sessions + (1 if s < late_total % sessions else 0)
        window = (max(0, when - _BACKDATE_MAX), when - _BACKDATE_MIN)
        at = [rng.randrange(window[0], window[1]) for _ in range(count)]
        position = bisect.bisect_left(in_order, when, key=lambda spec: spec[0])
        out.extend(in_order[taken:position])
        out.extend(drawer.draw(at, window=window))
        taken = position
    out.extend(in_order[taken:])
    latest = -1
    backdated = 0
    for spec in out:
        if spec[0] < latest:
            backdated += 1
        latest = max(latest, spec[0])
    return out, backdated


def _plan(rng: random.Random, size: Size, organizations: Sequence[Organization]) -> Plan:
    start = START.date()
    grow, job = "grow-climate-network", "land-fintech-role"
    learn, give = "learn-energy", "give-back"
    goals = (
        Goal(
            "Grow my climate network",
            kind=GoalKind.EXPAND_NETWORK,
            why="Move into climate tech within two years.",
            targets=(
                Target(8, "new_contacts", per=Period.MONTH),
                Target(150, "new_contacts", by=dt.date(2025, 12, 31), id="new_contacts_2025"),
                Target(2, "coffees", per=Period.MONTH, segment=Segment(tag="climate")),
            ),
            id=grow,
        ),
        Goal(
            "Land a product role in fintech",
            kind=GoalKind.FIND_JOB,
            targets=(
                Target(3, "referrals", per=Period.QUARTER),
                Target(10, "referrals", by=dt.date(2026, 6, 30), id="referrals_total"),
                Target(4, "follow_ups", per=Period.WEEK, segment=Segment(tag="recruiter")),
            ),
            until=dt.date(2026, 12, 31),
            id=job,
        ),
        Goal(
            "Learn how the energy transition works",
            kind=GoalKind.LEARN_INDUSTRY,
            targets=(
                Target(2, "events_attended", per=Period.MONTH),
                Target(20, "events_attended", by=dt.date(2026, 12, 31), id="events_total"),
                Target(1, "coffees", per=Period.MONTH, segment=Segment(industry="energy")),
            ),
            id=learn,
        ),
        Goal(
            "Give back to the alumni community",
            kind=GoalKind.CUSTOM,
            targets=(
                Target(2, "intros_given", per=Period.MONTH),
                Target(12, "intros_given", by=dt.date(2025, 12, 31), id="intros_2025"),
                Target(0.5, "mentoring_sessions", per=Period.WEEK, segment=Segment(tag="alumni")),
            ),
            status="active",
            id=give,
        ),
    )
    bodies = [o.id for o in organizations if o.kind == "professional_body"]
    actions = (
        PlannedAction(
            "Climate meetup",
            kind=ActionKind.ATTEND_EVENTS,
            schedule=Recurrence.nth_weekday("TU", 2, start=start),
            goals={grow, learn},
            skills={"working_a_room", "starting_conversations"},
            segment=Segment(tag="climate"),
            id="climate-meetup",
        ),
        PlannedAction(
            "Fintech breakfast",
            kind=ActionKind.ATTEND_EVENTS,
            schedule=Recurrence.every_other("TH", start=start),
            goals={job},
            skills={"introducing_yourself"},
            id="fintech-breakfast",
        ),
        PlannedAction(
            "Weekly coffee with someone new",
            kind=ActionKind.REACH_OUT,
            schedule=Recurrence.weekly("FR", start=start),
            goals={grow},
            skills={"giving_value_first", "active_listening"},
            id="weekly-coffee",
        ),
        PlannedAction(
            "Alumni call",
            kind=ActionKind.REACH_OUT,
            schedule=Recurrence.monthly(start=start, day=31),
            goals={give},
            segment=Segment(tag="alumni"),
            id="alumni-call",
        ),
        PlannedAction(
            "Review the network",
            schedule=Recurrence.twice_a_month(start=start),
            skills={"maintaining_relationships"},
            id="review-network",
        ),
        PlannedAction(
            "Write to recruiters",
            kind=ActionKind.REACH_OUT,
            schedule=Quota(3, Period.WEEK),
            goals={job},
            skills={"asking_for_introductions", "following_up"},
            segment=Segment(tag="recruiter"),
            id="write-recruiters",
        ),
        PlannedAction(
            "Attend industry events",
            kind=ActionKind.ATTEND_EVENTS,
            schedule=Quota(2, Period.MONTH),
            goals={learn},
            skills={"working_a_room"},
            id="industry-events",
        ),
        PlannedAction(
            "Post about what I learn",
            kind=ActionKind.POST_SOCIAL,
            schedule=Recurrence.weekly("TU", start=start, interval=1),
            goals={learn},
            skills={"online_presence"},
            id="post-weekly",
        ),
        PlannedAction(
            "Join a professional body",
            kind=ActionKind.JOIN_ORGANIZATION,
            schedule=Once(by=dt.date(2025, 3, 31)),
            goals={grow},
            organization=bodies[0] if bodies else None,
            id="join-body",
        ),
        PlannedAction(
            "Volunteer at a climate hackathon",
            kind=ActionKind.VOLUNTEER,
            schedule=Once(by=dt.date(2025, 10, 31)),
            goals={grow, give},
            skills={"giving_value_first", "public_speaking"},
            id="volunteer-hackathon",
        ),
    )

    def ratings(shift: int) -> tuple[Rating, ...]:
        # A second assessment rates most skills a little higher: real progress is uneven.
        out = []
        for skill in (*BUILTIN_SKILLS, _PUBLIC_SPEAKING):
            level = rng.randint(1, 4)
            out.append(
                Rating(
                    skill.id,
                    min(5, level + (shift if rng.random() < 0.7 else 0)),
                    desired=min(5, level + rng.randint(1, 2)),
                    evidence=f"self-rated after {rng.randint(2, 12)} events",
                )
            )
        return tuple(out)

    resources = Resources(
        hours_per_week=4.5,
        budget_per_month=Decimal("60.00"),
        currency="EUR",
        memberships=tuple(o.name for o in organizations if o.kind == "professional_body")[:2],
        network=NetworkSummary(
            contacts=size.contacts // 10,
            close_ties=12,
            industries=("software", "finance"),
            notes="Mostly former colleagues.",
        ),
    )
    assessments = (
        SkillAssessment(start, ratings(0), resources, notes="Starting point."),
        SkillAssessment(dt.date(2025, 7, 1), ratings(1), resources, notes="Half-year check."),
    )
    return Plan(
        "Maya Okafor",
        start=start,
        goals=goals,
        assessments=assessments,
        actions=actions,
        follow_up=FollowUpPolicy(
            within_days=2, after=(InteractionKind.MET, InteractionKind.COFFEE)
        ),
        keep_in_touch=(
            CadenceRule.tier("a", ideal_days=21),
            CadenceRule.tier("b", ideal_days=60, max_days=90),
            CadenceRule.tag("mentor", ideal_days=30),
        ),
        skills=(_PUBLIC_SPEAKING,),
        notes="Synthetic plan for benchmarks.",
        id="maya-okafor",
    )


_PUBLIC_SPEAKING = Skill("public_speaking", "Public speaking", "Talks and panels.")


# -- public API --------------------------------------------------------------------------
def _size(size: str | Size) -> Size:
    if isinstance(size, Size):
        return size
    try:
        return SIZES[size]
    except KeyError:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}") from None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # The records are acyclic, so the cyclic collector can free none of them, yet with a
    # million new objects it runs thousands of passes over the growing heap: pausing it
    # saves about a third of the stress generation time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate_records(size: str | Size = "typical", *, seed: int = 2026) -> Records:
    """Every record of a generation, in the order :func:`build_log` adds them."""
    chosen = _size(size)
    rng = random.Random(seed)
    with _collector_paused():
        organizations = _organizations(rng, chosen)
        contacts = _contacts(rng, chosen, organizations)
        events = _events(rng, chosen, organizations)
        specs, backdated = _interaction_specs(rng, chosen, contacts, events)
        interactions = tuple(
            Interaction(kind, START + dt.timedelta(microseconds=at), who, via, way, event, notes)
            for at, kind, who, via, way, event, notes in specs
        )
        plan = _plan(rng, chosen, organizations)
    return Records(chosen, seed, plan, organizations, contacts, events, interactions, backdated)


def build_log(records: Records) -> ActivityLog:
    """A log holding ``records``: interactions appended with ``extend`` in chunks."""
    log = ActivityLog()
    log.add(*records.organizations, *records.contacts, *records.events)
    chunk = records.size.chunk
    interactions = records.interactions
    for i in range(0, len(interactions), chunk):
        log.extend(interactions[i : i + chunk])
    return log


def generate(size: str | Size = "typical", *, seed: int = 2026) -> tuple[Plan, ActivityLog]:
    """A synthetic plan and its activity log; the same size and seed give equal results."""
    records = generate_records(size, seed=seed)
    return records.plan, build_log(records)


def fingerprint(records: Records) -> str:
    """A short digest of every record, to check two generations are the same."""
    digest = hashlib.sha256()
    # to_data writes sets sorted: repr() would follow the per-process string hash order.
    for record in (records.plan, *records.organizations, *records.contacts, *records.events):
        digest.update(json.dumps(to_data(record), sort_keys=True).encode())
    for i in records.interactions:
        digest.update(
            f"{i.at.isoformat()}|{i.contact}|{i.kind.value}|{i.channel.value}|"
            f"{i.direction.value}|{i.event}|{i.notes}\n".encode()
        )
    return digest.hexdigest()[:16]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("size", nargs="?", default="typical", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    records = generate_records(args.size, seed=args.seed)
    drawn = time.perf_counter()
    log = build_log(records)
    built = time.perf_counter()

    kinds = Counter(i.kind.value for i in records.interactions)
    with_notes = sum(1 for i in records.interactions if i.notes)
    with_event = sum(1 for i in records.interactions if i.event is not None)
    attended = sum(1 for e in records.events if e.attended)
    tiers = Counter(c.tier or "-" for c in records.contacts)
    tags = Counter(t for c in records.contacts for t in c.tags)
    n = len(records.interactions)
    plan = records.plan
    python = sys.version.split()[0]
    print(f"netplan synthetic data: size={args.size} seed={args.seed} python={python}")
    print(f"  {records.size}")
    print(f"  organizations  {len(records.organizations):>9,}")
    print(f"  contacts       {len(records.contacts):>9,}   tiers {dict(sorted(tiers.items()))}")
    print(f"                             tags  {dict(sorted(tags.items()))}")
    print(f"  events         {len(records.events):>9,}   attended {attended:,}")
    print(f"  interactions   {n:>9,}   {log!r}")
    for kind, count in kinds.most_common():
        print(f"      {kind:<15} {count:>9,}  {count / n:6.1%}")
    print(f"    with notes   {with_notes:>9,}  {with_notes / n:6.1%}")
    print(f"    at an event  {with_event:>9,}  {with_event / n:6.1%}")
    print(f"    back-dated   {records.backdated:>9,}  {records.backdated / n:6.1%}"
          f"   (in {min(records.size.backfill_sessions, n)} catch-up sessions)")  # fmt: skip
    print(f"  plan           {plan!r}")
    for goal in plan.goals:
        print(f"      goal {goal.id:<22} {goal.kind.value:<15} {', '.join(map(str, goal.targets))}")
    for action in plan.actions:
        print(f"      action {action.id:<20} {action.schedule}")
    if plan.follow_up is not None:
        after = ", ".join(sorted(k.value for k in plan.follow_up.after))
        print(f"      follow up within {plan.follow_up.within_days} days after {after}")
    print(f"      keep in touch {', '.join(map(repr, plan.keep_in_touch))}")
    print(f"  fingerprint    {fingerprint(records)}")
    print(
        f"  time: records {drawn - began:.2f} s + log {built - drawn:.2f} s = {built - began:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
