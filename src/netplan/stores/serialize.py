"""Plans, logs and every domain value to and from JSON-compatible data.

>>> data = to_data(Target(4, "new_contacts", per="month"))
>>> data["schema"], data["type"], data["data"]["per"]
(1, 'Target', 'month')
>>> from_data(data) == Target(4, "new_contacts", per="month")
True

The data is plain dicts, lists, strings, numbers, booleans and None, ready for
:func:`json.dumps`; dates are ISO 8601 text, instants ISO 8601 with their UTC offset,
sets are sorted lists (so a plan kept in git diffs cleanly). An envelope records the
schema version and the type, so a file written by a newer netplan is refused with a
clear message rather than misread.

One private cattrs converter does the work; it is not exported, so nothing else can
register hooks on it and change what netplan writes.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import itertools
import json
import operator
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction
from typing import Any, TypeVar, cast, get_origin

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter

from netplan.core._validation import unchecked
from netplan.core.actions import (
    CadenceRule,
    Done,
    FollowUpPolicy,
    KeepInTouch,
    PlannedAction,
    Snooze,
)
from netplan.core.agenda import Agenda, AgendaItem
from netplan.core.batch import CONTACT_FIELDS, Batch, NewContacts, RowFields, RowSearch
from netplan.core.errors import MISSING, NetplanError, ValidationError
from netplan.core.evaluation import MetricFailure, Review
from netplan.core.findings import (
    ADJUSTMENTS,
    AddAction,
    Adjustment,
    Applied,
    Finding,
    SetTargetAmount,
    Subject,
)
from netplan.core.goals import AmountChange, Goal, Target
from netplan.core.importing import Conflict, Imported, ImportReport, Problem
from netplan.core.instants import (
    EARLIEST_MICROS,
    EPOCH,
    LATEST_MICROS,
    MICROSECOND,
    from_micros,
    to_micros,
)
from netplan.core.log import (
    ActivityLog,
    Columns,
    LogChange,
    Record,
    check_records,
    paused_gc,
)
from netplan.core.network import (
    Contact,
    Event,
    Interaction,
    Membership,
    Organization,
    Segment,
)
from netplan.core.pace import Consistency, Progress, Road
from netplan.core.plan import Plan
from netplan.core.schedule import Occurrence, Once, Quota, Recurrence, Schedule
from netplan.core.skills import (
    NetworkSummary,
    Rating,
    Resources,
    Skill,
    SkillAssessment,
    SkillChange,
)

__all__ = [
    "SCHEMA_VERSION",
    "SchemaError",
    "from_data",
    "from_trusted_data",
    "log_from_data",
    "to_data",
]

SCHEMA_VERSION = 1
"""The version of the data layout :func:`to_data` writes. Bumped on any incompatible change,
with a migration from every earlier version."""

T = TypeVar("T")

TYPES: dict[str, type[Any]] = {
    t.__name__: t
    for t in (
        ActivityLog,
        AddAction,
        AmountChange,
        Applied,
        Consistency,
        Finding,
        MetricFailure,
        SetTargetAmount,
        Subject,
        Progress,
        Review,
        Road,
        CadenceRule,
        Contact,
        Event,
        FollowUpPolicy,
        Goal,
        Interaction,
        KeepInTouch,
        Membership,
        NetworkSummary,
        Occurrence,
        Once,
        Organization,
        Plan,
        PlannedAction,
        Quota,
        Rating,
        Recurrence,
        Resources,
        Segment,
        Skill,
        SkillAssessment,
        Snooze,
        Done,
        SkillChange,
        Target,
        LogChange,
        # What a host shows a person: the agenda, and what an import did.
        Agenda,
        AgendaItem,
        Conflict,
        Imported,
        ImportReport,
        Problem,
    )
}


_RECORD_TYPES: dict[str, type[Any]] = {
    "contact": Contact,
    "organization": Organization,
    "event": Event,
    "interaction": Interaction,
}
"""The tags of a change's records: ``{"type": "contact", ...}``."""

