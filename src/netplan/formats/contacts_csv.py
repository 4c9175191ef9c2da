"""Address books exported as CSV: Google Contacts, Outlook, Thunderbird, and any CSV
with a mapping.

Columns are always found by name, never by position, and the header row is searched for
in the first 20 lines, past any preamble; cells may be separated by commas, semicolons
(Excel in much of Europe) or tabs, as the header row shows:

* :class:`GoogleContactsCsv` reads both generations of Google's export: the legacy header
  (``Name, Given Name, Additional Name, Family Name, ..., E-mail 1 - Type, E-mail 1 -
  Value, ..., Organization 1 - Name, Organization 1 - Title, ...``) and the 2024 one
  (``First Name, Middle Name, Last Name, ..., Organization Name, Organization Title, ...,
  E-mail 1 - Label, E-mail 1 - Value, ...``). Google writes as many ``N - Label/Value``
  groups as the data needs, so they are found by pattern.
* :class:`OutlookContactsCsv` reads Outlook's desktop export (and Outlook.com's, which
  orders the same columns differently), in English, French or German, and the
  one-``Name`` layout of Outlook Express and Windows Mail.
* :class:`ThunderbirdCsv` reads Thunderbird's address book export (``First Name, Last
  Name, Display Name, Nickname, Primary Email, ...``).
* :class:`MappedCsv` reads any CSV of people through a mapping the caller gives.

All of them decode the bytes with :func:`~netplan.core.importing.decode_text`: a byte-order
mark, UTF-16 without one, UTF-8, else the legacy code page the bytes are told to be in
(Windows-1252, Shift_JIS...); a file whose encoding cannot be told for sure is one error
naming it and the readings it could have, never read as mojibake. They trim every value,
drop empty ones, lowercase e-mail addresses and leave out values that are not one (with
a warning), and reduce LinkedIn profile URLs with :func:`~netplan.core.importing.profile_key`
so they match LinkedIn's own files. Labels and categories become tags (slugged when not
valid as they are: "Climate Tech" is ``climate-tech``), birthdays are read with
:func:`netplan.read_birthday` (a day it refuses is a warning; the row is kept), and notes
are kept. A row without a name is named by its nickname, else its company (a warning),
else its first e-mail address (a warning); a row with none of them is skipped (a warning:
an address book holds many such rows, phone-only entries, and they must not stop an
import). A file whose header cannot be found, a row the CSV reader cannot read on from,
and a quote never closed are errors.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core.errors import ValidationError
from netplan.core.importing import (
    Parsed,
    Person,
    Problem,
    ProblemLevel,
    Source,
    decode_text,
    profile_key,
)
from netplan.core.network import read_birthday
from netplan.formats.csvfile import BadCsv, Header, locate_header, rows

__all__ = [
    "MAPPED_FIELDS",
    "GoogleContactsCsv",
    "MappedCsv",
    "OutlookContactsCsv",
    "ThunderbirdCsv",
]

_LOOK = 20
"""How many lines of a file are searched for its header."""
_SNIFF_BYTES = 65_536
_FOUND = 0.9
_JUST_CSV = 0.1
"""What sniff says for a ``.csv`` file whose header it does not recognise: possible, no more."""


# -- what every importer here shares ------------------------------------------------------


def _norm(column: str) -> str:
    """A column name as it is compared: trimmed, inner spaces collapsed, without case."""
    return " ".join(column.split()).casefold()


def _short(value: str, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _header(text: str, signatures: Iterable[Sequence[str]]) -> Header | None:
    """The earliest of the first lines holding every column of one of ``signatures``,
    split at a comma, semicolon or tab."""
    head = "\n".join(text.split("\n", _LOOK)[:_LOOK])
    best: Header | None = None
    for signature in signatures:
        found = locate_header(head, signature, look=_LOOK)
        if found is not None and (best is None or found.line < best.line):
            best = found
    return best


def _sniff(name: str, head: bytes, signatures: Iterable[Sequence[str]]) -> float:
    text, _ = decode_text(head[:_SNIFF_BYTES])
    if _header(text, signatures) is not None:
        return _FOUND
    return _JUST_CSV if name.casefold().endswith(".csv") else 0.0


class _Layout(ABC):
    """How one header's columns are read: the key each column's cells are filed under,
    the header's own name for each key (to name fields in problems), and how a row of
    cells becomes a person."""

    empty: frozenset[str] = frozenset()
    """Values that mean "nothing" in this format (Outlook's ``0/0/00`` date)."""

    def __init__(self, keys: list[str], header: list[str]) -> None:
        self.keys = keys
        self.names = dict(zip(keys, header, strict=False))
        self.read: set[str] = set()
        """The keys a row was read for: what netplan keeps of a file."""

    @abstractmethod
    def person(self, row: _Row) -> Person | None:
        """The person a row describes; None (with a problem) when it describes nobody."""


class _Row:
    """One row's cells, cleaned on the way out, and where to report what is wrong in it."""

    def __init__(
        self, source: Source, cells: Mapping[str, str], layout: _Layout, problems: list[Problem]
    ) -> None:
        self.source = source
        self._cells = cells
        self._layout = layout
        self._problems = problems
        for key, value in cells.items():
            if "\x00" in value:
                # Text has no NUL; one means a binary file or UTF-16 without its mark.
                self.warn("NUL characters in the row were removed", key)
                break

    def _raw(self, key: str | None) -> str:
        if key is None:
            return ""
        self._layout.read.add(key)
        return self._cells.get(key, "").replace("\x00", "")

    def filled(self) -> Iterator[str]:
        """The keys of the row's cells that hold something."""
        return (key for key, value in self._cells.items() if value.strip())

    def warn(self, message: str, key: str = "") -> None:
        column = self._layout.names.get(key, key)
        self._problems.append(Problem(self.source, message, column))

    def block(self, key: str | None) -> str:
        """A cell as text of several lines (notes): trimmed, inner lines kept; "" for a
        column the header lacks (None)."""
        value = self._raw(key).strip()
        return "" if value in self._layout.empty else value

    def text(self, key: str | None) -> str:
        """A cell as one line of text: trimmed, inner runs of spaces and newlines as one;
        "" for a column the header lacks (None)."""
        value = " ".join(self._raw(key).split())
        return "" if value in self._layout.empty else value


_EMAIL_SEPARATORS = re.compile(r"[,;]")


def _add_email(row: _Row, key: str, value: str, emails: list[str]) -> None:
    # Several addresses typed into one cell are separated by commas or semicolons, which
    # an address cannot hold outside quotes.
    for part in _EMAIL_SEPARATORS.split(value):
        email = part.strip().lower()
        if not email:
            continue
        if "@" not in email or any(c.isspace() for c in email):
            # Outlook writes an Exchange contact's address as "/o=ExchangeLabs/...".
            row.warn(f"{_short(part.strip())} is not an e-mail address; left out", key)
        elif email not in emails:
            emails.append(email)


def _add(value: str, into: list[str]) -> None:
    if value and value not in into:
        into.append(value)


def _profile(url: str) -> str:
    # LinkedIn's own files name a profile as linkedin.com/in/<id>: the same person from
    # an address book must be recognised by it.
    return profile_key(url) if "linkedin.com/in/" in url.casefold() else url


def _tags(row: _Row, key: str, labels: Iterable[str]) -> frozenset[str]:
    """``labels`` as tags: as written when valid (lowercased), else slugged ("Climate
    Tech": ``climate-tech``); one that leaves nothing to slug ("友人") is a warning."""
    tags: set[str] = set()
    for label in labels:
        label = " ".join(label.split())
        if not label:
            continue
        tag = label.lower()
        if not v.ID_PATTERN.match(tag):
            tag = v.slugify(label)
            if tag == "item" and "item" not in label.lower():  # slugify's "nothing left"
                why = "no letter or digit a tag can hold"
                row.warn(f"the label {_short(label)} cannot be a tag ({why}); left out", key)
                continue
        tags.add(tag)
    return frozenset(tags)


# Day.month.year, as Europe writes a day (25.12.1990, 25.12.90, 25.12.).
_DOTTED_DAY = re.compile(r"(?P<d>[0-9]{1,2})\.(?P<m>[0-9]{1,2})\.(?P<y>[0-9]{4}|[0-9]{2})?")


def _birthday(row: _Row, key: str, value: str) -> str:
    """A birthday cell as netplan keeps it (``--MM-DD``, ``YYYY-MM-DD``), or "" with a
    warning when :func:`netplan.read_birthday` cannot read it."""
    if not value:
        return ""
    dotted = _DOTTED_DAY.fullmatch(value)
    if dotted is not None:
        day, month, year = dotted["d"], dotted["m"], dotted["y"]
        value = f"{month}/{day}/{year}" if year else f"--{int(month):02d}-{int(day):02d}"
    try:
        return read_birthday(value)
    except ValueError as error:
        row.warn(f"{error}; the birthday is left out, the rest of the row kept", key)
        return ""


def _person(
    row: _Row,
    name: str,
    name_key: str,
    emails: list[str],
    *,
    phones: Iterable[str] = (),
    profiles: Iterable[str] = (),
    company: str = "",
    role: str = "",
    notes: str = "",
    connected_on: dt.date | None = None,
    nickname: str = "",
    birthday: str = "",
    tags: frozenset[str] = frozenset(),
) -> Person | None:
    if not name:
        if nickname:
            name = nickname
        elif company:
            name = company
            row.warn(f"no name: the company {_short(company)} stands for it", name_key)
        elif emails:
            name = emails[0]
            row.warn(f"no name: the e-mail address {name} stands for it", name_key)
        else:
            row.warn("neither a name nor an e-mail address; row skipped", name_key)
            return None
    return Person(
        name,
        row.source,
        emails=tuple(emails),
        phones=tuple(phones),
        profiles=tuple(profiles),
        company=company,
        role=role,
        connected_on=connected_on,
        notes=notes,
        nickname=nickname,
        birthday=birthday,
        tags=tags,
    )


# What the reader's terse complaints mean for a person holding the file.
_HINTS = {
    "unexpected end of data": "a quote opened in this row is never closed",
    **{
        f"'{d}' expected after '\"'": "a quote in this row is not doubled, or one is never closed"
        for d in ",;\t"
    },
}
_UTF8_HOW = "save it as UTF-8 (Excel: Save As, CSV UTF-8) and import it again"


_ABOUT_ANOTHER = re.compile(
    r"(?:\btype|display name|label|anzeigename|affichage)$"
    # The parts of a name a full-name column holds, and how to pronounce it.
    r"|^(?:given|family|additional|middle|first|last) name|^name (?:prefix|suffix)|yomi|phonetic",
    re.I,
)


def _read(
    file: str,
    data: bytes,
    signatures: Sequence[Sequence[str]],
    what: str,
    layout_for: Callable[[list[str]], _Layout],
) -> Parsed:
    try:
        text, _ = decode_text(data, strict=True)
    except UnicodeError as error:
        # Where the first byte that is not ASCII is: the line the reader should look at.
        first = next((at for at, byte in enumerate(data) if byte > 0x7F), 0)
        message = f"cannot read the file as text: {error}; {_UTF8_HOW}"
        line = data.count(b"\n", 0, first) + 1
        return Parsed((), (Problem(Source(file, line=line), message, level=ProblemLevel.ERROR),))
    found = _header(text, signatures)
    if found is None:
        expected = "; or ".join(", ".join(signature) for signature in signatures)
        message = f"no {what} header found in the first {_LOOK} lines: expected columns {expected}"
        return Parsed((), (Problem(Source(file, line=1), message, level=ProblemLevel.ERROR),))
    layout = layout_for(found.names)
    people: list[Person] = []
    problems: list[Problem] = []
    filled: set[str] = set()
    try:
        for line, cells in rows(text, found.line, layout.keys, delimiter=found.delimiter):
            row = _Row(Source(file, line=line), cells, layout, problems)
            person = layout.person(row)
            if person is not None:
                people.append(person)
                filled.update(row.filled())
    except BadCsv as error:
        hint = _HINTS.get(error.reason, "")
        why = f"{hint} ({error.reason})" if hint else error.reason
        problems.append(
            Problem(
                Source(file, line=error.line),
                f"cannot read the CSV on from here: {why}; the rows before it are kept",
                level=ProblemLevel.ERROR,
            )
        )
    # Nothing a file says is dropped silently: the columns netplan has no place for
    # (not those that only describe another: an e-mail's type, label or display name).
    unkept = [
        layout.names.get(key, key)
        for key in layout.keys
        if key in filled - layout.read and not _ABOUT_ANOTHER.search(layout.names.get(key, key))
    ]
    if unkept:
        listed = ", ".join(unkept[:8]) + (f" and {len(unkept) - 8} more" if len(unkept) > 8 else "")
        problems.append(
            Problem(
                Source(file, line=found.line + 1),
                f"{len(unkept)} {'column' if len(unkept) == 1 else 'columns'} netplan has "
                f"no place for (addresses, web pages other than profiles...): {listed}; "
                "left out",
            )
        )
    return Parsed(tuple(people), tuple(problems))


# -- Google Contacts ----------------------------------------------------------------------

_GOOGLE = (
    ("Given Name", "Family Name"),  # to 2024
    ("First Name", "Last Name", "Labels"),  # 2024 on
    ("E-mail 1 - Type", "E-mail 1 - Value"),
    ("E-mail 1 - Label", "E-mail 1 - Value"),
    # The 2024 header trimmed to the columns a tool writes (no Labels, no e-mail label).
    ("First Name", "Last Name", "E-mail 1 - Value"),
    ("First Name", "Last Name", "Phone 1 - Value"),
)
# "E-mail 1 - Value", "Phone 12 - Label": kind, number, part (names already normalised).
# The number is bounded so that a mangled header cannot make int() refuse it.
_GROUP = re.compile(r"(?P<kind>.+?) (?P<number>[0-9]{1,9}) - (?P<part>.+)")
_MULTI = re.compile(r"\s*:::\s*")
# Given, middle and family names: the legacy header's columns, then the 2024 header's.
_NAME_PARTS = (
    ("given name", "first name"),
    ("additional name", "middle name"),
    ("family name", "last name"),
)


def _values(value: str, label: str) -> list[tuple[bool, str]]:
    """A Google cell's values (``a ::: b``), each with whether it is the primary one.

    ``* `` marks the primary, on the value itself or on its label (``* Work``); one
    starred label over several values marks the first.
    """
    if not value:
        return []
    values = _MULTI.split(value)
    labels = _MULTI.split(label) if label else []
    out: list[tuple[bool, str]] = []
    for i, item in enumerate(values):
        primary = item.startswith("* ")
        item = item[2:].strip() if primary else item
        if len(labels) == len(values):
            primary = primary or labels[i].startswith("* ")
        elif i == 0 and len(labels) == 1:
            primary = primary or labels[0].startswith("* ")
        out.append((primary, item))
    return out


def _primary_first(found: list[tuple[bool, str, str]]) -> list[tuple[str, str]]:
    """(key, value) pairs, the primary ones first, otherwise in the file's order."""
    return [(key, value) for primary, key, value in sorted(found, key=lambda f: not f[0])]


class _GoogleLayout(_Layout):
    def __init__(self, header: list[str]) -> None:
        keys = [_norm(name) for name in header]
        super().__init__(keys, header)
        groups: dict[str, dict[int, dict[str, str]]] = {}
        for key in keys:
            matched = _GROUP.fullmatch(key)
            if matched is not None:
                number = int(matched["number"])
                groups.setdefault(matched["kind"], {}).setdefault(number, {})[matched["part"]] = key
        self.groups = {kind: [by[n] for n in sorted(by)] for kind, by in groups.items()}
        # The 2024 header has one organisation, unnumbered.
        current = {"name": "organization name", "title": "organization title"}
        if any(key in keys for key in current.values()):
            self.groups["organization"] = [current, *self.groups.get("organization", [])]
        self.name_key = next(
            (k for k in ("name", "given name", "first name") if k in keys), "first name"
        )
        self.labels_key = "labels" if "labels" in keys else "group membership"

    def _found(self, row: _Row, kind: str) -> list[tuple[bool, str, str]]:
        found: list[tuple[bool, str, str]] = []
        for parts in self.groups.get(kind, []):
            key = parts.get("value")
            if key is None:
                continue
            label = row.text(parts.get("label", parts.get("type")))
            found.extend((primary, key, v) for primary, v in _values(row.text(key), label) if v)
        return found

    def _organization(self, row: _Row) -> tuple[str, str]:
        found: list[tuple[bool, str, str]] = []
        for parts in self.groups.get("organization", []):
            names = _values(row.text(parts.get("name")), row.text(parts.get("type")))
            titles = _values(row.text(parts.get("title")), "")
            for i in range(max(len(names), len(titles))):
                primary, company = names[i] if i < len(names) else (False, "")
                role = titles[i][1] if i < len(titles) else ""
                if company or role:
                    found.append((primary, company, role))
        first = _primary_first(found)
        return first[0] if first else ("", "")

    def person(self, row: _Row) -> Person | None:
        name = row.text("name")
        if not name:
            parts = (next((p for p in map(row.text, keys) if p), "") for keys in _NAME_PARTS)
            name = " ".join(part for part in parts if part)
        emails: list[str] = []
        for key, value in _primary_first(self._found(row, "e-mail")):
            _add_email(row, key, value, emails)
        phones: list[str] = []
        for _, value in _primary_first(self._found(row, "phone")):
            _add(value, phones)
        profiles: list[str] = []
        for _, value in _primary_first(self._found(row, "website")):
            _add(_profile(value), profiles)
        company, role = self._organization(row)
        labels = [
            label
            for key in ("labels", "group membership")
            for label in _MULTI.split(row.text(key))
            if not label.startswith("* ")  # system labels: * myContacts, * starred
        ]
        return _person(
            row,
            name,
            self.name_key,
            emails,
            phones=phones,
            profiles=profiles,
            company=company,
            role=role,
            notes=row.block("notes"),
            nickname=row.text("nickname"),
            birthday=_birthday(row, "birthday", row.text("birthday")),
            tags=_tags(row, self.labels_key, labels),
        )


@frozen
class GoogleContactsCsv:
    """Google Contacts' CSV export, both the legacy header and the 2024 one.

    Read: the name (the Name column, else the given, middle and family names, else the
    Nickname), every ``E-mail N``, ``Phone N`` and ``Website N`` value (any number of
    groups; several values in one cell, joined with `` ::: ``, are split, and the primary
    one, starred ``* `` on its label or value, comes first), the first organisation's
    name and title as company and role, Notes, Nickname, Birthday (`` --12-25`` without a
    year) and Labels (2024) or Group Membership (legacy) as tags, without Google's system
    labels (``* myContacts``, ``* starred``: any starting with ``* ``). Every website
    becomes a profile (LinkedIn ones reduced to ``linkedin.com/in/<id>``). A header
    trimmed to some of these columns (``First Name, Last Name, E-mail 1 - Value``) is
    read too.

    Not read: addresses, events other than the birthday, relations, IM, photos and
    custom fields.
    """

    name: str = "google_contacts_csv"
    description: str = "Google Contacts CSV export (the legacy and the 2024 header)."

    def sniff(self, name: str, head: bytes) -> float:
        """0.9 when a Google Contacts header is in the first lines, 0.1 for another
        ``.csv`` file, else 0."""
        return _sniff(name, head, _GOOGLE)

    def read(self, name: str, data: bytes) -> Parsed:
        """The people of the Google Contacts CSV ``name`` (see the class)."""
        return _read(name, data, _GOOGLE, "Google Contacts", _GoogleLayout)


# -- Outlook ------------------------------------------------------------------------------

# Each key with its column in English, French and German Outlook. The localised names
# come from Outlook exports published in open-source importers (Open-Xchange's mappers and
# the headers of scripts writing Outlook files); Outlook in other languages is not read.
# French Outlook names both the courtesy title and the job title "Titre": see
# _OutlookLayout.
_OUTLOOK_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("name", ("Name",)),  # Outlook Express and Windows Mail: the whole name in one column
    ("first_name", ("First Name", "Prénom", "Vorname")),
    ("middle_name", ("Middle Name", "Deuxième prénom", "Weitere Vornamen")),
    ("last_name", ("Last Name", "Nom", "Nachname")),
    ("company", ("Company", "Société", "Firma")),
    ("job_title", ("Job Title", "Position")),
    ("email_1", ("E-mail Address", "Adresse de messagerie", "E-Mail-Adresse")),
    ("email_2", ("E-mail 2 Address", "Adresse de messagerie 2", "E-Mail 2: Adresse")),
    ("email_3", ("E-mail 3 Address", "Adresse de messagerie 3", "E-Mail 3: Adresse")),
    # Phones in the order a person is best reached: mobile first.
    ("phone_mobile", ("Mobile Phone", "Tél. mobile", "Mobiltelefon")),
    ("phone_mobile_2", ("Mobiltelefon 2",)),
    ("phone_business", ("Business Phone", "Téléphone (bureau)", "Telefon geschäftlich")),
    ("phone_business_2", ("Business Phone 2", "Téléphone 2 (bureau)", "Telefon geschäftlich 2")),
    ("phone_primary", ("Primary Phone", "Téléphone principal", "Haupttelefon")),
    ("phone_company", ("Company Main Phone", "Téléphone société", "Telefon Firma")),
    ("phone_home", ("Home Phone", "Téléphone (domicile)", "Telefon privat")),
    ("phone_home_2", ("Home Phone 2", "Téléphone 2 (domicile)", "Telefon privat 2")),
    ("phone_other", ("Other Phone", "Téléphone (autre)", "Weiteres Telefon")),
    ("notes", ("Notes", "Notizen")),
    ("web_page", ("Web Page", "Page Web", "Webseite")),
    ("nickname", ("Nickname", "Surnom", "Spitzname")),
    ("birthday", ("Birthday", "Anniversaire", "Geburtstag")),
    ("categories", ("Categories", "Catégories", "Kategorien")),
)
_OUTLOOK_KEYS: Mapping[str, str] = MappingProxyType(
    {_norm(column): key for key, columns in _OUTLOOK_COLUMNS for column in columns}
)
_OUTLOOK_PHONES = tuple(key for key, _ in _OUTLOOK_COLUMNS if key.startswith("phone_"))
_OUTLOOK_EMAILS = ("email_1", "email_2", "email_3")
_OUTLOOK = (
    ("First Name", "Last Name", "E-mail Address"),
    ("Prénom", "Nom", "Adresse de messagerie"),
    ("Vorname", "Nachname", "E-Mail-Adresse"),
    ("Name", "E-mail Address"),
)
"""An Outlook header, in each language: Google's 2024 header has no "E-mail Address" and
LinkedIn's says "Email Address", so neither is taken for Outlook's."""


