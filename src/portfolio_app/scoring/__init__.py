"""The cross-sector breadth score: pure Python, no Qt, explainable (see docs/scoring.md).

Typical use: `inputs = load_inputs(services)`, `policy = policy_from_taxonomy(taxonomy)`, then
`score(inputs, policy, taxonomy, profile.home_sector_id, date.today())`.
"""

from portfolio_app.scoring.breadth import (
    BreadthResult,
    Contribution,
    Contributions,
    SectorResult,
    TrendPoint,
    WhatIf,
    quarter_ends,
    score,
    score_value,
    trend,
    what_if,
)
from portfolio_app.scoring.inputs import ActivityInput, ScoringInputs, build_inputs, load_inputs
from portfolio_app.scoring.policy import (
    DEFAULT_POLICY,
    ScoringPolicy,
    ScoringPolicyError,
    parse_policy,
    policy_from_taxonomy,
)

__all__ = [
    "DEFAULT_POLICY",
    "ActivityInput",
    "BreadthResult",
    "Contribution",
    "Contributions",
    "ScoringInputs",
    "ScoringPolicy",
    "ScoringPolicyError",
    "SectorResult",
    "TrendPoint",
    "WhatIf",
    "build_inputs",
    "load_inputs",
    "parse_policy",
    "policy_from_taxonomy",
    "quarter_ends",
    "score",
    "score_value",
    "trend",
    "what_if",
]
