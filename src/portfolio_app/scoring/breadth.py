"""The cross-sector breadth score, its figures and its explanation (see docs/scoring.md).

coverage c_s = 1 − exp(−w_s / saturation) for each compared sector s with engagement w_s;
score = 100 × Σ c_s / N over the N compared sectors other than home. Coverage only grows with
engagement, so no activity can ever lower the score. Engagement sums use math.fsum, so the result
does not depend on the order the activities come in (not even in the last bit).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, partial
from typing import Any, NamedTuple, overload

from portfolio_app.domain.records import Activity
from portfolio_app.scoring.engagement import (
    Engagement,
    SectorLevel,
    accumulate,
    activity_value,
    cached_level,
    contribution_count,
    contributions,
)
from portfolio_app.scoring.inputs import ScoringInputs
from portfolio_app.scoring.policy import ScoringPolicy
from portfolio_app.taxonomy import Taxonomy


class Contribution(NamedTuple):
    """What one activity gave to one sector (after recency and the split)."""

    activity_id: int | None
    title: str
    amount: float


class Contributions(Sequence[Contribution]):
    """The activities behind one sector, largest first, each Contribution made when read.

    A sector can have tens of thousands of activities behind it; a table shows a screenful,
    so making every row up front would cost more than the score itself.
    """

    __slots__ = ("_amounts", "_ids", "_indices", "_titles")

    def __init__(
        self,
        indices: list[int],
        amounts: list[float],
        ids: Sequence[int | None] = (),
        titles: Sequence[str] = (),
    ) -> None:
        # indices[k] and amounts[k] are the k-th largest; ids and titles are by activity index.
        self._indices, self._amounts, self._ids, self._titles = indices, amounts, ids, titles

    def __len__(self) -> int:
        return len(self._amounts)

    @overload
    def __getitem__(self, index: int) -> Contribution: ...

    @overload
    def __getitem__(self, index: slice) -> Contributions: ...

    def __getitem__(self, index: int | slice) -> Contribution | Contributions:
        if isinstance(index, slice):
            return Contributions(
                self._indices[index], self._amounts[index], self._ids, self._titles
            )
        activity = self._indices[index]
        return Contribution(self._ids[activity], self._titles[activity], self._amounts[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Contributions | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(repr(c) for c in self[:3])
        more = f", ... ({len(self)} in all)" if len(self) > 3 else ""
        return f"Contributions([{shown}{more}])"


@dataclass(frozen=True)
class SectorResult:
    id: str
    label: str
    colour: str
    engagement: float  # w_s
    coverage: float  # c_s, 0..1
    reached: bool  # coverage >= the policy's reach threshold
    _explain: Callable[[], Contributions] = field(
        default=lambda: Contributions([], []), repr=False, compare=False
    )
    _count: Callable[[], int] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def contributions(self) -> Contributions:
        """The activities behind this sector's engagement, largest first.

        Worked out when first asked for: the dashboard asks for one sector at a time, and
        listing every sector's activities for 100,000 activities would cost more than the score.
        """
        return self._explain()

    @cached_property
    def contribution_count(self) -> int:
        """len(self.contributions), without listing and sorting them (the `score` table)."""
        if self._count is None or "contributions" in self.__dict__:
            return len(self.contributions)
        return self._count()


@dataclass(frozen=True)
class BreadthResult:
    at: date
    score: float  # 0..100
    sectors_reached: int
    balance: float  # effective number of reached sectors, exp(Shannon H) of their w_s
    sectors: tuple[SectorResult, ...]  # the N compared sectors, in taxonomy order
    home_sector_id: str | None  # home at the compared level (None if it is not in the taxonomy)
    policy_id: str
    policy_name: str
    policy_version: str
    taxonomy_id: str
    taxonomy_version: str

    @property
    def sector_count(self) -> int:
        return len(self.sectors)

    def sector(self, sector_id: str) -> SectorResult:
        for sector in self.sectors:
            if sector.id == sector_id:
                return sector
        raise KeyError(sector_id)

    def gaps(self) -> list[SectorResult]:
        """Sectors not yet reached, least engaged first (ties in taxonomy order)."""
        return sorted((s for s in self.sectors if not s.reached), key=lambda s: s.engagement)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (what `portfolio-app score --json` prints)."""
        return {
            "at": self.at.isoformat(),
            "score": round(self.score, 2),
            "sectors_reached": self.sectors_reached,
            "sector_count": self.sector_count,
            "balance": round(self.balance, 3),
            "home_sector": self.home_sector_id,
            "policy": {
                "id": self.policy_id,
                "name": self.policy_name,
                "version": self.policy_version,
            },
            "taxonomy": {"id": self.taxonomy_id, "version": self.taxonomy_version},
            "sectors": [
                {
                    "id": s.id,
                    "label": s.label,
                    "colour": s.colour,
                    "engagement": round(s.engagement, 4),
                    "coverage": round(s.coverage, 4),
                    "reached": s.reached,
                }
                for s in self.sectors
            ],
        }


class TrendPoint(NamedTuple):
    at: date
    score: float


@dataclass(frozen=True)
class WhatIf:
    """How much one activity adds: the score without it, with it, and the difference."""

    before: float
    after: float
    gain: float
    shares: dict[str, float]  # sector id -> engagement this activity gives it now


