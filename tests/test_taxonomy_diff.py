"""What a new version changes: added, renamed, moved, retired (with what would move), removed."""

from __future__ import annotations

import json
from typing import Any

from portfolio_app.domain.records import Organisation
from portfolio_app.services import AppServices
from portfolio_app.services.taxonomy_service import TaxonomyService
from portfolio_app.taxonomy import Taxonomy, load_default_taxonomy
from portfolio_app.taxonomy.diff import Removal, Renamed, Reparented, Retirement, diff_taxonomies
from portfolio_app.taxonomy.loader import parse_taxonomy
from portfolio_app.taxonomy.usage import PlaceCount, PlaceUsage, SectorUsage, Uses


def taxonomy(version: str, sectors: list[dict[str, Any]], retired: Any = ()) -> Taxonomy:
    doc = {
        "format_version": 1,
        "id": "northshire",
        "title": "Northshire",
        "version": version,
        "sectors": sectors,
        "retired": list(retired),
    }
    return parse_taxonomy(json.dumps(doc).encode())


OLD = taxonomy(
    "1",
    [
        {"id": "nhs", "label": "NHS"},
        {"id": "ccgs", "label": "Clinical commissioning groups", "parent": "nhs"},
        {"id": "police", "label": "Police"},
        {"id": "fire", "label": "Fire"},
        {"id": "pilots", "label": "Pilot schemes"},
        {"id": "trials", "label": "Trials"},
    ],
)
NEW = taxonomy(
    "2",
    [
        {"id": "nhs", "label": "NHS England"},
        {"id": "icb", "label": "Integrated care boards", "parent": "nhs"},
        {"id": "blue-light", "label": "Blue-light services"},
        {"id": "police", "label": "Police", "parent": "blue-light"},
        {"id": "fire", "label": "Fire"},
    ],
    [
        {"id": "ccgs", "replaced_by": "icb", "since": "2"},
        {"id": "pilots", "replaced_by": None},
    ],
)


def test_a_diff_lists_every_kind_of_change_with_what_would_move() -> None:
    usage = SectorUsage(
        (
            PlaceUsage("organisations", "organisation", {"ccgs": 3, "pilots": 1, "police": 2}),
            PlaceUsage("activities", "activity", {"ccgs": 1}),
        )
    )
    diff = diff_taxonomies(OLD, NEW, usage)
    assert [s.id for s in diff.added] == ["blue-light", "icb"]
    assert diff.renamed == (Renamed("nhs", "NHS", "NHS England"),)
    assert diff.reparented == (Reparented("police", "Police", None, "blue-light"),)
    assert diff.retired == (
        Retirement(
            "ccgs",
            "Clinical commissioning groups",
            "icb",
            "Integrated care boards",
            Uses(
                (
                    PlaceCount("organisations", "organisation", 3),
                    PlaceCount("activities", "activity", 1),
                )
            ),
        ),
    )
    # Retired without a replacement, or just left out: both are removals.
    assert diff.removed == (
        Removal("pilots", "Pilot schemes", Uses((PlaceCount("organisations", "organisation", 1),))),
        Removal("trials", "Trials"),
    )
    assert [r.blocks_install for r in diff.removed] == [True, False]
    assert diff.moved.get("organisations") == 3
    assert diff.lines() == [
        "Northshire 1  →  Northshire 2",
        "Added (2):",
        "  + blue-light: Blue-light services",
        "  + icb: NHS England → Integrated care boards",
        "Renamed (1):",
        "  ~ nhs: NHS → NHS England",
        "Moved in the tree (1):",
        "  > police: Police, from the top level to under Blue-light services",
        "Retired (1):",
        "  - ccgs: Clinical commissioning groups → Integrated care boards; would move "
        "3 organisations and 1 activity of yours",
        "Removed without a replacement (2):",
        "  x pilots: Pilot schemes; used by 1 organisation of yours: installing is refused",
        "  x trials: Trials; none of your data uses it",
    ]


def test_no_changes() -> None:
    diff = diff_taxonomies(OLD, OLD)
    assert diff.empty
    assert diff.lines() == ["Northshire 1  →  Northshire 1", "No changes to sectors."]


def test_the_service_counts_this_users_organisations(services: AppServices) -> None:
    default = load_default_taxonomy()
    for name in ("A", "B"):
        services.organisations.create(Organisation(f"{name} ICB", "integrated-care-boards"))
    services.organisations.create(Organisation("Police", "police"))
    new = parse_taxonomy(
        json.dumps(
            {
                "format_version": 1,
                "id": default.id,
                "title": default.title,
                "version": "2027.1",
                "sectors": [
                    {"id": s.id, "label": s.label, "parent": s.parent_id}
                    for s in default.sectors
                    if s.id != "integrated-care-boards"
                ],
                "retired": [{"id": "integrated-care-boards", "replaced_by": "nhs"}],
            }
        ).encode()
    )
    diff = TaxonomyService(services.db, services.paths).diff(default, new)
    assert diff.retired == (
        Retirement(
            "integrated-care-boards",
            "Integrated care boards",
            "nhs",
            "NHS",
            Uses((PlaceCount("organisations", "organisation", 2),)),
        ),
    )
    assert diff.removed == ()
