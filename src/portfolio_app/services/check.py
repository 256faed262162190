"""`portfolio-app check`: the database file, the links between entries, and every stored value.

Three layers, each reported as "ok" or one line per problem: the file (SQLCipher's page HMACs
and SQLite's quick_check), the links (foreign_key_check), and the values of each entry
(storage.row_checks: what would make an entry show as damaged in the lists).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError

from portfolio_app.domain.damaged import DamagedRecord, first_per_entry
from portfolio_app.services.base import ServiceBase
from portfolio_app.storage.cipher import integrity_problems, is_row_value_problem
from portfolio_app.storage.errors import StorageError
from portfolio_app.storage.row_checks import CHECKS, KINDS, all_damaged_rows, damaged_rows

# How `check` names a kind of entry in the plural.
PLURALS = {
    "activity": "activities",
    "lesson": "lessons",
    "organisation": "organisations",
    "contact": "contacts",
    "goal": "goals",
    "review": "reviews",
    "evidence": "evidence files",
}


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: [] in each list means that layer is sound."""

    file_problems: list[str]
    link_problems: list[str]
    damaged: list[DamagedRecord]  # every problem, several per entry if it has several
    counts: dict[str, int]  # entries of each kind that were checked

    @property
    def ok(self) -> bool:
        return not (self.file_problems or self.link_problems or self.damaged)

    def lines(self) -> list[str]:
        """One line per layer that is sound ("ok: ...") and one per problem."""
        out: list[str] = []
        if self.file_problems:
            out.extend(f"file: {p}" for p in self.file_problems)
        else:
            out.append("ok: the database file (quick_check, cipher_integrity_check)")
        if self.link_problems:
            out.extend(f"links: {p}" for p in self.link_problems)
        else:
            out.append("ok: the links between entries (foreign_key_check)")
        if self.damaged:
            out.extend(d.describe() for d in self.damaged)
        else:
            checked = ", ".join(
                f"{n} {PLURALS[kind] if n != 1 else kind}" for kind, n in self.counts.items()
            )
            out.append(f"ok: every stored value ({checked})")
        return out


def _reported_per_entry(problem: str) -> bool:
    """A NOT NULL or CHECK failure in a table the row checks cover: it is reported as the
    damaged entry it is (naming the entry and field), not twice."""
    if not is_row_value_problem(problem):
        return False
    table = problem.rsplit(" in ", 1)[-1].split(".", 1)[0]
    return table in {c.table.name for c in CHECKS}


class CheckService(ServiceBase):
    def run(self) -> CheckReport:
        """Check everything (reads only); a file too damaged to read further is a finding."""
        try:
            file_problems = [
                p
                for p in integrity_problems(self.db.engine, row_values=True)
                if not _reported_per_entry(p)
            ]
        except DatabaseError as exc:
            file_problems = [f"the file cannot be checked: {exc.orig}"]
        try:
            with self.db.transaction() as session:
                links = session.connection().exec_driver_sql("PRAGMA foreign_key_check").all()
                damaged = all_damaged_rows(session, known_sector=self.known_sector)
                counts = {
                    kind: session.scalar(select(func.count()).select_from(table)) or 0
                    for kind, table in KINDS.items()
                }
        except (DatabaseError, StorageError) as exc:
            if not file_problems:
                raise
            # The file is damaged already: say so, rather than fail on the rows it hides.
            why = getattr(exc, "orig", None) or exc
            return CheckReport(file_problems, [f"not checked ({why})"], [], {})
        link_problems = [
            f"a row of {table} (row {rowid}) points at a missing entry of {parent}"
            for table, rowid, parent, _fk in links
        ]
        return CheckReport(file_problems, link_problems, damaged, counts)

    def damaged_entries(self) -> list[DamagedRecord]:
        """Every damaged entry of every kind, one problem each (for a status line: what the
        lists go by, remembered until another program writes; `run` checks afresh)."""
        with self.db.transaction() as session:
            found = [
                p
                for kind in KINDS
                for p in damaged_rows(session, kind, known_sector=self.known_sector)
            ]
            return first_per_entry(found)
