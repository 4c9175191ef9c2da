"""What every CSV importer needs: finding the header row (and the delimiter it uses),
reading rows with their line, and telling the legacy encoding of a file that is not
Unicode (:func:`legacy_encoding`, which :func:`netplan.core.importing.decode_text` uses)."""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import operator
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import NamedTuple

__all__ = [
    "MAX_FIELD",
    "MAX_HEADER",
    "MAX_LINE",
    "BadCsv",
    "Header",
    "Row",
    "Table",
    "find_header",
    "locate_header",
    "rows",
    "table",
]

MAX_FIELD = 1_000_000
"""The longest field read (a whole file in one quoted cell is refused, not swallowed)."""

Row = tuple[int, dict[str, str]]
"""A row's first line number (1-based, in the whole file) and its cells by column name."""


class BadCsv(Exception):
    """The CSV cannot be read on from ``line``: an unclosed quote, a field longer than
    :data:`MAX_FIELD`."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


MAX_HEADER = 1 << 16
"""The longest line taken for a header (Google's, the widest, is about 3,000 characters):
a longer one is not split into its cells."""


def _head(text: str, lines: int) -> list[str]:
    """The first ``lines`` lines of ``text``, without splitting the whole of a large file;
    a line longer than :data:`MAX_HEADER` is given as ``""`` (it is no header)."""
    head: list[str] = []
    start = 0
    while len(head) < lines and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        head.append(text[start:end] if end - start <= MAX_HEADER else "")
        start = end + 1
    return head


class Header(NamedTuple):
    """A header row found by :func:`locate_header`."""

    line: int
    """Its index among the file's lines (0 for the first)."""
    names: list[str]
    """Its column names, trimmed."""
    delimiter: str = ","
    """What separates its cells (and so every row's)."""


DELIMITERS = ",;\t"
"""What separates cells in address books' CSV: commas; semicolons where a comma is the
decimal mark (Excel in much of Europe, Thunderbird's import accepts them); tabs
(Thunderbird's and Outlook's "tab-separated" exports)."""


def locate_header(
    text: str, required: Collection[str], *, look: int = 20, delimiters: str = DELIMITERS
) -> Header | None:
    """The first of ``text``'s first ``look`` lines that holds every name of ``required``
    (compared without case or surrounding spaces) when split at one of ``delimiters``
    (tried in their order), with its column names and that delimiter; None when none
    does. Preambles (LinkedIn's ``Notes:``) are skipped this way."""
    wanted = {name.casefold() for name in required}
    for number, line in enumerate(_head(text, look)):
        for delimiter in delimiters:
            if delimiter not in line and len(wanted) > 1:
                continue
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            names = [cell.strip() for cell in cells]
            if wanted <= {name.casefold() for name in names}:
                return Header(number, names, delimiter)
    return None


def find_header(
    text: str, required: Collection[str], *, look: int = 20
) -> tuple[int, list[str]] | None:
    """The index of the first of ``text``'s first ``look`` lines that holds every name
    of ``required`` (compared without case or surrounding spaces), and its column names;
    None when none does. Preambles (LinkedIn's ``Notes:``) are skipped this way. Cells
    are separated by commas (:func:`locate_header` tries other delimiters too)."""
    found = locate_header(text, required, look=look, delimiters=",")
    return None if found is None else (found.line, found.names)


def rows(text: str, header_line: int, columns: list[str], *, delimiter: str = ",") -> Iterator[Row]:
    """The rows after the header at line index ``header_line``, each with its line number
    and its cells by column name (missing cells are empty; extra cells are dropped).
    Rows whose cells are all blank are left out.

    The text is read a chunk of lines at a time: what reading holds besides the rows
    taken is bounded by the chunk (see :data:`MAX_LINE`), not by the file.

    Raises:
        BadCsv: where the rest of the file cannot be read as CSV.
    """
    chunks = _Chunks(text, _line_start(text, header_line + 1), header_line + 2)
    previous = csv.field_size_limit(MAX_FIELD)
    try:
        first = chunks.next()
        if first is not None:
            for line, cells in _rows_from(first, chunks, delimiter, stop=False):
                padded = [*cells, *([""] * (len(columns) - len(cells)))]
                yield line, dict(zip(columns, padded, strict=False))
        if chunks.long_line is not None:
            raise chunks.too_long()
    finally:
        csv.field_size_limit(previous)


MAX_LINE = 2 * MAX_FIELD
"""The longest line read: a row of a few fields of at most :data:`MAX_FIELD` characters
each fits, and a line of a hundred million commas (a hundred million cells) is an error at
its line, not a list of a hundred million cells."""

_FIRST = operator.itemgetter(0)
_CHUNK = 1 << 16
"""The characters of text read a step at a time: what reading holds besides the rows
kept is a few times this (the chunk split into lines, the csv module's rows for it)."""


def _line_start(text: str, line: int) -> int:
    """Where the line at index ``line`` starts (the end of the text past its last one)."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1 or len(text)
    return start


class _Chunks:
    """The text from ``pos`` on, in chunks of whole lines (each ending with its line break,
    but the text's last line), never a line longer than :data:`MAX_LINE`: reading stops
    before one, and :attr:`long_line` says which."""

    def __init__(self, text: str, pos: int, line: int) -> None:
        self.text = text
        self.pos = pos
        self.line = line
        """The number (1-based) of the next line to read."""
        self.long_line: int | None = None

    def next(self) -> str | None:
        """The next chunk, or None at the end (or at a line too long)."""
        text, pos = self.text, self.pos
        if pos >= len(text) or self.long_line is not None:
            return None
        # Cut after a line break: every line but the last is shorter than a chunk, so only
        # the last can be too long, and the chunk is then longer than MAX_LINE.
        cut = text.find("\n", pos + _CHUNK) if pos + _CHUNK < len(text) else -1
        end = len(text) if cut < 0 else cut + 1
        if end - pos > MAX_LINE:
            last = max(pos, text.rfind("\n", pos, end - 1) + 1)
            if end - last - (text[end - 1] == "\n") > MAX_LINE:
                self.long_line = self.line + text.count("\n", pos, last)
                end = last
                if end == pos:
                    return None
        chunk = text[pos:end]
        self.pos = end
        self.line += chunk.count("\n") + (not chunk.endswith("\n"))
        return chunk

    def too_long(self) -> BadCsv:
        return BadCsv(
            self.long_line or self.line,
            f"the line is longer than {MAX_LINE:,} characters; the rows before it are kept",
        )


class _Feed:
    """The lines of the chunks for the csv module, one at a time with its line break (a
    quoted field keeps its own), a chunk held at a time. Between rows, :meth:`skip_blank`
    steps over the lines of nothing but spaces and delimiters without the csv module
    making a row of each."""

    def __init__(self, chunks: _Chunks, chunk: str, delimiter: str) -> None:
        self.chunks = chunks
        self.blank = " \t\n" + delimiter
        self.ended = False
        """The chunks ran out (the text's end, or a line too long)."""
        self._load(chunk, chunks.line - chunk.count("\n") - (not chunk.endswith("\n")))

    def _load(self, chunk: str, base: int) -> None:
        # StringIO splits at line feeds only, as the csv module reads a file.
        self.lines = io.StringIO(chunk).readlines()
        self.base = base
        self.place = 0
        self.filled = list(
            itertools.compress(
                range(len(self.lines)), map(str.strip, self.lines, itertools.repeat(self.blank))
            )
        )

    def _more(self) -> bool:
        chunk = self.chunks.next()
        if chunk is None:
            self.ended = True
            return False
        self._load(chunk, self.base + len(self.lines))
        return True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.place >= len(self.lines) and not self._more():
            raise StopIteration
        self.place += 1
        return self.lines[self.place - 1]

    @property
    def line(self) -> int:
        """The number of the next line."""
        return self.base + self.place

    def rest_blank(self) -> bool:
        """Whether the rest of the chunk is blank lines."""
        return bisect.bisect_left(self.filled, self.place) == len(self.filled)

    def skip_blank(self) -> None:
        """Step to the next line that is not blank (call it between rows only)."""
        while True:
            found = bisect.bisect_left(self.filled, self.place)
            if found < len(self.filled):
                self.place = self.filled[found]
                return
            self.place = len(self.lines)
            if not self._more():
                return


def _rows_from(
    chunk: str, chunks: _Chunks, delimiter: str, *, stop: bool
) -> Iterator[tuple[int, list[str]]]:
    """The rows that are not blank from ``chunk`` on (the chunks' lines before it read),
    each with its first line, one row at a time (a row may span lines). With ``stop``,
    it ends at the first end of a row that is the end of a chunk (the rest can be read
    fast again).

    Raises:
        BadCsv: where the text stops being CSV (or has a line too long).
    """
    feed = _Feed(chunks, chunk, delimiter)
    reader = csv.reader(feed, strict=True, delimiter=delimiter)
    while True:
        feed.skip_blank()
        start = feed.line
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if feed.ended and chunks.long_line is not None:
                raise chunks.too_long() from None  # a row cut short by the line too long
            raise BadCsv(start, str(error)) from None
        if "".join(cells).strip():
            yield start, cells
        if stop and feed.rest_blank():
            return


class Table(NamedTuple):
    """The rows after a header, column by column (see :func:`table`)."""

    lines: Sequence[int]
    """Each row's first line (1-based, in the whole file)."""
    cells: dict[str, Sequence[str]]
    """Each column's cells, by column name, in the rows' order (missing cells empty)."""
    error: BadCsv | None
    """Where the file stops being CSV (the rows before it are kept), or None."""
    overflow: frozenset[int] = frozenset()
    """The rows (by place) whose named cells are all blank but that have something in
    cells past them, which :attr:`cells` leaves out: such a row is not blank."""


def table(text: str, header_line: int, columns: list[str], *, delimiter: str = ",") -> Table:
    """:func:`rows` column by column, for large files: the csv module reads a chunk of
    lines in one call when each of its rows is one line (the usual case), and Python then
    works on whole columns, not on a dictionary per row; a chunk with a row on several
    lines, or where the CSV breaks, is read row by row.

    Rows whose cells are all blank (empty lines, lines of spaces or of delimiters, quoted
    empty cells) cost nothing: they are dropped before anything is kept for them. What
    reading holds besides the cells kept is bounded by a chunk, not by the file."""
    width = len(columns)
    cells: list[list[str]] = [[] for _ in columns]
    numbers: list[int] = []
    overflow: list[int] = []
    error: BadCsv | None = None
    chunks = _Chunks(text, _line_start(text, header_line + 1), header_line + 2)
    blank = " \t" + delimiter
    previous = csv.field_size_limit(MAX_FIELD)
    try:
        while (chunk := chunks.next()) is not None:
            if _fast(chunk, chunks.line, delimiter, blank, width, cells, numbers, overflow):
                continue
            try:
                for line, row in _rows_from(chunk, chunks, delimiter, stop=True):
                    _take(line, row, width, cells, numbers, overflow)
            except BadCsv as bad:
                error = bad
                break
        if error is None and chunks.long_line is not None:
            error = chunks.too_long()
    finally:
        csv.field_size_limit(previous)
    first = header_line + 2
    lines: Sequence[int] = numbers
    if error is None and (
        not numbers or numbers[-1] - numbers[0] == len(numbers) - 1 == numbers[-1] - first
    ):
        lines = range(first, first + len(numbers))  # every line a row: a range, no list
    return Table(lines, dict(zip(columns, cells, strict=True)), error, frozenset(overflow))


def _fast(
    chunk: str,
    after: int,
    delimiter: str,
    blank: str,
    width: int,
    cells: list[list[str]],
    numbers: list[int],
    overflow: list[int],
) -> bool:
    """Read ``chunk`` (its lines end before line ``after``) in one call to the csv
    module, its rows into the columns; False, having taken nothing, when one of its rows
    spans lines or the CSV breaks."""
    parts = chunk.split("\n")
    if chunk.endswith("\n"):
        parts.pop()  # the last line break ends a line, it does not start one
    numbered: Iterable[int] = range(after - len(parts), after)
    # Lines of nothing but spaces and delimiters are blank rows: dropped before the csv
    # module makes a list for each. (One inside a quoted field leaves the lines around it
    # read as one row on several lines, which the check below sends to the row reader.)
    kept = list(map(str.strip, parts, itertools.repeat(blank)))
    if not all(kept):
        parts = list(itertools.compress(parts, kept))
        numbered = itertools.compress(numbered, kept)
    del kept
    reader = csv.reader(parts, strict=True, delimiter=delimiter)
    try:
        read = list(reader)
    except csv.Error:
        return False
    if len(read) != len(parts):
        return False  # a row on several lines
    # Rows of quoted blanks ('"",""', '" "') are blank too.
    if not all(map(any, read)) or not all(map(str.strip, map(_FIRST, read))):
        filled = list(map(str.strip, map("".join, read)))
        read = list(itertools.compress(read, filled))
        numbered = itertools.compress(numbered, filled)
    if not read:
        return True
    start = len(numbers)
    numbers.extend(numbered)
    try:
        transposed: list[tuple[str, ...]] = list(zip(*read, strict=True))
    except ValueError:
        transposed = []  # rows of different lengths
    if len(transposed) != width:
        for place, row in enumerate(read):
            if len(row) > width and not "".join(row[:width]).strip():
                overflow.append(start + place)
        transposed = list(
            zip(*[[*row, *[""] * (width - len(row))][:width] for row in read], strict=True)
        )
    for column, values in zip(cells, transposed, strict=True):
        column.extend(values)
    return True


def _take(
    line: int,
    row: list[str],
    width: int,
    cells: list[list[str]],
    numbers: list[int],
    overflow: list[int],
) -> None:
    """One row (not blank) into the columns."""
    if len(row) > width and not "".join(row[:width]).strip():
        overflow.append(len(numbers))
    numbers.append(line)
    padded = [*row, *[""] * (width - len(row))]
    for column, value in zip(cells, padded, strict=False):
        column.append(value)
