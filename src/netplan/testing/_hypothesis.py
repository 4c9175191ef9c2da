"""Hypothesis entry point: ``st.from_type(netplan.Goal)`` works once netplan is installed."""

from __future__ import annotations


def register_strategies() -> None:
    """Called by hypothesis at start-up through the ``hypothesis`` entry-point group."""
    from hypothesis import strategies as st

    from netplan.testing import strategies

    for cls, strategy in strategies.by_type().items():
        st.register_type_strategy(cls, strategy)
