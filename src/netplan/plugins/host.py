"""The plugin host: finds plugins, calls their registration hooks, and keeps what they register.

Nothing happens at import time: a :class:`PluginHost` is built by calling it (tests and
the CLI build their own), and :func:`default_host` builds the process-wide one on first
use. Built-in plugins and third-party ones go through the same path, so a broken built-in
is reported exactly like a broken third-party plugin.

Plugin code never takes netplan down. Whatever a plugin raises while it loads (even
``sys.exit()``: only Ctrl-C, :class:`KeyboardInterrupt`, goes on) is a failure of that
plugin, reported under its name; and what the host hands on to a review, an import, an
export or a store is checked at the boundary: an importer, exporter, metric, rule or store
opener that raises something it must not, or returns what it must not, is a
:class:`~netplan.core.errors.PluginError` naming the plugin and what it returned (a failure of
the review naming it, for metrics and rules), never an error deep inside netplan. Each
plugin's loading is timed, and one slower than :data:`SLOW_LOAD_SECONDS` is named in the
report.

Environment variables, read when a host is built:

``NETPLAN_STRICT_PLUGINS``
    ``1``/``true``: a plugin failure raises :class:`~netplan.core.errors.PluginError` instead
    of being reported and skipped.
``NETPLAN_PLUGINS``
    Comma-separated allow-list of external plugins (entry-point or distribution names).
    When set, only those entry points load; set but empty, none does.
``NETPLAN_DISABLE_PLUGINS``
    Comma-separated block-list of plugins, built-ins included
    (``netplan.stores.jsonfile``).
``NETPLAN_STORE``
    The URL :func:`open` uses when given none.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import importlib
import importlib.metadata
import logging
import math
import os
import re
import reprlib
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any, Self, TypeVar, cast

import pluggy
from attrs import asdict, define, field, frozen

from netplan._version import __version__ as NETPLAN_VERSION
from netplan.app.files import MAX_BYTES, MAX_TOTAL_BYTES, Imported, ImportSource
from netplan.core.context import FileContext
from netplan.core.errors import NetplanError, PluginError, UnknownBackendError
from netplan.core.evaluation import Review
from netplan.core.findings import Finding, Rule, RuleContext
from netplan.core.importing import (
    CalendarWindow,
    Happening,
    Importer,
    Parsed,
    People,
    Person,
    Problem,
    Touch,
)
from netplan.core.log import ActivityLog
from netplan.core.metrics import Metric, MetricCapabilities, Window, metric_units
from netplan.core.network import Segment
from netplan.core.plan import Plan
from netplan.core.skills import BUILTIN_SKILLS, Skill
from netplan.formats.exports import Exporter
from netplan.plugins import hookspecs
from netplan.plugins.hookspecs import (
    ExporterRegister,
    ImporterRegister,
    MetricRegister,
    RuleRegister,
    SkillCatalogRegister,
    StoreRegister,
)
from netplan.storage import Store, StoreOpener, parse_url

__all__ = [
    "BUILTIN_PLUGINS",
    "SLOW_LOAD_SECONDS",
    "PluginHost",
    "PluginInfo",
    "PluginReport",
    "default_host",
    "default_store_url",
    "open",
    "report",
    "register",
    "export_file",
    "import_files",
    "installed_skills",
    "log_to_stderr",
    "reset_default_host",
    "review",
]

PROJECT = "netplan"
"""The pluggy project name, the entry-point group and the prefix of every hook name."""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "netplan.stores.memory",
    "netplan.stores.sqlite",
    "netplan.stores.jsonfile",
    "netplan.stores.postgres",
    "netplan.plugins.metrics",
    "netplan.plugins.rules",
    "netplan.plugins.importers",
    "netplan.plugins.exporters",
)
"""netplan's own plugins, imported by name like any other: a broken one is reported, not fatal."""

_BUILTIN_OBJECTS = {
    "netplan.stores.memory": ("netplan.plugins.stores", "memory"),
    "netplan.stores.sqlite": ("netplan.plugins.stores", "sqlite"),
    "netplan.stores.jsonfile": ("netplan.plugins.stores", "jsonfile"),
    "netplan.stores.postgres": ("netplan.plugins.stores", "postgres"),
}
"""The built-in plugins that are an object of a module rather than a module: each store
is a plugin named after the module that holds it, registered from the plugin layer."""

SLOW_LOAD_SECONDS = 1.0
"""A plugin whose loading (importing it, and its registration hooks) takes longer is
named in the report and in ``netplan plugins``: every netplan command waits for it."""

STRICT_VAR = "NETPLAN_STRICT_PLUGINS"
ALLOW_VAR = "NETPLAN_PLUGINS"
BLOCK_VAR = "NETPLAN_DISABLE_PLUGINS"
STORE_VAR = "NETPLAN_STORE"

_log = logging.getLogger("netplan.plugins")

_NAME = re.compile(r"[a-z0-9][a-z0-9_.:-]*")
_SCHEME = re.compile(r"[a-z][a-z0-9+-]*")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})

# What a registered object must be able to do, by kind of registration.
_PROTOCOL_METHODS = {
    "metric": "measure",
    "rule": "check",
    "importer": "read",
    "exporter": "export",
}
_PROTOCOLS = {
    "metric": "Metric",
    "rule": "Rule",
    "importer": "importing.Importer",
    "exporter": "formats.exports.Exporter",
}

_HOOK_NAMES: tuple[str, ...] = tuple(
    name for name in hookspecs.__all__ if name.startswith(f"{PROJECT}_")
)


# -- the report ---------------------------------------------------------------------------


@frozen
class PluginInfo:
    """One plugin as the host sees it: what it registers, or why it failed."""

    name: str
    """The plugin's name: the entry-point name, a built-in's module, or the name given to
    :meth:`PluginHost.register`."""
    version: str | None
    """The version of the distribution that provides it, when known."""
    registers: tuple[str, ...]
    """What it registered, as ``kind:name`` (``store:sqlite``, ``metric:mentoring_hours``)."""
    builtin: bool
    """Whether it is one of netplan's own :data:`BUILTIN_PLUGINS`."""
    error: str | None
    """Why it failed to load or to register (all of it, or some), or ``None``."""
    distribution: str | None = None
    """The name of the installed distribution that declares it, when known."""
    load_seconds: float = field(default=0.0, eq=False)
    """How long loading it took, in seconds: importing it, and calling its registration
    hooks (the last time they were called). Not compared: it differs from run to run."""

    @property
    def slow(self) -> bool:
        """Whether loading it took longer than :data:`SLOW_LOAD_SECONDS`."""
        return self.load_seconds > SLOW_LOAD_SECONDS


@frozen
class PluginReport:
    """Every plugin a host tried, in load order, with the plugins disabled by environment
    variables and any note about those variables. ``str()`` is a readable table."""

    plugins: tuple[PluginInfo, ...]
    disabled: tuple[str, ...] = ()
    """Plugins skipped because of ``NETPLAN_DISABLE_PLUGINS`` or ``NETPLAN_PLUGINS``."""
    notes: tuple[str, ...] = ()
    """Remarks about the environment, such as a block-list naming no plugin."""

    @property
    def failed(self) -> tuple[PluginInfo, ...]:
        """The plugins with an error."""
        return tuple(p for p in self.plugins if p.error is not None)

    @property
    def slow(self) -> tuple[PluginInfo, ...]:
        """The plugins that took longer than :data:`SLOW_LOAD_SECONDS` to load."""
        return tuple(p for p in self.plugins if p.slow)

    def __iter__(self) -> Iterator[PluginInfo]:
        return iter(self.plugins)

    def __len__(self) -> int:
        return len(self.plugins)

    def __getitem__(self, name: str) -> PluginInfo:
        """The plugin named ``name`` (:class:`KeyError` naming the known ones if absent)."""
        for info in self.plugins:
            if info.name == name:
                return info
        known = ", ".join(p.name for p in self.plugins) or "none"
        raise KeyError(f"no plugin {name!r}; the report holds: {known}")

    def __str__(self) -> str:
        rows = [("plugin", "version", "from", "registers")]
        for p in self.plugins:
            origin = "built-in" if p.builtin else (p.distribution or "-")
            registers = " ".join(p.registers) or "-"
            if p.error is not None:
                registers = f"{registers}  [FAILED]" if p.registers else "FAILED"
            rows.append((p.name, p.version or "-", origin, registers))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
            for row in rows
        ]
        lines = [line.rstrip() for line in lines]
        loaded = len(self.plugins) - len(self.failed)
        slow = f", {len(self.slow)} slow" if self.slow else ""
        lines.append(f"{loaded} plugins loaded, {len(self.failed)} failed{slow}")
        lines.extend(f"  {p.name}: {p.error}" for p in self.failed)
        lines.extend(f"  {p.name}: {_slow_message(p)}" for p in self.slow)
        if self.disabled:
            lines.append(f"disabled: {', '.join(self.disabled)}")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)


