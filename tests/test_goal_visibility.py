"""Goals are private unless shared; objectives agreed at a review are shared (issue 9)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal, Review
from portfolio_app.services import AppServices


def test_a_new_goal_is_private_and_sharing_it_is_saved(with_profile: AppServices) -> None:
    goals = with_profile.goals
    goal = goals.create(Goal("Think about my next move", ("police",), notes="Leaving?"))
    assert goal.id is not None
    assert goals.get(goal.id).visibility is Visibility.PRIVATE

    shared = goals.update(replace(goal, visibility=Visibility.SHARED))
    assert goals.get(goal.id).visibility is Visibility.SHARED
    deleted = goals.delete(goal.id)
    assert goals.restore(deleted) == shared  # undo keeps the choice


def test_objectives_agreed_at_a_review_are_shared(with_profile: AppServices) -> None:
    review = with_profile.reviews.create(
        Review(date(2026, 5, 1), "Zoë Ødegård"),
        [Goal("Spend a day with a GP practice", ("primary-care",), date(2026, 12, 31))],
    )
    [agreed] = with_profile.reviews.agreed_goals(review.id or 0)
    assert agreed.visibility is Visibility.SHARED
