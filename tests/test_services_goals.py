"""Development goals and appraisal reviews on a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio_app.domain.records import Goal, Review
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices


def test_goal_round_trip_edit_delete_restore(with_profile: AppServices) -> None:
    goals = with_profile.goals
    goal = goals.create(Goal("Reach the police", ("police",), date(2027, 3, 31), "Shadow a shift"))
    assert goal.id is not None
    assert goals.get(goal.id) == goal
    edited = goals.update(Goal("Reach the police and fire", ("police", "fire-rescue"), id=goal.id))
    assert goals.list_all() == [edited]
    deleted = goals.delete(goal.id)
    assert goals.list_all() == []
    assert goals.restore(deleted) == edited


@pytest.mark.parametrize(
    ("goal", "field"),
    [
        (Goal("", ("police",)), "title"),
        (Goal("No sector", ()), "sectors"),
        (Goal("Bad sector", ("no-such-sector",)), "sectors"),
        (Goal("Gone review", ("police",), review_id=99), "review"),
    ],
)
def test_invalid_goals_are_refused(with_profile: AppServices, goal: Goal, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        with_profile.goals.create(goal)
    assert field in [e.field for e in caught.value.errors]
    assert with_profile.goals.list_all() == []


def test_a_review_records_agreed_objectives_as_goals(with_profile: AppServices) -> None:
    reviews = with_profile.reviews
    review = reviews.create(
        Review(date(2026, 5, 1), "Zoë Ødegård", "Team manager", "Strong year."),
        [Goal("Spend a day with a GP practice", ("primary-care",), date(2026, 12, 31))],
    )
    assert review.id is not None
    [agreed] = reviews.agreed_goals(review.id)
    assert agreed.review_id == review.id and agreed.sector_ids == ("primary-care",)
    assert reviews.latest() == review

    later = reviews.create(Review(date(2026, 11, 1), "Łukasz Nowak"))
    assert reviews.list_all() == [later, review]  # newest first

    deleted = reviews.delete(review.id)
    assert with_profile.goals.get(agreed.id or 0).review_id is None  # the goal stays
    reviews.restore(deleted)
    assert with_profile.goals.get(agreed.id or 0).review_id == review.id


def test_a_review_with_a_bad_objective_saves_nothing(with_profile: AppServices) -> None:
    with pytest.raises(InvalidInput):
        with_profile.reviews.create(
            Review(date(2026, 5, 1), "Zoë"), [Goal("Bad", ("no-such-sector",))]
        )
    assert with_profile.reviews.list_all() == [] and with_profile.goals.list_all() == []
    with pytest.raises(InvalidInput):
        with_profile.reviews.create(Review(date(2026, 5, 1), "  "))
