"""Whole-file checks on CSV cells that no single cell can decide.

A US spreadsheet writes 03/04/2026 for 4 March; read day-first it is silently 3 April. Only a
date like 03/15/2026 gives the order away, so one such date condemns every numeric date in the
file. A '?' inside a word ('?ukasz', 'Si?n') is a letter lost when the file was saved in a code
page or ASCII that lacks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portfolio_app.services.csv_file_kind import SAVE_AS_CSV_BRIEFLY

_NUMERIC = re.compile(r"\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*[0-9]{2,4}\s*")
_LOST_LETTER = re.compile(r"(?<![^\W\d_])\?(?=[^\W\d_])|(?<=[^\W\d_])\?(?![\s\W]|$)")


@dataclass
class DateOrder:
    """Lines whose numeric dates can only be read one way."""

    day_first: list[int] = field(default_factory=list)
    month_first: list[int] = field(default_factory=list)
    unit: str = "line"  # "row" for a spreadsheet

    def note(self, line: int, cell: str) -> bool:
        """Record `cell`'s order; True if it can only be month-first (so not worth parsing)."""
        match = _NUMERIC.fullmatch(cell)
        if not match:
            return False
        first, second = int(match.group(1)), int(match.group(2))
        if second > 12 and 1 <= first <= 12:
            if not self.month_first or self.month_first[-1] != line:
                self.month_first.append(line)
            return True
        if first > 12 and 1 <= second <= 12 and (not self.day_first or self.day_first[-1] != line):
            self.day_first.append(line)
        return False

    def problem(self) -> str | None:
        if not self.month_first:
            return None
        if self.unit == "row":
            fix = "type the dates as yyyy-mm-dd or dd/mm/yyyy, or make the cells dates"
        else:
            fix = "save the file with dates as yyyy-mm-dd or dd/mm/yyyy"
        day_first = _lines(self.day_first, self.unit)
        month_first = _lines(self.month_first, self.unit)
        if self.day_first:
            return (
                f"dates mix orders: day-first on {day_first} but month-first (US) "
                f"on {month_first}, so no date like 03/04 can be trusted: {fix}"
            )
        return f"dates look month-first (US) on {month_first}: {fix}"


def _lines(lines: list[int], unit: str) -> str:
    shown = ", ".join(str(n) for n in lines[:20])
    more = f" and {len(lines) - 20} more" if len(lines) > 20 else ""
    return f"{unit}{'' if len(lines) == 1 else 's'} {shown}{more}"


def lost_letter(cell: str, *, spreadsheet: bool = False) -> str | None:
    """A warning if `cell` has a '?' standing for a letter; web addresses are left alone.

    In a spreadsheet the letter was lost earlier (a CSV opened without UTF-8), so the fix is to
    type it again, not to save the file differently."""
    if "?" not in cell:  # most cells: no word to look at
        return None
    fix = "type the letter again in the spreadsheet" if spreadsheet else SAVE_AS_CSV_BRIEFLY
    for word in cell.split():
        if "/" in word or "=" in word:
            continue
        if _LOST_LETTER.search(word):
            return (
                f"{word!r} has a '?' inside a word: probably a letter lost when a file was "
                f"saved without UTF-8: {fix}"
            )
    return None
