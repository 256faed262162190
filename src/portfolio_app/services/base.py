"""Shared plumbing for services: the database, the taxonomy, and the one create/edit/delete/undo
path every kind of record goes through."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, Table, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio_app.domain.damaged import CHECK_HINT, DamagedRecord, Listing, first_per_entry
from portfolio_app.domain.validation import FieldError, require_valid
from portfolio_app.services.errors import NotFound, ServiceError
from portfolio_app.storage.database import Database
from portfolio_app.storage.mapping import NEW_ROWS, readable_records
from portfolio_app.storage.row_checks import damaged_rows
from portfolio_app.storage.search_index import documents_once
from portfolio_app.storage.tables import Base, new_uid
from portfolio_app.taxonomy import Taxonomy

RowT = TypeVar("RowT", bound=Base)


class DamagedEntry(ServiceError):
    """An entry whose stored values cannot be read (opened, changed or deleted); `damage`
    names the field and what is wrong with it."""

    def __init__(self, damage: DamagedRecord) -> None:
        self.damage = damage
        super().__init__(f"{damage.describe()}; {CHECK_HINT}")


class ServiceBase:
    def __init__(self, db: Database, taxonomy: Taxonomy) -> None:
        self.db = db
        self.taxonomy = taxonomy

    def known_sector(self, sector_id: str) -> bool:
        """Whether a stored sector id means something to the sector list in use (a retired
        sector still does: its entries are moved, not lost).

        Only `portfolio-app check` reports unknown sectors: in lists and opens an entry in a
        sector the list in use lacks is not damaged (the taxonomy's start-up warning names
        it, and the user can still see and move it)."""
        return sector_id in self.taxonomy or self.taxonomy.retired_entry(sector_id) is not None

    def require_readable(self, session: Session, kind: str, record_id: int) -> None:
        """DamagedEntry if the stored entry `record_id` of `kind` has a value that is not valid."""
        problems = damaged_rows(session, kind, row_id=record_id)
        if problems:
            raise DamagedEntry(problems[0])

    def damaged_in(self, session: Session, kind: str) -> list[DamagedRecord]:
        """The damaged entries of `kind`, one problem each."""
        return first_per_entry(damaged_rows(session, kind))


def get_row(session: Session, table: type[RowT], row_id: int, what: str) -> RowT:
    row = session.get(table, row_id)
    if row is None:
        raise NotFound(f"there is no {what} with id {row_id}")
    return row


def reusable_uid(session: Session, table: type[Base], uid: str) -> str | None:
    """`uid` if no row of `table` has it (an entry coming back by undo keeps its stable id);
    None (a new uid is made) if it is empty or taken since, by an import for instance."""
    if not uid:
        return None
    column = table.__table__.c.uid
    taken = session.scalar(select(column).where(column == uid).limit(1))
    return None if taken is not None else uid


class Saved(Protocol):
    @property
    def id(self) -> int | None: ...


R = TypeVar("R", bound=Saved)
D = TypeVar("D")  # what a delete returns, for restore (the record, plus its links if it has any)


def article(what: str) -> str:
    return f"{'an' if what[0] in 'aeiou' else 'a'} {what}"


class RecordService(ServiceBase, Generic[R, RowT, D]):
    """Create, update, get, delete and restore one kind of record, each as one unit of work:
    the checks run inside the write transaction, so nothing changes between check and write.

    A kind supplies its table, how a row becomes a record and back, its checks, and (if deleting
    it unlinks others) what its delete snapshot holds and how restore relinks it."""

    table: type[RowT]
    what: str  # "activity": in messages

    def record_of(self, row: RowT) -> R:
        raise NotImplementedError

    def fill(self, row: RowT, record: R) -> None:
        raise NotImplementedError

    def errors_in(self, session: Session, record: R) -> list[FieldError]:
        raise NotImplementedError

    def clean(self, record: R) -> R:
        """Normalise input (trim names...) before it is checked and saved."""
        return record

    def errors(self, record: R) -> list[FieldError]:
        """What is wrong with `record`, for dialogs to show before saving (saving checks again)."""
        with self.db.transaction() as session:
            return self.errors_in(session, self.clean(record))

    def create(self, record: R) -> R:
        with self.db.unit_of_work() as session, documents_once(session):
            return self.add_in(session, record)

    def add_in(self, session: Session, record: R) -> R:
        """Check and create `record` as part of a caller's unit of work (a use case that
        writes several records all or nothing)."""
        record = self.clean(record)
        require_valid(self.errors_in(session, record))
        return self.create_in(session, record)

    def errors_in_many(self, session: Session, records: Sequence[R]) -> Iterator[list[FieldError]]:
        """`errors_in` of each record in turn; a kind whose checks look rows up overrides it
        to look them up once for the whole batch (the same checks, the same messages)."""
        for record in records:
            yield self.errors_in(session, record)

    def add_many_in(
        self, session: Session, records: Sequence[R], uids: Sequence[str] | None = None
    ) -> list[R]:
        """`add_in` of each record, in order, with the same checks, ids and uids, written in
        bulk: one executemany INSERT per table (links too) instead of a flush per record; the
        kinds in mapping.NEW_ROWS without ORM objects at all (their ids follow the table's
        AUTOINCREMENT sequence, as the database would give them), the others through `fill`
        and INSERT ... RETURNING id. `uids` (one per record, "" for a new one) keeps the stable
        ids a file gave.

        The first record with a problem raises what `add_in` raises for it. A rule the
        database enforces (a name used twice in the batch, a CHECK) rolls the bulk write back
        to a savepoint and adds the records one by one, so it fails exactly as `add_in` does."""
        cleaned = [self.clean(record) for record in records]
        for errors in self.errors_in_many(session, cleaned):
            require_valid(errors)
        if not cleaned:
            return []
        session.flush()  # what is pending goes first, as add_in's own flush would send it
        given = list(uids) if uids is not None else [""] * len(cleaned)
        with documents_once(session):  # each activity's search document once, at the end
            return self._add_many_checked(session, cleaned, given)

    def _add_many_checked(self, session: Session, cleaned: list[R], given: list[str]) -> list[R]:
        try:
            with session.begin_nested():
                if self.table in NEW_ROWS:
                    return _core_insert(session, self, cleaned, given)
                return _bulk_insert(session, self, cleaned, given)
        except IntegrityError:
            added: list[R] = []
            for record in cleaned:  # add_in, keeping the uid given
                require_valid(self.errors_in(session, record))
                added.append(self.create_in(session, record, given[len(added)]))
            return added

    def create_in(self, session: Session, record: R, uid: str = "") -> R:
        """Write `record` as it is: for records already checked (or coming back by undo, with
        the `uid` it had)."""
        with documents_once(session):
            row = self.table(id=record.id)
            self.fill(row, record)
            kept = reusable_uid(session, self.table, uid)
            if kept is not None:
                row.uid = kept  # type: ignore[attr-defined]
            session.add(row)
            session.flush()
            return self.record_of(row)

    def update(self, record: R) -> R:
        record_id = record.id
        if record_id is None:
            raise ServiceError(f"cannot update {article(self.what)} that has not been saved")
        record = self.clean(record)
        with self.db.unit_of_work() as session, documents_once(session):
            require_valid(self.errors_in(session, record))
            self.require_readable(session, self.what, record_id)
            row = get_row(session, self.table, record_id, self.what)
            self.fill(row, record)
            self.touched(session, row)
            return self.record_of(row)

    def touched(self, session: Session, row: RowT) -> None:
        """After an update's fill: a kind with derived columns refreshes them here."""
        session.flush()

    def get(self, record_id: int) -> R:
        """The record; DamagedEntry (naming the field) if its stored values are not valid."""
        with self.db.transaction() as session:
            self.require_readable(session, self.what, record_id)  # before the ORM reads it
            return self.record_of(get_row(session, self.table, record_id, self.what))

    def readable_in(self, session: Session, query: Select[RowT]) -> Listing[R]:
        """The records `query` selects, with the damaged entries left out of them listed
        beside them (one problem each): a bad row never takes a list down."""
        records, damaged = readable_records(session, self.what, query, self.record_of)
        return Listing(records, first_per_entry(damaged))

    def listing(self) -> Listing[R]:
        """Every record of this kind, and the damaged entries left out."""
        with self.db.transaction() as session:
            return self.listing_in(session)

    def listing_in(self, session: Session) -> Listing[R]:
        """`listing` inside a caller's transaction: the kind's plain-SELECT reader if it has
        one (storage/fast_records.py), else the ORM query."""
        damaged = damaged_rows(session, self.what)
        failed: list[tuple[int, Exception]] = []
        records = self.read_all_fast(session, {d.id for d in damaged}, failed)
        if records is None:
            return self.readable_in(session, self.list_query())
        unreadable = [DamagedRecord(self.what, i, "", f"cannot be read ({e})") for i, e in failed]
        return Listing(records, first_per_entry([*damaged, *unreadable]))

    def read_all_fast(
        self, session: Session, leave_out: set[int], failed: list[tuple[int, Exception]]
    ) -> list[R] | None:
        """Every record but `leave_out`, in `list_query`'s order, without ORM objects (rows that
        fail to convert go to `failed`); None for kinds without such a reader."""
        return None

    def list_query(self) -> Select[RowT]:
        """The query of `listing` (its order); kinds override it."""
        return select(self.table).order_by(self.table.id)  # type: ignore[attr-defined]

    def list_all(self) -> list[R]:
        """Every readable record of this kind (the damaged ones are in `listing`)."""
        return self.listing().records

    def damaged(self) -> list[DamagedRecord]:
        """The damaged entries of this kind, one problem each."""
        return self.listing().damaged

    def delete(self, record_id: int) -> D:
        """Delete a record; the returned snapshot, passed to `restore`, undoes it. Snapshots are
        only ever held in memory (the undo stack), so an erased record leaves no copy on disk."""
        with self.db.unit_of_work() as session, documents_once(session):
            return self.delete_in(session, record_id)

    def delete_in(self, session: Session, record_id: int) -> D:
        self.require_readable(session, self.what, record_id)  # its snapshot could not be taken
        row = get_row(session, self.table, record_id, self.what)
        deleted = self.snapshot_in(session, row)
        session.delete(row)
        session.flush()
        return deleted

    def snapshot_in(self, session: Session, row: RowT) -> D:
        """What restore needs; by default the record itself (no links to put back)."""
        return self.record_of(row)  # type: ignore[return-value]

    def restore(self, deleted: D) -> R:
        """Undo a delete: the record comes back with the same id, relinked where it still can."""
        with self.db.unit_of_work() as session, documents_once(session):
            return self.restore_in(session, deleted)

    def restore_in(self, session: Session, deleted: D) -> R:
        record: Any = deleted
        require_valid(self.restore_errors(session, record))
        return self.create_in(session, record)

    def restore_errors(self, session: Session, record: R) -> list[FieldError]:
        """What would stop a deleted record coming back (a name taken since, for instance)."""
        return []


