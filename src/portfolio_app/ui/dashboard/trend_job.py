"""Work out the score's quarterly trend in a worker thread: twelve scores of a big portfolio
take a while, and the rest of the dashboard should not wait for them.

Unlike ui.background.run_in_background there is no progress dialog (a window-modal dialog
would block the whole app for a chart in the corner); the page shows a line of text instead.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QThread, Signal

from portfolio_app.report import BreadthReport

log = logging.getLogger(__name__)


class TrendJob(QThread):
    """One trend computation. `computed(generation, points)` or `failed(generation, message)`
    arrive on the UI thread; `generation` tells a page which of its requests it answers."""

    computed = Signal(int, object)  # list[TrendPoint], ending on the report's date
    failed = Signal(int, str)
    # Running jobs are kept here until they end: a QThread destroyed while it runs aborts the
    # process, and the page that started one may be closed first.
    _running: ClassVar[set[TrendJob]] = set()
    _quit_hooked: ClassVar[bool] = False

    def __init__(self, report: BreadthReport, *, generation: int = 0) -> None:
        super().__init__()
        self.generation = generation
        self._report = report
        self.finished.connect(self._ended)

    def start_job(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not TrendJob._quit_hooked:
            app.aboutToQuit.connect(TrendJob.stop_all)
            TrendJob._quit_hooked = True
        TrendJob._running.add(self)
        self.start()

    def cancel(self) -> None:
        """Stop after the quarter being scored (its result is no longer wanted)."""
        self.requestInterruption()

    @classmethod
    def stop_all(cls) -> None:
        """Cancel every running job and wait for it (when the app quits)."""
        for job in list(cls._running):
            job.requestInterruption()
            job.wait()

    def run(self) -> None:
        try:
            # The report's own trend, a day at a time, so that it can be cancelled.
            points = self._report.trend(stop=self.isInterruptionRequested)
            if points is None:
                return
        except Exception as exc:  # reported on the page; the rest of the dashboard stays
            log.exception("the breadth trend could not be worked out")
            self.failed.emit(self.generation, str(exc))
            return
        self.computed.emit(self.generation, points)

    def _ended(self) -> None:
        TrendJob._running.discard(self)
        self.deleteLater()

    @classmethod
    def running(cls) -> int:
        return len(cls._running)
