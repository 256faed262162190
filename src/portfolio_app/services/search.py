"""Search (issue 12): the ids of the entries of one kind matching what was typed.

The index is the FTS5 table `search_index` of revision 0008 (kept in step by SQL triggers; since
revision 0010 with prefix indexes for one and two letters, which the `"s"*` terms of a short
search read without any change here); see storage/search_index.py for the folding and the MATCH
expression, and docs/search.md.
"""

from __future__ import annotations

from sqlalchemy import Integer, Select, column, literal_column, select, table, text
from sqlalchemy.orm import Session

from portfolio_app.storage.search_index import match_expression

__all__ = ["KINDS", "matching_ids"]

# Each entry's index row is rowid = id * 4 + KINDS[kind] (revision 0008).
KINDS: dict[str, int] = {"activity": 0, "lesson": 1, "organisation": 2, "contact": 3}

_INDEX = table("search_index", column("rowid", Integer))


def matching_ids(session: Session, kind: str, text_typed: str) -> Select[int] | None:
    """A SELECT of the ids of the `kind` entries matching every word of `text_typed` as a
    prefix (case and accents folded); None when it has no words (no filter).

    `Select[int]` is SQLAlchemy 2.1's spelling of 2.0's `Select[tuple[int]]` (one int column).

    An activity matches through its title, description, type, organisations' names and aliases
    and contacts' names; a lesson through its title and sections; an organisation through its
    name and aliases; a contact through its name and notes."""
    del session  # the SELECT runs in the caller's session
    if kind not in KINDS:
        raise ValueError(f"unknown kind of entry {kind!r}; one of {', '.join(KINDS)}")
    expression = match_expression(text_typed)
    if expression is None:
        return None
    rowid = _INDEX.c.rowid
    entry_id = literal_column("search_index.rowid / 4", Integer).label("entry_id")
    return (
        select(entry_id)
        .select_from(_INDEX)
        .where(text("search_index MATCH :search_match").bindparams(search_match=expression))
        .where(rowid.op("%")(4) == KINDS[kind])
    )
