"""Goals get a visibility, private unless shared (issue 9).

A goal note can be as personal as a lesson, so goals are private by default like activities.
Goals recorded from an appraisal review's agreed objectives were agreed by both parties, so the
existing ones that came from a review (review_id set) become shared; the rest stay private.

Revision ID: 0004_goal_visibility
Revises: 0003_goals_and_reviews
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_goal_visibility"
down_revision: str | None = "0003_goals_and_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The server default fills existing rows; it is dropped afterwards because the ORM sets the
    # value itself (and the schema must match the ORM exactly).
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("visibility", sa.String(length=16), nullable=False, server_default="private")
        )
    op.execute("UPDATE goals SET visibility = 'shared' WHERE review_id IS NOT NULL")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.alter_column("visibility", existing_type=sa.String(length=16), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_column("visibility")
