"""A host application type-checks its calls into netplan: the plugin host's
``import_files`` and ``review`` (and the module-level ones) spell out the options of the
functions they call, so ``mypy --strict`` on the host catches a wrong kind of value, a
misspelled option, an upload of the wrong type. The public values' constructors do too:
each parameter is typed as what its field's converter takes (texts or a lone text, a
choice or its name, None where None means none), so a wrong kind there is caught as
well, and what the docs pass is accepted."""

from __future__ import annotations

import importlib
import inspect
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import netplan
from netplan.app import files
from netplan.core import evaluation
from netplan.plugins import host

SNIPPET = """
import datetime as dt
import io
from pathlib import Path

import netplan
from netplan.plugins import PluginHost

DAY = dt.date(2026, 12, 1)


def good(
    store: netplan.Store, host: PluginHost, plan: netplan.Plan, log: netplan.ActivityLog,
    upload: bytes,
) -> None:
    netplan.import_files(store, plan.id, Path("contacts.vcf"), dry_run=True, today=DAY)
    host.import_files(store, plan.id, upload, name="contacts.vcf", max_bytes=1_000_000)
    host.import_files(store, plan.id, io.BytesIO(upload), name="export.zip", me=["me@x.org"])
    netplan.review(plan, log, DAY, risk_days=3, history=4)
    host.review(plan, log, DAY, rules=[], metrics=host.metrics)


def bad(
    store: netplan.Store, host: PluginHost, plan: netplan.Plan, log: netplan.ActivityLog,
    upload: bytes,
) -> None:
    netplan.import_files(store, plan.id, "contacts.vcf", dry_run="yes")  # BAD arg-type
    host.import_files(store, plan.id, upload, name=b"contacts.vcf")  # BAD arg-type
    host.import_files(store, plan.id, upload, dryrun=True)  # BAD call-arg
    host.import_files(store, plan.id, 42, name="contacts.vcf")  # BAD arg-type
    netplan.import_files(store, plan.id, upload, today="2026-12-01")  # BAD arg-type
    netplan.review(plan, log, DAY, risk_days="2")  # BAD arg-type
    host.review(plan, log, DAY, rules="smart_goal")  # BAD arg-type
"""


def _keywords(function: Callable[..., Any], *leave_out: str) -> dict[str, tuple[Any, Any]]:
    """Each keyword-only parameter's default and annotation (as written)."""
    return {
        name: (parameter.default, parameter.annotation)
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name not in leave_out
    }


@pytest.mark.parametrize("imports", [host.PluginHost.import_files, host.import_files])
def test_the_host_imports_with_the_options_of_import_files(imports: Callable[..., Any]) -> None:
    # The host hands importers its installed metrics and rules: they are not options.
    assert _keywords(imports) == _keywords(files.import_files, "metrics", "rules")
    path = inspect.signature(imports).parameters["path"]
    assert path.annotation == inspect.signature(files.import_files).parameters["path"].annotation


@pytest.mark.parametrize("reviews", [host.PluginHost.review, host.review])
def test_the_host_reviews_with_the_options_of_review(reviews: Callable[..., Any]) -> None:
    own = _keywords(evaluation.review, "sources", "_run", "_habits")
    assert {k: v for k, v in _keywords(reviews).items() if k not in {"metrics", "rules"}} == own
    # The metrics and rules are the host's installed ones unless given.
    assert {k: v[0] for k, v in _keywords(reviews).items() if k in {"metrics", "rules"}} == {
        "metrics": None,
        "rules": None,
    }


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module's runs of mypy: netplan is analysed once."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy_strict(tmp_path: Path, cache: Path, name: str, source: str) -> tuple[Path, str, int]:
    """mypy --strict on ``source`` written as the host's module ``name``, with the host's
    own settings (not this repository's): the snippet, mypy's report and its status."""
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / name
    snippet.write_text(textwrap.dedent(source), encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    out, err, status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--show-error-codes",
            "--cache-dir",
            str(cache),
            "--config-file",
            str(config),
            str(snippet),
        ]
    )
    assert err == ""
    return snippet, out, status


