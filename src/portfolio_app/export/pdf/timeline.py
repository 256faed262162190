"""The timeline: every activity of the period in one compact table, oldest first."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from portfolio_app.domain.enums import Status
from portfolio_app.export.pdf.content import PortfolioContent
from portfolio_app.export.pdf.light_table import Cell, Column, LightTable
from portfolio_app.export.pdf.styles import Styles
from portfolio_app.export.periods import format_span

COLUMNS = (
    Column("When", 0.18),
    Column("Type", 0.15),
    Column("Activity", 0.42),
    Column("Sectors", 0.25),
)


def timeline_rows(content: PortfolioContent) -> list[list[Cell]]:
    return [
        [
            format_span(a.start, a.end),
            a.type.label,
            a.title + (" (planned)" if a.status is Status.PLANNED else ""),
            a.sectors,
        ]
        for a in content.activities
    ]


def timeline_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Timeline", styles.h2)]
    if not content.activities:
        story.append(Paragraph("No activities are shared for this period.", styles.body))
        return story
    story.append(LightTable(COLUMNS, timeline_rows(content), styles.fonts))
    return story
