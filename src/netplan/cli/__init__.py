"""The ``netplan`` command: every step of a plan from a terminal.

``netplan review --example`` shows what a review looks like on a bundled example plan;
``netplan init`` starts your own in the default store (SQLite in your data folder, or
``--store URL`` / ``$NETPLAN_STORE``). Tables and colour on a terminal, plain text when
piped, ``--json`` for scripts. A mistake prints one line (what, where, how to fix) and
exits with status 1 (2 for a misused option); ``--debug`` shows the traceback instead.

Built on click: it reads options, prompts on a terminal, draws the import's progress
bar and drops colour when piped, which is most of what a command line needs; the domain
core never imports it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import os
import re
import shlex
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import click
from attrs import frozen

import netplan
import netplan.testing.example
from netplan.app.files import CALENDAR_AHEAD, CALENDAR_PAST
from netplan.cli import _parse
from netplan.cli._output import Bar, Output, severity, status
from netplan.core._validation import slugify, unused_id
from netplan.core._words import SHARES, number, unit
from netplan.core.agenda import Agenda, AgendaItem, ItemKind, ItemState
from netplan.core.errors import NetplanError, NotFoundError, ValidationError
from netplan.core.evaluation import Review, finding_about
from netplan.core.importing import CalendarWindow, phone_key
from netplan.core.metrics import metric_units
from netplan.core.network import name_key
from netplan.core.plan import Plan
from netplan.core.rules import next_step
from netplan.core.skills import Catalog, Skill
from netplan.core.zones import Zone
from netplan.plugins import host
from netplan.storage import (
    AppendingStore,
    Capability,
    CorrectableStore,
    ListingStore,
    Store,
    correctable,
)

__all__ = ["main"]

PLAN_VAR = "NETPLAN_PLAN"
"""Names the plan to work on when the store holds several (like ``--plan``)."""


@frozen
class _Settings:
    store: str | None
    plan: str | None
    output: Output
    debug: bool


def _settings() -> _Settings:
    settings = click.get_current_context().find_object(_Settings)
    assert settings is not None
    return settings


@contextmanager
def _store(*, create: bool = False) -> Iterator[Store]:
    settings = _settings()
    with netplan.open(settings.store, create=True if create else None) as store:
        yield store


def _plan_id(store: Store) -> str:
    wanted = _settings().plan or os.environ.get(PLAN_VAR, "").strip() or None
    plans = store.plans()
    if wanted is not None:
        if wanted not in plans:
            raise NotFoundError(
                "plan", wanted, f"in {store.url}; it holds: {', '.join(plans) or 'no plans'}"
            )
        return wanted
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise NetplanError(
            f"{store.url} holds no plan yet: start one with `netplan init --name NAME`"
        )
    raise ValidationError(
        "--plan", None, f"must name one of the plans in {store.url}: {', '.join(plans)}"
    )


def _now() -> dt.datetime:
    """The one clock the command reads: now, in UTC."""
    return dt.datetime.now(dt.UTC)


def _today(plan: Plan) -> dt.date:
    """Today where the person lives: the plan's local day now."""
    return plan.zone.day(_now())


def _computer_zone() -> str | None:
    """This computer's IANA zone name (``TZ``, ``/etc/localtime``, the Windows registry),
    or None when it cannot be told."""
    import warnings

    import tzlocal

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tzlocal warns of odd set-ups; None says enough
        try:
            tzlocal.reload_localzone()  # what the computer says now, not what it said before
            return tzlocal.get_localzone_name()
        except Exception:  # an unreadable or unknown local zone: the caller says so
            return None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    metavar="URL",
    help="The store: sqlite:///path.db, json:///path.json, memory:// "
    "(default: $NETPLAN_STORE, else SQLite in your data folder).",
)
@click.option("--plan", "plan", metavar="ID", help="The plan to use when the store has several.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(netplan.__version__, prog_name="netplan")
@click.pass_context
def cli(
    ctx: click.Context, store: str | None, plan: str | None, as_json: bool, debug: bool
) -> None:
    """Networking action plans: set goals, assess your skills, plan actions, log what
    you do, and review your progress."""
    ctx.obj = _Settings(store, plan, Output(as_json=as_json), debug)
    if debug:  # plugins on stderr as they load: failures, slow ones, load times
        ctx.call_on_close(host.log_to_stderr())


# -- 1. goals ------------------------------------------------------------------------------


@cli.command()
@click.option("--name", help="Whose plan it is (asked for on a terminal).")
@click.option("--start", help="The day the plan starts (default: today).")
@click.option("--id", "plan_id", help="The plan's id (default: from the name).")
@click.option(
    "--timezone",
    "zone_name",
    metavar="ZONE",
    help="Where you live, as an IANA name such as Europe/Berlin: your days, weeks and "
    "months are counted there (default: this computer's zone).",
)
def init(name: str | None, start: str | None, plan_id: str | None, zone_name: str | None) -> None:
    """Start a plan in the store."""
    found = zone_name or _computer_zone()
    zone = Zone.named(found, field="--timezone") if found else Zone.named("UTC")
    today = zone.day(_now())
    if name is None:
        if not _interactive():
            raise click.UsageError("give the plan's owner with --name NAME")
        name = click.prompt("Whose plan is it (your name)")
        if start is None:
            start = click.prompt("The day it starts", default=today.isoformat())
    begins = _parse.day(start, today=today) if start else today
    plan = Plan(name, start=begins, timezone=zone.name)
    if plan_id is not None:
        plan = attrs.evolve(plan, id=plan_id)
    out = _settings().output
    with _store(create=True) as store:
        if plan.id in store.plans():
            raise ValidationError(
                "--id", plan.id, f"already names a plan in {store.url}; pass another --id"
            )
        saved = store.save(plan)
        out.line(f"Started {saved.id!r}, starting {saved.start}, in {store.url}.")
        how = "" if zone_name else " (this computer's zone)" if found else ""
        if not found:
            how = " (this computer's zone could not be told)"
        out.line(
            f"Your days are counted in {saved.timezone}{how}; change it with netplan timezone ZONE."
        )
        out.line("Next: netplan goal add 'TITLE' --target '4 new_contacts per month'")
        out.json(saved)


@cli.command("timezone")
@click.argument("zone_name", required=False, metavar="ZONE")
def timezone_(zone_name: str | None) -> None:
    """Show the plan's time zone, or set it to ZONE (an IANA name such as Europe/Berlin
    or America/New_York): every day, week, month, deadline and --as-of of the plan is a
    day there. What you logged keeps its times; only the days they fall on change."""
    out = _settings().output
    if zone_name is None:
        with _store() as store:
            plan = store.load(_plan_id(store))
        out.line(f"{plan.timezone} (today there: {_today(plan)})")
        out.json({"timezone": plan.timezone})
        return
    zone = Zone.named(zone_name, field="ZONE")
    _change_plan(
        lambda plan: attrs.evolve(plan, timezone=zone.name),
        f"Your days are now counted in {zone.name}.",
    )


@cli.group()
def goal() -> None:
    """Goals and their targets."""


@goal.command("add")
@click.argument("title")
@click.option(
    "--kind",
    default="custom",
    show_default=True,
    help="expand_network, find_job, learn_industry, custom...",
)
@click.option("--why", default="", help="Why it matters to you.")
@click.option("--until", help="The last day the goal is active (YYYY-MM-DD).")
@click.option(
    "--target",
    "targets",
    multiple=True,
    help=f"A measurable target, e.g. {_parse.TARGET_FORMS}. Repeatable.",
)
def goal_add(title: str, kind: str, why: str, until: str | None, targets: Sequence[str]) -> None:
    """Add a goal to the plan."""
    made = netplan.Goal(
        title,
        kind=kind,
        why=why,
        until=_parse.day(until) if until else None,
        targets=[_target(t) for t in targets],
    )
    _change_plan(lambda plan: plan.add_goal(made), f"Added goal {made.id!r}.")


_NO_DAY = ("none", "-", "")


@goal.command("edit")
@click.argument("goal_id", metavar="GOAL_ID")
@click.option("--title", help="A new title (the id stays: see --id).")
@click.option("--why", help="Why it matters to you.")
@click.option("--until", metavar="DAY", help="The last day the goal is active; 'none': no end.")
@click.option("--kind", help="expand_network, find_job, learn_industry, custom.")
@click.option(
    "--status", help="active, achieved, paused or dropped (only active goals are reviewed)."
)
@click.option("--id", "new_id", help="A new id; the actions that serve the goal follow it.")
@click.option(
    "--remove-target",
    "removed",
    multiple=True,
    metavar="TARGET_ID",
    help="Drop a target (its id, as `netplan goal list` shows it). Repeatable.",
)
def goal_edit(
    goal_id: str,
    title: str | None,
    why: str | None,
    until: str | None,
    kind: str | None,
    status: str | None,
    new_id: str | None,
    removed: Sequence[str],
) -> None:
    """Change a goal: `netplan goal edit find-a-job --until 2027-12-31`. Add a target
    with `netplan target GOAL TARGET`; undo with `netplan history --restore N`."""
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("title", title),
            ("why", why),
            ("kind", kind),
            ("status", status),
            ("id", new_id),
        )
        if value is not None
    }
    if until is not None:
        changes["until"] = None if until.strip().lower() in _NO_DAY else _parse.day(until)
    if not changes and not removed:
        raise click.UsageError(
            "say what to change: --title, --why, --until, --kind, --status, --id or --remove-target"
        )

    def change(plan: Plan) -> Plan:
        for target_id in removed:
            plan = plan.remove_target(goal_id, target_id)
        return plan.edit_goal(goal_id, **changes) if changes else plan

    what = [*changes, *(f"target {t} removed" for t in removed)]
    named = new_id or goal_id
    _change_plan(
        change,
        lambda saved: f"Edited goal {named!r} ({', '.join(what)}).{_undo(saved)}",
    )


@goal.command("remove")
@click.argument("goal_id", metavar="GOAL_ID")
def goal_remove(goal_id: str) -> None:
    """Remove a goal and its targets. The actions that served it stay, serving it no more;
    reviews already recorded keep what they measured. Undo with `netplan history --restore N`."""
    served: list[str] = []

    def change(plan: Plan) -> Plan:
        served.extend(a.id for a in plan.actions if goal_id in a.goals)
        return plan.remove_goal(goal_id)

    def message(saved: Plan) -> str:
        verb = "serves" if len(served) == 1 else "serve"
        unlinked = f" {_ids('action', served)} no longer {verb} it." if served else ""
        return f"Removed goal {goal_id!r} and its targets.{unlinked}{_undo(saved)}"

    _change_plan(change, message)


@goal.command("list")
def goal_list() -> None:
    """The plan's goals and targets."""
    with _store() as store:
        plan = store.load(_plan_id(store))
    out = _settings().output
    rows = [
        (g.id, g.status.value, t.id, _target_text(t)) for g in plan.goals for t in g.targets
    ] + [(g.id, g.status.value, "-", "") for g in plan.goals if not g.targets]
    out.table(
        ("goal", "status", "target", "what"),
        rows,
        empty="No goals yet: netplan goal add 'TITLE' --target '4 new_contacts per month'",
    )
    out.json(list(plan.goals))


