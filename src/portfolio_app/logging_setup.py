"""Logging to a rotating file in the data dir, set up explicitly at start (never at import)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from portfolio_app.paths import AppPaths, make_private_dir

LOG_FILENAME = "portfolio-app.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Records from our own code and from the libraries whose problems users report to us.
_LOGGER_NAMES = ("portfolio_app", "alembic", "sqlalchemy")


class _AppFileHandler(RotatingFileHandler):
    """Marks the handler as ours, so setting up again replaces it instead of adding a second.

    Its files (and each rotated one) are owner-only: a log names files and folders. If the log
    itself cannot be written (disk full, a read-only logs folder, a rotated file in the way),
    the handler falls silent for the rest of the run: the user's command goes on, and never
    shows logging's own traceback ("--- Logging error ---")."""

    broken = False

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        assert isinstance(stream, io.TextIOWrapper)
        return stream

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        """Called by `emit` for any failure: stop file logging, quietly."""
        self.broken = True
        stream, self.stream = self.stream, None
        if stream is not None:
            with contextlib.suppress(Exception):  # the same full disk again on the buffered rest
                stream.close()

    def close(self) -> None:
        # Closing flushes: the same full disk again, after the last record.
        with contextlib.suppress(OSError, ValueError):
            super().close()


def configure_logging(paths: AppPaths, *, level: int = logging.INFO) -> Path:
    """Send log records to `paths.logs_dir`; returns the log file. Raises OSError if the folder
    cannot be created (the caller decides whether to carry on without a file log)."""
    paths.ensure()
    make_private_dir(paths.logs_dir)
    log_file = paths.logs_dir / LOG_FILENAME
    close_logging()
    # delay=True: the file appears with the first record, so a quiet run leaves nothing behind.
    handler = _AppFileHandler(
        log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(level)
    for name in _LOGGER_NAMES:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        if name == "portfolio_app":
            logger.setLevel(level)
    return log_file


def close_logging() -> None:
    """Flush and detach the file handler (before exit, and between in-process runs in tests)."""
    for name in _LOGGER_NAMES:
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if isinstance(handler, _AppFileHandler):
                logger.removeHandler(handler)
                handler.close()
