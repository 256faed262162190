"""Time opening the edit dialogs on the benchmark data sets (target: 50 ms at 100k).

For each size (10k by default; `--sizes 10000 100000`) a private copy of the cached set is
opened through the services, then each dialog is built and shown until its first frame is
painted: a new activity, an existing activity with organisations and contacts, a new lesson,
an existing lesson. Beside them, in the same run, a bare QDialog with one line edit built and
painted the same way: each figure is printed with its ratio to that baseline.
Run with `make bench` or `.venv/bin/python benchmarks/bench_dialogs.py [--sizes N ...]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset
import harness

from portfolio_app.domain.records import Activity
from portfolio_app.services import AppServices

RUNS = harness.runs(5)


def painted(build: Callable[[], QDialog]) -> float:
    """Seconds from calling `build` to the dialog's first frame painted."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    start = time.perf_counter()
    dialog = build()
    dialog.show()
    dialog.repaint()
    app.processEvents()
    elapsed = time.perf_counter() - start
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    return elapsed


def median_of(build: Callable[[], QDialog], runs: int = RUNS) -> float:
    return statistics.median(painted(build) for _ in range(runs))


def bare_dialog() -> QDialog:
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLineEdit(dialog))
    return dialog


def dialogs(services: AppServices) -> dict[str, Callable[[], QDialog]]:
    from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
    from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog

    activity = _linked_activity(services)
    lesson_id = _a_lesson_id(services)
    lesson = services.lessons.get(lesson_id)
    return {
        "new activity": lambda: ActivityDialog(services),
        "edit activity": lambda: ActivityDialog(services, activity),
        "new lesson": lambda: LessonDialog(services),
        "edit lesson": lambda: LessonDialog(services, lesson),
    }


def _linked_activity(services: AppServices) -> Activity:
    from sqlalchemy import select

    from portfolio_app.storage import tables as t

    with services.db.transaction() as session:
        activity_id = session.scalar(
            select(t.ActivityContactRow.activity_id).order_by(t.ActivityContactRow.activity_id)
        )
    assert activity_id is not None
    return services.activities.get(activity_id)


def _a_lesson_id(services: AppServices) -> int:
    from sqlalchemy import select

    from portfolio_app.storage import tables as t

    with services.db.transaction() as session:
        lesson_id = session.scalar(
            select(t.LessonRow.id).where(t.LessonRow.activity_id.is_not(None)).limit(1)
        )
    assert lesson_id is not None
    return lesson_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    assert app is not None
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-dialogs-") as folder:
            data_dir = dataset.copy_of(dataset.Spec(activities=size), Path(folder) / "data")
            with dataset.unlocked():
                services = dataset.open_dataset(data_dir)
            try:
                builds = dialogs(services)
                painted(builds["new activity"])  # warm-up: imports, first queries
                baseline = median_of(bare_dialog, args.runs)
                print(f"{size:,} activities: bare dialog {baseline * 1000:.1f} ms")
                for name, build in builds.items():
                    seconds = median_of(build, args.runs)
                    print(
                        f"  {name:<14} {seconds * 1000:9.1f} ms  "
                        f"({seconds / baseline:.1f}x the bare dialog; target 50 ms)"
                    )
                    key = f"{name}, {harness.size_label(size)}"
                    harness.record(key, seconds, baseline=baseline, runs=args.runs)
            finally:
                services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
