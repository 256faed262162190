"""Encrypted at rest, proved on real files: nothing the user stored can be read from the data
folder without the key; the keyring is a convenience and the passphrase the root of trust; the
recovery code and a backup with its key file get the data back; deleted text is overwritten."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import Engine, text

from cli_session import INIT, STORED_TEXT, add_entries, cli, run_full_session
from decrypted_pages import decrypted_bytes
from keys_for_tests import FIXTURE_KEY, TEST_PASSPHRASE, MemoryKeyring, write_key_file
from portfolio_app.paths import PASSPHRASE_ENV, AppPaths
from portfolio_app.security.errors import WrongPassphrase
from portfolio_app.services import AppServices, open_services, vault
from portfolio_app.storage import cipher, database
from portfolio_app.storage import tables as t

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
RECOVERY_CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){7}\b")
NEW_PASSPHRASE = "a new passphrase after recovery"


def encodings(words: str) -> list[bytes]:
    """The ways a program could have written `words`: UTF-8, and UTF-16 either way round."""
    return [words.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def readable_text(raw: bytes) -> list[str]:
    """The stored strings that appear in `raw`, in any of the encodings."""
    return [words for words in STORED_TEXT if any(form in raw for form in encodings(words))]


def database_files(paths: AppPaths) -> list[Path]:
    """The database and whatever companions it has right now (journal, WAL, shared memory)."""
    return sorted(p for p in paths.data_dir.iterdir() if p.name.startswith(paths.database.name))


def use_keyring(backend: keyring.backend.KeyringBackend) -> None:
    keyring.set_keyring(backend)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A computer without a password store (keyring's own fail backend)."""
    previous = keyring.get_keyring()
    use_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    use_keyring(previous)


@pytest.fixture
def session_paths(tmp_path: Path) -> AppPaths:
    return run_full_session(tmp_path).paths


# --- nothing stored is readable without the key ----------------------------------------------


def test_no_stored_text_in_any_file_of_the_data_folder(session_paths: AppPaths) -> None:
    """Database, key file, logs, taxonomy records: no title, name, note or lesson text."""
    files = [p for p in session_paths.data_dir.rglob("*") if p.is_file()]
    assert session_paths.database in files
    for path in files:
        assert readable_text(path.read_bytes()) == [], path
    assert not session_paths.database.read_bytes().startswith(SQLITE_HEADER)


def test_the_text_is_there_for_the_key_holder(session_paths: AppPaths) -> None:
    """The control: the strings were stored (so their absence from the raw bytes means
    something), and the key opens them."""
    services = open_services(session_paths)
    try:
        plain = decrypted_bytes(session_paths.database, services.data_key)
    finally:
        services.close()
    assert readable_text(plain) == list(STORED_TEXT)


def test_the_journal_and_database_hold_no_text_while_the_app_has_them_open(
    session_paths: AppPaths,
) -> None:
    services = open_services(session_paths)
    try:
        with services.db.unit_of_work() as session:
            # Rewriting every lesson puts their old pages (the frank text) in the journal.
            for row in session.query(t.LessonRow):
                row.title = f"{row.title} (edited)"
            session.add(t.ContactRow(name="Łukasz Siân the second", name_key="łukasz siân 2"))
            session.flush()
            open_now = database_files(session_paths)
            assert len(open_now) >= 2, open_now  # the database and its write-ahead log
            for path in open_now:
                assert readable_text(path.read_bytes()) == [], path
        # Committed, not yet checkpointed: the new pages are in the write-ahead log now.
        wal = next(p for p in database_files(session_paths) if p.name.endswith("-wal"))
        assert readable_text(decrypted_bytes(wal, services.data_key))  # the control
        for path in database_files(session_paths):
            assert readable_text(path.read_bytes()) == [], path
    finally:
        services.close()
    for path in database_files(session_paths):
        assert readable_text(path.read_bytes()) == [], path


def test_backups_hold_no_text(session_paths: AppPaths) -> None:
    services = open_services(session_paths)
    backup = session_paths.backups_dir / "copy.sqlite3"
    try:
        services.db.copy_to(backup)
    finally:
        services.close()
    raw = backup.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert readable_text(raw) == []


