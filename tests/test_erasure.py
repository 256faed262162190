"""Erasing a contact really removes them: nothing of theirs is left in the database's files.

SQLite leaves a deleted row's bytes in free space until they are reused, so without
`secure_delete` a contact's name and notes could be read from the file long after deletion by
whoever holds the key. The files are encrypted, so their raw bytes never show the name: the
checks search the decrypted pages (free pages, journal and WAL included) as a key holder could."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from decrypted_pages import decrypted_bytes
from portfolio_app.domain.enums import ActivityType
from portfolio_app.domain.records import Activity, Contact, ContactRole, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services

NAME = "Zebedee Quillfeather-Ødegård"
NOTES = "Confided: PRIVATE-MARKER-7f3c9 about their health."


def _files(database: Path) -> list[Path]:
    """The database and any journal or write-ahead log beside it."""
    suffixes = ("", "-journal", "-wal", "-shm")
    return [p for p in (Path(f"{database}{s}") for s in suffixes) if p.exists()]


TEXTS = (NAME, NOTES, "PRIVATE-MARKER-7f3c9", NAME.casefold())


def _found(content: bytes, where: str) -> list[str]:
    return [f"{text!r} in {where}" for text in TEXTS if text.encode("utf-8") in content]


def _traces(database: Path, key: bytes) -> list[str]:
    """The contact's text anywhere a key holder could read it: every decrypted page of the
    database, its journal and its write-ahead log, free pages and old frames included."""
    found = []
    for path in _files(database):
        if path.name.endswith("-shm"):
            continue  # the WAL index: page numbers and checksums, no content
        found.extend(_found(decrypted_bytes(path, key), f"{path.name} (decrypted)"))
    return found


def _raw_traces(database: Path) -> list[str]:
    """The contact's text in the files' raw bytes (encrypted, so never there)."""
    found = []
    for path in _files(database):
        found.extend(_found(path.read_bytes(), path.name))
    return found


def _fill(services: AppServices) -> int:
    """A contact with a role and an activity, among other people (so pages hold other rows)."""
    council = services.organisations.create(Organisation("Erasure Council", "adult-social-care"))
    assert council.id is not None
    for n in range(30):
        services.contacts.create(Contact(f"Someone Else {n}", "ordinary notes " * 5))
    contact = services.contacts.create(
        Contact(NAME, NOTES, (ContactRole(council.id, "Carer", date(2024, 1, 1)),))
    )
    assert contact.id is not None
    services.activities.create(
        Activity(ActivityType.SHADOWING, "Met them", date(2026, 1, 5), contact_ids=(contact.id,))
    )
    return contact.id


def test_a_deleted_contact_leaves_no_trace_in_the_database_files(paths: AppPaths) -> None:
    services = open_services(paths)
    key = services.data_key
    try:
        contact_id = _fill(services)
        assert _traces(paths.database, key)  # the check can see them while they exist
        assert _raw_traces(paths.database) == []  # encrypted at rest, even while they exist
        services.contacts.delete(contact_id)
    finally:
        services.close()
    assert _traces(paths.database, key) == []

    # The rest is intact: only the contact and their links went.
    services = open_services(paths)
    try:
        assert len(services.contacts.list_all()) == 30
        (activity,) = services.activities.list_all()
        assert activity.contact_ids == ()
    finally:
        services.close()


def test_undo_of_an_erasure_is_held_in_memory_only(paths: AppPaths) -> None:
    """The delete's snapshot (for the session's undo) is a Python object: the files hold nothing
    of the contact until it is restored, and restoring puts everything back."""
    services = open_services(paths)
    try:
        contact_id = _fill(services)
        snapshot = services.contacts.delete(contact_id)
        services.db.engine.dispose()  # every connection closed, so the files are complete
        assert _traces(paths.database, services.data_key) == []
        restored = services.contacts.restore(snapshot)
        assert (restored.id, restored.name, restored.notes) == (contact_id, NAME, NOTES)
        (activity,) = services.activities.list_all()
        assert activity.contact_ids == (contact_id,)
    finally:
        services.close()


def test_every_connection_has_secure_delete_on(services: AppServices) -> None:
    for open_session in (services.db.transaction, services.db.unit_of_work):
        with open_session() as session:
            assert session.connection().exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    # Builds of SQLite differ in their default (this machine's may already be on), so the app
    # sets it on every connection rather than trusting the build.
