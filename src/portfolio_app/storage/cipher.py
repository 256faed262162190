"""Encrypted database connections (SQLCipher 4 through `sqlcipher3` and SQLAlchemy's
`sqlite+pysqlcipher` dialect), checks of the key and of the file's integrity."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError

from portfolio_app.storage.errors import WrongKeyOrNotADatabase

__all__ = [
    "KEY_BYTES",
    "check_key",
    "cipher_engine",
    "cipher_url",
    "has_fts5",
    "integrity_problems",
    "is_row_value_problem",
    "needs_immutable",
    "raw_connection",
]

KEY_BYTES = 32  # a 256-bit data key

# SQLCipher logs every page it cannot decrypt to stderr ("ERROR CORE sqlcipher_page_cipher: hmac
# check failed"), three lines before our one clear message; the error itself still reaches us.
QUIET_CIPHER_LOG = "PRAGMA cipher_log_level = NONE"

# SQLite's message when the first page cannot be decrypted or is not a database header.
_NOT_A_DATABASE = "file is not a database"


def _raw_key(key: bytes) -> str:
    """The key as SQLCipher's raw-key literal: used as is, so no KDF runs on every connect."""
    if len(key) != KEY_BYTES:
        # The message gives the length only, never the key.
        raise ValueError(f"The database key must be {KEY_BYTES} bytes, not {len(key)}.")
    return f"x'{key.hex()}'"


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Runs after the dialect's own connect hook, which issues `PRAGMA key` first of all (it
    # must precede any other statement, or SQLCipher reads the file unkeyed).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Erasure: deleted rows are overwritten, not left readable (to the key holder) in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(QUIET_CIPHER_LOG)
    cursor.close()


def cipher_url(path: Path, key: bytes, *, read_only: bool = False, immutable: bool = False) -> URL:
    """The SQLAlchemy URL of the SQLCipher file at `path` keyed with `key` (built, not
    formatted: SQLAlchemy masks the password in reprs and logs).

    `read_only`: an SQLite URI with `mode=ro` (nothing is created or written). `immutable`
    also tells SQLite the file cannot change, so it needs no -shm beside a WAL database (which
    a read-only folder cannot hold); only for a file with no WAL content left to read."""
    if not read_only:
        return URL.create("sqlite+pysqlcipher", password=_raw_key(key), database=str(path))
    query = {"uri": "true", "mode": "ro"} | ({"immutable": "1"} if immutable else {})
    return URL.create(
        "sqlite+pysqlcipher",
        password=_raw_key(key),
        # SQLite decodes %XX in a URI's path: a '?', '#' or '%' in a folder name stays itself.
        database="file:" + urllib.parse.quote(str(path.absolute())),
        query=query,
    )


def raw_connection(path: Path, key: bytes, *, read_only: bool = False) -> Any:
    """A DB-API connection to the SQLCipher file at `path`, keyed first of all (for the backup
    API, which SQLAlchemy does not wrap). `read_only`: opened as `cipher_url` opens it
    (`mode=ro`, and `immutable` when `needs_immutable` says so)."""
    import sqlcipher3  # type: ignore[import-untyped]  # no stubs; a DB-API 2 module

    if read_only:
        url = cipher_url(path, key, read_only=True, immutable=needs_immutable(path))
        query = "&".join(f"{name}={value}" for name, value in url.query.items() if name != "uri")
        connection = sqlcipher3.connect(f"{url.database}?{query}", uri=True)
    else:
        connection = sqlcipher3.connect(str(path))
    connection.execute(f'PRAGMA key = "{_raw_key(key)}"')
    connection.execute(QUIET_CIPHER_LOG)
    return connection


def needs_immutable(path: Path) -> bool:
    """Whether a read-only open of `path` must say the file is immutable: a WAL database
    needs its -shm, which a read-only folder can neither hold nor create. Only when no WAL
    content is left to read (the app checkpoints and removes the WAL on close), so nothing
    committed is ever hidden; with a -wal and -shm there, SQLite reads both as they are."""
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if shm.exists() or os.access(path.parent, os.W_OK):
        return False
    try:
        return wal.stat().st_size == 0
    except FileNotFoundError:
        return True


def cipher_engine(path: Path, key: bytes) -> Engine:
    """An engine on the SQLCipher file at `path`, keyed with the raw 256-bit `key`.

    The dialect sends the URL's password as `PRAGMA key = "<password>"` on every new connection,
    before anything else; a password of `x'<64 hex>'` is SQLCipher's raw-key form. The URL is
    built, not formatted, and SQLAlchemy masks its password in reprs and logs. Opening is lazy:
    call `check_key` to learn whether the key fits.
    """
    # hide_parameters: SQL errors in logs and messages must not carry the user's text.
    engine = create_engine(cipher_url(path, key), hide_parameters=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _database_path(engine: Engine) -> str:
    database = engine.url.database or "the database"
    if engine.url.query.get("uri") == "true" and database.startswith("file:"):
        return urllib.parse.unquote(database.removeprefix("file:"))
    return database


def check_key(engine: Engine) -> None:
    """Read the schema once; raise `WrongKeyOrNotADatabase` if the key does not open the file."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except DatabaseError as exc:
        if _NOT_A_DATABASE in str(exc.orig):
            raise WrongKeyOrNotADatabase(_database_path(engine)) from None
        raise


# quick_check's lines about one row's value ("NULL value in activities.title", "CHECK constraint
# failed in activities"): a damaged entry, which the lists show as such (storage.row_checks),
# not a damaged file.
_ROW_VALUE_PROBLEMS = ("NULL value in ", "CHECK constraint failed in ")


def is_row_value_problem(problem: str) -> bool:
    """Whether an `integrity_problems(..., row_values=True)` line is about one row's value."""
    return problem.startswith(_ROW_VALUE_PROBLEMS)


def check_file(
    run: Callable[[str], Iterable[Sequence[Any]]],
    error: type[Exception],
    *,
    row_values: bool = False,
) -> list[str]:
    """The page and quick checks, run by `run(sql) -> rows` on any keyed connection (an
    engine's or a raw one, whose driver raises `error`); [] if fine.

    A row whose value breaks a NOT NULL or CHECK constraint (written by another tool) is left
    out unless `row_values`: the entry shows as damaged and the rest of the data is usable, so
    it neither stops the app from opening nor a backup from being kept."""
    # Every page's HMAC: a row per page that was altered or cannot be read.
    problems = [str(row[0]) for row in run("PRAGMA cipher_integrity_check")]
    try:
        rows = run("PRAGMA quick_check")
    except error as exc:
        # A page that fails to decrypt stops the check itself ("database disk image is
        # malformed"); that is a finding, not a crash.
        problems.append(f"quick_check could not finish: {getattr(exc, 'orig', exc)}")
    else:
        problems.extend(str(row[0]) for row in rows if row[0] != "ok")
    return [p for p in problems if row_values or not is_row_value_problem(p)]


def integrity_problems(engine: Engine, *, row_values: bool = False) -> list[str]:
    """What SQLCipher (page HMACs) and SQLite (`quick_check`) find wrong in the file; [] if fine
    (see `check_file`)."""
    with engine.connect() as connection:
        return check_file(
            lambda sql: connection.exec_driver_sql(sql).all(), DatabaseError, row_values=row_values
        )


def has_fts5(engine: Engine) -> bool:
    """Whether this SQLCipher build has full-text search (FTS5) compiled in."""
    with engine.connect() as connection:
        used = connection.execute(text("SELECT sqlite_compileoption_used('ENABLE_FTS5')"))
        return bool(used.scalar_one())
