"""A searchable, sortable table of one kind of record, with a helpful empty state."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
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

from portfolio_app.ui.models.list_model import ListModel

# The search runs as you type. On a short list (ListModel.SEARCH_AT_ONCE_UP_TO) at once; on a
# longer one a burst of keystrokes is coalesced (the search starts SEARCH_PAUSE_MS after the
# last one) and runs on a worker thread, so the keystroke only repaints the box.
SEARCH_PAUSE_MS = 60


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
    """A search box above a table, and an explanation instead of an empty table.

    The table's model reads its ids from the database (sort, search and filters in SQL) and
    its rows by the block as they are shown; `refresh` reads them again, keeping the
    selection."""

    open_requested = Signal(int)
    delete_requested = Signal(int)
    selection_changed = Signal()

    def __init__(
        self,
        name: str,
        model: ListModel[object],
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.view = name.lower()  # as services.changes names it: "activities"...
        self.model = model
        self._empty_text = empty_text
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self._search_in_background)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {name.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {name.lower()}")
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.apply_search)  # Enter: list now, no pause

        self.filter_bar = QHBoxLayout()
        self.filter_bar.setContentsMargins(0, 0, 0, 0)
        self.filter_bar.addWidget(self.search, 1)

        self.table = RecordTableView(self)
        self.table.setAccessibleName(f"{name} table")
        self.table.setModel(model)
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
        query = model.query
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        self.table.sortByColumn(query.sort_column, order)
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

        model.modelAboutToBeReset.connect(self._keep_selection)
        model.modelReset.connect(self._after_reset)
        self._kept: int | None = None
        self._update_empty_state()

    def refresh(self) -> None:
        """Read the list again (the data changed), keeping the selected entry selected."""
        self.model.refresh()

    def _keep_selection(self) -> None:
        self._kept = self.current_id()

    def _after_reset(self) -> None:
        kept, self._kept = self._kept, None
        self.select_id(kept)
        self._update_empty_state()
        self.selection_changed.emit()

    def _search_changed(self, text: str) -> None:
        if self.model.searches_at_once():
            self._search_timer.stop()
            self.model.search_later(text)
        else:
            self._search_timer.start()  # restarted by each keystroke of a burst

    def _search_in_background(self) -> None:
        if self.search.text() != self.model.query.search:
            self.model.search_later(self.search.text())

    def search_pending(self) -> bool:
        """Whether what the box shows is not listed yet (waiting for a pause or a worker)."""
        return self._search_timer.isActive() or self.model.search_pending()

    def apply_search(self) -> None:
        """Show the entries matching the search box now, waiting for the database."""
        self._search_timer.stop()
        if self.search.text() != self.model.query.search or self.model.search_pending():
            self.model.set_search(self.search.text())

    def _update_empty_state(self) -> None:
        if self.model.rowCount() > 0:
            self.stack.setCurrentWidget(self.table)
            return
        if self.model.has_entries():
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
        return self.model.id_at(index.row())

    def select_id(self, record_id: int | None) -> None:
        if record_id is None:
            return
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.model.index(row, 0)
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
        return self.model.index(row, 0)
