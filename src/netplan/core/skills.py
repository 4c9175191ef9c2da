"""Step 2, assess: networking skills, self-ratings over time, and the person's resources."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs
from attrs import field, frozen

from netplan.core import _validation as v
from netplan.core import display
from netplan.core.errors import NotFoundError, ValidationError

__all__ = [
    "BUILTIN_SKILLS",
    "Catalog",
    "NetworkSummary",
    "Rating",
    "Resources",
    "Skill",
    "SkillAssessment",
    "SkillChange",
]

T = TypeVar("T")

LEVELS = range(1, 6)
"""Ratings run from 1 (not yet) to 5 (a strength others learn from)."""


@frozen
class Skill:
    """A networking skill a person can rate and practise."""

    id: str = field(validator=v.identifier)
    name: str = field(validator=v.non_blank)
    description: str = field(default="", validator=v.instance_of(str))


BUILTIN_SKILLS: tuple[Skill, ...] = (
    Skill(
        "introducing_yourself",
        "Introducing yourself",
        "A short, memorable answer to 'what do you do?'",
    ),
    Skill(
        "starting_conversations",
        "Starting conversations",
        "Opening a conversation with a stranger.",
    ),
    Skill(
        "active_listening", "Active listening", "Asking good questions and remembering the answers."
    ),
    Skill("following_up", "Following up", "Writing after a meeting, promptly and personally."),
    Skill(
        "maintaining_relationships",
        "Maintaining relationships",
        "Staying in touch before you need something.",
    ),
    Skill(
        "online_presence", "Online presence", "A profile and posts that show what you care about."
    ),
    Skill(
        "giving_value_first",
        "Giving value first",
        "Helping, sharing and introducing without keeping score.",
    ),
    Skill(
        "asking_for_introductions",
        "Asking for introductions and referrals",
        "Making a specific, easy request.",
    ),
    Skill(
        "working_a_room",
        "Working a room at events",
        "Joining groups, moving on gracefully, meeting several people.",
    ),
)
"""The built-in catalog. Plugins add catalogs; a plan can add its own skills."""


class Catalog(Mapping[str, Skill]):
    """Skills by id: the built-in ones plus any a plan or plugin adds."""

    __slots__ = ("_skills",)

    def __init__(self, skills: Iterable[Skill] = BUILTIN_SKILLS) -> None:
        self._skills: dict[str, Skill] = {}
        for skill in skills:
            if skill.id in self._skills and self._skills[skill.id] != skill:
                raise ValidationError(
                    "Catalog.skills", skill.id, "must be unique; two different skills share it"
                )
            self._skills[skill.id] = skill

    def __getitem__(self, skill_id: str) -> Skill:
        try:
            return self._skills[skill_id]
        except KeyError:
            close = self._did_you_mean(skill_id).removeprefix("; ")
            raise NotFoundError(
                "skill",
                skill_id,
                f"{close + ' ' if close else ''}known skills: {', '.join(sorted(self._skills))}",
            ) from None

    # Mapping's own ``in`` and ``get`` catch KeyError, which __getitem__ does not raise.
    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._skills

    @overload
    def get(self, skill_id: str, /) -> Skill | None: ...
    @overload
    def get(self, skill_id: str, /, default: Skill | T) -> Skill | T: ...
    def get(self, skill_id: str, /, default: object = None) -> object:
        return self._skills.get(skill_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._skills)

    def __len__(self) -> int:
        return len(self._skills)

    def __repr__(self) -> str:
        return f"Catalog({', '.join(self._skills)})"

    def check(self, skill_id: str, field_path: str) -> None:
        """Raise ValidationError naming ``field_path`` unless ``skill_id`` is in the catalog
        (the error names the closest ids it has, see :meth:`closest`)."""
        if skill_id not in self._skills:
            raise ValidationError(
                field_path,
                skill_id,
                f"must name a skill of the catalog{self._did_you_mean(skill_id)} "
                f"({', '.join(sorted(self._skills))})",
            )

    def closest(self, wanted: str, n: int = 3) -> tuple[str, ...]:
        """Up to ``n`` ids of the catalog closest to ``wanted``: an id typed wrong, an id
        without its catalog's prefix (``mentoring_others`` for
        ``example:mentoring_others``), or a skill's name typed instead of its id.

        >>> Catalog().closest("Following up"), Catalog().closest("folowing_up")
        (('following_up',), ('following_up',))
        """
        loose = _loose(wanted)
        exact = [
            skill_id
            for skill_id, skill in self._skills.items()
            if loose in (_loose(skill_id), _loose(skill_id.rpartition(":")[2]), _loose(skill.name))
        ]
        ids = sorted(self._skills)
        close = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.6)
        by_tail: dict[str, list[str]] = {}
        for skill_id in ids:
            by_tail.setdefault(skill_id.rpartition(":")[2], []).append(skill_id)
        tails = difflib.get_close_matches(wanted.rpartition(":")[2], list(by_tail), n=n, cutoff=0.6)
        found = [*exact, *close, *(skill_id for tail in tails for skill_id in by_tail[tail])]
        return tuple(dict.fromkeys(found))[:n]

    def _did_you_mean(self, wanted: str) -> str:
        found = [repr(skill_id) for skill_id in self.closest(wanted)]
        if not found:
            return ""
        listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} or {found[-1]}"
        return f"; did you mean {listed}?"


def _loose(text: str) -> str:
    """``text`` as a person may mean it: ``"Following-up"`` is ``following_up``."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


_level = attrs.validators.and_(v.instance_of(int), v.between(1, 5))


