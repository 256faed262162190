"""A full disk while saving (issue 11): one clear line, nothing half-saved, the data as it was.

The data dir is copied onto a tiny tmpfs mounted in a private mount namespace of one shell
(`unshare`, root only): nothing outside sees the mount, and the kernel removes it when the
shell ends. An import that cannot fit is refused; the data still lists, checks and backs up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cli_support import INIT
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services

pytestmark = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="a small full disk is made with a tmpfs in a private mount namespace (root only)",
)

_NAMESPACE = ["unshare", "--mount", "--propagation", "private"]
# $1 the mount point, $2 the data dir to copy onto it, then the program; each command's exit
# code and output between markers.
_SCRIPT = """
set -u
mount -t tmpfs -o size=640k tmpfs "$1" || exit 99
cp -a "$2/." "$1/" || exit 98
shift 2
run() { echo "== $*"; "$@" 2>&1; echo "== rc=$?"; }
run "$@" import-csv "$CSV"
run "$@" list activities
run "$@" check
"""


def _sections(out: str) -> list[tuple[str, int]]:
    """(output, exit code) of each command the script ran."""
    sections = []
    for block in out.split("== ")[1:]:
        if block.startswith("rc="):
            sections[-1] = (sections[-1][0], int(block.removeprefix("rc=").strip()))
        else:
            sections.append((block.split("\n", 1)[1], -1))
    return sections


def test_an_import_on_a_full_disk_is_one_clear_line_and_nothing_is_lost(
    paths: AppPaths, tmp_path: Path
) -> None:
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones", role=INIT[4], organisation=INIT[6], sector="adult-social-care"
        )
        services.activities.create(
            Activity(ActivityType.PEER_EVENT, "Łukasz's peer day, saved before", date(2026, 2, 1))
        )
    finally:
        services.close()
    csv = tmp_path / "big.csv"
    rows = ["type,title,start,organisation,sector,contacts,description"]
    rows += [
        f"shadowing,Visit {n} with Zoë,2026-03-01,Northshire Fire and Rescue,Fire and rescue,"
        f"Łukasz Nowak,{'Siân notes ' * 300}"
        for n in range(300)
    ]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mount = tmp_path / "small disk"
    mount.mkdir()
    program = [sys.executable, "-m", "portfolio_app", "--data-dir", str(mount)]
    result = subprocess.run(
        [*_NAMESPACE, "sh", "-c", _SCRIPT, "sh", str(mount), str(paths.data_dir), *program],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "CSV": str(csv)},
        timeout=300,
        check=False,
    )
    if result.returncode in (98, 99) or "== " not in result.stdout:
        pytest.skip(f"no tmpfs could be mounted here: {result.stdout} {result.stderr}")
    (imported, import_code), (listed, list_code), (checked, check_code) = _sections(result.stdout)

    assert import_code == 1, imported
    lines = [line for line in imported.splitlines() if "warning" not in line]
    assert lines == [
        f"portfolio-app: the disk holding {mount} is full: nothing was saved, and your data is "
        "as it was before; free some space and try again"
    ], imported
    assert "Traceback" not in imported and "internal error" not in imported
    # Nothing of the import was kept, and what was there before still is, soundly.
    assert list_code == 0, listed
    assert "Zoë" not in listed
    assert "Łukasz's peer day, saved before" in listed
    assert check_code == 0, checked
    assert "ok: the database file" in checked
