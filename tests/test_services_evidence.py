"""Evidence files on a real encrypted database: add, list (never the bytes), read, share, remove,
the size limit, odd names, files that are not files, cascade and undo with their activity or
lesson, and the plain copies made to open them."""

from __future__ import annotations

import errno
import os
import stat
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from portfolio_app.domain.enums import ActivityType, Visibility
from portfolio_app.domain.evidence import (
    MAX_EVIDENCE_BYTES,
    UNKNOWN_MEDIA_TYPE,
    Evidence,
    clean_file_name,
    human_size,
    media_label,
)
from portfolio_app.domain.records import Activity, Lesson
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, NotFound, ServiceError, open_services
from portfolio_app.services.evidence import EvidenceRefused
from portfolio_app.services.open_copies import LOCK_NAME, OpenCopies, sweep_open_copies
from portfolio_app.storage.cipher import raw_connection

AGENDA = "Siân's agenda.pdf"
NOTES = "Łukasz – notes.txt"
POSIX = os.name == "posix"


def _activity(services: AppServices, title: str = "Shadowed the night shift") -> int:
    activity = services.activities.create(Activity(ActivityType.SHADOWING, title, date(2026, 1, 5)))
    assert activity.id is not None
    return activity.id


def _lesson(services: AppServices, activity_id: int | None = None) -> int:
    lesson = services.lessons.create(Lesson("Handovers matter", activity_id=activity_id))
    assert lesson.id is not None
    return lesson.id


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _rows(services: AppServices, table: str) -> int:
    with services.db.transaction() as session:
        return int(session.connection().exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar())


# -- add, list, read, share, remove ----------------------------------------------------------


def test_a_file_is_stored_whole_and_listed_without_its_bytes(
    services: AppServices, tmp_path: Path
) -> None:
    activity_id = _activity(services)
    data = b"%PDF-1.4 agenda for the day\n" + bytes(range(256)) * 40
    before = datetime.now(UTC).replace(microsecond=0)
    added = services.evidence.add_file(_file(tmp_path, AGENDA, data), activity_id=activity_id)

    assert added.id is not None
    assert (added.name, added.media_type, added.size) == (AGENDA, "application/pdf", len(data))
    assert added.visibility is Visibility.PRIVATE  # private by default
    assert added.added_at is not None and before <= added.added_at <= datetime.now(UTC)
    assert (added.activity_id, added.lesson_id) == (activity_id, None)
    assert services.evidence.list_for(activity_id=activity_id) == [added]
    assert services.evidence.list_all() == [added]
    assert services.evidence.get(added.id) == added
    assert services.evidence.read(added.id) == data


def test_listing_never_reads_the_bytes(services: AppServices, tmp_path: Path) -> None:
    activity_id = _activity(services)
    services.evidence.add("big.bin", b"\x01" * 100_000, activity_id=activity_id)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", record)
    try:
        services.evidence.list_for(activity_id=activity_id)
        services.evidence.list_all()
        services.activities.rows()
    finally:
        event.remove(services.db.engine, "before_cursor_execute", record)
    assert statements and not [s for s in statements if "evidence_blobs" in s]


@pytest.mark.parametrize(
    ("name", "media_type", "label"),
    [
        (AGENDA, "application/pdf", "PDF"),
        (NOTES, "text/plain", "Text"),
        ("Zoë's certificate.PNG", "image/png", "Image"),
        ("no extension", UNKNOWN_MEDIA_TYPE, "File"),
        ("minutes.docx", None, "Word"),
    ],
)
def test_odd_names_are_kept_and_the_type_guessed(
    services: AppServices, tmp_path: Path, name: str, media_type: str | None, label: str
) -> None:
    lesson_id = _lesson(services)
    added = services.evidence.add_file(_file(tmp_path, name, b"x"), lesson_id=lesson_id)
    assert added.name == name
    if media_type is not None:
        assert added.media_type == media_type
    assert media_label(added.media_type) == label
    assert [e.name for e in services.evidence.list_for(lesson_id=lesson_id)] == [name]


