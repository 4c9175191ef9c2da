"""A batch of additions to an activity log: what an import carries, checked once, from
the file it read to the store that keeps it.

A :class:`Batch` holds the new organizations and events as values, the new contacts as
:class:`NewContacts` (values, or rows of a file's columns made into contacts only when
read), and the new interactions as the log's :data:`Columns`: no object
per row on the way. :meth:`ActivityLog.add_batch <netplan.ActivityLog.add_batch>` adds it
to a log, and a store's ``add_batch`` (:func:`netplan.storage.add_batch`) writes it column
by column; a store without one is given the batch's records one by one, through ``add``.
"""

from __future__ import annotations

import bisect
import collections
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast, overload

import attrs
from attrs import field, frozen

from netplan.core._lazy import Made
from netplan.core._validation import EARLIEST_INSTANT, LATEST_INSTANT
from netplan.core.errors import ValidationError
from netplan.core.instants import from_micros, to_micros
from netplan.core.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Organization,
)

__all__ = [
    "CONTACT_FIELDS",
    "Batch",
    "Columns",
    "NewContacts",
    "Record",
    "Row",
    "check_batch",
    "interaction_columns",
    "interaction_of",
    "interaction_row",
]

Record = Contact | Organization | Event | Interaction
"""Anything :meth:`ActivityLog.add <netplan.ActivityLog.add>` accepts."""

Row = tuple[int, str | None, str, str, str, str | None, str]
"""An interaction as stores keep it: (microseconds since 1970-01-01 UTC, contact id or
None, kind, channel and direction values, event id or None, notes)."""

Columns = tuple[
    Sequence[int],
    Sequence[str | None],
    Sequence[str],
    Sequence[str],
    Sequence[str],
    Sequence[str | None],
    Sequence[str],
]
"""The interactions' :data:`Row` values column by column, each in the order added."""

CONTACT_FIELDS: tuple[str, ...] = tuple(a.name for a in attrs.fields(Contact))
"""The fields of a :class:`~netplan.Contact`, in the order it declares them."""
_DEFAULTS: dict[str, Any] = {
    a.name: a.default
    for a in attrs.fields(Contact)
    if a.name != "id" and a.default is not attrs.NOTHING
}
_MADE_DEFAULTS = {
    name: (default.factory() if isinstance(default, attrs.Factory) else default)  # type: ignore[arg-type]
    for name, default in _DEFAULTS.items()
}

RowFields = Callable[[Sequence[int], Collection[str]], Mapping[str, Sequence[Any]]]
"""Given rows of a file's columns and names of fields, the values the contacts made of
those rows have in those fields, field by field (a field left out has its default)."""
RowSearch = Callable[[Collection[str]], Iterable[int]]
"""Given values (a tag, a tier, an industry, an organization's id, a contact's id: what a
plan's segments and cadences pick contacts by), the rows whose contacts may hold one of
them in those fields: every row whose contact does, and maybe others (a store's search of
the texts it keeps for it)."""
RowContact = Callable[[int, str], Contact]
"""The contact a row of a file's columns is, with its id."""


