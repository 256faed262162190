"""Engagement: what each activity gives to each sector it touches, on an evaluation date.

engagement(activity, sector) = depth(type, duration, contacts) × recency(age) × split
- depth: the type's weight (per duration unit, at least one and at most `duration_cap`, for
  the types that scale with duration), plus `contact_weight` per distinct contact met;
- recency: 2^(−age / half-life), the age counted from the activity's last day (zero for work
  still going on, whose duration counts up to the evaluation date); work that starts after the
  evaluation date, and planned work, count nothing;
- split: 1 / (number of sectors touched other than home), after rolling sectors up to the
  policy's level; work touching only the home sector gives `home_factor` of its value to home.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat

from portfolio_app.domain.enums import ActivityType
from portfolio_app.scoring.inputs import ACTIVITY_TYPES, ActivityInput, ScoringInputs
from portfolio_app.scoring.policy import ScoringPolicy
from portfolio_app.taxonomy import Taxonomy

MONTH_DAYS = 365.25 / 12
Split = tuple[tuple[int, ...], float]  # (positions of the sectors credited, fraction each gets)
_NO_SPLIT: Split = ((), 0.0)
_CACHE_LIMIT = 16


def decay_per_day(half_life_months: float) -> float:
    return math.log(2.0) / (half_life_months * MONTH_DAYS)


def recency(age_days: float, half_life_months: float) -> float:
    """2^(−age / half-life), the age in months (of 365.25/12 days); the future counts nothing."""
    if age_days < 0:
        return 0.0
    # The same expression as activity_values() uses, so both give the same bits.
    return math.exp(decay_per_day(half_life_months) * -age_days)


def depth(
    policy: ScoringPolicy, activity_type: ActivityType, days: int, contacts: int = 0
) -> float:
    """How much one activity is worth before recency and the split across sectors.

    `days` is its length (so far), counting both ends. A type that scales with duration counts
    per unit (at least one, at most `duration_cap`); other types count once.
    """
    weight = policy.weight(activity_type)
    if activity_type in policy.scale_with_duration:
        weight *= min(max(days / policy.unit_days, 1.0), policy.duration_cap)
    return weight + policy.contact_weight * contacts


def activity_value(item: ActivityInput, policy: ScoringPolicy, at: date) -> float:
    """depth × recency of one activity on `at`, before the split (0 if planned or future)."""
    day = at.toordinal()
    if not item.done or item.start > day:
        return 0.0
    last = min(item.last, day)
    value = depth(policy, item.type, last - item.start + 1, item.contacts)
    return value * recency(day - last, policy.half_life_months)


@dataclass(frozen=True)
class SectorLevel:
    """The sectors compared (in taxonomy order) and how any sector id rolls up to one of them."""

    sector_ids: tuple[str, ...]  # the N sectors counted (home left out unless it is credited)
    home_id: str | None  # the home sector at this level
    roll_up: dict[str, str]  # any known or retired sector id -> its sector at this level
    home_credited: bool  # whether home-only work counts (policy.home_factor > 0)
    positions: dict[str, int]  # counted sector id -> its index in sector_ids

    def split(self, sectors: Sequence[str], home_factor: float) -> Split:
        """Which counted sectors an activity touching `sectors` credits, and each one's share."""
        touched = {self.roll_up[s] for s in sectors if s in self.roll_up}
        away = touched - {self.home_id}
        if away:
            return tuple(sorted(self.positions[s] for s in away)), 1.0 / len(away)
        if touched and self.home_credited and self.home_id in self.positions:
            return (self.positions[self.home_id],), home_factor
        return _NO_SPLIT


