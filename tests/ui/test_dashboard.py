"""The Breadth page driven as a user would, on real data: score and figures, the per-sector chart
and its table, drill-down to activities, the trend, gaps with "Plan one", development goals, and
the "what if" line of the activity dialog."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from reportlab.graphics.shapes import Rect

from portfolio_app.charts.palette import colour
from portfolio_app.domain.dates import format_date
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Goal, Organisation
from portfolio_app.report import build_report, load_report_inputs, trend_days
from portfolio_app.scoring import (
    BreadthResult,
    load_inputs,
    policy_from_taxonomy,
    score,
    score_value,
    what_if,
)
from portfolio_app.scoring.suggestions import gaps, month_ahead, suggestions_for
from portfolio_app.services import AppServices
from portfolio_app.ui.app import show_window
from portfolio_app.ui.dashboard.breadth_page import SECTOR_ROLE, SUGGESTION_ROLE, BreadthPage
from portfolio_app.ui.dashboard.goal_dialog import GoalDialog
from portfolio_app.ui.dashboard.models import (
    ID_ROLE,
    VALUE_ROLE,
    ContributionsModel,
    GoalRow,
    GoalTableModel,
    SectorTableModel,
)
from portfolio_app.ui.dashboard.svg_chart import qt_svg
from portfolio_app.ui.dashboard.trend_job import TrendJob
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.main_window import MainWindow

from .conftest import DEMO_TODAY, FakePrompts
from .helpers import find_by_name, walk_unnamed

MakeWindow = Callable[[AppServices], MainWindow]
SVG = "{http://www.w3.org/2000/svg}"


def _expected(services: AppServices, at: date = DEMO_TODAY) -> BreadthResult:
    taxonomy = services.taxonomy
    home = services.profile.require().home_sector_id
    return score(load_inputs(services), policy_from_taxonomy(taxonomy), taxonomy, home, at)


def _breadth(window: MainWindow, at: date = DEMO_TODAY) -> BreadthPage:
    """The Breadth page of `window`, scored as on `at` (the demo data is dated around it)."""
    page = window.breadth_page
    page.today = lambda: at
    window.go_to_page(0)
    page.refresh()
    return page


def _open_dialog(window: MainWindow, kind: type[QDialog]) -> QDialog:
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(dialogs) == 1, f"expected one open {kind.__name__}, found {len(dialogs)}"
    return dialogs[0]


def _click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _save(qtbot: QtBot, dialog: QDialog) -> None:
    _click(qtbot, find_by_name(dialog, "Save", QPushButton))
    qtbot.waitUntil(lambda: not dialog.isVisible())


# --- score, figures and chart ----------------------------------------------------------------


def test_breadth_is_the_first_page_with_ctrl_1(
    demo_services: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(demo_services)
    assert window.nav_model.index(0, 0).data() == "Breadth"
    assert window.pages.widget(0) is window.breadth_page
    assert window.pages.currentWidget() is window.breadth_page  # shown first on a fresh start
    shortcuts = [a.shortcut().toString() for a in window.page_actions]
    assert shortcuts == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    window.page_actions[1].trigger()
    assert window.pages.currentWidget() is window.activities_page
    window.page_actions[0].trigger()
    assert window.pages.currentWidget() is window.breadth_page
    assert not window.open_action.isEnabled()  # nothing on this page for Open/Delete
    assert not window.delete_action.isEnabled()


def test_score_and_figures_match_the_scoring_module(
    demo_services: AppServices, make_window: MakeWindow
) -> None:
    page = _breadth(make_window(demo_services))
    expected = _expected(demo_services)
    assert page.result == expected
    assert find_by_name(page, "Breadth score").text() == f"{expected.score:.1f}"  # type: ignore[attr-defined]
    reached = find_by_name(page, "Sectors reached").text()  # type: ignore[attr-defined]
    assert f"{expected.sectors_reached}</b> of {expected.sector_count}" in reached
    balance = find_by_name(page, "Balance")
    assert f"{expected.balance:.1f}</b> effective sectors" in balance.text()  # type: ignore[attr-defined]
    assert "secondary" in balance.toolTip() and "effective number" in balance.toolTip()
    title = find_by_name(page, "Score title").text()  # type: ignore[attr-defined]
    assert expected.policy_name in title and "1 Nov 2026" in title
    policy = find_by_name(page, "Scoring policy").text()  # type: ignore[attr-defined]
    assert f"Policy {expected.policy_id}, version {expected.policy_version}" in policy
    assert "Local government" in policy  # the home sector, not counted


def test_chart_has_one_bar_per_sector_in_taxonomy_colours(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    page = _breadth(make_window(demo_services))
    result = page.result
    assert result is not None and result.sector_count == 10
    chart = page.chart
    assert chart.renderer().isValid()
    # The SVG (what QtSvg shows) labels every sector once, in taxonomy order.
    texts = [t.text or "" for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]

    def labelled(label: str) -> list[str]:
        return [t for t in texts if t == label or (t.endswith("…") and label.startswith(t[:-1]))]

    for sector in result.sectors:
        assert len(labelled(sector.label)) == 1, sector.label
    order = [next(i for i, t in enumerate(texts) if t in labelled(s.label)) for s in result.sectors]
    assert order == sorted(order)
    # The drawing has one bar per sector in the sector's colour, as long as its coverage.
    assert chart.drawing is not None
    bars = [r for r in chart.drawing.contents if isinstance(r, Rect)]
    for sector in result.sectors:
        [bar] = [r for r in bars if r.fillColor == colour(sector.colour)]
        full = max(r.width for r in bars)
        assert bar.width == pytest.approx(full * sector.coverage)
    # On screen it is drawn, not hidden under a black box (see svg_chart.qt_svg).
    image = chart.grab().toImage()
    assert image.width() > 300
    assert QColor(image.pixel(3, 3)) != QColor("black")
    assert "NHS 100%" in chart.accessibleDescription()


def test_qt_svg_adapts_what_qtsvg_would_misdraw() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><clipPath id="clip"><rect/></clipPath>'
        b'<text style="font-family: PortfolioSans-Bold; font-size: 8px">x</text>'
        b'<polyline style="stroke: red; fill: None;"/></svg>'
    )
    adapted = qt_svg(svg).decode()
    assert '<defs><clipPath id="clip"><rect/></clipPath></defs>' in adapted
    assert "fill: none;" in adapted and "None" not in adapted
    assert "font-family: 'DejaVu Sans'; font-weight: bold;" in adapted


# --- sectors and the activities behind them ---------------------------------------------------


def test_selecting_a_sector_shows_its_activities_largest_first_and_double_click_opens(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(demo_services)
    page = _breadth(window)
    result = page.result
    assert result is not None
    table = page.sector_table
    assert table.model().rowCount() == result.sector_count
    police = page.sector_model.row_of("police")
    assert police is not None
    rect = table.visualRect(table.model().index(police, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_sector_id() == "police"
    assert page.behind_box.title() == "Activities behind Police"

    expected = result.sector("police").contributions
    model = page.contributions_model
    assert model.rowCount() == len(expected) >= 2
    shown = [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]
    assert shown == [c.activity_id for c in expected]
    amounts = [model.index(r, 1).data(VALUE_ROLE) for r in range(model.rowCount())]
    assert amounts == sorted(amounts, reverse=True)
    assert amounts[0] > amounts[-1] > 0
    titles = {a.id: a.title for a in demo_services.activities.list_all()}
    assert model.index(0, 0).data() == titles[shown[0]]
    assert page.sector_model.index(police, 3).data() == str(len(expected))

    contributions = page.contributions_table
    cell = contributions.visualRect(model.index(1, 0)).center()
    opened: list[int] = []
    page.open_activity.connect(opened.append)
    # A real double-click: press and release, then the double-click event.
    qtbot.mouseClick(contributions.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert opened == []  # one click selects, it does not open
    qtbot.mouseDClick(contributions.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert opened == [shown[1]]
    dialog = _open_dialog(window, ActivityDialog)
    assert dialog.value().id == shown[1]  # type: ignore[attr-defined]
    dialog.reject()


def _trend(services: AppServices, at: date = DEMO_TODAY) -> list[tuple[date, float]]:
    """The score on each trend day, worked out here from the scoring module."""
    taxonomy = services.taxonomy
    policy, home = policy_from_taxonomy(taxonomy), services.profile.require().home_sector_id
    inputs = load_inputs(services)
    return [(d, score_value(inputs, policy, taxonomy, home, d)) for d in trend_days(at)]


def test_trend_is_worked_out_in_the_background(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    page = _breadth(make_window(demo_services))
    qtbot.waitUntil(page.trend_ready)
    expected = _trend(demo_services)
    assert page.trend_points == expected and len(expected) == 13  # 12 quarter ends, then today
    assert expected[0][0] == date(2023, 12, 31) and expected[-2][0] == date(2026, 9, 30)
    assert page.trend_chart.drawing is not None
    labels = [t.text for t in ET.fromstring(page.trend_chart.svg).iter(f"{SVG}text")]
    assert f"{expected[-1][1]:.1f}" in labels  # the last point is labelled
    assert "31 Dec 2023" in page.trend_chart.accessibleDescription()


def test_the_trend_ends_on_the_headline_date_with_the_headline_score(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    """The headline said 9.5 while the trend's last point (the last quarter end) said 6.3."""
    page = _breadth(make_window(demo_services))
    qtbot.waitUntil(page.trend_ready)
    assert page.trend_points is not None and page.result is not None
    last = page.trend_points[-1]
    assert last.at == DEMO_TODAY == page.result.at
    assert last.score == page.result.score
    headline = find_by_name(page, "Breadth score", QLabel).text()
    assert f"{last.score:.1f}" == headline
    assert f"{format_date(DEMO_TODAY)} {headline}" in page.trend_chart.accessibleDescription()
    # Work since the last quarter end shows: the headline is not the quarter end's score.
    assert page.trend_points[-2].score != last.score


