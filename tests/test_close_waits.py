"""Closing the data while a worker thread reads (the window reopening, or quitting, while the
Breadth page's score is worked out): the close waits for the worker's session to end, and no
session opens on closed data. The engine's pool keeps one connection per thread and disposing
it closes them all, a worker's mid-query one too: the driver crashed (a segfault in CI, in
test_auto_backups' reopening test)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from portfolio_app.services import AppServices
from portfolio_app.storage.database import DatabaseClosed


def test_close_waits_for_another_threads_session_then_refuses_new_ones(
    with_profile: AppServices,
) -> None:
    db = with_profile.db
    inside = threading.Event()
    ended: list[float] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            with db.transaction() as session:
                inside.set()
                time.sleep(0.3)  # the main thread asks to close meanwhile
                assert session.execute(text("SELECT count(*) FROM profile")).scalar() == 1
            ended.append(time.monotonic())
        except BaseException as exc:  # reported below: an assert in a thread is silent
            failures.append(exc)

    worker = threading.Thread(target=read)
    worker.start()
    assert inside.wait(10)
    with_profile.close()
    closed_at = time.monotonic()
    worker.join(10)
    assert failures == []
    assert ended and ended[0] <= closed_at  # the read finished before the close did
    with pytest.raises(DatabaseClosed, match="was closed"), db.transaction():
        pass
