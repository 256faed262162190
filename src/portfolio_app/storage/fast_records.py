"""Whole lists of records read with plain SELECTs of columns, not ORM objects.

The ORM builds an object per row and per link row and tracks each one; for a whole career
(100,000 activities, their 300,000 link rows, 20,000 contacts) that cost most of a minute for
lists that are only read (the score, the exports, the CLI). These readers fetch the columns as
tuples (SQLAlchemy Core still converts dates and JSON the same way) and build the same domain
records as storage/mapping.py, in the same order; entries in `leave_out` (the damaged ones,
found by row_checks) are not read at all. A row that still fails to convert is returned in the
`failed` list with why, as `readable_records` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.storage import tables as t

RecordT = TypeVar("RecordT")
Failed = list[tuple[int, Exception]]

_CONVERSION_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


def _table(row: type[t.Base]) -> Table:
    table = row.__table__
    assert isinstance(table, Table)
    return table


def _links(
    session: Session, table: Table, owner: str, value: str, leave_out: Collection[int]
) -> dict[int, list[Any]]:
    """owner id -> its link values in position order."""
    query = select(table.c[owner], table.c[value]).order_by(
        table.c[owner], table.c.position, table.c[value]
    )
    if leave_out:
        query = query.where(table.c[owner].not_in(leave_out))
    found: dict[int, list[Any]] = defaultdict(list)
    for owner_id, linked in session.execute(query):
        found[owner_id].append(linked)
    return found


def _converted(
    rows: Iterable[Any], convert: Callable[[Any], RecordT], failed: Failed
) -> list[RecordT]:
    out: list[RecordT] = []
    for row in rows:
        try:
            out.append(convert(row))
        except _CONVERSION_ERRORS as exc:
            failed.append((row.id, exc))
    return out


def _without(query: Any, column: ColumnElement[int], leave_out: Collection[int]) -> Any:
    return query.where(column.not_in(leave_out)) if leave_out else query


def activities(session: Session, leave_out: Collection[int], failed: Failed) -> list[Activity]:
    """Every activity, newest first (as ActivityService lists them), with its links."""
    table = _table(t.ActivityRow)
    c = table.c
    organisations = _links(
        session, _table(t.ActivityOrganisationRow), "activity_id", "organisation_id", leave_out
    )
    sectors = _links(session, _table(t.ActivitySectorRow), "activity_id", "sector_id", leave_out)
    contacts = _links(session, _table(t.ActivityContactRow), "activity_id", "contact_id", leave_out)
    query = select(
        c.id, c.type, c.title, c.start_date, c.end_date, c.hours, c.description,
        c.visibility, c.status,
    ).order_by(c.start_date.desc(), c.id)  # fmt: skip
    types, visibilities, statuses = ActivityType, Visibility, Status

    def convert(row: Any) -> Activity:
        return Activity(
            type=types(row.type),
            title=row.title,
            start=row.start_date,
            end=row.end_date,
            hours=row.hours,
            organisation_ids=tuple(organisations.get(row.id, ())),
            extra_sector_ids=tuple(sectors.get(row.id, ())),
            contact_ids=tuple(contacts.get(row.id, ())),
            description=row.description,
            visibility=visibilities(row.visibility),
            status=statuses(row.status),
            id=row.id,
        )

    return _converted(session.execute(_without(query, c.id, leave_out)), convert, failed)


def organisations(
    session: Session, leave_out: Collection[int], failed: Failed
) -> list[Organisation]:
    """Every organisation by name (as OrganisationService lists them)."""
    c = _table(t.OrganisationRow).c
    query = select(c.id, c.name, c.sector_id, c.aliases).order_by(c.name, c.id)

    def convert(row: Any) -> Organisation:
        return Organisation(
            name=row.name, sector_id=row.sector_id, aliases=tuple(row.aliases), id=row.id
        )

    return _converted(session.execute(_without(query, c.id, leave_out)), convert, failed)


def contacts(session: Session, leave_out: Collection[int], failed: Failed) -> list[Contact]:
    """Every contact by name (as ContactService lists them), with their roles in order."""
    c = _table(t.ContactRow).c
    r = _table(t.ContactRoleRow).c
    roles: dict[int, list[ContactRole]] = defaultdict(list)
    role_query = select(
        r.contact_id, r.organisation_id, r.job_title, r.start_date, r.end_date
    ).order_by(r.contact_id, r.position, r.id)
    for role in session.execute(_without(role_query, r.contact_id, leave_out)):
        roles[role.contact_id].append(
            ContactRole(role.organisation_id, role.job_title, role.start_date, role.end_date)
        )
    query = select(c.id, c.name, c.notes).order_by(c.name, c.id)

    def convert(row: Any) -> Contact:
        return Contact(
            name=row.name, notes=row.notes, roles=tuple(roles.get(row.id, ())), id=row.id
        )

    return _converted(session.execute(_without(query, c.id, leave_out)), convert, failed)
