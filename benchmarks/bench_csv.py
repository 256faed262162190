"""`portfolio-app export-csv` and `import-csv` of the 100k data set, each beside stdlib csv +
sqlite3 doing the same work in the same run (targets: export <= 2x, streamed, <= 100 MB peak;
import <= 3x, <= 400 MB peak). Printed, never asserted.

Each figure is a child process (wall seconds, and peak memory from os.wait4's ru_maxrss):
- export: the app's CLI on a private copy of the set; the baseline reads the same columns from a
  plain sqlite3 file holding the same rows and writes them with csv.writer.
- import: the app's CLI reads the app's own export into a fresh data dir; the baseline reads the
  same file with csv.reader and inserts the rows with sqlite3 executemany.
Run with `make bench` or `.venv/bin/python benchmarks/bench_csv.py [--activities N]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset
import harness

PYTHON = sys.executable
CLI = [PYTHON, "-m", "portfolio_app"]
COLUMNS = "type, title, start, end_date, hours, organisation, sector, extra, contacts, "
COLUMNS += "description, visibility, status, uid"

BASELINE_IMPORT = f"""
import csv, sqlite3, sys
csv.field_size_limit(10**7)
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE activities ({COLUMNS})")
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    rows = csv.reader(handle)
    next(rows)
    db.executemany("INSERT INTO activities VALUES ({", ".join("?" * 13)})", rows)
db.commit()
"""
BASELINE_EXPORT = f"""
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\\r\\n")
    writer.writerow("{COLUMNS}".split(", "))
    writer.writerows(db.execute("SELECT {COLUMNS} FROM activities ORDER BY start DESC, rowid"))
"""


def child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak MB of one child process."""
    return harness.child(command, env)


def record(what: str, size: int, ours: tuple[float, float], base: tuple[float, float]) -> None:
    """The figure for run_all's summary, as soon as measured (a later one may be stopped)."""
    for value, baseline, unit in zip(ours, base, ("s", "MB"), strict=True):
        key = f"{what}-csv {harness.size_label(size)} {unit}"
        harness.record(key, value, unit=unit, baseline=baseline)


def line(what: str, ours: tuple[float, float], base: tuple[float, float], target: str) -> str:
    return (
        f"{what:<11} {ours[0]:7.1f} s {ours[1]:6.0f} MB | stdlib {base[0]:6.1f} s "
        f"{base[1]:5.0f} MB | ratio {ours[0] / base[0]:4.2f}x (target {target})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args(argv)
    spec = dataset.Spec(activities=args.activities)
    with tempfile.TemporaryDirectory(prefix="bench-csv-") as scratch:
        root = Path(scratch)
        data_dir = dataset.copy_of(spec, root / "data")
        exported = root / "export.csv"
        ours_export = child([*CLI, "export-csv", "--out", str(exported)], dataset.env(data_dir))
        plain = root / "plain.sqlite3"
        base_import = child([PYTHON, "-c", BASELINE_IMPORT, str(exported), str(plain)])
        base_export = child([PYTHON, "-c", BASELINE_EXPORT, str(plain), str(root / "b.csv")])
        record("export", args.activities, ours_export, base_export)
        fresh = root / "fresh"
        init = [
            *CLI,
            "--data-dir",
            str(fresh),
            "init",
            "--no-remember",
            "--name",
            "Siân",
            "--role",
            "Lead",
        ]
        init += ["--organisation", dataset.HOME, "--sector", dataset.HOME_SECTOR]
        subprocess.run(init, env=dataset.env(fresh), check=True, stdout=subprocess.DEVNULL)
        ours_import = child(
            [*CLI, "import-csv", str(exported), "--accept-warnings"], dataset.env(fresh)
        )
        record("import", args.activities, ours_import, base_import)
        size = exported.stat().st_size / 1e6
    print(f"CSV, {args.activities:,} activities ({size:.0f} MB file):")
    print(line("export-csv", ours_export, base_export, "<= 2x, <= 100 MB"))
    print(line("import-csv", ours_import, base_import, "<= 3x, <= 400 MB"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
