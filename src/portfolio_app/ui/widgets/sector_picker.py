"""Pick one sector (or several) from the taxonomy tree, searching by label, id or alias, so that
"ICB" or "Jobcentre" finds the sector people actually mean."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.taxonomy import Sector, Taxonomy

SECTOR_ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass
class _Node:
    sector: Sector
    row: int
    parent: int | None  # position of the parent node in SectorTreeModel._nodes
    children: list[int] = field(default_factory=list)


class SectorTreeModel(QAbstractItemModel):
    """Sectors and their sub-sectors, in the taxonomy's display order; one column.

    Indexes carry the node's position in a flat list as their internal id (no Python pointers
    in indexes). In checkable mode each sector has a check box; `checked` is the chosen set."""

    checkedChanged = Signal()

    def __init__(
        self, taxonomy: Taxonomy, *, checkable: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.taxonomy = taxonomy
        self.checkable = checkable
        self._nodes: list[_Node] = []
        self._roots: list[int] = self._build(None, None)
        self._by_id = {node.sector.id: pos for pos, node in enumerate(self._nodes)}
        self._checked: list[str] = []  # in the order the user chose them

    def _build(self, parent_id: str | None, parent_pos: int | None) -> list[int]:
        positions: list[int] = []
        for row, sector in enumerate(self.taxonomy.children(parent_id)):
            pos = len(self._nodes)
            self._nodes.append(_Node(sector, row, parent_pos))
            positions.append(pos)
            self._nodes[pos].children = self._build(sector.id, pos)
        return positions

    # -- structure ----------------------------------------------------------------------------

    def _children_of(self, parent: Index) -> list[int]:
        if not parent.isValid():
            return self._roots
        if parent.column() != 0:
            return []
        return self._nodes[parent.internalId()].children

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._children_of(parent)[row])

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: Index) -> QModelIndex: ...
    def parent(self, child: Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        parent_pos = self._nodes[child.internalId()].parent
        if parent_pos is None:
            return QModelIndex()
        return self.createIndex(self._nodes[parent_pos].row, 0, parent_pos)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._children_of(parent))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return bool(self._children_of(parent))

    def sector_at(self, index: Index) -> Sector | None:
        return self._nodes[index.internalId()].sector if index.isValid() else None

    def index_of(self, sector_id: str) -> QModelIndex:
        pos = self._by_id.get(sector_id)
        if pos is None:
            return QModelIndex()
        return self.createIndex(self._nodes[pos].row, 0, pos)

    # -- data ---------------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.checkable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        sector = self.sector_at(index)
        if sector is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return sector.label
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.taxonomy.path_label(sector.id)]
            if sector.aliases:
                lines.append("Also called: " + ", ".join(sector.aliases))
            if sector.description:
                lines.append(sector.description)
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(sector.colour)
        if role == SECTOR_ID_ROLE:
            return sector.id
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable:
            checked = sector.id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        sector = self.sector_at(index)
        if sector is None or not self.checkable or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        checked = state == Qt.CheckState.Checked
        if checked == (sector.id in self._checked):
            return True
        if checked:
            self._checked.append(sector.id)
        else:
            self._checked.remove(sector.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and section == 0 and role == Qt.ItemDataRole.DisplayRole:
            return "Sector"
        return None

    # -- checked set --------------------------------------------------------------------------

    def checked(self) -> list[str]:
        return list(self._checked)

    def set_checked(self, sector_ids: Sequence[str]) -> None:
        wanted = [s for s in dict.fromkeys(sector_ids) if s in self._by_id]
        if wanted == self._checked:
            return
        changed = set(wanted) ^ set(self._checked)
        self._checked = wanted
        for sector_id in changed:
            index = self.index_of(sector_id)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()


class SectorFilterProxyModel(QSortFilterProxyModel):
    """Keeps sectors whose label, id or alias contains the search text, with their parents
    (recursive filtering) and, when a parent matches, all its sub-sectors."""

    def __init__(self, taxonomy: Taxonomy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.taxonomy = taxonomy
        self._text = ""
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    def search_text(self) -> str:
        return self._text

    def set_search_text(self, text: str) -> None:
        if text == self._text:
            return
        self.beginFilterChange()
        self._text = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._text.strip():
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        sector_id = index.data(SECTOR_ID_ROLE)
        return isinstance(sector_id, str) and self.taxonomy.matches(sector_id, self._text)

    def sector_matches(self, index: Index) -> bool:
        """Whether this row matches itself (rather than being shown for a matching child)."""
        sector_id = index.data(SECTOR_ID_ROLE)
        return isinstance(sector_id, str) and self.taxonomy.matches(sector_id, self._text)


class SearchLineEdit(QLineEdit):
    """A search box that reports Enter (without letting the dialog take it as Save) and the
    Down arrow. A subclass rather than an event filter: Python event filters on child widgets
    can outlive their owner during teardown."""

    enterPressed = Signal()
    downPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            event.accept()
            self.enterPressed.emit()
            return
        if key == Qt.Key.Key_Down:
            event.accept()
            self.downPressed.emit()
            return
        super().keyPressEvent(event)


class SectorPicker(QWidget):
    """A search box above the sector tree. Single mode: one highlighted sector. Multi mode: check
    boxes. The choice survives searching (filtering never drops what was chosen)."""

    selectionChanged = Signal()

    def __init__(
        self, taxonomy: Taxonomy, *, multi: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.taxonomy = taxonomy
        self.multi = multi
        self._selected: str | None = None  # single mode only
        self._syncing = False  # True while the view is made to show `_selected`

        self.search = SearchLineEdit(self)
        self.search.setAccessibleName("Sector search")
        self.search.setPlaceholderText("Search sectors, e.g. ICB, Jobcentre, GP")
        self.search.setClearButtonEnabled(True)

        self.model = SectorTreeModel(taxonomy, checkable=multi, parent=self)
        self.proxy = SectorFilterProxyModel(taxonomy, self)
        self.proxy.setSourceModel(self.model)

        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Sectors")
        self.tree.setAccessibleDescription(
            "Tick the sectors that apply" if multi else "Choose one sector"
        )
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setMinimumHeight(140)
        self.tree.setIconSize(QSize(10, 10))  # the colour swatch is a hint, not a feature

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Chosen sectors" if multi else "Chosen sector")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.search)

        self.search.textChanged.connect(self._on_search)
        self.search.enterPressed.connect(self._on_search_enter)
        self.search.downPressed.connect(self._on_search_down)
        self.tree.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.model.checkedChanged.connect(self._on_checked)
        self._expand_for_choice()
        self._update_summary()

    # -- public API ---------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        if self.multi:
            return self.model.checked()
        return [self._selected] if self._selected else []

    def set_selected(self, ids: Sequence[str]) -> None:
        known = [i for i in ids if i in self.taxonomy]
        if self.multi:
            self.model.set_checked(known)  # emits through _on_checked
            self._expand_for_choice()
            return
        new = known[0] if known else None
        changed = new != self._selected
        self._selected = new
        self._sync_view_selection()
        self._expand_for_choice()
        self._update_summary()
        if changed:
            self.selectionChanged.emit()

    # -- behaviour ----------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        # Hiding rows moves the view's current row; that is not the user choosing a sector.
        self._syncing = True
        try:
            self.proxy.set_search_text(text)
        finally:
            self._syncing = False
        if text.strip():
            self.tree.expandAll()
        else:
            self.tree.collapseAll()
            self._expand_for_choice()
        self._sync_view_selection()

    def _expand_for_choice(self) -> None:
        """Open the branches that hold a chosen sector, so the choice is visible."""
        for sector_id in self.selected_ids():
            for ancestor in self.taxonomy.ancestry(sector_id)[:-1]:
                index = self.proxy.mapFromSource(self.model.index_of(ancestor.id))
                if index.isValid():
                    self.tree.expand(index)

    def _sync_view_selection(self) -> None:
        if self.multi:
            return
        selection = self.tree.selectionModel()
        index = (
            self.proxy.mapFromSource(self.model.index_of(self._selected))
            if self._selected
            else QModelIndex()
        )
        self._syncing = True
        try:
            if index.isValid():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.tree.scrollTo(index)
            else:
                selection.clearSelection()
        finally:
            self._syncing = False

    def _on_view_selection(self) -> None:
        if self.multi or self._syncing:
            return
        rows = self.tree.selectionModel().selectedRows()
        if not rows:  # filtering hid the chosen row: keep the choice
            return
        sector = self.model.sector_at(self.proxy.mapToSource(rows[0]))
        if sector is not None and sector.id != self._selected:
            self._selected = sector.id
            self._update_summary()
            self.selectionChanged.emit()

    def _on_checked(self) -> None:
        self._update_summary()
        self.selectionChanged.emit()

    def _update_summary(self) -> None:
        ids = self.selected_ids()
        if not ids:
            text = "No sector chosen yet" if not self.multi else "None chosen"
        elif self.multi:
            text = "Chosen: " + "; ".join(self.taxonomy.label(i) for i in ids)
        else:
            text = "Chosen: " + self.taxonomy.path_label(ids[0])
        self.summary.setText(text)

    def first_match(self) -> QModelIndex:
        """The first visible row that matches the search itself (in display order)."""

        def walk(parent: QModelIndex) -> QModelIndex:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if self.proxy.sector_matches(index):
                    return index
                found = walk(index)
                if found.isValid():
                    return found
            return QModelIndex()

        return walk(QModelIndex())

    def _on_search_enter(self) -> None:
        """Enter in the search box picks the first match (multi mode: goes to it)."""
        index = self.first_match()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            if self.multi:
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_search_down(self) -> None:
        """The Down arrow moves from the search box into the tree."""
        if not self.tree.currentIndex().isValid():
            first = self.first_match() if self.search.text().strip() else QModelIndex()
            target = first if first.isValid() else self.proxy.index(0, 0)
            flag = QItemSelectionModel.SelectionFlag
            mode = flag.NoUpdate if self.multi else flag.ClearAndSelect
            self.tree.selectionModel().setCurrentIndex(target, mode)
        self.tree.setFocus(Qt.FocusReason.TabFocusReason)
