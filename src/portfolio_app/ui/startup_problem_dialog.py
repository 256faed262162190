"""What the desktop app shows when the data cannot be opened at start: the problem in plain
words and the ways on (restore the newest backup, choose a backup, retry, quit), as the CLI's
one clear line says it for a terminal. Each kind of failure the CLI names has its own wording:
damaged, missing in a folder that was in use, written by a newer version, a key that does not
fit, a key file that cannot be read, locked or in use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.paths import AppPaths
from portfolio_app.security.errors import KeyFileDamaged, KeyFileMissing
from portfolio_app.services.backups import BackupInfo, backup_counts, backup_when
from portfolio_app.services.vault import NotSetUp
from portfolio_app.storage.errors import (
    DatabaseDamaged,
    NewerSchema,
    StorageError,
    WrongKeyOrNotADatabase,
)

# At most this many of SQLite's problem lines are shown (the rest: `portfolio-app check`).
_SHOWN_PROBLEMS = 5


class StartupChoice(Enum):
    RESTORE_NEWEST = "Restore the newest backup"
    CHOOSE_BACKUP = "Choose a backup…"
    RETRY = "Retry"
    QUIT = "Quit"


@dataclass(frozen=True)
class StartupProblem:
    title: str
    message: str  # the problem and what to do, in plain words
    details: str  # the file and what exactly is wrong
    choices: tuple[StartupChoice, ...]
    newest: BackupInfo | None = None

    @property
    def default(self) -> StartupChoice:
        for choice in (StartupChoice.RESTORE_NEWEST, StartupChoice.RETRY):
            if choice in self.choices:
                return choice
        return StartupChoice.QUIT


_KEPT = (
    "If you restore, the damaged file will be kept aside (renamed with today's date and "
    "time) and never overwritten."
)


def _backup_offer(newest: BackupInfo | None, paths: AppPaths) -> str:
    if newest is None:
        return (
            f"There is no sound backup in {paths.backups_dir}; choose a backup file if you "
            "have one."
        )
    return f"The newest sound backup is from {backup_when(newest)} ({backup_counts(newest)})."


def _restore_choices(newest: BackupInfo | None) -> tuple[StartupChoice, ...]:
    first = (StartupChoice.RESTORE_NEWEST,) if newest is not None else ()
    return (*first, StartupChoice.CHOOSE_BACKUP, StartupChoice.RETRY, StartupChoice.QUIT)


def _is_lock(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "already open" in text or "in use" in text


def describe_problem(
    exc: Exception, paths: AppPaths, newest: BackupInfo | None = None
) -> StartupProblem:
    """The dialog's words and ways on for a start-up failure. `newest` is the newest sound
    backup (None when there is none, or when the key is not known yet)."""
    if isinstance(exc, NewerSchema):
        return StartupProblem(
            "Made by a newer version of Portfolio",
            "Your data was saved by a newer version of Portfolio, in a format this version "
            "does not know. Opening it here could lose what the newer version stored, so it "
            "stays closed.\n\nInstall the newer version of Portfolio (or a later one) to open "
            "your data. Nothing was changed.",
            f"{exc.path}\nData format: {exc.revision}",
            (StartupChoice.QUIT,),
        )
    if isinstance(exc, DatabaseDamaged) and exc.missing:
        return StartupProblem(
            "Your data file is missing",
            "Your data file is missing or empty, although this folder was in use (it has "
            "backups or a sector list applied). Portfolio has not started afresh, so nothing "
            "more is lost.\n\n"
            f"{_backup_offer(newest, paths)} Restore a backup, or put the file back and "
            "press Retry.",
            str(exc.path),
            _restore_choices(newest),
            newest,
        )
    if isinstance(exc, DatabaseDamaged):
        problems = exc.problems[:_SHOWN_PROBLEMS]
        more = len(exc.problems) - len(problems)
        details = "\n".join([str(exc.path), *problems])
        if more:
            details += f"\n(and {more} more)"
        return StartupProblem(
            "Your data file is damaged",
            "Part of your data file cannot be read: Portfolio checked it as it started and "
            "found it damaged (perhaps by a disk fault or a crash of the computer), so it has "
            f"not opened it and has changed nothing.\n\n{_backup_offer(newest, paths)} {_KEPT}",
            details,
            _restore_choices(newest),
            newest,
        )
    if isinstance(exc, WrongKeyOrNotADatabase):
        return StartupProblem(
            "Your data file cannot be read",
            f"The key in {paths.key_file.name} does not open your data file. Either the key "
            "file belongs to other data (copied from elsewhere), or the start of the data "
            "file is damaged, or it is not a Portfolio data file.\n\n"
            f"{_backup_offer(newest, paths)} {_KEPT} If the key file is the wrong one, put "
            "the right one back and press Retry.",
            f"{exc.path}\nKey file: {paths.key_file}",
            _restore_choices(newest),
            newest,
        )
    if isinstance(exc, StorageError) and _is_lock(exc):
        return StartupProblem(
            "Your data is in use",
            "Your data is in use by another program or another Portfolio window, so this one "
            "cannot open it now. Close the other one, then press Retry. Nothing was changed.",
            str(exc),
            (StartupChoice.RETRY, StartupChoice.QUIT),
        )
    if isinstance(exc, KeyFileMissing | KeyFileDamaged | NotSetUp):
        return StartupProblem(
            "The key to your data cannot be read",
            "Portfolio needs the key file in your data folder to unlock your data, and it "
            "cannot read it. Your data file is untouched.\n\nPut the key file back (from your "
            "copy of the data folder) and press Retry.",
            f"{exc}\nKey file: {paths.key_file}",
            (StartupChoice.RETRY, StartupChoice.QUIT),
        )
    return StartupProblem(
        "Portfolio cannot open your data",
        f"{exc}\n\nNothing was changed. Fix what the message names and press Retry.",
        str(paths.data_dir),
        (StartupChoice.RETRY, StartupChoice.QUIT),
    )


class StartupProblemDialog(QDialog):
    """The problem and one button per way on; `choice` is what was pressed (Quit when the
    dialog is closed any other way)."""

    def __init__(self, problem: StartupProblem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problem = problem
        self.choice = StartupChoice.QUIT
        self.setWindowTitle(problem.title)
        self.setAccessibleName("Start-up problem")

        heading = QLabel(f"<b>{problem.title}</b>")
        heading.setAccessibleName("Problem")
        message = QLabel(problem.message)
        message.setWordWrap(True)
        message.setAccessibleName("What happened")
        # The file and SQLite's own words come last, under a heading that says they are for
        # whoever helps (the message above has said what they mean in plain words).
        details_heading = QLabel("Technical details, for whoever helps you:")
        details_heading.setAccessibleName("About the details")
        details_heading.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, any theme
        details = QLabel(problem.details)
        details.setWordWrap(True)
        details.setAccessibleName("Details")
        details.setTextFormat(Qt.TextFormat.PlainText)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.buttons: dict[StartupChoice, QPushButton] = {}
        for choice in problem.choices:
            text = choice.value
            if choice is StartupChoice.RESTORE_NEWEST and problem.newest is not None:
                newest = problem.newest
                text = f"{text} ({backup_when(newest)}, {backup_counts(newest)})"
            button = QPushButton(text)
            button.setAccessibleName(choice.value.rstrip("…"))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            role = (
                QDialogButtonBox.ButtonRole.RejectRole
                if choice is StartupChoice.QUIT
                else QDialogButtonBox.ButtonRole.ActionRole
            )
            buttons.addButton(button, role)
            self.buttons[choice] = button

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(message)
        layout.addSpacing(6)
        layout.addWidget(details_heading)
        layout.addWidget(details)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        width = max(520, self.sizeHint().width())
        self.resize(width, layout.totalHeightForWidth(width))  # no gaps between the lines
        # Once the buttons are in the dialog: set before, the focus went to the first button
        # (Choose a backup…) while Enter pressed the default (Retry).
        default = self.buttons[problem.default]
        default.setDefault(True)
        default.setFocus()

    def _choose(self, choice: StartupChoice) -> None:
        self.choice = choice
        if choice is StartupChoice.QUIT:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Quit, Escape or the close button: Quit (never a restore nobody asked for)."""
        self.choice = StartupChoice.QUIT
        super().reject()
