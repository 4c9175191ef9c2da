"""What corrections of an activity log work out from its records: a merged contact, the
order of ids after a change, and the words a change is described in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from netplan.core.network import Contact, Interaction, Organization

__all__ = ["count", "describe", "merged_contact", "phone_key", "spliced_list"]


def describe(interaction: Interaction) -> str:
    """An interaction in a few words: ``met with lena-berg at 2026-11-03 19:00 UTC``."""
    who = f" with {interaction.contact}" if interaction.contact else ""
    return f"{interaction.kind.value}{who} at {interaction.at:%Y-%m-%d %H:%M} UTC"


def count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def phone_key(phone: str) -> str:
    """A phone number as compared when merging: its digits and plus sign."""
    return "".join(c for c in phone if c.isdigit() or c == "+") or phone.strip()


def merged_contact(
    keep: Contact, other: Contact, organizations: Mapping[str, Organization]
) -> Contact:
    """``keep`` with what ``other`` has that it lacks (see
    :meth:`~netplan.ActivityLog.merge_contacts`)."""

    def more(
        kept: tuple[str, ...], offered: Iterable[str], key: Callable[[str], str]
    ) -> tuple[str, ...]:
        seen = {key(x) for x in kept}
        fresh = []
        for value in offered:
            if key(value) not in seen:
                seen.add(key(value))
                fresh.append(value)
        return (*kept, *fresh)

    changes: dict[str, Any] = {
        "emails": more(keep.emails, other.emails, str.casefold),
        "phones": more(keep.phones, other.phones, phone_key),
        "profiles": more(keep.profiles, other.profiles, lambda p: p.rstrip("/").casefold()),
        "tags": keep.tags | other.tags,
        "sources": keep.sources | other.sources,
        # Told apart from someone, either of them: the one person is too.
        "distinct_from": (keep.distinct_from | other.distinct_from) - {keep.id, other.id},
    }
    for name in ("role", "nickname", "met_how", "met_where"):
        if not getattr(keep, name).strip() and getattr(other, name).strip():
            changes[name] = getattr(other, name)
    for name in ("industry", "tier"):
        if getattr(keep, name) is None and getattr(other, name) is not None:
            changes[name] = getattr(other, name)
    notes = other.notes.strip()
    if notes and notes not in keep.notes:
        # One paragraph more, as an import merging a file's notes does.
        changes["notes"] = f"{keep.notes.rstrip()}\n\n{notes}" if keep.notes.strip() else notes
    year_of = keep.birthday.startswith("--") and other.birthday.endswith(keep.birthday[1:])
    if other.birthday and other.birthday != keep.birthday and (not keep.birthday or year_of):
        changes["birthday"] = other.birthday  # a birthday, or the year of one
    introducer = keep.introduced_by
    if introducer in (None, other.id):
        introducer = other.introduced_by
    if introducer in (keep.id, other.id):
        introducer = None  # nobody is introduced by themselves
    changes["introduced_by"] = introducer
    organization = keep.organization
    offered: list[str] = []
    if other.organization is not None and other.organization != organization:
        if organization is None:
            organization = changes["organization"] = other.organization
        else:
            offered.append(organizations[other.organization].name)
    offered.extend(other.other_companies)
    own = organizations[organization].name if organization is not None else ""
    changes["other_companies"] = more(
        keep.other_companies,
        (c for c in offered if c.strip() and c.strip().casefold() != own.strip().casefold()),
        lambda c: c.strip().casefold(),
    )
    return attrs.evolve(keep, **changes)


def spliced_list(
    order: list[str], out: Iterable[int], into: Iterable[tuple[int, str]]
) -> list[str] | None:
    """``order`` less the places ``out``, plus each of ``into`` (sorted by place) at its
    place in the result; None when a place is past the end."""
    drop = set(out)
    result = [key for i, key in enumerate(order) if i not in drop] if drop else order[:]
    for place, key in into:
        if place > len(result):
            return None
        result.insert(place, key)
    return result
