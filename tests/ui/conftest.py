"""Fixtures for driving the real main window: prompts answered at once, demo data on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from keys_for_tests import write_key_file
from portfolio_app.paths import AppPaths
from portfolio_app.security.key_file import new_data_key
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.sample_data import populate_demo
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.prompts import Prompts

DEMO_TODAY = date(2026, 11, 1)


class FakePrompts(Prompts):
    """Answers every question without a modal dialog, and remembers what was said."""

    def __init__(self) -> None:
        self.confirm_answer = True
        self.confirmations: list[str] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.open_path: Path | None = None
        self.save_path: Path | None = None
        self.choice: int | None = 0
        self.dialogs: list[QDialog] = []
        self.printed: list[str] = []

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> Path | None:
        return self.open_path

    def save_file(
        self, parent: QWidget, title: str, suggested: str, file_filter: str
    ) -> Path | None:
        return self.save_path

    def confirm(self, parent: QWidget, title: str, text: str, action: str) -> bool:
        self.confirmations.append(text)
        return self.confirm_answer

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append(text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.infos.append(text)

    def choose(self, parent: QWidget, title: str, text: str, options: list[str]) -> int | None:
        return self.choice

    def print_text(self, parent: QWidget, title: str, text: str) -> bool:
        self.printed.append(text)
        return True

    def show_dialog(self, dialog: QDialog) -> None:
        self.dialogs.append(dialog)


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "score_in_background: the Breadth page scores in its worker thread"
    )


@pytest.fixture(autouse=True)
def score_at_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Breadth page works its report out on the UI thread, at once, so that a test can read
    the page right after a change; tests marked `score_in_background` keep the app's worker
    thread (tests/ui/test_breadth_background.py)."""
    from portfolio_app.ui.dashboard.breadth_page import BreadthPage
    from portfolio_app.ui.dashboard.score_preview import ScorePreview

    if request.node.get_closest_marker("score_in_background") is None:
        monkeypatch.setattr(BreadthPage, "score_in_background", False)
        monkeypatch.setattr(ScorePreview, "in_background", False)  # the activity dialog's


MakeWindowType = Callable[[AppServices], MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, prompts: FakePrompts
) -> Iterator[Callable[[AppServices], MainWindow]]:
    windows: list[MainWindow] = []

    def _make(services: AppServices) -> MainWindow:
        window = MainWindow(services, prompts=prompts)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield _make
    for window in windows:
        window.undo_stack.clear()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data is built once per module and copied for each test (it takes a few seconds)."""
    folder = AppPaths(tmp_path_factory.mktemp("demo-template"))
    # Module scope runs before the per-test environment: give the key explicitly.
    key = new_data_key()
    write_key_file(folder, key)
    services = open_services(folder, key=key)
    populate_demo(services, DEMO_TODAY)
    services.close()
    return folder.data_dir


@pytest.fixture
def demo_services(demo_template: Path, tmp_path: Path) -> Iterator[AppServices]:
    import shutil

    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    services = open_services(AppPaths(target))
    yield services
    services.close()
