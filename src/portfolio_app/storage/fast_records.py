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

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
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


ACTIVITIES = _table(t.ActivityRow)
_A = ACTIVITIES.c
ACTIVITY_ORDER = (_A.start_date.desc(), _A.id)  # as the activities list shows them
# (link table, its value column) of an activity's organisations, extra sectors and contacts.
_ACTIVITY_LINKS = (
    (t.ActivityOrganisationRow, "organisation_id"),
    (t.ActivitySectorRow, "sector_id"),
    (t.ActivityContactRow, "contact_id"),
)
_ACTIVITY_COLUMNS = (
    _A.id, _A.type, _A.title, _A.start_date, _A.end_date, _A.hours, _A.description,
    _A.visibility, _A.status,
)  # fmt: skip
STREAM_BATCH = 1_000  # rows fetched at a time from each cursor of a streamed reading


def _activity(row: Any, organisation_ids: Any, sector_ids: Any, contact_ids: Any) -> Activity:
    """The domain record of one activity row (of _ACTIVITY_COLUMNS) and its links."""
    return Activity(
        type=ActivityType(row.type),
        title=row.title,
        start=row.start_date,
        end=row.end_date,
        hours=row.hours,
        organisation_ids=tuple(organisation_ids),
        extra_sector_ids=tuple(sector_ids),
        contact_ids=tuple(contact_ids),
        description=row.description,
        visibility=Visibility(row.visibility),
        status=Status(row.status),
        id=row.id,
    )


def activities(session: Session, leave_out: Collection[int], failed: Failed) -> list[Activity]:
    """Every activity, newest first (as ActivityService lists them), with its links: the
    whole list at once (each link table read into a dict first). `stream_activities` gives the
    same records without holding them all."""
    links = [
        _links(session, _table(row), "activity_id", value, leave_out)
        for row, value in _ACTIVITY_LINKS
    ]
    organisations, sectors, contacts = links
    query = select(*_ACTIVITY_COLUMNS).order_by(*ACTIVITY_ORDER)

    def convert(row: Any) -> Activity:
        key = row.id
        return _activity(
            row, organisations.get(key, ()), sectors.get(key, ()), contacts.get(key, ())
        )

    return _converted(session.execute(_without(query, _A.id, leave_out)), convert, failed)


def _streamed(session: Session, query: Any) -> Iterator[Any]:
    return iter(session.execute(query.execution_options(yield_per=STREAM_BATCH)))


class _StreamedLinks:
    """One link table's values for each activity, read in the activities' order beside them."""

    def __init__(self, session: Session, row: type[t.Base], value: str, leave_out: Any):
        table = _table(row)
        query = (
            select(table.c.activity_id, table.c[value])
            .join(ACTIVITIES, _A.id == table.c.activity_id)
            .order_by(*ACTIVITY_ORDER, table.c.position, table.c[value])
        )
        self.rows = _streamed(session, _without(query, _A.id, leave_out))
        self.head: Any = next(self.rows, None)

    def of(self, activity_id: int) -> list[Any]:
        """The values of `activity_id` (the next activity in order): every activity in this
        stream is in the activities' stream, in the same order, so equal ids are enough."""
        values: list[Any] = []
        while self.head is not None and self.head[0] == activity_id:
            values.append(self.head[1])
            self.head = next(self.rows, None)
        return values


def stream_activities(
    session: Session, leave_out: Collection[int], failed: Failed
) -> Iterator[tuple[Activity, str | None]]:
    """`activities` streamed: each activity with its stable id (uid), newest first, read a
    batch at a time from the activities and from each link table in the same order, merged
    as they go (memory stays flat however many there are). Rows that fail to convert go to
    `failed` (the caller sees them only once the stream is used up)."""
    leave_out = list(leave_out)
    streams = [_StreamedLinks(session, row, value, leave_out) for row, value in _ACTIVITY_LINKS]
    organisations, sectors, contacts = streams
    query = select(*_ACTIVITY_COLUMNS, _A.uid).order_by(*ACTIVITY_ORDER)
    for row in _streamed(session, _without(query, _A.id, leave_out)):
        key = row.id
        links = organisations.of(key), sectors.of(key), contacts.of(key)
        try:
            activity = _activity(row, *links)
        except _CONVERSION_ERRORS as exc:
            failed.append((key, exc))
            continue
        yield activity, row.uid or None


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


