"""Undo steps of the taxonomy editor. Each one remembers what it needs to reverse itself and
changes the draft only through the model's primitives, so the views always follow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from portfolio_app.taxonomy.model import Sector
from portfolio_app.ui.taxonomy_editor.draft import (
    RetiredDraft,
    SectorNode,
    attach_sectors,
    new_root,
)

if TYPE_CHECKING:
    from portfolio_app.ui.taxonomy_editor.tree_model import SectorTreeModel

_FIELD_ID = 1
_HEADER_ID = 2
_HEADER_NAMES = {"id": "taxonomy id", "date": "date of publication"}
_FIELD_NAMES = {
    "id": "id",
    "aliases": "aliases",
    "description": "description",
    "colour": "colour",
    "order": "display order",
}


def _name(node: SectorNode) -> str:
    return f"“{node.label.strip() or node.id}”"


class AddSector(QUndoCommand):
    def __init__(
        self, model: SectorTreeModel, node: SectorNode, parent: SectorNode, text: str
    ) -> None:
        super().__init__(text)
        self.model, self.node, self.parent_node = model, node, parent
        self.row = len(parent.children)

    def redo(self) -> None:
        self.model.insert_node(self.node, self.parent_node, self.row)

    def undo(self) -> None:
        self.model.take_node(self.node)


class DeleteSector(QUndoCommand):
    def __init__(self, model: SectorTreeModel, node: SectorNode) -> None:
        super().__init__(f"Delete {_name(node)}")
        self.model, self.node = model, node
        self.parent_node: SectorNode | None = None
        self.row = 0

    def redo(self) -> None:
        self.parent_node, self.row = self.model.take_node(self.node)

    def undo(self) -> None:
        assert self.parent_node is not None
        self.model.insert_node(self.node, self.parent_node, self.row)


class SetSectorFields(QUndoCommand):
    """Change some fields of a sector. While typing in one field (the same `session`) the steps
    merge into one. A changed id is followed by the retired entries that name it as
    replacement, so a new sector chosen as a replacement can still be renamed."""

    def __init__(
        self,
        model: SectorTreeModel,
        node: SectorNode,
        values: Mapping[str, Any],
        session: int | None,
    ) -> None:
        super().__init__()
        self.model, self.node, self.session = model, node, session
        self.old = {name: getattr(node, name) for name in values}
        self.new = dict(values)
        self.retired_rows: dict[int, str | None] = {}
        if "id" in values and values["id"] != node.id:
            for row, entry in enumerate(model.draft.retired):
                if entry.replaced_by == node.id:
                    self.retired_rows[row] = entry.replaced_by
        self._describe()

    def _describe(self) -> str:
        old_label = str(self.old.get("label", self.node.label)).strip() or "(no label)"
        if "label" in self.new:
            text = f"Rename “{old_label}” to “{str(self.new['label']).strip()}”"
        else:
            fields = [_FIELD_NAMES[n] for n in self.new if n in _FIELD_NAMES]
            text = f"Change {' and '.join(fields)} of “{old_label}”"
        self.setText(text)
        return text

    def id(self) -> int:
        return _FIELD_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, SetSectorFields)
            or self.session is None
            or other.session != self.session
            or other.node is not self.node
            or set(other.new) != set(self.new)
        ):
            return False
        for name, value in other.old.items():
            self.old.setdefault(name, value)
        self.new.update(other.new)
        for row, value in other.retired_rows.items():
            self.retired_rows.setdefault(row, value)
        self._describe()
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.model.apply_fields(self.node, self.new)
        for row in self.retired_rows:
            self.model.apply_retired(row, "replaced_by", self.node.id)

    def undo(self) -> None:
        self.model.apply_fields(self.node, self.old)
        for row, value in self.retired_rows.items():
            self.model.apply_retired(row, "replaced_by", value)


class MoveSector(QUndoCommand):
    """Move a sector in the tree; the `order` of its new siblings is rewritten to match."""

    def __init__(
        self, model: SectorTreeModel, node: SectorNode, parent: SectorNode, row: int, text: str
    ) -> None:
        super().__init__(text)
        assert node.parent is not None
        self.model, self.node, self.parent_node, self.row = model, node, parent, row
        self.old_parent, self.old_row = node.parent, node.row()
        self.orders = {c: c.order for c in (*self.old_parent.children, *parent.children)}

    def redo(self) -> None:
        self.model.place_node(self.node, self.parent_node, self.row)
        self.model.renumber(self.parent_node)

    def undo(self) -> None:
        self.model.place_node(self.node, self.old_parent, self.old_row)
        self.model.set_orders(self.orders)


class RetireSector(QUndoCommand):
    def __init__(self, model: SectorTreeModel, node: SectorNode, entry: RetiredDraft) -> None:
        super().__init__(f"Retire {_name(node)}")
        self.model, self.node, self.entry = model, node, entry
        self.parent_node: SectorNode | None = None
        self.row = 0
        self.retired_row = 0

    def redo(self) -> None:
        self.parent_node, self.row = self.model.take_node(self.node)
        self.retired_row = len(self.model.draft.retired)
        self.model.insert_retired(self.retired_row, self.entry)

    def undo(self) -> None:
        assert self.parent_node is not None
        self.model.take_retired(self.retired_row)
        self.model.insert_node(self.node, self.parent_node, self.row)


class SetHeaderField(QUndoCommand):
    def __init__(self, model: SectorTreeModel, name: str, value: str, session: int | None) -> None:
        super().__init__(f"Change the {_HEADER_NAMES.get(name, name)}")
        self.model, self.name, self.session = model, name, session
        self.old = model.draft.header.get(name, "")
        self.new = value

    def id(self) -> int:
        return _HEADER_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, SetHeaderField)
            or self.session is None
            or other.session != self.session
            or other.name != self.name
        ):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.model.apply_header(self.name, self.new)

    def undo(self) -> None:
        self.model.apply_header(self.name, self.old)


class SetRetiredField(QUndoCommand):
    def __init__(self, model: SectorTreeModel, row: int, name: str, value: str | None) -> None:
        entry = model.draft.retired[row]
        super().__init__(f"Change the retired entry “{entry.id}”")
        self.model, self.row, self.name = model, row, name
        self.old: str | None = getattr(entry, name)
        self.new = value

    def redo(self) -> None:
        self.model.apply_retired(self.row, self.name, self.new)

    def undo(self) -> None:
        self.model.apply_retired(self.row, self.name, self.old)


class ReplaceSectors(QUndoCommand):
    """Every sector replaced at once (a CSV import); the header and retired list stay."""

    def __init__(
        self, model: SectorTreeModel, sectors: Sequence[Sector], saved: set[str], text: str
    ) -> None:
        super().__init__(text)
        self.model = model
        holder = new_root()
        attach_sectors(holder, tuple(sectors), saved=False)
        for node in holder.descendants():
            node.saved = node.id in saved
        self.other = holder.children

    def redo(self) -> None:
        self.other = self.model.swap_top_level(self.other)

    def undo(self) -> None:
        self.other = self.model.swap_top_level(self.other)