class NewContacts(Sequence[Contact]):
    """New contacts, in the order they are added: each a :class:`~netplan.Contact`, or a
    row of a file's columns made into one when first read (a large import builds no
    object per person on its way to the store).

    :meth:`fields` gives every contact's values field by field, from the columns where
    they come from columns: what a store writes without making the contacts.
    """

    __slots__ = ("_contact", "_fields", "_items", "_known", "_made", "_search", "ids")

    def __init__(
        self,
        ids: Sequence[str],
        items: Sequence[Contact | int],
        contact: RowContact | None = None,
        fields: RowFields | None = None,
        search: RowSearch | None = None,
    ) -> None:
        if len(ids) != len(items):
            raise ValidationError(
                "NewContacts.ids", len(ids), f"must be one per item ({len(items)})"
            )
        self.ids = ids
        self._items = items
        self._contact = contact
        self._fields = fields
        self._known: dict[str, Sequence[Any]] | None = None
        self._search = search
        # Each contact made of a row, kept: the logs holding these contacts (a log and
        # its copies, as a store hands out) make each one once between them.
        self._made: dict[int, Contact] = {}

    @classmethod
    def of(cls, contacts: Iterable[Contact]) -> NewContacts:
        """The contacts given, as values."""
        values = tuple(contacts)
        return cls(tuple(c.id for c in values), values)

    @classmethod
    def joined(
        cls, parts: Sequence[NewContacts], final: Mapping[str, Contact] | None = None
    ) -> NewContacts:
        """The contacts of ``parts`` (each file's of one import), in order, as one: each
        part's rows made by its own maker, and a contact of ``final`` (by id: a later
        file's update of a contact an earlier one added) as that value instead."""
        final = final or {}
        if len(parts) == 1 and not final:
            return parts[0]
        ids: list[str] = []
        items: list[Contact | int] = []
        starts: list[int] = []  # where each part's rows begin among the joined rows
        start = 0
        for part in parts:
            starts.append(start)
            for key, item in zip(part.ids, part.items, strict=True):
                ids.append(key)
                items.append(
                    final.get(key) or (item if isinstance(item, Contact) else start + item)
                )
            start += 1 + max(
                (item for item in part.items if not isinstance(item, Contact)), default=-1
            )

        def part_of(row: int) -> int:
            return bisect.bisect_right(starts, row) - 1

        def contact(row: int, contact_id: str) -> Contact:
            k = part_of(row)
            maker = parts[k].maker
            if maker is None:
                raise ValidationError("NewContacts", row, "is a row, and no maker was given")
            return maker(row - starts[k], contact_id)

        def fields(rows: Sequence[int], names: Collection[str]) -> Mapping[str, Sequence[Any]]:
            out: dict[str, list[Any]] = {}
            for k, group in itertools.groupby(rows, part_of):
                local = [row - starts[k] for row in group]
                made = parts[k]._fields
                given = made(local, names) if made is not None else {}
                for name in names:
                    if name == "id":
                        continue
                    column = given.get(name)
                    out.setdefault(name, []).extend(
                        column if column is not None else [_MADE_DEFAULTS.get(name)] * len(local)
                    )
            return out

        return cls(ids, items, contact, fields)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Contact: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Contact]: ...
    def __getitem__(self, index: int | slice) -> Contact | Sequence[Contact]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if isinstance(item, Contact):
            return item
        made = self._made.get(index)
        if made is None:
            if self._contact is None:
                raise ValidationError(
                    "NewContacts", item, "is a row, and no maker of rows was given"
                )
            made = self._made[index] = self._contact(item, self.ids[index])
        return made

    def __iter__(self) -> Iterator[Contact]:
        return map(self.__getitem__, range(len(self)))

    @property
    def items(self) -> Sequence[Contact | int]:
        """Each contact, or the row of the file's columns it is made of."""
        return self._items

    @property
    def maker(self) -> RowContact | None:
        """How a row becomes a contact (None when every contact is a value)."""
        return self._contact

    def fields(self, names: Collection[str] | None = None) -> Mapping[str, Sequence[Any]]:
        """Every contact's value of each field of :data:`CONTACT_FIELDS` (or of those
        ``names``), field by field, as the contacts have them
        (``fields()["name"][i] == self[i].name``): all of them worked out once, for a store
        that writes them; a few, as a check needs them, without the rest."""
        if self._known is None and names is None:
            self._known = self._worked_out(CONTACT_FIELDS)
        if self._known is not None:
            return self._known if names is None else {name: self._known[name] for name in names}
        return self._worked_out(tuple(names or ()))

    def search(self, values: Collection[str]) -> list[int]:
        """The places of the contacts that may hold one of ``values`` as their tier,
        industry, organization, id or one of their tags, in order: every place, unless
        the contacts' source can search for them (a store searches the texts it keeps
        for it, in C, with nobody decoded)."""
        if self._search is None:
            return list(range(len(self)))
        return sorted(self._search(values))

    def fields_of(
        self, places: Sequence[int], names: Collection[str]
    ) -> Mapping[str, Sequence[Any]]:
        """:meth:`fields` of the contacts at ``places`` only (a few a search found)."""
        items = self._items
        chosen = [items[place] for place in places]
        if self._fields is not None and not any(isinstance(item, Contact) for item in chosen):
            return self._fields(chosen, names)  # type: ignore[arg-type]
        return {name: [getattr(self[place], name) for place in places] for name in names}

    def _worked_out(self, names: tuple[str, ...]) -> dict[str, Sequence[Any]]:
        items, count = self._items, len(self._items)
        rows: Sequence[int] = (
            items  # every contact a row, in order (a whole file's): nothing to pick out
            if isinstance(items, range)
            else [place for place, item in enumerate(items) if not isinstance(item, Contact)]
        )
        if rows and self._fields is None:
            return {name: [getattr(c, name) for c in self] for name in names}
        given = (
            self._fields(
                items if isinstance(items, range) else [items[place] for place in rows],  # type: ignore[misc]
                names,
            )
            if rows and self._fields
            else {}
        )
        if len(rows) == count:
            return {
                name: self.ids
                if name == "id"
                else given.get(name, [_MADE_DEFAULTS.get(name)] * count)
                for name in names
            }
        out: dict[str, list[Any]] = {
            name: [getattr(item, name) if isinstance(item, Contact) else None for item in items]
            for name in names
        }
        for name, column in out.items():
            source = self.ids if name == "id" else given.get(name)
            for k, place in enumerate(rows):
                if name == "id":
                    column[place] = self.ids[place]
                else:
                    column[place] = source[k] if source is not None else _MADE_DEFAULTS.get(name)
        return dict(out)

    def __repr__(self) -> str:
        return f"<NewContacts: {len(self)}>"


