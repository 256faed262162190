"""Keeping the data key safe: the key file, the recovery code and the OS keyring (no Qt, no SQL)."""
