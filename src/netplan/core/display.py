"""How the core's values show in a notebook, without the core knowing how.

A value's ``_repr_html_`` (what Jupyter shows) and ``to_dataframe`` call :func:`html`
and :func:`frame`: single-dispatch functions with nothing of their own, to which the
notebook layer (:mod:`netplan.notebook`, imported with :mod:`netplan`) registers its
drawings. The core names no drawing, so it imports nothing above it; another front end
may register its own for its types.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["frame", "html"]


@functools.singledispatch
def html(value: object) -> str | None:
    """``value`` as HTML; None (Jupyter then shows its text) when nothing is registered
    for its type."""
    return None


@functools.singledispatch
def frame(value: object, *args: Any) -> Any:
    """``value`` as a pandas DataFrame, from the function registered for its type."""
    raise TypeError(
        f"nothing makes a DataFrame of a {type(value).__name__}: import netplan.notebook, "
        "which registers netplan's own"
    )
