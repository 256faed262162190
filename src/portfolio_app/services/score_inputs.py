"""What the breadth score reads, in one read transaction of plain SELECTs (no ORM objects).

The score needs little of each entry: an activity's type, title, dates, status and its links
(organisations, extra sectors, contacts); each organisation's sector; each contact's roles as
(organisation, first day, last day); and the goals. Reading just those columns as tuples is many
times faster than building ORM objects for a whole career (100,000 activities, 300,000 link
rows, 20,000 contacts). Damaged entries are left out exactly as the lists leave them out: the
ids `row_checks` finds (their links too), then any row whose values still do not convert.

`report.inputs` turns this into the scoring inputs; what it builds equals what the records of
the services' lists give (tests/test_score_inputs.py compares the two on odd data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Goal
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import damaged_rows

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

# A contact's role as the score reads it: (organisation id, start, end), in the role order.
Role = tuple[int, date | None, date | None]

_CONVERSION_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)


class NotPlain(Exception):
    """A stored value the plain reading cannot convert in bulk: read through the ORM instead
    (which finds the one bad row); the damaged-row checks normally rule this out first."""


@dataclass(frozen=True)
class ScoreRecords:
    """Everything one score is worked out from, read together.

    `activities` carry only what the score reads (no description or hours; visibility as
    stored), newest first like the activity list."""

    activities: list[Activity]
    organisation_sectors: dict[int, str]  # every readable organisation's sector
    contact_roles: dict[int, tuple[Role, ...]]  # every readable contact's roles (maybe none)
    goals: list[Goal]


def _table(row: type[t.Base]) -> Table:
    table = row.__table__
    assert isinstance(table, Table)
    return table


def _left_out(session: Session, kind: str) -> set[int]:
    return {d.id for d in damaged_rows(session, kind)}


def _without(query: Any, column: Any, leave_out: Collection[int]) -> Any:
    return query.where(column.not_in(leave_out)) if leave_out else query


def _links(
    session: Session, row: type[t.Base], value: str, leave_out: Collection[int]
) -> dict[int, list[Any]]:
    """activity id -> its linked values in position order (as the ORM relationships order)."""
    c = _table(row).c
    query = select(c.activity_id, c[value]).order_by(c.activity_id, c.position, c[value])
    found: dict[int, list[Any]] = defaultdict(list)
    for owner, linked in session.execute(_without(query, c.activity_id, leave_out)):
        found[owner].append(linked)
    return found


def _activities(session: Session) -> list[Activity]:
    leave_out = _left_out(session, "activity")
    organisations = _links(session, t.ActivityOrganisationRow, "organisation_id", leave_out)
    sectors = _links(session, t.ActivitySectorRow, "sector_id", leave_out)
    contacts = _links(session, t.ActivityContactRow, "contact_id", leave_out)
    c = _table(t.ActivityRow).c
    query = select(
        c.id, c.type, c.title, c.start_date, c.end_date, c.visibility, c.status
    ).order_by(c.start_date.desc(), c.id)
    types, statuses, visibilities = ActivityType, Status, Visibility
    no_links: tuple[Any, ...] = ()
    out: list[Activity] = []
    for row_id, kind, title, start, end, visibility, status in _rows(session, query, c, leave_out):
        try:
            out.append(
                Activity(
                    type=types(kind),
                    title=title,
                    start=start,
                    end=end,
                    organisation_ids=tuple(organisations.get(row_id, no_links)),
                    extra_sector_ids=tuple(sectors.get(row_id, no_links)),
                    contact_ids=tuple(contacts.get(row_id, no_links)),
                    visibility=visibilities(visibility),
                    status=statuses(status),
                    id=row_id,
                )
            )
        except _CONVERSION_ERRORS:
            continue  # left out, as the list leaves out a row that does not convert
    return out


def _rows(session: Session, query: Any, c: Any, leave_out: Collection[int]) -> list[Any]:
    try:
        return list(session.execute(_without(query, c.id, leave_out)))
    except (*_CONVERSION_ERRORS, OperationalError) as exc:
        if isinstance(exc, OperationalError) and "decode" not in str(exc.orig):
            raise  # locked, I/O error...: not one row's problem
        raise NotPlain(str(exc)) from exc


def _organisation_sectors(session: Session) -> dict[int, str]:
    c = _table(t.OrganisationRow).c
    # aliases are read too: a row whose aliases do not convert is left out of the lists.
    query = select(c.id, c.sector_id, c.aliases)
    found: dict[int, str] = {}
    for row_id, sector_id, aliases in _rows(session, query, c, _left_out(session, "organisation")):
        try:
            tuple(aliases)
        except _CONVERSION_ERRORS:
            continue
        found[row_id] = sector_id
    return found


def _contact_roles(session: Session) -> dict[int, tuple[Role, ...]]:
    leave_out = _left_out(session, "contact")
    r = _table(t.ContactRoleRow).c
    query = select(r.contact_id, r.organisation_id, r.start_date, r.end_date).order_by(
        r.contact_id, r.position, r.id
    )
    roles: dict[int, list[Role]] = defaultdict(list)
    try:
        for contact_id, organisation_id, start, end in session.execute(
            _without(query, r.contact_id, leave_out)
        ):
            roles[contact_id].append((organisation_id, start, end))
    except _CONVERSION_ERRORS as exc:
        raise NotPlain(str(exc)) from exc
    c = _table(t.ContactRow).c
    ids = _rows(session, select(c.id), c, leave_out)
    return {row_id: tuple(roles.get(row_id, ())) for (row_id,) in ids}


def read_score_records(services: AppServices) -> ScoreRecords:
    """One consistent reading of what the score needs (NotPlain: use the services' lists)."""
    goals = services.goals
    with services.db.transaction() as session:
        return ScoreRecords(
            activities=_activities(session),
            organisation_sectors=_organisation_sectors(session),
            contact_roles=_contact_roles(session),
            goals=goals.readable_in(session, goals.list_query()).records,
        )
