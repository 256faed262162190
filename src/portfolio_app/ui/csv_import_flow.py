"""File → Import activities from CSV (or a workbook): offer the template, import off the UI
thread, report."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.services.csv_import import (
    CsvImportError,
    CsvNeedsConfirmation,
    ImportResult,
    RowProblem,
)
from portfolio_app.services.progress import Progress
from portfolio_app.ui.background import BackgroundTask, run_in_background
from portfolio_app.ui.models.record_table_model import Column, RecordTableModel

if TYPE_CHECKING:
    from portfolio_app.ui.main_window import MainWindow

INTRO = (
    "Bring in activities you keep in a spreadsheet: an Excel workbook (.xlsx), an OpenDocument "
    "spreadsheet (.ods) or a CSV file (UTF-8), with a header row; only the columns type, title "
    "and start are needed. A workbook's first sheet is read.\n\n"
    "If any row has a problem, nothing is imported and you get a list of what to fix."
)
SHOWN_WARNINGS = 15  # a confirmation lists this many; the rest are counted
FILE_FILTER = "Spreadsheets and CSV (*.xlsx *.ods *.csv *.txt);;All files (*)"


class ImportReportDialog(QDialog):
    """Every bad row of a refused file: line, column and reason."""

    def __init__(self, error: CsvImportError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nothing was imported")
        self.setAccessibleName("Import problems")
        count = len(error.problems)
        sheet = next((p.sheet for p in error.problems if p.sheet), "")
        where = f" (sheet {html.escape(sheet)})" if sheet else ""
        summary = QLabel(
            f"<b>Nothing was imported.</b> {html.escape(Path(error.source).name)}{where} has "
            f"{count} problem{'' if count == 1 else 's'} to fix; "
            "correct the file and import it again.",
            self,
        )
        summary.setWordWrap(True)
        summary.setAccessibleName("Import summary")
        columns: list[Column[RowProblem]] = [
            Column(
                "Row" if sheet else "Line",
                lambda p: str(p.line) if p.line else "",
                lambda p: p.line,
                align_right=True,
            ),
            Column("Column", lambda p: p.column),
            Column("Problem", lambda p: p.message),
        ]
        self.model: RecordTableModel[RowProblem] = RecordTableModel(columns, lambda p: p.line)
        self.model.set_records(error.problems)
        table = QTableView(self)
        table.setAccessibleName("Problems table")
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        table.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.setAccessibleName("Dialog buttons")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)


class CsvImportFlow:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.task: BackgroundTask | None = None
        self.path: Path | None = None

    def start(self) -> None:
        window = self.window
        choice = window.prompts.choose(
            window,
            "Import activities from CSV",
            INTRO,
            ["Choose file…", "Save a template first…"],
        )
        if choice == 1:
            window.save_csv_template()
            return
        if choice != 0:
            return
        path = window.prompts.open_file(window, "Import activities", FILE_FILTER)
        if path is None:
            return
        self.run(path)

    def run(self, path: Path, *, accept_warnings: bool = False) -> None:
        services = self.window.services
        self.path = path

        def work(progress: Progress) -> ImportResult:
            return services.csv_import.import_file(
                path, progress=progress, accept_warnings=accept_warnings
            )

        self.task = run_in_background(
            self.window, "Importing activities", work, self._done, self._failed
        )

    def _done(self, result: Any) -> None:
        assert isinstance(result, ImportResult)
        window = self.window
        window.reload()
        activities = f"{result.activities} activit{'y' if result.activities == 1 else 'ies'}"
        extra = []
        if result.organisations_created:
            extra.append(f"{result.organisations_created} new organisations")
        if result.contacts_created:
            extra.append(f"{result.contacts_created} new contacts")
        detail = f" ({', '.join(extra)})" if extra else ""
        message = f"Imported {activities}: {result.counts()}{detail}."
        window.statusBar().showMessage(message, 8000)
        window.prompts.info(window, "Import finished", message)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, CsvNeedsConfirmation):
            self._confirm(error)
        elif isinstance(error, CsvImportError):
            self.window.prompts.show_dialog(ImportReportDialog(error, self.window))
        else:
            self.window.prompts.error(self.window, "Could not import", str(error))

    def _confirm(self, error: CsvNeedsConfirmation) -> None:
        """Unusual but possible rows: the same question the activity dialog asks, once per file."""
        window = self.window
        shown = [f"• {p}" for p in error.problems[:SHOWN_WARNINGS]]
        hidden = len(error.problems) - len(shown)
        if hidden:
            shown.append(f"… and {hidden} more")
        text = (
            f"{Path(error.source).name} has rows that look like slips:\n\n"
            + "\n".join(shown)
            + "\n\nNothing has been imported yet. Import them as they are?"
        )
        path = self.path
        if path is not None and window.prompts.confirm(
            window, "Check before importing", text, "Import anyway"
        ):
            self.run(path, accept_warnings=True)