class _OutlookLayout(_Layout):
    empty = frozenset({"0/0/00"})  # Outlook's empty date

    def __init__(self, header: list[str]) -> None:
        # Columns netplan does not read get keys of their own, so they never collide.
        keys = [_OUTLOOK_KEYS.get(_norm(name), f"#{i}") for i, name in enumerate(header)]
        titres = [i for i, name in enumerate(header) if _norm(name) == "titre"]
        if len(titres) > 1:
            # French Outlook: "Titre" (Mr, Dr) opens the header, "Titre" (the job title)
            # follows "Service". A lone "Titre" is the courtesy title.
            keys[titres[-1]] = "job_title"
        super().__init__(keys, header)

    def person(self, row: _Row) -> Person | None:
        parts = (row.text(key) for key in ("first_name", "middle_name", "last_name"))
        emails: list[str] = []
        for key in _OUTLOOK_EMAILS:
            _add_email(row, key, row.text(key), emails)
        phones: list[str] = []
        for key in _OUTLOOK_PHONES:
            _add(row.text(key), phones)
        web_page = row.text("web_page")
        categories = row.text("categories").split(";")
        return _person(
            row,
            row.text("name") or " ".join(part for part in parts if part),
            "name" if "name" in self.keys else "first_name",
            emails,
            phones=phones,
            profiles=[_profile(web_page)] if web_page else [],
            company=row.text("company"),
            role=row.text("job_title"),
            notes=row.block("notes"),
            nickname=row.text("nickname"),
            birthday=_birthday(row, "birthday", row.text("birthday")),
            tags=_tags(row, "categories", categories),
        )


