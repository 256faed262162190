"""The PDF portfolio: `export_pdf(services, ExportOptions(...), path)`.

`content` decides what goes in (and so enforces privacy) without reportlab; the other modules lay
it out: `cover`, `summary_page`, `timeline`, `activities_section`, `lessons`, `goals_section`,
`review_page`, `appendix`, with `charts`, `fonts` and `styles`; `document` assembles and writes.
"""

from portfolio_app.export.pdf.content import (
    ExportOptions,
    Paper,
    PortfolioContent,
    Selection,
    build_content,
    default_selection,
    find_candidates,
)
from portfolio_app.export.pdf.document import ExportResult, export_pdf, render_pdf
from portfolio_app.export.pdf.fonts import FontError, Fonts
from portfolio_app.export.periods import Period

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
