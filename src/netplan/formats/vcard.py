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
* ``[group.]NAME[;params]:value`` with bare 2.1 parameters (``TEL;WORK;VOICE``),
  repeated ``TYPE=`` and quoted parameter values holding ``:`` ``,`` ``;``;
* ``ENCODING=QUOTED-PRINTABLE`` (or a bare ``QUOTED-PRINTABLE``) then ``CHARSET``
  (UTF-8, us-ascii, Shift_JIS, ISO-8859-1, Windows-1252...), also where 3.0 forbids it;
  an unknown charset or invalid bytes give replacement characters and a warning;
* ``\\n \\, \\; \\: \\\\`` escapes in 3.0 and 4.0 values (2.1 only escapes ``\\;``).

Each card becomes a :class:`Person`: the name from FN, else N (``prefix given additional
family suffix``), else ORG, else the first EMAIL (with a warning); emails from EMAIL
(lowercased, ``"Name" <address>`` reduced to the address), phones from TEL (a ``tel:``
URI prefix dropped), profiles from URL and X-SOCIALPROFILE, the company from the first
ORG's first component, the role from TITLE (else ROLE), notes from NOTE. Everything else
(BDAY, ANNIVERSARY, ADR, LABEL, NICKNAME, IMPP, CATEGORIES, X-ABLabel groups, photos...)
is ignored. A card with no FN, N, ORG or EMAIL is skipped with a warning.

Reading never raises: what cannot be read is a :class:`Problem` naming the file, the
line and the card (1-based). At most 100,000 cards are read, and a line (after
unfolding) longer than 1,000,000 characters has its value dropped with a warning.
"""

from __future__ import annotations

import binascii
import quopri
import re

from attrs import frozen

from netplan.importing import Parsed, Person, Problem, ProblemLevel, Source, profile_key

__all__ = ["VCard"]

MAX_CARDS = 100_000
"""Cards read from one file; the rest are left out with a warning."""
MAX_LINE = 1_000_000
"""Characters in one (unfolded) property line; a longer value is dropped."""

_SNIFF_BYTES = 4096
_BREAK = re.compile(rb"\r\r\n|\r\n|\n|\r")
_PROPERTY_START = re.compile(rb"[A-Za-z0-9_.-]+[;:]")
_BASE64_LINE = re.compile(rb"[A-Za-z0-9+/=]+")
_QP_CONTINUED = re.compile(rb"=[0-9A-Fa-f]{2}")
_END_CARD = re.compile(rb"\s*END\s*:\s*VCARD\s*", re.IGNORECASE)
_CHARSET_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,40}")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")

_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_WANTED = frozenset(
    {"VERSION", "FN", "N", "ORG", "EMAIL", "TEL", "URL", "X-SOCIALPROFILE", "TITLE", "ROLE"}
    | {"NOTE", "BEGIN", "END"}
)
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

    def warn(
        self, line: int | None, message: str, field: str = "", card: _Card | None = None
    ) -> None:
        record = card.number if card is not None else None
        self.problems.append(Problem(Source(self.file, line=line, record=record), message, field))

    # -- raw lines into properties ----------------------------------------------------

    def read(self, data: bytes) -> Parsed:
        lines = _BREAK.split(_strip_bom(data))
        current: _Property | None = None
        for number, raw in enumerate(lines, 1):
            if self.stopped:
                break
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

        first: dict[str, str] = {}
        emails: list[str] = []
        phones: list[str] = []
        profiles: list[str] = []
        notes: list[str] = []
        for prop in card.properties:
            name = prop.name
            if name in ("VERSION", "BEGIN", "END"):
                continue
            value = self.text(prop, card)
            if name == "EMAIL":
                email = _email(plain(value))
                if email and "@" not in email:
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
            else:  # FN, TITLE, ROLE
                text = _one_line(plain(value))
                if text:
                    first.setdefault(name, text)
        source = Source(self.file, line=card.line, record=card.number)
        full_name = first.get("FN") or first.get("N") or first.get("ORG", "")
        if not full_name and emails:
            full_name = emails[0]
            self.warn(card.line, "no FN, N or ORG; named after its email", "FN", card)
        if not full_name:
            self.warn(
                card.line,
                f"card {card.number} has no FN, N, ORG or EMAIL to name it by; skipped",
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
                )
            )
        except (ValueError, TypeError) as error:  # a validator's refusal: never seen yet
            self.warn(card.line, f"cannot be a person ({error}); skipped", card=card)


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
        """0.95 when the head holds ``BEGIN:VCARD``, 0.3 for a ``.vcf`` name, else 0."""
        if b"begin:vcard" in _strip_bom(head[:_SNIFF_BYTES]).lower():
            return 0.95
        return 0.3 if name.lower().endswith((".vcf", ".vcard")) else 0.0

    def read(self, name: str, data: bytes) -> Parsed:
        """Every card of the file as a person; problems for what cannot be read."""
        return _Reader(name).read(data)
