"""Hypothesis fuzzes `import-json`: random bytes, random JSON and mutations of a real export
give a clean import or our clear error (JsonImportError, naming where), never another
exception, and never a partial import (every row as it was after a refusal). After a clean
import the data still exports: nothing invalid was stored."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from json_support import fill_rich, table_rows
from portfolio_app.services import AppServices
from portfolio_app.services.json_export import JsonExportService
from portfolio_app.services.json_import import JsonImportService
from portfolio_app.services.json_problems import JsonImportError
from portfolio_app.storage.database import Database
from portfolio_app.taxonomy import Taxonomy, load_default_taxonomy

# About 25 s in all on a shared 2-core machine (a fresh database file per example).
FUZZ = settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TAXONOMY: Taxonomy = load_default_taxonomy()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


class Fuzzed:
    """Each example gets its own database: a copy of a template file (empty, or holding the
    rich data), opened with the test key."""

    def __init__(self, folder: Path, data_key: bytes, empty: Path, filled: Path) -> None:
        self.folder, self.data_key = folder, data_key
        self.templates = {"empty": empty, "filled": filled}
        self.count = 0

    @contextmanager
    def database(self, template: str) -> Iterator[Database]:
        self.count += 1
        path = self.folder / f"example-{self.count}.sqlite3"
        shutil.copyfile(self.templates[template], path)
        db = Database(path, key=self.data_key)
        try:
            yield db
        finally:
            db.close()
            path.unlink()

    def check(self, data: bytes, template: str, *, merge: bool) -> None:
        """Import `data`: clean, or our error with nothing changed."""
        with self.database(template) as db:
            before = table_rows(db)
            try:
                JsonImportService(db, TAXONOMY).import_bytes(data, merge=merge)
            except JsonImportError as exc:
                event(f"refused: {exc.problems[0].message[:30]}")
                assert exc.problems and str(exc).endswith("Nothing was imported.")
                assert table_rows(db) == before
            else:
                event("imported")
                JsonExportService(db, TAXONOMY).model()  # what was stored exports again


@pytest.fixture
def fuzzed(
    services: AppServices, tmp_path: Path, migrated_template: Path, data_key: bytes
) -> Fuzzed:
    fill_rich(services)
    filled = tmp_path / "filled.sqlite3"
    services.db.copy_to(filled)
    return Fuzzed(tmp_path, data_key, migrated_template, filled)


@pytest.fixture
def export(services: AppServices, fuzzed: Fuzzed) -> dict[str, Any]:
    del fuzzed  # it filled `services`
    return services.json_export.document()


@FUZZ
@given(data=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_random_input_is_refused_clearly(fuzzed: Fuzzed, data: bytes) -> None:
    fuzzed.check(data, "empty", merge=False)


def _uids(value: Any) -> list[str]:
    return [v for k, v in _flat(value) if k == "uid"]


def _flat(value: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _flat(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _flat(inner)


REFERENCES = ("activity", "lesson", "review", "organisation", "home_organisation")


def _place(draw: st.DrawFn, document: dict[str, Any]) -> tuple[Any, Any]:
    """A container in the document and a key or index in it: mostly a field of one entry
    (where the rules are), sometimes deeper, a whole entry, or the document's own fields."""
    kinds = [k for k, v in document.items() if isinstance(v, list) and v]
    if not kinds or not draw(st.integers(0, 7)):  # (mutations never empty the document)
        return document, draw(st.sampled_from(list(document)))
    entries = document[draw(st.sampled_from(kinds))]
    index = draw(st.integers(0, len(entries) - 1))
    if not isinstance(entries[index], dict) or not entries[index] or not draw(st.integers(0, 7)):
        return entries, index
    parent: Any = entries[index]
    links = [k for k in parent if k in REFERENCES]
    key: Any = draw(st.sampled_from(links if links and draw(st.booleans()) else list(parent)))
    while isinstance(parent[key], dict | list) and parent[key] and draw(st.booleans()):
        parent = parent[key]
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        key = draw(st.sampled_from(keys))
    return parent, key


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    """The export with one to three changes: a value replaced (random JSON, a uid of another
    entry, a value of the same field elsewhere, null, odd text), a key removed, a list entry
    repeated."""
    document = copy.deepcopy(document)
    uids = _uids(document)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        parent, key = _place(draw, document)
        action = draw(st.sampled_from(["value", "uid", "same", "null", "text", "drop", "repeat"]))
        if isinstance(key, str) and key in REFERENCES:
            action = draw(st.sampled_from(["uid", "null"]))
        if action == "drop":
            del parent[key]
        elif action == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "uid":
            parent[key] = draw(st.sampled_from(uids))
        elif action == "same":
            values = [v for k, v in _flat(document) if k == key]
            parent[key] = copy.deepcopy(draw(st.sampled_from(values))) if values else None
        elif action == "null":
            parent[key] = None
        elif action == "text":
            parent[key] = draw(st.sampled_from(["", " ", "Zoë", "2024-02-30", "x" * 301]))
        else:
            parent[key] = draw(json_values)
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


@FUZZ
@given(st.data())
def test_a_mutated_export_merges_cleanly_or_is_refused_clearly(
    fuzzed: Fuzzed, export: dict[str, Any], data: st.DataObject
) -> None:
    fuzzed.check(data.draw(mutated(export)), "filled", merge=True)


@FUZZ
@given(st.data())
def test_a_mutated_export_imports_cleanly_or_is_refused_clearly(
    fuzzed: Fuzzed, export: dict[str, Any], data: st.DataObject
) -> None:
    fuzzed.check(data.draw(mutated(export)), "empty", merge=False)


def test_the_unmutated_export_imports(fuzzed: Fuzzed, export: dict[str, Any]) -> None:
    """The fuzz starts from a document that imports (so mutations are what it tests)."""
    with fuzzed.database("empty") as db:
        result = JsonImportService(db, TAXONOMY).import_bytes(json.dumps(export).encode())
        assert result.total_added == 16
