"""A writer for the SIGKILL fault test (test_crash_safety.py): forks a child per round that opens
the real services on a data dir and writes until it is killed.

Usage: python crash_writer.py DATA_DIR MODE   (MODE: "activities" or "backups")

The parent imports everything once, prints "ready", then for each "go" line on its standard
input forks a child, prints "child PID", waits for it and prints "dead PID STATUS". Python's
start-up (a second) would otherwise cost more than the whole writing; the child is still a
separate process that SIGKILL ends at any instruction, with nothing open from before the fork.

The child prints "open" once the services are open, then in mode "activities" commits one
activity after another and prints "id N" only after its commit returned; in mode "backups" it
makes backup after backup (with an activity between) and prints "backup NAME" after each. Every
line is one write(2) of less than PIPE_BUF bytes, so lines of parent and child never mix.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import date
from pathlib import Path

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def child(paths: AppPaths, mode: str) -> None:
    services = open_services(paths)
    say("open")
    n = 0
    while True:
        n += 1
        created = services.activities.create(
            Activity(ActivityType.SHADOWING, f"Łukasz shadowing Zoë {n}", date(2026, 3, 1))
        )
        say(f"id {created.id}")
        if mode == "backups":
            made = services.backups.store.make(services.db.path)
            say(f"backup {made.name}")


def main() -> None:
    paths = AppPaths.resolve(Path(sys.argv[1]))
    mode = sys.argv[2]
    say("ready")
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                child(paths, mode)
            except BaseException:  # only an error ends it: the test kills the child
                traceback.print_exc()
            os._exit(3)
        say(f"child {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"dead {pid} {status}")


if __name__ == "__main__":
    main()
