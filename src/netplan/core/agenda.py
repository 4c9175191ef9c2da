"""Step 4's daily question, "what do I do now?": the agenda for a range of days.

``agenda(plan, log, start, end)`` lists, from the plan and what the log says was done:

* **follow-ups owed**: a person met (an interaction of a kind in the plan's follow-up
  policy) with no follow-up, message, call or coffee since, due ``within_days`` local days
  after the day they were met, until the policy gives up on it (``give_up_days`` overdue);
* **keep-in-touch reminders**: a person whose cadence (contact > tag > tier rule) comes
  due, counted in local days from the last interaction of any kind (someone never
  interacted with has no clock to count from, and no reminder);
* **planned actions**: the occurrences of the plan's scheduled actions, each **done**,
  **partly done** or **open** as the log shows it (see :func:`action_progress`).

Items due in ``[start, end)`` are listed; when the range holds ``as_of`` (by default
``start``: "from today"), so are the open items already overdue, counted on ``as_of``.
Most pressing first: days overdue weighted by the person's tier (a: 3, b: 2, others: 1);
done and skipped items last. Every day is a local day of the plan's zone
(:attr:`~netplan.Plan.zone`), and the log is read as it stood at the end of ``as_of``: what
was done later does not count yet. Pure: the same inputs give the same agenda.

Each item has a :attr:`~AgendaItem.key` (kind, subject, due day). ``plan.snooze(item,
until)`` moves it to ``until`` (listed, and counted overdue, from then); ``plan.skip(item)``
marks it skipped; ``plan.mark_done(item, on)`` marks done what the log cannot show (a
custom action). All are stored with the plan, and apply to that one item: a later
meeting, a new interaction or the next occurrence gives a new item.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
from collections.abc import Collection, Iterator
from typing import Any

from attrs import frozen

from netplan.core import display
from netplan.core._validation import Choice
from netplan.core.actions import ActionKind, KeepInTouch, PlannedAction
from netplan.core.log import ActivityLog
from netplan.core.metrics import cadence_groups, event_in_segment
from netplan.core.network import (
    FOLLOW_UP_KINDS,
    Contact,
    Interaction,
    InteractionKind,
    Organization,
    birthday_on,
)
from netplan.core.periods import check_range
from netplan.core.plan import Plan
from netplan.core.schedule import Occurrence, Once, Quota, Recurrence, occurrences
from netplan.core.zones import Zone

__all__ = [
    "REACH_OUT_KINDS",
    "ActionProgress",
    "Agenda",
    "AgendaItem",
    "ContactView",
    "ItemKind",
    "ItemState",
    "OwedFollowUp",
    "action_progress",
    "agenda",
    "contact_view",
    "item_key",
    "owed_follow_ups",
]

_TIER_WEIGHT = {"a": 3, "b": 2}
_DAY = dt.timedelta(days=1)

REACH_OUT_KINDS = frozenset(
    {
        InteractionKind.MET,
        InteractionKind.MESSAGE,
        InteractionKind.CALL,
        InteractionKind.COFFEE,
        InteractionKind.FOLLOW_UP,
    }
)
"""What shows a ``reach_out`` action was done: a meeting, message, call, coffee or follow-up."""


class ItemKind(Choice):
    """What an agenda item asks for."""

    FOLLOW_UP = "follow_up"
    KEEP_IN_TOUCH = "keep_in_touch"
    ACTION = "action"
    BIRTHDAY = "birthday"


class ItemState(Choice):
    """Where an agenda item stands, from what the log and the plan say."""

    OPEN = "open"
    PARTLY_DONE = "partly_done"
    DONE = "done"
    SKIPPED = "skipped"


@frozen
class AgendaItem:
    """One thing to do, with when it is due and why.

    ``done`` of ``count`` is how much the log shows done ("2 of 3" for a quota of three
    messages a week); :attr:`state` says it in a word.
    """

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
    done: int = 0
    count: int = 1
    skipped: bool = False
    opens: dt.date | None = None
    """The first day of a quota's period (due by :attr:`due`, its last); None for an item
    of one day."""

    @property
    def key(self) -> str:
        """Identifies this item for :meth:`netplan.Plan.snooze`, :meth:`~netplan.Plan.skip`
        and :meth:`~netplan.Plan.mark_done`."""
        return item_key(self.kind, self.contact or self.action, self.snoozed_from or self.due)

    @property
    def state(self) -> ItemState:
        if self.skipped:
            return ItemState.SKIPPED
        if self.done >= self.count:
            return ItemState.DONE
        return ItemState.PARTLY_DONE if self.done else ItemState.OPEN

    @property
    def is_open(self) -> bool:
        """Still to do (open or partly done)."""
        return self.state in (ItemState.OPEN, ItemState.PARTLY_DONE)


@frozen
class Agenda:
    """What is due in ``[start, end)``, and what is overdue on ``as_of``, most pressing first."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    items: tuple[AgendaItem, ...]

    def item(self, key: str) -> AgendaItem | None:
        """The item with this :attr:`~AgendaItem.key`, if listed."""
        return next((i for i in self.items if i.key == key), None)

    def __str__(self) -> str:
        lines = [f"Agenda {self.start} to {self.end} (as of {self.as_of})"]
        for item in self.items:
            days = "day" if item.overdue_days == 1 else "days"
            late = f", {item.overdue_days} {days} overdue" if item.overdue_days else ""
            state = "" if item.state is ItemState.OPEN else f" [{_state_words(item)}]"
            lines.append(f"  {item.due}  {item.reason}{late}{state}")
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """The agenda as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        return display.html(self)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one row per item, most pressing first (needs pandas:
        the ``pandas`` extra). See :func:`netplan.notebook.frames.agenda_frame`."""
        return display.frame(self)


