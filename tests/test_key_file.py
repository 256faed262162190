"""The key file on real files: round trips, refusals with our own errors, and nothing in clear."""

from __future__ import annotations

import base64
import json
import stat
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from portfolio_app.security.errors import (
    DataKeyMismatch,
    EmptyPassphrase,
    KeyFileDamaged,
    KeyFileMissing,
    RecoveryCodeMalformed,
    SecurityError,
    WrongPassphrase,
    WrongRecoveryCode,
)
from portfolio_app.security.key_file import (
    KdfParams,
    change_passphrase,
    create_key_file,
    new_data_key,
    replace_recovery_code,
    unlock_with_passphrase,
    unlock_with_recovery_code,
)
from portfolio_app.security.recovery_code import (
    ALPHABET,
    new_recovery_code,
    normalise_recovery_code,
)

# Argon2id at its real cost in every test would make the suite slow on a shared machine;
# one test below uses the defaults.
CHEAP = KdfParams(memory_cost_kib=64, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def key() -> bytes:
    return new_data_key()


@pytest.fixture
def code() -> str:
    return new_recovery_code()


@pytest.fixture
def key_file(tmp_path: Path, key: bytes, code: str) -> Path:
    path = tmp_path / "portfolio.key"
    create_key_file(path, key, PASSPHRASE, code, params=CHEAP)
    return path


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _save(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document), encoding="utf-8")


def _flip_first_byte(text: str) -> str:
    data = bytearray(base64.b64decode(text))
    data[0] ^= 0x01
    return base64.b64encode(bytes(data)).decode("ascii")


def test_new_data_keys_are_32_random_bytes() -> None:
    keys = {new_data_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(k) == 32 for k in keys)


def test_passphrase_and_recovery_code_both_unlock(key_file: Path, key: bytes, code: str) -> None:
    assert unlock_with_passphrase(key_file, PASSPHRASE) == key
    assert unlock_with_recovery_code(key_file, code) == key


def test_default_cost_round_trips_and_is_stored_in_the_file(
    tmp_path: Path, key: bytes, code: str
) -> None:
    path = tmp_path / "portfolio.key"
    create_key_file(path, key, PASSPHRASE, code)
    kdf = _load(path)["slots"]["passphrase"]["kdf"]
    assert (kdf["memory_cost_kib"], kdf["iterations"], kdf["lanes"]) == (65536, 3, 4)
    assert unlock_with_passphrase(path, PASSPHRASE) == key


def test_recovery_code_typed_loosely_still_unlocks(key_file: Path, key: bytes, code: str) -> None:
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert unlock_with_recovery_code(key_file, typed) == key


def test_wrong_passphrase_is_refused_with_our_error(key_file: Path) -> None:
    with pytest.raises(WrongPassphrase, match="does not unlock") as error:
        unlock_with_passphrase(key_file, "correct horse battery stapler")
    assert str(key_file) in str(error.value)
    assert "stapler" not in str(error.value)


def test_wrong_recovery_code_is_refused_with_our_error(key_file: Path) -> None:
    with pytest.raises(WrongRecoveryCode, match="does not unlock"):
        unlock_with_recovery_code(key_file, new_recovery_code())


def test_a_malformed_recovery_code_is_refused_before_trying(key_file: Path) -> None:
    with pytest.raises(RecoveryCodeMalformed, match="has 31"):
        unlock_with_recovery_code(key_file, "A" * 31)


