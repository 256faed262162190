"""Page 1: who, which period, when it was exported, and what the document holds.

Drawn as one reportlab Drawing the size of the page, so the export dialog can preview exactly this
page (as SVG) without a PDF renderer.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib.colors import Color

from portfolio_app import __version__
from portfolio_app.charts.fonts import BOLD, Fonts
from portfolio_app.charts.palette import colour
from portfolio_app.charts.score_charts import add_text, fit_text
from portfolio_app.export.pdf.content import CoverInfo
from portfolio_app.export.pdf.styles import HEADING, INK, MARGIN_X, MUTED, RULE, TINT, WHITE
from portfolio_app.export.periods import format_day

BAND_HEIGHT = 230.0
SECTIONS = (
    "Summary: the breadth score, sectors reached and totals",
    "Activities: a timeline, then each activity and what was learned",
    "Lessons learned",
    "Development goals and progress since the last review",
    "Appraisal review: space for the reviewer's comments, objectives and signatures",
    "Appendix: how the breadth score is calculated",
)
_SOFT_WHITE = Color(1, 1, 1, alpha=0.82)


def wrap_lines(
    text: str, fonts: Fonts, width: float, size: float, font: str, max_lines: int = 3
) -> list[str]:
    """Word-wrapped lines for a drawing; the last is cut short with an ellipsis if the text
    needs more than `max_lines`."""
    lines = fonts.wrap(" ".join(fonts.clean(text).split()), width, size, font)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit_text(lines[-1] + " …", fonts, width, size, font)
    return lines


def name_lines(name: str, fonts: Fonts, width: float) -> tuple[float, list[str]]:
    """The name as large as it fits: on one line at 30 pt down to 22 pt, else on two lines
    down to 16 pt (a long name is never cut short unless even that is not enough)."""
    text = " ".join(fonts.clean(name).split())
    for size in range(30, 21, -2):
        if fonts.width(text, size, BOLD) <= width:
            return size, [text]
    for size in range(26, 15, -2):
        lines = fonts.wrap(text, width, size, BOLD)
        if len(lines) <= 2:
            return size, lines
    return 16, wrap_lines(text, fonts, width, 16, BOLD, max_lines=2)


def cover_drawing(cover: CoverInfo, fonts: Fonts, page: tuple[float, float]) -> Drawing:
    width, height = page
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular
    inner = width - 2 * MARGIN_X
    x = MARGIN_X

    # The band: title, name and role.
    band_bottom = height - BAND_HEIGHT
    drawing.add(Rect(0, band_bottom, width, BAND_HEIGHT, fillColor=HEADING, strokeColor=None))
    add_text(
        drawing, x, height - 62, "CROSS-SECTOR LEARNING PORTFOLIO", fonts,
        size=10.5, font=BOLD, fill=_SOFT_WHITE,
    )  # fmt: skip
    size, lines = name_lines(cover.person.name, fonts, inner)
    y = height - 112 + (size * 1.15 if len(lines) > 1 else 0)
    for line in lines:
        add_text(drawing, x, y, line, fonts, size=size, font=BOLD, fill=WHITE)
        y -= size * 1.15
    y -= 26 - size * 1.15  # the role starts 26 pt below the name's last line
    role_lines = 2 if y - 17 > band_bottom + 44 else 1
    for line in wrap_lines(cover.person.role, fonts, inner, 13, fonts.regular, role_lines):
        add_text(drawing, x, y, line, fonts, size=13, fill=WHITE)
        y -= 17
    add_text(
        drawing, x, band_bottom + 26, f"{cover.period.label()}", fonts,
        size=13, font=BOLD, fill=WHITE,
    )  # fmt: skip

    # A strip in the colours of the sectors the work reached.
    strip_y = band_bottom - 8
    tags = cover.sectors
    if tags:
        segment = width / len(tags)
        for i, tag in enumerate(tags):
            drawing.add(
                Rect(i * segment, strip_y, segment + 0.5, 8, fillColor=colour(tag.colour),
                     strokeColor=None)
            )  # fmt: skip
    else:
        drawing.add(Rect(0, strip_y, width, 8, fillColor=TINT, strokeColor=None))

    # Details.
    y = strip_y - 48
    label_width = 120.0
    rows = [
        ("Home organisation", cover.person.organisation),
        ("Sector", cover.person.sector.label),
        ("Exported", format_day(cover.export_date)),
        (
            "Contents",
            f"{cover.activities} activit{'y' if cover.activities == 1 else 'ies'}, "
            f"{cover.lessons} lesson{'' if cover.lessons == 1 else 's'} learned",
        ),
    ]
    for label, value in rows:
        add_text(drawing, x, y, label, fonts, size=10, fill=MUTED)
        lines = wrap_lines(value, fonts, inner - label_width, 11, fonts.regular, max_lines=2)
        for line in lines:
            add_text(drawing, x + label_width, y, line, fonts, size=11, fill=INK)
            y -= 15
        y -= 9
    if tags:
        add_text(drawing, x, y, "Sectors worked with", fonts, size=10, fill=MUTED)
        sx, line_y = x + label_width, y
        for tag in tags:
            label_w = fonts.width(tag.label, 9.5)
            if sx + 12 + label_w > width - MARGIN_X:
                sx, line_y = x + label_width, line_y - 15
            drawing.add(Rect(sx, line_y, 8, 8, fillColor=colour(tag.colour), strokeColor=None))
            add_text(drawing, sx + 12, line_y, tag.label, fonts, size=9.5, fill=INK)
            sx += 12 + label_w + 14
        y = line_y - 24

    # What is inside.
    y -= 10
    drawing.add(Line(x, y, width - MARGIN_X, y, strokeColor=RULE, strokeWidth=0.8))
    y -= 22
    add_text(drawing, x, y, "In this portfolio", fonts, size=11, font=BOLD, fill=HEADING)
    y -= 18
    for number, line in enumerate(SECTIONS, start=1):
        add_text(drawing, x, y, f"{number}.", fonts, size=9.5, fill=MUTED)
        add_text(drawing, x + 16, y, fit_text(line, fonts, inner - 16, 9.5), fonts, size=9.5)
        y -= 14

    # What was left out, so a reader knows how to read it.
    notes = [
        "This portfolio shows only what its author chose to share; private entries and private "
        "parts of lessons are left out."
        if not cover.includes_private
        else "Besides shared entries, this portfolio includes some private entries that its "
        "author chose to include.",
        "People met are shown by their organisation and sector; their names are left out."
        if not cover.show_names
        else "People met are shown by name, with their organisation and sector.",
    ]
    y = 60.0 + 13 * 4
    for note in notes:
        for line in wrap_lines(note, fonts, inner, 8.5, fonts.regular):
            add_text(drawing, x, y, line, fonts, size=8.5, fill=MUTED)
            y -= 12
        y -= 4
    add_text(drawing, x, 44, f"Made with Portfolio {__version__}", fonts, size=7.5, fill=MUTED)
    return drawing
