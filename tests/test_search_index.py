"""The search index's folding and MATCH builder, on a real FTS5 table of the SQLCipher build."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
import sqlcipher3  # type: ignore[import-untyped]

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
