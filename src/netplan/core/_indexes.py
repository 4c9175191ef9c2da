"""The indexes an activity log keeps over its interaction columns, and its journal.

* :class:`TimeOrder`: the rows in time order, kept as appends come (O(1) for an append in
  time order, a small sorted side run for back-dated ones);
* :class:`ContactRows`: each contact's rows and latest instant;
* :class:`TimeIndex`: instants, contacts and kinds copied in time order, and each
  contact's first and last instants: what a review counts with;
* :class:`Journal`: a version bumped by every change, and what was appended since.

Each is built from the columns (C-level copies and gathers) the first time it is needed
after a bulk load, then kept up to date by every append.
"""

from __future__ import annotations

import bisect
import collections
import heapq
import itertools
import math
import operator
import re
from array import array
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from netplan.core._columns import NONE, InteractionColumns

__all__ = [
    "LATEST",
    "NEVER",
    "ContactRows",
    "Group",
    "Journal",
    "Meetings",
    "TimeIndex",
    "TimeOrder",
]

NEVER = -(2**63)
"""An instant before every other: a contact never interacted with was last seen then."""
LATEST = 2**63 - 1
"""An instant after every other: a contact never met is met then."""
_MIN_LATE_RUN = 64
_JOURNAL_SIZE = 4096
_WINDOW_SHARE = 8
"""A window of fewer than one row in this many of the log's is picked from its own rows,
not from its kinds' columns (:meth:`TimeIndex.window_of_kinds`)."""
_PICKED_SLICE = 65_536
"""How many rows :func:`picked` takes a slice at a time: one ``itemgetter`` per slice
bounds the tuples it builds (a few hundred kilobytes, not a million-row tuple)."""


def picked(rows: Iterable[int], *columns: array[int] | bytearray) -> list[Any]:
    """Each of ``columns``' values at ``rows``, in the order of ``rows``, each as a column
    of its own kind (an array of its type code, or a bytearray).

    An ``operator.itemgetter`` of a slice of rows takes them from a column in one C call:
    two to three times faster than a ``map`` of ``__getitem__`` (a call per row) or than
    ``itertools.compress`` (which makes a Python int of every row it passes over)."""
    out: list[Any] = [array(c.typecode) if isinstance(c, array) else bytearray() for c in columns]
    chunks: Iterable[Sequence[int]]
    if isinstance(rows, Sequence):
        chunks = (rows[i : i + _PICKED_SLICE] for i in range(0, len(rows), _PICKED_SLICE))
    else:
        left = iter(rows)
        chunks = iter(lambda: tuple(itertools.islice(left, _PICKED_SLICE)), ())
    for chunk in chunks:
        if len(chunk) == 1:  # an itemgetter of one item returns it, not a tuple
            for taken, column in zip(out, columns, strict=True):
                taken.append(column[chunk[0]])
            continue
        get = operator.itemgetter(*chunk)
        for taken, column in zip(out, columns, strict=True):
            # A new column of the tuple, then added (extending by a tuple goes item by
            # item); the tuple goes at once, and its ints with it, for the next to reuse.
            if isinstance(column, array):
                taken += array(column.typecode, get(column))
            else:
                taken += bytearray(get(column))
    return out


