"""What start-up finds wrong with the database, and the way on (issue 11): overwritten bytes in
the middle lead to the restore path with the damaged file kept; flipped bytes in the first page,
a newer schema revision, a missing or empty file in a folder in use and a killed pre-upgrade
copy each give one clear line, never "internal error", and change nothing."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import date
from pathlib import Path

import pytest

from cli_support import assert_one_clear_line, run
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.backup_rotation import parse_backup_file_name
from portfolio_app.storage.backups import PARTIAL_SUFFIX, Backups, file_problems
from portfolio_app.storage.cipher import raw_connection
from portfolio_app.storage.errors import DatabaseDamaged, NewerSchema, WrongKeyOrNotADatabase

PAGE = 4096
ROWS = 200  # with 400-character descriptions: some 25 pages


def _fill(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        for n in range(ROWS):
            services.activities.create(
                Activity(
                    ActivityType.SHADOWING,
                    f"Łukasz and Zoë, visit {n}",
                    date(2026, 1, 1 + n % 28),
                    description="Siân's notes. " * 28,
                )
            )
    finally:
        services.close()


@pytest.fixture
def filled(paths: AppPaths, data_key: bytes) -> AppPaths:
    """ROWS activities, a sound backup, closed (everything checkpointed into the file)."""
    _fill(paths)
    Backups(paths.backups_dir, data_key).make(paths.database)
    assert paths.database.stat().st_size > 10 * PAGE
    assert not paths.database.with_name(paths.database.name + "-wal").exists()
    return paths


def _overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def _flip(path: Path, offset: int, count: int) -> None:
    raw = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _no_internal_error(out: str, err: str) -> None:
    assert "internal error" not in (out + err).lower()
    assert "Traceback" not in err


# --- overwritten bytes in the middle: the restore path ------------------------------------------


def test_overwritten_bytes_in_the_middle_lead_to_the_restore_path(
    filled: AppPaths, data_key: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    _overwrite(filled.database, 3 * PAGE + 200, b"\x5a" * 100)
    damaged = filled.database.read_bytes()

    with pytest.raises(DatabaseDamaged) as caught:
        open_services(filled)
    assert not caught.value.missing
    newest = caught.value.newest_backup
    assert newest is not None and getattr(newest, "usable", False)
    assert filled.database.read_bytes() == damaged  # nothing written to it

    d = str(filled.data_dir)
    code, out, err = run(capsys, "--data-dir", d, "list", "activities")
    assert code == 1
    assert_one_clear_line(err, f"{filled.database} is damaged: ")
    assert "portfolio-app restore --newest" in err and "(the damaged file is kept)" in err
    assert f"({ROWS:,} activities)" in err
    _no_internal_error(out, err)
    assert filled.database.read_bytes() == damaged

    code, out, err = run(capsys, "--data-dir", d, "restore", "--newest")
    assert code == 0, err
    [kept] = sorted(filled.data_dir.glob("portfolio-damaged-*.sqlite3"))
    assert kept.read_bytes() == damaged
    assert f"The damaged data was kept at {kept}." in out

    services = open_services(filled)
    try:
        assert services.activities.count() == ROWS
    finally:
        services.close()
    assert file_problems(filled.database, data_key) == []


def test_a_damaged_database_with_no_backup_says_there_is_none(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(paths)
    _overwrite(paths.database, 3 * PAGE + 200, b"\x00" * 100)
    code, _, err = run(capsys, "--data-dir", str(paths.data_dir), "profile")
    assert code == 1
    assert_one_clear_line(err, f"{paths.database} is damaged: ")
    assert "There is no sound backup to restore; the file is left as it is." in err


@pytest.mark.parametrize("offset", [0, 16, 100, PAGE - 80], ids=["salt", "header", "mid", "end"])
def test_flipped_bytes_in_the_first_page_are_one_clear_line(
    offset: int, filled: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _flip(filled.database, offset, 8)
    before = _digest(filled.database)
    with pytest.raises((WrongKeyOrNotADatabase, DatabaseDamaged)):
        open_services(filled)
    code, out, err = run(capsys, "--data-dir", str(filled.data_dir), "list", "activities")
    assert code == 1
    assert err.startswith(f"portfolio-app: Cannot open {filled.database}") or err.startswith(
        f"portfolio-app: {filled.database} is damaged"
    ), err
    assert_one_clear_line(err, "")
    _no_internal_error(out, err)
    assert _digest(filled.database) == before


# --- a newer schema revision ------------------------------------------------------------------


def test_a_newer_schema_revision_is_refused_with_no_backup_and_nothing_changed(
    filled: AppPaths, data_key: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = raw_connection(filled.database, data_key)
    try:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
        connection.commit()
    finally:
        connection.close()
    before = _digest(filled.database)
    backups_before = sorted(p.name for p in filled.backups_dir.iterdir())

    with pytest.raises(NewerSchema) as caught:
        open_services(filled)
    assert caught.value.revision == "9999_future"
    code, out, err = run(capsys, "--data-dir", str(filled.data_dir), "list", "activities")
    assert code == 1
    assert_one_clear_line(err, f"{filled.database} was saved by a newer version of Portfolio")
    assert "'9999_future'" in err and "nothing was changed" in err
    _no_internal_error(out, err)
    assert _digest(filled.database) == before
    assert sorted(p.name for p in filled.backups_dir.iterdir()) == backups_before


# --- a missing or empty database in a folder in use ---------------------------------------------


@pytest.mark.parametrize("how", ["empty", "missing"])
@pytest.mark.parametrize("in_use_by", ["backups", "applied taxonomy"])
def test_a_missing_or_empty_database_in_a_folder_in_use_is_damage(
    how: str, in_use_by: str, filled: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    if in_use_by == "applied taxonomy":
        for backup in filled.backups_dir.iterdir():
            backup.unlink()
        assert filled.applied_taxonomy.exists()
    else:
        filled.applied_taxonomy.unlink()
    if how == "empty":
        filled.database.write_bytes(b"")
    else:
        filled.database.unlink()

    with pytest.raises(DatabaseDamaged) as caught:
        open_services(filled)
    assert caught.value.missing
    code, out, err = run(capsys, "--data-dir", str(filled.data_dir), "list", "activities")
    assert code == 1
    assert_one_clear_line(err, f"{filled.database} is missing or empty, although this folder")
    _no_internal_error(out, err)
    # No new, empty database in its place.
    if how == "empty":
        assert filled.database.stat().st_size == 0
    else:
        assert not filled.database.exists()
    if in_use_by == "backups":
        assert "restore --newest" in err


# --- a kill during the pre-upgrade copy -------------------------------------------------------


def test_a_killed_copy_leaves_nothing_that_looks_like_a_backup(
    filled: AppPaths, data_key: bytes
) -> None:
    """A copy killed mid-way is a hidden `.partial` file: never listed, never restored from,
    and swept once it is an hour old."""
    store = Backups(filled.backups_dir, data_key)
    [good] = store.list()
    name = ".portfolio-before-upgrade-0006_x-20261201-101500.sqlite3.4242" + PARTIAL_SUFFIX
    partial = filled.backups_dir / name
    partial.write_bytes(filled.database.read_bytes()[: 3 * PAGE])  # a third of a copy
    rotated = filled.backups_dir / (".portfolio-2026-12-01T101500Z.backup.4243" + PARTIAL_SUFFIX)
    rotated.write_bytes(b"")

    assert [info.path for info in store.list()] == [good.path]
    assert store.newest_good() == good
    assert all(parse_backup_file_name(p.name) is None for p in (partial, rotated))
    store.make(filled.database)
    assert partial.exists() and rotated.exists()  # young: perhaps another process's copy
    old = time.time() - 2 * 60 * 60
    for leftover in (partial, rotated):
        os.utime(leftover, (old, old))
    store.make(filled.database)
    assert not partial.exists() and not rotated.exists()
    assert all(info.usable for info in store.list())
