"""A stamp that changes whenever the stored data may have: for caches of a whole reading.

The stamp is (units of work this app committed through the Database, `PRAGMA data_version`).
The first changes at once after our own writes (no query); the second, read on a pooled
connection kept aside for it, changes after any commit by any OTHER connection: the app's other
pooled connections (a write through `transaction()`), another program (the CLI while the window
is open) or a second Database on the same file. Equal stamps: nothing was committed between them.

Any thread may ask (the score is read off the UI thread): the kept connection is used under a
lock (SQLAlchemy's pool hands out connections that may cross threads). It is closed when the
database is (Database.on_close: a watch made on a worker thread must not add an engine event
listener while another thread disposes the engine): a restore must never find it holding the
old file.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from sqlalchemy import Engine

from portfolio_app.storage.database import Database

log = logging.getLogger(__name__)

Stamp = tuple[int, int | None]


class _Watch:
    def __init__(self, db: Database) -> None:
        self._lock = threading.Lock()
        self._connection: Any = None
        self._engine: Engine = db.engine
        self._closed = False
        if not db.on_close(self._disposed):
            self._closed = True  # closed already (never back to False: the hook may have run)

    def data_version(self) -> int | None:
        """The counter now; None once closed or when it cannot be read."""
        with self._lock:
            if self._closed:
                return None
            try:
                if self._connection is None:
                    self._connection = self._engine.raw_connection()
                row = self._connection.cursor().execute("PRAGMA data_version").fetchone()
            except Exception as exc:  # the driver's errors: a stamp is a nicety, never a failure
                log.warning("Could not read the change counter: %s", exc)
                self._drop()
                return None
            return int(row[0])

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.invalidate()  # closed for good, not returned to the pool
            except Exception as exc:
                log.warning("Could not close the change counter's connection: %s", exc)

    def _disposed(self) -> None:
        with self._lock:
            self._closed = True
            self._drop()


_watches: weakref.WeakKeyDictionary[Database, _Watch] = weakref.WeakKeyDictionary()
_watches_lock = threading.Lock()


def stamp(db: Database) -> Stamp | None:
    """This database's stamp now; None when it cannot be told (nothing may be cached then)."""
    with _watches_lock:
        watch = _watches.get(db)
        if watch is None:
            watch = _watches[db] = _Watch(db)
    writes = db.writes
    version = watch.data_version()
    return None if version is None else (writes, version)