def _column_values(row: Base) -> dict[str, Any]:
    """The column values set on a transient `row` (by `fill`), by column key."""
    state = inspect(row)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in state.dict:
            values[attr.columns[0].key] = state.dict[attr.key]
    return values


def _default_of(table: Any, key: str) -> Any:
    """A column's Python default, for a row that left it unset while others set it."""
    default = table.c[key].default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)
    return default.arg


def _insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int] | None:
    """INSERT `rows` into `table` in one executemany (insertmanyvalues); their ids, in order,
    when the table has an `id` column."""
    keys = list(dict.fromkeys(key for row in rows for key in row))
    params = [
        {key: row[key] if key in row else _default_of(table, key) for key in keys} for row in rows
    ]
    if "id" not in table.c:
        session.execute(insert(table), params)
        return None
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, params))


def _bulk_insert(
    session: Session, service: RecordService[Any, Any, Any], records: list[Any], uids: list[str]
) -> list[Any]:
    mapper = inspect(service.table)
    rows: list[Any] = []
    for record, uid in zip(records, uids, strict=True):
        row = service.table(id=record.id)
        service.fill(row, record)
        if "uid" in mapper.columns:  # a uid taken already fails the unique index: see above
            row.uid = uid or new_uid()
        rows.append(row)
    ids = _insert_rows(session, service.table.__table__, [_column_values(r) for r in rows])
    assert ids is not None
    for row, row_id in zip(rows, ids, strict=True):
        row.id = row_id
    for relationship in mapper.relationships:
        children: list[Any] = []
        for row in rows:
            for child in getattr(row, relationship.key):
                for parent_column, child_column in relationship.local_remote_pairs:
                    setattr(child, child_column.key, getattr(row, parent_column.key))
                children.append(child)
        if not children:
            continue
        child_table = relationship.mapper.local_table
        values = [_column_values(child) for child in children]
        if "uid" in child_table.c:
            for value in values:
                value.setdefault("uid", new_uid())
        child_ids = _insert_rows(session, child_table, values)
        for child, child_id in zip(children, child_ids or [], strict=False):
            child.id = child_id
    return [service.record_of(row) for row in rows]


