"""Contacts that may be one person: what an import would not merge without guessing.

An import merges a person into a contact only on evidence (docs/importing.md, "One
person, one contact"): a shared email, profile or phone number, or the same name at the
same company. Namesakes it cannot tell apart are kept apart, and listed here with the
reasons to look, for the person to merge them or leave them be. The list is worked out
from the contacts as they are, so a merge or an edit takes a pair off it.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core.importing import _names_agree, _norm, phone_key
from netplan.core.log import ActivityLog
from netplan.core.network import Contact

__all__ = ["PossibleDuplicate", "possible_duplicates"]


@frozen
class PossibleDuplicate:
    """Contacts (two or more, by id) that may be one person, and why they may be."""

    contacts: tuple[str, ...] = field(converter=v.texts, validator=v.items(str))
    reason: str = field(validator=v.non_blank)

    def __str__(self) -> str:
        return f"{', '.join(self.contacts)}: {self.reason}"


def possible_duplicates(
    log: ActivityLog, *, region: str | None = None
) -> tuple[PossibleDuplicate, ...]:
    """The groups of contacts of ``log`` that may be one person, most certain first:

    * the same email, profile or phone number (``region`` reads numbers written without
      a country code, as imports do: the plan's ``zone.country``), which an import would
      have merged: contacts added by hand, or kept apart before;
    * the same name (without case, accents or punctuation) where nothing else says
      they are one person: the reason tells what differs (companies, emails);
    * the same first and last name with a middle name or initial on one side only
      ("Priya R. Shah" and "Priya Shah").

    Contacts the person said are not one person (:attr:`netplan.Contact.distinct_from`,
    ``netplan contacts distinct``) are not listed together. Each group lists its
    contacts by id in sorted order; the groups come in the order of their reasons, then
    ids. The same log gives the same list, in any order.
    """
    contacts = sorted(log.contacts, key=lambda c: c.id)
    companies = {o.id: o.name for o in log.organizations}
    found: list[tuple[int, PossibleDuplicate]] = []

    def group(rank: int, members: Iterable[Contact], reason: str) -> None:
        # Without those the person said are someone else than everyone else listed.
        unique = {c.id: c for c in members}
        ids = sorted(
            key
            for key, contact in unique.items()
            if not all(
                other == key or other in contact.distinct_from or key in unique[other].distinct_from
                for other in unique
            )
        )
        if len(ids) > 1:
            found.append((rank, PossibleDuplicate(tuple(ids), reason)))

    keys: dict[tuple[str, str], list[Contact]] = {}
    for contact in contacts:
        for email in contact.emails:
            keys.setdefault(("email", email.casefold()), []).append(contact)
        for profile in contact.profiles:
            keys.setdefault(("profile", profile.rstrip("/").casefold()), []).append(contact)
        for number in contact.phones:
            key = phone_key(number, region)
            if key:
                keys.setdefault(("phone", key), []).append(contact)
    for (what, key), members in sorted(keys.items()):
        # Only people whose names agree: an office's number or a team's address is
        # shared by colleagues, who are not one person.
        normed = [_norm(c.name) for c in members]
        agreeing = [
            contact
            for i, contact in enumerate(members)
            if any(_names_agree(normed[i], other) for j, other in enumerate(normed) if j != i)
        ]
        group(0, agreeing, f"the same {what} {key}")

    names: dict[str, list[Contact]] = {}
    ends: dict[tuple[str, str], list[Contact]] = {}
    for contact in contacts:
        name = _norm(contact.name)
        names.setdefault(name, []).append(contact)
        words = name.split()
        if len(words) >= 2:
            ends.setdefault((words[0], words[-1]), []).append(contact)
    for _, members in sorted(names.items()):
        if len(members) > 1:
            group(1, members, f"the same name, {_differences(members, companies)}")
    for (first, last), members in sorted(ends.items()):
        if len({_norm(c.name) for c in members}) > 1:
            group(2, members, f"the same first and last name ({first} … {last})")
    found.sort(key=lambda item: (item[0], item[1].contacts, item[1].reason))
    return tuple(duplicate for _, duplicate in found)


def _differences(members: list[Contact], companies: dict[str, str]) -> str:
    """What keeps namesakes apart, in words: their companies, else their emails."""
    at = sorted(
        {companies.get(c.organization or "", "") for c in members}, key=lambda a: (not a, a)
    )
    if len(at) > 1:
        named = [f"'{a}'" if a else "none" for a in at]
        return f"different companies ({', '.join(named)})"
    emails = sorted({e for c in members for e in c.emails})
    if len(emails) > 1:
        return f"different emails ({', '.join(emails)})"
    return "nothing else to tell them apart"
