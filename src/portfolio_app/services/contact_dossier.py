"""Everything the data holds about one contact: their record and roles, the activities and
lessons they are linked to, and the user's text that names them. One reading, used by the
erasure preview and by "export everything about this contact", so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio_app.domain.records import Contact
from portfolio_app.services.base import get_row
from portfolio_app.services.name_mentions import Mention, find_mentions
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import contact_record

__all__ = ["ContactDossier", "HeldRole", "LinkedActivity", "LinkedLesson", "dossier_in"]


@dataclass(frozen=True)
class HeldRole:
    """One of the contact's dated roles, with its organisation's name."""

    organisation_id: int
    organisation: str
    job_title: str
    start: date | None
    end: date | None

    def describe(self) -> str:
        job = f"{self.job_title} at " if self.job_title else ""
        dates = _span(self.start, self.end)
        return f"{job}{self.organisation}{f' ({dates})' if dates else ''}"


@dataclass(frozen=True)
class LinkedActivity:
    id: int
    type: str
    title: str
    start: date
    end: date | None

    def describe(self) -> str:
        # An activity without an end date took one day.
        days = _span(self.start, self.end or self.start)
        return f"activity {self.id} “{self.title}” ({days})"


@dataclass(frozen=True)
class LinkedLesson:
    """A lesson of one of the contact's activities."""

    id: int
    title: str
    recorded_on: date | None
    activity_id: int


@dataclass(frozen=True)
class ContactDossier:
    contact: Contact
    roles: tuple[HeldRole, ...]
    activities: tuple[LinkedActivity, ...]
    lessons: tuple[LinkedLesson, ...]
    mentions: tuple[Mention, ...]


def _span(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    first = start.isoformat() if start else "…"
    if end is None:
        return f"from {first}" if start else ""
    return first if start == end else f"{first} to {end.isoformat()}"


def dossier_in(session: Session, contact_id: int) -> ContactDossier:
    """What the data holds about the contact `contact_id` (NotFound if there is none)."""
    row = get_row(session, t.ContactRow, contact_id, "contact")
    contact = contact_record(row)
    names = {
        organisation_id: name
        for organisation_id, name in session.execute(
            select(t.OrganisationRow.id, t.OrganisationRow.name)
        )
    }
    roles = tuple(
        HeldRole(r.organisation_id, names.get(r.organisation_id, ""), r.job_title, r.start, r.end)
        for r in contact.roles
    )
    activity_rows = session.scalars(
        select(t.ActivityRow)
        .join(t.ActivityContactRow, t.ActivityContactRow.activity_id == t.ActivityRow.id)
        .where(t.ActivityContactRow.contact_id == contact_id)
        .order_by(t.ActivityRow.start_date, t.ActivityRow.id)
    ).all()
    activities = tuple(
        LinkedActivity(a.id, a.type, a.title, a.start_date, a.end_date) for a in activity_rows
    )
    lesson_rows = session.scalars(
        select(t.LessonRow)
        .where(t.LessonRow.activity_id.in_([a.id for a in activities]))
        .order_by(t.LessonRow.recorded_on, t.LessonRow.id)
    ).all()
    lessons = tuple(
        LinkedLesson(lesson.id, lesson.title, lesson.recorded_on, lesson.activity_id or 0)
        for lesson in lesson_rows
    )
    return ContactDossier(
        contact, roles, activities, lessons, tuple(find_mentions(session, contact.name))
    )
