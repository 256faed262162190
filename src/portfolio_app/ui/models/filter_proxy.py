"""Filter proxies: free-text search for every list, plus the activity list's own filters."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.records import ActivityRow
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.models.record_table_model import RECORD_ROLE, SEARCH_ROLE, SORT_ROLE


class SearchProxy(QSortFilterProxyModel):
    """Every word typed must appear in some column (case- and accent-sensitive as typed)."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _row_text(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> str:
        model = self.sourceModel()
        cells = [
            str(model.data(model.index(row, c, parent)) or "") for c in range(model.columnCount())
        ]
        cells.append(str(model.data(model.index(row, 0, parent), SEARCH_ROLE) or ""))
        return " ".join(cells).casefold()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return self.accepts_record(row, parent)
        text = self._row_text(row, parent)
        return all(w in text for w in self._words) and self.accepts_record(row, parent)

    def accepts_record(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return True


class ActivityFilterProxy(SearchProxy):
    """Search plus filters by type, sector (including sub-sectors), visibility and dates."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        super().__init__()
        self._taxonomy = taxonomy
        self._type: ActivityType | None = None
        self._sector: str | None = None
        self._visibility: Visibility | None = None
        self._from: date | None = None
        self._to: date | None = None

    def set_filters(
        self,
        *,
        activity_type: ActivityType | None = None,
        sector_id: str | None = None,
        visibility: Visibility | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> None:
        self.beginFilterChange()
        self._type, self._sector, self._visibility = activity_type, sector_id, visibility
        self._from, self._to = date_from, date_to
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def accepts_record(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        record = model.data(model.index(row, 0, parent), RECORD_ROLE)
        if not isinstance(record, ActivityRow):
            return True
        activity = record.activity
        if self._type is not None and activity.type is not self._type:
            return False
        if self._visibility is not None and activity.visibility is not self._visibility:
            return False
        # An activity overlaps the range if it ends on or after `from` and starts on or before `to`.
        if self._from is not None and activity.last_day < self._from:
            return False
        if self._to is not None and activity.start > self._to:
            return False
        if self._sector is not None:
            return any(
                self._sector in (s.id for s in self._taxonomy.ancestry(sector))
                for sector in record.sector_ids
            )
        return True
