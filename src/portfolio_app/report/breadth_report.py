"""The breadth report: the score and everything shown around it, from one set of inputs.

Every view reads this object: the dashboard, the activity dialog's preview (the same inputs
with one activity added or changed), `portfolio-app score` and the PDF. None of them scores
anything itself, so their numbers cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from portfolio_app.domain.records import Activity, Goal
from portfolio_app.report.goal_progress import GoalProgress, goal_progress
from portfolio_app.report.inputs import ReportInputs
from portfolio_app.scoring import (
    BreadthResult,
    SectorResult,
    TrendPoint,
    WhatIf,
    quarter_ends,
    score,
    score_value,
    what_if,
)
from portfolio_app.scoring.engagement import SectorLevel, cached_level
from portfolio_app.scoring.suggestions import Suggestion, gaps, suggestions_for

TREND_QUARTERS = 12  # three years of quarter ends before the report's date


@dataclass(frozen=True)
class Gap:
    """A sector with no or little coverage, and concrete steps towards it."""

    sector: SectorResult
    suggestions: tuple[Suggestion, ...]


def trend_days(as_of: date, quarters: int = TREND_QUARTERS) -> tuple[date, ...]:
    """The last `quarters` quarter ends before `as_of`, then `as_of` itself: the trend ends on
    the report's date, so its last point is the headline score."""
    ends = [d for d in quarter_ends(as_of, quarters + 1) if d < as_of][-quarters:]
    return (*ends, as_of)


@dataclass(frozen=True)
class BreadthReport:
    source: ReportInputs
    as_of: date
    result: BreadthResult  # the score, balance and per-sector engagement and coverage
    gaps: tuple[Gap, ...]  # least covered first
    goals: tuple[GoalProgress, ...]  # in the order of source.goals
    trend_days: tuple[date, ...]  # oldest first; the last is as_of

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def balance(self) -> float:
        return self.result.balance

    @property
    def sectors(self) -> tuple[SectorResult, ...]:
        return self.result.sectors

    def most_engaged(self) -> SectorResult | None:
        """The sector with the most engagement (the first in taxonomy order on a tie), or None
        when nothing counts yet: the detail panel opens on it, as it has the most to show."""
        best = max(self.sectors, key=lambda s: s.engagement, default=None)
        return best if best is not None and best.engagement > 0 else None

    def goal(self, goal_id: int) -> GoalProgress:
        for item in self.goals:
            if item.goal.id == goal_id:
                return item
        raise KeyError(goal_id)

    def progress_of(self, goal: Goal) -> GoalProgress:
        """`goal`'s progress in this report (worked out by the same rule if it is not one of
        the report's goals)."""
        for item in self.goals:
            if item.goal == goal:
                return item
        s = self.source
        return goal_progress(goal, self.result, s.taxonomy, s.policy, _level(s))

    def score_on(self, day: date) -> float:
        """The score of the same inputs on another day (the PDF's previous period)."""
        if day == self.as_of:
            return self.score
        s = self.source
        return score_value(s.inputs, s.policy, s.taxonomy, s.home_sector_id, day)

    def on(self, day: date) -> BreadthReport:
        """The report of the same inputs on another day (goals as they stood at a review)."""
        return build_report(self.source, as_of=day, trend=())

    def trend(self, stop: Callable[[], bool] | None = None) -> list[TrendPoint] | None:
        """The score on each of `trend_days`; None if `stop()` said to give up.

        Safe to run in a worker thread: it scores a copy of the inputs (they keep a cache the
        UI thread also writes to). The last point is the headline score itself.
        """
        s = self.source
        own = dataclasses.replace(s.inputs)
        points: list[TrendPoint] = []
        for day in self.trend_days:
            if stop is not None and stop():
                return None
            value = (
                self.score
                if day == self.as_of
                else score_value(own, s.policy, s.taxonomy, s.home_sector_id, day)
            )
            points.append(TrendPoint(day, value))
        return points

    def what_if(self, candidate: Activity, at: date | None = None) -> WhatIf:
        """What `candidate` adds on `at` (default: the report's date) to the same inputs; an
        activity with the id of a logged one replaces it (see scoring.what_if)."""
        s = self.source
        return what_if(
            s.inputs, s.policy, s.taxonomy, s.home_sector_id, at or self.as_of, candidate
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (what `portfolio-app score --json` prints)."""
        data = self.result.to_dict()
        data["gaps"] = [
            {
                "sector": gap.sector.id,
                "coverage": round(gap.sector.coverage, 4),
                "suggestions": [s.title for s in gap.suggestions],
            }
            for gap in self.gaps
        ]
        data["goals"] = [
            {
                "id": item.goal.id,
                "title": item.goal.title,
                "progress": None if item.progress is None else round(item.progress, 4),
            }
            for item in self.goals
        ]
        return data


def _level(source: ReportInputs) -> SectorLevel:
    policy = source.policy
    return cached_level(
        source.inputs,
        source.taxonomy,
        policy.depth_level,
        source.home_sector_id,
        policy.home_factor > 0,
    )


def build_report(
    source: ReportInputs, *, as_of: date, trend: Iterable[date] | None = None
) -> BreadthReport:
    """The report on `as_of`. `trend` names the days the trend shows (default: the quarter
    ends of the last three years); days after `as_of` are dropped and `as_of` always ends it."""
    taxonomy, policy = source.taxonomy, source.policy
    result = score(source.inputs, policy, taxonomy, source.home_sector_id, as_of)
    level = _level(source)
    days: Sequence[date] = (
        trend_days(as_of) if trend is None else (*sorted({d for d in trend if d < as_of}), as_of)
    )
    return BreadthReport(
        source=source,
        as_of=as_of,
        result=result,
        gaps=tuple(Gap(s, suggestions_for(s.id, taxonomy)) for s in gaps(result)),
        goals=tuple(goal_progress(g, result, taxonomy, policy, level) for g in source.goals),
        trend_days=tuple(days),
    )
