"""A plain table drawn by hand, for long lists (the timeline, the index of lessons).

platypus's Table of Paragraph cells re-measures every remaining row each time it splits across a
page, which for 1,000 rows costs more than the rest of the document. Here each row is measured
once; a split only divides the list of rows, and each page's part repeats the column headings.
Cells are plain text (wrapped at spaces, or between characters for scripts without spaces) or a
list of sectors, each after a square in its colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from portfolio_app.charts.fonts import BOLD, REGULAR, Fonts
from portfolio_app.charts.palette import colour
from portfolio_app.export.pdf.content import SectorTag
from portfolio_app.export.pdf.styles import HEADING, INK, RULE, TINT

SIZE = 8.5
LEADING = 11.0
PAD = 3.0
SWATCH = 6.0

Cell = str | tuple[SectorTag, ...]
Line = tuple[SectorTag | None, str]  # (the sector whose swatch starts the line, the text)


@dataclass(frozen=True)
class Column:
    heading: str
    share: float  # of the table's width
    bold: bool = False


@dataclass(frozen=True)
class _Laid:
    cells: tuple[tuple[Line, ...], ...]
    height: float


class LightTable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        fonts: Fonts,
        *,
        first_index: int = 0,
        laid: list[_Laid] | None = None,
        laid_width: float | None = None,
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows = [list(r) for r in rows]
        self.fonts = fonts
        self.first_index = first_index  # keeps the zebra stripes in step across pages
        self._laid = laid
        self._laid_width = laid_width
        self.header_height = LEADING + 2 * PAD

    def _widths(self, width: float) -> list[float]:
        return [width * c.share for c in self.columns]

    def _cell_lines(self, cell: Cell, width: float, font: str) -> tuple[Line, ...]:
        if isinstance(cell, str):
            return tuple((None, line) for line in self.fonts.wrap(cell, width, SIZE, font))
        lines: list[Line] = []
        for tag in cell:
            wrapped = self.fonts.wrap(tag.label, width - SWATCH - 3, SIZE, font)
            lines += [(tag if n == 0 else None, text) for n, text in enumerate(wrapped)]
        return tuple(lines)

    def _lay_out(self, width: float) -> list[_Laid]:
        if self._laid is not None and self._laid_width == width:
            return self._laid
        widths = self._widths(width)
        laid = []
        for row in self.rows:
            cells = tuple(
                self._cell_lines(cell, w - 2 * PAD, BOLD if column.bold else REGULAR)
                for cell, w, column in zip(row, widths, self.columns, strict=True)
            )
            lines = max([len(c) for c in cells] + [1])
            laid.append(_Laid(cells, lines * LEADING + 2 * PAD))
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
        parts = ((0, count), (count, len(laid)))
        return [
            LightTable(
                self.columns,
                self.rows[a:b],
                self.fonts,
                first_index=self.first_index + a,
                laid=laid[a:b],
                laid_width=available_width,
            )
            for a, b in parts
        ]

    def draw(self) -> None:
        canvas, fonts = self.canv, self.fonts
        widths = self._widths(self.width)
        lefts = [sum(widths[:i]) for i in range(len(widths))]
        top = self.height
        canvas.saveState()
        # All the text goes into one text object: thousands of separate drawString calls
        # cost more than the text itself.
        text = canvas.beginText()
        current: list[str] = [""]

        def put(x: float, y: float, line: str, font: str) -> None:
            text.setTextOrigin(x, y)
            for name, chunk in fonts.runs(line, font):
                if name != current[0]:
                    text.setFont(name, SIZE)
                    current[0] = name
                text.textOut(chunk)

        text.setFillColor(HEADING)
        for left, column in zip(lefts, self.columns, strict=True):
            put(left + PAD, top - PAD - SIZE + 0.5, column.heading, BOLD)
        text.setFillColor(INK)
        top -= self.header_height
        canvas.setStrokeColor(HEADING)
        canvas.setLineWidth(0.8)
        canvas.line(0, top, self.width, top)
        canvas.setLineWidth(0.4)
        canvas.setStrokeColor(RULE)
        for index, row in enumerate(self._lay_out(self.width)):
            bottom = top - row.height
            if (self.first_index + index) % 2 == 1:
                canvas.setFillColor(TINT)
                canvas.rect(0, bottom, self.width, row.height, stroke=0, fill=1)
            baseline = top - PAD - SIZE + 0.5
            for left, column, lines in zip(lefts, self.columns, row.cells, strict=True):
                font = BOLD if column.bold else REGULAR
                swatches = any(tag is not None for tag, _ in lines)
                for n, (tag, line) in enumerate(lines):
                    y = baseline - n * LEADING
                    x = left + PAD
                    if swatches:
                        if tag is not None:
                            canvas.setFillColor(colour(tag.colour))
                            canvas.rect(x, y, SWATCH, SWATCH, stroke=0, fill=1)
                        x += SWATCH + 3
                    put(x, y, line, font)
            canvas.line(0, bottom, self.width, bottom)
            top = bottom
        canvas.drawText(text)
        canvas.restoreState()
