"""First run: a short set-up of the profile, or a demo profile with sample data to explore."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.unlock_dialogs import NewPassphraseFields
from portfolio_app.ui.widgets.sector_picker import SectorPicker
from portfolio_app.ui.widgets.validation import error_style


class FirstRunChoice(Enum):
    SET_UP = "set-up"
    DEMO = "demo"


class FirstRunDialog(QDialog):
    """The profile, and (the very first time, `ask_passphrase`) the passphrase that encrypts
    the data, with "Remember on this device" (on by default)."""

    def __init__(
        self, taxonomy: Taxonomy, parent: QWidget | None = None, *, ask_passphrase: bool = False
    ) -> None:
        super().__init__(parent)
        self.choice: FirstRunChoice | None = None
        self.ask_passphrase = ask_passphrase
        self.setWindowTitle("Welcome to Portfolio")
        self.setAccessibleName("Welcome to Portfolio")

        intro = QLabel(
            "<h2>Welcome to Portfolio</h2>"
            "<p>Keep a private log of the work you do across organisational boundaries — "
            "secondments, mentoring, shadowing, events and joint projects — and see how broad "
            "your network is across sectors.</p>"
            "<p>Everything stays on this computer, encrypted. Tell us a little about you to "
            "start.</p>",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("Introduction")

        self.name = QLineEdit(self)
        self.name.setAccessibleName("Your name")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Your role")
        self.role.setPlaceholderText("e.g. Senior social worker")
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName("Home organisation")
        self.organisation.setPlaceholderText("e.g. Northshire County Council")
        self.sector = SectorPicker(taxonomy, parent=self)
        self.sector.setAccessibleName("Home sector")
        self.sector.setMinimumHeight(200)

        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("Home &organisation:", self.organisation)
        form.addRow("Its &sector:", self.sector)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and field is not None:
                label_widget, field_widget = label.widget(), field.widget()
                if isinstance(label_widget, QLabel) and field_widget is not None:
                    label_widget.setBuddy(field_widget)

        self.passphrase = NewPassphraseFields(self, label="Passphrase")
        self.passphrase.setAccessibleName("Choose a passphrase")
        self.remember = QCheckBox("&Remember on this device", self)
        self.remember.setAccessibleName("Remember on this device")
        self.remember.setChecked(True)
        self.remember.setToolTip(
            "Keep the key in this computer's password store, so Portfolio opens without asking"
        )
        passphrase_intro = QLabel(
            "Your portfolio is encrypted with a passphrase you choose. You will also get a "
            "recovery code, in case you forget it.",
            self,
        )
        passphrase_intro.setWordWrap(True)
        passphrase_intro.setAccessibleName("About the passphrase")
        for widget in (passphrase_intro, self.passphrase, self.remember):
            widget.setVisible(ask_passphrase)

        self.problem = QLabel(self)
        self.problem.setAccessibleName("Set-up problems")
        self.problem.setStyleSheet(error_style())

        buttons = QDialogButtonBox(self)
        buttons.setAccessibleName("Dialog buttons")
        self.start_button = buttons.addButton(
            "Start my portfolio", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setAccessibleName("Start my portfolio")
        self.start_button.setDefault(True)
        self.demo_button: QPushButton = buttons.addButton(
            "Explore with sample data", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.demo_button.setAccessibleName("Explore with sample data")
        self.demo_button.setToolTip(
            "Opens a demo profile with made-up data, kept apart from your own portfolio"
        )
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.start_button.clicked.connect(self._start)
        self.demo_button.clicked.connect(self._demo)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(passphrase_intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.remember)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        for edit in (self.name, self.organisation):
            edit.textChanged.connect(self._validate)
        self.sector.selectionChanged.connect(self._validate)
        self.passphrase.first.textChanged.connect(self._validate)
        self.passphrase.second.textChanged.connect(self._validate)
        self._validate()
        self.resize(560, 620)

    def problems(self) -> list[str]:
        problems = []
        if not self.name.text().strip():
            problems.append("Your name is required")
        if not self.organisation.text().strip():
            problems.append("Your home organisation is required")
        if not self.sector.selected_ids():
            problems.append("Choose your organisation's sector")
        if self.ask_passphrase:
            problem = self.passphrase.problem_text()
            if problem is not None:
                problems.append(problem.rstrip("."))
        return problems

    def _validate(self) -> None:
        problems = self.problems()
        self.start_button.setEnabled(not problems)
        self.start_button.setToolTip("; ".join(problems) if problems else "")
        self.problem.setText("")

    def _start(self) -> None:
        if self.problems():
            self.problem.setText("; ".join(self.problems()))
            return
        self.choice = FirstRunChoice.SET_UP
        self.accept()

    def _demo(self) -> None:
        self.choice = FirstRunChoice.DEMO
        self.accept()

    def values(self) -> dict[str, str]:
        return {
            "name": self.name.text().strip(),
            "role": self.role.text().strip(),
            "organisation": self.organisation.text().strip(),
            "sector": self.sector.selected_ids()[0] if self.sector.selected_ids() else "",
        }

    def chosen_passphrase(self) -> str:
        return self.passphrase.value()
