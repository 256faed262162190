"""The activities CSV format shared by import, export and the template (see docs/csv-format.md)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

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
    """'Extra sectors', 'extra-sectors' and 'EXTRA_SECTORS' are the same column.

    A stray BOM (a file saved twice with one) is dropped, so it cannot hide the first column.
    """
    return re.sub(r"[\s\-]+", "_", name.replace("\ufeff", "").strip().casefold())


def _looks_neutralised(cell: str) -> bool:
    """Apostrophes followed by a formula character: what `neutralise` writes."""
    return cell.lstrip("'").startswith(_DANGEROUS_START)


def neutralise(cell: str) -> str:
    """Make a cell safe to open in a spreadsheet: a leading formula character gets a quote.

    A cell that already looks neutralised ("'=x") gets one more, so `unneutralise` gives it back.
    """
    return "'" + cell if _looks_neutralised(cell) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` (one leading apostrophe), so export followed by import is lossless."""
    return cell[1:] if cell.startswith("'") and _looks_neutralised(cell) else cell


# [0-9], not \d: \d also matches other scripts' digits, which int() would then accept.
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> date:
    """ISO yyyy-mm-dd or UK dd/mm/yyyy. Raises ValueError with a message for the user."""
    value = text.strip()
    try:
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
        match = _UK_DATE.fullmatch(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    raise ValueError(f"{value!r} is not a date (use yyyy-mm-dd or dd/mm/yyyy)")


_NUMBER = re.compile(r"[0-9]{1,7}(?:[.,][0-9]+)?")
# '1,500' is 1500 to a UK reader and 1.5 to a German one: refuse rather than guess.
_THOUSANDS = re.compile(r"[0-9]{1,3},[0-9]{3}")


def parse_hours(text: str) -> float:
    """A number of hours, 0 or more; '1.5' and '1,5' (Excel in many locales) are both 1.5."""
    value = text.strip()
    if value.startswith("-") and _NUMBER.fullmatch(value[1:]):
        raise ValueError("hours must be 0 or more")
    if _THOUSANDS.fullmatch(value):
        raise ValueError(
            f"{value!r} is ambiguous: write it without a thousands separator (1500) "
            "or with a decimal point (1.5)"
        )
    if not _NUMBER.fullmatch(value):
        raise ValueError(f"{value!r} is not a number of hours")
    return float(value.replace(",", "."))


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_hours(value: float | None) -> str:
    """Every digit of the stored value and never an exponent, so that `parse_hours` reads it back
    exactly ('{:g}' would turn 1234567.5 into '1.23457e+06')."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")