_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrades from schema ``n`` to ``n + 1``, applied in turn to older data."""


class SchemaError(NetplanError):
    """Data written with a schema version this netplan cannot read."""


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, str) and len(value) == 10:
        return dt.date.fromisoformat(value)
    raise ValueError(f"expected a date as YYYY-MM-DD text, got {value!r}")


def _structure_datetime(value: Any, _: type) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 instant as text, got {value!r}")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.utcoffset() is None:
        raise ValueError(f"expected an instant with a UTC offset, got {value!r}")
    return parsed


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    raise ValueError(f"expected a decimal amount as text, got {value!r}")


def _structure_fraction(value: Any, _: type) -> Fraction:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError(f"expected a fraction as text such as '3/2', got {value!r}")


def _structure_number(value: Any, _: type) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise ValueError(f"expected a number, got {value!r}")


def _structure_text(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__}")


def _structure_flag(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {type(value).__name__}")


def _structure_whole(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected a whole number, got {type(value).__name__}")


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _is_frozenset(type_: Any) -> bool:
    return type_ is frozenset or get_origin(type_) is frozenset


def _sorted_values(values: frozenset[Any]) -> list[Any]:
    if len(values) < 2:  # most sets of a contact (its tags, its sources) hold one or none
        return [v.value if isinstance(v, Enum) else v for v in values]
    return sorted(v.value if isinstance(v, Enum) else v for v in values)


def _register_tagged(
    converter: cattrs.Converter, union: Any, types: Mapping[str, type[Any]]
) -> None:
    """(Un)structure ``union`` (and ``union | None``) as objects with a ``type`` tag naming
    one of ``types``. Written by hand rather than with cattrs' strategy, which pops the tag
    out of the caller's data."""
    tags = {t: tag for tag, t in types.items()}

    def unstructure(value: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"type": tags[type(value)], **converter.unstructure(value, type(value))}

    def structure(value: Any, _: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise ValueError(f"expected an object with a type, got {value!r}")
        tag = value.get("type")
        if not isinstance(tag, str) or tag not in types:
            raise ValueError(f"type must be one of {', '.join(types)}, got {tag!r}")
        fields = {k: v for k, v in value.items() if k != "type"}
        return converter.structure(fields, types[tag])

    for each in (union, union | None):
        converter.register_unstructure_hook(each, unstructure)
        converter.register_structure_hook(each, structure)


def _make_converter() -> cattrs.Converter:
    converter = make_converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.datetime, dt.datetime.isoformat)
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_unstructure_hook(Fraction, str)
    converter.register_structure_hook(Fraction, _structure_fraction)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(int | float, _structure_number)
    # JSON's own types as they are: cattrs would make "None" of a null name, True of
    # "yes" and "['x']" of a list, where the data is wrong and must be refused.
    converter.register_structure_hook(str, _structure_text)
    converter.register_structure_hook(bool, _structure_flag)
    converter.register_structure_hook(int, _structure_whole)
    converter.register_structure_hook(float, _structure_float)
    # Sets are written sorted, so the same plan always gives the same text.
    converter.register_unstructure_hook_func(_is_frozenset, _sorted_values)

    # Schedules and adjustments are tagged unions: {"type": "recurrence", ...}.
    _register_tagged(converter, Schedule, _SCHEDULES)
    _register_tagged(converter, Adjustment, _ADJUSTMENT_TYPES)
    # A change's records: any record, or a contact, organization or event (replaced).
    _register_tagged(converter, Record, _RECORD_TYPES)
    _register_tagged(
        converter,
        Contact | Organization | Event,
        {tag: t for tag, t in _RECORD_TYPES.items() if t is not Interaction},
    )
    # A plan's owner and labels are written only when set: a plan without them reads
    # the same as before they existed, in this netplan and an older one.
    converter.register_unstructure_hook(
        Plan,
        make_dict_unstructure_fn(
            Plan,
            converter,
            owner=override(omit_if_default=True),
            labels=override(omit_if_default=True),
        ),
    )
    converter.register_unstructure_hook(ActivityLog, lambda log: _unstructure_log(converter, log))
    converter.register_structure_hook(ActivityLog, lambda data, _: _structure_log(converter, data))
    return converter


_ADJUSTMENT_TYPES: dict[str, type[Any]] = {
    "set_target_amount": SetTargetAmount,
    "add_action": AddAction,
}
assert set(_ADJUSTMENT_TYPES.values()) == set(ADJUSTMENTS)

INTERACTION_COLUMNS = ("at", "contact", "kind", "channel", "direction", "event", "notes")
"""The order of the values in each row of a log's ``interactions``."""

"""The instants a log can hold, as microseconds from 1970 (a datetime's years 1 to 9999)."""


def _unstructure_log(converter: cattrs.Converter, log: ActivityLog) -> dict[str, Any]:
    # Interactions as rows ([at, contact, kind, channel, direction, event, notes]), one
    # per interaction: a third of the size of objects with keys, and read back in bulk.
    return {
        "contacts": converter.unstructure(log.contacts, tuple[Contact, ...]),
        "organizations": converter.unstructure(log.organizations, tuple[Organization, ...]),
        "events": converter.unstructure(log.events(), tuple[Event, ...]),
        "interactions": [[from_micros(at).isoformat(), *rest] for at, *rest in log.rows()],
    }


