"""Concrete next steps for the sectors a portfolio has not reached yet (the "gaps").

The research behind Portfolio found that secondments, mentoring pairs, shadowing and joint events
across agencies are what build a cross-sector network. A gap is more useful with a step someone
could put in the diary, so each sector of the shipped taxonomy has one or two written for it;
sectors an HR taxonomy adds get a suggestion built from their label.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity
from portfolio_app.scoring.breadth import BreadthResult, SectorResult
from portfolio_app.taxonomy import Taxonomy

# Below this coverage a sector is a gap: not reached, or reached only lightly (one peer event
# gives about 40%, one mentoring pair about 65%).
LITTLE_COVERAGE = 0.5


@dataclass(frozen=True)
class Suggestion:
    type: ActivityType
    title: str


def _s(activity_type: ActivityType, title: str) -> Suggestion:
    return Suggestion(activity_type, title)


_T = ActivityType
# Keyed by the ids of resources/taxonomy/default.json; sub-sectors first find their own entry,
# then their parent's.
SUGGESTIONS: dict[str, tuple[Suggestion, ...]] = {
    "local-government": (
        _s(_T.SHADOWING, "Shadow a council duty social work team for a day"),
        _s(_T.JOINT_PROJECT, "Join a council-led project on a shared local priority"),
    ),
    "adult-social-care": (
        _s(_T.SHADOWING, "Shadow a social worker on an adult safeguarding visit"),
        _s(_T.MENTORING_RECEIVED, "Set up a mentoring pair with an adult social care manager"),
    ),
    "childrens-services": (
        _s(_T.SHADOWING, "Spend a day with the children's services front door team"),
        _s(_T.PEER_EVENT, "Join a multi-agency child protection learning event"),
    ),
    "council-housing": (
        _s(_T.SHADOWING, "Shadow a council housing options officer for a day"),
        _s(_T.PEER_EVENT, "Attend a homelessness prevention forum"),
    ),
    "public-health": (
        _s(_T.JOINT_PROJECT, "Work with public health on a joint needs assessment"),
        _s(_T.PEER_EVENT, "Attend a local public health network event"),
    ),
    "nhs": (
        _s(_T.SHADOWING, "Shadow a hospital discharge team for a day"),
        _s(_T.SECONDMENT, "Ask about a short secondment to the integrated care board"),
    ),
    "acute-trusts": (
        _s(_T.SHADOWING, "Shadow a hospital discharge team for a day"),
        _s(_T.PEER_EVENT, "Sit in on a hospital's multi-agency discharge meeting"),
    ),
    "community-trusts": (
        _s(_T.SHADOWING, "Go out for a day with a district nursing team"),
        _s(_T.MENTORING_RECEIVED, "Set up a mentoring pair with a community health lead"),
    ),
    "mental-health-trusts": (
        _s(_T.SHADOWING, "Shadow a community mental health crisis team"),
        _s(_T.ACTION_LEARNING, "Join an action-learning set with mental health staff"),
    ),
    "integrated-care-boards": (
        _s(_T.SECONDMENT, "Ask about a short secondment to the integrated care board"),
        _s(_T.PEER_EVENT, "Attend a place-based partnership meeting of the ICB"),
    ),
    "primary-care": (
        _s(_T.SHADOWING, "Spend a morning with a GP practice care coordinator"),
        _s(_T.MENTORING_GIVEN, "Offer a mentoring pair to a social prescribing link worker"),
    ),
    "police": (
        _s(_T.SHADOWING, "Shadow a police safeguarding team for a day"),
        _s(_T.JOINT_PROJECT, "Join a neighbourhood policing problem-solving project"),
    ),
    "fire-rescue": (
        _s(_T.SHADOWING, "Go on a fire service safe and well visit"),
        _s(_T.PEER_EVENT, "Attend a joint community safety event with the fire service"),
    ),
    "justice": (
        _s(_T.SHADOWING, "Shadow a probation officer at court for a day"),
        _s(_T.MENTORING_RECEIVED, "Set up a mentoring pair with a probation practitioner"),
    ),
    "employment-services": (
        _s(_T.SHADOWING, "Shadow a Jobcentre work coach for a morning"),
        _s(_T.PEER_EVENT, "Attend a local employment and skills partnership event"),
    ),
    "care-providers": (
        _s(_T.SHADOWING, "Spend a day with a home care team"),
        _s(_T.MENTORING_GIVEN, "Offer a mentoring pair to a care home manager"),
    ),
    "care-homes": (
        _s(_T.SHADOWING, "Spend a day in a care home alongside the manager"),
        _s(_T.MENTORING_GIVEN, "Offer a mentoring pair to a care home manager"),
    ),
    "home-care": (
        _s(_T.SHADOWING, "Go out with a home care worker on a morning round"),
        _s(_T.PEER_EVENT, "Attend a home care providers' forum"),
    ),
    "education": (
        _s(_T.SHADOWING, "Shadow a school's designated safeguarding lead"),
        _s(_T.JOINT_PROJECT, "Work with a college on a joint project for care leavers"),
    ),
    "housing-associations": (
        _s(_T.SHADOWING, "Shadow a housing association tenancy support officer"),
        _s(_T.JOINT_PROJECT, "Work with a housing association on a joint case review"),
    ),
    "voluntary-community": (
        _s(_T.SHADOWING, "Spend a day with a local advice charity"),
        _s(_T.MENTORING_RECEIVED, "Set up a mentoring pair with a local charity manager"),
    ),
    "central-government": (
        _s(_T.ACTION_LEARNING, "Join a cross-government action-learning set"),
        _s(_T.SECONDMENT, "Ask about a short secondment to a government department"),
    ),
}


def suggestions_for(sector_id: str, taxonomy: Taxonomy) -> tuple[Suggestion, ...]:
    """One or two concrete steps towards `sector_id` (its own, its nearest ancestor's, or
    built from its label when the taxonomy is not the shipped one)."""
    chain = [s.id for s in reversed(taxonomy.ancestry(sector_id))] or [sector_id]
    for candidate in chain:
        found = SUGGESTIONS.get(candidate)
        if found:
            return found
    label = taxonomy.label(sector_id)
    return (
        _s(_T.SHADOWING, f"Shadow a colleague in {label} for a day"),
        _s(_T.MENTORING_RECEIVED, f"Set up a mentoring pair with someone in {label}"),
    )


def gaps(result: BreadthResult, little: float = LITTLE_COVERAGE) -> list[SectorResult]:
    """Sectors with no or little coverage, least covered first (ties in taxonomy order)."""
    return sorted((s for s in result.sectors if s.coverage < little), key=lambda s: s.coverage)


def month_ahead(day: date) -> date:
    """The same day next month (the month's last day when it is shorter)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_activity(suggestion: Suggestion, sector_id: str, today: date) -> Activity:
    """The suggestion as a planned activity a month ahead, in the gap's sector. Planned work
    counts nothing until it is marked done, so planning never changes the score."""
    return Activity(
        type=suggestion.type,
        title=suggestion.title,
        start=month_ahead(today),
        extra_sector_ids=(sector_id,),
        status=Status.PLANNED,
    )
