"""The main window's lists in SQL: which ids a list shows, in which order, and the display data
of a batch of them (issue 12: tables load rows on demand).

`ids(query)` sorts, filters and searches in the database and returns only ids; `rows(kind,
ids)` reads what a list shows for a few hundred of them at once, in a few queries. A list of
100k activities thus never turns every row into a record. Every column of a list has a sort
key in SQL (ties by id, so the order is stable); the activity list's filters (type, sector with
its sub-sectors, visibility, dates) and the search box narrow the ids in SQL too.

Damaged entries (storage/row_checks.py) are never read here: `damaged(kind)` names them, once
per refresh, and `ids` leaves them out (the views list them apart, marked, openable).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import LargeBinary

from portfolio_app.domain.damaged import DamagedRecord, first_per_entry
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.services.search import matching_ids
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database
from portfolio_app.storage.row_checks import damaged_rows
from portfolio_app.taxonomy import Taxonomy

LIST_KINDS = ("activity", "lesson", "organisation", "contact")
BATCH = 500  # ids per IN list when reading rows (SQLite's limit on variables is far above)


@dataclass(frozen=True)
class ActivityFilters:
    """The activity list's filters; None filters nothing. Dates: the activities overlapping
    the range (ending on or after `date_from`, starting on or before `date_to`)."""

    activity_type: ActivityType | None = None
    sector_id: str | None = None
    visibility: Visibility | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class TableQuery:
    """What one list shows: its kind, the column it is sorted by (the view's column number),
    the direction, the search text and (activities only) the filters."""

    kind: str
    sort_column: int = 0
    descending: bool = False
    search: str = ""
    filters: ActivityFilters = field(default_factory=ActivityFilters)


@dataclass(frozen=True)
class ActivityListRow:
    id: int
    start: date
    end: date | None
    type: ActivityType
    title: str
    sector_ids: tuple[str, ...]  # the organisations' sectors, then the extra ones, once each
    organisation_names: tuple[str, ...]
    contact_names: tuple[str, ...]
    visibility: Visibility
    status: Status
    lesson_count: int


@dataclass(frozen=True)
class LessonListRow:
    id: int
    recorded_on: date | None
    title: str
    activity_id: int | None
    activity_title: str
    written: tuple[LessonSection, ...]  # the sections with text, in order
    shared: tuple[LessonSection, ...]  # those of them that are shared


@dataclass(frozen=True)
class OrganisationListRow:
    id: int
    name: str
    sector_id: str
    aliases: tuple[str, ...]
    activity_count: int


@dataclass(frozen=True)
class RoleText:
    job_title: str
    organisation: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ContactListRow:
    id: int
    name: str
    roles: tuple[RoleText, ...]  # in their order (position)

    def current_role(self, today: date) -> tuple[RoleText, bool] | None:
        """The role held today (True), else the latest one (False); None without roles."""
        if not self.roles:
            return None
        current = [r for r in self.roles if r.covers(today)]
        if current:
            return current[0], True
        return max(self.roles, key=lambda r: r.end or r.start or date.min), False


ListRow = ActivityListRow | LessonListRow | OrganisationListRow | ContactListRow

_TYPE_LABEL = {kind.value: kind.label for kind in ActivityType}


def _text(value: Any) -> str:
    """A stored text read as bytes (cannot fail), for names of linked entries that may be
    damaged themselves."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _as_bytes(column: Any) -> ColumnElement[Any]:
    return cast(column, LargeBinary)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


class TableQueries:
    """services.tables: the ids and display rows of the main window's four lists."""

    def __init__(self, db: Database, taxonomy: Taxonomy) -> None:
        self.db = db
        self.taxonomy = taxonomy

    # ----- which entries, in which order --------------------------------------------------

    def damaged(self, kind: str) -> list[DamagedRecord]:
        """The damaged entries of `kind`, one problem each (listed apart by the views)."""
        _check_kind(kind)
        with self.db.transaction() as session:
            return first_per_entry(damaged_rows(session, kind))

    def count(self, kind: str) -> int:
        """How many entries of `kind` are stored (damaged ones included)."""
        table = _TABLES[kind]
        with self.db.transaction() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0

    def ids(self, query: TableQuery, exclude: Collection[int] = ()) -> list[int]:
        """The ids the list shows, in order (`exclude`: the damaged ones, listed apart)."""
        _check_kind(query.kind)
        with self.db.transaction() as session:
            statement = self.ids_select(session, query)
            if exclude:
                id_column = _TABLES[query.kind].c.id
                statement = statement.where(id_column.not_in(list(exclude)))
            return _int_column(session, statement)

    def matching(self, kind: str, text: str) -> frozenset[int] | None:
        """The ids of the `kind` entries the search `text` matches (every word a prefix, case
        and accents folded; damaged entries may be among them); None when `text` has no words.

        With `ordered` (the ids of the same query without search, kept by the caller) this
        gives the searched list without sorting again: `narrowed(ordered, matching)` is
        `ids(query)` (the search box's keystrokes then cost one FTS5 query each)."""
        _check_kind(kind)
        with self.db.transaction() as session:
            statement = _matching(session, kind, text)
            if statement is None:
                return None
            return frozenset(_int_column(session, statement))

    def ids_select(self, session: Session, query: TableQuery) -> Select[int]:
        """The select of `ids` (SQLAlchemy 2.1 spells a select of one int column Select[int])."""
        table = _TABLES[query.kind]
        keys = self._sort_keys(query.kind)
        if not 0 <= query.sort_column < len(keys):
            raise ValueError(f"no column {query.sort_column} in the {query.kind} list")
        key = keys[query.sort_column]
        order = [key.desc(), table.c.id.desc()] if query.descending else [key, table.c.id]
        statement = select(table.c.id).order_by(*order)
        if query.kind == "activity":
            statement = statement.where(*self._activity_filters(query.filters))
        matching = _matching(session, query.kind, query.search)
        if matching is not None:
            statement = statement.where(table.c.id.in_(matching))
        return statement

    def _sort_keys(self, kind: str) -> list[ColumnElement[Any]]:
        if kind == "activity":
            return self._activity_keys()
        if kind == "lesson":
            return _lesson_keys()
        if kind == "organisation":
            return self._organisation_keys()
        return _contact_keys()

    def _sector_label(self, sector: ColumnElement[Any], path: bool = False) -> ColumnElement[Any]:
        labels = {
            s.id: (self.taxonomy.path_label(s.id) if path else s.label).casefold()
            for s in self.taxonomy.ordered()
        }
        if not labels:
            return func.coalesce(sector, "")
        return func.coalesce(case(labels, value=sector, else_=sector), "")

    def _activity_keys(self) -> list[ColumnElement[Any]]:
        a = t.ActivityRow.__table__
        link, org = t.ActivityOrganisationRow.__table__, t.OrganisationRow.__table__
        extra = t.ActivitySectorRow.__table__

        def of_first_organisation(column: ColumnElement[Any]) -> ColumnElement[Any]:
            return (
                select(column)
                .join(link, link.c.organisation_id == org.c.id)
                .where(link.c.activity_id == a.c.id)
                .order_by(link.c.position, link.c.organisation_id)
                .limit(1)
                .scalar_subquery()
            )

        first_org = of_first_organisation(org.c.name)
        first_org_sector = of_first_organisation(org.c.sector_id)
        first_extra = (
            select(extra.c.sector_id)
            .where(extra.c.activity_id == a.c.id)
            .order_by(extra.c.position, extra.c.sector_id)
            .limit(1)
            .scalar_subquery()
        )
        type_label = case(_TYPE_LABEL, value=a.c.type, else_=a.c.type)
        return [
            a.c.start_date,
            type_label,
            func.lower(a.c.title),
            self._sector_label(func.coalesce(first_org_sector, first_extra)),
            func.coalesce(func.lower(first_org), ""),
            a.c.visibility,
            a.c.status,
        ]

    def _organisation_keys(self) -> list[ColumnElement[Any]]:
        o = t.OrganisationRow.__table__
        link = t.ActivityOrganisationRow.__table__
        count = (
            select(func.count())
            .select_from(link)
            .where(link.c.organisation_id == o.c.id)
            .scalar_subquery()
        )
        return [
            func.lower(o.c.name),
            self._sector_label(o.c.sector_id, path=True),
            func.lower(cast(o.c.aliases, String)),
            count,
        ]

    def _activity_filters(self, filters: ActivityFilters) -> list[ColumnElement[bool]]:
        a = t.ActivityRow.__table__
        out: list[ColumnElement[bool]] = []
        if filters.activity_type is not None:
            out.append(a.c.type == filters.activity_type.value)
        if filters.visibility is not None:
            out.append(a.c.visibility == filters.visibility.value)
        if filters.date_from is not None:
            out.append(func.coalesce(a.c.end_date, a.c.start_date) >= filters.date_from)
        if filters.date_to is not None:
            out.append(a.c.start_date <= filters.date_to)
        if filters.sector_id is not None:
            sectors = self.sector_and_descendants(filters.sector_id)
            link, org = t.ActivityOrganisationRow.__table__, t.OrganisationRow.__table__
            extra = t.ActivitySectorRow.__table__
            through_organisation = exists(
                select(link.c.activity_id)
                .join(org, org.c.id == link.c.organisation_id)
                .where(link.c.activity_id == a.c.id, org.c.sector_id.in_(sectors))
            )
            extra_sector = exists(
                select(extra.c.activity_id).where(
                    extra.c.activity_id == a.c.id, extra.c.sector_id.in_(sectors)
                )
            )
            out.append(or_(through_organisation, extra_sector))
        return out

    def sector_and_descendants(self, sector_id: str) -> list[str]:
        """The sector and every sector under it (a filter by 'NHS' shows its trusts too)."""
        out, stack, seen = [], [sector_id], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            out.append(current)
            stack.extend(s.id for s in self.taxonomy.children(current))
        return out

    # ----- what a list shows for some ids ------------------------------------------------

    def rows(self, kind: str, ids: Sequence[int]) -> dict[int, ListRow]:
        """The display data of `ids` (good entries: damaged ones are listed apart), by id."""
        _check_kind(kind)
        out: dict[int, ListRow] = {}
        if not ids:
            return out
        reader = _READERS[kind]
        with self.db.transaction() as session:
            for chunk in _chunks(list(ids)):
                out.update(reader(session, chunk))
        return out


_TABLES = {
    "activity": t.ActivityRow.__table__,
    "lesson": t.LessonRow.__table__,
    "organisation": t.OrganisationRow.__table__,
    "contact": t.ContactRow.__table__,
}


def _check_kind(kind: str) -> None:
    if kind not in _TABLES:
        raise ValueError(f"no list of kind {kind!r} (one of: {', '.join(LIST_KINDS)})")


def _int_column(session: Session, statement: Select[int]) -> list[int]:
    """The one integer column `statement` selects, read off the driver's cursor: SQLAlchemy's
    row processing costs as much as SQLite's reading for 100k ids (and ints need none)."""
    result = session.connection().execute(statement)
    try:
        return [row[0] for row in result.cursor.fetchall()]
    finally:
        result.close()


def narrowed(ordered: Sequence[int], matching: Collection[int] | None) -> list[int]:
    """The ids of `ordered` that are in `matching`, in order (all of them for None)."""
    if matching is None:
        return list(ordered)
    return [record_id for record_id in ordered if record_id in matching]


Reader = Callable[[Session, Sequence[int]], Mapping[int, ListRow]]


def _shared_count() -> ColumnElement[int]:
    lesson = t.LessonRow.__table__
    total: ColumnElement[int] = literal(0)
    for section in LessonSection:
        text_column, shared = lesson.c[section.value], lesson.c[f"{section.value}_shared"]
        total = total + case((and_(shared, func.trim(text_column) != ""), 1), else_=0)
    return total


def _lesson_keys() -> list[ColumnElement[Any]]:
    lesson, activity = t.LessonRow.__table__, t.ActivityRow.__table__
    title = (
        select(func.lower(activity.c.title))
        .where(activity.c.id == lesson.c.activity_id)
        .scalar_subquery()
    )
    return [
        func.coalesce(lesson.c.recorded_on, ""),
        func.lower(lesson.c.title),
        case((lesson.c.activity_id.is_(None), "(standalone)"), else_=func.coalesce(title, "")),
        _shared_count(),
    ]


def _contact_keys() -> list[ColumnElement[Any]]:
    contact, role, org = (
        t.ContactRow.__table__,
        t.ContactRoleRow.__table__,
        t.OrganisationRow.__table__,
    )
    today = date.today()
    current = and_(
        or_(role.c.start_date.is_(None), role.c.start_date <= today),
        or_(role.c.end_date.is_(None), role.c.end_date >= today),
    )
    text = case(
        (role.c.job_title != "", role.c.job_title + ", " + func.coalesce(org.c.name, "?")),
        else_=func.coalesce(org.c.name, "?"),
    )
    # The role the list shows: the first held today, else the latest (as current_role).
    shown_role = (
        select(func.lower(text))
        .select_from(role)
        .outerjoin(org, org.c.id == role.c.organisation_id)
        .where(role.c.contact_id == contact.c.id)
        .order_by(
            case((current, 0), else_=1),
            case((current, role.c.position), else_=None),
            func.coalesce(role.c.end_date, role.c.start_date).desc(),
            role.c.position,
        )
        .limit(1)
        .scalar_subquery()
    )
    roles = (
        select(func.count())
        .select_from(role)
        .where(role.c.contact_id == contact.c.id)
        .scalar_subquery()
    )
    return [func.lower(contact.c.name), func.coalesce(shown_role, ""), roles]


def _counts(session: Session, owner: ColumnElement[Any], ids: Sequence[int]) -> dict[int, int]:
    """How many rows name each of `ids` in `owner` (lessons of activities...)."""
    query = select(owner, func.count()).where(owner.in_(ids)).group_by(owner)
    return {owner_id: count for owner_id, count in session.execute(query)}


def _activity_rows(session: Session, ids: Sequence[int]) -> dict[int, ActivityListRow]:
    a = t.ActivityRow.__table__
    link, org = t.ActivityOrganisationRow.__table__, t.OrganisationRow.__table__
    extra, people = t.ActivitySectorRow.__table__, t.ActivityContactRow.__table__
    contact, lesson = t.ContactRow.__table__, t.LessonRow.__table__
    organisations: dict[int, list[tuple[str, str]]] = {}
    for activity_id, name, sector in session.execute(
        select(link.c.activity_id, _as_bytes(org.c.name), _as_bytes(org.c.sector_id))
        .join(org, org.c.id == link.c.organisation_id)
        .where(link.c.activity_id.in_(ids))
        .order_by(link.c.activity_id, link.c.position, link.c.organisation_id)
    ):
        organisations.setdefault(activity_id, []).append((_text(name), _text(sector)))
    sectors: dict[int, list[str]] = {}
    for activity_id, sector in session.execute(
        select(extra.c.activity_id, extra.c.sector_id)
        .where(extra.c.activity_id.in_(ids))
        .order_by(extra.c.activity_id, extra.c.position, extra.c.sector_id)
    ):
        sectors.setdefault(activity_id, []).append(sector)
    names: dict[int, list[str]] = {}
    for activity_id, name in session.execute(
        select(people.c.activity_id, _as_bytes(contact.c.name))
        .join(contact, contact.c.id == people.c.contact_id)
        .where(people.c.activity_id.in_(ids))
        .order_by(people.c.activity_id, people.c.position, people.c.contact_id)
    ):
        names.setdefault(activity_id, []).append(_text(name))
    lessons = _counts(session, lesson.c.activity_id, ids)
    out: dict[int, ActivityListRow] = {}
    for row in session.execute(
        select(
            *(a.c[n] for n in ("id", "start_date", "end_date", "type", "title")),
            *(a.c[n] for n in ("visibility", "status")),
        ).where(a.c.id.in_(ids))
    ):
        orgs = organisations.get(row.id, [])
        shown = dict.fromkeys([s for _, s in orgs] + sectors.get(row.id, []))
        out[row.id] = ActivityListRow(
            id=row.id,
            start=row.start_date,
            end=row.end_date,
            type=ActivityType(row.type),
            title=row.title,
            sector_ids=tuple(shown),
            organisation_names=tuple(n for n, _ in orgs),
            contact_names=tuple(names.get(row.id, [])),
            visibility=Visibility(row.visibility),
            status=Status(row.status),
            lesson_count=lessons.get(row.id, 0),
        )
    return out


def _lesson_rows(session: Session, ids: Sequence[int]) -> dict[int, LessonListRow]:
    lesson, activity = t.LessonRow.__table__, aliased(t.ActivityRow.__table__)
    columns = [lesson.c[s.value] for s in LessonSection]
    flags = [lesson.c[f"{s.value}_shared"] for s in LessonSection]
    out: dict[int, LessonListRow] = {}
    for row in session.execute(
        select(
            lesson.c.id,
            lesson.c.recorded_on,
            lesson.c.title,
            lesson.c.activity_id,
            _as_bytes(activity.c.title),
            *columns,
            *flags,
        )
        .outerjoin(activity, activity.c.id == lesson.c.activity_id)
        .where(lesson.c.id.in_(ids))
    ):
        texts = row[5 : 5 + len(columns)]
        shared = row[5 + len(columns) :]
        sections = list(LessonSection)
        written = tuple(s for s, text in zip(sections, texts, strict=True) if (text or "").strip())
        out[row[0]] = LessonListRow(
            id=row[0],
            recorded_on=row[1],
            title=row[2],
            activity_id=row[3],
            activity_title=_text(row[4]),
            written=written,
            shared=tuple(
                s for s, flag in zip(sections, shared, strict=True) if flag and s in written
            ),
        )
    return out


def _organisation_rows(session: Session, ids: Sequence[int]) -> dict[int, OrganisationListRow]:
    org, link = t.OrganisationRow.__table__, t.ActivityOrganisationRow.__table__
    counts = _counts(session, link.c.organisation_id, ids)
    return {
        row.id: OrganisationListRow(
            id=row.id,
            name=row.name,
            sector_id=row.sector_id,
            aliases=tuple(row.aliases or ()),
            activity_count=counts.get(row.id, 0),
        )
        for row in session.execute(
            select(org.c.id, org.c.name, org.c.sector_id, org.c.aliases).where(org.c.id.in_(ids))
        )
    }


def _contact_rows(session: Session, ids: Sequence[int]) -> dict[int, ContactListRow]:
    contact, role = t.ContactRow.__table__, t.ContactRoleRow.__table__
    org = t.OrganisationRow.__table__
    roles: dict[int, list[RoleText]] = {}
    for row in session.execute(
        select(
            role.c.contact_id,
            role.c.job_title,
            _as_bytes(org.c.name),
            role.c.start_date,
            role.c.end_date,
        )
        .outerjoin(org, org.c.id == role.c.organisation_id)
        .where(role.c.contact_id.in_(ids))
        .order_by(role.c.contact_id, role.c.position, role.c.id)
    ):
        organisation = _text(row[2]) if row[2] is not None else "?"
        roles.setdefault(row[0], []).append(RoleText(row[1] or "", organisation, row[3], row[4]))
    return {
        contact_id: ContactListRow(contact_id, name, tuple(roles.get(contact_id, ())))
        for contact_id, name in session.execute(
            select(contact.c.id, contact.c.name).where(contact.c.id.in_(ids))
        )
    }


# ----- search ---------------------------------------------------------------------------------


def _matching(session: Session, kind: str, text: str) -> Select[int] | None:
    """The ids matching the search box (None: no words, no filter): FTS5, every word a
    prefix, case and accents folded (services/search.py, docs/search.md)."""
    return matching_ids(session, kind, text)


_READERS: dict[str, Reader] = {
    "activity": _activity_rows,
    "lesson": _lesson_rows,
    "organisation": _organisation_rows,
    "contact": _contact_rows,
}