def test_a_name_given_with_folders_keeps_only_the_file_name(services: AppServices) -> None:
    activity_id = _activity(services)
    added = services.evidence.add(
        "C:\\Users\\sian\\Documents\\" + AGENDA, b"pdf", activity_id=activity_id
    )
    assert added.name == AGENDA
    assert services.evidence.add("/home/ł/" + NOTES, b"t", activity_id=activity_id).name == NOTES
    # A name from a Mac (decomposed accents) is stored composed, like the same name typed here.
    assert clean_file_name("Sia\u0302n.txt") == "Siân.txt"
    with pytest.raises(EvidenceRefused, match="is not a file name"):
        services.evidence.add("folder/", b"x", activity_id=activity_id)


def test_sharing_and_removing(services: AppServices, tmp_path: Path) -> None:
    activity_id = _activity(services)
    first = services.evidence.add(AGENDA, b"one", activity_id=activity_id)
    second = services.evidence.add(NOTES, b"two", activity_id=activity_id, visibility="shared")  # type: ignore[arg-type]
    assert first.id is not None and second.id is not None
    assert second.visibility is Visibility.SHARED

    shared = services.evidence.set_visibility(first.id, Visibility.SHARED)
    assert shared.shared and services.evidence.get(first.id).shared
    assert not services.evidence.set_visibility(first.id, Visibility.PRIVATE).shared

    assert services.evidence.remove(first.id).name == AGENDA
    assert [e.id for e in services.evidence.list_for(activity_id=activity_id)] == [second.id]
    with pytest.raises(NotFound, match="there is no evidence file with id"):
        services.evidence.read(first.id)
    with pytest.raises(NotFound):
        services.evidence.remove(first.id)
    assert _rows(services, "evidence_blobs") == 1  # the bytes went with the record


def test_evidence_needs_exactly_one_existing_owner(services: AppServices) -> None:
    activity_id = _activity(services)
    lesson_id = _lesson(services)
    with pytest.raises(ServiceError, match="one activity or one lesson"):
        services.evidence.add("a.txt", b"x")
    with pytest.raises(ServiceError, match="one activity or one lesson"):
        services.evidence.add("a.txt", b"x", activity_id=activity_id, lesson_id=lesson_id)
    with pytest.raises(NotFound, match="there is no activity with id 99"):
        services.evidence.add("a.txt", b"x", activity_id=99)
    with pytest.raises(NotFound, match="there is no lesson with id 99"):
        services.evidence.list_for(lesson_id=99)
    assert _rows(services, "evidence") == 0


# -- refusals: nothing is stored ---------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_naming_it_and_the_limit(
    services: AppServices, tmp_path: Path
) -> None:
    activity_id = _activity(services)
    big = tmp_path / "Siân's recording.mp4"
    with big.open("wb") as handle:  # sparse: no need to write 25 MB
        handle.truncate(MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(EvidenceRefused) as excinfo:
        services.evidence.add_file(big, activity_id=activity_id)
    assert str(excinfo.value) == (
        "“Siân's recording.mp4” is 25 MB: an evidence file can be at most 25 MB. "
        "Nothing was stored."
    )
    with pytest.raises(EvidenceRefused, match="can be at most 25 MB"):
        services.evidence.add("x.bin", b"\0" * (MAX_EVIDENCE_BYTES + 1), activity_id=activity_id)
    assert (_rows(services, "evidence"), _rows(services, "evidence_blobs")) == (0, 0)


def test_a_file_of_exactly_the_limit_is_stored(services: AppServices) -> None:
    activity_id = _activity(services)
    added = services.evidence.add("x.bin", b"\1" * MAX_EVIDENCE_BYTES, activity_id=activity_id)
    assert added.size == MAX_EVIDENCE_BYTES and human_size(added.size) == "25 MB"


def test_empty_missing_and_folder_are_refused_clearly(
    services: AppServices, tmp_path: Path
) -> None:
    activity_id = _activity(services)
    cases = {
        _file(tmp_path, "empty.txt", b""): "“empty.txt” is empty: nothing was stored.",
        tmp_path / "gone.txt": f"“{tmp_path / 'gone.txt'}” does not exist (moved or deleted?).",
        tmp_path: f"“{tmp_path.name}” is a folder: add the files inside it instead.",
    }
    for path, message in cases.items():
        with pytest.raises(EvidenceRefused) as excinfo:
            services.evidence.add_file(path, activity_id=activity_id)
        assert str(excinfo.value) == message
    assert _rows(services, "evidence") == 0


@pytest.mark.skipif(not POSIX, reason="devices and pipes as files are POSIX")
def test_a_device_or_a_pipe_is_refused_without_hanging(
    services: AppServices, tmp_path: Path
) -> None:
    activity_id = _activity(services)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero")):
        with pytest.raises(EvidenceRefused, match="is not an ordinary file"):
            services.evidence.add_file(path, activity_id=activity_id)
    assert _rows(services, "evidence") == 0


def test_an_unreadable_file_is_refused(
    services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path, NOTES, b"secret")
    path.chmod(0)
    if not POSIX or os.geteuid() == 0:  # root (and Windows) read it anyway: the OS refuses
        real_open = os.open

        def refuse(name: object, *args: Any, **kwargs: Any) -> int:
            if Path(str(name)) == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(name))
            return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", refuse)
    try:
        with pytest.raises(EvidenceRefused) as excinfo:
            services.evidence.add_file(path, activity_id=_activity(services))
    finally:
        monkeypatch.undo()
        path.chmod(0o600)
    assert str(excinfo.value) == f"cannot read “{NOTES}”: you do not have permission to read it."
    assert _rows(services, "evidence") == 0


