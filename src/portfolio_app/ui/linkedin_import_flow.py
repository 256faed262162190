"""File → Import → LinkedIn connections…: choose Connections.csv, see who is new, place the new
organisations in a sector (a guess is filled in where the taxonomy has one), then import.

The rules (who is new, the guesses, what is left out) are the core's (services.linkedin_import):
this dialog shows them and collects the user's choice of sectors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.services.errors import ServiceError
from portfolio_app.services.linkedin_file import LinkedInFileError
from portfolio_app.services.linkedin_import import (
    LinkedInPreview,
    LinkedInResult,
    NewOrganisation,
)
from portfolio_app.services.progress import Progress
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.background import BackgroundTask, run_in_background
from portfolio_app.ui.csv_import_flow import ImportReportDialog
from portfolio_app.ui.models.record_table_model import Column, RecordTableModel
from portfolio_app.ui.widgets.screen_fit import fitted_size
from portfolio_app.ui.widgets.sector_picker import SectorPicker

if TYPE_CHECKING:
    from portfolio_app.ui.main_window import MainWindow

FILE_FILTER = "LinkedIn connections (Connections.csv *.csv *.zip);;All files (*)"
SECTOR_COLUMN = 2


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class LinkedInImportDialog(QDialog):
    """The preview: how many connections are new, and a sector for each new organisation."""

    def __init__(
        self, preview: LinkedInPreview, taxonomy: Taxonomy, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.taxonomy = taxonomy
        # Name key -> sector id; the guesses to start with, which the user confirms or changes.
        self.placed: dict[str, str] = {
            o.key: o.guess for o in preview.new_organisations if o.guess is not None
        }
        self._showing = False  # True while the picker is made to show the current row's sector
        self.setWindowTitle("Import LinkedIn connections")
        self.setAccessibleName("Import LinkedIn connections")

        new = len(preview.new_contacts)
        summary = QLabel(
            f"<b>{Path(preview.source).name}</b>: {_count(new, 'new connection')}, "
            f"{preview.already_there} already there. Each becomes a contact with their "
            "position at their organisation. Contacts alone do not change your score: only "
            "the activities you log do.",
            self,
        )
        summary.setWordWrap(True)
        summary.setAccessibleName("Import summary")

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        self.table: QTableView | None = None
        self.picker: SectorPicker | None = None
        if preview.new_organisations:
            self._build_placing(layout)

        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("What will be imported")
        layout.addWidget(self.outcome)

        buttons = QDialogButtonBox(self)
        buttons.setAccessibleName("Dialog buttons")
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import")
        self.import_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_outcome()
        self.resize(fitted_size(self, 760, 640 if preview.new_organisations else 220))

    def _build_placing(self, layout: QVBoxLayout) -> None:
        intro = QLabel(
            "These organisations are new to your portfolio. Choose a sector for each; a guess "
            "from the sector list is filled in where there is one. Connections at an "
            "organisation left without a sector are not imported now (import the file again "
            "later to bring them in).",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("About new organisations")
        columns: list[Column[NewOrganisation]] = [
            Column("Organisation", lambda o: o.name, width=300),
            Column(
                "Connections",
                lambda o: str(o.connections),
                lambda o: o.connections,
                align_right=True,
                width=90,
            ),
            Column("Sector", self._sector_text, width=260),
        ]
        self.model: RecordTableModel[NewOrganisation] = RecordTableModel(columns, lambda _o: None)
        self.model.set_records(self.preview.new_organisations)
        table = QTableView(self)
        table.setAccessibleName("New organisations")
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 300)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        table.setWordWrap(False)  # a long name is cut short ("…"), not broken over hidden lines
        self.table = table

        self.picker_label = QLabel(self)
        self.picker_label.setAccessibleName("Organisation being placed")
        self.picker_label.setTextFormat(Qt.TextFormat.PlainText)
        self.picker = SectorPicker(self.taxonomy, parent=self)
        self.picker.setAccessibleName("Sector of the chosen organisation")
        self.leave_out_button = QPushButton("No sector: leave its connections out", self)
        self.leave_out_button.setAccessibleName("Leave out")

        layout.addWidget(intro)
        # Equal shares: at 600 pixels high the picker took two thirds and the list of new
        # organisations showed barely three rows.
        layout.addWidget(table, 1)
        layout.addWidget(self.picker_label)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.leave_out_button, 0, Qt.AlignmentFlag.AlignLeft)

        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.picker.selectionChanged.connect(self._on_sector_chosen)
        self.leave_out_button.clicked.connect(self._leave_out)
        table.selectRow(0)
        self._show_current()

    # -- placing ------------------------------------------------------------------------------

    def _sector_text(self, organisation: NewOrganisation) -> str:
        sector = self.placed.get(organisation.key)
        if sector is None:
            return "— none: left out —"
        label = self.taxonomy.path_label(sector)
        return f"{label} (guess)" if sector == organisation.guess else label

    def current(self) -> NewOrganisation | None:
        if self.table is None:
            return None
        row = self.table.currentIndex().row()
        return self.model.record(row) if row >= 0 else None

    def _show_current(self) -> None:
        organisation = self.current()
        if self.picker is None:
            return
        enabled = organisation is not None
        self.picker.setEnabled(enabled)
        self.leave_out_button.setEnabled(enabled)
        if organisation is None:
            self.picker_label.setText("Choose an organisation above to give it a sector.")
            return
        self.picker_label.setText(f"Sector of {organisation.name}:")
        self._showing = True
        try:
            sector = self.placed.get(organisation.key)
            self.picker.set_selected([sector] if sector else [])
        finally:
            self._showing = False

    def _on_sector_chosen(self) -> None:
        organisation = self.current()
        if self._showing or organisation is None or self.picker is None:
            return
        chosen = self.picker.selected_ids()
        if chosen:
            self.placed[organisation.key] = chosen[0]
        else:
            self.placed.pop(organisation.key, None)
        self._changed()

    def _leave_out(self) -> None:
        organisation = self.current()
        if organisation is None:
            return
        self.placed.pop(organisation.key, None)
        self._show_current()
        self._changed()

    def _changed(self) -> None:
        if self.table is not None:
            row = self.table.currentIndex().row()
            index = self.model.index(row, SECTOR_COLUMN)
            self.model.dataChanged.emit(index, index)
        self._update_outcome()

    def _update_outcome(self) -> None:
        left_out = self.preview.left_out(self.placements())
        coming = len(self.preview.new_contacts) - left_out
        text = f"{_count(coming, 'connection')} will be imported"
        if left_out:
            text += f"; {left_out} left out until their organisation has a sector"
        self.outcome.setText(text + ".")
        self.import_button.setEnabled(coming > 0)

    def placements(self) -> dict[str, str]:
        """Organisation name -> sector id, for the organisations given one."""
        return {
            o.name: self.placed[o.key]
            for o in self.preview.new_organisations
            if o.key in self.placed
        }


class LinkedInImportFlow:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: LinkedInImportDialog | None = None
        self.task: BackgroundTask | None = None

    def start(self) -> None:
        window = self.window
        path = window.prompts.open_file(window, "Import LinkedIn connections", FILE_FILTER)
        if path is not None:
            self.preview(path)

    def preview(self, path: Path) -> None:
        window = self.window
        importer = window.services.linkedin_import
        try:
            preview = importer.preview(importer.read_file(path))
        except LinkedInFileError as exc:
            window.prompts.show_dialog(ImportReportDialog(exc, window))
            return
        except (ServiceError, OSError) as exc:
            window.prompts.error(window, "Could not import", str(exc))
            return
        if not preview.new_contacts:
            window.prompts.info(
                window,
                "Nothing new",
                f"All {_count(preview.already_there, 'connection')} in {path.name} are already "
                "among your contacts: nothing was imported.",
            )
            return
        dialog = LinkedInImportDialog(preview, window.services.taxonomy, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.run(preview, dialog.placements()))
        self.dialog = dialog
        dialog.open()

    def run(self, preview: LinkedInPreview, placements: dict[str, str]) -> None:
        services = self.window.services

        def work(progress: Progress) -> LinkedInResult:
            return services.linkedin_import.import_connections(
                preview.file, placements, skip_unplaced=True, progress=progress
            )

        self.task = run_in_background(
            self.window, "Importing LinkedIn connections", work, self._done, self._failed
        )

    def _done(self, result: Any) -> None:
        assert isinstance(result, LinkedInResult)
        window = self.window
        window.reload()
        text = f"LinkedIn connections: {result.summary()}."
        window.statusBar().showMessage(text, 8000)
        window.prompts.info(window, "Import finished", text)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, LinkedInFileError):
            self.window.prompts.show_dialog(ImportReportDialog(error, self.window))
        else:
            self.window.prompts.error(self.window, "Could not import", str(error))
