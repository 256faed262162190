"""Immutable records passed between services, the UI and the CLI (detached from the database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility


@dataclass(frozen=True)
class Profile:
    name: str
    role: str
    home_organisation_id: int
    home_organisation: str
    home_sector_id: str


@dataclass(frozen=True)
class Organisation:
    name: str
    sector_id: str
    aliases: tuple[str, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class ContactRole:
    organisation_id: int
    job_title: str = ""
    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        """Whether the person held this role on `day` (open ends count as always)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Contact:
    name: str
    notes: str = ""
    roles: tuple[ContactRole, ...] = ()
    id: int | None = None

    def roles_on(self, day: date) -> list[ContactRole]:
        return [r for r in self.roles if r.covers(day)]


@dataclass(frozen=True)
class Activity:
    type: ActivityType
    title: str
    start: date
    end: date | None = None
    hours: float | None = None
    organisation_ids: tuple[int, ...] = ()
    extra_sector_ids: tuple[str, ...] = ()
    contact_ids: tuple[int, ...] = ()
    description: str = ""
    visibility: Visibility = Visibility.PRIVATE
    status: Status = Status.DONE
    id: int | None = None

    @property
    def last_day(self) -> date:
        return self.end or self.start


@dataclass(frozen=True)
class LessonField:
    text: str = ""
    shared: bool = False


def _empty_sections() -> dict[LessonSection, LessonField]:
    return {section: LessonField() for section in LessonSection}


@dataclass(frozen=True)
class Lesson:
    """A lesson learned; every section is private unless its author shares it."""

    title: str
    activity_id: int | None = None
    recorded_on: date | None = None
    sections: dict[LessonSection, LessonField] = field(default_factory=_empty_sections)
    id: int | None = None

    def section(self, section: LessonSection) -> LessonField:
        return self.sections.get(section, LessonField())

    def shared_sections(self) -> dict[LessonSection, str]:
        return {s: f.text for s, f in self.sections.items() if f.shared and f.text.strip()}


@dataclass(frozen=True)
class ActivityRow:
    """An activity with the names a list view shows next to it."""

    activity: Activity
    organisation_names: tuple[str, ...]
    sector_ids: tuple[str, ...]
    contact_names: tuple[str, ...]
    lesson_count: int = 0


@dataclass(frozen=True)
class Goal:
    """A development goal: reach (more of) one or more sectors by a target date.

    Its progress is the coverage of its sectors in the breadth score. Goals agreed at an
    appraisal point at the review that agreed them. Private (never exported) unless shared:
    a goal's notes can be as personal as a lesson."""

    title: str
    sector_ids: tuple[str, ...]
    target_date: date | None = None
    notes: str = ""
    review_id: int | None = None
    achieved: bool = False
    visibility: Visibility = Visibility.PRIVATE
    id: int | None = None


@dataclass(frozen=True)
class Review:
    """An appraisal conversation recorded after the fact, from the PDF's review page."""

    held_on: date
    reviewer_name: str
    reviewer_role: str = ""
    comments: str = ""
    id: int | None = None
