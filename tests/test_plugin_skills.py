"""Skill catalogs registered by plugins, as a person meets them: offered beside the
built-in skills, rated and practised from the command line and the library, listed with
where each comes from, and kept in the plan, so the plan reads the same once the plugin
is gone.

The plugin is the example one (examples/netplan-example-plugin), *installed*: the
default host finds it through its ``netplan`` entry point, as it would a third party's.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from _cli import ok, run
from netplan import Plan, PlannedAction, Rating, Skill, SkillAssessment, ValidationError
from netplan.plugins import PluginHost, hookimpl

DAY = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
HOSTING = Skill(
    "example:hosting_meetups",
    "Hosting meetups",
    "Running a small event: a venue, a theme, and introducing people to each other.",
)
MENTORING = Skill(
    "example:mentoring_others",
    "Mentoring others",
    "Regular time with someone earlier in their career, without keeping score.",
)


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process-wide host, built afresh from the installed entry points, strict: any
    plugin failure raises."""
    if not importlib.metadata.entry_points(group="netplan", name="example"):
        pytest.fail(
            "netplan-example-plugin is not installed, so no host can find its catalog: "
            "pip install ./examples/netplan-example-plugin"
        )
    for var in ("NETPLAN_PLUGINS", "NETPLAN_DISABLE_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NETPLAN_STRICT_PLUGINS", "1")
    netplan.plugins.reset_default_host()
    yield
    netplan.plugins.reset_default_host()


