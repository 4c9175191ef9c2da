"""An example netplan plugin: one of each kind, small and real.

* a metric, ``example:people_introduced`` (:mod:`netplan_example.metrics`);
* a rule, ``example:quiet_mentors`` (:mod:`netplan_example.rules`);
* an importer, ``example:meetup_attendees`` (:mod:`netplan_example.importers`);
* a storage backend for ``jsondir:///path/to/folder`` (:mod:`netplan_example.jsondir`);
* a skill catalog, ``example``: ``example:hosting_meetups`` and
  ``example:mentoring_others`` (:mod:`netplan_example.skills`).

netplan finds this module through the ``netplan`` entry-point group declared in
pyproject.toml (``example = "netplan_example"``) and calls the hooks below, each with a
``register`` callback. Names are namespaced ``example:`` so they cannot collide with
netplan's own (a name two plugins claim is given to neither).
"""

from __future__ import annotations

from netplan.plugins import hookimpl
from netplan.plugins.hookspecs import (
    ImporterRegister,
    MetricRegister,
    RuleRegister,
    SkillCatalogRegister,
    StoreRegister,
)

from netplan_example.importers import meetup_attendees
from netplan_example.jsondir import open_jsondir
from netplan_example.metrics import people_introduced
from netplan_example.rules import quiet_mentors
from netplan_example.skills import CATALOG

__all__ = [
    "netplan_register_importers",
    "netplan_register_metrics",
    "netplan_register_rules",
    "netplan_register_skill_catalogs",
    "netplan_register_stores",
]

__version__ = "0.1.0"


@hookimpl
def netplan_register_stores(register: StoreRegister) -> None:
    """``jsondir:///path/to/folder``: a store as a folder of JSON files, one per plan."""
    register("jsondir", open_jsondir)


@hookimpl
def netplan_register_importers(register: ImporterRegister) -> None:
    """A meetup's ``attendees.csv``."""
    register(meetup_attendees.name, meetup_attendees)


@hookimpl
def netplan_register_metrics(register: MetricRegister) -> None:
    """Distinct people introduced to someone in a window."""
    register(people_introduced.name, people_introduced)


@hookimpl
def netplan_register_rules(register: RuleRegister) -> None:
    """Mentors not heard from in over 60 days."""
    register(quiet_mentors.name, quiet_mentors)


@hookimpl
def netplan_register_skill_catalogs(register: SkillCatalogRegister) -> None:
    """Hosting meetups and mentoring others, to rate and practise."""
    register("example", CATALOG)
