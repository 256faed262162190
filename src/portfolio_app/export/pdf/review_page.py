"""The review page: a form for the appraisal itself, printed for the reviewer to write on."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from portfolio_app.charts.fonts import Fonts
from portfolio_app.export.pdf.content import PortfolioContent
from portfolio_app.export.pdf.flowables import heading, paragraph
from portfolio_app.export.pdf.styles import HEADING, MUTED, RULE, Styles, table_style
from portfolio_app.export.periods import format_day

OBJECTIVE_ROWS = 4
COMMENT_LINES = 9
LINE_HEIGHT = 20


def _ruled_box(lines: int, width: float, fonts: Fonts) -> Table:
    """Blank lines to write on."""
    table = Table([[""] for _ in range(lines)], colWidths=[width], rowHeights=LINE_HEIGHT)
    table.setStyle(
        table_style(
            fonts,
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("BOX", (0, 0), (-1, -1), 0.8, MUTED),
            ],
        )
    )
    return table


def review_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    fonts = styles.fonts
    story: list[Flowable] = [
        PageBreak(),
        heading("Appraisal review", styles.h1, fonts, "review"),
        paragraph(
            f"For the reviewer of {content.person.name}'s portfolio for "
            f"{content.period.label()}. Please write your comments and the objectives you "
            "agree below, and sign.",
            styles.body,
            fonts,
        ),
        Spacer(1, 4),
        Paragraph("Reviewer's comments", styles.h3),
        _ruled_box(COMMENT_LINES, width, fonts),
        Spacer(1, 8),
        Paragraph("Objectives agreed", styles.h3),
        Paragraph(
            "Development goals for the coming period, for example a sector to reach through a "
            "secondment, shadowing or a joint project.",
            styles.muted,
        ),
    ]
    head = [
        Paragraph("Objective", styles.cell_head),
        Paragraph("Sectors to reach", styles.cell_head),
        Paragraph("Target date", styles.cell_head),
    ]
    objectives = Table(
        [head] + [["", "", ""] for _ in range(OBJECTIVE_ROWS)],
        colWidths=[width * 0.5, width * 0.3, width * 0.2],
        rowHeights=[None] + [LINE_HEIGHT * 1.6] * OBJECTIVE_ROWS,
    )
    objectives.setStyle(
        table_style(
            fonts,
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HEADING),
                ("GRID", (0, 1), (-1, -1), 0.5, RULE),
                ("BOX", (0, 1), (-1, -1), 0.8, MUTED),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ],
        )
    )
    story += [objectives, Spacer(1, 12), Paragraph("Signatures", styles.h3)]
    label = styles.cell_head
    signatures = Table(
        [
            [
                Paragraph("", label),
                Paragraph("Name", label),
                Paragraph("Role", label),
                Paragraph("Signature", label),
                Paragraph("Date", label),
            ],
            [
                Paragraph("Member of staff", styles.cell_bold),
                paragraph(content.person.name, styles.cell, fonts),
                paragraph(content.person.role, styles.cell, fonts),
                "",
                "",
            ],
            [Paragraph("Reviewer", styles.cell_bold), "", "", "", ""],
        ],
        colWidths=[width * 0.17, width * 0.23, width * 0.23, width * 0.22, width * 0.15],
        rowHeights=[None, LINE_HEIGHT * 1.8, LINE_HEIGHT * 1.8],
    )
    signatures.setStyle(
        table_style(
            fonts,
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HEADING),
                ("GRID", (1, 1), (-1, -1), 0.5, RULE),
                ("BOX", (1, 1), (-1, -1), 0.8, MUTED),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ],
        )
    )
    story += [
        signatures,
        Spacer(1, 10),
        Paragraph(
            f"Portfolio exported on {format_day(content.export_date)}. Once this review is "
            "recorded, the reviewer's comments and the agreed objectives appear in the next "
            "portfolio, with progress against each objective.",
            styles.muted,
        ),
    ]
    return story
