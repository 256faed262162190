"""The cached 10k data set of the benchmarks (benchmarks/dataset.py) as a test data dir.

`prepared_copy(destination)` copies the cached set (building it first if missing: ~70 s,
once per machine) and re-wraps its data key under the tests' passphrase (TEST_PASSPHRASE, at
the cheap test KDF), so tests open it like any other data dir: `open_services(paths)` with the
environment the autouse fixtures set. The cached folder itself is never opened.

Fixtures (tests/conftest.py): `large_data_dir`, one copy per session (for tests that only
read); `large_paths`, a private copy per test (for tests that write).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import ModuleType

from keys_for_tests import write_key_file
from portfolio_app.paths import AppPaths
from portfolio_app.security.key_file import unlock_with_passphrase

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
LARGE_ACTIVITIES = 10_000


def dataset_module() -> ModuleType:
    """benchmarks/dataset.py (not a package: imported from its folder)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    import dataset

    return dataset


def prepared_copy(destination: Path, activities: int = LARGE_ACTIVITIES) -> Path:
    """A private copy of the cached data set at `destination`, unlocked by TEST_PASSPHRASE."""
    dataset = dataset_module()
    data_dir: Path = dataset.copy_of(dataset.Spec(activities=activities), destination)
    paths = AppPaths.resolve(data_dir)
    data_key = unlock_with_passphrase(paths.key_file, dataset.BENCH_PASSPHRASE)
    paths.key_file.unlink()
    write_key_file(paths, data_key)
    return data_dir


def copy_of_prepared(source: Path, destination: Path) -> AppPaths:
    """Another copy of a prepared data dir (for a test that writes to it)."""
    shutil.copytree(source, destination)
    return AppPaths.resolve(destination)
