"""Which rows might be damaged: a cheap pass in SQL before the per-cell checks of row_checks.

The per-cell checks read every cell in Python; over a whole career (100,000 activities) that
took longer than everything else at start-up. This pass asks SQLite, in one query per table,
for the rows whose values do not have the plain shape the app itself writes (a date as
'YYYY-MM-DD', a yes/no as 0 or 1, a known choice...). Every row the full checks could flag is
among those suspects (false alarms are fine: the full checks then clear them), so running the
full checks on the suspects alone finds exactly what running them on every row finds.

Text that is not valid UTF-8 cannot be seen in SQL: each row's text cells come back joined
into one byte string with an ASCII separator and are decoded once, in C. Joining with an ASCII
byte keeps validity exactly: an ASCII byte is a whole character on its own and ends any
incomplete sequence before it (which is then invalid), so the join decodes if and only if every
part does.

The expressions come from the ORM column types, like the full checks, so a new column is
covered by type without anyone remembering to list it here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Float, Integer, LargeBinary
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from portfolio_app.storage.row_checks import TableChecks

KnownSector = Callable[[str], bool]

_MICROSECONDS = "[0-9]" * 6
_BEYOND_ASCII = "*[^\x01-\x7f]*"  # a character beyond ASCII anywhere
_LARGEST = "1.7976931348623157e308"  # beyond it SQLite holds infinity


def _q(name: str) -> str:
    return f'"{name}"'


def _plain_value(column: Column[Any], checks: TableChecks) -> str:
    """SQL true when the cell's non-NULL value surely reads as the column's type."""
    name = _q(column.name)
    kind = column.type
    if isinstance(kind, LargeBinary):
        return f"typeof({name}) = 'blob'"
    if isinstance(kind, Boolean):
        return f"typeof({name}) = 'integer' AND {name} IN (0, 1)"
    if isinstance(kind, Float):
        return (
            f"typeof({name}) IN ('integer', 'real') AND {name} BETWEEN -{_LARGEST} AND {_LARGEST}"
        )
    if isinstance(kind, Integer):
        return f"typeof({name}) = 'integer'"
    # Dates as the app writes them: what SQLite's date() gives back unchanged has the shape
    # YYYY-MM-DD (10 characters: no sign); year 0 is valid to SQLite but not to Python.
    if isinstance(kind, DateTime):
        head = f"substr({name}, 1, 19)"
        return (
            f"typeof({name}) = 'text' AND datetime({head}) = {head} "
            f"AND substr({name}, 1, 4) != '0000' AND (length({name}) = 19 OR "
            f"(length({name}) = 26 AND substr({name}, 20) GLOB '.{_MICROSECONDS}'))"
        )
    if isinstance(kind, Date):
        return (
            f"typeof({name}) = 'text' AND length({name}) = 10 AND date({name}) = {name} "
            f"AND substr({name}, 1, 4) != '0000'"
        )
    if isinstance(kind, JSON):
        plain = f"typeof({name}) = 'text' AND json_valid({name})"
        if column.name in (*checks.text_lists, *checks.sector_lists):
            plain += (
                f" AND json_type({name}) = 'array' AND NOT EXISTS "
                f"(SELECT 1 FROM json_each({name}) WHERE json_each.type != 'text')"
            )
        return plain
    plain = f"typeof({name}) = 'text'"
    choices = checks.choices.get(column.name)
    if choices is not None:
        plain += f" AND {name} IN ({', '.join(_text(c.value) for c in choices)})"
    return plain


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _plain_cell(column: Column[Any], checks: TableChecks) -> str:
    name = _q(column.name)
    lists = (*checks.text_lists, *checks.sector_lists)
    null_ok = column.nullable and column.name not in lists  # a NULL list is not a list
    null = f"{name} IS NULL" if null_ok else "0"
    return f"({null} OR ({name} IS NOT NULL AND {_plain_value(column, checks)}))"


def _plain_row(checks: TableChecks, columns: Iterable[Column[Any]]) -> list[str]:
    """SQL conditions, all true for a row the full checks would surely pass."""
    conditions = [_plain_cell(c, checks) for c in columns]
    for column in checks.not_negative:
        conditions.append(f"NOT coalesce({_q(column)} < 0, 0)")
    for start, end in checks.ranges:
        conditions.append(f"NOT coalesce({_q(end)} < {_q(start)}, 0)")
    if checks.one_of:
        count = " + ".join(f"({_q(c)} IS NOT NULL)" for c in checks.one_of)
        conditions.append(f"({count}) = 1")
    return conditions


def _ascii_only(columns: Iterable[Column[Any]]) -> str:
    """SQL true when every text cell is plain ASCII, which is always valid UTF-8: only the
    other rows need decoding. GLOB reads any byte from 0x80 up as a character beyond ASCII
    (U+FFFD for a broken sequence); it stops at a NUL, which the byte count catches (length()
    stops there too)."""
    parts = [
        f"(typeof({_q(c.name)}) != 'text' OR "
        f"(length(CAST({_q(c.name)} AS BLOB)) = length({_q(c.name)}) "
        f"AND {_q(c.name)} NOT GLOB '{_BEYOND_ASCII}'))"
        for c in columns
        if not isinstance(c.type, LargeBinary)
    ]
    return " AND ".join(parts) or "1"


def _joined_text(columns: Iterable[Column[Any]]) -> str:
    """Every text cell of the row as one byte string, joined by a newline byte."""
    parts = [
        f"CASE WHEN typeof({_q(c.name)}) = 'text' THEN {_q(c.name)} ELSE '' END"
        for c in columns
        if not isinstance(c.type, LargeBinary)
    ]
    if not parts:
        return "NULL"
    # `||` makes text of the bytes as they are; the CAST hands them over undecoded.
    joined = " || x'0a' || ".join(parts)
    return f"CAST({joined} AS BLOB)"


def suspect_owners(
    session: Session,
    checks: TableChecks,
    columns: list[Column[Any]],
    known_sector: KnownSector | None,
) -> set[int]:
    """The owners (entry ids) of the rows of `checks.table` the full checks must look at."""
    owner = _q(checks.owner)
    conditions = _plain_row(checks, columns)
    if known_sector is not None:
        conditions += _known_sectors(session, checks, known_sector)
    plain = " AND ".join(conditions) or "1"
    # Only rows that are suspects in SQL or hold text beyond ASCII come back to Python;
    # coalesce: a check that cannot be worked out (NULL) makes a suspect, never a pass.
    sql = (
        f"SELECT {owner}, CASE WHEN {plain} THEN 0 ELSE 1 END, {_joined_text(columns)} "
        f"FROM {_q(checks.table.name)} WHERE typeof({owner}) = 'integer' "
        f"AND NOT coalesce(({plain}) AND {_ascii_only(columns)}, 0)"
    )
    return {
        entry
        for entry, flagged, text in session.connection().exec_driver_sql(sql)
        if flagged or _bad_text(text)
    }


def _known_sectors(session: Session, checks: TableChecks, known_sector: KnownSector) -> list[str]:
    """Conditions true when a row names no sector the list in use lacks: the distinct stored
    values are few (a sector list is short), so they are asked about once each, in Python."""
    connection = session.connection()
    table = _q(checks.table.name)
    conditions = []
    for column in checks.sector:
        name = _q(column)
        unknown = _unknown_values(session, checks, column, known_sector)
        if unknown:
            conditions.append(f"{name} NOT IN ({', '.join(map(_text, unknown))})")
    for column in checks.sector_lists:
        # Lists of sectors (goals): few rows, read and parsed here.
        name = _q(column)
        values: set[str] = set()
        for (stored,) in connection.exec_driver_sql(f"SELECT {name} FROM {table}"):
            values.update(_texts_in(stored))
        unknown = sorted(v for v in values if not known_sector(v))
        if unknown:
            conditions.append(
                f"NOT EXISTS (SELECT 1 FROM json_each({name}) "
                f"WHERE json_each.value IN ({', '.join(map(_text, unknown))}))"
            )
    return conditions


def unknown_sector_owners(
    session: Session, checks: TableChecks, known_sector: KnownSector
) -> set[int]:
    """Owners of the rows of `checks.table` that may name a sector the list in use lacks
    (a superset: the full checks decide). Lists of sectors (goals, few rows): every row."""
    connection = session.connection()
    table = _q(checks.table.name)
    owner = _q(checks.owner)
    if checks.sector_lists:
        sql = f"SELECT {owner} FROM {table} WHERE typeof({owner}) = 'integer'"
        return {entry for (entry,) in connection.exec_driver_sql(sql)}
    found: set[int] = set()
    for column in checks.sector:
        name = _q(column)
        unknown = _unknown_values(session, checks, column, known_sector)
        if unknown:
            sql = (
                f"SELECT {owner} FROM {table} WHERE typeof({owner}) = 'integer' "
                f"AND {name} IN ({', '.join(map(_text, unknown))})"
            )
            found.update(entry for (entry,) in connection.exec_driver_sql(sql))
    return found


def _unknown_values(
    session: Session, checks: TableChecks, column: str, known_sector: KnownSector
) -> list[str]:
    """The distinct texts stored in `column` that the sector list in use lacks (few: a
    sector list is short, so each is asked about once, in Python)."""
    name = _q(column)
    stored = (
        session.connection()
        .exec_driver_sql(
            f"SELECT DISTINCT {name} FROM {_q(checks.table.name)} WHERE typeof({name}) = 'text'"
        )
        .scalars()
    )
    return [v for v in stored if isinstance(v, str) and not known_sector(v)]


def _texts_in(stored: Any) -> list[str]:
    """The texts in a stored JSON list; nothing if it is not one (the plain checks flag it)."""
    try:
        items = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        return []
    return [v for v in items if isinstance(v, str)] if isinstance(items, list) else []


def _bad_text(joined: bytes | None) -> bool:
    if joined is None:
        return False
    try:
        bytes(joined).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
