"""Safe files for store backends: what netplan's own file-based stores (JSON, and the
SQLite file's permissions) are built on, for a plugin's backend to use too.

* :func:`atomic_write` replaces a file so that a crash at any moment leaves the old file
  or the new one, never half of either, and creates it owner-only (``0600``);
* :class:`FileLock` is an exclusive lock on a sidecar ``.lock`` file that the kernel
  releases when its holder dies, with a timeout that raises
  :class:`~netplan.core.errors.LockTimeoutError`;
* :func:`private_file` and :func:`private_dir` create what holds personal data
  owner-only; :func:`check_writable_dir` explains a folder that cannot be written;
* :func:`fsync_dir` makes a rename or a removal durable; :func:`is_temporary` recognises
  a temporary file a killed writer left behind;
* :func:`resolved` follows a store path's symbolic links (a link to itself is
  :class:`~netplan.core.errors.StoreNotFoundError` on every Python).

Each raises a :class:`~netplan.core.errors.StoreError` whose message says what went wrong
and what to do, naming the store in words (``FileLock(..., name="the store")``), and whose
``detail`` names the file or folder too: a host may show the message to a person (see
:func:`netplan.storage.store_error`, to make a backend's own errors alike). POSIX only
(``fcntl``), like the guarantees they give.
"""

from __future__ import annotations

from netplan.stores._files import (
    FILE_MODE,
    FOLDER_MODE,
    FileLock,
    atomic_write,
    check_writable_dir,
    fsync_dir,
    is_temporary,
    private_dir,
    private_file,
    resolved,
)

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "FileLock",
    "atomic_write",
    "check_writable_dir",
    "fsync_dir",
    "is_temporary",
    "private_dir",
    "private_file",
    "resolved",
]
