"""Alembic environment: always given a live connection by portfolio_app.storage.migrate."""

from __future__ import annotations

from alembic import context

from portfolio_app.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through portfolio_app.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
)
with context.begin_transaction():
    context.run_migrations()
