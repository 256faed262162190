"""How much of a user's data is in each sector, counted per place that stores sector ids.

Plain data keyed by each place's label ("organisations", "activities", "goals"): the services
fill it from storage/sector_refs.py, so the taxonomy layer never reads the database and a new
place needs no change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from portfolio_app.taxonomy.errors import plural


@dataclass(frozen=True)
class PlaceCount:
    """How many records of one place ("goals") use one sector."""

    label: str  # plural, as users read it: "activities"
    singular: str  # "activity"
    count: int

    def describe(self) -> str:
        return plural(self.count, self.singular, self.label)


@dataclass(frozen=True)
class Uses:
    """What uses one sector, place by place, in registry order; places with none are left out."""

    counts: tuple[PlaceCount, ...] = ()

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)

    def __bool__(self) -> bool:
        return self.total > 0

    def get(self, label: str) -> int:
        return sum(c.count for c in self.counts if c.label == label)

    def describe(self) -> str:
        """'3 organisations, 2 activities and 1 goal'; '' when nothing uses the sector."""
        return join_words([c.describe() for c in self.counts if c.count])

    def __add__(self, other: Uses) -> Uses:
        totals: dict[str, PlaceCount] = {}
        for c in (*self.counts, *other.counts):
            before = totals.get(c.label)
            totals[c.label] = PlaceCount(
                c.label, c.singular, c.count + (before.count if before else 0)
            )
        return Uses(tuple(c for c in totals.values() if c.count))


def total_uses(uses: Iterable[Uses]) -> Uses:
    result = Uses()
    for one in uses:
        result = result + one
    return result


@dataclass(frozen=True)
class PlaceUsage:
    """One place's records per sector id: {'ccgs': 3, 'police': 1}."""

    label: str
    singular: str
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SectorUsage:
    """How much of the user's data is in each sector id, for every place that stores one."""

    places: tuple[PlaceUsage, ...] = ()

    def sector_ids(self) -> list[str]:
        return sorted({s for place in self.places for s, n in place.counts.items() if n})

    def of(self, sector_id: str) -> Uses:
        return Uses(
            tuple(
                PlaceCount(p.label, p.singular, p.counts[sector_id])
                for p in self.places
                if p.counts.get(sector_id, 0)
            )
        )


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
