"""File → Export → everything as JSON / for an e-portfolio (Leap2A), and File → Import → from a
Portfolio JSON file: the CLI's `export-json`, `export-leap2a` and `import-json` for people who
never open a terminal.

The services decide everything (what goes in, what a merge keeps, why a file is refused): this
asks where, runs the work off the UI thread with a progress dialog, and shows what happened.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portfolio_app.file_checks import FileProblem
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.json_export import JsonExport
from portfolio_app.services.json_import import DataNotEmpty, JsonImportResult
from portfolio_app.services.json_problems import JsonImportError
from portfolio_app.services.progress import Progress
from portfolio_app.ui.background import BackgroundTask, run_in_background

if TYPE_CHECKING:
    from portfolio_app.export.leap2a import Leap2AResult
    from portfolio_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

JSON_FILTER = "Portfolio JSON files (*.json);;All files (*)"
ZIP_FILTER = "Leap2A packages (*.zip)"
JSON_TITLE = "Export everything as JSON"
JSON_NOTE = (
    "This writes everything in your portfolio to one open, documented JSON file, to keep "
    "or to move to another computer or tool.\n\n"
    "The file holds your private entries, your contacts and your evidence files too. It is "
    "made readable by you only; keep it somewhere private (not a shared drive)."
)
LEAP2A_TITLE = "Export for an e-portfolio (Leap2A)"
LEAP2A_NOTE = (
    "A Leap2A package (a zip) is what e-portfolio systems such as Mahara import.\n\n"
    "Shared: your shared activities, the organisations they were with, the shared parts of "
    "lessons and shared evidence files; people you met appear only as their organisation.\n\n"
    "Include private entries? (Private activities and the private parts of lessons; private "
    "evidence files stay out either way.)"
)
LEAP2A_OPTIONS = ["Shared entries only", "Include private entries"]
IMPORT_TITLE = "Import a Portfolio JSON file"
MERGE_QUESTION = (
    "Your portfolio already has entries. Merge {name} into your data?\n\n"
    "Entries already here are kept as they are; only new ones are added (nothing is "
    "duplicated)."
)
SHOWN_DIFFERING = 10  # the import report lists this many differing entries; the rest counted


def error_text(error: Exception) -> str:
    """One sentence for the user: the service's own words, or the OS's with the file."""
    if isinstance(error, ServiceError | FileProblem):
        return str(error)
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{where}"
    log.error("unexpected error in an open-format export or import", exc_info=error)
    return f"Something went wrong ({type(error).__name__}: {error}). Nothing was changed."


def _with_suffix(path: Path, suffix: str) -> Path:
    return path if path.suffix else path.with_name(path.name + suffix)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def import_report(result: JsonImportResult) -> str:
    """The service's report, with a long list of differing entries cut short."""
    lines = [line for line in result.lines() if not line.startswith("Differs, kept yours:")]
    differing = [f"• {entry}" for entry in result.differing[:SHOWN_DIFFERING]]
    hidden = len(result.differing) - len(differing)
    if hidden:
        differing.append(f"… and {hidden} more")
    text = "\n".join(lines)
    if differing:
        text += "\n\nDiffer from the file; yours were kept:\n" + "\n".join(differing)
    return text


