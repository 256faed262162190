"""Read and validate a taxonomy file, reporting every problem with where it is."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from portfolio_app.paths import resources_dir
from portfolio_app.taxonomy.file_format import TaxonomyFile
from portfolio_app.taxonomy.model import RetiredSector, Sector, Taxonomy

MAX_FILE_BYTES = 5 * 1024 * 1024


class TaxonomyError(Exception):
    """A taxonomy file that cannot be used; `problems` lists every reason, each with its place."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def default_taxonomy_path() -> Path:
    return resources_dir() / "taxonomy" / "default.json"


def load_default_taxonomy() -> Taxonomy:
    return load_taxonomy(default_taxonomy_path())


def load_taxonomy(path: Path) -> Taxonomy:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TaxonomyError(
                str(path), [f"file is too large ({size} bytes; limit {MAX_FILE_BYTES})"]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise TaxonomyError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from exc
    return parse_taxonomy(raw, str(path))


def parse_taxonomy(raw: bytes, source: str = "taxonomy") -> Taxonomy:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TaxonomyError(source, [f"not UTF-8 text (byte {exc.start})"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(
            source, [f"bad JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc
    try:
        doc = TaxonomyFile.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors()
        ]
        raise TaxonomyError(source, problems) from exc
    problems = _structure_problems(doc)
    if problems:
        raise TaxonomyError(source, problems)
    return Taxonomy(
        id=doc.id,
        title=doc.title,
        version=doc.version,
        publisher=doc.publisher,
        date=doc.date,
        description=doc.description,
        sectors=tuple(
            Sector(
                s.id, s.label.strip(), s.parent, tuple(s.aliases), s.description, s.colour, s.order
            )
            for s in doc.sectors
        ),
        retired=tuple(RetiredSector(r.id, r.replaced_by, r.since, r.note) for r in doc.retired),
        scoring=doc.scoring,
    )


def _structure_problems(doc: TaxonomyFile) -> list[str]:
    """Cross-entry rules that a per-field schema cannot express."""
    problems: list[str] = []
    ids: dict[str, int] = {}
    for index, sector in enumerate(doc.sectors):
        where = f"sectors.{index}"
        if not sector.label.strip():
            problems.append(f"{where}.label: the label is empty")
        if sector.id in ids:
            problems.append(
                f"{where}.id: duplicate id {sector.id!r} (first at sectors.{ids[sector.id]})"
            )
        else:
            ids[sector.id] = index
    for index, sector in enumerate(doc.sectors):
        if sector.parent is not None and sector.parent not in ids:
            problems.append(f"sectors.{index}.parent: unknown parent {sector.parent!r}")
    parents = {s.id: s.parent for s in doc.sectors}
    for index, sector in enumerate(doc.sectors):
        seen = {sector.id}
        current = parents.get(sector.id)
        while current is not None and current in parents:
            if current in seen:
                problems.append(f"sectors.{index}.parent: {sector.id!r} is inside a parent cycle")
                break
            seen.add(current)
            current = parents[current]
    retired = {r.id: r for r in doc.retired}
    for index, entry in enumerate(doc.retired):
        where = f"retired.{index}"
        if entry.id in ids:
            problems.append(f"{where}.id: {entry.id!r} is retired but also an active sector")
        target, seen_ids = entry.replaced_by, {entry.id}
        while target is not None and target in retired:
            if target in seen_ids:
                problems.append(f"{where}.replaced_by: the replacements of {entry.id!r} loop")
                break
            seen_ids.add(target)
            target = retired[target].replaced_by
        else:
            if target is not None and target not in ids:
                problems.append(f"{where}.replaced_by: unknown sector {target!r}")
    return problems