@cli.command("target", short_help="Add a target to a goal.")
@click.argument("goal_id", metavar="GOAL")
@click.argument("spec", metavar="TARGET")
def target_add(goal_id: str, spec: str) -> None:
    """Add a target to a goal, e.g. `netplan target find-a-job '5 referrals by 2027-09-30'`.
    Its metric must be one netplan or an installed plugin counts (`netplan plugins`)."""
    made = _target(spec)
    _change_plan(lambda plan: plan.add_target(goal_id, made), f"Added target {made.id!r}.")


def _target(spec: str) -> netplan.Target:
    """The target typed, refused when no installed metric counts what it names."""
    made = _parse.target(spec)
    metrics = host.default_host().metrics
    if made.metric not in metrics:
        close = _closest(made.metric, metrics)
        did = f"; did you mean {_either(close)}?" if close else ""
        prefix, colon, _ = made.metric.rpartition(":")
        if colon and not any(m.startswith(f"{prefix}:") for m in metrics):
            # A namespaced name is right in form: what is missing is the plugin.
            raise click.BadParameter(
                f"{made.metric!r} in {spec!r} is a plugin's metric, and no installed "
                f"plugin registers metrics named '{prefix}:...': install the plugin that "
                "provides it (if it is installed, NETPLAN_PLUGINS or NETPLAN_DISABLE_PLUGINS "
                f"may leave it out; `netplan plugins` shows what loaded){did}"
            )
        raise click.BadParameter(
            f"{made.metric!r} in {spec!r} is not a metric netplan knows{did} "
            "(`netplan metrics` lists every installed metric)"
        )
    return made


def _closest(name: str, names: Iterable[str]) -> list[str]:
    """Up to three of ``names`` closest to ``name``; a plugin's ``plugin:name`` is also
    found by the name after its colon."""
    known = sorted(names)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    by_tail: dict[str, list[str]] = {}
    for full in known:
        by_tail.setdefault(full.rpartition(":")[2], []).append(full)
    tails = difflib.get_close_matches(name.rpartition(":")[2], list(by_tail), n=3, cutoff=0.6)
    found = [*close, *(full for tail in tails for full in by_tail[tail])]
    return list(dict.fromkeys(found))[:3]


def _either(names: Sequence[str], *, quote: bool = True) -> str:
    quoted = [repr(n) if quote else n for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _ids(what: str, ids: Sequence[str]) -> str:
    listed = ", ".join(repr(i) for i in ids)
    return f"{what.capitalize()}{'' if len(ids) == 1 else 's'} {listed}"


def _undo(saved: Plan) -> str:
    return f" Undo: netplan history --restore {saved.revision - 1}."


def _target_text(target: netplan.Target) -> str:
    """A target as it is typed (``4 new_contacts per month (tag=climate)``): what `goal
    list` shows, so it can be typed back; a review says it in words instead."""
    when = f"per {target.per.value}" if target.per else f"by {target.by}"
    where = f" ({target.segment})" if target.segment else ""
    return f"{target.amount:g} {target.metric} {when}{where}"


# -- 2. assess -----------------------------------------------------------------------------


@cli.command(short_help="Rate your networking skills.")
@click.argument("ratings", nargs=-1, required=True, metavar="SKILL=LEVEL[/AIM]...")
@click.option("--on", "on", help="The day of the assessment (default: today).")
@click.option("--hours", type=float, help="Hours a week you can give to networking.")
@click.option("--budget", type=float, help="Money a month you can spend on it.")
def assess(
    ratings: Sequence[str], on: str | None, hours: float | None, budget: float | None
) -> None:
    """Rate your networking skills from 1 to 5, e.g. `netplan assess following_up=2/4`."""
    parsed = [_parse.rating(r) for r in ratings]
    resources: dict[str, float] = {}
    if hours is not None:
        resources["hours_per_week"] = hours
    if budget is not None:
        resources["budget_per_month"] = budget
    made: list[netplan.SkillAssessment] = []
    before: list[Plan] = []

    def change(plan: Plan) -> Plan:
        before.append(plan)
        today = _today(plan)
        day = _parse.day(on, today=today) if on else today
        typed = {skill: repr(text) for (skill, _, _), text in zip(parsed, ratings, strict=True)}
        installed = _check_skills(plan, typed)
        ratings_ = [netplan.Rating(skill, level, desired=aim) for skill, level, aim in parsed]
        made.append(netplan.SkillAssessment(day, ratings_, netplan.Resources(**resources)))  # type: ignore[arg-type]
        return plan.assess(made[-1], catalog=installed)

    def message(saved: Plan) -> str:
        areas = ", ".join(r.skill for r in made[-1].improvement_areas()) or "none"
        return f"Assessed; improvement areas: {areas}.{_copied(before[-1], saved)}"

    _change_plan(change, message)


_EVERY_SKILL = "`netplan skills --all` lists every skill you can rate"


def _check_skills(plan: Plan, typed: Mapping[str, str]) -> Mapping[str, Skill]:
    """The installed catalogs' skills, once every skill id of ``typed`` (each with what
    named it: ``--skill``, or the rating typed, quoted) is found among them or the plan's
    (built-in and its own); else what to type instead."""
    installed = host.default_host().skills
    known = Catalog(
        (*plan.catalog.values(), *(s for i, s in installed.items() if i not in plan.catalog))
    )
    for skill_id, where in typed.items():
        if skill_id not in known:
            close = known.closest(skill_id)
            did = f"; did you mean {_either(close)}?" if close else ""
            raise click.BadParameter(
                f"{skill_id!r} in {where} is not a skill you can rate{did} ({_EVERY_SKILL}: "
                "built-in, your plan's own and each installed plugin's)"
            )
    return installed


def _copied(before: Plan, after: Plan) -> str:
    """`` The plan keeps a copy of ...``, naming the installed catalogs' skills the
    change copied into the plan (so the person knows it no longer needs the plugin to
    read them), else ``""``."""
    new = [s.id for s in after.skills[len(before.skills) :]]
    if not new:
        return ""
    origins = host.default_host().skill_origins
    named = [f"{i!r} (catalog {origins[i]})" if i in origins else repr(i) for i in new]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    its = "it" if len(new) == 1 else "them"
    return f" The plan keeps a copy of {listed}, to read {its} without the plugin."


@cli.command()
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every skill you can rate, and where each comes from: built in, your plan's own, "
    "or an installed plugin's catalog.",
)
def skills(every: bool) -> None:
    """Your latest skill assessment, improvement areas first; --all lists every skill you
    can rate and practise."""
    with _store() as store:
        plan = store.load(_plan_id(store))
    out = _settings().output
    if every:
        _list_skills(out, plan)
        return
    latest = plan.latest_assessment
    if latest is None:
        out.line(f"No assessment yet: netplan assess following_up=2/4 ... ({_EVERY_SKILL})")
        out.json(None)
        return
    areas = {r.skill for r in latest.improvement_areas()}
    catalog = plan.catalog
    rows = [
        (
            r.skill,
            catalog[r.skill].name if r.skill in catalog else "",
            r.level,
            r.desired or "",
            ("improve", "yellow") if r.skill in areas else "",
        )
        for r in sorted(latest.ratings, key=lambda r: (r.skill not in areas, r.skill))
    ]
    out.heading(f"Assessment of {latest.on}")
    out.table(("skill", "name", "level", "aim", ""), rows)
    out.json(latest)


def _list_skills(out: Output, plan: Plan) -> None:
    """Every skill the plan can rate: the built-in ones, each installed catalog's, then
    the plan's own; with where each comes from."""
    default = host.default_host()
    installed, origins = default.skills, default.skill_origins
    plugins = default.sources("skill_catalog")
    own = {s.id: s for s in plan.skills}
    builtin = {s.id for s in netplan.BUILTIN_SKILLS}
    listed: list[dict[str, Any]] = []

    def add(skill: netplan.Skill, source: str, catalog: str | None = None) -> None:
        listed.append(
            {
                "id": skill.id,
                "name": skill.name,
                "description": skill.description,
                "source": source,
                "catalog": catalog,
                "plugin": plugins.get(catalog) if catalog else None,
                "in_plan": skill.id in own,
            }
        )

    for skill in netplan.BUILTIN_SKILLS:
        add(skill, "built-in")
    for skill_id, skill in installed.items():
        # The plan's copy is the skill it rates, even when the catalog now says otherwise.
        if own.get(skill_id, skill) == skill:
            add(skill, "catalog", origins[skill_id])
    shown = {entry["id"] for entry in listed}
    for skill in plan.skills:
        if skill.id not in shown and skill.id not in builtin:
            shown.add(skill.id)
            add(skill, "plan")

    def where(entry: dict[str, Any]) -> str:
        if entry["source"] == "built-in":
            return "built in"
        if entry["source"] == "plan":
            return "this plan"
        kept = ", a copy kept in the plan" if entry["in_plan"] else ""
        return f"catalog {entry['catalog']} (plugin {entry['plugin']}){kept}"

    out.heading(f"Skills {plan.person} can rate and practise")
    out.table(("skill", "name", "from"), [(e["id"], e["name"], where(e)) for e in listed])
    out.line("Rate one: netplan assess SKILL=LEVEL/AIM", dim=True)
    out.json(listed)


# -- 3. plan actions -----------------------------------------------------------------------


@cli.group()
def action() -> None:
    """Planned actions: what you do, and how often."""


@action.command("add")
@click.argument("title")
@click.option(
    "--kind",
    default="custom",
    show_default=True,
    help="attend_events, join_organization, post_social, reach_out, volunteer, custom.",
)
@click.option("--every", "every", help=f"How often: {_parse.SCHEDULE_FORMS}.")
@click.option("--start", help="The first day it applies (default: the plan's start).")
@click.option("--goal", "goals", multiple=True, help="A goal it serves (repeatable).")
@click.option("--skill", "skills_", multiple=True, help="A skill it practises (repeatable).")
def action_add(
    title: str,
    kind: str,
    every: str | None,
    start: str | None,
    goals: Sequence[str],
    skills_: Sequence[str],
) -> None:
    """Add a planned action, e.g. `netplan action add 'Climate meetup' --every '2nd TU'`."""

    before: list[Plan] = []

    def change(plan: Plan) -> Plan:
        before.append(plan)
        first = _parse.day(start, today=_today(plan)) if start else plan.start
        installed = _check_skills(plan, dict.fromkeys(skills_, "--skill"))
        made = netplan.PlannedAction(
            title,
            kind=kind,
            schedule=_parse.schedule(every, first) if every else None,
            goals=set(goals),
            skills=set(skills_),
        )
        return plan.add_action(made, catalog=installed)

    _change_plan(change, lambda saved: f"Added action {title!r}.{_copied(before[-1], saved)}")


