"""What every CSV importer needs: finding the header row, reading rows with their line."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator

__all__ = ["BadCsv", "Row", "find_header", "rows"]

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


def find_header(
    text: str, required: Collection[str], *, look: int = 20
) -> tuple[int, list[str]] | None:
    """The index of the first of ``text``'s first ``look`` lines that holds every name
    of ``required`` (compared without case or surrounding spaces), and its column names;
    None when none does. Preambles (LinkedIn's ``Notes:``) are skipped this way."""
    wanted = {name.casefold() for name in required}
    for number, line in enumerate(text.split("\n")[:look]):
        try:
            cells = next(csv.reader([line]))
        except (csv.Error, StopIteration):
            continue
        names = [cell.strip() for cell in cells]
        if wanted <= {name.casefold() for name in names}:
            return number, names
    return None


def rows(text: str, header_line: int, columns: list[str]) -> Iterator[Row]:
    """The rows after the header at line index ``header_line``, each with its line number
    and its cells by column name (missing cells are empty; extra cells are dropped).

    Raises:
        BadCsv: where the rest of the file cannot be read as CSV.
    """
    body = "\n".join(text.split("\n")[header_line + 1 :])
    # strict: an unclosed quote is an error at its line, not a field swallowing the rest.
    reader = csv.reader(io.StringIO(body), strict=True)
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
