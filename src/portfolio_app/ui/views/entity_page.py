"""A searchable, sortable table of one kind of record, with a helpful empty state."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.ui.models.filter_proxy import SearchProxy
from portfolio_app.ui.models.record_table_model import ID_ROLE, RecordTableModel


class RecordTableView(QTableView):
    """Enter opens the current row, Delete asks to delete it."""

    open_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.currentIndex().isValid():
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


class EntityPage(QWidget):
    """A search box above a table, and an explanation instead of an empty table."""

    open_requested = Signal(int)
    delete_requested = Signal(int)
    selection_changed = Signal()

    def __init__(
        self,
        name: str,
        model: RecordTableModel[object],
        proxy: SearchProxy,
        empty_text: str,
        parent: QWidget | None = None,
        *,
        sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.model = model
        self.proxy = proxy
        self._empty_text = empty_text
        proxy.setSourceModel(model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {name.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {name.lower()}")
        self.search.textChanged.connect(self._search_changed)

        self.filter_bar = QHBoxLayout()
        self.filter_bar.setContentsMargins(0, 0, 0, 0)
        self.filter_bar.addWidget(self.search, 1)

        self.table = RecordTableView(self)
        self.table.setAccessibleName(f"{name} table")
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for column, width in enumerate(model.column_widths()):
            self.table.setColumnWidth(column, width)
        self.table.sortByColumn(*sort)
        self.table.doubleClicked.connect(lambda _index: self._emit_open())
        self.table.open_requested.connect(self._emit_open)
        self.table.delete_requested.connect(self._emit_delete)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.selection_changed.emit()
        )

        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(f"{name} empty message")
        self.empty.setMargin(24)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.stack, 1)

        for signal in (
            model.modelReset,
            proxy.rowsInserted,
            proxy.rowsRemoved,
            proxy.layoutChanged,
        ):
            signal.connect(self._update_empty_state)
        proxy.modelReset.connect(self._update_empty_state)
        self._update_empty_state()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        if self.proxy.rowCount() > 0:
            self.stack.setCurrentWidget(self.table)
            return
        if self.model.rowCount() > 0:
            self.empty.setText(
                f"No {self.name.lower()} match the search or filters.\n"
                "Clear the search box or change the filters to see them all."
            )
        else:
            self.empty.setText(self._empty_text)
        self.stack.setCurrentWidget(self.empty)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        value = self.proxy.data(self.proxy.index(index.row(), 0), ID_ROLE)
        return value if isinstance(value, int) else None

    def select_id(self, record_id: int | None) -> None:
        if record_id is None:
            return
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    def _emit_open(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            self.open_requested.emit(record_id)

    def _emit_delete(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            self.delete_requested.emit(record_id)

    def row_index(self, row: int) -> QModelIndex:
        return self.proxy.index(row, 0)
