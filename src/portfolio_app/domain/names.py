"""How names are compared: the one rule for "the same organisation or contact"."""

from __future__ import annotations


def name_key(name: str) -> str:
    """'  Northshire   COUNCIL ' and 'northshire council' are the same name: case and spacing
    are ignored. Stored next to each name, so the schema can hold the names unique."""
    return " ".join(name.casefold().split())