def _bad_lines(snippet: Path) -> dict[int, set[str]]:
    """The error code each line marked ``# BAD code`` is to get, by line number."""
    lines = snippet.read_text(encoding="utf-8").splitlines()
    return {
        number: {code[1]}
        for number, line in enumerate(lines, 1)
        if (code := re.search(r"# BAD (\S+)", line)) is not None
    }


def _errors(snippet: Path, out: str) -> dict[int, set[str]]:
    """The error codes mypy reported, by line number (its notes left out)."""
    found: dict[int, set[str]] = {}
    for message in out.splitlines():
        if ": note: " in message:  # where the function is defined, what it takes
            continue
        where = re.match(rf"{re.escape(str(snippet))}:(\d+): error: .*\[([\w-]+)\]$", message)
        assert where is not None, f"not an error of a line marked BAD: {message}"
        found.setdefault(int(where[1]), set()).add(where[2])
    return found


def test_mypy_strict_catches_a_wrong_option_in_a_host(tmp_path: Path, mypy_cache: Path) -> None:
    snippet, out, status = _mypy_strict(tmp_path, mypy_cache, "coaching_host.py", SNIPPET)
    assert status == 1
    assert _bad_lines(snippet) == _errors(snippet, out), out


# What the docs pass to the public constructors (lists, tuples, sets and generators of
# values, a lone text for texts, a choice by its value or name, None for none): mypy
# --strict on a host accepts all of it, and so does netplan when it runs.
RIGHT_CALLS = """
import datetime as dt
from decimal import Decimal

import netplan
from netplan.core.importing import Happening, People, Person, Problem, Source, Touch

D = dt.date(2026, 11, 1)
AT = dt.datetime(2026, 11, 10, 19, tzinfo=netplan.UTC)

target = netplan.Target(2, "events_attended", per="month", segment=netplan.Segment(tag="climate"))
learn = netplan.Goal(
    "Learn about climate tech", kind="learn_industry", why="A new field.",
    targets=[target, netplan.Target(3, "coffees", per=netplan.Period.MONTH, id="coffees")],
)
job = netplan.Goal("Find a job", kind=netplan.GoalKind.FIND_JOB, status="Paused",
                   targets=(t for t in [netplan.Target(5, "referrals", by=dt.date(2027, 9, 30))]))
rating = netplan.Rating("following_up", 2, desired=4, evidence="wrote after 1 of 5 meetings")
assessment = netplan.SkillAssessment(
    D, [netplan.Rating("starting_conversations", 4), rating],
    netplan.Resources(hours_per_week=4, budget_per_month=60, memberships=["Climatebase"],
                      network=netplan.NetworkSummary(contacts=40, industries="energy")),
)
money = [netplan.Resources(hours_per_week=2.5, budget_per_month="19.90"),
         netplan.Resources(budget_per_month=Decimal("12.50"), memberships="Climatebase"),
         netplan.Resources(budget_per_month=19.99, memberships=None)]
meetup = netplan.PlannedAction(
    "Climate meetup", kind="attend_events",
    schedule=netplan.Recurrence.nth_weekday("TU", 2, start=D),
    goals={"learn-about-climate-tech"}, skills={"working_a_room"},
)
events = netplan.PlannedAction("Any two events", kind=netplan.ActionKind.ATTEND_EVENTS,
                               schedule=netplan.Quota(2, "month"), goals="find-a-job")
weekly = netplan.PlannedAction("Fridays", schedule=netplan.Recurrence("RRULE:FREQ=WEEKLY;BYDAY=FR", D))
policies = [netplan.FollowUpPolicy(within_days=2),
            netplan.FollowUpPolicy(2, after={"met", netplan.InteractionKind.COFFEE}),
            netplan.FollowUpPolicy(2, after="met", give_up_days=14)]
cadences = [netplan.CadenceRule.tier("a", ideal_days=21),
            netplan.CadenceRule("tag", "Mentor", 30, 45),
            netplan.CadenceRule(netplan.Scope.CONTACT, "omar-haddad", ideal_days=30)]
plan = netplan.Plan(
    "Maya", start=D, goals=[learn, job], assessments=[assessment], actions=(meetup, events, weekly),
    follow_up=policies[0], keep_in_touch=cadences, timezone="Europe/Berlin",
    birthday_tiers="a", owner="user-1017", labels={"coached"}, snoozed=None, completed=[],
)
zoned = netplan.Plan("Tomás", start=D, timezone=netplan.Zone.named("America/Mexico_City"),
                     skills=(), birthday_tiers=["A", "b"], labels="cohort-2026")
records = [
    netplan.Organization("Sunrise Power", industry="Energy",
                         memberships=[netplan.Membership(since=D, role="volunteer")]),
    netplan.Event("Climate Tech Summit", dt.date(2026, 11, 10), tags={"climate"},
                  starts_at=AT, ends_at=None),
    netplan.Contact("Lena Berg", tier="a", tags={"mentor"}, emails=["lena@example.org"]),
    netplan.Contact("Omar Haddad", organization="sunrise-power", tier=None, tags="climate",
                    emails="omar@example.org", phones=None, profiles=(),
                    other_companies=["Solaris"], distinct_from={"lena-berg"}, sources=["team.csv"]),
    netplan.Interaction("met", AT, contact="lena-berg", channel="in_person"),
    netplan.Interaction(netplan.InteractionKind.FOLLOW_UP, AT, contact="lena-berg",
                        channel=netplan.Channel.EMAIL, direction="outbound", notes="Thanks!"),
    netplan.Interaction("post", AT),
]
subject = netplan.Subject("plan", plan.id)
findings = [netplan.Finding("my:rule", "warning", "Add a goal to start.", subject),
            netplan.Finding("my:rule", netplan.Severity.INFO, "Noted.",
                            netplan.Subject(netplan.SubjectKind.GOAL, "find-a-job"))]
duplicate = netplan.PossibleDuplicate(["lena-berg", "lena-berg-2"], "the same name")
change = netplan.LogChange("nothing yet", added=[], removed=None)
source = Source("team.csv", line=2)
people = [Person("Ana Silva", source, emails=("ana@example.org",), tags="vip"),
          Person("Bo Chen", Source("team.csv", line=3), phones=["+49 151 2345678"], tags=None)]
columns = People("team.csv", ["Ana Silva", "Bo Chen"], lines=[2, 3],
                 emails=[("ana@example.com",), ()], connected_on=[D, None])
touch = Touch("Ana Silva", AT, "message", netplan.Direction.INBOUND, source, channel="linkedin")
happening = Happening("Meetup", D, source, attendees=(p for p in people))
problems = [Problem(source, "expected Member,Email,Joined", level="error"),
            Problem(source, "'x' is not a date; left out", "Joined")]
"""


