"""The CLI's start-up check is skipped while the database is as the last good check left it
(storage/check_stamp.py, issue 12); anything different is the full check, as in issue 11."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from cli_support import assert_one_clear_line, run
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage import check_stamp, damage_memo
from portfolio_app.storage.errors import DatabaseDamaged

PAGE = 4096


@pytest.fixture
def filled(paths: AppPaths) -> AppPaths:
    services = open_services(paths)
    try:
        for n in range(150):
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
    return paths


def _stamp(paths: AppPaths) -> Path:
    return paths.data_dir / check_stamp.STAMP_NAME


def _damage(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(3 * PAGE + 200)
        handle.write(b"\x5a" * 100)


def test_a_good_check_leaves_only_an_owner_only_stamp_that_the_next_start_trusts(
    filled: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in filled.data_dir.iterdir() if p.is_file())
    content = filled.database.read_bytes()
    code, out, err = run(capsys, "--data-dir", str(filled.data_dir), "list", "activities")
    assert code == 0, err
    assert "Łukasz and Zoë, visit 7" in out
    assert sorted(p.name for p in filled.data_dir.iterdir() if p.is_file()) == sorted(
        [*before, check_stamp.STAMP_NAME, damage_memo.FINDINGS_NAME]
    )
    assert stat.S_IMODE(_stamp(filled).stat().st_mode) == 0o600
    assert stat.S_IMODE(damage_memo.findings_path(filled.database).stat().st_mode) == 0o600
    assert filled.database.read_bytes() == content  # the check only reads
    # A command that only reads leaves the files as the stamp says: the next start skips.
    assert check_stamp.is_unchanged(filled.database)
    written = _stamp(filled).read_bytes()
    code, _, err = run(capsys, "--data-dir", str(filled.data_dir), "list", "activities")
    assert code == 0, err
    assert _stamp(filled).read_bytes() == written  # no check ran, so nothing was re-stamped


def test_damage_with_the_size_and_mtime_put_back_is_still_found(
    filled: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    d = str(filled.data_dir)
    assert run(capsys, "--data-dir", d, "list", "activities")[0] == 0
    assert check_stamp.is_unchanged(filled.database)
    before = filled.database.stat()
    _damage(filled.database)
    os.utime(filled.database, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = filled.database.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    # ctime cannot be set back: the stamp no longer matches, so the full check runs.
    assert not check_stamp.is_unchanged(filled.database)
    code, _, err = run(capsys, "--data-dir", d, "list", "activities")
    assert code == 1
    assert_one_clear_line(err, f"{filled.database} is damaged: ")
    assert not _stamp(filled).exists()  # damage found: the stamp is dropped


@pytest.mark.parametrize("stamp", [None, "", "{not json", '{"version": 1}'])
def test_a_missing_or_unreadable_stamp_means_the_full_check(
    stamp: str | None, filled: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    _damage(filled.database)
    if stamp is not None:
        _stamp(filled).write_text(stamp, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(filled.data_dir), "list", "activities")
    assert code == 1
    assert_one_clear_line(err, f"{filled.database} is damaged: ")


def test_any_write_means_the_next_start_checks_again(filled: AppPaths) -> None:
    services = open_services(filled, checks="if_changed")
    try:
        assert services.db.checked
        assert check_stamp.is_unchanged(filled.database)
        services.activities.create(
            Activity(ActivityType.SHADOWING, "Siân's course", date(2026, 2, 1))
        )
        assert not check_stamp.is_unchanged(filled.database)  # the -wal now holds the write
    finally:
        services.close()
    assert not check_stamp.is_unchanged(filled.database)
    services = open_services(filled, checks="if_changed")
    try:
        assert services.db.checked  # checked again, and stamped again
    finally:
        services.close()
    assert check_stamp.is_unchanged(filled.database)


def test_the_stamp_is_what_skips_the_check_and_the_window_check_still_finds_damage(
    filled: AppPaths,
) -> None:
    """The rule's limit, made on purpose: damage that changes no metadata (below the file
    system) under a fresh stamp. The CLI's open trusts the stamp; the deferred check (what the
    window runs once painted) and the full check both find it."""
    _damage(filled.database)
    check_stamp.remember_good_check(filled.database)
    services = open_services(filled, checks="if_changed")
    try:
        assert not services.db.checked
        assert services.db.file_problems() != []
    finally:
        services.close()
    with pytest.raises(DatabaseDamaged):
        open_services(filled)  # "now": the full check, as before
    assert not _stamp(filled).exists()


def test_the_deferred_check_is_empty_on_a_sound_file_and_leaves_no_trace(
    filled: AppPaths,
) -> None:
    content = filled.database.read_bytes()
    before = sorted(p.name for p in filled.data_dir.iterdir() if p.is_file())
    services = open_services(filled, checks="later")
    try:
        assert not services.db.checked
        assert services.db.file_problems() == []
        assert services.activities.count() == 150
    finally:
        services.close()
    assert filled.database.read_bytes() == content
    assert sorted(p.name for p in filled.data_dir.iterdir() if p.is_file()) == before
