"""vCard files (``.vcf``): 2.1, 3.0 and 4.0, as phones, mail clients and address books
write them, read by a hand-written tolerant parser.

No third-party parser is used: vobject fails on 6 of the 20 real files in the shared
corpus (FORMATS.md), and whatever parser is chosen needs the same pre-pass. What it
copes with:

* a UTF-8 (or UTF-16) byte-order mark; lines ending CRLF, CR CR LF (iPhone), LF or CR,
  mixed in one file; ``#`` comment lines between properties;
* RFC folding (a line starting with a space or tab continues the previous one); 2.1
  quoted-printable soft breaks (a value line ending in ``=``), and Android's QP lines
  broken without the ``=`` (the next line starts with ``=XX``); a 2.1 value line ending
  in a backslash continued on the next raw line (ADR);
* ``PHOTO``, ``LOGO``, ``SOUND`` and ``KEY`` values, indented or not, skipped without
  ever being decoded, so a malformed or huge photo cannot abort an import;
* ``BEGIN:VCARD``/``END:VCARD`` in any case; a card nested inside another (2.1 AGENT)
  skipped without ending the outer card; a card without END at the end of the file kept;
  a card without BEGIN (a VERSION, FN or N line outside any card starts one) read, with
  a warning;
* ``[group.]NAME[;params]:value`` with bare 2.1 parameters (``TEL;WORK;VOICE``),
  repeated ``TYPE=`` and quoted parameter values holding ``:`` ``,`` ``;``; a parameter
  list folded before its colon, even mid-word (``TEL;TYPE=VOICE,M`` + ``<TAB>SG:...``);
* ``ENCODING=QUOTED-PRINTABLE`` (or a bare ``QUOTED-PRINTABLE``) then ``CHARSET``
  (UTF-8, us-ascii, Shift_JIS, ISO-8859-1, Windows-1252...), also where 3.0 forbids it;
  an unknown charset or invalid bytes give replacement characters and a warning;
* ``\\n \\, \\; \\: \\\\`` escapes in 3.0 and 4.0 values (2.1 only escapes ``\\;``).

Each card becomes a :class:`Person`: the name from FN, else N (``prefix given additional
family suffix``), else NICKNAME, else ORG, else the first EMAIL (with a warning); emails
from EMAIL (lowercased, ``"Name" <address>`` reduced to the address; a value with a
space or a character only a quoted address holds, ``;`` ``,`` ``<``..., is left out with
a warning), phones from TEL (a ``tel:`` URI prefix dropped), profiles from URL and
X-SOCIALPROFILE, the company from the first ORG's first component, the role from TITLE
(else ROLE), notes from NOTE, the nickname from NICKNAME (several joined by ``, ``), the
birthday from BDAY (:func:`netplan.read_birthday`: ``--1225``, ``1990-12-25``,
``19901225``, Apple's year 1604 as no year; free text such as "circa 1800" is a warning
and the card is kept), tags from CATEGORIES (split on every comma and semicolon; a
category that is not a tag becomes its slug, "Close Friends" ``close-friends``; Google's
and Android's ``My Contacts`` dropped). Everything else (ANNIVERSARY, ADR, LABEL, IMPP,
X-ABLabel groups, photos...) is ignored. A card with none of FN, N, NICKNAME, ORG or
EMAIL is skipped with a warning.

:func:`write_vcards` writes contacts as vCard 4.0 (or 3.0), BDAY, NICKNAME and CATEGORIES
included, in a form this reader reads back the same.

Reading never raises: what cannot be read is a :class:`Problem` naming the file, the
line and the card (1-based). At most 100,000 cards are read, and a line (after
unfolding) longer than 1,000,000 characters has its value dropped with a warning.
"""

from __future__ import annotations

import binascii
import quopri
import re
import unicodedata
from typing import TYPE_CHECKING

from attrs import frozen

from netplan.core._validation import ID_PATTERN, slugify
from netplan.core.importing import Parsed, Person, Problem, ProblemLevel, Source, profile_key
from netplan.core.network import read_birthday

if TYPE_CHECKING:
    from netplan.core.log import ActivityLog
    from netplan.core.network import Contact
    from netplan.core.plan import Plan

