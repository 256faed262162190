"""The activities CSV export's rows, streamed from plain SELECTs (no ORM objects, never every
activity in memory at once): `storage.fast_records.stream_activities` reads the activities
newest first with their links, and this adds the organisations and contact names each row
shows."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio_app.domain.records import Organisation
from portfolio_app.services.csv_format import ExportRow
from portfolio_app.storage import fast_records
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import organisation_record, readable_records
from portfolio_app.storage.row_checks import damaged_rows


def export_rows(session: Session) -> Iterator[ExportRow]:
    """Every readable activity with its organisations, contact names and stable id, newest
    first: what the export writes. Damaged activities (and any whose values cannot be read)
    are left out; damaged organisations and contacts are left out of the names."""
    readable, _ = readable_records(
        session, "organisation", select(t.OrganisationRow), organisation_record
    )
    organisations: dict[int | None, Organisation] = {o.id: o for o in readable}
    damaged_contacts = list({d.id for d in damaged_rows(session, "contact")})
    contacts = t.ContactRow.__table__.c
    names: dict[int, str] = {
        contact_id: name
        for contact_id, name in session.execute(
            select(contacts.id, contacts.name).where(contacts.id.not_in(damaged_contacts))
        )
    }
    leave_out = {d.id for d in damaged_rows(session, "activity")}
    unreadable: fast_records.Failed = []  # left out, as the activities list leaves them out
    for activity, uid in fast_records.stream_activities(session, leave_out, unreadable):
        yield ExportRow(
            activity,
            [organisations[i] for i in activity.organisation_ids if i in organisations],
            [names[c] for c in activity.contact_ids if c in names],
            uid,
        )
