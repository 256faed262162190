"""Data for the JSON format's tests: every kind of entry with every field set, odd Unicode, a
50,000-character description, evidence bytes of every value; and the tables' rows, all columns,
to compare two databases field by field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.services import AppServices
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database

LONG_TEXT = ("Siân, Łukasz and Zoë met the 🧑‍⚕️ team; " * 1300)[:50_000]
ALL_BYTES = bytes(range(256)) * 8 + "Zoë’s notes".encode()
ENTRY_TABLES = (
    t.OrganisationRow,
    t.ContactRow,
    t.ContactRoleRow,
    t.ActivityRow,
    t.ActivityOrganisationRow,
    t.ActivitySectorRow,
    t.ActivityContactRow,
    t.LessonRow,
    t.ReviewRow,
    t.GoalRow,
    t.EvidenceRow,
    t.EvidenceBlobRow,
    t.ProfileRow,
)


def fill_rich(services: AppServices) -> None:
    """A portfolio with every entity and field (through the services, as a user would)."""
    services.profile.set_up(
        name="Siân Jones",
        role="Senior social worker",
        organisation="Northshire Council",
        sector="adult-social-care",
    )
    trust = services.organisations.create(
        Organisation("Łukasz’s NHS Trust", "acute-trusts", ("ŁNT", "The Trust"))
    )
    police = services.organisations.create(Organisation("Zoë Police", "police"))
    home = services.organisations.find_by_name("Northshire Council")
    assert trust.id and police.id and home is not None and home.id
    zoe = services.contacts.create(
        Contact(
            "Zoë Ødegaard",
            "Met at the “joint” day\nline two\tZoe\u0308 (decomposed)\u0000\r\n",
            (
                ContactRole(trust.id, "Ward manager", date(2020, 1, 1), date(2022, 12, 31)),
                ContactRole(police.id, "Inspector"),
            ),
        )
    )
    lukasz = services.contacts.create(Contact("Łukasz Nowak", roles=(ContactRole(trust.id),)))
    assert zoe.id and lukasz.id
    secondment = services.activities.create(
        Activity(
            ActivityType.SECONDMENT,
            "Secondment to Łukasz’s ward",
            date(2024, 3, 1),
            date(2024, 5, 31),
            hours=120.5,
            organisation_ids=(trust.id, police.id),
            extra_sector_ids=("public-health", "nhs"),
            contact_ids=(zoe.id, lukasz.id),
            description=LONG_TEXT,
            visibility=Visibility.SHARED,
        )
    )
    planned = services.activities.create(
        Activity(
            ActivityType.PEER_EVENT,
            "Peer day with Zoë",
            date(2030, 1, 2),
            status=Status.PLANNED,
            organisation_ids=(home.id,),
        )
    )
    assert secondment.id and planned.id
    sections = {
        LessonSection.WHAT_HAPPENED: LessonField("Siân led the handover", True),
        LessonSection.WHAT_WORKED: LessonField("Joint notes", False),
        LessonSection.WHAT_DID_NOT_WORK: LessonField("", False),
        LessonSection.DO_DIFFERENTLY: LessonField("Ask Zoë first", True),
        LessonSection.NEXT_STEP: LessonField("Shadow a night shift 🌙", False),
    }
    lesson = services.lessons.create(
        Lesson("Handover", secondment.id, date(2024, 6, 1), sections=sections)
    )
    standalone = services.lessons.create(Lesson("A thought, on its own"))
    assert lesson.id and standalone.id
    review = services.reviews.create(
        Review(date(2024, 7, 1), "Łukasz Nowak", "Line manager", "Good year.\nMore NHS work."),
        [Goal("Work with the police", ("police",), date(2025, 6, 30), "agreed")],
    )
    services.goals.create(
        Goal(
            "Reach health",
            ("nhs", "public-health"),
            None,
            "private notes — Siân",
            achieved=True,
        )
    )
    assert review.id
    services.evidence.add(
        "Agenda – Zoë.pdf", ALL_BYTES, activity_id=secondment.id, visibility=Visibility.SHARED
    )
    services.evidence.add("notes.txt", "Łukasz\n".encode(), lesson_id=lesson.id)
    services.evidence.add("photo.unknownext", b"\x00\xff", activity_id=planned.id)


def _value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


# A contact's roles are written afresh whenever the contact is saved: their row ids are not
# part of the data (their uids are).
NOT_COMPARED = {("contact_roles", "id")}


def table_rows(source: AppServices | Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every entry table with every column (but NOT_COMPARED)."""
    db = source if isinstance(source, Database) else source.db
    out: dict[str, list[dict[str, Any]]] = {}
    with db.transaction() as session:
        for table in ENTRY_TABLES:
            name = table.__tablename__
            columns = [c for c in table.__table__.columns if (name, c.name) not in NOT_COMPARED]
            rows = session.execute(select(*columns)).all()
            key = [c.name for c in columns]
            out[name] = sorted(
                ({k: _value(v) for k, v in zip(key, row, strict=True)} for row in rows),
                key=repr,
            )
    return out


def counts(source: AppServices | Database) -> dict[str, int]:
    return {name: len(rows) for name, rows in table_rows(source).items()}
