"""Decrypt SQLCipher 4 files page by page, so tests can search what the key holder could read.

Raw bytes of an encrypted file never show text, so "the name is not in the file" proves nothing
about free pages unless the pages are decrypted first. This reads the format directly (with
`cryptography`, not SQLCipher) for files keyed with a raw 32-byte key (`x'…'`, as
storage/cipher.py keys them), with SQLCipher 4's defaults:

- pages of 4096 bytes, each ending in an 80-byte reserve: a 16-byte IV, then a 64-byte
  HMAC-SHA512 of the page's ciphertext, its IV and its page number (4 bytes, little-endian);
- AES-256-CBC with the raw key itself (no key derivation for a raw key);
- the HMAC key is PBKDF2-HMAC-SHA512 of the raw key over the salt XOR 0x3a, 2 iterations;
- page 1's first 16 bytes are the salt, in clear; its ciphertext is bytes 16..4016.

Every page's HMAC is checked, so a wrong key or a misread layout fails loudly instead of yielding
garbage in which nothing is ever "found". Free pages are decrypted like any other.
Also read: the write-ahead log (a 32-byte header, then frames of a 24-byte header and one page)
and a rollback journal (a header padded to its sector size, then records of a 4-byte page number,
one page and a 4-byte checksum).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = [
    "HMAC_SIZE",
    "IV_SIZE",
    "PAGE_SIZE",
    "RESERVE",
    "SALT_SIZE",
    "BadPage",
    "DecryptedPage",
    "database_pages",
    "decrypt_page",
    "decrypted_bytes",
    "journal_pages",
    "salt_of",
    "wal_pages",
]

PAGE_SIZE = 4096
SALT_SIZE = 16
IV_SIZE = 16
HMAC_SIZE = 64
RESERVE = IV_SIZE + HMAC_SIZE  # 80
HMAC_SALT_MASK = 0x3A
FAST_KDF_ITERATIONS = 2
WAL_HEADER = 32
WAL_FRAME_HEADER = 24
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
JOURNAL_DEFAULT_SECTOR = 512


class BadPage(ValueError):
    """A page whose HMAC does not match: a wrong key, a wrong page number or a misread layout."""


@dataclass(frozen=True)
class DecryptedPage:
    """One page's plaintext (the clear salt of page 1 left out), with where it came from."""

    source: Path
    page_number: int
    plaintext: bytes


def salt_of(database: Path) -> bytes:
    """The database's salt: page 1's first 16 bytes, stored in clear."""
    with database.open("rb") as file:
        salt = file.read(SALT_SIZE)
    if len(salt) != SALT_SIZE:
        raise ValueError(f"{database} is too short to be a SQLCipher database")
    return salt


def _hmac_key(key: bytes, salt: bytes) -> bytes:
    hmac_salt = bytes(byte ^ HMAC_SALT_MASK for byte in salt)
    return hashlib.pbkdf2_hmac("sha512", key, hmac_salt, FAST_KDF_ITERATIONS, dklen=len(key))


def decrypt_page(page: bytes, page_number: int, key: bytes, salt: bytes) -> bytes:
    """The plaintext of one encrypted page (page 1 without its clear salt); `BadPage` if its
    HMAC does not match."""
    if len(page) != PAGE_SIZE:
        raise ValueError(f"a page is {PAGE_SIZE} bytes, not {len(page)}")
    if len(key) != 32:
        raise ValueError("the key must be the raw 32-byte data key")
    start = SALT_SIZE if page_number == 1 else 0
    end = PAGE_SIZE - RESERVE
    ciphertext = page[start:end]
    iv = page[end : end + IV_SIZE]
    stored_mac = page[end + IV_SIZE :]
    mac = hmac.new(_hmac_key(key, salt), ciphertext + iv, hashlib.sha512)
    mac.update(page_number.to_bytes(4, "little"))
    if not hmac.compare_digest(mac.digest(), stored_mac):
        raise BadPage(f"page {page_number}: HMAC mismatch (wrong key or not SQLCipher 4)")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(ciphertext) + decryptor.finalize()


def database_pages(database: Path, key: bytes) -> list[DecryptedPage]:
    """Every page of a database file, free pages included, decrypted and checked."""
    raw = database.read_bytes()
    if len(raw) % PAGE_SIZE:
        raise ValueError(f"{database} is not a whole number of {PAGE_SIZE}-byte pages")
    salt = raw[:SALT_SIZE]
    return [
        DecryptedPage(
            database, number, decrypt_page(raw[offset : offset + PAGE_SIZE], number, key, salt)
        )
        for number, offset in enumerate(range(0, len(raw), PAGE_SIZE), start=1)
    ]


def wal_pages(wal: Path, key: bytes, salt: bytes) -> list[DecryptedPage]:
    """Every frame's page in a write-ahead log (old, checkpointed frames included)."""
    raw = wal.read_bytes()
    pages = []
    offset = WAL_HEADER
    frame = WAL_FRAME_HEADER + PAGE_SIZE
    while offset + frame <= len(raw):
        number = int.from_bytes(raw[offset : offset + 4], "big")
        page = raw[offset + WAL_FRAME_HEADER : offset + frame]
        pages.append(DecryptedPage(wal, number, decrypt_page(page, number, key, salt)))
        offset += frame
    return pages


def journal_pages(journal: Path, key: bytes, salt: bytes) -> list[DecryptedPage]:
    """Every page saved in a rollback journal, read record by record to the end of the file
    (whatever the header's count says: a persisted or zeroed header still leaves pages)."""
    raw = journal.read_bytes()
    sector = JOURNAL_DEFAULT_SECTOR
    if raw.startswith(JOURNAL_MAGIC) and len(raw) >= 28:
        sector = int.from_bytes(raw[20:24], "big") or JOURNAL_DEFAULT_SECTOR
    pages = []
    record = 4 + PAGE_SIZE + 4
    offset = sector
    while offset + record <= len(raw):
        number = int.from_bytes(raw[offset : offset + 4], "big")
        page = raw[offset + 4 : offset + 4 + PAGE_SIZE]
        if number == 0 or not any(page):
            break  # the end of the records (or a zeroed tail)
        pages.append(DecryptedPage(journal, number, decrypt_page(page, number, key, salt)))
        offset += record
    return pages


def _companions(database: Path) -> list[Path]:
    return [
        Path(f"{database}{suffix}")
        for suffix in ("-wal", "-journal")
        if Path(f"{database}{suffix}").exists()
    ]


def decrypted_bytes(path: Path, key: bytes) -> bytes:
    """All plaintext a key holder could read from the database at `path`, its WAL and its
    rollback journal (free pages and old frames included), concatenated.

    `path` may also name a WAL or journal file directly; the salt then comes from its database.
    """
    path = Path(path)
    for suffix, reader in (("-wal", wal_pages), ("-journal", journal_pages)):
        if path.name.endswith(suffix):
            database = path.with_name(path.name.removesuffix(suffix))
            return b"".join(page.plaintext for page in reader(path, key, salt_of(database)))
    pages = database_pages(path, key)
    salt = salt_of(path)
    for companion in _companions(path):
        reader = wal_pages if companion.name.endswith("-wal") else journal_pages
        pages.extend(reader(companion, key, salt))
    return b"".join(page.plaintext for page in pages)
