"""Check a file before the app reads it or writes it, and say clearly what went wrong.

How to use it (every importer and exporter should):
- **Reading** a file the user names (or one the app keeps): `data = read_input_bytes(path,
  max_bytes=LIMIT, what="CSV file")`. It refuses, without reading a byte and without blocking, a
  folder, a device (`/dev/zero`), a FIFO, a socket, a missing or unreadable file and one over
  `max_bytes`, raising an `InputRefused` (`InputMissing`, `InputNotOrdinary`, `InputTooLarge`,
  so a caller can keep its own wording) whose `str()` is one sentence naming the file and
  `.reason` the short cause. `check_input_file` does the same checks without reading (e.g.
  before a progress dialog). A reader library (openpyxl, odfpy) gets
  `io.BytesIO(read_input_bytes(...))`, never the path.
- **Writing**: use `atomic_files.write_atomically(path, writer)` / `write_text_atomically`, never
  `open(path, "w")` nor a library's own `save(path)` (give the library the handle `writer` gets,
  or render into a buffer and write that). It refuses a device or other special file
  (`OutputRefused`), writes through a symlink to its target (the link stays), writes a temp file
  beside the target that is fsynced, renamed and its folder fsynced, and turns any OSError (disk
  full, read-only folder) into a `WriteFailed` saying the file was not written and nothing else
  changed.
- All these errors are `FileProblem`, an `OSError`: the CLI prints it as one line, and a service
  wraps it as `ServiceError(str(exc))` (or its own error type) for the UI to show as it is.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_MB = 1024 * 1024


class FileProblem(OSError):
    """A file the app will not use, or a write that failed. `str()` is one sentence for the
    user; `.path` is the user's path and `.reason` the short cause ("the disk is full"), which
    are also `.filename` and `.strerror`, so that code written for a plain OSError
    (`f"cannot write {path}: {exc.strerror}"`) still reads well."""

    def __init__(self, code: int, message: str, path: str | os.PathLike[str], reason: str):
        super().__init__(code, reason, str(path))
        self.path = Path(path)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:  # pickling (background workers, logging)
        return (type(self), (self.errno, self.message, str(self.path), self.reason))


class InputRefused(FileProblem):
    """An input that was not read: not an ordinary file, unreadable, or too large."""


class InputMissing(InputRefused, FileNotFoundError):
    """There is no file at the path (also a FileNotFoundError, for callers that catch that)."""


class InputNotOrdinary(InputRefused):
    """A folder, device, FIFO or socket; `.kind` says which ("a folder", "a device", ...)."""

    def __init__(
        self, code: int, message: str, path: str | os.PathLike[str], reason: str, kind: str
    ):
        super().__init__(code, message, path, reason)
        self.kind = kind

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.errno, self.message, str(self.path), self.reason, self.kind))


class InputTooLarge(InputRefused):
    """Over the caller's documented limit; `.size` and `.limit` let the caller word it."""

    def __init__(
        self, message: str, path: str | os.PathLike[str], reason: str, size: int, limit: int
    ):
        super().__init__(errno.EFBIG, message, path, reason)
        self.size, self.limit = size, limit

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.message, str(self.path), self.reason, self.size, self.limit))


class OutputRefused(FileProblem):
    """An output path the app will not write: a device, a folder, a dangling link, no folder."""


class WriteFailed(FileProblem):
    """Writing failed part way (disk full, read-only, no permission): the file was not written
    and what was there before is unchanged."""


def human_limit(limit: int) -> str:
    """'2 MB', '64 KB', '100 bytes': how a size limit is written in messages and docs."""
    if limit >= _MB and limit % _MB == 0:
        return f"{limit // _MB} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit:,} bytes"


