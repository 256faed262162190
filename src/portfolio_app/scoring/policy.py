"""The scoring policy: every number the breadth score uses, read from the taxonomy's `scoring`.

The rules for the section are in portfolio_app.taxonomy.scoring_rules, so that the taxonomy file
validator (`taxonomy validate`, the editor) accepts exactly what scoring accepts; this module is
the scoring layer's name for them. See docs/scoring.md for what each parameter means.
"""

from __future__ import annotations

from portfolio_app.taxonomy import Taxonomy
from portfolio_app.taxonomy.scoring_rules import (
    DAYS_PER_UNIT,
    DEFAULT_POLICY,
    DEFAULT_SCALED,
    DEFAULT_WEIGHTS,
    MAX_LEVEL,
    ScoringPolicy,
    ScoringPolicyError,
    Weight,
    parse_policy,
)

__all__ = [
    "DAYS_PER_UNIT",
    "DEFAULT_POLICY",
    "DEFAULT_SCALED",
    "DEFAULT_WEIGHTS",
    "MAX_LEVEL",
    "ScoringPolicy",
    "ScoringPolicyError",
    "Weight",
    "parse_policy",
    "policy_from_taxonomy",
]


def policy_from_taxonomy(taxonomy: Taxonomy) -> ScoringPolicy:
    """The policy in the taxonomy's `scoring` section, defaults filling what it leaves out."""
    return parse_policy(taxonomy.scoring, source=f"taxonomy {taxonomy.id!r}")
