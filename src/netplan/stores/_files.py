"""File helpers shared by the file-based stores: atomic writes, private files, write
checks and a lock file.

Files holding personal data are created owner-only (0600); folders netplan creates are
0700. Every helper raises a :class:`~netplan.core.errors.StoreError` subclass whose message
says what went wrong and what to do, naming the store in words ("the store"), and whose
``detail`` names the file or folder too (a host may show the message to a person). None of them creates a file through a
symbolic link: the stores resolve a link to the store itself before they create anything,
and a link where a lock file or a new file belongs is refused.

:func:`parse_json` and :data:`DAMAGE` are for reading back what a store wrote: a damaged
or hostile file must give the person a :class:`~netplan.core.errors.CorruptStoreError`, never
an error from below.

POSIX only (``fcntl``), like the crash guarantees it provides.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import math
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from netplan.core.errors import (
    LockTimeoutError,
    ReadOnlyStoreError,
    StoreError,
    StoreNotFoundError,
    store_error,
)

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "FileLock",
    "LockTimeoutError",
    "atomic_write",
    "check_writable_dir",
    "is_temporary",
    "json_bytes",
    "json_text",
    "json_texts",
    "parse_json",
    "private_dir",
    "private_file",
    "resolved",
]

FILE_MODE = 0o600
"""Owner read and write: the mode of every file netplan creates."""
FOLDER_MODE = 0o700
"""Owner only: the mode of every folder netplan creates."""

_TEMP_SUFFIX = ".tmp"


def resolved(path: Path) -> Path:
    """``path`` with its symbolic links resolved, so that a store created through a link
    is created (0600, by netplan) where the link points, and a write replaces the file it
    points to, not the link.

    Raises:
        StoreNotFoundError: a link that leads back to itself (Python 3.13 resolves one to
            itself without a word, where earlier ones raised: it is checked here).
    """
    try:
        found = path.resolve()
        if found.is_symlink():  # left unresolved: a loop
            found.resolve(strict=True)
    except (RuntimeError, OSError) as error:  # RuntimeError until 3.13, OSError since
        raise store_error(
            StoreNotFoundError,
            "the path given",
            path,
            "no store at {store}: it is a symbolic link that leads back to itself; "
            "remove or fix the link",
            more=str(error),
        ) from error
    return found


DAMAGE: tuple[type[Exception], ...] = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
)
"""What rebuilding values from data a file held can raise when the file is damaged or
hostile (a text where a list belongs, a date past year 9999, nesting too deep...): a
store turns these into :class:`~netplan.core.errors.CorruptStoreError` naming the file in
its ``detail``."""


class _Refused(ValueError):
    """A value JSON allows but no netplan store holds."""


def _constant(name: str) -> Any:
    raise _Refused(f"it holds {name}, which is not a number netplan writes")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"it holds the number {text[:20]}, beyond what netplan writes")
    return value


SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: text Python holds, and UTF-8 cannot encode."""


def json_text(text: str) -> str:
    """JSON text that encodes as UTF-8 whatever the strings it holds.

    ``json.dumps(..., ensure_ascii=False)`` leaves a lone surrogate (``"\\udc80"`` in a
    file, or text decoded with ``surrogateescape``) as it is, and UTF-8 cannot encode it:
    each becomes its ``\\uXXXX`` escape, which reads back as the same string. Text
    without one is returned as it is, after one fast check.
    """
    if text.isascii() or SURROGATE.search(text) is None:
        return text
    return SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


_CHUNK = 4096
"""How many texts :func:`json_texts` checks at once."""


def json_texts(texts: Sequence[str]) -> list[str]:
    """:func:`json_text` of each of ``texts``, checked a few thousand at a time: a part
    with no lone surrogate (UTF-8 encodes it whole) is kept as it is, and only a part
    holding one is escaped text by text. An import's 100,000 contacts, otherwise a
    check each."""
    out = list(texts)
    for start in range(0, len(out), _CHUNK):
        part = out[start : start + _CHUNK]
        joined = "".join(part)
        if joined.isascii():
            continue
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            out[start : start + _CHUNK] = map(json_text, part)
    return out


