"""One unit of work per use case: checks and writes in one transaction; unique names held by the
schema as well as the services; the migration that made them unique."""

from __future__ import annotations

import logging
import shutil
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3  # type: ignore[import-untyped]  # no stubs; a DB-API 2 module

from keys_for_tests import FIXTURE_KEY, write_key_file
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, Organisation
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.csv_import import CsvImportError
from portfolio_app.services.progress import Progress
from portfolio_app.storage import tables as t
from portfolio_app.storage.cipher import raw_connection
from portfolio_app.storage.database import Database, StorageError
from portfolio_app.storage.tables import Base

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "migrations"


# --- the write lock is taken when the unit of work starts ---------------------------------------


def _can_take_write_lock(path: Path, key: bytes) -> bool:
    with closing(raw_connection(path, key)) as other:
        other.isolation_level = None  # we BEGIN ourselves
        other.execute("PRAGMA busy_timeout=0")  # fail at once rather than wait for the lock
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError as exc:
            assert "locked" in str(exc)
            return False
        other.execute("ROLLBACK")
        return True


def test_a_unit_of_work_holds_the_write_lock_from_its_start(services: AppServices) -> None:
    path, key = services.paths.database, services.data_key
    with services.db.unit_of_work():
        assert not _can_take_write_lock(path, key)  # before it has read or written anything
    with services.db.transaction() as session:
        session.get(t.OrganisationRow, 1)
        assert _can_take_write_lock(path, key)  # reads do not keep writers out
    assert _can_take_write_lock(path, key)


def test_a_second_writer_waits_rather_than_failing(services: AppServices) -> None:
    """busy_timeout: a writer that finds the lock taken waits for it (here, until it is free)."""
    other = Database(services.paths.database, key=services.data_key)
    try:
        with services.db.unit_of_work() as session:
            session.add(t.OrganisationRow(name="First", sector_id="police", aliases=[]))
        with other.unit_of_work() as session:
            session.add(t.OrganisationRow(name="Second", sector_id="police", aliases=[]))
    finally:
        other.close()
    assert [o.name for o in services.organisations.list_all()] == ["First", "Second"]


# --- names are unique, however typed ------------------------------------------------------------


def test_an_organisation_name_is_refused_when_taken_in_any_case_or_spacing(
    services: AppServices,
) -> None:
    police = services.organisations.create(Organisation("Northshire Police", "police"))
    with pytest.raises(InvalidInput) as excinfo:
        services.organisations.create(Organisation("  northshire   POLICE ", "police"))
    assert str(excinfo.value) == "name: you already have an organisation called “Northshire Police”"
    # Its own name is not a clash: editing other fields works.
    services.organisations.update(Organisation("Northshire police", "justice", (), police.id))
    other = services.organisations.create(Organisation("Fire", "fire-rescue"))
    with pytest.raises(InvalidInput, match="already have an organisation"):
        services.organisations.update(Organisation("NORTHSHIRE POLICE", "police", (), other.id))


def test_a_deleted_record_whose_name_was_taken_since_is_not_restored_silently(
    services: AppServices,
) -> None:
    sam = services.contacts.create(Contact("Sam Lee", "first"))
    assert sam.id is not None
    deleted = services.contacts.delete(sam.id)
    services.contacts.create(Contact("sam lee", "a new one"))
    with pytest.raises(InvalidInput, match="you already have a contact called “sam lee”"):
        services.contacts.restore(deleted)
    assert [c.notes for c in services.contacts.list_all()] == ["a new one"]


def test_the_schema_refuses_a_duplicate_that_slips_past_the_services(
    services: AppServices,
) -> None:
    services.contacts.create(Contact("Priya Shah"))
    with pytest.raises(StorageError) as excinfo, services.db.unit_of_work() as session:
        session.add(t.ContactRow(name="PRIYA  shah", notes=""))
    assert str(excinfo.value) == "a contact with this name already exists; choose another name"


def test_every_table_declared_autoincrement_has_it_in_the_database(
    services: AppServices,
) -> None:
    """0004 rebuilt goals and lost AUTOINCREMENT (ids could be reused, breaking undo); 0005
    restores it. Checked against the ORM so no rebuild can lose it silently again."""
    with closing(raw_connection(services.paths.database, services.data_key)) as db:
        sql = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    declared = {
        name
        for name, table in Base.metadata.tables.items()
        if table.dialect_options["sqlite"].get("autoincrement")
    }
    assert "goals" in declared
    assert {name for name in declared if "AUTOINCREMENT" not in sql[name]} == set()


# --- the CSV importer: checks and writes in one transaction -------------------------------------


