"""Time the desktop app from start to its main window painted (`portfolio-app
--exit-after-start`, a new process each run) beside a bare PySide6 window painted, measured in
the same run, so the ratio says what the app costs over starting Qt at all (issue 12 target:
at most 1.5x the bare window on an empty log).

Both end the same way: an event filter sees the window's first paint event, and the event loop
quits on its next turn. The app's data dir is a temporary one set up by `init` with the
published passphrase of bench_startup.py (given in PORTFOLIO_APP_PASSPHRASE) and no password
store, so each start derives the key from the passphrase (Argon2id), as a headless start does;
a start that the keyring unlocks skips that. Medians of several runs.
Run with `make bench` or `.venv/bin/python benchmarks/bench_gui_startup.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench_startup import BENCH_PASSPHRASE, CLI, PYTHON, median_seconds

RUNS = 5
TARGET_RATIO = 1.5

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


def bench_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PORTFOLIO_APP_DATA_DIR": str(data_dir),
        "PORTFOLIO_APP_PASSPHRASE": BENCH_PASSPHRASE,
        # Never the user's password store: the data dir is temporary.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM") or "offscreen",
    }


def measure(runs: int = RUNS) -> list[tuple[str, float]]:
    """(label, median seconds) for the bare window, then the app on an empty set-up log."""
    with tempfile.TemporaryDirectory() as folder:
        env = bench_env(Path(folder) / "data")
        profile = ["init", "--no-remember", "--name", "Bench", "--role", "Officer"]
        profile += ["--organisation", "Council", "--sector", "adult-social-care"]
        median_seconds([*CLI, *profile], env, runs=1)  # set up once, outside the timings
        rows = [
            ("bare PySide6 window painted (baseline)", [PYTHON, "-c", BARE_WINDOW]),
            ("portfolio-app --exit-after-start, empty", [*CLI, "--exit-after-start"]),
        ]
        return [(label, median_seconds(command, env, runs)) for label, command in rows]


def main() -> int:
    timings = measure()
    baseline = timings[0][1]
    print(f"start to main window painted, median of {RUNS} runs each, a new process per run")
    for label, seconds in timings:
        print(f"  {label:<42} {seconds:6.3f} s  {seconds / baseline:5.2f}x bare window")
    print("  (the app derives the key from the passphrase each run: Argon2id included)")
    ratio = timings[1][1] / baseline
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"target: empty log at most {TARGET_RATIO}x the bare window -> {verdict} target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