@frozen
class OutlookContactsCsv:
    """Outlook's contacts CSV export (desktop Outlook and Outlook.com), in English, French
    or German.

    Read: the name (Name, the one column of Outlook Express and Windows Mail, else first,
    middle and last name), Company, Job Title, the three e-mail addresses, the mobile,
    business, primary, company, home and other phones, Notes (several lines kept), Web
    Page (as a profile), Nickname, Birthday (``12/25/1990``; ``25.12.1990`` as German
    Outlook writes it) and Categories (separated by ``;``) as tags. Column names are
    compared without case or surrounding spaces, so their order and case do not matter.
    Localised headers: French (Prénom, Deuxième prénom, Nom, Société, the second Titre as
    job title, Adresse de messagerie [2, 3], Tél. mobile, Téléphone (bureau), ..., Notes,
    Page Web, Surnom, Anniversaire, Catégories) and German (Vorname, Weitere Vornamen,
    Nachname, Firma, Position, E-Mail-Adresse, E-Mail 2: Adresse, Mobiltelefon, Telefon
    geschäftlich, ..., Notizen, Webseite, Spitzname, Geburtstag, Kategorien).

    Not read: addresses, anniversaries (``0/0/00``, Outlook's empty date, reads as an
    empty cell wherever it is), faxes, the e-mail display names and types, and Outlook
    in other languages. An Exchange address (``/o=...``) is not an e-mail address: it is
    left out with a warning.
    """

    name: str = "outlook_contacts_csv"
    description: str = "Outlook contacts CSV export (English, French or German headers)."

    def sniff(self, name: str, head: bytes) -> float:
        """0.9 when an Outlook header is in the first lines, 0.1 for another ``.csv`` file,
        else 0."""
        return _sniff(name, head, _OUTLOOK)

    def read(self, name: str, data: bytes) -> Parsed:
        """The people of the Outlook CSV ``name`` (see the class)."""
        return _read(name, data, _OUTLOOK, "Outlook contacts", _OutlookLayout)