__all__ = ["VERSIONS", "VCard", "card_lines", "write_vcards"]

MAX_CARDS = 100_000
"""Cards read from one file; the rest are left out with a warning."""
MAX_LINE = 1_000_000
"""Characters in one (unfolded) property line; a longer value is dropped."""

_SNIFF_BYTES = 4096
_BREAK = re.compile(rb"\r\r\n|\r\n|\n|\r")
_PROPERTY_START = re.compile(rb"[A-Za-z0-9_.-]+[;:]")
_BASE64_LINE = re.compile(rb"[A-Za-z0-9+/=]+")
_QP_CONTINUED = re.compile(rb"=[0-9A-Fa-f]{2}")
_HEADLESS_VERSION = re.compile(rb"(?im)^VERSION\s*:\s*(?:2\.1|3\.0|4\.0)\s*$")
_HEADLESS_CARD = re.compile(rb"(?im)^(?:FN|N)[;:]|^END\s*:\s*VCARD\s*$")
_END_CARD = re.compile(rb"\s*END\s*:\s*VCARD\s*", re.IGNORECASE)
_CHARSET_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,40}")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")

_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_WANTED = frozenset(
    {"VERSION", "FN", "N", "ORG", "EMAIL", "TEL", "URL", "X-SOCIALPROFILE", "TITLE", "ROLE"}
    | {"NOTE", "NICKNAME", "BDAY", "CATEGORIES", "BEGIN", "END"}
)
_ABOUT_THE_CARD = frozenset(
    {"PRODID", "REV", "UID", "KIND", "SOURCE", "CLIENTPIDMAP", "X-ABUID", "X-ABLABEL"}
    | {"X-ABSHOWAS", "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "SORT-STRING", "CLASS", "NAME"}
    | {"X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "LANG", "XML", "PROFILE", "MAILER"}
)
"""Properties about the card, not the person (its software, revision, id): never noted
as information left out."""
_STARTS_CARD = frozenset({"VERSION", "FN", "N"})
"""Properties that, outside any card, start one whose BEGIN:VCARD is missing."""
_SYSTEM_CATEGORIES = frozenset({"mycontacts", "my contacts"})
"""Categories every contact of an address book has (Google's and Android's ``My
Contacts``): no tag."""
_CATEGORY_BREAK = re.compile(r"\\?[,;]")
_SLUGGABLE = re.compile(r"[a-z0-9]")
_NOT_IN_ADDRESS = re.compile(r'[\s;,<>()\[\]\\"]')
# Apple also escapes double quotes and colons.
_ESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\", '"': '"'}


def _strip_bom(data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Some Windows address books save UTF-16: read on as UTF-8.
        return data.decode("utf-16", errors="replace").encode("utf-8")
    return data


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    """``text`` split on ``separator`` wherever it is not inside double quotes."""
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    start = 0
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _split_property(raw: bytes) -> tuple[bytes, bytes] | None:
    """The name-and-parameters part and the value of a property line: split on the first
    colon outside double quotes (a quoted TYPE may hold one). None without a colon."""
    colon = raw.find(b":")
    if colon < 0:
        return None
    quote = raw.find(b'"', 0, colon)
    if quote < 0:
        return raw[:colon], raw[colon + 1 :]
    quoted = False
    for index in range(quote, len(raw)):
        byte = raw[index]
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return raw[:index], raw[index + 1 :]
    return None


class _Property:
    """One property being assembled from its raw lines."""

    __slots__ = (
        "backslash",
        "base64",
        "binary",
        "charset",
        "keep",
        "length",
        "line",
        "name",
        "pieces",
        "qp",
        "soft",
        "too_long",
    )

    def __init__(self, line: int, head: bytes, first: bytes) -> None:
        self.line = line
        text = head.decode("utf-8", errors="replace")
        segments = _split_outside_quotes(text, ";")
        self.name = segments[0].rpartition(".")[2].strip().upper()
        encoding = ""
        self.charset = ""
        for segment in segments[1:]:
            key, equals, value = segment.partition("=")
            key = key.strip().upper()
            if not equals:
                # A bare 2.1 parameter: a type (WORK, VOICE), or an encoding.
                if key in ("QUOTED-PRINTABLE", "BASE64", "B"):
                    encoding = encoding or key
                continue
            value = value.strip().strip('"').strip()
            if key == "ENCODING":
                encoding = encoding or value.upper()
            elif key == "CHARSET":
                self.charset = self.charset or value
        self.qp = encoding == "QUOTED-PRINTABLE"
        self.binary = self.name in _BINARY
        self.base64 = self.binary and encoding in ("BASE64", "B")
        self.keep = self.name in _WANTED
        self.pieces: list[bytes] = []
        self.length = 0
        self.too_long = False
        self.soft = False
        self.backslash = False
        self.add(first)

    def add(self, piece: bytes) -> None:
        """Append the next raw line of the value (a QP soft break's ``=`` dropped)."""
        if self.binary or self.too_long:
            return
        if self.qp and self.soft and self.pieces:
            self.pieces[-1] = self.pieces[-1][:-1]
        self.soft = self.qp and piece.endswith(b"=")
        self.backslash = piece.endswith(b"\\")
        self.length += len(piece)
        if self.length > MAX_LINE:
            self.too_long = True
            self.pieces = []
            return
        if self.keep:
            self.pieces.append(piece)


class _Card:
    """A card's kept properties, as read so far."""

    def __init__(self, line: int, number: int) -> None:
        self.line = line
        self.number = number
        self.version = ""
        self.properties: list[_Property] = []


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(0)), text)


def _components(text: str, separator: str = ";") -> list[str]:
    """``text`` split on ``separator`` where it is not escaped; escapes are kept."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Reader:
    """Reads one file: raw lines into properties, properties into cards, cards into
    people."""

    def __init__(self, name: str) -> None:
        self.file = name
        self.people: list[Person] = []
        self.problems: list[Problem] = []
        self.card: _Card | None = None
        self.depth = 0
        self.cards = 0
        self.stopped = False
        self.stray = 0
        self.first_stray = 0
        self.unkept: dict[str, int] = {}  # a property netplan has no place for: first line

    def warn(
        self, line: int | None, message: str, field: str = "", card: _Card | None = None
    ) -> None:
        record = card.number if card is not None else None
        self.problems.append(Problem(Source(self.file, line=line, record=record), message, field))

    # -- raw lines into properties ----------------------------------------------------

    def read(self, data: bytes) -> Parsed:
        lines = _BREAK.split(_strip_bom(data))
        current: _Property | None = None
        index = 0
        while index < len(lines) and not self.stopped:
            raw = lines[index]
            index += 1
            number = index
            if len(raw) > MAX_LINE:
                self.flush(current)
                current = None
                self.warn(
                    number,
                    f"line longer than {MAX_LINE:,} characters; left out",
                    card=self.card,
                )
                continue
            if current is not None and self.continues(current, raw):
                continue
            self.flush(current)
            current = None
            if not raw.strip() or raw.startswith(b"#"):
                continue
            split = _split_property(raw)
            if split is None and _PROPERTY_START.match(raw):
                # A parameter list folded before its colon, even mid-word
                # (``TEL;TYPE=VOICE,M`` then ``<TAB>SG,WORK:+1...``): unfolded first.
                joined, ahead = raw, index
                while (
                    split is None
                    and ahead < len(lines)
                    and lines[ahead][:1] in (b" ", b"\t")
                    and len(joined) + len(lines[ahead]) <= MAX_LINE
                ):
                    joined += lines[ahead][1:]
                    ahead += 1
                    split = _split_property(joined)
                if split is not None:
                    raw, index = joined, ahead
            if split is None or not _PROPERTY_START.match(raw):
                if self.depth == 1:
                    self.warn(number, "not a vCard property line; skipped", card=self.card)
                elif self.depth == 0:
                    self.outside(number)
                continue
            current = _Property(number, *split)
        self.flush(current)
        self.finish()
        return Parsed(tuple(self.people), tuple(self.problems))

    def continues(self, current: _Property, raw: bytes) -> bool:
        """Whether ``raw`` continues ``current``'s value (and if so, add it)."""
        if (
            current.qp
            and (current.soft or _QP_CONTINUED.match(raw))
            and not _END_CARD.fullmatch(raw)
        ):
            # A soft break, or Android's break without its "=": the next line belongs to
            # the value even when it starts with "#" (unless it ends the card).
            current.add(raw)
            return True
        if raw[:1] in (b" ", b"\t"):
            current.add(raw[1:])
            return True
        if current.base64 and _BASE64_LINE.fullmatch(raw):
            # Base64 continuation without indentation (2.1 photos): part of the photo.
            return True
        if (
            self.card is not None
            and self.card.version == "2.1"
            and current.backslash
            and raw.strip()
            and not raw.startswith(b"#")
            and not _PROPERTY_START.match(raw)
        ):
            # 2.1 phones break an ADR value after a backslash, with no indentation.
            current.add(b"\n" + raw)
            return True
        return False

    # -- properties into cards --------------------------------------------------------

    def flush(self, prop: _Property | None) -> None:
        if prop is None:
            return
        name = prop.name
        if name in ("BEGIN", "END") and b"".join(prop.pieces).strip().upper() == b"VCARD":
            if name == "BEGIN":
                self.begin(prop.line)
            else:
                self.end(prop.line)
            return
        if self.depth == 0 and name in _STARTS_CARD:
            # A card whose BEGIN:VCARD is missing (Evolution's test files have one):
            # read from its first property on.
            self.begin(prop.line)
            if self.card is not None:
                self.warn(
                    prop.line,
                    f"card has no BEGIN:VCARD; read from its {name} line on",
                    "BEGIN",
                    self.card,
                )
        if self.depth != 1 or self.card is None:
            if self.depth == 0:
                self.outside(prop.line)
            return  # depth > 1: a nested card's property, skipped with it
        if prop.too_long:
            self.warn(
                prop.line,
                f"value longer than {MAX_LINE:,} characters; left out",
                name,
                self.card,
            )
            return
        if not prop.keep:
            if name not in _ABOUT_THE_CARD and name not in self.unkept:
                self.unkept[name] = prop.line
            return
        if name == "VERSION":
            self.card.version = b"".join(prop.pieces).strip().decode("ascii", errors="replace")
        self.card.properties.append(prop)

    def outside(self, line: int) -> None:
        self.stray += 1
        self.first_stray = self.first_stray or line

    def begin(self, line: int) -> None:
        if self.depth > 0:
            # A card inside a card (2.1 AGENT): skipped, the outer card goes on.
            self.depth += 1
            if self.depth == 2 and self.card is not None:
                self.warn(line, "a card nested inside this card; skipped", "AGENT", self.card)
            return
        if self.cards >= MAX_CARDS:
            self.warn(line, f"more than {MAX_CARDS:,} cards; the rest are left out")
            self.stopped = True
            return
        self.cards += 1
        self.depth = 1
        self.card = _Card(line, self.cards)

    def end(self, line: int) -> None:
        if self.depth == 0:
            self.outside(line)
        elif self.depth > 1:
            self.depth -= 1
        else:
            self.depth = 0
            if self.card is not None:
                self.person(self.card)
            self.card = None

    def finish(self) -> None:
        if self.card is not None and not self.stopped:
            self.warn(
                self.card.line, "card has no END:VCARD; read to the end of the file", card=self.card
            )
            self.person(self.card)
            self.card = None
        if self.stray:
            self.warn(
                self.first_stray,
                f"{self.stray} line(s) outside BEGIN:VCARD ... END:VCARD; ignored",
            )
        if self.unkept:
            # Nothing a card says is dropped silently: one line names what is not kept.
            names = sorted(self.unkept, key=self.unkept.__getitem__)
            listed = ", ".join(names[:8]) + (
                f" and {len(names) - 8} more" if len(names) > 8 else ""
            )
            self.warn(
                min(self.unkept.values()),
                f"{len(names)} {'property' if len(names) == 1 else 'properties'} netplan "
                f"has no place for (addresses, photos...): {listed}; left out",
            )
        if not self.cards:
            self.problems.append(
                Problem(
                    Source(self.file, line=1),
                    "no vCard found (no BEGIN:VCARD line)",
                    level=ProblemLevel.ERROR,
                )
            )

    # -- values -----------------------------------------------------------------------

    def text(self, prop: _Property, card: _Card) -> str:
        """The value as text: quoted-printable decoded, then its charset."""
        data = b"".join(prop.pieces)
        if prop.qp:
            try:
                data = quopri.decodestring(data)
            except (ValueError, binascii.Error):
                self.warn(prop.line, "bad quoted-printable; read as is", prop.name, card)
        charset = prop.charset or "utf-8"
        if not _CHARSET_NAME.fullmatch(charset):
            charset = "?"
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            self.warn(
                prop.line,
                f"bytes that are not {charset}; replaced by \ufffd",
                prop.name,
                card,
            )
            try:
                return data.decode(charset, errors="replace")
            except (LookupError, UnicodeError, ValueError):
                return data.decode("utf-8", errors="replace")
        except (LookupError, UnicodeError, ValueError):
            # An unknown charset, or a codec that is not a text encoding (base64, zlib).
            self.warn(
                prop.line,
                f"unknown charset {prop.charset!r}; read as UTF-8",
                prop.name,
                card,
            )
            return data.decode("utf-8", errors="replace")

    def person(self, card: _Card) -> None:
        modern = card.version != "2.1"

        def plain(value: str) -> str:
            return _unescape(value) if modern else value

        def parts(value: str) -> list[str]:
            found = _components(value)
            if modern:
                # 3.0/4.0 components are comma-separated lists ("Richter,James").
                return [" ".join(_unescape(v) for v in _components(p, ",")) for p in found]
            return [p.replace("\\;", ";") for p in found]

        def listed(value: str) -> list[str]:
            """NICKNAME's values: split on unescaped commas."""
            return [_one_line(plain(n)) for n in _components(value, ",")]

        first: dict[str, str] = {}
        emails: list[str] = []
        phones: list[str] = []
        profiles: list[str] = []
        notes: list[str] = []
        nicknames: list[str] = []
        tags: list[str] = []
        birthday = ""
        for prop in card.properties:
            name = prop.name
            if name in ("VERSION", "BEGIN", "END"):
                continue
            value = self.text(prop, card)
            if name == "EMAIL":
                email = _email(plain(value))
                if email and not _is_address(email):
                    self.warn(prop.line, f"{email!r} is not an email address; left out", name, card)
                elif email and email not in emails:
                    emails.append(email)
            elif name == "TEL":
                phone = plain(value).strip()
                if phone[:4].lower() == "tel:":
                    phone = phone[4:].strip()
                if phone and phone not in phones:
                    phones.append(phone)
            elif name in ("URL", "X-SOCIALPROFILE"):
                url = plain(value).strip()
                profile = profile_key(url) if url else ""
                if profile and profile not in profiles:
                    profiles.append(profile)
            elif name == "NOTE":
                note = plain(value).replace("\r\n", "\n").replace("\r", "\n").strip()
                if note:
                    notes.append(note)
            elif name == "N":
                family, given, additional, prefix, suffix = (parts(value) + [""] * 5)[:5]
                full = _one_line(" ".join((prefix, given, additional, family, suffix)))
                if full:
                    first.setdefault(name, full)
            elif name == "ORG":
                company = _one_line(parts(value)[0])
                if company:
                    first.setdefault(name, company)
            elif name == "NICKNAME":
                for nick in listed(value):
                    if nick and nick not in nicknames:
                        nicknames.append(nick)
            elif name == "CATEGORIES":
                # Split on every comma and semicolon, escaped or not: no tag holds one,
                # and Thunderbird's extensions escape the commas between categories.
                for category in _CATEGORY_BREAK.split(plain(value)):
                    tag = self.tag(category, prop, card)
                    if tag and tag not in tags:
                        tags.append(tag)
            elif name == "BDAY":
                birthday = birthday or self.birthday(plain(value), prop, card)
            else:  # FN, TITLE, ROLE
                text = _one_line(plain(value))
                if text:
                    first.setdefault(name, text)
        source = Source(self.file, line=card.line, record=card.number)
        nickname = ", ".join(nicknames)
        full_name = (
            first.get("FN") or first.get("N") or (nicknames[0] if nicknames else "")
        ) or first.get("ORG", "")
        if not full_name and emails:
            full_name = emails[0]
            self.warn(card.line, "no FN, N, NICKNAME or ORG; named after its email", "FN", card)
        if not full_name:
            self.warn(
                card.line,
                f"card {card.number} has no FN, N, NICKNAME, ORG or EMAIL to name it by; skipped",
                "FN",
                card,
            )
            return
        try:
            self.people.append(
                Person(
                    full_name,
                    source,
                    emails=tuple(emails),
                    phones=tuple(phones),
                    profiles=tuple(profiles),
                    company=first.get("ORG", ""),
                    role=first.get("TITLE") or first.get("ROLE", ""),
                    notes="\n".join(notes),
                    nickname=nickname,
                    birthday=birthday,
                    tags=frozenset(tags),
                )
            )
        except (ValueError, TypeError) as error:  # a validator's refusal: never seen yet
            self.warn(card.line, f"cannot be a person ({error}); skipped", card=card)

    def birthday(self, value: str, prop: _Property, card: _Card) -> str:
        """BDAY as netplan keeps a birthday; ``""`` with a warning when it cannot be
        read (free text such as "circa 1800", a day without a month)."""
        try:
            return read_birthday(value)
        except ValueError:
            self.warn(
                prop.line,
                f"birthday {_one_line(value)[:80]!r} cannot be read as a date; left out",
                "BDAY",
                card,
            )
            return ""

    def tag(self, category: str, prop: _Property, card: _Card) -> str:
        """A category as a tag: as it is when it is one (lowercased), else its slug;
        ``""`` for Google's ``myContacts`` (every contact has it) and for a category
        with no letter or digit a tag can hold (a warning)."""
        tag = category.strip().lower()
        if not tag or tag in _SYSTEM_CATEGORIES:
            return ""
        if ID_PATTERN.match(tag):
            return tag
        if not _SLUGGABLE.search(_ascii(tag)):
            self.warn(
                prop.line,
                f"category {category[:80]!r} has no letter or digit a tag can hold; left out",
                "CATEGORIES",
                card,
            )
            return ""
        return slugify(category)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _is_address(email: str) -> bool:
    """Whether ``email`` can be an address: an ``@`` with something on either side, and
    no space or character that only a quoted address may hold (``;`` ``,`` ``<``...)."""
    local, at, domain = email.rpartition("@")
    return bool(at and local and domain) and not _NOT_IN_ADDRESS.search(email)


def _email(value: str) -> str:
    """An address from ``a@b``, ``"Name" <a@b>`` or ``mailto:a@b``, lowercased."""
    found = _ANGLE_ADDRESS.search(value)
    address = found.group(1) if found else value
    address = address.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]
    return address.strip().lower()


