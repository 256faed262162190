"""The window's side of drafts (services.drafts): a keeper on each dialog that has one, the
question when a dialog with a draft is opened ("Use it / Discard it"), the offer at start, and
restoring drafts one dialog after another.

A draft of an entry that was deleted meanwhile opens as a new entry (kept under the old entry's
id, which is never given to another entry, until it is saved or discarded)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from portfolio_app.services import AppServices
from portfolio_app.services.drafts import DRAFT_KINDS, Draft
from portfolio_app.services.errors import NotFound, ServiceError
from portfolio_app.services.record_kinds import KINDS
from portfolio_app.storage.errors import StorageError
from portfolio_app.ui.draft_keeper import DraftForm, DraftKeeper
from portfolio_app.ui.drafts_prompt import DraftsPrompt
from portfolio_app.ui.prompts import Prompts

log = logging.getLogger(__name__)

USE_IT, DISCARD_IT = "Use it", "Discard it"


class DraftHost(Protocol):
    """What the flow opens dialogs with (the main window)."""

    def new_record(self, key: str, draft: Draft | None = None) -> QDialog | None: ...
    def edit_record(
        self, key: str, record_id: int, draft: Draft | None = None
    ) -> QDialog | None: ...
    def record_review(self, draft: Draft | None = None) -> QDialog | None: ...


class DraftFlow:
    def __init__(
        self, window: QWidget, host: DraftHost, services: AppServices, prompts: Prompts
    ) -> None:
        self.window = window
        self.host = host
        self.services = services
        self.drafts = services.drafts
        self.prompts = prompts
        self.prompt: DraftsPrompt | None = None
        self._queue: list[Draft] = []

    # -- one dialog -------------------------------------------------------------------------

    def before_opening(self, kind: str, entry_id: int | None) -> tuple[bool, Draft | None]:
        """Before the dialog of (kind, entry_id) opens: (open it?, the draft to fill it with).
        With a draft, the user chooses: go on with it, or discard it (Cancel: neither, and
        the dialog does not open)."""
        if kind not in DRAFT_KINDS:
            return True, None
        try:
            draft = self.drafts.get(kind, entry_id)
        except (ServiceError, StorageError) as exc:
            log.warning("Could not look for a draft (%s)", type(exc).__name__)
            return True, None
        if draft is None:
            return True, None
        choice = self.prompts.choose(
            self.window, "Unsaved draft", draft.question(), [USE_IT, DISCARD_IT]
        )
        if choice is None:
            return False, None
        if choice == 1:
            self._discard(draft)
            return True, None
        return True, draft

    def keep(
        self,
        dialog: QDialog,
        form: DraftForm,
        kind: str,
        entry_id: int | None,
        draft: Draft | None,
    ) -> DraftKeeper:
        """A keeper for the dialog, filled from `draft` if the user chose one; the draft's own
        key is kept (an edit of an entry deleted meanwhile goes on as a new one)."""
        if draft is not None:
            kind, entry_id = draft.kind, draft.entry_id
        keeper = DraftKeeper(dialog, form, self.drafts, kind, entry_id)
        if draft is not None:
            keeper.use(draft)
        return keeper

    # -- at start ---------------------------------------------------------------------------

    def offer(self) -> DraftsPrompt | None:
        """If drafts are waiting: the non-modal prompt (Restore / Discard / Later)."""
        try:
            pending = self.drafts.pending()
        except (ServiceError, StorageError) as exc:
            log.warning("Could not list the drafts (%s)", type(exc).__name__)
            return None
        if not pending:
            return None
        prompt = DraftsPrompt(pending, self.window)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.restore_chosen.connect(lambda: self.restore(pending))
        prompt.discard_chosen.connect(lambda: self._discard_all(prompt, pending))
        self.prompt = prompt
        prompt.show()
        return prompt

    def restore(self, drafts: Sequence[Draft]) -> None:
        """Open each draft in its dialog, the next when the last one closes."""
        self._queue = list(drafts)
        self._open_next()

    def _open_next(self) -> None:
        while self._queue:
            listed = self._queue.pop(0)
            try:  # as it is now: it may have changed or gone since it was listed
                draft = self.drafts.get(listed.kind, listed.entry_id)
            except (ServiceError, StorageError) as exc:
                log.warning("Could not read a draft (%s)", type(exc).__name__)
                continue
            dialog = self.open_draft(draft) if draft is not None else None
            if dialog is not None:
                dialog.finished.connect(lambda _result: QTimer.singleShot(0, self._open_next))
                return

    def open_draft(self, draft: Draft) -> QDialog | None:
        """The draft's dialog, filled with it: the entry's own dialog when the entry is still
        there, else a new entry's."""
        if draft.kind == "review":
            return self.host.record_review(draft)
        if draft.entry_id is None:
            return self.host.new_record(draft.kind, draft)
        try:
            KINDS[draft.kind].get(self.services, draft.entry_id)
        except NotFound:
            self.prompts.info(
                self.window,
                "Entry deleted",
                f"The {draft.noun} this draft changes was deleted since. The draft opens as a "
                "new entry: save it to add it again, or cancel to discard it.",
            )
            return self.host.new_record(draft.kind, draft)
        except ServiceError:
            pass  # a damaged entry: opening it explains, and the draft waits
        return self.host.edit_record(draft.kind, draft.entry_id, draft)

    # -- discarding -------------------------------------------------------------------------

    def _discard_all(self, prompt: DraftsPrompt, drafts: Sequence[Draft]) -> None:
        count = "the draft" if len(drafts) == 1 else f"the {len(drafts)} drafts"
        question = f"Delete {count}? What they hold cannot be brought back."
        if not self.prompts.confirm(prompt, "Discard drafts", question, "Discard"):
            return
        for draft in drafts:
            self._discard(draft)
        prompt.accept()

    def _discard(self, draft: Draft) -> None:
        try:
            self.drafts.discard(draft.kind, draft.entry_id)
        except (ServiceError, StorageError) as exc:
            log.warning("Could not delete a draft (%s)", type(exc).__name__)
            self.prompts.error(self.window, "Could not discard the draft", str(exc))