# -- Thunderbird --------------------------------------------------------------------------

# Thunderbird's export writes these columns in this order (the import reads any order);
# keys netplan does not read are left out, and their columns get keys of their own.
_THUNDERBIRD_COLUMNS = {
    "first name": "first_name",
    "last name": "last_name",
    "display name": "display_name",
    "nickname": "nickname",
    "primary email": "email_1",
    "secondary email": "email_2",
    # Phones in the order a person is best reached: mobile first.
    "mobile number": "phone_mobile",
    "work phone": "phone_work",
    "home phone": "phone_home",
    "job title": "job_title",
    "organization": "company",
    "web page 1": "web_1",
    "web page 2": "web_2",
    "birth year": "birth_year",
    "birth month": "birth_month",
    "birth day": "birth_day",
    "notes": "notes",
}
_THUNDERBIRD = (
    ("Display Name", "Primary Email"),
    ("First Name", "Last Name", "Primary Email"),
)
"""A Thunderbird header: "Primary Email" is Thunderbird's own (Outlook says "E-mail
Address", Google "E-mail 1 - Value", LinkedIn "Email Address")."""
_DIGITS = re.compile(r"[0-9]{1,4}")


class _ThunderbirdLayout(_Layout):
    def __init__(self, header: list[str]) -> None:
        keys = [_THUNDERBIRD_COLUMNS.get(_norm(name), f"#{i}") for i, name in enumerate(header)]
        super().__init__(keys, header)

    def _birthday(self, row: _Row) -> str:
        year, month, day = (row.text(f"birth_{part}") for part in ("year", "month", "day"))
        if not (year or month or day):
            return ""
        if not (month and day) or not all(_DIGITS.fullmatch(p) for p in (year or "0", month, day)):
            given = "/".join(p or "?" for p in (year, month, day))
            row.warn(
                f"{given!r} (year/month/day) is not a birthday netplan reads; left out",
                "birth_month",
            )
            return ""
        m, d = int(month), int(day)
        return _birthday(
            row, "birth_month", f"{m}/{d}/{int(year):04d}" if year else f"--{m:02d}-{d:02d}"
        )

    def person(self, row: _Row) -> Person | None:
        name = row.text("display_name")
        if not name:
            name = " ".join(part for part in map(row.text, ("first_name", "last_name")) if part)
        emails: list[str] = []
        for key in ("email_1", "email_2"):
            _add_email(row, key, row.text(key), emails)
        phones: list[str] = []
        for key in ("phone_mobile", "phone_work", "phone_home"):
            _add(row.text(key), phones)
        profiles: list[str] = []
        for key in ("web_1", "web_2"):
            _add(_profile(row.text(key)) if row.text(key) else "", profiles)
        return _person(
            row,
            name,
            "display_name",
            emails,
            phones=phones,
            profiles=profiles,
            company=row.text("company"),
            role=row.text("job_title"),
            notes=row.block("notes"),
            nickname=row.text("nickname"),
            birthday=self._birthday(row),
        )


