"""The activity log: who the person met, what they attended, whom they followed up.

Interactions are kept in columns (typed arrays), not as a list of objects, so a log of a
million interactions stays small; :class:`~netplan.core.network.Interaction` objects are made
only for the rows a query returns.

Costs, with ``n`` interactions and ``k`` returned:

* appending an interaction in time order (the usual case: logging what just happened) is
  O(1) amortized; a back-dated one goes to a small sorted side run, merged into the main
  order once it holds more than about ``sqrt(n)`` rows (O(sqrt n) amortized);
* a time-window query is O(log n + k);
* a contact's interactions are O(k), their last interaction O(1).
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import datetime as dt
import functools
import gc
import heapq
import itertools
import math
import operator
from array import array
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from types import MappingProxyType
from typing import Any, TypeVar, cast

import attrs

from netplan.core import _validation as v
from netplan.core import display
from netplan.core._lazy import Made
from netplan.core._validation import unused_id
from netplan.core.batch import Batch, Columns, Record, Row, check_batch
from netplan.core.errors import ConflictError, NotFoundError, ValidationError
from netplan.core.instants import from_micros, to_micros
from netplan.core.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Organization,
    Segment,
)
from netplan.core.periods import UTC, check_range
from netplan.core.zones import Zone

__all__ = [
    "ActivityLog",
    "Columns",
    "LogChange",
    "Placed",
    "Record",
    "Replaced",
    "Row",
    "check_records",
    "interaction_row",
]

T = TypeVar("T")


class Places(Made[str]):
    """A column of contact ids given as places in a list of ids (``ids[place]``): how an
    import's interactions name the contacts it adds, with no id to look up per row."""

    __slots__ = ("ids", "places")

    def __init__(self, ids: Sequence[str], places: Sequence[int]) -> None:
        self.ids = ids
        self.places = places

    def __len__(self) -> int:
        return len(self.places)

    def _item(self, index: int) -> str:
        return self.ids[self.places[index]]


_KINDS = tuple(InteractionKind)
_CHANNELS = tuple(Channel)
_DIRECTIONS = tuple(Direction)
_KIND_CODE = {k: i for i, k in enumerate(_KINDS)}
_CHANNEL_CODE = {c: i for i, c in enumerate(_CHANNELS)}
_DIRECTION_CODE = {d: i for i, d in enumerate(_DIRECTIONS)}
_KIND_BY_VALUE = {k.value: i for i, k in enumerate(_KINDS)}
_CHANNEL_BY_VALUE = {c.value: i for i, c in enumerate(_CHANNELS)}
_DIRECTION_BY_VALUE = {d.value: i for i, d in enumerate(_DIRECTIONS)}
_NONE = -1
_NEVER = -(2**63)
_MIN_LATE_RUN = 64
_JOURNAL_SIZE = 4096


# What each record refers to, as (field, kind of record), checked before anything is added.
_REFERENCES: dict[type, tuple[tuple[str, str], ...]] = {
    Interaction: (("contact", "contact"), ("event", "event")),
    Contact: (("organization", "organization"), ("introduced_by", "contact")),
    Event: (("organizer", "organization"),),
    Organization: (),
}
_KIND: dict[type, str] = {Contact: "contact", Organization: "organization", Event: "event"}


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def check_records(
    records: Iterable[Record],
    known: Callable[[str, str], bool],
    *,
    replacing: bool = False,
    any_order: bool = False,
) -> None:
    """Refuse records that refer to missing ones or reuse an id, before anything changes.

    ``known(kind, id)`` says whether a ``"contact"``, ``"organization"`` or ``"event"``
    with that id is already stored; records earlier in ``records`` count too, and with
    ``any_order`` later ones as well (a whole stored log, in which an update or a merge
    may have made a contact name one added after it). Stores call this with their own
    lookup, so every backend enforces the log's rules alike.
    """
    batch: dict[str, set[str]] = {kind: set() for kind in ("contact", "organization", "event")}

    def exists(kind: str, key: str) -> bool:
        return key in batch[kind] or known(kind, key)

    named = exists
    if any_order:
        records = list(records)
        everything: dict[str, set[str]] = {kind: set() for kind in batch}
        for record in records:
            kind_of = _KIND.get(type(record))
            if kind_of is not None:
                everything[kind_of].add(record.id)  # type: ignore[union-attr]

        def named(kind: str, key: str) -> bool:
            return key in everything[kind] or known(kind, key)

    for i, record in enumerate(records):
        where = "update" if replacing else f"add[{i}]"
        references = _REFERENCES.get(type(record))
        if references is None:
            raise ValidationError(
                where, record, "must be a Contact, Organization, Event or Interaction"
            )
        name = type(record).__name__
        for field, kind in references:
            ref = getattr(record, field)
            if ref is not None and not named(kind, ref):
                raise ValidationError(
                    f"{where}.{name}.{field}",
                    ref,
                    f"must name {_article(kind)} {kind} of the log; "
                    f"add the {kind.title()} first (or earlier in the same call)",
                )
        if isinstance(record, Interaction):
            continue  # interactions have no id: their row is their identity
        kind, record_id = _KIND[type(record)], record.id
        if not replacing and exists(kind, record_id):
            another = ""
            if kind == "contact":
                free = unused_id(record_id, functools.partial(exists, "contact"))
                another = f"pass id={free!r} to add another person, or "
            raise ValidationError(
                f"{where}.{name}.id",
                record_id,
                f"already names {_article(kind)} {kind}; {another}use update() to change it",
            )
        batch[kind].add(record_id)


def interaction_row(interaction: Interaction) -> Row:
    """The :data:`Row` a store keeps for one interaction."""
    return (
        to_micros(interaction.at),
        interaction.contact,
        interaction.kind.value,
        interaction.channel.value,
        interaction.direction.value,
        interaction.event,
        interaction.notes,
    )


_NAMED = (Contact, Organization, Event)


def _kind_of(record: Record) -> str:
    """``"contact"``, ``"organization"``, ``"event"`` or ``"interaction"``."""
    return "interaction" if isinstance(record, Interaction) else _KIND[type(record)]