class TimeOrder:
    """The rows in time order: ``[0, main)`` sorted by (instant, row), as ``order`` or,
    while every append has come in time order, as the identity (``order`` is None,
    saving 4 bytes a row); back-dated rows wait in ``late``, kept sorted, until merged."""

    __slots__ = ("late", "main", "order")

    def __init__(self, at: array[int]) -> None:
        n = len(at)
        self.order: array[int] | None = None
        self.main = n
        self.late: list[tuple[int, int]] = []
        if not all(map(operator.le, at, itertools.islice(at, 1, None))):
            # Equal instants in the order added (the sort is stable). Logs are nearly in
            # time order, which Timsort finds in runs: close to one C-level pass.
            self.order = array("i", sorted(range(n), key=at.__getitem__))

    def copy(self) -> TimeOrder:
        clone = TimeOrder.__new__(TimeOrder)
        clone.order = None if self.order is None else self.order[:]
        clone.main = self.main
        clone.late = self.late[:]
        return clone

    def append(self, at: array[int], row: int) -> None:
        """Place ``row`` (just appended to ``at``)."""
        instant = at[row]
        if self.main == 0 or instant >= at[self._main_last()]:
            if self.order is None and self.main != row:
                # Back-dated rows are waiting, so the main order is no longer the
                # identity: spell it out once, then keep appending to it.
                self.order = array("i", range(self.main))
            if self.order is not None:
                self.order.append(row)
            self.main += 1
        else:
            bisect.insort(self.late, (instant, row))
            if len(self.late) > max(_MIN_LATE_RUN, math.isqrt(len(at))):
                self.merge_late(at)

    def _main_last(self) -> int:
        return self.main - 1 if self.order is None else self.order[self.main - 1]

    def merge_late(self, at: array[int]) -> None:
        """Take the waiting rows into the main order."""
        if not self.late:
            return
        # Bisect each waiting row into the main order and copy the runs between them as
        # array slices: O(L log n) Python steps and one C-speed copy, where a
        # element-by-element merge costs a Python step per row of the whole log.
        main = array("i", range(self.main)) if self.order is None else self.order
        merged = array("i")
        previous = 0
        for late in self.late:
            # (instant, row) keys: equal instants keep their insertion order.
            position = bisect.bisect_left(main, late, previous, key=lambda r: (at[r], r))
            merged.extend(main[previous:position])
            merged.append(late[1])
            previous = position
        merged.extend(main[previous:])
        self.order = merged
        self.main = len(merged)
        self.late = []

    def latest(self, at: array[int]) -> int:
        """The latest instant of any row (:data:`NEVER` when there is none)."""
        latest = at[self._main_last()] if self.main else NEVER
        return max(latest, self.late[-1][0]) if self.late else latest

    def _main_range(self, at: array[int], lo: int, hi: int) -> tuple[int, int]:
        """Positions ``[first, last)`` of the main order that fall in ``[lo, hi)``."""
        if self.order is None:
            first = bisect.bisect_left(at, lo, 0, self.main)
            return first, bisect.bisect_left(at, hi, first, self.main)
        key = at.__getitem__
        first = bisect.bisect_left(self.order, lo, key=key)
        return first, bisect.bisect_left(self.order, hi, first, key=key)

    def _late_range(self, lo: int, hi: int) -> tuple[int, int]:
        first = bisect.bisect_left(self.late, (lo, -1))
        return first, bisect.bisect_left(self.late, (hi, -1), first)

    def size(self, at: array[int], lo: int, hi: int) -> int:
        """How many rows fall in ``[lo, hi)``: O(log n)."""
        first, last = self._main_range(at, lo, hi)
        late_first, late_last = self._late_range(lo, hi)
        return last - first + late_last - late_first

    def window(self, at: array[int], lo: int, hi: int) -> Iterator[int]:
        """The rows in ``[lo, hi)``, in time order."""
        first, last = self._main_range(at, lo, hi)
        main: Iterable[int] = range(first, last) if self.order is None else self.order[first:last]
        if not self.late:
            return iter(main)
        a, b = self._late_range(lo, hi)
        late = (row for _, row in self.late[a:b])
        return heapq.merge(main, late, key=lambda r: (at[r], r))


class ContactRows:
    """Each contact's rows (by code), and each contact's latest instant."""

    __slots__ = ("last_at", "rows")

    def __init__(self, columns: InteractionColumns, contacts: int) -> None:
        at = columns.at
        rows: dict[int, array[int]] = {}
        last_at = array("q", (NEVER,)) * contacts
        for row, contact in enumerate(columns.contact):
            if contact != NONE:
                found = rows.get(contact)
                if found is None:
                    found = rows[contact] = array("i")
                found.append(row)
                if at[row] > last_at[contact]:
                    last_at[contact] = at[row]
        self.rows = rows
        self.last_at = last_at

    def copy(self) -> ContactRows:
        clone = ContactRows.__new__(ContactRows)
        clone.rows = {code: rows[:] for code, rows in self.rows.items()}
        clone.last_at = self.last_at[:]
        return clone

    def add(self, row: int, contact: int, at: int) -> None:
        found = self.rows.get(contact)
        if found is None:
            found = self.rows[contact] = array("i")
        found.append(row)
        if at > self.last_at[contact]:
            self.last_at[contact] = at

    def grow(self, contacts: int) -> None:
        """Make room for ``contacts`` more contacts, not seen yet."""
        self.last_at.extend(itertools.repeat(NEVER, contacts))


