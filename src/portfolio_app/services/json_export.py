"""Everything in the data folder as one JSON document (docs/json-format.md): the profile,
organisations, contacts and their roles, activities, lessons, reviews, goals and evidence files
(their bytes in base64), so the data can move to another machine or another tool, and back.

The document is built through the same pydantic models the importer reads (json_models), so
what is written is exactly what can be read. The file is written atomically and owner-only: it
holds every entry, private ones included.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio_app import __version__, atomic_files
from portfolio_app.domain.damaged import CHECK_HINT, first_per_entry
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.file_checks import FileProblem
from portfolio_app.services import json_models as m
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.json_problems import problems_of_validation
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import all_damaged_rows
from portfolio_app.taxonomy import Taxonomy

__all__ = ["JsonExport", "JsonExportService", "document_in"]


@dataclass(frozen=True)
class JsonExport:
    """What was written, for the CLI's line."""

    path: Path
    counts: dict[str, int]  # "activities": 12 ... in the document's order

    def describe(self) -> str:
        return m.describe_counts(self.counts)


def _utc(value: datetime | None) -> datetime | None:
    """Stored times are UTC without a zone; the format says so with one."""
    return None if value is None else value.replace(tzinfo=UTC)


def _all(session: Session, table: type[Any]) -> list[Any]:
    return list(session.scalars(select(table).order_by(table.id)))


def _uids(rows: list[Any]) -> dict[int, str]:
    return {row.id: row.uid for row in rows}


def _maybe(uids: dict[int, str], row_id: int | None) -> str | None:
    return None if row_id is None else uids[row_id]


def document_in(session: Session, taxonomy: Taxonomy, exported_at: datetime) -> m.ExportDocument:
    """The whole data as the format's model (ValidationError if a stored value is damaged)."""
    organisations = _all(session, t.OrganisationRow)
    contacts = _all(session, t.ContactRow)
    activities = _all(session, t.ActivityRow)
    lessons = _all(session, t.LessonRow)
    reviews = _all(session, t.ReviewRow)
    org_uid, contact_uid = _uids(organisations), _uids(contacts)
    activity_uid, lesson_uid, review_uid = _uids(activities), _uids(lessons), _uids(reviews)
    profile = session.get(t.ProfileRow, 1)
    return m.ExportDocument(
        format=m.FORMAT,
        format_version=m.FORMAT_VERSION,
        app_version=__version__,
        exported_at=exported_at.astimezone(UTC),
        taxonomy=m.TaxonomyRef(id=taxonomy.id, version=taxonomy.version, title=taxonomy.title),
        profile=None
        if profile is None
        else m.ProfileModel(
            name=profile.name,
            role=profile.role,
            home_organisation=org_uid[profile.home_organisation_id],
        ),
        organisations=[
            m.OrganisationModel(
                uid=o.uid, id=o.id, name=o.name, sector_id=o.sector_id, aliases=list(o.aliases)
            )
            for o in organisations
        ],
        contacts=[
            m.ContactModel(
                uid=c.uid,
                id=c.id,
                name=c.name,
                notes=c.notes,
                roles=[
                    m.RoleModel(
                        uid=r.uid,
                        organisation=org_uid[r.organisation_id],
                        job_title=r.job_title,
                        start=r.start_date,
                        end=r.end_date,
                    )
                    for r in c.roles
                ],
            )
            for c in contacts
        ],
        activities=[
            m.ActivityModel(
                uid=a.uid,
                id=a.id,
                type=ActivityType(a.type),
                title=a.title,
                start=a.start_date,
                end=a.end_date,
                hours=a.hours,
                description=a.description,
                visibility=Visibility(a.visibility),
                status=Status(a.status),
                organisations=[org_uid[link.organisation_id] for link in a.organisation_links],
                sectors=[link.sector_id for link in a.extra_sectors],
                contacts=[contact_uid[link.contact_id] for link in a.contact_links],
                created_at=_utc(a.created_at),
                updated_at=_utc(a.updated_at),
            )
            for a in activities
        ],
        lessons=[
            m.LessonModel(
                uid=lesson.uid,
                id=lesson.id,
                title=lesson.title,
                activity=_maybe(activity_uid, lesson.activity_id),
                recorded_on=lesson.recorded_on,
                sections=m.SectionsModel(
                    **{
                        s.value: m.SectionModel(
                            text=getattr(lesson, s.value),
                            shared=bool(getattr(lesson, f"{s.value}_shared")),
                        )
                        for s in LessonSection
                    }
                ),
            )
            for lesson in lessons
        ],
        reviews=[
            m.ReviewModel(
                uid=r.uid,
                id=r.id,
                held_on=r.held_on,
                reviewer_name=r.reviewer_name,
                reviewer_role=r.reviewer_role,
                comments=r.comments,
            )
            for r in reviews
        ],
        goals=[
            m.GoalModel(
                uid=g.uid,
                id=g.id,
                title=g.title,
                sectors=list(g.sector_ids),
                target_date=g.target_date,
                notes=g.notes,
                achieved=bool(g.achieved),
                visibility=Visibility(g.visibility),
                review=_maybe(review_uid, g.review_id),
            )
            for g in _all(session, t.GoalRow)
        ],
        evidence=[
            m.EvidenceModel(
                uid=e.uid,
                id=e.id,
                activity=_maybe(activity_uid, e.activity_id),
                lesson=_maybe(lesson_uid, e.lesson_id),
                name=e.name,
                media_type=e.media_type,
                size=len(data),
                added_at=_utc(e.added_at),
                shared=e.visibility == Visibility.SHARED.value,
                data=base64.b64encode(data).decode("ascii"),
            )
            for e, data in session.execute(
                select(t.EvidenceRow, t.EvidenceBlobRow.data)
                .join(t.EvidenceBlobRow, t.EvidenceBlobRow.evidence_id == t.EvidenceRow.id)
                .order_by(t.EvidenceRow.id)
            )
        ],
    )


