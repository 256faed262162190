"""Work out the Breadth page's report in a worker thread: reading a whole career's scoring
inputs takes a moment, and the window must paint (and answer) meanwhile.

The inputs come from `report.current_report_inputs`, so a re-score after a change that did not
touch the data, or the activity dialog's preview after the page, reads nothing again. The
result arrives on the UI thread with the generation it was asked for: the page drops a result
a newer request has overtaken.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QThread, Signal

from portfolio_app.report import ReportInputs, build_report, current_report_inputs
from portfolio_app.services import AppServices

log = logging.getLogger(__name__)


class ScoreJob(QThread):
    """One report. `computed(generation, (inputs, report))` or `failed(generation, error)`
    arrive on the UI thread (the error is the exception: the page words it)."""

    computed = Signal(int, object)  # (ReportInputs, BreadthReport)
    failed = Signal(int, object)  # Exception
    # Running jobs are kept until they end: a QThread destroyed while it runs aborts the
    # process, and the page that started one may be closed first.
    _running: ClassVar[set[ScoreJob]] = set()
    _quit_hooked: ClassVar[bool] = False

    def __init__(self, services: AppServices, as_of: date, *, generation: int) -> None:
        super().__init__()
        self.generation = generation
        self._services = services
        self._as_of = as_of
        self.finished.connect(self._ended)

    def start_job(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not ScoreJob._quit_hooked:
            app.aboutToQuit.connect(ScoreJob.wait_all)
            ScoreJob._quit_hooked = True
        ScoreJob._running.add(self)
        self.start()

    def run(self) -> None:
        try:
            source: ReportInputs = current_report_inputs(self._services)
            report = build_report(source, as_of=self._as_of)  # the score is worked out here
        except Exception as exc:  # shown on the page; the rest of the window stays
            if not self.isInterruptionRequested():
                log.debug("the breadth report could not be worked out", exc_info=True)
            self.failed.emit(self.generation, exc)
            return
        self.computed.emit(self.generation, (source, report))

    def _ended(self) -> None:
        ScoreJob._running.discard(self)
        self.deleteLater()

    @classmethod
    def wait_all(cls) -> None:
        """Wait for every running job (when the app quits, before the database closes)."""
        for job in list(cls._running):
            job.requestInterruption()
            job.wait()

    @classmethod
    def running(cls) -> int:
        return len(cls._running)
