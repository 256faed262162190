"""The SQL pass before the per-cell checks (storage/row_prefilter.py) never hides damage: with
it, `damaged_rows` finds exactly what the full checks on every row find (issue 12).

Every kind of bad value another tool could write (raw SQL past the CHECK constraints on the
real encrypted file), and odd values that are valid after all, each on its own entry."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, ContactRole, Lesson, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.outside_changes import Change, OutsideChanges
from portfolio_app.storage.row_checks import (
    KINDS,
    all_damaged_rows,
    damaged_rows,
    damaged_rows_in_full,
)
from test_damaged_rows import _fill, _write_raw

# SQL with {id}: one activity each (valid-after-all values included: the full checks clear them).
ACTIVITY_DAMAGE = [
    "UPDATE activities SET start_date = '2026-13-45' WHERE id = {id}",
    "UPDATE activities SET start_date = '2026-02-30' WHERE id = {id}",
    "UPDATE activities SET start_date = ' 2026-01-01' WHERE id = {id}",
    "UPDATE activities SET start_date = '0000-01-01' WHERE id = {id}",
    "UPDATE activities SET start_date = '20260315' WHERE id = {id}",  # valid to Python
    "UPDATE activities SET start_date = 20260315 WHERE id = {id}",
    "UPDATE activities SET end_date = '2026-03-15T00:00' WHERE id = {id}",
    "UPDATE activities SET end_date = '2001-01-01' WHERE id = {id}",
    "UPDATE activities SET type = 'zzz' WHERE id = {id}",
    "UPDATE activities SET visibility = 'Shared' WHERE id = {id}",
    "UPDATE activities SET hours = -0.5 WHERE id = {id}",
    "UPDATE activities SET hours = 9e999 WHERE id = {id}",
    "UPDATE activities SET hours = -9e999 WHERE id = {id}",
    "UPDATE activities SET hours = 'NaN' WHERE id = {id}",
    "UPDATE activities SET hours = 3 WHERE id = {id}",  # an integer: a fine number
    "UPDATE activities SET title = CAST(x'ff41fe' AS TEXT) WHERE id = {id}",
    "UPDATE activities SET description = CAST(x'c3' AS TEXT) WHERE id = {id}",
    "UPDATE activities SET description = CAST(x'e282' AS TEXT) || 'ok' WHERE id = {id}",
    "UPDATE activities SET title = x'41' WHERE id = {id}",
    "UPDATE activities SET title = 42 WHERE id = {id}",
    "UPDATE activities SET created_at = 'yesterday' WHERE id = {id}",
    "UPDATE activities SET created_at = '2026-12-03 10:00:61' WHERE id = {id}",
    "UPDATE activities SET created_at = '2026-12-03T10:00:00' WHERE id = {id}",  # valid
    "UPDATE activities SET updated_at = '2026-12-03 10:00:00.123456' WHERE id = {id}",
    "UPDATE activities SET updated_at = '2026-12-03 10:00:00.12' WHERE id = {id}",
    "UPDATE activity_organisations SET position = 'first' WHERE activity_id = {id}",
    "UPDATE activity_organisations SET organisation_id = 'x' WHERE activity_id = {id}",
    "INSERT INTO activity_sectors (activity_id, sector_id, position) VALUES ({id}, 'nope', 0)",
    "INSERT INTO activity_sectors (activity_id, sector_id, position) VALUES ({id}, 'nhs', 2.5)",
]

OTHER_DAMAGE = [
    "UPDATE organisations SET aliases = '[1]' WHERE id = {organisation}",
    "UPDATE contacts SET notes = x'00ff' WHERE id = {contact}",
    "UPDATE contact_roles SET end_date = '2020-01-01' WHERE contact_id = {contact2}",
    "UPDATE lessons SET what_worked_shared = 2 WHERE id = {lesson}",
    "UPDATE lessons SET next_step = CAST(x'f0908d' AS TEXT) WHERE id = {lesson2}",
    "UPDATE goals SET sector_ids = '{{}}' WHERE id = {goal}",
    "UPDATE reviews SET held_on = '' WHERE id = {review}",
    "UPDATE evidence SET lesson_id = {lesson} WHERE id = {evidence}",
]


@pytest.fixture
def damaged(paths: AppPaths, data_key: bytes) -> AppPaths:
    services = open_services(paths)
    try:
        ids = _fill(services)
        organisation = services.organisations.create(Organisation("Siân's Trust", "nhs"))
        org_id = organisation.id or 0
        targets = [
            services.activities.create(
                Activity(
                    ActivityType.SHADOWING,
                    f"Zoë visit {n}",
                    date(2025, 5, 1 + n % 28),
                    hours=2.0,
                    description="Łukasz showed me the rota – ✓",
                    organisation_ids=(org_id,),
                )
            ).id
            for n in range(len(ACTIVITY_DAMAGE))
        ]
        contact2 = services.contacts.create(
            Contact("Łukasz Nowak", roles=(ContactRole(org_id, "Lead", date(2024, 1, 1)),))
        )
        lesson2 = services.lessons.create(Lesson("Second lesson", None, date(2025, 6, 1)))
    finally:
        services.close()
    statements = [
        sql.format(id=target) for sql, target in zip(ACTIVITY_DAMAGE, targets, strict=True)
    ]
    names = {**ids.bad, "contact2": contact2.id, "lesson2": lesson2.id}
    statements += [sql.format(**names) for sql in OTHER_DAMAGE]
    _write_raw(paths, data_key, *statements)
    return paths


def test_the_fast_path_finds_exactly_what_the_full_checks_find(damaged: AppPaths) -> None:
    services = open_services(damaged)
    try:
        found = 0
        with services.db.transaction() as session:
            for kind in KINDS:
                for known in (None, services.check.known_sector):
                    fast = damaged_rows(session, kind, known_sector=known)
                    full = damaged_rows_in_full(session, kind, known_sector=known)
                    assert fast == full, kind
                    found += len(full)
        assert found > len(ACTIVITY_DAMAGE)  # the damage is there to be found
    finally:
        services.close()


def test_what_the_app_writes_is_never_a_suspect(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        _fill(services)
        organisation = services.organisations.create(
            Organisation("Zoë's Café Ltd", "nhs", aliases=("Siân's", "Łódź"))
        )
        services.activities.create(
            Activity(
                ActivityType.SECONDMENT,
                "Ünïcödé " * 30,
                date(2024, 2, 29),
                date(2025, 2, 28),
                hours=1234.25,
                description="x" * 50_000 + " 🌍",
                organisation_ids=(organisation.id or 0,),
            )
        )
        with services.db.transaction() as session:
            for kind in KINDS:
                assert damaged_rows(session, kind, known_sector=services.check.known_sector) == []
    finally:
        services.close()


def test_damage_written_while_open_is_found_once_the_change_is_seen(
    paths: AppPaths, data_key: bytes
) -> None:
    """The lists remember what the checks found; another program's commit (seen by the
    outside-change watch) makes them look again. Whole-data exports always check afresh."""
    services = open_services(paths)
    watch = OutsideChanges(services.db, data_key)
    try:
        ids = _fill(services)
        assert services.activities.listing().damaged == []
        watch.seen()
        _write_raw(
            paths, data_key, f"UPDATE activities SET hours = -2 WHERE id = {ids.bad['activity']}"
        )
        with services.db.transaction() as session:
            assert [d.id for d in all_damaged_rows(session)] == [ids.bad["activity"]]
        assert watch.check() is Change.OUTSIDE
        assert [d.id for d in services.activities.listing().damaged] == [ids.bad["activity"]]
        assert [d.id for d in services.check.damaged_entries()] == [ids.bad["activity"]]
    finally:
        watch.close()
        services.close()