def _structure_log(
    converter: cattrs.Converter, data: Any, *, defer_contacts: bool = False
) -> ActivityLog:
    if not isinstance(data, Mapping):
        raise ValueError(
            f"expected an object with contacts and interactions, got {type(data).__name__}"
        )
    extra = set(data) - {"contacts", "organizations", "events", "interactions"}
    if extra:
        raise cattrs.ForbiddenExtraKeysError("", ActivityLog, extra)
    rows = data.get("interactions", [])
    if not isinstance(rows, list):
        raise ValueError(f"interactions must be a list of rows {list(INTERACTION_COLUMNS)}")
    # A store's own data (defer_contacts): its records were checked when written.
    records = _trusted_records if defer_contacts else _records
    organizations = records(converter, data, "organizations", Organization)
    events = records(converter, data, "events", Event)
    if defer_contacts:
        contacts = _deferred_contacts(converter, data.get("contacts", []), organizations)
        check_records([*organizations, *events], lambda kind, key: False)
    else:
        values = _records(converter, data, "contacts", Contact)
        # A contact may name one after it (an update or a merge made it so).
        check_records([*organizations, *values, *events], lambda kind, key: False, any_order=True)
        contacts = NewContacts.of(values)
    with paused_gc():
        columns = _columns(rows)
        try:
            return ActivityLog.from_batch(
                Batch((*organizations, *events), contacts, columns), trusted=True
            )
        except ValidationError as error:
            field = error.field.replace("rows", "interactions", 1)
            raise ValidationError(f"ActivityLog.{field}", error.value, error.rule) from None


def _records(
    converter: cattrs.Converter, data: Mapping[str, Any], key: str, cls: type[T]
) -> tuple[T, ...]:
    """The log's ``key`` (its contacts, organizations or events), checked; what is wrong
    is named by its place in the log (``ActivityLog.events[3].on``)."""
    items = data.get(key, [])
    try:
        return cast(tuple[T, ...], converter.structure(items, tuple[cls, ...]))  # type: ignore[valid-type]
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as error:
        explained = _explain(error, items)
        field = explained.field.replace("$.data", f"ActivityLog.{key}", 1)
        raise ValidationError(field, explained.value, explained.rule) from None


def _trusted_records(
    converter: cattrs.Converter, data: Mapping[str, Any], key: str, cls: type[T]
) -> tuple[T, ...]:
    """The log's ``key``, netplan's own data of ``cls`` values, rebuilt as
    :func:`from_trusted_data` rebuilds one (each field's JSON type checked, not its
    validators: 5,000 events in a tenth of the time); anything it cannot read so goes
    the checked way (:func:`_records`), which names what is wrong."""
    items = data.get(key, [])
    if type(items) is not list:
        return _records(converter, data, key, cls)
    plan = _TRUSTED[cls]
    make = _unchecked(cls)
    made: list[T] = []
    try:
        for item in items:
            if type(item) is not dict:
                raise TypeError("a record is not an object")
            made.append(
                make(
                    *(
                        convert(item[name]) if name in item or default is attrs.NOTHING else default
                        for name, convert, default in plan
                    )
                )
            )
    except (_Checked, KeyError, TypeError, ValueError, OverflowError):
        return _records(converter, data, key, cls)
    return tuple(made)


def _deferred_contacts(
    converter: cattrs.Converter, items: Any, organizations: tuple[Organization, ...]
) -> NewContacts:
    """Each contact's id and references checked now; the rest when it is first read."""
    if not isinstance(items, list):
        raise ValueError("contacts must be a list of contact objects")
    known_organizations = {o.id for o in organizations}
    if set(map(type, items)) <= {dict}:
        # The checks below in C, each over a whole field (100,000 contacts: a Python step
        # each cost a tenth of the load); anything they refuse goes the slow way below,
        # which names the contact.
        keys = list(map(dict.get, items, itertools.repeat("id")))
        places = map(dict.get, items, itertools.repeat("organization"))
        introducers = map(dict.get, items, itertools.repeat("introduced_by"))
        with contextlib.suppress(TypeError):  # an unhashable value: named below
            unique = set(keys)
            if (
                set(map(type, keys)) <= {str}
                and len(unique) == len(keys)
                and set(places) <= known_organizations | {None}
                and set(introducers) <= unique | {None}
            ):
                return _contacts_at(converter, items, cast(list[str], keys))
    ids: set[str] = set()
    for number, item in enumerate(items):
        key = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(key, str) or key in ids:
            raise ValidationError(
                f"ActivityLog.contacts[{number}].id", key, "must be a unique contact id"
            )
        ids.add(key)
    for number, item in enumerate(items):
        for field, known in (("organization", known_organizations), ("introduced_by", ids)):
            ref = item.get(field)
            if ref is not None and ref not in known:
                raise ValidationError(
                    f"ActivityLog.contacts[{number}].{field}", ref, f"must name a known {field}"
                )
    return _contacts_at(converter, items, [item["id"] for item in items])


def _contacts_at(converter: cattrs.Converter, items: list[Any], keys: list[str]) -> NewContacts:
    return NewContacts(keys, range(len(items)), functools.partial(_contact_at, converter, items))


def _contact_at(
    converter: cattrs.Converter, items: Sequence[Mapping[str, Any]], number: int, key: str
) -> Contact:
    item = items[number]
    try:
        return converter.structure(item, Contact)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as error:
        explained = _explain(error, item)
        raise ValidationError(
            explained.field.replace("$.data", f"contacts[{number}]", 1),
            explained.value,
            explained.rule,
        ) from error


