"""Pickers that ask the database as you type, instead of listing every record when they open.

`CheckableFilterList`: a search box above a list of check boxes (several records: an activity's
organisations and contacts) and a line saying what is ticked. The list holds only what the
search found (at most the finder's limit) plus nothing else; ticked records are remembered by id
with their labels, so a tick survives a search that hides it.

Keyboard, in the search box: type to search, Up/Down move through the results, Enter ticks (or
unticks) the highlighted result, Esc clears the search (a second Esc, on an empty box, closes the
dialog as usual). Space ticks in the list itself, as in any list of check boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.services.pickers import Choice, Finder
from portfolio_app.ui.widgets.validation import MUTED_STYLE

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckableFilterList(QWidget):
    """A search box above the matching records as check boxes, with a line saying what is
    ticked (ticked rows can be out of sight, so the choice is always spelled out)."""

    changed = Signal()

    def __init__(self, noun: str, finder: Finder, empty_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.finder = finder
        self._labels: dict[int, str] = {}  # every id seen: results and ticked records
        self._order: list[int] = []  # ticked ids, in the order they were ticked
        self._filling = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setAccessibleName(f"{noun} filter")
        self.filter_edit.setPlaceholderText(f"Search {noun.lower()}…")
        self.filter_edit.setToolTip(
            "Type any part of a name: Up and Down choose, Enter ticks, Esc clears"
        )
        self.filter_edit.setClearButtonEnabled(True)

        self.model = QStandardItemModel(self)
        self.view = QListView(self)
        self.view.setAccessibleName(noun)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.setMinimumHeight(90)

        self.summary = QLabel(self)
        self.summary.setAccessibleName(f"Chosen {noun.lower()}")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_note = QLabel(empty_text, self)
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet(MUTED_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.summary)
        self.setFocusProxy(self.filter_edit)

        self.filter_edit.textChanged.connect(self.search)
        self.filter_edit.installEventFilter(self)
        self.model.itemChanged.connect(self._on_item_changed)
        self.search("")
        empty = self.model.rowCount() == 0
        self.empty_note.setVisible(empty)
        self.filter_edit.setEnabled(not empty)
        self._update_summary()

    # -- searching ------------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Show the records matching `text` (the first ones, if nothing is typed)."""
        self._show(self.finder.find(text))

    def _show(self, choices: Sequence[Choice]) -> None:
        self._filling = True
        try:
            self.model.clear()
            for choice in choices:
                self._labels[choice.id] = choice.label
                item = QStandardItem(choice.label)
                item.setEditable(False)
                item.setCheckable(True)
                ticked = choice.id in self._order
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                item.setData(choice.id, ID_ROLE)
                if choice.tooltip:
                    item.setToolTip(choice.tooltip)
                self.model.appendRow(item)
        finally:
            self._filling = False
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._on_search_key(event.key()):
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _on_search_key(self, key: int) -> bool:
        """Handle a key typed in the search box; True when it was used here."""
        rows = self.model.rowCount()
        current = self.view.currentIndex().row()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and rows:
            step = 1 if key == Qt.Key.Key_Down else -1
            row = min(max(current + step, 0), rows - 1) if current >= 0 else 0
            self.view.setCurrentIndex(self.model.index(row, 0))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if current >= 0:
                item = self.model.item(current)
                checked = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
            return True  # Enter picks here; it never saves the dialog from the search box
        if key == Qt.Key.Key_Escape and self.filter_edit.text():
            self.filter_edit.clear()
            return True
        return False

    # -- ticks ----------------------------------------------------------------------------------

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._filling:
            return
        item_id = int(item.data(ID_ROLE))
        ticked = item.checkState() == Qt.CheckState.Checked
        if ticked and item_id not in self._order:
            self._order.append(item_id)
        elif not ticked and item_id in self._order:
            self._order.remove(item_id)
        else:
            return
        self._update_summary()
        self.changed.emit()

    def checked_ids(self) -> tuple[int, ...]:
        return tuple(self._order)

    def set_checked(self, ids: Sequence[int]) -> None:
        """Tick these (unknown ids, e.g. of deleted records, are dropped)."""
        before = list(self._order)
        wanted = list(dict.fromkeys(ids))
        unknown = [i for i in wanted if i not in self._labels]
        for choice in self.finder.by_ids(unknown):
            self._labels[choice.id] = choice.label
        self._order = [i for i in wanted if i in self._labels]  # the stored order
        self._filling = True
        try:
            for row in range(self.model.rowCount()):
                item = self.model.item(row)
                ticked = item.data(ID_ROLE) in self._order
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        self._update_summary()
        if self._order != before:
            self.changed.emit()

    def _update_summary(self) -> None:
        names = [self._labels[i].split(" — ")[0] for i in self._order]
        self.summary.setText(
            f"{len(names)} chosen: " + "; ".join(names) if names else "None chosen"
        )


