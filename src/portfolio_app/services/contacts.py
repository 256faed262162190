"""Contacts with dated roles, so a person's job history is kept when they move."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.names import name_key
from portfolio_app.domain.records import Contact
from portfolio_app.domain.validation import FieldError, contact_errors, require_valid
from portfolio_app.services.base import RecordService, reusable_uid
from portfolio_app.services.organisations import existing_ids, name_taken, names_taken
from portfolio_app.storage import fast_records
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import contact_record, fill_contact
from portfolio_app.storage.row_checks import damaged_rows


@dataclass(frozen=True)
class DeletedContact:
    """Held only in memory (the undo stack): an erased contact leaves no copy on disk."""

    contact: Contact
    activity_links: tuple[tuple[int, int], ...]  # (activity_id, position)
    uid: str = ""  # its stable id, which it keeps when it comes back
    role_uids: tuple[str, ...] = ()  # its roles' stable ids, by role


class ContactService(RecordService[Contact, t.ContactRow, DeletedContact]):
    table = t.ContactRow
    what = "contact"

    def record_of(self, row: t.ContactRow) -> Contact:
        return contact_record(row)

    def fill(self, row: t.ContactRow, record: Contact) -> None:
        fill_contact(row, record)

    def errors_in(self, session: Session, contact: Contact) -> list[FieldError]:
        return next(self.errors_in_many(session, [contact]))

    def errors_in_many(
        self, session: Session, contacts: Sequence[Contact]
    ) -> Iterator[list[FieldError]]:
        """The organisations and the names taken looked up once for the whole batch."""
        organisations = existing_ids(
            session, t.OrganisationRow, [r.organisation_id for c in contacts for r in c.roles]
        )
        taken = names_taken(session, t.ContactRow, contacts)
        for contact in contacts:
            errors = contact_errors(contact)
            for index, role in enumerate(contact.roles, start=1):
                if role.organisation_id not in organisations:
                    errors.append(FieldError(f"role {index}", "the organisation no longer exists"))
            yield errors + self._name_errors(
                contact, taken.get((name_key(contact.name), contact.id))
            )

    def restore_errors(self, session: Session, contact: Contact) -> list[FieldError]:
        return self._name_errors(
            contact, name_taken(session, t.ContactRow, contact.name, contact.id)
        )

    @staticmethod
    def _name_errors(contact: Contact, taken: str | None) -> list[FieldError]:
        if contact.name.strip() and taken is not None:
            return [
                FieldError(
                    "name",
                    f"you already have a contact called “{taken}”: add something that tells "
                    "them apart, such as their organisation",
                )
            ]
        return []

    def read_all_fast(
        self, session: Session, leave_out: set[int], failed: list[tuple[int, Exception]]
    ) -> list[Contact] | None:
        return fast_records.contacts(session, leave_out, failed)

    def linked_to_activities(self) -> list[Contact]:
        """The readable contacts some activity names, in `list_all`'s order (damaged ones left
        out as the list leaves them): what an export draws on, without reading every contact."""
        with self.db.transaction() as session:
            leave_out = {d.id for d in damaged_rows(session, self.what)}
            return fast_records.contacts(session, leave_out, [], linked_only=True)

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
            contact_record(row),
            tuple((link.activity_id, link.position) for link in links),
            row.uid,
            tuple(r.uid for r in row.roles),
        )
        for link in links:
            session.delete(link)
        return deleted

    @staticmethod
    def _keep_role_uids(session: Session, contact: Contact, uids: list[str]) -> None:
        """Give the restored contact's roles (new rows) the uids they had, where still free."""
        row = session.get(t.ContactRow, contact.id)
        if row is None:
            return
        for role_row, uid in zip(row.roles, uids, strict=False):
            kept = reusable_uid(session, t.ContactRoleRow, uid)
            if kept is not None:
                role_row.uid = kept
        session.flush()

    def restore_in(self, session: Session, deleted: DeletedContact) -> Contact:
        require_valid(self.restore_errors(session, deleted.contact))
        # Roles at organisations deleted since cannot come back (their foreign key would fail).
        roles = deleted.contact.roles
        uids = deleted.role_uids or ("",) * len(roles)
        kept = [
            (role, uid)
            for role, uid in zip(roles, uids, strict=True)
            if session.get(t.OrganisationRow, role.organisation_id) is not None
        ]
        contact = replace(deleted.contact, roles=tuple(role for role, _ in kept))
        restored = self.create_in(session, contact, deleted.uid)
        self._keep_role_uids(session, restored, [uid for _, uid in kept])
        for activity_id, position in deleted.activity_links:
            if session.get(t.ActivityRow, activity_id) is not None:
                session.add(
                    t.ActivityContactRow(
                        activity_id=activity_id, contact_id=restored.id, position=position
                    )
                )
        return restored
