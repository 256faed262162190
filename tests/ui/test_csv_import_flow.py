"""File → Import activities from CSV: a good file imports off the UI thread, a bad one imports
nothing and shows every problem in a dialog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.ui.csv_import_flow import ImportReportDialog

from .conftest import FakePrompts, MakeWindowType
from .helpers import find_by_name

GOOD = (
    "type,title,start,organisation,sector,contacts\n"
    "shadowing,Shadowed Siân on a ward,2026-02-03,Northshire General,acute trusts,Siân Evans\n"
    "peer-event,Safeguarding day,04/03/2026,Northshire Police,police,\n"
)
BAD = (
    "type,title,start\n"
    "shadowing,Fine row,2026-02-03\n"
    "conference,Unknown type,2026-02-04\n"
    "training,,31/02/2026\n"
)


def test_good_file_is_imported_and_counted(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    window = make_window(with_profile)
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    prompts.choice, prompts.open_path = 0, path
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.infos), timeout=10_000)
    assert "Imported 2 activities" in prompts.infos[-1]
    assert window.activities_page.model.rowCount() == 2
    assert "2 activities" in window.count_label.text()


def test_bad_file_imports_nothing_and_lists_every_problem(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    window = make_window(with_profile)
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    prompts.choice, prompts.open_path = 0, path
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.dialogs), timeout=10_000)
    [dialog] = prompts.dialogs
    assert isinstance(dialog, ImportReportDialog)
    qtbot.addWidget(dialog)
    table = find_by_name(dialog, "Problems table", QTableView)
    lines = {table.model().index(r, 0).data() for r in range(table.model().rowCount())}
    assert lines == {"3", "4"}
    assert with_profile.activities.list_all() == []
    assert window.activities_page.model.rowCount() == 0


def test_template_is_on_offer(
    tmp_path: Path, with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    prompts.choice, prompts.save_path = 1, tmp_path / "template.csv"
    window.import_action.trigger()
    text = (tmp_path / "template.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("type,title,start")
    assert with_profile.activities.list_all() == []


def test_cancelled_choice_does_nothing(
    with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    prompts.choice = None
    window.import_action.trigger()
    assert not prompts.dialogs and not prompts.infos and not prompts.errors


SLIPS = (
    "type,title,start,end,contacts,status\n"
    "shadowing,Shadowed a ward,2026-02-03,,?ukasz Nowak,\n"
    "training,Course,2026-02-03,3026-02-04,,planned\n"
)


@pytest.mark.parametrize("answer", [True, False])
def test_unusual_rows_are_imported_only_when_confirmed(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
    answer: bool,
) -> None:
    window = make_window(with_profile)
    path = tmp_path / "slips.csv"
    path.write_text(SLIPS, encoding="utf-8")
    prompts.choice, prompts.open_path, prompts.confirm_answer = 0, path, answer
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.confirmations), timeout=10_000)
    [question] = prompts.confirmations
    assert "line 2, column 'contacts': '?ukasz' has a '?' inside a word" in question
    assert "line 3, column 'end': 4 Feb 3026 is more than a year ahead" in question
    assert "Nothing has been imported yet" in question
    if answer:
        qtbot.waitUntil(lambda: bool(prompts.infos), timeout=10_000)
        assert "Imported 2 activities" in prompts.infos[-1]
        assert window.activities_page.model.rowCount() == 2
    else:
        assert with_profile.activities.list_all() == []
        assert not prompts.dialogs and not prompts.infos and not prompts.errors


def test_a_workbook_is_offered_and_imported_and_its_problems_say_row(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import openpyxl

    filters: list[str] = []

    def open_file(parent: object, title: str, file_filter: str) -> Path | None:
        filters.append(file_filter)
        return prompts.open_path

    monkeypatch.setattr(prompts, "open_file", open_file)
    window = make_window(with_profile)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Log"
    sheet.append(["type", "title", "start", "hours"])
    sheet.append(["shadowing", "Shadowed Siân", date(2026, 2, 3), 7.5])
    sheet.append(["conference", "Unknown type", date(2026, 2, 4), None])
    path = tmp_path / "log.xlsx"
    book.save(path)
    prompts.choice, prompts.open_path = 0, path
    window.import_action.trigger()
    assert "*.xlsx" in filters[0] and "*.ods" in filters[0] and "*.csv" in filters[0]
    qtbot.waitUntil(lambda: bool(prompts.dialogs), timeout=10_000)
    [dialog] = prompts.dialogs
    assert isinstance(dialog, ImportReportDialog)
    qtbot.addWidget(dialog)
    table = find_by_name(dialog, "Problems table", QTableView)
    model = table.model()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Row"
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["3"]
    assert "(sheet Log)" in find_by_name(dialog, "Import summary", QLabel).text()
    assert with_profile.activities.list_all() == []

    sheet.delete_rows(3)
    book.save(path)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.infos), timeout=10_000)
    assert "Imported 1 activity" in prompts.infos[-1]
    [activity] = with_profile.activities.list_all()
    assert (activity.title, activity.start, activity.hours) == (
        "Shadowed Siân",
        date(2026, 2, 3),
        7.5,
    )
