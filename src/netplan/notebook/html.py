"""HTML for Jupyter: plans, reviews, agendas, import reports and skill assessments.

Each function gives a small fragment of HTML: inline-styled tables, no JavaScript, no
external stylesheet, so it renders the same in JupyterLab, VS Code and a static export,
light theme or dark. Every piece of text that came from a person (a contact's name, a
note, a file name) is escaped: ``<script>`` in a name stays text.

The classes call these from ``_repr_html_``, so a notebook shows a review as a table just
by ending a cell with it:

>>> import datetime as dt
>>> import netplan
>>> from netplan.notebook.html import plan_html
>>> html = plan_html(netplan.Plan("<Maya>", start=dt.date(2026, 11, 1)))
>>> "&lt;Maya&gt;" in html and "<Maya>" not in html
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from netplan.core.agenda import Agenda, AgendaItem, ContactView, ItemState
from netplan.core.evaluation import Review, finding_about
from netplan.core.findings import Finding
from netplan.core.importing import ImportReport
from netplan.core.network import Contact
from netplan.core.pace import Consistency, Progress, Status
from netplan.core.plan import Plan
from netplan.core.schedule import Recurrence, Schedule
from netplan.core.skills import BUILTIN_SKILLS, Catalog, SkillAssessment

__all__ = [
    "agenda_html",
    "assessment_html",
    "contact_html",
    "import_report_html",
    "plan_html",
    "review_html",
]


class _Html(str):
    """Markup built here, from escaped pieces: inserted as it is."""

    __slots__ = ()


Cell = str | int | float | None

_BOX = "font-family:inherit;line-height:1.4"
_TABLE = "border-collapse:collapse;margin:0.3em 0 0.8em 0;font-size:0.92em"
# Jupyter right-aligns table cells by default: say which way each one goes.
_TH = "padding:3px 10px;border-bottom:2px solid #888;text-align:left"
_TD = "padding:3px 10px;border-bottom:1px solid #8884;text-align:left;vertical-align:top"
_TH_NUM = "padding:3px 10px;border-bottom:2px solid #888;text-align:right"
_TD_NUM = "padding:3px 10px;border-bottom:1px solid #8884;text-align:right;vertical-align:top"
_HEAD = "margin:0.4em 0 0.2em 0;font-size:1.1em;font-weight:600"
_SECTION = "margin:0.6em 0 0.1em 0;font-weight:600"
_NOTE = "margin:0.1em 0;opacity:0.8"

STATUS_COLOURS = {
    Status.BEHIND: "#c62828",
    Status.AT_RISK: "#e65100",
    Status.ON_TRACK: "#2e7d32",
    Status.AHEAD: "#1b5e20",
    Status.DONE: "#1565c0",
}
"""Each status's colour, in the tables and the plots (:mod:`netplan.notebook.plots`)."""
_SEVERITY_COLOUR = {
    "info": "#546e7a",
    "warning": "#e65100",
    "urgent": "#c62828",
    "failed": "#6a1b9a",
}


def _e(value: object) -> _Html:
    """``value`` as text, escaped (markup built here is kept as it is)."""
    if isinstance(value, _Html):
        return value
    return _Html(html.escape(str(value), quote=True))


def _number(value: float) -> str:
    return f"{value:.1f}" if value != int(value) else f"{value:g}"


def _cell(value: Cell) -> _Html:
    if value is None:
        return _Html("")
    if isinstance(value, float):
        return _e(_number(value))
    return _e(value)


