"""Fuzzing the loader: whatever the bytes, a TaxonomyError with reasons or a valid Taxonomy.

Never another exception. Near-valid documents (a valid file with a few random edits) reach the
deeper rules, which random bytes almost never do.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portfolio_app.taxonomy import Taxonomy, TaxonomyError, parse_taxonomy
from portfolio_app.taxonomy.loader import check_bytes, default_taxonomy_path
from portfolio_app.taxonomy.writer import dump_taxonomy

FUZZ = settings(
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BASE: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
BASE["retired"] = [{"id": "ccgs", "replaced_by": "integrated-care-boards", "since": "2022.1"}]
IDS = [s["id"] for s in BASE["sectors"]] + ["ccgs", "unknown", ""]


def loads_or_explains(raw: bytes) -> Taxonomy | None:
    """The property itself: a valid taxonomy, or our error with at least one stated reason."""
    try:
        taxonomy = parse_taxonomy(raw, "fuzz.json")
    except TaxonomyError as exc:
        assert exc.problems, "a refusal must say why"
        assert all(p.strip() for p in exc.problems)
        assert not check_bytes(raw).ok
        return None
    # Whatever loads is usable: it survives a write and read back unchanged.
    assert parse_taxonomy(dump_taxonomy(taxonomy).encode()) == taxonomy
    assert len(taxonomy.ordered()) == len(taxonomy.sectors)  # no sector lost to a cycle
    for sector in taxonomy.sectors:
        assert taxonomy.replacement_for(sector.id) == sector.id
    for retired in taxonomy.retired:
        target = taxonomy.replacement_for(retired.id)
        assert target is None or target in taxonomy
    return taxonomy


@FUZZ
@given(st.binary(max_size=2000))
@example(b"\xef\xbb\xbf")
@example(b"{}")
@example(b"null")
@example(b'{"format_version": 1e400}')
@example(b'"\\ud800"')
def test_random_bytes(raw: bytes) -> None:
    loads_or_explains(raw)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(IDS)
    | st.sampled_from(["#1f77b4", "#GGGGGG", "  ", "a;b"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

FIELDS = [
    "id",
    "label",
    "parent",
    "aliases",
    "description",
    "colour",
    "order",
    "replaced_by",
    "since",
    "note",
    "format_version",
    "title",
    "version",
    "sectors",
    "retired",
    "scoring",
    "unknown",
]


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 5))):
        target: Any = draw(
            st.sampled_from(["top", "sector", "retired"]) if doc.get("sectors") else st.just("top")
        )
        if target == "sector" and isinstance(doc.get("sectors"), list) and doc["sectors"]:
            index = draw(st.integers(0, len(doc["sectors"]) - 1))
            entry = doc["sectors"][index]
        elif target == "retired" and isinstance(doc.get("retired"), list) and doc["retired"]:
            entry = doc["retired"][0]
        else:
            entry = doc
        if not isinstance(entry, dict):
            continue
        action = draw(st.sampled_from(["set", "set-id", "delete", "duplicate", "retire"]))
        key = draw(st.sampled_from(FIELDS))
        if action == "set":
            entry[key] = draw(json_values)
        elif action == "set-id":
            entry[key] = draw(st.sampled_from(IDS))
        elif action == "delete":
            entry.pop(key, None)
        elif action == "duplicate" and isinstance(doc.get("sectors"), list) and doc["sectors"]:
            doc["sectors"].append(copy.deepcopy(draw(st.sampled_from(doc["sectors"]))))
        elif action == "retire" and isinstance(doc.get("retired"), list):
            doc["retired"].append(
                {"id": draw(st.sampled_from(IDS)), "replaced_by": draw(st.sampled_from(IDS))}
            )
    return doc


@FUZZ
@given(near_valid(), st.booleans())
def test_near_valid_documents(doc: dict[str, Any], bom: bool) -> None:
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
    loads_or_explains((b"\xef\xbb\xbf" if bom else b"") + raw)


@FUZZ
@given(near_valid(), st.integers(0, 400))
def test_truncated_near_valid_documents(doc: dict[str, Any], cut: int) -> None:
    raw = json.dumps(doc).encode()
    loads_or_explains(raw[: max(0, len(raw) - cut)])


def test_the_base_document_itself_loads() -> None:
    taxonomy = loads_or_explains(json.dumps(BASE).encode())
    assert taxonomy is not None and taxonomy.replacement_for("ccgs") == "integrated-care-boards"
