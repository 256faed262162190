"""File → Import → LinkedIn connections: a preview with a sector for each new organisation
(guesses filled in), the import off the UI thread, and nothing twice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.ui.csv_import_flow import ImportReportDialog
from portfolio_app.ui.linkedin_import_flow import LinkedInImportDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.widgets.sector_picker import SectorPicker

from .conftest import FakePrompts, MakeWindowType
from .helpers import find_by_name, walk_unnamed

EXPORT = (
    "\ufeffNotes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Łukasz,Wiśniewski,https://www.linkedin.com/in/lw,,Northshire Police,Inspector,12 Mar 2024\n"
    'Zoë,Smith,https://www.linkedin.com/in/zs,,"Acme, Widgets Ltd",Manager,01 Jan 2025\n'
    "Siân,Evans,https://www.linkedin.com/in/se,,,Trainer,05 Feb 2023\n"
    "小明,王,https://www.linkedin.com/in/wx,,Northshire Police,Analyst,30 Sep 2022\n"
)


def _file(tmp_path: Path, text: str = EXPORT) -> Path:
    path = tmp_path / "Connections.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _open_dialog(window: MainWindow, prompts: FakePrompts, path: Path) -> LinkedInImportDialog:
    prompts.open_path = path
    window.import_linkedin_action.trigger()
    dialog = window.linkedin_flow.dialog
    assert isinstance(dialog, LinkedInImportDialog)
    return dialog


def _sector_cells(dialog: LinkedInImportDialog) -> dict[str, str]:
    table = find_by_name(dialog, "New organisations", QTableView)
    model = table.model()
    return {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}


def test_the_menu_has_file_import_linkedin(
    with_profile: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(with_profile)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert isinstance(file_menu, QMenu)
    import_menu = next(a.menu() for a in file_menu.actions() if a.text() == "I&mport")
    assert isinstance(import_menu, QMenu)
    assert window.import_linkedin_action in import_menu.actions()


def test_guesses_are_filled_in_changed_and_imported(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    window = make_window(with_profile)
    dialog = _open_dialog(window, prompts, _file(tmp_path))
    assert walk_unnamed(dialog) == []
    summary = find_by_name(dialog, "Import summary", QLabel).text()
    assert "4 new connections, 0 already there" in summary
    assert _sector_cells(dialog) == {
        "Northshire Police": "Police (guess)",
        "Acme, Widgets Ltd": "— none: left out —",
    }
    outcome = find_by_name(dialog, "What will be imported", QLabel)
    assert (
        outcome.text()
        == "3 connections will be imported; 1 left out until their organisation has a sector."
    )

    # Place Acme: choose its row, then a sector in the picker, as the user would.
    table = find_by_name(dialog, "New organisations", QTableView)
    table.selectRow(1)
    assert find_by_name(dialog, "Organisation being placed", QLabel).text() == (
        "Sector of Acme, Widgets Ltd:"
    )
    picker = find_by_name(dialog, "Sector of the chosen organisation", SectorPicker)
    picker.search.setText("charity")
    picker.search.enterPressed.emit()  # Enter picks the first match
    assert _sector_cells(dialog)["Acme, Widgets Ltd"] == "Voluntary and community sector"
    assert outcome.text() == "4 connections will be imported."

    # The police row still shows its guess when chosen again.
    table.selectRow(0)
    assert picker.selected_ids() == ["police"]

    qtbot.mouseClick(find_by_name(dialog, "Import", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(prompts.infos), timeout=10_000)
    assert prompts.infos[-1] == "LinkedIn connections: 4 new, 0 already there; 2 new organisations."
    sectors = {o.name: o.sector_id for o in with_profile.organisations.list_all()}
    assert sectors["Acme, Widgets Ltd"] == "voluntary-community"
    assert sectors["Northshire Police"] == "police"
    names = {c.name for c in with_profile.contacts.list_all()}
    assert {"Łukasz Wiśniewski", "Zoë Smith", "Siân Evans", "小明 王"} <= names
    assert window.contacts_page.model.rowCount() == 4  # the window shows them at once

    # The same file again: nothing new, and nothing is asked.
    prompts.infos.clear()
    window.import_linkedin_action.trigger()
    assert prompts.infos == [
        "All 4 connections in Connections.csv are already among your contacts: "
        "nothing was imported."
    ]
    assert len(with_profile.contacts.list_all()) == 4


def test_an_organisation_left_out_waits_for_the_next_import(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    window = make_window(with_profile)
    dialog = _open_dialog(window, prompts, _file(tmp_path))
    find_by_name(dialog, "New organisations", QTableView).selectRow(0)
    qtbot.mouseClick(find_by_name(dialog, "Leave out", QPushButton), Qt.MouseButton.LeftButton)
    assert _sector_cells(dialog)["Northshire Police"] == "— none: left out —"
    outcome = find_by_name(dialog, "What will be imported", QLabel).text()
    assert (
        outcome
        == "1 connection will be imported; 3 left out until their organisation has a sector."
    )
    dialog.accept()
    qtbot.waitUntil(lambda: bool(prompts.infos), timeout=10_000)
    assert "1 new, 0 already there; 3 connections left out" in prompts.infos[-1]
    assert [c.name for c in with_profile.contacts.list_all()] == ["Siân Evans"]
    assert [o.name for o in with_profile.organisations.list_all()] == ["Northshire Council"]


def test_cancel_imports_nothing(
    tmp_path: Path, with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    dialog = _open_dialog(window, prompts, _file(tmp_path))
    find_by_name(dialog, "Cancel", QPushButton).click()
    assert with_profile.contacts.list_all() == []
    assert prompts.infos == []


def test_a_file_that_is_not_an_export_shows_the_line(
    tmp_path: Path, with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    prompts.open_path = _file(tmp_path, "type,title,start\nshadowing,Ward,2026-01-02\n")
    window.import_linkedin_action.trigger()
    [report] = prompts.dialogs
    assert isinstance(report, ImportReportDialog)
    table = find_by_name(report, "Problems table", QTableView)
    assert table.model().index(0, 0).data() == "1"
    assert "import-csv" in table.model().index(0, 2).data()
    report.deleteLater()
    prompts.open_path = tmp_path  # a folder
    window.import_linkedin_action.trigger()
    assert "it is a folder" in prompts.errors[-1]
    assert with_profile.contacts.list_all() == []
