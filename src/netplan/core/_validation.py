"""attrs validators and converters that raise :class:`~netplan.core.errors.ValidationError`.

Each one names the field as ``Class.attribute`` so the message leads straight to what the
user typed.

A converter takes anything at run time, and leaves what it cannot convert for the field's
validator to name. What a *caller* may pass is another matter, and mypy's attrs plugin reads
it off the converter: a constructor's parameter is typed as its field's converter's first
parameter, read only from a named function (not from a call such as ``choice(Period)``, an
:class:`attrs.Converter`, or a generic function). So a field's ``converter=`` names a
function declared, under ``TYPE_CHECKING``, with what a caller may pass and what the field
holds (``texts``: a text or texts, or None, as a tuple of texts), and bound at run time to
the converter that does the work (:func:`to_tuple`): type checkers see the one, Python runs
the other. The shared ones are below; each module declares those of its own types
(``Plan.goals`` takes ``Iterable[Goal] | None``) the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import types
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from netplan.core.errors import ValidationError

_T = TypeVar("_T")
_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def field_name(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def fail(instance: Any, attribute: attrs.Attribute[Any], value: Any, rule: str) -> None:
    raise ValidationError(field_name(instance, attribute), value, rule)


def instance_of(*types: type) -> _Validator:
    names = " or ".join(t.__name__ for t in types)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        # bool is an int to Python, never to a person typing an amount or a level.
        if isinstance(value, bool) and bool not in types:
            fail(instance, attribute, value, f"must be {names}, not a bool")
        if not isinstance(value, types):
            fail(instance, attribute, value, f"must be {names}")

    return check


def optional(validator: _Validator) -> _Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def between(low: float, high: float) -> _Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not low <= value <= high:
            fail(instance, attribute, value, f"must be between {low} and {high}")

    return check


def positive(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        fail(instance, attribute, value, "must be a finite number")
    if not value > 0:
        fail(instance, attribute, value, "must be greater than 0")


def non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        fail(instance, attribute, value, "must be a finite number")
    if value < 0:
        fail(instance, attribute, value, "must be 0 or more")


def non_blank(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, value, "must be a non-empty text")


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        fail(
            instance,
            attribute,
            value,
            "must be an id: lowercase letters, digits and . _ : - , starting with a letter or digit",
        )


def a_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # datetime is a subclass of date; a timestamp where a calendar day belongs is the
    # mistake the time policy exists to catch.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        fail(instance, attribute, value, "must be a date (datetime.date), not a datetime")


def aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dt.datetime):
        fail(instance, attribute, value, "must be a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        fail(
            instance,
            attribute,
            value,
            "must be timezone-aware (add tzinfo, e.g. datetime.timezone.utc); "
            "naive datetimes are ambiguous",
        )
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        fail(instance, attribute, value, "must fall in the years 2 to 9998 (UTC)")


EARLIEST_INSTANT = dt.datetime(2, 1, 1, tzinfo=dt.UTC)
LATEST_INSTANT = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
"""The instants netplan holds: their day in any zone, and the day before and after it,
exist (a year-1 instant 14 hours east of UTC does not in UTC)."""


class Choice(Enum):
    """An enum a person can type: ``GoalKind("learn industry")`` finds ``LEARN_INDUSTRY``.

    Members also match by name in any case, with spaces or dashes for underscores; any
    other value raises ValidationError listing the choices.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            for member in cls:
                if key in (str(member.value).lower(), member.name.lower()):
                    return member
        choices = ", ".join(repr(m.value) for m in cls)
        raise ValidationError(cls.__name__, value, f"must be one of {choices}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


def lowered(value: Any) -> Any:
    """Tags, tiers and industries compare as a person reads them: trimmed, lowercase."""
    return value.strip().lower() if isinstance(value, str) else value


def _collection(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping))


def to_tuple(value: Any) -> Any:
    """Any collection as a tuple (a lone text as a 1-tuple); anything else is left for the
    field's validator to refuse by name."""
    if value is None:
        return ()
    if isinstance(value, str):
        # A lone string would otherwise become a tuple of its letters.
        return (value,)
    return tuple(value) if _collection(value) else value


def to_frozenset(value: Any) -> Any:
    """Any collection as a frozenset (a lone text as a 1-set); see :func:`to_tuple`."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    if not _collection(value):
        return value
    try:
        return frozenset(value)
    except TypeError:  # unhashable items: the validator names them
        return tuple(value)


def to_lowered_set(value: Any) -> Any:
    """:func:`to_frozenset` of :func:`lowered` texts: tags and tiers compare as a person
    reads them ("Climate" and " climate" are one tag)."""
    values = to_frozenset(value)
    return frozenset(lowered(t) for t in values) if isinstance(values, frozenset) else values


# The shared converters as a caller may use them (see the module's docstring).
if TYPE_CHECKING:

    def texts(value: str | Iterable[str] | None) -> tuple[str, ...]: ...
    def text_set(value: str | Iterable[str] | None) -> frozenset[str]: ...
    def lowered_text_set(value: str | Iterable[str] | None) -> frozenset[str]: ...
    def lowered_text(value: str) -> str: ...
    def lowered_text_or_none(value: str | None) -> str | None: ...

else:
    texts = to_tuple
    text_set = to_frozenset
    lowered_text_set = to_lowered_set
    lowered_text = lowered_text_or_none = lowered


def items(*types: type, container: type = tuple) -> _Validator:
    """Check a collection field: the container's type, then every item's."""
    names = " or ".join(t.__name__ for t in types)
    plural = "a set" if container is frozenset else "a list"

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, container):
            fail(instance, attribute, value, f"must be {plural} of {names}")
        for i, item in enumerate(value):
            if not isinstance(item, types) or (isinstance(item, bool) and bool not in types):
                where = f"{field_name(instance, attribute)}[{i}]"
                raise ValidationError(where, item, f"must be a {names}")

    return check


def identifiers(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A set of ids."""
    items(str, container=frozenset)(instance, attribute, value)
    for item in value:
        identifier(instance, attribute, item)


