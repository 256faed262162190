"""Is the data dir on a local disk? SQLite's write-ahead log needs one.

WAL shares memory between the processes that have the database open (the `-shm` file), which
network file systems do not provide, and a sync client that copies `portfolio.sqlite3` while
the app writes it (or merges two machines' copies) can damage it or lose changes. The app still
works there; this says why it is risky, once per start (a banner in the window, a warning line
in the CLI), so the user can move the folder.

Detection, best effort: on Linux the file system type from /proc/self/mountinfo; on Windows the
drive type (a UNC path or a mapped network drive); everywhere, the names of the common sync
clients' folders in the path. macOS has no cheap file system type here: only the folder names
(iCloud Drive, ~/Library/CloudStorage, Dropbox ...) are checked.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

MOUNTINFO = Path("/proc/self/mountinfo")

# Network and remote file systems as /proc/self/mountinfo names them (FUSE ones as fuse.NAME).
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "ncpfs",
        "sshfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "fuse.davfs2",
        "fuse.glusterfs",
        "fuse.cephfs",
        "fuse.gvfsd-fuse",  # GNOME's mounts of SMB, SFTP, WebDAV and Google Drive
        "fuse.kio-fuse",  # KDE's
        "fuse.onedriver",
        "fuse.google-drive-ocamlfuse",
        "fuse.keybase",
    }
)

# Sync clients' folders, matched against each folder name in the path (case-insensitive).
SYNC_FOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("Dropbox", r"dropbox( \(.*\))?"),  # "Dropbox", "Dropbox (Personal)"
        ("OneDrive", r"onedrive( ?[-–] ?.*)?"),  # "OneDrive", "OneDrive - Contoso"
        ("Google Drive", r"google ?drive.*|my drive"),  # "GoogleDrive-siân@example.org"
        ("iCloud Drive", r"icloud ?drive.*|mobile documents"),
        ("Nextcloud", r"nextcloud.*"),
        ("ownCloud", r"owncloud.*"),
        ("Box", r"box( sync)?"),
        ("pCloud", r"pcloud( ?drive)?"),
        ("a cloud storage", r"cloudstorage"),  # macOS: ~/Library/CloudStorage/<provider>
    )
)

ADVICE = "keep your data folder on a local disk"


@dataclass(frozen=True)
class DataDirWarning:
    """Why the data dir is at risk (`reason`), and the whole sentence to show (`text`)."""

    data_dir: Path
    reason: str

    @property
    def text(self) -> str:
        """As a CLI warning line says it (`portfolio-app: warning: your data folder ...`)."""
        return (
            f"your data folder {self.data_dir} is {self.reason}: the database needs a local "
            f"disk, and a network or sync service can damage it or lose changes; {ADVICE} "
            "(copy your backups elsewhere instead)"
        )

    @property
    def sentence(self) -> str:
        """As the window shows it."""
        return f"{self.text[0].upper()}{self.text[1:]}."


def check_data_dir(
    data_dir: Path,
    *,
    mountinfo: str | None = None,
    platform: str = sys.platform,
    drive_type: Callable[[str], int] | None = None,
) -> DataDirWarning | None:
    """A warning when `data_dir` is on a network file system or in a cloud-synced folder,
    else None. `mountinfo` (Linux) and `drive_type` (Windows) stand in for the system's in
    tests; without them the real ones are read, and anything unreadable is no warning."""
    where = _existing(data_dir)
    reason = network_reason(where, mountinfo=mountinfo, platform=platform, drive_type=drive_type)
    reason = reason or sync_folder_reason(where)
    return DataDirWarning(data_dir, reason) if reason else None


def network_reason(
    path: PurePath,
    *,
    mountinfo: str | None = None,
    platform: str = sys.platform,
    drive_type: Callable[[str], int] | None = None,
) -> str | None:
    if platform.startswith("linux"):
        if mountinfo is None:
            try:
                mountinfo = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
        mount = mount_of(path, mountinfo)
        if mount is not None and mount.is_network:
            return f"on a network file system ({mount.kind})"
        return None
    if platform == "win32":
        return _windows_network_reason(str(path), drive_type or _windows_drive_type)
    return None


@dataclass(frozen=True)
class Mount:
    """One line of /proc/self/mountinfo: where, what type, mounted from what."""

    point: PurePath
    kind: str
    source: str

    @property
    def is_network(self) -> bool:
        kind = self.kind.lower()
        # A FUSE file system of another name mounted from a URL (davfs2, WebDAV helpers).
        return kind in NETWORK_FILE_SYSTEMS or (kind.startswith("fuse") and "://" in self.source)


def mount_of(path: PurePath, mountinfo: str) -> Mount | None:
    """The mount that holds `path` (absolute, resolved), as /proc/self/mountinfo text says:
    the longest mount point that is a prefix of it (the later of two on the same point)."""
    best: Mount | None = None
    target = PurePath(path).parts
    for line in mountinfo.splitlines():
        before, separator, after = line.partition(" - ")
        fields, rest = before.split(), after.split()
        if not separator or len(fields) < 5 or not rest:
            continue
        point = PurePath(_unescape(fields[4]))
        if target[: len(point.parts)] != point.parts:
            continue
        if best is None or len(point.parts) >= len(best.point.parts):
            source = _unescape(rest[1]) if len(rest) > 1 else ""
            best = Mount(point, rest[0], source)
    return best


def sync_folder_reason(path: PurePath) -> str | None:
    for part in PurePath(path).parts:
        for name, pattern in SYNC_FOLDERS:
            if pattern.fullmatch(part.strip()):
                if name == "a cloud storage":
                    return "in a cloud storage folder (CloudStorage)"
                return f"in a {name} folder ({part}), which syncs it to the cloud"
    return None


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)


def _existing(path: Path) -> Path:
    """The path with symlinks resolved, through its nearest folder that exists (a data dir
    not made yet lives where its parent is)."""
    path = Path(os.path.abspath(path))
    for candidate in (path, *path.parents):
        if candidate.exists():
            resolved = candidate.resolve()
            return resolved / path.relative_to(candidate)
    return path


DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive


def _windows_network_reason(path: str, drive_type: Callable[[str], int]) -> str | None:
    unc = path.replace("/", "\\")
    if unc.startswith("\\\\?\\UNC\\") or (unc.startswith("\\\\") and not unc.startswith("\\\\?\\")):
        return "on a network share"
    drive = os.path.splitdrive(unc)[0] or unc[:2]
    if len(drive) == 2 and drive[1] == ":" and drive_type(drive + "\\") == DRIVE_REMOTE:
        return f"on a network drive ({drive})"
    return None


def _windows_drive_type(root: str) -> int:
    try:
        import ctypes

        windll = getattr(ctypes, "windll", None)
        if windll is None:
            return 0
        return int(windll.kernel32.GetDriveTypeW(root))
    except (OSError, AttributeError, ValueError):
        return 0
