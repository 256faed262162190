"""The keyring store against real keyring backend classes: a working one, one that drops writes,
locked and refusing ones, and keyring's own "no store" backends. Each failure must be told apart,
and none may ever look like a wrong passphrase (issue 10)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail, null
from keyring.backends.chainer import ChainerBackend

from keys_for_tests import MemoryKeyring
from portfolio_app.security import keyring_errors
from portfolio_app.security.keyring_errors import (
    KeyringLocked,
    KeyringProblem,
    KeyringUnreliable,
    KeyringValueDamaged,
    NoSecureStore,
)
from portfolio_app.security.keyring_store import KeyringStore, describe_backend

KEY = bytes(range(32))
ACCOUNT = "data-dir-1234"

# Every test backend has priority -1 (like keyring's null backend), below fail.Keyring's 0: keyring
# registers every subclass it sees, and none of ours may ever be chosen automatically elsewhere.


class DroppingKeyring(MemoryKeyring):
    """Accepts every write without an error and keeps none of them."""

    def set_password(self, service: str, username: str, password: str) -> None:
        pass


class TruncatingKeyring(MemoryKeyring):
    """Keeps only part of what it is given, as a store with a length limit might."""

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password[:32])


class RaisingKeyring(KeyringBackend):
    """Raises the given keyring error on every call."""

    priority = -1

    def __init__(self, error: keyring.errors.KeyringError) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class RefusesDeleteKeyring(MemoryKeyring):
    """Reads and writes, but the user refuses the prompt to delete."""

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("access refused")


class EmptyChainer(ChainerBackend):
    """keyring's chainer when it found no viable backend to chain."""

    backends = ()


class ChainOfOneMemory(ChainerBackend):
    backends = (MemoryKeyring(),)


