"""What putting a new taxonomy in force does to data: which sectors' data moves, what is refused.

Pure planning over usage counts; services/taxonomy_service.py applies a plan in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio_app.taxonomy.errors import SectorInUse
from portfolio_app.taxonomy.model import Taxonomy
from portfolio_app.taxonomy.usage import SectorUsage, Uses, total_uses

__all__ = [
    "RetirementPlan",
    "RetirementSummary",
    "SectorMove",
    "SectorUsage",  # re-exported: callers imported it from here before usage.py existed
    "old_label_of",
    "plan_retirement",
]


@dataclass(frozen=True)
class SectorMove:
    """Data in a retired sector going to its replacement (at the end of any replaced_by chain)."""

    from_id: str
    from_label: str
    to_id: str
    to_label: str
    uses: Uses

    def describe(self) -> str:
        """'3 organisations and 1 goal moved from Clinical commissioning groups to ...'."""
        return (
            f"{self.uses.describe() or 'nothing'} moved from {self.from_label} to {self.to_label}"
        )

    def describe_pending(self) -> str:
        """'3 organisations and 1 goal from ... to ...': a move not made yet (`validate`)."""
        return f"{self.uses.describe() or 'nothing'} from {self.from_label} to {self.to_label}"


@dataclass(frozen=True)
class RetirementSummary:
    """What putting a taxonomy in force moved; empty when nothing had to move."""

    moves: tuple[SectorMove, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.moves)

    @property
    def moved(self) -> Uses:
        """Everything moved, per place: moved.get("goals")."""
        return total_uses(m.uses for m in self.moves)

    def lines(self) -> list[str]:
        return [move.describe() for move in self.moves]

    def describe(self) -> str:
        return "\n".join(self.lines()) if self.moves else "Nothing had to move."


@dataclass(frozen=True)
class RetirementPlan:
    moves: tuple[SectorMove, ...]
    # Sectors dropped without a replacement that data still uses: the change must be refused.
    in_use: tuple[SectorInUse, ...]

    @property
    def refused(self) -> bool:
        return bool(self.in_use)

    def mapping(self) -> dict[str, str]:
        return {m.from_id: m.to_id for m in self.moves}

    def summary(self) -> RetirementSummary:
        return RetirementSummary(self.moves)


def plan_retirement(
    new: Taxonomy, usage: SectorUsage, previous: Taxonomy | None = None
) -> RetirementPlan:
    """Every used sector that `new` does not have moves to its replacement, or is refused.

    Labels of the old sectors come from `previous` (the taxonomy that was in force), since the
    new file only lists a retired sector's id.
    """
    moves: list[SectorMove] = []
    in_use: list[SectorInUse] = []
    for sector_id in usage.sector_ids():
        if sector_id in new:
            continue
        uses = usage.of(sector_id)
        old_label = old_label_of(sector_id, previous)
        target = new.replacement_for(sector_id)
        if target is None:
            in_use.append(SectorInUse(sector_id, old_label, uses))
        else:
            moves.append(SectorMove(sector_id, old_label, target, new.label(target), uses))
    return RetirementPlan(tuple(moves), tuple(in_use))


def old_label_of(sector_id: str, previous: Taxonomy | None) -> str:
    if previous is not None and sector_id in previous:
        return previous.label(sector_id)
    return sector_id
