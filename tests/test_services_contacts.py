"""Contacts with dated roles on a real SQLite file: history, validation, delete and undo."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices, NotFound, ServiceError


def _org_id(services: AppServices, name: str, sector: str) -> int:
    organisation = services.organisations.create(Organisation(name, sector))
    assert organisation.id is not None
    return organisation.id


def test_create_get_list_update(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    created = services.contacts.create(
        Contact("  Zoë Hart ", notes="Met at the\nsafeguarding day.", roles=(ContactRole(police),))
    )
    assert created.id is not None
    assert created == Contact(
        "Zoë Hart", "Met at the\nsafeguarding day.", (ContactRole(police),), created.id
    )
    assert services.contacts.get(created.id) == created

    services.contacts.create(Contact("Anwar Ali"))
    assert [c.name for c in services.contacts.list_all()] == ["Anwar Ali", "Zoë Hart"]

    edited = services.contacts.update(Contact("Zoë Hart-Smith", "", (), created.id))
    assert services.contacts.get(created.id) == edited
    assert edited.roles == ()


def test_update_of_unsaved_or_missing_contact_is_refused(services: AppServices) -> None:
    with pytest.raises(ServiceError, match="not been saved"):
        services.contacts.update(Contact("Nobody"))
    with pytest.raises(NotFound, match="no contact with id 7"):
        services.contacts.update(Contact("Nobody", id=7))


def test_a_move_keeps_the_job_history(services: AppServices) -> None:
    council = _org_id(services, "Northshire Council", "adult-social-care")
    trust = _org_id(services, "Northshire Community Health", "community-trusts")
    first_role = ContactRole(council, "Social worker", date(2018, 9, 1), None)
    contact = services.contacts.create(Contact("Siân Jones", roles=(first_role,)))

    # She moves: the old role gets an end date and a new one starts the next day.
    moved = services.contacts.update(
        Contact(
            "Siân Jones",
            roles=(
                ContactRole(council, "Social worker", date(2018, 9, 1), date(2024, 3, 31)),
                ContactRole(trust, "Discharge coordinator", date(2024, 4, 1)),
            ),
            id=contact.id,
        )
    )
    assert contact.id is not None
    stored = services.contacts.get(contact.id)
    assert stored == moved
    assert [(r.organisation_id, r.job_title) for r in stored.roles] == [
        (council, "Social worker"),
        (trust, "Discharge coordinator"),
    ]
    assert [r.organisation_id for r in stored.roles_on(date(2024, 3, 31))] == [council]
    assert [r.organisation_id for r in stored.roles_on(date(2024, 4, 1))] == [trust]
    assert stored.roles_on(date(2018, 8, 31)) == []
    assert [r.organisation_id for r in stored.roles_on(date(2030, 1, 1))] == [trust]


@pytest.mark.parametrize(
    ("role", "day", "covered"),
    [
        (ContactRole(1, start=date(2024, 1, 1), end=date(2024, 12, 31)), date(2024, 1, 1), True),
        (ContactRole(1, start=date(2024, 1, 1), end=date(2024, 12, 31)), date(2024, 12, 31), True),
        (ContactRole(1, start=date(2024, 1, 1), end=date(2024, 12, 31)), date(2023, 12, 31), False),
        (ContactRole(1, start=date(2024, 1, 1), end=date(2024, 12, 31)), date(2025, 1, 1), False),
        (ContactRole(1, start=date(2024, 1, 1)), date(2099, 1, 1), True),
        (ContactRole(1, start=date(2024, 1, 1)), date(2023, 12, 31), False),
        (ContactRole(1, end=date(2024, 1, 1)), date(1900, 1, 1), True),
        (ContactRole(1, end=date(2024, 1, 1)), date(2024, 1, 2), False),
        (ContactRole(1), date(2024, 6, 1), True),
        (ContactRole(1, start=date(2024, 2, 29), end=date(2024, 2, 29)), date(2024, 2, 29), True),
    ],
)
def test_role_covers_its_boundary_days(role: ContactRole, day: date, covered: bool) -> None:
    assert role.covers(day) is covered


def test_roles_on_returns_every_overlapping_role_in_order() -> None:
    contact = Contact(
        "Łukasz",
        roles=(
            ContactRole(1, "Mentor", date(2023, 1, 1), date(2023, 6, 30)),
            ContactRole(2, "Secondee", date(2023, 6, 30), date(2023, 12, 31)),
            ContactRole(3, "Trustee"),
        ),
    )
    assert [r.organisation_id for r in contact.roles_on(date(2023, 6, 30))] == [1, 2, 3]
    assert [r.organisation_id for r in contact.roles_on(date(2023, 7, 1))] == [2, 3]
    assert [r.organisation_id for r in contact.roles_on(date(2024, 1, 1))] == [3]


def test_invalid_contacts_name_every_bad_field(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    with pytest.raises(InvalidInput) as excinfo:
        services.contacts.create(
            Contact(
                " ",
                roles=(
                    ContactRole(police, "PC"),
                    ContactRole(police, "PC", date(2024, 5, 1), date(2024, 4, 30)),
                    ContactRole(police + 100, "Ghost"),
                ),
            )
        )
    messages = {e.field: e.message for e in excinfo.value.errors}
    assert messages == {
        "name": "is required",
        "role 2": "the end date is before the start date",
        "role 3": "the organisation no longer exists",
    }
    assert services.contacts.list_all() == []


def test_a_role_at_a_deleted_organisation_is_refused(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    stale = Contact("Anwar Ali", roles=(ContactRole(police, "PC"),))
    services.organisations.delete(police)
    with pytest.raises(InvalidInput, match="role 1: the organisation no longer exists"):
        services.contacts.create(stale)


def test_delete_then_restore_gives_back_same_id_roles_and_activity_links(
    services: AppServices,
) -> None:
    police = _org_id(services, "Northshire Police", "police")
    trust = _org_id(services, "Ødegård Health", "acute-trusts")
    contact = services.contacts.create(
        Contact(
            "Siân Jones",
            notes="Prefers email.",
            roles=(
                ContactRole(police, "PC", date(2015, 1, 1), date(2020, 12, 31)),
                ContactRole(trust, "Liaison officer", date(2021, 1, 1)),
            ),
        )
    )
    other = services.contacts.create(Contact("Zoë Hart"))
    assert contact.id is not None and other.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Shadowed the liaison team",
            date(2026, 1, 10),
            contact_ids=(other.id, contact.id),
        )
    )
    assert activity.id is not None
    assert services.contacts.activity_count(contact.id) == 1

    deleted = services.contacts.delete(contact.id)
    with pytest.raises(NotFound):
        services.contacts.get(contact.id)
    assert services.activities.get(activity.id).contact_ids == (other.id,)
    assert services.contacts.activity_count(contact.id) == 0

    restored = services.contacts.restore(deleted)
    assert restored == contact
    assert services.contacts.get(contact.id) == contact
    assert services.activities.get(activity.id) == activity
    assert services.contacts.activity_count(contact.id) == 1


def test_restore_drops_roles_at_organisations_deleted_since(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    trust = _org_id(services, "Northshire Acute Trust", "acute-trusts")
    contact = services.contacts.create(
        Contact("Zoë", roles=(ContactRole(police, "PC"), ContactRole(trust, "Liaison")))
    )
    assert contact.id is not None
    deleted = services.contacts.delete(contact.id)
    services.organisations.delete(police)

    restored = services.contacts.restore(deleted)  # used to fail on the foreign key
    assert restored.id == contact.id
    assert restored.roles == (ContactRole(trust, "Liaison"),)
    assert services.contacts.get(contact.id) == restored


def test_restore_skips_activities_deleted_since(services: AppServices) -> None:
    contact = services.contacts.create(Contact("Anwar"))
    assert contact.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.MENTORING_GIVEN, "Mentoring", date(2026, 1, 1), contact_ids=(contact.id,)
        )
    )
    assert activity.id is not None
    deleted = services.contacts.delete(contact.id)
    services.activities.delete(activity.id)
    services.contacts.restore(deleted)
    assert services.contacts.activity_count(contact.id) == 0


@pytest.mark.parametrize("name", ["Siân", "Łukasz", "Zoë", "Ødegård", "Zoe\u0308", "Nguyễn Văn An"])
def test_unicode_names_round_trip_exactly(services: AppServices, name: str) -> None:
    saved = services.contacts.create(Contact(name, notes=f"Notes about {name}"))
    assert saved.id is not None
    fetched = services.contacts.get(saved.id)
    assert (fetched.name, fetched.notes) == (name, f"Notes about {name}")
    assert [c.name for c in services.contacts.list_all()] == [name]
