"""The window notices what the CLI (or another program) committed while it was open.

When the window is activated again, when the app comes back to the front, and every half
minute, the database's `data_version` is read (storage/outside_changes.py); if another program
committed, every view is reloaded and the status bar says so. Changes that may be the app's own
reload quietly (the views already show the app's own edits; the reload picks up anything else).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from portfolio_app.storage.database import Database
from portfolio_app.storage.errors import StorageError
from portfolio_app.storage.outside_changes import Change, OutsideChanges

log = logging.getLogger(__name__)

NOTE = "Updated with changes made outside this window"
CHECK_EVERY_MS = 30_000
NOTE_MS = 10_000


class OutsideChangesWatch(QObject):
    """Reloads `window` (through `reload`) when another program changed its database."""

    def __init__(
        self, window: QMainWindow, db: Database, key: bytes, reload: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.window = window
        self._reload = reload
        self.changes = OutsideChanges(db, key)
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def seen(self) -> None:
        """The window is about to show everything committed until now."""
        self.changes.seen()

    def check(self) -> bool:
        """Reload if another program committed since the last look; True if it did."""
        if not self.window.isVisible():
            return False
        change = self.changes.check()
        if change is Change.NONE:
            return False
        try:
            self._reload()
        except StorageError as exc:
            self.window.statusBar().showMessage(f"Could not reload: {exc}")
            return False
        if change is Change.OUTSIDE:
            self.window.statusBar().showMessage(NOTE, NOTE_MS)
        return change is Change.OUTSIDE

    def stop(self) -> None:
        self.timer.stop()
        self.changes.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()
