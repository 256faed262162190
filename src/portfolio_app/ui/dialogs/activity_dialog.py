"""Create or edit an activity: what it was, when, with whom, in which sectors, and whether it
may appear in exports (private unless shared)."""

from __future__ import annotations

__all__ = ["ActivityDialog", "CheckableFilterList"]

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.hours import HoursParseError, format_hours, parse_hours
from portfolio_app.domain.records import Activity
from portfolio_app.domain.validation import (
    FieldError,
    InvalidInput,
    activity_errors,
    activity_warnings,
)
from portfolio_app.services import AppServices
from portfolio_app.services.drafts import (
    Payload,
    flag_field,
    id_list_field,
    text_field,
    text_list_field,
)
from portfolio_app.services.pickers import ContactFinder, OrganisationFinder
from portfolio_app.ui.dashboard.score_preview import ScorePreview
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.evidence_panel import EvidencePanel
from portfolio_app.ui.widgets.record_picker import CheckableFilterList
from portfolio_app.ui.widgets.screen_fit import fitted_size
from portfolio_app.ui.widgets.sector_picker import SectorPicker
from portfolio_app.ui.widgets.validation import (
    MUTED_STYLE,
    ValidatedDialog,
    stacked,
    with_error,
)

VISIBILITY_NOTES = {
    Visibility.PRIVATE: "Only you see it; it is left out of anything you export.",
    Visibility.SHARED: "It can appear in the portfolios you export.",
}


