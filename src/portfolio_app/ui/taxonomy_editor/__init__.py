"""The taxonomy editor: HR's window for writing the sector list (Tools → Taxonomy editor, and
`portfolio-app taxonomy edit [FILE]`)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from portfolio_app import APP_NAME, __version__
from portfolio_app.ui.taxonomy_editor.window import TaxonomyEditorWindow

__all__ = ["TaxonomyEditorWindow", "open_editor", "run_editor"]


def open_editor(path: Path | None) -> TaxonomyEditorWindow:
    """The editor on `path` (a new taxonomy saved there if it does not exist yet), shown."""
    window = TaxonomyEditorWindow()
    if path is not None and path.exists():
        window.open_path(path)
    elif path is not None:
        window.new_document(path)
    window.show()
    return window


def run_editor(path: Path | None) -> int:
    """`portfolio-app taxonomy edit [FILE]`: the editor as an application of its own."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    window = open_editor(path)  # kept referenced while the event loop runs
    code = app.exec()
    del window
    return code
