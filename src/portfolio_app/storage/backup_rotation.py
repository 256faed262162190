"""Which backups to keep, and how a backup file is named. Pure: no files are touched here.

The rule (after Anki's backup thinning), with days, ISO weeks and months taken in UTC:

- Every backup less than 2 days (48 hours) old is kept.
- Going back from there, newest first: the newest backup of each of the next 12 days that have a
  backup, then the newest of each of the next 10 ISO weeks that have one, then the newest of each
  of the next 9 months that have one. A day, week or month that already holds a kept backup gets
  no second one. Nothing older is kept.
- The newest backup is therefore always kept (so a folder of backups never ends up empty), and at
  most (backups of the last 2 days) + 12 + 10 + 9 are kept.
- A backup dated after `now` (the clock was wrong, or changed) is kept, and is left out of the
  rule above: it never counts as the newest, so it cannot cause a real, older backup to be pruned.

Keeping is decided by counting periods that have backups, not by calendar windows, so applying
the rule again to the kept set keeps that same set, and a gap in backups (a holiday) does not
leave the user with nothing from before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "DAILY",
    "MONTHLY",
    "RECENT",
    "WEEKLY",
    "backup_file_name",
    "backups_to_keep",
    "parse_backup_file_name",
]

RECENT = timedelta(days=2)
DAILY = 12
WEEKLY = 10
MONTHLY = 9

_NAME_FORMAT = "portfolio-%Y-%m-%dT%H%M%SZ.backup"
# [0-9], not \d: \d also matches non-ASCII digits, which strptime would then reject anyway.
_NAME_PATTERN = re.compile(r"portfolio-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z\.backup")


def _utc(at: datetime) -> datetime:
    # A naive time would be read as the machine's local time: refuse it rather than guess.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"backup time {at.isoformat()} has no time zone; give it in UTC")
    return at.astimezone(UTC)


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return (iso.year, iso.week)


def backups_to_keep(times: Iterable[datetime], now: datetime) -> set[datetime]:
    """The subset of `times` to keep at `now` under the rule in this module's docstring."""
    now_utc = _utc(now)
    by_utc = {_utc(t): t for t in times}
    future = {t for u, t in by_utc.items() if u > now_utc}
    past = sorted((u for u in by_utc if u <= now_utc), reverse=True)

    kept = set(future)
    quotas = [DAILY, WEEKLY, MONTHLY]
    # The day, week and month of the last backup kept: an older one in the same period is dropped.
    last_day: date | None = None
    for at in past:
        day = at.date()
        week, month = _week(day), (day.year, day.month)
        if now_utc - at < RECENT:
            keep = True
        elif quotas[0] > 0:
            keep = last_day is None or day < last_day
            quotas[0] -= keep
        elif quotas[1] > 0:
            keep = last_day is None or week < _week(last_day)
            quotas[1] -= keep
        elif quotas[2] > 0:
            keep = last_day is None or month < (last_day.year, last_day.month)
            quotas[2] -= keep
        else:
            break
        if keep:
            kept.add(by_utc[at])
            last_day = day
    return kept


def backup_file_name(at: datetime) -> str:
    """The file name of a backup made at `at`, e.g. "portfolio-2026-12-02T154500Z.backup".

    UTC to the second, so names sort by time and read the same on every machine.
    """
    return _utc(at).strftime(_NAME_FORMAT)


def parse_backup_file_name(name: str) -> datetime | None:
    """The UTC time in a name made by `backup_file_name`; None for any other file name."""
    if _NAME_PATTERN.fullmatch(name) is None:
        return None
    try:
        return datetime.strptime(name, _NAME_FORMAT).replace(tzinfo=UTC)
    except ValueError:  # the shape is right but the date is not (2026-02-30, hour 25)
        return None
