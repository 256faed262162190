"""The Evidence panel of the activity and lesson dialogs, with real widgets on real encrypted
data: add (button and dropped files), open (a temporary owner-only copy, handed to the
system's viewer), share and remove; files of a new activity wait for its save."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QScrollArea, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.evidence import MAX_EVIDENCE_BYTES
from portfolio_app.domain.records import Activity, Lesson
from portfolio_app.services import AppServices
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.models.evidence_model import ADDED, NAME, SHARED, SIZE, TYPE
from portfolio_app.ui.widgets.evidence_panel import EvidencePanel

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed

AGENDA = "Siân's agenda.pdf"
NOTES = "Łukasz – notes.txt"
OFFSCREEN_SHOW = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def activity(with_profile: AppServices) -> Activity:
    return with_profile.activities.create(
        Activity(ActivityType.PEER_EVENT, "Safeguarding learning day", date(2026, 5, 12))
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "from-the-user"
    folder.mkdir()
    made = {}
    for name, data in ((AGENDA, b"%PDF-1.4 the agenda"), (NOTES, "notes: Zoë".encode())):
        made[name] = folder / name
        made[name].write_bytes(data)
    big = folder / "recording.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_EVIDENCE_BYTES + 1)
    made["big"] = big
    return made


def _activity_dialog(
    qtbot: QtBot, services: AppServices, activity: Activity | None, prompts: FakePrompts
) -> tuple[ActivityDialog, EvidencePanel]:
    dialog = ActivityDialog(services, activity, prompts=prompts, today=date(2026, 6, 1))
    qtbot.addWidget(dialog)
    return dialog, find_by_name(dialog, "Evidence files", EvidencePanel)


@pytest.fixture
def panel(
    qtbot: QtBot, with_profile: AppServices, activity: Activity, prompts: FakePrompts
) -> EvidencePanel:
    """The panel of the dialog editing `activity` (saved: files are stored at once)."""
    return _activity_dialog(qtbot, with_profile, activity, prompts)[1]


def _shown(panel: EvidencePanel) -> list[tuple[str, ...]]:
    """What the list shows, row by row, in its current order."""
    proxy = panel.proxy
    return [
        tuple(str(proxy.index(r, c).data()) for c in (NAME, TYPE, SIZE, SHARED))
        for r in range(proxy.rowCount())
    ]


def _drop(panel: EvidencePanel, paths: list[Path]) -> QDropEvent:
    """Drag files from a file manager and let go over the panel, as Qt delivers it."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = panel.rect().center()
    enter = QDragEnterEvent(
        point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
    )
    QApplication.sendEvent(panel, drop)
    return drop


# -- adding ------------------------------------------------------------------------------------


def test_add_stores_the_file_at_once_and_lists_it(
    qtbot: QtBot,
    panel: EvidencePanel,
    with_profile: AppServices,
    activity: Activity,
    prompts: FakePrompts,
    files: dict[str, Path],
) -> None:
    assert _shown(panel) == []
    prompts.open_path = files[AGENDA]
    qtbot.mouseClick(
        find_by_name(panel, "Add evidence file", QPushButton), Qt.MouseButton.LeftButton
    )
    assert prompts.errors == []
    [stored] = with_profile.evidence.list_for(activity_id=activity.id)
    assert stored.name == AGENDA and stored.visibility is Visibility.PRIVATE
    assert _shown(panel) == [(AGENDA, "PDF", "19 bytes", "Private")]
    assert panel.proxy.index(0, ADDED).data().endswith(f"{stored.added_at.astimezone():%H:%M}")  # type: ignore[union-attr]
    assert panel.selected_row() == 0  # the new file is selected, ready to open


def test_dropped_files_are_added_and_a_refused_one_is_named(
    panel: EvidencePanel,
    with_profile: AppServices,
    activity: Activity,
    prompts: FakePrompts,
    files: dict[str, Path],
) -> None:
    drop = _drop(panel, [files[AGENDA], files["big"], files[NOTES]])
    assert drop.isAccepted()
    names = {e.name for e in with_profile.evidence.list_for(activity_id=activity.id)}
    assert names == {AGENDA, NOTES}  # the big one: nothing stored
    assert sorted(r[0] for r in _shown(panel)) == sorted([AGENDA, NOTES])
    assert prompts.errors == [
        "“recording.mp4” is 25 MB: an evidence file can be at most 25 MB. Nothing was stored."
    ]


