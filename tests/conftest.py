"""Every test gets its own data dir; nothing touches a real user's data or needs a display."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from keyring.backend import KeyringBackend

from keys_for_tests import CHEAP_KDF, TEST_PASSPHRASE, MemoryKeyring, write_key_file
from large_dataset import copy_of_prepared, prepared_copy
from portfolio_app.paths import DATA_DIR_ENV, PASSPHRASE_ENV, TAXONOMY_ENV, AppPaths
from portfolio_app.security import key_file
from portfolio_app.security.key_file import new_data_key
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
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # An HR-managed taxonomy on this machine (or in the environment) must not change tests.
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    # On Linux platformdirs finds the system-wide config dirs through this variable.
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg-site-config"))
    # Headless unlocking with the documented test passphrase; tests of prompts remove it.
    monkeypatch.setenv(PASSPHRASE_ENV, TEST_PASSPHRASE)
    # Argon2id at a tiny cost: set-up and unlocking in microseconds (the real cost is tested).
    monkeypatch.setattr(key_file, "DEFAULT_PARAMS", CHEAP_KDF)
    # Subprocesses never reach a real password store; in-process tests get a working one.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def keyring_backend() -> KeyringBackend:
    """The password store in use for this test (a working in-memory one unless changed)."""
    return keyring.get_keyring()


@pytest.fixture(scope="session")
def data_key() -> bytes:
    """The data key of every test's data (the template's): tests open Database with it."""
    return _TEMPLATE_KEY


_TEMPLATE_KEY = new_data_key()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the head revision, built once per session: copying it is ~10x
    faster than running every migration again for each test."""
    template = AppPaths(tmp_path_factory.mktemp("template"))
    write_key_file(template, _TEMPLATE_KEY)
    Database(template.database, key=_TEMPLATE_KEY).close()
    return template.database


def copy_template(template: Path, paths: AppPaths) -> AppPaths:
    """The template's database and key file (passphrase TEST_PASSPHRASE) into `paths`."""
    paths.ensure()
    source = AppPaths(template.parent)
    shutil.copyfile(source.database, paths.database)
    shutil.copyfile(source.key_file, paths.key_file)
    return paths


@pytest.fixture
def paths(tmp_path: Path, migrated_template: Path) -> AppPaths:
    """A fresh data dir whose database is a copy of the migrated template (still empty),
    with its key file (passphrase TEST_PASSPHRASE)."""
    return copy_template(migrated_template, AppPaths.resolve(tmp_path / "data"))


@pytest.fixture
def set_up_paths(migrated_template: Path) -> Callable[[Path], AppPaths]:
    """Make any folder a set-up data dir like `paths` (for tests that need two)."""

    def _set_up(folder: Path) -> AppPaths:
        return copy_template(migrated_template, AppPaths.resolve(folder))

    return _set_up


@pytest.fixture(scope="session")
def large_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the benchmarks' cached 10k data set (10k activities, 2k organisations,
    20k contacts), unlocked by TEST_PASSPHRASE like every test's data (tests/large_dataset.py).
    One per session: for tests that only read it; `large_paths` for tests that write."""
    return prepared_copy(tmp_path_factory.mktemp("large") / "data")


@pytest.fixture
def large_paths(large_data_dir: Path, tmp_path: Path) -> AppPaths:
    """A copy of the 10k data set for this test alone."""
    return copy_of_prepared(large_data_dir, tmp_path / "large")


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
