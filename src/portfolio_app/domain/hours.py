"""The one reader of hours people type or spreadsheets hold: dialogs, the CLI and CSV import.

'7.5' and '7,5' (a decimal comma, as Excel writes it in many locales) are both 7.5. '1,500' is
1500 to a UK reader and 1.5 to a German one, and '1.500' the other way round: both are refused as
ambiguous rather than guessed. Exponents ('1e3'), signs and other scripts' digits are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal

# [0-9], not \d: \d also matches other scripts' digits, which float() would then accept.
_NUMBER = re.compile(r"[0-9]{1,7}(?:[.,][0-9]+)?|[.,][0-9]+")
# One to three digits (not a lone 0), one separator, exactly three digits: a thousands group
# in one locale and a decimal fraction in another.
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}")
MAX_HOURS = 100_000.0


class HoursParseError(ValueError):
    """Text that is not a number of hours; the message is for the user."""


def parse_hours(text: str) -> float | None:
    """'' → None; '7.5' or '7,5' → 7.5. Raises HoursParseError saying why for anything else."""
    value = text.strip()
    if not value:
        return None
    if value.startswith("-") and _NUMBER.fullmatch(value[1:]):
        raise HoursParseError("hours must be 0 or more")
    if _AMBIGUOUS.fullmatch(value):
        whole, fraction = re.split(r"[.,]", value)
        raise HoursParseError(
            f"{value!r} is ambiguous: write {whole}{fraction} for "
            f"{int(whole + fraction):,} hours, or {whole}.{fraction.rstrip('0') or '0'} "
            "without the extra digits"
        )
    if not _NUMBER.fullmatch(value):
        raise HoursParseError(f"{value!r} is not a number of hours (write e.g. 7.5)")
    hours = float(value.replace(",", "."))
    if hours > MAX_HOURS:
        raise HoursParseError(f"{value!r} hours is more than {MAX_HOURS:,.0f}: check the number")
    return hours


def format_hours(value: float | None) -> str:
    """Hours as text that `parse_hours` reads back exactly, wherever hours are shown or written.

    Every digit of the stored value and never an exponent ('{:g}' turns 1234.567 into '1234.57');
    a value that would read as ambiguous ('1.125') gets a trailing zero ('1.1250').
    """
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    text = format(Decimal(repr(float(value))), "f")
    return text + "0" if _AMBIGUOUS.fullmatch(text) else text