class ActivityDialog(ValidatedDialog):
    """Never writes to the database: the caller saves `value()` (through an undo command)."""

    def __init__(
        self,
        services: AppServices,
        activity: Activity | None = None,
        parent: QWidget | None = None,
        prompts: Prompts | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__("Edit activity" if activity else "New activity", parent, prompts)
        self._original = activity
        today = today or date.today()
        self._today = today

        # -- left column: what and when --
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("e.g. Shadowed the discharge team at Northshire General")
        title_error = self.register_field("title", "Title", self.title_edit)

        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName("Type")
        for activity_type in ActivityType:
            self.type_combo.addItem(activity_type.label, activity_type.value)

        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName("Status")
        for status in Status:
            self.status_combo.addItem(status.label, status.value)
        self.status_combo.setToolTip("Planned: something you mean to do; Done: it has happened")

        self.start_edit = DateField("Start date", self, value=today, today=today)
        start_error = self.register_field("start", "Start date", self.start_edit)
        self.ends_later = QCheckBox("Ends on a different day", self)
        self.ends_later.setAccessibleName("Ends on a different day")
        self.end_edit = DateField("End date", self, value=today, today=today)
        self.end_edit.setEnabled(False)
        end_error = self.register_field("end", "End date", self.end_edit)

        self.hours_edit = QLineEdit(self)
        self.hours_edit.setAccessibleName("Hours")
        self.hours_edit.setPlaceholderText("optional")
        self.hours_edit.setToolTip("Time spent, in hours, e.g. 7.5 (leave empty if not counted)")
        self.hours_edit.setMaximumWidth(110)
        hours_error = self.register_field("hours", "Hours", self.hours_edit)

        self.private_radio = QRadioButton("Private", self)
        self.private_radio.setAccessibleName("Private")
        self.shared_radio = QRadioButton("Shared", self)
        self.shared_radio.setAccessibleName("Shared")
        self.visibility_group = QButtonGroup(self)
        self.visibility_group.addButton(self.private_radio)
        self.visibility_group.addButton(self.shared_radio)
        self.private_radio.setChecked(True)
        self.visibility_note = QLabel(self)
        self.visibility_note.setAccessibleName("Visibility explanation")
        self.visibility_note.setWordWrap(True)
        self.visibility_note.setStyleSheet(MUTED_STYLE)

        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(
            "What you did and who with. Record the learning, not identifiable details."
        )
        description_error = self.register_field("description", "Description", self.description_edit)

        # -- right column: who and where --
        self.organisations_list = CheckableFilterList(
            "Organisations",
            OrganisationFinder(services.db, services.taxonomy),
            "No organisations yet: add them from the Organisations list.",
            self,
        )
        self.contacts_list = CheckableFilterList(
            "Contacts",
            ContactFinder(services.db, today),
            "No contacts yet: add them from the Contacts list.",
            self,
        )
        self.sector_picker = SectorPicker(services.taxonomy, multi=True, parent=self)
        self.sector_picker.search.setAccessibleName("Other sectors search")
        self.sector_picker.tree.setAccessibleName("Other sectors")
        self.sector_picker.setToolTip(
            "Sectors this activity involved beyond those of the organisations ticked above"
        )

        self.score_preview = ScorePreview(services, today, self)
        # Files are stored at once for a saved activity; a new one's wait for its first save.
        self.evidence_panel = EvidencePanel(
            services, "activity", activity.id if activity else None, self.prompts, self
        )

        # -- layout --
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.ends_later)
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        dates_box = QWidget(self)
        dates_box.setLayout(dates)
        visibility = QHBoxLayout()
        visibility.setContentsMargins(0, 0, 0, 0)
        visibility.addWidget(self.private_radio)
        visibility.addWidget(self.shared_radio)
        visibility.addStretch(1)
        visibility_box = QWidget(self)
        visibility_box.setLayout(visibility)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label("&Title:", self.title_edit), with_error(self.title_edit, title_error)
        )
        form.addRow(self._label("T&ype:", self.type_combo), self.type_combo)
        form.addRow(self._label("Stat&us:", self.status_combo), self.status_combo)
        form.addRow(
            self._label("&Start date:", self.start_edit.edit),
            with_error(self.start_edit, start_error),
        )
        form.addRow(self._label("&End date:", self.ends_later), with_error(dates_box, end_error))
        form.addRow(
            self._label("&Hours:", self.hours_edit), with_error(self.hours_edit, hours_error)
        )
        form.addRow(
            self._label("&Visibility:", self.private_radio),
            stacked(visibility_box, self.visibility_note),
        )
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self._label("&Description:", self.description_edit))
        left.addWidget(with_error(self.description_edit, description_error), 1)
        left.addWidget(self.score_preview)
        left.addWidget(self._label("Evidence &files:", self.evidence_panel.view))
        left.addWidget(self.evidence_panel, 1)

        right = QVBoxLayout()
        right.addWidget(self._label("&Organisations:", self.organisations_list.filter_edit))
        right.addWidget(self.organisations_list, 1)
        right.addSpacing(6)
        right.addWidget(self._label("&Contacts:", self.contacts_list.filter_edit))
        right.addWidget(self.contacts_list, 1)
        right.addSpacing(6)
        right.addWidget(self._label("Other sec&tors:", self.sector_picker.search))
        right.addWidget(self.sector_picker, 2)

        # The form scrolls and Save stays in sight, on a small screen (1024x600) too.
        form_box = QWidget()
        columns = QHBoxLayout(form_box)
        columns.setContentsMargins(0, 0, 6, 0)
        columns.addLayout(left, 3)
        columns.addSpacing(12)
        columns.addLayout(right, 2)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Activity form")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its contents take the focus
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.button_row())
        self.resize(fitted_size(self, 920, 720))

        if activity is not None:
            self._fill(activity)
            self.show_all_errors()

        self.title_edit.textChanged.connect(lambda _text: self.touch("title"))
        self.start_edit.dateChanged.connect(self._on_start_changed)
        self.start_edit.edit.textChanged.connect(lambda _text: self.touch("start"))
        self.end_edit.edit.textChanged.connect(lambda _text: self.touch("end"))
        self.ends_later.toggled.connect(self._on_ends_later)
        # Done or planned decides whether a future date is allowed.
        self.status_combo.currentIndexChanged.connect(lambda _i: self.revalidate())
        self.hours_edit.textChanged.connect(lambda _text: self.touch("hours"))
        self.description_edit.textChanged.connect(lambda: self.touch("description"))
        self.private_radio.toggled.connect(lambda _on: self._update_visibility_note())
        self._update_visibility_note()
        for signal in (
            self.type_combo.currentIndexChanged,
            self.status_combo.currentIndexChanged,
            self.start_edit.dateChanged,
            self.end_edit.dateChanged,
            self.ends_later.toggled,
            self.organisations_list.changed,
            self.contacts_list.changed,
            self.sector_picker.selectionChanged,
        ):
            signal.connect(self._update_score_preview)
        self._update_score_preview()
        self.title_edit.setFocus()
        self.revalidate()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _fill(self, activity: Activity) -> None:
        self.title_edit.setText(activity.title)
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(activity.type.value), 0))
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(activity.status.value), 0))
        self.start_edit.setDate(activity.start)
        self.end_edit.setDate(activity.end or activity.start)
        self.ends_later.setChecked(activity.end is not None)
        self.end_edit.setEnabled(activity.end is not None)
        self.hours_edit.setText(format_hours(activity.hours))
        self.shared_radio.setChecked(activity.visibility is Visibility.SHARED)
        self.private_radio.setChecked(activity.visibility is Visibility.PRIVATE)
        self.description_edit.setPlainText(activity.description)
        self.organisations_list.set_checked(activity.organisation_ids)
        self.contacts_list.set_checked(activity.contact_ids)
        self.sector_picker.set_selected(activity.extra_sector_ids)

    def _on_start_changed(self, start: date | None) -> None:
        if start is not None and not self.ends_later.isChecked():
            self.end_edit.setDate(start)  # a sensible start when ticked
        self.touch("start", "end")

    def _on_ends_later(self, checked: bool) -> None:
        self.end_edit.setEnabled(checked)
        start, end = self.start_edit.date(), self.end_edit.date()
        if checked:
            if start is not None and (end is None or end < start):
                self.end_edit.setDate(start)
            self.end_edit.setFocus()
        self.touch("end")

    def _update_score_preview(self, *_args: object) -> None:
        self.score_preview.update_for(self._draft()[0])

    def _update_visibility_note(self) -> None:
        self.visibility_note.setText(VISIBILITY_NOTES[self._visibility()])

    def _visibility(self) -> Visibility:
        return Visibility.SHARED if self.shared_radio.isChecked() else Visibility.PRIVATE

    # -- draft (kept while typing: the shape is documented in services/drafts.py) --------------

    def draft_signals(self) -> list[SignalInstance]:
        return [
            self.title_edit.textChanged,
            self.type_combo.currentIndexChanged,
            self.status_combo.currentIndexChanged,
            self.start_edit.edit.textChanged,
            self.end_edit.edit.textChanged,
            self.ends_later.toggled,
            self.hours_edit.textChanged,
            self.private_radio.toggled,
            self.description_edit.textChanged,
            self.organisations_list.changed,
            self.contacts_list.changed,
            self.sector_picker.selectionChanged,
        ]

    def draft_payload(self) -> Payload:
        return {
            "title": self.title_edit.text(),
            "type": str(self.type_combo.currentData()),
            "status": str(self.status_combo.currentData()),
            "start": self.start_edit.text(),
            "ends_later": self.ends_later.isChecked(),
            "end": self.end_edit.text(),
            "hours": self.hours_edit.text(),
            "visibility": self._visibility().value,
            "description": self.description_edit.toPlainText(),
            "organisation_ids": list(self.organisations_list.checked_ids()),
            "contact_ids": list(self.contacts_list.checked_ids()),
            "extra_sector_ids": list(self.sector_picker.selected_ids()),
        }

    def apply_draft(self, payload: Mapping[str, object]) -> None:
        title = text_field(payload, "title")
        if title is not None:
            self.title_edit.setText(title)
        for combo, name in ((self.type_combo, "type"), (self.status_combo, "status")):
            value = text_field(payload, name)
            index = combo.findData(value) if value is not None else -1
            if index >= 0:
                combo.setCurrentIndex(index)
        start = text_field(payload, "start")
        if start is not None:
            self.start_edit.edit.setText(start)
        ends_later = flag_field(payload, "ends_later")
        if ends_later is not None:
            self.ends_later.setChecked(ends_later)
        end = text_field(payload, "end")
        if end is not None:
            self.end_edit.edit.setText(end)
        hours = text_field(payload, "hours")
        if hours is not None:
            self.hours_edit.setText(hours)
        visibility = payload.get("visibility")
        if visibility in (Visibility.SHARED.value, Visibility.PRIVATE.value):
            shared = visibility == Visibility.SHARED.value
            (self.shared_radio if shared else self.private_radio).setChecked(True)
        description = text_field(payload, "description")
        if description is not None:
            self.description_edit.setPlainText(description)
        for chooser, name in (
            (self.organisations_list, "organisation_ids"),
            (self.contacts_list, "contact_ids"),
        ):
            ids = id_list_field(payload, name)
            if ids is not None:
                chooser.set_checked(ids)  # entries deleted meanwhile are left out
        sectors = text_list_field(payload, "extra_sector_ids")
        if sectors is not None:
            self.sector_picker.set_selected(sectors)  # unknown sectors are left out
        self._update_score_preview()
        self.show_all_errors()

    # -- value --------------------------------------------------------------------------------

    def _draft(self) -> tuple[Activity, list[FieldError]]:
        """The activity as typed, and the errors that cannot be put into a record."""
        errors: list[FieldError] = []
        try:
            hours = parse_hours(self.hours_edit.text())
        except HoursParseError as error:
            hours = None
            errors.append(FieldError("hours", str(error)))
        ends_later = self.ends_later.isChecked()
        for key, field in (("start", self.start_edit), ("end", self.end_edit)):
            if field.error() and (key == "start" or ends_later):
                errors.append(FieldError(key, field.error()))
        start = self.start_edit.date()
        end = self.end_edit.date() if ends_later else None
        draft = Activity(
            type=ActivityType(self.type_combo.currentData()),
            title=self.title_edit.text(),
            # An unreadable start still gives the preview a draft; the error blocks Save.
            start=start or end or self._today,
            end=end,
            hours=hours,
            organisation_ids=self.organisations_list.checked_ids(),
            extra_sector_ids=tuple(self.sector_picker.selected_ids()),
            contact_ids=self.contacts_list.checked_ids(),
            description=self.description_edit.toPlainText(),
            visibility=self._visibility(),
            status=Status(self.status_combo.currentData()),
            id=self._original.id if self._original else None,
        )
        return draft, errors

    def field_errors(self) -> list[FieldError]:
        draft, errors = self._draft()
        unreadable = {e.field for e in errors if e.field in ("start", "end")}
        # Rules about dates are judged only on dates that were read (not on a stand-in).
        rules = [
            e
            for e in activity_errors(draft, self._today)
            if not (unreadable and e.field in ("start", "end"))
        ]
        return _in_field_order(rules + errors)

    def field_warnings(self) -> list[FieldError]:
        return activity_warnings(self._draft()[0], self._today)

    def value(self) -> Activity:
        """The activity as entered (with its id when editing). Raises InvalidInput."""
        draft, _ = self._draft()
        errors = self.field_errors()
        if errors:
            raise InvalidInput(errors)
        return replace(draft, title=draft.title.strip())


_FIELD_ORDER = ("title", "start", "end", "hours", "description")


def _in_field_order(errors: list[FieldError]) -> list[FieldError]:
    """Messages in the order the fields appear, so the tooltip reads top to bottom."""
    rank = {name: i for i, name in enumerate(_FIELD_ORDER)}
    return sorted(errors, key=lambda e: rank.get(e.field, len(rank)))
