"""A person can fix their plan's mistakes: goals, targets and actions edited and removed,
every change undone from the history, and typos refused before they are saved (a
metric or contact that does not exist, a new name that is more likely a misspelling).

The command's tests call :func:`netplan.cli.main` in the process, with the fixed clock of
tests/test_cli.py.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import sys
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
import netplan.cli
from _cli import ok, run
from netplan.cli import LIBRARY_WORDS, cli_words
from netplan.core.metrics import CountInteractions
from netplan.plugins import hookimpl
from netplan.plugins import host as plugin_host
from netplan.plugins.hookspecs import MetricRegister
from netplan.testing import strategies as nst

D = dt.date
NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
SRC = Path(netplan.__file__).parent


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netplan.cli, "_now", lambda: NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite://{tmp_path / 'plans.db'}"
    monkeypatch.setenv("NETPLAN_STORE", url)
    return url


def fails(capsys: pytest.CaptureFixture[str], *args: str, code: int = 1) -> str:
    """The one line a mistake prints, checked to be one line with the status ``code``."""
    got, _, err = run(capsys, *args)
    assert got == code, err
    assert err.startswith("netplan: ") and len(err.strip().splitlines()) == 1, err
    return err


def stored(url: str, plan_id: str = "maya") -> netplan.Plan:
    with netplan.open(url) as opened:
        return opened.load(plan_id)


def revisions(url: str, plan_id: str = "maya") -> tuple[int, ...]:
    with netplan.open(url) as opened:
        return opened.revisions(plan_id)


def same(a: netplan.Plan, b: netplan.Plan) -> bool:
    """Whether two plans hold the same, whatever their revision numbers."""
    return attrs.evolve(a, revision=0) == attrs.evolve(b, revision=0)


# -- the library: Plan's edits -------------------------------------------------------------


def test_editing_a_goal_changes_what_was_given_and_keeps_its_id(maya: netplan.Plan) -> None:
    edited = maya.edit_goal("find-a-job", title="Find a climate job", until=D(2027, 12, 31))
    goal = edited.goal("find-a-job")
    assert goal.title == "Find a climate job" and goal.until == D(2027, 12, 31)
    assert goal.targets == maya.goal("find-a-job").targets and goal.kind.value == "find_job"
    assert [str(c) for c in maya.diff(edited).changes] == ["changed goals find-a-job"]
    cleared = maya.edit_goal("learn-about-climate-tech", until=None, status="paused", why="")
    assert cleared.goal("learn-about-climate-tech").until is None
    assert cleared.goal("learn-about-climate-tech").status is netplan.GoalStatus.PAUSED
    assert maya.edit_goal("find-a-job") == maya  # nothing given, nothing changed


def test_renaming_a_goal_takes_the_actions_serving_it_along(maya: netplan.Plan) -> None:
    renamed = maya.edit_goal("find-a-job", id="climate-job")
    assert [g.id for g in renamed.goals] == ["learn-about-climate-tech", "climate-job"]
    assert renamed.action("any-two-events").goals == {"learn-about-climate-tech", "climate-job"}
    assert renamed.edit_goal("climate-job", id="find-a-job") == maya
    with pytest.raises(netplan.ValidationError, match="Plan.goals.id"):
        maya.edit_goal("find-a-job", id="learn-about-climate-tech")


def test_an_unknown_id_is_refused_with_the_closest_ones(maya: netplan.Plan) -> None:
    before = netplan.to_data(maya)
    with pytest.raises(netplan.ValidationError) as caught:
        maya.edit_goal("find-a-jbo", why="rent")
    assert caught.value.field == "Plan.goals" and caught.value.value == "find-a-jbo"
    assert "did you mean 'find-a-job'?" in str(caught.value)
    assert "it has: learn-about-climate-tech, find-a-job" in str(caught.value)
    assert isinstance(caught.value, netplan.NotFoundError)  # as removing raised before
    # A title typed where the id belongs finds its id too.
    with pytest.raises(netplan.ValidationError, match="did you mean 'find-a-job'"):
        maya.remove_goal("Find a job")
    with pytest.raises(netplan.ValidationError, match="did you mean 'linkedin-post'"):
        maya.edit_action("linkedin-psot", title="LinkedIn post")
    with pytest.raises(netplan.ValidationError, match="did you mean 'climate-meetup'"):
        maya.remove_action("climate-metup")
    with pytest.raises(netplan.ValidationError) as target:
        maya.remove_target("find-a-job", "referral")
    assert target.value.field == "Plan.goals[1].targets"
    assert "did you mean 'referrals'" in str(target.value)
    with pytest.raises(netplan.NotFoundError, match="did you mean 'find-a-job'"):
        maya.goal("find-a-jbo")  # looking up says it too
    assert netplan.to_data(maya) == before


def test_a_wrong_value_in_an_edit_names_where_it_is(maya: netplan.Plan) -> None:
    with pytest.raises(netplan.ValidationError) as caught:
        maya.edit_goal("find-a-job", title="  ")
    assert caught.value.field == "Plan.goals[1].title"
    with pytest.raises(netplan.ValidationError, match=r"Plan.goals\[0\].until"):
        maya.edit_goal("learn-about-climate-tech", until=D(2026, 1, 1))  # before the start
    with pytest.raises(netplan.ValidationError, match=r"Plan.actions\[0\].kind"):
        maya.edit_action("climate-meetup", kind="dancing")
    with pytest.raises(netplan.ValidationError) as goals:
        maya.edit_action("climate-meetup", goals={"find-a-jbo"})
    assert goals.value.field == "Plan.actions[0].goals"
    assert "did you mean 'find-a-job'?" in goals.value.rule


def test_editing_an_action(maya: netplan.Plan) -> None:
    weekly = netplan.Recurrence.weekly("WE", start=D(2026, 12, 1))
    edited = maya.edit_action(
        "climate-meetup", title="Climate meetup (Berlin)", schedule=weekly, goals=()
    )
    action = edited.action("climate-meetup")
    assert action.title == "Climate meetup (Berlin)" and action.schedule == weekly
    assert action.goals == frozenset() and action.kind is netplan.ActionKind.ATTEND_EVENTS
    assert (
        edited.edit_action("climate-meetup", schedule=None).action("climate-meetup").schedule
        is None
    )
    assert [str(c) for c in maya.diff(edited).changes] == ["changed actions climate-meetup"]


def test_removing_a_target_and_a_goal(maya: netplan.Plan) -> None:
    fewer = maya.remove_target("learn-about-climate-tech", "coffees")
    assert [t.id for t in fewer.goal("learn-about-climate-tech").targets] == ["events_attended"]
    # A goal's actions stay, serving it no more: the diff says they changed.
    smaller = maya.remove_goal("find-a-job")
    assert sorted(str(c) for c in maya.diff(smaller).changes) == [
        "changed actions any-two-events",
        "removed goals find-a-job",
    ]


def test_removing_an_action_takes_its_snoozes_and_marks_along(maya: netplan.Plan) -> None:
    plan = maya.add_action(netplan.PlannedAction("Post", id="linkedin-post:old"))
    plan = plan.snooze("action:linkedin-post:2026-12-11", D(2026, 12, 14))
    plan = plan.skip("action:linkedin-post:old:2026-12-18")
    plan = plan.mark_done("action:climate-meetup:2026-12-08", D(2026, 12, 8))
    plan = plan.snooze("follow_up:lena-berg:2026-12-10", D(2026, 12, 12))
    removed = plan.remove_action("linkedin-post")
    assert [s.item for s in removed.snoozed] == [
        "action:linkedin-post:old:2026-12-18",  # another action's, whose id goes on
        "follow_up:lena-berg:2026-12-10",
    ]
    assert [d.item for d in removed.completed] == ["action:climate-meetup:2026-12-08"]


@given(nst.plans(), st.data())
def test_an_edit_changes_one_goal_and_renaming_back_undoes_it(
    plan: netplan.Plan, data: st.DataObject
) -> None:
    if not plan.goals:
        return
    goal = data.draw(st.sampled_from(plan.goals))
    title = data.draw(st.text(min_size=1, max_size=20).filter(str.strip))
    edited = plan.edit_goal(goal.id, title=title)
    assert [c.key for c in plan.diff(edited).changes] == ([] if title == goal.title else [goal.id])
    assert edited.edit_goal(goal.id, title=goal.title) == plan
    new_id = data.draw(nst.identifiers())
    if new_id in {g.id for g in plan.goals}:
        return
    assert plan.edit_goal(goal.id, id=new_id).edit_goal(new_id, id=goal.id) == plan


# -- the command: goal and action edit and remove, and history --restore ------------------


def start(capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "goal", "add", "Find a jbo", "--target", "5 referrals by 2027-09-30")
    ok(capsys, "action", "add", "Climate meetup", "--every", "2nd TU", "--goal", "find-a-jbo")


def test_a_goal_is_edited_and_removed_from_the_command_line(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    out = ok(
        capsys,
        "goal",
        "edit",
        "find-a-jbo",
        "--title",
        "Find a job",
        "--id",
        "find-a-job",
        "--until",
        "2027-12-31",
        "--status",
        "paused",
    )
    assert "Edited goal 'find-a-job' (title, status, id, until)" in out
    assert "Undo: netplan history --restore 3. Saved as revision 4." in out
    plan = stored(store)
    (goal,) = plan.goals
    assert (goal.title, goal.id, goal.until, goal.status.value) == (
        "Find a job",
        "find-a-job",
        D(2027, 12, 31),
        "paused",
    )
    assert plan.action("climate-meetup").goals == {"find-a-job"}
    assert "find-a-job  paused" in ok(capsys, "goal", "list")
    ok(capsys, "goal", "edit", "find-a-job", "--until", "none", "--remove-target", "referrals")
    assert stored(store).goals[0].until is None and stored(store).goals[0].targets == ()
    out = ok(capsys, "goal", "remove", "find-a-job")
    assert "Removed goal 'find-a-job' and its targets." in out
    assert "Action 'climate-meetup' no longer serves it." in out
    assert stored(store).goals == () and stored(store).actions[0].goals == frozenset()
    history = ok(capsys, "history")
    assert "removed goals find-a-job; changed actions climate-meetup" in history


def test_an_action_is_edited_and_removed_from_the_command_line(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    out = ok(
        capsys,
        "action",
        "edit",
        "climate-meetup",
        "--title",
        "Climate meetup (Berlin)",
        "--every",
        "3rd WE",
        "--no-goals",
        "--kind",
        "attend_events",
    )
    assert "Edited action 'climate-meetup' (title, kind, goals, schedule)" in out
    action = stored(store).action("climate-meetup")
    assert action.title == "Climate meetup (Berlin)" and action.goals == frozenset()
    assert action.schedule == netplan.Recurrence("FREQ=MONTHLY;BYDAY=3WE", D(2026, 11, 1))
    ok(capsys, "action", "edit", "climate-meetup", "--start", "2026-12-01")
    assert stored(store).action("climate-meetup").schedule == netplan.Recurrence(
        "FREQ=MONTHLY;BYDAY=3WE", D(2026, 12, 1)
    )
    ok(capsys, "action", "edit", "climate-meetup", "--every", "none", "--goal", "find-a-jbo")
    action = stored(store).action("climate-meetup")
    assert action.schedule is None and action.goals == {"find-a-jbo"}
    err = fails(capsys, "action", "edit", "climate-meetup", "--start", "2026-12-01", code=2)
    assert "is unscheduled: give --every too" in err
    err = fails(capsys, "action", "edit", "climate-meetup", "--goal", "find-a-job")
    assert "did you mean 'find-a-jbo'?" in err
    ok(capsys, "action", "edit", "climate-meetup", "--every", "2nd TU")
    ok(capsys, "agenda", "skip", "action:climate-meetup:2026-12-08")
    out = ok(capsys, "action", "remove", "climate-meetup")
    assert "Removed action 'climate-meetup'." in out and "Undo: netplan history --restore" in out
    plan = stored(store)
    assert plan.actions == () and plan.snoozed == ()
    assert "No actions yet" in ok(capsys, "action", "list")


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("goal", "edit", "find-a-job", "--why", "rent"), "did you mean 'find-a-jbo'?", 1),
        (("goal", "remove", "Find a jbo"), "did you mean 'find-a-jbo'?", 1),
        (("goal", "edit", "find-a-jbo", "--remove-target", "referral"), "'referrals'", 1),
        (("goal", "edit", "find-a-jbo"), "say what to change: --title", 2),
        (("goal", "edit", "find-a-jbo", "--until", "soon"), "is not a date", 2),
        (("goal", "edit", "find-a-jbo", "--status", "done"), "Plan.goals[0].status", 1),
        (("action", "edit", "climate-metup", "--title", "X"), "'climate-meetup'?", 1),
        (
            ("action", "edit", "climate-metup", "--every", "daily"),
            "Plan.actions: 'climate-metup'",
            1,
        ),
        (("action", "edit", "climate-meetup"), "say what to change: --title", 2),
        (("action", "edit", "climate-meetup", "--goal", "x", "--no-goals"), "not both", 2),
        (("action", "remove", "meetup"), "did you mean 'climate-meetup'?", 1),
        (("history", "--restore", "9"), "no revision 9", 1),
        (("history", "--restore", "0"), "0 is not in the range", 2),
        (("history", "--restore", "1", "--show", "2026-12-01"), "--restore goes alone", 2),
    ],
)
def test_a_mistake_in_an_edit_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    store: str,
    args: tuple[str, ...],
    message: str,
    code: int,
) -> None:
    start(capsys)
    before = revisions(store)
    assert message in fails(capsys, *args, code=code)
    assert revisions(store) == before


def test_every_change_can_be_undone_by_restoring_a_revision(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    first = stored(store)  # revision 3
    ok(capsys, "goal", "edit", "find-a-jbo", "--title", "Find a job")
    ok(capsys, "action", "remove", "climate-meetup")
    ok(capsys, "goal", "remove", "find-a-jbo")
    out = ok(capsys, "history", "--restore", "3")
    assert "Restored revision 3 (added goals find-a-jbo; added actions climate-meetup)" in out
    assert "Saved as revision 7; undo: netplan history --restore 6." in out
    assert same(stored(store), first) and stored(store).revision == 7
    history = ok(capsys, "history")
    assert "7         changed  added goals find-a-jbo; added actions climate-meetup" in history
    # Restoring is a change like any other: undone the same way.
    ok(capsys, "history", "--restore", "6")
    assert stored(store).goals == () and stored(store).revision == 8
    assert "nothing to restore" in ok(capsys, "history", "--restore", "8")
    assert stored(store).revision == 8
    data = json.loads(ok(capsys, "--json", "history", "--restore", "3"))
    assert netplan.from_data(data, netplan.Plan).revision == 9


titles = st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1).filter(
    str.strip
)
goal_edits = st.one_of(
    st.tuples(st.just("--title"), titles),
    st.tuples(st.just("--why"), st.text(st.characters(codec="utf-8", categories=["L", "Zs"]))),
    st.tuples(
        st.just("--until"), st.dates(D(2026, 11, 1), D(2030, 1, 1)).map(str) | st.just("none")
    ),
    st.tuples(st.just("--status"), st.sampled_from(["active", "achieved", "paused", "dropped"])),
    st.tuples(st.just("--kind"), st.sampled_from(["find_job", "expand_network", "custom"])),
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(goal_edits, min_size=1, max_size=5))
def test_any_goal_edits_then_restoring_the_first_revision_give_back_the_first_plan(
    capsys: pytest.CaptureFixture[str], edits: list[tuple[str, str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder) / 'plans.db'}"
        capsys.readouterr()

        def command(*args: str) -> str:
            return ok(capsys, "--store", url, *args)

        command("init", "--name", "Maya", "--start", "2026-11-01")
        command("goal", "add", "Find a job", "--target", "4 new_contacts per month")
        first = stored(url)
        for option, value in edits:
            command("goal", "edit", "find-a-job", option, value)
        assert len(revisions(url)) == 2 + len(edits)
        command("history", "--restore", str(first.revision))
        assert same(stored(url), first)


# -- a target's metric and a cadence's contact must exist ---------------------------------


def test_a_target_s_metric_must_be_one_netplan_counts(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    before = revisions(store)
    err = fails(capsys, "target", "find-a-jbo", "5 coffee per month", code=2)
    assert "'coffee' in '5 coffee per month' is not a metric netplan knows" in err
    assert "did you mean 'coffees'?" in err and "netplan metrics" in err
    err = fails(capsys, "goal", "add", "Learn", "--target", "2 event_attended per month", code=2)
    assert "did you mean 'events_attended'?" in err
    assert revisions(store) == before
    ok(capsys, "target", "find-a-jbo", "5 coffees per month")


class _Hours:
    """A plugin with one namespaced metric."""

    @hookimpl
    def netplan_register_metrics(self, register: MetricRegister) -> None:
        register("mine:mentoring_hours", CountInteractions("mine:mentoring_hours", None, "Hours."))


def test_an_installed_plugin_s_metric_is_a_metric_too(
    capsys: pytest.CaptureFixture[str], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(capsys)
    with_plugin = plugin_host.PluginHost(entry_points=False, plugins=[_Hours()], environ={})
    monkeypatch.setattr(plugin_host, "default_host", lambda: with_plugin)
    ok(capsys, "target", "find-a-jbo", "3 mine:mentoring_hours per month")
    assert stored(store).goal("find-a-jbo").targets[-1].metric == "mine:mentoring_hours"
    # Named without its plugin's part, or misspelt, it is found by what follows the colon.
    err = fails(capsys, "target", "find-a-jbo", "3 mentoring_hour per month", code=2)
    assert "did you mean 'mine:mentoring_hours'?" in err
    # Not installed: the name's form is right (the docs recommend plugin:name), so the
    # error blames the missing plugin, not the colon.
    bare = plugin_host.PluginHost(entry_points=False, environ={})
    monkeypatch.setattr(plugin_host, "default_host", lambda: bare)
    err = fails(capsys, "target", "find-a-jbo", "1 mine:mentoring_hours by 2027-01-31", code=2)
    assert "'mine:mentoring_hours' in" in err and "is a plugin's metric" in err
    assert "no installed plugin registers metrics named 'mine:...'" in err
    assert "format" not in err
    # A namespace some plugin has, with a name it does not: a typo, with what is close.
    monkeypatch.setattr(plugin_host, "default_host", lambda: with_plugin)
    err = fails(capsys, "target", "find-a-jbo", "1 mine:mentoring_ours per month", code=2)
    assert "is not a metric netplan knows; did you mean 'mine:mentoring_hours'" in err


def test_a_keep_in_touch_contact_must_be_a_contact(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    ok(capsys, "log", "met", "Priya Shah", "--new", "--at", "2026-11-10")
    before = revisions(store)
    err = fails(capsys, "keep-in-touch", "contact=priya-sha", "--every", "30")
    assert "contact: 'priya-sha' is not allowed" in err and "(did you mean Priya Shah?)" in err
    assert revisions(store) == before
    out = ok(capsys, "keep-in-touch", "contact=Priya Shah", "--every", "30")
    assert "Keeping in touch with contact=priya-shah every 30 days." in out
    assert stored(store).keep_in_touch == (
        netplan.CadenceRule.contact("priya-shah", ideal_days=30),
    )


# -- a name that is not a contact yet ------------------------------------------------------


class _Terminal(io.StringIO):
    """Standard input as a terminal, with the answers typed."""

    def isatty(self) -> bool:
        return True


def contacts(url: str) -> list[tuple[str, str | None]]:
    with netplan.open(url) as opened:
        return [(c.name, c.tier) for c in opened.load_log("maya").contacts]


def interactions(url: str) -> int:
    with netplan.open(url) as opened:
        return len(opened.load_log("maya"))


def test_a_new_name_piped_needs_new_and_names_the_close_ones(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    ok(capsys, "log", "met", "Priya Shah", "--new", "--at", "2026-11-10")
    err = fails(capsys, "log", "coffee", "Priya Sha")
    assert "NAME: 'Priya Sha' is not allowed: must name one of your contacts" in err
    assert "(did you mean Priya Shah?)" in err and "pass --new to add 'Priya Sha'" in err
    assert contacts(store) == [("Priya Shah", None)] and interactions(store) == 1
    assert "coffee Priya Shah at" in ok(capsys, "log", "coffee", "priya shah")
    assert "(a new contact)" in ok(capsys, "log", "coffee", "Priya Sha", "--new")
    # --new with a name already known logs it with them: no twin is made.
    assert "(a new contact)" not in ok(capsys, "log", "call", "Priya Shah", "--new")
    assert contacts(store) == [("Priya Shah", None), ("Priya Sha", None)]


def test_a_typo_or_a_new_name_is_told_without_reading_the_log(
    capsys: pytest.CaptureFixture[str], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a store that finds names through its index (SQLite here), a name nobody has is
    suggested against, or added with --new, from the store's ids and name keys: a week of
    logging on a network of 100,000 people never reads the whole log."""
    start(capsys)
    for name in ("Priya Shah", "Aiko Wada"):
        ok(capsys, "log", "met", name, "--new", "--at", "2026-11-10")
    with netplan.open(store) as opened:  # a namesake, as an import brings one
        opened.add("maya", netplan.Contact("Aiko WADA", id="aiko-wada-2"))

    def unread(*args: object) -> None:
        raise AssertionError("the whole log was read")

    read = netplan.stores.sqlite.SqliteStore.load_log
    monkeypatch.setattr(netplan.stores.sqlite.SqliteStore, "load_log", unread)
    err = fails(capsys, "log", "coffee", "Priya Sha")
    assert "(did you mean Priya Shah?)" in err and "pass --new to add 'Priya Sha'" in err
    # Namesakes suggested are told apart by their ids.
    err = fails(capsys, "log", "coffee", "Aiko Wadda")
    assert "did you mean Aiko Wada (aiko-wada) or Aiko WADA (aiko-wada-2)?" in err
    assert "(a new contact)" in ok(capsys, "log", "coffee", "Priya Sha", "--new", "--tier", "b")
    assert "(a new contact)" in ok(capsys, "log", "call", "Aiko Wada-Ito", "--new")
    monkeypatch.setattr(netplan.stores.sqlite.SqliteStore, "load_log", read)
    assert contacts(store)[-2:] == [("Priya Sha", "b"), ("Aiko Wada-Ito", None)]
    assert interactions(store) == 4
    changes = ok(capsys, "log", "changes")
    assert "logged coffee priya-sha at" in changes and "logged call aiko-wada-ito at" in changes
    ok(capsys, "log", "undo")  # taken back as any change is
    assert contacts(store)[-1] == ("Priya Sha", "b") and interactions(store) == 3


