"""The live list of problems (and warnings) in the taxonomy being edited.

Each problem from validation is put in the editor's words ('Sector “NHS”, colour: …' rather than
'sectors[5].colour') and keeps what it points at, so that clicking it can select the sector,
retired entry or header field and put the cursor in the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

from portfolio_app.taxonomy.errors import Problem
from portfolio_app.ui.taxonomy_editor.draft import HEADER_FIELDS, Draft, SectorNode

Index = QModelIndex | QPersistentModelIndex

SECTOR_FIELD_NAMES = {
    "id": "id",
    "label": "label",
    "parent": "place in the tree",
    "aliases": "aliases",
    "description": "description",
    "colour": "colour",
    "order": "display order",
}
RETIRED_FIELD_NAMES = {
    "id": "id",
    "replaced_by": "replaced by",
    "since": "since",
    "note": "note",
}
HEADER_NAMES = {
    "id": "Taxonomy id",
    "title": "Title",
    "version": "Version",
    "publisher": "Publisher",
    "date": "Date",
    "description": "Description",
    "format_version": "Format version",
}
_ENTRY_REF = re.compile(r"\b(sectors|retired)\[(\d+)\]")


@dataclass(frozen=True)
class ProblemEntry:
    """One line of the list, and what it points at (at most one of uid, retired_row, header)."""

    text: str
    warning: bool = False
    uid: int | None = None
    field: str | None = None
    retired_row: int | None = None
    header: str | None = None
    problem: Problem | None = None


def locate(problem: Problem, nodes: Sequence[SectorNode], draft: Draft) -> ProblemEntry:
    """The problem in the editor's words, pointing at the node, retired row or header field."""
    path = problem.path
    message = _ENTRY_REF.sub(lambda m: _entry_name(m, nodes, draft), problem.message)
    field = next((p for p in path[2:] if isinstance(p, str)), None)
    index = path[1] if len(path) >= 2 and isinstance(path[1], int) else -1
    if path and path[0] == "sectors" and 0 <= index < len(nodes):
        node = nodes[index]
        where = _sector_name(node) + (f", {SECTOR_FIELD_NAMES.get(field, field)}" if field else "")
        return ProblemEntry(f"{where}: {message}", uid=node.uid, field=field, problem=problem)
    if path and path[0] == "retired" and 0 <= index < len(draft.retired):
        where = f"Retired “{draft.retired[index].id}”"
        where += f", {RETIRED_FIELD_NAMES.get(field, field)}" if field else ""
        return ProblemEntry(f"{where}: {message}", retired_row=index, field=field, problem=problem)
    if path and isinstance(path[0], str) and path[0] in HEADER_NAMES:
        name = path[0]
        header = name if name in HEADER_FIELDS else None
        return ProblemEntry(f"{HEADER_NAMES[name]}: {message}", header=header, problem=problem)
    if path == ("sectors",):
        return ProblemEntry(f"Sectors: {message}", problem=problem)
    where = problem.where if problem.where and problem.where != "file" else "File"
    return ProblemEntry(f"{where}: {message}", problem=problem)


def _sector_name(node: SectorNode) -> str:
    if node.label.strip():
        return f"Sector “{node.label.strip()}”"
    return f"Sector with id “{node.id}”" if node.id else "A sector without a label or id"


def _entry_name(match: re.Match[str], nodes: Sequence[SectorNode], draft: Draft) -> str:
    index = int(match.group(2))
    if match.group(1) == "sectors" and index < len(nodes):
        return _sector_name(nodes[index]).replace("Sector", "the sector", 1)
    if match.group(1) == "retired" and index < len(draft.retired):
        return f"the retired entry “{draft.retired[index].id}”"
    return match.group(0)


class ProblemsModel(QAbstractListModel):
    """Errors first, then warnings; Save is refused while there is any error."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[ProblemEntry] = []

    def set_entries(self, entries: Sequence[ProblemEntry]) -> None:
        entries = sorted(entries, key=lambda e: e.warning)
        if entries == self.entries:
            return
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    @property
    def error_count(self) -> int:
        return sum(not e.warning for e in self.entries)

    def entry(self, index: Index) -> ProblemEntry | None:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        return self.entries[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index)
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.text
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            kind = "Warning" if entry.warning else "Problem"
            hint = "" if entry.warning else " (click to go there)"
            return f"{kind}: {entry.text}{hint}"
        if role == Qt.ItemDataRole.DecorationRole:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                pixmap = (
                    QStyle.StandardPixmap.SP_MessageBoxWarning
                    if entry.warning
                    else QStyle.StandardPixmap.SP_MessageBoxCritical
                )
                return app.style().standardIcon(pixmap)
        return None