def _columns(rows: list[Any]) -> Columns:
    """The rows' columns, instants as microseconds, converted column by column (C-level
    maps over the whole column) and handed to the log as columns: no row tuples made
    again; a bad row sends us the slow way, to name it."""
    if not rows:
        return ((), (), (), (), (), (), ())
    try:
        # A row of seven characters has seven items as a list does. (The types in C: a
        # generator of isinstance calls was a tenth of the load.)
        if set(map(type, rows)) != {list}:
            raise TypeError("a row is not a list")
        width = len(INTERACTION_COLUMNS)
        if set(map(len, rows)) != {width}:
            raise ValueError("wrong number of columns")
        # The rows laid end to end, each column a slice of every seventh value: a third
        # of the time of zip(*rows), which makes an iterator per row.
        values = list(itertools.chain.from_iterable(rows))
        columns = [values[column::width] for column in range(width)]
        del values
        instants = map(dt.datetime.fromisoformat, columns[0])
        micros = list(
            map(
                operator.floordiv,
                map(operator.sub, instants, itertools.repeat(EPOCH)),
                itertools.repeat(MICROSECOND),
            )
        )
        if not EARLIEST_MICROS <= min(micros) <= max(micros) <= LATEST_MICROS:
            raise ValueError("an instant outside the years 1 to 9999 in UTC")
        return (micros, *columns[1:])  # type: ignore[return-value]
    except (TypeError, ValueError):
        table = [(_row_instant(row, number), *row[1:]) for number, row in enumerate(rows)]
        return tuple(zip(*table, strict=True))  # type: ignore[return-value]


def _row_instant(row: Any, number: int) -> int:
    if not isinstance(row, list) or len(row) != len(INTERACTION_COLUMNS):
        raise ValidationError(
            f"ActivityLog.interactions[{number}]",
            row,
            f"must be a row of {list(INTERACTION_COLUMNS)}",
        )
    try:
        at = dt.datetime.fromisoformat(row[0])
    except (TypeError, ValueError):
        at = None
    if at is None or at.utcoffset() is None:
        raise ValidationError(
            f"ActivityLog.interactions[{number}].at",
            row[0],
            "must be an ISO 8601 instant with a UTC offset",
        )
    micros = to_micros(at)
    if not EARLIEST_MICROS <= micros <= LATEST_MICROS:
        # 0001-01-01T00:00+14:00 is in year 0 in UTC: no datetime holds it.
        raise ValidationError(
            f"ActivityLog.interactions[{number}].at",
            row[0],
            "must be an instant in the years 1 to 9999 in UTC",
        )
    return micros


_SCHEDULES: dict[str, type[Recurrence | Quota | Once]] = {
    cls.__name__.lower(): cls for cls in (Recurrence, Quota, Once)
}
_converter = _make_converter()


_Decode = tuple[str, Callable[[Any], Any], Any]


def _fast_plan(cls: type[Any]) -> tuple[_Decode, ...]:
    """How to rebuild ``cls`` from its own JSON data without its validators: per field, the
    conversion its JSON form needs (which also checks the JSON type, so a damaged file
    cannot put a number where a name belongs), and the value of a field data written
    before it existed lacks (its default; ``attrs.NOTHING`` when it has none). Only for
    classes whose fields are all JSON-native."""
    plan: list[_Decode] = []
    for field in attrs.fields(attrs.resolve_types(cls)):
        origin = get_origin(field.type)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = attrs.NOTHING if default.takes_self else default.factory()
        if origin is tuple and field.type == tuple[str, ...]:
            plan.append((field.name, _texts, default))
        elif origin is frozenset and field.type == frozenset[str]:
            plan.append((field.name, _text_set, default))
        elif field.type is dt.date:
            plan.append((field.name, dt.date.fromisoformat, default))  # TypeError unless text
        elif field.type == (dt.datetime | None):
            plan.append((field.name, _optional_instant, default))
        elif field.type == (dt.date | None):
            plan.append((field.name, _optional_date, default))
        elif field.type in _PLAIN:
            plan.append((field.name, _PLAIN[field.type], default))
        elif field.type == tuple[Membership, ...]:
            plan.append((field.name, _no_memberships, default))
        else:
            raise TypeError(f"{cls.__name__}.{field.name} has no trusted decoding")
    return tuple(plan)


def _wrong(value: Any, expected: str) -> TypeError:
    return TypeError(f"expected {expected}, got {type(value).__name__}")


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    raise _wrong(value, "text")


