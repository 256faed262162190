"""Everything a breadth report is worked out from, gathered in one place.

The profile's home sector, the taxonomy's scoring policy, the scoring inputs and the goals are
read together here and nowhere else, so the dashboard, the activity dialog's preview, the
`score` command and the PDF cannot drift apart by assembling them differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portfolio_app.domain.records import Activity, Contact, Goal, Organisation
from portfolio_app.scoring import ScoringInputs, ScoringPolicy, build_inputs, policy_from_taxonomy
from portfolio_app.taxonomy import Taxonomy

if TYPE_CHECKING:
    from portfolio_app.services import AppServices


@dataclass(frozen=True)
class ReportInputs:
    """One set of inputs: what is scored, by which rules, against which home sector."""

    inputs: ScoringInputs
    policy: ScoringPolicy
    taxonomy: Taxonomy
    home_sector_id: str
    goals: tuple[Goal, ...] = ()


def load_report_inputs(services: AppServices) -> ReportInputs:
    """The whole portfolio as the user sees it in the app.

    Raises ProfileMissing without a profile and ScoringPolicyError for a taxonomy whose
    scoring section cannot be used (the policy is checked first: it costs no reading).
    """
    policy = policy_from_taxonomy(services.taxonomy)
    profile = services.profile.require()
    return report_inputs(
        services.activities.list_all(),
        services.organisations.list_all(),
        services.contacts.list_all(),
        services.goals.list_all(),
        taxonomy=services.taxonomy,
        home_sector_id=profile.home_sector_id,
        policy=policy,
    )


def report_inputs(
    activities: Iterable[Activity],
    organisations: Iterable[Organisation],
    contacts: Iterable[Contact],
    goals: Iterable[Goal],
    *,
    taxonomy: Taxonomy,
    home_sector_id: str,
    policy: ScoringPolicy | None = None,
) -> ReportInputs:
    """Inputs from records already chosen (the PDF counts only what it may show)."""
    return ReportInputs(
        build_inputs(activities, organisations, contacts),
        policy if policy is not None else policy_from_taxonomy(taxonomy),
        taxonomy,
        home_sector_id,
        tuple(goals),
    )
