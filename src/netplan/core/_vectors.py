"""Whole-column builds of the log's indexes (:mod:`netplan.core._indexes`), with numpy.

Each function reads the log's columns (``array.array`` and ``bytearray``, viewed without
a copy) and returns what the indexes keep, as the standard library's types again:
``array.array`` columns, dicts and lists, which appends then keep up to date one
bisection at a time. A million interactions are sorted, gathered and reduced per
contact in tens of milliseconds, where the same passes in Python's C-level builtins
(``sorted``, ``dict(zip(...))``, ``itertools.compress``) each cost a tenth to a half of
a second: a Python object made and hashed per row.

Imported by the indexes when one is first built over the columns (a review, an agenda,
a back-dated log's order), so a command that only appends or lists never pays numpy's
import. No view made here outlives the call: an ``array.array`` with a live view cannot
grow.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "distinct",
    "firsts_and_lasts",
    "gathered",
    "group_rows",
    "meetings",
    "placed",
    "positions",
    "rows_of_kinds",
    "time_order",
    "unanswered",
]

_Ints = npt.NDArray[np.int64]
_LATEST = np.iinfo(np.int64).max
_DTYPES = {"q": np.int64, "i": np.int32}


def _instants(column: array[int]) -> _Ints:
    return np.frombuffer(column, dtype=np.int64)


def _codes(column: array[int]) -> npt.NDArray[np.int32]:
    return np.frombuffer(column, dtype=np.int32)


def _kinds(column: bytearray) -> npt.NDArray[np.uint8]:
    return np.frombuffer(column, dtype=np.uint8)


def _bytes(values: npt.NDArray[Any]) -> memoryview:
    """The memory of ``values`` as bytes, without a copy (``array.frombytes`` and
    ``bytearray`` take it so)."""
    # numpy's stubs do not declare the buffer protocol its arrays have.
    return memoryview(np.ascontiguousarray(values)).cast("B")  # type: ignore[arg-type]


def _of(values: npt.NDArray[np.integer[Any]], typecode: str) -> array[int]:
    """``values`` as an ``array.array`` of ``typecode`` ("q" or "i"): one copy."""
    out = array(typecode)
    out.frombytes(_bytes(values.astype(_DTYPES[typecode], copy=False)))
    return out


def _table(codes: Collection[int], size: int) -> npt.NDArray[np.bool_]:
    """A lookup table of ``size`` entries, true at ``codes``."""
    table = np.zeros(size, dtype=np.bool_)
    table[np.fromiter(codes, dtype=np.int64, count=len(codes))] = True
    return table


def time_order(at: array[int]) -> array[int] | None:
    """The rows in time order, equal instants in the order added (a stable sort); None
    when they are in time order already."""
    instants = _instants(at)
    if bool(np.all(instants[:-1] <= instants[1:])):
        return None
    return _of(np.argsort(instants, kind="stable"), "i")


def gathered(
    order: array[int], at: array[int], contact: array[int], kind: bytearray
) -> tuple[array[int], array[int], bytearray]:
    """The instants, contacts and kinds of the rows ``order``, in that order."""
    rows = _codes(order)
    return (
        _of(_instants(at)[rows], "q"),
        _of(_codes(contact)[rows], "i"),
        bytearray(_bytes(_kinds(kind)[rows])),
    )


def _size(contacts: npt.NDArray[np.int32]) -> int:
    """How many contact codes a per-contact table of ``contacts`` needs."""
    return int(contacts.max(initial=-1)) + 1


def _first_rows(contacts: npt.NDArray[np.int32], rows: _Ints, size: int) -> _Ints:
    """Per contact code below ``size``, the least of ``rows`` given with it, ``_LATEST``
    where none is (each row's contact is given in ``contacts``; the code of no contact,
    -1, is left out)."""
    first = np.full(size + 1, _LATEST, dtype=np.int64)
    # -1 (no contact) lands in the spare last entry, dropped here.
    np.minimum.at(first, contacts, rows)
    return first[:size]


def _last_rows(contacts: npt.NDArray[np.int32], rows: _Ints, size: int) -> _Ints:
    """:func:`_first_rows` for the greatest of ``rows``, -1 where none is."""
    last = np.full(size + 1, -1, dtype=np.int64)
    np.maximum.at(last, contacts, rows)
    return last[:size]


def firsts_and_lasts(
    at: array[int], contact: array[int]
) -> tuple[dict[int, int], dict[int, int], list[int]]:
    """Of columns in time order: each contact's first and last instant (by code), and
    the first instants and codes packed as ``instant << 32 | code``, sorted."""
    instants, contacts = _instants(at), _codes(contact)
    size = _size(contacts)
    rows = np.arange(len(contacts), dtype=np.int64)
    first = _first_rows(contacts, rows, size)
    last = _last_rows(contacts, rows, size)
    seen = np.flatnonzero(first != _LATEST)
    first_at = instants[first[seen]]
    last_at = instants[last[seen]]
    codes = seen.tolist()
    # Keys sorted by instant, then code: the order of ``instant << 32 | code``, made as
    # Python ints (an instant shifted so overflows 64 bits).
    by_first = np.lexsort((seen, first_at))
    keys = [
        instant << 32 | code
        for instant, code in zip(first_at[by_first].tolist(), seen[by_first].tolist(), strict=True)
    ]
    return (
        dict(zip(codes, first_at.tolist(), strict=True)),
        dict(zip(codes, last_at.tolist(), strict=True)),
        keys,
    )


def meetings(
    at: array[int],
    contact: array[int],
    kind: bytearray,
    kinds: Collection[int],
    answers: Collection[int],
) -> tuple[dict[int, int], dict[int, int]]:
    """Of columns in time order: each contact's first instant of ``kinds`` (a meeting),
    and the first instant of ``answers`` strictly after it (an answer), by code."""
    instants, contacts, kind_codes = _instants(at), _codes(contact), _kinds(kind)
    size = _size(contacts)
    rows = np.flatnonzero(_table(kinds, 256)[kind_codes])
    first = _first_rows(contacts[rows], rows, size)
    met_codes = np.flatnonzero(first != _LATEST)
    met = np.full(size + 1, _LATEST, dtype=np.int64)  # the last: no contact, never met
    met[met_codes] = instants[first[met_codes]]
    rows = np.flatnonzero(_table(answers, 256)[kind_codes])
    rows = rows[instants[rows] > met[contacts[rows]]]
    first = _first_rows(contacts[rows], rows, size)
    answered = np.flatnonzero(first != _LATEST)
    return (
        dict(zip(met_codes.tolist(), met[met_codes].tolist(), strict=True)),
        dict(zip(answered.tolist(), instants[first[answered]].tolist(), strict=True)),
    )


def rows_of_kinds(
    at: array[int], contact: array[int], kind: bytearray, kinds: Collection[int], lo: int, hi: int
) -> tuple[array[int], array[int]]:
    """The instants and contacts of the rows ``[lo, hi)`` of ``kinds``, in order."""
    rows = np.flatnonzero(_table(kinds, 256)[_kinds(kind)[lo:hi]]) + lo
    return _of(_instants(at)[rows], "q"), _of(_codes(contact)[rows], "i")


def group_rows(
    at: array[int], contact: array[int], groups: Sequence[Collection[int]]
) -> list[tuple[array[int], array[int]]]:
    """The instants and contacts of the rows of each group of contact codes (groups
    that share no code), in order: each row labelled with its group in one pass."""
    instants, contacts = _instants(at), _codes(contact)
    size = max([_size(contacts)] + [max(codes, default=-1) + 1 for codes in groups])
    label = np.zeros(size + 1, dtype=np.int32)  # the last: no contact, in no group
    for number, codes in enumerate(groups, 1):
        label[np.fromiter(codes, dtype=np.int64, count=len(codes))] = number
    labels = label[contacts]
    out = []
    for number in range(1, len(groups) + 1):
        rows = np.flatnonzero(labels == number)
        out.append((_of(instants[rows], "q"), _of(contacts[rows], "i")))
    return out


def placed(values: Sequence[int], bounds: Sequence[int], before: int) -> list[int]:
    """For each of ``values``, ``before`` plus how many of ``bounds`` (sorted) are at or
    below it: :func:`bisect.bisect_right` of each, in one search."""
    found = np.searchsorted(
        np.asarray(bounds, dtype=np.int64), np.asarray(values, dtype=np.int64), side="right"
    )
    return (found + before).tolist()  # type: ignore[no-any-return]


def positions(contact: array[int], among: Collection[int], first: int) -> list[int]:
    """The rows from ``first`` on whose contact code is one of ``among``, in order: one
    comparison pass over the column's tail (a re-review asks this of the few people just
    logged, where compiling a search for each cost more than the search)."""
    codes = _codes(contact)[first:]
    if len(among) == 1:
        hits = codes == next(iter(among))
    else:
        hits = np.isin(codes, np.fromiter(among, dtype=np.int32, count=len(among)))
    return (np.flatnonzero(hits) + first).tolist()


def distinct(contact: array[int], first: int, last: int) -> int:
    """How many distinct codes (none below 0) the rows ``[first, last)`` hold."""
    codes = _codes(contact)[first:last]
    seen = np.zeros(_size(codes), dtype=np.bool_)
    seen[codes] = True
    return int(np.count_nonzero(seen))


def _latest_rows(
    contacts: npt.NDArray[np.int32],
    kind: bytearray,
    kinds: Collection[int] | None,
    first: int,
    last: int,
    size: int,
) -> _Ints:
    """Per contact code below ``size``, its latest row among ``[first, last)`` of
    ``kinds`` (of any kind if None), -1 where it has none."""
    rows = np.arange(first, last, dtype=np.int64)
    if kinds is not None:
        rows = rows[_table(kinds, 256)[_kinds(kind)[first:last]]]
    return _last_rows(contacts[rows], rows, size)


def unanswered(
    at: array[int],
    contact: array[int],
    kind: bytearray,
    kinds: Collection[int] | None,
    answers: Collection[int] | None,
    first: int,
    last: int,
) -> tuple[list[int], list[int]]:
    """Of columns in time order: each contact whose latest row of ``kinds`` among
    ``[first, last)`` has no row of ``answers`` after it (from ``first`` on), with that
    row's instant, in order of instant then code (of any kind where None)."""
    instants, contacts = _instants(at), _codes(contact)
    size = _size(contacts)
    met = _latest_rows(contacts, kind, kinds, first, last, size)
    answered = _latest_rows(contacts, kind, answers, first, len(at), size)
    codes = np.flatnonzero(met >= 0)
    met_at = instants[met[codes]]
    # An answer at the meeting's instant does not answer it: only a later one does.
    keep = (answered[codes] < 0) | (instants[answered[codes]] <= met_at)
    codes, met_at = codes[keep], met_at[keep]
    by_instant = np.lexsort((codes, met_at))
    return codes[by_instant].tolist(), met_at[by_instant].tolist()
