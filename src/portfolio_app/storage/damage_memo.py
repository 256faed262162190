"""What the damaged-row checks found, remembered per open database until someone else writes.

Damage comes from outside: another program writing past the schema's checks, or a damaged
disk. The app's own writes go through the services' checks, so they add no damage, and a
damaged entry cannot be changed or deleted by them (they refuse it). So a result holds until
another program commits (storage/outside_changes.py tells, and calls `forget`) or the database
is opened again (a new engine: a restore, a new sector list, the next CLI command).

One known staleness, accepted: deleting an organisation or contact also drops an entry's link
rows to it; if the damage was in such a link row the entry stays listed as damaged until the
next start, though opening it works (opening always checks that one entry afresh).
`portfolio-app check` runs in its own process and so always checks afresh.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

T = TypeVar("T")

_memos: weakref.WeakKeyDictionary[Engine, dict[Hashable, object]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def remembered(session: Session, key: Hashable, work: Callable[[], T]) -> T:
    """`work()`'s result for `key` on this session's database, worked out once."""
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        return work()
    with _lock:
        memo = _memos.setdefault(engine, {})
        if key in memo:
            return memo[key]  # type: ignore[return-value]
    result = work()
    with _lock:
        _memos.setdefault(engine, {})[key] = result
    return result


def forget(engine: Engine) -> None:
    """Another program committed: check again next time."""
    with _lock:
        _memos.pop(engine, None)
