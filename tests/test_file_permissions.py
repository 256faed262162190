"""The data folder is owner-only (0700) and so is every file in it (0600): database, journal,
key file, backups, logs, taxonomy records. Exports are new files made owner-only, and a file
they replace keeps its mode. HR's taxonomy, written to be deployed, keeps the plain mode."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from cli_session import cli, run_full_session
from keys_for_tests import FIXTURE_KEY, write_key_file
from portfolio_app.atomic_files import FileMode, write_text_atomically
from portfolio_app.logging_setup import LOG_FILENAME
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services
from portfolio_app.storage import tables as t
from portfolio_app.taxonomy.loader import load_default_taxonomy
from portfolio_app.taxonomy.writer import write_taxonomy

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "migrations"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes_under(folder: Path) -> dict[str, int]:
    """Every folder and file under `folder` (itself included), by relative path."""
    found = {".": mode(folder)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            found[str(path.relative_to(folder))] = mode(path)
    return found


def not_private(folder: Path) -> dict[str, str]:
    wrong = {}
    for name, bits in modes_under(folder).items():
        path = folder / name
        wanted = 0o700 if path.is_dir() else 0o600
        if bits != wanted:
            wrong[name] = oct(bits)
    return wrong


@pytest.fixture(autouse=True)
def _ordinary_umask() -> object:
    """The usual 022, whatever the test runner's: a plain write would then be world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_whole_session_leaves_only_owner_only_files_in_the_data_folder(
    tmp_path: Path,
) -> None:
    session = run_full_session(tmp_path)
    data = session.paths.data_dir
    found = modes_under(data)
    # The walk saw every kind of file the session writes (else this test proves little).
    expected = {
        "portfolio.sqlite3",
        "portfolio.key",
        "logs",
        f"logs/{LOG_FILENAME}",
        "taxonomy",
        "taxonomy/installed.json",
        "taxonomy/applied.json",
    }
    assert expected <= set(found), sorted(found)
    assert not_private(data) == {}


def test_the_write_ahead_log_written_mid_transaction_is_owner_only(tmp_path: Path) -> None:
    session = run_full_session(tmp_path)
    services = open_services(session.paths)
    wal = Path(f"{session.paths.database}-wal")
    shm = Path(f"{session.paths.database}-shm")
    try:
        with services.db.unit_of_work() as db_session:
            db_session.add(t.ContactRow(name="Mid-transaction", name_key="mid-transaction"))
            db_session.flush()
            assert wal.exists() and shm.exists()
            assert mode(wal) == 0o600
            assert mode(shm) == 0o600
            assert not_private(session.paths.data_dir) == {}
    finally:
        services.close()


def test_a_backup_before_an_upgrade_is_owner_only_in_an_owner_only_folder(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    write_key_file(paths, FIXTURE_KEY)
    shutil.copyfile(FIXTURES / "0004_goal_visibility.sqlite3", paths.database)
    paths.database.chmod(0o644)  # even a database someone made readable: its backup is not
    open_services(paths).close()
    [backup] = paths.backups_dir.iterdir()
    assert mode(paths.backups_dir) == 0o700
    assert mode(backup) == 0o600
    assert mode(paths.key_file) == 0o600


def test_exports_are_owner_only_and_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    session = run_full_session(tmp_path)
    for export in (session.pdf, session.csv_export, session.csv_template):
        assert mode(export) == 0o600, export
    # The user made the PDF readable by colleagues: exporting again keeps that.
    session.pdf.chmod(0o644)
    session.csv_export.chmod(0o640)
    assert cli(session.paths, "export-pdf", "--out", str(session.pdf)) == 0
    assert cli(session.paths, "export-csv", "--out", str(session.csv_export)) == 0
    assert mode(session.pdf) == 0o644
    assert mode(session.csv_export) == 0o640
    # A new file beside them is owner-only again.
    other = session.outside / "second.pdf"
    assert cli(session.paths, "export-pdf", "--out", str(other)) == 0
    assert mode(other) == 0o600
    # No temp file was left beside any of them.
    assert sorted(p.name for p in session.outside.iterdir() if p.name.startswith(".")) == []


def test_hr_taxonomy_files_are_written_to_be_deployed(tmp_path: Path) -> None:
    """The editor and `taxonomy from-csv` ask for a shared file: users read HR's taxonomy."""
    taxonomy = load_default_taxonomy()
    shared = tmp_path / "hr.json"
    write_taxonomy(shared, taxonomy, mode=FileMode.SHARED)
    assert mode(shared) == 0o644
    private = tmp_path / "mine.json"
    write_taxonomy(private, taxonomy)
    assert mode(private) == 0o600
    # A replaced file keeps its mode, whichever was asked for.
    shared.chmod(0o600)
    write_taxonomy(shared, taxonomy, mode=FileMode.SHARED)
    assert mode(shared) == 0o600


def test_the_cli_from_csv_writes_a_shared_taxonomy(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    sectors = tmp_path / "sectors.csv"
    out = tmp_path / "hr.json"
    assert cli(paths, "taxonomy", "export-csv", "--out", str(sectors)) == 0
    assert cli(paths, "taxonomy", "import-csv", str(sectors), "--out", str(out)) == 0
    assert mode(out) == 0o644
    assert mode(sectors) == 0o600  # a working file, not what is deployed


def test_every_choice_of_mode_honours_the_umask_only_when_shared(tmp_path: Path) -> None:
    os.umask(0o027)
    write_text_atomically(tmp_path / "shared.txt", "x", mode=FileMode.SHARED)
    write_text_atomically(tmp_path / "private.txt", "x")
    assert mode(tmp_path / "shared.txt") == 0o640
    assert mode(tmp_path / "private.txt") == 0o600
