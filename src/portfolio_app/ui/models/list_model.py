"""A windowed table model over a list's ids: the order, the filters and the search are the
database's (services/table_queries.py); the display rows are read in blocks as the view asks
for them, and a few blocks are kept. A list of 100k entries holds 100k ints, not 100k records.

Damaged entries (stored values that could not be read) follow the good ones, marked, with what
is wrong as their tooltip; their id opens them like any row (the service then explains)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.services.table_queries import ActivityFilters, TableQueries, TableQuery
from portfolio_app.ui.models.record_table_model import (
    ID_ROLE,
    RECORD_ROLE,
    damaged_data,
    damaged_label,
    header_title,
)

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

BLOCK = 200  # rows read at once, around the one the view asks for
KEEP = 5_000  # rows kept at most (a few screens either way); then the cache starts again


@dataclass(frozen=True)
class ListColumn(Generic[R]):
    title: str
    text: Callable[[R], str]
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    width: int = 120  # initial width in pixels; the user's own widths are restored over it


class ListModel(QAbstractTableModel, Generic[R]):
    """One list of the main window (`kind`: "activity", "lesson"...), sorted with sort()."""

    def __init__(
        self,
        tables: TableQueries,
        kind: str,
        columns: Sequence[ListColumn[R]],
        *,
        sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
    ) -> None:
        super().__init__()
        self.tables = tables
        self.kind = kind
        self._columns = list(columns)
        column, order = sort
        self.query = TableQuery(kind, column, order == Qt.SortOrder.DescendingOrder)
        self._ids: list[int] = []
        self._positions: dict[int, int] = {}
        self._rows: dict[int, R] = {}
        self._all_damaged: list[DamagedRecord] = []
        self._damaged: list[DamagedRecord] = []
        self._has_entries = False
        self.last_query_seconds = 0.0  # how long the last re-query took (the search debounce)

    # ----- what is listed -----------------------------------------------------------------

    def refresh(self) -> None:
        """Read the damaged entries and the ids again (the data changed); drops every row."""
        self._all_damaged = self.tables.damaged(self.kind)
        self.requery()

    def requery(self) -> None:
        """The ids for the current query (sort, search, filters); drops every row read."""
        started = time.perf_counter()
        exclude = [d.id for d in self._all_damaged]
        ids = self.tables.ids(self.query, exclude)
        words = self.query.search.casefold().split()
        damaged = [
            d
            for d in self._all_damaged
            if all(w in f"{damaged_label(d)} {d.reason}".casefold() for w in words)
        ]
        if ids or self._all_damaged or not self._narrowed():
            has_entries = bool(ids or self._all_damaged)
        else:
            has_entries = self.tables.count(self.kind) > 0
        self.beginResetModel()
        self._ids = ids
        self._positions = {record_id: row for row, record_id in enumerate(ids)}
        self._rows = {}
        self._damaged = damaged
        self._has_entries = has_entries
        self.endResetModel()
        self.last_query_seconds = time.perf_counter() - started

    def _narrowed(self) -> bool:
        return bool(self.query.search.split()) or self.query.filters != ActivityFilters()

    def set_search(self, text: str) -> None:
        self.query = replace(self.query, search=text)
        self.requery()

    def set_filters(self, filters: ActivityFilters) -> None:
        self.query = replace(self.query, filters=filters)
        self.requery()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self.query.sort_column, self.query.descending):
            return
        self.query = replace(self.query, sort_column=column, descending=descending)
        self.requery()

    def has_entries(self) -> bool:
        """Whether the log holds any entry of this kind (a search may show none of them)."""
        return self._has_entries

    def ids(self) -> list[int]:
        """The good entries' ids, in the order shown."""
        return list(self._ids)

    def damaged(self) -> list[DamagedRecord]:
        """Every damaged entry of this kind (also those a search hides)."""
        return list(self._all_damaged)

    def column_widths(self) -> list[int]:
        return [c.width for c in self._columns]

    def id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._ids):
            return self._ids[row]
        if 0 <= row - len(self._ids) < len(self._damaged):
            return self._damaged[row - len(self._ids)].id
        return None

    def row_of(self, record_id: int) -> int | None:
        row = self._positions.get(record_id)
        if row is not None:
            return row
        for row, entry in enumerate(self._damaged, start=len(self._ids)):
            if entry.id == record_id:
                return row
        return None

    def record(self, row: int) -> R | None:
        """The display row at `row` (read with its block if needed); None for a damaged one."""
        if not 0 <= row < len(self._ids):
            return None
        record_id = self._ids[row]
        found = self._rows.get(record_id)
        if found is None:
            self._read_block(row)
            found = self._rows.get(record_id)
        return found

    def _read_block(self, row: int) -> None:
        if len(self._rows) >= KEEP:
            self._rows = {}
        start = (row // BLOCK) * BLOCK
        wanted = [i for i in self._ids[start : start + BLOCK] if i not in self._rows]
        self._rows.update(self.tables.rows(self.kind, wanted))  # type: ignore[arg-type]

    # ----- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids) + len(self._damaged)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        if index.row() >= len(self._ids):
            entry = self._damaged[index.row() - len(self._ids)]
            return damaged_data(entry, index.column(), role)
        if role == ID_ROLE:
            return self._ids[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            RECORD_ROLE,
        ):
            return None
        record = self.record(index.row())
        if record is None:  # deleted since the ids were read: shown on the next refresh
            return None
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        return column.text(record)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title([c.title for c in self._columns], section, orientation, role)
