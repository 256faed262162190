"""Help → Guide (F1): the user guide shipped with the app, offline, with the window's shortcuts
listed from its menus; Esc closes it, and it fits a 1024x600 screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTextBrowser
from pytestqt.qtbot import QtBot

from portfolio_app.paths import resources_dir
from portfolio_app.services import AppServices
from portfolio_app.ui.actions import command_name
from portfolio_app.ui.guide_window import GUIDE_FILE, GuideWindow

from .conftest import MakeWindowType
from .helpers import find_by_name

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "This plugin does not support raise"
)


def test_f1_opens_the_guide_with_every_menu_shortcut(
    qtbot: QtBot, make_window: MakeWindowType, with_profile: AppServices
) -> None:
    window = make_window(with_profile)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.guide
    assert isinstance(guide, GuideWindow) and guide.isVisible()
    text = find_by_name(guide, "Guide text", QTextBrowser).toPlainText()
    assert "Portfolio: a short guide" in text and "Logging an activity" in text
    assert "Keyboard shortcuts" in text
    for action in window.menu_actions():
        if action.shortcut().isEmpty():
            continue
        assert command_name(action) in text, command_name(action)
    assert "Ctrl+N" in text and "Ctrl+F" in text and "F1" in text
    assert "Organisations & contacts" in text  # "&&" in the menu reads as "&"
    body = guide.text.toHtml().split("<body", 1)[1]
    assert "http" not in body and "href" not in body  # no link to fetch: read offline
    assert guide.width() <= 1024 and guide.height() <= 600
    qtbot.keyClick(guide.text, Qt.Key.Key_Escape)
    assert not guide.isVisible()
    window.show_guide()  # the same window again, not a second one
    assert window.guide is guide and guide.isVisible()


def test_the_guide_is_shipped_in_the_resources() -> None:
    shipped = resources_dir().joinpath(*GUIDE_FILE)
    assert shipped.is_file()
    assert shipped.read_text(encoding="utf-8").startswith("# Portfolio: a short guide")
