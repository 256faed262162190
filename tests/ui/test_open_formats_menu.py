"""File → Export → everything as JSON / for an e-portfolio (Leap2A), and File → Import → from a
Portfolio JSON file: the CLI's open formats from the window, off the UI thread, with the
services' reports and refusals shown as they are."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from json_support import fill_rich
from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.ui.main_window import MainWindow

from .conftest import FakePrompts, MakeWindowType

TODAY = date(2027, 1, 5)
SHARED_TITLE = "Shadowed Łukasz on the ward"
PRIVATE_TITLE = "Private supervision with Zoë"


class SuggestingPrompts(FakePrompts):
    """FakePrompts that also remember the file name each save dialog suggested."""

    def __init__(self) -> None:
        super().__init__()
        self.suggested: list[str] = []

    def save_file(
        self, parent: QWidget, title: str, suggested: str, file_filter: str
    ) -> Path | None:
        self.suggested.append(suggested)
        return self.save_path


@pytest.fixture
def prompts() -> FakePrompts:
    return SuggestingPrompts()


@pytest.fixture
def other_services(
    tmp_path: Path, set_up_paths: Callable[[Path], AppPaths]
) -> Iterator[AppServices]:
    """A second data folder, set up with a profile of its own and nothing else."""
    services = open_services(set_up_paths(tmp_path / "other"))
    services.profile.set_up(
        name="Zoë Adams",
        role="Social worker",
        organisation="Southshire Council",
        sector="adult-social-care",
    )
    yield services
    services.close()


def _window(make_window: MakeWindowType, services: AppServices) -> MainWindow:
    window = make_window(services)
    window.open_formats.today = TODAY
    return window


def _wait(qtbot: QtBot, window: MainWindow, prompts: FakePrompts, said: int = 0) -> None:
    """Until the task has ended and something more than `said` messages has been said."""
    qtbot.waitUntil(
        lambda: (
            window.open_formats.task is None and len(prompts.infos) + len(prompts.errors) > said
        ),
        timeout=30_000,
    )


@pytest.fixture
def rich_file(services: AppServices, tmp_path: Path) -> Path:
    """An export of a portfolio with every kind of entry (tests/json_support.fill_rich)."""
    fill_rich(services)
    path = tmp_path / "Zoë's portfolio.json"
    services.json_export.export(path)
    return path


def _profile_name(services: AppServices) -> str:
    profile = services.profile.get()
    assert profile is not None
    return profile.name


def _titles(window: MainWindow) -> set[str]:
    proxy = window.activities_page.model
    headers = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
    column = headers.index("Title")
    return {proxy.index(r, column).data() for r in range(proxy.rowCount())}


# -- the menus -------------------------------------------------------------------------------


def _submenu(window: MainWindow, text: str) -> QMenu:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert isinstance(file_menu, QMenu)
    menu = next(a.menu() for a in file_menu.actions() if a.text() == text)
    assert isinstance(menu, QMenu)
    return menu


def test_file_export_and_import_hold_the_spreadsheet_and_open_format_entries(
    with_profile: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(with_profile)
    export_menu, import_menu = _submenu(window, "E&xport"), _submenu(window, "I&mport")
    assert [a.text() for a in export_menu.actions()] == [
        "&Activities to CSV…",
        "Everything, as an open &JSON file…",
        "For an &e-portfolio (Leap2A)…",
    ]
    imports = [a for a in import_menu.actions() if not a.isSeparator()]
    assert imports == [
        window.import_action,
        window.template_action,
        window.import_linkedin_action,
        window.import_json_action,
    ]
    assert window.import_json_action.text() == "From a Portfolio &JSON file…"
    for action in [*export_menu.actions(), *imports]:
        assert action.statusTip() and action.toolTip() == action.statusTip()
    assert export_menu.accessibleName() == "Export" and import_menu.accessibleName() == "Import"
    # The CSV entries moved into the submenus: the File menu itself no longer lists them.
    file_menu = export_menu.parent()
    assert isinstance(file_menu, QMenu)
    assert window.export_csv_action not in file_menu.actions()
    assert window.import_action not in file_menu.actions()


# -- JSON out --------------------------------------------------------------------------------


def test_export_everything_from_the_window_writes_a_file_that_parses_back(
    qtbot: QtBot,
    tmp_path: Path,
    services: AppServices,
    make_window: MakeWindowType,
    prompts: SuggestingPrompts,
) -> None:
    fill_rich(services)
    window = _window(make_window, services)
    out = tmp_path / "Siân's export"  # no suffix typed: .json is added
    prompts.save_path = out
    window.export_json_action.trigger()
    _wait(qtbot, window, prompts)
    assert prompts.errors == []
    assert prompts.suggested == ["portfolio-2027-01-05.json"]
    [note] = prompts.confirmations
    assert "private entries" in note and "evidence" in note and "readable by you only" in note
    written = out.with_name(out.name + ".json")
    document = json.loads(written.read_text(encoding="utf-8"))
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert document["profile"]["name"] == "Siân Jones"
    assert {a["title"] for a in document["activities"]} == {
        "Secondment to Łukasz’s ward",
        "Peer day with Zoë",
    }
    assert len(document["evidence"]) == 3
    # What the window wrote is what the service reads back without a problem.
    services.json_import.check(written.read_bytes())
    [info] = prompts.infos
    assert str(written) in info and "2 activities" in info


def test_export_declined_at_the_note_asks_for_no_file(
    with_profile: AppServices, make_window: MakeWindowType, prompts: SuggestingPrompts
) -> None:
    window = _window(make_window, with_profile)
    prompts.confirm_answer = False
    window.export_json_action.trigger()
    assert prompts.suggested == [] and window.open_formats.task is None


def test_export_to_a_missing_folder_is_one_clear_error(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    window = _window(make_window, with_profile)
    prompts.save_path = tmp_path / "no such folder" / "portfolio.json"
    window.export_json_action.trigger()
    _wait(qtbot, window, prompts)
    [error] = prompts.errors
    assert "no such folder" in error and "Traceback" not in error
    assert prompts.infos == []


# -- JSON in ---------------------------------------------------------------------------------


def test_import_into_a_set_up_only_portfolio_recreates_it_and_lists_the_entries(
    qtbot: QtBot,
    rich_file: Path,
    other_services: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    source = rich_file
    window = _window(make_window, other_services)
    prompts.open_path = source
    window.import_json_action.trigger()
    _wait(qtbot, window, prompts)
    assert prompts.errors == [] and prompts.confirmations == []  # empty: nothing to ask
    [info] = prompts.infos
    assert info.startswith("Imported ") and "(“Zoë Adams”) was replaced" in info
    assert _titles(window) == {"Secondment to Łukasz’s ward", "Peer day with Zoë"}
    assert window.lessons_page.model.rowCount() == 2
    assert "2 activities · 2 lessons · 3 organisations · 2 contacts" in window.count_label.text()
    assert _profile_name(other_services) == "Siân Jones"


def test_merging_the_same_file_twice_adds_nothing_the_second_time(
    qtbot: QtBot,
    rich_file: Path,
    other_services: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    source = rich_file
    home = other_services.organisations.find_by_name("Southshire Council")
    assert home is not None and home.id is not None
    other_services.activities.create(
        Activity(
            ActivityType.TRAINING, "My own training", date(2026, 5, 1), organisation_ids=(home.id,)
        )
    )
    window = _window(make_window, other_services)
    prompts.open_path = source
    window.import_json_action.trigger()
    _wait(qtbot, window, prompts)
    assert prompts.errors == []
    [question] = prompts.confirmations
    assert "Merge Zoë's portfolio.json into your data?" in question
    assert "Entries already here are kept" in question and "only new ones are added" in question
    first = prompts.infos[-1]
    # Every entry of the file is new here; the profiles differ, and yours is kept.
    assert first.startswith("15 added, 0 already there, 1 differing (kept yours).")
    assert "• the profile (“Zoë Adams”)" in first
    assert _titles(window) == {
        "My own training",
        "Secondment to Łukasz’s ward",
        "Peer day with Zoë",
    }

    window.import_json_action.trigger()
    _wait(qtbot, window, prompts, said=1)
    assert prompts.errors == [] and len(prompts.confirmations) == 2
    assert prompts.infos[-1].startswith("0 added, 15 already there, 1 differing (kept yours).")
    assert len(other_services.activities.list_all()) == 3
    assert _profile_name(other_services) == "Zoë Adams"  # yours is kept


def test_declining_the_merge_imports_nothing(
    qtbot: QtBot,
    rich_file: Path,
    other_services: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    source = rich_file
    other_services.organisations.create(Organisation("Zoë’s team", "police"))
    window = _window(make_window, other_services)
    prompts.open_path, prompts.confirm_answer = source, False
    window.import_json_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.confirmations), timeout=30_000)
    qtbot.waitUntil(lambda: window.open_formats.task is None)
    assert prompts.infos == [] and prompts.errors == []
    assert other_services.activities.list_all() == []


def test_a_bad_file_is_refused_with_the_place_of_the_problem_and_nothing_changes(
    qtbot: QtBot,
    tmp_path: Path,
    services: AppServices,
    other_services: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    fill_rich(services)
    document = services.json_export.document()
    document["activities"][1]["start"] = "31/02/2026"
    bad = tmp_path / "Łukasz broke it.json"
    bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = other_services.json_export.document()
    window = _window(make_window, other_services)
    prompts.open_path = bad
    window.import_json_action.trigger()
    _wait(qtbot, window, prompts)
    [error] = prompts.errors
    assert str(bad) in error and "activities[1].start" in error
    assert "Nothing was imported" in error and "Traceback" not in error
    assert prompts.infos == [] and prompts.confirmations == []
    after = other_services.json_export.document()
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }
    assert window.activities_page.model.rowCount() == 0


def test_a_file_that_is_not_json_at_all_is_one_clear_error(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text("Siân's notes, not JSON", encoding="utf-8")
    window = _window(make_window, with_profile)
    prompts.open_path = bad
    window.import_json_action.trigger()
    _wait(qtbot, window, prompts)
    [error] = prompts.errors
    assert str(bad) in error and "Nothing was imported" in error


# -- Leap2A out ------------------------------------------------------------------------------


@pytest.fixture
def shared_and_private(with_profile: AppServices) -> AppServices:
    police = with_profile.organisations.create(Organisation("Northshire Police", "police"))
    assert police.id is not None
    for title, visibility in (
        (SHARED_TITLE, Visibility.SHARED),
        (PRIVATE_TITLE, Visibility.PRIVATE),
    ):
        with_profile.activities.create(
            Activity(
                ActivityType.SHADOWING,
                title,
                date(2026, 3, 2),
                organisation_ids=(police.id,),
                visibility=visibility,
            )
        )
    return with_profile


def _feed(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("leap2a.xml").decode("utf-8")


@pytest.mark.parametrize("include_private", [False, True])
def test_leap2a_export_holds_private_entries_only_when_asked(
    include_private: bool,
    qtbot: QtBot,
    tmp_path: Path,
    shared_and_private: AppServices,
    make_window: MakeWindowType,
    prompts: SuggestingPrompts,
) -> None:
    window = _window(make_window, shared_and_private)
    prompts.choice = 1 if include_private else 0
    prompts.save_path = tmp_path / "for Mahara"
    window.export_leap2a_action.trigger()
    _wait(qtbot, window, prompts)
    assert prompts.errors == []
    assert prompts.suggested == ["portfolio-leap2a-2027-01-05.zip"]
    written = tmp_path / "for Mahara.zip"
    feed = _feed(written)
    assert SHARED_TITLE in feed
    assert (PRIVATE_TITLE in feed) is include_private
    [info] = prompts.infos
    assert str(written) in info
    assert f"{2 if include_private else 1} activit" in info
    assert ("Private entries are included" in info) is include_private


def test_leap2a_question_cancelled_writes_nothing(
    tmp_path: Path,
    shared_and_private: AppServices,
    make_window: MakeWindowType,
    prompts: SuggestingPrompts,
) -> None:
    window = _window(make_window, shared_and_private)
    prompts.choice = None
    prompts.save_path = tmp_path / "portfolio.zip"
    window.export_leap2a_action.trigger()
    assert prompts.suggested == [] and not (tmp_path / "portfolio.zip").exists()
