"""How the command prints: aligned tables and colour on a terminal, the same text
without colour when piped, JSON for scripts.

click strips the colour codes itself when the output is not a terminal (or under
``NO_COLOR``), so every printer writes styled text and lets click decide.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import unicodedata
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


def _width(text: str) -> int:
    # East Asian wide characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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
        self, headers: Sequence[str], rows: Sequence[Sequence[object]], *, empty: str = ""
    ) -> None:
        """Columns padded to their widest cell; a cell may be ``(text, colour)``. With no
        rows, the line ``empty`` says so (and what to do) instead of bare headers."""
        if self.as_json:
            return
        if not rows:
            if empty:
                self.line(f"  {empty}")
            return
        cells = [[_cell(value) for value in row] for row in rows]
        widths = [_width(h) for h in headers]
        for row in cells:
            for i, (text, _) in enumerate(row):
                widths[i] = max(widths[i], _width(text))

        def render(row: Sequence[tuple[str, str | None]]) -> str:
            parts = []
            for i, (text, colour) in enumerate(row):
                pad = " " * (widths[i] - _width(text))
                shown = click.style(text, fg=colour) if colour else text
                parts.append(shown + pad if i < len(row) - 1 else shown)
            return "  ".join(parts).rstrip()

        click.echo(click.style(render([(h, None) for h in headers]), bold=True), color=self.colour)
        for row in cells:
            click.echo(render(row), color=self.colour)

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


def _cell(value: object) -> tuple[str, str | None]:
    if isinstance(value, tuple) and len(value) == 2:
        return str(value[0]), value[1]
    return ("" if value is None else str(value)), None


def severity(name: str) -> tuple[str, str | None]:
    return name, _SEVERITY_COLOUR.get(name)


def status(name: str) -> tuple[str, str | None]:
    return name.replace("_", " "), _STATUS_COLOUR.get(name)
