"""Every record kind goes through one path: add, edit, delete, then undo and redo each step.

Driven through the main window's generic methods and its undo stack; after every undo the whole
database reads back exactly as it was before that step (links included)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    Organisation,
    Review,
)
from portfolio_app.services import AppServices
from portfolio_app.services.base import RecordService
from portfolio_app.services.goals import RecordedReview
from portfolio_app.services.record_kinds import KINDS, REVIEW_RECORDING
from portfolio_app.ui.undo_commands import AddCommand, EditCommand

from .conftest import FakePrompts, MakeWindowType


def _state(services: AppServices) -> tuple[Any, ...]:
    """Everything the services read back, links included."""
    return (
        services.activities.list_all(),
        services.lessons.list_all(),
        services.organisations.list_all(),
        services.contacts.list_all(),
        services.goals.list_all(),
        services.reviews.list_all(),
        services.profile.get(),
    )


def _world(services: AppServices) -> dict[str, int]:
    """Records that link to each other, so deletes unlink and undo must relink."""
    org = services.organisations.create(Organisation("Kinds Police", "police"))
    assert org.id is not None
    person = services.contacts.create(
        Contact("Kinds Person", "", (ContactRole(org.id, "Sergeant"),))
    )
    assert person.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Kinds visit",
            date(2026, 2, 2),
            organisation_ids=(org.id,),
            contact_ids=(person.id,),
        )
    )
    assert activity.id is not None
    services.lessons.create(Lesson("Linked lesson", activity.id))
    review = services.reviews.create(Review(date(2026, 4, 1), "Kinds Reviewer"))
    assert review.id is not None
    services.goals.create(Goal("Agreed goal", ("police",), review_id=review.id))
    return {"org": org.id, "person": person.id, "activity": activity.id, "review": review.id}


def _new_record(key: str, ids: dict[str, int]) -> tuple[Any, Any]:
    """A new record of kind `key` linked into the world, and how to change it for an edit."""
    records: dict[str, tuple[Any, Any]] = {
        "activity": (
            Activity(
                ActivityType.TRAINING,
                "New activity",
                date(2026, 3, 3),
                organisation_ids=(ids["org"],),
                contact_ids=(ids["person"],),
            ),
            {"title": "Edited activity"},
        ),
        "lesson": (Lesson("New lesson", ids["activity"]), {"title": "Edited lesson"}),
        "organisation": (Organisation("New Fire", "fire-rescue"), {"name": "Edited Fire"}),
        "contact": (
            Contact("New Person", "notes", (ContactRole(ids["org"], "PCSO"),)),
            {"notes": "edited notes"},
        ),
        "goal": (Goal("New goal", ("education",)), {"title": "Edited goal"}),
        "review": (Review(date(2026, 5, 5), "New Reviewer"), {"reviewer_name": "Edited"}),
    }
    return records[key]


def test_every_record_service_has_a_kind(services: AppServices) -> None:
    """A new kind of record needs an entry in the table, or it has no undoable path."""
    record_services = {
        name: value for name, value in vars(services).items() if isinstance(value, RecordService)
    }
    assert {service.what for service in record_services.values()} == set(KINDS)
    for key, kind in KINDS.items():
        store = kind.store(services)
        assert any(store is service for service in record_services.values())
        assert isinstance(store, RecordService) and store.what == key


@pytest.mark.parametrize("key", sorted(KINDS))
def test_add_edit_delete_undo_redo_for_every_kind(
    key: str, with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    services = with_profile
    ids = _world(services)
    window = make_window(services)
    kind = KINDS[key]
    record, changes = _new_record(key, ids)
    states = [_state(services)]

    window.add_record(key, record)
    added = window.undo_stack.command(0)
    assert isinstance(added, AddCommand)
    saved = added.saved
    assert saved.id is not None
    states.append(_state(services))
    assert states[1] != states[0]

    old = kind.get(services, saved.id)
    window.undo_stack.push(
        EditCommand(
            f"Edit {key}",
            kind.store(services),
            old,
            replace(old, **changes),
            **window._callbacks(key),
        )
    )
    edited = kind.get(services, saved.id)
    assert all(getattr(edited, field) == value for field, value in changes.items())
    states.append(_state(services))

    window.delete_record(key, saved.id)
    assert prompts.confirmations[-1].startswith(f"Delete the {key} “")
    assert prompts.errors == []
    states.append(_state(services))
    assert states[3] != states[2]

    for expected in reversed(states[:-1]):
        window.undo_stack.undo()
        assert _state(services) == expected
    for expected in states[1:]:
        window.undo_stack.redo()
        assert _state(services) == expected
    assert prompts.errors == []


@pytest.mark.parametrize(
    ("key", "world_key"),
    [
        ("organisation", "org"),
        ("contact", "person"),
        ("activity", "activity"),
        ("review", "review"),
    ],
)
def test_deleting_a_linked_record_and_undoing_restores_every_link(
    key: str,
    world_key: str,
    with_profile: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
) -> None:
    services = with_profile
    ids = _world(services)
    window = make_window(services)
    before = _state(services)
    window.delete_record(key, ids[world_key])
    assert prompts.errors == []
    assert _state(services) != before
    window.undo_stack.undo()
    assert _state(services) == before
    window.undo_stack.redo()
    window.undo_stack.undo()
    assert _state(services) == before


def test_the_home_organisation_is_refused_before_any_question(
    with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    profile = with_profile.profile.require()
    window.delete_record("organisation", profile.home_organisation_id)
    assert prompts.confirmations == []
    assert prompts.errors == [
        "“Northshire Council” is your home organisation, so it cannot be deleted."
    ]
    assert window.undo_stack.count() == 0


def test_recording_a_review_undoes_its_goals_and_redo_brings_back_the_same_ids(
    with_profile: AppServices, make_window: MakeWindowType
) -> None:
    services = with_profile
    window = make_window(services)
    before = _state(services)
    recording = RecordedReview(
        Review(date(2026, 6, 1), "Zoë Reviewer"),
        (Goal("Reach police", ("police",)), Goal("Reach education", ("education",))),
    )
    window.undo_stack.push(
        AddCommand(
            "Record review",
            REVIEW_RECORDING.store(services),
            recording,
            **window._callbacks("review"),
        )
    )
    after = _state(services)
    goal_ids = [g.id for g in services.goals.list_all()]
    assert len(goal_ids) == 2
    window.undo_stack.undo()
    assert _state(services) == before  # the review and the goals it created are gone
    window.undo_stack.redo()
    assert _state(services) == after
    assert [g.id for g in services.goals.list_all()] == goal_ids


def test_a_taken_name_is_refused_with_its_reason_and_leaves_nothing_to_undo(
    with_profile: AppServices, make_window: MakeWindowType, prompts: FakePrompts
) -> None:
    window = make_window(with_profile)
    window.add_record("contact", Contact("Sam Lee"))
    window.add_record("contact", Contact("  sam LEE"))
    assert prompts.errors == [
        "name: you already have a contact called “Sam Lee”: add something that tells them "
        "apart, such as their organisation"
    ]
    assert [c.name for c in with_profile.contacts.list_all()] == ["Sam Lee"]
    assert window.undo_stack.count() == 1  # the refused add is not an undo step
