"""The editor's models: the sector tree (editable, drag and drop) and the retired list.

Every change goes through the undo stack: the public methods (add_sector, set_sector_fields,
move_sector, retire_sector, …) push a command from commands.py, and the commands call the
primitives below (insert_node, take_node, place_node, apply_fields, …), which are the only code
that changes the draft and tell the views. Indexes carry a node's uid as their internal id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QUndoStack

from portfolio_app.taxonomy.colours import distinct_colour, is_colour
from portfolio_app.taxonomy.model import Sector
from portfolio_app.ui.colours import ERROR
from portfolio_app.ui.taxonomy_editor import commands
from portfolio_app.ui.taxonomy_editor.draft import (
    ORDER_STEP,
    Draft,
    RetiredDraft,
    SectorNode,
    blank_draft,
    slug,
    unique_id,
)

Index = QModelIndex | QPersistentModelIndex
SECTOR_MIME_TYPE = "application/x-portfolio-app-sector"
LABEL_COLUMN, ID_COLUMN = 0, 1


class SectorTreeModel(QAbstractItemModel):
    """The draft's sectors as a tree: column 0 is the label (edit it in place), column 1 the id.

    `changed` is emitted after every change to the document (sectors, header or retired list);
    `touched` names the sector an undo or redo step changed, so the window can select it.
    """

    changed = Signal()
    touched = Signal(int)
    retired_touched = Signal(int)
    header_changed = Signal(str)

    def __init__(self, draft: Draft | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.draft = draft or blank_draft()
        self.retired_model = RetiredTableModel(self)
        self._nodes: dict[int, SectorNode] = {}
        self._problems: dict[int, list[str]] = {}
        self._token = uuid.uuid4().hex  # drops from another editor window are refused
        self._session = 0
        self._register(self.draft.root)

    # -- the document as a whole ----------------------------------------------------------------

    def load(self, draft: Draft) -> None:
        """Show another document; undo history starts again."""
        self.undo_stack.clear()
        self.beginResetModel()
        self.retired_model.beginResetModel()
        self.draft = draft
        self._nodes.clear()
        self._problems.clear()
        self._register(draft.root)
        self.retired_model.endResetModel()
        self.endResetModel()
        self.undo_stack.setClean()
        self.changed.emit()

    def mark_saved(self) -> None:
        """After a save every id is in a file that may be in use: ids become read-only."""
        for node in self.draft.nodes():
            node.saved = True
            node.auto_id = False
        self.undo_stack.setClean()
        self.changed.emit()

    def new_session(self) -> None:
        """Typing in one field merges into one undo step until focus or selection moves on."""
        self._session += 1

    @property
    def session(self) -> int:
        return self._session

    # -- undoable edits -------------------------------------------------------------------------

    def add_sector(self, parent: SectorNode | None = None, label: str = "New sector") -> SectorNode:
        parent = parent or self.draft.root
        node = SectorNode(
            id=unique_id(slug(label), self.draft.used_ids()),
            label=label,
            # A sub-sector shares its family's colour; a new family gets one far from the rest.
            colour=parent.colour
            if not parent.is_root()
            else distinct_colour(n.colour for n in self.draft.nodes() if is_colour(n.colour)),
            order=max((c.order for c in parent.children), default=-ORDER_STEP) + ORDER_STEP,
            auto_id=True,
        )
        where = f" under “{parent.label.strip()}”" if not parent.is_root() else ""
        self.undo_stack.push(commands.AddSector(self, node, parent, f"Add sector{where}"))
        return node

    def set_sector_fields(
        self, node: SectorNode, values: Mapping[str, Any], *, merge: bool = False
    ) -> None:
        """Change a sector's fields; `merge` joins the step to the last one while typing."""
        values = dict(values)
        if "id" in values:
            values["auto_id"] = False
        elif "label" in values and node.auto_id and not node.saved:
            values["id"] = unique_id(slug(str(values["label"])), self.draft.used_ids(but=node))
        if all(getattr(node, k) == v for k, v in values.items()):
            return
        session = self._session if merge else None
        self.undo_stack.push(commands.SetSectorFields(self, node, values, session))

    def move_sector(self, node: SectorNode, parent: SectorNode | None, row: int) -> bool:
        """Move `node` to position `row` (after the move) among `parent`'s children; siblings'
        `order` is rewritten to match. Refuses (False) to move a sector inside itself."""
        parent = parent or self.draft.root
        if parent is node or parent in node.descendants():
            return False
        limit = len(parent.children) - (1 if node.parent is parent else 0)
        row = max(0, min(row, limit))
        if node.parent is parent and node.row() == row:
            return False
        text = (
            f"Move “{node.label.strip()}”"
            if node.parent is parent
            else f"Move “{node.label.strip()}” "
            + (f"under “{parent.label.strip()}”" if not parent.is_root() else "to the top level")
        )
        self.undo_stack.push(commands.MoveSector(self, node, parent, row, text))
        return True

    def move_up(self, node: SectorNode) -> bool:
        return node.parent is not None and self.move_sector(node, node.parent, node.row() - 1)

    def move_down(self, node: SectorNode) -> bool:
        return node.parent is not None and self.move_sector(node, node.parent, node.row() + 1)

    def retire_sector(
        self, node: SectorNode, replaced_by: str | None, since: str, note: str = ""
    ) -> bool:
        """Move a sector (without sub-sectors) to the retired list."""
        if node.children or node.is_root():
            return False
        entry = RetiredDraft(node.id, replaced_by, since, note, node.label.strip())
        self.undo_stack.push(commands.RetireSector(self, node, entry))
        return True

    def delete_sector(self, node: SectorNode) -> bool:
        """Remove a sector never saved (so no data can use it) that has no sub-sectors."""
        if node.saved or node.children or node.is_root():
            return False
        self.undo_stack.push(commands.DeleteSector(self, node))
        return True

    def set_header_field(self, name: str, value: str, *, merge: bool = False) -> None:
        if self.draft.header.get(name, "") == value:
            return
        session = self._session if merge else None
        self.undo_stack.push(commands.SetHeaderField(self, name, value, session))

    def set_retired_field(self, row: int, name: str, value: str | None) -> None:
        if getattr(self.draft.retired[row], name) == value:
            return
        self.undo_stack.push(commands.SetRetiredField(self, row, name, value))

    def replace_sectors(self, sectors: Sequence[Sector], text: str) -> None:
        """Put another sector list in place of the tree (a CSV import), as one undo step.
        Sectors whose id was already saved stay read-only."""
        saved = {n.id for n in self.draft.nodes() if n.saved}
        self.undo_stack.push(commands.ReplaceSectors(self, sectors, saved, text))

    # -- primitives: only the undo commands call these ------------------------------------------

    def insert_node(self, node: SectorNode, parent: SectorNode, row: int) -> None:
        self.beginInsertRows(self.index_of(parent), row, row)
        parent.children.insert(row, node)
        node.parent = parent
        self._register(node)
        self.endInsertRows()
        self._changed_at(node)

    def take_node(self, node: SectorNode) -> tuple[SectorNode, int]:
        parent = node.parent
        assert parent is not None
        row = node.row()
        self.beginRemoveRows(self.index_of(parent), row, row)
        del parent.children[row]
        node.parent = None  # out of the tree until an undo step puts it back
        self.endRemoveRows()
        self._changed_at(parent)
        return parent, row

    def place_node(self, node: SectorNode, parent: SectorNode, row: int) -> None:
        """Move `node` so that it ends at `row` among `parent`'s children."""
        source = node.parent
        assert source is not None
        old = node.row()
        if source is parent and old == row:
            return
        # Qt counts the destination before the node leaves its place.
        destination = row + 1 if source is parent and row > old else row
        ok = self.beginMoveRows(self.index_of(source), old, old, self.index_of(parent), destination)
        assert ok, "the editor never makes an impossible move"
        del source.children[old]
        parent.children.insert(row, node)
        node.parent = parent
        self.endMoveRows()
        self._changed_at(node)

    def apply_fields(self, node: SectorNode, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            setattr(node, name, value)
        if "label" in values or "order" in values:
            self._keep_sorted(node)
        self.dataChanged.emit(self.index_of(node, LABEL_COLUMN), self.index_of(node, ID_COLUMN))
        self._changed_at(node)

    def set_orders(self, orders: Mapping[SectorNode, int]) -> None:
        for node, order in orders.items():
            node.order = order
        self.changed.emit()

    def renumber(self, parent: SectorNode) -> None:
        """Rewrite the children's `order` to their places in the tree: 0, 10, 20, …"""
        self.set_orders({c: i * ORDER_STEP for i, c in enumerate(parent.children)})

    def apply_header(self, name: str, value: str) -> None:
        self.draft.header[name] = value
        self.header_changed.emit(name)
        self.changed.emit()

    def insert_retired(self, row: int, entry: RetiredDraft) -> None:
        self.retired_model.beginInsertRows(QModelIndex(), row, row)
        self.draft.retired.insert(row, entry)
        self.retired_model.endInsertRows()
        self.changed.emit()
        self.retired_touched.emit(row)

    def take_retired(self, row: int) -> RetiredDraft:
        self.retired_model.beginRemoveRows(QModelIndex(), row, row)
        entry = self.draft.retired.pop(row)
        self.retired_model.endRemoveRows()
        self.changed.emit()
        return entry

    def apply_retired(self, row: int, name: str, value: str | None) -> None:
        setattr(self.draft.retired[row], name, value)
        self.retired_model.row_changed(row)
        self.changed.emit()

    def swap_top_level(self, nodes: list[SectorNode]) -> list[SectorNode]:
        """Put `nodes` (with their sub-trees) at the top level instead; returns the old ones."""
        self.beginResetModel()
        old = self.draft.root.children
        self.draft.root.children = nodes
        for node in nodes:
            node.parent = self.draft.root
            self._register(node)
        self._problems.clear()
        self.endResetModel()
        self.changed.emit()
        return old

    def _changed_at(self, node: SectorNode) -> None:
        self.changed.emit()
        if not node.is_root():
            self.touched.emit(node.uid)

    def _keep_sorted(self, node: SectorNode) -> None:
        """Keep siblings in the app's display order after a label or order change."""
        parent = node.parent
        if parent is None:
            return
        others = [c for c in parent.children if c is not node]
        row = node.row()
        key = node.sort_key()
        before_ok = row == 0 or parent.children[row - 1].sort_key() <= key
        after_ok = row == len(others) or key <= parent.children[row + 1].sort_key()
        if before_ok and after_ok:
            return
        target = next((i for i, c in enumerate(others) if key < c.sort_key()), len(others))
        self.place_node(node, parent, target)

    def _register(self, node: SectorNode) -> None:
        # Removed nodes stay registered: an undo step may bring them back.
        self._nodes[node.uid] = node
        for child in node.descendants():
            self._nodes[child.uid] = child

    # -- problems shown on the tree -------------------------------------------------------------

    def set_problems(self, problems: Mapping[int, list[str]]) -> None:
        """Sectors with problems are drawn in red, with the problems as their tooltip."""
        touched = set(self._problems) | set(problems)
        self._problems = {uid: list(texts) for uid, texts in problems.items()}
        for uid in touched:
            node = self._nodes.get(uid)
            if node is not None and self._in_tree(node):
                self.dataChanged.emit(self.index_of(node, 0), self.index_of(node, ID_COLUMN))

    def problems_of(self, node: SectorNode) -> list[str]:
        return list(self._problems.get(node.uid, ()))

    # -- lookups --------------------------------------------------------------------------------

    def node(self, uid: int) -> SectorNode | None:
        node = self._nodes.get(uid)
        return node if node is not None and self._in_tree(node) else None

    def node_at(self, index: Index) -> SectorNode | None:
        if not index.isValid():
            return None
        return self._nodes.get(index.internalId())

    def node_by_id(self, sector_id: str) -> SectorNode | None:
        return next((n for n in self.draft.nodes() if n.id == sector_id), None)

    def index_of(self, node: SectorNode | None, column: int = 0) -> QModelIndex:
        if node is None or node.is_root():
            return QModelIndex()
        return self.createIndex(node.row(), column, node.uid)

    def _in_tree(self, node: SectorNode) -> bool:
        while node.parent is not None:
            if node not in node.parent.children:
                return False
            node = node.parent
        return node is self.draft.root

    def path_label(self, node: SectorNode) -> str:
        labels = [a.label.strip() or a.id for a in reversed(list(node.ancestors()))]
        return " → ".join([*labels, node.label.strip() or node.id])

    # -- QAbstractItemModel ---------------------------------------------------------------------

    def _parent_node(self, parent: Index) -> SectorNode | None:
        if not parent.isValid():
            return self.draft.root
        if parent.column() != 0:
            return None
        return self._nodes.get(parent.internalId())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        node = self._parent_node(parent)
        assert node is not None
        return self.createIndex(row, column, node.children[row].uid)

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: Index) -> QModelIndex: ...
    def parent(self, child: Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        node = self.node_at(child)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.index_of(node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        node = self._parent_node(parent)
        return len(node.children) if node is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        if index.column() == LABEL_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node_at(index)
        if node is None:
            return None
        column = index.column()
        label = node.label.strip()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == ID_COLUMN:
                return node.id or "(no id)"
            return label or "(no label)"
        if role == Qt.ItemDataRole.EditRole:
            return node.label if column == LABEL_COLUMN else node.id
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL_COLUMN:
            # A bad colour still takes the swatch's place, so labels stay lined up.
            valid = QColor.isValidColorName(node.colour)
            return QColor(node.colour) if valid else QColor(Qt.GlobalColor.transparent)
        if role == Qt.ItemDataRole.ForegroundRole and node.uid in self._problems:
            return ERROR.colour()  # the error red used elsewhere in the app
        if role == Qt.ItemDataRole.FontRole and not label and column == LABEL_COLUMN:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.path_label(node)]
            lines += [f"Problem: {text}" for text in self._problems.get(node.uid, ())]
            if node.aliases:
                lines.append("Also called: " + "; ".join(node.aliases))
            return "\n".join(lines)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node_at(index)
        if node is None or role != Qt.ItemDataRole.EditRole or index.column() != LABEL_COLUMN:
            return False
        self.set_sector_fields(node, {"label": str(value)})
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Sector", "Id")[section] if section in (0, 1) else None
        return None

    # -- drag and drop --------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SECTOR_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        uids = list(dict.fromkeys(i.internalId() for i in indexes if i.isValid()))
        data = QMimeData()
        payload = json.dumps({"editor": self._token, "uids": uids}).encode()
        data.setData(SECTOR_MIME_TYPE, QByteArray(payload))
        return data

    def _dragged(self, data: QMimeData) -> list[SectorNode]:
        if not data.hasFormat(SECTOR_MIME_TYPE):
            return []
        try:
            payload = json.loads(bytes(data.data(SECTOR_MIME_TYPE).data()).decode())
        except (ValueError, UnicodeDecodeError):
            return []
        if not isinstance(payload, dict) or payload.get("editor") != self._token:
            return []
        nodes = [self.node(uid) for uid in payload.get("uids", []) if isinstance(uid, int)]
        return [n for n in nodes if n is not None]

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        target = self._drop_parent(parent)
        nodes = self._dragged(data)
        if action != Qt.DropAction.MoveAction or target is None or not nodes:
            return False
        return all(target is not n and target not in n.descendants() for n in nodes)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Move the dragged sectors: onto a sector (row -1) makes them its last sub-sectors;
        between rows places them there. The view never removes rows itself (no removeRows)."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self._drop_parent(parent)
        assert target is not None
        nodes = self._dragged(data)
        self.undo_stack.beginMacro("Move sectors" if len(nodes) > 1 else "Move sector")
        moved = False
        for node in nodes:
            if row < 0:
                final = len(target.children) - (1 if node.parent is target else 0)
            else:
                final = row - 1 if node.parent is target and node.row() < row else row
            moved = self.move_sector(node, target, final) or moved
            if row >= 0:
                row = node.row() + 1  # the next one goes after this one
        self.undo_stack.endMacro()
        return moved

    def _drop_parent(self, parent: Index) -> SectorNode | None:
        if parent.isValid() and parent.column() != 0:
            return self._nodes.get(parent.internalId())
        return self._parent_node(parent)


class RetiredTableModel(QAbstractTableModel):
    """The retired list: id, replacement, since which version, and a note (each editable)."""

    COLUMNS = (
        ("id", "Retired sector"),
        ("replaced_by", "Replaced by"),
        ("since", "Since"),
        ("note", "Note"),
    )

    def __init__(self, tree: SectorTreeModel) -> None:
        super().__init__(tree)
        self.tree = tree

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.tree.draft.retired)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.tree.draft.retired[index.row()]
        name = self.COLUMNS[index.column()][0]
        value = getattr(entry, name)
        if role == Qt.ItemDataRole.EditRole:
            return value or ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if name == "id" and entry.label:
                return f"{entry.label} ({entry.id})"
            if name == "replaced_by":
                if not value:
                    return "(no replacement)"
                node = self.tree.node_by_id(value)
                return f"{node.label.strip()} ({value})" if node is not None else value
            return value or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = self.data(index, Qt.ItemDataRole.DisplayRole)
            if name == "replaced_by":
                return f"{shown}: the active sector that data in the retired one moves to"
            return shown
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        name = self.COLUMNS[index.column()][0]
        text = str(value).strip() if name in ("id", "replaced_by") else str(value)
        self.tree.set_retired_field(
            index.row(), name, (text or None) if name == "replaced_by" else text
        )
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section][1]
        return None