def _state_words(item: AgendaItem) -> str:
    if item.state is ItemState.PARTLY_DONE:
        return f"{item.done} of {item.count} done"
    return str(item.state.value).replace("_", " ")


@frozen
class OwedFollowUp:
    """A person met and not followed up since: when, and the local day the follow-up is due."""

    contact: str
    met: dt.datetime
    due: dt.date
    met_on: dt.date
    """The local day of ``met``."""


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
    coffee in ``log`` answers it. Only meetings that can still be owed are read (the
    policy's ``within_days`` plus ``give_up_days`` before ``today``), through the log's
    time index, so the cost follows the recent activity, not the size of the network.
    """
    policy = plan.follow_up
    if policy is None:
        return ()
    zone = plan.zone
    earliest = min(today, end) - dt.timedelta(days=policy.within_days + policy.give_up_days)
    unanswered = log.unanswered_days(
        zone.start(earliest),
        zone.start(end),
        kind=policy.after,
        answer=FOLLOW_UP_KINDS,
        zone=zone,
        contacts=contacts,
    )
    organizations = log.organizations_by_id()
    owed: list[OwedFollowUp] = []
    for contact_id, met, met_on in unanswered:
        due = policy.due(met_on)
        if due >= end or (today - due).days > policy.give_up_days:
            continue
        if policy.segment is not None:
            contact = log.contact(contact_id)
            if not policy.segment.matches(contact, organizations.get(contact.organization or "")):
                continue
        owed.append(OwedFollowUp(contact_id, met, due, met_on))
    return tuple(owed)


def item_key(kind: ItemKind, subject: str | None, due: dt.date) -> str:
    return f"{kind.value}:{subject}:{due.isoformat()}"


@frozen
class ActionProgress:
    """How much of one occurrence of a planned action the log shows done: ``done`` of
    ``occurrence.count``; ``done`` is None for an action the log cannot show (volunteering,
    a custom action), which only :meth:`netplan.Plan.mark_done` marks done."""

    occurrence: Occurrence
    done: int | None


def action_progress(
    plan: Plan,
    log: ActivityLog,
    action: PlannedAction,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> tuple[ActionProgress, ...]:
    """Each occurrence of ``action`` overlapping ``[start, end)`` from the plan's start on
    (a quota's period begun before the plan is not due), with what the log shows done for
    it by the end of ``today`` (local days):

    * a **recurring** action's occurrence is done by evidence from the day after the
      previous occurrence on, early or late, each piece of evidence for one occurrence,
      the earliest open occurrence first (a post on Thursday does Friday's post; a
      Friday missed and made up on Saturday clears Friday);
    * a **quota** counts its evidence in its own period (2 of 3 messages this week);
    * a **one-off** is done by evidence from the plan's start on.

    Evidence, by the action's kind: attended events (in its segment, or linked to it)
    for ``attend_events``; meetings, messages, calls, coffees and follow-ups (with people
    in its segment) for ``reach_out``; posts for ``post_social``; memberships begun (of
    its organization, if it names one) for ``join_organization``.
    """
    schedule = action.schedule
    if schedule is None:
        return ()
    # Nothing is due before the plan starts: not a quota's period begun before it either.
    found = tuple(o for o in occurrences(action.id, schedule, start, end) if o.on >= plan.start)
    if not found:
        return ()
    if isinstance(schedule, Quota):
        first, last = found[0].on, found[-1].until + _DAY
    elif isinstance(schedule, Once):
        first, last = min(plan.start, schedule.by), max(today, schedule.by) + _DAY
    else:
        first = _previous(action.id, schedule, found[0].on) + _DAY
        last = max(today, found[-1].on) + _DAY
    evidence = _evidence_days(plan, log, action, first, min(last, today + _DAY))
    if evidence is None:
        return tuple(ActionProgress(o, None) for o in found)
    if isinstance(schedule, Quota):
        return tuple(
            ActionProgress(
                o,
                min(
                    o.count,
                    bisect.bisect_right(evidence, o.until) - bisect.bisect_left(evidence, o.on),
                ),
            )
            for o in found
        )
    if isinstance(schedule, Once):
        return tuple(ActionProgress(o, min(1, len(evidence))) for o in found)
    # Recurring: each piece of evidence does the earliest open occurrence whose turn has
    # come (on or after the day after the occurrence before it).
    opens = [first, *(o.on + _DAY for o in found[:-1])]
    done = [0] * len(found)
    waiting = 0  # occurrences before this one are all done
    for day in evidence:
        while waiting < len(found) and done[waiting]:
            waiting += 1
        if waiting < len(found) and day >= opens[waiting]:
            done[waiting] = 1
    return tuple(ActionProgress(o, d) for o, d in zip(found, done, strict=True))


def _previous(action: str, schedule: Recurrence, day: dt.date) -> dt.date:
    """The occurrence before the one on ``day`` (or the day before the schedule starts)."""
    if day <= schedule.start:
        return schedule.start - _DAY
    # A recurrence is at least yearly (a plan's are day-granular RRULEs): the previous
    # occurrence is within a year, or before the schedule's start. Most plans' are weekly
    # or monthly: the two months before are walked first, and the year only if need be.
    for days in (62, 366):
        since = max(schedule.start, day - dt.timedelta(days=days))
        before = occurrences(action, schedule, since, day)
        if before or since == schedule.start:
            break
    return before[-1].on if before else since - _DAY


def _evidence_days(
    plan: Plan, log: ActivityLog, action: PlannedAction, start: dt.date, end: dt.date
) -> list[dt.date] | None:
    """The local days in ``[start, end)`` of what shows ``action`` done, sorted (a day
    once per piece of evidence); None for a kind of action the log cannot show."""
    if end <= start:
        return []
    segment = action.segment
    zone = plan.zone
    if action.kind is ActionKind.ATTEND_EVENTS:
        return sorted(
            event.on
            for event in log.events(start, end, attended=True)
            if event.action == action.id or event_in_segment(log, event, segment)
        )
    if action.kind in (ActionKind.REACH_OUT, ActionKind.POST_SOCIAL):
        kinds = REACH_OUT_KINDS if action.kind is ActionKind.REACH_OUT else {InteractionKind.POST}
        return log.local_days(
            zone.start(start),
            zone.start(end),
            zone,
            kind=kinds,
            segment=segment if action.kind is ActionKind.REACH_OUT else None,
        )
    if action.kind is ActionKind.JOIN_ORGANIZATION:
        return sorted(
            membership.since
            for organization in log.organizations
            if action.organization in (None, organization.id)
            for membership in organization.memberships
            if start <= membership.since < end
        )
    return None


def _birthdays(
    plan: Plan, log: ActivityLog, start: dt.date, end: dt.date
) -> Iterator[tuple[str, str, dt.date, str]]:
    """The birthdays in ``[start, end)`` of the contacts of the plan's birthday tiers:
    (contact id, name, day, tier), in the order of the log's contacts."""
    tiers = plan.birthday_tiers
    if not tiers:
        return
    known = log.derived(("netplan:birthdays", tiers), lambda: _with_birthdays(log, tiers))
    for contact_id, name, birthday, tier in known:
        for year in range(start.year, end.year + 1):
            day = birthday_on(birthday, year)
            if day is not None and start <= day < end:
                yield contact_id, name, day, tier


def _with_birthdays(
    log: ActivityLog, tiers: frozenset[str]
) -> tuple[tuple[str, str, str, str], ...]:
    fields = log.contact_fields(tiers, ("id", "name", "birthday", "tier"))
    return tuple(
        (contact_id, name, birthday, tier or "")
        for contact_id, name, birthday, tier in zip(
            fields["id"], fields["name"], fields["birthday"], fields["tier"], strict=True
        )
        if birthday and tier in tiers
    )


def agenda(
    plan: Plan, log: ActivityLog, start: dt.date, end: dt.date, *, as_of: dt.date | None = None
) -> Agenda:
    """The agenda for the local days ``[start, end)``, as it stands at the end of
    ``as_of`` (default ``start``): items due in the range, and, when the range holds
    ``as_of``, the open items overdue on it."""
    check_range(start, end, "agenda")
    today = start if as_of is None else as_of
    zone = plan.zone
    log = log.before(zone.start(today + _DAY))
    with_overdue = start <= today < end
    items: list[AgendaItem] = []
    orders: list[tuple[bool, float, dt.date, str]] = []  # each item's place, made with it
    put_off = {s.item: s.until for s in plan.snoozed}
    marked = {d.item for d in plan.completed}

    def add(
        kind: ItemKind,
        due: dt.date,
        reason: str,
        weight: int,
        *,
        contact: str | None = None,
        action: str | None = None,
        goals: tuple[str, ...] = (),
        done: int = 0,
        count: int = 1,
        opens: dt.date | None = None,
    ) -> None:
        # A plan with nothing snoozed or marked done (most days) makes no key per item.
        key = item_key(kind, contact or action, due) if put_off or marked else ""
        snoozed_from = None
        skipped = False
        if key in put_off:
            until = put_off[key]
            if until is None:
                skipped = True
            else:
                snoozed_from, due = due, until
                reason = f"{reason} (snoozed from {snoozed_from})"
        if key in marked:
            done = count
        listed = due >= start or (with_overdue and not skipped and done < count)
        if due >= end or not listed:
            return
        open_ = not skipped and done < count
        overdue = max(0, (today - due).days) if open_ else 0
        priority = float(weight * (1 + overdue)) if open_ else 0.0
        item = AgendaItem(
            kind,
            due,
            reason,
            priority,
            overdue,
            contact,
            action,
            goals,
            snoozed_from,
            done,
            count,
            skipped,
            opens,
        )
        items.append(item)
        orders.append((not open_, -priority, due, reason))

    for owed in owed_follow_ups(plan, log, end, today):
        contact = log.contact(owed.contact)
        add(
            ItemKind.FOLLOW_UP,
            owed.due,
            f"Follow up with {contact.name} (met {owed.met_on})",
            _TIER_WEIGHT.get(contact.tier or "", 1),
            contact=contact.id,
        )
    for cadence, ids in cadence_groups(plan, log):
        # Due before ``end``: last heard from before the day ``ideal_days`` before it.
        since = zone.start(end - dt.timedelta(days=cadence.ideal_days))
        for contact_id, last_on in log.quiet_days(ids, since, zone):
            contact = log.contact(contact_id)
            add(
                ItemKind.KEEP_IN_TOUCH,
                cadence.due(last_on)[0],
                f"Get in touch with {contact.name} (every {cadence.ideal_days} days, "
                f"{cadence.source}; last {last_on})",
                _TIER_WEIGHT.get(contact.tier or "", 1),
                contact=contact.id,
            )
    for contact_id, name, on, tier in _birthdays(plan, log, start, end):
        # Wished on the day (a message, a call, anything logged with them that day).
        wished = log.interactions(zone.start(on), zone.start(on + _DAY), contact=contact_id)
        add(
            ItemKind.BIRTHDAY,
            on,
            f"Birthday of {name} on {on.day} {on:%b}",
            _TIER_WEIGHT.get(tier, 1),
            contact=contact_id,
            done=1 if wished else 0,
        )
    # An occurrence snoozed into the range from before it: its own, found on its day.
    moved_in: dict[str, list[dt.date]] = {}
    for key, until in put_off.items():
        kind, action_id, day = key.split(":", 2) if key.count(":") == 2 else ("", "", "")
        if kind == ItemKind.ACTION.value and until is not None and start <= until < end:
            with contextlib.suppress(ValueError):
                if (due := dt.date.fromisoformat(day)) < start:
                    moved_in.setdefault(action_id, []).append(due)
    for action in plan.actions:
        progress_of = list(action_progress(plan, log, action, start, end, today))
        for due in moved_in.get(action.id, ()):
            progress_of.extend(
                p
                for p in action_progress(plan, log, action, due, due + _DAY, today)
                if p.occurrence.until == due
            )
        for progress in progress_of:
            occurrence = progress.occurrence
            many = occurrence.on != occurrence.until
            when = f" ({occurrence.count} by {occurrence.until})" if many else ""
            add(
                ItemKind.ACTION,
                occurrence.until,
                f"{action.title}{when}",
                1,
                action=action.id,
                goals=tuple(sorted(action.goals)),
                done=progress.done or 0,
                count=occurrence.count,
                opens=occurrence.on if many else None,
            )
    # Open first, then the most pressing, the earliest due, by reason (a stable sort).
    order = sorted(range(len(items)), key=orders.__getitem__)
    return Agenda(start, end, today, tuple(map(items.__getitem__, order)))


@frozen
class ContactView:
    """One person at a glance on ``as_of`` (:func:`contact_view`): who they are, every
    interaction with them (oldest first), the last touch, their keep-in-touch cadence and
    what is due with them."""

    contact: Contact
    organization: Organization | None
    as_of: dt.date
    zone: Zone
    """The plan's zone, the days and times shown are in."""
    interactions: tuple[Interaction, ...]
    last_on: dt.date | None
    """The local day of the last interaction by the end of ``as_of``; None before any."""
    cadence: KeepInTouch | None
    """The plan's keep-in-touch cadence for them, if one applies."""
    due: tuple[AgendaItem, ...]
    """The agenda's items with them in the week from ``as_of``, overdue ones included,
    most pressing first."""

    @property
    def days_since(self) -> int | None:
        """Days from the last touch to ``as_of``."""
        return None if self.last_on is None else (self.as_of - self.last_on).days

    @property
    def next_touch(self) -> dt.date | None:
        """When the cadence wants the next touch: ``ideal_days`` after the last one (or
        on ``as_of`` when there is none); None without a cadence."""
        if self.cadence is None:
            return None
        if self.last_on is None:
            return self.as_of
        return self.last_on + dt.timedelta(days=self.cadence.ideal_days)

    def when(self, interaction: Interaction) -> str:
        """When ``interaction`` happened, in the plan's zone: ``"2026-11-20 09:00"``."""
        return f"{interaction.at.astimezone(self.zone.tzinfo):%Y-%m-%d %H:%M}"

    def __str__(self) -> str:
        c = self.contact
        where = self.organization.name if self.organization is not None else c.organization
        lines = [f"{c.name} ({where})" if where else c.name]
        if self.last_on is None:
            lines.append("  no interaction yet")
        else:
            lines.append(
                f"  last touch {self.last_on} ({self.days_since} days before {self.as_of})"
            )
        if self.cadence is not None:
            lines.append(
                f"  keep in touch every {self.cadence.ideal_days} days ({self.cadence.source}); "
                f"next by {self.next_touch}"
            )
        lines.extend(f"  due {item.due}: {item.reason}" for item in self.due)
        lines.extend(
            f"  {self.when(i)} {i.kind.value}{f': {i.notes}' if i.notes else ''}"
            for i in self.interactions
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """The view as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        return display.html(self)


def contact_view(plan: Plan, log: ActivityLog, contact: str, as_of: dt.date) -> ContactView:
    """The contact ``contact`` (an id) as it stands at the end of ``as_of`` (a local day
    of the plan's zone): every interaction with them logged by then, the last touch, the
    plan's cadence for them and the agenda's items with them in the week from ``as_of``
    (overdue ones included).

    Raises:
        NotFoundError: the log has no contact ``contact``.
    """
    found = log.contact(contact)
    zone = plan.zone
    known = log.before(zone.start(as_of + _DAY))
    interactions = known.interactions(contact=found.id)
    last = known.last_interaction(found.id)
    week = agenda(plan, log, as_of, as_of + dt.timedelta(days=7))
    organization = None
    if found.organization is not None:
        organization = log.organizations_by_id().get(found.organization)
    return ContactView(
        contact=found,
        organization=organization,
        as_of=as_of,
        zone=zone,
        interactions=interactions,
        last_on=None if last is None else zone.day(last),
        cadence=plan.cadence_for(found),
        due=tuple(item for item in week.items if item.contact == found.id),
    )
