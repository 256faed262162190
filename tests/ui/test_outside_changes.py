"""The window notices what another program committed while it was open: a real `import-csv`
process, or a second Database on the same file, then the window activated (or the timer)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.domain.records import Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.storage.database import Database
from portfolio_app.storage.outside_changes import Change, OutsideChanges
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.outside_changes_watch import CHECK_EVERY_MS, NOTE

from .conftest import MakeWindowType

CSV = (
    "type,title,start,organisation,sector,contacts\n"
    "shadowing,Zoë's ward round,2026-03-02,Northshire Fire and Rescue,Fire and rescue,Siân Jones\n"
    "peer-event,Łukasz's case review,2026-03-03,Northshire Fire and Rescue,Fire and rescue,\n"
)


def _import_in_another_process(data_dir: Path, tmp_path: Path) -> None:
    csv = tmp_path / "outside.csv"
    csv.write_text(CSV, encoding="utf-8")
    command = [sys.executable, "-m", "portfolio_app", "--data-dir", str(data_dir)]
    done = subprocess.run(
        [*command, "import-csv", str(csv)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _activate_elsewhere(qtbot: QtBot) -> QWidget:
    other = QWidget()
    other.setWindowTitle("Another app")
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    return other


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _activity_titles(window: MainWindow) -> list[str]:
    model = window.activities_page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Title")
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def test_a_cli_import_shows_when_the_window_is_activated(
    demo_services: AppServices, make_window: MakeWindowType, qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window(demo_services)
    _activate(qtbot, window)
    before = _activity_titles(window)
    _activate_elsewhere(qtbot)  # the user goes to a terminal

    _import_in_another_process(demo_services.paths.data_dir, tmp_path)
    assert _activity_titles(window) == before  # nothing reloaded behind the user's back yet

    window.statusBar().clearMessage()
    _activate(qtbot, window)  # and comes back
    qtbot.waitUntil(lambda: len(_activity_titles(window)) == len(before) + 2)
    titles = _activity_titles(window)
    assert "Zoë's ward round" in titles and "Łukasz's case review" in titles
    assert window.statusBar().currentMessage() == NOTE

    # Coming back again with nothing new changes nothing and says nothing.
    window.statusBar().clearMessage()
    _activate_elsewhere(qtbot)
    _activate(qtbot, window)
    assert window.statusBar().currentMessage() == ""
    assert not window.outside_changes.check()


def test_the_slow_timer_notices_too(
    paths: AppPaths,
    services: AppServices,
    make_window: MakeWindowType,
    data_key: bytes,
) -> None:
    window = make_window(services)
    timer = window.outside_changes.timer
    assert timer.isActive() and timer.interval() == CHECK_EVERY_MS
    before = window.organisations_page.model.rowCount()

    other = Database(paths.database, key=data_key)  # another program's connection
    try:
        with other.unit_of_work() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO organisations (name, name_key, sector_id, aliases, uid) "
                "VALUES ('Zoë''s Trust', 'zoë''s trust', 'health', '[]', 'outside-1')"
            )
    finally:
        other.close()
    assert window.organisations_page.model.rowCount() == before

    timer.timeout.emit()
    assert window.organisations_page.model.rowCount() == before + 1
    assert window.statusBar().currentMessage() == NOTE


def test_the_windows_own_edits_are_not_announced(
    services: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(services)
    before = window.organisations_page.model.rowCount()
    # Written through the window's own services (a background flow would do the same),
    # without the window's reload: the watch reloads quietly.
    services.organisations.create(Organisation("Siân's Surgery", "adult-social-care"))
    window.statusBar().clearMessage()
    assert window.outside_changes.check() is False
    assert window.organisations_page.model.rowCount() == before + 1
    assert window.statusBar().currentMessage() == ""


def test_reading_alone_is_no_change(paths: AppPaths, data_key: bytes) -> None:
    db = Database(paths.database, key=data_key)
    try:
        changes = OutsideChanges(db, data_key)
        with db.transaction() as session:
            session.connection().exec_driver_sql("SELECT count(*) FROM activities").fetchall()
        assert changes.check() is Change.NONE
        with db.unit_of_work() as session:  # our own write
            session.connection().exec_driver_sql(
                "INSERT INTO organisations (name, name_key, sector_id, aliases, uid) "
                "VALUES ('Łukasz Ltd', 'łukasz ltd', 'private', '[]', 'own-1')"
            )
        assert changes.check() is Change.MAYBE_OURS
        assert changes.check() is Change.NONE

        other = Database(paths.database, key=data_key)
        try:
            with other.unit_of_work() as session:
                session.connection().exec_driver_sql("DELETE FROM organisations WHERE uid='own-1'")
        finally:
            other.close()
        assert changes.check() is Change.OUTSIDE
        assert changes.check() is Change.NONE
    finally:
        db.close()
    # Closing the database closes the watch's own connection (a restore replaces the file).
    assert changes._connection is None
    assert changes.check() is Change.NONE
