"""The activity log: who the person met, what they attended, whom they followed up.

:class:`ActivityLog` is the API; its work is split by job over the modules beside it:

* its records (contacts, organizations, events) and the rules between them:
  :mod:`netplan.core._records`;
* its interactions, kept in columns (typed arrays), not as a list of objects, so a log of
  a million interactions stays small (:class:`~netplan.core.network.Interaction` objects
  are made only for the rows a query returns): :mod:`netplan.core._columns`;
* its indexes (time order, each contact's rows, the time index reviews count with) and
  the journal incremental reviews read: :mod:`netplan.core._indexes`;
* loading: a whole :class:`~netplan.core.batch.Batch` at once (:meth:`ActivityLog.from_batch`,
  :meth:`ActivityLog.add_batch`), read column by column;
* corrections: :class:`~netplan.core.changes.LogChange`, made and applied here, with the
  merging of two contacts in :mod:`netplan.core._corrections`.

Costs, with ``n`` interactions and ``k`` returned:

* appending an interaction in time order (the usual case: logging what just happened) is
  O(1) amortized; a back-dated one goes to a small sorted side run, merged into the main
  order once it holds more than about ``sqrt(n)`` rows (O(sqrt n) amortized);
* a time-window query is O(log n + k);
* a contact's interactions are O(k), their last interaction O(1).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import gc
import heapq
import itertools
import operator
import warnings
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

from netplan.core import display
from netplan.core._columns import (
    CHANNEL_CODE,
    DIRECTION_CODE,
    KIND_CODE,
    NONE,
    InteractionColumns,
    bad_row,
    read_columns,
)
from netplan.core._corrections import count, describe, merged_contact, spliced_list
from netplan.core._indexes import LATEST, NEVER, ContactRows, Journal, TimeIndex, TimeOrder
from netplan.core._records import KIND, REFERENCES, Contacts, article, check_records, kind_of
from netplan.core.batch import (
    Batch,
    Columns,
    NewContacts,
    Record,
    Row,
    check_batch,
    interaction_columns,
    interaction_row,
)
from netplan.core.changes import LogChange, Placed, Replaced
from netplan.core.errors import ConflictError, NotFoundError, ValidationError
from netplan.core.instants import from_micros, to_micros
from netplan.core.network import (
    Contact,
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
    "paused_gc",
]

T = TypeVar("T")
_ALL_KINDS = ("organization", "contact", "event", "interaction")


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


_CONTACT_MASK = 2**32 - 1  # the contact code in a TimeIndex.first_keys entry
_KIND_SETS: dict[frozenset[object], frozenset[int]] = {}
_SEGMENT_FIELDS = ("tags", "organization", "industry")


def _in_segment(
    segment: Segment, fields: dict[str, list[Any]], organizations: Mapping[str, Organization]
) -> Iterator[bool]:
    """Whether each contact of ``fields`` (their tags, organization and industry) is in
    ``segment``, as :meth:`Segment.matches_values` says, by C-level passes over the
    fields: a Python call per contact, for each of a review's segments over 100,000
    people, cost more than the segment's counts."""
    conditions: list[Iterator[bool]] = []
    if segment.tag is not None:
        conditions.append(map(operator.contains, fields["tags"], itertools.repeat(segment.tag)))
    if segment.organization is not None:
        conditions.append(
            map(operator.eq, fields["organization"], itertools.repeat(segment.organization))
        )
    if segment.industry is not None:
        # Their own industry, or their organization's.
        in_industry = frozenset(
            o.id for o in organizations.values() if o.industry == segment.industry
        )
        conditions.append(
            map(
                operator.or_,
                map(operator.eq, fields["industry"], itertools.repeat(segment.industry)),
                map(in_industry.__contains__, fields["organization"]),
            )
        )
    return functools.reduce(lambda held, more: map(operator.and_, held, more), conditions)


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


def _lookup(column: Sequence[str | None], index: dict[str, int]) -> Mapping[str | None, int]:
    """Each id's code, and None's when ``column`` holds one (a row with no contact)."""
    if None not in column:
        return cast(Mapping[str | None, int], index)
    with_none: dict[str | None, int] = {None: NONE}
    with_none.update(index)
    return with_none


_RENAMED = (
    "ActivityLog.{} is deprecated and goes in netplan 0.4: use "
    "ActivityLog.from_batch(Batch(records, NewContacts(...), columns)) (netplan.core.batch)"
)


