"""The main window on small screens: a 1024x600 netbook and 1366x768 at 150 % (910x512 points
less a taskbar). It opens within the screen's free area, its minimum size fits both, and on
each page every visible button is inside the window (or in a page that scrolls)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices

from .conftest import MakeWindowType

NETBOOK = QSize(1024, 600 - 40)  # less a taskbar
SCALED = QSize(1366 * 2 // 3, 768 * 2 // 3 - 30)  # 150 %: 910 x 482 points


def test_the_main_window_fits_a_netbook_and_a_scaled_laptop(
    qtbot: QtBot, make_window: MakeWindowType, demo_services: AppServices
) -> None:
    window = make_window(demo_services)
    minimum = window.minimumSizeHint()
    assert minimum.width() <= SCALED.width(), minimum
    assert minimum.height() <= SCALED.height(), minimum
    for size in (NETBOOK, SCALED):
        window.resize(size)
        assert window.size() == size
        for row in range(window.nav_model.rowCount()):
            window.go_to_page(row)
            QApplication.processEvents()
            for button in window.findChildren(QPushButton):
                if not button.isVisible() or _scrolls(button):
                    continue
                where = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
                assert window.rect().contains(where), (size, row, button.text())


def _scrolls(widget: QWidget) -> bool:
    """Inside a scroll area (the Breadth page): scrolled into view, not fitted."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def test_a_first_start_opens_within_the_screens_free_area(
    qtbot: QtBot, make_window: MakeWindowType, demo_services: AppServices
) -> None:
    window = make_window(demo_services)
    screen = window.screen()
    assert screen is not None
    free = screen.availableGeometry().size()
    assert window.width() <= min(1200, free.width())
    assert window.height() <= min(760, free.height())
