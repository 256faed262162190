"""The Breadth page: the cross-sector breadth score, what it is made of, and what to do next.

The score, its figures and the per-sector chart come first; the sector table beside the chart
is the way in (select a sector to see the activities behind it, double-click one to open it).
The report itself is worked out in a worker thread (ui/dashboard/score_job.py; the page shows
"Working out your score…" where the score goes until it arrives), then the quarterly trend in
another (trend_job.py). Gaps come with concrete suggestions and a
button that plans one; development goals show their progress as their sectors' coverage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPalette,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.export.periods import format_day
from portfolio_app.report import BreadthReport, ReportInputs, build_report, current_report_inputs
from portfolio_app.scoring import BreadthResult, ScoringPolicy, ScoringPolicyError, TrendPoint
from portfolio_app.scoring.suggestions import planned_activity
from portfolio_app.services import AppServices
from portfolio_app.services.errors import ProfileMissing
from portfolio_app.ui.colours import SCORE, text_style
from portfolio_app.ui.dashboard.models import (
    ID_ROLE,
    VALUE_ROLE,
    ContributionsModel,
    GoalRow,
    GoalTableModel,
    SectorTableModel,
)
from portfolio_app.ui.dashboard.score_job import ScoreJob
from portfolio_app.ui.dashboard.svg_chart import SvgChart
from portfolio_app.ui.dashboard.trend_job import TrendJob
from portfolio_app.ui.widgets.validation import MUTED_STYLE

if TYPE_CHECKING:
    from portfolio_app.charts.fonts import Fonts

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
SECTOR_ROLE = Qt.ItemDataRole.UserRole + 1  # gaps tree: the gap's sector id
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 2  # gaps tree: the suggestion's position

BALANCE_TIP = (
    "Balance: how evenly your engagement is spread over the sectors you have reached, as an "
    "effective number of sectors. Equal work with 4 sectors gives 4; almost all of it with one "
    "sector gives close to 1.\n\nIt is a secondary figure to talk about, not the score: a long "
    "new secondment in a sector you already know makes the spread less even and lowers the "
    "balance, while your score still goes up."
)
SCORE_TIP = (
    "Your cross-sector breadth score, 0 to 100: the mean coverage of the sectors other than "
    "your own. Reaching a new sector counts most, deeper work next, and old work fades slowly "
    "(it halves every two years by default). Adding an activity never lowers it."
)
GOALS_EMPTY = (
    "No development goals yet. Add one to name the sectors you want to reach by a date; "
    "its progress is their coverage."
)
WORKING = "Working out your score…"


class ProgressDelegate(QStyledItemDelegate):
    """Draws the goal's progress (VALUE_ROLE, 0..1) as a short bar with its text beside it
    (text drawn over a bar is hard to read where the bar ends)."""

    BAR_WIDTH = 56

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        value = index.data(VALUE_ROLE)
        if not isinstance(value, float):
            super().paint(painter, option, index)
            return
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        widget = view_option.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = view_option.text
        view_option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view_option, painter, widget)
        cell = option.rect
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(cell.left() + 4, cell.top() + 4, self.BAR_WIDTH, cell.height() - 8)
        bar.minimum = 0
        bar.maximum = 100
        bar.progress = round(max(0.0, min(1.0, value)) * 100)
        bar.textVisible = False
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
        text_rect = cell.adjusted(self.BAR_WIDTH + 10, 0, -2, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(view_option.palette.color(role))
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            view_option.fontMetrics.elidedText(
                text, Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.restore()


def _table(name: str, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setIconSize(QSize(10, 10))
    return table


def _muted(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(MUTED_STYLE)
    return label


class BreadthPage(QWidget):
    """The dashboard. It never writes: it asks the window to open, plan, add, edit or delete."""

    open_activity = Signal(int)
    plan_activity = Signal(object)  # a planned Activity, not saved yet
    add_goal_requested = Signal()
    edit_goal_requested = Signal(int)
    delete_goal_requested = Signal(int)
    # The latest request's outcome is on the page (the report, or the message saying why not).
    score_shown = Signal()
    # Work the report out in a worker thread (the app); False: at once, on the caller's thread
    # (tests of what the page shows set it so, tests/ui/conftest.py).
    score_in_background: ClassVar[bool] = True

    def __init__(
        self,
        services: AppServices,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Breadth")
        self.services = services
        self.today = today
        self._fonts: Fonts | None = None
        self.report: BreadthReport | None = None
        self.result: BreadthResult | None = None
        self.trend_points: list[TrendPoint] | None = None
        self.policy: ScoringPolicy | None = None
        self._stale = True
        self._chosen_sector: str | None = None  # the sector the user picked, kept on refresh
        self._selecting = False
        self._generation = 0
        self._trend_job: TrendJob | None = None
        self.score_pending = False  # a report is being worked out for the latest request
        # Charts waiting for the window's first frame (reportlab and the fonts load then).
        self._held_charts: dict[str, Callable[[], None]] | None = None

        content = QWidget(self)
        self._build_header(content)
        self._build_sectors(content)
        self._build_trend(content)
        self._build_gaps(content)
        self._build_goals(content)

        grid = QGridLayout(content)
        grid.setContentsMargins(12, 10, 12, 12)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        grid.addWidget(self.header, 0, 0, 1, 2)
        grid.addWidget(self.sectors_box, 1, 0, 1, 2)
        grid.addWidget(self.behind_box, 2, 0)
        grid.addWidget(self.trend_box, 2, 1)
        grid.addWidget(self.gaps_box, 3, 0)
        grid.addWidget(self.goals_box, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        grid.setRowStretch(3, 1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Breadth dashboard")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)

        self.message = QLabel(self)
        self.message.setAccessibleName("Breadth message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(24)
        self.message.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.scroll_area)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ----- building -----------------------------------------------------------------------

    def _build_header(self, parent: QWidget) -> None:
        self.header = QWidget(parent)
        self.score_label = QLabel("–", self.header)
        self.score_label.setAccessibleName("Breadth score")
        self.score_label.setToolTip(SCORE_TIP)
        font = QFont(self.score_label.font())
        font.setPointSizeF(font.pointSizeF() * 2.8)
        font.setBold(True)
        self.score_label.setFont(font)
        self.score_label.setStyleSheet(text_style(SCORE))
        out_of = QLabel("/ 100", self.header)
        out_of.setStyleSheet(MUTED_STYLE)

        self.title_label = QLabel(self.header)
        self.title_label.setAccessibleName("Score title")
        title_font = QFont(self.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.reached_label = QLabel(self.header)
        self.reached_label.setAccessibleName("Sectors reached")
        self.reached_label.setToolTip(
            "Sectors whose coverage has reached the policy's threshold, of all the sectors "
            "other than your own."
        )
        self.balance_label = QLabel(self.header)
        self.balance_label.setAccessibleName("Balance")
        self.balance_label.setToolTip(BALANCE_TIP)
        self.balance_label.setAccessibleDescription(BALANCE_TIP)
        self.policy_label = QLabel(self.header)
        self.policy_label.setAccessibleName("Scoring policy")
        self.policy_label.setStyleSheet(MUTED_STYLE)
        self.policy_label.setWordWrap(True)
        self.policy_label.setTextFormat(Qt.TextFormat.PlainText)

        figures = QVBoxLayout()
        figures.setSpacing(2)
        figures.addWidget(self.title_label)
        row = QHBoxLayout()
        row.setSpacing(18)
        row.addWidget(self.reached_label)
        row.addWidget(self.balance_label)
        row.addStretch(1)
        figures.addLayout(row)
        figures.addWidget(self.policy_label)

        layout = QHBoxLayout(self.header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.score_label, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(out_of, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addSpacing(18)
        layout.addLayout(figures, 1)

    def _build_sectors(self, parent: QWidget) -> None:
        self.sectors_box = QGroupBox("Coverage by sector", parent)
        self.chart = SvgChart("Coverage by sector chart", self.sectors_box)
        self.sector_model = SectorTableModel(self)
        self.sector_table = _table("Sector table", self.sectors_box)
        self.sector_table.setModel(self.sector_model)
        header = self.sector_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.sector_table.setToolTip("Select a sector to see the activities behind it")
        self.sector_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._sector_changed(current.row())
        )
        layout = QHBoxLayout(self.sectors_box)
        layout.addWidget(self.chart, 5, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.sector_table, 4)

        self.behind_box = QGroupBox("Activities behind the sector", parent)
        self.behind_label = _muted("", self.behind_box)
        self.behind_label.setAccessibleName("Activities behind the sector explanation")
        self.contributions_model = ContributionsModel(self)
        self.contributions_table = _table("Activities behind the sector", self.behind_box)
        self.contributions_table.setModel(self.contributions_model)
        header = self.contributions_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Sized by the rows on screen, not Qt's default first 1000: at 10k a sector has
        # thousands behind it, and each layout of the page asked every one of them (~48k
        # data() calls at start, 0.85 s). The columns are numbers of one width anyway.
        header.setResizeContentsPrecision(0)
        self.contributions_table.setToolTip("Double-click an activity (or press Enter) to open it")
        # Double-click or Enter (or a single click where the platform opens items that way).
        self.contributions_table.activated.connect(self._open_contribution)
        behind = QVBoxLayout(self.behind_box)
        behind.addWidget(self.behind_label)
        behind.addWidget(self.contributions_table, 1)

    def _build_trend(self, parent: QWidget) -> None:
        self.trend_box = QGroupBox("Score by quarter, last three years", parent)
        self.trend_chart = SvgChart("Score trend chart", self.trend_box)
        self.trend_status = _muted("", self.trend_box)
        self.trend_status.setAccessibleName("Trend status")
        layout = QVBoxLayout(self.trend_box)
        layout.addWidget(self.trend_status)
        layout.addWidget(self.trend_chart, 0, Qt.AlignmentFlag.AlignTop)
        layout.addStretch(1)

    def _build_gaps(self, parent: QWidget) -> None:
        self.gaps_box = QGroupBox("Gaps: sectors with no or little coverage", parent)
        self.gaps_model = QStandardItemModel(self)
        self.gaps_view = QTreeView(self.gaps_box)
        self.gaps_view.setAccessibleName("Gaps")
        self.gaps_view.setModel(self.gaps_model)
        self.gaps_view.setHeaderHidden(True)
        self.gaps_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gaps_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gaps_view.setIconSize(QSize(10, 10))
        self.gaps_view.setWordWrap(True)
        self.gaps_view.selectionModel().selectionChanged.connect(self._update_gap_buttons)
        self.gaps_empty = _muted("", self.gaps_box)
        self.gaps_empty.setAccessibleName("Gaps explanation")
        self.plan_button = QPushButton("Plan one", self.gaps_box)
        self.plan_button.setAccessibleName("Plan one")
        self.plan_button.setToolTip(
            "Add the selected suggestion to your activities as planned, a month from today. "
            "Planned work counts in the score once you mark it done."
        )
        self.plan_button.clicked.connect(self.plan_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(
            _muted("Pick a suggestion and plan it; you can change it later.", self.gaps_box), 1
        )
        buttons.addWidget(self.plan_button)
        layout = QVBoxLayout(self.gaps_box)
        layout.addWidget(self.gaps_empty)
        layout.addWidget(self.gaps_view, 1)
        layout.addLayout(buttons)

    def _build_goals(self, parent: QWidget) -> None:
        self.goals_box = QGroupBox("Development goals", parent)
        self.goal_model = GoalTableModel(self.today(), self)
        self.goals_table = _table("Development goals", self.goals_box)
        self.goals_table.setModel(self.goal_model)
        self.goals_table.setItemDelegateForColumn(3, ProgressDelegate(self.goals_table))
        header = self.goals_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.goals_table.setColumnWidth(1, 110)
        self.goals_table.setColumnWidth(3, 130)
        self.goals_table.activated.connect(lambda _index: self._edit_goal())
        self.goals_table.selectionModel().selectionChanged.connect(self._update_goal_buttons)
        self.goals_empty = _muted(GOALS_EMPTY, self.goals_box)
        self.goals_empty.setAccessibleName("Development goals explanation")

        self.add_goal_button = QPushButton("Add goal…", self.goals_box)
        self.add_goal_button.setAccessibleName("Add goal")
        self.add_goal_button.clicked.connect(self.add_goal_requested.emit)
        self.edit_goal_button = QPushButton("Edit…", self.goals_box)
        self.edit_goal_button.setAccessibleName("Edit goal")
        self.edit_goal_button.clicked.connect(self._edit_goal)
        self.delete_goal_button = QPushButton("Delete", self.goals_box)
        self.delete_goal_button.setAccessibleName("Delete goal")
        self.delete_goal_button.clicked.connect(self._delete_goal)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.add_goal_button, self.edit_goal_button, self.delete_goal_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self.goals_box)
        layout.addWidget(self.goals_empty)
        layout.addWidget(self.goals_table, 1)
        layout.addLayout(buttons)
        self._update_goal_buttons()

    # ----- data ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Mark the figures out of date; work them out now if the page is showing (scoring a
        big portfolio takes a moment, so a hidden page waits until it is shown)."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Score the portfolio as it is now and show everything again: the report is worked
        out in a worker thread (the page says so meanwhile); a newer request drops the result
        of an older one still running."""
        self._stale = False
        self._generation += 1  # a report or trend still being worked out is now out of date
        if not self.score_in_background:
            try:
                source = current_report_inputs(self.services)
                report = build_report(source, as_of=self.today())
            except Exception as exc:
                self._score_failed(self._generation, exc)
            else:
                self._score_computed(self._generation, (source, report))
            return
        self._show_working()
        job = ScoreJob(self.services, self.today(), generation=self._generation)
        job.computed.connect(self._score_computed)
        job.failed.connect(self._score_failed)
        job.start_job()

    def _show_working(self) -> None:
        self.score_pending = True
        if self.report is None:  # nothing to show yet: the placeholder where the score goes
            self.score_label.setText("…")
            self.score_label.setAccessibleDescription(WORKING)
            self.stack.setCurrentWidget(self.scroll_area)
        self.title_label.setText(WORKING)

    def shown_outcome(self) -> QWidget:
        """The widget showing the latest outcome: the score, or the message saying why not."""
        current = self.stack.currentWidget()
        return self.score_label if current is None or current is self.scroll_area else current

    def _score_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self.score_pending = False
        if isinstance(error, ProfileMissing):
            self._show_message(
                "Set up your profile (your home organisation and its sector) "
                "to see your breadth score."
            )
        elif isinstance(error, ScoringPolicyError):
            self._show_message(
                "The breadth score cannot be worked out: the scoring rules in the sector list "
                f"are not valid.\n\n{error}"
            )
        else:
            log.error("The breadth score could not be worked out: %s", error, exc_info=error)
            self._show_message(f"The breadth score could not be worked out: {error}")
        self.score_shown.emit()

    def _score_computed(self, generation: int, outcome: tuple[ReportInputs, BreadthReport]) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self.score_pending = False
        source, report = outcome
        # Everything on the page reads this one report; the page only displays it.
        result = report.result
        self.report, self.policy, self.result = report, source.policy, result
        self.stack.setCurrentWidget(self.scroll_area)
        self._show_figures(result)
        self._show_chart(result)
        self._show_sector_table(report)
        self._show_gaps(report)
        self._show_goals(report)
        self._start_trend(report)
        self.score_shown.emit()

    def _chart_fonts(self) -> Fonts:
        """The charts' fonts, loaded with reportlab when the first chart is drawn."""
        if self._fonts is None:
            from portfolio_app.charts.fonts import Fonts

            self._fonts = Fonts()
        return self._fonts

    def _show_message(self, text: str) -> None:
        self.report = self.result = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _show_figures(self, result: BreadthResult) -> None:
        self.score_label.setText(f"{result.score:.1f}")
        self.score_label.setAccessibleDescription(f"{result.score:.1f} out of 100")
        self.title_label.setText(f"{result.policy_name} on {format_day(result.at)}")
        self.reached_label.setText(
            f"Sectors reached: <b>{result.sectors_reached}</b> of {result.sector_count}"
        )
        self.balance_label.setText(
            f"Balance: <b>{result.balance:.1f}</b> effective sectors "
            "<span style='color: palette(link)'>(?)</span>"
        )
        text = (
            f"Policy {result.policy_id}, version {result.policy_version} · sector list "
            f"{result.taxonomy_id} {result.taxonomy_version}"
        )
        home = result.home_sector_id
        if home and all(s.id != home for s in result.sectors):
            text += f" · your own sector ({self.services.taxonomy.label(home)}) is not counted"
        self.policy_label.setText(text)

    def hold_charts(self) -> None:
        """Draw no chart until `release_charts`: the window's first frame shows the figures
        without loading reportlab and registering the fonts (over a second at start)."""
        if self._held_charts is None:
            self._held_charts = {}

    def release_charts(self) -> None:
        """Draw the charts held back since `hold_charts` (the latest of each), and from now
        on draw them at once."""
        held, self._held_charts = self._held_charts, None
        for draw in (held or {}).values():
            draw()

    def _draw(self, chart: str, draw: Callable[[], None]) -> None:
        if self._held_charts is None:
            draw()
        else:
            self._held_charts[chart] = draw

    def _show_chart(self, result: BreadthResult) -> None:
        self._draw("sectors", lambda: self._draw_sector_chart(result))

    def _draw_sector_chart(self, result: BreadthResult) -> None:
        home = result.home_sector_id
        compared = {s.id for s in result.sectors}
        home_label = self.services.taxonomy.label(home) if home and home not in compared else None
        from portfolio_app.charts.score_charts import sector_bars

        drawing = sector_bars(result, self._chart_fonts(), 340.0, home_label=home_label)
        described = "; ".join(f"{s.label} {s.coverage:.0%}" for s in result.sectors)
        self.chart.set_drawing(drawing, f"Coverage by sector: {described}")

    def _show_sector_table(self, report: BreadthReport) -> None:
        kept = self._chosen_sector
        self.sector_model.set_result(report.result)
        row = self.sector_model.row_of(kept) if kept else None
        if row is None:
            # Start with the most engaged sector: it has the most to show.
            best = report.most_engaged()
            row = self.sector_model.row_of(best.id) if best else None
        if row is not None:
            self.select_sector_row(row)
        else:
            self._show_sector(-1)

    def select_sector_row(self, row: int) -> None:
        index = self.sector_model.index(row, 0)
        self._selecting = True
        try:
            self.sector_table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._selecting = False
        self._show_sector(row)

    def _sector_changed(self, row: int) -> None:
        if not self._selecting:  # the user's choice (not the page's own): keep it on refresh
            result = self.result
            if result is not None and 0 <= row < len(result.sectors):
                self._chosen_sector = result.sectors[row].id
        self._show_sector(row)

    def selected_sector_id(self) -> str | None:
        index = self.sector_table.currentIndex()
        value = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        return value if isinstance(value, str) else None

    def _show_sector(self, row: int) -> None:
        result = self.result
        if result is None or not 0 <= row < len(result.sectors):
            self.contributions_model.set_contributions((), 0.0)
            self.behind_box.setTitle("Activities behind the sector")
            self.behind_label.setText("Select a sector in the table above.")
            return
        sector = result.sectors[row]
        rows = sector.contributions
        self.contributions_model.set_contributions(rows, sector.engagement)
        self.behind_box.setTitle(f"Activities behind {sector.label}")
        if rows:
            count = f"{len(rows)} activit{'y' if len(rows) == 1 else 'ies'}"
            self.behind_label.setText(
                f"{count}, largest contribution first. Double-click one to open it."
            )
        else:
            self.behind_label.setText(
                f"No activity counts for {sector.label} yet: see the gaps below for ideas."
            )

    def _open_contribution(self, index: QModelIndex) -> None:
        activity_id = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        if isinstance(activity_id, int):
            self.open_activity.emit(activity_id)

    # ----- trend --------------------------------------------------------------------------

    def _start_trend(self, report: BreadthReport) -> None:
        self.trend_points = None
        self.trend_status.setText("Working out the score at each quarter end…")
        self.trend_status.show()
        job = TrendJob(report, generation=self._generation)
        job.computed.connect(self._trend_computed)
        job.failed.connect(self._trend_failed)
        self._cancel_trend()
        self._trend_job = job
        job.start_job()

    def _draw_trend_chart(self, points: list[TrendPoint]) -> None:
        from portfolio_app.charts.score_charts import trend_line

        pairs = [(p.at, p.score) for p in points]
        drawing = trend_line(pairs, self._chart_fonts(), 330.0, 130.0)
        described = "; ".join(f"{format_day(p.at)} {p.score:.1f}" for p in points)
        self.trend_chart.set_drawing(drawing, f"Score at each quarter end and today: {described}")

    def _cancel_trend(self) -> None:
        """A trend for data that has since changed is not worth finishing."""
        job, self._trend_job = self._trend_job, None
        try:
            if job is not None and job.isRunning():
                job.cancel()
        except RuntimeError:  # it ended and Qt has deleted it already
            pass

    def _trend_computed(self, generation: int, points: list[TrendPoint]) -> None:
        if generation != self._generation:
            return
        self._trend_job = None
        self.trend_points = points
        self._draw("trend", lambda: self._draw_trend_chart(points))
        if points and len(points) > 1:
            change = points[-1].score - points[0].score
            self.trend_status.setText(
                f"{change:+.1f} since {format_day(points[0].at)}; old work fades slowly, "
                "so a flat line means keeping up."
            )
        else:
            self.trend_status.setText("Not enough history for a trend yet.")

    def _trend_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._trend_job = None
            self.trend_chart.clear()
            self.trend_status.setText(f"The trend could not be worked out: {message}")

    def trend_ready(self) -> bool:
        return self.trend_points is not None

    # ----- gaps ---------------------------------------------------------------------------

    def _show_gaps(self, report: BreadthReport) -> None:
        self.gaps_model.clear()
        found = report.gaps
        for gap in found:
            sector = gap.sector
            state = (
                "not reached yet"
                if not sector.reached
                else f"{sector.coverage:.0%} covered, little so far"
            )
            item = QStandardItem(f"{sector.label} — {state}")
            item.setData(QColor(sector.colour), Qt.ItemDataRole.DecorationRole)
            item.setData(sector.id, SECTOR_ROLE)
            item.setToolTip(f"{sector.label}: coverage {sector.coverage:.0%}")
            item.setEditable(False)
            for position, suggestion in enumerate(gap.suggestions):
                child = QStandardItem(suggestion.title)
                child.setData(sector.id, SECTOR_ROLE)
                child.setData(position, SUGGESTION_ROLE)
                child.setToolTip(f"{suggestion.type.label}: {suggestion.title}")
                child.setEditable(False)
                item.appendRow(child)
            self.gaps_model.appendRow(item)
        self.gaps_view.expandAll()
        if found:
            self.gaps_empty.setText(
                "Ideas for the sectors you have not reached, or reached only a little:"
            )
            first = self.gaps_model.index(0, 0)
            self.gaps_view.setCurrentIndex(self.gaps_model.index(0, 0, first))
        else:
            self.gaps_empty.setText(
                "No gaps: every sector is at least half covered. Keep your contacts warm; "
                "old work fades slowly."
            )
        self.gaps_view.setVisible(bool(found))
        self._update_gap_buttons()

    def gap_sector_ids(self) -> list[str]:
        model = self.gaps_model
        return [str(model.index(row, 0).data(SECTOR_ROLE)) for row in range(model.rowCount())]

    def _update_gap_buttons(self) -> None:
        self.plan_button.setEnabled(self.gaps_view.currentIndex().isValid())

    def plan_selected(self) -> None:
        index = self.gaps_view.currentIndex()
        if not index.isValid():
            return
        sector_id = index.data(SECTOR_ROLE)
        position = index.data(SUGGESTION_ROLE)
        report = self.report
        gap = next((g for g in report.gaps if g.sector.id == sector_id), None) if report else None
        if gap is None or not gap.suggestions:
            return
        suggestion = gap.suggestions[position if isinstance(position, int) else 0]
        self.plan_activity.emit(planned_activity(suggestion, str(sector_id), self.today()))

    # ----- goals --------------------------------------------------------------------------

    def _show_goals(self, report: BreadthReport) -> None:
        kept = self.selected_goal_id()
        taxonomy = report.source.taxonomy
        rows = [
            GoalRow(
                item.goal,
                ", ".join(taxonomy.label(s) for s in item.goal.sector_ids),
                item.progress,
            )
            for item in report.goals
        ]
        self.goal_model.set_rows(rows, report.as_of)
        self.goals_empty.setVisible(not rows)
        if kept is not None:
            self.select_goal(kept)
        self._update_goal_buttons()

    def select_goal(self, goal_id: int) -> None:
        row = self.goal_model.row_of(goal_id)
        if row is not None:
            self.goals_table.selectionModel().setCurrentIndex(
                self.goal_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def selected_goal_id(self) -> int | None:
        index = self.goals_table.currentIndex()
        if not index.isValid() or not self.goals_table.selectionModel().isRowSelected(index.row()):
            return None
        value = index.siblingAtColumn(0).data(ID_ROLE)
        return value if isinstance(value, int) else None

    def _update_goal_buttons(self) -> None:
        selected = self.selected_goal_id() is not None
        self.edit_goal_button.setEnabled(selected)
        self.delete_goal_button.setEnabled(selected)

    def _edit_goal(self) -> None:
        goal_id = self.selected_goal_id()
        if goal_id is not None:
            self.edit_goal_requested.emit(goal_id)

    def _delete_goal(self) -> None:
        goal_id = self.selected_goal_id()
        if goal_id is not None:
            self.delete_goal_requested.emit(goal_id)
