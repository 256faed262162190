"""`portfolio-app --exit-after-start`: the desktop app starts, paints its first frame with
the data loaded, and ends 0, so anyone can time start-up from outside (benchmarks/)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cli_support import INIT
from keys_for_tests import TEST_PASSPHRASE
from portfolio_app.cli.main import main
from portfolio_app.paths import AppPaths
from portfolio_app.services import instance_lock

STARTS_WITHIN = 60  # seconds: a start that waits for a dialog hangs until this and fails


def _gui_env() -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PORTFOLIO_APP_PASSPHRASE": TEST_PASSPHRASE,  # headless: unlocks without the keyring
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def _start(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portfolio_app", *argv, "--exit-after-start"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_gui_env(),
        timeout=STARTS_WITHIN,
        check=False,
    )


def _set_up_with_profile(set_up_paths: Callable[[Path], AppPaths], folder: Path) -> AppPaths:
    paths = set_up_paths(folder)
    assert main(["--data-dir", str(paths.data_dir), *INIT, "--sector", "adult-social-care"]) == 0
    return paths


def test_it_ends_0_after_the_first_frame_and_leaves_the_data_dir_free(
    tmp_path: Path, set_up_paths: Callable[[Path], AppPaths]
) -> None:
    paths = _set_up_with_profile(set_up_paths, tmp_path / "Zoë's data")
    for _ in range(2):  # a lock left held would make the second start wait on a dialog
        started = time.monotonic()
        done = _start("--data-dir", str(paths.data_dir))
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started < STARTS_WITHIN
    instance_lock.acquire(paths).release()  # nobody holds it


def test_a_data_dir_without_a_profile_waits_for_the_first_run_dialog(
    tmp_path: Path, set_up_paths: Callable[[Path], AppPaths]
) -> None:
    """The other side: it ends at the main window's first frame, not before (the profile
    dialog comes first and nobody answers it here)."""
    paths = set_up_paths(tmp_path / "Łukasz")
    command = [sys.executable, "-m", "portfolio_app", "--data-dir", str(paths.data_dir)]
    process = subprocess.Popen(
        [*command, "--exit-after-start"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_gui_env(),
    )
    try:
        assert process.wait(timeout=8) != 0, "it ended without a main window"
    except subprocess.TimeoutExpired:
        pass  # still waiting for the profile: right
    finally:
        process.kill()
        process.wait()


def test_it_works_with_the_demo(tmp_path: Path) -> None:
    done = _start("--data-dir", str(tmp_path / "Siân"), "--demo")
    assert done.returncode == 0, done.stderr
    assert AppPaths(tmp_path / "Siân").demo_data_dir.is_dir()
