"""Builders for the lessons, organisations and contacts pages."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.models.entity_models import contact_model, lesson_model, organisation_model
from portfolio_app.ui.models.filter_proxy import SearchProxy
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
    def __init__(self, parent: QWidget | None = None) -> None:
        self.activity_titles: dict[int, str] = {}
        super().__init__(
            "Lessons",
            lesson_model(self.activity_titles),  # type: ignore[arg-type]
            SearchProxy(),
            LESSONS_EMPTY,
            parent,
            sort=(0, Qt.SortOrder.DescendingOrder),  # most recent first
        )


class OrganisationsPage(EntityPage):
    def __init__(self, taxonomy: Taxonomy, parent: QWidget | None = None) -> None:
        self.activity_counts: dict[int, int] = {}
        super().__init__(
            "Organisations",
            organisation_model(taxonomy, self.activity_counts),  # type: ignore[arg-type]
            SearchProxy(),
            ORGANISATIONS_EMPTY,
            parent,
        )


class ContactsPage(EntityPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.organisation_names: dict[int, str] = {}
        super().__init__(
            "Contacts",
            contact_model(self.organisation_names, date.today()),  # type: ignore[arg-type]
            SearchProxy(),
            CONTACTS_EMPTY,
            parent,
        )