class ActivityLog:
    """Contacts, organizations, events and the interactions between the person and them.

    >>> log = ActivityLog()
    >>> log.add(Contact("Lena Berg", tags={"climate"}),
    ...         Interaction("met", dt.datetime(2026, 11, 3, 19, tzinfo=UTC), contact="lena-berg"))
    >>> len(log)
    1

    :meth:`add` takes any mix of records and is all or nothing: if one is invalid
    (an interaction naming an unknown contact, say), none is added. Records may refer to
    records earlier in the same call. :meth:`add_batch` adds an import's records column
    by column, all or nothing too.
    """

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._contacts = Contacts()
        self._organizations: dict[str, Organization] = {}
        self._events: dict[str, Event] = {}
        self._event_index: dict[str, int] = {}
        self._event_ids: list[str] = []
        # One entry per interaction, in insertion order: the row number is its position.
        self._columns = InteractionColumns()
        self._order = TimeOrder(self._columns.at)
        # Per contact: its rows, and its latest instant. Built on first use after a bulk
        # load (None until then), then kept up to date by every append.
        self._by_contact: ContactRows | None = ContactRows(self._columns, 0)
        # For reviews: the time index, and segments' members (both built on first use).
        self._time_index: TimeIndex | None = None
        # Whether the time index is shared with a copy (copy()): both read it, and the
        # first to append copies it first.
        self._index_shared = False
        self._members: dict[Segment, frozenset[int]] = {}
        self._journal = Journal()
        self._derived: dict[Hashable, Any] = {}
        # The last log before() gave: (this log's version, bound, that log, its version).
        self._earlier: tuple[int, int, ActivityLog, int] | None = None
        # Windows' first meetings, at one version of the log: a follow-up rate and its
        # latencies ask for the same window in one review.
        self._meetings: tuple[int, dict[Hashable, tuple[list[int], list[int], list[int]]]] = (
            -1,
            {},
        )
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
        self._journal.changed()
        # New ones, not cleared: a copy may share them (copy()).
        self._members = {}
        self._derived = {}

    def _apply(self, records: Iterable[Record]) -> None:
        changed = False
        for record in records:
            if isinstance(record, Interaction):
                self._append(record)
                continue
            changed = True
            if isinstance(record, Contact):
                if record.id not in self._contacts and self._by_contact is not None:
                    self._by_contact.grow(1)
                self._contacts[record.id] = record
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

    def add_batch(self, batch: Batch, *, trusted: bool = False) -> None:
        """Add a :class:`~netplan.core.batch.Batch` (an import's organizations, events,
        contacts and interactions, column by column), all or nothing: it is checked
        whole, by sets, before anything is added; its contacts are made when first read,
        and its interactions join the columns in one re-sort, not one by one.

        ``trusted`` says the batch was worked out against this log by netplan (the
        :class:`~netplan.core.importing.Changes` of :func:`~netplan.core.importing.plan_import`),
        so its ids and references are not checked again; a value the log cannot hold
        still raises."""
        if trusted:
            self._add_checked(batch)
            return
        tables: dict[str, dict[str, Any]] = {
            "contact": self._contacts.index,
            "organization": self._organizations,
            "event": self._events,
        }
        # Set intersections in C, over the smaller side: no step per id of a large batch.
        check_batch(batch, lambda kind, keys: set(keys) & tables[kind].keys())
        self._add_checked(batch)

    @classmethod
    def from_batch(cls, batch: Batch, *, trusted: bool = False) -> ActivityLog:
        """A log of one :class:`~netplan.core.batch.Batch`: how a store loads what it
        keeps, column by column, with no object per contact (a contact of
        ``batch.contacts`` made from a row is made when first read) or per interaction.

        ``trusted`` says the batch comes from a store that checked it when it was added,
        so its ids and references are not checked again; a value the log cannot hold
        still raises :class:`~netplan.core.errors.ValidationError` naming its row
        (``rows[3].kind``), as damaged data should.
        """
        log = cls()
        if not trusted:
            check_batch(batch, lambda kind, keys: ())
        log._add_checked(batch)
        return log

    def _add_checked(self, batch: Batch) -> None:
        """Add a batch whose ids and references are known to be sound, all or nothing."""
        with paused_gc():
            contacts = self._contacts
            count_before = len(contacts.ids)
            contacts.add_new(batch.contacts)
            interactions = batch.interactions
            more = None
            if interactions[0]:
                events = dict(self._event_index)
                for record in batch.records:
                    if type(record) is Event and record.id not in events:
                        events[record.id] = len(events)
                try:
                    more = read_columns(
                        interactions,
                        _lookup(interactions[1], contacts.index),
                        _lookup(interactions[5], events),
                    )
                except ValidationError:
                    contacts.forget_since(count_before)
                    raise
            if self._by_contact is not None:
                self._by_contact.grow(len(batch.contacts))
            self._apply(batch.records)
            self._records_changed()
            if more is not None:
                self._columns.extend(more)
                self._reindex()

    @classmethod
    def from_rows(
        cls,
        records: Iterable[Record],
        rows: Iterable[Row],
        *,
        trusted: bool = False,
        deferred_contacts: Iterable[tuple[str, Callable[[], Contact]]] = (),
    ) -> ActivityLog:
        """Deprecated: :meth:`from_batch` does this, column by column. A log of
        ``records``, then ``deferred_contacts`` (``(id, decode)`` pairs), then
        interactions as :data:`Row` tuples in the order they were added."""
        warnings.warn(_RENAMED.format("from_rows"), DeprecationWarning, stacklevel=2)
        rows = rows if isinstance(rows, (list, tuple)) else list(rows)
        try:
            columns = tuple(map(list, zip(*rows, strict=True))) if rows else ((),) * 7
        except (TypeError, ValueError):
            raise bad_row(rows, {}, {}) from None
        if len(columns) != 7:
            raise bad_row(rows, {}, {})
        return cls._from_records(records, cast(Columns, columns), trusted, deferred_contacts)

    @classmethod
    def from_columns(
        cls,
        records: Iterable[Record],
        columns: Columns,
        *,
        trusted: bool = False,
        deferred_contacts: Iterable[tuple[str, Callable[[], Contact]]] = (),
    ) -> ActivityLog:
        """Deprecated: :meth:`from_batch` does this. :meth:`from_rows` given the rows'
        :data:`Columns`."""
        warnings.warn(_RENAMED.format("from_columns"), DeprecationWarning, stacklevel=2)
        return cls._from_records(records, columns, trusted, deferred_contacts)

    @classmethod
    def _from_records(
        cls,
        records: Iterable[Record],
        columns: Columns,
        trusted: bool,
        deferred: Iterable[tuple[str, Callable[[], Contact]]],
    ) -> ActivityLog:
        records = list(records)
        if not trusted:
            check_records(records, lambda kind, key: False)
        log = cls()
        log._apply(r for r in records if not isinstance(r, Interaction))
        decoders = list(deferred)
        if decoders:

            def decode(row: int, contact_id: str) -> Contact:
                return decoders[row][1]()

            ids = [key for key, _ in decoders]
            log._add_checked(Batch(contacts=NewContacts(ids, range(len(ids)), decode)))
        appended = interaction_columns([r for r in records if isinstance(r, Interaction)])
        if appended[0]:
            columns = cast(
                Columns, tuple(list(a) + list(b) for a, b in zip(appended, columns, strict=True))
            )
        if len(columns) == 7 and len({len(c) for c in columns}) == 1:
            log._add_checked(Batch(interactions=columns))
            return log
        raise bad_row(list(itertools.zip_longest(*columns)), {}, {})  # type: ignore[arg-type]

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
        columns = self._columns
        row = len(columns.at)
        at = to_micros(interaction.at)
        contact = NONE if interaction.contact is None else self._contacts.index[interaction.contact]
        kind = KIND_CODE[interaction.kind]
        columns.append(
            at,
            contact,
            NONE if interaction.event is None else self._event_index[interaction.event],
            kind,
            CHANNEL_CODE[interaction.channel],
            DIRECTION_CODE[interaction.direction],
            interaction.notes.encode("utf-8", "surrogatepass"),
        )
        if self._time_index is not None:
            if self._index_shared:
                self._time_index = self._time_index.copy()
                self._index_shared = False
            self._time_index.add(at, contact, kind)
        self._journal.append(at, contact)
        if contact != NONE and self._by_contact is not None:
            self._by_contact.add(row, contact, at)
        self._order.append(columns.at, row)

    def _load(
        self, columns: InteractionColumns, *, version: int = 0, keeping: bool = False
    ) -> None:
        """Hold ``columns`` as the interactions (the records are in place): the time
        order is rebuilt, the other indexes wait for use. ``version`` and ``keeping``
        carry a journal over from the log this one replaces."""
        self._columns = columns
        self._journal = Journal(version, keeping=keeping)
        self._reindex()

    def _reindex(self) -> None:
        """Rebuild the time order from the columns; the other indexes wait for use."""
        self._order = TimeOrder(self._columns.at)
        self._by_contact = None
        self._time_index = None
        self._records_changed()

    def _rows_by_contact(self) -> ContactRows:
        """The per-contact index, built from the columns the first time it is needed."""
        if self._by_contact is None:
            self._by_contact = ContactRows(self._columns, len(self._contacts.ids))
        return self._by_contact

    def rows(self) -> Iterator[Row]:
        """Every interaction as a :data:`Row`, in the order added."""
        return self._columns.rows(self._contacts.ids, self._event_ids)

    def batch(self) -> Batch:
        """The whole log as one :class:`~netplan.core.batch.Batch` (organizations, events,
        contacts, then the interactions' columns in the order added): what
        :meth:`from_batch` makes an equal log of."""
        contacts = NewContacts(self._contacts.ids[:], self._contacts.all())
        return Batch(
            (*self._organizations.values(), *self._events.values()),
            contacts,
            self._columns.columns(self._contacts.ids, self._event_ids),
        )

    def indexed(self) -> ActivityLog:
        """This log, its time index built now rather than on a review's first use, so
        that the copies made of it from now on share it (:meth:`copy`): what a store
        that hands out copies of one log to many readers does first."""
        self._index()
        return self

    def copy(self) -> ActivityLog:
        """An independent copy: adding to one does not change the other. What a review
        builds to read the log fast is shared by the two until one of them changes."""
        clone = ActivityLog()
        clone._contacts = self._contacts.copy()
        clone._organizations = self._organizations.copy()
        clone._events = self._events.copy()
        clone._event_index = self._event_index.copy()
        clone._event_ids = self._event_ids[:]
        clone._columns = self._columns.copy()
        clone._order = self._order.copy()
        clone._by_contact = None if self._by_contact is None else self._by_contact.copy()
        # Shared until either appends (then that one copies it): a copy that is only
        # read, as a store's kept log hands out (stores._sql.KeptLogs), reviews with
        # the indexes and what was built from them (meetings, groups) at no cost.
        clone._time_index = self._time_index
        clone._index_shared = self._index_shared = self._time_index is not None
        clone._meetings = self._meetings
        # Worked out from the records alone, which the two share until one changes
        # them (and then starts afresh): shared, not copied.
        clone._members = self._members
        clone._journal = self._journal.copy()
        clone._derived = self._derived
        clone._earlier = self._earlier
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
        bound = _bound(instant, "before.instant", NEVER)
        if not self._columns.at or self._order.latest(self._columns.at) < bound:
            return self
        kept = self._earlier
        if (
            kept is not None
            and kept[0] == self._journal.version
            and kept[1] == bound
            and kept[2]._journal.version == kept[3]
        ):
            return kept[2]
        earlier = self._truncated(bound)
        self._earlier = (self._journal.version, bound, earlier, earlier._journal.version)
        return earlier

    def _truncated(self, bound: int) -> ActivityLog:
        """A log with the same records and only the interactions before ``bound``."""
        clone = ActivityLog()
        clone._contacts = self._contacts.copy()
        clone._organizations = self._organizations.copy()
        clone._events = self._events.copy()
        clone._event_index = self._event_index.copy()
        clone._event_ids = self._event_ids[:]
        clone._load(self._columns.kept(list(map(bound.__gt__, self._columns.at))))
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
            "contact": len(self._contacts.ids),
            "event": len(self._event_ids),
            "interaction": len(self._columns),
        }
        for record in records:
            kind = kind_of(record)
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
            kind = KIND[type(record)]
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
                if row not in chosen and self._interaction(row) == interaction
            ]
            if not rows:
                raise NotFoundError(
                    "interaction",
                    describe(interaction),
                    "it is not in the log, or is given more times than it was logged",
                )
            chosen.add(max(rows))
        gone = [self._interaction(row) for row in sorted(chosen)]
        what = f"the {describe(gone[0])}" if len(gone) == 1 else f"{len(gone)} interactions"
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
        code = self._contacts.index[contact_id]
        rows = sorted(self._rows_by_contact().rows.get(code, ()))
        introduced = [
            c for c in self._contacts.all() if c.introduced_by == contact_id and c.id != contact_id
        ]
        if (rows or introduced) and not with_interactions:
            parts = []
            if rows:
                latest = max(rows, key=lambda r: (self._columns.at[r], r))
                parts.append(
                    f"{count(len(rows), 'interaction')} (the latest: the "
                    f"{describe(self._interaction(latest))})"
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
            + (f" and their {count(len(rows), 'interaction')}" if rows else ""),
            removed=[Placed(code, contact), *(Placed(r, self._interaction(r)) for r in rows)],
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
        code = self._contacts.index[merged]
        removed: list[Placed] = [Placed(code, other)]
        added: list[Placed] = []
        for row in sorted(self._rows_by_contact().rows.get(code, ())):
            before = self._interaction(row)
            removed.append(Placed(row, before))
            added.append(Placed(row, attrs.evolve(before, contact=into)))
        replaced: list[Replaced] = []
        kept = merged_contact(keep, other, self._organizations)
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

        removed: dict[str, list[Placed]] = {kind: [] for kind in _ALL_KINDS}
        added: dict[str, list[Placed]] = {kind: [] for kind in _ALL_KINDS}
        for placed in change.removed:
            removed[kind_of(placed.record)].append(placed)
        for placed in change.added:
            added[kind_of(placed.record)].append(placed)
        tables: dict[str, Mapping[str, Any]] = {
            "organization": self._organizations,
            "contact": self._contacts,
            "event": self._events,
        }
        orders = {
            "organization": list(self._organizations),
            "contact": self._contacts.ids,
            "event": self._event_ids,
        }
        # The records after the change that are not as they were: replaced and added.
        new: dict[str, dict[str, Any]] = {kind: {} for kind in tables}
        for each in change.replaced:
            kind, key = KIND[type(each.before)], each.before.id
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
            spliced = spliced_list(
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
                raise conflict(f"the log has {article(kind)} {kind} {taken!r} already")
            after[kind] = spliced
        self._check_references(change, removed, added, after)
        rows_out = sorted(p.position for p in removed["interaction"])
        size = len(self)
        for placed in removed["interaction"]:
            if placed.position >= size or self._interaction(placed.position) != placed.record:
                raise conflict(
                    f"row {placed.position} is not the {describe(placed.record)}"  # type: ignore[arg-type]
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
        changed_records: list[Record] = [p.record for p in change.added]
        changed_records.extend(r.after for r in change.replaced)
        for record in changed_records:
            for name, kind in REFERENCES[type(record)]:
                ref = getattr(record, name)
                if ref is not None and ref not in present[kind]:
                    raise ValidationError(
                        f"apply.{type(record).__name__}.{name}",
                        ref,
                        f"must name {article(kind)} {kind} of the log after the change",
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
        columns = self._columns
        for kind, column, index in (
            ("contact", columns.contact, self._contacts.index),
            ("event", columns.event, self._event_index),
        ):
            for key in gone[kind]:
                code = index[key]
                left = column.count(code) - sum(1 for row in out if column[row] == code)
                if left:
                    raise still(kind, key, count(left, "interaction"))

    def _rebuilt(
        self,
        after: dict[str, list[str]],
        new: dict[str, dict[str, Any]],
        rows_out: list[int],
        rows_in: list[Placed],
    ) -> ActivityLog:
        """A log holding the records of ``after`` (ids in order; ``new`` holds those not
        as they are here) and this log's interactions less ``rows_out``, plus ``rows_in``."""
        rebuilt = ActivityLog()
        rebuilt._organizations = {
            key: new["organization"].get(key) or self._organizations[key]
            for key in after["organization"]
        }
        rebuilt._event_ids = after["event"]
        rebuilt._event_index = {key: i for i, key in enumerate(rebuilt._event_ids)}
        rebuilt._events = {
            key: new["event"].get(key) or self._events[key] for key in rebuilt._event_ids
        }
        # Contacts not read yet stay unread.
        rebuilt._contacts = self._contacts.chosen(after["contact"], new["contact"])
        columns = self._columns.copy()
        # Each row's contact and event as codes of the new self.
        contacts, events = rebuilt._contacts, rebuilt._event_index
        columns.recoded(
            None
            if contacts.ids == self._contacts.ids
            else [contacts.index.get(key, NONE) for key in self._contacts.ids],
            None
            if rebuilt._event_ids == self._event_ids
            else [events.get(key, NONE) for key in self._event_ids],
        )
        if rows_out:
            keep = [True] * len(columns)
            for row in rows_out:
                keep[row] = False
            columns = columns.kept(keep)
        if rows_in:
            more = InteractionColumns()
            for placed in rows_in:
                i = cast(Interaction, placed.record)
                more.append(
                    to_micros(i.at),
                    NONE if i.contact is None else contacts.index[i.contact],
                    NONE if i.event is None else events[i.event],
                    KIND_CODE[i.kind],
                    CHANNEL_CODE[i.channel],
                    DIRECTION_CODE[i.direction],
                    i.notes.encode("utf-8", "surrogatepass"),
                )
            columns = columns.spliced([p.position for p in rows_in], more)
        rebuilt._load(
            columns, version=self._journal.version, keeping=self._journal.appended is not None
        )
        return rebuilt

    # -- reading -----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._columns)

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
        # Attended or not, each kept apart: a re-review asks for a day's attended events.
        ordered, days = self.derived(
            ("netplan:events-by-day", attended), lambda: self._events_by_day(attended)
        )
        first = bisect.bisect_left(days, lo)
        last = len(days) if end is None else bisect.bisect_left(days, hi, first)
        return ordered[first:last]

    def _events_by_day(self, attended: bool | None) -> tuple[tuple[Event, ...], list[dt.date]]:
        chosen = (e for e in self._events.values() if attended in (None, e.attended))
        ordered = tuple(sorted(chosen, key=lambda e: (e.on, e.id)))
        return ordered, [e.on for e in ordered]

    def last_interaction(self, contact_id: str) -> dt.datetime | None:
        """When the person last interacted with this contact, of any kind (None: never)."""
        self.contact(contact_id)
        code = self._contacts.index[contact_id]
        if self._by_contact is None:
            # A log just loaded: the time index answers without the per-contact one.
            at = self._index().last_at.get(code, NEVER)
        else:
            at = self._by_contact.last_at[code]
        return None if at == NEVER else from_micros(at)

    def first_interaction(self, contact_id: str) -> dt.datetime | None:
        """When the person first interacted with this contact, of any kind (None: never)."""
        self.contact(contact_id)  # NotFoundError for someone not in the log
        return self._first_instant(contact_id)

    def _first_instant(self, contact_id: str) -> dt.datetime | None:
        """:meth:`first_interaction` of a contact of the log, without reading the contact
        (a stored one is not decoded): what a reviewer asks of everyone just logged."""
        code = self._contacts.index.get(contact_id)
        at = None if code is None else self._index().first_at.get(code)
        return None if at is None else from_micros(at)

    def _moments(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, str | None]]:
        """When, and with whom, each interaction in ``[start, end)`` happened, in time
        order, from the time index's columns: no interaction made (a reviewer moving to
        a day a month later asks for the month's)."""
        index = self._index()
        first, last = index.span(*self._bounds(start, end))
        ids = self._contacts.ids
        with_whom = [None if code == NONE else ids[code] for code in index.contact[first:last]]
        return list(zip(map(from_micros, index.at[first:last]), with_whom, strict=True))

    def first_interactions(self) -> dict[str, dt.datetime]:
        """When the person first interacted with each contact they have interacted with,
        in that order (the earliest first; people first met at the same instant in the
        order of the log's contacts)."""
        ids = self._contacts.ids
        # Keys are instant << 32 | contact: the low 32 bits are the contact's code.
        return {ids[key & 0xFFFFFFFF]: from_micros(key >> 32) for key in self._index().first_keys}

    def first_seen(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        segment: Segment | None = None,
    ) -> tuple[str, ...]:
        """The contacts first interacted with in ``[start, end)``, in the order they were
        first met (``segment`` keeps those in it). O(log n + k)."""
        ids = self._contacts.ids
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
        return self._first_seen_codes(*self._bounds(start, end), segment)

    def _first_seen_codes(self, lo: int, hi: int, segment: Segment | None) -> Iterator[int]:
        index = self._index()
        first, last = index.first_span(lo, hi)
        contacts = map(_CONTACT_MASK.__and__, index.first_keys[first:last])
        members = self._segment_members(segment)
        return contacts if members is None else filter(members.__contains__, contacts)

    def first_meetings(
        self,
        start: dt.datetime | dt.date | None = None,
        end: dt.datetime | dt.date | None = None,
        *,
        kind: InteractionKind | str | Iterable[InteractionKind | str],
        answer: InteractionKind | str | Iterable[InteractionKind | str],
        segment: Segment | None = None,
    ) -> tuple[tuple[str, dt.datetime, dt.datetime | None], ...]:
        """For each contact first interacted with in ``[start, end)`` (:meth:`first_seen`,
        in that order), their first interaction of ``kind`` (the meeting) and the first
        interaction of ``answer`` kinds after it (None: not answered yet); contacts never
        met so are left out. What a follow-up rate or latency is made of: O(k) for the k
        contacts first seen in the window, from indexes kept up to date by appends."""
        codes, met, answered = self._first_meetings(
            *self._bounds(start, end), self._kind_codes(kind), self._kind_codes(answer), segment
        )
        ids = self._contacts.ids
        return tuple(
            (ids[code], from_micros(at), None if reply == LATEST else from_micros(reply))
            for code, at, reply in zip(codes, met, answered, strict=True)
        )

    def _first_meetings(
        self,
        lo: int,
        hi: int,
        kinds: frozenset[int] | None,
        answers: frozenset[int] | None,
        segment: Segment | None,
    ) -> tuple[list[int], list[int], list[int]]:
        """:meth:`first_meetings` in codes and microseconds (:data:`LATEST`: no answer)."""
        assert kinds is not None
        assert answers is not None
        version, known = self._meetings
        if version != self._journal.version:
            appended = self._journal.appended_since(version) if known else None
            known = {} if appended is None else self._meetings_after(known, appended)
            self._meetings = (self._journal.version, known)
        key = (lo, hi, kinds, answers, segment)
        found = known.get(key)
        if found is None:
            found = known[key] = self._meetings_in(lo, hi, kinds, answers, segment)
        return found

    def _meetings_after(
        self,
        known: dict[Hashable, tuple[list[int], list[int], list[int]]],
        appended: Sequence[tuple[int, int]],
    ) -> dict[Hashable, tuple[list[int], list[int], list[int]]]:
        """``known`` (first meetings worked out before ``appended``, instants and contact
        codes of interactions just appended) as it reads now: a new dict (a copy of this
        log may still read the old one), where only the windows an appended contact's
        first interaction, meeting or answer moved in are worked out again.

        After a coffee with someone met months ago (a re-review's usual question), each
        window they were first seen in gets their new meeting and answer at their place;
        a window they joined or may have left is dropped, and worked out when asked."""
        index = self._index()
        instants: dict[int, list[int]] = {}
        for at, code in appended:
            if code != NONE:
                instants.setdefault(code, []).append(at)
        updated: dict[Hashable, tuple[list[int], list[int], list[int]]] = {}
        for key, found in known.items():
            lo, hi, kinds, answers, segment = cast(
                "tuple[int, int, frozenset[int], frozenset[int], Segment | None]", key
            )
            meetings = index.answered(kinds, answers)
            members = self._segment_members(segment)
            codes, met, answered = found
            places: dict[int, int] = {}
            for code, ats in instants.items():
                if members is not None and code not in members:
                    continue
                first = index.first_at[code]
                if first in ats:
                    # Seen first just now (or earlier than before): in this window now,
                    # or maybe in it until now (an earlier first was later).
                    if hi > first:
                        break
                    continue
                if not lo <= first < hi or code not in meetings.met:
                    continue  # first seen elsewhere, or never met: not one of codes
                try:
                    places[code] = codes.index(code)
                except ValueError:
                    break  # met for the first time just now: joins this window
            else:
                if places:
                    met, answered = met[:], answered[:]
                    for code, place in places.items():
                        met[place] = meetings.met[code]
                        answered[place] = meetings.answer.get(code, LATEST)
                    found = codes, met, answered
                updated[key] = found
        return updated

    def _meetings_in(
        self,
        lo: int,
        hi: int,
        kinds: frozenset[int],
        answers: frozenset[int],
        segment: Segment | None,
    ) -> tuple[list[int], list[int], list[int]]:
        meetings = self._index().answered(kinds, answers)
        codes = list(filter(meetings.met.__contains__, self._first_seen_codes(lo, hi, segment)))
        met = list(map(meetings.met.__getitem__, codes))
        answered = list(map(meetings.answer.get, codes, itertools.repeat(LATEST)))
        return codes, met, answered

    def contact_fields(self, values: Collection[str], names: Sequence[str]) -> dict[str, list[Any]]:
        """The ``names`` fields of the contacts that may hold one of ``values`` as their
        tier, industry, organization, id or one of their tags (what segments and
        cadences pick contacts by), field by field in the log's order: every contact
        holding one so is there, and maybe others (check the fields). Contacts a store
        loaded and nobody read yet are searched in the text it keeps for it, and only
        those found are read: which of 100,000 people a plan's keep-in-touch rules
        cover, without decoding them."""
        return self._contacts.having(values, names)[1]

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
        ids = self._contacts.ids
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
        ids = self._contacts.ids
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
            bound = _bound(when, "not_heard_from.since", NEVER)
            lasts = map(last_at.get, codes, itertools.repeat(bound))
            counts.append(sum(map(bound.__gt__, lasts)))
        return tuple(counts)

    def count_in_touch(
        self,
        contact_ids: Collection[str],
        since: dt.datetime,
        end: dt.datetime,
        *,
        segment: Segment | None = None,
    ) -> tuple[int, int]:
        """Of ``contact_ids`` (those in ``segment``, if given): how many were interacted
        with before ``end``, and how many of them in ``[since, end)``. What "active" and
        "dormant" relationships at a past day are: C-level passes over the window's rows,
        with no interaction built."""
        lo, hi = self._bounds(since, end)
        return self._index().group(self._code_set(contact_ids, segment)).in_touch(lo, hi)

    def _build_groups(
        self, groups: Iterable[Collection[str]], segment: Segment | None = None
    ) -> None:
        """Make ready what :meth:`count_in_touch` asks of each of ``groups`` (a plan's
        cadence groups, which share no contact) in one pass over the log's rows."""
        code_sets = [self._code_set(contact_ids, segment) for contact_ids in groups]
        self._index().build_groups(code_sets)

    def _code_set(self, contact_ids: Collection[str], segment: Segment | None) -> frozenset[int]:
        """The codes of ``contact_ids`` in ``segment``, kept until a contact changes: a
        plan's cadence group is asked about every period. Kept by the collection's
        identity (hashing 30,000 ids per question would cost more than the answer), with
        the collection, so that identity is not reused."""
        key = ("netplan:codes", id(contact_ids), segment)
        kept = self._derived.get(key)
        if kept is None or kept[0] is not contact_ids:
            found = frozenset(self._codes(contact_ids))
            members = self._segment_members(segment)
            kept = self._derived[key] = (contact_ids, found if members is None else found & members)
        codes: frozenset[int] = kept[1]
        return codes

    def _codes(self, contact_ids: Iterable[str]) -> list[int]:
        try:
            return list(map(self._contacts.index.__getitem__, contact_ids))
        except KeyError as error:
            raise NotFoundError("contact", error.args[0]) from None

    def _quiet(
        self, contact_ids: Iterable[str], since: dt.datetime
    ) -> tuple[list[int], list[int], list[bool]]:
        bound = _bound(since, "not_heard_from.since", NEVER)
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
        ids = self._contacts.ids
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
        ids = self._contacts.ids
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
            return index.unanswered(first, last, kinds, answers)
        among = set()
        for contact_id in contacts:
            code = self._contacts.index.get(contact_id)
            if code is None:
                raise NotFoundError("contact", contact_id)
            among.add(code)
        # An answer before the window cannot answer a meeting in it: their rows from
        # the window's start on say everything, whatever the size of the log.
        met, answered = {}, {}
        for position in index.positions_of(among, first):
            code, instant = index.contact[position], index.at[position]
            row_kind = index.kind[position]
            if position < last and (kinds is None or row_kind in kinds):
                met[code] = instant  # in time order: the latest is written last
            if answers is None or row_kind in answers:
                answered[code] = instant
        owed = sorted((at, code) for code, at in met.items() if answered.get(code, NEVER) <= at)
        return [code for _, code in owed], [at for at, _ in owed]

    @property
    def version(self) -> int:
        """A number that grows with every change to the log (see :meth:`appended_since`)."""
        return self._journal.read()

    def appended_since(self, version: int) -> tuple[tuple[dt.datetime, str | None], ...] | None:
        """When, and with whom, each interaction appended since ``version`` happened, if
        that is all that changed; None when a contact, organization or event changed
        since, or the version is too old to tell (the last 4,096 appends are remembered,
        from the first time :attr:`version` was read).

        What lets a review be redone incrementally: only measures of windows ending after
        the earliest of these instants, and findings about these contacts, can change.
        """
        recent = self._journal.appended_since(version)
        if recent is None:
            return None
        ids = self._contacts.ids
        return tuple(
            (from_micros(at), None if contact == NONE else ids[contact]) for at, contact in recent
        )

    def _index(self) -> TimeIndex:
        if self._time_index is None:
            self._time_index = TimeIndex(self._columns, self._order)
            self._index_shared = False
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
        return tuple(self._interaction(r) for r in self._select(start, end, contact, kind, segment))

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

    def local_days(
        self,
        start: dt.datetime | dt.date | None,
        end: dt.datetime | dt.date | None,
        zone: Zone,
        *,
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None = None,
        segment: Segment | None = None,
    ) -> list[dt.date]:
        """The local day (in ``zone``) of each interaction :meth:`interactions` would
        return, in time order, without building the interactions: what shows a planned
        action done."""
        index = self._index()
        lo, hi = self._bounds(start, end)
        kinds = self._kind_codes(kind)
        members = self._segment_members(segment)
        if kinds is None:
            first, last = index.span(lo, hi)
            instants, contacts = index.at[first:last], index.contact[first:last]
        else:
            instants, contacts = index.window_of_kinds(kinds, lo, hi)
        if members is None:
            return list(map(dt.date.fromordinal, zone.days(instants)))
        chosen = list(itertools.compress(instants, map(members.__contains__, contacts)))
        return list(map(dt.date.fromordinal, zone.days(chosen)))

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
            kinds = self._kind_codes(kind)
            if kinds is None:
                return self.count(start, end) > 0
            # The latest of each kind, found in C (bytearray.rfind): a month of a busy
            # log holds tens of thousands of rows, and counting them all answers less.
            index = self._index()
            first, last = index.span(*self._bounds(start, end))
            return any(index.kind.rfind(code, first, last) >= 0 for code in kinds)
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
            index = self._contacts.index[contact]
            at = self._columns.at
            rows: Iterable[int] = sorted(
                (r for r in self._rows_by_contact().rows.get(index, ()) if lo <= at[r] < hi),
                key=lambda r: (at[r], r),
            )
        else:
            rows = self._window(lo, hi)
        members = self._segment_members(segment)
        for row in rows:
            if kinds is not None and self._columns.kind[row] not in kinds:
                continue
            if members is not None and self._columns.contact[row] not in members:
                continue
            yield row

    @staticmethod
    def _bounds(
        start: dt.datetime | dt.date | None, end: dt.datetime | dt.date | None
    ) -> tuple[int, int]:
        lo = _bound(start, "interactions.start", NEVER)
        hi = _bound(end, "interactions.end", 2**63 - 1)
        if hi < lo:
            raise ValidationError("interactions.end", end, f"must not be before the start {start}")
        return lo, hi

    def _window_size(self, lo: int, hi: int) -> int:
        return self._order.size(self._columns.at, lo, hi)

    def _window(self, lo: int, hi: int) -> Iterator[int]:
        return self._order.window(self._columns.at, lo, hi)

    @staticmethod
    def _kind_codes(
        kind: InteractionKind | str | Iterable[InteractionKind | str] | None,
    ) -> frozenset[int] | None:
        if kind is None:
            return None
        if isinstance(kind, frozenset):
            # A metric's kinds, asked about every period: worked out once.
            found = _KIND_SETS.get(kind)
            if found is None:
                codes = ActivityLog._kind_codes(tuple(kind))
                assert codes is not None
                found = _KIND_SETS[kind] = codes
            return found
        kinds = (kind,) if isinstance(kind, (str, InteractionKind)) else tuple(kind)
        try:
            return frozenset(KIND_CODE[InteractionKind(k)] for k in kinds)
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
            # A member holds the tag, or the organization, or the industry (its own or
            # its organization's): stored contacts are searched for one of those values,
            # and only those found are read and checked.
            if segment.tag is not None:
                values = [segment.tag]
            elif segment.organization is not None:
                values = [segment.organization]
            else:
                values = [o.id for o in organizations.values() if o.industry == segment.industry]
                values.append(cast(str, segment.industry))
            codes, fields = self._contacts.having(values, _SEGMENT_FIELDS)
            members = self._members[segment] = frozenset(
                itertools.compress(codes, _in_segment(segment, fields, organizations))
            )
        return members

    def _interaction(self, row: int) -> Interaction:
        return self._columns.interaction(row, self._contacts.ids, self._event_ids)

    def __iter__(self) -> Iterator[Interaction]:
        """Every interaction in the order it was added."""
        return (self._interaction(row) for row in range(len(self._columns)))

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
            first = min(self._columns.at)
            last = max(self._columns.at)
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
