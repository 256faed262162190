"""The forms beside the tree: the taxonomy's own fields, and the selected sector's fields.

Typing changes the document at once (so problems update live), through the model's undoable
edits; keystrokes in one field merge into one undo step until the cursor leaves the field.
A field is only rewritten from the model when its value differs, so typing is never disturbed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from portfolio_app.ui.taxonomy_editor.draft import SectorNode, parse_aliases
from portfolio_app.ui.taxonomy_editor.tree_model import SectorTreeModel

# Asked for a colour: (parent widget, current colour) → the chosen colour, or None for Cancel.
ColourPrompt = Callable[[QWidget, QColor], QColor | None]
MUTED_STYLE = "color: palette(placeholder-text);"


def ask_colour(parent: QWidget, current: QColor) -> QColor | None:
    colour = QColorDialog.getColor(current, parent, "Sector colour")
    return colour if colour.isValid() else None


class HeaderForm(QGroupBox):
    """Id, title, version, publisher and date of the taxonomy itself."""

    FIELDS = (
        ("id", "Taxonomy &id:", "Lower-case letters, digits and hyphens, e.g. northshire-ics"),
        ("title", "&Title:", "Shown to staff in Settings → Taxonomy"),
        ("version", "&Version:", "e.g. 2026.1; retirements record the version they happen in"),
        ("publisher", "&Publisher:", "Your organisation, e.g. Northshire ICS HR"),
        ("date", "&Date:", "YYYY-MM-DD, e.g. 2026-04-01"),
    )

    def __init__(self, model: SectorTreeModel, parent: QWidget | None = None) -> None:
        super().__init__("Taxonomy", parent)
        self.model = model
        self.setAccessibleName("Taxonomy details")
        layout = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for name, label, hint in self.FIELDS:
            edit = QLineEdit(self)
            plain = label.replace("&", "").rstrip(":")
            edit.setAccessibleName(plain)
            edit.setToolTip(hint)
            edit.setPlaceholderText(hint if name in ("date", "publisher") else "")
            edit.textEdited.connect(
                lambda text, n=name: self.model.set_header_field(n, text, merge=True)
            )
            edit.editingFinished.connect(self.model.new_session)
            layout.addRow(label, edit)
            self.edits[name] = edit
        model.header_changed.connect(self.refresh)
        model.modelReset.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: Any) -> None:
        for name, edit in self.edits.items():
            value = self.model.draft.header.get(name, "")
            if edit.text() != value:
                edit.setText(value)

    def focus_field(self, name: str) -> None:
        edit = self.edits.get(name)
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            edit.selectAll()


class SectorDetails(QGroupBox):
    """Every field of the selected sector. The id is read-only once it has been saved."""

    def __init__(
        self,
        model: SectorTreeModel,
        choose_colour: ColourPrompt | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Selected sector", parent)
        self.model = model
        self.choose_colour = choose_colour or ask_colour
        self.node: SectorNode | None = None
        self._loading = False
        self.setAccessibleName("Selected sector")

        self.place_label = QLabel(self)
        self.place_label.setAccessibleName("Place in the tree")
        self.place_label.setWordWrap(True)
        self.place_label.setStyleSheet(MUTED_STYLE)
        self.label_edit = self._line_edit(
            "Label", "The name staff see, e.g. Integrated care boards"
        )
        self.id_edit = self._line_edit("Id", "")
        self.id_note = QLabel(self)
        self.id_note.setAccessibleName("About the id")
        self.id_note.setWordWrap(True)
        self.id_note.setStyleSheet(MUTED_STYLE)
        self.aliases_edit = self._line_edit(
            "Aliases", "Other names people type, separated by ; e.g. ICB; ICS"
        )
        self.aliases_edit.setPlaceholderText("e.g. ICB; ICS; integrated care system")
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(64)
        self.colour_swatch = QLabel(self)
        self.colour_swatch.setAccessibleName("Colour sample")
        self.colour_swatch.setFixedSize(22, 22)
        self.colour_edit = self._line_edit("Colour", "# and six hex digits, e.g. #1f77b4")
        self.colour_edit.setPlaceholderText("#1f77b4")
        self.colour_edit.setMaximumWidth(110)
        self.colour_button = QPushButton("C&hoose…", self)
        self.colour_button.setAccessibleName("Choose colour")
        self.colour_button.setToolTip("Pick the colour used for this sector in charts")
        self.order_spin = QSpinBox(self)
        self.order_spin.setAccessibleName("Display order")
        self.order_spin.setRange(-1_000_000, 1_000_000)
        self.order_spin.setSingleStep(10)
        self.order_spin.setKeyboardTracking(False)  # re-sort the tree when typing is done
        self.order_spin.setToolTip(
            "Smaller first among sectors at the same level. Moving a sector rewrites these."
        )

        colour_row = QHBoxLayout()
        colour_row.setContentsMargins(0, 0, 0, 0)
        colour_row.addWidget(self.colour_swatch)
        colour_row.addWidget(self.colour_edit)
        colour_row.addWidget(self.colour_button)
        colour_row.addStretch(1)

        layout = QFormLayout(self)
        layout.addRow("", self.place_label)
        layout.addRow("&Label:", self.label_edit)
        layout.addRow("I&d:", self.id_edit)
        layout.addRow("", self.id_note)
        layout.addRow("&Aliases:", self.aliases_edit)
        layout.addRow("D&escription:", self.description_edit)
        colour_label = QLabel("&Colour:", self)
        colour_label.setBuddy(self.colour_edit)
        layout.addRow(colour_label, colour_row)
        layout.addRow("Display &order:", self.order_spin)

        self.label_edit.textEdited.connect(lambda t: self._set({"label": t}))
        self.id_edit.textEdited.connect(lambda t: self._set({"id": t}))
        self.aliases_edit.textEdited.connect(lambda t: self._set({"aliases": parse_aliases(t)}))
        self.description_edit.textChanged.connect(
            lambda: self._set({"description": self.description_edit.toPlainText()})
        )
        self.colour_edit.textEdited.connect(lambda t: self._set({"colour": t.strip()}))
        self.colour_button.clicked.connect(self.pick_colour)
        self.order_spin.valueChanged.connect(lambda v: self._set({"order": v}, merge=False))
        model.changed.connect(self.refresh)
        self.set_node(None)

    def _line_edit(self, name: str, tip: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        if tip:
            edit.setToolTip(tip)
        edit.editingFinished.connect(self.model.new_session)
        return edit

    def _set(self, values: dict[str, Any], *, merge: bool = True) -> None:
        if self._loading or self.node is None:
            return
        self.model.set_sector_fields(self.node, values, merge=merge)

    def set_node(self, node: SectorNode | None) -> None:
        if node is not self.node:
            self.model.new_session()
        self.node = node
        self.setEnabled(node is not None)
        self.setTitle("Selected sector" if node else "Selected sector: none (select one)")
        self.refresh()

    def refresh(self) -> None:
        node = self.node
        if node is not None and self.model.node(node.uid) is None:
            node = self.node = None  # retired or deleted (e.g. by undo)
            self.setEnabled(False)
        self._loading = True
        try:
            if node is None:
                for edit in (self.label_edit, self.id_edit, self.aliases_edit, self.colour_edit):
                    edit.clear()
                self.description_edit.clear()
                self.place_label.clear()
                self.id_note.clear()
                self.order_spin.setValue(0)
                self._show_swatch("")
                return
            self._sync(self.label_edit, node.label, node.label)
            self._sync(self.id_edit, node.id, node.id)
            self._sync(self.aliases_edit, "; ".join(node.aliases), node.aliases, parse_aliases)
            if self.description_edit.toPlainText() != node.description:
                self.description_edit.setPlainText(node.description)
            self._sync(self.colour_edit, node.colour, node.colour, str.strip)
            if self.order_spin.value() != node.order:
                self.order_spin.setValue(node.order)
            self._show_swatch(node.colour)
            self.id_edit.setReadOnly(node.saved)
            if node.saved:
                self.id_note.setText(
                    "The id cannot change: it has been saved, and people's data refers to it. "
                    "To replace the sector, retire it and add a new one."
                )
            elif node.auto_id:
                self.id_note.setText("Made from the label until you type an id of your own.")
            else:
                self.id_note.setText("Lower-case letters, digits and hyphens. Fixed once saved.")
            self.id_edit.setToolTip(self.id_note.text())
            parents = [a.label.strip() or a.id for a in reversed(list(node.ancestors()))]
            self.place_label.setText(
                "Under " + " → ".join(parents) if parents else "A top-level sector"
            )
        finally:
            self._loading = False

    @staticmethod
    def _sync(
        edit: QLineEdit, text: str, value: object, parse: Callable[[str], object] | None = None
    ) -> None:
        current = edit.text()
        if (parse(current) if parse else current) != value:
            edit.setText(text)

    def _show_swatch(self, colour: str) -> None:
        if QColor.isValidColorName(colour) and colour.startswith("#"):
            self.colour_swatch.setStyleSheet(
                f"background: {colour}; border: 1px solid palette(mid); border-radius: 3px;"
            )
            self.colour_swatch.setToolTip(colour)
        else:
            self.colour_swatch.setStyleSheet("border: 1px dashed palette(mid); border-radius: 3px;")
            self.colour_swatch.setToolTip("Not a colour yet")

    def pick_colour(self) -> None:
        if self.node is None:
            return
        current = QColor(self.node.colour) if QColor.isValidColorName(self.node.colour) else None
        chosen = self.choose_colour(self, current or QColor("#808080"))
        if chosen is not None and chosen.isValid():
            self.model.new_session()
            self._set({"colour": chosen.name()}, merge=False)

    def focus_field(self, name: str | None) -> None:
        widgets: dict[str | None, QWidget] = {
            "id": self.id_edit,
            "label": self.label_edit,
            "aliases": self.aliases_edit,
            "description": self.description_edit,
            "colour": self.colour_edit,
            "order": self.order_spin,
        }
        widget = widgets.get(name, self.label_edit)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()
