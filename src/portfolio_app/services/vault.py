"""Getting the data key: set-up, unlocking (keyring, passphrase, recovery code), re-wrapping.

The passphrase is the root of trust and the OS keyring a convenience (KeePassXC's model): the
key file beside the database holds the data key wrapped under the passphrase and under the
recovery code, and "Remember on this device" keeps a copy in the keyring so the app opens
without a prompt. Losing the keyring never loses data; a keyring problem is never reported as
a wrong passphrase. Nothing here writes the key, the passphrase or the code in plain text.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from portfolio_app.atomic_files import write_text_atomically
from portfolio_app.paths import PASSPHRASE_ENV, AppPaths
from portfolio_app.security import key_file
from portfolio_app.security.errors import EmptyPassphrase, WrongPassphrase
from portfolio_app.security.keyring_errors import KeyringProblem
from portfolio_app.security.keyring_store import KeyringStore, describe_backend
from portfolio_app.security.recovery_code import new_recovery_code
from portfolio_app.services.errors import ServiceError

__all__ = [
    "DEMO_PASSPHRASE",
    "PASSPHRASE_ENV",
    "AlreadySetUp",
    "NotSetUp",
    "PassphraseRequired",
    "SetUpResult",
    "UnlockMethod",
    "Unlocked",
    "WeakPassphrase",
    "change_passphrase",
    "describe_backend",
    "forget_on_this_device",
    "is_remembered",
    "is_set_up",
    "passphrase_from_environment",
    "passphrase_is_right",
    "passphrase_problem",
    "recovery_code_document",
    "regenerate_recovery_code",
    "remember_on_this_device",
    "require_set_up",
    "save_recovery_code",
    "set_up",
    "unlock",
    "unlock_with_recovery_code",
]

log = logging.getLogger(__name__)


class NotSetUp(ServiceError):
    """No key file: this data folder was never set up, or its key file was removed."""


class AlreadySetUp(ServiceError):
    """Set-up was asked for where a key file (and so a passphrase) already exists."""


class PassphraseRequired(ServiceError):
    """The keyring could not give the key and no passphrase was given; `reason` says why in
    plain words (no password store, locked store, nothing remembered, damaged entry)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"{reason} Enter your passphrase, or set {PASSPHRASE_ENV} for headless use."
        )
        self.reason = reason


class WeakPassphrase(ServiceError):
    """A new passphrase that breaks the rule in `passphrase_problem`."""


# The demo profile holds made-up sample data only; it is encrypted like every database (there is
# no unencrypted mode), under this published passphrase, and never remembered on the device.
DEMO_PASSPHRASE = "portfolio demo data"

# Long enough that guessing is slow even with Argon2id's help; a phrase of words is easiest.
MIN_PASSPHRASE_LENGTH = 8


def passphrase_problem(new: str, again: str | None = None) -> str | None:
    """What is wrong with a new passphrase (and its second entry, if given), or None."""
    if len(new) < MIN_PASSPHRASE_LENGTH:
        return (
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters "
            "(a few words you will remember is best)."
        )
    if new.strip() != new:
        return "A passphrase cannot begin or end with a space (it is too easy to mistype)."
    if again is not None and again != new:
        return "The two passphrases are not the same."
    return None


def _check_new(passphrase: str) -> None:
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise WeakPassphrase(problem)


def recovery_code_document(code: str, paths: AppPaths) -> str:
    """The text saved or printed at set-up: the code and what it is for, in plain words."""
    return (
        "Portfolio recovery code\n"
        "=======================\n\n"
        f"    {code}\n\n"
        f"For the data in: {paths.data_dir}\n\n"
        "This code opens your Portfolio data if you forget your passphrase.\n"
        "Keep it somewhere safe and private, away from the computer (for example, printed\n"
        "and filed at home). Anyone with this code and a copy of your data can read it.\n"
        "If you lose both your passphrase and this code, nobody can open your data.\n\n"
        'To use it: in Portfolio choose "Forgotten your passphrase?" when asked for it,\n'
        "or run: portfolio-app unlock --recovery-code\n"
    )


def save_recovery_code(path: Path, document: str) -> None:
    """Write the recovery-code document owner-only (it opens the data, like the passphrase)."""
    write_text_atomically(path, document)
    if os.name == "posix":
        os.chmod(path, 0o600)


def passphrase_is_right(paths: AppPaths, passphrase: str) -> bool:
    """Re-authentication before a sensitive change; a wrong or empty passphrase is False."""
    try:
        key_file.unlock_with_passphrase(paths.key_file, passphrase)
    except (WrongPassphrase, EmptyPassphrase):
        return False
    return True


class UnlockMethod(Enum):
    KEYRING = "keyring"
    PASSPHRASE = "passphrase"
    RECOVERY_CODE = "recovery code"


@dataclass(frozen=True)
class Unlocked:
    """The data key and how it was found. `keyring_note` says why it is not (or no longer)
    remembered on this device, when remembering was wanted and failed."""

    data_key: bytes = field(repr=False)
    method: UnlockMethod
    keyring_note: str | None = None


@dataclass(frozen=True)
class SetUpResult:
    """A new data key and the recovery code, to show the user once and never store."""

    data_key: bytes = field(repr=False)
    recovery_code: str = field(repr=False)
    keyring_note: str | None = None


def is_set_up(paths: AppPaths) -> bool:
    return paths.key_file.exists()