def _level(
    inputs: ScoringInputs, policy: ScoringPolicy, taxonomy: Taxonomy, home_sector_id: str
) -> SectorLevel:
    credited = policy.home_factor > 0
    return cached_level(inputs, taxonomy, policy.depth_level, home_sector_id, credited)


def coverage(weight: float, saturation: float) -> float:
    """c = 1 − exp(−w / saturation): the first engagement with a sector counts most."""
    return -math.expm1(-weight / saturation)


def _score_of(weights: list[float], saturation: float) -> float:
    if not weights:
        return 0.0
    return 100.0 * math.fsum(coverage(w, saturation) for w in weights) / len(weights)


def balance(weights: list[float]) -> float:
    """Hill number of order 1, exp(H), of the given engagements (0 when there are none)."""
    positive = [w for w in weights if w > 0]
    total = math.fsum(positive)
    if total <= 0:
        return 0.0
    entropy = -math.fsum((w / total) * math.log(w / total) for w in positive)
    return math.exp(entropy)


def _explainer(
    engagement: Engagement, inputs: ScoringInputs, position: int
) -> Callable[[], Contributions]:
    def explain() -> Contributions:
        indices, amounts = contributions(engagement, inputs, position)
        return Contributions(indices, amounts, inputs.ids, inputs.titles)

    return explain


def score(
    inputs: ScoringInputs,
    policy: ScoringPolicy,
    taxonomy: Taxonomy,
    home_sector_id: str,
    at: date,
) -> BreadthResult:
    """The breadth score on `at` with every figure and, per sector, the activities behind it."""
    level = _level(inputs, policy, taxonomy, home_sector_id)
    engagement = accumulate(inputs, policy, level, at)
    saturation, threshold = policy.saturation, policy.reach_threshold
    sectors: list[SectorResult] = []
    for position, sector_id in enumerate(level.sector_ids):
        weight = engagement.weights[position]
        covered = coverage(weight, saturation)
        sector = taxonomy.get(sector_id)
        sectors.append(
            SectorResult(
                id=sector_id,
                label=sector.label if sector else sector_id,
                colour=sector.colour if sector else "#808080",
                engagement=weight,
                coverage=covered,
                reached=covered >= threshold,
                _explain=_explainer(engagement, inputs, position),
                _count=partial(contribution_count, engagement, inputs, position),
            )
        )
    reached = [s.engagement for s in sectors if s.reached]
    return BreadthResult(
        at=at,
        score=_score_of(engagement.weights, saturation),
        sectors_reached=len(reached),
        balance=balance(reached),
        sectors=tuple(sectors),
        home_sector_id=level.home_id,
        policy_id=policy.id,
        policy_name=policy.name,
        policy_version=policy.version,
        taxonomy_id=taxonomy.id,
        taxonomy_version=taxonomy.version,
    )


def score_value(
    inputs: ScoringInputs,
    policy: ScoringPolicy,
    taxonomy: Taxonomy,
    home_sector_id: str,
    at: date,
) -> float:
    """Only the score: the same number as score(...).score, without building the explanation."""
    level = _level(inputs, policy, taxonomy, home_sector_id)
    return _score_of(accumulate(inputs, policy, level, at).weights, policy.saturation)


def quarter_ends(at: date, quarters: int) -> list[date]:
    """The last `quarters` quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) on or before `at`."""
    year, quarter = at.year, (at.month - 1) // 3 + 1
    out: list[date] = []
    while len(out) < quarters:
        end = _quarter_end(year, quarter)
        if end <= at:
            out.append(end)
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        if year < date.min.year:
            break
    return list(reversed(out))


def _quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def trend(
    inputs: ScoringInputs,
    policy: ScoringPolicy,
    taxonomy: Taxonomy,
    home_sector_id: str,
    at: date,
    quarters: int = 12,
) -> list[TrendPoint]:
    """The score at each quarter end over the last `quarters` quarters (3 years), oldest first."""
    return [
        TrendPoint(end, score_value(inputs, policy, taxonomy, home_sector_id, end))
        for end in quarter_ends(at, quarters)
    ]


def what_if(
    inputs: ScoringInputs,
    policy: ScoringPolicy,
    taxonomy: Taxonomy,
    home_sector_id: str,
    at: date,
    candidate: Activity,
) -> WhatIf:
    """How much `candidate` adds to the score on `at`.

    A candidate with the id of a logged activity replaces it (editing), so the gain is what the
    activity as edited adds over the portfolio without it. Planned or future candidates add 0,
    as they do in the score; to preview a planned activity as if done, pass it with
    status DONE and an `at` on or after its last day.
    """
    level = _level(inputs, policy, taxonomy, home_sector_id)
    skip = inputs.index_of(candidate.id) if candidate.id is not None else None
    engagement = accumulate(inputs, policy, level, at, skip=skip)
    saturation = policy.saturation
    weights = list(engagement.weights)
    before = _score_of(weights, saturation)
    item, sectors = inputs.activity_input(candidate)
    targets, fraction = level.split(sectors, policy.home_factor)
    value = activity_value(item, policy, at)
    shares: dict[str, float] = {}
    if value > 0 and fraction:
        for target in targets:
            share = value * fraction
            shares[level.sector_ids[target]] = share
            weights[target] = math.fsum([*engagement.parts[target], share])
    after = _score_of(weights, saturation)
    return WhatIf(before, after, after - before, shares)
