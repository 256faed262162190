"""The timeline: every activity of the period in one compact table, oldest first.

Drawn by hand rather than with platypus's Table: a Table of Paragraph cells re-measures every
remaining row each time it splits across a page, which for 1,000 activities costs more than the
rest of the document. Here each row is measured once; a split only divides the list of rows, and
each page's part repeats the column headings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph

from portfolio_app.domain.enums import Status
from portfolio_app.export.pdf.charts import colour
from portfolio_app.export.pdf.content import PortfolioContent, SectorTag
from portfolio_app.export.pdf.fonts import BOLD, REGULAR, Fonts
from portfolio_app.export.pdf.styles import HEADING, INK, RULE, TINT, Styles
from portfolio_app.export.periods import format_span

SIZE = 8.5
LEADING = 11.0
PAD = 3.0
SWATCH = 6.0
HEADINGS = ("When", "Type", "Activity", "Sectors")
SHARES = (0.18, 0.15, 0.42, 0.25)


@dataclass(frozen=True)
class TimelineRow:
    when: str
    type: str
    title: str
    planned: bool
    sectors: tuple[SectorTag, ...]


@dataclass(frozen=True)
class _Laid:
    """One row broken into lines for the column widths."""

    when: list[str]
    type: list[str]
    title: list[str]
    sectors: list[tuple[SectorTag | None, str]]  # (sector for the swatch, or None: a wrapped line)
    height: float


class TimelineTable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    def __init__(
        self,
        rows: Sequence[TimelineRow],
        fonts: Fonts,
        *,
        first_index: int = 0,
        laid: list[_Laid] | None = None,
        laid_width: float | None = None,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.fonts = fonts
        self.first_index = first_index  # for the zebra stripes across splits
        self._laid = laid
        self._laid_width = laid_width
        self.header_height = LEADING + 2 * PAD

    def _columns(self, width: float) -> list[float]:
        return [width * share for share in SHARES]

    def _lay_out(self, width: float) -> list[_Laid]:
        if self._laid is not None and self._laid_width == width:
            return self._laid
        fonts = self.fonts
        when_w, type_w, title_w, sector_w = (w - 2 * PAD for w in self._columns(width))
        laid = []
        for row in self.rows:
            title = row.title + (" (planned)" if row.planned else "")
            sectors: list[tuple[SectorTag | None, str]] = []
            for tag in row.sectors:
                for n, line in enumerate(fonts.wrap(tag.label, sector_w - SWATCH - 3, SIZE)):
                    sectors.append((tag if n == 0 else None, line))
            parts = (
                fonts.wrap(row.when, when_w, SIZE),
                fonts.wrap(row.type, type_w, SIZE),
                fonts.wrap(title, title_w, SIZE),
            )
            lines = max(len(parts[0]), len(parts[1]), len(parts[2]), len(sectors), 1)
            laid.append(_Laid(*parts, sectors, lines * LEADING + 2 * PAD))
        self._laid, self._laid_width = laid, width
        return laid

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        laid = self._lay_out(available_width)
        self.width = available_width
        self.height = self.header_height + sum(r.height for r in laid)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        laid = self._lay_out(available_width)
        room = available_height - self.header_height
        count = 0
        while count < len(laid) and laid[count].height <= room:
            room -= laid[count].height
            count += 1
        if count == 0 or count == len(laid):
            return []
        return [
            TimelineTable(
                self.rows[:count],
                self.fonts,
                first_index=self.first_index,
                laid=laid[:count],
                laid_width=available_width,
            ),
            TimelineTable(
                self.rows[count:],
                self.fonts,
                first_index=self.first_index + count,
                laid=laid[count:],
                laid_width=available_width,
            ),
        ]

    def draw(self) -> None:
        canvas, fonts = self.canv, self.fonts
        columns = self._columns(self.width)
        lefts = [sum(columns[:i]) for i in range(len(columns))]
        laid = self._lay_out(self.width)
        top = self.height
        canvas.saveState()
        canvas.setFillColor(HEADING)
        baseline = top - PAD - SIZE
        for left, text in zip(lefts, HEADINGS, strict=True):
            fonts.draw(canvas, left + PAD, baseline, text, SIZE, BOLD)
        top -= self.header_height
        canvas.setStrokeColor(HEADING)
        canvas.setLineWidth(0.8)
        canvas.line(0, top, self.width, top)
        canvas.setLineWidth(0.4)
        for index, row in enumerate(laid):
            bottom = top - row.height
            if (self.first_index + index) % 2 == 1:
                canvas.setFillColor(TINT)
                canvas.rect(0, bottom, self.width, row.height, stroke=0, fill=1)
            baseline = top - PAD - SIZE + 0.5
            for left, lines, ink in (
                (lefts[0], row.when, INK),
                (lefts[1], row.type, INK),
                (lefts[2], row.title, INK),
            ):
                canvas.setFillColor(ink)
                for n, line in enumerate(lines):
                    fonts.draw(canvas, left + PAD, baseline - n * LEADING, line, SIZE, REGULAR)
            for n, (tag, line) in enumerate(row.sectors):
                y = baseline - n * LEADING
                if tag is not None:
                    canvas.setFillColor(colour(tag.colour))
                    canvas.rect(lefts[3] + PAD, y, SWATCH, SWATCH, stroke=0, fill=1)
                canvas.setFillColor(INK)
                fonts.draw(canvas, lefts[3] + PAD + SWATCH + 3, y, line, SIZE)
            canvas.setStrokeColor(RULE)
            canvas.line(0, bottom, self.width, bottom)
            top = bottom
        canvas.restoreState()


def timeline_rows(content: PortfolioContent) -> list[TimelineRow]:
    return [
        TimelineRow(
            format_span(a.start, a.end),
            a.type.label,
            a.title,
            a.status is Status.PLANNED,
            a.sectors,
        )
        for a in content.activities
    ]


def timeline_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Timeline", styles.h2)]
    if not content.activities:
        story.append(Paragraph("No activities are shared for this period.", styles.body))
        return story
    story.append(TimelineTable(timeline_rows(content), styles.fonts))
    return story

