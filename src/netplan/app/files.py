"""Importing files into a stored plan: finding the format, reading within bounds, and
applying every file of a call in one all-or-nothing step.

The importers themselves are pure (:mod:`netplan.core.importing`); this module is where files
are opened. A path may be a file, a folder (a LinkedIn export unpacked) or a zip archive
(the export as downloaded): every file in it that an importer recognises is read, people
before the messages that mention them, and the rest is listed as skipped. An application
imports an upload the same way: its bytes or a binary file object, with its file's name
(``import_files(store, plan_id, request_file, importers, name="contacts.vcf")``), read
within the same bounds, a zip upload member by member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, NamedTuple, TypeAlias, TypeVar, cast

from netplan.core.batch import Batch
from netplan.core.context import FileContext, InContext
from netplan.core.errors import MISSING, ConflictError, NetplanError, ValidationError
from netplan.core.findings import Rule
from netplan.core.importing import (
    UNRECOGNISED,
    CalendarWindow,
    Changes,
    Imported,
    Importer,
    ImportReport,
    Windowed,
    plan_import,
)
from netplan.core.metrics import Metric
from netplan.core.network import Contact
from netplan.formats.exports import Exporter
from netplan.storage import Store, add_batch, log_version
from netplan.stores._files import atomic_write, check_writable_dir

__all__ = [
    "MAX_BYTES",
    "MAX_TOTAL_BYTES",
    "UNRECOGNISED",
    "ImportSource",
    "Imported",
    "export_file",
    "import_files",
]

ImportSource: TypeAlias = str | os.PathLike[str] | bytes | IO[bytes]
"""What :func:`import_files` imports: a path (a file, a folder, a zip archive), or an
upload: its bytes, or a binary file object (``open(..., "rb")``, ``io.BytesIO``, a web
framework's uploaded file) to read them from."""

MAX_BYTES = 200 * 1024 * 1024
"""The largest file (or zip member, once inflated) read: a bound, not a format limit."""

MAX_TOTAL_BYTES = 200 * 1024 * 1024
"""The most one import reads in all: every file of a folder, every member of a zip
archive once inflated (a zip whose members say they hold more is refused before any is
inflated). A bound on the memory an import takes, whatever the archive holds."""

CALENDAR_PAST = dt.timedelta(days=365)
CALENDAR_AHEAD = dt.timedelta(days=183)
"""The default window for calendars: recurring events are expanded from a year back to
six months ahead of today, and floating times read in the plan's zone."""

_SNIFF_BYTES = 8192
_SURE = 0.5
_CHUNK = 1 << 20  # bytes read at a time
_NAME_CHARS = 200  # the longest file name shown


def import_files(
    store: Store,
    plan_id: str,
    path: ImportSource,
    importers: Mapping[str, Importer],
    *,
    name: str | None = None,
    format: str | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    max_bytes: int = MAX_BYTES,
    window: CalendarWindow | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    me: Collection[str] = (),
    max_total: int = MAX_TOTAL_BYTES,
    attempts: int = 3,
    metrics: Mapping[str, Metric] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> Imported:
    """Import a file, a folder or a zip archive into the stored plan ``plan_id``: a path,
    or an upload (its ``bytes``, or a binary file object to read them from).

    ``name`` is the file's name as the person knows it (an upload's, as their browser
    sent it: only its last part is kept): it names the file in reports, problems and
    errors, and its suffix helps tell the format. It must be given with an upload
    (a :class:`ValidationError` on ``import.name`` says so); for a path it defaults to
    the path's own name (give it when the path is a temporary copy of an upload, so
    nothing shows the server's path). An upload of a zip archive is read as a zip path
    is: every member an importer recognises.

    Each file's format is ``format`` (an importer's name) or the importer most sure of
    it. Nothing is stored unless every file can be imported (or ``skip_bad`` leaves the
    bad records out), and a ``dry_run`` stores nothing at all.

    Calendars are read within ``window`` (by default, a year back to six months ahead
    of ``today``, floating times in the plan's zone); their events before ``today`` (by
    default, today in the plan's zone) count as attended. A day without a time (a
    LinkedIn connection, an all-day event) is the start of that day in the plan's zone.

    ``me``, the person's own email addresses, keeps them from becoming a contact of
    theirs: in their own calendar they attend every event.

    An importer that declares ``in_context`` (:class:`~netplan.core.context.InContext`)
    reads with a :class:`~netplan.core.context.FileContext` of ``today``, the plan's zone,
    ``window`` and the installed ``metrics`` and ``rules`` (none unless given); one that
    declares only ``within`` (:class:`~netplan.core.importing.Windowed`) gets ``window``.

    ``progress(done, total, name)`` is called as the work goes: once per file read,
    once per file planned, and once when everything is stored (a command's progress
    bar).

    Files are read within bounds: each file (or zip member, once inflated) up to
    ``max_bytes``, and all of them together up to ``max_total``. An upload is a file
    too: at most ``max_bytes`` as received (a file object is read a chunk at a time, and
    never past ``max_bytes + 1`` bytes). A folder's files are those inside it: a link to
    a file outside it is skipped (name the file itself to import it).

    The files are read once, then planned against the plan's log and written in one
    step checked against the version of the log they were planned from
    (:meth:`~netplan.storage.BatchStore.log_version`): when another request wrote to the
    log in between (another import, a logged interaction), nothing is written and the
    files are planned again on the new log, up to ``attempts`` times in all.

    Raises:
        ConflictError: the log changed under each of the ``attempts``: nothing was
            written; run the import again (later).
        ValidationError: the path does not exist, an upload comes without ``name`` or
            is neither bytes nor a binary file object, a file is too large, the files
            are too large together, a zip archive is damaged, encrypted or compressed in
            a way netplan cannot read (the message names the archive and the member),
            ``format`` names no installed importer, or a single file's format cannot be
            told.
        ImportAbortedError: a file has records that cannot be read (without skip_bad).
    """
    given, shown = _source(path, name)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
        raise ValidationError("import.attempts", attempts, "must be a whole number of 1 or more")
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
    context = FileContext(today, zone, window, metrics or {}, rules or {})
    source = given if isinstance(given, Path | bytes) else _received(given, shown, max_bytes)
    if isinstance(source, bytes) and len(source) > max_bytes:
        raise ValidationError(f"import.{shown}", len(source), f"must be at most {_size(max_bytes)}")
    kind = _kind(source)
    chosen: list[tuple[str, Importer, bytes]] = []
    skipped: list[str] = []
    reasons: list[tuple[str, str]] = []
    budget = _Budget(shown, kind, max_bytes, max_total)
    for name, head, read, why in _files(source, shown, kind, budget):
        if why:
            skipped.append(name)
            reasons.append((name, why))
            continue
        importer = importers[format] if format else _detect(name, head, importers)
        if importer is None:
            if not kind:  # a single file
                tried = ", ".join(sorted(importers)) or "none installed"
                raise ValidationError(
                    "import.format",
                    name,
                    f"cannot be told from the file (importers tried: {tried}); pass format=",
                )
            skipped.append(name)
            continue
        chosen.append((name, _prepared(importer, context), read()))
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
    for attempt in range(1, attempts + 1):
        # The version first, then the log: a write landing in between makes the version
        # stale, never the log, so the import is refused rather than planned on old data.
        version = log_version(store, plan_id)
        working = store.load_log(plan_id)
        reports: list[ImportReport] = []
        planned: list[Changes] = []
        for number, (_, name, importer, records) in enumerate(parsed, 1):
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
            if number < len(parsed):
                # The working copy is only for planning the next files: no need to guard it.
                changes.apply_unchecked(working)
            reports.append(changes.report)
            planned.append(changes)
            if attempt == 1:
                step(name)
        batch, replaced = _together(planned)
        if dry_run or not (batch or replaced):
            break
        try:
            # Every file of the call in one step: a bad file leaves the plan as it was.
            # Checked against the log's version in the store's write: an import or edit
            # that landed since the log was read makes this a ConflictError, all unwritten.
            add_batch(store, plan_id, batch, replace=replaced, expected_version=version)
            break
        except ConflictError:
            # Planned again from the files already read (an upload cannot be read twice).
            if attempt == attempts or version is None:
                raise
    step("stored" if not dry_run else "dry run")
    reports.sort(key=lambda report: report.file)
    return Imported(tuple(reports), tuple(skipped), dry_run, tuple(reasons))


def _together(planned: list[Changes]) -> tuple[Batch, tuple[Contact, ...]]:
    """What the files of one import add, as one batch (still column by column), and the
    contacts they update that were there before; a contact an earlier file added and a
    later one updated is added in its final form."""
    batches = [changes.batch for changes in planned]
    added = {key for batch in batches for key in batch.contacts.ids}
    final: dict[str, Contact] = {}
    replaced: dict[str, Contact] = {}
    for changes in planned:
        for contact in changes.update:
            (final if contact.id in added else replaced)[contact.id] = contact
    return Batch.joined(batches, final), tuple(replaced.values())


def _content_key(data: bytes, files: int) -> bytes:
    """What orders the files of one import: a digest of the set of their lines (with
    repeats; blank lines left out), the same whatever the file's name or the order of its
    rows (nothing to order for one). Taken a chunk at a time: no list of the lines of a
    file, which for a file of empty lines would be eight times its size."""
    if files < 2:
        return b""
    count = first = second = 0
    for chunk in _byte_chunks(data):
        lines = list(filter(None, chunk.replace(b"\r", b"\n").split(b"\n")))
        count += len(lines)
        first += sum(map(zlib.crc32, lines))
        second += sum(map(zlib.adler32, lines))
    return hashlib.sha256(f"{count} {first} {second}".encode()).digest()


def _byte_chunks(data: bytes, size: int = 1 << 16) -> Iterator[bytes]:
    """``data`` in chunks of whole lines of about ``size`` bytes (a chunk of empty lines
    splits into eight times its size)."""
    start = 0
    while start < len(data):
        cut = data.find(b"\n", start + size)
        end = len(data) if cut < 0 else cut + 1
        yield data[start:end]
        start = end


_Prepared = TypeVar("_Prepared", Importer, Exporter)


def _prepared(found: _Prepared, context: FileContext) -> _Prepared:
    """``found`` as it reads or writes: with the context if it takes one, else within
    the context's window if it takes that."""
    if isinstance(found, InContext):
        return cast(_Prepared, found.in_context(context))
    if isinstance(found, Windowed):
        return cast(_Prepared, found.within(context.window))
    return found


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


class _Found(NamedTuple):
    """A file of the path: its name, its first kilobytes (to tell its format), how to read
    all of it, and why it is skipped unread ("" when it is not)."""

    name: str
    head: bytes
    read: Callable[[], bytes]
    why: str = ""


def _source(path: object, name: object) -> tuple[Path | bytes | IO[bytes], str]:
    """What to import, checked before anything is read: a path that exists (a file or a
    folder), an upload's bytes, or a binary file object; and the name it is shown by
    (``name``, else the path's own)."""
    if isinstance(path, str | os.PathLike):
        source = Path(path)
        shown = _shown(source.name) if name is None else _upload_name(name)
        where = str(source) if name is None else shown
        if not source.exists():
            raise ValidationError("import.path", where, "must be an existing file or folder")
        if not source.is_file() and not source.is_dir():
            raise ValidationError(
                "import.path",
                where,
                "must be a file, a folder or a zip archive (not a pipe or device)",
            )
        return source, shown
    if isinstance(path, bytes | bytearray | memoryview):
        upload: bytes | IO[bytes] = bytes(path)
    elif isinstance(path, io.TextIOBase):
        raise ValidationError(
            "import.path",
            type(path).__name__,
            "must be a binary file object: open the file with 'rb', or pass its bytes",
        )
    elif callable(getattr(path, "read", None)):
        upload = cast(IO[bytes], path)
    else:
        raise ValidationError(
            "import.path",
            type(path).__name__,
            "must be a path (str or pathlib.Path), an upload's bytes, or a binary file object",
        )
    if name is None:
        raise ValidationError(
            "import.name",
            MISSING,
            "must be given with an upload (bytes or a file object): the file's name, "
            "such as name='contacts.vcf', names it in reports and helps tell its format",
        )
    return upload, _upload_name(name)


def _upload_name(name: object) -> str:
    """The name an upload is shown by: its last part (a browser may send the whole path
    of the file on the person's computer), made safe to show."""
    if not isinstance(name, str):
        raise ValidationError("import.name", name, "must be the file's name as text")
    last = name.replace("\\", "/").rstrip("/").rpartition("/")[2].strip()
    if not last:
        raise ValidationError("import.name", name, "must be a file's name, such as 'contacts.vcf'")
    return _shown(last)


def _received(stream: IO[bytes], name: str, max_bytes: int) -> bytes:
    """All of an upload's file object, from where it stands: at most ``max_bytes``, read a
    chunk at a time and never past ``max_bytes + 1`` bytes. Not counted against the
    import's total: what is read of it is (the file, or the archive's members)."""
    return _read_at_most(stream, f"import.{name}", max_bytes, max_bytes)


def _kind(source: Path | bytes) -> str:
    """``"folder"``, ``"zip"`` (a zip archive, on disk or uploaded), or ``""`` (one file)."""
    if isinstance(source, Path):
        return "folder" if source.is_dir() else "zip" if zipfile.is_zipfile(source) else ""
    return "zip" if zipfile.is_zipfile(io.BytesIO(source)) else ""


def _files(source: Path | bytes, name: str, kind: str, budget: _Budget) -> Iterator[_Found]:
    """The files of ``source`` (a path, or an upload's bytes) of ``kind``, shown as ``name``."""
    if kind == "folder":
        assert isinstance(source, Path)
        yield from _folder(source, budget)
    elif kind == "zip":
        yield from _archive(
            source if isinstance(source, Path) else io.BytesIO(source), name, budget
        )
    else:
        yield _file(source, name, budget)


def _file(source: Path | bytes, name: str, budget: _Budget) -> _Found:
    """A file on disk or an upload's bytes: its first kilobytes now, all of it when read."""
    field = f"import.{name}"

    def opened() -> IO[bytes]:
        return source.open("rb") if isinstance(source, Path) else io.BytesIO(source)

    with opened() as stream:
        head = budget.head(stream, field)

    def read() -> bytes:
        with opened() as stream:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(0)
            return budget.read(stream, field, size, head=len(head))

    return _Found(name, head, read)


def _folder(source: Path, budget: _Budget) -> Iterator[_Found]:
    """The files inside the folder, by path, and what is skipped there: links to files
    outside it (a folder from elsewhere may hold a link to your files), links to nothing,
    pipes and devices."""
    root = source.resolve()
    found: list[Path] = []
    for folder, folders, files in os.walk(source):  # links to folders are not followed
        found.extend(Path(folder, name) for name in files)
        found.extend(Path(folder, name) for name in folders if Path(folder, name).is_symlink())
    for path in sorted(found):
        name = _shown(str(path.relative_to(source)))
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # a link to nothing, or a loop of links
                yield _Found(name, b"", bytes, "a link to nothing")
                continue
            if not target.is_relative_to(root):
                what = "folder" if target.is_dir() else "file"
                yield _Found(
                    name,
                    b"",
                    bytes,
                    f"a link to a {what} outside the folder ({_shown(str(target))}): "
                    "name the file itself to import it",
                )
                continue
            if target.is_dir():
                continue  # its files are read where they are
        if not path.is_file():
            yield _Found(name, b"", bytes, "not a file (a pipe, socket or device)")
            continue
        yield _file(path, name, budget)


def _archive(source: Path | IO[bytes], archive_name: str, budget: _Budget) -> Iterator[_Found]:
    """The members of a zip archive, on disk or uploaded (a seekable file object)."""
    try:
        archive = zipfile.ZipFile(source)
    except (PermissionError, NetplanError, MemoryError):
        raise
    except Exception as error:  # a damaged central directory
        raise ValidationError(
            f"import.{archive_name}",
            MISSING,
            f"cannot be read as a zip archive ({_said(error)}): download it again, or unzip "
            "it with another tool and import the folder",
        ) from None
    with archive:
        # Not ZipInfo.is_dir(), which fails on an empty name (a name cut at a NUL byte).
        members = sorted(
            (m for m in archive.infolist() if not m.filename.endswith("/")),
            key=lambda m: m.filename,
        )
        budget.declared(archive_name, members)
        for member in members:
            name = _shown(member.filename) or "(a member without a name)"
            field = f"import.{archive_name}:{name}"
            _check_member(member, field)

            with _zip_errors(field), archive.open(member) as stream:
                head = budget.head(stream, field)

            def read(
                member: zipfile.ZipInfo = member, field: str = field, head: bytes = head
            ) -> bytes:
                with _zip_errors(field), archive.open(member) as stream:
                    return budget.read(
                        stream, field, member.file_size, head=len(head), unpacked=True
                    )

            yield _Found(name, head, read)


try:
    from lzma import LZMAError

    _LZMA_ERRORS: tuple[type[Exception], ...] = (LZMAError,)
except ImportError:  # a Python built without lzma reads no LZMA member anyway
    _LZMA_ERRORS = ()
_INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, EOFError, *_LZMA_ERRORS)

# The compression methods the standard library reads, and the names of some it does not.
_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
}
_OTHER_METHODS = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    10: "PKWARE DCL Implode",
    18: "IBM TERSE",
    19: "IBM LZ77",
    93: "Zstandard",
    95: "XZ",
    96: "JPEG",
    97: "WavPack",
    98: "PPMd",
    99: "AES encryption",
}


