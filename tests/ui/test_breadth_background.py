"""The Breadth page paints at once with a placeholder, works its report out in a worker thread,
and a reload while one runs ends with the newer data shown."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.report import current_report_inputs
from portfolio_app.services import AppServices
from portfolio_app.ui.dashboard.breadth_page import WORKING, BreadthPage
from portfolio_app.ui.dashboard.score_job import ScoreJob
from ui.conftest import DEMO_TODAY

pytestmark = pytest.mark.score_in_background


def _page(qtbot: QtBot, services: AppServices) -> BreadthPage:
    page = BreadthPage(services, today=lambda: DEMO_TODAY)
    qtbot.addWidget(page)
    return page


def test_the_page_shows_the_placeholder_then_the_score(
    qtbot: QtBot, demo_services: AppServices
) -> None:
    page = _page(qtbot, demo_services)
    with qtbot.waitSignal(page.score_shown, timeout=60_000):
        page.show()  # shown: the report is asked for, in the worker thread
        assert page.score_pending
        assert page.score_label.text() == "…"
        assert page.score_label.accessibleDescription() == WORKING
        assert page.title_label.text() == WORKING
    assert not page.score_pending
    assert page.result is not None
    assert page.score_label.text() == f"{page.result.score:.1f}"
    assert page.title_label.text() != WORKING
    qtbot.waitUntil(lambda: ScoreJob.running() == 0)


def test_a_reload_while_scoring_shows_the_newer_data(
    qtbot: QtBot, demo_services: AppServices
) -> None:
    page = _page(qtbot, demo_services)
    page.show()  # the first request runs
    assert page.score_pending
    demo_services.activities.create(
        Activity(ActivityType.SECONDMENT, "Siân's new secondment", date(2026, 10, 1),
                 extra_sector_ids=("police",), end=date(2026, 10, 30))
    )  # fmt: skip
    page.reload()  # a newer request: the first's result is dropped when it comes
    qtbot.waitUntil(lambda: not page.score_pending and ScoreJob.running() == 0, timeout=60_000)
    assert page.report is not None
    assert "Siân's new secondment" in page.report.source.inputs.titles
    assert page.report.source == current_report_inputs(demo_services)  # the data as it is now
