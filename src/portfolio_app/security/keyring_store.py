"""The one module that touches `keyring`: remember the data key on this device, or say why not.

The passphrase is the root of trust and the keyring a convenience (issue 10), so every failure here
is one of the KeyringProblem errors, each naming its cause, and the caller falls back to asking for
the passphrase. The key itself is never logged and never put in an error message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from portfolio_app.security.keyring_errors import (
    KeyringLocked,
    KeyringUnreliable,
    KeyringValueDamaged,
    NoSecureStore,
)

log = logging.getLogger(__name__)
_T = TypeVar("_T")

DEFAULT_SERVICE = "portfolio-app"
DATA_KEY_BYTES = 32  # AES-256; the stored text is its lower-case hex, 64 characters

# Names a user knows, by backend module; anything else shows keyring's own name for it.
_FRIENDLY_NAMES = {
    "keyring.backends.SecretService": "GNOME Keyring (SecretService)",
    "keyring.backends.libsecret": "GNOME Keyring (libsecret)",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}
# Backends that are there only to say there is no store: fail raises on every call, null
# silently forgets every write.
_NO_STORE_MODULES = {"keyring.backends.fail", "keyring.backends.null"}


def describe_backend() -> str:
    """The password store in use, for the settings page: "GNOME Keyring (SecretService)", "none"."""
    backend = _usable_backend()
    return "none" if backend is None else _describe(backend)


class KeyringStore:
    """The data key of one data folder in the OS keyring, under `service` / `account`.

    `account` identifies the data folder, so two data folders on one device keep two keys."""

    def __init__(self, account: str, service: str = DEFAULT_SERVICE) -> None:
        if not account or not service:
            raise ValueError("a keyring entry needs a service and an account name")
        self.service = service
        self.account = account

    def save(self, data_key: bytes) -> None:
        """Store the key, then read it back: some backends drop writes without an error."""
        if len(data_key) != DATA_KEY_BYTES:
            raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes, not {len(data_key)}")
        backend = self._backend()
        stored = data_key.hex()
        self._call(backend, lambda: backend.set_password(self.service, self.account, stored))
        read_back = self._call(backend, lambda: backend.get_password(self.service, self.account))
        if read_back != stored:
            log.warning("The password store %s did not keep the data key", _describe(backend))
            raise KeyringUnreliable(_describe(backend))

    def load(self) -> bytes | None:
        """The stored key, or None when this device has none saved for the data folder."""
        backend = self._backend()
        text = self._call(backend, lambda: backend.get_password(self.service, self.account))
        if text is None:
            return None
        return _parse_key(text, _describe(backend))

    def forget(self) -> None:
        """Remove the key from the store; forgetting a key that is not there is not an error."""
        backend = self._backend()
        try:
            self._call(backend, lambda: backend.delete_password(self.service, self.account))
        except KeyringLocked:
            # Backends refuse to delete a missing entry with the same error as a refused delete
            # (PasswordDeleteError); only an entry that is still there means we were refused.
            if self._call(backend, lambda: backend.get_password(self.service, self.account)):
                raise

    def _backend(self) -> KeyringBackend:
        backend = _usable_backend()
        if backend is None:
            raise NoSecureStore()
        return backend

    @staticmethod
    def _call(backend: KeyringBackend, operation: Callable[[], _T]) -> _T:
        """Run one keyring call, turning keyring's errors into ours."""
        try:
            return operation()
        except keyring.errors.NoKeyringError:
            raise NoSecureStore() from None
        except (keyring.errors.KeyringError, OSError) as exc:
            # KeyringLocked, InitError, PasswordSetError/DeleteError and a refused access alike:
            # the store is there but will not serve us now. The type is logged, never the key.
            log.warning("The password store %s refused: %s", _describe(backend), type(exc).__name__)
            raise KeyringLocked(_describe(backend)) from exc


def _usable_backend() -> KeyringBackend | None:
    """keyring's current backend, or None when it is one that cannot store anything."""
    backend = keyring.get_keyring()
    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)
        return chained[0] if chained else None
    if _module_of(backend) in _NO_STORE_MODULES:
        return None
    return backend


def _describe(backend: KeyringBackend) -> str:
    return _FRIENDLY_NAMES.get(_module_of(backend), str(type(backend).name))


def _module_of(backend: KeyringBackend) -> str:
    # macOS's backend lives in a package: keyring.backends.macOS.api and the like.
    module = type(backend).__module__
    for known in (*_FRIENDLY_NAMES, *_NO_STORE_MODULES):
        if module == known or module.startswith(known + "."):
            return known
    return module


def _parse_key(text: str, backend: str) -> bytes:
    """The key from its stored hex text; anything else is damage, reported and never used."""
    if len(text) != 2 * DATA_KEY_BYTES:
        expected = 2 * DATA_KEY_BYTES
        raise KeyringValueDamaged(backend, f"{len(text)} characters instead of {expected}")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        # from None: the hex error quotes nothing, but keep even its position out of the chain.
        raise KeyringValueDamaged(backend, "not hexadecimal") from None
    if len(key) != DATA_KEY_BYTES:  # fromhex skips spaces, so 64 characters can be fewer bytes
        raise KeyringValueDamaged(backend, "not hexadecimal")
    return key
