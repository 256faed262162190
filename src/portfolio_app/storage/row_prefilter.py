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

_DIGITS4 = "[0-9][0-9][0-9][0-9]"
_DIGITS2 = "[0-9][0-9]"
_DATE_SHAPE = f"{_DIGITS4}-{_DIGITS2}-{_DIGITS2}"
_TIME_SHAPE = f"{_DIGITS2}:{_DIGITS2}:{_DIGITS2}"
_MICROSECONDS = "[0-9]" * 6
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
    # Dates as the app writes them; year 0 is valid to SQLite but not to Python.
    if isinstance(kind, DateTime):
        head = f"substr({name}, 1, 19)"
        return (
            f"typeof({name}) = 'text' AND ({name} GLOB '{_DATE_SHAPE} {_TIME_SHAPE}' "
            f"OR {name} GLOB '{_DATE_SHAPE} {_TIME_SHAPE}.{_MICROSECONDS}') "
            f"AND datetime({head}) = {head} AND substr({name}, 1, 4) != '0000'"
        )
    if isinstance(kind, Date):
        return (
            f"typeof({name}) = 'text' AND {name} GLOB '{_DATE_SHAPE}' "
            f"AND date({name}) = {name} AND substr({name}, 1, 4) != '0000'"
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
    plain = " AND ".join(_plain_row(checks, columns)) or "1"
    sector_columns = list(checks.sector) if known_sector is not None else []
    list_columns = list(checks.sector_lists) if known_sector is not None else []
    selected = [owner, f"CASE WHEN {plain} THEN 0 ELSE 1 END", _joined_text(columns)]
    selected += [_q(c) for c in (*sector_columns, *list_columns)]
    sql = (
        f"SELECT {', '.join(selected)} FROM {_q(checks.table.name)} "
        f"WHERE typeof({owner}) = 'integer'"
    )
    known: dict[str, bool] = {}

    def unknown(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        if value not in known:
            known[value] = bool(known_sector and known_sector(value))
        return not known[value]

    suspects: set[int] = set()
    split = 3 + len(sector_columns)
    for row in session.connection().exec_driver_sql(sql):
        if (
            row[1]
            or _bad_text(row[2])
            or any(unknown(v) for v in row[3:split])
            or any(_lists_unknown(v, unknown) for v in row[split:])
        ):
            suspects.add(row[0])
    return suspects


def _bad_text(joined: bytes | None) -> bool:
    if joined is None:
        return False
    try:
        bytes(joined).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _lists_unknown(value: Any, unknown: Callable[[Any], bool]) -> bool:
    try:
        items = json.loads(value) if isinstance(value, str | bytes) else None
    except ValueError:
        return True
    return not isinstance(items, list) or any(unknown(v) for v in items)
