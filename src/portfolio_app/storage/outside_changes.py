"""Has another program (the CLI, while the window is open) committed to the database?

SQLite's `PRAGMA data_version` changes between two reads on one connection when any OTHER
connection committed in between, so it is read on a connection kept open for it alone. The
app's own pooled connections are "other" too: their commits that changed rows are counted here
(an engine event per commit), so a change can be told as the app's own, another program's, or
possibly both. The kept connection is closed when the database is (its engine disposed): a
restore must never find it holding the old file.
"""

from __future__ import annotations

import enum
import logging
import threading
from typing import Any

from sqlalchemy import Connection, Engine, event

from portfolio_app.storage.cipher import raw_connection
from portfolio_app.storage.damage_memo import forget as forget_damage
from portfolio_app.storage.database import Database

log = logging.getLogger(__name__)

# On the pooled connection, while a transaction runs: its total_changes when it began.
_TOTAL_KEY = "portfolio_total_changes"


class Change(enum.Enum):
    NONE = "none"  # nothing committed since the last look
    OUTSIDE = "outside"  # only another program (or another app) committed
    MAYBE_OURS = "maybe ours"  # this app wrote too: another program may also have


class OutsideChanges:
    """Watches one open database. `check()` says what changed since the last `check()` or
    `seen()`; `seen()` says everything committed until now is on screen. UI thread only."""

    def __init__(self, db: Database, key: bytes) -> None:
        self._path = db.path
        self._key = key
        self._read_only = db.read_only
        self._lock = threading.Lock()
        self._own_writes = 0
        self._connection: Any = None
        self._closed = False
        engine: Engine = db.engine
        self._engine = engine
        event.listen(engine, "begin", _began)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "engine_disposed", self._disposed)
        self._version = self._read()

    def seen(self) -> None:
        """All that is committed now is shown: later commits are news."""
        with self._lock:
            self._own_writes = 0
        self._version = self._read()

    def check(self) -> Change:
        version = self._read()
        with self._lock:
            own, self._own_writes = self._own_writes, 0
        if version is None or self._version is None or version == self._version:
            self._version = self._version if version is None else version
            return Change.NONE
        self._version = version
        forget_damage(self._engine)  # another program may have written damage: look again
        return Change.MAYBE_OURS if own else Change.OUTSIDE

    def close(self) -> None:
        self._closed = True
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception as exc:  # another thread's connection: sqlite refuses; GC closes it
                log.warning("Could not close the change watch on %s: %s", self._path, exc)

    def _read(self) -> int | None:
        """`PRAGMA data_version` on the kept connection; None once closed, or when it cannot
        be read now (a read-only folder, the file locked for long): no news is no change."""
        if self._closed:
            return None
        try:
            if self._connection is None:
                self._connection = raw_connection(self._path, self._key, read_only=self._read_only)
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except Exception as exc:  # sqlcipher3's errors: this watch is a nicety, never a failure
            log.warning("Could not read the change counter of %s: %s", self._path, exc)
            return None
        return int(row[0])

    def _committed(self, connection: Connection) -> None:
        if _wrote(connection):
            with self._lock:
                self._own_writes += 1

    def _disposed(self, _engine: Engine) -> None:
        self.close()


def _total_changes(connection: Connection) -> int:
    return int(getattr(connection.connection.dbapi_connection, "total_changes", 0))


def _began(connection: Connection) -> None:
    connection.connection.info[_TOTAL_KEY] = _total_changes(connection)


def _wrote(connection: Connection) -> bool:
    """Whether the transaction being committed changed rows (one begun before the watch
    started is taken as not)."""
    total = _total_changes(connection)
    return bool(total != connection.connection.info.get(_TOTAL_KEY, total))
