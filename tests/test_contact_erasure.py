"""Right to erasure on real encrypted files: the preview names everything that changes, the
erasure is one transaction, and afterwards the person's name is in no file of the data folder,
neither in any file's raw bytes nor in the decrypted pages of the database and its backups."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from decrypted_pages import BadPage, decrypted_bytes
from portfolio_app.domain.enums import ActivityType, LessonSection
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
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, NotFound, open_services
from portfolio_app.services.contact_export import EXPORT_FORMAT, EXPORT_VERSION
from portfolio_app.services.name_mentions import name_terms

NAME = "Łukasz Zoë Quillfeather-Ødegård"
NOTES = "Confided ERASE-MARKER-41c7 about their health."
SURNAME = "Quillfeather-Ødegård"


def _needles() -> list[bytes]:
    """Every form in which the person could be stored: as typed, case folded (the name's
    comparison key), the surname alone and the notes' marker; UTF-8 and UTF-16."""
    texts = [NAME, NAME.casefold(), SURNAME, "Quillfeather", "ERASE-MARKER-41c7"]
    return [text.encode(encoding) for text in texts for encoding in ("utf-8", "utf-16-le")]


def _traces_in(data: bytes) -> list[str]:
    return [needle.decode("utf-8", "replace") for needle in _needles() if needle in data]


def _databases_in(folder: Path) -> list[Path]:
    """The database files of the folder (the main one and every backup), not their WAL or
    journal (decrypted_bytes reads those beside each database)."""
    companions = ("-wal", "-journal", "-shm")
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not path.name.endswith(companions)
        and (path.suffix in (".sqlite3", ".backup") or path.parent.name == "backups")
    ]


def traces(paths: AppPaths, key: bytes, *, foreign: tuple[Path, ...] = ()) -> dict[str, list[str]]:
    """Where the person is still found: every file's raw bytes, and the decrypted pages (free
    pages included) of the database, its WAL and journal, and every backup. Only the `foreign`
    files (not ours: not encrypted with the key) may fail to decrypt."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in paths.data_dir.rglob("*") if p.is_file()):
        hits = _traces_in(path.read_bytes())
        if hits:
            found[f"{path.relative_to(paths.data_dir)} (raw)"] = hits
    undecryptable = []
    for database in _databases_in(paths.data_dir):
        try:
            plain = decrypted_bytes(database, key)
        except BadPage:
            undecryptable.append(database)
            continue
        hits = _traces_in(plain)
        if hits:
            found[f"{database.relative_to(paths.data_dir)} (decrypted)"] = hits
    assert undecryptable == list(foreign)
    return found


def _organisation(services: AppServices, name: str, sector: str) -> int:
    organisation = services.organisations.create(Organisation(name, sector))
    assert organisation.id is not None
    return organisation.id


def _backup(services: AppServices, name: str) -> Path:
    target = services.paths.backups_dir / name
    services.db.copy_to(target)
    return target


class World:
    """A data folder with the person, other people, their links and the user's text."""

    def __init__(self, services: AppServices) -> None:
        self.services = services
        council = _organisation(services, "Erasure Council", "adult-social-care")
        trust = _organisation(services, "Northshire Community Health", "community-trusts")
        for n in range(25):
            services.contacts.create(Contact(f"Someone Else {n}", "ordinary notes " * 4))
        # A backup from before the person was added: it does not hold them.
        self.early_backup = _backup(services, "portfolio-2026-01-01T090000Z.backup")
        contact = services.contacts.create(
            Contact(
                NAME,
                NOTES,
                (
                    ContactRole(council, "Carer", date(2024, 1, 1), date(2025, 3, 31)),
                    ContactRole(trust, "Discharge coordinator", date(2025, 4, 1)),
                ),
            )
        )
        assert contact.id is not None
        self.contact_id = contact.id
        other = services.contacts.get(1)
        assert other.id is not None
        self.shadowing = services.activities.create(
            Activity(
                ActivityType.SHADOWING,
                "Shadowed a discharge planning day",
                date(2026, 1, 5),
                contact_ids=(other.id, contact.id),
            )
        )
        self.mentoring = services.activities.create(
            Activity(
                ActivityType.MENTORING_RECEIVED,
                "Mentoring",
                date(2026, 2, 1),
                date(2026, 6, 30),
                contact_ids=(contact.id,),
            )
        )
        self.unrelated = services.activities.create(
            Activity(ActivityType.PEER_EVENT, "Peer event", date(2026, 3, 3))
        )
        assert self.shadowing.id and self.mentoring.id
        self.lesson = services.lessons.create(
            Lesson(
                "Hand-over went wrong",
                self.shadowing.id,
                date(2026, 1, 6),
                {
                    LessonSection.WHAT_HAPPENED: LessonField(f"{NAME} was not told in time."),
                    LessonSection.NEXT_STEP: LessonField("Ask łukasz first."),
                },
            )
        )
        self.goal = services.goals.create(
            Goal("Work with the trust", ("community-trusts",), notes=f"Like {SURNAME} does")
        )
        self.review = services.reviews.create(
            Review(date(2026, 7, 1), "Dana Reviewer", comments="Good work, no names here.")
        )
        # A backup after: it holds the person.
        self.late_backup = _backup(services, "portfolio-2026-07-02T090000Z.backup")
        # A file that cannot be read with the key (another key's backup, or anything else).
        self.foreign = services.paths.backups_dir / "copied-from-elsewhere.sqlite3"
        self.foreign.write_bytes(os.urandom(8192))


