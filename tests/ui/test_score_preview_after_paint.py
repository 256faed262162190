"""The activity dialog's score preview starts its worker only after the dialog's first frame
(ui/dashboard/score_preview.py): a what-if is a Python pass over every activity, and a worker
holding the GIL while the dialog paints made the open twice as slow at 100k. On the 10k data set
(tests/large_dataset.py), with real key events. Timings are benchmarks/bench_dialogs.py's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from portfolio_app.paths import AppPaths
from portfolio_app.report import current_report_inputs
from portfolio_app.services import AppServices, open_services
from portfolio_app.ui.dashboard.score_job import ScoreJob
from portfolio_app.ui.dashboard.score_preview import WORKING, report_for
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog

from .helpers import find_by_name

pytestmark = [
    pytest.mark.score_in_background,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def large(large_data_dir: Path) -> Iterator[AppServices]:
    services = open_services(AppPaths.resolve(large_data_dir))
    report_for(current_report_inputs(services), date.today())  # as the Breadth page leaves it
    yield services
    ScoreJob.wait_all()  # no worker still reading when the database closes
    services.close()


class PaintLog(QObject):
    """Notes, at each Paint event the dialog gets, whether the preview's work had begun."""

    def __init__(self, dialog: ActivityDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.begun_at_paint: list[bool] = []
        self.workers_at_paint: list[int] = []
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog and event.type() == QEvent.Type.Paint:
            self.begun_at_paint.append(self.dialog.score_preview.has_begun())
            self.workers_at_paint.append(ScoreJob.running())
        return False


def _new_dialog_when_idle(qtbot: QtBot, services: AppServices) -> ActivityDialog:
    """A new activity dialog, built once no other test's worker runs."""
    ScoreJob.wait_all()
    qtbot.waitUntil(lambda: ScoreJob.running() == 0)
    dialog = ActivityDialog(services)
    qtbot.addWidget(dialog)
    return dialog


def test_no_worker_runs_until_the_dialog_has_painted_its_first_frame(
    qtbot: QtBot, large: AppServices
) -> None:
    dialog = _new_dialog_when_idle(qtbot, large)
    log = PaintLog(dialog)
    preview = dialog.score_preview
    assert not preview.has_begun() and ScoreJob.running() == 0  # nothing started building it
    dialog.show()
    assert not preview.has_begun() and ScoreJob.running() == 0  # nor showing it
    qtbot.waitUntil(preview.is_ready, timeout=60_000)
    assert log.begun_at_paint[:1] == [False]  # the first frame was painted before any work
    assert log.workers_at_paint[0] == 0
    expected = report_for(current_report_inputs(large), preview.today).score
    assert f"(now {expected:.1f})" in preview.text()

    # Typed with real keys: the status (Down from Done is Planned) asks a what-if off the UI
    # thread; the title does not change the score.
    title = find_by_name(dialog, "Title", QLineEdit)
    qtbot.keyClicks(title, "Coffee with Sian")  # (QTest types ASCII only)
    status = find_by_name(dialog, "Status", QComboBox)
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Up)
    qtbot.keyClick(status, Qt.Key.Key_Down)
    assert status.currentData() == "planned"
    assert not preview.is_ready()  # its answer comes through the event loop
    qtbot.waitUntil(preview.is_ready, timeout=60_000)
    assert preview.text().startswith("Planned work counts once it is done")


def test_a_dialog_closed_before_it_painted_starts_no_worker(
    qtbot: QtBot, large: AppServices
) -> None:
    dialog = _new_dialog_when_idle(qtbot, large)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closed at once (Esc, before the event loop ran)
    assert not dialog.isVisible()
    qtbot.wait(100)
    assert not dialog.score_preview.has_begun()
    assert ScoreJob.running() == 0
    assert dialog.score_preview.text() == WORKING


def test_a_closed_dialog_asks_no_more_what_ifs(qtbot: QtBot, large: AppServices) -> None:
    dialog = ActivityDialog(large)
    qtbot.addWidget(dialog)
    dialog.show()
    preview = dialog.score_preview
    qtbot.waitUntil(preview.is_ready, timeout=60_000)
    qtbot.waitUntil(lambda: ScoreJob.running() == 0, timeout=60_000)
    answered = preview.text()
    status = find_by_name(dialog, "Status", QComboBox)
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Escape)  # Esc closes the dialog (the combo is closed)
    assert not dialog.isVisible()
    status.setCurrentIndex(status.findData("planned"))  # a change after closing
    assert ScoreJob.running() == 0  # no pass over every activity for a dialog nobody sees
    assert preview.text() == answered

    dialog.show()  # shown again: it answers the form as it is now
    qtbot.waitUntil(preview.is_ready, timeout=60_000)
    qtbot.waitUntil(lambda: preview.text().startswith("Planned work counts"), timeout=60_000)
