"""File → Import activities from CSV: a good file imports off the UI thread, a bad one imports
nothing and shows every problem in a dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableView
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
    assert window.activities_page.proxy.rowCount() == 2
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
    assert window.activities_page.proxy.rowCount() == 0


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
        assert window.activities_page.proxy.rowCount() == 2
    else:
        assert with_profile.activities.list_all() == []
        assert not prompts.dialogs and not prompts.infos and not prompts.errors
