"""The JSON Schema of the taxonomy file, generated from the pydantic models.

resources/taxonomy/schema.json is this output, committed so that editors (VS Code, via a
"$schema" key) and other tools can check files; a test fails when the two drift apart.
Regenerate with `python -m portfolio_app.taxonomy.schema`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from portfolio_app.paths import resources_dir
from portfolio_app.taxonomy.file_format import FORMAT_VERSION, TaxonomyFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_path() -> Path:
    return resources_dir() / "taxonomy" / "schema.json"


def json_schema() -> dict[str, Any]:
    schema = TaxonomyFile.model_json_schema()
    return {
        "$schema": SCHEMA_DIALECT,
        "$comment": (
            f"Portfolio taxonomy file, format {FORMAT_VERSION}. Generated from "
            "portfolio_app/taxonomy/file_format.py: do not edit; run "
            "`python -m portfolio_app.taxonomy.schema`. Rules across entries (unique ids, "
            "known parents, no cycles, replacement chains) are checked by the app: run "
            "`portfolio-app taxonomy validate FILE`."
        ),
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the schema file (or, with --check, exit 1 if the committed one is out of date)."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = schema_path()
    if "--check" in args:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != schema_text():
            print(f"{path} is out of date: run python -m portfolio_app.taxonomy.schema")
            return 1
        return 0
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
