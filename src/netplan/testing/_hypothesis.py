"""Hypothesis entry point: ``st.from_type(netplan.Goal)`` works once netplan is installed."""

from __future__ import annotations

import sys


def register_strategies() -> None:
    """Called by hypothesis at start-up through the ``hypothesis`` entry-point group, and
    by :mod:`netplan.testing.strategies` once it is loaded."""
    loading = sys.modules.get("netplan.testing.strategies")
    if loading is not None and not hasattr(loading, "by_type"):
        # Hypothesis is starting up because the strategies module imports it: the module
        # registers its strategies itself once it is loaded.
        return
    from netplan.testing import strategies

    strategies.register()
