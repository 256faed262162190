"""Time opening the edit dialogs on the benchmark data sets, and saving an edit (target: 50 ms
at 100k).

For each size (10k by default; `--sizes 10000 100000`) a private copy of the cached set is
opened through the services, then each dialog is built and shown until its first frame is
painted: a new and an existing activity (with organisations and contacts), lesson,
organisation and contact (with roles). The activity dialog's score preview is worked out in a
worker thread (ui/dashboard/score_preview.py): "score preview ready" is the time from opening
the dialog to the line answering, the first time after the data changed (the inputs read
afresh) and afterwards (the Breadth page's reading reused). "save activity/contact edit" is what
the window does when an edit is saved: the dialog's value and the service's update (the
window's refresh of what changed is benchmarks/bench_tables.py's). Beside them, in the same
run, a bare QDialog with one line edit built and painted the same way: each figure is printed
with its ratio to that baseline.
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

from portfolio_app.domain.records import Activity, Contact
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
    from portfolio_app.ui.dialogs.contact_dialog import ContactDialog
    from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
    from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog

    activity = _linked_activity(services)
    lesson_id = _a_lesson_id(services)
    lesson = services.lessons.get(lesson_id)
    organisation = services.organisations.get(activity.organisation_ids[0])
    contact = _contact_with_roles(services)
    return {
        "new activity": lambda: ActivityDialog(services),
        "edit activity": lambda: ActivityDialog(services, activity),
        "new lesson": lambda: LessonDialog(services),
        "edit lesson": lambda: LessonDialog(services, lesson),
        "new organisation": lambda: OrganisationDialog(services),
        "edit organisation": lambda: OrganisationDialog(services, organisation),
        "new contact": lambda: ContactDialog(services),
        "edit contact": lambda: ContactDialog(services, contact),
    }


def preview_ready(services: AppServices) -> float:
    """Seconds from opening a new activity dialog to its score preview answering."""
    from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    start = time.perf_counter()
    dialog = ActivityDialog(services)
    dialog.show()
    while not dialog.score_preview.is_ready() and dialog.score_preview.isVisible():
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    return elapsed


def saves(services: AppServices, runs: int) -> dict[str, float]:
    """Saving an edit as the window does (the dialog's value, the service's update), median
    seconds: a title or a job title changed in an open dialog, a new one each run."""
    from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
    from portfolio_app.ui.dialogs.contact_dialog import JOB_TITLE, ContactDialog

    activity = _linked_activity(services)
    contact = _contact_with_roles(services)
    activity_times, contact_times = [], []
    for run in range(runs):
        dialog = ActivityDialog(services, activity)
        dialog.title_edit.setText(f"{activity.title} ({run})")
        start = time.perf_counter()
        services.activities.update(dialog.value())
        activity_times.append(time.perf_counter() - start)
        dialog.deleteLater()

        editing = ContactDialog(services, contact)
        model = editing.roles_model
        model.setData(model.index(0, JOB_TITLE), f"Lead ({run})")
        start = time.perf_counter()
        services.contacts.update(editing.value())
        contact_times.append(time.perf_counter() - start)
        editing.deleteLater()
    return {
        "save activity edit": statistics.median(activity_times),
        "save contact edit": statistics.median(contact_times),
    }


def _contact_with_roles(services: AppServices) -> Contact:
    from sqlalchemy import select

    from portfolio_app.storage import tables as t

    with services.db.transaction() as session:
        contact_id = session.scalar(
            select(t.ContactRoleRow.contact_id).order_by(t.ContactRoleRow.contact_id.desc())
        )
    assert contact_id is not None
    return services.contacts.get(contact_id)


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
                from portfolio_app.ui.dashboard.score_job import ScoreJob

                builds = dialogs(services)
                first_ready = preview_ready(services)  # also the warm-up: imports, queries
                baseline = median_of(bare_dialog, args.runs)
                print(f"{size:,} activities: bare dialog {baseline * 1000:.1f} ms")
                ready = statistics.median(preview_ready(services) for _ in range(args.runs))
                for name, seconds in (
                    ("score preview ready, first", first_ready),
                    ("score preview ready", ready),
                ):
                    print(f"  {name:<27} {seconds * 1000:9.1f} ms")
                    key = f"{name}, {harness.size_label(size)}"
                    harness.record(key, seconds, baseline=baseline, runs=args.runs)
                for name, build in builds.items():
                    seconds = median_of(build, args.runs)
                    print(
                        f"  {name:<27} {seconds * 1000:9.1f} ms  "
                        f"({seconds / baseline:.1f}x the bare dialog; target 50 ms)"
                    )
                    key = f"{name}, {harness.size_label(size)}"
                    harness.record(key, seconds, baseline=baseline, runs=args.runs)
                for name, seconds in saves(services, args.runs).items():
                    print(
                        f"  {name:<27} {seconds * 1000:9.1f} ms  "
                        f"({seconds / baseline:.1f}x the bare dialog; target 50 ms)"
                    )
                    key = f"{name}, {harness.size_label(size)}"
                    harness.record(key, seconds, baseline=baseline, runs=args.runs)
            finally:
                ScoreJob.wait_all()  # no preview still reading when the database closes
                services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