@action.command("edit")
@click.argument("action_id", metavar="ACTION_ID")
@click.option("--title", help="A new title (the id stays: the log's events name it).")
@click.option(
    "--kind",
    help="attend_events, join_organization, post_social, reach_out, volunteer, custom.",
)
@click.option(
    "--every", "every", help=f"A new schedule: {_parse.SCHEDULE_FORMS}; 'none': unscheduled."
)
@click.option("--start", help="The first day the schedule applies (default: as it was).")
@click.option(
    "--goal",
    "goals",
    multiple=True,
    help="A goal it serves, instead of those it served (repeatable).",
)
@click.option("--no-goals", is_flag=True, help="It serves no goal.")
@click.option(
    "--skill", "skills_", multiple=True, help="A skill it practises, instead of those (repeatable)."
)
@click.option("--no-skills", is_flag=True, help="It practises no skill.")
@click.option("--notes", help="A note about it.")
def action_edit(
    action_id: str,
    title: str | None,
    kind: str | None,
    every: str | None,
    start: str | None,
    goals: Sequence[str],
    no_goals: bool,
    skills_: Sequence[str],
    no_skills: bool,
    notes: str | None,
) -> None:
    """Change a planned action: `netplan action edit climate-meetup --every '3rd TU'`.
    Undo with `netplan history --restore N`."""
    if goals and no_goals:
        raise click.UsageError("give --goal or --no-goals, not both")
    if skills_ and no_skills:
        raise click.UsageError("give --skill or --no-skills, not both")
    changes: dict[str, Any] = {
        name: value
        for name, value in (("title", title), ("kind", kind), ("notes", notes))
        if value is not None
    }
    if goals or no_goals:
        changes["goals"] = set(goals)
    if skills_ or no_skills:
        changes["skills"] = set(skills_)
    if not changes and every is None and start is None:
        raise click.UsageError(
            "say what to change: --title, --kind, --every, --start, --goal, --no-goals, "
            "--skill, --no-skills or --notes"
        )

    before: list[Plan] = []

    def change(plan: Plan) -> Plan:
        before.append(plan)
        edits = dict(changes)
        current = next((a for a in plan.actions if a.id == action_id), None)
        if current is not None and (every is not None or start is not None):
            edits["schedule"] = _new_schedule(plan, current, every, start)
        known = current is not None  # else edit_action names the closest actions
        installed = _check_skills(plan, dict.fromkeys(skills_, "--skill")) if known else {}
        return plan.edit_action(action_id, **edits, catalog=installed)

    what = [*changes, *(["schedule"] if every is not None or start is not None else [])]
    _change_plan(
        change,
        lambda saved: (
            f"Edited action {action_id!r} ({', '.join(what)})."
            f"{_copied(before[-1], saved)}{_undo(saved)}"
        ),
    )


def _new_schedule(
    plan: Plan, action_: netplan.PlannedAction, every: str | None, start: str | None
) -> netplan.Schedule | None:
    """The schedule ``action edit`` gives: ``every`` from ``start`` (by default, the day
    the old schedule started, else the plan's start); ``start`` alone moves a recurring
    schedule's first day."""
    old = action_.schedule
    if every is not None and every.strip().lower() in _NO_DAY:
        if start is not None:
            raise click.UsageError("an unscheduled action has no --start")
        return None
    first = _parse.day(start, today=_today(plan)) if start is not None else None
    if every is not None:
        anchor = old.start if isinstance(old, netplan.Recurrence) else plan.start
        return _parse.schedule(every, first or anchor)
    if isinstance(old, netplan.Recurrence) and first is not None:
        return attrs.evolve(old, start=first)
    raise click.UsageError(
        f"--start moves the first day of a recurring schedule, and {action_.id!r} is "
        f"{'unscheduled' if old is None else f'scheduled {old}'}: give --every too"
    )


@action.command("remove")
@click.argument("action_id", metavar="ACTION_ID")
def action_remove(action_id: str) -> None:
    """Remove a planned action, with the agenda's snoozes, skips and marks done of it.
    What you logged for it stays in your log. Undo with `netplan history --restore N`."""
    _change_plan(
        lambda plan: plan.remove_action(action_id),
        lambda saved: f"Removed action {action_id!r}.{_undo(saved)}",
    )


@cli.command("keep-in-touch")
@click.argument("who", metavar="tier=A|tag=T|contact=ID")
@click.option(
    "--every",
    "every",
    type=click.IntRange(1, 3650),
    required=True,
    help="Ideal days between contacts.",
)
@click.option("--at-most", type=click.IntRange(1, 3650), help="Days after which it is urgent.")
def keep_in_touch(who: str, every: int, at_most: int | None) -> None:
    """Keep in touch with a tier, a tag or one contact every so many days (a contact by
    its id or name, as `netplan contacts` lists it)."""
    scope, _, value = who.partition("=")
    makers = {
        "tier": netplan.CadenceRule.tier,
        "tag": netplan.CadenceRule.tag,
        "contact": netplan.CadenceRule.contact,
    }
    if scope not in makers or not value:
        raise click.BadParameter(f"{who!r}: write tier=a, tag=climate or contact=lena-berg")
    with _store() as store:
        plan_id = _plan_id(store)
        if scope == "contact":
            log = store.load_log(plan_id)
            known = _known_contact(log, value, "contact")
            if known is None:
                raise ValidationError(
                    "contact",
                    value,
                    f"must name one of your contacts{_aside(_did_you_mean_contact(log, value))}: "
                    "`netplan contacts` lists them, and `netplan log KIND NAME --new` adds one",
                )
            value = known.id
        rule = makers[scope](value, ideal_days=every, max_days=at_most)
        _save_change(
            store,
            plan_id,
            lambda plan: plan.keep_in_touch_with(rule),
            f"Keeping in touch with {scope}={value} every {every} days.",
        )


@cli.command("follow-up")
@click.option("--within", type=click.IntRange(1, 365), required=True, help="Days to follow up in.")
def follow_up(within: int) -> None:
    """Follow up with everyone you meet within so many days (the agenda reminds you)."""
    policy = netplan.FollowUpPolicy(within_days=within)
    _change_plan(
        lambda plan: plan.with_follow_up(policy), f"Following up within {within} days of meeting."
    )


@cli.command("birthdays")
@click.argument("tiers", nargs=-1)
@click.option("--none", "clear", is_flag=True, help="Offer no birthdays in the agenda.")
def birthdays(tiers: tuple[str, ...], clear: bool) -> None:
    """Offer the birthdays of these tiers' contacts in the agenda (`netplan birthdays a b`);
    without TIERS, say which are offered."""
    if tiers and clear:
        raise click.UsageError("give TIERS or --none, not both")
    if not tiers and not clear:
        with _store() as store:
            plan = store.load(_plan_id(store))
        chosen = ", ".join(sorted(plan.birthday_tiers))
        _settings().output.line(
            f"Birthdays offered for tiers: {chosen}"
            if chosen
            else "No birthdays offered: netplan birthdays TIER... to choose tiers"
        )
        return
    wanted = frozenset(tiers)
    message = (
        f"The agenda offers the birthdays of tiers {', '.join(sorted(wanted))}."
        if wanted
        else "The agenda offers no birthdays."
    )
    _change_plan(lambda plan: attrs.evolve(plan, birthday_tiers=wanted), message)


@action.command("list")
def action_list() -> None:
    """The plan's actions and their schedules."""
    with _store() as store:
        plan = store.load(_plan_id(store))
    out = _settings().output
    rows = [
        (a.id, a.kind.value, str(a.schedule) if a.schedule else "", ", ".join(sorted(a.goals)))
        for a in plan.actions
    ]
    out.table(
        ("action", "kind", "schedule", "goals"),
        rows,
        empty="No actions yet: netplan action add 'TITLE' --every 'weekly FR'",
    )
    out.json(list(plan.actions))


# -- 4. implement: log ---------------------------------------------------------------------


_LOG_CORRECTIONS = ("undo", "remove", "changes")


@cli.command("log", short_help="Log a meeting, follow-up, event attended...; undo, remove.")
@click.argument(
    "kind",
    type=click.Choice([k.value for k in netplan.InteractionKind] + ["attended", *_LOG_CORRECTIONS]),
    metavar="KIND",
)
@click.argument("who", required=False, metavar="NAME")
@click.option("--at", help="When: '2026-12-08 19:30' or a day (default: now).")
@click.option("--event", help="The event it happened at (its id or name).")
@click.option("--notes", default="", help="A note to remember it by.")
@click.option("--tag", "tags", multiple=True, help="A tag for the contact (new or known) or event.")
@click.option("--tier", help="The contact's tier (a, b, c...): a new one's, or a change of it.")
@click.option(
    "--new",
    "new",
    is_flag=True,
    help="NAME may be a new contact: add it without asking (if it is not one already).",
)
@click.option("--kind", "only_kind", help="log remove: only interactions of this kind.")
@click.option("--all", "every", is_flag=True, help="log remove: every interaction that fits.")
def log_(
    kind: str,
    who: str | None,
    at: str | None,
    event: str | None,
    notes: str,
    tags: Sequence[str],
    tier: str | None,
    new: bool,
    only_kind: str | None,
    every: bool,
) -> None:
    """Log what happened: `netplan log met 'Lena Berg' --event 'Climate meetup'`,
    `netplan log follow_up 'Lena Berg'`, `netplan log attended 'Climate meetup'`.

    KIND is met, follow_up, message, call, coffee, intro_given, intro_received,
    referral, post, other, or attended (an event). NAME is a contact's name or id; a name
    you have not logged before is asked about on a terminal (a typo is not a new person),
    and needs --new elsewhere. --tier sets the tier of the contact, new or known, and
    --tag adds a tag to it.

    Mistakes: `netplan log undo` undoes the latest change to the log (what was logged,
    merged, edited or removed; again for the one before); `netplan log remove NAME
    [--at DAY] [--kind KIND] [--all]` removes interactions logged with NAME; `netplan
    log changes` lists the changes, numbered."""
    if kind in _LOG_CORRECTIONS:
        _correct_log(kind, who, at, only_kind, every)
        return
    if only_kind is not None or every:
        raise click.UsageError("--kind and --all are for `netplan log remove`")
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        zone = store.load(plan_id).zone
        when = _parse.instant(at, zone, _now())
        if who and kind != "attended" and not event and isinstance(store, AppendingStore):
            # Found by name, or a new name told from a typo, through the store's index
            # of names: a network of 100,000 people is not read to log one coffee.
            contact, logged, replaced, is_new = _log_appending(
                store, plan_id, zone, kind, who, when, notes, tags, tier, new
            )
            _logged(out, kind, contact.name, when, zone, logged, replaced, tier, tags, new=is_new)
            return
        log = store.load_log(plan_id)
        if kind == "attended":
            if not who:
                raise click.UsageError("name the event: netplan log attended 'Climate meetup'")
            made = netplan.Event(who, zone.day(when), tags=set(tags), starts_at=when)
            _record(store, plan_id, log, [made], (), f"logged attended {made.id}")
            out.line(f"Logged: attended {made.name} on {made.on} (event {made.id!r}).")
            out.json(made)
            return
        event_id = _event(log, event) if event else None
        contact_id = None
        records: list[Any] = []
        changed: list[netplan.Contact] = []
        if who:
            contact_id, added = _contact(log, who, tags, tier, new=new)
            if added is not None:
                records.append(added)
            else:
                changed.extend(_edited(log.contact(contact_id), tier, tags))
        elif kind != "post":
            raise click.UsageError(f"name who it was with: netplan log {kind} 'NAME'")
        made_interaction = netplan.Interaction(
            kind, when, contact=contact_id, event=event_id, notes=notes
        )
        # One change: the new contact or the new tier with the interaction, or nothing.
        whom = f" {contact_id}" if contact_id else ""
        _record(
            store,
            plan_id,
            log,
            [*records, made_interaction],
            changed,
            f"logged {kind}{whom} at {when.astimezone(zone.tzinfo):%Y-%m-%d %H:%M}",
        )
    name = records[0].name if records else log.contact(contact_id).name if contact_id else ""
    _logged(out, kind, name, when, zone, made_interaction, changed, tier, tags, new=bool(records))


