"""Drafts in the window (issue 11): typing keeps a draft after a pause, Save and Cancel delete it,
any other close keeps it, opening a dialog with a draft asks, and the drafts a crash left are
offered at the next start (a real SIGKILL of a process that was writing one)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.review_dialog import ReviewDialog
from portfolio_app.ui.draft_keeper import DELAY_MS, DraftKeeper
from portfolio_app.ui.drafts_prompt import DraftsPrompt
from portfolio_app.ui.main_window import MainWindow

from .conftest import FakePrompts, MakeWindowType
from .helpers import find_by_name, walk_unnamed

TITLE = "Siân's hub — Łukasz"
SECRET = "Zoë told me in confidence that the hub is closing"


def _open(window: MainWindow, kind: type[QDialog]) -> QDialog:
    dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(dialogs) == 1, f"expected one open {kind.__name__}, found {len(dialogs)}"
    return dialogs[0]


def _activity_dialog(window: MainWindow) -> ActivityDialog:
    dialog = _open(window, ActivityDialog)
    assert isinstance(dialog, ActivityDialog)
    return dialog


def _keeper(dialog: QDialog) -> DraftKeeper:
    keeper = dialog.findChild(DraftKeeper)
    assert isinstance(keeper, DraftKeeper)
    return keeper


def _click(qtbot: QtBot, root: QDialog, name: str) -> None:
    button = find_by_name(root, name, QPushButton)
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _new_activity_draft(services: AppServices) -> dict[str, object] | None:
    draft = services.drafts.get("activity", None)
    return dict(draft.payload) if draft is not None else None


def _activity(title: str, **changes: object) -> Activity:
    return Activity(ActivityType.SHADOWING, title, date(2026, 3, 2), **changes)  # type: ignore[arg-type]


class RecordingPrompts(FakePrompts):
    """FakePrompts that also remember the question of the last choice offered."""

    last_choice_text = ""

    def choose(self, parent: QWidget, title: str, text: str, options: list[str]) -> int | None:
        self.last_choice_text = text
        assert options == ["Use it", "Discard it"]
        return super().choose(parent, title, text, options)


@pytest.fixture
def prompts() -> RecordingPrompts:
    return RecordingPrompts()


@pytest.fixture
def window(with_profile: AppServices, make_window: MakeWindowType) -> MainWindow:
    return make_window(with_profile)


def test_typing_keeps_a_draft_after_a_pause_and_save_deletes_it(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices
) -> None:
    services = with_profile
    window.new_activity()
    dialog = _activity_dialog(window)
    started = time.monotonic()
    qtbot.keyClicks(dialog.title_edit, "Shadowed the hub")
    assert _new_activity_draft(services) is None  # not at each keystroke
    qtbot.waitUntil(lambda: _new_activity_draft(services) is not None, timeout=DELAY_MS + 3000)
    assert time.monotonic() - started >= DELAY_MS / 1000 * 0.9
    payload = _new_activity_draft(services)
    assert payload is not None and payload["title"] == "Shadowed the hub"
    # Non-ASCII text set as typing would leave it; the draft follows after the next pause.
    dialog.description_edit.setPlainText(SECRET)
    qtbot.waitUntil(
        lambda: (_new_activity_draft(services) or {}).get("description") == SECRET,
        timeout=DELAY_MS + 3000,
    )
    _click(qtbot, dialog, "Save")
    assert [a.title for a in services.activities.list_all()] == ["Shadowed the hub"]
    assert services.drafts.pending() == []


def test_cancel_deletes_the_draft(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices
) -> None:
    window.new_activity()
    dialog = _activity_dialog(window)
    qtbot.keyClicks(dialog.title_edit, "Half a thought")
    _keeper(dialog).keep_now()
    assert _new_activity_draft(with_profile) is not None
    qtbot.keyClicks(dialog.title_edit, " and more")  # a change still waiting for the timer
    _click(qtbot, dialog, "Cancel")
    assert with_profile.drafts.pending() == []
    assert with_profile.activities.list_all() == []


@pytest.mark.parametrize("how", ["close", "escape"])
def test_a_close_by_other_means_keeps_the_draft_with_the_last_change(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, how: str
) -> None:
    window.new_activity()
    dialog = _activity_dialog(window)
    qtbot.keyClicks(dialog.title_edit, "Typed just now")
    assert _keeper(dialog).pending
    if how == "close":
        dialog.close()  # as the window manager's close button does
    else:
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    payload = _new_activity_draft(with_profile)
    assert payload is not None and payload["title"] == "Typed just now"


def test_a_form_typed_back_to_how_it_opened_leaves_no_draft(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices
) -> None:
    window.new_activity()
    dialog = _activity_dialog(window)
    keeper = _keeper(dialog)
    keeper.keep_now()
    assert _new_activity_draft(with_profile) is None  # nothing typed: nothing kept
    dialog.title_edit.setText("x")
    keeper.keep_now()
    assert _new_activity_draft(with_profile) is not None
    dialog.title_edit.clear()
    keeper.keep_now()
    assert _new_activity_draft(with_profile) is None


def test_opening_a_new_activity_with_a_draft_asks_use_it(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, prompts: FakePrompts
) -> None:
    hub = with_profile.organisations.create(Organisation("Police hub", "police"))
    with_profile.drafts.save(
        "activity",
        None,
        {
            "title": TITLE,
            "hours": "2.5",
            "ends_later": True,
            "start": "3 Mar 2026",
            "end": "5 Mar 2026",
            "visibility": "shared",
            "organisation_ids": [hub.id, 9999],
            "description": SECRET,
            "unknown_field": "ignored",
        },
    )
    prompts.choice = 0  # Use it
    window.new_activity()
    dialog = _activity_dialog(window)
    assert dialog.title_edit.text() == TITLE
    assert dialog.hours_edit.text() == "2.5"
    assert dialog.start_edit.date() == date(2026, 3, 3)
    assert dialog.end_edit.date() == date(2026, 3, 5)
    assert dialog.shared_radio.isChecked()
    assert dialog.organisations_list.checked_ids() == (hub.id,)
    assert dialog.description_edit.toPlainText() == SECRET
    _click(qtbot, dialog, "Save")
    saved = with_profile.activities.list_all()
    assert [(a.title, a.end, a.hours) for a in saved] == [(TITLE, date(2026, 3, 5), 2.5)]
    assert with_profile.drafts.pending() == []


def test_discard_it_starts_from_what_is_saved_and_cancel_opens_nothing(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, prompts: FakePrompts
) -> None:
    activity = with_profile.activities.create(_activity("Saved title"))
    assert activity.id is not None
    with_profile.drafts.save("activity", activity.id, {"title": "Draft title"})
    prompts.choice = None  # the question cancelled: no dialog, the draft stays
    window.edit_activity(activity.id)
    assert not [d for d in window.findChildren(ActivityDialog) if d.isVisible()]
    assert with_profile.drafts.get("activity", activity.id) is not None
    prompts.choice = 1  # Discard it
    window.edit_activity(activity.id)
    dialog = _activity_dialog(window)
    assert dialog.title_edit.text() == "Saved title"
    assert with_profile.drafts.get("activity", activity.id) is None
    dialog.reject()


def test_an_edit_draft_goes_on_top_of_the_entry_and_its_save_is_an_edit(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, prompts: FakePrompts
) -> None:
    activity = with_profile.activities.create(_activity("Saved title", hours=3.0))
    assert activity.id is not None
    with_profile.drafts.save("activity", activity.id, {"title": TITLE})
    window.edit_activity(activity.id)
    assert isinstance(prompts, RecordingPrompts)
    assert "There is an unsaved draft of this activity from" in prompts.last_choice_text
    dialog = _activity_dialog(window)
    assert dialog.title_edit.text() == TITLE
    assert dialog.hours_edit.text() == "3"  # from the entry: the draft did not hold it
    _click(qtbot, dialog, "Save")
    stored = with_profile.activities.get(activity.id)
    assert (stored.title, stored.hours) == (TITLE, 3.0)
    assert with_profile.drafts.pending() == []


def test_a_failed_save_keeps_the_draft(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, prompts: FakePrompts
) -> None:
    activity = with_profile.activities.create(_activity("Will vanish"))
    assert activity.id is not None
    window.edit_activity(activity.id)
    dialog = _activity_dialog(window)
    dialog.title_edit.setText(TITLE)
    with_profile.activities.delete(activity.id)  # gone under the open dialog: Save fails
    _click(qtbot, dialog, "Save")
    assert prompts.errors
    kept = with_profile.drafts.get("activity", activity.id)
    assert kept is not None and kept.payload["title"] == TITLE


def test_the_drafts_a_crash_left_are_offered_and_restored(
    qtbot: QtBot,
    make_window: MakeWindowType,
    set_up_paths: Callable[[Path], AppPaths],
    tmp_path: Path,
) -> None:
    paths = set_up_paths(tmp_path / "data")
    first = open_services(paths)
    first.profile.set_up(
        name="Siân Jones",
        role="Social worker",
        organisation="Northshire Council",
        sector="adult-social-care",
    )
    first.close()
    _write_draft_and_get_killed(paths)

    services = open_services(paths)
    try:
        window = make_window(services)
        offered = window.draft_flow.offer()
        assert isinstance(offered, DraftsPrompt)
        assert offered.isVisible() and not offered.isModal()
        assert offered.summary.text().startswith("You have 1 unsaved draft from ")
        assert f"New activity “{TITLE}”" in offered.listing.text()
        assert walk_unnamed(offered) == []
        _click(qtbot, offered, "Restore")
        dialog = _activity_dialog(window)
        assert dialog.title_edit.text() == TITLE
        assert dialog.description_edit.toPlainText() == SECRET
        _click(qtbot, dialog, "Save")
        assert [a.title for a in services.activities.list_all()] == [TITLE]
        assert services.drafts.pending() == []
        assert window.draft_flow.offer() is None  # nothing left to offer
    finally:
        services.close()


_CRASHING_WRITER = """
import sys, time
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
services = open_services(AppPaths.resolve(sys.argv[1]))
services.drafts.save("activity", None, {"title": sys.argv[2], "description": sys.argv[3]})
print("saved", flush=True)
time.sleep(120)
"""


def _write_draft_and_get_killed(paths: AppPaths) -> None:
    """A separate process keeps a draft through the service and is killed with SIGKILL while
    it still has the database open (no close, no checkpoint)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    with subprocess.Popen(
        [sys.executable, "-c", _CRASHING_WRITER, str(paths.data_dir), TITLE, SECRET],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            line = process.stdout.readline()
            if line != b"saved\n":
                process.kill()
                pytest.fail(f"the writer did not save: {process.stderr.read()!r}")
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()


def test_restore_opens_the_drafts_one_after_another_and_a_deleted_entry_as_new(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, prompts: FakePrompts
) -> None:
    services = with_profile
    gone = services.activities.create(_activity("Deleted meanwhile"))
    assert gone.id is not None
    services.activities.delete(gone.id)
    services.drafts.save("activity", gone.id, {"title": TITLE})
    services.drafts.save("lesson", None, {"title": "A lesson draft", "what_happened": SECRET})
    offered = window.draft_flow.offer()
    assert offered is not None
    assert offered.summary.text().startswith("You have 2 unsaved drafts from ")
    _click(qtbot, offered, "Restore")
    first = _activity_dialog(window)
    assert first.windowTitle() == "New activity"  # the entry it changed is gone
    assert first.title_edit.text() == TITLE
    assert any("was deleted since" in text for text in prompts.infos)
    assert not [d for d in window.findChildren(LessonDialog) if d.isVisible()]  # one at a time
    _click(qtbot, first, "Save")
    assert [a.title for a in services.activities.list_all()] == [TITLE]
    assert services.drafts.get("activity", gone.id) is None
    qtbot.waitUntil(lambda: bool([d for d in window.findChildren(LessonDialog) if d.isVisible()]))
    lesson = _open(window, LessonDialog)
    assert isinstance(lesson, LessonDialog)
    assert lesson.sections[LessonSection.WHAT_HAPPENED].text_edit.toPlainText() == SECRET
    _click(qtbot, lesson, "Cancel")
    assert services.drafts.pending() == []


def test_discard_in_the_offer_asks_then_deletes_every_draft_and_later_keeps_them(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, prompts: FakePrompts
) -> None:
    services = with_profile
    services.drafts.save("activity", None, {"title": "one"})
    services.drafts.save("review", None, {"reviewer_name": "Dr Zoë Hart"})
    offered = window.draft_flow.offer()
    assert offered is not None
    _click(qtbot, offered, "Later")
    assert not offered.isVisible()
    assert len(services.drafts.pending()) == 2
    offered = window.draft_flow.offer()
    assert offered is not None
    prompts.confirm_answer = False
    _click(qtbot, offered, "Discard")
    assert len(services.drafts.pending()) == 2 and offered.isVisible()
    prompts.confirm_answer = True
    _click(qtbot, offered, "Discard")
    assert (
        prompts.confirmations[-1] == "Delete the 2 drafts? What they hold cannot be brought back."
    )
    assert services.drafts.pending() == []
    assert not offered.isVisible()


def test_lesson_and_review_forms_come_back_as_they_were_typed(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices
) -> None:
    services = with_profile
    activity = services.activities.create(_activity("Linked one"))
    window.new_lesson()
    lesson = _open(window, LessonDialog)
    assert isinstance(lesson, LessonDialog)
    lesson.title_edit.setText(TITLE)
    lesson.activity_combo.setCurrentIndex(lesson.activity_combo.findData(activity.id))
    lesson.recorded_edit.edit.setText("3 Mar 20")  # half typed: kept as it is
    lesson.sections[LessonSection.NEXT_STEP].text_edit.setPlainText(SECRET)
    lesson.sections[LessonSection.NEXT_STEP].share_box.setChecked(True)
    typed = lesson.draft_payload()
    lesson.close()
    window.new_lesson()
    again = _open(window, LessonDialog)
    assert isinstance(again, LessonDialog)
    assert again.draft_payload() == typed
    assert again.recorded_edit.text() == "3 Mar 20"

    window.record_review()
    review = _open(window, ReviewDialog)
    assert isinstance(review, ReviewDialog)
    review.name_edit.setText("Dr Zoë Hart")
    review.comments_edit.setPlainText(SECRET)
    review.objective_title.setText("Shadow the police hub")
    review.objective_sectors.set_selected(["police"])
    review.add_objective()
    review.objective_title.setText("Half-typed objective")
    typed_review = review.draft_payload()
    assert typed_review["objectives"] == [
        ["Shadow the police hub", ["police"], review.objectives()[0].target_date.isoformat()]  # type: ignore[union-attr]
    ]
    review.close()
    window.record_review()
    review_again = _open(window, ReviewDialog)
    assert isinstance(review_again, ReviewDialog)
    assert review_again.draft_payload() == typed_review
    assert [g.title for g in review_again.objectives()] == ["Shadow the police hub"]


def test_draft_text_never_reaches_the_log(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="portfolio_app")  # an earlier CLI run set INFO
    window.new_activity()
    dialog = _activity_dialog(window)
    dialog.title_edit.setText(TITLE)
    dialog.description_edit.setPlainText(SECRET * 60_000)  # over the 2 MB a draft may hold
    _keeper(dialog).keep_now()
    assert "was not kept" in caplog.text
    dialog.description_edit.setPlainText(SECRET)
    _keeper(dialog).keep_now()
    dialog.close()
    window.draft_flow.offer()
    assert SECRET not in caplog.text and TITLE not in caplog.text


def test_a_long_list_of_drafts_is_cut_short(
    qtbot: QtBot, window: MainWindow, with_profile: AppServices
) -> None:
    for entry_id in range(1, 12):
        with_profile.drafts.save("activity", entry_id, {"title": f"draft {entry_id}"})
    offered = window.draft_flow.offer()
    assert offered is not None
    assert offered.summary.text().startswith("You have 11 unsaved drafts from ")
    lines = offered.listing.text().splitlines()
    assert len(lines) == 9 and lines[-1] == "… and 3 more"