@frozen
class Rating:
    """A self-rating of one skill from 1 to 5, with the evidence and the level wanted.

    >>> Rating("following_up", 2, desired=4, evidence="forgot to write after 3 of 5 meetups")
    Rating(following_up 2/5 -> 4)
    """

    skill: str = field(validator=v.identifier)
    level: int = field(validator=_level)
    desired: int | None = field(default=None, validator=v.optional(_level))
    evidence: str = field(default="", validator=v.instance_of(str))

    @property
    def gap(self) -> int:
        """How far the level is below the desired level (0 when there or beyond)."""
        return max(0, (self.desired or self.level) - self.level)

    def __repr__(self) -> str:
        wanted = f" -> {self.desired}" if self.desired is not None else ""
        return f"Rating({self.skill} {self.level}/5{wanted})"


@frozen
class NetworkSummary:
    """What the person's network looks like at assessment time, in their own words and counts."""

    contacts: int = field(default=0, validator=[v.instance_of(int), v.non_negative])
    close_ties: int = field(default=0, validator=[v.instance_of(int), v.non_negative])
    industries: frozenset[str] = field(
        default=frozenset(), converter=v.text_set, validator=v.items(str, container=frozenset)
    )
    notes: str = field(default="", validator=v.instance_of(str))


def _decimal(value: Any) -> Any:
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, float):
        # Via str so 12.5 becomes Decimal("12.5"), not its binary expansion.
        return Decimal(str(value))
    return value


def _float(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


# The converters of this module's fields as a caller may use them (see _validation).
if TYPE_CHECKING:

    def _hours(value: float) -> float: ...
    def _money(value: Decimal | int | float | str) -> Decimal: ...
    def _ratings(value: Iterable[Rating] | None) -> tuple[Rating, ...]: ...

else:
    _hours = _float
    _money = _decimal
    _ratings = v.to_tuple


def _finite_decimal(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        v.fail(instance, attribute, value, "must be a finite amount of money")
    v.non_negative(instance, attribute, value)


@frozen
class Resources:
    """What the person can put into networking."""

    hours_per_week: float = field(
        default=0.0, converter=_hours, validator=[v.instance_of(float), v.non_negative]
    )
    budget_per_month: Decimal = field(
        default=Decimal(0), converter=_money, validator=_finite_decimal
    )
    currency: str = field(default="USD", validator=v.non_blank)
    memberships: tuple[str, ...] = field(default=(), converter=v.texts, validator=v.items(str))
    network: NetworkSummary = field(factory=NetworkSummary, validator=v.instance_of(NetworkSummary))


@frozen
class SkillChange:
    """How one skill moved between two assessments."""

    skill: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        """``after - before``; None when the skill was rated only once."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@frozen
class SkillAssessment:
    """A dated snapshot of the person's ratings and resources.

    >>> a = SkillAssessment(dt.date(2026, 11, 1), [
    ...     Rating("starting_conversations", 4),
    ...     Rating("following_up", 2, desired=4),
    ...     Rating("online_presence", 1, desired=3)])
    >>> [r.skill for r in a.improvement_areas()]
    ['online_presence', 'following_up']
    """

    on: dt.date = field(validator=v.a_date)
    ratings: tuple[Rating, ...] = field(
        factory=tuple, converter=_ratings, validator=v.items(Rating)
    )
    resources: Resources = field(factory=Resources, validator=v.instance_of(Resources))
    notes: str = field(default="", validator=v.instance_of(str))

    def __attrs_post_init__(self) -> None:
        v.unique(self.ratings, lambda r: r.skill, "SkillAssessment.ratings.skill")

    def check_skills(self, catalog: Catalog) -> None:
        """Reject a rating of a skill the catalog does not know."""
        for i, rating in enumerate(self.ratings):
            catalog.check(rating.skill, f"SkillAssessment.ratings[{i}].skill")

    def rating(self, skill: str) -> Rating | None:
        return next((r for r in self.ratings if r.skill == skill), None)

    def strengths(self, threshold: int = 4) -> tuple[Rating, ...]:
        """Ratings at or above ``threshold``, strongest first."""
        return tuple(
            sorted(
                (r for r in self.ratings if r.level >= threshold), key=lambda r: (-r.level, r.skill)
            )
        )

    def improvement_areas(self) -> tuple[Rating, ...]:
        """Ratings below their desired level, the largest gap first (ties: lower level first)."""
        return tuple(
            sorted((r for r in self.ratings if r.gap > 0), key=lambda r: (-r.gap, r.level, r.skill))
        )

    def changes_since(self, earlier: SkillAssessment) -> tuple[SkillChange, ...]:
        """Each skill rated in either assessment, with its level before and after."""
        skills = sorted({r.skill for r in self.ratings} | {r.skill for r in earlier.ratings})
        changes = []
        for skill in skills:
            before, after = earlier.rating(skill), self.rating(skill)
            changes.append(
                SkillChange(skill, before.level if before else None, after.level if after else None)
            )
        return tuple(changes)

    def __str__(self) -> str:
        lines = [f"Skill assessment on {self.on}"]
        for r in self.ratings:
            wanted = f" -> {r.desired}" if r.desired is not None and r.desired != r.level else ""
            evidence = f" ({r.evidence})" if r.evidence else ""
            lines.append(f"  {r.skill}: {r.level}/5{wanted}{evidence}")
        areas = ", ".join(r.skill for r in self.improvement_areas())
        if areas:
            lines.append(f"Improvement areas: {areas}")
        res = self.resources
        lines.append(
            f"Resources: {res.hours_per_week:g} hours a week, {res.budget_per_month} "
            f"{res.currency} a month"
        )
        if self.notes:
            lines.append(self.notes)
        return "\n".join(lines)

    def _repr_html_(self) -> str | None:
        """The assessment as HTML, for Jupyter (see :mod:`netplan.notebook.html`)."""
        return display.html(self)
