"""Revision 0010: the FTS5 index created again with one- and two-letter prefix indexes.

The table keeps 0008's columns, tokenizer, contentless delete and secure delete, and 0009's
triggers; after the upgrade it equals an index built from scratch (tests/test_search_once.py's
check, which also compares every short prefix's answer with a table without prefix indexes), and
searches answer exactly the ids they answered before the upgrade.
"""

from __future__ import annotations

import importlib
import re
import shutil
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from keys_for_tests import FIXTURE_KEY, TEST_PASSPHRASE, write_key_file
from large_dataset import prepared_copy
from portfolio_app.paths import AppPaths
from portfolio_app.security.key_file import unlock_with_passphrase
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.search import KINDS
from portfolio_app.storage import migrate
from portfolio_app.storage.cipher import cipher_engine, raw_connection
from portfolio_app.storage.search_index import match_expression
from test_search_once import assert_index_is_fresh

_0009 = importlib.import_module(
    "portfolio_app.storage.migrations.versions.0009_search_once_and_sort_indexes"
)
_0010 = importlib.import_module(
    "portfolio_app.storage.migrations.versions.0010_search_short_prefixes"
)

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"
# One and two letters (the prefix indexes), longer prefixes and words, odd letters folded.
TYPED = ["s", "si", "sian", "l", "lu", "lukasz", "o", "od", "z", "zo", "zoe", "p", "po", "n", "x"]


def _answers(path: Path, key: bytes) -> dict[tuple[str, str], list[int]]:
    """The ids every kind's search for every TYPED word answers, read with plain SQL."""
    answers: dict[tuple[str, str], list[int]] = {}
    with closing(raw_connection(path, key)) as db:
        for typed in TYPED:
            for kind, number in KINDS.items():
                rows = db.execute(
                    "SELECT rowid / 4 FROM search_index WHERE search_index MATCH ?"
                    " AND rowid % 4 = ? ORDER BY rowid",
                    (match_expression(typed), number),
                )
                answers[(kind, typed)] = [row[0] for row in rows]
    return answers


def _migrate(path: Path, key: bytes, revision: str, *, down: bool = False) -> None:
    engine = cipher_engine(path, key)
    try:
        with engine.begin() as connection:
            move = command.downgrade if down else command.upgrade
            move(migrate.alembic_config(connection), revision)
    finally:
        engine.dispose()


def _schema(path: Path, key: bytes) -> dict[str, str]:
    with closing(raw_connection(path, key)) as db:
        rows = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE name = 'search_index' OR type = 'trigger'"
        ).fetchall()
    return dict(rows)


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[tuple[AppServices, dict[tuple[str, str], list[int]]]]:
    """The 0009 fixture's answers, and the services on a copy of it upgraded to head."""
    paths = AppPaths.resolve(tmp_path / "data")
    write_key_file(paths, FIXTURE_KEY)
    shutil.copyfile(FIXTURES / "0009_search_once_and_sort_indexes.sqlite3", paths.database)
    before = _answers(paths.database, FIXTURE_KEY)
    services = open_services(paths)
    yield services, before
    services.close()


def test_the_table_has_short_prefix_indexes_and_keeps_the_rest(
    upgraded: tuple[AppServices, dict[tuple[str, str], list[int]]],
) -> None:
    services, _ = upgraded
    path, key = services.paths.database, services.data_key
    schema = _schema(path, key)
    assert schema.pop("search_index") == (
        "CREATE VIRTUAL TABLE search_index USING fts5(title, body, content='',"
        " contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='1 2')"
    )
    # The triggers are 0009's, word for word (names and bodies).
    assert schema == {
        name: f"CREATE TRIGGER {name} {body}" for name, body in _0010.triggers().items()
    }
    assert set(_0009._triggers()) <= set(schema)
    # Its settings are a fresh table's with secure-delete on (the rebuild's hashsize set back).
    with closing(raw_connection(path, key)) as db:
        db.execute(f"CREATE VIRTUAL TABLE fresh USING fts5({_0010.COLUMNS}, prefix='1 2')")
        db.execute("INSERT INTO fresh (fresh, rank) VALUES ('secure-delete', 1)")
        fresh = db.execute("SELECT k, v FROM fresh_config ORDER BY k").fetchall()
        config = db.execute("SELECT k, v FROM search_index_config ORDER BY k").fetchall()
        usual = db.execute("PRAGMA cache_size").fetchone()[0]
    assert ("secure-delete", 1) in config
    assert config == fresh
    # The rebuild's large page cache is not kept on the pooled connection.
    with services.db.transaction() as session:
        assert session.execute(text("PRAGMA cache_size")).scalar() == usual
    assert usual != -_0010.REBUILD_CACHE_KIB


def test_the_upgraded_index_equals_a_rebuild_and_answers_as_before(
    upgraded: tuple[AppServices, dict[tuple[str, str], list[int]]],
) -> None:
    services, before = upgraded
    assert_index_is_fresh(services)
    after = _answers(services.paths.database, services.data_key)
    assert after == before
    assert before[("contact", "l")] == [1, 5, 6]  # "Łukasz Nowak" (folded), "Sam Lee" twice
    assert before[("contact", "lu")] == [1]
    assert before[("organisation", "od")] == [3]  # "Ødegård Care Home"
    assert before[("activity", "s")], "the fixture must give the short prefixes something to find"


def test_the_downgrade_gives_0009s_table_back(
    upgraded: tuple[AppServices, dict[tuple[str, str], list[int]]],
) -> None:
    services, before = upgraded
    path, key = services.paths.database, services.data_key
    head = _schema(path, key)
    services.close()
    _migrate(path, key, _0009.revision, down=True)
    schema = _schema(path, key)
    assert "prefix" not in schema["search_index"]
    assert re.sub(r", prefix='1 2'", "", head.pop("search_index")) == schema.pop("search_index")
    assert schema == head
    assert _answers(path, key) == before


def test_a_larger_set_answers_as_before_after_the_upgrade(tmp_path: Path) -> None:
    """The 1k benchmark data set (22k entries, many index segments): every short prefix of the
    typed words answers the ids it answered at revision 0009, and the index equals a rebuild."""
    paths = AppPaths.resolve(prepared_copy(tmp_path / "data", activities=1_000))
    key = unlock_with_passphrase(paths.key_file, TEST_PASSPHRASE)
    _migrate(paths.database, key, _0009.revision)
    before = _answers(paths.database, key)
    assert len(before[("activity", "s")]) > 100
    services = open_services(paths)
    try:
        assert migrate_revision(services) == _0010.revision
        assert _answers(paths.database, key) == before
        assert_index_is_fresh(services)
    finally:
        services.close()


def migrate_revision(services: AppServices) -> Any:
    with closing(raw_connection(services.paths.database, services.data_key)) as db:
        return db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
