"""A whole working session, run in-process as a user would run it, for the privacy tests: every
kind of file the app writes gets written (database, key file, logs, taxonomy records, exports).

Writes go through the real CLI (`main([...])`) and the real services; nothing is mocked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import keyring
from keyring.backends import fail

from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.taxonomy.loader import default_taxonomy_path

# Text that must never be readable outside the encrypted database: distinctive enough that a
# chance match in random bytes is impossible, and with letters beyond ASCII.
LESSON_TEXT = "MARKER-lesson-text: I missed the signs of self-neglect at Siân's first visit"
CONTACT_NAME = "Łukasz Wiśniewski-Siân"
CONTACT_NOTES = "MARKER-contact-notes: prefers calls after 4pm"
ORGANISATION_NAME = "MARKER-org Łukasz's Care Home"
ACTIVITY_TITLE = "MARKER-activity joint visit with Siân"
PROFILE_NAME = "Siân Jones"
STORED_TEXT = (
    LESSON_TEXT,
    CONTACT_NAME,
    CONTACT_NOTES,
    ORGANISATION_NAME,
    ACTIVITY_TITLE,
    "Siân",
    "Łukasz",
    "MARKER-lesson-text",
)

INIT = [
    "init",
    "--name",
    PROFILE_NAME,
    "--role",
    "Senior social worker",
    "--organisation",
    "Northshire Council",
    "--sector",
    "adult-social-care",
]


@dataclass(frozen=True)
class Session:
    paths: AppPaths
    outside: Path  # the folder the session's exports and inputs are in
    pdf: Path
    csv_export: Path
    csv_template: Path
    taxonomy_file: Path


def cli(paths: AppPaths, *argv: str) -> int:
    return main(["--data-dir", str(paths.data_dir), *argv])


def taxonomy_document(path: Path) -> Path:
    """The shipped taxonomy as a user's own file (a new version, so installing changes it)."""
    document = json.loads(default_taxonomy_path().read_text(encoding="utf-8"))
    document["title"] = "My own sectors"
    document["version"] = f"{document['version']}.1"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def add_entries(services: AppServices) -> None:
    """An organisation, a contact (notes and a role), an activity with both, a lesson with frank
    text in every section, and a goal: every table that holds the user's words."""
    sector = "care-homes"
    organisation = services.organisations.create(Organisation(ORGANISATION_NAME, sector))
    assert organisation.id is not None
    contact = services.contacts.create(
        Contact(
            CONTACT_NAME,
            notes=CONTACT_NOTES,
            roles=(ContactRole(organisation.id, "Care home manager"),),
        )
    )
    assert contact.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.SHADOWING,
            ACTIVITY_TITLE,
            date(2026, 3, 2),
            hours=3,
            organisation_ids=(organisation.id,),
            contact_ids=(contact.id,),
            description="MARKER-description: visited with Łukasz",
            visibility=Visibility.SHARED,
        )
    )
    sections = {
        section: LessonField(
            f"{LESSON_TEXT} ({section.value})", shared=section.value == "next_step"
        )
        for section in LessonSection
    }
    services.lessons.create(
        Lesson("MARKER-lesson-title", activity_id=activity.id, sections=sections)
    )
    services.goals.create(
        Goal("MARKER-goal: shadow Łukasz", (sector,), notes="MARKER-goal-notes about Siân")
    )


def run_full_session(tmp_path: Path) -> Session:
    """init, csv-template, import-csv, list (every kind), score, export-csv, export-pdf,
    taxonomy validate/show/install, unlock, then writes through the services. Every command must
    succeed."""
    paths = AppPaths.resolve(tmp_path / "data")
    outside = tmp_path / "outside"
    outside.mkdir()
    session = Session(
        paths,
        outside,
        pdf=outside / "portfolio.pdf",
        csv_export=outside / "activities.csv",
        csv_template=outside / "template.csv",
        taxonomy_file=taxonomy_document(outside / "my-sectors.json"),
    )
    steps: list[list[str]] = [
        INIT,
        ["csv-template", "--out", str(session.csv_template)],
        ["import-csv", str(session.csv_template)],
        *(
            ["list", what]
            for what in ("activities", "lessons", "organisations", "contacts", "goals", "reviews")
        ),
        ["list", "activities", "--json"],
        ["score"],
        ["export-csv", "--out", str(session.csv_export)],
        ["export-pdf", "--out", str(session.pdf), "--include-private", "--show-names"],
        ["taxonomy", "validate", str(session.taxonomy_file)],
        ["taxonomy", "show"],
        ["taxonomy", "install", str(session.taxonomy_file)],
        ["unlock"],
        ["profile"],
    ]
    for argv in steps:
        assert cli(paths, *argv) == 0, argv
    # No password store: still unlocked (by the passphrase), and the refusal is logged, so the
    # session writes a log file too.
    working = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert cli(paths, "unlock") == 0
    finally:
        keyring.set_keyring(working)
    services = open_services(paths)
    try:
        add_entries(services)
    finally:
        services.close()
    # The PDF again, now with the entries, and a warning logged (so the log file exists).
    assert cli(paths, "export-pdf", "--out", str(session.pdf), "--include-private") == 0
    return session
