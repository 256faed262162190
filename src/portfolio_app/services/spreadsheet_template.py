"""The CSV template as an Excel workbook, with each column's cell format set.

Text columns are formatted as Text, so a spreadsheet keeps a title such as `1/2` as typed
instead of turning it into 1 February; date columns hold real dates shown as yyyy-mm-dd, and
hours are numbers. It imports as it stands, like the CSV template.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from portfolio_app.services import csv_format as fmt
from portfolio_app.services.spreadsheet_cells import DATE_COLUMNS, NUMBER_COLUMNS

SHEET_NAME = "Activities"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
HOURS_FORMAT = "0.##"
FORMATTED_ROWS = 500  # rows given the column's format as cells, for programs that ignore columns


def number_format(column: str) -> str:
    if column in DATE_COLUMNS:
        return DATE_FORMAT
    if column in NUMBER_COLUMNS:
        return HOURS_FORMAT
    return TEXT_FORMAT


def _typed(column: str, text: str) -> Any:
    """A template cell as the cell a user would type: a date, a number or text."""
    if not text:
        return None
    if column in DATE_COLUMNS:
        value: date | None = fmt.read_date(text)
        return value
    if column in NUMBER_COLUMNS:
        return fmt.HOURS.read(text)
    return text


def template_xlsx() -> bytes:
    """The workbook's bytes: a header row and the template's example rows."""
    from openpyxl import Workbook  # only when a workbook template is written
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    for index, column in enumerate(fmt.COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column)
        header.font = Font(bold=True)
        header.number_format = TEXT_FORMAT
        dimension = sheet.column_dimensions[letter]
        dimension.number_format = number_format(column)  # new cells typed in the column
        dimension.width = 14 if column in DATE_COLUMNS | NUMBER_COLUMNS else 28
        for row in range(2, FORMATTED_ROWS + 2):
            sheet.cell(row=row, column=index).number_format = number_format(column)
    for row_index, example in enumerate(fmt.TEMPLATE_ROWS, start=2):
        for index, column in enumerate(fmt.COLUMNS, start=1):
            cell = sheet.cell(row=row_index, column=index)
            cell.value = _typed(column, example.get(column, ""))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