def test_a_slot_moved_to_the_other_name_is_refused(tmp_path: Path, key: bytes, code: str) -> None:
    # The slots' associated data names them, so a slot only opens under its own name, even when
    # (as here) both slots were made from the same secret bytes.
    path = tmp_path / "portfolio.key"
    create_key_file(path, key, code.replace("-", ""), code, params=CHEAP)
    document = _load(path)
    slots = document["slots"]
    slots["passphrase"], slots["recovery_code"] = slots["recovery_code"], slots["passphrase"]
    _save(path, document)
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(path, code.replace("-", ""))
    with pytest.raises(WrongRecoveryCode):
        unlock_with_recovery_code(path, code)


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        ("passphrase", "ciphertext"),
        ("passphrase", "nonce"),
        ("passphrase", "salt"),
        ("recovery_code", "ciphertext"),
        ("recovery_code", "nonce"),
        ("recovery_code", "salt"),
    ],
)
def test_tampering_is_refused_with_our_error(
    key_file: Path, code: str, slot: str, field: str
) -> None:
    document = _load(key_file)
    fields = document["slots"][slot]
    holder = fields["kdf"] if field == "salt" else fields
    holder[field] = _flip_first_byte(holder[field])
    _save(key_file, document)
    with pytest.raises((KeyFileDamaged, WrongPassphrase, WrongRecoveryCode)):
        if slot == "passphrase":
            unlock_with_passphrase(key_file, PASSPHRASE)
        else:
            unlock_with_recovery_code(key_file, code)


def test_a_changed_format_version_is_refused(key_file: Path) -> None:
    document = _load(key_file)
    document["version"] = 2
    _save(key_file, document)
    with pytest.raises(KeyFileDamaged, match="version is 2"):
        unlock_with_passphrase(key_file, PASSPHRASE)


def test_a_slot_holding_another_key_is_damage(tmp_path: Path, key_file: Path, code: str) -> None:
    other = tmp_path / "other.key"
    create_key_file(other, new_data_key(), PASSPHRASE, code, params=CHEAP)
    document = _load(key_file)
    document["slots"]["passphrase"] = _load(other)["slots"]["passphrase"]
    _save(key_file, document)
    with pytest.raises(KeyFileDamaged, match="different key"):
        unlock_with_passphrase(key_file, PASSPHRASE)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"{not json", "not readable JSON"),
        (b"\xff\xfe\x00garbage", "not readable JSON"),
        (b"[1, 2, 3]", "not a Portfolio key file"),
        (b'{"format": "something-else", "version": 1}', "not a Portfolio key file"),
        (b"[" * 30_000 + b"]" * 30_000, "not readable JSON"),
        (b" " * (65 * 1024) + b"{}", "larger than 64 KiB"),
    ],
)
def test_unreadable_files_are_damage_and_name_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "portfolio.key"
    path.write_bytes(content)
    with pytest.raises(KeyFileDamaged, match=problem) as error:
        unlock_with_passphrase(path, PASSPHRASE)
    assert str(path) in str(error.value)


def test_a_truncated_file_is_damage(key_file: Path) -> None:
    raw = key_file.read_bytes()
    key_file.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(KeyFileDamaged, match="cut short"):
        unlock_with_passphrase(key_file, PASSPHRASE)


def _drop(document: dict[str, Any], *keys: str) -> None:
    for name in keys[:-1]:
        document = document[name]
    del document[keys[-1]]


def _set(document: dict[str, Any], value: object, *keys: str) -> None:
    for name in keys[:-1]:
        document = document[name]
    document[keys[-1]] = value


@pytest.mark.parametrize(
    ("keys", "problem"),
    [
        (("slots",), "slots is missing"),
        (("slots", "passphrase"), "passphrase slot is missing"),
        (("slots", "passphrase", "kdf"), "no key derivation"),
        (("slots", "passphrase", "nonce"), "has no nonce"),
        (("slots", "passphrase", "ciphertext"), "has no ciphertext"),
        (("slots", "passphrase", "kdf", "salt"), "has no salt"),
        (("slots", "passphrase", "kdf", "iterations"), "iterations is not"),
        (("key_check",), "key check is missing"),
    ],
)
def test_missing_fields_are_damage_naming_the_field(
    key_file: Path, keys: tuple[str, ...], problem: str
) -> None:
    document = _load(key_file)
    _drop(document, *keys)
    _save(key_file, document)
    with pytest.raises(KeyFileDamaged, match=problem):
        unlock_with_passphrase(key_file, PASSPHRASE)


