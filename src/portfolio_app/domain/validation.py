"""Validation rules shared by services, dialogs and importers, so every front end says the same."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from portfolio_app.domain.dates import format_date, is_far_future, is_implausibly_old
from portfolio_app.domain.enums import Status
from portfolio_app.domain.hours import MAX_HOURS
from portfolio_app.domain.records import Activity, Contact, Goal, Lesson, Organisation, Review

MAX_TITLE = 300
MAX_TEXT = 200_000


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(ValueError):
    """Input that breaks a rule; `errors` names each field and why."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _text(errors: list[FieldError], name: str, value: str, *, required: bool, limit: int) -> None:
    if required and not value.strip():
        errors.append(FieldError(name, "is required"))
    elif len(value) > limit:
        errors.append(FieldError(name, f"is too long ({len(value)} characters; limit {limit})"))


def activity_errors(activity: Activity, today: date | None = None) -> list[FieldError]:
    errors: list[FieldError] = []
    today = today or date.today()
    _text(errors, "title", activity.title, required=True, limit=MAX_TITLE)
    _text(errors, "description", activity.description, required=False, limit=MAX_TEXT)
    if activity.end is not None and activity.end < activity.start:
        errors.append(FieldError("end", "the end date is before the start date"))
    elif activity.status is Status.DONE and activity.last_day > today:
        # A typing slip (3020 for 2026) must not count as done work and raise the score.
        errors.append(
            FieldError(
                "end" if activity.end is not None else "start",
                f"a done activity cannot end in the future ({format_date(activity.last_day)}): "
                "check the date, or mark it planned",
            )
        )
    if activity.hours is not None and (not math.isfinite(activity.hours) or activity.hours < 0):
        errors.append(FieldError("hours", "hours must be a number of 0 or more"))
    elif activity.hours is not None and activity.hours > MAX_HOURS:
        # The hours parser caps what is typed or imported; the rule caps what is stored, so an
        # export can always be imported again.
        errors.append(FieldError("hours", f"hours must be at most {MAX_HOURS:,.0f}"))
    return errors


def activity_warnings(activity: Activity, today: date | None = None) -> list[FieldError]:
    """Dates that are possible but probably slips: every front end asks before saving them
    (the dialog with a question, CSV import and the CLI by refusing unless confirmed)."""
    return date_warnings({"start": activity.start, "end": activity.end}, today)


def date_warnings(dates: dict[str, date | None], today: date | None = None) -> list[FieldError]:
    """More than a year ahead, or before 1950: one warning per field that is."""
    today = today or date.today()
    warnings: list[FieldError] = []
    for name, value in dates.items():
        if value is None:
            continue
        if is_far_future(value, today):
            warnings.append(FieldError(name, f"{format_date(value)} is more than a year ahead"))
        elif is_implausibly_old(value):
            warnings.append(FieldError(name, f"{format_date(value)} is before 1950"))
    return warnings


def organisation_errors(organisation: Organisation) -> list[FieldError]:
    errors: list[FieldError] = []
    _text(errors, "name", organisation.name, required=True, limit=MAX_TITLE)
    if not organisation.sector_id:
        errors.append(FieldError("sector", "is required"))
    return errors


def contact_errors(contact: Contact) -> list[FieldError]:
    errors: list[FieldError] = []
    _text(errors, "name", contact.name, required=True, limit=MAX_TITLE)
    _text(errors, "notes", contact.notes, required=False, limit=MAX_TEXT)
    for index, role in enumerate(contact.roles, start=1):
        if role.start and role.end and role.end < role.start:
            errors.append(FieldError(f"role {index}", "the end date is before the start date"))
    return errors


def lesson_errors(lesson: Lesson) -> list[FieldError]:
    errors: list[FieldError] = []
    _text(errors, "title", lesson.title, required=True, limit=MAX_TITLE)
    for section, value in lesson.sections.items():
        _text(errors, section.value, value.text, required=False, limit=MAX_TEXT)
    return errors


def goal_errors(goal: Goal) -> list[FieldError]:
    errors: list[FieldError] = []
    _text(errors, "title", goal.title, required=True, limit=MAX_TITLE)
    _text(errors, "notes", goal.notes, required=False, limit=MAX_TEXT)
    if not goal.sector_ids:
        errors.append(FieldError("sectors", "choose at least one sector"))
    return errors


def review_errors(review: Review) -> list[FieldError]:
    errors: list[FieldError] = []
    _text(errors, "reviewer name", review.reviewer_name, required=True, limit=MAX_TITLE)
    _text(errors, "reviewer role", review.reviewer_role, required=False, limit=MAX_TITLE)
    _text(errors, "comments", review.comments, required=False, limit=MAX_TEXT)
    return errors


def require_valid(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)
