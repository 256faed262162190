"""Every focusable widget of every window and dialog has an accessible name (screen readers)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from keys_for_tests import TEST_RECOVERY_CODE
from portfolio_app.services import AppServices
from portfolio_app.services.csv_import import CsvImportError, RowProblem
from portfolio_app.taxonomy.loader import default_taxonomy_path
from portfolio_app.ui.csv_import_flow import ImportReportDialog
from portfolio_app.ui.dashboard.goal_dialog import GoalDialog
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.dialogs.review_dialog import ReviewDialog
from portfolio_app.ui.export_dialog import ExportDialog
from portfolio_app.ui.first_run import FirstRunDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.settings_dialog import SettingsDialog
from portfolio_app.ui.taxonomy_editor.window import TaxonomyEditorWindow
from portfolio_app.ui.unlock_dialogs import (
    ChangePassphraseDialog,
    ConfirmPassphraseDialog,
    PassphraseDialog,
    RecoveryCodeDialog,
    RecoveryUnlockDialog,
)
from portfolio_app.ui.widgets.date_field import DateField

from .conftest import FakePrompts
from .helpers import walk_unnamed

INPUTS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


def _part_of_another(widget: QWidget) -> bool:
    """Pieces Qt builds inside a compound widget (a tab bar's scroll arrows, a table's corner
    button, a line edit's clear button): assistive tools announce the compound widget."""
    if widget.objectName().startswith("qt_"):  # e.g. a tool bar's overflow arrow
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(
            parent, QTabBar | QComboBox | QAbstractSpinBox | QCalendarWidget | QLineEdit
        ):  # QLineEdit: its clear button
            return True
        if isinstance(parent, QTableView) and isinstance(widget, QAbstractButton):
            return True
        parent = parent.parentWidget()
    return False


def _unnamed(widget: QWidget) -> list[str]:
    """Focusable widgets without a name, and inputs or buttons without one even if the mouse is
    the only way to them (a date field's calendar button)."""
    found = list(walk_unnamed(widget))
    for kind in (*INPUTS, QAbstractItemView):
        for w in widget.findChildren(kind):
            if isinstance(w, QHeaderView) or _part_of_another(w) or w in found:
                continue
            if not w.accessibleName().strip():
                found.append(w)
    return [
        f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}" for w in found
    ]


def test_main_window_on_every_page(qtbot: QtBot, demo_services: AppServices) -> None:
    window = MainWindow(demo_services, prompts=FakePrompts(), demo=True)
    qtbot.addWidget(window)
    window.show()
    for row in range(window.nav_model.rowCount()):
        window.nav.setCurrentIndex(window.nav_model.index(row, 0))
        assert _unnamed(window) == [], f"page {row}"


def _taxonomy_editor(parent: QWidget) -> TaxonomyEditorWindow:
    editor = TaxonomyEditorWindow(FakePrompts(), parent=parent)
    assert editor.open_path(default_taxonomy_path(), ask=False)
    return editor


def _dialogs(services: AppServices, parent: QWidget) -> dict[str, QWidget]:
    activity = max(services.activities.list_all(), key=lambda a: len(a.organisation_ids))
    contact = max(services.contacts.list_all(), key=lambda c: len(c.roles))
    goal = services.goals.list_all()[0]
    return {
        "new goal": GoalDialog(services, None, parent),
        "edit goal": GoalDialog(services, goal, parent),
        "review": ReviewDialog(services, parent),
        "export": ExportDialog(services, parent, FakePrompts()),
        "settings": SettingsDialog(services, FakePrompts(), parent),
        "taxonomy editor": _taxonomy_editor(parent),
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
        "first run with passphrase": FirstRunDialog(services.taxonomy, parent, ask_passphrase=True),
        "passphrase": PassphraseDialog(services.paths, "Nothing is remembered.", parent),
        "recovery unlock": RecoveryUnlockDialog(services.paths, parent),
        "recovery code": RecoveryCodeDialog(
            services.paths, TEST_RECOVERY_CODE, FakePrompts(), parent
        ),
        "change passphrase": ChangePassphraseDialog(services.paths, parent),
        "confirm passphrase": ConfirmPassphraseDialog(services.paths, "New recovery code", parent),
        "import problems": ImportReportDialog(
            CsvImportError("x.csv", [RowProblem(2, "start", "bad date")]), parent
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "new goal",
        "edit goal",
        "review",
        "export",
        "settings",
        "taxonomy editor",
        "new activity",
        "edit activity",
        "new lesson",
        "edit lesson",
        "new organisation",
        "edit organisation",
        "new contact",
        "edit contact",
        "first run",
        "first run with passphrase",
        "passphrase",
        "recovery unlock",
        "recovery code",
        "change passphrase",
        "confirm passphrase",
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


def test_every_dialog_is_walked(qtbot: QtBot, demo_services: AppServices) -> None:
    """The list above names every dialog and window the app opens (a new one must join it)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    kinds = {type(d).__name__ for d in _dialogs(demo_services, parent).values()}
    assert kinds >= {
        "ActivityDialog", "LessonDialog", "OrganisationDialog", "ContactDialog", "GoalDialog",
        "ReviewDialog", "ExportDialog", "SettingsDialog", "FirstRunDialog",
        "TaxonomyEditorWindow", "ImportReportDialog", "PassphraseDialog", "RecoveryUnlockDialog",
        "RecoveryCodeDialog", "ChangePassphraseDialog", "ConfirmPassphraseDialog",
    }  # fmt: skip


def test_date_fields_name_their_edit_button_and_label(
    qtbot: QtBot, demo_services: AppServices
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    fields = [
        f for d in _dialogs(demo_services, parent).values() for f in d.findChildren(DateField)
    ]
    assert len(fields) >= 9  # activity ×2 (×2 dialogs), lesson ×2, goal ×2, review ×2, export ×2
    for field in fields:
        assert field.edit.accessibleName() == field.name
        assert field.button.accessibleName() == f"{field.name}: choose from a calendar"
        assert field.understood.accessibleName() == f"{field.name} as understood"


def test_the_wider_walk_catches_an_unnamed_button_without_focus(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QToolButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    button = QToolButton(root)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    QVBoxLayout(root).addWidget(button)
    assert walk_unnamed(root) == []
    assert len(_unnamed(root)) == 1


def test_the_walk_catches_an_unnamed_widget(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    QVBoxLayout(root).addWidget(QLineEdit(root))
    assert len(walk_unnamed(root)) == 1
