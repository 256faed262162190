"""Storage's error, importable without SQLAlchemy (the CLI names it before opening anything)."""


class StorageError(Exception):
    """A problem with the database file caused by the environment (locked, read-only, damaged)."""