@frozen
class ThunderbirdCsv:
    """Thunderbird's address book exported as CSV (comma-, semicolon- or tab-separated),
    in any encoding :func:`~netplan.core.importing.decode_text` tells (Thunderbird writes
    the system's code page: Shift_JIS in Japan, UTF-16 too).

    Read: Display Name (else First and Last Name, else Nickname), Primary and Secondary
    Email, the mobile, work and home phones, Organization and Job Title as company and
    role, Web Page 1 and 2 as profiles, Nickname, Notes (several lines kept), and Birth
    Year, Month and Day as the birthday (no year: ``--MM-DD``). Column names are
    compared without case or surrounding spaces, in any order.

    Not read: addresses, Department, Screen Name, fax and pager numbers, the Custom
    columns, and headers in languages other than English.
    """

    name: str = "thunderbird_csv"
    description: str = "Thunderbird address book CSV export."

    def sniff(self, name: str, head: bytes) -> float:
        """0.9 when a Thunderbird header is in the first lines, 0.1 for another ``.csv``
        file, else 0."""
        return _sniff(name, head, _THUNDERBIRD)

    def read(self, name: str, data: bytes) -> Parsed:
        """The people of the Thunderbird CSV ``name`` (see the class)."""
        return _read(name, data, _THUNDERBIRD, "Thunderbird address book", _ThunderbirdLayout)


