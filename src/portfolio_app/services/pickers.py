"""What the edit dialogs' pickers show: a few records matching what is typed, never all of them.

A picker opens with the records already chosen (read by id) and the first `limit` records in
the list's order; each keystroke asks `find(text)` again. A record matches when every word typed
is the start of a word of its name (an organisation's aliases and sector too; a contact's
organisations; an activity's title), case and accents folded: "sian" finds "Siân", "lukasz"
finds "Łukasz". The folded words are read once per finder, on the first search (one query of
names only, no ORM records), so the dialog opens without reading them at all.

(Once `services.search.matching_ids` with FTS5 is available, the finders can ask it for the
matching ids instead of folding the names here; the matching rule is the same.)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio_app.domain.dates import format_date
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database
from portfolio_app.storage.row_checks import damaged_rows
from portfolio_app.storage.search_index import words
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


@dataclass(frozen=True)
class Choice:
    """One line of a picker: the record's id, what the line says and its tooltip."""

    id: int
    label: str
    tooltip: str = ""


def folded_words(text: str) -> list[str]:
    """The words of `text`, lower case, accents and the letters FTS5 leaves (Ł, Ø...) folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return words(bare)


def matches(typed: Sequence[str], candidate: Sequence[str]) -> bool:
    """Every typed word is the start of some word of the candidate."""
    return all(any(word.startswith(w) for word in candidate) for w in typed)


def damaged_ids(session: Session, kind: str) -> set[int]:
    """Entries a picker never offers nor reads: their stored values cannot be read (the lists
    show them marked; the checks' result is remembered, so this costs nothing per keystroke)."""
    return {d.id for d in damaged_rows(session, kind)}


class Finder:
    """The records of one kind a picker can offer. Subclasses say how to read and label them.
    Damaged entries (storage/row_checks.py) are left out of every query."""

    def __init__(self, db: Database, limit: int = LIMIT) -> None:
        self.db = db
        self.limit = limit
        self._index: list[tuple[int, tuple[str, ...]]] | None = None

    # -- what subclasses provide ----------------------------------------------------------------

    def _ordered_ids(self, session: Session, limit: int) -> list[int]:
        raise NotImplementedError

    def _search_texts(self, session: Session) -> Iterable[tuple[int, str]]:
        """(id, the text its words are taken from), every record, in the list's order."""
        raise NotImplementedError

    def _choices(self, session: Session, ids: Sequence[int]) -> list[Choice]:
        """The choices for these ids, in this order (ids that no longer exist left out)."""
        raise NotImplementedError

    # -- the queries a picker makes -------------------------------------------------------------

    def any(self) -> bool:
        with self.db.transaction() as session:
            return bool(self._ordered_ids(session, 1))

    def by_ids(self, ids: Sequence[int]) -> list[Choice]:
        if not ids:
            return []
        with self.db.transaction() as session:
            return self._choices(session, list(dict.fromkeys(ids)))

    def find(self, text: str, limit: int | None = None) -> list[Choice]:
        """The first `limit` records matching `text` in the list's order (all, if nothing typed)."""
        limit = self.limit if limit is None else limit
        typed = folded_words(text)
        with self.db.transaction() as session:
            if not typed:
                return self._choices(session, self._ordered_ids(session, limit))
            if self._index is None:
                self._index = [
                    (record_id, tuple(folded_words(text)))
                    for record_id, text in self._search_texts(session)
                ]
            found: list[int] = []
            for record_id, candidate in self._index:
                if matches(typed, candidate):
                    found.append(record_id)
                    if len(found) == limit:
                        break
            return self._choices(session, found)


def _in_order(rows: dict[int, Choice], ids: Sequence[int]) -> list[Choice]:
    return [rows[i] for i in ids if i in rows]


def _aliases(stored: object) -> list[str]:
    """An organisation's aliases as stored (a JSON list; anything else read as none)."""
    return [a for a in stored if isinstance(a, str)] if isinstance(stored, list) else []


class OrganisationFinder(Finder):
    """Organisations by name, alias or sector, in name order; labelled with their sector."""

    def __init__(self, db: Database, taxonomy: Taxonomy, limit: int = LIMIT) -> None:
        super().__init__(db, limit)
        self.taxonomy = taxonomy

    def _ordered_ids(self, session: Session, limit: int) -> list[int]:
        query = select(t.OrganisationRow.id).order_by(t.OrganisationRow.name, t.OrganisationRow.id)
        query = query.where(t.OrganisationRow.id.not_in(damaged_ids(session, "organisation")))
        return list(session.scalars(query.limit(limit)))

    _COLUMNS = select(
        t.OrganisationRow.id,
        t.OrganisationRow.name,
        t.OrganisationRow.aliases,
        t.OrganisationRow.sector_id,
    )

    def _search_texts(self, session: Session) -> Iterable[tuple[int, str]]:
        rows = session.execute(
            self._COLUMNS.where(
                t.OrganisationRow.id.not_in(damaged_ids(session, "organisation"))
            ).order_by(t.OrganisationRow.name, t.OrganisationRow.id)
        )
        for record_id, name, aliases, sector_id in rows:
            alias_text = " ".join(_aliases(aliases))
            yield record_id, f"{name} {alias_text} {self.taxonomy.label(sector_id)}"

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
            found[record_id] = Choice(record_id, label, tooltip)
        return _in_order(found, ids)


class ContactFinder(Finder):
    """Contacts by name or the names of their organisations, in name order; each labelled with
    their job on `today`, so two people with one name can be told apart."""

    def __init__(self, db: Database, today: date, limit: int = LIMIT) -> None:
        super().__init__(db, limit)
        self.today = today

    def _ordered_ids(self, session: Session, limit: int) -> list[int]:
        query = select(t.ContactRow.id).order_by(t.ContactRow.name, t.ContactRow.id)
        query = query.where(t.ContactRow.id.not_in(damaged_ids(session, "contact")))
        return list(session.scalars(query.limit(limit)))

    def _search_texts(self, session: Session) -> Iterable[tuple[int, str]]:
        bad_organisations = damaged_ids(session, "organisation")
        organisations: dict[int, str] = {
            i: n
            for i, n in session.execute(
                select(t.OrganisationRow.id, t.OrganisationRow.name).where(
                    t.OrganisationRow.id.not_in(bad_organisations)
                )
            )
        }
        where: dict[int, list[str]] = {}
        roles = select(t.ContactRoleRow.contact_id, t.ContactRoleRow.organisation_id)
        for contact_id, organisation_id in session.execute(roles):
            where.setdefault(contact_id, []).append(organisations.get(organisation_id, ""))
        names = (
            select(t.ContactRow.id, t.ContactRow.name)
            .where(t.ContactRow.id.not_in(damaged_ids(session, "contact")))
            .order_by(t.ContactRow.name, t.ContactRow.id)
        )
        for record_id, name in session.execute(names):
            yield record_id, " ".join([name, *where.get(record_id, ())])

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
            found[record_id] = Choice(record_id, f"{name} — {job}" if job else name)
        return _in_order(found, ids)


class ActivityFinder(Finder):
    """Activities by a word of their title, newest first; labelled with their start date."""

    def __init__(self, db: Database, limit: int = LIMIT) -> None:
        super().__init__(db, limit)

    _ORDER = (t.ActivityRow.start_date.desc(), t.ActivityRow.id.desc())

    def _ordered_ids(self, session: Session, limit: int) -> list[int]:
        query = select(t.ActivityRow.id).where(
            t.ActivityRow.id.not_in(damaged_ids(session, "activity"))
        )
        return list(session.scalars(query.order_by(*self._ORDER).limit(limit)))

    def _search_texts(self, session: Session) -> Iterable[tuple[int, str]]:
        rows = session.execute(
            select(t.ActivityRow.id, t.ActivityRow.title)
            .where(t.ActivityRow.id.not_in(damaged_ids(session, "activity")))
            .order_by(*self._ORDER)
        )
        yield from ((record_id, title) for record_id, title in rows)

    def _choices(self, session: Session, ids: Sequence[int]) -> list[Choice]:
        rows = session.execute(
            select(t.ActivityRow.id, t.ActivityRow.title, t.ActivityRow.start_date).where(
                t.ActivityRow.id.in_(ids),
                t.ActivityRow.id.not_in(damaged_ids(session, "activity")),
            )
        )
        found = {
            record_id: Choice(record_id, f"{format_date(start)} — {title}")
            for record_id, title, start in rows
        }
        return _in_order(found, ids)