# Wrong kinds of value, each refused by mypy --strict on its own line, and by netplan when
# it runs (a ValidationError naming the field).
WRONG_CALLS = """
import datetime as dt

import netplan
from netplan.core.importing import People, Person, Problem, Source

D = dt.date(2026, 1, 1)
AT = dt.datetime(2026, 1, 1, tzinfo=netplan.UTC)
TARGET = netplan.Target(2, "events_attended", per="month")

netplan.Plan("Maya", start=D, goals=["not a goal"])  # BAD list-item
netplan.Contact("Lena", tags=7)  # BAD arg-type
netplan.Interaction("met", "2026-01-01", contact="x")  # BAD arg-type
netplan.Plan("Maya", start=D, labels=[1])  # BAD list-item
netplan.Goal("Find a job", targets=["x"])  # BAD list-item
netplan.Goal("Find a job", targets=TARGET)  # BAD arg-type
netplan.Target(amount="4", metric="new_contacts", per="month")  # BAD arg-type
netplan.Target(4, "new_contacts", per=30)  # BAD arg-type
netplan.CadenceRule(netplan.Channel.EMAIL, "a", ideal_days=21)  # BAD arg-type
netplan.FollowUpPolicy(within_days=2, after=[netplan.Channel.EMAIL])  # BAD list-item
netplan.PlannedAction("Meetup", kind=netplan.GoalKind.FIND_JOB)  # BAD arg-type
netplan.PlannedAction("Meetup", goals=[1])  # BAD list-item
netplan.Plan("Maya", start=D, timezone=1)  # BAD arg-type
netplan.Plan("Maya", start=D, keep_in_touch=[netplan.KeepInTouch(21)])  # BAD list-item
netplan.Event("Summit", D, starts_at=D)  # BAD arg-type
netplan.Segment(tag=3)  # BAD arg-type
netplan.CadenceRule("tier", None, ideal_days=21)  # BAD arg-type
netplan.Resources(budget_per_month=[60])  # BAD arg-type
netplan.SkillAssessment(D, ratings=["following_up"])  # BAD list-item
netplan.Quota(2, per=None)  # BAD arg-type
netplan.Recurrence(rule=None, start=D)  # BAD arg-type
netplan.Finding("my:rule", 2, "Add a goal.", netplan.Subject("plan", "maya"))  # BAD arg-type
netplan.Organization("Sunrise", memberships=[D])  # BAD list-item
Person("Ana", Source("f", line=1), emails=[b"ana@example.org"])  # BAD list-item
Problem(Source("f", line=1), "no date", level=2)  # BAD arg-type
People("team.csv", ["Ana"], lines=["2"])  # BAD list-item
"""


