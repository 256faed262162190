"""Taxonomy versions: whether a file's content changed but its version did not, and the next one.

The version is how a user's data records which list placed it, and how HR and users tell two
lists apart ("we moved to 2026.2"). A file whose sectors changed under the same version makes
two different lists indistinguishable, so validate, diff and the editor say so.
"""

from __future__ import annotations

import json
import re

from portfolio_app.taxonomy.model import Taxonomy

_LAST_NUMBER = re.compile(r"(\d+)(\D*)$")


def content_key(taxonomy: Taxonomy) -> tuple[object, ...]:
    """What the list says, without its version and date (entries compared in any file order)."""
    return (
        taxonomy.id,
        taxonomy.title,
        taxonomy.publisher,
        taxonomy.description,
        tuple(sorted(taxonomy.sectors, key=lambda s: s.id)),
        tuple(sorted(taxonomy.retired, key=lambda r: r.id)),
        json.dumps(taxonomy.scoring, sort_keys=True, default=str),
    )


def same_content(a: Taxonomy, b: Taxonomy) -> bool:
    return content_key(a) == content_key(b)


def version_kept(in_force: Taxonomy, new: Taxonomy) -> bool:
    """Whether `new` is the same taxonomy at the same version as `in_force`, yet says otherwise."""
    return (
        new.id == in_force.id
        and new.version.strip() == in_force.version.strip()
        and not same_content(in_force, new)
    )


def version_kept_warning(in_force: Taxonomy, new: Taxonomy) -> str | None:
    """The warning for a changed file that keeps its version, or None."""
    if not version_kept(in_force, new):
        return None
    return (
        f"content changed but the version is still {new.version}: HR should give it a new "
        f"version (for example {next_version(new.version)}), so that the two lists can be "
        "told apart"
    )


def next_version(version: str) -> str:
    """The version after this one: the last number goes up (2026.1 -> 2026.2, v9 -> v10).

    A version without a number gets '.2' ('draft' -> 'draft.2'), the second of its line.
    """
    text = version.strip()
    match = _LAST_NUMBER.search(text)
    if match is None:
        return f"{text}.2" if text else "1"
    digits = match.group(1)
    bumped = str(int(digits) + 1).zfill(len(digits))
    return f"{text[: match.start(1)]}{bumped}{match.group(2)}"
