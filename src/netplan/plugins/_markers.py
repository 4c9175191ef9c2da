"""The pluggy markers, apart so the hookspecs and the host can import them without a cycle."""

from __future__ import annotations

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("netplan")
"""Marks a hook specification (netplan's own, in :mod:`netplan.plugins.hookspecs`)."""

hookimpl = pluggy.HookimplMarker("netplan")
"""Marks a plugin's implementation of a hook: ``@hookimpl def netplan_register_...``."""
