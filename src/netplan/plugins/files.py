"""Importing files into a stored plan: finding the format, reading within bounds, and
applying every file of a call in one all-or-nothing step.

The importers themselves are pure (:mod:`netplan.importing`); this module is where files
are opened. A path may be a file, a folder (a LinkedIn export unpacked) or a zip archive
(the export as downloaded): every file in it that an importer recognises is read, people
before the messages that mention them, and the rest is listed as skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

from attrs import frozen

from netplan.errors import ValidationError
from netplan.formats.exports import Exporter
from netplan.importing import CalendarWindow, Importer, ImportReport, Windowed, plan_import
from netplan.network import Contact, Event, Interaction, Organization
from netplan.storage import Store
from netplan.stores._files import atomic_write, check_writable_dir

__all__ = ["MAX_BYTES", "Imported", "export_file", "import_files"]

MAX_BYTES = 200 * 1024 * 1024
"""The largest file (or zip member, once inflated) read: a bound, not a format limit."""

CALENDAR_PAST = dt.timedelta(days=365)
CALENDAR_AHEAD = dt.timedelta(days=183)
"""The default window for calendars: recurring events are expanded from a year back to
six months ahead of today, and floating times read in the plan's zone."""

_SNIFF_BYTES = 8192
_SURE = 0.5


@frozen
class Imported:
    """What importing a path did: one report per file read, and the files skipped."""

    reports: tuple[ImportReport, ...]
    skipped: tuple[str, ...]
    dry_run: bool

    def __str__(self) -> str:
        lines = [str(report) for report in self.reports]
        lines.extend(f"skipped {name}: no importer recognises it" for name in self.skipped)
        return "\n".join(lines)


def import_files(
    store: Store,
    plan_id: str,
    path: str | Path,
    importers: Mapping[str, Importer],
    *,
    format: str | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    max_bytes: int = MAX_BYTES,
    window: CalendarWindow | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    me: Collection[str] = (),
) -> Imported:
    """Import a file, a folder or a zip archive into the stored plan ``plan_id``.

    Each file's format is ``format`` (an importer's name) or the importer most sure of
    it. Nothing is stored unless every file can be imported (or ``skip_bad`` leaves the
    bad records out), and a ``dry_run`` stores nothing at all.

    Calendars are read within ``window`` (by default, a year back to six months ahead
    of ``today``, floating times in the plan's zone); their events before ``today`` (by
    default, today in the plan's zone) count as attended. A day without a time (a
    LinkedIn connection, an all-day event) is the start of that day in the plan's zone.

    ``me``, the person's own email addresses, keeps them from becoming a contact of
    theirs: in their own calendar they attend every event.

    ``progress(done, total, name)`` is called as the work goes: once per file read,
    once per file planned, and once when everything is stored (a command's progress
    bar).

    Raises:
        ValidationError: the path does not exist, a file is too large, ``format`` names
            no installed importer, or a single file's format cannot be told.
        ImportAbortedError: a file has records that cannot be read (without skip_bad).
    """
    source = Path(path)
    if not source.exists():
        raise ValidationError("import.path", str(source), "must be an existing file or folder")
    if format is not None and format not in importers:
        raise ValidationError(
            "import.format",
            format,
            f"must name an installed importer ({', '.join(sorted(importers)) or 'none'})",
        )
    zone = store.load(plan_id).zone
    today = zone.day(dt.datetime.now(dt.UTC)) if today is None else today
    if window is None:
        window = CalendarWindow(today - CALENDAR_PAST, today + CALENDAR_AHEAD, zone.tzinfo)
    chosen: list[tuple[str, Importer, bytes]] = []
    skipped: list[str] = []
    single = source.is_file() and not zipfile.is_zipfile(source)
    for name, data in _files(source, max_bytes):
        importer = importers[format] if format else _detect(name, data, importers)
        if importer is None:
            if single:
                tried = ", ".join(sorted(importers)) or "none installed"
                raise ValidationError(
                    "import.format",
                    name,
                    f"cannot be told from the file (importers tried: {tried}); pass format=",
                )
            skipped.append(name)
            continue
        if isinstance(importer, Windowed):
            importer = importer.within(window)
        chosen.append((name, importer, data))
    total, done = 2 * len(chosen) + 1, 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, name)

    parsed = []
    for name, importer, data in chosen:
        parsed.append((_content_key(data, len(chosen)), name, importer, importer.read(name, data)))
        step(name)
    # People first, then the files that mention them (messages, invitations); among
    # those, by content, not name or row order: the first file's value is the one a
    # merge keeps, so the same files give the same contacts however named or sorted.
    parsed.sort(key=lambda item: (bool(item[3].touches), item[0], item[1]))
    working = store.load_log(plan_id)
    reports: list[ImportReport] = []
    added: list[Organization | Contact | Event | Interaction] = []
    added_contacts: dict[str, int] = {}  # id -> place in ``added``
    replaced: dict[str, Contact] = {}
    for _, name, importer, records in parsed:
        changes = plan_import(
            working,
            records,
            file=name,
            format=importer.name,
            skip_bad=skip_bad,
            dry_run=dry_run,
            today=today,
            me=me,
            zone=zone,
        )
        # The working copy is only for planning the next files: no need to guard it.
        changes.apply_unchecked(working)
        reports.append(changes.report)
        step(name)
        for record in changes.add:
            if type(record) is Contact:
                added_contacts[record.id] = len(added)
            added.append(record)
        for contact in changes.update:
            # A contact an earlier file of this call added is added in its final form.
            if contact.id in added_contacts:
                added[added_contacts[contact.id]] = contact
            else:
                replaced[contact.id] = contact
    if not dry_run and (added or replaced):
        # Every file of the call in one step: a bad file leaves the plan as it was.
        store.add(plan_id, *added, replace=tuple(replaced.values()))
    step("stored" if not dry_run else "dry run")
    reports.sort(key=lambda report: report.file)
    return Imported(tuple(reports), tuple(skipped), dry_run)


