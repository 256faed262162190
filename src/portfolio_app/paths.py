"""The one place that knows where files live.

Nothing here touches the disk at import time: callers resolve an `AppPaths` once at start-up
(from `--data-dir`, `PORTFOLIO_APP_DATA_DIR` or platformdirs) and pass it on.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from portfolio_app import APP_ID

DATA_DIR_ENV = "PORTFOLIO_APP_DATA_DIR"
DATABASE_FILENAME = "portfolio.sqlite3"
# The data key, wrapped under the passphrase and the recovery code (security/key_file.py).
KEY_FILENAME = "portfolio.key"
# The passphrase for headless use (CLI, scripts): read, never written anywhere.
PASSPHRASE_ENV = "PORTFOLIO_APP_PASSPHRASE"
# A taxonomy file to use instead of any other (HR-managed: users cannot replace it).
TAXONOMY_ENV = "PORTFOLIO_APP_TAXONOMY"
# The name IT gives HR's taxonomy in a system-wide config dir (see docs/hr-guide.md).
MANAGED_TAXONOMY_FILENAME = "taxonomy.json"


def resources_dir() -> Path:
    """The shipped, read-only resources: the repo's `resources/`, or the frozen bundle's."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def site_config_dirs() -> list[Path]:
    """System-wide config dirs, most important first, where IT deploys HR's taxonomy.

    Linux: each entry of $XDG_CONFIG_DIRS (default /etc/xdg) + /portfolio-app; macOS:
    /Library/Application Support/portfolio-app (after Homebrew's share dir when run by a Homebrew
    Python); Windows: C:\\ProgramData\\portfolio-app.
    """
    joined = platformdirs.site_config_dir(APP_ID, appauthor=False, multipath=True)
    return [Path(part) for part in joined.split(os.pathsep) if part]


@dataclass(frozen=True)
class AppPaths:
    """Locations of one user's data. `data_dir` holds the database and everything the user owns."""

    data_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """Explicit argument wins, then the environment variable, then the platform default."""
        if data_dir is not None and str(data_dir) != "":
            return cls(Path(data_dir).expanduser().resolve())
        env = os.environ.get(DATA_DIR_ENV, "")
        if env:
            return cls(Path(env).expanduser().resolve())
        return cls(Path(platformdirs.user_data_dir(APP_ID, appauthor=False)))

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILENAME

    @property
    def key_file(self) -> Path:
        return self.data_dir / KEY_FILENAME

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def taxonomy_dir(self) -> Path:
        """The user's own taxonomy files: one they installed, and the one last applied to data."""
        return self.data_dir / "taxonomy"

    @property
    def installed_taxonomy(self) -> Path:
        return self.taxonomy_dir / "installed.json"

    @property
    def applied_taxonomy(self) -> Path:
        return self.taxonomy_dir / "applied.json"

    @property
    def demo_data_dir(self) -> Path:
        """The sample-data profile lives beside, never inside, the user's real data."""
        return self.data_dir.parent / f"{self.data_dir.name}-demo"

    @property
    def open_files_dir(self) -> Path:
        """Temporary plain copies of evidence files the user opened; emptied on close and at
        the next start (after a crash)."""
        return self.data_dir / "opened"

    def ensure(self) -> None:
        """Create the data dir on first use (never at import), owner-only: it holds the key
        file and personal data about other people."""
        make_private_dir(self.data_dir)


def make_private_dir(path: Path) -> None:
    """Create `path` (and parents) if needed, and make it owner-only (0700) on POSIX.

    Only group and other permissions are taken away: a folder the user made read-only for
    themselves (0500) stays so, and one that already is owner-only is not touched (a chmod
    fails on a read-only disk)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
