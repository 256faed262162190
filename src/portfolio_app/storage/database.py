"""The one place that opens the database: engine, pragmas, migrations on start, sessions."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from portfolio_app.storage.backups import checked_copy
from portfolio_app.storage.cipher import (
    QUIET_CIPHER_LOG,
    check_file,
    check_key,
    cipher_url,
    integrity_problems,
    needs_immutable,
    raw_connection,
)
from portfolio_app.storage.damage_memo import watch_for_damage
from portfolio_app.storage.errors import (
    DatabaseClosed,
    DatabaseDamaged,
    NewerSchema,
    ReadOnlyData,
    StorageError,
)
from portfolio_app.storage.migrate import (
    current_revision,
    head_revision,
    known_revisions,
    upgrade_to_head,
)

__all__ = [
    "BEGIN_OPTION",
    "Database",
    "DatabaseClosed",
    "ReadOnlyData",
    "StorageError",
    "is_read_only",
    "make_engine",
]


# An execution option naming how a transaction begins: "IMMEDIATE" for units of work that write.
BEGIN_OPTION = "portfolio_begin"


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (below): pysqlite's own implicit BEGIN cannot be IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(QUIET_CIPHER_LOG)  # first: a later pragma may read (and fail on) page 1
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # With WAL (set once per file, in Database): FULL syncs the WAL at every commit, so a commit
    # that returned survives a power cut, not only a crash of the app.
    cursor.execute("PRAGMA synchronous=FULL")
    # Erasure: deleted rows (a contact's notes) are overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _begin(connection: Connection) -> None:
    """A unit of work that writes takes the write lock before its first read, so two writers
    serialise (the second waits) instead of both checking, then both writing."""
    mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, key: bytes, *, read_only: bool = False) -> Engine:
    """An engine on the SQLCipher database at `path`, keyed with the raw 256-bit `key`.

    hide_parameters: a failed statement's message (and so the log) never carries the user's
    text, only the SQL. `read_only`: nothing is created or written (and see
    `cipher.needs_immutable`)."""
    if read_only:
        url = cipher_url(path, key, read_only=True, immutable=needs_immutable(path))
    else:
        create_owner_only(path)
        url = cipher_url(path, key)
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _migration_engine(path: Path, key: bytes) -> Engine:
    """An engine for schema upgrades: one real transaction around all DDL, foreign keys off.

    pysqlite runs DDL outside any transaction, so a failed upgrade would leave half a schema (and
    every later start would fail on it). With foreign keys on, Alembic's batch mode, which
    rebuilds a table and drops the old one, would fail or cascade-delete rows that point at it
    (SQLite's documented way to alter a table switches them off and checks them afterwards).
    """
    engine = create_engine(cipher_url(path, key), hide_parameters=True)

    def connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        # A table rebuilt by batch mode is dropped, then its copy renamed: without this, the
        # rename re-reads the search index's triggers (0008), which name the dropped table.
        dbapi_connection.execute("PRAGMA legacy_alter_table=ON")
        dbapi_connection.execute("PRAGMA busy_timeout=5000")
        dbapi_connection.execute("PRAGMA secure_delete=ON")
        dbapi_connection.execute(QUIET_CIPHER_LOG)

    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    return engine


class Database:
    """An open, migrated database. Services take one of these; nothing else opens the file."""

    def __init__(
        self,
        path: Path,
        *,
        key: bytes,
        backups_dir: Path | None = None,
        must_exist: bool = False,
        read_only: bool = False,
        check_pages: bool = True,
    ) -> None:
        """Open the database at `path`: the key is checked, then the whole file (SQLCipher's
        page HMACs and `quick_check`: `DatabaseDamaged`), then its schema revision (a newer
        one: `NewerSchema`; an older one is upgraded after a backup).

        `check_pages=False`: the key only (a wrong key is still refused at once); the caller
        runs `file_problems()` later (the window, once painted) or knows the file is unchanged
        since its last good check (the CLI's stamp). A file that needs an upgrade is always
        checked first: a damaged file is never upgraded.

        `must_exist`: the folder was in use, so a missing or empty file is damage, not a
        first start (`DatabaseDamaged`, and no new file is created in its place).

        `read_only`: the folder or the file cannot be written (a read-only disk, permissions).
        The data is opened for reading only: nothing is created, upgraded or written, and
        `unit_of_work` raises `ReadOnlyData`."""
        self.path = path
        self._key = key
        self.read_only = read_only
        # Units of work committed through this object: what caches a reading of the data
        # (report.inputs.current_report_inputs) compares it with the count it read at.
        self.writes = 0
        # Closing runs these first (our own list, under a lock: SQLAlchemy's engine events
        # must not gain a listener from a worker thread while dispose() runs them).
        self._close_lock = threading.Condition()
        self._close_hooks: list[Callable[[], None]] = []
        self._closed = False
        # Sessions open now, per thread: closing waits for other threads' sessions to end
        # (disposing the engine under a worker's query crashes the driver), and refuses new
        # ones (DatabaseClosed) rather than reopen the file behind the closer's back.
        self._sessions_open: Counter[int] = Counter()
        if must_exist and not _has_content(path):
            raise DatabaseDamaged(path, [], missing=True)
        if read_only and not _has_content(path):
            raise ReadOnlyData(path.parent)  # nothing to read, and nowhere to create it
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(path, key, read_only=read_only)
        try:
            check_key(self.engine)
            self.checked = check_pages
            if check_pages:
                self._refuse_damaged(integrity_problems(self.engine))
            self._migrate(backups_dir or path.parent / "backups")
        except StorageError:
            self.engine.dispose()
            raise
        except (OperationalError, DatabaseError) as exc:
            self.engine.dispose()
            raise StorageError(_explain(path, exc)) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The damage memo's engine listeners, added here on the opening thread: added later by
        # a worker's first check, they could land while another thread's commit runs them.
        watch_for_damage(self.engine)

    def _refuse_damaged(self, problems: list[str]) -> None:
        if problems:
            raise DatabaseDamaged(self.path, problems)

    def file_problems(self) -> list[str]:
        """The start-up check (page HMACs and `quick_check`) on this open database, on a raw
        read-only connection of its own (any thread: the window runs it off the UI thread,
        while its pool is in use); [] if fine."""
        import sqlcipher3  # type: ignore[import-untyped]  # no stubs; a DB-API 2 module

        try:
            raw = raw_connection(self.path, self._key, read_only=True)
        except sqlcipher3.Error as exc:
            return [f"the file cannot be opened ({exc})"]
        try:
            return check_file(lambda sql: raw.execute(sql).fetchall(), sqlcipher3.DatabaseError)
        finally:
            raw.close()

    def _use_wal(self) -> None:
        """Write-ahead logging: readers never block the writer (the CLI may write while the
        window reads) and a crash mid-commit leaves the last committed state. Stored in the
        file, so this only changes something the first time."""
        raw = self.engine.raw_connection()  # outside any transaction, which WAL requires
        try:
            mode = raw.cursor().execute("PRAGMA journal_mode=WAL").fetchone()[0]
        finally:
            raw.close()
        if str(mode).lower() != "wal":
            raise StorageError(
                f"cannot use write-ahead logging for {self.path} (journal mode {mode!r}); "
                "keep your data folder on a local disk"
            )

    def _migrate(self, backups_dir: Path) -> None:
        with self.engine.connect() as connection:
            current = current_revision(connection)
            foreign = current is None and bool(inspect(connection).get_table_names())
        if foreign:
            # Another program's SQLite file: never add our tables to it.
            raise StorageError(
                f"{self.path} is not a Portfolio database (it holds another program's tables)"
            )
        if current is not None and current not in known_revisions():
            # Written by a newer app: never "upgrade" it backwards (and no pointless backup).
            raise NewerSchema(self.path, current)
        if self.read_only:
            if current != head_revision():
                raise StorageError(
                    f"{self.path} was saved by an older version of Portfolio and must be "
                    "upgraded before it can be opened, which needs a writable data folder; "
                    + ReadOnlyData(self.path.parent).args[0]
                )
            return
        self._use_wal()  # only a file that is ours and that we understand
        if current == head_revision():
            return
        if not self.checked:
            self._refuse_damaged(integrity_problems(self.engine))  # never upgrade a damaged file
            self.checked = True
        if current is not None:
            # Back up before every schema upgrade, so a failed migration loses nothing.
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = backups_dir / f"{self.path.stem}-before-upgrade-{current}-{stamp}.sqlite3"
            checked_copy(self.path, backup, self._key)
        engine = _migration_engine(self.path, self._key)
        try:
            with engine.begin() as connection:
                upgrade_to_head(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StorageError(
                        f"upgrading {self.path} would break {len(broken)} link(s) between "
                        "records; nothing was changed"
                    )
        finally:
            engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A transaction for reading (it may write, but another writer can slip in between
        its reads and its first write: use `unit_of_work` for anything that checks, then writes).
        Commits on success, rolls back on any exception."""
        with self._session("DEFERRED") as session:
            yield session

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One use case that writes: its checks and its writes in one transaction holding the
        write lock from the start, so what it checked is still true when it writes.
        `ReadOnlyData` at once when the data folder is read-only (nothing is attempted)."""
        if self.read_only:
            raise ReadOnlyData(self.path.parent)
        with self._session("IMMEDIATE") as session:
            yield session
        self.writes += 1  # committed (an exception skips this)

    @property
    def closed(self) -> bool:
        """True once `close()` was called (a result queued for the UI thread is dropped then)."""
        return self._closed

    @contextmanager
    def _in_use(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._close_lock:
            if self._closed:
                raise DatabaseClosed(self.path)
            self._sessions_open[me] += 1
        try:
            yield
        finally:
            with self._close_lock:
                self._sessions_open[me] -= 1
                if not self._sessions_open[me]:
                    del self._sessions_open[me]
                self._close_lock.notify_all()

    @contextmanager
    def _session(self, begin: str) -> Iterator[Session]:
        with self._in_use(), self._open_session(begin) as session:
            yield session

    @contextmanager
    def _open_session(self, begin: str) -> Iterator[Session]:
        session = self._sessions()
        try:
            with session.begin():
                session.connection(execution_options={BEGIN_OPTION: begin})
                yield session
        except (OperationalError, IntegrityError) as exc:
            if self.read_only and "readonly" in str(exc.orig).lower():
                raise ReadOnlyData(self.path.parent) from exc
            raise StorageError(_explain(self.path, exc)) from exc
        finally:
            session.close()

    def copy_to(self, target: Path) -> None:
        """A consistent, encrypted (same key), checked copy of this database at `target`."""
        checked_copy(self.path, target, self._key, source_read_only=self.read_only)

    def on_close(self, hook: Callable[[], None]) -> bool:
        """Run `hook` when this database closes (any thread may ask); False, and `hook` is
        not kept, when it is closed already."""
        with self._close_lock:
            if self._closed:
                return False
            self._close_hooks.append(hook)
            return True

    def close(self) -> None:
        """Close: new sessions are refused at once; sessions other threads have open (a
        score or search worker) end first. The closing thread's own are its business."""
        me = threading.get_ident()
        with self._close_lock:
            self._closed = True
            self._close_lock.wait_for(lambda: all(t == me for t in self._sessions_open))
            hooks, self._close_hooks = self._close_hooks, []
        for hook in hooks:
            hook()
        self.engine.dispose()


def _explain(path: Path, exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    if "unique constraint failed" in text and "name_key" in text:
        # The services check names first; this is the schema catching what slipped past.
        what = "an organisation" if "organisations." in text else "a contact"
        return f"{what} with this name already exists; choose another name"
    if "disk is full" in text or "disk full" in text:
        # SQLITE_FULL: the transaction was rolled back, so what was saved before is intact.
        return (
            f"the disk holding {path.parent} is full: nothing was saved, and your data is as "
            "it was before; free some space and try again"
        )
    if "locked" in text:
        return f"the database {path} is locked by another program; close it and try again"
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only; check the folder's permissions"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a Portfolio database or is damaged; restore a backup"
    if "unable to open" in text:
        return f"cannot open the database {path}; check the folder exists and is writable"
    return f"database error in {path}: {getattr(exc, 'orig', exc)}"


def is_read_only(path: Path) -> bool:
    """Whether the database at `path` cannot be written here: its folder is not writable (a
    read-only disk or permissions), or the file itself is not. A missing file in a writable
    folder is not read-only (it is created)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        return True
    return path.exists() and not os.access(path, os.W_OK)


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def create_owner_only(path: Path) -> None:
    """Create `path` empty and owner-only (0600) if it is not there, before SQLite opens it:
    SQLite gives its journal and WAL files the database file's permissions."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
