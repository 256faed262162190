"""The evidence files of one activity or lesson as a table: name, type, size, date added, and a
Shared box (private unless ticked). Rows are stored files, or files waiting for their activity
or lesson to be saved (those carry their bytes until then)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from portfolio_app.domain.dates import format_date
from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.evidence import Evidence, human_size, media_label

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

NAME, TYPE, SIZE, ADDED, SHARED = range(5)
HEADERS = ("Name", "Type", "Size", "Added", "Shared")


@dataclass(frozen=True)
class EvidenceItem:
    """A row: the file's record, and its bytes while it waits to be stored (else None)."""

    evidence: Evidence
    pending: bytes | None = None

    @property
    def is_pending(self) -> bool:
        return self.pending is not None


def added_text(added_at: datetime | None) -> str:
    """When a file was added, in local time: '3 Mar 2026 14:05' ('on save' for a queued one)."""
    if added_at is None:
        return "on save"
    local = added_at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


class EvidenceTableModel(QAbstractTableModel):
    """Ticking or unticking Shared does not change the row: it asks (`share_toggled`), and the
    panel stores the choice, then `replace`s the row with what was stored."""

    share_toggled = Signal(int, bool)  # row, shared

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[EvidenceItem] = []

    # -- rows ----------------------------------------------------------------------------------

    def set_items(self, items: Sequence[EvidenceItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[EvidenceItem]:
        return list(self._items)

    def item(self, row: int) -> EvidenceItem:
        return self._items[row]

    def append(self, item: EvidenceItem) -> None:
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(item)
        self.endInsertRows()

    def replace(self, row: int, item: EvidenceItem) -> None:
        self._items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()

    # -- Qt ------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == SHARED:
                return "Ticked: its name may be listed in portfolios you export of a shared entry"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == SHARED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        evidence, column = item.evidence, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == SHARED:
            return Qt.CheckState.Checked if evidence.shared else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return self._sort_key(item, column)
        return None

    @staticmethod
    def _text(item: EvidenceItem, column: int) -> str:
        evidence = item.evidence
        if column == NAME:
            return evidence.name
        if column == TYPE:
            return media_label(evidence.media_type)
        if column == SIZE:
            return human_size(evidence.size)
        if column == ADDED:
            return added_text(evidence.added_at)
        return "Shared" if evidence.shared else "Private"

    @staticmethod
    def _tooltip(item: EvidenceItem, column: int) -> str:
        evidence = item.evidence
        if column == TYPE:
            return evidence.media_type
        if column == SIZE:
            return f"{evidence.size:,} bytes"
        if column == SHARED:
            return (
                "Shared: its name may be listed in portfolios you export"
                if evidence.shared
                else "Private: only you see it"
            )
        if item.is_pending:
            return f"{evidence.name}: stored when you save"
        return evidence.name

    @staticmethod
    def _sort_key(item: EvidenceItem, column: int) -> Any:
        evidence = item.evidence
        if column == NAME:
            return evidence.name.casefold()
        if column == TYPE:
            return media_label(evidence.media_type)
        if column == SIZE:
            return evidence.size
        if column == ADDED:  # queued files last, as they will be added last
            return evidence.added_at.timestamp() if evidence.added_at else float("inf")
        return int(evidence.shared)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != SHARED:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        # The view passes the state as an enum or as its number, depending on the binding.
        shared = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        if shared != self._items[index.row()].evidence.shared:
            self.share_toggled.emit(index.row(), shared)
        return True


def visibility_of(shared: bool) -> Visibility:
    return Visibility.SHARED if shared else Visibility.PRIVATE
