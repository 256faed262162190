"""Keep what the user types in an edit dialog as a draft (services.drafts), so a crash loses at
most the last couple of seconds: written DELAY_MS after the last change, and at once when the
dialog closes with a change not yet written.

The draft is deleted on a successful Save (the window calls `finish(saved=True)`) and on a
deliberate Cancel (the Cancel button). Closed any other way (Esc, the window manager, a crash)
it stays, and is offered back when the dialog is opened again or at the next start.

The dialogs turn their form into the JSON payload and back (`draft_payload`, `apply_draft`);
the shapes are documented in services/drafts.py."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from portfolio_app.services.drafts import Draft, DraftService, InvalidDraft, Payload
from portfolio_app.services.errors import ServiceError
from portfolio_app.storage.errors import StorageError

log = logging.getLogger(__name__)

DELAY_MS = 2000  # after the last change: typing is never slowed by a write a keystroke


class DraftForm(Protocol):
    """A dialog whose form can be kept as a draft."""

    buttons: QDialogButtonBox

    def draft_payload(self) -> Payload:
        """The form as typed, as plain JSON values."""
        ...

    def apply_draft(self, payload: Mapping[str, object]) -> None:
        """Fill the form from a payload (fields it does not know, or of the wrong type, are
        left as they are)."""
        ...

    def draft_signals(self) -> Sequence[SignalInstance]:
        """The signals that mean the user changed something."""
        ...


class DraftKeeper(QObject):
    """One dialog's draft, stored under (kind, entry_id): the entry the draft belongs to, which
    is the dialog's entry, or for a draft of an entry deleted meanwhile, that entry's id."""

    kept = Signal()  # a draft was written (or found to be the same as the stored one)

    def __init__(
        self,
        dialog: QDialog,
        form: DraftForm,
        drafts: DraftService,
        kind: str,
        entry_id: int | None,
        *,
        delay_ms: int = DELAY_MS,
    ) -> None:
        super().__init__(dialog)
        self._form = form
        self._drafts = drafts
        self.kind = kind
        self.entry_id = entry_id
        self._baseline = form.draft_payload()  # the form as it opened: nothing to keep
        self._stored: Payload | None = None  # what we last wrote (or were given)
        self._done = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.keep_now)
        for signal in form.draft_signals():
            signal.connect(self._changed)
        dialog.finished.connect(self._on_finished)
        # Only the Cancel button: Esc and the window manager's close keep the draft.
        form.buttons.rejected.connect(self.discard)

    @property
    def pending(self) -> bool:
        """A change is waiting for the timer."""
        return self._timer.isActive()

    def use(self, draft: Draft) -> None:
        """Fill the form with a draft the user chose to go on with (it stays stored)."""
        self._form.apply_draft(draft.payload)
        self._timer.stop()  # filling the form is not typing: the draft is stored as it is
        self._stored = dict(draft.payload)

    def keep_now(self) -> None:
        """Write the form as a draft now (if it changed since the last write)."""
        self._timer.stop()
        if self._done:
            return
        payload = self._form.draft_payload()
        if payload == self._stored:
            self.kept.emit()
            return
        if payload == self._baseline:
            # Back to what it was: nothing unsaved. A stored draft of changes is now stale.
            if self._stored is not None and self._discard():
                self._stored = None
            return
        try:
            self._drafts.save(self.kind, self.entry_id, payload)
        except InvalidDraft as exc:  # says what and where, never the text
            log.warning("The draft of a %s was not kept: %s", self.kind, exc)
            return
        except (ServiceError, StorageError, OSError) as exc:
            log.warning("The draft of a %s was not kept (%s)", self.kind, type(exc).__name__)
            return
        self._stored = payload
        self.kept.emit()

    def finish(self, *, saved: bool) -> None:
        """The window saved the dialog's value (True: the draft goes) or could not (False:
        the draft is kept, with the last change, to try again)."""
        if saved:
            self.discard()
        else:
            self.keep_now()
            self._done = True

    def discard(self) -> None:
        """The user threw the changes away (Cancel) or saved them: delete the draft."""
        self._timer.stop()
        self._done = True
        self._discard()

    def _discard(self) -> bool:
        try:
            self._drafts.discard(self.kind, self.entry_id)
        except (ServiceError, StorageError, OSError) as exc:
            log.warning("The draft of a %s was not deleted (%s)", self.kind, type(exc).__name__)
            return False
        return True

    def _changed(self, *_args: object) -> None:
        if not self._done:
            self._timer.start()

    def _on_finished(self, _result: int) -> None:
        # Closed with a change the timer has not written yet: written now, whatever closed it
        # (Save and Cancel then delete it; a close by other means keeps it).
        if self._timer.isActive():
            self.keep_now()