def _check_member(member: zipfile.ZipInfo, field: str) -> None:
    """Refuse a member the standard library cannot read, saying why and what to do."""
    if member.flag_bits & 0x1:
        raise ValidationError(
            field,
            MISSING,
            "cannot be read: it is encrypted (the archive has a password), which netplan "
            "does not read: unzip the archive with its password and import the folder",
        )
    if member.compress_type not in _METHODS:
        method = _OTHER_METHODS.get(member.compress_type, "unknown")
        readable = ", ".join(_METHODS.values())
        raise ValidationError(
            field,
            MISSING,
            f"cannot be read: it is compressed with method {member.compress_type} "
            f"({method}), which netplan does not read (only {readable}): unzip the "
            "archive with another tool and import the folder",
        )


@contextmanager
def _zip_errors(field: str) -> Iterator[None]:
    """What the zip module raises for a damaged member (its own BadZipFile, zlib's,
    lzma's and bz2's errors, EOFError, NotImplementedError...) as a netplan error naming
    the archive and the member."""
    try:
        yield
    except (NetplanError, MemoryError):
        raise
    except zipfile.BadZipFile as error:
        if "CRC" in str(error):
            what = "its data does not match its CRC-32 checksum"
        else:
            what = f"its entry is damaged ({_said(error)})"
        raise _damaged(field, what) from None
    except PermissionError:
        raise  # the person's file system, not the archive: said as it is
    except OSError as error:  # bz2's "Invalid data stream", a seek to an offset out of it
        if error.errno is None:
            what = f"its compressed data cannot be inflated ({_said(error)})"
        else:
            what = f"its data cannot be read ({_said(error)})"
        raise _damaged(field, what) from None
    except _INFLATE_ERRORS as error:
        raise _damaged(field, f"its compressed data cannot be inflated ({_said(error)})") from None
    except Exception as error:
        raise _damaged(field, f"{type(error).__name__}: {_said(error)}") from None


