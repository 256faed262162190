"""Organisations: create, edit, delete (with what else changes), list and match by name."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.names import name_key as name_key  # re-exported for the dialogs
from portfolio_app.domain.records import Organisation
from portfolio_app.domain.validation import FieldError, organisation_errors, require_valid
from portfolio_app.services.base import RecordService, reusable_uid
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import fast_records
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
        tuple[int, str, date | None, date | None, int, str], ...
    ]  # contact, title, from, to, pos, uid
    uid: str = ""  # its stable id, which it keeps when it comes back


def name_taken(
    session: Session,
    table: type[t.OrganisationRow] | type[t.ContactRow],
    name: str,
    own: int | None,
) -> str | None:
    """The name of another row of `table` whose name is `name` (ignoring case and spacing)."""
    return session.scalars(
        select(table.name).where(table.name_key == name_key(name), table.id != (own or 0))
    ).first()


class _Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def id(self) -> int | None: ...


def names_taken(
    session: Session,
    table: type[t.OrganisationRow] | type[t.ContactRow],
    records: Sequence[_Named],
) -> dict[tuple[str, int | None], str]:
    """`name_taken` for a batch in one query per 500 names: (name key, own id) -> the name of
    another row of `table` with that key, for the records whose name is taken."""
    keys = list({name_key(r.name) for r in records})
    stored: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), 500):  # SQLite limits a statement's parameters
        query = select(table.name_key, table.id, table.name).where(
            table.name_key.in_(keys[start : start + 500])
        )
        for key, row_id, name in session.execute(query):
            stored[key] = (row_id, name)
    taken: dict[tuple[str, int | None], str] = {}
    for record in records:
        key = name_key(record.name)
        if key in stored and stored[key][0] != (record.id or 0):
            taken[(key, record.id)] = stored[key][1]
    return taken


def existing_ids(session: Session, table: type[t.Base], ids: Sequence[int]) -> set[int]:
    """Which of `ids` are rows of `table`, in one query per 500 ids."""
    wanted = list(set(ids))
    key = table.__table__.c.id
    found: set[int] = set()
    for start in range(0, len(wanted), 500):  # SQLite limits a statement's parameters
        found.update(session.scalars(select(key).where(key.in_(wanted[start : start + 500]))))
    return found


def find_by_name_in(session: Session, name: str) -> Organisation | None:
    key = name_key(name)
    rows = session.scalars(select(t.OrganisationRow).order_by(t.OrganisationRow.name))
    for row in rows:  # names first, then aliases: a name is the stronger match
        if row.name_key == key:
            return organisation_record(row)
    for row in session.scalars(select(t.OrganisationRow).order_by(t.OrganisationRow.name)):
        if key in (name_key(a) for a in row.aliases):
            return organisation_record(row)
    return None


def organisation_ids_by_name(session: Session) -> dict[str, int]:
    """Every organisation's id by the name key of its name and of each of its aliases, for
    importers matching many names at once; a name beats another organisation's alias."""
    ids: dict[str, int] = {}
    rows = session.scalars(select(t.OrganisationRow).order_by(t.OrganisationRow.id)).all()
    for row in rows:
        ids.setdefault(row.name_key, row.id)
    for row in rows:
        for alias in row.aliases:
            ids.setdefault(name_key(alias), row.id)
    return ids


