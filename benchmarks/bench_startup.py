"""Time `portfolio-app --version`, `--help` and `list activities` as a user runs them (a new
process each time), each beside `python -c pass` measured in the same run, so the ratio says
what our imports cost over starting Python at all (target: --version and --help under 0.3 s).

`list` opens a real, up-to-date database in a temporary data dir: SQLAlchemy and the services
load, Alembic does not. `init` sets that dir up with the published passphrase BENCH_PASSPHRASE
below (given in PORTFOLIO_APP_PASSPHRASE) and no password store is used, so each `list` derives
the key from the passphrase (Argon2id), as a headless run does; a start that the keyring unlocks
skips that. Medians of several runs; a busy machine moves the seconds more than the ratios.
Run with `make bench` or `.venv/bin/python benchmarks/bench_startup.py`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # benchmarks/harness.py: BENCH_RUNS, BENCH_QUICK, the run_all summary

RUNS = harness.runs(9)
TARGET_SECONDS = 0.3
BENCH_PASSPHRASE = "portfolio benchmark data"
PYTHON = sys.executable
# The installed entry point, as users start it (else the module, for a checkout without one).
SCRIPT = Path(PYTHON).with_name("portfolio-app")
CLI = [str(SCRIPT)] if SCRIPT.is_file() else [PYTHON, "-m", "portfolio_app"]


def median_seconds(command: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            command, env=harness.as_installed(env), check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        env = {
            **os.environ,
            "PORTFOLIO_APP_DATA_DIR": str(data_dir),
            "PORTFOLIO_APP_PASSPHRASE": BENCH_PASSPHRASE,
            # Never the user's password store: the data dir is temporary.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "QT_QPA_PLATFORM": "offscreen",
        }
        profile = ["init", "--no-remember", "--name", "Bench", "--role", "Officer"]
        profile += ["--organisation", "Council"]
        subprocess.run(  # creates and migrates the database once, outside the timings
            [*CLI, *profile, "--sector", "adult-social-care"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        rows = [
            ("python -c pass (baseline)", [PYTHON, "-c", "pass"]),
            ("portfolio-app --version", [*CLI, "--version"]),
            ("portfolio-app --help", [*CLI, "--help"]),
            ("portfolio-app list activities", [*CLI, "list", "activities"]),
        ]
        timings = [(label, median_seconds(command, env)) for label, command in rows]
    baseline = timings[0][1]
    print(f"median of {RUNS} runs each, a new process per run")
    for label, seconds in timings:
        print(f"  {label:<34} {seconds:6.3f} s  {seconds / baseline:6.1f}x python -c pass")
        harness.record(
            label, seconds, baseline=baseline, baseline_label="python -c pass", runs=RUNS
        )
    print("  (list derives the key from the passphrase each run: Argon2id included)")
    slowest = max(seconds for label, seconds in timings[1:3])
    verdict = "within" if slowest < TARGET_SECONDS else "OVER"
    print(f"target: --version and --help under {TARGET_SECONDS} s -> {verdict} target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
