"""How numbers read in what netplan says to a person: reviews, findings, the command line."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["SHARES", "UNITS", "number", "unit"]

UNITS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "new_contacts": ("new contact", "new contacts"),
        "events_attended": ("event", "events"),
        "organizations_joined": ("organization joined", "organizations joined"),
        "interactions": ("interaction", "interactions"),
        "meetings": ("meeting", "meetings"),
        "follow_ups": ("follow-up", "follow-ups"),
        "messages": ("message", "messages"),
        "calls": ("call", "calls"),
        "coffees": ("coffee", "coffees"),
        "intros_given": ("introduction given", "introductions given"),
        "intros_received": ("introduction received", "introductions received"),
        "referrals": ("referral", "referrals"),
        "referrals_and_intros": ("referral or introduction", "referrals or introductions"),
        "posts": ("post", "posts"),
    }
)
"""Each built-in count's unit, one and many: what a person counts."""

SHARES: Mapping[str, str] = MappingProxyType({"follow_up_rate": "follow-up rate"})
"""The built-in metrics that measure a share from 0 to 1, not a count, in words."""


def unit(metric: str, amount: float, units: tuple[str, str] | None = None) -> str:
    """What ``amount`` of ``metric`` counts, in words: ``unit("posts", 1)`` is ``"post"``,
    ``unit("posts", 3)`` ``"posts"``. A plugin's metric reads as the ``units`` it declares
    (one, many), and without them as its name (``meetup:warm_intros`` as ``"warm
    intros"``, one or many).

    >>> unit("posts", 1), unit("new_contacts", 4), unit("meetup:warm_intros", 2)
    ('post', 'new contacts', 'warm intros')
    >>> unit("meetup:warm_intros", 1, ("warm intro", "warm intros"))
    'warm intro'
    """
    one, many = units or UNITS.get(metric) or (metric.rpartition(":")[2].replace("_", " "),) * 2
    return one if amount == 1 else many


def number(value: float) -> str:
    """A number as a person reads it: at most two decimals, none when it is whole.

    >>> number(4.0), number(3.4666667), number(0.5), number(2.999)
    ('4', '3.47', '0.5', '3')
    """
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")
