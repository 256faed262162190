"""The offer at start: "You have N unsaved drafts from …: Restore / Discard / Later". Not modal:
the window stays usable, and Later (or closing it) leaves the drafts for another time."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from portfolio_app.services.drafts import Draft, pending_summary
from portfolio_app.ui.widgets.validation import MUTED_STYLE

MAX_LISTED = 8  # more would push the buttons off a small screen


class DraftsPrompt(QDialog):
    restore_chosen = Signal()
    discard_chosen = Signal()

    def __init__(self, drafts: Sequence[Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unsaved drafts")
        self.setAccessibleName("Unsaved drafts")
        self.setModal(False)

        self.summary = QLabel(pending_summary(drafts), self)
        self.summary.setAccessibleName("Drafts summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        lines = [f"• {d.describe()}" for d in drafts[:MAX_LISTED]]
        if len(drafts) > MAX_LISTED:
            lines.append(f"… and {len(drafts) - MAX_LISTED} more")
        self.listing = QLabel("\n".join(lines), self)
        self.listing.setAccessibleName("Drafts")
        self.listing.setWordWrap(True)
        self.listing.setTextFormat(Qt.TextFormat.PlainText)
        note = QLabel(
            "They were kept while you typed, and Portfolio closed before they were saved. "
            "Restore opens each one to save or discard; Later keeps them for another time.",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet(MUTED_STYLE)

        self.buttons = QDialogButtonBox(self)
        self.restore_button = self._button("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = self._button("Discard", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.later_button = self._button("Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        self.restore_button.setToolTip("Open each draft in its dialog")
        self.discard_button.setToolTip("Delete the drafts (you are asked first)")
        self.later_button.setToolTip("Keep the drafts; they are offered again next time")
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self.discard_chosen)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.listing)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        # Narrower, the bold summary broke mid-date ("from 3 Dec" / "13:24") over two lines.
        self.setMinimumWidth(440)
        self.resize(440, layout.totalHeightForWidth(440))  # no gaps from a narrower layout

    def _button(self, text: str, role: QDialogButtonBox.ButtonRole) -> QPushButton:
        button = self.buttons.addButton(text, role)
        button.setAccessibleName(text)
        return button

    def _restore(self) -> None:
        self.accept()
        self.restore_chosen.emit()
