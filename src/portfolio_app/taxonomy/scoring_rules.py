"""The rules for a taxonomy's `scoring` section: one parser every command uses.

The section lives in the taxonomy file, so `taxonomy validate` must accept exactly what
`score` and `export-pdf` accept. The rules are therefore here, in the taxonomy layer the file
validator can import; portfolio_app.scoring.policy re-exports them and interprets the numbers.
Anything the section leaves out takes the default below; anything it gets wrong is refused with
its JSON path and the reason (a typo must not silently change scores). See docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from portfolio_app.domain.enums import ActivityType
from portfolio_app.taxonomy.errors import Location, Problem, TaxonomyError
from portfolio_app.taxonomy.json_words import json_kind, json_number, shown

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
WEIGHT_MIN, WEIGHT_MAX = 0, 1000
# Strict: JSON true or "0.5" is a slip in the file, not a number (an integer is still fine).
Weight = Annotated[float, Field(ge=WEIGHT_MIN, le=WEIGHT_MAX, allow_inf_nan=False, strict=True)]


class ScoringPolicyError(TaxonomyError):
    """A `scoring` section that cannot be used; `problems` lists each with its place.

    A kind of TaxonomyError, since the policy lives in the taxonomy file: whoever reports a bad
    taxonomy (the CLI, the first-run screen) reports a bad policy the same way.
    """

    def __init__(self, problems: list[str] | list[Problem], source: str = "taxonomy") -> None:
        super().__init__(source, problems)


class ScoringPolicy(BaseModel):
    """A validated, immutable scoring policy. Build it with `parse_policy`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(default="portfolio-default", pattern=r"^[a-z0-9][a-z0-9.-]*$", max_length=64)
    name: str = Field(default="Cross-sector breadth", min_length=1, max_length=200)
    version: str = Field(default="1", min_length=1, max_length=64)
    description: str = ""
    # Depth of one activity of each type (per duration unit for the types in scale_with_duration).
    weights: dict[ActivityType, Weight] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scale_with_duration: frozenset[ActivityType] = DEFAULT_SCALED
    duration_unit: Literal["day", "week", "month"] = "month"
    duration_cap: float = Field(default=6.0, ge=1, le=10_000, allow_inf_nan=False, strict=True)
    contact_weight: float = Field(default=0.1, ge=0, le=1000, allow_inf_nan=False, strict=True)
    half_life_months: float = Field(default=24.0, gt=0, le=10_000, allow_inf_nan=False, strict=True)
    saturation: float = Field(default=1.0, gt=0, le=10_000, allow_inf_nan=False, strict=True)
    home_factor: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False, strict=True)
    level: Literal["top"] | int = "top"
    reach_threshold: float = Field(default=0.1, gt=0, lt=1, allow_inf_nan=False, strict=True)

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
        raise ValueError(
            f'use "top" or a depth from 1 (top-level sectors) to {MAX_LEVEL} (got {shown(value)})'
        )

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
    """Validate a raw `scoring` section (None means every default). Raises ScoringPolicyError."""
    policy, problems = check_scoring(section, (where,))
    if policy is None:
        raise ScoringPolicyError(problems, source)
    return policy


def scoring_problems(section: object, path: Location = ("scoring",)) -> list[Problem]:
    """Every problem in a `scoring` section, each at its JSON path (for the file validator)."""
    return check_scoring(section, path)[1]


def check_scoring(
    section: object, path: Location = ("scoring",)
) -> tuple[ScoringPolicy | None, list[Problem]]:
    """The policy, or None and every problem; the one place the section's rules are applied."""
    if section is None:
        return DEFAULT_POLICY, []
    if not isinstance(section, Mapping):
        return None, [_at(path, f"must be an object {{ ... }}, not {json_kind(section)}")]
    try:
        return ScoringPolicy.model_validate(dict(section)), []
    except ValidationError as exc:
        problems = [_at((*path, *_loc(err)), _message(err)) for err in exc.errors()]
        return None, list(dict.fromkeys(problems))
    except RecursionError:
        return None, [_at(path, "is nested too deeply to read")]


def _loc(err: ErrorDetails) -> Location:
    # '[key]' marks a wrong dict key (weights.lunch); the key itself is the place.
    return tuple(p for p in err["loc"] if p != "[key]")


def _at(path: Location, message: str) -> Problem:
    return Problem(message, ".".join(str(p) for p in path), path)


def _message(err: ErrorDetails) -> str:
    """Pydantic's error in plain words, with the permitted range and the value given."""
    kind = err["type"]
    loc = _loc(err)
    value = err.get("input")
    name = str(loc[0]) if loc else ""
    if kind == "extra_forbidden":
        known = ", ".join(ScoringPolicy.model_fields)
        return f"unknown setting {name!r}; the settings are: {known}"
    if kind == "enum":
        types = ", ".join(t.value for t in ActivityType)
        return f"{shown(value)} is not an activity type; use one of: {types}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    bounds = _bounds(name)
    if bounds is not None and (kind.startswith(("float", "greater", "less", "finite"))):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number {bounds} (got {json_kind(value)})"
        return f"must be a number {bounds} (got {json_number(value)})"
    if kind in ("dict_type", "mapping_type"):
        return f"must be an object {{ ... }} of activity types and weights, not {json_kind(value)}"
    if kind in ("frozen_set_type", "set_type", "list_type", "iterable_type"):
        return f"must be a list [ ... ] of activity types, not {json_kind(value)}"
    if kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"must be one of {expected} (got {json_kind(value)})"
    if kind in ("string_type", "string_unicode"):
        return f"must be text in quotes, not {json_kind(value)}"
    if kind == "string_pattern_mismatch":
        return f"{shown(value)} is not a valid id: use a-z, digits, '.' and '-'"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {(err.get('ctx') or {}).get('max_length')} characters)"
    return str(err["msg"])


def _bounds(name: str) -> str | None:
    """'between 0 (excluded) and 10000' from the field's constraints; None for non-numbers."""
    if name == "weights":
        return f"from {WEIGHT_MIN} to {WEIGHT_MAX}"
    field = ScoringPolicy.model_fields.get(name)
    if field is None or field.annotation is not float:
        return None
    low = high = ""
    for item in field.metadata:
        if isinstance(item, annotated_types.Ge):
            low = f"at least {item.ge}"
        elif isinstance(item, annotated_types.Gt):
            low = f"greater than {item.gt}"
        elif isinstance(item, annotated_types.Le):
            high = f"at most {item.le}"
        elif isinstance(item, annotated_types.Lt):
            high = f"less than {item.lt}"
    return " and ".join(p for p in (low, high) if p) or "(a finite number)"
