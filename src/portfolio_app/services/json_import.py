"""Import a JSON export (docs/json-format.md): into an empty data folder it recreates the data
exactly; with `merge`, it adds to the data here what is not here yet and changes nothing that is.

All or nothing: the whole file is read and checked first (types, then rules, each problem named
by its place in the file), then written in one unit of work. A refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio_app.domain.damaged import CHECK_HINT, first_per_entry
from portfolio_app.file_checks import FileProblem, read_input_bytes
from portfolio_app.services import json_models as m
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.json_checks import CheckedDocument, check_document
from portfolio_app.services.json_merge import KINDS, plan_merge_in
from portfolio_app.services.json_problems import JsonImportError, problems_of_validation
from portfolio_app.services.json_rows import write_in
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import all_damaged_rows

__all__ = ["MAX_IMPORT_BYTES", "DataNotEmpty", "JsonImportResult", "JsonImportService"]

# The largest file `import-json` reads (checked before reading): 512 MB holds the text of a
# long career and a few dozen evidence files at their 25 MB limit. Larger data moves with
# `backup` and `restore`, which copy the database itself.
MAX_IMPORT_BYTES = 512 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"

_TABLES = {
    "organisations": t.OrganisationRow,
    "contacts": t.ContactRow,
    "activities": t.ActivityRow,
    "lessons": t.LessonRow,
    "reviews": t.ReviewRow,
    "goals": t.GoalRow,
    "evidence": t.EvidenceRow,
}


class DataNotEmpty(ServiceError):
    """Refused: the data folder has entries and `merge` was not asked for."""


@dataclass(frozen=True)
class JsonImportResult:
    merged: bool
    added: dict[str, int]  # per kind, in the document's order
    already_there: int = 0
    differing: tuple[str, ...] = ()  # "activity “Title” (uid)": kept as they are here
    profile_added: bool = False
    replaced_profile: str = ""  # the name of a set-up-only profile the file's replaced
    notes: list[str] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values()) + int(self.profile_added)

    def lines(self) -> list[str]:
        what = m.describe_counts(self.added, zeros=False) or "nothing"
        if not self.merged:
            lines = [f"Imported {what}" + (" and the profile." if self.profile_added else ".")]
            if self.replaced_profile:
                lines.append(
                    f"The profile set up here (“{self.replaced_profile}”) was replaced "
                    "by the file's."
                )
            return lines
        lines = [
            f"{self.total_added} added, {self.already_there} already there, "
            f"{len(self.differing)} differing (kept yours)."
        ]
        if self.total_added:
            lines.append(f"Added: {what}" + (" and the profile." if self.profile_added else "."))
        lines += [f"Differs, kept yours: {entry}" for entry in self.differing]
        return lines


def parse_document(data: bytes, source: str = "the file") -> m.ExportDocument:
    """The document in `data` (UTF-8 JSON), or JsonImportError naming every problem's place."""
    try:
        return m.ExportDocument.model_validate_json(data.removeprefix(_BOM))
    except ValidationError as exc:
        raise JsonImportError(source, problems_of_validation(exc)) from None


def _counts_in(session: Session) -> dict[str, int]:
    return {
        kind: session.scalar(select(func.count()).select_from(table)) or 0
        for kind, table in _TABLES.items()
    }


def _refuse_if_damaged_in(session: Session, source: str) -> None:
    """Entries here are compared with the file's: a damaged one cannot be read to compare."""
    damaged = first_per_entry(all_damaged_rows(session))
    if damaged:
        shown = "; ".join(d.describe() for d in damaged[:3])
        more = f"; and {len(damaged) - 3} more" if len(damaged) > 3 else ""
        raise ServiceError(
            f"cannot import {source}: {shown}{more}. {CHECK_HINT[0].upper()}{CHECK_HINT[1:]}, "
            "then repair or delete the damaged entries. Nothing was imported."
        )


class JsonImportService(ServiceBase):
    def read(self, path: Path, *, max_bytes: int = MAX_IMPORT_BYTES) -> bytes:
        """The file's bytes: an ordinary file of at most `max_bytes` (checked before reading)."""
        try:
            return read_input_bytes(path, max_bytes, "JSON file")
        except FileProblem as exc:
            raise ServiceError(str(exc)) from None

    def check(
        self, data: bytes, source: str = "the file", today: date | None = None
    ) -> CheckedDocument:
        """Parse and check the whole document (JsonImportError listing the problems)."""
        checked, problems = check_document(parse_document(data, source), self.taxonomy, today)
        if problems:
            raise JsonImportError(source, problems)
        return checked

    def import_file(
        self, path: Path, *, merge: bool = False, max_bytes: int = MAX_IMPORT_BYTES
    ) -> JsonImportResult:
        return self.import_bytes(
            self.read(path, max_bytes=max_bytes), merge=merge, source=str(path)
        )

    def import_bytes(
        self,
        data: bytes,
        *,
        merge: bool = False,
        source: str = "the file",
        today: date | None = None,
    ) -> JsonImportResult:
        """Import the document in `data`: all of it, or nothing (a ServiceError says why)."""
        checked = self.check(data, source, today)
        with self.db.unit_of_work() as session:
            _refuse_if_damaged_in(session, source)
            replaced = ""
            if not merge:
                replaced = self._make_room_in(session, checked, source)
            plan = plan_merge_in(session, checked)
            if plan.problems:
                raise JsonImportError(source, plan.problems)
            added = write_in(session, checked, plan, keep_ids=not merge)
        return JsonImportResult(
            merged=merge,
            added={kind: added[kind] for kind in KINDS},
            already_there=plan.already_there,
            differing=tuple(plan.differing),
            profile_added=plan.profile_is_new,
            replaced_profile=replaced,
        )

    @staticmethod
    def _make_room_in(session: Session, checked: CheckedDocument, source: str) -> str:
        """Refuse unless the data is empty. A profile and its home organisation alone (what
        `init` or the first start sets up) count as empty when the file has a profile: they
        are deleted, for the file's to take their place. Returns the replaced profile's name."""
        counts = _counts_in(session)
        profile = session.get(t.ProfileRow, 1)
        only_home = (
            profile is not None
            and checked.document.profile is not None
            and counts["organisations"] == 1
            and not any(n for kind, n in counts.items() if kind != "organisations")
        )
        if only_home and profile is not None:
            home = session.get(t.OrganisationRow, profile.home_organisation_id)
            session.delete(profile)
            session.flush()
            session.delete(home)
            session.flush()
            return profile.name
        if profile is None and not any(counts.values()):
            return ""
        held = [f"{n} {kind}" for kind, n in counts.items() if n]
        if profile is not None:
            held.insert(0, "a profile")
        raise DataNotEmpty(
            f"cannot import {source}: this data folder is not empty (it holds "
            f"{', '.join(held)}); add --merge to add the file's entries to yours "
            "(nothing here is changed or duplicated). Nothing was imported."
        )
