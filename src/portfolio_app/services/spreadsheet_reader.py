"""The first sheet of an Excel workbook (.xlsx) or OpenDocument spreadsheet (.ods), as typed cells.

A date cell stays a date and a number a number, so the importer never guesses a locale. The
file is checked before any parser sees it: its zip directory must promise no more than
`MAX_UNPACKED_BYTES` in all (Python's zipfile never inflates a member past the size its
directory gives, so the promise holds), and the readers never expand a repeated or far-away cell
beyond `MAX_COLUMNS` columns, so a small file cannot make a huge sheet.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # the same number as the file limit (docs/csv-format.md)
MAX_MEMBERS = 10_000
# odfpy holds the whole sheet in memory (about 50 times its XML): cap the sheet's XML so a large
# .ods costs at most about a gigabyte; 20 MB is some 20,000 rows of the twelve columns.
MAX_ODS_CONTENT_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 100  # read this many; a value in the next column is refused, not dropped
MAX_ROWS = 1_048_576  # what Excel and LibreOffice allow
MAX_CELL_CHARS = 1_000_000

XLSX = "xlsx"
ODS = "ods"
WHAT = {XLSX: "an Excel workbook (.xlsx)", ODS: "an OpenDocument spreadsheet (.ods)"}


@dataclass(frozen=True)
class ErrorCell:
    """A cell showing a formula's error, such as #N/A or #DIV/0!."""

    text: str


@dataclass(frozen=True)
class TooLong:
    """A text cell longer than MAX_CELL_CHARS (kept short: only its length matters)."""

    length: int


Cell = str | int | float | bool | date | datetime | time | timedelta | ErrorCell | TooLong | None