class TimeIndex:
    """Every interaction's instant, contact and kind in time order, and each contact's
    first and last instants: what a review counts with.

    Built from the columns on first use (C-level copies and gathers, no Python step per
    row), then kept up to date by every append, so reviewing again after logging one
    more interaction costs a few bisections, not a pass over the log.
    """

    __slots__ = (
        "_first_keys",
        "at",
        "by_kind",
        "contact",
        "first_at",
        "groups",
        "kind",
        "last_at",
        "meetings",
    )

    def __init__(self, columns: InteractionColumns, order: TimeOrder) -> None:
        order.merge_late(columns.at)
        rows = order.order
        if rows is None:
            self.at = columns.at[:]
            self.contact = columns.contact[:]
            self.kind = bytearray(columns.kind)
        else:
            self.at, self.contact, self.kind = picked(
                rows, columns.at, columns.contact, columns.kind
            )
        # Each contact's first instant: a dict built from the rows backwards keeps the
        # earliest (the last written), in C. Its keys' order means nothing: what is
        # shown in order of first instants is read from first_keys.
        self.first_at: dict[int, int] = _firsts(self.at, self.contact)
        # Per kind or set of kinds, their rows' instants and contacts (built on first
        # use): a segment's coffees in a month are then a slice of the coffees alone.
        self.by_kind: dict[frozenset[int], tuple[array[int], array[int]]] = {}
        self._first_keys: list[int] | None = None  # sorted when first asked for
        # Built from the rows forwards, the latest instant is the one kept.
        self.last_at: dict[int, int] = dict(zip(self.contact, self.at, strict=True))
        self.last_at.pop(NONE, None)
        # By (meeting kinds, answer kinds): each contact's first meeting and the first
        # answer after it (built on first use, kept up to date by appends).
        self.meetings: dict[tuple[frozenset[int], frozenset[int]], Meetings] = {}
        # By set of contacts (a cadence group): their rows alone, and their first instants.
        self.groups: dict[frozenset[int], Group] = {}

    @property
    def first_keys(self) -> list[int]:
        """Each contact's first instant and code, packed in one int (instant << 32 |
        contact), sorted: a window's newcomers are a slice. Sorted on first use (an
        agenda asks for none), then kept up to date by appends."""
        if self._first_keys is None:
            # In order of first appearance they are nearly sorted already: timsort's case.
            self._first_keys = sorted(
                map(
                    operator.or_,
                    map(operator.lshift, self.first_at.values(), itertools.repeat(32)),
                    self.first_at,
                )
            )
        return self._first_keys

    def copy(self) -> TimeIndex:
        """An independent copy (C-level copies of its columns); what is built from it on
        use (per-kind columns, meetings, groups) is built again when used."""
        clone = TimeIndex.__new__(TimeIndex)
        clone.at = self.at[:]
        clone.contact = self.contact[:]
        clone.kind = self.kind[:]
        clone.first_at = self.first_at.copy()
        clone._first_keys = None if self._first_keys is None else self._first_keys[:]
        clone.last_at = self.last_at.copy()
        clone.by_kind, clone.meetings, clone.groups = {}, {}, {}
        return clone

    def group(self, codes: frozenset[int]) -> Group:
        """The rows of the contacts ``codes`` alone, in time order, and their first
        instants, sorted: who of a group was heard from in a window, and who had been
        met by then, without a pass over everyone else's rows."""
        found = self.groups.get(codes)
        if found is None:
            found = self.groups[codes] = Group(self, codes)
        return found

    def build_groups(self, code_sets: Iterable[frozenset[int]], contacts: int) -> None:
        """Build the groups of ``code_sets`` not built yet (codes below ``contacts``), in
        one pass over the rows when they are disjoint (a plan's cadence groups): each row
        is labelled with its group, and each group's rows are picked by their label,
        where a group built alone passes over every row for its own."""
        missing = list(dict.fromkeys(c for c in code_sets if c and c not in self.groups))
        if not 2 <= len(missing) < 256 or sum(map(len, missing)) != len(
            frozenset().union(*missing)
        ):
            return  # each built alone when asked
        # One byte per contact, the last for NONE (-1): 0 for no group, else its number.
        label = bytearray(contacts + 1)
        for number, codes in enumerate(missing, 1):
            collections.deque(map(label.__setitem__, codes, itertools.repeat(number)), maxlen=0)
        labels = bytes(map(label.__getitem__, self.contact))
        everyone = range(len(labels))
        for number, codes in enumerate(missing, 1):
            mine = labels.translate(_mask(frozenset((number,))))
            self.groups[codes] = Group(self, codes, itertools.compress(everyone, mine))

    def answered(self, kinds: frozenset[int], answers: frozenset[int]) -> Meetings:
        """Each contact's first interaction of ``kinds``, and the first of ``answers``
        after it: what follow-up rates and latencies are made of."""
        key = (kinds, answers)
        found = self.meetings.get(key)
        if found is None:
            found = self.meetings[key] = Meetings(self, kinds, answers)
        return found

    def of_kind(self, kind: int) -> tuple[array[int], array[int]]:
        """The instants and contacts of the interactions of one kind, in time order."""
        return self.of_kinds(frozenset((kind,)))

    def of_kinds(self, kinds: frozenset[int]) -> tuple[array[int], array[int]]:
        """The instants and contacts of the interactions of some kinds, in time order."""
        found = self.by_kind.get(kinds)
        if found is None:
            found = self.by_kind[kinds] = self._of_kinds(kinds, 0, len(self.at))
        return found

    def _of_kinds(
        self, kinds: frozenset[int], first: int, last: int
    ) -> tuple[array[int], array[int]]:
        # A byte per row, 1 for the kinds: bytes.translate makes it in C.
        mask = self.kind[first:last].translate(_mask(kinds))
        rows = itertools.compress(range(first, last), mask)
        at, contact = picked(rows, self.at, self.contact)
        return at, contact

    def window_of_kinds(
        self, kinds: frozenset[int], lo: int, hi: int
    ) -> tuple[array[int], array[int]]:
        """The instants and contacts of the interactions of ``kinds`` in ``[lo, hi)``, in
        time order: from the kinds' own columns when they are built or the window is a
        large part of the log (they are then built, for the windows asked next), else
        picked from the window's rows alone (an agenda's week of reach-outs is a few
        hundred rows of the log's million)."""
        found = self.by_kind.get(kinds)
        if found is None:
            first, last = self.span(lo, hi)
            if (last - first) * _WINDOW_SHARE < len(self.at):
                return self._of_kinds(kinds, first, last)
            found = self.of_kinds(kinds)
        instants, contacts = found
        first = bisect.bisect_left(instants, lo)
        last = bisect.bisect_left(instants, hi, first)
        return instants[first:last], contacts[first:last]

    def add(self, at: int, contact: int, kind: int) -> None:
        if contact != NONE:
            for meetings in self.meetings.values():
                meetings.add(self, at, contact, kind)
            for group in self.groups.values():
                if contact in group.codes:
                    group.add(at, contact, self.first_at.get(contact), self.last_at.get(contact))
        for kinds, rows in self.by_kind.items():
            if kind in kinds:
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
        if contact == NONE:
            return
        if at >= self.last_at.get(contact, NEVER):
            self.last_at[contact] = at
        first = self.first_at.get(contact)
        if first is not None and first <= at:
            return
        keys = self._first_keys
        if keys is not None:
            if first is not None:
                del keys[bisect.bisect_left(keys, first << 32 | contact)]
            bisect.insort(keys, at << 32 | contact)
        self.first_at[contact] = at

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        first = bisect.bisect_left(self.at, lo)
        return first, bisect.bisect_left(self.at, hi, first)

    def first_span(self, lo: int, hi: int) -> tuple[int, int]:
        # Keys are instant << 32 | contact with 0 <= contact < 2**32: these bounds hold
        # exactly the instants in [lo, hi).
        first = bisect.bisect_left(self.first_keys, lo << 32)
        return first, bisect.bisect_left(self.first_keys, hi << 32, first)

    def positions_of(self, among: Collection[int], first: int) -> list[int]:
        """The positions from ``first`` on of the rows of the contacts ``among``, in time
        order: a few people's recent rows, without a per-contact index.

        Each contact's code is searched for as its bytes in the contact column's memory
        (the regular expression engine finds a literal in a buffer at memchr speed,
        where a Python step per row costs 20 times more); a match not on a code's
        boundary is two neighbours' bytes, and the search goes on from the next byte."""
        size = self.contact.itemsize
        view = memoryview(self.contact).cast("B")
        found: list[int] = []
        for code in among:
            search = re.compile(re.escape(array(self.contact.typecode, (code,)).tobytes())).search
            match = search(view, first * size)
            while match is not None:
                start = match.start()
                if start % size == 0:
                    found.append(start // size)
                    match = search(view, start + size)
                else:
                    match = search(view, start + 1)
        found.sort()
        return found

    def latest(self, first: int, last: int, kinds: frozenset[int] | None) -> dict[int, int]:
        """Each contact's latest instant among positions ``[first, last)`` of ``kinds``."""
        contacts: Iterable[int] = self.contact[first:last]
        instants: Iterable[int] = self.at[first:last]
        if kinds is not None:
            window = self.kind[first:last]
            contacts = itertools.compress(contacts, map(kinds.__contains__, window))
            instants = itertools.compress(instants, map(kinds.__contains__, window))
        # In time order, so the last write for each contact is its latest.
        latest = dict(zip(contacts, instants, strict=True))
        latest.pop(NONE, None)
        return latest


class Group:
    """The rows of some contacts alone (instants and contacts, in time order), and their
    first and last instants, each sorted."""

    __slots__ = ("at", "codes", "contact", "firsts", "lasts")

    def __init__(
        self, index: TimeIndex, codes: frozenset[int], rows: Iterable[int] | None = None
    ) -> None:
        """The group of ``codes`` in ``index``, whose rows are ``rows`` (found if not
        given)."""
        self.codes = codes
        if rows is None:
            keep = map(codes.__contains__, index.contact)
            rows = itertools.compress(range(len(index.contact)), keep)
        self.at, self.contact = picked(rows, index.at, index.contact)
        firsts = sorted(map(index.first_at.get, codes, itertools.repeat(LATEST)))
        self.firsts = array("q", firsts[: bisect.bisect_left(firsts, LATEST)])
        lasts = sorted(map(index.last_at.get, codes, itertools.repeat(LATEST)))
        self.lasts = array("q", lasts[: bisect.bisect_left(lasts, LATEST)])

    def add(self, at: int, contact: int, first: int | None, last: int | None) -> None:
        """Take in an interaction with one of the contacts, whose first and last instants
        were ``first`` and ``last`` before it."""
        place = bisect.bisect_right(self.at, at)
        self.at.insert(place, at)
        self.contact.insert(place, contact)
        if first is None or at < first:
            if first is not None:
                del self.firsts[bisect.bisect_left(self.firsts, first)]
            self.firsts.insert(bisect.bisect_right(self.firsts, at), at)
        if last is None or at > last:
            if last is not None:
                del self.lasts[bisect.bisect_left(self.lasts, last)]
            self.lasts.insert(bisect.bisect_right(self.lasts, at), at)

    def in_touch(self, lo: int, hi: int) -> tuple[int, int]:
        """How many of the contacts were first interacted with before ``hi``, and how many
        were interacted with in ``[lo, hi)``."""
        seen = bisect.bisect_left(self.firsts, hi)
        if not self.at or hi > self.at[-1]:
            # A window reaching past every row (the current one): heard from since ``lo``
            # is last heard from since then, two bisections however long the window.
            return seen, len(self.lasts) - bisect.bisect_left(self.lasts, lo)
        first = bisect.bisect_left(self.at, lo)
        last = bisect.bisect_left(self.at, hi, first)
        return seen, len(set(self.contact[first:last]))


class Meetings:
    """Each contact's first interaction of some kinds (a meeting), and the first
    interaction of other kinds strictly after it (an answer: a follow-up), in
    microseconds.

    Built with C-level passes over the time index's per-kind columns: no Python step per
    row. A contact met but never answered has no ``answer``.
    """

    __slots__ = ("answer", "answers", "kinds", "met")

    def __init__(self, index: TimeIndex, kinds: frozenset[int], answers: frozenset[int]) -> None:
        self.kinds, self.answers = kinds, answers
        # The rows read backwards, so that the last written for a contact is its earliest;
        # each kind's rows taken by a mask (no per-kind column built).
        at, contact, kind = index.at[::-1], index.contact[::-1], index.kind[::-1]
        meeting = kind.translate(_mask(kinds))
        met = dict(
            zip(itertools.compress(contact, meeting), itertools.compress(at, meeting), strict=True)
        )
        met.pop(NONE, None)
        self.met = met
        # The answers after their contact's meeting, and of those the first per contact
        # (someone never met has LATEST as a meeting: nothing answers it).
        answer = kind.translate(_mask(answers))
        contacts = array(contact.typecode, itertools.compress(contact, answer))
        instants = array(at.typecode, itertools.compress(at, answer))
        after = bytes(map(operator.lt, map(met.get, contacts, itertools.repeat(LATEST)), instants))
        self.answer = dict(
            zip(
                itertools.compress(contacts, after),
                itertools.compress(instants, after),
                strict=True,
            )
        )

    def add(self, index: TimeIndex, at: int, contact: int, kind: int) -> None:
        """Take in an interaction about to be appended to ``index``."""
        met = self.met.get(contact, LATEST)
        if kind in self.kinds and at < met:
            # The meeting moves earlier: answers between the two now count. The first is
            # among the contact's own rows after ``at``, up to the answer it had, found
            # in the contact column (no per-kind column built).
            answer = self.answer.get(contact, LATEST)
            bound = min(met, answer)
            for position in index.positions_of((contact,), bisect.bisect_right(index.at, at)):
                instant = index.at[position]
                if instant > bound:
                    break
                if index.kind[position] in self.answers:
                    answer = instant
                    break
            if answer != LATEST:
                self.answer[contact] = answer
            self.met[contact] = met = at
        if kind in self.answers and met < at < self.answer.get(contact, LATEST):
            self.answer[contact] = at


def _mask(kinds: frozenset[int]) -> bytes:
    """A ``bytes.translate`` table giving 1 for a kind code of ``kinds``, else 0: a kind
    column translated by it is a mask of their rows, made in C."""
    return bytes(code in kinds for code in range(256))


def _firsts(instants: array[int], contacts: array[int]) -> dict[int, int]:
    """Each contact's earliest instant in columns in time order."""
    # Backwards, so that the last write for a contact is its earliest instant.
    firsts = dict(zip(contacts[::-1], instants[::-1], strict=True))
    firsts.pop(NONE, None)
    return firsts


class Journal:
    """What changed, for incremental reviews: a version bumped by every change, and the
    interactions (instant, contact code) appended since the last change of anything
    else. Appends are remembered only once someone has asked for the version (a
    Reviewer): a log nobody reviews incrementally keeps none."""

    __slots__ = ("appended", "since", "version")

    def __init__(self, version: int = 0, *, keeping: bool = False) -> None:
        self.version = version
        self.appended: collections.deque[tuple[int, int]] | None = (
            collections.deque(maxlen=_JOURNAL_SIZE) if keeping else None
        )
        self.since = version

    def copy(self) -> Journal:
        clone = Journal(self.version)
        clone.appended = None if self.appended is None else self.appended.copy()
        clone.since = self.since
        return clone

    def read(self) -> int:
        """The version, remembering appends from now on."""
        if self.appended is None:
            self.appended = collections.deque(maxlen=_JOURNAL_SIZE)
            self.since = self.version
        return self.version

    def changed(self) -> None:
        """Something other than an append changed: what was appended before is moot."""
        self.version += 1
        if self.appended is not None:
            self.appended.clear()
        self.since = self.version

    def append(self, at: int, contact: int) -> None:
        self.version += 1
        if self.appended is not None:
            self.appended.append((at, contact))

    def appended_since(self, version: int) -> list[tuple[int, int]] | None:
        """The appends since ``version``, if that is all that changed and they are all
        remembered; else None."""
        if version == self.version:
            return []
        count = self.version - version
        if self.appended is None or version < self.since or count > len(self.appended):
            return None
        return list(itertools.islice(self.appended, len(self.appended) - count, None))
