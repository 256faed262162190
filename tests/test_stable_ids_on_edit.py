"""An entry keeps its stable id (`uid`, revision 0007) when it is edited and when its delete is
undone: an edited contact keeps its roles' uids, an undone delete brings back the same uids, so
merging an older export never sees them as new entries."""

from __future__ import annotations

import json
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from json_support import counts
from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.storage.cipher import raw_connection


def _rows(paths: AppPaths, key: bytes, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read the file as it is on disk, past the ORM."""
    with closing(raw_connection(paths.database, key)) as db:
        return [tuple(row) for row in db.execute(sql, args).fetchall()]


def _role_uids(paths: AppPaths, key: bytes, contact_id: int) -> list[tuple[object, ...]]:
    """(job title, uid) of each role of the contact, in order."""
    return _rows(
        paths,
        key,
        "SELECT job_title, uid FROM contact_roles WHERE contact_id = ? ORDER BY position",
        contact_id,
    )


def _uid(paths: AppPaths, key: bytes, table: str, row_id: int | None) -> str:
    rows = _rows(paths, key, f"SELECT uid FROM {table} WHERE id = ?", row_id)
    assert len(rows) == 1, (table, row_id, rows)
    uid = rows[0][0]
    assert isinstance(uid, str) and len(uid) == 36
    return uid


@pytest.fixture
def orgs(services: AppServices) -> tuple[int, int]:
    trust = services.organisations.create(Organisation("Łukasz’s NHS Trust", "acute-trusts"))
    police = services.organisations.create(Organisation("Zoë Police", "police"))
    assert trust.id and police.id
    return trust.id, police.id


def _contact(services: AppServices, orgs: tuple[int, int]) -> Contact:
    trust, police = orgs
    return services.contacts.create(
        Contact(
            "Siân Evans",
            roles=(
                ContactRole(trust, "Ward manager", date(2020, 1, 1), date(2022, 12, 31)),
                ContactRole(police, "Inspector"),
            ),
        )
    )


def test_an_edited_contact_keeps_its_roles_uids_and_a_new_role_gets_a_fresh_one(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int]
) -> None:
    contact = _contact(services, orgs)
    assert contact.id
    contact_uid = _uid(paths, data_key, "contacts", contact.id)
    before = _role_uids(paths, data_key, contact.id)
    assert [title for title, _ in before] == ["Ward manager", "Inspector"]
    ward, inspector = (uid for _, uid in before)

    edited = replace(
        contact,
        name="Siân Evans-Nowak",
        roles=(
            contact.roles[0],
            replace(contact.roles[1], job_title="Chief inspector"),
            ContactRole(orgs[0], "Matron", date(2023, 1, 1)),
        ),
    )
    services.contacts.update(edited)

    after = _role_uids(paths, data_key, contact.id)
    assert after[:2] == [("Ward manager", ward), ("Chief inspector", inspector)]
    title, fresh = after[2]
    assert title == "Matron" and fresh not in (ward, inspector)
    assert _uid(paths, data_key, "contacts", contact.id) == contact_uid
    assert services.contacts.get(contact.id) == edited


def test_removing_a_role_deletes_only_that_one(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int]
) -> None:
    contact = _contact(services, orgs)
    assert contact.id
    _, inspector = _role_uids(paths, data_key, contact.id)
    services.contacts.update(replace(contact, roles=contact.roles[1:]))
    assert _role_uids(paths, data_key, contact.id) == [inspector]
    assert len(_rows(paths, data_key, "SELECT id FROM contact_roles")) == 1


def test_saving_a_contact_unchanged_keeps_every_uid(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int]
) -> None:
    contact = _contact(services, orgs)
    assert contact.id
    before = _rows(paths, data_key, "SELECT id, uid, position FROM contact_roles ORDER BY id")
    services.contacts.update(contact)
    services.contacts.update(replace(contact, notes="Zoë’s colleague"))
    assert _rows(paths, data_key, "SELECT id, uid, position FROM contact_roles ORDER BY id") == (
        before
    )


def test_undoing_a_contacts_delete_brings_back_its_uid_and_its_roles_uids(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int]
) -> None:
    contact = _contact(services, orgs)
    assert contact.id
    uid = _uid(paths, data_key, "contacts", contact.id)
    roles = _role_uids(paths, data_key, contact.id)
    snapshot = services.contacts.delete(contact.id)
    assert _rows(paths, data_key, "SELECT id FROM contacts") == []
    restored = services.contacts.restore(snapshot)
    assert restored == contact
    assert _uid(paths, data_key, "contacts", contact.id) == uid
    assert _role_uids(paths, data_key, contact.id) == roles


def test_undoing_an_organisations_delete_brings_back_its_uid_and_its_roles_uids(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int]
) -> None:
    contact = _contact(services, orgs)
    trust = orgs[0]
    assert contact.id
    uid = _uid(paths, data_key, "organisations", trust)
    roles = _role_uids(paths, data_key, contact.id)
    snapshot = services.organisations.delete(trust)
    assert [title for title, _ in _role_uids(paths, data_key, contact.id)] == ["Inspector"]
    services.organisations.restore(snapshot)
    assert _uid(paths, data_key, "organisations", trust) == uid
    assert _role_uids(paths, data_key, contact.id) == roles
    assert services.contacts.get(contact.id) == contact


def test_undoing_an_activitys_delete_brings_back_its_uid_and_its_evidence_uids(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int]
) -> None:
    activity = services.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Shadowing Łukasz",
            date(2025, 2, 3),
            organisation_ids=(orgs[0],),
        )
    )
    assert activity.id
    evidence = services.evidence.add("Zoë.txt", b"notes", activity_id=activity.id)
    uid = _uid(paths, data_key, "activities", activity.id)
    evidence_uid = _uid(paths, data_key, "evidence", evidence.id)
    restored = services.activities.restore(services.activities.delete(activity.id))
    assert restored.id == activity.id
    assert _uid(paths, data_key, "activities", activity.id) == uid
    assert _uid(paths, data_key, "evidence", evidence.id) == evidence_uid


def test_undoing_a_lessons_delete_brings_back_its_uid(
    services: AppServices, paths: AppPaths, data_key: bytes
) -> None:
    lesson = services.lessons.create(
        Lesson(
            "What Siân learnt",
            recorded_on=date(2025, 3, 4),
            sections={LessonSection.WHAT_HAPPENED: LessonField("Zoë explained", shared=True)},
        )
    )
    assert lesson.id
    uid = _uid(paths, data_key, "lessons", lesson.id)
    assert services.lessons.restore(services.lessons.delete(lesson.id)) == lesson
    assert _uid(paths, data_key, "lessons", lesson.id) == uid


def test_undoing_a_goals_delete_brings_back_its_uid(
    services: AppServices, paths: AppPaths, data_key: bytes
) -> None:
    goal = services.goals.create(Goal("Reach Łukasz’s sector", ("police",), date(2026, 1, 1)))
    assert goal.id
    uid = _uid(paths, data_key, "goals", goal.id)
    assert services.goals.restore(services.goals.delete(goal.id)) == goal
    assert _uid(paths, data_key, "goals", goal.id) == uid


def test_an_undone_delete_whose_uid_was_taken_since_gets_a_fresh_one(
    services: AppServices, paths: AppPaths, data_key: bytes
) -> None:
    """An import may bring the same entry back in between: undo then must not fail on the
    unique uid (nor make two entries with one uid)."""
    goal = services.goals.create(Goal("Reach Łukasz’s sector", ("police",), date(2026, 1, 1)))
    assert goal.id
    uid = _uid(paths, data_key, "goals", goal.id)
    snapshot = services.goals.delete(goal.id)
    other = services.goals.create(Goal("Zoë’s goal", ("police",), date(2026, 2, 1)))
    with closing(raw_connection(paths.database, data_key)) as db:
        db.execute("UPDATE goals SET uid = ? WHERE id = ?", (uid, other.id))
        db.commit()
    services.goals.restore(snapshot)
    restored_uid = _uid(paths, data_key, "goals", goal.id)
    assert restored_uid != uid and _uid(paths, data_key, "goals", other.id) == uid


def test_merging_an_older_export_after_editing_a_contact_adds_nothing(
    services: AppServices, paths: AppPaths, data_key: bytes, orgs: tuple[int, int], tmp_path: Path
) -> None:
    contact = _contact(services, orgs)
    assert contact.id
    old = tmp_path / "older.json"
    services.json_export.export(old)
    uid = _uid(paths, data_key, "contacts", contact.id)
    services.contacts.update(
        replace(
            contact,
            name="Siân Evans-Nowak",
            roles=(contact.roles[0], replace(contact.roles[1], job_title="Chief inspector")),
        )
    )
    before = counts(services)
    roles_before = _rows(paths, data_key, "SELECT id, uid, job_title FROM contact_roles")

    result = services.json_import.import_file(old, merge=True)

    assert result.total_added == 0
    assert result.differing == (f"contact “Siân Evans-Nowak” ({uid})",)
    assert counts(services) == before
    assert _rows(paths, data_key, "SELECT id, uid, job_title FROM contact_roles") == roles_before
    # A newer export names the roles by the same uids as the older one.
    older = json.loads(old.read_text(encoding="utf-8"))
    newer = services.json_export.document()
    assert [[r["uid"] for r in c["roles"]] for c in newer["contacts"]] == [
        [r["uid"] for r in c["roles"]] for c in older["contacts"]
    ]
