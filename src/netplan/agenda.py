"""Step 4's daily question, "what do I do now?": the agenda for a range of days.

``agenda(plan, log, start, end)`` lists, from the plan and what the log says was done:

* **follow-ups owed**: a person met (an interaction of a kind in the plan's follow-up
  policy) with no follow-up, message, call or coffee since, due ``within_days`` after,
  until the policy gives up on it (``give_up_days`` overdue);
* **keep-in-touch reminders**: a person whose cadence (contact > tag > tier rule) is due,
  counted from the last interaction of any kind (someone never interacted with has no
  clock to count from, and no reminder);
* **planned actions**: the occurrences of the plan's scheduled actions.

Items due before ``end`` are listed, overdue ones included, by priority: days overdue (on
``as_of``, default ``start``) weighted by the person's tier (a: 3, b: 2, others: 1). Days
of instants are read in UTC. Pure: the same inputs give the same agenda.

Each item has a :attr:`~AgendaItem.key` (kind, subject, due day). ``plan.snooze(item,
until)`` moves it to ``until`` (listed, and counted overdue, from then); ``plan.skip(item)``
drops it. Both are stored with the plan, and apply to that one item: a later meeting, a
new interaction or the next occurrence gives a new item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from attrs import frozen

from netplan._validation import Choice
from netplan.log import ActivityLog
from netplan.network import FOLLOW_UP_KINDS
from netplan.periods import check_range
from netplan.plan import Plan

__all__ = [
    "Agenda",
    "AgendaItem",
    "ItemKind",
    "OwedFollowUp",
    "agenda",
    "item_key",
    "owed_follow_ups",
]

_TIER_WEIGHT = {"a": 3, "b": 2}


class ItemKind(Choice):
    """What an agenda item asks for."""

    FOLLOW_UP = "follow_up"
    KEEP_IN_TOUCH = "keep_in_touch"
    ACTION = "action"


@frozen
class AgendaItem:
    """One thing to do, with when it is due and why."""

    kind: ItemKind
    due: dt.date
    reason: str
    priority: float
    overdue_days: int
    contact: str | None = None
    action: str | None = None
    goals: tuple[str, ...] = ()
    snoozed_from: dt.date | None = None
    """The day the item was first due, when a snooze moved it."""

    @property
    def key(self) -> str:
        """Identifies this item for :meth:`netplan.Plan.snooze` and :meth:`~netplan.Plan.skip`."""
        return item_key(self.kind, self.contact or self.action, self.snoozed_from or self.due)


@frozen
class Agenda:
    """What is due in ``[start, end)``, and what is overdue on ``as_of``, most pressing first."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    items: tuple[AgendaItem, ...]

    def __str__(self) -> str:
        lines = [f"Agenda {self.start} to {self.end} (as of {self.as_of})"]
        for item in self.items:
            days = "day" if item.overdue_days == 1 else "days"
            late = f", {item.overdue_days} {days} overdue" if item.overdue_days else ""
            lines.append(f"  {item.due}  {item.reason}{late}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The agenda as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        from netplan.notebook.html import agenda_html

        return agenda_html(self)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one row per item, most pressing first (needs pandas:
        the ``pandas`` extra). See :func:`netplan.notebook.frames.agenda_frame`."""
        from netplan.notebook.frames import agenda_frame

        return agenda_frame(self)


@frozen
class OwedFollowUp:
    """A person met and not followed up since: when, and when the follow-up is due."""

    contact: str
    met: dt.datetime
    due: dt.date


def owed_follow_ups(
    plan: Plan,
    log: ActivityLog,
    end: dt.date,
    today: dt.date,
    *,
    contacts: Collection[str] | None = None,
) -> tuple[OwedFollowUp, ...]:
    """Follow-ups the plan's policy asks for, due before ``end`` and not given up on
    ``today``, in the order the people were met (of ``contacts`` only, if given).

    A person's latest meeting before ``end`` counts; any later follow-up, message, call or
    coffee answers it. Only meetings that can still be owed are read (the policy's
    ``within_days`` plus ``give_up_days`` before ``today``), through the log's time index,
    so the cost follows the recent activity, not the size of the network.
    """
    policy = plan.follow_up
    if policy is None:
        return ()
    earliest = min(today, end) - dt.timedelta(days=policy.within_days + policy.give_up_days)
    organizations = log.organizations_by_id()
    owed: list[OwedFollowUp] = []
    unanswered = log.unanswered(
        earliest, end, kind=policy.after, answer=FOLLOW_UP_KINDS, contacts=contacts
    )
    for contact_id, met in unanswered:
        due = policy.due(met).date()
        if due >= end or (today - due).days > policy.give_up_days:
            continue
        if policy.segment is not None:
            contact = log.contact(contact_id)
            if not policy.segment.matches(contact, organizations.get(contact.organization or "")):
                continue
        owed.append(OwedFollowUp(contact_id, met, due))
    return tuple(owed)


def item_key(kind: ItemKind, subject: str | None, due: dt.date) -> str:
    return f"{kind.value}:{subject}:{due.isoformat()}"


def agenda(
    plan: Plan, log: ActivityLog, start: dt.date, end: dt.date, *, as_of: dt.date | None = None
) -> Agenda:
    """The agenda for the days ``[start, end)``; overdue days are counted on ``as_of``."""
    check_range(start, end, "agenda")
    today = start if as_of is None else as_of
    items: list[AgendaItem] = []
    put_off = {s.item: s.until for s in plan.snoozed}

    def add(
        kind: ItemKind,
        due: dt.date,
        reason: str,
        weight: int,
        *,
        contact: str | None = None,
        action: str | None = None,
        goals: tuple[str, ...] = (),
    ) -> None:
        key = item_key(kind, contact or action, due)
        snoozed_from = None
        if key in put_off:
            until = put_off[key]
            if until is None or until >= end:
                return
            snoozed_from, due = due, until
            reason = f"{reason} (snoozed from {snoozed_from})"
        overdue = max(0, (today - due).days)
        priority = float(weight * (1 + overdue))
        items.append(
            AgendaItem(kind, due, reason, priority, overdue, contact, action, goals, snoozed_from)
        )

    for owed in owed_follow_ups(plan, log, end, today):
        contact = log.contact(owed.contact)
        add(
            ItemKind.FOLLOW_UP,
            owed.due,
            f"Follow up with {contact.name} (met {owed.met.date()})",
            _TIER_WEIGHT.get(contact.tier or "", 1),
            contact=contact.id,
        )
    if plan.keep_in_touch:
        for contact in log.contacts:
            cadence = plan.cadence_for(contact)
            last = log.last_interaction(contact.id) if cadence is not None else None
            if cadence is None or last is None:
                continue
            ideal, _ = cadence.due(last)
            if ideal.date() < end:
                add(
                    ItemKind.KEEP_IN_TOUCH,
                    ideal.date(),
                    f"Get in touch with {contact.name} (every {cadence.ideal_days} days, "
                    f"{cadence.source}; last {last.date()})",
                    _TIER_WEIGHT.get(contact.tier or "", 1),
                    contact=contact.id,
                )
    for occurrence in plan.occurrences(start, end):
        action = plan.action(occurrence.action)
        when = (
            ""
            if occurrence.on == occurrence.until
            else f" ({occurrence.count} by {occurrence.until})"
        )
        add(
            ItemKind.ACTION,
            occurrence.until,
            f"{action.title}{when}",
            1,
            action=action.id,
            goals=tuple(sorted(action.goals)),
        )
    items.sort(key=lambda i: (-i.priority, i.due, i.reason))
    return Agenda(start, end, today, tuple(items))
