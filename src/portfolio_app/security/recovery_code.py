"""The recovery code: 160 random bits a person can copy, print, read aloud and type back.

Crockford base32 (no I, L, O or U), in 8 groups of 4, so lookalikes typed back still work."""

from __future__ import annotations

import secrets

from portfolio_app.security.errors import RecoveryCodeMalformed

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4 * 2
GROUP_LENGTH = 4
LENGTH = GROUPS * GROUP_LENGTH  # 32 characters x 5 bits = 160 bits

# What people type for the characters the alphabet leaves out.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t\n\r")


def new_recovery_code() -> str:
    """A fresh code in its display form, e.g. `7K3M-...` (8 groups of 4)."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise_recovery_code(text: str) -> str:
    """The display form of a typed code; raises RecoveryCodeMalformed saying what is wrong."""
    compact = text.upper().translate(_SEPARATORS).translate(_LOOKALIKES)
    for char in compact:
        if char not in ALPHABET:
            raise RecoveryCodeMalformed(f"it contains {char!r}, which never appears in one")
    if len(compact) != LENGTH:
        raise RecoveryCodeMalformed(
            f"it has {len(compact)} letters and digits; a recovery code has {LENGTH}"
        )
    return _grouped(compact)


def recovery_code_secret(code: str) -> bytes:
    """The bytes a key is derived from: the same for every way of typing one code."""
    return normalise_recovery_code(code).replace("-", "").encode("ascii")


def _grouped(compact: str) -> str:
    return "-".join(compact[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))
