"""Plain sqlite3 for tests that read or damage a store's file behind its back."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def raw_sqlite(path: Path | str, **options: Any) -> Iterator[sqlite3.Connection]:
    """A connection that commits (or rolls back) at the end of the block and is closed
    there: ``with sqlite3.connect(path)`` commits but leaves it open, for the collector
    to find (Python 3.13 warns: "unclosed database")."""
    connection = sqlite3.connect(path, **options)
    try:
        with connection:
            yield connection
    finally:
        connection.close()
