"""An export reads only the contacts some activity names (issue 12: a 20,000-contact address
book no longer loads for a 559-activity PDF), in the list's order, damaged ones left out as the
contacts list leaves them."""

from __future__ import annotations

from datetime import date

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.export.selection import load_records
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from test_damaged_rows import _write_raw


def test_only_the_contacts_an_activity_names_are_read(paths: AppPaths, data_key: bytes) -> None:
    services = open_services(paths)
    try:
        services.profile.set_up(
            name="Siân Jones", role="Nurse", organisation="Zoë Trust", sector="nhs"
        )
        trust = services.organisations.create(Organisation("Łukasz Trust", "nhs"))
        role = (ContactRole(trust.id or 0, "Lead", date(2024, 1, 1)),)
        people = [
            services.contacts.create(Contact(name, notes="private note", roles=role))
            for name in ("Zoë Met", "Ann Never", "siân met", "Bad Met", "Bob Never")
        ]
        met = [people[0], people[2], people[3]]
        for n, person in enumerate(met):
            services.activities.create(
                Activity(
                    ActivityType.SHADOWING,
                    f"Visit {n}",
                    date(2025, 1, 1 + n),
                    contact_ids=(person.id or 0,) if n else (person.id or 0, met[2].id or 0),
                )
            )
        bad = people[3].id
        damage = f"UPDATE contact_roles SET start_date = 'soon' WHERE contact_id = {bad}"
        _write_raw(paths, data_key, damage)
    finally:
        services.close()
    services = open_services(paths)
    try:
        listed = services.contacts.listing()
        assert bad in {d.id for d in listed.damaged}
        linked = services.contacts.linked_to_activities()
        wanted = {people[0].id, people[2].id}
        assert linked == [c for c in listed.records if c.id in wanted]
        assert [c.name for c in linked] == ["Zoë Met", "siân met"]  # the list's order
        assert linked[0].roles == role
        assert load_records(services).contacts == tuple(linked)
    finally:
        services.close()
