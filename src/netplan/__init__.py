"""netplan: networking action plans.

Identify goals, assess skills and resources, plan actions, log what you do, and
evaluate and adjust. The names a notebook needs are all here::

    import datetime as dt
    import netplan

    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
"""

from __future__ import annotations

from netplan.actions import (
    ActionKind,
    CadenceRule,
    FollowUpPolicy,
    KeepInTouch,
    PlannedAction,
    Scope,
)
from netplan.errors import NetplanError, NotFoundError, ValidationError
from netplan.goals import Goal, GoalKind, GoalStatus, Target
from netplan.log import ActivityLog
from netplan.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Membership,
    Organization,
    Segment,
)
from netplan.periods import UTC, Period
from netplan.plan import Change, Plan, PlanDiff
from netplan.schedule import Occurrence, Once, Quota, Recurrence, Schedule
from netplan.serialize import SCHEMA_VERSION, SchemaError, from_data, to_data
from netplan.skills import (
    BUILTIN_SKILLS,
    Catalog,
    NetworkSummary,
    Rating,
    Resources,
    Skill,
    SkillAssessment,
    SkillChange,
)

__all__ = [
    "BUILTIN_SKILLS",
    "SCHEMA_VERSION",
    "UTC",
    "ActionKind",
    "ActivityLog",
    "CadenceRule",
    "Catalog",
    "Change",
    "Channel",
    "Contact",
    "Direction",
    "Event",
    "FollowUpPolicy",
    "Goal",
    "GoalKind",
    "GoalStatus",
    "Interaction",
    "InteractionKind",
    "KeepInTouch",
    "Membership",
    "NetplanError",
    "NetworkSummary",
    "NotFoundError",
    "Occurrence",
    "Once",
    "Organization",
    "Period",
    "Plan",
    "PlanDiff",
    "PlannedAction",
    "Quota",
    "Rating",
    "Recurrence",
    "Resources",
    "Schedule",
    "SchemaError",
    "Scope",
    "Segment",
    "Skill",
    "SkillAssessment",
    "SkillChange",
    "Target",
    "ValidationError",
    "from_data",
    "to_data",
]

__version__ = "0.1.0"
