"""A whole desktop session, for the privacy guarantees: no network connection at all, the data
folder still owner-only afterwards (the window's own settings file too), and nothing the user
typed in the log when a save is refused."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from keys_for_tests import TEST_PASSPHRASE
from network_guard import no_network
from portfolio_app.domain.records import Contact
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services, vault
from portfolio_app.services.sample_data import populate_demo
from portfolio_app.ui.export_dialog import ExportDialog
from portfolio_app.ui.main_window import SETTINGS_FILE, MainWindow
from portfolio_app.ui.models.record_table_model import ID_ROLE

from .conftest import DEMO_TODAY, FakePrompts

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def own_services(tmp_path: Path) -> Iterator[AppServices]:
    """A data folder set up by the app itself (not copied in by a fixture), with demo data."""
    paths = AppPaths.resolve(tmp_path / "data")
    vault.set_up(paths, TEST_PASSPHRASE)
    services = open_services(paths)
    populate_demo(services, DEMO_TODAY)
    yield services
    services.close()


def _open_dialogs(window: MainWindow) -> list[QDialog]:
    return [d for d in window.findChildren(QDialog) if d.isVisible()]


def _cancel_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    [dialog] = _open_dialogs(window)
    dialog.reject()
    qtbot.waitUntil(lambda: not _open_dialogs(window))


def _visit_everything(
    qtbot: QtBot, window: MainWindow, prompts: FakePrompts, outside: Path
) -> None:
    """Every page, every main dialog opened and cancelled, every file written."""
    qtbot.waitUntil(window.breadth_page.trend_ready, timeout=30_000)
    for row in range(window.nav_model.rowCount()):
        window.go_to_page(row)
        assert window.pages.currentIndex() == row
    for action in (
        window.new_activity_action,
        window.new_lesson_action,
        window.new_organisation_action,
        window.new_contact_action,
    ):
        action.trigger()
        _cancel_the_dialog(qtbot, window)
    pages = {1: [window.activities_page], 2: [window.lessons_page]}
    pages[3] = [window.organisations_page, window.contacts_page]
    for row, listed in pages.items():  # open the first record of each list, then cancel
        window.go_to_page(row)
        for page in listed:
            first = page.model.index(0, 0).data(ID_ROLE)
            assert isinstance(first, int), page.name
            page.open_requested.emit(first)
            _cancel_the_dialog(qtbot, window)
    window.go_to_page(0)
    window.new_goal()
    _cancel_the_dialog(qtbot, window)
    window.record_review()
    _cancel_the_dialog(qtbot, window)
    settings = window.open_settings()
    for tab in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(tab)
    _cancel_the_dialog(qtbot, window)
    editor = window.open_taxonomy_editor()
    editor.close()
    window.show_about()
    prompts.open_path = None
    window.import_csv()  # the file chooser is cancelled
    prompts.save_path = outside / "template.csv"
    window.save_csv_template()
    prompts.save_path = outside / "activities.csv"
    window.export_csv()

    # The PDF, through the export dialog and the services it uses (in its worker thread).
    dialog = window.export_portfolio()
    assert isinstance(dialog, ExportDialog)
    prompts.save_path = outside / "portfolio.pdf"
    prompts.confirm_answer = False  # do not open it in a viewer
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert dialog.last_result is not None and dialog.last_result.pages > 1
    dialog.reject()
    qtbot.waitUntil(lambda: not _open_dialogs(window))
    assert prompts.errors == []
    for name in ("template.csv", "activities.csv", "portfolio.pdf"):
        assert (outside / name).stat().st_size > 0, name


def test_a_whole_desktop_session_makes_no_connection_and_keeps_files_private(
    qtbot: QtBot, own_services: AppServices, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    prompts = FakePrompts()
    with no_network() as attempts:
        window = MainWindow(own_services, prompts=prompts)
        qtbot.addWidget(window)
        window.show()
        _visit_everything(qtbot, window, prompts, outside)
        window.close()  # saves the window's settings into the data folder
        QApplication.processEvents()
    assert attempts == []
    data = own_services.paths.data_dir
    assert (data / SETTINGS_FILE).stat().st_size > 0
    if os.name == "posix":
        wrong = {
            str(path.relative_to(data)): oct(stat.S_IMODE(path.stat().st_mode))
            for path in [data, *data.rglob("*")]
            if stat.S_IMODE(path.stat().st_mode) != (0o700 if path.is_dir() else 0o600)
        }
        assert wrong == {}
        for name in ("template.csv", "activities.csv", "portfolio.pdf"):
            assert stat.S_IMODE((outside / name).stat().st_mode) == 0o600, name


def test_a_refused_save_is_logged_without_the_name(
    qtbot: QtBot, own_services: AppServices, caplog: pytest.LogCaptureFixture
) -> None:
    """The undo step's text ("Add contact “…”") and the refusal's message both name the
    record: neither reaches the log."""
    name = "Łukasz MARKER-Siân Wiśniewski"
    own_services.contacts.create(Contact(name))
    prompts = FakePrompts()
    window = MainWindow(own_services, prompts=prompts)
    qtbot.addWidget(window)
    with caplog.at_level(logging.DEBUG, logger="portfolio_app"):
        window.add_record("contact", Contact(name))  # the name is taken: refused
    assert prompts.errors  # the user is told, with the name
    assert any("refused" in r.getMessage() for r in caplog.records)  # and it is logged...
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "MARKER" not in logged and "Łukasz" not in logged  # ...without the name
    window.undo_stack.clear()
