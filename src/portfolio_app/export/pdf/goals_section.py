"""Development goals and progress: what the previous review agreed, and how far the work has since
reached each goal's sectors (a goal's progress is the coverage of its sectors in the score)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from portfolio_app.charts.fonts import Fonts
from portfolio_app.export.pdf.content import GoalEntry, PortfolioContent, ReviewEntry
from portfolio_app.export.pdf.flowables import heading, paragraph, sector_markup, text_paragraphs
from portfolio_app.export.pdf.styles import (
    HEADING,
    INK,
    POSITIVE_CSS,
    RULE,
    TINT,
    Styles,
    table_style,
)
from portfolio_app.export.periods import format_day


def progress_bar(now: float | None, then: float | None, fonts: Fonts, width: float = 80) -> Drawing:
    """A bar filled to `now` (0..1), with a tick where it stood at the review."""
    drawing = Drawing(width, 9)
    drawing.initialFontName = fonts.regular
    drawing.add(Rect(0, 1, width, 7, fillColor=TINT, strokeColor=None))
    if now:
        drawing.add(
            Rect(0, 1, width * min(max(now, 0.0), 1.0), 7, fillColor=HEADING, strokeColor=None)
        )
    if then is not None:
        x = width * min(max(then, 0.0), 1.0)
        drawing.add(Line(x, 0, x, 9, strokeColor=INK, strokeWidth=1.2))
    return drawing


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def goals_table(goals: tuple[GoalEntry, ...], styles: Styles, width: float, agreed: bool) -> Table:
    fonts = styles.fonts
    head = ["Goal", "Sectors", "Target date"]
    head += ["At review", "Now"] if agreed else ["Progress"]
    widths = (
        [width * 0.33, width * 0.25, width * 0.13, width * 0.1, width * 0.19]
        if agreed
        else [width * 0.38, width * 0.28, width * 0.14, width * 0.2]
    )
    rows: list[list[object]] = [[Paragraph(h, styles.cell_head) for h in head]]
    for goal in goals:
        title = paragraph(goal.title, styles.cell_bold, fonts)
        cell: list[Flowable] = [title]
        if goal.achieved:
            cell.append(Paragraph(f'<font color="{POSITIVE_CSS}">✓ Achieved</font>', styles.cell))
        if goal.notes.strip():
            cell += text_paragraphs(goal.notes, styles.cell, fonts, light=False)  # in a table
        sectors = Paragraph(
            sector_markup([s.sector for s in goal.sectors], fonts, "<br/>"), styles.cell
        )
        target = Paragraph(format_day(goal.target_date) if goal.target_date else "–", styles.cell)
        now = [
            progress_bar(
                goal.progress, goal.progress_at_review if agreed else None, fonts, widths[-1] - 8
            ),
            Paragraph(f"{_percent(goal.progress)} coverage", styles.cell),
        ]
        row: list[object] = [cell, sectors, target]
        if agreed:
            row.append(Paragraph(_percent(goal.progress_at_review), styles.cell))
        row.append(now)
        rows.append(row)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        table_style(
            fonts,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HEADING),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ],
        )
    )
    return table


def previous_review_flowables(review: ReviewEntry, styles: Styles, width: float) -> list[Flowable]:
    fonts = styles.fonts
    who = review.reviewer_name + (f", {review.reviewer_role}" if review.reviewer_role else "")
    story: list[Flowable] = [
        heading(
            f"The last review: {format_day(review.held_on)}",
            styles.h2,
            fonts,
            "previous-review",
            1,
        ),
        paragraph(f"Reviewer: {who}", styles.meta, fonts),
    ]
    if review.comments.strip():
        story.append(Paragraph("Reviewer's comments", styles.label))
        story += text_paragraphs(review.comments, styles.quote, fonts)
    if review.goals:
        story += [
            Spacer(1, 4),
            Paragraph("Objectives agreed at that review, and progress since", styles.h3),
            goals_table(review.goals, styles, width, agreed=True),
            Paragraph(
                "Progress is the coverage of the goal's sectors in the breadth score "
                "(the mean, if a goal names several). The tick on each bar marks where it "
                "stood on the day of the review.",
                styles.muted,
            ),
        ]
    else:
        story.append(Paragraph("No objectives were recorded at that review.", styles.body))
    return story


def goals_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    fonts = styles.fonts
    story: list[Flowable] = [heading("Development goals", styles.h1, fonts, "goals")]
    if content.previous_review is None and not content.goals:
        story.append(
            Paragraph(
                "No development goals or reviews are recorded yet. Once objectives agreed at "
                "this appraisal are recorded, the next portfolio shows progress against them.",
                styles.body,
            )
        )
        return story
    if content.previous_review is not None:
        story += previous_review_flowables(content.previous_review, styles, width)
    if content.goals:
        story += [
            heading("Other development goals", styles.h2, fonts, "other-goals", 1),
            goals_table(content.goals, styles, width, agreed=False),
        ]
    return story
