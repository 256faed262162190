"""Contacts with dated roles, so a person's job history is kept when they move."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.records import Contact
from portfolio_app.domain.validation import FieldError, contact_errors, require_valid
from portfolio_app.services.base import RecordService
from portfolio_app.services.organisations import name_taken
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import contact_record, fill_contact


@dataclass(frozen=True)
class DeletedContact:
    """Held only in memory (the undo stack): an erased contact leaves no copy on disk."""

    contact: Contact
    activity_links: tuple[tuple[int, int], ...]  # (activity_id, position)


class ContactService(RecordService[Contact, t.ContactRow, DeletedContact]):
    table = t.ContactRow
    what = "contact"

    def record_of(self, row: t.ContactRow) -> Contact:
        return contact_record(row)

    def fill(self, row: t.ContactRow, record: Contact) -> None:
        fill_contact(row, record)

    def errors_in(self, session: Session, contact: Contact) -> list[FieldError]:
        errors = contact_errors(contact)
        for index, role in enumerate(contact.roles, start=1):
            if session.get(t.OrganisationRow, role.organisation_id) is None:
                errors.append(FieldError(f"role {index}", "the organisation no longer exists"))
        return errors + self.restore_errors(session, contact)

    def restore_errors(self, session: Session, contact: Contact) -> list[FieldError]:
        taken = name_taken(session, t.ContactRow, contact.name, contact.id)
        if contact.name.strip() and taken is not None:
            return [
                FieldError(
                    "name",
                    f"you already have a contact called “{taken}”: add something that tells "
                    "them apart, such as their organisation",
                )
            ]
        return []

    def list_query(self) -> Select[t.ContactRow]:
        return select(t.ContactRow).order_by(t.ContactRow.name)

    def activity_count(self, contact_id: int) -> int:
        with self.db.transaction() as session:
            count = session.scalar(
                select(func.count()).where(t.ActivityContactRow.contact_id == contact_id)
            )
            return count or 0

    def snapshot_in(self, session: Session, row: t.ContactRow) -> DeletedContact:
        links = session.scalars(
            select(t.ActivityContactRow).where(t.ActivityContactRow.contact_id == row.id)
        ).all()
        deleted = DeletedContact(
            contact_record(row), tuple((link.activity_id, link.position) for link in links)
        )
        for link in links:
            session.delete(link)
        return deleted

    def restore_in(self, session: Session, deleted: DeletedContact) -> Contact:
        require_valid(self.restore_errors(session, deleted.contact))
        # Roles at organisations deleted since cannot come back (their foreign key would fail).
        contact = replace(
            deleted.contact,
            roles=tuple(
                r
                for r in deleted.contact.roles
                if session.get(t.OrganisationRow, r.organisation_id) is not None
            ),
        )
        restored = self.create_in(session, contact)
        for activity_id, position in deleted.activity_links:
            if session.get(t.ActivityRow, activity_id) is not None:
                session.add(
                    t.ActivityContactRow(
                        activity_id=activity_id, contact_id=restored.id, position=position
                    )
                )
        return restored
