"""Settings → Taxonomy: locked when HR manages the taxonomy; otherwise install (with the diff first
and what moved after), remove, and the editor."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from portfolio_app import APP_ID
from portfolio_app.domain.records import Organisation
from portfolio_app.paths import MANAGED_TAXONOMY_FILENAME, TAXONOMY_ENV, AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.taxonomy_service import TaxonomyManaged
from portfolio_app.taxonomy.loader import default_taxonomy_path
from portfolio_app.ui.settings_taxonomy import TaxonomySettingsPage
from portfolio_app.ui.taxonomy_editor import TaxonomyEditorWindow

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed

BUTTONS = ("Install taxonomy file", "Remove installed taxonomy", "Open taxonomy editor")


def default_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def next_version(retire: str, replaced_by: str | None) -> dict[str, Any]:
    """The default taxonomy's next version, without `retire` (retired to `replaced_by`)."""
    data = default_document()
    data["version"] = "2027.1"
    data["sectors"] = [s for s in data["sectors"] if s["id"] != retire]
    if replaced_by is not None:
        data["retired"] = [
            {"id": retire, "replaced_by": replaced_by, "since": "2027.1", "note": "merged"}
        ]
    return data


@pytest.fixture
def make_page(
    qtbot: QtBot, prompts: FakePrompts
) -> Iterator[Callable[[AppServices], TaxonomySettingsPage]]:
    def make(services: AppServices) -> TaxonomySettingsPage:
        page = TaxonomySettingsPage(services, prompts)
        qtbot.addWidget(page)
        page.show()
        return page

    yield make
    prompts.choice = 1  # an editor left open discards its changes when closed


def button(page: TaxonomySettingsPage, name: str) -> QPushButton:
    return find_by_name(page, name, QPushButton)


