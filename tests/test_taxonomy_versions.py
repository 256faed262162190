"""A file whose content changed but kept its version is flagged; the next version is proposed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from portfolio_app.cli import taxonomy_commands
from portfolio_app.paths import AppPaths
from portfolio_app.taxonomy import load_default_taxonomy
from portfolio_app.taxonomy.loader import default_taxonomy_path
from portfolio_app.taxonomy.versions import next_version, same_content, version_kept_warning

KEPT = "content changed but the version is still 2026.1: HR should give it a new version"


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="portfolio-app")
    taxonomy_commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    code = args.handler(args, AppPaths.resolve(str(tmp_path / "data")))
    out, err = capsys.readouterr()
    return code, out, err


def default_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    return doc


def save(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def relabelled(version: str | None = None) -> dict[str, Any]:
    doc = default_doc()
    doc["sectors"][0]["label"] = "Councils"
    if version is not None:
        doc["version"] = version
    return doc


@pytest.mark.parametrize(
    ("version", "expected"),
    [("2026.1", "2026.2"), ("1", "2"), ("v9", "v10"), ("2026.09", "2026.10"), ("draft", "draft.2")],
)
def test_the_next_version_raises_the_last_number(version: str, expected: str) -> None:
    assert next_version(version) == expected


def test_the_same_list_in_another_file_order_is_the_same_content() -> None:
    doc = default_doc()
    doc["sectors"].reverse()
    doc["date"] = "2030-01-01"  # the date is not what the list says
    from portfolio_app.taxonomy import parse_taxonomy

    reordered = parse_taxonomy(json.dumps(doc).encode())
    assert same_content(reordered, load_default_taxonomy())
    assert version_kept_warning(load_default_taxonomy(), reordered) is None


def test_validate_warns_when_the_content_changed_but_the_version_did_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = save(tmp_path / "new.json", relabelled())
    code, out, err = run(capsys, tmp_path, "taxonomy", "validate", path)
    assert code == 0 and "OK" in out
    assert KEPT in err and "2026.2" in err


def test_validate_is_quiet_about_a_new_version_or_an_unchanged_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for path in (save(tmp_path / "new.json", relabelled("2026.2")), str(default_taxonomy_path())):
        code, _, err = run(capsys, tmp_path, "taxonomy", "validate", path)
        assert code == 0 and "version" not in err


def test_diff_says_the_version_was_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old = str(default_taxonomy_path())
    code, out, _ = run(
        capsys, tmp_path, "taxonomy", "diff", old, save(tmp_path / "n.json", relabelled())
    )
    assert code == 0 and KEPT in out
    code, out, _ = run(
        capsys, tmp_path, "taxonomy", "diff", old, save(tmp_path / "m.json", relabelled("2026.2"))
    )
    assert code == 0 and "version is still" not in out
