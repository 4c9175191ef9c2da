"""Step 1, identify goals: what the person wants from networking, and how to measure it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core._validation import Choice
from netplan.core._words import SHARES, number, unit
from netplan.core.errors import NotFoundError, ValidationError
from netplan.core.network import Segment
from netplan.core.periods import Period

__all__ = ["AmountChange", "Goal", "GoalKind", "GoalStatus", "Target"]


class GoalKind(Choice):
    """Why the person is networking."""

    EXPAND_NETWORK = "expand_network"
    FIND_JOB = "find_job"
    LEARN_INDUSTRY = "learn_industry"
    CUSTOM = "custom"


class GoalStatus(Choice):
    """Where a goal stands: only active goals are reviewed and scheduled."""

    ACTIVE = "active"
    ACHIEVED = "achieved"
    PAUSED = "paused"
    DROPPED = "dropped"


# The converters of this module's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _goal_kind(value: GoalKind | str) -> GoalKind: ...
    def _goal_status(value: GoalStatus | str) -> GoalStatus: ...
    def _period_or_none(value: Period | str | None) -> Period | None: ...
    def _targets(value: Iterable[Target] | None) -> tuple[Target, ...]: ...

else:
    _goal_kind = v.choice(GoalKind)
    _goal_status = v.choice(GoalStatus)
    _period_or_none = v.choice(Period, optional=True)
    _targets = v.to_tuple


def _amount(instance: Any, attribute: Any, value: Any) -> None:
    v.instance_of(int, float)(instance, attribute, value)
    v.positive(instance, attribute, value)


@frozen
class AmountChange:
    """A target's new amount and the first day it counts (an easing waiting out the
    plan's akrasia horizon)."""

    amount: int | float = field(validator=_amount)
    effective: dt.date = field(validator=v.a_date)


@frozen(cache_hash=True)  # a key of the caches reviews use
class Target:
    """A measurable target: ``amount`` of ``metric`` either ``per`` period or ``by`` a day.

    >>> Target(4, "new_contacts", per="month")
    Target(4 new_contacts per month)
    >>> Target(12, "events_attended", by=dt.date(2027, 12, 31))
    Target(12 events_attended by 2027-12-31)

    ``metric`` names a metric (the evaluation step measures it); ``segment`` narrows what
    counts ("3 coffees a month with people in climate tech"). ``id`` defaults to the
    metric name and must be unique within its goal.
    """

    amount: int | float = field(validator=_amount)
    metric: str = field(validator=v.identifier)
    per: Period | None = field(default=None, converter=_period_or_none)
    by: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    segment: Segment | None = field(default=None, validator=v.optional(v.instance_of(Segment)))
    id: str = field(validator=v.identifier)
    pending: AmountChange | None = field(
        default=None, validator=v.optional(v.instance_of(AmountChange))
    )
    """A lower amount that takes over on its effective day (see :class:`AmountChange`)."""

    @id.default
    def _default_id(self) -> str:
        return self.metric

    def amount_on(self, day: dt.date) -> int | float:
        """The amount in force on ``day``: the pending one from its effective day on."""
        if self.pending is not None and day >= self.pending.effective:
            return self.pending.amount
        return self.amount

    def __attrs_post_init__(self) -> None:
        if (self.per is None) == (self.by is None):
            raise ValidationError(
                "Target.per", self.per, "give exactly one of per (a period) or by (a deadline)"
            )

    def describe(self, amount: float | None = None, *, units: tuple[str, str] | None = None) -> str:
        """The target as a person says it, with ``amount`` in place of its own (the one in
        force on a day: :meth:`amount_on`): ``"4 new contacts a month"``, ``"1 post a
        week"``, ``"5 referrals by 2027-09-30"``, ``"2 coffees a month (tagged
        climate)"``.

        >>> Target(1, "posts", per="week").describe()
        '1 post a week'
        >>> Target(4, "new_contacts", per="month", segment=Segment(tag="climate")).describe()
        '4 new contacts a month (tagged climate)'
        >>> Target(0.5, "follow_up_rate", per="month").describe()
        'a follow-up rate of 50% each month'

        A plugin's metric reads as the ``units`` it declares (:func:`netplan.metric_units`):

        >>> Target(1, "meetup:warm_intros", per="month").describe(units=("intro", "intros"))
        '1 intro a month'
        """
        value = self.amount if amount is None else amount
        when = f"a {self.per.value}" if self.per is not None else f"by {self.by}"
        where = f" ({self.segment.describe()})" if self.segment is not None else ""
        share = SHARES.get(self.metric)
        if share is not None:  # a share of 0 to 1, not a count
            when = f"each {self.per.value}" if self.per is not None else when
            return f"a {share} of {number(value * 100)}% {when}{where}"
        return f"{number(value)} {unit(self.metric, value, units)} {when}{where}"

    def __str__(self) -> str:
        when = f"per {self.per.value}" if self.per is not None else f"by {self.by}"
        where = f" in {self.segment}" if self.segment is not None else ""
        easing = (
            f" (then {self.pending.amount} from {self.pending.effective})"
            if self.pending is not None
            else ""
        )
        return f"{self.amount} {self.metric}{where} {when}{easing}"

    def __repr__(self) -> str:
        return f"Target({self})"


@frozen(cache_hash=True)  # a key of the caches reviews use
class Goal:
    """A networking goal with the targets that measure it.

    >>> g = Goal("Learn about climate tech", kind="learn_industry",
    ...          targets=[Target(2, "events_attended", per="month")])
    >>> g.id
    'learn-about-climate-tech'

    ``start`` defaults to the plan's start; ``until`` is the horizon. A deadline target
    must fall on or after the start.
    """

    title: str = field(validator=v.non_blank)
    kind: GoalKind = field(default=GoalKind.CUSTOM, converter=_goal_kind)
    why: str = field(default="", validator=v.instance_of(str))
    targets: tuple[Target, ...] = field(default=(), converter=_targets, validator=v.items(Target))
    start: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    until: dt.date | None = field(default=None, validator=v.optional(v.a_date))
    status: GoalStatus = field(default=GoalStatus.ACTIVE, converter=_goal_status)
    id: str = field(validator=v.identifier)

    @id.default
    def _default_id(self) -> str:
        return v.slugify(self.title)

    def __attrs_post_init__(self) -> None:
        v.unique(self.targets, lambda t: t.id, "Goal.targets.id")
        if self.start is not None:
            self.check_dates(self.start)

    def check_dates(self, start: dt.date) -> None:
        """Reject a horizon or deadline before ``start`` (the goal's own or the plan's)."""
        if self.until is not None and self.until < start:
            raise ValidationError("Goal.until", self.until, f"must not be before the start {start}")
        for i, target in enumerate(self.targets):
            if target.by is not None and target.by < start:
                raise ValidationError(
                    f"Goal.targets[{i}].by", target.by, f"must not be before the start {start}"
                )

    def target(self, target_id: str) -> Target:
        """The target with this id."""
        for target in self.targets:
            if target.id == target_id:
                return target
        known = ", ".join(t.id for t in self.targets) or "none"
        raise NotFoundError("target", target_id, f"goal {self.id!r} has targets: {known}")