def slugify(text: str) -> str:
    """A readable id from a title: ``"Learn about Climate Tech"`` -> ``"learn-about-climate-tech"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    return slug or "item"


# Every ASCII character _SLUG_DROP drops, as "-"; line breaks kept (they part texts).
_TO_HYPHEN = str.maketrans({c: "-" for c in map(chr, range(128)) if _SLUG_DROP.fullmatch(c)})
del _TO_HYPHEN[ord("\n")]


def slugify_all(texts: Sequence[str]) -> list[str]:
    """:func:`slugify` of each of ``texts``, the steps done once on them all (joined by
    line breaks, which no step changes): for the thousands of names of an import."""
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:
        return list(map(slugify, texts))  # a text holding a line break
    if not joined.isascii():
        joined = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode()
    hyphens = joined.lower().translate(_TO_HYPHEN)
    while "--" in hyphens:  # a run of dropped characters is one hyphen
        hyphens = hyphens.replace("--", "-")
    # No hyphen begins or ends a slug.
    hyphens = hyphens.replace("\n-", "\n").replace("-\n", "\n").removeprefix("-").removesuffix("-")
    slugs = hyphens.split("\n")
    return [slug or "item" for slug in slugs] if "" in slugs else slugs


def unused_id(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or the first of ``base-2``, ``base-3``... that is not ``taken``: how two
    people (or two events) sharing a name get their ids."""
    if not taken(base):
        return base
    return next(f"{base}-{n}" for n in itertools.count(2) if not taken(f"{base}-{n}"))


def unique(items: Iterable[Any], key: Callable[[Any], Any], field: str) -> None:
    seen: set[Any] = set()
    for item in items:
        k = key(item)
        if k in seen:
            raise ValidationError(field, k, "must be unique; two entries share it")
        seen.add(k)


def unchecked(cls: type[_T]) -> Callable[..., _T]:
    """A constructor of the frozen attrs class ``cls`` that sets the fields as given (by
    name, or every one in the order the class declares them), without converters or
    validators: for values netplan has just made out of validated
    ones, where checking again is most of the cost (an import of 100,000 contacts).

    Every field without a plain default must be given; ``__attrs_post_init__`` is not
    run, so ``cls`` must not need it for the values passed. A class that caches its hash
    (``cache_hash=True``) gets an empty cache, as its own ``__init__`` gives it. Tests
    check that what it builds equals, and hashes as, what the checked constructor builds
    from the same values. The one way netplan skips checks: stores decoding their own
    records use it too (:func:`netplan.stores.serialize.from_trusted_data`).
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # _T is bound to attrs classes by use
    names = tuple(a.name for a in fields)
    defaults = {
        a.name: a.default
        for a in fields
        if a.default is not attrs.NOTHING and not isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
    }
    new, put = object.__new__, object.__setattr__
    cached_hash = _HASH_CACHE in getattr(cls, "__slots__", ())
    # A slotted class's fields are set through their slots' own setters: by position
    # (a store decoding 100,000 of its contacts) that is twice as fast as
    # object.__setattr__ by name.
    slots: list[Any] = [getattr(cls, name, None) for name in names]
    if all(type(slot) is types.MemberDescriptorType for slot in slots):
        setters: list[Callable[[Any, Any], None]] = [slot.__set__ for slot in slots]
    else:
        setters = [functools.partial(_put_named, name) for name in names]

    def make(*in_order: Any, **values: Any) -> _T:
        instance = new(cls)
        if in_order:  # every field, in the order the class declares them
            for set_field, value in zip(setters, in_order, strict=True):
                set_field(instance, value)
        else:
            for set_field, name in zip(setters, names, strict=True):
                set_field(instance, values[name] if name in values else defaults[name])
        if cached_hash:
            put(instance, _HASH_CACHE, None)
        return instance

    return make


def _put_named(name: str, instance: Any, value: Any) -> None:
    object.__setattr__(instance, name, value)


_HASH_CACHE = "_attrs_cached_hash"
"""Where attrs keeps the hash of a ``cache_hash=True`` class (empty until first asked)."""


def choice(kind: type[Choice], *, optional: bool = False) -> Any:
    """A converter to the :class:`Choice` ``kind`` whose error names the field
    (``Target.per``), not only the enum (``Period``) as the enum's own would."""

    def convert(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> Any:
        if optional and value is None:
            return None
        if type(value) is kind:
            return value
        try:
            return kind(value)
        except ValidationError as error:
            raise ValidationError(field_name(instance, attribute), value, error.rule) from None

    return attrs.Converter(convert, takes_self=True, takes_field=True)
