"""Builders for the lessons, organisations and contacts pages."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from portfolio_app.services.table_queries import TableQueries
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.actions import make_action
from portfolio_app.ui.models.entity_models import contact_model, lesson_model, organisation_model
from portfolio_app.ui.views.entity_page import EntityPage

LESSONS_EMPTY = (
    "No lessons learned yet.\n\n"
    "After an activity, note what happened, what worked and what did not, and what you would do "
    "differently. Every part stays private unless you choose to share it."
)
ORGANISATIONS_EMPTY = (
    "No organisations yet.\n\nAdd the councils, trusts, practices, forces, charities and other "
    "bodies you work with, each in its sector."
)
CONTACTS_EMPTY = (
    "No contacts yet.\n\nAdd the people you learn from and with; give each their roles with dates, "
    "so their history is kept when they change jobs."
)


class LessonsPage(EntityPage):
    def __init__(self, tables: TableQueries, parent: QWidget | None = None) -> None:
        most_recent_first = (0, Qt.SortOrder.DescendingOrder)
        super().__init__(
            "Lessons",
            lesson_model(tables, most_recent_first),  # type: ignore[arg-type]
            LESSONS_EMPTY,
            parent,
        )


class OrganisationsPage(EntityPage):
    def __init__(
        self, tables: TableQueries, taxonomy: Taxonomy, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Organisations",
            organisation_model(tables, taxonomy),  # type: ignore[arg-type]
            ORGANISATIONS_EMPTY,
            parent,
        )


class ContactsPage(EntityPage):
    """Contacts, with the personal-data actions on the selected one: erase them everywhere,
    export everything about them (buttons beside the search, and the table's context menu)."""

    erase_requested = Signal(int)
    export_requested = Signal(int)

    def __init__(self, tables: TableQueries, parent: QWidget | None = None) -> None:
        super().__init__(
            "Contacts",
            contact_model(tables, date.today()),  # type: ignore[arg-type]
            CONTACTS_EMPTY,
            parent,
        )
        self.export_action = make_action(
            self,
            "E&xport everything about them (JSON)…",
            lambda: self._emit_for_current(self.export_requested),
            tip="Everything your log holds about the selected contact, as a JSON file",
        )
        self.erase_action = make_action(
            self,
            "&Erase everywhere…",
            lambda: self._emit_for_current(self.erase_requested),
            tip="Delete the selected contact from everything, after a preview of what changes",
        )
        self.export_button = self._button("Export…", "Export everything about this contact")
        self.export_button.clicked.connect(self.export_action.trigger)
        self.erase_button = self._button("Erase everywhere…", "Erase contact everywhere")
        self.erase_button.clicked.connect(self.erase_action.trigger)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.selection_changed.connect(self._update_privacy_actions)
        self.model.modelReset.connect(self._update_privacy_actions)
        self._update_privacy_actions()

    def _button(self, text: str, accessible_name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible_name)
        button.setToolTip(accessible_name)
        self.filter_bar.addWidget(button)
        return button

    def _emit_for_current(self, signal: SignalInstance) -> None:
        contact_id = self.current_id()
        if contact_id is not None:
            signal.emit(contact_id)

    def _update_privacy_actions(self) -> None:
        selected = self.current_id() is not None
        for widget in (
            self.export_action,
            self.erase_action,
            self.export_button,
            self.erase_button,
        ):
            widget.setEnabled(selected)

    def context_menu(self) -> QMenu:
        """The menu the table shows for the selected contact (right click, Menu key, Shift+F10)."""
        menu = QMenu(self)
        menu.setAccessibleName("Contact actions")
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.erase_action)
        return menu

    def _show_context_menu(self, position: QPoint) -> None:
        self._update_privacy_actions()
        if self.current_id() is None:
            return
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(position))
