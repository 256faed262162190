"""Contacts with dated roles, so a person's job history is kept when they move."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select

from portfolio_app.domain.records import Contact
from portfolio_app.domain.validation import FieldError, contact_errors, require_valid
from portfolio_app.services.base import ServiceBase, get_row
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import contact_record, fill_contact


@dataclass(frozen=True)
class DeletedContact:
    contact: Contact
    activity_links: tuple[tuple[int, int], ...]  # (activity_id, position)


class ContactService(ServiceBase):
    def errors(self, contact: Contact) -> list[FieldError]:
        errors = contact_errors(contact)
        with self.db.transaction() as session:
            for index, role in enumerate(contact.roles, start=1):
                if session.get(t.OrganisationRow, role.organisation_id) is None:
                    errors.append(FieldError(f"role {index}", "the organisation no longer exists"))
        return errors

    def create(self, contact: Contact) -> Contact:
        require_valid(self.errors(contact))
        with self.db.transaction() as session:
            row = t.ContactRow(id=contact.id)
            fill_contact(row, contact)
            session.add(row)
            session.flush()
            return contact_record(row)

    def update(self, contact: Contact) -> Contact:
        if contact.id is None:
            raise ServiceError("cannot update a contact that has not been saved")
        require_valid(self.errors(contact))
        with self.db.transaction() as session:
            row = get_row(session, t.ContactRow, contact.id, "contact")
            fill_contact(row, contact)
            session.flush()
            return contact_record(row)

    def get(self, contact_id: int) -> Contact:
        with self.db.transaction() as session:
            return contact_record(get_row(session, t.ContactRow, contact_id, "contact"))

    def list_all(self) -> list[Contact]:
        with self.db.transaction() as session:
            rows = session.scalars(select(t.ContactRow).order_by(t.ContactRow.name))
            return [contact_record(r) for r in rows]

    def activity_count(self, contact_id: int) -> int:
        with self.db.transaction() as session:
            count = session.scalar(
                select(func.count()).where(t.ActivityContactRow.contact_id == contact_id)
            )
            return count or 0

    def delete(self, contact_id: int) -> DeletedContact:
        with self.db.transaction() as session:
            row = get_row(session, t.ContactRow, contact_id, "contact")
            links = session.scalars(
                select(t.ActivityContactRow).where(t.ActivityContactRow.contact_id == contact_id)
            ).all()
            deleted = DeletedContact(
                contact_record(row), tuple((link.activity_id, link.position) for link in links)
            )
            for link in links:
                session.delete(link)
            session.delete(row)
            return deleted

    def restore(self, deleted: DeletedContact) -> Contact:
        with self.db.transaction() as session:
            # Roles at organisations deleted since cannot come back (their foreign key would fail).
            contact = replace(
                deleted.contact,
                roles=tuple(
                    r
                    for r in deleted.contact.roles
                    if session.get(t.OrganisationRow, r.organisation_id) is not None
                ),
            )
            row = t.ContactRow(id=contact.id)
            fill_contact(row, contact)
            session.add(row)
            session.flush()
            for activity_id, position in deleted.activity_links:
                if session.get(t.ActivityRow, activity_id) is not None:
                    session.add(
                        t.ActivityContactRow(
                            activity_id=activity_id, contact_id=row.id, position=position
                        )
                    )
            return contact_record(row)
