"""Write files so that a failure or a cancel never leaves half a file where the user looks, and
so that what the app writes is private unless the caller says it is meant to be shared."""

from __future__ import annotations

import enum
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


class FileMode(enum.Enum):
    """Who may read a NEW file (POSIX permissions). A file that is replaced keeps its own mode
    either way: the user (or IT) chose it."""

    # 0600: everything in the data folder, and every export (a PDF, a CSV, a contact's JSON):
    # they hold the user's entries and other people's names.
    OWNER_ONLY = "owner-only"
    # What a plain write would give (0666 less the umask): a taxonomy HR writes to deploy to
    # every user's machine, which those users must be able to read.
    SHARED = "shared"


def write_atomically(
    path: Path, write: Callable[[BinaryIO], None], *, mode: FileMode = FileMode.OWNER_ONLY
) -> None:
    """Call `write` on a temp file beside `path`, then rename it into place.

    A new file gets the permissions `mode` names; a file it replaces keeps its mode.
    Raises OSError as it comes (callers turn it into their own clear message); any exception,
    including a cancel, removes the temp file and leaves `path` as it was. The folder must exist:
    a typo in a folder name should be an error, not a new folder."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist", str(path.parent))
    # mkstemp makes the temp file owner-only: the content is never readable by others, even
    # while it is being written.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        if os.name == "posix":
            os.chmod(temp, _final_mode(path, mode))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _final_mode(path: Path, mode: FileMode) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        pass
    if mode is FileMode.OWNER_ONLY:
        return 0o600
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomically(
    path: Path, text: str, *, encoding: str = "utf-8", mode: FileMode = FileMode.OWNER_ONLY
) -> None:
    """Text with exactly the line endings given (no newline translation)."""
    data = text.encode(encoding)

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(path, write, mode=mode)
