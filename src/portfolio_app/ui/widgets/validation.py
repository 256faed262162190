"""Inline validation shared by the edit dialogs: red messages under fields, and a Save button that
stays disabled (with a tooltip saying why) while the form breaks a rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.validation import FieldError
from portfolio_app.ui.colours import ERROR, text_style
from portfolio_app.ui.prompts import Prompts

MUTED_STYLE = "color: palette(placeholder-text);"


def error_style() -> str:
    """Error text: dark red on light palettes (6:1 on white, readable printed grey), light
    red on dark ones (ui/colours.py)."""
    return text_style(ERROR)


DATE_FORMAT = "d MMM yyyy"  # "3 Mar 2024": unambiguous for UK readers


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def describe(error: FieldError, label: str) -> str:
    """A sentence for one error: 'Title is required', 'The end date is before the start date'."""
    message = error.message.strip()
    if message.startswith("is ") or message.startswith("are "):
        return f"{label} {message}"
    if error.field.startswith("role "):
        return f"{error.field.capitalize()}: {message}"
    return message[:1].upper() + message[1:]


class ErrorLabel(QLabel):
    """A red message under a field; hidden while the field is fine."""

    def __init__(self, field_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(f"{field_label} error")
        self.setWordWrap(True)
        self.setStyleSheet(error_style())
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def stacked(*widgets: QWidget) -> QWidget:
    """Stack widgets tightly (a field and the notes under it), for one row of a form layout."""
    box = QWidget(widgets[0].parentWidget())
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def with_error(field: QWidget, error: ErrorLabel, *notes: QWidget) -> QWidget:
    """A field with its error label (and any notes) under it."""
    return stacked(field, error, *notes)


@dataclass
class _Field:
    label: str
    error: ErrorLabel
    focus: QWidget | None


class ValidatedDialog(QDialog):
    """Base of the edit dialogs. Subclasses register their fields, implement `field_errors`, and
    call `touch(key)` when the user edits a field. Errors of fields the user has not touched yet
    are not shouted in red; they are listed quietly next to the disabled Save button instead."""

    def __init__(
        self, title: str, parent: QWidget | None = None, prompts: Prompts | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompts = prompts or Prompts()
        self._fields: dict[str, _Field] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self._messages: list[str] = []

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.setToolTip("Close without saving (Esc)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._save_text = QKeySequence(QKeySequence.StandardKey.Save).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.accept)

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Save status")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(MUTED_STYLE)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

    # -- building ---------------------------------------------------------------------------

    def button_row(self) -> QWidget:
        """The bottom row: why Save is disabled (if it is), then Save and Cancel."""
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignBottom)
        return row

    def register_field(self, key: str, label: str, focus: QWidget | None = None) -> ErrorLabel:
        """Declare a field that errors can be reported against; returns its error label."""
        error = ErrorLabel(label, self)
        self._fields[key] = _Field(label, error, focus)
        return error

    # -- validating ---------------------------------------------------------------------------

    def field_errors(self) -> list[FieldError]:
        """Every rule the current input breaks (domain validators plus the form's own)."""
        raise NotImplementedError

    def field_warnings(self) -> list[FieldError]:
        """Input that is allowed but probably a slip (a date years ahead): Save asks first."""
        return []

    def field_key(self, error_field: str) -> str:
        """Which registered field an error belongs to (override to group e.g. 'role 2')."""
        return error_field

    def touch(self, *keys: str) -> None:
        """The user edited these fields: their errors may now be shown in red."""
        self._touched.update(keys)
        self.revalidate()

    def show_all_errors(self) -> None:
        self._show_all = True
        self.revalidate()

    def revalidate(self) -> None:
        errors = self.field_errors()
        inline: dict[str, list[str]] = {}
        quiet: list[str] = []
        messages: list[str] = []
        for error in errors:
            key = self.field_key(error.field)
            field = self._fields.get(key)
            text = describe(error, field.label if field else error.field.capitalize())
            messages.append(text)
            if field is not None and (self._show_all or key in self._touched):
                inline.setdefault(key, []).append(text)
            else:
                quiet.append(text)
        for key, field in self._fields.items():
            field.error.show_message("\n".join(inline.get(key, [])))
        self._messages = messages
        self.save_button.setEnabled(not messages)
        self.save_button.setToolTip(
            "; ".join(messages) if messages else f"Save ({self._save_text})"
        )
        self.status_label.setText(f"Before saving: {'; '.join(quiet)}" if quiet else "")

    def error_messages(self) -> list[str]:
        """The reasons Save is disabled, as shown in its tooltip."""
        return list(self._messages)

    def is_valid(self) -> bool:
        return not self.field_errors()

    def accept(self) -> None:
        """Close with Save only when the input is valid and any unusual value is confirmed;
        otherwise point at the first problem."""
        errors = self.field_errors()
        if errors:
            self.show_all_errors()
            self._focus(errors[0])
            return
        warnings = self.field_warnings()
        if warnings:
            lines = [f"{self._label_of(w)}: {w.message}" for w in warnings]
            text = "\n".join(f"• {line}" for line in lines) + "\n\nSave it as it is?"
            if not self.prompts.confirm(self, "Check the dates", text, "Save"):
                self._focus(warnings[0])
                return
        super().accept()

    def _label_of(self, error: FieldError) -> str:
        field = self._fields.get(self.field_key(error.field))
        return field.label if field else error.field.capitalize()

    def _focus(self, error: FieldError) -> None:
        field = self._fields.get(self.field_key(error.field))
        if field is not None and field.focus is not None:
            field.focus.setFocus(Qt.FocusReason.OtherFocusReason)
