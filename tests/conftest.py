"""Every test gets its own data dir; nothing touches a real user's data or needs a display."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from portfolio_app.paths import DATA_DIR_ENV, TAXONOMY_ENV, AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage.database import Database

# Property tests: CI explores more examples than a developer's edit-test loop needs.
# HYPOTHESIS_PROFILE picks one explicitly; otherwise CI (which sets CI=true) gets `ci`.
# deadline=None: a shared 2-core machine makes per-example timings meaningless; database=None:
# nothing written into the working tree.
_RELAXED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
for _name, _count in (("ci", 200), ("dev", 40)):
    settings.register_profile(
        _name, max_examples=_count, deadline=None, database=None, suppress_health_check=_RELAXED
    )
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # An HR-managed taxonomy on this machine (or in the environment) must not change tests.
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    # On Linux platformdirs finds the system-wide config dirs through this variable.
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg-site-config"))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the head revision, built once per session: copying it is ~10x
    faster than running every migration again for each test."""
    path = tmp_path_factory.mktemp("template") / "portfolio.sqlite3"
    Database(path).close()
    return path


@pytest.fixture
def paths(tmp_path: Path, migrated_template: Path) -> AppPaths:
    """A fresh data dir whose database is a copy of the migrated template (still empty)."""
    resolved = AppPaths.resolve(tmp_path / "data")
    resolved.ensure()
    shutil.copyfile(migrated_template, resolved.database)
    return resolved


@pytest.fixture
def services(paths: AppPaths) -> Iterator[AppServices]:
    opened = open_services(paths)
    yield opened
    opened.close()


@pytest.fixture
def with_profile(services: AppServices) -> AppServices:
    services.profile.set_up(
        name="Siân Jones",
        role="Senior social worker",
        organisation="Northshire Council",
        sector="adult-social-care",
    )
    return services
