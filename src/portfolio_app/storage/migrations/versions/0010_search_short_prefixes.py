"""One- and two-letter searches read a prefix index: the FTS5 table recreated with prefix='1 2'.

A search for "s" or "si" is a prefix query (`"s"*`); without a prefix index FTS5 answers it by
merging the row lists of every term starting with those letters (most of the vocabulary for one
letter: ~0.85 s at 100k activities). With `prefix='1 2'` the index also keeps, for every
one- and two-character prefix, the list of rows having a term starting with it, so those queries
read one list. Longer prefixes are rare enough in a term range to stay quick without one.

FTS5 cannot add a prefix index to an existing table, and the table is contentless (it keeps no
copy of the text), so it is dropped and created again with the same columns, tokenizer,
`contentless_delete` and `secure-delete` as revision 0008, then filled from the entries with
0008's documents (the same SQL, imported from that revision; folding included). The triggers are
dropped first and created again afterwards exactly as revision 0009 left them (so the rebuild
runs no trigger, and every writer keeps the index in step afterwards). The pending table of 0009
is empty outside a write transaction and is left as it is.

The rebuild at 100k activities took ~16 s with FTS5's defaults (its 1 MB of pending terms
flushed as a segment and merged again and again, through a 2 MB page cache). For the rebuild only,
the index buffers up to REBUILD_HASH_SIZE of terms and the connection's page cache is
REBUILD_CACHE_KIB (~7 s; peak memory of the upgrade measured in the report of issue 12); both
are set back afterwards (the `hashsize` setting written back to FTS5's default and its row
removed, so the table's settings are a fresh table's: `secure-delete` only).

Revision ID: 0010_search_short_prefixes
Revises: 0009_search_once_and_sort_indexes
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0010_search_short_prefixes"
down_revision: str | None = "0009_search_once_and_sort_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_0008 = importlib.import_module("portfolio_app.storage.migrations.versions.0008_search_index")
_0009 = importlib.import_module(
    "portfolio_app.storage.migrations.versions.0009_search_once_and_sort_indexes"
)

COLUMNS = "title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'"
PREFIXES = "1 2"
REBUILD_HASH_SIZE = 64 * 1024 * 1024
REBUILD_CACHE_KIB = 128 * 1024
_DEFAULT_HASH_SIZE = 1024 * 1024  # FTS5_DEFAULT_HASHSIZE


def triggers() -> dict[str, str]:
    """Every trigger keeping the index in step, as revision 0009 left them (name -> body)."""
    every: dict[str, str] = {
        name: body for name, body in _0008._triggers().items() if name not in _0009._REPLACED
    }
    every.update(_0009._triggers())
    return every


def _recreate(options: str) -> None:
    bodies = triggers()
    for name in bodies:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE search_index")
    op.execute(f"CREATE VIRTUAL TABLE search_index USING fts5({COLUMNS}{options})")
    op.execute("INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 1)")
    _setting("hashsize", REBUILD_HASH_SIZE)
    connection = op.get_bind()
    cache_size = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    op.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")
    try:
        for build in (_0008._activity, _0008._lesson, _0008._organisation, _0008._contact):
            op.execute(build("1"))
    finally:
        op.execute(f"PRAGMA cache_size = {cache_size}")
    _setting("hashsize", _DEFAULT_HASH_SIZE)
    op.execute("DELETE FROM search_index_config WHERE k = 'hashsize'")
    for name, body in bodies.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _setting(name: str, value: int) -> None:
    op.execute(f"INSERT INTO search_index (search_index, rank) VALUES ('{name}', {value})")


def upgrade() -> None:
    _recreate(f", prefix='{PREFIXES}'")


def downgrade() -> None:
    _recreate("")
