"""Show a chart of the PDF (a reportlab Drawing) on screen, through its SVG and QtSvg.

The charts are drawn once, in portfolio_app.charts, so the dashboard shows exactly
what the manager reads on paper. Two things in reportlab's SVG need adapting for QtSvg:
- the whole drawing is clipped with a top-level <clipPath>, which QtSvg paints as a black
  rectangle unless it sits inside <defs>;
- text names the fonts registered with reportlab (PortfolioSans, ...), which Qt does not know:
  the same TrueType files are added to Qt's font database and the names mapped to them;
- an unfilled line says `fill: None`; browsers read CSS keywords in any case, QtSvg only
  lower case (and would fill the area under a trend line black).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPaintEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

from portfolio_app.charts.font_names import (
    BOLD,
    BOLD_ITALIC,
    FALLBACK,
    FALLBACK_FILE,
    FAMILY_FILES,
    ITALIC,
    REGULAR,
    fonts_dir,
)
from portfolio_app.ui.colours import CHART_PAPER, is_dark

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

log = logging.getLogger(__name__)

# On screen a chart is drawn a little larger than on paper (1 pt = 1.33 px at 96 dpi), so its
# 8 pt labels stay readable.
SCREEN_SCALE = 1.4
_STYLES = {
    REGULAR: "",
    BOLD: " font-weight: bold;",
    ITALIC: " font-style: italic;",
    BOLD_ITALIC: " font-weight: bold; font-style: italic;",
    FALLBACK: "",
}
_FONT_RE = re.compile(
    r"font-family: ?("
    + "|".join(re.escape(n) for n in sorted(_STYLES, key=len, reverse=True))
    + ");"
)
_CLIP_RE = re.compile(r"(<clipPath\b.*?</clipPath>)", re.DOTALL)
_NONE_RE = re.compile(r"\b(fill|stroke): ?None\b")
_EMPTY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" viewBox="0 0 1 1"/>'
_families: dict[str, str] | None = None


def _qt_families() -> dict[str, str]:
    """reportlab font name -> the Qt family of the same file (added once, when first needed)."""
    global _families
    if _families is None:
        folder = fonts_dir()
        files = {**FAMILY_FILES, FALLBACK: FALLBACK_FILE}
        found: dict[str, str] = {}
        for name, filename in files.items():
            font_id = QFontDatabase.addApplicationFont(str(folder / filename))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                found[name] = families[0]
            else:
                log.warning("could not load the chart font %s", folder / filename)
        _families = found
    return _families


def qt_svg(svg: bytes) -> bytes:
    """reportlab's SVG, adapted so that QtSvg draws it as a browser or the PDF would."""
    text = svg.decode("utf-8")
    text = _CLIP_RE.sub(r"<defs>\1</defs>", text, count=1)
    text = _NONE_RE.sub(r"\1: none", text)
    families = _qt_families()

    def font(match: re.Match[str]) -> str:
        name = match.group(1)
        family = families.get(name) or families.get(REGULAR)
        if family is None:
            return match.group(0)
        return f"font-family: '{family}';{_STYLES[name]}"

    return _FONT_RE.sub(font, text).encode("utf-8")


class SvgChart(QSvgWidget):
    """A chart drawing shown at its aspect ratio; `svg` is the exact SVG of the drawing."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.drawing: Drawing | None = None
        self.svg = b""
        self._points = QSize(0, 0)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)

    def set_drawing(self, drawing: Drawing, description: str) -> None:
        """Show `drawing`; `description` says in words what it shows (for screen readers and
        as the tooltip)."""
        from portfolio_app.charts.score_charts import drawing_to_svg

        self.drawing = drawing
        self.svg = drawing_to_svg(drawing)
        self.load(QByteArray(qt_svg(self.svg)))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self._points = QSize(round(drawing.width), round(drawing.height))
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.setMinimumSize(self._points)
        self.updateGeometry()
        self.update()

    def clear(self, description: str = "") -> None:
        self.drawing = None
        self.svg = b""
        self.load(QByteArray(_EMPTY_SVG))
        self._points = QSize(0, 0)
        self.setMinimumSize(0, 0)
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        """On a dark palette the chart sits on a sheet of its paper colour: it is drawn for
        the PDF (dark ink on white), and its navy and grey would vanish on a dark window."""
        if not self._points.isEmpty() and is_dark(self.palette()):
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor(CHART_PAPER))
            painter.end()
        super().paintEvent(event)

    def sizeHint(self) -> QSize:
        if self._points.isEmpty():
            return QSize(200, 100)
        return self._points * SCREEN_SCALE

    def hasHeightForWidth(self) -> bool:
        return not self._points.isEmpty()

    def heightForWidth(self, width: int) -> int:
        if self._points.isEmpty():
            return super().heightForWidth(width)
        return round(width * self._points.height() / self._points.width())
