"""Running the ``netplan`` command in a test: its exit status and what it printed."""

from __future__ import annotations

import pytest

from netplan.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command's status, standard output and standard error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The output of a command that must succeed (its error shown if it does not)."""
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return out