def json_bytes(text: str) -> bytes:
    """:func:`json_text` of ``text``, encoded as UTF-8: in one pass when it holds no lone
    surrogate (the encoder finds one in C; searching 30 MB of a store for one first
    costs ten times the encoding)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json_text(text).encode("utf-8")


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_finite)
"""Made once: ``json.loads`` with hooks makes a decoder at every call."""


def parse_json(text: str | bytes) -> Any:
    """The JSON data in ``text``, read back from a store's file.

    Raises :class:`ValueError` saying in words what is wrong, for anything a store never
    writes: text that is not JSON (:class:`json.JSONDecodeError`, with its line and
    column), ``NaN`` and ``Infinity`` or numbers too large for a float, a number with
    more digits than Python converts, nesting deeper than Python's recursion allows, or
    a value that is not text at all (SQLite keeps whatever a column is given).
    """
    if not isinstance(text, str):
        if not isinstance(text, (bytes, bytearray)):
            raise ValueError(f"it holds {type(text).__name__} where JSON text belongs")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"it is not UTF-8 text (byte {error.start}: {error.reason})") from None
    try:
        return _DECODER.decode(text)
    except (json.JSONDecodeError, _Refused):
        raise
    except RecursionError:
        raise ValueError("it nests lists or objects deeper than netplan reads") from None
    except ValueError:
        # The one other ValueError json raises: an integer past Python's digit limit.
        limit = sys.get_int_max_str_digits()
        raise ValueError(f"it holds a number of more than {limit} digits") from None


def _temporary_name(path: Path) -> Path:
    # Hidden, named after the target and unique, so a leftover from a killed writer is
    # easy to recognise (is_temporary) and never collides with a live writer's.
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")


def is_temporary(candidate: Path, path: Path) -> bool:
    """Whether ``candidate`` is a temporary file :func:`atomic_write` made for ``path``."""
    name = candidate.name
    prefix = f".{path.name}."
    token = name[len(prefix) : -len(_TEMP_SUFFIX)]
    return (
        name.startswith(prefix)
        and name.endswith(_TEMP_SUFFIX)
        and len(token) == 12
        and all(c in "0123456789abcdef" for c in token)
    )


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (the folder's entry is data too)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves the old file or
    the new one, never a mix.

    The data goes to a temporary file in the same folder (created 0600, so personal data
    is never readable by others, even briefly), is flushed and fsynced, then renamed onto
    ``path``; the folder is fsynced so the rename itself survives a power cut. On any
    error the temporary file is removed and the error re-raised. A process killed
    mid-write can leave a temporary file behind: it is never read, and
    :func:`is_temporary` recognises it for cleanup.

    The new file is 0600 whatever the old file's mode was.
    """
    path = Path(path)
    temporary = _temporary_name(path)
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        # BaseException: a KeyboardInterrupt mid-write must not leave the file behind.
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    fsync_dir(path.parent)


def private_file(path: Path) -> Path:
    """Create ``path`` as an empty owner-only (0600) file if it is missing; return it.

    An existing file is left as it is. The folder must exist. A symbolic link that
    points nowhere is refused with a :class:`~netplan.core.errors.StoreError`: whatever
    opened the path next would create the file the link names, with the mode the umask
    gives rather than 0600 (resolve the link first to create its target).
    """
    path = Path(path)
    try:
        # O_EXCL never follows a link: a link, dangling or not, is "there".
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        if path.is_symlink() and not path.exists():
            raise _dangling(path) from None
        return path
    except PermissionError as error:
        raise _read_only(path.parent, error) from error
    except OSError as error:
        if error.errno == errno.EROFS:
            raise _read_only(path.parent, error) from error
        raise
    os.close(fd)
    fsync_dir(path.parent)
    return path


