"""Create or edit a lesson learned. Each section is private unless its own "Share in portfolio"
box is ticked, and says which it is right next to it, so nobody shares a reflection by accident."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.enums import LessonSection
from portfolio_app.domain.records import Lesson, LessonField
from portfolio_app.domain.validation import (
    FieldError,
    InvalidInput,
    date_warnings,
    lesson_errors,
)
from portfolio_app.services import AppServices
from portfolio_app.services.drafts import Payload, flag_field, text_field
from portfolio_app.services.pickers import ActivityFinder
from portfolio_app.ui.colours import PRIVATE_BADGE, SHARED_BADGE
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.evidence_panel import EvidencePanel
from portfolio_app.ui.widgets.record_picker import SearchableCombo
from portfolio_app.ui.widgets.screen_fit import fitted_size
from portfolio_app.ui.widgets.validation import MUTED_STYLE, ValidatedDialog, with_error

STANDALONE = "(standalone)"


class SectionEditor(QWidget):
    """One section: its label, a Private/Shared badge, the share box, and the text."""

    def __init__(self, section: LessonSection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName(section.label)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(64)
        self.share_box = QCheckBox("Share in portfolio", self)
        self.share_box.setAccessibleName(f"{section.label}: share in portfolio")
        self.share_box.setToolTip(
            "Ticked: this section can appear in portfolios you export. "
            "Unticked: it stays private to you."
        )
        self.badge = QLabel(self)
        self.badge.setAccessibleName(f"{section.label} visibility")
        self.label = QLabel(f"{section.label}:", self)
        self.label.setBuddy(self.text_edit)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.label)
        header.addStretch(1)
        header.addWidget(self.badge)
        header.addSpacing(8)
        header.addWidget(self.share_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(header)
        layout.addWidget(self.text_edit)

        self.share_box.toggled.connect(self._update_badge)
        self._update_badge()

    def _update_badge(self) -> None:
        shared = self.share_box.isChecked()
        self.badge.setText("Shared" if shared else "Private")
        badge = SHARED_BADGE if shared else PRIVATE_BADGE
        self.badge.setStyleSheet(badge.style("border-radius: 3px; padding: 1px 6px;"))
        self.badge.setToolTip(
            "Can appear in portfolios you export" if shared else "Only you can see this section"
        )

    def value(self) -> LessonField:
        return LessonField(self.text_edit.toPlainText(), self.share_box.isChecked())

    def set_value(self, value: LessonField) -> None:
        self.text_edit.setPlainText(value.text)
        self.share_box.setChecked(value.shared)


class LessonDialog(ValidatedDialog):
    """Never writes to the database: the caller saves `value()` (through an undo command).
    `activity_id` preselects the linked activity of a new lesson."""

    def __init__(
        self,
        services: AppServices,
        lesson: Lesson | None = None,
        activity_id: int | None = None,
        parent: QWidget | None = None,
        prompts: Prompts | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__("Edit lesson" if lesson else "New lesson", parent, prompts)
        self._original = lesson
        self._today = today or date.today()

        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("e.g. Agree the discharge plan before the weekend")
        title_error = self.register_field("title", "Title", self.title_edit)

        # Only the newest activities, the linked one and those matching the search are listed.
        self.activity_picker = SearchableCombo(
            "Linked activity", ActivityFinder(services.db), STANDALONE, self
        )
        self.activity_combo = self.activity_picker.combo
        self.activity_combo.setMaximumWidth(520)
        activity_error = self.register_field("activity", "Linked activity", self.activity_combo)

        # Optional in the record: an edited lesson without a date keeps none.
        self.recorded_edit = DateField(
            "Recorded on", self, value=self._today, optional=True, today=self._today
        )
        recorded_error = self.register_field("recorded", "Recorded on", self.recorded_edit)

        intro = QLabel(
            "Every section is private unless you tick “Share in portfolio”. Record what you "
            "learned, not details that identify people.",
            self,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(MUTED_STYLE)

        self.sections: dict[LessonSection, SectionEditor] = {}
        sections_box = QWidget()
        sections_layout = QVBoxLayout(sections_box)
        sections_layout.setContentsMargins(0, 0, 6, 0)
        sections_layout.setSpacing(10)
        for section in LessonSection:
            editor = SectionEditor(section, sections_box)
            error = self.register_field(section.value, section.label, editor.text_edit)
            self.sections[section] = editor
            sections_layout.addWidget(with_error(editor, error))
        # Files are stored at once for a saved lesson; a new one's wait for its first save.
        self.evidence_panel = EvidencePanel(
            services, "lesson", lesson.id if lesson else None, self.prompts, sections_box
        )
        evidence_label = QLabel("Evidence files:", sections_box)
        evidence_label.setBuddy(self.evidence_panel.view)
        font = evidence_label.font()
        font.setBold(True)
        evidence_label.setFont(font)
        sections_layout.addWidget(evidence_label)
        sections_layout.addWidget(self.evidence_panel)
        sections_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Lesson sections")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its contents take the focus
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(sections_box)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label("&Title:", self.title_edit), with_error(self.title_edit, title_error)
        )
        form.addRow(
            self._label("&Linked activity:", self.activity_picker.search_edit),
            with_error(self.activity_picker, activity_error),
        )
        form.addRow(
            self._label("&Recorded on:", self.recorded_edit.edit),
            with_error(self.recorded_edit, recorded_error),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.button_row())
        self.resize(fitted_size(self, 680, 720))

        linked = lesson.activity_id if lesson is not None else activity_id
        if linked is not None:
            self.activity_picker.choose(linked)
        if lesson is not None:
            self.title_edit.setText(lesson.title)
            self.recorded_edit.setDate(lesson.recorded_on)
            for section, editor in self.sections.items():
                editor.set_value(lesson.section(section))
            self.show_all_errors()

        self.title_edit.textChanged.connect(lambda _text: self.touch("title"))
        self.recorded_edit.edit.textChanged.connect(lambda _text: self.touch("recorded"))
        for section, editor in self.sections.items():
            key = section.value
            editor.text_edit.textChanged.connect(lambda key=key: self.touch(key))
        self.title_edit.setFocus()
        self.revalidate()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # -- draft (kept while typing: the shape is documented in services/drafts.py) --------------

    def draft_signals(self) -> list[SignalInstance]:
        signals = [
            self.title_edit.textChanged,
            self.activity_combo.currentIndexChanged,
            self.recorded_edit.edit.textChanged,
        ]
        for editor in self.sections.values():
            signals += [editor.text_edit.textChanged, editor.share_box.toggled]
        return signals

    def draft_payload(self) -> Payload:
        payload: Payload = {
            "title": self.title_edit.text(),
            "activity_id": self.activity_combo.currentData(),
            "recorded": self.recorded_edit.text(),
        }
        for section, editor in self.sections.items():
            payload[section.value] = editor.text_edit.toPlainText()
            payload[f"{section.value}_shared"] = editor.share_box.isChecked()
        return payload

    def apply_draft(self, payload: Mapping[str, object]) -> None:
        title = text_field(payload, "title")
        if title is not None:
            self.title_edit.setText(title)
        if "activity_id" in payload:
            # An activity deleted meanwhile: the lesson stands alone (the first entry).
            linked = payload["activity_id"]
            self.activity_picker.choose(linked if isinstance(linked, int) else None)
        recorded = text_field(payload, "recorded")
        if recorded is not None:
            self.recorded_edit.edit.setText(recorded)
        for section, editor in self.sections.items():
            text = text_field(payload, section.value)
            if text is not None:
                editor.text_edit.setPlainText(text)
            shared = flag_field(payload, f"{section.value}_shared")
            if shared is not None:
                editor.share_box.setChecked(shared)
        self.show_all_errors()

    def _draft(self) -> Lesson:
        return Lesson(
            title=self.title_edit.text(),
            activity_id=self.activity_combo.currentData(),
            recorded_on=self.recorded_edit.date(),
            sections={s: e.value() for s, e in self.sections.items()},
            id=self._original.id if self._original else None,
        )

    def field_errors(self) -> list[FieldError]:
        errors = lesson_errors(self._draft())
        if self.recorded_edit.error():
            errors.insert(1, FieldError("recorded", self.recorded_edit.error()))
        return errors

    def field_warnings(self) -> list[FieldError]:
        return date_warnings({"recorded": self.recorded_edit.date()}, self._today)

    def value(self) -> Lesson:
        """The lesson as entered (with its id when editing). Raises InvalidInput."""
        draft = self._draft()
        errors = self.field_errors()
        if errors:
            raise InvalidInput(errors)
        return replace(draft, title=draft.title.strip())
