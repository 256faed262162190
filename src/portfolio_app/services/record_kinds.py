"""Every kind of record the user adds, edits, deletes and undoes, in one table.

The windows and the undo stack read this table instead of having a copy of new/edit/delete per
kind: a new kind costs an entry here, a dialog, and a service (a RecordService subclass)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from portfolio_app.domain.records import Activity, Contact, Goal, Lesson, Organisation, Review
from portfolio_app.services.context import AppServices
from portfolio_app.services.goals import RecordedReview, ReviewRecordings


class RecordStore(Protocol):
    """What the generic undo path calls; every RecordService (and ReviewRecordings) fits."""

    def get(self, record_id: int, /) -> Any: ...
    def create(self, record: Any, /) -> Any: ...
    def update(self, record: Any, /) -> Any: ...
    def delete(self, record_id: int, /) -> Any: ...
    def restore(self, deleted: Any, /) -> Any: ...


def _none(_services: AppServices, _record_id: int) -> str:
    return ""


@dataclass(frozen=True)
class RecordKind:
    key: str  # "activity": also the noun in messages
    store: Callable[[AppServices], RecordStore]
    title: Callable[[Any], str]  # how a record is named in messages
    # What else a delete changes, as a sentence appended to the question (or "").
    consequence: Callable[[AppServices, int], str] = _none
    # Why the record cannot be deleted at all (or ""): asked before the question.
    refusal: Callable[[AppServices, int], str] = _none

    def get(self, services: AppServices, record_id: int) -> Any:
        return self.store(services).get(record_id)

    def delete_question(self, services: AppServices, record_id: int) -> str:
        record = self.get(services, record_id)
        return (
            f"Delete the {self.key} “{self.title(record)}”?"
            f"{self.consequence(services, record_id)}\n\nYou can undo this with Ctrl+Z."
        )


def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _evidence_consequence(files: int) -> str:
    return f" Its {count(files, 'evidence file')} will be deleted with it." if files else ""


def _activity_consequence(services: AppServices, activity_id: int) -> str:
    lessons = services.activities.lesson_count(activity_id)
    files = services.evidence.count_for(activity_id=activity_id)
    stay = f" Its {count(lessons, 'lesson')} will stay, as standalone lessons." if lessons else ""
    return _evidence_consequence(files) + stay


def _lesson_consequence(services: AppServices, lesson_id: int) -> str:
    return _evidence_consequence(services.evidence.count_for(lesson_id=lesson_id))


def _organisation_refusal(services: AppServices, organisation_id: int) -> str:
    if not services.organisations.usage(organisation_id).is_home:
        return ""
    name = services.organisations.get(organisation_id).name
    return f"“{name}” is your home organisation, so it cannot be deleted."


def _organisation_consequence(services: AppServices, organisation_id: int) -> str:
    affected = services.organisations.usage(organisation_id).describe()
    return f" It is linked to {affected}, which will no longer list it." if affected else ""


def _contact_consequence(services: AppServices, contact_id: int) -> str:
    linked = services.contacts.activity_count(contact_id)
    if not linked:
        return ""
    return (
        f" They are linked to {count(linked, 'activity', 'activities')}, "
        "which will no longer list them."
    )


def _review_consequence(services: AppServices, review_id: int) -> str:
    agreed = len(services.reviews.agreed_goals(review_id))
    return f" The {count(agreed, 'goal')} agreed at it will stay." if agreed else ""


def _activity_title(record: Activity) -> str:
    return record.title


def _lesson_title(record: Lesson) -> str:
    return record.title


def _goal_title(record: Goal) -> str:
    return record.title


def _organisation_title(record: Organisation) -> str:
    return record.name


def _contact_title(record: Contact) -> str:
    return record.name


def _review_title(record: Review | RecordedReview) -> str:
    review = record.review if isinstance(record, RecordedReview) else record
    return review.reviewer_name


ACTIVITY = RecordKind("activity", lambda s: s.activities, _activity_title, _activity_consequence)
LESSON = RecordKind("lesson", lambda s: s.lessons, _lesson_title, _lesson_consequence)
ORGANISATION = RecordKind(
    "organisation",
    lambda s: s.organisations,
    _organisation_title,
    _organisation_consequence,
    _organisation_refusal,
)
CONTACT = RecordKind("contact", lambda s: s.contacts, _contact_title, _contact_consequence)
GOAL = RecordKind("goal", lambda s: s.goals, _goal_title)
REVIEW = RecordKind("review", lambda s: s.reviews, _review_title, _review_consequence)
# Recording a review creates the goals agreed at it; undoing the recording removes them too.
REVIEW_RECORDING = RecordKind(
    "review", lambda s: ReviewRecordings(s.reviews, s.goals), _review_title
)

KINDS: dict[str, RecordKind] = {
    kind.key: kind for kind in (ACTIVITY, LESSON, ORGANISATION, CONTACT, GOAL, REVIEW)
}
