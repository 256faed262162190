"""Validation rules shared by services, dialogs and importers, so every front end says the same."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def activity_errors(activity: Activity) -> list[FieldError]:
    errors: list[FieldError] = []
    _text(errors, "title", activity.title, required=True, limit=MAX_TITLE)
    _text(errors, "description", activity.description, required=False, limit=MAX_TEXT)
    if activity.end is not None and activity.end < activity.start:
        errors.append(FieldError("end", "the end date is before the start date"))
    if activity.hours is not None and (not math.isfinite(activity.hours) or activity.hours < 0):
        errors.append(FieldError("hours", "hours must be a number of 0 or more"))
    return errors


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
