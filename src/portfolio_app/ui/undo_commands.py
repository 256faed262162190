"""Undoable add / edit / delete of any kind of record, done through the kind's store.

One set of commands serves every kind in services.record_kinds. Each command remembers what it
needs to reverse itself: for an add, the saved record (and once undone, the delete snapshot, so
redo restores the same rows); for an edit, the old and new records; for a delete, the snapshot.
Snapshots live only in these objects, in memory, for the session's undo stack: an erased
contact is never copied to disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.record_kinds import RecordStore
from portfolio_app.storage.database import StorageError

log = logging.getLogger(__name__)

REFUSALS = (InvalidInput, ServiceError, StorageError)


class RecordCommand(QUndoCommand):
    """Base: runs a store call and tells the window what changed (and what to select)."""

    def __init__(
        self,
        text: str,
        store: RecordStore,
        changed: Callable[[int | None], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__(text)
        self.store = store
        self._changed = changed
        self._on_error = on_error

    def _run(self, action: Callable[[], int | None]) -> None:
        try:
            record_id = action()
        except Exception as exc:  # shown to the user; the data stays as it was
            # Neither the step's text nor a refusal's message is logged: both name the record
            # ("Add contact “Siân Jones”"), and the log never holds entries or names.
            step = type(self).__name__
            if isinstance(exc, REFUSALS):  # the user's to fix (a name taken...), not a bug
                log.info("%s refused: %s", step, type(exc).__name__)
            else:
                log.exception("%s failed", step)
            self.setObsolete(True)
            self._on_error(exc)
            record_id = None
        self._changed(record_id)


class AddCommand(RecordCommand):
    def __init__(self, text: str, store: RecordStore, record: Any, **kwargs: Any) -> None:
        super().__init__(text, store, **kwargs)
        self.record = record
        self.saved: Any = None
        self.snapshot: Any = None  # set while undone

    def redo(self) -> None:
        def action() -> int | None:
            if self.snapshot is None:
                self.saved = self.store.create(self.record)
            else:  # the same rows (ids, links) come back
                self.saved, self.snapshot = self.store.restore(self.snapshot), None
            return _id(self.saved)

        self._run(action)

    def undo(self) -> None:
        saved = self.saved
        if saved is not None:

            def action() -> None:
                self.snapshot = self.store.delete(_required_id(saved))

            self._run(action)


class EditCommand(RecordCommand):
    def __init__(self, text: str, store: RecordStore, old: Any, new: Any, **kwargs: Any) -> None:
        super().__init__(text, store, **kwargs)
        self.old, self.new = old, new

    def redo(self) -> None:
        self._run(lambda: _id(self.store.update(self.new)))

    def undo(self) -> None:
        self._run(lambda: _id(self.store.update(self.old)))


class DeleteCommand(RecordCommand):
    def __init__(self, text: str, store: RecordStore, record_id: int, **kwargs: Any) -> None:
        super().__init__(text, store, **kwargs)
        self.record_id = record_id
        self.snapshot: Any = None

    def redo(self) -> None:
        def action() -> int | None:
            self.snapshot = self.store.delete(self.record_id)
            return None

        self._run(action)

    def undo(self) -> None:
        if self.snapshot is not None:
            snapshot, self.snapshot = self.snapshot, None
            self._run(lambda: _id(self.store.restore(snapshot)))


def _id(record: Any) -> int | None:
    value = getattr(record, "id", None)
    return value if isinstance(value, int) else None


def _required_id(record: Any) -> int:
    value = _id(record)
    if value is None:
        raise ValueError("the record has no id")
    return value
