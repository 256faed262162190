"""Keys, passphrases and a keyring for tests: every test's data is encrypted, as a user's is.

The passphrase and the migration fixtures' key are documented test values, never used for real
data. Argon2id runs with tiny costs in tests (the conftest sets CHEAP_KDF), so unlocking takes
microseconds; the real cost is tested in test_key_file.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import keyring.errors
from keyring.backend import KeyringBackend

from portfolio_app.paths import AppPaths
from portfolio_app.security.key_file import KdfParams, create_key_file

REPO = Path(__file__).resolve().parents[1]
TEST_PASSPHRASE = "correct horse battery staple"
# A fixed, valid recovery code for key files made by tests (real ones are random).
TEST_RECOVERY_CODE = "7K3M-9QXR-2D8F-HJ4N-PW6T-ABCD-EFGH-JKMN"
CHEAP_KDF = KdfParams(memory_cost_kib=64, iterations=1, lanes=1)


def _fixture_key() -> bytes:
    """The migration fixtures' key, documented in scripts/make_migration_fixture.py."""
    spec = importlib.util.spec_from_file_location(
        "make_migration_fixture", REPO / "scripts" / "make_migration_fixture.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    key = module.FIXTURE_KEY
    assert isinstance(key, bytes)
    return key


FIXTURE_KEY = _fixture_key()


def write_key_file(
    paths: AppPaths,
    data_key: bytes,
    passphrase: str = TEST_PASSPHRASE,
    recovery_code: str = TEST_RECOVERY_CODE,
) -> None:
    """A key file in `paths` protecting `data_key` (e.g. a fixture's key) under `passphrase`."""
    paths.ensure()
    create_key_file(paths.key_file, data_key, passphrase, recovery_code, params=CHEAP_KDF)


class MemoryKeyring(KeyringBackend):
    """A working store, behaving like the real ones: deleting a missing entry is an error.

    Priority -1 (like keyring's null backend, below fail.Keyring's 0): keyring registers every
    subclass it sees, and none of ours may ever be chosen automatically."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")
