"""Backups and restore as the user sees them: automatic backups after changes and on close,
a backup to a file of the user's choosing, the list to restore from, and restore itself."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from portfolio_app.paths import AppPaths
from portfolio_app.storage.backups import BackupInfo, Backups, checked_copy, restore_file
from portfolio_app.storage.database import Database
from portfolio_app.storage.errors import DatabaseDamaged, StorageError

__all__ = [
    "BackupInfo",
    "BackupService",
    "RestoreResult",
    "describe_backup",
    "folder_in_use",
    "newest_good_backup",
    "restore",
]

# The entries a backup's description counts, in the words the user knows.
_COUNT_WORDS = (("activities", "activity", "activities"), ("lessons", "lesson", "lessons"))


def folder_in_use(paths: AppPaths, key: bytes) -> bool:
    """Whether this data dir held data before (a taxonomy was applied to it, or it has
    backups): then a missing or empty database is damage, never a fresh start."""
    return (
        paths.applied_taxonomy.exists() or Backups(paths.backups_dir, key).newest_time() is not None
    )


class BackupService:
    def __init__(self, db: Database, paths: AppPaths, key: bytes) -> None:
        self._db = db
        self._paths = paths
        self.store = Backups(paths.backups_dir, key)
        self._key = key

    def backup_now(self) -> Path:
        """A rotated backup in the backups folder, now."""
        return self.store.make(self._db.path)

    def backup_if_due(self, *, closing: bool = False) -> Path | None:
        """A backup when the data changed since the last one and that one is 30 minutes old
        (or the app is closing). None when none was due."""
        if not self.store.is_due(self._db.path, closing=closing):
            return None
        return self.store.make(self._db.path)

    def backup_to(self, target: Path) -> None:
        """A checked, encrypted copy at `target` (same key: restore it with this data dir)."""
        if target.exists() and not target.is_file():
            raise StorageError(f"{target} is not a regular file; choose a file name")
        if target.resolve() == self._db.path.resolve():
            raise StorageError(f"{target} is the database itself; choose another file")
        checked_copy(self._db.path, target, self._key)

    def list(self) -> list[BackupInfo]:
        return self.store.list()


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    # Where the replaced file went when it was damaged (a sound one is backed up instead).
    damaged_kept_at: Path | None
    taken_at: datetime


def restore(paths: AppPaths, backup: Path, key: bytes) -> RestoreResult:
    """Put `backup` in place of the data in `paths` (whose database must not be open). The
    current data is backed up first, or kept aside if damaged; never overwritten."""
    if not backup.is_file():
        raise StorageError(f"{backup}: no such backup file")
    store = Backups(paths.backups_dir, key)
    info = store.describe(backup, datetime.fromtimestamp(backup.stat().st_mtime, UTC))
    kept = restore_file(backup, paths.database, key, store)
    with contextlib.suppress(OSError):
        paths.database.chmod(0o600)
    return RestoreResult(backup, kept, info.taken_at)


def newest_good_backup(paths: AppPaths, key: bytes) -> BackupInfo | None:
    """The newest backup in `paths`' backups folder that is sound (None if there is none)."""
    return Backups(paths.backups_dir, key).newest_good()


def describe_backup(info: BackupInfo) -> str:
    """ "3 Dec 2026 10:15 — 412 activities, 37 lessons — FILE" (local time), or why not usable."""
    local = info.taken_at.astimezone()
    when = f"{local.day} {local:%b %Y %H:%M}"
    if info.problem:
        what = f"cannot be used: {info.problem}"
    else:
        parts = []
        for table, one, many in _COUNT_WORDS:
            n = info.counts.get(table, 0)
            parts.append(f"{n:,} {one if n == 1 else many}")
        what = ", ".join(parts)
        if info.before_upgrade:
            what += " (made before an upgrade)"
    return f"{when} — {what} — {info.path}"


def restore_hint(exc: DatabaseDamaged) -> str:
    """What to do about damaged data, for the CLI's one line."""
    info = exc.newest_backup
    if isinstance(info, BackupInfo):
        local = info.taken_at.astimezone()
        n = info.counts.get("activities", 0)
        return (
            f"The newest sound backup is from {local.day} {local:%b %Y %H:%M} "
            f"({n:,} activit{'y' if n == 1 else 'ies'}): run `portfolio-app restore --newest` "
            "(the damaged file is kept)."
        )
    return "There is no sound backup to restore; the file is left as it is."
