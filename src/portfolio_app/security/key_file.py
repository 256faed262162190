"""The key file: the data key wrapped twice with AES-GCM, under the passphrase and recovery code.

The passphrase is the root of trust (the keyring is only a convenience), so this small JSON file
beside the database is what makes the data recoverable. Each slot stores its own Argon2id
parameters and salt, so the cost can be raised later without breaking old files, and binds its
slot name and the format version as associated data, so slots cannot be swapped or downgraded."""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from portfolio_app.atomic_files import write_atomically
from portfolio_app.file_checks import (
    InputMissing,
    InputNotOrdinary,
    InputTooLarge,
    read_input_bytes,
)
from portfolio_app.security.errors import (
    DataKeyMismatch,
    EmptyPassphrase,
    KeyFileDamaged,
    KeyFileMissing,
    WrongPassphrase,
    WrongRecoveryCode,
)
from portfolio_app.security.recovery_code import recovery_code_secret

FORMAT = "portfolio-key-file"
VERSION = 1
KEY_LENGTH = 32
SALT_LENGTH = 16
NONCE_LENGTH = 12
WRAPPED_LENGTH = KEY_LENGTH + 16  # AES-GCM appends a 16-byte tag
PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery_code"
# A key file is well under 2 KiB; reading more would only let a bad file exhaust memory.
MAX_FILE_BYTES = 64 * 1024
# Bounds on parameters read from a file, so an altered file cannot make unlocking take forever.
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_ITERATIONS = 64
_MAX_LANES = 64
_CHECK_AAD = f"{FORMAT}/{VERSION}/key-check".encode()


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; the defaults follow RFC 9106's second recommendation (64 MiB, t=3, p=4)."""

    memory_cost_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4


DEFAULT_PARAMS = KdfParams()


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_LENGTH)


def create_key_file(
    path: Path,
    data_key: bytes,
    passphrase: str,
    recovery_code: str,
    *,
    params: KdfParams = DEFAULT_PARAMS,
) -> None:
    """Write a new key file at `path` (replacing one there), owner-only."""
    _check_data_key(data_key)
    passphrase_secret = _passphrase_secret(passphrase)
    recovery_secret = recovery_code_secret(recovery_code)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "key_check": _key_check(data_key),
        "slots": {
            PASSPHRASE_SLOT: _wrap(PASSPHRASE_SLOT, data_key, passphrase_secret, params),
            RECOVERY_SLOT: _wrap(RECOVERY_SLOT, data_key, recovery_secret, params),
        },
    }
    _write(path, document)


def unlock_with_passphrase(path: Path, passphrase: str) -> bytes:
    document = _read(path)
    secret = _passphrase_secret(passphrase)
    key = _unwrap(path, document, PASSPHRASE_SLOT, secret)
    if key is None:
        raise WrongPassphrase(path)
    return key


def unlock_with_recovery_code(path: Path, code: str) -> bytes:
    document = _read(path)
    secret = recovery_code_secret(code)  # a malformed code is refused before any slow work
    key = _unwrap(path, document, RECOVERY_SLOT, secret)
    if key is None:
        raise WrongRecoveryCode(path)
    return key


def key_fits(path: Path, data_key: bytes) -> bool:
    """Whether `data_key` is the key this file protects (checks a remembered key, no KDF)."""
    if len(data_key) != KEY_LENGTH:
        return False
    return _key_check_matches(path, _read(path), data_key)


def change_passphrase(
    path: Path, data_key: bytes, new_passphrase: str, *, params: KdfParams | None = None
) -> None:
    """Rewrap the passphrase slot only; the recovery code keeps working."""
    _rewrap(path, data_key, PASSPHRASE_SLOT, _passphrase_secret(new_passphrase), params)


def replace_recovery_code(
    path: Path, data_key: bytes, new_code: str, *, params: KdfParams | None = None
) -> None:
    """Rewrap the recovery slot only; the old code stops working, the passphrase does not."""
    _rewrap(path, data_key, RECOVERY_SLOT, recovery_code_secret(new_code), params)


def _rewrap(
    path: Path, data_key: bytes, slot: str, secret: bytes, params: KdfParams | None
) -> None:
    _check_data_key(data_key)
    document = _read(path)
    if not _key_check_matches(path, document, data_key):
        raise DataKeyMismatch(path)
    # Without new params, keep the slot's own cost: raising it is a separate, deliberate choice.
    kept = _slot_params(path, _slot(path, document, slot))
    document["slots"][slot] = _wrap(slot, data_key, secret, params or kept)
    _write(path, document)


def _passphrase_secret(passphrase: str) -> bytes:
    # NFC, so "Zoë" typed as one code point or as e + combining diaeresis is one passphrase.
    if not passphrase:
        raise EmptyPassphrase()
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _check_data_key(data_key: bytes) -> None:
    if len(data_key) != KEY_LENGTH:
        raise ValueError(f"a data key has {KEY_LENGTH} bytes, not {len(data_key)}")


def _aad(slot: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{slot}".encode()


def _derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=KEY_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost_kib,
    )
    return kdf.derive(secret)


def _wrap(slot: str, data_key: bytes, secret: bytes, params: KdfParams) -> dict[str, Any]:
    salt = secrets.token_bytes(SALT_LENGTH)
    nonce = secrets.token_bytes(NONCE_LENGTH)
    wrapped = AESGCM(_derive(secret, salt, params)).encrypt(nonce, data_key, _aad(slot))
    return {
        "kdf": {
            "name": "argon2id",
            "memory_cost_kib": params.memory_cost_kib,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "salt": _b64(salt),
        },
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "ciphertext": _b64(wrapped),
    }


