"""Backup rotation: properties over any set of backup times, worked examples, file names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio_app.storage.backup_rotation import (
    DAILY,
    MONTHLY,
    RECENT,
    WEEKLY,
    backup_file_name,
    backups_to_keep,
    parse_backup_file_name,
)

NOW = datetime(2026, 12, 2, 15, 45, tzinfo=UTC)  # a Wednesday, in ISO week 49

# Backup times around NOW at several scales, so some sets are dense (hourly-like) and some sparse;
# a few are in the future (a clock that was wrong).
_offsets = st.one_of(
    st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)),
    st.timedeltas(min_value=timedelta(days=-1), max_value=timedelta(days=40)),
    st.timedeltas(min_value=timedelta(days=-1), max_value=timedelta(days=800)),
)
_times = st.lists(_offsets.map(lambda offset: NOW - offset), max_size=120)


def _future(times: list[datetime]) -> set[datetime]:
    return {t for t in times if t > NOW}


def _past(times: list[datetime]) -> set[datetime]:
    return {t for t in times if t <= NOW}


@given(_times)
def test_the_kept_backups_are_a_subset(times: list[datetime]) -> None:
    assert backups_to_keep(times, NOW) <= set(times)


@given(_times)
def test_the_newest_backup_is_always_kept_and_something_is_always_left(
    times: list[datetime],
) -> None:
    kept = backups_to_keep(times, NOW)
    if past := _past(times):
        assert max(past) in kept
    assert bool(kept) == bool(times)


@given(_times)
def test_applying_the_rule_again_keeps_the_same_set(times: list[datetime]) -> None:
    kept = backups_to_keep(times, NOW)
    assert backups_to_keep(kept, NOW) == kept


@given(_times)
def test_the_number_kept_is_bounded(times: list[datetime]) -> None:
    recent = {t for t in _past(times) if NOW - t < RECENT}
    bound = len(recent) + DAILY + WEEKLY + MONTHLY + len(_future(times))
    assert len(backups_to_keep(times, NOW)) <= bound


@given(_times)
def test_every_recent_and_every_future_backup_is_kept(times: list[datetime]) -> None:
    recent = {t for t in _past(times) if NOW - t < RECENT}
    assert recent | _future(times) <= backups_to_keep(times, NOW)


@given(_times, st.lists(st.timedeltas(timedelta(seconds=1), timedelta(days=3650)), max_size=5))
def test_future_backups_never_cause_older_ones_to_be_pruned(
    times: list[datetime], ahead: list[timedelta]
) -> None:
    future = {NOW + offset for offset in ahead}
    with_future = backups_to_keep([*times, *future], NOW)
    assert with_future - future - _future(times) == backups_to_keep(_past(times), NOW)


def _hourly_for_a_year() -> list[datetime]:
    return [NOW - timedelta(hours=hours) for hours in range(365 * 24)]


def test_an_hourly_backup_for_a_year_keeps_the_last_2_days_then_12_days_10_weeks_9_months() -> None:
    kept = backups_to_keep(_hourly_for_a_year(), NOW)

    # 48 backups less than 2 days old: back to 2026-11-30 16:45, so the 30th counts as kept.
    recent = {NOW - timedelta(hours=hours) for hours in range(48)}
    # Then the last backup (23:45) of each of the 12 days before: 29 Nov back to 18 Nov.
    daily = {datetime(2026, 11, day, 23, 45, tzinfo=UTC) for day in range(29, 17, -1)}
    # 18 Nov is in ISO week 47; then the Sunday 23:45 of weeks 46 back to 37 (Sunday 13 Sep).
    weekly = {datetime(2026, 11, 15, 23, 45, tzinfo=UTC) - timedelta(weeks=n) for n in range(10)}
    # September holds a kept backup; then the last of August 2026 back to December 2025.
    month_ends = [(2026, m, d) for m, d in ((8, 31), (7, 31), (6, 30), (5, 31), (4, 30))]
    month_ends += [(2026, 3, 31), (2026, 2, 28), (2026, 1, 31), (2025, 12, 31)]
    monthly = {datetime(y, m, d, 23, 45, tzinfo=UTC) for y, m, d in month_ends}

    assert min(weekly) == datetime(2026, 9, 13, 23, 45, tzinfo=UTC)
    assert kept == recent | daily | weekly | monthly
    assert len(kept) == 48 + 12 + 10 + 9


def test_backups_from_the_future_change_nothing_in_a_year_of_hourly_backups() -> None:
    ahead = {NOW + timedelta(seconds=1), NOW + timedelta(days=1), NOW + timedelta(days=400)}
    kept = backups_to_keep([*_hourly_for_a_year(), *ahead], NOW)
    assert kept == backups_to_keep(_hourly_for_a_year(), NOW) | ahead


def test_a_single_old_backup_is_kept() -> None:
    long_ago = NOW - timedelta(days=3 * 365)
    assert backups_to_keep([long_ago], NOW) == {long_ago}


def test_a_backup_from_the_future_does_not_count_as_the_newest() -> None:
    old = NOW - timedelta(days=1000)
    older = old - timedelta(days=400)
    tomorrow = NOW + timedelta(days=1)
    assert backups_to_keep([older, old, tomorrow], NOW) == {old, tomorrow, older}
    assert backups_to_keep([tomorrow], NOW) == {tomorrow}


def test_a_gap_in_backups_still_keeps_days_weeks_and_months_from_before_it() -> None:
    # Daily backups that stopped 60 days ago (a long leave): the newest 12 days are kept daily.
    times = [NOW - timedelta(days=60 + n) for n in range(400)]
    kept = backups_to_keep(times, NOW)
    assert {NOW - timedelta(days=60 + n) for n in range(12)} <= kept
    assert len(kept) == DAILY + WEEKLY + MONTHLY


def test_the_same_moment_in_another_time_zone_is_the_same_backup() -> None:
    plus_one = NOW.astimezone(timezone(timedelta(hours=1)))
    assert backups_to_keep([NOW, plus_one], NOW) == {NOW}


def test_a_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        backups_to_keep([datetime(2026, 12, 1, 12, 0)], NOW)
    with pytest.raises(ValueError, match="no time zone"):
        backup_file_name(datetime(2026, 12, 1, 12, 0))


def test_a_backup_file_name_is_utc_to_the_second() -> None:
    assert backup_file_name(datetime(2026, 12, 2, 15, 45, tzinfo=UTC)) == (
        "portfolio-2026-12-02T154500Z.backup"
    )
    in_paris = datetime(2026, 12, 2, 16, 45, 0, 999_999, tzinfo=timezone(timedelta(hours=1)))
    assert backup_file_name(in_paris) == "portfolio-2026-12-02T154500Z.backup"


_to_the_second = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.just(UTC)
).map(lambda at: at.replace(microsecond=0))


@given(_to_the_second)
def test_a_backup_file_name_round_trips(at: datetime) -> None:
    name = backup_file_name(at)
    assert parse_backup_file_name(name) == at
    assert backup_file_name(at) == name


@given(_to_the_second, _to_the_second)
def test_backup_file_names_sort_as_their_times(a: datetime, b: datetime) -> None:
    assert (backup_file_name(a) < backup_file_name(b)) == (a < b)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "portfolio.sqlite3",
        "portfolio-2026-12-02T154500Z.backup.tmp",  # a copy still being written
        "portfolio-2026-12-02T154500Z",
        "portfolio-2026-12-02T1545Z.backup",
        "portfolio-2026-12-02T154500.backup",
        "xportfolio-2026-12-02T154500Z.backup",
        "Portfolio-2026-12-02T154500Z.backup",
        "portfolio-2026-12-02t154500z.backup",
        "portfolio-2026-02-30T154500Z.backup",
        "portfolio-2026-12-02T254500Z.backup",
        "portfolio-2026-12-02T154500Z.BACKUP",
        "portfolio-２０２６-12-02T154500Z.backup",
        " portfolio-2026-12-02T154500Z.backup",
        "portfolio-2026-12-02T154500Z.backup\n",
    ],
)
def test_other_file_names_are_not_backups(name: str) -> None:
    assert parse_backup_file_name(name) is None


@given(st.text())
def test_any_name_parses_to_nothing_or_to_its_own_time(name: str) -> None:
    at = parse_backup_file_name(name)
    assert at is None or backup_file_name(at) == name
