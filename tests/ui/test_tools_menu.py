"""Tools → Taxonomy editor and Tools → Settings, and rebuilding the window on a new taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from portfolio_app.paths import TAXONOMY_ENV, AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.taxonomy.loader import default_taxonomy_path
from portfolio_app.ui.app import WindowHost
from portfolio_app.ui.main_window import MainWindow

from .conftest import FakePrompts, MakeWindowType
from .helpers import walk_unnamed


def test_taxonomy_editor_opens_on_a_copy_of_the_taxonomy_in_force(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    editor = window.open_taxonomy_editor()
    qtbot.waitUntil(editor.isVisible)
    labels = {editor.model.index(r, 0).data() for r in range(editor.model.rowCount())}
    assert {"NHS", "Police", "Local government"} <= labels
    assert walk_unnamed(editor) == []
    prompts.choice = 1  # discard if asked on close
    editor.close()


def test_settings_shows_the_taxonomy_page_and_is_accessible(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(with_profile)
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.taxonomy_page.title_value.text() == with_profile.taxonomy.title
    assert walk_unnamed(dialog) == []
    with qtbot.waitSignal(window.reopen_requested, timeout=1000):
        dialog.taxonomy_page.taxonomy_changed.emit()
    dialog.close()


def test_settings_show_an_hr_managed_taxonomy_as_locked(
    qtbot: QtBot, paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    data["publisher"] = "Northshire ICS HR"
    hr_file = tmp_path / "hr.json"
    hr_file.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv(TAXONOMY_ENV, str(hr_file))
    services = open_services(paths)
    try:
        window = MainWindow(services, prompts=FakePrompts())
        qtbot.addWidget(window)
        dialog = window.open_settings()
        page = dialog.taxonomy_page
        assert page.managed_label.text() == "Managed by Northshire ICS HR"
        assert not page.install_button.isEnabled()
        dialog.close()
    finally:
        services.close()


def test_the_host_rebuilds_the_window_on_fresh_services(
    qtbot: QtBot, paths: AppPaths, with_profile: AppServices
) -> None:
    with_profile.close()
    window = MainWindow(open_services(paths), prompts=FakePrompts())
    qtbot.addWidget(window)
    host = WindowHost(window)
    window.show()
    window.reopen_requested.emit()
    assert host.window is not window
    assert host.window.isVisible() and not window.isVisible()
    assert host.window.services.profile.require().name == "Siân Jones"
    qtbot.addWidget(host.window)
    host.window.close()
    host.window.services.close()
    QApplication.processEvents()


def test_a_new_sector_list_at_start_up_tells_the_user_what_moved(
    qtbot: QtBot, paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portfolio_app.domain.records import Organisation

    services = open_services(paths)
    services.profile.set_up(
        name="Zoë", role="Nurse", organisation="Northshire Council", sector="adult-social-care"
    )
    services.organisations.create(Organisation("Millbridge Community Health", "community-trusts"))
    services.close()

    data = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    data["version"] = "2027.1"
    data["sectors"] = [s for s in data["sectors"] if s["id"] != "community-trusts"]
    data["retired"] = [
        {"id": "community-trusts", "replaced_by": "acute-trusts", "since": "2027.1", "note": ""}
    ]
    hr_file = tmp_path / "hr.json"
    hr_file.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv(TAXONOMY_ENV, str(hr_file))

    prompts = FakePrompts()
    reopened = open_services(paths)
    try:
        window = MainWindow(reopened, prompts=prompts)
        qtbot.addWidget(window)
        window.show_startup_notice()
        assert prompts.infos, "the user is told"
        assert (
            "1 organisation moved from Community health trusts to Acute trusts" in prompts.infos[0]
        )
        moved = reopened.organisations.find_by_name("Millbridge Community Health")
        assert moved is not None and moved.sector_id == "acute-trusts"
    finally:
        reopened.close()

    quiet = FakePrompts()
    again = open_services(paths)  # applied once: nothing more to say next time
    try:
        window = MainWindow(again, prompts=quiet)
        qtbot.addWidget(window)
        window.show_startup_notice()
        assert quiet.infos == []
    finally:
        again.close()
