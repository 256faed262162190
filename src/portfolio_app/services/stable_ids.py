"""Every exportable entry's stable id (the `uid` of revision 0007), by row id: what files meant
for other systems (Leap2A) name entries by, so the same entry has the same id in every export
and in every copy of the data (a JSON import keeps the uids).

Records passed around the app carry the row id only; an export looks the uid up here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database


@dataclass(frozen=True)
class StableIds:
    """Row id -> uid, for each kind of entry an export names."""

    organisations: Mapping[int, str]
    activities: Mapping[int, str]
    lessons: Mapping[int, str]
    evidence: Mapping[int, str]

    def of(self, kind: str, row_id: int | None) -> str:
        """The uid of the `kind` ('activities', 'lessons'...) entry with `row_id`."""
        if row_id is None:
            raise ValueError(f"an entry of {kind} that was never stored has no stable id")
        uids: Mapping[int, str] = getattr(self, kind)
        try:
            return uids[row_id]
        except KeyError:
            raise ValueError(f"no stored entry of {kind} has the id {row_id}") from None


def read_stable_ids(db: Database) -> StableIds:
    """Read every uid in one transaction (a few bytes an entry, even for a whole career)."""
    with db.transaction() as session:

        def uids(table: Any) -> dict[int, str]:
            rows = session.execute(select(table.id, table.uid))
            # A uid is never empty after revision 0007's backfill; a row id keeps ids unique if
            # one ever were.
            return {row_id: uid or f"row{row_id}" for row_id, uid in rows}

        return StableIds(
            organisations=uids(t.OrganisationRow),
            activities=uids(t.ActivityRow),
            lessons=uids(t.LessonRow),
            evidence=uids(t.EvidenceRow),
        )
