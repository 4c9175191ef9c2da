"""The plugin boundary: pluggy markers, hook specifications and the plugin host.

Plugin authors need only :data:`hookimpl` (also exported as ``netplan.hookimpl``); the
hooks are specified in :mod:`netplan.plugins.hookspecs` and documented in docs/plugins.md.
Importing this package builds no plugin manager: :class:`PluginHost` does, when called.
"""

from __future__ import annotations

from netplan.plugins._markers import hookimpl, hookspec
from netplan.plugins.host import (
    BUILTIN_PLUGINS,
    PluginHost,
    PluginInfo,
    PluginReport,
    default_host,
    default_store_url,
    export_file,
    import_files,
    open,
    register,
    report,
    reset_default_host,
    review,
)

__all__ = [
    "BUILTIN_PLUGINS",
    "PluginHost",
    "PluginInfo",
    "PluginReport",
    "default_host",
    "default_store_url",
    "hookimpl",
    "export_file",
    "hookspec",
    "import_files",
    "open",
    "register",
    "report",
    "reset_default_host",
    "review",
]
