"""Backups and restore as the user sees them: automatic backups after changes and on close,
a backup to a file of the user's choosing, the list to restore from, and restore itself."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from portfolio_app.file_checks import InputRefused, check_input_file
from portfolio_app.paths import AppPaths
from portfolio_app.storage.backups import BackupInfo, Backups, checked_copy, restore_file
from portfolio_app.storage.database import Database, is_read_only
from portfolio_app.storage.errors import DatabaseDamaged, ReadOnlyData, StorageError

__all__ = [
    "BackupInfo",
    "BackupService",
    "RestoreResult",
    "backup_counts",
    "backup_info",
    "backup_when",
    "describe_backup",
    "folder_in_use",
    "list_backups",
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


def _fingerprint(database: Path) -> tuple[tuple[int, int] | None, ...]:
    """What a commit changes on disk: the database file, and its WAL while that holds frames
    (SQLite creates an empty WAL on open and deletes it on close; neither is a change)."""

    def stat(path: Path, *, empty_is_none: bool) -> tuple[int, int] | None:
        try:
            facts = path.stat()
        except OSError:
            return None
        if empty_is_none and facts.st_size == 0:
            return None
        return facts.st_mtime_ns, facts.st_size

    wal = database.with_name(database.name + "-wal")
    return stat(database, empty_is_none=False), stat(wal, empty_is_none=True)


class BackupService:
    def __init__(self, db: Database, paths: AppPaths, key: bytes) -> None:
        self._db = db
        self._paths = paths
        self.store = Backups(paths.backups_dir, key)
        self._key = key
        # The files as they were once open: a session that only read makes no backup.
        self._opened_as = _fingerprint(db.path)

    def changed_since_open(self) -> bool:
        """Whether anything was committed (here or by another process) since the data was
        opened: a commit appends to the WAL, or a checkpoint rewrites the database file."""
        return _fingerprint(self._db.path) != self._opened_as

    def backup_now(self) -> Path:
        """A rotated backup in the backups folder, now (`ReadOnlyData` in a read-only folder)."""
        if self._db.read_only:
            raise ReadOnlyData(self._paths.data_dir)
        with self._failures_named():
            return self.store.make(self._db.path)

    @contextlib.contextmanager
    def _failures_named(self) -> Iterator[None]:
        """SQLite's own errors while copying (a full disk: "database or disk is full") as a
        StorageError naming the backups folder; OSError and StorageError pass as they are."""
        import sqlcipher3  # type: ignore[import-untyped]  # no stubs; a DB-API 2 module

        try:
            yield
        except sqlcipher3.Error as exc:
            raise StorageError(
                f"could not make a backup in {self.store.folder}: {exc}"
                + ("; free some disk space" if "full" in str(exc) else "")
            ) from exc

    def backup_if_due(self, *, closing: bool = False) -> Path | None:
        """A backup when the data changed since it was opened and since the last backup, and
        that one is 30 minutes old (or the app is closing). None when none was due. Safe from a
        worker thread (it opens connections of its own); never run two at once."""
        if not self.changed_since_open():
            return None
        if not self.store.is_due(self._db.path, closing=closing):
            return None
        return self.backup_now()

    def backup_to(self, target: Path) -> None:
        """A checked, encrypted copy at `target` (same key: restore it with this data dir)."""
        if target.exists() and not target.is_file():
            raise StorageError(f"{target} is not a regular file; choose a file name")
        if target.resolve() == self._db.path.resolve():
            raise StorageError(f"{target} is the database itself; choose another file")
        with self._failures_named():
            checked_copy(self._db.path, target, self._key, source_read_only=self._db.read_only)

    def list(self) -> list[BackupInfo]:
        return self.store.list()


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    # Where the replaced file went when it was damaged (a sound one is backed up instead).
    damaged_kept_at: Path | None
    taken_at: datetime


# A backup holds the whole log: no size is too large to restore.
_NO_SIZE_LIMIT = 1 << 50


def restore(paths: AppPaths, backup: Path, key: bytes) -> RestoreResult:
    """Put `backup` in place of the data in `paths` (whose database must not be open). The
    current data is backed up first, or kept aside if damaged; never overwritten."""
    if is_read_only(paths.database):
        raise ReadOnlyData(paths.data_dir)
    try:  # a device, a FIFO or a folder is refused without being opened
        check_input_file(backup, max_bytes=_NO_SIZE_LIMIT, what="backup file")
    except InputRefused as exc:
        raise StorageError(str(exc)) from None
    store = Backups(paths.backups_dir, key)
    info = store.describe(backup, datetime.fromtimestamp(backup.stat().st_mtime, UTC))
    kept = restore_file(backup, paths.database, key, store)
    with contextlib.suppress(OSError):
        paths.database.chmod(0o600)
    return RestoreResult(backup, kept, info.taken_at)


def list_backups(paths: AppPaths, key: bytes) -> list[BackupInfo]:
    """Every backup in `paths`' backups folder, newest first (for a restore before the data
    can be opened: the start-up problem dialog)."""
    return Backups(paths.backups_dir, key).list()


def newest_good_backup(paths: AppPaths, key: bytes) -> BackupInfo | None:
    """The newest backup in `paths`' backups folder that is sound (None if there is none)."""
    return Backups(paths.backups_dir, key).newest_good()


def backup_when(info: BackupInfo) -> str:
    """When the backup was taken, in local time: "3 Dec 2026 10:15"."""
    local = info.taken_at.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def backup_counts(info: BackupInfo) -> str:
    """What a usable backup holds: "412 activities, 37 lessons"."""
    parts = []
    for table, one, many in _COUNT_WORDS:
        n = info.counts.get(table, 0)
        parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts)


def backup_info(paths: AppPaths, key: bytes, backup: Path) -> BackupInfo:
    """A backup file anywhere (one the user picked), described like those in the folder:
    its entry counts, or why it cannot be restored (`problem`)."""
    if is_read_only(paths.database):
        raise ReadOnlyData(paths.data_dir)
    try:  # a device, a FIFO or a folder is refused without being opened
        check_input_file(backup, max_bytes=_NO_SIZE_LIMIT, what="backup file")
    except InputRefused as exc:
        raise StorageError(str(exc)) from None
    store = Backups(paths.backups_dir, key)
    return store.describe(backup, datetime.fromtimestamp(backup.stat().st_mtime, UTC))


def describe_backup(info: BackupInfo) -> str:
    """ "3 Dec 2026 10:15 — 412 activities, 37 lessons — FILE" (local time), or why not usable."""
    if info.problem:
        what = f"cannot be used: {info.problem}"
    else:
        what = backup_counts(info)
        if info.before_upgrade:
            what += " (made before an upgrade)"
    return f"{backup_when(info)} — {what} — {info.path}"


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
