"""Start the desktop app: QApplication, logging, first run, services, main window."""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from portfolio_app import APP_ID, APP_NAME, __version__
from portfolio_app.paths import AppPaths
from portfolio_app.security.errors import SecurityError
from portfolio_app.services import AppServices, ServiceError, backups, open_services, vault
from portfolio_app.services.backups import BackupInfo
from portfolio_app.services.context import StartupCheck
from portfolio_app.services.sample_data import populate_demo
from portfolio_app.storage.errors import DatabaseDamaged, StorageError, WrongKeyOrNotADatabase
from portfolio_app.taxonomy.sources import find_taxonomy
from portfolio_app.ui import data_dir_banner, single_instance
from portfolio_app.ui.first_paint import FirstPaint, after_start_painted, on_first_paint
from portfolio_app.ui.first_run import FirstRunChoice, FirstRunDialog
from portfolio_app.ui.main_window import ListsLoad, MainWindow
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.restore_dialog import RestoreDialog
from portfolio_app.ui.startup_check import DeferredCheck
from portfolio_app.ui.startup_problem_dialog import (
    StartupChoice,
    StartupProblemDialog,
    describe_problem,
)
from portfolio_app.ui.unlock_dialogs import PassphraseDialog, RecoveryCodeDialog

log = logging.getLogger("portfolio_app.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    log.log(
        _QT_LEVELS.get(kind, logging.WARNING), "%s (%s:%s)", message, context.file, context.line
    )


def open_demo(paths: AppPaths, today: date | None = None) -> AppServices:
    """The demo profile lives in its own data dir beside the real one; filled on first use."""
    demo_paths = AppPaths(paths.demo_data_dir)
    if vault.is_set_up(demo_paths):
        key = vault.unlock(demo_paths, vault.DEMO_PASSPHRASE).data_key
    else:
        # A demo folder without keys is left from a failed start: sample data, made again.
        shutil.rmtree(demo_paths.data_dir, ignore_errors=True)
        key = vault.set_up(demo_paths, vault.DEMO_PASSPHRASE, remember=False).data_key
    services = open_services(demo_paths, key=key)
    if services.profile.get() is None:
        try:
            populate_demo(services, today or date.today())
        except Exception:
            # A half-filled demo would be refused next time: start again from nothing.
            services.close()
            shutil.rmtree(demo_paths.data_dir, ignore_errors=True)
            raise
    return services


def start_window(
    paths: AppPaths,
    *,
    demo: bool = False,
    prompts: Prompts | None = None,
    checks: StartupCheck = "now",
) -> MainWindow | None:
    """Unlock the data (or set it up the first time), run the profile set-up if needed, and
    return the main window; None when the user quits. Data that cannot be opened (damaged,
    missing, newer, locked, a key that does not fit) is a dialog with the ways on.

    `checks="later"`: the whole-file check is left to `WindowHost.check_file` (once painted)."""
    prompts = prompts or Prompts()
    if demo:
        return MainWindow(open_demo(paths), prompts=prompts, demo=True)
    unlocked = _Unlocked()
    while True:
        try:
            return _open_window(paths, prompts, unlocked, checks)
        except (SecurityError, ServiceError, StorageError) as exc:
            log.info("Start-up problem: %s", exc)
            key = unlocked.key
            if not isinstance(exc, StorageError) or isinstance(exc, WrongKeyOrNotADatabase):
                unlocked.key = None  # a key problem: the key file is read again on Retry
            if not recover_from(exc, paths, key, prompts):
                return None


class _Unlocked:
    """The data key once unlocked, so Retry after a locked or damaged file asks no more."""

    key: bytes | None = None


def _open_window(
    paths: AppPaths, prompts: Prompts, unlocked: _Unlocked, checks: StartupCheck
) -> MainWindow | None:
    if not vault.is_set_up(paths) and not paths.database.exists():
        return _first_run(paths, prompts)
    if unlocked.key is None:
        unlocked.key = unlock_data(paths, prompts)
        if unlocked.key is None:
            return None
    services = open_services(paths, key=unlocked.key, checks=checks)
    try:
        return _window_on(services, paths, prompts, "after_paint" if checks == "later" else "now")
    except Exception:
        _raise_if_damaged(services)  # a damaged page read before the deferred check ran
        raise


def _raise_if_damaged(services: AppServices) -> None:
    """If the data was opened unchecked and its file is damaged: close it and raise the same
    `DatabaseDamaged` a checked open would have (the start-up problem dialog follows)."""
    if services.db.checked:
        return
    problems = services.db.file_problems()
    services.close()
    if problems:
        raise _damaged(services.paths, services.data_key, problems) from None


