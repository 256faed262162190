"""Build a database fixture saved at a schema revision, full of data, for migration tests.

    .venv/bin/python scripts/make_migration_fixture.py 0001_initial

writes tests/fixtures/migrations/0001_initial.sqlite3, encrypted with SQLCipher under the
documented test key FIXTURE_KEY below (like every Portfolio database; never a real user's key).
The tests open it through a key file they write for that key. The schema comes from upgrading a
fresh file to that revision; the rows are written with plain SQL for that revision's tables (never
the ORM, which follows the newest schema), so the script keeps producing the same file as models
change.

For every new revision: add an insert function for its schema to WRITERS below, run this script
with the revision, commit the file, and add the matching expected data to EXPECTED in
tests/test_migrations.py. Older fixtures stay; the tests upgrade each of them to head.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from portfolio_app.storage.cipher import cipher_engine, raw_connection
from portfolio_app.storage.migrate import upgrade_to

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "migrations"
# The migration fixtures' data key: a documented test value, public on purpose (32 bytes).
FIXTURE_KEY = b"portfolio-app test fixtures key!"


def _name_key(name: str) -> str:
    """The name key stored from 0005_unique_names on (its rule, copied: fixtures never change)."""
    return " ".join(name.casefold().split())


def _keyed(rows: list[tuple[Any, ...]], keyed: bool) -> list[tuple[Any, ...]]:
    """From 0005 on, rows of organisations and contacts carry their name's key after the name."""
    return [(r[0], r[1], _name_key(r[1]), *r[2:]) if keyed else r for r in rows]


def insert_0001_initial(db: sqlite3.Connection, *, keyed: bool = False) -> None:
    """Data in every table of revision 0001_initial, with the odd cases migrations must keep."""
    key_column, key_value = (" name_key,", " ?,") if keyed else ("", "")
    db.executemany(
        f"INSERT INTO organisations (id, name,{key_column} sector_id, aliases)"
        f" VALUES (?, ?,{key_value} ?, ?)",
        _keyed(
            [
                (1, "Northshire Council", "adult-social-care", json.dumps(["NCC", "the council"])),
                (2, "Northshire Police", "police", json.dumps([])),
                (3, "Ødegård Care Home", "care-homes", json.dumps(["Ødegård", "Zoë's place"])),
                (5, "Jobcentre Plus North", "employment-services", json.dumps(["JCP North"])),
            ],
            keyed,
        ),
    )
    db.execute(
        "INSERT INTO profile (id, name, role, home_organisation_id) VALUES (1, ?, ?, 1)",
        ("Siân Jones", "Senior social worker"),
    )
    db.executemany(
        f"INSERT INTO contacts (id, name,{key_column} notes) VALUES (?, ?,{key_value} ?)",
        _keyed(
            [
                (
                    1,
                    "Łukasz Nowak",
                    "Moved from the police to the care home in 2024.\nKeen mentor.",
                ),
                (2, "Zoë Hart", ""),
                (4, "Anwar Ali", "Work coach"),
            ],
            keyed,
        ),
    )
    db.executemany(
        "INSERT INTO contact_roles"
        " (id, contact_id, organisation_id, job_title, start_date, end_date, position)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (1, 1, 2, "Sergeant", "2015-04-01", "2024-03-31", 0),
            (2, 1, 3, "Deputy manager", "2024-04-01", None, 1),
            (3, 2, 3, "Registered nurse", None, None, 0),
            (4, 4, 5, "Work coach", "2020-01-06", None, 0),
        ],
    )
    db.executemany(
        "INSERT INTO activities (id, type, title, start_date, end_date, hours, description,"
        " visibility, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                "secondment",
                "Secondment to the police hub",
                "2025-09-01",
                "2026-02-28",
                412.5,
                "Six months in the multi-agency hub.",
                "shared",
                "done",
                "2026-03-01 09:00:00.000000",
                "2026-03-02 10:30:00.000000",
            ),
            (
                2,
                "shadowing",
                "Shadowed Zoë at Ødegård",
                "2026-01-15",
                None,
                None,
                "",
                "private",
                "done",
                "2026-01-16 08:00:00.000000",
                "2026-01-16 08:00:00.000000",
            ),
            (
                3,
                "peer-event",
                "Safeguarding learning day",
                "2026-05-12",
                "2026-05-12",
                0.0,
                "Planned.",
                "private",
                "planned",
                "2026-04-01 12:00:00.000000",
                "2026-04-01 12:00:00.000000",
            ),
        ],
    )
    db.executemany(
        "INSERT INTO activity_organisations (activity_id, organisation_id, position)"
        " VALUES (?, ?, ?)",
        [(1, 2, 0), (1, 1, 1), (2, 3, 0), (3, 5, 1), (3, 2, 0)],
    )
    db.executemany(
        "INSERT INTO activity_sectors (activity_id, sector_id, position) VALUES (?, ?, ?)",
        [(1, "justice", 0), (1, "public-health", 1), (3, "voluntary-community", 0)],
    )
    db.executemany(
        "INSERT INTO activity_contacts (activity_id, contact_id, position) VALUES (?, ?, ?)",
        [(1, 1, 0), (2, 2, 0), (2, 1, 1), (3, 4, 0)],
    )
    lesson_columns = (
        "id, activity_id, title, recorded_on, what_happened, what_happened_shared, what_worked,"
        " what_worked_shared, what_did_not_work, what_did_not_work_shared, do_differently,"
        " do_differently_shared, next_step, next_step_shared"
    )
    db.executemany(
        f"INSERT INTO lessons ({lesson_columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                1,
                "Share the plan early",
                "2026-03-01",
                "We met weekly with the hub.",
                1,
                "A shared risk log.",
                0,
                "I assumed police terms meant the same as ours.",
                0,
                "Agree a glossary in week one.",
                1,
                "",
                0,
            ),
            (2, 2, "Listen first", None, "", 0, "", 0, "", 0, "", 0, "Call Łukasz.", 1),
            (
                3,
                None,
                "Standalone reflection",
                "2025-12-31",
                "Private only.",
                0,
                "",
                0,
                "",
                0,
                "",
                0,
                "",
                0,
            ),
        ],
    )