def passphrase_from_environment() -> str | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value or None


def set_up(paths: AppPaths, passphrase: str, *, remember: bool = True) -> SetUpResult:
    """Make the data key, write the key file (passphrase and recovery-code slots) and, if
    asked, remember the key on this device. The database is created on first open."""
    if is_set_up(paths):
        raise AlreadySetUp(
            f"{paths.data_dir} is already set up with a passphrase; "
            "use `portfolio-app unlock --recovery-code` if you have forgotten it"
        )
    if paths.database.exists() and paths.database.stat().st_size > 0:
        raise NotSetUp(
            f"{paths.database} exists but its key file {paths.key_file} is missing, so the "
            "data cannot be read; put the key file back (from where you copied the database)"
        )
    _check_new(passphrase)
    paths.ensure()
    data_key = key_file.new_data_key()
    code = new_recovery_code()
    key_file.create_key_file(paths.key_file, data_key, passphrase, code, params=_params())
    note = remember_on_this_device(paths, data_key) if remember else None
    return SetUpResult(data_key, code, note)


def unlock(paths: AppPaths, passphrase: str | None = None, *, remember: bool = False) -> Unlocked:
    """The data key. Without `passphrase`: the key remembered on this device, else the
    passphrase in PORTFOLIO_APP_PASSPHRASE, else PassphraseRequired saying why. A wrong
    passphrase raises security.errors.WrongPassphrase. With `remember`, a key unlocked by
    passphrase is then remembered on this device (a failure there is a note, not an error)."""
    require_set_up(paths)
    if passphrase is None:
        remembered, reason = _remembered_key(paths)
        if remembered is not None:
            return Unlocked(remembered, UnlockMethod.KEYRING)
        passphrase = passphrase_from_environment()
        if passphrase is None:
            raise PassphraseRequired(reason)
    data_key = key_file.unlock_with_passphrase(paths.key_file, passphrase)
    note = remember_on_this_device(paths, data_key) if remember else None
    return Unlocked(data_key, UnlockMethod.PASSPHRASE, note)


def unlock_with_recovery_code(
    paths: AppPaths, code: str, new_passphrase: str, *, remember: bool = True
) -> Unlocked:
    """Open with the recovery code and set a new passphrase (the code keeps working)."""
    require_set_up(paths)
    _check_new(new_passphrase)
    data_key = key_file.unlock_with_recovery_code(paths.key_file, code)
    key_file.change_passphrase(paths.key_file, data_key, new_passphrase, params=_params())
    note = remember_on_this_device(paths, data_key) if remember else None
    return Unlocked(data_key, UnlockMethod.RECOVERY_CODE, note)


def change_passphrase(paths: AppPaths, current: str, new: str) -> None:
    """Re-wrap the data key under `new` after checking `current`; the database is untouched."""
    _check_new(new)
    data_key = key_file.unlock_with_passphrase(paths.key_file, current)
    key_file.change_passphrase(paths.key_file, data_key, new, params=_params())


def regenerate_recovery_code(paths: AppPaths, passphrase: str) -> str:
    """A new recovery code (the old one stops working), after checking the passphrase."""
    data_key = key_file.unlock_with_passphrase(paths.key_file, passphrase)
    code = new_recovery_code()
    key_file.replace_recovery_code(paths.key_file, data_key, code, params=_params())
    return code


def remember_on_this_device(paths: AppPaths, data_key: bytes) -> str | None:
    """Store the key in the OS keyring (read back and compared); the reason if it could not."""
    try:
        _store(paths).save(data_key)
    except KeyringProblem as problem:
        log.info("The data key is not remembered on this device: %s", type(problem).__name__)
        return str(problem)
    return None


def forget_on_this_device(paths: AppPaths) -> str | None:
    """Remove the key from the OS keyring; the reason if it could not be removed."""
    try:
        _store(paths).forget()
    except KeyringProblem as problem:
        return str(problem)
    return None


def is_remembered(paths: AppPaths) -> bool:
    return _remembered_key(paths)[0] is not None


def _remembered_key(paths: AppPaths) -> tuple[bytes | None, str]:
    """The key in the keyring if it fits this key file, else None and why not."""
    try:
        stored = _store(paths).load()
    except KeyringProblem as problem:
        return None, str(problem)
    if stored is None:
        return None, "This device does not remember the key to your data."
    if not key_file.key_fits(paths.key_file, stored):
        # A key left over from an earlier data folder at the same place: never use it.
        return None, "The key this device remembers is for other data, so it was not used."
    return stored, ""


def _store(paths: AppPaths) -> KeyringStore:
    # One entry per data folder: two data folders on one device keep two keys.
    return KeyringStore(str(paths.data_dir))


def require_set_up(paths: AppPaths) -> None:
    if is_set_up(paths):
        return
    if paths.database.exists():
        raise NotSetUp(
            f"the key file {paths.key_file} is missing, so {paths.database} cannot be "
            "read; put the key file back (from where you copied the database)"
        )
    raise NotSetUp(
        f"Portfolio is not set up in {paths.data_dir} yet; run `portfolio-app init` "
        "(or start the desktop app) to choose a passphrase"
    )


def _params() -> key_file.KdfParams:
    # Read at call time, so tests can make Argon2id cheap without a switch users could reach.
    return key_file.DEFAULT_PARAMS
