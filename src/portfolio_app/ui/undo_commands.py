"""Undoable add / edit / delete of any record, done through the services.

Each command remembers what it needs to reverse itself: the saved id for an add (so redo
re-creates the same row), the old record for an edit, and the service's delete snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtGui import QUndoCommand

from portfolio_app.domain.records import Goal, Review
from portfolio_app.services.goals import DeletedReview, GoalService, ReviewService

log = logging.getLogger(__name__)

R = TypeVar("R")


class RecordStore(Protocol[R]):
    """The part of a service an undo command needs (all our entity services fit)."""

    def create(self, record: R, /) -> R: ...
    def update(self, record: R, /) -> R: ...
    def delete(self, record_id: int, /) -> Any: ...
    def restore(self, deleted: Any, /) -> R: ...


class RecordCommand(QUndoCommand, Generic[R]):
    """Base: runs a service call and tells the window what changed (and what to select)."""

    def __init__(
        self,
        text: str,
        store: RecordStore[R],
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
            log.exception("undo step %r failed", self.text())
            self.setObsolete(True)
            self._on_error(exc)
            record_id = None
        self._changed(record_id)


class AddCommand(RecordCommand[R]):
    def __init__(self, text: str, store: RecordStore[R], record: R, **kwargs: Any) -> None:
        super().__init__(text, store, **kwargs)
        self.record = record
        self.saved: R | None = None

    def redo(self) -> None:
        def action() -> int | None:
            target = self.saved if self.saved is not None else self.record
            self.saved = self.store.create(target)
            return _id(self.saved)

        self._run(action)

    def undo(self) -> None:
        if self.saved is not None:
            saved = self.saved
            self._run(lambda: (self.store.delete(_required_id(saved)), None)[1])


class EditCommand(RecordCommand[R]):
    def __init__(self, text: str, store: RecordStore[R], old: R, new: R, **kwargs: Any) -> None:
        super().__init__(text, store, **kwargs)
        self.old, self.new = old, new

    def redo(self) -> None:
        self._run(lambda: _id(self.store.update(self.new)))

    def undo(self) -> None:
        self._run(lambda: _id(self.store.update(self.old)))


class DeleteCommand(RecordCommand[R]):
    def __init__(self, text: str, store: RecordStore[R], record_id: int, **kwargs: Any) -> None:
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
            self._run(lambda: _id(self.store.restore(self.snapshot)))


def _id(record: Any) -> int | None:
    value = getattr(record, "id", None)
    return value if isinstance(value, int) else None


def _required_id(record: Any) -> int:
    value = _id(record)
    if value is None:
        raise ValueError("the record has no id")
    return value


class RecordReviewCommand(QUndoCommand):
    """Record an appraisal review with its agreed objectives (as goals), undoably as one step."""

    def __init__(
        self,
        reviews: ReviewService,
        goals: GoalService,
        review: Review,
        objectives: list[Goal],
        changed: Callable[[int | None], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__(f"Record review with {review.reviewer_name}")
        self.reviews, self.goals = reviews, goals
        self.review, self.objectives = review, objectives
        self._changed, self._on_error = changed, on_error
        self._deleted: DeletedReview | None = None
        self._removed_goals: list[Goal] = []

    def redo(self) -> None:
        try:
            if self._deleted is None:
                saved = self.reviews.create(self.review, self.objectives)
                self.review = saved
            else:
                self.reviews.restore(self._deleted)
                for goal in self._removed_goals:
                    self.goals.restore(goal)
        except Exception as exc:  # shown to the user; nothing was saved
            log.exception("recording a review failed")
            self.setObsolete(True)
            self._on_error(exc)
        self._changed(None)

    def undo(self) -> None:
        review_id = self.review.id
        if review_id is None:
            return
        try:
            agreed = self.reviews.agreed_goals(review_id)
            # The review first: once it is gone, redo must restore rather than record it again.
            self._deleted = self.reviews.delete(review_id)
            self._removed_goals = [self.goals.delete(g.id) for g in agreed if g.id is not None]
            # Goals come back linked to the review they were agreed at.
            self._removed_goals = [replace(g, review_id=review_id) for g in self._removed_goals]
        except Exception as exc:
            log.exception("undoing a review failed")
            self._on_error(exc)
        self._changed(None)
