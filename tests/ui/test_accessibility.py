"""Every focusable widget of every window and dialog has an accessible name (screen readers)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.services.csv_import import CsvImportError, RowProblem
from portfolio_app.ui.csv_import_flow import ImportReportDialog
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.first_run import FirstRunDialog
from portfolio_app.ui.main_window import MainWindow

from .conftest import FakePrompts
from .helpers import walk_unnamed


def _unnamed(widget: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
        for w in walk_unnamed(widget)
    ]


def test_main_window_on_every_page(qtbot: QtBot, demo_services: AppServices) -> None:
    window = MainWindow(demo_services, prompts=FakePrompts(), demo=True)
    qtbot.addWidget(window)
    window.show()
    for row in range(window.nav_model.rowCount()):
        window.nav.setCurrentIndex(window.nav_model.index(row, 0))
        assert _unnamed(window) == [], f"page {row}"


def _dialogs(services: AppServices, parent: QWidget) -> dict[str, QDialog]:
    activity = max(services.activities.list_all(), key=lambda a: len(a.organisation_ids))
    contact = max(services.contacts.list_all(), key=lambda c: len(c.roles))
    return {
        "new activity": ActivityDialog(services, None, parent),
        "edit activity": ActivityDialog(services, activity, parent),
        "new lesson": LessonDialog(services, None, None, parent),
        "edit lesson": LessonDialog(services, services.lessons.list_all()[0], None, parent),
        "new organisation": OrganisationDialog(services, None, parent),
        "edit organisation": OrganisationDialog(
            services, services.organisations.list_all()[0], parent
        ),
        "new contact": ContactDialog(services, None, parent),
        "edit contact": ContactDialog(services, contact, parent),
        "first run": FirstRunDialog(services.taxonomy, parent),
        "import problems": ImportReportDialog(
            CsvImportError("x.csv", [RowProblem(2, "start", "bad date")]), parent
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "new activity",
        "edit activity",
        "new lesson",
        "edit lesson",
        "new organisation",
        "edit organisation",
        "new contact",
        "edit contact",
        "first run",
        "import problems",
    ],
)
def test_every_dialog(name: str, qtbot: QtBot, demo_services: AppServices) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = _dialogs(demo_services, parent)[name]
    dialog.show()
    assert _unnamed(dialog) == []
    dialog.close()


def test_the_walk_catches_an_unnamed_widget(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    QVBoxLayout(root).addWidget(QLineEdit(root))
    assert len(walk_unnamed(root)) == 1