def test_mypy_strict_accepts_what_the_docs_pass_to_constructors(
    tmp_path: Path, mypy_cache: Path
) -> None:
    snippet, out, status = _mypy_strict(tmp_path, mypy_cache, "coaching_host.py", RIGHT_CALLS)
    assert (status, out) == (0, "")
    exec(compile(snippet.read_text(encoding="utf-8"), str(snippet), "exec"), {})


def test_mypy_strict_catches_a_wrong_kind_in_a_constructor(
    tmp_path: Path, mypy_cache: Path
) -> None:
    snippet, out, status = _mypy_strict(tmp_path, mypy_cache, "coaching_host.py", WRONG_CALLS)
    assert status == 1
    assert _bad_lines(snippet) == _errors(snippet, out), out
    # netplan refuses each one too: the types say no more than the checks do.
    lines = snippet.read_text(encoding="utf-8").splitlines()
    preamble = "\n".join(line for line in lines if "# BAD" not in line)
    names: dict[str, Any] = {}
    exec(compile(preamble, str(snippet), "exec"), names)
    for number in _bad_lines(snippet):
        with pytest.raises(netplan.ValidationError):
            exec(compile(lines[number - 1], f"{snippet}:{number}", "exec"), dict(names))


# A constructor parameter mypy types as Any takes anything: the few that hold anything
# on purpose (a change's values before and after, a rule's own details).
MAY_TAKE_ANYTHING = {"Change": {"before", "after"}, "Hit": {"detail"}}


def _public_values() -> dict[str, type]:
    """The attrs classes of netplan's public names and of the core's public modules."""
    modules = [
        importlib.import_module(f"netplan.core.{path.stem}")
        for path in sorted(Path(netplan.core.__file__).parent.glob("*.py"))
        if not path.stem.startswith("_")
    ]
    values: dict[str, type] = {}
    for module in [netplan, *modules]:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value) and value not in values.values():
                values[f"{value.__module__}.{value.__qualname__}"] = value
    return values


def test_no_public_constructor_takes_anything_by_mistake(tmp_path: Path, mypy_cache: Path) -> None:
    """A field whose converter mypy cannot read (a call, an attrs.Converter, a generic or
    unannotated function) makes its parameter Any: every public one is typed."""
    values = _public_values()
    assert "netplan.core.plan.Plan" in values and "netplan.core.importing.People" in values
    modules = sorted({value.__module__ for value in values.values()})
    source = "".join(f"import {module}\n" for module in modules)
    source += "".join(f"reveal_type({path}.__init__)\n" for path in values)
    _, out, _ = _mypy_strict(tmp_path, mypy_cache, "coaching_host.py", source)
    revealed = re.findall(r'Revealed type is "def \(self: ([\w.]+), (.*)\)"', out)
    assert len(revealed) == len(values), out
    loose: dict[str, str] = {}
    for path, parameters in revealed:
        allowed = MAY_TAKE_ANYTHING.get(path.rsplit(".", 1)[1], set())
        for parameter in re.split(r", (?=\w+: )", parameters):
            field, annotation = parameter.split(": ", 1)
            if field not in allowed and re.search(r"\bAny\b|\b_?T\b", annotation):
                loose[f"{path}.{field}"] = annotation  # Any, or a type variable left open
    assert loose == {}
