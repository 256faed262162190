"""Plain copies of evidence files, written so another program can open them, and removed again.

Evidence lives only inside the encrypted database; to show a file, the app writes a copy to
`paths.open_files_dir` (owner-only: folder 0700, file 0600) and hands it to the system's viewer.
Each running app (a session) keeps its copies in a folder of its own, holding a lock file for
as long as it runs. Closing the session deletes its folder; a session that crashed leaves its
folder behind with the lock released, and the next start sweeps it away. A folder whose lock is
still held belongs to an app that is running (a second window, a CLI command meanwhile) and is
left alone, so a file open in a viewer is never pulled from under it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from portfolio_app.atomic_files import write_atomically
from portfolio_app.paths import make_private_dir

log = logging.getLogger(__name__)

SESSION_PREFIX = "session-"
LOCK_NAME = ".in-use"
# Characters Windows does not allow in a file name (and the separators everywhere).
_UNSAFE = set('<>:"/\\|?*')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))}
_RESERVED |= {f"LPT{i}" for i in range(10)}


def _try_lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `path` (created 0600), or None when
    another session holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)  # closing releases a POSIX flock


def safe_file_name(name: str) -> str:
    """`name` as a file name every system accepts: unsafe characters become '_', no trailing
    dots or spaces, no reserved device name ('CON.txt' -> '_CON.txt')."""
    cleaned = "".join(
        "_" if c in _UNSAFE or unicodedata.category(c) == "Cc" else c for c in name
    ).rstrip(". ")
    if not cleaned:
        return "evidence"
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = "_" + cleaned
    return cleaned


class OpenCopies:
    """This session's plain copies, in `root/session-…/`; made on the first copy, removed by
    `close` (the app calls it when it closes)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folder: Path | None = None
        self._lock: int | None = None

    @property
    def folder(self) -> Path | None:
        """This session's folder, once a copy has been written."""
        return self._folder

    def _session_folder(self) -> Path:
        if self._folder is None:
            make_private_dir(self.root)
            folder = Path(tempfile.mkdtemp(prefix=SESSION_PREFIX, dir=self.root))  # 0700
            lock = _try_lock(folder / LOCK_NAME)
            if lock is None:  # pragma: no cover - a brand-new folder nobody else knows
                raise OSError(f"cannot lock {folder}")
            self._folder, self._lock = folder, lock
        return self._folder

    def write(self, name: str, data: bytes) -> Path:
        """A new owner-only file holding `data`, named `name` (made safe) in a folder of its
        own, so two files of one name, or one opened twice, never collide."""
        folder = Path(tempfile.mkdtemp(dir=self._session_folder()))  # 0700
        path = folder / safe_file_name(name)

        def write(handle: BinaryIO) -> None:
            handle.write(data)

        # Never half a copy handed to a viewer (a full disk raises WriteFailed, one sentence).
        write_atomically(path, write)
        return path

    def close(self) -> None:
        """Delete every copy of this session (best effort: a file a viewer on Windows still
        holds open stays, and the next start sweeps it)."""
        folder, lock = self._folder, self._lock
        self._folder = self._lock = None
        if lock is not None:
            _unlock(lock)
        if folder is not None:
            _remove_tree(folder)
            _remove_empty(self.root)


def sweep_open_copies(root: Path) -> int:
    """Delete the copies that sessions which ended without closing (a crash, power cut) left in
    `root`; a running session's are kept. Returns how many folders or files went. Never raises:
    a copy that cannot be removed now is logged and tried again at the next start."""
    if not root.is_dir():
        return 0
    removed = 0
    try:
        entries = list(root.iterdir())
    except OSError as exc:
        log.warning("cannot look for leftover open copies in %s: %s", root, exc.strerror)
        return 0
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                lock = _try_lock(entry / LOCK_NAME)
                if lock is None:
                    continue  # a running session's
                _unlock(lock)
                if not _remove_tree(entry):
                    continue
            else:
                entry.unlink()
            removed += 1
        except OSError as exc:
            log.warning("cannot remove the leftover open copy %s: %s", entry, exc.strerror)
    if removed:
        log.info("removed %d leftover folder(s) of opened evidence files", removed)
        _remove_empty(root)
    return removed


def _remove_empty(root: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another session's copies), or gone
        root.rmdir()


def _remove_tree(folder: Path) -> bool:
    """Remove `folder` and what it holds; False (and a warning) if some of it stays."""
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        log.warning("cannot remove every open copy in %s; trying again at the next start", folder)
        return False
    return True
