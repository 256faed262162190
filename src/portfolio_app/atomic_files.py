"""Write files so that a failure or a cancel never leaves half a file where the user looks, and
so that what the app writes is private unless the caller says it is meant to be shared.

Every file the app writes goes through `write_atomically` or `write_text_atomically` (see
file_checks for what is refused and the errors raised)."""

from __future__ import annotations

import contextlib
import enum
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from portfolio_app.file_checks import FileProblem, output_target, write_failed


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
    """Call `write` on a temp file beside `path`, fsync it, rename it into place, fsync the folder.

    A new file gets the permissions `mode` names; a file it replaces keeps its mode. A symlink
    is written through (its target is replaced, the link stays). Raises `OutputRefused` for a
    device, FIFO, socket, folder, dangling link or missing folder (nothing touched), and
    `WriteFailed` for any OSError while writing (disk full, read-only): both are one-sentence
    OSErrors (file_checks). Any exception, including a cancel, removes the temp file and leaves
    the target as it was. The folder must exist: a typo in a folder name is an error, not a
    new folder."""
    target = output_target(path)
    try:
        # mkstemp makes the temp file owner-only: the content is never readable by others,
        # even while it is being written.
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise write_failed(path, exc) from exc
    try:
        _write_and_sync(fd, write)
        if os.name == "posix":
            os.chmod(temp, _final_mode(target, mode))
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, FileProblem):
            raise write_failed(path, exc) from exc
        raise
    _sync_folder(target.parent)


def _write_and_sync(fd: int, write: Callable[[BinaryIO], None]) -> None:
    """Write, flush and fsync, closing the file once whatever happens: a failed write's
    buffered rest is dropped rather than failing a second time on close."""
    handle = os.fdopen(fd, "wb")
    try:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())
    except BaseException:
        # The same failure again (ENOSPC on the buffered rest): the first one counts.
        with contextlib.suppress(OSError):
            handle.close()
        raise
    handle.close()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # the file is in place; a folder we cannot open cannot be synced either
    try:
        # Some filesystems (network ones) refuse fsync on a folder; the rename stands.
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


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
