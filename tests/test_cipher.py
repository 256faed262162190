"""SQLCipher connections on real files: encrypted at rest, wrong keys named, damage found."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import traceback
from pathlib import Path

import pytest
from sqlalchemy import text

from portfolio_app.storage.cipher import check_key, cipher_engine, has_fts5, integrity_problems
from portfolio_app.storage.errors import StorageError, WrongKeyOrNotADatabase

SENTINEL = "sentinel-frank-reflection-7f3a"


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


def _write_rows(path: Path, key: bytes, rows: int = 1) -> None:
    engine = cipher_engine(path, key)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
            for index in range(rows):
                connection.execute(
                    text("INSERT INTO note (body) VALUES (:body)"),
                    {"body": f"{SENTINEL} {index} " + "x" * 200},
                )
    finally:
        engine.dispose()


def test_written_rows_read_back_after_reopening_with_the_key(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "portfolio.sqlite3"
    _write_rows(path, key, rows=3)
    engine = cipher_engine(path, key)
    try:
        check_key(engine)
        with engine.connect() as connection:
            bodies = connection.execute(text("SELECT body FROM note ORDER BY id")).scalars().all()
        assert [body.split()[:2] for body in bodies] == [[SENTINEL, str(i)] for i in range(3)]
    finally:
        engine.dispose()


def test_connections_get_the_pragmas(tmp_path: Path, key: bytes) -> None:
    engine = cipher_engine(tmp_path / "db", key)
    try:
        with engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in ("foreign_keys", "secure_delete", "busy_timeout")
            }
        assert pragmas == {"foreign_keys": 1, "secure_delete": 1, "busy_timeout": 5000}
    finally:
        engine.dispose()


def test_the_file_is_encrypted_at_rest(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "portfolio.sqlite3"
    _write_rows(path, key, rows=50)
    raw = path.read_bytes()
    assert len(raw) > 4096  # something was written
    assert not raw.startswith(b"SQLite format 3")
    assert SENTINEL.encode() not in raw
    assert b"sentinel" not in raw.lower()


def test_a_wrong_key_is_our_error_naming_the_file(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "portfolio.sqlite3"
    _write_rows(path, key)
    engine = cipher_engine(path, os.urandom(32))
    try:
        with pytest.raises(WrongKeyOrNotADatabase) as raised:
            check_key(engine)
    finally:
        engine.dispose()
    assert isinstance(raised.value, StorageError)
    assert str(path) in str(raised.value)
    assert "key" in str(raised.value)


def test_a_plain_sqlite_file_is_our_error(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "plain.sqlite3"
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE t (x TEXT)")
        plain.execute("INSERT INTO t VALUES ('in the clear')")
    plain.close()
    engine = cipher_engine(path, key)
    try:
        with pytest.raises(WrongKeyOrNotADatabase, match=re.escape(str(path))):
            check_key(engine)
    finally:
        engine.dispose()


def test_random_bytes_are_our_error(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "noise.sqlite3"
    path.write_bytes(os.urandom(3 * 4096))
    engine = cipher_engine(path, key)
    try:
        with pytest.raises(WrongKeyOrNotADatabase, match=re.escape(str(path))):
            check_key(engine)
    finally:
        engine.dispose()


def test_a_key_of_the_wrong_length_is_refused_without_echoing_it(tmp_path: Path) -> None:
    short = b"\xab" * 16
    with pytest.raises(ValueError, match="32 bytes, not 16") as raised:
        cipher_engine(tmp_path / "db", short)
    assert short.hex() not in str(raised.value)


def test_fts5_is_built_in_and_matches(tmp_path: Path, key: bytes) -> None:
    engine = cipher_engine(tmp_path / "db", key)
    try:
        assert has_fts5(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE VIRTUAL TABLE lesson_fts USING fts5(body)"))
            connection.execute(
                text("INSERT INTO lesson_fts (body) VALUES (:a), (:b)"),
                {"a": "met the housing team about referrals", "b": "budget workshop"},
            )
            found = connection.execute(
                text("SELECT body FROM lesson_fts WHERE lesson_fts MATCH 'housing'")
            ).scalars()
            assert list(found) == ["met the housing team about referrals"]
    finally:
        engine.dispose()


def test_a_sound_file_has_no_integrity_problems(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "db"
    _write_rows(path, key, rows=100)
    engine = cipher_engine(path, key)
    try:
        assert integrity_problems(engine) == []
    finally:
        engine.dispose()


def test_a_corrupted_middle_page_is_reported(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "db"
    _write_rows(path, key, rows=400)
    page_size = 4096  # SQLCipher 4's default
    raw = bytearray(path.read_bytes())
    pages = len(raw) // page_size
    assert pages >= 10
    middle = (pages // 2) * page_size + page_size // 2
    for offset in range(middle, middle + 16):
        raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))

    engine = cipher_engine(path, key)
    try:
        check_key(engine)  # page 1 is intact: the key still fits
        problems = integrity_problems(engine)
    finally:
        engine.dispose()
    assert problems
    assert any(f"page {pages // 2 + 1}" in problem for problem in problems)


def test_the_key_never_appears_in_logs_or_messages(
    tmp_path: Path, key: bytes, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    before = logging.getLogger("sqlalchemy").level  # SQLAlchemy sets WARNING at import
    logging.getLogger("sqlalchemy").setLevel(logging.DEBUG)
    try:
        path = tmp_path / "portfolio.sqlite3"
        _write_rows(path, key)
        wrong = os.urandom(32)
        engine = cipher_engine(path, wrong)
        try:
            shown = f"{engine!r} {engine.url}"
            with pytest.raises(WrongKeyOrNotADatabase) as raised:
                check_key(engine)
        finally:
            engine.dispose()
    finally:
        logging.getLogger("sqlalchemy").setLevel(before)
    message = "".join(traceback.format_exception(raised.value))
    out, err = capfd.readouterr()
    assert "FROM sqlite_master" in caplog.text  # the engine's logging really was captured
    for secret in (key, wrong):
        for spelling in (secret.hex(), secret.hex().upper()):
            for where in (shown, message, caplog.text, out, err):
                assert spelling not in where