def test_the_detail_panel_opens_on_the_most_engaged_sector(
    with_profile: AppServices, make_window: MakeWindow
) -> None:
    at = date(2026, 5, 1)
    for title, start, end, sector in (
        ("Hospital discharge day", date(2026, 3, 2), None, "nhs"),  # NHS: the first row
        ("Police secondment", date(2025, 9, 1), date(2026, 2, 27), "police"),
        ("Probation shadowing", date(2026, 4, 1), None, "justice"),
    ):
        kind = ActivityType.SECONDMENT if end else ActivityType.SHADOWING
        with_profile.activities.create(
            Activity(kind, title, start, end, extra_sector_ids=(sector,))
        )
    page = _breadth(make_window(with_profile), at)
    assert page.result is not None
    best = max(page.result.sectors, key=lambda s: s.engagement)
    assert best.id != page.result.sectors[0].id  # else this test could not fail
    assert page.selected_sector_id() == best.id
    assert page.behind_box.title() == f"Activities behind {best.label}"
    assert page.contributions_model.rowCount() == len(best.contributions) > 0
    page.sector_table.setFocus()  # focus alone does not move it to the first row
    page.refresh()
    assert page.selected_sector_id() == best.id
    page.select_sector_row(0)  # the page's own choice is not kept over the most engaged...
    page.refresh()
    assert page.selected_sector_id() == best.id
    page.sector_table.selectRow(2)  # ...but the user's is
    chosen = page.result.sectors[2].id
    page.refresh()
    assert page.selected_sector_id() == chosen


