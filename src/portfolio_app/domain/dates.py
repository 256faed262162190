"""The one reader of dates people type: every dialog, the CLI and CSV import use `parse_date`.

UK users write "15 Mar 2026", "15 March 2026", "15/03/2026", "15/3/26" or "2026-03-15"; a date
is never guessed into another one: anything that does not read as exactly one real day is refused
with a message that says what was wrong.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

EARLIEST_PLAUSIBLE = date(1950, 1, 1)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]

# [0-9], not \d: \d also matches other scripts' digits, which int() would then accept.
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{2}|[0-9]{4})")
_WORDS = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)?\s*[ ,.-]?\s*([a-z]+)\.?\s*[ ,.-]?\s*([0-9]{2,4})"
)
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}

FORMS_HINT = "15 Mar 2026, 15/03/2026 or 2026-03-15"


class DateParseError(ValueError):
    """Text that is not exactly one real date; the message is for the user."""


def parse_date(text: str, *, today: date | None = None, relative: bool = True) -> date:
    """Read one typed date (day first, as in the UK). Raises DateParseError saying why not.

    `relative` allows "today", "yesterday" and "tomorrow" (dialogs and the CLI; not files, whose
    meaning must not depend on the day they are read). Two-digit years are this century unless
    that would be more than 20 years ahead ("15/3/26" is 2026, "1/2/85" is 1985).
    """
    value = " ".join(text.strip().casefold().split())
    if not value:
        raise DateParseError("enter a date, e.g. " + FORMS_HINT)
    today = today or date.today()
    if value in _RELATIVE:
        if not relative:
            raise DateParseError(f"{text.strip()!r}: write the date itself, e.g. {FORMS_HINT}")
        return today + timedelta(days=_RELATIVE[value])
    if match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
        return _real_day(text, year, month, day)
    if match := _NUMERIC.fullmatch(value):
        day_text, month_text, year_text = match.groups()
        return _real_day(text, _full_year(year_text, today), int(month_text), int(day_text))
    if match := _WORDS.fullmatch(value):
        day_text, month_name, year_text = match.groups()
        named_month = _MONTHS.get(month_name)
        if named_month is None:
            raise DateParseError(f"{text.strip()!r}: {month_name!r} is not a month")
        if len(year_text) == 3:
            raise DateParseError(f"{text.strip()!r}: write the year in full, e.g. 2026")
        return _real_day(text, _full_year(year_text, today), named_month, int(day_text))
    raise DateParseError(f"{text.strip()!r} is not a date (write e.g. {FORMS_HINT})")


def _full_year(year_text: str, today: date) -> int:
    year = int(year_text)
    if len(year_text) == 4:
        return year
    this_century = today.year // 100 * 100 + year
    return this_century if this_century <= today.year + 20 else this_century - 100


def _real_day(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise DateParseError(f"{text.strip()!r}: there is no month {month} (the day comes first)")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(
            f"{text.strip()!r}: {_MONTH_NAMES[month - 1]} {year} has no day {day}"
        ) from None


def describe_date(value: date) -> str:
    """How a date reads back to the person who typed it: 'Sunday 15 March 2026'."""
    return f"{value:%A} {value.day} {_MONTH_NAMES[value.month - 1]} {value.year}"


def format_date(value: date) -> str:
    """The short form shown in fields and tables: '15 Mar 2026' (the parser reads it back)."""
    return f"{value.day} {_MONTH_NAMES[value.month - 1][:3]} {value.year}"


def is_far_future(value: date, today: date) -> bool:
    """More than a year ahead: probably a typing slip (3020 for 2026), so it is confirmed first."""
    try:
        limit = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year + 1, day=28)
    return value > limit


def is_implausibly_old(value: date) -> bool:
    return value < EARLIEST_PLAUSIBLE
