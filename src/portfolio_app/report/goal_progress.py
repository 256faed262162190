"""The one rule for a development goal's progress: the coverage of the sectors it names.

Each sector a goal names is first followed to where its data lives now (a retired sector's
replacement), then counted as the score counts it: a sector below the compared level counts as
its compared sector (a goal for acute trusts follows NHS at the top level), and a sector above
it counts the engagement of every compared sector beneath it (a goal for NHS, with sub-sectors
compared, counts work with any trust). Home is not scored, so a goal naming only home sectors
has no progress (None).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from portfolio_app.domain.records import Goal
from portfolio_app.scoring import BreadthResult, ScoringPolicy
from portfolio_app.scoring.breadth import coverage
from portfolio_app.scoring.engagement import SectorLevel
from portfolio_app.taxonomy import Taxonomy


@dataclass(frozen=True)
class GoalSectorProgress:
    sector_id: str  # as the goal names it
    current_id: str | None  # where its data lives now (None: retired with no successor)
    counted_ids: tuple[str, ...]  # the compared sectors whose engagement counts for it
    engagement: float
    coverage: float | None  # 0..1; None when nothing it names is scored (home, or gone)
    reached: bool

    @property
    def counted_as(self) -> str | None:
        """The one compared sector it counts as, or the sector itself when it spans several."""
        if len(self.counted_ids) == 1:
            return self.counted_ids[0]
        return self.current_id if self.counted_ids else None


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    sectors: tuple[GoalSectorProgress, ...]

    @property
    def progress(self) -> float | None:
        """The mean coverage of the goal's scored sectors (None if none of them is scored)."""
        values = [s.coverage for s in self.sectors if s.coverage is not None]
        return math.fsum(values) / len(values) if values else None


def counted_sectors(taxonomy: Taxonomy, level: SectorLevel, sector_id: str) -> tuple[str, ...]:
    """The compared sectors whose engagement a goal naming `sector_id` counts, in order."""
    current = taxonomy.replacement_for(sector_id)
    if current is None:
        return ()
    found: dict[str, None] = {}
    stack = [current]
    while stack:  # the sector and everything beneath it (no recursion: files may nest deep)
        here = stack.pop()
        unit = level.roll_up.get(here)
        if unit is not None and unit in level.positions:
            found.setdefault(unit)
        stack.extend(s.id for s in reversed(taxonomy.children(here)))
    return tuple(sorted(found, key=level.positions.__getitem__))


def goal_progress(
    goal: Goal,
    result: BreadthResult,
    taxonomy: Taxonomy,
    policy: ScoringPolicy,
    level: SectorLevel,
) -> GoalProgress:
    """How far `goal` has come in `result` (scored with `policy` at `level`)."""
    engagement = {s.id: s.engagement for s in result.sectors}
    sectors = []
    for sector_id in goal.sector_ids:
        counted = counted_sectors(taxonomy, level, sector_id)
        weight = math.fsum(engagement.get(s, 0.0) for s in counted)
        covered = coverage(weight, policy.saturation) if counted else None
        sectors.append(
            GoalSectorProgress(
                sector_id,
                taxonomy.replacement_for(sector_id),
                counted,
                weight,
                covered,
                covered is not None and covered >= policy.reach_threshold,
            )
        )
    return GoalProgress(goal, tuple(sectors))
