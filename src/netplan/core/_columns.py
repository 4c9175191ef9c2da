"""The interactions of an activity log as columns: typed arrays with one entry per
interaction, in the order added (an interaction's row is its place in them).

A million interactions are then a few arrays of machine numbers and one bytes buffer of
notes, not a million objects; an :class:`~netplan.core.network.Interaction` is made only
for a row a query returns. Contacts and events are held as codes (their places in the
log's lists of ids, :data:`NONE` for none), kinds, channels and directions as the places
of their values in :data:`KINDS`, :data:`CHANNELS` and :data:`DIRECTIONS`.
"""

from __future__ import annotations

import itertools
import operator
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from netplan.core.batch import Columns, Row
from netplan.core.errors import ValidationError
from netplan.core.instants import from_micros
from netplan.core.network import Channel, Direction, Interaction, InteractionKind

__all__ = [
    "CHANNELS",
    "CHANNEL_CODE",
    "DIRECTIONS",
    "DIRECTION_CODE",
    "KINDS",
    "KIND_CODE",
    "NONE",
    "InteractionColumns",
    "read_columns",
]

KINDS = tuple(InteractionKind)
CHANNELS = tuple(Channel)
DIRECTIONS = tuple(Direction)
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
CHANNEL_CODE = {c: i for i, c in enumerate(CHANNELS)}
DIRECTION_CODE = {d: i for i, d in enumerate(DIRECTIONS)}
_KIND_BY_VALUE = {k.value: i for i, k in enumerate(KINDS)}
_CHANNEL_BY_VALUE = {c.value: i for i, c in enumerate(CHANNELS)}
_DIRECTION_BY_VALUE = {d.value: i for i, d in enumerate(DIRECTIONS)}
NONE = -1
"""The code of no contact, or no event."""

_READ_ERRORS = (KeyError, TypeError, ValueError, AttributeError, OverflowError)


