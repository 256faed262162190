"""The user's profile: who they are and their home organisation (and so home sector)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portfolio_app.domain.records import Organisation, Profile
from portfolio_app.domain.validation import FieldError, InvalidInput
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.errors import ProfileExists, ProfileMissing
from portfolio_app.services.organisations import OrganisationService, find_by_name_in
from portfolio_app.storage import tables as t
from portfolio_app.taxonomy import SectorLookupError


class ProfileService(ServiceBase):
    def get(self) -> Profile | None:
        with self.db.transaction() as session:
            row = session.get(t.ProfileRow, 1)
            if row is None:
                return None
            home = session.get(t.OrganisationRow, row.home_organisation_id)
            assert home is not None  # guaranteed by the foreign key
            return Profile(row.name, row.role, home.id, home.name, home.sector_id)

    def require(self) -> Profile:
        profile = self.get()
        if profile is None:
            raise ProfileMissing()
        return profile

    def set_up(
        self, *, name: str, role: str, organisation: str, sector: str, force: bool = False
    ) -> Profile:
        """Create (or with force, replace) the profile. `sector` is an id, label or alias."""
        with self.db.unit_of_work() as session:
            self.set_up_in(
                session, name=name, role=role, organisation=organisation, sector=sector, force=force
            )
        return self.require()

    def set_up_in(
        self,
        session: Session,
        *,
        name: str,
        role: str,
        organisation: str,
        sector: str,
        force: bool = False,
    ) -> None:
        errors: list[FieldError] = []
        if not name.strip():
            errors.append(FieldError("name", "is required"))
        if not organisation.strip():
            errors.append(FieldError("organisation", "is required"))
        sector_id = ""
        try:
            sector_id = self.taxonomy.resolve(sector).id
        except SectorLookupError as exc:
            errors.append(FieldError("sector", str(exc)))
        if errors:
            raise InvalidInput(errors)
        if session.get(t.ProfileRow, 1) is not None and not force:
            raise ProfileExists("a profile already exists; use --force to replace it")
        home = find_by_name_in(session, organisation)
        if home is None:
            organisations = OrganisationService(self.db, self.taxonomy)
            home = organisations.add_in(session, Organisation(organisation.strip(), sector_id))
        elif home.sector_id != sector_id and home.id is not None:
            org_row = session.get(t.OrganisationRow, home.id)
            assert org_row is not None
            org_row.sector_id = sector_id
        assert home.id is not None
        row = session.get(t.ProfileRow, 1) or t.ProfileRow(id=1)
        row.name, row.role, row.home_organisation_id = name.strip(), role.strip(), home.id
        session.add(row)
        session.flush()