def _log_appending(
    store: AppendingStore,
    plan_id: str,
    zone: netplan.Zone,
    kind: str,
    who: str,
    when: dt.datetime,
    notes: str,
    tags: Sequence[str],
    tier: str | None,
    new: bool,
) -> tuple[netplan.Contact, netplan.Interaction, list[netplan.Contact], bool]:
    """Log an interaction with the contact ``who`` names (an id, or a name only one
    contact has), or with a new contact of that name (with ``new``, or as the person at
    the terminal says; the closest names suggested otherwise), from what the store finds
    by id and name, without reading the log. The contact, the interaction, the contacts
    the tier and tags changed, and whether the contact is new."""
    found = store.find_contacts(plan_id, who)
    if len(found) > 1:
        raise ValidationError(
            "NAME", who, f"names several contacts ({', '.join(c.id for c in found)}): give the id"
        )
    if found:
        (contact,) = found
        added: list[netplan.Contact] = []
        changed = _edited(contact, tier, tags)
    else:
        keys = store.name_keys(plan_id)

        def did_you_mean() -> str:
            close = _close_ids(who, keys)
            return _did_you_mean([c for i in close for c in store.find_contacts(plan_id, i)[:1]])

        name = _new_name(who, new, "NAME", did_you_mean)
        taken = {contact_id for contact_id, _ in keys}
        contact_id = unused_id(slugify(name), taken.__contains__)
        contact = netplan.Contact(name, tags=set(tags), tier=tier, id=contact_id)
        added, changed = [contact], []
    made = netplan.Interaction(kind, when, contact=contact.id, notes=notes)
    local = when.astimezone(zone.tzinfo)
    store.add_change(
        plan_id,
        *added,
        made,
        replace=changed,
        description=f"logged {kind} {contact.id} at {local:%Y-%m-%d %H:%M}",
    )
    return contact, made, changed, bool(added)


def _edited(known: netplan.Contact, tier: str | None, tags: Sequence[str]) -> list[netplan.Contact]:
    """``known`` with the tier and tags `netplan log` gives it, if that changes it."""
    edited = attrs.evolve(
        known,
        tier=known.tier if tier is None else tier.strip(),
        tags=known.tags | {t.strip().lower() for t in tags},
    )
    return [edited] if edited != known else []


def _logged(
    out: Any,
    kind: str,
    name: str,
    when: dt.datetime,
    zone: netplan.Zone,
    made: netplan.Interaction,
    changed: Sequence[netplan.Contact],
    tier: str | None,
    tags: Sequence[str],
    *,
    new: bool,
) -> None:
    """What `netplan log` says it logged."""
    added_text = " (a new contact)" if new else ""
    local = when.astimezone(zone.tzinfo)
    tiered = ""
    if changed and tier is not None:
        tiered = f"; {name} is now tier {changed[0].tier}"
    if changed and tags:
        tiered += f"; tagged {', '.join(sorted(changed[0].tags))}"
    out.line(
        f"Logged: {kind} {name}{added_text} at {local:%Y-%m-%d %H:%M}{tiered}.".replace("  ", " ")
    )
    out.json(made)


def _record(
    store: Store,
    plan_id: str,
    log: netplan.ActivityLog,
    records: Sequence[Any],
    replace: Sequence[Any],
    description: str,
) -> None:
    """Add ``records`` and replace ``replace`` in one step, kept in the log's history
    (so `netplan log undo` takes it back) when the store keeps one."""
    if Capability.CHANGES in store.capabilities:
        change = log.add_change(*records, replace=replace, description=description)
        correctable(store).change(plan_id, change)
    else:
        store.add(plan_id, *records, replace=replace)


def _correct_log(
    what: str, who: str | None, at: str | None, only_kind: str | None, every: bool
) -> None:
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        history = correctable(store)
        if what == "changes":
            changes = history.changes(plan_id)
            undone = {c.undoes for c in changes if c.undoes is not None}
            out.table(
                ("change", "what"),
                [
                    (str(c.number), c.description + (" (undone)" if c.number in undone else ""))
                    for c in changes
                ],
                empty="No changes to the log yet (imports are not listed).",
            )
            out.json(changes)
            return
        if what == "undo":
            if who or at or only_kind or every:
                raise click.UsageError("netplan log undo takes no NAME or options")
            change = history.undo(plan_id)
            out.line(f"Undid: {change.description.removeprefix('undid ')}.")
            out.json(change)
            return
        if not who:
            raise click.UsageError("name whose interactions to remove: netplan log remove NAME")
        zone = store.load(plan_id).zone
        log = store.load_log(plan_id)
        contact = _known_contact(log, who, "NAME")
        if contact is None:
            did = _did_you_mean_contact(log, who)
            raise ValidationError("NAME", who, f"must name one of your contacts{_aside(did)}")
        found = list(log.interactions(contact=contact.id))
        if only_kind is not None:
            found = [i for i in found if i.kind.value == only_kind.strip().lower()]
        if at is not None:
            when = _parse.instant(at, zone, _now())
            day_only = len(at.strip()) <= 10 or at.strip() in ("today", "yesterday")
            found = [
                i for i in found if (zone.day(i.at) == zone.day(when) if day_only else i.at == when)
            ]
        if not found:
            raise NotFoundError(
                "interaction",
                f"with {contact.name}",
                "that fits: `netplan contacts` shows when you last logged one; "
                "--at DAY and --kind KIND narrow it",
            )
        if len(found) > 1 and not every:
            listed = "; ".join(
                f"{i.kind.value} at {i.at.astimezone(zone.tzinfo):%Y-%m-%d %H:%M}"
                for i in found[-5:]
            )
            raise ValidationError(
                "NAME",
                who,
                f"fits {len(found)} interactions ({listed}): narrow it with --at DAY or "
                "--kind KIND, or pass --all to remove them all",
            )
        change = log.remove_interactions(*found)
        history.change(plan_id, change)
    out.line(f"Removed: {change.description.removeprefix('removed ')} (netplan log undo to undo).")
    out.json(change)


def _interactive() -> bool:
    """Whether a person is there to answer a question (standard input is a terminal)."""
    return sys.stdin.isatty()


def _known_contact(log: netplan.ActivityLog, who: str, field: str) -> netplan.Contact | None:
    """The contact ``who`` names (its id, or its name in any case), or None."""
    try:
        return log.contact(who)
    except NotFoundError:
        pass
    wanted = name_key(who)
    same = [c for c in log.contacts if name_key(c.name) == wanted]
    if len(same) > 1:
        raise ValidationError(
            field, who, f"names several contacts ({', '.join(c.id for c in same)}): give the id"
        )
    return same[0] if same else None


def _close_ids(who: str, keys: Iterable[tuple[str, str]]) -> list[str]:
    """Up to three ids of the contacts whose name or id is closest to ``who``, of
    contacts given as (id, :func:`~netplan.core.network.name_key`)."""
    by_key: dict[str, list[str]] = {}
    ids: list[str] = []
    for contact_id, key in keys:
        by_key.setdefault(key, []).append(contact_id)  # namesakes: each of them
        ids.append(contact_id)
    # The name against names, its slug against ids: each list matched once (difflib
    # takes a Python step per candidate, and a network may hold 100,000 people).
    found = [
        contact_id
        for key in difflib.get_close_matches(name_key(who), list(by_key), n=3, cutoff=0.6)
        for contact_id in by_key[key]
    ]
    found += difflib.get_close_matches(slugify(who), ids, n=3, cutoff=0.6)
    return list(dict.fromkeys(found))[:3]


def _did_you_mean(close: Sequence[netplan.Contact]) -> str:
    """``"Did you mean Priya Shah?"`` naming ``close``, each by name (and id, when two
    share a name in any case), else ``""``."""
    if not close:
        return ""
    keys = [name_key(c.name) for c in close]
    shown = [
        f"{c.name} ({c.id})" if keys.count(key) > 1 else c.name
        for c, key in zip(close, keys, strict=True)
    ]
    return f"Did you mean {_either(shown, quote=False)}?"


def _indexed_contact_id(store: Store, plan_id: str, who: str, option: str) -> str | None:
    """The id of the contact ``who`` names (an id, or a name only one contact has), found
    through the store's index of names; None from a store without one (the log says)."""
    if not isinstance(store, AppendingStore):
        return None
    found = store.find_contacts(plan_id, who)
    if len(found) > 1:
        raise ValidationError(
            option, who, f"names several contacts ({', '.join(c.id for c in found)}): give the id"
        )
    if found:
        return found[0].id
    close = _close_ids(who, store.name_keys(plan_id))
    did = _did_you_mean([c for i in close for c in store.find_contacts(plan_id, i)[:1]])
    raise ValidationError(option, who, f"must name one of your contacts{_aside(did)}")


def _did_you_mean_contact(log: netplan.ActivityLog, who: str) -> str:
    """``"Did you mean Priya Shah?"`` naming the contacts closest to ``who``, else ``""``."""
    close = _close_ids(who, ((c.id, name_key(c.name)) for c in log.contacts))
    return _did_you_mean([log.contact(contact_id) for contact_id in close])


def _aside(text: str) -> str:
    """``text`` in brackets after a space ("did you mean..." in a sentence), or ``""``."""
    return f" ({text[0].lower()}{text[1:]})" if text else ""


def _contact(
    log: netplan.ActivityLog,
    who: str,
    tags: Sequence[str],
    tier: str | None,
    *,
    new: bool,
    option: str = "NAME",
) -> tuple[str, netplan.Contact | None]:
    """The id of the contact ``who`` names, and the contact to add when it is new: with
    ``new``, or when the person at the terminal says so; refused otherwise (piped, a new
    name is more likely a typo than a new person)."""
    known = _known_contact(log, who, option)
    if known is not None:
        return known.id, None
    name = _new_name(who, new, option, lambda: _did_you_mean_contact(log, who))
    contact_id = unused_id(slugify(name), {c.id for c in log.contacts}.__contains__)
    return contact_id, netplan.Contact(name, tags=set(tags), tier=tier, id=contact_id)


def _new_name(who: str, new: bool, option: str, did_you_mean: Callable[[], str]) -> str:
    """The name of the new contact ``who`` names: with ``new``, or when the person at the
    terminal says so; refused otherwise (piped, a new name is more likely a typo than a
    new person), with the names ``did_you_mean()`` suggests."""
    name = " ".join(who.split())
    if new:
        return name
    did = did_you_mean()
    if not _interactive():
        raise ValidationError(
            option,
            who,
            f"must name one of your contacts{_aside(did)}; pass --new to add {name!r} "
            "as a new contact",
        )
    # Asked on standard error, so what the command prints (--json) stays clean.
    if not click.confirm(f"New contact {name!r}? {did}".rstrip(), default=not did, err=True):
        raise NetplanError(
            f"nothing logged: {name!r} is not one of your contacts{_aside(did)}; give "
            "a name or id as `netplan contacts` lists them"
        )
    return name


def _event(log: netplan.ActivityLog, wanted: str) -> str:
    try:
        return log.event(wanted).id
    except NotFoundError:
        pass
    named = [e for e in log.events() if e.name.casefold() == wanted.casefold()]
    if named:
        return max(named, key=lambda e: e.on).id  # the latest of that name
    raise NotFoundError(
        "event", wanted, "in the log: log it first with `netplan log attended 'NAME'`"
    )


