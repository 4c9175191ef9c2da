from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.testing import strategies as nst


@pytest.mark.parametrize(
    "call",
    [
        lambda: nst.dates(min_value=dt.date(2030, 1, 1), max_value=dt.date(2020, 1, 1)),
        lambda: nst.dates(min_value=dt.datetime(2030, 1, 1)),
        lambda: nst.goals(max_targets=-1),
        lambda: nst.ratings(skills=[]),
        lambda: nst.interactions(contact_ids=[]),
        lambda: nst.activity_logs(max_contacts=0),
        lambda: nst.plans(max_goals="3"),
        lambda: nst.agenda_items(start=dt.date(2030, 1, 1), end=dt.date(2030, 1, 1)),
        lambda: nst.agendas(max_items=-1),
        lambda: nst.imports(max_files="3"),
        lambda: nst.import_reports(file=3),
        lambda: nst.import_reports(dry_run="yes"),
    ],
)
def test_strategy_parameters_are_checked_when_called(call: object) -> None:
    with pytest.raises(netplan.ValidationError):
        call()  # type: ignore[operator]


@given(st.from_type(netplan.Plan), st.from_type(netplan.ActivityLog))
def test_from_type_works_through_the_hypothesis_entry_point(
    plan: netplan.Plan, log: netplan.ActivityLog
) -> None:
    assert isinstance(plan, netplan.Plan)
    assert isinstance(log, netplan.ActivityLog)


@given(nst.plans())
def test_generated_plans_have_consistent_references(plan: netplan.Plan) -> None:
    goal_ids = {g.id for g in plan.goals}
    for action in plan.actions:
        assert action.goals <= goal_ids
        assert all(s in plan.catalog for s in action.skills)


@pytest.mark.parametrize("module", ["netplan.testing.strategies", "netplan.testing.storage"])
def test_testing_without_hypothesis_names_the_extra(module: str) -> None:
    code = f"import sys; sys.modules['hypothesis'] = None; import {module}"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "networking-action-plan[testing]" in result.stderr


def test_the_example_plan_needs_no_hypothesis() -> None:
    # `netplan review --example` works on a plain install.
    code = (
        "import sys; sys.modules['hypothesis'] = None; "
        "from netplan.testing.example import maya; print(maya().plan.person)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Maya"
