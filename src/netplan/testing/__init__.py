"""Test helpers for netplan and its plugins: hypothesis strategies for every domain type
(:mod:`netplan.testing.strategies`), the contract every store backend passes
(:mod:`netplan.testing.storage`), and the example plan a newcomer sees
(:mod:`netplan.testing.example`).

The strategies and the store contract need hypothesis, which comes with the ``testing``
extra (``pip install "networking-action-plan[testing]"``); the example plan needs nothing.
"""

from __future__ import annotations

NEEDS_HYPOTHESIS = (
    "netplan.testing's strategies and store contract need hypothesis, which comes with "
    "the 'testing' extra: pip install \"networking-action-plan[testing]\""
)
