"""Evidence files on activities and lessons (issue 10).

Each file is a row of `evidence` (name, type, size, when added, visibility; exactly one owner:
an activity or a lesson, and deleted with it) and its bytes a row of `evidence_blobs`, so
listing evidence never reads the files themselves. Both live in the encrypted database.

Revision ID: 0006_evidence
Revises: 0005_unique_names
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_evidence"
down_revision: str | None = "0005_unique_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "(activity_id IS NULL) <> (lesson_id IS NULL)", name=op.f("ck_evidence_one_owner")
        ),
        sa.CheckConstraint("size >= 0", name=op.f("ck_evidence_size_not_negative")),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_evidence_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lessons.id"],
            name=op.f("fk_evidence_lesson_id_lessons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_lesson_id"), ["lesson_id"], unique=False)

    op.create_table(
        "evidence_blobs",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_blobs_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_evidence_blobs")),
    )


def downgrade() -> None:
    op.drop_table("evidence_blobs")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_lesson_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_activity_id"))
    op.drop_table("evidence")