def _damaged(field: str, what: str) -> ValidationError:
    return ValidationError(
        field,
        MISSING,
        f"cannot be read: the archive is damaged, {what}: download the export again, or "
        "unzip it with another tool and import the folder",
    )


def _said(error: BaseException) -> str:
    """What an error from below says, shown safely (it may quote the file)."""
    return _shown(str(error) or type(error).__name__)


def _shown(name: str) -> str:
    """A name from a file or archive, safe to show: control characters (a terminal's
    escape sequences, line breaks) escaped, and at most :data:`_NAME_CHARS` long."""
    if not name.isprintable():
        name = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in name)
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1] + "…"


def _size(count: int) -> str:
    return f"{count} bytes" if count < 1 << 20 else f"{count} bytes ({count / (1 << 20):.0f} MB)"


class _Budget:
    """What one import may read: each file up to ``max_bytes``, all of them together up
    to ``max_total``; read a chunk at a time, so a file that lies about its size (a zip
    member inflating past what it says) is refused, not read without end."""

    def __init__(self, source: str, kind: str, max_bytes: int, max_total: int) -> None:
        self.source = source
        """The name of what is imported, as shown."""
        self.kind = kind
        """``"folder"``, ``"zip"`` or ``""`` (see :func:`_kind`)."""
        self.max_bytes = max_bytes
        self.max_total = max_total
        self.left = max_total

    def declared(self, archive: str, members: list[zipfile.ZipInfo]) -> None:
        """Refuse an archive whose members say they hold too much, before any is read."""
        for member in members:
            if member.file_size > self.max_bytes:
                raise ValidationError(
                    f"import.{archive}:{_shown(member.filename)}",
                    member.file_size,
                    f"must be at most {_size(self.max_bytes)} once unpacked",
                )
        total = sum(member.file_size for member in members)
        if total > self.max_total:
            raise self._too_much(total)

    def _too_much(self, total: int) -> ValidationError:
        most = _size(self.max_total)
        if self.kind == "folder":
            rule = f"its files must hold at most {most} in all: import the ones you need one by one"
        elif self.kind == "zip":
            rule = (
                f"its files must hold at most {most} in all once unpacked: unzip it and "
                "import the ones you need one by one"
            )
        else:
            rule = f"must be at most {most}"
        return ValidationError(f"import.{self.source}", total, rule)

    def head(self, stream: IO[bytes], field: str) -> bytes:
        """The first kilobytes of ``stream``, which tell its format."""
        head = stream.read(_SNIFF_BYTES)
        self._spend(len(head))
        return head

    def read(
        self, stream: IO[bytes], field: str, size: int, *, head: int, unpacked: bool = False
    ) -> bytes:
        """All of ``stream``, which says it holds ``size`` bytes, and whose first ``head``
        were already counted."""
        once = " once unpacked" if unpacked else ""
        if size > self.max_bytes:
            raise ValidationError(field, size, f"must be at most {_size(self.max_bytes)}{once}")
        limit = min(self.max_bytes, self.left + head)
        data = _read_at_most(stream, field, limit, self.max_bytes, once)
        if len(data) > limit:  # within max_bytes, past what the import has left
            raise self._too_much(self.max_total - self.left - head + len(data))
        self._spend(len(data) - head)
        return data

    def _spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise self._too_much(self.max_total - self.left)


