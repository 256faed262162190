"""The worked example of docs/scoring.md, number for number, through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.scoring import (
    BreadthResult,
    ScoringInputs,
    load_inputs,
    policy_from_taxonomy,
    score,
    trend,
    what_if,
)
from portfolio_app.scoring.engagement import MONTH_DAYS, recency
from portfolio_app.services import AppServices

AT = date(2026, 6, 30)
HOME = "adult-social-care"


def six(value: float) -> object:
    """As printed in the docs, to six decimals."""
    return pytest.approx(value, abs=5e-7)


def two(value: float) -> object:
    return pytest.approx(value, abs=0.005)


@dataclass
class Example:
    services: AppServices
    inputs: ScoringInputs
    result: BreadthResult
    hospital_id: int


@pytest.fixture
def example(with_profile: AppServices) -> Example:
    services = with_profile
    council = services.organisations.find_by_name("Northshire Council")
    assert council is not None and council.id is not None
    create = services.organisations.create
    hospital = create(Organisation("St Elsewhere Hospital", "acute-trusts"))
    police = create(Organisation("Northshire Police", "police"))
    jobcentre = create(Organisation("Northshire Jobcentre Plus", "employment-services"))
    mind = create(Organisation("Northshire Mind", "voluntary-community"))
    assert hospital.id and police.id and jobcentre.id and mind.id
    priya = services.contacts.create(
        Contact(
            "Priya Shah",
            roles=(
                ContactRole(jobcentre.id, "Work coach", None, date(2025, 6, 30)),
                ContactRole(mind.id, "Service manager", date(2025, 7, 1), None),
            ),
        )
    )
    tom = services.contacts.create(
        Contact("Tom Reed", roles=(ContactRole(police.id, "Detective sergeant"),))
    )
    assert priya.id and tom.id
    add = services.activities.create
    add(
        Activity(
            ActivityType.SECONDMENT,
            "Secondment to the hospital discharge team",
            date(2024, 7, 1),
            date(2024, 12, 31),
            organisation_ids=(hospital.id,),
        )
    )
    add(
        Activity(
            ActivityType.MENTORING_RECEIVED,
            "Mentoring with Priya",
            date(2025, 3, 10),
            contact_ids=(priya.id,),
        )
    )
    add(
        Activity(
            ActivityType.PEER_EVENT,
            "Multi-agency discharge summit",
            date(2026, 3, 12),
            organisation_ids=(council.id, hospital.id, police.id, mind.id),
            contact_ids=(priya.id, tom.id),
        )
    )
    add(
        Activity(
            ActivityType.SHADOWING,
            "Shadowing the children's services front door",
            date(2026, 5, 1),
            extra_sector_ids=("childrens-services",),
        )
    )
    add(
        Activity(
            ActivityType.JOINT_PROJECT,
            "Joint project with the fire service",
            date(2026, 9, 1),
            extra_sector_ids=("fire-rescue",),
            status=Status.PLANNED,
        )
    )
    inputs = load_inputs(services)
    policy = policy_from_taxonomy(services.taxonomy)
    result = score(inputs, policy, services.taxonomy, HOME, AT)
    return Example(services, inputs, result, hospital.id)


def test_the_activity_values_match_the_docs() -> None:
    months = (184 / MONTH_DAYS, 546 / MONTH_DAYS, 477 / MONTH_DAYS, 110 / MONTH_DAYS)
    assert months == pytest.approx((6.045, 17.938, 15.671, 3.614), abs=5e-4)
    assert recency(546, 24) == six(0.595662)
    assert 6.0 * recency(546, 24) == six(3.573974)
    assert recency(477, 24) == six(0.635966)
    assert 1.1 * recency(477, 24) == six(0.699563)
    assert recency(110, 24) == six(0.900887)
    assert 0.7 * recency(110, 24) == six(0.630621)
    assert 0.7 * recency(110, 24) / 3 == six(0.210207)


def test_the_score_and_its_figures_match_the_docs(example: Example) -> None:
    result = example.result
    assert result.sector_count == 10
    assert result.home_sector_id == "local-government"
    assert result.score == two(18.60)
    assert result.score == pytest.approx(100 * 1.859637 / 10, abs=5e-5)
    assert result.sectors_reached == 4
    assert result.balance == two(2.11)
    assert result.balance == pytest.approx(2.112455, abs=5e-6)
    assert (result.policy_id, result.policy_version) == ("portfolio-default", "1")


def test_each_sector_matches_the_docs(example: Example) -> None:
    result = example.result
    expected = {
        "nhs": (3.784181, 0.977273),
        "employment-services": (0.699563, 0.503198),
        "police": (0.210207, 0.189584),
        "voluntary-community": (0.210207, 0.189584),
    }
    for sector in result.sectors:
        engagement, coverage = expected.get(sector.id, (0.0, 0.0))
        assert sector.engagement == six(engagement), sector.id
        assert sector.coverage == six(coverage), sector.id
        assert sector.reached is (sector.id in expected)
    # Priya was at the Jobcentre on 10 March 2025, so mentoring B is not voluntary-sector work.
    assert [c.title for c in result.sector("voluntary-community").contributions] == [
        "Multi-agency discharge summit"
    ]
    nhs = result.sector("nhs").contributions
    assert [c.title for c in nhs] == [
        "Secondment to the hospital discharge team",
        "Multi-agency discharge summit",
    ]
    assert [c.amount for c in nhs] == [six(3.573974), six(0.210207)]
    assert result.sector("fire-rescue").contributions == ()  # planned: counts nothing


def test_what_if_matches_the_docs(example: Example) -> None:
    services, inputs = example.services, example.inputs
    policy = policy_from_taxonomy(services.taxonomy)
    second = Activity(
        ActivityType.SECONDMENT,
        "Second secondment to the hospital",
        date(2026, 1, 1),
        date(2026, 6, 30),
        organisation_ids=(example.hospital_id,),
    )
    gain = what_if(inputs, policy, services.taxonomy, HOME, AT, second)
    assert gain.before == two(18.60)
    assert gain.after == two(18.82)
    assert gain.gain == two(0.23)
    assert gain.shares == {"nhs": six(5.946612)}
    probation = Activity(
        ActivityType.SHADOWING,
        "Shadowing a probation officer",
        date(2026, 6, 1),
        extra_sector_ids=("justice",),
    )
    gain = what_if(inputs, policy, services.taxonomy, HOME, AT, probation)
    assert gain.shares == {"justice": six(0.729644)}
    assert (gain.after, gain.gain) == (two(23.78), two(5.18))
    # Logged, the second secondment gives the same score and lowers the balance.
    services.activities.create(second)
    after = score(load_inputs(services), policy, services.taxonomy, HOME, AT)
    assert after.score == two(18.82)
    assert after.balance == two(1.53)


def test_trend_matches_the_docs(example: Example) -> None:
    services = example.services
    policy = policy_from_taxonomy(services.taxonomy)
    points = trend(example.inputs, policy, services.taxonomy, HOME, AT)
    assert len(points) == 12
    assert (points[0].at, points[-1].at) == (date(2023, 9, 30), AT)
    by_date = {p.at: p.score for p in points}
    assert by_date[date(2024, 6, 30)] == 0
    assert by_date[date(2024, 9, 30)] == two(9.51)
    assert by_date[date(2024, 12, 31)] == two(9.98)
    assert by_date[date(2025, 3, 31)] == two(16.56)
    assert by_date[date(2025, 12, 31)] == two(15.50)
    assert by_date[date(2026, 3, 31)] == two(19.27)
    assert by_date[AT] == example.result.score
