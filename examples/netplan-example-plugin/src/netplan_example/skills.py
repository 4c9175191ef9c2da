"""A skill catalog: two networking skills netplan's built-in catalog does not have.

People rate and practise them like the built-in ones once the plugin is installed::

    netplan assess example:hosting_meetups=2/4
    netplan action add "Host the climate meetup" --skill example:hosting_meetups

and a plan that does keeps a copy of each it uses, so it stays readable where this
plugin is not installed.
"""

from __future__ import annotations

from netplan import Skill

__all__ = ["CATALOG", "hosting_meetups", "mentoring_others"]

# Namespaced ids, as the plugin's other names are: a built-in skill added later under a
# plain id would otherwise take this one's place.
hosting_meetups = Skill(
    "example:hosting_meetups",
    "Hosting meetups",
    "Running a small event: a venue, a theme, and introducing people to each other.",
)
mentoring_others = Skill(
    "example:mentoring_others",
    "Mentoring others",
    "Regular time with someone earlier in their career, without keeping score.",
)

CATALOG: tuple[Skill, ...] = (hosting_meetups, mentoring_others)
"""The catalog ``example``, in the order netplan lists it."""
