"""One desktop app per data dir: a real second start (another process running `portfolio-app`)
brings the open window forward and exits 0; one that gets no answer explains; a holder killed
with SIGKILL leaves neither the lock nor its socket name in the way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, Qt
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from portfolio_app.paths import AppPaths
from portfolio_app.services import instance_lock
from portfolio_app.services.instance_lock import DataDirInUse
from portfolio_app.ui import single_instance
from portfolio_app.ui.single_instance import SingleInstance, server_name

from .conftest import FakePrompts

# Raising a window means nothing to the offscreen platform the tests run on (it says so).
OFFSCREEN_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")

SECOND_START = (
    "from portfolio_app.cli.main import main; raise SystemExit(main(__import__('sys').argv[1:]))"
)

# Takes the folder as the desktop app does (lock and socket), says so, and waits to be killed.
HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from portfolio_app.paths import AppPaths
    from portfolio_app.ui import single_instance
    from portfolio_app.ui.prompts import Prompts

    app = QApplication([])
    alone = single_instance.claim(AppPaths(Path(sys.argv[1])), Prompts())
    print("listening" if alone.listen() else "not listening", flush=True)
    time.sleep(600)
    """
)

LOCK_ONLY = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from portfolio_app.paths import AppPaths
    from portfolio_app.services import instance_lock

    held = instance_lock.acquire(AppPaths(Path(sys.argv[1])))
    print("held", flush=True)
    time.sleep(600)
    """
)


def _environment() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}


@contextmanager
def _holder(script: str, data_dir: Path, ready: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=_environment(),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == ready
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def _second_start(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_START, "--data-dir", str(data_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )


def _finish(qtbot: QtBot, process: subprocess.Popen[str]) -> tuple[int, str]:
    """Let the event loop run (this process answers) until the second start ends."""
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=60_000)
    finally:
        if process.poll() is None:
            process.kill()
        _out, err = process.communicate(timeout=30)
    return process.returncode, err


def _claimed(paths: AppPaths) -> SingleInstance:
    alone = single_instance.claim(paths, FakePrompts())
    assert isinstance(alone, SingleInstance)
    return alone


@OFFSCREEN_RAISE
def test_a_second_start_brings_the_open_window_forward(paths: AppPaths, qtbot: QtBot) -> None:
    # The app has one window; windows earlier tests left open would be chosen instead.
    for widget in QApplication.topLevelWidgets():
        widget.hide()
    with _claimed(paths) as alone:
        window = QMainWindow()
        window.setWindowTitle("Portfolio — Siân")
        qtbot.addWidget(window)
        window.show()
        window.showMinimized()

        code, err = _finish(qtbot, _second_start(paths.data_dir))

        assert code == 0, err
        assert err == ""
        assert alone.raised == 1
        # The window system applies the new state asynchronously.
        qtbot.waitUntil(lambda: not window.windowState() & Qt.WindowState.WindowMinimized)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_a_holder_that_does_not_answer_is_explained(paths: AppPaths) -> None:
    """A restore (or a hung app) holds the folder without answering: the second start says
    what is going on in a dialog and ends; it never opens the data."""
    prompts = FakePrompts()
    with _holder(LOCK_ONLY, paths.data_dir, "held"):
        assert single_instance.claim(paths, prompts) == 1
    (text,) = prompts.errors
    assert text.startswith(
        f"Portfolio is already open on {paths.data_dir} (another window or a restore)"
    )
    assert "did not come to the front" in text and "restore" in text
    with _claimed(paths):  # the holder gone, the folder is free
        pass


@OFFSCREEN_RAISE
def test_a_killed_app_leaves_nothing_in_the_way(paths: AppPaths, qtbot: QtBot) -> None:
    name = server_name(paths.data_dir)
    socket_file = Path(QDir.tempPath()) / name
    with _holder(HOLDER, paths.data_dir, "listening") as holder:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    assert holder.returncode == -signal.SIGKILL
    assert socket_file.exists()  # the crashed app's socket name is still there...

    with _claimed(paths) as alone:  # ...and the lock is free, and the name is taken over
        assert alone.server.isListening()
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        code, err = _finish(qtbot, _second_start(paths.data_dir))
        assert code == 0, err
        assert alone.raised == 1
    assert not socket_file.exists()  # closed cleanly: nothing left for the next start


def test_socket_names_are_per_folder_and_short(tmp_path: Path) -> None:
    one = server_name(tmp_path / "Łukasz")
    assert one == server_name(tmp_path / "Łukasz")
    assert one == server_name(tmp_path / "x" / ".." / "Łukasz")
    assert one != server_name(tmp_path / "Zoë")
    assert one.isascii() and len(one) < 60


def test_the_real_app_answers_a_second_start_and_a_kill_frees_the_folder(
    paths: AppPaths, qtbot: QtBot
) -> None:
    """`portfolio-app` itself, twice: the first (waiting at its profile set-up dialog) holds
    the folder and brings that dialog forward; killed, it leaves the folder free."""
    socket_file = Path(QDir.tempPath()) / server_name(paths.data_dir)
    first = _second_start(paths.data_dir)  # the same command line: here, the first start
    try:
        qtbot.waitUntil(lambda: socket_file.exists() or first.poll() is not None, timeout=60_000)
        assert first.poll() is None, first.communicate()
        with pytest.raises(DataDirInUse):
            instance_lock.acquire(paths)

        second = _second_start(paths.data_dir)
        code, err = _finish(qtbot, second)
        assert code == 0, err
        assert first.poll() is None  # still running, not disturbed
    finally:
        first.kill()
        first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    with instance_lock.acquire(paths) as again:
        assert again.held
    QLocalServer.removeServer(server_name(paths.data_dir))  # the killed app's, left in /tmp
