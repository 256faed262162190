"""Damaged-row findings kept with the file's stamp (storage.damage_memo, issue 12).

The next process on an unchanged file reads the kept ids instead of scanning; raw SQL by
another program, a touched or copied file means a scan afresh; the app's own writes remove a
finding at once and never leave a damaged entry reported clean. Damage is written as another
program would: raw SQL on the real encrypted file."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cli_support import run
from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage import damage_memo, row_checks
from test_damaged_rows import _write_raw


@pytest.fixture
def filled(paths: AppPaths) -> tuple[AppPaths, dict[str, int]]:
    services = open_services(paths)
    try:
        org = services.organisations.create(Organisation("Łukasz Trust", "nhs"))
        ids = {"org": org.id or 0}
        for name, day in (("Siân's secondment", 3), ("Zoë's visit", 4), ("Plain", 5)):
            made = services.activities.create(
                Activity(
                    ActivityType.SECONDMENT,
                    name,
                    date(2025, 3, day),
                    hours=7.5,
                    organisation_ids=(org.id or 0,),
                )
            )
            ids[name] = made.id or 0
    finally:
        services.close()
    return paths, ids


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds scanned afresh (the scan itself runs unchanged)."""
    seen: list[str] = []
    real = row_checks.scan_kind

    def counted(session: Session, kind: str) -> list[DamagedRecord]:
        seen.append(kind)
        return real(session, kind)

    monkeypatch.setattr(row_checks, "scan_kind", counted)
    return seen


def _listed(capsys: pytest.CaptureFixture[str], paths: AppPaths | Path) -> str:
    folder = paths if isinstance(paths, Path) else paths.data_dir
    code, _out, err = run(capsys, "--data-dir", str(folder), "list", "activities")
    assert code == 0, err
    return err


def _kept(paths: AppPaths) -> dict[str, object]:
    kept = json.loads(damage_memo.findings_path(paths.database).read_text(encoding="utf-8"))
    assert isinstance(kept, dict)
    return kept


def test_the_next_process_on_an_unchanged_file_reads_the_kept_findings(
    filled: tuple[AppPaths, dict[str, int]],
    data_key: bytes,
    scans: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths, ids = filled
    bad = ids["Zoë's visit"]
    _write_raw(paths, data_key, f"UPDATE activities SET start_date = '2026-13-45' WHERE id = {bad}")
    first = _listed(capsys, paths)
    assert f"activity {bad} is damaged: start is not a date ('2026-13-45')" in first
    assert "activity" in scans
    scanned = len(scans)
    kept = _kept(paths)
    assert kept["kinds"] == {kind: [bad] if kind == "activity" else [] for kind in set(scans)}
    assert "2026-13-45" not in json.dumps(kept)  # ids only: no stored text leaves the file
    second = _listed(capsys, paths)
    assert len(scans) == scanned  # read, not scanned again
    assert second == first  # the same problem, read again from the file for the kept id


def test_raw_sql_damage_between_two_runs_is_found(
    filled: tuple[AppPaths, dict[str, int]],
    data_key: bytes,
    scans: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths, ids = filled
    assert "damaged" not in _listed(capsys, paths)
    assert _kept(paths)["kinds"]["activity"] == []  # type: ignore[index]
    scanned = len(scans)
    bad = ids["Siân's secondment"]
    _write_raw(paths, data_key, f"UPDATE activities SET hours = -3 WHERE id = {bad}")
    err = _listed(capsys, paths)
    assert f"activity {bad} is damaged: hours is negative (-3)" in err
    assert len(scans) == 2 * scanned
    assert _kept(paths)["kinds"]["activity"] == [bad]  # type: ignore[index]


def test_a_touched_file_or_a_copy_is_checked_afresh(
    filled: tuple[AppPaths, dict[str, int]],
    scans: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    paths, _ids = filled
    _listed(capsys, paths)
    scanned = len(scans)
    _listed(capsys, paths)
    assert len(scans) == scanned
    info = paths.database.stat()
    os.utime(paths.database, ns=(info.st_atime_ns, info.st_mtime_ns))  # ctime moves on
    _listed(capsys, paths)
    assert len(scans) == 2 * scanned
    copy = tmp_path / "copy"
    shutil.copytree(paths.data_dir, copy)  # the kept findings come along; the inode does not
    _listed(capsys, copy)
    assert len(scans) == 3 * scanned


def test_kept_findings_from_other_rules_are_not_trusted(
    filled: tuple[AppPaths, dict[str, int]],
    data_key: bytes,
    scans: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths, _ids = filled
    _listed(capsys, paths)
    scanned = len(scans)
    kept = _kept(paths)
    kept["rules"] = "an older app's checks"
    damage_memo.findings_path(paths.database).write_text(json.dumps(kept), encoding="utf-8")
    _listed(capsys, paths)
    assert len(scans) == 2 * scanned


def test_an_own_delete_removes_a_finding_at_once_and_an_own_edit_keeps_damage_found(
    filled: tuple[AppPaths, dict[str, int]],
    data_key: bytes,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths, ids = filled
    linked = ids["Plain"]
    bad = ids["Zoë's visit"]
    _write_raw(
        paths,
        data_key,
        f"UPDATE activity_organisations SET position = 'x' WHERE activity_id = {linked}",
        f"UPDATE activities SET start_date = '2026-13-45' WHERE id = {bad}",
    )
    services = open_services(paths)
    try:
        assert {d.id for d in services.activities.damaged()} == {linked, bad}
        assert {d.id for d in services.check.damaged_entries()} >= {linked, bad}
        # Deleting the organisation drops the damaged link row with it (the app's own write).
        services.organisations.delete(ids["org"])
        assert {d.id for d in services.activities.damaged()} == {bad}
        assert {d.id for d in services.check.damaged_entries()} == {bad}
        # An own edit of another entry leaves the damaged one found.
        good = services.activities.get(ids["Siân's secondment"])
        services.activities.update(replace(good, title="Siân's long secondment"))
        assert {d.id for d in services.activities.damaged()} == {bad}
    finally:
        services.close()
    # The next process: the files changed since the kept findings; scanned afresh, still found.
    err = _listed(capsys, paths)
    assert f"activity {bad} is damaged" in err
    assert f"activity {linked} is damaged" not in err


def test_the_sector_checks_add_to_the_same_findings(
    filled: tuple[AppPaths, dict[str, int]], data_key: bytes
) -> None:
    paths, ids = filled
    org = ids["org"]
    _write_raw(
        paths, data_key, f"UPDATE organisations SET sector_id = 'no-such-sector' WHERE id = {org}"
    )
    services = open_services(paths)
    try:
        assert services.organisations.damaged() == []
        with services.db.transaction() as session:
            known = services.check.known_sector
            expected = row_checks.damaged_rows_in_full(session, "organisation", known_sector=known)
            assert row_checks.damaged_rows(session, "organisation", known_sector=known) == expected
        assert [d.id for d in expected] == [org]
        assert [d.id for d in services.check.damaged_entries()] == [org]
    finally:
        services.close()
