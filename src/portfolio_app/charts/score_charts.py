"""The score's charts, drawn once with reportlab.graphics: the PDF places the Drawings, the
dashboard shows them as SVG (`drawing_to_svg`), so screen and paper match.

Every string is set in the embedded family (or its fallback) explicitly, and each drawing's
initial font is the embedded one, so no unembedded Helvetica slips in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color

from portfolio_app.charts.fonts import BOLD, REGULAR, Fonts
from portfolio_app.charts.palette import HEADING, INK, MUTED, RULE, TINT, WHITE, colour
from portfolio_app.domain.dates import format_date as format_day
from portfolio_app.scoring import BreadthResult

LABEL_SIZE = 8.0
ROW_HEIGHT = 15.0
BAR_HEIGHT = 9.0


def _new_drawing(width: float, height: float, fonts: Fonts) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular
    drawing.initialFontSize = LABEL_SIZE
    return drawing


def add_text(
    group: Group | Drawing,
    x: float,
    y: float,
    text: str,
    fonts: Fonts,
    *,
    size: float = LABEL_SIZE,
    font: str = REGULAR,
    anchor: str = "start",
    fill: Color = INK,
) -> float:
    """Draw `text` at (x, y) in runs of the embedded font and its fallback; returns its width."""
    runs = fonts.runs(text, font)
    widths = [fonts.width(t, size, name) for name, t in runs]
    total = sum(widths)
    if anchor == "end":
        x -= total
    elif anchor == "middle":
        x -= total / 2
    for (name, chunk), width in zip(runs, widths, strict=True):
        group.add(String(x, y, chunk, fontName=name, fontSize=size, fillColor=fill))
        x += width
    return total


def fit_text(text: str, fonts: Fonts, width: float, size: float, font: str = REGULAR) -> str:
    """`text`, cut short with an ellipsis if it would be wider than `width`."""
    if fonts.width(text, size, font) <= width:
        return text
    while text and fonts.width(text + "…", size, font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def sector_bars(
    result: BreadthResult,
    fonts: Fonts,
    width: float = 300.0,
    *,
    home_label: str | None = None,
) -> Drawing:
    """One horizontal bar per compared sector: its coverage (0-100%) in the sector's colour.
    Reached sectors are marked with a tick; the home sector, if not compared, is noted below."""
    sectors = result.sectors
    footer = 14.0 if home_label else 0.0
    axis = 14.0
    height = len(sectors) * ROW_HEIGHT + axis + footer + 2
    drawing = _new_drawing(width, height, fonts)
    widest = max((fonts.width(s.label, LABEL_SIZE) for s in sectors), default=0.0)
    label_width = min(max(widest + 8, 60.0), width * 0.55)
    # Room for the widest value label ("100% ✓" in bold) after the bar, plus a small gap.
    value_width = fonts.width("100% ✓", LABEL_SIZE, BOLD) + 6
    bar_x = label_width + 8
    bar_width = max(width - bar_x - value_width, 10.0)
    top = height - 2
    for row, sector in enumerate(sectors):
        y = top - (row + 1) * ROW_HEIGHT
        bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        label = fit_text(sector.label, fonts, label_width - 6, LABEL_SIZE)
        add_text(drawing, label_width, bar_y + 1.5, label, fonts, anchor="end")
        drawing.add(Rect(bar_x, bar_y, bar_width, BAR_HEIGHT, fillColor=TINT, strokeColor=None))
        filled = bar_width * max(0.0, min(1.0, sector.coverage))
        if filled > 0:
            drawing.add(
                Rect(
                    bar_x,
                    bar_y,
                    filled,
                    BAR_HEIGHT,
                    fillColor=colour(sector.colour),
                    strokeColor=None,
                )
            )
        mark = " ✓" if sector.reached else ""
        add_text(
            drawing,
            bar_x + bar_width + 4,
            bar_y + 1.5,
            f"{sector.coverage:.0%}{mark}",
            fonts,
            font=BOLD if sector.reached else REGULAR,
            fill=INK if sector.reached else MUTED,
        )
    axis_y = top - len(sectors) * ROW_HEIGHT - 2
    for tick in (0, 25, 50, 75, 100):
        x = bar_x + bar_width * tick / 100
        drawing.add(Line(x, axis_y, x, axis_y + 3, strokeColor=RULE, strokeWidth=0.6))
        add_text(drawing, x, axis_y - 8, f"{tick}%", fonts, size=6.5, anchor="middle", fill=MUTED)
    if home_label:
        add_text(
            drawing,
            bar_x,
            1,
            fit_text(f"Home sector, not counted: {home_label}", fonts, width - bar_x, 7),
            fonts,
            size=7,
            fill=MUTED,
        )
    return drawing


def sector_radar(result: BreadthResult, fonts: Fonts, size: float = 220.0) -> Drawing:
    """The same coverage as a radar (for the dashboard; the PDF uses the bars, which read
    better in print)."""
    drawing = _new_drawing(size, size, fonts)
    sectors = result.sectors
    n = len(sectors)
    if n < 3:
        return drawing
    cx = cy = size / 2
    radius = size / 2 - 36
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    for ring in (0.25, 0.5, 0.75, 1.0):
        points: list[float] = []
        for a in angles:
            points += [cx + radius * ring * math.cos(a), cy + radius * ring * math.sin(a)]
        drawing.add(Polygon(points, fillColor=None, strokeColor=RULE, strokeWidth=0.5))
    shape: list[float] = []
    for a, sector in zip(angles, sectors, strict=True):
        r = radius * max(0.0, min(1.0, sector.coverage))
        shape += [cx + r * math.cos(a), cy + r * math.sin(a)]
        drawing.add(
            Line(cx, cy, cx + radius * math.cos(a), cy + radius * math.sin(a), strokeColor=RULE)
        )
    fill = Color(HEADING.red, HEADING.green, HEADING.blue, alpha=0.18)
    drawing.add(Polygon(shape, fillColor=fill, strokeColor=HEADING, strokeWidth=1.2))
    for a, sector in zip(angles, sectors, strict=True):
        r = radius * max(0.0, min(1.0, sector.coverage))
        drawing.add(
            Circle(cx + r * math.cos(a), cy + r * math.sin(a), 2.6, fillColor=colour(sector.colour))
        )
        lx, ly = cx + (radius + 8) * math.cos(a), cy + (radius + 8) * math.sin(a)
        anchor = "middle" if abs(math.cos(a)) < 0.3 else ("start" if math.cos(a) > 0 else "end")
        label = fit_text(sector.label, fonts, 70, 6.5)
        add_text(drawing, lx, ly - 2, label, fonts, size=6.5, anchor=anchor)
    return drawing


class Stretch(Protocol):
    """A stretch of time the trend shades (a reporting period)."""

    @property
    def start(self) -> date: ...


def _nice_scale(value: float) -> tuple[float, float]:
    """(top, step) for a 0-based axis with four round steps that leaves room above `value`."""
    for step in (5.0, 10.0, 20.0, 25.0):
        if step * 4 >= value * 1.1:
            return step * 4, step
    return 100.0, 25.0


def trend_line(
    points: Sequence[tuple[date, float]],
    fonts: Fonts,
    width: float = 300.0,
    height: float = 120.0,
    *,
    period: Stretch | None = None,
) -> Drawing:
    """The score over time; with `period`, that stretch is shaded and the one before labelled."""
    drawing = _new_drawing(width, height, fonts)
    if not points:
        return drawing
    left, right, bottom, top = 26.0, 10.0, 16.0, 14.0
    plot_w, plot_h = width - left - right, height - bottom - top
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    span = max(last - first, 1)
    y_top, y_step = _nice_scale(max(s for _, s in points))

    def px(day: date) -> float:
        return left + plot_w * (day.toordinal() - first) / span

    def py(value: float) -> float:
        return bottom + plot_h * max(0.0, min(value, y_top)) / y_top

    if period is not None:
        x0 = max(px(period.start), left)
        drawing.add(Rect(x0, bottom, left + plot_w - x0, plot_h, fillColor=TINT, strokeColor=None))
        add_text(
            drawing, (x0 + left + plot_w) / 2, height - 10, "this period", fonts,
            size=6.5, anchor="middle", fill=MUTED,
        )  # fmt: skip
        if x0 - left > 40:
            add_text(
                drawing, (left + x0) / 2, height - 10, "previous period", fonts,
                size=6.5, anchor="middle", fill=MUTED,
            )  # fmt: skip
    for k in range(5):
        value = y_step * k
        y = py(value)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=RULE, strokeWidth=0.4))
        add_text(
            drawing, left - 4, y - 2.5, f"{value:.0f}", fonts, size=6.5, anchor="end", fill=MUTED
        )
    for day in (points[0][0], points[len(points) // 2][0], points[-1][0]):
        anchor = "start" if day == points[0][0] else "end" if day == points[-1][0] else "middle"
        add_text(drawing, px(day), 3, format_day(day), fonts, size=6.5, anchor=anchor, fill=MUTED)
    coords: list[float] = []
    for day, value in points:
        coords += [px(day), py(value)]
    drawing.add(PolyLine(coords, strokeColor=HEADING, strokeWidth=1.6))
    end_day, end_value = points[-1]
    drawing.add(Circle(px(end_day), py(end_value), 2.8, fillColor=HEADING, strokeColor=WHITE))
    add_text(
        drawing, px(end_day) - 4, py(end_value) + 5, f"{end_value:.1f}", fonts,
        size=7.5, font=BOLD, anchor="end", fill=HEADING,
    )  # fmt: skip
    return drawing


def colour_swatch(hex_colour: str, size: float = 7.0) -> Drawing:
    """A small square in a sector's colour, for tables."""
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colour(hex_colour), strokeColor=None))
    return drawing


def drawing_to_svg(drawing: Drawing) -> bytes:
    """The drawing as a standalone SVG document (UTF-8). Text names the fonts registered with
    reportlab (PortfolioSans, PortfolioFallback...): a viewer maps them to the shipped files
    (ui.dashboard.svg_chart.qt_svg does so for QtSvg)."""
    text: str = renderSVG.drawToString(drawing)
    return text.encode("utf-8")
