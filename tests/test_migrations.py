"""Schema migrations: the head schema equals the ORM's, old databases keep every record.

Every revision has a committed fixture full of data (scripts/make_migration_fixture.py) and an
entry in EXPECTED below saying what the services must read from it once upgraded to head. The
fixtures are encrypted with the documented test key FIXTURE_KEY; the tests open them through a
key file for that key, as the app opens a user's data.
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from keys_for_tests import FIXTURE_KEY, write_key_file
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.evidence import Evidence
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Profile,
    Review,
)
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage import migrate
from portfolio_app.storage.cipher import raw_connection
from portfolio_app.storage.database import Database, StorageError
from portfolio_app.storage.errors import WrongKeyOrNotADatabase
from portfolio_app.storage.tables import Base

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "migrations"
HEAD = migrate.head_revision()
# Revision 0009's lower(title)/lower(name) sort indexes are expressions, which SQLAlchemy does not
# reflect (schema compare, batch rebuilds): tests/test_search_once.py checks them.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)


# --- What every fixture must contain after it is upgraded to head --------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Everything the services can read back, in id order."""

    profile: Profile | None
    organisations: tuple[Organisation, ...]
    contacts: tuple[Contact, ...]
    activities: tuple[Activity, ...]
    lessons: tuple[Lesson, ...]
    goals: tuple[Goal, ...] = ()
    reviews: tuple[Review, ...] = ()
    evidence: tuple[tuple[Evidence, bytes], ...] = ()  # each file with its bytes


RecordT = TypeVar("RecordT", Organisation, Contact, Activity, Lesson, Goal, Review)


def _by_id(records: list[RecordT]) -> tuple[RecordT, ...]:
    return tuple(sorted(records, key=lambda r: r.id or 0))


def snapshot(services: AppServices) -> Snapshot:
    return Snapshot(
        services.profile.get(),
        _by_id(services.organisations.list_all()),
        _by_id(services.contacts.list_all()),
        _by_id(services.activities.list_all()),
        _by_id(services.lessons.list_all()),
        _by_id(services.goals.list_all()),
        _by_id(services.reviews.list_all()),
        tuple(
            (e, services.evidence.read(e.id or 0))
            for e in sorted(services.evidence.list_all(), key=lambda e: e.id or 0)
        ),
    )


def _lesson(*sections: tuple[str, bool]) -> dict[LessonSection, LessonField]:
    return {
        s: LessonField(text, shared)
        for s, (text, shared) in zip(LessonSection, sections, strict=True)
    }