def insert_0003_goals_and_reviews(db: sqlite3.Connection) -> None:
    """0001's rows, plus a review with an agreed goal and a goal of the user's own."""
    insert_0001_initial(db)
    db.execute(
        "INSERT INTO reviews (id, held_on, reviewer_name, reviewer_role, comments)"
        " VALUES (1, '2026-04-20', ?, 'Service manager', ?)",
        ("Zoë Ødegård", "Good year.\nKeep going."),
    )
    db.executemany(
        "INSERT INTO goals (id, title, sector_ids, target_date, notes, achieved, review_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (1, "Spend time with the police", json.dumps(["police"]), "2026-12-31", "", 0, 1),
            (
                2,
                "Reach housing and education",
                json.dumps(["housing-associations", "education"]),
                None,
                "My own goal",
                1,
                None,
            ),
        ],
    )


def insert_0004_goal_visibility(db: sqlite3.Connection, *, keyed: bool = False) -> None:
    """0001's rows, a review with an agreed goal, and goals of the user's own: one private
    (with a note that must never be exported), one the user chose to share."""
    insert_0001_initial(db, keyed=keyed)
    db.execute(
        "INSERT INTO reviews (id, held_on, reviewer_name, reviewer_role, comments)"
        " VALUES (1, '2026-04-20', ?, 'Service manager', ?)",
        ("Zoë Ødegård", "Good year.\nKeep going."),
    )
    db.executemany(
        "INSERT INTO goals"
        " (id, title, sector_ids, target_date, notes, achieved, review_id, visibility)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                "Spend time with the police",
                json.dumps(["police"]),
                "2026-12-31",
                "",
                0,
                1,
                "shared",
            ),
            (
                2,
                "Think about my next move",
                json.dumps(["housing-associations"]),
                None,
                "PRIVATE: I am thinking of leaving the council.",
                0,
                None,
                "private",
            ),
            (
                4,
                "Reach education",
                json.dumps(["education"]),
                "2027-06-30",
                "Shadow a head teacher.",
                1,
                None,
                "shared",
            ),
        ],
    )


def insert_0005_unique_names(db: sqlite3.Connection) -> None:
    """0004's rows with their name keys, and two people of one name told apart the way the
    app now asks (names are unique ignoring case and spacing)."""
    insert_0004_goal_visibility(db, keyed=True)
    db.executemany(
        "INSERT INTO contacts (id, name, name_key, notes) VALUES (?, ?, ?, ?)",
        _keyed([(5, "Sam Lee", "Police"), (6, "Sam  Lee (NHS)", "")], True),
    )
    db.execute(
        "INSERT INTO contact_roles"
        " (id, contact_id, organisation_id, job_title, start_date, end_date, position)"
        " VALUES (5, 5, 2, 'Constable', NULL, NULL, 0)"
    )


# Bytes of the evidence files in the 0006 fixture: odd and binary on purpose (a NUL, invalid
# UTF-8), so an upgrade that re-encodes them would show.
EVIDENCE_AGENDA = "Agenda — multi-agency hub, 1 Sep 2025\nItem 1: Siân's welcome\n".encode()
EVIDENCE_PHOTO = b"\x89PNG\r\n\x1a\n\x00\xff\xfe" + bytes(range(256))
EVIDENCE_NOTES = "Łukasz – notes\r\nPRIVATE: what I would not say aloud.".encode()


