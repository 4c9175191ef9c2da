"""Exporters: a plan and its log to the bytes of a file, pure (the plugin layer writes).

* :class:`ContactsCsv`: the contacts as a CSV a spreadsheet opens, every cell that a
  spreadsheet would run as a formula neutralised;
* :class:`ContactsVcard`: the contacts as vCard 4.0 (RFC 6350), for any address book;
* :class:`PlanJson`: the plan and its log as netplan's own JSON data.

An exporter is a plugin (``netplan_register_exporters``) with a ``name``, a
``description``, the ``suffix`` of the files it writes and ``export(plan, log) ->
bytes``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Protocol, runtime_checkable

from attrs import frozen

from netplan.core.log import ActivityLog
from netplan.core.plan import Plan
from netplan.formats.vcard import write_vcards
from netplan.stores.serialize import to_data

__all__ = ["ContactsCsv", "ContactsVcard", "Exporter", "PlanJson", "neutralise"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
"""Half a character (a JSON ``\\ud800`` escape read alone): no UTF-8 holds it, so it is
written as U+FFFD."""


@runtime_checkable
class Exporter(Protocol):
    """Writes a plan (and its log) as one kind of file."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def suffix(self) -> str:
        """The file name suffix of what it writes (``.csv``)."""
        ...

    def export(self, plan: Plan, log: ActivityLog) -> bytes: ...


def neutralise(cell: str) -> str:
    """``cell`` made safe for a spreadsheet: one starting with ``= + - @``, a tab or a line
    break (which spreadsheets run as a formula, "CSV injection") gets a leading ``'``, which
    they show as text. OWASP's advice; the value stays readable."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


@frozen
class ContactsCsv:
    """The contacts, one row each: name, emails, phones, company, role, tier, tags,
    profiles, how and where met, notes, nickname, birthday (``--MM-DD`` without a year),
    other companies, sources. Several values in a cell are joined
    with ``"; "``. UTF-8 with a byte-order mark (so spreadsheets read the accents) and CRLF
    line ends (RFC 4180)."""

    name: str = "contacts_csv"
    description: str = "Contacts as CSV for a spreadsheet, safe from formula injection."
    suffix: str = ".csv"

    def export(self, plan: Plan, log: ActivityLog) -> bytes:
        organizations = log.organizations_by_id()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                "Name",
                "Emails",
                "Phones",
                "Company",
                "Role",
                "Tier",
                "Tags",
                "Profiles",
                "Met how",
                "Met where",
                "Notes",
                "Nickname",
                "Birthday",
                "Other companies",
                "Sources",
                "Id",
            ]
        )
        for contact in log.contacts:
            company = organizations.get(contact.organization or "")
            cells = [
                contact.name,
                "; ".join(contact.emails),
                "; ".join(contact.phones),
                company.name if company else "",
                contact.role,
                contact.tier or "",
                "; ".join(sorted(contact.tags)),
                "; ".join(contact.profiles),
                contact.met_how,
                contact.met_where,
                contact.notes,
                contact.nickname,
                contact.birthday,
                "; ".join(contact.other_companies),
                "; ".join(sorted(contact.sources)),
                contact.id,
            ]
            writer.writerow([neutralise(cell) for cell in cells])
        return _SURROGATE.sub("\ufffd", out.getvalue()).encode("utf-8-sig")


@frozen
class PlanJson:
    """The plan and its activity log as netplan's versioned JSON data (what
    :func:`netplan.from_data` reads back), keys sorted so it diffs cleanly."""

    name: str = "plan_json"
    description: str = "The plan and its log as netplan's JSON data."
    suffix: str = ".json"

    def export(self, plan: Plan, log: ActivityLog) -> bytes:
        document = {"plan": to_data(plan), "log": to_data(log)}
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
        try:
            return text.encode()
        except UnicodeEncodeError:  # half a character: JSON escapes it, and reads it back
            return (json.dumps(document, sort_keys=True, indent=1) + "\n").encode()


@frozen
class ContactsVcard:
    """The contacts as vCard 4.0 (:func:`netplan.formats.vcard.write_vcards`): FN,
    NICKNAME, BDAY, EMAIL, TEL, ORG, TITLE, URL (profiles), NOTE, CATEGORIES (tags) and
    a UID from the contact's id, every value escaped, folded at 75 octets, CRLF."""

    name: str = "contacts_vcard"
    description: str = "Contacts as vCard 4.0 for any address book."
    suffix: str = ".vcf"

    def export(self, plan: Plan, log: ActivityLog) -> bytes:
        return write_vcards(plan, log)