class OpenFormatsFlow:
    """The three menu entries of one window; keeps the running task alive."""

    def __init__(self, window: MainWindow, today: date | None = None) -> None:
        self.window = window
        self.today = today
        self.task: BackgroundTask | None = None

    def _today(self) -> date:
        return self.today or date.today()

    def _run(self, title: str, work: Any, on_done: Any, failure_title: str) -> None:
        window = self.window
        self.task = run_in_background(
            window,
            title,
            work,
            on_done,
            lambda error: window.prompts.error(window, failure_title, error_text(error)),
        )
        self.task.done.connect(self._ended)

    def _ended(self) -> None:
        self.task = None

    # -- JSON out -----------------------------------------------------------------------------

    def export_json(self) -> None:
        window = self.window
        if not window.prompts.confirm(window, JSON_TITLE, JSON_NOTE, "Choose where to save…"):
            return
        path = window.prompts.save_file(
            window, JSON_TITLE, f"portfolio-{self._today():%Y-%m-%d}.json", JSON_FILTER
        )
        if path is None:
            return
        path = _with_suffix(path, ".json")
        exporter = window.services.json_export

        def work(progress: Progress) -> JsonExport:
            progress.check()
            return exporter.export(path)

        self._run("Exporting everything", work, self._json_exported, "Could not export")

    def _json_exported(self, result: Any) -> None:
        assert isinstance(result, JsonExport)
        window = self.window
        window.statusBar().showMessage(f"Exported everything to {result.path}", 8000)
        window.prompts.info(
            window,
            "Export finished",
            f"Exported {result.describe()} to {result.path}.\n\n"
            "The file holds private entries and evidence: it is readable by you only.",
        )

    # -- Leap2A out ---------------------------------------------------------------------------

    def export_leap2a(self) -> None:
        window = self.window
        choice = window.prompts.choose(window, LEAP2A_TITLE, LEAP2A_NOTE, LEAP2A_OPTIONS)
        if choice is None:
            return
        include_private = choice == 1
        path = window.prompts.save_file(
            window, LEAP2A_TITLE, f"portfolio-leap2a-{self._today():%Y-%m-%d}.zip", ZIP_FILTER
        )
        if path is None:
            return
        path = _with_suffix(path, ".zip")
        services = window.services

        def work(progress: Progress) -> Leap2AResult:
            from portfolio_app.export.leap2a import Leap2AOptions, export_leap2a

            progress.check()
            return export_leap2a(services, Leap2AOptions(include_private=include_private), path)

        self._run(
            "Exporting for an e-portfolio",
            work,
            lambda result: self._leap2a_exported(result, include_private),
            "Could not export",
        )

    def _leap2a_exported(self, result: Leap2AResult, include_private: bool) -> None:
        window = self.window
        text = (
            f"Wrote {result.path} ({_count(result.activities, 'activity', 'activities')}, "
            f"{_count(result.organisations, 'organisation')}, "
            f"{_count(result.lessons, 'lesson')}, {_count(result.files, 'file')})."
        )
        if result.activities == 0 and not include_private:
            text += (
                "\n\nNo activity is shared yet, so none went in: share some (in each "
                "activity), or export again including private entries."
            )
        elif include_private:
            text += "\n\nPrivate entries are included: check them before you upload the file."
        window.statusBar().showMessage(f"Exported for an e-portfolio to {result.path}", 8000)
        window.prompts.info(window, "Export finished", text)

    # -- JSON in ------------------------------------------------------------------------------

    def import_json(self) -> None:
        window = self.window
        path = window.prompts.open_file(window, IMPORT_TITLE, JSON_FILTER)
        if path is not None:
            self.run_import(path)

    def run_import(self, path: Path, *, merge: bool = False) -> None:
        """Import into an empty portfolio; one with entries refuses (DataNotEmpty), and the
        user is asked before the same file is merged in."""
        importer = self.window.services.json_import

        def work(progress: Progress) -> JsonImportResult:
            progress.check()
            return importer.import_file(path, merge=merge)

        self.task = run_in_background(
            self.window,
            "Importing a Portfolio JSON file",
            work,
            self._imported,
            lambda error: self._import_failed(error, path),
        )
        self.task.done.connect(self._ended)

    def _imported(self, result: Any) -> None:
        assert isinstance(result, JsonImportResult)
        window = self.window
        if not result.merged:
            window.undo_stack.clear()  # the data was replaced: old undo steps point at nothing
        window.reload()
        report = import_report(result)
        window.statusBar().showMessage(report.splitlines()[0], 8000)
        window.prompts.info(window, "Import finished", report)

    def _import_failed(self, error: Exception, path: Path) -> None:
        window = self.window
        if isinstance(error, DataNotEmpty):
            question = MERGE_QUESTION.format(name=path.name)
            if window.prompts.confirm(window, IMPORT_TITLE, question, "Merge"):
                self.run_import(path, merge=True)
            return
        title = "Nothing was imported" if isinstance(error, JsonImportError) else "Could not import"
        window.prompts.error(window, title, error_text(error))
