"""CSV at size: the export is streamed and writes exactly what the whole-list export wrote; the
import streams the file, writes in bulk and stays all or nothing; the size limits."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.services import AppServices, csv_import
from portfolio_app.services import csv_format as fmt
from portfolio_app.services.csv_import import CsvImportError
from portfolio_app.services.organisations import OrganisationService

SECTORS = ("police", "nhs", "care-homes", "council-housing")
NAMES = ("Siân", "Łukasz", "Zoë", "Nguyễn", "Ó Briain")


def old_activities_csv(services: AppServices) -> str:
    """The export as it was before streaming: every row through ActivityService.rows()."""
    organisations = {
        o.id: o for o in OrganisationService(services.db, services.taxonomy).list_all()
    }
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fmt.COLUMNS)
    rows = services.activities.rows()
    with services.db.transaction() as session:
        from sqlalchemy import select

        from portfolio_app.storage import tables as t

        uids = dict(session.execute(select(t.ActivityRow.id, t.ActivityRow.uid)).all())
    for row in rows:
        orgs = [organisations[i] for i in row.activity.organisation_ids if i in organisations]
        uid = uids.get(row.activity.id) if row.activity.id is not None else None
        exported = fmt.ExportRow(row.activity, orgs, row.contact_names, uid or None)
        writer.writerow([fmt.neutralise(column.write(exported)) for column in fmt.TABLE])
    return buffer.getvalue()


def _fill(services: AppServices, count: int) -> None:
    with services.db.unit_of_work() as session:
        orgs = services.organisations.add_many_in(
            session,
            [Organisation(f"{n} Hub {i}", SECTORS[i % 4]) for i, n in enumerate(NAMES * 2)],
        )
        org_ids = [o.id for o in orgs if o.id is not None]
        people = services.contacts.add_many_in(
            session,
            [
                Contact(f"{n} {i}", roles=(ContactRole(org_ids[i], "Lead"),))
                for i, n in enumerate(NAMES * 2)
            ],
        )
        contact_ids = [c.id for c in people if c.id is not None]
        activities = [
            Activity(
                type=list(ActivityType)[i % len(ActivityType)],
                title=f"=SUM(A{i}) {NAMES[i % 5]}'s day" if i % 7 == 0 else f"Day {i} — café",
                start=date(2020, 1, 1) + timedelta(days=i % 40),  # many on the same day
                end=date(2020, 3, 1) if i % 3 == 0 else None,
                hours=[None, 1.5, 7.25, 1 / 3][i % 4],
                organisation_ids=tuple(org_ids[(i + k) % 10] for k in range(i % 4)),
                extra_sector_ids=("police",) if i % 5 == 0 else (),
                contact_ids=tuple(contact_ids[(i + k) % 10] for k in range(i % 3)),
                description=f'line one\r\nline "two"; {NAMES[i % 5]}\n' * (i % 3),
                visibility=Visibility.SHARED if i % 2 else Visibility.PRIVATE,
            )
            for i in range(count)
        ]
        services.activities.add_many_in(session, activities)


def test_the_streamed_export_writes_what_the_old_export_wrote(
    services: AppServices, tmp_path: Path
) -> None:
    _fill(services, 300)
    expected = old_activities_csv(services)
    path = tmp_path / "out.csv"
    assert services.csv_export.export_activities(path) == 300
    assert path.read_bytes() == expected.encode("utf-8-sig")
    assert services.csv_export.activities_csv() == (expected, 300)
    assert "Siân" in expected and "'=SUM" in expected


def _rows(count: int) -> list[list[str]]:
    return [
        [
            "training",
            f"Course {i} with {NAMES[i % 5]}",
            (date(2015, 1, 1) + timedelta(days=i % 2000)).isoformat(),
            "",
            "2",
            f"{NAMES[i % 5]} Trust {i % 50}",
            SECTORS[i % 50 % 4],
            "",
            f"{NAMES[i % 5]} Person {i % 300}",
            "Ünïcode — notes",
            "shared",
            "done",
            "",
        ]
        for i in range(count)
    ]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(fmt.COLUMNS)
        writer.writerows(rows)


def test_a_big_import_with_a_bad_late_row_imports_nothing(
    with_profile: AppServices, tmp_path: Path
) -> None:
    services = with_profile
    before = (services.organisations.list_all(), services.contacts.list_all())
    rows = _rows(3_000)
    rows[2_997][2] = "31/02/2024"  # line 2,999: the header is line 1
    path = tmp_path / "big.csv"
    _write_csv(path, rows)
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_file(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2_999, "start")
    assert services.activities.count() == 0
    assert (services.organisations.list_all(), services.contacts.list_all()) == before


def test_a_big_import_writes_in_bulk_and_comes_back_unchanged(
    with_profile: AppServices, tmp_path: Path
) -> None:
    services = with_profile
    path = tmp_path / "big.csv"
    _write_csv(path, _rows(3_000))
    result = services.csv_import.import_file(path)
    assert result.counts() == "3000 new, 0 updated, 0 unchanged"
    assert (result.organisations_created, result.contacts_created) == (50, 300)
    assert services.activities.count() == 3_000
    again = tmp_path / "again.csv"
    services.csv_export.export_activities(again)
    assert services.csv_import.import_file(again).counts() == "0 new, 0 updated, 3000 unchanged"
    names = {c.name for c in services.contacts.list_all()}
    assert "Łukasz Person 1" in names and "Nguyễn Person 3" in names


def test_the_limit_lets_a_whole_career_in_and_keeps_absurd_files_out(
    services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert csv_import.MAX_FILE_BYTES >= 200 * 1024 * 1024  # the 100k export is about 90 MB
    monkeypatch.setattr(csv_import, "MAX_SHEET_BYTES", 1024)
    workbook = tmp_path / "big.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 4096)
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_file(workbook)
    assert str(caught.value.problems[0]) == (
        "the file is too large (4,100 bytes; the limit is 0 MB)"
    )


def test_a_line_that_is_not_utf8_is_named_when_streamed(
    services: AppServices, tmp_path: Path
) -> None:
    path = tmp_path / "latin.csv"
    body = b"type,title,start\r\n" + b"training,Fine,2024-01-01\r\n" * 5
    path.write_bytes(body + b'training,"Two\nlines Si\xe2n",2024-01-01\r\n')
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_file(path)
    assert caught.value.problems[0].line == 8
    assert services.activities.count() == 0
