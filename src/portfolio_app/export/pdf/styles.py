"""Paper, margins, colours and paragraph styles: the document's look, in one place.

Sober and print-friendly: dark text on white, one accent colour for headings, sector colours only
where they carry meaning (charts and the small swatches next to sector names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from portfolio_app.charts.fonts import Fonts

# The colours charts share with the page come from the charts' palette, so a chart and the
# text beside it match (re-exported: the PDF's modules import them from here).
from portfolio_app.charts.palette import HEADING as HEADING
from portfolio_app.charts.palette import HEADING_HEX as HEADING_HEX
from portfolio_app.charts.palette import INK as INK
from portfolio_app.charts.palette import INK_HEX as INK_HEX
from portfolio_app.charts.palette import MUTED as MUTED
from portfolio_app.charts.palette import MUTED_HEX as MUTED_HEX
from portfolio_app.charts.palette import RULE as RULE
from portfolio_app.charts.palette import TINT as TINT
from portfolio_app.charts.palette import WHITE as WHITE
from portfolio_app.export.pdf.content import Paper

PAGE_SIZES: dict[Paper, tuple[float, float]] = {Paper.A4: A4, Paper.LETTER: LETTER}

MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm  # room for the running header
MARGIN_BOTTOM = 20 * mm  # room for the footer

POSITIVE_HEX = "#1e6b4f"
NEGATIVE_HEX = "#a1271d"


def css(hex_colour: str) -> str:
    """'#1f3a5f' as 'rgb(31,58,95)' for paragraph markup: reportlab parses that form several
    times faster than a hex string, which matters with thousands of coloured swatches."""
    value = hex_colour.lstrip("#")
    return f"rgb({int(value[0:2], 16)},{int(value[2:4], 16)},{int(value[4:6], 16)})"


INK_CSS = css(INK_HEX)
MUTED_CSS = css(MUTED_HEX)
HEADING_CSS = css(HEADING_HEX)
POSITIVE_CSS = css(POSITIVE_HEX)
NEGATIVE_CSS = css(NEGATIVE_HEX)
POSITIVE = colors.HexColor(POSITIVE_HEX)
NEGATIVE = colors.HexColor(NEGATIVE_HEX)


def page_size(paper: Paper) -> tuple[float, float]:
    return PAGE_SIZES[paper]


@dataclass(frozen=True)
class Styles:
    fonts: Fonts
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    meta: ParagraphStyle
    facts: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    numbered: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle
    quote: ParagraphStyle
    indented: ParagraphStyle
    recorded: ParagraphStyle
    section_label: ParagraphStyle


def make_styles(fonts: Fonts) -> Styles:
    regular, bold = fonts.regular, fonts.bold
    base = ParagraphStyle(
        "Body",
        fontName=regular,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
        splitLongWords=True,
    )

    def derive(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    cell = derive("Cell", fontSize=8.5, leading=11, spaceAfter=0)
    return Styles(
        fonts=fonts,
        title=derive("Title", fontName=bold, fontSize=22, leading=27, textColor=HEADING),
        h1=derive(
            "Heading1",
            fontName=bold,
            fontSize=16,
            leading=20,
            textColor=HEADING,
            spaceBefore=16,
            spaceAfter=8,
        ),
        h2=derive(
            "Heading2",
            fontName=bold,
            fontSize=12,
            leading=15,
            textColor=HEADING,
            spaceBefore=10,
            spaceAfter=3,
        ),
        h3=derive(
            "Heading3",
            fontName=bold,
            fontSize=10,
            leading=13,
            textColor=INK,
            spaceBefore=6,
            spaceAfter=2,
        ),
        body=base,
        small=derive("Small", fontSize=8.5, leading=11.5),
        muted=derive("Muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        meta=derive("Meta", fontSize=8.5, leading=12, textColor=MUTED, spaceAfter=3),
        facts=derive("Facts", fontSize=8.5, leading=12, spaceAfter=4),
        label=derive(
            "Label", fontName=bold, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=1
        ),
        cell=cell,
        cell_bold=ParagraphStyle("CellBold", parent=cell, fontName=bold),
        cell_right=ParagraphStyle("CellRight", parent=cell, alignment=TA_RIGHT),
        cell_head=ParagraphStyle("CellHead", parent=cell, fontName=bold, textColor=HEADING),
        cell_head_right=ParagraphStyle(
            "CellHeadRight", parent=cell, fontName=bold, textColor=HEADING, alignment=TA_RIGHT
        ),
        numbered=derive("Numbered", leftIndent=16, bulletIndent=2, bulletFontName=regular),
        figure=derive(
            "Figure", fontName=bold, fontSize=20, leading=23, textColor=HEADING, spaceAfter=0
        ),
        figure_label=derive("FigureLabel", fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
        quote=derive("Quote", leftIndent=10, rightIndent=10, textColor=INK),
        indented=derive("Indented", leftIndent=10),
        # A lesson's date and section labels, each its own one-style paragraph above the text:
        # a paragraph in one style takes reportlab's fast line breaking, a mixed one does not.
        # Not keepWithNext (platypus would lay the text out twice, once to keep it together):
        # lessons.py puts a CondPageBreak before each label instead.
        recorded=derive("Recorded", leftIndent=10, fontSize=8, textColor=MUTED, spaceAfter=0),
        section_label=derive(
            "SectionLabel",
            leftIndent=10,
            fontName=bold,
            textColor=HEADING,
            spaceAfter=0,
        ),
    )


def table_style(fonts: Fonts, commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells default to the embedded font: reportlab's default is Helvetica
    (not embedded), which it sets even for empty cells."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.regular), *commands])