# -- with their activity or lesson ---------------------------------------------------------


def test_evidence_goes_with_its_activity_and_comes_back_on_undo(
    services: AppServices, tmp_path: Path
) -> None:
    activity_id = _activity(services)
    lesson_id = _lesson(services, activity_id)
    on_activity = services.evidence.add(AGENDA, b"agenda", activity_id=activity_id)
    on_lesson = services.evidence.add(
        NOTES, b"notes", lesson_id=lesson_id, visibility=Visibility.SHARED
    )
    other = services.evidence.add("other.txt", b"o", activity_id=_activity(services, "Other"))

    deleted = services.activities.delete(activity_id)
    # The activity's file went (the lesson stays, standalone, with its own file).
    assert services.evidence.list_all() == [on_lesson, other]
    assert _rows(services, "evidence_blobs") == 2

    services.activities.restore(deleted)
    assert services.evidence.list_for(activity_id=activity_id) == [on_activity]
    assert on_activity.id is not None and services.evidence.read(on_activity.id) == b"agenda"


def test_evidence_goes_with_its_lesson_and_comes_back_on_undo(services: AppServices) -> None:
    lesson_id = _lesson(services)
    added = services.evidence.add(NOTES, b"notes", lesson_id=lesson_id)
    snapshot = services.lessons.delete(lesson_id)
    assert services.evidence.list_all() == []
    assert _rows(services, "evidence_blobs") == 0
    services.lessons.restore(snapshot)
    assert services.evidence.list_for(lesson_id=lesson_id) == [added]


def test_deleting_an_activity_in_sql_cascades_too(services: AppServices) -> None:
    """The schema itself deletes the files with their owner (not only the services)."""
    activity_id = _activity(services)
    lesson_id = _lesson(services)
    services.evidence.add(AGENDA, b"a", activity_id=activity_id)
    services.evidence.add(NOTES, b"n", lesson_id=lesson_id)
    with services.db.unit_of_work() as session:
        session.connection().exec_driver_sql(f"DELETE FROM activities WHERE id = {activity_id}")
        session.connection().exec_driver_sql(f"DELETE FROM lessons WHERE id = {lesson_id}")
    assert (_rows(services, "evidence"), _rows(services, "evidence_blobs")) == (0, 0)


def test_the_delete_question_counts_the_files(services: AppServices) -> None:
    from portfolio_app.services.record_kinds import KINDS

    activity_id = _activity(services)
    lesson_id = _lesson(services)
    services.evidence.add(AGENDA, b"a", activity_id=activity_id)
    services.evidence.add(NOTES, b"n", activity_id=activity_id)
    services.evidence.add(NOTES, b"n", lesson_id=lesson_id)
    assert "Its 2 evidence files will be deleted with it." in KINDS["activity"].delete_question(
        services, activity_id
    )
    assert "Its 1 evidence file will be deleted with it." in KINDS["lesson"].delete_question(
        services, lesson_id
    )


