"""The rules a JSON document must keep beyond its types, checked before anything is written:
the same rules the dialogs apply (domain.validation), sectors the taxonomy in use knows, uids
and names that are unique, references that point at entries of the file, and evidence whose
base64 decodes to the bytes its size says."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from portfolio_app.domain.enums import LessonSection
from portfolio_app.domain.evidence import MAX_EVIDENCE_BYTES, MAX_NAME_LENGTH, clean_file_name
from portfolio_app.domain.names import name_key
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.domain.validation import (
    MAX_TITLE,
    FieldError,
    activity_errors,
    contact_errors,
    goal_errors,
    lesson_errors,
    organisation_errors,
    review_errors,
)
from portfolio_app.services import json_models as m
from portfolio_app.services.json_problems import Problem
from portfolio_app.taxonomy import Taxonomy

# The domain's field names, as the format spells them.
_FIELD_KEYS = {
    "extra sectors": "sectors",
    "sector": "sector_id",
    "reviewer name": "reviewer_name",
    "reviewer role": "reviewer_role",
    **{s.value: f"sections.{s.value}.text" for s in LessonSection},
}


def utc_naive(value: datetime | None) -> datetime | None:
    """How the database keeps a time: UTC, without a zone (OverflowError past year 1 or 9999)."""
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


@dataclass
class CheckedDocument:
    """A document that passed every check, with its evidence decoded (by index)."""

    document: m.ExportDocument
    evidence_data: list[bytes] = field(default_factory=list)


class _Checker:
    def __init__(self, document: m.ExportDocument, taxonomy: Taxonomy, today: date) -> None:
        self.doc = document
        self.taxonomy = taxonomy
        self.today = today
        self.problems: list[Problem] = []
        self.evidence_data: list[bytes] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def domain(self, path: str, errors: Iterable[FieldError]) -> None:
        for error in errors:
            where = error.field
            if where.startswith("role "):  # "role 2" -> roles[1]
                where = f"roles[{int(where.split()[1]) - 1}]"
            self.add(f"{path}.{_FIELD_KEYS.get(where, where)}", error.message)

    def unique(self, kind: str, values: Iterable[str], what: str, key: str = "uid") -> set[str]:
        seen: dict[str, int] = {}
        for index, value in enumerate(values):
            if value in seen:
                self.add(f"{kind}[{index}].{key}", f"the same {what} as {kind}[{seen[value]}]")
            else:
                seen[value] = index
        return set(seen)

    def sector(self, path: str, sector_id: str) -> None:
        if sector_id not in self.taxonomy:
            self.add(path, self.unknown(sector_id))

    def sectors(self, path: str, sector_ids: list[str]) -> None:
        for index, sector_id in enumerate(sector_ids):
            self.sector(f"{path}[{index}]", sector_id)
        if len(set(sector_ids)) != len(sector_ids):
            self.add(path, "a sector is listed twice")

    def unknown(self, sector_id: str) -> str:
        used = self.taxonomy
        text = f"unknown sector {sector_id!r}: not in '{used.title}' {used.version}, in use here"
        made = self.doc.taxonomy
        if (made.id, made.version) != (used.id, used.version):
            text += f" (the file was exported with '{made.title}' {made.version})"
        return text

    def links(self, path: str, uids: list[str], known: set[str], what: str) -> None:
        seen: set[str] = set()
        for index, uid in enumerate(uids):
            if uid not in known:
                self.add(f"{path}[{index}]", f"no {what} in the file has this uid")
            elif uid in seen:
                self.add(f"{path}[{index}]", f"this {what} is listed twice")
            seen.add(uid)

    def ref(self, path: str, uid: str | None, known: set[str], what: str) -> None:
        if uid is not None and uid not in known:
            self.add(path, f"no {what} in the file has this uid")

    def time(self, path: str, value: datetime | None) -> None:
        try:
            utc_naive(value)
        except (OverflowError, ValueError):
            self.add(path, "a date and time out of range")

    def text(self, path: str, value: str, limit: int = MAX_TITLE) -> None:
        if len(value) > limit:
            self.add(path, f"is too long ({len(value)} characters; limit {limit})")

    def run(self) -> None:
        doc = self.doc
        organisations = self.unique("organisations", (o.uid for o in doc.organisations), "uid")
        contacts = self.unique("contacts", (c.uid for c in doc.contacts), "uid")
        activities = self.unique("activities", (a.uid for a in doc.activities), "uid")
        lessons = self.unique("lessons", (x.uid for x in doc.lessons), "uid")
        reviews = self.unique("reviews", (r.uid for r in doc.reviews), "uid")
        self.unique("goals", (g.uid for g in doc.goals), "uid")
        self.unique("evidence", (e.uid for e in doc.evidence), "uid")
        self.unique("organisations", (name_key(o.name) for o in doc.organisations), "name", "name")
        self.unique("contacts", (name_key(c.name) for c in doc.contacts), "name", "name")
        role_uids: dict[str, str] = {}
        if doc.profile is not None:
            if not doc.profile.name.strip():
                self.add("profile.name", "is required")
            self.text("profile.name", doc.profile.name)
            self.text("profile.role", doc.profile.role)
            self.ref(
                "profile.home_organisation",
                doc.profile.home_organisation,
                organisations,
                "organisation",
            )
        for i, o in enumerate(doc.organisations):
            path = f"organisations[{i}]"
            self.domain(path, organisation_errors(Organisation(o.name, o.sector_id)))
            if o.sector_id:
                self.sector(f"{path}.sector_id", o.sector_id)
            for j, alias in enumerate(o.aliases):
                self.text(f"{path}.aliases[{j}]", alias)
        for i, c in enumerate(doc.contacts):
            path = f"contacts[{i}]"
            roles = tuple(ContactRole(0, r.job_title, r.start, r.end) for r in c.roles)
            self.domain(path, contact_errors(Contact(c.name, c.notes, roles)))
            for j, r in enumerate(c.roles):
                where = f"{path}.roles[{j}]"
                self.ref(f"{where}.organisation", r.organisation, organisations, "organisation")
                self.text(f"{where}.job_title", r.job_title)
                if r.uid in role_uids:
                    self.add(f"{where}.uid", f"the same uid as {role_uids[r.uid]}")
                role_uids.setdefault(r.uid, where)
        for i, a in enumerate(doc.activities):
            path = f"activities[{i}]"
            record = Activity(
                a.type,
                a.title,
                a.start,
                a.end,
                a.hours,
                description=a.description,
                visibility=a.visibility,
                status=a.status,
            )
            self.domain(path, activity_errors(record, self.today))
            self.links(f"{path}.organisations", a.organisations, organisations, "organisation")
            self.links(f"{path}.contacts", a.contacts, contacts, "contact")
            self.sectors(f"{path}.sectors", a.sectors)
            self.time(f"{path}.created_at", a.created_at)
            self.time(f"{path}.updated_at", a.updated_at)
        for i, x in enumerate(doc.lessons):
            path = f"lessons[{i}]"
            sections = {
                s: LessonField(
                    getattr(x.sections, s.value).text, getattr(x.sections, s.value).shared
                )
                for s in LessonSection
            }
            self.domain(path, lesson_errors(Lesson(x.title, sections=sections)))
            self.ref(f"{path}.activity", x.activity, activities, "activity")
        for i, held in enumerate(doc.reviews):
            review = Review(held.held_on, held.reviewer_name, held.reviewer_role, held.comments)
            self.domain(f"reviews[{i}]", review_errors(review))
        for i, g in enumerate(doc.goals):
            path = f"goals[{i}]"
            goal = Goal(g.title, tuple(g.sectors), g.target_date, g.notes)
            self.domain(path, goal_errors(goal))
            self.sectors(f"{path}.sectors", g.sectors)
            self.ref(f"{path}.review", g.review, reviews, "review")
        for i, e in enumerate(doc.evidence):
            self.evidence(f"evidence[{i}]", e, activities, lessons)

    def evidence(
        self, path: str, e: m.EvidenceModel, activities: set[str], lessons: set[str]
    ) -> None:
        if (e.activity is None) == (e.lesson is None):
            self.add(path, "an evidence file belongs to one activity or one lesson: give one")
        self.ref(f"{path}.activity", e.activity, activities, "activity")
        self.ref(f"{path}.lesson", e.lesson, lessons, "lesson")
        if not e.name or clean_file_name(e.name) != e.name:
            self.add(
                f"{path}.name",
                "not a file name (no folders, at most "
                f"{MAX_NAME_LENGTH} characters, no control characters)",
            )
        if not e.media_type.strip():
            self.add(f"{path}.media_type", "is required")
        self.text(f"{path}.media_type", e.media_type, MAX_NAME_LENGTH)
        self.time(f"{path}.added_at", e.added_at)
        data = b""
        if len(e.data) > (MAX_EVIDENCE_BYTES + 2) // 3 * 4 + 4:
            self.add(
                f"{path}.data", f"more than {MAX_EVIDENCE_BYTES} bytes, the most a file can hold"
            )
        else:
            try:
                data = base64.b64decode(e.data, validate=True)
            except (binascii.Error, ValueError):
                self.add(f"{path}.data", "not base64")
            else:
                if not data:
                    self.add(f"{path}.data", "the file is empty")
                elif len(data) > MAX_EVIDENCE_BYTES:
                    self.add(
                        f"{path}.data",
                        f"more than {MAX_EVIDENCE_BYTES} bytes, the most a file can hold",
                    )
                elif len(data) != e.size:
                    self.add(f"{path}.size", f"{e.size} bytes, but data holds {len(data)}")
        self.evidence_data.append(data)


def check_document(
    document: m.ExportDocument, taxonomy: Taxonomy, today: date | None = None
) -> tuple[CheckedDocument, list[Problem]]:
    """The document with its evidence decoded, and every problem found (none: it can be
    written)."""
    checker = _Checker(document, taxonomy, today or date.today())
    checker.run()
    return CheckedDocument(document, checker.evidence_data), checker.problems
