"""SIGKILL at random moments: every commit that returned survives, the file stays sound, and a
kill during a backup never leaves something that looks like a backup (issue 11's fault test).

A writer process (crash_writer.py) commits activities through the real services and prints each
id only after its commit returned; it is killed with SIGKILL at random moments, at least 50
times, on the same data dir. Afterwards every printed id is there, `PRAGMA integrity_check` is
ok and the data opens as usual.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.backup_rotation import parse_backup_file_name
from portfolio_app.storage.backups import PARTIAL_SUFFIX, Backups, file_problems
from portfolio_app.storage.cipher import raw_connection

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer forks (POSIX only)")

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 60
# After the child says "open": kill within this many seconds (a few commits at most), and in
# some rounds before it is even open (during the key check, page check, WAL set-up).
MAX_DELAY_S = 0.15


class Writer:
    """The writer process, its output lines as they come (a thread reads them)."""

    def __init__(self, data_dir: Path, mode: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(data_dir), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("EOF")

    def next_line(self, timeout: float = 30.0) -> str:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the writer said nothing for {timeout} s; so far: {self.seen[-5:]}")
        if line == "EOF":
            pytest.fail(f"the writer ended: {self.stderr()}")
        self.seen.append(line)
        return line

    def wait_for(self, prefix: str, timeout: float = 30.0) -> str:
        while True:
            line = self.next_line(timeout)
            if line.startswith(prefix):
                return line

    def go(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return int(self.wait_for("child ").split()[1])

    def stderr(self) -> str:
        self.process.kill()
        return self.close()

    def close(self) -> str:
        """End the writer (no more rounds) and return what it wrote on stderr."""
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        assert process.stderr is not None
        if not process.stdin.closed:
            process.stdin.close()
        process.wait(timeout=30)
        self._reader.join(timeout=30)
        process.stdout.close()
        err = process.stderr.read()
        process.stderr.close()
        return err


def kill_rounds(writer: Writer, rounds: int, rng: random.Random) -> None:
    """`rounds` children, each SIGKILLed at a random moment; a child that ended by itself (an
    error: it never stops writing) fails the test."""
    for number in range(rounds):
        pid = writer.go()
        if number % 5 == 4:
            # Any moment at all, opening included.
            time.sleep(rng.uniform(0, 0.4))
        else:
            writer.wait_for("open")
            time.sleep(rng.uniform(0, MAX_DELAY_S))
        os.kill(pid, signal.SIGKILL)
        dead = writer.wait_for(f"dead {pid} ").split()
        status = int(dead[2])
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"round {number}: the writer ended by itself ({status}) before the kill; "
            f"its last lines: {writer.seen[-5:]}"
        )


def printed(writer: Writer, what: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in writer.seen if line.startswith(what + " ")]


def integrity(paths: AppPaths, key: bytes) -> list[str]:
    connection = raw_connection(paths.database, key)
    try:
        return [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


def run_writer(paths: AppPaths, mode: str, rounds: int, rng: random.Random) -> Writer:
    writer = Writer(paths.data_dir, mode)
    try:
        writer.wait_for("ready")
        kill_rounds(writer, rounds, rng)
    finally:
        errors = writer.close()
    assert "Traceback" not in errors, errors
    return writer


def stored_ids(paths: AppPaths) -> set[int | None]:
    """The activities' ids, read through the services as every command reads them."""
    services = open_services(paths)
    try:
        return {activity.id for activity in services.activities.list_all()}
    finally:
        services.close()


@pytest.fixture
def writer_paths(paths: AppPaths) -> Iterator[AppPaths]:
    open_services(paths).close()  # the taxonomy applied once, before any kill
    yield paths


def test_every_returned_commit_survives_sixty_kills(
    writer_paths: AppPaths, data_key: bytes
) -> None:
    paths = writer_paths
    rng = random.Random(os.environ.get("CRASH_TEST_SEED", "issue-11"))
    started = time.monotonic()
    writer = run_writer(paths, "activities", KILLS, rng)
    committed = {int(n) for n in printed(writer, "id")}
    # The kills landed among the commits, not only before the first one.
    assert len(committed) >= KILLS, (len(committed), time.monotonic() - started)

    assert integrity(paths, data_key) == ["ok"]
    stored = stored_ids(paths)
    missing = committed - stored
    assert not missing, f"{len(missing)} committed activities lost: {sorted(missing)[:10]}"
    assert integrity(paths, data_key) == ["ok"]


def test_a_kill_during_a_backup_leaves_nothing_that_looks_like_a_backup(
    writer_paths: AppPaths, data_key: bytes
) -> None:
    paths = writer_paths
    rng = random.Random(os.environ.get("CRASH_TEST_SEED", "issue-11-backups"))
    writer = run_writer(paths, "backups", KILLS // 2, rng)
    assert printed(writer, "backup"), "no backup was ever finished: the kills came too soon"

    names = [p.name for p in paths.backups_dir.iterdir()]
    looking_like_backups = [
        paths.backups_dir / name for name in names if parse_backup_file_name(name) is not None
    ]
    assert looking_like_backups
    for backup in looking_like_backups:
        assert file_problems(backup, data_key) == [], backup
    listed = Backups(paths.backups_dir, data_key).list()
    assert {info.path for info in listed} == set(looking_like_backups)
    assert all(info.usable for info in listed)
    assert not any(PARTIAL_SUFFIX in info.path.name for info in listed)
    # Whatever leftovers a kill mid-copy left are hidden temporary names, never listed.
    for name in names:
        if PARTIAL_SUFFIX in name:
            assert name.startswith("."), name

    committed = {int(n) for n in printed(writer, "id")}
    assert integrity(paths, data_key) == ["ok"]
    assert committed <= stored_ids(paths)
