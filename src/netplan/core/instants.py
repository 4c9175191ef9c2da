"""Instants as the activity log, its indexes and the stores keep them: whole
microseconds since 1970-01-01 UTC, in one 64-bit integer each.

One definition of the epoch for every module that counts from it: a log read from a
store, a zone's day boundaries and a calendar's instants agree to the microsecond.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["EARLIEST_MICROS", "EPOCH", "LATEST_MICROS", "MICROSECOND", "from_micros", "to_micros"]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""The instant the microseconds count from."""
MICROSECOND = dt.timedelta(microseconds=1)
EARLIEST_MICROS = (dt.datetime.min.replace(tzinfo=dt.UTC) - EPOCH) // MICROSECOND
"""The first instant a ``datetime`` holds (year 1, UTC), in microseconds."""
LATEST_MICROS = (dt.datetime.max.replace(tzinfo=dt.UTC) - EPOCH) // MICROSECOND
"""The last instant a ``datetime`` holds (year 9999, UTC), in microseconds."""


def to_micros(at: dt.datetime) -> int:
    """``at`` (timezone-aware) in microseconds since :data:`EPOCH`."""
    return (at - EPOCH) // MICROSECOND


def from_micros(micros: int) -> dt.datetime:
    """The instant (in UTC) ``micros`` microseconds after :data:`EPOCH`."""
    return EPOCH + dt.timedelta(microseconds=micros)
