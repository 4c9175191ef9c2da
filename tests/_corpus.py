"""Where the shared corpus of real files others wrote is (LinkedIn, Google, Outlook,
vCard and iCalendar exports): ``../shared/corpus`` beside the repository, or the folder
``NETPLAN_CORPUS`` names. Tests of it skip, saying how to provide it, where it is absent
(a clean clone on its own)."""

from __future__ import annotations

import os
from pathlib import Path

VARIABLE = "NETPLAN_CORPUS"
CORPUS = Path(
    os.environ.get(VARIABLE) or Path(__file__).resolve().parents[2] / "shared" / "corpus"
).resolve()


def missing(path: Path) -> str:
    """Why a test of ``path`` (in the corpus) skips, and how to run it."""
    return (
        f"{path} not found: the shared corpus of real exports is not beside the repository "
        f"(../shared/corpus); set {VARIABLE}=/path/to/corpus to run this test"
    )
