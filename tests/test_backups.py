"""Backups and restore (issue 11): what a backup is (encrypted, owner-only, checked, counted),
thinning on make, when one is due, and the `backup` and `restore` commands, which never
overwrite the data they replace and refuse a backup that cannot be used with nothing changed."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from cli_support import assert_one_clear_line, run
from keys_for_tests import write_key_file
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Lesson, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.security.key_file import new_data_key
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage.backup_rotation import parse_backup_file_name
from portfolio_app.storage.backups import AUTO_BACKUP_INTERVAL_S, Backups, file_problems
from portfolio_app.storage.database import Database

TITLES = ("Łukasz's ward round", "Zoë shadowing Siân", "Peer day in Llanfairpwll")


def _add_data(services: AppServices) -> None:
    organisation = services.organisations.create(
        Organisation(name="Northshire Fire and Rescue", sector_id="fire-rescue")
    )
    for number, title in enumerate(TITLES, start=1):
        activity = services.activities.create(
            Activity(
                ActivityType.SHADOWING,
                title,
                date(2026, 3, number),
                organisation_ids=(organisation.id or 0,),
            )
        )
        if number == 1:
            services.lessons.create(Lesson(title="What Zoë taught me", activity_id=activity.id))


@pytest.fixture
def filled(paths: AppPaths) -> AppPaths:
    """A data dir with 3 activities, 1 lesson and 1 organisation, closed."""
    services = open_services(paths)
    try:
        _add_data(services)
    finally:
        services.close()
    return paths


def _tree(folder: Path) -> dict[str, str]:
    """Every stored file under `folder` and a hash of its bytes (the log and the instance
    lock are not data)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.parent.name != "logs" and p.suffix != ".lock"
    }


def _rotated(paths: AppPaths) -> list[Path]:
    if not paths.backups_dir.is_dir():
        return []
    return sorted(p for p in paths.backups_dir.iterdir() if parse_backup_file_name(p.name))


def _titles(paths: AppPaths) -> set[str]:
    services = open_services(paths)
    try:
        return {activity.title for activity in services.activities.list_all()}
    finally:
        services.close()


# --- what a backup is ---------------------------------------------------------------------------


def test_a_backup_is_encrypted_owner_only_sound_and_counted(
    filled: AppPaths, data_key: bytes
) -> None:
    store = Backups(filled.backups_dir, data_key)
    made = store.make(filled.database)
    assert parse_backup_file_name(made.name) is not None
    raw = made.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    for title in TITLES:
        assert title.encode("utf-8") not in raw
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert file_problems(made, data_key) == []
    # Self-contained: no -wal or -shm beside it.
    assert sorted(p.name for p in filled.backups_dir.iterdir()) == [made.name]
    [info] = store.list()
    assert info.path == made and info.usable and not info.before_upgrade
    assert info.counts == {
        "activities": 3,
        "lessons": 1,
        "organisations": 1,
        "contacts": 0,
        "goals": 0,
        "evidence": 0,
    }
    # Another key opens nothing in it.
    assert file_problems(made, new_data_key())


def test_data_with_one_damaged_row_can_still_be_backed_up(
    filled: AppPaths, data_key: bytes
) -> None:
    """A row breaking a CHECK (another tool wrote it) is a damaged entry, not a damaged file:
    the data opens and lists the rest, so its backups must not be refused either."""
    from portfolio_app.storage.cipher import raw_connection

    connection = raw_connection(filled.database, data_key)
    try:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(
            "UPDATE activities SET hours = -3 WHERE id = (SELECT min(id) FROM activities)"
        )
        connection.commit()
    finally:
        connection.close()
    store = Backups(filled.backups_dir, data_key)
    made = store.make(filled.database)
    assert file_problems(made, data_key) == []
    [info] = store.list()
    assert info.usable and info.counts["activities"] == 3


def test_making_a_backup_thins_the_folder(filled: AppPaths, data_key: bytes) -> None:
    store = Backups(filled.backups_dir, data_key)
    day0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    first_day = [store.make(filled.database, now=day0 + timedelta(minutes=m)) for m in (0, 10, 20)]
    assert _rotated(filled) == first_day  # all within 2 days: all kept
    later = store.make(filled.database, now=day0 + timedelta(days=5))
    # Day 0 is now a "daily" day: only its newest backup stays.
    assert _rotated(filled) == [first_day[-1], later]


def test_a_backup_is_due_after_a_change_at_most_every_30_minutes_or_on_closing(
    filled: AppPaths, data_key: bytes
) -> None:
    store = Backups(filled.backups_dir, data_key)
    assert store.is_due(filled.database)  # data and no backup at all
    made = store.make(filled.database)
    taken = parse_backup_file_name(made.name)
    assert taken is not None
    soon, later = taken + timedelta(minutes=5), taken + timedelta(seconds=AUTO_BACKUP_INTERVAL_S)
    # Unchanged since the backup: never due, not even on closing.
    assert not store.is_due(filled.database, now=later)
    assert not store.is_due(filled.database, now=soon, closing=True)

    services = open_services(filled)
    try:
        services.activities.create(Activity(ActivityType.OTHER, "Siân's notes", date(2026, 4, 1)))
        assert not store.is_due(filled.database, now=soon)  # changed, but within 30 minutes
        assert store.is_due(filled.database, now=soon, closing=True)
        assert store.is_due(filled.database, now=later)
    finally:
        services.close()


