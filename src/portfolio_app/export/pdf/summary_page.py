"""Page 2: the summary a manager reads first: the score and its figures, coverage by sector, the
trend, and the period's totals next to the period before."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from portfolio_app.charts.score_charts import sector_bars, trend_line
from portfolio_app.export.pdf.content import PortfolioContent
from portfolio_app.export.pdf.flowables import heading
from portfolio_app.export.pdf.styles import (
    HEADING,
    INK_CSS,
    MUTED_CSS,
    NEGATIVE_CSS,
    POSITIVE_CSS,
    RULE,
    TINT,
    Styles,
    table_style,
)
from portfolio_app.export.periods import format_day


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _change(now: float, before: float) -> tuple[str, str]:
    """('+3', colour) style text for a change, or an en dash for none."""
    diff = now - before
    if abs(diff) < 0.05:
        return "–", MUTED_CSS
    if diff > 0:
        return f"+{_number(diff)}", POSITIVE_CSS
    return f"−{_number(-diff)}", NEGATIVE_CSS


def _figure(value: str, label: str, note: str, styles: Styles) -> list[Flowable]:
    return [
        Paragraph(value, styles.figure),
        Paragraph(label, styles.figure_label),
        Paragraph(note, styles.muted),
    ]


def summary_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    fonts = styles.fonts
    summary = content.summary
    result = summary.result
    previous = content.previous_period
    story: list[Flowable] = [
        heading("Summary", styles.h1, fonts, "summary"),
        Paragraph(
            f"Cross-sector work from {format_day(content.period.start)} to "
            f"{format_day(content.period.end)}, compared with the {previous.days} days before "
            f"({previous.label()}).",
            styles.body,
        ),
        Spacer(1, 4),
    ]

    change_text, change_colour = _change(result.score, summary.previous_score)
    figures = [
        _figure(
            f'{result.score:.1f}<font size="10" color="{MUTED_CSS}"> / 100</font>',
            "Breadth score",
            f'<font color="{change_colour}"><b>{change_text}</b></font> since '
            f"{format_day(previous.end)} ({summary.previous_score:.1f})",
            styles,
        ),
        _figure(
            f'{result.sectors_reached}<font size="10" color="{MUTED_CSS}"> of '
            f"{result.sector_count}</font>",
            "Sectors reached",
            f"with coverage of at least {content.policy.reach_threshold:.0%}",
            styles,
        ),
        _figure(
            f"{result.balance:.1f}",
            "Balance",
            "how evenly the work is spread: the effective number of sectors",
            styles,
        ),
        _figure(
            f"{summary.totals.activities}",
            "Activities",
            f"{summary.totals.lessons} lesson{'' if summary.totals.lessons == 1 else 's'} learned",
            styles,
        ),
    ]
    cell = width / 4
    tiles = Table([figures], colWidths=[cell] * 4)
    tiles.setStyle(
        table_style(
            fonts,
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (1, 0), (-1, -1), 2, "#ffffff"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LINEABOVE", (0, 0), (-1, 0), 2, HEADING),
            ],
        )
    )
    story += [tiles, Spacer(1, 10)]

    # Coverage by sector, and the trend beside it.
    home = summary.home
    home_label = None
    if home is not None and all(s.id != home.id for s in result.sectors):
        home_label = home.label
    left_width = width * 0.58
    right_width = width - left_width - 6 * mm
    bars = sector_bars(result, fonts, left_width)
    trend = trend_line(summary.trend, fonts, right_width, 118, period=content.period)
    charts = Table(
        [
            [
                Paragraph("Coverage by sector", styles.h3),
                Paragraph("Breadth score over time", styles.h3),
            ],
            [
                bars,
                [
                    trend,
                    Spacer(1, 6),
                    Paragraph(
                        "Coverage is how far the work has reached a sector: the first "
                        "engagement counts most, and older work slowly fades. A tick marks a "
                        "sector reached."
                        + (
                            f" The home sector, {fonts.markup(home_label)}, is not counted."
                            if home_label
                            else ""
                        ),
                        styles.muted,
                    ),
                ],
            ],
        ],
        colWidths=[left_width + 3 * mm, right_width + 3 * mm],
    )
    charts.setStyle(
        table_style(
            fonts,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ],
        )
    )
    story += [charts, Spacer(1, 8)]

    # Totals against the previous period.
    head = [
        Paragraph("In the period", styles.cell_head),
        Paragraph("This period", styles.cell_head_right),
        Paragraph("Previous period", styles.cell_head_right),
        Paragraph("Change", styles.cell_head_right),
    ]
    rows: list[list[Flowable]] = [head]
    shown, left_out = summary.totals.compared_with(summary.previous_totals)
    for label, value, earlier_value in shown:
        # Neutral, not red and green: more or less of one kind of work is not good or bad.
        text, _tone = _change(value, earlier_value)
        tone = MUTED_CSS if text == "–" else INK_CSS
        rows.append(
            [
                Paragraph(label, styles.cell),
                Paragraph(_number(value), styles.cell_right),
                Paragraph(_number(earlier_value), styles.cell_right),
                Paragraph(f'<font color="{tone}">{text}</font>', styles.cell_right),
            ]
        )
    totals = Table(
        rows,
        colWidths=[width * 0.4, width * 0.2, width * 0.2, width * 0.2],
        repeatRows=1,
    )
    totals.setStyle(
        table_style(
            fonts,
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HEADING),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ],
        )
    )
    story += [Paragraph("Totals", styles.h3), totals, Spacer(1, 6)]
    if left_out:
        names = [left_out[0]] + [label.lower() for label in left_out[1:]]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        story += [
            Paragraph(f"None in either period, so not shown: {listed}.", styles.muted),
            Spacer(1, 6),
        ]

    counted = summary.counted_activities
    earlier = summary.counted_before_period
    story.append(
        Paragraph(
            f"The score counts only work this portfolio may show: the {counted - earlier} "
            f"activit{'y' if counted - earlier == 1 else 'ies'} in it and {earlier} shared "
            f"activit{'y' if earlier == 1 else 'ies'} from before the period, which still "
            "count as they fade. Private entries are left out, so the score can be lower than "
            "the one the author sees in the app. The appendix shows how it is calculated.",
            styles.muted,
        )
    )
    return story