def test_an_out_of_date_trend_is_dropped(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    page = _breadth(make_window(demo_services))
    demo_services.activities.create(
        Activity(
            ActivityType.SECONDMENT,
            "Fire service secondment",
            date(2025, 1, 6),
            date(2025, 6, 30),
            extra_sector_ids=("fire-rescue",),
        )
    )
    page.refresh()  # the trend of the first refresh is no longer wanted
    qtbot.waitUntil(page.trend_ready)
    expected = _trend(demo_services)
    assert page.trend_points == expected
    qtbot.waitUntil(lambda: TrendJob.running() == 0)
    assert page.trend_points == expected  # the first job's answer, if any, was ignored


def test_a_hidden_page_catches_up_when_shown(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(with_profile)
    page = _breadth(window, date.today())
    assert page.result is not None and page.result.score == 0
    window.go_to_page(1)
    with_profile.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Day with the police",
            date.today(),
            extra_sector_ids=("police",),
        )
    )
    window.reload()
    assert page.result.score == 0  # not worked out while hidden
    window.go_to_page(0)
    expected = _expected(with_profile, date.today()).score
    assert expected > 0
    assert page.result.score == pytest.approx(expected)


# --- gaps and "Plan one" -----------------------------------------------------------------------


def test_gaps_list_the_uncovered_sectors_with_suggestions(
    with_profile: AppServices, make_window: MakeWindow
) -> None:
    today = date(2026, 5, 1)
    with_profile.activities.create(
        Activity(
            ActivityType.SECONDMENT,
            "Police secondment",
            date(2026, 1, 5),
            date(2026, 3, 31),
            extra_sector_ids=("police",),
        )
    )
    page = _breadth(make_window(with_profile), today)
    result = page.result
    assert result is not None
    uncovered = [s.id for s in result.sectors if s.coverage == 0]
    assert len(uncovered) == 9 and "police" not in uncovered
    assert page.gap_sector_ids() == uncovered  # least covered first, then taxonomy order
    model = page.gaps_model
    for row, sector_id in enumerate(uncovered):
        parent = model.index(row, 0)
        assert "not reached yet" in parent.data()
        titles = [model.index(k, 0, parent).data() for k in range(model.rowCount(parent))]
        assert titles == [s.title for s in suggestions_for(sector_id, with_profile.taxonomy)]
        assert 1 <= len(titles) <= 2
    assert page.plan_button.isEnabled()


