"""Start the desktop app: QApplication, logging, first run, services, main window."""

from __future__ import annotations

import logging
import shutil
import sys
from datetime import date

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog

from portfolio_app import APP_ID, APP_NAME, __version__
from portfolio_app.paths import AppPaths
from portfolio_app.security.errors import SecurityError
from portfolio_app.services import AppServices, ServiceError, open_services, vault
from portfolio_app.services.sample_data import populate_demo
from portfolio_app.storage.errors import StorageError
from portfolio_app.taxonomy.sources import find_taxonomy
from portfolio_app.ui import data_dir_banner, single_instance
from portfolio_app.ui.first_run import FirstRunChoice, FirstRunDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.prompts import Prompts
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
    paths: AppPaths, *, demo: bool = False, prompts: Prompts | None = None
) -> MainWindow | None:
    """Unlock the data (or set it up the first time), run the profile set-up if needed, and
    return the main window; None when the user quits or the data cannot be opened (said why)."""
    prompts = prompts or Prompts()
    if demo:
        return MainWindow(open_demo(paths), prompts=prompts, demo=True)
    try:
        if not vault.is_set_up(paths) and not paths.database.exists():
            return _first_run(paths, prompts)
        key = unlock_data(paths, prompts)
        if key is None:
            return None
        services = open_services(paths, key=key)
    except (SecurityError, ServiceError, StorageError) as exc:
        prompts.error(None, "Portfolio cannot open your data", str(exc))
        return None
    if services.profile.get() is None:
        dialog = FirstRunDialog(services.taxonomy)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            services.close()
            return None
        if dialog.choice is FirstRunChoice.DEMO:
            services.close()
            return MainWindow(open_demo(paths), prompts=prompts, demo=True)
        _set_up_profile(services, dialog)
    return MainWindow(services, prompts=prompts)


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
    """Keeps the main window alive, and rebuilds it on fresh services when asked to."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        window.reopen_requested.connect(self.reopen)

    def reopen(self) -> None:
        old = self.window
        paths, demo, prompts = old.services.paths, old.demo, old.prompts
        old.save_settings()
        old.hide()
        old.services.close()
        key = old.services.data_key
        self.window = MainWindow(open_services(paths, key=key), prompts=prompts, demo=demo)
        self.window.reopen_requested.connect(self.reopen)
        self.window.show()
        QTimer.singleShot(0, self.window.draft_flow.offer)
        old.deleteLater()


def run_gui(paths: AppPaths, *, demo: bool = False) -> int:
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
        return _run_window(app, paths, demo)


def _run_window(app: QApplication, paths: AppPaths, demo: bool) -> int:
    window = start_window(paths, demo=demo)
    if window is None:
        return 0
    host = WindowHost(window)
    window.show()
    QTimer.singleShot(0, window.show_startup_notice)
    QTimer.singleShot(0, lambda: data_dir_banner.show_if_at_risk(host.window))
    QTimer.singleShot(0, window.draft_flow.offer)  # drafts a crash left: Restore / Later
    try:
        return app.exec()
    finally:
        host.window.services.close()
