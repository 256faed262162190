"""Backups of the encrypted database: made with SQLite's online backup API (consistent while the
app writes), checked before they are kept, thinned like Anki's (backup_rotation.py), restored
without ever overwriting the file they replace.

A backup is written under a temporary name, fsynced, checked (`cipher_integrity_check` and
`quick_check`) and only then renamed to its final name: a kill mid-copy leaves a `.partial`
file (swept later), never something that looks like a backup.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from portfolio_app.storage.backup_rotation import (
    backup_file_name,
    backups_to_keep,
    parse_backup_file_name,
)
from portfolio_app.storage.cipher import check_file, raw_connection
from portfolio_app.storage.errors import DatabaseDamaged, StorageError, WrongKeyOrNotADatabase

__all__ = [
    "AUTO_BACKUP_INTERVAL_S",
    "BackupInfo",
    "Backups",
    "checked_copy",
    "file_problems",
    "keep_aside",
]

# "After changes, at most every 30 minutes" (issue 11).
AUTO_BACKUP_INTERVAL_S = 30 * 60
PARTIAL_SUFFIX = ".partial"
# Older partial copies are a killed copy's leftovers; younger ones may be another process's.
_STALE_PARTIAL_S = 60 * 60
# Pre-upgrade copies made by storage/database.py (kept until the user deletes them).
_BEFORE_UPGRADE = "-before-upgrade-"
COUNTED_TABLES = ("activities", "lessons", "organisations", "contacts", "goals", "evidence")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def file_problems(path: Path, key: bytes) -> list[str]:
    """What is wrong with the encrypted database at `path` ([] when it is sound): a key that
    does not fit, pages that fail their HMAC, or what `quick_check` finds."""
    import sqlcipher3  # type: ignore[import-untyped]  # no stubs; a DB-API 2 module

    try:
        if path.stat().st_size == 0:
            return ["the file is empty"]
    except OSError as exc:
        return [f"the file cannot be read ({exc.strerror or exc})"]
    try:
        connection = raw_connection(path, key)
    except sqlcipher3.Error as exc:
        return [f"the file cannot be opened ({exc})"]
    try:
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            return ["the key does not fit, or it is not an encrypted Portfolio database"]
        return check_file(lambda sql: connection.execute(sql).fetchall(), sqlcipher3.DatabaseError)
    finally:
        connection.close()


def checked_copy(source: Path, target: Path, key: bytes, *, source_read_only: bool = False) -> None:
    """A consistent copy of the live database `source` at `target`, encrypted with the same
    key, owner-only, fsynced and checked; `target` appears only once all of that succeeded.
    `DatabaseDamaged` (about the copy) if the check fails; nothing is left behind then.
    `source_read_only`: `source` is in a read-only folder (opened as `Database` opens it)."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        src = raw_connection(source, key, read_only=source_read_only)
        try:
            dst = raw_connection(partial, key)
            try:
                src.backup(dst)
                # A self-contained file: never leave a copy's data in a -wal beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        problems = file_problems(partial, key)
        if problems:
            raise DatabaseDamaged(source, problems)
        os.chmod(partial, 0o600)
        _fsync_file(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def keep_aside(database: Path, label: str = "damaged") -> Path:
    """Move `database` (and its -wal/-shm) aside with a timestamp, never deleting it: e.g.
    portfolio.sqlite3 -> portfolio-damaged-20261203-101500.sqlite3. Returns the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.stem}-{label}-{stamp}{database.suffix}")
    number = 2
    while aside.exists():
        aside = database.with_name(f"{database.stem}-{label}-{stamp}-{number}{database.suffix}")
        number += 1
    for suffix in ("-wal", "-shm", "-journal"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    if database.exists():
        os.replace(database, aside)
    _fsync_dir(database.parent)
    return aside


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the restore list shows it."""

    path: Path
    taken_at: datetime  # UTC
    size: int
    # Entries per table (activities, lessons...); empty when the file could not be read.
    counts: dict[str, int] = field(default_factory=dict)
    # Why it cannot be restored ("" when it can).
    problem: str = ""
    before_upgrade: bool = False

    @property
    def usable(self) -> bool:
        return not self.problem


def _taken_at(path: Path, named: datetime) -> float:
    """When the backup at `path` was taken, as a timestamp: its name has whole seconds only,
    so a change made earlier in that same second would look newer than the backup (and make a
    backup due again); the file's own time, when it falls within that second, is exact."""
    start = named.timestamp()
    try:
        written = path.stat().st_mtime
    except OSError:
        return start
    return written if 0 <= written - start < 1 else start


def _before_upgrade_time(path: Path) -> datetime | None:
    # portfolio-before-upgrade-0005_unique_names-20261201-101500.sqlite3 (local time)
    stamp = path.stem.rsplit("-", 2)[-2:]
    try:
        return datetime.strptime("-".join(stamp), "%Y%m%d-%H%M%S").astimezone(UTC)
    except ValueError:
        return None


class Backups:
    """The backups folder of one data dir, for databases encrypted with `key`."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder = folder
        self._key = key

    def _files(self) -> Iterator[tuple[Path, datetime, bool]]:
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if not path.is_file() or path.name.startswith("."):
                continue
            at = parse_backup_file_name(path.name)
            if at is not None:
                yield path, at, False
            elif _BEFORE_UPGRADE in path.name and path.suffix == ".sqlite3":
                at = _before_upgrade_time(path)
                if at is not None:
                    yield path, at, True

    def newest_time(self) -> datetime | None:
        newest = self._newest()
        return newest[1] if newest else None

    def _newest(self) -> tuple[Path, datetime] | None:
        files = [(at, path) for path, at, _upgrade in self._files()]
        if not files:
            return None
        at, path = max(files)
        return path, at

    def make(self, database: Path, *, now: datetime | None = None) -> Path:
        """Back up `database` now (checked, renamed into place), then thin the folder.

        Never replaces a backup: names have whole seconds, so a second backup within the same
        second (a restore's copy of the current data just after the backup it restores) is
        named a second later."""
        at = now or datetime.now(UTC)
        self.sweep_partials()
        target = self.folder / backup_file_name(at)
        while target.exists():
            at += timedelta(seconds=1)
            target = self.folder / backup_file_name(at)
        checked_copy(database, target, self._key)
        self.prune(at)
        return target

    def is_due(self, database: Path, *, now: datetime | None = None, closing: bool = False) -> bool:
        """Whether `database` changed since the newest backup, and (unless the app is closing)
        that backup is at least AUTO_BACKUP_INTERVAL_S old."""
        at = now or datetime.now(UTC)
        newest = self._newest()
        if newest is None:
            return database.exists() and database.stat().st_size > 0
        newest_path, newest_at = newest
        changed = max(
            (
                p.stat().st_mtime
                for p in (database, database.with_name(database.name + "-wal"))
                if p.exists()
            ),
            default=0.0,
        )
        if changed <= _taken_at(newest_path, newest_at):
            return False
        return closing or (at - newest_at).total_seconds() >= AUTO_BACKUP_INTERVAL_S

    def prune(self, now: datetime) -> list[Path]:
        """Delete rotated backups the rule no longer keeps (pre-upgrade copies stay)."""
        rotated = {at: path for path, at, upgrade in self._files() if not upgrade}
        keep = backups_to_keep(rotated, now)
        removed = []
        for at, path in rotated.items():
            if at not in keep:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                removed.append(path)
        return removed

    def sweep_partials(self) -> None:
        if not self.folder.is_dir():
            return
        cutoff = time.time() - _STALE_PARTIAL_S
        for path in self.folder.glob(f".*{PARTIAL_SUFFIX}"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()

    def list(self) -> list[BackupInfo]:
        """Every backup, newest first, with its entry counts (or why it cannot be used)."""
        infos = [self.describe(path, at, upgrade) for path, at, upgrade in self._files()]
        return sorted(infos, key=lambda info: info.taken_at, reverse=True)

    def describe(self, path: Path, at: datetime, before_upgrade: bool = False) -> BackupInfo:
        problems = file_problems(path, self._key)
        counts: dict[str, int] = {}
        if not problems:
            counts = _counts(path, self._key)
        return BackupInfo(
            path,
            at,
            path.stat().st_size,
            counts,
            problems[0] if problems else "",
            before_upgrade,
        )

    def newest_good(self) -> BackupInfo | None:
        for info in self.list():
            if info.usable:
                return info
        return None


def _counts(path: Path, key: bytes) -> dict[str, int]:
    connection: Any = raw_connection(path, key)
    try:
        names = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        return {
            table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED_TABLES
            if table in names
        }
    finally:
        connection.close()


def restore_file(backup: Path, database: Path, key: bytes, backups: Backups) -> Path | None:
    """Put the backup `backup` in place of `database`. The current file is first backed up
    (when it is sound) or kept aside with a timestamp (when it is damaged); it is never
    overwritten. Returns where a damaged file was kept, else None.

    The backup is checked first; `StorageError` if it cannot be used, and nothing changes.
    It is copied beside the database before anything else happens: backing up the current
    data thins the backups folder, which may remove the very backup being restored."""
    problems = file_problems(backup, key)
    if problems:
        raise StorageError(f"{backup} cannot be restored: {problems[0]}. Nothing was changed.")
    staged = database.with_name(f".{database.name}.restoring")
    checked_copy(backup, staged, key)
    try:
        kept: Path | None = None
        if database.exists() and database.stat().st_size > 0 and not file_problems(database, key):
            backups.make(database)  # the current data, first: a restore can itself be undone
            for suffix in ("-wal", "-shm"):  # in the backup now; must not be replayed onto it
                with contextlib.suppress(FileNotFoundError):
                    database.with_name(database.name + suffix).unlink()
        elif database.exists() or database.with_name(database.name + "-wal").exists():
            kept = keep_aside(database, "damaged")
        os.replace(staged, database)
        _fsync_dir(database.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise
    return kept


def raise_if_unusable(path: Path, key: bytes) -> None:
    """`WrongKeyOrNotADatabase` or `DatabaseDamaged` for a file that cannot be used."""
    problems = file_problems(path, key)
    if problems and problems[0].startswith("the key does not fit"):
        raise WrongKeyOrNotADatabase(path)
    if problems:
        raise DatabaseDamaged(path, problems)
