"""The scoring policy: defaults, the shipped section, and clear errors for bad values."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from portfolio_app.domain.enums import ActivityType
from portfolio_app.scoring import (
    DEFAULT_POLICY,
    ScoringPolicy,
    ScoringPolicyError,
    parse_policy,
    policy_from_taxonomy,
)
from portfolio_app.taxonomy import TaxonomyError, load_default_taxonomy
from portfolio_app.taxonomy.loader import default_taxonomy_path

TAXONOMY = load_default_taxonomy()


def test_the_shipped_taxonomy_has_a_scoring_section_equal_to_the_defaults() -> None:
    raw = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    assert "scoring" in raw
    policy = policy_from_taxonomy(TAXONOMY)
    assert policy.model_dump(exclude={"description"}) == DEFAULT_POLICY.model_dump(
        exclude={"description"}
    )
    assert set(raw["scoring"]["weights"]) == {t.value for t in ActivityType}
    assert policy.description  # documents itself for whoever edits the file


def test_the_documented_defaults() -> None:
    policy = DEFAULT_POLICY
    assert (policy.id, policy.version) == ("portfolio-default", "1")
    assert policy.half_life_months == 24
    assert policy.saturation == 1.0
    assert policy.home_factor == 0
    assert policy.contact_weight == 0.1
    assert policy.duration_cap == 6 and policy.duration_unit == "month"
    assert policy.scale_with_duration == {ActivityType.SECONDMENT}
    assert policy.level == "top" and policy.depth_level == 1
    assert policy.weight(ActivityType.PEER_EVENT) == 0.5
    assert policy.weight(ActivityType.SHADOWING) == 0.75
    assert policy.weight(ActivityType.MENTORING_GIVEN) == 1.0
    assert policy.weight(ActivityType.SECONDMENT) == 1.0


def test_a_taxonomy_without_scoring_uses_the_defaults() -> None:
    assert policy_from_taxonomy(replace(TAXONOMY, scoring=None)) == DEFAULT_POLICY


def test_a_section_may_set_only_what_it_changes() -> None:
    policy = parse_policy(
        {"id": "northshire", "version": "2026.2", "weights": {"peer-event": 2}, "level": 2}
    )
    assert policy.id == "northshire" and policy.version == "2026.2"
    assert policy.weight(ActivityType.PEER_EVENT) == 2.0
    assert policy.weight(ActivityType.SHADOWING) == 0.75  # kept
    assert policy.depth_level == 2
    assert policy.half_life_months == 24


@pytest.mark.parametrize(
    ("section", "place"),
    [
        ({"half_life_months": 0}, "scoring.half_life_months"),
        ({"half_life_months": "soon"}, "scoring.half_life_months"),
        ({"saturation": -1}, "scoring.saturation"),
        ({"home_factor": 2}, "scoring.home_factor"),
        ({"contact_weight": float("nan")}, "scoring.contact_weight"),
        ({"duration_cap": 0.5}, "scoring.duration_cap"),
        ({"duration_unit": "fortnight"}, "scoring.duration_unit"),
        ({"weights": {"lunch": 1}}, "scoring.weights.lunch"),
        ({"weights": {"peer-event": -0.5}}, "scoring.weights.peer-event"),
        ({"weights": [1, 2]}, "scoring.weights"),
        ({"scale_with_duration": ["sabbatical"]}, "scoring.scale_with_duration"),
        ({"level": 0}, "scoring.level"),
        ({"level": "middle"}, "scoring.level"),
        ({"level": 2.5}, "scoring.level"),
        ({"level": True}, "scoring.level"),
        ({"reach_threshold": 1}, "scoring.reach_threshold"),
        ({"half_life": 12}, "scoring.half_life"),  # a typo is refused, not ignored
        ({"id": "Not An Id"}, "scoring.id"),
        ({"version": ""}, "scoring.version"),
    ],
)
def test_bad_values_are_refused_with_their_place(section: dict[str, Any], place: str) -> None:
    with pytest.raises(ScoringPolicyError) as caught:
        parse_policy(section)
    places = [p.split(": ")[0] for p in caught.value.problems]
    assert any(p == place or p.startswith(place + ".") for p in places), places


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ScoringPolicyError) as caught:
        parse_policy({"half_life_months": -1, "saturation": 0, "level": "middle"})
    places = {p.split(":")[0] for p in caught.value.problems}
    assert places == {"scoring.half_life_months", "scoring.saturation", "scoring.level"}
    assert any('use "top" or a depth' in p for p in caught.value.problems)


def test_a_section_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ScoringPolicyError, match="must be an object"):
        parse_policy([1, 2])  # type: ignore[arg-type]


def test_a_bad_policy_is_a_taxonomy_error_naming_the_taxonomy() -> None:
    bad = replace(TAXONOMY, scoring={"saturation": 0})
    with pytest.raises(TaxonomyError) as caught:
        policy_from_taxonomy(bad)
    assert TAXONOMY.id in str(caught.value)
    assert "scoring.saturation" in str(caught.value)


def test_the_policy_is_immutable() -> None:
    with pytest.raises(ValueError):
        DEFAULT_POLICY.saturation = 2.0  # type: ignore[misc]
    assert isinstance(ScoringPolicy(level="top"), ScoringPolicy)
