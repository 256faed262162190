"""In-memory taxonomy: immutable, validated, with lookups by id, label or alias."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class SectorLookupError(LookupError):
    """A sector name that matches nothing, or more than one sector."""


@dataclass(frozen=True)
class Sector:
    id: str
    label: str
    parent_id: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    colour: str = "#808080"
    order: int = 0


@dataclass(frozen=True)
class RetiredSector:
    id: str
    replaced_by: str | None
    since_version: str = ""
    note: str = ""


def name_key(text: str) -> str:
    """Case- and space-insensitive key, so 'Adult  Social care' finds 'Adult social care'."""
    return " ".join(text.casefold().split())


_key = name_key


@dataclass(frozen=True)
class Taxonomy:
    """A validated taxonomy. Build it with `load_taxonomy`; it never changes afterwards."""

    id: str
    title: str
    version: str
    publisher: str
    date: str
    sectors: tuple[Sector, ...]
    retired: tuple[RetiredSector, ...] = ()
    description: str = ""
    # The raw `scoring` section; portfolio_app.scoring validates and interprets it.
    scoring: Mapping[str, Any] | None = field(default=None, hash=False)
    # Non-fatal remarks from loading (unknown top-level keys, ambiguous names); not compared.
    warnings: tuple[str, ...] = field(default=(), compare=False)
    _by_id: dict[str, Sector] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _retired: dict[str, RetiredSector] = field(init=False, repr=False, compare=False)
    _children: dict[str | None, tuple[Sector, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {s.id: s for s in self.sectors}
        by_name: dict[str, list[str]] = {}
        for sector in self.sectors:
            for name in (sector.id, sector.label, *sector.aliases):
                ids = by_name.setdefault(_key(name), [])
                if sector.id not in ids:
                    ids.append(sector.id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_name", {k: tuple(v) for k, v in by_name.items()})
        object.__setattr__(self, "_retired", {r.id: r for r in self.retired})
        # Built once: pickers and `ordered()` ask for children of every sector.
        children: dict[str | None, list[Sector]] = {}
        for sector in self.sectors:
            children.setdefault(sector.parent_id, []).append(sector)
        object.__setattr__(
            self,
            "_children",
            {k: tuple(sorted(v, key=lambda s: (s.order, s.label))) for k, v in children.items()},
        )

    def get(self, sector_id: str) -> Sector | None:
        return self._by_id.get(sector_id)

    def __contains__(self, sector_id: object) -> bool:
        return isinstance(sector_id, str) and sector_id in self._by_id

    def label(self, sector_id: str) -> str:
        """The sector's label, or the raw id for a sector this taxonomy does not know."""
        sector = self._by_id.get(sector_id)
        return sector.label if sector else sector_id

    def path_label(self, sector_id: str) -> str:
        """'NHS → Mental health trusts' for a sub-sector, the plain label for a top-level one."""
        return " → ".join(self.label(s.id) for s in self.ancestry(sector_id)) or sector_id

    def ancestry(self, sector_id: str) -> list[Sector]:
        """The sector and its parents, top-level first."""
        chain: list[Sector] = []
        seen: set[str] = set()
        current = self._by_id.get(sector_id)
        while current is not None and current.id not in seen:
            chain.append(current)
            seen.add(current.id)
            current = self._by_id.get(current.parent_id) if current.parent_id else None
        return list(reversed(chain))

    def top_level_of(self, sector_id: str) -> str:
        chain = self.ancestry(sector_id)
        return chain[0].id if chain else sector_id

    def children(self, parent_id: str | None) -> list[Sector]:
        return list(self._children.get(parent_id, ()))

    def resolve(self, name: str) -> Sector:
        """Find a sector by id, label or alias, ignoring case. Raises SectorLookupError."""
        ids = self._by_name.get(_key(name), ())
        if not ids:
            raise SectorLookupError(f"unknown sector {name.strip()!r}")
        if len(ids) > 1:
            labels = ", ".join(self.label(i) for i in ids)
            raise SectorLookupError(f"sector {name.strip()!r} is ambiguous: it could be {labels}")
        return self._by_id[ids[0]]

    def matches(self, sector_id: str, text: str) -> bool:
        """Whether a search text matches the sector's label, id or any alias (for pickers)."""
        needle = _key(text)
        sector = self._by_id.get(sector_id)
        if sector is None or not needle:
            return sector is not None
        return any(needle in _key(n) for n in (sector.id, sector.label, *sector.aliases))

    def ordered(self) -> list[Sector]:
        """Every sector depth-first in display order (parents before their children)."""
        out: list[Sector] = []
        # An explicit stack, not recursion: a valid file may nest deeper than Python's limit.
        stack = list(reversed(self._children.get(None, ())))
        while stack:
            sector = stack.pop()
            out.append(sector)
            stack.extend(reversed(self._children.get(sector.id, ())))
        return out

    def retired_entry(self, sector_id: str) -> RetiredSector | None:
        return self._retired.get(sector_id)

    def replacement_for(self, sector_id: str) -> str | None:
        """The active sector that data in `sector_id` belongs in now, following `replaced_by`.

        An active id is its own replacement; None means the sector is gone with no successor
        (retired without `replaced_by`, or not in this taxonomy at all).
        """
        current: str | None = sector_id
        seen: set[str] = set()
        while current is not None and current not in self._by_id:
            entry = self._retired.get(current)
            if entry is None or current in seen:
                return None
            seen.add(current)
            current = entry.replaced_by
        return current

    def sector_ids(self) -> Sequence[str]:
        return tuple(self._by_id)

    def unknown(self, sector_ids: Iterable[str]) -> list[str]:
        return [s for s in sector_ids if s not in self._by_id]
