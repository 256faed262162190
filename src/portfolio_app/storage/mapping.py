"""Conversions between ORM rows and the domain's immutable records.

Lists read through `readable_records`: an entry whose stored values cannot become a record is
left out and returned as a DamagedRecord beside the good ones, never raised out of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import Select, Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.names import name_key
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import KINDS, damaged_rows
from portfolio_app.storage.row_prefilter import KnownSector

RowT = TypeVar("RowT", bound=t.Base)
RecordT = TypeVar("RecordT")

# What turning a row into a record raises on a value the checks did not foresee.
_CONVERSION_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


def readable_records(
    session: Session,
    kind: str,
    query: Select[RowT],
    convert: Callable[[RowT], RecordT],
    *,
    known_sector: KnownSector | None = None,
) -> tuple[list[RecordT], list[DamagedRecord]]:
    """The records `query` selects (rows of `kind`), and the damaged entries left out of
    them: every problem `row_checks` finds, then any row that still fails to convert."""
    damaged = damaged_rows(session, kind, known_sector=known_sector)
    id_column = KINDS[kind].c.id
    bad = {d.id for d in damaged}
    if bad:
        query = query.where(id_column.not_in(bad))
    try:
        rows: list[Any] = list(session.scalars(query).all())
    except (*_CONVERSION_ERRORS, OperationalError) as exc:
        if isinstance(exc, OperationalError) and "decode" not in str(exc.orig):
            raise  # locked, I/O error...: not one row's problem
        rows = _one_by_one(session, kind, query, damaged)
    records: list[RecordT] = []
    for row in rows:
        try:
            records.append(convert(row))
        except _CONVERSION_ERRORS as exc:
            damaged.append(DamagedRecord(kind, row.id, "", f"cannot be read ({_why(exc)})"))
    return records, damaged


def _why(exc: Exception) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split()) or type(exc).__name__


def _one_by_one(
    session: Session, kind: str, query: Select[Any], damaged: list[DamagedRecord]
) -> list[Any]:
    """The rows of `query` read one at a time, after reading them together failed on a value
    the checks missed: the unreadable ones join `damaged`."""
    session.expunge_all()
    id_column = KINDS[kind].c.id
    ids = list(session.scalars(query.with_only_columns(id_column)))
    rows: list[Any] = []
    for row_id in ids:
        try:
            rows.extend(session.scalars(query.where(id_column == row_id)).all())
        except (*_CONVERSION_ERRORS, OperationalError) as exc:
            if isinstance(exc, OperationalError) and "decode" not in str(exc.orig):
                raise
            session.expunge_all()
            damaged.append(DamagedRecord(kind, row_id, "", f"cannot be read ({_why(exc)})"))
    return rows


def organisation_record(row: t.OrganisationRow) -> Organisation:
    return Organisation(
        name=row.name, sector_id=row.sector_id, aliases=tuple(row.aliases), id=row.id
    )


def contact_record(row: t.ContactRow) -> Contact:
    roles = tuple(
        ContactRole(r.organisation_id, r.job_title, r.start_date, r.end_date) for r in row.roles
    )
    return Contact(name=row.name, notes=row.notes, roles=roles, id=row.id)


def fill_contact(row: t.ContactRow, contact: Contact) -> None:
    """Write `contact` into `row`, updating its role rows in place: a role that is still there
    (unchanged, edited at the same organisation, or edited at the same place in the list) keeps
    its row and so its uid; a removed one is deleted; a new one gets a row (and a new uid)."""
    row.name = contact.name.strip()
    row.notes = contact.notes
    reused = _reused_role_rows(list(row.roles), contact.roles)
    roles: list[t.ContactRoleRow] = []
    for i, (role, kept) in enumerate(zip(contact.roles, reused, strict=True)):
        role_row = kept if kept is not None else t.ContactRoleRow()
        role_row.organisation_id = role.organisation_id
        role_row.job_title = role.job_title.strip()
        role_row.start_date = role.start
        role_row.end_date = role.end
        role_row.position = i
        roles.append(role_row)
    # The rows left out are deleted by the ORM (delete-orphan).
    row.roles = roles


def _reused_role_rows(
    rows: list[t.ContactRoleRow], roles: Sequence[ContactRole]
) -> list[t.ContactRoleRow | None]:
    """For each role, the stored row it continues (or None for a new role): first a row with
    the very same values, then one at the same organisation, then the one at its position."""
    free = list(rows)
    found: list[t.ContactRoleRow | None] = [None] * len(roles)

    def match(same: Callable[[t.ContactRoleRow, int, ContactRole], bool]) -> None:
        for i, role in enumerate(roles):
            if found[i] is None:
                hit = next((r for r in free if same(r, i, role)), None)
                if hit is not None:
                    found[i] = hit
                    free.remove(hit)

    match(
        lambda r, _i, role: (
            (r.organisation_id, r.job_title, r.start_date, r.end_date)
            == (role.organisation_id, role.job_title.strip(), role.start, role.end)
        )
    )
    match(lambda r, _i, role: r.organisation_id == role.organisation_id)
    match(lambda r, i, _role: r.position == i)
    return found


def activity_record(row: t.ActivityRow) -> Activity:
    return Activity(
        type=ActivityType(row.type),
        title=row.title,
        start=row.start_date,
        end=row.end_date,
        hours=row.hours,
        organisation_ids=tuple(link.organisation_id for link in row.organisation_links),
        extra_sector_ids=tuple(link.sector_id for link in row.extra_sectors),
        contact_ids=tuple(link.contact_id for link in row.contact_links),
        description=row.description,
        visibility=Visibility(row.visibility),
        status=Status(row.status),
        id=row.id,
    )


def fill_activity(row: t.ActivityRow, activity: Activity) -> None:
    row.type = activity.type.value
    row.title = activity.title.strip()
    row.start_date = activity.start
    row.end_date = activity.end
    row.hours = activity.hours
    row.description = activity.description
    row.visibility = activity.visibility.value
    row.status = activity.status.value
    # Assigning fresh link rows lets the ORM delete the old ones (delete-orphan).
    row.organisation_links = [
        t.ActivityOrganisationRow(organisation_id=oid, position=i)
        for i, oid in enumerate(dict.fromkeys(activity.organisation_ids))
    ]
    row.extra_sectors = [
        t.ActivitySectorRow(sector_id=sid, position=i)
        for i, sid in enumerate(dict.fromkeys(activity.extra_sector_ids))
    ]
    row.contact_links = [
        t.ActivityContactRow(contact_id=cid, position=i)
        for i, cid in enumerate(dict.fromkeys(activity.contact_ids))
    ]


def lesson_record(row: t.LessonRow) -> Lesson:
    sections = {
        s: LessonField(getattr(row, s.value), bool(getattr(row, f"{s.value}_shared")))
        for s in LessonSection
    }
    return Lesson(
        title=row.title,
        activity_id=row.activity_id,
        recorded_on=row.recorded_on,
        sections=sections,
        id=row.id,
    )


def fill_lesson(row: t.LessonRow, lesson: Lesson) -> None:
    row.title = lesson.title.strip()
    row.activity_id = lesson.activity_id
    row.recorded_on = lesson.recorded_on
    for section in LessonSection:
        value = lesson.section(section)
        setattr(row, section.value, value.text)
        setattr(row, f"{section.value}_shared", value.shared)


def goal_record(row: t.GoalRow) -> Goal:
    return Goal(
        title=row.title,
        sector_ids=tuple(row.sector_ids),
        target_date=row.target_date,
        notes=row.notes,
        review_id=row.review_id,
        achieved=row.achieved,
        visibility=Visibility(row.visibility),
        id=row.id,
    )


def fill_goal(row: t.GoalRow, goal: Goal) -> None:
    row.title = goal.title.strip()
    row.sector_ids = list(dict.fromkeys(goal.sector_ids))
    row.target_date = goal.target_date
    row.notes = goal.notes
    row.review_id = goal.review_id
    row.achieved = goal.achieved
    row.visibility = goal.visibility.value


def review_record(row: t.ReviewRow) -> Review:
    return Review(
        held_on=row.held_on,
        reviewer_name=row.reviewer_name,
        reviewer_role=row.reviewer_role,
        comments=row.comments,
        id=row.id,
    )


def fill_review(row: t.ReviewRow, review: Review) -> None:
    row.held_on = review.held_on
    row.reviewer_name = review.reviewer_name.strip()
    row.reviewer_role = review.reviewer_role.strip()
    row.comments = review.comments


# New entries as plain column values, for a bulk INSERT without ORM objects (services/base.py
# add_many_in). Each writes exactly what the kind's fill_* (and the row's name_key) would, and
# gives back the record as record_of would read it back: tests/test_bulk_add.py compares both.


@dataclass
class NewRows:
    """One new entry: its row's values, its link rows (table, values; a link table with an id
    column gets its ids from the caller), and the record as saved."""

    row: dict[str, Any]
    record: Any
    links: list[tuple[Table, dict[str, Any]]] = field(default_factory=list)


def _table(row_class: type[t.Base]) -> Table:
    table = row_class.__table__
    assert isinstance(table, Table)
    return table


def organisation_rows(organisation: Organisation, row_id: int, uid: str) -> NewRows:
    row = {
        "id": row_id,
        "uid": uid,
        "name": organisation.name,
        "name_key": name_key(organisation.name),
        "sector_id": organisation.sector_id,
        "aliases": list(organisation.aliases),
    }
    return NewRows(row, replace(organisation, aliases=tuple(organisation.aliases), id=row_id))


def contact_rows(contact: Contact, row_id: int, uid: str) -> NewRows:
    name = contact.name.strip()
    row = {"id": row_id, "uid": uid, "name": name, "name_key": name_key(name)}
    row["notes"] = contact.notes
    roles = tuple(
        ContactRole(r.organisation_id, r.job_title.strip(), r.start, r.end) for r in contact.roles
    )
    table = _table(t.ContactRoleRow)
    links = [
        (
            table,
            {
                "uid": t.new_uid(),
                "contact_id": row_id,
                "organisation_id": role.organisation_id,
                "job_title": role.job_title,
                "start_date": role.start,
                "end_date": role.end,
                "position": i,
            },
        )
        for i, role in enumerate(roles)
    ]
    return NewRows(row, Contact(name=name, notes=contact.notes, roles=roles, id=row_id), links)


def activity_rows(activity: Activity, row_id: int, uid: str) -> NewRows:
    title = activity.title.strip()
    row = {
        "id": row_id,
        "uid": uid,
        "type": activity.type.value,
        "title": title,
        "start_date": activity.start,
        "end_date": activity.end,
        "hours": activity.hours,
        "description": activity.description,
        "visibility": activity.visibility.value,
        "status": activity.status.value,
    }
    organisation_ids = tuple(dict.fromkeys(activity.organisation_ids))
    sector_ids = tuple(dict.fromkeys(activity.extra_sector_ids))
    contact_ids = tuple(dict.fromkeys(activity.contact_ids))
    links: list[tuple[Table, dict[str, Any]]] = []
    for row_class, column, ids in (
        (t.ActivityOrganisationRow, "organisation_id", organisation_ids),
        (t.ActivitySectorRow, "sector_id", sector_ids),
        (t.ActivityContactRow, "contact_id", contact_ids),
    ):
        table = _table(row_class)
        links += [
            (table, {"activity_id": row_id, column: value, "position": i})
            for i, value in enumerate(ids)
        ]
    record = replace(
        activity,
        title=title,
        organisation_ids=organisation_ids,
        extra_sector_ids=sector_ids,
        contact_ids=contact_ids,
        id=row_id,
    )
    return NewRows(row, record, links)


def lesson_rows(lesson: Lesson, row_id: int, uid: str) -> NewRows:
    title = lesson.title.strip()
    row: dict[str, Any] = {"id": row_id, "uid": uid, "title": title}
    row["activity_id"] = lesson.activity_id
    row["recorded_on"] = lesson.recorded_on
    sections: dict[LessonSection, LessonField] = {}
    for section in LessonSection:
        value = lesson.section(section)
        row[section.value] = value.text
        row[f"{section.value}_shared"] = value.shared
        sections[section] = LessonField(value.text, bool(value.shared))
    return NewRows(row, replace(lesson, title=title, sections=sections, id=row_id))


# The kinds written in bulk without ORM objects, by row class (the others go through fill).
NEW_ROWS: dict[type[t.Base], Callable[[Any, int, str], NewRows]] = {
    t.OrganisationRow: organisation_rows,
    t.ContactRow: contact_rows,
    t.ActivityRow: activity_rows,
    t.LessonRow: lesson_rows,
}
