"""Step 3, plan: the actions, follow-up policy and keep-in-touch cadences of a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core._validation import Choice
from netplan.core.errors import ValidationError
from netplan.core.network import Contact, InteractionKind, Segment
from netplan.core.schedule import Once, Quota, Recurrence, Schedule

__all__ = [
    "ActionKind",
    "CadenceRule",
    "FollowUpPolicy",
    "KeepInTouch",
    "PlannedAction",
    "Scope",
    "Done",
    "Snooze",
    "cadence_for",
]


class ActionKind(Choice):
    """What kind of thing a planned action asks the person to do."""

    ATTEND_EVENTS = "attend_events"
    JOIN_ORGANIZATION = "join_organization"
    POST_SOCIAL = "post_social"
    REACH_OUT = "reach_out"
    VOLUNTEER = "volunteer"
    CUSTOM = "custom"


# The converters of this module's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _action_kind(value: ActionKind | str) -> ActionKind: ...

else:
    _action_kind = v.choice(ActionKind)


def _schedule(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, (Recurrence, Quota, Once)):
        v.fail(instance, attribute, value, "must be a Recurrence, a Quota, a Once or None")


@frozen
class PlannedAction:
    """Something the person plans to do, linked to the goals and skills it serves.

    >>> PlannedAction("Climate meetup", kind="attend_events",
    ...               schedule=Recurrence.nth_weekday("TU", 2, start=dt.date(2026, 12, 1)),
    ...               goals={"learn-climate-tech"}, skills={"working_a_room"}).id
    'climate-meetup'
    """

    title: str = field(validator=v.non_blank)
    kind: ActionKind = field(default=ActionKind.CUSTOM, converter=_action_kind)
    schedule: Schedule | None = field(default=None, validator=_schedule)
    goals: frozenset[str] = field(
        default=frozenset(), converter=v.text_set, validator=v.identifiers
    )
    skills: frozenset[str] = field(
        default=frozenset(), converter=v.text_set, validator=v.identifiers
    )
    segment: Segment | None = field(default=None, validator=v.optional(v.instance_of(Segment)))
    organization: str | None = field(default=None, validator=v.optional(v.identifier))
    notes: str = field(default="", validator=v.instance_of(str))
    id: str = field(validator=v.identifier)

    @id.default
    def _default_id(self) -> str:
        return v.slugify(self.title)


def _kinds(value: Any) -> frozenset[InteractionKind]:
    kinds = v.to_frozenset(value)
    if not isinstance(kinds, frozenset):
        raise ValidationError("FollowUpPolicy.after", value, "must be a set of interaction kinds")
    return frozenset(InteractionKind(k) for k in kinds)


if TYPE_CHECKING:

    def _interaction_kinds(
        value: str | Iterable[InteractionKind | str],
    ) -> frozenset[InteractionKind]: ...

else:
    _interaction_kinds = _kinds


@frozen
class FollowUpPolicy:
    """Follow up within ``within_days`` of an interaction of one of the ``after`` kinds
    (with people in ``segment``, if given).

    A follow-up still not sent ``give_up_days`` after it was due is no longer owed: the
    moment has passed, and the keep-in-touch cadence takes over.

    >>> FollowUpPolicy(within_days=2)
    FollowUpPolicy(within_days=2, after=frozenset({InteractionKind.MET}), segment=None, give_up_days=30)
    """

    within_days: int = field(validator=[v.instance_of(int), v.positive])
    after: frozenset[InteractionKind] = field(
        default=frozenset({InteractionKind.MET}),
        converter=_interaction_kinds,
    )
    segment: Segment | None = field(default=None, validator=v.optional(v.instance_of(Segment)))
    give_up_days: int = field(default=30, validator=[v.instance_of(int), v.positive])

    @after.validator
    def _check_after(self, attribute: Any, value: frozenset[InteractionKind]) -> None:
        if not value:
            v.fail(self, attribute, value, "must name at least one interaction kind")

    def due(self, met_on: dt.date) -> dt.date:
        """The local day a follow-up to a meeting on the local day ``met_on`` is due (by
        its end): ``within_days`` later, whatever the hour of the meeting.

        >>> FollowUpPolicy(within_days=2).due(dt.date(2026, 12, 3))
        datetime.date(2026, 12, 5)
        """
        _a_day(met_on, "FollowUpPolicy.due")
        return met_on + dt.timedelta(days=self.within_days)


def _a_day(value: Any, what: str) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(
            what, value, "must be a local day (a date: plan.zone.day(instant) gives one)"
        )


class Scope(Choice):
    """What a keep-in-touch rule applies to; the narrower scope wins."""

    TIER = "tier"
    TAG = "tag"
    CONTACT = "contact"


if TYPE_CHECKING:

    def _scope(value: Scope | str) -> Scope: ...

else:
    _scope = v.choice(Scope)

_PRECEDENCE = {Scope.CONTACT: 0, Scope.TAG: 1, Scope.TIER: 2}


def _max_at_least_ideal(instance: Any, attribute: Any, value: int) -> None:
    if value < instance.ideal_days:
        v.fail(instance, attribute, value, f"must be at least ideal_days={instance.ideal_days}")


_DAYS = [v.instance_of(int), v.positive]
_MAX_DAYS = [*_DAYS, _max_at_least_ideal]
# Without a maximum, a contact is overdue at twice the ideal interval.
_TWICE_IDEAL = attrs.Factory(lambda self: self.ideal_days * 2, takes_self=True)


@frozen
class KeepInTouch:
    """Ideal and maximum days between interactions with a contact.

    Completion-anchored: the clock restarts at *any* interaction with the contact.
    ``source`` says which rule it came from (``"tier=a"``).
    """

    ideal_days: int = field(validator=_DAYS)
    max_days: int = field(default=_TWICE_IDEAL, validator=_MAX_DAYS)
    source: str = field(default="", validator=v.instance_of(str), eq=False)

    def due(self, last_on: dt.date) -> tuple[dt.date, dt.date]:
        """The local days a contact last interacted with on the local day ``last_on`` is
        ideally due, and at its maximum interval (urgent from the day after)."""
        _a_day(last_on, "KeepInTouch.due")
        return (
            last_on + dt.timedelta(days=self.ideal_days),
            last_on + dt.timedelta(days=self.max_days),
        )


@frozen
class CadenceRule:
    """Keep in touch with every contact of a tier, a tag, or one contact.

    >>> CadenceRule.tier("a", ideal_days=21)
    CadenceRule(tier='a': every 21 days, at most 42)
    """

    scope: Scope = field(converter=_scope)
    key: str = field(converter=v.lowered_text, validator=v.identifier)
    ideal_days: int = field(validator=_DAYS)
    max_days: int = field(default=_TWICE_IDEAL, validator=_MAX_DAYS)

    @classmethod
    def tier(cls, tier: str, *, ideal_days: int, max_days: int | None = None) -> CadenceRule:
        """Every contact of ``tier`` (``"a"``, ``"b"``...)."""
        return cls._for(Scope.TIER, tier, ideal_days, max_days)

    @classmethod
    def tag(cls, tag: str, *, ideal_days: int, max_days: int | None = None) -> CadenceRule:
        """Every contact with ``tag``."""
        return cls._for(Scope.TAG, tag, ideal_days, max_days)

    @classmethod
    def contact(cls, contact: str, *, ideal_days: int, max_days: int | None = None) -> CadenceRule:
        """One contact, by id."""
        return cls._for(Scope.CONTACT, contact, ideal_days, max_days)

    @classmethod
    def _for(cls, scope: Scope, key: str, ideal_days: int, max_days: int | None) -> CadenceRule:
        if max_days is None:
            return cls(scope, key, ideal_days)
        return cls(scope, key, ideal_days, max_days)

    def applies_to(self, contact: Contact) -> bool:
        if self.scope is Scope.CONTACT:
            return contact.id == self.key
        if self.scope is Scope.TAG:
            return self.key in contact.tags
        return contact.tier == self.key

    def __repr__(self) -> str:
        return (
            f"CadenceRule({self.scope.value}={self.key!r}: every {self.ideal_days} days, "
            f"at most {self.max_days})"
        )


def cadence_for(contact: Contact, rules: Iterable[CadenceRule]) -> KeepInTouch | None:
    """The keep-in-touch cadence for ``contact``: a contact rule beats a tag rule beats a
    tier rule. Among several matching tag rules the most frequent (smallest ideal) wins,
    so a contact is never neglected because of a second, laxer tag."""
    best: CadenceRule | None = None
    for rule in rules:
        if not rule.applies_to(contact):
            continue
        if best is None or (_PRECEDENCE[rule.scope], rule.ideal_days, rule.max_days) < (
            _PRECEDENCE[best.scope],
            best.ideal_days,
            best.max_days,
        ):
            best = rule
    if best is None:
        return None
    return KeepInTouch(best.ideal_days, best.max_days, source=f"{best.scope.value}={best.key}")


@frozen
class Snooze:
    """An agenda item put off until a day, or skipped for good (``until=None``).

    ``item`` is the item's :attr:`~netplan.AgendaItem.key` (kind, subject and due day), so
    a snooze applies to that one occurrence: a new meeting or interaction gives a new item.
    """

    item: str = field(validator=v.non_blank)
    until: dt.date | None = field(default=None, validator=v.optional(v.a_date))


@frozen
class Done:
    """An agenda item marked done on a day, for what the log cannot show (a custom
    action, volunteering): the agenda lists it as done."""

    item: str = field(validator=v.non_blank)
    on: dt.date = field(validator=v.a_date)
