"""A date field people can type into: '15 Mar 2026', '15/03/2026', '2026-03-15', 'today'.

It replaces QDateEdit, whose sections keep the old month when a two-digit day is typed (so
"15 Mar 2026" became 15 Dec 2026). The text is read by the domain's `parse_date` only; what it
understood is shown beside it as the user types, and text it cannot read is refused, never
turned into another date. A calendar pops up from the button, Alt+Down or F4.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.dates import DateParseError, describe_date, format_date, parse_date
from portfolio_app.ui.colours import ERROR
from portfolio_app.ui.widgets.validation import MUTED_STYLE, error_style, to_date, to_qdate

# `DateField.date` (the method) hides the type inside the class body; annotations there use Day.
Day = date

REQUIRED_MESSAGE = "is required"  # reads "Start date is required" in a dialog's messages
HINT = (
    "Type a date: 15 Mar 2026, 15/03/2026, 2026-03-15, today or yesterday "
    "(Alt+Down or F4 opens a calendar)"
)


class DateField(QWidget):
    """A line edit, a calendar button and a label saying what the text means.

    `date()` is the date typed, or None when the field is empty or unreadable (check
    `is_valid()`); an optional field may be empty, a required one may not. The edit carries the
    accessible name, so screen readers announce the field by the name given here."""

    dateChanged = Signal(object)  # date | None, whenever date() changes
    validityChanged = Signal(bool)

    def __init__(
        self,
        name: str,
        parent: QWidget | None = None,
        *,
        value: date | None = None,
        optional: bool = False,
        today: date | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.optional = optional
        self._today = today
        self._date: date | None = None
        self._error = ""
        self._popup: _CalendarPopup | None = None

        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setPlaceholderText("optional" if optional else "e.g. 15 Mar 2026")
        self._compact = compact
        self.edit.setToolTip(HINT)
        self.edit.setMinimumWidth(110)
        self.edit.setMaximumWidth(160)
        self.edit.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setAccessibleName(f"{name}: choose from a calendar")
        self.button.setToolTip("Choose from a calendar (Alt+Down or F4)")
        # Keyboard users open the calendar with Alt+Down or F4; Tab goes from field to field.
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.understood = QLabel(self)
        self.understood.setAccessibleName(f"{name} as understood")
        self.understood.setTextFormat(Qt.TextFormat.PlainText)
        self.understood.setVisible(not compact)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addWidget(self.understood, 1)
        self.setFocusProxy(self.edit)

        self.edit.textChanged.connect(self._on_text_changed)
        self.button.clicked.connect(self.show_calendar)
        if value is not None:
            self.edit.setText(format_date(value))
        self._on_text_changed(self.edit.text())

    # -- value --------------------------------------------------------------------------------

    def date(self) -> date | None:
        return self._date

    def setDate(self, value: Day | QDate | None) -> None:
        """Show `value` as text ('15 Mar 2026', which reads back as the same day)."""
        if isinstance(value, QDate):
            value = to_date(value) if value.isValid() else None
        self.edit.setText("" if value is None else format_date(value))

    def clear(self) -> None:
        self.edit.clear()

    def text(self) -> str:
        return self.edit.text()

    def is_valid(self) -> bool:
        return not self._error

    def error(self) -> str:
        """Why the text is refused ('' while it is fine), for the dialog's messages."""
        return self._error

    def _on_text_changed(self, text: str) -> None:
        was_valid, old = self.is_valid(), self._date
        self._date, self._error = self._read(text)
        if self._date is not None:
            self.understood.setText(describe_date(self._date))
            self.understood.setStyleSheet(MUTED_STYLE)
        elif self._error and text.strip():
            self.understood.setText("Not a date")
            self.understood.setStyleSheet(error_style())
        else:
            self.understood.setText("Not set" if self.optional else "")
            self.understood.setStyleSheet(MUTED_STYLE)
        invalid = f"QLineEdit {{ border: 1px solid {ERROR.on()}; }}"  # the error red, as the text
        self.edit.setStyleSheet(invalid if self._error and text.strip() else "")
        self.edit.setAccessibleDescription(self._error or self.understood.text())
        if self._compact:  # no room for the label: the tooltip says what was understood
            said = self._error if text.strip() else ""
            said = said or self.understood.text()
            self.edit.setToolTip(f"{said}\n{HINT}" if said else HINT)
        if self._date != old:
            self.dateChanged.emit(self._date)
        if self.is_valid() != was_valid:
            self.validityChanged.emit(self.is_valid())

    def _read(self, text: str) -> tuple[Day | None, str]:
        if not text.strip():
            return None, "" if self.optional else REQUIRED_MESSAGE
        try:
            return parse_date(text, today=self._today or date.today()), ""
        except DateParseError as error:
            return None, str(error)

    # -- calendar -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt_down = event.key() == Qt.Key.Key_Down and bool(
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.show_calendar()
                return True
        return super().eventFilter(watched, event)

    def calendar(self) -> QCalendarWidget | None:
        """The popup's calendar, once it has been opened."""
        return self._popup.calendar if self._popup is not None else None

    def calendar_is_open(self) -> bool:
        return self._popup is not None and self._popup.isVisible()

    def show_calendar(self) -> None:
        if not self.isEnabled():
            return
        if self._popup is None:  # built on first use: most fields never open one
            self._popup = _CalendarPopup(self)
            self._popup.picked.connect(self._on_picked)
        start = self._date or self._today or date.today()
        self._popup.calendar.setSelectedDate(to_qdate(start))
        self._popup.adjustSize()
        self._popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self._popup.show()
        self._popup.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _on_picked(self, value: QDate) -> None:
        assert self._popup is not None
        self._popup.hide()
        self.setDate(value)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)


class _CalendarPopup(QWidget):
    """The calendar in a popup window: Enter or a click picks a day, Esc closes it."""

    picked = Signal(QDate)

    def __init__(self, field: DateField) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName(f"{field.name} calendar")
        self.calendar.setGridVisible(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self.picked)
        self.calendar.activated.connect(self.picked)
