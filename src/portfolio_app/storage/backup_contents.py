"""What an encrypted backup holds, read without assuming its schema (backups made before an
upgrade have an older one): for the erasure preview, which names the backups that still hold
a person."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from portfolio_app.storage.cipher import raw_connection
from portfolio_app.storage.errors import WrongKeyOrNotADatabase

__all__ = ["holds_contact"]


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def holds_contact(path: Path, key: bytes, *, contact_id: int, name: str) -> bool:
    """Whether the backup at `path` (encrypted with `key`) holds the contact: its row (ids are
    never reused, so the same id is the same person, whatever they were called then), or the
    name anywhere in any text or blob of any table. `WrongKeyOrNotADatabase` if it cannot be
    read with `key`."""
    import sqlcipher3  # type: ignore[import-untyped]  # no stubs; a DB-API 2 module

    needle = _folded(name)
    try:
        connection = raw_connection(path, key)
    except sqlcipher3.Error:
        raise WrongKeyOrNotADatabase(str(path)) from None
    try:
        # A file that is not ours is an expected finding here, not an error for SQLCipher to
        # print on stderr (its log level is process-wide; it only ever prints such failures).
        connection.execute("PRAGMA cipher_log_level = NONE")
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        if "contacts" in tables:
            row = connection.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,))
            if row.fetchone() is not None:
                return True
        if not needle:
            return False
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            for row in connection.execute(f"SELECT * FROM {quoted}"):  # names from the file itself
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="ignore")
                    if isinstance(value, str) and needle in _folded(value):
                        return True
        return False
    except sqlcipher3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise WrongKeyOrNotADatabase(str(path)) from None
        raise
    finally:
        connection.close()
