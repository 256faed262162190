"""File → Record appraisal review…: after the appraisal, record what the PDF's review page says:
the date, the reviewer's name and role, their comments, and the agreed objectives, each a
development goal (a title, the sectors to reach and a target date). The next portfolio shows the
review and progress against those goals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, SignalInstance
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.records import Goal, Review
from portfolio_app.domain.validation import (
    FieldError,
    InvalidInput,
    date_warnings,
    goal_errors,
    review_errors,
)
from portfolio_app.export.periods import format_day
from portfolio_app.services import AppServices
from portfolio_app.services.drafts import (
    JsonValue,
    Payload,
    flag_field,
    text_field,
    text_list_field,
)
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.sector_picker import SectorPicker
from portfolio_app.ui.widgets.validation import MUTED_STYLE, ValidatedDialog, with_error

GOAL_ROLE = Qt.ItemDataRole.UserRole + 1


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class ReviewDialog(ValidatedDialog):
    """Never writes to the database: the caller saves `value()` with ReviewService.create."""

    def __init__(
        self,
        services: AppServices,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__("Record appraisal review", parent, prompts)
        self.setAccessibleName("Record appraisal review")
        self._taxonomy = services.taxonomy
        self._today = today or date.today()

        intro = QLabel(
            "Record the review your manager wrote on the portfolio's review page. Objectives "
            "you agreed become development goals; the next portfolio shows progress on them.",
            self,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(MUTED_STYLE)

        # -- the review --
        self.date_edit = DateField("Date of the review", self, value=self._today, today=self._today)
        date_error = self.register_field("date", "Date", self.date_edit)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Reviewer's name")
        self.name_edit.setPlaceholderText("e.g. Dr Sam Okoro")
        name_error = self.register_field("reviewer name", "Reviewer's name", self.name_edit)
        self.role_edit = QLineEdit(self)
        self.role_edit.setAccessibleName("Reviewer's role")
        self.role_edit.setPlaceholderText("e.g. Head of adult services")
        role_error = self.register_field("reviewer role", "Reviewer's role", self.role_edit)
        self.comments_edit = QPlainTextEdit(self)
        self.comments_edit.setAccessibleName("Reviewer's comments")
        self.comments_edit.setTabChangesFocus(True)
        self.comments_edit.setPlaceholderText("As written on the review page")
        self.comments_edit.setMinimumHeight(80)
        comments_error = self.register_field("comments", "Comments", self.comments_edit)

        # -- objectives: a small form to add one, and the list of those added --
        self.objective_title = QLineEdit(self)
        self.objective_title.setAccessibleName("Objective")
        self.objective_title.setPlaceholderText("e.g. Shadow the police safeguarding hub")
        self.objective_sectors = SectorPicker(services.taxonomy, multi=True, parent=self)
        self.objective_sectors.search.setAccessibleName("Objective sectors search")
        self.objective_sectors.tree.setAccessibleName("Objective sectors")
        self.objective_sectors.setMinimumHeight(150)
        self.has_target = QCheckBox("By", self)
        self.has_target.setAccessibleName("Objective has a target date")
        self.has_target.setChecked(True)
        self.target_edit = DateField(
            "Objective target date", self, value=_year_after(self._today), today=self._today
        )
        self.add_button = QPushButton("Add objective", self)
        self.add_button.setAccessibleName("Add objective")
        objective_error = self.register_field("objective", "Objective", self.objective_title)

        self.objectives_model = QStandardItemModel(self)
        self.objectives_view = QListView(self)
        self.objectives_view.setAccessibleName("Agreed objectives")
        self.objectives_view.setModel(self.objectives_model)
        self.objectives_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.objectives_view.setMinimumHeight(70)
        self.remove_button = QPushButton("Remove objective", self)
        self.remove_button.setAccessibleName("Remove objective")
        self.remove_button.setEnabled(False)

        # -- layout --
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            self._label("&Date:", self.date_edit.edit), with_error(self.date_edit, date_error)
        )
        form.addRow(
            self._label("Reviewer's &name:", self.name_edit),
            with_error(self.name_edit, name_error),
        )
        form.addRow(
            self._label("Reviewer's &role:", self.role_edit),
            with_error(self.role_edit, role_error),
        )
        form.addRow(
            self._label("&Comments:", self.comments_edit),
            with_error(self.comments_edit, comments_error),
        )

        target_row = QHBoxLayout()
        target_row.setContentsMargins(0, 0, 0, 0)
        target_row.addWidget(self.has_target)
        target_row.addWidget(self.target_edit)
        target_row.addStretch(1)
        target_row.addWidget(self.add_button)
        target_box = QWidget(self)
        target_box.setLayout(target_row)
        objective_form = QFormLayout()
        objective_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        objective_form.addRow(
            self._label("&Objective:", self.objective_title),
            with_error(self.objective_title, objective_error),
        )
        objective_form.addRow(
            self._label("&Sectors:", self.objective_sectors.search), self.objective_sectors
        )
        objective_form.addRow(self._label("&Target date:", self.has_target), target_box)
        list_row = QHBoxLayout()
        list_row.addWidget(self.objectives_view, 1)
        list_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        objectives_box = QGroupBox("Agreed objectives (saved as development goals)", self)
        box_layout = QVBoxLayout(objectives_box)
        box_layout.addLayout(objective_form)
        box_layout.addWidget(self._label("A&greed so far:", self.objectives_view))
        box_layout.addLayout(list_row)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(objectives_box, 1)
        layout.addWidget(self.button_row())
        self.resize(640, 760)

        self.date_edit.edit.textChanged.connect(lambda _t: self.touch("date"))
        self.target_edit.edit.textChanged.connect(lambda _t: self._objective_edited())
        self.name_edit.textChanged.connect(lambda _t: self.touch("reviewer name"))
        self.role_edit.textChanged.connect(lambda _t: self.touch("reviewer role"))
        self.comments_edit.textChanged.connect(lambda: self.touch("comments"))
        self.objective_title.textChanged.connect(lambda _t: self._objective_edited())
        self.objective_sectors.selectionChanged.connect(self._objective_edited)
        self.has_target.toggled.connect(self.target_edit.setEnabled)
        self.has_target.toggled.connect(lambda _on: self._objective_edited())
        self.add_button.clicked.connect(self.add_objective)
        self.objective_title.returnPressed.connect(self.add_objective)
        self.remove_button.clicked.connect(self.remove_objective)
        self.objectives_view.selectionModel().selectionChanged.connect(
            lambda *_: self.remove_button.setEnabled(self.objectives_view.currentIndex().isValid())
        )
        self.name_edit.setFocus()
        self._objective_edited()  # also validates the whole form

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # -- objectives --

    def _objective_draft(self) -> Goal:
        return Goal(
            title=self.objective_title.text().strip(),
            sector_ids=tuple(self.objective_sectors.selected_ids()),
            target_date=self.target_edit.date() if self.has_target.isChecked() else None,
        )

    def _objective_started(self) -> bool:
        return bool(self.objective_title.text().strip() or self.objective_sectors.selected_ids())

    def _objective_problems(self) -> list[str]:
        draft = self._objective_draft()
        problems = [e.message for e in goal_errors(draft) if e.field in ("title", "sectors")]
        problems = ["give the objective a title" if p == "is required" else p for p in problems]
        if self.has_target.isChecked() and self.target_edit.error():
            problems.append(f"target date: {self.target_edit.error()}")
        return problems

    def _objective_edited(self) -> None:
        problems = self._objective_problems()
        self.add_button.setEnabled(not problems)
        self.add_button.setToolTip(
            "Add this objective to the list"
            if not problems
            else "To add it: " + "; ".join(problems)
        )
        self.revalidate()

    def add_objective(self) -> None:
        if self._objective_problems():
            self.touch("objective")
            return
        self._append_objective(self._objective_draft())
        self.objective_title.clear()
        self.objective_sectors.set_selected([])
        self.objective_sectors.search.clear()
        self.objective_title.setFocus()
        self._objective_edited()

    def _append_objective(self, goal: Goal) -> None:
        labels = ", ".join(self._taxonomy.label(s) for s in goal.sector_ids)
        target = f"by {format_day(goal.target_date)}" if goal.target_date else "no target date"
        item = QStandardItem(f"{goal.title} — {labels} ({target})")
        item.setEditable(False)
        item.setData(goal, GOAL_ROLE)
        self.objectives_model.appendRow(item)

    def remove_objective(self) -> None:
        index: QModelIndex | QPersistentModelIndex = self.objectives_view.currentIndex()
        if index.isValid():
            self.objectives_model.removeRow(index.row())
        self.remove_button.setEnabled(self.objectives_view.currentIndex().isValid())

    def objectives(self) -> list[Goal]:
        goals = []
        for row in range(self.objectives_model.rowCount()):
            goal = self.objectives_model.item(row).data(GOAL_ROLE)
            assert isinstance(goal, Goal)
            goals.append(goal)
        return goals

    # -- draft (kept while typing: the shape is documented in services/drafts.py) --

    def draft_signals(self) -> list[SignalInstance]:
        return [
            self.date_edit.edit.textChanged,
            self.name_edit.textChanged,
            self.role_edit.textChanged,
            self.comments_edit.textChanged,
            self.objective_title.textChanged,
            self.objective_sectors.selectionChanged,
            self.has_target.toggled,
            self.target_edit.edit.textChanged,
            self.objectives_model.rowsInserted,
            self.objectives_model.rowsRemoved,
        ]

    def draft_payload(self) -> Payload:
        objectives: list[JsonValue] = []
        for goal in self.objectives():
            target = goal.target_date.isoformat() if goal.target_date else ""
            objectives.append([goal.title, list(goal.sector_ids), target])
        return {
            "date": self.date_edit.text(),
            "reviewer_name": self.name_edit.text(),
            "reviewer_role": self.role_edit.text(),
            "comments": self.comments_edit.toPlainText(),
            "objectives": objectives,
            "objective_title": self.objective_title.text(),
            "objective_sector_ids": list(self.objective_sectors.selected_ids()),
            "objective_has_target": self.has_target.isChecked(),
            "objective_target": self.target_edit.text(),
        }

    def apply_draft(self, payload: Mapping[str, object]) -> None:
        for edit, name in (
            (self.date_edit.edit, "date"),
            (self.name_edit, "reviewer_name"),
            (self.role_edit, "reviewer_role"),
            (self.objective_title, "objective_title"),
            (self.target_edit.edit, "objective_target"),
        ):
            value = text_field(payload, name)
            if value is not None:
                edit.setText(value)
        comments = text_field(payload, "comments")
        if comments is not None:
            self.comments_edit.setPlainText(comments)
        sectors = text_list_field(payload, "objective_sector_ids")
        if sectors is not None:
            self.objective_sectors.set_selected(sectors)
        has_target = flag_field(payload, "objective_has_target")
        if has_target is not None:
            self.has_target.setChecked(has_target)
        objectives = payload.get("objectives")
        if isinstance(objectives, list):
            self.objectives_model.clear()
            for entry in objectives:
                goal = _draft_objective(entry, self._taxonomy)
                if goal is not None:
                    self._append_objective(goal)
        self.show_all_errors()

    # -- validation and value --

    def _review_draft(self) -> Review:
        return Review(
            # An unreadable date is reported by field_errors; the stand-in is never saved.
            held_on=self.date_edit.date() or self._today,
            reviewer_name=self.name_edit.text(),
            reviewer_role=self.role_edit.text(),
            comments=self.comments_edit.toPlainText(),
        )

    def field_errors(self) -> list[FieldError]:
        draft = self._review_draft()
        errors = review_errors(draft)
        if self.date_edit.error():
            errors.insert(0, FieldError("date", self.date_edit.error()))
        elif draft.held_on > self._today:
            errors.append(FieldError("date", "the review is in the future"))
        if self._objective_started():
            errors.append(
                FieldError("objective", "add the objective you started to the list, or clear it")
            )
        return errors

    def field_warnings(self) -> list[FieldError]:
        dates = {"date": self.date_edit.date()}
        dates |= {f"objective {g.title!r}": g.target_date for g in self.objectives()}
        return date_warnings(dates, self._today)

    def value(self) -> tuple[Review, list[Goal]]:
        """The review and its agreed objectives as entered. Raises InvalidInput."""
        errors = self.field_errors()
        if errors:
            raise InvalidInput(errors)
        draft = self._review_draft()
        review = replace(
            draft,
            reviewer_name=draft.reviewer_name.strip(),
            reviewer_role=draft.reviewer_role.strip(),
            comments=draft.comments.strip(),
        )
        return review, self.objectives()


def _draft_objective(entry: object, taxonomy: Taxonomy) -> Goal | None:
    """[title, [sector ids], "2027-03-01" or ""] from a draft (None if it is not that shape);
    sectors no longer in the sector list are left out."""
    if not isinstance(entry, list) or len(entry) != 3:
        return None
    title, sector_ids, target = entry
    if not isinstance(title, str) or not isinstance(sector_ids, list):
        return None
    try:
        target_date = date.fromisoformat(target) if isinstance(target, str) and target else None
    except ValueError:
        target_date = None
    sectors = tuple(s for s in sector_ids if isinstance(s, str) and s in taxonomy)
    return Goal(title=title, sector_ids=sectors, target_date=target_date)