def _next_id(session: Session, table: Table) -> int:
    """The id SQLite's AUTOINCREMENT would give the next row of `table`: above every id it
    ever gave (sqlite_sequence) and every id in the table."""
    given = session.scalar(
        text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
    )
    highest = session.scalar(select(table.c.id).order_by(table.c.id.desc()).limit(1))
    return max(int(given or 0), int(highest or 0)) + 1


def _core_insert(
    session: Session, service: RecordService[Any, Any, Any], records: list[Any], uids: list[str]
) -> list[Any]:
    """The records as plain column values (mapping.NEW_ROWS), each table in one executemany
    INSERT: no ORM objects, no RETURNING. A record that has an id keeps it; the others get the
    next ids of the sequence, in order. A uid taken already (or an id) fails a unique index,
    which makes the caller fall back to add_in one by one."""
    table = service.table.__table__
    assert isinstance(table, Table)
    make = NEW_ROWS[service.table]
    next_id = max([_next_id(session, table), *(r.id + 1 for r in records if r.id is not None)])
    rows: list[dict[str, Any]] = []
    links: dict[Table, list[dict[str, Any]]] = {}
    saved: list[Any] = []
    for record, uid in zip(records, uids, strict=True):
        if record.id is None:
            row_id, next_id = next_id, next_id + 1
        else:
            row_id = record.id
        new = make(record, row_id, uid or new_uid())
        rows.append(new.row)
        saved.append(new.record)
        for link_table, values in new.links:
            links.setdefault(link_table, []).append(values)
    _insert_values(session, table, rows)
    for link_table, link_rows in links.items():
        if "id" in link_table.c:
            first = _next_id(session, link_table)
            for offset, link_row in enumerate(link_rows):
                link_row["id"] = first + offset
        _insert_values(session, link_table, link_rows)
    return saved