def _read_at_most(
    stream: IO[bytes], field: str, limit: int, max_bytes: int, once: str = ""
) -> bytes:
    """``stream`` from where it stands, a chunk at a time, never past ``limit + 1`` bytes:
    past ``max_bytes`` it is refused (naming ``field``); past a lower ``limit``, the
    ``limit + 1`` bytes read are returned, for the caller to say why that is too much."""
    out = io.BytesIO()
    for chunk in iter(lambda: stream.read(min(_CHUNK, limit + 1 - out.tell())), b""):
        if not isinstance(chunk, bytes | bytearray | memoryview):  # a text file's str
            raise ValidationError(
                field,
                type(chunk).__name__,
                "must be read as bytes: open the file with 'rb', or pass its bytes",
            )
        out.write(chunk)
        if out.tell() > limit:
            if out.tell() > max_bytes:
                raise ValidationError(
                    field, out.tell(), f"must be at most {_size(max_bytes)}{once}"
                )
            break
    return out.getvalue()


def export_file(
    store: Store,
    plan_id: str,
    path: str | Path,
    exporters: Mapping[str, Exporter],
    *,
    format: str | None = None,
    window: CalendarWindow | None = None,
    today: dt.date | None = None,
    metrics: Mapping[str, Metric] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> Path:
    """Write the stored plan ``plan_id`` and its log to ``path`` with the exporter
    ``format`` (or the one whose ``suffix`` ends the path, the longest if several do). The file is written
    atomically and readable by its owner only (contacts are people).

    An exporter that declares ``in_context`` (:class:`~netplan.core.context.InContext`)
    writes with a :class:`~netplan.core.context.FileContext`: ``today`` (today in the
    plan's zone unless given), the plan's zone, ``window`` (by default the four weeks from
    ``today``) and the installed ``metrics`` and ``rules`` (none unless given): a review
    or an agenda it writes is of that day. One that declares only ``within`` (a calendar,
    for the agenda it writes) gets ``window``.

    Raises:
        ValidationError: no exporter is named or fits the suffix (the message lists them).
    """
    target = Path(path)
    if format is not None:
        exporter = exporters.get(format)
    else:
        fitting = [e for e in exporters.values() if target.name.endswith(e.suffix)]
        # The longest suffix is the most specific: "maya.progress.csv" is a plugin's
        # ".progress.csv", not any ".csv".
        longest = max((len(e.suffix) for e in fitting), default=0)
        fitting = [e for e in fitting if len(e.suffix) == longest]
        exporter = fitting[0] if len(fitting) == 1 else None
    if exporter is None:
        known = ", ".join(f"{n} ({e.suffix})" for n, e in sorted(exporters.items())) or "none"
        raise ValidationError(
            "export.format",
            format or target.name,
            f"must name an installed exporter, or the path end with one's suffix: {known}",
        )
    plan = store.load(plan_id)
    today = plan.zone.day(dt.datetime.now(dt.UTC)) if today is None else today
    if window is None:
        window = CalendarWindow(today, today + dt.timedelta(days=28), plan.zone.tzinfo)
    context = FileContext(today, plan.zone, window, metrics or {}, rules or {})
    data = _prepared(exporter, context).export(plan, store.load_log(plan_id))
    check_writable_dir(target.parent, "export folder")
    atomic_write(target, data)
    return target
