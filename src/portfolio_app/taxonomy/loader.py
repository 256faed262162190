"""Read taxonomy files: size, encoding and JSON syntax here; the rules in validation.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portfolio_app.file_checks import InputRefused, InputTooLarge, read_input_bytes
from portfolio_app.paths import resources_dir
from portfolio_app.taxonomy.errors import Problem, TaxonomyError
from portfolio_app.taxonomy.file_format import MAX_FILE_BYTES
from portfolio_app.taxonomy.model import Taxonomy
from portfolio_app.taxonomy.validation import CheckResult, check_document

__all__ = [
    "MAX_FILE_BYTES",
    "TaxonomyError",
    "check_bytes",
    "default_taxonomy_path",
    "load_default_taxonomy",
    "load_taxonomy",
    "parse_taxonomy",
    "read_document",
    "taxonomy_from_document",
]


def default_taxonomy_path() -> Path:
    return resources_dir() / "taxonomy" / "default.json"


def load_default_taxonomy() -> Taxonomy:
    return load_taxonomy(default_taxonomy_path())


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and validate a file. Raises TaxonomyError listing every problem."""
    return parse_taxonomy(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing a missing, unreadable or too large file, a folder, device or
    FIFO (without reading it: file_checks) with a clear reason."""
    try:
        return read_input_bytes(path, MAX_FILE_BYTES, "taxonomy file")
    except InputTooLarge as exc:
        raise TaxonomyError(str(path), [_too_large(exc.size)]) from None
    except InputRefused as exc:
        raise TaxonomyError(
            str(path), [Problem(f"cannot read the file: {exc.reason}", "file")]
        ) from None


def parse_taxonomy(raw: bytes, source: str = "taxonomy") -> Taxonomy:
    """Validate a file's bytes. Raises TaxonomyError listing every problem."""
    result = check_bytes(raw)
    if result.taxonomy is None:
        raise TaxonomyError(source, result.problems)
    return result.taxonomy


def check_bytes(raw: bytes) -> CheckResult:
    """Like parse_taxonomy, but returns the problems instead of raising (for live validation)."""
    try:
        data = read_document(raw)
    except TaxonomyError as exc:
        return CheckResult(None, exc.details)
    return check_document(data)


def taxonomy_from_document(data: object, source: str = "taxonomy") -> Taxonomy:
    """Validate an already-parsed document (e.g. an editor's draft). Raises TaxonomyError."""
    result = check_document(data)
    if result.taxonomy is None:
        raise TaxonomyError(source, result.problems)
    return result.taxonomy


def read_document(raw: bytes, source: str = "taxonomy") -> Any:
    """Decode UTF-8 (a BOM is fine) and parse JSON; syntax errors say line and column."""
    if len(raw) > MAX_FILE_BYTES:
        raise TaxonomyError(source, [_too_large(len(raw))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TaxonomyError(
            source,
            [
                Problem(
                    f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8",
                    f"line {line}",
                    line=line,
                )
            ],
        ) from None
    reported: list[Problem] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        repeated: list[str] = []
        for key, value in items:
            if key in obj:
                repeated.append(key)
            obj[key] = value
        if repeated:
            reported.extend(_duplicate_key_problems(obj, repeated))
        return obj

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(
            source,
            [
                Problem(
                    f"this is not valid JSON: {exc.msg}",
                    f"line {exc.lineno}, column {exc.colno}",
                    line=exc.lineno,
                    column=exc.colno,
                )
            ],
        ) from None
    except RecursionError:
        raise TaxonomyError(
            source, [Problem("the file is nested too deeply to read", "file")]
        ) from None
    except ValueError as exc:  # e.g. a number with thousands of digits
        raise TaxonomyError(source, [Problem(f"this is not usable JSON: {exc}", "file")]) from None
    if reported:
        raise TaxonomyError(source, reported)
    return data


def _duplicate_key_problems(obj: dict[str, Any], keys: list[str]) -> list[Problem]:
    """JSON allows a repeated key (the last wins), but here it is nearly always a pasting slip."""
    entry_id = obj.get("id")
    if "format_version" in obj or "sectors" in obj:
        where = "top level"
    elif isinstance(entry_id, str):
        where = f"the entry with id {entry_id!r}"
    else:
        where = "an object"
    return [
        Problem(f"the key {key!r} appears more than once in {where}; keep one", "file")
        for key in dict.fromkeys(keys)
    ]


def _too_large(size: int) -> Problem:
    return Problem(
        f"the file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})", "file"
    )
