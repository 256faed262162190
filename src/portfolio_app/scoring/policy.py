"""The scoring policy: every number the breadth score uses, read from the taxonomy's `scoring`.

HR keeps these next to the sector list, so one file decides both what the sectors are and how
work across them is credited. Anything the file leaves out takes the default below; anything it
gets wrong is refused with the place and the reason (a typo must not silently change scores).
See docs/scoring.md for what each parameter means.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from portfolio_app.domain.enums import ActivityType
from portfolio_app.taxonomy import Taxonomy, TaxonomyError

DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}

DEFAULT_WEIGHTS: dict[ActivityType, float] = {
    ActivityType.SECONDMENT: 1.0,  # per month, see DEFAULT_SCALED
    ActivityType.MENTORING_GIVEN: 1.0,
    ActivityType.MENTORING_RECEIVED: 1.0,
    ActivityType.SHADOWING: 0.75,
    ActivityType.PEER_EVENT: 0.5,
    ActivityType.JOINT_PROJECT: 1.0,
    ActivityType.ACTION_LEARNING: 0.75,
    ActivityType.TRAINING: 0.25,
    ActivityType.OTHER: 0.25,
}
DEFAULT_SCALED: frozenset[ActivityType] = frozenset({ActivityType.SECONDMENT})

MAX_LEVEL = 20
Weight = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]


class ScoringPolicyError(TaxonomyError):
    """A `scoring` section that cannot be used; `problems` lists each with its place.

    A kind of TaxonomyError, since the policy lives in the taxonomy file: whoever reports a bad
    taxonomy (the CLI, the first-run screen) reports a bad policy the same way.
    """

    def __init__(self, problems: list[str], source: str = "taxonomy") -> None:
        super().__init__(source, problems)


class ScoringPolicy(BaseModel):
    """A validated, immutable scoring policy. Build it with `policy_from_taxonomy`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(default="portfolio-default", pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=64)
    name: str = Field(default="Cross-sector breadth", min_length=1, max_length=200)
    version: str = Field(default="1", min_length=1, max_length=64)
    description: str = ""
    # Depth of one activity of each type (per duration unit for the types in scale_with_duration).
    weights: dict[ActivityType, Weight] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scale_with_duration: frozenset[ActivityType] = DEFAULT_SCALED
    duration_unit: Literal["day", "week", "month"] = "month"
    duration_cap: float = Field(default=6.0, ge=1, le=10_000, allow_inf_nan=False)
    contact_weight: float = Field(default=0.1, ge=0, le=1000, allow_inf_nan=False)
    half_life_months: float = Field(default=24.0, gt=0, le=10_000, allow_inf_nan=False)
    saturation: float = Field(default=1.0, gt=0, le=10_000, allow_inf_nan=False)
    home_factor: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    level: Literal["top"] | int = "top"
    reach_threshold: float = Field(default=0.1, gt=0, lt=1, allow_inf_nan=False)

    @field_validator("weights", mode="before")
    @classmethod
    def _fill_weights(cls, value: Any) -> Any:
        """A file may name only the types it changes; the others keep their default weight."""
        if isinstance(value, Mapping):
            given = {
                str(k.value if isinstance(k, ActivityType) else k): w for k, w in value.items()
            }
            return {**{t.value: w for t, w in DEFAULT_WEIGHTS.items()}, **given}
        return value

    @field_validator("level", mode="before")
    @classmethod
    def _check_level(cls, value: Any) -> Any:
        if value == "top" or (type(value) is int and 1 <= value <= MAX_LEVEL):
            return value
        raise ValueError(f'use "top" or a depth from 1 (top-level sectors) to {MAX_LEVEL}')

    @property
    def depth_level(self) -> int:
        """The hierarchy depth sectors are compared at (1 = top-level sectors)."""
        return 1 if self.level == "top" else int(self.level)

    @property
    def unit_days(self) -> float:
        return DAYS_PER_UNIT[self.duration_unit]

    def weight(self, activity_type: ActivityType) -> float:
        return self.weights.get(activity_type, DEFAULT_WEIGHTS[activity_type])


DEFAULT_POLICY = ScoringPolicy()


def parse_policy(
    section: Mapping[str, Any] | None, source: str = "taxonomy", where: str = "scoring"
) -> ScoringPolicy:
    """Validate a raw `scoring` section (None means every default)."""
    if section is None:
        return DEFAULT_POLICY
    if not isinstance(section, Mapping):
        raise ScoringPolicyError(
            [f"{where}: must be an object, not {type(section).__name__}"], source
        )
    try:
        return ScoringPolicy.model_validate(dict(section))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"] if p != "[key]"]  # '[key]': a dict key was wrong
            message = err["msg"].removeprefix("Value error, ")
            problems.append(f"{'.'.join([where, *loc])}: {message}")
        raise ScoringPolicyError(list(dict.fromkeys(problems)), source) from exc


def policy_from_taxonomy(taxonomy: Taxonomy) -> ScoringPolicy:
    """The policy in the taxonomy's `scoring` section, defaults filling what it leaves out."""
    return parse_policy(taxonomy.scoring, source=f"taxonomy {taxonomy.id!r}")
