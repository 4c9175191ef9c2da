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
from array import array
from collections.abc import Collection, Iterable, Iterator

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


class TimeOrder:
    """The rows in time order: ``[0, main)`` sorted by (instant, row), as ``order`` or,
    while every append has come in time order, as the identity (``order`` is None,
    saving 4 bytes a row); back-dated rows wait in ``late``, kept sorted, until merged."""

    __slots__ = ("late", "main", "order")

    def __init__(self, at: array[int]) -> None:
        self.order: array[int] | None = None
        self.main = len(at)
        self.late: list[tuple[int, int]] = []
        if len(at) > 1:
            from netplan.core import _vectors

            self.order = _vectors.time_order(at)

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
        "at",
        "by_kind",
        "contact",
        "first_at",
        "first_keys",
        "groups",
        "kind",
        "last_at",
        "meetings",
    )

    def __init__(self, columns: InteractionColumns, order: TimeOrder) -> None:
        from netplan.core import _vectors

        order.merge_late(columns.at)
        rows = order.order
        if rows is None:
            self.at = columns.at[:]
            self.contact = columns.contact[:]
            self.kind = bytearray(columns.kind)
        else:
            self.at, self.contact, self.kind = _vectors.gathered(
                rows, columns.at, columns.contact, columns.kind
            )
        # Each contact's first and last instants (the order of the dicts' keys means
        # nothing), and the first instants and codes packed in one int (instant << 32 |
        # contact), sorted: a window's newcomers are a slice of them.
        self.first_at: dict[int, int]
        self.last_at: dict[int, int]
        self.first_keys: list[int]
        self.first_at, self.last_at, self.first_keys = _vectors.firsts_and_lasts(
            self.at, self.contact
        )
        # Per kind or set of kinds, their rows' instants and contacts (built on first
        # use): a segment's coffees in a month are then a slice of the coffees alone.
        self.by_kind: dict[frozenset[int], tuple[array[int], array[int]]] = {}
        # By (meeting kinds, answer kinds): each contact's first meeting and the first
        # answer after it (built on first use, kept up to date by appends).
        self.meetings: dict[tuple[frozenset[int], frozenset[int]], Meetings] = {}
        # By set of contacts (a cadence group): their rows alone, and their first instants.
        self.groups: dict[frozenset[int], Group] = {}

    def copy(self) -> TimeIndex:
        """An independent copy (C-level copies of its columns); what is built from it on
        use (per-kind columns, meetings, groups) is built again when used."""
        clone = TimeIndex.__new__(TimeIndex)
        clone.at = self.at[:]
        clone.contact = self.contact[:]
        clone.kind = self.kind[:]
        clone.first_at = self.first_at.copy()
        clone.first_keys = self.first_keys[:]
        clone.last_at = self.last_at.copy()
        clone.by_kind, clone.meetings, clone.groups = {}, {}, {}
        return clone

    def group(self, codes: frozenset[int]) -> Group:
        """The rows of the contacts ``codes`` alone, in time order, and their first
        instants, sorted: who of a group was heard from in a window, and who had been
        met by then, without a pass over everyone else's rows."""
        found = self.groups.get(codes)
        if found is None:
            self.build_groups((codes,))
            found = self.groups[codes]
        return found

    def build_groups(self, code_sets: Iterable[frozenset[int]]) -> None:
        """Build the groups of ``code_sets`` not built yet: together, in one pass over
        the rows, when they share no contact (a plan's cadence groups), else each
        alone."""
        from netplan.core import _vectors

        missing = list(dict.fromkeys(c for c in code_sets if c not in self.groups))
        if not missing:
            return
        together = sum(map(len, missing)) == len(frozenset().union(*missing))
        for batch in [missing] if together else [[codes] for codes in missing]:
            for codes, (at, contact) in zip(
                batch, _vectors.group_rows(self.at, self.contact, batch), strict=True
            ):
                self.groups[codes] = Group(self, codes, at, contact)

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
        from netplan.core import _vectors

        return _vectors.rows_of_kinds(self.at, self.contact, self.kind, kinds, first, last)

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
        keys = self.first_keys
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
        order: a few people's recent rows, without a per-contact index."""
        from netplan.core import _vectors

        return _vectors.positions(self.contact, among, first)

    def unanswered(
        self, first: int, last: int, kinds: frozenset[int] | None, answers: frozenset[int] | None
    ) -> tuple[list[int], list[int]]:
        """The contacts whose latest interaction of ``kinds`` among positions ``[first,
        last)`` has no later one of ``answers``, and its instants, in time order."""
        from netplan.core import _vectors

        return _vectors.unanswered(self.at, self.contact, self.kind, kinds, answers, first, last)


class Group:
    """The rows of some contacts alone (instants and contacts, in time order), and their
    first and last instants, each sorted."""

    __slots__ = ("at", "codes", "contact", "firsts", "lasts")

    def __init__(
        self, index: TimeIndex, codes: frozenset[int], at: array[int], contact: array[int]
    ) -> None:
        """The group of ``codes`` in ``index``, whose rows' instants and contacts are
        ``at`` and ``contact``."""
        self.codes = codes
        self.at, self.contact = at, contact
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
        from netplan.core import _vectors

        first = bisect.bisect_left(self.at, lo)
        last = bisect.bisect_left(self.at, hi, first)
        return seen, _vectors.distinct(self.contact, first, last)


class Meetings:
    """Each contact's first interaction of some kinds (a meeting), and the first
    interaction of other kinds strictly after it (an answer: a follow-up), in
    microseconds.

    Built with C-level passes over the time index's per-kind columns: no Python step per
    row. A contact met but never answered has no ``answer``.
    """

    __slots__ = ("answer", "answers", "kinds", "met")

    def __init__(self, index: TimeIndex, kinds: frozenset[int], answers: frozenset[int]) -> None:
        from netplan.core import _vectors

        self.kinds, self.answers = kinds, answers
        self.met, self.answer = _vectors.meetings(
            index.at, index.contact, index.kind, kinds, answers
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