def sector_level(
    taxonomy: Taxonomy, level: int, home_sector_id: str, home_credited: bool = False
) -> SectorLevel:
    """Compare sectors at hierarchy depth `level` (1 = top-level); deeper sectors roll up.

    A sector shallower than `level` counts as itself, so every sector belongs to exactly one
    compared sector and N does not depend on what has been logged (which keeps the score
    monotone). Retired sector ids count as the sector that replaced them; unknown ids count
    nowhere.
    """
    roll_up: dict[str, str] = {}
    ordered: dict[str, None] = {}  # the compared sectors, in display order
    for sector in taxonomy.ordered():
        chain = taxonomy.ancestry(sector.id)
        unit = chain[min(level, len(chain)) - 1].id
        roll_up[sector.id] = unit
        ordered.setdefault(unit)
    retired = {r.id: r.replaced_by for r in taxonomy.retired}
    for old in retired:
        target: str | None = old
        seen: set[str] = set()
        while target is not None and target in retired and target not in seen:
            seen.add(target)
            target = retired[target]
        if target is not None and target in roll_up:
            roll_up[old] = roll_up[target]
    home = roll_up.get(home_sector_id)
    counted = tuple(s for s in ordered if s != home or home_credited)
    return SectorLevel(
        counted,
        home,
        roll_up,
        home_credited and home is not None,
        {s: i for i, s in enumerate(counted)},
    )


def cached_level(
    inputs: ScoringInputs, taxonomy: Taxonomy, level: int, home_sector_id: str, credited: bool
) -> SectorLevel:
    """sector_level(), kept with the inputs so repeated scores (trend, what-if) reuse it."""
    key = ("level", id(taxonomy), level, home_sector_id, credited)
    cached = inputs.cache.get(key)
    if cached is not None and cached[0] is taxonomy:
        known: SectorLevel = cached[1]
        return known
    result = sector_level(taxonomy, level, home_sector_id, credited)
    _remember(inputs, key, (taxonomy, result))
    return result


@dataclass(frozen=True)
class Plan:
    """How the signatures of some inputs are credited at one level (worked out once)."""

    splits: tuple[Split, ...]  # per signature
    active: tuple[tuple[int, int, tuple[int, ...], float], ...]  # (low, high, targets, fraction)
    by_sector: tuple[tuple[int, ...], ...]  # per counted sector: the signatures crediting it


def plan(inputs: ScoringInputs, level: SectorLevel, home_factor: float) -> Plan:
    key = ("plan", id(level), home_factor)
    cached = inputs.cache.get(key)
    if cached is not None and cached[0] is level:
        result: Plan = cached[1]
        return result
    # Many signatures roll up to the same sectors: split each distinct roll-up once. A roll-up
    # is keyed by a bit mask of the sectors it reaches (ints are cheap to build and hash).
    units = {unit: 1 << i for i, unit in enumerate(dict.fromkeys(level.roll_up.values()))}
    bits = {sector: units[unit] for sector, unit in level.roll_up.items()}
    known: dict[int, Split] = {}
    splits_list: list[Split] = []
    for sectors in inputs.signatures:
        mask = 0
        for sector in sectors:
            mask |= bits.get(sector, 0)
        split = known.get(mask)
        if split is None:
            split = known[mask] = level.split(sectors, home_factor)
        splits_list.append(split)
    splits = tuple(splits_list)
    by_sector: list[list[int]] = [[] for _ in level.sector_ids]
    active = []
    for signature, (targets, fraction) in enumerate(splits):
        if targets and fraction > 0:
            low, high = inputs.bounds[signature]
            active.append((low, high, targets, fraction))
            for target in targets:
                by_sector[target].append(signature)
    result = Plan(splits, tuple(active), tuple(tuple(s) for s in by_sector))
    _remember(inputs, key, (level, result))
    return result


def _depths(inputs: ScoringInputs, policy: ScoringPolicy) -> list[float]:
    """Each activity's depth once it has ended (0 when planned), worked out once per policy."""
    key = ("depths", id(policy))
    cached = inputs.cache.get(key)
    if cached is not None and cached[0] is policy:
        known: list[float] = cached[1]
        return known
    weights = [policy.weight(t) for t in ACTIVITY_TYPES]
    per_contact = policy.contact_weight
    depths = [
        weights[k] + per_contact * c for k, c in zip(inputs.kinds, inputs.contacts, strict=True)
    ]
    starts, lasts, contacts = inputs.starts, inputs.lasts, inputs.contacts
    unit_days, cap = policy.unit_days, policy.duration_cap
    for kind, activity_type in enumerate(ACTIVITY_TYPES):
        if activity_type in policy.scale_with_duration:
            weight = weights[kind]
            for i in inputs.by_kind[kind]:  # as depth() does, inline: there may be many
                units = min(max((lasts[i] - starts[i] + 1) / unit_days, 1.0), cap)
                depths[i] = weight * units + per_contact * contacts[i]
    for index in inputs.planned:
        depths[index] = 0.0
    _remember(inputs, key, (policy, depths))
    return depths


