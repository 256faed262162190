"""The activities CSV export's rows, streamed from plain SELECTs (no ORM objects, never every
activity in memory at once): the activities newest first, and each link table read in the same
order beside them, merged as they go."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.services.csv_format import ExportRow
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import organisation_record, readable_records
from portfolio_app.storage.row_checks import damaged_rows

BATCH = 1_000  # rows fetched at a time from each cursor
_UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)


def _table(row: type[t.Base]) -> Table:
    table = row.__table__
    assert isinstance(table, Table)
    return table


ACTIVITIES = _table(t.ActivityRow)
A = ACTIVITIES.c
ORDER = (A.start_date.desc(), A.id)  # as the activities list shows them (list_query)


def _streamed(session: Session, query: Select[Any]) -> Iterator[Any]:
    return iter(session.execute(query.execution_options(yield_per=BATCH)))


class _Links:
    """One link table's values for each activity, read in the activities' order."""

    def __init__(self, session: Session, link: type[t.Base], value: str, leave_out: list[int]):
        table = _table(link)
        query = (
            select(table.c.activity_id, table.c[value])
            .join(ACTIVITIES, A.id == table.c.activity_id)
            .order_by(*ORDER, table.c.position, table.c[value])
        )
        if leave_out:
            query = query.where(A.id.not_in(leave_out))
        self.rows = _streamed(session, query)
        self.head: Any = next(self.rows, None)

    def of(self, activity_id: int) -> list[Any]:
        """The values of `activity_id` (the next activity in order): every activity in this
        stream is in the activities' stream, in the same order, so equal ids are enough."""
        values: list[Any] = []
        while self.head is not None and self.head[0] == activity_id:
            values.append(self.head[1])
            self.head = next(self.rows, None)
        return values


def export_rows(session: Session) -> Iterator[ExportRow]:
    """Every readable activity with its organisations, contact names and stable id, newest
    first: what the export writes. Damaged activities (and any whose values cannot be read)
    are left out; damaged organisations and contacts are left out of the names."""
    readable, _ = readable_records(
        session, "organisation", select(t.OrganisationRow), organisation_record
    )
    organisations: dict[int | None, Organisation] = {o.id: o for o in readable}
    damaged_contacts = list({d.id for d in damaged_rows(session, "contact")})
    contacts = _table(t.ContactRow).c
    names: dict[int, str] = {
        contact_id: name
        for contact_id, name in session.execute(
            select(contacts.id, contacts.name).where(contacts.id.not_in(damaged_contacts))
        )
    }
    leave_out = list({d.id for d in damaged_rows(session, "activity")})
    organisation_links = _Links(session, t.ActivityOrganisationRow, "organisation_id", leave_out)
    sector_links = _Links(session, t.ActivitySectorRow, "sector_id", leave_out)
    contact_links = _Links(session, t.ActivityContactRow, "contact_id", leave_out)
    query = select(
        A.id, A.uid, A.type, A.title, A.start_date, A.end_date, A.hours, A.description,
        A.visibility, A.status,
    ).order_by(*ORDER)  # fmt: skip
    if leave_out:
        query = query.where(A.id.not_in(leave_out))
    for row in _streamed(session, query):
        org_ids = organisation_links.of(row.id)
        sector_ids = sector_links.of(row.id)
        contact_ids = contact_links.of(row.id)
        try:
            activity = Activity(
                type=ActivityType(row.type),
                title=row.title,
                start=row.start_date,
                end=row.end_date,
                hours=row.hours,
                organisation_ids=tuple(org_ids),
                extra_sector_ids=tuple(sector_ids),
                contact_ids=tuple(contact_ids),
                description=row.description,
                visibility=Visibility(row.visibility),
                status=Status(row.status),
                id=row.id,
            )
        except _UNREADABLE:
            continue  # unreadable: left out, as the activities list leaves it out
        yield ExportRow(
            activity,
            [organisations[i] for i in activity.organisation_ids if i in organisations],
            [names[c] for c in activity.contact_ids if c in names],
            row.uid or None,
        )
