"""Activities on a real SQLite file: editing, validation, list rows, delete and undo."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Activity, Contact, Lesson, Organisation
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices, NotFound, ServiceError


def _org_id(services: AppServices, name: str, sector: str) -> int:
    organisation = services.organisations.create(Organisation(name, sector))
    assert organisation.id is not None
    return organisation.id


def _contact_id(services: AppServices, name: str) -> int:
    contact = services.contacts.create(Contact(name))
    assert contact.id is not None
    return contact.id


def _fields(excinfo: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.field for e in excinfo.value.errors}


def test_create_get_update_and_list(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    zoe = _contact_id(services, "Zoë Hart")
    full = Activity(
        type=ActivityType.SECONDMENT,
        title="  Secondment to the police hub ",
        start=date(2025, 9, 1),
        end=date(2026, 2, 28),
        hours=412.5,
        organisation_ids=(police,),
        extra_sector_ids=("justice", "public-health"),
        contact_ids=(zoe,),
        description="Six months in the multi-agency hub.\nLine two: «quotes» & ünïcode.",
        visibility=Visibility.SHARED,
        status=Status.PLANNED,
    )
    created = services.activities.create(full)
    assert created.id is not None
    assert created == replace(full, title="Secondment to the police hub", id=created.id)
    assert services.activities.get(created.id) == created

    minimal = services.activities.create(
        Activity(ActivityType.PEER_EVENT, "Learning day", date(2026, 3, 1))
    )
    assert (minimal.visibility, minimal.status, minimal.hours) == (
        Visibility.PRIVATE,
        Status.DONE,
        None,
    )
    # Newest first.
    assert [a.title for a in services.activities.list_all()] == [
        "Learning day",
        "Secondment to the police hub",
    ]
    assert services.activities.count() == 2

    edited = services.activities.update(
        replace(
            created, title="Police hub", end=None, hours=0.0, organisation_ids=(), contact_ids=()
        )
    )
    assert services.activities.get(created.id) == edited
    assert (edited.title, edited.end, edited.hours, edited.organisation_ids) == (
        "Police hub",
        None,
        0.0,
        (),
    )


def test_update_of_unsaved_or_missing_activity_is_refused(services: AppServices) -> None:
    activity = Activity(ActivityType.OTHER, "Nothing", date(2026, 1, 1))
    with pytest.raises(ServiceError, match="not been saved"):
        services.activities.update(activity)
    with pytest.raises(NotFound, match="no activity with id 5"):
        services.activities.update(replace(activity, id=5))


def test_links_keep_their_order_and_repeats_are_dropped(services: AppServices) -> None:
    a = _org_id(services, "B org", "police")
    b = _org_id(services, "A org", "nhs")
    c1, c2 = _contact_id(services, "Zoë"), _contact_id(services, "Anwar")
    saved = services.activities.create(
        Activity(
            ActivityType.JOINT_PROJECT,
            "Joint work",
            date(2026, 1, 1),
            organisation_ids=(a, b, a),
            extra_sector_ids=("police", "nhs", "police"),
            contact_ids=(c2, c1, c2),
        )
    )
    assert saved.id is not None
    stored = services.activities.get(saved.id)
    assert stored.organisation_ids == (a, b)
    assert stored.extra_sector_ids == ("police", "nhs")
    assert stored.contact_ids == (c2, c1)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"title": ""}, {"title"}),
        ({"title": " \t\n"}, {"title"}),
        ({"title": "x" * 301}, {"title"}),
        ({"end": date(2026, 4, 30)}, {"end"}),
        ({"hours": -0.5}, {"hours"}),
        ({"hours": math.nan}, {"hours"}),
        ({"hours": math.inf}, {"hours"}),
        ({"hours": 100_000.5}, {"hours"}),  # above what the hours parser reads back
        ({"extra_sector_ids": ("police", "not-a-sector")}, {"extra sectors"}),
        ({"organisation_ids": (9999,)}, {"organisations"}),
        ({"contact_ids": (9999,)}, {"contacts"}),
        (
            {"title": "", "end": date(2026, 4, 1), "hours": -1.0, "contact_ids": (9999,)},
            {"title", "end", "hours", "contacts"},
        ),
    ],
)
def test_invalid_activities_are_refused_with_field_names(
    services: AppServices, changes: dict[str, object], fields: set[str]
) -> None:
    valid = Activity(ActivityType.SHADOWING, "Shadowing", date(2026, 5, 1))
    with pytest.raises(InvalidInput) as excinfo:
        services.activities.create(replace(valid, **changes))  # type: ignore[arg-type]
    assert _fields(excinfo) == fields
    assert services.activities.count() == 0


def test_boundary_values_are_accepted(services: AppServices) -> None:
    saved = services.activities.create(
        Activity(
            ActivityType.TRAINING, "x" * 300, date(2026, 5, 1), end=date(2026, 5, 1), hours=0.0
        )
    )
    assert saved.id is not None
    assert services.activities.get(saved.id).last_day == date(2026, 5, 1)
    most = services.activities.create(
        Activity(ActivityType.SECONDMENT, "Secondment", date(2026, 5, 1), hours=100_000.0)
    )
    assert most.id is not None and services.activities.get(most.id).hours == 100_000.0


def test_links_to_records_deleted_meanwhile_are_refused(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    zoe = _contact_id(services, "Zoë")
    draft = Activity(
        ActivityType.SHADOWING,
        "Shadowing",
        date(2026, 5, 1),
        organisation_ids=(police,),
        contact_ids=(zoe,),
    )
    services.organisations.delete(police)
    services.contacts.delete(zoe)
    with pytest.raises(InvalidInput) as excinfo:
        services.activities.create(draft)
    assert {str(e) for e in excinfo.value.errors} == {
        "organisations: an organisation no longer exists",
        "contacts: a contact no longer exists",
    }


def test_rows_carry_names_sectors_contacts_and_lesson_counts(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    trust = _org_id(services, "Ødegård Trust", "acute-trusts")
    zoe = _contact_id(services, "Zoë Hart")
    busy = services.activities.create(
        Activity(
            ActivityType.JOINT_PROJECT,
            "Joint project",
            date(2026, 2, 1),
            organisation_ids=(trust, police),
            extra_sector_ids=("police", "justice"),
            contact_ids=(zoe,),
        )
    )
    quiet = services.activities.create(Activity(ActivityType.OTHER, "Quiet", date(2026, 1, 1)))
    assert busy.id is not None and quiet.id is not None
    for title in ("First lesson", "Second lesson"):
        services.lessons.create(Lesson(title, activity_id=busy.id))
    services.lessons.create(Lesson("Standalone"))

    rows = services.activities.rows()
    assert [r.activity.id for r in rows] == [busy.id, quiet.id]
    assert rows[0].organisation_names == ("Ødegård Trust", "Northshire Police")
    # Sectors: the organisations' first, then extra ones, without repeats.
    assert rows[0].sector_ids == ("acute-trusts", "police", "justice")
    assert rows[0].contact_names == ("Zoë Hart",)
    assert rows[0].lesson_count == 2
    assert (rows[1].organisation_names, rows[1].sector_ids, rows[1].lesson_count) == ((), (), 0)
    assert services.activities.lesson_count(busy.id) == 2


def test_delete_keeps_lessons_and_restore_relinks_them(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    zoe = _contact_id(services, "Zoë")
    activity = services.activities.create(
        Activity(
            ActivityType.ACTION_LEARNING,
            "Action-learning set",
            date(2026, 1, 20),
            end=date(2026, 6, 20),
            hours=12,
            organisation_ids=(police,),
            extra_sector_ids=("voluntary-community",),
            contact_ids=(zoe,),
            description="Monthly set.",
            visibility=Visibility.SHARED,
        )
    )
    assert activity.id is not None
    lesson_a = services.lessons.create(Lesson("Ask first", activity_id=activity.id))
    lesson_b = services.lessons.create(Lesson("Listen more", activity_id=activity.id))
    assert lesson_a.id is not None and lesson_b.id is not None

    deleted = services.activities.delete(activity.id)
    assert set(deleted.lesson_ids) == {lesson_a.id, lesson_b.id}
    with pytest.raises(NotFound):
        services.activities.get(activity.id)
    # The lessons stay, as standalone lessons.
    assert services.lessons.get(lesson_a.id).activity_id is None
    assert services.lessons.get(lesson_b.id).activity_id is None

    restored = services.activities.restore(deleted)
    assert restored == activity
    assert services.activities.get(activity.id) == activity
    assert services.lessons.get(lesson_a.id) == lesson_a
    assert services.lessons.get(lesson_b.id) == lesson_b
    assert services.activities.rows()[0].lesson_count == 2


def test_restore_leaves_alone_what_changed_since(services: AppServices) -> None:
    police = _org_id(services, "Northshire Police", "police")
    trust = _org_id(services, "Northshire Trust", "acute-trusts")
    zoe = _contact_id(services, "Zoë")
    activity = services.activities.create(
        Activity(
            ActivityType.PEER_EVENT,
            "Peer event",
            date(2026, 1, 1),
            organisation_ids=(police, trust),
            contact_ids=(zoe,),
        )
    )
    other = services.activities.create(Activity(ActivityType.OTHER, "Other", date(2025, 1, 1)))
    assert activity.id is not None and other.id is not None
    moved = services.lessons.create(Lesson("Moved on", activity_id=activity.id))
    assert moved.id is not None

    deleted = services.activities.delete(activity.id)
    # Since the delete: the lesson went to another activity; an organisation and contact went.
    services.lessons.update(replace(services.lessons.get(moved.id), activity_id=other.id))
    services.organisations.delete(police)
    services.contacts.delete(zoe)

    restored = services.activities.restore(deleted)
    assert restored.id == activity.id
    assert restored.organisation_ids == (trust,)
    assert restored.contact_ids == ()
    assert services.lessons.get(moved.id).activity_id == other.id


def test_delete_of_missing_activity_is_not_found(services: AppServices) -> None:
    with pytest.raises(NotFound):
        services.activities.delete(3)


@pytest.mark.parametrize("text", ["Siân", "Łukasz", "Zoë", "Ødegård", "Zoe\u0308", "🤝 Joint"])
def test_unicode_text_round_trips_exactly(services: AppServices, text: str) -> None:
    saved = services.activities.create(
        Activity(
            ActivityType.MENTORING_RECEIVED,
            f"Mentored by {text}",
            date(2026, 1, 1),
            description=text,
        )
    )
    assert saved.id is not None
    fetched = services.activities.get(saved.id)
    assert (fetched.title, fetched.description) == (f"Mentored by {text}", text)


def test_ids_are_never_reused_so_undoing_a_delete_after_an_add_works(
    with_profile: AppServices,
) -> None:
    """Delete, add something new, then undo the delete: the two must not collide."""
    services = with_profile
    first = services.activities.create(Activity(ActivityType.TRAINING, "First", date(2026, 1, 5)))
    assert first.id is not None
    snapshot = services.activities.delete(first.id)
    second = services.activities.create(Activity(ActivityType.TRAINING, "Second", date(2026, 1, 6)))
    assert second.id != first.id
    restored = services.activities.restore(snapshot)
    assert restored.id == first.id
    assert {a.title for a in services.activities.list_all()} == {"First", "Second"}