def _damaged(paths: AppPaths, key: bytes, problems: list[str]) -> DatabaseDamaged:
    exc = DatabaseDamaged(paths.database, problems)
    try:
        exc.newest_backup = backups.newest_good_backup(paths, key)
    except (StorageError, OSError):
        log.warning("Could not list the backups in %s", paths.backups_dir)
    return exc


def _window_on(
    services: AppServices, paths: AppPaths, prompts: Prompts, lists: ListsLoad = "now"
) -> MainWindow | None:
    if services.profile.get() is None:
        dialog = FirstRunDialog(services.taxonomy)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            services.close()
            return None
        if dialog.choice is FirstRunChoice.DEMO:
            services.close()
            return MainWindow(open_demo(paths), prompts=prompts, demo=True)
        _set_up_profile(services, dialog)
    return MainWindow(services, prompts=prompts, lists=lists)


def recover_from(exc: Exception, paths: AppPaths, key: bytes | None, prompts: Prompts) -> bool:
    """Show what went wrong and the ways on; restore a backup if that is chosen. True to try
    opening again (after a restore, or Retry), False to quit."""
    newest = _newest_backup(exc, paths, key)
    dialog = StartupProblemDialog(describe_problem(exc, paths, newest))
    dialog.exec()
    choice = dialog.choice
    if choice is StartupChoice.QUIT:
        return False
    if choice is StartupChoice.RETRY or key is None:
        return True
    if choice is StartupChoice.RESTORE_NEWEST and newest is not None:
        chosen: BackupInfo | None = newest
    else:
        chooser = RestoreDialog(paths, key, prompts)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return True  # back to the problem, which is still there
        chosen = chooser.chosen
    if chosen is not None:
        restore_backup(paths, key, chosen, prompts, None)
    return True


def _newest_backup(exc: Exception, paths: AppPaths, key: bytes | None) -> BackupInfo | None:
    if isinstance(exc, DatabaseDamaged):
        return exc.newest_backup if isinstance(exc.newest_backup, BackupInfo) else None
    if isinstance(exc, WrongKeyOrNotADatabase) and key is not None:
        try:  # a damaged first page: backups open with this key; another key's file: none do
            return backups.newest_good_backup(paths, key)
        except (StorageError, OSError):
            log.warning("Could not list the backups in %s", paths.backups_dir)
    return None


def restore_backup(
    paths: AppPaths, key: bytes, info: BackupInfo, prompts: Prompts, parent: QWidget | None
) -> bool:
    """Put the backup in place of the (closed) data and say what happened; False (and said
    why, nothing changed) if it could not be restored."""
    try:
        result = backups.restore(paths, info.path, key)
    except (StorageError, OSError) as exc:
        log.warning("Restore failed: %s", exc)
        prompts.error(parent, "Could not restore the backup", str(exc))
        return False
    if result.damaged_kept_at is not None:
        before = f"The damaged data was kept at {result.damaged_kept_at}."
    else:
        before = f"Your data as it was before is in {paths.backups_dir}, backed up first."
    prompts.info(
        parent,
        "Backup restored",
        f"Restored the backup from {backups.backup_when(info)}: {backups.backup_counts(info)}."
        f"\n\n{before}",
    )
    return True


def unlock_data(paths: AppPaths, prompts: Prompts) -> bytes | None:
    """The data key: remembered on this device, else asked for (saying why); None on Quit."""
    try:
        return vault.unlock(paths).data_key
    except vault.PassphraseRequired as needed:
        dialog = PassphraseDialog(paths, needed.reason)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.unlocked is None:
            return None
        if dialog.unlocked.keyring_note:
            prompts.info(None, "Not remembered on this device", dialog.unlocked.keyring_note)
        return dialog.unlocked.data_key


def _first_run(paths: AppPaths, prompts: Prompts) -> MainWindow | None:
    """The very first start: profile and passphrase, the recovery code shown once, then in."""
    dialog = FirstRunDialog(find_taxonomy(paths).taxonomy, ask_passphrase=True)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
        return None
    if dialog.choice is FirstRunChoice.DEMO:
        return MainWindow(open_demo(paths), prompts=prompts, demo=True)
    created = vault.set_up(paths, dialog.chosen_passphrase(), remember=dialog.remember.isChecked())
    RecoveryCodeDialog(paths, created.recovery_code, prompts).exec()
    if created.keyring_note:
        prompts.info(None, "Not remembered on this device", created.keyring_note)
    services = open_services(paths, key=created.data_key)
    _set_up_profile(services, dialog)
    return MainWindow(services, prompts=prompts)


def _set_up_profile(services: AppServices, dialog: FirstRunDialog) -> None:
    values = dialog.values()
    try:
        services.profile.set_up(
            name=values["name"],
            role=values["role"],
            organisation=values["organisation"],
            sector=values["sector"],
        )
    except BaseException:
        services.close()
        raise