class OrganisationService(RecordService[Organisation, t.OrganisationRow, DeletedOrganisation]):
    table = t.OrganisationRow
    what = "organisation"

    def record_of(self, row: t.OrganisationRow) -> Organisation:
        return organisation_record(row)

    def fill(self, row: t.OrganisationRow, record: Organisation) -> None:
        row.name, row.sector_id = record.name, record.sector_id
        row.aliases = list(record.aliases)

    def errors_in(self, session: Session, organisation: Organisation) -> list[FieldError]:
        return next(self.errors_in_many(session, [organisation]))

    def errors_in_many(
        self, session: Session, organisations: Sequence[Organisation]
    ) -> Iterator[list[FieldError]]:
        """The names taken looked up once for the whole batch."""
        taken = names_taken(session, t.OrganisationRow, organisations)
        for organisation in organisations:
            errors = organisation_errors(organisation)
            if organisation.sector_id and organisation.sector_id not in self.taxonomy:
                errors.append(FieldError("sector", f"unknown sector {organisation.sector_id!r}"))
            clash = taken.get((name_key(organisation.name), organisation.id))
            yield errors + self._name_errors(organisation, clash)

    def restore_errors(self, session: Session, organisation: Organisation) -> list[FieldError]:
        taken = name_taken(session, t.OrganisationRow, organisation.name, organisation.id)
        return self._name_errors(organisation, taken)

    @staticmethod
    def _name_errors(organisation: Organisation, taken: str | None) -> list[FieldError]:
        if organisation.name.strip() and taken is not None:
            return [FieldError("name", f"you already have an organisation called “{taken}”")]
        return []

    def clean(self, organisation: Organisation) -> Organisation:
        aliases = tuple(dict.fromkeys(a.strip() for a in organisation.aliases if a.strip()))
        return replace(organisation, name=organisation.name.strip(), aliases=aliases)

    def read_all_fast(
        self, session: Session, leave_out: set[int], failed: list[tuple[int, Exception]]
    ) -> list[Organisation] | None:
        return fast_records.organisations(session, leave_out, failed)

    def list_query(self) -> Select[t.OrganisationRow]:
        return select(t.OrganisationRow).order_by(t.OrganisationRow.name)

    def find_by_name(self, name: str) -> Organisation | None:
        """Match a typed name against names and aliases, ignoring case and spacing."""
        with self.db.transaction() as session:
            return find_by_name_in(session, name)

    def usage(self, organisation_id: int) -> OrganisationUsage:
        with self.db.transaction() as session:
            return self.usage_in(session, organisation_id)

    def usage_in(self, session: Session, organisation_id: int) -> OrganisationUsage:
        activities = session.scalar(
            select(func.count()).where(t.ActivityOrganisationRow.organisation_id == organisation_id)
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

    def snapshot_in(self, session: Session, row: t.OrganisationRow) -> DeletedOrganisation:
        # Checked here, in the delete's own transaction: the profile cannot change in between.
        if self.usage_in(session, row.id).is_home:
            raise ServiceError(
                "this is your home organisation: choose another in your profile before deleting it"
            )
        links = session.scalars(
            select(t.ActivityOrganisationRow).where(
                t.ActivityOrganisationRow.organisation_id == row.id
            )
        ).all()
        roles = session.scalars(
            select(t.ContactRoleRow).where(t.ContactRoleRow.organisation_id == row.id)
        ).all()
        deleted = DeletedOrganisation(
            organisation_record(row),
            tuple((link.activity_id, link.position) for link in links),
            tuple(
                (r.contact_id, r.job_title, r.start_date, r.end_date, r.position, r.uid)
                for r in roles
            ),
            row.uid,
        )
        for link in links:
            session.delete(link)
        for role in roles:
            session.delete(role)
        return deleted

    def restore_in(self, session: Session, deleted: DeletedOrganisation) -> Organisation:
        """The organisation comes back with the same id and all its links."""
        require_valid(self.restore_errors(session, deleted.organisation))
        organisation = self.create_in(session, deleted.organisation, deleted.uid)
        for activity_id, position in deleted.activity_links:
            if session.get(t.ActivityRow, activity_id) is not None:
                session.add(
                    t.ActivityOrganisationRow(
                        activity_id=activity_id, organisation_id=organisation.id, position=position
                    )
                )
        for contact_id, title, start, end, position, uid in deleted.roles:
            if session.get(t.ContactRow, contact_id) is not None:
                role = t.ContactRoleRow(
                    contact_id=contact_id,
                    organisation_id=organisation.id,
                    job_title=title,
                    start_date=start,
                    end_date=end,
                    position=position,
                )
                kept = reusable_uid(session, t.ContactRoleRow, uid)
                if kept is not None:
                    role.uid = kept
                session.add(role)
        return organisation