def test_an_organisation_deleted_while_a_file_is_checked_refuses_the_import(
    services: AppServices,
) -> None:
    police = services.organisations.create(Organisation("Northshire Police", "police"))
    assert police.id is not None
    rows = "".join(f"training,Row {i},2024-01-01,Northshire Police\n" for i in range(250))
    raw = f"type,title,start,organisation\n{rows}".encode()
    other = Database(services.paths.database, key=services.data_key)  # another window of the app

    def delete_midway(done: int, total: int) -> None:
        if services.organisations.list_all():
            with other.unit_of_work() as session:
                session.delete(session.get(t.OrganisationRow, police.id))

    try:
        with pytest.raises(CsvImportError) as excinfo:
            services.csv_import.import_bytes(
                raw, "visits.csv", progress=Progress(None, delete_midway)
            )
    finally:
        other.close()
    assert str(excinfo.value) == (
        "visits.csv: nothing was imported; 1 problem to fix:\n"
        "  column 'organisation': organisation 'Northshire Police' was deleted while the file "
        "was being checked; import the file again (and give its sector, if it is new)"
    )
    assert services.activities.list_all() == []


def test_a_contact_created_while_a_file_is_checked_is_matched_not_duplicated(
    services: AppServices,
) -> None:
    rows = "".join(f"training,Row {i},2024-01-01,Priya Shah\n" for i in range(150))
    raw = f"type,title,start,contacts\n{rows}".encode()

    def create_midway(done: int, total: int) -> None:
        if not services.contacts.list_all():
            services.contacts.create(Contact("priya shah", "made in another window"))

    result = services.csv_import.import_bytes(raw, progress=Progress(None, create_midway))
    assert result.contacts_created == 0
    (contact,) = services.contacts.list_all()
    assert contact.notes == "made in another window"
    assert {a.contact_ids for a in services.activities.list_all()} == {(contact.id,)}


# --- 0005_unique_names: existing duplicates ----------------------------------------------------


def test_upgrading_renames_duplicate_names_deterministically_and_logs_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    write_key_file(paths, FIXTURE_KEY)
    shutil.copyfile(FIXTURES / "0004_goal_visibility.sqlite3", paths.database)
    with closing(raw_connection(paths.database, FIXTURE_KEY)) as db, db:
        db.executemany(
            "INSERT INTO organisations (id, name, sector_id, aliases) VALUES (?, ?, ?, '[]')",
            [(7, "northshire  POLICE", "justice"), (8, "Northshire Police (2)", "police")],
        )
        db.executemany(
            "INSERT INTO contacts (id, name, notes) VALUES (?, ?, ?)",
            [(7, "zoë hart", "the second Zoë"), (8, " Zoë  Hart ", "the third")],
        )
        db.execute("INSERT INTO activity_contacts VALUES (3, 7, 1)")
    with caplog.at_level(logging.WARNING):
        services = open_services(paths)
    try:
        organisations = {o.id: o.name for o in services.organisations.list_all()}
        contacts = {c.id: (c.name, c.notes) for c in services.contacts.list_all()}
        links = {a.id: a.contact_ids for a in services.activities.list_all()}
    finally:
        services.close()
    # The lowest id keeps the name; later ones are numbered, skipping a number already in use.
    assert organisations[2] == "Northshire Police"
    assert organisations[7] == "northshire POLICE (3)"
    assert organisations[8] == "Northshire Police (2)"
    assert contacts[2] == ("Zoë Hart", "")
    assert contacts[7] == ("zoë hart (2)", "the second Zoë")
    assert contacts[8] == ("Zoë Hart (3)", "the third")
    assert links[3] == (4, 7)  # renamed, never merged: links stay with the same person
    # Logged by id: the log never holds names (issue 10).
    renames = [r.getMessage() for r in caplog.records if "renamed" in r.getMessage()]
    assert renames == [
        "organisations 7 renamed: its name was taken",
        "contacts 7 renamed: its name was taken",
        "contacts 8 renamed: its name was taken",
    ]


def test_an_activity_linking_a_contact_deleted_first_is_refused(services: AppServices) -> None:
    """The links are checked in the write's own transaction."""
    contact = services.contacts.create(Contact("Gone Soon"))
    assert contact.id is not None
    services.contacts.delete(contact.id)
    with pytest.raises(InvalidInput, match="contacts: a contact no longer exists"):
        services.activities.create(
            Activity(ActivityType.TRAINING, "T", date(2024, 1, 1), contact_ids=(contact.id,))
        )


def test_demo_data_that_fails_midway_leaves_the_folder_empty(
    services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo is one unit of work: a refusal at its last lesson leaves nothing behind, so the
    demo can be tried again (a half-filled folder would be refused as 'not empty')."""
    from portfolio_app.services import sample_data

    lessons = sample_data._LESSONS
    broken = replace(lessons[-1], title="x" * 1000)  # over the title limit: refused
    monkeypatch.setattr(sample_data, "_LESSONS", (*lessons, broken))
    with pytest.raises(InvalidInput, match="title"):
        sample_data.populate_demo(services, date(2026, 11, 1))
    assert services.profile.get() is None
    assert services.organisations.list_all() == []
    assert services.activities.list_all() == []

    monkeypatch.setattr(sample_data, "_LESSONS", lessons)
    summary = sample_data.populate_demo(services, date(2026, 11, 1))
    assert len(services.lessons.list_all()) == summary.lessons
