"""The few colours the app picks itself (error red, the score's blue, the banners, the lesson
badges), each with a shade for light palettes and one for dark ones; everything else follows
the palette. The shade is chosen from the palette in use when a widget is styled, so text
stays readable in a dark or high-contrast system theme. tests/ui/test_colours.py checks every
pair against WCAG AA (4.5:1 for text) on both kinds of palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class Shade:
    """One colour's two shades: for light palettes and for dark ones."""

    light: str
    dark: str

    def on(self, palette: QPalette | None = None) -> str:
        return self.dark if is_dark(palette) else self.light

    def colour(self, palette: QPalette | None = None) -> QColor:
        return QColor(self.on(palette))


# Text drawn on the palette's own window or base colour.
ERROR = Shade("#b3261e", "#ffb4ab")  # validation messages, problems
SUCCESS = Shade("#1b6e2d", "#8bd89a")  # "no problems"
SCORE = Shade("#1f3a5f", "#a8c8fa")  # the Breadth page's big score
UNCHOSEN = Shade("#5f5f5f", "#b8b8b8")  # a table cell still to fill in (with italics)


@dataclass(frozen=True)
class Pair:
    """Text on a background of the app's own choosing (a banner, a badge, a marked row)."""

    text: Shade
    background: Shade

    def style(self, extra: str = "", palette: QPalette | None = None) -> str:
        return f"background: {self.background.on(palette)}; color: {self.text.on(palette)};" + (
            f" {extra}" if extra else ""
        )


DEMO_BANNER = Pair(Shade("#5c4500", "#ffe08a"), Shade("#fff3c4", "#3d3200"))
READ_ONLY_BANNER = Pair(Shade("#6b1a14", "#ffd7d2"), Shade("#fde2e1", "#4a1511"))
PRIVATE_BADGE = Pair(Shade("#444444", "#e0e0e0"), Shade("#e8e8e8", "#3c3c3c"))
SHARED_BADGE = Pair(Shade("#0b5d1e", "#b7f0c2"), Shade("#dff3e3", "#173d20"))
# A table row marked as wrong: the palette's own text (like these shades) on its background.
ERROR_ROW = Pair(Shade("#1b1b1b", "#f2f2f2"), Shade("#fde7e9", "#4f2327"))

# The charts are drawn for paper (charts/palette.py: dark ink on white); on a dark palette the
# screen shows them on a sheet of that white (ui/dashboard/svg_chart.py), not on the window.
CHART_PAPER = "#ffffff"

TEXT_SHADES = {"error": ERROR, "success": SUCCESS, "score": SCORE, "unchosen": UNCHOSEN}
PAIRS = {
    "demo banner": DEMO_BANNER,
    "read-only banner": READ_ONLY_BANNER,
    "private badge": PRIVATE_BADGE,
    "shared badge": SHARED_BADGE,
    "error row": ERROR_ROW,
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether `palette` (the application's, if None) has a dark window colour."""
    if palette is None:
        app = QGuiApplication.instance()
        palette = app.palette() if isinstance(app, QGuiApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def text_style(shade: Shade, palette: QPalette | None = None) -> str:
    """A label's style sheet: its text in `shade` for the palette in use."""
    return f"color: {shade.on(palette)};"


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def dark_palette() -> QPalette:
    """A dark palette as desktops ship them (window #2b2b2b, base #1e1e1e, text near white):
    what the tests check these colours against, and what `make screenshots` shows."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.PlaceholderText: "#a0a0a0",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette
