"""How the command prints: tables, colour and bars on a terminal (rich), the same
columns as plain text when piped, JSON for scripts.

Lines go through click, which strips colour codes itself when the output is not a
terminal (or under ``NO_COLOR``); tables through rich on a terminal, imported when a
table is printed (a command that prints none, such as ``netplan log``, does not pay for
it). Piped, a table of one-line texts is laid out as rich would lay it out
(:func:`piped_lines`, with rich's measure of each text's width), without its console.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import json
import os
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs
import click

from netplan.core.agenda import Agenda, AgendaItem
from netplan.core.errors import ValidationError
from netplan.core.importing import Conflict, Imported, ImportReport, Problem
from netplan.stores.serialize import to_data

_SEVERITY_COLOUR = {"info": "cyan", "warning": "yellow", "urgent": "red", "failed": "magenta"}
_STATUS_COLOUR = {
    "done": "green",
    "ahead": "green",
    "on_track": "green",
    "at_risk": "yellow",
    "behind": "red",
    "missed": "red",
}


class Output:
    """Where a command's results go."""

    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json
        self.colour: bool | None = False if os.environ.get("NO_COLOR") else None

    def line(self, text: str = "", **style: Any) -> None:
        if not self.as_json:
            click.echo(click.style(text, **style) if style else text, color=self.colour)

    def heading(self, text: str) -> None:
        self.line(text, bold=True)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        empty: str = "",
        numeric: Sequence[int] = (),
        title: str = "",
    ) -> None:
        """Columns as wide as their widest cell (rich measures East Asian wide characters
        as two), ``numeric`` ones aligned right; a cell may be ``(text, colour)`` or a
        :class:`Bar`. On a terminal: a header rule, colour and bars; piped: the same
        columns as plain text, two spaces apart, never wrapped. ``title`` is printed above
        the table. With no rows, the line ``empty`` says so (and what to do) instead of
        bare headers."""
        if self.as_json:
            return
        if not rows:
            if empty:
                self.line(f"  {empty}")
            return
        if not title and not self.terminal:
            texts = [[_piped_text(value) for value in row] for row in rows]
            lines = piped_lines(headers, texts, numeric)
            if lines is not None:
                click.echo("\n".join(lines))
                return
        from rich import box
        from rich.table import Table

        console = self._console()
        terminal = console.is_terminal
        table = Table(
            box=box.SIMPLE_HEAD if terminal else None,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1),
            header_style="bold",
            title=title or None,
            title_justify="left",
            title_style="bold",
        )
        right = set(numeric)
        for i, header in enumerate(headers):
            # Numbers and bars keep their line; words wrap when the terminal is narrow.
            table.add_column(
                header,
                justify="right" if i in right else "left",
                no_wrap=not terminal or i in right,
            )
        for row in rows:
            table.add_row(*(_rich_cell(value, terminal) for value in row))
        if terminal:
            console.print(table)
            return
        with console.capture() as captured:
            console.print(table)
        # Piped: no padding after the last column (a script's line.endswith() holds).
        click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))

    @property
    def terminal(self) -> bool:
        """Whether tables go to a terminal (drawn, coloured) rather than a pipe."""
        return not self.as_json and sys.stdout.isatty()

    def _console(self) -> Any:
        from rich.console import Console

        # The stream of the moment (a test captures it); piped, as wide as the rows are,
        # so a long name is never folded onto a second line.
        stream = sys.stdout
        terminal = stream.isatty()
        return Console(
            file=stream,
            no_color=self.colour is False,
            highlight=False,
            emoji=False,
            width=None if terminal else 100_000,
            force_terminal=terminal,
        )

    def json(self, data: object) -> None:
        """``data`` as JSON, when ``--json`` asked for it: netplan's own data format
        where it has one (plans, reviews, records), else the fields as they are."""
        if self.as_json:
            click.echo(json.dumps(_jsonable(data), indent=2, ensure_ascii=False, default=str))


_FIELD_BY_FIELD = (Agenda, AgendaItem, Imported, ImportReport, Conflict, Problem)
"""Results the command prints field by field (docs/cli.md), as it did before
:func:`to_data` took them: its data without the envelope, the same JSON."""


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, _FIELD_BY_FIELD):
        return _with_keys(value, to_data(value)["data"])
    if attrs.has(type(value)):
        try:
            return to_data(value)
        except ValidationError:  # not one of the types netplan stores: its fields
            return attrs.asdict(value, value_serializer=_plain)  # type: ignore[arg-type]
    return _plain(None, None, value)


def _with_keys(value: object, data: Any) -> Any:
    """An agenda item's data with its ``key``, what ``netplan done``, ``snooze`` and
    ``skip`` take (docs/cli.md): a property, so not among the fields."""
    if isinstance(value, AgendaItem):
        return {**data, "key": value.key}
    if isinstance(value, Agenda):
        items = [{**d, "key": item.key} for item, d in zip(value.items, data["items"], strict=True)]
        return {**data, "items": items}
    return data


def _plain(instance: object, attribute: object, value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, frozenset):
        return sorted(value, key=str)
    return value


@attrs.frozen
class Bar:
    """A table cell showing how far something is: ``done`` out of 1 (a bar in
    ``colour``, on a terminal); piped, the share done in words (``"33%"``)."""

    done: float
    colour: str | None = None
    width: int = 8


def piped_lines(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> list[str] | None:
    """The lines rich prints for a piped table of these texts (no box, columns two
    spaces apart, ``numeric`` ones aligned right, no padding after the last), laid out
    without importing rich's console and table, which were most of what printing a
    piped review cost. Widths are rich's own measure (a CJK character is two cells).
    None when a text is not one line of printable characters (a tab, a newline, a
    control code): rich lays those out."""
    from rich.cells import cell_len

    table = [list(headers), *map(list, rows)]
    if not all(text.isprintable() for row in table for text in row):
        return None
    widths = [max(map(cell_len, column)) for column in itertools.zip_longest(*table, fillvalue="")]
    right = set(numeric)
    lines = []
    for row in table:
        cells = [
            f"{' ' * (width - cell_len(text))}{text}" if i in right else
            f"{text}{' ' * (width - cell_len(text))}"
            for i, (text, width) in enumerate(zip(row, widths, strict=False))
        ]  # fmt: skip
        lines.append("  ".join(cells).rstrip())
    return lines


def _piped_text(value: object) -> str:
    """A cell's text when piped (:func:`_rich_cell` without a terminal, as text)."""
    if isinstance(value, Bar):
        return f"{max(0.0, min(1.0, value.done)):.0%}"
    return _cell(value)[0]


def _rich_cell(value: object, terminal: bool) -> Any:
    from rich.text import Text

    if isinstance(value, Bar):
        done = max(0.0, min(1.0, value.done))
        if not terminal:
            return Text(f"{done:.0%}")
        from rich.progress_bar import ProgressBar

        return ProgressBar(
            total=1.0,
            completed=done,
            width=value.width,
            complete_style=value.colour or "green",
            finished_style=value.colour or "green",
        )
    text, colour = _cell(value)
    # Text, not markup: a name such as "[bold]Lena" is printed as it is.
    return Text(text, style=colour or "")


def _cell(value: object) -> tuple[str, str | None]:
    if isinstance(value, tuple) and len(value) == 2:
        return str(value[0]), value[1]
    return ("" if value is None else str(value)), None


def severity(name: str) -> tuple[str, str | None]:
    return name, _SEVERITY_COLOUR.get(name)


def status(name: str) -> tuple[str, str | None]:
    return name.replace("_", " "), _STATUS_COLOUR.get(name)
