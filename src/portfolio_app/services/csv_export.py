"""Export activities to CSV in the same format the importer reads (round trip safe)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import BinaryIO, TextIO

from portfolio_app import atomic_files
from portfolio_app.services import csv_format as fmt
from portfolio_app.services import csv_rows
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.errors import ServiceError


class CsvExportService(ServiceBase):
    def activities_csv(self) -> tuple[str, int]:
        """The CSV text and the number of activities in it."""
        buffer = io.StringIO(newline="")
        count = self.write_activities(buffer)
        return buffer.getvalue(), count

    def write_activities(self, out: TextIO) -> int:
        """Write the CSV of every readable activity to `out`, row by row, newest first (as the
        activities list shows them): the rows are streamed from plain SELECTs, never all held.
        Damaged activities are left out, as the list leaves them out; a damaged organisation
        or contact is left out of a row's names. Returns the number of activities written."""
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(fmt.COLUMNS)
        count = 0
        with self.db.transaction() as session:
            for exported in csv_rows.export_rows(session):
                writer.writerow([fmt.neutralise(column.write(exported)) for column in fmt.TABLE])
                count += 1
        return count

    def export_activities(self, path: Path) -> int:
        """Write every activity to `path` (UTF-8 with BOM, for Excel), streamed into the
        atomic writer's temp file. Returns the count."""
        count = 0

        def write(handle: BinaryIO) -> None:
            nonlocal count
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=False)
            try:
                count = self.write_activities(text)
                text.flush()
            finally:
                text.detach()  # the atomic writer syncs and closes the file itself

        try:
            atomic_files.write_atomically(path, write)
        except OSError as exc:  # a FileProblem: one sentence naming the file and the cause
            raise ServiceError(str(exc)) from exc
        return count

    @staticmethod
    def template() -> str:
        """A header and two example rows for users to fill in (they import as they stand)."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(fmt.COLUMNS)
        # Every CSV the app writes is neutralised, even one whose rows we wrote ourselves.
        writer.writerows(
            [fmt.neutralise(row.get(name, "")) for name in fmt.COLUMNS] for row in fmt.TEMPLATE_ROWS
        )
        return buffer.getvalue()

    @classmethod
    def write_template(cls, path: Path) -> None:
        """The template as CSV, or as an Excel workbook with its column formats set when `path`
        ends in .xlsx (docs/csv-format.md)."""
        suffix = path.suffix.casefold()
        if suffix == ".xlsx":
            from portfolio_app.services.spreadsheet_template import template_xlsx

            write_bytes_atomically(path, template_xlsx())
        elif suffix in (".ods", ".xls", ".xlsm", ".numbers"):
            raise ServiceError(
                f"cannot write {path}: the template is written as .csv or .xlsx "
                "(LibreOffice, Numbers and Google Sheets open .xlsx)"
            )
        else:
            write_text_atomically(path, cls.template(), encoding="utf-8-sig")


def write_bytes_atomically(path: Path, data: bytes) -> None:
    def write(handle: BinaryIO) -> None:
        handle.write(data)

    try:
        atomic_files.write_atomically(path, write)
    except OSError as exc:  # a FileProblem: one sentence naming the file and the cause
        raise ServiceError(str(exc)) from exc


def write_text_atomically(path: Path, text: str, *, encoding: str) -> None:
    """Write to a temp file beside `path`, then rename: a failure never leaves half a file.
    A device or special file is refused, and a full disk said so (file_checks)."""
    try:
        atomic_files.write_text_atomically(path, text, encoding=encoding)
    except OSError as exc:  # a FileProblem: one sentence naming the file and the cause
        raise ServiceError(str(exc)) from exc
