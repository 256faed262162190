"""Tools → Settings: the pages of settings (the sector taxonomy in force, privacy)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from portfolio_app.services import AppServices
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.settings_security import SecuritySettingsPage
from portfolio_app.ui.settings_taxonomy import TaxonomySettingsPage


class SettingsDialog(QDialog):
    taxonomy_changed = Signal()

    def __init__(
        self, services: AppServices, prompts: Prompts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Settings pages")
        self.taxonomy_page = TaxonomySettingsPage(services, prompts, self)
        self.taxonomy_page.taxonomy_changed.connect(self.taxonomy_changed)
        self.tabs.addTab(self.taxonomy_page, "&Taxonomy")
        self.security_page = SecuritySettingsPage(services, prompts, self)
        self.tabs.addTab(self.security_page, "&Privacy")
        self.tabs.tabBar().setAccessibleName("Settings sections")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.setAccessibleName("Dialog buttons")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)
