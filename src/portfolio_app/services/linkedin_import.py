"""LinkedIn connections in: each becomes a contact with a dated role at their organisation.

A connection is the same as a contact already there when the contact's notes hold its LinkedIn
address, or when a contact of the same name has a role at the same organisation (or, for a
connection without a company, has no role at all). Contacts already there are never changed, so
an import alone never moves the score: only logged activities count, and nothing links the new
contacts to an activity. A namesake who is someone else gets the company in brackets ("Zoë
Smith (Acme)"), as the contact dialog suggests for two people of one name.

Organisations are created with a sector, which the schema requires: a company not yet among the
organisations needs one, given by the user (with a guess from the taxonomy's labels and
aliases on offer). Connections at a company left unplaced are either refused as a whole
(LinkedInNeedsSectors: nothing is written) or, when asked, left out until a later import.
Everything is one unit of work: all of it is stored, or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio_app.domain.names import name_key
from portfolio_app.domain.records import Contact, ContactRole, Organisation
from portfolio_app.domain.validation import MAX_TITLE, contact_errors, require_valid
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.linkedin_file import (
    Connection,
    ConnectionsFile,
    read_connections_file,
    url_key,
)
from portfolio_app.services.organisations import OrganisationService, organisation_ids_by_name
from portfolio_app.services.progress import Progress
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database
from portfolio_app.storage.mapping import fill_contact
from portfolio_app.taxonomy import SectorLookupError, Taxonomy
from portfolio_app.taxonomy.sector_guess import guess_sector

NOTES_URL = "LinkedIn: "  # the notes line that holds the profile's address
_NOTES_URL_LINE = re.compile(r"^LinkedIn:[ \t]*(\S+)[ \t]*$", re.MULTILINE)
MAX_NAMESAKES = 99  # "Name (Company) 99": beyond that the file is not a list of people


@dataclass(frozen=True)
class NewOrganisation:
    """A company in the file that is not among the organisations yet: it needs a sector."""

    name: str  # as the file first gives it
    guess: str | None  # a sector id guessed from the taxonomy's labels and aliases
    connections: int  # how many new contacts work there

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class NewContact:
    connection: Connection
    name: str  # the connection's name, or with its company in brackets for a namesake
    organisation_key: str  # the company's name key; "" without one


@dataclass(frozen=True)
class LinkedInPreview:
    """What an import of `file` would do, against the data as it is now."""

    file: ConnectionsFile
    new_contacts: tuple[NewContact, ...]
    already_there: int
    new_organisations: tuple[NewOrganisation, ...]

    @property
    def source(self) -> str:
        return self.file.source

    def left_out(self, placed: Collection[str]) -> int:
        """How many new contacts wait for a later import when only the organisations named in
        `placed` (names in any case or spacing) get a sector."""
        keys = {name_key(name) for name in placed}
        return sum(o.connections for o in self.new_organisations if o.key not in keys)


@dataclass(frozen=True)
class LinkedInResult:
    new: int
    already_there: int
    organisations_created: int = 0
    skipped_unplaced: int = 0  # connections at organisations left without a sector
    nameless: int = 0  # rows without a name (LinkedIn hides some members' names)

    def summary(self) -> str:
        parts = [f"{self.new} new, {self.already_there} already there"]
        if self.organisations_created:
            parts.append(_count(self.organisations_created, "new organisation"))
        if self.skipped_unplaced:
            parts.append(
                f"{_count(self.skipped_unplaced, 'connection')} left out (their organisation has "
                "no sector yet)"
            )
        if self.nameless:
            parts.append(f"{_count(self.nameless, 'row')} without a name skipped")
        return "; ".join(parts)


class LinkedInNeedsSectors(ServiceError):
    """New organisations without a sector, and nothing was imported: the user places them
    (or chooses to leave their connections out) and imports again."""

    def __init__(
        self, source: str, organisations: tuple[NewOrganisation, ...], taxonomy: Taxonomy
    ) -> None:
        self.source = source
        self.organisations = organisations
        people = sum(o.connections for o in organisations)
        lines = [
            f"  {o.name!r} ({_count(o.connections, 'connection')}): "
            + (f"probably {taxonomy.path_label(o.guess)!r}" if o.guess else "no guess")
            for o in organisations
        ]
        super().__init__(
            f"{source}: nothing was imported yet; "
            f"{_count(len(organisations), 'new organisation')} "
            f"({_count(people, 'connection')}) need a sector:\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class _KnownContact:
    organisation_ids: frozenset[int]
    url_keys: frozenset[str]


@dataclass
class _Known:
    """The organisations and contacts in the database, read in the import's transaction."""

    organisations: dict[str, int]  # name key of a name or alias -> id
    contacts: dict[str, _KnownContact]  # name key -> what matching needs
    url_keys: set[str]

    @classmethod
    def read(cls, session: Session) -> _Known:
        organisations = organisation_ids_by_name(session)
        contacts: dict[str, _KnownContact] = {}
        url_keys: set[str] = set()
        for contact in session.scalars(select(t.ContactRow)):
            urls = frozenset(url_key(u) for u in _NOTES_URL_LINE.findall(contact.notes or ""))
            url_keys |= urls
            contacts[contact.name_key] = _KnownContact(
                frozenset(role.organisation_id for role in contact.roles), urls
            )
        return cls(organisations, contacts, url_keys)