def _content_key(data: bytes, files: int) -> bytes:
    """What orders the files of one import: a digest of their lines in sorted order, the
    same whatever the file's name or the order of its rows (nothing to order for one)."""
    if files < 2:
        return b""
    return hashlib.sha256(b"\n".join(sorted(data.splitlines()))).digest()


def _detect(name: str, data: bytes, importers: Mapping[str, Importer]) -> Importer | None:
    head = data[:_SNIFF_BYTES]
    scores = []
    for importer in importers.values():
        try:
            scores.append((importer.sniff(name, head), importer.name, importer))
        except Exception:  # a plugin's sniffing bug must not stop the others
            continue
    if not scores:
        return None
    score, _, best = max(scores, key=lambda item: (item[0], item[1]))
    return best if score >= _SURE else None


def _files(source: Path, max_bytes: int) -> Iterator[tuple[str, bytes]]:
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            yield str(path.relative_to(source)), _read(path, max_bytes)
        return
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for member in sorted(archive.infolist(), key=lambda m: m.filename):
                if member.is_dir():
                    continue
                if member.file_size > max_bytes:
                    raise ValidationError(
                        f"import.{source.name}:{member.filename}",
                        member.file_size,
                        f"must be at most {max_bytes} bytes once unpacked",
                    )
                with archive.open(member) as stream:
                    # Read one byte past the bound: a member lying about its size is
                    # refused, not inflated without end.
                    data = stream.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise ValidationError(
                        f"import.{source.name}:{member.filename}",
                        len(data),
                        f"must be at most {max_bytes} bytes once unpacked",
                    )
                yield member.filename, data
        return
    yield source.name, _read(source, max_bytes)


def _read(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise ValidationError(f"import.{path.name}", size, f"must be at most {max_bytes} bytes")
    return path.read_bytes()


def export_file(
    store: Store,
    plan_id: str,
    path: str | Path,
    exporters: Mapping[str, Exporter],
    *,
    format: str | None = None,
    window: CalendarWindow | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the stored plan ``plan_id`` and its log to ``path`` with the exporter
    ``format`` (or the one whose ``suffix`` ends the path). The file is written
    atomically and readable by its owner only (contacts are people).

    An exporter that needs a window (a calendar, for the agenda it writes) gets
    ``window``: by default the four weeks from ``today`` (today in the plan's zone unless
    given), in the plan's zone.

    Raises:
        ValidationError: no exporter is named or fits the suffix (the message lists them).
    """
    target = Path(path)
    if format is not None:
        exporter = exporters.get(format)
    else:
        fitting = [e for e in exporters.values() if target.name.endswith(e.suffix)]
        exporter = fitting[0] if len(fitting) == 1 else None
    if exporter is None:
        known = ", ".join(f"{n} ({e.suffix})" for n, e in sorted(exporters.items())) or "none"
        raise ValidationError(
            "export.format",
            format or target.name,
            f"must name an installed exporter, or the path end with one's suffix: {known}",
        )
    plan = store.load(plan_id)
    if isinstance(exporter, Windowed):
        if window is None:
            start = plan.zone.day(dt.datetime.now(dt.UTC)) if today is None else today
            window = CalendarWindow(start, start + dt.timedelta(days=28), plan.zone.tzinfo)
        exporter = exporter.within(window)
    data = exporter.export(plan, store.load_log(plan_id))
    check_writable_dir(target.parent, "export folder")
    atomic_write(target, data)
    return target
