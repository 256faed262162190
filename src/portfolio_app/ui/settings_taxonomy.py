"""Settings → Taxonomy: which sector list is in force, where it came from, and (unless HR manages
it) installing another one, going back to the default, or opening the editor.

Installing shows what the new version changes before anything happens, and afterwards what moved
("3 organisations moved from Clinical commissioning groups to Integrated care boards").
`taxonomy_changed` tells the app to reopen its services with the new taxonomy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.paths import TAXONOMY_ENV
from portfolio_app.services import AppServices
from portfolio_app.services.errors import ServiceError
from portfolio_app.taxonomy import Taxonomy, TaxonomyError
from portfolio_app.taxonomy.loader import load_taxonomy
from portfolio_app.taxonomy.retirement import RetirementSummary
from portfolio_app.taxonomy.sources import SourceKind, TaxonomyInForce
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.taxonomy_editor import TaxonomyEditorWindow
from portfolio_app.ui.widgets.validation import error_style

SOURCE_NAMES = {
    SourceKind.ENVIRONMENT: f"Environment variable {TAXONOMY_ENV} (managed by HR)",
    SourceKind.HR_MANAGED: "HR-managed system file",
    SourceKind.USER_INSTALLED: "Installed by you",
    SourceKind.DEFAULT: "Shipped default",
}
JSON_FILTER = "Taxonomy files (*.json);;All files (*)"
MANAGED_STYLE = "font-weight: 600;"


def _value_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TaxonomySettingsPage(QWidget):
    """The taxonomy in force, and what this user may do about it."""

    taxonomy_changed = Signal()

    def __init__(
        self, services: AppServices, prompts: Prompts | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.prompts = prompts or Prompts()
        self.service = services.taxonomies
        self.editor: TaxonomyEditorWindow | None = None
        self.in_force: TaxonomyInForce | None = None
        self.last_summary: RetirementSummary | None = None
        self.setAccessibleName("Taxonomy settings")

        self.title_value = _value_label("Taxonomy title", self)
        self.version_value = _value_label("Taxonomy version", self)
        self.publisher_value = _value_label("Taxonomy publisher", self)
        self.date_value = _value_label("Taxonomy date", self)
        self.sectors_value = _value_label("Number of sectors", self)
        self.source_value = _value_label("Taxonomy source", self)
        self.path_value = _value_label("Taxonomy file", self)
        self.managed_label = _value_label("Managed by", self)
        self.managed_label.setStyleSheet(MANAGED_STYLE)
        self.managed_note = _value_label("Why it cannot be changed", self)
        self.managed_note.setText(
            "Your HR team sets the sectors on this computer, so they cannot be replaced or "
            "edited here. Ask them for any change."
        )
        self.warnings_label = _value_label("Taxonomy warnings", self)
        self.warnings_label.setStyleSheet(error_style())
        self.summary_label = _value_label("What moved", self)

        self.install_button = QPushButton("&Install taxonomy file…", self)
        self.install_button.setAccessibleName("Install taxonomy file")
        self.remove_button = QPushButton("&Remove installed taxonomy", self)
        self.remove_button.setAccessibleName("Remove installed taxonomy")
        self.edit_button = QPushButton("Open taxonomy &editor", self)
        self.edit_button.setAccessibleName("Open taxonomy editor")
        self.install_button.clicked.connect(self.install)
        self.remove_button.clicked.connect(self.remove)
        self.edit_button.clicked.connect(self.open_editor)

        form = QFormLayout()
        form.addRow("Title:", self.title_value)
        form.addRow("Version:", self.version_value)
        form.addRow("Publisher:", self.publisher_value)
        form.addRow("Date:", self.date_value)
        form.addRow("Sectors:", self.sectors_value)
        form.addRow("Source:", self.source_value)
        form.addRow("File:", self.path_value)
        buttons = QHBoxLayout()
        for button in (self.install_button, self.remove_button, self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        heading = QLabel("Sector taxonomy", self)
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        intro = QLabel(
            "The list of sectors that organisations are placed in. Your HR team may set it for "
            "everyone; otherwise you can install a file they send you.",
            self,
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.managed_label)
        layout.addWidget(self.managed_note)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.summary_label)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.refresh()

    # ----- showing the state -------------------------------------------------------------------

    def refresh(self) -> None:
        found = self.in_force = self.service.in_force()
        taxonomy = found.taxonomy
        self.title_value.setText(taxonomy.title)
        self.version_value.setText(taxonomy.version)
        self.publisher_value.setText(taxonomy.publisher or "(not given)")
        self.date_value.setText(taxonomy.date or "(not given)")
        self.sectors_value.setText(str(len(taxonomy.sectors)))
        self.source_value.setText(SOURCE_NAMES[found.source.kind])
        self.path_value.setText(str(found.source.path))

        managed = found.managed
        self.managed_label.setText(found.managed_by)
        self.managed_label.setVisible(managed)
        self.managed_note.setVisible(managed)
        why = f"{found.managed_by}: {self.managed_note.text()}"
        installed = found.source.kind is SourceKind.USER_INSTALLED
        self.install_button.setEnabled(not managed)
        self.edit_button.setEnabled(not managed)
        self.remove_button.setEnabled(not managed and installed)
        if managed:
            for button in (self.install_button, self.remove_button, self.edit_button):
                button.setToolTip(why)
        else:
            self.install_button.setToolTip(
                "Check a taxonomy file, see what it changes, and use it from now on"
            )
            self.edit_button.setToolTip("Edit a copy of the taxonomy in the taxonomy editor")
            self.remove_button.setToolTip(
                "Go back to the sectors shipped with Portfolio"
                if installed
                else "You have not installed a taxonomy: the shipped default is in use"
            )

        warnings = list(found.warnings)
        status = self.services.taxonomy_status
        if status is not None:
            warnings += [w for w in status.warnings if w not in warnings]
        self.warnings_label.setText("\n".join(f"Warning: {w}" for w in warnings))
        self.warnings_label.setVisible(bool(warnings))

        summary = self.last_summary
        if summary is None and status is not None and status.summary:
            summary = status.summary
            prefix = "When Portfolio started, the new taxonomy moved your data:"
        else:
            prefix = "The last change moved your data:"
        lines = summary.lines() if summary else []
        self.summary_label.setText("\n".join([prefix, *lines]) if lines else "")
        self.summary_label.setVisible(bool(lines))

    def _placed_with(self) -> Taxonomy:
        """The taxonomy the user's data is placed in now (what a new one is compared with)."""
        record = self.service.last_applied()
        return record.taxonomy if record is not None else self.services.taxonomy

    # ----- actions -----------------------------------------------------------------------------

    def install(self) -> bool:
        path = self.prompts.open_file(self, "Install taxonomy file", JSON_FILTER)
        if path is None:
            return False
        try:
            new = load_taxonomy(path)
        except TaxonomyError as exc:
            self.prompts.error(
                self,
                "Cannot install the taxonomy",
                f"{path.name} is not a usable taxonomy, so nothing was changed:\n\n"
                + "\n".join(f"• {p}" for p in exc.problems),
            )
            return False
        diff = self.service.diff(self._placed_with(), new)
        report = "\n".join(diff.lines())
        if any(r.blocks_install for r in diff.removed):
            self.prompts.error(
                self,
                "Cannot install the taxonomy",
                f"{report}\n\nIt removes sectors your data still uses without saying what "
                "replaces them, so nothing was changed. Ask whoever wrote the file to retire "
                "them with a replacement.",
            )
            return False
        if not self.prompts.confirm(
            self,
            "Install taxonomy",
            f"{report}\n\nInstall {new.title} {new.version}?",
            "Install",
        ):
            return False
        try:
            result = self.service.install_taxonomy(new)
        except (TaxonomyError, ServiceError) as exc:
            self.prompts.error(self, "Cannot install the taxonomy", str(exc))
            return False
        self._changed(
            result.summary,
            f"{new.title} {new.version} is installed and in use.",
        )
        return True

    def remove(self) -> bool:
        if not self.prompts.confirm(
            self,
            "Remove installed taxonomy",
            "Go back to the sectors shipped with Portfolio? Data in sectors the default does "
            "not have moves to their replacements.",
            "Remove",
        ):
            return False
        try:
            status = self.service.remove_installed()
        except (TaxonomyError, ServiceError) as exc:
            self.prompts.error(self, "Cannot remove the taxonomy", str(exc))
            return False
        taxonomy = status.taxonomy
        self._changed(status.summary, f"{taxonomy.title} {taxonomy.version} is in use again.")
        return True

    def _changed(self, summary: RetirementSummary, headline: str) -> None:
        self.last_summary = summary
        self.prompts.info(
            self,
            "Taxonomy changed",
            "\n".join([headline, "", *(summary.lines() or ["Nothing of yours had to move."])]),
        )
        self.refresh()
        self.taxonomy_changed.emit()

    def open_editor(self) -> TaxonomyEditorWindow | None:
        """A copy of the taxonomy in force in the editor, to save as a new file and install."""
        if self.in_force is None or self.in_force.managed:
            return None
        if self.editor is None:
            self.editor = TaxonomyEditorWindow(self.prompts, parent=self)
            self.editor.setWindowFlag(Qt.WindowType.Window)
            self.editor.destroyed.connect(self._editor_gone)
        if not self.editor.isVisible():
            self.editor.open_taxonomy_copy(self.in_force.taxonomy)
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()
        return self.editor

    def _editor_gone(self) -> None:
        self.editor = None
