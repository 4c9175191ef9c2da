"""What every benchmark prints: figures beside their baselines, as an aligned table."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baseline from the same run."""

    label: str
    netplan: float
    baseline: float
    unit: str
    target: str = ""


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def fmt(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value:,.1f} B"
    for scale, name in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if value >= scale:
            return f"{value / scale:,.2f} {name}"
    return f"{value * 1e9:,.0f} ns"


def ratio(value: float) -> str:
    # Enough digits to tell 0.0003x from 0.003x, without eight of them on 3,600x.
    if value < 0.1:
        return f"{value:.2g}x"
    return f"{value:,.{0 if value >= 100 else 2}f}x"


def table(figures: Sequence[Figure]) -> str:
    """Label, netplan, baseline, ratio (netplan / baseline) and target, aligned."""
    header = ("figure", "netplan", "baseline", "ratio", "target")
    lines = [
        (
            f.label,
            fmt(f.netplan, f.unit),
            fmt(f.baseline, f.unit),
            ratio(f.netplan / f.baseline) if f.baseline else "-",
            f.target,
        )
        for f in figures
    ]
    return aligned(header, lines)


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows of five cells as :func:`table` lays them out: a label, three figures
    right-aligned, a target."""
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    out = []
    for k, row in enumerate((header, *rows)):
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(w) for cell, w in zip(row[1:4], widths[1:4], strict=True)),
            row[4],
        ]
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def timed(run: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``run()`` took, and what it returned.

    Timed with the cyclic collector paused, as timeit does: a collection landing in one
    repeat and not another is noise, not a cost of the code measured. Both sides of every
    figure are timed this way.
    """
    gc.collect()
    gc.disable()
    try:
        began = time.perf_counter()
        result = run()
        return time.perf_counter() - began, result
    finally:
        gc.enable()