def contacts(
    session: Session, leave_out: Collection[int], failed: Failed, *, linked_only: bool = False
) -> list[Contact]:
    """Every contact by name (as ContactService lists them), with their roles in order; with
    `linked_only`, only those some activity names (all an export can show)."""
    c = _table(t.ContactRow).c
    r = _table(t.ContactRoleRow).c
    roles: dict[int, list[ContactRole]] = defaultdict(list)
    role_query = select(
        r.contact_id, r.organisation_id, r.job_title, r.start_date, r.end_date
    ).order_by(r.contact_id, r.position, r.id)
    query = select(c.id, c.name, c.notes).order_by(c.name, c.id)
    if linked_only:
        linked = select(_table(t.ActivityContactRow).c.contact_id)
        role_query, query = (
            role_query.where(r.contact_id.in_(linked)),
            query.where(c.id.in_(linked)),
        )
    for role in session.execute(_without(role_query, r.contact_id, leave_out)):
        roles[role.contact_id].append(
            ContactRole(role.organisation_id, role.job_title, role.start_date, role.end_date)
        )

    def convert(row: Any) -> Contact:
        return Contact(
            name=row.name, notes=row.notes, roles=tuple(roles.get(row.id, ())), id=row.id
        )

    return _converted(session.execute(_without(query, c.id, leave_out)), convert, failed)


# --- The score's reading: straight from the driver ---------------------------------------
# The score needs a few columns of every activity, contact role and link row, in no order
# (scoring/inputs.py lays them out itself). Rows are fetched as the driver's tuples, the tables
# scanned in rowid order (no index walk over random pages, no SQLAlchemy row processing);
# values are left as stored (dates as text): the caller converts and checks them.


class Unreadable(Exception):
    """The driver could not read a value of a row not left out (text that is not UTF-8, a
    BLOB among link values):
    read through the ORM instead, which singles out the row."""


def _driver_rows(session: Session, sql: str, leave_out: Collection[int]) -> list[Any]:
    """The rows of `sql`, whose one parameter is bound to the ids left out (a JSON list for
    `json_each`), as plain tuples from the driver within the session's transaction."""
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(sql, (json.dumps(sorted(leave_out)),))
        rows: list[Any] = cursor.fetchall()
    except Exception as exc:  # the driver's own OperationalError: not an SQLAlchemy one
        if "decode" in str(exc) or "BLOB" in str(exc):  # not UTF-8; a BLOB in a JSON array
            raise Unreadable(str(exc)) from exc
        raise
    finally:
        cursor.close()
    return rows


def _not_left_out(column: str) -> str:
    return f"{column} NOT IN (SELECT value FROM json_each(?))"


def score_activity_rows(session: Session, leave_out: Collection[int]) -> list[Any]:
    """(id, type, title, start_date, end_date, status, organisation ids, extra sector ids,
    contact ids) of every activity not left out, as stored (dates as ISO text), in rowid
    order; each activity's links gathered through the link tables' primary key, one row per
    activity, in no particular order (a score counts sets): the ids as text "3,17" (NULL for
    none; a value that is not an integer shows as "?", which no caller reads as an id), the
    sector ids as a JSON array."""
    organisations, sectors, contacts = (
        f"(SELECT {gather} FROM {_table(row).name} AS l WHERE l.activity_id = a.id)"
        for (row, value), gather in zip(
            _ACTIVITY_LINKS,
            (
                "group_concat(CASE typeof(l.organisation_id) WHEN 'integer' "
                "THEN l.organisation_id ELSE '?' END)",
                "json_group_array(l.sector_id)",
                "group_concat(CASE typeof(l.contact_id) WHEN 'integer' "
                "THEN l.contact_id ELSE '?' END)",
            ),
            strict=True,
        )
    )
    return _driver_rows(
        session,
        "SELECT a.id, a.type, a.title, a.start_date, a.end_date, a.status, "
        f"{organisations}, {sectors}, {contacts} "
        f"FROM activities AS a WHERE {_not_left_out('a.id')}",
        leave_out,
    )


def score_contact_roles(session: Session, leave_out: Collection[int]) -> list[Any]:
    """(contact id, organisation id, start_date, end_date) of every role of the contacts not
    left out, in each contact's role order (as ContactService lists them), dates as stored."""
    return _driver_rows(
        session,
        "SELECT contact_id, organisation_id, start_date, end_date FROM contact_roles "
        f"WHERE {_not_left_out('contact_id')} ORDER BY contact_id, position, id",
        leave_out,
    )


def ids_of(session: Session, kind_row: type[t.Base], leave_out: Collection[int]) -> list[int]:
    """The ids of every row of `kind_row`'s table not left out, in rowid order."""
    table = _table(kind_row).name
    rows = _driver_rows(session, f"SELECT id FROM {table} WHERE {_not_left_out('id')}", leave_out)
    return [row_id for (row_id,) in rows]
