"""Worker threads never add SQLAlchemy engine listeners to an open database.

SQLAlchemy runs an event's listeners by iterating a deque; a listener added from another thread
meanwhile stops the running event with "deque mutated during iteration" (seen closing a window
whose score worker had just made its change-stamp watch). So every listener is attached on the
thread that opens the database, and closing runs our own hooks (Database.on_close).
"""

from __future__ import annotations

import threading
from datetime import date

from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.change_stamp import stamp
from portfolio_app.storage.database import Database
from portfolio_app.storage.row_checks import damaged_rows


def _listeners(db: Database) -> dict[str, int]:
    engine, pool = db.engine.dispatch, db.engine.pool.dispatch
    counts = {name: len(getattr(engine, name)) for name in ("begin", "commit", "engine_disposed")}
    return counts | {"checkin": len(pool.checkin)}


def test_the_first_stamp_and_damage_check_on_a_worker_add_no_engine_listener(
    paths: AppPaths,
) -> None:
    services = open_services(paths)
    try:
        services.activities.create(
            Activity(type=ActivityType.SHADOWING, title="Shadowing Siân", start=date(2026, 3, 15))
        )
        db = services.db
        before = _listeners(db)
        found: list[object] = []

        def work() -> None:
            found.append(stamp(db))
            with db.transaction() as session:
                found.append(damaged_rows(session, "activity"))

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert found[0] is not None and found[1] == []
        assert _listeners(db) == before
    finally:
        services.close()


def test_closing_runs_the_hooks_once_and_a_hook_asked_for_afterwards_is_refused(
    paths: AppPaths,
) -> None:
    services = open_services(paths)
    db = services.db
    ran: list[str] = []
    assert db.on_close(lambda: ran.append("first"))
    assert stamp(db) is not None  # its watch closes with the database
    services.close()
    assert ran == ["first"]
    assert not db.on_close(lambda: ran.append("late"))
    assert stamp(db) is None  # closed: no reading from a disposed engine
    db.close()
    assert ran == ["first"]
