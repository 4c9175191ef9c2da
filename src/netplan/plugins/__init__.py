"""The plugin boundary: pluggy markers, hook specifications and the plugin host."""

from __future__ import annotations

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("netplan")
hookimpl = pluggy.HookimplMarker("netplan")
