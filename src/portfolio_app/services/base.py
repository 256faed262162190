"""Shared plumbing for services: the database, the taxonomy, and lookups used by several."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from portfolio_app.services.errors import NotFound
from portfolio_app.storage.database import Database
from portfolio_app.storage.tables import Base
from portfolio_app.taxonomy import Taxonomy

RowT = TypeVar("RowT", bound=Base)


class ServiceBase:
    def __init__(self, db: Database, taxonomy: Taxonomy) -> None:
        self.db = db
        self.taxonomy = taxonomy


def get_row(session: Session, table: type[RowT], row_id: int, what: str) -> RowT:
    row = session.get(table, row_id)
    if row is None:
        raise NotFound(f"there is no {what} with id {row_id}")
    return row