@pytest.fixture
def world(services: AppServices) -> World:
    return World(services)


def test_name_terms_are_the_whole_name_and_each_longer_name() -> None:
    assert name_terms("  Zoë   Hart ") == ("zoë hart", "zoë", "hart")
    assert name_terms("Al Li") == ("al li",)  # short names are not searched alone
    assert name_terms("Ann ANN") == ("ann ann", "ann")


def test_the_preview_names_everything_that_changes(world: World) -> None:
    preview = world.services.contact_erasure.preview(world.contact_id)
    dossier = preview.dossier
    assert preview.contact.name == NAME
    assert [(r.organisation, r.job_title) for r in dossier.roles] == [
        ("Erasure Council", "Carer"),
        ("Northshire Community Health", "Discharge coordinator"),
    ]
    assert [a.id for a in dossier.activities] == [world.shadowing.id, world.mentoring.id]
    assert [lesson.id for lesson in dossier.lessons] == [world.lesson.id]
    mentions = {(m.kind, m.record_id): m for m in dossier.mentions}
    assert set(mentions) == {("lesson", world.lesson.id), ("goal", world.goal.id)}
    lesson = mentions[("lesson", world.lesson.id)]
    assert lesson.title == "Hand-over went wrong"
    assert lesson.fields == ("What happened", "Next step")
    assert NAME in lesson.terms and "Łukasz" in lesson.terms  # in the user's spelling
    assert mentions[("goal", world.goal.id)].fields == ("Notes",)
    # Exactly the backups that still hold the person; the early one and the foreign file not.
    assert preview.backups.holding == (world.late_backup,)
    assert preview.backups.unreadable == (world.foreign,)

    text = "\n".join(preview.lines())
    assert "cannot be undone" in text
    assert "2 roles removed" in text
    assert "2 activities will no longer list them" in text
    assert "Shadowed a discharge planning day" in text
    assert "names them in 2 places" in text
    assert str(world.late_backup) in text and str(world.early_backup) not in text
    # Previewing changes nothing.
    assert world.services.contacts.get(world.contact_id).name == NAME


def test_mentions_are_whole_words_and_never_edited(services: AppServices) -> None:
    contact = services.contacts.create(Contact("Zoë Hart"))
    assert contact.id is not None
    services.lessons.create(Lesson("A heart-warming day with Hartley"))
    noted = services.lessons.create(
        Lesson("Notes", sections={LessonSection.WHAT_WORKED: LessonField("ZOË said so")})
    )
    preview = services.contact_erasure.preview(contact.id)
    assert [(m.kind, m.record_id, m.terms) for m in preview.dossier.mentions] == [
        ("lesson", noted.id, ("Zoë",))
    ]
    result = services.contact_erasure.erase(contact.id)
    assert result.mentions == preview.dossier.mentions
    assert noted.id is not None
    kept = services.lessons.get(noted.id)
    assert kept.section(LessonSection.WHAT_WORKED).text == "ZOË said so"