def test_gaps_include_sectors_with_little_coverage(
    demo_services: AppServices, make_window: MakeWindow
) -> None:
    page = _breadth(make_window(demo_services))
    assert page.result is not None
    little = gaps(page.result)
    assert little and all(s.reached and s.coverage < 0.5 for s in little)  # demo reaches all
    assert page.gap_sector_ids() == [s.id for s in little]
    assert "covered, little so far" in page.gaps_model.index(0, 0).data()


def test_plan_one_adds_a_planned_activity_that_does_not_change_the_score(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    window = make_window(demo_services)
    page = _breadth(window)
    assert page.result is not None
    before = page.result.score
    count = len(demo_services.activities.list_all())
    model = page.gaps_model
    sector_id = page.gap_sector_ids()[1]
    second = model.index(1, 0, model.index(1, 0))  # the second suggestion for the second gap
    assert second.data(SECTOR_ROLE) == sector_id and second.data(SUGGESTION_ROLE) == 1
    page.gaps_view.setCurrentIndex(second)
    _click(qtbot, page.plan_button)

    suggestion = suggestions_for(sector_id, demo_services.taxonomy)[1]
    [planned] = [a for a in demo_services.activities.list_all() if a.title == suggestion.title]
    assert planned.status is Status.PLANNED
    assert planned.type is suggestion.type
    assert planned.extra_sector_ids == (sector_id,)
    assert planned.start == month_ahead(DEMO_TODAY) == date(2026, 12, 1)
    assert len(demo_services.activities.list_all()) == count + 1
    assert page.result.score == before  # planned work counts once done
    assert window.activities_page.current_id() == planned.id  # found under Activities
    assert "Plan activity" in window.undo_stack.undoText()

    window.undo_stack.undo()
    assert len(demo_services.activities.list_all()) == count
    window.undo_stack.redo()
    assert any(a.title == suggestion.title for a in demo_services.activities.list_all())


# --- development goals -------------------------------------------------------------------------


def test_goals_add_edit_delete_and_undo_with_progress(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow, prompts: FakePrompts
) -> None:
    for existing in demo_services.goals.list_all():  # start from no goals
        demo_services.goals.delete(existing.id or 0)
    window = make_window(demo_services)
    page = _breadth(window)
    result = page.result
    assert result is not None
    assert find_by_name(page, "Development goals explanation").isVisible()  # no goals yet
    assert not page.edit_goal_button.isEnabled() and not page.delete_goal_button.isEnabled()

    _click(qtbot, page.add_goal_button)
    dialog = _open_dialog(window, GoalDialog)
    save = find_by_name(dialog, "Save", QPushButton)
    assert not save.isEnabled()
    assert "Goal is required" in save.toolTip() and "at least one sector" in save.toolTip()
    find_by_name(dialog, "Goal", QLineEdit).setText("Understand probation")
    assert not save.isEnabled() and "sector" in save.toolTip()
    dialog.sector_picker.set_selected(["justice", "police"])  # type: ignore[attr-defined]
    share = find_by_name(dialog, "Share in exported portfolios", QCheckBox)
    assert not share.isChecked()  # private by default: notes can be personal
    assert "left out of anything you export" in find_by_name(dialog, "Sharing explanation").text()
    _save(qtbot, dialog)

    [goal] = demo_services.goals.list_all()
    assert goal.title == "Understand probation" and goal.sector_ids == ("justice", "police")
    assert goal.visibility is Visibility.PRIVATE
    assert goal.target_date is not None and goal.target_date > date.today()
    model = page.goal_model
    assert model.rowCount() == 1
    progress = (result.sector("justice").coverage + result.sector("police").coverage) / 2
    assert model.index(0, 3).data(VALUE_ROLE) == pytest.approx(progress)
    assert model.index(0, 3).data() == f"{progress:.0%}"
    assert model.index(0, 1).data() == "Probation and justice, Police"
    assert model.index(0, 4).data() == "Private"
    assert model.index(0, 4).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Private: left out of exported portfolios"
    )
    assert not find_by_name(page, "Development goals explanation").isVisible()

    page.select_goal(goal.id or 0)
    _click(qtbot, page.edit_goal_button)
    dialog = _open_dialog(window, GoalDialog)
    assert find_by_name(dialog, "Goal", QLineEdit).text() == "Understand probation"
    find_by_name(dialog, "Goal", QLineEdit).setText("Understand probation work")
    find_by_name(dialog, "Achieved", QCheckBox).setChecked(True)
    find_by_name(dialog, "Has a target date", QCheckBox).setChecked(False)
    share = find_by_name(dialog, "Share in exported portfolios", QCheckBox)
    assert not share.isChecked()
    share.setChecked(True)
    assert "can appear in the portfolios" in find_by_name(dialog, "Sharing explanation").text()
    _save(qtbot, dialog)
    edited = demo_services.goals.get(goal.id or 0)
    assert (edited.title, edited.achieved, edited.target_date, edited.visibility) == (
        "Understand probation work",
        True,
        None,
        Visibility.SHARED,
    )
    assert model.index(0, 4).data() == "Shared"
    assert model.index(0, 3).data() == f"{progress:.0%} · achieved"
    assert model.index(0, 2).data() == "no date"
    assert page.selected_goal_id() == goal.id  # still selected after the reload

    _click(qtbot, page.delete_goal_button)
    assert "Understand probation work" in prompts.confirmations[-1]
    assert demo_services.goals.list_all() == [] and model.rowCount() == 0

    window.undo_stack.undo()  # the delete
    assert demo_services.goals.get(goal.id or 0).title == "Understand probation work"
    assert model.rowCount() == 1
    window.undo_stack.undo()  # the edit
    assert demo_services.goals.get(goal.id or 0) == goal
    window.undo_stack.undo()  # the add
    assert demo_services.goals.list_all() == []
    assert model.rowCount() == 0