def _expected_0001_initial() -> Snapshot:
    """The rows scripts/make_migration_fixture.py writes for 0001_initial, as records."""
    empty = ("", False)
    return Snapshot(
        profile=Profile(
            "Siân Jones", "Senior social worker", 1, "Northshire Council", "adult-social-care"
        ),
        organisations=(
            Organisation("Northshire Council", "adult-social-care", ("NCC", "the council"), 1),
            Organisation("Northshire Police", "police", (), 2),
            Organisation("Ødegård Care Home", "care-homes", ("Ødegård", "Zoë's place"), 3),
            Organisation("Jobcentre Plus North", "employment-services", ("JCP North",), 5),
        ),
        contacts=(
            Contact(
                "Łukasz Nowak",
                "Moved from the police to the care home in 2024.\nKeen mentor.",
                (
                    ContactRole(2, "Sergeant", date(2015, 4, 1), date(2024, 3, 31)),
                    ContactRole(3, "Deputy manager", date(2024, 4, 1), None),
                ),
                1,
            ),
            Contact("Zoë Hart", "", (ContactRole(3, "Registered nurse", None, None),), 2),
            Contact(
                "Anwar Ali", "Work coach", (ContactRole(5, "Work coach", date(2020, 1, 6)),), 4
            ),
        ),
        activities=(
            Activity(
                ActivityType.SECONDMENT,
                "Secondment to the police hub",
                date(2025, 9, 1),
                date(2026, 2, 28),
                412.5,
                organisation_ids=(2, 1),
                extra_sector_ids=("justice", "public-health"),
                contact_ids=(1,),
                description="Six months in the multi-agency hub.",
                visibility=Visibility.SHARED,
                status=Status.DONE,
                id=1,
            ),
            Activity(
                ActivityType.SHADOWING,
                "Shadowed Zoë at Ødegård",
                date(2026, 1, 15),
                organisation_ids=(3,),
                contact_ids=(2, 1),
                id=2,
            ),
            Activity(
                ActivityType.PEER_EVENT,
                "Safeguarding learning day",
                date(2026, 5, 12),
                date(2026, 5, 12),
                0.0,
                organisation_ids=(2, 5),
                extra_sector_ids=("voluntary-community",),
                contact_ids=(4,),
                description="Planned.",
                status=Status.PLANNED,
                id=3,
            ),
        ),
        lessons=(
            Lesson(
                "Share the plan early",
                1,
                date(2026, 3, 1),
                _lesson(
                    ("We met weekly with the hub.", True),
                    ("A shared risk log.", False),
                    ("I assumed police terms meant the same as ours.", False),
                    ("Agree a glossary in week one.", True),
                    empty,
                ),
                1,
            ),
            Lesson(
                "Listen first",
                2,
                None,
                _lesson(empty, empty, empty, empty, ("Call Łukasz.", True)),
                2,
            ),
            Lesson(
                "Standalone reflection",
                None,
                date(2025, 12, 31),
                _lesson(("Private only.", False), empty, empty, empty, empty),
                3,
            ),
        ),
    )


def _expected_0003_goals_and_reviews() -> Snapshot:
    """0001's data plus a review that agreed one goal, and a goal of the user's own.

    From 0004 on the agreed goal is shared (both parties agreed it); the user's own is private."""
    return replace(
        _expected_0001_initial(),
        reviews=(
            Review(
                date(2026, 4, 20), "Zoë Ødegård", "Service manager", "Good year.\nKeep going.", 1
            ),
        ),
        goals=(
            Goal(
                "Spend time with the police",
                ("police",),
                date(2026, 12, 31),
                review_id=1,
                visibility=Visibility.SHARED,
                id=1,
            ),
            Goal(
                "Reach housing and education",
                ("housing-associations", "education"),
                notes="My own goal",
                achieved=True,
                visibility=Visibility.PRIVATE,
                id=2,
            ),
        ),
    )


def _expected_0004_goal_visibility() -> Snapshot:
    """0003's review, with goals whose visibility the user chose: a private one, a shared one."""
    return replace(
        _expected_0003_goals_and_reviews(),
        goals=(
            Goal(
                "Spend time with the police",
                ("police",),
                date(2026, 12, 31),
                review_id=1,
                visibility=Visibility.SHARED,
                id=1,
            ),
            Goal(
                "Think about my next move",
                ("housing-associations",),
                notes="PRIVATE: I am thinking of leaving the council.",
                visibility=Visibility.PRIVATE,
                id=2,
            ),
            Goal(
                "Reach education",
                ("education",),
                date(2027, 6, 30),
                "Shadow a head teacher.",
                achieved=True,
                visibility=Visibility.SHARED,
                id=4,
            ),
        ),
    )


def _expected_0005_unique_names() -> Snapshot:
    """0004's data, and two people of one name told apart as names must now be."""
    before = _expected_0004_goal_visibility()
    return replace(
        before,
        contacts=(
            *before.contacts,
            Contact("Sam Lee", "Police", (ContactRole(2, "Constable", None, None),), 5),
            Contact("Sam  Lee (NHS)", "", (), 6),
        ),
    )


