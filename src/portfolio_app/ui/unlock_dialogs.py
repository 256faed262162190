"""Dialogs that unlock the data: the passphrase prompt, the recovery code (shown once, and typed
back to reset a forgotten passphrase), and changing the passphrase.

They only display and collect: every rule (passphrase length, whether a key fits) and every change
to the key file is in services.vault."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.paths import AppPaths
from portfolio_app.security.errors import SecurityError, WrongPassphrase, WrongRecoveryCode
from portfolio_app.services import vault
from portfolio_app.services.errors import ServiceError
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.validation import error_style


def _hidden_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def _problem_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setStyleSheet(error_style())
    return label


def _remember_box(parent: QWidget) -> QCheckBox:
    box = QCheckBox("&Remember on this device", parent)
    box.setAccessibleName("Remember on this device")
    box.setChecked(True)
    box.setToolTip(
        "Keep the key in this computer's password store, so Portfolio opens without asking. "
        "Your passphrase still works everywhere."
    )
    return box


def _accept_cancel(
    dialog: QDialog, text: str, name: str, on_accept: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's default button (which checks before accepting) and Cancel."""
    buttons = QDialogButtonBox(dialog)
    buttons.setAccessibleName("Dialog buttons")
    accept = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    accept.setAccessibleName(name)
    accept.setDefault(True)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    accept.clicked.connect(on_accept)
    cancel.clicked.connect(dialog.reject)
    return buttons, accept


class NewPassphraseFields(QWidget):
    """A new passphrase typed twice, with the rule's message as the user types."""

    def __init__(self, parent: QWidget | None = None, *, label: str = "New passphrase") -> None:
        super().__init__(parent)
        self.first = _hidden_field(self, label)
        self.second = _hidden_field(self, f"{label} again")
        self.problem = _problem_label(self, "Passphrase problems")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        first_label = QLabel(f"{label}:", self)
        first_label.setBuddy(self.first)
        second_label = QLabel("Type it &again:", self)
        second_label.setBuddy(self.second)
        form.addRow(first_label, self.first)
        form.addRow(second_label, self.second)
        form.addRow(self.problem)
        self.first.textChanged.connect(self._show_problem)
        self.second.textChanged.connect(self._show_problem)

    def value(self) -> str:
        return self.first.text()

    def problem_text(self) -> str | None:
        return vault.passphrase_problem(self.first.text(), self.second.text())

    def _show_problem(self) -> None:
        # Only once the second entry has begun: a half-typed first entry is not an error yet.
        self.problem.setText((self.problem_text() or "") if self.second.text() else "")


