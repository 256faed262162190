"""File → Restore from backup… and Back up now: the backups listed (newest first, date, counts,
size, made before an upgrade; unusable ones greyed with the reason), Restore after a
confirmation that says the current data is backed up first, the window reopened on the restored
data with its counts shown. Real backups in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.backups import list_backups
from portfolio_app.ui.app import WindowHost
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.restore_dialog import BackupTableModel, RestoreDialog

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed

GARBAGE = "portfolio-2026-11-01T090000Z.backup"
BEFORE_UPGRADE = "portfolio-before-upgrade-0006_drafts-20261115-101500.sqlite3"


def _add(services: AppServices, title: str) -> None:
    services.activities.create(Activity(ActivityType.SHADOWING, title, date(2026, 2, 3)))


@pytest.fixture
def backed_up(with_profile: AppServices) -> tuple[AppPaths, Path]:
    """Two activities backed up, a third added after; a damaged backup and a copy from
    before an upgrade beside it. The data is closed."""
    services = with_profile
    _add(services, "Zoë's ward round")
    _add(services, "Łukasz's team meeting")
    backup = services.backups.backup_now()
    _add(services, "Siân's visit, after the backup")
    paths = services.paths
    services.close()
    (paths.backups_dir / GARBAGE).write_bytes(b"not a backup at all " * 400)
    shutil.copyfile(backup, paths.backups_dir / BEFORE_UPGRADE)
    return paths, backup


@pytest.fixture
def host(
    qtbot: QtBot, backed_up: tuple[AppPaths, Path], prompts: FakePrompts
) -> Iterator[WindowHost]:
    paths, _backup = backed_up
    window = MainWindow(open_services(paths), prompts=prompts)
    qtbot.addWidget(window)
    window.show()
    shown = WindowHost(window)
    yield shown
    shown.window.auto_backup.stop()
    shown.window.services.close()


def _open_dialog(host: WindowHost) -> RestoreDialog:
    host.window.restore_action.trigger()
    dialog = host.window.findChild(RestoreDialog)
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    return dialog


def _titles(services: AppServices) -> list[str]:
    return sorted(a.title for a in services.activities.list_all())


def test_the_model_passes_qts_model_checks(
    qtmodeltester: ModelTester, backed_up: tuple[AppPaths, Path], data_key: bytes
) -> None:
    paths, _backup = backed_up
    model = BackupTableModel(list_backups(paths, data_key))
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_the_list_shows_each_backup_newest_first_and_greys_unusable_ones(
    qtbot: QtBot, host: WindowHost
) -> None:
    dialog = _open_dialog(host)
    table = find_by_name(dialog, "Backups", QTableView)
    model = table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Taken", "Activities", "Lessons", "Size", "Notes"]
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    # The rotated backup (today), the pre-upgrade copy (15 Nov), the damaged one (1 Nov).
    assert [row[1:3] for row in rows] == [["2", "0"], ["2", "0"], ["—", "—"]]
    assert rows[0][4] == "" and rows[1][4] == "Made before an upgrade"
    assert rows[1][0].startswith("15 Nov 2026 10:15")
    assert rows[2][4].startswith("Cannot be used: ")
    assert rows[0][3].endswith("KB")
    damaged = model.index(2, 0)
    assert not model.flags(damaged) & Qt.ItemFlag.ItemIsEnabled  # greyed, not selectable
    assert GARBAGE in damaged.data(Qt.ItemDataRole.ToolTipRole)
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    # The newest usable one is chosen to start with; Restore is the default button.
    assert table.selectionModel().selectedRows()[0].row() == 0
    restore = find_by_name(dialog, "Restore", QPushButton)
    assert restore.isEnabled() and restore.isDefault()
    assert walk_unnamed(dialog) == []
    dialog.reject()


def test_restore_asks_first_then_reopens_the_window_on_the_restored_data(
    qtbot: QtBot, host: WindowHost, prompts: FakePrompts, backed_up: tuple[AppPaths, Path]
) -> None:
    paths, backup = backed_up
    old = host.window
    dialog = _open_dialog(host)
    qtbot.mouseClick(find_by_name(dialog, "Restore", QPushButton), Qt.MouseButton.LeftButton)
    assert "Your current data will be backed up first" in prompts.confirmations[0]
    assert "(2 activities, 0 lessons)" in prompts.confirmations[0]
    assert host.window is not old
    assert _titles(host.window.services) == ["Zoë's ward round", "Łukasz's team meeting"]
    assert "2 activities" in find_by_name(host.window, "Entry counts", QLabel).text()
    [said] = [i for i in prompts.infos if i.startswith("Restored the backup from")]
    assert "2 activities, 0 lessons" in said
    # The data it replaced was backed up first: a restore can be undone.
    replaced = [
        info
        for info in list_backups(paths, host.window.services.data_key)
        if info.usable and info.counts.get("activities") == 3
    ]
    assert len(replaced) == 1
    assert backup.exists() or replaced[0].path == backup  # same second: the newer copy won


def test_declining_the_confirmation_changes_nothing(
    qtbot: QtBot, host: WindowHost, prompts: FakePrompts
) -> None:
    prompts.confirm_answer = False
    old = host.window
    dialog = _open_dialog(host)
    qtbot.mouseClick(find_by_name(dialog, "Restore", QPushButton), Qt.MouseButton.LeftButton)
    assert host.window is old and dialog.isVisible()
    assert len(host.window.services.activities.list_all()) == 3
    dialog.reject()


def test_back_up_now_adds_a_backup_to_the_list(qtbot: QtBot, host: WindowHost) -> None:
    dialog = _open_dialog(host)
    before = dialog.model.rowCount()
    (dialog.model.backup(0).path).unlink()  # today's backup: the new one must not replace it
    dialog.refresh()
    with qtbot.waitSignal(host.window.auto_backup.made, timeout=10_000):
        qtbot.mouseClick(
            find_by_name(dialog, "Back up now", QPushButton), Qt.MouseButton.LeftButton
        )
    qtbot.waitUntil(lambda: dialog.model.rowCount() == before)
    assert dialog.model.index(0, 1).data() == "3"
    assert find_by_name(dialog, "Backup status", QLabel).text().startswith("Backed up to ")
    dialog.reject()


def test_a_backup_file_from_elsewhere_is_checked_then_restored(
    qtbot: QtBot, host: WindowHost, prompts: FakePrompts, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "usb stick" / "Siân's portfolio.backup"
    elsewhere.parent.mkdir()
    host.window.services.backups.backup_to(elsewhere)
    _add(host.window.services, "Added after the copy")
    dialog = _open_dialog(host)
    prompts.open_path = tmp_path / "usb stick" / "notes.txt"
    prompts.open_path.write_text("Zoë's notes", "utf-8")
    qtbot.mouseClick(
        find_by_name(dialog, "Other backup file", QPushButton), Qt.MouseButton.LeftButton
    )
    assert prompts.errors and "cannot be restored" in prompts.errors[-1]
    assert len(host.window.services.activities.list_all()) == 4  # nothing changed
    prompts.open_path = elsewhere
    qtbot.mouseClick(
        find_by_name(dialog, "Other backup file", QPushButton), Qt.MouseButton.LeftButton
    )
    assert len(host.window.services.activities.list_all()) == 3
    assert "Added after the copy" not in _titles(host.window.services)
