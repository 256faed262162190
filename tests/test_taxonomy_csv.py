"""Sectors to and from CSV: a lossless round trip, and every bad row reported by its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio_app.taxonomy import Taxonomy, TaxonomyError, load_default_taxonomy
from portfolio_app.taxonomy.csv_io import (
    export_sectors_csv,
    import_sectors_csv,
    load_sectors_csv,
    sectors_csv,
    taxonomy_with_sectors,
)
from portfolio_app.taxonomy.loader import parse_taxonomy
from portfolio_app.taxonomy.model import Sector

HEADER = "id,label,parent,aliases,description,colour\r\n"


def problems(text: str | bytes, base: Taxonomy | None = None) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(TaxonomyError) as excinfo:
        import_sectors_csv(raw, base or load_default_taxonomy(), "sectors.csv")
    return excinfo.value.problems


def test_the_default_taxonomy_round_trips_losslessly(tmp_path: Path) -> None:
    default = load_default_taxonomy()
    path = tmp_path / "sectors.csv"
    assert export_sectors_csv(default, path) == len(default.sectors)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,label,parent,aliases,description,colour")

    imported = load_sectors_csv(path, default)
    # Display order becomes row order; the default's orders already are, so nothing differs.
    assert imported == default
    assert sectors_csv(imported) == sectors_csv(default)


def test_rows_come_parents_first_and_import_keeps_the_metadata() -> None:
    base = load_default_taxonomy()
    text = (
        HEADER
        + "sub,Sub-sector,top,,,#000000\r\n"
        + 'top,Top,,"a;b ; c",,\r\n'
        + 'other,Other,,,"Line one\nline two, with comma",ABCDEF\r\n'
    )
    imported = import_sectors_csv(text.encode(), base)
    assert (imported.id, imported.title, imported.version, imported.retired) == (
        base.id,
        base.title,
        base.version,
        base.retired,
    )
    assert [s.id for s in imported.sectors] == ["sub", "top", "other"]
    top = imported.get("top")
    assert top is not None and (top.aliases, top.colour) == (("a", "b", "c"), "#808080")
    other = imported.get("other")
    assert other is not None and other.colour == "#abcdef"  # a '#' dropped by Excel comes back
    assert other.description == "Line one\nline two, with comma"
    # Exported in display order: parents before their children.
    rows = sectors_csv(imported).split("\r\n")
    assert [row.split(",")[0] for row in rows[1:4]] == ["top", "sub", "other"]


def test_formula_like_cells_are_neutralised_and_restored() -> None:
    base = load_default_taxonomy()
    sectors = (
        Sector("calc", "=SUM(A1:A3)", aliases=("+44 team", "@home")),
        Sector("minus", "- minus", description="'=already quoted"),
    )
    taxonomy = taxonomy_with_sectors(base, sectors)
    text = sectors_csv(taxonomy)
    assert "'=SUM(A1:A3)" in text and "'- minus" in text and "''=already quoted" in text
    again = import_sectors_csv(text.encode(), base)
    assert [(s.label, s.aliases, s.description) for s in again.ordered()] == [
        ("- minus", (), "'=already quoted"),
        ("=SUM(A1:A3)", ("+44 team", "@home"), ""),
    ]


def test_every_bad_row_is_reported_by_its_line() -> None:
    text = (
        HEADER  # line 1
        + "council,Council,,,,#1f77b4\r\n"  # 2
        + 'notes,Notes,,,"a description\r\nover two lines",\r\n'  # 3-4
        + "council,Council again,,,,\r\n"  # 5: duplicate id
        + "adult-care,,council,,,\r\n"  # 6: empty label
        + "icb,ICBs,nhs,,,green\r\n"  # 7: unknown parent, bad colour
        + "Bad Id,Bad,,,,\r\n"  # 8: bad id
        + "\r\n"  # 9: blank lines are skipped
        + "extra,Extra,,,,,surplus\r\n"  # 10: too many cells
    )
    with pytest.raises(TaxonomyError) as excinfo:
        import_sectors_csv(text.encode(), load_default_taxonomy())
    assert excinfo.value.problems == [
        "line 5, column id: duplicate id 'council': line 2 has it too",
        "line 6, column label: the label is empty",
        "line 7, column colour: colour 'green' is not a colour: write # and six hex digits, "
        "like #1f77b4",
        "line 7, column parent: unknown parent 'nhs': no sector has that id",
        "line 8, column id: id 'Bad Id' is not a valid id: use lower-case letters a-z, digits "
        "and hyphens, starting with a letter or digit, like 'adult-social-care'",
        "line 10: 7 cells but the header has 6 columns (a cell with a comma must be in double "
        "quotes)",
    ]
    assert [d.line for d in excinfo.value.details] == [5, 6, 7, 7, 8, 10]


def test_a_row_with_too_many_cells_is_reported() -> None:
    text = HEADER + "a,A,,,,\r\nb,B,,,,,surplus\r\nc,C,,,,,,\r\n"
    assert problems(text) == [
        "line 3: 7 cells but the header has 6 columns (a cell with a comma must be in double "
        "quotes)"
    ]


def test_header_problems() -> None:
    assert problems("id,name,parent,colour,colour\r\na,A,,,\r\n") == [
        "line 1: unknown column 'name'; the columns are id, label, parent, aliases, "
        "description, colour",
        "line 1: the column 'colour' appears twice",
        "line 1: the column 'label' is missing",
    ]
    assert problems("") == ["line 1: the file is empty"]
    assert problems(HEADER) == ["file: there are no sectors in the file"]


def test_spreadsheet_variants_are_read() -> None:
    # Semicolons (Excel in many European locales), a BOM, upper-case headers, 'Color'.
    text = "\ufeffID;Label;Parent;Aliases;Color\r\npolice;Police;;constabulary;#393B79\r\n"
    imported = import_sectors_csv(text.encode("utf-8"), load_default_taxonomy())
    police = imported.get("police")
    assert police is not None
    assert (police.label, police.aliases, police.colour) == (
        "Police",
        ("constabulary",),
        "#393b79",
    )


def test_a_file_not_in_utf8_says_how_to_save_it() -> None:
    raw = (HEADER + "care,Soins à domicile,,,,\r\n").encode("cp1252")
    assert problems(raw) == [
        "line 2: the file is not UTF-8 text; in Excel, save as 'CSV UTF-8 (Comma delimited)'"
    ]


def test_a_csv_that_clashes_with_the_retired_list_is_refused() -> None:
    doc = {
        "format_version": 1,
        "id": "t",
        "title": "T",
        "version": "1",
        "sectors": [{"id": "icb", "label": "ICB"}],
        "retired": [{"id": "ccg", "replaced_by": "icb"}],
    }
    base = parse_taxonomy(json.dumps(doc).encode())
    assert problems(HEADER + "ccg,CCG,,,,\r\n", base) == [
        "retired[0].id (retired sector 'ccg'): 'ccg' is retired but is also an active sector "
        "(line 2); keep only one of them",
        "retired[0].replaced_by (retired sector 'ccg'): replaced_by 'icb' is not a sector in "
        "this file",
    ]


# --- property: any valid sector list survives export → import ---------------------------------

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20
)
_label = _text.map(str.strip).filter(bool)
_alias = _text.map(lambda s: s.replace(";", "").strip()).filter(bool)
_colour = st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)


@st.composite
def sector_lists(draw: st.DrawFn) -> list[Sector]:
    count = draw(st.integers(1, 8))
    sectors: list[Sector] = []
    for index in range(count):
        parent = draw(st.none() | st.integers(0, index - 1)) if index else None
        sectors.append(
            Sector(
                id=f"s{index}",
                label=draw(_label),
                parent_id=None if parent is None else f"s{parent}",
                aliases=tuple(draw(st.lists(_alias, max_size=3))),
                description=draw(st.text(max_size=30).filter(lambda s: "\x00" not in s)),
                colour=draw(_colour),
                order=draw(st.integers(-5, 5)),
            )
        )
    return sectors


@settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(sectors=sector_lists())
def test_any_sector_list_round_trips(sectors: list[Sector]) -> None:
    base = load_default_taxonomy()
    taxonomy = taxonomy_with_sectors(base, sectors)
    text = sectors_csv(taxonomy)
    imported = import_sectors_csv(text.encode("utf-8"), base)

    def shape(t: Taxonomy) -> list[tuple[object, ...]]:
        return [
            (s.id, s.label, s.parent_id, s.aliases, s.description, s.colour) for s in t.ordered()
        ]

    assert shape(imported) == shape(taxonomy)
    assert sectors_csv(imported) == text
