"""Organisations on a real SQLite file: editing, validation, usage, delete and undo."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices, NotFound, ServiceError


def _fields(excinfo: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.field for e in excinfo.value.errors}


def _org(services: AppServices, name: str, sector: str = "police") -> Organisation:
    return services.organisations.create(Organisation(name, sector))


def test_create_get_list_update(services: AppServices) -> None:
    created = services.organisations.create(
        Organisation("  Northshire Police ", "police", aliases=(" NP ", "", "NP", "Force HQ"))
    )
    assert created.id is not None
    # Names and aliases are trimmed; blank and repeated aliases dropped, order kept.
    assert created == Organisation("Northshire Police", "police", ("NP", "Force HQ"), created.id)
    assert services.organisations.get(created.id) == created

    other = _org(services, "Alder Care Home", "care-homes")
    assert [o.name for o in services.organisations.list_all()] == [
        "Alder Care Home",
        "Northshire Police",
    ]

    updated = services.organisations.update(
        Organisation("Northshire Constabulary", "police", ("Northshire Police",), created.id)
    )
    assert updated.id == created.id
    assert services.organisations.get(created.id) == updated
    assert services.organisations.get(other.id or 0) == other


def test_update_of_unsaved_or_missing_organisation_is_refused(services: AppServices) -> None:
    with pytest.raises(ServiceError, match="not been saved"):
        services.organisations.update(Organisation("Nowhere", "police"))
    with pytest.raises(NotFound, match="no organisation with id 999"):
        services.organisations.update(Organisation("Nowhere", "police", id=999))
    with pytest.raises(NotFound):
        services.organisations.get(999)


@pytest.mark.parametrize(
    ("organisation", "fields"),
    [
        (Organisation("   ", "police"), {"name"}),
        (Organisation("Somewhere", ""), {"sector"}),
        (Organisation("Somewhere", "no-such-sector"), {"sector"}),
        (Organisation("", "no-such-sector"), {"name", "sector"}),
        (Organisation("x" * 301, "police"), {"name"}),
    ],
)
def test_invalid_organisations_are_refused_with_field_names(
    services: AppServices, organisation: Organisation, fields: set[str]
) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        services.organisations.create(organisation)
    assert _fields(excinfo) == fields
    assert services.organisations.list_all() == []


def test_unknown_sector_message_names_the_sector(services: AppServices) -> None:
    saved = _org(services, "Northshire Police")
    with pytest.raises(InvalidInput, match="unknown sector 'polis'"):
        services.organisations.update(Organisation("Northshire Police", "polis", id=saved.id))
    assert services.organisations.get(saved.id or 0).sector_id == "police"


def test_find_by_name_matches_names_and_aliases_ignoring_case_and_spacing(
    services: AppServices,
) -> None:
    saved = services.organisations.create(
        Organisation("Northshire Fire and Rescue", "fire-rescue", ("NFRS",))
    )
    assert services.organisations.find_by_name("northshire  FIRE and rescue ") == saved
    assert services.organisations.find_by_name("nfrs") == saved
    assert services.organisations.find_by_name("Northshire Fire") is None


def test_usage_counts_activities_distinct_contacts_and_home(with_profile: AppServices) -> None:
    services = with_profile
    home = services.profile.require().home_organisation_id
    police = _org(services, "Northshire Police")
    assert police.id is not None
    assert services.organisations.usage(police.id).activities == 0
    assert services.organisations.usage(police.id).describe() == ""

    for title in ("Ride-along", "Joint triage"):
        services.activities.create(
            Activity(ActivityType.SHADOWING, title, date(2026, 2, 1), organisation_ids=(police.id,))
        )
    # Two roles at the same organisation count as one contact.
    services.contacts.create(
        Contact(
            "Łukasz Nowak",
            roles=(
                ContactRole(police.id, "PC", date(2020, 1, 1), date(2023, 12, 31)),
                ContactRole(police.id, "Sergeant", date(2024, 1, 1)),
            ),
        )
    )
    services.contacts.create(Contact("Zoë Hart", roles=(ContactRole(police.id, "Inspector"),)))

    usage = services.organisations.usage(police.id)
    assert (usage.activities, usage.contacts, usage.is_home) == (2, 2, False)
    assert usage.describe() == "2 activities and 2 contacts' roles"
    assert services.organisations.usage(home).is_home is True


def test_deleting_the_home_organisation_is_refused(with_profile: AppServices) -> None:
    services = with_profile
    home = services.profile.require().home_organisation_id
    with pytest.raises(ServiceError, match="this is your home organisation") as excinfo:
        services.organisations.delete(home)
    assert "choose another in your profile" in str(excinfo.value)
    assert services.organisations.get(home).name == "Northshire Council"
    assert services.profile.require().home_organisation_id == home


def test_delete_then_restore_gives_back_the_same_record_and_every_link(
    with_profile: AppServices,
) -> None:
    services = with_profile
    first = _org(services, "Northshire Community Health", "community-trusts")
    target = services.organisations.create(
        Organisation("Ødegård Helse", "acute-trusts", aliases=("Ødegård", "OH"))
    )
    last = _org(services, "Jobcentre Northshire", "employment-services")
    assert first.id is not None and target.id is not None and last.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.JOINT_PROJECT,
            "Discharge pathway",
            date(2026, 1, 5),
            organisation_ids=(first.id, target.id, last.id),
        )
    )
    contact = services.contacts.create(
        Contact(
            "Siân Evans",
            roles=(
                ContactRole(target.id, "Nurse", date(2019, 3, 1), date(2022, 8, 31)),
                ContactRole(first.id, "Team lead", date(2022, 9, 1)),
                ContactRole(target.id, "Bank nurse", date(2023, 1, 1)),
            ),
        )
    )
    assert activity.id is not None and contact.id is not None

    deleted = services.organisations.delete(target.id)
    with pytest.raises(NotFound):
        services.organisations.get(target.id)
    assert services.activities.get(activity.id).organisation_ids == (first.id, last.id)
    assert [r.job_title for r in services.contacts.get(contact.id).roles] == ["Team lead"]

    restored = services.organisations.restore(deleted)
    assert restored == target
    assert services.organisations.get(target.id) == target
    assert services.activities.get(activity.id) == activity  # same order of organisations
    assert services.contacts.get(contact.id) == contact  # same roles, dates and order
    assert services.organisations.usage(target.id).activities == 1


def test_restore_skips_links_to_records_deleted_since(with_profile: AppServices) -> None:
    services = with_profile
    org = _org(services, "Northshire Police")
    assert org.id is not None
    kept = services.activities.create(
        Activity(ActivityType.PEER_EVENT, "Kept", date(2026, 3, 1), organisation_ids=(org.id,))
    )
    gone = services.activities.create(
        Activity(ActivityType.PEER_EVENT, "Gone", date(2026, 3, 2), organisation_ids=(org.id,))
    )
    person = services.contacts.create(Contact("Zoë", roles=(ContactRole(org.id, "PCSO"),)))
    assert kept.id is not None and gone.id is not None and person.id is not None

    deleted = services.organisations.delete(org.id)
    services.activities.delete(gone.id)
    services.contacts.delete(person.id)
    services.organisations.restore(deleted)

    assert services.activities.get(kept.id).organisation_ids == (org.id,)
    usage = services.organisations.usage(org.id)
    assert (usage.activities, usage.contacts) == (1, 0)


def test_delete_of_missing_organisation_is_not_found(services: AppServices) -> None:
    with pytest.raises(NotFound):
        services.organisations.delete(42)


@pytest.mark.parametrize("name", ["Siân", "Łukasz", "Zoë", "Ødegård", "Zoe\u0308", "東京都"])
def test_unicode_names_round_trip_exactly(services: AppServices, name: str) -> None:
    saved = services.organisations.create(Organisation(name, "voluntary-community", (name,)))
    assert saved.id is not None
    fetched = services.organisations.get(saved.id)
    assert fetched.name == name  # not normalised, not re-encoded
    assert fetched.aliases == (name,)
    assert services.organisations.find_by_name(name.upper()) == fetched
