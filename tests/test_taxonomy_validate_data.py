"""`taxonomy validate` with a data dir: a file that drops a sector the data uses fails (exit 1),
with the usage named in every registered place, as installing it there would be refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from portfolio_app.cli.main import main
from portfolio_app.domain.records import Goal, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.taxonomy.loader import default_taxonomy_path


def _file(tmp_path: Path, name: str, retired: list[dict[str, Any]]) -> Path:
    """The default taxonomy without Police, retired as given, under a new version."""
    doc: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    doc["sectors"] = [s for s in doc["sectors"] if s["id"] != "police"]
    doc["retired"] = retired
    doc["version"] = "2099.1"
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _seed(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        for name in ("Northshire Police", "Southshire Police", "Eastshire Police"):
            services.organisations.create(Organisation(name, "police"))
        services.goals.create(Goal("Blue-light partners", ("police", "fire-rescue")))
    finally:
        services.close()


def _sectors(paths: AppPaths) -> tuple[set[str], list[tuple[str, ...]]]:
    services = open_services(paths)
    try:
        return (
            {o.sector_id for o in services.organisations.list_all()},
            [g.sector_ids for g in services.goals.list_all()],
        )
    finally:
        services.close()


def test_a_file_dropping_a_used_sector_fails_validation_against_the_data(
    paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(paths)
    dropped = _file(tmp_path, "dropped.json", [])

    assert main(["--data-dir", str(paths.data_dir), "taxonomy", "validate", str(dropped)]) == 1
    out, err = capsys.readouterr()
    assert "OK" not in out
    assert (
        f"{dropped}: the sector Police (police) would be removed without a replacement, but "
        "3 organisations and 1 goal use it; give it a replaced_by in the retired list, "
        "or move them first"
    ) in err.splitlines()
    assert f"installing {dropped} on the data in {paths.data_dir} would be refused" in err
    assert _sectors(paths) == ({"police"}, [("police", "fire-rescue")])


def test_a_file_retiring_it_passes_and_says_what_would_move_without_moving_it(
    paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(paths)
    retired = _file(tmp_path, "retired.json", [{"id": "police", "replaced_by": "fire-rescue"}])

    assert main(["--data-dir", str(paths.data_dir), "taxonomy", "validate", str(retired)]) == 0
    out, _ = capsys.readouterr()
    assert f"{retired}: OK:" in out
    assert (
        f"{retired}: installing it on the data in {paths.data_dir} would move "
        "3 organisations and 1 goal from Police to Fire and rescue"
    ) in out.splitlines()
    assert _sectors(paths) == ({"police"}, [("police", "fire-rescue")])


def test_without_a_database_only_the_file_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dropped = _file(tmp_path, "dropped.json", [])
    data_dir = tmp_path / "hr-laptop"

    assert main(["--data-dir", str(data_dir), "taxonomy", "validate", str(dropped)]) == 0
    assert f"{dropped}: OK:" in capsys.readouterr().out
    # Nothing was created or set up there: no database, no key file.
    assert not AppPaths.resolve(data_dir).database.exists()
    assert not AppPaths.resolve(data_dir).key_file.exists()
