"""The erasure preview: everything that erasing a contact changes, then Delete or Cancel, with
the choice to delete the older backups that still hold them. The wording is the service's
(`ErasurePreview.sections`), so the dialog and the CLI say the same."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.services.contact_erasure import ErasurePreview, Section

# A screen reader's name for each list of the preview.
SECTION_NAMES = {
    "roles": "Roles removed",
    "activities": "Activities that will no longer list them",
    "mentions": "Your own text that names them",
    "backups": "Older backups that hold them",
    "unreadable": "Files in the backups folder that cannot be checked",
}
_VISIBLE_ROWS = 6


class ContactErasureDialog(QDialog):
    """Delete (accept) erases; Cancel, the default, changes nothing."""

    def __init__(self, preview: ErasurePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        name = preview.contact.name
        self.setWindowTitle(f"Erase “{name}” everywhere")
        self.setAccessibleName("Erase contact everywhere")

        self.headline = QLabel(preview.headline(), self)
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("What erasing does")

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.lists: dict[str, QListWidget] = {}
        sections = preview.sections()
        for section in sections:
            self._add_section(content, content_layout, section)
        if not sections:
            nothing = QLabel("Nothing else in your log is linked to them.", content)
            nothing.setAccessibleName("Nothing else is linked")
            content_layout.addWidget(nothing)
        content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setAccessibleName("What changes")

        holding = len(preview.backups.holding)
        self.prune_box = QCheckBox(
            f"Also delete the {holding} older backup{'s' if holding != 1 else ''} "
            f"that still hold{'s' if holding == 1 else ''} them",
            self,
        )
        self.prune_box.setAccessibleName("Also delete the older backups that hold them")
        self.prune_box.setVisible(holding > 0)
        self._can_prune = holding > 0

        buttons = QDialogButtonBox(self)
        self.delete_button = buttons.addButton("Delete", QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button.setAccessibleName("Delete")
        self.delete_button.setAutoDefault(False)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setDefault(True)  # Enter does not erase anything
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.prune_box)
        layout.addWidget(buttons)  # outside the scroll area: always in reach
        self._fit_screen()
        self.cancel_button.setFocus()

    def _add_section(self, content: QWidget, layout: QVBoxLayout, section: Section) -> None:
        heading = QLabel(section.heading, content)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        items = QListWidget(content)
        items.addItems(list(section.items))
        items.setAccessibleName(SECTION_NAMES.get(section.key, section.heading))
        items.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        row = max(items.sizeHintForRow(0), self.fontMetrics().height() + 4)
        items.setMaximumHeight(row * min(len(section.items), _VISIBLE_ROWS) + 8)
        heading.setBuddy(items)
        layout.addWidget(heading)
        layout.addWidget(items)
        self.lists[section.key] = items

    def _fit_screen(self) -> None:
        """Start at a size that fits the screen (a 1366×768 laptop at 150 % included)."""
        width, height = 640, 520
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)

    def prune_backups(self) -> bool:
        """Whether the user chose to delete the older backups that hold the contact too."""
        return self._can_prune and self.prune_box.isChecked()
