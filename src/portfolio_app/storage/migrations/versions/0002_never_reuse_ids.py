"""Never reuse ids: AUTOINCREMENT on the entity tables.

Without it SQLite hands a deleted row's id to the next new row, so undoing a delete after
adding something else would collide, or relink old links to the wrong record.

Revision ID: 0002_never_reuse_ids
Revises: 0001_initial
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_never_reuse_ids"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("organisations", "contacts", "contact_roles", "activities", "lessons")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
