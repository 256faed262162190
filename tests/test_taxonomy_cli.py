"""`portfolio-app taxonomy ...`: exit codes, what goes to stdout and what to stderr."""

from __future__ import annotations

import argparse
import json
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portfolio_app import paths as app_paths
from portfolio_app.cli import taxonomy_commands
from portfolio_app.domain.records import Organisation
from portfolio_app.paths import MANAGED_TAXONOMY_FILENAME, TAXONOMY_ENV, AppPaths
from portfolio_app.services import open_services
from portfolio_app.taxonomy import load_default_taxonomy, load_taxonomy
from portfolio_app.taxonomy.loader import default_taxonomy_path


@pytest.fixture(autouse=True)
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    site = tmp_path / "etc-xdg" / "portfolio-app"
    monkeypatch.setattr(app_paths, "site_config_dirs", lambda: [site])
    return site


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str, str]:
    """Parse and dispatch the way cli/main.py does once it calls `register`."""
    parser = argparse.ArgumentParser(prog="portfolio-app")
    parser.add_argument("--data-dir")
    taxonomy_commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    code = args.handler(args, AppPaths.resolve(args.data_dir))
    out, err = capsys.readouterr()
    return code, out, err


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def save(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_validate_ok(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    path = str(default_taxonomy_path())
    code, out, err = run(capsys, data_dir, "taxonomy", "validate", path)
    count = len(load_default_taxonomy().sectors)
    assert (code, err) == (0, "")
    assert (
        out == f"{path}: OK: UK local public services, version 2026.1, {count} sectors, 0 retired\n"
    )


def test_validate_prints_warnings_but_passes(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    path = save(tmp_path / "t.json", document(owner="HR"))
    code, out, err = run(capsys, data_dir, "taxonomy", "validate", str(path))
    assert code == 0
    assert err == f"{path}: warning: unknown top-level key 'owner' is ignored\n"
    assert "OK" in out


def test_validate_lists_every_error_on_stderr(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    doc = document()
    doc["sectors"][0]["colour"] = "blue"
    doc["sectors"][1]["parent"] = "nowhere"
    doc["sectors"][2]["label"] = ""
    path = save(tmp_path / "bad.json", doc)
    code, out, err = run(capsys, data_dir, "taxonomy", "validate", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}: sectors[0].colour (sector 'local-government'): colour 'blue' is not a colour: "
        "write # and six hex digits, like #1f77b4",
        f"{path}: sectors[1].parent (sector 'adult-social-care'): unknown parent 'nowhere': "
        "no sector has that id",
        f"{path}: sectors[2].label (sector 'childrens-services'): the label is empty",
        "portfolio-app: 3 problems found",
    ]


def test_validate_a_missing_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, data_dir, "taxonomy", "validate", str(tmp_path / "no.json"))
    assert code == 1
    assert err == f"{tmp_path / 'no.json'}: file: cannot read the file: there is no such file\n"


def test_show_prints_the_source_and_every_sector(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, data_dir, "taxonomy", "show")
    assert (code, err) == (0, "")
    assert "Taxonomy:  UK local public services\n" in out
    assert "Source:    the default shipped with Portfolio\n" in out
    assert f"File:      {default_taxonomy_path()}\n" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for sector in load_default_taxonomy().sectors:
        row = rows[sector.id]
        assert sector.label in row
        assert (sector.parent_id or "-") in row
        assert "; ".join(sector.aliases) in row
    assert "  Adult social care" in rows["adult-social-care"]  # indented under its parent


def test_install_then_show_then_uninstall(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    set_up_paths: Callable[[Path], AppPaths],
) -> None:
    set_up_paths(data_dir)
    path = save(tmp_path / "mine.json", document(title="My sectors", version="9"))
    code, out, _ = run(capsys, data_dir, "taxonomy", "install", str(path))
    assert code == 0
    assert out.startswith("Installed My sectors, version 9 (")

    code, out, _ = run(capsys, data_dir, "taxonomy", "show")
    assert "Source:    the file you installed\n" in out
    assert "Managed by" not in out

    code, out, _ = run(capsys, data_dir, "taxonomy", "uninstall")
    assert (code, out) == (0, "Now using UK local public services, version 2026.1.\n")
    code, out, _ = run(capsys, data_dir, "taxonomy", "uninstall")
    assert (code, out) == (0, "You have not installed a taxonomy; nothing to do.\n")


def test_install_moves_data_and_prints_the_summary(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    set_up_paths: Callable[[Path], AppPaths],
) -> None:
    set_up_paths(data_dir)
    services = open_services(AppPaths.resolve(data_dir))
    try:
        services.organisations.create(Organisation("Northshire Fire", "fire-rescue"))
    finally:
        services.close()
    doc = document(version="2027.1")
    doc["sectors"] = [s for s in doc["sectors"] if s["id"] != "fire-rescue"]
    doc["sectors"].append({"id": "blue-light", "label": "Blue-light services"})
    doc["retired"] = [{"id": "fire-rescue", "replaced_by": "blue-light"}]
    path = save(tmp_path / "new.json", doc)

    code, out, _ = run(
        capsys, data_dir, "taxonomy", "diff", str(default_taxonomy_path()), str(path)
    )
    assert code == 0
    assert (
        "  - fire-rescue: Fire and rescue → Blue-light services; would move 1 organisation of "
        "yours\n"
    ) in out

    code, out, _ = run(capsys, data_dir, "taxonomy", "install", str(path))
    assert code == 0
    assert (
        out.splitlines()[-1] == "1 organisation moved from Fire and rescue to Blue-light services"
    )


def test_install_refused_when_managed(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    site_dir: Path,
    set_up_paths: Callable[[Path], AppPaths],
) -> None:
    set_up_paths(data_dir)
    save(site_dir / MANAGED_TAXONOMY_FILENAME, document(publisher="Northshire HR"))
    code, out, _ = run(capsys, data_dir, "taxonomy", "show")
    assert "Managed by Northshire HR: you cannot install another taxonomy." in out
    assert "Source:    HR's system-wide file\n" in out

    path = save(tmp_path / "mine.json", document(title="Mine"))
    code, out, err = run(capsys, data_dir, "taxonomy", "install", str(path))
    assert (code, out) == (1, "")
    assert err.startswith("portfolio-app: the sector taxonomy on this computer is managed by ")
    assert not AppPaths.resolve(data_dir).installed_taxonomy.exists()


def test_install_refused_when_invalid_or_in_use(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    set_up_paths: Callable[[Path], AppPaths],
) -> None:
    set_up_paths(data_dir)
    bad = save(tmp_path / "bad.json", document(format_version=3))
    code, _, err = run(capsys, data_dir, "taxonomy", "install", str(bad))
    assert code == 1
    assert "format_version is 3" in err

    services = open_services(AppPaths.resolve(data_dir))
    try:
        services.organisations.create(Organisation("Northshire Fire", "fire-rescue"))
    finally:
        services.close()
    doc = document()
    doc["sectors"] = [s for s in doc["sectors"] if s["id"] != "fire-rescue"]
    code, _, err = run(capsys, data_dir, "taxonomy", "install", str(save(tmp_path / "d.json", doc)))
    assert code == 1
    assert (
        "the sector Fire and rescue (fire-rescue) would be removed without a replacement, "
        "but 1 organisation uses it" in err
    )


def test_install_where_nothing_is_set_up_says_to_run_init(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    """Installing moves the user's data, so it needs the data unlocked: nothing is installed
    into a data folder that has no key file yet."""
    path = save(tmp_path / "mine.json", document(title="Mine"))
    code, out, err = run(capsys, data_dir, "taxonomy", "install", str(path))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith(f"portfolio-app: Portfolio is not set up in {data_dir.resolve()} yet")
    assert "run `portfolio-app init`" in err
    assert not AppPaths.resolve(data_dir).installed_taxonomy.exists()
    assert not AppPaths.resolve(data_dir).key_file.exists()


def test_diff_without_any_data_creates_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    default = str(default_taxonomy_path())
    code, out, _ = run(capsys, data_dir, "taxonomy", "diff", default, default)
    assert code == 0
    assert out.splitlines()[-1] == "No changes to sectors."
    assert not data_dir.exists()


def test_diff_with_a_bad_file_fails(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, data_dir, "taxonomy", "diff", str(default_taxonomy_path()), str(bad))
    assert code == 1
    assert "this is not valid JSON" in err


def test_csv_export_and_import(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    csv_path, out_path = tmp_path / "sectors.csv", tmp_path / "from-csv.json"
    code, out, _ = run(capsys, data_dir, "taxonomy", "export-csv", "--out", str(csv_path))
    assert code == 0 and out.startswith("Wrote ")
    code, _, _ = run(
        capsys, data_dir, "taxonomy", "import-csv", str(csv_path), "--out", str(out_path)
    )
    assert code == 0
    assert load_taxonomy(out_path) == load_default_taxonomy()

    csv_path.write_text("id,label\r\nx,\r\n", encoding="utf-8")
    code, _, err = run(
        capsys, data_dir, "taxonomy", "import-csv", str(csv_path), "--out", str(out_path)
    )
    assert code == 1
    assert err == f"{csv_path}: line 2, column label: the label is empty\n"


def test_edit_without_the_editor_says_so(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, taxonomy_commands.EDITOR_MODULE, None)  # import fails
    code, out, err = run(capsys, data_dir, "taxonomy", "edit")
    assert (code, out) == (1, "")
    assert err.startswith("portfolio-app: the taxonomy editor is not available")
    assert err.count("\n") == 1


def test_edit_calls_the_editor_with_the_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path | None] = []

    def run_editor(path: Path | None) -> int:
        calls.append(path)
        return 7

    editor = types.ModuleType(taxonomy_commands.EDITOR_MODULE)
    editor.run_editor = run_editor  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, taxonomy_commands.EDITOR_MODULE, editor)
    assert run(capsys, data_dir, "taxonomy", "edit", "hr.json")[0] == 7
    assert run(capsys, data_dir, "taxonomy", "edit")[0] == 7
    assert calls == [Path("hr.json"), None]


def test_taxonomy_alone_prints_help(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, data_dir, "taxonomy")
    assert (code, out) == (2, "")
    assert "validate" in err and "install" in err


def test_the_real_entry_point_has_the_taxonomy_commands(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    from portfolio_app.cli.main import main

    good = str(default_taxonomy_path())
    assert main(["--data-dir", str(data_dir), "taxonomy", "validate", good]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1}', encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "taxonomy", "validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: id: id is missing; it is required" in err