class InteractionColumns:
    """Every interaction's instant (microseconds since 1970 UTC), contact and event codes,
    kind, channel and direction codes, and notes (UTF-8 bytes, one buffer, with each
    row's end offset), in the order added."""

    __slots__ = ("at", "channel", "contact", "direction", "event", "kind", "notes", "notes_end")

    def __init__(self) -> None:
        self.at = array("q")
        self.contact = array("i")
        self.event = array("i")
        self.kind = bytearray()
        self.channel = bytearray()
        self.direction = bytearray()
        self.notes = bytearray()
        self.notes_end = array("q")

    def __len__(self) -> int:
        return len(self.at)

    def append(
        self,
        at: int,
        contact: int,
        event: int,
        kind: int,
        channel: int,
        direction: int,
        notes: bytes,
    ) -> None:
        self.at.append(at)
        self.contact.append(contact)
        self.event.append(event)
        self.kind.append(kind)
        self.channel.append(channel)
        self.direction.append(direction)
        self.notes += notes
        self.notes_end.append(len(self.notes))

    def extend(self, more: InteractionColumns) -> None:
        """Append the rows of ``more``, in its order."""
        base = len(self.notes)
        self.at.extend(more.at)
        self.contact.extend(more.contact)
        self.event.extend(more.event)
        self.kind.extend(more.kind)
        self.channel.extend(more.channel)
        self.direction.extend(more.direction)
        self.notes.extend(more.notes)
        self.notes_end.extend(map(base.__add__, more.notes_end) if base else more.notes_end)

    def copy(self) -> InteractionColumns:
        clone = InteractionColumns()
        for name in self.__slots__:
            setattr(clone, name, getattr(self, name)[:])
        return clone

    def note(self, row: int) -> str:
        start = self.notes_end[row - 1] if row else 0
        return self.notes[start : self.notes_end[row]].decode("utf-8", "surrogatepass")

    def interaction(
        self, row: int, contact_ids: Sequence[str], event_ids: Sequence[str]
    ) -> Interaction:
        """The interaction of ``row``: built field by field, since the row was checked on
        the way in and running every validator again costs more than the rest of a query."""
        contact = self.contact[row]
        event = self.event[row]
        interaction = object.__new__(Interaction)
        for name, value in (
            ("kind", KINDS[self.kind[row]]),
            ("at", from_micros(self.at[row])),
            ("contact", None if contact == NONE else contact_ids[contact]),
            ("channel", CHANNELS[self.channel[row]]),
            ("direction", DIRECTIONS[self.direction[row]]),
            ("event", None if event == NONE else event_ids[event]),
            ("notes", self.note(row)),
        ):
            object.__setattr__(interaction, name, value)
        return interaction

    def rows(self, contact_ids: Sequence[str], event_ids: Sequence[str]) -> Iterator[Row]:
        """Every row as a :data:`~netplan.core.batch.Row`, in the order added."""
        for row in range(len(self.at)):
            contact, event = self.contact[row], self.event[row]
            yield (
                self.at[row],
                None if contact == NONE else contact_ids[contact],
                KINDS[self.kind[row]].value,
                CHANNELS[self.channel[row]].value,
                DIRECTIONS[self.direction[row]].value,
                None if event == NONE else event_ids[event],
                self.note(row),
            )

    def columns(self, contact_ids: Sequence[str], event_ids: Sequence[str]) -> Columns:
        """Every row's values as :data:`~netplan.core.batch.Columns` (what a batch holds)."""
        if not self.at:
            return ((), (), (), (), (), (), ())
        contacts = [*contact_ids, None]  # NONE (-1) reads the last: None
        events = [*event_ids, None]
        return (
            list(self.at),
            list(map(contacts.__getitem__, self.contact)),
            [KINDS[k].value for k in self.kind],
            [CHANNELS[c].value for c in self.channel],
            [DIRECTIONS[d].value for d in self.direction],
            list(map(events.__getitem__, self.event)),
            list(map(self.note, range(len(self.at)))),
        )

    def kept(self, keep: list[bool]) -> InteractionColumns:
        """The rows ``keep`` says to keep (one flag a row), in their order: slices copied
        in C when they are the first rows (a log cut at an instant, logged in order)."""
        clone = InteractionColumns()
        count = keep.count(True)
        ends = self.notes_end
        if False not in keep[:count]:
            for name in ("at", "contact", "event", "kind", "channel", "direction", "notes_end"):
                setattr(clone, name, getattr(self, name)[:count])
            clone.notes = self.notes[: ends[count - 1]] if count else bytearray()
            return clone
        for name in ("at", "contact", "event"):
            column = getattr(self, name)
            setattr(clone, name, array(column.typecode, itertools.compress(column, keep)))
        clone.kind = bytearray(itertools.compress(self.kind, keep))
        clone.channel = bytearray(itertools.compress(self.channel, keep))
        clone.direction = bytearray(itertools.compress(self.direction, keep))
        # The kept rows' notes, run by run of kept rows (a log cut at an instant keeps
        # long runs): each run's bytes copied in C, its ends shifted to their new place.
        n = len(keep)
        changes = itertools.compress(
            range(1, n), map(operator.ne, keep, itertools.islice(keep, 1, None))
        )
        clone.notes_end = array("q")
        pieces: list[bytes | bytearray] = []
        total = 0
        for first, last in itertools.pairwise([0, *changes, n]):
            if not keep[first]:
                continue
            start = ends[first - 1] if first else 0
            shift = start - total
            kept_ends = ends[first:last]
            clone.notes_end.extend(
                map(operator.sub, kept_ends, itertools.repeat(shift)) if shift else kept_ends
            )
            pieces.append(self.notes[start : ends[last - 1]])
            total += ends[last - 1] - start
        clone.notes = bytearray(b"".join(pieces))
        return clone

    def recoded(self, contacts: Sequence[int] | None, events: Sequence[int] | None) -> None:
        """Give every row's contact ``contacts[code]`` and event ``events[code]`` (the
        codes of a log whose ids moved); None leaves a column as it is."""
        if contacts is not None:
            self.contact = array("i", map([*contacts, NONE].__getitem__, self.contact))
        if events is not None:
            self.event = array("i", map([*events, NONE].__getitem__, self.event))

    def spliced(self, places: Sequence[int], rows: InteractionColumns) -> InteractionColumns:
        """These rows with each of ``rows`` inserted at its place of ``places`` (sorted)
        in the result: C-level copies of the runs between them."""
        out = InteractionColumns()
        for name in ("at", "contact", "event", "kind", "channel", "direction"):
            setattr(out, name, _spliced(getattr(self, name), places, getattr(rows, name)))
        texts = [rows.note(row).encode("utf-8", "surrogatepass") for row in range(len(rows))]
        out.notes, out.notes_end = _spliced_notes(self.notes, self.notes_end, places, texts)
        return out


