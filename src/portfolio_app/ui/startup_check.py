"""The start-up checks run once the window has painted (issue 12): the whole file
(`DeferredCheck`) and the damaged-row checks of the lists and the status bar (`EntryScan`).

The window opens on the key check only (`open_services(checks="later")`); `DeferredCheck` runs
`Database.file_problems()` (its own read-only connection) on a plain thread, with no progress
dialog: nothing shows unless it finds damage, which `on_damage` gets on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from portfolio_app.storage.database import Database
from portfolio_app.storage.errors import DatabaseClosed

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

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


class EntryScan(QObject):
    """The damaged-row checks the main window's lists and status bar go by, run once on a
    plain thread after the first frame (issue 12: at 100k the first check takes seconds).

    The thread only works the findings out (the services remember them per open database:
    storage/damage_memo.py) and counts each kind's stored entries; `on_done(counts)` then runs
    on the UI thread, where the lists read their ids (their damaged entries now free).
    A failure is logged and `on_done` still runs: the window then checks on the UI thread, and
    whatever failed there is reported as any later failure would be."""

    _done = Signal(object)

    def __init__(
        self,
        services: AppServices,
        kinds: Sequence[str],
        on_done: Callable[[dict[str, int]], object],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._kinds = tuple(kinds)
        self._on_done = on_done
        self.counts: dict[str, int] | None = None  # set once the scan's result has arrived
        self._done.connect(self._arrived)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="entry check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self) -> None:
        """Stop at the next step and wait until the thread has ended (before the services
        close under it); its result is then dropped."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        counts: dict[str, int] = {}
        try:
            tables = self._services.tables
            for kind in self._kinds:
                if self._stop.is_set():
                    return
                tables.damaged(kind)  # remembered: the list's refresh reads it at no cost
                counts[kind] = tables.count(kind)
            if self._stop.is_set():
                return
            self._services.check.damaged_entries()  # the status bar's note, remembered too
        except DatabaseClosed:  # the window closed (or reopened) the data first: nothing to do
            log.debug("entry check stopped: the data was closed")
            return
        except Exception as exc:  # a damaged page: see above
            log.warning("The entry check after start-up could not finish: %s", exc)
            counts = {}
        try:
            self._done.emit(counts)  # queued: crosses to the UI thread
        except RuntimeError:  # the window (and this object with it) is gone
            log.debug("entry check finished after its window closed")

    @Slot(object)
    def _arrived(self, counts: dict[str, int]) -> None:
        if self._stop.is_set() or self._services.db.closed:  # queued before the data closed
            return
        self.counts = counts
        self._on_done(counts)
