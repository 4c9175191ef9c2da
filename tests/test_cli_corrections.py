"""Fixing the log from the command line: a typo'd contact merged, an edit, a removal, and
every one of them (and what `netplan log` added) undone, in each store that keeps a
history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import netplan
import netplan.cli
from netplan.cli import main

NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "json"])
def store(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    suffix = "db" if request.param == "sqlite" else "json"
    url = f"{request.param}://{tmp_path / f'plans.{suffix}'}"
    monkeypatch.setattr(netplan.cli, "_now", lambda: NOW)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("NETPLAN_STORE", url)
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["init", "--name", "Maya", "--timezone", "UTC", "--start", "2026-11-01"]) == 0
    return url


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code != 0, out
    return err


def _log(url: str) -> netplan.ActivityLog:
    with netplan.open(url) as opened:
        return opened.load_log("maya")


def test_a_typo_d_contact_is_merged_and_the_merge_undone(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Priya Shah", "--new", "--at", "2026-12-01")
    ok(capsys, "log", "met", "Priya Sha", "--new", "--at", "2026-12-02", "--notes", "typo")
    ok(capsys, "log", "follow_up", "Priya Sha", "--at", "2026-12-03")
    before = _log(store)
    out = ok(capsys, "contacts", "merge", "Priya Sha", "Priya Shah")
    assert "Merged Priya Sha (priya-sha) into Priya Shah (priya-shah): 2 interactions" in out
    merged = _log(store)
    assert [c.id for c in merged.contacts] == ["priya-shah"]
    assert [i.contact for i in merged.interactions()] == ["priya-shah"] * 3
    # A review counts one person met, not two.
    plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1)).add_goal(
        netplan.Goal("Grow", targets=[netplan.Target(4, "new_contacts", per="month")])
    )
    review = netplan.review(plan, merged, dt.date(2026, 12, 4))
    assert review.progress[0].actual == 1
    assert "Undid: change 4 (merged priya-sha into priya-shah)" in ok(capsys, "log", "undo")
    after = _log(store)
    assert after.contacts == before.contacts
    assert after.interactions() == before.interactions()


def test_what_netplan_log_added_is_undone_newest_first(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Lena Berg", "--new", "--at", "2026-12-01")
    ok(capsys, "log", "coffee", "Lena Berg", "--at", "2026-12-02")
    assert "logged coffee lena-berg" in ok(capsys, "log", "undo")
    assert [i.kind.value for i in _log(store).interactions()] == ["met"]
    ok(capsys, "log", "undo")
    assert _log(store).contacts == () and _log(store).interactions() == ()
    listed = ok(capsys, "log", "changes")
    assert "1       logged met lena-berg at 2026-12-01 12:00 (undone)" in listed
    assert "no change to undo" in fails(capsys, "log", "undo")  # nothing left to undo


def test_an_edit_corrects_a_contact_and_is_undone(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Priya Sha", "--new", "--at", "2026-12-01")
    out = ok(
        capsys,
        "contacts",
        "edit",
        "priya-sha",
        "--name",
        "Priya Shah",
        "--email",
        "Priya@Acme.example",
        "--company",
        "Acme",
        "--tier",
        "a",
        "--birthday",
        "12-12",
    )
    assert "Edited Priya Shah (priya-sha)" in out
    log = _log(store)
    priya = log.contact("priya-sha")
    assert (priya.name, priya.emails, priya.tier, priya.birthday) == (
        "Priya Shah",
        ("priya@acme.example",),
        "a",
        "--12-12",
    )
    assert log.organization(priya.organization or "").name == "Acme"
    ok(capsys, "log", "undo")
    log = _log(store)
    assert log.contact("priya-sha").name == "Priya Sha" and log.organizations == ()
    assert "--birthday" in fails(capsys, "contacts", "edit", "priya-sha", "--birthday", "soon")


def test_interactions_are_removed_by_day_and_kind(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Bo Chen", "--new", "--at", "2026-12-01 09:00")
    ok(capsys, "log", "coffee", "Bo Chen", "--at", "2026-12-01 15:00")
    ok(capsys, "log", "call", "Bo Chen", "--at", "2026-12-02")
    err = fails(capsys, "log", "remove", "Bo Chen", "--at", "2026-12-01")
    assert "fits 2 interactions" in err and "--kind KIND" in err and "--all" in err
    ok(capsys, "log", "remove", "Bo Chen", "--at", "2026-12-01", "--kind", "coffee")
    assert [i.kind.value for i in _log(store).interactions()] == ["met", "call"]
    ok(capsys, "log", "remove", "Bo Chen", "--all")
    assert _log(store).interactions() == ()
    ok(capsys, "log", "undo")
    assert len(_log(store).interactions()) == 2


def test_a_contact_with_interactions_is_removed_only_when_asked(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Bo Chen", "--new", "--at", "2026-12-01")
    err = fails(capsys, "contacts", "remove", "Bo Chen")
    # In the command's words, not the library's.
    assert "--with-interactions" in err and "netplan contacts merge" in err
    assert "with_interactions=True" not in err and "merge_contacts()" not in err
    ok(capsys, "contacts", "remove", "Bo Chen", "--with-interactions")
    assert _log(store).contacts == ()
    ok(capsys, "log", "undo")
    assert [c.name for c in _log(store).contacts] == ["Bo Chen"]


def test_a_name_that_is_no_contact_is_refused_with_the_close_ones(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Priya Shah", "--new", "--at", "2026-12-01")
    err = fails(capsys, "contacts", "merge", "Priya Sah", "Priya Shah")
    assert "DUPLICATE" in err and "Priya Shah" in err
    data = json.loads(ok(capsys, "log", "changes", "--json"))
    assert [c["data"]["description"] for c in data] == ["logged met priya-shah at 2026-12-01 12:00"]


def test_tier_and_tags_given_with_a_known_contact_are_kept_and_undone(
    capsys: pytest.CaptureFixture[str], store: str
) -> None:
    ok(capsys, "log", "met", "Lena Berg", "--new", "--at", "2026-12-01")
    out = ok(capsys, "log", "coffee", "Lena Berg", "--tier", "a", "--tag", "Climate")
    assert "Lena Berg is now tier a; tagged climate" in out
    lena = _log(store).contact("lena-berg")
    assert (lena.tier, lena.tags) == ("a", {"climate"})
    ok(capsys, "log", "undo")
    lena = _log(store).contact("lena-berg")
    assert (lena.tier, lena.tags) == (None, frozenset())