def owner_only(path: Path) -> None:
    """Make the existing file ``path`` owner-only (0600, or less), if it is this user's
    and others may read or write it: a store an older netplan made with the umask's
    mode, or a copy. A file of another user, or missing, is left as it is."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no modes to keep
        return
    try:
        info = os.stat(path)
        if info.st_mode & 0o077 and info.st_uid == getuid():
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError:  # gone meanwhile, or a file system without modes
        return


def private_dir(path: Path) -> Path:
    """Create the folder ``path`` (and its parents) owner-only (0700) if missing; return it.

    Folders that already exist keep their mode: netplan only chooses the mode of what it
    creates.
    """
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return path


def check_writable_dir(path: Path, what: str = "store") -> None:
    """Raise :class:`~netplan.core.errors.ReadOnlyStoreError` unless files can be created,
    replaced and removed in the folder ``path``.

    ``what`` names what is to be written there, for the message.
    """
    path = Path(path)
    # access() also reports a read-only file system (EROFS), without creating anything.
    if not os.access(path, os.W_OK | os.X_OK):
        raise _read_only(path, None, what)


def _dangling(path: Path) -> StoreError:
    target = os.readlink(path)
    return store_error(
        StoreError,
        "the store's file",
        path,
        "{store} is a symbolic link to a file that does not exist: netplan does not create "
        "files through a link; create the store where the link points, or remove the link",
        more=f"it points to {target}; rm {path}",
    )


def _read_only(folder: Path, error: OSError | None, what: str = "store") -> ReadOnlyStoreError:
    reason = f" ({error.strerror})" if error is not None and error.strerror else ""
    return store_error(
        ReadOnlyStoreError,
        "its folder",
        folder,
        f"cannot write the {what} in {{store}}: the folder is read-only{reason}; "
        "make it writable or choose a store in a writable folder",
        more=f"chmod u+w {folder}",
    )


class FileLock:
    """An exclusive lock on ``<path>.lock``, held by one process at a time.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with FileLock(Path(folder) / "plan.json", timeout=1.0):
    ...         pass

    Waits up to ``timeout`` seconds for another process to release it, then raises
    :class:`LockTimeoutError`. The lock is ``fcntl.flock`` on an open descriptor of the
    sidecar file, so the kernel releases it when the holder exits, even by SIGKILL: a
    ``.lock`` file left behind is just an empty file and blocks nobody. The sidecar is
    never deleted (deleting it would let a waiter lock a file that is no longer the one
    others open). It is created owner-only (0600), and a symbolic link in its place is
    refused with a :class:`~netplan.core.errors.StoreError` rather than followed (a link
    would have netplan create or lock a file elsewhere).

    Not reentrant: each ``with`` opens its own descriptor, so two lock objects in one
    process exclude each other too (threads included).

    ``name`` is what its errors call the store in their message ("the JSON store"); their
    ``detail`` names the file and the lock file.
    """

    _POLL = 0.005

    def __init__(self, path: Path, *, timeout: float = 10.0, name: str = "the store") -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.timeout = timeout
        self.name = name
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, waiting up to the timeout."""
        if self._fd is not None:
            raise RuntimeError(f"the lock on {self.path} is already held by this object")
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | nofollow, FILE_MODE)
        except PermissionError as error:
            raise _read_only(self.lock_path.parent, error) from error
        except OSError as error:
            if error.errno == errno.EROFS:
                raise _read_only(self.lock_path.parent, error) from error
            if error.errno == errno.ELOOP or self.lock_path.is_symlink():
                raise store_error(
                    StoreError,
                    self.name,
                    self.path,
                    "the lock file of {store} is a symbolic link: netplan does not follow "
                    "links for its lock; remove the link and try again",
                    more=f"rm {self.lock_path}",
                ) from error
            raise
        deadline = time.monotonic() + self.timeout
        delay = self._POLL
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise store_error(
                            LockTimeoutError,
                            self.name,
                            self.path,
                            "another process is writing {store}; try again, or remove its "
                            "lock file if no netplan process is running "
                            f"(waited {self.timeout:g} s)",
                            more=f"the lock file is {self.lock_path}",
                        ) from None
                    time.sleep(delay)
                    # Back off to a few polls a second: a long write should not be
                    # contended by a busy loop.
                    delay = min(delay * 2, 0.1)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Release the lock (closing the descriptor releases the flock)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def __repr__(self) -> str:
        state = "held" if self._fd is not None else "free"
        return f"FileLock({str(self.lock_path)!r}, {state})"