def kind_of(mode: int) -> str:
    """'a folder', 'a device', ... for a file type that is not an ordinary file."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def _not_ordinary(mode: int) -> str:
    kind = kind_of(mode)
    if kind == "a folder":
        return "it is a folder"
    if kind == "not an ordinary file":
        return "it is not an ordinary file"
    return f"it is {kind}, not an ordinary file"


def _read_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "you do not have permission to read it"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "there is no such file"
    if exc.errno == errno.ELOOP:
        return "it is a link that leads round in a circle"
    return (exc.strerror or str(exc)).rstrip(".").lower()


def _refuse_input(path: Path, what: str, reason: str, code: int) -> InputRefused:
    message = f"cannot read the {what} {path}: {reason}; nothing was read"
    if code == errno.ENOENT:
        return InputMissing(code, message, path, reason)
    return InputRefused(code, message, path, reason)


def _check_stat(path: Path, info: os.stat_result, max_bytes: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        code = errno.EISDIR if stat.S_ISDIR(info.st_mode) else errno.EINVAL
        reason = _not_ordinary(info.st_mode)
        message = f"cannot read the {what} {path}: {reason}; nothing was read"
        raise InputNotOrdinary(code, message, path, reason, kind_of(info.st_mode))
    if info.st_size > max_bytes:
        raise _too_large(path, what, info.st_size, max_bytes)


def _too_large(path: Path, what: str, size: int, limit: int) -> InputTooLarge:
    shown = f"more than {limit:,}" if size <= limit else f"{size:,}"
    reason = f"it is too large ({shown} bytes; the limit is {human_limit(limit)})"
    return InputTooLarge(
        f"cannot read the {what} {path}: {reason}; nothing was read", path, reason, size, limit
    )


def check_input_file(path: Path, max_bytes: int, what: str = "file") -> os.stat_result:
    """The file's stat if it is an ordinary file of at most `max_bytes`; InputRefused if not.

    Only `stat` is used (symlinks followed): nothing is opened, so a FIFO or device never
    blocks and is never touched."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _refuse_input(path, what, _read_reason(exc), exc.errno or errno.EIO) from None
    _check_stat(path, info, max_bytes, what)
    return info


def read_input_bytes(path: Path, max_bytes: int, what: str = "file") -> bytes:
    """All the bytes of the ordinary file at `path`, or InputRefused saying why not.

    Checked before opening, opened non-blocking (a FIFO swapped in meanwhile cannot hang us)
    and checked again on the open descriptor; a file that grows past the limit while being
    read is refused too."""
    check_input_file(path, max_bytes, what)
    flags = (
        os.O_RDONLY
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refuse_input(path, what, _read_reason(exc), exc.errno or errno.EIO) from None
    try:
        _check_stat(path, os.fstat(fd), max_bytes, what)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise _refuse_input(path, what, _read_reason(exc), exc.errno or errno.EIO) from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise _too_large(path, what, total, max_bytes)
    return b"".join(chunks)


def output_target(path: Path, what: str = "file") -> Path:
    """Where writing `path` must go: `path` itself, or the ordinary file a symlink leads to
    (written through, so the link stays). OutputRefused for a device, FIFO, socket or folder,
    a link to nothing, or a folder that does not exist: nothing is created or replaced."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _refuse_output(
            path, (exc.strerror or str(exc)).lower(), exc.errno or errno.EIO
        ) from None
    target = path
    if info is not None and stat.S_ISLNK(info.st_mode):
        resolved = Path(os.path.realpath(path))
        try:
            info = os.stat(resolved)
        except OSError:
            raise _refuse_output(
                path, f"it is a link to {os.readlink(path)}, which does not exist", errno.ENOENT
            ) from None
        target = resolved
    if info is None:
        if not path.parent.is_dir():
            raise _refuse_output(path, f"the folder does not exist ({path.parent})", errno.ENOENT)
        return path
    if not stat.S_ISREG(info.st_mode):
        code = errno.EISDIR if stat.S_ISDIR(info.st_mode) else errno.EINVAL
        raise _refuse_output(path, _not_ordinary(info.st_mode), code)
    return target


def _refuse_output(path: Path, reason: str, code: int) -> OutputRefused:
    return OutputRefused(code, f"cannot write {path}: {reason}; nothing was written", path, reason)


def write_reason(exc: OSError) -> str:
    """The short cause of a failed write, in the user's words ("the disk is full")."""
    if isinstance(exc, FileProblem):
        return exc.reason
    code = exc.errno or errno.EIO
    if code == errno.ENOSPC:
        return "the disk is full"
    if code == getattr(errno, "EDQUOT", -1):
        return "your disk quota is full"
    if code == errno.EROFS:
        return "the disk or folder is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "you do not have permission to write in that folder"
    return (exc.strerror or str(exc)).rstrip(".").lower()


def write_failed(path: Path, exc: OSError) -> WriteFailed:
    """The user-facing error for an OSError met while writing `path` (nothing was written)."""
    code = exc.errno or errno.EIO
    reason = write_reason(exc)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        message = f"{reason}: {path} was not written; nothing else changed"
    else:
        message = f"cannot write {path}: {reason}; nothing else changed"
    return WriteFailed(code, message, path, reason)
