"""Export everything about one contact to JSON: what the data holds about the person, for
their request to see it (a subject access request) or to keep before an erasure.

The format is documented in docs/contact-export-format.md; `version` changes whenever a field's
meaning does. The file is written atomically and owner-only: it is personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from portfolio_app import atomic_files
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.contact_dossier import ContactDossier, dossier_in
from portfolio_app.services.errors import ServiceError

__all__ = ["EXPORT_FORMAT", "EXPORT_VERSION", "ContactExport", "ContactExportService"]

EXPORT_FORMAT = "portfolio-contact-export"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class ContactExport:
    """What was written: for the status bar and the CLI's line."""

    path: Path
    name: str
    activities: int
    lessons: int
    mentions: int


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_document(dossier: ContactDossier, exported_at: datetime) -> dict[str, Any]:
    """The JSON document (as Python values) for one contact's dossier."""
    contact = dossier.contact
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.astimezone(UTC).isoformat(timespec="seconds"),
        "contact": {
            "id": contact.id,
            "name": contact.name,
            "notes": contact.notes,
            "roles": [
                {
                    "organisation_id": role.organisation_id,
                    "organisation": role.organisation,
                    "job_title": role.job_title,
                    "start": _day(role.start),
                    "end": _day(role.end),
                }
                for role in dossier.roles
            ],
        },
        "activities": [
            {
                "id": activity.id,
                "type": activity.type,
                "title": activity.title,
                "start": _day(activity.start),
                "end": _day(activity.end),
            }
            for activity in dossier.activities
        ],
        "lessons": [
            {
                "id": lesson.id,
                "title": lesson.title,
                "recorded_on": _day(lesson.recorded_on),
                "activity_id": lesson.activity_id,
            }
            for lesson in dossier.lessons
        ],
        "mentioned_in": [
            {
                "kind": mention.kind,
                "id": mention.record_id,
                "title": mention.title,
                "fields": list(mention.fields),
                "found": list(mention.terms),
            }
            for mention in dossier.mentions
        ],
    }


class ContactExportService(ServiceBase):
    def document(self, contact_id: int, *, now: datetime | None = None) -> dict[str, Any]:
        """Everything about the contact `contact_id` (NotFound if there is none)."""
        with self.db.transaction() as session:
            dossier = dossier_in(session, contact_id)
        return export_document(dossier, now or datetime.now(UTC))

    def export(self, contact_id: int, path: Path) -> ContactExport:
        """Write the contact's JSON to `path` (UTF-8, owner-only, replaced atomically)."""
        document = self.document(contact_id)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        try:
            atomic_files.write_text_atomically(path, text)
        except OSError as exc:  # a FileProblem: one sentence naming the file and the cause
            raise ServiceError(str(exc)) from exc
        return ContactExport(
            path,
            document["contact"]["name"],
            len(document["activities"]),
            len(document["lessons"]),
            len(document["mentioned_in"]),
        )
