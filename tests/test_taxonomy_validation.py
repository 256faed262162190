"""The taxonomy file: every validation rule, each with its message and place, all at once."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio_app.taxonomy import TaxonomyError, load_default_taxonomy, load_taxonomy
from portfolio_app.taxonomy.file_format import MAX_FILE_BYTES
from portfolio_app.taxonomy.loader import check_bytes, default_taxonomy_path, parse_taxonomy
from portfolio_app.taxonomy.model import RetiredSector, Taxonomy
from portfolio_app.taxonomy.schema import json_schema, schema_path, schema_text
from portfolio_app.taxonomy.writer import dump_taxonomy, taxonomy_to_document, write_taxonomy

Doc = dict[str, Any]


def small_doc() -> Doc:
    """Four sectors, two levels deep, and one retired sector with a replacement."""
    return {
        "format_version": 1,
        "id": "northshire",
        "title": "Northshire sectors",
        "version": "2026.2",
        "publisher": "Northshire HR",
        "date": "2026-04-01",
        "sectors": [
            {"id": "council", "label": "Council", "aliases": ["local authority"]},
            {"id": "adult-care", "label": "Adult social care", "parent": "council"},
            {"id": "nhs", "label": "NHS", "colour": "#2CA02C", "order": 5},
            {"id": "icb", "label": "Integrated care boards", "parent": "nhs"},
        ],
        "retired": [{"id": "ccg", "replaced_by": "icb", "since": "2022.1", "note": "July 2022"}],
    }


def problems_of(doc: object) -> list[str]:
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    with pytest.raises(TaxonomyError) as excinfo:
        parse_taxonomy(raw, "test.json")
    return excinfo.value.problems


def edit(change: Callable[[Doc], object]) -> Doc:
    doc = small_doc()
    change(doc)
    return doc


# --- a valid file --------------------------------------------------------------------------


def test_a_valid_file_loads_with_its_hierarchy_and_retired_sectors() -> None:
    raw = json.dumps(small_doc()).encode()
    taxonomy = parse_taxonomy(raw)
    assert (taxonomy.id, taxonomy.title, taxonomy.version, taxonomy.publisher, taxonomy.date) == (
        "northshire",
        "Northshire sectors",
        "2026.2",
        "Northshire HR",
        "2026-04-01",
    )
    assert taxonomy.path_label("icb") == "NHS → Integrated care boards"
    nhs = taxonomy.get("nhs")
    assert nhs is not None and nhs.colour == "#2ca02c"  # colours are kept in lower case
    assert taxonomy.retired == (RetiredSector("ccg", "icb", "2022.1", "July 2022"),)
    assert taxonomy.replacement_for("ccg") == "icb"
    assert taxonomy.replacement_for("icb") == "icb"
    assert taxonomy.replacement_for("unknown") is None
    assert taxonomy.warnings == ()


def test_a_utf8_bom_is_accepted() -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(small_doc()).encode()
    assert parse_taxonomy(raw).title == "Northshire sectors"


def test_the_shipped_default_is_valid_without_warnings() -> None:
    taxonomy = load_default_taxonomy()
    assert len(taxonomy.sectors) > 10
    assert taxonomy.warnings == ()


def test_writing_and_reading_back_gives_the_same_taxonomy(tmp_path: Path) -> None:
    doc = small_doc()
    doc["scoring"] = {"weights": {"secondment": 2}, "level": 2}
    doc["sectors"][0]["description"] = "Zoë's «council», with ünïcode"
    original = parse_taxonomy(json.dumps(doc).encode())
    write_taxonomy(tmp_path / "out.json", original)
    again = load_taxonomy(tmp_path / "out.json")
    assert again == original
    assert again.scoring == {"weights": {"secondment": 2}, "level": 2}
    assert "Zoë" in (tmp_path / "out.json").read_text(encoding="utf-8")  # not \u-escaped


def test_the_scoring_section_is_checked_by_the_scoring_rules_here() -> None:
    # The file validator refuses what `score` would refuse (issue 9), at the JSON path.
    doc = edit(lambda d: d.update(scoring={"whatever": {"nested": [None, True]}}))
    assert [p.split(":")[0] for p in problems_of(doc)] == ["scoring.whatever"]
    assert problems_of(edit(lambda d: d.update(scoring={"saturation": float("nan")}))) == [
        "scoring.saturation: must be a number greater than 0 and at most 10000 (got NaN)"
    ]
    assert problems_of(edit(lambda d: d.update(scoring=[1]))) == [
        "scoring: scoring must be an object { ... }, not a list"
    ]


# --- warnings ------------------------------------------------------------------------------


def test_unknown_top_level_keys_are_warnings_returned_with_the_taxonomy() -> None:
    doc = edit(lambda d: d.update({"sector": [], "owner": "HR", "$schema": "schema.json"}))
    taxonomy = parse_taxonomy(json.dumps(doc).encode())
    assert taxonomy.warnings == (
        "unknown top-level key 'sector' is ignored (did you mean 'sectors'?)",
        "unknown top-level key 'owner' is ignored",
    )
    # Warnings are not part of a taxonomy's identity.
    assert taxonomy == parse_taxonomy(json.dumps(small_doc()).encode())


def test_a_name_two_sectors_share_is_a_warning() -> None:
    doc = edit(lambda d: d["sectors"][3].update(aliases=["Local Authority"]))
    taxonomy = parse_taxonomy(json.dumps(doc).encode())
    assert taxonomy.warnings == (
        "the name 'local authority' belongs to 'Council' (council) and "
        "'Integrated care boards' (icb): typing it will not pick a sector",
    )


# --- every error, with its message and where it is ------------------------------------------

CASES: list[tuple[str, Callable[[Doc], object], str]] = [
    (
        "duplicate id",
        lambda d: d["sectors"][1].update(id="nhs"),
        "sectors[2].id (sector 'nhs'): duplicate id 'nhs': sectors[1] has it too",
    ),
    (
        "unknown parent",
        lambda d: d["sectors"][1].update(parent="counsil"),
        "sectors[1].parent (sector 'adult-care'): unknown parent 'counsil': no sector has "
        "that id (did you mean 'council'?)",
    ),
    (
        "parent is retired",
        lambda d: d["sectors"][3].update(parent="ccg"),
        "sectors[3].parent (sector 'icb'): parent 'ccg' is a retired sector; place this "
        "sector under an active one",
    ),
    (
        "own parent",
        lambda d: d["sectors"][0].update(parent="council"),
        "sectors[0].parent (sector 'council'): 'council' is its own parent",
    ),
    (
        "cycle",
        lambda d: d["sectors"][2].update(parent="icb"),
        "sectors[2].parent (sector 'nhs'): parents form a cycle (nhs → icb → nhs): "
        "a sector cannot be inside itself",
    ),
    (
        "retired and active",
        lambda d: d["retired"].append({"id": "nhs", "replaced_by": "icb"}),
        "retired[1].id (retired sector 'nhs'): 'nhs' is retired but is also an active sector "
        "(sectors[2]); keep only one of them",
    ),
    (
        "retired twice",
        lambda d: d["retired"].append({"id": "ccg"}),
        "retired[1].id (retired sector 'ccg'): 'ccg' is retired twice: retired[0] has it too",
    ),
    (
        "replacement loop",
        lambda d: d.update(
            retired=[{"id": "pct", "replaced_by": "ccg"}, {"id": "ccg", "replaced_by": "pct"}]
        ),
        "retired[0].replaced_by (retired sector 'pct'): the replacements loop (pct → ccg → pct)",
    ),
    (
        "replacement ends in a retired sector",
        lambda d: d.update(retired=[{"id": "pct", "replaced_by": "ccg"}, {"id": "ccg"}]),
        "retired[0].replaced_by (retired sector 'pct'): replaced_by must lead to an active "
        "sector, but pct → ccg ends at the retired sector 'ccg', which has no replacement",
    ),
    (
        "replacement unknown",
        lambda d: d["retired"][0].update(replaced_by="icbs"),
        "retired[0].replaced_by (retired sector 'ccg'): replaced_by 'icbs' is not a sector in "
        "this file (did you mean 'icb'?)",
    ),
    (
        "empty label",
        lambda d: d["sectors"][1].update(label="   "),
        "sectors[1].label (sector 'adult-care'): the label is empty",
    ),
    (
        "missing label",
        lambda d: d["sectors"][1].pop("label"),
        "sectors[1].label (sector 'adult-care'): label is missing; it is required",
    ),
    (
        "empty title",
        lambda d: d.update(title=""),
        "title: the title is empty",
    ),
    (
        "bad colour",
        lambda d: d["sectors"][2].update(colour="green"),
        "sectors[2].colour (sector 'nhs'): colour 'green' is not a colour: write # and six hex "
        "digits, like #1f77b4",
    ),
    (
        "short colour",
        lambda d: d["sectors"][2].update(colour="#abc"),
        "sectors[2].colour (sector 'nhs'): colour '#abc' is not a colour: write # and six hex "
        "digits, like #1f77b4",
    ),
    (
        "bad id",
        lambda d: d["sectors"][1].update(id="Adult Care"),
        "sectors[1].id (sector 'Adult Care'): id 'Adult Care' is not a valid id: use lower-case "
        "letters a-z, digits and hyphens, starting with a letter or digit, like "
        "'adult-social-care'",
    ),
    (
        "alias with a semicolon",
        lambda d: d["sectors"][0].update(aliases=["LA; council"]),
        "sectors[0].aliases[0] (sector 'council'): alias 'LA; council' is empty or contains "
        "';' (a ';' separates aliases in CSV files)",
    ),
    (
        "alias not text",
        lambda d: d["sectors"][0].update(aliases=[3]),
        "sectors[0].aliases[0] (sector 'council'): each alias must be text in quotes, not the "
        "number 3",
    ),
    (
        "unknown field in a sector",
        lambda d: d["sectors"][0].update(color="#ffffff"),
        "sectors[0].color (sector 'council'): unknown field 'color' (did you mean 'colour'?); "
        "allowed: id, label, parent, aliases, description, colour, order",
    ),
    (
        "order not a whole number",
        lambda d: d["sectors"][0].update(order="first"),
        "sectors[0].order (sector 'council'): order must be a whole number, not the text 'first'",
    ),
    (
        "sector not an object",
        lambda d: d["sectors"].append("police"),
        "sectors[4]: each sector must be an object { ... }, not the text 'police'",
    ),
    (
        "no sectors",
        lambda d: d.update(sectors=[], retired=[]),
        "sectors: there are no sectors; a taxonomy needs at least one",
    ),
    (
        "missing version",
        lambda d: d.pop("version"),
        "version: version is missing; it is required",
    ),
    (
        "bad date",
        lambda d: d.update(date="1/4/2026"),
        "date: date '1/4/2026' is not a date: write YYYY-MM-DD, like 2026-04-01",
    ),
    (
        "impossible date",
        lambda d: d.update(date="2026-02-30"),
        "date: date '2026-02-30' is not a real date",
    ),
    (
        "format version missing",
        lambda d: d.pop("format_version"),
        "format_version: format_version is missing; it is required",
    ),
    (
        "format version as text",
        lambda d: d.update(format_version="1"),
        "format_version: format_version must be the number 1, not the text '1'",
    ),
    (
        "format version true",
        lambda d: d.update(format_version=True),
        "format_version: format_version must be the number 1, not true",
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_has_its_message_and_place(
    change: Callable[[Doc], object], expected: str
) -> None:
    assert problems_of(edit(change)) == [expected]


def test_a_newer_format_version_is_the_only_problem_reported() -> None:
    doc = edit(lambda d: d.update(format_version=2, sectors="a different shape"))
    assert problems_of(doc) == [
        "format_version: format_version is 2, but this version of Portfolio reads format 1: "
        "update Portfolio, or save the file in format 1"
    ]


def test_every_problem_is_reported_at_once() -> None:
    def many(d: Doc) -> None:
        for change, _ in [c[1:] for c in CASES if c[0] in PICKED]:
            change(d)

    PICKED = {"bad colour", "duplicate id", "empty label", "replacement unknown", "bad date"}
    problems = problems_of(edit(many))
    # One bad colour does not hide the duplicate id, and so on: every problem, in file order.
    assert problems == [
        "date: date '1/4/2026' is not a date: write YYYY-MM-DD, like 2026-04-01",
        "sectors[1].label (sector 'nhs'): the label is empty",
        "sectors[2].colour (sector 'nhs'): colour 'green' is not a colour: write # and six hex "
        "digits, like #1f77b4",
        "sectors[2].id (sector 'nhs'): duplicate id 'nhs': sectors[1] has it too",
        "retired[0].replaced_by (retired sector 'ccg'): replaced_by 'icbs' is not a sector in "
        "this file (did you mean 'icb'?)",
    ]


def test_problems_carry_a_path_an_editor_can_select() -> None:
    doc = edit(lambda d: d["sectors"][2].update(colour="green"))
    result = check_bytes(json.dumps(doc).encode())
    assert result.taxonomy is None
    [problem] = result.problems
    assert problem.path == ("sectors", 2, "colour")
    assert problem.where == "sectors[2].colour (sector 'nhs')"


# --- problems before validation: size, encoding, JSON -----------------------------------------


def test_bad_json_says_line_and_column() -> None:
    text = json.dumps(small_doc(), indent=2).replace('"Council",', '"Council"', 1)
    with pytest.raises(TaxonomyError) as excinfo:
        parse_taxonomy(text.encode(), "hr.json")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"Council"' in t) + 1
    [problem] = excinfo.value.details
    assert (problem.line, problem.column) == (line, 7)
    assert str(problem) == f"line {line}, column 7: this is not valid JSON: Expecting ',' delimiter"
    assert str(excinfo.value).startswith("hr.json: line")


def test_a_repeated_key_is_reported_with_the_entry() -> None:
    raw = json.dumps(small_doc()).replace('"label": "NHS"', '"label": "NHS", "label": "N"')
    assert problems_of_raw(raw.encode()) == [
        "file: the key 'label' appears more than once in the entry with id 'nhs'; keep one"
    ]


def problems_of_raw(raw: bytes) -> list[str]:
    with pytest.raises(TaxonomyError) as excinfo:
        parse_taxonomy(raw)
    return excinfo.value.problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "line 1, column 1: this is not valid JSON: Expecting value"),
        (b"\xff\xfe{}", "line 1: the file is not UTF-8 text (byte 0); save it as UTF-8"),
        (
            b"[1, 2]",
            "file: the file must hold one JSON object { ... } with format_version, id, title, "
            "version and sectors, not a list",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "file: the file is nested too deeply to read"),
        (b"1" * 5000, "file: this is not usable JSON: Exceeds the limit"),
    ],
    ids=["empty", "not-utf8", "not-an-object", "too-deep", "huge-number"],
)
def test_unreadable_content(raw: bytes, expected: str) -> None:
    [problem] = problems_of_raw(raw)
    assert problem.startswith(expected)


def test_a_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(TaxonomyError) as excinfo:
        load_taxonomy(path)
    assert excinfo.value.problems == [
        f"file: the file is too large ({MAX_FILE_BYTES + 1:,} bytes; "
        f"the limit is {MAX_FILE_BYTES:,})"
    ]


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError) as excinfo:
        load_taxonomy(tmp_path / "nope.json")
    assert excinfo.value.problems == ["file: cannot read the file: there is no such file"]


# --- the JSON Schema ---------------------------------------------------------------------------


def test_the_committed_schema_matches_the_model() -> None:
    # If this fails, run: python -m portfolio_app.taxonomy.schema
    assert schema_path().read_text(encoding="utf-8") == schema_text()


def test_the_schema_describes_the_rules_the_loader_applies() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"format_version", "id", "title", "version", "sectors"}
    assert schema["properties"]["format_version"]["const"] == 1
    sector = schema["$defs"]["SectorEntry"]
    assert sector["additionalProperties"] is False
    assert sector["properties"]["colour"]["pattern"] == "^#[0-9A-Fa-f]{6}$"
    assert schema["additionalProperties"] is True  # unknown top-level keys only warn


def test_the_default_file_round_trips_through_the_writer() -> None:
    default = load_default_taxonomy()
    document = taxonomy_to_document(default)
    assert parse_taxonomy(dump_taxonomy(default).encode()) == default
    original = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    for key in ("id", "title", "version", "publisher", "date"):
        assert document[key] == original[key]
    assert [s["id"] for s in document["sectors"]] == [s["id"] for s in original["sectors"]]


def test_a_taxonomy_is_immutable_and_copy_safe() -> None:
    taxonomy = parse_taxonomy(json.dumps(small_doc()).encode())
    assert copy.deepcopy(taxonomy) == taxonomy
    assert isinstance(taxonomy, Taxonomy)
    with pytest.raises(AttributeError):
        taxonomy.title = "x"  # type: ignore[misc]


def test_a_very_deep_hierarchy_loads_and_orders_without_recursion() -> None:
    depth = 3000  # deeper than Python's recursion limit
    doc = small_doc()
    doc["sectors"] = [
        {"id": f"s{i}", "label": f"Level {i}", "parent": f"s{i - 1}" if i else None}
        for i in range(depth)
    ]
    doc["retired"] = []
    taxonomy = parse_taxonomy(json.dumps(doc).encode())
    assert [s.id for s in taxonomy.ordered()] == [f"s{i}" for i in range(depth)]
    assert len(taxonomy.ancestry(f"s{depth - 1}")) == depth
    # And a cycle at the bottom of a deep chain is still found, once.
    doc["sectors"][0]["parent"] = f"s{depth - 1}"
    problems = problems_of(doc)
    assert len(problems) == 1
    assert problems[0] == (
        "sectors[0].parent (sector 's0'): parents form a cycle (s0 → s2999 → s2998 → s2997 "
        "→ … 2995 more … → s1 → s0): a sector cannot be inside itself"
    )
