"""Ask before deleting, saying what goes and what else changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget


def _exec_box(box: QMessageBox) -> None:
    box.exec()


# Replaceable in tests (a function that clicks a button instead of waiting for a person).
run_box: Callable[[QMessageBox], None] = _exec_box


def build_delete_box(
    parent: QWidget | None, what: str, consequences: str, *, undoable: bool = True
) -> QMessageBox:
    """The question box: 'Delete the contact “Siân Evans”?' plus what else changes; Cancel is
    the default (Enter or Esc does not delete anything)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Delete?")
    box.setText(f"Delete {what}?")
    details = [consequences.strip()] if consequences.strip() else []
    if undoable:
        undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        details.append(f"You can undo this with {undo}.")
    box.setInformativeText(" ".join(details))
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    delete.setAccessibleName("Delete")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAccessibleName(f"Delete {what}?")
    return box


def confirm_delete(parent: QWidget | None, what: str, consequences: str) -> bool:
    """True when the user chose Delete. `what` names the record ('the contact “Siân Evans”');
    `consequences` says what else changes ('They are linked to 12 activities, ...')."""
    box = build_delete_box(parent, what, consequences)
    run_box(box)
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.DestructiveRole
