"""A read-only data folder (a read-only disk, or permissions): the read commands work, every
write is refused in one sentence, and nothing in the folder changes (issue 11).

The commands run as real processes on a folder that really cannot be written: as a normal user,
the folder is chmod 0500 and its files 0400; as root (who ignores permissions), the folder is
bind-mounted read-only in a private mount namespace of that one process (`unshare`), so nothing
outside it sees the mount and the kernel removes it when the process ends.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from cli_support import assert_one_clear_line
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.database import Database
from portfolio_app.storage.errors import ReadOnlyData

READ_ONLY = "your data folder "
# As root: bind the folder onto itself, make that mount read-only, then run the command in it.
_BIND_READ_ONLY = (
    'd=$1; shift; mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" && exec "$@"'
)
_AS_ROOT = os.name == "posix" and os.geteuid() == 0


def _in_read_only(folder: Path, unshare: str = "unshare") -> list[str]:
    """The command prefix that runs what follows with `folder` mounted read-only."""
    return [
        unshare,
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        _BIND_READ_ONLY,
        "sh",
        str(folder),
    ]


def _unshare_works(folder: Path) -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    folder.mkdir(exist_ok=True)
    probe = subprocess.run(
        [*_in_read_only(folder, unshare), "sh", "-c", f"! touch {folder}/x 2>/dev/null"],
        capture_output=True,
        check=False,
        timeout=30,
    )
    return probe.returncode == 0


Run = Callable[..., subprocess.CompletedProcess[str]]


def _tree(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under `folder`: its mode and a hash of its bytes."""
    return {
        str(path.relative_to(folder)): (
            stat.S_IMODE(path.stat().st_mode),
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "",
        )
        for path in sorted(folder.rglob("*"))
    }


def _set_modes(folder: Path, *, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o700 if writable else 0o500)
        else:
            path.chmod(0o600 if writable else 0o400)


@pytest.fixture
def data_paths(paths: AppPaths) -> AppPaths:
    """A data dir in use: a profile, an activity with odd Unicode, a backup, closed cleanly."""
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones",
            role="Social worker",
            organisation="Northshire Council",
            sector="adult-social-care",
        )
        services.activities.create(
            Activity(ActivityType.SHADOWING, "Łukasz shadowing Zoë", date(2026, 3, 1))
        )
        services.backups.backup_now()
    finally:
        services.close()
    return paths


@pytest.fixture
def read_only_run(data_paths: AppPaths, tmp_path: Path) -> Run:
    """Run `portfolio-app ARGS` on `data_paths` made read-only (see the module docstring)."""
    folder = data_paths.data_dir
    if _AS_ROOT and not _unshare_works(tmp_path / "probe"):
        pytest.skip("running as root, and a read-only bind mount (unshare, mount) is refused")
    prefix = _in_read_only(folder) if _AS_ROOT else []

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "portfolio_app", "--data-dir", str(folder), *argv]
        if not _AS_ROOT:
            _set_modes(folder, writable=False)  # for this command only
        try:
            return subprocess.run(
                [*prefix, *command],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                env=dict(os.environ),
                timeout=120,
                check=False,
            )
        finally:
            if not _AS_ROOT:
                _set_modes(folder, writable=True)

    return run


def test_the_read_commands_work_and_nothing_in_the_folder_changes(
    data_paths: AppPaths, read_only_run: Run, tmp_path: Path
) -> None:
    before = _tree(data_paths.data_dir)
    listed = read_only_run("list", "activities")
    assert listed.returncode == 0, listed.stderr
    assert "Łukasz shadowing Zoë" in listed.stdout
    profile = read_only_run("profile")
    assert profile.returncode == 0, profile.stderr
    assert "Siân Jones" in profile.stdout
    score = read_only_run("score")
    assert score.returncode == 0, score.stderr
    pdf = tmp_path / "out" / "portfolio.pdf"
    pdf.parent.mkdir()
    exported = read_only_run("export-pdf", "--out", str(pdf))
    assert exported.returncode == 0, exported.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    csv = tmp_path / "out" / "activities.csv"
    assert read_only_run("export-csv", "--out", str(csv)).returncode == 0
    assert "Łukasz shadowing Zoë" in csv.read_text(encoding="utf-8")
    for result in (listed, profile, score, exported):
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    # No -wal, -shm, log or open-copies folder was made, no mode changed (0700 kept).
    assert _tree(data_paths.data_dir) == before


@pytest.mark.parametrize(
    "argv",
    [
        ("import-csv", "{csv}"),
        ("backup",),
        ("restore", "--newest"),
    ],
    ids=["import-csv", "backup", "restore"],
)
def test_a_write_is_refused_in_one_sentence_and_nothing_changes(
    argv: tuple[str, ...], data_paths: AppPaths, read_only_run: Run, tmp_path: Path
) -> None:
    csv = tmp_path / "import.csv"
    csv.write_text(
        "type,title,start,organisation,sector,contacts\n"
        "shadowing,Visit with Siân,2026-03-02,Northshire Fire and Rescue,Fire and rescue,Zoë\n",
        encoding="utf-8",
    )
    before = _tree(data_paths.data_dir)
    result = read_only_run(*(part.format(csv=csv) for part in argv))
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_one_clear_line(result.stderr, READ_ONLY + str(data_paths.data_dir))
    assert "is read-only: nothing can be saved" in result.stderr
    assert _tree(data_paths.data_dir) == before


def test_commits_still_in_the_write_ahead_log_are_read(
    data_paths: AppPaths, read_only_run: Run
) -> None:
    """A folder that became read-only while the app had it open (its -wal and -shm are there,
    the last commits not yet in the database file): those commits are shown, not hidden."""
    services = open_services(data_paths)
    try:
        services.activities.create(
            Activity(ActivityType.PEER_EVENT, "Zoë's learning day, in the WAL", date(2026, 4, 1))
        )
        wal = data_paths.database.with_name(data_paths.database.name + "-wal")
        assert wal.stat().st_size > 0
        listed = read_only_run("list", "activities")
    finally:
        services.close()
    assert listed.returncode == 0, listed.stderr
    assert "Zoë's learning day, in the WAL" in listed.stdout


def test_a_read_only_database_opens_for_reading_and_refuses_a_unit_of_work(
    data_paths: AppPaths, data_key: bytes
) -> None:
    before = data_paths.database.read_bytes()
    db = Database(data_paths.database, key=data_key, read_only=True)
    try:
        with db.transaction() as session:
            assert session.connection().exec_driver_sql("SELECT count(*) FROM activities").scalar()
        with (
            pytest.raises(ReadOnlyData, match="is read-only: nothing can be saved"),
            db.unit_of_work(),
        ):
            pass
    finally:
        db.close()
    assert data_paths.database.read_bytes() == before
