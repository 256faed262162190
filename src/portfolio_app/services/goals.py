"""Development goals (sectors to reach by a date) and the appraisal reviews that agree them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal, Review
from portfolio_app.domain.validation import FieldError, goal_errors, require_valid, review_errors
from portfolio_app.services.base import ServiceBase, get_row
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import fill_goal, fill_review, goal_record, review_record


class GoalService(ServiceBase):
    def errors(self, goal: Goal) -> list[FieldError]:
        errors = goal_errors(goal)
        unknown = self.taxonomy.unknown(goal.sector_ids)
        if unknown:
            errors.append(FieldError("sectors", f"unknown sector {unknown[0]!r}"))
        if goal.review_id is not None:
            with self.db.transaction() as session:
                if session.get(t.ReviewRow, goal.review_id) is None:
                    errors.append(FieldError("review", "the review no longer exists"))
        return errors

    def create(self, goal: Goal) -> Goal:
        require_valid(self.errors(goal))
        with self.db.transaction() as session:
            row = t.GoalRow(id=goal.id)
            fill_goal(row, goal)
            session.add(row)
            session.flush()
            return goal_record(row)

    def update(self, goal: Goal) -> Goal:
        goal_id = goal.id
        if goal_id is None:
            raise ServiceError("cannot update a goal that has not been saved")
        require_valid(self.errors(goal))
        with self.db.transaction() as session:
            row = get_row(session, t.GoalRow, goal_id, "goal")
            fill_goal(row, goal)
            return goal_record(row)

    def get(self, goal_id: int) -> Goal:
        with self.db.transaction() as session:
            return goal_record(get_row(session, t.GoalRow, goal_id, "goal"))

    def list_all(self) -> list[Goal]:
        query = select(t.GoalRow).order_by(t.GoalRow.target_date, t.GoalRow.id)
        with self.db.transaction() as session:
            return [goal_record(r) for r in session.scalars(query)]

    def delete(self, goal_id: int) -> Goal:
        with self.db.transaction() as session:
            row = get_row(session, t.GoalRow, goal_id, "goal")
            goal = goal_record(row)
            session.delete(row)
            return goal

    def restore(self, goal: Goal) -> Goal:
        with self.db.transaction() as session:
            row = t.GoalRow(id=goal.id)
            fill_goal(row, goal)
            if goal.review_id is not None and session.get(t.ReviewRow, goal.review_id) is None:
                row.review_id = None
            session.add(row)
            session.flush()
            return goal_record(row)


@dataclass(frozen=True)
class DeletedReview:
    review: Review
    goal_ids: tuple[int, ...]  # goals it agreed, relinked on undo


class ReviewService(ServiceBase):
    def errors(self, review: Review) -> list[FieldError]:
        return review_errors(review)

    def create(self, review: Review, objectives: list[Goal] | None = None) -> Review:
        """Record a review; each agreed objective becomes a development goal linked to it.

        Agreed objectives are shared: both parties agreed them, so the reviewer may see them."""
        require_valid(self.errors(review))
        goals = GoalService(self.db, self.taxonomy)
        for objective in objectives or []:
            require_valid([e for e in goals.errors(objective) if e.field != "review"])
        with self.db.transaction() as session:
            row = t.ReviewRow(id=review.id)
            fill_review(row, review)
            session.add(row)
            session.flush()
            for objective in objectives or []:
                goal_row = t.GoalRow()
                fill_goal(goal_row, objective)
                goal_row.review_id = row.id
                goal_row.visibility = Visibility.SHARED.value
                session.add(goal_row)
            return review_record(row)

    def update(self, review: Review) -> Review:
        review_id = review.id
        if review_id is None:
            raise ServiceError("cannot update a review that has not been saved")
        require_valid(self.errors(review))
        with self.db.transaction() as session:
            row = get_row(session, t.ReviewRow, review_id, "review")
            fill_review(row, review)
            return review_record(row)

    def get(self, review_id: int) -> Review:
        with self.db.transaction() as session:
            return review_record(get_row(session, t.ReviewRow, review_id, "review"))

    def list_all(self) -> list[Review]:
        """Newest first."""
        query = select(t.ReviewRow).order_by(t.ReviewRow.held_on.desc(), t.ReviewRow.id.desc())
        with self.db.transaction() as session:
            return [review_record(r) for r in session.scalars(query)]

    def latest(self) -> Review | None:
        reviews = self.list_all()
        return reviews[0] if reviews else None

    def agreed_goals(self, review_id: int) -> list[Goal]:
        query = select(t.GoalRow).where(t.GoalRow.review_id == review_id).order_by(t.GoalRow.id)
        with self.db.transaction() as session:
            return [goal_record(r) for r in session.scalars(query)]

    def delete(self, review_id: int) -> DeletedReview:
        """Delete a review; the goals it agreed stay, unlinked."""
        with self.db.transaction() as session:
            row = get_row(session, t.ReviewRow, review_id, "review")
            goal_ids = tuple(
                session.scalars(select(t.GoalRow.id).where(t.GoalRow.review_id == review_id))
            )
            deleted = DeletedReview(review_record(row), goal_ids)
            session.delete(row)
            return deleted

    def restore(self, deleted: DeletedReview) -> Review:
        with self.db.transaction() as session:
            row = t.ReviewRow(id=deleted.review.id)
            fill_review(row, deleted.review)
            session.add(row)
            session.flush()
            for goal_id in deleted.goal_ids:
                goal = session.get(t.GoalRow, goal_id)
                if goal is not None and goal.review_id is None:
                    goal.review_id = row.id
            return review_record(row)