def test_a_drag_without_files_is_not_accepted(
    panel: EvidencePanel,
) -> None:
    data = QMimeData()
    data.setText("just some text")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
    )
    QApplication.sendEvent(panel, enter)
    assert not enter.isAccepted()


# -- opening -----------------------------------------------------------------------------------


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """QDesktopServices.openUrl, recorded instead of starting the system's viewer."""
    urls: list[QUrl] = []

    def record(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls


def test_open_hands_an_owner_only_copy_to_the_viewer_and_close_removes_it(
    qtbot: QtBot,
    panel: EvidencePanel,
    with_profile: AppServices,
    prompts: FakePrompts,
    files: dict[str, Path],
    opened_urls: list[QUrl],
) -> None:
    panel.add_files([files[NOTES]])
    qtbot.mouseClick(
        find_by_name(panel, "Open evidence file", QPushButton), Qt.MouseButton.LeftButton
    )
    assert prompts.errors == []
    [url] = opened_urls
    copy = Path(url.toLocalFile())
    assert copy.name == NOTES and copy.read_bytes() == "notes: Zoë".encode()
    assert with_profile.paths.open_files_dir in copy.parents
    assert copy != files[NOTES]  # a copy from the database, not the user's original
    if os.name == "posix":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(with_profile.paths.open_files_dir.stat().st_mode) == 0o700

    # Enter (activated) and double-click open it too.
    panel.view.activated.emit(panel.index_of(0, NAME))
    assert len(opened_urls) == 2
    with_profile.open_copies.close()  # what closing the app does
    assert not copy.exists() and not with_profile.paths.open_files_dir.exists()


def test_a_file_no_program_opens_says_where_the_copy_is(
    panel: EvidencePanel,
    prompts: FakePrompts,
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    panel.add_files([files[AGENDA]])
    panel.open_selected()
    [message] = prompts.errors
    assert message.startswith(f"No program on this computer opened “{AGENDA}”.")


# -- sharing and removing ----------------------------------------------------------------------


def test_ticking_shared_stores_the_choice(
    panel: EvidencePanel,
    with_profile: AppServices,
    files: dict[str, Path],
) -> None:
    panel.add_files([files[AGENDA]])
    index = panel.index_of(0, SHARED)
    assert panel.proxy.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    [stored] = with_profile.evidence.list_all()
    assert stored.visibility is Visibility.SHARED
    assert _shown(panel)[0][3] == "Shared"
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    panel.proxy.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert not with_profile.evidence.list_all()[0].shared


def test_remove_asks_first_and_deletes_only_when_confirmed(
    qtbot: QtBot,
    panel: EvidencePanel,
    with_profile: AppServices,
    prompts: FakePrompts,
    files: dict[str, Path],
) -> None:
    panel.add_files([files[AGENDA], files[NOTES]])
    panel.select_row(0)
    remove = find_by_name(panel, "Remove evidence file", QPushButton)

    prompts.confirm_answer = False
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert f"Remove the evidence file “{AGENDA}” from this activity?" in prompts.confirmations[-1]
    assert len(with_profile.evidence.list_all()) == 2

    prompts.confirm_answer = True
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [e.name for e in with_profile.evidence.list_all()] == [NOTES]
    assert [r[0] for r in _shown(panel)] == [NOTES]
    assert files[AGENDA].exists()  # the user's original is never touched
    assert remove.isEnabled() == (panel.selected_row() is not None)


# -- a new activity or lesson ----------------------------------------------------------------


def _save(qtbot: QtBot, dialog: ActivityDialog | LessonDialog) -> None:
    button = find_by_name(dialog, "Save", QPushButton)
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _open_dialog(window: MainWindow) -> ActivityDialog:
    [dialog] = [d for d in window.findChildren(ActivityDialog) if d.isVisible()]
    return dialog


def test_files_of_a_new_activity_wait_for_its_save_and_follow_undo(
    qtbot: QtBot,
    with_profile: AppServices,
    make_window: Callable[[AppServices], MainWindow],
    prompts: FakePrompts,
    files: dict[str, Path],
    opened_urls: list[QUrl],
) -> None:
    window = make_window(with_profile)
    window.new_activity_action.trigger()
    dialog = _open_dialog(window)
    panel = find_by_name(dialog, "Evidence files", EvidencePanel)
    assert "stored when you save the activity" in find_by_name(panel, "Evidence note").text()
    _drop(panel, [files[AGENDA]])
    panel.proxy.setData(
        panel.index_of(0, SHARED), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert _shown(panel) == [(AGENDA, "PDF", "19 bytes", "Shared")]
    assert with_profile.evidence.list_all() == []  # nothing stored before the save
    panel.open_selected()  # a queued file opens too, from the bytes the panel holds
    assert Path(opened_urls[-1].toLocalFile()).read_bytes() == b"%PDF-1.4 the agenda"

    find_by_name(dialog, "Title", QLineEdit).setText("Joint visit")
    _save(qtbot, dialog)
    [created] = with_profile.activities.list_all()
    [stored] = with_profile.evidence.list_all()
    assert (stored.name, stored.activity_id, stored.shared) == (AGENDA, created.id, True)

    window.undo_stack.undo()  # the add: the activity and its file go
    assert with_profile.evidence.list_all() == []
    window.undo_stack.redo()  # both come back
    assert [(e.name, e.id) for e in with_profile.evidence.list_all()] == [(AGENDA, stored.id)]
    assert stored.id is not None
    assert with_profile.evidence.read(stored.id) == b"%PDF-1.4 the agenda"


def test_a_cancelled_new_activity_stores_no_file(
    qtbot: QtBot,
    with_profile: AppServices,
    make_window: Callable[[AppServices], MainWindow],
    prompts: FakePrompts,
    files: dict[str, Path],
) -> None:
    window = make_window(with_profile)
    window.new_activity_action.trigger()
    dialog = _open_dialog(window)
    panel = find_by_name(dialog, "Evidence files", EvidencePanel)
    panel.add_files([files[NOTES]])
    panel.select_row(0)
    panel.remove_selected()  # a queued file goes without a question: nothing was stored
    assert prompts.confirmations == [] and _shown(panel) == []
    panel.add_files([files[NOTES]])
    dialog.reject()
    assert with_profile.evidence.list_all() == []


def test_the_lesson_dialog_has_the_panel_too(
    qtbot: QtBot,
    with_profile: AppServices,
    activity: Activity,
    prompts: FakePrompts,
    files: dict[str, Path],
) -> None:
    lesson = with_profile.lessons.create(Lesson("Listen first", activity.id))
    dialog = LessonDialog(with_profile, lesson, prompts=prompts, today=date(2026, 6, 1))
    qtbot.addWidget(dialog)
    panel = find_by_name(dialog, "Evidence files", EvidencePanel)
    _drop(panel, [files[NOTES]])
    [stored] = with_profile.evidence.list_for(lesson_id=lesson.id)
    assert (stored.name, stored.activity_id) == (NOTES, None)
    assert "from this lesson?" not in "".join(prompts.confirmations)
    assert "stored as soon as you add them" in find_by_name(panel, "Evidence note").text()


# -- the model, names, small screens -----------------------------------------------------------


def test_the_model_is_a_well_behaved_table(
    qtmodeltester: ModelTester,
    panel: EvidencePanel,
    files: dict[str, Path],
) -> None:
    panel.add_files([files[AGENDA], files[NOTES]])
    qtmodeltester.check(panel.model)
    # Sorting by size puts the smaller file first (numbers, not text).
    panel.view.sortByColumn(SIZE, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in _shown(panel)] == [NOTES, AGENDA]


@OFFSCREEN_SHOW
def test_every_widget_is_named_and_save_stays_in_sight_at_1024x600(
    qtbot: QtBot,
    with_profile: AppServices,
    activity: Activity,
    prompts: FakePrompts,
    files: dict[str, Path],
) -> None:
    dialog, panel = _activity_dialog(qtbot, with_profile, activity, prompts)
    panel.add_files([files[AGENDA]])
    dialog.resize(1024, 600 - 40)  # a 1024x600 screen less a taskbar
    dialog.show()
    qtbot.waitExposed(dialog)
    assert walk_unnamed(dialog) == []
    assert dialog.height() <= 560
    save = find_by_name(dialog, "Save", QPushButton)
    assert dialog.rect().contains(save.geometry().translated(save.parentWidget().pos()))
    # The panel is reachable by scrolling.
    scroll = find_by_name(dialog, "Activity form", QScrollArea)
    scroll.ensureWidgetVisible(find_by_name(panel, "Evidence files list", QTableView))
    assert not panel.view.visibleRegion().isEmpty()
