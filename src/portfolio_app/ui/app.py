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
from portfolio_app.services import AppServices, open_services
from portfolio_app.services.sample_data import populate_demo
from portfolio_app.ui.first_run import FirstRunChoice, FirstRunDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.prompts import Prompts

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
    services = open_services(demo_paths)
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
    """Open the data, run the first-run set-up if needed, and return the main window (or None)."""
    if demo:
        return MainWindow(open_demo(paths), prompts=prompts, demo=True)
    services = open_services(paths)
    if services.profile.get() is None:
        dialog = FirstRunDialog(services.taxonomy)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            services.close()
            return None
        if dialog.choice is FirstRunChoice.DEMO:
            services.close()
            return MainWindow(open_demo(paths), prompts=prompts, demo=True)
        values = dialog.values()
        services.profile.set_up(
            name=values["name"],
            role=values["role"],
            organisation=values["organisation"],
            sector=values["sector"],
        )
    return MainWindow(services, prompts=prompts)


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
        self.window = MainWindow(open_services(paths), prompts=prompts, demo=demo)
        self.window.reopen_requested.connect(self.reopen)
        self.window.show()
        old.deleteLater()


def run_gui(paths: AppPaths, *, demo: bool = False) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    qInstallMessageHandler(_qt_message)
    window = start_window(paths, demo=demo)
    if window is None:
        return 0
    host = WindowHost(window)
    window.show()
    QTimer.singleShot(0, window.show_startup_notice)
    try:
        return app.exec()
    finally:
        host.window.services.close()