class SearchableCombo(QWidget):
    """A search box beside a drop-down of one record (a lesson's linked activity, a role's
    organisation): the drop-down holds `none_label` (no record; with `none_label=None` there is
    no such line and nothing is chosen until something is), the chosen record and the records
    matching the search (the first ones when nothing is typed), never every record.

    Keyboard, in the search box: typing chooses the first match, Up/Down choose the previous or
    next match, Enter keeps the choice and emits `accepted` (it never saves the dialog from the
    search box), Esc clears the search and keeps the choice."""

    accepted = Signal()

    def __init__(
        self,
        noun: str,
        finder: Finder,
        none_label: str | None,
        parent: QWidget | None,
        *,
        word_of: str = "title",
    ) -> None:
        super().__init__(parent)
        self.finder = finder
        self.none_label = none_label
        self._names: dict[int, str] = {}  # the bare names of the records listed so far
        self.search_edit = QLineEdit(self)
        self.search_edit.setAccessibleName(f"{noun} search")
        self.search_edit.setPlaceholderText(f"Search by a word of its {word_of}…")
        self.search_edit.setToolTip(
            f"Type a word of its {word_of}: Up and Down choose, Esc clears the search"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(noun)
        if none_label is None:
            self.combo.setPlaceholderText(f"Choose {_article(noun)}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        layout.addWidget(self.combo, 3)
        self.setFocusProxy(self.search_edit)
        self.search_edit.textChanged.connect(self._on_search)
        self.search_edit.installEventFilter(self)
        self._fill(self.finder.find(""), keep=None)
        if none_label is None:
            self.combo.setCurrentIndex(-1)

    def name_of(self, record_id: int) -> str:
        """The bare name of a listed record ("" if it was never listed)."""
        return self._names.get(record_id, "")

    def current_id(self) -> int | None:
        data = self.combo.currentData()
        return data if isinstance(data, int) else None

    def choose(self, record_id: int | None) -> None:
        """Choose this record (read by id if it is not listed); an unknown id chooses none."""
        if record_id is not None and self.combo.findData(record_id) < 0:
            found = self.finder.by_ids([record_id])
            if found:
                self._names[found[0].id] = found[0].name
                self.combo.insertItem(self._first_record_row(), found[0].label, found[0].id)
        index = self.combo.findData(record_id) if record_id is not None else -1
        self.combo.setCurrentIndex(index if index >= 0 or self.none_label is None else 0)

    def _first_record_row(self) -> int:
        return 0 if self.none_label is None else 1

    def _fill(self, choices: Sequence[Choice], keep: Choice | None) -> None:
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            if self.none_label is not None:
                self.combo.addItem(self.none_label, None)
            if keep is not None and all(c.id != keep.id for c in choices):
                self.combo.addItem(keep.label, keep.id)
            for choice in choices:
                self._names[choice.id] = choice.name
                self.combo.addItem(choice.label, choice.id)
        finally:
            self.combo.blockSignals(False)

    def _on_search(self, text: str) -> None:
        before = self.current_id()
        keep = Choice(before, self.combo.currentText()) if before is not None else None
        choices = self.finder.find(text)
        self._fill(choices, keep)
        if text.strip() and choices:
            self.combo.setCurrentIndex(self.combo.findData(choices[0].id))
        else:
            index = self.combo.findData(before) if before is not None else -1
            self.combo.setCurrentIndex(index if index >= 0 or self.none_label is None else 0)
        if self.current_id() != before:
            self.combo.currentIndexChanged.emit(self.combo.currentIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            count = self.combo.count()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and count:
                step = 1 if key == Qt.Key.Key_Down else -1
                self.combo.setCurrentIndex(min(max(self.combo.currentIndex() + step, 0), count - 1))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accepted.emit()
                return True
            if key == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                return True
        return super().eventFilter(watched, event)


def _article(noun: str) -> str:
    """'an organisation', 'a contact': the placeholder of a drop-down with nothing chosen."""
    lower = noun.lower().split(" of ")[0]
    return ("an " if lower[:1] in "aeiou" else "a ") + lower
