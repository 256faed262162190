"""What the damaged-row checks found: remembered per open database, and kept with the file's
stamp so the next start or CLI command on an unchanged file reads it instead of checking again.

Damage comes from outside: another program writing past the schema's checks, or a damaged
disk. The app's own writes go through the services' checks, so they add no damage, though they
may remove it (a damaged entry's delete, or a link row to a deleted organisation dropped).

- In one process: a kind's findings hold until another program commits (the outside-change
  watch calls `forget`). After each of the app's own commits that changed rows, only the
  entries found damaged are checked again (cheap), so a removed damage never stays shown.
- Across processes: `.damage-findings.json` beside the database holds the damaged entries'
  ids per kind (integers only: no stored text leaves the encrypted file), the rules' digest and
  `check_stamp.files_state` of the database and its -wal taken before and after the scan (a
  scan during which the files changed is not kept). A later process uses the ids only while
  the files are exactly so; anything else (another program's write, the app's own later
  writes, a copied or restored file) means a scan afresh. The problems themselves are always
  read again from the file for the ids kept, so they are never stale.

`portfolio-app check`, JSON export and import always check afresh (row_checks.all_damaged_rows).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import weakref
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from portfolio_app.atomic_files import write_text_atomically
from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.storage.check_stamp import files_state

log = logging.getLogger(__name__)

FINDINGS_NAME = ".damage-findings.json"
_VERSION = 1
_TOTAL_KEY = "portfolio_damage_total_changes"  # on a pooled connection while a transaction runs

T_ = TypeVar("T_")
Verify = Callable[[Session, Collection[int]], list[DamagedRecord]]  # problems of these ids


@dataclass
class _Memo:
    writes: int = 0  # this app's commits that changed rows
    plain: dict[str, tuple[int, list[DamagedRecord]]] = field(default_factory=dict)
    derived: dict[Any, tuple[object, list[DamagedRecord]]] = field(default_factory=dict)


_memos: weakref.WeakKeyDictionary[Engine, _Memo] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _memo(engine: Engine) -> _Memo:
    with _lock:
        memo = _memos.get(engine)
        if memo is None:
            memo = _memos[engine] = _Memo()
            event.listen(engine, "begin", _began)
            event.listen(engine, "commit", lambda c: _committed(engine, c))
            event.listen(engine, "checkin", lambda dbapi, record: _checked_in(engine, record))
        return memo


def watch_for_damage(engine: Engine) -> None:
    """Attach the memo's listeners now (Database does on the thread that opens it)."""
    _memo(engine)


def _total_changes(connection: Connection) -> int:
    return int(getattr(connection.connection.dbapi_connection, "total_changes", 0))


def _began(connection: Connection) -> None:
    connection.connection.info[_TOTAL_KEY] = _total_changes(connection)


def _committed(engine: Engine, connection: Connection) -> None:
    before = connection.connection.info.pop(_TOTAL_KEY, None)
    if before is not None and before != _total_changes(connection):
        connection.connection.info[_TOTAL_KEY + ".wrote"] = True
        _count_write(engine)


def _checked_in(engine: Engine, record: Any) -> None:
    # Counted again once the commit is surely done: a result worked out while it was being
    # committed carries the first count, and so is worked out again.
    if record.info.pop(_TOTAL_KEY + ".wrote", False):
        _count_write(engine)


def _count_write(engine: Engine) -> None:
    with _lock:
        memo = _memos.get(engine)
        if memo is not None:
            memo.writes += 1


def findings(session: Session, kind: str, verify: Verify) -> list[DamagedRecord]:
    """Every problem of `kind`'s entries (no sector checks): remembered, or read with the ids
    kept for an unchanged file, or scanned afresh (row_checks.scan_kind; then kept)."""
    from portfolio_app.storage.row_checks import scan_kind

    engine = session.get_bind()
    if not isinstance(engine, Engine):
        return scan_kind(session, kind)
    memo = _memo(engine)
    with _lock:
        writes = memo.writes
        known = memo.plain.get(kind)
    if known is not None and known[0] == writes:
        return known[1]
    if known is not None:
        found = verify(session, {p.id for p in known[1]})  # own writes add no damage
    else:
        found = _from_file(session, engine, kind, verify)
    with _lock:
        memo.plain[kind] = (writes, found)
    return found