def test_the_bytes_are_encrypted_on_disk(services: AppServices, paths: AppPaths) -> None:
    marker = b"EVIDENCE-PLAINTEXT-MARKER-31337 " * 50
    services.evidence.add(NOTES, marker, activity_id=_activity(services))
    raw = b"".join(
        Path(f"{paths.database}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-journal")
        if Path(f"{paths.database}{suffix}").exists()
    )
    assert b"EVIDENCE-PLAINTEXT-MARKER" not in raw and NOTES.encode() not in raw
    # ...and readable with the key (so the check above means something).
    connection = raw_connection(paths.database, services.data_key)
    try:
        [(data,)] = connection.execute("SELECT data FROM evidence_blobs").fetchall()
    finally:
        connection.close()
    assert bytes(data) == marker


# -- the plain copies made to open a file ----------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_opened_copy_is_owner_only_and_removed_on_close(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        activity_id = _activity(services)
        added = services.evidence.add(AGENDA, b"%PDF agenda", activity_id=activity_id)
        assert added.id is not None
        copy = services.evidence.open_copy(added.id, services.open_copies)
        again = services.evidence.open_copy(added.id, services.open_copies)
        assert copy.name == again.name == AGENDA and copy != again  # never the same file
        assert copy.read_bytes() == b"%PDF agenda"
        assert paths.open_files_dir in copy.parents
        if POSIX:
            assert _mode(copy) == 0o600
            for folder in copy.parents:
                assert _mode(folder) == 0o700, folder
                if folder == paths.open_files_dir:
                    break
    finally:
        services.close()
    assert not copy.exists() and not again.exists()
    assert not paths.open_files_dir.exists()


def test_copies_left_by_a_crash_are_swept_at_the_next_start(paths: AppPaths) -> None:
    # A session that crashed: its folder and copy are there, its lock released with the process.
    crashed = paths.open_files_dir / "session-crashed"
    (crashed / "x1").mkdir(parents=True)
    (crashed / LOCK_NAME).write_bytes(b"")
    (crashed / "x1" / NOTES).write_bytes(b"plain text of a private note")
    (paths.open_files_dir / "stray.txt").write_bytes(b"stray")

    services = open_services(paths)
    try:
        assert not crashed.exists()
        assert not (paths.open_files_dir / "stray.txt").exists()
    finally:
        services.close()


def test_a_running_sessions_copies_are_not_swept(paths: AppPaths, tmp_path: Path) -> None:
    """A second start (another window, a CLI command) while the app runs leaves its files."""
    running = OpenCopies(paths.open_files_dir)
    copy = running.write(NOTES, b"open in a viewer")
    try:
        assert sweep_open_copies(paths.open_files_dir) == 0
        other = open_services(paths)
        other.close()
        assert copy.read_bytes() == b"open in a viewer"
    finally:
        running.close()
    assert not copy.exists()
    assert sweep_open_copies(paths.open_files_dir) == 0  # nothing left, no folder either


def test_copies_get_names_every_system_accepts(tmp_path: Path) -> None:
    copies = OpenCopies(tmp_path / "opened")
    try:
        assert copies.write("a:b*c?.txt", b"1").name == "a_b_c_.txt"
        assert copies.write("CON.txt", b"1").name == "_CON.txt"
        assert copies.write("trailing. ", b"1").name == "trailing"
        assert copies.write(AGENDA, b"1").name == AGENDA
    finally:
        copies.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_copy_that_cannot_be_written_is_a_clear_error(paths: AppPaths) -> None:
    services = open_services(paths)
    try:
        added = services.evidence.add(NOTES, b"n", activity_id=_activity(services))
        assert added.id is not None
        paths.open_files_dir.write_bytes(b"a file where the folder should be")
        with pytest.raises(ServiceError, match=f"cannot make a copy of “{NOTES}” to open"):
            services.evidence.open_copy(added.id, services.open_copies)
    finally:
        services.close()
        paths.open_files_dir.unlink()


def test_a_record_without_bytes_shows_as_evidence() -> None:
    assert Evidence("x.txt").visibility is Visibility.PRIVATE
    assert human_size(0) == "0 bytes" and human_size(1536) == "1.5 KB"
