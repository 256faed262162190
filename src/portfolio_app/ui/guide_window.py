"""Help → Guide (F1): the short user guide shipped with the app (resources/guide/guide.md),
shown offline, followed by the window's keyboard shortcuts as its menus have them (so the list
is never out of step with the commands)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from portfolio_app.paths import resources_dir
from portfolio_app.ui.actions import command_name
from portfolio_app.ui.widgets.screen_fit import fitted_size

GUIDE_FILE = ("guide", "guide.md")


def guide_text() -> str:
    """The guide's Markdown, as shipped."""
    return resources_dir().joinpath(*GUIDE_FILE).read_text(encoding="utf-8")


def shortcuts_markdown(actions: Iterable[QAction]) -> str:
    """A table of each action's name and shortcut, in the order given, once each."""
    rows: list[str] = []
    seen: set[str] = set()
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        name = command_name(action)
        if not keys or not name or name in seen:
            continue
        seen.add(name)
        rows.append(f"| {name} | {' or '.join(keys)} |")
    return "\n".join(["## Keyboard shortcuts", "", "| Command | Keys |", "|---|---|", *rows])


class GuideWindow(QDialog):
    """The guide, not modal: it can stay open beside the window while the user works."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Portfolio guide")
        self.setAccessibleName("User guide")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Guide text")
        self.text.setOpenLinks(False)  # nothing is fetched: the guide has no links to follow
        self.text.setMarkdown(guide_text() + "\n\n" + shortcuts_markdown(actions))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(fitted_size(self, 640, 540))  # fits a 1024x600 screen with a taskbar