def test_goal_progress_follows_the_compared_sector_and_skips_home(
    demo_services: AppServices, make_window: MakeWindow
) -> None:
    goals = [
        Goal("Acute care", ("acute-trusts",)),
        Goal("Children's services", ("childrens-services",)),  # home: Local government
        Goal("Mixed", ("childrens-services", "nhs")),
    ]
    created = [demo_services.goals.create(g) for g in goals]
    page = _breadth(make_window(demo_services))
    assert page.result is not None
    nhs = page.result.sector("nhs").coverage
    model = page.goal_model
    shown = {model.goal_row(r).goal.id: model.goal_row(r).progress for r in range(model.rowCount())}
    acute, home_only, mixed = (shown[g.id] for g in created)
    assert acute == pytest.approx(nhs)
    assert home_only is None
    assert mixed == pytest.approx(nhs)
    report = build_report(load_report_inputs(demo_services), as_of=DEMO_TODAY)
    assert shown == {item.goal.id: item.progress for item in report.goals}


# --- the "what if" line of the activity dialog ----------------------------------------------


def test_what_if_changes_when_an_organisation_in_a_new_sector_is_ticked(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    services = with_profile
    police = services.organisations.create(Organisation("Northshire Police", "police"))
    summit = services.activities.create(
        Activity(
            ActivityType.PEER_EVENT,
            "Summit",
            date.today() - timedelta(days=30),
            organisation_ids=(police.id or 0,),
        )
    )
    fire = services.organisations.create(Organisation("Northshire Fire", "fire-rescue"))
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ActivityDialog(services, None, parent)
    dialog.show()
    preview = find_by_name(dialog, "Score preview", QLabel)
    now = _expected(services, date.today()).score
    assert f"(now {now:.1f})" in preview.text()
    assert "adds nothing" in preview.text()
    find_by_name(dialog, "Title", QLineEdit).setText("Safe and well visit")
    assert "adds nothing" in preview.text()  # the title does not change the score

    organisations = dialog.organisations_list  # type: ignore[attr-defined]
    row = next(
        r
        for r in range(organisations.model.rowCount())
        if organisations.model.item(r).text().startswith("Northshire Fire")
    )
    organisations.model.item(row).setCheckState(Qt.CheckState.Checked)
    draft = dialog._draft()[0]  # type: ignore[attr-defined]
    assert draft.organisation_ids == (fire.id,)
    taxonomy = services.taxonomy
    gain = what_if(
        load_inputs(services),
        policy_from_taxonomy(taxonomy),
        taxonomy,
        "adult-social-care",
        date.today(),
        draft,
    ).gain
    assert gain > 1
    assert preview.text() == (
        f"This activity adds +{gain:.1f} to your breadth score (now {now:.1f})."
    )

    status = find_by_name(dialog, "Status", QComboBox)
    status.setCurrentIndex(status.findData(Status.PLANNED.value))
    assert preview.text() == (
        f"Planned work counts once it is done: then this activity adds about +{gain:.1f} "
        f"to your breadth score (now {now:.1f})."
    )
    dialog.reject()

    # Editing a logged activity: what it adds over the portfolio without it (here, all of it).
    dialog = ActivityDialog(services, summit, parent)
    dialog.show()
    preview = find_by_name(dialog, "Score preview", QLabel)
    assert now > 0
    assert preview.text() == f"This activity adds +{now:.1f} to your breadth score (now {now:.1f})."
    dialog.reject()


# --- models and accessibility -----------------------------------------------------------------


def test_models_pass_the_model_tester(
    qtmodeltester: ModelTester, demo_services: AppServices
) -> None:
    result = _expected(demo_services)
    sectors = SectorTableModel()
    sectors.set_result(result)
    qtmodeltester.check(sectors)
    contributions = ContributionsModel()
    nhs = result.sector("nhs")
    contributions.set_contributions(nhs.contributions, nhs.engagement)
    qtmodeltester.check(contributions)
    goals = GoalTableModel(DEMO_TODAY)
    goals.set_rows(
        [
            GoalRow(Goal("Probation", ("justice",), date(2027, 1, 1), id=1), "Probation", 0.4),
            GoalRow(Goal("Home", ("childrens-services",), achieved=True, id=2), "Children", None),
        ],
        DEMO_TODAY,
    )
    qtmodeltester.check(goals)
    assert goals.index(1, 3).data() == "home sector, not scored"
    assert contributions.index(0, 0, QModelIndex()).data() == nhs.contributions[0].title


def test_a_shared_goal_opens_shared_and_can_be_made_private(
    qtbot: QtBot, demo_services: AppServices
) -> None:
    goal = demo_services.goals.create(
        Goal("Agreed", ("justice",), date(2027, 1, 1), visibility=Visibility.SHARED)
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = GoalDialog(demo_services, goal, parent, today=DEMO_TODAY)
    share = find_by_name(dialog, "Share in exported portfolios", QCheckBox)
    assert share.isChecked() and dialog.value().visibility is Visibility.SHARED
    share.setChecked(False)
    assert dialog.value().visibility is Visibility.PRIVATE
    assert "left out of anything you export" in find_by_name(dialog, "Sharing explanation").text()


def test_breadth_page_and_goal_dialog_name_every_focusable_widget(
    qtbot: QtBot, demo_services: AppServices, make_window: MakeWindow
) -> None:
    demo_services.goals.create(Goal("Probation", ("justice",), date(2027, 1, 1)))
    page = _breadth(make_window(demo_services))
    assert walk_unnamed(page) == []
    parent = QWidget()
    qtbot.addWidget(parent)
    for goal in (None, demo_services.goals.list_all()[0]):
        dialog = GoalDialog(demo_services, goal, parent)
        dialog.show()
        assert walk_unnamed(dialog) == []
        dialog.close()


def test_no_profile_shows_a_message_instead_of_a_score(qtbot: QtBot, services: AppServices) -> None:
    page = BreadthPage(services)
    qtbot.addWidget(page)
    page.show()
    assert page.result is None
    assert page.stack.currentWidget() is page.message
    assert "profile" in page.message.text()


def test_shown_for_start_up_the_charts_wait_for_the_first_frame(
    qtbot: QtBot, demo_services: AppServices, prompts: FakePrompts
) -> None:
    """Issue 12: the first frame shows the score; the charts (reportlab and the PDF fonts)
    are drawn just after it, the sector chart and the trend both."""
    window = MainWindow(demo_services, prompts=prompts)
    qtbot.addWidget(window)
    page = window.breadth_page
    page.today = lambda: DEMO_TODAY
    watch = show_window(window)
    assert page.result is not None  # scored for the first frame
    assert page.chart.drawing is None and not watch.painted
    qtbot.waitUntil(lambda: page.chart.drawing is not None, timeout=10_000)
    assert watch.painted
    qtbot.waitUntil(lambda: page.trend_chart.drawing is not None, timeout=20_000)
    page.chart.clear()
    page.refresh()  # from now on drawn at once
    assert page.chart.drawing is not None
