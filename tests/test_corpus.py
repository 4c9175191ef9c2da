"""Every file of the shared corpus (real exports and constructed ones, ../shared/corpus)
imports, or fails with a precise problem; none crashes an importer."""

from __future__ import annotations

import csv

import pytest

from _corpus import CORPUS as SHARED
from _corpus import missing
from netplan.plugins import PluginHost

CORPUS = SHARED


def manifest() -> list[tuple[str, str]]:
    listing = CORPUS / "MANIFEST.tsv"
    if not listing.exists():
        return []
    with listing.open(encoding="utf-8") as rows:
        return [(row["file"], row["format"]) for row in csv.DictReader(rows, delimiter="\t")]


FILES = manifest()


@pytest.mark.skipif(not FILES, reason=missing(CORPUS))
@pytest.mark.parametrize(
    ("file", "format"), FILES or [("-", "-")], ids=[f for f, _ in FILES] or ["-"]
)
def test_every_corpus_file_is_claimed_and_read_without_crashing(file: str, format: str) -> None:
    host = PluginHost(entry_points=False, environ={})
    path = CORPUS / file
    data = path.read_bytes()
    scores = {
        name: importer.sniff(path.name, data[:8192]) for name, importer in host.importers.items()
    }
    best = max(scores, key=scores.__getitem__)
    if scores[best] < 0.5:
        pytest.fail(f"no importer recognises {file} ({format}): {scores}")
    if format == "iCalendar":
        pytest.importorskip("icalendar", reason="the icalendar extra is not installed")
        assert best == "icalendar"
    parsed = host.importers[best].read(path.name, data)
    assert parsed.people or parsed.touches or parsed.events or parsed.problems
    assert all(problem.source.file == path.name for problem in parsed.problems)
    assert all(problem.source.line or problem.source.record for problem in parsed.problems)
