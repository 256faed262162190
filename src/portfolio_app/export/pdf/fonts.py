"""The PDF's fonts are the charts' (the dashboard registers the same files with Qt): they live
in portfolio_app.charts.fonts (names kept here for modules that import them from the PDF)."""

from portfolio_app.charts.fonts import (
    BOLD,
    BOLD_ITALIC,
    FALLBACK,
    FALLBACK_FILE,
    FAMILY_FILES,
    ITALIC,
    REGULAR,
    SYSTEM_FALLBACKS,
    FontError,
    Fonts,
    describe_char,
    fonts_dir,
)

__all__ = [
    "BOLD",
    "BOLD_ITALIC",
    "FALLBACK",
    "FALLBACK_FILE",
    "FAMILY_FILES",
    "ITALIC",
    "REGULAR",
    "SYSTEM_FALLBACKS",
    "FontError",
    "Fonts",
    "describe_char",
    "fonts_dir",
]