def _remember(inputs: ScoringInputs, key: object, value: object) -> None:
    """Keep work derived from a policy, taxonomy or level with the inputs it was done for.

    Keys hold ids, and values hold the object itself: an entry is used only if it is still
    the same object (policies and taxonomies are immutable but need not be hashable).
    """
    if len(inputs.cache) >= _CACHE_LIMIT:
        inputs.cache.clear()
    inputs.cache[key] = value


def activity_values(
    inputs: ScoringInputs, policy: ScoringPolicy, at: date, skip: int | None = None
) -> list[float]:
    """depth × recency of every activity on `at` (the hot loop: a list comprehension).

    Equal, bit for bit, to activity_value() of each. `skip` zeroes one activity (by index).
    """
    day = at.toordinal()
    depths = _depths(inputs, policy)
    decay, exp = decay_per_day(policy.half_life_months), math.exp
    values = [
        d * exp(decay * (last - day)) if last <= day else 0.0
        for d, last in zip(depths, inputs.lasts, strict=True)
    ]
    items = inputs.activities
    for index in inputs.multi_day:  # work going on at `at`: its length so far, age 0
        item = items[index]
        if item.start <= day < item.last and depths[index] > 0:
            values[index] = activity_value(item, policy, at)
    if skip is not None:
        values[skip] = 0.0
    return values


@dataclass(frozen=True)
class Engagement:
    """Engagement w_s of each counted sector on one date, and what it was made of."""

    weights: list[float]  # w_s per counted sector (math.fsum: independent of order)
    parts: list[list[float]]  # per counted sector: one part per signature crediting it
    values: list[float]  # per activity: depth × recency (before the split)
    plan: Plan


def accumulate(
    inputs: ScoringInputs,
    policy: ScoringPolicy,
    level: SectorLevel,
    at: date,
    *,
    skip: int | None = None,
) -> Engagement:
    """Credit every activity to its sectors on `at`."""
    values = activity_values(inputs, policy, at, skip)
    credit = plan(inputs, level, policy.home_factor)
    fsum = math.fsum
    parts: list[list[float]] = [[] for _ in level.sector_ids]
    for low, high, targets, fraction in credit.active:
        total = fsum(values[low:high])
        if total > 0:
            share = total * fraction
            for target in targets:
                parts[target].append(share)
    return Engagement([fsum(p) for p in parts], parts, values, credit)


def contribution_count(engagement: Engagement, inputs: ScoringInputs, position: int) -> int:
    """len(contributions(...)[0]): the activities above 0 among those crediting the sector
    (a count per slice in C, nothing sorted)."""
    values, bounds = engagement.values, inputs.bounds
    count = 0
    for signature in engagement.plan.by_sector[position]:
        low, high = bounds[signature]
        part = values[low:high]
        count += len(part) - part.count(0.0)  # values are >= 0: what `compress` leaves out
    return count


def contributions(
    engagement: Engagement, inputs: ScoringInputs, position: int
) -> tuple[list[int], list[float]]:
    """Every activity crediting one counted sector, largest first: (indices, amounts).

    Ties keep a fixed order (see ScoringInputs), so it does not depend on the order of entry.
    """
    values, splits, bounds = engagement.values, engagement.plan.splits, inputs.bounds
    every: list[int] = []
    fractions: list[float] = []
    for signature in engagement.plan.by_sector[position]:
        low, high = bounds[signature]
        every.extend(range(low, high))
        fractions.extend(repeat(splits[signature][1], high - low))
    gave = list(map(values.__getitem__, every))
    kept = list(compress(range(len(every)), gave))  # values are >= 0: keep those above 0
    indices = [every[k] for k in kept]
    amounts = [gave[k] * fractions[k] for k in kept]
    # Stable: equal amounts stay in layout order (by signature, then id), not order of entry.
    order = sorted(range(len(indices)), key=amounts.__getitem__, reverse=True)
    return [indices[k] for k in order], [amounts[k] for k in order]
