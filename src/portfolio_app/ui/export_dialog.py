"""File → Export portfolio…: choose the period, exactly what goes in, whether people are named and
the paper size, see page 1, and export off the UI thread (with Cancel), then open the PDF.

What is ticked is what appears: shared activities, shared parts of lessons and shared goals
start ticked, private ones start unticked and go in only if ticked one by one. What the ticks
put in (and the counts shown) is decided by `portfolio_app.export.selection`, as for the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QImage,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.charts.fonts import Fonts
from portfolio_app.charts.score_charts import drawing_to_svg
from portfolio_app.domain.enums import LessonSection, Visibility
from portfolio_app.domain.records import Activity, Goal, Lesson
from portfolio_app.domain.validation import FieldError
from portfolio_app.export.pdf import ExportOptions, ExportResult, Paper, Selection, export_pdf
from portfolio_app.export.pdf.content import preview_cover
from portfolio_app.export.pdf.cover import cover_drawing
from portfolio_app.export.pdf.styles import page_size
from portfolio_app.export.periods import Period, format_day, format_span, presets
from portfolio_app.export.selection import (
    Candidates,
    Chosen,
    choose,
    default_selection,
    find_candidates,
)
from portfolio_app.services import AppServices
from portfolio_app.services.progress import Progress
from portfolio_app.storage.errors import StorageError
from portfolio_app.ui.background import BackgroundTask, run_in_background
from portfolio_app.ui.dashboard.svg_chart import qt_svg
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.validation import MUTED_STYLE, describe, error_style

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "activity", "lesson", "section", "goal" or "group"
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the activity's, the lesson's or the goal's id
SECTION_ROLE = Qt.ItemDataRole.UserRole + 3  # a LessonSection value
PRIVATE_ROLE = Qt.ItemDataRole.UserRole + 4  # True for a private activity, section or goal
CUSTOM = "Custom dates"
PREVIEW_WIDTH = 230
PREVIEW_DELAY_MS = 150

Exporter = Callable[[AppServices, ExportOptions, Path, Progress], ExportResult]
Key = tuple[Any, ...]  # ("activity", id), ("section", lesson id, section value), ("goal", id)


def _open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _excerpt(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class ExportContentModel(QStandardItemModel):
    """The period's activities, each with its lessons and their sections, then the goals; every
    activity, section and goal with a check box. Ticks the user changed survive a change of
    period."""

    choiceChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Contents"])
        self._choices: dict[Key, bool] = {}  # what the user ticked or unticked
        self._loading = False
        self.candidates: Candidates | None = None
        self.itemChanged.connect(self._on_item_changed)

    # -- building --

    def load(self, candidates: Candidates) -> None:
        self._loading = True
        try:
            self.removeRows(0, self.rowCount())
            self.candidates = candidates
            shared = default_selection(candidates)
            for activity in candidates.activities:
                item = self._activity_item(activity, activity.id in shared.activity_ids)
                for lesson in candidates.lessons_of(activity.id):
                    item.appendRow(self._lesson_item(lesson, shared))
                self.appendRow(item)
                self._update_enabled(item)
            standalone = candidates.standalone_lessons()
            if standalone:
                group = QStandardItem("Lessons not linked to an activity")
                group.setEditable(False)
                group.setData("group", KIND_ROLE)
                for lesson in standalone:
                    group.appendRow(self._lesson_item(lesson, shared))
                self.appendRow(group)
            if candidates.goals:
                group = QStandardItem("Development goals")
                group.setEditable(False)
                group.setData("group", KIND_ROLE)
                for goal in candidates.goals:
                    group.appendRow(
                        self._goal_item(
                            goal, goal.id in shared.goal_ids, candidates.agreed_at_review(goal)
                        )
                    )
                self.appendRow(group)
        finally:
            self._loading = False
        self.choiceChanged.emit()

    def _check(self, item: QStandardItem, key: Key, default: bool) -> None:
        item.setCheckable(True)
        ticked = self._choices.get(key, default)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def _choice(
        self, text: str, key: Key, *, private: bool, tooltip: str, default: bool
    ) -> QStandardItem:
        """One tickable entry; private ones are marked in words and in italics."""
        item = QStandardItem(text + (" (private)" if private else ""))
        item.setEditable(False)
        item.setData(key[0], KIND_ROLE)
        item.setData(key[1], ID_ROLE)
        if len(key) > 2:
            item.setData(key[2], SECTION_ROLE)
        item.setData(private, PRIVATE_ROLE)
        item.setToolTip(tooltip)
        if private:
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
        self._check(item, key, default)
        return item

    def _activity_item(self, activity: Activity, default: bool) -> QStandardItem:
        private = activity.visibility is Visibility.PRIVATE
        text = f"{format_span(activity.start, activity.end)} · {activity.type.label} · "
        return self._choice(
            text + activity.title,
            ("activity", activity.id),
            private=private,
            tooltip=(
                "Private: only you see it. Tick it to include it in this portfolio."
                if private
                else "Shared: included unless you untick it."
            ),
            default=default,
        )

    def _lesson_item(self, lesson: Lesson, shared: Selection) -> QStandardItem:
        item = QStandardItem(f"Lesson: {lesson.title}")
        item.setEditable(False)
        item.setData("lesson", KIND_ROLE)
        item.setData(lesson.id, ID_ROLE)
        item.setToolTip("A lesson appears with the parts of it that are ticked.")
        shared_sections = shared.sections_of(lesson.id)
        for section in LessonSection:
            value = lesson.section(section)
            if not value.text.strip():
                continue
            private = section not in shared_sections
            child = self._choice(
                f"{section.label}: {_excerpt(value.text)}",
                ("section", lesson.id, section.value),
                private=private,
                tooltip=value.text[:500],
                default=not private,
            )
            item.appendRow(child)
        return item

    def _goal_item(self, goal: Goal, default: bool, agreed: bool) -> QStandardItem:
        private = goal.visibility is Visibility.PRIVATE
        text = f"Goal: {goal.title}"
        if goal.target_date is not None:
            text += f" (by {format_day(goal.target_date)})"
        text += " · agreed at the review" if agreed else ""
        return self._choice(
            text,
            ("goal", goal.id),
            private=private,
            tooltip=(
                "Private goal: only you see it, notes included. Tick it to include it."
                if private
                else "Shared goal: included with its notes unless you untick it."
            ),
            default=default,
        )

    # -- reacting --

    @staticmethod
    def _key(item: QStandardItem) -> Key | None:
        kind = item.data(KIND_ROLE)
        if kind == "activity":
            return ("activity", item.data(ID_ROLE))
        if kind == "section":
            return ("section", item.data(ID_ROLE), item.data(SECTION_ROLE))
        if kind == "goal":
            return ("goal", item.data(ID_ROLE))
        return None

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._loading:
            return
        key = self._key(item)
        if key is None:
            return
        ticked = item.checkState() == Qt.CheckState.Checked
        self._choices[key] = ticked
        if key[0] == "activity":
            self._update_enabled(item)
        self.choiceChanged.emit()

    def _update_enabled(self, activity_item: QStandardItem) -> None:
        """A lesson goes in only with its activity, so its rows grey out when it is unticked."""
        enabled = activity_item.checkState() == Qt.CheckState.Checked
        was_loading = self._loading
        self._loading = True
        try:
            for row in range(activity_item.rowCount()):
                lesson = activity_item.child(row)
                lesson.setEnabled(enabled)
                for section_row in range(lesson.rowCount()):
                    lesson.child(section_row).setEnabled(enabled)
        finally:
            self._loading = was_loading

    def reset_to_shared(self) -> None:
        """Forget the user's ticks: shared content only."""
        self._choices.clear()
        if self.candidates is not None:
            self.load(self.candidates)

    # -- reading --

    def _items(self) -> list[QStandardItem]:
        found: list[QStandardItem] = []
        stack = [self.item(row) for row in range(self.rowCount())]
        while stack:
            item = stack.pop()
            found.append(item)
            stack.extend(item.child(row) for row in range(item.rowCount()))
        return found

    def selection(self) -> Selection:
        activities: set[int] = set()
        sections: dict[int, set[LessonSection]] = {}
        goals: set[int] = set()
        for item in self._items():
            if item.checkState() != Qt.CheckState.Checked:
                continue
            kind = item.data(KIND_ROLE)
            if kind == "activity":
                activities.add(int(item.data(ID_ROLE)))
            elif kind == "section":
                lesson_id = int(item.data(ID_ROLE))
                sections.setdefault(lesson_id, set()).add(LessonSection(item.data(SECTION_ROLE)))
            elif kind == "goal":
                goals.add(int(item.data(ID_ROLE)))
        return Selection(
            frozenset(activities), {k: frozenset(v) for k, v in sections.items()}, frozenset(goals)
        )

    def chosen(self) -> Chosen | None:
        """What the ticks put in, by the one selection rule (None before the first load)."""
        if self.candidates is None:
            return None
        return choose(self.candidates, self.selection())

    def private_ticked(self) -> int:
        chosen = self.chosen()
        return chosen.private_items if chosen is not None else 0

    def find_item(self, key: Key) -> QStandardItem | None:
        return next((item for item in self._items() if self._key(item) == key), None)