@pytest.mark.parametrize(
    ("keys", "value", "problem"),
    [
        (("slots", "passphrase", "nonce"), "not base64!", "nonce is not valid base64"),
        (("slots", "passphrase", "nonce"), "AAAA", "nonce has 3 bytes where 12 belong"),
        (("slots", "passphrase", "ciphertext"), "AAAA", "ciphertext has 3 bytes where 48"),
        (("slots", "passphrase", "kdf", "salt"), 7, "has no salt"),
        (("slots", "passphrase", "kdf", "memory_cost_kib"), 10**12, "memory_cost_kib is not"),
        (("slots", "passphrase", "kdf", "iterations"), True, "iterations is not"),
        (("slots", "passphrase", "kdf", "lanes"), 0, "lanes is not"),
        (("slots", "passphrase", "kdf", "name"), "scrypt", "unknown key derivation"),
        (("slots", "passphrase", "cipher"), "rot13", "unknown cipher"),
    ],
)
def test_wrong_values_are_damage_naming_the_field(
    key_file: Path, keys: tuple[str, ...], value: object, problem: str
) -> None:
    document = _load(key_file)
    _set(document, value, *keys)
    _save(key_file, document)
    with pytest.raises(KeyFileDamaged, match=problem):
        unlock_with_passphrase(key_file, PASSPHRASE)