_NO_INTERACTIONS: Columns = ((), (), (), (), (), (), ())


def _records(records: Iterable[Organization | Event]) -> tuple[Organization | Event, ...]:
    return tuple(records)


@frozen(eq=False)
class Batch(Made[Record]):
    """Additions to one activity log, in the order they are added: ``records``
    (organizations and events), then ``contacts``, then ``interactions`` as the log's
    :data:`Columns` (instants in microseconds since 1970 UTC, contact
    ids, kind, channel and direction values, event ids, notes), in time order or not.

    It is a read-only sequence of every record as a value, in that order, each made when
    read: what a store without a way of its own to write a batch is given
    (:func:`netplan.storage.add_batch`), and equal to any sequence of the same records.
    """

    records: tuple[Organization | Event, ...] = field(default=(), converter=_records)
    contacts: NewContacts = field(factory=lambda: NewContacts((), ()))
    interactions: Columns = _NO_INTERACTIONS

    def __attrs_post_init__(self) -> None:
        for i, record in enumerate(self.records):
            if type(record) not in (Organization, Event):
                raise ValidationError(
                    f"Batch.records[{i}]", record, "must be an Organization or an Event"
                )
        if len(self.interactions) != 7 or len({len(c) for c in self.interactions}) > 1:
            raise ValidationError(
                "Batch.interactions", len(self.interactions), "must be 7 columns of one length"
            )

    @classmethod
    def of(cls, records: Iterable[Record]) -> Batch:
        """A batch of records given one by one: organizations and events first, then
        contacts, then interactions, each kind in the order given."""
        kept: list[Organization | Event] = []
        contacts: list[Contact] = []
        interactions: list[Interaction] = []
        for i, record in enumerate(records):
            if type(record) is Contact:
                contacts.append(record)
            elif type(record) is Interaction:
                interactions.append(record)
            elif isinstance(record, Organization | Event):
                kept.append(record)
            else:
                raise ValidationError(
                    f"add[{i}]", record, "must be a Contact, Organization, Event or Interaction"
                )
        return cls(tuple(kept), NewContacts.of(contacts), interaction_columns(interactions))

    @classmethod
    def joined(cls, batches: Sequence[Batch], final: Mapping[str, Contact] | None = None) -> Batch:
        """``batches`` (each file's of one import) as one, in order, a contact of
        ``final`` (by id) added as that value: still column by column."""
        if len(batches) == 1 and not final:
            return batches[0]
        interactions = tuple(
            list(itertools.chain.from_iterable(b.interactions[i] for b in batches))
            for i in range(7)
        )
        return cls(
            tuple(itertools.chain.from_iterable(b.records for b in batches)),
            NewContacts.joined([b.contacts for b in batches], final),
            interactions,  # type: ignore[arg-type]
        )

    def __len__(self) -> int:
        return len(self.records) + len(self.contacts) + len(self.interactions[0])

    def _item(self, index: int) -> Record:
        if index < len(self.records):
            return self.records[index]
        index -= len(self.records)
        if index < len(self.contacts):
            return self.contacts[index]
        row = index - len(self.contacts)
        at, contact, kind, channel, direction, event, notes = self.interactions
        return interaction_of(
            at[row], contact[row], kind[row], channel[row], direction[row], event[row], notes[row]
        )

    def __repr__(self) -> str:
        return (
            f"<Batch: {len(self.records)} organizations and events, {len(self.contacts)} "
            f"contacts, {len(self.interactions[0])} interactions>"
        )

    def __iter__(self) -> Iterator[Record]:
        yield from self.records
        yield from self.contacts
        yield from map(interaction_of, *self.interactions)

    def __bool__(self) -> bool:
        return len(self) > 0


