"""The records of an activity log (contacts, organizations, events) and the rules between
them: what each refers to, checked before anything is added.

A contact's code, which the interaction columns hold, is its place among the log's
contacts in the order added (:attr:`Contacts.ids`).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, MutableMapping, Sequence
from typing import Any, cast

from netplan.core._validation import unused_id
from netplan.core.batch import NewContacts, Record
from netplan.core.errors import ValidationError
from netplan.core.network import Contact, Event, Interaction, Organization

__all__ = ["KIND", "REFERENCES", "Contacts", "article", "check_records", "kind_of"]

# What each record refers to, as (field, kind of record), checked before anything is added.
REFERENCES: dict[type, tuple[tuple[str, str], ...]] = {
    Interaction: (("contact", "contact"), ("event", "event")),
    Contact: (("organization", "organization"), ("introduced_by", "contact")),
    Event: (("organizer", "organization"),),
    Organization: (),
}
KIND: dict[type, str] = {Contact: "contact", Organization: "organization", Event: "event"}


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def kind_of(record: Record) -> str:
    """``"contact"``, ``"organization"``, ``"event"`` or ``"interaction"``."""
    return "interaction" if isinstance(record, Interaction) else KIND[type(record)]


def check_records(
    records: Iterable[Record],
    known: Callable[[str, str], bool],
    *,
    replacing: bool = False,
    any_order: bool = False,
) -> None:
    """Refuse records that refer to missing ones or reuse an id, before anything changes:
    the log's checks of references, for a store that adds records without loading the
    log (:meth:`ActivityLog.add <netplan.ActivityLog.add>` makes them on a loaded log).

    ``known(kind, id)`` says whether a ``"contact"``, ``"organization"`` or ``"event"``
    with that id is already stored; records earlier in ``records`` count too, and with
    ``any_order`` later ones as well (a whole stored log, in which an update or a merge
    may have made a contact name one added after it). With ``replacing``, the records
    replace stored ones of their ids (``update``), so an id the log has is no error.
    netplan's database stores call this with their own lookup, so every backend enforces
    the log's rules alike.

    >>> from netplan import Contact, Interaction, UTC
    >>> import datetime as dt
    >>> stored = {("contact", "lena-berg")}
    >>> known = lambda kind, key: (kind, key) in stored
    >>> met = dt.datetime(2026, 11, 3, tzinfo=UTC)
    >>> check_records([Contact("Omar Haddad"), Interaction("met", met, contact="omar-haddad")], known)
    >>> check_records([Interaction("met", met, contact="ana-silva")], known)
    Traceback (most recent call last):
    netplan.core.errors.ValidationError: add[0].Interaction.contact: 'ana-silva' is not allowed: must name a contact of the log; ...

    Raises:
        ValidationError: a record is not a Contact, Organization, Event or Interaction,
            refers to a record neither known nor among ``records``, or (unless
            ``replacing``) reuses an id already known or given earlier; its field names
            the record's place (``add[1].Interaction.contact``).
    """
    batch: dict[str, set[str]] = {kind: set() for kind in ("contact", "organization", "event")}

    def exists(kind: str, key: str) -> bool:
        return key in batch[kind] or known(kind, key)

    named = exists
    if any_order:
        records = list(records)
        everything: dict[str, set[str]] = {kind: set() for kind in batch}
        for record in records:
            kind_of_record = KIND.get(type(record))
            if kind_of_record is not None:
                everything[kind_of_record].add(record.id)  # type: ignore[union-attr]

        def named(kind: str, key: str) -> bool:
            return key in everything[kind] or known(kind, key)

    for i, record in enumerate(records):
        where = "update" if replacing else f"add[{i}]"
        references = REFERENCES.get(type(record))
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
                    f"must name {article(kind)} {kind} of the log; "
                    f"add the {kind.title()} first (or earlier in the same call)",
                )
        if isinstance(record, Interaction):
            continue  # interactions have no id: their row is their identity
        kind, record_id = KIND[type(record)], record.id
        if not replacing and exists(kind, record_id):
            another = ""
            if kind == "contact":
                free = unused_id(record_id, functools.partial(exists, "contact"))
                another = f"pass id={free!r} to add another person, or "
            raise ValidationError(
                f"{where}.{name}.id",
                record_id,
                f"already names {article(kind)} {kind}; {another}use update() to change it",
            )
        batch[kind].add(record_id)


class Contacts(MutableMapping[str, Contact]):
    """Contacts by id, in the order added, with each one's code (:attr:`index`, its place
    in :attr:`ids`).

    A contact added in a :class:`~netplan.core.batch.NewContacts` that makes its
    contacts from a file's rows, or a store's (decoding them), is held as its place among
    such contacts and made the first time it is read: loading or importing 100,000
    people builds no object per person until something reads them.
    """

    __slots__ = ("_complete", "_items", "_sources", "_starts", "_unread", "ids", "index")

    def __init__(self) -> None:
        self._items: dict[str, Contact | int] = {}
        self._sources: list[NewContacts] = []
        self._starts: list[int] = []  # where each source's places begin
        self._complete = True  # every item is a Contact
        # The code of each contact held as a place, by place, and the codes of the
        # others (given as values, or replaced): worked out when first needed, and kept
        # until a contact is added or replaced (making one changes neither).
        self._unread: tuple[dict[int, int] | None, list[int]] | None = None
        self.ids: list[str] = []
        self.index: dict[str, int] = {}

    def __getitem__(self, key: str) -> Contact:
        item = self._items[key]
        if type(item) is int:
            item = self._items[key] = self._made(item)
        return item  # type: ignore[return-value]

    def _made(self, place: int) -> Contact:
        k = bisect.bisect_right(self._starts, place) - 1
        return self._sources[k][place - self._starts[k]]

    def __setitem__(self, key: str, contact: Contact) -> None:
        """Replace the contact ``key`` (which the log has) or add one."""
        if key not in self.index:
            self.index[key] = len(self.ids)
            self.ids.append(key)
        self._items[key] = contact
        self._unread = None

    def add_new(self, contacts: NewContacts) -> None:
        """Add ``contacts``, all new and each given once (checked before): values as they
        are, rows as their places, made when read."""
        ids = contacts.ids
        start = len(self.ids)
        self._unread = None
        self.index.update(zip(ids, range(start, start + len(ids)), strict=True))
        self.ids.extend(ids)
        if contacts.maker is None:
            self._items.update(zip(ids, contacts.items, strict=True))
            return
        first = self._starts[-1] + len(self._sources[-1]) if self._sources else 0
        self._sources.append(contacts)
        self._starts.append(first)
        if not self._items and start == first == 0:
            # A loaded log's first rows: each one's place is its code, so the index just
            # made is the map of places too, copied in C (not a second 100,000-entry
            # dict hashed again).
            self._items = self.index.copy()  # type: ignore[assignment]
        else:
            self._items.update(zip(ids, range(first, first + len(ids)), strict=True))
        self._complete = False

    def forget_since(self, count: int) -> None:
        """Undo :meth:`add_new` back to ``count`` contacts (a batch that failed half way)."""
        for key in self.ids[count:]:
            del self._items[key]
            del self.index[key]
        del self.ids[count:]
        self._unread = None

    def __delitem__(self, key: str) -> None:
        raise TypeError("contacts leave a log through a LogChange (ActivityLog.apply)")

    def __contains__(self, key: object) -> bool:
        # Membership never makes a contact: reference checks stay cheap.
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def all(self) -> list[Contact]:
        """Every contact, making the ones not read yet; faster than ``values()``."""
        items = self._items
        if not self._complete:
            for key, item in items.items():
                if type(item) is int:
                    items[key] = self._made(item)
            self._complete = True
            self._sources, self._starts = [], []  # every row is made: its source can go
        return list(items.values())  # type: ignore[arg-type]

    def fields(self, names: Sequence[str]) -> dict[str, list[Any]]:
        """Every contact's value of each of ``names``, field by field in the order of
        :attr:`ids`, without making the contacts not read yet (their sources read the
        fields from their rows): which of 100,000 stored people are in a segment."""
        items = self._items
        if self._complete:
            contacts = list(items.values())
            return {name: list(map(operator.attrgetter(name), contacts)) for name in names}
        out: dict[str, list[Any]] = {name: [] for name in names}
        # Each source's fields, for its places: a source reads them in one pass.
        read = [source.fields(names) for source in self._sources]
        starts = self._starts
        for item in items.values():
            if type(item) is int:
                k = bisect.bisect_right(starts, item) - 1
                place = item - starts[k]
                for name in names:
                    out[name].append(read[k][name][place])
            else:
                for name in names:
                    out[name].append(getattr(item, name))
        return out

    def having(
        self, values: Collection[str], names: Sequence[str]
    ) -> tuple[list[int], dict[str, list[Any]]]:
        """The codes of the contacts that may hold one of ``values`` as their tier,
        industry, organization, id or one of their tags, and their ``names`` fields: a
        contact not read yet whose source can search is passed over unless its source
        finds it (a store's 100,000 are searched in C, and only the few found are read).
        Every contact holding a value so is among those returned; a caller checks the
        fields."""
        if self._complete:
            return list(range(len(self.ids))), self.fields(names)
        starts = self._starts
        # Each source's places that may hold a value, and every contact given as a value.
        found = [source.search(values) for source in self._sources]
        read = [
            source.fields_of(places, names) if places else {}
            for source, places in zip(self._sources, found, strict=True)
        ]
        code_of, given = self._layout()
        chosen: dict[int, tuple[int, int] | None] = dict.fromkeys(given)
        for k, (start, places) in enumerate(zip(starts, found, strict=True)):
            for n, place in enumerate(places):
                code = start + place if code_of is None else code_of.get(start + place)
                if code is not None:
                    chosen.setdefault(code, (k, n))
        codes = sorted(chosen)
        out: dict[str, list[Any]] = {name: [] for name in names}
        columns = [out[name] for name in names]
        items, ids = self._items, self.ids
        for code in codes:
            where = chosen[code]
            if where is None:
                item = items[ids[code]]
                for name, column in zip(names, columns, strict=True):
                    column.append(getattr(item, name))
            else:
                k, n = where
                for name, column in zip(names, columns, strict=True):
                    column.append(read[k][name][n])
        return codes, out

    def _layout(self) -> tuple[dict[int, int] | None, list[int]]:
        """The code of each contact held as a place, by place (None when each one's code
        is its place: every contact of a loaded log, unread), and the codes of the
        contacts given as values: worked out in C, once until a contact is added or
        replaced."""
        if self._unread is None:
            items = list(self._items.values())
            if items == list(range(len(items))):
                self._unread = (None, [])
                return self._unread
            held = list(map(operator.is_, map(type, items), itertools.repeat(int)))
            codes = range(len(items))
            places = cast(Iterator[int], itertools.compress(items, held))
            self._unread = (
                dict(zip(places, itertools.compress(codes, held), strict=True)),
                list(itertools.compress(codes, map(operator.not_, held))),
            )
        return self._unread

    def copy(self) -> Contacts:
        return self.chosen(self.ids, {})

    def chosen(self, ids: list[str], changed: dict[str, Contact]) -> Contacts:
        """The contacts of ``ids``, in that order (each the value of ``changed`` if it
        has one): contacts not read yet stay unread."""
        clone = Contacts()
        held = self._items
        if not changed and ids is self.ids:
            clone._items = held.copy()
        else:
            clone._items = {key: changed.get(key) or held[key] for key in ids}
        clone._sources = self._sources[:]
        clone._starts = self._starts[:]
        clone._complete = self._complete
        clone.ids = ids[:] if ids is self.ids else ids
        clone.index = (
            self.index.copy() if ids is self.ids else {key: i for i, key in enumerate(ids)}
        )
        return clone
