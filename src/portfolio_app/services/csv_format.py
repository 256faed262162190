"""The activities CSV format shared by import, export and the template (see docs/csv-format.md)."""

from __future__ import annotations

import re
from datetime import date

COLUMNS = (
    "type",
    "title",
    "start",
    "end",
    "hours",
    "organisation",
    "sector",
    "extra_sectors",
    "contacts",
    "description",
    "visibility",
    "status",
)
REQUIRED = ("type", "title", "start")
LIST_SEPARATOR = ";"

# Cells a spreadsheet could run as a formula (CSV/formula injection).
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

TEMPLATE_ROWS = (
    (
        "shadowing",
        "Example (delete this row): shadowed a district nurse",
        "2026-03-04",
        "",
        "7",
        "Northshire Community Health",
        "community-trusts",
        "",
        "Siân Jones",
        "Two home visits and the team's morning handover.",
        "shared",
        "done",
    ),
    (
        "Peer event",
        "Example (delete this row): multi-agency safeguarding learning day",
        "12/05/2026",
        "",
        "",
        "Northshire Police;Northshire Council",
        "police;Local government",
        "voluntary-community",
        "",
        "",
        "private",
        "done",
    ),
)


def normalise_header(name: str) -> str:
    """'Extra sectors', 'extra-sectors' and 'EXTRA_SECTORS' are the same column."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def neutralise(cell: str) -> str:
    """Make a cell safe to open in a spreadsheet: a leading formula character gets a quote."""
    return "'" + cell if cell.startswith(_DANGEROUS_START) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise`, so export followed by import is lossless."""
    if cell.startswith("'") and cell[1:].startswith(_DANGEROUS_START):
        return cell[1:]
    return cell


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date:
    """ISO yyyy-mm-dd or UK dd/mm/yyyy. Raises ValueError with a message for the user."""
    value = text.strip()
    try:
        if _ISO_DATE.match(value):
            return date.fromisoformat(value)
        match = _UK_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    raise ValueError(f"{value!r} is not a date (use yyyy-mm-dd or dd/mm/yyyy)")


_NUMBER = re.compile(r"^\d{1,7}(?:[.,]\d+)?$")


def parse_hours(text: str) -> float:
    value = text.strip()
    if value.startswith("-") and _NUMBER.match(value[1:]):
        raise ValueError("hours must be 0 or more")
    if not _NUMBER.match(value):
        raise ValueError(f"{value!r} is not a number of hours")
    return float(value.replace(",", "."))


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_hours(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