def test_erasure_removes_the_contact_roles_and_links_in_one_go(world: World) -> None:
    services = world.services
    result = services.contact_erasure.erase(world.contact_id)
    assert (result.roles_removed, result.activities_unlinked) == (2, 2)
    with pytest.raises(NotFound):
        services.contacts.get(world.contact_id)
    assert world.shadowing.id and world.mentoring.id
    assert services.activities.get(world.shadowing.id).contact_ids == (1,)  # the other stays
    assert services.activities.get(world.mentoring.id).contact_ids == ()
    assert len(services.contacts.list_all()) == 25
    # Without pruning, the backups are kept and named.
    assert result.backups_deleted == ()
    assert result.backups_kept == (world.late_backup,)
    assert world.late_backup.exists() and world.early_backup.exists()
    assert str(world.late_backup) in "\n".join(result.lines())


def test_erasing_a_missing_contact_changes_nothing(world: World) -> None:
    with pytest.raises(NotFound, match="no contact with id 999"):
        world.services.contact_erasure.erase(999, prune_backups=True)
    assert world.late_backup.exists()
    with pytest.raises(NotFound):
        world.services.contact_erasure.preview(999)


def test_after_erasure_with_pruning_the_name_is_in_no_file(
    paths: AppPaths, data_key: bytes, services: AppServices
) -> None:
    world = World(services)
    before = traces(paths, data_key, foreign=(world.foreign,))
    # The search can see them while they exist: in the database (decrypted, not raw) and in the
    # late backup, not in the early one.
    assert "portfolio.sqlite3 (decrypted)" in before
    assert "backups/portfolio-2026-07-02T090000Z.backup (decrypted)" in before
    assert not any("raw" in where for where in before), before
    assert not any("2026-01-01" in where for where in before)

    # The user acts on the preview: their own text is theirs to change, so they edit it.
    preview = services.contact_erasure.preview(world.contact_id)
    assert {m.kind for m in preview.dossier.mentions} == {"lesson", "goal"}
    assert world.lesson.id is not None and world.goal.id is not None
    services.lessons.update(
        Lesson(
            "Hand-over went wrong",
            world.shadowing.id,
            date(2026, 1, 6),
            {LessonSection.WHAT_HAPPENED: LessonField("The carer was not told in time.")},
            world.lesson.id,
        )
    )
    services.goals.update(
        Goal("Work with the trust", ("community-trusts",), notes="", id=world.goal.id)
    )
    result = services.contact_erasure.erase(world.contact_id, prune_backups=True)
    assert result.backups_deleted == (world.late_backup,)
    assert result.backups_kept == () and result.mentions == ()
    services.close()

    assert not world.late_backup.exists()
    assert world.early_backup.exists() and world.foreign.exists()  # not theirs: left alone
    assert traces(paths, data_key, foreign=(world.foreign,)) == {}

    # The rest of the data is intact and opens.
    reopened = open_services(paths, key=data_key)
    try:
        assert len(reopened.contacts.list_all()) == 25
        assert len(reopened.activities.list_all()) == 3
    finally:
        reopened.close()


def test_without_pruning_the_preview_named_exactly_the_backups_that_still_hold_them(
    paths: AppPaths, data_key: bytes, services: AppServices
) -> None:
    world = World(services)
    named = services.contact_erasure.preview(world.contact_id).backups.holding
    services.contact_erasure.erase(world.contact_id)
    services.close()
    found = traces(paths, data_key, foreign=(world.foreign,))
    holding = {
        paths.data_dir / where.removesuffix(" (decrypted)")
        for where in found
        if where.endswith("(decrypted)")
    }
    # The user's own text still names them in the database (they chose not to edit it) ...
    assert paths.database in holding
    # ... and the backups holding them are exactly those the preview named.
    assert holding - {paths.database} == set(named) == {world.late_backup}


def test_a_backup_holding_the_contact_under_an_old_name_is_named(services: AppServices) -> None:
    """Ids are never reused: the same id in a backup is the same person, renamed since."""
    contact = services.contacts.create(Contact("Old Name"))
    assert contact.id is not None
    backup = _backup(services, "before-rename.backup")
    services.contacts.update(Contact("New Name", id=contact.id))
    assert services.contact_erasure.preview(contact.id).backups.holding == (backup,)


