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

A metric must follow :class:`netplan.Metric`, a rule :class:`netplan.Rule`, an importer
:class:`netplan.core.importing.Importer` and an exporter
:class:`netplan.formats.exports.Exporter`; the host refuses one without a ``measure``,
``check``, ``read`` or ``export`` method (and an exporter without a ``suffix``).

Plugin code cannot end netplan: an implementation that raises anything, ``sys.exit()``
included (only Ctrl-C goes on), is a failure of its plugin, reported under its name. What
a registered object returns is checked where the host hands it on (an importer's
``Parsed``, an exporter's bytes, a metric's number, a rule's findings, an opener's store):
anything else is a :class:`~netplan.core.errors.PluginError` naming the plugin and what it
returned.

Hook names, the pluggy project name and the entry-point group are all ``netplan``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from netplan.core.findings import Rule
from netplan.core.importing import Importer
from netplan.core.metrics import Metric
from netplan.core.skills import Skill
from netplan.formats.exports import Exporter
from netplan.plugins._markers import hookspec
from netplan.storage import StoreOpener

__all__ = [
    "ExporterRegister",
    "ImporterRegister",
    "MetricRegister",
    "NameRegister",
    "RuleRegister",
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
    """The ``register`` callback of the importer and exporter hooks."""

    def __call__(self, name: str, obj: object) -> None:
        """Register ``obj`` under ``name``: lowercase letters, digits and ``_ . : -``,
        starting with a letter or digit (``mentoring_hours``, ``ravi:unchecked``)."""
        ...


class ExporterRegister(Protocol):
    """The ``register`` callback of :func:`netplan_register_exporters`."""

    def __call__(self, name: str, exporter: Exporter) -> None:
        """Register ``exporter`` under ``name`` (an id, like ``contacts_csv``)."""
        ...


class ImporterRegister(Protocol):
    """The ``register`` callback of :func:`netplan_register_importers`."""

    def __call__(self, name: str, importer: Importer) -> None:
        """Register ``importer`` under ``name`` (an id, like ``linkedin_connections``)."""
        ...


class MetricRegister(Protocol):
    """The ``register`` callback of :func:`netplan_register_metrics`."""

    def __call__(self, name: str, metric: Metric) -> None:
        """Register ``metric`` under ``name`` (an id, like ``mentoring_hours``)."""
        ...


class RuleRegister(Protocol):
    """The ``register`` callback of :func:`netplan_register_rules`."""

    def __call__(self, name: str, rule: Rule) -> None:
        """Register ``rule`` under ``name`` (an id, like ``coaching:no_applications``)."""
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
def netplan_register_importers(register: ImporterRegister) -> None:
    """Register importers: ``register(name: str, importer: netplan.core.importing.Importer)``.

    An importer has ``name``, ``description``, ``sniff(name, head) -> float`` (how sure it
    is that a file is its format) and ``read(name, data) -> Parsed``, pure: bytes in,
    people, touches, events (:class:`~netplan.core.importing.Happening`, with the people
    met there) and problems out, never raising for bad content. One that needs the day,
    the plan's zone or the installed metrics and rules declares ``in_context(context) ->
    Self`` and is handed a :class:`~netplan.core.context.FileContext` first. A ``sniff`` that
    raises or gives no number from 0 to 1 is logged and detects nothing; a ``read`` that
    raises or returns anything but a ``Parsed`` of netplan records is a ``PluginError``
    naming the plugin.
    """


@hookspec
def netplan_register_exporters(register: ExporterRegister) -> None:
    """Register exporters: ``register(name: str, exporter: netplan.formats.exports.Exporter)``.

    An exporter has ``name``, ``description``, ``suffix`` (``.csv``) and ``export(plan,
    log) -> bytes``, pure: netplan writes the file (atomically, private to its owner).
    One that needs the day, the plan's zone or the installed metrics and rules declares
    ``in_context(context) -> Self`` and is handed a
    :class:`~netplan.core.context.FileContext` first.
    An ``export`` that raises or returns anything but bytes is a ``PluginError`` naming
    the plugin, and no file is written.
    """


@hookspec
def netplan_register_metrics(register: MetricRegister) -> None:
    """Register metrics: ``register(name: str, metric: netplan.Metric)``.

    A metric has ``name``, ``description`` and ``measure(plan, log, window, segment) ->
    float``; targets name it (``Target(2, "mentoring_hours", per="month")``). One that
    raises, or returns no finite number, becomes a failure of the review naming it and
    this plugin.
    """


@hookspec
def netplan_register_rules(register: RuleRegister) -> None:
    """Register evaluation rules: ``register(name: str, rule: netplan.Rule)``.

    A rule has ``name``, ``description`` and ``check(context: netplan.RuleContext) ->
    Iterable[netplan.Finding]``. One that raises, or gives anything but findings, becomes
    a failed finding naming it and this plugin; the review completes.
    """


@hookspec
def netplan_register_skill_catalogs(register: SkillCatalogRegister) -> None:
    """Register skill catalogs: ``register(name: str, skills: Iterable[Skill])``.

    Every item must be a :class:`netplan.Skill`, and the ids within one catalog unique.
    People rate and practise them beside the built-in skills (the host offers them as
    ``PluginHost.skills``; a skill with a built-in one's id, or an id another catalog
    gives a different skill, is not offered and is a failure of this plugin), and a plan
    keeps a copy of each one it uses, so it stays readable without this plugin.
    """
