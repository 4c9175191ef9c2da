"""What every CSV importer needs: finding the header row (and the delimiter it uses),
reading rows with their line, and telling the legacy encoding of a file that is not
Unicode (:func:`legacy_encoding`, which :func:`netplan.importing.decode_text` uses)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator, Sequence
from typing import NamedTuple

__all__ = [
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


def _head(text: str, lines: int) -> list[str]:
    """The first ``lines`` lines of ``text``, without splitting the whole of a large file."""
    end = -1
    for _ in range(lines):
        end = text.find("\n", end + 1)
        if end < 0:
            return text.split("\n")[:lines]
    return text[:end].split("\n")


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

    Raises:
        BadCsv: where the rest of the file cannot be read as CSV.
    """
    body = "\n".join(text.split("\n")[header_line + 1 :])
    # strict: an unclosed quote is an error at its line, not a field swallowing the rest.
    reader = csv.reader(io.StringIO(body), strict=True, delimiter=delimiter)
    previous = csv.field_size_limit(MAX_FIELD)
    try:
        while True:
            start = reader.line_num + header_line + 2
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise BadCsv(start, str(error)) from None
            if not any(cell.strip() for cell in cells):
                continue
            padded = [*cells, *([""] * (len(columns) - len(cells)))]
            yield start, dict(zip(columns, padded, strict=False))
    finally:
        csv.field_size_limit(previous)


class Table(NamedTuple):
    """The rows after a header, column by column (see :func:`table`)."""

    lines: Sequence[int]
    """Each row's first line (1-based, in the whole file)."""
    cells: dict[str, Sequence[str]]
    """Each column's cells, by column name, in the rows' order (missing cells empty)."""
    error: BadCsv | None
    """Where the file stops being CSV (the rows before it are kept), or None."""
    overflow: frozenset[int] = frozenset()
    """The rows (by place) with something in cells past the named columns, which
    :attr:`cells` leaves out: such a row is not blank, whatever its named cells hold."""


def table(text: str, header_line: int, columns: list[str], *, delimiter: str = ",") -> Table:
    """:func:`rows` column by column, for large files: the csv module reads the whole
    body in one call when every row is one line (the usual case), and Python then works
    on whole columns, not on a dictionary per row. Unlike :func:`rows`, rows whose cells
    are all blank are kept (a reader trims its columns anyway, and tells them then)."""
    start = 0
    for _ in range(header_line + 1):
        start = text.find("\n", start) + 1 or len(text)
    lines = text[start:].split("\n")
    if lines and not lines[-1]:
        lines.pop()  # the file's last line break ends a line, it does not start one
    # A list of lines reads faster than a StringIO (which copies the text four-wide).
    reader = csv.reader(lines, strict=True, delimiter=delimiter)
    previous = csv.field_size_limit(MAX_FIELD)
    try:
        try:
            read: list[list[str]] | None = list(reader)
        except csv.Error:
            read = None
    finally:
        csv.field_size_limit(previous)
    if read is None or reader.line_num != len(read):
        # A broken row, or one on several lines.
        return _table_of_rows(text, header_line, columns, delimiter)
    first = header_line + 2
    numbers = range(first, first + len(read))
    width = len(columns)
    try:
        transposed: list[Sequence[str]] = list(zip(*read, strict=True)) if read else []
    except ValueError:
        transposed = []  # rows of different lengths
    overflow: frozenset[int] = frozenset()
    if len(transposed) != width:
        padded = [[*cells, *[""] * (width - len(cells))][:width] for cells in read]
        transposed = list(zip(*padded, strict=True)) if read else [()] * width
        overflow = frozenset(
            row for row, cells in enumerate(read) if "".join(cells[width:]).strip()
        )
    return Table(numbers, dict(zip(columns, transposed, strict=True)), None, overflow)


def _table_of_rows(text: str, header_line: int, columns: list[str], delimiter: str) -> Table:
    lines: list[int] = []
    cells: dict[str, list[str]] = {name: [] for name in columns}
    error = None
    try:
        for line, row in rows(text, header_line, columns, delimiter=delimiter):
            lines.append(line)
            for name, column in cells.items():
                column.append(row[name])
    except BadCsv as bad:
        error = bad
    # rows() leaves blank rows out: one whose named cells are blank has more past them.
    overflow = frozenset(
        place for place in range(len(lines)) if not any(c[place].strip() for c in cells.values())
    )
    return Table(lines, dict(cells), error, overflow)