def derived(session: Session, key: Any, base: list[DamagedRecord], work: Callable[[], T_]) -> T_:
    """`work()` (built from `base`, a `findings` result), remembered while `base` is current."""
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        return work()
    memo = _memo(engine)
    with _lock:
        known = memo.derived.get(key)
    if known is not None and known[0] is base:
        return known[1]  # type: ignore[return-value]
    result = work()
    with _lock:
        memo.derived[key] = (base, result)  # type: ignore[assignment]
    return result


def forget(engine: Engine) -> None:
    """Another program committed: check again next time (the file kept is then stale too: its
    stamp no longer matches)."""
    with _lock:
        memo = _memos.get(engine)
        if memo is not None:
            memo.plain.clear()
            memo.derived.clear()


# --- kept with the file ------------------------------------------------------------------------

_rules_digest: str | None = None


def _rules() -> str:
    """A digest of the checks' code: other rules, other findings."""
    global _rules_digest
    if _rules_digest is None:
        from portfolio_app.domain import enums
        from portfolio_app.storage import row_checks, row_prefilter, tables

        digest = hashlib.sha256(str(_VERSION).encode())
        for module in (row_checks, row_prefilter, enums, tables):
            digest.update(Path(str(module.__file__)).read_bytes())
        _rules_digest = digest.hexdigest()
    return _rules_digest


def _database(engine: Engine) -> Path | None:
    name = engine.url.database
    return Path(name) if name and name != ":memory:" else None


def findings_path(database: Path) -> Path:
    return database.with_name(FINDINGS_NAME)


def _read_kept(database: Path) -> dict[str, Any] | None:
    try:
        kept = json.loads(findings_path(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("rules") != _rules():
        return None
    return kept


def _from_file(session: Session, engine: Engine, kind: str, verify: Verify) -> list[DamagedRecord]:
    database = _database(engine)
    if database is None:  # no file (an in-memory database): nothing to keep, nothing to reopen
        from portfolio_app.storage.row_checks import scan_kind

        return scan_kind(session, kind)
    state = files_state(database)
    kept = _read_kept(database)
    if state is not None and kept is not None and kept.get("files") == state:
        ids = kept.get("kinds", {}).get(kind)
        if isinstance(ids, list) and all(isinstance(i, int) for i in ids):
            return verify(session, ids)
    return _scan_fresh(engine, kind, database)


def _scan_fresh(engine: Engine, kind: str, database: Path) -> list[DamagedRecord]:
    from portfolio_app.storage.row_checks import scan_kind

    # A connection of its own (the pool keeps one per thread, maybe inside the caller's older
    # transaction), opened after the stamp was taken: what it reads is the file as stamped,
    # or newer, and then the stamp after differs and nothing is kept.
    before = files_state(database)
    scratch = create_engine(engine.url, poolclass=NullPool, hide_parameters=True)
    try:
        with Session(scratch) as fresh:
            found = scan_kind(fresh, kind)
            after = files_state(database)
    finally:
        scratch.dispose()
    if before is not None and after == before:
        _keep(database, before, kind, sorted({p.id for p in found}))
    return found


def _keep(database: Path, state: dict[str, Any], kind: str, ids: list[int]) -> None:
    kept = _read_kept(database)
    kinds = kept.get("kinds", {}) if kept is not None and kept.get("files") == state else {}
    kinds = {**kinds, kind: ids}
    text = json.dumps({"version": _VERSION, "rules": _rules(), "files": state, "kinds": kinds})
    try:
        write_text_atomically(findings_path(database), text)
    except OSError as exc:  # a read-only folder: the next process checks again
        log.debug("Could not keep the damage findings for %s: %s", database, exc)
