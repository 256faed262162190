"""Activities: the entries of the learning log."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.records import Activity, ActivityRow
from portfolio_app.domain.validation import FieldError, activity_errors, require_valid
from portfolio_app.services.base import ServiceBase, get_row
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import activity_record, fill_activity


@dataclass(frozen=True)
class DeletedActivity:
    activity: Activity
    lesson_ids: tuple[int, ...]  # lessons that were linked, relinked on undo


def _existing(session: Session, table: type[t.Base], ids: tuple[int, ...]) -> set[int]:
    if not ids:
        return set()
    key = table.__table__.c.id
    return set(session.scalars(select(key).where(key.in_(ids))))


class ActivityService(ServiceBase):
    def errors(self, activity: Activity) -> list[FieldError]:
        errors = activity_errors(activity)
        unknown = self.taxonomy.unknown(activity.extra_sector_ids)
        if unknown:
            errors.append(FieldError("extra sectors", f"unknown sector {unknown[0]!r}"))
        with self.db.transaction() as session:
            if set(activity.organisation_ids) - _existing(
                session, t.OrganisationRow, activity.organisation_ids
            ):
                errors.append(FieldError("organisations", "an organisation no longer exists"))
            if set(activity.contact_ids) - _existing(session, t.ContactRow, activity.contact_ids):
                errors.append(FieldError("contacts", "a contact no longer exists"))
        return errors

    def create(self, activity: Activity) -> Activity:
        require_valid(self.errors(activity))
        with self.db.transaction() as session:
            return self.create_in(session, activity)

    def create_in(self, session: Session, activity: Activity) -> Activity:
        row = t.ActivityRow(id=activity.id)
        fill_activity(row, activity)
        session.add(row)
        session.flush()
        return activity_record(row)

    def update(self, activity: Activity) -> Activity:
        if activity.id is None:
            raise ServiceError("cannot update an activity that has not been saved")
        require_valid(self.errors(activity))
        with self.db.transaction() as session:
            row = get_row(session, t.ActivityRow, activity.id, "activity")
            fill_activity(row, activity)
            row.updated_at = func.current_timestamp()
            session.flush()
            session.refresh(row)
            return activity_record(row)

    def get(self, activity_id: int) -> Activity:
        with self.db.transaction() as session:
            return activity_record(get_row(session, t.ActivityRow, activity_id, "activity"))

    def list_all(self) -> list[Activity]:
        with self.db.transaction() as session:
            rows = session.scalars(
                select(t.ActivityRow).order_by(t.ActivityRow.start_date.desc(), t.ActivityRow.id)
            )
            return [activity_record(r) for r in rows]

    def count(self) -> int:
        with self.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(t.ActivityRow)) or 0

    def rows(self) -> list[ActivityRow]:
        """Every activity with its organisations' names, sectors and contacts, for list views."""
        with self.db.transaction() as session:
            organisations = {o.id: o for o in session.scalars(select(t.OrganisationRow))}
            contacts = {
                cid: name
                for cid, name in session.execute(select(t.ContactRow.id, t.ContactRow.name))
            }
            lessons = {
                aid: count
                for aid, count in session.execute(
                    select(t.LessonRow.activity_id, func.count())
                    .where(t.LessonRow.activity_id.is_not(None))
                    .group_by(t.LessonRow.activity_id)
                )
            }
            activities = [
                activity_record(r)
                for r in session.scalars(
                    select(t.ActivityRow).order_by(
                        t.ActivityRow.start_date.desc(), t.ActivityRow.id
                    )
                )
            ]
        out: list[ActivityRow] = []
        for activity in activities:
            orgs = [organisations[i] for i in activity.organisation_ids if i in organisations]
            sectors = dict.fromkeys([o.sector_id for o in orgs] + list(activity.extra_sector_ids))
            out.append(
                ActivityRow(
                    activity,
                    tuple(o.name for o in orgs),
                    tuple(sectors),
                    tuple(contacts[c] for c in activity.contact_ids if c in contacts),
                    lessons.get(activity.id, 0),
                )
            )
        return out

    def lesson_count(self, activity_id: int) -> int:
        with self.db.transaction() as session:
            count = session.scalar(
                select(func.count()).where(t.LessonRow.activity_id == activity_id)
            )
            return count or 0

    def delete(self, activity_id: int) -> DeletedActivity:
        """Delete an activity; its lessons stay, as standalone lessons."""
        with self.db.transaction() as session:
            row = get_row(session, t.ActivityRow, activity_id, "activity")
            lesson_ids = tuple(
                session.scalars(
                    select(t.LessonRow.id).where(t.LessonRow.activity_id == activity_id)
                )
            )
            deleted = DeletedActivity(activity_record(row), lesson_ids)
            session.delete(row)
            session.flush()
            return deleted

    def restore(self, deleted: DeletedActivity) -> Activity:
        with self.db.transaction() as session:
            activity = deleted.activity
            activity = replace(
                activity,
                organisation_ids=tuple(
                    i
                    for i in activity.organisation_ids
                    if i in _existing(session, t.OrganisationRow, activity.organisation_ids)
                ),
                contact_ids=tuple(
                    i
                    for i in activity.contact_ids
                    if i in _existing(session, t.ContactRow, activity.contact_ids)
                ),
            )
            restored = self.create_in(session, activity)
            for lesson_id in deleted.lesson_ids:
                lesson = session.get(t.LessonRow, lesson_id)
                if lesson is not None and lesson.activity_id is None:
                    lesson.activity_id = restored.id
            return restored
