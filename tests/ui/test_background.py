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
    results: list[object] = []

    def work(progress: Progress) -> int:
        progress.report(1, 2)
        return threading.get_ident()

    task = run_in_background(parent, "Working", work, results.append, results.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results and results[0] != threading.get_ident()


def test_cancel_stops_the_work_without_calling_back(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    outcomes: list[object] = []

    def work(progress: Progress) -> str:
        started.set()
        while True:  # until cancelled: report() raises Cancelled once Cancel is pressed
            progress.report(0, 10)
            threading.Event().wait(0.01)

    task = run_in_background(parent, "Working", work, outcomes.append, outcomes.append)
    qtbot.waitUntil(started.is_set, timeout=5000)
    with qtbot.waitSignal(task.done, timeout=5000):
        task.dialog.canceled.emit()  # what the Cancel button does
    assert outcomes == []


def test_a_cancelled_csv_import_imports_nothing(tmp_path: Path, with_profile: AppServices) -> None:
    path = tmp_path / "a.csv"
    path.write_text("type,title,start\ntraining,One,2026-01-01\n", encoding="utf-8")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        with_profile.csv_import.import_file(path, progress=progress)
    assert with_profile.activities.list_all() == []
