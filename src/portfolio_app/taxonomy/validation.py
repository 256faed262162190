"""Check a parsed taxonomy document and report every problem at once, each with where it is.

Field rules are pydantic's (file_format.py); their messages are put into plain words here for
the HR staff who write these files. Rules across entries (duplicates, parents, cycles,
replacement chains) are checked on the raw document too, so that one bad colour does not hide a
duplicate id elsewhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from portfolio_app.taxonomy.colours import MIN_DISTANCE, close_pairs, distinct_colour
from portfolio_app.taxonomy.errors import Location, Problem
from portfolio_app.taxonomy.file_format import (
    FORMAT_VERSION,
    ID_PATTERN,
    KNOWN_TOP_LEVEL_KEYS,
    RETIRED_KEYS,
    SECTOR_KEYS,
    SectorEntry,
    TaxonomyFile,
)
from portfolio_app.taxonomy.json_words import json_kind
from portfolio_app.taxonomy.model import RetiredSector, Sector, Taxonomy, name_key
from portfolio_app.taxonomy.scoring_rules import scoring_problems

_ID_FIELDS = ("id", "parent", "replaced_by")


@dataclass(frozen=True)
class CheckResult:
    """What checking a document found. `taxonomy` is set exactly when there are no problems."""

    taxonomy: Taxonomy | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.taxonomy is not None


def check_document(data: object) -> CheckResult:
    """Validate a document (the result of parsing the JSON) into a Taxonomy, or say why not."""
    if not isinstance(data, Mapping):
        return CheckResult(
            None,
            [
                Problem(
                    "the file must hold one JSON object { ... } with format_version, id, "
                    f"title, version and sectors, not {json_kind(data)}",
                    "file",
                )
            ],
        )
    version = data.get("format_version")
    if type(version) is int and version != FORMAT_VERSION:
        # A different format version may be shaped differently: other messages would mislead.
        return CheckResult(None, [_format_version_problem(version)])

    problems: list[Problem] = []
    document: TaxonomyFile | None = None
    try:
        document = TaxonomyFile.model_validate(dict(data))
    except ValidationError as exc:
        problems.extend(_pydantic_problem(err, data) for err in exc.errors())
    except RecursionError:
        problems.append(Problem("the file is nested too deeply to read", "file"))
    problems.extend(_structure_problems(data))
    if isinstance(data.get("scoring"), Mapping):  # anything else is pydantic's "must be an object"
        # The scoring code's own parser: what validates here is what `score` will accept.
        problems.extend(scoring_problems(data["scoring"]))
    problems.sort(key=_problem_order)
    warnings = _unknown_key_warnings(data)
    if problems or document is None:
        return CheckResult(None, problems, warnings)
    colours = _colours(document, data)
    warnings.extend(_ambiguity_warnings(document))
    warnings.extend(_colour_warnings(document, colours))
    return CheckResult(_taxonomy_from(document, colours, tuple(warnings)), [], warnings)


def _families(doc: TaxonomyFile) -> dict[str, str]:
    """Each sector's top-level sector (valid documents only: parents known, no cycles)."""
    parents = {s.id: s.parent for s in doc.sectors}
    top: dict[str, str] = {}
    for sector in doc.sectors:
        current = sector.id
        while parents.get(current):
            current = str(parents[current])
        top[sector.id] = current
    return top


def _colours(doc: TaxonomyFile, data: Mapping[str, Any]) -> dict[str, str]:
    """Every sector's colour. One the file leaves out is its family's for a sub-sector, and
    for a top-level sector one far from every other (not a grey that matches another's)."""
    given = {
        s.id: s.colour.lower()
        for (_, raw), s in zip(_entries(data, "sectors"), doc.sectors, strict=True)
        if "colour" in raw
    }
    families = _families(doc)
    colours = dict(given)
    for sector in doc.sectors:
        if sector.id not in colours and families[sector.id] == sector.id:
            colours[sector.id] = distinct_colour(colours.values())
    for sector in doc.sectors:
        if sector.id not in colours:
            family_colour = colours.get(families[sector.id])
            colours[sector.id] = family_colour or distinct_colour(colours.values())
    return colours


