"""Lessons on a real SQLite file: private-by-default sections, validation, delete and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import Activity, Lesson, LessonField
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices, NotFound, ServiceError


def _activity_id(services: AppServices, title: str = "Shadowing") -> int:
    activity = services.activities.create(Activity(ActivityType.SHADOWING, title, date(2026, 1, 1)))
    assert activity.id is not None
    return activity.id


MIXED = {
    LessonSection.WHAT_HAPPENED: LessonField("Joint visit with the police.", shared=True),
    LessonSection.WHAT_WORKED: LessonField("Agreeing roles beforehand.", shared=False),
    LessonSection.WHAT_DID_NOT_WORK: LessonField("I spoke over Zoë — sorry.", shared=False),
    LessonSection.DO_DIFFERENTLY: LessonField("Ask the family first.", shared=True),
    LessonSection.NEXT_STEP: LessonField("", shared=True),
}


def test_every_section_is_private_by_default(services: AppServices) -> None:
    draft = Lesson("Quiet lesson")
    assert all(not f.shared for f in draft.sections.values())
    assert set(draft.sections) == set(LessonSection)

    saved = services.lessons.create(
        Lesson(
            "Written but not shared",
            sections={s: LessonField(f"text for {s.value}") for s in LessonSection},
        )
    )
    assert saved.id is not None
    stored = services.lessons.get(saved.id)
    assert all(not stored.section(s).shared for s in LessonSection)
    assert stored.shared_sections() == {}


def test_mixed_visibility_round_trips_section_by_section(services: AppServices) -> None:
    activity_id = _activity_id(services)
    saved = services.lessons.create(
        Lesson("Mixed", activity_id=activity_id, recorded_on=date(2026, 1, 2), sections=MIXED)
    )
    assert saved.id is not None
    stored = services.lessons.get(saved.id)
    assert stored.sections == MIXED
    assert stored == saved
    # Shared but empty sections are not shown anywhere.
    assert stored.shared_sections() == {
        LessonSection.WHAT_HAPPENED: "Joint visit with the police.",
        LessonSection.DO_DIFFERENTLY: "Ask the family first.",
    }

    flipped = {s: LessonField(f.text, not f.shared) for s, f in MIXED.items()}
    services.lessons.update(replace(stored, sections=flipped))
    assert services.lessons.get(saved.id).sections == flipped


def test_missing_sections_are_stored_empty_and_private(services: AppServices) -> None:
    saved = services.lessons.create(
        Lesson("One section", sections={LessonSection.NEXT_STEP: LessonField("Call Łukasz", True)})
    )
    assert saved.id is not None
    stored = services.lessons.get(saved.id)
    assert stored.sections[LessonSection.NEXT_STEP] == LessonField("Call Łukasz", True)
    assert all(
        stored.sections[s] == LessonField()
        for s in LessonSection
        if s is not LessonSection.NEXT_STEP
    )


def test_list_filters_by_activity_and_orders_newest_first(services: AppServices) -> None:
    first, second = _activity_id(services, "First"), _activity_id(services, "Second")
    services.lessons.create(Lesson("Old", activity_id=first, recorded_on=date(2025, 1, 1)))
    services.lessons.create(Lesson("New", activity_id=first, recorded_on=date(2026, 1, 1)))
    services.lessons.create(Lesson("Elsewhere", activity_id=second, recorded_on=date(2026, 6, 1)))
    services.lessons.create(Lesson("Standalone", recorded_on=date(2024, 1, 1)))

    assert [lesson.title for lesson in services.lessons.list_all(first)] == ["New", "Old"]
    assert [lesson.title for lesson in services.lessons.list_all()] == [
        "Elsewhere",
        "New",
        "Old",
        "Standalone",
    ]


@pytest.mark.parametrize(
    ("lesson", "fields"),
    [
        (Lesson("  "), {"title"}),
        (Lesson("Gone", activity_id=404), {"activity"}),
        (
            Lesson("Long", sections={LessonSection.WHAT_WORKED: LessonField("x" * 200_001)}),
            {"what_worked"},
        ),
        (Lesson("", activity_id=404), {"title", "activity"}),
    ],
)
def test_invalid_lessons_are_refused_with_field_names(
    services: AppServices, lesson: Lesson, fields: set[str]
) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        services.lessons.create(lesson)
    assert {e.field for e in excinfo.value.errors} == fields
    assert services.lessons.list_all() == []


def test_update_of_unsaved_or_missing_lesson_is_refused(services: AppServices) -> None:
    with pytest.raises(ServiceError, match="not been saved"):
        services.lessons.update(Lesson("Unsaved"))
    with pytest.raises(NotFound, match="no lesson with id 12"):
        services.lessons.update(Lesson("Missing", id=12))


def test_delete_then_restore_gives_back_the_same_lesson(services: AppServices) -> None:
    activity_id = _activity_id(services)
    saved = services.lessons.create(
        Lesson("To undo", activity_id=activity_id, recorded_on=date(2026, 2, 2), sections=MIXED)
    )
    assert saved.id is not None
    snapshot = services.lessons.delete(saved.id)
    with pytest.raises(NotFound):
        services.lessons.get(saved.id)
    assert services.activities.lesson_count(activity_id) == 0

    assert services.lessons.restore(snapshot) == saved
    assert services.lessons.get(saved.id) == saved
    assert services.activities.lesson_count(activity_id) == 1


def test_restore_after_its_activity_went_gives_a_standalone_lesson(services: AppServices) -> None:
    activity_id = _activity_id(services)
    saved = services.lessons.create(Lesson("Orphan", activity_id=activity_id))
    assert saved.id is not None
    snapshot = services.lessons.delete(saved.id)
    services.activities.delete(activity_id)

    restored = services.lessons.restore(snapshot)
    assert (restored.id, restored.activity_id) == (saved.id, None)


@pytest.mark.parametrize("text", ["Siân", "Łukasz", "Zoë", "Ødegård", "Zoe\u0308"])
def test_unicode_text_round_trips_exactly(services: AppServices, text: str) -> None:
    sections = {s: LessonField(f"{text} / {s.value}", shared=True) for s in LessonSection}
    saved = services.lessons.create(Lesson(text, sections=sections))
    assert saved.id is not None
    fetched = services.lessons.get(saved.id)
    assert fetched.title == text
    assert fetched.sections == sections
