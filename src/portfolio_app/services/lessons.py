"""Lessons learned, each section private unless the author shares it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portfolio_app.domain.records import Lesson
from portfolio_app.domain.validation import FieldError, lesson_errors
from portfolio_app.services.base import RecordService
from portfolio_app.services.evidence import (
    StoredEvidence,
    restore_evidence_in,
    snapshot_evidence_in,
)
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import fill_lesson, lesson_record


@dataclass(frozen=True)
class DeletedLesson:
    lesson: Lesson
    evidence: tuple[StoredEvidence, ...] = ()  # its files (deleted with it), back on undo
    uid: str = ""  # its stable id, which it keeps when it comes back


class LessonService(RecordService[Lesson, t.LessonRow, DeletedLesson]):
    table = t.LessonRow
    what = "lesson"

    def record_of(self, row: t.LessonRow) -> Lesson:
        return lesson_record(row)

    def fill(self, row: t.LessonRow, record: Lesson) -> None:
        fill_lesson(row, record)

    def errors_in(self, session: Session, lesson: Lesson) -> list[FieldError]:
        return next(self.errors_in_many(session, [lesson]))

    def errors_in_many(
        self, session: Session, lessons: Sequence[Lesson]
    ) -> Iterator[list[FieldError]]:
        """The activities looked up once for the whole batch (ids only, not their rows)."""
        wanted = list({lesson.activity_id for lesson in lessons if lesson.activity_id is not None})
        found: set[int] = set()
        for start in range(0, len(wanted), 500):  # SQLite limits a statement's parameters
            chunk = wanted[start : start + 500]
            found.update(
                session.scalars(select(t.ActivityRow.id).where(t.ActivityRow.id.in_(chunk)))
            )
        for lesson in lessons:
            errors = lesson_errors(lesson)
            if lesson.activity_id is not None and lesson.activity_id not in found:
                errors.append(FieldError("activity", "the activity no longer exists"))
            yield errors

    def list_query(self) -> Select[t.LessonRow]:
        return select(t.LessonRow).order_by(t.LessonRow.recorded_on.desc(), t.LessonRow.id)

    def list_all(self, activity_id: int | None = None) -> list[Lesson]:
        """Every readable lesson (of one activity, if given); damaged ones are in `listing`."""
        query = self.list_query()
        if activity_id is not None:
            query = query.where(t.LessonRow.activity_id == activity_id)
        with self.db.transaction() as session:
            return self.readable_in(session, query).records

    def snapshot_in(self, session: Session, row: t.LessonRow) -> DeletedLesson:
        evidence = snapshot_evidence_in(session, lesson_id=row.id)
        return DeletedLesson(lesson_record(row), evidence, row.uid)

    def restore_in(self, session: Session, deleted: DeletedLesson) -> Lesson:
        lesson = deleted.lesson
        # Its activity may have been deleted since: the lesson comes back standalone.
        if (
            lesson.activity_id is not None
            and session.get(t.ActivityRow, lesson.activity_id) is None
        ):
            lesson = replace(lesson, activity_id=None)
        restored = self.create_in(session, lesson, deleted.uid)
        restore_evidence_in(session, deleted.evidence)
        return restored