def test_a_missing_file_is_its_own_error(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.key"
    with pytest.raises(KeyFileMissing, match="does not exist"):
        unlock_with_passphrase(path, PASSPHRASE)
    with pytest.raises(KeyFileMissing):
        unlock_with_recovery_code(path, new_recovery_code())


def test_change_passphrase_keeps_the_recovery_code(key_file: Path, key: bytes, code: str) -> None:
    recovery_before = _load(key_file)["slots"]["recovery_code"]
    change_passphrase(key_file, key, "a new passphrase")
    assert unlock_with_passphrase(key_file, "a new passphrase") == key
    assert unlock_with_recovery_code(key_file, code) == key
    assert _load(key_file)["slots"]["recovery_code"] == recovery_before
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(key_file, PASSPHRASE)


def test_change_passphrase_keeps_the_slot_cost_unless_told(key_file: Path, key: bytes) -> None:
    change_passphrase(key_file, key, "kept cost")
    assert _load(key_file)["slots"]["passphrase"]["kdf"]["memory_cost_kib"] == 64
    raised = KdfParams(memory_cost_kib=128, iterations=2, lanes=1)
    change_passphrase(key_file, key, "raised cost", params=raised)
    assert _load(key_file)["slots"]["passphrase"]["kdf"]["memory_cost_kib"] == 128
    assert unlock_with_passphrase(key_file, "raised cost") == key


def test_replace_recovery_code_keeps_the_passphrase(key_file: Path, key: bytes, code: str) -> None:
    new_code = new_recovery_code()
    replace_recovery_code(key_file, key, new_code)
    assert unlock_with_recovery_code(key_file, new_code) == key
    assert unlock_with_passphrase(key_file, PASSPHRASE) == key
    with pytest.raises(WrongRecoveryCode):
        unlock_with_recovery_code(key_file, code)


def test_rewrapping_with_another_key_changes_nothing(key_file: Path, key: bytes) -> None:
    before = key_file.read_bytes()
    with pytest.raises(DataKeyMismatch, match="nothing was changed"):
        change_passphrase(key_file, new_data_key(), "a new passphrase")
    with pytest.raises(DataKeyMismatch):
        replace_recovery_code(key_file, new_data_key(), new_recovery_code())
    assert key_file.read_bytes() == before


def test_an_empty_passphrase_is_refused(tmp_path: Path, key: bytes, code: str) -> None:
    path = tmp_path / "portfolio.key"
    with pytest.raises(EmptyPassphrase):
        create_key_file(path, key, "", code, params=CHEAP)
    assert not path.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_file_is_owner_only_after_every_write(key_file: Path, key: bytes) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key_file.chmod(0o644)
    change_passphrase(key_file, key, "a new passphrase")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_writes_leave_no_temp_files(key_file: Path, key: bytes) -> None:
    change_passphrase(key_file, key, "a new passphrase")
    replace_recovery_code(key_file, key, new_recovery_code())
    assert [p.name for p in key_file.parent.iterdir()] == ["portfolio.key"]


def test_no_secret_appears_in_the_file(tmp_path: Path, key: bytes, code: str) -> None:
    path = tmp_path / "portfolio.key"
    passphrase = "Siân's very own passphrase"
    create_key_file(path, key, passphrase, code, params=CHEAP)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    compact_code = code.replace("-", "")
    for secret in (
        key.hex(),
        key.hex().upper(),
        base64.b64encode(key).decode(),
        base64.urlsafe_b64encode(key).decode(),
        compact_code,
        code,
        passphrase,
        json.dumps(passphrase)[1:-1],  # as JSON would escape it
    ):
        assert secret not in text
    assert key not in raw
    assert passphrase.encode("utf-8") not in raw


@pytest.mark.parametrize("passphrase", ["Siân", "Łukasz", "Zoë"])
def test_unicode_passphrases_are_one_passphrase_however_composed(
    tmp_path: Path, key: bytes, code: str, passphrase: str
) -> None:
    composed = unicodedata.normalize("NFC", passphrase)
    decomposed = unicodedata.normalize("NFD", passphrase)
    path = tmp_path / "portfolio.key"
    create_key_file(path, key, decomposed, code, params=CHEAP)
    assert unlock_with_passphrase(path, composed) == key
    assert unlock_with_passphrase(path, decomposed) == key
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(path, passphrase.encode("ascii", "ignore").decode())


def test_nfd_and_nfc_really_differ_for_these_names() -> None:
    # Guards the test above: it proves something only if the two forms differ.
    assert unicodedata.normalize("NFD", "Zoë") != unicodedata.normalize("NFC", "Zoë")
    assert unicodedata.normalize("NFD", "Siân") != unicodedata.normalize("NFC", "Siân")


def test_every_error_is_a_security_error() -> None:
    for error in (WrongPassphrase, WrongRecoveryCode, KeyFileDamaged, KeyFileMissing):
        assert issubclass(error, SecurityError)
    assert issubclass(RecoveryCodeMalformed, WrongRecoveryCode)


# The recovery code on its own


def test_recovery_codes_are_8_groups_of_4_from_crockford_base32() -> None:
    codes = {new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4] * 8
        assert set("".join(groups)) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) == 32  # 32 characters x 5 bits = 160 bits


def test_normalising_accepts_how_people_type_a_code() -> None:
    code = new_recovery_code()
    assert normalise_recovery_code(code) == code
    assert normalise_recovery_code(code.lower()) == code
    assert normalise_recovery_code(code.replace("-", "")) == code
    assert normalise_recovery_code("  " + code.replace("-", " ") + "\n") == code
    assert normalise_recovery_code("oOiI-lL00-" + "1" * 24) == "0011-1100-" + "-".join(["1111"] * 6)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "has 0 letters and digits; a recovery code has 32"),
        ("ABCD-" * 7 + "ABC", "has 31"),
        ("ABCD-" * 8 + "A", "has 33"),
        ("UBCD-" + "ABCD-" * 7, "contains 'U'"),
        ("ABCD-" * 7 + "AB!D", "contains '!'"),
        ("ABCD-" * 7 + "ABÇD", "contains 'Ç'"),
    ],
)
def test_normalising_refuses_what_cannot_be_a_code(text: str, problem: str) -> None:
    with pytest.raises(RecoveryCodeMalformed, match=problem):
        normalise_recovery_code(text)