@frozen
class VCard:
    """vCard files (.vcf), versions 2.1, 3.0 and 4.0, one person per card."""

    name: str = "vcard"
    description: str = "vCard address book files (.vcf): versions 2.1, 3.0 and 4.0."

    def sniff(self, name: str, head: bytes) -> float:
        """0.95 when the head holds ``BEGIN:VCARD``; 0.9 for a card whose BEGIN is
        missing (a vCard VERSION line, then FN, N or END:VCARD); 0.3 for a ``.vcf``
        name; else 0."""
        text = _strip_bom(head[:_SNIFF_BYTES])
        if b"begin:vcard" in text.lower():
            return 0.95
        if _HEADLESS_VERSION.search(text) and _HEADLESS_CARD.search(text):
            return 0.9
        return 0.3 if name.lower().endswith((".vcf", ".vcard")) else 0.0

    def read(self, name: str, data: bytes) -> Parsed:
        """Every card of the file as a person; problems for what cannot be read."""
        return _Reader(name).read(data)


# -- writing -------------------------------------------------------------------------------

VERSIONS = ("4.0", "3.0")
"""The vCard versions :func:`write_vcards` writes."""

_FOLD_OCTETS = 75
_SURROGATE = re.compile(r"[\ud800-\udfff]")
"""Half a character (a JSON ``\\ud800`` escape read alone): no UTF-8 holds it, so it is
written as U+FFFD."""


