"""The start-up check of the whole file, run once the window has painted (issue 12).

The window opens on the key check only (`open_services(checks="later")`); this runs
`Database.file_problems()` (its own read-only connection) on a plain thread, with no progress
dialog: nothing shows unless it finds damage, which `on_damage` gets on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from portfolio_app.storage.database import Database

log = logging.getLogger(__name__)


class DeferredCheck(QObject):
    """One check of `db`'s file; `on_damage(problems)` runs on the UI thread if it finds any."""

    _found = Signal(object)

    def __init__(
        self, db: Database, on_damage: Callable[[list[str]], object], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._on_damage = on_damage
        self.problems: list[str] | None = None  # set once the check has finished
        self._found.connect(self._report)
        self._thread = threading.Thread(target=self._run, name="start-up check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def finished(self) -> bool:
        return self.problems is not None

    def _run(self) -> None:
        try:
            problems = self._db.file_problems()
        except Exception as exc:  # the driver's or the file system's errors: a finding too
            log.warning("The start-up check of %s could not finish: %s", self._db.path, exc)
            problems = [f"the check could not finish ({exc})"]
        self._found.emit(problems)  # queued: crosses to the UI thread

    @Slot(object)
    def _report(self, problems: list[str]) -> None:
        self.problems = problems
        if problems:
            log.warning(
                "The start-up check found %d problem(s) in %s", len(problems), self._db.path
            )
            self._on_damage(problems)
