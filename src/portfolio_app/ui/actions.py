"""One way to make a menu/toolbar action, so every window's actions behave alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


def make_action(
    parent: QObject, text: str, slot: Callable[[], Any], shortcut: Shortcut = None, tip: str = ""
) -> QAction:
    """An action calling `slot` (without Qt's `checked` argument), with shortcut and tooltip."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def command_name(action: QAction) -> str:
    """The action's text as a reader sees it: without its mnemonic marks ("&&" is a plain
    "&") and without a trailing "…" (an accessible name, the guide's shortcut list)."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
