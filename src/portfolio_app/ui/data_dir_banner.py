"""A banner at the top of the window when the data dir is on a network or cloud-synced folder
(services/data_dir_check.py says why): shown once per start, never in the way."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QPushButton

from portfolio_app.services.data_dir_check import check_data_dir

if TYPE_CHECKING:
    from portfolio_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

BANNER_NAME = "Data folder warning"


def show_if_at_risk(window: MainWindow) -> QFrame | None:
    """Put the warning above the window's pages when its data dir is at risk; None if not."""
    warning = check_data_dir(window.services.paths.data_dir)
    if warning is None:
        return None
    log.warning("Data folder at risk: %s", warning.reason)
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if not isinstance(layout, QBoxLayout):
        window.statusBar().showMessage(warning.sentence)
        return None
    banner = QFrame(central)
    banner.setAccessibleName(BANNER_NAME)
    banner.setAutoFillBackground(True)
    banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)  # the theme's note colours
    banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
    row = QHBoxLayout(banner)
    row.setContentsMargins(10, 6, 10, 6)
    text = QLabel(warning.sentence, banner)
    text.setWordWrap(True)
    text.setAccessibleName("Data folder warning text")
    row.addWidget(text, 1)
    dismiss = QPushButton("Dismiss", banner)
    dismiss.setAccessibleName("Dismiss the data folder warning")
    dismiss.clicked.connect(banner.hide)
    row.addWidget(dismiss)
    layout.insertWidget(0, banner)
    return banner