# --- the keyring is a convenience, the passphrase the root of trust ---------------------------


def test_once_remembered_the_app_opens_without_a_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    assert cli(paths, *INIT) == 0  # remembers the key on this device (a working store)
    monkeypatch.delenv(PASSPHRASE_ENV)
    assert vault.unlock(paths).method is vault.UnlockMethod.KEYRING
    services = open_services(paths)
    try:
        assert services.profile.get() is not None
    finally:
        services.close()
    assert cli(paths, "list", "activities") == 0


def test_without_a_password_store_the_passphrase_opens_the_data(
    tmp_path: Path, no_keyring: None
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    assert cli(paths, *INIT) == 0  # set up where nothing can be remembered
    unlocked = vault.unlock(paths)
    assert unlocked.method is vault.UnlockMethod.PASSPHRASE
    services = open_services(paths)
    try:
        add_entries(services)
    finally:
        services.close()
    assert cli(paths, "list", "contacts") == 0


def test_without_a_password_store_or_a_passphrase_it_says_why(
    tmp_path: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    assert cli(paths, *INIT) == 0
    monkeypatch.delenv(PASSPHRASE_ENV)
    with pytest.raises(vault.PassphraseRequired) as needed:
        vault.unlock(paths)
    reason = str(needed.value)
    assert "password store" in reason and "passphrase" in reason.lower()
    assert "wrong" not in reason.lower()
    capsys.readouterr()
    assert cli(paths, "list", "activities") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "password store" in err and "wrong" not in err.lower()


def test_a_wrong_passphrase_is_named_and_exits_2_in_one_line(
    tmp_path: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    assert cli(paths, *INIT) == 0
    with pytest.raises(WrongPassphrase):
        vault.unlock(paths, "not the passphrase")
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase")
    with pytest.raises(WrongPassphrase):
        open_services(paths)
    capsys.readouterr()
    assert cli(paths, "list", "activities") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "passphrase" in err and "Traceback" not in err


def test_a_wrong_passphrase_on_the_real_command_line(tmp_path: Path) -> None:
    """`python -m portfolio_app` as a script would run it, with no password store at all."""
    paths = AppPaths.resolve(tmp_path / "data")
    assert cli(paths, *INIT) == 0
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        PASSPHRASE_ENV: "not the passphrase",
    }
    command = [sys.executable, "-m", "portfolio_app", "--data-dir", str(paths.data_dir)]
    done = subprocess.run(
        [*command, "list", "activities"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("portfolio-app: ")
    assert "passphrase" in done.stderr and "Traceback" not in done.stderr


# --- the recovery code and backups get the data back ------------------------------------------


def test_the_recovery_code_opens_the_data_when_keyring_and_passphrase_are_lost(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = MemoryKeyring()
    use_keyring(store)
    paths = AppPaths.resolve(tmp_path / "data")
    capsys.readouterr()
    assert cli(paths, *INIT) == 0
    [code] = RECOVERY_CODE.findall(capsys.readouterr().out)
    services = open_services(paths)
    try:
        add_entries(services)
        contacts = [c.name for c in services.contacts.list_all()]
    finally:
        services.close()

    store.entries.clear()  # the password store lost its entry (a new laptop profile, say)
    monkeypatch.delenv(PASSPHRASE_ENV)  # ... and the passphrase is forgotten
    assert not vault.is_remembered(paths)
    with pytest.raises(vault.PassphraseRequired):
        open_services(paths)

    unlocked = vault.unlock_with_recovery_code(paths, code, NEW_PASSPHRASE, remember=False)
    assert unlocked.method is vault.UnlockMethod.RECOVERY_CODE
    services = open_services(paths, key=unlocked.data_key)
    try:
        assert [c.name for c in services.contacts.list_all()] == contacts
    finally:
        services.close()
    # The new passphrase works from now on; the old one does not.
    assert vault.unlock(paths, NEW_PASSPHRASE).data_key == unlocked.data_key
    with pytest.raises(WrongPassphrase):
        vault.unlock(paths, TEST_PASSPHRASE)
    monkeypatch.setenv(PASSPHRASE_ENV, NEW_PASSPHRASE)
    assert cli(paths, "list", "contacts") == 0
    # The CLI path as well, with the code (which keeps working) and yet another passphrase.
    monkeypatch.setenv(PASSPHRASE_ENV, "a third passphrase, from the CLI")
    assert cli(paths, "unlock", "--recovery-code", code, "--no-remember") == 0
    assert vault.unlock(paths).method is vault.UnlockMethod.PASSPHRASE


def test_a_copy_of_the_database_opens_elsewhere_with_the_passphrase(
    session_paths: AppPaths, tmp_path: Path, no_keyring: None
) -> None:
    """A backup plus the key file, in another data folder (another computer): the passphrase
    opens it, as nothing is remembered there."""
    services = open_services(session_paths)
    backup = tmp_path / "backup.sqlite3"
    try:
        services.db.copy_to(backup)
        expected = _everything(services)
    finally:
        services.close()
    elsewhere = AppPaths.resolve(tmp_path / "elsewhere")
    elsewhere.ensure()
    shutil.copyfile(backup, elsewhere.database)
    shutil.copyfile(session_paths.key_file, elsewhere.key_file)
    assert vault.unlock(elsewhere).method is vault.UnlockMethod.PASSPHRASE
    services = open_services(elsewhere)
    try:
        assert _everything(services) == expected
    finally:
        services.close()


def test_a_backup_made_before_an_upgrade_opens_elsewhere_with_the_passphrase(
    tmp_path: Path, no_keyring: None
) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    write_key_file(paths, FIXTURE_KEY)
    shutil.copyfile(FIXTURES / "0004_goal_visibility.sqlite3", paths.database)
    services = open_services(paths)  # upgrades, after a backup
    try:
        expected = _everything(services)
    finally:
        services.close()
    [backup] = paths.backups_dir.iterdir()
    assert not backup.read_bytes().startswith(SQLITE_HEADER)
    elsewhere = AppPaths.resolve(tmp_path / "elsewhere")
    elsewhere.ensure()
    shutil.copyfile(backup, elsewhere.database)
    shutil.copyfile(paths.key_file, elsewhere.key_file)
    services = open_services(elsewhere)  # the same upgrade again, there
    try:
        assert _everything(services) == expected
    finally:
        services.close()


def _everything(services: AppServices) -> tuple[object, ...]:
    return (
        services.profile.get(),
        services.organisations.list_all(),
        services.contacts.list_all(),
        services.activities.list_all(),
        services.lessons.list_all(),
        services.goals.list_all(),
    )


# --- deleted text is overwritten ---------------------------------------------------------------


def _secure_delete(engine: Engine) -> int:
    with engine.connect() as connection:
        value = connection.execute(text("PRAGMA secure_delete")).scalar_one()
    assert isinstance(value, int)
    return value


def _secure_delete_on_every_connection(engine: Engine) -> list[int]:
    """PRAGMA secure_delete on this thread's connection, on a worker thread's (the pool keeps
    one per thread, and the UI reads in workers) and on a new one after the pool is emptied."""
    found = [_secure_delete(engine)]
    with ThreadPoolExecutor(max_workers=1) as worker:
        found.append(worker.submit(_secure_delete, engine).result())
    engine.dispose()
    found.append(_secure_delete(engine))
    return found


def test_secure_delete_is_on_for_every_connection_of_every_engine(
    services: AppServices, data_key: bytes
) -> None:
    path = services.paths.database
    engines = {
        "the app's": services.db.engine,
        "make_engine": database.make_engine(path, data_key),
        "migrations": database._migration_engine(path, data_key),
        "cipher_engine": cipher.cipher_engine(path, data_key),
    }
    try:
        found = {name: _secure_delete_on_every_connection(e) for name, e in engines.items()}
    finally:
        for name, engine in engines.items():
            if name != "the app's":
                engine.dispose()
    assert found == {name: [1, 1, 1] for name in engines}
