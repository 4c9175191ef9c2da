"""Step 4's daily question, "what do I do now?": the agenda for a range of days.

``agenda(plan, log, start, end)`` lists, from the plan and what the log says was done:

* **follow-ups owed**: a person met (an interaction of a kind in the plan's follow-up
  policy) with no follow-up, message, call or coffee since, due ``within_days`` after;
* **keep-in-touch reminders**: a person whose cadence (contact > tag > tier rule) is due,
  counted from the last interaction of any kind (someone never interacted with has no
  clock to count from, and no reminder);
* **planned actions**: the occurrences of the plan's scheduled actions.

Items due before ``end`` are listed, overdue ones included, by priority: days overdue (on
``as_of``, default ``start``) weighted by the person's tier (a: 3, b: 2, others: 1). Days
of instants are read in UTC. Pure: the same inputs give the same agenda.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from netplan._validation import Choice
from netplan.log import ActivityLog
from netplan.network import FOLLOW_UP_KINDS
from netplan.periods import check_range
from netplan.plan import Plan

__all__ = ["Agenda", "AgendaItem", "ItemKind", "agenda"]

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
            late = f", {item.overdue_days} days overdue" if item.overdue_days else ""
            lines.append(f"  {item.due}  {item.reason}{late}")
        return "\n".join(lines)


def agenda(
    plan: Plan, log: ActivityLog, start: dt.date, end: dt.date, *, as_of: dt.date | None = None
) -> Agenda:
    """The agenda for the days ``[start, end)``; overdue days are counted on ``as_of``."""
    check_range(start, end, "agenda")
    today = start if as_of is None else as_of
    items: list[AgendaItem] = []

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
        overdue = max(0, (today - due).days)
        priority = float(weight * (1 + overdue))
        items.append(AgendaItem(kind, due, reason, priority, overdue, contact, action, goals))

    policy = plan.follow_up
    for contact in log.contacts:
        history = log.interactions(contact=contact.id)
        if not history:
            continue
        weight = _TIER_WEIGHT.get(contact.tier or "", 1)
        if policy is not None:
            meetings = [i for i in history if i.kind in policy.after]
            if meetings:
                met = meetings[-1]
                answered = any(i.kind in FOLLOW_UP_KINDS and i.at > met.at for i in history)
                due = policy.due(met.at).date()
                if not answered and due < end:
                    add(
                        ItemKind.FOLLOW_UP,
                        due,
                        f"Follow up with {contact.name} (met {met.at.date()})",
                        weight,
                        contact=contact.id,
                    )
        cadence = plan.cadence_for(contact)
        if cadence is not None:
            last = log.last_interaction(contact.id)
            assert last is not None
            ideal, _ = cadence.due(last)
            if ideal.date() < end:
                add(
                    ItemKind.KEEP_IN_TOUCH,
                    ideal.date(),
                    f"Get in touch with {contact.name} (every {cadence.ideal_days} days, "
                    f"{cadence.source}; last {last.date()})",
                    weight,
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
