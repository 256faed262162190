"""Development goals (sectors to reach by a date) and the appraisal reviews that agree them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal, Review
from portfolio_app.domain.validation import FieldError, goal_errors, require_valid, review_errors
from portfolio_app.services.base import RecordService, ServiceBase
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import (
    fill_goal,
    fill_review,
    goal_record,
    readable_records,
    review_record,
)


@dataclass(frozen=True)
class DeletedGoal:
    goal: Goal
    uid: str = ""  # its stable id, which it keeps when it comes back


class GoalService(RecordService[Goal, t.GoalRow, DeletedGoal]):
    table = t.GoalRow
    what = "goal"

    def record_of(self, row: t.GoalRow) -> Goal:
        return goal_record(row)

    def fill(self, row: t.GoalRow, record: Goal) -> None:
        fill_goal(row, record)

    def errors_in(self, session: Session, goal: Goal) -> list[FieldError]:
        errors = goal_errors(goal)
        unknown = self.taxonomy.unknown(goal.sector_ids)
        if unknown:
            errors.append(FieldError("sectors", f"unknown sector {unknown[0]!r}"))
        if goal.review_id is not None and session.get(t.ReviewRow, goal.review_id) is None:
            errors.append(FieldError("review", "the review no longer exists"))
        return errors

    def list_query(self) -> Select[t.GoalRow]:
        return select(t.GoalRow).order_by(t.GoalRow.target_date, t.GoalRow.id)

    def snapshot_in(self, session: Session, row: t.GoalRow) -> DeletedGoal:
        return DeletedGoal(goal_record(row), row.uid)

    def restore_in(self, session: Session, deleted: DeletedGoal) -> Goal:
        goal = deleted.goal
        # Its review may have been deleted since: the goal comes back unlinked.
        if goal.review_id is not None and session.get(t.ReviewRow, goal.review_id) is None:
            goal = replace(goal, review_id=None)
        return self.create_in(session, goal, deleted.uid)


@dataclass(frozen=True)
class DeletedReview:
    review: Review
    goal_ids: tuple[int, ...]  # goals it agreed, relinked on undo
    uid: str = ""  # its stable id, which it keeps when it comes back


class ReviewService(RecordService[Review, t.ReviewRow, DeletedReview]):
    table = t.ReviewRow
    what = "review"

    def record_of(self, row: t.ReviewRow) -> Review:
        return review_record(row)

    def fill(self, row: t.ReviewRow, record: Review) -> None:
        fill_review(row, record)

    def errors_in(self, session: Session, review: Review) -> list[FieldError]:
        return review_errors(review)

    def create(self, review: Review, objectives: list[Goal] | None = None) -> Review:
        """Record a review; each agreed objective becomes a development goal linked to it.

        Agreed objectives are shared: both parties agreed them, so the reviewer may see them."""
        with self.db.unit_of_work() as session:
            return self.record_in(session, review, objectives or [])

    def record_in(self, session: Session, review: Review, objectives: list[Goal]) -> Review:
        goals = GoalService(self.db, self.taxonomy)
        require_valid(self.errors_in(session, review))
        for objective in objectives:
            require_valid([e for e in goals.errors_in(session, objective) if e.field != "review"])
        saved = self.create_in(session, review)
        for objective in objectives:
            goal_row = t.GoalRow()
            fill_goal(goal_row, objective)
            goal_row.review_id = saved.id
            goal_row.visibility = Visibility.SHARED.value
            session.add(goal_row)
        session.flush()
        return saved

    def list_query(self) -> Select[t.ReviewRow]:
        """Newest first."""
        return select(t.ReviewRow).order_by(t.ReviewRow.held_on.desc(), t.ReviewRow.id.desc())

    def latest(self) -> Review | None:
        reviews = self.list_all()
        return reviews[0] if reviews else None

    def agreed_goals(self, review_id: int) -> list[Goal]:
        query = select(t.GoalRow).where(t.GoalRow.review_id == review_id).order_by(t.GoalRow.id)
        with self.db.transaction() as session:
            goals, _ = readable_records(session, "goal", query, goal_record)
            return goals

    def snapshot_in(self, session: Session, row: t.ReviewRow) -> DeletedReview:
        """The goals it agreed stay, unlinked; undo relinks them."""
        goal_ids = tuple(session.scalars(select(t.GoalRow.id).where(t.GoalRow.review_id == row.id)))
        return DeletedReview(review_record(row), goal_ids, row.uid)

    def restore_in(self, session: Session, deleted: DeletedReview) -> Review:
        restored = self.create_in(session, deleted.review, deleted.uid)
        for goal_id in deleted.goal_ids:
            goal = session.get(t.GoalRow, goal_id)
            if goal is not None and goal.review_id is None:
                goal.review_id = restored.id
        return restored


@dataclass(frozen=True)
class RecordedReview:
    """A review and the objectives agreed at it (goals), saved and undone as one record."""

    review: Review
    objectives: tuple[Goal, ...] = ()

    @property
    def id(self) -> int | None:
        return self.review.id


@dataclass(frozen=True)
class DeletedRecording:
    review: DeletedReview
    goals: tuple[DeletedGoal, ...]  # the agreed goals, removed with it


class ReviewRecordings(ServiceBase):
    """Recording a review with its objectives, as a store the generic undo path can use: undoing
    the recording removes the goals it created too (deleting a review alone keeps them)."""

    def __init__(self, reviews: ReviewService, goals: GoalService) -> None:
        super().__init__(reviews.db, reviews.taxonomy)
        self.reviews, self.goals = reviews, goals

    def create(self, recording: RecordedReview) -> RecordedReview:
        saved = self.reviews.create(recording.review, list(recording.objectives))
        assert saved.id is not None
        return RecordedReview(saved, tuple(self.reviews.agreed_goals(saved.id)))

    def get(self, review_id: int) -> RecordedReview:
        return RecordedReview(
            self.reviews.get(review_id), tuple(self.reviews.agreed_goals(review_id))
        )

    def update(self, recording: RecordedReview) -> RecordedReview:
        return RecordedReview(self.reviews.update(recording.review), recording.objectives)

    def delete(self, review_id: int) -> DeletedRecording:
        with self.db.unit_of_work() as session:
            goal_ids = session.scalars(
                select(t.GoalRow.id).where(t.GoalRow.review_id == review_id).order_by(t.GoalRow.id)
            ).all()
            goals = tuple(self.goals.delete_in(session, goal_id) for goal_id in goal_ids)
            return DeletedRecording(self.reviews.delete_in(session, review_id), goals)

    def restore(self, deleted: DeletedRecording) -> RecordedReview:
        with self.db.unit_of_work() as session:
            review = self.reviews.restore_in(session, deleted.review)
            goals = tuple(self.goals.restore_in(session, goal) for goal in deleted.goals)
            return RecordedReview(review, goals)
