"""Where the user's own text names a person: lessons, goals, reviews, activities, and any other
table's text (evidence files' names and text content included).

Every text column of every table is read (the tables are introspected, so a new table is
covered without a change here), except the contact's own rows, which erasure deletes. What is
found is reported, never edited: the text is the user's, and they decide what to change.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import JSON, LargeBinary, String, Table, select
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import LessonSection
from portfolio_app.storage import tables as t

__all__ = ["OWN_TABLES", "Mention", "find_mentions", "name_terms", "normalised"]

# The contact's own rows (deleted by erasure), and the user's own profile (their own name and
# job, which share a surname with a contact without being about them): never reported.
OWN_TABLES = frozenset(
    {
        t.ContactRow.__tablename__,
        t.ContactRoleRow.__tablename__,
        t.ActivityContactRow.__tablename__,
        t.ProfileRow.__tablename__,
    }
)
# How a record of a table is named in the preview: its kind, and the column that titles it.
_KINDS: dict[str, tuple[str, str | None]] = {
    t.ActivityRow.__tablename__: ("activity", "title"),
    t.LessonRow.__tablename__: ("lesson", "title"),
    t.GoalRow.__tablename__: ("goal", "title"),
    t.ReviewRow.__tablename__: ("review", "reviewer_name"),
    t.OrganisationRow.__tablename__: ("organisation", "name"),
    # Evidence files: their names, and their bytes (a text file's words are found).
    "evidence": ("evidence file", "name"),
    "evidence_blobs": ("evidence file", None),
}
_TITLE_COLUMNS = ("title", "name", "file_name", "filename")
_FIELD_LABELS = {section.value: section.label for section in LessonSection} | {
    "reviewer_name": "Reviewer's name",
    "comments": "Comments",
    "description": "Description",
    "notes": "Notes",
    "title": "Title",
    "name": "Name",
    "aliases": "Other names",
    "data": "Content",
}
# Single names shorter than this are not searched alone ("Al" is in too many words' company).
_MIN_TERM = 3


@dataclass(frozen=True)
class Mention:
    """One record whose text names the person: reported, never edited."""

    kind: str  # "lesson", "goal", "review", "activity", ... (a table's name for other tables)
    record_id: int | None
    title: str
    fields: tuple[str, ...]  # "What happened", "Notes"...
    terms: tuple[str, ...]  # what was found: the full name, or one of its names

    def describe(self) -> str:
        """'lesson 4 “Hand-over went wrong” (What happened, Next step): “Łukasz”'"""
        where = f" ({', '.join(self.fields)})" if self.fields else ""
        found = ", ".join(f"“{term}”" for term in self.terms)
        number = f" {self.record_id}" if self.record_id is not None else ""
        return f"{self.kind}{number} “{self.title}”{where}: {found}"


def normalised(text: str) -> str:
    """Text as names are compared: composed (NFC), case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def name_terms(name: str) -> tuple[str, ...]:
    """What counts as naming the person: the whole name, then each of its names of three or
    more letters ('Zoë Hart' -> 'zoë hart', 'zoë', 'hart')."""
    return tuple(_spelled_terms(name))


def _spelled_terms(name: str) -> dict[str, str]:
    """name_terms, each with the spelling the user gave it (for the report)."""
    spelled = " ".join(unicodedata.normalize("NFC", name).split())
    terms: dict[str, str] = {}
    for part in [spelled, *re.split(r"[\s\-]+", spelled)]:
        term = normalised(part)
        if term and term not in terms and (len(term) >= _MIN_TERM or not terms):
            terms[term] = part
    return terms


def _pattern(term: str) -> re.Pattern[str]:
    # A whole word: "Hart" is not found in "heart" or "Hartley".
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")


def _text_of(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="ignore")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return ""


def _text_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if isinstance(column.type, String | JSON | LargeBinary)
        and not column.name.endswith("_key")  # a name's comparison key repeats the name
    ]


def _scanned_tables() -> Iterator[Table]:
    for table in t.Base.metadata.sorted_tables:
        if table.name not in OWN_TABLES and _text_columns(table):
            yield table


def find_mentions(session: Session, name: str) -> list[Mention]:
    """Every record (outside the contact's own rows) whose text names the person `name`."""
    # The terms as the user wrote them, for the report (casefolded text reads oddly).
    shown = _spelled_terms(name)
    if not shown:
        return []
    patterns = [(term, _pattern(term)) for term in shown]
    spellings = list(shown.values())
    # One mention a record, whichever of its tables names the person (an evidence file's
    # name and its content are one file).
    mentions: dict[tuple[str, int | None], Mention] = {}
    for table in _scanned_tables():
        columns = _text_columns(table)
        kind, title_column = _KINDS.get(table.name, (table.name, _title_column(table)))
        id_column = _id_column(table)
        for row in session.execute(select(table)).mappings():
            fields: list[str] = []
            found: list[str] = []
            for column in columns:
                text = normalised(_text_of(row[column]))
                hits = [term for term, pattern in patterns if pattern.search(text)]
                if hits:
                    fields.append(_FIELD_LABELS.get(column, column.replace("_", " ")))
                    found.extend(shown[h] for h in hits if shown[h] not in found)
            if not fields:
                continue
            record_id = row[id_column] if id_column else None
            key = (kind, record_id)
            title = str(row[title_column] or "") if title_column else ""
            if key in mentions:
                earlier = mentions[key]
                title = earlier.title or title
                fields = [*earlier.fields, *(f for f in fields if f not in earlier.fields)]
                found = [*earlier.terms, *(f for f in found if f not in earlier.terms)]
            found.sort(key=spellings.index)  # the whole name first, then each name in turn
            mentions[key] = Mention(kind, record_id, title, tuple(fields), tuple(found))
    return sorted(mentions.values(), key=_reading_order)


# The order a preview lists mentions in: the log's own records first, as the user sees them.
_KIND_ORDER = ("activity", "lesson", "goal", "review", "evidence file", "organisation")


def _reading_order(mention: Mention) -> tuple[int, str, int]:
    rank = _KIND_ORDER.index(mention.kind) if mention.kind in _KIND_ORDER else len(_KIND_ORDER)
    return (rank, mention.kind, mention.record_id or 0)


def _id_column(table: Table) -> str | None:
    """The column that numbers a table's records (a single integer key), if there is one."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and keys[0].type.python_type is int:
        return keys[0].name
    return None


def _title_column(table: Table) -> str | None:
    return next((name for name in _TITLE_COLUMNS if name in table.columns), None)
