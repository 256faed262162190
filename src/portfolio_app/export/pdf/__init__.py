"""The PDF portfolio: `export_pdf(services, ExportOptions(...), path)`.

`content` builds what goes in without reportlab, from what `portfolio_app.export.selection` (the
one rule for every export) lets an export contain; the other modules lay
it out: `cover`, `summary_page`, `timeline`, `activities_section`, `lessons`, `goals_section`,
`review_page`, `appendix`, with `charts`, `fonts` and `styles`; `document` assembles and writes.
"""

from portfolio_app.charts.fonts import FontError, Fonts
from portfolio_app.export.pdf.content import (
    ExportOptions,
    Paper,
    PortfolioContent,
    build_content,
)
from portfolio_app.export.pdf.document import ExportResult, export_pdf, render_pdf
from portfolio_app.export.periods import Period
from portfolio_app.export.selection import Selection, default_selection, find_candidates

__all__ = [
    "ExportOptions",
    "ExportResult",
    "FontError",
    "Fonts",
    "Paper",
    "Period",
    "PortfolioContent",
    "Selection",
    "build_content",
    "default_selection",
    "export_pdf",
    "find_candidates",
    "render_pdf",
]
