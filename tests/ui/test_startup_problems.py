"""Data that cannot be opened at start is a clear dialog with the ways on, as the CLI says it in
one line: damaged (restore the newest good backup, the damaged file kept), missing in a folder
that was in use, written by a newer version (Quit only), a key that does not fit, a key file that
cannot be read (Retry once it is back), locked by another program (Retry once it lets go).
Real databases in tmp_path, damaged for real; the buttons pressed as a user would."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Lesson
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage.cipher import raw_connection
from portfolio_app.ui.app import start_window
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.restore_dialog import RestoreDialog
from portfolio_app.ui.startup_problem_dialog import StartupChoice, StartupProblemDialog

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed
from .modals import answer_modals

PAGE = 4096
BACKED_UP = 40  # activities in the backup; one more is added after it


def _fill(paths: AppPaths) -> Path:
    """A profile, 40 activities and a lesson, backed up; then one more activity (not in the
    backup). Returns the backup."""
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones",
            role="Social worker",
            organisation="Northshire Council",
            sector="adult-social-care",
        )
        for n in range(BACKED_UP):
            services.activities.create(
                Activity(
                    ActivityType.SHADOWING,
                    f"Zoë's ward round {n} " + "Łukasz " * 30,
                    date(2026, 1, 1 + n % 28),
                )
            )
        first = services.activities.list_all()[0]
        services.lessons.create(Lesson(title="Ask Zoë first", activity_id=first.id))
        backup = services.backups.backup_now()
        services.activities.create(
            Activity(ActivityType.SHADOWING, "After the backup", date(2026, 3, 1))
        )
    finally:
        services.close()
    return backup


@pytest.fixture
def filled(paths: AppPaths) -> tuple[AppPaths, Path]:
    return paths, _fill(paths)


def _damage(path: Path, start: int) -> bytes:
    """Overwrite 2 KB of a real encrypted database at `start`; returns the damaged bytes."""
    data = bytearray(path.read_bytes())
    assert len(data) > start + 2048, "the database is too small to damage there"
    data[start : start + 2048] = b"\xa5" * 2048
    path.write_bytes(bytes(data))
    return bytes(data)


def _click(qtbot: QtBot, dialog: QDialog, name: str) -> None:
    qtbot.mouseClick(find_by_name(dialog, name, QPushButton), Qt.MouseButton.LeftButton)


def _text(dialog: QDialog) -> str:
    return "\n".join(
        find_by_name(dialog, name, QLabel).text()
        for name in ("Problem", "What happened", "Details")
    )


def _kept_aside(paths: AppPaths) -> list[Path]:
    return sorted(paths.data_dir.glob("portfolio-damaged-*.sqlite3"))


@pytest.fixture
def opened() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.auto_backup.stop()
        window.services.close()


def _start(
    qtbot: QtBot, paths: AppPaths, prompts: FakePrompts, opened: list[MainWindow]
) -> MainWindow | None:
    window = start_window(paths, prompts=prompts)
    if window is not None:
        qtbot.addWidget(window)
        opened.append(window)
    return window


def _titles(services: AppServices) -> list[str]:
    return [a.title for a in services.activities.list_all()]


# --- damaged ------------------------------------------------------------------------------------


def test_a_damaged_database_offers_the_newest_backup_restores_it_and_keeps_the_damaged_file(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow]
) -> None:
    paths, backup = filled
    damaged = _damage(paths.database, 3 * PAGE)
    prompts = FakePrompts()

    def restore(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        text = _text(dialog)
        assert "Your data file is damaged" in text
        assert "kept aside" in text and "never overwritten" in text
        assert f"({BACKED_UP} activities, 1 lesson)" in text
        button = find_by_name(dialog, "Restore the newest backup", QPushButton)
        assert button.isDefault()
        assert f", {BACKED_UP} activities, 1 lesson)" in button.text()
        assert [b.accessibleName() for b in dialog.buttons.values()] == [
            "Restore the newest backup",
            "Choose a backup",
            "Retry",
            "Quit",
        ]
        assert walk_unnamed(dialog) == []
        _click(qtbot, dialog, "Restore the newest backup")

    answered = answer_modals(restore)
    window = _start(qtbot, paths, prompts, opened)
    assert len(answered) == 1
    assert window is not None
    titles = _titles(window.services)
    assert len(titles) == BACKED_UP and "After the backup" not in titles
    [kept] = _kept_aside(paths)
    assert kept.read_bytes() == damaged  # kept as it was, never overwritten
    assert backup.exists()  # the backup itself is left where it was
    assert any("Restored the backup from" in i and str(kept) in i for i in prompts.infos)


def test_quitting_at_a_damaged_database_changes_nothing(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow]
) -> None:
    paths, _backup = filled
    damaged = _damage(paths.database, 3 * PAGE)
    answer_modals(lambda dialog: _click(qtbot, dialog, "Quit"))
    assert _start(qtbot, paths, FakePrompts(), opened) is None
    assert paths.database.read_bytes() == damaged
    assert _kept_aside(paths) == []


def test_a_damaged_database_without_a_backup_says_so_and_offers_no_restore(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow]
) -> None:
    paths, backup = filled
    backup.unlink()
    _damage(paths.database, 3 * PAGE)

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        assert "There is no sound backup" in _text(dialog)
        assert StartupChoice.RESTORE_NEWEST not in dialog.buttons
        assert dialog.buttons[StartupChoice.RETRY].isDefault()
        _click(qtbot, dialog, "Quit")

    answer_modals(look)
    assert _start(qtbot, paths, FakePrompts(), opened) is None


# --- missing in a folder in use -----------------------------------------------------------------


def test_a_missing_database_is_not_a_fresh_start_and_a_chosen_backup_restores_it(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow]
) -> None:
    paths, backup = filled
    paths.database.unlink()
    prompts = FakePrompts()

    def missing(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        text = _text(dialog)
        assert "Your data file is missing" in text and "has not started afresh" in text
        _click(qtbot, dialog, "Choose a backup")

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, RestoreDialog)
        table = find_by_name(dialog, "Backups", QTableView)
        assert table.model().rowCount() == 1
        assert table.model().index(0, 1).data() == f"{BACKED_UP}"
        assert dialog.backup_button.isHidden()  # no open data to back up yet
        _click(qtbot, dialog, "Restore")

    answer_modals(missing, choose)
    window = _start(qtbot, paths, prompts, opened)
    assert window is not None
    assert len(_titles(window.services)) == BACKED_UP
    assert "Your current data will be backed up first" in prompts.confirmations[0]
    assert backup.exists() and _kept_aside(paths) == []  # nothing was there to keep


# --- newer revision -----------------------------------------------------------------------------


def test_a_database_from_a_newer_version_is_refused_with_quit_only(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow], data_key: bytes
) -> None:
    paths, _backup = filled
    with closing(raw_connection(paths.database, data_key)) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
        db.commit()
    before = paths.database.read_bytes()
    backups_before = sorted(paths.backups_dir.iterdir())

    def newer(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        text = _text(dialog)
        assert "newer version of Portfolio" in text and "Install the newer version" in text
        assert "9999_future" in text
        assert list(dialog.buttons) == [StartupChoice.QUIT]
        assert dialog.buttons[StartupChoice.QUIT].isDefault()
        _click(qtbot, dialog, "Quit")

    answer_modals(newer)
    assert _start(qtbot, paths, FakePrompts(), opened) is None
    assert paths.database.read_bytes() == before
    assert sorted(paths.backups_dir.iterdir()) == backups_before  # no pointless backup


# --- the key does not fit / not a database ------------------------------------------------------


def test_an_overwritten_first_page_offers_a_backup_that_opens_with_the_key(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow]
) -> None:
    paths, _backup = filled
    damaged = _damage(paths.database, 0)

    def unreadable(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        assert "Your data file cannot be read" in _text(dialog)
        _click(qtbot, dialog, "Restore the newest backup")

    answer_modals(unreadable)
    window = _start(qtbot, paths, FakePrompts(), opened)
    assert window is not None
    assert len(_titles(window.services)) == BACKED_UP
    [kept] = _kept_aside(paths)
    assert kept.read_bytes() == damaged


# --- the key file -------------------------------------------------------------------------------


def test_a_damaged_key_file_is_explained_and_retry_works_once_it_is_back(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow], tmp_path: Path
) -> None:
    paths, _backup = filled
    saved = tmp_path / "key-file-copy"
    shutil.copyfile(paths.key_file, saved)
    paths.key_file.write_bytes(b"{not a key file")

    def key_problem(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        text = _text(dialog)
        assert "The key to your data cannot be read" in text and str(paths.key_file) in text
        assert list(dialog.buttons) == [StartupChoice.RETRY, StartupChoice.QUIT]
        shutil.copyfile(saved, paths.key_file)  # the user puts it back
        _click(qtbot, dialog, "Retry")

    answered = answer_modals(key_problem)
    window = _start(qtbot, paths, FakePrompts(), opened)
    assert len(answered) == 1 and window is not None
    assert len(_titles(window.services)) == BACKED_UP + 1  # the data as it was: untouched


# --- locked -------------------------------------------------------------------------------------


def test_a_database_locked_by_another_program_says_so_and_retry_opens_it_once_free(
    qtbot: QtBot, filled: tuple[AppPaths, Path], opened: list[MainWindow], data_key: bytes
) -> None:
    paths, _backup = filled
    other = raw_connection(paths.database, data_key)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM lessons WHERE 0")

    def locked(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        text = _text(dialog)
        assert "Your data is in use" in text and "press Retry" in text
        assert dialog.buttons[StartupChoice.RETRY].isDefault()
        other.rollback()
        other.close()  # the other program lets go
        _click(qtbot, dialog, "Retry")

    try:
        answer_modals(locked)
        window = _start(qtbot, paths, FakePrompts(), opened)
    finally:
        other.close()
    assert window is not None
    assert len(_titles(window.services)) == BACKED_UP + 1
