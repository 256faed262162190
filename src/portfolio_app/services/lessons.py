"""Lessons learned, each section private unless the author shares it."""

from __future__ import annotations

from sqlalchemy import select

from portfolio_app.domain.records import Lesson
from portfolio_app.domain.validation import FieldError, lesson_errors, require_valid
from portfolio_app.services.base import ServiceBase, get_row
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import fill_lesson, lesson_record


class LessonService(ServiceBase):
    def errors(self, lesson: Lesson) -> list[FieldError]:
        errors = lesson_errors(lesson)
        if lesson.activity_id is not None:
            with self.db.transaction() as session:
                if session.get(t.ActivityRow, lesson.activity_id) is None:
                    errors.append(FieldError("activity", "the activity no longer exists"))
        return errors

    def create(self, lesson: Lesson) -> Lesson:
        require_valid(self.errors(lesson))
        with self.db.transaction() as session:
            row = t.LessonRow(id=lesson.id)
            fill_lesson(row, lesson)
            session.add(row)
            session.flush()
            return lesson_record(row)

    def update(self, lesson: Lesson) -> Lesson:
        if lesson.id is None:
            raise ServiceError("cannot update a lesson that has not been saved")
        require_valid(self.errors(lesson))
        with self.db.transaction() as session:
            row = get_row(session, t.LessonRow, lesson.id, "lesson")
            fill_lesson(row, lesson)
            return lesson_record(row)

    def get(self, lesson_id: int) -> Lesson:
        with self.db.transaction() as session:
            return lesson_record(get_row(session, t.LessonRow, lesson_id, "lesson"))

    def list_all(self, activity_id: int | None = None) -> list[Lesson]:
        query = select(t.LessonRow).order_by(t.LessonRow.recorded_on.desc(), t.LessonRow.id)
        if activity_id is not None:
            query = query.where(t.LessonRow.activity_id == activity_id)
        with self.db.transaction() as session:
            return [lesson_record(r) for r in session.scalars(query)]

    def delete(self, lesson_id: int) -> Lesson:
        """Delete a lesson; the returned record can be passed to `restore` to undo."""
        with self.db.transaction() as session:
            row = get_row(session, t.LessonRow, lesson_id, "lesson")
            lesson = lesson_record(row)
            session.delete(row)
            return lesson

    def restore(self, lesson: Lesson) -> Lesson:
        with self.db.transaction() as session:
            row = t.LessonRow(id=lesson.id)
            fill_lesson(row, lesson)
            if (
                lesson.activity_id is not None
                and session.get(t.ActivityRow, lesson.activity_id) is None
            ):
                row.activity_id = None
            session.add(row)
            session.flush()
            return lesson_record(row)