class PassphraseDialog(QDialog):
    """Asks for the passphrase at start, saying why the keyring could not open the data."""

    def __init__(self, paths: AppPaths, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.unlocked: vault.Unlocked | None = None
        self.setWindowTitle("Unlock Portfolio")
        self.setAccessibleName("Unlock Portfolio")
        intro = QLabel(
            "<p>Your portfolio is encrypted. Enter your passphrase to open it.</p>", self
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("Introduction")
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why Portfolio asks")
        self.passphrase = _hidden_field(self, "Passphrase")
        passphrase_label = QLabel("&Passphrase:", self)
        passphrase_label.setBuddy(self.passphrase)
        self.remember = _remember_box(self)
        if vault.describe_backend() == "none":
            # Nothing to remember it in: say so rather than offer a choice that cannot work.
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
        self.problem = _problem_label(self, "Unlock problem")

        buttons = QDialogButtonBox(self)
        buttons.setAccessibleName("Dialog buttons")
        self.unlock_button = buttons.addButton("&Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.forgot_button: QPushButton = buttons.addButton(
            "&Forgotten your passphrase?", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.forgot_button.setAccessibleName("Forgotten your passphrase?")
        self.forgot_button.setToolTip("Open your data with the recovery code and choose a new one")
        cancel = buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName("Quit")
        self.unlock_button.clicked.connect(self._unlock)
        self.forgot_button.clicked.connect(self._recover)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        form = QFormLayout()
        form.addRow(passphrase_label, self.passphrase)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def _unlock(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.problem.setText("Enter your passphrase.")
            return
        try:
            self.unlocked = vault.unlock(self.paths, text, remember=self.remember.isChecked())
        except WrongPassphrase:
            self.problem.setText(
                "That passphrase is not right. Check Caps Lock and try again, or use your "
                "recovery code."
            )
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        except (SecurityError, ServiceError) as exc:
            self.problem.setText(str(exc))
            return
        self.accept()

    def _recover(self) -> None:
        dialog = RecoveryUnlockDialog(self.paths, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.unlocked is not None:
            self.unlocked = dialog.unlocked
            self.accept()


class RecoveryUnlockDialog(QDialog):
    """The recovery code opens the data and a new passphrase replaces the forgotten one."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.unlocked: vault.Unlocked | None = None
        self.setWindowTitle("Open with your recovery code")
        self.setAccessibleName("Open with your recovery code")
        intro = QLabel(
            "<p>Type the recovery code you saved when you set up Portfolio (8 groups of 4 "
            "letters and digits; spaces, dashes and small letters are fine). Then choose a new "
            "passphrase. The recovery code keeps working.</p>",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("Introduction")
        self.code = QLineEdit(self)
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        code_label = QLabel("Recovery &code:", self)
        code_label.setBuddy(self.code)
        self.new_passphrase = NewPassphraseFields(self)
        self.remember = _remember_box(self)
        self.problem = _problem_label(self, "Recovery problem")
        buttons, self.open_button = _accept_cancel(
            self, "&Open and set passphrase", "Open and set passphrase", self._open
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow(code_label, self.code)
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.remember)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(520, 340)

    def _open(self) -> None:
        problem = self.new_passphrase.problem_text()
        if problem is not None:
            self.problem.setText(problem)
            return
        try:
            self.unlocked = vault.unlock_with_recovery_code(
                self.paths,
                self.code.text(),
                self.new_passphrase.value(),
                remember=self.remember.isChecked(),
            )
        except WrongRecoveryCode as exc:
            # Covers a malformed code too, whose message says what is wrong with it.
            self.problem.setText(str(exc))
            self.code.setFocus()
            return
        except (SecurityError, ServiceError) as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


class RecoveryCodeDialog(QDialog):
    """Shows a new recovery code once: copy, save to a file, print; Continue once it is kept."""

    def __init__(
        self, paths: AppPaths, code: str, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.code = code
        self.prompts = prompts
        self.setWindowTitle("Your recovery code")
        self.setAccessibleName("Your recovery code")
        intro = QLabel(
            "<p><b>Keep this recovery code somewhere safe.</b> It is shown only now.</p>"
            "<p>If you forget your passphrase, this code is the only way to open your data. "
            "If you lose both, nobody (not even IT) can open it. Print it or save it to a "
            "file you keep away from this computer, such as a USB stick at home.</p>",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("What the recovery code is for")
        self.code_label = QLabel(code, self)
        self.code_label.setAccessibleName("Recovery code")
        self.code_label.setStyleSheet("font-family: monospace; font-size: 16pt; padding: 8px;")
        self.code_label.setTextInteractionFlags(
            self.code_label.textInteractionFlags().TextSelectableByMouse
        )
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy the recovery code")
        self.save_button = QPushButton("&Save to file…", self)
        self.save_button.setAccessibleName("Save the recovery code to a file")
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setAccessibleName("Print the recovery code")
        self.kept = QCheckBox("I have &kept my recovery code somewhere safe", self)
        self.kept.setAccessibleName("I have kept my recovery code somewhere safe")
        self.status = QLabel(self)
        self.status.setAccessibleName("Recovery code status")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        buttons.setAccessibleName("Dialog buttons")
        self.continue_button = buttons.addButton(
            "C&ontinue", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.continue_button.setAccessibleName("Continue")
        self.continue_button.setEnabled(False)
        self.copy_button.clicked.connect(self._copy)
        self.save_button.clicked.connect(self._save)
        self.print_button.clicked.connect(self._print)
        self.kept.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code_label)
        row = QDialogButtonBox(self)
        row.setAccessibleName("Ways to keep the code")
        for button in (self.copy_button, self.save_button, self.print_button):
            row.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(row)
        layout.addWidget(self.status)
        layout.addWidget(self.kept)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 340)

    def reject(self) -> None:
        # Esc must not skip the one showing of the code: leaving needs the box ticked.
        if self.kept.isChecked():
            self.accept()
        else:
            self.status.setText("Tick the box once you have kept the code, then Continue.")

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self.status.setText(
            "Copied. Paste it somewhere safe, then copy something else so it leaves the clipboard."
        )

    def _save(self) -> None:
        target = self.prompts.save_file(
            self, "Save the recovery code", "portfolio-recovery-code.txt", "Text files (*.txt)"
        )
        if target is None:
            return
        try:
            vault.save_recovery_code(target, vault.recovery_code_document(self.code, self.paths))
        except OSError as exc:  # file_checks: one sentence naming the file and the cause
            self.prompts.error(self, "Could not save the recovery code", str(exc))
            return
        self.status.setText(f"Saved to {target}. Move it somewhere away from this computer.")

    def _print(self) -> None:
        if self.prompts.print_text(
            self, "Print the recovery code", vault.recovery_code_document(self.code, self.paths)
        ):
            self.status.setText("Sent to the printer.")


class ChangePassphraseDialog(QDialog):
    """Settings: the current passphrase, then a new one twice (re-wraps the key only)."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.setWindowTitle("Change passphrase")
        self.setAccessibleName("Change passphrase")
        self.current = _hidden_field(self, "Current passphrase")
        current_label = QLabel("&Current passphrase:", self)
        current_label.setBuddy(self.current)
        self.new_passphrase = NewPassphraseFields(self)
        self.problem = _problem_label(self, "Change problem")
        buttons, self.change_button = _accept_cancel(
            self, "C&hange passphrase", "Save the new passphrase", self._change
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(current_label, self.current)
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def _change(self) -> None:
        problem = self.new_passphrase.problem_text()
        if problem is not None:
            self.problem.setText(problem)
            return
        try:
            vault.change_passphrase(self.paths, self.current.text(), self.new_passphrase.value())
        except WrongPassphrase:
            self.problem.setText("The current passphrase is not right; nothing was changed.")
            self.current.selectAll()
            self.current.setFocus()
            return
        except (SecurityError, ServiceError, OSError) as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


class ConfirmPassphraseDialog(QDialog):
    """Re-authentication before a sensitive change (a new recovery code)."""

    def __init__(self, paths: AppPaths, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.passphrase_text = ""
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        intro = QLabel("Enter your passphrase to continue.", self)
        intro.setAccessibleName("Introduction")
        self.passphrase = _hidden_field(self, "Passphrase")
        label = QLabel("&Passphrase:", self)
        label.setBuddy(self.passphrase)
        self.problem = _problem_label(self, "Passphrase problem")
        buttons, _ = _accept_cancel(self, "C&ontinue", "Continue", self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow(label, self.passphrase)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not vault.passphrase_is_right(self.paths, self.passphrase.text()):
            self.problem.setText("That passphrase is not right.")
            self.passphrase.selectAll()
            return
        self.passphrase_text = self.passphrase.text()
        self.accept()
