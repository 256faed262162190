"""Time the desktop app from start to its main window painted (`portfolio-app
--exit-after-start`, a new process each run) on an empty log, 10k and 100k activities, beside a
bare PySide6 window painted, measured in the same run, so the ratio says what the app costs
over starting Qt at all (issue 12 targets: empty and 10k at most 1.5x the bare window, 100k at
most 2x; peak memory with 100k open at most 400 MB). Each run's peak memory (the process's
maximum resident set, from `os.wait4`) is printed beside its time.

Both end the same way: an event filter sees the window's first paint event, and the event loop
quits on its next turn. The empty log is a temporary data dir set up by `init`; 10k and 100k
are private copies of the cached data sets (benchmarks/dataset.py, built once if missing), so
the cached sets are never opened. Every data dir is unlocked by its passphrase (given in
PORTFOLIO_APP_PASSPHRASE) with no password store, so each start derives the key (Argon2id), as
a headless start does; a start that the keyring unlocks skips that. Medians of 5, 3 and 3 runs.
Run with `make bench` or `.venv/bin/python benchmarks/bench_gui_startup.py [empty 10k 100k]`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dataset
import harness
from bench_startup import BENCH_PASSPHRASE, CLI, PYTHON

# (name, activities in the data set or None for an empty log, runs, target ratio)
SIZES = (("empty", None, 5, 1.5), ("10k", 10_000, 3, 1.5), ("100k", 100_000, 3, 2.0))
TARGET_PEAK_MB = 400  # with 100k open
_QPA = os.environ.get("QT_QPA_PLATFORM") or "offscreen"

# The baseline: a QMainWindow of the app's default size with one label, ended on its first
# paint exactly as `--exit-after-start` ends the app.
BARE_WINDOW = """
from PySide6.QtCore import QEvent, QObject, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
qInstallMessageHandler(lambda *message: None)  # as the app sends Qt's messages to its log
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("Portfolio"))
window.resize(1100, 720)
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False
watch = FirstPaint()
window.installEventFilter(watch)
window.show()
app.exec()
"""


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: float  # median
    peak_mb: float  # the largest of the runs' peaks


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of one new process running `command` to its end."""
    return harness.child(command, env)


def timed(label: str, command: list[str], env: dict[str, str], runs: int) -> Timing:
    results = [run_once(command, env) for _ in range(harness.runs(runs))]
    return Timing(label, statistics.median(s for s, _ in results), max(mb for _, mb in results))


def bench_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PORTFOLIO_APP_DATA_DIR": str(data_dir),
        "PORTFOLIO_APP_PASSPHRASE": BENCH_PASSPHRASE,
        # Never the user's password store: the data dir is temporary.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "QT_QPA_PLATFORM": _QPA,
    }


def _set_up_empty(data_dir: Path) -> dict[str, str]:
    env = bench_env(data_dir)
    profile = ["init", "--no-remember", "--name", "Bench", "--role", "Officer"]
    profile += ["--organisation", "Council", "--sector", "adult-social-care"]
    run_once([*CLI, *profile], env)  # set up once, outside the timings
    return env


def measure(names: tuple[str, ...] = ("empty",)) -> tuple[Timing, list[tuple[Timing, float]]]:
    """The bare window, then the app on each named size with its target ratio."""
    start = [*CLI, "--exit-after-start"]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        bare_env = bench_env(Path(folder) / "unused")
        bare = timed(
            "bare PySide6 window painted (baseline)", [PYTHON, "-c", BARE_WINDOW], bare_env, 5
        )
        for name, activities, runs, target in SIZES:
            if name not in names:
                continue
            data_dir = Path(folder) / name
            if activities is None:
                env = _set_up_empty(data_dir)
            else:
                spec = dataset.Spec(activities=activities)
                env = {**dataset.env(dataset.copy_of(spec, data_dir)), "QT_QPA_PLATFORM": _QPA}
                run_once(start, env)  # the copy's first start (any upgrade), outside the timings
            rows.append(
                (timed(f"portfolio-app --exit-after-start, {name}", start, env, runs), target)
            )
            done = rows[-1][0]  # recorded as soon as measured: run_all may stop a later size
            harness.record(
                f"{done.label} s", done.seconds, baseline=bare.seconds, runs=harness.runs(runs)
            )
            harness.record(f"{done.label} MB", done.peak_mb, unit="MB", baseline=bare.peak_mb)
    return bare, rows


def kdf_seconds(runs: int = 3) -> float:
    """What each start's key derivation costs (Argon2id at the key file's default cost, in
    this process): inherent to a start that asks for the passphrase; none when the password
    store holds the key."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    from portfolio_app.security.key_file import DEFAULT_PARAMS as KDF

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        kdf = Argon2id(
            salt=bytes(16),
            length=32,
            iterations=KDF.iterations,
            lanes=KDF.lanes,
            memory_cost=KDF.memory_cost_kib,
        )
        kdf.derive(BENCH_PASSPHRASE.encode())
        times.append(time.perf_counter() - started)
    return float(statistics.median(times))


def main(argv: list[str]) -> int:
    names = tuple(argv) or tuple(name for name, *_ in SIZES)
    bare, rows = measure(names)
    print(
        "start to main window painted (median; peak memory the largest of the runs), "
        "a new process per run"
    )
    for timing in (bare, *(row for row, _ in rows)):
        print(
            f"  {timing.label:<46} {timing.seconds:7.3f} s  "
            f"{timing.seconds / bare.seconds:6.2f}x bare window  {timing.peak_mb:6.0f} MB peak"
        )
    print(
        "  (the app derives the key from the passphrase each run: Argon2id, "
        f"{kdf_seconds():.3f} s of each start here)"
    )
    for timing, target in rows:
        ratio = timing.seconds / bare.seconds
        verdict = "within" if ratio <= target else "OVER"
        print(
            f"target: {timing.label.rsplit(', ', 1)[-1]} at most {target}x the bare window "
            f"-> {verdict} target"
        )
    if any(timing.label.endswith("100k") for timing, _ in rows):
        peak = next(t.peak_mb for t, _ in rows if t.label.endswith("100k"))
        verdict = "within" if peak <= TARGET_PEAK_MB else "OVER"
        print(f"target: peak memory with 100k open at most {TARGET_PEAK_MB} MB -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
