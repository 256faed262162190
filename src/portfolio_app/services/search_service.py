"""Search across every kind of entry: the hits for what was typed, best first within each kind.

The ids come from the FTS5 index of revision 0008 (services/search.py, storage/search_index.py),
ranked by bm25; the titles, dates and a short snippet come from the entries themselves (the
index is contentless: it keeps no copy of the user's text). Damaged entries are left out, as
in the lists.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import LessonSection
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.search import KINDS
from portfolio_app.storage import tables as t
from portfolio_app.storage.row_checks import damaged_rows
from portfolio_app.storage.search_index import fold, match_expression, words

SNIPPET_LENGTH = 80  # characters of context shown around the first word found


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "activity", "lesson", "organisation" or "contact"
    id: int
    uid: str
    title: str
    date: date | None  # an activity's start, a lesson's day; None for people and places
    snippet: str  # the text around the first word found, or the start of the entry's text

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "uid": self.uid,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "snippet": self.snippet,
        }


class SearchService(ServiceBase):
    def search(
        self, typed: str, kinds: Sequence[str] | None = None, limit: int | None = None
    ) -> list[SearchHit]:
        """Entries matching every word of `typed` as a prefix (case and accents folded), kind
        by kind in KINDS order, best match first within each; at most `limit` per kind."""
        expression = match_expression(typed)
        if expression is None:
            return []
        wanted = list(kinds) if kinds is not None else list(KINDS)
        unknown = [k for k in wanted if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown kind of entry {unknown[0]!r}; one of {', '.join(KINDS)}")
        hits: list[SearchHit] = []
        with self.db.transaction() as session:
            for kind in wanted:
                ids = _ranked_ids(session, kind, expression, limit)
                bad = {d.id for d in damaged_rows(session, kind)}
                ids = [i for i in ids if i not in bad]
                hits.extend(_hits(session, kind, ids, words(typed)))
        return hits


def _ranked_ids(session: Session, kind: str, expression: str, limit: int | None) -> list[int]:
    sql = (
        "SELECT rowid / 4 FROM search_index WHERE search_index MATCH :m AND rowid % 4 = :k "
        "ORDER BY bm25(search_index), rowid"
    )
    params: dict[str, Any] = {"m": expression, "k": KINDS[kind]}
    if limit is not None:
        sql += " LIMIT :n"
        params["n"] = limit
    return [row[0] for row in session.execute(text(sql), params)]


def _hits(session: Session, kind: str, ids: list[int], found: list[str]) -> list[SearchHit]:
    if not ids:
        return []
    table: Any = {
        "activity": t.ActivityRow,
        "lesson": t.LessonRow,
        "organisation": t.OrganisationRow,
        "contact": t.ContactRow,
    }[kind]
    rows = {row.id: row for row in session.query(table).filter(table.id.in_(ids))}
    hits = []
    for entry_id in ids:
        row: Any = rows.get(entry_id)
        if row is None:
            continue
        title, day, texts = _parts(kind, row)
        hits.append(SearchHit(kind, entry_id, row.uid, title, day, snippet(texts, found)))
    return hits


def _parts(kind: str, row: Any) -> tuple[str, date | None, list[str]]:
    if kind == "activity":
        return row.title, row.start_date, [row.description, row.title]
    if kind == "lesson":
        sections = [getattr(row, s.value) for s in LessonSection]
        return row.title, row.recorded_on, [*sections, row.title]
    if kind == "organisation":
        return row.name, None, [", ".join(row.aliases or ()), row.name]
    return row.name, None, [row.notes, row.name]


def _folded(text_value: str) -> tuple[str, list[int]]:
    """`text_value` folded as the index folds it (case, accents, FOLDS), with, for each folded
    character, the index of the character it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text_value):
        plain = unicodedata.normalize("NFD", fold(character))
        plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
        out.append(plain)
        origin.extend([index] * len(plain))
    return "".join(out), origin


def snippet(texts: Iterable[str], found: list[str]) -> str:
    """About SNIPPET_LENGTH characters of the first text holding one of the words `found`
    (folded), around it; else the start of the first non-empty text. One line."""
    candidates = [" ".join(value.split()) for value in texts if value and value.strip()]
    for value in candidates:
        folded, origin = _folded(value)
        positions = [folded.find(word) for word in found]
        positions = [p for p in positions if p >= 0]
        if positions:
            at = origin[min(positions)]
            start = max(0, at - SNIPPET_LENGTH // 3)
            return _cut(value, start)
    return _cut(candidates[0], 0) if candidates else ""


def _cut(value: str, start: int) -> str:
    piece = value[start : start + SNIPPET_LENGTH]
    before = "…" if start > 0 else ""
    after = "…" if start + SNIPPET_LENGTH < len(value) else ""
    return f"{before}{piece}{after}"
