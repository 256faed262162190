"""Per-row checks of stored values: which entries the mapping layer could not turn into records.

A value written by another tool, an old bug or a damaged page (a date like '2026-13-45', an
unknown type, text that is not UTF-8, a NULL, negative hours) must not take a whole list down.
The checks read every cell in a form that cannot fail (text as bytes, with SQLite's `typeof`),
then apply what the ORM would (SQLAlchemy's own result processors) and what the records need
(known choices, end after start, known sectors). The lists leave the entries found here out and
show them as damaged; `portfolio-app check` prints every problem.

The columns checked come from the ORM tables themselves, so a new column is checked by type
without anyone remembering to list it here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.storage import damage_memo
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_prefilter import (
    KnownSector,
    suspect_owners,
    unknown_sector_owners,
)

_MISSING = object()  # a cell whose value could not be read at all


@dataclass(frozen=True)
class TableChecks:
    """How to check one table whose rows belong to entries of `kind`.

    `owner` is the column naming the entry (the id for an entry's own table, `activity_id` for
    its link rows); `prefix` is put before field names of link rows ("role start")."""

    kind: str
    table: Table
    owner: str = "id"
    prefix: str = ""
    choices: dict[str, type[StrEnum]] = field(default_factory=dict)
    not_negative: tuple[str, ...] = ()
    # (start column, end column): the end may not be before the start.
    ranges: tuple[tuple[str, str], ...] = ()
    # Columns of which exactly one is set (evidence belongs to an activity or a lesson).
    one_of: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()  # columns holding one sector id
    sector_lists: tuple[str, ...] = ()  # JSON columns holding a list of sector ids
    text_lists: tuple[str, ...] = ()  # JSON columns holding a list of texts (aliases)
    labels: dict[str, str] = field(default_factory=dict)
    skip: tuple[str, ...] = ()  # bookkeeping columns the records never read

    def label(self, column: str) -> str:
        name = self.labels.get(column) or _LABELS.get(column) or column.replace("_", " ")
        return f"{self.prefix}{name}"


# Field names as the dialogs and the CSV call them.
_LABELS = {
    "start_date": "start",
    "end_date": "end",
    "recorded_on": "recorded on",
    "target_date": "target date",
    "held_on": "date",
    "sector_id": "sector",
    "sector_ids": "sectors",
    "organisation_id": "organisation",
    "contact_id": "contact",
    "activity_id": "activity",
    "lesson_id": "lesson",
    "review_id": "review",
    "added_at": "date added",
    "media_type": "file type",
    "name_key": "name",
}

_VISIBILITY: dict[str, type[StrEnum]] = {"visibility": Visibility}

CHECKS: tuple[TableChecks, ...] = (
    TableChecks(
        "activity",
        t.ActivityRow.__table__,  # type: ignore[arg-type]
        choices={"type": ActivityType, "status": Status, **_VISIBILITY},
        not_negative=("hours",),
        ranges=(("start_date", "end_date"),),
    ),
    TableChecks(
        "activity",
        t.ActivityOrganisationRow.__table__,  # type: ignore[arg-type]
        owner="activity_id",
        prefix="linked ",
        skip=("activity_id",),
    ),
    TableChecks(
        "activity",
        t.ActivitySectorRow.__table__,  # type: ignore[arg-type]
        owner="activity_id",
        labels={"sector_id": "extra sector"},
        sector=("sector_id",),
        skip=("activity_id",),
    ),
    TableChecks(
        "activity",
        t.ActivityContactRow.__table__,  # type: ignore[arg-type]
        owner="activity_id",
        prefix="linked ",
        skip=("activity_id",),
    ),
    TableChecks("lesson", t.LessonRow.__table__),  # type: ignore[arg-type]
    TableChecks(
        "organisation",
        t.OrganisationRow.__table__,  # type: ignore[arg-type]
        sector=("sector_id",),
        text_lists=("aliases",),
        labels={"aliases": "also known as"},
    ),
    TableChecks("contact", t.ContactRow.__table__),  # type: ignore[arg-type]
    TableChecks(
        "contact",
        t.ContactRoleRow.__table__,  # type: ignore[arg-type]
        owner="contact_id",
        prefix="role ",
        ranges=(("start_date", "end_date"),),
        skip=("contact_id",),
    ),
    TableChecks(
        "goal",
        t.GoalRow.__table__,  # type: ignore[arg-type]
        choices=_VISIBILITY,
        sector_lists=("sector_ids",),
    ),
    TableChecks("review", t.ReviewRow.__table__),  # type: ignore[arg-type]
    TableChecks(
        "evidence",
        t.EvidenceRow.__table__,  # type: ignore[arg-type]
        choices=_VISIBILITY,
        not_negative=("size",),
        one_of=("activity_id", "lesson_id"),
    ),
)
# Not checked: evidence_blobs. Lists never read the bytes (not even their type); a file's bytes
# are read when it is opened, and quick_check covers the table's NOT NULL.

# Every kind of entry, in the order `check` reports them, with the table of its own rows.
KINDS: dict[str, Table] = {c.kind: c.table for c in CHECKS if c.owner == "id"}


def damaged_rows(
    session: Session,
    kind: str,
    *,
    known_sector: KnownSector | None = None,
    row_id: int | None = None,
) -> list[DamagedRecord]:
    """Every problem found in the stored entries of `kind` (only entry `row_id`, if given),
    in id order. Sector ids are checked when `known_sector` is given.

    Remembered (storage.damage_memo): per open database, and with the file's stamp for the next
    process; one scan per table serves both flavours (the sector checks only add problems: they
    are asked of the entries already found damaged and of the rows naming an unknown sector)."""
    if kind not in KINDS:
        raise ValueError(f"no entries of kind {kind!r}")
    if row_id is not None:
        return _found(session, kind, known_sector, row_id)
    plain = damage_memo.findings(session, kind, lambda s, ids: checked_ids(s, kind, None, ids))
    if known_sector is None:
        return list(plain)
    sectors = known_sector

    def with_sectors() -> list[DamagedRecord]:
        ids = {p.id for p in plain} | _sector_suspects(session, kind, sectors)
        return checked_ids(session, kind, sectors, ids)

    return list(damage_memo.derived(session, (kind, "sectors"), plain, with_sectors))


def scan_kind(session: Session, kind: str) -> list[DamagedRecord]:
    """Every problem of `kind` (no sector checks), found afresh: the SQL pass, then the full
    checks on its suspects."""
    return _found(session, kind, None)


def checked_ids(
    session: Session, kind: str, known_sector: KnownSector | None, ids: Collection[int]
) -> list[DamagedRecord]:
    """The full checks, on every table of `kind`, of the rows owned by `ids`, in id order."""
    dialect = session.get_bind().dialect
    ordered = sorted(ids)
    problems: list[DamagedRecord] = []
    for checks in CHECKS:
        if checks.kind != kind:
            continue
        for start in range(0, len(ordered), _IDS_PER_QUERY):
            chunk = tuple(ordered[start : start + _IDS_PER_QUERY])
            problems.extend(_check_table(session, dialect, checks, known_sector, chunk))
    problems.sort(key=lambda p: p.id)
    return problems


def _sector_suspects(session: Session, kind: str, known_sector: KnownSector) -> set[int]:
    """Owners of the rows that may name a sector the list in use lacks."""
    found: set[int] = set()
    for checks in CHECKS:
        if checks.kind == kind and (checks.sector or checks.sector_lists):
            found |= unknown_sector_owners(session, checks, known_sector)
    return found


def _found(
    session: Session, kind: str, known_sector: KnownSector | None, row_id: int | None = None
) -> list[DamagedRecord]:
    dialect = session.get_bind().dialect
    problems: list[DamagedRecord] = []
    for checks in CHECKS:
        if checks.kind != kind:
            continue
        if row_id is not None:
            problems.extend(_check_table(session, dialect, checks, known_sector, (row_id,)))
            continue
        # The cheap SQL pass first; the full checks only on the rows it cannot clear.
        suspects = suspect_owners(session, checks, _checked_columns(checks), known_sector)
        ids = sorted(suspects)
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = tuple(ids[start : start + _IDS_PER_QUERY])
            problems.extend(_check_table(session, dialect, checks, known_sector, chunk))
    problems.sort(key=lambda p: p.id)
    return problems


def damaged_rows_in_full(
    session: Session, kind: str, *, known_sector: KnownSector | None = None
) -> list[DamagedRecord]:
    """`damaged_rows` with the full checks on every row (no SQL pass): what the fast path
    must always equal (its tests compare the two)."""
    if kind not in KINDS:
        raise ValueError(f"no entries of kind {kind!r}")
    dialect = session.get_bind().dialect
    problems: list[DamagedRecord] = []
    for checks in CHECKS:
        if checks.kind == kind:
            problems.extend(_check_table(session, dialect, checks, known_sector, None))
    problems.sort(key=lambda p: p.id)
    return problems


def all_damaged_rows(
    session: Session, *, known_sector: KnownSector | None = None
) -> list[DamagedRecord]:
    """Every problem in every kind of entry, kind by kind, checked afresh (what `check` and the
    whole-data exports and imports go by; the lists use the remembered results)."""
    return [p for kind in KINDS for p in _found(session, kind, known_sector)]


def _checked_columns(checks: TableChecks) -> list[Column[Any]]:
    return [c for c in checks.table.columns if c.name != "id" and c.name not in checks.skip]


_IDS_PER_QUERY = 500  # well under SQLite's limit on bound parameters


def _select_sql(checks: TableChecks, columns: Sequence[Column[Any]], ids: int | None) -> str:
    """The owner's id, then for each column its storage class and its value, text as bytes
    (decoding happens here, in Python, where a failure is a finding)."""
    parts = [f'CASE WHEN typeof("{checks.owner}") = \'integer\' THEN "{checks.owner}" END']
    for column in columns:
        name = f'"{column.name}"'
        parts.append(f"typeof({name})")
        if isinstance(column.type, LargeBinary):
            parts.append("NULL")  # the bytes are read only when opened: check the class only
        else:
            parts.append(
                f"CASE WHEN typeof({name}) = 'text' THEN CAST({name} AS BLOB) ELSE {name} END"
            )
    marks = ", ".join("?" * (ids or 0))
    where = f' WHERE "{checks.owner}" IN ({marks})' if ids else ""
    return f'SELECT {", ".join(parts)} FROM "{checks.table.name}"{where} ORDER BY 1'


def _check_table(
    session: Session,
    dialect: Dialect,
    checks: TableChecks,
    known_sector: KnownSector | None,
    ids: tuple[int, ...] | None,
) -> Iterator[DamagedRecord]:
    """The full checks of `checks.table`'s rows (only those owned by `ids`, if given)."""
    if ids is not None and not ids:
        return
    columns = _checked_columns(checks)
    sql = _select_sql(checks, columns, len(ids) if ids is not None else None)
    params = ids or ()
    connection = session.connection()
    for raw in connection.exec_driver_sql(sql, params):
        owner = raw[0]
        if not isinstance(owner, int):
            continue  # a link without a valid owner: foreign_key_check reports it
        values: dict[str, Any] = {}
        for index, column in enumerate(columns):
            storage, stored = raw[1 + 2 * index], raw[2 + 2 * index]
            value, problem = _read_cell(dialect, column, storage, stored)
            if problem:
                yield DamagedRecord(checks.kind, owner, checks.label(column.name), problem)
            values[column.name] = value
        for name, problem in _record_problems(checks, values, known_sector):
            yield DamagedRecord(checks.kind, owner, checks.label(name), problem)


