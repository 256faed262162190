"""Start the desktop app: QApplication, services, main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from portfolio_app import APP_NAME, __version__
from portfolio_app.paths import AppPaths
from portfolio_app.services import open_services


def run_gui(paths: AppPaths) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    services = open_services(paths)
    window = QMainWindow()
    window.setWindowTitle(APP_NAME)
    label = QLabel("Portfolio", window)
    label.setAccessibleName("Welcome")
    window.setCentralWidget(label)
    window.show()
    try:
        return app.exec()
    finally:
        services.close()
