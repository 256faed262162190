"""Run a long service call off the UI thread with a progress dialog and Cancel.

`run_in_background(parent, title, work, on_done, on_error)`: `work(progress)` runs in a worker
thread; it may call `progress.report(done, total)` and should stop early (raising `Cancelled`)
when `progress.cancelled` is set. Callbacks run on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from portfolio_app.services.progress import Cancelled, Progress

log = logging.getLogger(__name__)


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any], progress: Progress) -> None:
        super().__init__()
        self._work = work
        self._progress = progress

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except Exception as exc:  # handed to the UI thread, which decides how to show it
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class BackgroundTask(QObject):
    """One running task; keeps its thread, worker and dialog alive until it ends."""

    done = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__(parent)
        self._on_done, self._on_error = on_done, on_error
        self._cancel_event = threading.Event()
        self.progress = Progress(self._cancel_event, self._report)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setAccessibleName(f"{title} progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.worker_thread = QThread(self)
        self.worker = _Worker(work, self.progress)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._show_progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)

    def start(self) -> None:
        self.worker_thread.start()

    @Slot()
    def cancel(self) -> None:
        self._cancel_event.set()
        self.dialog.setLabelText("Cancelling…")

    def _report(self, done: int, total: int) -> None:
        self.worker.progressed.emit(done, total)  # crosses to the UI thread

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)

    def _end(self) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()
        self.dialog.reset()
        self.dialog.close()
        self.done.emit()
        self.deleteLater()

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end()
        self._on_done(result)

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._end()
        if not isinstance(error, Cancelled):
            self._on_error(error)


def run_in_background(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> BackgroundTask:
    task = BackgroundTask(parent, title, work, on_done, on_error)
    task.start()
    return task
