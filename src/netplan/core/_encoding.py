"""Telling a file's legacy code page from its bytes (Windows-1252, Shift_JIS...), for
:func:`netplan.core.importing.decode_text`: chardet ranks the code pages, and a reading is
taken for sure only when it is plausible text and beats every other by a margin.

Pure: no I/O. chardet (a required dependency) is loaded on the first file that is
neither UTF-8 nor UTF-16.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["Guess", "encoding_name", "legacy_encoding"]


# -- text encodings -----------------------------------------------------------------------
#
# A file that is neither UTF-8 nor UTF-16 was written in a legacy code page: Windows-1252
# by Excel and Outlook in Western Europe and the Americas, Shift_JIS in Japan, and so on.
# The bytes do not say which; chardet ranks the code pages by how well each reading fits
# the byte statistics of its languages, but on the few names an address book holds its
# scores are close. So a reading is taken for sure only when it is plausible text and
# beats every other plausible reading by a margin:
#
# * implausible readings are dropped: control or private-use characters, a symbol inside
#   a word ("Gesch‰ftlich": the Mac reading of a Windows file), letters of two scripts in
#   one word ("Josй"), a word of only accented Latin letters ("ąčšÎŧö"), UTF-8 read
#   as a code page ("JosÃ©");
# * readings that give the same text are one (Windows-1252 and ISO-8859-15 agree on
#   "José");
# * two readings of Latin letters are told apart by how many languages it takes to
#   write their accented letters (a file's names come from few: "François, Müller" is
#   French and German, its Baltic reading "Franēois, Müller" needs three), else by how
#   common those letters are ("à" is far likelier than "ŕ"), and chardet must not
#   disagree; other pairs by chardet alone, the winner scoring 2.5 times the other.
#
# Measured on 2,634 generated address books of 1 to 30 names in 13 code pages (Western,
# Central European, Cyrillic, Greek, Turkish, Hebrew, Arabic, Baltic, Japanese, Chinese,
# Korean): no reading taken for sure was wrong; about 1 in 3 (mostly of one to three
# names) were unsure.

_PLAUSIBLE_SAMPLE = 65_536
"""How many bytes of a file's non-ASCII lines are weighed (its whole is decoded)."""
_ODD_SHARE = 0.01
"""The share of odd characters a plausible reading may hold (a stray symbol)."""
_RATIO = 2.5
"""How many times chardet's score for a reading must exceed another's to beat it."""
_AGREE = 1.2
"""How many times chardet's score must at least favour a Latin reading that wins by its
letters (chardet must not disagree)."""
_MARGIN = math.log(30)
"""How much likelier (30 times) a Latin reading's letters must be to beat another's
written by as many languages."""

