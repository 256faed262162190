"""The window paints first, then checks the whole file off the UI thread (issue 12): damage is
the same start-up problem dialog with the same ways on; a sound file leaves no trace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from portfolio_app.paths import AppPaths
from portfolio_app.ui.app import WindowHost, show_window, start_window
from portfolio_app.ui.startup_problem_dialog import StartupProblemDialog

from .conftest import FakePrompts
from .helpers import find_by_name
from .modals import answer_modals
from .test_startup_problems import BACKED_UP, PAGE, _click, _damage, _fill

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def hosts() -> Iterator[list[WindowHost]]:
    made: list[WindowHost] = []
    yield made
    for host in made:
        host.window.auto_backup.stop()
        host.window.services.close()
        host.window.hide()
        host.window.deleteLater()


def _painted_then_checked(
    qtbot: QtBot, paths: AppPaths, hosts: list[WindowHost], painted: list[bool]
) -> WindowHost:
    window = start_window(paths, prompts=FakePrompts(), checks="later")
    assert window is not None
    assert not window.services.db.checked  # opened on the key check only
    host = WindowHost(window)  # closed by `hosts` (the first window is deleted on damage)
    hosts.append(host)

    def after_first_frame() -> None:
        painted.append(True)
        host.check_file()

    show_window(window, after_first_frame)
    return host


def _damage_late(path: Path) -> bytes:
    """Damage a page the first frame does not read (near the end: the last lesson's and the
    indexes' pages), so only the deferred check finds it."""
    return _damage(path, path.stat().st_size - 2 * PAGE)


def test_damage_found_after_the_first_frame_is_the_start_up_dialog_and_restore_works(
    qtbot: QtBot, paths: AppPaths, hosts: list[WindowHost]
) -> None:
    backup = _fill(paths)
    damaged = _damage_late(paths.database)
    backups_before = sorted(paths.backups_dir.iterdir())
    painted: list[bool] = []
    seen_after_paint: list[bool] = []

    def restore(dialog: QDialog) -> None:
        assert isinstance(dialog, StartupProblemDialog)
        seen_after_paint.append(bool(painted))
        assert [b.accessibleName() for b in dialog.buttons.values()] == [
            "Restore the newest backup",
            "Choose a backup",
            "Retry",
            "Quit",
        ]
        assert (
            f", {BACKED_UP} activities, 1 lesson)"
            in find_by_name(dialog, "Restore the newest backup", QPushButton).text()
        )
        _click(qtbot, dialog, "Restore the newest backup")

    answered = answer_modals(restore)
    host = _painted_then_checked(qtbot, paths, hosts, painted)
    first = host.window
    qtbot.waitUntil(lambda: host.window is not first, timeout=20_000)
    assert len(answered) == 1 and seen_after_paint == [True]
    assert not first.isVisible()
    services = host.window.services
    assert services.db.checked  # the reopened data was checked before it was used
    assert services.activities.count() == BACKED_UP
    [kept] = sorted(paths.data_dir.glob("portfolio-damaged-*.sqlite3"))
    assert kept.read_bytes() == damaged
    assert backup.exists()
    # No automatic backup was made of the damaged file (only the restore's own, if any).
    assert all(p in backups_before or "damaged" not in p.name for p in paths.backups_dir.iterdir())


def test_quit_at_damage_found_after_the_first_frame_changes_nothing(
    qtbot: QtBot, paths: AppPaths, hosts: list[WindowHost]
) -> None:
    _fill(paths)
    damaged = _damage_late(paths.database)
    backups_before = sorted(paths.backups_dir.iterdir())
    answered = answer_modals(lambda dialog: _click(qtbot, dialog, "Quit"))
    host = _painted_then_checked(qtbot, paths, hosts, [])
    qtbot.waitUntil(lambda: len(answered) == 1 and not host.window.isVisible(), timeout=20_000)
    assert paths.database.read_bytes() == damaged
    assert sorted(paths.backups_dir.iterdir()) == backups_before  # the damaged file never copied
    assert list(paths.data_dir.glob("portfolio-damaged-*.sqlite3")) == []


def test_a_sound_file_is_checked_after_the_first_frame_and_nothing_shows(
    qtbot: QtBot, paths: AppPaths, hosts: list[WindowHost]
) -> None:
    _fill(paths)
    prompts_seen = answer_modals()
    painted: list[bool] = []
    host = _painted_then_checked(qtbot, paths, hosts, painted)
    first = host.window
    qtbot.waitUntil(lambda: host.check is not None and host.check.finished(), timeout=20_000)
    assert painted == [True]
    assert host.check is not None and host.check.problems == []
    assert host.window is first and first.isVisible()
    assert prompts_seen == []
    names = {p.name for p in paths.data_dir.iterdir()}
    assert ".last-check.json" not in names  # the window keeps no stamp
    assert not list(paths.data_dir.glob("portfolio-damaged-*"))


def test_damage_the_first_frame_reads_is_the_same_dialog_before_the_window_shows(
    qtbot: QtBot, paths: AppPaths
) -> None:
    _fill(paths)
    pages = paths.database.stat().st_size // PAGE
    for page in range(1, pages - 1):  # every page after the first: the lists read some at once
        damaged = _damage(paths.database, page * PAGE)
    answered = answer_modals(lambda dialog: _click(qtbot, dialog, "Quit"))
    assert start_window(paths, prompts=FakePrompts(), checks="later") is None
    assert len(answered) == 1 and isinstance(answered[0], StartupProblemDialog)
    assert paths.database.read_bytes() == damaged