class LinkedInImportService(ServiceBase):
    def __init__(
        self,
        db: Database,
        taxonomy: Taxonomy,
        organisations: OrganisationService | None = None,
    ) -> None:
        super().__init__(db, taxonomy)
        self.organisations = organisations or OrganisationService(db, taxonomy)

    def read_file(self, path: Path) -> ConnectionsFile:
        return read_connections_file(path)

    def preview(self, connections: ConnectionsFile) -> LinkedInPreview:
        """Who is new, who is already there and which organisations need a sector."""
        with self.db.transaction() as session:
            return self._plan(_Known.read(session), connections)

    def guess(self, organisation_name: str) -> str | None:
        return guess_sector(self.taxonomy, organisation_name)

    def import_file(
        self,
        path: Path,
        sectors: Mapping[str, str] | None = None,
        *,
        use_guesses: bool = False,
        skip_unplaced: bool = False,
    ) -> LinkedInResult:
        return self.import_connections(
            self.read_file(path),
            sectors,
            use_guesses=use_guesses,
            skip_unplaced=skip_unplaced,
        )

    def import_connections(
        self,
        connections: ConnectionsFile,
        sectors: Mapping[str, str] | None = None,
        *,
        use_guesses: bool = False,
        skip_unplaced: bool = False,
        progress: Progress | None = None,
    ) -> LinkedInResult:
        """Store the new connections, all or nothing.

        `sectors` places new organisations: company name (any case or spacing) -> sector id,
        label or alias. With `use_guesses`, a company without one takes its guess. Companies
        still without a sector raise LinkedInNeedsSectors, unless `skip_unplaced`: then
        their connections are left out (a later import brings them in)."""
        given = self._resolve_sectors(connections, sectors or {})
        if progress is not None:
            progress.check()  # the last moment a cancel can stop the import
        with self.db.unit_of_work() as session:
            # Planned again inside the write transaction, which holds the write lock: what is
            # matched is what the database holds when the contacts are written.
            known = _Known.read(session)
            plan = self._plan(known, connections)
            placed: dict[str, str] = {}
            unplaced: list[NewOrganisation] = []
            for organisation in plan.new_organisations:
                sector = given.get(organisation.key) or (
                    organisation.guess if use_guesses else None
                )
                if sector:
                    placed[organisation.key] = sector
                else:
                    unplaced.append(organisation)
            if unplaced and not skip_unplaced:
                raise LinkedInNeedsSectors(plan.source, tuple(unplaced), self.taxonomy)
            org_ids = self._create_organisations(session, plan, placed)
            created = skipped_unplaced = 0
            for index, new in enumerate(plan.new_contacts):
                if progress is not None and index % 200 == 0:
                    progress.report(index, len(plan.new_contacts))
                key = new.organisation_key
                if key and key not in known.organisations and key not in org_ids:
                    skipped_unplaced += 1
                    continue
                organisation_id = known.organisations.get(key) or org_ids.get(key)
                contact = _contact(new, organisation_id)
                # The contact rules, without a query per row: the plan, made in this
                # transaction, gave every new contact a name no other contact has.
                require_valid(contact_errors(contact))
                row = t.ContactRow()
                fill_contact(row, contact)
                session.add(row)
                created += 1
            session.flush()  # one batch of inserts; a clash of names would fail here
        return LinkedInResult(
            created,
            plan.already_there,
            len(org_ids),
            skipped_unplaced,
            len(connections.nameless),
        )

    def _resolve_sectors(
        self, connections: ConnectionsFile, sectors: Mapping[str, str]
    ) -> dict[str, str]:
        """Company name key -> sector id; every unknown sector or company at once."""
        companies = {name_key(c.company) for c in connections.connections if c.company}
        resolved: dict[str, str] = {}
        problems: list[str] = []
        for company, sector in sectors.items():
            key = name_key(company)
            if key not in companies:
                problems.append(f"no connection in the file works at {company.strip()!r}")
                continue
            try:
                resolved[key] = self.taxonomy.resolve(sector).id
            except SectorLookupError as exc:
                problems.append(f"{company.strip()!r}: {exc}")
        if problems:
            shown = "\n".join(f"  {p}" for p in problems)
            raise ServiceError(
                f"{connections.source}: nothing was imported; the sectors given have "
                f"{_count(len(problems), 'problem')}:\n{shown}"
            )
        return resolved

    def _create_organisations(
        self, session: Session, plan: LinkedInPreview, placed: Mapping[str, str]
    ) -> dict[str, int]:
        ids: dict[str, int] = {}
        for organisation in plan.new_organisations:
            sector = placed.get(organisation.key)
            if sector is None:
                continue
            created = self.organisations.add_in(session, Organisation(organisation.name, sector))
            assert created.id is not None
            ids[organisation.key] = created.id
        return ids

    def _plan(self, known: _Known, connections: ConnectionsFile) -> LinkedInPreview:
        taken: dict[str, NewContact] = {}  # name key -> a contact this import creates
        urls: set[str] = set(known.url_keys)
        new_contacts: list[NewContact] = []
        companies: dict[str, str] = {}  # new organisations: key -> name as first written
        people_at: dict[str, int] = {}
        already = 0
        for connection in connections.connections:
            key = name_key(connection.company) if connection.company else ""
            found = _place(connection, key, known, taken, urls)
            if found is None:
                already += 1
                continue
            if found.connection.url:
                urls.add(found.connection.url_key)
            taken[name_key(found.name)] = found
            new_contacts.append(found)
            if key and key not in known.organisations:
                companies.setdefault(key, connection.company)
                people_at[key] = people_at.get(key, 0) + 1
        new_organisations = tuple(
            NewOrganisation(name, self.guess(name), people_at[key])
            for key, name in companies.items()
        )
        return LinkedInPreview(connections, tuple(new_contacts), already, new_organisations)


