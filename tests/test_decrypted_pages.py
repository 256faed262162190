"""The page decryptor finds what a key holder could read, so "not found" in other tests means
something: text in live rows, in free pages, in WAL frames and in journal records."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decrypted_pages import (
    PAGE_SIZE,
    BadPage,
    database_pages,
    decrypted_bytes,
    journal_pages,
    salt_of,
    wal_pages,
)
from portfolio_app.domain.records import Contact
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.cipher import raw_connection

MARKER = "decryptor-marker-Łukasz-Zoë-5c1e"


def _table_of_markers(
    path: Path, key: bytes, *, secure_delete: bool, journal: str = "DELETE"
) -> None:
    connection = raw_connection(path, key)
    try:
        connection.execute(f"PRAGMA secure_delete={'ON' if secure_delete else 'OFF'}")
        connection.execute(f"PRAGMA journal_mode={journal}")
        connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        for index in range(120):
            connection.execute(
                "INSERT INTO note (body) VALUES (?)", (f"{MARKER} row-{index}; " + "z" * 150,)
            )
        connection.commit()
    finally:
        connection.close()


def _delete_second_half(path: Path, key: bytes, *, secure_delete: bool) -> None:
    connection = raw_connection(path, key)
    try:
        connection.execute(f"PRAGMA secure_delete={'ON' if secure_delete else 'OFF'}")
        connection.execute("DELETE FROM note WHERE id > 60")
        connection.commit()
    finally:
        connection.close()


def test_text_stored_by_the_app_is_found_decrypted_and_not_in_the_raw_bytes(
    paths: AppPaths, data_key: bytes
) -> None:
    services = open_services(paths, key=data_key)
    try:
        services.contacts.create(Contact(MARKER, "notes"))
    finally:
        services.close()
    raw = paths.database.read_bytes()
    assert MARKER.encode() not in raw
    assert MARKER.encode() in decrypted_bytes(paths.database, data_key)
    # Every page was decrypted (and its HMAC checked), page 1 included.
    pages = database_pages(paths.database, data_key)
    assert len(pages) == len(raw) // PAGE_SIZE
    assert pages[0].plaintext.startswith(
        b"\x10\x00"
    )  # the header's page size, 4096, after the salt


def test_deleted_rows_in_free_pages_are_found_without_secure_delete(
    tmp_path: Path, data_key: bytes
) -> None:
    """Free pages are read too: with secure_delete off, deleted text is still there to find."""
    path = tmp_path / "plain-delete.sqlite3"
    _table_of_markers(path, data_key, secure_delete=False)
    _delete_second_half(path, data_key, secure_delete=False)
    plain = decrypted_bytes(path, data_key)
    assert b"row-100;" in plain
    assert MARKER.encode() not in path.read_bytes()


def test_secure_delete_leaves_nothing_to_find(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "secure-delete.sqlite3"
    _table_of_markers(path, data_key, secure_delete=True)
    _delete_second_half(path, data_key, secure_delete=True)
    plain = decrypted_bytes(path, data_key)
    assert b"row-59;" in plain  # kept rows (ids 1..60) are there
    assert b"row-100;" not in plain


def test_wal_frames_are_decrypted(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "wal.sqlite3"
    connection = raw_connection(path, data_key)
    try:
        assert connection.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
        connection.execute("CREATE TABLE note (body TEXT)")
        connection.execute("INSERT INTO note VALUES (?)", (MARKER,))
        connection.commit()
        wal = Path(f"{path}-wal")
        # Read while the connection is open: the WAL is not yet checkpointed into the file.
        assert MARKER.encode() not in wal.read_bytes()
        assert wal_pages(wal, data_key, salt_of(path))
        assert MARKER.encode() in decrypted_bytes(wal, data_key)
        assert MARKER.encode() in decrypted_bytes(path, data_key)  # the database's WAL too
    finally:
        connection.close()


def test_rollback_journal_records_are_decrypted(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "journal.sqlite3"
    _table_of_markers(path, data_key, secure_delete=True)
    connection = raw_connection(path, data_key)
    try:
        # PERSIST keeps the journal after commit: it holds the pages as they were before.
        connection.execute("PRAGMA journal_mode=PERSIST")
        connection.execute("UPDATE note SET body = 'overwritten'")
        connection.commit()
    finally:
        connection.close()
    journal = Path(f"{path}-journal")
    assert MARKER.encode() not in journal.read_bytes()
    assert journal_pages(journal, data_key, salt_of(path))
    assert MARKER.encode() in decrypted_bytes(journal, data_key)
    assert MARKER.encode() not in b"".join(p.plaintext for p in database_pages(path, data_key))


def test_a_wrong_key_fails_loudly_instead_of_finding_nothing(
    tmp_path: Path, data_key: bytes
) -> None:
    path = tmp_path / "keyed.sqlite3"
    _table_of_markers(path, data_key, secure_delete=True)
    with pytest.raises(BadPage, match="page 1"):
        decrypted_bytes(path, os.urandom(32))


def test_a_tampered_page_fails_its_hmac(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "tampered.sqlite3"
    _table_of_markers(path, data_key, secure_delete=True)
    raw = bytearray(path.read_bytes())
    raw[PAGE_SIZE + 100] ^= 0xFF  # a byte of page 2's ciphertext
    path.write_bytes(bytes(raw))
    with pytest.raises(BadPage, match="page 2"):
        decrypted_bytes(path, data_key)