def _unwrap(path: Path, document: dict[str, Any], slot: str, secret: bytes) -> bytes | None:
    """The data key, or None when the secret is not the one this slot was made with."""
    fields = _slot(path, document, slot)
    params = _slot_params(path, fields)
    salt = _field_bytes(path, fields["kdf"], "salt", SALT_LENGTH, slot)
    if fields.get("cipher") != "aes-256-gcm":
        raise KeyFileDamaged(path, f"the {slot} slot names an unknown cipher")
    nonce = _field_bytes(path, fields, "nonce", NONCE_LENGTH, slot)
    wrapped = _field_bytes(path, fields, "ciphertext", WRAPPED_LENGTH, slot)
    try:
        key = AESGCM(_derive(secret, salt, params)).decrypt(nonce, wrapped, _aad(slot))
    except InvalidTag:
        # A wrong secret and an altered salt, nonce or ciphertext look the same to AES-GCM.
        return None
    if not _key_check_matches(path, document, key):
        raise KeyFileDamaged(path, f"the {slot} slot holds a different key from the key check")
    return key


def _key_check(data_key: bytes) -> dict[str, str]:
    """An AES-GCM tag of nothing under the data key: proves a key is this one, reveals nothing."""
    nonce = secrets.token_bytes(NONCE_LENGTH)
    tag = AESGCM(data_key).encrypt(nonce, b"", _CHECK_AAD)
    return {"nonce": _b64(nonce), "tag": _b64(tag)}


def _key_check_matches(path: Path, document: dict[str, Any], data_key: bytes) -> bool:
    check = document.get("key_check")
    if not isinstance(check, dict):
        raise KeyFileDamaged(path, "the key check is missing")
    nonce = _field_bytes(path, check, "nonce", NONCE_LENGTH, "key check")
    tag = _field_bytes(path, check, "tag", 16, "key check")
    try:
        AESGCM(data_key).decrypt(nonce, tag, _CHECK_AAD)
    except InvalidTag:
        return False
    return True


def _slot(path: Path, document: dict[str, Any], slot: str) -> dict[str, Any]:
    slots = document.get("slots")
    if not isinstance(slots, dict):
        raise KeyFileDamaged(path, "the list of slots is missing")
    fields = slots.get(slot)
    if not isinstance(fields, dict):
        raise KeyFileDamaged(path, f"the {slot} slot is missing")
    if not isinstance(fields.get("kdf"), dict):
        raise KeyFileDamaged(path, f"the {slot} slot has no key derivation settings")
    return fields


def _slot_params(path: Path, fields: dict[str, Any]) -> KdfParams:
    kdf = fields["kdf"]
    if kdf.get("name") != "argon2id":
        raise KeyFileDamaged(path, "a slot names an unknown key derivation")
    memory = _bounded_int(path, kdf, "memory_cost_kib", 8, _MAX_MEMORY_KIB)
    iterations = _bounded_int(path, kdf, "iterations", 1, _MAX_ITERATIONS)
    lanes = _bounded_int(path, kdf, "lanes", 1, _MAX_LANES)
    if memory < 8 * lanes:
        raise KeyFileDamaged(path, "memory_cost_kib is below 8 KiB per lane")
    return KdfParams(memory_cost_kib=memory, iterations=iterations, lanes=lanes)


def _bounded_int(path: Path, fields: dict[str, Any], name: str, low: int, high: int) -> int:
    value = fields.get(name)
    # bool is an int in Python; `true` in the file is still not a number.
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise KeyFileDamaged(path, f"{name} is not a whole number from {low} to {high}")
    return value


def _field_bytes(path: Path, fields: dict[str, Any], name: str, length: int, where: str) -> bytes:
    text = fields.get(name)
    if not isinstance(text, str):
        raise KeyFileDamaged(path, f"the {where} has no {name}")
    try:
        value = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileDamaged(path, f"the {where} {name} is not valid base64") from None
    if len(value) != length:
        raise KeyFileDamaged(
            path, f"the {where} {name} has {len(value)} bytes where {length} belong"
        )
    return value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _read(path: Path) -> dict[str, Any]:
    try:
        # Not an ordinary file (a FIFO would block an open), or over the limit: refused unread.
        raw = read_input_bytes(path, MAX_FILE_BYTES, "key file")
    except InputMissing:
        raise KeyFileMissing(path) from None
    except InputTooLarge:
        raise KeyFileDamaged(path, f"it is larger than {MAX_FILE_BYTES // 1024} KiB") from None
    except InputNotOrdinary as exc:
        raise KeyFileDamaged(path, f"it is {exc.kind}, not a file") from None
    if not raw.strip():
        raise KeyFileDamaged(path, "it is empty")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # includes bad UTF-8 and bad JSON
        raise KeyFileDamaged(path, "it is not readable JSON (perhaps cut short)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KeyFileDamaged(path, "it is not a Portfolio key file")
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise KeyFileDamaged(
            path, f"its format version is {version!r}; this Portfolio reads version {VERSION}"
        )
    return document


def _write(path: Path, document: dict[str, Any]) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: never half a key file
    (atomic_files); a full disk is one sentence (WriteFailed) and the old file stays."""
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(path, write)
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the file had: it opens the data with the passphrase
