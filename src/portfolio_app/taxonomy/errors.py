"""Problems found in a taxonomy, each with where it is, and the error that carries them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # usage.py imports plural() from here
    from portfolio_app.taxonomy.usage import Uses

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One reason a taxonomy cannot be used.

    `path` points into the document (("sectors", 3, "colour")) so an editor can select the entry;
    `where` is the same place for people ('sectors[3].colour (sector "ccg")', 'line 4, column 7').
    """

    message: str
    where: str = ""
    path: Location = ()
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class TaxonomyError(Exception):
    """A taxonomy that cannot be used; `problems` lists every reason, each with its place.

    `problems` is the text of each ('sectors[3].colour (sector "ccg"): ...'); `details` has the
    same as Problem objects whose `path` or `line` lets an editor jump to the entry.
    """

    def __init__(self, source: str, problems: Sequence[Problem | str]) -> None:
        self.source = source
        self.details = [p if isinstance(p, Problem) else Problem(p) for p in problems]
        self.problems = [str(p) for p in self.details]
        super().__init__(f"{source}: " + "; ".join(self.problems))

    def lines(self) -> list[str]:
        """One line per problem, prefixed with the source, for a terminal or a list view."""
        return [f"{self.source}: {problem}" for problem in self.problems]


@dataclass(frozen=True)
class SectorInUse:
    """A sector that a new taxonomy drops without a replacement, and what still uses it."""

    sector_id: str
    label: str
    uses: Uses  # every registered place (organisations, activities, goals, ...)

    def describe(self) -> str:
        name = self.label if self.label == self.sector_id else f"{self.label} ({self.sector_id})"
        return (
            f"the sector {name} would be removed without a replacement, "
            f"but {self.uses.describe()} use{'s' if self.uses.total == 1 else ''} it"
        )


class SectorsInUseError(TaxonomyError):
    """Refused: the new taxonomy removes sectors (no `replaced_by`) that data still uses."""

    def __init__(self, source: str, in_use: Sequence[SectorInUse]) -> None:
        self.in_use = tuple(in_use)
        problems = [
            Problem(
                usage.describe()
                + "; give it a replaced_by in the retired list, or move them first",
            )
            for usage in in_use
        ]
        super().__init__(source, problems)


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"
