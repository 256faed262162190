"""Create or edit a contact: name, notes, and their dated roles in organisations, so a person's
history is kept when they move job.

The dialog never reads every organisation: it reads the names of the contact's own roles' ones
by id, and a role's organisation is picked in a search box that asks the database as you type
(ui/widgets/record_picker.py, services/pickers.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.dates import format_date
from portfolio_app.domain.records import Contact, ContactRole, Organisation
from portfolio_app.domain.validation import (
    FieldError,
    InvalidInput,
    contact_errors,
    date_warnings,
)
from portfolio_app.services import AppServices
from portfolio_app.services.pickers import OrganisationFinder
from portfolio_app.ui.colours import ERROR_ROW, UNCHOSEN
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.record_picker import SearchableCombo
from portfolio_app.ui.widgets.validation import (
    MUTED_STYLE,
    ValidatedDialog,
    to_date,
    to_qdate,
    with_error,
)

Index = QModelIndex | QPersistentModelIndex
ORGANISATION, JOB_TITLE, FROM, TO = range(4)
COLUMNS = ("Organisation", "Job title", "From", "To")
ORGANISATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class RoleDraft:
    """A row being edited: the organisation may not be chosen yet."""

    organisation_id: int | None = None
    job_title: str = ""
    start: date | None = None
    end: date | None = None


class ContactRolesModel(QAbstractTableModel):
    """The roles of one contact, editable in place. EditRole gives the organisation's id and
    dates as QDate (None when not set); DisplayRole gives what the table shows.

    `organisations`: the organisations the roles may name (their names by id, or the records);
    one picked later is made known with `know` before it is set."""

    rolesChanged = Signal()

    def __init__(
        self,
        organisations: Sequence[Organisation] | Mapping[int, str],
        roles: Sequence[ContactRole] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if isinstance(organisations, Mapping):
            self.organisation_names = dict(organisations)
        else:
            self.organisation_names = {o.id: o.name for o in organisations if o.id is not None}
        self._rows = [RoleDraft(r.organisation_id, r.job_title, r.start, r.end) for r in roles]
        self._error_rows: set[int] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ORGANISATION:
                if row.organisation_id is None:
                    return "Choose an organisation"
                return self.organisation_names.get(row.organisation_id, "(deleted organisation)")
            if column == JOB_TITLE:
                return row.job_title
            value = row.start if column == FROM else row.end
            return format_date(value) if value else ""
        if role == Qt.ItemDataRole.EditRole:
            if column == ORGANISATION:
                return row.organisation_id
            if column == JOB_TITLE:
                return row.job_title
            value = row.start if column == FROM else row.end
            return to_qdate(value) if value else None
        unchosen = column == ORGANISATION and row.organisation_id is None
        if role == Qt.ItemDataRole.ForegroundRole and unchosen:
            return QBrush(UNCHOSEN.colour())
        if role == Qt.ItemDataRole.FontRole and unchosen:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self._error_rows:
            return QBrush(ERROR_ROW.background.colour())
        if role == Qt.ItemDataRole.ToolTipRole and column in (FROM, TO):
            return "Double-click to type a date (e.g. 15/03/2026) or pick one; Delete clears it"
        if role == ORGANISATION_ID_ROLE:
            return row.organisation_id
        return None

    def know(self, organisation_id: int, name: str) -> None:
        """An organisation a role may now name (one just picked in the search)."""
        self.organisation_names[organisation_id] = name

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = self._rows[index.row()], index.column()
        if column == ORGANISATION:
            if value is not None and int(value) not in self.organisation_names:
                return False
            row.organisation_id = None if value is None else int(value)
        elif column == JOB_TITLE:
            row.job_title = str(value or "")
        else:
            day = to_date(value) if isinstance(value, QDate) and value.isValid() else None
            if isinstance(value, date):
                day = value
            if column == FROM:
                row.start = day
            else:
                row.end = day
        self.dataChanged.emit(index, index)
        self.rolesChanged.emit()
        return True

    # -- rows ---------------------------------------------------------------------------------

    def add_role(self, role: RoleDraft | None = None) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(role or RoleDraft())
        self.endInsertRows()
        self.rolesChanged.emit()
        return row

    def remove_role(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.rolesChanged.emit()

    def drafts(self) -> list[RoleDraft]:
        return [RoleDraft(r.organisation_id, r.job_title, r.start, r.end) for r in self._rows]

    def set_error_rows(self, rows: set[int]) -> None:
        """Tint the rows that break a rule (row numbers from 0)."""
        if rows == self._error_rows:
            return
        changed = rows ^ self._error_rows
        self._error_rows = set(rows)
        for row in changed:
            if 0 <= row < len(self._rows):
                self.dataChanged.emit(
                    self.index(row, 0),
                    self.index(row, len(COLUMNS) - 1),
                    [Qt.ItemDataRole.BackgroundRole],
                )


class RoleDelegate(QStyledItemDelegate):
    """Organisation: a search box beside a drop-down of the organisations matching it (asked as
    you type, never all of them); dates: a typed date with a calendar. A date that cannot be
    read is not stored; `refused` says why, so the dialog can tell."""

    refused = Signal(str)

    def __init__(self, finder: OrganisationFinder, parent: QObject | None = None):
        super().__init__(parent)
        self.finder = finder

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        name = f"{COLUMNS[column]} of role {index.row() + 1}"
        if column == ORGANISATION:
            picker = SearchableCombo(name, self.finder, None, parent, word_of="name")
            picker.setAutoFillBackground(True)  # the cell's text must not show through
            # Picking an organisation (or Enter in its search) is the whole edit: commit it.
            picker.combo.activated.connect(lambda _row, p=picker: self._commit_and_close(p))
            picker.accepted.connect(lambda p=picker: self._commit_and_close(p))
            return picker
        if column in (FROM, TO):
            editor = DateField(name, parent, optional=True, compact=True)
            editor.setAutoFillBackground(True)  # the cell's text must not show through
            return editor
        widget = super().createEditor(parent, option, index)
        widget.setAccessibleName(name)
        return widget

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, SearchableCombo):
            editor.choose(value if isinstance(value, int) else None)
        elif isinstance(editor, DateField):
            editor.setDate(value if isinstance(value, QDate) else None)
            editor.edit.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, SearchableCombo):
            chosen = editor.current_id()  # leaving the placeholder is not a choice
            if chosen is not None:
                if isinstance(model, ContactRolesModel):
                    model.know(chosen, editor.name_of(chosen))
                model.setData(index, chosen, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, DateField):
            if editor.is_valid():
                model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
            else:
                self.refused.emit(f"{editor.name}: {editor.error()}; the date was not changed")
        else:
            super().setModelData(editor, model, index)


class RolesTableView(QTableView):
    """Delete or Backspace on a date or job title clears it (an optional date needs a way back
    to 'not set')."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        clearable = index.isValid() and index.column() in (JOB_TITLE, FROM, TO)
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and clearable
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.model().setData(index, None, Qt.ItemDataRole.EditRole)
            return
        super().keyPressEvent(event)


