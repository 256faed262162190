"""The main window's tables on the 10k data set (tests/large_dataset.py): what they show,
checked against the database; behaviour only, never timings (docs/performance.md has those).

Typing in a search box uses real key events: the keystroke itself never asks the database (the
search is coalesced and runs on a worker thread), what is finally listed is the database's
answer for the text typed, and an answer something newer overtook is never shown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import event, text

from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.changes import Changes
from portfolio_app.services.record_kinds import KINDS
from portfolio_app.services.table_queries import TableQuery
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.models.record_table_model import ID_ROLE
from portfolio_app.ui.undo_commands import EditCommand
from portfolio_app.ui.views.entity_page import EntityPage

from .conftest import MakeWindowType

TITLE = 2  # the activity list's Title column
WAIT_MS = 60_000  # a loaded test machine: the worker's answer may take seconds


@pytest.fixture
def large(large_data_dir: Path) -> Iterator[AppServices]:
    services = open_services(AppPaths.resolve(large_data_dir))
    yield services
    services.close()


def _sql(services: AppServices, sql: str, **params: Any) -> list[Any]:
    with services.db.transaction() as session:
        return [row[0] for row in session.execute(text(sql), params)]


def _ids(page: EntityPage) -> list[int]:
    model = page.model
    return [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())]


def test_the_window_opens_on_10k_activities_with_the_right_counts(
    large: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(large)
    activities = _sql(large, "SELECT count(*) FROM activities")[0]
    contacts = _sql(large, "SELECT count(*) FROM contacts")[0]
    assert activities == 10_000
    assert window.activities_page.model.rowCount() == activities
    assert window.contacts_page.model.rowCount() == contacts
    assert f"{activities} activities" in window.count_label.text()
    assert f"{contacts} contacts" in window.count_label.text()


def test_scrolling_to_the_end_shows_the_oldest_activity(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    window.go_to_page(1)
    page = window.activities_page
    qtbot.waitExposed(page.table)
    oldest = _sql(large, "SELECT title FROM activities ORDER BY start_date, id LIMIT 1")[0]
    newest = _sql(large, "SELECT title FROM activities ORDER BY start_date DESC, id DESC")[0]
    model = page.model
    assert model.index(0, TITLE).data() == newest
    page.table.scrollToBottom()
    QApplication.processEvents()
    viewport = page.table.viewport()
    last_shown = page.table.rowAt(viewport.height() - 2)
    assert last_shown == model.rowCount() - 1
    assert model.index(last_shown, TITLE).data() == oldest
    page.table.scrollToTop()
    QApplication.processEvents()
    assert page.table.rowAt(1) == 0
    assert model.index(0, TITLE).data() == newest


def test_sorting_by_title_both_ways_is_the_databases_order(
    large: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(large)
    page = window.activities_page
    page.table.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    assert _ids(page) == _sql(large, "SELECT id FROM activities ORDER BY lower(title), id")
    page.table.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)
    expected = _sql(large, "SELECT id FROM activities ORDER BY lower(title) DESC, id DESC")
    assert _ids(page) == expected
    last = page.model.rowCount() - 1
    titles = _sql(large, "SELECT title FROM activities WHERE id = :i", i=expected[-1])
    assert page.model.index(last, TITLE).data() == titles[0]


def test_filters_by_type_sector_and_dates_on_10k(
    large: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(large)
    page = window.activities_page
    total = page.model.rowCount()

    page.type_filter.setCurrentIndex(page.type_filter.findData("secondment"))
    expected = _sql(large, "SELECT id FROM activities WHERE type = 'secondment'")
    assert sorted(_ids(page)) == sorted(expected)
    assert 0 < len(expected) < total
    page.type_filter.setCurrentIndex(0)

    # A sector includes its sub-sectors, through an organisation or as an extra sector.
    sector = "nhs"
    taxonomy = large.taxonomy
    with large.db.transaction() as session:
        pairs = session.execute(
            text(
                "SELECT ao.activity_id, o.sector_id FROM activity_organisations ao "
                "JOIN organisations o ON o.id = ao.organisation_id "
                "UNION SELECT activity_id, sector_id FROM activity_sectors"
            )
        ).all()
    in_sector = {
        activity
        for activity, sector_id in pairs
        if sector in (s.id for s in taxonomy.ancestry(sector_id))
    }
    page.sector_filter.setCurrentIndex(page.sector_filter.findData(sector))
    assert set(_ids(page)) == in_sector
    assert 0 < len(in_sector) < total
    page.sector_filter.setCurrentIndex(0)

    page.dates_enabled.setChecked(True)
    page.date_from.setDate(QDate(2020, 1, 1))
    page.date_to.setDate(QDate(2021, 6, 30))
    overlapping = _sql(
        large,
        "SELECT id FROM activities WHERE coalesce(end_date, start_date) >= :start "
        "AND start_date <= :end",
        start=date(2020, 1, 1),
        end=date(2021, 6, 30),
    )
    assert sorted(_ids(page)) == sorted(overlapping)
    assert 0 < len(overlapping) < total
    page.dates_enabled.setChecked(False)
    assert page.model.rowCount() == total


def test_a_selected_row_stays_selected_after_an_edit_refreshes_the_list(
    large_paths: AppPaths, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    services = open_services(large_paths)
    try:
        window = make_window(services)
        page = window.activities_page
        chosen = page.model.data(page.model.index(4321, 0), ID_ROLE)
        page.select_id(chosen)
        assert page.current_id() == chosen
        other = page.model.data(page.model.index(10, 0), ID_ROLE)
        kind = KINDS["activity"]
        old = kind.get(services, other)
        window.undo_stack.push(
            EditCommand(
                "Edit activity",
                kind.store(services),
                old,
                replace(old, title="Zoë's renamed visit"),
                **window._callbacks("activity"),
            )
        )
        # The edit selects what it changed; the activity list then shows it, renamed.
        row = page.model.row_of(other)
        assert row is not None
        assert page.model.index(row, TITLE).data() == "Zoë's renamed visit"
        page.select_id(chosen)
        window.refresh(Changes.of("lesson"))  # a refresh of the list keeps the selection
        assert page.current_id() == chosen
        window.reload()
        assert page.current_id() == chosen
        window.undo_stack.undo()
        assert page.model.index(page.model.row_of(other) or 0, TITLE).data() == old.title
    finally:
        services.close()


def test_enter_opens_the_dialog_on_the_selected_record(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    window.go_to_page(1)
    window.activateWindow()
    page = window.activities_page
    page.table.scrollToBottom()
    row = page.model.rowCount() - 3
    chosen = page.model.data(page.model.index(row, 0), ID_ROLE)
    page.select_id(chosen)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialogs = [d for d in window.findChildren(ActivityDialog) if d.isVisible()]
    assert len(dialogs) == 1
    value = dialogs[0].value()
    assert value.id == chosen
    assert value.title == _sql(large, "SELECT title FROM activities WHERE id = :i", i=chosen)[0]
    dialogs[0].reject()


def test_search_typed_without_accents_finds_sian(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    page = window.contacts_page
    qtbot.keyClicks(page.search, "sian")
    page.apply_search()
    names = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    expected = _sql(large, "SELECT count(*) FROM contacts WHERE name LIKE '%Siân%'")[0]
    assert expected > 0
    assert sum("Siân" in n for n in names) == expected
    activities = window.activities_page
    activities.search.setText("sian")
    activities.apply_search()
    assert activities.model.rowCount() > 0


def _settled(qtbot: QtBot, page: EntityPage) -> None:
    qtbot.waitUntil(lambda: not page.search_pending(), timeout=WAIT_MS)


class _UiThreadStatements:
    """Counts the list's queries (the search, the ids, the rows) run on the UI thread; the
    worker's are not counted, nor the window's own timers' (the outside-changes watch...)."""

    def __init__(self, services: AppServices) -> None:
        self.engine = services.db.engine
        self.ui_thread = threading.get_ident()
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        listing = "search_index" in statement or "FROM activities" in statement
        if listing and threading.get_ident() == self.ui_thread:
            self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_typing_sian_lists_every_sian_and_the_keystrokes_never_query(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    window.go_to_page(1)
    page = window.activities_page
    qtbot.waitExposed(page.table)
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first (a test may sort)
    total = page.model.rowCount()
    assert total == 10_000
    page.search.setFocus()
    statements = _UiThreadStatements(large)
    try:
        qtbot.keyClicks(page.search, "sian")
        assert statements.count == 0  # four keystrokes, no query on the UI thread
    finally:
        statements.close()
    assert page.search.text() == "sian"
    assert page.search_pending()
    assert page.model.rowCount() == total  # not listed yet: the list follows the worker
    _settled(qtbot, page)
    expected = large.tables.ids(TableQuery("activity", 0, True, "sian"))
    assert 0 < len(expected) < total
    assert _ids(page) == expected
    # Every activity linked to a Siân (contacts' names are part of its document) is listed.
    linked = _sql(
        large,
        "SELECT DISTINCT ac.activity_id FROM activity_contacts ac "
        "JOIN contacts c ON c.id = ac.contact_id WHERE c.name LIKE '%Siân%'",
    )
    assert linked and set(linked) <= set(expected)
    # Clearing the box with the keyboard lists everything again, newest first.
    qtbot.keyClick(page.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    _settled(qtbot, page)
    assert _ids(page) == _sql(large, "SELECT id FROM activities ORDER BY start_date DESC, id DESC")


def test_an_overtaken_answer_is_never_shown(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    page = window.activities_page
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    model = page.model
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.search_later("s")  # a worker starts on "s" (most activities match)...
    assert model.search_pending()
    model.search_later("si")  # ...these wait; only the newest one runs after it
    model.search_later("sian wa")
    _settled(qtbot, page)
    expected = large.tables.ids(TableQuery("activity", 0, True, "sian wa"))
    assert _ids(page) == expected
    assert resets == [len(expected)]  # neither "s" nor "si" was ever listed


def test_a_sort_while_a_search_runs_wins_over_the_workers_answer(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    page = window.activities_page
    page.model.search_later("sian")
    assert page.model.search_pending()
    page.table.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)  # at once, searched too
    expected = large.tables.ids(TableQuery("activity", TITLE, False, "sian"))
    assert _ids(page) == expected
    _settled(qtbot, page)
    assert _ids(page) == expected  # the worker's answer, in date order, was dropped
    assert (
        page.model.index(0, TITLE).data()
        == _sql(large, "SELECT title FROM activities WHERE id = :i", i=expected[0])[0]
    )


def test_enter_in_the_search_box_lists_at_once(
    large: AppServices, make_window: MakeWindowType, qtbot: QtBot
) -> None:
    window = make_window(large)
    page = window.contacts_page
    qtbot.keyClicks(page.search, "lukasz")
    assert page.search_pending()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # the answer now, nothing left pending
    assert not page.search_pending()
    expected = _sql(large, "SELECT count(*) FROM contacts WHERE name LIKE '%Łukasz%'")[0]
    names = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert expected > 0
    assert sum("Łukasz" in n for n in names) == expected
    _settled(qtbot, page)
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == names