# -- any CSV, through a mapping -----------------------------------------------------------

MAPPED_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "profile",
    "company",
    "role",
    "connected_on",
    "notes",
    "nickname",
    "birthday",
    "tags",
)
"""What a :class:`MappedCsv` column can fill."""
_TAG_SEPARATORS = re.compile(r"\s*(?:;|,|:::)\s*")
_NAMING_FIELDS = ("name", "first_name", "last_name", "email", "nickname")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _frozen_columns(value: Any) -> Any:
    # A frozen importer holding a dict would be mutable in hiding.
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


def _check_columns(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    where = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, Mapping):
        raise ValidationError(where, value, "must map Person fields to column names")
    for target, column in value.items():
        if target not in MAPPED_FIELDS:
            fields = ", ".join(MAPPED_FIELDS)
            raise ValidationError(where, target, f"not a field a column can fill; use {fields}")
        if not isinstance(column, str) or not column.strip():
            raise ValidationError(f"{where}[{target!r}]", column, "must be a column name")
    if not any(target in value for target in _NAMING_FIELDS):
        raise ValidationError(
            where,
            dict(value),
            "must map name, first_name, last_name or email (or nickname): a person needs a name",
        )


class _MappedLayout(_Layout):
    def __init__(self, columns: Mapping[str, str], header: list[str]) -> None:
        super().__init__([_norm(name) for name in header], header)
        self.column = {target: _norm(column) for target, column in columns.items()}

    def _text(self, row: _Row, target: str) -> str:
        return row.text(self.column[target]) if target in self.column else ""

    def _connected_on(self, row: _Row) -> dt.date | None:
        value = self._text(row, "connected_on")
        if not value:
            return None
        if _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        row.warn(
            f"{_short(value)} is not a date as YYYY-MM-DD; left out", self.column["connected_on"]
        )
        return None

    def person(self, row: _Row) -> Person | None:
        name = self._text(row, "name")
        if not name:
            parts = (self._text(row, "first_name"), self._text(row, "last_name"))
            name = " ".join(part for part in parts if part)
        name_key = next(self.column[t] for t in _NAMING_FIELDS if t in self.column)
        emails: list[str] = []
        if "email" in self.column:
            _add_email(row, self.column["email"], self._text(row, "email"), emails)
        phone = self._text(row, "phone")
        profile = self._text(row, "profile")
        tags = _TAG_SEPARATORS.split(self._text(row, "tags"))
        return _person(
            row,
            name,
            name_key,
            emails,
            phones=[phone] if phone else [],
            profiles=[_profile(profile)] if profile else [],
            company=self._text(row, "company"),
            role=self._text(row, "role"),
            notes=row.block(self.column["notes"]) if "notes" in self.column else "",
            connected_on=self._connected_on(row),
            nickname=self._text(row, "nickname"),
            birthday=_birthday(row, self.column.get("birthday", ""), self._text(row, "birthday")),
            tags=_tags(row, self.column.get("tags", ""), tags),
        )