def test_export_everything_about_a_contact(world: World, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "łukasz.json"
    written = world.services.contact_export.export(world.contact_id, out)
    assert (written.activities, written.lessons, written.mentions) == (2, 1, 2)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == EXPORT_FORMAT
    assert document["version"] == EXPORT_VERSION == 1
    assert datetime.fromisoformat(document["exported_at"]).tzinfo is not None
    assert document["contact"] == {
        "id": world.contact_id,
        "name": NAME,
        "notes": NOTES,
        "roles": [
            {
                "organisation_id": 1,
                "organisation": "Erasure Council",
                "job_title": "Carer",
                "start": "2024-01-01",
                "end": "2025-03-31",
            },
            {
                "organisation_id": 2,
                "organisation": "Northshire Community Health",
                "job_title": "Discharge coordinator",
                "start": "2025-04-01",
                "end": None,
            },
        ],
    }
    assert document["activities"] == [
        {
            "id": world.shadowing.id,
            "type": "shadowing",
            "title": "Shadowed a discharge planning day",
            "start": "2026-01-05",
            "end": None,
        },
        {
            "id": world.mentoring.id,
            "type": "mentoring-received",
            "title": "Mentoring",
            "start": "2026-02-01",
            "end": "2026-06-30",
        },
    ]
    assert document["lessons"] == [
        {
            "id": world.lesson.id,
            "title": "Hand-over went wrong",
            "recorded_on": "2026-01-06",
            "activity_id": world.shadowing.id,
        }
    ]
    assert [(m["kind"], m["id"]) for m in document["mentioned_in"]] == [
        ("lesson", world.lesson.id),
        ("goal", world.goal.id),
    ]
    # Unicode as written, not escaped; owner-only.
    raw = out.read_bytes()
    assert NAME.encode("utf-8") in raw and b"\\u" not in raw
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in exports.iterdir()] == ["łukasz.json"]  # no temp file left


def test_export_document_is_stable_for_a_given_time(services: AppServices) -> None:
    contact = services.contacts.create(Contact("Zoë"))
    assert contact.id is not None
    at = datetime(2026, 12, 2, 15, 45, tzinfo=UTC)
    document = services.contact_export.document(contact.id, now=at)
    assert document == {
        "format": "portfolio-contact-export",
        "version": 1,
        "exported_at": "2026-12-02T15:45:00+00:00",
        "contact": {"id": contact.id, "name": "Zoë", "notes": "", "roles": []},
        "activities": [],
        "lessons": [],
        "mentioned_in": [],
    }


def test_export_to_a_missing_folder_is_a_clear_error(world: World, tmp_path: Path) -> None:
    from portfolio_app.services import ServiceError

    with pytest.raises(ServiceError, match="cannot write"):
        world.services.contact_export.export(world.contact_id, tmp_path / "nope" / "x.json")


def test_evidence_files_naming_the_person_are_reported_once_each(
    services: AppServices, tmp_path: Path
) -> None:
    """An evidence file's name and its text are both the user's: one mention a file."""
    contact = services.contacts.create(Contact("Zoë Hart"))
    activity = services.activities.create(
        Activity(ActivityType.PEER_EVENT, "Peer event", date(2026, 3, 3))
    )
    assert contact.id is not None and activity.id is not None
    minutes = tmp_path / "minutes with Hart.txt"
    minutes.write_text("Attendees: ZOË HART, others.", encoding="utf-8")
    agenda = tmp_path / "agenda.txt"
    agenda.write_bytes("Speaker: Zoë Hart".encode("utf-16"))  # not UTF-8: not read as text
    photo = tmp_path / "photo.txt"
    photo.write_text("nobody named here", encoding="utf-8")
    first = services.evidence.add_file(minutes, activity_id=activity.id)
    for path in (agenda, photo):
        services.evidence.add_file(path, activity_id=activity.id)
    mentions = services.contact_erasure.preview(contact.id).dossier.mentions
    assert [(m.kind, m.record_id, m.title, m.fields) for m in mentions] == [
        ("evidence file", first.id, "minutes with Hart.txt", ("Name", "Content"))
    ]
    assert mentions[0].terms == ("Zoë Hart", "Zoë", "Hart")
