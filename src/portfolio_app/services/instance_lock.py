"""One desktop app (or one restore) per data dir: a lock the kernel releases when we die.

The lock is an OS file lock (`flock` on Unix, `LockFileEx` on Windows, through `filelock`) on
`portfolio.lock` in the data dir. The kernel drops it when the process ends in any way (a crash,
SIGKILL, power cut), so nothing is ever left stale; no PID is written or compared (QLockFile's
PID check fails inside Flatpak sandboxes, where every app sees its own PIDs).

The command line may read and write while the window holds the lock (SQLite's own locking keeps
that safe); only `portfolio-app restore`, which replaces the database file, takes it too.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from types import TracebackType
from typing import Any

import filelock

from portfolio_app.paths import AppPaths
from portfolio_app.services.errors import ServiceError

LOCK_FILENAME = "portfolio.lock"

# filelock 4 may fall back to a marker file where flock is missing; such a marker would outlive
# a crash, which is what this lock avoids (filelock 3 has no fallback: nothing to turn off).
_NO_SOFT_FALLBACK: dict[str, Any] = (
    {"fallback_to_soft": False}
    if "fallback_to_soft" in inspect.signature(filelock.FileLock.__init__).parameters
    else {}
)

log = logging.getLogger(__name__)


class DataDirInUse(ServiceError):
    """Another desktop app, or a restore, has this data dir open."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        super().__init__(
            f"Portfolio is already open on {data_dir} (another window or a restore); "
            "close it and try again"
        )


def lock_path(paths: AppPaths) -> Path:
    return paths.data_dir / LOCK_FILENAME


class InstanceLock:
    """The held lock on one data dir; `release()` (or leaving the `with` block) lets it go."""

    def __init__(self, paths: AppPaths, lock: filelock.BaseFileLock | None) -> None:
        self.paths = paths
        self._lock = lock

    @property
    def held(self) -> bool:
        """False when the folder could not hold a lock file (read-only): nothing can write
        there then, so there is nothing to protect."""
        return self._lock is not None and self._lock.is_locked

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release(force=True)
            self._lock = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def acquire(paths: AppPaths) -> InstanceLock:
    """Take the data dir's lock at once, or raise `DataDirInUse` (never waits). The data dir
    is created (owner-only) if it is new."""
    target = lock_path(paths)
    # thread_local=False: the window's lock is released from whichever thread ends the app.
    lock = filelock.FileLock(target, timeout=0, thread_local=False, **_NO_SOFT_FALLBACK)
    try:
        paths.ensure()
        lock.acquire()
    except filelock.Timeout:
        raise DataDirInUse(paths.data_dir) from None
    except OSError as exc:
        # A read-only folder (or a file system without locks): the data cannot be changed
        # there by anyone, so go on without a lock rather than refuse to show it.
        log.warning("Could not lock %s: %s", target, exc)
        return InstanceLock(paths, None)
    return InstanceLock(paths, lock)
