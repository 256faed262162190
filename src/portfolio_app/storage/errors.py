"""Storage's errors, importable without SQLAlchemy (the CLI names them before opening anything)."""


class StorageError(Exception):
    """A problem with the database file caused by the environment (locked, read-only, damaged)."""


class WrongKeyOrNotADatabase(StorageError):
    """SQLCipher cannot read the file with this key: a wrong key, a plain SQLite file or not a
    database at all (SQLCipher cannot tell these apart, so neither can we)."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Cannot open {path}: the key does not fit, or the file is not an encrypted "
            "Portfolio database (a plain SQLite file, a damaged file or something else)."
        )
        self.path = path
