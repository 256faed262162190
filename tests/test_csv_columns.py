"""The CSV columns are described once (services/csv_format.TABLE): the template, the export and
the user's documentation all follow that one table."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.services import csv_format as fmt
from portfolio_app.services.csv_export import CsvExportService

DOC = Path(__file__).resolve().parents[1] / "docs" / "csv-format.md"
_DOC_ROW = re.compile(r"^\| `([a-z_]+)` \| (yes|no) \|", re.MULTILINE)


def documented_columns() -> dict[str, bool]:
    section = DOC.read_text(encoding="utf-8").split("## The columns", 1)[1].split("\n## ", 1)[0]
    table = section.split("\n### ", 1)[0]  # the activity types' table is not about columns
    return {name: required == "yes" for name, required in _DOC_ROW.findall(table)}


def test_the_docs_list_every_column_and_no_other() -> None:
    assert documented_columns() == {c.name: c.required for c in fmt.TABLE}


def test_the_names_are_the_promised_ones() -> None:
    # Users' spreadsheets and scripts rely on these exact names, in this order.
    assert list(fmt.COLUMNS) == [
        *("type", "title", "start", "end", "hours", "organisation", "sector"),
        *("extra_sectors", "contacts", "description", "visibility", "status", "id"),
    ]
    assert list(fmt.REQUIRED) == ["type", "title", "start"]


def test_the_template_follows_the_table() -> None:
    header, *rows = list(csv.reader(io.StringIO(CsvExportService.template(), newline="")))
    assert header == list(fmt.COLUMNS)
    assert all(set(row) <= set(fmt.COLUMNS) for row in fmt.TEMPLATE_ROWS)
    assert all(len(row) == len(header) for row in rows)


def test_each_column_reads_back_what_it_writes() -> None:
    activity = Activity(
        ActivityType.PEER_EVENT,
        "Zoë's day",
        date(2024, 3, 12),
        end=date(2024, 3, 14),
        hours=1234.5,
        extra_sector_ids=("police", "fire-rescue"),
        description="line one\nline two",
        visibility=Visibility.SHARED,
        status=Status.PLANNED,
    )
    orgs = [Organisation("Łódź Partnership", "police"), Organisation("Plain", "")]
    row = fmt.ExportRow(activity, orgs, ["Łukasz Nowak", "Siân"])
    written = {c.name: c.write(row) for c in fmt.TABLE}
    assert written["sector"] == "police;"
    for column in fmt.TABLE:
        if column is not fmt.SECTOR:
            assert column.read(written[column.name]) == column.get(row), column.name
    assert fmt.SECTOR.read(written["sector"]) == ["police"]  # a trailing blank is no sector