@pytest.mark.parametrize("how", ["environment variable", "system config dir"])
def test_hr_managed_taxonomy_is_locked(
    make_page: Callable[[AppServices], TaxonomySettingsPage],
    paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    data = default_document()
    data.update(publisher="Northshire ICS HR", title="Northshire sectors", version="2027.2")
    if how == "environment variable":
        hr_file = write(tmp_path / "hr" / "sectors.json", data)
        monkeypatch.setenv(TAXONOMY_ENV, str(hr_file))
        source = f"Environment variable {TAXONOMY_ENV} (managed by HR)"
    else:  # tests/conftest.py points XDG_CONFIG_DIRS here
        hr_file = write(tmp_path / "xdg-site-config" / APP_ID / MANAGED_TAXONOMY_FILENAME, data)
        source = "HR-managed system file"
    services = open_services(paths)
    try:
        page = make_page(services)
        assert page.managed_label.text() == "Managed by Northshire ICS HR"
        assert page.managed_label.isVisibleTo(page)
        assert page.managed_note.isVisibleTo(page)
        assert "Ask them for any change" in page.managed_note.text()
        assert page.title_value.text() == "Northshire sectors"
        assert page.version_value.text() == "2027.2"
        assert page.publisher_value.text() == "Northshire ICS HR"
        assert page.source_value.text() == source
        assert page.path_value.text() == str(hr_file)
        for name in BUTTONS:
            assert not button(page, name).isEnabled(), name
            assert button(page, name).toolTip().startswith("Managed by Northshire ICS HR: ")
        assert page.open_editor() is None
        with pytest.raises(TaxonomyManaged, match="managed by Northshire ICS HR"):
            page.service.install(default_taxonomy_path())
    finally:
        services.close()


def test_install_moves_organisations_and_says_how_many(
    qtbot: QtBot,
    make_page: Callable[[AppServices], TaxonomySettingsPage],
    services: AppServices,
    paths: AppPaths,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    for name in ("Northshire Community NHS Trust", "Southdale Community Health", "Ysbyty Siân"):
        services.organisations.create(Organisation(name, "community-trusts"))
    services.organisations.create(Organisation("Northshire Police", "police"))
    page = make_page(services)
    assert page.source_value.text() == "Shipped default"
    assert not page.managed_label.isVisibleTo(page)
    assert button(page, "Install taxonomy file").isEnabled()
    assert not button(page, "Remove installed taxonomy").isEnabled()

    prompts.open_path = write(
        tmp_path / "v2.json", next_version("community-trusts", "acute-trusts")
    )
    with qtbot.waitSignal(page.taxonomy_changed):
        qtbot.mouseClick(button(page, "Install taxonomy file"), Qt.MouseButton.LeftButton)

    # First what the new version changes, then what moved.
    assert len(prompts.confirmations) == 1
    assert (
        "UK local public services 2026.1  →  UK local public services 2027.1"
        in (prompts.confirmations[0])
    )
    assert (
        "community-trusts: Community health trusts → Acute trusts; "
        "would move 3 organisations of yours" in prompts.confirmations[0]
    )
    moved = "3 organisations moved from Community health trusts to Acute trusts"
    assert moved in prompts.infos[0]
    assert moved in page.summary_label.text()
    assert page.source_value.text() == "Installed by you"
    assert page.version_value.text() == "2027.1"
    assert page.path_value.text() == str(paths.installed_taxonomy)
    assert button(page, "Remove installed taxonomy").isEnabled()
    sectors = {o.name: o.sector_id for o in services.organisations.list_all()}
    assert sectors == {
        "Northshire Community NHS Trust": "acute-trusts",
        "Southdale Community Health": "acute-trusts",
        "Ysbyty Siân": "acute-trusts",
        "Northshire Police": "police",
    }
    reopened = open_services(paths)
    try:
        assert reopened.taxonomy.version == "2027.1"
    finally:
        reopened.close()

    # Back to the default: nothing of the user's needs to move.
    with qtbot.waitSignal(page.taxonomy_changed):
        qtbot.mouseClick(button(page, "Remove installed taxonomy"), Qt.MouseButton.LeftButton)
    assert "Nothing of yours had to move." in prompts.infos[1]
    assert page.source_value.text() == "Shipped default"
    assert not paths.installed_taxonomy.exists()


def test_an_invalid_file_is_not_installed(
    make_page: Callable[[AppServices], TaxonomySettingsPage],
    services: AppServices,
    paths: AppPaths,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    data = default_document()
    data["sectors"][3]["colour"] = "teal"
    prompts.open_path = write(tmp_path / "bad.json", data)
    page = make_page(services)
    assert not page.install()
    assert "bad.json is not a usable taxonomy, so nothing was changed" in prompts.errors[0]
    assert "colour 'teal' is not a colour" in prompts.errors[0]
    assert prompts.confirmations == []
    assert not paths.installed_taxonomy.exists()


def test_a_removal_that_strands_data_is_refused(
    qtbot: QtBot,
    make_page: Callable[[AppServices], TaxonomySettingsPage],
    services: AppServices,
    paths: AppPaths,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    services.organisations.create(Organisation("Northshire Fire", "fire-rescue"))
    prompts.open_path = write(tmp_path / "v2.json", next_version("fire-rescue", None))
    page = make_page(services)
    with qtbot.assertNotEmitted(page.taxonomy_changed):
        assert not page.install()
    assert "removes sectors your data still uses" in prompts.errors[0]
    assert "fire-rescue: Fire and rescue; used by 1 organisation of yours" in prompts.errors[0]
    assert not paths.installed_taxonomy.exists()
    assert services.organisations.list_all()[0].sector_id == "fire-rescue"


def test_declining_the_diff_changes_nothing(
    make_page: Callable[[AppServices], TaxonomySettingsPage],
    services: AppServices,
    paths: AppPaths,
    prompts: FakePrompts,
    tmp_path: Path,
) -> None:
    services.organisations.create(Organisation("Northshire Fire", "fire-rescue"))
    prompts.open_path = write(tmp_path / "v2.json", next_version("fire-rescue", "police"))
    prompts.confirm_answer = False
    page = make_page(services)
    assert not page.install()
    assert "would move 1 organisation of yours" in prompts.confirmations[0]
    assert not paths.installed_taxonomy.exists()
    assert services.organisations.list_all()[0].sector_id == "fire-rescue"


# The offscreen platform cannot raise a window; the editor does so on a real desktop.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_open_editor_edits_a_copy(
    make_page: Callable[[AppServices], TaxonomySettingsPage], services: AppServices
) -> None:
    page = make_page(services)
    button(page, "Open taxonomy editor").click()
    editor = page.editor
    assert isinstance(editor, TaxonomyEditorWindow)
    assert editor.isVisible() and editor.isWindow()
    assert editor.path is None and editor.suggested_name == "uk-local-public-services.json"
    assert editor.model.node_by_id("police") is not None
    editor.select_node(editor.model.node_by_id("police"))  # type: ignore[arg-type]
    assert editor.details.id_edit.isReadOnly()  # ids of a taxonomy in use never change
    assert editor.close()


def test_startup_summary_and_warnings_are_shown(
    make_page: Callable[[AppServices], TaxonomySettingsPage],
    paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = open_services(paths)
    services.organisations.create(Organisation("Jobcentre Plus Northshire", "employment-services"))
    services.close()
    data = next_version("employment-services", "central-government")
    data["publisher"] = "Northshire ICS HR"
    monkeypatch.setenv(TAXONOMY_ENV, str(write(tmp_path / "hr.json", data)))
    services = open_services(paths)
    try:
        page = make_page(services)
        assert page.summary_label.text() == (
            "When Portfolio started, the new taxonomy moved your data:\n"
            "1 organisation moved from Employment services to Central government"
        )
        assert not page.warnings_label.isVisibleTo(page)
    finally:
        services.close()
    monkeypatch.setenv(TAXONOMY_ENV, str(tmp_path / "missing.json"))
    services = open_services(paths)
    try:
        page = make_page(services)
        assert page.warnings_label.isVisibleTo(page)
        assert "there is no such file" in page.warnings_label.text()
        assert page.managed_label.text() == "Managed by your organisation"
        assert not button(page, "Install taxonomy file").isEnabled()
    finally:
        services.close()


def test_every_focusable_widget_has_a_name(
    make_page: Callable[[AppServices], TaxonomySettingsPage], services: AppServices
) -> None:
    page = make_page(services)
    assert walk_unnamed(page) == []
