"""Stable ids for every entry, and drafts of unsaved dialogs (issue 11).

`uid`: a UUID (text) on every entry a user can export and bring back (organisations, contacts and
their roles, activities, lessons, reviews, goals, evidence). Integer ids are this database's own;
the uid travels with the entry in CSV, JSON and Leap2A files, so re-importing or merging an export
recognises entries that are already there instead of adding them twice. Existing rows get a random
one here; new rows get one from the ORM's default.

`drafts`: the text of a dialog that was not saved yet, kept while the user types so a crash loses
at most the last few seconds (offered back at the next start; deleted on Save or Discard). It is
in the encrypted database like everything else the user writes.

Columns are added in place (ALTER TABLE ADD COLUMN, NOT NULL with an empty default), so no table
is rebuilt and every CHECK constraint stays as it is.

Revision ID: 0007_stable_ids_and_drafts
Revises: 0006_evidence
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_stable_ids_and_drafts"
down_revision: str | None = "0006_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "organisations",
    "contacts",
    "contact_roles",
    "activities",
    "lessons",
    "reviews",
    "goals",
    "evidence",
)


def upgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("uid", sa.String(length=36), server_default=sa.text("''"), nullable=False),
        )
        ids = [row[0] for row in connection.execute(sa.text(f"SELECT id FROM {table}"))]
        if ids:
            connection.execute(
                sa.text(f"UPDATE {table} SET uid = :uid WHERE id = :id"),
                [{"uid": str(uuid.uuid4()), "id": row_id} for row_id in ids],
            )
        op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_drafts_kind", "drafts", ["kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_drafts_kind", table_name="drafts")
    op.drop_table("drafts")
    for table in TABLES:
        op.drop_index(f"ix_{table}_uid", table_name=table)
        op.drop_column(table, "uid")  # SQLite 3.35+: in place, no rebuild
