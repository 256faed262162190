"""Create or edit a development goal: the sectors to reach, by when, whether it is done, and
whether it may appear in exported portfolios (private by default: notes can be personal)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal
from portfolio_app.domain.validation import FieldError, InvalidInput, date_warnings, goal_errors
from portfolio_app.services import AppServices
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.sector_picker import SectorPicker
from portfolio_app.ui.widgets.validation import MUTED_STYLE, ValidatedDialog, with_error

SHARING_NOTES = {
    Visibility.PRIVATE: "Private: only you see it, notes included; it is left out of anything "
    "you export.",
    Visibility.SHARED: "Shared: it and its notes can appear in the portfolios you export.",
}


def _year_ahead(today: date) -> date:
    """A new goal's target: a year ahead, the usual appraisal cycle."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


class GoalDialog(ValidatedDialog):
    """Never writes to the database: the caller saves `value()` (through an undo command)."""

    def __init__(
        self,
        services: AppServices,
        goal: Goal | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__("Edit goal" if goal else "New development goal", parent, prompts)
        self._original = goal
        self._taxonomy = services.taxonomy
        today = today or date.today()
        self._today = today

        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Goal")
        self.title_edit.setPlaceholderText("e.g. Understand how the police handle safeguarding")
        title_error = self.register_field("title", "Goal", self.title_edit)

        self.sector_picker = SectorPicker(services.taxonomy, multi=True, parent=self)
        self.sector_picker.search.setAccessibleName("Goal sectors search")
        self.sector_picker.tree.setAccessibleName("Goal sectors")
        sectors_error = self.register_field("sectors", "Sectors", self.sector_picker)
        progress_note = QLabel(
            "Progress is the mean coverage of these sectors in your breadth score.", self
        )
        progress_note.setWordWrap(True)
        progress_note.setStyleSheet(MUTED_STYLE)

        self.has_target = QCheckBox("By", self)
        self.has_target.setAccessibleName("Has a target date")
        self.has_target.setChecked(True)
        self.target_edit = DateField("Target date", self, value=_year_ahead(today), today=today)
        target_error = self.register_field("target", "Target date", self.target_edit)
        target_row = QHBoxLayout()
        target_row.setContentsMargins(0, 0, 0, 0)
        target_row.addWidget(self.has_target)
        target_row.addWidget(self.target_edit)
        target_row.addStretch(1)
        target_box = QWidget(self)
        target_box.setLayout(target_row)

        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("Why this matters, and first steps")
        self.notes_edit.setMinimumHeight(60)
        notes_error = self.register_field("notes", "Notes", self.notes_edit)

        self.achieved_check = QCheckBox("Achieved", self)
        self.achieved_check.setAccessibleName("Achieved")

        self.share_check = QCheckBox("Share in exported portfolios", self)
        self.share_check.setAccessibleName("Share in exported portfolios")
        self.share_check.setToolTip(
            "Goals agreed at an appraisal review are shared; others stay private until you "
            "share them."
        )
        self.sharing_note = QLabel(SHARING_NOTES[Visibility.PRIVATE], self)
        self.sharing_note.setAccessibleName("Sharing explanation")
        self.sharing_note.setWordWrap(True)
        self.sharing_note.setStyleSheet(MUTED_STYLE)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label("&Goal:", self.title_edit), with_error(self.title_edit, title_error)
        )
        form.addRow(
            self._label("&Sectors:", self.sector_picker.search),
            with_error(self.sector_picker, sectors_error, progress_note),
        )
        form.addRow(
            self._label("&Target date:", self.has_target), with_error(target_box, target_error)
        )
        form.addRow(
            self._label("&Notes:", self.notes_edit), with_error(self.notes_edit, notes_error)
        )
        form.addRow("", self.achieved_check)
        form.addRow("", self.share_check)
        form.addRow("", self.sharing_note)

        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.button_row())
        self.resize(560, 580)

        if goal is not None:
            self.title_edit.setText(goal.title)
            self.sector_picker.set_selected(goal.sector_ids)
            self.has_target.setChecked(goal.target_date is not None)
            if goal.target_date is not None:
                self.target_edit.setDate(goal.target_date)
            self.notes_edit.setPlainText(goal.notes)
            self.achieved_check.setChecked(goal.achieved)
            self.share_check.setChecked(goal.visibility is Visibility.SHARED)
            self.show_all_errors()
        self._show_sharing()
        self.target_edit.setEnabled(self.has_target.isChecked())

        self.title_edit.textChanged.connect(lambda _text: self.touch("title"))
        self.sector_picker.selectionChanged.connect(lambda: self.touch("sectors"))
        self.notes_edit.textChanged.connect(lambda: self.touch("notes"))
        self.has_target.toggled.connect(self.target_edit.setEnabled)
        self.has_target.toggled.connect(lambda _on: self.touch("target"))
        self.target_edit.edit.textChanged.connect(lambda _text: self.touch("target"))
        self.share_check.toggled.connect(lambda _on: self._show_sharing())
        self.title_edit.setFocus()
        self.revalidate()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _visibility(self) -> Visibility:
        return Visibility.SHARED if self.share_check.isChecked() else Visibility.PRIVATE

    def _show_sharing(self) -> None:
        self.sharing_note.setText(SHARING_NOTES[self._visibility()])

    def _draft(self) -> Goal:
        original = self._original
        return Goal(
            title=self.title_edit.text(),
            sector_ids=tuple(self.sector_picker.selected_ids()),
            target_date=self.target_edit.date() if self.has_target.isChecked() else None,
            notes=self.notes_edit.toPlainText(),
            review_id=original.review_id if original else None,
            achieved=self.achieved_check.isChecked(),
            visibility=self._visibility(),
            id=original.id if original else None,
        )

    def field_errors(self) -> list[FieldError]:
        draft = self._draft()
        errors = goal_errors(draft)
        unknown = self._taxonomy.unknown(draft.sector_ids)
        if unknown:
            errors.append(FieldError("sectors", f"unknown sector {unknown[0]!r}"))
        if self.has_target.isChecked() and self.target_edit.error():
            errors.append(FieldError("target", self.target_edit.error()))
        return errors

    def field_warnings(self) -> list[FieldError]:
        return date_warnings({"target": self._draft().target_date}, self._today)

    def value(self) -> Goal:
        """The goal as entered (with its id when editing). Raises InvalidInput."""
        draft = self._draft()
        errors = self.field_errors()
        if errors:
            raise InvalidInput(errors)
        return replace(draft, title=draft.title.strip(), notes=draft.notes.strip())
