"""The desktop start paints before the damaged-row checks (issue 12): the lists, counts and
damage note fill once the checks have run off the UI thread, with the same result as a
window that checked before showing."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.ui.main_window import WAITING_TEXT, MainWindow
from portfolio_app.ui.models.record_table_model import ID_ROLE

from .conftest import FakePrompts
from .helpers import find_by_name
from .test_damaged_rows_view import _damaged_data

pytestmark = pytest.mark.usefixtures("qapp")


def _texts(window: MainWindow) -> dict[int, str]:
    model = window.activities_page.model
    return {
        model.data(model.index(r, 0), ID_ROLE): model.data(model.index(r, 0))
        for r in range(model.rowCount())
    }


def _status(window: MainWindow) -> tuple[str, str, bool]:
    count = find_by_name(window, "Entry counts", QLabel).text()
    note = find_by_name(window, "Damaged entries", QLabel)
    return count, note.text(), note.isHidden()


def test_lists_fill_after_the_first_frame_as_a_checked_start_shows_them(
    qtbot: QtBot, paths: AppPaths, data_key: bytes
) -> None:
    good, bad, trust = _damaged_data(paths, data_key)
    services = open_services(paths)
    checked = MainWindow(services, prompts=FakePrompts())  # checks before it shows
    qtbot.addWidget(checked)
    expected = (_texts(checked), _status(checked))
    assert expected[1] == (
        "1 activity · 0 lessons · 1 organisation · 0 contacts",
        "⚠ 2 damaged entries",
        False,
    )
    checked.wait_for_checks()
    services.close()

    services = open_services(paths, checks="later")
    scanned_on: list[str] = []
    tables_damaged = services.tables.damaged

    def damaged(kind: str) -> list[DamagedRecord]:  # the real check; only where it ran is noted
        scanned_on.append(threading.current_thread().name)
        return tables_damaged(kind)

    services.tables.damaged = damaged  # type: ignore[method-assign]
    try:
        window = MainWindow(services, prompts=FakePrompts(), lists="after_paint")
        qtbot.addWidget(window)
        # Before the first frame: nothing checked, the pages say they are being read.
        assert scanned_on == [] and window.entry_scan is None
        assert window.activities_page.model.rowCount() == 0
        assert window.activities_page.empty.text() == WAITING_TEXT
        assert find_by_name(window, "Entry counts", QLabel).text() == WAITING_TEXT
        window.show()
        qtbot.waitUntil(lambda: window.entry_scan is not None, timeout=5000)
        scan = window.entry_scan
        assert scan is not None
        qtbot.waitUntil(lambda: scan.counts is not None, timeout=20000)
        # Every kind checked on the scan's thread, none on the UI thread.
        assert set(scanned_on[:4]) == {"entry check"}
        assert "MainThread" not in scanned_on[:4]
        assert (_texts(window), _status(window)) == expected
        assert _texts(window)[bad] == f"⚠ damaged entry {bad}" and good in _texts(window)
        assert window.organisations_page.model.row_of(trust) is not None
        window.wait_for_checks()
    finally:
        services.close()


def _opened_late(paths: AppPaths, data_key: bytes) -> AppServices:
    _damaged_data(paths, data_key)
    return open_services(paths, checks="later")


def _waiting_window(qtbot: QtBot, services: AppServices) -> MainWindow:
    window = MainWindow(services, prompts=FakePrompts(), lists="after_paint")
    qtbot.addWidget(window)
    return window


def test_a_refresh_before_the_scan_arrives_is_not_overwritten_by_its_counts(
    qtbot: QtBot, paths: AppPaths, data_key: bytes
) -> None:
    services = _opened_late(paths, data_key)
    try:
        window = _waiting_window(qtbot, services)
        window.reload()  # e.g. a change saved before the scan's result came back
        # A scan's counts taken before that refresh (stale: 7 activities) are not shown.
        window._lists_checked({"activity": 7, "lesson": 0, "organisation": 1, "contact": 0})
        assert _status(window)[0] == "1 activity · 0 lessons · 1 organisation · 0 contacts"
        assert window.activities_page.model.rowCount() == 2
    finally:
        services.close()


def test_closing_stops_a_running_scan_and_drops_its_result(
    qtbot: QtBot, paths: AppPaths, data_key: bytes
) -> None:
    services = _opened_late(paths, data_key)
    arrived: list[dict[str, int]] = []
    try:
        window = _waiting_window(qtbot, services)
        window.show()
        qtbot.waitUntil(lambda: window.entry_scan is not None, timeout=5000)
        scan = window.entry_scan
        assert scan is not None
        scan._on_done = arrived.append
        window.wait_for_checks()  # as before the services close
        assert not scan.running()
        qtbot.wait(50)  # a queued result, had one been sent, arrives now
        assert arrived == [] and scan.counts is None
    finally:
        services.close()