# -- the typed facade ---------------------------------------------------------------------


class _Hooks:
    """The one place hooks are called: a typed method per hook, always by keyword.

    Each method calls a single implementation, not the whole hook, so one plugin raising
    cannot stop the others' registrations, and the host knows whose registration it is.
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def impls(self, hook: str) -> list[pluggy.HookImpl]:
        # pluggy calls implementations from the end of this list; keep its order
        # (tryfirst first, trylast last) so reports read in call order.
        caller: pluggy.HookCaller = getattr(self._pm.hook, hook)
        return list(reversed(caller.get_hookimpls()))

    def netplan_register_stores(self, impl: pluggy.HookImpl, *, register: StoreRegister) -> None:
        _call(impl, register=register)

    def netplan_register_importers(
        self, impl: pluggy.HookImpl, *, register: ImporterRegister
    ) -> None:
        _call(impl, register=register)

    def netplan_register_exporters(
        self, impl: pluggy.HookImpl, *, register: ExporterRegister
    ) -> None:
        _call(impl, register=register)

    def netplan_register_metrics(self, impl: pluggy.HookImpl, *, register: MetricRegister) -> None:
        _call(impl, register=register)

    def netplan_register_rules(self, impl: pluggy.HookImpl, *, register: RuleRegister) -> None:
        _call(impl, register=register)

    def netplan_register_skill_catalogs(
        self, impl: pluggy.HookImpl, *, register: SkillCatalogRegister
    ) -> None:
        _call(impl, register=register)


def _call(impl: pluggy.HookImpl, **kwargs: object) -> None:
    if impl.hookwrapper or impl.wrapper:
        raise PluginError(
            f"{impl.function.__name__} is declared as a hook wrapper; registration hooks "
            "are plain functions: drop wrapper=/hookwrapper= from its @hookimpl"
        )
    # pluggy's contract: an implementation receives only the arguments it names, which is
    # what lets a spec gain arguments without breaking older plugins.
    impl.function(**{name: value for name, value in kwargs.items() if name in impl.argnames})


@frozen
class _Claim:
    kind: str
    key: str
    obj: object
    plugin: str
    fallback: bool
    checked: object
    """What the host hands on: ``obj`` behind the checks of its kind (see :func:`_checked`)."""


class _Registrar:
    """The ``register`` callbacks handed to one implementation of one hook.

    Claims are kept apart until the implementation returns, so a plugin that raises half
    way registers nothing from that hook.
    """

    def __init__(self, plugin: str, hook: str, kind: str, *, fallback: bool) -> None:
        self.plugin = plugin
        self.hook = hook
        self.kind = kind
        self.fallback = fallback
        self.claims: list[_Claim] = []

    def _reject(self, what: str, value: object, rule: str) -> PluginError:
        return PluginError(
            f"plugin {self.plugin!r} called register() in {self.hook} with {what} "
            f"{value!r}, which {rule}"
        )

    def _claim(self, key: str, obj: object, checked: object = None) -> None:
        checked = obj if checked is None else checked
        self.claims.append(_Claim(self.kind, key, obj, self.plugin, self.fallback, checked))

    def _check_name(self, name: object) -> str:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise self._reject(
                "the name",
                name,
                "is not an id: use lowercase letters, digits and _ . : -, starting with a "
                "letter or digit (like 'mentoring_hours')",
            )
        return name

    def store(self, scheme: str, opener: StoreOpener) -> None:
        if not isinstance(scheme, str) or not _SCHEME.fullmatch(scheme):
            raise self._reject(
                "the scheme",
                scheme,
                "is not a URL scheme: use lowercase letters, digits, + and -, starting with "
                "a letter (like 'mongo' for mongo://...)",
            )
        if not callable(opener):
            raise self._reject(
                "the opener",
                opener,
                "is not callable: pass a function opener(url, *, create) that returns a Store",
            )
        self._claim(scheme, opener)

    def named(self, name: str, obj: object) -> None:
        key = self._check_name(name)
        if obj is None:
            raise self._reject(f"{self.kind} {key!r} and the object", obj, "is None")
        method = _PROTOCOL_METHODS.get(self.kind)
        if method is not None and not callable(getattr(obj, method, None)):
            raise self._reject(
                f"{self.kind} {key!r} and the object",
                obj,
                f"has no {method}() method: see netplan.{_PROTOCOLS[self.kind]} in docs/plugins.md",
            )
        if self.kind == "exporter":
            suffix = getattr(obj, "suffix", None)
            if not isinstance(suffix, str) or not suffix:
                raise self._reject(
                    f"exporter {key!r} whose suffix is",
                    suffix,
                    "is not the suffix of the files it writes: give it one, like '.csv' "
                    "(an empty one would match every file)",
                )
        # Read here, under the hook's guard: a property that raises is this plugin's failure.
        self._claim(key, obj, _checked(self.kind, key, obj, self.plugin))

    def importer(self, name: str, importer: Importer) -> None:
        self.named(name, importer)

    def exporter(self, name: str, exporter: Exporter) -> None:
        self.named(name, exporter)

    def metric(self, name: str, metric: Metric) -> None:
        self.named(name, metric)

    def rule(self, name: str, rule: Rule) -> None:
        self.named(name, rule)

    def catalog(self, name: str, skills: object) -> None:
        key = self._check_name(name)
        if isinstance(skills, str | bytes) or not isinstance(skills, Iterable):
            raise self._reject(
                f"skill catalog {key!r} and", skills, "is not an iterable of netplan.Skill"
            )
        items = tuple(skills)
        seen: set[str] = set()
        for index, skill in enumerate(items):
            if not isinstance(skill, Skill):
                raise self._reject(
                    f"skill catalog {key!r} whose item {index}",
                    skill,
                    "is not a netplan.Skill: build each with netplan.Skill(id, name)",
                )
            if skill.id in seen:
                raise self._reject(
                    f"skill catalog {key!r} whose item {index} has the id",
                    skill.id,
                    "an earlier item already uses: ids within a catalog must be unique",
                )
            seen.add(skill.id)
        self._claim(key, items)


# Which registrar callback each hook receives; typed through the facade's methods.
_HookCall = Callable[[_Hooks, pluggy.HookImpl, _Registrar], None]
_HOOKS: tuple[tuple[str, str, _HookCall], ...] = (
    (
        "netplan_register_stores",
        "store",
        lambda h, impl, r: h.netplan_register_stores(impl, register=r.store),
    ),
    (
        "netplan_register_importers",
        "importer",
        lambda h, impl, r: h.netplan_register_importers(impl, register=r.importer),
    ),
    (
        "netplan_register_exporters",
        "exporter",
        lambda h, impl, r: h.netplan_register_exporters(impl, register=r.exporter),
    ),
    (
        "netplan_register_metrics",
        "metric",
        lambda h, impl, r: h.netplan_register_metrics(impl, register=r.metric),
    ),
    (
        "netplan_register_rules",
        "rule",
        lambda h, impl, r: h.netplan_register_rules(impl, register=r.rule),
    ),
    (
        "netplan_register_skill_catalogs",
        "skill_catalog",
        lambda h, impl, r: h.netplan_register_skill_catalogs(impl, register=r.catalog),
    ),
)
_KINDS = tuple(kind for _, kind, _ in _HOOKS)
_KIND_LABEL = {"store": "store scheme", "skill_catalog": "skill catalog"}


@define
class _Meta:
    name: str
    version: str | None
    distribution: str | None
    builtin: bool
    errors: list[str] = field(factory=list)
    load_seconds: float = 0.0
    """Importing it and registering it with pluggy (its hooks are timed by _collect)."""


# -- the host -----------------------------------------------------------------------------


class PluginHost:
    """Loads plugins and holds what they register.

    >>> host = PluginHost(entry_points=False, environ={})
    >>> host.report()["netplan.stores.memory"].registers
    ('store:memory',)
    >>> host.open("memory://")
    MemoryStore(0 plans)

    Args:
        entry_points: load the plugins installed under the ``netplan`` entry-point group.
        builtins: register netplan's own :data:`BUILTIN_PLUGINS`.
        plugins: more plugin objects or modules to register, named by their ``__name__``
            (or their class's).
        environ: where to read ``NETPLAN_*`` variables; ``os.environ`` by default.

    Raises:
        PluginError: under ``NETPLAN_STRICT_PLUGINS``, on the first plugin failure; and
            whenever an environment variable has a value it cannot mean.
    """

    def __init__(
        self,
        *,
        entry_points: bool = True,
        builtins: bool = True,
        plugins: Iterable[object] = (),
        environ: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        self._strict = _flag(env, STRICT_VAR)
        self._allow = _names(env, ALLOW_VAR)
        self._block = _names(env, BLOCK_VAR) or frozenset()
        self._pm = pluggy.PluginManager(PROJECT)
        self._pm.add_hookspecs(hookspecs)
        self._hooks = _Hooks(self._pm)
        self._meta: dict[str, _Meta] = {}
        self._disabled: list[str] = []
        self._notes: list[str] = []
        self._registries: dict[str, dict[str, object]] = {kind: {} for kind in _KINDS}
        self._checked: dict[str, dict[str, object]] = {kind: {} for kind in _KINDS}
        self._registered_by: dict[str, list[str]] = {}
        self._hook_errors: dict[str, list[str]] = {}
        self._hook_seconds: dict[str, float] = {}
        self._told_slow: set[str] = set()
        self._conflicts: dict[tuple[str, str], str] = {}
        self._skills: dict[str, Skill] = {}
        self._skill_origins: dict[str, str] = {}
        seen_entry_points: set[str] = set()

        if builtins:
            for module_name in BUILTIN_PLUGINS:
                self._load_builtin(module_name)
        if entry_points:
            seen_entry_points = self._load_entry_points()
        for plugin in plugins:
            name = _default_name(plugin)
            if name in self._block:
                self._disabled.append(name)
                continue
            meta = _Meta(name, _plugin_version(plugin), None, builtin=False)
            if self._track(meta, "pass plugins with distinct __name__s"):
                with _timed(meta):
                    self._add(plugin, meta)
        self._check_environment_names(seen_entry_points)
        self._check_pending()
        self._collect()
        self._log_load_times()

    # -- public API

    @property
    def strict(self) -> bool:
        """Whether plugin failures raise (``NETPLAN_STRICT_PLUGINS``)."""
        return self._strict

    @property
    def stores(self) -> Mapping[str, StoreOpener]:
        """Store openers by URL scheme (read-only)."""
        return MappingProxyType(self._registries["store"])  # type: ignore[arg-type]

    @property
    def importers(self) -> Mapping[str, Importer]:
        """Importers by name (read-only)."""
        return MappingProxyType(self._registries["importer"])  # type: ignore[arg-type]

    @property
    def exporters(self) -> Mapping[str, Exporter]:
        """Exporters by name (read-only)."""
        return MappingProxyType(self._registries["exporter"])  # type: ignore[arg-type]

    @property
    def metrics(self) -> Mapping[str, Metric]:
        """Metrics by name (read-only)."""
        return MappingProxyType(self._registries["metric"])  # type: ignore[arg-type]

    @property
    def rules(self) -> Mapping[str, Rule]:
        """Evaluation rules by name (read-only)."""
        return MappingProxyType(self._registries["rule"])  # type: ignore[arg-type]

    @property
    def skill_catalogs(self) -> Mapping[str, tuple[Skill, ...]]:
        """Skill catalogs by name, each a tuple of :class:`netplan.Skill` (read-only), as
        their plugins registered them; :attr:`skills` is what a plan may use of them."""
        return MappingProxyType(self._registries["skill_catalog"])  # type: ignore[arg-type]

    @property
    def skills(self) -> Mapping[str, Skill]:
        """The installed catalogs' skills by id (read-only): those a person may rate and
        practise beside the built-in ones and the plan's own, by catalog name, then in
        the order each catalog gives them. Pass them to :meth:`netplan.Plan.assess`,
        :meth:`~netplan.Plan.add_action` or :meth:`~netplan.Plan.edit_action` as
        ``catalog=``, and the plan keeps a copy of each it uses.

        One id, one skill: a catalog's skill with a built-in skill's id is left out (the
        built-in one wins), and so is an id two catalogs give to different skills
        (neither wins); either is a failure of the plugins involved in :meth:`report`
        (raised under ``NETPLAN_STRICT_PLUGINS``). The same skill in two catalogs is
        offered once."""
        return MappingProxyType(self._skills)

    @property
    def skill_origins(self) -> Mapping[str, str]:
        """The name of the catalog each of :attr:`skills` comes from, by skill id (the
        first by name, when two catalogs give the same skill); :meth:`sources` says
        which plugin registered the catalog (``sources("skill_catalog")``)."""
        return MappingProxyType(self._skill_origins)

    def sources(self, kind: str) -> Mapping[str, str]:
        """Which plugin registered each name of ``kind`` (``"metric"``, ``"rule"``...)."""
        prefix = f"{kind}:"
        return {
            tag[len(prefix) :]: plugin
            for plugin, tags in self._registered_by.items()
            for tag in tags
            if tag.startswith(prefix)
        }

    def review(
        self,
        plan: Plan,
        log: ActivityLog,
        as_of: dt.date,
        *,
        metrics: Mapping[str, Metric] | Iterable[Metric] | None = None,
        rules: Mapping[str, Rule] | Iterable[Rule] | None = None,
        risk_days: int = 2,
        ahead_days: int = 7,
        history: int | None = None,
    ) -> Review:
        """:func:`netplan.core.evaluation.review` with the installed metrics and rules (or
        the ``metrics`` and ``rules`` given, such as a selection of the installed ones); a
        failure names the plugin that registered what failed.

        ``as_of`` is a day of the plan's zone (``plan.zone.day(now)`` is the person's
        today); ``risk_days``, ``ahead_days`` and ``history`` are the review's own (see
        :func:`~netplan.core.evaluation.review`)."""
        from netplan.core.evaluation import review

        sources = {**self.sources("metric"), **self.sources("rule")}
        return review(
            plan,
            log,
            as_of,
            self._checked_selection("metric", self.metrics if metrics is None else metrics),
            self._checked_selection("rule", self.rules if rules is None else rules),
            sources=sources,
            risk_days=risk_days,
            ahead_days=ahead_days,
            history=history,
        )

    def import_files(
        self,
        store: Store,
        plan_id: str,
        path: ImportSource,
        *,
        name: str | None = None,
        format: str | None = None,
        dry_run: bool = False,
        skip_bad: bool = False,
        max_bytes: int = MAX_BYTES,
        window: CalendarWindow | None = None,
        today: dt.date | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        me: Collection[str] = (),
        max_total: int = MAX_TOTAL_BYTES,
        attempts: int = 3,
    ) -> Imported:
        """Import a file, a folder, a zip archive or an upload (its bytes or a binary file
        object, with its ``name``) into a stored plan with the installed importers.

        ``today`` is by default today in the plan's zone (never the server's), and
        ``window`` a year back to six months ahead of it; the options are those of
        :func:`netplan.app.files.import_files`."""
        from netplan.app.files import import_files

        importers = cast(
            Mapping[str, Importer], self._checked_selection("importer", self.importers)
        )
        return import_files(
            store,
            plan_id,
            path,
            importers,
            name=name,
            format=format,
            dry_run=dry_run,
            skip_bad=skip_bad,
            max_bytes=max_bytes,
            window=window,
            today=today,
            progress=progress,
            me=me,
            max_total=max_total,
            attempts=attempts,
            metrics=self._checked_selection("metric", self.metrics),
            rules=self._checked_selection("rule", self.rules),
        )

    def export_file(
        self,
        store: Store,
        plan_id: str,
        path: str | Path,
        *,
        format: str | None = None,
        window: CalendarWindow | None = None,
        today: dt.date | None = None,
    ) -> Path:
        """Write a stored plan to ``path`` with an installed exporter (``format``, or the
        one whose suffix the path has); a calendar is written for ``window`` (by default
        the four weeks from ``today``, by default today in the plan's zone); an exporter
        that takes a :class:`~netplan.core.context.FileContext` gets those and the
        installed metrics and rules. See :func:`netplan.app.files.export_file`."""
        from netplan.app.files import export_file

        exporters = cast(
            Mapping[str, Exporter], self._checked_selection("exporter", self.exporters)
        )
        return export_file(
            store,
            plan_id,
            path,
            exporters,
            format=format,
            window=window,
            today=today,
            metrics=self._checked_selection("metric", self.metrics),
            rules=self._checked_selection("rule", self.rules),
        )

    def open(self, url: str, *, create: bool = False) -> Store:
        """Open the store ``url`` names, with the backend registered for its scheme.

        Raises:
            UnknownBackendError: no plugin registers the scheme; the message lists the
                installed ones.
            PluginError: two plugins claim the scheme, or the backend returned no Store.
            StoreNotFoundError: there is no store there and ``create`` is false.
        """
        parsed = parse_url(url)
        conflict = self._conflicts.get(("store", parsed.scheme))
        if conflict is not None:
            raise PluginError(f"cannot open {parsed.text}: {conflict}")
        opener = self._registries["store"].get(parsed.scheme)
        if opener is None:
            raise UnknownBackendError(self._unknown_scheme(parsed.scheme, parsed.text))
        what = f"the opener for {parsed.scheme}:// (plugin {self._owner('store', parsed.scheme)!r})"

        owner = self._owner("store", parsed.scheme)
        builtin = owner in self._meta and self._meta[owner].builtin

        def opened() -> Store:
            store = opener(parsed, create=create)  # type: ignore[operator]
            if not isinstance(store, Store):  # reads the object's attributes: plugin code
                raise PluginError(
                    f"{what} returned {_show(store)}, which is not a netplan Store: it must "
                    "return an object with the methods of netplan.storage.Store"
                )
            return store if builtin else cast(Store, _exit_guarded(store, owner))

        # What an opener may mean to raise (no such store, a folder it cannot read) goes on.
        return _guarded(what, opened, passes=(NetplanError, OSError))

    def _checked_selection(self, kind: str, items: Any) -> Any:
        """``items`` (a mapping or an iterable of them, as a review takes) with every object
        this host registered of ``kind`` replaced by its checked self."""
        registered = self._registries[kind]
        checked = self._checked[kind]
        by_id = {id(obj): checked[key] for key, obj in registered.items() if key in checked}
        if isinstance(items, Mapping):
            return {key: by_id.get(id(obj), obj) for key, obj in items.items()}
        return [by_id.get(id(obj), obj) for obj in items]

    def _log_load_times(self) -> None:
        report = self.report()
        for info in report.slow:
            if info.name not in self._told_slow:  # once, not at every run-time registration
                self._told_slow.add(info.name)
                _log.info("plugin %r is %s (see `netplan plugins`)", info.name, _slow_message(info))
        if _log.isEnabledFor(logging.DEBUG) and report.plugins:
            slowest = sorted(report.plugins, key=lambda p: -p.load_seconds)[:3]
            _log.debug(
                "%d plugins loaded in %.2f s; slowest: %s",
                len(report.plugins),
                sum(p.load_seconds for p in report.plugins),
                ", ".join(f"{p.name} ({p.load_seconds:.2f} s)" for p in slowest),
            )

    def register(self, plugin: object, name: str | None = None) -> PluginInfo:
        """Register a plugin object or module at run time (in a notebook, say).

        Every plugin's registrations are collected again; a failure of this plugin is
        reported like any other (and raised under ``NETPLAN_STRICT_PLUGINS``). Returns
        what the report says about it.

        Raises:
            PluginError: ``NETPLAN_DISABLE_PLUGINS`` blocks the name, or strict mode and
                the plugin failed (it is then left unregistered).
        """
        name = _default_name(plugin) if name is None else name
        if name in self._block:
            raise PluginError(
                f"plugin {name!r} is blocked by {BLOCK_VAR}; remove it from the variable "
                "to register it"
            )
        if name in self._meta:
            raise PluginError(
                f"a plugin named {name!r} is already registered: pass another name, "
                "register(plugin, name='...')"
            )
        meta = _Meta(name, _plugin_version(plugin), None, builtin=False)
        self._meta[name] = meta
        try:
            with _timed(meta):
                self._add(plugin, meta)
            self._check_pending()
            self._collect()
        except BaseException:
            # Strict mode, or Ctrl-C: leave the host exactly as it was before the call.
            del self._meta[name]
            if self._pm.get_plugin(name) is plugin:
                self._pm.unregister(name=name)
            raise
        self._log_load_times()
        return self.report()[name]

    def report(self) -> PluginReport:
        """Every plugin tried, what it registers, and every failure."""
        infos = []
        for key, meta in self._meta.items():
            errors = [*meta.errors, *self._hook_errors.get(meta.name, ())]
            infos.append(
                PluginInfo(
                    key,
                    meta.version,
                    tuple(self._registered_by.get(meta.name, ())),
                    meta.builtin,
                    "; ".join(errors) if errors else None,
                    meta.distribution,
                    meta.load_seconds + self._hook_seconds.get(meta.name, 0.0),
                )
            )
        return PluginReport(tuple(infos), tuple(self._disabled), tuple(self._notes))

    def __repr__(self) -> str:
        failed = len(self.report().failed)
        return f"PluginHost({len(self._meta)} plugins, {failed} failed)"

    # -- loading

    def _raise_or_log(self, message: str, exc: BaseException | None) -> None:
        if self._strict:
            raise PluginError(
                f"{message} (plugin failures are fatal because {STRICT_VAR} is set)"
            ) from exc
        # Logged as well as reported: a batch job's logs show it without asking.
        _log.warning("%s", message)

    def _fail(self, meta: _Meta, message: str, exc: BaseException | None = None) -> None:
        self._raise_or_log(message, exc)
        meta.errors.append(message)

    def _load_builtin(self, module_name: str) -> None:
        meta = _Meta(module_name, NETPLAN_VERSION, "netplan", builtin=True)
        if module_name in self._block:
            self._disabled.append(module_name)
            return
        if not self._track(meta, "list it once in BUILTIN_PLUGINS"):
            return
        with _timed(meta):
            try:
                place, attribute = _BUILTIN_OBJECTS.get(module_name, (module_name, ""))
                module = importlib.import_module(place)
                if attribute:
                    module = getattr(module, attribute)
            except BaseException as exc:
                if _interrupting(exc):
                    raise
                self._fail(
                    meta, f"built-in plugin {module_name!r} failed to import: {_describe(exc)}", exc
                )
                return
            self._add(module, meta)

    def _load_entry_points(self) -> set[str]:
        seen: set[str] = set()
        for ep in importlib.metadata.entry_points(group=PROJECT):
            dist = getattr(ep, "dist", None)
            dist_name = dist.name if dist is not None else None
            version = dist.version if dist is not None else None
            aliases = {ep.name, *([dist_name] if dist_name else [])}
            seen |= aliases
            if aliases & self._block or (self._allow is not None and not aliases & self._allow):
                self._disabled.append(ep.name)
                continue
            meta = _Meta(ep.name, version, dist_name, builtin=False)
            where = f" (from {dist_name} {version})" if dist_name else ""
            if not self._track(meta, "rename its entry point in [project.entry-points.netplan]"):
                continue
            # Named before it loads: under --debug, a plugin that hangs is the last one named.
            _log.debug("loading plugin %r%s", ep.name, where)
            with _timed(meta):
                try:
                    plugin = ep.load()
                except BaseException as exc:
                    if _interrupting(exc):
                        raise
                    self._fail(
                        meta,
                        f"plugin {ep.name!r}{where} failed to import {ep.value!r}: "
                        f"{_describe(exc)}",
                        exc,
                    )
                    continue
                self._add(plugin, meta)
        return seen

    def _track(self, meta: _Meta, fix: str) -> bool:
        """Record a plugin about to load; False (and a recorded failure) if its name is taken.

        The report keeps the loser under a numbered name so its failure stays visible.
        """
        if meta.name not in self._meta:
            self._meta[meta.name] = meta
            return True
        number = 2
        while f"{meta.name} ({number})" in self._meta:
            number += 1
        self._meta[f"{meta.name} ({number})"] = meta
        origin = f" (from {meta.distribution} {meta.version})" if meta.distribution else ""
        self._fail(meta, f"a second plugin named {meta.name!r}{origin} was skipped: {fix}")
        return False

    def _add(self, plugin: object, meta: _Meta) -> bool:
        """Register one plugin object; False (and a recorded failure) if pluggy refuses it."""
        try:
            unmarked = [
                hook
                for hook in _HOOK_NAMES
                if callable(getattr(plugin, hook, None))
                and not hasattr(getattr(plugin, hook), f"{PROJECT}_impl")
            ]
        except BaseException as exc:  # a property or __getattr__ of the plugin's raised
            if _interrupting(exc):
                raise
            self._fail(meta, f"plugin {meta.name!r} was refused: {_describe(exc)}", exc)
            return False
        if unmarked:
            self._fail(
                meta,
                f"plugin {meta.name!r} defines {', '.join(unmarked)} without "
                "@netplan.hookimpl, so netplan would never call it: decorate it",
            )
            return False
        try:
            self._pm.register(plugin, name=meta.name)
        except BaseException as exc:
            if _interrupting(exc):
                raise
            # pluggy may have kept the hooks it read before the failure: none may run.
            if self._pm.get_plugin(meta.name) is plugin:
                self._pm.unregister(name=meta.name)
            self._fail(meta, f"plugin {meta.name!r} was refused: {_describe(exc)}", exc)
            return False
        return True

    def _check_environment_names(self, entry_point_names: set[str]) -> None:
        known = set(self._meta) | set(self._disabled) | set(BUILTIN_PLUGINS) | entry_point_names
        for var, names in ((ALLOW_VAR, self._allow or frozenset()), (BLOCK_VAR, self._block)):
            for name in sorted(names - known):
                self._notes.append(
                    f"{var} names {name!r}, which is no installed plugin "
                    f"(known: {', '.join(sorted(known)) or 'none'})"
                )

    def _check_pending(self) -> None:
        """pluggy's check_pending, turned into a PluginError per plugin with a hint.

        Without it, a hookimpl whose name matches no spec (a typo) is silently never called.
        """
        while True:
            try:
                self._pm.check_pending()
            except pluggy.PluginValidationError as exc:
                plugin = exc.plugin
                name = self._pm.get_name(plugin) or repr(plugin)
                unknown = sorted(
                    caller.name
                    for caller in self._pm.get_hookcallers(plugin) or ()
                    if not caller.has_spec()
                )
                self._pm.unregister(plugin)
                meta = self._meta.setdefault(name, _Meta(name, None, None, builtin=False))
                self._fail(meta, _unknown_hook_message(name, unknown), exc)
            else:
                return

    def _collect(self) -> None:
        """Call every registration hook, one implementation at a time, and validate.

        Builds into fresh dictionaries and swaps them in at the end, so a strict-mode
        failure leaves the host as it was.
        """
        claims: dict[tuple[str, str], list[_Claim]] = {}
        hook_errors: dict[str, list[str]] = {}
        hook_seconds: dict[str, float] = {}
        for hook, kind, call in _HOOKS:
            for impl in self._hooks.impls(hook):
                registrar = _Registrar(impl.plugin_name, hook, kind, fallback=impl.trylast)
                started = _clock()
                try:
                    call(self._hooks, impl, registrar)
                except BaseException as exc:
                    if _interrupting(exc):
                        raise
                    message = (
                        str(exc)
                        if isinstance(exc, PluginError)
                        else f"plugin {impl.plugin_name!r} raised in {hook}: {_describe(exc)}"
                    )
                    self._fail_collect(hook_errors, impl.plugin_name, message, exc)
                    continue
                finally:
                    spent = _clock() - started
                    hook_seconds[impl.plugin_name] = hook_seconds.get(impl.plugin_name, 0.0) + spent
                for claim in registrar.claims:
                    claims.setdefault((claim.kind, claim.key), []).append(claim)

        registries: dict[str, dict[str, object]] = {kind: {} for kind in _KINDS}
        checked: dict[str, dict[str, object]] = {kind: {} for kind in _KINDS}
        registered_by: dict[str, list[str]] = {}
        conflicts: dict[tuple[str, str], str] = {}
        for (kind, key), group in claims.items():
            # A trylast registration is a fallback: it yields to any ordinary one.
            winners = [c for c in group if not c.fallback] or group
            if len(winners) == 1:
                registries[kind][key] = winners[0].obj
                checked[kind][key] = winners[0].checked
                registered_by.setdefault(winners[0].plugin, []).append(f"{kind}:{key}")
                continue
            message = _conflict_message(kind, key, [c.plugin for c in winners])
            conflicts[(kind, key)] = message
            for plugin in dict.fromkeys(c.plugin for c in winners):
                self._fail_collect(hook_errors, plugin, message, None)

        owners = {
            tag.removeprefix("skill_catalog:"): plugin
            for plugin, tags in registered_by.items()
            for tag in tags
            if tag.startswith("skill_catalog:")
        }
        catalogs = cast(Mapping[str, tuple[Skill, ...]], registries["skill_catalog"])
        skills, origins, problems = _merge_catalogs(catalogs, owners)
        for plugins, message in problems:
            for plugin in plugins:
                self._fail_collect(hook_errors, plugin, message, None)

        self._registries = registries
        self._checked = checked
        self._registered_by = registered_by
        self._hook_errors = hook_errors
        self._hook_seconds = hook_seconds
        self._conflicts = conflicts
        self._skills = skills
        self._skill_origins = origins

    def _fail_collect(
        self,
        errors: dict[str, list[str]],
        plugin: str,
        message: str,
        exc: BaseException | None,
    ) -> None:
        self._raise_or_log(message, exc)
        errors.setdefault(plugin, []).append(message)

    # -- messages

    def _owner(self, kind: str, key: str) -> str:
        tag = f"{kind}:{key}"
        return next((p for p, tags in self._registered_by.items() if tag in tags), "?")

    def _unknown_scheme(self, scheme: str, url: str) -> str:
        installed = ", ".join(f"{s}://" for s in sorted(self._registries["store"])) or "none"
        message = (
            f"no store backend handles {scheme}:// (in {url!r}); installed: {installed}. "
            f"Check the spelling, or install a plugin that registers the scheme {scheme!r} "
            "through netplan_register_stores"
        )
        failed = self.report().failed
        if failed:
            names = ", ".join(repr(p.name) for p in failed)
            message += f". These plugins failed to load and may provide it: {names} (see netplan.plugin_report())"
        return message


# -- helpers ------------------------------------------------------------------------------


def _merge_catalogs(
    catalogs: Mapping[str, tuple[Skill, ...]], owners: Mapping[str, str]
) -> tuple[dict[str, Skill], dict[str, str], list[tuple[tuple[str, ...], str]]]:
    """The skills of ``catalogs`` by id, the catalog each comes from, and what is wrong
    (the plugins to blame, and why): see :attr:`PluginHost.skills`."""
    builtin = {skill.id: skill for skill in BUILTIN_SKILLS}
    offers: dict[str, list[tuple[str, Skill]]] = {}
    for name in sorted(catalogs):  # by name: the same whatever order plugins load in
        for skill in catalogs[name]:
            offers.setdefault(skill.id, []).append((name, skill))
    skills: dict[str, Skill] = {}
    origins: dict[str, str] = {}
    problems: list[tuple[tuple[str, ...], str]] = []
    for skill_id, offered in offers.items():
        tail = skill_id.rpartition(":")[2]
        if skill_id in builtin:
            for name, skill in offered:
                if skill != builtin[skill_id]:  # a copy of the built-in one is harmless
                    owner = owners.get(name, "?")
                    problems.append(
                        (
                            (owner,),
                            f"skill catalog {name!r} of plugin {owner!r} gives a skill the "
                            f"id {skill_id!r} of a built-in skill, which is used instead: "
                            f"give it an id of its own (like '{name}:{tail}')",
                        )
                    )
            continue
        if len({skill for _, skill in offered}) > 1:
            named = [f"{name!r} (plugin {owners.get(name, '?')!r})" for name, _ in offered]
            listed = f"{', '.join(named[:-1])} and {named[-1]}"
            blamed = tuple(dict.fromkeys(owners.get(name, "?") for name, _ in offered))
            problems.append(
                (
                    blamed,
                    f"skill catalogs {listed} give different skills the id {skill_id!r}, "
                    f"so none is offered: give each an id of its own (like "
                    f"'{offered[0][0]}:{tail}')",
                )
            )
            continue
        skills[skill_id] = offered[0][1]
        origins[skill_id] = offered[0][0]
    return skills, origins, problems


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        code = "" if exc.code is None else _show(exc.code)
        text = (
            f"SystemExit: it called sys.exit({code}), which would end netplan; a plugin "
            "must raise an exception instead"
        )
    else:
        try:
            said = str(exc)
        except BaseException as broken:  # its own __str__ raised
            if _interrupting(broken):
                raise
            said = "(its message cannot be shown)"
        text = f"{type(exc).__name__}: {said}"
    # The innermost frame outside the import machinery is where the plugin's author
    # needs to look (the line of the failing import, or of the raise).
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<frozen")
    ]
    if frames:
        last = frames[-1]
        text += f" (at {last.filename}:{last.lineno})"
    return text


def _flag(env: Mapping[str, str], var: str) -> bool:
    value = env.get(var, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise PluginError(f"{var}={env[var]!r} is neither on nor off: set it to 1 or 0 (or unset it)")


def _names(env: Mapping[str, str], var: str) -> frozenset[str] | None:
    if var not in env:
        return None
    return frozenset(part.strip() for part in env[var].split(",") if part.strip())


def _default_name(plugin: object) -> str:
    name = _attribute(plugin, "__name__")
    return name if isinstance(name, str) else type(plugin).__name__


def _plugin_version(plugin: object) -> str | None:
    version = _attribute(plugin, "__version__")
    return version if isinstance(version, str) else None


def _attribute(plugin: object, name: str) -> object:
    """``getattr(plugin, name, None)``, None also when the plugin's own code raises."""
    try:
        return getattr(plugin, name, None)
    except BaseException as exc:
        if _interrupting(exc):
            raise
        return None


# -- plugin code at the boundary ----------------------------------------------------------

_clock = time.perf_counter
"""What loading is timed with (a test can stand in a clock of its own)."""

_INTERRUPTS = (KeyboardInterrupt, GeneratorExit)

_T = TypeVar("_T")


def _interrupting(exc: BaseException) -> bool:
    """Whether ``exc`` must go on as it is: Ctrl-C stops a command, whoever's code was
    running. Anything else a plugin raises, ``SystemExit`` included, is its failure."""
    if isinstance(exc, _INTERRUPTS):
        return True
    return isinstance(exc, BaseExceptionGroup) and exc.subgroup(_INTERRUPTS) is not None


def _repr_limits() -> reprlib.Repr:
    limits = reprlib.Repr()
    limits.maxstring = limits.maxother = 80
    limits.maxlevel = 2
    return limits


_REPR = _repr_limits()


def _show(value: object) -> str:
    """A short repr of what a plugin gave, whatever its ``__repr__`` does."""
    try:
        return _REPR.repr(value)
    except BaseException as exc:
        if _interrupting(exc):
            raise
        return f"<{type(value).__name__} object whose repr() raised>"


@contextmanager
def _timed(meta: _Meta) -> Iterator[None]:
    started = _clock()
    try:
        yield
    finally:
        meta.load_seconds += _clock() - started


def _slow_message(info: PluginInfo) -> str:
    return (
        f"slow to load: {info.load_seconds:.1f} s (more than {SLOW_LOAD_SECONDS:g} s), "
        "which every netplan command waits for"
    )


def _guarded(what: str, call: Callable[[], _T], *, passes: tuple[type[BaseException], ...]) -> _T:
    """``call()``, plugin code: what it raises is a :class:`PluginError` saying ``what``
    raised it, unless it is one of ``passes`` (errors the plugin may mean, such as a
    ``StoreNotFoundError``) or Ctrl-C."""
    try:
        return call()
    except BaseException as exc:
        if _interrupting(exc) or isinstance(exc, passes):
            raise
        raise PluginError(f"{what} raised {_describe(exc)}") from exc


class _ExitGuardedStore:
    """A plugin's store, whose methods may not end netplan: ``SystemExit`` from one is
    a :class:`PluginError` naming the plugin and the method. What else a method raises
    (a ``ConflictError``, a ``StoreNotFoundError``) goes on as it is: a store's errors
    are part of its contract. Everything else is the store's own: attributes, and the
    protocols it implements (``isinstance(store, CorrectableStore)`` reads them)."""

    __slots__ = ("_inner", "_plugin")

    def __init__(self, inner: Any, plugin: str) -> None:
        self._inner = inner
        self._plugin = plugin

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name.startswith("__") or not callable(value):
            return value
        return functools.partial(self._call, name, value)

    def _call(self, name: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except SystemExit as exc:
            raise PluginError(
                f"the store's {name}() (plugin {self._plugin!r}) raised {_describe(exc)}"
            ) from exc

    @property
    def url(self) -> Any:
        return self._inner.url

    @property
    def capabilities(self) -> Any:
        return self._inner.capabilities

    def __enter__(self) -> Any:
        self._call("__enter__", self._inner.__enter__)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._call("__exit__", self._inner.__exit__, *exc_info)

    @property  # type: ignore[misc]
    def __class__(self) -> type[Any]:
        # isinstance(store, TheirStore) holds, as for the object their opener returned.
        return type(self._inner)

    def __repr__(self) -> str:
        return repr(self._inner)


_STORE_METHODS = (
    "plans", "save", "load", "revisions", "delete", "add", "update", "load_log",
    "save_review", "reviews", "close", "change", "changes", "undo", "add_batch",
    "log_version", "find_contacts", "name_keys", "add_change", "contact_page",
)  # fmt: skip
"""The methods of netplan's store protocols (:mod:`netplan.storage`): a plugin's store
keeps, through its guard, every protocol it follows (a test holds this list to them)."""


def _forwarded(name: str) -> Callable[..., Any]:
    def forward(self: _ExitGuardedStore, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, getattr(self._inner, name), *args, **kwargs)

    forward.__name__ = name
    return forward


@functools.cache
def _guarded_class(methods: frozenset[str]) -> type[_ExitGuardedStore]:
    """The guard of a store with these methods, each defined on the class: Python 3.12
    and later check a protocol (``isinstance(store, CorrectableStore)``) by the members
    the class itself has, not by what ``__getattr__`` would give."""
    namespace: dict[str, Any] = {name: _forwarded(name) for name in sorted(methods)}
    namespace["__slots__"] = ()
    return type("_ExitGuardedStore", (_ExitGuardedStore,), namespace)


def _exit_guarded(inner: Any, plugin: str) -> _ExitGuardedStore:
    """``inner`` in an :class:`_ExitGuardedStore` with the store methods it has."""
    methods = frozenset(name for name in _STORE_METHODS if callable(getattr(inner, name, None)))
    return _guarded_class(methods)(inner, plugin)


def _not_a_number(value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)


def _parsed_fault(parsed: object) -> str | None:
    """What is wrong with what an importer's ``read`` returned, or None."""
    if not isinstance(parsed, Parsed):
        return (
            "which is not a netplan.core.importing.Parsed: read() must return Parsed(people, ...)"
        )
    columns: tuple[tuple[str, object, type], ...] = (
        ("people", parsed.people, Person),
        ("problems", parsed.problems, Problem),
        ("touches", parsed.touches, Touch),
        ("events", parsed.events, Happening),
    )
    for column, items, kind in columns:
        if column == "people" and isinstance(items, People):
            continue  # checked column by column when it was made
        if not isinstance(items, tuple | list):
            return f"whose {column} is {_show(items)}, not a tuple of {kind.__name__}"
        for index, item in enumerate(items):
            if not isinstance(item, kind):
                return (
                    f"whose {column}[{index}] is {_show(item)}, not a "
                    f"netplan.core.importing.{kind.__name__}"
                )
    return None


class _Checked:
    """What a plugin registered, as the host hands it on: the same name and description,
    and every call into it checked (see the subclasses)."""

    kind = ""
    method = ""

    def __init__(self, inner: Any, key: str, plugin: str) -> None:
        self._inner = inner
        self._key = key
        self._plugin = plugin
        name = getattr(inner, "name", None)
        self.name: str = name if isinstance(name, str) and name else key
        description = getattr(inner, "description", "")
        self.description: str = description if isinstance(description, str) else ""

    @property
    def wrapped(self) -> object:
        """The object the plugin registered."""
        return self._inner

    def _what(self, method: str | None = None) -> str:
        return f"{self.kind} {self._key!r} of plugin {self._plugin!r}: {method or self.method}()"

    def _fault(self, value: object, why: str, method: str | None = None) -> PluginError:
        return PluginError(f"{self._what(method)} returned {_show(value)}, {why}")

    def _copy(self, method: str, make: Callable[[], object]) -> Self:
        """A checked copy of what the plugin's ``method`` (``within``, ``in_context``) made."""

        def copy() -> object:
            made = make()
            if not callable(getattr(made, self.method, None)):
                raise self._fault(made, f"which has no {self.method}() method", method)
            return _checked(self.kind, self._key, made, self._plugin)

        return cast(Self, _guarded(self._what(method), copy, passes=(NetplanError,)))

    def __repr__(self) -> str:
        return f"<{self.kind} {self._key!r} of plugin {self._plugin!r}, checked>"


class _CheckedImporter(_Checked):
    """An importer: ``sniff`` never stops detection, ``read`` returns a valid
    :class:`Parsed` or raises a :class:`PluginError` naming the plugin."""

    kind = "importer"
    method = "read"

    def __init__(self, inner: Any, key: str, plugin: str) -> None:
        super().__init__(inner, key, plugin)
        self._warned = False

    def sniff(self, name: str, head: bytes) -> float:
        try:
            score = self._inner.sniff(name, head)
        except BaseException as exc:
            if _interrupting(exc):
                raise
            self._warn(f"raised {_describe(exc)}")
            return 0.0
        if _not_a_number(score) or not 0 <= score <= 1:
            self._warn(f"returned {_show(score)}, not a number from 0 to 1")
            return 0.0
        return float(score)

    def _warn(self, what: str) -> None:
        # Once per importer: a folder of a thousand files is one warning, not a thousand.
        if not self._warned:
            self._warned = True
            _log.warning(
                "%s %s; files it would read are not detected as its format (pass format= "
                "to use it anyway)",
                self._what("sniff"),
                what,
            )

    def read(self, name: str, data: bytes) -> Parsed:
        parsed = _guarded(
            f"{self._what()} reading {name!r}",
            lambda: self._inner.read(name, data),
            passes=(NetplanError,),
        )
        fault = _parsed_fault(parsed)
        if fault is not None:
            raise PluginError(f"{self._what()} returned {_show(parsed)} for {name!r}, {fault}")
        return cast(Parsed, parsed)


class _Windowed(_Checked):
    """What reads or writes within a :class:`CalendarWindow` (a calendar)."""

    def within(self, window: CalendarWindow) -> Self:
        return self._copy("within", lambda: self._inner.within(window))


class _InContext(_Checked):
    """What reads or writes with a :class:`FileContext`."""

    def in_context(self, context: FileContext) -> Self:
        return self._copy("in_context", lambda: self._inner.in_context(context))


class _CheckedWindowedImporter(_Windowed, _CheckedImporter):
    pass


class _CheckedImporterInContext(_InContext, _CheckedImporter):
    pass


class _CheckedWindowedImporterInContext(_InContext, _Windowed, _CheckedImporter):
    pass


class _CheckedExporter(_Checked):
    """An exporter: ``export`` returns bytes or raises a :class:`PluginError` naming the
    plugin."""

    kind = "exporter"
    method = "export"

    def __init__(self, inner: Any, key: str, plugin: str) -> None:
        super().__init__(inner, key, plugin)
        suffix = getattr(inner, "suffix", None)
        self.suffix: str = suffix if isinstance(suffix, str) and suffix else f".{key}"

    def export(self, plan: Plan, log: ActivityLog) -> bytes:
        data = _guarded(self._what(), lambda: self._inner.export(plan, log), passes=(NetplanError,))
        if isinstance(data, bytes | bytearray):
            return bytes(data)
        hint = ": encode the text (.encode('utf-8'))" if isinstance(data, str) else ""
        raise self._fault(data, f"not the bytes of a file{hint}")


class _CheckedWindowedExporter(_Windowed, _CheckedExporter):
    pass


class _CheckedExporterInContext(_InContext, _CheckedExporter):
    pass


class _CheckedWindowedExporterInContext(_InContext, _Windowed, _CheckedExporter):
    pass


# Each kind of importer and exporter as the host hands it on, by what it declares
# (within, in_context): a checked object has the methods its plugin's object has, so
# isinstance(obj, Windowed) and isinstance(obj, InContext) answer as for the original.
_CHECKED_CLASSES: dict[tuple[str, bool, bool], type[_Checked]] = {
    ("importer", False, False): _CheckedImporter,
    ("importer", True, False): _CheckedWindowedImporter,
    ("importer", False, True): _CheckedImporterInContext,
    ("importer", True, True): _CheckedWindowedImporterInContext,
    ("exporter", False, False): _CheckedExporter,
    ("exporter", True, False): _CheckedWindowedExporter,
    ("exporter", False, True): _CheckedExporterInContext,
    ("exporter", True, True): _CheckedWindowedExporterInContext,
}


class _CheckedMetric(_Checked):
    """A metric: ``measure`` returns a finite number or raises a :class:`PluginError`
    (which the review reports as a failure naming the metric and the plugin). What it
    raises itself goes on as it is, for the review to report, unless it would end
    netplan (``SystemExit``)."""

    kind = "metric"
    method = "measure"

    def __init__(self, inner: Any, key: str, plugin: str) -> None:
        super().__init__(inner, key, plugin)
        # What a review reads (see netplan.Metric): read once, under the hook's guard.
        declared = MetricCapabilities.of(inner)
        for capability, value in asdict(declared).items():
            setattr(self, capability, value)
        self.units = metric_units(inner)

    def measure(
        self, plan: Plan, log: ActivityLog, window: Window, segment: Segment | None
    ) -> float:
        value = _guarded(
            self._what(),
            lambda: self._inner.measure(plan, log, window, segment),
            passes=(Exception,),
        )
        if _not_a_number(value):
            raise self._fault(value, "not a finite number (an int or a float)")
        return cast(float, value)


class _CheckedRule(_Checked):
    """A rule: ``check`` gives a list of :class:`Finding` or raises a
    :class:`PluginError` (which the review reports as a failed finding naming the rule
    and the plugin). What it raises itself goes on as it is, unless it would end netplan."""

    kind = "rule"
    method = "check"

    def check(self, context: RuleContext) -> list[Finding]:
        def run() -> list[object]:
            found = self._inner.check(context)  # often a generator: run it here, guarded
            if found is None or isinstance(found, str | bytes):
                raise self._fault(found, "not an iterable of netplan.Finding")
            return list(found)

        found = _guarded(self._what(), run, passes=(Exception,))
        for index, item in enumerate(found):
            if not isinstance(item, Finding):
                raise PluginError(
                    f"{self._what()} gave {_show(item)} (item {index}), which is not a "
                    "netplan.Finding"
                )
        return cast(list[Finding], found)


def _checked(kind: str, key: str, obj: object, plugin: str) -> object:
    """``obj``, registered by ``plugin`` under ``key``, as the host hands it on."""
    if kind in ("importer", "exporter"):
        windowed = callable(getattr(obj, "within", None))
        in_context = callable(getattr(obj, "in_context", None))
        return _CHECKED_CLASSES[kind, windowed, in_context](obj, key, plugin)
    if kind == "metric":
        return _CheckedMetric(obj, key, plugin)
    if kind == "rule":
        return _CheckedRule(obj, key, plugin)
    return obj


# -- saying what loading took -------------------------------------------------------------


class _Stderr(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record comes (a test captures it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def log_to_stderr(level: int = logging.DEBUG) -> Callable[[], None]:
    """Show the ``netplan.plugins`` logger on stderr, down to ``level``: each plugin
    failure, a plugin slower to load than :data:`SLOW_LOAD_SECONDS`, how long loading
    took, and each installed plugin as it starts loading (so one that hangs is the last
    named). ``netplan --debug`` does this. Returns what undoes it."""
    handler = _Stderr(level)
    handler.setFormatter(logging.Formatter("netplan: %(message)s"))
    before = _log.level
    _log.addHandler(handler)
    if before == logging.NOTSET or before > level:
        _log.setLevel(level)

    def undo() -> None:
        _log.removeHandler(handler)
        _log.setLevel(before)

    return undo


def _unknown_hook_message(plugin: str, unknown: list[str]) -> str:
    hints = []
    for hook in unknown:
        close = difflib.get_close_matches(hook, _HOOK_NAMES, n=1, cutoff=0.6)
        if close:
            hints.append(f"{hook!r} (did you mean {close[0]!r}?)")
        elif not hook.startswith(f"{PROJECT}_"):
            hints.append(f"{hook!r} (hook names start with '{PROJECT}_')")
        else:
            hints.append(repr(hook))
    return (
        f"plugin {plugin!r} implements unknown hook {', '.join(hints)}; netplan's hooks are "
        f"{', '.join(_HOOK_NAMES)} (see docs/plugins.md)"
    )


def _conflict_message(kind: str, key: str, plugins: list[str]) -> str:
    label = f"{_KIND_LABEL.get(kind, kind)} {key!r}"
    distinct = sorted(set(plugins))  # stable whatever the installation order
    if len(distinct) == 1:
        return f"plugin {distinct[0]!r} registers {label} more than once: register it once"
    names = ", ".join(repr(p) for p in distinct[:-1]) + f" and {distinct[-1]!r}"
    both = "both" if len(distinct) == 2 else "all"
    return (
        f"plugins {names} {both} claim {label}; keep one: uninstall the other or name it in "
        f"{BLOCK_VAR}"
    )


# -- the process-wide host ----------------------------------------------------------------

_default: PluginHost | None = None
_default_lock = threading.Lock()


def default_host() -> PluginHost:
    """The process-wide host, built on first call (entry points, built-ins, ``os.environ``)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = PluginHost()
        return _default


def reset_default_host() -> None:
    """Forget the process-wide host, so the next call builds a new one (for tests)."""
    global _default
    with _default_lock:
        _default = None


def default_store_url() -> str:
    """The URL of the default store: a SQLite database in the user's data directory."""
    import platformdirs  # only the default store needs it

    return f"sqlite://{Path(platformdirs.user_data_dir(PROJECT)) / 'netplan.db'}"


def open(url: str | None = None, *, create: bool | None = None) -> Store:
    """Open a store by URL, or the default one.

    Without ``url``: ``$NETPLAN_STORE`` if set (opened like an explicit URL), else the
    default SQLite store in the user's data directory, created on first use (its folder
    owner-only). ``create`` defaults to false for a URL, so a typo fails loudly instead of
    starting an empty store, and to true for the default store.
    """
    if url is None:
        configured = os.environ.get(STORE_VAR, "").strip()
        if configured:
            url = configured
            create = bool(create)
        else:
            url = default_store_url()
            Path(parse_url(url).location).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            create = True if create is None else create
    return default_host().open(url, create=bool(create))


def review(
    plan: Plan,
    log: ActivityLog,
    as_of: dt.date,
    *,
    metrics: Mapping[str, Metric] | Iterable[Metric] | None = None,
    rules: Mapping[str, Rule] | Iterable[Rule] | None = None,
    risk_days: int = 2,
    ahead_days: int = 7,
    history: int | None = None,
) -> Review:
    """Review a plan through the end of ``as_of`` (a day of the plan's zone) with the
    default host's metrics and rules, or the ``metrics`` and ``rules`` given (see
    :meth:`PluginHost.review`)."""
    return default_host().review(
        plan,
        log,
        as_of,
        metrics=metrics,
        rules=rules,
        risk_days=risk_days,
        ahead_days=ahead_days,
        history=history,
    )


def import_files(
    store: Store,
    plan_id: str,
    path: ImportSource,
    *,
    name: str | None = None,
    format: str | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    max_bytes: int = MAX_BYTES,
    window: CalendarWindow | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    me: Collection[str] = (),
    max_total: int = MAX_TOTAL_BYTES,
    attempts: int = 3,
) -> Imported:
    """Import a file, folder, zip archive or upload (bytes or a binary file object, with
    its ``name``) with the default host's importers: detected formats, one
    all-or-nothing change, ``dry_run`` and ``skip_bad`` options; ``today`` by default
    today in the plan's zone (see :func:`netplan.app.files.import_files`)."""
    return default_host().import_files(
        store,
        plan_id,
        path,
        name=name,
        format=format,
        dry_run=dry_run,
        skip_bad=skip_bad,
        max_bytes=max_bytes,
        window=window,
        today=today,
        progress=progress,
        me=me,
        max_total=max_total,
        attempts=attempts,
    )


def export_file(
    store: Store,
    plan_id: str,
    path: str | Path,
    *,
    format: str | None = None,
    window: CalendarWindow | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a stored plan to a file with the default host's exporters (a calendar for
    ``window``, by default the four weeks from ``today``, by default today in the plan's
    zone)."""
    return default_host().export_file(
        store, plan_id, path, format=format, window=window, today=today
    )


def report() -> PluginReport:
    """The default host's report: every plugin, what it registers, and what failed."""
    return default_host().report()


def installed_skills() -> tuple[Skill, ...]:
    """The skills of the default host's installed catalogs (:attr:`PluginHost.skills`),
    to pass as ``catalog=`` to :meth:`netplan.Plan.assess`,
    :meth:`~netplan.Plan.add_action` or :meth:`~netplan.Plan.edit_action`: the plan
    rates or practises them beside the built-in ones, and keeps a copy of each it uses."""
    return tuple(default_host().skills.values())


def register(plugin: object) -> None:
    """Register a plugin object or module with the default host at run time."""
    default_host().register(plugin)
