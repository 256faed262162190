"""Unlocking from the command line (issue 10): `init` sets up the keys and shows the recovery code
once; commands take the key remembered on this device, else PORTFOLIO_APP_PASSPHRASE, else a
hidden prompt on a terminal; `unlock` remembers the key or opens with the recovery code; not
being unlocked exits 2, in one line."""

from __future__ import annotations

import getpass
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from cli_support import INIT, assert_one_clear_line, run, run_program, split_recovery_code
from keys_for_tests import TEST_PASSPHRASE, TEST_RECOVERY_CODE
from portfolio_app.cli.main import EX_NOT_UNLOCKED
from portfolio_app.paths import PASSPHRASE_ENV, AppPaths
from portfolio_app.security import key_file
from portfolio_app.services import vault

NEW_PASSPHRASE = "a new passphrase after the code"
NO_STORE = "This computer has no password store that Portfolio can use"
INIT_ASC = [*INIT, "--sector", "asc"]

Answer = Callable[..., list[str]]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard input is not a terminal (as under cron or CI), whatever runs the tests."""
    monkeypatch.setattr(sys, "stdin", io.StringIO())


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Answer]:
    """A terminal: `terminal(*answers)` has each hidden prompt answered with the next answer
    and returns the list of the prompts shown (filled in as they are asked)."""
    monkeypatch.setattr(sys, "stdin", _Terminal())

    def answering(*answers: str) -> list[str]:
        prompts: list[str] = []
        replies = iter(answers)

        def hidden_prompt(prompt: str = "Password: ", stream: object = None) -> str:
            prompts.append(prompt)
            return next(replies)

        monkeypatch.setattr(getpass, "getpass", hidden_prompt)
        return prompts

    yield answering


@pytest.fixture
def no_env_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV)


def data_of(paths: AppPaths) -> list[str]:
    return ["--data-dir", str(paths.data_dir)]


def assert_not_unlocked(code: int, out: str, err: str, starts: str) -> None:
    """Exit code 2 and one line, which never repeats a passphrase."""
    assert (code, out) == (EX_NOT_UNLOCKED, "")
    assert_one_clear_line(err, starts)
    assert TEST_PASSPHRASE not in err and NEW_PASSPHRASE not in err


# --- init: set-up and the recovery code --------------------------------------------------------


def test_init_shows_a_working_recovery_code_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paths = AppPaths.resolve(tmp_path / "new")
    code, out, err = run(capsys, *data_of(paths), *INIT_ASC)
    assert (code, err) == (0, "")
    recovery_code, rest = split_recovery_code(out)
    assert rest.startswith("Profile set up for Siân Jones")
    # The code shown opens the key file, and unwraps the same key as the passphrase.
    data_key = key_file.unlock_with_passphrase(paths.key_file, TEST_PASSPHRASE)
    assert key_file.unlock_with_recovery_code(paths.key_file, recovery_code) == data_key
    assert vault.is_remembered(paths)  # remembered on this device unless --no-remember
    # Shown, never stored: no file in the data folder holds the code (in either form).
    compact = recovery_code.replace("-", "").encode()
    for file in (f for f in paths.data_dir.rglob("*") if f.is_file()):
        content = file.read_bytes()
        assert recovery_code.encode() not in content and compact not in content, file

    code, out, err = run(capsys, *data_of(paths), *INIT_ASC, "--force")
    assert (code, err) == (0, "")
    assert out.startswith("Profile set up for Siân Jones")
    assert "recovery code" not in out and recovery_code not in out
    assert key_file.unlock_with_passphrase(paths.key_file, TEST_PASSPHRASE) == data_key


def test_init_no_remember_keeps_nothing_on_this_device(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_terminal: None
) -> None:
    paths = AppPaths.resolve(tmp_path / "new")
    code, out, err = run(capsys, *data_of(paths), *INIT_ASC, "--no-remember")
    assert (code, err) == (0, "")
    split_recovery_code(out)
    assert not vault.is_remembered(paths)


def test_init_without_a_passphrase_or_a_terminal_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_env_passphrase: None, no_terminal: None
) -> None:
    paths = AppPaths.resolve(tmp_path / "new")
    code, out, err = run(capsys, *data_of(paths), *INIT_ASC)
    assert_not_unlocked(code, out, err, "")
    assert PASSPHRASE_ENV in err
    assert not paths.key_file.exists() and not paths.database.exists()


def test_init_asks_for_the_passphrase_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_env_passphrase: None, terminal: Answer
) -> None:
    paths = AppPaths.resolve(tmp_path / "new")
    prompts = terminal("my first passphrase", "my frist passphrase")
    code, out, err = run(capsys, *data_of(paths), *INIT_ASC)
    assert (code, out) == (1, "")  # no code shown: nothing was set up
    assert_one_clear_line(err, "the two passphrases are not the same")
    assert prompts == ["Choose a passphrase: ", "Type it again: "]
    assert not paths.key_file.exists() and not paths.database.exists()

    prompts = terminal(NEW_PASSPHRASE, NEW_PASSPHRASE)
    code, out, err = run(capsys, *data_of(paths), *INIT_ASC)
    assert (code, err) == (0, "")
    split_recovery_code(out)
    assert len(prompts) == 2
    key_file.unlock_with_passphrase(paths.key_file, NEW_PASSPHRASE)  # what was typed is in use


# --- commands: the key remembered, the environment, or a prompt -------------------------------


@pytest.mark.parametrize(
    "command",
    [["list", "activities"], ["profile"], ["score"], ["export-csv", "--out", "x.csv"], ["unlock"]],
)
def test_a_wrong_passphrase_exits_2_in_one_line(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(PASSPHRASE_ENV, NEW_PASSPHRASE)  # not this data's passphrase
    code, out, err = run(capsys, *data_of(paths), *command)
    assert_not_unlocked(
        code, out, err, f"That passphrase does not unlock the key file {paths.key_file}"
    )
    assert not (tmp_path / "x.csv").exists()
    assert not vault.is_remembered(paths)


@pytest.mark.parametrize(
    "command",
    [
        ["list", "activities"],
        ["profile"],
        ["score"],
        ["import-csv", "in.csv"],
        ["export-csv", "--out", "x.csv"],
        ["unlock"],
        ["unlock", "--recovery-code", TEST_RECOVERY_CODE],
    ],
)
def test_a_data_dir_never_set_up_says_to_run_init(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.csv").write_text("type,title,start\ntraining,A,2026-01-01\n", encoding="utf-8")
    paths = AppPaths.resolve(tmp_path / "never")
    code, out, err = run(capsys, *data_of(paths), *command)
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"Portfolio is not set up in {paths.data_dir} yet")
    assert "run `portfolio-app init`" in err
    assert not paths.key_file.exists() and not paths.database.exists()


def test_a_command_asks_once_when_nothing_is_remembered(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, no_env_passphrase: None, terminal: Answer
) -> None:
    prompts = terminal(TEST_PASSPHRASE)
    code, out, err = run(capsys, *data_of(paths), "list", "activities")
    assert (code, out) == (0, "No activities yet.\n")
    assert err == "portfolio-app: This device does not remember the key to your data.\n"
    assert prompts == [f"Passphrase for {paths.data_dir}: "]
    assert not vault.is_remembered(paths)  # only `unlock` (or init) remembers

    prompts = terminal("not the passphrase")
    code, out, err = run(capsys, *data_of(paths), "list", "activities")
    assert (code, out) == (EX_NOT_UNLOCKED, "")
    assert err.splitlines()[-1] == (
        f"portfolio-app: That passphrase does not unlock the key file {paths.key_file}."
    )
    assert len(prompts) == 1 and "Traceback" not in err


def test_ctrl_d_at_the_prompt_is_not_unlocked(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    no_env_passphrase: None,
    terminal: Answer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def end_of_input(prompt: str = "Password: ", stream: object = None) -> str:
        raise EOFError

    terminal()
    monkeypatch.setattr(getpass, "getpass", end_of_input)
    for command in (["list", "activities"], ["unlock"]):
        code, out, err = run(capsys, *data_of(paths), *command)
        assert (code, out) == (EX_NOT_UNLOCKED, ""), command
        assert err.splitlines()[-1].startswith("portfolio-app: Nothing was entered."), err
        assert "internal error" not in err and "Traceback" not in err


def test_without_a_terminal_a_command_says_how_to_give_the_passphrase(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, no_env_passphrase: None, no_terminal: None
) -> None:
    code, out, err = run(capsys, *data_of(paths), "list", "activities")
    assert_not_unlocked(code, out, err, "This device does not remember the key to your data.")
    assert PASSPHRASE_ENV in err


# --- unlock: remember on this device ----------------------------------------------------------


def test_unlock_remembers_the_key_so_later_commands_need_no_passphrase(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    no_terminal: None,
) -> None:
    code, out, err = run(capsys, *data_of(paths), "unlock")
    assert (code, out, err) == (
        0,
        "The passphrase is right. This device now remembers the key.\n",
        "",
    )
    assert vault.is_remembered(paths)

    monkeypatch.delenv(PASSPHRASE_ENV)
    assert run(capsys, *data_of(paths), "list", "activities") == (0, "No activities yet.\n", "")

    # --no-remember forgets it again (the passphrase is checked first).
    monkeypatch.setenv(PASSPHRASE_ENV, TEST_PASSPHRASE)
    code, out, err = run(capsys, *data_of(paths), "unlock", "--no-remember")
    assert (code, out, err) == (
        0,
        "The passphrase is right. This device does not keep the key.\n",
        "",
    )
    monkeypatch.delenv(PASSPHRASE_ENV)
    code, out, err = run(capsys, *data_of(paths), "list", "activities")
    assert_not_unlocked(code, out, err, "This device does not remember the key")


def test_unlock_asks_for_the_passphrase_on_a_terminal(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, no_env_passphrase: None, terminal: Answer
) -> None:
    prompts = terminal(TEST_PASSPHRASE)
    code, out, err = run(capsys, *data_of(paths), "unlock")
    assert (code, err) == (0, "")
    assert out == "The passphrase is right. This device now remembers the key.\n"
    assert prompts == [f"Passphrase for {paths.data_dir}: "]
    assert vault.is_remembered(paths)


def test_without_a_password_store_unlock_says_so_and_the_passphrase_still_works(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_terminal: None,
) -> None:
    keyring.set_keyring(fail.Keyring())
    code, out, err = run(capsys, *data_of(paths), "unlock")
    assert (code, err) == (0, "")
    assert out.startswith(f"The passphrase is right, but: {NO_STORE}, so it will ask")
    assert out.count("\n") == 1
    assert run(capsys, *data_of(paths), "list", "activities") == (0, "No activities yet.\n", "")

    # init says so too (on stderr, after the code), and still sets up the data.
    new = AppPaths.resolve(tmp_path / "new")
    code, out, err = run(capsys, *data_of(new), *INIT_ASC)
    assert code == 0
    split_recovery_code(out)
    assert_one_clear_line(err, NO_STORE)

    monkeypatch.delenv(PASSPHRASE_ENV)
    code, out, err = run(capsys, *data_of(paths), "list", "activities")
    assert_not_unlocked(code, out, err, NO_STORE)
    assert PASSPHRASE_ENV in err


# --- unlock --recovery-code -------------------------------------------------------------------


@pytest.fixture
def not_remembered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[AppPaths, str]:
    """A data dir set up by `init --no-remember`, and the recovery code it showed."""
    paths = AppPaths.resolve(tmp_path / "mine")
    code, out, err = run(capsys, *data_of(paths), *INIT_ASC, "--no-remember")
    assert (code, err) == (0, "")
    return paths, split_recovery_code(out)[0]


def test_the_recovery_code_sets_a_new_passphrase(
    capsys: pytest.CaptureFixture[str],
    not_remembered: tuple[AppPaths, str],
    monkeypatch: pytest.MonkeyPatch,
    no_terminal: None,
) -> None:
    paths, recovery_code = not_remembered

    monkeypatch.setenv(PASSPHRASE_ENV, NEW_PASSPHRASE)
    typed = recovery_code.lower().replace("-", " ")  # as someone might type it back
    code, out, err = run(
        capsys, *data_of(paths), "unlock", "--recovery-code", typed, "--no-remember"
    )
    assert (code, err) == (0, "")
    assert out == (
        "Unlocked with the recovery code; your new passphrase is set.\n"
        "The recovery code still works: keep it safe.\n"
        "This device does not keep the key.\n"  # no passphrase was checked, none is "right"
    )
    assert not vault.is_remembered(paths)

    code, out, err = run(capsys, *data_of(paths), "profile")
    assert (code, err) == (0, "")
    assert "Name:         Siân Jones\n" in out

    monkeypatch.setenv(PASSPHRASE_ENV, TEST_PASSPHRASE)  # the old one no longer opens the data
    code, out, err = run(capsys, *data_of(paths), "profile")
    assert_not_unlocked(code, out, err, "That passphrase does not unlock the key file")

    # The code keeps working, and by default the device then remembers the key.
    code, out, err = run(capsys, *data_of(paths), "unlock", "--recovery-code", recovery_code)
    assert (code, err) == (0, "")
    assert out.endswith("keep it safe.\nThis device now remembers the key.\n")
    monkeypatch.delenv(PASSPHRASE_ENV)
    assert run(capsys, *data_of(paths), "profile")[0] == 0
    key_file.unlock_with_passphrase(paths.key_file, TEST_PASSPHRASE)  # set by that unlock


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (TEST_RECOVERY_CODE, "That recovery code does not unlock the key file"),
        ("1234", "That is not a recovery code: it has 4 letters and digits"),
    ],
)
def test_a_wrong_recovery_code_exits_2_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    not_remembered: tuple[AppPaths, str],
    monkeypatch: pytest.MonkeyPatch,
    wrong: str,
    message: str,
) -> None:
    paths = not_remembered[0]
    before = paths.key_file.read_bytes()
    monkeypatch.setenv(PASSPHRASE_ENV, NEW_PASSPHRASE)
    code, out, err = run(capsys, *data_of(paths), "unlock", "--recovery-code", wrong)
    assert_not_unlocked(code, out, err, message)
    assert wrong not in err
    assert paths.key_file.read_bytes() == before
    assert not vault.is_remembered(paths)


def test_unlock_asks_for_the_code_and_a_new_passphrase_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    not_remembered: tuple[AppPaths, str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: Answer,
) -> None:
    paths, recovery_code = not_remembered
    monkeypatch.delenv(PASSPHRASE_ENV)

    prompts = terminal(recovery_code, NEW_PASSPHRASE, NEW_PASSPHRASE)
    code, out, err = run(capsys, *data_of(paths), "unlock", "--recovery-code")
    assert (code, err) == (0, "")
    assert prompts == ["Recovery code: ", "Choose a new passphrase: ", "Type it again: "]
    assert out.startswith("Unlocked with the recovery code; your new passphrase is set.\n")
    key_file.unlock_with_passphrase(paths.key_file, NEW_PASSPHRASE)

    before = paths.key_file.read_bytes()
    terminal(recovery_code, "one new passphrase", "another new one")
    code, out, err = run(capsys, *data_of(paths), "unlock", "--recovery-code")
    assert (code, out) == (1, "")
    assert_one_clear_line(err, "the two passphrases are not the same; nothing was changed")
    assert paths.key_file.read_bytes() == before


# --- the real program ---------------------------------------------------------------------------


def test_the_program_unlocks_headless(paths: AppPaths) -> None:
    """As a script runs it: the passphrase from the environment, no password store (the
    conftest gives subprocesses keyring's fail backend), and exit 2 without a passphrase.
    (Set up in-process: the key file then has the tests' cheap Argon2id costs.)"""
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.fail.Keyring"
    env = {**os.environ, PASSPHRASE_ENV: TEST_PASSPHRASE}

    done = run_program(*data_of(paths), "list", "activities", env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "No activities yet.\n", "")

    done = run_program(*data_of(paths), "unlock", env=env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"The passphrase is right, but: {NO_STORE}")

    del env[PASSPHRASE_ENV]
    done = run_program(*data_of(paths), "list", "activities", env=env)
    assert (done.returncode, done.stdout) == (EX_NOT_UNLOCKED, "")
    assert_one_clear_line(done.stderr, NO_STORE)
    assert PASSPHRASE_ENV in done.stderr


def test_the_program_reports_a_wrong_key_in_one_line_without_sqlcipher_noise(
    paths: AppPaths, data_key: bytes
) -> None:
    """A key file for another key: SQLCipher's own "hmac check failed" log lines must not reach
    the terminal before our message (they did, three of them)."""
    from keys_for_tests import write_key_file
    from portfolio_app.security.key_file import new_data_key

    before = paths.database.read_bytes()
    write_key_file(paths, new_data_key())  # the passphrase now opens a key that does not fit
    env = {**os.environ, PASSPHRASE_ENV: TEST_PASSPHRASE}
    done = run_program(*data_of(paths), "list", "activities", env=env)
    assert (done.returncode, done.stdout) == (1, "")
    assert_one_clear_line(done.stderr, f"Cannot open {paths.database}: the key does not fit")
    assert "sqlcipher" not in done.stderr.lower()
    assert paths.database.read_bytes() == before


@pytest.mark.parametrize(
    "command", [["taxonomy", "uninstall"], ["taxonomy", "install", "new.json"]]
)
def test_taxonomy_changes_without_a_passphrase_exit_2_like_every_command(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    no_env_passphrase: None,
    no_terminal: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: list[str],
) -> None:
    from portfolio_app.taxonomy.loader import default_taxonomy_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "new.json").write_bytes(default_taxonomy_path().read_bytes())
    paths.taxonomy_dir.mkdir(exist_ok=True)
    paths.installed_taxonomy.write_bytes(default_taxonomy_path().read_bytes())
    code, out, err = run(capsys, *data_of(paths), *command)
    assert_not_unlocked(code, out, err, "This device does not remember the key")


def test_unlock_on_a_data_dir_never_set_up_says_so_before_asking_anything(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_env_passphrase: None, terminal: Answer
) -> None:
    paths = AppPaths.resolve(tmp_path / "never")
    for command in (["unlock"], ["unlock", "--recovery-code"]):
        asked = terminal()
        code, out, err = run(capsys, *data_of(paths), *command)
        assert (code, out, asked) == (1, "", [])
        assert_one_clear_line(err, f"Portfolio is not set up in {paths.data_dir} yet")