def interaction_columns(interactions: Collection[Interaction]) -> Columns:
    """The :data:`Columns` of ``interactions``, in the order given."""
    if not interactions:
        return _NO_INTERACTIONS
    return (
        [to_micros(i.at) for i in interactions],
        [i.contact for i in interactions],
        [i.kind.value for i in interactions],
        [i.channel.value for i in interactions],
        [i.direction.value for i in interactions],
        [i.event for i in interactions],
        [i.notes for i in interactions],
    )


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


def interaction_of(
    at: int,
    contact: str | None,
    kind: str,
    channel: str,
    direction: str,
    event: str | None,
    notes: str,
) -> Interaction:
    """The interaction of one row of :data:`Columns`."""
    return Interaction(
        kind, from_micros(at), contact=contact, channel=channel, direction=direction,
        event=event, notes=notes,
    )  # fmt: skip


_VALUES = (
    ("kind", 2, frozenset(k.value for k in InteractionKind)),
    ("channel", 3, frozenset(c.value for c in Channel)),
    ("direction", 4, frozenset(d.value for d in Direction)),
)
_FIRST_HELD, _LAST_HELD = to_micros(EARLIEST_INSTANT), to_micros(LATEST_INSTANT)


def _check_columns(columns: Columns) -> None:
    """Refuse interaction columns the log cannot hold, by sets: a kind, channel or
    direction netplan has not, an instant outside the years netplan holds, notes that
    are not text."""
    at = columns[0]
    if not at:
        return
    if not all(type(value) is int for value in set(at)):
        raise ValidationError("add.Interaction.at", at, "must be whole microseconds since 1970")
    if min(at) < _FIRST_HELD or max(at) >= _LAST_HELD:
        raise ValidationError(
            "add.Interaction.at", min(at) if min(at) < _FIRST_HELD else max(at),
            "must fall in the years 2 to 9998 (UTC), in microseconds since 1970",
        )  # fmt: skip
    for name, place, allowed in _VALUES:
        wrong = set(columns[place]) - allowed
        if wrong:
            raise ValidationError(
                f"add.Interaction.{name}",
                min(map(repr, wrong)),
                f"must be one of {sorted(allowed)}",
            )
    if not all(type(text) is str for text in set(columns[6])):
        raise ValidationError("add.Interaction.notes", columns[6], "must be text")


def check_batch(batch: Batch, existing: Callable[[str, Collection[str]], Collection[str]]) -> None:
    """Refuse a batch whose ids are taken or whose references name nothing, before
    anything is written: what :func:`~netplan.core.log.check_records` checks of records
    one by one, by sets. ``existing(kind, ids)`` gives those of ``ids`` that a
    ``"contact"``, ``"organization"`` or ``"event"`` of the store already has."""
    new: dict[str, list[str]] = {
        "organization": [],
        "event": [],
        "contact": list(batch.contacts.ids),
    }
    for record in batch.records:
        new["organization" if type(record) is Organization else "event"].append(record.id)
    for kind, ids in new.items():
        fresh = set(ids)
        if len(fresh) != len(ids):
            twice = min(key for key, n in collections.Counter(ids).items() if n > 1)
            raise ValidationError(f"add.{kind}.id", twice, "is given twice in one batch")
        taken = sorted(existing(kind, fresh)) if fresh else []
        if taken:
            raise ValidationError(
                f"add.{kind}.id", taken[0],
                f"already names {'an' if kind[0] in 'aeiou' else 'a'} {kind}; "
                "use update() to change it",
            )  # fmt: skip
    _check_columns(batch.interactions)
    named = {kind: set(ids) for kind, ids in new.items()}

    def refer(kind: str, refs: Iterable[str | None], where: str) -> None:
        given: set[str | None] = set(refs)
        given.discard(None)
        wanted = cast(set[str], given) - named[kind]
        missing = wanted - set(existing(kind, wanted)) if wanted else set()
        if missing:
            raise ValidationError(
                where, min(missing),
                f"must name {'an' if kind[0] in 'aeiou' else 'a'} {kind} of the log; "
                f"add the {kind.title()} first (or earlier in the same call)",
            )  # fmt: skip

    refer(
        "organization",
        (e.organizer for e in batch.records if type(e) is Event),
        "add.Event.organizer",
    )
    fields = batch.contacts.fields(("organization", "introduced_by"))
    refer("organization", fields["organization"], "add.Contact.organization")
    refer("contact", fields["introduced_by"], "add.Contact.introduced_by")
    refer("contact", batch.interactions[1], "add.Interaction.contact")
    refer("event", batch.interactions[5], "add.Interaction.event")
