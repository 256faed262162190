"""The desktop app's unlocking, as a user meets it: the first start (passphrase, the recovery
code shown once), the passphrase prompt when the device does not remember the key, the
recovery code for a forgotten passphrase, and Settings → Privacy."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from keys_for_tests import TEST_PASSPHRASE, TEST_RECOVERY_CODE
from portfolio_app.paths import PASSPHRASE_ENV, AppPaths
from portfolio_app.security import key_file
from portfolio_app.security.errors import WrongPassphrase, WrongRecoveryCode
from portfolio_app.services import AppServices, vault
from portfolio_app.ui.app import start_window
from portfolio_app.ui.first_run import FirstRunDialog
from portfolio_app.ui.settings_dialog import SettingsDialog
from portfolio_app.ui.unlock_dialogs import (
    PassphraseDialog,
    RecoveryCodeDialog,
    RecoveryUnlockDialog,
)

from .conftest import FakePrompts
from .helpers import find_by_name

NEW_PASSPHRASE = "a new passphrase for Zoë"


@pytest.fixture
def no_env_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)


def _answer_modals(qtbot: QtBot, *steps: Callable[[QDialog], None]) -> list[str]:
    """Answer each modal dialog the code under test opens, in order; returns their titles."""
    seen: list[str] = []
    remaining = list(steps)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        fresh = isinstance(dialog, QDialog) and (not seen or seen[-1] != f"{id(dialog)}")
        if isinstance(dialog, QDialog) and fresh and dialog.isVisible() and remaining:
            seen.append(f"{id(dialog)}")
            step = remaining.pop(0)
            try:
                step(dialog)
            except BaseException:
                remaining.clear()
                dialog.done(0)  # a failed step must fail the test, not leave a modal open
                raise
        if remaining:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def _type(qtbot: QtBot, root: QWidget, name: str, text: str) -> None:
    field = find_by_name(root, name)
    field.setFocus()
    qtbot.keyClicks(field, text)


def _click(qtbot: QtBot, root: QWidget, name: str) -> None:
    qtbot.mouseClick(find_by_name(root, name), Qt.MouseButton.LeftButton)


# --- The passphrase prompt ---------------------------------------------------------------------


def test_a_wrong_passphrase_says_so_and_the_right_one_unlocks_and_is_remembered(
    qtbot: QtBot, paths: AppPaths, data_key: bytes
) -> None:
    dialog = PassphraseDialog(paths, "This device does not remember the key to your data.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "does not remember" in find_by_name(dialog, "Why Portfolio asks").text()
    _type(qtbot, dialog, "Passphrase", "not it")
    qtbot.keyClick(find_by_name(dialog, "Passphrase"), Qt.Key.Key_Return)
    assert dialog.unlocked is None and dialog.isVisible()
    assert "not right" in find_by_name(dialog, "Unlock problem").text()

    find_by_name(dialog, "Passphrase").clear()
    _type(qtbot, dialog, "Passphrase", TEST_PASSPHRASE)
    qtbot.keyClick(find_by_name(dialog, "Passphrase"), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.unlocked is not None and dialog.unlocked.data_key == data_key
    assert vault.is_remembered(paths)  # "Remember on this device" is on by default


def test_without_a_password_store_the_prompt_says_why_and_never_blames_the_passphrase(
    qtbot: QtBot, paths: AppPaths, data_key: bytes, no_env_passphrase: None
) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(vault.PassphraseRequired) as needed:
        vault.unlock(paths)
    assert "no password store" in needed.value.reason
    assert "passphrase is" not in needed.value.reason.lower()

    dialog = PassphraseDialog(paths, needed.value.reason)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, "Passphrase", TEST_PASSPHRASE)
    _click(qtbot, dialog, "Unlock")
    assert dialog.unlocked is not None and dialog.unlocked.data_key == data_key
    # Nothing to remember it in: the choice is not offered, and nothing is tried.
    remember = find_by_name(dialog, "Remember on this device")
    assert not remember.isEnabled() and not remember.isChecked()
    assert dialog.unlocked.keyring_note is None


def test_an_empty_passphrase_is_asked_for_again(qtbot: QtBot, paths: AppPaths) -> None:
    dialog = PassphraseDialog(paths, "")
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog, "Unlock")
    assert (
        dialog.isVisible()
        and "Enter your passphrase" in find_by_name(dialog, "Unlock problem").text()
    )


# --- The recovery code -------------------------------------------------------------------------


def test_the_recovery_code_opens_the_data_and_sets_a_new_passphrase(
    qtbot: QtBot, paths: AppPaths, data_key: bytes
) -> None:
    dialog = RecoveryUnlockDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    # Typed as people do: small letters, spaces for dashes, an O for a zero.
    _type(qtbot, dialog, "Recovery code", TEST_RECOVERY_CODE.lower().replace("-", " "))
    find_by_name(dialog, "New passphrase").setText(NEW_PASSPHRASE)  # non-ASCII: setText
    find_by_name(dialog, "New passphrase again").setText(NEW_PASSPHRASE)
    _click(qtbot, dialog, "Open and set passphrase")
    assert dialog.unlocked is not None and dialog.unlocked.data_key == data_key
    assert key_file.unlock_with_passphrase(paths.key_file, NEW_PASSPHRASE) == data_key
    with pytest.raises(WrongPassphrase):
        key_file.unlock_with_passphrase(paths.key_file, TEST_PASSPHRASE)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "does not unlock"),
        ("1234", "has 4 letters and digits"),
        ("7K3M-9QXR-2D8F-HJ4N-PW6T-ABCD-EFGH-JKM!", "'!'"),
    ],
)
def test_a_wrong_or_malformed_code_says_what_is_wrong_and_changes_nothing(
    qtbot: QtBot, paths: AppPaths, code: str, message: str
) -> None:
    before = paths.key_file.read_bytes()
    dialog = RecoveryUnlockDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, "Recovery code", code)
    _type(qtbot, dialog, "New passphrase", "long enough passphrase")
    _type(qtbot, dialog, "New passphrase again", "long enough passphrase")
    _click(qtbot, dialog, "Open and set passphrase")
    assert dialog.unlocked is None and dialog.isVisible()
    assert message in find_by_name(dialog, "Recovery problem").text()
    assert paths.key_file.read_bytes() == before


def test_a_new_passphrase_that_is_too_short_or_mistyped_is_refused_before_anything_changes(
    qtbot: QtBot, paths: AppPaths
) -> None:
    before = paths.key_file.read_bytes()
    dialog = RecoveryUnlockDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, "Recovery code", TEST_RECOVERY_CODE)
    _type(qtbot, dialog, "New passphrase", "short")
    _type(qtbot, dialog, "New passphrase again", "short")
    assert "at least 8 characters" in find_by_name(dialog, "Passphrase problems").text()
    _click(qtbot, dialog, "Open and set passphrase")
    assert dialog.unlocked is None
    find_by_name(dialog, "New passphrase").setText("long enough passphrase")
    find_by_name(dialog, "New passphrase again").setText("long enough passphrase!")
    _click(qtbot, dialog, "Open and set passphrase")
    assert "not the same" in find_by_name(dialog, "Recovery problem").text()
    assert paths.key_file.read_bytes() == before


def test_the_recovery_code_screen_keeps_the_code_until_the_user_says_it_is_kept(
    qtbot: QtBot, paths: AppPaths, tmp_path: Path
) -> None:
    prompts = FakePrompts()
    prompts.save_path = tmp_path / "my code.txt"
    dialog = RecoveryCodeDialog(paths, TEST_RECOVERY_CODE, prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    assert find_by_name(dialog, "Recovery code").text() == TEST_RECOVERY_CODE
    continue_button = find_by_name(dialog, "Continue")
    assert not continue_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc does not skip the only showing
    assert dialog.isVisible()

    _click(qtbot, dialog, "Copy the recovery code")
    assert QGuiApplication.clipboard().text() == TEST_RECOVERY_CODE
    _click(qtbot, dialog, "Save the recovery code to a file")
    saved = prompts.save_path.read_text("utf-8")
    assert TEST_RECOVERY_CODE in saved and "forget your passphrase" in saved
    if os.name == "posix":
        assert stat.S_IMODE(prompts.save_path.stat().st_mode) == 0o600
    _click(qtbot, dialog, "Print the recovery code")
    assert len(prompts.printed) == 1 and TEST_RECOVERY_CODE in prompts.printed[0]

    find_by_name(dialog, "I have kept my recovery code somewhere safe").setChecked(True)
    assert continue_button.isEnabled()
    _click(qtbot, dialog, "Continue")
    assert dialog.result() == QDialog.DialogCode.Accepted


# --- Start-up, end to end ----------------------------------------------------------------------


def test_the_first_start_sets_up_an_encrypted_portfolio_and_shows_the_code_once(
    qtbot: QtBot, tmp_path: Path, no_env_passphrase: None
) -> None:
    paths = AppPaths(tmp_path / "new-user")
    prompts = FakePrompts()
    shown: list[str] = []

    def first_run(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        _type(qtbot, dialog, "Your name", "Sian Jones")
        _type(qtbot, dialog, "Home organisation", "Northshire Council")
        dialog.sector.set_selected(["adult-social-care"])
        _type(qtbot, dialog, "Passphrase", "my long passphrase")
        _type(qtbot, dialog, "Passphrase again", "my long passphrase")
        _click(qtbot, dialog, "Start my portfolio")

    def recovery(dialog: QDialog) -> None:
        assert isinstance(dialog, RecoveryCodeDialog)
        shown.append(dialog.code)
        find_by_name(dialog, "I have kept my recovery code somewhere safe").setChecked(True)
        _click(qtbot, dialog, "Continue")

    _answer_modals(qtbot, first_run, recovery)
    window = start_window(paths, prompts=prompts)
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.services.profile.require().name == "Sian Jones"
        assert vault.is_remembered(paths)
        assert len(shown) == 1
        data_key = window.services.data_key
        assert key_file.unlock_with_recovery_code(paths.key_file, shown[0]) == data_key
        assert b"Northshire Council" not in paths.database.read_bytes()
    finally:
        window.services.close()


def test_a_start_without_a_remembered_key_asks_for_the_passphrase(
    qtbot: QtBot, with_profile: AppServices, no_env_passphrase: None
) -> None:
    paths = with_profile.paths
    with_profile.close()
    keyring.set_keyring(fail.Keyring())

    def passphrase(dialog: QDialog) -> None:
        assert isinstance(dialog, PassphraseDialog)
        assert "no password store" in find_by_name(dialog, "Why Portfolio asks").text()
        _type(qtbot, dialog, "Passphrase", TEST_PASSPHRASE)
        _click(qtbot, dialog, "Unlock")

    prompts = FakePrompts()
    _answer_modals(qtbot, passphrase)
    window = start_window(paths, prompts=prompts)
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.services.profile.require().name == "Siân Jones"
        assert prompts.errors == []
    finally:
        window.services.close()


def test_quitting_at_the_passphrase_prompt_opens_nothing(
    qtbot: QtBot, paths: AppPaths, no_env_passphrase: None
) -> None:
    _answer_modals(qtbot, lambda dialog: _click(qtbot, dialog, "Quit"))
    assert start_window(paths, prompts=FakePrompts()) is None


def test_a_missing_key_file_is_explained_not_started_afresh(qtbot: QtBot, paths: AppPaths) -> None:
    paths.key_file.unlink()
    explained: list[str] = []

    def quit_at_the_problem(dialog: QDialog) -> None:
        explained.append(find_by_name(dialog, "What happened").text())
        _click(qtbot, dialog, "Quit")

    _answer_modals(qtbot, quit_at_the_problem)
    assert start_window(paths, prompts=FakePrompts()) is None
    assert len(explained) == 1 and "key file" in explained[0]
    assert paths.database.stat().st_size > 0  # the data is left as it was


# --- Settings → Privacy -----------------------------------------------------------------------


def _privacy_page(qtbot: QtBot, services: AppServices, prompts: FakePrompts) -> SettingsDialog:
    """Settings open on the Privacy page (the dialog is returned: it owns the page)."""
    dialog = SettingsDialog(services, prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.security_page)
    return dialog


def test_changing_the_passphrase_needs_the_current_one(qtbot: QtBot, services: AppServices) -> None:
    settings = _privacy_page(qtbot, services, FakePrompts())
    page = settings.security_page
    before = services.paths.key_file.read_bytes()

    def wrong_then_right(dialog: QDialog) -> None:
        _type(qtbot, dialog, "Current passphrase", "not it at all")
        _type(qtbot, dialog, "New passphrase", "brand new passphrase")
        _type(qtbot, dialog, "New passphrase again", "brand new passphrase")
        _click(qtbot, dialog, "Save the new passphrase")
        assert "not right" in find_by_name(dialog, "Change problem").text()
        assert services.paths.key_file.read_bytes() == before
        find_by_name(dialog, "Current passphrase").clear()
        _type(qtbot, dialog, "Current passphrase", TEST_PASSPHRASE)
        _click(qtbot, dialog, "Save the new passphrase")

    _answer_modals(qtbot, wrong_then_right)
    _click(qtbot, page, "Change passphrase")
    assert "changed" in find_by_name(page, "Privacy status").text()
    key = key_file.unlock_with_passphrase(services.paths.key_file, "brand new passphrase")
    assert key == services.data_key
    # The database itself is not rewritten: the same key still opens it.
    services.activities.list_all()


def test_a_new_recovery_code_after_reauthenticating_replaces_the_old_one(
    qtbot: QtBot, services: AppServices
) -> None:
    prompts = FakePrompts()
    settings = _privacy_page(qtbot, services, prompts)
    page = settings.security_page
    shown: list[str] = []

    def confirm(dialog: QDialog) -> None:
        _type(qtbot, dialog, "Passphrase", TEST_PASSPHRASE)
        _click(qtbot, dialog, "Continue")

    def recovery(dialog: QDialog) -> None:
        assert isinstance(dialog, RecoveryCodeDialog)
        shown.append(dialog.code)
        find_by_name(dialog, "I have kept my recovery code somewhere safe").setChecked(True)
        _click(qtbot, dialog, "Continue")

    _answer_modals(qtbot, confirm, recovery)
    _click(qtbot, page, "New recovery code")
    assert len(shown) == 1 and shown[0] != TEST_RECOVERY_CODE
    path = services.paths.key_file
    assert key_file.unlock_with_recovery_code(path, shown[0]) == services.data_key
    with pytest.raises(WrongRecoveryCode):
        key_file.unlock_with_recovery_code(path, TEST_RECOVERY_CODE)


def test_remember_on_this_device_can_be_switched_off_and_on(
    qtbot: QtBot, services: AppServices, no_env_passphrase: None
) -> None:
    settings = _privacy_page(qtbot, services, FakePrompts())
    page = settings.security_page
    remember = find_by_name(page, "Remember on this device")
    assert not remember.isChecked()  # the test data was never remembered
    remember.setChecked(True)
    assert vault.unlock(services.paths).method is vault.UnlockMethod.KEYRING
    remember.setChecked(False)
    with pytest.raises(vault.PassphraseRequired):
        vault.unlock(services.paths)
    assert "no longer keeps" in find_by_name(page, "Privacy status").text()