def _expected_0006_evidence() -> Snapshot:
    """0005's data, and evidence files with their bytes exactly as stored."""
    agenda = "Agenda — multi-agency hub, 1 Sep 2025\nItem 1: Siân's welcome\n".encode()
    photo = b"\x89PNG\r\n\x1a\n\x00\xff\xfe" + bytes(range(256))
    notes = "Łukasz – notes\r\nPRIVATE: what I would not say aloud.".encode()

    def added(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)

    return replace(
        _expected_0005_unique_names(),
        evidence=(
            (
                Evidence(
                    "Siân's agenda.txt",
                    "text/plain",
                    len(agenda),
                    added("2026-03-01 09:15:00"),
                    Visibility.SHARED,
                    activity_id=1,
                    id=1,
                ),
                agenda,
            ),
            (
                Evidence(
                    "hub photo.png",
                    "image/png",
                    len(photo),
                    added("2026-03-01 09:16:30"),
                    activity_id=1,
                    id=2,
                ),
                photo,
            ),
            (
                Evidence(
                    "Łukasz – notes.txt",
                    "text/plain",
                    len(notes),
                    added("2026-01-02 18:00:00"),
                    lesson_id=3,
                    id=4,
                ),
                notes,
            ),
        ),
    )


# One entry per committed fixture file, named by its revision.
EXPECTED: dict[str, Callable[[], Snapshot]] = {
    "0001_initial": _expected_0001_initial,
    "0002_never_reuse_ids": _expected_0001_initial,
    "0003_goals_and_reviews": _expected_0003_goals_and_reviews,
    "0004_goal_visibility": _expected_0004_goal_visibility,
    "0005_unique_names": _expected_0005_unique_names,
    "0006_evidence": _expected_0006_evidence,
    # Stable ids and drafts are not in the services' snapshot: their own tests read them.
    "0007_stable_ids_and_drafts": _expected_0006_evidence,
    # The search index is not in the snapshot either: tests/test_search_index.py reads it.
    "0008_search_index": _expected_0006_evidence,
    # Nor is revision 0009's (search documents once per write, sort indexes): its own tests.
    "0009_search_once_and_sort_indexes": _expected_0006_evidence,
    # Nor 0010's (the index created again with one- and two-letter prefix indexes).
    "0010_search_short_prefixes": _expected_0006_evidence,
}


def _revision_of(path: Path, key: bytes = FIXTURE_KEY) -> str | None:
    with closing(raw_connection(path, key)) as db:
        rows = db.execute("SELECT version_num FROM alembic_version").fetchall()
    return rows[0][0] if rows else None


def _rows_of_every_table(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


def _table_rows(path: Path, key: bytes = FIXTURE_KEY) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, decrypted with `key`, for comparing two files in content."""
    with closing(raw_connection(path, key)) as db:
        return _rows_of_every_table(db)


def _plain_sqlite_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows of a plain (unencrypted) SQLite file."""
    with closing(sqlite3.connect(path)) as db:
        return _rows_of_every_table(db)


def _copy_fixture(revision: str, paths: AppPaths) -> None:
    """A committed fixture as the database of `paths`, with a key file for FIXTURE_KEY."""
    write_key_file(paths, FIXTURE_KEY)
    shutil.copyfile(FIXTURES / f"{revision}.sqlite3", paths.database)


@pytest.fixture
def open_copy(tmp_path: Path) -> Iterator[Callable[[str], AppServices]]:
    """Copy a fixture into a fresh data dir and open it the way the app does."""
    opened: list[AppServices] = []

    def _open(revision: str) -> AppServices:
        paths = AppPaths.resolve(tmp_path / f"data-{revision}")
        _copy_fixture(revision, paths)
        services = open_services(paths)
        opened.append(services)
        return services

    yield _open
    for services in opened:
        services.close()


def _search_table(difference: object) -> bool:
    """The FTS5 search index (revision 0008) and its shadow tables are not ORM tables."""
    table = getattr(difference, "__getitem__", None) and difference[1]  # type: ignore[index]
    return str(getattr(table, "name", "")).startswith("search_index")


# --- (a) the head schema is the ORM's schema ---------------------------------------------------


def test_upgrading_an_empty_database_gives_exactly_the_orm_schema(
    tmp_path: Path, data_key: bytes
) -> None:
    db = Database(tmp_path / "fresh.sqlite3", key=data_key)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "compare_server_default": True},
            )
            assert [
                d for d in compare_metadata(context, Base.metadata) if not _search_table(d)
            ] == []
            assert migrate.current_revision(connection) == HEAD

            # Autogenerate already compares indexes; check them, foreign keys and CHECKs explicitly.
            inspector = inspect(connection)
            orm_tables = Base.metadata.tables
            tables = {t for t in inspector.get_table_names() if not t.startswith("search_index")}
            assert tables == set(orm_tables) | {"alembic_version"}
            for name, table in orm_tables.items():
                db_indexes = {
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                }
                orm_indexes = {
                    (i.name, tuple(c.name for c in i.columns), bool(i.unique))
                    for i in table.indexes
                }
                assert db_indexes == orm_indexes, name

                db_fks = {
                    (
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        (fk.get("options") or {}).get("ondelete"),
                    )
                    for fk in inspector.get_foreign_keys(name)
                }
                orm_fks = {
                    (
                        tuple(c.name for c in fk.columns),
                        fk.referred_table.name,
                        fk.ondelete,
                    )
                    for fk in table.foreign_key_constraints
                }
                assert db_fks == orm_fks, name

                db_checks = {c["name"] for c in inspector.get_check_constraints(name)}
                orm_checks = {
                    c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint"
                }
                assert db_checks == orm_checks, name
    finally:
        db.close()


