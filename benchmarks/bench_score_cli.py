"""Time `portfolio-app score` end to end (a new process, as a user runs it) on a private copy of
the benchmark data set, beside two baselines measured in the same run: `python -c pass` (what
starting Python costs at all) and a bare sqlcipher3 read of the same rows the score reads (every
activity's id, type, title, dates and status, every link row, every contact role) in a new
process given the data key, so the ratio says what our imports, checks and score cost over
reading the data at all. Target: `score` at 100k in at most 2 s.

The first `score` on a copy checks the whole file and the damaged rows once (both are
remembered with the file's stamp); it is printed on its own, and the figure is the median of the
runs after it, as a user scoring twice sees them. Size: BENCH_SCORE_SIZE (default 100000;
BENCH_QUICK: 10000). Run with `make bench` or `.venv/bin/python benchmarks/bench_score_cli.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset  # benchmarks/dataset.py: the cached data sets
import harness  # benchmarks/harness.py: BENCH_RUNS, BENCH_QUICK, the run_all summary

RUNS = harness.runs(5)
TARGET_SECONDS = 2.0
PYTHON = sys.executable
SCRIPT = Path(PYTHON).with_name("portfolio-app")
CLI = [str(SCRIPT)] if SCRIPT.is_file() else [PYTHON, "-m", "portfolio_app"]
SIZE_ENV = "BENCH_SCORE_SIZE"

# The same rows the score reads, straight from the driver (the data key in BENCH_DATA_KEY).
BARE_READ = """
import os, sys, sqlcipher3
db = sqlcipher3.connect(sys.argv[1])
db.execute(f\"PRAGMA key = \\"x'{os.environ['BENCH_DATA_KEY']}'\\"\")
for sql in (
    "SELECT id, type, title, start_date, end_date, status FROM activities",
    "SELECT activity_id, organisation_id FROM activity_organisations",
    "SELECT activity_id, sector_id FROM activity_sectors",
    "SELECT activity_id, contact_id FROM activity_contacts",
    "SELECT contact_id, organisation_id, start_date, end_date FROM contact_roles",
    "SELECT id, sector_id, aliases FROM organisations",
):
    db.execute(sql).fetchall()
"""


def size() -> int:
    text = os.environ.get(SIZE_ENV, "").strip()
    if text:
        return int(text)
    return 10_000 if harness.quick() else 100_000


def data_key(data_dir: Path) -> bytes:
    with dataset.unlocked():
        services = dataset.open_dataset(data_dir)
        try:
            return services.data_key
        finally:
            services.close()


def measure(activities: int, work: Path, runs: int = RUNS) -> dict[str, float]:
    """Seconds: the first score, the median later score, and the two baselines' medians."""
    data_dir = dataset.copy_of(dataset.Spec(activities=activities), work / "data")
    env = dataset.env(data_dir)
    score = [*CLI, "--data-dir", str(data_dir), "score"]
    first, _ = harness.child(score, env)
    database = str(data_dir / "portfolio.sqlite3")
    bare_env = {**env, "BENCH_DATA_KEY": data_key(data_dir).hex()}
    scores, pythons, bares = [], [], []
    for _ in range(runs):
        scores.append(harness.child(score, env)[0])
        pythons.append(harness.child([PYTHON, "-c", "pass"], env)[0])
        bares.append(harness.child([PYTHON, "-c", BARE_READ, database], bare_env)[0])
    return {
        "first": first,
        "score": harness.median(scores),
        "python": harness.median(pythons),
        "bare": harness.median(bares),
    }


def main() -> None:
    activities = size()
    label = harness.size_label(activities)
    with tempfile.TemporaryDirectory(prefix="bench-score-") as work:
        found = measure(activities, Path(work))
    score, python, bare = found["score"], found["python"], found["bare"]
    print(f"score CLI at {label} ({RUNS} runs, medians; the first run checks the file once):")
    print(f"  first score (checks the file and damaged rows): {found['first']:.2f} s")
    print(f"  score: {score:.2f} s (target {TARGET_SECONDS:.1f} s)")
    print(f"  python -c pass: {python:.3f} s; score is {score / python:.1f}x")
    print(f"  bare sqlcipher3 read of the same rows: {bare:.2f} s; score is {score / bare:.1f}x")
    harness.record(
        f"score_cli_{label}", score, baseline=bare, baseline_label="bare read", runs=RUNS
    )
    harness.record(
        f"score_cli_{label}_vs_python",
        score,
        baseline=python,
        baseline_label="python -c pass",
        runs=RUNS,
    )


if __name__ == "__main__":
    main()
