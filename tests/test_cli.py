"""The ``netplan`` command, end to end: what a person types and what they see.

Most tests call :func:`netplan.cli.main` in the process (fast); a few run the installed
``netplan`` script, to check the entry point itself.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from _cli import ok, run
from netplan.cli import _globals_first, _parse, _target_text, main

NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
"""The command's clock in these tests: a Saturday, noon in London."""


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    # The command reads the clock in one place: tests give it a fixed "now", and the
    # computer's zone is UTC, so what they see does not depend on the day they run.
    monkeypatch.setattr(netplan.cli, "_now", lambda: NOW)
    monkeypatch.setenv("TZ", "UTC")
    return NOW


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite://{tmp_path / 'plans.db'}"
    monkeypatch.setenv("NETPLAN_STORE", url)
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return url


def test_review_example_shows_progress_findings_and_the_agenda(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    out = ok(capsys, "review", "--example")
    assert "Review of Maya's plan on 2026-12-15" in out
    assert "3 coffees a month (tagged climate)" in out and "on track" in out
    assert "1 more coffee by Monday" in out  # the "next" column
    # Piped: the share done in words where a terminal has a bar, and each habit.
    coffees = next(line for line in out.splitlines() if "3 coffees a month" in line)
    assert " 33% " in coffees and "17% (0/1)" in coffees
    # Findings under what they are about: people (follow-ups), then skills.
    lines = out.splitlines()
    assert lines.index("  People") < lines.index("  Skills")
    assert "    [urgent] Follow up with Olu Adeyemi" in out
    assert "suggestion: add the action 'Practise following up'" in out
    assert "Agenda 2026-12-15 to 2026-12-21" in out and "LinkedIn post" in out
    assert "\x1b[" not in out  # no colour codes when not on a terminal
    assert not Path(store.removeprefix("sqlite://")).exists()  # nothing of yours touched


def test_json_output_is_json(capsys: pytest.CaptureFixture[str], store: str) -> None:
    data = json.loads(ok(capsys, "review", "--example", "--json"))
    review = netplan.from_data(data["review"], netplan.Review)
    assert review.as_of.isoformat() == "2026-12-15" and review.findings
    assert {item["kind"] for item in data["agenda"]["items"]} >= {"follow_up", "action"}


def test_the_five_steps_from_the_command_line(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    assert "Started 'maya'" in ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(
        capsys,
        "goal",
        "add",
        "Find a job",
        "--kind",
        "find_job",
        "--target",
        "5 referrals by 2027-09-30",
        "--target",
        "4 new_contacts per month",
    )
    ok(capsys, "target", "find-a-job", "2 coffees per month tag=climate")
    goals = ok(capsys, "goal", "list")
    assert "5 referrals by 2027-09-30" in goals and "2 coffees per month (tag=climate)" in goals
    assert "following_up" in ok(capsys, "assess", "following_up=2/4", "--on", "2026-11-01")
    ok(capsys, "action", "add", "Climate meetup", "--kind", "attend_events", "--every", "2nd TU")
    assert "FREQ=MONTHLY;BYDAY=2TU" in ok(capsys, "action", "list")
    ok(capsys, "log", "attended", "Climate meetup", "--at", "2026-11-10 19:00", "--tag", "climate")
    assert "(a new contact)" in ok(
        capsys,
        "log",
        "met",
        "Lena Berg",
        "--new",
        "--at",
        "2026-11-10 19:30",
        "--event",
        "Climate meetup",
    )
    assert "Lena Berg at" in ok(capsys, "log", "coffee", "lena berg", "--at", "2026-11-12")
    out = ok(capsys, "review", "--as-of", "2026-11-20", "--apply")
    assert "Review of Maya's plan on 2026-11-20" in out and "Adopted" in out
    history = ok(capsys, "history")
    assert "added actions climate-meetup" in history and "2026-11-20" in history
    with netplan.open(store) as opened:
        log = opened.load_log("maya")
        assert [c.name for c in log.contacts] == ["Lena Berg"]
        (met,) = log.interactions(kind="met")
        assert met.event == "climate-meetup-2026-11-10"
        assert len(opened.reviews("maya")) == 1
    ics = tmp_path / "week.ics"
    out = ok(capsys, "agenda", "--from", "2026-12-07", "--ics", str(ics))
    assert "Climate meetup" in out and ics.stat().st_mode & 0o077 == 0


def test_import_and_export(capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    sheet = tmp_path / "contacts.csv"
    sheet.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Lena,Berg,https://www.linkedin.com/in/lena-berg,,Sunrise Power,CTO,10 Nov 2026\n",
        encoding="utf-8",
    )
    assert "would add 1 contacts" in ok(capsys, "import", str(sheet), "--dry-run")
    assert "added 1 contacts" in ok(capsys, "import", str(sheet))
    assert "added 0 contacts" in ok(capsys, "import", str(sheet))
    target = tmp_path / "out.vcf"
    ok(capsys, "export", str(target))
    assert "FN:Lena Berg" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("goal", "add", "X", "--target", "lots of coffee"), "is not a target; write it like"),
        (("action", "add", "X", "--every", "fortnightly"), "is not a schedule"),
        (("assess", "following_up=high"), "is not a rating"),
        (("log", "met"), "name who it was with"),
        (("log", "met", "Ana", "--at", "last tuesday"), "is not a time"),
        (("log", "met", "Ana", "--event", "Nope"), "log it first"),
        (("review", "--as-of", "15/12/2026"), "write it as YYYY-MM-DD"),
        (("import", "missing.csv"), "must be an existing file or folder"),
        (("export", "plan.docx"), "must name an installed exporter"),
        (("--plan", "nobody", "goal", "list"), "no plan 'nobody'"),
        (("log", "dance", "Ana"), "'dance' is not one of"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_failing_status(
    capsys: pytest.CaptureFixture[str], store: str, args: tuple[str, ...], message: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    code, _, err = run(capsys, *args)
    assert code != 0
    assert message in err and err.startswith("netplan: ")
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_a_missing_store_says_how_to_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--store", f"sqlite://{tmp_path / 'none.db'}", "goal", "list")
    assert code == 1 and "no store at" in err and "netplan init" in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], store: str) -> None:
    with pytest.raises(netplan.NetplanError):
        main(["--debug", "goal", "list"])


def test_several_plans_need_one_named(capsys: pytest.CaptureFixture[str], store: str) -> None:
    ok(capsys, "init", "--name", "Maya")
    ok(capsys, "init", "--name", "Ravi")
    code, _, err = run(capsys, "goal", "list")
    assert code == 1 and "maya, ravi" in err
    ok(capsys, "goal", "list", "--plan", "ravi")
    assert ok(capsys, "--json", "goal", "list", "--plan", "ravi").strip() == "[]"


def test_init_without_a_name_and_no_terminal_asks_for_the_flag(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    code, _, err = run(capsys, "init")
    assert code == 2 and "--name NAME" in err


def test_plugins_lists_what_each_registers(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(capsys, "plugins")
    assert "netplan.stores.sqlite" in out and "stores: sqlite" in out
    data = json.loads(ok(capsys, "plugins", "--json"))
    assert any(p["name"] == "netplan.plugins.rules" for p in data["plugins"])


def test_options_of_every_command_may_follow_it() -> None:
    assert _globals_first(["init", "--store", "memory://", "--name", "M", "--json"]) == [
        "--store",
        "memory://",
        "--json",
        "init",
        "--name",
        "M",
    ]
    assert _globals_first(["log", "met", "--", "--json"]) == ["log", "met", "--", "--json"]


def _script() -> str:
    found = shutil.which("netplan", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the netplan script is not installed next to this Python")
    return found


def test_the_installed_command_runs_the_example(tmp_path: Path) -> None:
    env = {**os.environ, "NETPLAN_STORE": f"sqlite://{tmp_path / 'p.db'}", "NO_COLOR": "1"}
    done = subprocess.run(
        [_script(), "review", "--example"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Findings (7)" in done.stdout


def test_the_installed_command_fails_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "NETPLAN_STORE": f"sqlite://{tmp_path / 'none.db'}"}
    done = subprocess.run(
        [_script(), "goal", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no store at" in done.stderr
    as_module = subprocess.run(
        [sys.executable, "-m", "netplan", "--version"], capture_output=True, text=True, timeout=60
    )
    assert as_module.stdout.strip() == f"netplan, version {netplan.__version__}"


metrics = st.sampled_from(["new_contacts", "coffees", "referrals", "events_attended"])
amounts = st.integers(1, 500) | st.decimals("0.5", "99.5", places=1).map(float)


@given(
    amount=amounts,
    metric=metrics,
    per=st.sampled_from(["week", "month", "quarter", "year"]) | st.none(),
    by=st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
    tag=st.none() | st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
)
def test_a_target_reads_back_as_the_list_shows_it(
    amount: float, metric: str, per: str | None, by: dt.date, tag: str | None
) -> None:
    target = netplan.Target(
        amount,
        metric,
        per=per,
        by=None if per else by,
        segment=netplan.Segment(tag=tag) if tag else None,
    )
    typed = _target_text(target).replace(" (tag=", " tag=").rstrip(")")
    assert _parse.target(typed) == target


@given(
    day=st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
    n=st.integers(1, 4),
    start=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
)
def test_schedules_as_typed_recur_as_their_rrule(day: str, n: int, start: dt.date) -> None:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n, "th")
    assert _parse.schedule(f"{n}{suffix} {day.lower()}", start) == netplan.Recurrence(
        f"FREQ=MONTHLY;BYDAY={n}{day}", start
    )
    assert _parse.schedule(f"weekly {day}", start) == netplan.Recurrence.weekly(day, start=start)
    assert _parse.schedule("3 per month", start) == netplan.Quota(3, "month")


def test_follow_up_and_keep_in_touch_fill_the_agenda(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    assert "within 2 days" in ok(capsys, "follow-up", "--within", "2")
    assert "tier=a every 21 days" in ok(capsys, "keep-in-touch", "tier=a", "--every", "21")
    ok(capsys, "log", "met", "Lena Berg", "--new", "--tier", "a", "--at", "2026-11-10 19:30")
    # Due on the 12th, and looked at on the 5th of December: 23 days late.
    agenda = ok(capsys, "agenda", "--from", "2026-11-12", "--days", "3")
    assert "Follow up with Lena Berg (met 2026-11-10)" in agenda and "23 d late" in agenda
    # Every 21 days from the 10th: due on the 1st of December, listed in its range...
    agenda = ok(capsys, "agenda", "--from", "2026-11-28", "--to", "2026-12-02")
    assert "Get in touch with Lena Berg (every 21 days, tier=a" in agenda
    # ...and, overdue, in this week's agenda too; a range with neither due day has neither.
    assert "Get in touch with Lena Berg" in ok(capsys, "agenda")
    assert "Nothing due" in ok(capsys, "agenda", "--from", "2026-12-20", "--days", "3")
    code, _, err = run(capsys, "keep-in-touch", "friends", "--every", "30")
    assert code == 2 and "write tier=a, tag=climate or contact=lena-berg" in err


def test_the_import_progress_bar_counts_every_step(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    ok(capsys, "init", "--name", "Maya")
    seen: list[tuple[int, int, str]] = []
    sheet = tmp_path / "Connections.csv"
    sheet.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Lena,Berg,https://www.linkedin.com/in/lena-berg,,Sunrise Power,CTO,10 Nov 2026\n",
        encoding="utf-8",
    )
    with netplan.open(store) as opened:
        netplan.import_files(opened, "maya", sheet, progress=lambda *step: seen.append(step))
    assert seen == [(1, 3, "Connections.csv"), (2, 3, "Connections.csv"), (3, 3, "stored")]


def test_on_a_terminal_the_import_draws_a_progress_bar(
    capsys: pytest.CaptureFixture[str],
    store: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok(capsys, "init", "--name", "Maya")
    sheet = tmp_path / "Connections.csv"
    sheet.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Lena,Berg,,,Sunrise Power,CTO,10 Nov 2026\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, "import", str(sheet))
    assert code == 0 and "added 1 contacts" in out
    assert "Importing" in err and "100%" in err


def test_an_evening_in_new_york_is_logged_on_its_own_day(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--timezone", "America/New_York")
    ok(capsys, "log", "attended", "Climate meetup", "--at", "2026-12-08T21:00-05:00")
    ok(
        capsys,
        "log",
        "met",
        "Lena Berg",
        "--new",
        "--at",
        "2026-12-08T21:30-05:00",
        "--event",
        "Climate meetup",
    )
    with netplan.open(store) as opened:
        log = opened.load_log("maya")
        (event,) = log.events()
        assert event.on == dt.date(2026, 12, 8)
        assert event.starts_at == dt.datetime(2026, 12, 9, 2, tzinfo=netplan.UTC)
        (met,) = log.interactions()
        assert met.at == dt.datetime(2026, 12, 9, 2, 30, tzinfo=netplan.UTC)


def test_the_agenda_of_a_range(capsys: pytest.CaptureFixture[str], store: str) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "action", "add", "LinkedIn post", "--every", "weekly FR")
    out = ok(capsys, "agenda", "--from", "2026-12-01", "--to", "2026-12-14")
    assert "Agenda 2026-12-01 to 2026-12-14" in out
    assert out.count("LinkedIn post") == 2  # the 4th and the 11th
    code, _, err = run(capsys, "agenda", "--from", "2026-12-14", "--to", "2026-12-01")
    assert code == 2 and "is before --from" in err


def test_a_bug_is_one_line_too_unless_debugging(
    capsys: pytest.CaptureFixture[str], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(capsys, "init", "--name", "Maya")

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(netplan.plugins.host, "review", broken)
    code, _, err = run(capsys, "review")
    assert code == 1 and "unexpected KeyError" in err and "--debug" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(KeyError):
        main(["review", "--debug"])


def test_an_empty_plan_says_what_to_do_next(capsys: pytest.CaptureFixture[str], store: str) -> None:
    ok(capsys, "init", "--name", "Ravi")
    assert "No goals yet: netplan goal add" in ok(capsys, "goal", "list")
    assert "No actions yet: netplan action add" in ok(capsys, "action", "list")
    review = ok(capsys, "review")
    assert "No targets to measure" in review and "Nothing to flag." in review
    assert "None recorded yet" in ok(capsys, "history")


def test_contacts_lists_who_and_when_last(capsys: pytest.CaptureFixture[str], store: str) -> None:
    ok(capsys, "init", "--name", "Maya")
    assert "No contacts yet" in ok(capsys, "contacts")
    ok(
        capsys,
        "log",
        "met",
        "Lena Berg",
        "--new",
        "--tier",
        "a",
        "--tag",
        "climate",
        "--at",
        "2026-11-10",
    )
    ok(capsys, "log", "met", "Ben Okafor", "--new", "--tier", "b", "--at", "2026-11-12")
    listed = ok(capsys, "contacts")
    assert listed.index("Ben Okafor") < listed.index("Lena Berg")
    assert "2026-11-10" in listed and "climate" in listed
    only = ok(capsys, "contacts", "--tier", "A")
    assert "Lena Berg" in only and "Ben Okafor" not in only
    assert [
        c["data"]["id"] for c in json.loads(ok(capsys, "contacts", "--tag", "climate", "--json"))
    ] == ["lena-berg"]


@pytest.mark.parametrize("scheme", ["sqlite", "json"])
def test_contacts_are_listed_a_page_at_a_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    # SQLite lists a page from the store; JSON from the log it reads: the same pages.
    monkeypatch.setenv("NETPLAN_STORE", f"{scheme}://{tmp_path / f'plans.{scheme}'}")
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    ok(capsys, "init", "--name", "Maya")
    people = [netplan.Contact(f"Person {n:03d}", tier="a" if n % 2 else None) for n in range(120)]
    with netplan.open(f"{scheme}://{tmp_path / f'plans.{scheme}'}") as opened:
        opened.add("maya", *reversed(people))
    first = ok(capsys, "contacts")
    assert "Person 000" in first and "Person 049" in first and "Person 050" not in first
    assert "Contacts 1 to 50 of 120, by name; --page 2 for the next" in first
    last = ok(capsys, "contacts", "--page", "3")
    assert "Person 100" in last and "Person 119" in last and "Person 099" not in last
    assert "Contacts 101 to 120 of 120, by name; --all for every one." in last
    assert "No page 4: there are 120 contacts" in ok(capsys, "contacts", "--page", "4")
    assert len(json.loads(ok(capsys, "contacts", "--all", "--json"))) == 120
    tier_a = json.loads(ok(capsys, "contacts", "--tier", "A", "--page", "2", "--json"))
    assert [c["data"]["name"] for c in tier_a] == [f"Person {n:03d}" for n in range(101, 120, 2)]


def test_a_calendar_is_imported_within_the_days_asked(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    pytest.importorskip("icalendar")
    ok(capsys, "init", "--name", "Maya")
    weekly = tmp_path / "meetup.ics"
    weekly.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:weekly@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Climate coffee\r\n"
        "DTSTART:20260105T080000Z\r\nDTEND:20260105T090000Z\r\nRRULE:FREQ=WEEKLY\r\n"
        "ORGANIZER;CN=Lena Berg:mailto:lena@example.org\r\n"
        "ATTENDEE;CN=Maya:mailto:maya@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    out = ok(
        capsys,
        "import",
        str(weekly),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--me",
        "maya@example.org",
    )
    assert "added 1 contacts, 5 events" in out  # the five Mondays of March 2026
    with netplan.open(store) as opened:
        log = opened.load_log("maya")
        assert log.events()[0].on.isoformat() == "2026-03-02"
        assert [c.name for c in log.contacts] == ["Lena Berg"]
    code, _, err = run(capsys, "import", str(weekly), "--from", "2026-03-31", "--to", "2026-03-01")
    assert code == 2 and "is before --from" in err


# -- the plan's time zone, past days, and the agenda's commands ----------------------------


def test_a_new_plan_lives_in_this_computer_s_zone_until_told_otherwise(
    capsys: pytest.CaptureFixture[str], store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    out = ok(capsys, "init", "--name", "Maya")
    assert "Your days are counted in Europe/Berlin (this computer's zone)" in out
    assert "Europe/Berlin (today there: 2026-12-05)" in ok(capsys, "timezone")
    code, _, err = run(capsys, "timezone", "Mars/Olympus")
    assert code == 1 and "ZONE: 'Mars/Olympus' is not allowed" in err and "IANA" in err
    assert "counted in America/Los_Angeles" in ok(capsys, "timezone", "america/los_angeles")
    with netplan.open(store) as opened:
        assert opened.load("maya").timezone == "America/Los_Angeles"
    code, _, err = run(capsys, "init", "--name", "Ana", "--timezone", "Europe/Berln")
    assert code == 1 and "--timezone: 'Europe/Berln'" in err and "Europe/Berlin" in err


def test_a_time_typed_without_a_zone_is_in_the_plan_s_zone(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    la = "America/Los_Angeles"
    ok(capsys, "init", "--name", "Maya", "--start", "2026-06-01", "--timezone", la)
    ok(capsys, "goal", "add", "Coffee", "--target", "4 coffees per month")
    assert "at 2026-06-30 23:30" in ok(
        capsys, "log", "coffee", "Lena Berg", "--new", "--at", "2026-06-30 23:30"
    )
    with netplan.open(store) as opened:
        (coffee,) = opened.load_log("maya")
    assert coffee.at == dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC)
    # Half past eleven on the 30th of June in Los Angeles is June's coffee.
    june = ok(capsys, "review", "--as-of", "2026-06-30")
    row = next(line for line in june.splitlines() if "4 coffees a month" in line)
    assert row.split("4 coffees a month")[1].split()[:3] == ["1", "4.0", "4"]  # actual, pace, of
    assert "Last day" in june and "3 more coffees today to meet it" in june


def test_a_past_day_s_review_knows_only_that_day_and_history_shows_it_again(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "follow-up", "--within", "2")
    ok(capsys, "log", "met", "Lena Berg", "--new", "--at", "2026-11-26 19:00")
    ok(capsys, "log", "follow_up", "Lena Berg", "--at", "2026-12-01 08:30")
    past = ok(capsys, "review", "--as-of", "2026-11-30", "--apply")
    assert "Follow up with Lena Berg: you met on 2026-11-26" in past
    assert "Follow up with Lena Berg" not in ok(capsys, "review")
    shown = ok(capsys, "history", "--show", "2026-11-30")
    assert "on 2026-11-30\n" in shown and "Follow up with Lena Berg" in shown
    again = ok(capsys, "history", "--show", "2026-11-29")
    assert "done again now: none was recorded that day" in again
    assert "Follow up with Lena Berg" in again  # due on the 28th, not followed up by the 29th
    change = ok(capsys, "history", "--compare", "2026-11-30", "2026-12-05")
    assert "resolved: [warning] Follow up with Lena Berg" in change


def test_agenda_items_are_done_snoozed_and_skipped_from_the_command_line(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "action", "add", "LinkedIn post", "--kind", "post_social", "--every", "weekly SA")
    ok(capsys, "action", "add", "Message a PM", "--kind", "reach_out", "--every", "3 per week")
    ok(capsys, "action", "add", "Volunteer", "--kind", "volunteer", "--every", "weekly SU")
    week = ok(capsys, "agenda")
    assert "2026-12-05  LinkedIn post" in week and "Message a PM (3 by 2026-12-06)" in week
    # Done by logging what it asks for: the post, a message to someone.
    assert "Logged post at 2026-12-05 12:00" in ok(capsys, "agenda", "done", "linkedin post")
    done = ok(capsys, "agenda", "done", "Message a PM", "--with", "Omar Haddad", "--new")
    assert "Logged message" in done and "(due 2026-12-06)" in done
    week = ok(capsys, "agenda")
    assert "LinkedIn post                   done" in week
    assert "Message a PM (3 by 2026-12-06)  1 of 3 done" in week
    # What the log cannot show is marked done in the plan.
    assert "Marked 'Volunteer' (due 2026-12-06) done" in ok(capsys, "agenda", "done", "volunteer")
    assert "Volunteer                       done" in ok(capsys, "agenda")
    # Snoozed: listed, and due, from its new day; skipped: listed as skipped.
    assert "to 2026-12-12" in ok(
        capsys, "agenda", "snooze", "Message a PM", "--until", "2026-12-12"
    )
    later = ok(capsys, "agenda", "--from", "2026-12-12", "--days", "1")
    assert "Message a PM (3 by 2026-12-06) (snoozed from 2026-12-06)" in later
    assert "LinkedIn post" in later and "skipped" not in later
    # By its key, as `agenda --json` lists it (docs/cli.md).
    listed = json.loads(ok(capsys, "agenda", "--from", "2026-12-12", "--days", "1", "--json"))

    def keys(value: object) -> list[str]:
        if isinstance(value, dict):
            found = [value["key"]] if isinstance(value.get("key"), str) else []
            return found + [k for v in value.values() for k in keys(v)]
        return [k for v in value for k in keys(v)] if isinstance(value, list) else []

    assert "action:linkedin-post:2026-12-12" in keys(listed)
    ok(capsys, "agenda", "skip", "action:linkedin-post:2026-12-12")
    skipped = ok(capsys, "agenda", "--from", "2026-12-12", "--days", "1")
    assert "2026-12-12  LinkedIn post" in skipped
    assert any(
        "LinkedIn post" in line and line.endswith("skipped") for line in skipped.splitlines()
    )
    code, _, err = run(capsys, "agenda", "done", "nobody at all")
    assert code == 1 and "agenda item 'nobody at all'" in err
    with netplan.open(store) as opened:
        kinds = [i.kind.value for i in opened.load_log("maya")]
        assert kinds == ["post", "message"]
        plan = opened.load("maya")
        assert [d.item for d in plan.completed] == ["action:volunteer:2026-12-06"]


def test_the_agenda_s_calendar_file_holds_only_its_items(
    capsys: pytest.CaptureFixture[str], store: str, tmp_path: Path
) -> None:
    pytest.importorskip("icalendar")
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01", "--timezone", "Europe/Berlin")
    ok(capsys, "action", "add", "LinkedIn post", "--kind", "post_social", "--every", "weekly FR")
    ok(capsys, "log", "attended", "Climate meetup", "--at", "2026-11-10 19:00")
    ics = tmp_path / "week.ics"
    ok(capsys, "agenda", "--from", "2026-12-07", "--ics", str(ics))
    written = ics.read_text(encoding="utf-8")
    assert written.count("BEGIN:VEVENT") == 1 and "SUMMARY:LinkedIn post" in written
    assert "Climate meetup" not in written  # past events are not written again


def test_review_help_explains_the_columns_as_the_docs_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from netplan.cli import REVIEW_COLUMN_WORDS

    code, out, _ = run(capsys, "review", "--help")
    assert code == 0
    docs = Path(__file__).parent.parent / "docs"
    pages = {name: (docs / name).read_text(encoding="utf-8") for name in ("cli.md", "pace.md")}
    for column, words in REVIEW_COLUMN_WORDS:
        assert f"{column:7} {words}" in out
        for name, page in pages.items():
            assert f"| {column} | {words} |" in page, (name, column)


def test_the_review_rounds_what_a_person_reads(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    # 2.5 coffees a month over the 16 days left of November is 1.333...: read as 1.33.
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-15")
    ok(capsys, "goal", "add", "Coffee", "--target", "2.5 coffees per month")
    out = ok(capsys, "review", "--as-of", "2026-11-20")
    row = next(line for line in out.splitlines() if line.startswith("Coffee"))
    assert row.split()[5:8] == ["0", "0.5", "1.33"]  # actual, pace, of
    assert "1.3333" not in out


class _Terminal(io.StringIO):
    """A standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_review_draws_a_table_per_goal_with_bars(
    monkeypatch: pytest.MonkeyPatch, store: str
) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["review", "--example"]) == 0
    shown = screen.getvalue()
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert "\x1b[" in shown  # colour, on a terminal
    # A table per goal, titled with it, a bar and "1 of 3" for each target.
    assert re.search(r"^Learn about climate tech\s*$", plain, flags=re.M)
    assert re.search(r"^Find a job\s*$", plain, flags=re.M)
    coffees = next(line for line in plain.splitlines() if line.startswith("3 coffees a month"))
    assert "━" in coffees and "1 of 3" in coffees and "on track" in coffees
    # NO_COLOR: the same tables, without colour.
    screen = _Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["review", "--example"]) == 0
    assert "\x1b[3" not in screen.getvalue() and "1 of 3" in screen.getvalue()


def test_a_name_in_brackets_prints_as_it_is(capsys: pytest.CaptureFixture[str], store: str) -> None:
    # rich reads "[bold]" as markup in a string: a person's name is never markup.
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "log", "met", "[bold]Lena[/bold] Berg", "--new", "--at", "2026-11-10 19:30")
    assert "[bold]Lena[/bold] Berg" in ok(capsys, "contacts")


def test_contacts_show_one_person(capsys: pytest.CaptureFixture[str], store: str) -> None:
    ok(capsys, "init", "--name", "Maya", "--start", "2026-11-01")
    ok(capsys, "log", "met", "Lena Berg", "--new", "--tier", "a", "--at", "2026-11-10 19:30")
    ok(capsys, "log", "coffee", "lena berg", "--at", "2026-11-20 09:00", "--notes", "solar")
    ok(capsys, "keep-in-touch", "tier=a", "--every", "21")
    out = ok(capsys, "contacts", "show", "lena  BERG", "--as-of", "2026-12-20")
    assert out.startswith("Lena Berg  [lena-berg]")
    assert "Last touch 2026-11-20, 30 days before 2026-12-20." in out
    assert "Keep in touch every 21 days (tier=a): due since 2026-12-11." in out
    rows = [line for line in out.splitlines() if line.startswith("2026-11-")]
    assert rows[0].startswith("2026-11-20 09:00  coffee") and rows[0].endswith("solar")
    assert rows[1].startswith("2026-11-10 19:30  met")
    assert "Get in touch with Lena Berg" in out  # due with her
    data = json.loads(
        ok(capsys, "--json", "contacts", "show", "lena-berg", "--as-of", "2026-12-20")
    )
    assert data["contact"]["name"] == "Lena Berg" and len(data["interactions"]) == 2
    code, _, err = run(capsys, "contacts", "show", "Lena Bergg")
    assert code != 0 and "did you mean Lena Berg" in err
    # Namesakes (an import may bring a second Lena Berg): named by their ids, to pick one.
    with netplan.open(store) as stored:
        stored.add("maya", netplan.Contact("Lena Berg", id="lena-berg-2"))
    code, _, err = run(capsys, "contacts", "show", "lena berg")
    assert code != 0 and "names several contacts (lena-berg, lena-berg-2)" in err
    assert ok(capsys, "contacts", "show", "lena-berg-2").startswith("Lena Berg  [lena-berg-2]")
