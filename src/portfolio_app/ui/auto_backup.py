"""Automatic backups while the window is open: every few minutes a check whether one is due
(the data changed and the newest backup is 30 minutes old), the copy itself off the UI thread,
never two at once, and a last one as the window closes. A failure (a full disk) is a
status-bar message and a log line, never a dialog or a traceback."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from portfolio_app.services import AppServices
from portfolio_app.storage.errors import StorageError

log = logging.getLogger(__name__)

# How often the window asks whether a backup is due (the rule itself is 30 minutes).
CHECK_INTERVAL_MS = 5 * 60 * 1000


def failure_text(exc: BaseException) -> str:
    """A failed backup in one sentence for the status bar (the log has the detail)."""
    if isinstance(exc, StorageError | OSError):
        return f"The automatic backup failed: {exc}. Your data is safe; Portfolio will try again."
    return "The automatic backup failed (see the log). Your data is safe; Portfolio will try again."


class AutoBackup(QObject):
    """Runs `services.backups` jobs one at a time in a worker thread; results come back on
    the UI thread as `made(path or None)` or `failed(message)`."""

    made = Signal(object)  # the new backup's Path, or None when none was due
    failed = Signal(str)
    # Emitted in the worker; connected to this object's slots, so they run on the UI thread.
    _worker_made = Signal(object)
    _worker_failed = Signal(str)

    def __init__(self, services: AppServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self._stopped = False
        self._worker_made.connect(self._report_made)
        self._worker_failed.connect(self._report_failed)

    @Slot(object)
    def _report_made(self, path: object) -> None:
        self.made.emit(path)

    @Slot(str)
    def _report_failed(self, message: str) -> None:
        self.failed.emit(message)

    def start(self) -> None:
        self.timer.start()

    def running(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    @Slot()
    def check(self) -> bool:
        """Start a backup if one is due (skipped while one runs); False when skipped."""
        return self._run(self._services.backups.backup_if_due)

    def backup_now(self) -> bool:
        """A backup now, whatever the rule says (after the running one, if any)."""
        self.wait()
        return self._run(self._services.backups.backup_now)

    def _run(self, job: Callable[[], Path | None]) -> bool:
        with self._lock:
            if self._stopped or self.running():
                return False
            self._worker = threading.Thread(
                target=self._work, args=(job,), name="portfolio-backup", daemon=True
            )
            self._worker.start()
        return True

    def _work(self, job: Callable[[], Path | None]) -> None:
        try:
            result = job()
        except (StorageError, OSError) as exc:
            log.warning("The automatic backup failed: %s", exc)
            self._worker_failed.emit(failure_text(exc))
        except Exception as exc:  # a bug: logged with detail, still never a traceback
            log.exception("The automatic backup failed")
            self._worker_failed.emit(failure_text(exc))
        else:
            if result is not None:
                log.info("Automatic backup made: %s", result.name)
            self._worker_made.emit(result)

    def wait(self) -> None:
        """Until the running backup (if any) has finished."""
        worker = self._worker
        if worker is not None:
            worker.join()

    def stop(self) -> None:
        """No more backups from this object (the data is about to close)."""
        self._stopped = True
        self.timer.stop()
        self.wait()

    def on_close(self) -> Path | None:
        """The window is closing: wait for a running backup, then take one if the data
        changed since the last (not 30 minutes old is fine now). Logged if it fails."""
        if self._stopped:
            return None
        self.stop()
        try:
            return self._services.backups.backup_if_due(closing=True)
        except (StorageError, OSError) as exc:
            log.warning("The backup on closing failed: %s", exc)
        except Exception:
            log.exception("The backup on closing failed")
        return None