# Letters of the languages written in Latin code pages, each with its frequency in
# running text (percent of letters), and each language with a weight for how often its
# speakers' address books are in a code page; ASCII letters are the same in every
# reading and left out.
_LANGUAGES = {
    "fr": (1.0, "é1.9 è.27 ê.22 à.49 â.05 ç.09 î.05 ï.01 ô.02 û.06 ù.06 ë.01 œ.02"),
    "de": (1.0, "ä.58 ö.44 ü1 ß.31"),
    "es": (1.0, "á.5 é.43 í.73 ñ.31 ó.83 ú.17 ü.01"),
    "pt": (0.7, "á.12 â.56 ã.73 à.07 ç.53 é.34 ê.45 í.13 ó.3 ô.64 õ.04 ú.21"),
    "it": (0.7, "à.64 è.26 é.05 ì.03 ò.1 ù.17"),
    "nl": (0.4, "ë.05 é.05 ï.02"),
    "sv": (0.3, "å1.34 ä1.8 ö1.31 é.05"),
    "da": (0.3, "æ.87 ø.94 å.99 é.02"),
    "fi": (0.15, "ä3.6 ö.44"),
    "is": (0.02, "á1.8 ð4.4 é.65 í1.6 ó1 ú.6 ý.2 þ1.5 æ.87 ö.8"),
    "ca": (0.1, "à.6 ç.2 è.4 é.5 í.5 ï.1 ò.6 ó.3 ú.2 ü.05"),
    "pl": (0.5, "ą.99 ć.4 ę1.11 ł1.82 ń.2 ó.85 ś.66 ź.06 ż.83"),
    "cs": (0.3, "á.87 č.46 ď.02 é.63 ě1.22 í1.64 ň.01 ó.02 ř.38 š.69 ť.01 ú.05 ů.2 ý.99 ž.72"),
    "sk": (0.1, "á2 ä.1 č.9 ď.1 é.5 í1 ĺ.02 ľ.3 ň.1 ó.2 ô.2 ŕ.01 š.8 ť.3 ú.6 ý1.4 ž.9"),
    "hu": (0.2, "á3.4 é2.6 í.6 ó.9 ö1 ő.9 ú.3 ü.5 ű.1"),
    "ro": (0.2, "ă4 â.6 î1 ş1.4 ţ1 ș1.4 ț1"),
    "hr": (0.2, "č1.1 ć.5 đ.2 š.9 ž.8"),
    "tr": (0.4, "ç1.1 ğ1.1 \u01315.1 ö.8 ş1.8 ü1.9 â.05"),  # \u0131: dotless i
    "lt": (0.05, "ą.6 č.4 ę.2 ė1.6 į.6 š1.3 ų1.1 ū.5 ž.8"),
    "lv": (0.05, "ā3.7 č.4 ē1.7 ģ.2 ī1.9 ķ.2 ļ.5 ņ.6 š1.5 ū.4 ž.8"),
    "et": (0.05, "õ1 ä1 ö.2 ü.9"),
}
_ALPHABETS = [frozenset(item[0] for item in letters.split()) for _, letters in _LANGUAGES.values()]


def _letter_odds() -> dict[str, float]:
    total = sum(weight for weight, _ in _LANGUAGES.values())
    odds: dict[str, float] = {}
    for weight, letters in _LANGUAGES.values():
        for item in letters.split():
            odds[item[0]] = odds.get(item[0], 0.0) + weight * float(item[1:]) / total / 100
    return {letter: math.log(p) for letter, p in odds.items()}


_LOG_ODDS = _letter_odds()
_RARE = math.log(1e-5)
"""A Latin letter none of the languages above writes."""
_NOT_A_LETTER = math.log(1e-3)
# Punctuation that sits against letters in real text: typographic quotes and
# apostrophes (O'Brien typed in Word), guillemets, dashes, the ellipsis, marks (Acme™),
# the degree sign, the acute accent as an apostrophe, the middle dot, Spanish ¿¡, the
# bullet, the soft hyphen.
_BESIDE_LETTERS = frozenset(
    "\u2019\u2018\u201a\u201c\u201d\u201e«»\u2039\u203a…\u2013—™®©°\u00b4·¿¡•\u00ad"
)
# UTF-8 read as a Windows or ISO code page: a lead byte's letter (Â to ß) and then a
# continuation byte's symbol ("JosÃ©", "Â£").
_MOJIBAKE = re.compile(
    "[\u00c2-\u00df][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
    "\u2039\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u203a]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SCRIPT_FAMILIES = {
    "HIRAGANA": "CJK",
    "KATAKANA": "CJK",
    "HALFWIDTH": "CJK",
    "FULLWIDTH": "CJK",
    "IDEOGRAPHIC": "CJK",
}
_CJK_START = 0x2E80
"""Where the CJK blocks begin: their punctuation (fullwidth brackets, as in a company's
"(株)") sits against letters."""

# What people call each encoding, for messages.
_ENCODING_NAMES = {
    "cp932": "Shift_JIS",
    "euc_jis_2004": "EUC-JP",
    "gb18030": "GB18030 (GBK)",
    "big5hkscs": "Big5",
    "cp949": "EUC-KR (Windows-949)",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
}


