"""Organisations: create, edit, delete (with what else changes), list and match by name."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.records import Organisation
from portfolio_app.domain.validation import FieldError, organisation_errors, require_valid
from portfolio_app.services.base import ServiceBase, get_row
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import organisation_record


@dataclass(frozen=True)
class OrganisationUsage:
    activities: int
    contacts: int
    is_home: bool

    def describe(self) -> str:
        parts = []
        if self.activities:
            parts.append(f"{self.activities} activit{'y' if self.activities == 1 else 'ies'}")
        if self.contacts:
            parts.append(f"{self.contacts} contact{'' if self.contacts == 1 else 's'}' roles")
        return " and ".join(parts)


@dataclass(frozen=True)
class DeletedOrganisation:
    """What a delete removed, so that undo can put it all back."""

    organisation: Organisation
    activity_links: tuple[tuple[int, int], ...]  # (activity_id, position)
    roles: tuple[
        tuple[int, str, date | None, date | None, int], ...
    ]  # contact, title, from, to, pos


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


class OrganisationService(ServiceBase):
    def errors(self, organisation: Organisation) -> list[FieldError]:
        errors = organisation_errors(organisation)
        if organisation.sector_id and organisation.sector_id not in self.taxonomy:
            errors.append(FieldError("sector", f"unknown sector {organisation.sector_id!r}"))
        return errors

    def _clean(self, organisation: Organisation) -> Organisation:
        aliases = tuple(dict.fromkeys(a.strip() for a in organisation.aliases if a.strip()))
        return replace(organisation, name=organisation.name.strip(), aliases=aliases)

    def create(self, organisation: Organisation) -> Organisation:
        organisation = self._clean(organisation)
        require_valid(self.errors(organisation))
        with self.db.transaction() as session:
            return self.create_in(session, organisation)

    def create_in(self, session: Session, organisation: Organisation) -> Organisation:
        row = t.OrganisationRow(
            id=organisation.id,
            name=organisation.name,
            sector_id=organisation.sector_id,
            aliases=list(organisation.aliases),
        )
        session.add(row)
        session.flush()
        return organisation_record(row)

    def update(self, organisation: Organisation) -> Organisation:
        organisation_id = organisation.id
        if organisation_id is None:
            raise ServiceError("cannot update an organisation that has not been saved")
        organisation = self._clean(organisation)
        require_valid(self.errors(organisation))
        with self.db.transaction() as session:
            row = get_row(session, t.OrganisationRow, organisation_id, "organisation")
            row.name, row.sector_id = organisation.name, organisation.sector_id
            row.aliases = list(organisation.aliases)
            return organisation_record(row)

    def get(self, organisation_id: int) -> Organisation:
        with self.db.transaction() as session:
            return organisation_record(
                get_row(session, t.OrganisationRow, organisation_id, "organisation")
            )

    def list_all(self) -> list[Organisation]:
        with self.db.transaction() as session:
            rows = session.scalars(select(t.OrganisationRow).order_by(t.OrganisationRow.name))
            return [organisation_record(r) for r in rows]

    def find_by_name(self, name: str) -> Organisation | None:
        """Match a typed name against names and aliases, ignoring case and spacing."""
        key = name_key(name)
        for organisation in self.list_all():
            if key in (name_key(n) for n in (organisation.name, *organisation.aliases)):
                return organisation
        return None

    def usage(self, organisation_id: int) -> OrganisationUsage:
        with self.db.transaction() as session:
            activities = session.scalar(
                select(func.count()).where(
                    t.ActivityOrganisationRow.organisation_id == organisation_id
                )
            )
            contacts = session.scalar(
                select(func.count(func.distinct(t.ContactRoleRow.contact_id))).where(
                    t.ContactRoleRow.organisation_id == organisation_id
                )
            )
            profile = session.get(t.ProfileRow, 1)
            return OrganisationUsage(
                activities or 0,
                contacts or 0,
                profile is not None and profile.home_organisation_id == organisation_id,
            )

    def delete(self, organisation_id: int) -> DeletedOrganisation:
        if self.usage(organisation_id).is_home:
            raise ServiceError(
                "this is your home organisation: choose another in your profile before deleting it"
            )
        with self.db.transaction() as session:
            row = get_row(session, t.OrganisationRow, organisation_id, "organisation")
            links = session.scalars(
                select(t.ActivityOrganisationRow).where(
                    t.ActivityOrganisationRow.organisation_id == organisation_id
                )
            ).all()
            roles = session.scalars(
                select(t.ContactRoleRow).where(t.ContactRoleRow.organisation_id == organisation_id)
            ).all()
            deleted = DeletedOrganisation(
                organisation_record(row),
                tuple((link.activity_id, link.position) for link in links),
                tuple(
                    (r.contact_id, r.job_title, r.start_date, r.end_date, r.position) for r in roles
                ),
            )
            for link in links:
                session.delete(link)
            for role in roles:
                session.delete(role)
            session.delete(row)
            return deleted

    def restore(self, deleted: DeletedOrganisation) -> Organisation:
        """Undo a delete: the organisation comes back with the same id and all its links."""
        with self.db.transaction() as session:
            organisation = self.create_in(session, deleted.organisation)
            for activity_id, position in deleted.activity_links:
                if session.get(t.ActivityRow, activity_id) is not None:
                    session.add(
                        t.ActivityOrganisationRow(
                            activity_id=activity_id,
                            organisation_id=organisation.id,
                            position=position,
                        )
                    )
            for contact_id, title, start, end, position in deleted.roles:
                if session.get(t.ContactRow, contact_id) is not None:
                    session.add(
                        t.ContactRoleRow(
                            contact_id=contact_id,
                            organisation_id=organisation.id,
                            job_title=title,
                            start_date=start,
                            end_date=end,
                            position=position,
                        )
                    )
            return organisation
