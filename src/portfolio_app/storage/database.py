"""The one place that opens the database: engine, pragmas, migrations on start, sessions."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from portfolio_app.storage.errors import StorageError
from portfolio_app.storage.migrate import current_revision, head_revision, upgrade_to_head

__all__ = ["BEGIN_OPTION", "Database", "StorageError", "copy_database", "make_engine"]


# An execution option naming how a transaction begins: "IMMEDIATE" for units of work that write.
BEGIN_OPTION = "portfolio_begin"


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (below): pysqlite's own implicit BEGIN cannot be IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Erasure: deleted rows (a contact's notes) are overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _begin(connection: Connection) -> None:
    """A unit of work that writes takes the write lock before its first read, so two writers
    serialise (the second waits) instead of both checking, then both writing."""
    mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _migration_engine(path: Path) -> Engine:
    """An engine for schema upgrades: one real transaction around all DDL, foreign keys off.

    pysqlite runs DDL outside any transaction, so a failed upgrade would leave half a schema (and
    every later start would fail on it). With foreign keys on, Alembic's batch mode, which
    rebuilds a table and drops the old one, would fail or cascade-delete rows that point at it
    (SQLite's documented way to alter a table switches them off and checks them afterwards).
    """
    engine = create_engine(f"sqlite:///{path}")

    def connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA busy_timeout=5000")
        dbapi_connection.execute("PRAGMA secure_delete=ON")

    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    return engine


class Database:
    """An open, migrated database. Services take one of these; nothing else opens the file."""

    def __init__(self, path: Path, *, backups_dir: Path | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(path)
        try:
            self._migrate(backups_dir or path.parent / "backups")
        except StorageError:
            self.engine.dispose()
            raise
        except (OperationalError, DatabaseError) as exc:
            self.engine.dispose()
            raise StorageError(_explain(path, exc)) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _migrate(self, backups_dir: Path) -> None:
        with self.engine.connect() as connection:
            current = current_revision(connection)
            foreign = current is None and bool(inspect(connection).get_table_names())
        if foreign:
            # Another program's SQLite file: never add our tables to it.
            raise StorageError(
                f"{self.path} is not a Portfolio database (it holds another program's tables)"
            )
        if current == head_revision():
            return
        if current is not None:
            # Back up before every schema upgrade, so a failed migration loses nothing.
            backups_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = backups_dir / f"{self.path.stem}-before-upgrade-{current}-{stamp}.sqlite3"
            with sqlite3.connect(self.path) as source, sqlite3.connect(backup) as target:
                source.backup(target)
        engine = _migration_engine(self.path)
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
        write lock from the start, so what it checked is still true when it writes."""
        with self._session("IMMEDIATE") as session:
            yield session

    @contextmanager
    def _session(self, begin: str) -> Iterator[Session]:
        session = self._sessions()
        try:
            with session.begin():
                session.connection(execution_options={BEGIN_OPTION: begin})
                yield session
        except (OperationalError, IntegrityError) as exc:
            raise StorageError(_explain(self.path, exc)) from exc
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _explain(path: Path, exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    if "unique constraint failed" in text and "name_key" in text:
        # The services check names first; this is the schema catching what slipped past.
        what = "an organisation" if "organisations." in text else "a contact"
        return f"{what} with this name already exists; choose another name"
    if "locked" in text:
        return f"the database {path} is locked by another program; close it and try again"
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only; check the folder's permissions"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a Portfolio database or is damaged; restore a backup"
    if "unable to open" in text:
        return f"cannot open the database {path}; check the folder exists and is writable"
    return f"database error in {path}: {getattr(exc, 'orig', exc)}"


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live database (SQLite's online backup)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    shutil.copystat(source, target)
