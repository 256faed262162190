"""The activities CSV format shared by import, export and the template (see docs/csv-format.md).

`TABLE` describes each column once (name, required, how a cell is read, how a value is written,
where an activity keeps it); the template, the importer, the export and the docs check read it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from portfolio_app.domain.dates import parse_date
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.hours import format_hours, parse_hours
from portfolio_app.domain.records import Activity, Organisation

LIST_SEPARATOR = ";"
T = TypeVar("T")
E = TypeVar("E", Visibility, Status)


@dataclass(frozen=True)
class ExportRow:
    """One activity with the names the CSV writes instead of ids."""

    activity: Activity
    organisations: Sequence[Organisation]
    contact_names: Sequence[str]
    uid: str | None = None  # the activity's stable id (revision 0007)


@dataclass(frozen=True)
class CsvColumn(Generic[T]):
    name: str
    required: bool
    parse: Callable[[str], T]  # a cell (maybe empty) → value; ValueError's message is for the user
    format: Callable[[T], str]
    get: Callable[[ExportRow], T]

    def read(self, cell: str) -> T:
        if self.required and not cell.strip():
            raise ValueError("is required")
        return self.parse(cell)

    def write(self, row: ExportRow) -> str:
        return self.format(self.get(row))


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def split_positions(cell: str) -> list[str]:
    """';RSL;' → ['', 'RSL']: positions matter (one per organisation); trailing blanks do not."""
    parts = [part.strip() for part in cell.split(LIST_SEPARATOR)]
    while parts and not parts[-1]:
        parts.pop()
    return parts


def join_list(values: Sequence[str]) -> str:
    return LIST_SEPARATOR.join(values)


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def read_date(cell: str) -> date | None:
    # A file's meaning must not depend on the day it is read: no 'today' or 'tomorrow'.
    return parse_date(cell, relative=False) if cell.strip() else None


def read_start(cell: str) -> date:
    return parse_date(cell, relative=False)


def read_uid(cell: str) -> str | None:
    """The `id` column: empty, or a stable id as the export writes it (a UUID)."""
    text = cell.strip()
    if not text:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise ValueError(
            f"{text[:60]!r} is not an id Portfolio wrote: leave the cell empty for a new "
            "activity, and keep the ids an export wrote as they are"
        ) from None


def _uid_text(value: str | None) -> str:
    return value or ""


def _choice(enum: type[E], default: E) -> Callable[[str], E]:
    def parse(text: str) -> E:
        value = text.strip().casefold()
        if not value:
            return default
        try:
            return enum(value)
        except ValueError:
            options = " or ".join(m.value for m in enum)
            raise ValueError(f"{text.strip()!r} is not valid (use {options})") from None

    return parse


def _text(value: str) -> str:
    return value


TYPE = CsvColumn("type", True, ActivityType.parse, str, lambda r: r.activity.type)
TITLE = CsvColumn("title", True, str.strip, _text, lambda r: r.activity.title)
START = CsvColumn("start", True, read_start, format_date, lambda r: r.activity.start)
END = CsvColumn("end", False, read_date, format_date, lambda r: r.activity.end)
HOURS = CsvColumn("hours", False, parse_hours, format_hours, lambda r: r.activity.hours)
ORGANISATION = CsvColumn(
    "organisation", False, split_list, join_list, lambda r: [o.name for o in r.organisations]
)
SECTOR = CsvColumn(
    "sector", False, split_positions, join_list, lambda r: [o.sector_id for o in r.organisations]
)
EXTRA_SECTORS = CsvColumn(
    "extra_sectors", False, split_list, join_list, lambda r: list(r.activity.extra_sector_ids)
)
CONTACTS = CsvColumn("contacts", False, split_list, join_list, lambda r: list(r.contact_names))
DESCRIPTION = CsvColumn("description", False, _text, _text, lambda r: r.activity.description)
VISIBILITY = CsvColumn(
    "visibility",
    False,
    _choice(Visibility, Visibility.PRIVATE),
    str,
    lambda r: r.activity.visibility,
)
STATUS = CsvColumn("status", False, _choice(Status, Status.DONE), str, lambda r: r.activity.status)
# Last, so the columns people type come first. A promise: the export fills it, and an import
# updates the activity with that id instead of adding it again (docs/csv-format.md).
ID = CsvColumn("id", False, read_uid, _uid_text, lambda r: r.uid)

TABLE: tuple[CsvColumn[Any], ...] = (
    TYPE,
    TITLE,
    START,
    END,
    HOURS,
    ORGANISATION,
    SECTOR,
    EXTRA_SECTORS,
    CONTACTS,
    DESCRIPTION,
    VISIBILITY,
    STATUS,
    ID,
)
COLUMNS = tuple(c.name for c in TABLE)
REQUIRED = tuple(c.name for c in TABLE if c.required)

# Cells a spreadsheet could run as a formula (CSV/formula injection).
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

# The template's example rows, by column (a column left out is empty); they import as they stand.
TEMPLATE_ROWS: tuple[dict[str, str], ...] = (
    {
        "type": "shadowing",
        "title": "Example (delete this row): shadowed a district nurse",
        "start": "2026-03-04",
        "hours": "7",
        "organisation": "Northshire Community Health",
        "sector": "community-trusts",
        "contacts": "Siân Jones",
        "description": "Two home visits and the team's morning handover.",
        "visibility": "shared",
        "status": "done",
    },
    {
        "type": "Peer event",
        "title": "Example (delete this row): multi-agency safeguarding learning day",
        "start": "12/05/2026",
        "organisation": "Northshire Police;Northshire Council",
        "sector": "police;Local government",
        "extra_sectors": "voluntary-community",
        "visibility": "private",
        "status": "done",
    },
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
