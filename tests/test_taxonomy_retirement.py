"""Putting a new taxonomy in force: data in retired sectors moves (one transaction, a summary);
a sector dropped while data uses it is refused and nothing changes; HR-managed means locked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from portfolio_app import paths as app_paths
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Goal, Organisation
from portfolio_app.paths import MANAGED_TAXONOMY_FILENAME, TAXONOMY_ENV, AppPaths
from portfolio_app.services import AppServices, open_services, vault
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.taxonomy_service import TaxonomyManaged, TaxonomyService
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database
from portfolio_app.taxonomy import SectorsInUseError, TaxonomyError, load_taxonomy
from portfolio_app.taxonomy.loader import default_taxonomy_path, parse_taxonomy
from portfolio_app.taxonomy.retirement import plan_retirement
from portfolio_app.taxonomy.sources import SourceKind
from portfolio_app.taxonomy.usage import PlaceUsage, SectorUsage

CCG_LABEL = "Clinical commissioning groups"


def document(version: str, *, ccgs: bool, retire_ccgs: bool | None = None) -> dict[str, Any]:
    """The default taxonomy, with CCGs as a sector (2021) or retired into ICBs (2022).

    retire_ccgs: True → retired with replaced_by; False → retired without a replacement.
    """
    doc: dict[str, Any] = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    doc.update(version=version, publisher="Northshire ICS HR")
    if ccgs:
        doc["sectors"].append(
            {"id": "ccgs", "label": CCG_LABEL, "parent": "nhs", "aliases": ["CCG"], "order": 95}
        )
        for sector in doc["sectors"]:
            if sector["id"] == "integrated-care-boards":
                sector["aliases"].remove("CCG")
    if retire_ccgs is not None:
        doc["retired"] = [
            {
                "id": "ccgs",
                "replaced_by": "integrated-care-boards" if retire_ccgs else None,
                "since": version,
                "note": "ICBs took over from CCGs on 1 July 2022.",
            }
        ]
    return doc


def save(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(TAXONOMY_ENV, raising=False)
    site = tmp_path / "etc-xdg" / "portfolio-app"
    monkeypatch.setattr(app_paths, "site_config_dirs", lambda: [site])
    return site


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "2021": save(tmp_path / "hr" / "2021.json", document("2021.1", ccgs=True)),
        "2022": save(
            tmp_path / "hr" / "2022.json", document("2022.1", ccgs=False, retire_ccgs=True)
        ),
        "dropped": save(
            tmp_path / "hr" / "dropped.json", document("2022.9", ccgs=False, retire_ccgs=False)
        ),
        "silent": save(tmp_path / "hr" / "silent.json", document("2022.8", ccgs=False)),
    }


@pytest.fixture
def admin(paths: AppPaths, site_dir: Path) -> Iterator[TaxonomyService]:
    db = _database(paths)
    yield TaxonomyService(db, paths)
    db.close()


def _database(paths: AppPaths) -> Database:
    """The data dir's database, opened with the key as the app gets it (here, the test
    passphrase in the environment)."""
    key = vault.unlock(paths).data_key
    return Database(paths.database, key=key, backups_dir=paths.backups_dir)


def seed_2021(paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]) -> dict[str, int]:
    """Install the 2021 list and record three CCGs, a police force, two activities and three
    goals (two of them in CCGs)."""
    admin.install(files["2021"])
    services = open_services(paths)
    try:
        assert services.taxonomy.version == "2021.1"
        ids = {
            name: _create(services, name, sector)
            for name, sector in [
                ("NHS Northshire CCG", "ccgs"),
                ("NHS Southshire CCG", "ccgs"),
                ("NHS Eastshire CCG", "ccgs"),
                ("Northshire Police", "police"),
            ]
        }
        services.profile.set_up(
            name="Siân Jones", role="Commissioner", organisation="NHS Northshire CCG", sector="ccgs"
        )
        only = services.activities.create(
            Activity(
                ActivityType.JOINT_PROJECT,
                "Discharge pathway",
                date(2021, 5, 1),
                organisation_ids=(ids["Northshire Police"],),
                extra_sector_ids=("justice", "ccgs"),
            )
        )
        both = services.activities.create(
            Activity(
                ActivityType.PEER_EVENT,
                "ICS launch day",
                date(2022, 6, 1),
                extra_sector_ids=("ccgs", "integrated-care-boards"),
            )
        )
        assert only.id is not None and both.id is not None
        ids["activity-only"], ids["activity-both"] = only.id, both.id
        for title, sectors in GOALS.items():
            goal = services.goals.create(Goal(title, sectors, date(2027, 3, 31)))
            assert goal.id is not None
            ids[title] = goal.id
    finally:
        services.close()
    return ids


GOALS = {
    "Work with the ICS": ("justice", "ccgs"),
    "Commissioning, old and new": ("ccgs", "integrated-care-boards"),
    "Blue-light partners": ("police",),
}


def _create(services: AppServices, name: str, sector: str) -> int:
    organisation = services.organisations.create(Organisation(name, sector))
    assert organisation.id is not None
    return organisation.id


def sectors_in_db(paths: AppPaths) -> dict[str, Any]:
    """Every organisation's sector, activity's extra sectors and goal's sectors, from the file."""
    db = _database(paths)
    try:
        with db.transaction() as session:
            orgs = {r.name: r.sector_id for r in session.scalars(select(t.OrganisationRow))}
            extra: dict[int, list[str]] = {}
            rows = session.scalars(
                select(t.ActivitySectorRow).order_by(
                    t.ActivitySectorRow.activity_id, t.ActivitySectorRow.position
                )
            )
            for row in rows:
                extra.setdefault(row.activity_id, []).append(row.sector_id)
            goals = {r.title: r.sector_ids for r in session.scalars(select(t.GoalRow))}
            return {"organisations": orgs, "activities": extra, "goals": goals}
    finally:
        db.close()