def _shown(value: Any) -> str:
    """A stored value as a problem quotes it: short, on one line."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="backslashreplace")
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= 40 else text[:39] + "…")
    return repr(value)


# What each column type must hold, as a problem says it ("is not a date"); first match wins
# (DateTime before Date, Float before Integer: subclasses first).
_EXPECTED: tuple[tuple[type[Any], str], ...] = (
    (DateTime, "a date and time"),
    (Date, "a date"),
    (Boolean, "yes or no"),
    (Float, "a number"),
    (Integer, "a whole number"),
    (JSON, "a list"),
    (LargeBinary, "file contents"),
)


def _expected(column: Column[Any]) -> str:
    return next((text for kind, text in _EXPECTED if isinstance(column.type, kind)), "text")


def _read_cell(dialect: Dialect, column: Column[Any], storage: str, stored: Any) -> tuple[Any, str]:
    """(the value as the ORM would load it, "" or what is wrong with it)."""
    kind = column.type
    if storage == "null":
        return None, "" if column.nullable else "is missing (NULL)"
    if isinstance(kind, LargeBinary):
        return None, "" if storage == "blob" else f"is not {_expected(column)}"
    if storage == "text":
        try:
            stored = bytes(stored).decode("utf-8")
        except UnicodeDecodeError:
            return _MISSING, f"is not valid UTF-8 text ({_shown(stored)})"
    wanted = _expected(column)
    bad = f"is not {wanted} ({_shown(stored)})"
    if isinstance(kind, Boolean):
        return (bool(stored), "") if storage == "integer" and stored in (0, 1) else (_MISSING, bad)
    if isinstance(kind, Float):
        if storage not in ("integer", "real"):
            return _MISSING, bad
        return float(stored), "" if math.isfinite(stored) else bad
    if isinstance(kind, Integer):
        return (stored, "") if storage == "integer" else (_MISSING, bad)
    if isinstance(kind, Date | DateTime | JSON) and storage != "text":
        return _MISSING, bad
    if isinstance(kind, String) and not isinstance(kind, JSON) and storage != "text":
        return _MISSING, bad
    processor = kind.dialect_impl(dialect).result_processor(dialect, None)
    if processor is None:
        return stored, ""
    try:
        return processor(stored), ""
    except (ValueError, TypeError, OverflowError):
        return _MISSING, f"is not valid JSON ({_shown(stored)})" if isinstance(kind, JSON) else bad


def _count_set(checks: TableChecks, values: dict[str, Any]) -> str:
    count = sum(values.get(c) is not None for c in checks.one_of)
    return "none" if count == 0 else str(count)


def _record_problems(
    checks: TableChecks, values: dict[str, Any], known_sector: KnownSector | None
) -> Iterator[tuple[str, str]]:
    """What the records need beyond readable values: known choices, sensible numbers and
    ranges, lists of text, sectors the sector list knows."""
    for column, choices in checks.choices.items():
        value = values.get(column)
        if isinstance(value, str) and value not in {c.value for c in choices}:
            yield column, f"is unknown ({_shown(value)})"
    for column in checks.not_negative:
        value = values.get(column)
        if isinstance(value, int | float) and value < 0:
            yield column, f"is negative ({value:g})"
    for start_column, end_column in checks.ranges:
        start, end = values.get(start_column), values.get(end_column)
        if isinstance(start, date) and isinstance(end, date) and end < start:
            start_label = checks.labels.get(start_column) or _LABELS.get(start_column, start_column)
            yield end_column, f"is before the {start_label} ({end} is before {start})"
    if checks.one_of and sum(values.get(c) is not None for c in checks.one_of) != 1:
        names = " or ".join(checks.label(c) for c in checks.one_of)
        yield checks.one_of[0], f"must name one {names} (it names {_count_set(checks, values)})"
    for column in (*checks.text_lists, *checks.sector_lists):
        value = values.get(column, _MISSING)
        if value is _MISSING:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield column, f"is not a list of text ({_shown(json.dumps(value))})"
            values[column] = _MISSING
    if known_sector is None:
        return
    for column in checks.sector:
        value = values.get(column)
        if isinstance(value, str) and not known_sector(value):
            yield column, f"is not in the sector list in use ({_shown(value)})"
    for column in checks.sector_lists:
        value = values.get(column)
        if isinstance(value, list):
            unknown = [v for v in value if isinstance(v, str) and not known_sector(v)]
            if unknown:
                yield column, f"holds a sector not in the sector list in use ({_shown(unknown[0])})"
