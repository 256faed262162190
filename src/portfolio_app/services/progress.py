"""Progress reporting and cancellation for long service calls (no Qt: the UI adapts it)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user cancelled; the operation has left everything as it was."""


class Progress:
    def __init__(
        self,
        cancel_event: threading.Event | None = None,
        on_report: Callable[[int, int], None] | None = None,
    ) -> None:
        self._cancel = cancel_event or threading.Event()
        self._on_report = on_report

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def report(self, done: int, total: int) -> None:
        if self._on_report is not None:
            self._on_report(done, total)
        self.check()