def _place(
    connection: Connection,
    organisation_key: str,
    known: _Known,
    taken: Mapping[str, NewContact],
    urls: set[str],
) -> NewContact | None:
    """The contact to create for `connection`, or None when it is already there."""
    url = connection.url_key
    if url and url in urls:
        return None
    organisation_id = known.organisations.get(organisation_key) if organisation_key else None
    for name in _names(connection):
        key = name_key(name)
        planned = taken.get(key)
        if planned is not None:
            other = planned.connection
            if not url and not other.url and planned.organisation_key == organisation_key:
                return None  # the same row twice in one file
            continue
        existing = known.contacts.get(key)
        if existing is None:
            return NewContact(connection, name, organisation_key)
        if url and existing.url_keys and url not in existing.url_keys:
            continue  # a namesake with another LinkedIn profile
        if organisation_id is not None and organisation_id in existing.organisation_ids:
            return None
        if not organisation_key and not existing.organisation_ids:
            return None
    raise ServiceError(
        f"line {connection.line}: cannot find a free name for {connection.name!r}: "
        f"there are more than {MAX_NAMESAKES} contacts of that name"
    )


def _names(connection: Connection) -> list[str]:
    """The name, then the name with its company in brackets, then numbered: namesakes."""
    name = connection.name
    label = connection.company or "LinkedIn"
    names = [name, f"{name} ({label})"]
    names += [f"{name} ({label} {n})" for n in range(2, MAX_NAMESAKES + 1)]
    return [n for n in names if len(n) <= MAX_TITLE] or [name]


def _contact(new: NewContact, organisation_id: int | None) -> Contact:
    connection = new.connection
    notes = []
    if connection.url:
        notes.append(f"{NOTES_URL}{connection.url}")
    if connection.email:
        notes.append(f"Email: {connection.email}")
    roles: tuple[ContactRole, ...] = ()
    if organisation_id is not None:
        roles = (ContactRole(organisation_id, connection.position, connection.connected_on),)
    elif connection.position:
        notes.append(f"Position on LinkedIn: {connection.position}")
    return Contact(new.name, "\n".join(notes), roles)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
