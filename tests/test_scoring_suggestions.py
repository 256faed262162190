"""Suggestions for the gaps of the breadth score, and the planned activity "Plan one" makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity
from portfolio_app.scoring import build_inputs, policy_from_taxonomy, score
from portfolio_app.scoring.suggestions import (
    SUGGESTIONS,
    gaps,
    month_ahead,
    planned_activity,
    suggestions_for,
)
from portfolio_app.taxonomy import Taxonomy, load_default_taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_default_taxonomy()


def test_every_shipped_sector_has_one_or_two_written_suggestions(taxonomy: Taxonomy) -> None:
    for sector in taxonomy.ordered():
        written = SUGGESTIONS.get(sector.id)
        assert written, f"no suggestions written for {sector.id}"
        assert 1 <= len(written) <= 2
        assert suggestions_for(sector.id, taxonomy) == written
    assert set(SUGGESTIONS) <= set(taxonomy.sector_ids())  # no stale keys


def test_suggestions_are_concrete_and_varied(taxonomy: Taxonomy) -> None:
    police = suggestions_for("police", taxonomy)
    assert police[0].title == "Shadow a police safeguarding team for a day"
    assert police[0].type is ActivityType.SHADOWING
    kinds = {s.type for written in SUGGESTIONS.values() for s in written}
    # the research's four: secondment, mentoring, shadowing and joint events or projects
    assert {ActivityType.SECONDMENT, ActivityType.SHADOWING, ActivityType.PEER_EVENT} <= kinds
    assert kinds & {ActivityType.MENTORING_GIVEN, ActivityType.MENTORING_RECEIVED}


def test_an_unknown_sector_gets_suggestions_from_its_label(taxonomy: Taxonomy) -> None:
    made_up = suggestions_for("lighthouse-keepers", taxonomy)
    assert [s.title for s in made_up] == [
        "Shadow a colleague in lighthouse-keepers for a day",
        "Set up a mentoring pair with someone in lighthouse-keepers",
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 30), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
    ],
)
def test_month_ahead(day: date, expected: date) -> None:
    assert month_ahead(day) == expected


def test_a_planned_suggestion_does_not_change_the_score(taxonomy: Taxonomy) -> None:
    policy = policy_from_taxonomy(taxonomy)
    today = date(2026, 11, 1)
    done = Activity(
        ActivityType.MENTORING_RECEIVED, "Mentor", date(2026, 6, 1), id=1, extra_sector_ids=("nhs",)
    )
    before = score(build_inputs([done], [], []), policy, taxonomy, "adult-social-care", today)
    [first_gap, *_] = gaps(before)
    assert first_gap.coverage == 0 and first_gap.id != "nhs"
    suggestion = suggestions_for(first_gap.id, taxonomy)[0]
    planned = planned_activity(suggestion, first_gap.id, today)
    assert planned.status is Status.PLANNED
    assert (planned.type, planned.title) == (suggestion.type, suggestion.title)
    assert planned.extra_sector_ids == (first_gap.id,)
    assert planned.start == date(2026, 12, 1) and planned.end is None
    after = score(
        build_inputs([done, replace(planned, id=2)], [], []),
        policy,
        taxonomy,
        "adult-social-care",
        today,
    )
    assert after.score == before.score
    # Once it has happened and is marked done, it counts.
    happened = replace(planned, id=2, status=Status.DONE)
    later = score(
        build_inputs([done, happened], [], []),
        policy,
        taxonomy,
        "adult-social-care",
        date(2027, 1, 1),
    )
    assert later.sector(first_gap.id).coverage > 0


def test_gaps_are_sectors_with_little_coverage_least_first(taxonomy: Taxonomy) -> None:
    policy = policy_from_taxonomy(taxonomy)
    activities = [
        Activity(
            ActivityType.SECONDMENT,
            "Long",
            date(2026, 1, 1),
            date(2026, 6, 30),
            extra_sector_ids=("police",),
            id=1,
        ),
        Activity(
            ActivityType.PEER_EVENT,
            "Event",
            date(2026, 10, 1),
            extra_sector_ids=("education",),
            id=2,
        ),
    ]
    result = score(
        build_inputs(activities, [], []), policy, taxonomy, "adult-social-care", date(2026, 11, 1)
    )
    found = gaps(result)
    ids = [s.id for s in found]
    assert "police" not in ids  # well covered
    assert ids[-1] == "education"  # one peer event: reached, but little
    assert 0.1 < result.sector("education").coverage < 0.5
    assert len(ids) == result.sector_count - 1
    assert [s.coverage for s in found] == sorted(s.coverage for s in found)
