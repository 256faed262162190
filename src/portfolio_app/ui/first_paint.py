"""Run something once a window has painted its first frame (not merely been shown: a shown
window paints on a later turn of the event loop)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from portfolio_app.ui.main_window import MainWindow


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


def _painted_then(widget: QWidget, then: Callable[[], object]) -> None:
    """`then` once `widget` has painted again (at once if it is not on screen)."""
    if not widget.isVisible():
        QTimer.singleShot(0, then)
        return
    on_first_paint(widget, then)  # the watch is the widget's child: it lives with it
    widget.update()


def after_score_painted(window: MainWindow, then: Callable[[], object]) -> None:
    """Call `then` once the window's Breadth page has shown its score (or the message saying
    why there is none) AND painted it: `--exit-after-start` ends here, so that start-up timed
    from outside includes loading the data. A Breadth page not on screen is not waited for."""
    page = window.breadth_page

    def paint_outcome() -> None:
        _painted_then(page.shown_outcome(), then)

    if not page.isVisible() or not page.score_pending:
        paint_outcome()
        return

    def shown() -> None:
        page.score_shown.disconnect(shown)
        paint_outcome()

    page.score_shown.connect(shown)


def after_start_painted(window: MainWindow, then: Callable[[], object]) -> None:
    """Call `then` once the window's first frame WITH its data is out: the score painted
    (`after_score_painted`) and the lists filled by the start-up scan (`lists_shown`) and
    painted (the page on screen, or the status bar's counts when the Breadth page is).
    `--exit-after-start` ends here: the issue's definition of a start."""

    def paint_lists() -> None:
        current = window.pages.currentWidget()
        _painted_then(current if current in window.all_pages() else window.count_label, then)

    def lists_then_paint() -> None:
        if not window.lists_pending:
            paint_lists()
            return

        def shown() -> None:
            window.lists_shown.disconnect(shown)
            paint_lists()

        window.lists_shown.connect(shown)

    after_score_painted(window, lists_then_paint)