def test_a_head_database_opens_again_without_changes_or_backups(
    tmp_path: Path, data_key: bytes
) -> None:
    backups = tmp_path / "backups"
    Database(tmp_path / "p.sqlite3", key=data_key, backups_dir=backups).close()
    Database(tmp_path / "p.sqlite3", key=data_key, backups_dir=backups).close()
    assert not backups.exists()


# --- (b) committed fixtures at old revisions keep all their data ----------------------------------


def test_every_fixture_has_expected_data_and_the_current_head_has_a_fixture() -> None:
    files = {p.stem for p in FIXTURES.glob("*.sqlite3")}
    assert files == set(EXPECTED)
    # A schema change without a fixture of the revision it replaces would go untested.
    assert HEAD in files, f"commit a fixture for {HEAD}: scripts/make_migration_fixture.py {HEAD}"


@pytest.mark.parametrize("revision", sorted(EXPECTED))
def test_fixture_is_committed_at_its_revision(revision: str) -> None:
    path = FIXTURES / f"{revision}.sqlite3"
    assert _revision_of(path) == revision
    with closing(raw_connection(path, FIXTURE_KEY)) as db:
        empty = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone() == (0,)
            and name != "search_index_pending"  # empty outside a write transaction (0009)
        ]
    assert empty == [], "a fixture needs rows in every table"


@pytest.mark.parametrize("revision", sorted(EXPECTED))
def test_fixture_upgrades_to_head_with_every_record_unchanged(
    revision: str, open_copy: Callable[[str], AppServices]
) -> None:
    services = open_copy(revision)
    assert _revision_of(services.paths.database) == HEAD
    assert snapshot(services) == EXPECTED[revision]()
    # The upgraded file is a working database, not just a readable one.
    created = services.organisations.create(Organisation("New after upgrade", "nhs"))
    assert created.id == 6


@pytest.mark.parametrize("revision", sorted(EXPECTED))
def test_the_script_rebuilds_the_committed_fixture(revision: str, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_migration_fixture", REPO / "scripts" / "make_migration_fixture.py"
    )
    assert spec is not None and spec.loader is not None
    script: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    rebuilt = tmp_path / f"{revision}.sqlite3"
    script.build_fixture(revision, rebuilt)
    assert _table_rows(rebuilt) == _table_rows(FIXTURES / f"{revision}.sqlite3")
    with pytest.raises(FileExistsError):
        script.build_fixture(revision, rebuilt)


# --- (c) backups before upgrades, and upgrades that are all or nothing ---------------------------


