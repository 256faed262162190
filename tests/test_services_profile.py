"""The profile on a real SQLite file, and everything surviving a close and reopen."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
    Profile,
)
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.errors import ProfileExists, ProfileMissing


def _set_up(
    services: AppServices,
    sector: str,
    *,
    name: str = "Siân Jones",
    organisation: str = "Northshire Council",
    force: bool = False,
) -> Profile:
    return services.profile.set_up(
        name=name, role="Social worker", organisation=organisation, sector=sector, force=force
    )


def test_no_profile_until_one_is_set_up(services: AppServices) -> None:
    assert services.profile.get() is None
    with pytest.raises(ProfileMissing, match="no profile is set up yet: run 'portfolio-app init'"):
        services.profile.require()


@pytest.mark.parametrize(
    "sector",
    [
        "adult-social-care",
        "ADULT-SOCIAL-CARE",
        "Adult social care",
        "adult  SOCIAL care ",
        "ASC",
        "asc",
        "Social Services",
    ],
)
def test_sector_resolves_by_id_label_or_alias_in_any_case(
    services: AppServices, sector: str
) -> None:
    profile = _set_up(services, sector)
    assert profile.home_sector_id == "adult-social-care"
    assert services.profile.require() == profile
    home = services.organisations.get(profile.home_organisation_id)
    assert (home.name, home.sector_id) == ("Northshire Council", "adult-social-care")


def test_set_up_stores_trimmed_details(services: AppServices) -> None:
    profile = services.profile.set_up(
        name="  Łukasz Nowak ",
        role=" Work coach ",
        organisation=" Jobcentre Plus North ",
        sector="JCP",
    )
    assert profile == Profile(
        "Łukasz Nowak",
        "Work coach",
        profile.home_organisation_id,
        "Jobcentre Plus North",
        "employment-services",
    )


def test_invalid_details_name_every_field(services: AppServices) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        services.profile.set_up(name=" ", role="", organisation="", sector="Ministry of Magic")
    messages = {e.field: e.message for e in excinfo.value.errors}
    assert messages == {
        "name": "is required",
        "organisation": "is required",
        "sector": "unknown sector 'Ministry of Magic'",
    }
    assert services.profile.get() is None
    assert services.organisations.list_all() == []


def test_a_second_profile_needs_force(services: AppServices) -> None:
    first = _set_up(services, "adult-social-care")
    with pytest.raises(ProfileExists, match="a profile already exists; use --force"):
        _set_up(services, "police", name="Zoë Hart", organisation="Northshire Police")
    assert services.profile.require() == first
    assert [o.name for o in services.organisations.list_all()] == ["Northshire Council"]

    second = _set_up(
        services, "Police", name="Zoë Hart", organisation="Northshire Police", force=True
    )
    assert services.profile.require() == second
    assert (second.name, second.home_organisation, second.home_sector_id) == (
        "Zoë Hart",
        "Northshire Police",
        "police",
    )
    assert second.home_organisation_id != first.home_organisation_id
    # The old home organisation stays as an ordinary organisation.
    old_home = services.organisations.get(first.home_organisation_id)
    assert old_home.name == "Northshire Council"
    assert services.organisations.usage(first.home_organisation_id).is_home is False


def test_an_existing_organisation_is_reused_by_name_or_alias(services: AppServices) -> None:
    existing = services.organisations.create(
        Organisation("Northshire County Council", "local-government", ("NCC",))
    )
    profile = _set_up(services, "adult-social-care", organisation="ncc")
    assert profile.home_organisation_id == existing.id
    assert profile.home_organisation == "Northshire County Council"
    # The sector the user gave is the one the home organisation now has.
    assert services.organisations.get(profile.home_organisation_id).sector_id == (
        "adult-social-care"
    )
    assert len(services.organisations.list_all()) == 1


def test_data_persists_after_closing_and_reopening(paths: AppPaths) -> None:
    first = open_services(paths)
    try:
        profile = _set_up(first, "ASC")
        org = first.organisations.create(Organisation("Ødegård Omsorg", "care-homes", ("ØO",)))
        assert org.id is not None
        contact = first.contacts.create(
            Contact("Zoë", "notes", (ContactRole(org.id, "Manager", date(2024, 1, 1)),))
        )
        assert contact.id is not None
        activity = first.activities.create(
            Activity(
                ActivityType.SHADOWING,
                "Shadowed Zoë",
                date(2026, 1, 1),
                hours=3.25,
                organisation_ids=(org.id,),
                extra_sector_ids=("home-care",),
                contact_ids=(contact.id,),
            )
        )
        lesson = first.lessons.create(
            Lesson(
                "Łukasz's tip",
                activity_id=activity.id,
                sections={LessonSection.WHAT_WORKED: LessonField("Tea first", shared=True)},
            )
        )
        assert activity.id is not None and lesson.id is not None
    finally:
        first.close()

    again = open_services(paths)
    try:
        assert again.profile.require() == profile
        assert again.organisations.get(org.id) == org
        assert again.contacts.get(contact.id) == contact
        assert again.activities.get(activity.id) == activity
        assert again.lessons.get(lesson.id) == lesson
        assert len(again.organisations.list_all()) == 2
    finally:
        again.close()