class ExportDialog(QDialog):
    """Never writes to the database; writes only the PDF the user names."""

    def __init__(
        self,
        services: AppServices,
        parent: QWidget | None = None,
        prompts: Prompts | None = None,
        *,
        today: date | None = None,
        exporter: Exporter | None = None,
        open_file: Callable[[Path], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export portfolio")
        self.setAccessibleName("Export portfolio")
        self.services = services
        self.prompts = prompts or Prompts()
        self.today = today or date.today()
        self._exporter: Exporter = exporter or export_pdf
        self._open_file = open_file or _open_with_system_viewer
        self.task: BackgroundTask | None = None
        self.last_result: ExportResult | None = None
        self.profile = services.profile.get()
        self._fonts = Fonts()

        last_review = services.reviews.latest()
        self.presets = presets(self.today, last_review.held_on if last_review else None)

        # -- period --
        self.period_combo = QComboBox(self)
        self.period_combo.setAccessibleName("Period")
        for preset in self.presets:
            self.period_combo.addItem(f"{preset.label}: {preset.period.label()}")
        self.period_combo.addItem(CUSTOM)
        self.from_edit = self._date_edit("From")
        self.to_edit = self._date_edit("To")
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("to", self))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        dates_box = QWidget(self)
        dates_box.setLayout(dates)

        # -- contents --
        self.model = ExportContentModel(self)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Contents to include")
        self.tree.setAccessibleDescription(
            "Activities, the parts of lessons and the goals to include; private ones are unticked"
        )
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumHeight(260)
        self.contents_summary = QLabel(self)
        self.contents_summary.setAccessibleName("Chosen contents")
        self.contents_summary.setWordWrap(True)
        self.contents_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.shared_only_button = QPushButton("Shared only", self)
        self.shared_only_button.setAccessibleName("Shared only")
        self.shared_only_button.setToolTip(
            "Tick exactly the shared activities, lesson parts and goals"
        )
        self.expand_button = QPushButton("Show lessons", self)
        self.expand_button.setAccessibleName("Show lessons")
        self.expand_button.setToolTip("Open every activity to see and tick its lessons' parts")

        # -- options --
        self.names_check = QCheckBox("Show the names of people I met", self)
        self.names_check.setAccessibleName("Show names of people met")
        self.names_check.setToolTip(
            "They are third parties: without this, people appear only as their organisation "
            "and sector."
        )
        self.paper_combo = QComboBox(self)
        self.paper_combo.setAccessibleName("Paper size")
        for paper in Paper:
            self.paper_combo.addItem(paper.label, paper.value)

        # -- preview and status --
        self.preview = QLabel(self)
        self.preview.setAccessibleName("Preview of page 1")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.preview.setMinimumWidth(PREVIEW_WIDTH + 8)
        self.preview.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.preview.setWordWrap(True)  # the note when there is no preview
        self.preview.setStyleSheet("background: palette(mid); padding: 4px;")
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Export status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName("Export")
        self.export_button.setDefault(True)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close")

        # -- layout --
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label("&Period:", self.period_combo), self.period_combo)
        form.addRow(self._label("&Dates:", self.from_edit.edit), dates_box)
        form.addRow(self._label("Pape&r:", self.paper_combo), self.paper_combo)
        form.addRow("", self.names_check)
        contents_buttons = QHBoxLayout()
        contents_buttons.addWidget(self.shared_only_button)
        contents_buttons.addWidget(self.expand_button)
        contents_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self._label("&Contents (ticked items go in):", self.tree))
        left.addWidget(self.tree, 1)
        left.addWidget(self.contents_summary)
        left.addLayout(contents_buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel("Page 1:", self))
        right.addWidget(self.preview)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.resize(900, 640)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.period_combo.currentIndexChanged.connect(self._on_preset)
        for field in (self.from_edit, self.to_edit):
            field.dateChanged.connect(self._on_dates_edited)
            # Text that stays unreadable changes no date, but the message must follow it.
            field.edit.textChanged.connect(lambda _t: self._update_state())
        self.model.choiceChanged.connect(self._on_choice)
        self.names_check.toggled.connect(lambda _on: self._preview_timer.start())
        self.paper_combo.currentIndexChanged.connect(lambda _i: self._preview_timer.start())
        self.shared_only_button.clicked.connect(self.model.reset_to_shared)
        self.expand_button.clicked.connect(self.tree.expandAll)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)

        self._on_preset(0)
        if self.profile is None:
            self._set_status("Set up your profile first: the portfolio starts with it.", True)

    # -- building helpers --

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _date_edit(self, name: str) -> DateField:
        return DateField(name, self, value=self.today, today=self.today)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(error_style() if error else MUTED_STYLE)

    # -- period --

    def period(self) -> Period | None:
        start, end = self.from_edit.date(), self.to_edit.date()
        if start is None or end is None:
            return None
        return Period(start, end) if start <= end else None

    def _period_problem(self) -> str:
        """Why there is no period: an unreadable date, or one that ends before it starts."""
        for field in (self.from_edit, self.to_edit):
            if field.error():
                return describe(FieldError(field.name, field.error()), f"The {field.name} date")
        return "The period ends before it starts"

    def _on_preset(self, index: int) -> None:
        if not 0 <= index < len(self.presets):
            return  # "Custom dates": keep the dates as they are
        period = self.presets[index].period
        for edit, day in ((self.from_edit, period.start), (self.to_edit, period.end)):
            edit.blockSignals(True)
            edit.setDate(day)
            edit.blockSignals(False)
        self._reload()

    def _on_dates_edited(self) -> None:
        custom = self.period_combo.count() - 1
        if self.period_combo.currentIndex() != custom:
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(custom)
            self.period_combo.blockSignals(False)
        self._reload()

    def _reload(self) -> None:
        period = self.period()
        if period is None:
            self.model.load(Candidates(Period(self.today, self.today), (), ()))
            self._update_state()
            return
        self.model.load(find_candidates(self.services, period))

    # -- choices --

    def _on_choice(self) -> None:
        self._update_state()
        self._preview_timer.start()

    def options(self) -> ExportOptions | None:
        """The export the dialog is set up for (None while the period is impossible)."""
        period = self.period()
        if period is None:
            return None
        return ExportOptions(
            period=period,
            selection=self.model.selection(),
            show_names=self.names_check.isChecked(),
            paper=Paper(self.paper_combo.currentData()),
        )

    def _update_state(self) -> None:
        period = self.period()
        running = self.task is not None
        if period is None:
            problem = self._period_problem()
            self.contents_summary.setText("")
            self._set_status(problem + ".", True)
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(problem)
            return
        chosen = self.model.chosen()
        activities = len(chosen.activities) if chosen else 0
        lessons = len(chosen.lessons) if chosen else 0
        goals = len(chosen.goals) if chosen else 0
        private = chosen.private_items if chosen else 0
        parts = [
            f"{activities} activit{'y' if activities == 1 else 'ies'}",
            f"{lessons} lesson{'' if lessons == 1 else 's'}",
        ]
        if self.model.candidates is not None and self.model.candidates.goals:
            parts.append(f"{goals} goal{'' if goals == 1 else 's'}")
        text = f"{', '.join(parts[:-1])} and {parts[-1]} will be included"
        if private:
            text += f", with {private} private item{'' if private == 1 else 's'} you ticked"
        self.contents_summary.setText(text + ".")
        ready = self.profile is not None and not running
        self.export_button.setEnabled(ready)
        self.export_button.setToolTip(
            "Choose where to save the PDF" if ready else "Set up your profile first"
        )
        if self.profile is not None and not running:
            self._set_status("")

    # -- preview --

    def update_preview(self) -> None:
        """Draw page 1 as the export will (the same drawing, through SVG)."""
        options = self.options()
        if options is None or self.profile is None:
            self.preview.clear()
            return
        page = page_size(options.paper)
        try:
            cover = preview_cover(self.services, options)
        except StorageError as exc:  # the data cannot be read now (closed, locked, damaged)
            self.preview.clear()
            self.preview.setText("No preview: the data cannot be read now.")
            self.preview.setToolTip(str(exc))
            return
        drawing = cover_drawing(cover, self._fonts, page)
        renderer = QSvgRenderer(QByteArray(qt_svg(drawing_to_svg(drawing))), self)
        height = round(PREVIEW_WIDTH * page[1] / page[0])
        image = QImage(QSize(PREVIEW_WIDTH, height), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        renderer.render(painter, QRectF(0, 0, PREVIEW_WIDTH, height))
        painter.end()
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview.setToolTip(f"Page 1 on {options.paper.label} paper")

    # -- export --

    def _suggested_name(self, options: ExportOptions) -> str:
        name = self.profile.name if self.profile else "portfolio"
        safe = "".join(c if c.isalnum() or c in " -_" else " " for c in name).strip()
        return f"Portfolio {safe} {options.period.end.isoformat()}.pdf"

    def export(self) -> None:
        options = self.options()
        if options is None or self.profile is None or self.task is not None:
            return
        path = self.prompts.save_file(
            self, "Export portfolio", self._suggested_name(options), "PDF files (*.pdf)"
        )
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".pdf")
        options = replace(options, export_date=self.today)
        exporter, services = self._exporter, self.services

        def work(progress: Progress) -> ExportResult:
            return exporter(services, options, path, progress)

        self.task = run_in_background(
            self, "Exporting portfolio", work, self._finished, self._failed
        )
        self.task.done.connect(self._task_ended)
        self._set_status(f"Exporting to {path}…")
        self._update_state()

    def _task_ended(self) -> None:
        self.task = None
        self._update_state()

    def _finished(self, result: Any) -> None:
        assert isinstance(result, ExportResult)
        self.last_result = result
        pages = f"{result.pages} page{'' if result.pages == 1 else 's'}"
        text = f"Exported {pages} to {result.path}."
        if result.warnings:
            text += "\n\n" + "\n".join(result.warnings)
        self._set_status(f"Exported {pages} on {format_day(self.today)} to {result.path}.")
        if self.prompts.confirm(self, "Portfolio exported", text + "\n\nOpen it now?", "Open"):
            self._open_file(result.path)

    def _failed(self, error: Exception) -> None:
        self._set_status("The export failed.", True)
        self.prompts.error(self, "Could not export the portfolio", str(error))

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()  # the task ends on its own, leaving no file behind
            return
        super().reject()
