"""Why the OS keyring could not remember the data key; each says so in plain words.

None of these is ever a wrong passphrase: the keyring is a convenience, and every one of them
ends with the app asking for the passphrase (issue 10)."""

from __future__ import annotations


class KeyringProblem(Exception):
    """The keyring could not give or keep the data key; the passphrase still opens the data."""


class NoSecureStore(KeyringProblem):
    """The computer has no password store we can use (keyring's fail/null backend, or none)."""

    def __init__(self) -> None:
        super().__init__(
            "This computer has no password store that Portfolio can use, "
            "so it will ask for your passphrase at every start."
        )


class KeyringLocked(KeyringProblem):
    """The password store exists but is locked or refused us access."""

    def __init__(self, backend: str) -> None:
        super().__init__(
            f"The password store ({backend}) is locked or refused access, so Portfolio "
            "will ask for your passphrase. Unlock the password store to open without a prompt."
        )


class KeyringUnreliable(KeyringProblem):
    """The store accepted the key but did not give the same key back (a dropped write)."""

    def __init__(self, backend: str) -> None:
        super().__init__(
            f"The password store ({backend}) accepted the key but did not keep it, "
            "so Portfolio cannot remember it on this device and will ask for your passphrase "
            "at every start."
        )


class KeyringValueDamaged(KeyringProblem):
    """The stored entry is not a data key (wrong length or not hex); it is never used."""

    def __init__(self, backend: str, what: str) -> None:
        # `what` describes the fault, never the value: the value may be most of a key.
        super().__init__(
            f"The key Portfolio saved in the password store ({backend}) is damaged ({what}), "
            "so it was not used. Enter your passphrase to open your data; Portfolio can then "
            "save the key again."
        )
