"""Create or edit an organisation: its name, its sector and the other names people use for it.

The likely-duplicate warning asks the database as the name is typed (one indexed query: the
exact name, or another organisation's alias; services/pickers.py), so the dialog reads no other
organisation when it opens."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from portfolio_app.domain.records import Organisation
from portfolio_app.domain.validation import FieldError, InvalidInput, organisation_errors
from portfolio_app.services import AppServices
from portfolio_app.services.pickers import OrganisationFinder
from portfolio_app.ui.widgets.sector_picker import SectorPicker
from portfolio_app.ui.widgets.validation import MUTED_STYLE, ValidatedDialog, with_error


def split_aliases(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.strip() for a in text.split(";") if a.strip()))


class OrganisationDialog(ValidatedDialog):
    """Never writes to the database: the caller saves `value()` (through an undo command)."""

    def __init__(
        self,
        services: AppServices,
        organisation: Organisation | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit organisation" if organisation else "New organisation", parent)
        self._original = organisation
        self._taxonomy = services.taxonomy
        # Other organisations' names, to warn (not block) about a likely duplicate.
        self._finder = OrganisationFinder(services.db, services.taxonomy)
        self._own_id = organisation.id if organisation else None
        self._checked_name: tuple[str, str | None] | None = None  # (typed, same name found)

        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("e.g. Northshire Council")
        name_error = self.register_field("name", "Name", self.name_edit)
        self.duplicate_note = QLabel(self)
        self.duplicate_note.setAccessibleName("Duplicate warning")
        self.duplicate_note.setStyleSheet(MUTED_STYLE)
        self.duplicate_note.setWordWrap(True)
        self.duplicate_note.hide()

        self.sector_picker = SectorPicker(services.taxonomy, multi=False, parent=self)
        sector_error = self.register_field("sector", "Sector", self.sector_picker)

        self.aliases_edit = QLineEdit(self)
        self.aliases_edit.setAccessibleName("Other names")
        self.aliases_edit.setPlaceholderText("e.g. NC; Northshire CC")
        self.aliases_edit.setToolTip(
            "Abbreviations or former names, separated by semicolons. Imports and searches "
            "recognise the organisation by any of them."
        )

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label("&Name:", self.name_edit),
            with_error(self.name_edit, name_error, self.duplicate_note),
        )
        form.addRow(
            self._label("&Sector:", self.sector_picker.search),
            with_error(self.sector_picker, sector_error),
        )
        form.addRow(self._label("&Other names:", self.aliases_edit), self.aliases_edit)
        hint = QLabel("Separate other names with semicolons.", self)
        hint.setStyleSheet(MUTED_STYLE)
        form.addRow("", hint)

        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.button_row())
        self.resize(520, 520)

        if organisation is not None:
            self.name_edit.setText(organisation.name)
            self.sector_picker.set_selected([organisation.sector_id])
            self.aliases_edit.setText("; ".join(organisation.aliases))
            self.show_all_errors()

        self.name_edit.textChanged.connect(lambda _text: self.touch("name"))
        self.sector_picker.selectionChanged.connect(lambda: self.touch("sector"))
        self.aliases_edit.textChanged.connect(lambda _text: self.revalidate())
        self.name_edit.setFocus()
        self.revalidate()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _draft(self) -> Organisation:
        sectors = self.sector_picker.selected_ids()
        return Organisation(
            name=self.name_edit.text().strip(),
            sector_id=sectors[0] if sectors else "",
            aliases=split_aliases(self.aliases_edit.text()),
            id=self._original.id if self._original else None,
        )

    def field_errors(self) -> list[FieldError]:
        draft = self._draft()
        errors = organisation_errors(replace(draft, name=self.name_edit.text()))
        if draft.sector_id and draft.sector_id not in self._taxonomy:
            errors.append(FieldError("sector", f"unknown sector {draft.sector_id!r}"))
        return errors

    def revalidate(self) -> None:
        super().revalidate()
        same = self._same_name(self.name_edit.text())
        self.duplicate_note.setText(
            f"You already have an organisation called “{same}”." if same else ""
        )
        self.duplicate_note.setVisible(bool(same))

    def _same_name(self, typed: str) -> str | None:
        """Another organisation's name that `typed` repeats (asked once per name typed: the
        other fields revalidate too)."""
        if self._checked_name is None or self._checked_name[0] != typed:
            self._checked_name = (typed, self._finder.same_name(typed, self._own_id))
        return self._checked_name[1]

    def value(self) -> Organisation:
        """The organisation as entered (with its id when editing). Raises InvalidInput."""
        errors = self.field_errors()
        if errors:
            raise InvalidInput(errors)
        return self._draft()