def encoding_name(codec: str) -> str:
    """How people name the encoding Python calls ``codec`` (``cp1252``: Windows-1252)."""
    if codec in _ENCODING_NAMES:
        return _ENCODING_NAMES[codec]
    if codec.startswith("cp12") or codec == "cp874":
        return f"Windows-{codec[2:]}"
    if codec.startswith("iso8859-"):
        return f"ISO-8859-{codec[8:]}"
    return codec


class Guess(NamedTuple):
    """The legacy encoding :func:`legacy_encoding` finds a file in."""

    encoding: str
    """Python's name of the likeliest encoding (``cp1252``, ``cp932``)."""
    sure: bool
    """Whether it beats every other plausible reading by the margins above."""
    doubt: str = ""
    """When not sure: the other readings, in words ("Windows-1252 (“Søren”) or
    Windows-1250 (“Siřren”)")."""


@functools.lru_cache(maxsize=1024)
def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    first = unicodedata.name(char, "").split(" ", 1)[0]
    return _SCRIPT_FAMILIES.get(first, first)


def _odd(text: str, at: int) -> bool:
    """Whether the non-ASCII character at ``at`` is out of place in real text."""
    char = text[at]
    category = unicodedata.category(char)
    if category[0] == "C":
        return char != "\u00ad"
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if category[0] in "SP":
        return (
            ord(char) < _CJK_START
            and char not in _BESIDE_LETTERS
            and (before.isalpha() or after.isalpha())
        )
    script = _script(char)
    if category[0] == "M":  # a combining mark: of the letter before it
        return script not in ("COMBINING", _script(before)) and before.isalpha()
    # A letter or a digit: of the script of the letters beside it ("Josй", "S๘ren").
    return (before.isalpha() and _script(before) != script) or (
        after.isalpha() and _script(after) != script
    )


def _languages(letters: set[str]) -> int:
    """How many of the languages above it takes to write ``letters`` (found greedily; a
    letter none writes counts as one more): a real file's names come from few."""
    count = 0
    while letters:
        most = max(_ALPHABETS, key=lambda alphabet: len(letters & alphabet))
        if not letters & most:
            return count + len(letters)
        letters = letters - most
        count += 1
    return count


class _Reading:
    def __init__(self, codec: str, text: str, score: float) -> None:
        self.codec = codec
        self.text = text
        self.score = score  # chardet's
        chars = _NON_ASCII.findall(text)
        letters = [c.lower()[0] for c in chars if c.isalpha()]
        self.latin = all(_script(c) == "LATIN" for c in letters)
        others = len(chars) - len(letters)
        self.odds = sum(_LOG_ODDS.get(c, _RARE) for c in letters) + _NOT_A_LETTER * others
        self.languages = _languages(set(letters))

    def beats(self, other: _Reading) -> tuple[bool, bool]:
        """Whether this reading is likelier than ``other``, and whether surely."""
        if self.latin and other.latin:
            if self.languages != other.languages:
                better = self.languages < other.languages
            else:
                better = self.odds >= other.odds
            winner, loser = (self, other) if better else (other, self)
            by_letters = winner.languages != loser.languages or (
                winner.odds - loser.odds >= _MARGIN
            )
            agrees = winner.score >= _AGREE * loser.score
            return better, by_letters and agrees
        better = self.score >= other.score
        high, low = (self.score, other.score) if better else (other.score, self.score)
        return better, high >= _RATIO * low


# A word of three Latin letters or more, none of them ASCII ("ąčšÎŧö"): what a code page
# makes of another script's bytes (Korean read as ISO-8859-2), not a word of any language.
_ACCENTED_WORD = re.compile(r"[^\W\d_\x00-\x7f]{3,}")


def _plausible(text: str) -> bool:
    if _MOJIBAKE.search(text):
        return False
    places = [found.start() for found in _NON_ASCII.finditer(text)]
    odd = sum(1 for at in places if _odd(text, at))
    odd += sum(
        len(word)
        for word in _ACCENTED_WORD.findall(text)
        if all(_script(letter) == "LATIN" for letter in word)
    )
    return odd <= _ODD_SHARE * len(places)


