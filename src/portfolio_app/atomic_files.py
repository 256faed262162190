"""Write files so that a failure or a cancel never leaves half a file where the user looks."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` on a temp file beside `path`, then rename it into place.

    Raises OSError as it comes (callers turn it into their own clear message); any exception,
    including a cancel, removes the temp file and leaves `path` as it was. The folder must exist:
    a typo in a folder name should be an error, not a new folder."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist", str(path.parent))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        # mkstemp makes owner-only files; give the file the permissions a plain write would,
        # so a taxonomy HR writes can be read by every user it is deployed to.
        os.chmod(temp, _default_file_mode())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _default_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Text with exactly the line endings given (no newline translation)."""
    data = text.encode(encoding)

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(path, write)
