"""Shared plumbing for services: the database, the taxonomy, and the one create/edit/delete/undo
path every kind of record goes through."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from portfolio_app.domain.validation import FieldError, require_valid
from portfolio_app.services.errors import NotFound, ServiceError
from portfolio_app.storage.database import Database
from portfolio_app.storage.tables import Base
from portfolio_app.taxonomy import Taxonomy

RowT = TypeVar("RowT", bound=Base)


class ServiceBase:
    def __init__(self, db: Database, taxonomy: Taxonomy) -> None:
        self.db = db
        self.taxonomy = taxonomy


def get_row(session: Session, table: type[RowT], row_id: int, what: str) -> RowT:
    row = session.get(table, row_id)
    if row is None:
        raise NotFound(f"there is no {what} with id {row_id}")
    return row


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
        with self.db.unit_of_work() as session:
            return self.add_in(session, record)

    def add_in(self, session: Session, record: R) -> R:
        """Check and create `record` as part of a caller's unit of work (a use case that
        writes several records all or nothing)."""
        record = self.clean(record)
        require_valid(self.errors_in(session, record))
        return self.create_in(session, record)

    def create_in(self, session: Session, record: R) -> R:
        """Write `record` as it is: for records already checked (or coming back by undo)."""
        row = self.table(id=record.id)
        self.fill(row, record)
        session.add(row)
        session.flush()
        return self.record_of(row)

    def update(self, record: R) -> R:
        record_id = record.id
        if record_id is None:
            raise ServiceError(f"cannot update {article(self.what)} that has not been saved")
        record = self.clean(record)
        with self.db.unit_of_work() as session:
            require_valid(self.errors_in(session, record))
            row = get_row(session, self.table, record_id, self.what)
            self.fill(row, record)
            self.touched(session, row)
            return self.record_of(row)

    def touched(self, session: Session, row: RowT) -> None:
        """After an update's fill: a kind with derived columns refreshes them here."""
        session.flush()

    def get(self, record_id: int) -> R:
        with self.db.transaction() as session:
            return self.record_of(get_row(session, self.table, record_id, self.what))

    def delete(self, record_id: int) -> D:
        """Delete a record; the returned snapshot, passed to `restore`, undoes it. Snapshots are
        only ever held in memory (the undo stack), so an erased record leaves no copy on disk."""
        with self.db.unit_of_work() as session:
            return self.delete_in(session, record_id)

    def delete_in(self, session: Session, record_id: int) -> D:
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
        with self.db.unit_of_work() as session:
            return self.restore_in(session, deleted)

    def restore_in(self, session: Session, deleted: D) -> R:
        record: Any = deleted
        require_valid(self.restore_errors(session, record))
        return self.create_in(session, record)

    def restore_errors(self, session: Session, record: R) -> list[FieldError]:
        """What would stop a deleted record coming back (a name taken since, for instance)."""
        return []
