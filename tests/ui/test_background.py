"""Long work runs off the UI thread, reports progress, and Cancel stops it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.services.progress import Cancelled, Progress
from portfolio_app.ui.background import run_in_background


def test_work_runs_in_another_thread_and_reports_back(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[int] = []
    errors: list[Exception] = []

    def work(progress: Progress) -> int:
        progress.report(1, 2)
        return threading.get_ident()

    task = run_in_background(parent, "Working", work, results.append, errors.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert errors == []
    assert len(results) == 1
    assert results[0] != threading.get_ident()


def test_a_failure_reaches_the_error_callback_and_not_the_done_one(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[object] = []
    errors: list[Exception] = []

    def work(progress: Progress) -> int:
        raise OSError(28, "No space left on device")

    task = run_in_background(parent, "Working", work, results.append, errors.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == []
    assert [type(e) for e in errors] == [OSError]


def test_cancel_stops_the_work_without_calling_back(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    done: list[object] = []
    failed: list[Exception] = []

    def work(progress: Progress) -> str:
        started.set()
        while True:  # until cancelled: report() raises Cancelled once Cancel is pressed
            progress.report(0, 10)
            threading.Event().wait(0.01)

    task = run_in_background(parent, "Working", work, done.append, failed.append)
    qtbot.waitUntil(started.is_set, timeout=5000)
    with qtbot.waitSignal(task.done, timeout=5000):
        task.dialog.canceled.emit()  # what the Cancel button does
    assert done == []
    assert failed == []


def test_a_cancelled_csv_import_imports_nothing(tmp_path: Path, with_profile: AppServices) -> None:
    path = tmp_path / "a.csv"
    path.write_text("type,title,start\ntraining,One,2026-01-01\n", encoding="utf-8")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        with_profile.csv_import.import_file(path, progress=progress)
    assert with_profile.activities.list_all() == []
