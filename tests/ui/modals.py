"""Answering the modal dialogs code under test opens with exec(), one step per dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def answer_modals(*steps: Callable[[QDialog], None]) -> list[QDialog]:
    """Answer each modal dialog as it opens, in order (polled from the event loop the dialog
    runs); returns the dialogs answered. A failing step closes its dialog and re-raises."""
    seen: list[QDialog] = []
    remaining = list(steps)
    failed: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        fresh = isinstance(dialog, QDialog) and all(dialog is not d for d in seen)
        if isinstance(dialog, QDialog) and failed and dialog.isVisible():
            dialog.done(0)  # after a failed step: close whatever opens, never hang
        elif isinstance(dialog, QDialog) and fresh and dialog.isVisible() and remaining:
            seen.append(dialog)
            step = remaining.pop(0)
            try:
                step(dialog)
            except BaseException:
                failed.append(True)
                dialog.done(0)
                raise
            finally:
                QTimer.singleShot(20, poll)
            return
        if remaining or failed:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen
