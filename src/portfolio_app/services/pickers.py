"""What the edit dialogs' pickers show: a few records matching what is typed, never all of them.

A picker opens with the records already chosen (read by id) and the first `limit` records in
the list's order; each keystroke asks `find(text)` again, in one query: the full-text index
(revision 0008's FTS5 `search_index`, read as `services.search.matching_ids` reads it) gives
the matching ids, and the list's order with a LIMIT picks the first of them, so no name is read
or folded in Python. A record matches when every word typed is the start of one of its words,
case and accents folded ("sian" finds "Siân", "lukasz" finds "Łukasz"): an organisation by its
name or aliases (its whole entry in the index); a contact by name and an activity by title only
(the index's `title` column: people are found by their name, not by a word of their notes).
`OrganisationFinder.same_name` is the organisation dialog's duplicate warning, asked as typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Integer, Select, column, literal_column, select, table, text
from sqlalchemy.orm import Session

from portfolio_app.domain.dates import format_date
from portfolio_app.domain.names import name_key
from portfolio_app.services.search import KINDS, matching_ids
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database
from portfolio_app.storage.row_checks import damaged_rows
from portfolio_app.storage.search_index import match_expression, words
from portfolio_app.taxonomy import Taxonomy

__all__ = [
    "LIMIT",
    "ActivityFinder",
    "Choice",
    "ContactFinder",
    "Finder",
    "OrganisationFinder",
    "folded_words",
    "matches",
]

LIMIT = 50

# What `matching_ids` gives: a SELECT of the matching ids, or None (nothing typed: no filter).
Matching = Select[int] | None


@dataclass(frozen=True)
class Choice:
    """One line of a picker: the record's id, what the line says, its tooltip and its bare
    name (the label may add a sector, a job or a date)."""

    id: int
    label: str
    tooltip: str = ""
    name: str = ""


def folded_words(text: str) -> list[str]:
    """The words of `text` as the index folds them: lower case, accents and the letters FTS5
    leaves (Ł, Ø...) folded (storage/search_index.py)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return words(bare)


def matches(typed: Sequence[str], candidate: Sequence[str]) -> bool:
    """Every typed word is the start of some word of the candidate (the index's rule)."""
    return all(any(word.startswith(w) for word in candidate) for w in typed)


_INDEX = table("search_index", column("rowid", Integer))


def title_matching_ids(kind: str, text_typed: str) -> Matching:
    """`matching_ids`, with every word found in the entry's `title` column (an activity's
    title, a contact's name) rather than anywhere in its entry."""
    expression = match_expression(text_typed)
    if expression is None:
        return None
    entry_id = literal_column("search_index.rowid / 4", Integer).label("entry_id")
    return (
        select(entry_id)
        .select_from(_INDEX)
        .where(
            text("search_index MATCH :picker_match").bindparams(
                picker_match=f"title : ({expression})"
            )
        )
        .where(_INDEX.c.rowid.op("%")(4) == KINDS[kind])
    )


def damaged_ids(session: Session, kind: str) -> set[int]:
    """Entries a picker never offers nor reads: their stored values cannot be read (the lists
    show them marked; the checks' result is remembered, so this costs nothing per keystroke)."""
    return {d.id for d in damaged_rows(session, kind)}


class Finder:
    """The records of one kind a picker can offer. Subclasses say which kind, how to order and
    how to label them. Damaged entries (storage/row_checks.py) are left out of every query."""

    kind = ""
    title_only = False  # words matched in the index's title column only
    row: ClassVar[Any] = None  # the ORM row class of the kind

    def order(self) -> tuple[Any, ...]:
        """The list's order (ORDER BY columns)."""
        raise NotImplementedError

    def __init__(self, db: Database, limit: int = LIMIT) -> None:
        self.db = db
        self.limit = limit

    # -- what subclasses provide ----------------------------------------------------------------

    def _ordered_ids(self, session: Session, limit: int, among: Matching) -> list[int]:
        """The first `limit` ids in the list's order (of those `among` selects, if given)."""
        row = self.row
        query = select(row.id).where(row.id.not_in(damaged_ids(session, self.kind)))
        if among is not None:
            query = query.where(row.id.in_(among))
        return list(session.scalars(query.order_by(*self.order()).limit(limit)))

    def _choices(self, session: Session, ids: Sequence[int]) -> list[Choice]:
        """The choices for these ids, in this order (ids that no longer exist left out)."""
        raise NotImplementedError

    # -- the queries a picker makes -------------------------------------------------------------

    def any(self) -> bool:
        with self.db.transaction() as session:
            return bool(self._ordered_ids(session, 1, None))

    def by_ids(self, ids: Sequence[int]) -> list[Choice]:
        if not ids:
            return []
        with self.db.transaction() as session:
            return self._choices(session, list(dict.fromkeys(ids)))

    def find(self, text: str, limit: int | None = None) -> list[Choice]:
        """The first `limit` records matching `text` in the list's order (all, if nothing typed)."""
        limit = self.limit if limit is None else limit
        with self.db.transaction() as session:
            if self.title_only:
                among = title_matching_ids(self.kind, text)
            else:
                among = matching_ids(session, self.kind, text)
            return self._choices(session, self._ordered_ids(session, limit, among))


def _in_order(rows: dict[int, Choice], ids: Sequence[int]) -> list[Choice]:
    return [rows[i] for i in ids if i in rows]


