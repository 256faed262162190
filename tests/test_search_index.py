"""The search index's folding and MATCH builder, on a real FTS5 table of the SQLCipher build."""

from __future__ import annotations

import ast
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3  # type: ignore[import-untyped]
from sqlalchemy import Select

from keys_for_tests import FIXTURE_KEY, write_key_file
from portfolio_app.domain.enums import ActivityType, LessonSection
from portfolio_app.domain.records import Activity, Lesson, LessonField, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services, search
from portfolio_app.storage import search_index as search_index_module
from portfolio_app.storage.search_index import (
    FOLDS,
    MAX_WORDS,
    fold,
    fold_sql,
    match_expression,
    words,
)

TITLES = ["Secondment to Siân's hub", "Łukasz Nowak", "Ødegård Care Home", "Zoë Hart", "Straße"]


@pytest.fixture
def index() -> Iterator[sqlite3.Connection]:
    db = sqlcipher3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, content='', contentless_delete=1,"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    for rowid, title in enumerate(TITLES, start=1):
        db.execute(f"INSERT INTO t (rowid, title) SELECT ?, {fold_sql('?')}", (rowid, title))
    yield db
    db.close()


def _found(db: sqlite3.Connection, typed: str) -> list[str]:
    expression = match_expression(typed)
    if expression is None:
        return []
    rows = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (expression,))
    return [TITLES[r[0] - 1] for r in rows]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sian", "Secondment to Siân's hub"),
        ("SIÂN", "Secondment to Siân's hub"),
        ("sec", "Secondment to Siân's hub"),
        ("lukasz", "Łukasz Nowak"),
        ("Łuk", "Łukasz Nowak"),
        ("odegard", "Ødegård Care Home"),
        ("zoe", "Zoë Hart"),
        ("zoë", "Zoë Hart"),
        ("strasse", "Straße"),
        ("hub sec", "Secondment to Siân's hub"),
    ],
)
def test_words_are_prefixes_with_case_and_accents_folded(
    index: sqlite3.Connection, typed: str, expected: str
) -> None:
    assert _found(index, typed) == [expected]


def test_every_word_must_match(index: sqlite3.Connection) -> None:
    assert _found(index, "secondment zoe") == []


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"sian',
        "sian*",
        "-sian",
        "sian NEAR hub",
        "NEAR(sian hub)",
        "sian AND",
        "OR",
        "NOT sian",
        "(sian",
        "title:sian",
        "^sian",
        "sian 🎉",
        "{sian}",
        "a" * 10_000,
        "sian " * 2_000,
    ],
)
def test_hostile_input_is_safe(index: sqlite3.Connection, typed: str) -> None:
    typed_words = set(words(typed))
    expected = (
        ["Secondment to Siân's hub"] if typed_words and typed_words <= {"sian", "hub"} else []
    )
    assert _found(index, typed) == expected  # a syntax error would raise


def test_keywords_are_plain_words(index: sqlite3.Connection) -> None:
    assert _found(index, "hub NOT sian") == []  # "not" must match too, and nothing has it


@pytest.mark.parametrize("typed", ["", "   ", "🎉", '*-"()', "—"])
def test_no_words_is_no_filter(typed: str) -> None:
    assert match_expression(typed) is None


def test_only_the_first_words_count() -> None:
    assert len(words(" ".join(f"w{n}" for n in range(100)))) == MAX_WORDS


def test_sql_and_python_fold_alike() -> None:
    db = sqlcipher3.connect(":memory:")
    text = "".join(FOLDS) + " Łukasz Ødegård"
    assert db.execute(f"SELECT {fold_sql('?')}", (text,)).fetchone()[0] == fold(text)


# --- The index of revision 0008, kept in step by triggers, through the services ---------------


def _ids(services: AppServices, kind: str, typed: str) -> list[int]:
    query = matching_ids_for(kind, typed)
    with services.db.transaction() as session:
        return sorted(session.scalars(query))


def matching_ids_for(kind: str, typed: str) -> Select[int]:
    with_session = search.matching_ids
    query = with_session(None, kind, typed)  # type: ignore[arg-type]  # the session is unused
    assert query is not None
    return query


def test_activities_match_through_title_and_organisation_names(services: AppServices) -> None:
    trust = services.organisations.create(Organisation("Łukasz’s NHS Trust", "acute-trusts"))
    assert trust.id
    first = services.activities.create(
        Activity(
            ActivityType.SECONDMENT,
            "Secondment — Siân's hub",
            date(2026, 3, 15),
            organisation_ids=(trust.id,),
        )
    )
    services.activities.create(Activity(ActivityType.SHADOWING, "Shadowing day", date(2026, 3, 1)))
    assert _ids(services, "activity", "sec lukasz") == [first.id]
    assert _ids(services, "activity", "SIAN trust") == [first.id]
    assert _ids(services, "activity", "shadowing lukasz") == []
    assert _ids(services, "organisation", "lukasz") == [trust.id]

    services.organisations.update(replace(trust, name="Ødegård Foundation"))
    assert _ids(services, "activity", "odegard") == [first.id]
    assert _ids(services, "activity", "lukasz") == []

    deleted = services.activities.delete(first.id or 0)
    assert _ids(services, "activity", "odegard") == []
    services.activities.restore(deleted)
    assert _ids(services, "activity", "odegard") == [first.id]


def test_lessons_match_through_their_sections(services: AppServices) -> None:
    lesson = services.lessons.create(Lesson("Handovers"))
    sections = dict(lesson.sections)
    sections[LessonSection.WHAT_WORKED] = LessonField("A shared Zoë-style checklist", False)
    services.lessons.update(replace(lesson, sections=sections))
    assert _ids(services, "lesson", "zoe check") == [lesson.id]
    assert _ids(services, "activity", "zoe") == []


def test_no_words_is_none_and_an_unknown_kind_is_refused() -> None:
    assert search.matching_ids(None, "activity", " 🎉 ") is None  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown kind"):
        search.matching_ids(None, "goal", "x")  # type: ignore[arg-type]


def test_the_upgrade_indexes_an_old_fixtures_rows(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    write_key_file(paths, FIXTURE_KEY)
    fixtures = Path(__file__).parent / "fixtures" / "migrations"
    shutil.copyfile(fixtures / "0006_evidence.sqlite3", paths.database)
    services = open_services(paths)
    try:
        assert _ids(services, "contact", "lukasz") == [1]  # "Łukasz Nowak"
        assert _ids(services, "organisation", "odegard care") == [3]  # "Ødegård Care Home"
        assert _ids(services, "organisation", "zoe place") == [3]  # an alias: "Zoë's place"
    finally:
        services.close()


def test_the_migration_folds_as_the_query_does() -> None:
    path = Path(search_index_module.__file__).parent / "migrations" / "versions"
    text = (path / "0008_search_index.py").read_text("utf-8")
    frozen = ast.literal_eval(text.split("FOLDS = ", 1)[1].split("}", 1)[0] + "}")
    assert frozen == FOLDS
