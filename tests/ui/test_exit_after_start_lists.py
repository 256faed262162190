"""`--exit-after-start` ends once the first frame WITH the data is out (issue 12): the score
painted and the lists filled by the start-up entry scan and painted (ui/first_paint.py
after_start_painted; the subprocess side is tests/test_exit_after_start.py)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.ui.app import show_window
from portfolio_app.ui.first_paint import after_start_painted
from portfolio_app.ui.main_window import WAITING_TEXT, MainWindow

from .conftest import FakePrompts

pytestmark = pytest.mark.usefixtures("qapp")


def _set_up(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones",
            role="Social worker",
            organisation="Northshire Council",
            sector="adult-social-care",
        )
        for title, day in (("Zoë's ward round", 3), ("Łukasz's review", 4)):
            services.activities.create(Activity(ActivityType.SHADOWING, title, date(2025, 2, day)))
    finally:
        services.close()


@pytest.mark.parametrize("page", ["breadth", "activities"])
def test_the_end_waits_for_the_lists_as_well_as_the_score(
    qtbot: QtBot, paths: AppPaths, page: str
) -> None:
    """The start-up scan held back: the score is painted long before the lists are in, and
    the end still waits for them (on the Breadth page: the status bar's counts; on a list
    page: that list)."""
    _set_up(paths)
    services = open_services(paths, checks="later")
    release = threading.Event()
    tables_damaged = services.tables.damaged

    def held_back(kind: str) -> list[DamagedRecord]:  # the real check, once released
        release.wait(10)
        return tables_damaged(kind)

    services.tables.damaged = held_back  # type: ignore[method-assign]
    ended: list[tuple[bool, bool, int, str]] = []
    window = MainWindow(services, prompts=FakePrompts(), lists="after_paint")
    qtbot.addWidget(window)
    try:
        if page == "activities":
            window.pages.setCurrentWidget(window.activities_page)

        def end() -> None:
            ended.append(
                (
                    window.lists_pending,
                    window.breadth_page.score_pending,
                    window.activities_page.model.rowCount(),
                    window.count_label.text(),
                )
            )

        show_window(window, lambda: after_start_painted(window, end))
        qtbot.waitUntil(lambda: window.entry_scan is not None, timeout=5000)
        qtbot.waitUntil(lambda: not window.breadth_page.score_pending, timeout=20000)
        qtbot.wait(300)  # the score is painted; the lists are still being read
        assert ended == []
        assert window.count_label.text() == WAITING_TEXT
        release.set()
        qtbot.waitUntil(lambda: bool(ended), timeout=20000)
        assert ended == [
            (False, False, 2, "2 activities · 0 lessons · 1 organisation · 0 contacts")
        ]
    finally:
        release.set()
        window.wait_for_checks()
        services.close()


def test_a_window_that_read_its_lists_before_showing_ends_at_its_first_frame(
    qtbot: QtBot, paths: AppPaths
) -> None:
    _set_up(paths)
    services = open_services(paths)
    ended: list[bool] = []
    window = MainWindow(services, prompts=FakePrompts())  # lists="now"
    qtbot.addWidget(window)
    try:
        assert not window.lists_pending
        show_window(window, lambda: after_start_painted(window, lambda: ended.append(True)))
        qtbot.waitUntil(lambda: bool(ended), timeout=20000)
    finally:
        window.wait_for_checks()
        services.close()
