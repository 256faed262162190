"""Every place the database stores a sector id, and how to count and rewrite each.

Retirement, usage counts and the taxonomy diff all read SECTOR_REFS, so a column that stores
sector ids is handled everywhere once it is listed here. tests/test_sector_refs.py fails when a
table gains a sector column (any name containing "sector") that is not listed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, MetaData, delete, func, select, update
from sqlalchemy.orm import Session

from portfolio_app.storage import tables as t

_TABLES = t.Base.metadata.tables


@dataclass(frozen=True)
class SectorRef(ABC):
    """One column holding sector ids, with the names users know its records by."""

    label: str  # plural, as users read it: "organisations"
    singular: str  # "organisation"
    column: Column[Any]

    @property
    def place(self) -> tuple[str, str]:
        """(table, column), as the schema names them."""
        return self.column.table.name, self.column.name

    @abstractmethod
    def count(self, session: Session) -> dict[str, int]:
        """How many records use each sector id (a record listing a sector twice counts once)."""

    @abstractmethod
    def rewrite(self, session: Session, mapping: Mapping[str, str]) -> None:
        """Replace every old id in `mapping` by its new id, leaving no record with a duplicate."""


@dataclass(frozen=True)
class ScalarRef(SectorRef):
    """One sector id per row (organisations.sector_id)."""

    def count(self, session: Session) -> dict[str, int]:
        rows = session.execute(select(self.column, func.count()).group_by(self.column))
        return {sector: n for sector, n in rows}

    def rewrite(self, session: Session, mapping: Mapping[str, str]) -> None:
        for old, new in mapping.items():
            session.execute(
                update(self.column.table).where(self.column == old).values({self.column.name: new})
            )


@dataclass(frozen=True)
class LinkRowsRef(SectorRef):
    """One row per (owner, sector), the pair unique (activity_sectors, keyed by activity_id)."""

    owner: Column[Any]
    position: Column[Any]

    def count(self, session: Session) -> dict[str, int]:
        rows = session.execute(
            select(self.column, func.count(func.distinct(self.owner))).group_by(self.column)
        )
        return {sector: n for sector, n in rows}

    def rewrite(self, session: Session, mapping: Mapping[str, str]) -> None:
        if not mapping:
            return
        table, old_ids = self.column.table, list(mapping)
        moving = session.execute(
            select(self.owner, self.column)
            .where(self.column.in_(old_ids))
            .order_by(self.owner, self.position)
        ).all()
        if not moving:
            return
        # Pairs that stay, so a record that already has the replacement is not given it twice.
        present: set[tuple[Any, str]] = {
            (owner, sector)
            for owner, sector in session.execute(
                select(self.owner, self.column).where(
                    self.owner.in_({owner for owner, _ in moving}), self.column.not_in(old_ids)
                )
            )
        }
        for owner, old in moving:
            where = (self.owner == owner, self.column == old)
            target = (owner, mapping[old])
            if target in present:
                session.execute(delete(table).where(*where))
            else:  # an update keeps the row's position (and any other column)
                present.add(target)
                session.execute(update(table).where(*where).values({self.column.name: target[1]}))


@dataclass(frozen=True)
class JsonListRef(SectorRef):
    """A JSON list of sector ids per row (goals.sector_ids), in the user's order."""

    key: Column[Any]

    def _lists(self, session: Session) -> list[tuple[Any, list[str]]]:
        rows = session.execute(select(self.key, self.column).where(self.column.is_not(None)))
        return [
            (key, [s for s in ids if isinstance(s, str)])
            for key, ids in rows
            if isinstance(ids, list)
        ]

    def count(self, session: Session) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for _, ids in self._lists(session):
            counts.update(set(ids))
        return dict(counts)

    def rewrite(self, session: Session, mapping: Mapping[str, str]) -> None:
        if not mapping:
            return
        for key, ids in self._lists(session):
            if not any(s in mapping for s in ids):
                continue
            # dict.fromkeys keeps the first of each: [retired, replacement] becomes [replacement].
            new_ids = list(dict.fromkeys(mapping.get(s, s) for s in ids))
            session.execute(
                update(self.column.table).where(self.key == key).values({self.column.name: new_ids})
            )


_organisations = _TABLES["organisations"]
_activity_sectors = _TABLES["activity_sectors"]
_goals = _TABLES["goals"]

SECTOR_REFS: tuple[SectorRef, ...] = (
    ScalarRef("organisations", "organisation", _organisations.c.sector_id),
    # An activity's own sector comes from its organisations; these are its extra sectors.
    LinkRowsRef(
        "activities",
        "activity",
        _activity_sectors.c.sector_id,
        owner=_activity_sectors.c.activity_id,
        position=_activity_sectors.c.position,
    ),
    JsonListRef("goals", "goal", _goals.c.sector_ids, key=_goals.c.id),
)


def count_all(session: Session) -> list[tuple[SectorRef, dict[str, int]]]:
    """Every registered place with its records per sector id."""
    return [(ref, ref.count(session)) for ref in SECTOR_REFS]


def rewrite_all(session: Session, mapping: Mapping[str, str]) -> None:
    """Move every registered place from retired ids to their replacements (caller's transaction)."""
    for ref in SECTOR_REFS:
        ref.rewrite(session, mapping)


def is_sector_column(name: str) -> bool:
    """By name: sector_id, sector_ids, home_sector, ... (what a reader would take for one)."""
    return "sector" in name.lower()


def unregistered_sector_columns(
    metadata: MetaData, refs: Iterable[SectorRef] = SECTOR_REFS
) -> list[str]:
    """'table.column' for every sector column in `metadata` that `refs` does not list."""
    registered = {ref.place for ref in refs}
    return sorted(
        f"{table.name}.{column.name}"
        for table in metadata.tables.values()
        for column in table.columns
        if is_sector_column(column.name) and (table.name, column.name) not in registered
    )