CONTACTS_PAGE = 50
"""How many contacts `netplan contacts` lists at a time."""


@cli.group(invoke_without_command=True, short_help="Your contacts; possible duplicates.")
@click.option("--tag", help="Only contacts with this tag.")
@click.option("--tier", help="Only contacts of this tier.")
@click.option(
    "--page",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help=f"Which page of {CONTACTS_PAGE}, by name.",
)
@click.option("--all", "every", is_flag=True, help="Every contact, not a page.")
@click.pass_context
def contacts(
    context: click.Context, tag: str | None, tier: str | None, page: int, every: bool
) -> None:
    """Your contacts, by name, with their tier, tags, company and when you last
    interacted: a page of 50 (--page 2 for the next), or --all."""
    if context.invoked_subcommand is not None:
        return
    out = _settings().output
    tag = None if tag is None else tag.lower()
    tier = None if tier is None else tier.lower()
    offset, limit = (0, None) if every else ((page - 1) * CONTACTS_PAGE, CONTACTS_PAGE)
    with _store() as store:
        plan_id = _plan_id(store)
        zone = store.load(plan_id).zone
        if isinstance(store, ListingStore):
            listed, total = store.contact_page(
                plan_id, tag=tag, tier=tier, offset=offset, limit=limit
            )
        else:
            log = store.load_log(plan_id)
            wanted = sorted(
                (
                    c
                    for c in log.contacts
                    if (tag is None or tag in c.tags) and (tier is None or c.tier == tier)
                ),
                key=lambda c: (name_key(c.name), c.id),
            )
            total = len(wanted)
            chosen = wanted[offset : None if limit is None else offset + limit]
            employers = log.organizations_by_id()
            listed = tuple(
                (c, log.last_interaction(c.id), employers.get(c.organization or "")) for c in chosen
            )
    rows = [
        (
            contact.id,
            contact.name,
            contact.tier or "",
            ", ".join(sorted(contact.tags)),
            "" if employer is None else employer.name,
            zone.day(last) if last else "never",
        )
        for contact, last, employer in listed
    ]
    out.table(
        ("id", "name", "tier", "tags", "company", "last"),
        rows,
        empty="No contacts yet: netplan log met 'NAME', or netplan import FILE"
        if total == 0
        else f"No page {page}: there are {total} contacts, {CONTACTS_PAGE} a page.",
    )
    if rows and len(rows) < total:
        first = offset + 1
        more = f"; --page {page + 1} for the next" if offset + len(rows) < total else ""
        out.line(
            f"Contacts {first} to {offset + len(rows)} of {total}, by name{more}; --all for every one."
        )
    out.json([contact for contact, _, _ in listed])


@contacts.command("duplicates")
def contacts_duplicates() -> None:
    """Contacts that may be one person, and why: namesakes an import would not merge
    without guessing, and contacts sharing an email, phone or profile."""
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        region = store.load(plan_id).zone.country
        log = store.load_log(plan_id)
    found = netplan.possible_duplicates(log, region=region)
    companies = {o.id: o.name for o in log.organizations}

    def who(contact_id: str) -> str:
        contact = log.contact(contact_id)
        company = companies.get(contact.organization or "")
        return f"{contact.name} ({contact_id}{', ' + company if company else ''})"

    out.table(
        ("contacts", "why"),
        [("; ".join(map(who, d.contacts)), d.reason) for d in found],
        empty="No possible duplicates.",
    )
    out.json(found)


@contextmanager
def _correcting() -> Iterator[tuple[CorrectableStore, str, netplan.ActivityLog]]:
    """The store (one that keeps the log's history), the plan and its log, to correct."""
    with _store() as store:
        plan_id = _plan_id(store)
        history = correctable(store)
        yield history, plan_id, store.load_log(plan_id)


def _contact_named(log: netplan.ActivityLog, who: str, option: str) -> netplan.Contact:
    """The contact ``who`` names (id or name), or an error with the close ones."""
    contact = _known_contact(log, who, option)
    if contact is None:
        did = _did_you_mean_contact(log, who)
        raise ValidationError(option, who, f"must name one of your contacts{_aside(did)}")
    return contact


@contacts.command("show")
@click.argument("who", metavar="CONTACT")
@click.option(
    "--as-of", "as_of", help="As on this day: what was logged by its end (default: today)."
)
def contacts_show(who: str, as_of: str | None) -> None:
    """One contact: who they are, the last touch, their keep-in-touch cadence, what is due
    with them this week, and every interaction, most recent first."""
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        # Found by name in the store's index when it has one: a typo or a namesake is
        # answered before the log is read, and no contact is decoded to compare names.
        contact_id = _indexed_contact_id(store, plan_id, who, "CONTACT")
        plan = store.load(plan_id)
        log = store.load_log(plan_id)
    today = _today(plan)
    day = _parse.day(as_of, today=today) if as_of else today
    if contact_id is None:
        contact_id = _contact_named(log, who, "CONTACT").id
    view = netplan.contact_view(plan, log, contact_id, day)
    person = view.contact
    where = view.organization.name if view.organization is not None else person.organization
    out.heading(f"{person.name}{f' ({where})' if where else ''}  [{person.id}]")
    for name, value in person.facts():
        out.line(f"  {name}: {value}")
    if view.last_on is None:
        out.line("  No interaction yet.")
    else:
        out.line(f"  Last touch {view.last_on}, {view.days_since} days before {day}.")
    if view.cadence is not None:
        late = view.next_touch is not None and view.next_touch < day
        out.line(
            f"  Keep in touch every {view.cadence.ideal_days} days ({view.cadence.source}): "
            f"{'due since' if late else 'next by'} {view.next_touch}.",
            fg="red" if late else None,
        )
    out.line()
    out.heading(f"Due ({len(view.due)})")
    out.table(
        ("due", "what", "late"),
        [
            (str(i.due), i.reason, (f"{i.overdue_days} d", "red") if i.overdue_days else "")
            for i in view.due
        ],
        empty="Nothing due with them this week.",
    )
    out.line()
    out.heading(f"Interactions ({len(view.interactions)})")
    out.table(
        ("when", "kind", "channel", "direction", "event", "notes"),
        [
            (
                view.when(i),
                i.kind.value.replace("_", " "),
                i.channel.value.replace("_", " "),
                i.direction.value,
                i.event or "",
                i.notes,
            )
            for i in reversed(view.interactions)
        ],
        empty=f"None yet: netplan log coffee {person.name!r}",
    )
    out.json(view)


@contacts.command("merge")
@click.argument("merged", metavar="DUPLICATE")
@click.argument("into", metavar="CONTACT")
def contacts_merge(merged: str, into: str) -> None:
    """Merge DUPLICATE into CONTACT (one person entered twice): its interactions become
    CONTACT's, CONTACT gains what it lacks (emails, phones, notes...), and DUPLICATE goes.
    `netplan log undo` takes it back."""
    out = _settings().output
    with _correcting() as (history, plan_id, log):
        gone = _contact_named(log, merged, "DUPLICATE")
        kept = _contact_named(log, into, "CONTACT")
        moved = len(log.interactions(contact=gone.id))
        change = log.merge_contacts(gone.id, into=kept.id)
        history.change(plan_id, change)
    out.line(
        f"Merged {gone.name} ({gone.id}) into {kept.name} ({kept.id}): "
        f"{number(moved)} {'interaction' if moved == 1 else 'interactions'} moved "
        "(netplan log undo to undo)."
    )
    out.json(change)


@contacts.command("distinct")
@click.argument("first", metavar="CONTACT")
@click.argument("others", nargs=-1, required=True, metavar="OTHER...")
def contacts_distinct(first: str, others: tuple[str, ...]) -> None:
    """Say CONTACT and OTHER are different people (namesakes): `netplan contacts
    duplicates` no longer lists them together. `netplan log undo` takes it back."""
    out = _settings().output
    with _correcting() as (history, plan_id, log):
        named = [_contact_named(log, who, "CONTACT") for who in (first, *others)]
        ids = {c.id for c in named}
        if len(ids) < 2:
            raise click.UsageError("name at least two different contacts")
        edited = [attrs.evolve(c, distinct_from=c.distinct_from | (ids - {c.id})) for c in named]
        change = log.add_change(replace=edited, description=f"told apart {', '.join(sorted(ids))}")
        history.change(plan_id, change)
    out.line(
        f"{' and '.join(c.name for c in named)} are different people: no longer listed as "
        "possible duplicates (netplan log undo to undo)."
    )


@contacts.command("remove")
@click.argument("who", metavar="CONTACT")
@click.option(
    "--with-interactions",
    "with_interactions",
    is_flag=True,
    help="Remove the contact's interactions too (else a contact with any is kept).",
)
def contacts_remove(who: str, with_interactions: bool) -> None:
    """Remove a contact added by mistake. One with interactions is kept unless you pass
    --with-interactions (or merge it: netplan contacts merge). `netplan log undo` takes
    it back."""
    out = _settings().output
    with _correcting() as (history, plan_id, log):
        contact = _contact_named(log, who, "CONTACT")
        change = log.remove_contact(contact.id, with_interactions=with_interactions)
        history.change(plan_id, change)
    out.line(f"Removed {contact.name}: {change.description} (netplan log undo to undo).")
    out.json(change)


@contacts.command("edit")
@click.argument("who", metavar="CONTACT")
@click.option("--name", help="Their name, as you write it.")
@click.option("--email", "emails", multiple=True, help="An email to add (again to add more).")
@click.option("--no-email", "drop_emails", multiple=True, help="An email to drop.")
@click.option("--phone", "phones", multiple=True, help="A phone number to add.")
@click.option("--no-phone", "drop_phones", multiple=True, help="A phone number to drop.")
@click.option("--tag", "tags", multiple=True, help="A tag to add.")
@click.option("--untag", "untags", multiple=True, help="A tag to drop.")
@click.option("--tier", help="Their tier (a, b, c...); 'none' clears it.")
@click.option("--company", help="Where they work; 'none' clears it.")
@click.option("--role", help="Their role there.")
@click.option("--birthday", help="MM-DD, YYYY-MM-DD or 'none'.")
@click.option("--nickname", help="What you call them.")
@click.option("--notes", help="Notes about them (replaces the notes).")
def contacts_edit(
    who: str,
    name: str | None,
    emails: Sequence[str],
    drop_emails: Sequence[str],
    phones: Sequence[str],
    drop_phones: Sequence[str],
    tags: Sequence[str],
    untags: Sequence[str],
    tier: str | None,
    company: str | None,
    role: str | None,
    birthday: str | None,
    nickname: str | None,
    notes: str | None,
) -> None:
    """Correct a contact: a typo in the name, an email, their tier or company...
    `netplan log undo` takes it back."""
    out = _settings().output
    with _correcting() as (history, plan_id, log):
        contact = _contact_named(log, who, "CONTACT")
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name.strip()
        if emails or drop_emails:
            dropped = {e.strip().casefold() for e in drop_emails}
            kept = [e for e in contact.emails if e.casefold() not in dropped]
            known = {e.casefold() for e in kept}
            kept.extend(e.strip().lower() for e in emails if e.strip().casefold() not in known)
            changes["emails"] = tuple(dict.fromkeys(kept))
        if phones or drop_phones:
            dropped = {phone_key(p) or p for p in drop_phones}
            kept = [p for p in contact.phones if (phone_key(p) or p) not in dropped]
            kept.extend(p.strip() for p in phones if p.strip() not in kept)
            changes["phones"] = tuple(kept)
        if tags or untags:
            changes["tags"] = (contact.tags | {t.strip().lower() for t in tags}) - {
                t.strip().lower() for t in untags
            }
        if tier is not None:
            changes["tier"] = None if tier.strip().lower() == "none" else tier.strip()
        if role is not None:
            changes["role"] = role.strip()
        if nickname is not None:
            changes["nickname"] = nickname.strip()
        if notes is not None:
            changes["notes"] = notes
        if birthday is not None:
            text = birthday.strip()
            if text.lower() == "none":
                changes["birthday"] = ""
            else:
                try:
                    changes["birthday"] = netplan.read_birthday(
                        f"--{text}" if len(text) == 5 else text
                    )
                except ValueError as error:
                    raise ValidationError("--birthday", birthday, str(error)) from None
        added: list[Any] = []
        if company is not None:
            if company.strip().lower() == "none":
                changes["organization"] = None
            else:
                organization = _organization_named(log, company.strip())
                if not any(o.id == organization.id for o in log.organizations):
                    added.append(organization)
                changes["organization"] = organization.id
        if not changes:
            raise click.UsageError("say what to change: --name, --email, --tier, --company...")
        edited = attrs.evolve(contact, **changes)
        if edited == contact and not added:
            out.line(f"{contact.name} is already so: nothing changed.")
            return
        change = log.add_change(*added, replace=[edited], description=f"edited {contact.id}")
        history.change(plan_id, change)
    out.line(f"Edited {edited.name} ({edited.id}) (netplan log undo to undo).")
    out.json(edited)


