"""Every test gets its own data dir; nothing touches a real user's data or needs a display."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from portfolio_app.paths import DATA_DIR_ENV, TAXONOMY_ENV, AppPaths
from portfolio_app.services import AppServices, open_services


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # An HR-managed taxonomy on this machine (or in the environment) must not change tests.
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    # On Linux platformdirs finds the system-wide config dirs through this variable.
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg-site-config"))


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.resolve(tmp_path / "data")


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
