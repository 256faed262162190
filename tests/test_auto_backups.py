"""Automatic backups: after changes (at most every 30 minutes) and on close, in the window (off
the UI thread, never two at once, a failure is a status-bar message) and after a CLI command
that changed the data. A session or command that only read makes none."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cli_support import INIT, run
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage.backup_rotation import backup_file_name
from portfolio_app.ui.auto_backup import AutoBackup
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.prompts import Prompts


def _backups(paths: AppPaths) -> list[Path]:
    if not paths.backups_dir.is_dir():
        return []
    return sorted(p for p in paths.backups_dir.iterdir() if p.suffix == ".backup")


def _add(services: AppServices, title: str = "Zoë's ward round") -> None:
    services.activities.create(Activity(ActivityType.SHADOWING, title, date(2026, 2, 3)))


def _age_backups(paths: AppPaths, minutes: int) -> None:
    """Rename every rotated backup as if it had been taken `minutes` earlier (the rule reads
    the time from the name), and the data as changed after it."""
    for backup in _backups(paths):
        at = datetime.strptime(backup.stem.split("-", 1)[1], "%Y-%m-%dT%H%M%SZ")
        older = at.replace(tzinfo=UTC) - timedelta(minutes=minutes)
        backup.rename(backup.with_name(backup_file_name(older)))


# --- the rule, in the services -----------------------------------------------------------------


def test_a_session_that_only_reads_makes_no_backup(with_profile: AppServices) -> None:
    paths = with_profile.paths
    with_profile.close()
    services = open_services(paths)
    try:
        services.activities.list_all()
        assert services.backups.changed_since_open() is False
        assert services.backups.backup_if_due(closing=True) is None
    finally:
        services.close()
    assert _backups(paths) == []


def test_after_a_change_a_backup_is_due_then_not_again_for_30_minutes(
    with_profile: AppServices,
) -> None:
    services = with_profile
    _add(services)
    first = services.backups.backup_if_due()
    assert first is not None and first.exists()  # the first one ever: due at once
    _add(services, "Siân's second visit")
    assert services.backups.backup_if_due() is None  # changed, but the last is too recent
    _age_backups(services.paths, 31)
    made = services.backups.backup_if_due()
    assert made is not None and len(_backups(services.paths)) == 2


def test_on_closing_a_change_is_backed_up_even_within_30_minutes(
    with_profile: AppServices,
) -> None:
    services = with_profile
    services.backups.backup_now()
    _add(services)
    assert services.backups.backup_if_due() is None
    assert services.backups.backup_if_due(closing=True) is not None


# --- in the window -----------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, with_profile: AppServices) -> Iterator[MainWindow]:
    """The window on data opened afresh (the profile was set up in an earlier session)."""
    paths = with_profile.paths
    with_profile.close()
    services = open_services(paths)
    shown = MainWindow(services, prompts=Prompts())
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.auto_backup.stop()
    services.close()


def test_the_window_checks_every_five_minutes_and_backs_up_off_the_ui_thread(
    qtbot: QtBot, window: MainWindow
) -> None:
    auto = window.auto_backup
    assert auto.timer.isActive() and auto.timer.interval() == 5 * 60 * 1000
    with qtbot.waitSignal(auto.made, timeout=10_000) as nothing:
        assert auto.check() is True
    assert nothing.args == [None]  # nothing changed yet: no backup
    _add(window.services)
    with qtbot.waitSignal(auto.made, timeout=10_000) as made:
        assert auto.check() is True
        assert auto.check() is False  # never two at once
    [backup] = _backups(window.services.paths)
    assert made.args == [backup]
    assert backup.name in window.statusBar().currentMessage()


def test_a_failed_backup_is_a_status_bar_message_and_the_window_goes_on(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    paths = window.services.paths
    paths.backups_dir.rmdir() if paths.backups_dir.is_dir() else None
    paths.backups_dir.write_bytes(b"")  # the folder cannot be made: as a full or broken disk
    _add(window.services)
    with qtbot.waitSignal(window.auto_backup.failed, timeout=10_000) as failed:
        window.auto_backup.check()
    message = window.statusBar().currentMessage()
    assert message == failed.args[0]
    assert message.startswith("The automatic backup failed: ") and "try again" in message
    assert "Traceback" not in message
    assert "The automatic backup failed" in caplog.text
    _add(window.services, "Łukasz's visit")  # still usable
    assert len(window.services.activities.list_all()) == 2


def test_closing_the_window_backs_up_the_changes_before_the_data_closes(
    qtbot: QtBot, window: MainWindow
) -> None:
    paths = window.services.paths
    window.services.backups.backup_now()
    _age_backups(paths, 5)  # five minutes ago: not due while open, due on closing
    _add(window.services)
    assert window.auto_backup.check() is True
    window.auto_backup.wait()
    assert len(_backups(paths)) == 1
    window.close()
    assert len(_backups(paths)) == 2
    restored = open_services(paths)
    try:
        assert [a.title for a in restored.activities.list_all()] == ["Zoë's ward round"]
    finally:
        restored.close()


def test_closing_the_window_without_changes_makes_no_backup(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.close()
    assert _backups(window.services.paths) == []


def test_stop_waits_for_a_running_backup(qtbot: QtBot, with_profile: AppServices) -> None:
    auto = AutoBackup(with_profile)
    _add(with_profile)
    assert auto.backup_now() is True
    auto.stop()
    assert not auto.running() and len(_backups(with_profile.paths)) == 1
    assert auto.check() is False  # stopped: the data may be closing


# --- after a CLI command -----------------------------------------------------------------------


def test_a_cli_command_that_changed_data_takes_the_backup_when_one_is_due(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "cli-data"
    paths = AppPaths.resolve(folder)
    assert run(capsys, "--data-dir", str(folder), *INIT, "--sector", "adult-social-care")[0] == 0
    assert len(_backups(paths)) == 1  # the profile: a change, and no backup yet
    _age_backups(paths, 40)
    # Reading makes none, even with the last backup 40 minutes old.
    assert run(capsys, "--data-dir", str(folder), "list", "activities")[0] == 0
    assert run(capsys, "--data-dir", str(folder), "backup", "--list")[0] == 0
    assert len(_backups(paths)) == 1
    sheet = tmp_path / "Zoë.csv"
    sheet.write_text("type,title,start\nshadowing,Siân's ward round,2026-01-05\n", "utf-8")
    code, _out, err = run(capsys, "--data-dir", str(folder), "import-csv", str(sheet))
    assert code == 0, err
    assert len(_backups(paths)) == 2
    # A change within 30 minutes of that backup: none more.
    sheet.write_text("type,title,start\nshadowing,Łukasz's visit,2026-01-06\n", "utf-8")
    assert run(capsys, "--data-dir", str(folder), "import-csv", str(sheet))[0] == 0
    assert len(_backups(paths)) == 2


def test_a_failed_cli_backup_is_a_warning_and_the_command_still_succeeds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "cli-data"
    paths = AppPaths.resolve(folder)
    paths.ensure()
    if paths.backups_dir.is_dir():
        os.rmdir(paths.backups_dir)
    paths.backups_dir.write_bytes(b"")
    code, out, err = run(capsys, "--data-dir", str(folder), *INIT, "--sector", "adult-social-care")
    assert code == 0
    assert "Profile set up for Siân Jones" in out
    assert err.startswith("portfolio-app: warning: the automatic backup failed: ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_reopening_the_window_backs_up_the_changes_before_the_data_closes(
    qtbot: QtBot, window: MainWindow
) -> None:
    from portfolio_app.ui.app import WindowHost

    paths = window.services.paths
    host = WindowHost(window)
    _add(window.services)
    window.reopen_requested.emit()  # as a new sector list does
    try:
        assert host.window is not window
        assert len(_backups(paths)) == 1
    finally:
        host.window.auto_backup.stop()
        host.window.services.close()
