"""Conversions between ORM rows and the domain's immutable records."""

from __future__ import annotations

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
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
    row.name = contact.name.strip()
    row.notes = contact.notes
    row.roles = [
        t.ContactRoleRow(
            organisation_id=r.organisation_id,
            job_title=r.job_title.strip(),
            start_date=r.start,
            end_date=r.end,
            position=i,
        )
        for i, r in enumerate(contact.roles)
    ]


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
