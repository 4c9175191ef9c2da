"""The plugin host: finds plugins, calls their registration hooks, and keeps what they register.

Nothing happens at import time: a :class:`PluginHost` is built by calling it (tests and
the CLI build their own), and :func:`default_host` builds the process-wide one on first
use. Built-in plugins and third-party ones go through the same path, so a broken built-in
is reported exactly like a broken third-party plugin.

Environment variables, read when a host is built:

``NETPLAN_STRICT_PLUGINS``
    ``1``/``true``: a plugin failure raises :class:`~netplan.errors.PluginError` instead
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
import importlib
import importlib.metadata
import logging
import os
import re
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pluggy
from attrs import define, field, frozen

import netplan
from netplan.errors import PluginError, UnknownBackendError
from netplan.evaluation import Review
from netplan.findings import Rule
from netplan.formats.exports import Exporter
from netplan.importing import Importer
from netplan.log import ActivityLog
from netplan.metrics import Metric
from netplan.plan import Plan
from netplan.plugins import hookspecs
from netplan.plugins.files import Imported
from netplan.plugins.hookspecs import (
    ExporterRegister,
    ImporterRegister,
    MetricRegister,
    RuleRegister,
    SkillCatalogRegister,
    StoreRegister,
)
from netplan.skills import Skill
from netplan.storage import Store, StoreOpener, parse_url

__all__ = [
    "BUILTIN_PLUGINS",
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
    "reset_default_host",
    "review",
]

PROJECT = "netplan"
"""The pluggy project name, the entry-point group and the prefix of every hook name."""

BUILTIN_PLUGINS: tuple[str, ...] = (
    "netplan.stores.memory",
    "netplan.stores.sqlite",
    "netplan.stores.jsonfile",
    "netplan.plugins.metrics",
    "netplan.plugins.rules",
    "netplan.plugins.importers",
    "netplan.plugins.exporters",
)
"""netplan's own plugins, imported by name like any other: a broken one is reported, not fatal."""

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
        lines.append(f"{loaded} plugins loaded, {len(self.failed)} failed")
        lines.extend(f"  {p.name}: {p.error}" for p in self.failed)
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

    def _claim(self, key: str, obj: object) -> None:
        self.claims.append(_Claim(self.kind, key, obj, self.plugin, self.fallback))

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
        self._claim(key, obj)

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
        self._registered_by: dict[str, list[str]] = {}
        self._hook_errors: dict[str, list[str]] = {}
        self._conflicts: dict[tuple[str, str], str] = {}
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
                self._add(plugin, meta)
        self._check_environment_names(seen_entry_points)
        self._check_pending()
        self._collect()

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
        """Skill catalogs by name, each a tuple of :class:`netplan.Skill` (read-only)."""
        return MappingProxyType(self._registries["skill_catalog"])  # type: ignore[arg-type]

    def sources(self, kind: str) -> Mapping[str, str]:
        """Which plugin registered each name of ``kind`` (``"metric"``, ``"rule"``...)."""
        prefix = f"{kind}:"
        return {
            tag[len(prefix) :]: plugin
            for plugin, tags in self._registered_by.items()
            for tag in tags
            if tag.startswith(prefix)
        }

    def review(self, plan: Plan, log: ActivityLog, as_of: dt.date, **options: Any) -> Review:
        """:func:`netplan.review` with the installed metrics and rules (or the
        ``metrics`` and ``rules`` given, such as a selection of the installed ones); a
        failure names the plugin that registered what failed."""
        from netplan.evaluation import review

        sources = {**self.sources("metric"), **self.sources("rule")}
        metrics = options.pop("metrics", self.metrics)
        rules = options.pop("rules", self.rules)
        return review(plan, log, as_of, metrics, rules, sources=sources, **options)

    def import_files(
        self, store: Store, plan_id: str, path: str | Path, **options: Any
    ) -> Imported:
        """Import a file, a folder or a zip archive into a stored plan with the installed
        importers (see :func:`netplan.plugins.files.import_files` for the options)."""
        from netplan.plugins.files import import_files

        return import_files(store, plan_id, path, self.importers, **options)

    def export_file(
        self,
        store: Store,
        plan_id: str,
        path: str | Path,
        *,
        format: str | None = None,
        window: netplan.importing.CalendarWindow | None = None,
        today: dt.date | None = None,
    ) -> Path:
        """Write a stored plan to ``path`` with an installed exporter (``format``, or the
        one whose suffix the path has); a calendar is written for ``window`` (by default
        the four weeks from ``today``). See :func:`netplan.plugins.files.export_file`."""
        from netplan.plugins.files import export_file

        return export_file(
            store, plan_id, path, self.exporters, format=format, window=window, today=today
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
        store = opener(parsed, create=create)  # type: ignore[operator]
        if not isinstance(store, Store):
            owner = self._owner("store", parsed.scheme)
            raise PluginError(
                f"the opener for {parsed.scheme}:// (plugin {owner!r}) returned "
                f"{store!r}, which is not a netplan Store: it must return an object with "
                "the methods of netplan.storage.Store"
            )
        return store

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
            self._add(plugin, meta)
            self._check_pending()
            self._collect()
        except PluginError:
            # Strict mode: leave the host exactly as it was before the call.
            del self._meta[name]
            if self._pm.get_plugin(name) is plugin:
                self._pm.unregister(name=name)
            raise
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
        meta = _Meta(module_name, netplan.__version__, "netplan", builtin=True)
        if module_name in self._block:
            self._disabled.append(module_name)
            return
        if not self._track(meta, "list it once in BUILTIN_PLUGINS"):
            return
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
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
            try:
                plugin = ep.load()
            except Exception as exc:
                self._fail(
                    meta,
                    f"plugin {ep.name!r}{where} failed to import {ep.value!r}: {_describe(exc)}",
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
        unmarked = [
            hook
            for hook in _HOOK_NAMES
            if callable(getattr(plugin, hook, None))
            and not hasattr(getattr(plugin, hook), f"{PROJECT}_impl")
        ]
        if unmarked:
            self._fail(
                meta,
                f"plugin {meta.name!r} defines {', '.join(unmarked)} without "
                "@netplan.hookimpl, so netplan would never call it: decorate it",
            )
            return False
        try:
            self._pm.register(plugin, name=meta.name)
        except Exception as exc:
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
        for hook, kind, call in _HOOKS:
            for impl in self._hooks.impls(hook):
                registrar = _Registrar(impl.plugin_name, hook, kind, fallback=impl.trylast)
                try:
                    call(self._hooks, impl, registrar)
                except Exception as exc:
                    message = (
                        str(exc)
                        if isinstance(exc, PluginError)
                        else f"plugin {impl.plugin_name!r} raised in {hook}: {_describe(exc)}"
                    )
                    self._fail_collect(hook_errors, impl.plugin_name, message, exc)
                    continue
                for claim in registrar.claims:
                    claims.setdefault((claim.kind, claim.key), []).append(claim)

        registries: dict[str, dict[str, object]] = {kind: {} for kind in _KINDS}
        registered_by: dict[str, list[str]] = {}
        conflicts: dict[tuple[str, str], str] = {}
        for (kind, key), group in claims.items():
            # A trylast registration is a fallback: it yields to any ordinary one.
            winners = [c for c in group if not c.fallback] or group
            if len(winners) == 1:
                registries[kind][key] = winners[0].obj
                registered_by.setdefault(winners[0].plugin, []).append(f"{kind}:{key}")
                continue
            message = _conflict_message(kind, key, [c.plugin for c in winners])
            conflicts[(kind, key)] = message
            for plugin in dict.fromkeys(c.plugin for c in winners):
                self._fail_collect(hook_errors, plugin, message, None)

        self._registries = registries
        self._registered_by = registered_by
        self._hook_errors = hook_errors
        self._conflicts = conflicts

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


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
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
    name = getattr(plugin, "__name__", None)
    return name if isinstance(name, str) else type(plugin).__name__


def _plugin_version(plugin: object) -> str | None:
    version = getattr(plugin, "__version__", None)
    return version if isinstance(version, str) else None


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


def review(plan: Plan, log: ActivityLog, as_of: dt.date, **options: Any) -> Review:
    """Review a plan with the default host's metrics and rules (see :meth:`PluginHost.review`)."""
    return default_host().review(plan, log, as_of, **options)


def import_files(store: Store, plan_id: str, path: str | Path, **options: Any) -> Imported:
    """Import a file, folder or zip archive with the default host's importers: detected
    formats, one all-or-nothing change, ``dry_run`` and ``skip_bad`` options."""
    return default_host().import_files(store, plan_id, path, **options)


def export_file(
    store: Store,
    plan_id: str,
    path: str | Path,
    *,
    format: str | None = None,
    window: netplan.importing.CalendarWindow | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a stored plan to a file with the default host's exporters (a calendar for
    ``window``, by default the four weeks from ``today``)."""
    return default_host().export_file(
        store, plan_id, path, format=format, window=window, today=today
    )


def report() -> PluginReport:
    """The default host's report: every plugin, what it registers, and what failed."""
    return default_host().report()


def register(plugin: object) -> None:
    """Register a plugin object or module with the default host at run time."""
    default_host().register(plugin)
