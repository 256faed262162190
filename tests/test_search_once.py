"""Revision 0009: each activity's search document written once per write, the index always equal
to one built from scratch (service writes, imports, another program's raw SQL), and the tables'
sort by lower(title) / lower(name) reading an index."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, Organisation
from portfolio_app.services import AppServices
from portfolio_app.storage.cipher import raw_connection
from portfolio_app.storage.search_index import documents_once

# The document's definition, frozen in revision 0008 (0009 changes when it is written, not what);
# the table's, in revision 0010 (0008's with one- and two-letter prefix indexes).
_0008 = importlib.import_module("portfolio_app.storage.migrations.versions.0008_search_index")
_0010 = importlib.import_module(
    "portfolio_app.storage.migrations.versions.0010_search_short_prefixes"
)


def _raw(services: AppServices) -> Any:
    return closing(raw_connection(services.paths.database, services.data_key))


def _fresh_table(db: Any, name: str, options: str) -> None:
    """temp.`name`: the index built from scratch from the entries (0008's documents)."""
    db.execute(f"CREATE VIRTUAL TABLE temp.{name} USING fts5({_0010.COLUMNS}{options})")
    for build in (_0008._activity, _0008._lesson, _0008._organisation, _0008._contact):
        db.execute(build("1").replace("INSERT INTO search_index", f"INSERT INTO temp.{name}"))


def _rows_matching(db: Any, table: str, expression: str) -> list[int]:
    query = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid"
    return [row[0] for row in db.execute(query, (expression,))]


def index_and_rebuild(services: AppServices) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every token (term, row, column, offset) of the index, and of one built from scratch.

    Also checks the index's prefix indexes (0010): FTS5's own integrity check, and every one- and
    two-letter prefix of its terms answering the rows a table without prefix indexes answers."""
    with _raw(services) as db:
        _fresh_table(db, "fresh", f", prefix='{_0010.PREFIXES}'")
        _fresh_table(db, "plain", "")
        db.execute(
            "CREATE VIRTUAL TABLE temp.v_index USING fts5vocab(main, search_index, instance)"
        )
        db.execute("CREATE VIRTUAL TABLE temp.v_fresh USING fts5vocab(temp, fresh, instance)")
        order = "ORDER BY doc, col, offset"
        kept = db.execute(f"SELECT term, doc, col, offset FROM temp.v_index {order}").fetchall()
        fresh = db.execute(f"SELECT term, doc, col, offset FROM temp.v_fresh {order}").fetchall()
        pending = db.execute("SELECT count(*) FROM search_index_pending").fetchone()[0]
        db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)")
        prefixes = {term[:size] for term, *_ in fresh for size in (1, 2)}
        for prefix in sorted(prefixes):
            expression = f'"{prefix}"*'
            plain = _rows_matching(db, "plain", expression)
            assert _rows_matching(db, "search_index", expression) == plain, prefix
            assert _rows_matching(db, "fresh", expression) == plain, prefix
    assert pending == 0, "row 0 or noted ids were committed"
    return kept, fresh


def assert_index_is_fresh(services: AppServices) -> None:
    kept, fresh = index_and_rebuild(services)
    assert fresh, "nothing indexed"
    assert kept == fresh


@pytest.fixture
def linked(services: AppServices) -> Iterator[tuple[AppServices, list[int], list[int]]]:
    orgs = [
        services.organisations.create(Organisation(name, "acute-trusts")).id or 0
        for name in ("Łukasz’s NHS Trust", "Ødegård Care Home", "Northshire Police")
    ]
    people = [
        services.contacts.create(Contact(name)).id or 0 for name in ("Siân Jones", "Zoë Hart")
    ]
    yield services, orgs, people


def test_service_writes_keep_the_index_equal_to_a_rebuild(
    linked: tuple[AppServices, list[int], list[int]],
) -> None:
    services, orgs, people = linked
    first = services.activities.create(
        Activity(
            ActivityType.SECONDMENT,
            "Secondment — Siân's hub",
            date(2026, 3, 15),
            organisation_ids=tuple(orgs),
            contact_ids=tuple(people),
        )
    )
    second = services.activities.create(
        Activity(ActivityType.SHADOWING, "Shadowing", date(2026, 3, 1), organisation_ids=(orgs[0],))
    )
    assert_index_is_fresh(services)
    # An edit replaces every link: fewer, reordered, and a new one.
    services.activities.update(
        replace(first, organisation_ids=(orgs[2], orgs[0]), contact_ids=(people[1],))
    )
    assert_index_is_fresh(services)
    services.organisations.update(
        replace(services.organisations.get(orgs[0]), name="Zoë Foundation")
    )
    services.contacts.update(replace(services.contacts.get(people[1]), name="Anwar Ali"))
    assert_index_is_fresh(services)
    deleted = services.activities.delete(second.id or 0)
    assert_index_is_fresh(services)
    services.activities.restore(deleted)
    services.organisations.delete(orgs[1])
    assert_index_is_fresh(services)


def test_bulk_add_and_another_programs_raw_sql_keep_it_equal(
    linked: tuple[AppServices, list[int], list[int]],
) -> None:
    services, orgs, people = linked
    records = [
        Activity(
            ActivityType.SHADOWING,
            f"Visit {n} at Ødegård",
            date(2026, 1, 1 + n),
            organisation_ids=tuple(orgs[: 1 + n % 3]),
            contact_ids=tuple(people[: n % 3]),
        )
        for n in range(20)
    ]
    with services.db.unit_of_work() as session:
        added = services.activities.add_many_in(session, records)
    assert_index_is_fresh(services)
    # Another program (no row 0): every statement keeps the index right at once.
    statements = [
        ("DELETE FROM activity_organisations WHERE activity_id = ?", (added[1].id,)),
        (
            "INSERT INTO activity_contacts (activity_id, contact_id, position) VALUES (?, ?, 5)",
            (added[3].id, people[1]),
        ),
        ("DELETE FROM activity_contacts WHERE activity_id = ?", (added[4].id,)),
        (
            "INSERT INTO activity_organisations (activity_id, organisation_id, position)"
            " VALUES (?, ?, 7)",
            (added[9].id, orgs[2]),
        ),
        ("UPDATE organisations SET name = 'Straße Trust' WHERE id = ?", (orgs[2],)),
        ("UPDATE contacts SET name = 'Anwar Ali' WHERE id = ?", (people[0],)),
        ("UPDATE activities SET title = 'Renamed' WHERE id = ?", (added[6].id,)),
        (
            "INSERT INTO activities (uid, type, title, start_date, description, visibility,"
            " status) VALUES ('raw-1', 'shadowing', 'Raw Zoë', '2026-01-01', '', 'private',"
            " 'done')",
            (),
        ),
        ("DELETE FROM activities WHERE id = ?", (added[7].id,)),
    ]
    for statement, values in statements:
        with _raw(services) as db:
            db.execute(statement, values)
            db.commit()
        assert_index_is_fresh(services)


def test_inside_the_block_links_are_noted_and_written_once_at_its_end(
    linked: tuple[AppServices, list[int], list[int]],
) -> None:
    services, orgs, _ = linked
    made = services.activities.create(Activity(ActivityType.SHADOWING, "Day", date(2026, 2, 2)))
    with services.db.unit_of_work() as session, documents_once(session):
        for position, org in enumerate(orgs):
            session.execute(
                text(
                    "INSERT INTO activity_organisations (activity_id, organisation_id, position)"
                    " VALUES (:a, :o, :p)"
                ),
                {"a": made.id, "o": org, "p": position},
            )
        noted = session.execute(text("SELECT activity_id FROM search_index_pending")).all()
        assert noted == [(0,), (made.id,)]  # one note however many rows
        assert not _matches(session, "police")  # not written yet
    with services.db.transaction() as session:
        assert _matches(session, "police") == [made.id]
    assert_index_is_fresh(services)


def test_a_block_that_raises_still_writes_what_it_noted(
    linked: tuple[AppServices, list[int], list[int]],
) -> None:
    services, orgs, _ = linked
    made = services.activities.create(Activity(ActivityType.SHADOWING, "Day", date(2026, 2, 2)))
    with (
        services.db.unit_of_work() as session,
        pytest.raises(KeyError),
        documents_once(session),
    ):
        session.execute(
            text(
                "INSERT INTO activity_organisations (activity_id, organisation_id, position)"
                " VALUES (:a, :o, 0)"
            ),
            {"a": made.id, "o": orgs[2]},
        )
        raise KeyError("the caller catches this and commits")
    assert_index_is_fresh(services)


def _matches(session: Any, word: str) -> list[int]:
    rows = session.execute(
        text("SELECT rowid / 4 FROM search_index WHERE search_index MATCH :w AND rowid % 4 = 0"),
        {"w": f'"{word}"*'},
    )
    return [r[0] for r in rows]


def test_csv_import_keeps_it_equal(services: AppServices, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "type,title,start,organisation,sector,contacts\r\n"
        "shadowing,Day with Zoë,2026-01-02,Ødegård Care Home,care-homes,Siân Jones; Zoë Hart\r\n"
        "shadowing,Second day,2026-01-03,Ødegård Care Home,care-homes,Łukasz Nowak\r\n",
        "utf-8",
    )
    services.csv_import.import_file(source, accept_warnings=True)
    assert_index_is_fresh(services)
    with services.db.transaction() as session:
        assert len(_matches(session, "lukasz")) == 1
        # The import's large page cache is not kept on the pooled connection.
        assert session.execute(text("PRAGMA cache_size")).scalar() == -2000


def test_a_csv_reimport_that_changes_rows_keeps_it_equal(
    services: AppServices, tmp_path: Path
) -> None:
    """New rows' documents are written batch by batch, changed rows' once at the end: both
    leave the index as a rebuild would, and the changed words are found."""
    source = tmp_path / "in.csv"
    source.write_text(
        "type,title,start,organisation,sector,contacts\r\n"
        "shadowing,Day with Zoë,2026-01-02,Ødegård Care Home,care-homes,Siân Jones\r\n"
        "shadowing,Second day,2026-01-03,Ødegård Care Home,care-homes,Łukasz Nowak\r\n",
        "utf-8",
    )
    services.csv_import.import_file(source, accept_warnings=True)
    exported, _ = services.csv_export.activities_csv()
    changed = exported.replace("Second day", "Visit to Ynys Môn").replace(
        "Łukasz Nowak", "Siân Jones;Łukasz Nowak"
    )
    again = tmp_path / "again.csv"
    header = changed.splitlines()[0].split(",")
    third = {"type": "shadowing", "title": "Third day", "start": "2026-01-04"}
    third |= {"organisation": "Llanfair Hub", "sector": "police"}
    again.write_text(changed + ",".join(third.get(c, "") for c in header) + "\r\n", "utf-8")
    result = services.csv_import.import_file(again, accept_warnings=True)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert_index_is_fresh(services)
    with services.db.transaction() as session:
        assert len(_matches(session, "ynys")) == 1
        assert len(_matches(session, "second")) == 0
        assert len(_matches(session, "llanfair")) == 1


@pytest.mark.parametrize(
    ("table", "key", "index"),
    [
        ("activities", "lower(title)", "ix_activities_title_lower"),
        ("lessons", "lower(title)", "ix_lessons_title_lower"),
        ("organisations", "lower(name)", "ix_organisations_name_lower"),
        ("contacts", "lower(name)", "ix_contacts_name_lower"),
    ],
)
def test_the_tables_sort_reads_an_index(
    services: AppServices, table: str, key: str, index: str
) -> None:
    with _raw(services) as db:
        for direction in ("", " DESC"):
            plan = " / ".join(
                row[3]
                for row in db.execute(
                    f"EXPLAIN QUERY PLAN SELECT id FROM {table}"
                    f" ORDER BY {key}{direction}, id{direction}"
                )
            )
            assert index in plan
            assert "TEMP B-TREE" not in plan  # no sort of every row
