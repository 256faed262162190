"""The open JSON format (docs/json-format.md) as pydantic models: what `import-json` accepts.

Strict: a date is a "YYYY-MM-DD" string, a flag is true or false, text is a string, and a key
the format does not have is refused (a typo must not lose a field silently). Entries point at
each other by `uid`, the stable id they keep in every copy of the data; `id` is the number the
exporting data gave the entry, kept by an import into an empty data folder when it is free.
docs/portfolio-export.schema.json says the same for other tools; a test keeps the two in step.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from portfolio_app.domain.enums import ActivityType, Status, Visibility

FORMAT: Final = "portfolio-export"
# Changes whenever a field is added, removed or changes meaning; an importer refuses newer ones.
FORMAT_VERSION: Final = 1

UID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Uid = Annotated[str, StringConstraints(pattern=UID_PATTERN)]
# At most 2**53 (exact in every JSON reader): an id kept at SQLite's own limit (2**63 - 1)
# would leave no room for the next entry's, and every later save would fail.
MAX_ENTRY_ID: Final = 2**53
EntryId = Annotated[int, Field(ge=1, le=MAX_ENTRY_ID)]


# The document's lists of entries, in its order, with their nouns (one, several).
KINDS: Final = {
    "organisations": ("organisation", "organisations"),
    "contacts": ("contact", "contacts"),
    "activities": ("activity", "activities"),
    "lessons": ("lesson", "lessons"),
    "reviews": ("review", "reviews"),
    "goals": ("goal", "goals"),
    "evidence": ("evidence file", "evidence files"),
}


def describe_counts(counts: dict[str, int], *, zeros: bool = True) -> str:
    """'3 organisations, 1 contact, 0 activities, …' in the document's order."""
    parts = [
        f"{n} {KINDS[kind][0] if n == 1 else KINDS[kind][1]}"
        for kind, n in counts.items()
        if zeros or n
    ]
    return ", ".join(parts)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class TaxonomyRef(Model):
    """The sector list the data was placed in when it was exported."""

    id: str
    version: str
    title: str


class ProfileModel(Model):
    name: str
    role: str
    home_organisation: Uid


class OrganisationModel(Model):
    uid: Uid
    id: EntryId | None = None
    name: str
    sector_id: str
    aliases: list[str]


class RoleModel(Model):
    uid: Uid
    organisation: Uid
    job_title: str
    start: date | None
    end: date | None


class ContactModel(Model):
    uid: Uid
    id: EntryId | None = None
    name: str
    notes: str
    roles: list[RoleModel]


class ActivityModel(Model):
    uid: Uid
    id: EntryId | None = None
    type: ActivityType
    title: str
    start: date
    end: date | None
    hours: float | None
    description: str
    visibility: Visibility
    status: Status
    organisations: list[Uid]
    sectors: list[str]  # extra sectors, beyond those of its organisations
    contacts: list[Uid]
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class SectionModel(Model):
    text: str
    shared: bool


class SectionsModel(Model):
    """A lesson's parts, each private unless shared (domain.enums.LessonSection)."""

    what_happened: SectionModel
    what_worked: SectionModel
    what_did_not_work: SectionModel
    do_differently: SectionModel
    next_step: SectionModel


class LessonModel(Model):
    uid: Uid
    id: EntryId | None = None
    title: str
    activity: Uid | None
    recorded_on: date | None
    sections: SectionsModel


class ReviewModel(Model):
    uid: Uid
    id: EntryId | None = None
    held_on: date
    reviewer_name: str
    reviewer_role: str
    comments: str


class GoalModel(Model):
    uid: Uid
    id: EntryId | None = None
    title: str
    sectors: list[str]
    target_date: date | None
    notes: str
    achieved: bool
    visibility: Visibility
    review: Uid | None


class EvidenceModel(Model):
    """One evidence file of exactly one activity or one lesson; `data` is its bytes in base64."""

    uid: Uid
    id: EntryId | None = None
    activity: Uid | None
    lesson: Uid | None
    name: str
    media_type: str
    size: Annotated[int, Field(ge=0)]
    added_at: AwareDatetime | None = None
    shared: bool
    data: str


class ExportDocument(Model):
    format: Literal["portfolio-export"]
    format_version: Literal[1]
    app_version: str
    exported_at: AwareDatetime
    taxonomy: TaxonomyRef
    profile: ProfileModel | None
    organisations: list[OrganisationModel]
    contacts: list[ContactModel]
    activities: list[ActivityModel]
    lessons: list[LessonModel]
    reviews: list[ReviewModel]
    goals: list[GoalModel]
    evidence: list[EvidenceModel]
