"""add_many_in without ORM objects (mapping.NEW_ROWS): ids follow the AUTOINCREMENT sequence
(never an id a deleted entry had), a record's own id is kept, and each new activity is found by
search once written; on real database files."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.services import AppServices
from portfolio_app.services.search import matching_ids


def _add(services: AppServices, service: object, records: list[object]) -> list[object]:
    with services.db.unit_of_work() as session:
        return list(service.add_many_in(session, records))  # type: ignore[attr-defined]


def test_ids_are_never_those_of_deleted_entries(services: AppServices) -> None:
    first = _add(services, services.organisations, [Organisation("Siân's Hub", "police")])
    org_id = first[0].id  # type: ignore[attr-defined]
    people = _add(
        services,
        services.contacts,
        [
            Contact(
                "Łukasz Nowak", roles=(ContactRole(org_id, "Lead"), ContactRole(org_id, "Chair"))
            )
        ],
    )
    with services.db.transaction() as session:
        role_ids = session.execute(text("SELECT max(id) FROM contact_roles")).scalar_one()
    services.contacts.delete(people[0].id)  # type: ignore[attr-defined]
    again = _add(
        services, services.contacts, [Contact("Zoë Ó Briain", roles=(ContactRole(org_id),))]
    )
    assert again[0].id == people[0].id + 1  # type: ignore[attr-defined]
    with services.db.transaction() as session:
        new_role = session.execute(text("SELECT id FROM contact_roles")).scalars().all()
    assert new_role == [role_ids + 1]


def test_a_record_keeps_its_own_id_and_the_next_ones_follow(services: AppServices) -> None:
    mine = Organisation("Ynys Môn Carers", "care-homes", id=5000)
    added = _add(services, services.organisations, [mine, Organisation("Eastbrook", "police")])
    assert [o.id for o in added] == [5000, 5001]  # type: ignore[attr-defined]
    assert services.organisations.get(5000).name == "Ynys Môn Carers"


def test_new_activities_are_searchable(services: AppServices) -> None:
    org = _add(services, services.organisations, [Organisation("Llanfair Café", "police")])[0]
    activity = Activity(
        type=ActivityType.OTHER,
        title="Visit with Siân",
        start=date(2025, 3, 1),
        organisation_ids=(org.id,),  # type: ignore[attr-defined]
    )
    added = _add(services, services.activities, [activity])
    with services.db.transaction() as session:
        for words in ("sian", "llanfair cafe"):
            query = matching_ids(session, "activity", words)
            assert query is not None
            assert list(session.scalars(query)) == [added[0].id]  # type: ignore[attr-defined]
