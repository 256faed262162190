"""File → Restore from backup…: the backups, newest first, with when each was taken and what
it holds (unusable ones greyed, saying why); Restore after a confirmation; Back up now.

The dialog only chooses: whoever opened it restores (the window host closes the data first,
the start-up problem path has not opened it yet). Also used before the data can be opened,
so it needs the data dir and the key, not the services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
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

from portfolio_app.paths import AppPaths
from portfolio_app.services.backups import (
    BackupInfo,
    backup_counts,
    backup_info,
    backup_when,
    list_backups,
)
from portfolio_app.storage.errors import StorageError
from portfolio_app.ui.auto_backup import AutoBackup
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.widgets.screen_fit import fitted_size

BACKUP_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def file_size(n: int) -> str:
    """ "412 bytes", "3.5 MB" (binary units, as file managers show them)."""
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value):,} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{n:,} bytes"


def backup_notes(info: BackupInfo) -> str:
    if info.problem:
        return f"Cannot be used: {info.problem}"
    return "Made before an upgrade" if info.before_upgrade else ""


class BackupTableModel(QAbstractTableModel):
    """One row per backup: taken, activities, lessons, size, notes. An unusable backup's row
    is disabled (greyed, not selectable) and says why."""

    COLUMNS = ("Taken", "Activities", "Lessons", "Size", "Notes")

    def __init__(self, infos: list[BackupInfo] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._infos: list[BackupInfo] = list(infos or [])

    def set_backups(self, infos: list[BackupInfo]) -> None:
        self.beginResetModel()
        self._infos = list(infos)
        self.endResetModel()

    def backup(self, row: int) -> BackupInfo:
        return self._infos[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008  # Qt's signature
        return 0 if parent.isValid() else len(self._infos)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self._infos[index.row()].usable:
            return Qt.ItemFlag.ItemNeverHasChildren  # greyed and not selectable
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._infos):
            return None
        info = self._infos[index.row()]
        column = index.column()
        if role == BACKUP_ROLE:
            return info
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{backup_notes(info) or backup_counts(info)}\n{info.path}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == 0:
            return backup_when(info)
        if column in (1, 2):
            if not info.usable:
                return "—"
            return f"{info.counts.get('activities' if column == 1 else 'lessons', 0):,}"
        if column == 3:
            return file_size(info.size)
        if column == 4:
            return backup_notes(info)
        return None


class RestoreDialog(QDialog):
    """Choose a backup to restore; `chosen` is its BackupInfo once accepted. With an
    `auto_backup` (the window's), "Back up now" makes one and lists it."""

    def __init__(
        self,
        paths: AppPaths,
        key: bytes,
        prompts: Prompts,
        parent: QWidget | None = None,
        *,
        auto_backup: AutoBackup | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self._key = key
        self.prompts = prompts
        self.auto_backup = auto_backup
        self.chosen: BackupInfo | None = None
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")

        intro = QLabel(
            "Choose a backup to put in place of your data. Your current data is backed up "
            "first (or, if it is damaged, kept aside with the date and time in its name): "
            "nothing is overwritten, so a restore can itself be undone."
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("About restoring")

        self.model = BackupTableModel(parent=self)
        self.table = QTableView()
        self.table.setAccessibleName("Backups")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Backup status")

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setAccessibleName("Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.other_button = QPushButton("Other backup file…")
        self.other_button.setAccessibleName("Other backup file")
        self.other_button.clicked.connect(self.restore_other_file)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button = QPushButton("Back up now")
        self.backup_button.setAccessibleName("Back up now")
        self.backup_button.clicked.connect(self.backup_now)
        if auto_backup is not None:  # only with the data open (not before the window)
            buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.backup_button.setParent(self)
            self.backup_button.hide()
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        if auto_backup is not None:
            auto_backup.made.connect(self._backup_made)
            auto_backup.failed.connect(self._backup_failed)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        # Once the button is in the dialog: set before, it lost its default on show when the
        # dialog had no parent (opened before the window, at a start-up problem).
        self.restore_button.setDefault(True)
        self.table.setFocus()  # arrows choose a backup, Enter restores it
        self.resize(fitted_size(self, 760, 420))
        self.refresh()

    def refresh(self) -> None:
        """List the backups again (each is checked and counted: a moment per backup)."""
        infos = list_backups(self.paths, self._key)
        self.model.set_backups(infos)
        if not infos:
            self.status.setText(f"There are no backups in {self.paths.backups_dir} yet.")
        first_usable = next((row for row, info in enumerate(infos) if info.usable), None)
        if first_usable is not None:
            self.table.selectRow(first_usable)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        info = self.model.backup(rows[0].row())
        return info if info.usable else None

    @Slot()
    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and self._confirm(info):
            self.chosen = info
            self.accept()

    def restore_other_file(self) -> None:
        """A backup kept elsewhere (`portfolio-app backup --out FILE`), checked first."""
        path = self.prompts.open_file(
            self, "Restore a backup file", "Portfolio backups (*.backup *.sqlite3);;All files (*)"
        )
        if path is None:
            return
        try:
            info = backup_info(self.paths, self._key, path)
        except (StorageError, OSError) as exc:
            self.prompts.error(self, "Cannot restore that file", str(exc))
            return
        if not info.usable:
            self.prompts.error(
                self,
                "Cannot restore that file",
                f"{path} cannot be restored: {info.problem}. Nothing was changed.",
            )
            return
        if self._confirm(info):
            self.chosen = info
            self.accept()

    def _confirm(self, info: BackupInfo) -> bool:
        return self.prompts.confirm(
            self,
            "Restore this backup?",
            f"Replace your data with the backup from {backup_when(info)} "
            f"({backup_counts(info)})?\n\nYour current data will be backed up first "
            "(or, if it is damaged, kept aside); nothing is overwritten.",
            "Restore",
        )

    def backup_now(self) -> None:
        if self.auto_backup is None:
            return
        self.backup_button.setEnabled(False)
        self.status.setText("Backing up…")
        if not self.auto_backup.backup_now():
            self.backup_button.setEnabled(True)
            self.status.setText("A backup cannot be made now.")

    @Slot(object)
    def _backup_made(self, path: object) -> None:
        self.backup_button.setEnabled(True)
        if isinstance(path, Path):
            self.refresh()
            self.status.setText(f"Backed up to {path}.")

    @Slot(str)
    def _backup_failed(self, message: str) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText(message)
