"""Corrections of an activity log as values: what a change adds, removes and replaces,
each record with its place, so that a store can keep the change in the plan's history and
undo it exactly (:meth:`LogChange.inverse`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from netplan.core import _validation as v
from netplan.core._records import KIND, article, kind_of
from netplan.core.batch import Record
from netplan.core.errors import ValidationError
from netplan.core.network import Contact, Event, Interaction, Organization

__all__ = ["LogChange", "Placed", "Replaced"]

_NAMED = (Contact, Organization, Event)


def _position(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        v.fail(instance, attribute, value, "must be a place in the log: an int, 0 or more")


def _number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        v.fail(instance, attribute, value, "must be a change's number: an int, 0 or more")


def _undone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        v.fail(instance, attribute, value, "must be the number of a change: an int, 1 or more")


@attrs.frozen
class Placed:
    """A record a :class:`LogChange` adds or removes, and its place in the log: its place
    among the log's records of its kind (contacts, organizations, events: each kind in
    the order added, from 0) or, for an interaction, its row (the order interactions were
    added in, from 0).

    What a change removes is placed in the log as it was before the change; what it
    adds, in the log as it is after: so a change and its inverse put every record back
    where it was, and an undone log is the same data as before.
    """

    position: int = attrs.field(validator=_position)
    record: Record = attrs.field(validator=v.instance_of(Contact, Organization, Event, Interaction))


@attrs.frozen
class Replaced:
    """A contact, organization or event a :class:`LogChange` replaces: as it was
    (``before``) and as it becomes (``after``), with the same id."""

    before: Contact | Organization | Event = attrs.field(validator=v.instance_of(*_NAMED))
    after: Contact | Organization | Event = attrs.field(validator=v.instance_of(*_NAMED))

    def __attrs_post_init__(self) -> None:
        if type(self.after) is not type(self.before) or self.after.id != self.before.id:
            raise ValidationError(
                "Replaced.after",
                self.after,
                f"must be {article(KIND[type(self.before)])} {type(self.before).__name__} "
                f"with the id {self.before.id!r}, as before",
            )


# LogChange's converters as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _placed(value: Iterable[Placed] | None) -> tuple[Placed, ...]: ...
    def _replaced(value: Iterable[Replaced] | None) -> tuple[Replaced, ...]: ...

else:
    _placed = _replaced = v.to_tuple


@attrs.frozen
class LogChange:
    """A correction of an activity log (contacts merged, a contact or interactions
    removed), as a value a store keeps in the plan's history so that it can be undone.

    Made by :meth:`~netplan.ActivityLog.merge_contacts`, :meth:`~netplan.ActivityLog.remove_contact` and
    :meth:`~netplan.ActivityLog.remove_interactions`; made again by :meth:`~netplan.ActivityLog.apply`
    (which checks the log is as the change found it). ``added`` and ``removed`` hold the
    records and interactions with their places (see :class:`Placed`), ``replaced`` the
    records changed in place, before and after. ``number`` is the change's number in its
    plan's history (0 until a store records it); ``undoes`` is the number of the change
    an undo reverses. :meth:`inverse` undoes a change exactly.

    >>> from netplan import ActivityLog, Contact
    >>> log = ActivityLog([Contact("Ana Silva"), Contact("Ana Silva", id="ana-silva-2",
    ...                    emails=["ana@example.org"])])
    >>> change = log.merge_contacts("ana-silva-2", into="ana-silva")
    >>> change.description, log.contact("ana-silva").emails
    ('merged ana-silva-2 into ana-silva', ('ana@example.org',))
    >>> log.apply(change.inverse())
    >>> [c.id for c in log.contacts]
    ['ana-silva', 'ana-silva-2']
    """

    description: str = attrs.field(validator=v.non_blank)
    added: tuple[Placed, ...] = attrs.field(
        default=(), converter=_placed, validator=v.items(Placed)
    )
    removed: tuple[Placed, ...] = attrs.field(
        default=(), converter=_placed, validator=v.items(Placed)
    )
    replaced: tuple[Replaced, ...] = attrs.field(
        default=(), converter=_replaced, validator=v.items(Replaced)
    )
    number: int = attrs.field(default=0, validator=_number)
    undoes: int | None = attrs.field(default=None, validator=v.optional(_undone))

    def __attrs_post_init__(self) -> None:
        named: dict[str, set[tuple[str, str]]] = {}
        for name in ("added", "removed"):
            places: set[tuple[str, int]] = set()
            ids = named[name] = set()
            for i, placed in enumerate(getattr(self, name)):
                kind = kind_of(placed.record)
                if (kind, placed.position) in places:
                    raise ValidationError(
                        f"LogChange.{name}[{i}].position",
                        placed.position,
                        f"is given twice for {kind}s: a place holds one record",
                    )
                places.add((kind, placed.position))
                if kind != "interaction":
                    key = (kind, placed.record.id)
                    if key in ids:
                        raise ValidationError(
                            f"LogChange.{name}[{i}].record.id", key[1], f"names a {kind} twice"
                        )
                    ids.add(key)
        replaced: set[tuple[str, str]] = set()
        for i, each in enumerate(self.replaced):
            key = (KIND[type(each.before)], each.before.id)
            if key in replaced or key in named["removed"] or key in named["added"]:
                raise ValidationError(
                    f"LogChange.replaced[{i}].before.id",
                    key[1],
                    f"names a {key[0]} the change also adds, removes or replaces",
                )
            replaced.add(key)

    def inverse(self) -> LogChange:
        """The change that undoes this one: what it added is removed, what it removed is
        added back in the same places, and what it replaced is as it was. Its ``undoes``
        is this change's number (None if this one was never recorded)."""
        what = f"change {self.number}" if self.number else "a change"
        return LogChange(
            f"undid {what} ({self.description})",
            added=self.removed,
            removed=self.added,
            replaced=tuple(Replaced(r.after, r.before) for r in self.replaced),
            undoes=self.number or None,
        )

    def __str__(self) -> str:
        return f"{self.number}: {self.description}" if self.number else self.description
