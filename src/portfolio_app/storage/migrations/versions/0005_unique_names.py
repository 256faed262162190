"""Organisation and contact names are unique, ignoring case and spacing (issue 9).

The services refused duplicates only by looking first, so two imports running at once could
both create "Northshire Police". Each name now has a stored key (casefolded, spaces collapsed:
the services' rule) with a unique index, so the schema refuses what slipped past the look-up.

(It also gives goals back the AUTOINCREMENT that 0004's table rebuild lost.)

Existing duplicates are kept, never merged (they may really be two people): the lowest id keeps
its name, later ones get " (2)", " (3)"... and each rename is logged, so the user can see them.

Revision ID: 0005_unique_names
Revises: 0004_goal_visibility
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_unique_names"
down_revision: str | None = "0004_goal_visibility"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

TABLES = ("organisations", "contacts")
AUTOINCREMENT = {"sqlite_autoincrement": True}


def _key(name: str) -> str:
    # A copy of domain.names.name_key as it was at this revision: migrations never change.
    return " ".join(name.casefold().split())


def unique_names(rows: list[tuple[int, str]]) -> list[tuple[int, str, str, str]]:
    """(id, name) in id order -> (id, old name, new name, key) for every row, duplicates renamed.

    A renamed row's key must be free too ("X (2)" may already exist), so numbering continues."""
    taken = {_key(name) for _, name in rows}  # a new name must not be any row's name either
    seen: set[str] = set()
    out = []
    for row_id, name in rows:
        new, key, number = name, _key(name), 2
        while key in seen or (new != name and key in taken):
            new, number = f"{' '.join(name.split())} ({number})", number + 1
            key = _key(new)
        seen.add(key)
        out.append((row_id, name, new, key))
    return out


def upgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_key", sa.String(length=300), nullable=True))
        rows = connection.execute(sa.text(f"SELECT id, name FROM {table} ORDER BY id")).all()
        for row_id, old, new, key in unique_names([(r[0], r[1]) for r in rows]):
            if new != old:
                # Ids only: the log never holds names.
                log.warning("%s %d renamed: its name was taken", table, row_id)
            connection.execute(
                sa.text(f"UPDATE {table} SET name = :name, name_key = :key WHERE id = :id"),
                {"name": new, "key": key, "id": row_id},
            )
        # Rebuilding the table must keep AUTOINCREMENT (ids never reused), which batch mode
        # drops unless told.
        with op.batch_alter_table(table, table_kwargs=AUTOINCREMENT) as batch_op:
            batch_op.alter_column("name_key", existing_type=sa.String(length=300), nullable=False)
            batch_op.create_index(f"ix_{table}_name_key", ["name_key"], unique=True)
    # 0004's rebuild of goals dropped its AUTOINCREMENT, so a deleted goal's id could be handed
    # to a new goal and its undo would then fail: put it back.
    with op.batch_alter_table("goals", recreate="always", table_kwargs=AUTOINCREMENT):
        pass


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, table_kwargs=AUTOINCREMENT) as batch_op:
            batch_op.drop_index(f"ix_{table}_name_key")
            batch_op.drop_column("name_key")
