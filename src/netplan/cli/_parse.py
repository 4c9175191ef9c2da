"""Reading what a person types on the command line into netplan's values.

Each parser raises :class:`click.BadParameter` with the accepted forms, so a typo gets one
line saying what was expected, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re

import click

from netplan.core.goals import Target
from netplan.core.network import Segment
from netplan.core.schedule import Once, Quota, Recurrence, Schedule
from netplan.core.zones import Zone

_TARGET = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d+)?)\s+(?P<metric>[a-z0-9][a-z0-9_.:-]*)\s+"
    r"(?:per\s+(?P<per>[a-z]+)|by\s+(?P<by>\d{4}-\d{2}-\d{2}))"
    r"(?P<segment>(?:\s+[a-z_]+=\S+)*)\s*$",
    re.IGNORECASE,
)
_SEGMENT_KEYS = ("tag", "tier", "industry", "organization")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_NTH = re.compile(r"^(?P<n>-?[1-5])(?:st|nd|rd|th)?\s+(?P<day>[a-z]{2})[a-z]*$", re.IGNORECASE)
_QUOTA = re.compile(r"^(?P<count>\d+)\s+(?:per|a|each)\s+(?P<per>[a-z]+)$", re.IGNORECASE)

TARGET_FORMS = "'4 new_contacts per month', '5 referrals by 2027-09-30', '2 events_attended per month tag=climate'"
"""How targets are written; a plugin's metric is named as it registers it (``example:people_introduced``)."""
SCHEDULE_FORMS = (
    "'weekly FR', 'every other TU', '2nd TU' (monthly), 'monthly', 'daily', "
    "'2 per month' (a quota), 'once 2027-03-31', or RRULE text 'FREQ=WEEKLY;BYDAY=MO,TH'"
)


def day(text: str, what: str = "date", *, today: dt.date | None = None) -> dt.date:
    """``2026-12-15``, or ``today``, ``tomorrow`` or ``yesterday`` (``today`` is the
    plan's day, given by the command; without it, the words are refused)."""
    words = {"today": 0, "tomorrow": 1, "yesterday": -1}
    word = text.strip().lower()
    if word in words and today is not None:
        return today + dt.timedelta(days=words[word])
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        also = ", or today" if today is not None else ""
        raise click.BadParameter(
            f"{text!r} is not a {what}: write it as YYYY-MM-DD (2026-12-15){also}"
        ) from None


def instant(text: str | None, zone: Zone, now: dt.datetime) -> dt.datetime:
    """``2026-12-08 19:30`` (in the plan's zone unless it names one, as
    ``2026-12-08 19:30+01:00``), a day (noon there, so no zone moves it to another day),
    or None for ``now``; in UTC, as netplan keeps instants. A time the clocks skip (02:30
    on the night they go forward) is read as the same time after the change."""
    if text is None:
        return now
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a time: write it as '2026-12-08 19:30' or '2026-12-08'"
        ) from None
    if len(text.strip()) == 10:  # a bare day: noon, so no zone moves it to another day
        value = value.replace(hour=12)
    return zone.local(value)


def segment(text: str) -> Segment | None:
    """``tag=climate industry=energy`` as a segment, None when empty."""
    values: dict[str, str] = {}
    for part in text.split():
        key, _, value = part.partition("=")
        if key not in _SEGMENT_KEYS or not value:
            raise click.BadParameter(
                f"{part!r} is not a segment: use {', '.join(k + '=...' for k in _SEGMENT_KEYS)}"
            )
        values[key] = value
    return Segment(**values) if values else None


def target(text: str) -> Target:
    """A target as typed: see :data:`TARGET_FORMS`."""
    found = _TARGET.match(text)
    if found is None:
        raise click.BadParameter(f"{text!r} is not a target; write it like {TARGET_FORMS}")
    amount_text = found["amount"]
    amount: int | float = float(amount_text) if "." in amount_text else int(amount_text)
    return Target(
        amount,
        found["metric"].lower(),
        per=found["per"].lower() if found["per"] else None,
        by=day(found["by"]) if found["by"] else None,
        segment=segment(found["segment"]),
    )


def schedule(text: str, start: dt.date) -> Schedule:
    """A schedule as typed: see :data:`SCHEDULE_FORMS`."""
    words = " ".join(text.split())
    lowered = words.lower()
    if lowered.startswith("freq="):
        return Recurrence(words.upper(), start)
    if lowered == "daily":
        return Recurrence.daily(start)
    if lowered == "monthly":
        return Recurrence.monthly(start=start)
    if lowered.startswith("once "):
        return Once(day(words[5:]))
    if lowered.startswith(("weekly ", "every other ")):
        weekday = _weekday(words.split()[-1], text)
        if lowered.startswith("weekly "):
            return Recurrence.weekly(weekday, start=start)
        return Recurrence.every_other(weekday, start=start)
    nth = _NTH.match(words)
    if nth is not None:
        weekday = _weekday(nth["day"], text)
        return Recurrence.nth_weekday(weekday, int(nth["n"]), start=start)
    quota = _QUOTA.match(words)
    if quota is not None:
        return Quota(int(quota["count"]), quota["per"].lower())
    raise click.BadParameter(f"{text!r} is not a schedule; write it like {SCHEDULE_FORMS}")


def _weekday(text: str, whole: str) -> str:
    code = text[:2].upper()
    if code not in _WEEKDAYS:
        raise click.BadParameter(
            f"{text!r} in {whole!r} is not a day of the week: use {', '.join(_WEEKDAYS)}"
        )
    return code


def rating(text: str) -> tuple[str, int, int | None]:
    """``following_up=2`` or ``following_up=2/4`` (level, and the level aimed for)."""
    skill, _, levels = text.partition("=")
    level, _, desired = levels.partition("/")
    try:
        return skill.strip(), int(level), int(desired) if desired else None
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a rating: write SKILL=LEVEL or SKILL=LEVEL/AIM, "
            "as following_up=2/4 (levels 1 to 5)"
        ) from None
