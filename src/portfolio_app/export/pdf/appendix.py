"""The appendix: how the breadth score is calculated, with the policy's id, version and every
parameter in words, and each sector's figures, so that a reader can check the score by hand."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from portfolio_app.charts.fonts import Fonts
from portfolio_app.domain.enums import ActivityType
from portfolio_app.export.pdf.content import PortfolioContent, SectorTag
from portfolio_app.export.pdf.flowables import heading, paragraph, sector_markup
from portfolio_app.export.pdf.styles import HEADING, RULE, Styles, table_style
from portfolio_app.export.periods import format_day
from portfolio_app.scoring import ScoringPolicy

TOP_CONTRIBUTIONS = 3


def _number(value: float) -> str:
    return f"{value:g}"


def _unit(policy: ScoringPolicy, count: float) -> str:
    return f"{policy.duration_unit}{'' if count == 1 else 's'}"


def parameter_sentences(policy: ScoringPolicy, sector_count: int, home: str | None) -> list[str]:
    """The policy in words, one step of the calculation per sentence (plain text)."""
    level = (
        "the top level of the taxonomy"
        if policy.depth_level == 1
        else f"level {policy.depth_level} of the taxonomy"
    )
    home_text = f" (the home sector, {home}, is not counted)" if home else ""
    if policy.home_factor > 0:
        home_text = f" (the home sector, {home}, is counted)" if home else ""
    scaled = sorted(t.label.lower() for t in policy.scale_with_duration)
    scaled_text = (
        f"For {', '.join(scaled)}, the weight counts per {policy.duration_unit} of the "
        f"activity's length (at least one and at most {_number(policy.duration_cap)} "
        f"{_unit(policy, policy.duration_cap)})."
        if scaled
        else "No type is counted by its length."
    )
    home_only = (
        "Work with the home sector alone counts nothing."
        if policy.home_factor == 0
        else f"Work with the home sector alone counts {policy.home_factor:.0%} of its value, "
        "for the home sector."
    )
    return [
        f"Sectors are compared at {level}: {sector_count} sectors{home_text}. A sub-sector "
        "counts as the sector it belongs to.",
        "An activity touches the sectors of its organisations, its other sectors, and the "
        "sectors people met worked in on the day. Planned activities count nothing until done.",
        "Each activity has a depth: the weight of its type (table below). " + scaled_text + " "
        f"Each person met adds {_number(policy.contact_weight)}.",
        f"Recency: an activity counts half as much {_number(policy.half_life_months)} months "
        "after its last day, a quarter after twice that, and so on. It is never cut off.",
        "The value (depth × recency) is shared equally among the sectors the activity touches "
        "other than home. " + home_only,
        "A sector's engagement w is the sum of what every activity gave it. Its coverage is "
        f"c = 1 − e^(−w / {_number(policy.saturation)}): the first engagement with a sector "
        "counts most, more of the same counts less and less.",
        f"Breadth score = 100 × the average coverage over the {sector_count} sectors. A sector is "
        f"reached when its coverage is at least {policy.reach_threshold:.0%}.",
        "Balance = e^H, where H = −Σ p ln p over the reached sectors and p is each one's share "
        "of their engagement: the effective number of sectors the work is spread over.",
    ]


def appendix_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    fonts = styles.fonts
    policy = content.policy
    result = content.summary.result
    home = content.summary.home
    story: list[Flowable] = [
        PageBreak(),
        heading("Appendix: how the breadth score is calculated", styles.h1, fonts, "appendix"),
        paragraph(
            f"Policy “{policy.name}” (id {policy.id}, version {policy.version}), with the "
            f"taxonomy “{content.taxonomy_title}” (id {content.taxonomy_id}, version "
            f"{content.taxonomy_version}). Score worked out for {format_day(result.at)}, the "
            "last day of the period.",
            styles.body,
            fonts,
        ),
    ]
    if policy.description.strip():
        story.append(paragraph(policy.description, styles.muted, fonts))
    story.append(Paragraph("The calculation", styles.h3))
    for number, sentence in enumerate(
        parameter_sentences(policy, result.sector_count, home.label if home else None), start=1
    ):
        story.append(Paragraph(fonts.markup(sentence), styles.numbered, bulletText=f"{number}."))

    story.append(Paragraph("Weights by type of activity", styles.h3))
    rows: list[list[Flowable]] = [
        [Paragraph("Type", styles.cell_head), Paragraph("Weight", styles.cell_head)]
    ]
    for activity_type in ActivityType:
        weight = _number(policy.weight(activity_type))
        if activity_type in policy.scale_with_duration:
            weight += f" per {policy.duration_unit}"
        rows.append([Paragraph(activity_type.label, styles.cell), Paragraph(weight, styles.cell)])
    weights = Table(rows, colWidths=[width * 0.4, width * 0.3], hAlign="LEFT")
    weights.setStyle(_table_style(fonts))
    story += [weights, Spacer(1, 6)]

    story.append(Paragraph("Each sector's figures", styles.h3))
    rows = [
        [
            Paragraph("Sector", styles.cell_head),
            Paragraph("Engagement", styles.cell_head_right),
            Paragraph("Coverage", styles.cell_head_right),
            Paragraph("Reached", styles.cell_head),
            Paragraph("Largest contributions", styles.cell_head),
        ]
    ]
    for sector in result.sectors:
        contributions = sector.contributions
        listed = "<br/>".join(
            f"{fonts.markup(c.title)} ({c.amount:.2f})" for c in contributions[:TOP_CONTRIBUTIONS]
        )
        if len(contributions) > TOP_CONTRIBUTIONS:
            listed += f"<br/>and {len(contributions) - TOP_CONTRIBUTIONS} more"
        label = sector_markup([SectorTag(sector.id, sector.label, sector.colour)], fonts)
        rows.append(
            [
                Paragraph(label, styles.cell),
                Paragraph(f"{sector.engagement:.3f}", styles.cell_right),
                Paragraph(f"{sector.coverage:.1%}", styles.cell_right),
                Paragraph("yes" if sector.reached else "–", styles.cell),
                Paragraph(listed or "–", styles.cell),
            ]
        )
    figures = Table(
        rows,
        colWidths=[width * 0.24, width * 0.14, width * 0.12, width * 0.1, width * 0.4],
        repeatRows=1,
    )
    figures.setStyle(_table_style(fonts))
    story += [
        figures,
        Spacer(1, 6),
        Paragraph(
            f"Score: 100 × ({' + '.join(f'{s.coverage:.3f}' for s in result.sectors)}) / "
            f"{result.sector_count} = {result.score:.1f}. Sectors reached: "
            f"{result.sectors_reached}. Balance: {result.balance:.2f}.",
            styles.small,
        ),
        Paragraph(
            "Only work this portfolio may show is counted: the activities in it and shared "
            "activities from before the period. The full method, with a worked example, is in "
            "Portfolio's documentation, under \u201cThe cross-sector breadth score\u201d.",
            styles.muted,
        ),
    ]
    return story


def _table_style(fonts: Fonts) -> TableStyle:
    return table_style(
        fonts,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, HEADING),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
    )
