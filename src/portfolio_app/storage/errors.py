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


class DatabaseDamaged(StorageError):
    """The file fails SQLCipher's page check or SQLite's quick_check, cannot be read, or is
    missing or empty in a folder that was in use. Nothing is written to it; restore a backup."""

    def __init__(self, path: object, problems: list[str], *, missing: bool = False) -> None:
        self.path = path
        self.problems = problems
        self.missing = missing
        # The newest sound backup (a storage.backups.BackupInfo), filled in by whoever knows
        # where the backups are (services.open_services).
        self.newest_backup: object | None = None
        if missing:
            what = f"{path} is missing or empty, although this folder was in use"
        else:
            first = problems[0] if problems else "it cannot be read"
            more = f", and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
            # Plain words first; SQLite's own finding after them, for whoever helps the user.
            what = f"{path} is damaged: part of it cannot be read ({first}{more})"
        super().__init__(f"{what}. Nothing was changed; restore a backup.")


class NewerSchema(StorageError):
    """The database was written by a newer version of the app (a schema revision this one
    does not know). It is never "upgraded" backwards."""

    def __init__(self, path: object, revision: str) -> None:
        self.path = path
        self.revision = revision
        super().__init__(
            f"{path} was saved by a newer version of Portfolio (its data format is "
            f"{revision!r}, which this version does not know). Install the newer version; "
            "nothing was changed."
        )


class ReadOnlyData(StorageError):
    """The data folder (or the database in it) cannot be written: a read-only disk or
    permissions. The data is open for reading; anything that would save is refused."""

    def __init__(self, folder: object) -> None:
        self.folder = folder
        super().__init__(
            f"your data folder {folder} is read-only: nothing can be saved; your data is "
            "unchanged and can still be viewed and exported. Make the folder writable (check "
            "its permissions, or the disk it is on) and start again to make changes."
        )


class DatabaseClosed(StorageError):
    """The data was closed (the window reopened it, or the app is quitting) while some work
    still meant to read it: that work is dropped, nothing is written."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} was closed; nothing more can be read from it here.")
