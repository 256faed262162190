"""Activities: the entries of the learning log."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.damaged import Listing
from portfolio_app.domain.records import Activity, ActivityRow, Organisation
from portfolio_app.domain.validation import FieldError, activity_errors
from portfolio_app.services.base import RecordService
from portfolio_app.services.evidence import (
    StoredEvidence,
    restore_evidence_in,
    snapshot_evidence_in,
)
from portfolio_app.storage import fast_records
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import (
    activity_record,
    fill_activity,
    organisation_record,
    readable_records,
)


@dataclass(frozen=True)
class DeletedActivity:
    activity: Activity
    lesson_ids: tuple[int, ...]  # lessons that were linked, relinked on undo
    evidence: tuple[StoredEvidence, ...] = ()  # its files (deleted with it), back on undo
    uid: str = ""  # its stable id, which it keeps when it comes back


def _existing(session: Session, table: type[t.Base], ids: tuple[int, ...]) -> set[int]:
    key = table.__table__.c.id
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # SQLite limits the parameters of one statement
        found.update(session.scalars(select(key).where(key.in_(ids[start : start + 500]))))
    return found


class ActivityService(RecordService[Activity, t.ActivityRow, DeletedActivity]):
    table = t.ActivityRow
    what = "activity"

    def record_of(self, row: t.ActivityRow) -> Activity:
        return activity_record(row)

    def fill(self, row: t.ActivityRow, record: Activity) -> None:
        fill_activity(row, record)

    def errors_in(self, session: Session, activity: Activity) -> list[FieldError]:
        return next(self.errors_in_many(session, [activity]))

    def errors_in_many(
        self, session: Session, activities: Sequence[Activity]
    ) -> Iterator[list[FieldError]]:
        """The linked organisations and contacts looked up once for the whole batch."""
        organisations = _existing(
            session, t.OrganisationRow, tuple({i for a in activities for i in a.organisation_ids})
        )
        contacts = _existing(
            session, t.ContactRow, tuple({i for a in activities for i in a.contact_ids})
        )
        for activity in activities:
            errors = activity_errors(activity)
            unknown = self.taxonomy.unknown(activity.extra_sector_ids)
            if unknown:
                errors.append(FieldError("extra sectors", f"unknown sector {unknown[0]!r}"))
            if set(activity.organisation_ids) - organisations:
                errors.append(FieldError("organisations", "an organisation no longer exists"))
            if set(activity.contact_ids) - contacts:
                errors.append(FieldError("contacts", "a contact no longer exists"))
            yield errors

    def touched(self, session: Session, row: t.ActivityRow) -> None:
        row.updated_at = func.current_timestamp()
        session.flush()
        session.refresh(row)

    def read_all_fast(
        self, session: Session, leave_out: set[int], failed: list[tuple[int, Exception]]
    ) -> list[Activity] | None:
        return fast_records.activities(session, leave_out, failed)

    def list_query(self) -> Select[t.ActivityRow]:
        return select(t.ActivityRow).order_by(t.ActivityRow.start_date.desc(), t.ActivityRow.id)

    def count(self) -> int:
        with self.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(t.ActivityRow)) or 0

    def rows(self) -> list[ActivityRow]:
        """Every activity with its organisations' names, sectors and contacts, for list views."""
        return self.row_listing().records

    def row_listing(self) -> Listing[ActivityRow]:
        """`rows`, and the damaged activities left out of them (damaged organisations and
        contacts are left out of the names)."""
        with self.db.transaction() as session:
            readable, _ = readable_records(
                session,
                "organisation",
                select(t.OrganisationRow),
                organisation_record,
            )
            organisations: dict[int | None, Organisation] = {o.id: o for o in readable}
            damaged_contacts = [d.id for d in self.damaged_in(session, "contact")]
            contacts = {
                cid: name
                for cid, name in session.execute(
                    select(t.ContactRow.id, t.ContactRow.name).where(
                        t.ContactRow.id.not_in(damaged_contacts)
                    )
                )
            }
            lessons = {
                aid: count
                for aid, count in session.execute(
                    select(t.LessonRow.activity_id, func.count())
                    .where(t.LessonRow.activity_id.is_not(None))
                    .group_by(t.LessonRow.activity_id)
                )
            }
            listing = self.listing_in(session)
        out: list[ActivityRow] = []
        for activity in listing.records:
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
        return Listing(out, listing.damaged)

    def lesson_count(self, activity_id: int) -> int:
        with self.db.transaction() as session:
            count = session.scalar(
                select(func.count()).where(t.LessonRow.activity_id == activity_id)
            )
            return count or 0

    def snapshot_in(self, session: Session, row: t.ActivityRow) -> DeletedActivity:
        """Its lessons stay, as standalone lessons; undo relinks them. Its evidence files go
        with it; undo puts them back."""
        lesson_ids = tuple(
            session.scalars(select(t.LessonRow.id).where(t.LessonRow.activity_id == row.id))
        )
        evidence = snapshot_evidence_in(session, activity_id=row.id)
        return DeletedActivity(activity_record(row), lesson_ids, evidence, row.uid)

    def restore_in(self, session: Session, deleted: DeletedActivity) -> Activity:
        activity = deleted.activity
        organisations = _existing(session, t.OrganisationRow, activity.organisation_ids)
        contacts = _existing(session, t.ContactRow, activity.contact_ids)
        activity = replace(
            activity,
            organisation_ids=tuple(i for i in activity.organisation_ids if i in organisations),
            contact_ids=tuple(i for i in activity.contact_ids if i in contacts),
        )
        restored = self.create_in(session, activity, deleted.uid)
        for lesson_id in deleted.lesson_ids:
            lesson = session.get(t.LessonRow, lesson_id)
            if lesson is not None and lesson.activity_id is None:
                lesson.activity_id = restored.id
        restore_evidence_in(session, deleted.evidence)
        return restored
