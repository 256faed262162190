"""Unit tests of the measure's parts: recency, depth, the split, levels, home and contacts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.scoring import (
    DEFAULT_POLICY,
    ScoringPolicy,
    build_inputs,
    load_inputs,
    quarter_ends,
    score,
    score_value,
    trend,
    what_if,
)
from portfolio_app.scoring.engagement import MONTH_DAYS, depth, recency, sector_level
from portfolio_app.services import AppServices
from portfolio_app.taxonomy import load_default_taxonomy
from portfolio_app.taxonomy.model import RetiredSector

TAXONOMY = load_default_taxonomy()
AT = date(2026, 6, 30)
HOME = "adult-social-care"
SECTORS = tuple(TAXONOMY.sector_ids())
ORGANISATIONS = tuple(Organisation(f"Org {s}", s, id=i + 1) for i, s in enumerate(SECTORS))
ORG = {s: i + 1 for i, s in enumerate(SECTORS)}


def one(
    kind: ActivityType = ActivityType.MENTORING_GIVEN,
    *sectors: str,
    start: date = AT,
    end: date | None = None,
    ident: int = 1,
    **changes: Any,
) -> Activity:
    activity = Activity(kind, f"Activity {ident}", start, end, extra_sector_ids=sectors, id=ident)
    return replace(activity, **changes)


def scored(
    items: list[Activity], policy: ScoringPolicy = DEFAULT_POLICY, at: date = AT
) -> dict[str, float]:
    result = score(build_inputs(items, ORGANISATIONS, ()), policy, TAXONOMY, HOME, at)
    return {s.id: s.engagement for s in result.sectors if s.engagement}


# --- recency -------------------------------------------------------------------------------


def test_recency_halves_every_half_life() -> None:
    assert recency(0, 24) == 1.0
    assert recency(24 * MONTH_DAYS, 24) == pytest.approx(0.5)
    assert recency(48 * MONTH_DAYS, 24) == pytest.approx(0.25)
    assert recency(365.25, 12) == pytest.approx(0.5)
    assert recency(-1, 24) == 0.0


def test_old_work_fades_in_the_score_by_the_half_life() -> None:
    old = one(ActivityType.MENTORING_GIVEN, "police", start=AT - timedelta(days=round(730.5)))
    assert scored([old])["police"] == pytest.approx(0.5, abs=1e-3)
    assert scored([old], ScoringPolicy(half_life_months=12))["police"] == pytest.approx(
        0.25, abs=1e-3
    )


# --- depth and duration --------------------------------------------------------------------


def test_a_secondment_counts_per_month_up_to_the_cap() -> None:
    policy = DEFAULT_POLICY
    month = MONTH_DAYS
    assert depth(policy, ActivityType.SECONDMENT, round(3 * month)) == pytest.approx(3.0, abs=0.02)
    assert depth(policy, ActivityType.SECONDMENT, 365) == 6.0  # capped
    assert depth(policy, ActivityType.SECONDMENT, 5000) == 6.0
    assert depth(policy, ActivityType.SECONDMENT, 7) == 1.0  # at least one unit
    assert depth(ScoringPolicy(duration_cap=12), ActivityType.SECONDMENT, 365) == pytest.approx(
        365 / month
    )
    weekly = ScoringPolicy(duration_unit="week", duration_cap=4)
    assert depth(weekly, ActivityType.SECONDMENT, 14) == 2.0


def test_other_types_count_once_whatever_their_length() -> None:
    assert depth(DEFAULT_POLICY, ActivityType.PEER_EVENT, 365) == 0.5
    assert depth(DEFAULT_POLICY, ActivityType.SHADOWING, 1) == 0.75


def test_each_distinct_contact_adds_the_contact_weight() -> None:
    assert depth(DEFAULT_POLICY, ActivityType.PEER_EVENT, 1, contacts=3) == pytest.approx(0.8)
    contact = Contact("Ann", roles=(ContactRole(ORG["police"]),), id=7)
    twice = one(ActivityType.PEER_EVENT, contact_ids=(7, 7))
    inputs = build_inputs([twice], ORGANISATIONS, [contact])
    assert inputs.activities[0].contacts == 1
    result = score(inputs, DEFAULT_POLICY, TAXONOMY, HOME, AT)
    assert result.sector("police").engagement == pytest.approx(0.6)


def test_the_duration_cap_applies_in_the_score() -> None:
    year = one(ActivityType.SECONDMENT, "police", start=AT - timedelta(days=364), end=AT)
    assert scored([year])["police"] == 6.0
    short = one(ActivityType.SECONDMENT, "police", start=AT - timedelta(days=60), end=AT)
    assert scored([short])["police"] == pytest.approx(61 / MONTH_DAYS)


def test_work_going_on_counts_its_length_so_far_and_is_not_aged() -> None:
    started = AT - timedelta(days=60)
    ongoing = one(ActivityType.SECONDMENT, "police", start=started, end=AT + timedelta(days=300))
    assert scored([ongoing])["police"] == pytest.approx(61 / MONTH_DAYS)
    assert scored([ongoing], at=AT + timedelta(days=400))["police"] == pytest.approx(
        6.0 * recency(100, 24)
    )


def test_planned_and_future_work_count_nothing() -> None:
    planned = one(ActivityType.SECONDMENT, "police", start=AT - timedelta(days=30))
    planned = replace(planned, status=Status.PLANNED)
    future = one(ActivityType.SECONDMENT, "police", start=AT + timedelta(days=1), ident=2)
    assert scored([planned, future]) == {}
    assert scored([future], at=AT + timedelta(days=1)) == {"police": 1.0}


# --- the split and home ---------------------------------------------------------------------


def test_value_is_split_evenly_across_sectors_other_than_home() -> None:
    event = one(ActivityType.PEER_EVENT, "police", "education", "local-government", "nhs")
    assert scored([event]) == pytest.approx(
        {"police": 0.5 / 3, "education": 0.5 / 3, "nhs": 0.5 / 3}
    )


def test_home_only_work_counts_home_factor_of_its_depth() -> None:
    own = one(ActivityType.SHADOWING, "childrens-services")  # Local government, like home
    assert scored([own]) == {}
    result = score(
        build_inputs([own], ORGANISATIONS, ()),
        ScoringPolicy(home_factor=0.5),
        TAXONOMY,
        HOME,
        AT,
    )
    assert result.sector_count == 11  # home joins the sectors compared
    assert result.sector("local-government").engagement == pytest.approx(0.375)
    assert result.score == pytest.approx(100 * (1 - 2.718281828459045**-0.375) / 11)
    mixed = one(ActivityType.SHADOWING, "childrens-services", "police", ident=2)
    result = score(
        build_inputs([mixed], ORGANISATIONS, ()), ScoringPolicy(home_factor=0.5), TAXONOMY, HOME, AT
    )
    assert result.sector("local-government").engagement == 0  # mixed work: none to home
    assert result.sector("police").engagement == 0.75


# --- levels ----------------------------------------------------------------------------------


def test_sub_sectors_roll_up_to_top_level_sectors_by_default() -> None:
    both = one(ActivityType.MENTORING_GIVEN, "acute-trusts", "integrated-care-boards")
    assert scored([both]) == {"nhs": 1.0}  # one sector, not two halves
    result = score(build_inputs([both], ORGANISATIONS, ()), DEFAULT_POLICY, TAXONOMY, HOME, AT)
    assert result.sector_count == len(TAXONOMY.children(None)) - 1
    assert [s.id for s in result.sectors] == [
        s.id for s in TAXONOMY.children(None) if s.id != "local-government"
    ]


def test_at_level_2_sub_sectors_are_compared_separately() -> None:
    both = one(ActivityType.MENTORING_GIVEN, "acute-trusts", "integrated-care-boards")
    level2 = ScoringPolicy(level=2)
    assert scored([both], level2) == {"acute-trusts": 0.5, "integrated-care-boards": 0.5}
    level = sector_level(TAXONOMY, 2, HOME)
    assert level.home_id == HOME
    assert len(level.sector_ids) == len(SECTORS) - 1  # every sector down to depth 2, less home
    # Other Local government teams are other sectors at this level.
    assert scored([one(ActivityType.SHADOWING, "childrens-services")], level2) == {
        "childrens-services": 0.75
    }


def test_retired_sectors_count_as_their_replacement_and_unknown_ones_nowhere() -> None:
    retired = (
        RetiredSector("constabulary", "police"),
        RetiredSector("old-old", "constabulary"),
        RetiredSector("gone", None),
    )
    taxonomy = replace(TAXONOMY, retired=retired)
    items = [
        one(ActivityType.MENTORING_GIVEN, "old-old"),
        one(ActivityType.MENTORING_GIVEN, "gone", ident=2),
        one(ActivityType.MENTORING_GIVEN, "no-such-sector", ident=3),
    ]
    result = score(build_inputs(items, ORGANISATIONS, ()), DEFAULT_POLICY, taxonomy, HOME, AT)
    assert {s.id: s.engagement for s in result.sectors if s.engagement} == {"police": 1.0}


# --- contacts at the activity's date (real database) -----------------------------------------


def test_a_contact_counts_in_the_sector_they_were_in_on_the_activity_date(
    with_profile: AppServices,
) -> None:
    services = with_profile
    acute = services.organisations.create(Organisation("St Elsewhere Hospital", "acute-trusts"))
    icb = services.organisations.create(Organisation("Northshire ICB", "integrated-care-boards"))
    assert acute.id and icb.id
    moved = date(2025, 1, 1)
    priya = services.contacts.create(
        Contact(
            "Priya Shah",
            roles=(
                ContactRole(acute.id, "Discharge lead", None, moved - timedelta(days=1)),
                ContactRole(icb.id, "Commissioner", moved, None),
            ),
        )
    )
    nobody = services.contacts.create(Contact("Between jobs", roles=()))
    assert priya.id and nobody.id
    add = services.activities.create
    before = add(
        Activity(
            ActivityType.MENTORING_GIVEN,
            "Before",
            moved - timedelta(days=1),
            contact_ids=(priya.id,),
        )
    )
    after = add(Activity(ActivityType.SHADOWING, "After", moved, contact_ids=(priya.id,)))
    add(Activity(ActivityType.PEER_EVENT, "Roleless", moved, contact_ids=(nobody.id,)))
    inputs = load_inputs(services)
    result = score(inputs, ScoringPolicy(level=2), services.taxonomy, HOME, AT)
    assert [c.activity_id for c in result.sector("acute-trusts").contributions] == [before.id]
    assert [c.activity_id for c in result.sector("integrated-care-boards").contributions] == [
        after.id
    ]
    # Both are NHS at the top level; the contact without a role that day places nothing.
    top = score(inputs, DEFAULT_POLICY, services.taxonomy, HOME, AT)
    assert {c.activity_id for c in top.sector("nhs").contributions} == {before.id, after.id}
    assert top.sector("nhs").engagement == pytest.approx(
        (1.1 * recency((AT - moved).days + 1, 24)) + 0.85 * recency((AT - moved).days, 24)
    )


# --- explanation, trend and what-if ----------------------------------------------------------


def test_contributions_are_listed_largest_first() -> None:
    items = [
        one(ActivityType.PEER_EVENT, "police", ident=1),
        one(ActivityType.SECONDMENT, "police", start=AT - timedelta(days=90), end=AT, ident=2),
        one(ActivityType.MENTORING_GIVEN, "police", ident=3),
        one(ActivityType.PEER_EVENT, "police", "education", ident=4),
    ]
    result = score(build_inputs(items, ORGANISATIONS, ()), DEFAULT_POLICY, TAXONOMY, HOME, AT)
    police = result.sector("police").contributions
    assert [c.activity_id for c in police] == [2, 3, 1, 4]
    assert [c.amount for c in police] == sorted((c.amount for c in police), reverse=True)
    assert sum(c.amount for c in police) == pytest.approx(result.sector("police").engagement)
    assert result.sector("education").contributions[0].amount == 0.25


def test_gaps_are_the_sectors_not_reached_least_engaged_first() -> None:
    items = [
        one(ActivityType.MENTORING_GIVEN, "police", ident=1),
        one(ActivityType.TRAINING, "education", start=AT - timedelta(days=2000), ident=2),
    ]
    result = score(build_inputs(items, ORGANISATIONS, ()), DEFAULT_POLICY, TAXONOMY, HOME, AT)
    gaps = result.gaps()
    assert "police" not in {s.id for s in gaps}
    assert gaps[-1].id == "education"  # a little engagement, not enough to count as reached
    assert len(gaps) == result.sector_count - result.sectors_reached


def test_quarter_ends() -> None:
    assert quarter_ends(date(2026, 5, 10), 4) == [
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
        date(2026, 3, 31),
    ]
    assert quarter_ends(date(2026, 3, 31), 2) == [date(2025, 12, 31), date(2026, 3, 31)]
    assert len(quarter_ends(AT, 12)) == 12


def test_trend_is_the_score_at_each_quarter_end() -> None:
    items = [one(ActivityType.MENTORING_GIVEN, "police", start=date(2025, 2, 1))]
    inputs = build_inputs(items, ORGANISATIONS, ())
    points = trend(inputs, DEFAULT_POLICY, TAXONOMY, HOME, AT)
    assert [p.at for p in points] == quarter_ends(AT, 12)
    for point in points:
        assert point.score == score(inputs, DEFAULT_POLICY, TAXONOMY, HOME, point.at).score
    assert [p.score for p in points if p.at < date(2025, 2, 1)] == [0.0] * 6


def test_what_if_gives_the_gain_of_a_new_or_edited_activity() -> None:
    items = [
        one(ActivityType.MENTORING_GIVEN, "police", ident=1),
        one(ActivityType.PEER_EVENT, "education", ident=2),
    ]
    inputs = build_inputs(items, ORGANISATIONS, ())
    policy = DEFAULT_POLICY
    new = one(ActivityType.SHADOWING, "justice", ident=0)
    new = replace(new, id=None)
    gain = what_if(inputs, policy, TAXONOMY, HOME, AT, new)
    with_new = score_value(
        build_inputs([*items, new], ORGANISATIONS, ()), policy, TAXONOMY, HOME, AT
    )
    assert gain.before == score_value(inputs, policy, TAXONOMY, HOME, AT)
    assert gain.after == pytest.approx(with_new)
    assert gain.gain == pytest.approx(with_new - gain.before)
    assert gain.shares == {"justice": 0.75}
    # Editing activity 2: the gain is what it adds, as edited, over the log without it.
    edited = replace(items[1], extra_sector_ids=("fire-rescue",))
    gain = what_if(inputs, policy, TAXONOMY, HOME, AT, edited)
    without = score_value(build_inputs(items[:1], ORGANISATIONS, ()), policy, TAXONOMY, HOME, AT)
    assert gain.before == pytest.approx(without)
    assert gain.after == pytest.approx(
        score_value(build_inputs([items[0], edited], ORGANISATIONS, ()), policy, TAXONOMY, HOME, AT)
    )
    # Planned, future or home-only work adds nothing now.
    for idle in (
        replace(new, status=Status.PLANNED),
        replace(new, start=AT + timedelta(days=5)),
        replace(new, extra_sector_ids=("public-health",)),
    ):
        assert what_if(inputs, policy, TAXONOMY, HOME, AT, idle).gain == 0


def test_contributions_read_like_a_list_of_tuples() -> None:
    items = [
        one(ActivityType.MENTORING_GIVEN, "police", ident=1),
        one(ActivityType.PEER_EVENT, "police", ident=2),
        one(ActivityType.TRAINING, "police", ident=3),
    ]
    result = score(build_inputs(items, ORGANISATIONS, ()), DEFAULT_POLICY, TAXONOMY, HOME, AT)
    police = result.sector("police").contributions
    assert len(police) == 3
    assert police[0] == (1, "Activity 1", 1.0)
    assert police[-1].activity_id == 3 and police[-1].amount == 0.25
    assert list(police[1:]) == [(2, "Activity 2", 0.5), (3, "Activity 3", 0.25)]
    assert police == [tuple(c) for c in police]
    assert police != police[:2]
    assert "in all" not in repr(police[:2]) and "Activity 1" in repr(police)
    assert result.sector("education").contributions == ()
