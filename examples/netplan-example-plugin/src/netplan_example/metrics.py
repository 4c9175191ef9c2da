"""A custom metric: how many different people you introduced to someone in a window.

netplan's built-in ``intros_given`` counts *introductions* (interactions of kind
``intro_given``); introducing the same person three times counts three. This metric counts
*people*: the distinct contacts with at least one ``intro_given`` interaction in the
window, which is what "I want to help two people a month" means. A target names it::

    netplan.Target(2, "example:people_introduced", per="month")
"""

from __future__ import annotations

from dataclasses import dataclass

from netplan import ActivityLog, InteractionKind, Plan, Segment, Window

__all__ = ["PeopleIntroduced", "people_introduced"]


@dataclass(frozen=True)
class PeopleIntroduced:
    """Distinct contacts you made an introduction for (``intro_given``) in the window.

    Follows :class:`netplan.Metric`: pure, no clock, no I/O; the window is
    ``[window.start, window.end)``, local days of the plan's zone: the log is asked from
    ``window.starts_at`` to ``window.ends_at``, the instants they begin and end.
    """

    # Namespaced ("example:"), so a later netplan adding a metric of the same plain
    # name cannot collide with this one: two plugins claiming a name lose it both.
    name: str = "example:people_introduced"
    description: str = "Different people you introduced to someone in the window."

    # What it counts lies inside its window, so netplan's Reviewer may remember a
    # window's value until an interaction is logged inside it. It is deliberately *not*
    # ``additive``: a count of distinct people over a month is not the sum of the
    # counts over its days (one person introduced on two days is one person).
    window_local = True
    # What one and many of its counts are called, so a review reads "1 person
    # introduced a month" rather than the metric's name.
    units = ("person introduced", "people introduced")

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        """The number of distinct contacts with an ``intro_given`` interaction in the window
        (with contacts in ``segment``, if given)."""
        intros = log.interactions(
            window.starts_at, window.ends_at, kind=InteractionKind.INTRO_GIVEN, segment=segment
        )
        return float(len({intro.contact for intro in intros if intro.contact is not None}))


people_introduced = PeopleIntroduced()
"""The instance the plugin registers."""