def _badge(text: str, colour: str) -> _Html:
    return _Html(
        f'<span style="background:{colour};color:#fff;padding:0 6px;border-radius:3px;'
        f'white-space:nowrap">{_e(text)}</span>'
    )


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], numeric: Iterable[int] = ()
) -> _Html:
    right = set(numeric)
    head = "".join(
        f'<th style="{_TH_NUM if i in right else _TH}">{_e(h)}</th>' for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="{_TD_NUM if i in right else _TD}">{_cell(c)}</td>'
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return _Html(
        f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _heading(text: str) -> _Html:
    return _Html(f'<div style="{_HEAD}">{_e(text)}</div>')


def _section(text: str) -> _Html:
    return _Html(f'<div style="{_SECTION}">{_e(text)}</div>')


def _note(text: str | _Html) -> _Html:
    return _Html(f'<div style="{_NOTE}">{_e(text)}</div>')


def _lines(items: Iterable[str | _Html]) -> _Html:
    return _Html("<br>".join(_e(i) for i in items))


def _box(kind: str, parts: Iterable[str | _Html]) -> str:
    return f'<div class="netplan-{kind}" style="{_BOX}">{"".join(_e(p) for p in parts)}</div>'


def plan_html(plan: Plan) -> str:
    """A plan: its goals and targets, latest assessment, actions and cadences."""
    parts: list[str | _Html] = [
        _heading(f"Plan of {plan.person}"),
        _note(f"from {plan.start} · revision {plan.revision} · timezone {plan.timezone}"),
    ]
    if plan.notes:
        parts.append(_note(plan.notes))
    parts.append(_section(f"Goals ({len(plan.goals)})"))
    if plan.goals:
        parts.append(
            _table(
                ["goal", "kind", "status", "targets", "until"],
                (
                    (
                        g.title,
                        g.kind.value.replace("_", " "),
                        g.status.value.replace("_", " "),
                        _lines(t.describe() for t in g.targets) if g.targets else "no targets",
                        None if g.until is None else str(g.until),
                    )
                    for g in plan.goals
                ),
            )
        )
    else:
        parts.append(_note("none yet: plan.add_goal(netplan.Goal(...))"))
    latest = plan.latest_assessment
    if latest is not None:
        parts.append(_section(f"Latest assessment ({latest.on}, {len(plan.assessments)} in all)"))
        earlier = [a for a in plan.assessments if a.on < latest.on]
        parts.append(_assessment_summary(latest, plan.catalog, earlier[-1] if earlier else None))
    goal_titles = {g.id: g.title for g in plan.goals}
    skill_names = {skill_id: plan.catalog[skill_id].name for skill_id in plan.catalog}
    parts.append(_section(f"Actions ({len(plan.actions)})"))
    if plan.actions:
        parts.append(
            _table(
                ["action", "kind", "schedule", "goals", "skills"],
                (
                    (
                        a.title,
                        a.kind.value.replace("_", " "),
                        _schedule(a.schedule),
                        ", ".join(sorted(goal_titles.get(g, g) for g in a.goals)),
                        ", ".join(sorted(skill_names.get(k, k) for k in a.skills)),
                    )
                    for a in plan.actions
                ),
            )
        )
    else:
        parts.append(_note("none yet: plan.add_action(netplan.PlannedAction(...))"))
    habits: list[str] = []
    if plan.follow_up is not None:
        policy = plan.follow_up
        after = ", ".join(sorted(k.value for k in policy.after))
        where = f" in {policy.segment}" if policy.segment is not None else ""
        habits.append(f"Follow up within {policy.within_days} days after {after}{where}")
    habits.extend(
        f"Keep in touch with {r.scope.value} {r.key}: every {r.ideal_days} days, "
        f"at most {r.max_days}"
        for r in plan.keep_in_touch
    )
    if habits:
        parts.append(_section("Habits"))
        parts.append(_note(_lines(habits)))
    return _box("plan", parts)


def _schedule(schedule: Schedule | None) -> str:
    if schedule is None:
        return "unscheduled"
    if isinstance(schedule, Recurrence):
        return f"{schedule.describe()}, from {schedule.start}"
    return str(schedule)


def _status(status: Status) -> _Html:
    return _badge(status.value.replace("_", " "), STATUS_COLOURS[status])


def _bar(progress: Progress) -> _Html:
    """How far a target is, as a bar: done (in its status's colour) out of the amount,
    with a tick where a steady pace would be on the day reviewed."""
    amount = float(progress.road.amount)
    done = 1.0 if amount <= 0 else max(0.0, min(1.0, progress.actual / amount))
    pace = 0.0 if amount <= 0 else max(0.0, min(1.0, progress.expected / amount))
    colour = STATUS_COLOURS[progress.status]
    return _Html(
        f'<span title="{done:.0%} done; a steady pace would be at {pace:.0%}" '
        'style="display:inline-block;position:relative;width:90px;height:0.8em;'
        'background:#8883;border-radius:2px;vertical-align:middle">'
        f'<span style="position:absolute;left:0;top:0;bottom:0;width:{done * 100:.1f}%;'
        f'background:{colour};border-radius:2px"></span>'
        f'<span style="position:absolute;top:-2px;bottom:-2px;left:{pace * 100:.1f}%;'
        'border-left:2px solid #444"></span></span>'
    )


def _habit(habit: Consistency | None) -> str | None:
    if habit is None:
        return None
    if not habit.periods:
        return "no period completed yet"
    return (
        f"{habit.strength:.0%} ({habit.met} of {habit.periods} met, streak {habit.current_streak})"
    )


def review_html(review: Review) -> str:
    """A review: each target against its pace (named as the plan names it, with a bar and
    its habit strength), the findings grouped by goal, and the skills."""
    parts: list[str | _Html] = [
        _heading(f"Review of {review.plan} on {review.as_of}"),
        _note(f"plan revision {review.revision}"),
    ]
    habits = {(c.goal, c.target): c for c in review.consistency}
    if review.progress:
        parts.append(_section("Targets"))
        parts.append(
            _table(
                [
                    "goal",
                    "target",
                    "progress",
                    "actual",
                    "amount",
                    "expected",
                    "projected",
                    "status",
                    "buffer (days)",
                    "habit strength",
                    "road",
                ],
                (
                    (
                        review.goal_title(p.goal),
                        review.target_words(p.goal, p.target),
                        _bar(p),
                        p.actual,
                        float(p.road.amount),
                        p.expected,
                        p.projected,
                        _status(p.status),
                        "-" if p.buffer_days is None else p.buffer_days,
                        _habit(habits.get((p.goal, p.target))),
                        f"{p.road.start} to {p.road.end}",
                    )
                    for p in review.progress
                ),
                numeric=(3, 4, 5, 6, 8),
            )
        )
    if review.failures:
        parts.append(_section("Not measured"))
        parts.append(
            _table(
                ["goal", "target", "metric", "why", "plugin"],
                (
                    (
                        review.goal_title(f.goal),
                        review.target_words(f.goal, f.target),
                        f.metric,
                        f.error,
                        f.plugin,
                    )
                    for f in review.failures
                ),
            )
        )
    parts.append(_section(f"Findings ({len(review.findings)})"))
    if review.findings:
        groups: dict[str, list[Finding]] = {}
        for finding in review.findings:
            groups.setdefault(finding_about(review, finding), []).append(finding)
        for about, found in groups.items():
            parts.append(_note(_Html(f"<b>{_e(about)}</b> ({len(found)})")))
            parts.append(
                _table(
                    ["severity", "finding", "suggestion"],
                    (
                        (
                            _badge(
                                f.severity.value, _SEVERITY_COLOUR.get(f.severity.value, "#555")
                            ),
                            f.message,
                            None if f.adjustment is None else f.adjustment.describe(),
                        )
                        for f in found
                    ),
                )
            )
    else:
        parts.append(_note("nothing to report"))
    if review.skills:
        parts.append(_section("Skills since the previous assessment"))
        parts.append(
            _table(
                ["skill", "before", "after", "change"],
                (
                    (
                        _skill_name(s.skill),
                        s.before,
                        s.after,
                        None if s.delta is None else f"{s.delta:+d}",
                    )
                    for s in review.skills
                ),
                numeric=(1, 2, 3),
            )
        )
    if review.applied:
        parts.append(_section("Applied"))
        parts.append(
            _note(_lines(f"{a.adjustment.describe()} (from {a.effective})" for a in review.applied))
        )
        if review.adopted_revision is not None:
            parts.append(_note(f"adopted as plan revision {review.adopted_revision}"))
    return _box("review", parts)


def _skill_name(skill: str) -> str:
    """A built-in skill's name, or the id of another (a review keeps ids only)."""
    return _BUILTIN_SKILL_NAMES.get(skill, skill)


_BUILTIN_SKILL_NAMES = {skill.id: skill.name for skill in BUILTIN_SKILLS}


def agenda_html(agenda: Agenda) -> str:
    """An agenda: what is due, most pressing first, overdue items marked."""
    parts: list[str | _Html] = [
        _heading(f"Agenda {agenda.start} to {agenda.end}"),
        _note(f"as of {agenda.as_of} · {len(agenda.items)} items"),
    ]
    if agenda.items:
        parts.append(
            _table(
                ["due", "kind", "what", "state", "overdue (days)", "priority"],
                (
                    (
                        str(i.due),
                        i.kind.value.replace("_", " "),
                        i.reason,
                        _item_state(i),
                        _badge(str(i.overdue_days), STATUS_COLOURS[Status.BEHIND])
                        if i.overdue_days
                        else None,
                        i.priority,
                    )
                    for i in agenda.items
                ),
                numeric=(4, 5),
            )
        )
    else:
        parts.append(_note("nothing due"))
    return _box("agenda", parts)


def contact_html(contact: Contact | ContactView) -> str:
    """A contact: who they are; from a :class:`~netplan.core.agenda.ContactView`
    (:func:`netplan.contact_view`) also the last touch, their cadence, what is due with
    them and every interaction, most recent first."""
    view = contact if isinstance(contact, ContactView) else None
    person = contact.contact if isinstance(contact, ContactView) else contact
    where = person.organization
    if view is not None and view.organization is not None:
        where = view.organization.name
    facts = [("organization", where), *person.facts()] if where else list(person.facts())
    parts: list[str | _Html] = [_heading(person.name), _table(["", ""], facts)]
    if view is None:
        return _box("contact", parts)
    if view.last_on is None:
        parts.append(_note(f"No interaction yet (as of {view.as_of})."))
    else:
        parts.append(
            _note(f"Last touch {view.last_on}: {view.days_since} days before {view.as_of}.")
        )
    if view.cadence is not None:
        late = view.next_touch is not None and view.next_touch < view.as_of
        when = (
            _badge(f"due {view.next_touch}", STATUS_COLOURS[Status.BEHIND])
            if late
            else _e(f"next by {view.next_touch}")
        )
        parts.append(
            _note(
                _Html(
                    f"Keep in touch every {view.cadence.ideal_days} days "
                    f"({_e(view.cadence.source or 'the plan')}): {when}"
                )
            )
        )
    parts.append(_section(f"Due ({len(view.due)})"))
    if view.due:
        parts.append(
            _table(
                ["due", "what", "overdue (days)"],
                ((str(i.due), i.reason, i.overdue_days or None) for i in view.due),
                numeric=(2,),
            )
        )
    else:
        parts.append(_note("nothing due this week"))
    parts.append(_section(f"Interactions ({len(view.interactions)})"))
    if view.interactions:
        parts.append(
            _table(
                ["when", "kind", "channel", "direction", "event", "notes"],
                (
                    (
                        view.when(i),
                        i.kind.value.replace("_", " "),
                        i.channel.value.replace("_", " "),
                        i.direction.value,
                        i.event,
                        i.notes,
                    )
                    for i in reversed(view.interactions)
                ),
            )
        )
    return _box("contact", parts)


def _item_state(item: AgendaItem) -> str | _Html | None:
    if item.state is ItemState.DONE:
        return _badge("done", STATUS_COLOURS[Status.DONE])
    if item.state is ItemState.PARTLY_DONE:
        return f"{item.done} of {item.count} done"
    return "skipped" if item.state is ItemState.SKIPPED else None


def import_report_html(report: ImportReport) -> str:
    """An import report: what was (or would be) added and merged, conflicts and problems."""
    verb = "would add" if report.dry_run else "added"
    parts: list[str | _Html] = [
        _heading(f"Import of {report.file}"),
        _note(
            f"format {report.format}"
            + (" · dry run: nothing was changed" if report.dry_run else "")
        ),
        _table(
            ["", "count"],
            (
                (f"contacts {verb}", len(report.added)),
                ("contacts merged (gained details)", len(report.merged)),
                ("people already known", report.unchanged),
                (f"interactions {verb}", report.interactions),
                ("interactions already logged", report.duplicate_interactions),
                (f"events {verb}", len(report.events)),
                ("events already known", report.known_events),
                ("conflicts", len(report.conflicts)),
                ("problems", len(report.problems)),
            ),
            numeric=(1,),
        ),
    ]
    for title, ids in ((f"Contacts {verb}", report.added), ("Contacts merged", report.merged)):
        if ids:
            parts.append(_section(f"{title} ({len(ids)})"))
            parts.append(_note(_some(ids)))
    if report.events:
        parts.append(_section(f"Events {verb} ({len(report.events)})"))
        parts.append(_note(_some(report.events)))
    if report.conflicts:
        parts.append(_section("Conflicts (the value kept is the log's)"))
        parts.append(
            _table(
                ["where", "contact", "field", "kept", "the file says"],
                ((str(c.source), c.contact, c.field, c.kept, c.offered) for c in report.conflicts),
            )
        )
    if report.problems:
        parts.append(_section("Problems: what was left out, and why"))
        parts.append(
            _table(
                ["where", "level", "field", "problem"],
                (
                    (
                        str(p.source),
                        _badge(p.level.value, _SEVERITY_COLOUR.get(p.level.value, "#555")),
                        p.field,
                        p.message,
                    )
                    for p in report.problems
                ),
            )
        )
    return _box("import-report", parts)


_LISTED = 30
"""The ids an import report lists in full; the rest are counted."""


def _some(ids: Sequence[str]) -> str:
    """``ids`` in the order of the file, the first :data:`_LISTED` of them."""
    shown = ", ".join(ids[:_LISTED])
    return shown if len(ids) <= _LISTED else f"{shown} and {len(ids) - _LISTED} more"


def _dots(level: int) -> str:
    return "●" * level + "○" * (5 - level)


def _assessment_summary(
    assessment: SkillAssessment, catalog: Catalog, previous: SkillAssessment | None = None
) -> _Html:
    # Not ``skill in catalog``: a catalog's lookup raises NotFoundError, not KeyError.
    names = {skill_id: catalog[skill_id].name for skill_id in catalog}

    def name(skill: str) -> str:
        return names.get(skill, skill)

    before = {} if previous is None else {r.skill: r.level for r in previous.ratings}

    def change(skill: str, level: int) -> str | None:
        if skill not in before:
            return None if previous is None else "new"
        delta = level - before[skill]
        return f"{delta:+d} (from {before[skill]})" if delta else "same"

    headers = ["skill", "level", "wanted", "gap", "evidence"]
    if previous is not None:
        headers.insert(2, f"since {previous.on}")
    rows = []
    for r in assessment.ratings:
        row: list[Cell] = [
            name(r.skill),
            _Html(f'<span title="{r.level} of 5">{_dots(r.level)}</span> {r.level}'),
            r.desired,
            r.gap or None,
            r.evidence,
        ]
        if previous is not None:
            row.insert(2, change(r.skill, r.level))
        rows.append(row)
    numeric = (3, 4) if previous is not None else (2, 3)
    parts: list[str | _Html] = [_table(headers, rows, numeric=numeric)]
    areas = assessment.improvement_areas()
    if areas:
        parts.append(
            _note(
                "Improvement areas, largest gap first: " + ", ".join(name(r.skill) for r in areas)
            )
        )
    strengths = assessment.strengths()
    if strengths:
        parts.append(_note("Strengths: " + ", ".join(name(r.skill) for r in strengths)))
    return _Html("".join(_e(p) for p in parts))


def assessment_html(
    assessment: SkillAssessment,
    catalog: Catalog | None = None,
    *,
    previous: SkillAssessment | None = None,
) -> str:
    """A skill assessment: each rating (with its change since ``previous``, the
    assessment before, when given: a plan's table gives it), the improvement areas and
    the resources.

    ``catalog`` names the skills (default: the built-in catalog; a skill it does not know
    is shown by its id).
    """
    known = Catalog(BUILTIN_SKILLS) if catalog is None else catalog
    parts: list[str | _Html] = [
        _heading(f"Skill assessment on {assessment.on}"),
        _assessment_summary(assessment, known, previous),
    ]
    res = assessment.resources
    facts = [
        f"{res.hours_per_week:g} hours a week",
        f"{res.budget_per_month} {res.currency} a month",
    ]
    if res.memberships:
        facts.append("member of " + ", ".join(res.memberships))
    if res.network.contacts or res.network.close_ties:
        facts.append(f"{res.network.contacts} contacts, {res.network.close_ties} close ties")
    parts.append(_note("Resources: " + "; ".join(facts)))
    if assessment.notes:
        parts.append(_note(assessment.notes))
    return _box("assessment", parts)