@pytest.mark.parametrize("revision", sorted(EXPECTED))
def test_opening_a_fixture_backs_it_up_only_when_it_needs_an_upgrade(
    revision: str, open_copy: Callable[[str], AppServices]
) -> None:
    services = open_copy(revision)
    backups = sorted(services.paths.backups_dir.glob("*.sqlite3"))
    if revision == HEAD:
        assert backups == []
    else:
        assert [b.name.startswith(f"portfolio-before-upgrade-{revision}-") for b in backups] == [
            True
        ]
        _assert_encrypted_with_the_fixture_key(backups[0])
        assert _table_rows(backups[0]) == _table_rows(FIXTURES / f"{revision}.sqlite3")


def _assert_encrypted_with_the_fixture_key(path: Path) -> None:
    """A backup is as private as the database: unreadable without the key, readable with it."""
    with closing(sqlite3.connect(path)) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    assert _revision_of(path) is not None


PROBE = '''"""A revision written by the tests, one step after the real head."""
import sqlalchemy as sa
from alembic import op

revision = "9999_probe"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


@pytest.fixture
def probe_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make the app see one more revision after head, whose upgrade() runs `body`."""

    def _install(body: str) -> None:
        scripts = tmp_path / "migrations"
        shutil.copytree(
            migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__")
        )
        (scripts / "versions" / "9999_probe.py").write_text(
            PROBE.format(head=HEAD, body=body), encoding="utf-8"
        )
        monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
        assert migrate.head_revision() == "9999_probe"

    return _install


def _data_at_head(tmp_path: Path) -> tuple[AppPaths, Snapshot]:
    """A data dir at the real head, filled from the newest fixture; and what it holds."""
    paths = AppPaths.resolve(tmp_path / "data")
    _copy_fixture(str(HEAD), paths)
    services = open_services(paths)
    try:
        before = snapshot(services)
    finally:
        services.close()
    shutil.rmtree(paths.backups_dir, ignore_errors=True)
    return paths, before


def test_an_upgrade_backs_up_first_and_keeps_rows_of_rebuilt_tables(
    tmp_path: Path, probe_revision: Callable[[str], None]
) -> None:
    paths, before = _data_at_head(tmp_path)
    original = _table_rows(paths.database)
    # Batch mode rebuilds the table and drops the old one; rows pointing at it must survive.
    probe_revision(
        '    with op.batch_alter_table("organisations", recreate="always") as batch:\n'
        '        batch.add_column(sa.Column("website", sa.String(200), nullable=True))'
    )
    services = open_services(paths)
    try:
        assert snapshot(services) == before
    finally:
        services.close()
    assert _revision_of(paths.database) == "9999_probe"

    backups = list(paths.backups_dir.glob("*.sqlite3"))
    assert [b.name.startswith(f"portfolio-before-upgrade-{HEAD}-") for b in backups] == [True]
    _assert_encrypted_with_the_fixture_key(backups[0])
    assert _table_rows(backups[0]) == original


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '    op.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")\n'
            '    op.execute("UPDATE no_such_table SET x = 1")',
            "no such table: no_such_table",
        ),
        (
            '    op.execute("INSERT INTO contact_roles (contact_id, organisation_id, job_title,'
            " position) VALUES (999, 999, '', 0)\")",
            "would break 2 link(s) between records; nothing was changed",
        ),
    ],
    ids=["error", "broken-links"],
)
def test_a_failed_upgrade_changes_nothing_and_leaves_a_backup(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    probe_revision: Callable[[str], None],
    body: str,
    message: str,
) -> None:
    paths, before = _data_at_head(tmp_path)
    original = _table_rows(paths.database)
    real_migrations = migrate.MIGRATIONS_DIR
    probe_revision(body)
    with pytest.raises(StorageError) as excinfo:
        open_services(paths)
    assert message in str(excinfo.value)
    assert _table_rows(paths.database) == original  # no half-made table, same revision
    (backup,) = paths.backups_dir.glob("*.sqlite3")
    _assert_encrypted_with_the_fixture_key(backup)

    # Without the broken revision the file opens as before: nothing was left half done.
    # (Only the migrations are put back: undo() would also drop the test passphrase.)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", real_migrations)
    services = open_services(paths)
    try:
        assert snapshot(services) == before
    finally:
        services.close()


# --- (d) files that are not Portfolio databases ------------------------------------------------


def _not_ours(path: Path) -> str:
    """The message for a file that the key does not open (SQLCipher cannot tell a wrong key
    from a plain SQLite file or from something that is not a database at all)."""
    return str(WrongKeyOrNotADatabase(path))


def _damaged(path: Path) -> str:
    return f"{path} is not a Portfolio database or is damaged; restore a backup"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 64, _not_ours),
        ("type,title,start\r\nshadowing,Siân,2026-01-01\r\n".encode(), _not_ours),
        (b"SQLite format 3\x00" + b"\xff" * 5000, _not_ours),
        # Its first page opens with the key; the rest of the file is missing.
        ((FIXTURES / "0001_initial.sqlite3").read_bytes()[:6000], _damaged),
    ],
    ids=["garbage", "csv-text", "bad-header", "truncated"],
)
def test_a_non_database_file_is_refused_clearly_and_left_alone(
    tmp_path: Path, content: bytes, message: Callable[[Path], str]
) -> None:
    path = tmp_path / "portfolio.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StorageError) as excinfo:
        Database(path, key=FIXTURE_KEY)
    assert str(excinfo.value) == message(path)
    assert path.read_bytes() == content
    assert not (tmp_path / "backups").exists()


def test_a_wrong_key_is_refused_and_the_file_left_alone(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "portfolio.sqlite3"
    shutil.copyfile(FIXTURES / "0001_initial.sqlite3", path)
    content = path.read_bytes()
    assert data_key != FIXTURE_KEY
    with pytest.raises(WrongKeyOrNotADatabase) as excinfo:
        Database(path, key=data_key)
    assert isinstance(excinfo.value, StorageError)  # callers that catch StorageError see it
    assert str(excinfo.value) == _not_ours(path)
    assert path.read_bytes() == content  # not upgraded, not re-keyed, not backed up
    assert not (tmp_path / "backups").exists()
    assert _revision_of(path) == "0001_initial"  # and it still opens with its own key


def test_another_programs_sqlite_file_is_refused_and_left_alone(
    tmp_path: Path, data_key: bytes
) -> None:
    path = tmp_path / "portfolio.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE contacts (who TEXT)")
        db.execute("INSERT INTO contacts VALUES ('someone else')")
    content = path.read_bytes()
    before = _plain_sqlite_rows(path)
    # A plain SQLite file cannot be told apart from a wrong key: the message names both.
    with pytest.raises(WrongKeyOrNotADatabase) as excinfo:
        Database(path, key=data_key)
    assert str(excinfo.value) == _not_ours(path)
    assert path.read_bytes() == content
    assert _plain_sqlite_rows(path) == before


def test_an_encrypted_file_of_other_tables_is_refused_and_left_alone(
    tmp_path: Path, data_key: bytes
) -> None:
    path = tmp_path / "portfolio.sqlite3"
    with closing(raw_connection(path, data_key)) as db, db:
        db.execute("CREATE TABLE contacts (who TEXT)")
        db.execute("INSERT INTO contacts VALUES ('someone else')")
    content = path.read_bytes()
    before = _table_rows(path, data_key)
    with pytest.raises(StorageError, match="is not a Portfolio database"):
        Database(path, key=data_key)
    assert path.read_bytes() == content
    assert _table_rows(path, data_key) == before


def test_a_folder_in_place_of_the_file_is_refused_clearly(tmp_path: Path, data_key: bytes) -> None:
    path = tmp_path / "portfolio.sqlite3"
    path.mkdir()
    with pytest.raises(StorageError, match="cannot open the database"):
        Database(path, key=data_key)
    assert list(path.iterdir()) == []
