"""A row with an invalid stored value shows as damaged, is listed by `check`, and never takes a
list, a score, an export or a command down (issue 11).

The bad values are written as another tool (or a damaged page) would: raw SQL on the real
encrypted file, past the schema's CHECK and NOT NULL constraints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cli_support import run
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
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.base import DamagedEntry
from portfolio_app.storage.cipher import raw_connection


@dataclass(frozen=True)
class Ids:
    good: dict[str, int]
    bad: dict[str, int]


def _fill(services: AppServices) -> Ids:
    """Two entries of every kind: one stays good, the other is damaged by each test."""
    services.profile.set_up(
        name="Siân Jones",
        role="Senior social worker",
        organisation="Northshire Council",
        sector="adult-social-care",
    )
    orgs = [
        services.organisations.create(Organisation(name, sector))
        for name, sector in (("Łukasz Trust", "nhs"), ("Zoë Police", "police"))
    ]
    acts = [
        services.activities.create(
            Activity(
                ActivityType.SECONDMENT,
                title,
                date(2025, 3, day),
                hours=7.5,
                organisation_ids=(orgs[i].id or 0,),
            )
        )
        for i, (title, day) in enumerate((("Siân's secondment", 3), ("Bad activity", 4)))
    ]
    contacts = [
        services.contacts.create(
            Contact(name, roles=(ContactRole(orgs[i].id or 0, "Inspector", date(2024, 1, 1)),))
        )
        for i, name in enumerate(("Zoë Adams", "Bad Contact"))
    ]
    lessons = [
        services.lessons.create(Lesson(title, acts[0].id, date(2025, 3, 5)))
        for title in ("Łukasz's lesson", "Bad lesson")
    ]
    goals = [
        services.goals.create(Goal(title, ("police",), date(2027, 3, 31)))
        for title in ("Reach the police", "Bad goal")
    ]
    reviews = [
        services.reviews.create(Review(date(2025, 4, day), name))
        for name, day in (("Zoë Reviewer", 1), ("Bad Reviewer", 2))
    ]
    evidence = [
        services.evidence.add(name, b"%PDF-1.4 notes", activity_id=acts[0].id)
        for name in ("good.pdf", "bad.pdf")
    ]
    pairs: dict[str, list[Any]] = {
        "activity": acts,
        "organisation": orgs,
        "contact": contacts,
        "lesson": lessons,
        "goal": goals,
        "review": reviews,
        "evidence": evidence,
    }
    return Ids(
        {k: v[0].id or 0 for k, v in pairs.items()}, {k: v[1].id or 0 for k, v in pairs.items()}
    )


def _write_raw(paths: AppPaths, key: bytes, *statements: str) -> None:
    """Run SQL on the file past its CHECK constraints, as another program could."""
    connection = raw_connection(paths.database, key)
    try:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def _set_null(paths: AppPaths, key: bytes, table: str, column: str, row_id: int) -> None:
    """A NULL in a NOT NULL column: the constraint is lifted from the schema, the value
    written, and the constraint put back (SQLite's documented writable_schema)."""
    declared = f"{column} VARCHAR(300) NOT NULL"
    for before, after, then in (
        (
            declared,
            f"{column} VARCHAR(300)",
            f"UPDATE {table} SET {column} = NULL WHERE id = {row_id}",
        ),
        (f"{column} VARCHAR(300),", f"{declared},", ""),
    ):
        _write_raw(
            paths,
            key,
            "PRAGMA writable_schema = ON",
            f"UPDATE sqlite_master SET sql = replace(sql, '{before}', '{after}') "
            f"WHERE name = '{table}'",
        )
        if then:
            _write_raw(paths, key, then)


# (kind, SQL with {id} for the bad entry, the message expected after "<kind> <id> is damaged: ")
CASES = [
    (
        "activity",
        "UPDATE activities SET start_date = '2026-13-45' WHERE id = {id}",
        "start is not a date ('2026-13-45')",
    ),
    ("activity", "UPDATE activities SET type = 'zzz' WHERE id = {id}", "type is unknown ('zzz')"),
    (
        "activity",
        "UPDATE activities SET status = 'finished' WHERE id = {id}",
        "status is unknown ('finished')",
    ),
    (
        "activity",
        "UPDATE activities SET end_date = '2025-01-01' WHERE id = {id}",
        "end is before the start (2025-01-01 is before 2025-03-04)",
    ),
    ("activity", "UPDATE activities SET hours = -3 WHERE id = {id}", "hours is negative (-3)"),
    (
        "activity",
        "UPDATE activities SET hours = 'lots' WHERE id = {id}",
        "hours is not a number ('lots')",
    ),
    (
        "activity",
        "UPDATE activities SET title = CAST(x'ff41fe' AS TEXT) WHERE id = {id}",
        "title is not valid UTF-8 text ('\\\\xffA\\\\xfe')",
    ),
    (
        "activity",
        "UPDATE activities SET created_at = 'yesterday' WHERE id = {id}",
        "created at is not a date and time ('yesterday')",
    ),
    (
        "organisation",
        "UPDATE organisations SET aliases = 'null' WHERE id = {id}",
        "also known as is not a list of text ('null')",
    ),
    (
        "organisation",
        "UPDATE organisations SET aliases = '[\"unclosed' WHERE id = {id}",
        "also known as is not valid JSON ('[\"unclosed')",
    ),
    (
        "contact",
        "UPDATE contact_roles SET start_date = 'soon' WHERE contact_id = {id}",
        "role start is not a date ('soon')",
    ),
    (
        "contact",
        "UPDATE contact_roles SET end_date = '2020-01-01' WHERE contact_id = {id}",
        "role end is before the start (2020-01-01 is before 2024-01-01)",
    ),
    (
        "lesson",
        "UPDATE lessons SET recorded_on = '31/02/2025' WHERE id = {id}",
        "recorded on is not a date ('31/02/2025')",
    ),
    (
        "lesson",
        "UPDATE lessons SET what_worked_shared = 'yes' WHERE id = {id}",
        "what worked shared is not yes or no ('yes')",
    ),
    (
        "goal",
        "UPDATE goals SET visibility = 'public' WHERE id = {id}",
        "visibility is unknown ('public')",
    ),
    ("review", "UPDATE reviews SET held_on = '' WHERE id = {id}", "date is not a date ('')"),
    ("evidence", "UPDATE evidence SET size = -1 WHERE id = {id}", "size is negative (-1)"),
]

# A sector the list in use lacks (another tool, an older list) is not damage: the entry still
# lists and opens (the taxonomy's warning names it); only `check` reports it.
SECTOR_CASES = [
    (
        "activity",
        "INSERT INTO activity_sectors (activity_id, sector_id, position) "
        "VALUES ({id}, 'no-such-sector', 0)",
        "extra sector is not in the sector list in use ('no-such-sector')",
    ),
    (
        "organisation",
        "UPDATE organisations SET sector_id = 'no-such' WHERE id = {id}",
        "sector is not in the sector list in use ('no-such')",
    ),
    (
        "goal",
        "UPDATE goals SET sector_ids = '[\"nope\"]' WHERE id = {id}",
        "sectors holds a sector not in the sector list in use ('nope')",
    ),
]

LIST_NAMES = {
    "activity": "activities",
    "organisation": "organisations",
    "contact": "contacts",
    "lesson": "lessons",
    "goal": "goals",
    "review": "reviews",
}


def _store(services: AppServices, kind: str):  # type: ignore[no-untyped-def]
    return {
        "activity": services.activities,
        "organisation": services.organisations,
        "contact": services.contacts,
        "lesson": services.lessons,
        "goal": services.goals,
        "review": services.reviews,
        "evidence": services.evidence,
    }[kind]


@pytest.fixture
def filled(paths: AppPaths) -> Ids:
    services = open_services(paths)
    try:
        return _fill(services)
    finally:
        services.close()


def _damage(paths: AppPaths, key: bytes, kind: str, sql: str, ids: Ids) -> None:
    _write_raw(paths, key, sql.format(id=ids.bad[kind]))


@pytest.mark.parametrize(("kind", "sql", "reason"), CASES)
def test_a_damaged_entry_is_listed_apart_and_the_rest_still_lists(
    paths: AppPaths, data_key: bytes, filled: Ids, kind: str, sql: str, reason: str
) -> None:
    _damage(paths, data_key, kind, sql, filled)
    services = open_services(paths)
    try:
        store = _store(services, kind)
        listing = store.listing()
        ids = [r.id for r in listing.records]
        assert filled.good[kind] in ids
        assert filled.bad[kind] not in ids
        message = f"{kind} {filled.bad[kind]} is damaged: {reason}"
        assert [d.describe() for d in listing.damaged] == [message]
        assert store.list_all() == listing.records
        # Opening it names the entry and the field; it cannot be deleted or changed blindly.
        with pytest.raises(DamagedEntry) as caught:
            store.get(filled.bad[kind])
        assert str(caught.value) == f"{message}; run `portfolio-app check`"
        assert store.get(filled.good[kind]).id == filled.good[kind]
        # Every read path over many rows still works, on the good rows.
        assert services.activities.rows()
        assert services.csv_export.activities_csv()[1] >= 1
        from portfolio_app.export.selection import load_records
        from portfolio_app.report import load_report_inputs

        load_report_inputs(services)
        load_records(services)
        report = services.check.run()
        assert not report.ok
        assert message in report.lines()
        assert "ok: the database file (quick_check, cipher_integrity_check)" in report.lines()
    finally:
        services.close()


@pytest.mark.parametrize(("kind", "sql", "reason"), [c for c in CASES if c[0] in LIST_NAMES])
def test_list_prints_the_good_rows_and_a_line_per_damaged_one(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    data_key: bytes,
    filled: Ids,
    kind: str,
    sql: str,
    reason: str,
) -> None:
    _damage(paths, data_key, kind, sql, filled)
    for extra in ([], ["--json"]):
        code, out, err = run(
            capsys, "--data-dir", str(paths.data_dir), "list", LIST_NAMES[kind], *extra
        )
        assert code == 0, err
        assert "Bad" not in out
        assert err.splitlines()[-1] == (
            f"portfolio-app: {kind} {filled.bad[kind]} is damaged: {reason}; "
            "run `portfolio-app check`"
        )
        assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize(("kind", "sql", "reason"), SECTOR_CASES)
def test_an_entry_in_an_unknown_sector_still_lists_and_check_reports_it(
    paths: AppPaths, data_key: bytes, filled: Ids, kind: str, sql: str, reason: str
) -> None:
    _damage(paths, data_key, kind, sql, filled)
    services = open_services(paths)
    try:
        store = _store(services, kind)
        listing = store.listing()
        assert filled.bad[kind] in [r.id for r in listing.records]
        assert listing.damaged == []
        assert store.get(filled.bad[kind]).id == filled.bad[kind]
        report = services.check.run()
        assert not report.ok
        assert f"{kind} {filled.bad[kind]} is damaged: {reason}" in report.lines()
    finally:
        services.close()


def test_check_is_ok_on_sound_data_and_lists_every_problem(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, filled: Ids
) -> None:
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "check")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:2] == [
        "ok: the database file (quick_check, cipher_integrity_check)",
        "ok: the links between entries (foreign_key_check)",
    ]
    assert lines[2].startswith("ok: every stored value (2 activities, 2 lessons, ")
    assert len(lines) == 3

    bad = filled.bad["activity"]
    _write_raw(
        paths,
        data_key,
        f"UPDATE activities SET start_date = '2026-13-45', hours = -2 WHERE id = {bad}",
        f"UPDATE reviews SET held_on = 'soon' WHERE id = {filled.bad['review']}",
    )
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "check")
    assert code == 1, err
    assert out.splitlines()[2:] == [
        f"activity {bad} is damaged: start is not a date ('2026-13-45')",
        f"activity {bad} is damaged: hours is negative (-2)",
        f"review {filled.bad['review']} is damaged: date is not a date ('soon')",
    ]
    # The score and the exports leave the damaged entries out and say so.
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "score")
    assert code == 0
    assert "2 damaged entries are left out of the score; run `portfolio-app check`" in err
    csv_file = paths.data_dir.parent / "out.csv"
    code, out, err = run(
        capsys, "--data-dir", str(paths.data_dir), "export-csv", "--out", str(csv_file)
    )
    assert code == 0
    assert "Exported 1 activity" in out
    assert "Bad activity" not in csv_file.read_text(encoding="utf-8-sig")


