"""Test helpers for netplan and its plugins: hypothesis strategies for every domain type.

Install with the ``testing`` extra (``pip install "netplan[testing]"``), which brings
hypothesis. See :mod:`netplan.testing.strategies`.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a venv without hypothesis
    raise ImportError(
        "netplan.testing needs hypothesis, which comes with the 'testing' extra: "
        'pip install "netplan[testing]"'
    ) from error