_WORDS = re.compile(r"[\s,;\"]+")


def _doubt(best: _Reading, rivals: list[_Reading]) -> str:
    """The readings in words, each with the first word they differ in ("Windows-1252
    (“Søren”) or Windows-1250 (“Sřren”)")."""
    words = [_WORDS.split(reading.text) for reading in (best, *rivals)]
    at = next(
        (
            i
            for i, (mine, theirs) in enumerate(zip(words[0], words[1], strict=False))
            if mine != theirs
        ),
        0,
    )
    return " or ".join(
        f"{encoding_name(reading.codec)} (“{split[at][:40] if at < len(split) else ''}”)"
        for reading, split in zip((best, *rivals), words, strict=True)
    )


_CACHED = 65_536
"""Files up to this size have their guess kept: every importer's sniff decodes the same
head of a file."""


def legacy_encoding(data: bytes, encodings: Sequence[str]) -> Guess | None:
    """The one of ``encodings`` (Python codec names or aliases) ``data`` is likeliest in,
    and whether that is sure; None when no reading of it is plausible text. ``data`` is
    expected not to be UTF-8; only its lines holding non-ASCII bytes are weighed (their
    first 64 KiB), and the guess decodes the whole of ``data``."""
    if len(data) <= _CACHED:
        return _cached_guess(data, tuple(encodings))
    return _guess(data, tuple(encodings))


@functools.lru_cache(maxsize=32)
def _cached_guess(data: bytes, encodings: tuple[str, ...]) -> Guess | None:
    return _guess(data, encodings)


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _non_ascii_lines(data: bytes, limit: int) -> bytes:
    """The lines of ``data`` that are not ASCII, joined, up to ``limit`` bytes: found
    from byte to byte, so a large file costs no list of its lines."""
    lines: list[bytes] = []
    size, position = 0, 0
    while size <= limit:
        found = _HIGH_BYTE.search(data, position)
        if found is None:
            break
        start = data.rfind(b"\n", 0, found.start()) + 1
        end = data.find(b"\n", found.start())
        end = len(data) if end < 0 else end
        lines.append(data[start : min(end, start + limit)])
        size += len(lines[-1]) + 1
        position = end + 1
    return b"\n".join(lines)[:limit]


def _guess(data: bytes, encodings: tuple[str, ...]) -> Guess | None:
    sample = _non_ascii_lines(data, _PLAUSIBLE_SAMPLE)
    if len(encodings) == 1:
        scored = [(encodings[0], 1.0)]
    else:
        import chardet  # its models take tens of milliseconds to load: only when needed

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = chardet.detect_all(
                sample,
                ignore_threshold=True,
                compat_names=False,
                include_encodings=encodings,
                no_match_encoding=encodings[0],
                empty_input_encoding=encodings[0],
            )
        scored = [
            (str(f["encoding"]), float(f["confidence"] or 0.0)) for f in found if f["encoding"]
        ]
    order = {codec: place for place, codec in enumerate(encodings)}
    by_text: dict[str, _Reading] = {}
    for codec, score in scored:
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _plausible(text):
            continue
        same = by_text.get(text)
        if same is None:
            by_text[text] = _Reading(codec, text, score)
        else:
            # One text, several names: the best score, and the encoding listed first.
            same.score = max(same.score, score)
            if order.get(codec, len(order)) < order.get(same.codec, len(order)):
                same.codec = codec
    readings = list(by_text.values())
    while readings:
        best = readings[0]
        for other in readings[1:]:
            if not best.beats(other)[0]:
                best = other
        try:
            data.decode(best.codec)
        except UnicodeDecodeError:
            readings.remove(best)  # past the sample, the file is not in it
            continue
        rivals = [other for other in readings if other is not best and not best.beats(other)[1]]
        if not rivals:
            return Guess(best.codec, sure=True)
        return Guess(best.codec, sure=False, doubt=_doubt(best, rivals[:2]))
    return None