def _role_number(field: str) -> int | None:
    """1 for 'role 1'; None for other fields."""
    prefix, _, number = field.partition(" ")
    return int(number) if prefix == "role" and number.isdigit() else None


def _field_order(error: FieldError) -> tuple[int, int]:
    """Report errors in the order the fields appear: name, roles (by row), notes."""
    number = _role_number(error.field)
    if number is not None:
        return 1, number
    return {"name": 0, "notes": 2}.get(error.field, 3), 0


class ContactDialog(ValidatedDialog):
    """Never writes to the database: the caller saves `value()` (through an undo command)."""

    def __init__(
        self,
        services: AppServices,
        contact: Contact | None = None,
        parent: QWidget | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__("Edit contact" if contact else "New contact", parent, prompts)
        self._original = contact
        finder = OrganisationFinder(services.db, services.taxonomy)
        own = [r.organisation_id for r in contact.roles] if contact else []
        organisations = {c.id: c.name for c in finder.by_ids(own)}

        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("e.g. Siân Evans")
        name_error = self.register_field("name", "Name", self.name_edit)

        self.roles_model = ContactRolesModel(organisations, contact.roles if contact else (), self)
        self.roles_view = RolesTableView(self)
        self.roles_view.setAccessibleName("Roles")
        self.roles_view.setAccessibleDescription(
            "Jobs this person has held. Dates are optional; leave To empty for a current job."
        )
        self.roles_view.setModel(self.roles_model)
        delegate = RoleDelegate(finder, self.roles_view)
        delegate.refused.connect(lambda text: self.prompts.error(self, "Date not understood", text))
        self.roles_view.setItemDelegate(delegate)
        self.roles_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.roles_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.roles_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.roles_view.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
        self.roles_view.verticalHeader().hide()
        header = self.roles_view.horizontalHeader()
        header.setSectionResizeMode(ORGANISATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(JOB_TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (FROM, TO):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.roles_view.setColumnWidth(column, 110)
        self.roles_view.setMinimumHeight(130)
        roles_error = self.register_field("roles", "Roles", self.roles_view)

        self.add_role_button = QPushButton("&Add role", self)
        self.add_role_button.setAccessibleName("Add role")
        self.add_role_button.setAutoDefault(False)
        self.remove_role_button = QPushButton("&Remove role", self)
        self.remove_role_button.setAccessibleName("Remove role")
        self.remove_role_button.setAutoDefault(False)
        if not organisations and not finder.any():
            self.add_role_button.setEnabled(False)
            self.add_role_button.setToolTip(
                "Add an organisation first, from the Organisations list"
            )
        roles_hint = QLabel(
            "Double-click a cell to change it; press Delete to clear a date. "
            "Leave To empty for a current job.",
            self,
        )
        roles_hint.setWordWrap(True)
        roles_hint.setStyleSheet(MUTED_STYLE)

        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("How you know them, what they can help with…")
        self.notes_edit.setMinimumHeight(70)
        notes_error = self.register_field("notes", "Notes", self.notes_edit)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_role_button)
        buttons.addWidget(self.remove_role_button)
        buttons.addStretch(1)
        roles_box = QWidget(self)
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        roles_layout.setSpacing(4)
        roles_layout.addWidget(self.roles_view, 1)
        roles_layout.addLayout(buttons)
        roles_layout.addWidget(roles_hint)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label("&Name:", self.name_edit), with_error(self.name_edit, name_error))
        form.addRow(self._label("Ro&les:", self.roles_view), with_error(roles_box, roles_error))
        form.addRow(
            self._label("N&otes:", self.notes_edit), with_error(self.notes_edit, notes_error)
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.button_row())
        self.resize(640, 480)

        if contact is not None:
            self.name_edit.setText(contact.name)
            self.notes_edit.setPlainText(contact.notes)
            self.show_all_errors()

        self.name_edit.textChanged.connect(lambda _text: self.touch("name"))
        self.notes_edit.textChanged.connect(lambda: self.touch("notes"))
        self.roles_model.rolesChanged.connect(lambda: self.touch("roles"))
        self.add_role_button.clicked.connect(self.add_role)
        self.remove_role_button.clicked.connect(self.remove_selected_role)
        self.roles_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.roles_model.rowsRemoved.connect(self._update_buttons)
        self.name_edit.setFocus()
        self._update_buttons()
        self.revalidate()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # -- roles --------------------------------------------------------------------------------

    def add_role(self) -> None:
        row = self.roles_model.add_role()
        index = self.roles_model.index(row, ORGANISATION)
        self.roles_view.setCurrentIndex(index)
        self.roles_view.setFocus()
        self.roles_view.edit(index)

    def remove_selected_role(self) -> None:
        rows = self.roles_view.selectionModel().selectedRows()
        if rows:
            self.roles_model.remove_role(rows[0].row())

    def _update_buttons(self) -> None:
        self.remove_role_button.setEnabled(bool(self.roles_view.selectionModel().selectedRows()))

    # -- value --------------------------------------------------------------------------------

    def field_key(self, error_field: str) -> str:
        return "roles" if error_field.startswith("role ") else error_field

    def _draft(self) -> Contact:
        roles = tuple(
            ContactRole(r.organisation_id or 0, r.job_title.strip(), r.start, r.end)
            for r in self.roles_model.drafts()
        )
        return Contact(
            name=self.name_edit.text().strip(),
            notes=self.notes_edit.toPlainText(),
            roles=roles,
            id=self._original.id if self._original else None,
        )

    def field_errors(self) -> list[FieldError]:
        errors: list[FieldError] = []
        for number, draft in enumerate(self.roles_model.drafts(), start=1):
            if draft.organisation_id is None:
                errors.append(FieldError(f"role {number}", "choose an organisation"))
            elif draft.organisation_id not in self.roles_model.organisation_names:
                errors.append(FieldError(f"role {number}", "the organisation no longer exists"))
        errors.extend(contact_errors(self._draft()))
        return sorted(errors, key=_field_order)

    def field_warnings(self) -> list[FieldError]:
        dates: dict[str, date | None] = {}
        for number, draft in enumerate(self.roles_model.drafts(), start=1):
            dates |= {f"role {number} from": draft.start, f"role {number} to": draft.end}
        return date_warnings(dates)

    def revalidate(self) -> None:
        super().revalidate()
        self.roles_model.set_error_rows(
            {n - 1 for n in (_role_number(e.field) for e in self.field_errors()) if n}
        )

    def value(self) -> Contact:
        """The contact as entered (with its id when editing). Raises InvalidInput."""
        errors = self.field_errors()
        if errors:
            raise InvalidInput(errors)
        return self._draft()
