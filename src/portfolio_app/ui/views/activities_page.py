"""The activity list: search plus filters by type, sector, visibility and date range."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.services.table_queries import ActivityFilters, TableQueries
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.models.entity_models import activity_model
from portfolio_app.ui.views.entity_page import EntityPage
from portfolio_app.ui.widgets.date_field import DateField

EMPTY_TEXT = (
    "Your learning log is empty.\n\n"
    "Press Ctrl+N to log a secondment, a mentoring session, a visit you shadowed or an event "
    "you went to — or bring in a spreadsheet with File → Import activities from CSV."
)


class ActivitiesPage(EntityPage):
    def __init__(
        self, tables: TableQueries, taxonomy: Taxonomy, parent: QWidget | None = None
    ) -> None:
        newest_first = (0, Qt.SortOrder.DescendingOrder)
        super().__init__(
            "Activities",
            activity_model(tables, taxonomy, newest_first),  # type: ignore[arg-type]
            EMPTY_TEXT,
            parent,
        )
        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName("Filter by type")
        self.type_filter.addItem("All types", None)
        for kind in ActivityType:
            self.type_filter.addItem(kind.label, kind.value)

        self.sector_filter = QComboBox(self)
        self.sector_filter.setAccessibleName("Filter by sector")
        self.sector_filter.addItem("All sectors", None)
        for sector in taxonomy.ordered():
            depth = len(taxonomy.ancestry(sector.id)) - 1
            self.sector_filter.addItem("    " * depth + sector.label, sector.id)

        self.visibility_filter = QComboBox(self)
        self.visibility_filter.setAccessibleName("Filter by visibility")
        self.visibility_filter.addItem("Shared and private", None)
        for visibility in Visibility:
            self.visibility_filter.addItem(f"{visibility.label} only", visibility.value)

        self.dates_enabled = QCheckBox("Between", self)
        self.dates_enabled.setAccessibleName("Filter by dates")
        today = date.today()
        # Empty means open-ended; unreadable text filters nothing rather than a guessed date.
        self.date_from = DateField(
            "From date", self, value=_year_before(today), optional=True, compact=True
        )
        self.date_to = DateField("To date", self, value=today, optional=True, compact=True)
        and_label = QLabel("and", self)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
            edit.dateChanged.connect(self._apply_filters)
        self.dates_enabled.toggled.connect(self.date_from.setEnabled)
        self.dates_enabled.toggled.connect(self.date_to.setEnabled)
        self.dates_enabled.toggled.connect(self._apply_filters)

        # Filters sit under the search box, the combo boxes on one row and the dates on the
        # next, so the window fits small screens (1024x600, or 1366x768 at 150 %: 910 points
        # wide); combo boxes stay narrow and their pop-ups show the full labels.
        combos = QHBoxLayout()
        combos.setContentsMargins(0, 0, 0, 0)
        for combo in (self.type_filter, self.sector_filter, self.visibility_filter):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            combo.currentIndexChanged.connect(self._apply_filters)
            combos.addWidget(combo)
        combos.addStretch(1)
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        for widget in (self.dates_enabled, self.date_from, and_label, self.date_to):
            dates.addWidget(widget)
        dates.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(1, combos)
        layout.insertLayout(2, dates)

    def _apply_filters(self) -> None:
        kind = self.type_filter.currentData()
        visibility = self.visibility_filter.currentData()
        dated = self.dates_enabled.isChecked()
        filters = ActivityFilters(
            activity_type=ActivityType(kind) if kind else None,
            sector_id=self.sector_filter.currentData(),
            visibility=Visibility(visibility) if visibility else None,
            date_from=self.date_from.date() if dated else None,
            date_to=self.date_to.date() if dated else None,
        )
        if filters != self.model.query.filters:
            self.model.set_filters(filters)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