# Bound values per multi-row INSERT: well under SQLite's limit of 32,766.
_VALUES_PER_INSERT = 8_000


def _insert_values(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """`rows` as multi-row INSERT ... VALUES statements, not one statement per row (as
    executemany runs them): inside the caller's savepoint, each statement on a table with
    triggers (the search index's) costs SQLite a statement journal of its own, and the link
    rows of 100k activities took minutes that way instead of seconds. The SQL is written here,
    not compiled by SQLAlchemy (compiling a statement of thousands of values costs more than
    running it); each value goes through its column type's bind processor, as SQLAlchemy's
    own INSERT would send it."""
    if not rows:
        return
    columns = list(rows[0])
    if any(list(row) != columns for row in rows):  # a row without some column: as before
        session.execute(insert(table), rows)
        return
    connection = session.connection()
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) VALUES "
    one = "(" + ", ".join("?" * len(columns)) + ")"
    step = max(1, _VALUES_PER_INSERT // len(columns))
    pairs = list(zip(columns, processors, strict=True))
    for first in range(0, len(rows), step):
        chunk = rows[first : first + step]
        values = tuple(
            row[name] if process is None else process(row[name])
            for row in chunk
            for name, process in pairs
        )
        connection.exec_driver_sql(head + ", ".join([one] * len(chunk)), values)
