"""Table models of the Breadth page: sectors, the activities behind one sector, and goals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal
from portfolio_app.scoring import BreadthResult, Contribution

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # sector id (sectors) or record id (activities, goals)
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the number behind a cell (coverage, progress)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _percent(value: float) -> str:
    return f"{value:.0%}"


class _TableModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def _valid(self, index: Index) -> bool:
        return (
            index.isValid() and 0 <= index.row() < self.rowCount() and not index.parent().isValid()
        )


class SectorTableModel(_TableModel):
    """One row per compared sector, in taxonomy order (the chart's order)."""

    headers = ("Sector", "Engagement", "Coverage", "Activities")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: BreadthResult | None = None

    def set_result(self, result: BreadthResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.result is None:
            return 0
        return len(self.result.sectors)

    def row_of(self, sector_id: str) -> int | None:
        if self.result is None:
            return None
        for row, sector in enumerate(self.result.sectors):
            if sector.id == sector_id:
                return row
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index) or self.result is None:
            return None
        sector = self.result.sectors[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return sector.label
            if column == 1:
                return f"{sector.engagement:.2f}"
            if column == 2:
                return _percent(sector.coverage)
            return str(len(sector.contributions))  # worked out for this sector when shown
        if role == Qt.ItemDataRole.ToolTipRole:
            reached = "reached" if sector.reached else "not reached yet"
            return (
                f"{sector.label}: engagement {sector.engagement:.2f}, "
                f"coverage {sector.coverage:.0%} ({reached})"
            )
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(sector.colour)
        if role == Qt.ItemDataRole.FontRole and column == 2 and sector.reached:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return _RIGHT
        if role == ID_ROLE:
            return sector.id
        if role == VALUE_ROLE:
            return (sector.label, sector.engagement, sector.coverage, None)[column]
        return None


class ContributionsModel(_TableModel):
    """The activities behind one sector, largest contribution first (read lazily: a sector
    can have thousands behind it and the view asks only for the rows it shows)."""

    headers = ("Activity", "Engagement given", "Share of sector")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[Contribution] = ()
        self._total = 0.0

    def set_contributions(self, rows: Sequence[Contribution], total: float) -> None:
        self.beginResetModel()
        self._rows, self._total = rows, total
        self.endResetModel()

    def contribution(self, row: int) -> Contribution:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row = self._rows[index.row()]
        column = index.column()
        share = row.amount / self._total if self._total > 0 else 0.0
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return row.title
            if column == 1:
                return f"{row.amount:.3f}"
            return _percent(share)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return _RIGHT
        if role == ID_ROLE:
            return row.activity_id
        if role == VALUE_ROLE:
            return (row.title, row.amount, share)[column]
        return None


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    sectors: str  # the goal's sector labels
    progress: float | None  # the report's GoalProgress.progress (None: none of them is scored)


class GoalTableModel(_TableModel):
    headers = ("Goal", "Sectors", "Target date", "Progress", "Sharing")

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self._rows: list[GoalRow] = []

    def set_rows(self, rows: Sequence[GoalRow], today: date) -> None:
        self.beginResetModel()
        self._rows, self.today = list(rows), today
        self.endResetModel()

    def goal_row(self, row: int) -> GoalRow:
        return self._rows[row]

    def row_of(self, goal_id: int) -> int | None:
        for row, item in enumerate(self._rows):
            if item.goal.id == goal_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def _progress_text(self, item: GoalRow) -> str:
        if item.progress is None:
            return "home sector, not scored"
        text = _percent(item.progress)
        return f"{text} · achieved" if item.goal.achieved else text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        item = self._rows[index.row()]
        goal, column = item.goal, index.column()
        private = goal.visibility is Visibility.PRIVATE
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return goal.title
            if column == 1:
                return item.sectors
            if column == 2:
                return _day(goal.target_date) if goal.target_date else "no date"
            if column == 4:
                return "Private" if private else "Shared"
            return self._progress_text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [goal.title, f"Sectors: {item.sectors}"]
            if goal.target_date:
                overdue = goal.target_date < self.today and not goal.achieved
                lines.append(f"Target: {_day(goal.target_date)}" + (" (passed)" if overdue else ""))
            lines.append(
                f"Progress: {self._progress_text(item)} (the mean coverage of its sectors)"
            )
            lines.append(_SHARING[private])
            if goal.notes:
                lines.append(goal.notes)
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 3:
            return f"Progress {self._progress_text(item)}"
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 4:
            return _SHARING[private]
        if role == ID_ROLE:
            return goal.id
        if role == VALUE_ROLE and column == 3:
            return item.progress
        return None


_SHARING = {
    True: "Private: left out of exported portfolios",
    False: "Shared: included in exported portfolios",
}


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"