def _refuse_damaged(problems: list[str]) -> NoReturn:
    shown = "; ".join(problems[:3]) + (
        f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    )
    raise ServiceError(
        f"cannot export: {shown}. An export holds the whole data, so nothing was written: "
        f"{CHECK_HINT}, then repair or delete the damaged entries"
    )


class JsonExportService(ServiceBase):
    def model(self, *, now: datetime | None = None) -> m.ExportDocument:
        """The whole data as the format's model. An export is the whole data or nothing: a
        damaged entry cannot be written as it is, so it is a ServiceError naming it."""
        with self.db.transaction() as session:
            damaged = first_per_entry(all_damaged_rows(session))
            if damaged:
                _refuse_damaged([d.describe() for d in damaged])
            try:
                return document_in(session, self.taxonomy, now or datetime.now(UTC))
            except ValidationError as exc:  # what the row checks do not look at
                _refuse_damaged([str(p) for p in problems_of_validation(exc)])

    def document(self, *, now: datetime | None = None) -> dict[str, Any]:
        """The JSON document as Python values (what `export` writes)."""
        return self.model(now=now).model_dump(mode="json")

    def export(self, path: Path, *, now: datetime | None = None) -> JsonExport:
        """Write everything to `path` as UTF-8 JSON, owner-only, replaced atomically."""
        document = self.document(now=now)
        try:
            atomic_files.write_atomically(path, _writer(document))
        except FileProblem as exc:  # a device, no such folder, the disk full...
            raise ServiceError(str(exc)) from exc
        except OSError as exc:
            raise ServiceError(f"cannot write {path}: {exc.strerror or exc}") from exc
        counts = {kind: len(document[kind]) for kind in m.KINDS}
        return JsonExport(path, counts)


def _writer(document: dict[str, Any]) -> Callable[[BinaryIO], None]:
    def write(handle: BinaryIO) -> None:
        # Streamed: the text of a large export (evidence in base64) is never held whole.
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        json.dump(document, text, ensure_ascii=False, indent=2)
        text.write("\n")
        text.flush()
        text.detach()  # the handle is the caller's to close

    return write