# --- install ----------------------------------------------------------------------------------


def test_installing_a_new_version_moves_organisations_with_a_summary(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    ids = seed_2021(paths, admin, files)

    result = admin.install(files["2022"])

    assert result.summary.lines() == [
        f"3 organisations, 2 activities and 2 goals moved from {CCG_LABEL} to "
        "Integrated care boards"
    ]
    moved = result.summary.moved
    assert (moved.get("organisations"), moved.get("activities"), moved.get("goals")) == (3, 2, 2)
    after = sectors_in_db(paths)
    assert after["organisations"] == {
        "NHS Northshire CCG": "integrated-care-boards",
        "NHS Southshire CCG": "integrated-care-boards",
        "NHS Eastshire CCG": "integrated-care-boards",
        "Northshire Police": "police",
    }
    # Same position in the list; no duplicate when the activity already had the replacement.
    assert after["activities"] == {
        ids["activity-only"]: ["justice", "integrated-care-boards"],
        ids["activity-both"]: ["integrated-care-boards"],
    }
    # Goals move too, keeping their order; one listing both ends with the replacement once.
    assert after["goals"] == {
        "Work with the ICS": ["justice", "integrated-care-boards"],
        "Commissioning, old and new": ["integrated-care-boards"],
        "Blue-light partners": ["police"],
    }
    assert load_taxonomy(paths.installed_taxonomy) == load_taxonomy(files["2022"])

    # The app opens with it, shows where it came from, and has nothing more to move.
    services = open_services(paths)
    try:
        status = services.taxonomy_status
        assert status is not None
        assert (status.source.kind, status.taxonomy.version, bool(status.summary)) == (
            SourceKind.USER_INSTALLED,
            "2022.1",
            False,
        )
        assert services.profile.require().home_sector_id == "integrated-care-boards"
    finally:
        services.close()


def test_the_summary_reads_plainly_for_organisations_only(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    admin.install(files["2021"])
    services = open_services(paths)
    try:
        for name in ("A CCG", "B CCG", "C CCG"):
            _create(services, name, "ccgs")
    finally:
        services.close()
    assert admin.plan(load_taxonomy(files["2022"])).summary().lines() == [
        f"3 organisations moved from {CCG_LABEL} to Integrated care boards"
    ]
    assert admin.install(files["2022"]).summary.describe() == (
        f"3 organisations moved from {CCG_LABEL} to Integrated care boards"
    )


@pytest.mark.parametrize("which", ["dropped", "silent"])
def test_removing_a_used_sector_without_a_replacement_is_refused(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path], which: str
) -> None:
    seed_2021(paths, admin, files)
    before = sectors_in_db(paths)
    installed_before = paths.installed_taxonomy.read_bytes()
    applied_before = paths.applied_taxonomy.read_bytes()

    with pytest.raises(SectorsInUseError) as excinfo:
        admin.install(files[which])

    assert excinfo.value.problems == [
        f"the sector {CCG_LABEL} (ccgs) would be removed without a replacement, but "
        "3 organisations, 2 activities and 2 goals use it; give it a replaced_by in the retired "
        "list, or move them first"
    ]
    [usage] = excinfo.value.in_use
    assert usage.sector_id == "ccgs"
    assert [(c.label, c.count) for c in usage.uses.counts] == [
        ("organisations", 3),
        ("activities", 2),
        ("goals", 2),
    ]
    assert sectors_in_db(paths) == before
    assert paths.installed_taxonomy.read_bytes() == installed_before
    assert paths.applied_taxonomy.read_bytes() == applied_before


def test_a_goal_moved_by_retirement_can_be_edited_afterwards(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    ids = seed_2021(paths, admin, files)
    admin.install(files["2022"])

    services = open_services(paths)
    try:
        goal = services.goals.get(ids["Work with the ICS"])
        assert goal.sector_ids == ("justice", "integrated-care-boards")
        # Before goals were moved, this failed with "unknown sector 'ccgs'".
        edited = services.goals.update(replace(goal, title="Work with the ICB", achieved=True))
        assert (edited.title, edited.sector_ids, edited.achieved) == (
            "Work with the ICB",
            ("justice", "integrated-care-boards"),
            True,
        )
        both = services.goals.get(ids["Commissioning, old and new"])
        assert services.goals.update(replace(both, notes="Merged")).sector_ids == (
            "integrated-care-boards",
        )
    finally:
        services.close()


def test_dropping_a_sector_only_a_goal_uses_is_refused(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path], site_dir: Path
) -> None:
    admin.install(files["2021"])
    services = open_services(paths)
    try:
        services.goals.create(Goal("Learn how CCGs commission", ("ccgs",)))
    finally:
        services.close()
    before = sectors_in_db(paths)

    with pytest.raises(SectorsInUseError) as excinfo:
        admin.install(files["dropped"])
    assert excinfo.value.problems == [
        f"the sector {CCG_LABEL} (ccgs) would be removed without a replacement, but 1 goal uses "
        "it; give it a replaced_by in the retired list, or move them first"
    ]
    assert load_taxonomy(paths.installed_taxonomy).version == "2021.1"
    assert sectors_in_db(paths) == before

    # The diff the Settings page shows before installing says the same.
    diff = admin.diff(load_taxonomy(files["2021"]), load_taxonomy(files["dropped"]))
    [removal] = diff.removed
    assert removal.blocks_install
    assert f"  x ccgs: {CCG_LABEL}; used by 1 goal of yours: installing is refused" in diff.lines()


def test_goals_left_in_a_retired_sector_move_at_the_next_start(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    # Data from before goals were moved on retirement: 2022 is in force, a goal still says CCGs.
    admin.install(files["2022"])
    services = open_services(paths)
    try:
        goal = services.goals.create(Goal("Reach the ICB", ("integrated-care-boards",)))
    finally:
        services.close()
    db = _database(paths)
    try:
        with db.transaction() as session:
            session.execute(
                update(t.GoalRow).where(t.GoalRow.id == goal.id).values(sector_ids=["ccgs"])
            )
    finally:
        db.close()

    services = open_services(paths)
    try:
        status = services.taxonomy_status
        assert status is not None and status.refused is None
        assert status.summary.lines() == ["1 goal moved from ccgs to Integrated care boards"]
        assert goal.id is not None
        assert services.goals.get(goal.id).sector_ids == ("integrated-care-boards",)
    finally:
        services.close()


def test_removing_an_unused_sector_is_fine(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    admin.install(files["2021"])
    result = admin.install(files["dropped"])
    assert not result.summary
    assert result.summary.describe() == "Nothing had to move."


def test_an_invalid_file_changes_nothing(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path], tmp_path: Path
) -> None:
    seed_2021(paths, admin, files)
    before = sectors_in_db(paths)
    bad = document("2022.1", ccgs=False, retire_ccgs=True)
    bad["sectors"][0]["colour"] = "blue"
    with pytest.raises(TaxonomyError):
        admin.install(save(tmp_path / "bad.json", bad))
    assert sectors_in_db(paths) == before
    assert load_taxonomy(paths.installed_taxonomy).version == "2021.1"


def test_a_failed_install_rolls_back_the_moves(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    seed_2021(paths, admin, files)
    before = sectors_in_db(paths)
    # The installed file cannot be written (a folder is in the way): the move is rolled back.
    paths.installed_taxonomy.unlink()
    paths.installed_taxonomy.mkdir()
    with pytest.raises(TaxonomyError) as excinfo:
        admin.install(files["2022"])
    assert "cannot write the file" in str(excinfo.value)
    assert sectors_in_db(paths) == before


def test_install_is_refused_when_hr_manages_the_taxonomy(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path], site_dir: Path
) -> None:
    save(site_dir / MANAGED_TAXONOMY_FILENAME, document("2021.1", ccgs=True))
    with pytest.raises(TaxonomyManaged) as excinfo:
        admin.install(files["2022"])
    assert str(excinfo.value) == (
        "the sector taxonomy on this computer is managed by Northshire ICS HR "
        f"(HR's system-wide file ({site_dir / MANAGED_TAXONOMY_FILENAME})), so you cannot "
        "install another; ask your HR team"
    )
    assert isinstance(excinfo.value, ServiceError)
    assert not paths.installed_taxonomy.exists()


def test_install_is_refused_when_the_environment_names_a_file(
    paths: AppPaths,
    admin: TaxonomyService,
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TAXONOMY_ENV, str(files["2021"]))
    with pytest.raises(TaxonomyManaged):
        admin.install(files["2022"])


def test_going_back_to_the_default(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    seed_2021(paths, admin, files)
    # The default has no CCGs and does not retire them: refused while data uses them.
    with pytest.raises(SectorsInUseError):
        admin.remove_installed()
    assert paths.installed_taxonomy.is_file()

    admin.install(files["2022"])
    status = admin.remove_installed()
    assert status.source.kind is SourceKind.DEFAULT
    assert not paths.installed_taxonomy.exists()
    assert admin.in_force().source.kind is SourceKind.DEFAULT


# --- at start-up ------------------------------------------------------------------------------


def test_a_new_hr_file_is_applied_at_start_up_once(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path], site_dir: Path
) -> None:
    save(site_dir / MANAGED_TAXONOMY_FILENAME, document("2021.1", ccgs=True))
    services = open_services(paths)
    try:
        for name in ("A CCG", "B CCG", "C CCG"):
            _create(services, name, "ccgs")
    finally:
        services.close()

    # IT deploys the 2022 list over the 2021 one.
    save(site_dir / MANAGED_TAXONOMY_FILENAME, document("2022.1", ccgs=False, retire_ccgs=True))
    services = open_services(paths)
    try:
        status = services.taxonomy_status
        assert status is not None
        assert status.summary.lines() == [
            f"3 organisations moved from {CCG_LABEL} to Integrated care boards"
        ]
        assert (status.managed, status.managed_by) == (True, "Managed by Northshire ICS HR")
        assert {o.sector_id for o in services.organisations.list_all()} == {
            "integrated-care-boards"
        }
    finally:
        services.close()

    services = open_services(paths)  # the next start has nothing to do
    try:
        assert services.taxonomy_status is not None
        assert not services.taxonomy_status.summary
    finally:
        services.close()


def test_a_refused_hr_file_keeps_the_previous_taxonomy_at_start_up(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path], site_dir: Path
) -> None:
    save(site_dir / MANAGED_TAXONOMY_FILENAME, document("2021.1", ccgs=True))
    services = open_services(paths)
    try:
        _create(services, "A CCG", "ccgs")
    finally:
        services.close()
    save(site_dir / MANAGED_TAXONOMY_FILENAME, document("2022.9", ccgs=False, retire_ccgs=False))

    services = open_services(paths)
    try:
        status = services.taxonomy_status
        assert status is not None and status.refused is not None
        # The app still starts, with the taxonomy the data fits, and says why.
        assert services.taxonomy.version == "2021.1"
        assert status.in_force.taxonomy.version == "2022.9"
        [warning] = status.warnings
        assert warning.startswith("HR's system-wide file (")
        assert f"'UK local public services' 2021.1 is still used: the sector {CCG_LABEL}" in (
            warning
        )
        assert [o.sector_id for o in services.organisations.list_all()] == ["ccgs"]
    finally:
        services.close()


def test_an_unreadable_record_of_the_last_applied_taxonomy_is_ignored(
    paths: AppPaths, admin: TaxonomyService, files: dict[str, Path]
) -> None:
    admin.install(files["2021"])
    paths.applied_taxonomy.write_text("{broken", encoding="utf-8")
    assert admin.last_applied() is None
    services = open_services(paths)  # re-applies and records again
    services.close()
    record = admin.last_applied()
    assert record is not None and record.taxonomy.version == "2021.1"
    assert record.source_kind == "user-installed"


# --- planning (pure) --------------------------------------------------------------------------


def test_replacement_chains_are_followed_to_an_active_sector() -> None:
    doc = document("2030.1", ccgs=False)
    doc["retired"] = [
        {"id": "pcts", "replaced_by": "ccgs"},
        {"id": "ccgs", "replaced_by": "integrated-care-boards"},
    ]
    new = parse_taxonomy(json.dumps(doc).encode())
    old = parse_taxonomy(json.dumps(document("2021.1", ccgs=True)).encode())
    usage = SectorUsage(
        (
            PlaceUsage("organisations", "organisation", {"pcts": 1, "ccgs": 2, "police": 4}),
            PlaceUsage("goals", "goal", {"ccgs": 1}),
        )
    )
    plan = plan_retirement(new, usage, old)
    assert plan.mapping() == {"ccgs": "integrated-care-boards", "pcts": "integrated-care-boards"}
    assert plan.summary().lines() == [
        f"2 organisations and 1 goal moved from {CCG_LABEL} to Integrated care boards",
        # Not in the previous taxonomy either: its id stands in for the label.
        "1 organisation moved from pcts to Integrated care boards",
    ]
    assert not plan.refused


def test_data_in_unknown_sectors_with_nothing_to_fall_back_on_is_reported(
    paths: AppPaths, site_dir: Path
) -> None:
    # Data placed under a taxonomy this data dir has no record of (e.g. made by another tool).
    older = parse_taxonomy(json.dumps(document("2021.1", ccgs=True)).encode())
    services = open_services(paths, older)
    try:
        _create(services, "A CCG", "ccgs")
    finally:
        services.close()
    assert not paths.applied_taxonomy.exists()

    services = open_services(paths)
    try:
        status = services.taxonomy_status
        assert status is not None and status.refused is not None
        assert services.taxonomy.version == "2026.1"  # the default, the only one there is
        assert status.warnings == [
            f"the default shipped with Portfolio ({default_taxonomy_path()}) is used, but some of "
            "your data is in sectors it does not have: the sector ccgs would be removed without "
            "a replacement, but 1 organisation uses it; give it a replaced_by in the retired "
            "list, or move them first"
        ]
        assert [o.sector_id for o in services.organisations.list_all()] == ["ccgs"]
    finally:
        services.close()