def insert_0006_evidence(db: sqlite3.Connection) -> None:
    """0005's rows, and evidence: a shared agenda and a private photo on the shared secondment,
    and private notes on the standalone lesson (ids with a gap: never reused)."""
    insert_0005_unique_names(db)
    db.executemany(
        "INSERT INTO evidence (id, activity_id, lesson_id, name, media_type, size, added_at,"
        " visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                1,
                1,
                None,
                "Siân's agenda.txt",
                "text/plain",
                len(EVIDENCE_AGENDA),
                "2026-03-01 09:15:00.000000",
                "shared",
            ),
            (
                2,
                1,
                None,
                "hub photo.png",
                "image/png",
                len(EVIDENCE_PHOTO),
                "2026-03-01 09:16:30.000000",
                "private",
            ),
            (
                4,
                None,
                3,
                "Łukasz – notes.txt",
                "text/plain",
                len(EVIDENCE_NOTES),
                "2026-01-02 18:00:00.000000",
                "private",
            ),
        ],
    )
    db.executemany(
        "INSERT INTO evidence_blobs (evidence_id, data) VALUES (?, ?)",
        [(1, EVIDENCE_AGENDA), (2, EVIDENCE_PHOTO), (4, EVIDENCE_NOTES)],
    )


# Tables with a stable id from 0007 on, numbered for the fixture's fixed uids.
UID_TABLES = (
    "organisations",
    "contacts",
    "contact_roles",
    "activities",
    "lessons",
    "reviews",
    "goals",
    "evidence",
)


def fixture_uid(table: str, row_id: int) -> str:
    """The fixed, UUID-shaped uid the 0007 fixture gives row `row_id` of `table`."""
    return f"00000000-0000-4000-8{UID_TABLES.index(table):03d}-{row_id:012d}"


def insert_0007_stable_ids_and_drafts(db: sqlite3.Connection) -> None:
    """0006's rows with fixed uids (so the file rebuilds byte for byte), and a draft of an
    unsaved edit with odd text. 0006's writers leave uid at its empty default, so the unique
    indexes wait until every row has its own."""
    for table in UID_TABLES:
        db.execute(f"DROP INDEX ix_{table}_uid")
    insert_0006_evidence(db)
    for table in UID_TABLES:
        ids = [row[0] for row in db.execute(f"SELECT id FROM {table}")]
        db.executemany(
            f"UPDATE {table} SET uid = ? WHERE id = ?",
            [(fixture_uid(table, row_id), row_id) for row_id in ids],
        )
        db.execute(f"CREATE UNIQUE INDEX ix_{table}_uid ON {table} (uid)")
    db.execute(
        "INSERT INTO drafts (id, kind, entry_id, payload, saved_at) VALUES (?, ?, ?, ?, ?)",
        (
            1,
            "activity",
            1,
            json.dumps({"title": "Secondment — Siân's hub (unsaved)"}),
            "2026-11-30 17:45:00.000000",
        ),
    )


# One writer per revision that has a fixture; see the module docstring.
WRITERS: dict[str, Callable[[sqlite3.Connection], None]] = {
    "0001_initial": insert_0001_initial,
    "0002_never_reuse_ids": insert_0001_initial,  # same tables; only id allocation changed
    "0003_goals_and_reviews": insert_0003_goals_and_reviews,
    "0004_goal_visibility": insert_0004_goal_visibility,
    "0005_unique_names": insert_0005_unique_names,
    "0006_evidence": insert_0006_evidence,
    "0007_stable_ids_and_drafts": insert_0007_stable_ids_and_drafts,
    # same tables; the search index is filled by its triggers as the rows go in
    "0008_search_index": insert_0007_stable_ids_and_drafts,
    # same tables; the index's pending table stays empty, the sort indexes fill themselves
    "0009_search_once_and_sort_indexes": insert_0007_stable_ids_and_drafts,
    # same tables; the index is created again with prefix indexes (one- and two-letter searches)
    "0010_search_short_prefixes": insert_0007_stable_ids_and_drafts,
}


def build_fixture(revision: str, target: Path) -> None:
    """Create `target` at `revision` and fill it. Refuses to overwrite an existing file."""
    if target.exists():
        raise FileExistsError(f"{target} exists; delete it first to rebuild it")
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = cipher_engine(target, FIXTURE_KEY)
    try:
        with engine.begin() as connection:
            upgrade_to(connection, revision)
    finally:
        engine.dispose()
    with closing(raw_connection(target, FIXTURE_KEY)) as db:
        db.execute("PRAGMA foreign_keys=ON")
        with db:  # one transaction: commits, or rolls back on error
            WRITERS[revision](db)
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"the fixture's rows break foreign keys: {problems}")
        db.execute("VACUUM")  # a compact, tidy file to commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", choices=sorted(WRITERS))
    parser.add_argument("--out", type=Path, help="default: tests/fixtures/migrations/REV.sqlite3")
    args = parser.parse_args(argv)
    target = args.out or FIXTURES_DIR / f"{args.revision}.sqlite3"
    try:
        build_fixture(args.revision, target)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
