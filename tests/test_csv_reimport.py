"""Re-importing the app's own CSV export adds nothing twice: each row carries its activity's
stable id, so a known id updates (or leaves alone) that activity and an unknown one creates it
with that id. Real files, real databases; every field compared."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Lesson
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services import csv_format as fmt
from portfolio_app.services.csv_import import CsvImportError
from test_csv_export import fill_with_awkward_data, read_export, records


def snapshot(s: AppServices) -> tuple[object, ...]:
    """Every activity field (database ids included), and how many of everything there is."""
    return (
        sorted(s.activities.list_all(), key=lambda a: a.id or 0),
        sorted(s.organisations.list_all(), key=lambda o: o.id or 0),
        sorted(s.contacts.list_all(), key=lambda c: c.id or 0),
        s.activities.count(),
        len(s.lessons.list_all()),
    )


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def awkward(s: AppServices) -> None:
    fill_with_awkward_data(s)
    # A planned activity far ahead: a fresh import asks about it; a re-import of it does not.
    s.activities.create(
        Activity(
            ActivityType.SECONDMENT, "Zoë's secondment", date(2099, 1, 1), status=Status.PLANNED
        )
    )


def test_an_export_imported_into_its_own_database_changes_nothing(
    with_profile: AppServices, tmp_path: Path
) -> None:
    awkward(with_profile)
    before = snapshot(with_profile)
    path = tmp_path / "export.csv"
    count = with_profile.csv_export.export_activities(path)
    result = with_profile.csv_import.import_file(path)  # no confirmation asked for
    assert (result.created, result.updated, result.unchanged) == (0, 0, count)
    assert result.counts() == f"0 new, 0 updated, {count} unchanged"
    assert (result.organisations_created, result.contacts_created) == (0, 0)
    assert snapshot(with_profile) == before
    again = tmp_path / "again.csv"
    with_profile.csv_export.export_activities(again)
    assert again.read_bytes() == path.read_bytes()


def test_an_edited_export_updates_in_place_and_a_deleted_activity_comes_back(
    with_profile: AppServices, tmp_path: Path
) -> None:
    awkward(with_profile)
    path = tmp_path / "export.csv"
    with_profile.csv_export.export_activities(path)
    header, *rows = read_export(path)
    column = {name: i for i, name in enumerate(header)}
    by_title = {a.title: a for a in with_profile.activities.list_all()}
    edited = next(r for r in rows if r[column["title"]] == "Plain")
    edited[column["title"]] = "Plain, renamed by Siân"
    edited[column["hours"]] = "8.5"
    plain = by_title["Plain"]
    assert plain.id is not None
    lesson = with_profile.lessons.create(Lesson("What Plain taught me", activity_id=plain.id))
    gone = by_title["Zoë"]
    assert gone.id is not None
    with_profile.activities.delete(gone.id)
    count_before = with_profile.activities.count()

    result = with_profile.csv_import.import_file(
        write_rows(tmp_path / "edited.csv", [header, *rows])
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, len(rows) - 2)
    assert with_profile.activities.count() == count_before + 1
    renamed = with_profile.activities.get(plain.id)
    assert replace(renamed, title="Plain", hours=plain.hours) == plain  # the rest as it was
    assert (renamed.title, renamed.hours) == ("Plain, renamed by Siân", 8.5)
    assert with_profile.lessons.get(lesson.id or 0).activity_id == plain.id  # still linked
    # The deleted one is back with its id: exporting now gives the edited file exactly.
    final = tmp_path / "final.csv"
    with_profile.csv_export.export_activities(final)
    assert sorted(map(tuple, read_export(final)[1:])) == sorted(map(tuple, rows))


def test_unknown_ids_create_activities_that_keep_them(
    with_profile: AppServices, tmp_path: Path, set_up_paths: Callable[[Path], AppPaths]
) -> None:
    awkward(with_profile)
    path = tmp_path / "export.csv"
    count = with_profile.csv_export.export_activities(path)
    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        first = fresh.csv_import.import_file(path, accept_warnings=True)
        assert (first.created, first.updated, first.unchanged) == (count, 0, 0)
        assert records(fresh) == records(with_profile)
        second = fresh.csv_import.import_file(path)
        assert (second.created, second.updated, second.unchanged) == (0, 0, count)
        assert fresh.activities.count() == count
        out = tmp_path / "fresh.csv"
        fresh.csv_export.export_activities(out)
        assert out.read_bytes() == path.read_bytes()  # the same ids
    finally:
        fresh.close()


def test_rows_without_ids_are_new_every_time(with_profile: AppServices, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "plain.csv",
        [["type", "title", "start"], ["training", "Łukasz's course", "2026-01-05"]],
    )
    with_profile.csv_import.import_file(path)
    result = with_profile.csv_import.import_file(path)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    assert with_profile.activities.count() == 2
    empty_id = write_rows(
        tmp_path / "empty-id.csv",
        [["type", "title", "start", "id"], ["training", "Łukasz's course", "2026-01-05", ""]],
    )
    assert with_profile.csv_import.import_file(empty_id).created == 1


def test_bad_and_repeated_ids_are_refused_and_nothing_changes(
    with_profile: AppServices, tmp_path: Path
) -> None:
    with_profile.activities.create(Activity(ActivityType.TRAINING, "Kept", date(2025, 1, 1)))
    path = tmp_path / "export.csv"
    with_profile.csv_export.export_activities(path)
    header, row = read_export(path)
    known = row[-1]
    new = str(uuid.uuid4())
    rows = [
        header,
        [*row[:-1], known],
        ["training", "Repeat of Kept", "2025-01-02", *[""] * 9, known.upper()],  # the same id
        ["training", "Not an id", "2025-01-03", *[""] * 9, "42"],
        ["training", "Fine", "2025-01-04", *[""] * 9, new],
    ]
    before = snapshot(with_profile)
    with pytest.raises(CsvImportError) as caught:
        with_profile.csv_import.import_file(write_rows(tmp_path / "bad.csv", rows))
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, "id"), (4, "id")]
    assert caught.value.problems[0].message == "the same id is on line 2 too"
    assert caught.value.problems[1].message.startswith("'42' is not an id Portfolio wrote")
    assert snapshot(with_profile) == before


def test_a_workbook_with_ids_updates_too(with_profile: AppServices, tmp_path: Path) -> None:
    kept = with_profile.activities.create(Activity(ActivityType.TRAINING, "Kept", date(2025, 1, 1)))
    path = tmp_path / "export.csv"
    with_profile.csv_export.export_activities(path)
    header, row = read_export(path)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    values: list[object] = list(row)
    values[header.index("start")] = date(2025, 1, 1)  # a real date cell
    values[header.index("title")] = "Kept, in a workbook"
    sheet.append(values)
    book.save(tmp_path / "edited.xlsx")
    result = with_profile.csv_import.import_file(tmp_path / "edited.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert with_profile.activities.get(kept.id or 0).title == "Kept, in a workbook"


def test_the_cli_reports_new_updated_and_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    data = ["--data-dir", str(paths.data_dir)]
    first = write_rows(
        tmp_path / "in.csv",
        [
            ["type", "title", "start"],
            ["training", "A", "2026-01-05"],
            ["training", "B", "2026-01-06"],
        ],
    )
    assert main([*data, "import-csv", str(first)]) == 0
    out = tmp_path / "out.csv"
    assert main([*data, "export-csv", "--out", str(out)]) == 0
    header, *rows = read_export(out)
    rows[0][header.index("title")] = "A, edited"
    rows.append(["training", "C", "2026-01-07", *[""] * (len(fmt.COLUMNS) - 3)])
    capsys.readouterr()
    assert (
        main([*data, "import-csv", str(write_rows(tmp_path / "again.csv", [header, *rows]))]) == 0
    )
    assert capsys.readouterr().out == (
        "Imported 3 activities: 1 new, 1 updated, 1 unchanged "
        "(0 new organisations, 0 new contacts).\n"
    )
