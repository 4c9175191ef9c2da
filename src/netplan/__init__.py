"""netplan: networking action plans.

Identify goals, assess skills and resources, plan actions, log what you do, and
evaluate and adjust. The names a notebook needs are all here::

    import datetime as dt
    import netplan

    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netplan import _moved
from netplan._version import __version__ as __version__
from netplan.app.history import record_review, review_history
from netplan.core.actions import (
    ActionKind,
    CadenceRule,
    Done,
    FollowUpPolicy,
    KeepInTouch,
    PlannedAction,
    Scope,
    Snooze,
)
from netplan.core.agenda import (
    Agenda,
    AgendaItem,
    ContactView,
    ItemKind,
    ItemState,
    agenda,
    contact_view,
)
from netplan.core.duplicates import PossibleDuplicate, possible_duplicates
from netplan.core.errors import (
    ConflictError,
    CorruptStoreError,
    ImportAbortedError,
    LockTimeoutError,
    NetplanError,
    NotFoundError,
    PluginError,
    ReadOnlyStoreError,
    StoreError,
    StoreNotFoundError,
    UnknownBackendError,
    ValidationError,
)
from netplan.core.evaluation import (
    Adjusted,
    MetricFailure,
    Review,
    ReviewDiff,
    Reviewer,
    TargetChange,
    TargetName,
    finding_about,
    target_history,
)
from netplan.core.findings import (
    AddAction,
    Applied,
    Finding,
    Rule,
    RuleContext,
    SetTargetAmount,
    Severity,
    Subject,
    SubjectKind,
)
from netplan.core.goals import AmountChange, Goal, GoalKind, GoalStatus, Target
from netplan.core.log import ActivityLog, LogChange
from netplan.core.metrics import BUILTIN_METRICS, Metric, MetricCapabilities, Window, metric_units
from netplan.core.network import (
    Channel,
    Contact,
    Direction,
    Event,
    Interaction,
    InteractionKind,
    Membership,
    Organization,
    Segment,
    birthday_on,
    read_birthday,
)
from netplan.core.pace import Consistency, Progress, Road, Status, progress, road_for
from netplan.core.periods import UTC, Period
from netplan.core.plan import Change, Plan, PlanDiff
from netplan.core.rules import BUILTIN_RULES
from netplan.core.schedule import Occurrence, Once, Quota, Recurrence, Schedule
from netplan.core.skills import (
    BUILTIN_SKILLS,
    Catalog,
    NetworkSummary,
    Rating,
    Resources,
    Skill,
    SkillAssessment,
    SkillChange,
)
from netplan.core.zones import Zone
from netplan.storage import Capability, CorrectableStore, Store, StoreURL
from netplan.stores.serialize import SCHEMA_VERSION, SchemaError, from_data, to_data

__all__ = [
    "ActionKind",
    "ActivityLog",
    "AddAction",
    "Adjusted",
    "Agenda",
    "AgendaItem",
    "AmountChange",
    "Applied",
    "BUILTIN_METRICS",
    "BUILTIN_RULES",
    "BUILTIN_SKILLS",
    "CadenceRule",
    "Capability",
    "Catalog",
    "Change",
    "Channel",
    "ConflictError",
    "Consistency",
    "Contact",
    "ContactView",
    "CorrectableStore",
    "CorruptStoreError",
    "Direction",
    "Done",
    "Event",
    "Finding",
    "FollowUpPolicy",
    "Goal",
    "GoalKind",
    "GoalStatus",
    "ImportAbortedError",
    "Interaction",
    "InteractionKind",
    "ItemKind",
    "ItemState",
    "KeepInTouch",
    "LockTimeoutError",
    "LogChange",
    "Membership",
    "Metric",
    "MetricCapabilities",
    "MetricFailure",
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
    "PluginError",
    "PossibleDuplicate",
    "Progress",
    "Quota",
    "Rating",
    "ReadOnlyStoreError",
    "Recurrence",
    "Resources",
    "Review",
    "ReviewDiff",
    "Reviewer",
    "Road",
    "Rule",
    "RuleContext",
    "SCHEMA_VERSION",
    "Schedule",
    "SchemaError",
    "Scope",
    "Segment",
    "SetTargetAmount",
    "Severity",
    "Skill",
    "SkillAssessment",
    "SkillChange",
    "Snooze",
    "Status",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoreURL",
    "Subject",
    "SubjectKind",
    "Target",
    "TargetChange",
    "TargetName",
    "UTC",
    "UnknownBackendError",
    "ValidationError",
    "Window",
    "Zone",
    "agenda",
    "birthday_on",
    "contact_view",
    "export_file",
    "finding_about",
    "from_data",
    "hookimpl",
    "import_files",
    "installed_skills",
    "metric_units",
    "open",
    "plugin_report",
    "possible_duplicates",
    "progress",
    "read_birthday",
    "record_review",
    "register",
    "review",
    "review_history",
    "road_for",
    "target_history",
    "to_data",
]


_moved.install()

# The notebook layer registers how the core's values show (netplan.core.display); it
# imports neither pandas nor matplotlib until a frame or a chart is asked for.
import netplan.notebook  # noqa: E402, F401

if TYPE_CHECKING:
    from netplan.plugins import hookimpl
    from netplan.plugins.host import (
        export_file,
        import_files,
        installed_skills,
        open,
        register,
        review,
    )
    from netplan.plugins.host import report as plugin_report

# The plugin API imports pluggy and reads entry points when used; importing netplan must
# stay light and side-effect free (tests/test_purity.py), so these resolve on first use.
_PLUGIN_API = {
    "hookimpl": "hookimpl",
    "export_file": "export_file",
    "import_files": "import_files",
    "installed_skills": "installed_skills",
    "open": "open",
    "plugin_report": "report",
    "register": "register",
    "review": "review",
}


def __getattr__(name: str) -> Any:
    if name in _PLUGIN_API or name == "plugins":
        import netplan.plugins

        return netplan.plugins if name == "plugins" else getattr(netplan.plugins, _PLUGIN_API[name])
    raise AttributeError(f"module 'netplan' has no attribute {name!r}")