@frozen
class MappedCsv:
    """Any CSV of people, read through ``columns``: which column fills which field.

    ``columns`` maps fields of :data:`MAPPED_FIELDS` to column names (compared without
    case or surrounding spaces); at least one of name, first_name, last_name or email
    must be mapped. The header is the first of the first 20 lines holding every mapped
    column. ``name`` is the name column, else first_name and last_name joined, else
    nickname; ``connected_on`` is read as an ISO date (YYYY-MM-DD), anything else a
    warning; ``birthday`` as :func:`netplan.read_birthday` reads it (or ``25.12.1990``),
    anything else a warning; ``tags`` are separated by ``;``, ``,`` or `` ::: `` and slugged
    when not valid as they are; an ``email`` cell may hold several addresses separated by
    commas or semicolons.

    Never auto-detected: :meth:`sniff` is always 0, so it is only used when asked for.

    Raises:
        ValidationError: ``columns`` names a field not in :data:`MAPPED_FIELDS`, maps one
            to something other than a column name, or maps none that names a person.
    """

    columns: Mapping[str, str] = field(
        converter=_frozen_columns, validator=_check_columns, hash=False
    )
    name: str = "csv"
    description: str = "Any CSV of people, read through a mapping of its columns."

    def sniff(self, name: str, head: bytes) -> float:
        """Always 0: which columns mean what is the caller's knowledge, not the file's."""
        return 0.0

    def read(self, name: str, data: bytes) -> Parsed:
        """The people of the CSV ``name``, read through :attr:`columns`."""
        columns = tuple(self.columns.values())
        return _read(
            name,
            data,
            (columns,),
            "CSV",
            lambda header: _MappedLayout(self.columns, header),
        )
