"""What can go wrong when unlocking the data key, as errors whose messages a user can act on.

Messages name the file and the problem; they never contain a key, a passphrase or a code."""

from __future__ import annotations

from pathlib import Path


class SecurityError(Exception):
    """Base of every error the security package raises on purpose."""


class KeyFileMissing(SecurityError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"The key file {path} does not exist, so the data cannot be unlocked.")
        self.path = path


class KeyFileDamaged(SecurityError):
    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"The key file {path} is damaged: {problem}.")
        self.path = path
        self.problem = problem


class WrongPassphrase(SecurityError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"That passphrase does not unlock the key file {path}.")
        self.path = path


class WrongRecoveryCode(SecurityError):
    def __init__(self, path: Path | None, message: str | None = None) -> None:
        super().__init__(message or f"That recovery code does not unlock the key file {path}.")
        self.path = path


class RecoveryCodeMalformed(WrongRecoveryCode):
    """Typed text that cannot be a recovery code at all (wrong length or character)."""

    def __init__(self, problem: str) -> None:
        super().__init__(None, f"That is not a recovery code: {problem}.")
        self.problem = problem


class DataKeyMismatch(SecurityError):
    """A rewrap was asked for with a key other than the one the file protects."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The key given is not the one the key file {path} protects; nothing was changed."
        )
        self.path = path


class EmptyPassphrase(SecurityError):
    def __init__(self) -> None:
        super().__init__("The passphrase is empty; choose one with at least one character.")
