"""The editor's mutable copy of a taxonomy document, and the way back to the file format.

A draft may be invalid (an empty label, a bad colour, a duplicate id): the editor shows those
problems live instead of refusing the edit. Sectors are linked to their parent node, not by id,
so that the tree stays a tree whatever the ids say; `document()` writes the ids back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import count
from typing import Any

from portfolio_app.taxonomy.errors import Problem, TaxonomyError
from portfolio_app.taxonomy.file_format import (
    DEFAULT_COLOUR,
    FORMAT_VERSION,
    ID_PATTERN,
    RETIRED_KEYS,
    SECTOR_KEYS,
)
from portfolio_app.taxonomy.model import Sector, Taxonomy
from portfolio_app.taxonomy.validation import check_document
from portfolio_app.taxonomy.writer import taxonomy_to_document

HEADER_FIELDS = ("id", "title", "version", "publisher", "date", "description")
# Sector fields the details panel edits; `parent` is the tree's structure instead.
SECTOR_FIELDS = ("id", "label", "aliases", "description", "colour", "order")
RETIRED_FIELDS = ("id", "replaced_by", "since", "note")
ORDER_STEP = 10

_uids = count(1)


def next_uid() -> int:
    return next(_uids)


@dataclass(eq=False)
class SectorNode:
    """One sector in the editor's tree. `uid` is stable for the node's life (ids may change).

    `saved`: the id has been in a saved file, so people's data may use it and it is read-only.
    `auto_id`: a new sector whose id still follows its label (until the id is typed).
    """

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    colour: str = DEFAULT_COLOUR
    order: int = 0
    saved: bool = False
    auto_id: bool = False
    parent: SectorNode | None = None
    children: list[SectorNode] = field(default_factory=list)
    uid: int = field(default_factory=next_uid)

    def row(self) -> int:
        siblings = self.parent.children if self.parent is not None else []
        return next(i for i, s in enumerate(siblings) if s is self)

    def is_root(self) -> bool:
        return self.parent is None

    def ancestors(self) -> Iterator[SectorNode]:
        node = self.parent
        while node is not None and not node.is_root():
            yield node
            node = node.parent

    def descendants(self) -> Iterator[SectorNode]:
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*SECTOR_FIELDS, "auto_id")}

    def sort_key(self) -> tuple[int, str]:
        """The order the app shows siblings in (Taxonomy.children sorts by the same)."""
        return (self.order, self.label.strip())


@dataclass
class RetiredDraft:
    """A retired entry. `label` is what the sector was called, for display only (not saved)."""

    id: str
    replaced_by: str | None
    since: str = ""
    note: str = ""
    label: str = ""


@dataclass
class Draft:
    """A whole document: header fields, the sector tree under `root`, the retired list, and any
    other top-level keys (scoring, $schema, keys from a newer app) passed through unchanged."""

    header: dict[str, str]
    root: SectorNode
    retired: list[RetiredDraft] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def nodes(self) -> list[SectorNode]:
        """Every sector depth-first in display order: the order they are written in."""
        return list(self.root.descendants())

    def document(self) -> tuple[dict[str, Any], list[SectorNode]]:
        """The JSON document to validate or save, and the node behind each `sectors[i]`."""
        nodes = self.nodes()
        document: dict[str, Any] = {"format_version": FORMAT_VERSION}
        document.update(self.header)
        for key, value in self.extra.items():
            document.setdefault(key, value)
        document["sectors"] = [
            {
                "id": node.id,
                "label": node.label,
                "parent": node.parent.id if node.parent and not node.parent.is_root() else None,
                "aliases": list(node.aliases),
                "description": node.description,
                "colour": node.colour,
                "order": node.order,
            }
            for node in nodes
        ]
        document["retired"] = [
            {"id": r.id, "replaced_by": r.replaced_by, "since": r.since, "note": r.note}
            for r in self.retired
        ]
        return document, nodes

    def used_ids(self, but: SectorNode | None = None) -> set[str]:
        used = {n.id for n in self.nodes() if n is not but}
        return used | {r.id for r in self.retired}


def new_root() -> SectorNode:
    return SectorNode(id="", label="", uid=0)


def blank_draft(today: date | None = None) -> Draft:
    """File → New: a header to fill in and no sectors yet (which is the first problem shown)."""
    header = {
        "id": "new-taxonomy",
        "title": "New taxonomy",
        "version": "1",
        "publisher": "",
        "date": (today or date.today()).isoformat(),
        "description": "",
    }
    return Draft(header, new_root())


def draft_from_taxonomy(taxonomy: Taxonomy, *, saved: bool = True) -> Draft:
    """A draft of a valid taxonomy (every id was in a file, so each is read-only if `saved`)."""
    document = taxonomy_to_document(taxonomy)
    header = {name: str(document.get(name, "")) for name in HEADER_FIELDS}
    extra = {"scoring": dict(taxonomy.scoring)} if taxonomy.scoring is not None else {}
    draft = Draft(header, new_root(), extra=extra)
    attach_sectors(draft.root, taxonomy.sectors, saved=saved)
    draft.retired = [
        RetiredDraft(r.id, r.replaced_by, r.since_version, r.note) for r in taxonomy.retired
    ]
    return draft


def attach_sectors(root: SectorNode, sectors: tuple[Sector, ...], *, saved: bool) -> None:
    """Build the tree of `sectors` under `root`, children in display order."""
    nodes = {
        s.id: SectorNode(s.id, s.label, s.aliases, s.description, s.colour, s.order, saved)
        for s in sectors
    }
    for sector in sectors:
        parent = nodes[sector.parent_id] if sector.parent_id else root
        child = nodes[sector.id]
        child.parent = parent
        parent.children.append(child)
    for node in [root, *nodes.values()]:
        node.children.sort(key=SectorNode.sort_key)


def draft_from_document(data: object, source: str = "taxonomy") -> Draft:
    """A draft of a parsed document that may break rules the editor can show and fix (labels,
    colours, ids, dates, the retired list). Raises TaxonomyError when the file cannot be shown
    as a tree (not an object, wrong types, unknown parents, cycles), listing its problems."""
    result = check_document(data)
    if result.taxonomy is not None:
        draft = draft_from_taxonomy(result.taxonomy)
        if isinstance(data, Mapping):
            draft.extra.update(_extra_keys(data))
        return draft
    if not isinstance(data, Mapping) or data.get("format_version") != FORMAT_VERSION:
        raise TaxonomyError(source, result.problems)
    unshowable = _unshowable(data)
    if unshowable:
        raise TaxonomyError(source, [*unshowable, *result.problems])
    header = {name: str(data.get(name) or "") for name in HEADER_FIELDS}
    draft = Draft(header, new_root(), extra=_extra_keys(data))
    entries = list(data.get("sectors") or [])
    # An id is read-only only when it is well formed and unique: a file with a bad or repeated
    # id was never in use, so fixing the id cannot strand anyone's data.
    ids = [e.get("id") for e in entries]
    nodes: list[SectorNode] = []
    first: dict[str, SectorNode] = {}
    for entry in entries:
        sector_id = str(entry.get("id") or "")
        node = SectorNode(
            id=sector_id,
            label=str(entry.get("label") or ""),
            aliases=tuple(entry.get("aliases") or ()),
            description=str(entry.get("description") or ""),
            colour=str(entry.get("colour") or DEFAULT_COLOUR),
            order=int(entry.get("order") or 0),
            saved=bool(re.fullmatch(ID_PATTERN, sector_id)) and ids.count(sector_id) == 1,
        )
        nodes.append(node)
        first.setdefault(sector_id, node)
    for entry, node in zip(entries, nodes, strict=True):
        parent_id = entry.get("parent")
        parent = first[parent_id] if parent_id else draft.root
        node.parent = parent
        parent.children.append(node)
    for node in [draft.root, *nodes]:
        node.children.sort(key=SectorNode.sort_key)
    draft.retired = [
        RetiredDraft(
            str(e.get("id") or ""),
            e.get("replaced_by") or None,
            str(e.get("since") or ""),
            str(e.get("note") or ""),
        )
        for e in data.get("retired") or []
    ]
    return draft


def _extra_keys(data: Mapping[str, Any]) -> dict[str, Any]:
    known = {"format_version", "sectors", "retired", *HEADER_FIELDS}
    return {str(k): v for k, v in data.items() if k not in known}


def _unshowable(data: Mapping[str, Any]) -> list[Problem]:
    """What stops a document from being shown as a tree (the rest the editor can fix)."""
    problems: list[Problem] = []
    for name in HEADER_FIELDS:
        if not isinstance(data.get(name, ""), str):
            problems.append(Problem(f"{name} must be text", name, (name,)))
    sectors = data.get("sectors", [])
    retired = data.get("retired", [])
    if not isinstance(sectors, list) or not isinstance(retired, list):
        return [*problems, Problem("sectors and retired must be lists", "file")]
    ids: dict[str, Any] = {}
    for index, entry in enumerate(sectors):
        where = f"sectors[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem("each sector must be an object { ... }", where))
            continue
        problems += _bad_keys(entry, SECTOR_KEYS, where)
        for name in ("id", "label", "description", "colour"):
            if not isinstance(entry.get(name, ""), str):
                problems.append(Problem(f"{name} must be text", where))
        if not isinstance(entry.get("parent"), str | None):
            problems.append(Problem("parent must be text or null", where))
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(Problem("aliases must be a list of texts", where))
        if type(entry.get("order", 0)) is not int:
            problems.append(Problem("order must be a whole number", where))
        if isinstance(entry.get("id"), str):
            ids.setdefault(entry["id"], entry)
    for index, entry in enumerate(retired):
        where = f"retired[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem("each retired entry must be an object { ... }", where))
            continue
        problems += _bad_keys(entry, RETIRED_KEYS, where)
        for name in ("id", "since", "note"):
            if not isinstance(entry.get(name, ""), str):
                problems.append(Problem(f"{name} must be text", where))
        if not isinstance(entry.get("replaced_by"), str | None):
            problems.append(Problem("replaced_by must be text or null", where))
    if problems:
        return problems
    for index, entry in enumerate(sectors):
        parent = entry.get("parent")
        if parent and parent not in ids:
            problems.append(Problem(f"unknown parent {parent!r}", f"sectors[{index}]"))
    if not problems:
        problems += _cycles(ids)
    return problems


def _bad_keys(entry: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> list[Problem]:
    return [Problem(f"unknown field {key!r}", where) for key in entry if key not in allowed]


def _cycles(entries: Mapping[str, Any]) -> list[Problem]:
    for start in entries:
        seen = {start}
        current = entries[start].get("parent")
        while current:
            if current in seen:
                return [Problem(f"the parents of {current!r} form a cycle", "sectors")]
            seen.add(current)
            current = entries[current].get("parent")
    return []


def slug(text: str) -> str:
    """'Integrated care boards' → 'integrated-care-boards': an id people can read."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:56].strip("-")
    return value or "sector"


def unique_id(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def parse_aliases(text: str) -> tuple[str, ...]:
    """'ASC; social services' → ('ASC', 'social services'): the CSV form people already know."""
    return tuple(a.strip() for a in text.split(";") if a.strip())
