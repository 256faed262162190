"""Settings → Privacy: where the key lives, remembering it on this device, changing the
passphrase and making a new recovery code (each after re-authenticating)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.services import AppServices, vault
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.unlock_dialogs import (
    ChangePassphraseDialog,
    ConfirmPassphraseDialog,
    RecoveryCodeDialog,
)


class SecuritySettingsPage(QWidget):
    def __init__(
        self, services: AppServices, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.prompts = prompts
        paths = services.paths
        self.setAccessibleName("Privacy settings")

        about = QLabel(
            "<p>Your portfolio is encrypted. Your passphrase opens it; the recovery code opens "
            "it if you forget the passphrase. Without both, nobody can open it.</p>",
            self,
        )
        about.setWordWrap(True)
        about.setAccessibleName("About encryption")
        self.key_file = QLabel(str(paths.key_file), self)
        self.key_file.setAccessibleName("Key file")
        self.key_file.setWordWrap(True)
        self.store = QLabel(vault.describe_backend(), self)
        self.store.setAccessibleName("Password store")
        self.status = QLabel(self)
        self.status.setAccessibleName("Privacy status")
        self.status.setWordWrap(True)

        self.remember = QCheckBox("&Remember on this device (open without asking)", self)
        self.remember.setAccessibleName("Remember on this device")
        self.remember.setChecked(vault.is_remembered(paths))
        self.remember.toggled.connect(self._remember_toggled)
        self.change_button = QPushButton("&Change passphrase…", self)
        self.change_button.setAccessibleName("Change passphrase")
        self.change_button.clicked.connect(self._change_passphrase)
        self.recovery_button = QPushButton("New &recovery code…", self)
        self.recovery_button.setAccessibleName("New recovery code")
        self.recovery_button.setToolTip("Make a new recovery code; the old one stops working")
        self.recovery_button.clicked.connect(self._new_recovery_code)

        where = QGroupBox("Where the key is", self)
        form = QFormLayout(where)
        form.addRow("Key file:", self.key_file)
        form.addRow("Password store:", self.store)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(where)
        layout.addWidget(self.remember)
        layout.addWidget(self.change_button)
        layout.addWidget(self.recovery_button)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _remember_toggled(self, on: bool) -> None:
        paths = self.services.paths
        if on:
            note = vault.remember_on_this_device(paths, self.services.data_key)
            done = "This device now remembers the key."
        else:
            note = vault.forget_on_this_device(paths)
            done = "This device no longer keeps the key: you will be asked for the passphrase."
        self.status.setText(note or done)
        if note:
            self.remember.blockSignals(True)
            self.remember.setChecked(vault.is_remembered(paths))
            self.remember.blockSignals(False)

    def _change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self.services.paths, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.status.setText("Your passphrase is changed. The recovery code still works.")

    def _new_recovery_code(self) -> None:
        paths = self.services.paths
        confirm = ConfirmPassphraseDialog(paths, "New recovery code", self)
        if confirm.exec() != QDialog.DialogCode.Accepted:
            return
        code = vault.regenerate_recovery_code(paths, confirm.passphrase_text)
        RecoveryCodeDialog(paths, code, self.prompts, self).exec()
        self.status.setText("A new recovery code is in use; the old one no longer works.")
