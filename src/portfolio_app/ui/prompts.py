"""Every question the app asks the user goes through here, so tests can answer without a modal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget


class Prompts:
    """Real dialogs. Tests pass a subclass that answers at once."""

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
        return Path(name) if name else None

    def save_file(
        self, parent: QWidget, title: str, suggested: str, file_filter: str
    ) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return Path(name) if name else None

    def confirm(self, parent: QWidget, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        ok = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is ok

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def choose(self, parent: QWidget, title: str, text: str, options: list[str]) -> int | None:
        """Index of the option clicked, or None for Cancel."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.AcceptRole) for o in options]
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return next((i for i, b in enumerate(buttons) if b is clicked), None)

    def print_text(self, parent: QWidget, title: str, text: str) -> bool:
        """Print plain text through the system's print dialog; False if cancelled."""
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        document = QTextDocument()
        document.setPlainText(text)
        document.print_(printer)
        return True

    def show_dialog(self, dialog: QDialog) -> None:
        """Show a finished report; tests record it instead."""
        dialog.setModal(True)
        dialog.show()
