"""Find widgets the way a screen reader would: by accessible name."""

from __future__ import annotations

from typing import TypeVar, overload

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

W = TypeVar("W", bound=QWidget)


def _all_widgets(root: QWidget) -> list[QWidget]:
    return [root, *root.findChildren(QWidget)]


@overload
def find_by_name(root: QWidget, name: str) -> QWidget: ...
@overload
def find_by_name(root: QWidget, name: str, kind: type[W]) -> W: ...
def find_by_name(root: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    """The one widget under `root` (or root itself) whose accessible name is `name`.

    Raises LookupError when none or several match, so tests catch duplicate names too."""
    found = [w for w in _all_widgets(root) if w.accessibleName() == name and isinstance(w, kind)]
    if not found:
        names = sorted({w.accessibleName() for w in _all_widgets(root) if w.accessibleName()})
        raise LookupError(f"no {kind.__name__} named {name!r}; names: {names}")
    if len(found) > 1:
        raise LookupError(f"{len(found)} widgets named {name!r}: {found}")
    return found[0]


def _is_internal_part(widget: QWidget) -> bool:
    """Parts of a compound widget (the line edit inside a date box, the popup list of a combo
    box): assistive tools announce the outer widget, which carries the name."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def walk_unnamed(root: QWidget) -> list[QWidget]:
    """Widgets a keyboard user can tab to that have no accessible name."""
    return [
        w
        for w in _all_widgets(root)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and not w.accessibleName().strip()
        and not _is_internal_part(w)
    ]
