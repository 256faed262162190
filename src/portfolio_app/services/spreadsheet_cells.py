"""A spreadsheet's typed cell as the text the CSV columns read (docs/csv-format.md).

A date cell is a date and a number cell a number, whatever the locale: they are written the one
way the CSV rules read without doubt (ISO dates, plain decimals). A cell whose type cannot be
what its column means is refused with the fix, above all a date in a text column: that is a
spreadsheet that turned a title such as `1/2` into 1 February.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from portfolio_app.domain.dates import format_date
from portfolio_app.domain.hours import format_hours
from portfolio_app.services.spreadsheet_reader import Cell, ErrorCell, TooLong

DATE_COLUMNS = frozenset({"start", "end"})
NUMBER_COLUMNS = frozenset({"hours"})


def number_text(value: int | float) -> str:
    """Every digit, never an exponent: 2024 → '2024', 0.1 → '0.1'."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def _clock(value: time | timedelta) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def cell_text(column: str, cell: Cell) -> str:
    """The cell as its column's text. Raises ValueError (the message is for the user)."""
    if cell is None:
        return ""
    if isinstance(cell, ErrorCell):
        raise ValueError(f"the cell shows an error ({cell.text}): fix it or type the value")
    if isinstance(cell, TooLong):
        raise ValueError(f"the cell is too long ({cell.length:,} characters or more)")
    if isinstance(cell, bool):  # before int: True is an int
        if column in DATE_COLUMNS | NUMBER_COLUMNS:
            raise ValueError(f"is a TRUE/FALSE cell, not a {_wanted(column)}")
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, datetime | date):
        day = cell.date() if isinstance(cell, datetime) else cell
        if column in DATE_COLUMNS:
            return day.isoformat()
        if column in NUMBER_COLUMNS:
            raise ValueError(f"is a date ({format_date(day)}), not a number of hours")
        raise ValueError(
            f"the spreadsheet made this cell a date ({format_date(day)}): format the column "
            "as Text and type it again"
        )
    if isinstance(cell, time | timedelta):
        if column in NUMBER_COLUMNS:
            raise ValueError(
                f"is a time ({_clock(cell)}): write the hours as a number, such as 7.5"
            )
        if column in DATE_COLUMNS:
            raise ValueError(f"is a time ({_clock(cell)}), not a date")
        raise ValueError(
            f"the spreadsheet made this cell a time ({_clock(cell)}): format the column as "
            "Text and type it again"
        )
    if isinstance(cell, int | float):
        if column in NUMBER_COLUMNS:
            return format_hours(float(cell))
        if column in DATE_COLUMNS:
            raise ValueError(
                f"is a number ({number_text(cell)}), not a date: format the cell as a date "
                "or type it as 2026-03-04"
            )
        return number_text(cell)
    return str(cell)


def _wanted(column: str) -> str:
    return "date" if column in DATE_COLUMNS else "number of hours"