def test_a_null_where_a_value_is_expected(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, filled: Ids
) -> None:
    bad = filled.bad["activity"]
    _set_null(paths, data_key, "activities", "title", bad)
    services = open_services(paths)  # the start-up check lets a bad row through: it is shown
    try:
        listing = services.activities.row_listing()
        assert [r.activity.id for r in listing.records] == [filled.good["activity"]]
        assert [d.describe() for d in listing.damaged] == [
            f"activity {bad} is damaged: title is missing (NULL)"
        ]
    finally:
        services.close()
    code, out, _err = run(capsys, "--data-dir", str(paths.data_dir), "check")
    assert code == 1
    # Reported once, as the entry it is, not again as quick_check's "NULL value in ...".
    assert out.splitlines() == [
        "ok: the database file (quick_check, cipher_integrity_check)",
        "ok: the links between entries (foreign_key_check)",
        f"activity {bad} is damaged: title is missing (NULL)",
    ]


def test_a_broken_link_is_reported_by_check(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, filled: Ids
) -> None:
    _write_raw(
        paths,
        data_key,
        "PRAGMA foreign_keys = OFF",
        f"INSERT INTO activity_organisations (activity_id, organisation_id, position) "
        f"VALUES ({filled.good['activity']}, 999, 1)",
    )
    code, out, _err = run(capsys, "--data-dir", str(paths.data_dir), "check")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("links: ")] == [
        "links: a row of activity_organisations (row 3) points at a missing entry of organisations"
    ]


def test_nothing_stored_changes_when_a_damaged_entry_is_refused(
    paths: AppPaths, data_key: bytes, filled: Ids, tmp_path: Path
) -> None:
    bad = filled.bad["activity"]
    _write_raw(paths, data_key, f"UPDATE activities SET type = 'zzz' WHERE id = {bad}")
    services = open_services(paths)
    try:
        with pytest.raises(DamagedEntry, match=f"activity {bad} is damaged: type is unknown"):
            services.activities.delete(bad)
        with pytest.raises(DamagedEntry):
            services.activities.update(
                Activity(ActivityType.OTHER, "Fixed", date(2025, 1, 1), id=bad)
            )
        assert services.activities.damaged()[0].id == bad
    finally:
        services.close()
