"""Birthdays: read as address books write them, kept without a year when there is none,
and offered in the agenda for the tiers the plan names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.agenda import ItemKind, ItemState


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        (" --12-25", "--12-25"),  # Google, no year
        ("--1225", "--12-25"),  # vCard 3/4, no year
        ("1604-12-25", "--12-25"),  # Apple: 1604 means no year
        ("0/0/00", ""),  # Outlook: none
        ("", ""),
        ("12/25/1990", "1990-12-25"),  # Outlook, US order
        ("1990-12-25", "1990-12-25"),
        ("19901225", "1990-12-25"),  # vCard 3 basic form
        ("1985-04-07T00:00:00Z", "1985-04-07"),
        ("2/29/1604", "--02-29"),
    ],
)
def test_a_birthday_is_read_as_address_books_write_it(written: str, kept: str) -> None:
    assert netplan.read_birthday(written) == kept


@pytest.mark.parametrize("text", ["circa 1800", "1990-02-30", "13/01/1990", "--1332"])
def test_a_birthday_netplan_cannot_read_says_which_forms_it_reads(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        netplan.read_birthday(text)


@given(st.dates(dt.date(1901, 1, 1), dt.date(2100, 12, 31)), st.booleans())
def test_a_birthday_read_back_is_the_same_day(day: dt.date, with_year: bool) -> None:
    text = day.isoformat() if with_year else f"--{day:%m-%d}"
    assert netplan.read_birthday(text) == text
    assert netplan.Contact("Priya", birthday=text).birthday == text
    assert netplan.birthday_on(text, day.year) == day


def test_29_february_falls_on_the_28th_in_other_years() -> None:
    assert netplan.birthday_on("--02-29", 2027) == dt.date(2027, 2, 28)
    assert netplan.birthday_on("--02-29", 2028) == dt.date(2028, 2, 29)
    assert netplan.birthday_on("", 2027) is None


def test_a_contact_refuses_a_birthday_that_is_no_day() -> None:
    with pytest.raises(netplan.ValidationError, match="birthday"):
        netplan.Contact("Priya", birthday="--02-30")


def _plan_and_log(tiers: tuple[str, ...]) -> tuple[netplan.Plan, netplan.ActivityLog]:
    plan = netplan.Plan("Maya", start=dt.date(2026, 1, 1), birthday_tiers=tiers)
    log = netplan.ActivityLog()
    log.add(
        netplan.Contact("Priya Shah", tier="a", birthday="--12-12"),
        netplan.Contact("Bo Chen", tier="c", birthday="1990-12-10"),
        netplan.Contact("Lena Berg", tier="a", birthday="--01-02"),
    )
    return plan, log


def test_the_agenda_offers_the_birthdays_of_the_plan_s_tiers() -> None:
    plan, log = _plan_and_log(("A",))
    assert plan.birthday_tiers == {"a"}
    week = netplan.agenda(plan, log, dt.date(2026, 12, 7), dt.date(2026, 12, 14))
    (item,) = [i for i in week.items if i.kind is ItemKind.BIRTHDAY]
    assert item.reason == "Birthday of Priya Shah on 12 Dec" and item.due == dt.date(2026, 12, 12)
    assert item.contact == "priya-shah" and item.state is ItemState.OPEN
    # Bo Chen is of tier c: not offered. Across the new year, Lena's is.
    turn = netplan.agenda(plan, log, dt.date(2026, 12, 28), dt.date(2027, 1, 4))
    assert [i.reason for i in turn.items] == ["Birthday of Lena Berg on 2 Jan"]
    assert netplan.agenda(netplan.Plan("Maya", start=plan.start), log, *_december()).items == ()


def _december() -> tuple[dt.date, dt.date]:
    return dt.date(2026, 12, 1), dt.date(2027, 1, 1)


def test_a_birthday_wished_on_the_day_is_done() -> None:
    plan, log = _plan_and_log(("a",))
    log.add(
        netplan.Interaction(
            "message", dt.datetime(2026, 12, 12, 9, tzinfo=dt.UTC), contact="priya-shah"
        )
    )
    week = netplan.agenda(
        plan, log, dt.date(2026, 12, 7), dt.date(2026, 12, 14), as_of=dt.date(2026, 12, 13)
    )
    (item,) = week.items
    assert item.state is ItemState.DONE


def test_birthday_tiers_are_kept_with_the_plan() -> None:
    plan, _ = _plan_and_log(("a", "b"))
    assert netplan.from_data(netplan.to_data(plan), netplan.Plan) == plan


def test_the_command_line_chooses_the_tiers_and_lists_the_birthdays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from netplan.cli import main

    monkeypatch.setattr(netplan.cli, "_now", lambda: dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC))
    monkeypatch.setenv("NETPLAN_STORE", f"sqlite://{tmp_path / 'plans.db'}")
    monkeypatch.delenv("NETPLAN_PLAN", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["init", "--name", "Maya", "--timezone", "UTC"]) == 0
    (tmp_path / "priya.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Priya Shah\r\nEMAIL:priya@acme.example\r\n"
        "BDAY:--1212\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert main(["import", str(tmp_path / "priya.vcf")]) == 0
    assert main(["log", "met", "Priya Shah", "--tier", "a", "--at", "2026-12-01"]) == 0
    capsys.readouterr()
    assert main(["birthdays"]) == 0
    assert "No birthdays offered" in capsys.readouterr().out
    assert main(["birthdays", "a"]) == 0
    assert main(["birthdays"]) == 0
    assert "tiers: a" in capsys.readouterr().out
    assert main(["agenda"]) == 0
    assert "Birthday of Priya Shah on 12 Dec" in capsys.readouterr().out
    assert main(["birthdays", "--none"]) == 0
    assert main(["agenda"]) == 0
    assert "Birthday" not in capsys.readouterr().out
