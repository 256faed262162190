"""Render every main view and dialog with the demo data to PNG, offscreen.

Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py OUT_DIR  (or `make screenshots`)
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.services.csv_import import CsvImportError, RowProblem
from portfolio_app.ui import colours
from portfolio_app.ui.app import open_demo
from portfolio_app.ui.csv_import_flow import ImportReportDialog
from portfolio_app.ui.dashboard.goal_dialog import GoalDialog
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.first_run import FirstRunDialog
from portfolio_app.ui.main_window import MainWindow

DEMO_TODAY = date(2026, 11, 1)


def _save(widget: QWidget, path: Path) -> None:
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}")


def _save_breadth(window: MainWindow, path: Path) -> None:
    """The whole Breadth page (taller than the window usually is), once its trend is drawn."""
    page = window.breadth_page
    window.resize(1280, 1100)
    window.go_to_page(0)
    deadline = time.monotonic() + 30
    while not page.trend_ready() and time.monotonic() < deadline:
        QApplication.processEvents()
    _save(window, path)
    window.resize(1280, 780)


def _save_dark(services: AppServices, path: Path) -> None:
    """The Breadth page in a dark palette on a 1024x600 screen (ui/colours.py)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(colours.dark_palette())
    window = MainWindow(services, demo=True)
    window.breadth_page.today = lambda: DEMO_TODAY
    window.resize(1024, 600)
    window.show()
    window.go_to_page(0)
    deadline = time.monotonic() + 30
    while not window.breadth_page.trend_ready() and time.monotonic() < deadline:
        QApplication.processEvents()
    _save(window, path)
    window.close()
    app.setPalette(before)


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as temp:
        services = open_demo(AppPaths(Path(temp) / "data"), DEMO_TODAY)
        window = MainWindow(services, demo=True)
        window.breadth_page.today = lambda: DEMO_TODAY  # the demo data is dated around it
        window.resize(1280, 780)
        window.show()
        _save_breadth(window, out_dir / "breadth.png")
        for row, name in enumerate(("main-window", "lessons", "organisations-contacts"), 1):
            window.nav.setCurrentIndex(window.nav_model.index(row, 0))
            _save(window, out_dir / f"{name}.png")
        window.nav.setCurrentIndex(window.nav_model.index(1, 0))
        window.activities_page.search.setText("no such thing")
        _save(window, out_dir / "activities-no-match.png")
        window.activities_page.search.setText("")

        activity = max(services.activities.list_all(), key=lambda a: len(a.organisation_ids))
        lesson = services.lessons.list_all()[0]
        organisation = services.organisations.list_all()[0]
        contact = max(services.contacts.list_all(), key=lambda c: len(c.roles))
        dialogs: dict[str, QWidget] = {
            "activity-dialog": ActivityDialog(services, activity, window),
            "new-activity-dialog": ActivityDialog(services, None, window),
            "lesson-dialog": LessonDialog(services, lesson, None, window),
            "organisation-dialog": OrganisationDialog(services, organisation, window),
            "contact-dialog": ContactDialog(services, contact, window),
            "goal-dialog": GoalDialog(services, services.goals.list_all()[0], window),
            "first-run-dialog": FirstRunDialog(services.taxonomy),
            "import-problems-dialog": ImportReportDialog(
                CsvImportError(
                    "activities.csv",
                    [
                        RowProblem(4, "start", "'31/02/2026' is not a real date"),
                        RowProblem(
                            7, "sector", "organisation 'Harbour Trust' is new: give its sector"
                        ),
                        RowProblem(9, "type", "unknown activity type 'conference'"),
                    ],
                ),
                window,
            ),
        }
        for name, dialog in dialogs.items():
            _save(dialog, out_dir / f"{name}.png")
            dialog.close()
        window.close()
        _save_dark(services, out_dir / "breadth-dark-1024x600.png")
        services.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")))
