"""How numbers read in what netplan says to a person: reviews, findings, the command line."""

from __future__ import annotations

__all__ = ["number"]


def number(value: float) -> str:
    """A number as a person reads it: at most two decimals, none when it is whole.

    >>> number(4.0), number(3.4666667), number(0.5), number(2.999)
    ('4', '3.47', '0.5', '3')
    """
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")