class SpreadsheetError(ValueError):
    """The file cannot be read as the spreadsheet it claims to be; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number the spreadsheet shows (1 is the first row)
    cells: list[Cell]  # column A first; trailing empty cells may be left out
    beyond: bool = False  # a value sits past MAX_COLUMNS


@dataclass
class Sheet:
    name: str
    rows: Iterator[SheetRow]  # only rows with at least one cell; raises SpreadsheetError


def check_zip(raw: bytes, what: str) -> None:
    """Refuse a zip whose directory promises more than the limit once unpacked (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(f"this file is {what} but it is damaged ({exc})") from exc
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetError(
            f"this file is {what} with {len(members):,} parts; a spreadsheet has a few dozen"
        )
    unpacked = sum(m.file_size for m in members)
    content = sum(m.file_size for m in members if m.filename == "content.xml")
    if what == WHAT[ODS] and content > MAX_ODS_CONTENT_BYTES:
        raise SpreadsheetError(
            f"this file is {what} whose sheets unpack to {content:,} bytes; the limit for .ods "
            f"is {MAX_ODS_CONTENT_BYTES // (1024 * 1024)} MB (save it as .xlsx or CSV UTF-8, "
            "which have none beyond 50 MB)"
        )
    if unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise SpreadsheetError(
            f"this file is {what} that unpacks to {unpacked:,} bytes; the limit is {limit} MB "
            "unpacked (save a copy with only the activities sheet, or as CSV UTF-8)"
        )


def read_first_sheet(raw: bytes, kind: str) -> Sheet:
    """The first sheet (the leftmost tab). Raises SpreadsheetError if the file cannot be read."""
    what = WHAT[kind]
    check_zip(raw, what)
    try:
        return _read_xlsx(raw) if kind == XLSX else _read_ods(raw)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a hostile or damaged file: the parsers raise all sorts
        raise SpreadsheetError(_damaged(what, exc)) from exc


def _damaged(what: str, exc: BaseException) -> str:
    detail = str(exc).strip() or type(exc).__name__
    return (
        f"this file is {what} but it cannot be read ({detail[:200]}): open it in your "
        "spreadsheet program and save it again"
    )


def _guarded(rows: Iterator[SheetRow], what: str) -> Iterator[SheetRow]:
    """The parsers do their work as rows are read: their errors become SpreadsheetError too."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it skips (data validation, conditional formats).
            warnings.simplefilter("ignore")
            yield from rows
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(_damaged(what, exc)) from exc


# --- xlsx -------------------------------------------------------------------------------------


def _read_xlsx(raw: bytes) -> Sheet:
    import openpyxl  # only when a workbook is imported: it is slow to import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(
            io.BytesIO(raw), read_only=True, data_only=True, keep_links=False
        )
    if not book.worksheets:
        book.close()
        raise SpreadsheetError("this file is an Excel workbook (.xlsx) with no sheets")
    sheet = book.worksheets[0]
    return Sheet(str(sheet.title), _guarded(_xlsx_rows(book, sheet), WHAT[XLSX]))


def _xlsx_rows(book: Any, sheet: Any) -> Iterator[SheetRow]:
    from openpyxl.cell.read_only import EMPTY_CELL

    gap: object = None
    try:
        # max_col bounds the padding openpyxl adds: a cell in column XFD cannot make 16,384.
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            if number > MAX_ROWS:
                raise SpreadsheetError(f"the sheet has more than {MAX_ROWS:,} rows")
            if cells is gap:
                continue  # openpyxl fills a gap with one shared empty row: pass it at once
            if all(c is EMPTY_CELL for c in cells):
                gap = cells
                continue
            values = [_xlsx_value(c) for c in cells]
            beyond = len(values) > MAX_COLUMNS and values[MAX_COLUMNS] not in (None, "")
            values = values[:MAX_COLUMNS]
            while values and values[-1] in (None, ""):
                values.pop()
            if values or beyond:
                yield SheetRow(number, values, beyond)
    finally:
        book.close()


def _xlsx_value(cell: Any) -> Cell:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if getattr(cell, "data_type", "") == "e":
        return ErrorCell(str(value))
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return TooLong(len(value))
    if isinstance(value, str | int | float | bool | date | time | timedelta):
        return value
    return str(value)  # rich text and the like: their plain text


# --- ods --------------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_DURATION = re.compile(
    r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.IGNORECASE
)


def _read_ods(raw: bytes) -> Sheet:
    from odf.opendocument import load  # only when a spreadsheet is imported

    document = load(io.BytesIO(raw))
    if "spreadsheet" not in str(document.mimetype):
        raise SpreadsheetError(f"this file is an OpenDocument {document.mimetype}, not a sheet")
    tables = [
        node
        for node in document.spreadsheet.childNodes
        if getattr(node, "qname", None) == (_TABLE, "table")
    ]
    if not tables:
        raise SpreadsheetError("this file is an OpenDocument spreadsheet (.ods) with no sheets")
    table = tables[0]
    name = str(table.attributes.get((_TABLE, "name"), "Sheet1"))
    return Sheet(name, _guarded(_ods_rows(table), WHAT[ODS]))


def _repeat(node: Any, attribute: str) -> int:
    text = node.attributes.get((_TABLE, attribute), "1")
    try:
        return max(1, int(text))
    except ValueError:
        raise SpreadsheetError(f"a repeat count {text!r} is not a number") from None


def _ods_row_nodes(table: Any) -> Iterator[Any]:
    """table:table-row elements, also those inside row groups and header rows."""
    for node in table.childNodes:
        qname = getattr(node, "qname", None)
        if qname == (_TABLE, "table-row"):
            yield node
        elif qname in (
            (_TABLE, "table-row-group"),
            (_TABLE, "table-header-rows"),
            (_TABLE, "table-rows"),
        ):
            yield from _ods_row_nodes(node)


def _ods_rows(table: Any) -> Iterator[SheetRow]:
    number = 1
    for row in _ods_row_nodes(table):
        repeat = _repeat(row, "number-rows-repeated")
        cells, beyond = _ods_cells(row)
        if cells or beyond:
            # LibreOffice writes identical rows once with a repeat count: each is a row.
            for offset in range(repeat):
                if number + offset > MAX_ROWS:
                    raise SpreadsheetError(f"the sheet has more than {MAX_ROWS:,} rows")
                yield SheetRow(number + offset, list(cells), beyond)
        number += repeat  # empty rows, however many, cost nothing


def _ods_cells(row: Any) -> tuple[list[Cell], bool]:
    cells: list[Cell] = []
    column = 0
    beyond = False
    for node in row.childNodes:
        if getattr(node, "qname", None) not in (
            (_TABLE, "table-cell"),
            (_TABLE, "covered-table-cell"),
        ):
            continue
        repeat = _repeat(node, "number-columns-repeated")
        value = _ods_value(node) if node.qname[1] == "table-cell" else None
        if value is not None and value != "":
            if column >= MAX_COLUMNS:
                beyond = True
                break
            cells.extend([None] * (column - len(cells)))
            cells.extend([value] * min(repeat, MAX_COLUMNS - column))
            if column + repeat > MAX_COLUMNS:
                beyond = True
                break
        column += repeat
    return cells, beyond


def _ods_value(node: Any) -> Cell:
    attrs = node.attributes
    kind = attrs.get((_OFFICE, "value-type"))
    if attrs.get((_CALCEXT, "value-type")) == "error":  # LibreOffice: a formula's error
        shown = _ods_text(node)
        return ErrorCell(shown if isinstance(shown, str) else "error")
    if kind in ("float", "percentage", "currency"):
        number = float(attrs.get((_OFFICE, "value"), "nan"))
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        stamp = str(attrs.get((_OFFICE, "date-value"), ""))
        return datetime.fromisoformat(stamp) if "T" in stamp else date.fromisoformat(stamp)
    if kind == "time":
        return _duration(str(attrs.get((_OFFICE, "time-value"), "")))
    if kind == "boolean":
        return str(attrs.get((_OFFICE, "boolean-value"), "")).lower() == "true"
    text: str | TooLong = (
        str(attrs[(_OFFICE, "string-value")])
        if (_OFFICE, "string-value") in attrs
        else _ods_text(node)
    )
    if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
        return TooLong(len(text))
    return text


def _duration(text: str) -> timedelta:
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise SpreadsheetError(f"a time cell holds {text!r}, which is not a duration")
    sign, days, hours, minutes, seconds = match.groups()
    value = timedelta(
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=float(seconds or 0),
    )
    return -value if sign else value


def _ods_text(cell: Any) -> str | TooLong:
    """A cell's text: paragraphs on their own lines, spaces and tabs expanded, with a cap (a
    `<text:s text:c="1000000000"/>` would otherwise be a gigabyte of spaces)."""
    paragraphs: list[str] = []
    total = 0
    for node in cell.childNodes:
        if getattr(node, "qname", None) not in ((_TEXT, "p"), (_TEXT, "h")):
            continue
        parts: list[str] = []
        stack = list(reversed(node.childNodes))
        while stack:
            child = stack.pop()
            if child.nodeType == child.TEXT_NODE:
                piece = str(child.data)
            else:
                local = child.qname[1] if child.qname[0] == _TEXT else ""
                if local == "s":
                    count = str(child.attributes.get((_TEXT, "c"), "1"))
                    piece = " " * min(int(count) if count.isdigit() else 1, MAX_CELL_CHARS + 1)
                elif local == "tab":
                    piece = "\t"
                elif local == "line-break":
                    piece = "\n"
                elif local == "note" or child.qname == (_OFFICE, "annotation"):
                    piece = ""  # a comment on the cell is not its text
                else:
                    stack.extend(reversed(child.childNodes))
                    continue
            total += len(piece)
            if total > MAX_CELL_CHARS:
                return TooLong(total)
            parts.append(piece)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)
