"""What is wrong with a JSON file given to `import-json`, each problem named by its place in
the document ("activities[3].start: not a date (use YYYY-MM-DD)"), in words for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from portfolio_app.services.errors import ServiceError

# How many problems a message lists; the rest are counted ("and 12 more").
SHOWN = 5


@dataclass(frozen=True)
class Problem:
    path: str  # "activities[3].start"; "" for the document as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class JsonImportError(ServiceError):
    """The file cannot be imported; `problems` says where and why. Nothing was imported."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        listed = "; ".join(str(p) for p in self.problems[:SHOWN])
        more = len(self.problems) - SHOWN
        if more > 0:
            listed += f"; and {more} more"
        super().__init__(f"cannot import {source}: {listed}. Nothing was imported.")


def json_path(location: Sequence[int | str]) -> str:
    """('activities', 3, 'start') -> 'activities[3].start'."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _words(error: Any) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a field of this format (check the spelling)"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return "not a date (use YYYY-MM-DD)"
    if kind in ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"):
        return "not a date and time (use YYYY-MM-DDThh:mm:ssZ)"
    if kind == "timezone_aware":
        return "a date and time needs its time zone (such as Z for UTC)"
    if kind == "string_type":
        return "not text (write it in double quotes)"
    if kind == "string_pattern_mismatch":
        return "not a uid (a UUID such as 0b4f6f8e-8c1e-4a8e-9f2e-1d2c3b4a5f60, in lower case)"
    if kind == "bool_type":
        return "not true or false"
    if kind in ("int_type", "int_from_float"):
        return "not a whole number"
    if kind in ("float_type", "finite_number"):
        return "not a number"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"out of range ({error.get('msg', '').removeprefix('Input should be ')})"
    if kind == "list_type":
        return "not a list (use [...])"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "not an object (use {...})"
    if kind in ("enum", "literal_error"):
        return f"not one of the values this format allows ({context.get('expected', '')})"
    if kind == "json_invalid":
        return f"not valid JSON: {context.get('error', error.get('msg', ''))}"
    return str(error.get("msg", kind)).lower()


def problems_of_validation(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors in our words. When the file is not this format at all, or a newer
    version of it, that is the only problem worth saying: the rest follow from it."""
    problems = [Problem(json_path(e["loc"]), _words(e)) for e in exc.errors()]
    for error in exc.errors():
        where, given = tuple(error["loc"]), error.get("input")
        if where == () and error["type"] != "json_invalid":
            return [Problem("", "not a Portfolio export (the file is not a JSON object)")]
        if where == ("format",):
            if error["type"] == "missing":
                found = 'it has no "format": "portfolio-export"'
            else:
                found = f"its format is {json.dumps(given, ensure_ascii=False)[:60]}"
            return [Problem("", f"not a Portfolio export made by export-json ({found})")]
        if where == ("format_version",) and isinstance(given, int) and given > 1:
            return [
                Problem(
                    "format_version",
                    f"{given}: the file was made by a newer Portfolio (this one reads "
                    "version 1); update Portfolio to import it",
                )
            ]
    return problems