def without_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, a netplan with no installed plugin: none loads (the allow-list is
    empty), as on a computer the plugin was never installed on."""
    monkeypatch.setenv("NETPLAN_PLUGINS", "")
    netplan.plugins.reset_default_host()
    assert "example" not in [p.name for p in netplan.plugin_report()]
    assert netplan.installed_skills() == ()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: None) -> str:
    url = f"sqlite://{tmp_path / 'plans.db'}"
    monkeypatch.setenv("NETPLAN_STORE", url)
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(netplan.cli, "_now", lambda: NOW)
    return url


def rated(*ratings: Rating, on: dt.date = DAY) -> SkillAssessment:
    return SkillAssessment(on, ratings)


# -- what the host offers -----------------------------------------------------------------


def test_the_installed_catalog_is_offered_beside_the_built_in_skills(installed: None) -> None:
    host = netplan.plugins.default_host()
    assert host.skill_catalogs["example"] == (HOSTING, MENTORING)
    assert netplan.installed_skills() == (HOSTING, MENTORING)
    assert host.skill_origins == {HOSTING.id: "example", MENTORING.id: "example"}
    assert host.sources("skill_catalog")["example"] == "example"
    assert not set(host.skills) & {s.id for s in netplan.BUILTIN_SKILLS}


# -- the command line ---------------------------------------------------------------------


def test_rate_and_practise_a_plugin_skill_from_the_command_line(
    capsys: pytest.CaptureFixture[str], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01", "--timezone", "UTC")
    said = ok(
        capsys, "assess", "example:mentoring_others=2/4", "following_up=3", "--on", "2026-11-01"
    )
    assert "improvement areas: example:mentoring_others" in said
    assert "keeps a copy of 'example:mentoring_others' (catalog example)" in said
    said = ok(
        capsys,
        "action",
        "add",
        "Host the climate meetup",
        "--every",
        "2nd TU",
        "--skill",
        "example:hosting_meetups",
    )
    assert "keeps a copy of 'example:hosting_meetups' (catalog example)" in said
    # Rating it again copies nothing more.
    said = ok(capsys, "assess", "example:mentoring_others=3/4", "--on", "2026-11-20")
    assert "copy" not in said
    with netplan.open(store) as opened:
        plan = opened.load("maya")
    assert plan.skills == (MENTORING, HOSTING)
    assert plan.action("host-the-climate-meetup").skills == {"example:hosting_meetups"}

    listing = ok(capsys, "skills", "--all")
    lines = listing.splitlines()
    assert lines[0] == "Skills Maya can rate and practise"
    assert any(line.startswith("following_up ") and line.endswith("built in") for line in lines)
    mentoring = next(line for line in lines if line.startswith("example:mentoring_others"))
    assert "Mentoring others" in mentoring
    assert mentoring.endswith("catalog example (plugin example), a copy kept in the plan")
    data = json.loads(ok(capsys, "skills", "--all", "--json"))
    by_id = {entry["id"]: entry for entry in data}
    assert [e["id"] for e in data][-2:] == [HOSTING.id, MENTORING.id]
    assert by_id[HOSTING.id] == {
        "id": HOSTING.id,
        "name": HOSTING.name,
        "description": HOSTING.description,
        "source": "catalog",
        "catalog": "example",
        "plugin": "example",
        "in_plan": True,
    }
    assert by_id["following_up"]["source"] == "built-in"
    assert not by_id["following_up"]["in_plan"]

    # The plugin gone, the stored plan is whole: valid, and readable with the names.
    without_plugins(monkeypatch)
    with netplan.open(store) as opened:
        plan = opened.load("maya")
    assert plan.catalog[MENTORING.id].name == "Mentoring others"
    assert plan.latest_assessment is not None
    assert plan.latest_assessment.rating(MENTORING.id) == Rating(MENTORING.id, 3, desired=4)
    data = json.loads(ok(capsys, "skills", "--all", "--json"))
    assert [(e["id"], e["source"], e["in_plan"]) for e in data][-2:] == [
        (MENTORING.id, "plan", True),
        (HOSTING.id, "plan", True),
    ]
    hosting = next(line for line in ok(capsys, "skills", "--all").splitlines() if "Hosting" in line)
    assert hosting.split() == ["example:hosting_meetups", "Hosting", "meetups", "this", "plan"]
    rated = next(line for line in ok(capsys, "skills").splitlines() if MENTORING.id in line)
    assert rated.split()[:5] == [MENTORING.id, "Mentoring", "others", "3", "4"]  # its name too
    ok(capsys, "review", "--as-of", "2026-12-01")
    # Still rated, and practised, by its copy.
    ok(capsys, "assess", "example:hosting_meetups=2/4", "--on", "2026-12-01")
    ok(capsys, "action", "add", "Mentor Kim", "--skill", "example:mentoring_others")


def test_an_unknown_skill_on_the_command_line_names_what_to_type(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01", "--timezone", "UTC")
    code, _, err = run(capsys, "assess", "mentoring_others=2/4")
    assert code == 2
    assert "'mentoring_others' in 'mentoring_others=2/4' is not a skill you can rate" in err
    assert "did you mean 'example:mentoring_others'?" in err
    assert "`netplan skills --all` lists every skill you can rate" in err
    code, _, err = run(capsys, "action", "add", "Meetup", "--skill", "example:hosting_meetupz")
    assert code == 2
    assert "'example:hosting_meetupz' in --skill" in err
    assert "did you mean 'example:hosting_meetups'?" in err
    ok(capsys, "action", "add", "Meetup")
    code, _, err = run(capsys, "action", "edit", "meetup", "--skill", "folowing_up")
    assert code == 2 and "did you mean 'following_up'?" in err
    with netplan.open(store) as opened:
        plan = opened.load("maya")
    assert plan.skills == () and plan.assessments == ()  # nothing half done


def test_an_action_edited_to_practise_a_plugin_skill_keeps_a_copy(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01", "--timezone", "UTC")
    ok(capsys, "action", "add", "Meetup", "--skill", "following_up")
    said = ok(
        capsys,
        "action",
        "edit",
        "meetup",
        "--skill",
        "example:mentoring_others",
        "--skill",
        "example:hosting_meetups",
    )
    assert "keeps a copy of 'example:hosting_meetups' (catalog example) and " in said
    with netplan.open(store) as opened:
        assert opened.load("maya").skills == (HOSTING, MENTORING)  # by id


# -- the library --------------------------------------------------------------------------


def test_rate_and_practise_a_plugin_skill_from_the_library(
    installed: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"json://{tmp_path / 'maya.json'}"
    with netplan.open(url, create=True) as store:
        plan = Plan("Maya", start=DAY)
        plan = plan.assess(
            rated(Rating(MENTORING.id, 2, desired=4), Rating("following_up", 3)),
            catalog=netplan.installed_skills(),
        )
        plan = plan.add_action(
            PlannedAction("Host the climate meetup", skills={HOSTING.id}),
            catalog=netplan.installed_skills(),
        )
        saved = store.save(plan)
    assert saved.skills == (MENTORING, HOSTING)

    without_plugins(monkeypatch)
    with netplan.open(url) as store:
        again = store.load("maya")
    assert again == saved
    latest = again.latest_assessment
    assert latest is not None
    assert [again.catalog[r.skill].name for r in latest.ratings] == [
        "Mentoring others",
        "Following up",
    ]
    assert "Mentoring others" in (again._repr_html_() or "")  # a notebook shows its name
    review = netplan.review(again, netplan.ActivityLog(), dt.date(2026, 12, 1))
    assert review.as_of == dt.date(2026, 12, 1)


def test_an_unknown_skill_is_refused_naming_the_installed_ones_too(installed: None) -> None:
    plan = Plan("Maya", start=DAY)
    with pytest.raises(ValidationError) as refused:
        plan.assess(rated(Rating("mentoring_others", 2)), catalog=netplan.installed_skills())
    message = str(refused.value)
    assert message.startswith("Plan.assessments[0].ratings[0].skill: 'mentoring_others'")
    assert "did you mean 'example:mentoring_others'?" in message
    assert "example:hosting_meetups" in message  # the known ones, listed
    with pytest.raises(
        ValidationError, match=r"Plan\.actions\[0\]\.skills.*'example:hosting_meetups'"
    ):
        plan.add_action(
            PlannedAction("Meetup", skills={"hosting_meetups"}), catalog=netplan.installed_skills()
        )
    # Without the catalog, the plugin's skill is unknown like any other.
    with pytest.raises(ValidationError, match="must name a skill of the catalog"):
        plan.assess(rated(Rating(MENTORING.id, 2)))


def test_a_skill_the_plan_knows_is_never_replaced_by_a_catalogs() -> None:
    mine = Skill("example:mentoring_others", "Mentoring, my way")
    plan = Plan("Maya", start=DAY).add_skill(mine)
    plan = plan.assess(rated(Rating(MENTORING.id, 2)), catalog=[MENTORING, HOSTING])
    assert plan.skills == (mine,)
    # A catalog's skill with a built-in id is not the built-in one, and never used.
    other = Skill("following_up", "Following up, differently")
    plan = plan.add_action(PlannedAction("Write", skills={"following_up"}), catalog=[other])
    assert plan.skills == (mine,)
    assert plan.catalog["following_up"].name == "Following up"


def test_replace_and_edit_action_copy_what_they_practise() -> None:
    plan = Plan("Maya", start=DAY).add_action(PlannedAction("Meetup"))
    replaced = plan.replace_action(
        PlannedAction("Meetup", skills={HOSTING.id}), catalog={HOSTING.id: HOSTING}
    )
    assert replaced.skills == (HOSTING,)
    edited = plan.edit_action("meetup", skills={MENTORING.id}, catalog=netplan.Catalog([MENTORING]))
    assert edited.skills == (MENTORING,)
    assert plan.edit_action("meetup", title="The meetup", catalog=[MENTORING]).skills == ()


def test_a_catalog_must_hold_skills_and_one_skill_an_id() -> None:
    plan = Plan("Maya", start=DAY)
    with pytest.raises(ValidationError, match="must hold netplan.Skill values"):
        plan.assess(rated(Rating("following_up", 2)), catalog=["following_up"])  # type: ignore[list-item]
    twin = Skill(HOSTING.id, "Hosting, again")
    with pytest.raises(ValidationError, match="two different skills share it"):
        plan.assess(rated(Rating("following_up", 2)), catalog=[HOSTING, twin])


def test_a_catalog_is_a_mapping_that_answers_in_and_get() -> None:
    catalog = netplan.Catalog()
    assert "following_up" in catalog and "nothing" not in catalog
    assert catalog.get("nothing") is None
    assert catalog.get("nothing", HOSTING) is HOSTING
    assert catalog.closest("Hosting meetups") == ()
    assert netplan.Catalog([HOSTING]).closest("Hosting meetups") == (HOSTING.id,)
    assert netplan.Catalog([HOSTING]).closest("hosting_meetups") == (HOSTING.id,)
    with pytest.raises(netplan.NotFoundError, match="did you mean 'following_up'"):
        catalog["folowing_up"]


# -- one id, one skill --------------------------------------------------------------------


class Catalogs:
    """A plugin registering the catalogs it is given."""

    def __init__(self, **catalogs: list[Skill]) -> None:
        self.catalogs = catalogs

    @hookimpl
    def netplan_register_skill_catalogs(self, register: Any) -> None:
        for name, skills in self.catalogs.items():
            register(name, skills)


def host_of(*plugins: object, strict: bool = False) -> PluginHost:
    environ = {"NETPLAN_STRICT_PLUGINS": "1"} if strict else {}
    return PluginHost(entry_points=False, builtins=False, plugins=plugins, environ=environ)


def test_a_built_in_skills_id_stays_the_built_in_skill() -> None:
    shadow = Skill("following_up", "Following up, the coach's way")
    copy = next(s for s in netplan.BUILTIN_SKILLS if s.id == "active_listening")

    class Coach(Catalogs):
        pass

    host = host_of(Coach(coaching=[shadow, copy, HOSTING]))
    assert host.skills == {HOSTING.id: HOSTING}
    error = host.report()["Coach"].error
    assert error is not None
    assert "'following_up' of a built-in skill, which is used instead" in error
    assert "like 'coaching:following_up'" in error
    assert "active_listening" not in error  # the same skill as the built-in: harmless
    with pytest.raises(netplan.PluginError, match="of a built-in skill"):
        host_of(Coach(coaching=[shadow]), strict=True)


def test_an_id_two_catalogs_give_differently_is_offered_by_neither() -> None:
    class One(Catalogs):
        pass

    class Two(Catalogs):
        pass

    hosting_too = Skill(HOSTING.id, "Hosting meetups, bigger")
    host = host_of(One(one=[HOSTING, MENTORING]), Two(two=[hosting_too, MENTORING]))
    assert dict(host.skills) == {MENTORING.id: MENTORING}  # the same skill, once
    assert host.skill_origins == {MENTORING.id: "one"}
    for plugin in ("One", "Two"):
        error = host.report()[plugin].error
        assert error is not None
        assert "skill catalogs 'one' (plugin 'One') and 'two' (plugin 'Two')" in error
        assert f"different skills the id {HOSTING.id!r}, so none is offered" in error
    # Still both catalogs as registered.
    assert host.skill_catalogs["two"] == (hosting_too, MENTORING)


def test_skills_come_by_catalog_name_whatever_the_loading_order() -> None:
    class A(Catalogs):
        pass

    class B(Catalogs):
        pass

    one = host_of(B(zeta=[HOSTING]), A(alpha=[MENTORING]))
    two = host_of(A(alpha=[MENTORING]), B(zeta=[HOSTING]))
    assert list(one.skills) == list(two.skills) == [MENTORING.id, HOSTING.id]


# -- copying, as a property -------------------------------------------------------------

_ids = st.from_regex(r"[a-z]{1,3}:[a-z_]{1,6}", fullmatch=True)
_catalogs = st.lists(
    st.builds(Skill, _ids, st.sampled_from(["One", "Two", "Three"])),
    unique_by=lambda s: s.id,
    min_size=1,
    max_size=6,
)


@given(
    catalog=_catalogs,
    data=st.data(),
)
def test_copying_is_idempotent_and_independent_of_order(
    catalog: list[Skill], data: st.DataObject
) -> None:
    used = data.draw(st.lists(st.sampled_from(catalog), unique=True, min_size=1), label="used")
    practised = data.draw(st.sets(st.sampled_from([s.id for s in catalog])), label="practised")
    shuffled = data.draw(st.permutations(catalog), label="shuffled")
    assessment = rated(*(Rating(s.id, 3) for s in used))
    action = PlannedAction("Practise", skills=practised)

    def apply(offered: list[Skill]) -> Plan:
        plan = Plan("Maya", start=DAY).assess(assessment, catalog=offered)
        return plan.add_action(action, catalog=offered)

    plan = apply(catalog)
    assert apply(shuffled) == plan  # the catalog's order changes nothing
    ids = [s.id for s in plan.skills]
    assert len(ids) == len(set(ids))  # each copied once
    rated_ids = sorted(s.id for s in used)
    assert ids == rated_ids + sorted(practised - set(rated_ids))  # only what is used, by id
    # Again: nothing more is copied; the plan stays valid without any catalog.
    assert plan.replace_action(action, catalog=shuffled).skills == plan.skills
    assert plan.edit_action("practise", skills=practised, catalog=catalog).skills == plan.skills
    assert netplan.from_data(netplan.to_data(plan), Plan) == plan