class WindowHost:
    """Keeps the main window alive, and rebuilds it on fresh services when asked to (a new
    sector list, a restored backup)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.check: DeferredCheck | None = None
        self._connect(window)

    def check_file(self) -> None:
        """The whole-file check the window was opened without (`checks="later"`), off the UI
        thread; damage closes the window's data and shows the start-up problem dialog."""
        if self.window.services.db.checked:
            return  # checked before it opened (an upgrade, the demo)
        self.check = DeferredCheck(self.window.services.db, self.file_damaged, self.window)
        self.check.start()

    def file_damaged(self, problems: list[str]) -> None:
        """The deferred check found damage: the same ways on as a damaged file at start."""
        old = self.window
        paths, demo, prompts = old.services.paths, old.demo, old.prompts
        key = old.services.data_key
        old.wait_for_checks()
        old.save_settings()
        old.hide()
        old.services.close()  # no automatic backup: a damaged file is never copied
        if not recover_from(_damaged(paths, key, problems), paths, key, prompts):
            QApplication.quit()
            return
        self._open_again(old, paths, demo, prompts, key)

    def _connect(self, window: MainWindow) -> None:
        window.reopen_requested.connect(self.reopen)
        window.restore_requested.connect(self.restore)

    def reopen(self, before_open: Callable[[], object] | None = None) -> None:
        """Close the window's data (after any running backup), run `before_open` on the closed
        data, and show a new window on it. Data that then cannot be opened is the start-up
        problem dialog (whose restore offers the backup taken just before)."""
        old = self.window
        paths, demo, prompts = old.services.paths, old.demo, old.prompts
        key = old.services.data_key
        old.wait_for_checks()
        old.save_settings()
        old.auto_backup.on_close()  # the changes so far, backed up before the data closes
        old.hide()
        old.services.close()
        if before_open is not None:
            before_open()
        self._open_again(old, paths, demo, prompts, key)

    def _open_again(
        self, old: MainWindow, paths: AppPaths, demo: bool, prompts: Prompts, key: bytes
    ) -> None:
        while True:
            try:
                services = open_services(paths, key=key)
                break
            except (SecurityError, ServiceError, StorageError) as exc:
                if not recover_from(exc, paths, key, prompts):
                    QApplication.quit()
                    return
        self.window = MainWindow(services, prompts=prompts, demo=demo)
        self._connect(self.window)
        self.window.show()
        QTimer.singleShot(0, self.window.draft_flow.offer)
        old.deleteLater()

    def restore(self, info: object) -> None:
        """The window asked to restore this backup (a BackupInfo, confirmed by the user)."""
        if not isinstance(info, BackupInfo):
            return
        paths, key = self.window.services.paths, self.window.services.data_key
        prompts = self.window.prompts
        self.reopen(lambda: restore_backup(paths, key, info, prompts, None))


def run_gui(paths: AppPaths, *, demo: bool = False, exit_after_start: bool = False) -> int:
    """Run the desktop app until its window closes; with `exit_after_start`, end (0) as soon
    as the main window has painted its lists and score, to time start-up from outside."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    qInstallMessageHandler(_qt_message)
    # One app per data dir: a second start brings the open window forward instead (or says
    # why it could not), and ends.
    alone = single_instance.claim(AppPaths(paths.demo_data_dir) if demo else paths, Prompts())
    if isinstance(alone, int):
        return alone
    with alone:
        return _run_window(app, paths, demo, exit_after_start)


def show_window(
    window: MainWindow, after_first_frame: Callable[[], object] | None = None
) -> FirstPaint:
    """Show the main window with only what its first frame needs: the charts (reportlab and
    the PDF fonts) are drawn once that frame is out. Then `after_first_frame` runs, if given,
    instead of drawing them."""
    window.breadth_page.hold_charts()
    watch = on_first_paint(window, after_first_frame or window.breadth_page.release_charts)
    window.show()
    return watch


def _run_window(app: QApplication, paths: AppPaths, demo: bool, exit_after_start: bool) -> int:
    window = start_window(paths, demo=demo, checks="later")
    if window is None:
        return 0
    host = WindowHost(window)

    def after_first_frame() -> None:
        host.check_file()
        window.breadth_page.release_charts()
        window.show_startup_notice()
        data_dir_banner.show_if_at_risk(host.window)
        window.draft_flow.offer()  # drafts a crash left: Restore / Later

    def exit_once_loaded() -> None:  # start-up timed from outside: the lists and score shown
        after_start_painted(host.window, lambda: app.exit(0))

    show_window(window, exit_once_loaded if exit_after_start else after_first_frame)
    try:
        return app.exec()
    finally:
        host.window.wait_for_checks()
        host.window.services.close()