def write_vcards(plan: Plan, log: ActivityLog, *, version: str = "4.0") -> bytes:
    """The contacts of ``log`` as vCards (RFC 6350's 4.0, or RFC 2426's 3.0): one card
    each, as :func:`card_lines` writes it, with the UID ``urn:netplan:<plan>:<contact>``,
    lines folded at 75 octets without cutting a character, CRLF, UTF-8. :class:`VCard`
    reads them back to the same names, emails, phones, company, role, nickname,
    birthday, tags and notes.

    Raises:
        ValueError: ``version`` is not one of :data:`VERSIONS`.
    """
    organizations = log.organizations_by_id()
    lines: list[str] = []
    for contact in log.contacts:
        company = organizations.get(contact.organization or "")
        card = card_lines(
            contact,
            uid=f"urn:netplan:{plan.id}:{contact.id}",
            company=company.name if company is not None else "",
            version=version,
        )
        for line in card:
            lines.extend(_fold(_SURROGATE.sub("\ufffd", line)))
    return ("\r\n".join(lines) + ("\r\n" if lines else "")).encode("utf-8")


def card_lines(
    contact: Contact, *, uid: str = "", company: str = "", version: str = "4.0"
) -> list[str]:
    """One contact's card, line by line (unfolded): FN (and an empty N in 3.0, which
    requires one), NICKNAME, UID, EMAIL, TEL, ORG (``company``), TITLE, URL (its
    profiles), BDAY, CATEGORIES (its tags), NOTE; every text value escaped (``\\\\``,
    ``\\,``, ``\\;``, line breaks as ``\\n``), a URL's backslashes and line breaks.

    BDAY is ``YYYYMMDD``, or ``--MMDD`` without a year, in 4.0; ``YYYY-MM-DD`` in 3.0,
    which has no day without a year: there Apple's ``1604-MM-DD`` with
    ``X-APPLE-OMIT-YEAR=1604``, which Apple, Google and :func:`netplan.read_birthday`
    read as no year.

    Raises:
        ValueError: ``version`` is not one of :data:`VERSIONS`.
    """
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}: netplan writes {' or '.join(VERSIONS)}")
    card = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{_text(contact.name)}"]
    if version == "3.0":
        card.append("N:;;;;")
    if contact.nickname:
        card.append(f"NICKNAME:{_text(contact.nickname)}")
    if uid:
        card.append(f"UID:{_text(uid)}")
    card.extend(f"EMAIL:{_text(email)}" for email in contact.emails)
    card.extend(f"TEL:{_text(phone)}" for phone in contact.phones)
    if company:
        card.append(f"ORG:{_text(company)}")
    if contact.role:
        card.append(f"TITLE:{_text(contact.role)}")
    card.extend(f"URL:{_uri(profile)}" for profile in contact.profiles)
    if contact.birthday:
        card.append(_bday(contact.birthday, version))
    if contact.tags:
        card.append("CATEGORIES:" + ",".join(_text(t) for t in sorted(contact.tags)))
    if contact.notes:
        card.append(f"NOTE:{_text(contact.notes)}")
    card.append("END:VCARD")
    return card


def _bday(birthday: str, version: str) -> str:
    """The BDAY line of a birthday netplan keeps (``--MM-DD`` or ``YYYY-MM-DD``)."""
    year = "" if birthday.startswith("--") else birthday[:4]
    month, day = birthday[-5:-3], birthday[-2:]
    if version == "4.0":
        return f"BDAY:{year}{month}{day}" if year else f"BDAY:--{month}{day}"
    if not year:
        return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month}-{day}"
    return f"BDAY:{year}-{month}-{day}"


def _text(value: str) -> str:
    """A vCard TEXT value: backslash, comma, semicolon and line breaks escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _uri(value: str) -> str:
    """A URI value: its backslashes and line breaks escaped (a line break would end the
    property; commas and semicolons are a URI's own)."""
    return (
        value.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """RFC 6350 folding: lines of at most 75 octets, continued with a leading space,
    never cutting a UTF-8 character in two."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _FOLD_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return parts
