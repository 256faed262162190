"""The PDF's charts are the dashboard's: they live in portfolio_app.charts (names kept here for
modules that import them from the PDF package)."""

from portfolio_app.charts.palette import colour
from portfolio_app.charts.score_charts import (
    add_text,
    colour_swatch,
    drawing_to_svg,
    fit_text,
    sector_bars,
    sector_radar,
    trend_line,
)

__all__ = [
    "add_text",
    "colour",
    "colour_swatch",
    "drawing_to_svg",
    "fit_text",
    "sector_bars",
    "sector_radar",
    "trend_line",
]
