"""A read-only table model over a list of records, with columns described declaratively."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from portfolio_app.domain.damaged import DamagedRecord

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's database id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a value that sorts correctly (dates, numbers)
RECORD_ROLE = Qt.ItemDataRole.UserRole + 3  # the record itself, for filters
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # text beyond the columns that search should find


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    width: int = 120  # initial width in pixels; the user's own widths are restored over it


def damaged_label(entry: DamagedRecord) -> str:
    """How a damaged entry shows in a table's first column."""
    return f"⚠ damaged entry {entry.id}"


def damaged_data(entry: DamagedRecord, column: int, role: int) -> Any:
    """What a damaged entry's row shows: the mark, what is wrong, and its id to open it."""
    if role == Qt.ItemDataRole.DisplayRole:
        if column == 0:
            return damaged_label(entry)
        return entry.reason if column == 1 else ""
    if role == Qt.ItemDataRole.ToolTipRole:
        return f"{entry.describe()}.\nOpen it to see what to do."
    if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
        return f"Damaged entry {entry.id}: {entry.reason}"
    if role == ID_ROLE:
        return entry.id
    if role == RECORD_ROLE:
        return entry
    return None


def header_title(
    titles: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    """A table's column title (nothing for rows or other roles)."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records; `set_records` resets the model (our lists are small enough).

    Damaged entries (`set_damaged`: stored values that could not be read) follow the records,
    marked, with what is wrong as their tooltip; their id opens them like any row (the
    service then explains)."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        record_id: Callable[[R], int | None],
        search_text: Callable[[R], str] | None = None,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._search_text = search_text
        self._record_id = record_id
        self._records: list[R] = []
        self._damaged: list[DamagedRecord] = []

    def set_damaged(self, damaged: Sequence[DamagedRecord]) -> None:
        self.beginResetModel()
        self._damaged = list(damaged)
        self.endResetModel()

    def damaged(self) -> list[DamagedRecord]:
        return list(self._damaged)

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def column_widths(self) -> list[int]:
        return [c.width for c in self._columns]

    def records(self) -> list[R]:
        return list(self._records)

    def record(self, row: int) -> R:
        return self._records[row]

    def row_of(self, record_id: int) -> int | None:
        for row, record in enumerate(self._records):
            if self._record_id(record) == record_id:
                return row
        for row, entry in enumerate(self._damaged, start=len(self._records)):
            if entry.id == record_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._records) + len(self._damaged)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        if index.row() >= len(self._records):
            return self._damaged_data(self._damaged[index.row() - len(self._records)], index, role)
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(record) if column.tooltip else column.text(record)
        if role == SORT_ROLE:
            return column.sort_key(record) if column.sort_key else column.text(record).casefold()
        if role == ID_ROLE:
            return self._record_id(record)
        if role == RECORD_ROLE:
            return record
        if role == SEARCH_ROLE:
            return self._search_text(record) if self._search_text else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _damaged_data(self, entry: DamagedRecord, index: Index, role: int) -> Any:
        if role == SORT_ROLE:
            return ""  # sorts together, before or after the records
        return damaged_data(entry, index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title([c.title for c in self._columns], section, orientation, role)
