"""The issue-11 windows on a small screen (1024x600, a council netbook): each fits, every
button is inside it, one button is the default, and Tab reaches every enabled button. Built
with real backups and drafts in tmp_path; the start-up problems from the storage errors the
database raises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.services import AppServices
from portfolio_app.services.backups import list_backups
from portfolio_app.storage.errors import DatabaseDamaged, NewerSchema, StorageError
from portfolio_app.ui.drafts_prompt import DraftsPrompt
from portfolio_app.ui.restore_dialog import RestoreDialog
from portfolio_app.ui.startup_problem_dialog import StartupProblemDialog, describe_problem

from .conftest import FakePrompts, MakeWindowType
from .helpers import find_by_name
from .test_linkedin_import_flow import _file, _open_dialog

SMALL = QSize(1024, 600)
LONG = "Siân's visit to Łukasz's team with Zoë " * 3


def _fits_and_tabs(qtbot: QtBot, dialog: QDialog, default: QPushButton) -> None:
    """Fits 1024x600, buttons inside and not cut short, `default` the one default button (as
    shown: Tab then makes the focused button the default for a while), Tab reaches all."""
    qtbot.addWidget(dialog)
    assert dialog.minimumSizeHint().width() <= SMALL.width()
    assert dialog.minimumSizeHint().height() <= SMALL.height()
    dialog.resize(dialog.size().boundedTo(SMALL))
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    assert buttons
    for button in buttons:
        where = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
        assert dialog.rect().contains(where), f"{button.text()!r} is outside the dialog"
        assert button.width() >= button.sizeHint().width(), f"{button.text()!r} is cut short"
    assert [b for b in buttons if b.isDefault()] == [default]
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    reached = set()
    for _ in range(3 * len(dialog.findChildren(QPushButton)) + 10):
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    missed = [b.text() for b in buttons if b.isEnabled() and b not in reached]
    assert missed == [], f"Tab never reaches {missed}"


def _backed_up(services: AppServices) -> AppServices:
    services.activities.create(Activity(ActivityType.SHADOWING, LONG, date(2026, 2, 3)))
    services.backups.backup_now()
    return services


def _damaged(path: Path) -> Exception:
    return DatabaseDamaged(path, ["HMAC verification failed for page 11"] * 8)


def _missing(path: Path) -> Exception:
    return DatabaseDamaged(path, [], missing=True)


def _newer(path: Path) -> Exception:
    return NewerSchema(path, "9999_future")


def _locked(path: Path) -> Exception:
    return StorageError(f"the database {path} is locked by another program")


@pytest.mark.parametrize("problem", [_damaged, _missing, _newer, _locked])
@pytest.mark.parametrize("with_backup", [True, False])
def test_each_start_up_problem_fits_a_small_screen_with_the_default_focused(
    qtbot: QtBot,
    with_profile: AppServices,
    problem: Callable[[Path], Exception],
    with_backup: bool,
    data_key: bytes,
) -> None:
    paths = with_profile.paths
    newest = None
    if with_backup:
        _backed_up(with_profile)
        newest = list_backups(paths, data_key)[0]
    dialog = StartupProblemDialog(describe_problem(problem(paths.database), paths, newest))
    _fits_and_tabs(qtbot, dialog, dialog.buttons[dialog.problem.default])
    heading = find_by_name(dialog, "About the details", QLabel).text()
    assert heading.startswith("Technical details")


def test_the_default_button_has_the_focus_when_a_start_up_problem_opens(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    paths = with_profile.paths
    dialog = StartupProblemDialog(describe_problem(_damaged(paths.database), paths, None))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    # No backup: Retry is the default, not the first button (Choose a backup…).
    assert dialog.focusWidget() is dialog.buttons[dialog.problem.default]
    assert dialog.problem.message.startswith("Part of your data file cannot be read")


def test_the_restore_dialog_fits_and_restore_is_the_default_even_before_the_window(
    qtbot: QtBot, with_profile: AppServices, data_key: bytes
) -> None:
    services = _backed_up(with_profile)
    dialog = RestoreDialog(services.paths, data_key, FakePrompts(), None)
    _fits_and_tabs(qtbot, dialog, dialog.restore_button)


def test_the_drafts_offer_fits_with_many_long_drafts(
    qtbot: QtBot, with_profile: AppServices, make_window: MakeWindowType
) -> None:
    window = make_window(with_profile)
    for entry_id in range(1, 15):
        with_profile.drafts.save("activity", entry_id, {"title": f"{LONG} {entry_id}"})
    offered = window.draft_flow.offer()
    assert isinstance(offered, DraftsPrompt)
    _fits_and_tabs(qtbot, offered, offered.restore_button)


def test_the_linkedin_preview_fits_with_many_new_organisations(
    qtbot: QtBot,
    tmp_path: Path,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    rows = "".join(
        f"Zoë{n},Łukasz,https://www.linkedin.com/in/z{n},,{LONG} {n} Ltd,Worker,01 Jan 2025\n"
        for n in range(30)
    )
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    window = make_window(with_profile)
    dialog = _open_dialog(window, prompts, _file(tmp_path, header + rows))
    _fits_and_tabs(qtbot, dialog, dialog.import_button)
