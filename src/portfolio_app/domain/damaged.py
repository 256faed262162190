"""An entry whose stored values cannot be turned into a record: listed beside the good ones,
never allowed to take a whole list (or command) down."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

R = TypeVar("R")

# What the user can run to see every problem in the data (printed after a damaged entry).
CHECK_HINT = "run `portfolio-app check`"


@dataclass(frozen=True)
class DamagedRecord:
    """One problem in one stored entry: `kind` ("activity"), its id, the field as users know
    it ("start") and what is wrong with it ("is not a date ('2026-13-45')")."""

    kind: str
    id: int
    column: str
    problem: str

    @property
    def reason(self) -> str:
        """'start is not a date ('2026-13-45')'."""
        return f"{self.column} {self.problem}" if self.column else self.problem

    def describe(self) -> str:
        """'activity 17 is damaged: start is not a date ('2026-13-45')'."""
        return f"{self.kind} {self.id} is damaged: {self.reason}"


def first_per_entry(problems: Iterable[DamagedRecord]) -> list[DamagedRecord]:
    """One problem per entry (the first found), in the order found: what lists show."""
    seen: dict[tuple[str, int], DamagedRecord] = {}
    for problem in problems:
        seen.setdefault((problem.kind, problem.id), problem)
    return list(seen.values())


@dataclass(frozen=True)
class Listing(Generic[R]):
    """A list as the views show it: the good records, and the damaged entries (one problem
    each) left out of them."""

    records: list[R]
    damaged: list[DamagedRecord] = field(default_factory=list)