def _spliced(column: Any, places: Sequence[int], values: Sequence[int]) -> Any:
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


def _codes(codes: dict[str, int], values: Sequence[str]) -> bytearray:
    """The code of each of ``values`` (a choice's value): one lookup when all are one."""
    if _all_one(values):
        return bytearray((codes[values[0]],)) * len(values)
    return bytearray(map(codes.__getitem__, values))


def _all_one(values: Sequence[Any]) -> bool:
    """Whether every one of ``values`` (some) equals the first: the last and the middle
    one are looked at before all are counted, so a mixed column costs no pass."""
    if not values:
        return False
    first = values[0]
    return (
        values[-1] == first
        and values[len(values) // 2] == first
        and values.count(first) == len(values)
    )


def read_columns(
    columns: Columns,
    contacts: Mapping[str | None, int],
    events: Mapping[str | None, int],
) -> InteractionColumns:
    """The log's columns for :data:`~netplan.core.batch.Columns`, each conversion one
    C-level pass (a map over a dict lookup, an array from a sequence), not a Python step
    per row per field. ``contacts`` and ``events`` give each id's code (None's too, when
    a row may have none).

    Raises:
        ValidationError: a value cannot be read, naming its row (``rows[3].kind``).
    """
    out = InteractionColumns()
    try:
        when, who, kind, channel, direction, where, text = columns
        if not len(when) == len(who) == len(kind) == len(channel) == len(direction):
            raise ValueError("columns of different lengths")
        if not len(when) == len(where) == len(text):
            raise ValueError("columns of different lengths")
        out.at = array("q", when)
        out.contact = array("i", map(contacts.__getitem__, who))
        if not where or (where[-1] is None and where.count(None) == len(where)):
            out.event = array("i", (NONE,)) * len(where)
        else:
            out.event = array("i", map(events.__getitem__, where))
        out.kind = _codes(_KIND_BY_VALUE, kind)
        out.channel = _codes(_CHANNEL_BY_VALUE, channel)
        out.direction = _codes(_DIRECTION_BY_VALUE, direction)
        out.notes, out.notes_end = _notes(text)
    except _READ_ERRORS:
        rows = list(itertools.zip_longest(*columns))
        raise bad_row(rows, contacts, events) from None  # type: ignore[arg-type]
    return out


def _notes(text: Sequence[str]) -> tuple[bytearray, array[int]]:
    if _all_one(text):
        # One note on every row (an import's): its bytes, repeated.
        note = text[0].encode("utf-8", "surrogatepass")
        if not note:
            return bytearray(), array("q", (0,)) * len(text)
        return (
            bytearray(note * len(text)),
            array("q", range(len(note), len(note) * len(text) + 1, len(note))),
        )
    joined = "".join(text)
    if joined.isascii():
        # One byte per character: offsets come from the texts' lengths directly.
        return bytearray(joined.encode("ascii")), array("q", itertools.accumulate(map(len, text)))
    # Encoded at once; each text's length in bytes is its length in characters but for
    # the few texts beyond ASCII (a name with an accent), which are encoded alone.
    lengths = list(map(len, text))
    for row in itertools.compress(range(len(text)), map(operator.not_, map(str.isascii, text))):
        lengths[row] = len(text[row].encode("utf-8", "surrogatepass"))
    return (
        bytearray(joined.encode("utf-8", "surrogatepass")),
        array("q", itertools.accumulate(lengths)),
    )


def bad_row(
    rows: Sequence[Row], contacts: Mapping[str | None, int], events: Mapping[str | None, int]
) -> ValidationError:
    """The first row :func:`read_columns` cannot read, found the slow way, named precisely."""
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
        (6, "notes", lambda v: cast(str, v).encode("utf-8", "surrogatepass"), "must be text"),
    )
    for number, row in enumerate(rows):
        if not isinstance(row, (tuple, list)) or len(row) != len(checks):
            return ValidationError(f"rows[{number}]", row, f"must have {len(checks)} values")
        for index, name, check, rule in checks:
            try:
                check(row[index])
            except _READ_ERRORS:
                return ValidationError(f"rows[{number}].{name}", row[index], rule)
    return ValidationError("rows", len(rows), "cannot be read")