def _organization_named(log: netplan.ActivityLog, name: str) -> netplan.Organization:
    """The organization of ``name`` (its id, or its name in any case), or a new one."""
    folded = name.casefold()
    for organization in log.organizations:
        if organization.id == name or organization.name.casefold() == folded:
            return organization
    taken = {o.id for o in log.organizations}
    return netplan.Organization(name, id=unused_id(slugify(name), taken.__contains__))


# -- import and export -----------------------------------------------------------------------


@cli.command("import", short_help="Import contacts, messages or a calendar.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "format_", help="The importer to use (default: detected).")
@click.option("--dry-run", is_flag=True, help="Show what would change, change nothing.")
@click.option("--skip-bad", is_flag=True, help="Leave out records that cannot be read.")
@click.option(
    "--me",
    "me",
    multiple=True,
    metavar="EMAIL",
    help="Your own address, so a calendar's attendee lists leave you out (repeatable).",
)
@click.option("--from", "since", help="Calendars: expand recurring events from this day.")
@click.option(
    "--to", "until", help="Calendars: ... up to this day (default: a year back, half a year ahead)."
)
def import_(
    path: Path,
    format_: str | None,
    dry_run: bool,
    skip_bad: bool,
    me: Sequence[str],
    since: str | None,
    until: str | None,
) -> None:
    """Import a LinkedIn export (folder or zip), contacts (CSV, vCard) or a calendar."""
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        plan = store.load(plan_id)
        today = _today(plan)
        window = None
        if since or until:
            first = _parse.day(since, today=today) if since else today - CALENDAR_PAST
            last = _parse.day(until, today=today) if until else today + CALENDAR_AHEAD
            if last < first:
                raise click.BadParameter(f"--to {last} is before --from {first}")
            window = CalendarWindow(first, last + dt.timedelta(days=1), plan.zone.tzinfo)
        with _progress(out) as progress:
            result = netplan.import_files(
                store,
                plan_id,
                path,
                format=format_,
                dry_run=dry_run,
                skip_bad=skip_bad,
                progress=progress,
                me=me,
                window=window,
                today=today,
            )
    for report in result.reports:
        out.line(str(report).splitlines()[0])
        for problem in report.problems[:20]:
            out.line(f"  {cli_words(str(problem))}", fg="yellow")
        if len(report.problems) > 20:
            out.line(f"  ... and {len(report.problems) - 20} more problems (see --json)")
        for conflict in report.conflicts[:20]:
            out.line(f"  {conflict}", fg="cyan")
    for name in result.skipped:
        out.line(f"skipped {name}: {result.reason(name)}", dim=True)
    if dry_run:
        out.line("Dry run: nothing was stored.", bold=True)
    out.json(result)


@contextmanager
def _progress(out: Output) -> Iterator[Any]:
    if out.as_json or not sys.stderr.isatty():
        yield None
        return
    bar: Any = None

    def step(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
            bar.__enter__()
        bar.label = f"Importing {name}"
        bar.update(done - bar.pos)

    try:
        yield step
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@cli.command("export", short_help="Export contacts, calendar or plan to a file.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "format_", help="The exporter (default: from the file's suffix).")
def export(path: Path, format_: str | None) -> None:
    """Export contacts (.csv, .vcf), the agenda and events (.ics) or the plan (.json)."""
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        today = _today(store.load(plan_id))
        written = netplan.export_file(store, plan_id, path, format=format_, today=today)
    out.line(f"Wrote {written} (readable by you only).")
    out.json({"path": str(written)})


# -- 5. evaluate ---------------------------------------------------------------------------

_AGENDA_LOOK = dt.timedelta(days=31)
"""How far either side of today ``agenda snooze/skip/done`` look for the item named."""


@cli.group(invoke_without_command=True, short_help="What to do this week; snooze, skip, done.")
@click.option("--from", "start", help="The first day (default: today).")
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True)
@click.option("--to", "last", help="The last day (instead of --days).")
@click.option(
    "--ics",
    type=click.Path(path_type=Path),
    help="Also write the listed items to an iCalendar file (nothing else: no past events).",
)
@click.pass_context
def agenda(
    ctx: click.Context, start: str | None, days: int, last: str | None, ics: Path | None
) -> None:
    """What is due this week (or from --from for --days, or to --to): follow-ups,
    keep-in-touch reminders and planned actions, each done, partly done or open as your
    log shows it. Items due in the range are listed; when the range holds today, so are
    the open ones already overdue.

    `netplan agenda snooze ITEM --until DAY`, `skip ITEM` and `done ITEM` act on one
    item, named by its key (--json lists them) or by words of it ('Lena Berg')."""
    if ctx.invoked_subcommand is not None:
        return
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        plan = store.load(plan_id)
        today = _today(plan)
        first = _parse.day(start, today=today) if start else today
        end = first + dt.timedelta(days=days)
        if last is not None:
            end = _parse.day(last, today=today) + dt.timedelta(days=1)
            if end <= first:
                raise click.BadParameter(f"--to {last} is before --from {first}")
        due = netplan.agenda(plan, store.load_log(plan_id), first, end, as_of=today)
    if ics is not None:
        from netplan.formats.icalendar import agenda_ics
        from netplan.stores.filesystem import atomic_write, check_writable_dir

        check_writable_dir(ics.parent, "--ics folder")
        atomic_write(ics, agenda_ics(plan, due))
    _print_agenda(out, due)
    if ics is not None:
        out.line(f"Wrote {ics}: open it in your calendar app.")
    out.json(due)


def _find_item(shown: Agenda, around: Agenda, wanted: str) -> AgendaItem:
    """The item whose key is ``wanted``, or the open item its words name: first among
    those ``netplan agenda`` shows now, else from a month ago to a month ahead. Of one
    person or one action, the one to act on now: a follow-up before keeping in touch
    (the same message does both), a quota's period holding today, else the most pressing."""
    exact = around.item(wanted.strip()) or shown.item(wanted.strip())
    if exact is not None:
        return exact
    words = wanted.casefold().split()

    def matching(due: Agenda) -> list[AgendaItem]:
        return [
            item
            for item in due.items
            if item.is_open and all(w in f"{item.reason} {item.key}".casefold() for w in words)
        ]

    found = matching(shown) or matching(around)
    if not found:
        raise NotFoundError(
            "agenda item",
            wanted,
            "none open from a month ago to a month ahead matches; "
            "`netplan agenda --json` lists every item's key",
        )
    subjects = sorted({item.contact or item.action or "" for item in found})
    if len(subjects) > 1:
        raise ValidationError(
            "ITEM", wanted, f"names several people or actions ({', '.join(subjects)}): say which"
        )
    today = shown.as_of
    period = [i for i in found if i.opens is not None and i.opens <= today <= i.due]
    if period:
        return period[0]  # what is done today counts for the quota's period holding today
    # The agenda lists the most pressing first.
    return min(found, key=lambda i: i.kind is not ItemKind.FOLLOW_UP)


def _named_item(
    store: Store, plan_id: str, wanted: str
) -> tuple[Plan, netplan.ActivityLog, AgendaItem]:
    """The plan, its log, and the agenda item ``wanted`` names (see :func:`_find_item`)."""
    plan = store.load(plan_id)
    log = store.load_log(plan_id)
    today = _today(plan)
    shown = netplan.agenda(plan, log, today, today + dt.timedelta(days=7), as_of=today)
    around = netplan.agenda(plan, log, today - _AGENDA_LOOK, today + _AGENDA_LOOK, as_of=today)
    return plan, log, _find_item(shown, around, wanted)


@agenda.command("snooze")
@click.argument("wanted", metavar="ITEM")
@click.option("--until", "until", required=True, help="The day it comes back (YYYY-MM-DD).")
def agenda_snooze(wanted: str, until: str) -> None:
    """Put an agenda item off until a day: it is listed, and overdue, from then."""
    with _store() as store:
        plan_id = _plan_id(store)
        plan, _, item = _named_item(store, plan_id, wanted)
        day = _parse.day(until, "day", today=_today(plan))
        saved = store.save(plan.snooze(item, day))
    out = _settings().output
    out.line(
        f"Snoozed {item.reason!r} (due {item.due}) to {day}. Saved as revision {saved.revision}."
    )
    out.json({"item": item.key, "until": day})


@agenda.command("skip")
@click.argument("wanted", metavar="ITEM")
def agenda_skip(wanted: str) -> None:
    """Skip an agenda item: it is listed as skipped on its day, and not counted overdue."""
    with _store() as store:
        plan_id = _plan_id(store)
        plan, _, item = _named_item(store, plan_id, wanted)
        saved = store.save(plan.skip(item))
    out = _settings().output
    out.line(f"Skipped {item.reason!r} (due {item.due}). Saved as revision {saved.revision}.")
    out.json({"item": item.key})


_DONE_KINDS = {
    ItemKind.FOLLOW_UP: netplan.InteractionKind.FOLLOW_UP,
    ItemKind.KEEP_IN_TOUCH: netplan.InteractionKind.MESSAGE,
    ItemKind.BIRTHDAY: netplan.InteractionKind.MESSAGE,
}


@agenda.command("done")
@click.argument("wanted", metavar="ITEM")
@click.option("--at", help="When it was done (default: now), as '2026-12-08 19:30'.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in netplan.InteractionKind]),
    help="What you did (default: follow_up for a follow-up, message for keeping in touch).",
)
@click.option("--with", "who", metavar="NAME", help="Whom you reached out to (reach_out actions).")
@click.option("--new", "new", is_flag=True, help="--with NAME may be a new contact: add it.")
def agenda_done(wanted: str, at: str | None, kind: str | None, who: str | None, new: bool) -> None:
    """Mark an agenda item done by logging what it asks for: the follow-up or message to
    its person, the post, the event attended, a message to --with NAME. What the log
    cannot hold (a custom action) is marked done in the plan instead."""
    out = _settings().output
    with _store() as store:
        plan_id = _plan_id(store)
        plan, log, item = _named_item(store, plan_id, wanted)
        when = _parse.instant(at, plan.zone, _now())
        record = _done_record(plan, log, item, when, kind, who, new=new)
        if record is None:
            saved = store.save(plan.mark_done(item, plan.zone.day(when)))
            out.line(
                f"Marked {item.reason!r} (due {item.due}) done. Saved as revision {saved.revision}."
            )
            out.json({"item": item.key, "marked_done": plan.zone.day(when)})
            return
        store.add(plan_id, *record)
    logged = record[-1]
    local = when.astimezone(plan.zone.tzinfo)
    what = logged.kind.value if isinstance(logged, netplan.Interaction) else "attended"
    out.line(f"Logged {what} at {local:%Y-%m-%d %H:%M} for {item.reason!r} (due {item.due}).")
    out.json({"item": item.key, "logged": record})


def _done_record(
    plan: Plan,
    log: netplan.ActivityLog,
    item: AgendaItem,
    when: dt.datetime,
    kind: str | None,
    who: str | None,
    *,
    new: bool = False,
) -> list[Any] | None:
    """What to log for ``item`` done at ``when`` (None: mark it done in the plan)."""
    if item.kind in _DONE_KINDS:
        what = kind or _DONE_KINDS[item.kind].value
        return [netplan.Interaction(what, when, contact=item.contact)]
    action = plan.action(item.action or "")
    if action.kind is netplan.ActionKind.POST_SOCIAL:
        return [netplan.Interaction(kind or "post", when)]
    if action.kind is netplan.ActionKind.ATTEND_EVENTS:
        day = plan.zone.day(when)
        taken = {e.id for e in log.events()}
        event_id = unused_id(f"{slugify(action.title)}-{day.isoformat()}", taken.__contains__)
        return [netplan.Event(action.title, day, starts_at=when, action=action.id, id=event_id)]
    if action.kind is netplan.ActionKind.REACH_OUT and who:
        contact_id, added = _contact(log, who, (), None, new=new, option="--with")
        made = netplan.Interaction(kind or "message", when, contact=contact_id)
        return [added, made] if added is not None else [made]
    if action.kind is netplan.ActionKind.REACH_OUT and kind:
        raise click.UsageError("say whom you reached out to: --with NAME")
    return None


def _print_agenda(out: Output, due: Agenda) -> None:
    out.heading(f"Agenda {due.start} to {due.end - dt.timedelta(days=1)}")
    if not due.items:
        out.line("  Nothing due.")
        return
    out.table(
        ("due", "what", "state"),
        [
            (item.due, item.reason, _item_state(item))
            for item in sorted(due.items, key=lambda i: (i.due, not i.is_open, -i.priority))
        ],
    )


def _item_state(item: AgendaItem) -> tuple[str, str | None] | str:
    if item.state is ItemState.DONE:
        return ("done", "green")
    if item.state is ItemState.SKIPPED:
        return ("skipped", None)
    done = f"{item.done} of {item.count} done" if item.state is ItemState.PARTLY_DONE else ""
    late = f"{item.overdue_days} d late" if item.overdue_days else ""
    text = ", ".join(t for t in (done, late) if t)
    return (text, "red" if item.overdue_days else "yellow") if text else ""


REVIEW_COLUMN_WORDS = (
    ("actual", "what the target's metric counted from the start of its road to the end of the day"),
    ("pace", "what a steady pace would have done by the end of the day"),
    ("of", "the target's amount (prorated when the goal began mid-period)"),
    ("done", "a bar of actual out of the amount on a terminal; the share done when piped"),
    ("status", "done, ahead, on track, at risk, or behind (a unit the pace asked for is not done)"),
    ("buffer", "days before falling behind if nothing more is done (0: behind today)"),
    ("habit", "a per-period target's habit strength, and its completed periods met"),
    ("next", "what to do to stay on track: how many more, by which day"),
)
"""The review table's columns, in the words docs/cli.md and docs/pace.md use."""


@cli.command(
    short_help="Review progress, findings and this week's agenda.",
    epilog="\b\nThe columns:\n"
    + "\n".join(f"  {name:7} {words}" for name, words in REVIEW_COLUMN_WORDS),
)
@click.option("--as-of", "as_of", help="Review as on this day: what was logged by its end.")
@click.option("--apply", "apply_", is_flag=True, help="Adopt the suggested adjustments.")
@click.option(
    "--example",
    is_flag=True,
    help="Review a bundled example plan (Maya's) in a temporary store: nothing of yours is read or written.",
)
def review(as_of: str | None, apply_: bool, example: bool) -> None:
    """Progress per target, findings with suggestions, and this week's agenda, as they
    stood at the end of today (or of --as-of DAY: a past day's review again)."""
    out = _settings().output
    if example:
        _review_example(out, _parse.day(as_of) if as_of else None, apply_)
        return
    with _store() as store:
        plan = store.load(_plan_id(store))
        today = _today(plan)
        day = _parse.day(as_of, today=today) if as_of else today
        _review(out, store, plan, day, apply_)


def _review_example(out: Output, as_of: dt.date | None, apply_: bool) -> None:
    example = netplan.testing.example.maya()
    with tempfile.TemporaryDirectory(prefix="netplan-example-") as folder:
        url = f"sqlite://{Path(folder) / 'example.db'}"
        with netplan.open(url, create=True) as store:
            saved = store.save(example.plan)
            store.add(saved.id, *example.log.organizations, *example.log.events())
            store.add(saved.id, *example.log.contacts, *example.log)
            out.line(
                f"Maya's example plan, in a temporary store ({url}), reviewed as on "
                f"{as_of or example.as_of}.",
                dim=True,
            )
            _review(out, store, saved, as_of or example.as_of, apply_)


def _review(out: Output, store: Store, plan: Plan, day: dt.date, apply_: bool) -> None:
    """Review ``plan``, as stored, on ``day``, print it, and with ``apply_`` adopt its
    suggestions as the next revision."""
    log = store.load_log(plan.id)
    # The host's review: installed plugins' metrics and rules count too.
    result = host.review(plan, log, day)
    week = netplan.agenda(plan, log, day, day + dt.timedelta(days=7))
    _print_review(out, plan, result)
    out.line()
    _print_agenda(out, week)
    data: dict[str, Any] = {"review": result, "agenda": week}
    if apply_:
        recorded = netplan.record_review(store, result.adjust(plan))
        out.line()
        if recorded.applied:
            out.line(
                f"Adopted {len(recorded.applied)} suggestion(s) as revision "
                f"{recorded.adopted_revision}:",
                bold=True,
            )
            for applied in recorded.applied:
                out.line(f"  {applied.adjustment.describe()} (from {applied.effective})")
        else:
            out.line("Recorded the review; it suggested no adjustment.")
        data["review"] = recorded
    out.json(data)


def _print_review(out: Output, plan: Plan, result: Review, *, note: str = "") -> None:
    out.heading(f"Review of {plan.person}'s plan on {result.as_of}{note}")
    targets = {(g.id, t.id): t for g in plan.goals for t in g.targets}
    metrics = host.default_host().metrics
    habits = {(c.goal, c.target): c for c in result.consistency}
    rows = []
    for p in result.progress:
        target = targets.get((p.goal, p.target))
        amount = float(p.road.amount)
        habit = habits.get((p.goal, p.target))
        shown_status = status(p.status.value)
        rows.append(
            (
                result.goal_title(p.goal),
                result.target_words(p.goal, p.target),
                number(p.actual),
                f"{p.expected:.1f}",
                number(amount),
                Bar(p.actual / amount if amount else 1.0, colour=shown_status[1]),
                shown_status,
                "-" if p.buffer_days is None else f"{p.buffer_days} d",
                "" if habit is None or not habit.periods else
                f"{habit.strength:.0%} ({habit.met}/{habit.periods})",
                "" if target is None else
                next_step(target, p, units=metric_units(metrics.get(target.metric))),
            )
        )  # fmt: skip
    headers = tuple(name for name, _ in (("goal", ""), ("target", ""), *REVIEW_COLUMN_WORDS))
    empty = "No targets to measure: add one with netplan target GOAL '3 coffees per month'"
    if out.terminal and rows:
        # A table per goal, titled with it, the counts beside the bar ("1 of 2"): the
        # columns fit a terminal's width.
        by_goal: dict[str, list[tuple[object, ...]]] = {}
        for title, what, done, _, of, bar, state, buffer, strength, step in rows:
            by_goal.setdefault(str(title), []).append(
                (what, bar, f"{done} of {of}", state, buffer, strength, step)
            )
        for title, grouped in by_goal.items():
            out.table(
                ("target", "done", "", "status", "buffer", "habit", "next"),
                grouped,
                numeric=(1, 2, 4),
                title=title,
            )
    else:
        out.table(headers, rows, empty=empty, numeric=(2, 3, 4, 5, 7))
    for failure in result.failures:
        what = result.target_words(failure.goal, failure.target)
        title = result.goal_title(failure.goal)
        out.line(f"  could not measure {what} ({title}): {failure.error}", fg="red")
    out.line()
    out.heading(f"Findings ({len(result.findings)})")
    if not result.findings:
        out.line("  Nothing to flag.")
    groups: dict[str, list[netplan.Finding]] = {}
    for finding in result.findings:
        groups.setdefault(finding_about(result, finding), []).append(finding)
    for about, found in groups.items():
        out.line(f"  {about}", bold=True)
        for finding in found:
            label, colour = severity(finding.severity.value)
            out.line(f"    {click.style(f'[{label}]', fg=colour)} {finding.message}")
            if finding.adjustment is not None:
                out.line(f"        suggestion: {finding.adjustment.describe()}", fg="green")
    if any(f.adjustment for f in result.findings):
        out.line("  Adopt the suggestions with: netplan review --apply", dim=True)


@cli.command()
@click.option(
    "--show",
    "show",
    metavar="DAY",
    help="Print the review of DAY in full: the one recorded that day, else done again.",
)
@click.option(
    "--compare",
    nargs=2,
    metavar="DAY DAY",
    help="What changed from the review of one day to that of another.",
)
@click.option(
    "--restore",
    type=click.IntRange(min=1),
    metavar="N",
    help="Make revision N the plan again, saved as the next revision (so it can be undone too).",
)
def history(show: str | None, compare: tuple[str, str] | None, restore: int | None) -> None:
    """The plan's revisions and its recorded reviews; --show DAY prints the review of
    any past day again, --compare DAY DAY what changed between two, --restore N brings
    back revision N of the plan (undoing the changes after it)."""
    out = _settings().output
    if restore is not None and (show is not None or compare):
        raise click.UsageError("--restore goes alone, without --show or --compare")
    with _store() as store:
        plan_id = _plan_id(store)
        if restore is not None:
            _restore(out, store, plan_id, restore)
            return
        current = store.load(plan_id)
        today = _today(current)
        reviews = netplan.review_history(store, plan_id)
        if show is not None or compare:
            days = [_parse.day(d, today=today) for d in ([show] if show else list(compare or ()))]
            log = store.load_log(plan_id)
            found = [_past_review(store, current, log, reviews, day) for day in days]
            if show is not None:
                ((plan, result, again),) = found
                note = " (done again now: none was recorded that day)" if again else ""
                _print_review(out, plan, result, note=note)
                out.json({"review": result, "recorded": not again})
                return
            (_, earlier, _), (_, later, _) = found
            change = earlier.compare(later)
            out.line(str(change))
            out.json(change)
            return
        revisions = store.revisions(plan_id)
        plans = [store.load(plan_id, r) for r in revisions]
    out.heading(f"Revisions of {plan_id!r}")
    rows = [(plans[0].revision, "started", "")]
    for before, after in itertools.pairwise(plans):
        rows.append((after.revision, "changed", "; ".join(str(before.diff(after)).splitlines())))
    out.table(("revision", "", "what changed"), rows)
    out.line()
    out.heading("Reviews")
    out.table(
        ("as of", "revision", "findings", "adopted"),
        [(r.as_of, r.revision, len(r.findings), r.adopted_revision or "") for r in reviews],
        empty="None recorded yet: netplan review --apply records one.",
    )
    out.line("See one again: netplan history --show DAY (any past day).", dim=True)
    out.json(
        {
            "revisions": list(plans),
            "reviews": list(reviews),
        }
    )


def _restore(out: Output, store: Store, plan_id: str, revision: int) -> None:
    """Save revision ``revision`` of the plan as its next revision."""
    current = store.load(plan_id)
    old = store.load(plan_id, revision)
    again = attrs.evolve(old, revision=current.revision)
    if again == current:
        out.line(f"Revision {revision} is the plan as it is now: nothing to restore.")
        out.json(current)
        return
    change = "; ".join(str(current.diff(again)).splitlines())
    saved = store.save(again)
    out.line(
        f"Restored revision {revision} ({change}). Saved as revision {saved.revision}; "
        f"undo: netplan history --restore {current.revision}."
    )
    out.json(saved)


def _past_review(
    store: Store,
    current: Plan,
    log: netplan.ActivityLog,
    reviews: Sequence[Review],
    day: dt.date,
) -> tuple[Plan, Review, bool]:
    """The review of ``day`` with the plan it reviewed: the last one recorded that day,
    else done again (the log as it stood at the end of the day, the plan as it is now);
    and whether it was done again."""
    recorded = [r for r in reviews if r.as_of == day]
    if recorded:
        result = recorded[-1]
        try:
            plan = store.load(current.id, result.revision) if result.revision else current
        except NotFoundError:
            plan = current
        return plan, result, False
    return current, host.review(current, log, day), True


@cli.command()
def plugins() -> None:
    """Installed plugins, what each registers, and any that failed."""
    report = netplan.plugin_report()
    out = _settings().output
    width = shutil.get_terminal_size().columns
    for info in report:
        state = click.style("failed", fg="red") if info.error else click.style("ok", fg="green")
        origin = "built in" if info.builtin else (info.distribution or "registered")
        version = f" {info.version}" if info.version else ""
        out.line(f"{click.style(info.name, bold=True)}{version} ({origin}): {state}")
        kinds: dict[str, list[str]] = {}
        for registered in info.registers:
            kind, _, name = registered.partition(":")
            kinds.setdefault(kind, []).append(name)
        for kind, names in kinds.items():
            text = f"{kind}s: {', '.join(names)}"
            for line in textwrap.wrap(text, width - 4, subsequent_indent="  "):
                out.line(f"  {line}")
        if info.error:
            out.line(f"  {info.error}", fg="red")
        if info.slow:
            out.line(
                f"  slow: {info.load_seconds:.1f} s to load, which every command waits for",
                fg="yellow",
            )
    for name in report.disabled:
        out.line(f"disabled: {name}", dim=True)
    for note in report.notes:
        out.line(note, fg="yellow")
    out.json(report)


@cli.command()
def metrics() -> None:
    """Every metric a target can count, what it counts, and the plugin it comes from."""
    installed = host.default_host()
    sources = installed.sources("metric")
    builtin = {info.name for info in installed.report() if info.builtin}
    rows = []
    for name, metric in sorted(installed.metrics.items()):
        units = metric_units(metric)
        one, many = unit(name, 1, units), unit(name, 2, units)
        words = SHARES.get(name) or (one if one == many else f"{one}, {many}")
        plugin = sources.get(name, "")
        origin = "built in" if plugin in builtin else plugin
        rows.append((name, words, origin, metric.description))
    out = _settings().output
    out.table(
        ("metric", "reads as", "from", "what it measures"),
        rows,
        empty="No metric is installed: check NETPLAN_PLUGINS and NETPLAN_DISABLE_PLUGINS",
    )
    out.json(
        [
            {"name": name, "reads_as": words, "from": origin, "description": text}
            for name, words, origin, text in rows
        ]
    )


@cli.group("plugin")
def plugin_() -> None:
    """Write a plugin of your own (`netplan plugins` lists those installed)."""


@plugin_.command("new")
@click.argument("name")
@click.option(
    "--hooks",
    "hooks",
    multiple=True,
    metavar="LIST",
    help="The examples to write, comma-separated: metric, rule, importer, exporter, store, "
    "skills (default: all).",
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default="the current folder",
    help="The folder to write the package's folder in.",
)
def plugin_new(name: str, hooks: Sequence[str], into: Path) -> None:
    """Write a plugin package NAME (such as netplan-mentoring): an entry point, a working
    example of each hook chosen, tests through the entry point, a README."""
    # Imported here: the templates are read by this command alone.
    from netplan.plugins.template import HOOKS, new_plugin, plugin_names

    chosen = [hook.strip() for text in hooks for hook in text.split(",") if hook.strip()]
    for hook in chosen:
        if hook not in HOOKS:
            close = _closest(hook, HOOKS)
            hint = f"; did you mean {_either(close)}?" if close else ""
            raise click.BadParameter(
                f"{hook!r} is not one of {', '.join(HOOKS)}{hint}", param_hint="--hooks"
            )
    if hooks and not chosen:
        raise click.BadParameter(f"name one or more of {', '.join(HOOKS)}", param_hint="--hooks")
    chosen = [hook for hook in HOOKS if hook in chosen] if chosen else list(HOOKS)
    folder = new_plugin(name, hooks=chosen, into=into)
    names = plugin_names(name)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    out = _settings().output
    # "./": pip reads a bare name as a package to fetch from the index, not a folder.
    shown = folder.as_posix() if folder.as_posix().startswith(("/", ".")) else f"./{folder}"
    install = shlex.quote(f"{shown}[test]")
    out.line(f"Wrote {shown}: the netplan plugin {names.plugin!r}, module {names.module}.")
    out.line(f"Examples: {', '.join(chosen)}. Next, in a virtual environment:")
    out.line(f"  python -m pip install -e {install}")
    out.line(f"  cd {shlex.quote(shown)} && python -m pytest")
    out.json(
        {
            "folder": str(folder),
            "distribution": names.distribution,
            "module": names.module,
            "plugin": names.plugin,
            "hooks": chosen,
            "files": files,
        }
    )


# -- running -------------------------------------------------------------------------------


def _change_plan(change: Callable[[Plan], Plan], message: str | Callable[[Plan], str]) -> Plan:
    """Change the plan and save it as its next revision (`netplan history` lists it, and
    `netplan history --restore N` brings back the one before)."""
    with _store() as store:
        return _save_change(store, _plan_id(store), change, message)


def _save_change(
    store: Store,
    plan_id: str,
    change: Callable[[Plan], Plan],
    message: str | Callable[[Plan], str],
) -> Plan:
    out = _settings().output
    saved = store.save(change(store.load(plan_id)))
    said = message if isinstance(message, str) else message(saved)
    out.line(f"{said} Saved as revision {saved.revision}.")
    out.json(saved)
    return saved


def _fail(message: str, code: int = 1) -> int:
    one_line = " ".join(message.split())
    click.echo(click.style("netplan: ", fg="red", bold=True) + one_line, err=True)
    return code


_GLOBAL_FLAGS = ("--json", "--debug")
_GLOBAL_OPTIONS = ("--store", "--plan")


def _globals_first(args: list[str]) -> list[str]:
    """The arguments with the options of every command moved before the command's name,
    so ``netplan init --store URL`` works as ``netplan --store URL init`` does."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in _GLOBAL_FLAGS or arg.startswith(tuple(f"{o}=" for o in _GLOBAL_OPTIONS)):
            front.append(arg)
        elif arg in _GLOBAL_OPTIONS and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: the process's arguments); the exit status."""
    args = _globals_first(list(sys.argv[1:] if argv is None else argv))
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="netplan", standalone_mode=False)
    except click.exceptions.Abort:
        return _fail("stopped.", 130)
    except click.ClickException as error:
        if debug:
            raise
        return _fail(error.format_message(), error.exit_code)
    except (NetplanError, OSError) as error:
        if debug:
            raise
        # The person's own machine: the detail, naming the store's file or server.
        said = cli_words(error.detail if isinstance(error, NetplanError) else str(error))
        return _fail(f"{said}{_hint(error, said)}")
    except Exception as error:  # a bug: still one line, and the way to the traceback
        if debug:
            raise
        return _fail(
            f"unexpected {type(error).__name__}: {error} (a bug in netplan or a plugin; "
            "run again with --debug for the traceback, and report it)"
        )
    except SystemExit as done:  # --help and --version end this way
        return int(done.code or 0)
    return 0


def _hint(error: BaseException, said: str) -> str:
    if isinstance(error, netplan.StoreNotFoundError):
        if "netplan init" in said:
            return " (or pass --store URL)"
        return " (start a plan with `netplan init --name NAME`, or pass --store URL)"
    return ""


_INIT = "`netplan init --name NAME`"

LIBRARY_WORDS: tuple[tuple[str, str], ...] = (
    # A store: the command makes one with `netplan init`.
    (r"pass create=True\b", f"run {_INIT}"),
    (r"open (?:the store )?(?:again )?with create=True\b", f"run {_INIT}"),
    (r"create=True\b", f"{_INIT} (it makes the store)"),
    # import and export
    (r"pass format=(?=\W|$)", "pass --format NAME"),
    (r"format=(?=\W|$)", "--format NAME"),
    (r"format=", "--format "),
    (r"(?:import|export)\.format\b", "--format"),
    (r"import\.path\b", "PATH"),
    (r"skip_bad(?:=True)?\b", "--skip-bad"),
    (r"dry_run(?:=True)?\b", "--dry-run"),
    (r"widen the window\b", "widen the days with --from and --to"),
    # correcting the log
    (r"pass with_interactions=True\b", "pass --with-interactions"),
    (r"merge_contacts\(\)", "`netplan contacts merge`"),
)
"""What the library says in Python (its keyword arguments), and what the command says
instead (its options): every error and import problem goes through :func:`cli_words`."""

# Each a whole word: not the end of another (an option's "--format=" stays as it is).
_LIBRARY_WORDS = [(re.compile(rf"(?<![-\w.]){pattern}"), words) for pattern, words in LIBRARY_WORDS]


def cli_words(text: str) -> str:
    """``text`` with the library's keyword arguments named as the command's options:
    "import with skip_bad" reads "import with --skip-bad"."""
    for pattern, words in _LIBRARY_WORDS:
        text = pattern.sub(words, text)
    return text
