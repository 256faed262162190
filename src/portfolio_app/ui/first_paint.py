"""Run something once a window has painted its first frame (not merely been shown: a shown
window paints on a later turn of the event loop)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Watches `widget` for its first paint event; then, on the next turn of the event loop
    (after the frame is out), calls `then` once and stops watching."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and watched is self._widget and event.type() == QEvent.Type.Paint:
            self.painted = True
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def on_first_paint(widget: QWidget, then: Callable[[], object]) -> FirstPaint:
    return FirstPaint(widget, then)