def test_an_empty_or_missing_database_is_never_due(tmp_path: Path, data_key: bytes) -> None:
    store = Backups(tmp_path / "backups", data_key)
    assert not store.is_due(tmp_path / "missing.sqlite3")
    (tmp_path / "empty.sqlite3").touch()
    assert not store.is_due(tmp_path / "empty.sqlite3")


# --- the commands -----------------------------------------------------------------------------


def test_backup_out_list_and_restore_a_file(
    filled: AppPaths, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kept elsewhere" / "Siân's backup.backup"
    out.parent.mkdir()
    code, printed, err = run(
        capsys, "--data-dir", str(filled.data_dir), "backup", "--out", str(out)
    )
    assert (code, err) == (0, ""), err
    assert printed == f"Backed up to {out}.\n"
    assert file_problems(out, data_key) == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    code, printed, err = run(capsys, "--data-dir", str(filled.data_dir), "backup")
    assert code == 0, err
    code, printed, err = run(capsys, "--data-dir", str(filled.data_dir), "backup", "--list")
    assert code == 0, err
    [line] = printed.splitlines()
    assert "3 activities, 1 lesson" in line and str(filled.backups_dir) in line

    services = open_services(filled)
    try:
        services.activities.create(
            Activity(ActivityType.OTHER, "After the backup", date(2026, 5, 1))
        )
    finally:
        services.close()
    before = len(_rotated(filled))
    code, printed, err = run(capsys, "--data-dir", str(filled.data_dir), "restore", str(out))
    assert code == 0, err
    assert f"Restored {out}." in printed
    assert _titles(filled) == set(TITLES)
    # The data it replaced was backed up first: the newest backup holds the later activity.
    assert len(_rotated(filled)) == before + 1
    replaced = Backups(filled.backups_dir, data_key).list()[0]
    assert replaced.counts["activities"] == 4


def test_restore_newest(filled: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(filled.data_dir)
    assert run(capsys, "--data-dir", d, "backup")[0] == 0
    services = open_services(filled)
    try:
        services.activities.create(Activity(ActivityType.OTHER, "Gone again", date(2026, 5, 1)))
    finally:
        services.close()
    code, _, err = run(capsys, "--data-dir", d, "restore", "--newest")
    assert code == 0, err
    assert _titles(filled) == set(TITLES)


def test_restore_with_no_backup_says_so(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--data-dir", str(paths.data_dir), "restore", "--newest")
    assert code == 1
    assert_one_clear_line(err, "there is no sound backup")


def test_restore_over_a_damaged_file_keeps_it_aside(
    filled: AppPaths, data_key: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = Backups(filled.backups_dir, data_key).make(filled.database)
    with filled.database.open("r+b") as handle:
        handle.seek(3 * 4096 + 200)
        handle.write(b"\xa5" * 100)
    damaged = filled.database.read_bytes()
    code, printed, err = run(capsys, "--data-dir", str(filled.data_dir), "restore", str(backup))
    assert code == 0, err
    [kept] = sorted(filled.data_dir.glob("portfolio-damaged-*.sqlite3"))
    assert kept.read_bytes() == damaged  # never overwritten, never changed
    assert f"The damaged data was kept at {kept}." in printed
    assert _titles(filled) == set(TITLES)


def _other_key_backup(tmp_path: Path) -> Path:
    other = AppPaths(tmp_path / "other")
    key = new_data_key()
    write_key_file(other, key)
    Database(other.database, key=key).close()
    return other.database


def _not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.backup"
    path.write_text("Zoë's shopping list\n", encoding="utf-8")
    return path


def _damaged_backup(tmp_path: Path, paths: AppPaths, key: bytes) -> Path:
    path = tmp_path / "damaged.backup"
    Backups(paths.backups_dir, key).make(paths.database)
    [made] = _rotated(paths)
    made.rename(path)
    with path.open("r+b") as handle:
        handle.seek(2 * 4096 + 100)
        handle.write(b"\x00" * 64)
    return path


@pytest.mark.parametrize(
    "make_backup",
    [
        lambda tmp_path, paths, key: _other_key_backup(tmp_path),
        lambda tmp_path, paths, key: _not_a_database(tmp_path),
        _damaged_backup,
    ],
    ids=["wrong key", "not a database", "damaged"],
)
def test_a_backup_that_cannot_be_used_is_refused_and_nothing_changes(
    make_backup: Callable[[Path, AppPaths, bytes], Path],
    filled: AppPaths,
    data_key: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = make_backup(tmp_path, filled, data_key)
    before = _tree(filled.data_dir)
    code, printed, err = run(capsys, "--data-dir", str(filled.data_dir), "restore", str(bad))
    assert code == 1, printed
    assert_one_clear_line(err, f"{bad} cannot be restored: ")
    assert "Nothing was changed" in err
    assert _tree(filled.data_dir) == before
    assert _titles(filled) == set(TITLES)


@pytest.mark.parametrize("kind", ["fifo", "folder", "missing", "device"])
def test_restore_refuses_what_is_not_a_file_without_opening_it(
    kind: str, filled: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    target = tmp_path / f"not-a-backup-{kind}"
    if kind == "fifo":
        os.mkfifo(target)  # opening it to read would block for ever
    elif kind == "folder":
        target.mkdir()
    elif kind == "device":
        target = Path("/dev/zero")
        if not target.exists():
            pytest.skip("no /dev/zero here")
    before = _tree(filled.data_dir)
    code, printed, err = run(capsys, "--data-dir", str(filled.data_dir), "restore", str(target))
    assert code == 1, printed
    assert_one_clear_line(err, f"cannot read the backup file {target}: ")
    assert err.rstrip().endswith("nothing was read")
    assert _tree(filled.data_dir) == before
