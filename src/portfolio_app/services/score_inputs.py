"""What the breadth score reads, in one read transaction of plain SELECTs (no ORM objects).

The score needs little of each entry: an activity's type, title, dates, status and its links
(organisations, extra sectors, contacts); each organisation's sector; each contact's roles as
(organisation, first day, last day); and the goals. Reading just those columns as tuples is many
times faster than building ORM objects for a whole career (100,000 activities, 300,000 link
rows, 20,000 contacts). Damaged entries are left out exactly as the lists leave them out: the
ids `row_checks` finds (their links too), then any row whose values still do not convert.

`report.inputs` turns this into the scoring inputs; what it builds equals what the records of
the services' lists give (tests/test_score_inputs.py compares the two on odd data).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Goal
from portfolio_app.storage import fast_records
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import damaged_rows

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

# A contact's role as the score reads it: (organisation id, start, end), in the role order.
Role = tuple[int, date | None, date | None]

_CONVERSION_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)
# An activity as the score reads it, without a domain record: (id, title, type, start day,
# last day, done, organisation ids, extra sector ids, contact ids), days as date.toordinal().
PlainActivity = tuple[
    int | None, str, ActivityType, int, int, bool, Sequence[int], Sequence[str], Sequence[int]
]

_TYPES = {kind.value: kind for kind in ActivityType}
_STATUSES = frozenset(status.value for status in Status)
_DONE = Status.DONE.value


class NotPlain(Exception):
    """A stored value the plain reading cannot convert in bulk: read through the ORM instead
    (which finds the one bad row); the damaged-row checks normally rule this out first."""


@dataclass(frozen=True)
class ScoreRecords:
    """Everything one score is worked out from, read together.

    `activities` carry only what the score reads, in scoring.inputs' plain shape (in no
    particular order: the inputs lay themselves out)."""

    activities: list[PlainActivity]
    organisation_sectors: dict[int, str]  # every readable organisation's sector
    contact_roles: dict[int, tuple[Role, ...]]  # every readable contact's roles (maybe none)
    goals: list[Goal]


def _left_out(session: Session, kind: str) -> set[int]:
    return {d.id for d in damaged_rows(session, kind)}


def _day(text: Any) -> date:
    """A stored date as SQLAlchemy's SQLite Date reads it, for the one shape the app writes
    (YYYY-MM-DD); any other value is NotPlain (the ORM reading decides about it)."""
    if type(text) is not str or len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise NotPlain(f"date {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise NotPlain(f"date {text!r}") from exc


class _Days(dict[str, int]):
    """Stored date text -> day number (toordinal), each distinct date converted once."""

    def __missing__(self, text: str) -> int:
        self[text] = day = _day(text).toordinal()
        return day


def _plain(read: Callable[[], list[Any]]) -> list[Any]:
    try:
        return read()
    except fast_records.Unreadable as exc:
        raise NotPlain(str(exc)) from exc


class _Links(dict[str, tuple[Any, ...]]):
    """A JSON array of link values -> the values, each distinct array parsed once (equal
    arrays share one tuple; sector arrays repeat a lot)."""

    def __missing__(self, text: str) -> tuple[Any, ...]:
        try:
            values = tuple(json.loads(text))
        except (*_CONVERSION_ERRORS, json.JSONDecodeError) as exc:
            raise NotPlain(f"links {text!r}") from exc
        self[text] = values
        return values


def _ids(text: str | None) -> tuple[int, ...]:
    """Linked ids as score_activity_rows gathers them ("3,17"; None for none)."""
    if text is None:
        return ()
    try:
        return tuple(map(int, text.split(",")))
    except ValueError as exc:  # a value that is not an integer: the ORM reading decides
        raise NotPlain(f"links {text!r}") from exc


def _activities(session: Session) -> list[PlainActivity]:
    leave_out = _left_out(session, "activity")
    rows = _plain(lambda: fast_records.score_activity_rows(session, leave_out))
    types, statuses, days, links, ids = _TYPES, _STATUSES, _Days(), _Links(), _ids
    out: list[PlainActivity] = []
    for row_id, kind, title, start, end, status, organisations, sectors, contacts in rows:
        if kind not in types or status not in statuses:
            continue  # left out, as the list leaves out a row that does not convert
        first = days[start]
        out.append(
            (
                row_id,
                title,
                types[kind],
                first,
                first if end is None else days[end],
                status == _DONE,
                ids(organisations),
                links[sectors],
                ids(contacts),
            )
        )
    return out


def _rows(session: Session, query: Any, c: Any, leave_out: Collection[int]) -> list[Any]:
    query = query.where(c.id.not_in(leave_out)) if leave_out else query
    try:
        return list(session.execute(query))
    except (*_CONVERSION_ERRORS, OperationalError) as exc:
        if isinstance(exc, OperationalError) and "decode" not in str(exc.orig):
            raise  # locked, I/O error...: not one row's problem
        raise NotPlain(str(exc)) from exc


def _organisation_sectors(session: Session) -> dict[int, str]:
    c = t.OrganisationRow.__table__.c
    # aliases are read too: a row whose aliases do not convert is left out of the lists.
    query = select(c.id, c.sector_id, c.aliases)
    found: dict[int, str] = {}
    for row_id, sector_id, aliases in _rows(session, query, c, _left_out(session, "organisation")):
        try:
            tuple(aliases)
        except _CONVERSION_ERRORS:
            continue
        found[row_id] = sector_id
    return found


def _contact_roles(session: Session) -> dict[int, tuple[Role, ...]]:
    leave_out = _left_out(session, "contact")
    roles: dict[int, list[Role]] = defaultdict(list)
    for contact_id, organisation_id, start, end in _plain(
        lambda: fast_records.score_contact_roles(session, leave_out)
    ):
        roles[contact_id].append(
            (
                organisation_id,
                None if start is None else _day(start),
                None if end is None else _day(end),
            )
        )
    ids = _plain(lambda: fast_records.ids_of(session, t.ContactRow, leave_out))
    return {row_id: tuple(roles.get(row_id, ())) for row_id in ids}


def read_score_records(services: AppServices) -> ScoreRecords:
    """One consistent reading of what the score needs (NotPlain: use the services' lists)."""
    goals = services.goals
    with services.db.transaction() as session:
        return ScoreRecords(
            activities=_activities(session),
            organisation_sectors=_organisation_sectors(session),
            contact_roles=_contact_roles(session),
            goals=goals.readable_in(session, goals.list_query()).records,
        )
