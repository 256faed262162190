"""New sectors get colours people can tell apart; validate warns about colours too close."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from portfolio_app.taxonomy import load_default_taxonomy, parse_taxonomy
from portfolio_app.taxonomy.colours import MIN_DISTANCE, distance, distinct_colour
from portfolio_app.taxonomy.loader import default_taxonomy_path

ADDED = 20


def default_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    return doc


def test_ciede2000_matches_known_values() -> None:
    assert distance("#000000", "#ffffff") == pytest.approx(100.0, abs=0.01)
    assert distance("#1f77b4", "#1f77b4") == 0
    assert distance("#ff0000", "#fe0000") < 1  # one step of red: not noticeable


def test_default_colours_and_added_sectors_are_all_far_apart() -> None:
    families = {s.colour for s in load_default_taxonomy().sectors}
    colours = list(families)
    for _ in range(ADDED):
        colours.append(distinct_colour(colours))
    for a, b in itertools.combinations(colours, 2):
        assert distance(a, b) >= MIN_DISTANCE, (a, b)


def test_a_sector_without_a_colour_gets_a_distinct_one_and_its_children_share_it() -> None:
    doc = default_doc()
    doc["sectors"] += [
        {"id": "utilities", "label": "Utilities"},
        {"id": "water", "label": "Water", "parent": "utilities"},
        {"id": "transport", "label": "Transport"},
    ]
    taxonomy = parse_taxonomy(json.dumps(doc).encode())
    new, child = taxonomy.get("utilities"), taxonomy.get("water")
    assert new is not None and child is not None
    assert new.colour != "#808080" and child.colour == new.colour
    others = {s.colour for s in taxonomy.sectors if s.id not in ("utilities", "water")}
    assert all(distance(new.colour, c) >= MIN_DISTANCE for c in others)
    assert not any("colours" in w for w in taxonomy.warnings)


def test_validate_warns_when_two_families_look_alike() -> None:
    doc = default_doc()
    police = next(s for s in doc["sectors"] if s["id"] == "police")
    police["colour"] = "#1f77b5"  # one step from local government's blue
    warnings = parse_taxonomy(json.dumps(doc).encode()).warnings
    assert any("'local-government' and 'police' are hard to tell apart" in w for w in warnings)


def test_the_shipped_taxonomy_has_no_colour_warnings() -> None:
    assert not any("colours" in w for w in load_default_taxonomy().warnings)
