"""Where the taxonomy in force comes from: environment, HR's system file, the user's, default."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from portfolio_app import paths as app_paths
from portfolio_app.paths import MANAGED_TAXONOMY_FILENAME, TAXONOMY_ENV, AppPaths
from portfolio_app.services import open_services
from portfolio_app.taxonomy.loader import default_taxonomy_path, load_default_taxonomy
from portfolio_app.taxonomy.sources import (
    SourceKind,
    candidates,
    find_taxonomy,
    managed_source,
)


@pytest.fixture
def site_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Two system-wide config dirs (as with XDG_CONFIG_DIRS=a:b), both empty to start with."""
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    dirs = [tmp_path / "etc-xdg-first" / "portfolio-app", tmp_path / "etc-xdg" / "portfolio-app"]
    monkeypatch.setattr(app_paths, "site_config_dirs", lambda: list(dirs))
    return dirs


def write(path: Path, title: str, publisher: str = "", **extra: object) -> Path:
    document = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    document.update(title=title, publisher=publisher, **extra)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_shipped_default_when_nothing_else_is_there(
    paths: AppPaths, site_dirs: list[Path]
) -> None:
    found = find_taxonomy(paths)
    assert found.source.kind is SourceKind.DEFAULT
    assert found.source.path == default_taxonomy_path()
    assert found.taxonomy == load_default_taxonomy()
    assert (found.managed, found.managed_by, found.warnings) == (False, "", [])
    assert managed_source(paths) is None


def test_precedence_environment_then_hr_then_user_then_default(
    paths: AppPaths, site_dirs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(paths.installed_taxonomy, "Mine")
    found = find_taxonomy(paths)
    assert (found.source.kind, found.taxonomy.title, found.managed) == (
        SourceKind.USER_INSTALLED,
        "Mine",
        False,
    )

    write(site_dirs[1] / MANAGED_TAXONOMY_FILENAME, "Northshire ICS", "Northshire ICS HR")
    found = find_taxonomy(paths)
    assert (found.source.kind, found.taxonomy.title) == (SourceKind.HR_MANAGED, "Northshire ICS")
    assert found.source.path == site_dirs[1] / MANAGED_TAXONOMY_FILENAME
    assert (found.managed, found.managed_by) == (True, "Managed by Northshire ICS HR")

    # The first system dir in the search order wins over later ones.
    write(site_dirs[0] / MANAGED_TAXONOMY_FILENAME, "Regional", "Region HR")
    assert find_taxonomy(paths).taxonomy.title == "Regional"

    named = write(tmp_path / "pilot.json", "Pilot", "Pilot team")
    monkeypatch.setenv(TAXONOMY_ENV, str(named))
    found = find_taxonomy(paths)
    assert (found.source.kind, found.source.path, found.taxonomy.title) == (
        SourceKind.ENVIRONMENT,
        named,
        "Pilot",
    )
    assert found.managed_by == "Managed by Pilot team"
    assert [c.kind for c in candidates(paths)] == [
        SourceKind.ENVIRONMENT,
        SourceKind.HR_MANAGED,
        SourceKind.HR_MANAGED,
        SourceKind.USER_INSTALLED,
        SourceKind.DEFAULT,
    ]


def test_an_unusable_managed_file_is_skipped_with_a_warning_but_still_locks(
    paths: AppPaths, site_dirs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TAXONOMY_ENV, str(tmp_path / "missing.json"))
    broken = site_dirs[0] / MANAGED_TAXONOMY_FILENAME
    broken.parent.mkdir(parents=True)
    broken.write_text("{not json", encoding="utf-8")
    write(paths.installed_taxonomy, "Mine")

    found = find_taxonomy(paths)
    assert (found.source.kind, found.taxonomy.title) == (SourceKind.USER_INSTALLED, "Mine")
    assert found.warnings == [
        f"cannot use the file named by {TAXONOMY_ENV} ({tmp_path / 'missing.json'}): "
        "file: cannot read the file: there is no such file",
        f"cannot use HR's system-wide file ({broken}): line 1, column 2: "
        "this is not valid JSON: Expecting property name enclosed in double quotes",
    ]
    # HR's intent stands while their file is broken: the user still cannot install over it.
    assert found.managed
    assert found.managed_by == "Managed by your organisation"
    source = managed_source(paths)
    assert source is not None and source.kind is SourceKind.ENVIRONMENT


def test_warnings_of_the_file_in_force_are_passed_on(
    paths: AppPaths, site_dirs: list[Path]
) -> None:
    write(site_dirs[1] / MANAGED_TAXONOMY_FILENAME, "HR", "HR", owner="HR team")
    assert find_taxonomy(paths).warnings == ["unknown top-level key 'owner' is ignored"]


def test_open_services_uses_the_taxonomy_in_force(paths: AppPaths, site_dirs: list[Path]) -> None:
    write(site_dirs[1] / MANAGED_TAXONOMY_FILENAME, "Northshire ICS", "Northshire ICS HR")
    services = open_services(paths)
    try:
        assert services.taxonomy.title == "Northshire ICS"
        status = services.taxonomy_status
        assert status is not None
        assert (status.source.kind, status.managed_by) == (
            SourceKind.HR_MANAGED,
            "Managed by Northshire ICS HR",
        )
        # The services check sectors against the same taxonomy.
        assert services.organisations.taxonomy is services.taxonomy
    finally:
        services.close()


def test_open_services_with_an_explicit_taxonomy_uses_it_and_touches_nothing(
    paths: AppPaths, site_dirs: list[Path]
) -> None:
    write(site_dirs[1] / MANAGED_TAXONOMY_FILENAME, "Northshire ICS", "Northshire ICS HR")
    default = load_default_taxonomy()
    services = open_services(paths, default)
    try:
        assert services.taxonomy is default
        assert services.taxonomy_status is None
    finally:
        services.close()
    assert not paths.applied_taxonomy.exists()


def test_user_files_live_in_the_data_dir(paths: AppPaths) -> None:
    assert paths.installed_taxonomy == paths.data_dir / "taxonomy" / "installed.json"
    assert paths.applied_taxonomy.parent == paths.data_dir / "taxonomy"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG dirs are Linux's")
def test_site_config_dirs_follow_xdg_config_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    assert app_paths.site_config_dirs() == [
        tmp_path / "a" / "portfolio-app",
        tmp_path / "b" / "portfolio-app",
    ]
    monkeypatch.delenv("XDG_CONFIG_DIRS")
    assert app_paths.site_config_dirs() == [Path("/etc/xdg/portfolio-app")]
