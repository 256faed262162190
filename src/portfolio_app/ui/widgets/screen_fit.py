"""Sizes that fit the screen a window is on (council laptops are often 1366x768 or smaller)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget


def fitted_size(widget: QWidget, width: int, height: int) -> QSize:
    """`width` x `height`, or less where the screen's free area is smaller (never off its
    edges)."""
    screen = widget.screen()
    if screen is None:
        return QSize(width, height)
    available = screen.availableGeometry()
    return QSize(min(width, available.width()), min(height, available.height()))
