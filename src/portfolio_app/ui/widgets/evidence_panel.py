"""The "Evidence" panel of the activity and lesson dialogs: the files of one entry, with Add…
(or drop files on it), Open (a temporary copy, in the system's viewer) and Remove.

For an entry already saved, each change is stored at once (Cancel on the dialog does not take
it back; Remove asks first). A new entry has no id yet, so the files added to it wait in the
panel, with their bytes, and are stored when the entry is saved (`store_pending`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.domain.evidence import (
    MAX_EVIDENCE_BYTES,
    Evidence,
    guess_media_type,
    human_size,
)
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices, ServiceError
from portfolio_app.services.evidence import checked_name, read_evidence_file
from portfolio_app.storage.errors import StorageError
from portfolio_app.ui.models.evidence_model import (
    ADDED,
    NAME,
    SHARED,
    SIZE,
    SORT_ROLE,
    TYPE,
    EvidenceItem,
    EvidenceTableModel,
    visibility_of,
)
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.validation import MUTED_STYLE

# What the user can fix (a file too large, gone, unreadable; a full disk) is shown as it is.
REFUSALS = (ServiceError, StorageError, InvalidInput)


class EvidencePanel(QWidget):
    """Evidence files of the activity or lesson `owner_id` (None: not saved yet, files wait)."""

    def __init__(
        self,
        services: AppServices,
        kind: str,  # "activity" or "lesson": the entry the files belong to
        owner_id: int | None,
        prompts: Prompts,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.kind = kind
        self.owner_id = owner_id
        self.prompts = prompts
        self.setAccessibleName("Evidence files")
        self.setAcceptDrops(True)

        self.model = EvidenceTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView(self)
        self.view.setAccessibleName("Evidence files list")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ADDED, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setMinimumHeight(96)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (TYPE, SIZE, ADDED, SHARED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.add_button = QPushButton("&Add file…", self)
        self.add_button.setAccessibleName("Add evidence file")
        limit = human_size(MAX_EVIDENCE_BYTES)
        self.add_button.setToolTip(
            f"Store a copy of a file, encrypted with your data (up to {limit})"
        )
        self.open_button = QPushButton("O&pen", self)
        self.open_button.setAccessibleName("Open evidence file")
        self.open_button.setToolTip("Open a temporary copy (deleted when Portfolio closes)")
        self.remove_button = QPushButton("Re&move…", self)
        self.remove_button.setAccessibleName("Remove evidence file")
        self.remove_button.setToolTip("Delete the stored file (asks first)")

        self.note = QLabel(self)
        self.note.setAccessibleName("Evidence note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(MUTED_STYLE)
        self.note.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self.setFocusProxy(self.view)

        self.add_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        self.view.activated.connect(lambda _index: self.open_selected())  # Enter
        QShortcut(QKeySequence.StandardKey.Delete, self.view, self.remove_selected)
        self.model.share_toggled.connect(self._set_shared)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)

        self._load()
        self._update_note()

    # -- state ---------------------------------------------------------------------------------

    def _owner(self) -> tuple[int | None, int | None]:
        """(activity_id, lesson_id) for the service calls."""
        if self.kind == "activity":
            return self.owner_id, None
        return None, self.owner_id

    def _load(self) -> None:
        if self.owner_id is None:
            self.model.set_items([])
            return
        activity_id, lesson_id = self._owner()
        files = self.services.evidence.list_for(activity_id=activity_id, lesson_id=lesson_id)
        self.model.set_items([EvidenceItem(e) for e in files])

    def _update_note(self) -> None:
        limit = human_size(MAX_EVIDENCE_BYTES)
        when = (
            "They are stored as soon as you add them"
            if self.owner_id is not None
            else f"They are stored when you save the {self.kind}"
        )
        self.note.setText(
            f"Certificates, agendas, photos, notes: add them or drop them here (up to {limit} "
            f"each). {when}, encrypted with your data. Private unless you tick Shared."
        )

    def _update_buttons(self) -> None:
        chosen = self.selected_row() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def selected_row(self) -> int | None:
        """The model row of the selected file."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.mapToSource(rows[0]).row()

    def select_row(self, row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(row, NAME))
        self.view.selectRow(index.row())

    def pending(self) -> list[EvidenceItem]:
        """Files waiting for the entry to be saved."""
        return [item for item in self.model.items() if item.is_pending]

    def names(self) -> list[str]:
        return [item.evidence.name for item in self.model.items()]

    # -- adding --------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = self.prompts.open_file(self, "Add evidence file", "All files (*)")
        if path is not None:
            self.add_files([path])

    def add_files(self, paths: Iterable[Path]) -> None:
        """Store each file (or queue it, for an entry not saved yet); one message lists every
        file that was refused and why."""
        problems: list[str] = []
        for path in paths:
            try:
                item = self._added(path)
            except REFUSALS as exc:
                problems.append(str(exc))
                continue
            self.model.append(item)
            self.select_row(self.model.rowCount() - 1)
        if problems:
            self.prompts.error(self, "Could not add evidence", "\n\n".join(problems))

    def _added(self, path: Path) -> EvidenceItem:
        if self.owner_id is not None:
            activity_id, lesson_id = self._owner()
            added = self.services.evidence.add_file(
                path, activity_id=activity_id, lesson_id=lesson_id
            )
            return EvidenceItem(added)
        name, data = read_evidence_file(path)
        name = checked_name(name, data)  # the checks of storing, now: a refusal shows at once
        return EvidenceItem(Evidence(name, guess_media_type(name), len(data)), pending=data)

    def store_pending(self, owner_id: int) -> list[str]:
        """The entry is saved as `owner_id`: store the files that waited for it. Returns why
        any could not be stored (the caller says so: this dialog is closing)."""
        self.owner_id = owner_id
        activity_id, lesson_id = self._owner()
        problems: list[str] = []
        for item in self.pending():
            try:
                self.services.evidence.add(
                    item.evidence.name,
                    item.pending or b"",
                    activity_id=activity_id,
                    lesson_id=lesson_id,
                    visibility=item.evidence.visibility,
                )
            except REFUSALS as exc:
                problems.append(str(exc))
        self._load()
        self._update_note()
        return problems

    # -- drag and drop -------------------------------------------------------------------------

    @staticmethod
    def _local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._local_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(files)

    # -- opening, sharing, removing -----------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        item = self.model.item(row)
        name = item.evidence.name
        try:
            if item.pending is not None:
                copy = self.services.open_copies.write(name, item.pending)
            else:
                assert item.evidence.id is not None
                copy = self.services.evidence.open_copy(item.evidence.id, self.services.open_copies)
        except (*REFUSALS, OSError) as exc:
            self.prompts.error(self, "Could not open", str(exc))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
            self.prompts.error(
                self,
                "Could not open",
                f"No program on this computer opened “{name}”. A copy is in {copy.parent} "
                "until Portfolio closes.",
            )

    def _set_shared(self, row: int, shared: bool) -> None:
        item = self.model.item(row)
        visibility = visibility_of(shared)
        if item.is_pending:
            self.model.replace(
                row, replace(item, evidence=replace(item.evidence, visibility=visibility))
            )
            return
        assert item.evidence.id is not None
        try:
            stored = self.services.evidence.set_visibility(item.evidence.id, visibility)
        except REFUSALS as exc:
            self.prompts.error(self, "Could not change the evidence file", str(exc))
            self.model.replace(row, item)  # show the stored state again
            return
        self.model.replace(row, EvidenceItem(stored))

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        item = self.model.item(row)
        name = item.evidence.name
        if item.is_pending:  # nothing stored yet: the original file is untouched anyway
            self.model.remove(row)
            return
        question = (
            f"Remove the evidence file “{name}” from this {self.kind}?\n\n"
            "The stored copy is deleted for good; the original file, wherever it came from, "
            "is not touched. This cannot be undone."
        )
        if not self.prompts.confirm(self, "Remove evidence file", question, "Remove"):
            return
        assert item.evidence.id is not None
        try:
            self.services.evidence.remove(item.evidence.id)
        except REFUSALS as exc:
            self.prompts.error(self, "Could not remove", str(exc))
            self._load()
            return
        self.model.remove(row)

    def index_of(self, row: int, column: int) -> QModelIndex:
        """The view's index of a model cell (tests click it)."""
        return self.proxy.mapFromSource(self.model.index(row, column))