def _optional_text(value: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    raise _wrong(value, "text or null")


def _flag(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise _wrong(value, "true or false")


def _optional_flag(value: Any) -> bool | None:
    if value is None or type(value) is bool:
        return value
    raise _wrong(value, "true, false or null")


def _whole(value: Any) -> int:
    if type(value) is int:
        return value
    raise _wrong(value, "a whole number")


_PLAIN: dict[Any, Callable[[Any], Any]] = {
    str: _text,
    str | None: _optional_text,
    bool: _flag,
    bool | None: _optional_flag,
    int: _whole,
}


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is list:
        "".join(value)  # a TypeError naming the first item that is not text: C speed
        return tuple(value)
    raise _wrong(value, "a list of texts")


def _text_set(value: Any) -> frozenset[str]:
    if type(value) is list:
        "".join(value)
        return frozenset(value)
    raise _wrong(value, "a list of texts")


class _Checked(Exception):
    """Raised by a trusted decoding for a value it leaves to the checked one."""


def _no_memberships(value: Any) -> tuple[Membership, ...]:
    # An organization with memberships (a handful of the person's own) is decoded with
    # every check: each membership's dates are checked against each other.
    if value == []:
        return ()
    raise _Checked


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _optional_instant(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    instant = dt.datetime.fromisoformat(value)  # TypeError unless text
    if instant.utcoffset() is None:
        raise ValueError(f"expected an instant with a UTC offset, got {value!r}")
    return instant


_TRUSTED: dict[type[Any], tuple[_Decode, ...]] = {
    Contact: _fast_plan(Contact),
    Event: _fast_plan(Event),
    Organization: _fast_plan(Organization),
}


_UNCHECKED: dict[type[Any], Callable[..., Any]] = {}
"""The constructor without checks of each type decoded from trusted data."""


def _unchecked(cls: type[T]) -> Callable[..., T]:
    make = _UNCHECKED.get(cls)
    if make is None:
        make = _UNCHECKED[cls] = unchecked(cls)
    return make


def from_trusted_data(data: Mapping[str, Any], expected: type[T]) -> T:
    """Like :func:`from_data`, for data netplan itself wrote and validated (a store's own
    records): skips re-validating where that is the bulk of the cost (contacts,
    organizations, events), so a store of 100,000 contacts loads in a fraction of the
    time. Anything else (an organization with memberships too), or data of another
    schema version, goes through :func:`from_data`."""
    plan = _TRUSTED.get(expected)
    if (
        plan is None
        or (type(data) is not dict and not isinstance(data, Mapping))
        or data.get("schema") != SCHEMA_VERSION
        or data.get("type") != expected.__name__
        or type(data.get("data")) is not dict
    ):
        return from_data(data, expected)  # which says what is wrong with it
    payload = data["data"]
    values: list[Any] = []
    name = ""
    try:
        for name, convert, default in plan:  # in the order the class declares its fields
            if name in payload or default is attrs.NOTHING:
                values.append(convert(payload[name]))
            else:
                values.append(default)
        value: T = _unchecked(expected)(*values)
    except _Checked:
        return from_data(data, expected)
    except KeyError:
        raise ValidationError(
            f"$.data.{name}", MISSING, "cannot be read: it is required and missing"
        ) from None
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError(
            f"$.data.{name}", payload[name], f"cannot be read ({error})"
        ) from None
    return value


def to_data(value: Any) -> dict[str, Any]:
    """JSON-compatible data for any netplan domain value, in a versioned envelope: plans
    and their parts, logs and their records, reviews and findings, and what a host shows
    a person: an :class:`~netplan.Agenda` and its items, and what an import did (an
    :class:`~netplan.core.importing.Imported`, with a
    :class:`~netplan.core.importing.ImportReport` per file, each with its conflicts and
    problems). ``netplan.stores.serialize.TYPES`` names every type."""
    name = type(value).__name__
    if TYPES.get(name) is not type(value):
        raise ValidationError(
            "to_data.value", value, f"must be one of netplan's types: {', '.join(sorted(TYPES))}"
        )
    return {
        "schema": SCHEMA_VERSION,
        "type": name,
        "data": _converter.unstructure(value, type(value)),
    }


def from_data(data: Mapping[str, Any], expected: type[T] | None = None) -> T:
    """The value :func:`to_data` wrote, checked as it is rebuilt.

    ``expected`` makes sure the data holds that type (``from_data(data, Plan)``). Data
    from an older schema is migrated; from a newer one, or malformed, raises a
    :class:`~netplan.NetplanError` naming the path of the bad value.
    """
    cls, payload = _unwrap(data, expected)
    return cast(T, _structured(payload, lambda: _converter.structure(payload, cls)))


def log_from_data(data: Mapping[str, Any], *, defer_contacts: bool = False) -> ActivityLog:
    """Like ``from_data(data, ActivityLog)``; with ``defer_contacts``, each contact is
    checked for its id and references now and fully rebuilt (and validated) the first time
    it is read, so a store of 100,000 contacts opens without building them all."""
    _, payload = _unwrap(data, ActivityLog)
    return _structured(
        payload, lambda: _structure_log(_converter, payload, defer_contacts=defer_contacts)
    )


def _structured(payload: Any, build: Callable[[], T]) -> T:
    try:
        return build()
    except (
        cattrs.BaseValidationError,
        cattrs.ForbiddenExtraKeysError,
        ValueError,
        TypeError,
        KeyError,
    ) as error:
        raise _explain(error, payload) from error


def _unwrap(data: Mapping[str, Any], expected: type[Any] | None) -> tuple[type[Any], Any]:
    """The type and (migrated) payload of netplan data, after checking its envelope."""
    if not isinstance(data, Mapping) or not {"schema", "type", "data"} <= set(data):
        raise ValidationError(
            "$", _keys(data), "must be netplan data: an object with schema, type and data"
        )
    schema, name, payload = data["schema"], data["type"], data["data"]
    if not isinstance(schema, int) or isinstance(schema, bool) or not 1 <= schema <= 9999:
        # Past 9999 is damage, not data from a newer netplan.
        raise ValidationError("$.schema", schema, "must be a schema version, 1 to 9999")
    if schema > SCHEMA_VERSION:
        raise SchemaError(
            f"this data has schema version {schema}, written by a newer netplan; this one "
            f"reads up to version {SCHEMA_VERSION}: upgrade netplan (pip install -U networking-action-plan)"
        )
    if name not in TYPES:
        raise ValidationError("$.type", name, f"must be one of {', '.join(sorted(TYPES))}")
    cls = TYPES[name]
    if expected is not None and cls is not expected:
        raise ValidationError("$.type", name, f"must be {expected.__name__} here")
    for version in range(schema, SCHEMA_VERSION):
        payload = _MIGRATIONS[version](payload)
    return cls, payload


def _explain(error: Exception, payload: Any) -> ValidationError:
    """The first leaf of a cattrs error tree, as a ValidationError naming its JSON path."""
    path: list[str | int] = []
    leaf: BaseException = error
    while isinstance(leaf, (ClassValidationError, IterableValidationError)):
        located, unlocated = leaf.group_exceptions()
        if located:
            leaf, note = located[0]
            path.append(note.name if isinstance(note, AttributeValidationNote) else note.index)
        elif unlocated:
            leaf = unlocated[0]
        else:
            break
    where = "$.data" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    if isinstance(leaf, ValidationError):
        # Our validators name the field from the class being built ("Target.amount",
        # "Plan.actions[0].goals"); the path leads to that class.
        _, dot, inner = leaf.field.partition(".")
        return ValidationError(f"{where}.{inner}" if dot else where, leaf.value, leaf.rule)
    if isinstance(leaf, cattrs.ForbiddenExtraKeysError):
        return ValidationError(
            where, sorted(leaf.extra_fields), "unknown keys: remove them or check their spelling"
        )
    if isinstance(leaf, KeyError) and _at(payload, path) is MISSING:
        return ValidationError(where, MISSING, "is required and missing")
    return ValidationError(where, _at(payload, path), str(leaf))


def _at(payload: Any, path: list[str | int]) -> Any:
    for step in path:
        try:
            payload = payload[step]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return payload


def _keys(data: Any) -> Any:
    return sorted(data)[:10] if isinstance(data, Mapping) else type(data).__name__


# -- contacts column by column -------------------------------------------------------------

_ENCODE_TEXT: Callable[[str], str] = json.encoder.encode_basestring
"""JSON's own (C) string encoder, without escaping what is not ASCII."""


def _json_value(value: Any, comma: str = ",") -> str:
    """``value`` (a field of a contact) as :func:`to_data` then ``json.dumps`` write it,
    list items joined by ``comma``."""
    if type(value) is str:
        return _ENCODE_TEXT(value)
    if value is None:
        return "null"
    if type(value) is tuple:
        return "[" + comma.join(_json_value(v, comma) for v in value) + "]" if value else "[]"
    if type(value) is frozenset:
        return (
            "[" + comma.join(_json_value(v, comma) for v in sorted(value)) + "]" if value else "[]"
        )
    return json.dumps(_converter.unstructure(value), ensure_ascii=False)


_OPTIONAL_TEXT = {str, type(None)}


def _json_column(values: Sequence[Any], comma: str) -> str | Sequence[str]:
    """The JSON text of each of ``values``, or one text when they are all one value (a
    default, a source): a row made of columns then holds it as written once."""
    if not values:
        return []
    first = values[0]
    try:
        if values.count(first) == len(values):  # one value for all (a default, a source)
            return _json_value(first, comma)
    except TypeError:  # an unhashable value: compared one by one anyway
        pass
    # The kinds of the values are found in C (a generator per value costs more than
    # encoding it).
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(_ENCODE_TEXT, values))
    if kinds == _OPTIONAL_TEXT:  # an organization, a tier: text or nothing
        encode = _ENCODE_TEXT
        return ["null" if v is None else encode(v) for v in values]
    if (
        kinds == {tuple}
        and max(map(len, values)) < 2
        and set(map(type, itertools.chain.from_iterable(values))) <= {str}
    ):  # one profile, one email
        encode = _ENCODE_TEXT
        return [f"[{encode(v[0])}]" if v else "[]" for v in values]
    return [_json_value(v, comma) for v in values]


def _rows(parts: Sequence[str | Sequence[str]], count: int) -> list[str]:
    """``count`` texts, each the ``parts`` joined: a text is in every row, a column gives
    each row its own. The texts in a row are joined once, into a template each row's
    values are put in by ``%`` in C: a contact's twenty fields, fifteen of them one
    value for all, cost four substitutions, not twenty joins."""
    template: list[str] = []
    columns: list[Sequence[str]] = []
    for part in parts:
        if isinstance(part, str):
            template.append(part.replace("%", "%%"))
        else:
            template.append("%s")
            columns.append(part)
    text = "".join(template)
    if not columns:
        return [text % ()] * count
    return list(map(text.__mod__, zip(*columns, strict=True)))


def _joined(
    keys: Sequence[str], columns: Sequence[str | Sequence[str]], comma: str
) -> list[str | Sequence[str]]:
    """The parts of ``key value, key value...``, for :func:`_rows`."""
    parts: list[str | Sequence[str]] = []
    for number, (key, column) in enumerate(zip(keys, columns, strict=True)):
        parts.append(key if number == 0 else comma + key)
        parts.append(column)
    return parts


def contact_texts(
    fields: Mapping[str, Sequence[Any]], *, wrapped: bool = True, spaced: bool = False
) -> list[str]:
    """The JSON text of each contact whose values are given field by field (as
    :meth:`NewContacts.fields <netplan.core.batch.NewContacts.fields>` gives them): the
    text ``json.dumps(to_data(contact), sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` gives, made column by column with JSON's own string encoder,
    no contact built (a store writes an import of 100,000 people this way).

    ``wrapped=False`` leaves out the envelope (``to_data(contact)["data"]``, as a log's
    data holds its contacts), and ``spaced=True`` writes ``", "`` and ``": "`` between
    items and after keys (``separators=(", ", ": ")``, as the JSON store's lines are)."""
    comma, colon = (", ", ": ") if spaced else (",", ":")
    names = sorted(CONTACT_FIELDS)
    count = len(fields[names[0]])
    columns = [_json_column(fields[name], comma) for name in names]
    keys = [f'"{name}"{colon}' for name in names]
    head, tail = "{", "}"
    if wrapped:
        head = f'{{"data"{colon}{{'
        tail = f'}}{comma}"schema"{colon}{SCHEMA_VERSION}{comma}"type"{colon}"Contact"}}'
    return _rows([head, *_joined(keys, columns, comma), tail], count)


# The fields a stored contact's JSON holds as they are (a text, or null where the field
# may be None), and those it holds as a list that the contact keeps as a set.
_TEXT_FIELDS = frozenset(
    {"name", "role", "met_how", "met_where", "notes", "nickname", "birthday", "id"}
)
_OPTIONAL_FIELDS = frozenset({"organization", "industry", "tier", "introduced_by"})
_SET_FIELDS = frozenset({"tags", "distinct_from", "sources"})


SEARCHED_FIELDS = ("id", "industry", "organization", "tags", "tier")
"""The fields a plan's segments and keep-in-touch cadences pick contacts by: what a
store's search text of a contact holds (:func:`contact_search_texts`)."""


def contact_search_texts(fields: Mapping[str, Sequence[Any]]) -> list[str]:
    """For each contact whose values are given field by field, the JSON of its
    :data:`SEARCHED_FIELDS` joined by commas (``"lena-berg","energy",null,["climate"],"a"``):
    the short text a SQL store keeps beside the contact's JSON, searched for a segment's
    or a cadence's values (:func:`stored_contact_search`) in a tenth of the time the whole
    JSON takes. Made column by column, as :func:`contact_texts` makes the JSON."""
    count = len(fields[SEARCHED_FIELDS[0]])
    columns = [_json_column(fields[name], ",") for name in SEARCHED_FIELDS]
    return _rows(_joined([""] * len(columns), columns, ","), count)


def stored_search_text(data: Any) -> str:
    """:func:`contact_search_texts` of a contact stored as the parsed JSON ``data`` (an
    upgrade fills the column so); ``""`` when it is not as netplan writes it (reading the
    contact says what is wrong)."""
    payload = data.get("data") if isinstance(data, dict) else None
    if not isinstance(payload, dict):
        return ""
    return ",".join(
        json.dumps(payload.get(name), ensure_ascii=False, separators=(",", ":"))
        for name in SEARCHED_FIELDS
    )


def stored_contact_fields(texts: Sequence[str], contact: Callable[[int], Contact]) -> RowFields:
    """What :class:`~netplan.core.batch.NewContacts` reads fields with, for contacts
    stored as the JSON texts ``texts`` (as :func:`contact_texts` writes them): each field
    read from its text with ``json.loads`` alone, no contact built, so that a review
    asking which of 100,000 stored people are in a segment does not decode them all.

    A text that is not as netplan writes it (another schema, a value of the wrong kind)
    is read as ``contact(row)``, which decodes it, and raises what a damaged row raises."""

    def fields(rows: Sequence[int], names: Collection[str]) -> Mapping[str, Sequence[Any]]:
        wanted = tuple(names)
        out: dict[str, list[Any]] = {name: [] for name in wanted}
        columns = [out[name] for name in wanted]
        for row in rows:
            try:
                envelope = json.loads(texts[row])
                data = envelope["data"] if envelope.get("schema") == SCHEMA_VERSION else None
            except (ValueError, TypeError, AttributeError, KeyError):
                data = None
            values = None if type(data) is not dict else _stored_values(data, wanted)
            if values is None:
                made = contact(row)
                values = [getattr(made, name) for name in wanted]
            for column, value in zip(columns, values, strict=True):
                column.append(value)
        return out

    return fields


def stored_contact_search(texts: Sequence[str]) -> RowSearch:
    """What :class:`~netplan.core.batch.NewContacts` searches with, for contacts stored
    with the texts ``texts`` (their JSON, or the shorter :func:`contact_search_texts`):
    the rows whose text holds one of the values as a JSON string (as netplan writes it,
    or ASCII-escaped). A contact holding a value in a field the text keeps holds it so;
    others found are read and checked by the caller, and so are those whose text is not
    text at all (a damaged store's): reading them says what is wrong.

    Each value is first counted in all the texts joined (one C-level pass, joined on the
    first search): a value few contacts hold (a tier nobody has, a rare tag) is then
    found where it is, not by asking each of 100,000 texts; a common one by a pass over
    the texts, which costs less than finding thousands one by one."""
    made: list[tuple[Sequence[str], frozenset[int], str, list[int]]] = []  # on first use

    def search(values: Collection[str]) -> set[int]:
        if not made:
            whole = set(map(type, texts)) <= {str}
            odd = frozenset(() if whole else (r for r, t in enumerate(texts) if type(t) is not str))
            kept = texts if whole else [text if type(text) is str else "" for text in texts]
            # Where each text ends in the joined one, a newline after each (no needle
            # holds one: JSON escapes it), so that a place found names its row.
            ends = list(map(operator.add, itertools.accumulate(map(len, kept)), itertools.count()))
            made.append((kept, odd, "\n".join(kept), ends))
        kept, odd, joined, ends = made[0]
        found = set(odd)
        needles = {json.dumps(v, ensure_ascii=ascii) for v in values for ascii in (False, True)}
        many = len(kept) // 8 + 1
        for needle in needles:
            place, rows = joined.find(needle), 0
            while place != -1 and rows < many:
                row = bisect.bisect_left(ends, place)
                found.add(row)
                rows += 1
                place = joined.find(needle, ends[row] + 1)
            if place != -1:  # held by many: the rest by a pass over their texts
                rest = range(row + 1, len(kept))
                found.update(
                    itertools.compress(
                        rest,
                        map(operator.contains, kept[row + 1 :], itertools.repeat(needle)),
                    )
                )
        return found

    return search


def _stored_values(data: dict[str, Any], names: Sequence[str]) -> list[Any] | None:
    """The values of ``names`` in a stored contact's data, or None when one is not as
    netplan writes it."""
    values: list[Any] = []
    for name in names:
        value = data.get(name)
        if name in _SET_FIELDS:
            if type(value) is not list or not all(type(item) is str for item in value):
                return None
            values.append(frozenset(value))
        elif type(value) is str and name in _TEXT_FIELDS | _OPTIONAL_FIELDS:
            values.append(value)
        elif value is None and name in _OPTIONAL_FIELDS:
            values.append(None)
        else:
            return None  # a field kept otherwise (a tuple), or not as written
    return values


def interaction_texts(columns: Columns, comma: str = ", ") -> list[str]:
    """The JSON text of each interaction given as :data:`Columns` (``[at, contact, kind,
    channel, direction, event, notes]``), as :func:`to_data` of a log holds it (a row,
    its instant in ISO 8601) and the JSON store writes it on its line
    (``json.dumps(row, ensure_ascii=False, separators=(comma, ": "))``), made column by
    column: an instant's text once per distinct instant, a kind or a channel once for
    all when every row has the same."""
    at, *rest = columns
    # An instant's ISO text holds nothing JSON escapes: quoted, it is its JSON.
    iso = {micros: f'"{from_micros(micros).isoformat()}"' for micros in set(at)}
    texts = [list(map(iso.__getitem__, at)), *(_json_column(c, comma) for c in rest)]
    return _rows(["[", *_joined([""] * len(texts), texts, comma), "]"], len(at))
