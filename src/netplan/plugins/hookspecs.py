"""The hook specifications: everything a plugin can implement.

Every hook is a *registration* hook in the llm/datasette style: netplan calls it once per
plugin with a ``register`` callback, and the plugin calls ``register`` for each thing it
provides. The host checks every registration (the name's form, the object's type, two
plugins claiming one name) and remembers which plugin registered what, so
``netplan.plugin_report()`` can say so.

Compatibility promise: a spec only ever *gains* arguments, never loses or renames one.
pluggy passes a hook implementation only the arguments it names, so a plugin written for
today's ``netplan_register_metrics(register)`` keeps working when a later netplan adds,
say, ``netplan_register_metrics(register, config)``.

The objects importers, exporters, metrics and rules register are provisional: their
protocols arrive with the issues that use them. Until then the host checks only that the
name is an id and the object is not ``None``.

Hook names, the pluggy project name and the entry-point group are all ``netplan``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from netplan.plugins._markers import hookspec
from netplan.skills import Skill
from netplan.storage import StoreOpener

__all__ = [
    "NameRegister",
    "SkillCatalogRegister",
    "StoreRegister",
    "netplan_register_exporters",
    "netplan_register_importers",
    "netplan_register_metrics",
    "netplan_register_rules",
    "netplan_register_skill_catalogs",
    "netplan_register_stores",
]


class StoreRegister(Protocol):
    """The ``register`` callback of :func:`netplan_register_stores`."""

    def __call__(self, scheme: str, opener: StoreOpener) -> None:
        """Make ``opener`` open every store URL whose scheme is ``scheme``.

        ``scheme`` is lowercase letters, digits, ``+`` and ``-``, starting with a letter.
        """
        ...


class NameRegister(Protocol):
    """The ``register`` callback of the importer, exporter, metric and rule hooks."""

    def __call__(self, name: str, obj: object) -> None:
        """Register ``obj`` under ``name``: lowercase letters, digits and ``_ . : -``,
        starting with a letter or digit (``mentoring_hours``, ``ravi:unchecked``)."""
        ...


class SkillCatalogRegister(Protocol):
    """The ``register`` callback of :func:`netplan_register_skill_catalogs`."""

    def __call__(self, name: str, skills: Iterable[Skill]) -> None:
        """Register a catalog of :class:`netplan.Skill` values under an id ``name``."""
        ...


@hookspec
def netplan_register_stores(register: StoreRegister) -> None:
    """Register store backends: ``register(scheme: str, opener: StoreOpener)``.

    ``opener(url: StoreURL, *, create: bool) -> Store`` opens the store a URL names
    (see :mod:`netplan.storage`). Two plugins claiming one scheme is an error naming both.
    """


@hookspec
def netplan_register_importers(register: NameRegister) -> None:
    """Register importers: ``register(name: str, obj: object)``. Provisional: the importer
    protocol comes with the import issue."""


@hookspec
def netplan_register_exporters(register: NameRegister) -> None:
    """Register exporters: ``register(name: str, obj: object)``. Provisional: the exporter
    protocol comes with the export issue."""


@hookspec
def netplan_register_metrics(register: NameRegister) -> None:
    """Register metrics: ``register(name: str, obj: object)``. Provisional: the metric
    protocol comes with the evaluation issue."""


@hookspec
def netplan_register_rules(register: NameRegister) -> None:
    """Register evaluation rules: ``register(name: str, obj: object)``. Provisional: the
    rule protocol comes with the evaluation issue."""


@hookspec
def netplan_register_skill_catalogs(register: SkillCatalogRegister) -> None:
    """Register skill catalogs: ``register(name: str, skills: Iterable[Skill])``.

    Every item must be a :class:`netplan.Skill`, and the ids within one catalog unique.
    """
