"""What a person reads in a notebook (issue 18): names, not slugs; schedules and targets in
words; a bar per target; findings by goal; who an import added; DataFrames of findings and
consistency."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest

import netplan
from netplan.notebook.html import assessment_html, import_report_html, plan_html, review_html

D = dt.date
AS_OF = D(2026, 11, 20)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), netplan.UTC)


@pytest.fixture
def plan() -> netplan.Plan:
    plan = netplan.Plan("Maya", start=D(2026, 9, 1))
    plan = plan.add_goal(
        netplan.Goal(
            "Learn about climate tech",
            targets=[
                netplan.Target(3, "coffees", per="month", segment=netplan.Segment(tag="climate"))
            ],
        )
    )
    plan = plan.add_goal(
        netplan.Goal("Be visible", targets=[netplan.Target(1, "posts", per="week")])
    )
    plan = plan.add_action(
        netplan.PlannedAction(
            "Climate meetup",
            kind="attend_events",
            schedule=netplan.Recurrence.nth_weekday("TU", 2, start=D(2026, 9, 1)),
            goals={"learn-about-climate-tech"},
            skills={"working_a_room"},
        )
    )
    first = netplan.SkillAssessment(D(2026, 9, 1), [netplan.Rating("following_up", 2, desired=4)])
    second = netplan.SkillAssessment(
        D(2026, 11, 1),
        [netplan.Rating("following_up", 3, desired=4), netplan.Rating("online_presence", 2)],
    )
    return plan.assess(first).assess(second)


@pytest.fixture
def log() -> netplan.ActivityLog:
    lena = netplan.Contact("Lena Berg", tags={"climate"})
    return netplan.ActivityLog(
        [
            lena,
            netplan.Interaction("coffee", at(D(2026, 9, 3)), contact=lena.id),
            netplan.Interaction("coffee", at(D(2026, 11, 3)), contact=lena.id),
            netplan.Interaction("post", at(D(2026, 11, 17))),
        ]
    )


@pytest.fixture
def review(plan: netplan.Plan, log: netplan.ActivityLog) -> netplan.Review:
    return netplan.review(plan, log, AS_OF)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_a_review_names_goals_and_targets_as_the_plan_does(review: netplan.Review) -> None:
    html = review_html(review)
    assert "Learn about climate tech" in html
    assert "3 coffees a month (tagged climate)" in html and "1 post a week" in html
    assert "learn-about-climate-tech" not in html and "be-visible" not in html
    # A review recorded before netplan kept names is shown by its ids, as before.
    older = review_html(attrs.evolve(review, names=()))
    assert "learn-about-climate-tech" in older and "coffees" in older


def test_a_review_has_a_bar_per_target_and_its_habit(review: netplan.Review) -> None:
    html = review_html(review)
    coffees = next(p for p in review.progress if p.target == "coffees")
    done = coffees.actual / float(coffees.road.amount)
    bars = re.findall(r"left:0;top:0;bottom:0;width:([\d.]+)%", html)
    assert len(bars) == len(review.progress)
    assert float(bars[0]) == pytest.approx(100 * done, abs=0.1)
    habit = next(c for c in review.consistency if c.target == "coffees")
    assert f"{habit.strength:.0%} ({habit.met} of {habit.periods} met" in html


def test_a_review_s_findings_are_grouped_by_goal(review: netplan.Review) -> None:
    html = review_html(review)
    about = {
        f.subject.id.partition("/")[0] for f in review.findings if f.subject.kind.value == "target"
    }
    assert about, "the fixture's review should find something about a target"
    titles = {"learn-about-climate-tech": "Learn about climate tech", "be-visible": "Be visible"}
    for goal in about:
        assert f"<b>{titles[goal]}</b>" in html


def test_a_plan_says_targets_schedules_and_skill_changes_in_words(plan: netplan.Plan) -> None:
    html = plan_html(plan)
    assert "1 post a week" in html and "1 posts" not in html
    assert "the 2nd Tuesday of every month, from 2026-09-01" in html
    assert "FREQ=" not in html
    # Actions name their goals and skills.
    assert "Working a room at events" in text_of(html)
    # The latest assessment, with its change since the one before.
    assert "since 2026-09-01" in html and "+1 (from 2)" in html and "new" in text_of(html)


def test_an_assessment_alone_shows_no_change_column() -> None:
    html = assessment_html(
        netplan.SkillAssessment(D(2026, 9, 1), [netplan.Rating("following_up", 2)])
    )
    assert "since" not in html


def test_an_import_report_says_who_it_added_and_merged() -> None:
    report = netplan.core.importing.ImportReport(
        "Connections.csv",
        "linkedin_connections",
        added=tuple(f"person-{n}" for n in range(35)),
        merged=("lena-berg",),
        unchanged=0,
        interactions=35,
        duplicate_interactions=0,
        conflicts=(),
        problems=(),
    )
    html = import_report_html(report)
    assert "Contacts added (35)" in html and "person-0, person-1" in html
    assert "person-29" in html and "person-30" not in html and "and 5 more" in html
    assert "Contacts merged (1)" in html and "lena-berg" in html


def test_findings_and_consistency_as_dataframes(review: netplan.Review) -> None:
    pd = pytest.importorskip("pandas")
    findings = review.to_dataframe(table="findings")
    assert list(findings.columns) == list(netplan.notebook.frames.FINDING_COLUMNS)
    assert len(findings) == len(review.findings)
    assert list(findings["rule"]) == [f.rule for f in review.findings]
    assert isinstance(findings["severity"].dtype, pd.CategoricalDtype)
    targets = findings[findings["subject_kind"] == "target"]
    assert set(targets["about"]) <= {"Learn about climate tech", "Be visible"}
    habits = review.to_dataframe(table="consistency")
    assert list(habits["target_words"]) == [
        review.target_words(c.goal, c.target) for c in review.consistency
    ]
    assert list(habits["strength"]) == [c.strength for c in review.consistency]
    with pytest.raises(netplan.ValidationError, match="'targets', 'findings' or 'consistency'"):
        review.to_dataframe(table="goals")


def test_a_review_keeps_its_names_through_its_data(review: netplan.Review) -> None:
    data: Any = netplan.to_data(review)
    assert netplan.from_data(data) == review
    # Data recorded before the names were kept still reads, without them.
    del data["data"]["names"]
    assert netplan.from_data(data).names == ()


def test_a_contact_view_has_every_interaction_the_last_touch_cadence_and_what_is_due() -> None:
    plan = netplan.Plan("Maya", start=D(2026, 9, 1), timezone="America/Los_Angeles")
    plan = plan.keep_in_touch_with(netplan.CadenceRule.tier("a", ideal_days=21))
    lena = netplan.Contact("Lena Berg", tier="a", organization="acme")
    log = netplan.ActivityLog(
        [
            netplan.Organization("Acme Energy", id="acme"),
            lena,
            netplan.Contact("Omar Haddad"),
            netplan.Interaction("met", at(D(2026, 10, 1)), contact=lena.id),
            netplan.Interaction("coffee", at(D(2026, 10, 20)), contact=lena.id),
            netplan.Interaction("coffee", at(D(2026, 10, 21)), contact="omar-haddad"),
            # After the day viewed: not known yet.
            netplan.Interaction("call", at(D(2026, 12, 1)), contact=lena.id),
        ]
    )
    view = netplan.contact_view(plan, log, "lena-berg", D(2026, 11, 20))
    assert [i.kind.value for i in view.interactions] == ["met", "coffee"]
    assert view.last_on == D(2026, 10, 20) and view.days_since == 31
    assert view.cadence is not None and view.cadence.ideal_days == 21
    assert view.next_touch == D(2026, 11, 10)
    assert view.organization is not None and view.organization.name == "Acme Energy"
    # What the agenda has with her: getting in touch, overdue (and not Omar's items).
    assert [i.kind.value for i in view.due] == ["keep_in_touch"]
    assert all(i.contact == "lena-berg" for i in view.due) and view.due[0].overdue_days > 0
    html = view._repr_html_()
    assert html is not None and "Acme Energy" in html and "Last touch 2026-10-20" in html
    assert html.index("2026-10-20") < html.index("2026-10-01")  # most recent first
    # Times in the plan's zone: noon UTC is five in the morning in Los Angeles in October.
    assert "2026-10-20 05:00" in html and "12:00" not in html
    assert "2026-10-20 05:00 coffee" in str(view)
    assert "Omar" not in html
    # The contact alone shows who they are.
    alone = lena._repr_html_()
    assert alone is not None and "Lena Berg" in alone and "Interactions" not in alone
    with pytest.raises(netplan.NotFoundError, match="no contact 'lena-berj'"):
        netplan.contact_view(plan, log, "lena-berj", D(2026, 11, 20))
