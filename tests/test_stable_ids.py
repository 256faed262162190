"""Every entry has a stable id (revision 0007): unique, kept by upgrades, given to new rows."""

from __future__ import annotations

import re
import shutil
from contextlib import closing
from pathlib import Path

from keys_for_tests import FIXTURE_KEY, write_key_file
from portfolio_app.domain.records import Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage.cipher import raw_connection

FIXTURES = Path(__file__).parent / "fixtures" / "migrations"
TABLES = (
    "organisations",
    "contacts",
    "contact_roles",
    "activities",
    "lessons",
    "reviews",
    "goals",
    "evidence",
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _uids(path: Path) -> dict[str, dict[int, str]]:
    with closing(raw_connection(path, FIXTURE_KEY)) as db:
        return {t: dict(db.execute(f"SELECT id, uid FROM {t}").fetchall()) for t in TABLES}


def _opened_copy(revision: str, tmp_path: Path) -> AppPaths:
    paths = AppPaths.resolve(tmp_path / "data")
    write_key_file(paths, FIXTURE_KEY)
    shutil.copyfile(FIXTURES / f"{revision}.sqlite3", paths.database)
    open_services(paths).close()
    return paths


def test_an_upgrade_gives_every_existing_row_its_own_uuid(tmp_path: Path) -> None:
    paths = _opened_copy("0006_evidence", tmp_path)
    uids = _uids(paths.database)
    every = [uid for table in uids.values() for uid in table.values()]
    assert all(table for table in uids.values()), "the fixture has rows in every table"
    assert all(UUID.fullmatch(uid) for uid in every), every
    assert len(set(every)) == len(every)


def test_an_upgrade_keeps_uids_that_are_already_there(tmp_path: Path) -> None:
    before = _uids(FIXTURES / "0007_stable_ids_and_drafts.sqlite3")
    paths = _opened_copy("0007_stable_ids_and_drafts", tmp_path)
    assert _uids(paths.database) == before


def test_a_new_entry_gets_a_fresh_uid(tmp_path: Path) -> None:
    paths = _opened_copy("0007_stable_ids_and_drafts", tmp_path)
    services = open_services(paths)
    try:
        created = services.organisations.create(Organisation("Siân's new partner", "nhs"))
    finally:
        services.close()
    uid = _uids(paths.database)["organisations"][created.id or 0]
    assert UUID.fullmatch(uid)
    assert uid not in _uids(FIXTURES / "0007_stable_ids_and_drafts.sqlite3")["organisations"]