def test_on_a_terminal_a_new_name_is_asked_about(
    capsys: pytest.CaptureFixture[str], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(capsys)
    ok(capsys, "log", "met", "Priya Shah", "--new", "--at", "2026-11-10")
    monkeypatch.setattr(sys, "stdin", _Terminal("n\n"))
    code, _, err = run(capsys, "log", "coffee", "Priya Sha")
    asked, said = err.split("netplan: ")  # the question, and the answer to no
    assert code == 1 and asked == "New contact 'Priya Sha'? Did you mean Priya Shah? [y/N]: "
    assert said.startswith("nothing logged: 'Priya Sha' is not one of your contacts")
    assert contacts(store) == [("Priya Shah", None)] and interactions(store) == 1
    monkeypatch.setattr(sys, "stdin", _Terminal("y\n"))
    code, out, err = run(capsys, "log", "coffee", "Priya Sha", "--tier", "b")
    assert code == 0
    assert "New contact 'Priya Sha'? Did you mean Priya Shah? [y/N]:" in err
    assert "Logged: coffee Priya Sha (a new contact)" in out
    assert contacts(store) == [("Priya Shah", None), ("Priya Sha", "b")]
    # A name like none of them: yes is the default.
    monkeypatch.setattr(sys, "stdin", _Terminal("\n"))
    code, _, err = run(capsys, "log", "met", "Omar Haddad")
    assert code == 0 and "New contact 'Omar Haddad'? [Y/n]:" in err


def test_tier_sets_the_tier_of_a_known_contact(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    start(capsys)
    ok(capsys, "log", "met", "Lena Berg", "--new", "--tier", "b", "--at", "2026-11-10")
    out = ok(capsys, "log", "coffee", "lena-berg", "--tier", "A", "--at", "2026-11-12")
    assert "Logged: coffee Lena Berg at 2026-11-12 12:00; Lena Berg is now tier a." in out
    assert contacts(store) == [("Lena Berg", "a")] and interactions(store) == 2
    assert "is now tier" not in ok(capsys, "log", "call", "Lena Berg", "--tier", "a")
    assert "Lena Berg  a" in ok(capsys, "contacts", "--tier", "a")


def test_agenda_done_with_a_new_name_needs_new_too(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "action", "add", "Message a PM", "--kind", "reach_out", "--every", "3 per week")
    err = fails(capsys, "agenda", "done", "Message a PM", "--with", "Omar Haddad")
    assert "--with: 'Omar Haddad' is not allowed" in err and "pass --new" in err
    assert "Logged message" in ok(
        capsys, "agenda", "done", "Message a PM", "--with", "Omar Haddad", "--new"
    )
    assert contacts(store) == [("Omar Haddad", None)]


# -- the library's words become the command's -------------------------------------------


def test_a_missing_store_names_netplan_init_not_create(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for url in (f"sqlite://{tmp_path / 'none.db'}", f"json://{tmp_path / 'none.json'}"):
        err = fails(capsys, "--store", url, "goal", "list")
        assert "create=True" not in err
        assert "run `netplan init --name NAME` to make a new one (or pass --store URL)" in err


def test_an_unknown_or_undetected_format_names_format(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    ok(capsys, "init", "--name", "Maya")
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n", encoding="utf-8")
    err = fails(capsys, "import", str(odd))
    assert "--format: 'notes.txt' is not allowed" in err and "; pass --format NAME" in err
    assert "format=" not in err and "import.format" not in err
    err = fails(capsys, "import", str(odd), "--format", "nope")
    assert err.startswith(
        "netplan: --format: 'nope' is not allowed: must name an installed importer"
    )
    err = fails(capsys, "export", str(tmp_path / "plan.docx"))
    assert "--format: " in err and "export.format" not in err
    err = fails(capsys, "import", str(tmp_path / "missing.csv"))
    assert "PATH: " in err and "import.path" not in err


def test_records_that_cannot_be_read_name_skip_bad(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    ok(capsys, "init", "--name", "Maya")
    bad = tmp_path / "Connections.csv"
    bad.write_text(
        'First Name,Last Name,Connected On\nAna,Silva,10 Nov 2021\nBen,"Okafor,10 Nov 2021\n',
        encoding="utf-8",
    )
    err = fails(capsys, "import", str(bad))
    assert "Fix them, or import with --skip-bad to leave them out" in err
    assert "skip_bad" not in err
    assert "added 1 contacts" in ok(capsys, "import", str(bad), "--skip-bad")


def test_a_message_naming_dry_run_names_the_option(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No error of netplan's own mentions dry_run today; a plugin's importer may.
    ok(capsys, "init", "--name", "Maya")

    def refusing(*args: object, **options: object) -> None:
        raise netplan.ImportAbortedError(
            "this importer cannot do a dry_run=True; import without dry_run"
        )

    monkeypatch.setattr(netplan, "import_files", refusing)
    err = fails(capsys, "import", str(tmp_path), "--dry-run")
    assert "cannot do a --dry-run; import without --dry-run" in err


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("no store at x: pass create=True to make a new one", "no store at x: run `netplan init --name NAME` to make a new one"),
        ("put it back, or open the store again with create=True to start a new one", "put it back, or run `netplan init --name NAME` to start a new one"),
        ("move it away and open again with create=True", "move it away and run `netplan init --name NAME`"),
        ("cannot be told from the file; pass format=", "cannot be told from the file; pass --format NAME"),
        ("import.format: 'x' is not allowed", "--format: 'x' is not allowed"),
        ("Fix them, or import with skip_bad to leave them out", "Fix them, or import with --skip-bad to leave them out"),
        ("a dry_run changes nothing", "a --dry-run changes nothing"),
        ("no occurrence from 2026-01-01 to 2027-01-01: widen the window to read them", "no occurrence from 2026-01-01 to 2027-01-01: widen the days with --from and --to to read them"),
        ("skip_badly and format_name are words", "skip_badly and format_name are words"),
        ("--format=csv and my_dry_run=1 stay", "--format=csv and my_dry_run=1 stay"),
    ],
)  # fmt: skip
def test_cli_words_translates_the_library_s_keywords(said: str, meant: str) -> None:
    assert cli_words(said) == meant


KEYWORDS = ("create=True", "format=", "skip_bad", "dry_run=", "import.format", "export.format")


def _messages(path: Path) -> list[str]:
    """The string constants of a module that are not docstrings (its messages)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and " " in node.value  # words, not a keyword's name or a key
    ]


def test_every_message_of_the_library_that_names_a_keyword_is_translated() -> None:
    found = [
        (path.relative_to(SRC).as_posix(), text)
        for path in sorted(SRC.rglob("*.py"))
        if "cli" not in path.parts and "testing" not in path.parts
        for text in _messages(path)
        if any(k in text for k in KEYWORDS)
    ]
    assert found, "the search finds the messages it checks"
    for where, text in found:
        translated = cli_words(text)
        assert not any(k in translated for k in KEYWORDS), (where, text, translated)
    assert len(LIBRARY_WORDS) >= 8