def _position(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        v.fail(instance, attribute, value, "must be a place in the log: an int, 0 or more")


def _number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        v.fail(instance, attribute, value, "must be a change's number: an int, 0 or more")


def _undone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        v.fail(instance, attribute, value, "must be the number of a change: an int, 1 or more")


@attrs.frozen
class Placed:
    """A record a :class:`LogChange` adds or removes, and its place in the log: its place
    among the log's records of its kind (contacts, organizations, events: each kind in
    the order added, from 0) or, for an interaction, its row (the order interactions were
    added in, from 0).

    What a change removes is placed in the log as it was before the change; what it
    adds, in the log as it is after: so a change and its inverse put every record back
    where it was, and an undone log is the same data as before.
    """

    position: int = attrs.field(validator=_position)
    record: Record = attrs.field(validator=v.instance_of(Contact, Organization, Event, Interaction))


@attrs.frozen
class Replaced:
    """A contact, organization or event a :class:`LogChange` replaces: as it was
    (``before``) and as it becomes (``after``), with the same id."""

    before: Contact | Organization | Event = attrs.field(validator=v.instance_of(*_NAMED))
    after: Contact | Organization | Event = attrs.field(validator=v.instance_of(*_NAMED))

    def __attrs_post_init__(self) -> None:
        if type(self.after) is not type(self.before) or self.after.id != self.before.id:
            raise ValidationError(
                "Replaced.after",
                self.after,
                f"must be {_article(_KIND[type(self.before)])} {type(self.before).__name__} "
                f"with the id {self.before.id!r}, as before",
            )


@attrs.frozen
class LogChange:
    """A correction of an activity log (contacts merged, a contact or interactions
    removed), as a value a store keeps in the plan's history so that it can be undone.

    Made by :meth:`ActivityLog.merge_contacts`, :meth:`ActivityLog.remove_contact` and
    :meth:`ActivityLog.remove_interactions`; made again by :meth:`ActivityLog.apply`
    (which checks the log is as the change found it). ``added`` and ``removed`` hold the
    records and interactions with their places (see :class:`Placed`), ``replaced`` the
    records changed in place, before and after. ``number`` is the change's number in its
    plan's history (0 until a store records it); ``undoes`` is the number of the change
    an undo reverses. :meth:`inverse` undoes a change exactly.

    >>> log = ActivityLog([Contact("Ana Silva"), Contact("Ana Silva", id="ana-silva-2",
    ...                    emails=["ana@example.org"])])
    >>> change = log.merge_contacts("ana-silva-2", into="ana-silva")
    >>> change.description, log.contact("ana-silva").emails
    ('merged ana-silva-2 into ana-silva', ('ana@example.org',))
    >>> log.apply(change.inverse())
    >>> [c.id for c in log.contacts]
    ['ana-silva', 'ana-silva-2']
    """

    description: str = attrs.field(validator=v.non_blank)
    added: tuple[Placed, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.items(Placed)
    )
    removed: tuple[Placed, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.items(Placed)
    )
    replaced: tuple[Replaced, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.items(Replaced)
    )
    number: int = attrs.field(default=0, validator=_number)
    undoes: int | None = attrs.field(default=None, validator=v.optional(_undone))

    def __attrs_post_init__(self) -> None:
        named: dict[str, set[tuple[str, str]]] = {}
        for name in ("added", "removed"):
            places: set[tuple[str, int]] = set()
            ids = named[name] = set()
            for i, placed in enumerate(getattr(self, name)):
                kind = _kind_of(placed.record)
                if (kind, placed.position) in places:
                    raise ValidationError(
                        f"LogChange.{name}[{i}].position",
                        placed.position,
                        f"is given twice for {kind}s: a place holds one record",
                    )
                places.add((kind, placed.position))
                if kind != "interaction":
                    key = (kind, placed.record.id)
                    if key in ids:
                        raise ValidationError(
                            f"LogChange.{name}[{i}].record.id", key[1], f"names a {kind} twice"
                        )
                    ids.add(key)
        replaced: set[tuple[str, str]] = set()
        for i, each in enumerate(self.replaced):
            key = (_KIND[type(each.before)], each.before.id)
            if key in replaced or key in named["removed"] or key in named["added"]:
                raise ValidationError(
                    f"LogChange.replaced[{i}].before.id",
                    key[1],
                    f"names a {key[0]} the change also adds, removes or replaces",
                )
            replaced.add(key)

    def inverse(self) -> LogChange:
        """The change that undoes this one: what it added is removed, what it removed is
        added back in the same places, and what it replaced is as it was. Its ``undoes``
        is this change's number (None if this one was never recorded)."""
        what = f"change {self.number}" if self.number else "a change"
        return LogChange(
            f"undid {what} ({self.description})",
            added=self.removed,
            removed=self.added,
            replaced=tuple(Replaced(r.after, r.before) for r in self.replaced),
            undoes=self.number or None,
        )

    def __str__(self) -> str:
        return f"{self.number}: {self.description}" if self.number else self.description


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk load makes millions of objects that
    cannot form cycles; otherwise it walks them again and again, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _codes(codes: dict[str, int], values: Sequence[str]) -> bytearray:
    """The code of each of ``values`` (a choice's value): one lookup when all are one."""
    if values and values.count(values[0]) == len(values):
        return bytearray((codes[values[0]],)) * len(values)
    return bytearray(map(codes.__getitem__, values))


def _of_kind(kinds: frozenset[int] | None, code: int) -> bool:
    """Whether a row's kind code is among ``kinds`` (any kind when None)."""
    return kinds is None or code in kinds


def _kept(column: array[int], keep: list[bool]) -> array[int]:
    return array(column.typecode, itertools.compress(column, keep))


def _describe(interaction: Interaction) -> str:
    """An interaction in a few words: ``met with lena-berg at 2026-11-03 19:00 UTC``."""
    who = f" with {interaction.contact}" if interaction.contact else ""
    return f"{interaction.kind.value}{who} at {interaction.at:%Y-%m-%d %H:%M} UTC"


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def _phone_key(phone: str) -> str:
    """A phone number as compared when merging: its digits and plus sign."""
    return "".join(c for c in phone if c.isdigit() or c == "+") or phone.strip()


def _spliced_list(
    order: list[str], out: Sequence[int], into: Sequence[tuple[int, str]]
) -> list[str] | None:
    """``order`` less the places ``out``, plus each of ``into`` (sorted by place) at its
    place in the result; None when a place is past the end."""
    drop = set(out)
    result = [key for i, key in enumerate(order) if i not in drop] if drop else order[:]
    for place, key in into:
        if place > len(result):
            return None
        result.insert(place, key)
    return result


def _spliced(column: Any, places: Sequence[int], values: Sequence[int]) -> Any:
    """``column`` (an array or a bytearray) with ``values`` inserted, each at its place of
    ``places`` (sorted) in the result: C-level copies of the runs between them."""
    out = column[:0]
    previous = 0
    for k, (place, value) in enumerate(zip(places, values, strict=True)):
        cut = place - k  # rows of ``column`` before this one
        out.extend(column[previous:cut])
        out.append(value)
        previous = cut
    out.extend(column[previous:])
    return out


def _spliced_notes(
    notes: bytearray, ends: array[int], places: Sequence[int], texts: Sequence[bytes]
) -> tuple[bytearray, array[int]]:
    """:func:`_spliced` for the notes: their bytes and each row's end offset."""

    def start(row: int) -> int:
        return ends[row - 1] if row else 0

    out, out_ends = bytearray(), array("q")
    previous = 0
    for k, (place, text) in enumerate(zip(places, texts, strict=True)):
        cut = place - k
        shift = len(out) - start(previous)
        out += notes[start(previous) : start(cut)]
        out_ends.extend(map(shift.__add__, ends[previous:cut]))
        out += text
        out_ends.append(len(out))
        previous = cut
    shift = len(out) - start(previous)
    out += notes[start(previous) :]
    out_ends.extend(map(shift.__add__, ends[previous:]))
    return out, out_ends


def _bound(value: dt.datetime | dt.date | None, name: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise ValidationError(name, value, "must be timezone-aware, or a date (read as UTC)")
        return to_micros(value)
    if isinstance(value, dt.date):
        return to_micros(dt.datetime.combine(value, dt.time(), tzinfo=UTC))
    raise ValidationError(name, value, "must be a timezone-aware datetime or a date")


Maker = Callable[[int, str], Contact]
"""Makes a contact added as a row (an import's) from its row and id, when first read."""


def _no_rows(row: int, contact_id: str) -> Contact:
    raise ValidationError("add_batch.contacts", contact_id, "is a row, and no maker was given")


_Held = Contact | Callable[[], Contact] | int
_ROW = (1 << 32) - 1


class _Contacts(MutableMapping[str, Contact]):
    """Contacts by id, in the order added. A contact loaded from a store may be held as
    its decoder, and one an import added as a row of a :data:`Maker` (an int: the
    maker's number above the low 32 bits, the row below them, so a 100,000-contact
    import adds no object per contact): either is made the first time it is read."""

    __slots__ = ("_complete", "_items", "_makers")

    def __init__(self) -> None:
        self._items: dict[str, _Held] = {}
        self._makers: list[Maker] = []
        self._complete = True  # every item is a Contact, none a decoder

    def __getitem__(self, key: str) -> Contact:
        item = self._items[key]
        if not isinstance(item, Contact):
            item = self._items[key] = self._make(key, item)
        return item

    def _make(self, key: str, item: Callable[[], Contact] | int) -> Contact:
        if isinstance(item, int):
            return self._makers[item >> 32](item & _ROW, key)
        return item()

    def __setitem__(self, key: str, contact: Contact) -> None:
        self._items[key] = contact

    def put(self, key: str, item: _Held) -> None:
        self._items[key] = item
        if not isinstance(item, Contact):
            self._complete = False

    def maker(self, make: Maker) -> int:
        """What to add to a row of ``make`` to hold it in :meth:`put_many`."""
        self._makers.append(make)
        return (len(self._makers) - 1) << 32

    def put_many(self, pairs: Iterable[tuple[str, _Held]]) -> None:
        """Contacts, their decoders or their rows, many at once."""
        self._items.update(pairs)
        self._complete = False

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __contains__(self, key: object) -> bool:
        # Membership never decodes: reference checks stay cheap.
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def all(self) -> list[Contact]:
        """Every contact, decoding the ones not read yet; faster than ``values()``."""
        items = self._items
        if not self._complete:
            for key, item in items.items():
                if not isinstance(item, Contact):
                    items[key] = self._make(key, item)
            self._complete = True
            self._makers = []  # every row is made: what they were made of can go
        return list(items.values())  # type: ignore[arg-type]

    def copy(self) -> _Contacts:
        clone = _Contacts()
        clone._items = self._items.copy()
        clone._makers = self._makers.copy()
        clone._complete = self._complete
        return clone


class _TimeIndex:
    """Every interaction's instant, contact and kind in time order, and each contact's
    first instant: what a review counts with.

    Built from the columns on first use (C-level copies and gathers, no Python step per
    row), then kept up to date by every append, so reviewing again after logging one
    more interaction costs a few bisections, not a pass over the log.
    """

    __slots__ = ("at", "by_kind", "contact", "first_at", "first_keys", "kind", "last_at")

    def __init__(self, log: ActivityLog) -> None:
        log._merge_late()
        order = log._order
        if order is None:
            self.at = log._at[:]
            self.contact = log._contact[:]
            self.kind = bytearray(log._kind)
        else:
            self.at = array("q", map(log._at.__getitem__, order))
            self.contact = array("i", map(log._contact.__getitem__, order))
            self.kind = bytearray(map(log._kind.__getitem__, order))
        # Contacts in order of first appearance (dict.fromkeys keeps it); their positions
        # then come from index() scans that only ever move forward: O(n) in C overall.
        self.first_at: dict[int, int] = {}
        position = 0
        for contact in dict.fromkeys(self.contact):
            if contact == _NONE:
                continue
            position = self.contact.index(contact, position)
            self.first_at[contact] = self.at[position]
        # Per kind, its rows' instants and contacts (built on first use, one kind at a
        # time): a segment's coffees in a month are then a slice of the coffees alone.
        self.by_kind: dict[int, tuple[array[int], array[int]]] = {}
        # (instant, contact) packed in one int, sorted: a window's newcomers are a slice.
        self.first_keys = sorted(at << 32 | c for c, at in self.first_at.items())
        # The same scan backwards gives each contact's latest instant.
        backwards = self.contact[::-1]
        last = len(backwards) - 1
        self.last_at: dict[int, int] = {}
        position = 0
        for contact in dict.fromkeys(backwards):
            if contact == _NONE:
                continue
            position = backwards.index(contact, position)
            self.last_at[contact] = self.at[last - position]

    def of_kind(self, kind: int) -> tuple[array[int], array[int]]:
        """The instants and contacts of the interactions of one kind, in time order."""
        found = self.by_kind.get(kind)
        if found is None:
            mask = list(map(kind.__eq__, self.kind))
            found = self.by_kind[kind] = (
                array("q", itertools.compress(self.at, mask)),
                array("i", itertools.compress(self.contact, mask)),
            )
        return found

    def add(self, at: int, contact: int, kind: int) -> None:
        rows = self.by_kind.get(kind)
        if rows is not None:
            place = bisect.bisect_right(rows[0], at)
            rows[0].insert(place, at)
            rows[1].insert(place, contact)
        position = bisect.bisect_right(self.at, at)
        if position == len(self.at):
            self.at.append(at)
            self.contact.append(contact)
            self.kind.append(kind)
        else:
            self.at.insert(position, at)
            self.contact.insert(position, contact)
            self.kind.insert(position, kind)
        if contact == _NONE:
            return
        if at >= self.last_at.get(contact, _NEVER):
            self.last_at[contact] = at
        first = self.first_at.get(contact)
        if first is not None and first <= at:
            return
        if first is not None:
            del self.first_keys[bisect.bisect_left(self.first_keys, first << 32 | contact)]
        bisect.insort(self.first_keys, at << 32 | contact)
        self.first_at[contact] = at

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        first = bisect.bisect_left(self.at, lo)
        return first, bisect.bisect_left(self.at, hi, first)

    def first_span(self, lo: int, hi: int) -> tuple[int, int]:
        # Keys are instant << 32 | contact with 0 <= contact < 2**32: these bounds hold
        # exactly the instants in [lo, hi).
        first = bisect.bisect_left(self.first_keys, lo << 32)
        return first, bisect.bisect_left(self.first_keys, hi << 32, first)


class ActivityLog:
    """Contacts, organizations, events and the interactions between the person and them.

    >>> log = ActivityLog()
    >>> log.add(Contact("Lena Berg", tags={"climate"}),
    ...         Interaction("met", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), contact="lena-berg"))
    >>> len(log)
    1

    :meth:`add` takes any mix of records and is all or nothing: if one is invalid
    (an interaction naming an unknown contact, say), none is added. Records may refer to
    records earlier in the same call.
    """

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._contacts = _Contacts()
        self._contact_index: dict[str, int] = {}
        self._contact_ids: list[str] = []
        self._organizations: dict[str, Organization] = {}
        self._events: dict[str, Event] = {}
        self._event_index: dict[str, int] = {}
        self._event_ids: list[str] = []
        # One entry per interaction, in insertion order: the row number is its position.
        self._at = array("q")
        self._contact = array("i")
        self._event = array("i")
        self._kind = bytearray()
        self._channel = bytearray()
        self._direction = bytearray()
        self._notes_end = array("q")
        self._notes = bytearray()
        # Time order: rows [0, _main) sorted by (at, row), via _order or, while every
        # append has come in time order, by the identity (_order is None, saving 4 bytes
        # a row). Back-dated rows wait in _late, kept sorted, until merged.
        self._order: array[int] | None = None
        self._main = 0
        self._late: list[tuple[int, int]] = []
        # Per contact: its rows, and its latest instant. Built on first use after a bulk
        # load (None until then), then kept up to date by every append.
        self._by_contact: dict[int, array[int]] | None = {}
        self._last_at = array("q")
        # For reviews: the time index, and segments' members (both built on first use).
        self._time_index: _TimeIndex | None = None
        self._members: dict[Segment, frozenset[int]] = {}
        # What changed, for incremental reviews: a version bumped by every change, and
        # the interactions appended since the last change of any other record.
        self._version = 0
        # The journal starts when something first asks for the version (a Reviewer): a
        # log nobody reviews incrementally keeps none.
        self._appended: collections.deque[tuple[int, int]] | None = None
        self._appended_since = 0
        self._derived: dict[Hashable, Any] = {}
        # The last log before() gave: (this log's version, bound, that log, its version).
        self._earlier: tuple[int, int, ActivityLog, int] | None = None
        self.add(*records)

    # -- adding ------------------------------------------------------------------
    def add(self, *records: Record) -> None:
        """Add contacts, organizations, events and interactions, all or nothing."""
        if len(records) == 1 and type(records[0]) is Interaction:
            # The hot path (logging one interaction): its references are all it can break.
            interaction = records[0]
            if (interaction.contact is None or interaction.contact in self._contacts) and (
                interaction.event is None or interaction.event in self._events
            ):
                self._append(interaction)
                return
        self._check(records)
        self._apply(records)

    def _records_changed(self) -> None:
        self._version += 1
        if self._appended is not None:
            self._appended.clear()
        self._appended_since = self._version
        self._members.clear()
        self._derived.clear()

    def _apply(self, records: Iterable[Record]) -> None:
        changed = False
        for record in records:
            if isinstance(record, Interaction):
                self._append(record)
                continue
            changed = True
            if isinstance(record, Contact):
                self._adopt_contact(record.id, record)
            elif isinstance(record, Organization):
                self._organizations[record.id] = record
            else:
                if record.id not in self._event_index:
                    self._event_index[record.id] = len(self._event_ids)
                    self._event_ids.append(record.id)
                self._events[record.id] = record
        if changed:
            # Once, after: a review redoes everything after any record changed (an
            # interaction appended in the same call included, which is only cautious).
            self._records_changed()

    def add_batch(self, batch: Batch) -> None:
        """Add a :class:`~netplan.core.batch.Batch` (an import's organizations, events,
        contacts and interactions, column by column), all or nothing: it is checked
        whole, by sets, before anything is added, and its contacts are made when first
        read."""
        tables: dict[str, Collection[str]] = {
            "contact": self._contacts,
            "organization": self._organizations,
            "event": self._events,
        }
        check_batch(batch, lambda kind, keys: [key for key in keys if key in tables[kind]])
        contacts = batch.contacts
        make = contacts.maker or _no_rows
        self._add_bulk(
            batch.records, (list(contacts.ids), contacts.items, make), batch.interactions
        )

    def extend(self, interactions: Iterable[Interaction]) -> None:
        """Add many interactions at once, all or nothing."""
        self.add(*interactions)

    def update(self, record: Contact | Organization | Event) -> None:
        """Replace a contact, organization or event that has the same id."""
        tables: dict[type, MutableMapping[str, Any]] = {
            Contact: self._contacts,
            Organization: self._organizations,
            Event: self._events,
        }
        table = tables.get(type(record))
        if table is None:
            raise ValidationError(
                "update.record", record, "must be a Contact, Organization or Event"
            )
        if record.id not in table:
            raise NotFoundError(type(record).__name__.lower(), record.id, "use add() for a new one")
        self._check((record,), replacing=True)
        table[record.id] = record
        self._records_changed()

    def _check(self, records: Iterable[Record], *, replacing: bool = False) -> None:
        tables: dict[str, Mapping[str, object]] = {
            "contact": self._contacts,
            "organization": self._organizations,
            "event": self._events,
        }
        check_records(records, lambda kind, key: key in tables[kind], replacing=replacing)

    def _append(self, interaction: Interaction) -> None:
        # Everything that could fail happens before the first column grows, so the
        # columns never disagree in length.
        row = len(self._at)
        at = to_micros(interaction.at)
        contact = _NONE if interaction.contact is None else self._contact_index[interaction.contact]
        notes = interaction.notes.encode("utf-8", "surrogatepass")
        self._at.append(at)
        self._contact.append(contact)
        self._event.append(
            _NONE if interaction.event is None else self._event_index[interaction.event]
        )
        self._kind.append(_KIND_CODE[interaction.kind])
        self._channel.append(_CHANNEL_CODE[interaction.channel])
        self._direction.append(_DIRECTION_CODE[interaction.direction])
        self._notes += notes
        self._notes_end.append(len(self._notes))
        if self._time_index is not None:
            self._time_index.add(at, contact, _KIND_CODE[interaction.kind])
        self._version += 1
        if self._appended is not None:
            self._appended.append((at, contact))
        if contact != _NONE and self._by_contact is not None:
            rows = self._by_contact.get(contact)
            if rows is None:
                rows = self._by_contact[contact] = array("i")
            rows.append(row)
            if at > self._last_at[contact]:
                self._last_at[contact] = at
        if self._main == 0 or at >= self._at[self._main_last()]:
            if self._order is None and self._main != row:
                # Back-dated rows are waiting, so the main order is no longer the
                # identity: spell it out once, then keep appending to it.
                self._order = array("i", range(self._main))
            if self._order is not None:
                self._order.append(row)
            self._main += 1
        else:
            bisect.insort(self._late, (at, row))
            if len(self._late) > max(_MIN_LATE_RUN, math.isqrt(len(self._at))):
                self._merge_late()

    def _main_last(self) -> int:
        return self._main - 1 if self._order is None else self._order[self._main - 1]

    def _merge_late(self) -> None:
        # Bisect each waiting row into the main order and copy the runs between them as
        # array slices: O(L log n) Python steps and one C-speed copy, where a
        # element-by-element merge costs a Python step per row of the whole log.
        at = self._at
        main = array("i", range(self._main)) if self._order is None else self._order
        merged = array("i")
        previous = 0
        for late in self._late:
            # (instant, row) keys: equal instants keep their insertion order.
            position = bisect.bisect_left(main, late, previous, key=lambda r: (at[r], r))
            row = late[1]
            merged.extend(main[previous:position])
            merged.append(row)
            previous = position
        merged.extend(main[previous:])
        self._order = merged
        self._main = len(merged)
        self._late = []

    @classmethod
    def from_rows(
        cls,
        records: Iterable[Record],
        rows: Iterable[Row],
        *,
        trusted: bool = False,
        deferred_contacts: Iterable[tuple[str, Callable[[], Contact]]] = (),
    ) -> ActivityLog:
        """A log from stored data: its contacts, organizations and events, and its
        interactions as :data:`Row` tuples in the order they were added.

        For store backends: much faster than adding ``Interaction`` objects, while still
        refusing a row that names an unknown contact, event, kind, channel or direction.
        ``trusted`` says the records come from a store that checked them when they were
        added, so their references (contact to organization...) are not checked again.
        ``deferred_contacts`` gives contacts as ``(id, decode)`` pairs, added after
        ``records``: each is decoded the first time it is read, so loading a store of
        100,000 contacts does not build them all up front (trusted loads only).
        """
        with paused_gc():
            log = cls._from_rows(records, (), trusted=trusted)
            log._adopt_deferred(deferred_contacts)
            return log._with_rows(rows)

    def _adopt_deferred(
        self, contacts: Iterable[tuple[str, Contact | Callable[[], Contact]]]
    ) -> None:
        """:meth:`_adopt_contact` for many new contacts at once, column by column."""
        pairs = contacts if isinstance(contacts, list) else list(contacts)
        self._adopt_many([key for key, _ in pairs], [item for _, item in pairs])

    def _adopt_many(self, ids: list[str], items: Sequence[_Held], *, new: bool = False) -> None:
        """Contacts by id, each with its item. ``new`` says every id is new and none
        repeats (an import's): then the index's growth checks it, instead of a set."""
        start, before = len(self._contact_ids), len(self._contact_index)
        if not new:
            fresh = set(ids)
            if len(fresh) != len(ids) or not fresh.isdisjoint(self._contact_index):
                for contact_id, item in zip(ids, items, strict=True):  # an id seen before
                    self._adopt_contact(contact_id, item)
                return
        self._contact_index.update(zip(ids, range(start, start + len(ids)), strict=True))
        if len(self._contact_index) != before + len(ids):
            # Not all or nothing here: _add_bulk's callers work on a copy of the log.
            raise ValidationError("add.contacts", ids, "must be new ids, each given once")
        self._contact_ids.extend(ids)
        self._last_at.extend(itertools.repeat(_NEVER, len(ids)))
        self._contacts.put_many(zip(ids, items, strict=True))

    def _adopt_contact(self, contact_id: str, contact: _Held) -> None:
        if contact_id not in self._contact_index:
            self._contact_index[contact_id] = len(self._contact_ids)
            self._contact_ids.append(contact_id)
            self._last_at.append(_NEVER)
        self._contacts.put(contact_id, contact)

    @classmethod
    def _from_rows(
        cls, records: Iterable[Record], rows: Iterable[Row], *, trusted: bool
    ) -> ActivityLog:
        log = cls()
        if trusted:
            log._apply(records)
        else:
            log.add(*records)
        return log._with_rows(rows)

    def _with_rows(self, rows: Iterable[Row]) -> ActivityLog:
        rows = rows if isinstance(rows, (list, tuple)) else list(rows)
        if not rows:
            return self
        try:
            columns = tuple(zip(*rows, strict=True))
        except (TypeError, ValueError):
            raise self._bad_row(rows, *self._lookups()) from None
        if len(columns) != 7:
            raise self._bad_row(rows, *self._lookups())
        return self._with_columns(columns)

    @classmethod
    def from_columns(
        cls,
        records: Iterable[Record],
        columns: Columns,
        *,
        trusted: bool = False,
        deferred_contacts: Iterable[tuple[str, Callable[[], Contact]]] = (),
    ) -> ActivityLog:
        """:meth:`from_rows` given the rows' :data:`Columns`: for a store that can read
        its interactions column by column (SQLite and JSON do), no tuple per row to build
        and take apart. A value that cannot be read raises
        :class:`~netplan.core.errors.ValidationError` naming its row, as from_rows does."""
        with paused_gc():
            log = cls._from_rows(records, (), trusted=trusted)
            log._adopt_deferred(deferred_contacts)
            return log._with_columns(columns) if columns[0] else log

    def _lookups(self) -> tuple[dict[str | None, int], dict[str | None, int]]:
        contacts: dict[str | None, int] = {None: _NONE}
        contacts.update(self._contact_index)
        events: dict[str | None, int] = {None: _NONE}
        events.update(self._event_index)
        return contacts, events

    def _with_columns(self, columns: Columns) -> ActivityLog:
        (
            self._at,
            self._contact,
            self._event,
            self._kind,
            self._channel,
            self._direction,
            self._notes,
            self._notes_end,
        ) = self._column_arrays(columns)
        self._index_rows()
        return self

    def _add_bulk(
        self,
        records: Sequence[Record],
        contacts: tuple[list[str], Sequence[Contact | int], Maker],
        columns: Columns,
    ) -> None:
        """:meth:`add` for an import: ``records``, then new contacts (ids, and each a
        Contact or a row of the Maker, made when first read), then interactions as
        :data:`Columns`: no object per contact or interaction, and one re-sort instead
        of an insertion each. Not all or nothing (the importer works on a copy); the
        contacts must be new and refer to organizations the log has."""
        ids, items, make = contacts
        with paused_gc():
            self.add(*records)
            start = len(self._contact_ids)
            base = self._contacts.maker(make)
            held: Sequence[_Held]
            if isinstance(items, range) or all(type(item) is int for item in items):
                rows = cast(Sequence[int], items)
                held = list(map(base.__or__, rows)) if base else rows
            else:
                held = [base | item if isinstance(item, int) else item for item in items]
            self._adopt_many(ids, held, new=True)
            self._records_changed()
            if not columns[0]:
                return
            who = columns[1]
            contact = None
            if isinstance(who, Places) and who.ids is ids:
                # The contacts just added (at start, or _adopt_many raised), by place: their
                # codes follow from where they went.
                places = who.places
                contact = array("i", map(start.__add__, places) if start else places)
            arrays = self._column_arrays(columns, contact)
            base = len(self._notes)
            for mine, more in zip(
                (self._at, self._contact, self._event, self._kind, self._channel),
                arrays[:5],
                strict=True,
            ):
                mine.extend(more)
            self._direction.extend(arrays[5])
            self._notes.extend(arrays[6])
            self._notes_end.extend(map(base.__add__, arrays[7]) if base else arrays[7])
            self._index_rows()

    def _column_arrays(
        self, columns: Columns, contact: array[int] | None = None
    ) -> tuple[
        array[int], array[int], array[int], bytearray, bytearray, bytearray, bytearray, array[int]
    ]:
        """The log's columns for :data:`Columns`: each conversion is one C-level pass (map
        over a dict lookup, array from a sequence), not a Python step per row per field."""
        log = self
        contacts, events = self._lookups()
        try:
            when, who, kind, channel, direction, where, text = columns
            if not len(when) == len(who) == len(kind) == len(channel) == len(direction):
                raise ValueError("columns of different lengths")
            if not len(when) == len(where) == len(text):
                raise ValueError("columns of different lengths")
            at = array("q", when)
            # Without a None to read, the log's own index serves (no copy of it).
            if contact is None:
                index = (
                    contacts if None in who else cast(dict[str | None, int], self._contact_index)
                )
                contact = array("i", map(index.__getitem__, who))
            elif len(contact) != len(who):
                raise ValueError("columns of different lengths")
            if where.count(None) == len(where):
                event = array("i", (_NONE,)) * len(where)
            else:
                event = array("i", map(events.__getitem__, where))
            kinds = _codes(_KIND_BY_VALUE, kind)
            channels = _codes(_CHANNEL_BY_VALUE, channel)
            directions = _codes(_DIRECTION_BY_VALUE, direction)
            if text and text.count(text[0]) == len(text):
                # One note on every row (an import's): its bytes, repeated.
                note = text[0].encode("utf-8", "surrogatepass")
                notes = bytearray(note * len(text))
                ends = array("q", range(len(note), len(note) * len(text) + 1, len(note) or 1))
                if not note:
                    ends = array("q", (0,)) * len(text)
            elif (joined := "".join(text)).isascii():
                # One byte per character: offsets come from the texts' lengths directly.
                notes = bytearray(joined.encode("ascii"))
                ends = array("q", itertools.accumulate(map(len, text)))
            else:
                encoded = [t.encode("utf-8", "surrogatepass") for t in text]
                notes = bytearray(b"".join(encoded))
                ends = array("q", itertools.accumulate(map(len, encoded)))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            rows = list(itertools.zip_longest(*columns))
            raise log._bad_row(rows, contacts, events) from None  # type: ignore[arg-type]
        return at, contact, event, kinds, channels, directions, notes, ends

    @staticmethod
    def _bad_row(
        rows: Sequence[Row], contacts: dict[str | None, int], events: dict[str | None, int]
    ) -> ValidationError:
        """The first row :meth:`from_rows` cannot read, found the slow way, named precisely."""
        checks: tuple[tuple[int, str, Callable[[Any], object], str], ...] = (
            (0, "at", lambda v: array("q", [v]), "must be microseconds since 1970-01-01 UTC"),
            (1, "contact", contacts.__getitem__, "must name a contact of the log"),
            (2, "kind", _KIND_BY_VALUE.__getitem__, f"must be one of {sorted(_KIND_BY_VALUE)}"),
            (
                3,
                "channel",
                _CHANNEL_BY_VALUE.__getitem__,
                f"must be one of {sorted(_CHANNEL_BY_VALUE)}",
            ),
            (
                4,
                "direction",
                _DIRECTION_BY_VALUE.__getitem__,
                f"must be one of {sorted(_DIRECTION_BY_VALUE)}",
            ),
            (5, "event", events.__getitem__, "must name an event of the log"),
            (6, "notes", lambda v: v.encode("utf-8", "surrogatepass"), "must be text"),
        )
        for number, row in enumerate(rows):
            if not isinstance(row, (tuple, list)) or len(row) != len(checks):
                return ValidationError(f"rows[{number}]", row, f"must have {len(checks)} values")
            for index, name, check, rule in checks:
                try:
                    check(row[index])
                except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
                    return ValidationError(f"rows[{number}].{name}", row[index], rule)
        return ValidationError("rows", len(rows), "cannot be read")

    def rows(self) -> Iterator[Row]:
        """Every interaction as a :data:`Row`, in the order added (see :meth:`from_rows`)."""
        ids, events = self._contact_ids, self._event_ids
        for row in range(len(self._at)):
            contact, event = self._contact[row], self._event[row]
            start = self._notes_end[row - 1] if row else 0
            yield (
                self._at[row],
                None if contact == _NONE else ids[contact],
                _KINDS[self._kind[row]].value,
                _CHANNELS[self._channel[row]].value,
                _DIRECTIONS[self._direction[row]].value,
                None if event == _NONE else events[event],
                self._notes[start : self._notes_end[row]].decode("utf-8", "surrogatepass"),
            )

    def _index_rows(self) -> None:
        """Rebuild the time order from the columns; the per-contact index waits for use."""
        at = self._at
        n = len(at)
        self._by_contact = None
        self._time_index = None
        self._records_changed()
        self._order, self._main, self._late = None, n, []
        if all(map(operator.le, at, itertools.islice(at, 1, None))):
            return
        # The time order, equal instants in the order added (the sort is stable). Logs are
        # nearly in time order, which Timsort finds in runs: close to one C-level pass.
        self._order = array("i", sorted(range(n), key=at.__getitem__))

    def _contact_rows(self) -> dict[int, array[int]]:
        """The per-contact index, built from the columns the first time it is needed."""
        if self._by_contact is not None:
            return self._by_contact
        at = self._at
        by_contact: dict[int, array[int]] = {}
        last_at = self._last_at
        for i in range(len(last_at)):
            last_at[i] = _NEVER
        for row, contact in enumerate(self._contact):
            if contact != _NONE:
                rows = by_contact.get(contact)
                if rows is None:
                    rows = by_contact[contact] = array("i")
                rows.append(row)
                if at[row] > last_at[contact]:
                    last_at[contact] = at[row]
        self._by_contact = by_contact
        return by_contact

    def copy(self) -> ActivityLog:
        """An independent copy: adding to one does not change the other."""
        clone = ActivityLog()
        for name, value in vars(self).items():
            if isinstance(value, (array, bytearray, list)):
                value = value[:]
            elif isinstance(value, (dict, _Contacts, collections.deque)):
                value = value.copy()
            setattr(clone, name, value)
        if self._by_contact is not None:
            clone._by_contact = {k: rows[:] for k, rows in self._by_contact.items()}
        clone._time_index = None  # rebuilt on first use: cheaper than copying it
        return clone

    def before(self, instant: dt.datetime) -> ActivityLog:
        """The log as it stood at ``instant``: every contact, organization and event, and
        the interactions that happened before it. A review of a past day reads this, so
        that what was done after that day (a follow-up sent the next morning) is not
        counted on it.

        ``self`` when nothing happened at or after ``instant`` (a review of today); else
        a new log, kept until this one (or it) changes, so that reviewing the same day
        again does not build it again. O(n) to build, with C-level copies when the later
        interactions were all added after the earlier ones (logging as things happen).
        """
        bound = _bound(instant, "before.instant", _NEVER)
        if not self._at or self._latest_at() < bound:
            return self
        kept = self._earlier
        if (
            kept is not None
            and kept[0] == self._version
            and kept[1] == bound
            and kept[2]._version == kept[3]
        ):
            return kept[2]
        earlier = self._truncated(bound)
        self._earlier = (self._version, bound, earlier, earlier._version)
        return earlier

    def _latest_at(self) -> int:
        latest = self._at[self._main_last()] if self._main else _NEVER
        return max(latest, self._late[-1][0]) if self._late else latest

    def _truncated(self, bound: int) -> ActivityLog:
        """A log with the same records and only the interactions before ``bound``."""
        clone = ActivityLog()
        clone._contacts = self._contacts.copy()
        clone._contact_index = self._contact_index.copy()
        clone._contact_ids = self._contact_ids[:]
        clone._last_at = array("q", (_NEVER,)) * len(self._contact_ids)
        clone._organizations = self._organizations.copy()
        clone._events = self._events.copy()
        clone._event_index = self._event_index.copy()
        clone._event_ids = self._event_ids[:]
        keep = list(map(bound.__gt__, self._at))
        count = keep.count(True)
        ends = self._notes_end
        if False not in keep[:count]:
            # The interactions kept are the first ones added: slices, copied in C.
            clone._at, clone._contact, clone._event = (
                self._at[:count],
                self._contact[:count],
                self._event[:count],
            )
            clone._kind, clone._channel, clone._direction = (
                self._kind[:count],
                self._channel[:count],
                self._direction[:count],
            )
            clone._notes_end = ends[:count]
            clone._notes = self._notes[: ends[count - 1]] if count else bytearray()
        else:
            clone._at, clone._contact, clone._event = (
                _kept(self._at, keep),
                _kept(self._contact, keep),
                _kept(self._event, keep),
            )
            clone._kind, clone._channel, clone._direction = (
                bytearray(itertools.compress(self._kind, keep)),
                bytearray(itertools.compress(self._channel, keep)),
                bytearray(itertools.compress(self._direction, keep)),
            )
            # Each kept row's notes, as (start, end) in the notes bytes.
            spans = list(itertools.compress(itertools.pairwise(itertools.chain((0,), ends)), keep))
            clone._notes_end = array("q", itertools.accumulate(b - a for a, b in spans))
            clone._notes = bytearray(b"".join([self._notes[a:b] for a, b in spans if a != b]))
        clone._index_rows()
        # Segments' members and derived values depend on the records alone: still true.
        clone._members = dict(self._members)
        clone._derived = dict(self._derived)
        return clone

    def take_over(self, other: ActivityLog) -> None:
        """Become ``other`` (which must not be used afterwards): how a change made on a
        copy, all of it or none, is committed without doing it twice."""
        if not isinstance(other, ActivityLog):
            raise ValidationError("take_over.other", other, "must be an ActivityLog")
        self.__dict__.update(other.__dict__)

    # -- correcting --------------------------------------------------------------
    def apply(self, change: LogChange) -> None:
        """Make ``change`` (a merge, a removal, or the inverse of one: an undo), all or
        nothing, checking first that the log is as the change found it.

        Raises:
            ConflictError: a record or interaction the change removes or replaces is not
                as it was when the change was made, or not in its place, or the id of one
                it adds is taken (the log changed since); nothing is changed.
            ValidationError: after the change, something would refer to a record it
                removes; nothing is changed.

        O(n) in the interactions, in C-level copies: corrections are rare, so the log
        is rebuilt rather than made to support removals in its hot paths.
        """
        self.take_over(self._changed(change))

    def add_change(
        self,
        *records: Record,
        replace: Iterable[Contact | Organization | Event] = (),
        description: str,
    ) -> LogChange:
        """Add ``records`` and replace the records of ``replace`` (by id), as
        :meth:`add` and :meth:`update` do, all or nothing, as a change a store can keep in
        the plan's history: a contact or an interaction logged by hand, a contact edited,
        can then be undone like a merge. Returns the change made (see
        :meth:`remove_interactions`).

        Raises:
            ValidationError: a record refers to one the log lacks; nothing is changed.
            ConflictError: a record reuses an id the log has; nothing is changed.
            NotFoundError: a replacement names no record of the log; nothing is changed.
        """
        if not records and not replace:
            raise ValidationError("add_change", (), "give records to add or to replace")
        placed: list[Placed] = []
        next_place = {
            "organization": len(self._organizations),
            "contact": len(self._contact_ids),
            "event": len(self._event_ids),
            "interaction": len(self._at),
        }
        for record in records:
            kind = _kind_of(record)
            placed.append(Placed(next_place[kind], record))
            next_place[kind] += 1
        replaced: list[Replaced] = []
        tables: dict[type, Mapping[str, Any]] = {
            Contact: self._contacts,
            Organization: self._organizations,
            Event: self._events,
        }
        for record in replace:
            table = tables.get(type(record))
            if table is None:
                raise ValidationError(
                    "add_change.replace", record, "must be a Contact, Organization or Event"
                )
            kind = _KIND[type(record)]
            before = table.get(record.id)
            if before is None:
                raise NotFoundError(kind, record.id, f"replace only {kind}s the log has")
            if before != record:
                replaced.append(Replaced(before, record))
        change = LogChange(description, added=placed, replaced=replaced)
        self.apply(change)
        return change

    def remove_interactions(self, *interactions: Interaction) -> LogChange:
        """Remove interactions, each given by value (an equal :class:`Interaction`, such
        as one :meth:`interactions` returned), all or nothing.

        Of equal interactions (the same thing logged twice), the one added last goes
        first. Returns the change made: keep it in a store's history
        (:meth:`netplan.storage.CorrectableStore.change`), or undo it with
        ``log.apply(change.inverse())``.

        Raises:
            NotFoundError: an interaction is not in the log (or is given more times than
                it was logged); nothing is removed.
        """
        if not interactions:
            raise ValidationError("remove_interactions", (), "give at least one interaction")
        chosen: set[int] = set()
        for i, interaction in enumerate(interactions):
            if not isinstance(interaction, Interaction):
                raise ValidationError(
                    f"remove_interactions[{i}]",
                    interaction,
                    "must be an Interaction, such as one log.interactions() returned",
                )
            at = to_micros(interaction.at)
            rows = [
                row
                for row in self._window(at, at + 1)
                if row not in chosen and self._materialize(row) == interaction
            ]
            if not rows:
                raise NotFoundError(
                    "interaction",
                    _describe(interaction),
                    "it is not in the log, or is given more times than it was logged",
                )
            chosen.add(max(rows))
        gone = [self._materialize(row) for row in sorted(chosen)]
        what = f"the {_describe(gone[0])}" if len(gone) == 1 else f"{len(gone)} interactions"
        change = LogChange(
            f"removed {what}",
            removed=[Placed(row, i) for row, i in zip(sorted(chosen), gone, strict=True)],
        )
        self.apply(change)
        return change

    def remove_contact(self, contact_id: str, *, with_interactions: bool = False) -> LogChange:
        """Remove a contact, all or nothing; returns the change made (see
        :meth:`remove_interactions`).

        A contact that interactions or other contacts' ``introduced_by`` still name is
        refused, naming them, unless ``with_interactions``: then its interactions are
        removed too and those ``introduced_by`` cleared, all in the one change (which
        undoes them all). To keep the interactions, merge the contact into another
        (:meth:`merge_contacts`).

        Raises:
            NotFoundError: no such contact.
            ValidationError: the contact is still referred to and ``with_interactions``
                is false.
        """
        contact = self.contact(contact_id)
        code = self._contact_index[contact_id]
        rows = sorted(self._contact_rows().get(code, ()))
        introduced = [
            c for c in self._contacts.all() if c.introduced_by == contact_id and c.id != contact_id
        ]
        if (rows or introduced) and not with_interactions:
            parts = []
            if rows:
                latest = max(rows, key=lambda r: (self._at[r], r))
                parts.append(
                    f"{_count(len(rows), 'interaction')} (the latest: the "
                    f"{_describe(self._materialize(latest))})"
                )
            if introduced:
                names = ", ".join(repr(c.id) for c in introduced[:3])
                more = f" and {len(introduced) - 3} more" if len(introduced) > 3 else ""
                parts.append(f"the introduced_by of {names}{more}")
            raise ValidationError(
                "remove_contact",
                contact_id,
                f"it is still referred to by {' and '.join(parts)}: pass "
                "with_interactions=True to remove its interactions too (and clear those "
                "introduced_by), or merge it into another contact with merge_contacts()",
            )
        change = LogChange(
            f"removed {contact_id}"
            + (f" and their {_count(len(rows), 'interaction')}" if rows else ""),
            removed=[Placed(code, contact), *(Placed(r, self._materialize(r)) for r in rows)],
            replaced=[Replaced(c, attrs.evolve(c, introduced_by=None)) for c in introduced],
        )
        self.apply(change)
        return change

    def merge_contacts(self, merged: str, *, into: str) -> LogChange:
        """Merge contact ``merged`` into contact ``into`` (one person entered twice), all
        or nothing; returns the change made (see :meth:`remove_interactions`).

        Every interaction with ``merged`` becomes one with ``into``, in its place; other
        contacts introduced by ``merged`` are introduced by ``into``; ``into`` gains what
        ``merged`` has that it lacks: emails, phones, profiles and tags it does not have,
        ``merged``'s notes as one more paragraph, its nickname, birthday (or the year of
        one ``into`` has without), role, industry, tier, how and where met, who
        introduced them, its organization (or, if ``into`` works elsewhere, the
        organization's name among ``into.other_companies``), its other companies and its
        sources. ``into`` keeps its name and everything it has. Then ``merged`` is
        removed.

        Raises:
            NotFoundError: either contact is missing.
            ValidationError: ``merged`` and ``into`` are the same contact.
        """
        if merged == into:
            raise ValidationError(
                "merge_contacts.into", into, "must be another contact than the one merged"
            )
        keep = self.contact(into)
        other = self.contact(merged)
        code = self._contact_index[merged]
        removed: list[Placed] = [Placed(code, other)]
        added: list[Placed] = []
        for row in sorted(self._contact_rows().get(code, ())):
            before = self._materialize(row)
            removed.append(Placed(row, before))
            added.append(Placed(row, attrs.evolve(before, contact=into)))
        replaced: list[Replaced] = []
        kept = self._merged_contact(keep, other)
        if kept != keep:
            replaced.append(Replaced(keep, kept))
        replaced.extend(
            Replaced(c, attrs.evolve(c, introduced_by=into))
            for c in self._contacts.all()
            if c.introduced_by == merged and c.id not in (merged, into)
        )
        change = LogChange(
            f"merged {merged} into {into}", added=added, removed=removed, replaced=replaced
        )
        self.apply(change)
        return change

    def _merged_contact(self, keep: Contact, other: Contact) -> Contact:
        """``keep`` with what ``other`` has that it lacks (see :meth:`merge_contacts`)."""

        def more(
            kept: tuple[str, ...], offered: Iterable[str], key: Callable[[str], str]
        ) -> tuple[str, ...]:
            seen = {key(x) for x in kept}
            fresh = []
            for value in offered:
                if key(value) not in seen:
                    seen.add(key(value))
                    fresh.append(value)
            return (*kept, *fresh)

        changes: dict[str, Any] = {
            "emails": more(keep.emails, other.emails, str.casefold),
            "phones": more(keep.phones, other.phones, _phone_key),
            "profiles": more(keep.profiles, other.profiles, lambda p: p.rstrip("/").casefold()),
            "tags": keep.tags | other.tags,
            "sources": keep.sources | other.sources,
            # Told apart from someone, either of them: the one person is too.
            "distinct_from": (keep.distinct_from | other.distinct_from) - {keep.id, other.id},
        }
        for name in ("role", "nickname", "met_how", "met_where"):
            if not getattr(keep, name).strip() and getattr(other, name).strip():
                changes[name] = getattr(other, name)
        for name in ("industry", "tier"):
            if getattr(keep, name) is None and getattr(other, name) is not None:
                changes[name] = getattr(other, name)
        notes = other.notes.strip()
        if notes and notes not in keep.notes:
            # One paragraph more, as an import merging a file's notes does.
            changes["notes"] = f"{keep.notes.rstrip()}\n\n{notes}" if keep.notes.strip() else notes
        year_of = keep.birthday.startswith("--") and other.birthday.endswith(keep.birthday[1:])
        if other.birthday and other.birthday != keep.birthday and (not keep.birthday or year_of):
            changes["birthday"] = other.birthday  # a birthday, or the year of one
        introducer = keep.introduced_by
        if introducer in (None, other.id):
            introducer = other.introduced_by
        if introducer in (keep.id, other.id):
            introducer = None  # nobody is introduced by themselves
        changes["introduced_by"] = introducer
        organization = keep.organization
        offered: list[str] = []
        if other.organization is not None and other.organization != organization:
            if organization is None:
                organization = changes["organization"] = other.organization
            else:
                offered.append(self._organizations[other.organization].name)
        offered.extend(other.other_companies)
        own = self._organizations[organization].name if organization is not None else ""
        changes["other_companies"] = more(
            keep.other_companies,
            (c for c in offered if c.strip() and c.strip().casefold() != own.strip().casefold()),
            lambda c: c.strip().casefold(),
        )
        return attrs.evolve(keep, **changes)

    def _changed(self, change: LogChange) -> ActivityLog:
        """The log after ``change``, built anew; ``self`` is left as it is."""
        if not isinstance(change, LogChange):
            raise ValidationError(
                "apply.change", change, "must be a LogChange (see ActivityLog.merge_contacts)"
            )
        if change.undoes is not None:
            what = f"change {change.undoes} cannot be undone"
            fix = "the log changed since in a way the undo cannot go back over"
        else:
            label = f"change {change.number}" if change.number else "the change"
            what = f"{label} ({change.description}) does not fit the log"
            fix = "the log changed since the change was worked out: work it out again"

        def conflict(detail: str) -> ConflictError:
            return ConflictError(f"{what}: {detail}; {fix}. Nothing was changed")

        kinds = ("organization", "contact", "event", "interaction")
        removed: dict[str, list[Placed]] = {kind: [] for kind in kinds}
        added: dict[str, list[Placed]] = {kind: [] for kind in kinds}
        for placed in change.removed:
            removed[_kind_of(placed.record)].append(placed)
        for placed in change.added:
            added[_kind_of(placed.record)].append(placed)
        tables: dict[str, Mapping[str, Any]] = {
            "organization": self._organizations,
            "contact": self._contacts,
            "event": self._events,
        }
        orders = {
            "organization": list(self._organizations),
            "contact": self._contact_ids,
            "event": self._event_ids,
        }
        # The records after the change that are not as they were: replaced and added.
        new: dict[str, dict[str, Any]] = {kind: {} for kind in tables}
        for each in change.replaced:
            kind, key = _KIND[type(each.before)], each.before.id
            if key not in tables[kind]:
                raise conflict(f"there is no {kind} {key!r} to replace")
            if tables[kind][key] != each.before:
                raise conflict(f"{kind} {key!r} is not as the change found it")
            new[kind][key] = each.after
        after: dict[str, list[str]] = {}
        for kind, order in orders.items():
            for placed in removed[kind]:
                key = placed.record.id  # type: ignore[union-attr]
                place = placed.position
                if place >= len(order) or order[place] != key:
                    raise conflict(f"{kind} {key!r} is not in its place ({place})")
                if tables[kind][key] != placed.record:
                    raise conflict(f"{kind} {key!r} is not as the change found it")
            for placed in added[kind]:
                new[kind][placed.record.id] = placed.record  # type: ignore[union-attr]
            spliced = _spliced_list(
                order,
                [p.position for p in removed[kind]],
                sorted((p.position, p.record.id) for p in added[kind]),  # type: ignore[union-attr]
            )
            if spliced is None:
                raise conflict(f"a {kind} is added past the end of the log's {kind}s")
            if len(set(spliced)) != len(spliced):
                taken = next(
                    p.record.id  # type: ignore[union-attr]
                    for p in added[kind]
                    if spliced.count(p.record.id) > 1  # type: ignore[union-attr]
                )
                raise conflict(f"the log has {_article(kind)} {kind} {taken!r} already")
            after[kind] = spliced
        self._check_references(change, removed, added, after)
        rows_out = sorted(p.position for p in removed["interaction"])
        size = len(self._at)
        for placed in removed["interaction"]:
            if placed.position >= size or self._materialize(placed.position) != placed.record:
                raise conflict(
                    f"row {placed.position} is not the {_describe(placed.record)}"  # type: ignore[arg-type]
                )
        rows_in = sorted(added["interaction"], key=lambda p: p.position)
        for k, placed in enumerate(rows_in):
            if placed.position > size - len(rows_out) + k:
                raise conflict(f"row {placed.position} is past the end of the log")
        return self._rebuilt(after, new, rows_out, rows_in)

    def _check_references(
        self,
        change: LogChange,
        removed: dict[str, list[Placed]],
        added: dict[str, list[Placed]],
        after: dict[str, list[str]],
    ) -> None:
        """Refuse a change after which something refers to a record it removes."""
        present = {kind: set(ids) for kind, ids in after.items()}
        changed: list[Record] = [p.record for p in change.added]
        changed.extend(r.after for r in change.replaced)
        for record in changed:
            for name, kind in _REFERENCES[type(record)]:
                ref = getattr(record, name)
                if ref is not None and ref not in present[kind]:
                    raise ValidationError(
                        f"apply.{type(record).__name__}.{name}",
                        ref,
                        f"must name {_article(kind)} {kind} of the log after the change",
                    )
        # Removed, and not added back in another place.
        gone = {
            kind: {p.record.id for p in removed[kind]}  # type: ignore[union-attr]
            - {p.record.id for p in added[kind]}  # type: ignore[union-attr]
            for kind in ("organization", "contact", "event")
        }
        touched = {r.after.id for r in change.replaced if isinstance(r.after, Contact)}
        touched.update(p.record.id for p in added["contact"])  # type: ignore[union-attr]

        def still(kind: str, key: str | None, by: str) -> ValidationError:
            return ValidationError(
                f"apply.{kind}",
                key,
                f"it is still referred to by {by}: the change must remove or change that too",
            )

        if gone["contact"] or gone["organization"]:
            for key in after["contact"]:
                if key in touched:
                    continue  # checked above, as it will be
                contact = self._contacts[key]
                if contact.introduced_by in gone["contact"]:
                    raise still("contact", contact.introduced_by, f"the introduced_by of {key!r}")
                if contact.organization in gone["organization"]:
                    raise still(
                        "organization", contact.organization, f"the organization of {key!r}"
                    )
        if gone["organization"]:
            for key in after["event"]:
                event = self._events.get(key)
                if event is not None and event.organizer in gone["organization"]:
                    raise still("organization", event.organizer, f"the organizer of {key!r}")
        out = [p.position for p in removed["interaction"]]
        for kind, column, index in (
            ("contact", self._contact, self._contact_index),
            ("event", self._event, self._event_index),
        ):
            for key in gone[kind]:
                code = index[key]
                left = column.count(code) - sum(1 for row in out if column[row] == code)
                if left:
                    raise still(kind, key, _count(left, "interaction"))

    def _rebuilt(
        self,
        after: dict[str, list[str]],
        new: dict[str, dict[str, Any]],
        rows_out: list[int],
        rows_in: list[Placed],
    ) -> ActivityLog:
        """A log holding the records of ``after`` (ids in order; ``new`` holds those not
        as they are here) and these interactions, less ``rows_out``, plus ``rows_in``."""
        log = ActivityLog()
        log._organizations = {
            key: new["organization"].get(key) or self._organizations[key]
            for key in after["organization"]
        }
        log._event_ids = after["event"]
        log._event_index = {key: i for i, key in enumerate(log._event_ids)}
        log._events = {key: new["event"].get(key) or self._events[key] for key in log._event_ids}
        contacts = _Contacts()
        # Contacts not read yet stay unread: their decoders and makers come along.
        contacts._makers = self._contacts._makers.copy()
        contacts._complete = self._contacts._complete
        held, changed = self._contacts._items, new["contact"]
        contacts._items = {key: changed.get(key) or held[key] for key in after["contact"]}
        log._contacts = contacts
        log._contact_ids = after["contact"]
        log._contact_index = {key: i for i, key in enumerate(log._contact_ids)}
        log._last_at = array("q", (_NEVER,)) * len(log._contact_ids)
        # Each row's contact and event as codes of the new log.
        contact, event = self._contact[:], self._event[:]
        if log._contact_ids != self._contact_ids:
            codes = [log._contact_index.get(key, _NONE) for key in self._contact_ids]
            contact = array("i", map([*codes, _NONE].__getitem__, self._contact))
        if log._event_ids != self._event_ids:
            codes = [log._event_index.get(key, _NONE) for key in self._event_ids]
            event = array("i", map([*codes, _NONE].__getitem__, self._event))
        at = self._at[:]
        kind, channel, direction = self._kind[:], self._channel[:], self._direction[:]
        notes, ends = self._notes[:], self._notes_end[:]
        if rows_out:
            keep = [True] * len(at)
            for row in rows_out:
                keep[row] = False
            at, contact, event = _kept(at, keep), _kept(contact, keep), _kept(event, keep)
            kind = bytearray(itertools.compress(kind, keep))
            channel = bytearray(itertools.compress(channel, keep))
            direction = bytearray(itertools.compress(direction, keep))
            spans = list(itertools.compress(itertools.pairwise(itertools.chain((0,), ends)), keep))
            ends = array("q", itertools.accumulate(b - a for a, b in spans))
            notes = bytearray(b"".join([notes[a:b] for a, b in spans if a != b]))
        if rows_in:
            places = [p.position for p in rows_in]
            interactions = [cast(Interaction, p.record) for p in rows_in]
            contacts_index, events_index = log._lookups()
            at = _spliced(at, places, [to_micros(i.at) for i in interactions])
            contact = _spliced(contact, places, [contacts_index[i.contact] for i in interactions])
            event = _spliced(event, places, [events_index[i.event] for i in interactions])
            kind = _spliced(kind, places, [_KIND_CODE[i.kind] for i in interactions])
            channel = _spliced(channel, places, [_CHANNEL_CODE[i.channel] for i in interactions])
            direction = _spliced(
                direction, places, [_DIRECTION_CODE[i.direction] for i in interactions]
            )
            texts = [i.notes.encode("utf-8", "surrogatepass") for i in interactions]
            notes, ends = _spliced_notes(notes, ends, places, texts)
        log._at, log._contact, log._event = at, contact, event
        log._kind, log._channel, log._direction = kind, channel, direction
        log._notes, log._notes_end = notes, ends
        # Versions keep growing, so a Reviewer of this log sees a change, never an old
        # version again.
        log._version = self._version
        if self._appended is not None:
            log._appended = collections.deque(maxlen=_JOURNAL_SIZE)
        log._index_rows()
        return log

    # -- reading -----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._at)

    def contact(self, contact_id: str) -> Contact:
        try:
            return self._contacts[contact_id]
        except KeyError:
            raise NotFoundError(
                "contact", contact_id, "add it with log.add(Contact(...))"
            ) from None

    def organization(self, organization_id: str) -> Organization:
        try:
            return self._organizations[organization_id]
        except KeyError:
            raise NotFoundError("organization", organization_id) from None

    def event(self, event_id: str) -> Event:
        try:
            return self._events[event_id]
        except KeyError:
            raise NotFoundError("event", event_id) from None

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """Every contact, in the order they were added."""
        return tuple(self._contacts.all())

    def organizations_by_id(self) -> Mapping[str, Organization]:
        """Organizations keyed by id (a read-only view)."""
        return MappingProxyType(self._organizations)

    @property
    def organizations(self) -> tuple[Organization, ...]:
        return tuple(self._organizations.values())

    def events(
        self,
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        attended: bool | None = None,
    ) -> tuple[Event, ...]:
        """Events on days in ``[start, end)`` (either may be open), by day then id."""
        lo = dt.date.min if start is None else start
        hi = dt.date.max if end is None else end
        check_range(lo, hi, "events")
        ordered, days = self.derived(("netplan:events-by-day",), self._events_by_day)
        first = bisect.bisect_left(days, lo)
        last = len(days) if end is None else bisect.bisect_left(days, hi, first)
        chosen = ordered[first:last]
        if attended is None:
            return chosen
        return tuple(e for e in chosen if e.attended == attended)

    def _events_by_day(self) -> tuple[tuple[Event, ...], list[dt.date]]:
        ordered = tuple(sorted(self._events.values(), key=lambda e: (e.on, e.id)))
        return ordered, [e.on for e in ordered]

    def last_interaction(self, contact_id: str) -> dt.datetime | None:
        """When the person last interacted with this contact, of any kind (None: never)."""
        self.contact(contact_id)
        code = self._contact_index[contact_id]
        if self._by_contact is None:
            # A log just loaded: the time index answers without the per-contact one.
            at = self._index().last_at.get(code, _NEVER)
        else:
            at = self._last_at[code]
        return None if at == _NEVER else from_micros(at)

    def first_interactions(self) -> dict[str, dt.datetime]:
        """When the person first interacted with each contact they have interacted with."""
        ids = self._contact_ids
        return {ids[c]: from_micros(at) for c, at in self._index().first_at.items()}

    def first_seen(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        segment: Segment | None = None,
    ) -> tuple[str, ...]:
        """The contacts first interacted with in ``[start, end)``, in the order they were
        first met (``segment`` keeps those in it). O(log n + k)."""
        ids = self._contact_ids
        return tuple(ids[c] for c in self._first_seen(start, end, segment))

    def count_first_seen(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        segment: Segment | None = None,
    ) -> int:
        """How many contacts :meth:`first_seen` would return; O(log n) without a segment."""
        if segment is None:
            first, last = self._index().first_span(*self._bounds(start, end))
            return last - first
        return sum(1 for _ in self._first_seen(start, end, segment))

    def _first_seen(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        segment: Segment | None,
    ) -> Iterator[int]:
        index = self._index()
        first, last = index.first_span(*self._bounds(start, end))
        mask = 2**32 - 1
        contacts = (key & mask for key in index.first_keys[first:last])
        members = self._segment_members(segment)
        return contacts if members is None else filter(members.__contains__, contacts)

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, remembered under ``key`` until a contact, organization or event
        changes: for values computed from the log's records but not its interactions
        (which contacts a plan's keep-in-touch rules cover, say), so that reviewing again
        after logging an interaction does not recompute them. ``key`` should name its
        owner (``("my-plugin:mentees", ...)``); the value should be immutable."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]  # type: ignore[no-any-return]

    def not_heard_from(
        self, contact_ids: Iterable[str], since: dt.datetime, *, limit: int | None = None
    ) -> tuple[tuple[str, dt.datetime], ...]:
        """Those of ``contact_ids`` last interacted with before ``since`` (someone never
        interacted with is left out), with that last instant, the longest silent first;
        the first ``limit`` only, if given. C-level passes over the ids, so asking about
        30,000 contacts is cheap."""
        codes, lasts, quiet = self._quiet(contact_ids, since)
        chosen = itertools.compress(zip(lasts, codes, strict=True), quiet)
        ordered = sorted(chosen) if limit is None else heapq.nsmallest(limit, chosen)
        ids = self._contact_ids
        return tuple((ids[code], from_micros(at)) for at, code in ordered)

    def quiet_days(
        self, contact_ids: Iterable[str], since: dt.datetime, zone: Zone
    ) -> tuple[tuple[str, dt.date], ...]:
        """:meth:`not_heard_from` in local days: those of ``contact_ids`` last interacted
        with before ``since``, each with the local day (in ``zone``) of that interaction,
        in the order of ``contact_ids``. In bulk, with no datetime per contact: what a
        cadence counting days since needs for 30,000 contacts."""
        codes, lasts, quiet = self._quiet(contact_ids, since)
        chosen = list(itertools.compress(codes, quiet))
        days = zone.days(list(itertools.compress(lasts, quiet)))
        ids = self._contact_ids
        return tuple(zip(map(ids.__getitem__, chosen), map(dt.date.fromordinal, days), strict=True))

    def count_not_heard_from(
        self, contact_ids: Iterable[str], *since: dt.datetime
    ) -> tuple[int, ...]:
        """For each instant of ``since``, how many contacts :meth:`not_heard_from` would
        return: one pass over the ids for all of them."""
        codes = self._codes(contact_ids)
        last_at = self._index().last_at
        counts = []
        for when in since:
            bound = _bound(when, "not_heard_from.since", _NEVER)
            lasts = map(last_at.get, codes, itertools.repeat(bound))
            counts.append(sum(map(bound.__gt__, lasts)))
        return tuple(counts)

    def _codes(self, contact_ids: Iterable[str]) -> list[int]:
        try:
            return list(map(self._contact_index.__getitem__, contact_ids))
        except KeyError as error:
            raise NotFoundError("contact", error.args[0]) from None

    def _quiet(
        self, contact_ids: Iterable[str], since: dt.datetime
    ) -> tuple[list[int], list[int], list[bool]]:
        bound = _bound(since, "not_heard_from.since", _NEVER)
        codes = self._codes(contact_ids)
        # Someone never interacted with gets ``bound`` as their last instant: not before it.
        lasts = list(map(self._index().last_at.get, codes, itertools.repeat(bound)))
        return codes, lasts, list(map(bound.__gt__, lasts))

    def unanswered(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        *,
        kind: InteractionKind | str | Iterable[InteractionKind | str],
        answer: InteractionKind | str | Iterable[InteractionKind | str],
        contacts: Collection[str] | None = None,
    ) -> tuple[tuple[str, dt.datetime], ...]:
        """Each contact's latest interaction of ``kind`` in ``[start, end)`` that no later
        interaction of ``answer`` kinds followed (at any time), oldest first: the people
        met and not followed up. O(log n + k) over the k rows from ``start`` on; with
        ``contacts``, only theirs are read (a reviewer asking about a few people)."""
        codes, instants = self._unanswered(start, end, kind, answer, contacts)
        ids = self._contact_ids
        return tuple(zip(map(ids.__getitem__, codes), map(from_micros, instants), strict=True))

    def unanswered_days(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        *,
        kind: InteractionKind | str | Iterable[InteractionKind | str],
        answer: InteractionKind | str | Iterable[InteractionKind | str],
        zone: Zone,
        contacts: Collection[str] | None = None,
    ) -> tuple[tuple[str, dt.datetime, dt.date], ...]:
        """:meth:`unanswered`, each with the local day (in ``zone``) of the interaction
        unanswered, found for all of them at once."""
        codes, instants = self._unanswered(start, end, kind, answer, contacts)
        ids = self._contact_ids
        return tuple(
            zip(
                map(ids.__getitem__, codes),
                map(from_micros, instants),
                map(dt.date.fromordinal, zone.days(instants)),
                strict=True,
            )
        )

    def _unanswered(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        kind: InteractionKind | str | Iterable[InteractionKind | str],
        answer: InteractionKind | str | Iterable[InteractionKind | str],
        contacts: Collection[str] | None,
    ) -> tuple[list[int], list[int]]:
        index = self._index()
        lo, hi = self._bounds(start, end)
        first, last = index.span(lo, hi)
        kinds, answers = self._kind_codes(kind), self._kind_codes(answer)
        if contacts is None:
            met = self._latest(index, first, last, kinds)
            answered = self._latest(index, first, len(index.at), answers)
        else:
            met, answered = {}, {}
            rows = self._contact_rows()
            for contact_id in contacts:
                code = self._contact_index.get(contact_id)
                if code is None:
                    raise NotFoundError("contact", contact_id)
                for row in rows.get(code, ()):
                    at, row_kind = self._at[row], self._kind[row]
                    if _of_kind(kinds, row_kind) and lo <= at < hi and at > met.get(code, _NEVER):
                        met[code] = at
                    if _of_kind(answers, row_kind) and at > answered.get(code, _NEVER):
                        answered[code] = at
        owed = sorted((at, code) for code, at in met.items() if answered.get(code, _NEVER) <= at)
        return [code for _, code in owed], [at for at, _ in owed]

    @staticmethod
    def _latest(
        index: _TimeIndex, first: int, last: int, kinds: frozenset[int] | None
    ) -> dict[int, int]:
        contacts: Iterable[int] = index.contact[first:last]
        instants: Iterable[int] = index.at[first:last]
        if kinds is not None:
            window = index.kind[first:last]
            contacts = itertools.compress(contacts, map(kinds.__contains__, window))
            instants = itertools.compress(instants, map(kinds.__contains__, window))
        # In time order, so the last write for each contact is its latest.
        latest = dict(zip(contacts, instants, strict=True))
        latest.pop(_NONE, None)
        return latest

    @property
    def version(self) -> int:
        """A number that grows with every change to the log (see :meth:`appended_since`)."""
        if self._appended is None:
            self._appended = collections.deque(maxlen=_JOURNAL_SIZE)
            self._appended_since = self._version
        return self._version

    def appended_since(self, version: int) -> tuple[tuple[dt.datetime, str | None], ...] | None:
        """When, and with whom, each interaction appended since ``version`` happened, if
        that is all that changed; None when a contact, organization or event changed
        since, or the version is too old to tell (the last 4,096 appends are remembered,
        from the first time :attr:`version` was read).

        What lets a review be redone incrementally: only measures of windows ending after
        the earliest of these instants, and findings about these contacts, can change.
        """
        if version == self._version:
            return ()
        appended = self._version - version
        if (
            self._appended is None
            or version < self._appended_since
            or appended > len(self._appended)
        ):
            return None
        ids = self._contact_ids
        recent = itertools.islice(self._appended, len(self._appended) - appended, None)
        return tuple(
            (from_micros(at), None if contact == _NONE else ids[contact]) for at, contact in recent
        )

    def _index(self) -> _TimeIndex:
        if self._time_index is None:
            self._time_index = _TimeIndex(self)
        return self._time_index

    def interactions(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        contact: str | None = None,
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None = None,
        segment: Segment | None = None,
    ) -> tuple[Interaction, ...]:
        """Interactions at instants in ``[start, end)``, in time order.

        ``start`` and ``end`` are aware datetimes, or dates read as midnight UTC; either
        may be left open. ``kind`` takes one kind or several; ``segment`` keeps the
        interactions with contacts in it.
        """
        return tuple(self._materialize(r) for r in self._select(start, end, contact, kind, segment))

    def count(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        contact: str | None = None,
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None = None,
        segment: Segment | None = None,
    ) -> int:
        """How many interactions :meth:`interactions` would return, without building them.

        A plain time window is counted in O(log n), by position alone.
        """
        if contact is None and kind is None and segment is None:
            lo, hi = self._bounds(start, end)
            return self._window_size(lo, hi)
        if contact is None:
            # The time index counts a kind in C (bytearray.count) and a segment by set
            # lookups over one slice, with no Python step per row.
            kinds = self._kind_codes(kind)
            members = self._segment_members(segment)
            index = self._index()
            first, last = index.span(*self._bounds(start, end))
            if members is None:
                assert kinds is not None
                return sum(index.kind.count(k, first, last) for k in kinds)
            if kinds is None:
                return sum(map(members.__contains__, index.contact[first:last]))
            lo, hi = self._bounds(start, end)
            total = 0
            for code in kinds:
                instants, contacts = index.of_kind(code)
                a = bisect.bisect_left(instants, lo)
                b = bisect.bisect_left(instants, hi, a)
                total += sum(map(members.__contains__, contacts[a:b]))
            return total
        return sum(1 for _ in self._select(start, end, contact, kind, segment))

    def has(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None = None,
        segment: Segment | None = None,
    ) -> bool:
        """Whether :meth:`interactions` would return anything: stops at the first match,
        latest first, so "did I reach out to anyone in climate this month?" is quick."""
        if segment is None:
            return self.count(start, end, kind=kind) > 0
        members = self._segment_members(segment)
        assert members is not None
        index = self._index()
        lo, hi = self._bounds(start, end)
        kinds = self._kind_codes(kind)
        if kinds is None:
            first, last = index.span(lo, hi)
            return any(map(members.__contains__, reversed(index.contact[first:last])))
        for code in kinds:
            instants, contacts = index.of_kind(code)
            a = bisect.bisect_left(instants, lo)
            b = bisect.bisect_left(instants, hi, a)
            if any(map(members.__contains__, reversed(contacts[a:b]))):
                return True
        return False

    def _select(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        contact: str | None,
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None,
        segment: Segment | None,
    ) -> Iterator[int]:
        lo, hi = self._bounds(start, end)
        kinds = self._kind_codes(kind)
        if contact is not None:
            self.contact(contact)
            index = self._contact_index[contact]
            at = self._at
            rows: Iterable[int] = sorted(
                (r for r in self._contact_rows().get(index, ()) if lo <= at[r] < hi),
                key=lambda r: (at[r], r),
            )
        else:
            rows = self._window(lo, hi)
        members = self._segment_members(segment)
        for row in rows:
            if kinds is not None and self._kind[row] not in kinds:
                continue
            if members is not None and self._contact[row] not in members:
                continue
            yield row

    @staticmethod
    def _bounds(
        start: dt.datetime | dt.date | None, end: dt.datetime | dt.date | None
    ) -> tuple[int, int]:
        lo = _bound(start, "interactions.start", _NEVER)
        hi = _bound(end, "interactions.end", 2**63 - 1)
        if hi < lo:
            raise ValidationError("interactions.end", end, f"must not be before the start {start}")
        return lo, hi

    def _main_range(self, lo: int, hi: int) -> tuple[int, int]:
        """Positions ``[first, last)`` of the main time order that fall in ``[lo, hi)``."""
        if self._order is None:
            first = bisect.bisect_left(self._at, lo, 0, self._main)
            return first, bisect.bisect_left(self._at, hi, first, self._main)
        key = self._at.__getitem__
        first = bisect.bisect_left(self._order, lo, key=key)
        return first, bisect.bisect_left(self._order, hi, first, key=key)

    def _late_range(self, lo: int, hi: int) -> tuple[int, int]:
        first = bisect.bisect_left(self._late, (lo, -1))
        return first, bisect.bisect_left(self._late, (hi, -1), first)

    def _window_size(self, lo: int, hi: int) -> int:
        first, last = self._main_range(lo, hi)
        late_first, late_last = self._late_range(lo, hi)
        return last - first + late_last - late_first

    def _window(self, lo: int, hi: int) -> Iterator[int]:
        at = self._at
        first, last = self._main_range(lo, hi)
        main: Iterable[int] = range(first, last) if self._order is None else self._order[first:last]
        if not self._late:
            return iter(main)
        a, b = self._late_range(lo, hi)
        late = (row for _, row in self._late[a:b])
        return heapq.merge(main, late, key=lambda r: (at[r], r))

    @staticmethod
    def _kind_codes(
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None,
    ) -> frozenset[int] | None:
        if kind is None:
            return None
        kinds = (kind,) if isinstance(kind, (str, InteractionKind)) else tuple(kind)
        try:
            return frozenset(_KIND_CODE[InteractionKind(k)] for k in kinds)
        except ValidationError as error:
            raise ValidationError("interactions.kind", error.value, error.rule) from None

    def _segment_members(self, segment: Segment | None) -> frozenset[int] | None:
        if segment is None:
            return None
        members = self._members.get(segment)
        if members is None:
            # Kept until a contact or an organization changes: a review asks for the
            # same few segments over and over.
            organizations = self._organizations
            # Contacts are kept in the order of their codes: a contact's code is its place.
            members = self._members[segment] = frozenset(
                code
                for code, c in enumerate(self._contacts.all())
                if segment.matches(c, organizations.get(c.organization or ""))
            )
        return members

    def _materialize(self, row: int) -> Interaction:
        contact = self._contact[row]
        event = self._event[row]
        start = self._notes_end[row - 1] if row else 0
        # The row was validated on the way in; building it through __init__ would run
        # every validator again, which costs more than the rest of the query.
        interaction = object.__new__(Interaction)
        for name, value in (
            ("kind", _KINDS[self._kind[row]]),
            ("at", from_micros(self._at[row])),
            ("contact", None if contact == _NONE else self._contact_ids[contact]),
            ("channel", _CHANNELS[self._channel[row]]),
            ("direction", _DIRECTIONS[self._direction[row]]),
            ("event", None if event == _NONE else self._event_ids[event]),
            ("notes", self._notes[start : self._notes_end[row]].decode("utf-8", "surrogatepass")),
        ):
            object.__setattr__(interaction, name, value)
        return interaction

    def __iter__(self) -> Iterator[Interaction]:
        """Every interaction in the order it was added."""
        return (self._materialize(row) for row in range(len(self._at)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ActivityLog):
            return NotImplemented
        # Records compare by id; interactions by position, since a row's number is its
        # identity in the log.
        return (
            self._contacts == other._contacts
            and self._organizations == other._organizations
            and self._events == other._events
            and len(self) == len(other)
            and all(a == b for a, b in zip(self, other, strict=True))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        span = ""
        if len(self):
            first = min(self._at)
            last = max(self._at)
            span = f", {from_micros(first).date()}..{from_micros(last).date()}"
        return (
            f"ActivityLog({len(self._contacts)} contacts, {len(self._organizations)} organizations, "
            f"{len(self._events)} events, {len(self)} interactions{span})"
        )

    def to_dataframe(self, zone: Zone | str | None = None) -> Any:
        """A pandas DataFrame with one row per interaction, in time order, its instants in
        UTC or in ``zone`` (the plan's: ``plan.zone``) (needs pandas: the ``pandas``
        extra). See :func:`netplan.notebook.frames.log_frame`."""
        return display.frame(self, zone)
