"""Properties the breadth score must keep for any portfolio and any valid policy."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.scoring import (
    BreadthResult,
    ScoringPolicy,
    build_inputs,
    policy_from_taxonomy,
    score,
)
from portfolio_app.taxonomy import load_default_taxonomy

TAXONOMY = load_default_taxonomy()
DEFAULT = policy_from_taxonomy(TAXONOMY)
SECTORS = tuple(TAXONOMY.sector_ids())
TOP = tuple(s.id for s in TAXONOMY.children(None))
AT = date(2026, 6, 30)
# One organisation per sector, so organisation i + 1 is in SECTORS[i].
ORGANISATIONS = tuple(Organisation(f"Org {s}", s, id=i + 1) for i, s in enumerate(SECTORS))
ORG_OF = {s: i + 1 for i, s in enumerate(SECTORS)}


def _contacts() -> tuple[Contact, ...]:
    """Six people, some of whom moved sector at some point in the last few years."""
    out = []
    for i in range(6):
        first, second = SECTORS[(3 * i) % len(SECTORS)], SECTORS[(5 * i + 7) % len(SECTORS)]
        moved = AT - timedelta(days=300 * i)
        roles = (
            ContactRole(ORG_OF[first], "Before", None, moved),
            ContactRole(ORG_OF[second], "After", moved + timedelta(days=1), None),
        )
        out.append(Contact(f"Person {i}", roles=roles, id=i + 1))
    return tuple(out)


CONTACTS = _contacts()
PROPERTY_SETTINGS = settings(deadline=None)  # example count: the profile in conftest.py


@st.composite
def activities(
    draw: st.DrawFn,
    sectors: tuple[str, ...] = SECTORS,
    with_contacts: bool = True,
    oldest_days: int = 3650,
) -> Activity:
    start = AT + timedelta(days=draw(st.integers(-oldest_days, 400)))
    length = draw(st.integers(0, 400))
    pool = [ORG_OF[s] for s in sectors]
    return Activity(
        type=draw(st.sampled_from(ActivityType)),
        title=draw(st.sampled_from(["Visit", "Event", "Pair", "Project"])),
        start=start,
        end=start + timedelta(days=length) if length else None,
        organisation_ids=tuple(draw(st.lists(st.sampled_from(pool), max_size=3))),
        extra_sector_ids=tuple(draw(st.lists(st.sampled_from(sectors), max_size=2))),
        contact_ids=tuple(
            draw(st.lists(st.integers(1, len(CONTACTS)), max_size=3)) if with_contacts else ()
        ),
        status=draw(st.sampled_from([Status.DONE, Status.DONE, Status.DONE, Status.PLANNED])),
    )


def numbered(items: list[Activity], first: int = 1) -> list[Activity]:
    return [replace(a, id=first + i) for i, a in enumerate(items)]


policies = st.builds(
    ScoringPolicy,
    weights=st.dictionaries(st.sampled_from(ActivityType), st.floats(0, 20)),
    scale_with_duration=st.frozensets(st.sampled_from(ActivityType)),
    duration_unit=st.sampled_from(["day", "week", "month"]),
    duration_cap=st.floats(1, 50),
    contact_weight=st.floats(0, 2),
    half_life_months=st.floats(0.1, 240),
    saturation=st.floats(0.01, 50),
    home_factor=st.sampled_from([0.0, 0.0, 0.5, 1.0]),
    level=st.sampled_from(["top", 1, 2, 3]),
    reach_threshold=st.floats(0.01, 0.99),
)
homes = st.sampled_from(SECTORS)


def run(items: list[Activity], policy: ScoringPolicy, home: str, at: date = AT) -> BreadthResult:
    return score(build_inputs(items, ORGANISATIONS, CONTACTS), policy, TAXONOMY, home, at)


@PROPERTY_SETTINGS
@given(
    st.lists(activities(), max_size=12),
    activities(),
    policies,
    homes,
    st.integers(-1000, 400),
)
def test_adding_any_activity_never_lowers_the_score(
    base: list[Activity], extra: Activity, policy: ScoringPolicy, home: str, shift: int
) -> None:
    at = AT + timedelta(days=shift)
    before = run(numbered(base), policy, home, at)
    after = run([*numbered(base), replace(extra, id=999)], policy, home, at)
    assert after.score >= before.score
    for old, new in zip(before.sectors, after.sectors, strict=True):
        assert new.engagement >= old.engagement
        assert new.coverage >= old.coverage


@PROPERTY_SETTINGS
@given(st.lists(activities(oldest_days=200), max_size=40), policies, homes)
def test_the_score_stays_between_0_and_100(
    items: list[Activity], policy: ScoringPolicy, home: str
) -> None:
    result = run(numbered(items), policy, home)
    assert 0.0 <= result.score <= 100.0
    assert 0 <= result.sectors_reached <= result.sector_count
    assert 0.0 <= result.balance <= result.sectors_reached + 1e-9
    assert all(0.0 <= s.coverage <= 1.0 for s in result.sectors)


@PROPERTY_SETTINGS
@given(st.lists(activities(), min_size=1, max_size=15), policies, homes, st.randoms())
def test_the_score_does_not_depend_on_the_order_of_entries(
    items: list[Activity], policy: ScoringPolicy, home: str, rnd: random.Random
) -> None:
    entries = numbered(items)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    first, second = run(entries, policy, home), run(shuffled, policy, home)
    assert second.score == first.score  # exactly: every sum is math.fsum
    assert second.balance == first.balance
    assert second.sectors_reached == first.sectors_reached
    for a, b in zip(first.sectors, second.sectors, strict=True):
        assert (a.id, a.engagement, a.coverage) == (b.id, b.engagement, b.coverage)
        assert a.contributions == b.contributions


def _within(top: str) -> tuple[str, ...]:
    return tuple(s for s in SECTORS if TAXONOMY.top_level_of(s) == top)


@st.composite
def moves(draw: st.DrawFn) -> tuple[str, str, str, list[Activity], list[Activity]]:
    """A home, a covered sector A, an empty sector B, work in A (2+ items) and elsewhere."""
    home, covered, empty = draw(st.permutations(TOP))[:3]
    in_covered = draw(
        st.lists(
            activities(_within(covered), with_contacts=False, oldest_days=3650),
            min_size=2,
            max_size=6,
        )
    )
    places = draw(
        st.lists(
            st.sampled_from(_within(covered)), min_size=len(in_covered), max_size=len(in_covered)
        )
    )
    in_covered = [
        replace(a, status=Status.DONE, organisation_ids=(), extra_sector_ids=(place,))
        for a, place in zip(in_covered, places, strict=True)
    ]
    in_covered = [a if a.start <= AT else replace(a, start=AT, end=None) for a in in_covered]
    others = tuple(s for s in SECTORS if TAXONOMY.top_level_of(s) != empty)
    background = draw(st.lists(activities(others, with_contacts=False), max_size=6))
    return home, covered, empty, in_covered, background


@PROPERTY_SETTINGS
@given(moves(), st.data())
def test_moving_weight_from_a_covered_sector_to_an_empty_one_raises_the_score(
    move: tuple[str, str, str, list[Activity], list[Activity]], data: st.DataObject
) -> None:
    home, _covered, empty, in_covered, background = move
    moved = data.draw(st.integers(0, len(in_covered) - 1))
    target = data.draw(st.sampled_from(_within(empty)))
    before = numbered([*in_covered, *background])
    after = list(before)
    after[moved] = replace(before[moved], extra_sector_ids=(target,))
    old, new = run(before, DEFAULT, home), run(after, DEFAULT, home)
    assert old.sector(empty).engagement == 0
    assert new.sector(empty).engagement > 0
    assert new.score > old.score


@PROPERTY_SETTINGS
@given(homes, st.data())
def test_home_sector_only_work_scores_0_with_the_default_policy(
    home: str, data: st.DataObject
) -> None:
    own = _within(TAXONOMY.top_level_of(home))
    items = data.draw(st.lists(activities(own, with_contacts=False), max_size=10))
    # A contact whose only role is at home, to show contacts follow the same rule.
    colleague = Contact("Colleague", roles=(ContactRole(ORG_OF[own[-1]]),), id=1)
    items = [replace(a, contact_ids=(1,)) for a in items]
    inputs = build_inputs(numbered(items), ORGANISATIONS, [colleague])
    result = score(inputs, DEFAULT, TAXONOMY, home, AT)
    assert result.score == 0
    assert result.sectors_reached == 0
    assert result.balance == 0
    assert all(s.engagement == 0 for s in result.sectors)


@PROPERTY_SETTINGS
@given(
    st.lists(activities(), max_size=10),
    activities(),
    st.booleans(),
    policies,
    homes,
)
def test_future_and_planned_activities_add_nothing(
    base: list[Activity], extra: Activity, planned: bool, policy: ScoringPolicy, home: str
) -> None:
    if planned:
        extra = replace(extra, status=Status.PLANNED)
    elif extra.start <= AT:
        extra = replace(extra, start=AT + timedelta(days=1), end=None, status=Status.DONE)
    before = run(numbered(base), policy, home)
    after = run([*numbered(base), replace(extra, id=999)], policy, home)
    assert after.score == before.score
    assert [s.engagement for s in after.sectors] == [s.engagement for s in before.sectors]
    assert all(c.activity_id != 999 for s in after.sectors for c in s.contributions)
