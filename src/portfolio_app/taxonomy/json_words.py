"""How a value from a JSON file is named in error messages, alike in every check of the file."""

from __future__ import annotations

import math
from collections.abc import Mapping


def json_number(value: float) -> str:
    """A number as JSON-minded people write it (Python's `nan` reads as a bug)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def json_kind(value: object) -> str:
    """What a value is, in the file's terms: 'the text "x"', 'a list', 'null'…"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {json_number(value)}"
    if isinstance(value, str):
        return f"the text {shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def shown(value: object, limit: int = 60) -> str:
    """`value` quoted, cut short so that a huge value cannot flood the message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
