"""Asking how to retire a sector: which active sector replaces it, and a note for the record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.services.taxonomy_service import sector_record_kinds
from portfolio_app.ui.taxonomy_editor.draft import SectorNode
from portfolio_app.ui.taxonomy_editor.tree_model import SectorTreeModel


@dataclass(frozen=True)
class RetireAnswer:
    replaced_by: str | None  # None: removed without a successor
    note: str = ""


# (parent, model, the sector to retire) → the answer, or None for Cancel.
RetirePrompt = Callable[[QWidget, SectorTreeModel, SectorNode], RetireAnswer | None]


class RetireDialog(QDialog):
    def __init__(self, model: SectorTreeModel, node: SectorNode, parent: QWidget | None) -> None:
        super().__init__(parent)
        name = node.label.strip() or node.id
        version = model.draft.header.get("version", "")
        self.setWindowTitle(f"Retire {name}")
        self.setAccessibleName("Retire sector")
        intro = QLabel(
            f"“{name}” will no longer be offered. When people install version {version}, "
            f"every {sector_record_kinds()} placed in it moves "
            "to the sector you choose here. With no replacement, installing is refused "
            "wherever any of them still uses it.",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("What retiring does")
        self.replacement = QComboBox(self)
        self.replacement.setAccessibleName("Replaced by")
        for other in model.draft.nodes():
            if other is not node:
                self.replacement.addItem(f"{model.path_label(other)}  ({other.id})", other.id)
        self.replacement.addItem("No replacement (refused where data still uses it)", None)
        if node.parent is not None and not node.parent.is_root():
            self.choose(node.parent.id)  # the usual home for a sub-sector's data
        self.since = QLabel(version or "(set the version first)", self)
        self.since.setAccessibleName("Since version")
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("e.g. CCGs became integrated care boards in July 2022")
        form = QFormLayout()
        form.addRow("&Replaced by:", self.replacement)
        form.addRow("Since version:", self.since)
        form.addRow("&Note:", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        retire = buttons.addButton("Retire", QDialogButtonBox.ButtonRole.AcceptRole)
        retire.setAccessibleName("Retire")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def answer(self) -> RetireAnswer:
        data = self.replacement.currentData()
        return RetireAnswer(data if isinstance(data, str) else None, self.note.text().strip())

    def choose(self, sector_id: str | None) -> None:
        last = self.replacement.count() - 1
        index = last if sector_id is None else self.replacement.findData(sector_id)
        self.replacement.setCurrentIndex(index)


def ask_retirement(
    parent: QWidget, model: SectorTreeModel, node: SectorNode
) -> RetireAnswer | None:
    dialog = RetireDialog(model, node, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.answer() if accepted else None
    finally:
        dialog.deleteLater()
