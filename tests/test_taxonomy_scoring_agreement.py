"""`taxonomy validate` and the scoring loader agree on every `scoring` section (issue 9).

Before, the file validator took any object there, so `"saturation": NaN` passed validate and was
then refused by `score` and `export-pdf`. Generated sections, valid and invalid, go through both
paths: the file's bytes through the file validator, the section through policy_from_taxonomy
(what `score` calls). Both accept or both refuse, naming the same places.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from portfolio_app.domain.enums import ActivityType
from portfolio_app.scoring import ScoringPolicyError, policy_from_taxonomy
from portfolio_app.taxonomy import load_default_taxonomy
from portfolio_app.taxonomy.loader import check_bytes, default_taxonomy_path

BASE: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
TAXONOMY = load_default_taxonomy()
TYPES = [t.value for t in ActivityType]

# Values that must be refused wherever a number is expected, and some that may pass.
BAD_NUMBERS = st.sampled_from(
    [math.nan, math.inf, -math.inf, -1, -0.5, True, False, None, "0.5", "lots", [1], {"a": 1}]
)
NUMBERS = st.one_of(
    st.floats(min_value=-5, max_value=20_000, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-3, max_value=30),
    BAD_NUMBERS,
)
ANY_JSON = st.one_of(
    st.none(), st.booleans(), NUMBERS, st.text(max_size=8), st.lists(st.integers())
)
WEIGHTS = st.one_of(
    st.dictionaries(st.sampled_from([*TYPES, "lunch", ""]), NUMBERS, max_size=4),
    st.sampled_from(["lots", [1, 2], None, 3]),
)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "id": st.one_of(st.sampled_from(["northshire", "a.b-2"]), st.text(max_size=5), ANY_JSON),
    "name": st.one_of(st.text(max_size=10), ANY_JSON),
    "version": st.one_of(st.sampled_from(["1", "2026.1", ""]), ANY_JSON),
    "description": st.one_of(st.text(max_size=10), ANY_JSON),
    "weights": WEIGHTS,
    "scale_with_duration": st.one_of(
        st.lists(st.sampled_from([*TYPES, "sabbatical"]), max_size=3), ANY_JSON
    ),
    "duration_unit": st.one_of(st.sampled_from(["day", "week", "month", "fortnight"]), ANY_JSON),
    "duration_cap": NUMBERS,
    "contact_weight": NUMBERS,
    "half_life_months": NUMBERS,
    "saturation": NUMBERS,
    "home_factor": NUMBERS,
    "level": st.one_of(st.sampled_from(["top", "middle", 0, 1, 3, 20, 21, 2.5]), ANY_JSON),
    "reach_threshold": NUMBERS,
}
# Any subset of the known keys (missing keys take defaults), sometimes with a stray one.
SECTIONS = st.fixed_dictionaries(
    {},
    optional={
        **FIELDS,
        "half_life": NUMBERS,
        "Saturation": NUMBERS,
        "weight": WEIGHTS,
    },
)


def file_validator_places(section: object) -> list[str] | None:
    """None when `taxonomy validate` accepts the file with this section, else the places."""
    raw = json.dumps({**BASE, "scoring": section}).encode()  # NaN, Infinity as Python writes them
    result = check_bytes(raw)
    return None if result.ok else sorted(p.where for p in result.problems)


def scoring_loader_places(section: Any) -> list[str] | None:
    """None when the scoring code takes the section, else the places it names."""
    try:
        policy_from_taxonomy(replace(TAXONOMY, scoring=section))
    except ScoringPolicyError as exc:
        return sorted(p.where for p in exc.details)
    return None


@given(SECTIONS)
@example({})
@example({"saturation": math.nan})
@example({"weights": "lots"})
@example({"saturation": math.inf, "home_factor": True, "level": "top"})
@example({"weights": {"peer-event": 2, "training": 0}, "level": 2, "duration_unit": "week"})
@example({"half_life": 12})
def test_the_file_validator_and_the_scoring_loader_agree(section: dict[str, Any]) -> None:
    from_file = file_validator_places(section)
    from_scoring = scoring_loader_places(section)
    assert from_file == from_scoring, (section, from_file, from_scoring)


@given(st.one_of(st.lists(st.integers(), max_size=2), st.text(max_size=3), st.integers()))
def test_a_section_that_is_not_an_object_is_refused_by_both(section: Any) -> None:
    assert file_validator_places(section) is not None
    assert scoring_loader_places(section) is not None


def test_the_examples_from_the_issue_are_refused_with_their_path() -> None:
    assert file_validator_places({"saturation": math.nan}) == ["scoring.saturation"]
    assert file_validator_places({"weights": "lots"}) == ["scoring.weights"]
    assert file_validator_places({"weights": {"training": 2}}) is None
