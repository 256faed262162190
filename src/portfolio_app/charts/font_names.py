"""The names and files of the embedded fonts, without loading reportlab: the screen registers
the same files with Qt (ui.dashboard.svg_chart) and maps these names to them."""

from __future__ import annotations

from pathlib import Path

from portfolio_app.paths import resources_dir

REGULAR = "PortfolioSans"
BOLD = "PortfolioSans-Bold"
ITALIC = "PortfolioSans-Italic"
BOLD_ITALIC = "PortfolioSans-BoldItalic"
FALLBACK = "PortfolioFallback"

FAMILY_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
FALLBACK_FILE = "DroidSansFallback.ttf"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"
