"""Two importers at once (two real `import-csv` processes) create a new name once, not twice.

Before each use case became one unit of work, each import looked names up, then wrote in a
later transaction: both saw "Northshire Fire" as new and both created it (8 of 8 tries)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services

# Each process waits for the go file, so both import at the same moment (Python's start-up,
# which takes far longer than an import, would otherwise keep them apart).
DRIVER = """
import os, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.002)
from portfolio_app.cli.main import main
raise SystemExit(main(sys.argv[2:]))
"""

# 300 rows: checking them takes long enough that, without one unit of work, both imports saw
# the names as new (5 of 5 runs duplicated both names on the code before this test).
ROWS = 300
ROW = "shadowing,Visit {n}-{i},2026-03-0{n},Northshire Fire and Rescue,Fire and rescue,Priya Shah\n"


def _csv(n: int) -> str:
    return "type,title,start,organisation,sector,contacts\n" + "".join(
        ROW.format(n=n, i=i) for i in range(ROWS)
    )


def _importer(go: Path, data: Path, csv: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", DRIVER, str(go), "--data-dir", str(data), "import-csv"]
    return subprocess.Popen(
        [*command, str(csv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )


@pytest.mark.parametrize("attempt", range(5))
def test_two_imports_at_once_create_a_new_organisation_and_contact_once(
    attempt: int, paths: AppPaths, tmp_path: Path
) -> None:
    open_services(paths).close()  # the taxonomy in force is applied before the race starts
    go = tmp_path / "go"
    importers = []
    for n in (1, 2):
        csv = tmp_path / f"import-{n}.csv"
        csv.write_text(_csv(n), encoding="utf-8")
        importers.append(_importer(go, paths.data_dir, csv))
    time.sleep(
        0.5
    )  # let both get to the wait (not an assertion on time: only makes overlap likely)
    go.touch()
    outputs = [p.communicate(timeout=300) for p in importers]
    results = [(p.returncode, out, err) for p, (out, err) in zip(importers, outputs, strict=True)]

    for code, out, err in results:
        assert "Traceback" not in err and "internal error" not in (out + err).lower(), err
        # Either it worked, or it was refused with a reason the user can act on.
        assert code == 0 or ("locked" in err and "try again" in err), (code, out, err)
    succeeded = sum(code == 0 for code, _, _ in results)
    assert succeeded >= 1

    services: AppServices = open_services(paths)
    try:
        organisations = [o.name for o in services.organisations.list_all() if "Fire" in o.name]
        assert organisations == ["Northshire Fire and Rescue"]
        assert [c.name for c in services.contacts.list_all()] == ["Priya Shah"]
        activities = services.activities.list_all()
        assert len(activities) == ROWS * succeeded
        (contact,) = services.contacts.list_all()
        assert all(a.contact_ids == (contact.id,) for a in activities)
    finally:
        services.close()
