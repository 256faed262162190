"""Files as spreadsheets really save them: US dates, lost letters, workbooks, UTF-16, TSV, code
pages, and dates that are possible but probably slips. Every refusal changes nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from portfolio_app.cli.main import main
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.services.csv_import import CsvImportError, CsvNeedsConfirmation, RowProblem

SAVE_HINT = "save it as CSV UTF-8"


def refused(services: AppServices, raw: bytes) -> list[RowProblem]:
    before = services.csv_export.activities_csv()
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_bytes(raw, "test.csv")
    assert not isinstance(caught.value, CsvNeedsConfirmation)
    assert services.csv_export.activities_csv() == before
    return caught.value.problems


def to_confirm(services: AppServices, raw: bytes) -> list[RowProblem]:
    with pytest.raises(CsvNeedsConfirmation) as caught:
        services.csv_import.import_bytes(raw, "test.csv")
    assert services.activities.count() == 0
    assert "nothing was imported yet" in str(caught.value)
    return caught.value.problems


# --- dates in the wrong order -----------------------------------------------------------------

US_FILE = (
    "type,title,start,end\n"
    "training,Looks fine,03/04/2026,\n"  # read day-first this is 3 April: silently wrong
    "training,Gives it away,03/15/2026,\n"
    "training,ISO is never in doubt,2026-03-04,\n"
    "training,Also ambiguous,01/02/2026,\n"
    "training,Fine,2026-01-05,\n"
    "training,Gives it away again,02/03/2026,02/28/2026\n"
)


def test_a_us_file_is_refused_as_a_whole_naming_the_lines(with_profile: AppServices) -> None:
    problems = refused(with_profile, US_FILE.encode())
    assert [str(p) for p in problems] == [
        "dates look month-first (US) on lines 3, 7: "
        "save the file with dates as yyyy-mm-dd or dd/mm/yyyy"
    ]


def test_a_file_mixing_date_orders_is_refused(with_profile: AppServices) -> None:
    text = "type,title,start\ntraining,A,25/03/2026\ntraining,B,03/25/2026\ntraining,C,1/2/2026\n"
    (problem,) = refused(with_profile, text.encode())
    assert problem.line == 0
    assert "day-first on line 2 but month-first (US) on line 3" in problem.message
    assert "yyyy-mm-dd or dd/mm/yyyy" in problem.message
    # Day-first throughout (here with Excel's ';'): ambiguous dates keep their UK reading.
    uk = "type;title;start\ntraining;A;25/03/2026\ntraining;B;03/04/2026\n"
    with_profile.csv_import.import_bytes(uk.encode(), "uk.csv")
    exported, _ = with_profile.csv_export.activities_csv()
    assert "2026-03-25" in exported
    assert "2026-04-03" in exported


def test_date_order_is_reported_with_every_other_problem(with_profile: AppServices) -> None:
    text = (
        "type,title,start,end,hours,status\n"
        "training,A,03/15/2026,,1.500,\n"
        "training,B,2026-01-01,2026-12-31,,done\n"
        "bogus,C,2026-01-01,,,\n"
    )
    problems = refused(with_profile, text.encode())
    assert [(p.line, p.column) for p in problems] == [
        (0, ""),
        (2, "hours"),
        (3, "end"),
        (4, "type"),
    ]
    assert problems[1].message == (
        "'1.500' is ambiguous: write 1500 for 1,500 hours, or 1.5 without the extra digits"
    )
    assert "a done activity cannot end in the future (31 Dec 2026)" in problems[2].message


# --- what the file really is ------------------------------------------------------------------


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODS = _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
ROWS = "type,title,start\ntraining,Siân's course,2026-03-04\n"


READ_HINT = "save it as an Excel workbook (.xlsx), an OpenDocument spreadsheet (.ods) or CSV"
DAMAGED_HINT = "save it again"


@pytest.mark.parametrize(
    ("raw", "what", "hint"),
    [
        # Zips that look like workbooks are read as workbooks (tests/test_spreadsheet_import.py);
        # these two have no real sheet in them.
        (XLSX, "this file is an Excel workbook (.xlsx) but it cannot be read", DAMAGED_HINT),
        (
            ODS,
            "this file is an OpenDocument spreadsheet (.ods) but it cannot be read",
            DAMAGED_HINT,
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "an Excel 97-2003 workbook (.xls), or a password-protected workbook, which Portfolio "
            "cannot read",
            READ_HINT,
        ),
        (ROWS.encode("utf-16"), "this file is UTF-16 text", SAVE_HINT),
        (ROWS.encode("utf-16-le"), "this file is UTF-16 text", SAVE_HINT),  # no BOM: NULs tell
        (ROWS.replace(",", "\t").encode(), "the file is tab-separated", SAVE_HINT),
        (
            ROWS.replace(",", ";").encode("cp1252"),
            "the file is semicolon-separated text in a Windows code page",
            SAVE_HINT,
        ),
        (ROWS.encode("cp1252"), "the file is text in a Windows code page", SAVE_HINT),
    ],
)
def test_a_refusal_names_what_the_file_really_is(
    with_profile: AppServices, raw: bytes, what: str, hint: str
) -> None:
    (problem,) = refused(with_profile, raw)
    assert what in problem.message
    assert hint in problem.message


def test_a_tsv_with_quotes_is_not_blamed_on_its_quotes(with_profile: AppServices) -> None:
    raw = b'type\ttitle\tstart\ntraining\t"Quoted" then text\t2026-03-04\n'
    (problem,) = refused(with_profile, raw)
    assert "tab-separated" in problem.message
    assert "quote" not in problem.message


# --- lost letters and unusual dates need confirming -------------------------------------------

SLIPS = (
    "type,title,start,end,contacts,status,description\n"
    "shadowing,Shadowed Si?n,2026-03-04,,?ukasz Nowak,,See https://x.org/a?b=1 Why?\n"
    "training,Far ahead,2026-03-04,2099-01-01,,planned,\n"
    "training,Long ago,1900-05-01,,,,\n"
)


def test_lost_letters_and_unusual_dates_wait_for_confirmation(with_profile: AppServices) -> None:
    problems = to_confirm(with_profile, SLIPS.encode())
    assert [(p.line, p.column) for p in problems] == [
        (2, "title"),
        (2, "contacts"),
        (3, "end"),
        (4, "start"),
    ]
    assert problems[0].message.startswith("'Si?n' has a '?' inside a word: probably a letter lost")
    assert SAVE_HINT in problems[1].message
    assert problems[2].message == "1 Jan 2099 is more than a year ahead"
    assert problems[3].message == "1 May 1900 is before 1950"
    # A sure problem is a refusal, even with accept_warnings: confirming cannot fix it.
    with pytest.raises(CsvImportError) as caught:
        with_profile.csv_import.import_bytes(
            (SLIPS + "bogus,X,2026-01-01,,,,\n").encode(), "t.csv", accept_warnings=True
        )
    assert [(p.line, p.column) for p in caught.value.problems] == [(5, "type")]
    result = with_profile.csv_import.import_bytes(SLIPS.encode(), "t.csv", accept_warnings=True)
    assert result.activities == 3


def test_the_cli_imports_unusual_rows_only_when_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    path = tmp_path / "slips.csv"
    path.write_text(SLIPS, encoding="utf-8")
    data = ["--data-dir", str(paths.data_dir)]
    assert main([*data, "import-csv", str(path)]) == 1
    err = capsys.readouterr().err
    assert "4 things to confirm" in err
    assert "line 3, column 'end': 1 Jan 2099 is more than a year ahead" in err
    assert "import again with --accept-warnings" in err
    assert "Traceback" not in err
    assert main([*data, "import-csv", "--accept-warnings", str(path)]) == 0
    assert "Imported 3 activities" in capsys.readouterr().out


# --- round trip -------------------------------------------------------------------------------


def test_odd_unicode_survives_export_and_import(
    with_profile: AppServices,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    set_up_paths: Callable[[Path], AppPaths],
) -> None:
    text = (
        "type,title,start,organisation,sector,contacts,description,status\n"
        "shadowing,Siân's day,2026-03-04,Łódź Partnership,police,Łukasz Nowak;Zoë Brontë,"
        '"Ça va — naïve café, 日本",\n'
        "peer-event,Zoë's conference,2099-06-01,,,,,planned\n"  # far ahead: confirmed
    )
    with_profile.csv_import.import_bytes(text.encode(), "in.csv", accept_warnings=True)
    out = tmp_path / "out.csv"
    with_profile.csv_export.export_activities(out)
    fresh = str(set_up_paths(tmp_path / "fresh").data_dir)
    capsys.readouterr()
    assert main(["--data-dir", fresh, "import-csv", str(out)]) == 1
    assert "1 thing to confirm" in capsys.readouterr().err  # the far date is asked about again
    assert main(["--data-dir", fresh, "import-csv", "--accept-warnings", str(out)]) == 0
    again = tmp_path / "again.csv"
    assert main(["--data-dir", fresh, "export-csv", "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    capsys.readouterr()
    assert "Łukasz Nowak;Zoë Brontë" in out.read_text(encoding="utf-8-sig")