def _aliases(stored: object) -> list[str]:
    """An organisation's aliases as stored (a JSON list; anything else read as none)."""
    return [a for a in stored if isinstance(a, str)] if isinstance(stored, list) else []


class OrganisationFinder(Finder):
    """Organisations by name or alias, in name order; labelled with their sector."""

    kind = "organisation"
    row = t.OrganisationRow

    def __init__(self, db: Database, taxonomy: Taxonomy, limit: int = LIMIT) -> None:
        super().__init__(db, limit)
        self.taxonomy = taxonomy

    def order(self) -> tuple[Any, ...]:
        return (self.row.name, self.row.id)

    _COLUMNS = select(
        t.OrganisationRow.id,
        t.OrganisationRow.name,
        t.OrganisationRow.aliases,
        t.OrganisationRow.sector_id,
    )

    def _choices(self, session: Session, ids: Sequence[int]) -> list[Choice]:
        bad = damaged_ids(session, "organisation")
        rows = session.execute(
            self._COLUMNS.where(t.OrganisationRow.id.in_(ids), t.OrganisationRow.id.not_in(bad))
        )
        found = {}
        for record_id, name, aliases, sector_id in rows:
            tooltip = self.taxonomy.path_label(sector_id)
            alias_list = _aliases(aliases)
            if alias_list:
                tooltip += "\nAlso called: " + ", ".join(alias_list)
            label = f"{name} — {self.taxonomy.label(sector_id)}"
            found[record_id] = Choice(record_id, label, tooltip, name)
        return _in_order(found, ids)

    def same_name(self, text: str, own_id: int | None = None) -> str | None:
        """The name of another organisation called `text` (by its name or an alias, case and
        spacing ignored as `name_key` does), or None. One indexed query per call: candidates
        from the full-text index (every word of `text` is a word of theirs), compared here."""
        key = name_key(text)
        if not key:
            return None
        row = t.OrganisationRow
        with self.db.transaction() as session:
            bad = damaged_ids(session, "organisation")
            exact = session.scalar(
                select(row.name).where(
                    row.name_key == key, row.id != (own_id or 0), row.id.not_in(bad)
                )
            )
            if exact is not None:
                return str(exact)
            among = matching_ids(session, "organisation", text)
            if among is None:  # no letters or digits: only the exact name can be the same
                return None
            candidates = session.execute(
                select(row.name, row.aliases)
                .where(row.id.in_(among), row.id != (own_id or 0), row.id.not_in(bad))
                .order_by(row.name, row.id)
            )
            for name, aliases in candidates:
                if any(name_key(alias) == key for alias in _aliases(aliases)):
                    return str(name)
        return None


class ContactFinder(Finder):
    """Contacts by name, in name order; each labelled with their job on `today`, so
    two people with one name can be told apart."""

    kind = "contact"
    row = t.ContactRow
    title_only = True

    def __init__(self, db: Database, today: date, limit: int = LIMIT) -> None:
        super().__init__(db, limit)
        self.today = today

    def order(self) -> tuple[Any, ...]:
        return (self.row.name, self.row.id)

    def _choices(self, session: Session, ids: Sequence[int]) -> list[Choice]:
        names: dict[int, str] = {
            i: n
            for i, n in session.execute(
                select(t.ContactRow.id, t.ContactRow.name).where(
                    t.ContactRow.id.in_(ids),
                    t.ContactRow.id.not_in(damaged_ids(session, "contact")),
                )
            )
        }
        roles = session.execute(
            select(
                t.ContactRoleRow.contact_id,
                t.ContactRoleRow.job_title,
                t.OrganisationRow.name,
                t.ContactRoleRow.start_date,
                t.ContactRoleRow.end_date,
            )
            .join(t.OrganisationRow, t.OrganisationRow.id == t.ContactRoleRow.organisation_id)
            .where(
                t.ContactRoleRow.contact_id.in_(ids),
                t.OrganisationRow.id.not_in(damaged_ids(session, "organisation")),
            )
            .order_by(t.ContactRoleRow.contact_id, t.ContactRoleRow.id)
        )
        current: dict[int, str] = {}
        for contact_id, job_title, where, start, end in roles:
            covers = (start is None or start <= self.today) and (end is None or self.today <= end)
            if covers and contact_id not in current:
                current[contact_id] = ", ".join(p for p in (job_title, where) if p)
        found = {}
        for record_id, name in names.items():
            job = current.get(record_id)
            found[record_id] = Choice(record_id, f"{name} — {job}" if job else name, name=name)
        return _in_order(found, ids)


class ActivityFinder(Finder):
    """Activities by a word of their title, newest first; labelled with their start date."""

    kind = "activity"
    row = t.ActivityRow
    title_only = True

    def __init__(self, db: Database, limit: int = LIMIT) -> None:
        super().__init__(db, limit)

    def order(self) -> tuple[Any, ...]:
        return (self.row.start_date.desc(), self.row.id.desc())

    def _choices(self, session: Session, ids: Sequence[int]) -> list[Choice]:
        rows = session.execute(
            select(t.ActivityRow.id, t.ActivityRow.title, t.ActivityRow.start_date).where(
                t.ActivityRow.id.in_(ids),
                t.ActivityRow.id.not_in(damaged_ids(session, "activity")),
            )
        )
        found = {
            record_id: Choice(record_id, f"{format_date(start)} — {title}", name=title)
            for record_id, title, start in rows
        }
        return _in_order(found, ids)
