"""Sectors to and from CSV, since HR teams keep their lists in spreadsheets.

Columns: id, label, parent, aliases (separated by ';'), description, colour. Rows come in display
order (parents before their children), and import gives each row's order from its position, so
export → import → export gives the same file. Cells a spreadsheet could run as a formula get a
leading apostrophe on export, removed again on import. Every bad row is reported with its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from portfolio_app.file_checks import InputRefused, InputTooLarge, read_input_bytes
from portfolio_app.taxonomy.errors import Problem, TaxonomyError
from portfolio_app.taxonomy.file_format import DEFAULT_COLOUR, MAX_FILE_BYTES
from portfolio_app.taxonomy.model import Sector, Taxonomy
from portfolio_app.taxonomy.validation import check_document
from portfolio_app.taxonomy.writer import taxonomy_to_document, write_text_atomically

CSV_COLUMNS = ("id", "label", "parent", "aliases", "description", "colour")
REQUIRED_COLUMNS = ("id", "label")
ALIAS_SEPARATOR = ";"
ORDER_STEP = 10

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_HEX_WITHOUT_HASH = re.compile(r"[0-9A-Fa-f]{6}")
_SECTOR_REF = re.compile(r"sectors\[(\d+)\]")


def sectors_csv(taxonomy: Taxonomy) -> str:
    """The sectors as CSV text, in display order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for sector in taxonomy.ordered():
        cells = (
            sector.id,
            sector.label,
            sector.parent_id or "",
            ALIAS_SEPARATOR.join(sector.aliases),
            sector.description,
            sector.colour,
        )
        writer.writerow([_neutralise(c) for c in cells])
    return buffer.getvalue()


def export_sectors_csv(taxonomy: Taxonomy, path: Path) -> int:
    """Write the sectors to `path` (UTF-8 with a BOM, so Excel reads accents). Returns the count."""
    write_text_atomically(path, sectors_csv(taxonomy), encoding="utf-8-sig")
    return len(taxonomy.sectors)


def import_sectors_csv(raw: bytes, base: Taxonomy, source: str = "CSV") -> Taxonomy:
    """`base` with its sectors replaced by the CSV's; its title, version, retired list and
    scoring are kept. Raises TaxonomyError listing every problem, bad rows by line."""
    rows, lines, row_problems = _read_rows(raw, source)
    document = taxonomy_to_document(base)
    document["sectors"] = rows
    result = check_document(document)
    found = row_problems + [_at_line(p, lines) for p in result.problems]
    if found or result.taxonomy is None:
        # By line; problems outside the rows (e.g. the retired list) last.
        found.sort(key=lambda p: (p.line is None, p.line or 0))
        raise TaxonomyError(source, found)
    return result.taxonomy


def read_sectors_csv(raw: bytes, base: Taxonomy, source: str = "CSV") -> tuple[Sector, ...]:
    return import_sectors_csv(raw, base, source).sectors


def load_sectors_csv(path: Path, base: Taxonomy) -> Taxonomy:
    try:
        raw = read_input_bytes(path, MAX_FILE_BYTES, "CSV file")
    except InputTooLarge as exc:
        raise TaxonomyError(
            str(path), [f"the file is too large ({exc.size:,} bytes; limit {MAX_FILE_BYTES:,})"]
        ) from None
    except InputRefused as exc:
        raise TaxonomyError(str(path), [f"cannot read the file: {exc.reason}"]) from None
    return import_sectors_csv(raw, base, str(path))


