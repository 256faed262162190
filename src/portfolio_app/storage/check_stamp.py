"""The last good start-up check, remembered: the CLI skips the check on an unchanged file.

`.last-check.json` in the data folder holds, for the database and its `-wal`, the size,
mtime_ns, ctime_ns and inode seen right after a check found nothing wrong (written owner-only,
atomically). The next start compares them with the files as they are: all equal, and the check
is skipped; anything different, a missing or unreadable stamp: the full check, as before.

ctime is the part that cannot be set back: `os.utime` (or a tool restoring an mtime) sets it to
now, and so does every write, a chmod or a copy over the file. Only a changed system clock or a
write below the file system (a disk fault that changes no metadata) slips past; SQLCipher then
still refuses the damaged page when it is read (a one-line error), and `portfolio-app check`,
the window (which always checks) and every backup's own check find it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from portfolio_app.atomic_files import write_text_atomically

__all__ = ["STAMP_NAME", "files_state", "forget", "is_unchanged", "remember_good_check"]

log = logging.getLogger(__name__)

STAMP_NAME = ".last-check.json"
_VERSION = 2  # 2: the -wal's header too
_WAL_HEADER = 32  # bytes: magic, format, page size, checkpoint sequence, salts, checksums


def _stamp_path(database: Path) -> Path:
    return database.with_name(STAMP_NAME)


def _describe(path: Path) -> dict[str, Any] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if info.st_size == 0 and path.name.endswith("-wal"):
        return None  # an empty write-ahead log holds nothing: the same as none
    described: dict[str, Any] = {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
        "inode": info.st_ino,
    }
    if path.name.endswith("-wal"):
        # A log begun afresh after a checkpoint may end up the same size within one clock
        # tick; its header's salts are new random numbers each time it starts over.
        with open(path, "rb") as log_file:
            described["header"] = log_file.read(_WAL_HEADER).hex()
    return described


def _files(database: Path) -> dict[str, Any]:
    wal = database.with_name(database.name + "-wal")
    return {"version": _VERSION, "database": _describe(database), "wal": _describe(wal)}


def files_state(database: Path) -> dict[str, Any] | None:
    """The database's and its -wal's size, mtime_ns, ctime_ns and inode (and the log's
    header) now, as JSON-ready values; None if the database is missing or cannot be read.
    Any write by anyone changes it (see the module's note for what slips past)."""
    try:
        state = _files(database)
    except OSError as exc:
        log.debug("Cannot describe %s: %s", database, exc)
        return None
    return state if state["database"] is not None else None


def is_unchanged(database: Path) -> bool:
    """Whether the database (and its -wal) are exactly as they were at the last good check."""
    try:
        stored = json.loads(_stamp_path(database).read_text(encoding="utf-8"))
        current = _files(database)
    except (OSError, ValueError) as exc:
        log.debug("No usable check stamp for %s: %s", database, exc)
        return False
    return current["database"] is not None and stored == current


def remember_good_check(database: Path) -> None:
    """Record the files as they are now, right after a check found nothing wrong. A stamp
    that cannot be written only means the next start checks again."""
    try:
        text = json.dumps(_files(database), sort_keys=True)
        write_text_atomically(_stamp_path(database), text)
    except OSError as exc:
        log.warning("Could not remember the start-up check for %s: %s", database, exc)


def forget(database: Path) -> None:
    """Drop the stamp (damage found): the next start runs the full check."""
    try:
        os.unlink(_stamp_path(database))
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("Could not remove the check stamp for %s: %s", database, exc)
