"""A custom rule: mentors you have not talked to for a while.

Mentors are the contacts you tag ``mentor``. A mentor whose last interaction, of any kind,
is more than ``quiet_days`` (60) days before the review's day gets a warning, with a
suggested adjustment: a one-off "Catch up with ..." action due two weeks later. Someone
you never interacted with has no clock, and no finding (as for netplan's own
``dormant_contacts``): the rule is about relationships going quiet, not about strangers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from netplan import (
    ActionKind,
    ActivityLog,
    AddAction,
    Finding,
    Once,
    PlannedAction,
    RuleContext,
    Severity,
    Subject,
    SubjectKind,
)

__all__ = ["QuietMentors", "quiet_mentors"]

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class QuietMentors:
    """Contacts tagged ``tag`` not heard from in more than ``quiet_days`` days.

    Follows :class:`netplan.Rule`: ``check`` is pure (the day is ``context.as_of``) and
    gives the same findings in the same order for the same context: the longest silent
    first, then by contact id.
    """

    name: str = "example:quiet_mentors"
    tag: str = "mentor"
    quiet_days: int = 60
    catch_up_within_days: int = 14

    @property
    def description(self) -> str:
        """One sentence for the plugin report, from the rule's own settings."""
        return f"Contacts tagged {self.tag!r} not heard from in over {self.quiet_days} days."

    def check(self, context: RuleContext) -> Iterator[Finding]:
        """A warning per quiet mentor, suggesting a catch-up action."""
        quiet: list[tuple[int, str, dt.datetime]] = []
        for contact in context.log.contacts:
            if self.tag not in contact.tags:
                continue
            last = _last_on_or_before(context.log, contact.id, context.as_of)
            if last is None:
                continue
            days = (context.as_of - last.date()).days
            # "More than": exactly quiet_days is not yet too long, as in netplan's rules.
            if days > self.quiet_days:
                quiet.append((days, contact.id, last))
        quiet.sort(key=lambda item: (-item[0], item[1]))
        for days, contact_id, last in quiet:
            yield self._finding(context, contact_id, days, last)

    def _finding(
        self, context: RuleContext, contact_id: str, days: int, last: dt.datetime
    ) -> Finding:
        contact = context.log.contact(contact_id)
        action = PlannedAction(
            f"Catch up with {contact.name}",
            kind=ActionKind.REACH_OUT,
            schedule=Once(context.as_of + dt.timedelta(days=self.catch_up_within_days)),
            notes=f"Suggested by {self.name}: last talked on {last.date()}.",
        )
        # Suggest the action only if the plan does not already hold one with its id:
        # applying the adjustment twice would give the plan two actions with one id.
        planned = {a.id for a in context.plan.actions}
        return Finding(
            self.name,
            Severity.WARNING,
            f"Get back in touch with your mentor {contact.name}: {days} days since you "
            f"last talked ({last.date()}).",
            Subject(SubjectKind.CONTACT, contact.id),
            f"{contact.name} is tagged {self.tag!r}; the last interaction of any kind was "
            f"on {last.date()}, {days} days before {context.as_of}. Mentors go quiet after "
            f"{self.quiet_days} days.",
            adjustment=None if action.id in planned else AddAction(action),
        )


def _last_on_or_before(log: ActivityLog, contact_id: str, day: dt.date) -> dt.datetime | None:
    """The contact's last interaction up to the end of ``day`` (None: none by then).

    ``last_interaction`` is one lookup; only when it lies after ``day`` (a review of a
    past day) are the contact's earlier interactions read.
    """
    last = log.last_interaction(contact_id)
    end = day + _DAY
    if last is not None and last.date() >= end:
        earlier = log.interactions(end=end, contact=contact_id)
        return earlier[-1].at if earlier else None
    return last


quiet_mentors = QuietMentors()
"""The instance the plugin registers."""