def _colour_warnings(doc: TaxonomyFile, colours: Mapping[str, str]) -> list[str]:
    families = _families(doc)
    return [
        f"the colours of {a!r} and {b!r} are hard to tell apart (difference {gap:.1f}; "
        f"at least {MIN_DISTANCE:g} is needed): give one of them another colour"
        for a, b, gap in close_pairs([(s.id, families[s.id], colours[s.id]) for s in doc.sectors])
    ]


def _taxonomy_from(
    doc: TaxonomyFile, colours: Mapping[str, str], warnings: tuple[str, ...]
) -> Taxonomy:
    return Taxonomy(
        id=doc.id,
        title=doc.title.strip(),
        version=doc.version.strip(),
        publisher=doc.publisher.strip(),
        date=doc.date,
        description=doc.description,
        sectors=tuple(
            Sector(
                s.id,
                s.label.strip(),
                s.parent,
                tuple(a.strip() for a in s.aliases),
                s.description,
                colours[s.id],
                s.order,
            )
            for s in doc.sectors
        ),
        retired=tuple(RetiredSector(r.id, r.replaced_by, r.since, r.note) for r in doc.retired),
        scoring=doc.scoring,
        warnings=warnings,
    )


# --- where -----------------------------------------------------------------------------------


def describe_path(path: Location, data: object = None) -> str:
    """'sectors[3].colour (sector "ccg")': a JSON path, plus the entry's id when it has one."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    if len(path) >= 2 and path[0] in ("sectors", "retired") and isinstance(path[1], int):
        entry_id = _entry_id(data, str(path[0]), path[1])
        if entry_id:
            kind = "sector" if path[0] == "sectors" else "retired sector"
            text += f" ({kind} {entry_id!r})"
    return text or "file"


def _entry_id(data: object, section: str, index: int) -> str | None:
    if not isinstance(data, Mapping):
        return None
    entries = data.get(section)
    if isinstance(entries, list) and 0 <= index < len(entries):
        entry = entries[index]
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            return str(entry["id"])
    return None


def _problem(message: str, path: Location, data: object) -> Problem:
    return Problem(message, describe_path(path, data), path)


_SECTION_RANK = {"format_version": 0, "sectors": 2, "retired": 3}


def _problem_order(problem: Problem) -> tuple[int, int]:
    path = problem.path
    rank = _SECTION_RANK.get(str(path[0]), 1) if path else 0
    index = path[1] if len(path) > 1 and isinstance(path[1], int) else -1
    return rank, index


# --- pydantic errors in plain words --------------------------------------------------------


def _pydantic_problem(err: ErrorDetails, data: object) -> Problem:
    path: Location = tuple(err["loc"])
    return _problem(_plain_message(err, path), path, data)


def _plain_message(err: ErrorDetails, path: Location) -> str:
    kind = err["type"]
    names = [p for p in path if isinstance(p, str)]
    name = names[-1] if names else "file"
    in_list = bool(path) and isinstance(path[-1], int)
    value = err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    if kind == "missing":
        return f"{name} is missing; it is required"
    if kind == "extra_forbidden":
        allowed = SECTOR_KEYS if path and path[0] == "sectors" else RETIRED_KEYS
        return (
            f"unknown field {name!r}{_did_you_mean(name, allowed)}; allowed: {', '.join(allowed)}"
        )
    if name == "format_version":
        return _format_version_problem(value).message
    if kind == "string_pattern_mismatch" or (kind == "string_too_short" and not in_list):
        return _pattern_message(name, in_list, value)
    if kind == "string_too_long":
        return f"{name} is too long ({len(str(value))} characters; at most {ctx.get('max_length')})"
    if kind == "too_short" and name == "sectors":
        return "there are no sectors; a taxonomy needs at least one"
    if kind in ("string_type", "string_unicode"):
        what = "each alias" if in_list else name
        return f"{what} must be text in quotes, not {json_kind(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} must be a whole number, not {json_kind(value)}"
    if kind == "list_type":
        return f"{name} must be a list [ ... ], not {json_kind(value)}"
    if kind == "value_error":  # our own validators' messages are already plain
        return str(ctx.get("error", err["msg"]))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        what = {"sectors": "each sector", "retired": "each retired entry"}.get(name, name)
        return f"{what} must be an object {{ ... }}, not {json_kind(value)}"
    return str(err["msg"])


def _pattern_message(name: str, in_list: bool, value: object) -> str:
    shown = repr(value)
    if in_list and name == "aliases":
        return f"alias {shown} is empty or contains ';' (a ';' separates aliases in CSV files)"
    if name == "colour":
        return f"colour {shown} is not a colour: write # and six hex digits, like #1f77b4"
    if name == "date":
        return f"date {shown} is not a date: write YYYY-MM-DD, like 2026-04-01"
    if name in _ID_FIELDS:
        return (
            f"{name} {shown} is not a valid id: use lower-case letters a-z, digits and hyphens, "
            "starting with a letter or digit, like 'adult-social-care'"
        )
    return f"the {name} is empty"


def _format_version_problem(value: object) -> Problem:
    if type(value) is int and value > FORMAT_VERSION:
        message = (
            f"format_version is {value}, but this version of Portfolio reads format "
            f"{FORMAT_VERSION}: update Portfolio, or save the file in format {FORMAT_VERSION}"
        )
    else:
        message = f"format_version must be the number {FORMAT_VERSION}, not {json_kind(value)}"
    return Problem(message, "format_version", ("format_version",))


def _did_you_mean(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- rules across entries -----------------------------------------------------------------


def _valid_id(value: object) -> str | None:
    """The value when it is a usable id; pydantic reports the rest, so they are skipped here."""
    if isinstance(value, str) and len(value) <= 64 and re.fullmatch(ID_PATTERN, value):
        return value
    return None


def _entries(data: Mapping[str, Any], section: str) -> list[tuple[int, Mapping[str, Any]]]:
    entries = data.get(section)
    if not isinstance(entries, list):
        return []
    return [(i, e) for i, e in enumerate(entries) if isinstance(e, Mapping)]


def _structure_problems(data: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    sectors = _entries(data, "sectors")
    retired_entries = _entries(data, "retired")

    # Ids written but invalid are reported once, by pydantic; references to them are not errors.
    declared = {e["id"] for _, e in sectors if isinstance(e.get("id"), str)}
    active: dict[str, int] = {}
    for index, entry in sectors:
        sector_id = _valid_id(entry.get("id"))
        if sector_id is None:
            continue
        if sector_id in active:
            problems.append(
                _problem(
                    f"duplicate id {sector_id!r}: sectors[{active[sector_id]}] has it too",
                    ("sectors", index, "id"),
                    data,
                )
            )
        else:
            active[sector_id] = index

    retired: dict[str, tuple[int, str | None]] = {}
    for index, entry in retired_entries:
        retired_id = _valid_id(entry.get("id"))
        if retired_id is None:
            continue
        if retired_id in retired:
            first = retired[retired_id][0]
            problems.append(
                _problem(
                    f"{retired_id!r} is retired twice: retired[{first}] has it too",
                    ("retired", index, "id"),
                    data,
                )
            )
            continue
        retired[retired_id] = (index, _valid_id(entry.get("replaced_by")))
        if retired_id in active:
            problems.append(
                _problem(
                    f"{retired_id!r} is retired but is also an active sector "
                    f"(sectors[{active[retired_id]}]); keep only one of them",
                    ("retired", index, "id"),
                    data,
                )
            )

    parents: dict[str, str] = {}
    for index, entry in sectors:
        raw_parent = entry.get("parent")
        parent = _valid_id(raw_parent)
        sector_id = _valid_id(entry.get("id"))
        if parent is None:
            continue
        if sector_id is not None and active.get(sector_id) == index:
            parents[sector_id] = parent
        if parent in active or (parent in declared and parent not in retired):
            continue
        where = ("sectors", index, "parent")
        if parent in retired:
            problems.append(
                _problem(
                    f"parent {parent!r} is a retired sector; place this sector under an active one",
                    where,
                    data,
                )
            )
        else:
            problems.append(
                _problem(
                    f"unknown parent {parent!r}: no sector has that id"
                    + _did_you_mean(parent, list(active)),
                    where,
                    data,
                )
            )
    problems.extend(_cycle_problems(parents, active, data))
    problems.extend(_replacement_problems(retired, active, declared, data))
    return problems


def _cycle_problems(
    parents: Mapping[str, str], active: Mapping[str, int], data: Mapping[str, Any]
) -> list[Problem]:
    """Each parent cycle once, reported at its first sector in the file.

    Linear in the number of sectors: a walk stops at any sector already settled, so a file
    with one very deep branch is checked as fast as a flat one.
    """
    problems: list[Problem] = []
    settled: set[str] = set()
    for start in parents:
        if start in settled:
            continue
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        while current is not None and current in parents and current not in settled:
            if current in on_chain:
                cycle = chain[chain.index(current) :]
                problems.append(_cycle_problem(cycle, active, data))
                break
            chain.append(current)
            on_chain.add(current)
            current = parents[current]
        settled.update(chain)
    return problems


def _cycle_problem(cycle: list[str], active: Mapping[str, int], data: Mapping[str, Any]) -> Problem:
    first = min(cycle, key=lambda s: active[s])
    if len(cycle) == 1:
        message = f"{first!r} is its own parent"
    else:
        at = cycle.index(first)
        loop = [*cycle[at:], *cycle[:at], first]
        message = f"parents form a cycle ({_chain(loop)}): a sector cannot be inside itself"
    return _problem(message, ("sectors", active[first], "parent"), data)


def _replacement_problems(
    retired: Mapping[str, tuple[int, str | None]],
    active: Mapping[str, int],
    declared: set[str],
    data: Mapping[str, Any],
) -> list[Problem]:
    """`replaced_by` must lead, through any chain of retired sectors, to an active sector."""
    problems: list[Problem] = []
    in_loops: set[str] = set()
    for retired_id, (index, replaced_by) in retired.items():
        if replaced_by is None or retired_id in in_loops:
            continue  # no successor: allowed, but refused on install if data uses the sector
        where = ("retired", index, "replaced_by")
        chain = [retired_id]
        on_chain = {retired_id}
        target: str | None = replaced_by
        while target is not None and target not in active and target in retired:
            if target in on_chain:
                in_loops.update(chain[chain.index(target) :])
                problems.append(
                    _problem(
                        f"the replacements loop ({_chain([*chain, target])})",
                        where,
                        data,
                    )
                )
                break
            chain.append(target)
            on_chain.add(target)
            target = retired[target][1]
        else:
            if target is None:
                problems.append(
                    _problem(
                        "replaced_by must lead to an active sector, but "
                        + _chain(chain)
                        + f" ends at the retired sector {chain[-1]!r}, which has no replacement",
                        where,
                        data,
                    )
                )
            elif target not in active and target not in declared:
                problems.append(
                    _problem(
                        f"replaced_by {target!r} is not a sector in this file"
                        + _did_you_mean(target, list(active)),
                        where,
                        data,
                    )
                )
    return problems


def _chain(ids: list[str]) -> str:
    """'a → b → c', shortened in the middle when long, so that one message stays one line."""
    if len(ids) <= 8:
        return " → ".join(ids)
    return " → ".join([*ids[:4], f"… {len(ids) - 6} more …", *ids[-2:]])


# --- warnings ------------------------------------------------------------------------------


def _unknown_key_warnings(data: Mapping[str, Any]) -> list[str]:
    known = sorted(KNOWN_TOP_LEVEL_KEYS)
    return [
        f"unknown top-level key {key!r} is ignored{_did_you_mean(str(key), known)}"
        for key in data
        if key not in KNOWN_TOP_LEVEL_KEYS
    ]


def _ambiguity_warnings(document: TaxonomyFile) -> list[str]:
    """Names two sectors share: typing one (e.g. in a CSV import) cannot pick a sector."""
    owners: dict[str, list[SectorEntry]] = {}
    for sector in document.sectors:
        for name in dict.fromkeys(name_key(n) for n in (sector.id, sector.label, *sector.aliases)):
            owners.setdefault(name, []).append(sector)
    return [
        f"the name {name!r} belongs to "
        + " and ".join(f"{s.label.strip()!r} ({s.id})" for s in sectors)
        + ": typing it will not pick a sector"
        for name, sectors in owners.items()
        if len(sectors) > 1
    ]
