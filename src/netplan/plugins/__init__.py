"""The plugin boundary: pluggy markers, hook specifications and the plugin host.

Plugin authors need only :data:`hookimpl` (also exported as ``netplan.hookimpl``); the
hooks are specified in :mod:`netplan.plugins.hookspecs` and documented in docs/plugins.md.
Importing this package builds no plugin manager: :class:`PluginHost` does, when called.
A faulty plugin cannot take netplan down: see "When a plugin misbehaves" in docs/plugins.md.
"""

from __future__ import annotations

from netplan.plugins._markers import hookimpl, hookspec
from netplan.plugins.host import (
    BUILTIN_PLUGINS,
    SLOW_LOAD_SECONDS,
    PluginHost,
    PluginInfo,
    PluginReport,
    default_host,
    default_store_url,
    export_file,
    import_files,
    installed_skills,
    log_to_stderr,
    open,
    register,
    report,
    reset_default_host,
    review,
)

__all__ = [
    "BUILTIN_PLUGINS",
    "SLOW_LOAD_SECONDS",
    "PluginHost",
    "PluginInfo",
    "PluginReport",
    "default_host",
    "default_store_url",
    "hookimpl",
    "export_file",
    "hookspec",
    "import_files",
    "installed_skills",
    "log_to_stderr",
    "open",
    "register",
    "report",
    "reset_default_host",
    "review",
]
