"""The soak test: the real main window, on the demo data, for over 100,000 model calls in one
process, as a long afternoon of use would be (typing in search boxes, opening and closing
dialogs, switching views), with None's reference count checked at the end.

A binding that loses a reference to None per call (PySide6 6.12.0 on CPython 3.11) aborts the
process long before the end ("Fatal Python error: none_dealloc"), or, if the count started high
enough, fails the final check; tests/ui/test_refcount.py finds the same fault per binding.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.models.list_model import ListModel
from portfolio_app.ui.views.entity_page import EntityPage

from .conftest import FakePrompts

MODEL_CALLS = 100_000
# Far below one loss per call (100,000 here); room for caches that let go of None meanwhile.
SLACK = 1_000
ROUNDS_AT_MOST = 200  # a guard: the loop stops here even if calls were counted wrongly

SEARCHES = ("nurse", "council", "police", "visit", "zzz")


# Roles only Qt's views ask for, and our models answer with None: these calls cross the binding
# from C++, the path that leaked.
VIEW_ONLY_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.CheckStateRole,
    )
)


class CallCounter:
    def __init__(self) -> None:
        self.calls = 0
        self.from_views = 0


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> CallCounter:
    """Counts every data() call Qt or our code makes on the app's table models."""
    counter = CallCounter()
    original = ListModel.data

    def data(self: ListModel[Any], index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        counter.calls += 1
        counter.from_views += int(role) in VIEW_ONLY_ROLES
        return original(self, index, role)

    monkeypatch.setattr(ListModel, "data", data)
    return counter


def _close_open_dialogs(window: MainWindow) -> int:
    closed = 0
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.reject()
            closed += 1
    return closed


def _type_and_clear(qtbot: QtBot, page: EntityPage, text: str) -> None:
    qtbot.keyClicks(page.search, text)  # ASCII only: keyClicks is for typing
    QApplication.processEvents()  # let the table paint what the filter left
    page.search.clear()


def test_soak_main_window(
    qtbot: QtBot,
    demo_services: AppServices,
    prompts: FakePrompts,
    counted: CallCounter,
) -> None:
    window = MainWindow(demo_services, prompts=prompts, demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    pages = window.all_pages()
    nav_rows = window.nav_model.rowCount()
    openers: list[Callable[[], None]] = [
        window.new_activity_action.trigger,
        window.new_lesson_action.trigger,
        window.new_organisation_action.trigger,
        window.new_contact_action.trigger,
    ]

    def one_round(number: int) -> None:
        for row in range(nav_rows):  # every view in turn
            window.nav.setCurrentIndex(window.nav_model.index(row, 0))
            QApplication.processEvents()
        for page in pages:
            window.show_page(window.pages.indexOf(page))
            _type_and_clear(qtbot, page, SEARCHES[number % len(SEARCHES)])
        page = pages[number % len(pages)]
        if page.model.rowCount():  # open the first record, as Enter would
            page.table.setCurrentIndex(page.model.index(0, 0))
            window.show_page(window.pages.indexOf(page))
            window.open_action.trigger()
        openers[number % len(openers)]()
        QApplication.processEvents()
        assert _close_open_dialogs(window) >= 1, f"round {number}: no dialog opened"

    one_round(0)  # warm-up: first paints, lazy imports, Qt's caches
    gc.collect()
    before = sys.getrefcount(None)
    rounds = 0
    while counted.calls < MODEL_CALLS and rounds < ROUNDS_AT_MOST:
        rounds += 1
        one_round(rounds)
    QApplication.processEvents()
    gc.collect()
    lost = before - sys.getrefcount(None)

    assert counted.calls >= MODEL_CALLS, f"only {counted.calls} model calls in {rounds} rounds"
    assert counted.from_views >= MODEL_CALLS // 5  # painting, not only our own filter code
    assert lost <= SLACK, f"{lost} references to None lost over {counted.calls} model calls"
    assert window.isVisible() and prompts.errors == []
