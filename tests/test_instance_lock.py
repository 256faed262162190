"""One desktop app (or restore) per data dir: the lock refuses a second holder, is released by
the kernel when its process is killed, and `portfolio-app restore` refuses while it is held."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_support import assert_one_clear_line, run
from portfolio_app.paths import AppPaths
from portfolio_app.services import instance_lock, open_services
from portfolio_app.services.instance_lock import DataDirInUse


def test_a_second_holder_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "Siân's data")
    first = instance_lock.acquire(paths)
    assert first.held
    with pytest.raises(DataDirInUse) as refused:
        instance_lock.acquire(paths)
    assert str(refused.value).startswith(
        f"Portfolio is already open on {paths.data_dir} (another window or a restore)"
    )
    first.release()
    with instance_lock.acquire(paths) as second:
        assert second.held
    assert not second.held
    instance_lock.acquire(paths).release()  # the `with` let it go


def test_other_data_dirs_are_not_locked(tmp_path: Path) -> None:
    with (
        instance_lock.acquire(AppPaths(tmp_path / "Łukasz")),
        instance_lock.acquire(AppPaths(tmp_path / "Zoë")) as other,
    ):
        assert other.held


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from portfolio_app.paths import AppPaths
    from portfolio_app.services import instance_lock

    held = instance_lock.acquire(AppPaths(Path(sys.argv[1])))
    print("held" if held.held else "not held", flush=True)
    time.sleep(600)
    """
)


def test_a_killed_holder_leaves_nothing_stale(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data")
    for _ in range(3):  # again and again: each kill frees the folder at once
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(paths.data_dir)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "held"
            with pytest.raises(DataDirInUse):
                instance_lock.acquire(paths)
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(timeout=30)
        finally:
            if holder.poll() is None:
                holder.kill()
                holder.wait()
            if holder.stdout is not None:
                holder.stdout.close()
        assert holder.returncode == -signal.SIGKILL
        assert instance_lock.lock_path(paths).exists()  # left behind, and harmless
        with instance_lock.acquire(paths) as again:
            assert again.held


def test_restore_refuses_while_the_window_holds_the_folder(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    services = open_services(paths)
    try:
        backup = services.backups.backup_now()
    finally:
        services.close()
    before = paths.database.read_bytes()
    window = instance_lock.acquire(paths)
    try:
        code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "restore", str(backup))
        assert code == 1
        assert out == ""
        assert_one_clear_line(err, f"Portfolio is already open on {paths.data_dir}")
        assert paths.database.read_bytes() == before
    finally:
        window.release()
    code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "restore", str(backup))
    assert code == 0, err
    assert out.startswith("Restored ")
