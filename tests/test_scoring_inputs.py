"""ScoringInputs: read from a real SQLite database once, laid out for fast scoring."""

from __future__ import annotations

import random
from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.scoring import (
    ActivityInput,
    ScoringInputs,
    build_inputs,
    load_inputs,
    policy_from_taxonomy,
    score,
)
from portfolio_app.services import AppServices

AT = date(2026, 6, 30)


def test_load_inputs_reads_the_database(with_profile: AppServices) -> None:
    services = with_profile
    council = services.organisations.find_by_name("Northshire Council")
    police = services.organisations.create(Organisation("Northshire Police", "police"))
    school = services.organisations.create(Organisation("Northshire Academy", "education"))
    assert council and council.id and police.id and school.id
    tom = services.contacts.create(
        Contact("Tom Reed", roles=(ContactRole(police.id, "DS", date(2020, 1, 1), None),))
    )
    assert tom.id
    add = services.activities.create
    patrol = add(
        Activity(
            ActivityType.SHADOWING,
            "Ride-along",
            date(2026, 2, 3),
            organisation_ids=(council.id,),
            contact_ids=(tom.id,),
        )
    )
    visit = add(
        Activity(
            ActivityType.SECONDMENT,
            "Term at the academy",
            date(2025, 9, 1),
            date(2025, 12, 19),
            organisation_ids=(school.id,),
            extra_sector_ids=("voluntary-community",),
        )
    )
    plan = add(
        Activity(
            ActivityType.PEER_EVENT,
            "Planned event",
            date(2026, 9, 1),
            organisation_ids=(police.id,),
            status=Status.PLANNED,
        )
    )
    inputs = load_inputs(services)

    by_id = {a.id: a for a in inputs.activities}
    assert set(by_id) == {patrol.id, visit.id, plan.id}
    assert inputs.signatures[by_id[patrol.id].signature] == ("adult-social-care", "police")
    assert inputs.signatures[by_id[visit.id].signature] == ("education", "voluntary-community")
    assert by_id[visit.id].type is ActivityType.SECONDMENT
    assert (by_id[visit.id].start, by_id[visit.id].last) == (
        date(2025, 9, 1).toordinal(),
        date(2025, 12, 19).toordinal(),
    )
    assert by_id[patrol.id].contacts == 1
    assert by_id[plan.id].done is False and by_id[patrol.id].done is True
    assert inputs.organisation_sectors[police.id] == "police"
    assert inputs.contact_roles[tom.id] == (
        (police.id, date(2020, 1, 1).toordinal(), date.max.toordinal() + 1),
    )

    # The same score as building from the records the services list.
    policy = policy_from_taxonomy(services.taxonomy)
    again = build_inputs(
        services.activities.list_all(),
        services.organisations.list_all(),
        services.contacts.list_all(),
    )
    home = "adult-social-care"
    first = score(inputs, policy, services.taxonomy, home, AT)
    assert first == score(again, policy, services.taxonomy, home, AT)
    assert first.sectors_reached == 3  # police, education, voluntary (planned police adds none)


def test_load_inputs_of_an_empty_database(services: AppServices) -> None:
    inputs = load_inputs(services)
    assert inputs.activities == () and inputs.signatures == ()
    result = score(inputs, policy_from_taxonomy(services.taxonomy), services.taxonomy, "nhs", AT)
    assert (result.score, result.sectors_reached, result.balance) == (0.0, 0, 0.0)


def test_activities_are_grouped_by_signature_whatever_the_order_given() -> None:
    organisations = [Organisation(s, s, id=i + 1) for i, s in enumerate(["police", "nhs"])]
    records = [
        Activity(
            ActivityType.PEER_EVENT,
            f"Event {i}",
            date(2026, 1, 1 + i),
            organisation_ids=(1 + i % 2,) if i % 3 else (),
            extra_sector_ids=("education",) if i % 4 == 0 else (),
            id=i + 1,
        )
        for i in range(20)
    ]
    shuffled = list(records)
    random.Random(3).shuffle(shuffled)
    a, b = build_inputs(records, organisations, ()), build_inputs(shuffled, organisations, ())
    assert a.signatures == b.signatures == tuple(sorted(a.signatures))
    for inputs in (a, b):
        runs = [x.signature for x in inputs.activities]
        assert runs == sorted(runs)
        for signature, (low, high) in enumerate(inputs.bounds):
            assert {x.signature for x in inputs.activities[low:high]} == {signature}


def test_inputs_must_be_grouped_by_signature() -> None:
    def item(ident: int, signature: int) -> ActivityInput:
        return ActivityInput(ident, "x", 0, 1, 1, True, signature, 0)

    with pytest.raises(ValueError, match="grouped"):
        ScoringInputs((item(1, 0), item(2, 1), item(3, 0)), (("nhs",), ("police",)))
    with pytest.raises(ValueError, match="grouped"):
        ScoringInputs((item(1, 2),), (("nhs",),))


def test_the_sectors_of_many_activities_equal_those_of_each_one() -> None:
    """inputs_from works each activity's sectors out with shared parts kept (per pair of
    links, per contact, per set): the signatures equal `activity_sectors` of each activity,
    including contacts met outside their roles' dates, unknown organisations and '' sectors."""
    from portfolio_app.scoring.inputs import activity_sectors

    chance = random.Random(12)
    organisation_sectors = {1: "police", 2: "nhs", 3: "", 4: "education", 5: "police"}
    roles = {
        10: ((1, 0, 800_000), (2, 738_000, 738_100)),
        11: ((4, 738_050, 10**7), (99, 0, 10**7)),
        12: (),
        13: ((3, 0, 10**7),),
    }
    activities = [
        Activity(
            ActivityType.SHADOWING,
            f"Siân {n}",
            date.fromordinal(chance.randrange(737_990, 738_160)),
            organisation_ids=tuple(chance.sample([1, 2, 3, 4, 5, 77], chance.randrange(3))),
            extra_sector_ids=tuple(chance.sample(["fire-rescue", "", "nhs"], chance.randrange(3))),
            contact_ids=tuple(chance.choices([10, 11, 12, 13, 55], k=chance.randrange(4))),
            id=n + 1,
        )
        for n in range(400)
    ]
    inputs = build_inputs(
        activities,
        [Organisation(f"Org {i}", s, id=i) for i, s in organisation_sectors.items()],
        [
            Contact(
                f"Zoë {c}",
                roles=tuple(
                    ContactRole(
                        o, "", date.fromordinal(max(f, 1)), date.fromordinal(min(la, 3_000_000))
                    )
                    for o, f, la in spans
                ),
                id=c,
            )
            for c, spans in roles.items()
        ],
    )
    by_id = {a.id: a for a in activities}
    for item in inputs.activities:
        expected = activity_sectors(
            by_id[item.id], inputs.organisation_sectors, inputs.contact_roles
        )
        assert inputs.signatures[item.signature] == expected
    assert len(inputs.signatures) > 10
    layout = [(a.signature, a.id) for a in inputs.activities]
    assert layout == sorted(layout) and len(layout) == len(activities)