def _read_rows(raw: bytes, source: str) -> tuple[list[dict[str, Any]], list[int], list[Problem]]:
    """The rows as sector entries, the line each starts on, and rows that could not be read.

    Problems with the header or the CSV syntax raise here, since no row can be trusted then.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise TaxonomyError(source, [f"the file is too large ({len(raw):,} bytes)"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TaxonomyError(
            source,
            [
                Problem(
                    "the file is not UTF-8 text; in Excel, save as 'CSV UTF-8 (Comma delimited)'",
                    f"line {line}",
                    line=line,
                )
            ],
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        # Spreadsheets in some locales separate with ';' (or tabs when copied).
        delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if header is None:
            raise TaxonomyError(source, [_line_problem(1, "the file is empty")])
        columns = [_normalise_header(h) for h in header]
        for index, name in enumerate(columns):
            if name not in CSV_COLUMNS:
                problems.append(
                    _line_problem(
                        1,
                        f"unknown column {header[index].strip()!r}; "
                        f"the columns are {', '.join(CSV_COLUMNS)}",
                    )
                )
            elif columns.index(name) != index:
                problems.append(_line_problem(1, f"the column {name!r} appears twice"))
        for name in REQUIRED_COLUMNS:
            if name not in columns:
                problems.append(_line_problem(1, f"the column {name!r} is missing"))
        if problems:
            raise TaxonomyError(source, problems)
        rows: list[dict[str, Any]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                problems.append(
                    _line_problem(
                        line,
                        f"{len(cells)} cells but the header has {len(columns)} columns "
                        "(a cell with a comma must be in double quotes)",
                    )
                )
                continue
            values = dict(zip(columns, (_unneutralise(c) for c in cells), strict=False))
            rows.append(_entry(values, len(rows)))
            lines.append(line)
    except csv.Error as exc:
        raise TaxonomyError(source, [_line_problem(reader.line_num, f"bad CSV: {exc}")]) from None
    return rows, lines, problems


def _entry(values: dict[str, str], position: int) -> dict[str, Any]:
    colour = values.get("colour", "").strip() or DEFAULT_COLOUR
    if _HEX_WITHOUT_HASH.fullmatch(colour):
        colour = "#" + colour  # spreadsheets sometimes drop the '#'
    aliases = [a.strip() for a in values.get("aliases", "").split(ALIAS_SEPARATOR)]
    return {
        "id": values.get("id", "").strip(),
        "label": values.get("label", "").strip(),
        "parent": values.get("parent", "").strip() or None,
        "aliases": [a for a in aliases if a],
        "description": values.get("description", ""),
        "colour": colour,
        "order": position * ORDER_STEP,
    }


def _at_line(problem: Problem, lines: Sequence[int]) -> Problem:
    """Point a problem with a sector at its CSV line and column instead of its JSON path."""
    path = problem.path

    def line_of(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return f"line {lines[index]}" if index < len(lines) else match.group(0)

    problem = replace(problem, message=_SECTOR_REF.sub(line_of, problem.message))
    if len(path) >= 2 and path[0] == "sectors" and isinstance(path[1], int):
        if path[1] >= len(lines):
            return problem
        line = lines[path[1]]
        column = next((str(p) for p in path[2:] if isinstance(p, str)), "")
        where = f"line {line}" + (f", column {column}" if column in CSV_COLUMNS else "")
        return replace(problem, where=where, line=line)
    if path == ("sectors",):
        return replace(problem, message="there are no sectors in the file", where="file")
    return problem


def _line_problem(line: int, message: str) -> Problem:
    return Problem(message, f"line {line}", line=line)


def _normalise_header(name: str) -> str:
    name = name.replace("\ufeff", "").strip().casefold()
    return "colour" if name == "color" else name


def _neutralise(cell: str) -> str:
    return "'" + cell if cell.lstrip("'").startswith(_DANGEROUS_START) else cell


def _unneutralise(cell: str) -> str:
    if cell.startswith("'") and cell.lstrip("'").startswith(_DANGEROUS_START):
        return cell[1:]
    return cell


def taxonomy_with_sectors(base: Taxonomy, sectors: Sequence[Sector]) -> Taxonomy:
    """`base` with another sector list (e.g. an editor's), validated. Raises TaxonomyError."""
    document = taxonomy_to_document(replace(base, sectors=tuple(sectors)))
    result = check_document(document)
    if result.taxonomy is None:
        raise TaxonomyError(base.title, result.problems)
    return result.taxonomy
