"""Write files so that a failure or a cancel never leaves half a file where the user looks."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` on a temp file beside `path`, then rename it into place.

    Raises OSError as it comes (callers turn it into their own clear message); any exception,
    including a cancel, removes the temp file and leaves `path` as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Text with exactly the line endings given (no newline translation)."""
    data = text.encode(encoding)

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    write_atomically(path, write)
