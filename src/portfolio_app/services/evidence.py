"""Evidence files on activities and lessons, stored inside the encrypted database.

Listings carry names, types, sizes and dates, never the bytes (those are in a table of their
own, read only by `read` and `open_copy`). Every public method is one transaction. A file that
is too large, empty, unreadable, a folder or a device is refused with a clear reason, and
nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.damaged import Listing, first_per_entry
from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.evidence import (
    MAX_EVIDENCE_BYTES,
    Evidence,
    clean_file_name,
    guess_media_type,
    human_size,
)
from portfolio_app.file_checks import (
    InputMissing,
    InputNotOrdinary,
    InputRefused,
    InputTooLarge,
    read_input_bytes,
    write_reason,
)
from portfolio_app.services.base import ServiceBase, get_row, reusable_uid
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.open_copies import OpenCopies
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import readable_records


class EvidenceRefused(ServiceError):
    """A file that cannot be stored as evidence, and why (nothing was stored)."""


@dataclass(frozen=True)
class StoredEvidence:
    """An evidence record with its bytes: what undoing the delete of its activity or lesson
    puts back. Held only in memory (the undo stack)."""

    evidence: Evidence
    data: bytes
    uid: str = ""  # its stable id, which it keeps when it comes back


def too_large_message(name: str, size: int) -> str:
    return (
        f"“{name}” is {human_size(size)}: an evidence file can be at most "
        f"{human_size(MAX_EVIDENCE_BYTES)}. Nothing was stored."
    )


def checked_name(name: str, data: bytes) -> str:
    """The name `data` is stored under (folders stripped), or EvidenceRefused: no name left,
    nothing in it, or over the limit."""
    shown = clean_file_name(name)
    if not shown:
        raise EvidenceRefused(f"“{name}” is not a file name: nothing was stored.")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceRefused(too_large_message(shown, len(data)))
    if not data:
        raise EvidenceRefused(f"“{shown}” is empty: nothing was stored.")
    return shown


def read_evidence_file(path: Path) -> tuple[str, bytes]:
    """The name and bytes of the ordinary file at `path`, or EvidenceRefused saying why not
    (a folder, device or pipe is refused before it is opened: file_checks)."""
    name = clean_file_name(str(path)) or str(path)
    try:
        return name, read_input_bytes(path, MAX_EVIDENCE_BYTES, "evidence file")
    except InputMissing:
        raise EvidenceRefused(f"“{path}” does not exist (moved or deleted?).") from None
    except InputTooLarge as exc:
        raise EvidenceRefused(too_large_message(name, exc.size)) from None
    except InputNotOrdinary as exc:
        if exc.kind == "a folder":
            raise EvidenceRefused(
                f"“{name}” is a folder: add the files inside it instead."
            ) from None
        raise EvidenceRefused(
            f"“{name}” is not an ordinary file ({exc.kind}): nothing was stored."
        ) from None
    except InputRefused as exc:
        raise EvidenceRefused(f"cannot read “{name}”: {exc.reason}.") from None


def _record(row: t.EvidenceRow) -> Evidence:
    return Evidence(
        name=row.name,
        media_type=row.media_type,
        size=row.size,
        added_at=row.added_at.replace(tzinfo=UTC),
        visibility=Visibility(row.visibility),
        activity_id=row.activity_id,
        lesson_id=row.lesson_id,
        id=row.id,
    )


def _owned_by(activity_id: int | None, lesson_id: int | None) -> ColumnElement[bool]:
    if activity_id is not None:
        return t.EvidenceRow.activity_id == activity_id
    return t.EvidenceRow.lesson_id == lesson_id


def snapshot_evidence_in(
    session: Session, *, activity_id: int | None = None, lesson_id: int | None = None
) -> tuple[StoredEvidence, ...]:
    """The evidence of one activity or lesson with its bytes, before it is deleted with it."""
    query = (
        select(t.EvidenceRow, t.EvidenceBlobRow.data)
        .join(t.EvidenceBlobRow, t.EvidenceBlobRow.evidence_id == t.EvidenceRow.id)
        .where(_owned_by(activity_id, lesson_id))
        .order_by(t.EvidenceRow.added_at, t.EvidenceRow.id)
    )
    return tuple(
        StoredEvidence(_record(row), data, row.uid) for row, data in session.execute(query)
    )


def restore_evidence_in(session: Session, stored: Iterable[StoredEvidence]) -> None:
    """Put evidence back (undo), with its ids, uids, owners and dates."""
    for item in stored:
        _insert(session, item.evidence, item.data, reusable_uid(session, t.EvidenceRow, item.uid))


def _insert(session: Session, evidence: Evidence, data: bytes, uid: str | None = None) -> Evidence:
    added_at = evidence.added_at or datetime.now(UTC).replace(microsecond=0)
    row = t.EvidenceRow(
        id=evidence.id,
        activity_id=evidence.activity_id,
        lesson_id=evidence.lesson_id,
        name=evidence.name,
        media_type=evidence.media_type,
        size=len(data),
        added_at=added_at.astimezone(UTC).replace(tzinfo=None),
        visibility=evidence.visibility.value,
    )
    if uid is not None:
        row.uid = uid
    session.add(row)
    session.flush()
    session.add(t.EvidenceBlobRow(evidence_id=row.id, data=data))
    session.flush()
    return _record(row)


class EvidenceService(ServiceBase):
    """Add, list, read, open, share and remove the evidence files of activities and lessons."""

    def add_file(
        self,
        path: Path,
        *,
        activity_id: int | None = None,
        lesson_id: int | None = None,
        visibility: Visibility = Visibility.PRIVATE,
    ) -> Evidence:
        """Store the file at `path` (read whole, at most MAX_EVIDENCE_BYTES) under its name."""
        name, data = read_evidence_file(path)
        return self.add(
            name, data, activity_id=activity_id, lesson_id=lesson_id, visibility=visibility
        )

    def add(
        self,
        name: str,
        data: bytes,
        *,
        activity_id: int | None = None,
        lesson_id: int | None = None,
        visibility: Visibility = Visibility.PRIVATE,
    ) -> Evidence:
        """Store `data` as a file called `name` (folders stripped) on one activity or lesson."""
        with self.db.unit_of_work() as session:
            return self.add_in(
                session,
                name,
                data,
                activity_id=activity_id,
                lesson_id=lesson_id,
                visibility=visibility,
            )

    def add_in(
        self,
        session: Session,
        name: str,
        data: bytes,
        *,
        activity_id: int | None = None,
        lesson_id: int | None = None,
        visibility: Visibility = Visibility.PRIVATE,
        added_at: datetime | None = None,
    ) -> Evidence:
        """`add`, as part of a caller's unit of work (the demo data, written all or nothing);
        `added_at` (default: now) lets generated data be the same on every run."""
        shown = checked_name(name, data)
        evidence = Evidence(
            shown,
            guess_media_type(shown),
            len(data),
            added_at,
            Visibility(visibility),
            activity_id=activity_id,
            lesson_id=lesson_id,
        )
        self._check_owner(session, activity_id, lesson_id)
        return _insert(session, evidence, data)

    @staticmethod
    def _check_owner(session: Session, activity_id: int | None, lesson_id: int | None) -> None:
        if (activity_id is None) == (lesson_id is None):
            raise ServiceError("evidence belongs to one activity or one lesson: name one")
        if activity_id is not None:
            get_row(session, t.ActivityRow, activity_id, "activity")
        elif lesson_id is not None:
            get_row(session, t.LessonRow, lesson_id, "lesson")

    def get(self, evidence_id: int) -> Evidence:
        with self.db.transaction() as session:
            self.require_readable(session, "evidence", evidence_id)
            return _record(get_row(session, t.EvidenceRow, evidence_id, "evidence file"))

    def _readable(self, session: Session, query: Select[t.EvidenceRow]) -> Listing[Evidence]:
        records, damaged = readable_records(session, "evidence", query, _record)
        return Listing(records, first_per_entry(damaged))

    def list_for(
        self, *, activity_id: int | None = None, lesson_id: int | None = None
    ) -> list[Evidence]:
        """The evidence of one activity or one lesson, oldest first (without the bytes)."""
        with self.db.transaction() as session:
            self._check_owner(session, activity_id, lesson_id)
            query = (
                select(t.EvidenceRow)
                .where(_owned_by(activity_id, lesson_id))
                .order_by(t.EvidenceRow.added_at, t.EvidenceRow.id)
            )
            return self._readable(session, query).records

    def list_all(self) -> list[Evidence]:
        """Every evidence file of every activity and lesson, oldest first (without the bytes);
        damaged ones are left out (see `listing`)."""
        return self.listing().records

    def listing(self) -> Listing[Evidence]:
        """Every readable evidence record, and the damaged ones left out."""
        with self.db.transaction() as session:
            query = select(t.EvidenceRow).order_by(t.EvidenceRow.added_at, t.EvidenceRow.id)
            return self._readable(session, query)

    def count_for(self, *, activity_id: int | None = None, lesson_id: int | None = None) -> int:
        """How many files an activity or lesson has (for 'delete?' questions)."""
        with self.db.transaction() as session:
            query = select(func.count()).where(_owned_by(activity_id, lesson_id))
            return session.scalar(query) or 0

    def read(self, evidence_id: int) -> bytes:
        """The file's bytes, exactly as added."""
        with self.db.transaction() as session:
            get_row(session, t.EvidenceRow, evidence_id, "evidence file")
            data = session.scalar(
                select(t.EvidenceBlobRow.data).where(t.EvidenceBlobRow.evidence_id == evidence_id)
            )
        if data is None:  # pragma: no cover - the schema keeps every record's bytes
            raise ServiceError(f"the evidence file {evidence_id} has lost its contents")
        return bytes(data)

    def open_copy(self, evidence_id: int, copies: OpenCopies) -> Path:
        """A plain, owner-only copy of the file for another program to open; it is deleted
        when the app closes (changes made to it are not saved back)."""
        with self.db.transaction() as session:
            row = get_row(session, t.EvidenceRow, evidence_id, "evidence file")
            name = row.name
            data = session.scalar(
                select(t.EvidenceBlobRow.data).where(t.EvidenceBlobRow.evidence_id == evidence_id)
            )
        try:
            return copies.write(name, bytes(data or b""))
        except OSError as exc:
            raise ServiceError(
                f"cannot make a copy of “{name}” to open: {write_reason(exc)}"
            ) from exc

    def set_visibility(self, evidence_id: int, visibility: Visibility) -> Evidence:
        """Share the file (its name may be listed in exports of its activity) or make it
        private again."""
        with self.db.unit_of_work() as session:
            row = get_row(session, t.EvidenceRow, evidence_id, "evidence file")
            row.visibility = Visibility(visibility).value
            session.flush()
            return _record(row)

    def remove(self, evidence_id: int) -> Evidence:
        """Delete the file for good (its bytes are overwritten on disk: secure_delete)."""
        with self.db.unit_of_work() as session:
            row = get_row(session, t.EvidenceRow, evidence_id, "evidence file")
            removed = _record(row)
            session.delete(row)  # its blob goes with it (ON DELETE CASCADE)
            session.flush()
            return removed
