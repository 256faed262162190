"""Write a taxonomy back to the file format (what the editor saves and install copies)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portfolio_app import atomic_files
from portfolio_app.atomic_files import FileMode
from portfolio_app.file_checks import write_reason
from portfolio_app.taxonomy.errors import Problem, TaxonomyError
from portfolio_app.taxonomy.file_format import FORMAT_VERSION
from portfolio_app.taxonomy.model import Taxonomy


def taxonomy_to_document(taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON document for a taxonomy; loading it gives back an equal Taxonomy."""
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "id": taxonomy.id,
        "title": taxonomy.title,
        "version": taxonomy.version,
        "publisher": taxonomy.publisher,
        "date": taxonomy.date,
        "description": taxonomy.description,
        "sectors": [
            {
                "id": s.id,
                "label": s.label,
                "parent": s.parent_id,
                "aliases": list(s.aliases),
                "description": s.description,
                "colour": s.colour,
                "order": s.order,
            }
            for s in taxonomy.sectors
        ],
        "retired": [
            {"id": r.id, "replaced_by": r.replaced_by, "since": r.since_version, "note": r.note}
            for r in taxonomy.retired
        ],
    }
    if taxonomy.scoring is not None:
        document["scoring"] = dict(taxonomy.scoring)
    return document


def dump_taxonomy(taxonomy: Taxonomy) -> str:
    """Readable, stable JSON (UTF-8 text, not escaped), ending with a newline."""
    return json.dumps(taxonomy_to_document(taxonomy), ensure_ascii=False, indent=2) + "\n"


def write_taxonomy(path: Path, taxonomy: Taxonomy, *, mode: FileMode = FileMode.OWNER_ONLY) -> None:
    """Save `taxonomy` at `path`. HR's editor and `taxonomy from-csv` ask for FileMode.SHARED:
    their file is deployed to users who must be able to read it."""
    write_text_atomically(path, dump_taxonomy(taxonomy), mode=mode)


def write_text_atomically(
    path: Path, text: str, *, encoding: str = "utf-8", mode: FileMode = FileMode.OWNER_ONLY
) -> None:
    """Write beside `path`, then rename, so that a failure never leaves half a file."""
    try:
        atomic_files.write_text_atomically(path, text, encoding=encoding, mode=mode)
    except OSError as exc:
        raise TaxonomyError(
            str(path), [Problem(f"cannot write the file: {write_reason(exc)}; nothing was written")]
        ) from exc
