"""Alembic, driven from code: the scripts ship inside the package, no alembic.ini needed.

Alembic is imported only when a migration is due. Opening an up-to-date database (every start
but the first after an upgrade) reads the stored revision with one query and the newest one
from the scripts' own `revision = ...` lines, and compares them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision of the scripts in MIGRATIONS_DIR, read without importing Alembic.

    A history that is not one straight line (a merge, two heads) is left to Alembic to read."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        text = script.read_text("utf-8")
        found = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(text)}
        if "revision" not in found:
            continue  # __init__.py and helpers
        try:
            revision = ast.literal_eval(found["revision"])
            parent = ast.literal_eval(found.get("down_revision", "None"))
        except (ValueError, SyntaxError):
            return _alembic_head()
        if not isinstance(revision, str) or not isinstance(parent, str | None):
            return _alembic_head()
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else _alembic_head()


def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None: no schema of ours yet)."""
    rows = connection.exec_driver_sql(
        f"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{VERSION_TABLE}'"
    ).fetchall()
    if not rows:
        return None
    stored = [
        row[0] for row in connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")
    ]
    if len(stored) <= 1:
        return stored[0] if stored else None
    from alembic.runtime.migration import MigrationContext  # several heads: Alembic explains

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(connection: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def upgrade_to(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def known_revisions() -> set[str]:
    """Every revision the scripts in MIGRATIONS_DIR define (without importing Alembic)."""
    known: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for match in _ASSIGNMENT.finditer(script.read_text("utf-8")):
            if match.group(1) == "revision":
                try:
                    value = ast.literal_eval(match.group(2))
                except (ValueError, SyntaxError):
                    continue
                if isinstance(value, str):
                    known.add(value)
    return known
