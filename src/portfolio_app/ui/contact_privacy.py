"""The Contacts view's personal-data actions: erase a contact everywhere (the preview, then
Delete or Cancel) and export everything about them to JSON.

The preview reads every backup, and erasing may delete some, so both run off the UI thread.
Erasing cannot be undone, and the undo history may hold the person (an edit's old values, a
delete's snapshot), so `on_erased` is where the window clears it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow

from portfolio_app.services import AppServices
from portfolio_app.services.contact_erasure import ErasurePreview, ErasureResult
from portfolio_app.services.progress import Progress
from portfolio_app.ui.background import BackgroundTask, run_in_background
from portfolio_app.ui.dialogs.contact_erasure_dialog import ContactErasureDialog
from portfolio_app.ui.prompts import Prompts


class ContactPrivacyFlow(QObject):
    def __init__(
        self,
        window: QMainWindow,
        services: AppServices,
        prompts: Prompts,
        on_erased: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.prompts = prompts
        self.on_erased = on_erased
        self.task: BackgroundTask | None = None
        self.dialog: ContactErasureDialog | None = None  # the open preview, for tests

    # ----- erase ----------------------------------------------------------------------------

    def erase(self, contact_id: int) -> None:
        """Check what erasing changes (backups included), then show the preview."""
        erasure = self.services.contact_erasure

        def work(_progress: Progress) -> ErasurePreview:
            return erasure.preview(contact_id)

        self.task = run_in_background(
            self.window, "Checking what erasing changes", work, self._show_preview, self._failed
        )

    def _show_preview(self, preview: Any) -> None:
        assert isinstance(preview, ErasurePreview)
        dialog = ContactErasureDialog(preview, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        contact_id = preview.contact.id
        assert contact_id is not None
        dialog.accepted.connect(lambda: self._erase(contact_id, dialog.prune_backups()))
        dialog.destroyed.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()  # window-modal, not blocking

    def _forget_dialog(self) -> None:
        self.dialog = None

    def _erase(self, contact_id: int, prune_backups: bool) -> None:
        erasure = self.services.contact_erasure

        def work(_progress: Progress) -> ErasureResult:
            return erasure.erase(contact_id, prune_backups=prune_backups)

        self.task = run_in_background(
            self.window, "Erasing the contact", work, self._erased, self._failed
        )

    def _erased(self, result: Any) -> None:
        assert isinstance(result, ErasureResult)
        self.on_erased()
        self.window.statusBar().showMessage(result.lines()[0], 8000)
        if result.backups_kept or result.mentions or result.failures:
            # What is left is the user's to act on: say it where it cannot be missed.
            self.prompts.info(self.window, "Contact erased", "\n".join(result.lines()))

    def _failed(self, error: Exception) -> None:
        self.prompts.error(self.window, "Could not erase the contact", str(error))

    # ----- export ---------------------------------------------------------------------------

    def export(self, contact_id: int) -> None:
        """Ask where, then write everything about the contact as JSON (owner-only)."""
        # The suggested name is the id, not the person's name: file listings stay neutral.
        path = self.prompts.save_file(
            self.window,
            "Export everything about this contact",
            f"contact-{contact_id}.json",
            "JSON files (*.json)",
        )
        if path is None:
            return
        try:
            written = self.services.contact_export.export(contact_id, path)
        except Exception as exc:
            self.prompts.error(self.window, "Could not export the contact", str(exc))
            return
        self.window.statusBar().showMessage(
            f"Exported everything about “{written.name}” to {path}", 8000
        )
