"""The plain-SELECT readers (storage/fast_records.py) give exactly the ORM path's records, in
its order, with the same entries left out as damaged (issue 12)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage import fast_records
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import damaged_rows
from test_damaged_rows import _fill, _write_raw


def test_the_readers_equal_the_orm_path(paths: AppPaths, data_key: bytes) -> None:
    services = open_services(paths)
    try:
        ids = _fill(services)
        trust = services.organisations.create(
            Organisation("Zoë's Trust", "nhs", aliases=("ZT", "Łódź Trust"))
        )
        police = services.organisations.create(Organisation("Siân Police", "police"))
        people = [
            services.contacts.create(
                Contact(
                    name,
                    notes="Met at the Łukasz forum",
                    roles=(
                        ContactRole(trust.id or 0, "Nurse", date(2020, 1, 1), date(2022, 1, 1)),
                        ContactRole(police.id or 0, "", date(2022, 1, 2)),
                    ),
                )
            )
            for name in ("Ann", "Zoë Bell", "siân")
        ]
        for n in range(12):
            services.activities.create(
                Activity(
                    list(ActivityType)[n % len(ActivityType)],
                    f"Visit {n} – Siân",
                    date(2025, 1, 1 + n % 3),  # ties on the date: ordered by id
                    date(2025, 2, 1) if n % 2 else None,
                    hours=None if n % 3 else 1.5,
                    organisation_ids=(police.id or 0, trust.id or 0)[: n % 3],
                    extra_sector_ids=("police", "nhs")[: n % 2 + 1] if n % 4 else (),
                    contact_ids=tuple(p.id or 0 for p in people[: n % 4]),
                    description="x" * n,
                    visibility=Visibility.SHARED if n % 2 else Visibility.PRIVATE,
                    status=Status.PLANNED if n == 5 else Status.DONE,
                )
            )
        _write_raw(
            paths,
            data_key,
            f"UPDATE activities SET hours = -1 WHERE id = {ids.bad['activity']}",
            f"UPDATE contact_roles SET start_date = 'soon' WHERE contact_id = {ids.bad['contact']}",
            f"UPDATE organisations SET aliases = '[1]' WHERE id = {ids.bad['organisation']}",
        )
    finally:
        services.close()
    services = open_services(paths)
    try:
        kinds: tuple[Any, ...] = (services.activities, services.organisations, services.contacts)
        for service in kinds:
            fast = service.listing()
            with services.db.transaction() as session:
                orm = service.readable_in(session, service.list_query())
            assert fast == orm, service.what
            assert fast.damaged and fast.records
        _the_stream_equals_the_list(services)
    finally:
        services.close()


def _the_stream_equals_the_list(services: AppServices) -> None:
    """stream_activities gives the list's records in its order with each row's own uid, and
    leaves out exactly what it is told to (a small batch size: links merged across batches)."""
    listing = services.activities.listing()
    with services.db.transaction() as session:
        leave_out = {d.id for d in damaged_rows(session, "activity")}
        assert leave_out
        uids = {i: u for i, u in session.execute(select(t.ActivityRow.id, t.ActivityRow.uid))}
        failed: fast_records.Failed = []
        streamed = list(fast_records.stream_activities(session, leave_out, failed))
        assert [a for a, _ in streamed] == listing.records
        assert [u for _, u in streamed] == [uids[a.id or 0] for a in listing.records]
        assert not failed
        some = {a.id or 0 for a in listing.records[::2]}
        fewer = list(fast_records.stream_activities(session, leave_out | some, failed))
        assert [a for a, _ in fewer] == [a for a in listing.records if a.id not in some]
        assert any(a.organisation_ids for a, _ in fewer) and any(a.contact_ids for a, _ in fewer)