@pytest.fixture
def use_backend() -> Iterator[Callable[[KeyringBackend], KeyringBackend]]:
    """Set keyring's backend for one test, then put the previous one back."""
    previous = keyring.get_keyring()

    def use(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


def test_a_saved_key_loads_back_and_is_stored_as_hex(use_backend: Callable[..., KeyringBackend]):
    backend = MemoryKeyring()
    use_backend(backend)
    store = KeyringStore(account=ACCOUNT)
    store.save(KEY)
    assert store.load() == KEY
    assert backend.entries == {("portfolio-app", ACCOUNT): KEY.hex()}


def test_nothing_saved_loads_as_none(use_backend: Callable[..., KeyringBackend]):
    use_backend(MemoryKeyring())
    assert KeyringStore(account=ACCOUNT).load() is None


def test_each_data_folder_keeps_its_own_key(use_backend: Callable[..., KeyringBackend]):
    use_backend(MemoryKeyring())
    other_key = bytes(reversed(KEY))
    KeyringStore(account="first").save(KEY)
    KeyringStore(account="second").save(other_key)
    assert KeyringStore(account="first").load() == KEY
    assert KeyringStore(account="second").load() == other_key
    KeyringStore(account="first").forget()
    assert KeyringStore(account="first").load() is None
    assert KeyringStore(account="second").load() == other_key


def test_forget_removes_the_key_and_forgetting_twice_is_fine(
    use_backend: Callable[..., KeyringBackend],
):
    use_backend(MemoryKeyring())
    store = KeyringStore(account=ACCOUNT)
    store.save(KEY)
    store.forget()
    assert store.load() is None
    store.forget()


def test_a_refused_delete_of_a_key_still_there_is_reported(
    use_backend: Callable[..., KeyringBackend],
):
    use_backend(RefusesDeleteKeyring())
    store = KeyringStore(account=ACCOUNT)
    store.forget()  # nothing there: nothing refused
    store.save(KEY)
    with pytest.raises(KeyringLocked):
        store.forget()
    assert store.load() == KEY


@pytest.mark.parametrize("backend_class", [DroppingKeyring, TruncatingKeyring])
def test_a_store_that_does_not_keep_the_key_is_unreliable(
    use_backend: Callable[..., KeyringBackend], backend_class: type[MemoryKeyring]
):
    use_backend(backend_class())
    with pytest.raises(KeyringUnreliable, match="did not keep it"):
        KeyringStore(account=ACCOUNT).save(KEY)


@pytest.mark.parametrize(
    "error",
    [
        keyring.errors.KeyringLocked("Failed to unlock the collection!"),
        keyring.errors.InitError("Failed to create the collection"),
        keyring.errors.PasswordSetError("Can't store password on keychain"),
        keyring.errors.KeyringError("access refused by the user"),
    ],
    ids=lambda error: type(error).__name__,
)
@pytest.mark.parametrize("operation", ["save", "load", "forget"])
def test_a_locked_or_refusing_store_is_reported_as_locked(
    use_backend: Callable[..., KeyringBackend], error: keyring.errors.KeyringError, operation: str
):
    use_backend(RaisingKeyring(error))
    store = KeyringStore(account=ACCOUNT)
    with pytest.raises(KeyringLocked, match="locked or refused access") as raised:
        store.save(KEY) if operation == "save" else getattr(store, operation)()
    assert not isinstance(raised.value, NoSecureStore)


@pytest.mark.parametrize(
    "backend",
    [
        fail.Keyring(),
        null.Keyring(),
        EmptyChainer(),
        RaisingKeyring(keyring.errors.NoKeyringError("No recommended backend")),
    ],
    ids=["fail", "null", "empty chainer", "raises NoKeyringError"],
)
@pytest.mark.parametrize("operation", ["save", "load", "forget"])
def test_no_password_store_is_told_apart_in_plain_words(
    use_backend: Callable[..., KeyringBackend], backend: KeyringBackend, operation: str
):
    use_backend(backend)
    store = KeyringStore(account=ACCOUNT)
    with pytest.raises(NoSecureStore) as raised:
        store.save(KEY) if operation == "save" else getattr(store, operation)()
    assert str(raised.value) == (
        "This computer has no password store that Portfolio can use, "
        "so it will ask for your passphrase at every start."
    )


def test_a_null_store_is_not_trusted_to_have_kept_a_key(
    use_backend: Callable[..., KeyringBackend],
):
    # null.Keyring accepts writes silently; saving must not look like it worked.
    use_backend(null.Keyring())
    with pytest.raises(NoSecureStore):
        KeyringStore(account=ACCOUNT).save(KEY)


def test_a_missing_store_is_never_reported_as_a_wrong_passphrase(
    use_backend: Callable[..., KeyringBackend],
):
    use_backend(fail.Keyring())
    with pytest.raises(KeyringProblem) as raised:
        KeyringStore(account=ACCOUNT).load()
    # Only our keyring errors in its ancestry, so no `except WrongPassphrase` can catch it ...
    ancestry = {cls.__module__ for cls in type(raised.value).__mro__}
    assert ancestry == {keyring_errors.__name__, "builtins"}
    # ... and nothing in its words blames what the user typed.
    message = str(raised.value).lower()
    assert not any(word in message for word in ("wrong", "incorrect", "invalid", "mistyped"))


@pytest.mark.parametrize(
    ("stored", "fault"),
    [
        (KEY.hex()[:-2], "62 characters instead of 64"),
        (KEY.hex() + "00", "66 characters instead of 64"),
        ("", "0 characters instead of 64"),
        ("zz" + KEY.hex()[2:], "not hexadecimal"),
        (KEY.hex()[:-2] + "  ", "not hexadecimal"),  # fromhex would skip the spaces: 31 bytes
    ],
)
def test_a_damaged_stored_value_is_reported_and_never_used(
    use_backend: Callable[..., KeyringBackend], stored: str, fault: str
):
    backend = use_backend(MemoryKeyring())
    backend.set_password("portfolio-app", ACCOUNT, stored)
    with pytest.raises(KeyringValueDamaged) as raised:
        KeyringStore(account=ACCOUNT).load()
    assert f"is damaged ({fault})" in str(raised.value)
    assert "passphrase" in str(raised.value)
    if stored:
        assert stored not in str(raised.value)


def test_the_key_never_reaches_the_log_or_an_error_message(
    use_backend: Callable[..., KeyringBackend], caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    messages = []
    use_backend(MemoryKeyring())
    store = KeyringStore(account=ACCOUNT)
    store.save(KEY)
    store.load()
    store.forget()
    for backend in (DroppingKeyring(), TruncatingKeyring(), RefusesDeleteKeyring()):
        use_backend(backend)
        try:
            store.save(KEY)
            store.forget()
        except KeyringProblem as error:
            messages.append(str(error))
    assert len(messages) == 3
    text = caplog.text + "\n".join(messages)
    assert "did not keep" in caplog.text  # the log was written to, and still holds no key
    for secret in (KEY.hex(), KEY.hex()[:32], KEY.hex().upper()):
        assert secret not in text


def test_only_a_data_key_can_be_saved(use_backend: Callable[..., KeyringBackend]):
    backend = MemoryKeyring()
    use_backend(backend)
    with pytest.raises(ValueError, match="32 bytes, not 16"):
        KeyringStore(account=ACCOUNT).save(KEY[:16])
    assert backend.entries == {}


def test_an_entry_needs_an_account():
    with pytest.raises(ValueError, match="account"):
        KeyringStore(account="")


@pytest.mark.parametrize(
    ("backend", "description"),
    [
        (SecretService.Keyring(), "GNOME Keyring (SecretService)"),
        # keyring's own name for a backend it does not know: its module's words and its class.
        (MemoryKeyring(), "keys for tests MemoryKeyring"),
        (ChainOfOneMemory(), "keys for tests MemoryKeyring"),
        (fail.Keyring(), "none"),
        (null.Keyring(), "none"),
        (EmptyChainer(), "none"),
    ],
    ids=["SecretService", "unknown backend", "chainer", "fail", "null", "empty chainer"],
)
def test_the_backend_is_described_for_the_settings_page(
    use_backend: Callable[..., KeyringBackend], backend: KeyringBackend, description: str
):
    use_backend(backend)
    assert describe_backend() == description
