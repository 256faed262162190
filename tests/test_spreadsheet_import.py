"""import-csv reads Excel (.xlsx) and OpenDocument (.ods) files as they are: a date cell is a
date, an hours cell a number, text is text; the same columns, rules and all-or-nothing import as
CSV, with problems naming the sheet and row. Files are real workbooks built in tmp_path."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P, S

from portfolio_app.cli.main import main
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, spreadsheet_reader
from portfolio_app.services.csv_import import CsvImportError, CsvNeedsConfirmation, RowProblem
from portfolio_app.services.spreadsheet_template import TEXT_FORMAT

HEADER = ["type", "title", "start", "end", "hours", "organisation", "sector", "contacts"]


def xlsx(path: Path, rows: list[list[Any]], title: str = "Activities") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _ods_cell(value: Any) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, date):
        return TableCell(valuetype="date", datevalue=value.isoformat())
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value))
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string")
    for line in str(value).split("\n"):
        cell.addElement(P(text=line))
    return cell


def ods(path: Path, rows: list[list[Any]], name: str = "Blad 1", repeat: int = 1) -> Path:
    """`repeat`: the last row is written once with number-rows-repeated, as LibreOffice does."""
    document = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for index, row in enumerate(rows):
        last = index == len(rows) - 1
        element = TableRow(numberrowsrepeated=repeat) if last and repeat > 1 else TableRow()
        for value in row:
            element.addElement(_ods_cell(value))
        table.addElement(element)
    # What LibreOffice writes after the data: a million empty rows of 1,024 empty cells.
    tail = TableRow(numberrowsrepeated=1_048_000)
    tail.addElement(TableCell(numbercolumnsrepeated=1024))
    table.addElement(tail)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


GOOD_ROWS: list[list[Any]] = [
    HEADER,
    [
        "shadowing",
        "1/2",  # text, as typed into a Text column: never 1 February
        date(2026, 3, 4),
        None,
        7.5,
        "Łódź Partnership",
        "police",
        "Siân Jones;Zoë Brontë",
    ],
    ["Peer event", "Safeguarding day", date(2026, 1, 12), date(2026, 1, 13), 1500, "", "", ""],
]


def refused(services: AppServices, path: Path) -> list[RowProblem]:
    before = services.csv_export.activities_csv()
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_file(path)
    assert not isinstance(caught.value, CsvNeedsConfirmation)
    assert services.csv_export.activities_csv() == before
    assert services.activities.count() == 0
    return caught.value.problems


def check_good_import(services: AppServices) -> None:
    by_title = {a.title: a for a in services.activities.list_all()}
    assert set(by_title) == {"1/2", "Safeguarding day"}
    shadowing = by_title["1/2"]
    assert shadowing.start == date(2026, 3, 4)
    assert shadowing.end is None
    assert shadowing.hours == 7.5
    day = by_title["Safeguarding day"]
    assert (day.start, day.end, day.hours) == (date(2026, 1, 12), date(2026, 1, 13), 1500)
    assert {c.name for c in services.contacts.list_all()} == {"Siân Jones", "Zoë Brontë"}
    assert "Łódź Partnership" in {o.name for o in services.organisations.list_all()}


@pytest.mark.parametrize("make", [xlsx, ods])
def test_a_workbook_imports_with_its_typed_cells(
    with_profile: AppServices, tmp_path: Path, make: Any
) -> None:
    path = make(tmp_path / f"log.{make.__name__}", GOOD_ROWS)
    result = with_profile.csv_import.import_file(path)
    assert (result.activities, result.organisations_created, result.contacts_created) == (2, 1, 2)
    check_good_import(with_profile)


@pytest.mark.parametrize("make", [xlsx, ods])
def test_an_invalid_row_names_sheet_and_row_and_stores_nothing(
    with_profile: AppServices, tmp_path: Path, make: Any
) -> None:
    rows = [
        *GOOD_ROWS,
        ["training", "Bad hours", date(2026, 2, 2), None, -3, "", "", ""],
        ["conference", "Bad type", "31/02/2026", None, None, "", "", ""],
    ]
    name = "Activities" if make is xlsx else "Blad 1"
    problems = refused(with_profile, make(tmp_path / f"bad.{make.__name__}", rows))
    assert [str(p) for p in problems] == [
        f"sheet {name!r}, row 4, column 'hours': hours must be 0 or more",
        f"sheet {name!r}, row 5, column 'type': unknown activity type 'conference' "
        "(use one of: secondment, mentoring-given, mentoring-received, shadowing, peer-event, "
        "joint-project, action-learning, training, other)",
        f"sheet {name!r}, row 5, column 'start': '31/02/2026': February 2026 has no day 31",
    ]
    assert all(p.sheet == name for p in problems)


def test_a_title_the_spreadsheet_turned_into_a_date_is_refused_with_the_fix(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [HEADER, ["training", date(2026, 2, 1), date(2026, 3, 4)]]
    (problem,) = refused(with_profile, xlsx(tmp_path / "dated.xlsx", rows))
    assert (problem.line, problem.column) == (2, "title")
    assert problem.message == (
        "the spreadsheet made this cell a date (1 Feb 2026): format the column as Text and "
        "type it again"
    )


def test_cells_of_the_wrong_type_say_what_they_are(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["training", "Date as hours", date(2026, 3, 4), None, date(2026, 1, 1)],
        ["training", "Time as hours", date(2026, 3, 4), None, time(7, 30)],
        ["training", "Number as date", 45000, None, 1],
        ["training", "Error cell", date(2026, 3, 4), None, "#N/A"],
        [True, "Boolean type", datetime(2026, 3, 4, 9, 30), None, 2],
    ]
    problems = refused(with_profile, xlsx(tmp_path / "types.xlsx", rows))
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, "hours", "is a date (1 Jan 2026), not a number of hours"),
        (3, "hours", "is a time (07:30): write the hours as a number, such as 7.5"),
        (
            4,
            "start",
            "is a number (45000), not a date: format the cell as a date or type it as 2026-03-04",
        ),
        (5, "hours", "the cell shows an error (#N/A): fix it or type the value"),
        (
            6,
            "type",
            "unknown activity type 'TRUE' (use one of: secondment, mentoring-given, "
            "mentoring-received, shadowing, peer-event, joint-project, action-learning, training, "
            "other)",
        ),
    ]


def test_text_dates_follow_the_csv_rules_and_numbers_in_text_columns_are_text(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["training", 2024, "04/03/2026", "2026-03-05", "7,5", "", "", ""],
        ["training", "'=SUM(A1)", "2026-03-04", None, None, "", "", ""],
    ]
    with_profile.csv_import.import_file(xlsx(tmp_path / "text.xlsx", rows))
    by_title = {a.title: a for a in with_profile.activities.list_all()}
    assert by_title["2024"].start == date(2026, 3, 4)  # day first, as in a CSV
    assert by_title["2024"].hours == 7.5
    assert "=SUM(A1)" in by_title  # the export's apostrophe rule runs backwards here too


def test_us_text_dates_in_a_sheet_are_reported_by_row(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [HEADER, ["training", "A", "03/04/2026"], ["training", "B", "03/15/2026"]]
    (problem,) = refused(with_profile, ods(tmp_path / "us.ods", rows))
    assert str(problem) == (
        "sheet 'Blad 1': dates look month-first (US) on row 3: type the dates as yyyy-mm-dd or "
        "dd/mm/yyyy, or make the cells dates"
    )


def test_repeated_rows_are_each_a_row_and_empty_ones_cost_nothing(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [HEADER, ["training", "Weekly supervision", date(2026, 3, 4), None, 1, "", "", ""]]
    result = with_profile.csv_import.import_file(ods(tmp_path / "rep.ods", rows, repeat=3))
    assert result.activities == 3


def test_a_header_only_sheet_and_unknown_columns(with_profile: AppServices, tmp_path: Path) -> None:
    (problem,) = refused(with_profile, xlsx(tmp_path / "empty.xlsx", [HEADER]))
    assert str(problem) == (
        "sheet 'Activities', row 2: the sheet has a header row but no activities"
    )
    problems = refused(with_profile, xlsx(tmp_path / "cols.xlsx", [["type", "title", "Notes"]]))
    assert [(p.line, p.column) for p in problems] == [(1, "Notes"), (1, "start")]


def test_a_value_past_the_last_column_read_is_refused_not_dropped(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [HEADER, ["training", "A", date(2026, 3, 4)]]
    path = xlsx(tmp_path / "wide.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book.active.cell(row=2, column=spreadsheet_reader.MAX_COLUMNS + 1, value="stray")  # type: ignore[union-attr]
    book.save(path)
    (problem,) = refused(with_profile, path)
    assert (problem.line, problem.sheet) == (2, "Activities")
    assert "past column 100" in problem.message


def test_lost_letters_in_a_sheet_ask_to_retype_them(
    with_profile: AppServices, tmp_path: Path
) -> None:
    rows = [HEADER, ["training", "Shadowed Si?n", date(2026, 3, 4)]]
    with pytest.raises(CsvNeedsConfirmation) as caught:
        with_profile.csv_import.import_file(xlsx(tmp_path / "lost.xlsx", rows))
    (problem,) = caught.value.problems
    assert str(problem).startswith("sheet 'Activities', row 2, column 'title': 'Si?n' has a '?'")
    assert problem.message.endswith("type the letter again in the spreadsheet")
    assert with_profile.activities.count() == 0


# --- hostile and unreadable files ---------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_directory_before_parsing(
    with_profile: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet_reader, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = xlsx(tmp_path / "bomb.xlsx", GOOD_ROWS)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(2 * 1024 * 1024))  # 2 MB of zeros
    assert path.stat().st_size < 64 * 1024  # small on disk
    (problem,) = refused(with_profile, path)
    assert problem.message.startswith(
        "this file is an Excel workbook (.xlsx) that unpacks to 2,1"
    ), problem.message
    assert "the limit is 1 MB unpacked" in problem.message


def test_a_huge_run_of_spaces_in_an_ods_cell_is_refused(
    with_profile: AppServices, tmp_path: Path
) -> None:
    path = ods(tmp_path / "spaces.ods", [HEADER, ["training", "x", date(2026, 3, 4)]])
    document = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    for values in (["type", "title", "start"], ["training", None, date(2026, 3, 4)]):
        row = TableRow()
        for value in values:
            if value is None:
                cell = TableCell(valuetype="string")
                paragraph = P(text="a")
                paragraph.addElement(S(c="1000000000"))  # a gigabyte of spaces, if expanded
                cell.addElement(paragraph)
            else:
                cell = _ods_cell(value)
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    (problem,) = refused(with_profile, path)
    assert (problem.line, problem.column, problem.sheet) == (2, "title", "Sheet1")
    assert problem.message.startswith("the cell is too long")


@pytest.mark.parametrize(
    ("name", "raw", "what"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003 workbook"),
        ("apple.numbers", None, "an Apple Numbers spreadsheet (.numbers)"),
        ("binary.xlsb", None, "an Excel binary workbook (.xlsb)"),
    ],
)
def test_workbooks_that_cannot_be_read_are_refused_clearly(
    with_profile: AppServices, tmp_path: Path, name: str, raw: bytes | None, what: str
) -> None:
    if raw is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            if name.endswith(".numbers"):
                archive.writestr("Index/Document.iwa", b"\x00" * 10)
            else:
                archive.writestr("xl/workbook.bin", b"\x00" * 10)
        raw = buffer.getvalue()
    path = tmp_path / name
    path.write_bytes(raw)
    (problem,) = refused(with_profile, path)
    assert what in problem.message
    assert "which Portfolio cannot read: save it as an Excel workbook (.xlsx)" in problem.message


def test_a_damaged_workbook_is_one_clear_problem(with_profile: AppServices, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "log.xlsx", GOOD_ROWS)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename)
    raw[start : start + 40] = bytes(40)  # the sheet's compressed data, overwritten
    path.write_bytes(bytes(raw))
    (problem,) = refused(with_profile, path)
    assert problem.message.startswith("this file is an Excel workbook (.xlsx) but it cannot")
    assert "save it again" in problem.message


# --- the command line and the template -----------------------------------------------------------


def test_the_cli_imports_a_workbook_and_reports_sheet_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    data = ["--data-dir", str(paths.data_dir)]
    bad = xlsx(tmp_path / "bad.xlsx", [HEADER, ["training", "", date(2026, 3, 4)]])
    assert main([*data, "import-csv", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "sheet 'Activities', row 2, column 'title': is required" in err
    assert "Traceback" not in err
    good = ods(tmp_path / "good.ods", GOOD_ROWS)
    assert main([*data, "import-csv", str(good)]) == 0
    assert "Imported 2 activities" in capsys.readouterr().out


def test_the_xlsx_template_sets_column_formats_and_imports_as_it_stands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    out = tmp_path / "template.xlsx"
    assert main(["--data-dir", str(paths.data_dir), "csv-template", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote an Excel (.xlsx) template to {out}.\n"
    assert out.stat().st_mode & 0o077 == 0
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["type", "title", "start"]
    column = {name: index + 1 for index, name in enumerate(header)}
    # A title typed later in an empty row stays text: the cells and the column say '@'.
    assert sheet.cell(row=50, column=column["title"]).number_format == TEXT_FORMAT
    assert sheet.column_dimensions["B"].number_format == TEXT_FORMAT
    assert sheet.cell(row=50, column=column["start"]).number_format == "yyyy-mm-dd"
    assert isinstance(sheet.cell(row=2, column=column["start"]).value, datetime)
    assert isinstance(sheet.cell(row=2, column=column["hours"]).value, int | float)
    assert sheet.cell(row=2, column=column["contacts"]).value == "Siân Jones"
    assert main(["--data-dir", str(paths.data_dir), "import-csv", str(out)]) == 0
    assert "Imported 2 activities" in capsys.readouterr().out


def test_an_ods_template_is_refused_not_written_as_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    out = tmp_path / "template.ods"
    assert main(["--data-dir", str(paths.data_dir), "csv-template", "--out", str(out)]) == 1
    assert "the template is written as .csv or .xlsx" in capsys.readouterr().err
    assert not out.exists()


def test_an_ods_whose_sheets_unpack_past_its_limit_is_refused_before_parsing(
    with_profile: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ods(tmp_path / "big.ods", [HEADER, *[GOOD_ROWS[1]] * 200])
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("content.xml").file_size
    monkeypatch.setattr(spreadsheet_reader, "MAX_ODS_CONTENT_BYTES", size - 1)
    (problem,) = refused(with_profile, path)
    assert problem.message.startswith(
        f"this file is an OpenDocument spreadsheet (.ods) whose sheets unpack to {size:,} bytes"
    )
    monkeypatch.setattr(spreadsheet_reader, "MAX_ODS_CONTENT_BYTES", size)
    assert with_profile.csv_import.import_file(path).created == 200


def test_a_cell_far_down_is_its_own_row_number_and_the_gap_costs_nothing(
    with_profile: AppServices, tmp_path: Path
) -> None:
    path = xlsx(tmp_path / "far.xlsx", [HEADER, ["training", "A", date(2026, 3, 4)]])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet["B1048576"] = "Last row of the sheet"  # a tiny file; a million rows between
    book.save(path)
    problems = refused(with_profile, path)
    assert [(p.line, p.column) for p in problems] == [(1048576, "type"), (1048576, "start")]
